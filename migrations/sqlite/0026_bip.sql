-- BIP (Biuletyn Informacji Publicznej): publications, their immutable versions, the
-- editors' working copies, the change register and information not made available.
-- UDIP art. 8 ust. 5–6 and the regulation of 18 January 2007 (Dz.U. 2007 nr 10 poz. 68)
-- §§ 4, 11, 16; rules in domain/src/bip.rs, choices in docs/decisions/0030.
--
-- A publication is an identity in a section of the subject menu with a status; what
-- the public reads is its versions. A version is never updated nor deleted: a change
-- is a new version with its reason. The version shown is the newest one whose
-- made_available_at has come by the office's clock, so a scheduled publication needs
-- no job to appear, and every app server agrees when it does.
CREATE TABLE bip_publication (
    id                 INTEGER PRIMARY KEY,
    section            TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN
                           ('draft', 'in_review', 'published', 'change_in_review', 'removed')),
    created_at         TEXT NOT NULL,
    created_by         INTEGER REFERENCES app_user(id),
    version_count      INTEGER NOT NULL DEFAULT 0,
    removed_at         TEXT,
    removed_by         TEXT,
    removed_reason     TEXT,
    CHECK ((status = 'removed') = (removed_at IS NOT NULL))
);
CREATE INDEX bip_publication_section ON bip_publication(section, status);

-- Every version ever made available (UDIP art. 8 ust. 6): who produced it and when,
-- who is responsible, who entered it (name and account, as at that moment), when it
-- was made available, and why it replaced the one before (empty for the first).
CREATE TABLE bip_version (
    id                 INTEGER PRIMARY KEY,
    publication_id     INTEGER NOT NULL REFERENCES bip_publication(id),
    number             INTEGER NOT NULL,
    title              TEXT NOT NULL,
    body_html          TEXT NOT NULL,
    produced_by        TEXT NOT NULL,
    produced_on        TEXT NOT NULL,
    responsible        TEXT NOT NULL,
    entered_by         TEXT NOT NULL,
    entered_by_user    INTEGER REFERENCES app_user(id),
    entered_at         TEXT NOT NULL,
    approved_by        TEXT,
    made_available_at  TEXT NOT NULL,
    reason             TEXT NOT NULL,
    CHECK (number = 1 OR reason <> '')
);
CREATE UNIQUE INDEX bip_version_number ON bip_version(publication_id, number);
CREATE INDEX bip_version_available ON bip_version(made_available_at);

-- The editors' working copy: of a new publication, or of the next version of a
-- published one. Private until published; at most one per publication.
CREATE TABLE bip_draft (
    publication_id     INTEGER PRIMARY KEY REFERENCES bip_publication(id),
    title              TEXT NOT NULL,
    body_html          TEXT NOT NULL,
    produced_by        TEXT NOT NULL,
    produced_on        TEXT,
    responsible        TEXT NOT NULL,
    reason             TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    updated_by         INTEGER REFERENCES app_user(id),
    submitted_by       INTEGER REFERENCES app_user(id)
);

-- The change register of the whole BIP (reg. 2007 § 16): one line per version made
-- available and per removal, written in the same transaction. Public lines are those
-- whose moment has come.
CREATE TABLE bip_change (
    id                 INTEGER PRIMARY KEY,
    publication_id     INTEGER NOT NULL REFERENCES bip_publication(id),
    version_number     INTEGER,
    kind               TEXT NOT NULL CHECK (kind IN ('published', 'changed', 'removed')),
    title              TEXT NOT NULL,
    section            TEXT NOT NULL,
    changed_at         TEXT NOT NULL,
    by_name            TEXT NOT NULL,
    reason             TEXT NOT NULL
);
CREATE INDEX bip_change_at ON bip_change(changed_at);

-- Information not made available (UDIP art. 8 ust. 5): scope, legal basis, who
-- decided and, for art. 5 ust. 2 exclusions, in whose interest.
CREATE TABLE bip_withheld (
    id                 INTEGER PRIMARY KEY,
    scope              TEXT NOT NULL,
    legal_basis        TEXT NOT NULL,
    decided_by         TEXT NOT NULL,
    in_interest_of     TEXT NOT NULL,
    decided_on         TEXT NOT NULL,
    entered_by         TEXT NOT NULL,
    entered_at         TEXT NOT NULL
);

-- The BIP's own settings, one row: the four-eyes rule, the editorial office's
-- address (reg. 2007 § 11 ust. 1 pkt 2) and the accessibility declaration's data
-- (ustawa z 4 kwietnia 2019 r. o dostępności cyfrowej, art. 10).
CREATE TABLE bip_settings (
    id                     INTEGER PRIMARY KEY CHECK (id = 1),
    review_required        BOOLEAN NOT NULL DEFAULT FALSE,
    editorial_address      TEXT NOT NULL,
    a11y_status            TEXT NOT NULL CHECK (a11y_status IN ('zgodna', 'czesciowo', 'niezgodna')),
    a11y_published_on      TEXT,
    a11y_updated_on        TEXT,
    a11y_prepared_on       TEXT,
    a11y_reviewed_on       TEXT,
    a11y_not_accessible    TEXT NOT NULL,
    a11y_contact_person    TEXT NOT NULL,
    a11y_email             TEXT NOT NULL,
    a11y_phone             TEXT NOT NULL,
    a11y_apps              TEXT NOT NULL
);
