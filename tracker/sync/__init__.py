"""Team sync: several laptops share one plan through one ordered, append-only log.

Each laptop keeps its own SQLite file. What it changed since it last synced is found by
SQLite's session extension (apsw), as the difference between the database and a copy of the
team's state at the last sync (`Session.diff`), so writes made on any connection, by the
window, the command line or a worker, are all seen. Changes go to the team's log as sealed
entries, in the log's order; a push whose parent is not the log's head is refused, and the
laptop pulls, merges and tries again. Conflicts wait for an officer's review.

No Qt here.
"""
