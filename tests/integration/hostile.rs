//! `midad serve` under hostile requests, over raw TCP so that no client library normalises them:
//! path traversal in every encoding, very long paths and heads, slow clients, a flood of
//! live-reload streams, and requests for another host or from another origin (DNS rebinding).
//! Each test puts secrets beside the site and asserts they never appear in a response.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::harness::{PATIENCE, SiteTest};
use crate::serve::Preview;

/// A file beside the site's sources (and where `build` would write `public/`).
const SECRET: &str = "SECRET-beside-the-output-5e1d";
/// A line added to config.toml.
const CONFIG_SECRET: &str = "# SECRET-in-config-b07c";

/// A response read off the wire.
#[derive(Debug)]
struct Response {
    status: u16,
    /// The head and body, as text (lossy).
    text: String,
}

/// Sends `request` as is on a new connection and reads the response until the server closes it.
#[track_caller]
fn exchange(addr: &str, request: &[u8]) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    stream.write_all(request).expect("send");
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let status = status_of(&text).unwrap_or_else(|| panic!("no status in {text:?}"));
    Response { status, text }
}

fn status_of(text: &str) -> Option<u16> {
    let rest = text.strip_prefix("HTTP/1.1 ").or_else(|| text.strip_prefix("HTTP/1.0 "))?;
    rest.get(..3)?.parse().ok()
}

/// `GET target` with a `Host` of the preview, closing after the response.
fn get(preview: &Preview, target: &[u8]) -> Response {
    let mut request = b"GET ".to_vec();
    request.extend_from_slice(target);
    request.extend_from_slice(b" HTTP/1.1\r\nHost: ");
    request.extend_from_slice(preview.addr.as_bytes());
    request.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
    exchange(&preview.addr, &request)
}

/// `GET target` with these header lines (each ending in `\r\n`).
fn get_with(preview: &Preview, target: &str, headers: &str) -> Response {
    let request = format!("GET {target} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n");
    exchange(&preview.addr, request.as_bytes())
}

/// The `basic` fixture with secrets beside it, served.
fn preview_with_secrets(env: &[(&str, &str)]) -> Preview {
    let site = SiteTest::fixture("basic");
    site.write("secret.txt", SECRET);
    site.write("public/secret.txt", SECRET);
    let config = std::fs::read_to_string(site.root().join("config.toml")).expect("config");
    site.write("config.toml", &format!("{config}\n{CONFIG_SECRET}\n"));
    Preview::start_with_env(site, &["serve", "--port", "0"], env)
}

#[track_caller]
fn assert_no_secret(target: &str, res: &Response) {
    for secret in [SECRET, CONFIG_SECRET, "root:x:0:0", "[boot loader]", "title: \"الحكومةُ"]
    {
        assert!(!res.text.contains(secret), "{target}: served {secret:?}:\n{}", res.text);
    }
}

#[test]
fn traversal_in_every_encoding_is_refused() {
    let preview = preview_with_secrets(&[]);
    let root = preview.site.root().to_string_lossy().into_owned();
    let port = preview.addr.rsplit(':').next().expect("a port").to_string();
    let local = format!("http://127.0.0.1:{port}");
    let targets: Vec<String> = [
        "/../secret.txt",
        "/../../../../../../etc/passwd",
        "/politics/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/politics/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%2Fconfig.toml",
        // Decoded once: `%2e%2e` is then a name, which the build has no file for.
        "/%252e%252e/secret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..\\secret.txt",
        "/politics\\..\\..\\secret.txt",
        "/..%5csecret.txt",
        "/..%5Csecret.txt",
        "/%5c..%5csecret.txt",
        // Overlong UTF-8 for `.` and `/`: invalid UTF-8, never decoded as dots.
        "/%c0%ae%c0%ae/secret.txt",
        "/%c0%ae%c0%ae%c0%afsecret.txt",
        "/%e0%80%ae%e0%80%ae/secret.txt",
        "/%c1%9c..%c1%9csecret.txt",
        "/secret.txt%00",
        "/%00../secret.txt",
        "/index.html%00.css",
        "//secret.txt",
        "///etc/passwd",
        "/etc/passwd",
        "/C:/secret.txt",
        "/c:%5csecret.txt",
        "/secret.txt",
        "/public/secret.txt",
        "/config.toml",
        "/content/politics/budget.md",
        "*",
    ]
    .iter()
    .map(|t| t.to_string())
    .chain([
        format!("{root}/secret.txt"),
        format!("/{root}/secret.txt"),
        format!("/{}/secret.txt", root.replace('/', "%2f")),
        // Absolute-form targets naming the preview itself.
        format!("{local}/../secret.txt"),
        format!("{local}/%2e%2e/secret.txt"),
        format!("{local}/..%2fsecret.txt"),
        format!("{local}/secret.txt"),
        format!("{local}//etc/passwd"),
    ])
    .collect();
    for target in &targets {
        let res = get(&preview, target.as_bytes());
        assert!(matches!(res.status, 400 | 404), "{target}: {}", res.text);
        assert_no_secret(target, &res);
    }
    // Absolute-form targets naming another host (the `Host` header says the preview).
    for target in ["http://evil.example/secret.txt", "file:///etc/passwd", "http://[::1]x/"] {
        let res = get(&preview, target.as_bytes());
        assert!(matches!(res.status, 400 | 403), "{target}: {}", res.text);
        assert_no_secret(target, &res);
    }
    // The guard refuses nothing it should serve.
    assert_eq!(get(&preview, b"/").status, 200);
    assert_eq!(get(&preview, format!("{local}/politics/").as_bytes()).status, 200);
}

