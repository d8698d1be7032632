//! Long runs of the live preview: `serve` answering 200 clients at once while it rebuilds, and
//! `build --watch` driven through 1,000 editor-style events. Both end on a comparison with clean
//! builds: every page served is whole (one build's page, byte for byte), and the watched output
//! equals a clean build of the final files.
//!
//! The watch soak is random but seeded: the seed is printed, and `MIDAD_SOAK_SEED` replays one.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::harness::{PATIENCE, Running, SiteTest, copy_dir};
use crate::serve::{
    Preview, compare, save_atomic, save_in_two_halves, save_jetbrains, save_vim, without_injection,
};

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

// ---------------------------------------------------------------------------------------------
// build --watch, 1,000 events.

/// The seed of the watch soak: `MIDAD_SOAK_SEED` when set, else a fixed one.
fn soak_seed() -> u64 {
    match std::env::var("MIDAD_SOAK_SEED") {
        Ok(seed) => seed.parse().unwrap_or_else(|_| panic!("MIDAD_SOAK_SEED={seed:?}: a number")),
        Err(_) => 0x6d69_6461_6431,
    }
}

/// A site under `build --watch` and what the soak changed in it.
struct Soak {
    site: SiteTest,
    run: Running,
    rng: fastrand::Rng,
    /// Events made so far (a save, a rename or a delete each count as one).
    events: usize,
    /// Articles saved broken, to fix later.
    broken: Vec<String>,
    /// The name of the extra section's folder, once it exists.
    section: Option<&'static str>,
    /// The template or config.toml, saved broken: the next step fixes it.
    to_fix: Option<&'static str>,
}

const SECTIONS: [&str; 2] = ["politics", "economy"];
const TEMPLATE: &str = "themes/akhbar/templates/article.html";
const CSS: &str = "themes/akhbar/static/css/akhbar.css";

/// An article with front matter: `title`, a date and an author.
fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: 2026-11-27T10:00:00+02:00\nauthor: sara\n---\n{body}\n")
}

