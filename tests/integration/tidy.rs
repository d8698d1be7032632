//! Structure rules of `src/`, checked on its text (as rust-analyzer's tidy tests do): no import
//! cycle between files, no function much longer than a screen, and the leaves (`arabic`,
//! `markdown`, `scan`) importing nothing above them.
//!
//! The reading is syntactic and relies on `cargo fmt`'s layout: a function ends at the first
//! line that is its own indentation followed by `}`; a file imports another when it names an
//! item of it through `crate::`, `super::`, `self::` or one of its own child modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The longest a function may be, in lines, signature and closing brace included.
const MAX_FUNCTION_LINES: usize = 120;

/// A source file of `src/` and the module path it holds (`["render", "plan"]`).
struct SourceFile {
    path: PathBuf,
    module: Vec<String>,
    /// The text before its `#[cfg(test)] mod tests`, without `//` comments.
    code: String,
    /// The whole text, tests included, without `//` comments.
    all: String,
}

fn source_files() -> Vec<SourceFile> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut dirs = vec![src.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("src/ is readable").path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&src).expect("a path under src/").with_extension("");
                let mut module: Vec<String> =
                    rel.iter().map(|part| part.to_string_lossy().into_owned()).collect();
                if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                    module.pop();
                }
                let text = std::fs::read_to_string(&path).expect("a source file is UTF-8");
                let uncommented = |text: &str| {
                    let lines = text.lines().map(|l| l.split("//").next().unwrap_or_default());
                    lines.collect::<Vec<_>>().join("\n")
                };
                let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
                let (code, all) = (uncommented(code), uncommented(&text));
                files.push(SourceFile { path, module, code, all });
            }
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The paths `crate::a::b`, `super::c` and `self::d` in `code`, resolved against `module`, and
/// the items of grouped imports (`use crate::{a, b::c}`).
fn named_paths(module: &[String], is_main: bool, code: &str) -> Vec<Vec<String>> {
    let here: Vec<String> = if is_main { Vec::new() } else { module.to_vec() };
    let base = |keyword: &str| -> Option<Vec<String>> {
        match keyword {
            "crate" => Some(Vec::new()),
            "self" => Some(here.clone()),
            "super" => Some(here[..here.len().saturating_sub(1)].to_vec()),
            _ => None,
        }
    };
    let mut paths = Vec::new();
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    for (at, _) in code.match_indices("::") {
        let start = code[..at].rfind(|c: char| !is_ident(c)).map_or(0, |i| i + 1);
        let Some(mut path) = base(&code[start..at]) else { continue };
        if start > 0 && code[..start].ends_with("::") {
            continue;
        }
        let rest = &code[at + 2..];
        if let Some(group) = rest.strip_prefix('{') {
            for item in group.split('}').next().unwrap_or_default().split(',') {
                let item = item.split(" as ").next().unwrap_or_default().trim();
                let mut full = path.clone();
                full.extend(item.split("::").filter(|s| !s.is_empty()).map(str::to_string));
                paths.push(full);
            }
            continue;
        }
        let end = rest.find(|c: char| !is_ident(c) && c != ':').unwrap_or(rest.len());
        path.extend(rest[..end].split("::").filter(|s| !s.is_empty()).map(str::to_string));
        paths.push(path);
    }
    paths
}

/// For each file, the other files it imports from.
fn imports(files: &[SourceFile]) -> BTreeMap<usize, BTreeSet<usize>> {
    let by_module: BTreeMap<&[String], usize> =
        files.iter().enumerate().map(|(i, f)| (&f.module[..], i)).collect();
    let resolve = |path: &[String]| -> Option<usize> {
        (0..=path.len()).rev().find_map(|n| by_module.get(&path[..n]).copied())
    };
    let mut edges = BTreeMap::new();
    for (i, file) in files.iter().enumerate() {
        let is_main = file.path.ends_with("main.rs");
        let mut targets = BTreeSet::new();
        for path in named_paths(&file.module, is_main, &file.code) {
            targets.extend(resolve(&path));
        }
        // `child::item`, for each child module the file declares.
        for line in file.code.lines() {
            let line =
                line.trim_start().trim_start_matches("pub ").trim_start_matches("pub(crate) ");
            let Some(child) = line.strip_prefix("mod ").and_then(|l| l.strip_suffix(';')) else {
                continue;
            };
            let mut module = file.module.clone();
            module.push(child.to_string());
            if file.code.contains(&format!("{child}::")) {
                targets.extend(by_module.get(&module[..]).copied());
            }
        }
        targets.remove(&i);
        edges.insert(i, targets);
    }
    edges
}

#[test]
fn no_import_cycle_between_files_of_src() {
    let files = source_files();
    let edges = imports(&files);
    // A file is in a cycle when it reaches itself.
    let mut cycles = Vec::new();
    for &start in edges.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<usize> = edges[&start].iter().copied().collect();
        while let Some(next) = stack.pop() {
            if next == start {
                cycles.push(files[start].path.display().to_string());
                break;
            }
            if seen.insert(next) {
                stack.extend(edges[&next].iter().copied());
            }
        }
    }
    assert!(cycles.is_empty(), "files that import themselves through others: {cycles:#?}");
    // The check finds imports at all (a reading that found none would pass anything).
    let render = files.iter().position(|f| f.module == ["render"]).unwrap();
    let plan = files.iter().position(|f| f.module == ["render", "plan"]).unwrap();
    assert!(edges[&render].contains(&plan));
}

#[test]
fn no_function_in_src_is_longer_than_a_screen() {
    let mut long = Vec::new();
    for file in source_files() {
        // Tests too: a test is read as often as the code it checks.
        let lines: Vec<&str> = file.all.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            let indent = &line[..line.len() - line.trim_start().len()];
            let head = line.trim_start();
            let head = head.strip_prefix("pub(crate) ").or(head.strip_prefix("pub(super) "));
            let head = head.or(line.trim_start().strip_prefix("pub ")).unwrap_or(line.trim_start());
            let head = head.trim_start_matches("const ").trim_start_matches("unsafe ");
            if !head.starts_with("fn ") || line.trim_end().ends_with(';') {
                continue;
            }
            let close = format!("{indent}}}");
            let end = lines[at..].iter().position(|l| *l == close).map_or(0, |n| n + 1);
            if end > MAX_FUNCTION_LINES {
                long.push(format!("{}:{} is {end} lines", file.path.display(), at + 1));
            }
        }
    }
    assert!(long.is_empty(), "functions longer than {MAX_FUNCTION_LINES} lines: {long:#?}");
}

#[test]
fn the_leaves_import_nothing_above_them() {
    let files = source_files();
    let edges = imports(&files);
    let leaves = [&["arabic"][..], &["markdown"], &["scan"]];
    let is_under = |module: &[String], leaf: &[&str]| {
        module.len() >= leaf.len() && module.iter().zip(leaf).all(|(a, b)| a == b)
    };
    let mut wrong = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let Some(leaf) = leaves.iter().find(|leaf| is_under(&file.module, leaf)) else { continue };
        for &target in &edges[&i] {
            let module = &files[target].module;
            // A leaf may use the leaves under it (`markdown` uses `arabic` and `scan`).
            let allowed = is_under(module, leaf)
                || (leaf[0] == "markdown"
                    && (is_under(module, &["arabic"]) || is_under(module, &["scan"])));
            if !allowed {
                wrong.push(format!(
                    "{} imports {}",
                    file.path.display(),
                    files[target].path.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "leaves importing higher layers: {wrong:#?}");
}
