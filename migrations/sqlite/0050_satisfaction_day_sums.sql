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
-- the upsert to find its row; readers turn 0 back into NULL.

CREATE TABLE sat_day_sums (
    service_on         TEXT NOT NULL,
    unit_id            INTEGER NOT NULL,
    location_id        INTEGER NOT NULL,
    channel            TEXT NOT NULL,
    n                  INTEGER NOT NULL,
    service_sum        INTEGER NOT NULL,
    service_satisfied  INTEGER NOT NULL,
    official_sum       INTEGER NOT NULL,
    official_satisfied INTEGER NOT NULL,
    promoters          INTEGER NOT NULL,
    detractors         INTEGER NOT NULL,
    PRIMARY KEY (service_on, unit_id, location_id, channel)
) WITHOUT ROWID;

INSERT INTO sat_day_sums
SELECT service_on, COALESCE(unit_id, 0), COALESCE(location_id, 0), channel,
       COUNT(*), SUM(service_score),
       SUM(CASE WHEN service_score >= 4 THEN 1 ELSE 0 END), SUM(official_score),
       SUM(CASE WHEN official_score >= 4 THEN 1 ELSE 0 END),
       SUM(CASE WHEN nps >= 9 THEN 1 ELSE 0 END), SUM(CASE WHEN nps <= 6 THEN 1 ELSE 0 END)
FROM sat_rating
GROUP BY 1, 2, 3, 4;

CREATE TRIGGER sat_day_sums_add AFTER INSERT ON sat_rating
BEGIN
    INSERT INTO sat_day_sums
    VALUES (NEW.service_on, COALESCE(NEW.unit_id, 0), COALESCE(NEW.location_id, 0),
            NEW.channel, 1, NEW.service_score,
            CASE WHEN NEW.service_score >= 4 THEN 1 ELSE 0 END, NEW.official_score,
            CASE WHEN NEW.official_score >= 4 THEN 1 ELSE 0 END,
            CASE WHEN NEW.nps >= 9 THEN 1 ELSE 0 END, CASE WHEN NEW.nps <= 6 THEN 1 ELSE 0 END)
    ON CONFLICT (service_on, unit_id, location_id, channel) DO UPDATE SET
        n = n + excluded.n,
        service_sum = service_sum + excluded.service_sum,
        service_satisfied = service_satisfied + excluded.service_satisfied,
        official_sum = official_sum + excluded.official_sum,
        official_satisfied = official_satisfied + excluded.official_satisfied,
        promoters = promoters + excluded.promoters,
        detractors = detractors + excluded.detractors;
END;

-- Nothing deletes or re-scores a rating today (moderation touches the comment only);
-- these keep the sums true if anything ever does.
CREATE TRIGGER sat_day_sums_remove AFTER DELETE ON sat_rating
BEGIN
    UPDATE sat_day_sums SET
        n = n - 1,
        service_sum = service_sum - OLD.service_score,
        service_satisfied = service_satisfied - (CASE WHEN OLD.service_score >= 4 THEN 1 ELSE 0 END),
        official_sum = official_sum - OLD.official_score,
        official_satisfied = official_satisfied - (CASE WHEN OLD.official_score >= 4 THEN 1 ELSE 0 END),
        promoters = promoters - (CASE WHEN OLD.nps >= 9 THEN 1 ELSE 0 END),
        detractors = detractors - (CASE WHEN OLD.nps <= 6 THEN 1 ELSE 0 END)
    WHERE service_on = OLD.service_on AND unit_id = COALESCE(OLD.unit_id, 0)
      AND location_id = COALESCE(OLD.location_id, 0) AND channel = OLD.channel;
    DELETE FROM sat_day_sums
    WHERE service_on = OLD.service_on AND unit_id = COALESCE(OLD.unit_id, 0)
      AND location_id = COALESCE(OLD.location_id, 0) AND channel = OLD.channel AND n = 0;
END;

CREATE TRIGGER sat_day_sums_rescore
AFTER UPDATE OF service_on, unit_id, location_id, channel, service_score, official_score, nps
ON sat_rating
BEGIN
    UPDATE sat_day_sums SET
        n = n - 1,
        service_sum = service_sum - OLD.service_score,
        service_satisfied = service_satisfied - (CASE WHEN OLD.service_score >= 4 THEN 1 ELSE 0 END),
        official_sum = official_sum - OLD.official_score,
        official_satisfied = official_satisfied - (CASE WHEN OLD.official_score >= 4 THEN 1 ELSE 0 END),
        promoters = promoters - (CASE WHEN OLD.nps >= 9 THEN 1 ELSE 0 END),
        detractors = detractors - (CASE WHEN OLD.nps <= 6 THEN 1 ELSE 0 END)
    WHERE service_on = OLD.service_on AND unit_id = COALESCE(OLD.unit_id, 0)
      AND location_id = COALESCE(OLD.location_id, 0) AND channel = OLD.channel;
    DELETE FROM sat_day_sums
    WHERE service_on = OLD.service_on AND unit_id = COALESCE(OLD.unit_id, 0)
      AND location_id = COALESCE(OLD.location_id, 0) AND channel = OLD.channel AND n = 0;
    INSERT INTO sat_day_sums
    VALUES (NEW.service_on, COALESCE(NEW.unit_id, 0), COALESCE(NEW.location_id, 0),
            NEW.channel, 1, NEW.service_score,
            CASE WHEN NEW.service_score >= 4 THEN 1 ELSE 0 END, NEW.official_score,
            CASE WHEN NEW.official_score >= 4 THEN 1 ELSE 0 END,
            CASE WHEN NEW.nps >= 9 THEN 1 ELSE 0 END, CASE WHEN NEW.nps <= 6 THEN 1 ELSE 0 END)
    ON CONFLICT (service_on, unit_id, location_id, channel) DO UPDATE SET
        n = n + excluded.n,
        service_sum = service_sum + excluded.service_sum,
        service_satisfied = service_satisfied + excluded.service_satisfied,
        official_sum = official_sum + excluded.official_sum,
        official_satisfied = official_satisfied + excluded.official_satisfied,
        promoters = promoters + excluded.promoters,
        detractors = detractors + excluded.detractors;
END;
