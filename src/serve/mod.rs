//! Live preview: `midad serve` and `midad build --watch`.
//!
//! Both watch the site ([`watch`]), turn each batch of file events into typed changes, rebuild
//! ([`rebuild`]) and publish the result: `build --watch` writes it to the output folder
//! (atomically, through `output`), `serve` swaps it into the in-memory build its HTTP server
//! ([`http`]) reads, then tells open pages what changed ([`livereload`]). A build that fails keeps
//! the last good one published and reports the errors; neither command ever exits on a content
//! error, only on Ctrl-C (or an error midad itself can't recover from, like a port it can't bind).
//!
//! This module never prints: it reports [`Event`]s to a callback, and the CLI edge prints them.

pub mod demand;
pub mod host;
pub mod http;
pub mod livereload;
pub mod rebuild;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Errors, Origin};
use crate::output;
use crate::pipeline::{BuildOptions, BuildReport};
use rebuild::{Rebuilder, Rebuilt};
use watch::{Change, Signal, SitePaths, Watcher};

/// Options of `midad serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on (loopback by default).
    pub bind: IpAddr,
    /// The first port to try; the next ten are tried when it is taken. 0 lets the system choose.
    pub port: u16,
    /// Include drafts.
    pub drafts: bool,
    /// Include embargoed articles.
    pub future: bool,
    /// Open the preview in a browser once it is up.
    pub open: bool,
    /// How many bytes the rendered pages kept in memory may take (see [`demand`]).
    pub page_cache: usize,
}

/// Something the CLI edge reports while watching.
#[derive(Debug)]
pub enum Event {
    /// The first build succeeded.
    Built(BuildReport),
    /// `serve` is up at this URL.
    Listening {
        /// The preview's URL, e.g. `http://127.0.0.1:1111/`.
        url: String,
    },
    /// `build --watch` is watching.
    Watching,
    /// A rebuild after changes succeeded (and was published).
    Rebuilt(RebuildReport),
    /// A build failed, or its output could not be published; the last good build stays.
    Failed(Errors),
}

/// One rebuild, for a one-line report.
#[derive(Debug)]
pub struct RebuildReport {
    /// What changed on disk, deduplicated.
    pub changes: Vec<Change>,
    /// Pages rendered for the rebuild.
    pub rendered_pages: usize,
    /// Output files that differ from the previous build.
    pub changed_files: usize,
    /// Warnings the previous build did not have.
    pub warnings: Vec<Diagnostic>,
    /// From the start of the rebuild to the end of publishing it.
    pub elapsed: Duration,
}

/// `midad serve`: builds in memory, serves on `opts.bind`, rebuilds on every change until Ctrl-C.
pub fn serve(opts: &ServeOptions, on_event: &mut dyn FnMut(Event)) -> Result<(), Errors> {
    let runtime = runtime()?;
    let header_read_timeout = header_read_timeout()?;
    let listener = bind(opts.bind, opts.port)?;
    let addr = listener.local_addr().map_err(|e| internal("cannot read the bound address", e))?;
    let url = preview_url(addr);
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: opts.root.join("public"),
        drafts: opts.drafts,
        future: opts.future,
        base_url: Some(url.clone()),
        now: None,
    };

    let (tx, rx) = mpsc::channel();
    let mut watcher = Watcher::start(site_paths(&build_opts), tx.clone())?;
    // Pages are rendered when a browser asks for them; the search index is made after each
    // rebuild's pages are served.
    let mut rebuilder = Rebuilder::on_request(build_opts, tx.clone(), opts.page_cache);
    let shared = Arc::new(http::Shared::rendering_on_request(tx.clone()));
    stop_on_signal(&runtime, tx)?;

    let mut warnings = Vec::new();
    match rebuilder.rebuild(&[]) {
        Ok(rebuilt) => {
            warnings = warning_texts(&rebuilt.report);
            shared.publish(Arc::clone(&rebuilt.files), &[]);
            on_event(Event::Built(rebuilt.report));
        }
        Err(errors) => {
            shared.fail(livereload::overlay(&errors));
            on_event(Event::Failed(errors));
        }
    }

    listener.set_nonblocking(true).map_err(|e| internal("cannot set up the listener", e))?;
    let app = http::router(Arc::clone(&shared), host::Hosts::new(addr.ip()));
    let server = runtime.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        Ok::<_, std::io::Error>(tokio::spawn(http::run(listener, app, header_read_timeout)))
    });
    let server = server.map_err(|e| internal("cannot start the HTTP server", e))?;
    on_event(Event::Listening { url: url.clone() });
    if opts.open {
        open_browser(&url);
    }

    let mut preview = Preview(Arc::clone(&shared));
    watch_loop(&rx, &mut watcher, &mut rebuilder, &mut warnings, &mut preview, on_event);
    server.abort();
    // Open event streams never end by themselves: don't wait for them.
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(())
}

