-- The first schema: a table of server metadata. Later migrations add consultations,
-- electorates and ballots. Each migration runs once, in a transaction, and bumps
-- PRAGMA user_version.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;
INSERT INTO meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