#[test]
fn very_long_paths_and_heads_are_refused_without_reading_them_whole() {
    let preview = preview_with_secrets(&[]);
    // 100 KB: past what any URL is; hyper's own limit answers.
    let long = format!("/{}", "a/".repeat(50_000));
    assert_eq!(get(&preview, long.as_bytes()).status, 414);
    // 10 KB: under hyper's limit, over the preview's.
    let long = format!("/{}", "%2e%2e/".repeat(1_500));
    let res = get(&preview, long.as_bytes());
    assert_eq!(res.status, 414, "{}", res.text);

    let hwm_before = peak_memory_kb(preview.run.id());
    // Heads that never end: each connection is answered (431) or closed once hyper's buffer is
    // full, never read whole.
    let floods: Vec<_> = (0..8)
        .map(|n| {
            let addr = preview.addr.clone();
            // A path that never ends, or a header that never ends.
            let start: &[u8] = if n % 2 == 0 { b"GET /" } else { b"GET / HTTP/1.1\r\nX-Flood: " };
            std::thread::spawn(move || flood_head(&addr, start))
        })
        .collect();
    for flood in floods {
        let sent = flood.join().expect("a flood thread");
        assert!(sent < FLOOD_BYTES, "the server read a {FLOOD_BYTES}-byte head whole");
    }
    if let (Some(before), Some(after)) = (hwm_before, peak_memory_kb(preview.run.id())) {
        // Held, 8 floods of 32 MB would be 256 MB; hyper keeps at most ~400 KB of a head. The
        // margin is for the first build's search index, made in the background meanwhile.
        assert!(after < before + 128 * 1024, "peak memory grew from {before} kB to {after} kB");
    }
    assert_eq!(get(&preview, b"/").status, 200, "still serving");
}

/// Far more than hyper's buffer and the kernel's socket buffers together.
const FLOOD_BYTES: usize = 32 * 1024 * 1024;

/// Sends `start`, then up to [`FLOOD_BYTES`] more of the same request head, and returns how
/// many the server took before it answered or closed.
fn flood_head(addr: &str, start: &[u8]) -> usize {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_write_timeout(Some(PATIENCE)).expect("timeout");
    if stream.write_all(start).is_err() {
        return 0;
    }
    let chunk = [b'a'; 64 * 1024];
    let mut sent = 0;
    while sent < FLOOD_BYTES {
        match stream.write(&chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => sent += n,
        }
    }
    sent
}

/// The process's peak resident memory, in kB (Linux; `None` elsewhere).
fn peak_memory_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The header read timeout the slow-client test sets, in milliseconds.
const SHORT_TIMEOUT_MS: u64 = 1_000;

/// Waits until the server closes `stream` (reading EOF or an error), sending `drip` byte by
/// byte meanwhile; returns how long that took, or `None` after `limit`.
fn time_until_closed(mut stream: TcpStream, drip: &[u8], limit: Duration) -> Option<Duration> {
    stream.set_read_timeout(Some(Duration::from_millis(100))).expect("timeout");
    let start = Instant::now();
    let mut drip = drip.iter().cycle();
    let mut buf = [0; 1024];
    while start.elapsed() < limit {
        if let Some(byte) = drip.next()
            && stream.write_all(&[*byte]).is_err()
        {
            return Some(start.elapsed());
        }
        match stream.read(&mut buf) {
            Ok(0) => return Some(start.elapsed()),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Some(start.elapsed()),
        }
    }
    None
}

