-- RODO (issue 10, docs/decisions/0049-rodo.md): the office's information clause (RODO
-- art. 13 ust. 1–2, given at the first act towards a party, KPA art. 61 § 5), the
-- register of processing activities (art. 30 ust. 1 lit. a–g) and the marks of the
-- retention job on the records it anonymises. The PostgreSQL folder has the same
-- version; only the types differ.

-- One clause per office (id 1), each part of art. 13 in its own column.
CREATE TABLE rodo_clause (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    controller   TEXT NOT NULL,
    dpo_contact  TEXT NOT NULL,
    purposes     TEXT NOT NULL,
    recipients   TEXT NOT NULL,
    transfers    TEXT NOT NULL DEFAULT '',
    retention    TEXT NOT NULL,
    rights       TEXT NOT NULL,
    complaint    TEXT NOT NULL,
    requirement  TEXT NOT NULL,
    automated    TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    updated_by   INTEGER REFERENCES app_user(id)
);

-- One entry per processing activity (art. 30 ust. 1; the controller of lit. a is the
-- office with its clause's contact details).
CREATE TABLE rodo_activity (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    purposes         TEXT NOT NULL,
    data_subjects    TEXT NOT NULL,
    data_categories  TEXT NOT NULL,
    recipients       TEXT NOT NULL,
    transfers        TEXT NOT NULL DEFAULT '',
    erasure          TEXT NOT NULL DEFAULT '',
    security         TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    updated_by       INTEGER REFERENCES app_user(id)
);

-- When the retention job removed a booked visit's or a closed problem report's personal
-- data (the rest of the row stays for the statistics and the maintenance records).
ALTER TABLE sp_booking ADD COLUMN anonymised_at TEXT;
ALTER TABLE problem_report ADD COLUMN anonymised_at TEXT;
