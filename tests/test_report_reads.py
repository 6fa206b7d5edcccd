"""The report's whole-plan reads give what the one-at-a-time readers give, in their order."""

from __future__ import annotations

import pytest

from tracker.domain.model import Series, ValueState, Visibility
from tracker.domain.narrative import Section
from tracker.store import commitments, evidence, indicators, narrative, plans, report_reads
from tracker.store import stated_changes as stated
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput


def _priorities(store):
    return [pr for plan in plans.list_plans(store) for pr in plans.list_priorities(store, plan.id)]


@pytest.fixture
def store(store):
    """The sample, with internal evidence, and withheld and comparison values, in its open
    plan."""
    plan = next(p for p in plans.list_plans(store) if not p.is_closed)
    priority = plans.list_priorities(store, plan.id)[0]
    first = commitments.list_commitments(store, priority.id)[0]
    evidence.add_evidence(store, first.id, EvidenceInput("Internal note", period="2022/23",
                                                         visibility=Visibility.INTERNAL))
    evidence.add_evidence(store, first.id, EvidenceInput("Shared note", evidence_date="2023-01-05",
                                                         visibility=Visibility.SHAREABLE))
    indicator = indicators.add_indicator(store, priority.id, "Reads test indicator")
    for n, year in enumerate(("2021/22", "2022/23", "2023/24")):
        indicators.set_value(store, indicator, ValueInput(year, 10 + n))
        indicators.set_value(store, indicator, ValueInput(year, 20 + n, Series.COMPARISON))
    indicators.set_value(store, indicator, ValueInput("2020/21", 5, state=ValueState.WITHHELD))
    return store


def test_commitments_and_sub_points_match_the_one_at_a_time_readers(store):
    priorities = [p.id for p in _priorities(store)]
    tops = report_reads.top_commitments(store, priorities)
    children = report_reads.children_by_parent(store, priorities)
    assert sum(len(found) for found in tops.values()) > 20

    def lines(records):
        return [report_reads.CommitmentLine(*(getattr(c, name)
                                              for name in report_reads.CommitmentLine._fields))
                for c in records]

    carried = 0
    for pid in priorities:
        assert tops[pid] == lines(commitments.list_commitments(store, pid))
        for commitment in tops[pid]:
            expected = lines(commitments.children(store, commitment.id))
            assert children.get(commitment.id, []) == expected
            assert report_reads.children(store, commitment.id) == expected
            carried += commitment.carried_forward_from_id is not None
    assert carried  # the sample carries commitments forward: that field is read too


def test_evidence_lines_carry_what_the_report_uses_in_order(store):
    priorities = [p.id for p in _priorities(store)]
    found = report_reads.evidence_by_commitment(store, priorities)
    assert sum(len(lines) for lines in found.values()) > 50
    every = [c for pid in priorities for top in commitments.list_commitments(store, pid)
             for c in (top, *commitments.children(store, top.id))]
    undated = report_reads.evidence_by_commitment(store, priorities, dated=False)
    assert {cid: [line._replace(period=None, evidence_date=None, created_at=None)
                  for line in lines] for cid, lines in found.items()} == undated
    kinds = set()
    for commitment in every:
        expected = [(e.commitment_id, e.text, e.period, e.evidence_date, e.created_at,
                     e.visibility, e.partner_id)
                    for e in evidence.list_evidence(store, commitment.id)]
        assert [tuple(line) for line in found.get(commitment.id, [])] == expected
        assert [tuple(line) for line in report_reads.evidence_of(store, commitment.id)] == \
            expected
        kinds |= {line.visibility for line in found.get(commitment.id, [])}
    assert kinds == {Visibility.INTERNAL, Visibility.SHAREABLE}


def test_evidence_texts_are_the_bullets_a_report_of_all_periods_shows(store):
    priorities = [p.id for p in _priorities(store)]
    lines = report_reads.evidence_by_commitment(store, priorities)
    every = report_reads.evidence_texts(store, priorities, include_internal=True, make=tuple)
    shown = report_reads.evidence_texts(store, priorities, include_internal=False, make=list)
    assert every == {cid: [(line.text, line.visibility is Visibility.INTERNAL) for line in found]
                     for cid, found in lines.items()}
    public = {cid: [[line.text, False] for line in found
                    if line.visibility is not Visibility.INTERNAL]
              for cid, found in lines.items()}
    assert shown == {cid: found for cid, found in public.items() if found}
    assert any(internal for found in every.values() for _text, internal in found)
    assert all(type(internal) is bool for found in every.values() for _text, internal in found)


def test_values_stated_changes_and_narrative_match_the_one_at_a_time_readers(store):
    ids = [i.id for i in indicators.list_indicators(store)]
    values = report_reads.values_by_indicator(store, ids)
    with_withheld = report_reads.values_by_indicator(store, ids, include_withheld=True)
    changes = report_reads.stated_by_indicator(store, ids)
    assert sum(len(v) for v in values.values()) > 40 and any(changes.values())
    assert sum(len(v) for v in with_withheld.values()) == sum(len(v) for v in values.values()) + 1
    for iid in ids:
        assert values[iid] == indicators.list_values(store, iid, include_withheld=False)
        assert with_withheld[iid] == indicators.list_values(store, iid)
        assert changes[iid] == stated.list_stated(store, iid)
    every = narrative.list_narratives(store)
    assert every
    found = report_reads.narratives_by_place(store, [p.id for p in plans.list_plans(store)])
    assert sum(len(texts) for texts in found.values()) == len(every)
    for text in every:
        place = narrative.place_of(text)
        assert found[(place.plan_id, Section(place.section), place.priority_id,
                      place.indicator_id)] == narrative.narratives_at(store, place)


def test_values_of_one_series_starting_the_same_day_keep_list_values_order(store):
    """A financial year and its first quarter start the same day: the shorter label comes
    first, as list_values puts it, whatever their ids (which follow no order: six indicators,
    so the index's own order of the two is not the right one by chance)."""
    priority = _priorities(store)[0]
    mixed = []
    for n in range(6):
        indicator = indicators.add_indicator(store, priority.id, f"Mixed periods {n}")
        for value, period in enumerate(("2021/22 Q1", "2021/22", "2022/23")):
            indicators.set_value(store, indicator, ValueInput(period, value))
        indicators.set_value(store, indicator, ValueInput("2020/21", 9, Series.COMPARISON))
        mixed.append(indicator)
    ids = [i.id for i in indicators.list_indicators(store)]
    found = report_reads.values_by_indicator(store, ids)
    for indicator in mixed:
        assert [v.period for v in found[indicator]] == ["2021/22", "2021/22 Q1", "2022/23",
                                                        "2020/21"]
    for iid in ids:
        assert found[iid] == indicators.list_values(store, iid, include_withheld=False)


def test_indicators_match_list_indicators_of_each_priority(store):
    priorities = _priorities(store)
    found = report_reads.indicators_by_priority(store, [p.id for p in priorities])
    assert sum(len(v) for v in found.values()) == len(indicators.list_indicators(store)) > 10
    for priority in priorities:
        assert found[priority.id] == indicators.list_indicators(store, priority_id=priority.id)
    # a priority left out is not read
    some = priorities[:2]
    assert set(report_reads.indicators_by_priority(store, [p.id for p in some])) == \
        {p.id for p in some}
