"""The right-hand pane: what is selected in the tree, editable in place.

A plan or a priority shows its fields above its overview; a commitment shows the commitment
page. Nothing selected shows a hint.

Signals:
    navigate(tuple): go to ("priority" | "commitment", id) in the tree.
    status_chosen(int, str): a part of an overview's bar was chosen: the tree should list that
        priority's commitments with that status (priority id, Status value).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from tracker import ops
from tracker.store import queries
from tracker.store.database import Store
from tracker.store.errors import StoreError
from tracker.ui.history import History
from tracker.ui.models.plan_tree import COMMITMENT, PLAN, PRIORITY
from tracker.ui.widgets.commitment_page import CommitmentPage
from tracker.ui.widgets.field_form import FieldForm
from tracker.ui.widgets.overview_panel import OverviewPanel
from tracker.ui.widgets.text_colour import set_text_colour


class SummaryPage(QWidget):
    """A plan or a priority: its fields, then the overview."""

    def __init__(self, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.kind = kind
        self.item_id: int | None = None
        self.store: Store | None = None
        self.history: History | None = None
        self.values: dict = {}
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.closed_note = QLabel()
        self.closed_note.setWordWrap(True)  # a long plan title must not widen the pane
        self.closed_note.setStyleSheet("background:#eeeeee; color:#333; padding:4px; border-radius:3px;")
        self.closed_note.hide()
        if kind == PLAN:
            # The plan's "source" is a note of where its text was taken from (a code such as
            # EXT in the sample): kept for the records, not a field to edit here.
            specs = [("title", "&Title", "line", "The plan's title"),
                     ("period", "&Period", "line", "The years the plan covers, e.g. 2021-2024")]
        else:
            specs = [("title", "&Title", "line", "The priority's title"),
                     ("objective", "&Objective", "text", "Our objective is …"),
                     ("partnership", "P&artnership", "line", "The partnership that delivers it"),
                     ("outcome", "O&utcome", "text", "So that …")]
        self.form = FieldForm(specs, self._commit)
        self.overview = OverviewPanel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.closed_note)
        layout.addWidget(self.form)
        layout.addWidget(self.overview, 1)

    def show_item(self, store: Store, history: History, item_id: int, writable: bool) -> None:
        self.store, self.history, self.item_id = store, history, item_id
        if self.kind == PLAN:
            plan = queries.get_plan(store, item_id)
            self.values = {"title": plan.title, "period": plan.period}
            state = "Closed (read-only)" if plan.is_closed else plan.state.label
            self.heading.setText(f"<h2>{plan.title}</h2><span style='color:#555'>Plan {plan.period}"
                                 f" · {state}</span>")
            plan_id, priority_id = plan.id, None
        else:
            pr = queries.get_priority(store, item_id)
            plan = queries.get_plan(store, pr.plan_id)
            self.values = {"title": pr.title, "objective": pr.objective,
                           "partnership": pr.partnership, "outcome": pr.outcome}
            self.heading.setText(f"<h2>Priority {pr.number}: {pr.title}</h2>"
                                 f"<span style='color:#555'>{plan.title}</span>")
            plan_id, priority_id = plan.id, pr.id
        editable = writable and not plan.is_closed
        if plan.is_closed:
            self.closed_note.setText(f"{plan.title} is closed: it can be read, not changed. "
                                     "Plan ▸ Reopen plan makes it editable again.")
        elif not writable:
            self.closed_note.setText("This database is open read-only.")
        self.closed_note.setVisible(not editable)
        self.form.load(self.values, editable)
        self.overview.show_for(store, plan_id, priority_id)

    def _commit(self, name: str, value: str) -> StoreError | None:
        kind, item_id = self.kind, self.item_id
        done = self.history.perform(lambda s: ops.edit_fields(s, kind, item_id, **{name: value}),
                                    f"Edit {kind} {name}")
        return None if isinstance(done, ops.OpResult) else done


class DetailPane(QStackedWidget):
    navigate = Signal(object)
    status_chosen = Signal(object, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.hint = QLabel("Select a plan, a priority or a commitment in the tree.")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_text_colour(self.hint, "#666")
        self.addWidget(self.hint)
        # The pages are made when first shown (or asked for): the window opens on the hint.
        self._pages: dict[str, QWidget] = {}
        self.key: tuple[str, int] | None = None

    def _page(self, kind: str) -> QWidget:
        page = self._pages.get(kind)
        if page is None:
            if kind == COMMITMENT:
                page = CommitmentPage()
                page.open_commitment.connect(lambda i: self.navigate.emit((COMMITMENT, i)))
            else:
                page = SummaryPage(kind)
                page.overview.priority_clicked.connect(lambda i: self.navigate.emit((PRIORITY, i)))
                page.overview.commitment_clicked.connect(
                    lambda i: self.navigate.emit((COMMITMENT, i)))
                page.overview.part_clicked.connect(self.status_chosen.emit)
            self._pages[kind] = page
            self.addWidget(page)
        return page

    @property
    def plan_page(self) -> SummaryPage:
        return self._page(PLAN)

    @property
    def priority_page(self) -> SummaryPage:
        return self._page(PRIORITY)

    @property
    def commitment_page(self) -> CommitmentPage:
        return self._page(COMMITMENT)

    def show_key(self, store: Store, history: History, key: tuple[str, int] | None,
                 writable: bool) -> None:
        self.key = key
        if key is None:
            self.setCurrentWidget(self.hint)
            return
        kind, item_id = key
        if kind == PLAN:
            self.plan_page.show_item(store, history, item_id, writable)
            self.setCurrentWidget(self.plan_page)
        elif kind == PRIORITY:
            self.priority_page.show_item(store, history, item_id, writable)
            self.setCurrentWidget(self.priority_page)
        else:
            if self.commitment_page.commitment is None or self.commitment_page.commitment.id != item_id:
                self.commitment_page.highlighted = None
            self.commitment_page.show_commitment(store, history, item_id, writable)
            self.setCurrentWidget(self.commitment_page)

    def _summary_pages(self) -> list[SummaryPage]:
        return [self._pages[k] for k in (PLAN, PRIORITY) if k in self._pages]

    def shutdown(self) -> None:
        for page in self._summary_pages():
            page.overview.stop()

    def close_charts(self) -> list:
        """Stop the overviews' counts (before exit); returns their charts (painted, nothing
        to free)."""
        charts = [page.overview.close_chart() for page in self._summary_pages()]
        return [chart for chart in charts if chart is not None]
