//! `midad serve` renders a page when a browser asks for it, keeps what it rendered within its
//! page cache, and renders again what changed: after a sequence of edits of a 1,000-article site,
//! every file of a clean `midad build` of the same files, asked for in any order, is served with
//! the same bytes (but for the live-reload script), including pages forgotten and rendered again.
//! The preview starts from the build cache of an earlier `midad build` of the site.

use std::time::{Duration, Instant};

use crate::harness::{Line, PATIENCE, Running, SiteTest, walk};
use crate::publishing::{article, newsroom};
use crate::serve::{Preview, agent, encode, without_injection};

/// The build time of both the preview and the clean build: 2026-11-29 at 14:00 in Cairo.
const NOON: &str = "1795953600";

/// How many `rebuilt` lines `run` printed so far.
fn rebuilds(run: &Running) -> usize {
    run.seen.iter().filter(|line| matches!(line, Line::Out(t) if t.starts_with("rebuilt"))).count()
}

/// Makes `change` to the site and waits until the preview reports a rebuild after it.
fn edit(preview: &mut Preview, what: &str, change: impl FnOnce(&SiteTest)) {
    let before = rebuilds(&preview.run);
    change(&preview.site);
    let deadline = Instant::now() + PATIENCE;
    while rebuilds(&preview.run) == before {
        assert!(
            Instant::now() < deadline,
            "no rebuild after {what}:\n{}",
            preview.run.transcript()
        );
        preview.run.wait_until_quiet(Duration::from_millis(200));
    }
}

/// The status and body of `path` on the preview at `base`.
fn fetch(base: &str, path: &str) -> (u16, String) {
    let url = format!("{}{}", base.trim_end_matches('/'), encode(path));
    let mut res = agent().get(&url).call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    let body = res.body_mut().read_to_string().unwrap_or_default();
    (res.status().as_u16(), body)
}

#[test]
fn every_page_served_after_edits_equals_a_clean_build() {
    const COUNT: u64 = 1000;
    let site = newsroom(COUNT);
    // A build leaves its cache, which the preview starts from; one article changes after it.
    site.run_with_env(&["build"], &[("SOURCE_DATE_EPOCH", NOON)]).success();
    let (path, file) = article(7, "2026-11-28T09:00:00+02:00");
    site.write(&path, &file.replacen("title: \"", "title: \"بعد البناء: ", 1));
    // A page cache of one megabyte holds a few dozen pages: asking for every page forgets most
    // of them again.
    let args = ["serve", "--port", "0", "--page-cache", "1"];
    let mut preview = Preview::start_with_env(site, &args, &[("SOURCE_DATE_EPOCH", NOON)]);
    let events = preview.events();
    // Open in a browser before the edits: the home page, a section, a tag index, the feed.
    let open = ["/", "/politics/", "/tags/", "/rss.xml"];
    for path in open {
        assert_eq!(preview.get(path).status, 200, "{path}");
    }

    edit(&mut preview, "a text edit of the newest article", |site| {
        let path = article(COUNT - 1, "").0;
        let text = std::fs::read_to_string(site.root().join(&path)).unwrap();
        site.write(&path, &format!("{text}\nفقرة أضيفت أثناء المعاينة.\n"));
    });
    edit(&mut preview, "publishing an article", |site| {
        let (path, file) = article(COUNT, "2026-11-29T12:01:00+02:00");
        site.write(&path, &file);
    });
    // The home page lists the new article: its reload event said so.
    events.reload_of("/");
    assert!(preview.get("/").body.contains(&format!("({COUNT})")), "the new article on the home");
    edit(&mut preview, "a new title and tags", |site| {
        let path = article(500, "").0;
        let text = std::fs::read_to_string(site.root().join(&path)).unwrap();
        let text = text.replacen("title: \"", "title: \"عاجل: ", 1);
        site.write(&path, &text.replacen("tags: [", "tags: [\"عاجل\", ", 1));
    });
    edit(&mut preview, "deleting an article", |site| {
        let path = article(10, "").0;
        std::fs::remove_file(site.root().join(path)).unwrap();
    });

    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    let build = ["build", "--base-url", &preview.url, "--output", out.to_str().unwrap()];
    preview.site.run_with_env(&build, &[("SOURCE_DATE_EPOCH", NOON)]).success();
    let files: Vec<(String, Vec<u8>)> = walk(&out)
        .into_iter()
        .map(|file| {
            let rel = file.strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(&file).unwrap())
        })
        .collect();
    assert!(files.len() > COUNT as usize + 200, "{} files", files.len());

    // First the pages that stayed open through the edits, rendered again for each: then every
    // file, asked for by eight browsers at once, in an order unlike the render's.
    for path in open {
        let rel = format!("{}index.html", path.trim_start_matches('/'));
        let rel = if path.ends_with('/') { rel } else { path.trim_start_matches('/').to_string() };
        let built = files.iter().find(|(file, _)| *file == rel).unwrap_or_else(|| panic!("{rel}"));
        assert_eq!(differs(&preview.url, built), None, "an open page");
    }

    let mut order: Vec<&(String, Vec<u8>)> = files.iter().collect();
    order.sort_by_key(|(rel, _)| rel.chars().rev().collect::<String>());
    let base = preview.url.clone();
    let differing: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = order
            .chunks(order.len().div_ceil(8))
            .map(|chunk| {
                scope.spawn(|| {
                    chunk.iter().filter_map(|file| differs(&base, file)).collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|worker| worker.join().unwrap()).collect()
    });
    assert!(
        differing.is_empty(),
        "{} files differ from a clean build: {differing:#?}",
        differing.len()
    );
}

/// Why the preview's file at `rel` differs from the clean build's `built` bytes, if it does.
fn differs(base: &str, (rel, built): &(String, Vec<u8>)) -> Option<String> {
    let url = format!("/{}", rel.strip_suffix("index.html").unwrap_or(rel));
    let (mut status, mut body) = fetch(base, &url);
    // Photo variants are binary: served from the same cache files.
    let Ok(built) = std::str::from_utf8(built) else {
        return (status != 200).then(|| format!("{url}: {status}"));
    };
    // The search index is made after the pages are served: it may be a moment behind.
    let deadline = Instant::now() + PATIENCE;
    while rel.starts_with("search/index/") && body != built && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        (status, body) = fetch(base, &url);
    }
    if status != 200 {
        return Some(format!("{url}: {status}"));
    }
    (without_injection(&body) != built).then(|| format!("{url}: other bytes"))
}
