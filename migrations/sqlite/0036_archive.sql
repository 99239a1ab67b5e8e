-- The archive (issue 10): both archival categories of a JRWA class, the date of the
-- sender's letter on incoming items ("z dnia" of the spis spraw), the yearly closing
-- of the spis spraw, transfers of closed files to the archiwum zakładowe with their
-- spis zdawczo-odbiorczy, and the state archive's consents to destroy. The PostgreSQL
-- folder has the same version; only the types differ (docs/decisions/0039).

-- The category for the units other than the leading one (inne komórki); the existing
-- classes had one category, which held for every unit.
ALTER TABLE jrwa_class ADD COLUMN category_other TEXT;
UPDATE jrwa_class SET category_other = category;

-- "Z dnia": the date the sender wrote on the letter (beside its znak, sender_reference).
ALTER TABLE incoming_item ADD COLUMN sender_dated_on TEXT;

-- A unit's spis spraw closed for a year: no case is registered in that year any more.
-- open_cases: cases still running at the closing (they go on under their znak).
CREATE TABLE register_closing (
    unit_id    INTEGER NOT NULL REFERENCES org_unit(id),
    year       INTEGER NOT NULL,
    cases      INTEGER NOT NULL,
    open_cases INTEGER NOT NULL,
    closed_at  TEXT NOT NULL,
    closed_by  INTEGER REFERENCES app_user(id),
    PRIMARY KEY (unit_id, year)
);

-- A spis zdawczo-odbiorczy: one transfer of a unit's closed files to the archiwum
-- zakładowe, numbered per year of transfer.
CREATE TABLE archive_transfer (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL REFERENCES org_unit(id),
    year           INTEGER NOT NULL,
    number         INTEGER NOT NULL,
    transferred_on TEXT NOT NULL,
    transferred_at TEXT NOT NULL,
    transferred_by INTEGER REFERENCES app_user(id),
    UNIQUE (year, number)
);

-- The state archive's consent to destroy (ustawa o narodowym zasobie archiwalnym
-- art. 5 ust. 2): who gave it, its znak and date.
CREATE TABLE archive_consent (
    id           INTEGER PRIMARY KEY,
    archive_name TEXT NOT NULL,
    reference    TEXT NOT NULL,
    granted_on   TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    recorded_by  INTEGER REFERENCES app_user(id)
);

-- A file (teczka aktowa: one unit, JRWA class and year) in the archive: a line of its
-- spis zdawczo-odbiorczy. category: the one that applies (the leading unit's or the
-- others'); destroy_from: from when it may be destroyed (NULL: category A, kept for
-- ever); consent_id and destroyed_on: its destruction, never without a consent.
CREATE TABLE archive_file (
    id           INTEGER PRIMARY KEY,
    transfer_id  INTEGER NOT NULL REFERENCES archive_transfer(id),
    position     INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES org_unit(id),
    jrwa_symbol  TEXT NOT NULL,
    year         INTEGER NOT NULL,
    znak         TEXT NOT NULL,
    title        TEXT NOT NULL,
    first_on     TEXT NOT NULL,
    last_on      TEXT NOT NULL,
    cases        INTEGER NOT NULL,
    leading_unit BOOLEAN NOT NULL,
    category     TEXT NOT NULL,
    closed_year  INTEGER NOT NULL,
    destroy_from TEXT,
    consent_id   INTEGER REFERENCES archive_consent(id),
    destroyed_on TEXT,
    UNIQUE (unit_id, jrwa_symbol, year),
    UNIQUE (transfer_id, position)
);
CREATE INDEX archive_file_destroy_from ON archive_file(destroy_from, id);
