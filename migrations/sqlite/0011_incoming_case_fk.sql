-- no-transaction
-- The incoming register's link to a case gets the foreign key PostgreSQL has had since
-- migration 0005 (incoming_item_case_fk), so both backends refuse a link to no case
-- (the schema parity test, tests/api/schema_parity.rs, compares the two). The
-- PostgreSQL folder has the same version.
--
-- SQLite cannot add a foreign key to an existing table: the table is rebuilt the way
-- https://www.sqlite.org/lang_altertable.html#otheralter prescribes. That needs foreign
-- keys off, which SQLite ignores inside a transaction, hence `no-transaction` above and
-- an explicit transaction below. With foreign keys off, dropping the old table does not
-- cascade into incoming_attachment; the ids are copied unchanged, so incoming_attachment
-- and application keep pointing at the same rows.

-- Refuse before anything changes when a stored link points at no case (the application
-- has always checked it, so this finds nothing; if it does, the migration stops here
-- with a CHECK error and the database is as it was).
CREATE TEMP TABLE migration_0011_guard (dangling_case_links INTEGER NOT NULL CHECK (dangling_case_links = 0));
INSERT INTO migration_0011_guard
    SELECT COUNT(*) FROM incoming_item i
    WHERE i.case_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM case_file c WHERE c.id = i.case_id);

PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE incoming_item_rebuilt (
    id                     INTEGER PRIMARY KEY,
    year                   INTEGER NOT NULL,
    number                 INTEGER NOT NULL,
    register_number        TEXT NOT NULL UNIQUE,
    channel                TEXT NOT NULL CHECK (channel IN ('counter', 'post', 'email', 'epuap', 'edoreczenia', 'eservice')),
    received_at            TEXT NOT NULL,
    sender_name            TEXT NOT NULL,
    sender_address         TEXT NOT NULL,
    sender_email           TEXT NOT NULL,
    sender_epuap           TEXT NOT NULL,
    sender_ade             TEXT NOT NULL,
    sender_reference       TEXT NOT NULL,
    subject                TEXT NOT NULL,
    epuap_upp_id           TEXT NOT NULL,
    epuap_document_id      TEXT NOT NULL,
    edoreczenia_message_id TEXT NOT NULL,
    edoreczenia_proof_ref  TEXT NOT NULL,
    pages                  INTEGER CHECK (pages IS NULL OR pages >= 0),
    paper_attachments      INTEGER CHECK (paper_attachments IS NULL OR paper_attachments >= 0),
    org_unit_id            INTEGER NOT NULL REFERENCES org_unit(id),
    case_id                INTEGER REFERENCES case_file(id),
    notes                  TEXT NOT NULL,
    registered_at          TEXT NOT NULL,
    registered_by          INTEGER REFERENCES app_user(id),
    UNIQUE (year, number)
);
INSERT INTO incoming_item_rebuilt (
    id, year, number, register_number, channel, received_at, sender_name, sender_address,
    sender_email, sender_epuap, sender_ade, sender_reference, subject, epuap_upp_id,
    epuap_document_id, edoreczenia_message_id, edoreczenia_proof_ref, pages,
    paper_attachments, org_unit_id, case_id, notes, registered_at, registered_by)
SELECT
    id, year, number, register_number, channel, received_at, sender_name, sender_address,
    sender_email, sender_epuap, sender_ade, sender_reference, subject, epuap_upp_id,
    epuap_document_id, edoreczenia_message_id, edoreczenia_proof_ref, pages,
    paper_attachments, org_unit_id, case_id, notes, registered_at, registered_by
FROM incoming_item;
DROP TABLE incoming_item;
ALTER TABLE incoming_item_rebuilt RENAME TO incoming_item;
CREATE INDEX incoming_item_unit ON incoming_item(org_unit_id, id);
CREATE INDEX incoming_item_case ON incoming_item(case_id);

-- Every key into and out of the rebuilt table still holds (a row here stops the
-- migration before COMMIT; closing the connection rolls the rebuild back).
INSERT INTO migration_0011_guard
    SELECT COUNT(*) FROM (
        SELECT 1 FROM pragma_foreign_key_check('incoming_item')
        UNION ALL SELECT 1 FROM pragma_foreign_key_check('incoming_attachment')
        UNION ALL SELECT 1 FROM pragma_foreign_key_check('application'));

COMMIT;
PRAGMA foreign_keys = ON;
DROP TABLE migration_0011_guard;
