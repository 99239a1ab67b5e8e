-- Residents' ratings after a visit or a settled case (issue 14,
-- docs/decisions/0034-satisfaction-ratings.md).
--
-- A rating names no resident and no visit or case: only what the results are grouped
-- by (channel, location, ticket category or kind of case, unit, official) and the day
-- the service was given. That a visit or case has been rated is kept apart, in
-- sat_rated, whose key alone makes a second rating of the same one impossible; the two
-- tables share no column, so a rating cannot be traced back to who gave it.

CREATE TABLE sat_rating (
    id             INTEGER PRIMARY KEY,
    subject        TEXT NOT NULL CHECK (subject IN ('visit', 'case')),
    channel        TEXT NOT NULL,
    location_id    INTEGER REFERENCES location(id),
    category       TEXT NOT NULL DEFAULT '',
    unit_id        INTEGER REFERENCES org_unit(id),
    official_id    INTEGER REFERENCES app_user(id),
    service_on     TEXT NOT NULL,
    service_score  INTEGER NOT NULL CHECK (service_score BETWEEN 1 AND 5),
    official_score INTEGER NOT NULL CHECK (official_score BETWEEN 1 AND 5),
    nps            INTEGER NOT NULL CHECK (nps BETWEEN 0 AND 10),
    -- A comment is read by nobody but the moderators until one approves it; a
    -- rejected comment's text is erased.
    comment        TEXT NOT NULL DEFAULT '',
    comment_state  TEXT NOT NULL CHECK (comment_state IN ('none', 'pending', 'approved', 'rejected')),
    moderated_by   INTEGER REFERENCES app_user(id),
    moderated_at   TEXT
);
CREATE INDEX sat_rating_day ON sat_rating (service_on);
CREATE INDEX sat_rating_official ON sat_rating (official_id, service_on);
CREATE INDEX sat_rating_comment ON sat_rating (comment_state, id);

-- `visit:<ticket id>` or `case:<case id>`: rated once. Stored without a row id (in key
-- order, not insertion order), so not even the storage order pairs it with a rating.
CREATE TABLE sat_rated (
    subject_key TEXT NOT NULL PRIMARY KEY
) WITHOUT ROWID;
