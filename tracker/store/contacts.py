"""The people at each partner who receive its workbook (name, e-mail, role), in order."""

from __future__ import annotations

from tracker.domain.contacts import Contact, check_contact
from tracker.domain.text import TextError
from tracker.store.clock import new_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError


def _contact(r) -> Contact:
    return Contact(r["name"], r["email"], r["role"], r["id"], r["partner_id"])


def list_contacts(store: Store, partner_id: int) -> list[Contact]:
    return [_contact(r) for r in store.db.query(
        "SELECT * FROM partner_contact WHERE partner_id = ? ORDER BY position, id", [partner_id])]


def contacts_by_partner(store: Store) -> dict[int, list[Contact]]:
    found: dict[int, list[Contact]] = {}
    for r in store.db.query("SELECT * FROM partner_contact ORDER BY partner_id, position, id"):
        found.setdefault(r["partner_id"], []).append(_contact(r))
    return found


def get_contact(store: Store, contact_id: int) -> Contact:
    for r in store.db.query("SELECT * FROM partner_contact WHERE id = ?", [contact_id]):
        return _contact(r)
    raise NotFoundError(f"No contact with id {contact_id}.")


def _checked(name: str, email: str, role: str | None) -> Contact:
    try:
        return check_contact(name, email, role)
    except TextError as exc:
        raise ValidationError(str(exc), exc.field) from exc


def _refuse_duplicate(store: Store, partner_id: int, email: str, own_id: int | None = None) -> None:
    taken = store.execute("SELECT name FROM partner_contact WHERE partner_id = ? AND "
                          "lower(email) = lower(?) AND id IS NOT ?",
                          (partner_id, email, own_id)).fetchone()
    if taken:
        raise ValidationError(f"{email} is already a contact of this partner ({taken[0]}).",
                              "email")


def add_contact(store: Store, partner_id: int, name: str, email: str, role: str | None = None,
                uid: str | None = None) -> int:
    contact = _checked(name, email, role)
    stamp = now()
    with store.transaction():
        if store.execute("SELECT 1 FROM partner WHERE id = ?", (partner_id,)).fetchone() is None:
            raise NotFoundError(f"No partner with id {partner_id}.")
        _refuse_duplicate(store, partner_id, contact.email)
        position = store.execute("SELECT coalesce(max(position), 0) + 1 FROM partner_contact "
                                 "WHERE partner_id = ?", (partner_id,)).fetchone()[0]
        uid = uid or new_uid()
        return store.execute(
            "INSERT INTO partner_contact (id, uid, partner_id, position, name, email, role, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row_id(uid), uid, partner_id, position, contact.name, contact.email, contact.role,
             stamp, stamp)).lastrowid


def edit_contact(store: Store, contact_id: int, name: str, email: str,
                 role: str | None = None) -> None:
    contact = _checked(name, email, role)
    with store.transaction():
        current = get_contact(store, contact_id)
        _refuse_duplicate(store, current.partner_id, contact.email, contact_id)
        store.execute("UPDATE partner_contact SET name = ?, email = ?, role = ?, updated_at = ? "
                      "WHERE id = ?", (contact.name, contact.email, contact.role, now(), contact_id))


def remove_contact(store: Store, contact_id: int) -> Contact:
    with store.transaction():
        current = get_contact(store, contact_id)
        store.execute("DELETE FROM partner_contact WHERE id = ?", (contact_id,))
        return current


def move_contact(store: Store, contact_id: int, position: int) -> None:
    """Reorder within the partner's contacts (1-based); the first is the main addressee."""
    with store.transaction():
        current = get_contact(store, contact_id)
        ids = [c.id for c in list_contacts(store, current.partner_id)]
        ids.remove(contact_id)
        ids.insert(max(0, min(position - 1, len(ids))), contact_id)
        stamp = now()
        store.conn.executemany("UPDATE partner_contact SET position = ?, updated_at = ? WHERE id = ?",
                               [(n + 1, stamp, cid) for n, cid in enumerate(ids)])
