-- Visit booking at a residents' service point (issue 11, docs/decisions/
-- 0033-visit-booking.md): one booking = one matter in one slot of a bookable
-- category. `starts_at` is the slot's start (UTC), `day` its Warsaw date; `code` the
-- six digits the resident types at the kiosk, unique per point and day; `token` the
-- unguessable key of the booking's page and cancellation link. State: booked →
-- checked_in (a ticket issued, `ticket_id`) or cancelled; a booking left `booked`
-- after its time and grace is a no-show.
CREATE TABLE sp_booking (
    id           INTEGER PRIMARY KEY,
    location_id  INTEGER NOT NULL REFERENCES location(id) ON DELETE CASCADE,
    category_id  INTEGER NOT NULL REFERENCES sp_category(id),
    card_id      INTEGER REFERENCES service_card(id),
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    day          TEXT NOT NULL,
    code         TEXT NOT NULL CHECK (length(code) = 6),
    token        TEXT NOT NULL,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    phone        TEXT,
    pesel        TEXT,
    state        TEXT NOT NULL CHECK (state IN ('booked', 'checked_in', 'cancelled')),
    ticket_id    INTEGER REFERENCES sp_ticket(id),
    created_at   TEXT NOT NULL,
    cancelled_at TEXT,
    reminded_at  TEXT
);
CREATE UNIQUE INDEX sp_booking_code ON sp_booking (location_id, day, code);
CREATE UNIQUE INDEX sp_booking_token ON sp_booking (token);
CREATE INDEX sp_booking_slot ON sp_booking (category_id, starts_at, state);
CREATE INDEX sp_booking_day ON sp_booking (day, state);
