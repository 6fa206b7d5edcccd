"""dialogs of the workspace."""
