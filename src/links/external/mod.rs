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

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use ureq::http::Uri;

use cache::{Cache, Record};
use request::request_all;

mod cache;
mod request;

/// The most redirects followed for one request; one more is [`Failure::TooManyRedirects`] (or
/// [`Failure::RedirectLoop`] when a URL comes back).
pub const MAX_REDIRECTS: u32 = 10;

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

#[cfg(test)]
mod tests;
