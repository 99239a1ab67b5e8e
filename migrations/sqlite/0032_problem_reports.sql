-- Problem reports (zgłoszenia) over Open311 GeoReport v2 and the API keys of
-- integrators (issue 12, docs/decisions/0035-open311-and-api-keys.md).

-- An integrator's key. Only a keyed hash (HMAC-SHA256 with the server secret below) of
-- the key is kept; `prefix` (the key's public first part) finds the row. A revoked key
-- keeps its row, so the audit trail's mentions of it stay readable.
CREATE TABLE api_key (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
);
CREATE UNIQUE INDEX api_key_name ON api_key (name);
CREATE UNIQUE INDEX api_key_prefix ON api_key (prefix);

-- Secrets the server generates once and every app server reads (the API keys' HMAC key).
CREATE TABLE server_secret (
    name   TEXT PRIMARY KEY,
    secret TEXT NOT NULL
);

-- Where the office takes reports: a box of latitudes and longitudes (WGS84), and the
-- Open311 jurisdiction. One row.
CREATE TABLE report_area (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    south        REAL NOT NULL,
    west         REAL NOT NULL,
    north        REAL NOT NULL,
    east         REAL NOT NULL,
    jurisdiction TEXT NOT NULL
);

-- A kind of problem (Open311 service): its code, the unit that takes it, the public
-- description, keywords and group, the attributes asked for (JSON, the Open311
-- attribute definitions) and the service-level term in days.
CREATE TABLE report_category (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    org_unit_id  INTEGER REFERENCES org_unit(id),
    description  TEXT NOT NULL,
    keywords     TEXT NOT NULL DEFAULT '',
    group_name   TEXT NOT NULL DEFAULT '',
    attributes   TEXT NOT NULL DEFAULT '[]',
    term_days    INTEGER NOT NULL CHECK (term_days BETWEEN 1 AND 365),
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    position     INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX report_category_code ON report_category (code);

-- A report. `token` answers Open311's tokens/{token}; status: open → in_progress →
-- closed (Open311 shows in_progress as open). The reporter's contact stays internal.
CREATE TABLE problem_report (
    id            INTEGER PRIMARY KEY,
    token         TEXT NOT NULL,
    category_id   INTEGER NOT NULL REFERENCES report_category(id),
    status        TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'closed')),
    lat           REAL,
    lon           REAL,
    address       TEXT,
    description   TEXT NOT NULL,
    attributes    TEXT NOT NULL DEFAULT '{}',
    media_url     TEXT,
    email         TEXT,
    first_name    TEXT,
    last_name     TEXT,
    phone         TEXT,
    device_id     TEXT,
    account_id    TEXT,
    channel       TEXT NOT NULL,
    api_key_id    INTEGER REFERENCES api_key(id),
    assigned_to   INTEGER REFERENCES app_user(id),
    requested_at  TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    expected_at   TEXT NOT NULL,
    status_notes  TEXT
);
CREATE UNIQUE INDEX problem_report_token ON problem_report (token);
CREATE INDEX problem_report_requested ON problem_report (requested_at);
CREATE INDEX problem_report_updated ON problem_report (updated_at);
CREATE INDEX problem_report_category ON problem_report (category_id, status);

-- The public history of a report: each change of status and each public comment.
CREATE TABLE problem_report_note (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES problem_report(id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    status     TEXT NOT NULL,
    note       TEXT NOT NULL,
    author     TEXT NOT NULL
);
CREATE INDEX problem_report_note_report ON problem_report_note (report_id, id);

-- Photos of a report, stored as attachments (format proven by content).
CREATE TABLE problem_report_photo (
    report_id     INTEGER NOT NULL REFERENCES problem_report(id) ON DELETE CASCADE,
    attachment_id INTEGER NOT NULL REFERENCES attachment(id),
    PRIMARY KEY (report_id, attachment_id)
);