/// `midad build --watch`: builds into `opts.output`, then rebuilds and rewrites it on every change
/// until Ctrl-C.
pub fn build_and_watch(opts: &BuildOptions, on_event: &mut dyn FnMut(Event)) -> Result<(), Errors> {
    let runtime = runtime()?;
    let (tx, rx) = mpsc::channel();
    let mut watcher = Watcher::start(site_paths(opts), tx.clone())?;
    stop_on_signal(&runtime, tx)?;

    let mut rebuilder = Rebuilder::new(opts.clone());
    let mut warnings = Vec::new();
    // Set when the output on disk may differ from the last good build (a write failed).
    let mut stale = false;
    match rebuilder.rebuild(&[]) {
        Ok(rebuilt) => {
            warnings = warning_texts(&rebuilt.report);
            match output::write(&opts.output, rebuilt.files.files()) {
                Ok(()) => on_event(Event::Built(rebuilt.report)),
                Err(err) => {
                    stale = true;
                    on_event(Event::Failed(err.into()));
                }
            }
        }
        Err(errors) => on_event(Event::Failed(errors)),
    }
    on_event(Event::Watching);

    let mut output_dir = OutputDir { path: opts.output.clone(), stale };
    watch_loop(&rx, &mut watcher, &mut rebuilder, &mut warnings, &mut output_dir, on_event);
    runtime.shutdown_timeout(Duration::from_millis(100));
    Ok(())
}

/// Where a rebuild goes: the preview server's memory, or the output folder.
trait Publish {
    /// Makes a successful rebuild the published one.
    fn good(&mut self, rebuilt: &Rebuilt) -> Result<(), Errors>;
    /// A rebuild failed: the last good one stays published.
    fn failed(&mut self, errors: &Errors);
}

/// `serve`: swap the build in, tell the pages.
struct Preview(Arc<http::Shared>);

impl Publish for Preview {
    fn good(&mut self, rebuilt: &Rebuilt) -> Result<(), Errors> {
        self.0.publish(Arc::clone(&rebuilt.files), &rebuilt.changed);
        Ok(())
    }

    fn failed(&mut self, errors: &Errors) {
        self.0.fail(livereload::overlay(errors));
    }
}

/// `build --watch`: rewrite the output folder when the build changed.
struct OutputDir {
    path: PathBuf,
    /// The folder may differ from the last good build (a write failed): write even if the build
    /// did not change.
    stale: bool,
}

impl Publish for OutputDir {
    fn good(&mut self, rebuilt: &Rebuilt) -> Result<(), Errors> {
        if rebuilt.changed.is_empty() && !self.stale {
            return Ok(());
        }
        self.stale = true;
        output::write(&self.path, rebuilt.files.files())?;
        self.stale = false;
        Ok(())
    }

    fn failed(&mut self, _errors: &Errors) {}
}

