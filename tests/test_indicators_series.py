"""What an indicator chart shows, worked out without drawing: axis periods, gaps, baseline,
target, headline and its direction, withheld values."""

from __future__ import annotations

import pytest

from tracker.domain.model import (
    Frequency,
    Indicator,
    IndicatorValue,
    Polarity,
    Series,
    Unit,
    ValueState,
)
from tracker.domain.periods import (
    PeriodError,
    next_period,
    parse_period,
    period_range,
    sorted_periods,
)
from tracker.domain.series import axis_periods, chart_data
from tracker.domain.wording import Direction


def indicator(unit=Unit.COUNT, polarity=Polarity.LOWER_IS_BETTER, baseline="2015/16",
              target_value=None, target_period=None) -> Indicator:
    return Indicator(1, "u1", 1, None, 1, "Anti-social behaviour incidents", unit, polarity,
                     Frequency.ANNUAL, baseline, target_value, target_period)


def value(period, number, series=Series.ACTUAL, state=ValueState.FINAL, note=None, source=None,
          vid=None) -> IndicatorValue:
    value.counter += 1
    return IndicatorValue(vid or value.counter, f"v{value.counter}", 1, period, series, number,
                          state, note, source)


value.counter = 0


# --- periods ----------------------------------------------------------------------------


def test_next_period_crosses_year_ends_for_every_kind():
    assert next_period(parse_period("2015/16")).label == "2016/17"
    assert next_period(parse_period("2021/22 Q4")).label == "2022/23 Q1"
    assert next_period(parse_period("2021/22 Q2")).label == "2021/22 Q3"
    assert next_period(parse_period("Dec 2021")).label == "Jan 2022"
    assert next_period(parse_period("2019")).label == "2020"


def test_period_range_fills_the_run_and_refuses_mixed_or_backward_runs():
    run = period_range(parse_period("2021/22 Q3"), parse_period("2022/23 Q2"))
    assert [p.label for p in run] == ["2021/22 Q3", "2021/22 Q4", "2022/23 Q1", "2022/23 Q2"]
    assert period_range(parse_period("2015/16"), parse_period("2021/22 Q1")) is None
    assert period_range(parse_period("2021/22"), parse_period("2015/16")) is None
    assert period_range(parse_period("2000"), parse_period("2100"), limit=50) is None
    months = period_range(parse_period("Nov 2021"), parse_period("Feb 2022"))
    assert [p.label for p in months] == ["Nov 2021", "Dec 2021", "Jan 2022", "Feb 2022"]
    one = parse_period("2019/20")
    assert period_range(one, one) == [one]
    # the limit is the most periods a run may hold
    assert len(period_range(parse_period("2000"), parse_period("2049"), limit=50)) == 50
    assert period_range(parse_period("2000"), parse_period("2050"), limit=50) is None


def test_axis_orders_financial_years_by_date_and_fills_missing_years():
    labels = ["2021/22", "2015/16", "2019/20", "2020/21"]
    assert [p.label for p in axis_periods(labels)] == [
        "2015/16", "2016/17", "2017/18", "2018/19", "2019/20", "2020/21", "2021/22"]


def test_axis_with_mixed_kinds_keeps_the_distinct_periods_in_date_order():
    labels = ["2021/22 Q1", "2020/21", "May 2021", "2020/21"]
    assert [p.label for p in axis_periods(labels)] == ["2020/21", "2021/22 Q1", "May 2021"]
    # one period written two ways is one place; a quarter and a month starting on the same
    # day keep the longer first; a label that is no period is left off
    labels = ["2021/22 Q1", "2021-22", "Apr 2021", "2021/22", "not a period"]
    assert [p.label for p in axis_periods(labels)] == ["2021/22", "2021/22 Q1", "Apr 2021"]


def test_quarters_and_months_sort_across_the_financial_year_boundary():
    assert sorted_periods(["2021/22 Q4", "2021/22 Q1", "2020/21 Q4", "2021/22 Q3"]) == [
        "2020/21 Q4", "2021/22 Q1", "2021/22 Q3", "2021/22 Q4"]
    assert sorted_periods(["Jan 2022", "Dec 2021", "Apr 2021"]) == [
        "Apr 2021", "Dec 2021", "Jan 2022"]


@pytest.mark.parametrize("label", ["2015/17", "2021/22 Q0", "Q3 2021", "20/21", "FY", "2021/22 Q3x"])
def test_unparsable_period_labels_raise_with_the_label_in_the_message(label):
    with pytest.raises(PeriodError) as err:
        parse_period(label)
    assert label.split()[0] in str(err.value) or "period" in str(err.value)


# --- points and gaps --------------------------------------------------------------------


def test_points_in_period_order_with_gaps_for_missing_years():
    data = chart_data(indicator(), [
        value("2021/22", 30674), value("2015/16", 52732), value("2019/20", 40100)])
    assert data.periods == ["2015/16", "2016/17", "2017/18", "2018/19", "2019/20", "2020/21",
                            "2021/22"]
    assert data.actual.values == [52732, None, None, None, 40100, None, 30674]
    assert [(p.x, p.period) for p in data.actual.points] == [
        (0, "2015/16"), (4, "2019/20"), (6, "2021/22")]


