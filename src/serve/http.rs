//! The preview's HTTP side (axum on tokio): request paths to files of the last good build.
//!
//! Pages come from the in-memory [`Snapshot`], never from `public/`: a request path is decoded once
//! and checked ([`request_key`]) before it is used as a key of that map, and it never reaches the
//! file system; a copied file is read from the source path its build recorded. Folder URLs serve
//! their `index.html` (`/politics` redirects to `/politics/`), a missing path gets the theme's
//! `404.html` with status 404, and every HTML page gets the live-reload script (and, while the
//! site is broken, the error overlay) injected.
//!
//! The server is local, but any page open in the browser, and any program on the machine, can
//! send it requests, so it guards itself: it answers only requests addressed to one of its own
//! names ([`Hosts`], in [`guard`]) and refuses targets longer than [`MAX_TARGET`] bytes (414); a
//! client gets [`HEADER_READ_TIMEOUT`] to send each request's head, then is cut off ([`run`]), so
//! a slowloris holds no connection for long; and at most [`MAX_STREAMS`] live-reload streams are
//! open at once, the next ones get 503.

use std::convert::Infallible;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, broadcast};

use super::host::{Hosts, Refusal};
use super::livereload::{self, EVENTS_PATH, Message};
use super::rebuild::Snapshot;
use super::watch::Signal;
use crate::content::encode_path;
use crate::output::Contents;

/// What the server shares with the loop that rebuilds.
#[derive(Debug)]
pub struct Shared {
    /// The last good build.
    site: RwLock<Arc<Snapshot>>,
    /// The error overlay while the last build failed.
    failure: RwLock<Option<Arc<str>>>,
    /// Live-reload events for open pages.
    events: broadcast::Sender<Message>,
    /// A permit per open live-reload stream, [`MAX_STREAMS`] in all.
    streams: Arc<Semaphore>,
    /// Where pages not rendered yet are asked for (see [`Shared::rendering_on_request`]).
    renderer: Option<std::sync::mpsc::Sender<Signal>>,
}

/// The most live-reload streams open at once. Each open tab holds one; far more than anyone
/// previews with, far fewer than would starve the server of file descriptors.
pub const MAX_STREAMS: usize = 64;

/// How long a client has to send a request's head (and how long a kept-alive connection may
/// wait idle for the next one) before the connection is closed.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(20);

/// The longest request target (path and query) served, in bytes; longer ones get 414. A
/// percent-encoded Arabic slug takes six bytes a letter: this leaves room for about a thousand.
pub const MAX_TARGET: usize = 8 * 1024;

impl Shared {
    /// Nothing built yet, no failure.
    pub fn new() -> Shared {
        let (events, _) = broadcast::channel(64);
        let streams = Arc::new(Semaphore::new(MAX_STREAMS));
        Shared {
            site: RwLock::default(),
            failure: RwLock::default(),
            events,
            streams,
            renderer: None,
        }
    }

    /// Nothing built yet, no failure; a page missing from the build is asked for on `renderer`
    /// ([`Signal::Wanted`]), and served once it is rendered (or 404 if it is no page).
    pub fn rendering_on_request(renderer: std::sync::mpsc::Sender<Signal>) -> Shared {
        Shared { renderer: Some(renderer), ..Shared::new() }
    }

    /// Asks for the pages a request key may name to be rendered, and waits until they are; then
    /// the build to look in again. `None` without a renderer.
    async fn render(&self, key: &str) -> Option<Arc<Snapshot>> {
        let renderer = self.renderer.as_ref()?;
        let (done, rendered) = tokio::sync::oneshot::channel();
        let paths = candidates(key);
        renderer.send(Signal::Wanted { paths, done: Some(done) }).ok()?;
        rendered.await.ok()?;
        Some(self.site())
    }

    /// Notes that the page at `path` was served, so that it stays rendered (see
    /// `super::demand`).
    fn served(&self, path: &str) {
        if let Some(renderer) = &self.renderer
            && path.ends_with(".html")
        {
            let _ = renderer.send(Signal::Wanted { paths: vec![path.to_string()], done: None });
        }
    }

    /// Serves `site` from now on, clears any failure, then tells open pages which URL paths
    /// changed. The order matters: a page that hears of a change and fetches again must get the
    /// new file, so the event goes out only after the swap.
    pub fn publish(&self, site: Arc<Snapshot>, changed: &[String]) {
        *self.site.write().unwrap_or_else(PoisonError::into_inner) = site;
        let had_failure = self.failure.write().unwrap_or_else(PoisonError::into_inner).take();
        if !changed.is_empty() || had_failure.is_some() {
            let changed = changed.iter().map(|p| livereload::url_path(p)).collect();
            let _ = self.events.send(Message::Reload { changed, all: false });
        }
    }

