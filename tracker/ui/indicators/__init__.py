"""Indicator panels: the grid of charts, the detail dialog with its values table, undo."""

from tracker.ui.indicators.dialog import IndicatorDialog
from tracker.ui.indicators.view import IndicatorsView

__all__ = ["IndicatorDialog", "IndicatorsView"]
