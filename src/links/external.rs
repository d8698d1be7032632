//! External links (`http://`, `https://`) checked over the network, as `midad check --external`
//! does: is the page there, is it gone for good, or could we not tell?
//!
//! Each URL is asked with `HEAD` first, which sends no body; a server that answers `HEAD` with
//! 400, 403, 404, 405 or 501, or with something that is not HTTP, is asked again with `GET`,
//! whose body is never read (many servers and CDNs answer `HEAD` wrongly). Redirects are
//! followed, up to [`MAX_REDIRECTS`]. A 429 is asked once more after its `Retry-After` (at most
//! the timeout). Every request has a timeout ([`Settings::timeout`], for the whole redirect
//! chain); at most [`Settings::concurrency`] requests run at once, and at most
//! [`Settings::per_host`] to one host, so an article that links thirty times to one ministry
//! doesn't hammer it. Each distinct URL (without its `#fragment`) is requested at most once.
//!
//! The answer is a [`Verdict`]. Only what the server says for good is [`Verdict::Broken`]: a 4xx
//! other than 401, 403 and 429. Everything else that keeps us from knowing (no DNS answer, no
//! connection, TLS, a timeout, a 5xx, a refusal or rate limit, a redirect loop) is
//! [`Verdict::Unreachable`], with a [`Failure`] that says why: the caller reports it but never
//! fails on it, because a network error says nothing about the site being built.
//!
//! Verdicts the server gave for good (`Ok`, `Broken`) are kept in a cache file
//! ([`Settings::cache`]) with the time they were asked, and used instead of a request while
//! younger than [`Settings::max_age`]; `Unreachable` is never kept, so it is asked again next
//! time. The file is a first line `midad-links 1`, then one JSON object per line,
//! `{"url":"https://…","checked":1767225600,"verdict":"broken","status":404}` (`checked` in
//! seconds since 1970), and is replaced whole (`<file>-tmp`, then a rename). A file that can't
//! be read, of another version, or a line that can't be read, is ignored. Verdicts of URLs no
//! longer linked stay until they are too old, so checking part of a site keeps the rest.
//!
//! What this module deliberately doesn't do: check `#fragment`s of external pages (that needs
//! their bodies), keep cookies (a site that loops through a cookie redirect is `Unreachable`,
//! not broken), resolve internationalised host names (a `.مصر` host needs its `xn--` form), or
//! count a redirect to another host against that host's limit. It never prints and never
//! panics on what the network sends.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use ureq::http::{Method, Uri, header};
use ureq::{Agent, ResponseExt};

/// The most redirects followed for one request; one more is [`Failure::TooManyRedirects`] (or
/// [`Failure::RedirectLoop`] when a URL comes back).
pub const MAX_REDIRECTS: u32 = 10;

/// The first line of a cache file, with its format version.
const FORMAT: &str = "midad-links 1";

/// How long to wait before asking again after a 429 without a `Retry-After` in seconds.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// What a browser would percent-encode in a URL it is given: controls, space, the characters
/// that may never appear in a URL, and (always, by `utf8_percent_encode`) every non-ASCII byte,
/// so `https://ar.wikipedia.org/wiki/مصر` can be requested. `%` stays: a URL already encoded
/// is not encoded twice.
const NOT_IN_URL: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

/// How to check: limits and the client's name.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The most requests in flight at once, over all hosts (at least 1). Default 8.
    pub concurrency: usize,
    /// The most requests in flight at once to one host name (at least 1). Default 2.
    pub per_host: usize,
    /// How long one request may take, redirects included; a `GET` after a `HEAD` and a retry
    /// after a 429 get their own. Default 10 s.
    pub timeout: Duration,
    /// How long a cached verdict holds: an entry checked that long ago or longer is asked
    /// again. Default one day.
    pub max_age: Duration,
    /// The cache file, read before and replaced after checking; `None` for no cache. Default
    /// `None`.
    pub cache: Option<PathBuf>,
    /// The `User-Agent` sent. Default `midad/<version> (link checker)`.
    pub user_agent: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            concurrency: 8,
            per_host: 2,
            timeout: Duration::from_secs(10),
            max_age: Duration::from_secs(24 * 60 * 60),
            cache: None,
            user_agent: concat!("midad/", env!("CARGO_PKG_VERSION"), " (link checker)").to_string(),
        }
    }
}

/// What checking one URL found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The page is there: the last answer, after redirects, was 1xx, 2xx or a 3xx that is not a
    /// redirect to follow (a 304, a 300 without `Location`).
    Ok {
        /// The last status.
        status: u16,
    },
    /// The server says, for good, that the page is not there: a 4xx other than 401, 403 and
    /// 429 (404, 410, 400, 451…), to `GET` as well when `HEAD` got it. An author's error.
    Broken {
        /// The last status.
        status: u16,
    },
    /// The link is not an `http`/`https` URL that can be requested: another scheme, no host, a
    /// host that is not a host name. An author's error; nothing was requested.
    Invalid {
        /// Why, as a message that names what is wrong.
        reason: String,
    },
    /// We could not tell: the network, the server or its defences stood in the way. Reported,
    /// but never a reason to fail: a network error says nothing about the site.
    Unreachable {
        /// Why.
        reason: Failure,
    },
}