/// Waits for changes, rebuilds, publishes, reports; returns on [`Signal::Stop`]. Renders the
/// pages a browser asks for between rebuilds.
fn watch_loop(
    rx: &mpsc::Receiver<Signal>,
    watcher: &mut Watcher,
    rebuilder: &mut Rebuilder,
    warnings: &mut Vec<String>,
    publish: &mut dyn Publish,
    on_event: &mut dyn FnMut(Event),
) {
    while let Ok(first) = rx.recv() {
        // Join the batches that queued up during the last rebuild into one.
        let mut changes = Vec::new();
        let mut indexed = None;
        let mut asked = Vec::new();
        let mut waiting = Vec::new();
        for signal in std::iter::once(first).chain(rx.try_iter()) {
            match signal {
                Signal::Stop => return,
                Signal::Changes(batch) => changes.extend(batch),
                Signal::Failed(message) => on_event(Event::Failed(
                    Diagnostic::internal(format!("watching the site: {message}")).into(),
                )),
                Signal::Indexed { number, files } => indexed = Some((number, files)),
                Signal::Wanted { paths, done } => {
                    asked.extend(paths);
                    waiting.extend(done);
                }
            }
        }
        // A search index made after the last rebuild goes out as a change of its own.
        let indexed = indexed.and_then(|(number, files)| rebuilder.indexed(number, files));
        if let Some(Err(errors)) = indexed.map(|rebuilt| publish.good(&rebuilt)) {
            on_event(Event::Failed(errors));
        }
        if changes.is_empty() {
            // Pages asked for while nothing changed are rendered with the site as it is.
            match rebuilder.want(&asked) {
                Some(Ok(rebuilt)) => {
                    if let Err(errors) = publish.good(&rebuilt) {
                        on_event(Event::Failed(errors));
                    }
                }
                Some(Err(errors)) => {
                    publish.failed(&errors);
                    on_event(Event::Failed(errors));
                }
                None => {}
            }
        } else {
            // Those asked for along with changes are rendered by the rebuild.
            rebuilder.ask(&asked);
            changes.sort();
            changes.dedup();
            if let Err(err) = watcher.watch_new_dirs() {
                on_event(Event::Failed(err.into()));
            }
            rebuild(changes, rebuilder, warnings, publish, on_event);
        }
        for done in waiting {
            let _ = done.send(());
        }
    }
}

/// Rebuilds after `changes`, publishes the result and reports it.
fn rebuild(
    changes: Vec<Change>,
    rebuilder: &mut Rebuilder,
    warnings: &mut Vec<String>,
    publish: &mut dyn Publish,
    on_event: &mut dyn FnMut(Event),
) {
    let start = Instant::now();
    match rebuilder.rebuild(&changes) {
        Ok(rebuilt) => {
            let published = publish.good(&rebuilt);
            let texts = warning_texts(&rebuilt.report);
            let new_warnings = rebuilt
                .report
                .warnings
                .into_iter()
                .filter(|w| !warnings.contains(&w.to_string()))
                .collect();
            *warnings = texts;
            match published {
                Ok(()) => on_event(Event::Rebuilt(RebuildReport {
                    changes,
                    rendered_pages: rebuilt.rendered_pages,
                    changed_files: rebuilt.changed.len(),
                    warnings: new_warnings,
                    elapsed: start.elapsed(),
                })),
                Err(errors) => on_event(Event::Failed(errors)),
            }
        }
        Err(errors) => {
            publish.failed(&errors);
            on_event(Event::Failed(errors));
        }
    }
}

/// Shortens [`http::HEADER_READ_TIMEOUT`], for the tests that play a slow client (a number of
/// milliseconds). Not a setting: nobody needs another timeout to preview a site.
const HEADER_READ_TIMEOUT_ENV: &str = "MIDAD_TEST_HEADER_READ_TIMEOUT_MS";

