//! The server's own rows: the ballot-token key, the one-time setup codes.

use super::{DbError, P, Tx};
use crate::util::{random_bytes, sha256_hex};

/// The server's secret key for ballot-token HMACs: 32 random bytes made on first use and
/// kept in `meta` (the first process to make one wins; every process reads the same).
pub(crate) fn ballot_key(tx: &mut dyn Tx) -> Result<[u8; 32], DbError> {
    let fresh = hex::encode(random_bytes::<32>());
    tx.execute(
        "INSERT INTO meta (key, value) VALUES ('ballot_hmac_key', $1) ON CONFLICT (key) DO NOTHING",
        &[P::T(&fresh)],
    )?;
    let stored = tx
        .query_one("SELECT value FROM meta WHERE key = 'ballot_hmac_key'", &[])?
        .text(0)?;
    let mut key = [0u8; 32];
    hex::decode_to_slice(stored, &mut key)
        .map_err(|_| DbError::Type("the stored ballot key is not 64 hex digits".into()))?;
    Ok(key)
}

/// Whether any committee account exists.
pub(crate) fn has_accounts(tx: &mut dyn Tx) -> Result<bool, DbError> {
    Ok(tx.scalar("SELECT count(*) FROM accounts", &[])? > 0)
}

/// While no committee account exists, stores the SHA-256 of a new one-time setup code and
/// returns the code; `None` once an account exists.
pub(crate) fn new_setup_code(tx: &mut dyn Tx) -> Result<Option<String>, DbError> {
    if has_accounts(tx)? {
        return Ok(None);
    }
    let code = hex::encode(random_bytes::<12>());
    tx.execute(
        "INSERT INTO setup_codes (sha256) VALUES ($1) ON CONFLICT (sha256) DO NOTHING",
        &[P::T(&sha256_hex(code.as_bytes()))],
    )?;
    Ok(Some(code))
}

/// Whether `sent` is one of the stored setup codes.
pub(crate) fn setup_code_valid(tx: &mut dyn Tx, sent: &str) -> Result<bool, DbError> {
    let sent = sha256_hex(sent.trim().as_bytes());
    Ok(tx.scalar(
        "SELECT count(*) FROM setup_codes WHERE sha256 = $1",
        &[P::T(&sent)],
    )? > 0)
}

/// Forgets every setup code (the first account exists).
pub(crate) fn drop_setup_codes(tx: &mut dyn Tx) -> Result<(), DbError> {
    tx.execute("DELETE FROM setup_codes", &[])?;
    Ok(())
}

/// Counts `n` more accepted ballots (a restore compares a snapshot's count with the live
/// one's).
pub(crate) fn count_ballots(tx: &mut dyn Tx, n: i64) -> Result<(), DbError> {
    tx.execute(
        "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + $1 AS TEXT) WHERE key = 'ballots_accepted'",
        &[P::I(n)],
    )?;
    Ok(())
}
