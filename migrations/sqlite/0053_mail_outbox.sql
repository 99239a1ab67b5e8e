-- Mail owed to someone, recorded in the transaction that owes it (issue 14: the
-- settlement notice; docs/decisions/0057-mail-outbox.md).
--
-- A notice used to be sent by the request after its commit: a crash, a restart or a
-- mail server that was down in between lost it for good. Now the transaction that
-- settles a case also writes what is owed here — which message (purpose) about what
-- (subject_id) — and the sender (platform::outbox) builds the message from the data
-- when it sends, at once after the commit and again at growing intervals until the
-- mail server takes it. One row per purpose and subject: owed once, sent once (or,
-- after a crash between the send and its record, at most once more).

CREATE TABLE mail_outbox (
    id              INTEGER PRIMARY KEY,
    purpose         TEXT NOT NULL,
    subject_id      INTEGER NOT NULL,
    -- pending: to send; sent: the mail server took it; nothing: no address or no
    -- longer owed (checked when sending); failed: given up after the last attempt.
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sent', 'nothing', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    -- A sender (of several app servers) holds a row until then while it sends.
    claimed_until   TEXT,
    done_at         TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    UNIQUE (purpose, subject_id)
);
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);
