-- One list of channels for the correspondence register and the case register
-- (src/platform/channel.rs): cases now store the correspondence register's spellings,
-- so a case registered from an incoming item keeps its channel as it is. Reading a row
-- with any other value is an error (docs/decisions/0020), so every old value is mapped
-- here. The PostgreSQL folder has the same version.
--   paper      (a letter, by post or at the desk)  -> post
--   in_person  (said and written down, do protokołu) -> counter
--   e_delivery -> edoreczenia, e_service -> eservice; email and epuap keep their names.
UPDATE case_file SET channel = CASE channel
    WHEN 'paper' THEN 'post'
    WHEN 'in_person' THEN 'counter'
    WHEN 'e_delivery' THEN 'edoreczenia'
    WHEN 'e_service' THEN 'eservice'
    ELSE channel
END
WHERE channel IN ('paper', 'in_person', 'e_delivery', 'e_service');
