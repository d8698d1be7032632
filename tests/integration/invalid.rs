//! The catalogue of bad input (`tests/fixtures/invalid/`): each case is an overlay on the `basic`
//! fixture, a `site/` folder of files added or replaced and a `case.toml` that says what `midad
//! build` answers: its exit code and the diagnostics it prints (severity, `file:line:col`, part of
//! the message). A case that fails the build also leaves the previous output as it was.

use std::path::Path;

use serde::Deserialize;

use crate::harness::SiteTest;

/// A case's `case.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case is, in one line.
    about: String,
    /// The exit code of `midad build`.
    exit: i32,
    /// Files or folders of the fixture removed for the case.
    #[serde(default)]
    remove: Vec<String>,
    /// Diagnostics that must be printed.
    expect: Vec<Expected>,
}

/// A diagnostic a case must print.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    /// `error` or `warning`.
    severity: String,
    /// Where, as printed: `file:line:col`, `file:line` or `file`.
    at: String,
    /// Part of the message after the location.
    message: String,
}

#[test]
fn every_bad_input_of_the_catalogue_gets_its_diagnostic() {
    let catalogue = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&catalogue)
        .expect("the catalogue")
        .map(|entry| entry.expect("a case").path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 45, "{} cases", cases.len());
    // Four at a time: each case builds a site twice.
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = cases
            .chunks(cases.len().div_ceil(4))
            .map(|chunk| {
                scope.spawn(move || chunk.iter().filter_map(|c| check(c)).collect::<Vec<String>>())
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().expect("a worker")).collect()
    });
    assert!(failures.is_empty(), "{} cases fail:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// Runs the case in the folder `dir`: what is wrong with midad's answer, if anything.
fn check(dir: &Path) -> Option<String> {
    let name = dir.file_name()?.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(dir.join("case.toml")).expect("case.toml");
    let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
    let site = SiteTest::fixture("basic");
    site.build().success();
    let before = site.output_bytes();
    if dir.join("site").is_dir() {
        crate::harness::copy_dir(&dir.join("site"), site.root());
    }
    for path in &case.remove {
        let path = site.root().join(path);
        let removed = if path.is_dir() {
            std::fs::remove_dir_all(&path)
        } else {
            std::fs::remove_file(&path)
        };
        removed.unwrap_or_else(|e| panic!("{name}: cannot remove {}: {e}", path.display()));
    }
    let run = site.build();
    let stderr = run.stderr();
    let mut problems = Vec::new();
    if run.code() != Some(case.exit) {
        problems.push(format!("exit code {:?}, not {}", run.code(), case.exit));
    }
    for expected in &case.expect {
        let prefix = format!("{}: {}: ", expected.severity, expected.at);
        let printed = stderr.lines().any(|line| {
            line.strip_prefix(&prefix).is_some_and(|rest| rest.contains(&expected.message))
        });
        if !printed {
            problems.push(format!("no `{prefix}…{}…`", expected.message));
        }
    }
    if stderr.contains("panicked") {
        problems.push("a panic".to_string());
    }
    if case.exit != 0 && site.output_bytes() != before {
        problems.push("the previous output changed".to_string());
    }
    (!problems.is_empty())
        .then(|| format!("{name} ({}): {}\n{stderr}", case.about, problems.join("; ")))
}
