-- E-service applications: what a resident filed through a service card's form. Each
-- application is one incoming item and one registered case, written in one transaction
-- together with its files. The PostgreSQL folder has the same version.

-- The JRWA class under which a card's e-service applications are registered.
ALTER TABLE service_card ADD COLUMN jrwa_symbol TEXT;

-- submission_key: the random key the form (or the API client's Idempotency-Key) sends,
-- so that a double click or a retry returns the first filing instead of a second case.
-- document: the canonical JSON of what was filed (fields, files with their SHA-256,
-- the moment of filing); document_sha256 is printed on the confirmation.
CREATE TABLE application (
    id               INTEGER PRIMARY KEY,
    submission_key   TEXT NOT NULL UNIQUE,
    service_card_id  INTEGER NOT NULL REFERENCES service_card(id),
    case_id          INTEGER NOT NULL UNIQUE REFERENCES case_file(id),
    incoming_id      INTEGER NOT NULL UNIQUE REFERENCES incoming_item(id),
    via              TEXT NOT NULL CHECK (via IN ('web', 'api')),
    lang             TEXT NOT NULL,
    applicant_email  TEXT NOT NULL,
    submitted_at     TEXT NOT NULL,
    document         TEXT NOT NULL,
    document_sha256  TEXT NOT NULL
);
CREATE INDEX application_email ON application(applicant_email);
