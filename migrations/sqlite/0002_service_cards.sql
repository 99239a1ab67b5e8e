-- Service cards (karty usług): the office's public catalogue of matters, and the
-- downloadable forms attached to them. Lists that are always read and written with the
-- card (legal bases, required documents, fees) are JSON text columns; the e-service
-- form definition is JSON too (docs/decisions/0006-service-cards.md). search_text is
-- the code, name and description lowercased without Polish diacritics, kept by the
-- application, so a search for "zaswiadczenie" finds "Zaświadczenie".
CREATE TABLE service_card (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    org_unit_id      INTEGER NOT NULL REFERENCES org_unit(id),
    name             TEXT NOT NULL,
    description      TEXT NOT NULL,
    legal_basis      TEXT NOT NULL,
    location_id      INTEGER REFERENCES location(id),
    room             TEXT NOT NULL,
    hours_note       TEXT NOT NULL,
    phone            TEXT NOT NULL,
    email            TEXT NOT NULL,
    documents        TEXT NOT NULL,
    fees             TEXT NOT NULL,
    deadline         TEXT NOT NULL,
    case_kind        TEXT NOT NULL,
    appeal           TEXT NOT NULL,
    remarks          TEXT NOT NULL,
    channel_counter  BOOLEAN NOT NULL,
    channel_post     BOOLEAN NOT NULL,
    channel_email    BOOLEAN NOT NULL,
    channel_eservice BOOLEAN NOT NULL,
    form_definition  TEXT,
    published        BOOLEAN NOT NULL DEFAULT FALSE,
    search_text      TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    CHECK (NOT channel_eservice OR form_definition IS NOT NULL)
);
CREATE INDEX service_card_unit ON service_card(org_unit_id, code);
CREATE INDEX service_card_published ON service_card(published, name);

-- Downloadable forms (wzory wniosków). The bytes live in the database: one backup,
-- and a failed transaction leaves no orphan file behind.
CREATE TABLE service_card_file (
    id           INTEGER PRIMARY KEY,
    card_id      INTEGER NOT NULL REFERENCES service_card(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX service_card_file_card ON service_card_file(card_id);
