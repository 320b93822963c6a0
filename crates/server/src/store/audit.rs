//! The audit log: appended by every change, read by the committee.

use plotwise_api::AuditEntry;

use super::{DbError, P, Row, Tx};

/// Appends a line to the audit log.
pub(crate) fn log(
    tx: &mut dyn Tx,
    consultation: Option<i64>,
    actor: &str,
    action: &str,
    detail: &str,
) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO audit_log (consultation_id, actor, action, detail) VALUES ($1, $2, $3, $4)",
        &[
            P::OptI(consultation),
            P::T(actor),
            P::T(action),
            P::T(detail),
        ],
    )?;
    Ok(())
}

/// Whether a line with this action and detail is in the consultation's log already.
pub(crate) fn logged(
    tx: &mut dyn Tx,
    consultation: i64,
    action: &str,
    detail: &str,
) -> Result<bool, DbError> {
    Ok(tx.scalar(
        "SELECT count(*) FROM audit_log WHERE consultation_id = $1 AND action = $2 AND detail = $3",
        &[P::I(consultation), P::T(action), P::T(detail)],
    )? > 0)
}

fn entry(r: &Row) -> Result<AuditEntry, DbError> {
    Ok(AuditEntry {
        id: r.i64(0)?,
        at: r.text(1)?,
        actor: r.text(2)?,
        action: r.text(3)?,
        detail: r.text(4)?,
    })
}

/// A consultation's log, oldest first.
pub(crate) fn of_consultation(tx: &mut dyn Tx, id: i64) -> Result<Vec<AuditEntry>, DbError> {
    tx.query(
        "SELECT id, at, actor, action, detail FROM audit_log WHERE consultation_id = $1 ORDER BY id",
        &[P::I(id)],
    )?
    .iter()
    .map(entry)
    .collect()
}

/// The server's own log (accounts, sign-ins): the last 1000 lines, oldest first.
pub(crate) fn of_server(tx: &mut dyn Tx) -> Result<Vec<AuditEntry>, DbError> {
    let mut rows = tx
        .query(
            "SELECT id, at, actor, action, detail FROM audit_log WHERE consultation_id IS NULL
             ORDER BY id DESC LIMIT 1000",
            &[],
        )?
        .iter()
        .map(entry)
        .collect::<Result<Vec<_>, _>>()?;
    rows.reverse();
    Ok(rows)
}

/// When the consultation's result was published (the audit line's time), if it was.
pub(crate) fn published_at(tx: &mut dyn Tx, id: i64) -> Result<Option<String>, DbError> {
    tx.query_opt(
        "SELECT at FROM audit_log WHERE consultation_id = $1 AND action = 'phase_published'
         ORDER BY id DESC LIMIT 1",
        &[P::I(id)],
    )?
    .map(|r| r.text(0))
    .transpose()
}

/// Whether more than `days` days have passed since the time `at` (as the log writes it).
pub(crate) fn days_since_over(tx: &mut dyn Tx, at: &str, days: i64) -> Result<bool, DbError> {
    let sql = match tx.dialect() {
        super::Dialect::Sqlite => "SELECT julianday('now') - julianday($1) > $2",
        super::Dialect::Postgres => {
            "SELECT now() - CAST(CAST($1 AS text) AS timestamptz) > make_interval(days => CAST($2 AS integer))"
        }
    };
    tx.query_one(sql, &[P::T(at), P::I(days)])?.bool(0)
}
