"""Review findings in the exchange layer."""

from __future__ import annotations

import gc
import sys

import pytest

from tracker.exchange.errors import ExchangeError
from tracker.exchange.plan_workbook import export_plan_workbook


@pytest.mark.parametrize("where", ["missing/plan.xlsx", "."])
def test_export_plan_to_an_unwritable_place_says_so_in_one_line(store, tmp_path, monkeypatch, where):
    noise = []
    monkeypatch.setattr(sys, "unraisablehook", noise.append)
    out = tmp_path / where
    with pytest.raises(ExchangeError, match="Cannot write"):
        export_plan_workbook(store, out)
    gc.collect()
    assert noise == []  # no "Exception ignored ... LxmlSyntaxError" wall after the message


def test_import_plan_with_a_damaged_format_version_is_refused_in_words(store, tmp_path):
    from openpyxl import load_workbook

    from tracker.exchange.errors import WorkbookRefused
    from tracker.exchange.plan_workbook import ABOUT, import_plan_workbook
    from tracker.store.database import open_memory_store

    path = tmp_path / "plan.xlsx"
    export_plan_workbook(store, path)
    wb = load_workbook(path)
    for row in wb[ABOUT].iter_rows():
        if row[0].value == "format_version":
            row[1].value = "one"
    wb.save(path)
    copy = open_memory_store()
    try:
        with pytest.raises(WorkbookRefused, match="format_version 'one' is not a number"):
            import_plan_workbook(copy, path)
    finally:
        copy.close()
