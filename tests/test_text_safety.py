"""Text holding control characters, and links that are not web or e-mail addresses, are refused
where they come in, naming the field; writers get text they can always write."""

from __future__ import annotations

import pytest
from test_exchange_support import database_content

from tracker.domain.model import Unit
from tracker.domain.status import Status
from tracker.domain.text import TextError, check_link, check_text, first_unsafe, safe_link, xml_safe
from tracker.store import commitments, evidence, indicators, office, partners, plans, stated_changes
from tracker.store.errors import ValidationError
from tracker.store.evidence import EvidenceInput
from tracker.store.indicators import ValueInput
from tracker.store.stated_changes import StatedInput

UNSAFE = ["\x00", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\ud800",
          "\udfff", "\ufffe", "\uffff"]


@pytest.mark.parametrize("char", UNSAFE)
def test_each_unsafe_character_is_refused_naming_the_field_and_where(char):
    with pytest.raises(TextError) as err:
        check_text(f"Delivered{char} in March", "The evidence text", "text")
    message = str(err.value)
    assert message.startswith("The evidence text holds ")
    assert f"U+{ord(char):04X}" in message and "at character 10" in message
    assert err.value.field == "text"
    assert message.count(". ") == 0 and message.endswith(".")  # one sentence


@pytest.mark.parametrize("text", ["Tab\tand\nlines\r\nkept", "£1,200 – “quoted” · é ñ 中文 🚓",
                                  "\ue000 private use", "\U0010fffd"])
def test_printable_text_tabs_and_line_breaks_pass(text):
    check_text(text, "The evidence text")
    assert first_unsafe(text) is None
    assert xml_safe(text) == text


def test_xml_safe_drops_what_xml_cannot_hold():
    from xml.etree import ElementTree

    dirty = "a" + "".join(UNSAFE) + "b\rc"
    clean = xml_safe(dirty)
    assert clean == "ab\rc"
    element = ElementTree.Element("p")
    element.text = clean
    assert ElementTree.fromstring(ElementTree.tostring(element)).text == "ab\nc"  # XML's own rule


@pytest.mark.parametrize("url", ["https://www.essex.pfcc.police.uk/", "http://example.org/a?b=1#c",
                                 "HTTPS://EXAMPLE.ORG", "mailto:pfcc@essex.police.uk",
                                 "  https://example.org/report.pdf  "])
def test_web_and_mail_links_are_safe(url):
    assert safe_link(url) == url.strip()
    assert check_link(url) == url.strip()


@pytest.mark.parametrize("url", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:x",
                                 "file:///C:/Windows/system.ini", "data:text/html,<b>x</b>",
                                 "vbscript:msgbox", "\\\\server\\share\\x.docx", "https://",
                                 "mailto:nobody", "https://a b.org", "https://a.org/\x07",
                                 "ftp://example.org/file", "report.pdf"])
def test_other_links_are_not_made_clickable_and_refused_at_input(url):
    assert safe_link(url) is None
    with pytest.raises(TextError) as err:
        check_link(url, "The link", "link")
    assert err.value.field == "link"
    assert str(err.value).startswith("The link ")


def test_a_bare_web_address_is_refused_with_the_fix():
    with pytest.raises(TextError, match=r"write it as https://www\.essex\.police\.uk"):
        check_link("www.essex.police.uk")


def test_blank_links_are_none():
    assert check_link("  ") is None and check_link(None) is None and safe_link("") is None


# --- the store's validators ---------------------------------------------------------------


def _first(store):
    plan = next(p for p in plans.list_plans(store) if "Extension" in p.title)  # open, indicators
    priority = plans.list_priorities(store, plan.id)[0]
    commitment = commitments.list_commitments(store, priority.id)[0]
    indicator = indicators.list_indicators(store, plan.id)[0]
    return plan, priority, commitment, indicator


def _refused(store, field, call):
    before = database_content(store)
    with pytest.raises(ValidationError) as err:
        call()
    assert err.value.field == field, str(err.value)
    assert " holds a " in str(err.value) or "not a web or e-mail address" in str(err.value)
    assert database_content(store) == before
    return str(err.value)


