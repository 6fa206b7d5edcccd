-- Commitment Tracker schema, version 1.
-- Every row has a uid (a UUID as text): workbooks carry it out and back, and copies of the
-- database made on different laptops are merged by it. Integer ids stay local.
-- Timestamps are ISO 8601 in UTC. Every foreign key that is joined or counted is indexed.

CREATE TABLE partner (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    key TEXT UNIQUE,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE plan (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    key TEXT UNIQUE,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    period TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'active', 'closed')),
    source TEXT,
    created_from_plan_id INTEGER REFERENCES plan(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE priority (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    objective TEXT,
    partnership TEXT,
    outcome TEXT,
    source TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (plan_id, number)
);
CREATE INDEX priority_plan ON priority(plan_id);

-- "further developed in": a priority of one plan continued by a priority of another.
CREATE TABLE priority_link (
    from_priority_id INTEGER NOT NULL REFERENCES priority(id) ON DELETE CASCADE,
    to_priority_id INTEGER NOT NULL REFERENCES priority(id) ON DELETE CASCADE,
    note TEXT,
    PRIMARY KEY (from_priority_id, to_priority_id)
);
CREATE INDEX priority_link_to ON priority_link(to_priority_id);

CREATE TABLE commitment (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    priority_id INTEGER NOT NULL REFERENCES priority(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES commitment(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    code TEXT,
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    status TEXT NOT NULL DEFAULT 'not_assessed' CHECK (status IN (
        'not_assessed', 'not_started', 'on_track', 'at_risk', 'off_track',
        'complete', 'carried_forward', 'discontinued')),
    lead TEXT,
    due_date TEXT,
    carried_forward_from_id INTEGER REFERENCES commitment(id) ON DELETE SET NULL,
    source TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX commitment_priority ON commitment(priority_id, position);
CREATE INDEX commitment_parent ON commitment(parent_id);
CREATE INDEX commitment_origin ON commitment(carried_forward_from_id);
CREATE INDEX commitment_updated ON commitment(updated_at);

CREATE TABLE commitment_partner (
    commitment_id INTEGER NOT NULL REFERENCES commitment(id) ON DELETE CASCADE,
    partner_id INTEGER NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
    PRIMARY KEY (commitment_id, partner_id)
);
CREATE INDEX commitment_partner_partner ON commitment_partner(partner_id);

-- One partner return: a workbook sent for a reporting round, and what came back.
CREATE TABLE partner_return (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    partner_id INTEGER NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
    round TEXT NOT NULL,
    exported_at TEXT,
    exported_by TEXT,
    imported_at TEXT,
    imported_by TEXT,
    file_name TEXT,
    sha256 TEXT,
    counts TEXT,
    reverted_at TEXT,
    reverted_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX partner_return_partner ON partner_return(partner_id, round);
CREATE INDEX partner_return_sha ON partner_return(sha256);

CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    commitment_id INTEGER NOT NULL REFERENCES commitment(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    evidence_date TEXT,
    period TEXT,
    partner_id INTEGER REFERENCES partner(id) ON DELETE SET NULL,
    figure REAL,
    unit TEXT,
    link TEXT,
    visibility TEXT NOT NULL DEFAULT 'internal' CHECK (visibility IN ('internal', 'shareable')),
    author TEXT,
    return_id INTEGER REFERENCES partner_return(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX evidence_commitment ON evidence(commitment_id, position);
CREATE INDEX evidence_partner ON evidence(partner_id);
CREATE INDEX evidence_return ON evidence(return_id);

CREATE TABLE status_change (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    commitment_id INTEGER NOT NULL REFERENCES commitment(id) ON DELETE CASCADE,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    return_id INTEGER REFERENCES partner_return(id) ON DELETE SET NULL
);
CREATE INDEX status_change_commitment ON status_change(commitment_id, changed_at);
CREATE INDEX status_change_return ON status_change(return_id);

CREATE TABLE indicator (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    priority_id INTEGER NOT NULL REFERENCES priority(id) ON DELETE CASCADE,
    key TEXT UNIQUE,
    number INTEGER NOT NULL,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    unit TEXT NOT NULL CHECK (unit IN ('count', 'percent', 'rate', 'score', 'pounds')),
    polarity TEXT NOT NULL CHECK (polarity IN ('higher_is_better', 'lower_is_better', 'neither')),
    frequency TEXT NOT NULL DEFAULT 'annual' CHECK (frequency IN ('annual', 'quarterly', 'monthly')),
    baseline_period TEXT,
    target_value REAL,
    target_period TEXT,
    source TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX indicator_priority ON indicator(priority_id, number);

CREATE TABLE indicator_partner (
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    partner_id INTEGER NOT NULL REFERENCES partner(id) ON DELETE CASCADE,
    PRIMARY KEY (indicator_id, partner_id)
);
CREATE INDEX indicator_partner_partner ON indicator_partner(partner_id);

CREATE TABLE indicator_value (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    series TEXT NOT NULL DEFAULT 'actual' CHECK (series IN ('actual', 'comparison', 'target')),
    value REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'final' CHECK (state IN ('provisional', 'final', 'withheld')),
    note TEXT,
    source TEXT,
    quote TEXT,
    return_id INTEGER REFERENCES partner_return(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (indicator_id, series, period)
);
CREATE INDEX indicator_value_indicator ON indicator_value(indicator_id, series, period_start);
CREATE INDEX indicator_value_return ON indicator_value(return_id);

-- Full-text search over commitment text and evidence: external-content FTS5 tables keyed by
-- the row id, so that keeping them in step costs one index write per edit, not a scan.
CREATE VIRTUAL TABLE commitment_fts USING fts5(
    text, content = 'commitment', content_rowid = 'id', tokenize = 'porter unicode61'
);
CREATE VIRTUAL TABLE evidence_fts USING fts5(
    text, content = 'evidence', content_rowid = 'id', tokenize = 'porter unicode61'
);

CREATE TRIGGER commitment_fts_insert AFTER INSERT ON commitment BEGIN
    INSERT INTO commitment_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER commitment_fts_update AFTER UPDATE OF text ON commitment BEGIN
    INSERT INTO commitment_fts (commitment_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO commitment_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER commitment_fts_delete AFTER DELETE ON commitment BEGIN
    INSERT INTO commitment_fts (commitment_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER evidence_fts_insert AFTER INSERT ON evidence BEGIN
    INSERT INTO evidence_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER evidence_fts_update AFTER UPDATE OF text ON evidence BEGIN
    INSERT INTO evidence_fts (evidence_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO evidence_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER evidence_fts_delete AFTER DELETE ON evidence BEGIN
    INSERT INTO evidence_fts (evidence_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;

CREATE TABLE app_setting (
    name TEXT PRIMARY KEY,
    value TEXT
);
