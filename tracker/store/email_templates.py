"""The office's own wording of e-mail drafts, kept in the database so the whole team shares it.
Checking a template's placeholders is the exchange layer's (tracker.exchange.email_draft)."""

from __future__ import annotations

from tracker.store.clock import now
from tracker.store.database import Store
from tracker.store.errors import ValidationError

KINDS = ("send", "remind")


def saved_template(store: Store, kind: str) -> str | None:
    """The office's template of this kind, or None for the tracker's own wording."""
    _check_kind(kind)
    row = store.execute("SELECT text FROM email_template WHERE kind = ?", (kind,)).fetchone()
    return row[0] if row else None


def save_template(store: Store, kind: str, text: str | None) -> None:
    """Keep the office's wording; None goes back to the tracker's own."""
    _check_kind(kind)
    with store.transaction():
        if text is None:
            store.execute("DELETE FROM email_template WHERE kind = ?", (kind,))
        else:
            store.execute("INSERT INTO email_template (kind, text, updated_at, updated_by) "
                          "VALUES (?, ?, ?, ?) ON CONFLICT (kind) DO UPDATE SET text = excluded.text, "
                          "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                          (kind, text, now(), store.officer))


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValidationError(f"'{kind}' is not a kind of e-mail template; use send or remind.",
                              "kind")
