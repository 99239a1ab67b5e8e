-- The BIP search index's version (issue 13, search; docs/decisions/0038). Each app
-- server keeps the BIP's publications prepared for search in memory and reads this one
-- number per search: the snapshot is used while the number is the one it was built at.
-- Triggers bump it in the writing transaction on every change to publications and
-- versions, so any writer (this server, another app server, the demo, a CLI command)
-- makes every server's index current at its commit. A scheduled version needs no bump:
-- the snapshot holds it, and a search picks the newest version made available by the
-- office's clock.
CREATE TABLE bip_search_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO bip_search_version (id, version) VALUES (1, 1);

CREATE TRIGGER bip_search_publication_insert AFTER INSERT ON bip_publication BEGIN
    UPDATE bip_search_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER bip_search_publication_update AFTER UPDATE ON bip_publication BEGIN
    UPDATE bip_search_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER bip_search_publication_delete AFTER DELETE ON bip_publication BEGIN
    UPDATE bip_search_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER bip_search_version_insert AFTER INSERT ON bip_version BEGIN
    UPDATE bip_search_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER bip_search_version_update AFTER UPDATE ON bip_version BEGIN
    UPDATE bip_search_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER bip_search_version_delete AFTER DELETE ON bip_version BEGIN
    UPDATE bip_search_version SET version = version + 1 WHERE id = 1;
END;
