"""E-mail drafts: one .eml per partner, its workbook attached, from a template; never sent."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes
from email.policy import default

import pytest

from tracker import ops
from tracker.domain.contacts import Contact, check_contact
from tracker.domain.text import TextError
from tracker.exchange.email_draft import (
    REMIND_TEMPLATE,
    SEND_TEMPLATE,
    DraftRequest,
    TemplateError,
    check_template,
    write_drafts,
)


def _sent(store, tmp_path):
    result = ops.send_returns(store, "2021/22 Q2", tmp_path / "out", due_date=date(2021, 7, 31))
    return {w.partner_name: w for w in result.value}


def _request(workbook, contacts=(), partner="Essex Police") -> DraftRequest:
    return DraftRequest(partner, tuple(contacts), workbook.path, "2021/22 Q2", date(2021, 7, 31),
                        workbook.commitments, workbook.indicator_rows, date(2021, 7, 1))


def test_a_draft_parses_back_as_an_email_with_the_workbook_attached(store, tmp_path):
    sent = _sent(store, tmp_path)
    police = sent["Essex Police"]
    contacts = [Contact("Sam Taylor", "sam.taylor@essex.police.uk", "Performance lead"),
                Contact("O'Neill, Jo", "jo.oneill@essex.police.uk")]
    [draft] = write_drafts([_request(police, contacts)], SEND_TEMPLATE, "Priya Shah",
                           tmp_path / "drafts", sender="priya.shah@example.org")
    assert draft.path == tmp_path / "drafts" / (police.path.stem + ".eml")
    raw = draft.path.read_bytes()
    assert b"\r\n" in raw and b"\n\n" not in raw.replace(b"\r\n", b"")  # CRLF throughout
    message = message_from_bytes(raw, policy=default)
    assert message["Subject"] == "Essex Police: partner return for 2021/22 Q2, due back by 31 July 2021"
    assert [a.addr_spec for a in message["To"].addresses] == [
        "sam.taylor@essex.police.uk", "jo.oneill@essex.police.uk"]
    assert message["To"].addresses[1].display_name == "O'Neill, Jo"
    assert message["From"].addresses[0].addr_spec == "priya.shah@example.org"
    assert message["X-Unsent"] == "1"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Dear Sam Taylor and O'Neill, Jo,\n")
    assert (f"Essex Police's partner return for 2021/22 Q2: {police.commitments} commitments and "
            f"{police.indicator_rows} indicator figures.") in " ".join(body.split())
    assert body.rstrip().endswith("Priya Shah\nPolice, Fire and Crime Commissioner's office")
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == police.path.name
    assert attachment.get_content_type() == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert attachment.get_content() == police.path.read_bytes()


def test_a_partner_without_contacts_gets_a_draft_to_address_by_hand(store, tmp_path):
    sent = _sent(store, tmp_path)
    [draft] = write_drafts([_request(sent["Essex Police"])], SEND_TEMPLATE, "Priya Shah",
                           tmp_path / "drafts")
    message = message_from_bytes(draft.path.read_bytes(), policy=default)
    assert message["To"] is None and draft.to == ()
    assert "Dear colleagues," in message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert draft.warnings == ("Essex Police has no contacts: the draft has no addressee; add one "
                              "in the draft, or add the partner's contacts and write the drafts "
                              "again.",)


def test_a_reminder_says_how_late_and_attaches_the_workbook_again(store, tmp_path):
    sent = _sent(store, tmp_path)
    police = sent["Essex Police"]
    [draft] = write_drafts([_request(police, [Contact("Sam Taylor", "sam@essex.police.uk")])],
                           REMIND_TEMPLATE, "Priya Shah", tmp_path / "drafts", reminder=True,
                           today=date(2021, 8, 9))
    assert draft.path.name == police.path.stem + "_reminder.eml"
    message = message_from_bytes(draft.path.read_bytes(), policy=default)
    assert message["Subject"] == ("Reminder: Essex Police's return for 2021/22 Q2 was due back on "
                                  "31 July 2021")
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content() == police.path.read_bytes()


def test_the_office_can_reword_the_template_with_placeholders(store, tmp_path):
    sent = _sent(store, tmp_path)
    own = "Subject: ${round} return from ${partner}\n\nHello ${names}, ${days_overdue} late. $$0.\n"
    [draft] = write_drafts([_request(sent["Essex Police"])], own, "Priya Shah", tmp_path,
                           today=date(2021, 8, 2))
    message = message_from_bytes(draft.path.read_bytes(), policy=default)
    assert message["Subject"] == "2021/22 Q2 return from Essex Police"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body == "Hello colleagues, 2 days late. $0.\n"


@pytest.mark.parametrize(("template", "message"), [
    ("Dear ${names}", "first line must be the subject"),
    ("Subject:\n\nBody", "subject line is empty"),
    ("Subject: Return\n\n", "no message under its subject line"),
    ("Subject: Return\n\nDear ${name},", "names ${name}, which is not a placeholder"),
    ("Subject: Return costs $5\n\nBody", "'$' that starts no placeholder"),
])
def test_a_template_that_cannot_be_used_says_what_to_change(template, message):
    with pytest.raises(TemplateError) as caught:
        check_template(template)
    assert message in str(caught.value)


def test_contacts_are_checked_where_they_are_typed():
    assert check_contact("  Sam  Taylor ", "Sam.Taylor@Essex.Police.UK ", " Lead ") == Contact(
        "Sam Taylor", "Sam.Taylor@essex.police.uk", "Lead")
    assert check_contact("Jo", "mailto:jo@example.org").email == "jo@example.org"
    for bad in ("jo@", "jo example@x.org", "jo@@x.org", "<jo@x.org>", "jo@x", "jo@x..org"):
        with pytest.raises(TextError, match="is not an e-mail address"):
            check_contact("Jo", bad)
    with pytest.raises(TextError, match="needs a name"):
        check_contact(" ", "jo@example.org")
