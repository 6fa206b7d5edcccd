-- Files attached to evidence, version 7.
--
-- attachment: one file on one evidence item, in the order the officer attached them: its name,
-- size and SHA-256, its media type, and whether partners may be told of it (internal by
-- default; a shareable file is named in that partner's workbook, never sent in it). The bytes
-- are in attachment_content, keyed by their SHA-256, so a file attached twice is kept once,
-- and an attachment removed (or its evidence deleted) keeps its bytes for undo to bring back.
-- Both tables travel with team sync; the activity log records attachment rows and never the
-- bytes (tracker/store/capture.py).

CREATE TABLE attachment_content (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    size INTEGER NOT NULL CHECK (size >= 0),
    content BLOB NOT NULL CHECK (length(content) = size),
    created_at TEXT NOT NULL
);

CREATE TABLE attachment (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    evidence_id INTEGER NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    file_name TEXT NOT NULL CHECK (length(trim(file_name)) > 0),
    media_type TEXT,
    size INTEGER NOT NULL CHECK (size >= 0),
    sha256 TEXT NOT NULL REFERENCES attachment_content(sha256),
    visibility TEXT NOT NULL DEFAULT 'internal' CHECK (visibility IN ('internal', 'shareable')),
    added_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX attachment_evidence ON attachment(evidence_id, position);
CREATE INDEX attachment_content_ref ON attachment(sha256);
