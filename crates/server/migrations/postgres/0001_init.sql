-- The first schema, for PostgreSQL (migrations/sqlite/0001_init.sql is the same for SQLite):
-- a table of server metadata. Each migration runs once, in a transaction, and its number
-- is recorded in `schema_version`.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value)
    VALUES ('created_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'));
