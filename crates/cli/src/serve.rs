//! `plotwise serve`.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use plotwise_server::{AppState, Db};

use crate::Failure;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// SQLite database file; created and migrated on first start.
    #[arg(long, default_value = "plotwise.db")]
    db: PathBuf,
    /// Folder of the built web app (default: $PLOTWISE_WEB_DIR, else web/dist).
    #[arg(long)]
    web_dir: Option<PathBuf>,
}

pub fn run(args: ServeArgs) -> Result<(), Failure> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let db = Db::open(&args.db)
        .with_context(|| format!("{}: cannot open the database", args.db.display()))?;
    let web_dir = args.web_dir.or_else(plotwise_server::default_web_dir);
    match &web_dir {
        Some(dir) => tracing::info!(web_dir = %dir.display(), "serving the web app"),
        None => tracing::warn!("no built web app found (web/dist): run `cargo xtask run`"),
    }
    let state = AppState { db, web_dir };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime
        .block_on(plotwise_server::serve(state, args.addr, |addr| {
            println!("Plotwise is running at http://{addr}/  (Ctrl+C to stop)");
        }))
        .with_context(|| format!("--addr {}: cannot serve", args.addr))?;
    Ok(())
}