def test_comparison_and_target_series_share_the_axis():
    data = chart_data(indicator(baseline=None), [
        value("2019/20", 100), value("2020/21", 90),
        value("2018/19", 120, Series.COMPARISON), value("2020/21", 95, Series.COMPARISON),
        value("2021/22", 80, Series.TARGET)])
    assert data.periods == ["2018/19", "2019/20", "2020/21", "2021/22"]
    assert data.actual.values == [None, 100, 90, None]
    assert data.comparison.values == [120, None, 95, None]
    assert data.target_series.values == [None, None, None, 80]


def test_baseline_is_the_actual_value_in_the_baseline_period():
    data = chart_data(indicator(baseline="2016/17"), [
        value("2015/16", 10), value("2016/17", 12), value("2017/18", 9)])
    assert data.baseline is not None
    assert (data.baseline.period, data.baseline.value) == ("2016/17", 12)
    assert data.headline.text.startswith("From 12 in 2016/17 to 9 in 2017/18")


def test_without_a_baseline_value_the_headline_says_so_and_starts_at_the_first_value():
    data = chart_data(indicator(baseline="2014/15"), [value("2015/16", 10), value("2017/18", 8)])
    assert data.baseline is None
    assert data.periods[0] == "2014/15"  # the baseline year is on the axis, as a gap
    assert data.headline.text == ("From 10 in 2015/16 to 8 in 2017/18, a reduction of 20 per cent."
                                  " No value for the baseline year 2014/15.")


def test_target_value_and_its_period_on_the_axis():
    data = chart_data(indicator(target_value=25000, target_period="2023/24"),
                      [value("2015/16", 52732), value("2021/22", 30674)])
    assert data.target_value == 25000
    assert data.periods[-1] == "2023/24"
    assert data.target_x == len(data.periods) - 1


# --- headline ---------------------------------------------------------------------------


def test_headline_lower_is_better_reduction_is_an_improvement():
    data = chart_data(indicator(), [value("2015/16", 52732), value("2021/22", 30674)])
    assert data.headline.text == (
        "From 52,732 in 2015/16 to 30,674 in 2021/22, a reduction of 42 per cent.")
    assert data.headline.direction is Direction.IMPROVED
    assert data.headline.verdict == "Improved"


def test_headline_higher_is_better_reduction_is_a_worsening():
    data = chart_data(indicator(polarity=Polarity.HIGHER_IS_BETTER),
                      [value("2015/16", 3925), value("2021/22", 3134)])
    assert data.headline.text == (
        "From 3,925 in 2015/16 to 3,134 in 2021/22, a reduction of 20 per cent.")
    assert data.headline.direction is Direction.WORSENED
    assert data.headline.verdict == "Worsened"


def test_headline_of_a_percentage_gives_both_values_and_points():
    data = chart_data(indicator(unit=Unit.PERCENT, polarity=Polarity.HIGHER_IS_BETTER,
                                baseline="2017/18"),
                      [value("2017/18", 68.7), value("2021/22", 79)])
    assert data.headline.text == ("From 68.7 per cent in 2017/18 to 79 per cent in 2021/22, "
                                  "an increase of 10.3 percentage points.")
    assert data.headline.direction is Direction.IMPROVED


def test_headline_with_no_better_direction_is_neutral():
    data = chart_data(indicator(polarity=Polarity.NEITHER),
                      [value("2015/16", 378), value("2021/22", 3060)])
    assert data.headline.direction is Direction.NEUTRAL
    assert data.headline.verdict == "No better direction"


def test_headline_with_one_value_or_none():
    one = chart_data(indicator(), [value("2021/22", 16041)])
    assert one.headline.text == "16,041 in 2021/22; no earlier value to compare."
    assert one.headline.direction is None
    none = chart_data(indicator(), [])
    assert none.headline.text == "No values recorded yet."
    assert not none.has_values and none.periods == []


def test_headline_marks_a_provisional_latest_value():
    data = chart_data(indicator(), [value("2015/16", 100),
                                    value("2021/22", 90, state=ValueState.PROVISIONAL)])
    assert data.headline.text.endswith("a reduction of 10 per cent (provisional).")


# --- withheld ---------------------------------------------------------------------------


def test_withheld_values_never_reach_an_exported_chart():
    values = [value("2015/16", 100), value("2020/21", 120, state=ValueState.WITHHELD),
              value("2021/22", 90)]
    data = chart_data(indicator(), values)
    assert data.actual.values == [100, None, None, None, None, None, 90]
    assert data.withheld == []
    assert all(p.value != 120 for p in data.actual.points)
    assert "120" not in data.headline.text


def test_withheld_latest_value_does_not_become_the_headline():
    values = [value("2015/16", 100), value("2021/22", 10, state=ValueState.WITHHELD)]
    data = chart_data(indicator(), values)
    assert data.periods == ["2015/16"]
    assert data.headline.text == "100 in 2015/16; no earlier value to compare."


def test_inside_the_tracker_withheld_values_are_shown_apart_from_the_line():
    values = [value("2015/16", 100), value("2016/17", 120, state=ValueState.WITHHELD)]
    data = chart_data(indicator(), values, include_withheld=True)
    assert data.actual.values == [100, None]
    assert [(p.period, p.value) for p in data.withheld] == [("2016/17", 120)]


def test_tooltip_gives_value_period_state_note_and_source():
    data = chart_data(indicator(), [value("2020/21", 148135, note="COVID lockdown period.",
                                          source="CLOSURE 2.8", state=ValueState.PROVISIONAL)])
    tip = data.actual.points[0].tooltip(data.indicator)
    assert tip == ("Actual, 2020/21: 148,135 (provisional)\nNote: COVID lockdown period.\n"
                   "Source: CLOSURE 2.8")
