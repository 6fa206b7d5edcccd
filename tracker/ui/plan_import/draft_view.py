"""The preview of a plan draft: the tree it would create, and every problem and warning at its
place. Shows only; the dialogs around it build the draft and create the plan."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.wording import count_of
from tracker.exchange.plan_sheet.draft import DraftCommitment, PlanDraft

COLUMNS = ("Priority, commitment or sub-point", "Status", "Lead", "Due", "Partners", "From")
PROBLEM_COLOUR = "#b00020"
WARNING_COLOUR = "#8a5a00"


class DraftView(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.summary = QLabel("Nothing to preview yet.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setAccessibleName("Preview of the plan")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        for column, width in ((1, 140), (2, 100), (3, 76), (4, 110), (5, 115)):
            self.tree.setColumnWidth(column, width)
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        self.findings.setAccessibleName("Problems and warnings")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(self.findings)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)

    def show_draft(self, draft: PlanDraft | None, refused: str | None = None) -> None:
        self.tree.clear()
        self.findings.clear()
        if draft is None:
            self.summary.setText(refused or "Nothing to preview yet.")
            return
        parts = [count_of(len(draft.priorities), "priority", "priorities"),
                 count_of(draft.commitment_count, "commitment"),
                 count_of(draft.subpoint_count, "sub-point")]
        new = draft.new_partners()
        if new:
            parts.append(count_of(len(new), "new partner") + f" ({', '.join(new)})")
        where = draft.source + (f", sheet '{draft.sheet}'" if draft.sheet else "")
        state = ("No problems." if draft.can_create else
                 f"{count_of(len(draft.problems), 'problem')} to fix before the plan can be "
                 "created." if draft.problems else "No commitments to create.")
        self.summary.setText(f"{where}: {', '.join(parts)}. {state}")
        for priority in draft.priorities:
            top = QTreeWidgetItem([f"{priority.number}. {priority.title}", "", "", "", "",
                                   priority.place])
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            framing = [t for t in (priority.objective and f"Objective: {priority.objective}",
                                   priority.partnership and f"Partnership: {priority.partnership}",
                                   priority.outcome and f"Outcome: {priority.outcome}") if t]
            if framing:
                top.setToolTip(0, "\n".join(framing))
            self.tree.addTopLevelItem(top)
            for item in priority.commitments:
                node = self._item(item)
                top.addChild(node)
                for child in item.children:
                    node.addChild(self._item(child))
            top.setExpanded(True)
        # Columns the source has nothing for (an outline has no leads or dates) give their room
        # to the text.
        items = [i for c in draft.commitments() for i in (c, *c.children)]
        for column, present in ((2, any(i.lead for i in items)), (3, any(i.due for i in items)),
                                (4, any(i.partners for i in items))):
            self.tree.setColumnHidden(column, not present)
        for finding, colour, word in ([(p, PROBLEM_COLOUR, "Problem") for p in draft.problems]
                                      + [(w, WARNING_COLOUR, "Warning") for w in draft.warnings]):
            row = QListWidgetItem(f"{word}: {finding}")
            row.setForeground(QBrush(QColor(colour)))
            self.findings.addItem(row)

    @staticmethod
    def _item(item: DraftCommitment) -> QTreeWidgetItem:
        code = f"{item.code}. " if item.code else ""
        status = f"{item.status.shape} {item.status.label}"
        if item.status_from:
            status += f" ({item.status_from})"
        node = QTreeWidgetItem([f"{code}{item.text}", status, item.lead or "",
                                f"{item.due.due:%d/%m/%Y}" if item.due else "",
                                ", ".join(item.partners), item.place])
        node.setToolTip(0, item.text + (f"\n\nNotes: {item.notes}" if item.notes else ""))
        node.setForeground(1, QBrush(QColor(item.status.colour)))
        return node
