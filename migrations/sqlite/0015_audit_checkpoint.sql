-- Signed checkpoints of the audit chain's head (docs/decisions/0024): taken daily by a
-- job and on demand by `magistrat audit checkpoint`, published at /audit/checkpoints and
-- mailed to the security officer. The key that signs them is never stored here; a row
-- forged in the database fails its signature. The PostgreSQL folder has the same
-- version.
CREATE TABLE audit_checkpoint (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    seq        INTEGER NOT NULL,
    events     INTEGER NOT NULL,
    head_hash  TEXT NOT NULL,
    taken_at   TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature  TEXT NOT NULL
);
CREATE INDEX audit_checkpoint_taken ON audit_checkpoint (taken_at);
