"""PySide6 windows, item models over the store, charts, dialogs, undo commands, workers."""
