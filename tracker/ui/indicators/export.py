"""An indicator's chart as it leaves the tracker: PNG or SVG file, or the clipboard.

Withheld values are left out here, whatever the window shows.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from tracker.reports.charts import render_chart
from tracker.store import queries
from tracker.store.database import Store

EXPORT_SIZE = (1000, 500)


def chart_bytes(store: Store, indicator_id: int, fmt: str) -> bytes:
    indicator = queries.get_indicator(store, indicator_id)
    values = queries.list_values(store, indicator_id, include_withheld=False)
    return render_chart(indicator, values, fmt, *EXPORT_SIZE)


def export_chart(store: Store, indicator_id: int, path: str | Path) -> Path:
    path = Path(path)
    path.write_bytes(chart_bytes(store, indicator_id, path.suffix.lstrip(".").lower()))
    return path


def copy_chart(store: Store, indicator_id: int) -> None:
    QApplication.clipboard().setImage(QImage.fromData(chart_bytes(store, indicator_id, "png")))


def suggested_name(indicator_name: str, fmt: str) -> str:
    safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in indicator_name)
    return f"{safe.strip()[:60] or 'chart'}.{fmt}"


def ask_export_path(parent: QWidget | None, fmt: str, suggested: str) -> str:
    """The file to export to, or "" if the officer cancels."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export chart", suggested, f"{fmt.upper()} image (*.{fmt})")
    if path and not path.lower().endswith(f".{fmt}"):
        path += f".{fmt}"
    return path


def ask_and_export(parent: QWidget | None, store: Store, indicator_id: int, fmt: str,
                   ask=ask_export_path) -> str:
    """Ask for a file and write the chart; the error message if it could not be written,
    "" otherwise (also when the officer cancels)."""
    name = queries.get_indicator(store, indicator_id).name
    path = ask(parent, fmt, suggested_name(name, fmt))
    if not path:
        return ""
    try:
        export_chart(store, indicator_id, path)
    except OSError as exc:
        return f"The chart could not be written to {path}: {exc.strerror or exc}"
    return ""
