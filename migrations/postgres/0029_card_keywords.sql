-- Keywords of a service card (issue 15): the everyday words residents search by that
-- the card's name does not use — „meldunek” for „Zameldowanie na pobyt stały”,
-- „wycinka drzew” for „Zezwolenie na usunięcie drzew lub krzewów”. Edited by staff in
-- the card editor, comma-separated; the catalogue search weighs them like the name
-- (docs/decisions/0032-everyday-search.md). Existing cards start with none.
ALTER TABLE service_card ADD COLUMN keywords TEXT NOT NULL DEFAULT '';
