-- Platform foundation: the office, its org structure, staff accounts, sessions and the
-- audit trail. The PostgreSQL folder has the same version with the same tables; only the
-- types differ (docs/decisions/0001-storage.md). Instants are UTC text in a fixed
-- format (db/time.rs), so text order is time order.

-- The office itself: one row.
CREATE TABLE office (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    name        TEXT NOT NULL,
    short_name  TEXT NOT NULL,
    street      TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city        TEXT NOT NULL,
    nip         TEXT NOT NULL,
    regon       TEXT NOT NULL,
    bip_url     TEXT NOT NULL,
    email       TEXT NOT NULL,
    phone       TEXT NOT NULL,
    epuap       TEXT NOT NULL
);

-- Org units form a tree. A symbol (SA, WO-II) is used in case numbers and is valid for a
-- range of years: a reorganisation closes a unit (valid_to) and opens a new one.
CREATE TABLE org_unit (
    id              INTEGER PRIMARY KEY,
    parent_id       INTEGER REFERENCES org_unit(id),
    symbol          TEXT NOT NULL,
    name            TEXT NOT NULL,
    valid_from_year INTEGER NOT NULL,
    valid_to_year   INTEGER,
    CHECK (valid_to_year IS NULL OR valid_to_year >= valid_from_year)
);
CREATE UNIQUE INDEX org_unit_symbol_from ON org_unit(symbol, valid_from_year);
CREATE INDEX org_unit_parent ON org_unit(parent_id);

-- Staff accounts. login_lower makes logins unique regardless of case.
CREATE TABLE app_user (
    id                  INTEGER PRIMARY KEY,
    login               TEXT NOT NULL,
    login_lower         TEXT NOT NULL UNIQUE,
    display_name        TEXT NOT NULL,
    email               TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    active              BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins       INTEGER NOT NULL DEFAULT 0,
    locked_until        TEXT,
    password_changed_at TEXT NOT NULL,
    created_at          TEXT NOT NULL
);

-- A role, optionally limited to one org unit and the units below it.
CREATE TABLE user_role (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    role        TEXT NOT NULL,
    org_unit_id INTEGER REFERENCES org_unit(id)
);
CREATE UNIQUE INDEX user_role_unique ON user_role(user_id, role, COALESCE(org_unit_id, 0));

CREATE TABLE employee (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER UNIQUE REFERENCES app_user(id),
    org_unit_id INTEGER NOT NULL REFERENCES org_unit(id),
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    position    TEXT NOT NULL,
    initials    TEXT NOT NULL,
    email       TEXT NOT NULL,
    phone       TEXT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX employee_unit ON employee(org_unit_id);

-- Buildings and service points, with weekly opening hours and closing days.
CREATE TABLE location (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('building', 'service_point')),
    name          TEXT NOT NULL,
    street        TEXT NOT NULL,
    postal_code   TEXT NOT NULL,
    city          TEXT NOT NULL,
    directions    TEXT NOT NULL,
    accessibility TEXT NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE
);

-- weekday: 1 = Monday … 7 = Sunday (ISO 8601); times are local Europe/Warsaw HH:MM.
CREATE TABLE location_hours (
    id          INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES location(id) ON DELETE CASCADE,
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens       TEXT NOT NULL,
    closes      TEXT NOT NULL,
    CHECK (opens < closes)
);
CREATE UNIQUE INDEX location_hours_day ON location_hours(location_id, weekday);

-- Days a location is closed although the calendar says open (e.g. a day off in return
-- for a holiday falling on Saturday). Kept apart from statutory holidays, which the
-- deadline rules know themselves.
CREATE TABLE location_closure (
    id          INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES location(id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    reason      TEXT NOT NULL
);
CREATE UNIQUE INDEX location_closure_day ON location_closure(location_id, day);

-- Sessions live in the database so that several app servers share them. Only the
-- SHA-256 of the cookie's token is stored: a leaked table does not leak sessions.
CREATE TABLE session (
    token_hash   TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT
);
CREATE INDEX session_by_user ON session(user_id);

-- The audit trail: append-only, one hash chain. Each event's hash covers its content
-- and the previous event's hash; audit_head holds the chain's end and is updated in the
-- same transaction, which serialises writers (docs/decisions/0003-audit-chain.md).
CREATE TABLE audit_event (
    seq         INTEGER PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    actor_id    INTEGER,
    actor_login TEXT NOT NULL,
    ip          TEXT,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_event_actor ON audit_event(actor_login, seq);
CREATE INDEX audit_event_entity ON audit_event(entity_type, entity_id, seq);
CREATE INDEX audit_event_time ON audit_event(occurred_at);

CREATE TABLE audit_head (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
