-- The ratings' sums per service day, unit, location and channel (issue 14: the
-- published results over a million ratings within a second; docs/decisions/0054).
--
-- The results and trends add up whole groups over any period of days; reading the
-- ratings row by row cost seconds at a million of them. These sums hold the same
-- figures a few hundred times smaller (a day has a row per unit, place and channel that
-- was rated), kept by the triggers below in the transaction of every change to
-- sat_rating, whoever makes it — so they never differ from the ratings. Per-official
-- figures (staff only, one official at a time) still read the ratings by their index.
-- A missing unit or location is stored as 0, since a key column must not be NULL for
-- the upsert to find its row; readers turn 0 back into NULL. The sums are INTEGER so
-- that SUM() over them is a BIGINT on both backends, as over the ratings.

CREATE TABLE sat_day_sums (
    service_on         TEXT NOT NULL,
    unit_id            BIGINT NOT NULL,
    location_id        BIGINT NOT NULL,
    channel            TEXT NOT NULL,
    n                  INTEGER NOT NULL,
    service_sum        INTEGER NOT NULL,
    service_satisfied  INTEGER NOT NULL,
    official_sum       INTEGER NOT NULL,
    official_satisfied INTEGER NOT NULL,
    promoters          INTEGER NOT NULL,
    detractors         INTEGER NOT NULL,
    PRIMARY KEY (service_on, unit_id, location_id, channel)
);

INSERT INTO sat_day_sums
SELECT service_on, COALESCE(unit_id, 0), COALESCE(location_id, 0), channel,
       COUNT(*), SUM(service_score),
       SUM(CASE WHEN service_score >= 4 THEN 1 ELSE 0 END), SUM(official_score),
       SUM(CASE WHEN official_score >= 4 THEN 1 ELSE 0 END),
       SUM(CASE WHEN nps >= 9 THEN 1 ELSE 0 END), SUM(CASE WHEN nps <= 6 THEN 1 ELSE 0 END)
FROM sat_rating
GROUP BY 1, 2, 3, 4;

-- One function for the three triggers below. It reads the statement's transition
-- tables, so a bulk insert of thousands of ratings is one upsert of a few sums, not one
-- per rating; the ratings taken away are added with the sign -1, and rows that reach
-- zero ratings are removed. (The transition tables are seen only by statements of the
-- trigger function itself, so the work is not split into a helper function.)
CREATE FUNCTION sat_day_sums_follow() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    apply CONSTANT TEXT :=
        'INSERT INTO sat_day_sums AS s
         SELECT service_on, COALESCE(unit_id, 0), COALESCE(location_id, 0), channel,
                $1 * COUNT(*), $1 * SUM(service_score),
                $1 * SUM(CASE WHEN service_score >= 4 THEN 1 ELSE 0 END),
                $1 * SUM(official_score),
                $1 * SUM(CASE WHEN official_score >= 4 THEN 1 ELSE 0 END),
                $1 * SUM(CASE WHEN nps >= 9 THEN 1 ELSE 0 END),
                $1 * SUM(CASE WHEN nps <= 6 THEN 1 ELSE 0 END)
         FROM %I GROUP BY 1, 2, 3, 4
         ON CONFLICT (service_on, unit_id, location_id, channel) DO UPDATE SET
             n = s.n + EXCLUDED.n,
             service_sum = s.service_sum + EXCLUDED.service_sum,
             service_satisfied = s.service_satisfied + EXCLUDED.service_satisfied,
             official_sum = s.official_sum + EXCLUDED.official_sum,
             official_satisfied = s.official_satisfied + EXCLUDED.official_satisfied,
             promoters = s.promoters + EXCLUDED.promoters,
             detractors = s.detractors + EXCLUDED.detractors';
    rescored BOOLEAN;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- A moderation (the comment only) changes no sum: nothing to do.
        EXECUTE 'SELECT EXISTS (
            SELECT 1 FROM old_ratings o JOIN new_ratings r ON r.id = o.id
            WHERE (o.service_on, o.unit_id, o.location_id, o.channel, o.service_score,
                   o.official_score, o.nps)
                  IS DISTINCT FROM
                  (r.service_on, r.unit_id, r.location_id, r.channel, r.service_score,
                   r.official_score, r.nps))' INTO rescored;
        IF NOT rescored THEN
            RETURN NULL;
        END IF;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        EXECUTE format(apply, 'old_ratings') USING -1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        EXECUTE format(apply, 'new_ratings') USING 1;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM sat_day_sums WHERE n <= 0;
    END IF;
    RETURN NULL;
END
$fn$;

-- Nothing deletes or re-scores a rating today (moderation touches the comment only);
-- the last two keep the sums true if anything ever does.
CREATE TRIGGER sat_day_sums_add AFTER INSERT ON sat_rating
    REFERENCING NEW TABLE AS new_ratings
    FOR EACH STATEMENT EXECUTE FUNCTION sat_day_sums_follow();
CREATE TRIGGER sat_day_sums_remove AFTER DELETE ON sat_rating
    REFERENCING OLD TABLE AS old_ratings
    FOR EACH STATEMENT EXECUTE FUNCTION sat_day_sums_follow();
CREATE TRIGGER sat_day_sums_rescore AFTER UPDATE ON sat_rating
    REFERENCING OLD TABLE AS old_ratings NEW TABLE AS new_ratings
    FOR EACH STATEMENT EXECUTE FUNCTION sat_day_sums_follow();
