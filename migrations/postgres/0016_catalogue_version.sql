-- The published catalogue's version (issue 9, "Speed"; docs/decisions/0021-speed.md).
-- Each app server keeps a snapshot of the public catalogue (published cards, their
-- files, units and locations) and reads this one number per request: the snapshot is
-- used while the number is the one it was built at. Triggers bump it in the writing
-- transaction on every change to the tables the snapshot is made of, so any writer —
-- this server, another app server, a CLI command — invalidates every snapshot at its
-- commit, and no code path can forget to. (The row lock it takes orders concurrent card
-- and unit writers; they are rare, staff-only writes.)
CREATE TABLE catalogue_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 1);

CREATE FUNCTION catalogue_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER catalogue_card_changed AFTER INSERT OR UPDATE OR DELETE ON service_card
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_file_changed AFTER INSERT OR UPDATE OR DELETE ON service_card_file
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_unit_changed AFTER INSERT OR UPDATE OR DELETE ON org_unit
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump();
CREATE TRIGGER catalogue_location_changed AFTER INSERT OR UPDATE OR DELETE ON location
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump();