    /// Keeps serving the last good build, with `overlay` over its pages.
    pub fn fail(&self, overlay: String) {
        let overlay: Arc<str> = overlay.into();
        *self.failure.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(&overlay));
        let _ = self.events.send(Message::Failed { html: overlay.to_string() });
    }

    fn site(&self) -> Arc<Snapshot> {
        Arc::clone(&self.site.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn failure(&self) -> Option<Arc<str>> {
        self.failure.read().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl Default for Shared {
    fn default() -> Self {
        Shared::new()
    }
}

/// The routes: the event stream, and every other path as a file of the site; every request
/// passes the [`guard`] first.
pub fn router(shared: Arc<Shared>, hosts: Hosts) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(file)
        .with_state(shared)
        .layer(middleware::from_fn_with_state(hosts, guard))
}

/// Serves `app` on every connection `listener` accepts, over HTTP/1.1, until the task is
/// dropped. A client that takes longer than `header_read_timeout` to send a request's head is
/// disconnected.
pub async fn run(
    mut listener: tokio::net::TcpListener,
    app: Router,
    header_read_timeout: Duration,
) {
    // axum's `Listener` retries failed accepts (a reset connection at once, running out of file
    // descriptors after a pause), as `axum::serve` does.
    use axum::serve::Listener;
    loop {
        let (stream, _) = Listener::accept(&mut listener).await;
        let service = TowerToHyperService::new(app.clone());
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(header_read_timeout);
        tokio::spawn(async move {
            // A connection's failure (a reset, a timeout, a malformed request) is its own.
            let _ = builder.serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// Refuses what no page of the preview sends (see [`refusal`]), before routing.
async fn guard(State(hosts): State<Hosts>, request: Request, next: Next) -> Response {
    match refusal(hosts, &request) {
        Some(refused) => refused,
        None => next.run(request).await,
    }
}

/// The answer to a request without a host (400), for another host or from another origin (403,
/// see [`Hosts`]), or with a target longer than [`MAX_TARGET`] (414); `None` for the others.
fn refusal(hosts: Hosts, request: &Request) -> Option<Response> {
    let text = |name| request.headers().get(name).map(|v: &HeaderValue| v.to_str().unwrap_or(""));
    let host = request.uri().authority().map(|a| a.as_str()).or_else(|| text(header::HOST));
    if let Err(refusal) = hosts.check(host, text(header::ORIGIN)) {
        let status = match refusal {
            Refusal::NoHost => StatusCode::BAD_REQUEST,
            Refusal::ForeignHost(_) | Refusal::ForeignOrigin(_) => StatusCode::FORBIDDEN,
        };
        return Some((status, format!("{refusal}\n")).into_response());
    }
    let target = request.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if target > MAX_TARGET {
        return Some((StatusCode::URI_TOO_LONG, "request path too long\n").into_response());
    }
    None
}

/// Why a request path is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum BadPath {
    /// An encoded `/`, `\` or NUL, invalid UTF-8, a backslash or a control character.
    Encoding,
    /// A `.` or `..` segment, an empty segment, or a drive or absolute path inside the path.
    Escape,
}

/// The output path a raw request path names, relative to the output root and without a leading
/// `/` (`politics/` for `/politics/`, `""` for `/`). The path is percent-decoded exactly once;
/// anything that could name a file outside the output, or could be read differently by another
/// layer, is refused.
pub fn request_key(raw: &str) -> Result<String, BadPath> {
    let lower = raw.to_ascii_lowercase();
    if ["%2f", "%5c", "%00"].iter().any(|enc| lower.contains(enc)) {
        return Err(BadPath::Encoding);
    }
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(raw).collect();
    let path = String::from_utf8(bytes).map_err(|_| BadPath::Encoding)?;
    if path.contains('\\') || path.chars().any(char::is_control) {
        return Err(BadPath::Encoding);
    }
    let rest = path.strip_prefix('/').ok_or(BadPath::Escape)?;
    let segments: Vec<&str> = rest.split('/').collect();
    let last = segments.len() - 1;
    for (idx, segment) in segments.iter().enumerate() {
        let is_drive = idx == 0
            && segment.len() == 2
            && segment.as_bytes()[0].is_ascii_alphabetic()
            && segment.as_bytes()[1] == b':';
        if *segment == "." || *segment == ".." || is_drive || (segment.is_empty() && idx != last) {
            return Err(BadPath::Escape);
        }
    }
    Ok(rest.to_string())
}

/// What a request key finds in a build.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// The file at this output path.
    File(String),
    /// A folder asked for without its slash: redirect to it.
    Folder(String),
    /// Nothing.
    Missing,
}

/// The output paths a request key may name: a folder's `index.html`, or a file, or a folder
/// asked for without its slash.
fn candidates(key: &str) -> Vec<String> {
    if key.is_empty() || key.ends_with('/') {
        vec![format!("{key}index.html")]
    } else {
        vec![key.to_string(), format!("{key}/index.html")]
    }
}

fn find(site: &Snapshot, key: &str) -> Found {
    if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        return if site.get(&index).is_some() { Found::File(index) } else { Found::Missing };
    }
    if site.get(key).is_some() {
        Found::File(key.to_string())
    } else if site.get(&format!("{key}/index.html")).is_some() {
        Found::Folder(format!("/{key}/"))
    } else {
        Found::Missing
    }
}

async fn file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
    }
    let key = match request_key(uri.path()) {
        Ok(key) => key,
        Err(_) => return (StatusCode::BAD_REQUEST, "bad request path\n").into_response(),
    };
    let mut site = shared.site();
    let mut found = find(&site, &key);
    match &found {
        Found::Missing => {
            if let Some(rendered) = shared.render(&key).await {
                site = rendered;
                found = find(&site, &key);
            }
        }
        Found::File(path) => shared.served(path),
        Found::Folder(_) => {}
    }
    let failure = shared.failure();
    match found {
        Found::File(path) => match read(&site, &path).await {
            Some(bytes) => respond(StatusCode::OK, &path, bytes, failure.as_deref()),
            None => not_found(&site, failure.as_deref()).await,
        },
        Found::Folder(to) => {
            let mut location = encode_path(&to);
            if let Some(query) = uri.query() {
                location.push('?');
                location.push_str(query);
            }
            match HeaderValue::from_str(&location) {
                Ok(value) => {
                    (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, value)]).into_response()
                }
                Err(_) => (StatusCode::BAD_REQUEST, "bad request path\n").into_response(),
            }
        }
        Found::Missing => not_found(&site, failure.as_deref()).await,
    }
}

