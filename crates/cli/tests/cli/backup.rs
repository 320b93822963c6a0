//! `plotwise backup` and `plotwise restore` through the binary: a consistent copy, and a
//! restore that refuses an older snapshot in one line naming the file and `--force`.

use crate::common::run;

fn accepted(db: &std::path::Path, n: i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'ballots_accepted'",
        [n.to_string()],
    )
    .unwrap();
}

#[test]
fn backup_then_restore_refuses_an_older_snapshot_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.db");
    let snap = dir.path().join("snap.db");
    drop(plotwise_server::Store::open_sqlite(&db).unwrap());
    let (d, s) = (db.to_str().unwrap(), snap.to_str().unwrap());
    let out = run(&["backup", "--db", d, "-o", s]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("snap.db") && said.contains("0 ballots"),
        "{said}"
    );
    // The same file again: refused, nothing overwritten.
    let out = run(&["backup", "--db", d, "-o", s]);
    assert_eq!(out.status.code(), Some(2));
    // Five ballots later the snapshot is older: refused in one line.
    accepted(&db, 5);
    let out = run(&["restore", s, "--db", d]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).trim_end().to_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("snap.db"), "{err}");
    assert!(
        err.contains("loses 5 ballots") && err.contains("--force"),
        "{err}"
    );
    let out = run(&["restore", s, "--db", d, "--force"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("5 ballots lost"), "{said}");
    // Restoring a file that is not a database: one line, exit 2.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, "hello").unwrap();
    let out = run(&["restore", junk.to_str().unwrap(), "--db", d]);
    assert_eq!(out.status.code(), Some(2));
}
