-- Several server processes may share one database (PostgreSQL; the same schema version on
-- SQLite). While no committee account exists each process makes its own one-time setup
-- code at start and prints it to its log: every code made stays valid until the first
-- account is created, when all are deleted (one code in `meta` would be replaced by the
-- process that started last).
CREATE TABLE setup_codes (
    sha256 TEXT PRIMARY KEY NOT NULL          -- SHA-256 of the code, hex
) STRICT, WITHOUT ROWID;
INSERT INTO setup_codes (sha256)
    SELECT value FROM meta WHERE key = 'setup_code_sha256';
DELETE FROM meta WHERE key = 'setup_code_sha256';
