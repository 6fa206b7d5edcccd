"""A partner's contacts and the office's wording of the drafts: edited through operations,
logged, refused in words."""

from __future__ import annotations

import pytest

from tracker import ops
from tracker.cli import main
from tracker.exchange.email_draft import SEND_TEMPLATE, TemplateError
from tracker.store import contacts, partners
from tracker.store.errors import NotFoundError, ValidationError


def _police(store) -> int:
    return partners.find_partner(store, "Essex Police").id


def test_contacts_are_added_edited_reordered_and_removed_with_a_log(store):
    police = _police(store)
    first = ops.add_contact(store, police, "Sam Taylor", "sam.taylor@essex.police.uk", "Lead")
    second = ops.add_contact(store, police, "Jo Bloggs", "jo.bloggs@essex.police.uk")
    assert first.summary == "Added Sam Taylor <sam.taylor@essex.police.uk> to Essex Police's contacts"
    ops.move_contact(store, second.value, 1)
    assert [c.name for c in contacts.list_contacts(store, police)] == ["Jo Bloggs", "Sam Taylor"]
    ops.edit_contact(store, first.value, "Sam Taylor-Reid", "sam.taylor@essex.police.uk", None)
    assert contacts.get_contact(store, first.value).name == "Sam Taylor-Reid"
    ops.remove_contact(store, second.value)
    assert [c.name for c in contacts.list_contacts(store, police)] == ["Sam Taylor-Reid"]
    assert [e.kind for e in ops.log_entries(store, limit=4)] == [
        "remove_contact", "edit_contact", "move_contact", "add_contact"]
    ops.undo(store, ops.log_entries(store, limit=1)[0].uid)  # the removal, taken back
    assert len(contacts.list_contacts(store, police)) == 2


def test_bad_contacts_are_refused_naming_the_field(store):
    police = _police(store)
    ops.add_contact(store, police, "Sam Taylor", "sam@essex.police.uk")
    with pytest.raises(ValidationError, match="already a contact of this partner") as caught:
        ops.add_contact(store, police, "Samuel", "SAM@essex.police.uk")
    assert caught.value.field == "email"
    with pytest.raises(ValidationError, match="is not an e-mail address"):
        ops.add_contact(store, police, "Sam", "sam(at)essex")
    with pytest.raises(NotFoundError, match=r"No partner 'Essex Constabulary'\. Partners:"):
        ops.partner_named(store, "Essex Constabulary")


def test_the_command_line_lists_adds_and_removes_contacts(sample_db, capsys):
    assert main(["add-contact", "Essex Police", "Sam Taylor", "sam@essex.police.uk",
                 "--role", "Performance lead", "--db", str(sample_db)]) == 0
    capsys.readouterr()
    assert main(["contacts", "Essex Police", "--db", str(sample_db)]) == 0
    assert capsys.readouterr().out == "Essex Police\n  Sam Taylor <sam@essex.police.uk> (Performance lead)\n"
    assert main(["remove-contact", "Essex Police", "sam@essex.police.uk", "--db", str(sample_db)]) == 0
    capsys.readouterr()
    assert main(["contacts", "Essex Police", "--db", str(sample_db)]) == 0
    assert capsys.readouterr().out == "Essex Police: no contacts\n"


def test_the_office_rewords_the_drafts_and_can_go_back(store, sample_db, tmp_path, capsys):
    own = "Subject: ${round} return\n\nHello ${names},\nplease send it back by ${due}.\n"
    ops.set_email_template(store, "send", own)
    assert ops.email_template(store, "send") == own
    with pytest.raises(TemplateError, match=r"names \$\{colour\}"):
        ops.set_email_template(store, "send", "Subject: x\n\n${colour}")
    ops.set_email_template(store, "send", None)
    assert ops.email_template(store, "send") == SEND_TEMPLATE
    path = tmp_path / "mine.txt"
    path.write_text(own, encoding="utf-8")
    store.close()
    assert main(["email-template", "remind", "--set", str(path), "--db", str(sample_db)]) == 0
    capsys.readouterr()
    assert main(["email-template", "remind", "--db", str(sample_db)]) == 0
    assert capsys.readouterr().out == own
