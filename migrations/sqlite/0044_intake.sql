-- Intake (issue 10): cases started ex officio (KPA art. 61 § 1), the parties of a case
-- with their pełnomocnik (art. 28–33, art. 40 § 2), the summons to remove formal
-- defects (art. 64 § 2), the date of posting of incoming paper items (art. 57 § 5
-- pkt 2) and the numer nadania of outgoing registered mail. The PostgreSQL folder has
-- the same version; only the types differ.

-- ex_officio: started by the organ without a request (art. 61 § 1); received_on is
-- then the date of the organ's first act. term_start_on: the day the term of art. 35
-- counts from when it is not received_on (the removal of formal defects, art. 64 § 2).
-- closing_kind: '' for a case settled on the merits, 'left_unexamined' for a request
-- left without examination (art. 64 § 2).
ALTER TABLE case_file ADD COLUMN ex_officio BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE case_file ADD COLUMN term_start_on TEXT;
ALTER TABLE case_file ADD COLUMN closing_kind TEXT NOT NULL DEFAULT ''
    CHECK (closing_kind IN ('', 'left_unexamined'));

-- The parties of a case in order (position 1: the applicant, mirrored in
-- case_file.party_*), each with an optional pełnomocnik: a natural person (art. 33
-- § 1), general or special, with the power of attorney filed (rep_document: what was
-- filed and when: the document in the akta, or an oral power recorded, art. 33 § 2).
CREATE TABLE case_party (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES case_file(id),
    position          INTEGER NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
    name              TEXT NOT NULL,
    address           TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    rep_name          TEXT NOT NULL DEFAULT '',
    rep_address       TEXT NOT NULL DEFAULT '',
    rep_scope         TEXT NOT NULL DEFAULT '' CHECK (rep_scope IN ('', 'general', 'special')),
    rep_document      TEXT NOT NULL DEFAULT '',
    UNIQUE (case_id, position)
);

INSERT INTO case_party (case_id, position, kind, name, address, email)
    SELECT id, 1, 'person', party_name, party_address, party_email FROM case_file
    WHERE party_name <> '';

-- A summons to remove formal defects of a request (art. 64 § 2): delivered on a day,
-- 7 days from it (remove_by, art. 57 § 1 and § 4), then removed (resolved_on: the day
-- the office received the supplement, posted_on: its posting at a Polish post office,
-- art. 57 § 5 pkt 2) or the request left without examination.
CREATE TABLE case_defect (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES case_file(id),
    defects      TEXT NOT NULL,
    delivered_on TEXT NOT NULL,
    remove_by    TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'removed', 'left_unexamined')),
    resolved_on  TEXT,
    posted_on    TEXT,
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES app_user(id)
);
CREATE INDEX case_defect_case ON case_defect(case_id, id);

-- Art. 57 § 5 pkt 2: the day an incoming paper item was posted at a Polish post
-- office (from the postmark), never after its receipt.
ALTER TABLE incoming_item ADD COLUMN posted_on TEXT;

-- The numer nadania of an outgoing item sent by registered post.
ALTER TABLE outgoing_item ADD COLUMN tracking_number TEXT NOT NULL DEFAULT '';
