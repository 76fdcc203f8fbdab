//! The HTTP/1.1 server loop, and the request-header limits.
//!
//! hyper answers a request whose header block is over its limits with a bare 431: no body, no `x-request-id`,
//! before any of our code runs. So hyper's own limits are set well above the gateway's ([`HYPER_MAX_BUF`],
//! [`HYPER_MAX_HEADERS`]), and the gateway's limits ([`MAX_HEADER_BYTES`], [`MAX_HEADERS`]) are enforced by
//! [`header_limits`] inside the router, where a 431 gets an OpenAI-format body and a request id like every other
//! error. Only a header block beyond hyper's limits (1 MiB, 1000 headers) still gets hyper's bare 431.
//!
//! axum's `serve` cannot configure hyper's limits, hence this loop; it keeps `serve`'s behaviour: connection
//! info for the `ConnectInfo` extractor, upgrades, and graceful shutdown (stop accepting, let connections
//! finish, then return).

use std::time::Duration;

use axum::Router;
use axum::extract::{ConnectInfo, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::ServiceExt as _;

use crate::error::ApiError;

/// Most request headers (fields) the gateway accepts.
pub const MAX_HEADERS: usize = 100;
/// Largest request head (request line plus header fields) the gateway accepts, in bytes.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
/// hyper's read buffer, the hard cap on a request head (its default is about 400 KiB).
pub const HYPER_MAX_BUF: usize = 1024 * 1024;
/// hyper's header count limit (its default is 100, which would answer 431 before [`header_limits`] could).
pub const HYPER_MAX_HEADERS: usize = 1000;

/// The size of the request head as it was on the wire, near enough: `name: value\r\n` per field plus the
/// request line.
fn head_bytes(request: &Request) -> usize {
    let fields: usize = request
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    let target = request
        .uri()
        .path_and_query()
        .map_or(1, |p| p.as_str().len());
    fields + target + request.method().as_str().len() + 12
}

/// Refuses a request over the gateway's header limits with 431 and an OpenAI-format error (the request-id layer
/// outside adds `x-request-id`).
pub async fn header_limits(request: Request, next: Next) -> Response {
    let count = request.headers().len();
    let bytes = head_bytes(&request);
    if count <= MAX_HEADERS && bytes <= MAX_HEADER_BYTES {
        return next.run(request).await;
    }
    let mut e = ApiError::invalid_request(format!(
        "The request headers are too large ({count} fields, about {bytes} bytes); the gateway accepts at most {MAX_HEADERS} fields and {MAX_HEADER_BYTES} bytes."
    ))
    .with_param("headers");
    e.status = StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
    e.code = Some("request_headers_too_large".into());
    e.into_response()
}

/// Resolves once shutdown was asked for (or its sender is gone). The guard `wait_for` returns is not `Send`,
/// so it is dropped here rather than held across a `select!`.
async fn stopped(rx: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = rx.wait_for(|s| *s).await;
}

/// Serves `app` on `listener` until `shutdown` resolves, then stops accepting, lets in-flight requests finish
/// (each connection is shut down gracefully), and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    // Every connection holds a clone of `open_rx`; `open_tx.closed()` resolves when the last has finished.
    let (open_tx, open_rx) = tokio::sync::watch::channel(());
    let mut stop = stop_rx.clone();
    loop {
        let (stream, addr) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = stopped(&mut stop) => break,
        };
        let app = app.clone();
        let mut conn_stop = stop_rx.clone();
        let open = open_rx.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(
                move |mut req: hyper::Request<hyper::body::Incoming>| {
                    req.extensions_mut().insert(ConnectInfo(addr));
                    let app = app.clone();
                    async move { app.oneshot(req.map(axum::body::Body::new)).await }
                },
            );
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .max_buf_size(HYPER_MAX_BUF)
                .max_headers(HYPER_MAX_HEADERS);
            let conn = builder
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .with_upgrades();
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                result = conn.as_mut() => {
                    if let Err(e) = result {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                () = stopped(&mut conn_stop) => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(open);
        });
    }
    drop(listener);
    drop(open_rx);
    open_tx.closed().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use http_body_util::BodyExt as _;

    fn app() -> Router {
        Router::new()
            .route("/", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn(header_limits))
    }

    async fn call(headers: &[(String, String)]) -> (StatusCode, serde_json::Value) {
        let mut req = Request::get("/");
        for (k, v) in headers {
            req = req.header(k, v);
        }
        let response = app()
            .oneshot(req.body(axum::body::Body::empty()).expect("request"))
            .await
            .expect("response");
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        (
            status,
            serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
        )
    }

    #[tokio::test]
    async fn over_the_limits_is_an_openai_431() {
        let many: Vec<_> = (0..=MAX_HEADERS)
            .map(|i| (format!("x-h{i}"), "v".to_string()))
            .collect();
        let big = vec![("x-big".to_string(), "a".repeat(MAX_HEADER_BYTES))];
        let fine = vec![("x-ok".to_string(), "a".repeat(8 * 1024))];
        for (name, headers, refused) in [
            ("too many", many, true),
            ("too big", big, true),
            ("fine", fine, false),
        ] {
            let (status, body) = call(&headers).await;
            if refused {
                assert_eq!(status, 431, "{name}");
                assert_eq!(body["error"]["code"], "request_headers_too_large", "{name}");
                assert_eq!(body["error"]["type"], "invalid_request_error", "{name}");
            } else {
                assert_eq!(status, 200, "{name}");
            }
        }
    }

    /// Through a real socket: hyper no longer answers first, so the 431 carries the body (and, in the full router,
    /// the request id).
    #[tokio::test]
    async fn served_431_has_a_body() {
        use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve(listener, app(), async {
            let _ = rx.await;
        }));
        let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
        let mut req = String::from("GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n");
        for i in 0..150 {
            req.push_str(&format!("x-h{i}: v\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).await.expect("write");
        let mut out = String::new();
        s.read_to_string(&mut out).await.expect("read");
        assert!(out.starts_with("HTTP/1.1 431"), "{out}");
        assert!(out.contains("request_headers_too_large"), "{out}");
        let _ = tx.send(());
        server.await.expect("join").expect("serve");
    }
}
