//! Issue 14: a rebuild equals a clean build, as a seeded property test.
//!
//! A copy of `tests/fixtures/churn/` goes through a random sequence of edits ([`edits::Churn`]):
//! article texts and front matter, new, deleted and renamed articles, sections, site and theme
//! templates (names quoted in each of Tera's three string styles, then the named file edited),
//! data files, static files and bundle assets, `config.toml`, batches of several, and files
//! broken on purpose and fixed later. After every step:
//!
//! - `session_rebuilds_equal_clean_renders_issue_14`: a [`Session`] told the `Change`s a watcher
//!   reports for the step's paths must produce exactly the files of a clean
//!   [`pipeline::render`] of the same folder at the same build time, byte for byte (a copied file
//!   by the bytes of its source); a step that breaks the site must fail both, and the session's
//!   next good rebuild must again equal a clean one.
//! - `builds_with_a_manifest_equal_clean_builds_issue_14`: `midad build` into the same output
//!   (reusing the manifest and the build cache beside it) must leave exactly the tree a build
//!   into a fresh folder makes; a failing build must leave the last good output as it was.
//!
//! The seed comes from `MIDAD_PROPTEST_SEED` (else from the clock), and each sequence's seed is
//! printed; a failure prints the seed, the step, every step so far and the first differing file,
//! with a command that replays it. `MIDAD_PROPTEST_SEQUENCES` and `MIDAD_PROPTEST_STEPS` (the
//! session test, 5 × 100 by default) and `MIDAD_PROPTEST_BUILD_STEPS` (the binary, 40) set how
//! much runs. The watcher-driven burst in `serve.rs` stays as the end-to-end check
//! of the same property through `build --watch`.

mod edits;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use midad::output::{Contents, OutputFile};
use midad::pipeline::{self, BuildOptions, Change, Session};
use midad::serve::watch::{SitePaths, classify};

use crate::harness::{SiteTest, walk};
use edits::{Churn, Edit, NOW_EPOCH};

#[test]
fn session_rebuilds_equal_clean_renders_issue_14() {
    let plan = Plan::from_env(5, env_number("MIDAD_PROPTEST_STEPS", 100));
    for seed in plan.seeds() {
        if let Err(report) = session_sequence(seed, plan.steps) {
            panic!("{report}");
        }
    }
}

#[test]
fn builds_with_a_manifest_equal_clean_builds_issue_14() {
    let plan = Plan::from_env(1, env_number("MIDAD_PROPTEST_BUILD_STEPS", 40));
    for seed in plan.seeds() {
        if let Err(report) = build_sequence(seed, plan.steps) {
            panic!("{report}");
        }
    }
}

/// One sequence of edits, each followed by a session rebuild and a clean render.
fn session_sequence(seed: u64, steps: usize) -> Result<(), String> {
    let site = SiteTest::fixture("churn");
    let mut churn = Churn::new(site.root(), seed);
    let opts = options(site.root(), seed);
    let mut log = Log::new("session_rebuilds_equal_clean_renders", seed, steps, &opts);
    let mut session = Session::new(opts.clone());
    let watched = SitePaths { root: opts.root.clone(), output: opts.output.clone() };
    let mut changes: Vec<Change> = Vec::new();
    for step in 0..=steps {
        if step > 0 {
            let edits = churn.step();
            changes = changes_of(&watched, &edits);
            log.step(step, &edits, Some(&changes));
        }
        let fresh = pipeline::render(&opts);
        let rebuilt = session.rebuild(&changes);
        match (rebuilt, fresh, churn.is_broken()) {
            (Ok(rebuilt), Ok(fresh), false) => {
                let (got, want) = (contents(&rebuilt.files), contents(&fresh.files));
                if let Some(diff) = differences(&want, &got, "the clean render", "the session") {
                    return Err(log.report(
                        step,
                        "a session rebuild differs from a clean render",
                        &diff,
                    ));
                }
                let counts =
                    |b: &pipeline::BuildReport| (b.articles, b.skipped_drafts, b.skipped_future);
                if counts(&rebuilt.report) != counts(&fresh.report) {
                    let diff = format!(
                        "(articles, drafts, embargoed): session {:?}, clean {:?}",
                        counts(&rebuilt.report),
                        counts(&fresh.report)
                    );
                    return Err(log.report(step, "a session rebuild counts differently", &diff));
                }
            }
            (Err(_), Err(_), true) => {}
            (rebuilt, fresh, broken) => {
                let outcome = |r: &Result<pipeline::Built, midad::Errors>| match r {
                    Ok(_) => "succeeded".to_string(),
                    Err(errors) => format!("failed: {errors}"),
                };
                let diff = format!(
                    "a site broken on purpose: {broken}\nsession rebuild {}\nclean render {}",
                    outcome(&rebuilt),
                    outcome(&fresh)
                );
                return Err(log.report(
                    step,
                    "a rebuild and a clean render disagree on success",
                    &diff,
                ));
            }
        }
    }
    Ok(())
}

