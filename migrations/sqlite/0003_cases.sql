-- Cases: the JRWA classification per year, the case register (spis spraw) with its
-- number counters, the case history, excluded periods and delay notices. The
-- PostgreSQL folder has the same version; only the types differ. Dates are civil
-- dates (YYYY-MM-DD text here), instants UTC text (db/time.rs).

-- Jednolity rzeczowy wykaz akt, one tree per year. Only leaf classes (4 digits) carry
-- an archival category and may hold cases.
CREATE TABLE jrwa_class (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    symbol        TEXT NOT NULL,
    title         TEXT NOT NULL,
    category      TEXT,
    parent_symbol TEXT
);
CREATE UNIQUE INDEX jrwa_class_year_symbol ON jrwa_class(year, symbol);

-- The last number given in each spis spraw (unit, class, year). Bumped by an upsert in
-- the registering transaction (docs/decisions/0007-case-number-allocation.md).
CREATE TABLE case_counter (
    unit_id     INTEGER NOT NULL REFERENCES org_unit(id),
    jrwa_symbol TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (unit_id, jrwa_symbol, year)
);

CREATE TABLE case_file (
    id                  INTEGER PRIMARY KEY,
    unit_id             INTEGER NOT NULL REFERENCES org_unit(id),
    jrwa_symbol         TEXT NOT NULL,
    year                INTEGER NOT NULL,
    number              INTEGER NOT NULL,
    znak                TEXT NOT NULL UNIQUE,
    kind                TEXT NOT NULL,
    title               TEXT NOT NULL,
    party_name          TEXT NOT NULL,
    party_address       TEXT NOT NULL,
    party_email         TEXT NOT NULL,
    publish_consent     BOOLEAN NOT NULL DEFAULT FALSE,
    channel             TEXT NOT NULL,
    correspondence_id   INTEGER,
    official_id         INTEGER REFERENCES app_user(id),
    status              TEXT NOT NULL,
    received_on         TEXT NOT NULL,
    statutory_due_on    TEXT NOT NULL,
    due_on              TEXT NOT NULL,
    tracking_code       TEXT NOT NULL UNIQUE,
    registered_at       TEXT NOT NULL,
    registered_by       INTEGER REFERENCES app_user(id),
    settled_on          TEXT,
    outcome             TEXT NOT NULL DEFAULT '',
    closed_at           TEXT,
    transferred_to_id   INTEGER REFERENCES case_file(id),
    transferred_from_id INTEGER REFERENCES case_file(id),
    forwarded_to        TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_id, jrwa_symbol, year, number)
);
CREATE INDEX case_file_unit_due ON case_file(unit_id, due_on, id);
CREATE INDEX case_file_unit_status_due ON case_file(unit_id, status, due_on, id);
CREATE INDEX case_file_official_due ON case_file(official_id, due_on, id);
CREATE INDEX case_file_kind_received ON case_file(kind, received_on, id);
-- Open cases by deadline: the work lists walk these in order and stop after a page.
-- The predicate is written exactly as store.rs writes the open filter (SQLite uses a
-- partial index only when the query's WHERE clause contains its terms).
CREATE INDEX case_file_open_unit_due ON case_file(unit_id, due_on, id)
    WHERE status IN ('registered', 'assigned', 'in_progress', 'suspended');
CREATE INDEX case_file_open_official_due ON case_file(official_id, due_on, id)
    WHERE status IN ('registered', 'assigned', 'in_progress', 'suspended');
CREATE INDEX case_file_open_due ON case_file(due_on, id)
    WHERE status IN ('registered', 'assigned', 'in_progress', 'suspended');

-- The history of a case: who did what when. `note` is internal; the public history
-- shows only the status and the day.
CREATE TABLE case_event (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES case_file(id),
    occurred_at TEXT NOT NULL,
    actor_id    INTEGER REFERENCES app_user(id),
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    status      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_event_case ON case_event(case_id, id);

-- Periods not counted in the term (KPA art. 35 § 5): suspension (art. 97–98) and
-- delays caused by the party. A suspension still running has no end yet.
CREATE TABLE case_period (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES case_file(id),
    kind     TEXT NOT NULL CHECK (kind IN ('suspension', 'party_delay')),
    start_on TEXT NOT NULL,
    end_on   TEXT,
    reason   TEXT NOT NULL
);
CREATE INDEX case_period_case ON case_period(case_id);

-- Delay notices (KPA art. 36) and UDIP art. 13 ust. 2 extensions: a new date with
-- the reasons.
CREATE TABLE case_delay_notice (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES case_file(id),
    issued_on   TEXT NOT NULL,
    new_due_on  TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE INDEX case_delay_notice_case ON case_delay_notice(case_id);
