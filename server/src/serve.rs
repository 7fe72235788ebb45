//! Accepting connections with limits: a cap on open connections, a deadline
//! for each request's headers, and a longest life for a connection.
//! `axum::serve` has none of them, so one client trickling a byte a minute,
//! or never reading its answer, or a few thousand of them, could hold the
//! server. This is hyper's own connection builder with its timer, the way
//! axum's documentation shows for custom serving.

use crate::config::Limits;
use axum::{Router, extract::ConnectInfo};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    service::TowerToHyperService,
};
use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};
use tokio::{net::TcpListener, sync::Semaphore};
use tower::ServiceExt;

/// `/v/<token>/` is `/v/<token>`: a QR reader or a person typing may add a
/// slash, and the answer must not change with it.
fn trim_trailing_slash(uri: &mut axum::http::Uri) {
    let path = uri.path();
    if path.len() <= 1 || !path.ends_with('/') {
        return;
    }
    let trimmed = match path.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    };
    let path_and_query = match uri.query() {
        Some(query) => format!("{trimmed}?{query}"),
        None => trimmed.to_owned(),
    };
    let mut parts = uri.clone().into_parts();
    if let Ok(path_and_query) = path_and_query.parse() {
        parts.path_and_query = Some(path_and_query);
        if let Ok(new_uri) = axum::http::Uri::from_parts(parts) {
            *uri = new_uri;
        }
    }
}

/// How long requests in flight may take to finish after a stop signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(20);
/// How long a connection told to close (its life is over, or the server is
/// stopping) may take to finish the answer it is sending.
const CLOSE_GRACE: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `shutdown` completes, then lets the
/// requests in flight finish (up to 20 s).
///
/// # Errors
/// Only if the connection limit's semaphore is closed (it never is).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stop_sender, stop) = tokio::sync::watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        // Headers larger than this get 431: no legitimate page needs more.
        .max_buf_size(64 * 1024);
    tokio::pin!(shutdown);
    loop {
        // Wait for a free slot before accepting: past the cap, new clients
        // wait in the kernel's queue instead of costing memory here.
        let permit = tokio::select! {
            permit = Arc::clone(&permits).acquire_owned() => permit.map_err(std::io::Error::other)?,
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(move |mut request: axum::extract::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(ConnectInfo::<SocketAddr>(remote));
            trim_trailing_slash(request.uri_mut());
            request
        });
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let mut stop = stop.clone();
        let lifetime = limits.max_connection_lifetime;
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            // Errors here are clients going away or timing out.
            let ended = tokio::select! {
                _ = connection.as_mut() => true,
                () = tokio::time::sleep(lifetime) => false,
                _ = stop.wait_for(|stopping| *stopping) => false,
            };
            if !ended {
                // Finish the answer in flight, then close; a client that does
                // not read it is dropped after the grace.
                connection.as_mut().graceful_shutdown();
                let _ = tokio::time::timeout(CLOSE_GRACE, connection).await;
            }
            drop(permit);
        });
    }
    drop(listener);
    let _ = stop_sender.send(true);
    // Every connection gives its permit back when it has closed.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(SHUTDOWN_GRACE, permits.acquire_many(all)).await.is_err() {
        tracing::warn!("connections still open after {} s; stopping anyway", SHUTDOWN_GRACE.as_secs());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::trim_trailing_slash;

    #[test]
    fn trailing_slashes_are_trimmed_and_queries_kept() {
        for (from, to) in [("/v/abc/", "/v/abc"), ("/", "/"), ("/join/?code=A", "/join?code=A"), ("//", "/")] {
            let mut uri: axum::http::Uri = from.parse().unwrap_or_default();
            trim_trailing_slash(&mut uri);
            assert_eq!(uri.to_string(), to);
        }
    }
}
