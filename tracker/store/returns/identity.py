"""Which database a workbook came from, and the key that seals its hidden identifiers."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable

from tracker.store.clock import new_uid
from tracker.store.database import Store

DATABASE_UID_SETTING = "database.uid"
EXCHANGE_SECRET_SETTING = "exchange.secret"


def _setting(store: Store, name: str) -> str | None:
    row = store.execute("SELECT value FROM app_setting WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def _ensure_setting(store: Store, name: str, make: Callable[[], str]) -> str:
    value = _setting(store, name)
    if value:
        return value
    with store.transaction():
        value = _setting(store, name)
        if not value:
            value = make()
            store.execute("INSERT OR REPLACE INTO app_setting (name, value) VALUES (?, ?)",
                          (name, value))
    return value


def database_uid(store: Store, create: bool = True) -> str | None:
    """The identifier workbooks carry to say which database they came from."""
    if not create:
        return _setting(store, DATABASE_UID_SETTING)
    return _ensure_setting(store, DATABASE_UID_SETTING, new_uid)


def signing_key(store: Store, create: bool = True) -> bytes | None:
    """The key that seals a workbook's hidden identifiers against editing."""
    value = (_setting(store, EXCHANGE_SECRET_SETTING) if not create
             else _ensure_setting(store, EXCHANGE_SECRET_SETTING, lambda: secrets.token_hex(32)))
    return bytes.fromhex(value) if value else None


def seal(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode("utf-8"), "sha256").hexdigest()
