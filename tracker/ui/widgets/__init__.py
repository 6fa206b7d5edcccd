"""widgets of the workspace."""
