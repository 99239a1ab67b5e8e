-- The incoming register's link to a case: PostgreSQL has had this foreign key since
-- migration 0005; the SQLite folder's 0011 rebuilds incoming_item to add the same key,
-- so that both backends refuse a link to no case (tests/api/schema_parity.rs compares
-- the two schemas). Nothing changes here but the key's description.
COMMENT ON CONSTRAINT incoming_item_case_fk ON incoming_item IS
    'incoming item linked to its case; SQLite has the same key since migration 0011';
