-- Hardening (as migrations/sqlite/0004_hardening.sql): the health probe's row, disabled
-- accounts, and the count of accepted ballots.

CREATE TABLE health (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    at BIGINT NOT NULL
);
INSERT INTO health (id, at) VALUES (1, 0);

ALTER TABLE accounts ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;

INSERT INTO meta (key, value)
    SELECT 'ballots_accepted', CAST(count(*) AS TEXT) FROM participation;
