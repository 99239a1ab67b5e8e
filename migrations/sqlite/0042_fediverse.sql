-- The office as an ActivityPub actor (issue 13, social; docs/decisions/0045).
-- fediverse_key: the office's one RSA key pair (PKCS#8 PEM; the private key is never
-- served). fediverse_follower: remote actors following the office, with the inbox
-- (and shared inbox) deliveries go to. fediverse_remote_key: the public keys of remote
-- signers, fetched from their actor documents and kept for a while.
-- fediverse_published: each announcement turned into a Create once (the claim is the
-- primary key). fediverse_delivery: each activity to each inbox, with its attempts.
CREATE TABLE fediverse_key (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    public_pem  TEXT NOT NULL,
    private_pem TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE fediverse_follower (
    id           INTEGER PRIMARY KEY,
    actor        TEXT NOT NULL UNIQUE,
    inbox        TEXT NOT NULL,
    shared_inbox TEXT,
    follow_id    TEXT NOT NULL,
    followed_at  TEXT NOT NULL
);

CREATE TABLE fediverse_remote_key (
    key_id     TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    public_pem TEXT NOT NULL,
    fetched_at TEXT NOT NULL
);

CREATE TABLE fediverse_published (
    publication_id INTEGER PRIMARY KEY REFERENCES bip_publication (id),
    activity_id    TEXT NOT NULL,
    published_at   TEXT NOT NULL
);

CREATE TABLE fediverse_delivery (
    id              INTEGER PRIMARY KEY,
    activity_id     TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('accept', 'create')),
    inbox           TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    delivered_at    TEXT,
    gave_up_at      TEXT,
    last_error      TEXT,
    CONSTRAINT fediverse_delivery_once UNIQUE (activity_id, inbox)
);
CREATE INDEX fediverse_delivery_due ON fediverse_delivery (next_attempt_at)
    WHERE delivered_at IS NULL AND gave_up_at IS NULL;
