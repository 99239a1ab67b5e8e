-- The BIP search index's version (issue 13, search; docs/decisions/0038). Each app
-- server keeps the BIP's publications prepared for search in memory and reads this one
-- number per search: the snapshot is used while the number is the one it was built at.
-- Triggers bump it in the writing transaction on every change to publications and
-- versions, so any writer (this server, another app server, the demo, a CLI command)
-- makes every server's index current at its commit. A scheduled version needs no bump:
-- the snapshot holds it, and a search picks the newest version made available by the
-- office's clock. (The row lock orders concurrent BIP writers; they are editors, rare.)
CREATE TABLE bip_search_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO bip_search_version (id, version) VALUES (1, 1);

CREATE FUNCTION bip_search_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE bip_search_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER bip_search_publication_changed AFTER INSERT OR UPDATE OR DELETE
    ON bip_publication FOR EACH STATEMENT EXECUTE FUNCTION bip_search_version_bump();
CREATE TRIGGER bip_search_version_changed AFTER INSERT OR UPDATE OR DELETE
    ON bip_version FOR EACH STATEMENT EXECUTE FUNCTION bip_search_version_bump();
