//! `plotwise serve`.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use plotwise_server::{AppState, Store};

use crate::Failure;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The database: an SQLite file (created and migrated on first start), or a PostgreSQL
    /// URL `postgres://user@host:port/dbname` (migrated on start; several `plotwise serve`
    /// processes may share it).
    #[arg(long, default_value = "plotwise.db")]
    db: String,
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
    let db = Store::open(&args.db)
        .with_context(|| format!("{}: cannot open the database", shown(&args.db)))?;
    let web_dir = args.web_dir.or_else(plotwise_server::default_web_dir);
    match &web_dir {
        Some(dir) => tracing::info!(web_dir = %dir.display(), "serving the web app"),
        None => tracing::warn!("no built web app found (web/dist): run `cargo xtask run`"),
    }
    let state = AppState { store: db, web_dir };
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    runtime
        .block_on(plotwise_server::serve(state, args.addr, |addr| {
            println!("Plotwise is running at http://{addr}/  (Ctrl+C to stop)");
        }))
        .with_context(|| format!("--addr {}: cannot serve", args.addr))?;
    Ok(())
}

/// The database as it may be shown in a message: a URL without its password.
fn shown(db: &str) -> String {
    match (db.find("://"), db.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &db[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &db[..scheme + 3], &db[at..]),
                None => db.to_owned(),
            }
        }
        _ => db.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_password_in_the_database_url_is_never_shown() {
        assert_eq!(
            super::shown("postgres://ann:secret@db:5432/plotwise"),
            "postgres://ann:***@db:5432/plotwise"
        );
        assert_eq!(super::shown("postgres://ann@db/p"), "postgres://ann@db/p");
        assert_eq!(super::shown("plotwise.db"), "plotwise.db");
    }
}
