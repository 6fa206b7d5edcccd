"""The plan and closure reports (PDF, Word, HTML) and the charts they share with the window."""
