-- Jobs of any period, and live events (docs/decisions/0017-jobs-and-live-events.md).
--
-- job_run: a claim is now (job, period), where the period is a text key (the Warsaw date
-- of a daily job, the UTC start of an every-N-minutes one); what a run did goes into
-- `detail` (JSON) instead of the reminders' own columns.
ALTER TABLE job_run RENAME COLUMN day TO period;
ALTER TABLE job_run ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
UPDATE job_run SET detail = json_object(
    'sent', sent, 'failed', failed, 'failed_recipients', failed_recipients);
ALTER TABLE job_run DROP COLUMN sent;
ALTER TABLE job_run DROP COLUMN failed;
ALTER TABLE job_run DROP COLUMN failed_recipients;

-- Live events: what was announced, kept for a while so that a subscriber coming back
-- with the last id it saw (SSE Last-Event-ID) reads exactly what it missed. Ids grow in
-- commit order within a topic (SQLite has one writer at a time). Pruned by a job.
CREATE TABLE live_event (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    topic   TEXT NOT NULL,
    payload TEXT NOT NULL,
    at      TEXT NOT NULL
);
CREATE INDEX live_event_topic ON live_event (topic, id);
CREATE INDEX live_event_at ON live_event (at);
