-- Cases at scale (1 million in a unit): the free-text search and the workload register
-- without reading every case (docs/decisions/0014-case-search-index.md). The SQLite
-- folder has the same version.
--
-- search_text: znak, title and party name folded the way the service-card search folds
-- (lowercase, Polish and neighbouring Latin diacritics removed: src/service_cards/rules.rs
-- `fold`). The application writes it with every new case; the UPDATE below backfills the
-- existing rows with the same mapping written in SQL (lower() for ASCII, then each
-- accented letter of `fold`, both cases).
ALTER TABLE case_file ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE case_file SET search_text = translate(
    lower(znak || ' ' || title || ' ' || party_name),
    'ąĄáÁàÀâÂäÄãÃåÅćĆčČçÇďĎęĘéÉèÈêÊëËěĚíÍìÌîÎïÏłŁľĽĺĹńŃňŇñÑóÓòÒôÔöÖõÕőŐřŘśŚšŠťŤúÚùÙûÛüÜůŮűŰýÝźŹżŻžŽ',
    'aaaaaaaaaaaaaaccccccddeeeeeeeeeeeeiiiiiiiillllllnnnnnnoooooooooooorrssssttuuuuuuuuuuuuyyzzzzzz');

-- The search index: pg_trgm's GIN index answers LIKE '%x%' for 3 or more characters
-- (pg_trgm is a trusted extension: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX case_file_search_trgm ON case_file USING gin (search_text gin_trgm_ops);

-- Open cases counted per unit, official (0: none yet), status and due date, kept by a
-- trigger in the writing transaction. The workload register sums these few rows (a few
-- thousand at a million cases) instead of grouping every open case; due-soon and
-- overdue are ranges of due_on, so the counts stay exact for any "today". Rows that drop
-- to 0 stay (the register skips them). Every writer of case_file takes the audit head
-- first, so the tally rows are always locked after it (one lock order).
CREATE TABLE case_open_tally (
    unit_id     BIGINT NOT NULL,
    official_id BIGINT NOT NULL,
    status      TEXT NOT NULL,
    due_on      DATE NOT NULL,
    cases       BIGINT NOT NULL,
    PRIMARY KEY (unit_id, official_id, status, due_on)
);
INSERT INTO case_open_tally (unit_id, official_id, status, due_on, cases)
    SELECT unit_id, COALESCE(official_id, 0), status, due_on, COUNT(*) FROM case_file
    WHERE status IN ('registered', 'assigned', 'in_progress', 'suspended')
    GROUP BY unit_id, COALESCE(official_id, 0), status, due_on;
CREATE FUNCTION case_open_tally_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF OLD.status IN ('registered', 'assigned', 'in_progress', 'suspended') THEN
            UPDATE case_open_tally SET cases = cases - 1
                WHERE unit_id = OLD.unit_id AND official_id = COALESCE(OLD.official_id, 0)
                AND status = OLD.status AND due_on = OLD.due_on;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW.status IN ('registered', 'assigned', 'in_progress', 'suspended') THEN
            INSERT INTO case_open_tally (unit_id, official_id, status, due_on, cases)
                VALUES (NEW.unit_id, COALESCE(NEW.official_id, 0), NEW.status, NEW.due_on, 1)
                ON CONFLICT (unit_id, official_id, status, due_on)
                DO UPDATE SET cases = case_open_tally.cases + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER case_open_tally_apply
    AFTER INSERT OR DELETE OR UPDATE OF unit_id, official_id, status, due_on ON case_file
    FOR EACH ROW EXECUTE FUNCTION case_open_tally_apply();
