"""Operations on a partner's contacts: the people its round e-mail drafts are addressed to."""

from __future__ import annotations

from tracker.ops.core import operation
from tracker.ops.result import OpResult
from tracker.store import contacts, partners
from tracker.store.database import Store

__all__ = ["add_contact", "edit_contact", "move_contact", "partner_named", "remove_contact"]


def partner_named(store: Store, name_or_key: str) -> int:
    """The id of the partner with this name or key; NotFoundError lists the partners."""
    return partners.partner_named(store, name_or_key).id


def add_contact(store: Store, partner_id: int, name: str, email: str,
                role: str | None = None) -> OpResult:
    """`value` is the new contact's id. ValidationError names a bad or repeated field."""
    partner = partners.get_partner(store, partner_id)
    with operation(store, "add_contact") as op:
        op.value = contacts.add_contact(store, partner_id, name, email, role)
        added = contacts.get_contact(store, op.value)
        op.summary = f"Added {added.name} <{added.email}> to {partner.name}'s contacts"
    return op.result


def edit_contact(store: Store, contact_id: int, name: str, email: str,
                 role: str | None = None) -> OpResult:
    before = contacts.get_contact(store, contact_id)
    partner = partners.get_partner(store, before.partner_id)
    with operation(store, "edit_contact") as op:
        contacts.edit_contact(store, contact_id, name, email, role)
        after = contacts.get_contact(store, contact_id)
        op.summary = f"Changed {partner.name}'s contact {before.name} to {after.name} <{after.email}>"
    return op.result


def remove_contact(store: Store, contact_id: int) -> OpResult:
    current = contacts.get_contact(store, contact_id)
    partner = partners.get_partner(store, current.partner_id)
    with operation(store, "remove_contact") as op:
        op.value = contacts.remove_contact(store, contact_id)
        op.summary = f"Removed {current.name} <{current.email}> from {partner.name}'s contacts"
    return op.result


def move_contact(store: Store, contact_id: int, position: int) -> OpResult:
    current = contacts.get_contact(store, contact_id)
    with operation(store, "move_contact") as op:
        contacts.move_contact(store, contact_id, position)
        op.summary = f"Moved {current.name} to place {position} in the partner's contacts"
    return op.result
