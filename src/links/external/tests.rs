//! The checks against a server on the loopback that answers as each case needs.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use super::request::judge;
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
            format!("midad-links 1\n{}\n{{\"url\":3}}\n{}x\n", entry(&ok_url), entry(&missing_url))
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
    let found = found.as_ref().map(|t| (t.request.as_str(), t.host.as_str())).map_err(Clone::clone);
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