impl Soak {
    fn root(&self) -> &Path {
        self.site.root()
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).expect("a site file")
    }

    /// An article of a random section (the extra one too, once it exists) and a new text for it.
    fn pick_article(&mut self) -> (String, String) {
        let n = self.rng.usize(..10);
        let section = match self.section {
            Some(extra) if self.rng.bool() => extra,
            _ => SECTIONS[self.rng.usize(..SECTIONS.len())],
        };
        let words = self.rng.usize(1..30);
        let body: String = (0..words).map(|i| format!("كلمة{i} ")).collect();
        let text =
            article(&format!("خبر رقم {n} في {section}"), &format!("{body}الحدث {}.", self.events));
        (format!("content/{section}/soak-{n}.md"), text)
    }

    /// One editor-style step; returns how many events it made.
    fn step(&mut self) -> usize {
        if let Some(rel) = self.to_fix.take() {
            self.fix(rel);
            return 1;
        }
        if !self.broken.is_empty() && self.rng.u32(..3) == 0 {
            return self.fix_broken();
        }
        let root = self.root().to_path_buf();
        let (rel, text) = self.pick_article();
        let exists = root.join(&rel).exists();
        match self.rng.u32(..100) {
            0..=19 => save_atomic(&root, &rel, &text),
            20..=29 => std::fs::write(root.join(&rel), &text).expect("write"),
            30..=34 if exists => save_vim(&root, &rel, &text),
            35..=39 if exists => save_jetbrains(&root, &rel, &text),
            30..=39 => save_atomic(&root, &rel, &text),
            40..=44 => save_in_two_halves(&root, &rel, &text, Duration::from_millis(5)),
            45..=52 => {
                let _ = std::fs::remove_file(root.join(&rel));
            }
            53..=57 => {
                let _ = std::fs::remove_file(root.join(&rel));
                std::fs::write(root.join(&rel), &text).expect("re-create");
                return 2;
            }
            58..=65 => return self.burst(),
            66..=69 => self.save_broken(&rel),
            70..=75 => return self.bundle(),
            76..=78 => return self.section_folder(),
            79..=81 => self.edit_template(),
            82 => self.edit_config(),
            83..=89 => {
                let css = format!("{}\n/* {} */\n", self.read(CSS), self.events);
                save_atomic(&root, CSS, &css);
            }
            90..=94 => {
                let budget =
                    format!("{}\nجملة أضيفت في الحدث {}.\n", self.read(BUDGET_MD), self.events);
                save_atomic(&root, BUDGET_MD, &budget);
            }
            _ => {
                let most_read = match self.rng.u32(..2) {
                    0 => "articles = [\"economy/rates.md\"]\n",
                    _ => {
                        "articles = [\"/politics/الحكومة-تعلن-موازنة-2027/\", \"economy/rates.md\"]\n"
                    }
                };
                save_atomic(&root, "data/most_read.toml", most_read);
            }
        }
        1
    }

    /// Many writes within a few milliseconds, to one file or several.
    fn burst(&mut self) -> usize {
        let n = self.rng.usize(5..25);
        for _ in 0..n {
            let (rel, text) = self.pick_article();
            std::fs::write(self.root().join(rel), text).expect("write");
        }
        n
    }

    /// Saves an article with front matter that doesn't parse; a later step fixes it.
    fn save_broken(&mut self, rel: &str) {
        save_atomic(self.root(), rel, "---\ntitle: [نص لم يُغلق\ndate: 2026-11-28\n---\nنص\n");
        self.broken.push(rel.to_string());
    }

    /// Saves the broken articles valid again; returns how many there were.
    fn fix_broken(&mut self) -> usize {
        let broken = std::mem::take(&mut self.broken);
        for (idx, rel) in broken.iter().enumerate() {
            let text =
                article(&format!("خبر أصلح رقم {idx}"), &format!("أصلح في {}.", self.events));
            save_atomic(self.root(), rel, &text);
        }
        broken.len()
    }

    /// A page bundle (a folder with its page and a photo) created, renamed or deleted.
    fn bundle(&mut self) -> usize {
        let root = self.root().to_path_buf();
        let section = SECTIONS[self.rng.usize(..SECTIONS.len())];
        let (from, to) = (self.rng.usize(..4), self.rng.usize(..4));
        let dir = |n: usize| root.join(format!("content/{section}/bundle-{n}"));
        let page = |n: usize| format!("content/{section}/bundle-{n}/index.md");
        let text = format!(
            "+++\ntitle = \"ملف {section} {from}\"\ndate = 2026-11-25T10:00:00+02:00\n\
             image = \"cover.svg\"\n+++\nنص الملف {}.\n",
            self.events
        );
        if !dir(from).exists() {
            std::fs::create_dir_all(dir(from)).expect("mkdir");
            let cover = root.join("content/politics/budget-bundle/cover.svg");
            std::fs::copy(cover, dir(from).join("cover.svg")).expect("copy");
            save_atomic(&root, &page(from), &text);
            3
        } else if from == to {
            // An edit inside a bundle, which may have been renamed to its name.
            save_atomic(&root, &page(from), &text);
            1
        } else if !dir(to).exists() {
            std::fs::rename(dir(from), dir(to)).expect("rename a bundle");
            1
        } else {
            std::fs::remove_dir_all(dir(from)).expect("remove a bundle");
            1
        }
    }

    /// A section folder created, then renamed back and forth; articles go into it too.
    fn section_folder(&mut self) -> usize {
        let root = self.root().to_path_buf();
        match self.section {
            None => {
                std::fs::create_dir_all(root.join("content/sport")).expect("mkdir");
                save_atomic(&root, "content/sport/_index.md", "---\ntitle: \"رياضة\"\n---\n");
                self.section = Some("sport");
                2
            }
            Some(from) => {
                let to = if from == "sport" { "sports" } else { "sport" };
                let (from_dir, to_dir) =
                    (root.join("content").join(from), root.join("content").join(to));
                std::fs::rename(from_dir, to_dir).expect("rename a section");
                self.section = Some(to);
                self.broken = self.broken.iter().map(|rel| moved(rel, from, to)).collect();
                1
            }
        }
    }

    /// A change to a theme template: a comment, or (one time in five) a syntax error that the
    /// next step fixes.
    fn edit_template(&mut self) {
        let mut text = theme_template(self.events);
        if self.rng.u32(..5) == 0 {
            text.push_str("{% if %}");
            self.to_fix = Some(TEMPLATE);
        }
        save_atomic(self.root(), TEMPLATE, &text);
    }

    /// A change to config.toml: the page size and the title, or (one time in five) a duplicate
    /// key that the next step fixes.
    fn edit_config(&mut self) {
        let mut text = config(self.rng.usize(1..5), self.events);
        if self.rng.u32(..5) == 0 {
            text.push_str("per_page = 7\n");
            self.to_fix = Some("config.toml");
        }
        save_atomic(self.root(), "config.toml", &text);
    }

    /// Saves a valid version of `rel`, the template or config.toml.
    fn fix(&mut self, rel: &str) {
        let text = match rel {
            TEMPLATE => theme_template(self.events),
            _ => config(2, self.events),
        };
        save_atomic(self.root(), rel, &text);
    }

    /// Leaves every file valid.
    fn settle(&mut self) {
        self.fix_broken();
        if let Some(rel) = self.to_fix.take() {
            self.fix(rel);
        }
    }

    /// One change of each kind, alone: after each, once rebuilt, the output must equal a clean
    /// build. A reload (a new article, a folder, config.toml) rebuilds everything and would make
    /// up for an event missed before it; alone, a missed event shows.
    fn finale(&mut self, seed: u64) {
        let (rel, text) = self.pick_article();
        save_atomic(self.root(), &rel, &text);
        self.expect_rebuilt(seed, "a new article");
        std::fs::remove_file(self.root().join(&rel)).expect("delete");
        self.expect_rebuilt(seed, "a deleted article");
        let budget = format!("{}\nجملة أخيرة.\n", self.read(BUDGET_MD));
        std::fs::write(self.root().join(BUDGET_MD), budget).expect("write");
        self.expect_rebuilt(seed, "an article's text written in place");
        save_atomic(self.root(), TEMPLATE, &theme_template(self.events + 1));
        self.expect_rebuilt(seed, "a template");
        save_atomic(self.root(), CSS, &format!("{}\n/* the end */\n", self.read(CSS)));
        self.expect_rebuilt(seed, "a stylesheet");
        save_atomic(self.root(), "config.toml", &config(3, self.events + 1));
        self.expect_rebuilt(seed, "config.toml");
        self.events += 6;
    }

    /// Waits for the report of a rebuild after `change`, then [`Soak::expect_clean_build`].
    #[track_caller]
    fn expect_rebuilt(&mut self, seed: u64, change: &str) {
        self.run.wait_for(&format!("a rebuild after {change}"), |line| {
            line.text().starts_with("rebuilt ") || line.text().starts_with("rebuild failed")
        });
        self.expect_clean_build(seed, change);
    }

    /// Expects the output to equal a clean build of the files now. While it doesn't, waits for
    /// the watcher to be quiet and compares again (a rebuild may be under way), at most
    /// [`PATIENCE`] in all.
    #[track_caller]
    fn expect_clean_build(&mut self, seed: u64, after: &str) {
        let clean = clean_build(self.root());
        let deadline = Instant::now() + PATIENCE;
        loop {
            let diff = compare(&clean.path().join("public"), &self.root().join("public"));
            if diff.is_empty() {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "seed {seed}: after {after}, build --watch differs from a clean build: \
                 {diff:#?}\n{}",
                self.run.transcript()
            );
            self.run.wait_until_quiet(Duration::from_secs(1));
        }
        assert!(self.run.is_running(), "seed {seed}: midad exited:\n{}", self.run.transcript());
    }
}

