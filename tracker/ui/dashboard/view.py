"""The home screen: one plan at a glance, every part of it a way into the detail.

Commitments by status in each priority (painted bars, see status_bars), the share evidenced,
what is overdue, the current reporting round's returns and the indicators' headline changes.
The figures are read only while the screen is visible (on a worker with its own connection when
the database is a file) and again after any change, once it is visible.

Signals:
    open_key(tuple): show ("plan" | "priority" | "commitment", id) in the tree.
    open_status(int, int, str): plan id, priority id (or None) and a Status value: the tree
        filtered to that status, the priority open.
    open_indicator(int, int): plan id and indicator id: the Indicators tab, that indicator open.
    open_indicators(int): plan id: the Indicators tab on that plan.
    open_round(str): a round's label: who has replied.
    send_returns(): no round yet; the officer wants to send workbooks.
    updated(): new figures are shown.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.status import Status
from tracker.domain.wording import count_of, day
from tracker.reports.palette import STATUS_INK
from tracker.store import dashboard as store_dashboard
from tracker.store import queries
from tracker.store.database import Store
from tracker.ui.dashboard.status_bars import StatusBars
from tracker.ui.dashboard.tiles import Card, LinkTable, ShareBar, Tile
from tracker.ui.jobs import Job
from tracker.ui.models.plan_tree import COMMITMENT, PLAN

# The verdict in a word and a shape; the colour repeats it.
VERDICT_LOOK = {
    "Improved": ("✔", "#176f30"),
    "Worsened": ("✖", "#b42318"),
    "About the same": ("≈", "#4b5563"),
    "Unchanged": ("=", "#4b5563"),
    "No better direction": ("·", "#4b5563"),
}
VERDICT_ORDER = list(VERDICT_LOOK)
RELOAD_MS = 150
OVERDUE_NAMED = 3  # partners named in the round's note; the tooltip names them all


class Dashboard(QScrollArea):
    open_key = Signal(object)
    open_status = Signal(object, object, str)
    open_indicator = Signal(object, object)
    open_indicators = Signal(object)
    open_round = Signal(str)
    send_returns = Signal()
    updated = Signal()

    def __init__(self, store: Store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.data: store_dashboard.Dashboard | None = None
        self.round_label: str | None = None  # the round the tiles show
        self.dirty = True
        self.pending = False
        self.generation = 0
        self.jobs: list[Job] = []
        self._closed = False
        self.today: date | None = None  # tests fix the day
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Home: the plan at a glance")
        self._painted = False
        self.built = False
        self._reload = QTimer(self)
        self._reload.setSingleShot(True)
        self._reload.setInterval(RELOAD_MS)
        self._reload.timeout.connect(self.load)
        # The page's widgets are made when it is first shown (or asked for): a window that
        # opens on another tab paints that tab without waiting for them.

    def ensure_built(self) -> None:
        """Make the page's widgets (once)."""
        if self.built:
            return
        self.built = True
        page = QWidget()
        page.setObjectName("dashboardPage")
        page.setStyleSheet("#dashboardPage { background: #eef1f4; }")
        self.setWidget(page)  # the scroll area filters the page's events: see eventFilter

        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.plan_box = QComboBox()
        self.plan_box.setMinimumContentsLength(40)
        self.plan_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.plan_box.setToolTip("The plan this page shows")
        plan_label = QLabel("&Plan")
        plan_label.setBuddy(self.plan_box)
        self.busy = QLabel("Counting…")
        self.busy.setStyleSheet("color: #4b5563;")
        self.busy.hide()
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.busy)
        head.addWidget(plan_label)
        head.addWidget(self.plan_box)

        # Commitments by status.
        self.status_card = Card("Commitments by status")
        self.bars = StatusBars()
        self.bars.priority_chosen.connect(lambda pid: self.open_key.emit(("priority", pid)))
        self.bars.part_chosen.connect(
            lambda pid, status: self.open_status.emit(self._plan_id(), pid, status))
        self.legend = QHBoxLayout()
        self.legend.setSpacing(4)
        self.legend_buttons: dict[Status, QToolButton] = {}
        for status in Status:
            button = QToolButton()
            button.setAutoRaise(True)
            button.setStyleSheet(f"color: {STATUS_INK[status]};")
            button.setToolTip(f"List the plan's commitments that are {status.label.lower()}")
            button.clicked.connect(lambda _c=False, s=status: self.open_status.emit(
                self._plan_id(), None, s.value))
            self.legend_buttons[status] = button
            self.legend.addWidget(button)
        self.legend.addStretch(1)
        self.status_card.body.addWidget(self.bars)
        self.status_card.body.addLayout(self.legend)

        # Evidence.
        self.evidence_card = Card("Evidenced")
        self.evidence_tile = Tile("commitments with evidence",
                                  "Open the plan's overview, where the year can be chosen")
        self.evidence_tile.clicked.connect(lambda: self.open_key.emit((PLAN, self._plan_id())))
        self.share_bar = ShareBar()
        self.evidence_card.body.addWidget(self.evidence_tile)
        self.evidence_card.body.addWidget(self.share_bar)
        self.evidence_card.body.addStretch(1)

        # Overdue.
        self.overdue_card = Card("Overdue for an update")
        self.overdue = LinkTable(["Code", "Commitment", "Priority", "Why"], 1,
                                 "Commitments overdue for an update", sort_column=2)
        self.overdue.chosen.connect(lambda cid: self.open_key.emit((COMMITMENT, cid)))
        self.overdue_card.body.addWidget(self.overdue, 1)

        # The reporting round.
        self.round_card = Card("Partner returns")
        self.round_tiles: dict[str, Tile] = {}
        tiles = QHBoxLayout()
        for state, caption, tip in (
                ("sent", "sent", "Who was sent a workbook in this round"),
                ("back", "back", "Whose returns have been imported"),
                ("overdue", "overdue", "Returns past their due date")):
            tile = Tile(caption, tip)
            tile.clicked.connect(self._round_clicked)
            self.round_tiles[state] = tile
            tiles.addWidget(tile)
        self.round_card.body.addLayout(tiles)
        self.send_button = QPushButton("&Send partner returns…")
        self.send_button.setToolTip("Write each partner's workbook for a reporting round")
        self.send_button.clicked.connect(self.send_returns.emit)
        self.round_card.body.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignLeft)

        # Indicators.
        self.indicator_card = Card("Indicators")
        self.indicator_card.heading.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.indicator_card.heading.linkActivated.connect(
            lambda _href: self.open_indicators.emit(self._plan_id()))
        self.indicators = LinkTable(["Priority", "Indicator", "Change", "Latest, against the baseline"],
                                    (1, 3), "Indicators' headline changes", wrap=True)
        self.indicators.chosen.connect(lambda iid: self.open_indicator.emit(self._plan_id(), iid))
        self.indicator_card.body.addWidget(self.indicators, 1)

        # Two columns, each stacking its cards from the top; the lists take what is left.
        left, right = QVBoxLayout(), QVBoxLayout()
        for column in (left, right):
            column.setSpacing(10)
        left.addWidget(self.status_card)
        pair = QHBoxLayout()  # side by side, so the page fits a 1280 x 720 screen
        pair.setSpacing(10)
        pair.addWidget(self.evidence_card, 2)
        pair.addWidget(self.round_card, 3)
        left.addLayout(pair)
        left.addWidget(self.overdue_card, 1)
        right.addWidget(self.indicator_card, 1)
        self._left_end = QWidget()  # takes the room when there is nothing overdue
        left.addWidget(self._left_end, 0)
        columns = QHBoxLayout()
        columns.setSpacing(10)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(head)
        layout.addLayout(columns, 1)
        for card in (self.status_card, self.evidence_card, self.round_card):
            card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.round_card.body.addStretch(1)
        self.columns = (left, right)

        self.plan_box.currentIndexChanged.connect(self._plan_changed)
        self._fill_plans()

    # --- plan and store --------------------------------------------------------------------

    def _plan_id(self) -> int | None:
        return self.plan_box.currentData()

    def _fill_plans(self, keep: int | None = None) -> None:
        self.plan_box.blockSignals(True)
        try:
            self.plan_box.clear()
            for plan in queries.list_plans(self.store):
                self.plan_box.addItem(plan.title, plan.id)
            chosen = keep
            if chosen is None or self.plan_box.findData(chosen) < 0:
                default = queries.default_plan(self.store)
                chosen = default.id if default is not None else None
            self.plan_box.setCurrentIndex(max(0, self.plan_box.findData(chosen)))
        finally:
            self.plan_box.blockSignals(False)

    def set_plan(self, plan_id: int) -> None:
        self.ensure_built()
        index = self.plan_box.findData(plan_id)
        if index >= 0:
            self.plan_box.setCurrentIndex(index)

    def _plan_changed(self) -> None:
        self.dirty = True
        self.load_if_visible()

    def set_store(self, store: Store) -> None:
        self.store = store
        self.data = None
        if not self.built:  # the plans are listed when the page is made
            self.dirty = True
            return
        self._fill_plans()
        self.dirty = True
        self.load_if_visible()

    def operation_done(self, _result=None) -> None:
        """Something changed: count again, now if the page is showing, else when it is."""
        if not self.built:  # nothing counted yet: the first count is of what is there then
            return
        keep = self._plan_id()
        self._fill_plans(keep)
        self.dirty = True
        if self.isVisible():
            self._reload.start()

    def showEvent(self, event) -> None:
        self.ensure_built()
        super().showEvent(event)
        if self._painted:
            self.load_if_visible()

    def eventFilter(self, watched, event) -> bool:
        # The first count starts once the page has painted: the window's first frame does not
        # wait for it (nor share the interpreter with its worker).
        if not self._painted and event.type() == QEvent.Type.Paint and watched is self.widget():
            self._painted = True
            QTimer.singleShot(0, self.load_if_visible)
        return super().eventFilter(watched, event)

    def load_if_visible(self) -> None:
        if self.dirty and self.isVisible() and not self._closed:
            self.load()

    # --- counting --------------------------------------------------------------------------

    def load(self) -> None:
        self.ensure_built()
        plan_id = self._plan_id()
        self._reload.stop()
        self.dirty = False
        if plan_id is None or self.store is None:
            self._show_nothing()
            return
        self.generation += 1
        generation, today = self.generation, self.today
        if self.store.path is None:  # in memory: nothing else can open it
            self._done(generation, store_dashboard.dashboard(self.store, plan_id, today))
            return
        self.pending = True
        self.busy.show()
        store = self.store

        def count(_progress, _cancelled):
            with store.for_worker() as worker:
                return store_dashboard.dashboard(worker, plan_id, today)

        job = Job(count, self)
        job.succeeded.connect(lambda found: self._done(generation, found))
        job.failed.connect(lambda exc: self._failed(generation, exc))
        job.ended.connect(lambda: self.jobs.remove(job) if job in self.jobs else None)
        self.jobs.append(job)
        job.start()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self.generation or self._closed:
            return
        self.pending = False
        self.busy.setText(f"Could not count: {exc}")
        self.busy.show()

    def _done(self, generation: int, data: store_dashboard.Dashboard) -> None:
        if generation != self.generation or self._closed:
            return
        self.pending = False
        self.busy.hide()
        self.data = data
        self._show(data)
        self.updated.emit()

    def _show_nothing(self) -> None:
        self.title.setText("<h2>No plan yet</h2><span style='color:#4b5563'>Make one from a "
                           "spreadsheet or an outline (Plan menu), or open another database "
                           "(File menu).</span>")
        for card in (self.status_card, self.evidence_card, self.overdue_card, self.round_card,
                     self.indicator_card):
            card.hide()

    # --- showing ---------------------------------------------------------------------------

    def _show(self, data: store_dashboard.Dashboard) -> None:
        for card in (self.status_card, self.evidence_card, self.overdue_card, self.round_card,
                     self.indicator_card):
            card.show()
        plan, ov = data.plan, data.overview
        state = "closed: read-only" if plan.is_closed else plan.state.label.lower()
        self.title.setText(f"<h2 style='margin:0'>{plan.title}</h2><span style='color:#4b5563'>"
                           f"{plan.period} · {state} · {count_of(ov.total, 'commitment')}</span>")
        self._show_status(ov)
        share = round(100 * ov.share)
        self.evidence_card.heading.setText(f"Evidenced in {ov.period}")
        self.evidence_tile.set_value(f"{share}%", f"{ov.evidenced} of "
                                     f"{count_of(ov.total, 'commitment')} have evidence dated "
                                     f"in {ov.period}")
        self.share_bar.set_share(ov.share)
        self.share_bar.setToolTip(f"{ov.evidenced} of {ov.total} ({share}%)")
        self._show_overdue(data)
        self._show_round(data.round)
        self._show_indicators(data)

    def _show_status(self, ov) -> None:
        self.bars.set_rows(ov.priorities)
        totals = {s: sum(p.counts[s] for p in ov.priorities) for s in Status}
        for status, button in self.legend_buttons.items():
            n = totals[status]
            button.setText(f"{status.shape} {status.label} {n}")
            button.setAccessibleName(f"{status.label}: {n} commitments")
            button.setVisible(n > 0)
        self.status_card.set_note("" if ov.priorities else "This plan has no priorities yet.")

    def _show_overdue(self, data) -> None:
        rows = data.overview.overdue
        numbers = {p.priority_id: p.number for p in data.overview.priorities}
        titles = {p.priority_id: p.title for p in data.overview.priorities}
        self.overdue_card.heading.setText(
            f"Overdue for an update: {len(rows)}" if rows else "Overdue for an update: none")
        if data.plan.is_closed:
            note = "A closed plan expects no more updates."
        elif not rows:
            note = ("Every open commitment has been updated in the last 90 days and none is "
                    "past its due date.")
        else:
            note = ""
        self.overdue_card.set_note(note)
        priority_of = data.priority_of
        self.overdue.fill([
            (r.commitment_id, [
                (r.code or "", r.code or "", None, None),
                (r.text, None, None, r.text),
                (f"{numbers.get(priority_of.get(r.commitment_id), '')}",
                 numbers.get(priority_of.get(r.commitment_id), 0), None,
                 titles.get(priority_of.get(r.commitment_id), "")),
                (r.why, r.due_date or r.updated_at, None, None),
            ]) for r in rows])
        self.overdue.setVisible(bool(rows))
        left = self.columns[0]
        left.setStretchFactor(self.overdue_card, 1 if rows else 0)
        left.setStretchFactor(self._left_end, 0 if rows else 1)

    def _show_round(self, found: store_dashboard.RoundAtGlance | None) -> None:
        self.round_label = found.label if found else None
        tiles_visible = found is not None
        for tile in self.round_tiles.values():
            tile.setVisible(tiles_visible)
        if found is None:
            self.round_card.heading.setText("Partner returns")
            self.round_card.set_note("No workbook has been sent to a partner yet. Send each "
                                     "partner its workbook for a reporting round; who has "
                                     "replied shows here.")
            self.send_button.show()
            return
        due = f", due back {day(found.due_date)}" if found.due_date else ""
        closed = " (closed)" if found.closed else ""
        self.round_card.heading.setText(f"Returns, round {found.label}{closed}")
        self.round_card.heading.setToolTip(f"Partner returns for round {found.label}{closed}{due}")
        self.round_tiles["sent"].set_value(str(found.sent))
        self.round_tiles["back"].set_value(str(found.back), colour="#176f30" if found.back else
                                           "#1f2937")
        self.round_tiles["overdue"].set_value(str(found.overdue), colour="#b42318" if
                                              found.overdue else "#1f2937")
        waiting = found.awaited - found.overdue
        parts = [f"{count_of(waiting, 'return')} awaited, not yet due"] if waiting else []
        late = list(found.overdue_partners)
        if late:
            more = f" and {len(late) - OVERDUE_NAMED} more" if len(late) > OVERDUE_NAMED else ""
            parts.append("overdue from " + ", ".join(late[:OVERDUE_NAMED]) + more)
        if found.not_sent:
            parts.append(f"{count_of(found.not_sent, 'partner')} not sent a workbook")
        if found.due_date:
            parts.insert(0, f"due back {day(found.due_date)}")
        note = "; ".join(parts)
        self.round_card.set_note(note[:1].upper() + note[1:] + "." if note else "")
        self.round_card.note.setToolTip("Overdue: " + ", ".join(late) if late else "")
        self.send_button.setVisible(found.sent == 0)

    def _round_clicked(self) -> None:
        if self.round_label:
            self.open_round.emit(self.round_label)

    def _show_indicators(self, data) -> None:
        lines = data.indicators
        with_values = [line for line in lines if line.has_values]
        verdicts = data.verdicts
        summary = ", ".join(f"{verdicts[v]} {v.lower()}" for v in VERDICT_ORDER if verdicts[v])
        heading = (f"<a href='indicators' style='color:#1f4e79'>Indicators</a>: "
                   f"{len(with_values)} of {len(lines)} with values")
        self.indicator_card.heading.setText(heading)
        self.indicator_card.heading.setToolTip("Open the Indicators tab on this plan")
        if not lines:
            note = "This plan has no indicators."
        elif not with_values:
            note = "No indicator of this plan has a value yet."
        else:
            note = summary[0].upper() + summary[1:] + "." if summary else ""
        self.indicator_card.set_note(note)
        rows = []
        for line in with_values:
            shape, colour = VERDICT_LOOK.get(line.verdict, ("", "#4b5563"))
            verdict = f"{shape} {line.verdict}" if line.verdict else "– No earlier value"
            rows.append((line.indicator_id, [
                (str(line.priority_number or ""), line.priority_number or 0, None, None),
                (line.name, None, None, line.name),
                (verdict, VERDICT_ORDER.index(line.verdict) if line.verdict in VERDICT_ORDER
                 else len(VERDICT_ORDER), colour, None),
                (line.headline.text, None, None, line.headline.text),
            ]))
        self.indicators.fill(rows)
        self.indicators.setVisible(bool(rows))

    # --- ending ----------------------------------------------------------------------------

    def stop(self) -> None:
        """Before the window goes: wait for the counts still running."""
        self._closed = True
        self._reload.stop()
        for job in list(self.jobs):
            job.wait(10)