/// One sequence of edits, each followed by `midad build` into the site's `public/` (with the
/// manifest of the last build) and by a build into a fresh folder.
fn build_sequence(seed: u64, steps: usize) -> Result<(), String> {
    let site = SiteTest::fixture("churn");
    let mut churn = Churn::new(site.root(), seed);
    let opts = options(site.root(), seed);
    let mut log = Log::new("builds_with_a_manifest_equal_clean_builds", seed, steps, &opts);
    let public = site.root().join("public");
    for step in 0..=steps {
        if step > 0 {
            let edits = churn.step();
            log.step(step, &edits, None);
        }
        let before = tree(&public);
        let built = midad_build(site.root(), &opts, None);
        for leftover in ["staging", "old"] {
            if site.root().join(format!(".public.midad-{leftover}")).exists() {
                let diff = format!("`.public.midad-{leftover}` is left beside the output");
                return Err(log.report(step, "a build leaves a folder behind", &diff));
            }
        }
        if churn.is_broken() {
            if built.status.code() != Some(1) {
                let diff = format!("exit {:?}\n{}", built.status.code(), stderr(&built));
                return Err(log.report(step, "a build of a broken site does not fail", &diff));
            }
            if let Some(diff) = differences(
                &before,
                &tree(&public),
                "the last good output",
                "the output after the failure",
            ) {
                return Err(log.report(step, "a failed build changed the output", &diff));
            }
            continue;
        }
        if !built.status.success() {
            return Err(log.report(step, "a build failed", &stderr(&built)));
        }
        let fresh_dir = tempfile::tempdir().expect("temp dir");
        let fresh_out = fresh_dir.path().join("public");
        let fresh = midad_build(site.root(), &opts, Some(&fresh_out));
        if !fresh.status.success() {
            return Err(log.report(step, "a clean build failed", &stderr(&fresh)));
        }
        if let Some(diff) =
            differences(&tree(&fresh_out), &tree(&public), "the clean build", "the rebuilt output")
        {
            return Err(log.report(
                step,
                "a build with a manifest differs from a clean build",
                &diff,
            ));
        }
    }
    Ok(())
}

/// The build options of a sequence: the pinned build time, and by seed drafts, embargoed
/// articles or another base URL (as `serve` sets it), so each is covered now and then.
fn options(root: &Path, seed: u64) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: root.join("public"),
        drafts: seed % 4 == 1,
        future: seed % 4 == 2,
        base_url: (seed % 4 == 3).then(|| "http://127.0.0.1:1111/".to_string()),
        now: Some(jiff::Timestamp::from_second(NOW_EPOCH).expect("a time")),
    }
}