/// Why a URL could not be checked ([`Verdict::Unreachable`]). Displays as a lowercase message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The host name does not resolve (DNS).
    HostNotFound,
    /// No connection could be made: refused, no route, reset by a firewall.
    Connection(String),
    /// The server closed the connection without an answer (a fresh `GET` was tried too).
    Closed,
    /// TLS failed: a bad or expired certificate, a handshake the server refused.
    Tls(String),
    /// No answer within [`Settings::timeout`].
    Timeout(Duration),
    /// The answer was not valid HTTP (a fresh `GET` was tried too).
    Protocol(String),
    /// 401 or 403 to `GET`: the server refuses the checker, which says nothing of readers (a
    /// paywall, a bot wall). The page may well be there.
    Refused {
        /// 401 or 403.
        status: u16,
    },
    /// 429, and 429 again after waiting once.
    RateLimited,
    /// A 5xx: trouble on the server, often passing.
    ServerError {
        /// The status, 500 to 599.
        status: u16,
    },
    /// A redirect led back to a URL already visited; often a site that sets a cookie and
    /// redirects, and loops for a client that keeps none.
    RedirectLoop {
        /// The URL that came back.
        at: String,
    },
    /// More than [`MAX_REDIRECTS`] redirects, none of them back.
    TooManyRedirects,
    /// The host name is not ASCII (`https://مثال.مصر/`): the client can't look it up.
    InternationalHost,
    /// Anything else the client reported.
    Other(String),
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::HostNotFound => write!(f, "the host name does not resolve"),
            Failure::Connection(why) => write!(f, "no connection: {why}"),
            Failure::Closed => write!(f, "the server closed the connection without an answer"),
            Failure::Tls(why) => write!(f, "the TLS connection failed: {why}"),
            Failure::Timeout(after) => write!(f, "no answer within {} s", after.as_secs_f32()),
            Failure::Protocol(why) => write!(f, "the answer is not valid HTTP: {why}"),
            Failure::Refused { status } => {
                write!(
                    f,
                    "the server refuses the checker ({}); readers may see it",
                    status_text(*status)
                )
            }
            Failure::RateLimited => {
                write!(f, "the server limits requests (429), even after waiting")
            }
            Failure::ServerError { status } => write!(f, "server error ({})", status_text(*status)),
            Failure::RedirectLoop { at } => write!(f, "a redirect loop back to `{at}`"),
            Failure::TooManyRedirects => write!(f, "more than {MAX_REDIRECTS} redirects"),
            Failure::InternationalHost => {
                write!(f, "the host name is not ASCII: write it in its `xn--` form to check it")
            }
            Failure::Other(why) => write!(f, "{why}"),
        }
    }
}

impl fmt::Display for Verdict {
    /// The status with its reason phrase (`404 Not Found`), or why there is none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Ok { status } | Verdict::Broken { status } => {
                f.write_str(&status_text(*status))
            }
            Verdict::Invalid { reason } => f.write_str(reason),
            Verdict::Unreachable { reason } => write!(f, "{reason}"),
        }
    }
}

/// `404 Not Found`: a status with its reason phrase, when it has one.
fn status_text(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// What [`check`] found.
#[derive(Debug)]
pub struct Checked<'a> {
    /// Every URL given, in the same order (duplicates included), with its verdict.
    pub verdicts: Vec<(&'a str, Verdict)>,
    /// How many distinct URLs were requested.
    pub requested: usize,
    /// How many distinct URLs the cache answered.
    pub cached: usize,
    /// Why the cache could not be written, if it could not. The verdicts stand; the next check
    /// asks again what this one asked.
    pub cache_error: Option<Error>,
}

/// What can go wrong in [`check`] besides the URLs themselves.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The cache file could not be replaced.
    #[error("cannot write the link cache `{}`", path.display())]
    CacheWrite {
        /// The cache file.
        path: PathBuf,
        /// What the file system said.
        #[source]
        source: io::Error,
    },
}

/// Checks `urls` over the network at time `now`. Never fails: what goes wrong with a URL is its
/// verdict, and a cache that can't be written is [`Checked::cache_error`].
///
/// A URL is requested without its `#fragment` and with the characters a browser would encode
/// percent-encoded; URLs that are the same then are requested once. A URL the cache has a
/// verdict for, checked less than `settings.max_age` before `now`, is not requested at all.
/// Blocks until every URL has a verdict: at worst about `urls.len() / settings.concurrency`
/// times `settings.timeout` (twice that for a `GET` after a `HEAD`).
pub fn check<'a, S: AsRef<str>>(
    urls: &'a [S],
    settings: &Settings,
    now: SystemTime,
) -> Checked<'a> {
    // Without a time since 1970 the cache can tell nothing fresh: it is not used at all.
    let now = now.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
    let cache_path = settings.cache.as_deref().filter(|_| now > 0);
    let mut cache =
        cache_path.map(|path| Cache::load(path, now, settings.max_age)).unwrap_or_default();
    // Plan: each URL has a verdict already (it can't be requested, or the cache has it) or
    // needs a request, which the URLs that are the same share; then act: run the requests.
    let mut targets: Vec<Target> = Vec::new();
    let mut target_idx: HashMap<String, usize> = HashMap::new();
    let mut cached = HashSet::new();
    let plans: Vec<Plan> = urls
        .iter()
        .map(|url| {
            let target = match Target::parse(url.as_ref()) {
                Ok(target) => target,
                Err(verdict) => return Plan::Known(verdict),
            };
            if let Some((request, record)) = cache.fresh.get_key_value(&target.request) {
                cached.insert(request);
                return Plan::Known(record.verdict());
            }
            // The map needs its own copy of the key: `targets` owns the target.
            let idx = *target_idx.entry(target.request.clone()).or_insert_with(|| {
                targets.push(target);
                targets.len() - 1
            });
            Plan::Request(idx)
        })
        .collect();
    let n_cached = cached.len();
    let found = request_all(&targets, settings);
    let verdicts = urls
        .iter()
        .zip(plans)
        .map(|(url, plan)| match plan {
            Plan::Known(verdict) => (url.as_ref(), verdict),
            // A copy per URL: URLs that are the same share one request.
            Plan::Request(idx) => (url.as_ref(), found[idx].clone()),
        })
        .collect();
    let requested = targets.len();
    let mut changed = cache.outdated;
    for (target, verdict) in targets.into_iter().zip(&found) {
        if let Some(record) = Record::of(verdict, now) {
            cache.fresh.insert(target.request, record);
            changed = true;
        }
    }
    let cache_error = cache_path.filter(|_| changed).and_then(|path| cache.save(path).err());
    Checked { verdicts, requested, cached: n_cached, cache_error }
}

