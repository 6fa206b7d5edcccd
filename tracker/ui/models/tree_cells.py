"""The plan tree's cells, made inside Qt without a Python object for each.

A QStandardItem made in Python carries a wrapper that Python tracks: 15,000 of them (a filter
of 3,000 commitments) cost more to free, in the cycle collector's passes on the GUI thread,
than to make (passes of 60-220 ms). So the tree's cells are described here as role values
and written by Qt itself:

- in bulk, as the byte stream QStandardItemModel reads back from its own drag and drop
  (`application/x-qstandarditemmodeldatalist`, dropped with `dropMimeData`): a whole filter's
  rows are encoded on the thread that read them, in plain Python, and Qt makes every item in
  one call on the GUI thread;
- a few rows at a time (a priority opened), with `setItemData` on empty rows.

Both give the same cells (tests/test_tree_cells.py checks the encoding against Qt's own).
"""

from __future__ import annotations

import functools
import struct
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QMimeData, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

KeyRole = Qt.ItemDataRole.UserRole.value + 1  # "kind:id" on a row's first cell (see key_of)
# A commitment's status (a Status value) on its status cell: the view inks the word in the
# status's colour (tracker.ui.widgets.status_ink). A font and a colour in every status cell
# were half of what Qt spent making a filter's 15,000 cells.
StatusRole = Qt.ItemDataRole.UserRole.value + 2
MIME_TYPE = "application/x-qstandarditemmodeldatalist"
FLAGS_ROLE = Qt.ItemDataRole.UserRole.value - 1  # where QStandardItem keeps its flags
_DISPLAY, _KEY, _STATUS = Qt.ItemDataRole.DisplayRole.value, KeyRole, StatusRole
_QSTRING, _INT = 10, 2  # QMetaType ids, as a QVariant is streamed
_CHOSEN = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable).value
_LEAF = _CHOSEN | Qt.ItemFlag.ItemNeverHasChildren.value

Cell = bytes | tuple[bytes, bytes]  # an encoded cell: see Cells.encode_cell

_int = struct.Struct(">i").pack
_two = struct.Struct(">ii").pack
_flags_variant = struct.Struct(">iIBi").pack  # role, type, is-null, value


def _text_variant(role: int, text: str) -> bytes:
    data = text.encode("utf-16-be")
    return struct.pack(">iIBI", role, _QSTRING, 0, len(data)) + data


@dataclass(frozen=True)
class Children:
    """A cell's rows of children, encoded (Cells.children): joined once, where they are made."""
    columns: int
    count: int  # cells
    streamed: bytes


@dataclass(frozen=True)
class Style:
    """How a kind of cell looks and behaves: its flags, and its font and colour (as role values
    for setItemData, and as Qt streams them)."""
    flags: int
    roles: dict
    streamed: bytes  # the roles above, as QStandardItem writes them
    count: int  # how many roles that is


def _style(flags: int, font: QFont | None = None, ink: str | None = None) -> Style:
    roles: dict = {}
    if font is not None:
        roles[Qt.ItemDataRole.FontRole.value] = font
    if ink is not None:
        roles[Qt.ItemDataRole.ForegroundRole.value] = QBrush(QColor(ink))
    if not roles:
        return Style(flags, roles, b"", 0)
    # Qt's own bytes for these values (a font and a brush stream in formats of their own).
    model = QStandardItemModel()
    item = QStandardItem()
    for role, value in roles.items():
        item.setData(value, role)
    model.appendRow(item)
    raw = bytes(model.mimeData([model.index(0, 0)]).data(MIME_TYPE))
    # row, column, role count | the roles | flags, columns, children
    return Style(flags, roles, raw[12:-12], len(roles))


class Cells:
    """The styles of the tree's cells and the two ways of writing rows of them. Made once a
    process (`cells()`), on the GUI thread: fonts need the application."""

    def __init__(self) -> None:
        bold = QFont()
        bold.setBold(True)
        self.plain = _style(_CHOSEN)
        self.leaf = _style(_LEAF)
        self.bold = _style(_CHOSEN, bold)
        self.closed = _style(_CHOSEN, bold, "#666666")

    # --- in bulk: the stream Qt reads back from a drop -----------------------------------------

    @staticmethod
    def children(rows: list[list[Cell]]) -> Children | None:
        """Rows of encoded cells as one cell's children (None for none)."""
        if not rows:
            return None
        cells = [cell for row in rows for cell in row]
        cells.reverse()  # Qt reads a cell's children last to first
        return Children(len(rows[0]), len(cells), b"".join(_flat(cells)))

    @staticmethod
    def encode_cell(text: str, style: Style, key: str | None = None,
                    children: Children | None = None, status: str | None = None
                    ) -> Cell:
        """One cell as QStandardItem streams it, with its children. A cell with children is
        given as (its own bytes, its children's): joined only once, where it is dropped or
        becomes another cell's child, so a filter's megabytes are copied as few times as
        can be."""
        count = style.count + 1 + (text != "") + (key is not None) + (status is not None)
        parts = [_int(count)]
        if text:
            parts.append(_text_variant(_DISPLAY, text))
        parts.append(_flags_variant(FLAGS_ROLE, _INT, 0, style.flags))
        parts.append(style.streamed)
        if key is not None:
            parts.append(_text_variant(_KEY, key))
        if status is not None:
            parts.append(_text_variant(_STATUS, status))
        parts.append(_int(style.flags))
        if children is not None:
            parts.append(_two(children.columns, children.count))
            return b"".join(parts), children.streamed
        parts.append(_two(0, 0))
        return b"".join(parts)

    @staticmethod
    def drop_rows(model: QStandardItemModel, rows: list[list[Cell]]) -> None:
        """Put encoded rows at the model's top level, after its rows. Each top-level cell is
        put in with a layoutChanged: the caller holds the model's signals back (inside a
        reset)."""
        parts = []
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                parts.append(_two(r, c))
                parts.extend(_flat((cell,)))
        data = QMimeData()
        data.setData(MIME_TYPE, QByteArray(b"".join(parts)))
        model.dropMimeData(data, Qt.DropAction.CopyAction, -1, 0, QModelIndex())

    # --- a few rows at a time ----------------------------------------------------------------

    @staticmethod
    def roles(text: str, style: Style, key: str | None = None, status: str | None = None
              ) -> dict:
        """One cell's role values, for setItemData (the same cell as encode_cell)."""
        values = {FLAGS_ROLE: style.flags, **style.roles}
        if text:
            values[_DISPLAY] = text
        if key is not None:
            values[_KEY] = key
        if status is not None:
            values[_STATUS] = status
        return values


@functools.cache
def cells() -> Cells:
    """The one Cells of the process (its styles are Qt's bytes for a font and a colour)."""
    return Cells()


def _flat(encoded):
    for cell in encoded:
        if isinstance(cell, tuple):
            yield from cell
        else:
            yield cell


def key_text(kind: str, item_id: int) -> str:
    return f"{kind}:{item_id}"


def key_of(index) -> tuple[str, int] | None:
    """The (kind, id) of the row an index is in, whichever column."""
    if not index.isValid():
        return None
    text = index.siblingAtColumn(0).data(KeyRole)
    if not text:
        return None
    kind, _, item_id = text.partition(":")
    return kind, int(item_id)