/// Runs `midad build` in `root` with `opts`, into `output` if given.
fn midad_build(root: &Path, opts: &BuildOptions, output: Option<&Path>) -> std::process::Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_midad"));
    command.arg("build").current_dir(root).env("SOURCE_DATE_EPOCH", NOW_EPOCH.to_string());
    if opts.drafts {
        command.arg("--drafts");
    }
    if opts.future {
        command.arg("--future");
    }
    if let Some(base_url) = &opts.base_url {
        command.args(["--base-url", base_url]);
    }
    if let Some(output) = output {
        command.arg("--output").arg(output);
    }
    command.output().expect("run midad")
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The changes a watcher reports for the paths the edits touched.
fn changes_of(site: &SitePaths, edits: &[Edit]) -> Vec<Change> {
    let mut changes: Vec<Change> = edits
        .iter()
        .flat_map(|e| &e.touched)
        .filter_map(|rel| classify(site, &site.root.join(rel)))
        .collect();
    changes.sort();
    changes.dedup();
    changes
}

/// Files by path, with their bytes.
type Files = BTreeMap<String, Vec<u8>>;

/// The files of a build in memory, a copied file with the bytes of its source. A path given twice
/// is kept with a marker, so that it shows as a difference.
fn contents(files: &[OutputFile]) -> Files {
    let mut out = Files::new();
    for file in files {
        let bytes = match &file.contents {
            Contents::Bytes(bytes) => bytes.to_vec(),
            Contents::Copy(source) | Contents::Keep(source) => std::fs::read(source)
                .unwrap_or_else(|e| {
                    format!("<cannot read {}: {e}>", source.display()).into_bytes()
                }),
            Contents::Staged { len } => format!("<staged, {len} bytes>").into_bytes(),
            // A photo variant, named in the cache by its content's key.
            Contents::Link(source) => format!("<variant {}>", source.display()).into_bytes(),
        };
        if let Some(first) = out.insert(file.path.clone(), bytes) {
            let mut twice = b"<given twice> ".to_vec();
            twice.extend(first);
            out.insert(file.path.clone(), twice);
        }
    }
    out
}

/// The files under `dir`, relative.
fn tree(dir: &Path) -> Files {
    walk(dir)
        .into_iter()
        .map(|path| {
            let rel =
                path.strip_prefix(dir).expect("under dir").to_string_lossy().replace('\\', "/");
            let bytes = std::fs::read(&path).expect("read an output file");
            (rel, bytes)
        })
        .collect()
}

/// What differs between the files expected (`want`, from the build named `want_name`) and `got`
/// (from `name`): the paths on one side only, the paths with other bytes, and an excerpt at the
/// first difference.
fn differences(want: &Files, got: &Files, want_name: &str, name: &str) -> Option<String> {
    let missing: Vec<&String> = want.keys().filter(|p| !got.contains_key(*p)).collect();
    let extra: Vec<&String> = got.keys().filter(|p| !want.contains_key(*p)).collect();
    let changed: Vec<&String> =
        want.iter().filter(|(p, b)| got.get(*p).is_some_and(|g| g != *b)).map(|(p, _)| p).collect();
    if missing.is_empty() && extra.is_empty() && changed.is_empty() {
        return None;
    }
    let mut out = String::new();
    let first = missing.iter().chain(&extra).chain(&changed).min().copied().expect("a path");
    let _ = writeln!(out, "first differing path: {first}");
    let few = |paths: &[&String]| {
        let shown: Vec<&str> = paths.iter().take(8).map(|p| p.as_str()).collect();
        let more = paths.len().saturating_sub(shown.len());
        format!(
            "{}{}",
            shown.join(", "),
            if more > 0 { format!(" and {more} more") } else { String::new() }
        )
    };
    if !missing.is_empty() {
        let _ = writeln!(out, "missing from {name} ({}): {}", missing.len(), few(&missing));
    }
    if !extra.is_empty() {
        let _ = writeln!(out, "only in {name} ({}): {}", extra.len(), few(&extra));
    }
    if !changed.is_empty() {
        let _ = writeln!(out, "different bytes ({}): {}", changed.len(), few(&changed));
    }
    if let (Some(w), Some(g)) = (want.get(first), got.get(first)) {
        out.push_str(&excerpt(w, g, want_name, name));
    }
    Some(out)
}

