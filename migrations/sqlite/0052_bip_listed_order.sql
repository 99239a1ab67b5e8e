-- The BIP's lists read a page, not a section (issue 13; docs/decisions/0056).
--
-- A section's page and its feed show its publications newest first by the moment each
-- was first made available. That moment was worked out per publication (a subquery on
-- its first version) for every publication of the section, which was then sorted whole
-- to show 50. It is now kept on the publication, written once when its first version
-- is stored (a version never changes, so neither does it), and an index in that order
-- serves a page and the count of pages, without reading the table (`status` is in it
-- for that). A publication is public from that moment: no version is made available
-- before the one it replaces (magistrat_domain::bip::check_version).
ALTER TABLE bip_publication ADD COLUMN first_available_at TEXT;
UPDATE bip_publication SET first_available_at = (
    SELECT v.made_available_at FROM bip_version v
    WHERE v.publication_id = bip_publication.id AND v.number = 1);
CREATE INDEX bip_publication_listed
    ON bip_publication(section, first_available_at, id, status)
    WHERE status <> 'removed';

-- The newest changes (the BIP's home; the announcements in /feed.atom) are the newest
-- versions: read in the order of an index, the publication breaking ties, they stop
-- after the first rows instead of sorting every publication. A section's newest ones
-- need the section on the version (a publication never changes its section, so the
-- copy never goes stale, as bip_change's does not); without it a small section would
-- be looked for among every version of the BIP. (The default only lets the column be
-- added: the UPDATE sets every row there is, and every version written names it.)
ALTER TABLE bip_version ADD COLUMN section TEXT NOT NULL DEFAULT '';
UPDATE bip_version SET section = (
    SELECT p.section FROM bip_publication p WHERE p.id = bip_version.publication_id);
DROP INDEX bip_version_available;
CREATE INDEX bip_version_available ON bip_version(made_available_at, publication_id);
CREATE INDEX bip_version_section ON bip_version(section, made_available_at, publication_id);
