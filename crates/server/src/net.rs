//! The HTTP side of the server: the accept loop with its bounds, and the layers every
//! response goes through (security headers, a request timeout, a concurrency limit).
//!
//! `axum::serve` has no header-read timeout and accepts any number of connections, so a
//! client that sends its headers a byte a minute holds a connection for ever and a hundred of
//! them hold a hundred. Here hyper's HTTP/1 connection reads headers under a timer
//! ([`Limits::header_read`], also between requests on a kept-alive connection), connections
//! beyond [`Limits::connections`] are closed as they arrive, and every request (body
//! included) must finish within [`Limits::request`] (408 otherwise).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// The bounds of the HTTP side. The defaults suit a compound's server; tests shorten them.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time to receive a request's headers (and to wait for the next request on a
    /// kept-alive connection).
    pub header_read: Duration,
    /// Time for a whole request, body and answer, except the count, which may rewrite a
    /// large database file.
    pub request: Duration,
    /// Open connections at once; more are closed as soon as they are accepted.
    pub connections: usize,
    /// Requests handled at once; more wait for a slot.
    pub requests: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(30),
            connections: 1024,
            requests: 256,
        }
    }
}

/// How long the count may take: it opens every envelope and rewrites the file.
pub(crate) const COUNT_TIMEOUT: Duration = Duration::from_secs(600);

/// The Content-Security-Policy of every answer. Scripts only from the server itself (the
/// bundles need `wasm-unsafe-eval` to instantiate WebAssembly); styles may be inline (the
/// printable sheets and a few computed widths); frames only from the server (the QR sheet
/// preview); no plugins; forms and links back only to the server.
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
    frame-src 'self' blob:; frame-ancestors 'self'; object-src 'none'; base-uri 'none'; \
    form-action 'self'";

/// Adds the security headers to every answer: CSP, `nosniff`, `frame-ancestors`/
/// `X-Frame-Options`, `Referrer-Policy: no-referrer` (a ballot page's address never leaves
/// in a Referer), and HSTS when the request came over HTTPS (a TLS proxy says so with
/// `X-Forwarded-Proto: https`).
pub(crate) async fn security_headers(req: Request, next: Next) -> Response {
    let https = req
        .headers()
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let mut set = |name: HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(header::CONTENT_SECURITY_POLICY, CSP);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::X_FRAME_OPTIONS, "SAMEORIGIN");
    set(header::REFERRER_POLICY, "no-referrer");
    set(
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if https {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    res
}

/// Bounds each request's time: [`COUNT_TIMEOUT`] for the count, `limit` for the rest. The
/// answer is 408; what the request changed, if anything, is complete or absent (every write
/// is one transaction), never half done.
pub(crate) async fn request_timeout(limit: Duration, req: Request, next: Next) -> Response {
    let limit = if req.uri().path().ends_with("/count") {
        COUNT_TIMEOUT
    } else {
        limit
    };
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            let mut res = crate::error::AppError::Unavailable {
                code: "timeout",
                message: format!(
                    "the request took longer than {} s and was stopped; whatever it changed is \
                     complete or not done at all, never half: reload to see which",
                    limit.as_secs()
                ),
            }
            .into_response();
            *res.status_mut() = StatusCode::REQUEST_TIMEOUT;
            res
        }
    }
}

/// Serves `router` on `listener` within `limits` until `shutdown` completes, then lets the
/// requests under way finish (at most [`Limits::request`]).
pub(crate) async fn serve_with(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let connections = Arc::new(Semaphore::new(limits.connections));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .keep_alive(true);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = connections.clone().try_acquire_owned() else {
            tracing::warn!(%peer, limit = limits.connections, "too many connections: closed");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            let router = router.clone();
            async move {
                Ok::<_, Infallible>(
                    router
                        .oneshot(req.map(Body::new))
                        .await
                        .unwrap_or_else(|e| match e {}),
                )
            }
        });
        let conn = http.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, %peer, "connection ended with an error");
            }
            drop(permit);
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.request) => {
            tracing::warn!("connections still open at shutdown were dropped");
        }
    }
    Ok(())
}