/// The theme's article template with a comment naming `event`.
fn theme_template(event: usize) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(TEMPLATE);
    let original = std::fs::read_to_string(path).expect("the theme's template");
    let comment = format!("{{% block content %}}<!-- soak {event} -->");
    original.replacen("{% block content %}", &comment, 1)
}

/// The fixture's config.toml with `per_page` pages per listing and `event` in the title.
fn config(per_page: usize, event: usize) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/config.toml");
    let original = std::fs::read_to_string(path).expect("the fixture's config");
    original
        .replace("per_page = 2", &format!("per_page = {per_page}"))
        .replace("أخبار الاختبار", &format!("أخبار الاختبار {event}"))
}

/// `rel` with the folder `content/from/` renamed to `content/to/`.
fn moved(rel: &str, from: &str, to: &str) -> String {
    match rel.strip_prefix(&format!("content/{from}/")) {
        Some(rest) => format!("content/{to}/{rest}"),
        None => rel.to_string(),
    }
}

/// A clean `midad build` of a copy of `root`'s sources, into the copy's `public/`.
fn clean_build(root: &Path) -> tempfile::TempDir {
    let clean = tempfile::tempdir().expect("temp dir");
    for part in ["config.toml", "content", "data", "static", "themes"] {
        let from = root.join(part);
        if from.is_dir() {
            copy_dir(&from, &clean.path().join(part));
        } else if from.is_file() {
            std::fs::copy(&from, clean.path().join(part)).expect("copy");
        }
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_midad"))
        .arg("build")
        .current_dir(clean.path())
        .env("SOURCE_DATE_EPOCH", "1795953600")
        .output()
        .expect("run midad");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    clean
}

#[test]
fn build_watch_through_1000_editor_events_equals_a_clean_build() {
    const EVENTS: usize = 1000;
    let seed = soak_seed();
    println!("watch soak seed: {seed} (replay with MIDAD_SOAK_SEED={seed})");
    let site = SiteTest::fixture("basic");
    let mut run = site.spawn(&["build", "--watch"]);
    run.wait_for_stdout("watching for changes");
    let rng = fastrand::Rng::with_seed(seed);
    let mut soak =
        Soak { site, run, rng, events: 0, broken: Vec::new(), section: None, to_fix: None };

    // A broken save the watcher certainly sees, then fixed.
    soak.save_broken(BUDGET_MD);
    soak.run.wait_for_stderr("keeping the last good build");
    soak.fix_broken();
    let start = Instant::now();
    while soak.events < EVENTS {
        soak.events += soak.step();
        // Mostly back to back; now and then a pause, so that rebuilds also start between events.
        if soak.rng.u32(..3) == 0 {
            std::thread::sleep(Duration::from_millis(soak.rng.u64(..150)));
        }
    }
    soak.settle();
    let events_took = start.elapsed();
    soak.expect_clean_build(seed, "the random events");
    soak.finale(seed);

    // Each batch the watcher reacted to ends in one of these lines (read them all first).
    soak.run.wait_until_quiet(Duration::from_millis(500));
    let reports =
        |prefix: &str| soak.run.seen.iter().filter(|l| l.text().starts_with(prefix)).count();
    let (rebuilds, failures) = (reports("rebuilt "), reports("rebuild failed"));
    println!("{} events in {events_took:?}: {rebuilds} rebuilds, {failures} failed", soak.events);
    let transcript = soak.run.transcript();
    assert!(rebuilds + failures >= 20, "seed {seed}: {rebuilds} rebuilds:\n{transcript}");
    assert!(soak.run.interrupt().success());
}
