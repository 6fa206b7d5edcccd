"""models of the workspace."""