/// The bytes of an output file; a copied file is read from its recorded source.
async fn read(site: &Snapshot, path: &str) -> Option<Vec<u8>> {
    match &site.get(path)?.contents {
        Contents::Bytes(bytes) => Some(bytes.to_vec()),
        Contents::Copy(source) | Contents::Keep(source) => tokio::fs::read(source).await.ok(),
        Contents::Link(source) => read_variant(source).await,
        // Only a one-off build stages its pages; the server's are in memory.
        Contents::Staged { .. } => None,
    }
}

/// A photo variant: the session makes them on a thread of its own after each rebuild, so one
/// not made yet is waited for rather than missing.
async fn read_variant(source: &std::path::Path) -> Option<Vec<u8>> {
    let source = source.to_path_buf();
    let made = tokio::task::spawn_blocking({
        let source = source.clone();
        move || crate::output::wait_for_variant(&source)
    });
    if !made.await.unwrap_or(false) {
        return None;
    }
    tokio::fs::read(source).await.ok()
}

async fn not_found(site: &Snapshot, failure: Option<&str>) -> Response {
    let page = match read(site, "404.html").await {
        Some(bytes) => bytes,
        None => livereload::fallback_page(404),
    };
    respond(StatusCode::NOT_FOUND, "404.html", page, failure)
}

fn respond(status: StatusCode, path: &str, bytes: Vec<u8>, failure: Option<&str>) -> Response {
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        livereload::inject(&bytes, failure)
    } else {
        bytes
    };
    (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        Body::from(body),
    )
        .into_response()
}

/// The `Content-Type` of an output path, with `charset=utf-8` for text.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "xml" | "xsl" => "application/xml; charset=utf-8",
        "rss" => "application/rss+xml; charset=utf-8",
        "atom" => "application/atom+xml; charset=utf-8",
        "json" | "map" => "application/json; charset=utf-8",
        "webmanifest" => "application/manifest+json; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => mime_guess::from_ext(&ext).first_raw().unwrap_or("application/octet-stream"),
    }
}

