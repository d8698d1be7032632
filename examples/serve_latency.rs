//! Live preview of a large site, as a journalist uses it: starts the real `midad serve`, times
//! the first page (the home page) from the start of the process, browses a section, ten of its
//! articles and a tag as a browser would (each page once), then saves the newest article (by its
//! `date` line, which the most pages show: home, section, tags, author) again and again the way
//! editors do (a temp file renamed over the original) with a new sentence in its text, and times
//! each save until the reload event for the open pages arrives; or `--article content/…/x.md`,
//! which is then opened first. The server only sends that event once the new build is served.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example gen_corpus -- --articles 10000 --out /dev/shm/c10k
//! cargo run --release --example serve_latency -- --root /dev/shm/c10k [--edits 30] [--article PATH]
//! ```
//!
//! It prints the first page's time, the median, minimum, 90th percentile and maximum of the
//! saves, the server's own rebuild times (its `rebuilt …` lines), and the server's peak memory
//! (`VmHWM`). Nothing here is a test: timings depend on the machine.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    if let Err(message) = run() {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut root = None;
    let mut edits = 30usize;
    let mut binary = PathBuf::from("target/release/midad");
    let mut article = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--root" => root = Some(PathBuf::from(value()?)),
            "--edits" => edits = value()?.parse().map_err(|e| format!("--edits: {e}"))?,
            "--binary" => binary = PathBuf::from(value()?),
            "--article" => article = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let root = root.ok_or("--root DIR is required")?;
    let article = match article {
        Some(rel) => root.join(rel),
        None => newest_article(&root.join("content")).ok_or("no article under content/")?,
    };
    println!("editing {}", article.display());
    let original = std::fs::read_to_string(&article).map_err(|e| e.to_string())?;

    let started = Instant::now();
    let mut server = Command::new(&binary)
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
    let stdout = server.stdout.take().ok_or("no stdout")?;
    let (lines_tx, lines) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                return;
            }
        }
    });
    let url = loop {
        let line = lines.recv_timeout(Duration::from_secs(600)).map_err(|_| "no serving line")?;
        if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            break url.trim_end_matches('/').to_string();
        }
    };
    println!("serving: {:.2} s after the start", started.elapsed().as_secs_f64());
    let home = get(&url, "/")?;
    println!("first page (/): {:.2} s after the start", started.elapsed().as_secs_f64());
    browse(&url, &home, &original)?;
    println!("browsed: {:.2} s after the start", started.elapsed().as_secs_f64());

    let reloads = listen(&url)?;
    let mut latencies = Vec::new();
    let mut rebuilds = Vec::new();
    let result = (|| -> Result<(), String> {
        for n in 0..edits {
            std::thread::sleep(Duration::from_millis(300));
            while reloads.try_recv().is_ok() {}
            while lines.try_recv().is_ok() {}
            let text =
                format!("{original}\nأضاف المحرر هذه الجملة في التعديل رقم {n} من القياس.\n");
            let saved = save_atomic(&article, &text)?;
            let reloaded = reloads
                .recv_timeout(Duration::from_secs(60))
                .map_err(|_| format!("no reload event after edit {n}"))?;
            latencies.push(reloaded.saturating_duration_since(saved).as_secs_f64() * 1000.0);
            if let Ok(line) = lines.recv_timeout(Duration::from_secs(5)) {
                if let Some(ms) = line.rsplit(" in ").next().and_then(|t| t.strip_suffix(" ms")) {
                    rebuilds.push(ms.parse::<f64>().unwrap_or(f64::NAN));
                }
                println!("  {line}");
            }
        }
        Ok(())
    })();
    let _ = std::fs::write(&article, &original);
    let peak = peak_memory(server.id());
    let _ = server.kill();
    let _ = server.wait();
    result?;

    report("save → reload event", &mut latencies);
    report("rebuild (server's report)", &mut rebuilds);
    println!("server's peak memory: {}", peak.unwrap_or_else(|| "unknown".into()));
    Ok(())
}

/// Opens what a journalist opens: the edited article (from the home page's link next to its
/// title), a section, ten of its articles and a tag of the last.
fn browse(url: &str, home: &str, article: &str) -> Result<(), String> {
    let title = article
        .lines()
        .find_map(|l| l.strip_prefix("title"))
        .map(|t| t.trim_start_matches([' ', ':', '=']).trim_matches('"'))
        .ok_or("the article has no title line")?;
    let at = home.find(title).ok_or(
        "the edited article is not on the home page: open it with --article's page by hand",
    )?;
    let link = links(&home[..at]).pop().ok_or("no link before the article's title")?;
    get(url, &link)?;
    let section = format!("/{}/", link.trim_start_matches('/').split('/').next().unwrap_or(""));
    let listing = get(url, &section)?;
    let mut last = String::new();
    for link in links(&listing)
        .into_iter()
        .filter(|l| l.starts_with(&section) && l.len() > section.len())
        .take(10)
    {
        last = get(url, &link)?;
    }
    if let Some(tag) =
        links(&last).into_iter().find(|l| l.contains("/tags/") && l.len() > "/tags/".len())
    {
        get(url, &tag)?;
    }
    Ok(())
}