/// The first differing line of two files, around where they part.
fn excerpt(want: &[u8], got: &[u8], want_name: &str, name: &str) -> String {
    let (want, got) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
    let (w_lines, g_lines): (Vec<&str>, Vec<&str>) =
        (want.lines().collect(), got.lines().collect());
    let at = w_lines
        .iter()
        .zip(&g_lines)
        .position(|(a, b)| a != b)
        .unwrap_or(w_lines.len().min(g_lines.len()));
    let line = |lines: &[&str]| lines.get(at).copied().unwrap_or("<end of file>").to_string();
    let (w, g) = (line(&w_lines), line(&g_lines));
    let common = w.chars().zip(g.chars()).take_while(|(a, b)| a == b).count();
    let window = |text: &str| -> String {
        let start = common.saturating_sub(60);
        let cut: String = text.chars().skip(start).take(220).collect();
        format!("{}{cut}", if start > 0 { "…" } else { "" })
    };
    format!(
        "at line {} (column {}):\n  {want_name}: {}\n  {name}: {}\n",
        at + 1,
        common + 1,
        window(&w),
        window(&g)
    )
}

/// Which seeds run, and how many steps each.
struct Plan {
    base: u64,
    sequences: u64,
    steps: usize,
}

impl Plan {
    /// `MIDAD_PROPTEST_SEED` (else the clock) and `MIDAD_PROPTEST_SEQUENCES` (else `sequences`).
    fn from_env(sequences: u64, steps: usize) -> Plan {
        let base = std::env::var("MIDAD_PROPTEST_SEED")
            .ok()
            .map(|s| {
                s.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("MIDAD_PROPTEST_SEED={s} is not a number"))
            })
            .unwrap_or_else(|| {
                let since = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .expect("a clock after 1970");
                since.as_secs() ^ u64::from(since.subsec_nanos()) << 20
            });
        let sequences = env_number("MIDAD_PROPTEST_SEQUENCES", sequences as usize) as u64;
        Plan { base, sequences, steps }
    }

    /// The seed of each sequence: the base seed and the ones after it, so that a failing
    /// sequence replays alone with its own seed.
    fn seeds(&self) -> impl Iterator<Item = u64> {
        let base = self.base;
        (0..self.sequences).map(move |i| base.wrapping_add(i))
    }
}

fn env_number(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(text) => text.trim().parse().unwrap_or_else(|_| panic!("{name}={text} is not a number")),
        Err(_) => default,
    }
}

/// What a sequence did so far, for its failure report.
struct Log {
    test: &'static str,
    seed: u64,
    steps: usize,
    options: String,
    lines: Vec<String>,
}

impl Log {
    fn new(test: &'static str, seed: u64, steps: usize, opts: &BuildOptions) -> Log {
        eprintln!("churn: {test}: seed {seed}, {steps} steps");
        let options =
            format!("drafts {}, future {}, base_url {:?}", opts.drafts, opts.future, opts.base_url);
        Log { test, seed, steps, options, lines: vec!["0: first build".into()] }
    }

    fn step(&mut self, step: usize, edits: &[Edit], changes: Option<&[Change]>) {
        let what: Vec<&str> = edits.iter().map(|e| e.what.as_str()).collect();
        let mut line = format!("{step}: {}", what.join("; "));
        if let Some(changes) = changes {
            let changes: Vec<String> = changes.iter().map(|c| format!("{c:?}")).collect();
            let _ = write!(line, " => [{}]", changes.join(", "));
        }
        self.lines.push(line);
    }

    fn report(&self, step: usize, what: &str, diff: &str) -> String {
        format!(
            "{what}\nseed {seed}, step {step} of {steps} ({options})\n\
             replay: MIDAD_PROPTEST_SEED={seed} MIDAD_PROPTEST_SEQUENCES=1 {var}={step} \
             cargo test --test integration churn::{test}\n\
             steps so far:\n  {lines}\n{diff}",
            seed = self.seed,
            steps = self.steps,
            options = self.options,
            var = if self.test.starts_with("session") {
                "MIDAD_PROPTEST_STEPS"
            } else {
                "MIDAD_PROPTEST_BUILD_STEPS"
            },
            test = self.test,
            lines = self.lines.join("\n  "),
        )
    }
}
