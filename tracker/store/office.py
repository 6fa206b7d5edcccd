"""The office that publishes the reports (a report's author), kept in the database."""

from __future__ import annotations

from tracker.store import texts
from tracker.store.database import Store
from tracker.store.errors import ValidationError

OFFICE_SETTING = "report.office"


def office_name(store: Store) -> str | None:
    """"Police, Fire and Crime Commissioner for Essex"; None when not set."""
    row = store.execute("SELECT value FROM app_setting WHERE name = ?",
                        (OFFICE_SETTING,)).fetchone()
    return row[0] if row and row[0] else None


def set_office_name(store: Store, name: str | None) -> None:
    texts.check(name, "The office's name", "office")
    text = " ".join(str(name or "").split())
    if len(text) > 200:
        raise ValidationError("The office's name is longer than 200 characters.", "office")
    with store.transaction():
        if text:
            store.execute("INSERT OR REPLACE INTO app_setting (name, value) VALUES (?, ?)",
                          (OFFICE_SETTING, text))
        else:
            store.execute("DELETE FROM app_setting WHERE name = ?", (OFFICE_SETTING,))
