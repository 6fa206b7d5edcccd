"""Writing report text through the operations layer: the form an officer edits, one operation
per save in the activity log, undo and redo by compare-and-set."""

from __future__ import annotations

import pytest

from tracker import ops
from tracker.domain.narrative import (
    BulletList,
    FigureRef,
    NarrativeFormatError,
    Paragraph,
    Section,
    Span,
    editable_text,
    parse_editable,
    parse_inline,
)
from tracker.store import indicators, narrative, plans
from tracker.store.errors import ValidationError


def test_the_edited_form_keeps_numbers_nesting_figures_and_unchanged_sources():
    before = (
        Paragraph(parse_inline("Violence rose."), "7.4", "CLOSURE 7.4"),
        FigureRef("uid-vwi", "7 (i)"),
        Paragraph(parse_inline("Strategy **themes**:"), "10.6", "CLOSURE 10.6"),
    )
    text = editable_text(before, {"uid-vwi": "Violence with injury"})
    assert text == ("7.4. Violence rose.\n\n[Figure 7 (i): Violence with injury]\n\n"
                    "10.6. Strategy **themes**:")
    assert parse_editable(text, {"Violence with injury": "uid-vwi"}, before) == before
    edited = text.replace("Violence rose.", "Violence rose again.") + \
        "\n- 10.6.1. Post collision response\n  - care\n[Figure: Violence with injury]"
    blocks = parse_editable(edited, {"Violence with injury": "uid-vwi"}, before)
    assert blocks[0] == Paragraph(parse_inline("Violence rose again."), "7.4", None)  # own words
    assert blocks[2].source == "CLOSURE 10.6"  # unchanged: still the seed's
    points = blocks[3]
    assert isinstance(points, BulletList)
    assert points.items[0].number == "10.6.1" and points.items[0].items[0].text == "care"
    assert blocks[4] == FigureRef("uid-vwi", None)
    with pytest.raises(NarrativeFormatError, match="Line 1 places a figure of 'Nothing'"):
        parse_editable("[Figure: Nothing]", {})


@pytest.fixture
def place(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    plans.set_plan_state(store, ext.id, "active")
    priority = plans.list_priorities(store, ext.id)[2]
    return narrative.chapter_place(store, priority.id)


def test_a_save_is_one_operation_and_undo_puts_the_old_text_back(store, place):
    first = ops.write_narrative_text(store, place, "2021/22", "3.1. First words.")
    assert first.kind == "write_narrative" and first.op_id
    assert first.summary.startswith("Wrote the chapter text of priority 3 of")
    second = ops.write_narrative_text(store, place, "2021/22", "3.1. Second words.\n- a point")
    assert second.value == first.value  # the same text, rewritten
    shown = narrative.find_narrative(store, place, "2021/22")
    assert [type(b).__name__ for b in shown.blocks] == ["Paragraph", "BulletList"]
    ops.undo(store, second.op_id)
    assert narrative.find_narrative(store, place, "2021/22").blocks == \
        (Paragraph(parse_inline("First words."), "3.1"),)
    ops.redo(store, second.op_id)
    assert narrative.find_narrative(store, place, "2021/22").blocks == shown.blocks
    ops.undo(store, second.op_id)
    ops.undo(store, first.op_id)
    assert narrative.find_narrative(store, place, "2021/22") is None
    assert [e.kind for e in ops.log_entries(store)][:4] == ["undo", "undo", "redo", "undo"]


def test_undo_never_overwrites_a_later_edit(store, place):
    mine = ops.write_narrative_text(store, place, "2021/22", "Mine.")
    ops.write_narrative_text(store, place, "2021/22", "A colleague's, later.")
    with pytest.raises(ops.UndoRefused):
        ops.undo(store, mine.op_id)
    assert narrative.find_narrative(store, place, "2021/22").blocks == \
        (Paragraph(parse_inline("A colleague's, later.")),)


def test_refusals_name_what_is_wrong_and_write_nothing(store, place):
    before = store.conn.execute("SELECT count(*) FROM activity").fetchone()[0]
    with pytest.raises(ValidationError, match="not the name of an indicator"):
        ops.write_narrative_text(store, place, "2021/22", "[Figure: No such indicator]")
    with pytest.raises(ValidationError, match="empty"):
        ops.write_narrative_text(store, place, "2021/22", "  \n ")
    with pytest.raises(ValidationError, match="period"):
        ops.write_narrative_text(store, place, "next year", "Words.")
    with pytest.raises(ValidationError, match="not a web or e-mail address"):
        ops.write_narrative(store, place, "2021/22", (
            Paragraph((Span("x"), Span("y", link="javascript:alert(1)"))),))
    assert store.conn.execute("SELECT count(*) FROM activity").fetchone()[0] == before


def test_figures_are_named_by_their_indicator_and_delete_is_undone(store):
    ext = plans.find_plan(store, "pcp-2020-21")
    plans.set_plan_state(store, ext.id, "active")
    knife = next(i for i in indicators.list_indicators(store, plan_id=ext.id)
                 if i.name == "Knife-enabled crime")
    place = narrative.plan_place(ext.id, Section.SUMMARY)
    done = ops.write_narrative_text(store, place, "2021/22",
                                    "Knife crime rose.\n[Figure 7 (v): Knife-enabled crime]")
    saved = narrative.get_narrative(store, done.value)
    assert saved.blocks[1] == FigureRef(knife.uid, "7 (v)")
    gone = ops.delete_narrative(store, saved.id)
    assert gone.summary.startswith("Deleted the executive summary of")
    assert narrative.find_narrative(store, place, "2021/22") is None
    ops.undo(store, gone.op_id)
    assert narrative.get_narrative(store, saved.id).blocks == saved.blocks
