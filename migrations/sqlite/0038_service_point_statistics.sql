-- The service point's statistics (issue 11, docs/decisions/0041): the visits of a
-- point over a range of days are read by (location_id, day); the desk tablet reads the
-- visit a desk finished last by (desk_id, day).
CREATE INDEX sp_ticket_location_day ON sp_ticket (location_id, day);
CREATE INDEX sp_ticket_desk_day ON sp_ticket (desk_id, day);
