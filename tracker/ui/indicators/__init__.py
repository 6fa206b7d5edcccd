"""Indicator panels: the grid of charts, the detail dialog with its values table, undo."""

from tracker.ui.indicators.view import IndicatorsView

__all__ = ["IndicatorDialog", "IndicatorsView"]


def __getattr__(name: str):
    # The dialog (and the chart export it brings) loads when first opened, not with the window.
    if name == "IndicatorDialog":
        from tracker.ui.indicators.dialog import IndicatorDialog

        return IndicatorDialog
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
