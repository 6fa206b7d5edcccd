-- Partner returns, version 2: what each applied return changed, so a whole return can be
-- taken back later, and the date a round's workbook is due back (for chasing).
--
-- A return row is made when a workbook is exported (the "sent" record); importing fills in
-- the imported_* columns. export_uid is the identifier written in the workbook: every import
-- of one exported workbook (after a revert, say) shares it.

ALTER TABLE partner_return ADD COLUMN due_date TEXT;
ALTER TABLE partner_return ADD COLUMN export_uid TEXT;
CREATE INDEX partner_return_export ON partner_return(export_uid);
CREATE INDEX partner_return_round ON partner_return(round, partner_id);

-- One row per change a return made, in the order applied. before/after are JSON objects with
-- the changed row's fields (before is NULL for a row the return added).
CREATE TABLE return_change (
    id INTEGER PRIMARY KEY,
    return_id INTEGER NOT NULL REFERENCES partner_return(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('evidence_added', 'status_changed', 'value_added',
                                       'value_changed')),
    target_uid TEXT NOT NULL,
    before TEXT,
    after TEXT,
    UNIQUE (return_id, seq)
);
