-- One-time setup codes, one per server process started while no account exists (as
-- migrations/sqlite/0005_instances.sql).
CREATE TABLE setup_codes (
    sha256 TEXT PRIMARY KEY NOT NULL
);