/// The live-reload stream: `hello` (and `failed` while the site is broken), then every message;
/// 503 when [`MAX_STREAMS`] are open already.
async fn events(State(shared): State<Arc<Shared>>) -> Response {
    let Ok(permit) = Arc::clone(&shared.streams).try_acquire_owned() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "too many live-reload connections\n")
            .into_response();
    };
    Sse::new(stream(&shared, permit)).keep_alive(KeepAlive::default()).into_response()
}

/// The events of one stream; it holds `permit` until the client goes away.
fn stream(
    shared: &Shared,
    permit: OwnedSemaphorePermit,
) -> impl Stream<Item = Result<SseEvent, Infallible>> + use<> {
    let rx = shared.events.subscribe();
    let failure = shared.failure();
    let mut first = vec![Message::Hello { failed: failure.is_some() }];
    if let Some(html) = failure {
        first.push(Message::Failed { html: html.to_string() });
    }
    first.reverse();
    let state = (rx, first, permit);
    futures_util::stream::unfold(state, |(mut rx, mut first, permit)| async move {
        let message = match first.pop() {
            Some(message) => message,
            None => match rx.recv().await {
                Ok(message) => message,
                // Too slow to keep up: reload rather than miss a change.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    Message::Reload { changed: Vec::new(), all: true }
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            },
        };
        let event = SseEvent::default().event(message.name()).data(message.data());
        Some((Ok(event), (rx, first, permit)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::OutputFile;

    #[track_caller]
    fn check(raw: &str, expect: Result<&str, BadPath>) {
        assert_eq!(request_key(raw), expect.map(str::to_string), "{raw}");
    }

    #[test]
    fn request_paths() {
        check("/", Ok(""));
        check("/politics/", Ok("politics/"));
        check("/politics", Ok("politics"));
        check("/css/akhbar.css", Ok("css/akhbar.css"));
        check("/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/", Ok("سياسة/"));
        check("/سياسة/", Ok("سياسة/"));
        check("/a%20b", Ok("a b"));
        // Decoded once: a double-encoded dot is a plain (missing) name.
        check("/%252e%252e/config.toml", Ok("%2e%2e/config.toml"));
    }

    #[test]
    fn escapes_are_refused() {
        check("/../config.toml", Err(BadPath::Escape));
        check("/politics/../../config.toml", Err(BadPath::Escape));
        check("/%2e%2e/config.toml", Err(BadPath::Escape));
        check("/%2E%2E/config.toml", Err(BadPath::Escape));
        check("/.%2e/config.toml", Err(BadPath::Escape));
        check("/./index.html", Err(BadPath::Escape));
        check("/politics/..", Err(BadPath::Escape));
        check("//etc/passwd", Err(BadPath::Escape));
        check("/politics//x", Err(BadPath::Escape));
        check("/C:/Windows/win.ini", Err(BadPath::Escape));
        check("/c:", Err(BadPath::Escape));
        check("relative", Err(BadPath::Escape));
        check("/politics%2f..%2f..%2fconfig.toml", Err(BadPath::Encoding));
        check("/politics%2F..", Err(BadPath::Encoding));
        check("/..%5cconfig.toml", Err(BadPath::Encoding));
        check("/..\\config.toml", Err(BadPath::Encoding));
        check("/%00", Err(BadPath::Encoding));
        check("/a%0a", Err(BadPath::Encoding));
        check("/%ff", Err(BadPath::Encoding));
    }

    #[test]
    fn folders_and_files() {
        let site = Snapshot::new(vec![
            OutputFile::bytes("index.html", "home"),
            OutputFile::bytes("politics/index.html", "politics"),
            OutputFile::bytes("css/a.css", "a"),
        ]);
        assert_eq!(find(&site, ""), Found::File("index.html".into()));
        assert_eq!(find(&site, "politics/"), Found::File("politics/index.html".into()));
        assert_eq!(find(&site, "politics"), Found::Folder("/politics/".into()));
        assert_eq!(find(&site, "css/a.css"), Found::File("css/a.css".into()));
        assert_eq!(find(&site, "css/"), Found::Missing);
        assert_eq!(find(&site, "economy/"), Found::Missing);
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("rss.xml"), "application/xml; charset=utf-8");
        assert_eq!(content_type("x.SVG"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("photo.jpg"), "image/jpeg");
        assert_eq!(content_type("font.woff2"), "font/woff2");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