/// What [`check`] does with one URL.
enum Plan {
    /// Nothing: it has its verdict.
    Known(Verdict),
    /// Takes the verdict of request `usize`.
    Request(usize),
}

/// A URL as it is requested.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    /// The URL without its fragment, percent-encoded where a browser would encode it.
    request: String,
    /// Its host name in lowercase: what [`Settings::per_host`] counts.
    host: String,
}

impl Target {
    /// The request for `url`, or the verdict of a URL that can't be requested.
    fn parse(url: &str) -> Result<Target, Verdict> {
        let invalid = |reason: String| Verdict::Invalid { reason };
        // The fragment is never sent: it names a place in the page, not another page.
        let without_fragment = url.split_once('#').map_or(url, |(before, _)| before);
        let request = utf8_percent_encode(without_fragment, NOT_IN_URL).to_string();
        let uri: Uri = match request.parse() {
            Ok(uri) => uri,
            Err(err) => {
                // Non-ASCII letters stay out of the path: encoded. If the same URL with ASCII
                // letters for them parses, they were in the host.
                let ascii = without_fragment.replace(|c: char| !c.is_ascii(), "a");
                if !without_fragment.is_ascii() && Target::parse(&ascii).is_ok() {
                    return Err(Verdict::Unreachable { reason: Failure::InternationalHost });
                }
                return Err(invalid(format!("`{url}` is not a valid URL: {err}")));
            }
        };
        let scheme = uri.scheme_str().unwrap_or_default();
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            return Err(invalid(format!("`{url}` is not an `http` or `https` URL")));
        }
        let host = uri.host().unwrap_or_default();
        if host.is_empty() {
            return Err(invalid(format!("`{url}` has no host name")));
        }
        Ok(Target { host: host.to_ascii_lowercase(), request })
    }
}

/// The verdict of each target, in order, requested by `settings.concurrency` threads.
fn request_all(targets: &[Target], settings: &Settings) -> Vec<Verdict> {
    if targets.is_empty() {
        return Vec::new();
    }
    let agent = agent(settings);
    let queue = Queue::new(targets, settings.per_host.max(1));
    let n_workers = settings.concurrency.clamp(1, targets.len());
    let mut found: Vec<(usize, Verdict)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..n_workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Vec::new();
                    while let Some(slot) = queue.take() {
                        found.push((slot.idx, probe(&agent, &targets[slot.idx].request, settings)));
                    }
                    found
                })
            })
            .collect();
        let mut found = Vec::with_capacity(targets.len());
        for worker in workers {
            match worker.join() {
                Ok(part) => found.extend(part),
                // A bug in the client, not something the network sent: not ours to hide.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        found
    });
    found.sort_unstable_by_key(|&(idx, _)| idx);
    found.into_iter().map(|(_, verdict)| verdict).collect()
}

/// The HTTP client: statuses are answers rather than errors; redirects are followed, and the
/// last one returned rather than an error, with the URLs on the way (so [`send`] can tell a loop
/// from a long chain); one timeout for the whole redirect chain.
fn agent(settings: &Settings) -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(MAX_REDIRECTS)
        .max_redirects_will_error(false)
        .save_redirect_history(true)
        .timeout_global(Some(settings.timeout))
        .user_agent(settings.user_agent.as_str())
        .max_idle_connections_per_host(settings.per_host.max(1))
        .build()
        .new_agent()
}

/// The targets not yet requested, and how many requests each host has in flight. A worker
/// takes the first target whose host is under the limit, so thirty links to one host don't keep
/// the others waiting, and waits only when every waiting target's host is at its limit.
struct Queue<'t> {
    targets: &'t [Target],
    per_host: usize,
    state: Mutex<QueueState<'t>>,
    /// Signalled whenever a request ends, which may free its host.
    freed: Condvar,
}

struct QueueState<'t> {
    waiting: VecDeque<usize>,
    in_flight: HashMap<&'t str, usize>,
}

/// A target taken from the [`Queue`]: its host's place is given back when it is dropped, even
/// if the request panicked.
struct Slot<'q, 't> {
    queue: &'q Queue<'t>,
    idx: usize,
}

impl<'t> Queue<'t> {
    fn new(targets: &'t [Target], per_host: usize) -> Self {
        let state = QueueState { waiting: (0..targets.len()).collect(), in_flight: HashMap::new() };
        Queue { targets, per_host, state: Mutex::new(state), freed: Condvar::new() }
    }

