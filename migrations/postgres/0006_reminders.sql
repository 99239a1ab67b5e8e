-- Daily jobs (the deadline reminders): one row per job and day. Inserting the row is
-- how one app server claims the day; another server sharing the database finds the
-- key taken and skips (docs/decisions/0012-reminders-once-per-day.md). The results are
-- filled in when the run ends; a run that died midway keeps finished_at NULL.
CREATE TABLE job_run (
    job               TEXT NOT NULL,
    day               DATE NOT NULL,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ,
    sent              BIGINT NOT NULL DEFAULT 0,
    failed            BIGINT NOT NULL DEFAULT 0,
    failed_recipients TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (job, day)
);