fn header_read_timeout() -> Result<Duration, Errors> {
    let Some(value) = std::env::var_os(HEADER_READ_TIMEOUT_ENV) else {
        return Ok(http::HEADER_READ_TIMEOUT);
    };
    match value.to_str().and_then(|ms| ms.parse::<u64>().ok()) {
        Some(ms) if ms > 0 => Ok(Duration::from_millis(ms)),
        _ => Err(Diagnostic::config(
            Origin::Env(HEADER_READ_TIMEOUT_ENV),
            "expected a number of milliseconds above 0, e.g. `500`",
        )
        .into()),
    }
}

fn warning_texts(report: &BuildReport) -> Vec<String> {
    report.warnings.iter().map(ToString::to_string).collect()
}

fn site_paths(opts: &BuildOptions) -> SitePaths {
    let root = opts.root.canonicalize().unwrap_or_else(|_| opts.root.clone());
    let output = match (opts.output.parent(), opts.output.file_name()) {
        (Some(parent), Some(name)) => {
            let parent =
                if parent.as_os_str().is_empty() { std::path::Path::new(".") } else { parent };
            parent.canonicalize().map(|p| p.join(name)).unwrap_or_else(|_| opts.output.clone())
        }
        _ => opts.output.clone(),
    };
    SitePaths { root, output }
}

fn runtime() -> Result<tokio::runtime::Runtime, Errors> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| internal("cannot start the async runtime", e).into())
}

/// Sends [`Signal::Stop`] on Ctrl-C (and SIGTERM). The handler is installed before this returns,
/// so a signal that comes after the first report always stops cleanly.
fn stop_on_signal(
    runtime: &tokio::runtime::Runtime,
    tx: mpsc::Sender<Signal>,
) -> Result<(), Errors> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let _guard = runtime.enter();
        let mut interrupt =
            signal(SignalKind::interrupt()).map_err(|e| internal("cannot handle Ctrl-C", e))?;
        let mut terminate =
            signal(SignalKind::terminate()).map_err(|e| internal("cannot handle SIGTERM", e))?;
        runtime.spawn(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            let _ = tx.send(Signal::Stop);
        });
    }
    #[cfg(not(unix))]
    runtime.spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = tx.send(Signal::Stop);
        }
    });
    Ok(())
}

/// Binds `port`, or the next free one of the ten after it.
fn bind(addr: IpAddr, port: u16) -> Result<TcpListener, Errors> {
    let last = if port == 0 { 0 } else { port.saturating_add(10) };
    let mut res = Err(std::io::Error::other("no port tried"));
    for candidate in port..=last {
        res = TcpListener::bind((addr, candidate));
        match &res {
            Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => continue,
            _ => break,
        }
    }
    res.map_err(|err| {
        let message = format!(
            "cannot listen on {addr} port {port} (nor the next ten): {err}; choose another with `--port`"
        );
        Diagnostic::config(Origin::Flag("--port"), message).into()
    })
}

/// The URL pages link to: the bound address, or loopback when bound to every interface.
fn preview_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => IpAddr::from([127, 0, 0, 1]),
        ip if ip.is_unspecified() => IpAddr::from(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    match ip {
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
    }
}

/// Opens `url` with `xdg-open` when there is one; a failure is ignored (the URL is printed).
fn open_browser(url: &str) {
    let child = std::process::Command::new("xdg-open")
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Ok(mut child) = child {
        std::thread::spawn(move || child.wait());
    }
}

fn internal(what: &str, err: std::io::Error) -> Diagnostic {
    Diagnostic::internal(format!("{what}: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_urls() {
        assert_eq!(preview_url("127.0.0.1:1111".parse().unwrap()), "http://127.0.0.1:1111/");
        assert_eq!(preview_url("0.0.0.0:8080".parse().unwrap()), "http://127.0.0.1:8080/");
        assert_eq!(preview_url("[::1]:1111".parse().unwrap()), "http://[::1]:1111/");
    }

    #[test]
    fn a_taken_port_moves_to_the_next() {
        let taken = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        let next = bind(IpAddr::from([127, 0, 0, 1]), port).unwrap();
        assert_ne!(next.local_addr().unwrap().port(), port);
    }
}
