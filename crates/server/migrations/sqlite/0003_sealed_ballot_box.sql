-- The sealed ballot box of the option vote (see src/sealing.rs and src/count.rs).
--
-- While the vote is open an option ballot exists only sealed to the box's public key
-- (`sealed_ballots`); the box's secret key exists only under a key derived from the two
-- scrutineers' codes, which the server shows once and never stores. At the count the box is
-- opened: the ballots, online and paper, are shuffled into `option_ballots` (random ids, no
-- unit, no time, no channel), the receipt codes of the online ones go to `receipts` (keyed
-- by the code), and the sealed copies and the key material are erased.

CREATE TABLE ballot_boxes (
    consultation_id INTEGER PRIMARY KEY REFERENCES consultations (id),
    state           TEXT NOT NULL CHECK (state IN ('sealed', 'opened', 'unsealed')),
    public_key      BLOB,                  -- X25519; NULL once opened
    sealed_key      BLOB,                  -- nonce ‖ XChaCha20-Poly1305 of the secret key; NULL once opened
    kdf             TEXT,                  -- Argon2id parameters and salt; NULL once opened
    online          INTEGER,               -- what the count found
    paper           INTEGER,
    spoiled         INTEGER
) STRICT;

-- Sealed option ballots: a random id and the sealed box bytes, nothing else.
CREATE TABLE sealed_ballots (
    consultation_id INTEGER NOT NULL,
    id              BLOB NOT NULL,         -- 16 random bytes
    sealed          BLOB NOT NULL,         -- libsodium sealed box of the normalised ballot JSON
    PRIMARY KEY (consultation_id, id)
) STRICT, WITHOUT ROWID;

-- Receipt codes of counted online ballots, keyed by the code (no order of arrival).
CREATE TABLE receipts (
    consultation_id INTEGER NOT NULL,
    code            TEXT NOT NULL,
    PRIMARY KEY (consultation_id, code)
) STRICT, WITHOUT ROWID;

-- A vote already open when this server was installed keeps its unsealed ballots and is
-- counted without codes (its results say so).
INSERT INTO ballot_boxes (consultation_id, state)
    SELECT id, 'unsealed' FROM consultations WHERE phase = 'voting';
