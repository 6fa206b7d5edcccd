-- Reports an office publishes, version 3: the narrative officers write, changes a source
-- states only in words or as a percentage, qualified values, the band within which a change
-- reads "about the same", and the period a status was reported for.

-- Text for one place of a report, for one reporting period. A plan's own sections (foreword,
-- executive summary, financial overview, closing) have neither priority nor indicator; a
-- chapter belongs to a priority, a commentary to an indicator. `body` is JSON: a list of
-- paragraphs, lists and figure places (tracker/domain/narrative.py).
CREATE TABLE narrative (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
    section TEXT NOT NULL CHECK (section IN ('foreword', 'summary', 'finance', 'chapter',
                                             'commentary', 'closing')),
    priority_id INTEGER REFERENCES priority(id) ON DELETE CASCADE,
    indicator_id INTEGER REFERENCES indicator(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    period_start TEXT NOT NULL,
    body TEXT NOT NULL,
    author TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((section = 'chapter') = (priority_id IS NOT NULL)),
    CHECK ((section = 'commentary') = (indicator_id IS NOT NULL))
);
CREATE UNIQUE INDEX narrative_place ON narrative(
    plan_id, section, coalesce(priority_id, 0), coalesce(indicator_id, 0), period);
CREATE INDEX narrative_priority ON narrative(priority_id);
CREATE INDEX narrative_indicator ON narrative(indicator_id);

-- A change stated without the values behind it ("down 21 per cent between 2015/16 and
-- 2019/20", "up almost 50 per cent in 2020/21"): kept as stated, never turned into values.
CREATE TABLE stated_change (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    way TEXT NOT NULL CHECK (way IN ('increase', 'reduction', 'steady')),
    percent REAL CHECK (percent IS NULL OR percent >= 0),
    qualifier TEXT,
    from_period TEXT,
    to_period TEXT,
    from_value REAL,
    to_value REAL,
    period_words TEXT,
    note TEXT,
    source TEXT,
    quote TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX stated_change_indicator ON stated_change(indicator_id, position);

-- "more than 2,682": the word the source puts before a value.
ALTER TABLE indicator_value ADD COLUMN qualifier TEXT;
-- A change of at most this much reads "about the same": per cent of the first value, or
-- percentage points for a percentage indicator.
ALTER TABLE indicator ADD COLUMN steady_band REAL CHECK (steady_band IS NULL OR steady_band >= 0);
-- The reporting period a status was reported for (a return's round, a report's period), so a
-- report can show statuses as at the end of a period.
ALTER TABLE status_change ADD COLUMN period TEXT;
