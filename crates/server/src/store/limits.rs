//! Rate limits, counted in the database (so every server process on it counts the same):
//! login attempts, setup attempts, proposals and refused ballots per client address.

use super::{DbError, P, Tx};
use crate::util::now_unix;

/// The window of every limit, in seconds.
pub(crate) const WINDOW_SECONDS: i64 = 15 * 60;

/// Counts an attempt against `keys` unless one of them is over its limit; returns the ids
/// of the attempts recorded, or `None` when limited.
pub(crate) fn take(tx: &mut dyn Tx, keys: &[(&str, i64)]) -> Result<Option<Vec<i64>>, DbError> {
    let now = now_unix();
    for (key, _) in keys {
        tx.lock_key(key)?;
    }
    tx.execute(
        "DELETE FROM login_attempts WHERE at <= $1",
        &[P::I(now - WINDOW_SECONDS)],
    )?;
    for (key, limit) in keys {
        if count(tx, key)? >= *limit {
            return Ok(None);
        }
    }
    let mut ids = Vec::new();
    for (key, _) in keys {
        ids.push(
            tx.query_one(
                "INSERT INTO login_attempts (key, at) VALUES ($1, $2) RETURNING id",
                &[P::T(key), P::I(now)],
            )?
            .i64(0)?,
        );
    }
    Ok(Some(ids))
}

/// Attempts recorded under `key` (in the window, once old ones are forgotten).
pub(crate) fn count(tx: &mut dyn Tx, key: &str) -> Result<i64, DbError> {
    tx.scalar(
        "SELECT count(*) FROM login_attempts WHERE key = $1 AND at > $2",
        &[P::T(key), P::I(now_unix() - WINDOW_SECONDS)],
    )
}

/// Records one attempt under `key` (and forgets those out of the window).
pub(crate) fn note(tx: &mut dyn Tx, key: &str) -> Result<(), DbError> {
    let now = now_unix();
    tx.execute(
        "DELETE FROM login_attempts WHERE at <= $1",
        &[P::I(now - WINDOW_SECONDS)],
    )?;
    tx.execute(
        "INSERT INTO login_attempts (key, at) VALUES ($1, $2)",
        &[P::T(key), P::I(now)],
    )?;
    Ok(())
}

/// Forgets the attempts of an account (every address) and these attempt ids: a successful
/// login.
pub(crate) fn clear_account(tx: &mut dyn Tx, user_key: &str, ids: &[i64]) -> Result<(), DbError> {
    tx.execute(
        "DELETE FROM login_attempts WHERE key = $1 OR key LIKE $2 ESCAPE '\\'",
        &[
            P::T(user_key),
            P::T(&format!("{}|%", like_escape(user_key))),
        ],
    )?;
    for id in ids {
        tx.execute("DELETE FROM login_attempts WHERE id = $1", &[P::I(*id)])?;
    }
    Ok(())
}

/// `s` with LIKE's wildcards escaped (by `\`).
fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
