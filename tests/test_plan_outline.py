"""A plan outline, pasted or in Word, becomes a plan, with problems named by line."""

from __future__ import annotations

import docx
import pytest
from docx.shared import Pt

from tracker.exchange.errors import WorkbookRefused
from tracker.exchange.plan_sheet.create import create_plan
from tracker.exchange.plan_sheet.outline import read_outline_text
from tracker.exchange.plan_sheet.outline_docx import read_outline_docx
from tracker.store import commitments, plans

# Priority 2 of the Extension 2020/21 as its text reads (tests/data/seeds/002_f359689a80dc1b0c.txt),
# with the letters the extraction kept and lost ("C." is missing from the source).
SEED_PRIORITY_2 = "\n".join([
    "Priority 2 - Crack down on Anti-Social Behaviour",
    "",
    '"Our objective is to keep our communities safe across the whole of Essex, reducing the '
    'disruption and distress anti-social behaviour causes people"',
    "",
    "Working with partners we will:",
    "",
    "- **A.** Tackle anti-social behaviour to prevent longer-term and more serious crime.",
    '- **B.** Target repeat and high harm anti-social behaviour through the continued '
    'development of Community Safety Hubs to include police, Essex County Fire and Rescue '
    'Service, Community Safety Officers, licensing, housing and environmental health in every'
    ' policing district.',
    '- Make greater use of Restorative Justice (RJ) to help put right the harm caused by '
    'anti-social behaviour, making clear to perpetrators the effect their behaviour has on '
    'individuals and communities.',
    '- **D.** Improve the response of police and partners to anti-social behaviour by '
    'listening to local communities and drawing on evidence to increase public confidence.',
    "",
    "So that anti-social behaviour is effectively tackled by police and partners",
    "",
    "Priority 3 – Breaking the Cycle of Domestic Abuse",
    "",
    '"Our objective is to help those who suffer in silence and reduce the impact on children '
    'and families"',
    "",
    'Working with and through the Domestic Abuse Strategic Board to deliver an ambitious '
    'programme of transformation we will:',
    "",
    '- Support victims and their families affected by domestic abuse to feel safe, cope and '
    'recover through targeted help and jointly commissioned services.',
    "",
])


def test_the_plans_own_text_reads_as_priorities_commitments_and_their_framing():
    draft = read_outline_text(SEED_PRIORITY_2)
    assert draft.problems == [] and draft.warnings == []
    two, three = draft.priorities
    assert (two.number, two.title) == (2, "Crack down on Anti-Social Behaviour")
    assert two.objective == ("to keep our communities safe across the whole of Essex, reducing "
                             "the disruption and distress anti-social behaviour causes people")
    assert two.outcome == "anti-social behaviour is effectively tackled by police and partners"
    assert two.partnership is None  # "Working with partners" names no partnership
    assert [c.code for c in two.commitments] == ["A", "B", None, "D"]
    assert two.commitments[2].text.startswith("Make greater use of Restorative Justice")
    assert three.partnership == ("Working with and through the Domestic Abuse Strategic Board to "
                                 "deliver an ambitious programme of transformation")
    assert three.commitments[0].place == "line 20"


def test_a_skipped_letter_and_a_priority_with_no_commitments_are_named_at_their_lines():
    draft = read_outline_text(
        "1. Local policing\n"
        "a) Provide strong visible policing\n"
        "b) Develop shared spaces\n"
        "d) Make it easier to contact the police\n"
        "\n"
        "2. Roads\n"
        "So that roads are safer\n")
    assert draft.problems == []
    assert [str(w) for w in draft.warnings] == [
        "line 4: 'D' follows 'B' in Priority 1: 'C' is missing.",
        "line 6: Priority 2 ('Roads') has no commitments under it."]
    assert [c.code for c in draft.priorities[0].commitments] == ["A", "B", "D"]


def test_indented_sub_points_roman_numerals_and_the_letter_i():
    lines = ["1. Local policing"] + [f"{chr(97 + n)}) Commitment {n + 1}" for n in range(8)] + [
        "   i) first sub-point of h",
        "   ii) second sub-point of h",
        "i) Commitment 9",
        "   - a bullet under i",
        "   and its wrapped line",
    ]
    draft = read_outline_text("\n".join(lines))
    assert draft.problems == [] and draft.warnings == []
    items = draft.priorities[0].commitments
    assert [c.code for c in items] == list("ABCDEFGHI")
    assert [(s.code, s.text) for s in items[7].children] == [
        ("i", "first sub-point of h"), ("ii", "second sub-point of h")]
    assert [s.text for s in items[8].children] == ["a bullet under i and its wrapped line"]


