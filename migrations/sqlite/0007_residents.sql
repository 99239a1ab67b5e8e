-- Optional resident accounts (docs/decisions/0015-resident-accounts.md). A resident is
-- known by an e-mail address they proved they read: they ask for a sign-in link, the
-- link's single-use token (kept only as its SHA-256) signs them in, and their cases are
-- the e-service applications filed with that address. No password is ever stored.
-- The PostgreSQL folder has the same version.

CREATE TABLE resident (
    id                INTEGER PRIMARY KEY,
    email             TEXT NOT NULL UNIQUE,     -- lower case
    created_at        TEXT NOT NULL,
    last_sign_in_at   TEXT NOT NULL
);

-- A sign-in link sent by e-mail: valid for minutes, used once.
CREATE TABLE resident_link (
    token_hash   TEXT PRIMARY KEY,
    email        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    used_at      TEXT,
    ip           TEXT
);
CREATE INDEX resident_link_expires ON resident_link(expires_at);

-- A signed-in resident's browser: the same rules as a staff session (random token in an
-- HttpOnly cookie, only its hash here, idle and absolute time-outs).
CREATE TABLE resident_session (
    token_hash   TEXT PRIMARY KEY,
    resident_id  INTEGER NOT NULL REFERENCES resident(id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT
);
CREATE INDEX resident_session_by_resident ON resident_session(resident_id);
