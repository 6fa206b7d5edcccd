"""Commitments by status in each priority, painted with QPainter: one horizontal stacked bar per
priority, its number and title on the left, the count in each part and the total at the end.

Costs nothing until it is painted (no plot library). Click a part: the tree shows that
priority's commitments with that status; click the title or the total: the priority. By
keyboard, Up/Down move between priorities, Left/Right between the parts of one, Enter opens
what is marked; a tooltip names each part.

Signals:
    priority_chosen(int): a priority id.
    part_chosen(int, str): a priority id and a Status value.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from tracker.domain.status import Status
from tracker.reports.palette import STATUS_FILL, STATUS_OUTLINE, ink_on
from tracker.store.overview import PriorityCounts

ROW = 26
BAR = 19
GAP = 8


def describe(rows: list[PriorityCounts]) -> str:
    """What the chart shows, in words (its accessible description, and the printed table)."""
    parts = []
    for p in rows:
        counts = ", ".join(f"{n} {s.label.lower()}" for s, n in p.counts.counts.items() if n)
        parts.append(f"Priority {p.number}, {p.title}: {p.counts.total} commitments"
                     + (f" ({counts})" if counts else ""))
    return ". ".join(parts) + "." if parts else "No priorities."


class StatusBars(QWidget):
    priority_chosen = Signal(object)
    part_chosen = Signal(object, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.rows: list[PriorityCounts] = []
        self.current = 0
        self.part: Status | None = None  # the part marked by keyboard; None: the priority
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Commitments by status in each priority")
        self.setToolTip("")
        self._hit: list[tuple[QRect, int, Status | None]] = []

    def set_rows(self, rows: list[PriorityCounts]) -> None:
        self.rows = list(rows)
        self.current = min(self.current, max(len(self.rows) - 1, 0))
        self.setAccessibleDescription(describe(self.rows))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(480, max(1, len(self.rows)) * ROW + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(300, max(1, len(self.rows)) * ROW + 4)

    # --- geometry --------------------------------------------------------------------------

    def _label_width(self) -> int:
        return max(150, min(int(self.width() * 0.45), 380))

    def _layout(self) -> list[tuple[QRect, int, Status | None]]:
        """(rectangle, row, status or None for the title and total) for each clickable part."""
        parts: list[tuple[QRect, int, Status | None]] = []
        if not self.rows:
            return parts
        label_w = self._label_width()
        metrics = QFontMetrics(self._bold())
        total_w = metrics.horizontalAdvance("000") + GAP
        bar_w = max(40, self.width() - label_w - total_w - 2 * GAP)
        biggest = max(p.counts.total for p in self.rows) or 1
        for i, p in enumerate(self.rows):
            top = 2 + i * ROW
            parts.append((QRect(0, top, label_w, ROW), i, None))
            x = label_w + GAP
            for status in Status:
                n = p.counts[status]
                if not n:
                    continue
                width = max(2, round(bar_w * n / biggest))
                parts.append((QRect(x, top + (ROW - BAR) // 2, width, BAR), i, status))
                x += width
            parts.append((QRect(x, top, total_w + GAP, ROW), i, None))
        return parts

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def part_at(self, point: QPoint) -> tuple[int, Status | None] | None:
        for rect, row, status in self._layout():
            if rect.contains(point):
                return row, status
        return None

    def part_rect(self, row: int, status: Status | None = None) -> QRect:
        """Where a part is drawn (tests click there)."""
        for rect, r, s in self._layout():
            if r == row and s == status:
                return rect
        return QRect()

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        label_w = self._label_width()
        metrics = QFontMetrics(self.font())
        bold = self._bold()
        ends: dict[int, int] = {}
        for rect, row, status in self._layout():
            p = self.rows[row]
            if status is None:
                if rect.x() == 0:
                    title = metrics.elidedText(f"{p.number}  {p.title}", Qt.TextElideMode.ElideRight,
                                               label_w - 6)
                    painter.setPen(QColor("#1f2937"))
                    painter.setFont(self.font())
                    painter.drawText(rect.adjusted(2, 0, -4, 0),
                                     Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title)
                else:
                    ends[row] = rect.x()
                    painter.setFont(bold)
                    painter.setPen(QColor("#1f2937"))
                    painter.drawText(rect.adjusted(GAP // 2, 0, 0, 0),
                                     Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                                     str(p.counts.total))
                continue
            fill = STATUS_FILL[status]
            painter.fillRect(rect, QColor(fill))
            painter.setPen(QPen(QColor(STATUS_OUTLINE if status is Status.NOT_ASSESSED else "white"), 1))
            painter.drawRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5))
            text = str(p.counts[status])
            if metrics.horizontalAdvance(text) + 4 <= rect.width():
                painter.setPen(QColor(ink_on(fill)))
                painter.setFont(self.font())
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        if self.hasFocus() and self.rows:
            focus = QRect(0, 2 + self.current * ROW, self.width() - 1, ROW - 1)
            if self.part is not None:
                focus = self.part_rect(self.current, self.part).adjusted(-2, -2, 1, 1)
            painter.setPen(QPen(self.palette().highlight().color(), 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(focus)
        painter.end()

    # --- interaction -----------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            found = self.part_at(event.pos())
            if found is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tip(*found), self)
            return True
        return super().event(event)

    def tip(self, row: int, status: Status | None) -> str:
        p = self.rows[row]
        if status is None:
            return (f"Priority {p.number}: {p.title}\n{p.counts.total} commitments: "
                    f"{p.counts.describe()}\nClick to open the priority")
        return (f"Priority {p.number}: {p.title}\n{status.shape} {status.label}: "
                f"{p.counts[status]} of {p.counts.total}\nClick to list them in the tree")

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        over = self.part_at(event.position().toPoint()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if over else Qt.CursorShape.ArrowCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        found = self.part_at(event.position().toPoint())
        if found is None:
            return
        row, status = found
        self.current = row
        self.update()
        self.choose(row, status)

    def choose(self, row: int, status: Status | None = None) -> None:
        if not 0 <= row < len(self.rows):
            return
        priority_id = self.rows[row].priority_id
        if status is None:
            self.priority_chosen.emit(priority_id)
        else:
            self.part_chosen.emit(priority_id, status.value)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and self.rows:
            step = -1 if key == Qt.Key.Key_Up else 1
            self.current = max(0, min(len(self.rows) - 1, self.current + step))
            self.part = None
            self._marked()
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self.rows:
            parts = [None, *(s for s in Status if self.rows[self.current].counts[s])]
            at = parts.index(self.part) if self.part in parts else 0
            at = max(0, min(len(parts) - 1, at + (1 if key == Qt.Key.Key_Right else -1)))
            self.part = parts[at]
            self._marked()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.choose(self.current, self.part)
        else:
            super().keyPressEvent(event)

    def _marked(self) -> None:
        """Say what is marked now (a screen reader reads the description)."""
        self.update()
        self.setAccessibleDescription(self.tip(self.current, self.part).split("\nClick")[0])
