"""The report's content model: scope, order, internal evidence, withheld values, wording."""

from __future__ import annotations

import pytest
from reports_helpers import expected_items, item_texts

from tracker.domain.model import Polarity, Series, Unit, ValueState, Visibility
from tracker.domain.status import Status
from tracker.domain.wording import Direction
from tracker.reports.content import ReportOptions, build_report, missing_periods
from tracker.store import commitments, evidence, indicators, partners, plans
from tracker.store.errors import ValidationError
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput


def flatten(report) -> list[str]:
    return item_texts(item for section in report.priorities for item in section.commitments)


def plan_id(store, key: str) -> int:
    return plans.find_plan(store, key).id


@pytest.mark.parametrize("key", ["pcp-2016-2020", "pcp-2020-21"])
def test_every_commitment_and_evidence_bullet_in_plan_order(store, key):
    report = build_report(store, ReportOptions(plan_id(store, key)))
    assert flatten(report) == expected_items(store, key)
    assert report.commitment_count == sum(
        len(s.commitments) for s in report.priorities)


def test_the_2016_2020_sample_report_counts(store):
    report = build_report(store, ReportOptions(plan_id(store, "pcp-2016-2020")))
    assert report.title == "Police and Crime Plan 2016-2020: Closure Report"
    assert len(report.priorities) == 7
    assert report.commitment_count == 56
    assert report.evidence_count == 144
    assert report.counts[Status.COMPLETE] == 1
    assert report.summary_sentence == (
        "This report covers 56 commitments in 7 priorities, with 144 evidence statements and 5 "
        "indicators. Status of the commitments: 55 not assessed, 1 complete.")


def test_reading_a_report_writes_nothing(store):
    before = store.conn.total_changes
    build_report(store, ReportOptions(plan_id(store, "pcp-2020-21"), include_internal=True))
    assert store.conn.total_changes == before


def make_internal(store, text_start: str) -> str:
    for item in [e for p in plans.list_priorities(store, plan_id(store, "pcp-2020-21"))
                 for c in commitments.list_commitments(store, p.id)
                 for e in evidence.list_evidence(store, c.id)]:
        if item.text.startswith(text_start):
            evidence.update_evidence(store, item.id, EvidenceInput(
                item.text, item.evidence_date, item.period, item.partner_id, item.figure,
                item.unit, item.link, Visibility.INTERNAL))
            return item.text
    raise AssertionError(text_start)


def test_internal_evidence_is_left_out_unless_asked_for(store):
    secret = make_internal(store, "Single online home implemented")
    pid = plan_id(store, "pcp-2020-21")
    public = build_report(store, ReportOptions(pid))
    assert secret not in flatten(public)
    assert flatten(public) == expected_items(store, "pcp-2020-21", include_internal=False)
    assert "internal only is left out" in " ".join(public.scope)

    private = build_report(store, ReportOptions(pid, include_internal=True))
    assert secret in flatten(private)
    assert flatten(private) == expected_items(store, "pcp-2020-21", include_internal=True)
    marked = [e for s in private.priorities for c in s.commitments for e in c.evidence
              if e.text == secret]
    assert marked[0].internal
    assert any("not for publication" in line for line in private.scope)


def test_priorities_subset_and_unknown_priority(store):
    pid = plan_id(store, "pcp-2020-21")
    report = build_report(store, ReportOptions(pid, priority_numbers=(3, 7)))
    assert [s.priority.number for s in report.priorities] == [3, 7]
    with pytest.raises(ValidationError, match="has no priority 9"):
        build_report(store, ReportOptions(pid, priority_numbers=(9,)))


def test_one_partner_only(store):
    pid = plan_id(store, "pcp-2020-21")
    board = partners.find_partner(store, "domestic-abuse-board")
    report = build_report(store, ReportOptions(pid, partner_id=board.id))
    shown = [c for s in report.priorities for c in s.commitments]
    assert shown
    everyone = build_report(store, ReportOptions(pid))
    assert len(shown) < everyone.commitment_count
    assert any(board.name in line for line in report.scope)


def test_period_range_narrows_evidence_but_keeps_commitments(store):
    pid = plan_id(store, "pcp-2016-2020")
    later = build_report(store, ReportOptions(pid, period_from="2020/21"))
    assert later.commitment_count == 56
    assert later.evidence_count == 0  # all its evidence speaks for 2016/17-2019/20
    overlapping = build_report(store, ReportOptions(pid, period_from="2019/20",
                                                    period_to="2019/20"))
    assert overlapping.evidence_count == 144


def test_bad_periods_are_refused_with_the_field_named(store):
    pid = plan_id(store, "pcp-2020-21")
    with pytest.raises(ValidationError, match=r"ends .* before it starts") as caught:
        build_report(store, ReportOptions(pid, period_from="2020/21", period_to="2018/19"))
    assert caught.value.field == "period_to"
    with pytest.raises(ValidationError, match="'from'"):
        build_report(store, ReportOptions(pid, period_from="next year"))


# --- indicators and the change in words -----------------------------------------------------


