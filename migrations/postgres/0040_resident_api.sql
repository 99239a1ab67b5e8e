-- The residents' app API (issue 12, docs/decisions/0043-resident-api.md): a resident
-- signed in by the e-mailed link gets a bearer token for their app (only its SHA-256
-- kept; an absolute expiry; deleted on sign-out), and a report filed through the app
-- names the resident who filed it. The SQLite folder has the same version.

CREATE TABLE resident_app_token (
    token_hash   TEXT PRIMARY KEY,
    resident_id  BIGINT NOT NULL REFERENCES resident(id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    ip           TEXT
);
CREATE INDEX resident_app_token_by_resident ON resident_app_token(resident_id);

ALTER TABLE problem_report ADD COLUMN resident_id BIGINT REFERENCES resident(id);
CREATE INDEX problem_report_resident ON problem_report(resident_id, requested_at);
