"""Partner organisations and what is assigned to them."""

from __future__ import annotations

from tracker.domain.model import Partner
from tracker.store import rows, texts
from tracker.store.clock import new_uid, now, row_id
from tracker.store.database import Store
from tracker.store.errors import NotFoundError, ValidationError


def list_partners(store: Store) -> list[Partner]:
    return [rows.partner(r) for r in store.query("SELECT * FROM partner ORDER BY name")]


def partner_named(store: Store, name_or_key: str) -> Partner:
    """The partner with this name or key; NotFoundError naming the partners there are."""
    found = find_partner(store, name_or_key)
    if found is None:
        known = ", ".join(p.name for p in list_partners(store))
        raise NotFoundError(f"No partner '{name_or_key}'. Partners: {known or 'none'}.")
    return found


def get_partner(store: Store, partner_id: int) -> Partner:
    for r in store.query("SELECT * FROM partner WHERE id = ?", [partner_id]):
        return rows.partner(r)
    raise NotFoundError(f"No partner with id {partner_id}.")


def find_partner(store: Store, name_or_key: str) -> Partner | None:
    text = " ".join(name_or_key.split())
    for r in store.query(
        "SELECT * FROM partner WHERE key = ? OR lower(name) = lower(?)", [text, text]
    ):
        return rows.partner(r)
    return None


def add_partner(store: Store, name: str, key: str | None = None, uid: str | None = None) -> int:
    texts.check_fields({"name": name, "key": key},
                       {"name": "The partner name", "key": "The partner key"})
    name = " ".join(name.split())
    if not name:
        raise ValidationError("A partner needs a name.", "name")
    stamp = now()
    with store.transaction():
        cur = store.execute(
            "INSERT INTO partner (id, uid, key, name, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (row_id(uid := uid or new_uid()), uid, key, name, stamp, stamp),
        )
        return cur.lastrowid


def commitment_partner_ids(store: Store, commitment_id: int) -> list[int]:
    return [r["partner_id"] for r in store.query(
        "SELECT partner_id FROM commitment_partner WHERE commitment_id = ?", [commitment_id])]


def set_commitment_partners(store: Store, commitment_id: int, partner_ids: list[int]) -> None:
    with store.transaction():
        store.execute("DELETE FROM commitment_partner WHERE commitment_id = ?", (commitment_id,))
        store.conn.executemany(
            "INSERT INTO commitment_partner (commitment_id, partner_id) VALUES (?, ?)",
            [(commitment_id, p) for p in dict.fromkeys(partner_ids)],
        )
        store.execute("UPDATE commitment SET updated_at = ? WHERE id = ?", (now(), commitment_id))


def indicator_partner_ids(store: Store, indicator_id: int) -> list[int]:
    return [r["partner_id"] for r in store.query(
        "SELECT partner_id FROM indicator_partner WHERE indicator_id = ?", [indicator_id])]
