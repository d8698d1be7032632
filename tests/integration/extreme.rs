//! Inputs too big or too odd to keep in git (issue 17's catalogue of bad inputs), made at test
//! time: a 50 MB article, Markdown and front matter nested 100,000 deep, a symbolic link loop
//! under `content/`. Each builds or fails with a located error; none crashes or hangs. (The
//! output folder that cannot be written is in `crash`.)

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::{PATIENCE, SiteTest};

/// A title and a date.
const FRONT_MATTER: &str = "title = \"مقال\"\ndate = 2026-11-20T10:00:00+02:00";

/// Runs `midad build` on `site`, failing the test if it takes longer than [`PATIENCE`] (a hang);
/// the run, and the largest resident memory seen, in MB (read from `/proc` while it runs).
fn build_watched(site: &SiteTest) -> (std::process::Output, u64) {
    let mut child = site
        .command(&["build"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start midad");
    let status_file = format!("/proc/{}/status", child.id());
    let start = Instant::now();
    let mut peak_kb = 0;
    // Reading the pipes only at the end is fine: a build prints a few lines.
    while child.try_wait().expect("wait for midad").is_none() {
        let status = std::fs::read_to_string(&status_file).unwrap_or_default();
        let high_water = status.lines().find_map(|line| line.strip_prefix("VmHWM:"));
        let kb = high_water.and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse().ok());
        peak_kb = peak_kb.max(kb.unwrap_or(0));
        if start.elapsed() > PATIENCE {
            let _ = child.kill();
            panic!("midad build ran for more than {PATIENCE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("wait for midad");
    (output, peak_kb / 1024)
}

#[test]
fn a_fifty_megabyte_article_builds() {
    let paragraph = "أعلنت الحكومة اليوم موازنة العام المقبل، وقال وزير المالية إن النمو \
                     سيستمر رغم التحديات التي تواجه الاقتصاد العالمي والأسواق الناشئة. ";
    let mut body = String::with_capacity(51_000_000);
    let mut k = 0;
    while body.len() < 50_000_000 {
        if k % 40 == 0 {
            body.push_str(&format!("## الجزء {k}\n\n"));
        }
        body.push_str(&paragraph.repeat(6));
        body.push_str("\n\n");
        k += 1;
    }
    body.push_str("الفقرة الأخيرة من المقال الطويل.\n");
    let site = SiteTest::fixture("basic");
    site.write("content/politics/huge.md", &format!("+++\n{FRONT_MATTER}\n+++\n{body}"));
    let (run, peak_mb) = build_watched(&site);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let page = site.page("politics/مقال/index.html");
    assert!(page.contains("الفقرة الأخيرة من المقال الطويل."), "the page holds the whole body");
    assert!(page.len() > 50_000_000, "{} bytes", page.len());
    // About 7 times the article at most (measured: 340 MB): the body, its HTML, the page and
    // the search terms, not copies of each per step.
    assert!(peak_mb < 1_000, "peak memory {peak_mb} MB for a 50 MB article");
}

#[test]
fn markdown_nested_100000_deep_builds() {
    let depth = 100_000;
    let site = SiteTest::fixture("basic");
    // Each article's title is its slug: `politics/<name>/`.
    let nested = [("quotes", "> ", "<blockquote"), ("packed", ">", "<blockquote")];
    let lists = [("lists", "- ", "<ul"), ("numbered", "1. ", "<ol")];
    for (name, marker, _) in nested.iter().chain(&lists) {
        let front_matter = format!("title = \"{name}\"\ndate = 2026-11-20T10:00:00+02:00");
        let body = format!("{}نص عميق\n", marker.repeat(depth));
        site.write(
            &format!("content/politics/{name}.md"),
            &format!("+++\n{front_matter}\n+++\n{body}"),
        );
    }
    let (run, _) = build_watched(&site);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    for (name, _, tag) in nested.iter().chain(&lists) {
        let page = site.page(&format!("politics/{name}/index.html"));
        // The theme has a few lists of its own around the article.
        let count = page.matches(tag).count();
        assert!((depth..depth + 20).contains(&count), "{name}: {count} {tag}>, one a level");
    }
}

#[test]
fn front_matter_nested_100000_deep_is_a_located_error() {
    let depth = 100_000;
    let nested = |open: &str, close: &str| format!("{}{}", open.repeat(depth), close.repeat(depth));
    let cases = [
        ("toml-lists", format!("+++\n{FRONT_MATTER}\nnested = {}\n+++\n", nested("[", "]"))),
        (
            "toml-tables",
            format!(
                "+++\n{FRONT_MATTER}\nnested = {}1{}\n+++\n",
                "{a = ".repeat(depth),
                "}".repeat(depth)
            ),
        ),
        (
            "yaml-lists",
            format!(
                "---\ntitle: مقال\ndate: 2026-11-20T10:00:00+02:00\nnested: {}\n---\n",
                nested("[", "]")
            ),
        ),
        (
            "yaml-maps",
            format!(
                "---\ntitle: مقال\ndate: 2026-11-20T10:00:00+02:00\nnested: {}1{}\n---\n",
                "{a: ".repeat(depth),
                "}".repeat(depth)
            ),
        ),
    ];
    for (name, text) in cases {
        let site = SiteTest::fixture("basic");
        site.write(&format!("content/politics/{name}.md"), &format!("{text}نص\n"));
        let (run, _) = build_watched(&site);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{name}: {stderr}");
        let first = stderr.lines().next().unwrap_or_default();
        let at = format!("error: content/politics/{name}.md:4:");
        assert!(first.starts_with(&at), "{name}: {first:.300}");
        assert!(
            !stderr.contains("overflow") && !stderr.contains("panicked"),
            "{name}: {stderr:.300}"
        );
    }
}

#[test]
fn a_symbolic_link_loop_under_content_is_a_warning_naming_it() {
    let site = SiteTest::fixture("basic");
    let politics = site.root().join("content/politics");
    std::os::unix::fs::symlink("..", politics.join("loop")).expect("a link to the folder above");
    std::os::unix::fs::symlink("budget.md", politics.join("again.md")).expect("a link to a file");
    let (run, _) = build_watched(&site);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    for link in ["content/politics/loop", "content/politics/again.md"] {
        let warning = format!("warning: {link}: a symbolic link, which midad does not follow");
        assert!(stderr.contains(&warning), "no {warning:?} in:\n{stderr}");
    }
    assert!(site.public("politics/index.html").is_file(), "the site is built");
}
