//! CPU-heavy work on layouts for the routes: a bounded pool of blocking threads
//! ([`file_job`]), and reading a posted layout document under plan's limits
//! ([`read_layout_document`]). The export, import and sun routes share both, so a large file
//! or a sun grid never fills the blocking threads the database also uses.

use crate::error::AppError;

/// File jobs (parsing, validating, drawing, exporting) run at once. One at a time leaves the
/// other core of a two-core server to the ballots and the database, however many large files
/// arrive; the tokio blocking pool that the database also uses is never filled with them.
const FILE_JOBS_AT_ONCE: usize = 1;
/// File jobs that may wait for their turn; more are answered 503 at once.
const FILE_JOBS_WAITING: usize = 8;

static FILE_JOBS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(FILE_JOBS_AT_ONCE);
static FILE_JOBS_QUEUED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Runs a CPU-heavy file job on a blocking thread, at most [`FILE_JOBS_AT_ONCE`] at a time
/// and with at most [`FILE_JOBS_WAITING`] waiting.
pub(crate) async fn file_job<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    use std::sync::atomic::Ordering;
    struct Queued;
    impl Drop for Queued {
        fn drop(&mut self) {
            FILE_JOBS_QUEUED.fetch_sub(1, Ordering::SeqCst);
        }
    }
    if FILE_JOBS_QUEUED.fetch_add(1, Ordering::SeqCst) >= FILE_JOBS_AT_ONCE + FILE_JOBS_WAITING {
        FILE_JOBS_QUEUED.fetch_sub(1, Ordering::SeqCst);
        return Err(AppError::Unavailable {
            code: "busy",
            message: "the server is busy reading or drawing other files; try again in a minute"
                .into(),
        });
    }
    let _queued = Queued;
    let _permit = FILE_JOBS
        .acquire()
        .await
        .map_err(|_| AppError::Internal("file job pool closed".into()))?;
    tokio::task::spawn_blocking(f).await?
}

/// The layout of a posted layout document, read as every layout route reads it: the size in
/// bytes, then plan's pre-check of the text (vertices, rings, features), then the reader
/// (which validates every outline). Run it inside [`file_job`]: validating a large outline
/// takes real CPU.
pub(crate) fn read_layout_document(body: &[u8]) -> Result<plotwise_plan::Layout, AppError> {
    plotwise_plan::limits::check_file_bytes(body.len())?;
    let text = std::str::from_utf8(body)
        .map_err(|_| AppError::BadRequest("the layout document is not UTF-8 JSON".to_owned()))?;
    plotwise_plan::limits::precheck_json(text, plotwise_plan::limits::JsonKind::LayoutDocument)?;
    let doc = plotwise_plan::LayoutDocument::from_json(text)
        .map_err(|e| AppError::BadRequest(format!("layout document: {e}")))?;
    Ok(doc.layout)
}
