-- Opłata skarbowa (issue 10): the stamp duty of a case — copied from its service card
-- when an e-service filing registers it, or set by the official — its payment with
-- the proof, an exemption with its legal basis, and the summons to pay of KPA art. 261
-- § 1 (a term of 7 to 14 days from delivery) with the return of the request of § 2.
-- Amounts are integer grosze. The PostgreSQL folder has the same version; only the
-- types differ. Decision 0050.

-- One fee of a case: the request's (części I–III of the tariff) or a power of
-- attorney's (część IV, 17 zł). state: due, paid, exempt, returned (the summons ran
-- out unpaid and the request was returned, art. 261 § 2).
CREATE TABLE case_fee (
    id                INTEGER PRIMARY KEY,
    case_id           INTEGER NOT NULL REFERENCES case_file(id),
    kind              TEXT NOT NULL CHECK (kind IN ('request', 'power_of_attorney')),
    description       TEXT NOT NULL,
    tariff            TEXT NOT NULL DEFAULT '',
    amount_grosze     INTEGER NOT NULL CHECK (amount_grosze > 0),
    state             TEXT NOT NULL CHECK (state IN ('due', 'paid', 'exempt', 'returned')),
    -- Paid: when, how much, how, and the proof (a reference: the transfer's title or
    -- the cash desk's receipt number).
    paid_on           TEXT,
    paid_grosze       INTEGER,
    method            TEXT NOT NULL DEFAULT '' CHECK (method IN ('', 'transfer', 'cash_desk', 'card')),
    proof             TEXT NOT NULL DEFAULT '',
    -- Exempt: the legal basis (art. 2 or art. 7 of the ustawa o opłacie skarbowej).
    exempt_basis      TEXT NOT NULL DEFAULT '',
    -- The summons of art. 261 § 1: delivered on a day, the term in days, the last day.
    summons_delivered_on TEXT,
    summons_days      INTEGER,
    pay_by            TEXT,
    created_at        TEXT NOT NULL,
    created_by        INTEGER REFERENCES app_user(id)
);
CREATE INDEX case_fee_case ON case_fee(case_id, id);

-- The office's account for the stamp duty (art. 8 of the act: the tax organ's bank
-- account), NRB digits; shown with the fees due on the case page and the residents'
-- status page. Empty: not set.
ALTER TABLE office ADD COLUMN fee_account TEXT NOT NULL DEFAULT '';

-- A service card's words on exemptions from the stamp duty (art. 2 and art. 7 of the
-- act); each fee row of the card (the JSON column `fees`) gains its tariff position.
ALTER TABLE service_card ADD COLUMN fee_exemptions TEXT NOT NULL DEFAULT '';
