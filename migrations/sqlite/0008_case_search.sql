-- Cases at scale (1 million in a unit): the free-text search and the workload register
-- without reading every case (docs/decisions/0014-case-search-index.md). The PostgreSQL
-- folder has the same version.
--
-- search_text: znak, title and party name folded the way the service-card search folds
-- (lowercase, Polish and neighbouring Latin diacritics removed: src/service_cards/rules.rs
-- `fold`). The application writes it with every new case; the UPDATE below backfills the
-- existing rows with the same mapping written in SQL (lower() for ASCII, then each
-- accented letter of `fold`, both cases).
ALTER TABLE case_file ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE case_file SET search_text =
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
        lower(znak || ' ' || title || ' ' || party_name)
        , 'ą', 'a') , 'Ą', 'a') , 'á', 'a') , 'Á', 'a') , 'à', 'a') , 'À', 'a')
        , 'â', 'a') , 'Â', 'a') , 'ä', 'a') , 'Ä', 'a') , 'ã', 'a') , 'Ã', 'a')
        , 'å', 'a') , 'Å', 'a') , 'ć', 'c') , 'Ć', 'c') , 'č', 'c') , 'Č', 'c')
        , 'ç', 'c') , 'Ç', 'c') , 'ď', 'd') , 'Ď', 'd') , 'ę', 'e') , 'Ę', 'e')
        , 'é', 'e') , 'É', 'e') , 'è', 'e') , 'È', 'e') , 'ê', 'e') , 'Ê', 'e')
        , 'ë', 'e') , 'Ë', 'e') , 'ě', 'e') , 'Ě', 'e') , 'í', 'i') , 'Í', 'i')
        , 'ì', 'i') , 'Ì', 'i') , 'î', 'i') , 'Î', 'i') , 'ï', 'i') , 'Ï', 'i')
        , 'ł', 'l') , 'Ł', 'l') , 'ľ', 'l') , 'Ľ', 'l') , 'ĺ', 'l') , 'Ĺ', 'l')
        , 'ń', 'n') , 'Ń', 'n') , 'ň', 'n') , 'Ň', 'n') , 'ñ', 'n') , 'Ñ', 'n')
        , 'ó', 'o') , 'Ó', 'o') , 'ò', 'o') , 'Ò', 'o') , 'ô', 'o') , 'Ô', 'o')
        , 'ö', 'o') , 'Ö', 'o') , 'õ', 'o') , 'Õ', 'o') , 'ő', 'o') , 'Ő', 'o')
        , 'ř', 'r') , 'Ř', 'r') , 'ś', 's') , 'Ś', 's') , 'š', 's') , 'Š', 's')
        , 'ť', 't') , 'Ť', 't') , 'ú', 'u') , 'Ú', 'u') , 'ù', 'u') , 'Ù', 'u')
        , 'û', 'u') , 'Û', 'u') , 'ü', 'u') , 'Ü', 'u') , 'ů', 'u') , 'Ů', 'u')
        , 'ű', 'u') , 'Ű', 'u') , 'ý', 'y') , 'Ý', 'y') , 'ź', 'z') , 'Ź', 'z')
        , 'ż', 'z') , 'Ż', 'z') , 'ž', 'z') , 'Ž', 'z');

-- The search index: FTS5 with the trigram tokenizer finds any substring of 3 or more
-- characters (a LIKE '%x%' would read every row). External content: the text lives in
-- case_file.search_text only; the triggers keep the index in step with it.
CREATE VIRTUAL TABLE case_search USING fts5(
    search_text, content = 'case_file', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO case_search (case_search) VALUES ('rebuild');
CREATE TRIGGER case_search_insert AFTER INSERT ON case_file BEGIN
    INSERT INTO case_search (rowid, search_text) VALUES (NEW.id, NEW.search_text);
END;
CREATE TRIGGER case_search_delete AFTER DELETE ON case_file BEGIN
    INSERT INTO case_search (case_search, rowid, search_text)
        VALUES ('delete', OLD.id, OLD.search_text);
END;
CREATE TRIGGER case_search_update AFTER UPDATE OF search_text ON case_file BEGIN
    INSERT INTO case_search (case_search, rowid, search_text)
        VALUES ('delete', OLD.id, OLD.search_text);
    INSERT INTO case_search (rowid, search_text) VALUES (NEW.id, NEW.search_text);
END;

-- Open cases counted per unit, official (0: none yet), status and due date, kept by
-- triggers in the writing transaction. The workload register sums these few rows (a
-- few thousand at a million cases) instead of grouping every open case; due-soon and
-- overdue are ranges of due_on, so the counts stay exact for any "today". Rows that
-- drop to 0 stay (the register skips them).
CREATE TABLE case_open_tally (
    unit_id     INTEGER NOT NULL,
    official_id INTEGER NOT NULL,
    status      TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    cases       INTEGER NOT NULL,
    PRIMARY KEY (unit_id, official_id, status, due_on)
);
INSERT INTO case_open_tally (unit_id, official_id, status, due_on, cases)
    SELECT unit_id, COALESCE(official_id, 0), status, due_on, COUNT(*) FROM case_file
    WHERE status IN ('registered', 'assigned', 'in_progress', 'suspended')
    GROUP BY unit_id, COALESCE(official_id, 0), status, due_on;
CREATE TRIGGER case_open_tally_insert AFTER INSERT ON case_file
WHEN NEW.status IN ('registered', 'assigned', 'in_progress', 'suspended')
BEGIN
    INSERT INTO case_open_tally (unit_id, official_id, status, due_on, cases)
        VALUES (NEW.unit_id, COALESCE(NEW.official_id, 0), NEW.status, NEW.due_on, 1)
        ON CONFLICT (unit_id, official_id, status, due_on) DO UPDATE SET cases = cases + 1;
END;
CREATE TRIGGER case_open_tally_update AFTER UPDATE OF unit_id, official_id, status, due_on
ON case_file BEGIN
    UPDATE case_open_tally SET cases = cases - 1
        WHERE OLD.status IN ('registered', 'assigned', 'in_progress', 'suspended')
        AND unit_id = OLD.unit_id AND official_id = COALESCE(OLD.official_id, 0)
        AND status = OLD.status AND due_on = OLD.due_on;
    INSERT INTO case_open_tally (unit_id, official_id, status, due_on, cases)
        SELECT NEW.unit_id, COALESCE(NEW.official_id, 0), NEW.status, NEW.due_on, 1
        WHERE NEW.status IN ('registered', 'assigned', 'in_progress', 'suspended')
        ON CONFLICT (unit_id, official_id, status, due_on) DO UPDATE SET cases = cases + 1;
END;
CREATE TRIGGER case_open_tally_delete AFTER DELETE ON case_file
WHEN OLD.status IN ('registered', 'assigned', 'in_progress', 'suspended')
BEGIN
    UPDATE case_open_tally SET cases = cases - 1
        WHERE unit_id = OLD.unit_id AND official_id = COALESCE(OLD.official_id, 0)
        AND status = OLD.status AND due_on = OLD.due_on;
END;
