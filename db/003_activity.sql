-- The activity log, version 3: every operation an officer (or a script, a partner's return,
-- team sync) makes, written in the same transaction as the change itself.
--
-- changes is a JSON array of {"table", "key", "before", "after"}: every row the operation
-- wrote, as it was before and after (before is null for a row it added, after for one it
-- removed). plans is a JSON array of the ids of the plans it touched. An undo or redo names
-- the operation it acted on in target_uid. Rows are keyed like every other table (the id is
-- the top 63 bits of the uid), so the log can travel with team sync.

CREATE TABLE activity (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    origin TEXT NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    plans TEXT NOT NULL DEFAULT '[]',
    target_uid TEXT,
    changes TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX activity_at ON activity(at);
CREATE INDEX activity_target ON activity(target_uid, at);
CREATE INDEX activity_who ON activity(who, at);
CREATE INDEX activity_kind ON activity(kind, at);
