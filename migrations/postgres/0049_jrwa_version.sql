-- The JRWA classes join the reference data versioned by `catalogue_version`
-- (migration 0016; issue 9, "Speed"; docs/decisions/0053). Staff pages that offer the
-- classes (the card editor, a new case) keep them per app server at that version,
-- which every staff request reads with its session; this trigger bumps it in the
-- transaction of every change to `jrwa_class` (an import of a year's wykaz), so the
-- next request on every app server reads the classes again.
CREATE TRIGGER catalogue_jrwa_changed AFTER INSERT OR UPDATE OR DELETE ON jrwa_class
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_version_bump();
