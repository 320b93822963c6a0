-- Hardening: the health probe's row (a real write on every health check), disabled
-- accounts, the audit of refused double votes counted once per unit and channel, and the
-- count of accepted ballots that backups are compared by.

CREATE TABLE health (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL                     -- Unix seconds of the last health check
) STRICT;
INSERT INTO health (id, at) VALUES (1, 0);

-- A disabled account cannot sign in and its sessions stop working.
ALTER TABLE accounts ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

-- Ballots (and paper marks) accepted since the database was made: a restore compares a
-- snapshot's count with the live one's, so an old copy cannot quietly revive spent tokens.
INSERT INTO meta (key, value)
    SELECT 'ballots_accepted', CAST(count(*) AS TEXT) FROM participation;
