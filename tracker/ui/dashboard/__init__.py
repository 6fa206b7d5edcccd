"""The home dashboard, the window's first tab: the plan at a glance, every part a way in.

Entry point for the main window:
    install(window) -> Dashboard   puts the Home tab first and wires its drill-downs to the
                                   tree (window.workspace), the Indicators tab
                                   (window.indicators) and the returns (window.returns)
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from tracker.domain.status import Status
from tracker.store import queries
from tracker.store.errors import StoreError
from tracker.ui.dashboard.view import Dashboard
from tracker.ui.models.plan_tree import PLAN, PRIORITY

__all__ = ["Dashboard", "install"]


def install(window: QMainWindow) -> Dashboard:
    """The window needs `store`, `tabs`, `workspace`, `indicators`, `bridge`, `store_changed`;
    `returns` (the Returns menu) when it has one."""
    home = Dashboard(window.store)
    window.tabs.insertTab(0, home, "Home")
    window.tabs.setTabToolTip(0, "The plan at a glance (Alt+Home)")
    window.tabs.setCurrentIndex(0)

    def to_tree(key) -> None:
        window.tabs.setCurrentWidget(window.workspace)
        if window.workspace.select_key(tuple(key)):
            if key[0] in (PLAN, PRIORITY):
                window.workspace.expand_key(tuple(key))
            window.workspace.tree.setFocus()

    def to_status(plan_id, priority_id, status: str) -> None:
        window.tabs.setCurrentWidget(window.workspace)
        window.workspace.show_status(Status(status).value, priority_id, plan_id)

    def to_indicator(plan_id, indicator_id) -> None:
        window.indicators.set_plan(plan_id)
        window.tabs.setCurrentWidget(window.indicators)
        try:
            queries.get_indicator(window.store, indicator_id)
        except StoreError:
            return
        window.indicators.open_indicator(indicator_id)

    def to_indicators(plan_id) -> None:
        window.indicators.set_plan(plan_id)
        window.tabs.setCurrentWidget(window.indicators)
        window.indicators.grid.setFocus()

    def to_round(label: str) -> None:
        returns = getattr(window, "returns", None)
        if returns is not None:
            returns.round_status(label)

    def send() -> None:
        returns = getattr(window, "returns", None)
        if returns is not None:
            returns.export_returns()

    home.open_key.connect(to_tree)
    home.open_status.connect(to_status)
    home.open_indicator.connect(to_indicator)
    home.open_indicators.connect(to_indicators)
    home.open_round.connect(to_round)
    home.send_returns.connect(send)
    window.bridge.performed.connect(home.operation_done)
    window.store_changed.connect(home.set_store)
    return home
