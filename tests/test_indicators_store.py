"""Store functions behind the values table and the definition form."""

from __future__ import annotations

import pytest

from tracker.domain.model import Polarity, Series, Unit, ValueState
from tracker.store import indicators, partners, plans
from tracker.store.errors import ValidationError
from tracker.store.indicators import ValueInput


@pytest.fixture
def percent(empty_store):
    plan_id = plans.add_plan(empty_store, "Plan", "2021-2024")
    priority_id = plans.add_priority(empty_store, plan_id, 1, "Confidence")
    return indicators.add_indicator(empty_store, priority_id, "Confidence in policing",
                                    unit=Unit.PERCENT, polarity=Polarity.HIGHER_IS_BETTER)


def stored(store, indicator_id):
    return [(v.period, v.series, v.value, v.state, v.note)
            for v in indicators.list_values(store, indicator_id)]


def test_add_value_canonicalises_and_refuses_a_second_value_for_the_period(empty_store, percent):
    indicators.add_value(empty_store, percent, ValueInput("2017-18", "68.7", note=" survey "))
    with pytest.raises(ValidationError, match="2017/18 already has a value in the actual series"):
        indicators.add_value(empty_store, percent, ValueInput("2017/18", 70))
    assert stored(empty_store, percent) == [
        ("2017/18", Series.ACTUAL, 68.7, ValueState.FINAL, "survey")]


@pytest.mark.parametrize(("item", "message"), [
    (ValueInput("2017/18", "n/a"), "'n/a' is not a number."),
    (ValueInput("2017/18", "101"), "101 is not a percentage between 0 and 100."),
    (ValueInput("Q3 2017", 50), "'Q3 2017' is not a period"),
    (ValueInput("2017/18", "nan"), "'nan' is not a number."),
])
def test_bad_values_are_refused_and_nothing_is_written(empty_store, percent, item, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        indicators.add_value(empty_store, percent, item)
    assert stored(empty_store, percent) == []


def test_update_value_moves_period_and_refuses_a_clash(empty_store, percent):
    first = indicators.add_value(empty_store, percent, ValueInput("2017/18", 68.7))
    indicators.add_value(empty_store, percent, ValueInput("2021/22", 79))
    indicators.update_value(empty_store, first, ValueInput("2018/19", 69, state="provisional"))
    with pytest.raises(ValidationError, match="2021/22 already has a value"):
        indicators.update_value(empty_store, first, ValueInput("2021/22", 69))
    assert stored(empty_store, percent) == [
        ("2018/19", Series.ACTUAL, 69, ValueState.PROVISIONAL, None),
        ("2021/22", Series.ACTUAL, 79, ValueState.FINAL, None)]
    # The same period in another series is not a clash.
    indicators.update_value(empty_store, first, ValueInput("2021/22", 75, Series.COMPARISON))
    assert indicators.check_value(empty_store, percent, ValueInput("2021-22", 1, Series.TARGET)) \
        == "2021/22"


def test_values_for_many_indicators_in_one_query(store):
    found = indicators.values_for_indicators(store)
    for ind in indicators.list_indicators(store)[:10]:
        assert found.get(ind.id, []) == indicators.list_values(store, ind.id)
    assert indicators.values_for_indicators(store, [999999]) == {999999: []}


def test_withheld_left_out_when_asked(empty_store, percent):
    indicators.add_value(empty_store, percent, ValueInput("2017/18", 60, state="withheld"))
    assert indicators.values_for_indicators(empty_store, [percent],
                                            include_withheld=False) == {percent: []}


def test_definition_is_checked_then_written_with_partners_in_one_go(empty_store, percent):
    police = partners.add_partner(empty_store, "Essex Police")
    fire = partners.add_partner(empty_store, "Essex County Fire and Rescue Service")
    fields = indicators.check_definition(empty_store, percent, {
        "name": "  Confidence   in policing in Essex ", "target_value": "80",
        "target_period": "2023-24", "baseline_period": "", "polarity": "higher_is_better"})
    assert fields == {"name": "Confidence in policing in Essex", "target_value": 80.0,
                      "target_period": "2023/24", "baseline_period": None,
                      "polarity": "higher_is_better"}
    indicators.update_definition(empty_store, percent, fields, [fire, police, fire])
    changed = indicators.get_indicator(empty_store, percent)
    assert (changed.name, changed.target_value, changed.target_period) == (
        "Confidence in policing in Essex", 80, "2023/24")
    assert sorted(partners.indicator_partner_ids(empty_store, percent)) == sorted([police, fire])


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": " "}, "An indicator needs a name."),
    ({"target_value": "eighty"}, "The target 'eighty' is not a number."),
    ({"target_value": "180"}, "A target of 180 is not a percentage between 0 and 100."),
    ({"target_period": "soon"}, "The target period: 'soon' is not a period"),
    ({"priority_id": 424242}, "Choose the priority"),
])
def test_bad_definitions_are_refused(empty_store, percent, fields, message):
    before = indicators.get_indicator(empty_store, percent)
    with pytest.raises(ValidationError) as err:
        indicators.update_definition(empty_store, percent, fields, [])
    assert str(err.value).startswith(message)
    assert indicators.get_indicator(empty_store, percent) == before


def test_unit_cannot_become_per_cent_while_a_value_is_over_100(store):
    ind = next(i for i in indicators.list_indicators(store) if i.name == "Knife-enabled crime")
    with pytest.raises(ValidationError, match="The unit cannot be per cent: 2015/16 has 755"):
        indicators.update_definition(store, ind.id, {"unit": "percent"})
    assert indicators.get_indicator(store, ind.id).unit is Unit.COUNT