#[test]
fn slow_and_idle_clients_are_cut_off_after_the_header_timeout() {
    let timeout = SHORT_TIMEOUT_MS.to_string();
    let preview = preview_with_secrets(&[("MIDAD_TEST_HEADER_READ_TIMEOUT_MS", timeout.as_str())]);
    // Far longer than the timeout the test sets, far shorter than the one a user gets (20 s):
    // a server without the timeout keeps the clients past it.
    let limit = Duration::from_secs(12);
    let clients: Vec<_> = (0..20)
        .map(|n| {
            let addr = preview.addr.clone();
            std::thread::spawn(move || {
                let mut stream = TcpStream::connect(&addr).expect("connect");
                let drip: &[u8] = match n % 3 {
                    // Slowloris: a head that never ends, a byte every 100 ms.
                    0 => {
                        stream.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n").expect("send");
                        b"X-Slow: aaaaaaaaaaaa\r\n"
                    }
                    // A request line that never ends.
                    1 => b"GET /aaaaaaaaaaaaaaaaaaaaaaaa",
                    // Connected, silent.
                    _ => b"",
                };
                time_until_closed(stream, drip, limit)
            })
        })
        .collect();
    // Meanwhile the preview serves everyone else.
    for _ in 0..5 {
        let res = get(&preview, b"/");
        assert_eq!(res.status, 200, "{}", res.text);
    }
    for client in clients {
        let took = client.join().expect("a client thread");
        assert!(took.is_some(), "a slow client was still connected after {limit:?}");
    }
    // A kept-alive connection that goes quiet after a request is closed too.
    let mut stream = TcpStream::connect(&preview.addr).expect("connect");
    let request = format!("GET / HTTP/1.1\r\nHost: {}\r\n\r\n", preview.addr);
    stream.write_all(request.as_bytes()).expect("send");
    assert!(time_until_closed(stream, b"", limit).is_some(), "an idle connection stayed open");
}

/// Opens the live-reload stream on a new connection and returns it with the response's status.
fn open_stream(preview: &Preview, origin: Option<&str>) -> (TcpStream, u16) {
    let mut stream = TcpStream::connect(&preview.addr).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
    let origin = origin.map(|o| format!("Origin: {o}\r\n")).unwrap_or_default();
    let request = format!("GET /__midad/events HTTP/1.1\r\nHost: {}\r\n{origin}\r\n", preview.addr);
    stream.write_all(request.as_bytes()).expect("send");
    // The status line comes in the first packet of the head.
    let mut head = Vec::new();
    let mut byte = [0; 1];
    while !head.ends_with(b"\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    let line = String::from_utf8_lossy(&head).into_owned();
    let status = status_of(&line).unwrap_or_else(|| panic!("no status in {line:?}"));
    (stream, status)
}

#[test]
fn live_reload_streams_are_capped() {
    const CAP: usize = 64;
    let preview = preview_with_secrets(&[]);
    let mut open = Vec::new();
    let mut refused = 0;
    for _ in 0..CAP + 8 {
        let (stream, status) = open_stream(&preview, None);
        match status {
            200 => open.push(stream),
            503 => refused += 1,
            other => panic!("live-reload stream answered {other}"),
        }
    }
    assert_eq!((open.len(), refused), (CAP, 8), "{CAP} streams open, the rest refused");
    let res = get(&preview, b"/");
    assert_eq!(res.status, 200, "pages are still served");
    assert!(res.text.contains("</html>"));

    // Closed streams give their places back.
    drop(open);
    let deadline = Instant::now() + PATIENCE;
    let mut streams = Vec::new();
    while streams.len() < CAP {
        let (stream, status) = open_stream(&preview, None);
        if status == 200 {
            streams.push(stream);
        } else {
            assert!(Instant::now() < deadline, "closed streams still count against the cap");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn other_hosts_and_origins_are_refused() {
    let preview = preview_with_secrets(&[]);
    let port = preview.addr.rsplit(':').next().expect("a port").to_string();
    for host in ["127.0.0.1", "localhost", "[::1]"] {
        let res = get_with(&preview, "/", &format!("Host: {host}:{port}\r\n"));
        assert_eq!(res.status, 200, "{host}: {}", res.text);
        assert!(res.text.contains("</html>"));
    }
    let rebinding = [
        "Host: evil.example\r\n".to_string(),
        format!("Host: evil.example:{port}\r\n"),
        format!("Host: localhost.evil.example:{port}\r\n"),
        format!("Host: 127.0.0.1.nip.io:{port}\r\n"),
        format!("Host: 192.0.2.1:{port}\r\n"),
    ];
    for headers in &rebinding {
        for target in ["/", "/politics/", "/__midad/events", "/no-such-page/"] {
            let res = get_with(&preview, target, headers);
            assert_eq!(res.status, 403, "{headers}{target}: {}", res.text);
            assert!(!res.text.contains("<html"), "{headers}{target}: served a page");
            assert!(res.text.contains("is not a name of this preview"), "{}", res.text);
            assert_no_secret(target, &res);
        }
    }
    // No host at all (HTTP/1.0 needs none).
    let res = exchange(&preview.addr, b"GET / HTTP/1.0\r\n\r\n");
    assert!(matches!(res.status, 400 | 403), "{}", res.text);
    assert!(!res.text.contains("<html"));

    // The live-reload stream from a page of another origin, and from the preview's own.
    for origin in ["http://evil.example", &format!("http://evil.example:{port}"), "null"] {
        let (_, status) = open_stream(&preview, Some(origin));
        assert_eq!(status, 403, "{origin}");
    }
    let (_stream, status) = open_stream(&preview, Some(&format!("http://{}", preview.addr)));
    assert_eq!(status, 200);
    let origin = format!("Host: {}\r\nOrigin: http://evil.example\r\n", preview.addr);
    assert_eq!(get_with(&preview, "/", &origin).status, 403, "a page read from another origin");
}
