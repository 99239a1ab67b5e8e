-- The correspondence register (incoming and outgoing items from every channel) and the
-- shared attachments store. The PostgreSQL folder has the same version with the same
-- tables; only the types differ.

-- Files, kept in the database so that a file and the record pointing at it are written
-- in one transaction and backed up together (docs/decisions/0008-attachments-in-database.md).
-- file_name is sanitised, content_type is what the bytes proved (not what the browser
-- said), sha256 is the hex digest of content.
CREATE TABLE attachment (
    id           INTEGER PRIMARY KEY,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES app_user(id)
);

-- The last register number given per register and year. Updated inside the registering
-- transaction, so numbers have no gaps or duplicates (a rolled-back registration gives
-- its number back).
CREATE TABLE correspondence_counter (
    register    TEXT NOT NULL CHECK (register IN ('incoming', 'outgoing')),
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (register, year)
);

-- Dziennik korespondencji przychodzącej. received_at is the legally relevant moment of
-- receipt (it starts KPA deadlines). case_id points at case_file(id); the foreign key
-- is added once the cases capability is merged.
CREATE TABLE incoming_item (
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
    case_id                INTEGER,
    notes                  TEXT NOT NULL,
    registered_at          TEXT NOT NULL,
    registered_by          INTEGER REFERENCES app_user(id),
    UNIQUE (year, number)
);
CREATE INDEX incoming_item_unit ON incoming_item(org_unit_id, id);
CREATE INDEX incoming_item_case ON incoming_item(case_id);

-- role: the letter's own files (content) or a proof of receipt/delivery (proof: the
-- e-Doręczenia dowód otrzymania, an ePUAP UPP).
CREATE TABLE incoming_attachment (
    item_id       INTEGER NOT NULL REFERENCES incoming_item(id) ON DELETE CASCADE,
    attachment_id INTEGER NOT NULL REFERENCES attachment(id),
    role          TEXT NOT NULL CHECK (role IN ('content', 'proof')),
    PRIMARY KEY (item_id, attachment_id)
);

-- Items sent. letter_type only for post: ordinary (zwykły), registered (polecony),
-- registered_receipt (polecony za zwrotnym potwierdzeniem odbioru, ZPO).
CREATE TABLE outgoing_item (
    id                   INTEGER PRIMARY KEY,
    year                 INTEGER NOT NULL,
    number               INTEGER NOT NULL,
    register_number      TEXT NOT NULL UNIQUE,
    channel              TEXT NOT NULL CHECK (channel IN ('post', 'email', 'epuap', 'edoreczenia', 'in_person')),
    letter_type          TEXT CHECK (letter_type IS NULL OR letter_type IN ('ordinary', 'registered', 'registered_receipt')),
    recipient_name       TEXT NOT NULL,
    recipient_address    TEXT NOT NULL,
    electronic_address   TEXT NOT NULL,
    subject              TEXT NOT NULL,
    sent_on              TEXT NOT NULL,
    org_unit_id          INTEGER NOT NULL REFERENCES org_unit(id),
    case_id              INTEGER,
    notes                TEXT NOT NULL,
    delivered_on         TEXT,
    delivery_note        TEXT NOT NULL,
    registered_at        TEXT NOT NULL,
    registered_by        INTEGER REFERENCES app_user(id),
    UNIQUE (year, number)
);
CREATE INDEX outgoing_item_unit ON outgoing_item(org_unit_id, id);
CREATE INDEX outgoing_item_case ON outgoing_item(case_id);

CREATE TABLE outgoing_attachment (
    item_id       INTEGER NOT NULL REFERENCES outgoing_item(id) ON DELETE CASCADE,
    attachment_id INTEGER NOT NULL REFERENCES attachment(id),
    role          TEXT NOT NULL CHECK (role IN ('content', 'proof')),
    PRIMARY KEY (item_id, attachment_id)
);