def test_a_commitment_before_any_priority_and_a_second_priority_1_are_problems():
    draft = read_outline_text("A. Tackle gangs\n\n1. Local policing\nA. Patrol\n\n"
                              "1. Roads\nA. Enforce speed limits\n")
    assert [str(p) for p in draft.problems] == [
        "line 1: 'Tackle gangs' comes before any numbered priority; put a line such as "
        "'Priority 1 - ...' above it.",
        "line 6: a second Priority 1 ('Roads'); the first is 'Local policing' at line 3."]
    assert not draft.can_create


def test_text_with_no_priorities_says_what_an_outline_looks_like():
    draft = read_outline_text("Minutes of the meeting\nApologies were received.\n")
    assert [str(p) for p in draft.problems] == [
        "no numbered priorities were found: an outline starts each priority with its number "
        "('Priority 1 - ...' or '1. ...') and each commitment with its letter ('A. ...')."]


def test_an_outline_becomes_a_plan_with_its_framing_and_codes(store):
    draft = read_outline_text(SEED_PRIORITY_2)
    created = create_plan(store, draft, "Extension outline", "2020/21")
    tree = plans.plan_tree(store, created.plan_id)
    two = tree.priorities[0].priority
    assert (two.number, two.outcome) == (2, "anti-social behaviour is effectively tackled by "
                                            "police and partners")
    assert [n.commitment.code for n in tree.priorities[0].commitments] == ["A", "B", None, "D"]
    assert tree.priorities[1].commitments[0].commitment.source == "pasted text, line 20"
    assert created.message == "2 priorities, 5 commitments and 0 sub-points."


def _word_outline(path) -> None:
    document = docx.Document()
    document.add_paragraph("Police and Crime Plan: Extension 2020/21", style="Title")
    document.add_paragraph("Priority 1 - More Local, Visible and Accessible Policing",
                           style="Heading 1")
    document.add_paragraph("Our objective is to ensure that crime prevention is based in the "
                           "community, that victims come first, and that you know what is "
                           "happening in your neighbourhood.")
    document.add_paragraph("We will:")
    document.add_paragraph("A. Provide strong visible, preventative policing in crime and "
                           "anti-social behaviour hotspots, town centres, neighbourhoods and around "
                           "the night-time economy.")
    sub = document.add_paragraph("around the night-time economy")
    sub.paragraph_format.left_indent = Pt(36)
    document.add_paragraph("C. Develop a series of shared spaces for officers to use such as in "
                           "fire stations and local community centres.")
    document.add_paragraph("Crack down on Anti-Social Behaviour", style="Heading 1")
    document.add_paragraph("Tackle anti-social behaviour to prevent longer-term and more serious "
                           "crime.", style="List Number")
    document.add_paragraph("Make greater use of Restorative Justice (RJ).", style="List Number")
    document.add_paragraph("Roads", style="Heading 1")
    document.save(path)


def test_a_word_outline_with_headings_word_numbering_and_indents(tmp_path):
    path = tmp_path / "Plan outline.docx"
    _word_outline(path)
    draft = read_outline_docx(path)
    assert draft.problems == []
    assert [str(w) for w in draft.warnings] == [
        "paragraph 7: 'C' follows 'A' in Priority 1: 'B' is missing.",
        "paragraph 11: Priority 3 ('Roads') has no commitments under it."]
    one, two, three = draft.priorities
    assert one.title == "More Local, Visible and Accessible Policing"
    assert one.objective.startswith("to ensure that crime prevention is based in the community")
    assert [(c.code, [s.text for s in c.children]) for c in one.commitments] == [
        ("A", ["around the night-time economy"]), ("C", [])]
    assert (two.number, [c.code for c in two.commitments]) == (2, ["1", "2"])
    assert three.title == "Roads"


def test_documents_that_are_not_plain_word_files_are_refused(tmp_path):
    macro = tmp_path / "plan.docm"
    macro.write_bytes(b"PK\x03\x04")
    with pytest.raises(WorkbookRefused, match="macro-enabled"):
        read_outline_docx(macro)
    old = tmp_path / "plan.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(WorkbookRefused, match=r"password-protected or in the old \.doc format"):
        read_outline_docx(old)


def test_a_word_outline_creates_a_plan_in_one_go(tmp_path, store):
    path = tmp_path / "Plan outline.docx"
    _word_outline(path)
    created = create_plan(store, read_outline_docx(path), "Outline plan", "2020/21")
    first = plans.plan_tree(store, created.plan_id).priorities[0].commitments[0]
    assert [c.text for c in commitments.children(store, first.commitment.id)] == [
        "around the night-time economy"]
