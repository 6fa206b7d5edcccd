-- Team sync, version 5: this database's membership of a team, and the conflicts that wait for
-- an officer's review. These tables belong to this laptop: they are never sent to the team's
-- log (tracker/sync/schema.py lists what is).

-- One row when this database is a member of a team. The location is a folder path or a
-- postgresql:// address without a password (passwords come from pgpass or the keyring).
CREATE TABLE sync_membership (
    slot INTEGER PRIMARY KEY CHECK (slot = 1),
    team_id TEXT NOT NULL,
    location TEXT NOT NULL,
    team_key TEXT NOT NULL,
    laptop_id TEXT NOT NULL,
    joined_at TEXT NOT NULL,
    synced_seq INTEGER NOT NULL,
    synced_at TEXT,
    pending_push TEXT,
    last_error TEXT,
    last_error_at TEXT
);

-- A conflict found while pulling a colleague's changes: the team's value stands in the
-- database until an officer chooses. Values are JSON. kind 'field': both changed one field;
-- 'deleted_by_them': they deleted a row this laptop had changed (mine_rows can put it back);
-- 'deleted_by_me': this laptop deleted a row they had changed (it was put back).
CREATE TABLE sync_conflict (
    number INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('field', 'deleted_by_them', 'deleted_by_me')),
    table_name TEXT NOT NULL,
    row_key TEXT NOT NULL,
    row_uid TEXT,
    field TEXT,
    base TEXT,
    mine TEXT,
    theirs TEXT,
    mine_rows TEXT,
    mine_at TEXT,
    theirs_at TEXT,
    theirs_by TEXT NOT NULL,
    theirs_laptop TEXT NOT NULL,
    theirs_seq INTEGER NOT NULL,
    found_at TEXT NOT NULL,
    resolved_at TEXT,
    resolved_by TEXT,
    resolution TEXT
);
CREATE INDEX sync_conflict_open ON sync_conflict(resolved_at, table_name, row_key);

-- Colleagues' changes merged by a sync, waiting to be written to the activity log under their
-- author's name (tracker.ops.team does that on the store's own connection right after the
-- sync, and before the next one). changes is a JSON list of {"table", "key", "before",
-- "after"}, as the activity log keeps them.
CREATE TABLE sync_pulled (
    number INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    author TEXT NOT NULL,
    laptop TEXT NOT NULL,
    made_at TEXT NOT NULL,
    changes TEXT NOT NULL
);