BELL = "Text\x07"


def test_every_free_text_field_refuses_control_characters(store):
    plan, priority, commitment, indicator = _first(store)
    cid, pid = commitment.id, priority.id
    cases = [
        ("text", lambda: evidence.add_evidence(store, cid, EvidenceInput(BELL))),
        ("unit", lambda: evidence.add_evidence(store, cid, EvidenceInput("ok", figure=1, unit=BELL))),
        ("link", lambda: evidence.add_evidence(store, cid, EvidenceInput("ok", link="javascript:x"))),
        ("link", lambda: evidence.add_evidence(store, cid, EvidenceInput("ok", link="file:///etc"))),
        ("text", lambda: commitments.add_commitment(store, pid, BELL)),
        ("code", lambda: commitments.add_commitment(store, pid, "ok", code=BELL)),
        ("lead", lambda: commitments.add_commitment(store, pid, "ok", lead=BELL)),
        ("text", lambda: commitments.update_commitment(store, cid, text=BELL)),
        ("lead", lambda: commitments.update_commitment(store, cid, lead=BELL)),
        ("code", lambda: commitments.update_commitment(store, cid, code=BELL)),
        ("reason", lambda: commitments.set_status(store, cid, Status.AT_RISK, BELL)),
        ("name", lambda: partners.add_partner(store, BELL)),
        ("name", lambda: indicators.add_indicator(store, pid, BELL)),
        ("source", lambda: indicators.add_indicator(store, pid, "ok", source=BELL)),
        ("name", lambda: indicators.update_indicator(store, indicator.id, name=BELL)),
        ("source", lambda: indicators.update_definition(store, indicator.id, {"source": BELL})),
        ("note", lambda: indicators.add_value(store, indicator.id,
                                              ValueInput("2030/31", 1, note=BELL))),
        ("source", lambda: indicators.set_value(store, indicator.id,
                                                ValueInput("2030/31", 1, source=BELL))),
        ("title", lambda: plans.add_plan(store, BELL, "2030-2034")),
        ("title", lambda: plans.update_plan(store, plan.id, title=BELL)),
        ("title", lambda: plans.add_priority(store, plan.id, 99, BELL)),
        ("objective", lambda: plans.update_priority(store, pid, objective=BELL)),
        ("note", lambda: plans.link_priorities(store, pid, pid, BELL)),
        ("quote", lambda: stated_changes.add_stated(store, indicator.id, StatedInput(
            "reduction", percent=21, quote=BELL))),
        ("office", lambda: office.set_office_name(store, "Essex\x1f PFCC")),
    ]
    for field, call in cases:
        _refused(store, field, call)


def test_the_refusal_names_the_field_in_words(store):
    _plan, _priority, commitment, _indicator = _first(store)
    message = _refused(store, "text", lambda: evidence.add_evidence(
        store, commitment.id, EvidenceInput("Patrols\x00 doubled")))
    assert message.startswith("The evidence text holds a control character (NUL, U+0000) at "
                              "character 8")


def test_good_links_and_text_are_stored_as_given(store):
    _plan, _priority, commitment, _indicator = _first(store)
    new_id = evidence.add_evidence(store, commitment.id, EvidenceInput(
        "Tab\tand\nlines – £1,200", link=" https://www.essex.pfcc.police.uk/report ",
        unit="officers"))
    stored = evidence.get_evidence(store, new_id)
    assert stored.text == "Tab\tand\nlines – £1,200"
    assert stored.link == "https://www.essex.pfcc.police.uk/report"


def test_a_percent_indicator_value_note_with_a_control_character(store):
    _plan, priority, _commitment, _indicator = _first(store)
    new = indicators.add_indicator(store, priority.id, "Satisfaction", unit=Unit.PERCENT)
    _refused(store, "note", lambda: indicators.check_value(
        store, new, ValueInput("2021/22", 50, note="\x1b[31m")))
