-- Appeals and ponaglenia lodged through the gmina (KPA art. 129 § 1, art. 37 § 3) and
-- what the organ did with them (art. 132 self-review, art. 133 / art. 37 § 4
-- forwarding within 7 days); every kind of period not counted in the term (art. 35
-- § 5). The PostgreSQL folder has the same version; only the types differ.

-- An appeal against a delivered decision (letter_id: the decision in the akta) or a
-- ponaglenie in the case. received_on: the day the gmina received it (starts the 7
-- days); posted_on: the day of posting at a Polish post office (art. 57 § 5 pkt 2,
-- decides whether the party's term was kept); forward_by: the organ's last day.
-- disposition: pending → self_review (art. 132) or forwarded (art. 133, art. 37 § 4,
-- with the organ's answer in `position`).
CREATE TABLE case_appeal (
    id             INTEGER PRIMARY KEY,
    case_id        INTEGER NOT NULL REFERENCES case_file(id),
    kind           TEXT NOT NULL CHECK (kind IN ('appeal', 'ponaglenie')),
    letter_id      INTEGER REFERENCES case_letter(id),
    lodged_by      TEXT NOT NULL,
    received_on    TEXT NOT NULL,
    posted_on      TEXT,
    in_term        BOOLEAN NOT NULL,
    forward_by     TEXT NOT NULL,
    higher_body    TEXT NOT NULL,
    disposition    TEXT NOT NULL CHECK (disposition IN ('pending', 'self_review', 'forwarded')),
    disposed_on    TEXT,
    disposed_late  BOOLEAN NOT NULL DEFAULT FALSE,
    position       TEXT NOT NULL DEFAULT '',
    registered_at  TEXT NOT NULL,
    registered_by  INTEGER REFERENCES app_user(id),
    disposed_at    TEXT,
    disposed_by    INTEGER REFERENCES app_user(id)
);
CREATE INDEX case_appeal_case ON case_appeal(case_id, id);
CREATE INDEX case_appeal_due ON case_appeal(disposition, forward_by, id);

-- Art. 35 § 5 names five periods not counted: suspension, the party's delay, periods a
-- law sets for specific acts, mediation, delays for reasons outside the organ. SQLite
-- cannot change a CHECK in place: the table is rebuilt with the wider one.
CREATE TABLE case_period_new (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES case_file(id),
    kind     TEXT NOT NULL CHECK (kind IN ('suspension', 'party_delay', 'statutory_act', 'mediation', 'outside_organ')),
    start_on TEXT NOT NULL,
    end_on   TEXT,
    reason   TEXT NOT NULL
);
INSERT INTO case_period_new (id, case_id, kind, start_on, end_on, reason)
    SELECT id, case_id, kind, start_on, end_on, reason FROM case_period;
DROP TABLE case_period;
ALTER TABLE case_period_new RENAME TO case_period;
CREATE INDEX case_period_case ON case_period(case_id);
