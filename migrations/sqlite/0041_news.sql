-- News and announcements (aktualności, ogłoszenia) on the office's public home page
-- (issue 13, "Portal"; rules in domain/src/news.rs, choices in docs/decisions/0044).
--
-- An item is written by an editor (Permission::EditBip), previewed, and published now
-- or at a set moment: the public sees an item whose status is 'published' and whose
-- published_at has come by the office's clock, so a scheduled item needs no job.
CREATE TABLE news_item (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('news', 'announcement')),
    status         TEXT NOT NULL CHECK (status IN ('draft', 'published', 'withdrawn')),
    title          TEXT NOT NULL,
    lead           TEXT NOT NULL,
    body_html      TEXT NOT NULL,
    published_at   TEXT,
    created_at     TEXT NOT NULL,
    created_by     INTEGER REFERENCES app_user(id),
    updated_at     TEXT NOT NULL,
    updated_by     INTEGER REFERENCES app_user(id),
    CHECK (status = 'draft' OR published_at IS NOT NULL)
);
CREATE INDEX news_item_public ON news_item(status, published_at);

-- An item's images: the file is a checked attachment (its bytes proved PNG or JPEG);
-- alt text is required unless the editor marked the image decorative, explicitly.
CREATE TABLE news_image (
    id             INTEGER PRIMARY KEY,
    news_id        INTEGER NOT NULL REFERENCES news_item(id),
    attachment_id  INTEGER NOT NULL REFERENCES attachment(id),
    alt            TEXT NOT NULL,
    decorative     BOOLEAN NOT NULL DEFAULT FALSE,
    position       INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    CHECK (decorative OR alt <> ''),
    CHECK (NOT decorative OR alt = '')
);
CREATE INDEX news_image_item ON news_image(news_id, position);