/// The site-relative links (`href="/…"`) of a page, in order.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .map(str::to_string)
        .collect()
}

/// GETs `path` (percent-encoded as needed) from the preview; the body, which must be a 200.
fn get(url: &str, path: &str) -> Result<String, String> {
    let addr = url.trim_start_matches("http://").trim_end_matches('/');
    let mut target = String::new();
    for byte in path.bytes() {
        if byte.is_ascii_graphic() {
            target.push(byte as char)
        } else {
            target.push_str(&format!("%{byte:02X}"))
        }
    }
    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).map_err(|e| e.to_string())?;
    let response = String::from_utf8_lossy(&response).into_owned();
    if !response.starts_with("HTTP/1.1 200") {
        return Err(format!("GET {path}: {}", response.lines().next().unwrap_or("")));
    }
    Ok(response.split_once("\r\n\r\n").map_or(String::new(), |(_, body)| body.to_string()))
}

/// The peak resident memory of process `pid` (Linux: `VmHWM` of `/proc/PID/status`).
fn peak_memory(pid: u32) -> Option<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(format!("{} MB", kb / 1024))
}

fn report(what: &str, values: &mut [f64]) {
    values.sort_by(f64::total_cmp);
    if values.is_empty() {
        return;
    }
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: median {:.1} ms, min {:.1}, p90 {:.1}, max {:.1} ({} edits)",
        at(0.5),
        at(0.0),
        at(0.9),
        at(1.0),
        values.len()
    );
}

/// Opens the live-reload stream; each `reload` event sends the instant it arrived.
fn listen(url: &str) -> Result<mpsc::Receiver<Instant>, String> {
    let addr = url.trim_start_matches("http://").to_string();
    let mut stream = TcpStream::connect(&addr).map_err(|e| e.to_string())?;
    let request = format!(
        "GET /__midad/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let (tx, rx) = mpsc::channel();
    let (ready_tx, ready) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        let mut seen = String::new();
        loop {
            let Ok(n) = stream.read(&mut buf) else { return };
            if n == 0 {
                return;
            }
            let at = Instant::now();
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            if seen.contains("event: hello") {
                let _ = ready_tx.send(());
            }
            let reloads = seen.matches("event: reload").count();
            for _ in 0..reloads {
                if tx.send(at).is_err() {
                    return;
                }
            }
            // Keep only an unfinished tail, so an event is never counted twice.
            let cut = seen.rfind("\n\n").map_or(0, |i| i + 2);
            seen.drain(..cut);
            seen = seen.replace("event: reload", "");
        }
    });
    ready.recv_timeout(Duration::from_secs(10)).map_err(|_| "no hello on the event stream")?;
    Ok(rx)
}

/// Writes `text` to a temp file beside `path` and renames it over `path`; returns the instant of
/// the rename.
fn save_atomic(path: &Path, text: &str) -> Result<Instant, String> {
    let temp = path.with_extension("md.tmp-save");
    std::fs::write(&temp, text).map_err(|e| e.to_string())?;
    std::fs::rename(&temp, path).map_err(|e| e.to_string())?;
    Ok(Instant::now())
}

/// The article with the latest `date` line (compared as text: the generator writes one offset).
fn newest_article(content: &Path) -> Option<PathBuf> {
    let mut newest: Option<(String, PathBuf)> = None;
    for dir in std::fs::read_dir(content).ok()?.filter_map(|e| e.ok().map(|e| e.path())) {
        let Ok(files) = std::fs::read_dir(&dir) else { continue };
        for path in files.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.extension().is_none_or(|x| x != "md") || path.ends_with("_index.md") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            let Some(date) = text.lines().find_map(|l| l.strip_prefix("date")) else { continue };
            let date = date.trim_start_matches([' ', ':', '=']).trim_matches('"').to_string();
            if newest.as_ref().is_none_or(|(d, p)| (&date, &path) > (d, p)) {
                newest = Some((date, path));
            }
        }
    }
    newest.map(|(_, path)| path)
}
