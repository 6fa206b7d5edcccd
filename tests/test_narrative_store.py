"""Narrative text: its small structured form, and the store that keeps it per place and
period; stated changes; statuses as at a period; the office's name."""

from __future__ import annotations

import pytest

from tracker.domain.model import ChangeWay, Polarity, Unit
from tracker.domain.narrative import (
    BulletList,
    FigureRef,
    ListItem,
    NarrativeFormatError,
    Paragraph,
    Section,
    Span,
    blocks_from_json,
    blocks_from_text,
    blocks_to_json,
    blocks_to_text,
    check_blocks,
    format_inline,
    parse_inline,
)
from tracker.domain.status import Status
from tracker.domain.wording import describe_stated
from tracker.store import commitments, indicators, narrative, office, plans, stated_changes
from tracker.store.clock import row_id
from tracker.store.errors import ValidationError
from tracker.store.stated_changes import StatedInput
from tracker.store.statuses import statuses_at


def test_inline_marks_read_and_write_back():
    spans = parse_inline("Read **the plan** at [our site](https://example.org/plan) now.")
    assert spans == (Span("Read "), Span("the plan", bold=True),
                     Span(" at "), Span("our site", link="https://example.org/plan"),
                     Span(" now."))
    assert format_inline(spans) == "Read **the plan** at [our site](https://example.org/plan) now."
    # unmarked text reads back as written: an odd ** and a link of another scheme stay
    assert format_inline(parse_inline("2 ** 3 and [x](javascript:alert(1))")) == \
        "2 ** 3 and [x](javascript:alert(1))"
    assert all(s.link is None for s in parse_inline("[x](javascript:alert)"))


def test_plain_text_form_nests_bullets_and_keeps_paragraphs():
    text = "Opening paragraph.\n- first\n  - under first\n- second\nClosing **words**."
    blocks = blocks_from_text(text)
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "BulletList", "Paragraph"]
    points = blocks[1].items
    assert [p.text for p in points] == ["first", "second"]
    assert [p.text for p in points[0].items] == ["under first"]
    assert blocks_to_text(blocks) == "Opening paragraph.\n- first\n  - under first\n- second\n" \
        "\nClosing **words**."
    assert blocks_from_text(blocks_to_text(blocks)) == blocks


def test_stored_form_round_trips_numbers_sources_and_figures():
    blocks = (Paragraph(parse_inline("Text **bold**."), "4.2", "CLOSURE 4.2"),
              BulletList((ListItem(parse_inline("One"), (ListItem(parse_inline("Deeper")),),
                                   "6.8.1", "CLOSURE 6.8.1"),)),
              FigureRef("some-uid", "7 (i)"))
    assert blocks_from_json(blocks_to_json(blocks)) == blocks
    with pytest.raises(NarrativeFormatError, match="damaged"):
        blocks_from_json("{not json")


@pytest.mark.parametrize("blocks, message", [
    ((Paragraph((Span("  "),)),), "Paragraph 1 is empty"),
    ((Paragraph((Span("bell\x07"),)),), "control character"),
    ((Paragraph((Span("x", link="javascript:alert(1)"),)),), "must start with http"),
    ((BulletList(()),), "has no points"),
])
def test_what_cannot_be_kept_is_named(blocks, message):
    with pytest.raises(NarrativeFormatError, match=message):
        check_blocks(blocks)


def _text(words: str, number: str | None = None) -> tuple[Paragraph, ...]:
    return (Paragraph(parse_inline(words), number),)


def test_one_text_per_place_and_period(store):
    plan = plans.find_plan(store, "pcp-2016-2020")  # closed: closure text is still written
    place = narrative.plan_place(plan.id, Section.FOREWORD)
    first = narrative.set_narrative(store, place, "2020/21", _text("Draft."))
    again = narrative.set_narrative(store, place, "2020/21", _text("Final."))
    assert again == first
    other = narrative.set_narrative(store, place, "2021/22", _text("Next year."))
    assert other != first
    saved = narrative.get_narrative(store, other)
    assert row_id(saved.uid) == saved.id  # ids come from uids, as every table's
    assert [n.period for n in narrative.narratives_at(store, place)] == ["2020/21", "2021/22"]
    from datetime import date

    assert narrative.narrative_for(store, place).blocks == _text("Next year.")
    assert narrative.narrative_for(store, place, end=date(2021, 4, 1)).blocks == _text("Final.")
    assert narrative.narrative_for(store, place, start=date(2022, 4, 1)) is None


