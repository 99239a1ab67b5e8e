-- The published catalogue's version (issue 9, "Speed"; docs/decisions/0021-speed.md).
-- Each app server keeps a snapshot of the public catalogue (published cards, their
-- files, units and locations) and reads this one number per request: the snapshot is
-- used while the number is the one it was built at. Triggers bump it in the writing
-- transaction on every change to the tables the snapshot is made of, so any writer —
-- this server, another app server, a CLI command — invalidates every snapshot at its
-- commit, and no code path can forget to.
CREATE TABLE catalogue_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO catalogue_version (id, version) VALUES (1, 1);

CREATE TRIGGER catalogue_card_insert AFTER INSERT ON service_card BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_card_update AFTER UPDATE ON service_card BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_card_delete AFTER DELETE ON service_card BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_file_insert AFTER INSERT ON service_card_file BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_file_update AFTER UPDATE ON service_card_file BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_file_delete AFTER DELETE ON service_card_file BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_unit_insert AFTER INSERT ON org_unit BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_unit_update AFTER UPDATE ON org_unit BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_unit_delete AFTER DELETE ON org_unit BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_location_insert AFTER INSERT ON location BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_location_update AFTER UPDATE ON location BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_location_delete AFTER DELETE ON location BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
