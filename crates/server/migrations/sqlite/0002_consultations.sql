-- Committee accounts, consultations, electorates, ballot tokens, ballots and the audit log.
--
-- Secrecy of the option vote rests on this schema: `participation` says which units voted
-- (and how), `option_ballots` holds what was voted, and nothing links the two. Both are
-- WITHOUT ROWID tables keyed by something other than arrival order (the unit id; a random
-- ballot id), neither has a timestamp, and a unit's row and its ballot are written in the
-- same transaction, among the other ballots of the same group commit.

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,           -- argon2id PHC string
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE TABLE sessions (
    id_sha256  BLOB PRIMARY KEY NOT NULL,  -- SHA-256 of the cookie's value
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at INTEGER NOT NULL             -- Unix seconds
) STRICT;

-- Login attempts in the rate-limit window, keyed 'user:<name>', 'ip:<address>' or
-- 'setup:ip:<address>'.
CREATE TABLE login_attempts (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
) STRICT;
CREATE INDEX login_attempts_key ON login_attempts (key, at);

CREATE TABLE consultations (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    phase          TEXT NOT NULL CHECK (phase IN ('draft', 'collecting', 'frozen', 'voting',
                                         'closed', 'resolution', 'validated', 'published')),
    settings       TEXT NOT NULL,           -- plotwise_api::Settings as JSON
    adopted_option INTEGER,
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
) STRICT;

CREATE TABLE proposals (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    title           TEXT NOT NULL,
    author          TEXT NOT NULL,
    layout          TEXT NOT NULL,          -- the layout JSON, byte for byte
    sha256          TEXT NOT NULL           -- of `layout`
) STRICT;

-- The frozen shortlist: copies of the proposals' exact layouts.
CREATE TABLE options (
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    idx             INTEGER NOT NULL,
    proposal_id     INTEGER NOT NULL REFERENCES proposals (id),
    title           TEXT NOT NULL,
    author          TEXT NOT NULL,
    layout          TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    PRIMARY KEY (consultation_id, idx)
) STRICT;

CREATE TABLE units (
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    unit            TEXT NOT NULL,
    building        TEXT NOT NULL,
    area_m2         TEXT NOT NULL,          -- the decimal as imported, parsed exactly when counting
    owner           TEXT NOT NULL,
    position        INTEGER NOT NULL,       -- order in the imported file
    PRIMARY KEY (consultation_id, unit)
) STRICT, WITHOUT ROWID;

-- One-time ballot tokens: only HMAC-SHA-256(server key, token) is stored.
CREATE TABLE tokens (
    hmac            BLOB PRIMARY KEY NOT NULL,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id),
    round           TEXT NOT NULL CHECK (round IN ('option', 'resolution')),
    unit            TEXT NOT NULL,
    used            INTEGER NOT NULL DEFAULT 0
) STRICT, WITHOUT ROWID;
CREATE INDEX tokens_unit ON tokens (consultation_id, round, unit);

-- Which units have voted in which round, by which channel: whichever came first.
CREATE TABLE participation (
    consultation_id INTEGER NOT NULL,
    round           TEXT NOT NULL CHECK (round IN ('option', 'resolution')),
    unit            TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
    PRIMARY KEY (consultation_id, round, unit)
) STRICT, WITHOUT ROWID;

-- Secret option-vote ballots: no unit, no time, a random id.
CREATE TABLE option_ballots (
    consultation_id INTEGER NOT NULL,
    id              BLOB NOT NULL,          -- 16 random bytes
    ballot          TEXT NOT NULL,          -- plotwise_api::OptionBallot as JSON, normalised
    PRIMARY KEY (consultation_id, id)
) STRICT, WITHOUT ROWID;

-- Signed formal-resolution votes: the register.
CREATE TABLE resolution_votes (
    consultation_id INTEGER NOT NULL,
    unit            TEXT NOT NULL,
    choice          TEXT NOT NULL CHECK (choice IN ('yes', 'no', 'abstain')),
    PRIMARY KEY (consultation_id, unit)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    consultation_id INTEGER,
    actor           TEXT NOT NULL,
    action          TEXT NOT NULL,
    detail          TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_consultation ON audit_log (consultation_id, id);
