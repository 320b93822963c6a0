//! Committee accounts and their sessions. Passwords arrive here already hashed (argon2id,
//! off the database's threads); sessions are stored as the SHA-256 of the cookie's value.

use plotwise_api::Account;

use super::{DbError, P, Tx};
use crate::util::{now_unix, random_bytes, sha256};

/// A signed-in member, as a session names them.
pub(crate) struct SessionRow {
    /// The account's user name.
    pub username: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// The account's id.
    pub account_id: i64,
}

/// The live session with this cookie value, of an enabled account.
pub(crate) fn session(tx: &mut dyn Tx, sid: &str) -> Result<Option<SessionRow>, DbError> {
    tx.query_opt(
        "SELECT a.username, s.csrf_token, a.id FROM sessions s JOIN accounts a ON a.id = s.account_id
         WHERE s.id_sha256 = $1 AND s.expires_at > $2 AND NOT a.disabled",
        &[P::B(&sha256(sid.as_bytes())), P::I(now_unix())],
    )?
    .map(|r| {
        Ok(SessionRow {
            username: r.text(0)?,
            csrf: r.text(1)?,
            account_id: r.i64(2)?,
        })
    })
    .transpose()
}

/// A new session for `account_id` lasting `seconds`: its cookie value and CSRF token.
pub(crate) fn new_session(
    tx: &mut dyn Tx,
    account_id: i64,
    seconds: i64,
) -> Result<(String, String), DbError> {
    let sid = hex::encode(random_bytes::<32>());
    let csrf = hex::encode(random_bytes::<32>());
    let now = now_unix();
    tx.execute("DELETE FROM sessions WHERE expires_at <= $1", &[P::I(now)])?;
    tx.execute(
        "INSERT INTO sessions (id_sha256, account_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)",
        &[
            P::B(&sha256(sid.as_bytes())),
            P::I(account_id),
            P::T(&csrf),
            P::I(now + seconds),
        ],
    )?;
    Ok((sid, csrf))
}

/// Ends the session with this cookie value.
pub(crate) fn end_session(tx: &mut dyn Tx, sid: &str) -> Result<(), DbError> {
    tx.execute(
        "DELETE FROM sessions WHERE id_sha256 = $1",
        &[P::B(&sha256(sid.as_bytes()))],
    )?;
    Ok(())
}

/// The CSRF token of the session with this cookie value.
pub(crate) fn csrf_of(tx: &mut dyn Tx, sid: &str) -> Result<Option<String>, DbError> {
    tx.query_opt(
        "SELECT csrf_token FROM sessions WHERE id_sha256 = $1",
        &[P::B(&sha256(sid.as_bytes()))],
    )?
    .map(|r| r.text(0))
    .transpose()
}

/// Ends every session of `account_id`, except the one whose cookie hashes to `keep`;
/// returns how many ended.
pub(crate) fn end_sessions(
    tx: &mut dyn Tx,
    account_id: i64,
    keep: Option<&[u8]>,
) -> Result<u64, DbError> {
    tx.execute(
        "DELETE FROM sessions WHERE account_id = $1 AND id_sha256 IS DISTINCT FROM $2",
        &[P::I(account_id), P::OptB(keep)],
    )
}

/// Serialises the changes to the set of accounts (two servers creating the first account,
/// or disabling the last two enabled ones, at once).
pub(crate) fn lock(tx: &mut dyn Tx) -> Result<(), DbError> {
    tx.lock_key("plotwise:accounts")
}

/// An account by name: id, password hash, disabled.
pub(crate) fn by_name(
    tx: &mut dyn Tx,
    username: &str,
) -> Result<Option<(i64, String, bool)>, DbError> {
    tx.query_opt(
        "SELECT id, password_hash, disabled FROM accounts WHERE username = $1",
        &[P::T(username)],
    )?
    .map(|r| Ok((r.i64(0)?, r.text(1)?, r.bool(2)?)))
    .transpose()
}

/// An account by id.
pub(crate) fn by_id(tx: &mut dyn Tx, id: i64) -> Result<Option<Account>, DbError> {
    tx.query_opt(
        "SELECT id, username, disabled FROM accounts WHERE id = $1",
        &[P::I(id)],
    )?
    .map(|r| {
        Ok(Account {
            id: r.i64(0)?,
            username: r.text(1)?,
            disabled: r.bool(2)?,
        })
    })
    .transpose()
}

/// The password hash of account `id`.
pub(crate) fn password_hash(tx: &mut dyn Tx, id: i64) -> Result<String, DbError> {
    tx.query_one(
        "SELECT password_hash FROM accounts WHERE id = $1",
        &[P::I(id)],
    )?
    .text(0)
}

/// Every account, by id.
pub(crate) fn list(tx: &mut dyn Tx) -> Result<Vec<Account>, DbError> {
    tx.query(
        "SELECT id, username, disabled FROM accounts ORDER BY id",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(Account {
            id: r.i64(0)?,
            username: r.text(1)?,
            disabled: r.bool(2)?,
        })
    })
    .collect()
}

/// Whether an account of this name exists.
pub(crate) fn exists(tx: &mut dyn Tx, username: &str) -> Result<bool, DbError> {
    Ok(tx.scalar(
        "SELECT count(*) FROM accounts WHERE username = $1",
        &[P::T(username)],
    )? > 0)
}

/// A new account; returns its id.
pub(crate) fn create(tx: &mut dyn Tx, username: &str, hash: &str) -> Result<i64, DbError> {
    tx.query_one(
        "INSERT INTO accounts (username, password_hash) VALUES ($1, $2) RETURNING id",
        &[P::T(username), P::T(hash)],
    )?
    .i64(0)
}

/// Enabled accounts other than `id`.
pub(crate) fn other_enabled(tx: &mut dyn Tx, id: i64) -> Result<i64, DbError> {
    tx.scalar(
        "SELECT count(*) FROM accounts WHERE NOT disabled AND id <> $1",
        &[P::I(id)],
    )
}

/// Disables or enables account `id`.
pub(crate) fn set_disabled(tx: &mut dyn Tx, id: i64, disabled: bool) -> Result<(), DbError> {
    tx.execute(
        "UPDATE accounts SET disabled = $1 WHERE id = $2",
        &[P::Bool(disabled), P::I(id)],
    )?;
    Ok(())
}

/// A new password hash for account `id`.
pub(crate) fn set_password(tx: &mut dyn Tx, id: i64, hash: &str) -> Result<(), DbError> {
    tx.execute(
        "UPDATE accounts SET password_hash = $1 WHERE id = $2",
        &[P::T(hash), P::I(id)],
    )?;
    Ok(())
}
