-- The documents of a case (akta sprawy): letters drafted from the office's templates,
-- accepted, signed, sent and delivered; who may sign (KPA art. 268a); the dekretacja of
-- incoming items; and the metryka's entries for those acts (KPA art. 66a). The
-- PostgreSQL folder has the same version; only the types differ.

-- Wzory pism: per letter kind, the text of each element (JSON {element: text}) with
-- placeholders such as {znak} filled from the case when a letter is drafted.
CREATE TABLE letter_template (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    sections   TEXT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES app_user(id)
);
CREATE UNIQUE INDEX letter_template_name ON letter_template(name);

-- Upoważnienia (KPA art. 268a; ustawa o samorządzie gminnym art. 39 ust. 2): a person
-- may accept and sign letters in the organ's name for the cases of a unit (and the
-- units below it), optionally of one JRWA class, for a period. reference: the sign of
-- the written authorisation. Revoked, never deleted.
CREATE TABLE signing_authorisation (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES app_user(id),
    org_unit_id INTEGER NOT NULL REFERENCES org_unit(id),
    jrwa_symbol TEXT NOT NULL,
    reference   TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT,
    revoked_at  TEXT,
    granted_at  TEXT NOT NULL,
    granted_by  INTEGER REFERENCES app_user(id)
);
CREATE INDEX signing_authorisation_user ON signing_authorisation(user_id);

-- A letter of a case. identifier: the znak sprawy and the letter's number in the case
-- (unique in the office). The state moves draft → accepted → signed → dispatched →
-- delivered (magistrat_domain::letters::next); each step's who and when is kept. The
-- signature: who, when, how (handwritten on paper, or electronic outside Magistrat with
-- the signed file uploaded and its SHA-256 kept); the dispatch: the outgoing item.
CREATE TABLE case_letter (
    id                    INTEGER PRIMARY KEY,
    case_id               INTEGER NOT NULL REFERENCES case_file(id),
    seq                   INTEGER NOT NULL,
    identifier            TEXT NOT NULL UNIQUE,
    kind                  TEXT NOT NULL,
    template_id           INTEGER REFERENCES letter_template(id),
    title                 TEXT NOT NULL,
    sections              TEXT NOT NULL,
    without_justification BOOLEAN NOT NULL DEFAULT FALSE,
    state                 TEXT NOT NULL CHECK (state IN ('draft', 'accepted', 'signed', 'dispatched', 'delivered')),
    drafted_at            TEXT NOT NULL,
    drafted_by            INTEGER REFERENCES app_user(id),
    updated_at            TEXT NOT NULL,
    accepted_at           TEXT,
    accepted_by           INTEGER REFERENCES app_user(id),
    signed_at             TEXT,
    signed_by             INTEGER REFERENCES app_user(id),
    issued_on             TEXT,
    signer_name           TEXT NOT NULL DEFAULT '',
    signer_position       TEXT NOT NULL DEFAULT '',
    signature_method      TEXT CHECK (signature_method IS NULL OR signature_method IN ('handwritten', 'electronic')),
    signed_file_id        INTEGER REFERENCES attachment(id),
    signed_sha256         TEXT NOT NULL DEFAULT '',
    outgoing_id           INTEGER REFERENCES outgoing_item(id),
    UNIQUE (case_id, seq)
);
CREATE INDEX case_letter_outgoing ON case_letter(outgoing_id);

-- Dekretacja of an incoming item: who assigned it to whom, when, with what instruction.
CREATE TABLE incoming_dekretacja (
    id          INTEGER PRIMARY KEY,
    incoming_id INTEGER NOT NULL REFERENCES incoming_item(id),
    assigned_at TEXT NOT NULL,
    assigned_by INTEGER REFERENCES app_user(id),
    to_user_id  INTEGER NOT NULL REFERENCES app_user(id),
    instruction TEXT NOT NULL
);
CREATE INDEX incoming_dekretacja_item ON incoming_dekretacja(incoming_id, id);

-- The metryka's entries for acts on documents (the workflow's acts are in case_event):
-- the person's name and position as they were at the act (the regulation of 6 March
-- 2012, załącznik nr 1), the act, the document's identifier.
CREATE TABLE case_act (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES case_file(id),
    occurred_at TEXT NOT NULL,
    act         TEXT NOT NULL,
    actor_id    INTEGER REFERENCES app_user(id),
    first_name  TEXT NOT NULL,
    last_name   TEXT NOT NULL,
    position    TEXT NOT NULL,
    document    TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX case_act_case ON case_act(case_id, id);