def test_places_are_checked(store):
    old = plans.find_plan(store, "pcp-2016-2020")
    ext = plans.find_plan(store, "pcp-2020-21")
    ext_priority = plans.list_priorities(store, ext.id)[0]
    wrong = narrative.Place(old.id, Section.CHAPTER, priority_id=ext_priority.id)
    with pytest.raises(ValidationError, match="priority of its plan"):
        narrative.set_narrative(store, wrong, "2020/21", _text("x"))
    with pytest.raises(ValidationError, match="belongs to the plan"):
        narrative.set_narrative(store, narrative.Place(ext.id, Section.FOREWORD,
                                                       priority_id=ext_priority.id),
                                "2020/21", _text("x"))
    with pytest.raises(ValidationError, match="period"):
        narrative.set_narrative(store, narrative.plan_place(ext.id, "summary"), "soon", _text("x"))
    with pytest.raises(ValidationError, match="not in this database"):
        narrative.set_narrative(store, narrative.plan_place(ext.id, "summary"), "2020/21",
                                (FigureRef("no-such-indicator"),))
    with pytest.raises(ValidationError, match="empty"):
        narrative.set_narrative(store, narrative.plan_place(ext.id, "summary"), "2020/21", ())
    assert store.conn.execute("SELECT count(*) FROM narrative").fetchone()[0] == \
        len(narrative.list_narratives(store))


def test_compare_and_set_delete_and_restore(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    indicator = indicators.list_indicators(store, plan_id=ext.id)[0]
    place = narrative.commentary_place(store, indicator.id)
    nid = narrative.set_narrative(store, place, "2021/22", _text("Commentary."))
    seen = narrative.get_narrative(store, nid).body
    before = narrative.update_body(store, nid, _text("Mine."), expected_body=seen)
    assert before.body == seen
    with pytest.raises(narrative.NarrativeConflictError, match="changed elsewhere"):
        narrative.update_body(store, nid, _text("Theirs."), expected_body=seen)
    assert narrative.get_narrative(store, nid).blocks == _text("Mine.")
    gone = narrative.delete_narrative(store, nid)
    assert narrative.find_narrative(store, place, "2021/22") is None
    assert narrative.restore_narrative(store, gone) == nid
    assert narrative.get_narrative(store, nid).uid == gone.uid


def test_stated_changes_are_kept_as_stated(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    indicator = indicators.list_indicators(store, plan_id=ext.id)[0]
    first = stated_changes.add_stated(store, indicator.id, StatedInput(
        "reduction", 21, from_period="2015/16", to_period="2019/20", source="CLOSURE 5.1"))
    stated_changes.add_stated(store, indicator.id, StatedInput(
        ChangeWay.INCREASE, "50", qualifier="Almost", to_period="2020/21"))
    found = stated_changes.list_stated(store, indicator.id)
    assert found[0].id == first
    assert found[1].qualifier == "almost" and found[1].percent == 50
    assert describe_stated(found[0], Unit.COUNT, Polarity.LOWER_IS_BETTER).sentence == \
        "A reduction of 21 per cent between 2015/16 and 2019/20."
    assert describe_stated(found[1], Unit.COUNT, Polarity.NEITHER).sentence == \
        "An increase of almost 50 per cent in 2020/21."
    for bad, message in [(StatedInput("up", 5), "not a way"),
                         (StatedInput("increase", -5), "without a sign"),
                         (StatedInput("increase", 5, qualifier="loads"), "not a qualifier"),
                         (StatedInput("increase", from_period="2020/21", to_period="2019/20"),
                          "backwards"),
                         (StatedInput("increase"), "Say what the change is")]:
        with pytest.raises(ValidationError, match=message):
            stated_changes.add_stated(store, indicator.id, bad)
    assert len(stated_changes.list_stated(store, indicator.id)) == 2


def test_statuses_as_at_a_period(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    plans.set_plan_state(store, ext.id, "active")
    priority = plans.list_priorities(store, ext.id)[1]
    one, two = commitments.list_commitments(store, priority.id)[:2]
    commitments.set_status(store, one.id, Status.AT_RISK, "Q1 return", period="2021/22 Q1")
    commitments.set_status(store, one.id, Status.ON_TRACK, "Q3 return", period="2021/22 Q3")
    commitments.set_status(store, two.id, Status.COMPLETE, "Said today")  # no period: today
    q2 = statuses_at(store, ext.id, "2021/22 Q2")
    assert q2[one.id] is Status.AT_RISK
    assert q2[two.id] is Status.NOT_ASSESSED
    assert statuses_at(store, ext.id, "2021/22")[one.id] is Status.ON_TRACK
    assert statuses_at(store, ext.id, "2099/00")[two.id] is Status.COMPLETE
    with pytest.raises(ValidationError, match="period the status is for"):
        commitments.set_status(store, two.id, Status.AT_RISK, "x", period="someday")


def test_the_office_is_the_reports_author(store):
    office.set_office_name(store, "  Police, Fire and Crime   Commissioner for Essex ")
    assert office.office_name(store) == "Police, Fire and Crime Commissioner for Essex"
    office.set_office_name(store, "")
    assert office.office_name(store) is None
    with pytest.raises(ValidationError, match="control character"):
        office.set_office_name(store, "Office\x01")
