"""Helpers shared by the partner-return tests (no tests here)."""

from __future__ import annotations

import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from tracker.exchange import layout
from tracker.exchange.return_export import export_partner
from tracker.store import partners
from tracker.store.database import Store, open_store

ROUND = "2020/21 Q4"
PARTNER = "Essex Police"


def column(sheet: str, key: str) -> str:
    columns = layout.COMMITMENT_COLUMNS if sheet == layout.COMMITMENTS else layout.INDICATOR_COLUMNS
    return get_column_letter([c.key for c in columns].index(key) + 1)


def export(store: Store, folder: Path, partner: str = PARTNER, round_label: str = ROUND) -> Path:
    found = partners.find_partner(store, partner)
    assert found is not None
    return export_partner(store, found.id, round_label, folder).path


def edit(source: Path, target: Path, edits: dict[tuple[str, str], Any] | None = None,
         change=None) -> Path:
    """A copy of `source` with cells changed, as a partner saving from a spreadsheet would."""
    wb = load_workbook(source)
    for (sheet, coordinate), value in (edits or {}).items():
        wb[sheet][coordinate] = value
    if change is not None:
        change(wb)
    wb.save(target)
    return target


def answer(sheet: str, key: str, row: int) -> tuple[str, str]:
    return (sheet, f"{column(sheet, key)}{row}")


def database_content(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table (not the FTS shadow tables): to show that nothing was written."""
    names = [r[0] for r in store.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' "
        "ORDER BY name")]
    return {n: store.conn.execute(f"SELECT * FROM {n} ORDER BY rowid").fetchall() for n in names}


def database_file_content(path: Path) -> dict[str, list[tuple]]:
    """database_content of the database file at `path`, opened to read and closed again."""
    store = open_store(path, mode="read")
    try:
        return database_content(store)
    finally:
        store.close()


def rezip(source: Path, target: Path, replace: dict[str, Callable[[bytes], bytes]] | None = None,
          add: dict[str, bytes] | None = None) -> Path:
    """Copy a workbook's (or document's) zip, replacing parts through a function of their bytes
    or adding parts, as an attacker or a broken tool would."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if replace and item.filename in replace:
                data = replace[item.filename](data)
            dst.writestr(item, data)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return target


def memory_copy(store: Store) -> Store:
    """A private in-memory copy of a database (the same uid and signing key)."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    store.conn.backup(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    return Store(sqlite_utils.Database(conn), None, store.officer)


def commitment_row_of(path: Path, code_ref: str) -> int:
    wb = load_workbook(path, read_only=True)
    for n, row in enumerate(wb[layout.COMMITMENTS].iter_rows(values_only=True), start=1):
        if row[0] == code_ref:
            return n
    raise AssertionError(code_ref)
