-- Reporting rounds, partner contacts and e-mail templates, version 6.
--
-- A round is one reporting period partners are asked about ("2021/22 Q2"): when its workbooks
-- are due back, and whether it is closed. It is made when the first workbook of the round is
-- exported; each exported workbook (a partner_return row) points at its round and remembers
-- where it was written, so a reminder can attach the same file again.
--
-- A round's uid is made from its label (a name-based UUID, tracker.store.rounds.round_uid), and
-- its id from the uid as for every row: two laptops that make the same round give it the same
-- row, so team sync merges them.

CREATE TABLE round (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL UNIQUE CHECK (length(trim(label)) > 0),
    due_date TEXT,
    closed_at TEXT,
    closed_by TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT,
    updated_at TEXT NOT NULL
);

ALTER TABLE partner_return ADD COLUMN round_id INTEGER REFERENCES round(id) ON DELETE SET NULL;
ALTER TABLE partner_return ADD COLUMN sent_path TEXT;
ALTER TABLE partner_return ADD COLUMN sent_sha256 TEXT;
ALTER TABLE partner_return ADD COLUMN reminded_at TEXT;
ALTER TABLE partner_return ADD COLUMN reminded_by TEXT;
CREATE INDEX partner_return_round_ref ON partner_return(round_id, partner_id);

-- The rounds that returns already name are made by the data step of this migration
-- (tracker/store/data_steps.py), which gives each its uid and id as Python does.

-- The people at a partner who receive its workbook, in the order the officer lists them.
CREATE TABLE partner_contact (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    partner_id INTEGER NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    email TEXT NOT NULL CHECK (email LIKE '%_@_%'),
    role TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (partner_id, email)
);
CREATE INDEX partner_contact_partner ON partner_contact(partner_id, position);

-- The office's wording of the e-mail drafts ("send" for a round's workbooks, "remind" for the
-- overdue): a "Subject:" line, a blank line, the message (tracker/exchange/email_draft.py).
-- No row: the wording the tracker comes with.
CREATE TABLE email_template (
    kind TEXT PRIMARY KEY CHECK (kind IN ('send', 'remind')),
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT
);