    /// The next target to request, once its host is under the limit; `None` when all are taken.
    fn take(&self) -> Option<Slot<'_, 't>> {
        // A poisoned lock means a worker panicked, and `request_all` re-raises that panic; the
        // counts themselves are always whole.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if state.waiting.is_empty() {
                return None;
            }
            let busy = |idx: &usize| state.in_flight.get(self.targets[*idx].host.as_str());
            let free =
                state.waiting.iter().position(|idx| busy(idx).is_none_or(|&n| n < self.per_host));
            if let Some(pos) = free {
                let idx = state.waiting.remove(pos)?;
                *state.in_flight.entry(&self.targets[idx].host).or_default() += 1;
                return Some(Slot { queue: self, idx });
            }
            state = self.freed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Drop for Slot<'_, '_> {
    fn drop(&mut self) {
        let queue = self.queue;
        let mut state = queue.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = state.in_flight.get_mut(queue.targets[self.idx].host.as_str()) {
            *n = n.saturating_sub(1);
        }
        drop(state);
        queue.freed.notify_all();
    }
}

/// What one request (with its redirects) got.
#[derive(Debug)]
enum Reply {
    /// An answer that is not a redirect to follow.
    Status { status: u16, retry_after: Option<Duration> },
    /// No answer to judge.
    Failed(Failure),
}

/// Checks one URL: `HEAD`, then `GET` if the `HEAD` answer can't be trusted.
fn probe(agent: &Agent, url: &str, settings: &Settings) -> Verdict {
    let head = ask(agent, Method::HEAD, url, settings);
    // Servers that answer `HEAD` wrongly: no such method (405, 501), a rule that knows only
    // `GET` (400, 403, 404), or a connection dropped.
    let ask_get = match &head {
        Reply::Status { status, .. } => matches!(status, 400 | 403 | 404 | 405 | 501),
        Reply::Failed(failure) => matches!(failure, Failure::Protocol(_) | Failure::Closed),
    };
    let reply = if ask_get { ask(agent, Method::GET, url, settings) } else { head };
    match reply {
        Reply::Status { status, .. } => judge(status),
        Reply::Failed(reason) => Verdict::Unreachable { reason },
    }
}

/// One request, and once more after a 429 once its `Retry-After` (capped at the timeout) has
/// passed.
fn ask(agent: &Agent, method: Method, url: &str, settings: &Settings) -> Reply {
    let reply = send(agent, method.clone(), url, settings.timeout);
    let Reply::Status { status: 429, retry_after } = reply else { return reply };
    std::thread::sleep(retry_after.unwrap_or(RETRY_AFTER).min(settings.timeout));
    send(agent, method, url, settings.timeout)
}

/// One request with its redirects, which the client gives up on after `timeout`. The body is
/// never read: the response is dropped, and its connection with it.
fn send(agent: &Agent, method: Method, url: &str, timeout: Duration) -> Reply {
    let sent = if method == Method::HEAD { agent.head(url).call() } else { agent.get(url).call() };
    let response = match sent {
        Ok(response) => response,
        Err(err) => return Reply::Failed(failure(err, timeout)),
    };
    let status = response.status();
    if status.is_redirection()
        && let Some(history) = response.get_redirect_history()
        && history.len() > MAX_REDIRECTS as usize
    {
        // The client stopped following: a URL seen twice is a loop, otherwise a long chain.
        let again = history.iter().enumerate().find(|(i, uri)| history[..*i].contains(uri));
        return Reply::Failed(match again {
            Some((_, uri)) => Failure::RedirectLoop { at: uri.to_string() },
            None => Failure::TooManyRedirects,
        });
    }
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    Reply::Status { status: status.as_u16(), retry_after }
}

/// The verdict of the last status (after redirects, and after `GET` where `HEAD` was not
/// trusted).
fn judge(status: u16) -> Verdict {
    match status {
        100..=399 => Verdict::Ok { status },
        401 | 403 => Verdict::Unreachable { reason: Failure::Refused { status } },
        429 => Verdict::Unreachable { reason: Failure::RateLimited },
        400..=499 => Verdict::Broken { status },
        500..=599 => Verdict::Unreachable { reason: Failure::ServerError { status } },
        _ => Verdict::Unreachable {
            reason: Failure::Protocol(format!("status {status} is not an HTTP status")),
        },
    }
}

/// Why a request got no answer, from the client's error; `timeout` is the one it had.
fn failure(err: ureq::Error, timeout: Duration) -> Failure {
    use std::io::ErrorKind;
    match err {
        ureq::Error::Timeout(_) => Failure::Timeout(timeout),
        ureq::Error::HostNotFound => Failure::HostNotFound,
        ureq::Error::Io(err) => match err.kind() {
            ErrorKind::TimedOut => Failure::Timeout(timeout),
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::UnexpectedEof
            | ErrorKind::BrokenPipe => Failure::Closed,
            _ => Failure::Connection(err.to_string()),
        },
        ureq::Error::ConnectionFailed => Failure::Connection(err.to_string()),
        ureq::Error::Tls(why) => Failure::Tls(why.to_string()),
        ureq::Error::Rustls(err) => Failure::Tls(err.to_string()),
        ureq::Error::Pem(err) => Failure::Tls(err.to_string()),
        ureq::Error::Protocol(err) => Failure::Protocol(err.to_string()),
        ureq::Error::LargeResponseHeader(..) | ureq::Error::BadUri(_) | ureq::Error::Http(_) => {
            Failure::Protocol(err.to_string())
        }
        ureq::Error::TooManyRedirects => Failure::TooManyRedirects,
        err => Failure::Other(err.to_string()),
    }
}

/// The cache file as read: its verdicts still fresh, by request URL.
#[derive(Debug, Default)]
struct Cache {
    fresh: HashMap<String, Record>,
    /// The file held something not in `fresh` (a stale verdict, an unreadable line, another
    /// version): it is to be written again even if nothing is added.
    outdated: bool,
}

/// A verdict the cache keeps, from the time it was asked.
#[derive(Debug, Clone, Copy)]
struct Record {
    /// When, in seconds since 1970.
    checked: u64,
    kept: Kept,
    status: u16,
}

/// The verdicts the cache keeps: the ones the server gave for good.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kept {
    Ok,
    Broken,
}

