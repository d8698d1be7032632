//! What a check of external links can find, how it is asked, and a URL as it is requested: the
//! types the check, its requests and its cache share.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use ureq::http::Uri;

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

/// A URL as it is requested.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Target {
    /// The URL without its fragment, percent-encoded where a browser would encode it.
    pub(super) request: String,
    /// Its host name in lowercase: what [`Settings::per_host`] counts.
    pub(super) host: String,
}

impl Target {
    /// The request for `url`, or the verdict of a URL that can't be requested.
    pub(super) fn parse(url: &str) -> Result<Target, Verdict> {
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
