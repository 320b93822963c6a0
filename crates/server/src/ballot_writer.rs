//! The ballot writer: one thread per server process that writes ballots with group commit.
//!
//! Handlers do not write ballots themselves: they send them here and wait. The writer takes
//! every ballot waiting (up to [`MAX_BATCH`]), checks and writes them in one transaction
//! ([`crate::store::ballots::write_batch`]), commits (SQLite: `synchronous=FULL` in WAL mode,
//! the WAL fsync'd before the commit returns; PostgreSQL: the WAL flushed at commit), and
//! only then answers each handler. So a ballot is on disk before it is acknowledged, and one
//! flush serves a whole batch. Several server processes on one PostgreSQL database each have
//! their own writer; the database keeps them apart (see the store).

use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, oneshot};

use crate::error::AppError;
use crate::store::ballots::{Accepted, Cast, Voter, write_batch};
use crate::store::{Dialect, Store};

/// The most ballots written in one transaction.
pub(crate) const MAX_BATCH: usize = 1024;
/// Ballots that may wait for the writer before senders wait too.
const QUEUE: usize = 16 * 1024;

struct Job {
    voter: Voter,
    cast: Cast,
    reply: oneshot::Sender<Result<Accepted, AppError>>,
}

/// The handle to the writer thread.
#[derive(Clone)]
pub(crate) struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer threads (one on SQLite, whose writes are serial anyway; two on
    /// PostgreSQL, so one batch's statements overlap the other's commit); they end when every
    /// handle is dropped.
    pub(crate) fn start(store: Store) -> Writer {
        let (tx, rx) = mpsc::channel(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        let threads = match store.dialect() {
            Dialect::Sqlite => 1,
            Dialect::Postgres => 2,
        };
        for i in 0..threads {
            let (store, rx) = (store.clone(), rx.clone());
            if let Err(e) = std::thread::Builder::new()
                .name(format!("ballot-writer-{i}"))
                .spawn(move || run(store, &rx))
            {
                // Without any thread the receiver is gone and every ballot gets a 500.
                tracing::error!(error = %e, "cannot start a ballot writer");
            }
        }
        Writer { tx }
    }

    /// Writes one ballot; answers once it is committed (or refused).
    pub(crate) async fn submit(&self, voter: Voter, cast: Cast) -> Result<Accepted, AppError> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(Job { voter, cast, reply })
            .await
            .map_err(|_| AppError::Internal("the ballot writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| AppError::Internal("the ballot writer dropped a ballot".into()))?
    }
}

/// Takes the next batch: every job waiting, up to [`MAX_BATCH`]; `None` once every handle
/// is gone.
fn next_batch(rx: &Mutex<mpsc::Receiver<Job>>) -> Option<Vec<Job>> {
    let mut rx = rx.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let first = rx.blocking_recv()?;
    let mut batch = vec![first];
    while batch.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(job) => batch.push(job),
            Err(_) => break,
        }
    }
    Some(batch)
}

fn run(store: Store, rx: &Mutex<mpsc::Receiver<Job>>) {
    while let Some(batch) = next_batch(rx) {
        let jobs: Vec<(&Voter, &Cast)> = batch.iter().map(|j| (&j.voter, &j.cast)).collect();
        // A panic inside a batch (a bug) fails that batch, not the writer: the transaction
        // rolled back as it unwound, and the next batch is written as usual.
        let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            store.run_blocking(crate::store::Mode::Write, |tx| write_batch(tx, &jobs))
        }))
        .unwrap_or_else(|_| Err(AppError::Internal("the ballot writer panicked".into())));
        drop(jobs);
        let outcomes = match written {
            Ok(o) => o,
            Err(e) => {
                tracing::error!(error = %e, ballots = batch.len(), "ballot batch failed; none written");
                let each = |e: &AppError| match e {
                    AppError::Unavailable { code, message } => AppError::Unavailable {
                        code,
                        message: message.clone(),
                    },
                    AppError::Raced(m) => AppError::Raced(m.clone()),
                    _ => AppError::Internal("ballot batch failed".into()),
                };
                batch.iter().map(|_| Err(each(&e))).collect()
            }
        };
        for (job, outcome) in batch.into_iter().zip(outcomes) {
            // The handler may have gone (client disconnected); the ballot stands regardless.
            let _ = job.reply.send(outcome);
        }
    }
}
