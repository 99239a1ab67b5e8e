-- The JRWA classes join the reference data versioned by `catalogue_version`
-- (migration 0016; issue 9, "Speed"; docs/decisions/0053). Staff pages that offer the
-- classes (the card editor, a new case) keep them per app server at that version,
-- which every staff request reads with its session; these triggers bump it in the
-- transaction of every change to `jrwa_class` (an import of a year's wykaz), so the
-- next request on every app server reads the classes again.
CREATE TRIGGER catalogue_jrwa_insert AFTER INSERT ON jrwa_class BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_jrwa_update AFTER UPDATE ON jrwa_class BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER catalogue_jrwa_delete AFTER DELETE ON jrwa_class BEGIN
    UPDATE catalogue_version SET version = version + 1 WHERE id = 1;
END;
