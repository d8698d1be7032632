//! Long runs of the live preview: `serve` answering 200 clients at once while it rebuilds. Every
//! page served must be whole: one build's page, byte for byte.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::harness::{PATIENCE, SiteTest, copy_dir};
use crate::serve::{Preview, save_atomic, without_injection};

const BUDGET: &str = "/politics/الحكومة-تعلن-موازنة-2027/";
const BUDGET_MD: &str = "content/politics/budget.md";

// ---------------------------------------------------------------------------------------------
// serve under load.

/// The budget article in version `v` (0 or 1): its marker, its summary (shown on the home page)
/// and its length all differ.
fn budget_version(v: usize) -> String {
    let paragraphs = if v == 0 { 3 } else { 40 };
    let body: String =
        (0..paragraphs).map(|i| format!("فقرة {i} من النسخة {v} عن الموازنة.\n\n")).collect();
    format!(
        "---\ntitle: \"الحكومةُ تُعلن: موازنة 2027!\"\ndate: 2026-11-28T09:30:00+02:00\n\
         author: sara\ntags: [\"الموازنة\"]\nsummary: \"ملخص النسخة {v}: VERSION-{v}-SUMMARY\"\n\
         ---\nVERSION-{v}-MARKER\n\n{body}"
    )
}

/// The article page and the home page of a clean build of the site with budget version `v`,
/// linked to `base_url`.
fn clean_pages(site: &SiteTest, v: usize, base_url: &str) -> (String, String) {
    let copy = tempfile::tempdir().expect("temp dir");
    for part in ["config.toml", "content", "data", "static", "themes"] {
        let from = site.root().join(part);
        if from.is_dir() {
            copy_dir(&from, &copy.path().join(part));
        } else {
            std::fs::copy(&from, copy.path().join(part)).expect("copy");
        }
    }
    std::fs::write(copy.path().join(BUDGET_MD), budget_version(v)).expect("write");
    let out = copy.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_midad"))
        .args(["build", "--base-url", base_url, "--output"])
        .arg(&out)
        .current_dir(copy.path())
        .env("SOURCE_DATE_EPOCH", "1795953600")
        .output()
        .expect("run midad");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let read = |rel: &str| std::fs::read_to_string(out.join(rel)).expect("a built page");
    (read(&format!("{}index.html", BUDGET.trim_start_matches('/'))), read("index.html"))
}

/// What the clients saw, by what they asked for: how often each version, and what was wrong.
#[derive(Default)]
struct Seen {
    versions: BTreeMap<(&'static str, usize), usize>,
    wrong: Vec<String>,
}

/// Asks for the article and the home page in turn until `stop`, checking each answer against
/// the two whole versions of each.
fn client(url: &str, pages: &[(&'static str, [String; 2])], stop: &AtomicBool) -> Seen {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(PATIENCE))
        .build()
        .into();
    let mut seen = Seen::default();
    let mut turn = 0;
    while !stop.load(Ordering::Relaxed) && seen.wrong.len() < 3 {
        let (path, versions) = &pages[turn % pages.len()];
        turn += 1;
        let url = format!("{url}{}", crate::serve::encode(path.trim_start_matches('/')));
        let res = agent.get(&url).call().map_err(|e| e.to_string()).and_then(|mut res| {
            let status = res.status().as_u16();
            let body = res.body_mut().read_to_string().map_err(|e| e.to_string())?;
            Ok((status, body))
        });
        match res {
            Ok((200, body)) => {
                let page = without_injection(&body);
                match versions.iter().position(|v| *v == page) {
                    Some(v) => *seen.versions.entry((*path, v)).or_default() += 1,
                    None => seen.wrong.push(format!("{path}: neither version:\n{body}")),
                }
            }
            Ok((status, body)) => seen.wrong.push(format!("{path}: {status}\n{body}")),
            Err(err) => seen.wrong.push(format!("{path}: {err}")),
        }
    }
    seen
}

#[test]
fn serve_under_200_clients_during_rebuilds_sends_only_whole_pages() {
    const CLIENTS: usize = 200;
    const EDITS: usize = 16;
    let site = SiteTest::fixture("basic");
    site.write(BUDGET_MD, &budget_version(0));
    let mut preview = Preview::start_on(site, &["serve", "--port", "0"]);
    let versions: Vec<(String, String)> =
        (0..2).map(|v| clean_pages(&preview.site, v, &preview.url)).collect();
    for (v, (article, home)) in versions.iter().enumerate() {
        assert!(article.contains(&format!("VERSION-{v}-MARKER")), "the article shows version {v}");
        assert!(home.contains(&format!("VERSION-{v}-SUMMARY")), "the home page lists version {v}");
    }
    let pages = Arc::new([
        (BUDGET, [versions[0].0.clone(), versions[1].0.clone()]),
        ("/", [versions[0].1.clone(), versions[1].1.clone()]),
    ]);
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (url, pages, stop) = (preview.url.clone(), Arc::clone(&pages), Arc::clone(&stop));
            std::thread::spawn(move || client(&url, &pages[..], &stop))
        })
        .collect();

    // Each edit is published while the clients keep asking.
    for edit in 1..=EDITS {
        save_atomic(preview.site.root(), BUDGET_MD, &budget_version(edit % 2));
        preview.run.wait_for_stdout("rebuilt content/politics/budget.md");
    }
    stop.store(true, Ordering::Relaxed);
    let mut versions = BTreeMap::new();
    let mut wrong = Vec::new();
    for client in clients {
        let seen = client.join().expect("a client thread");
        for (key, n) in seen.versions {
            *versions.entry(key).or_insert(0) += n;
        }
        wrong.extend(seen.wrong);
    }
    println!("answers by (page, version): {versions:?}");
    assert!(wrong.is_empty(), "{} bad answers, the first:\n{}", wrong.len(), wrong[0]);
    for key in [(BUDGET, 0), (BUDGET, 1), ("/", 0), ("/", 1)] {
        assert!(versions.get(&key).is_some_and(|&n| n > 0), "{key:?} never served: {versions:?}");
    }
    assert!(preview.run.is_running());
}