/// A line of the cache file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    url: Cow<'a, str>,
    checked: u64,
    verdict: Kept,
    status: u16,
}

impl Record {
    /// What the cache keeps of `verdict`, asked at `now`: nothing of what was not definitive.
    fn of(verdict: &Verdict, now: u64) -> Option<Record> {
        let (kept, status) = match *verdict {
            Verdict::Ok { status } => (Kept::Ok, status),
            Verdict::Broken { status } => (Kept::Broken, status),
            Verdict::Invalid { .. } | Verdict::Unreachable { .. } => return None,
        };
        Some(Record { checked: now, kept, status })
    }

    fn verdict(self) -> Verdict {
        let status = self.status;
        match self.kept {
            Kept::Ok => Verdict::Ok { status },
            Kept::Broken => Verdict::Broken { status },
        }
    }
}

impl Cache {
    /// The verdicts in the file at `path` checked less than `max_age` before `now`; none if it
    /// can't be read or is of another version.
    fn load(path: &Path, now: u64, max_age: Duration) -> Cache {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Cache::default(),
            Err(_) => return Cache { outdated: true, ..Cache::default() },
        };
        let mut lines = text.lines();
        if lines.next() != Some(FORMAT) {
            return Cache { outdated: true, ..Cache::default() };
        }
        let mut cache = Cache::default();
        for line in lines {
            let Ok(Line { url, checked, verdict: kept, status }) = serde_json::from_str(line)
            else {
                cache.outdated = true;
                continue;
            };
            // A verdict from the future (a clock set back) is not trusted either.
            let fresh = now.checked_sub(checked).is_some_and(|age| age < max_age.as_secs());
            if fresh {
                cache.fresh.insert(url.into_owned(), Record { checked, kept, status });
            } else {
                cache.outdated = true;
            }
        }
        cache
    }

    /// Replaces the file at `path` with these verdicts, whole: written beside (`<path>-tmp`)
    /// and renamed, so a check killed meanwhile leaves the old file or the new one.
    fn save(&self, path: &Path) -> Result<(), Error> {
        let mut records: Vec<(&String, &Record)> = self.fresh.iter().collect();
        records.sort_unstable_by_key(|&(url, _)| url);
        let mut text = format!("{FORMAT}\n");
        for (url, record) in records {
            let Record { checked, kept, status } = *record;
            let line = Line { url: Cow::Borrowed(url), checked, verdict: kept, status };
            // A struct of strings and numbers always serializes.
            if let Ok(line) = serde_json::to_string(&line) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        crate::output::replace_file(path, &text)
            .map_err(|source| Error::CacheWrite { path: path.to_path_buf(), source })
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::thread;

    use super::*;

    /// The timeout of the tests: long for a server on loopback, short for a test to wait.
    const TIMEOUT: Duration = Duration::from_millis(500);

    /// 2026-01-01, when the tests check.
    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_767_225_600)
    }

    const HOUR: Duration = Duration::from_secs(60 * 60);

    /// What the test server saw.
    #[derive(Default)]
    struct Seen {
        /// Method and path of every request, in order.
        requests: Mutex<Vec<(String, String)>>,
        /// Requests being answered now, and the most there ever were at once.
        active: AtomicUsize,
        most_active: AtomicUsize,
    }

    /// A tiny HTTP/1.1 server on `127.0.0.1`, one thread per connection, one request per
    /// connection (`Connection: close`), with the routes of [`route`].
    struct Server {
        addr: SocketAddr,
        seen: Arc<Seen>,
        stop: Arc<AtomicBool>,
        accept: Option<thread::JoinHandle<()>>,
    }

    impl Server {
        fn start() -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            let (seen, stop) = (Arc::new(Seen::default()), Arc::new(AtomicBool::new(false)));
            let (seen_by_accept, stop_accept) = (Arc::clone(&seen), Arc::clone(&stop));
            let accept = thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop_accept.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let seen = Arc::clone(&seen_by_accept);
                    thread::spawn(move || answer(stream, &seen));
                }
            });
            Server { addr, seen, stop, accept: Some(accept) }
        }

        fn url(&self, path: &str) -> String {
            format!("http://{}{path}", self.addr)
        }

        /// The methods of the requests for `path`, in order.
        fn methods(&self, path: &str) -> Vec<String> {
            let requests = self.seen.requests.lock().unwrap();
            requests.iter().filter(|(_, p)| p == path).map(|(m, _)| m.clone()).collect()
        }

        fn n_requests(&self) -> usize {
            self.seen.requests.lock().unwrap().len()
        }

        fn most_active(&self) -> usize {
            self.seen.most_active.load(Ordering::SeqCst)
        }
    }

    impl Drop for Server {
        fn drop(&mut self) {
            self.stop.store(true, Ordering::SeqCst);
            // Wakes the accept loop, which then sees `stop`.
            let _ = TcpStream::connect(self.addr);
            if let Some(accept) = self.accept.take() {
                let _ = accept.join();
            }
        }
    }

    /// Reads one request head and answers it as [`route`] says.
    fn answer(mut stream: TcpStream, seen: &Seen) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let mut head = Vec::new();
        let mut buf = [0; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => return,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
        }
        let head = String::from_utf8_lossy(&head);
        let mut words = head.split_whitespace();
        let (method, path) = (words.next().unwrap_or_default(), words.next().unwrap_or_default());
        let n_before = {
            let mut requests = seen.requests.lock().unwrap();
            let n_before = requests.iter().filter(|(_, p)| p == path).count();
            requests.push((method.to_string(), path.to_string()));
            n_before
        };
        let active = seen.active.fetch_add(1, Ordering::SeqCst) + 1;
        seen.most_active.fetch_max(active, Ordering::SeqCst);
        let (status, headers, delay) = route(method, path, n_before);
        thread::sleep(delay);
        // Before the answer: once the client has it, it may start the next request.
        seen.active.fetch_sub(1, Ordering::SeqCst);
        let body = if method == "HEAD" { "" } else { "midad" };
        let _ = write!(
            stream,
            "HTTP/1.1 {status} Test\r\nContent-Length: 5\r\nConnection: close\r\n{headers}\r\n{body}"
        );
    }

    /// Status, extra headers and delay of the answer to the `n_before + 1`th request for `path`.
    fn route(method: &str, path: &str, n_before: usize) -> (u16, String, Duration) {
        let now = Duration::ZERO;
        let to = |path: &str| format!("Location: {path}\r\n");
        let (status, headers, delay) = match path {
            "/ok" | "/arrived" | "/%D8%AE%D8%A8%D8%B1" => (200, String::new(), now),
            "/missing" => (404, String::new(), now),
            "/gone" | "/gone-away" => (410, String::new(), now),
            "/no-head" if method == "HEAD" => (405, String::new(), now),
            "/no-head" => (200, String::new(), now),
            "/moved" => (301, to("/arrived"), now),
            "/moved-away" => (302, to("/gone-away"), now),
            "/loop/a" => (302, to("/loop/b"), now),
            "/loop/b" => (302, to("/loop/a"), now),
            "/forbidden" => (403, String::new(), now),
            "/unavailable" => (503, String::new(), now),
            "/busy" => (429, "Retry-After: 0\r\n".to_string(), now),
            "/busy-once" if n_before == 0 => (429, "Retry-After: 0\r\n".to_string(), now),
            "/busy-once" => (200, String::new(), now),
            "/slow" => (200, String::new(), TIMEOUT * 4),
            _ if path.starts_with("/chain/") => {
                let n: u32 = path["/chain/".len()..].parse().unwrap_or_default();
                (302, to(&format!("/chain/{}", n + 1)), now)
            }
            _ if path.starts_with("/page/") => (200, String::new(), Duration::from_millis(100)),
            _ => (404, String::new(), now),
        };
        (status, headers, delay)
    }

    fn settings() -> Settings {
        Settings { timeout: TIMEOUT, user_agent: "midad-test".to_string(), ..Settings::default() }
    }

    /// Checks each URL of `cases` (paths on `server`, or whole URLs) and compares the verdicts.
    #[track_caller]
    fn check_verdicts(server: &Server, settings: &Settings, cases: &[(&str, Verdict)]) {
        let urls: Vec<String> = cases
            .iter()
            .map(|(url, _)| if url.starts_with('/') { server.url(url) } else { url.to_string() })
            .collect();
        let checked = check(&urls, settings, now());
        let found: Vec<(&str, &Verdict)> =
            checked.verdicts.iter().map(|(url, verdict)| (*url, verdict)).collect();
        let expected: Vec<(&str, &Verdict)> =
            urls.iter().map(String::as_str).zip(cases.iter().map(|(_, v)| v)).collect();
        assert_eq!(found, expected);
    }

    fn ok(status: u16) -> Verdict {
        Verdict::Ok { status }
    }

    fn broken(status: u16) -> Verdict {
        Verdict::Broken { status }
    }

    fn unreachable(reason: Failure) -> Verdict {
        Verdict::Unreachable { reason }
    }

    #[test]
    fn verdicts_of_statuses_and_redirects() {
        let server = Server::start();
        let looped = Failure::RedirectLoop { at: server.url("/loop/a") };
        check_verdicts(
            &server,
            &settings(),
            &[
                ("/ok", ok(200)),
                ("/missing", broken(404)),
                ("/gone", broken(410)),
                ("/no-head", ok(200)),
                ("/moved", ok(200)),
                ("/moved-away", broken(410)),
                ("/loop/a", unreachable(looped)),
                ("/chain/0", unreachable(Failure::TooManyRedirects)),
                ("/forbidden", unreachable(Failure::Refused { status: 403 })),
                ("/unavailable", unreachable(Failure::ServerError { status: 503 })),
                ("/busy", unreachable(Failure::RateLimited)),
                ("/busy-once", ok(200)),
                ("/slow", unreachable(Failure::Timeout(TIMEOUT))),
                ("/خبر", ok(200)),
            ],
        );
        // `HEAD` only, unless it was not to be trusted.
        assert_eq!(server.methods("/ok"), ["HEAD"]);
        assert_eq!(server.methods("/gone"), ["HEAD"]);
        assert_eq!(server.methods("/missing"), ["HEAD", "GET"]);
        assert_eq!(server.methods("/no-head"), ["HEAD", "GET"]);
        assert_eq!(server.methods("/forbidden"), ["HEAD", "GET"]);
        assert_eq!(server.methods("/unavailable"), ["HEAD"]);
        // A 429 is asked once more, and only once.
        assert_eq!(server.methods("/busy"), ["HEAD", "HEAD"]);
        assert_eq!(server.methods("/busy-once"), ["HEAD", "HEAD"]);
        // Ten redirects followed, then no more.
        assert_eq!(server.methods("/chain/10"), ["HEAD"]);
        assert_eq!(server.methods("/chain/11"), Vec::<String>::new());
    }

    #[test]
    fn each_url_is_requested_once() {
        let server = Server::start();
        let (ok_url, missing_url) = (server.url("/ok"), server.url("/missing"));
        let urls = [
            ok_url.clone(),
            missing_url.clone(),
            ok_url.clone(),
            format!("{ok_url}#top"),
            format!("{ok_url}#end"),
            missing_url.clone(),
        ];
        let checked = check(&urls, &settings(), now());
        let found: Vec<&Verdict> = checked.verdicts.iter().map(|(_, v)| v).collect();
        let (ok, broken) = (ok(200), broken(404));
        assert_eq!(found, [&ok, &broken, &ok, &ok, &ok, &broken]);
        let given: Vec<&str> = checked.verdicts.iter().map(|(url, _)| *url).collect();
        assert_eq!(given, urls.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(checked.requested, 2);
        assert_eq!(server.methods("/ok"), ["HEAD"]);
        assert_eq!(server.methods("/missing"), ["HEAD", "GET"]);
    }

    #[test]
    fn requests_to_one_host_stay_under_its_limit() {
        let server = Server::start();
        let urls: Vec<String> = (0..12).map(|i| server.url(&format!("/page/{i}"))).collect();
        let settings = Settings { concurrency: 8, per_host: 2, ..settings() };
        let checked = check(&urls, &settings, now());
        assert!(checked.verdicts.iter().all(|(_, verdict)| *verdict == ok(200)));
        assert_eq!(server.n_requests(), 12);
        // Two at once, never more: the limit is kept, and used.
        assert_eq!(server.most_active(), 2);
    }

    #[test]
    fn requests_stay_under_the_global_limit() {
        let server = Server::start();
        let urls: Vec<String> = (0..9).map(|i| server.url(&format!("/page/{i}"))).collect();
        let settings = Settings { concurrency: 3, per_host: 8, ..settings() };
        let checked = check(&urls, &settings, now());
        assert!(checked.verdicts.iter().all(|(_, verdict)| *verdict == ok(200)));
        assert_eq!(server.most_active(), 3);
    }

    #[test]
    fn a_closed_port_is_unreachable() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", listener.local_addr().unwrap());
        drop(listener);
        let urls = [url];
        let checked = check(&urls, &settings(), now());
        let [(_, verdict)] = &checked.verdicts[..] else { panic!("one verdict per URL") };
        assert!(
            matches!(verdict, Verdict::Unreachable { reason: Failure::Connection(_) }),
            "{verdict:?}"
        );
    }

    /// `settings()` with a cache file in a fresh folder.
    fn cached_settings() -> (tempfile::TempDir, Settings) {
        let dir = tempfile::tempdir().unwrap();
        let cache = Some(dir.path().join(".public.midad-links"));
        (dir, Settings { cache, ..settings() })
    }

    fn cache_lines(settings: &Settings) -> Vec<String> {
        let text = std::fs::read_to_string(settings.cache.as_ref().unwrap()).unwrap();
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn the_cache_answers_without_a_request() {
        let server = Server::start();
        let (_dir, settings) = cached_settings();
        let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let urls = [
            server.url("/ok"),
            server.url("/missing"),
            server.url("/unavailable"),
            format!("http://{closed}/"),
        ];
        let first = check(&urls, &settings, now());
        assert_eq!((first.requested, first.cached), (4, 0));
        assert!(first.cache_error.is_none());
        assert_eq!(server.n_requests(), 4);
        let port = server.addr.port();
        assert_eq!(
            cache_lines(&settings),
            [
                "midad-links 1".to_string(),
                format!(
                    r#"{{"url":"http://127.0.0.1:{port}/missing","checked":1767225600,"verdict":"broken","status":404}}"#
                ),
                format!(
                    r#"{{"url":"http://127.0.0.1:{port}/ok","checked":1767225600,"verdict":"ok","status":200}}"#
                ),
            ]
        );
        let mut temp = settings.cache.clone().unwrap().into_os_string();
        temp.push("-tmp");
        assert!(!Path::new(&temp).exists());

        // An hour later: the definitive verdicts come from the cache, the others are asked again.
        let second = check(&urls, &settings, now() + HOUR);
        assert_eq!(second.verdicts, first.verdicts);
        assert_eq!((second.requested, second.cached), (2, 2));
        assert_eq!(server.methods("/ok"), ["HEAD"]);
        assert_eq!(server.methods("/missing"), ["HEAD", "GET"]);
        assert_eq!(server.methods("/unavailable"), ["HEAD", "HEAD"]);
        assert_eq!(cache_lines(&settings).len(), 3);
    }

    #[test]
    fn an_old_verdict_is_asked_again() {
        let server = Server::start();
        let (_dir, settings) = cached_settings();
        let urls = [server.url("/ok")];
        check(&urls, &settings, now());
        let almost = check(&urls, &settings, now() + settings.max_age - Duration::from_secs(1));
        assert_eq!((almost.requested, almost.cached), (0, 1));
        let later = check(&urls, &settings, now() + settings.max_age);
        assert_eq!((later.requested, later.cached), (1, 0));
        assert_eq!(server.methods("/ok"), ["HEAD", "HEAD"]);
        // The new verdict replaces the old one, from the time it was asked.
        assert_eq!(
            cache_lines(&settings)[1],
            format!(r#"{{"url":"{}","checked":1767312000,"verdict":"ok","status":200}}"#, urls[0])
        );
        // A verdict from the future is not trusted (a clock set back).
        let before = check(&urls, &settings, now());
        assert_eq!((before.requested, before.cached), (1, 0));
    }

    #[test]
    fn a_cache_that_cant_be_read_is_ignored() {
        let server = Server::start();
        let (_dir, settings) = cached_settings();
        let path = settings.cache.as_ref().unwrap();
        let (ok_url, missing_url) = (server.url("/ok"), server.url("/missing"));
        let entry = |url: &str| {
            format!(r#"{{"url":"{url}","checked":1767225600,"verdict":"ok","status":200}}"#)
        };
        let urls = [ok_url.clone(), missing_url.clone()];
        let cases = [
            (b"\xff\xfe not UTF-8".to_vec(), 2),
            (b"{garbage".to_vec(), 2),
            (format!("midad-links 0\n{}\n", entry(&ok_url)).into_bytes(), 2),
            // A line that can't be read is skipped, and the others used.
            (
                format!(
                    "midad-links 1\n{}\n{{\"url\":3}}\n{}x\n",
                    entry(&ok_url),
                    entry(&missing_url)
                )
                .into_bytes(),
                1,
            ),
        ];
        for (text, n_requested) in cases {
            std::fs::write(path, &text).unwrap();
            let checked = check(&urls, &settings, now());
            let shown = String::from_utf8_lossy(&text);
            assert_eq!(checked.requested, n_requested, "{shown}");
            assert_eq!(checked.verdicts[0].1, ok(200), "{shown}");
            // Rewritten whole, with only what it can read.
            assert_eq!(cache_lines(&settings).len(), 3, "{shown}");
            assert_eq!(cache_lines(&settings)[0], "midad-links 1");
        }
    }

    #[test]
    fn a_cache_that_cant_be_written_is_an_error_for_the_caller() {
        let server = Server::start();
        let dir = tempfile::tempdir().unwrap();
        let cache = dir.path().join("no-such-folder").join(".public.midad-links");
        let settings = Settings { cache: Some(cache.clone()), ..settings() };
        let urls = [server.url("/ok")];
        let checked = check(&urls, &settings, now());
        assert_eq!(checked.verdicts[0].1, ok(200));
        let Some(Error::CacheWrite { path, source }) = checked.cache_error else {
            panic!("no cache error: {:?}", checked.cache_error)
        };
        assert_eq!((path, source.kind()), (cache, io::ErrorKind::NotFound));
    }

    #[track_caller]
    fn check_target(url: &str, expect: Result<(&str, &str), Verdict>) {
        let found = Target::parse(url);
        let found =
            found.as_ref().map(|t| (t.request.as_str(), t.host.as_str())).map_err(Clone::clone);
        assert_eq!(found, expect);
    }

    #[test]
    fn targets() {
        let invalid = |reason: &str| Err(Verdict::Invalid { reason: reason.to_string() });
        check_target("https://Example.com/a#b", Ok(("https://Example.com/a", "example.com")));
        check_target(
            "https://ar.wikipedia.org/wiki/مصر",
            Ok(("https://ar.wikipedia.org/wiki/%D9%85%D8%B5%D8%B1", "ar.wikipedia.org")),
        );
        check_target("http://x.org/a b?q=%D9%85", Ok(("http://x.org/a%20b?q=%D9%85", "x.org")));
        check_target("HTTPS://x.org", Ok(("HTTPS://x.org", "x.org")));
        check_target(
            "mailto:desk@x.org",
            invalid("`mailto:desk@x.org` is not an `http` or `https` URL"),
        );
        check_target("ftp://x.org/", invalid("`ftp://x.org/` is not an `http` or `https` URL"));
        check_target(
            "https://exa mple.com/",
            invalid("`https://exa mple.com/` is not a valid URL: invalid authority"),
        );
        check_target("https:///a", invalid("`https:///a` is not a valid URL: invalid format"));
        check_target("https://مثال.مصر/خبر", Err(unreachable(Failure::InternationalHost)));
        check_target("https://مثال.مصر/", Err(unreachable(Failure::InternationalHost)));
    }

    #[track_caller]
    fn check_judge(status: u16, expect: Verdict) {
        assert_eq!(judge(status), expect, "status {status}");
    }

    #[test]
    fn statuses() {
        check_judge(200, ok(200));
        check_judge(204, ok(204));
        check_judge(304, ok(304));
        check_judge(400, broken(400));
        check_judge(404, broken(404));
        check_judge(410, broken(410));
        check_judge(451, broken(451));
        check_judge(401, unreachable(Failure::Refused { status: 401 }));
        check_judge(403, unreachable(Failure::Refused { status: 403 }));
        check_judge(429, unreachable(Failure::RateLimited));
        check_judge(500, unreachable(Failure::ServerError { status: 500 }));
        check_judge(503, unreachable(Failure::ServerError { status: 503 }));
    }

    #[test]
    fn messages() {
        assert_eq!(broken(404).to_string(), "404 Not Found");
        assert_eq!(
            unreachable(Failure::Refused { status: 403 }).to_string(),
            "the server refuses the checker (403 Forbidden); readers may see it"
        );
        assert_eq!(unreachable(Failure::Timeout(TIMEOUT)).to_string(), "no answer within 0.5 s");
    }
}