@pytest.fixture
def measured(store):
    """Indicators of priority 1 of the extension with known values."""
    pid = plan_id(store, "pcp-2020-21")
    priority = plans.list_priorities(store, pid)[0]

    def add(name, unit, polarity, values, baseline=None):
        ind = indicators.add_indicator(store, priority.id, name, unit=unit, polarity=polarity,
                                       baseline_period=baseline)
        for period, value, *state in values:
            indicators.set_value(store, ind, ValueInput(
                period, value, state=state[0] if state else ValueState.FINAL))
        return ind

    add("Burglaries test", Unit.COUNT, Polarity.LOWER_IS_BETTER,
        [("2015/16", 100), ("2017/18", 80), ("2018/19", 999, ValueState.WITHHELD)],
        baseline="2015/16")
    add("Arrests test", Unit.COUNT, Polarity.HIGHER_IS_BETTER,
        [("2015/16", 100), ("2016/17", 80)])
    add("Satisfaction test", Unit.PERCENT, Polarity.HIGHER_IS_BETTER,
        [("2019/20", 40), ("2020/21", 45.5, ValueState.PROVISIONAL)])
    add("Nothing yet test", Unit.COUNT, Polarity.LOWER_IS_BETTER, [])
    add("Single value test", Unit.COUNT, Polarity.NEITHER, [("2020/21", 7)])
    return pid


def indicator_items(report):
    return {i.name: i for s in report.priorities for i in s.indicators}


def test_change_sentences_for_both_polarities_gaps_and_no_values(store, measured):
    items = indicator_items(build_report(store, ReportOptions(measured)))
    burglary = items["Burglaries test"]
    assert burglary.change == "From 100 in 2015/16 to 80 in 2017/18, a reduction of 20 per cent."
    assert burglary.gaps == ("2016/17",)  # a gap is named once, for the chart, not in the words
    assert burglary.direction is Direction.IMPROVED and burglary.verdict == "improved"
    arrests = items["Arrests test"]
    assert arrests.change == "From 100 in 2015/16 to 80 in 2016/17, a reduction of 20 per cent."
    assert arrests.direction is Direction.WORSENED
    satisfaction = items["Satisfaction test"]
    assert satisfaction.change == ("From 40 per cent in 2019/20 to 45.5 per cent in 2020/21, an "
                                   "increase of 5.5 percentage points (provisional).")
    assert items["Nothing yet test"].change == "No value stated."
    assert items["Nothing yet test"].direction is None
    assert items["Single value test"].change == "7 in 2020/21; no earlier value stated."


def test_withheld_values_never_reach_the_report(store, measured):
    items = indicator_items(build_report(store, ReportOptions(measured, include_internal=True)))
    burglary = items["Burglaries test"]
    assert all(v.state is not ValueState.WITHHELD for v in burglary.values)
    assert 999 not in [v.value for v in burglary.values]
    assert burglary.latest == "80 in 2017/18"


def test_period_range_narrows_indicator_values(store, measured):
    items = indicator_items(build_report(store, ReportOptions(
        measured, period_from="2016/17", period_to="2017/18")))
    # 100 in 2015/16 is stated, before the report's periods: not "no earlier value stated"
    assert items["Burglaries test"].change == ("80 in 2017/18; no earlier value in the periods "
                                               "of this report.")
    assert [v.period for v in items["Arrests test"].values if v.series is Series.ACTUAL] == \
        ["2016/17"]


def test_a_ranged_report_charts_its_own_periods_not_the_baseline_before_them(store, measured):
    from tracker.reports.figures import report_chart_data

    ranged = indicator_items(build_report(store, ReportOptions(
        measured, period_from="2016/17", period_to="2017/18")))
    data = report_chart_data(ranged["Burglaries test"])  # baseline 2015/16, outside the range
    assert data.periods == ["2017/18"] and data.baseline is None
    whole = report_chart_data(indicator_items(build_report(store, ReportOptions(measured)))[
        "Burglaries test"])
    assert whole.periods == ["2015/16", "2016/17", "2017/18"] and whole.baseline.value == 100


def test_headlines_are_the_indicators_with_a_change(store, measured):
    report = build_report(store, ReportOptions(measured))
    names = [i.name for i in report.headlines]
    assert "Burglaries test" in names and "Arrests test" in names
    assert "Nothing yet test" not in names and "Single value test" not in names


def test_sample_indicator_sentence_matches_the_closure_report(store):
    items = indicator_items(build_report(store, ReportOptions(plan_id(store, "pcp-2020-21"))))
    asb = items["Number of anti-social behaviour incidents"]
    assert asb.change.startswith("From 52,732 in 2015/16 to 30,674 in 2021/22, a reduction of "
                                 "42 per cent")
    assert asb.direction is Direction.IMPROVED


def test_missing_periods_between_two_years():
    assert missing_periods("2015/16", "2018/19", ["2015/16", "2018/19"]) == ["2016/17", "2017/18"]
    assert missing_periods("2015/16", "2016/17", ["2015/16", "2016/17"]) == []
