-- The sealed ballot box of the option vote (as migrations/sqlite/0003_sealed_ballot_box.sql).

CREATE TABLE ballot_boxes (
    consultation_id BIGINT PRIMARY KEY REFERENCES consultations (id),
    state           TEXT NOT NULL CHECK (state IN ('sealed', 'opened', 'unsealed')),
    public_key      BYTEA,
    sealed_key      BYTEA,
    kdf             TEXT,
    online          BIGINT,
    paper           BIGINT,
    spoiled         BIGINT
);

CREATE TABLE sealed_ballots (
    consultation_id BIGINT NOT NULL,
    id              BYTEA NOT NULL,
    sealed          BYTEA NOT NULL,
    PRIMARY KEY (consultation_id, id)
);

CREATE TABLE receipts (
    consultation_id BIGINT NOT NULL,
    code            TEXT NOT NULL,
    PRIMARY KEY (consultation_id, code)
);
