-- The residents' service point (issue 11, docs/decisions/0027-service-point-queue.md):
-- ticket categories and desks per location, tickets, and every state interval of a
-- visit as a row (sp_visit_period, after bcgov/queue-management's Period), from which
-- waits and service times are measured.

-- A kind of matter a location's kiosk issues tickets for, with its letter prefix
-- (A, R; U for booked visits). daily_quota NULL: no quota.
CREATE TABLE sp_category (
    id              INTEGER PRIMARY KEY,
    location_id     INTEGER NOT NULL REFERENCES location(id) ON DELETE CASCADE,
    code            TEXT NOT NULL CHECK (length(code) = 1),
    name            TEXT NOT NULL,
    bookable        BOOLEAN NOT NULL DEFAULT FALSE,
    service_minutes INTEGER NOT NULL CHECK (service_minutes BETWEEN 1 AND 240),
    daily_quota     INTEGER CHECK (daily_quota > 0),
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    position        INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX sp_category_code ON sp_category (location_id, code);

-- The service cards (karty usług) a category covers: what the kiosk lists under it.
CREATE TABLE sp_category_card (
    category_id INTEGER NOT NULL REFERENCES sp_category(id) ON DELETE CASCADE,
    card_id     INTEGER NOT NULL REFERENCES service_card(id) ON DELETE CASCADE,
    PRIMARY KEY (category_id, card_id)
);

-- A desk (stanowisko) and its state now: closed, open or paused, and who sits there.
CREATE TABLE sp_desk (
    id          INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES location(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open', 'paused')),
    official_id INTEGER REFERENCES app_user(id),
    active      BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE UNIQUE INDEX sp_desk_name ON sp_desk (location_id, name);

CREATE TABLE sp_desk_category (
    desk_id     INTEGER NOT NULL REFERENCES sp_desk(id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES sp_category(id) ON DELETE CASCADE,
    PRIMARY KEY (desk_id, category_id)
);

-- The day's last number per category: tickets are numbered from 1 each day, taken
-- from this row in the issuing transaction (no gaps, no repeats).
CREATE TABLE sp_counter (
    category_id INTEGER NOT NULL REFERENCES sp_category(id) ON DELETE CASCADE,
    day         TEXT NOT NULL,
    last_number INTEGER NOT NULL,
    PRIMARY KEY (category_id, day)
);

-- A ticket: one visit for one matter. `day` is the Warsaw date of issue (YYYY-MM-DD);
-- `label` the number shown (A007); `token` the e-ticket's unguessable key. State:
-- waiting → called → serving → done, or no_show; a transfer puts it back to waiting
-- in another category or for one desk (desk_id while waiting).
CREATE TABLE sp_ticket (
    id             INTEGER PRIMARY KEY,
    location_id    INTEGER NOT NULL REFERENCES location(id) ON DELETE CASCADE,
    category_id    INTEGER NOT NULL REFERENCES sp_category(id),
    issued_category_id INTEGER NOT NULL REFERENCES sp_category(id),
    day            TEXT NOT NULL,
    number         INTEGER NOT NULL,
    label          TEXT NOT NULL,
    token          TEXT NOT NULL,
    priority       BOOLEAN NOT NULL DEFAULT FALSE,
    appointment_at TEXT,
    state          TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'serving', 'done', 'no_show')),
    desk_id        INTEGER REFERENCES sp_desk(id),
    official_id    INTEGER REFERENCES app_user(id),
    card_id        INTEGER REFERENCES service_card(id),
    issued_at      TEXT NOT NULL,
    queued_at      TEXT NOT NULL,
    called_at      TEXT,
    recalls        INTEGER NOT NULL DEFAULT 0,
    finished_at    TEXT
);
CREATE UNIQUE INDEX sp_ticket_number ON sp_ticket (issued_category_id, day, number);
CREATE UNIQUE INDEX sp_ticket_token ON sp_ticket (token);
CREATE INDEX sp_ticket_queue ON sp_ticket (location_id, state, day);

-- Every state interval of a visit: waiting, called, serving (ended_at NULL: now).
-- The desk and official of a called/serving interval, the category of each.
CREATE TABLE sp_visit_period (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES sp_ticket(id) ON DELETE CASCADE,
    state       TEXT NOT NULL CHECK (state IN ('waiting', 'called', 'serving')),
    category_id INTEGER NOT NULL REFERENCES sp_category(id),
    desk_id     INTEGER REFERENCES sp_desk(id),
    official_id INTEGER REFERENCES app_user(id),
    started_at  TEXT NOT NULL,
    ended_at    TEXT
);
CREATE INDEX sp_visit_period_ticket ON sp_visit_period (ticket_id, started_at);
CREATE INDEX sp_visit_period_started ON sp_visit_period (category_id, state, started_at);

-- Every state interval of a desk: open, paused (closed desks have no rows).
CREATE TABLE sp_desk_period (
    id          INTEGER PRIMARY KEY,
    desk_id     INTEGER NOT NULL REFERENCES sp_desk(id) ON DELETE CASCADE,
    state       TEXT NOT NULL CHECK (state IN ('open', 'paused')),
    official_id INTEGER REFERENCES app_user(id),
    started_at  TEXT NOT NULL,
    ended_at    TEXT
);
CREATE INDEX sp_desk_period_desk ON sp_desk_period (desk_id, started_at);
