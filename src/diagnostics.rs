//! Diagnostics shown to people and to machines: [`Printer::text`] for a terminal, with the source
//! line under each message and a marker under its column, grouped by file; [`Printer::json`] for
//! CI annotations, one JSON object per line; [`Tally`] for the count at the end.
//!
//! ```text
//! error: content/politics/x.md:3:7: `date` is not a date
//!   |
//! 3 | date: 2026-13-01
//!   |       ^
//!   = hint: write it like `2026-11-29` or `2026-11-29T09:30:00+03:00`
//! ```
//!
//! The text may carry colours (ANSI); the CLI edge writes it through a stream that drops them
//! unless stderr is a terminal and `NO_COLOR` is unset.

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

use anstyle::{AnsiColor, Style};
use unicode_width::UnicodeWidthChar;

use crate::error::{Diagnostic, Severity};

/// How diagnostics are printed: `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// For people: the source line, a marker under the column, a hint; grouped by file.
    #[default]
    Text,
    /// For machines: one JSON object per diagnostic and line, on stdout.
    Json,
}

/// Renders diagnostics whose paths are relative to a site's folder.
#[derive(Debug, Clone)]
pub struct Printer {
    /// The site folder, where the files the diagnostics name are read from.
    root: PathBuf,
    /// Whether to colour the text.
    color: bool,
}

const TAB_WIDTH: usize = 4;

impl Printer {
    /// A printer for the site at `root`, with colours or without.
    pub fn new(root: impl Into<PathBuf>, color: bool) -> Self {
        Printer { root: root.into(), color }
    }

    /// `diagnostics` for a terminal: those without a file first, then file by file (in path
    /// order, then by line), each with its source line and hint, a blank line between them.
    pub fn text<'a>(&self, diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> String {
        let mut out = String::new();
        let mut source = SourceCache::default();
        for (idx, diagnostic) in by_file(diagnostics).into_iter().enumerate() {
            if idx > 0 {
                out.push('\n');
            }
            self.one(&mut out, diagnostic, &mut source);
        }
        out
    }

    fn one(&self, out: &mut String, diagnostic: &Diagnostic, source: &mut SourceCache) {
        let marker = self
            .paint(severity_style(diagnostic.severity), format_args!("{}: ", diagnostic.severity));
        let origin = match diagnostic.shown_origin() {
            Some(origin) => self.paint(Style::new().bold(), format_args!("{origin}: ")),
            None => String::new(),
        };
        let _ = writeln!(out, "{marker}{origin}{}", diagnostic.text());
        let at = diagnostic.location().and_then(|at| Some((at, at.line?)));
        let line_text = at.and_then(|(at, line)| source.line(&self.root.join(&at.path), line));
        let gutter = self.paint(gutter_style(), "|");
        let mut pad = String::new();
        if let (Some((at, line)), Some(text)) = (at, line_text) {
            pad = " ".repeat(line.to_string().len());
            let (shown, before) = expand(&text, at.col.unwrap_or(1));
            let _ = writeln!(out, "{pad} {gutter}");
            let _ = writeln!(out, "{} {gutter} {shown}", self.paint(gutter_style(), line));
            if at.col.is_some() {
                let caret = self.paint(severity_style(diagnostic.severity), "^");
                let _ = writeln!(out, "{pad} {gutter} {}{caret}", " ".repeat(before));
            }
        }
        let hint = self.paint(Style::new().bold(), "hint");
        let _ = writeln!(out, "{pad} = {hint}: {}", diagnostic.hint());
    }

    fn paint(&self, style: Style, text: impl fmt::Display) -> String {
        if self.color { format!("{style}{text}{style:#}") } else { text.to_string() }
    }

    /// `diagnostics` as JSON lines: `{"severity", "file", "line", "column", "origin", "message",
    /// "hint"}`, where `file`, `line` and `column` are null when not known and `origin` names a
    /// flag or an environment variable a diagnostic is about.
    pub fn json<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> String {
        let mut out = String::new();
        for diagnostic in diagnostics {
            let at = diagnostic.location();
            let origin = match (&diagnostic.origin, at) {
                (_, Some(_)) | (crate::error::Origin::None, _) => None,
                (origin, None) => Some(origin.to_string()),
            };
            let object = serde_json::json!({
                "severity": diagnostic.severity.to_string(),
                "file": at.map(|at| at.path.to_string_lossy().replace('\\', "/")),
                "line": at.and_then(|at| at.line),
                "column": at.and_then(|at| at.col),
                "origin": origin,
                "message": diagnostic.text(),
                "hint": diagnostic.hint(),
            });
            let _ = writeln!(out, "{object}");
        }
        out
    }
}

/// `diagnostics` in the order shown: those without a file first, then by path and line; found
/// order otherwise.
fn by_file<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Vec<&'a Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = diagnostics.into_iter().collect();
    sorted.sort_by_key(|d| d.location().map(|at| (at.path.clone(), at.line.unwrap_or(0))));
    sorted
}

fn severity_style(severity: Severity) -> Style {
    let color = match severity {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
    };
    Style::new().bold().fg_color(Some(color.into()))
}

fn gutter_style() -> Style {
    Style::new().bold().fg_color(Some(AnsiColor::Blue.into()))
}

/// `line` as shown (tabs as spaces, other control characters as `�`) and how many columns of it
/// come before character `col` (1-based): where the marker goes. Combining marks (tashkeel) take
/// no column, wide characters two. A line wider than [`SHOWN_COLUMNS`] (a minified template, a
/// 200 KB paragraph) is cut to a window around the column, with `…` where it was cut.
fn expand(line: &str, col: usize) -> (String, usize) {
    let cells: Vec<(String, usize)> = line
        .chars()
        .map(|ch| match ch {
            '\t' => (" ".repeat(TAB_WIDTH), TAB_WIDTH),
            c if c.is_control() => ("\u{FFFD}".to_string(), 1),
            c => (c.to_string(), c.width().unwrap_or(0)),
        })
        .collect();
    let at = col.saturating_sub(1).min(cells.len());
    let width = |range: std::ops::Range<usize>| cells[range].iter().map(|c| c.1).sum::<usize>();
    // The window starts far enough back to show what leads to the column, and runs on as far
    // as the width allows.
    let mut start = at;
    while start > 0 && width(start - 1..at) <= SHOWN_COLUMNS / 3 {
        start -= 1;
    }
    if width(0..at) <= SHOWN_COLUMNS / 3 {
        start = 0;
    }
    let mut end = start;
    while end < cells.len() && width(start..end + 1) <= SHOWN_COLUMNS {
        end += 1;
    }
    let mut shown = String::with_capacity(line.len().min(SHOWN_COLUMNS * 4));
    let mut before = width(start..at);
    if start > 0 {
        shown.push('…');
        before += 1;
    }
    cells[start..end].iter().for_each(|(text, _)| shown.push_str(text));
    if end < cells.len() {
        shown.push('…');
    }
    (shown, before)
}

/// The widest part of a source line shown under a diagnostic, in columns.
const SHOWN_COLUMNS: usize = 100;

/// The files diagnostics point at, read once each.
#[derive(Default)]
struct SourceCache {
    path: PathBuf,
    text: Option<String>,
}

impl SourceCache {
    /// Line `number` (1-based) of the file at `path`, without its line end; `None` if the file
    /// can't be read or is shorter.
    fn line(&mut self, path: &Path, number: usize) -> Option<String> {
        if self.path != path {
            self.path = path.to_path_buf();
            // Diagnostics name files of any size (a 50 MB article): only lines are kept.
            self.text = std::fs::read(path).ok().map(|b| String::from_utf8_lossy(&b).into_owned());
        }
        let line = self.text.as_deref()?.split('\n').nth(number.checked_sub(1)?)?;
        Some(line.strip_suffix('\r').unwrap_or(line).to_string())
    }
}

/// How many errors and warnings, in how many files: `3 errors, 2 warnings in 4 files`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Diagnostics that are errors.
    pub errors: usize,
    /// Diagnostics that are warnings.
    pub warnings: usize,
    /// Distinct files they point at.
    pub files: usize,
}

impl Tally {
    /// Counts `diagnostics`.
    pub fn of<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Self {
        let mut tally = Tally::default();
        let mut files = BTreeSet::new();
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => tally.errors += 1,
                Severity::Warning => tally.warnings += 1,
            }
            if let Some(at) = diagnostic.location() {
                files.insert(&at.path);
            }
        }
        tally.files = files.len();
        tally
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        let mut parts = Vec::new();
        if self.errors > 0 {
            parts.push(plural(self.errors, "error"));
        }
        if self.warnings > 0 || self.errors == 0 {
            parts.push(plural(self.warnings, "warning"));
        }
        f.write_str(&parts.join(", "))?;
        if self.files > 0 {
            write!(f, " in {}", plural(self.files, "file"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Location, Origin};

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir
    }

    #[test]
    fn the_source_line_is_shown_with_a_marker_under_the_column() {
        let dir = site(&[("content/a.md", "---\ntitle: «خبر»\ndate: 2026-13-01\n---\n")]);
        let printer = Printer::new(dir.path(), false);
        let d = Diagnostic::front_matter(Location::at("content/a.md", 3, 7), "not a date")
            .with_hint("write it like `2026-11-29`");
        assert_eq!(
            printer.text([&d]),
            "error: content/a.md:3:7: not a date\n  |\n3 | date: 2026-13-01\n  |       ^\n  = hint: write it like `2026-11-29`\n"
        );
    }

    #[test]
    fn tashkeel_takes_no_column_and_a_tab_four() {
        // «كَتَبَ» is six characters, three of them harakat: `x` after it and a space is at column 4.
        assert_eq!(expand("كَتَبَ x", 8), ("كَتَبَ x".to_string(), 4));
        assert_eq!(expand("\tx: 1", 2), ("    x: 1".to_string(), 4));
        assert_eq!(expand("a\u{1b}b", 3), ("a\u{FFFD}b".to_string(), 2));
        // A long line is cut to a window around the column.
        let long = format!("{}X{}", "ن".repeat(5000), "م".repeat(5000));
        let (shown, before) = expand(&long, 5001);
        assert_eq!(shown.chars().count(), SHOWN_COLUMNS + 2, "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().nth(before), Some('X'), "the marker is under the column");
        let (shown, before) = expand(&long, 3);
        assert_eq!((shown.chars().next(), before), (Some('ن'), 2), "near the start: not cut there");
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn a_diagnostic_without_a_line_shows_only_its_hint() {
        let dir = site(&[]);
        let printer = Printer::new(dir.path(), false);
        let flag =
            Diagnostic::config(Origin::Flag("--output"), "is the site").with_hint("pick one");
        assert_eq!(printer.text([&flag]), "error: --output: is the site\n = hint: pick one\n");
        let folder = Diagnostic::content(Location::file("content/x"), "no `_index.md`").warning();
        let shown = printer.text([&folder]);
        assert!(shown.starts_with("warning: content/x: no `_index.md`\n = hint: "), "{shown}");
    }

    #[test]
    fn diagnostics_are_grouped_by_file_and_line() {
        let dir = site(&[]);
        let at = |path: &str, line| Location::at(path, line, 1);
        let found = [
            Diagnostic::front_matter(at("content/b.md", 2), "b2"),
            Diagnostic::front_matter(at("content/a.md", 9), "a9"),
            Diagnostic::internal("inside"),
            Diagnostic::front_matter(at("content/b.md", 1), "b1").warning(),
            Diagnostic::front_matter(at("content/a.md", 3), "a3"),
        ];
        let shown = Printer::new(dir.path(), false).text(&found);
        let order: Vec<&str> = shown
            .lines()
            .filter(|l| l.starts_with("error") || l.starts_with("warning"))
            .map(|l| l.rsplit(' ').next().unwrap_or(""))
            .collect();
        assert_eq!(order, ["inside", "a3", "a9", "b1", "b2"]);
        assert_eq!(Tally::of(&found).to_string(), "4 errors, 1 warning in 2 files");
    }

    #[test]
    fn colours_only_when_asked() {
        let dir = site(&[("a.md", "x\n")]);
        let d = Diagnostic::front_matter(Location::at("a.md", 1, 1), "bad");
        assert!(!Printer::new(dir.path(), false).text([&d]).contains('\u{1b}'));
        assert!(Printer::new(dir.path(), true).text([&d]).contains("\u{1b}["));
    }

    #[test]
    fn json_has_one_object_per_line() {
        let found = [
            Diagnostic::front_matter(Location::at("content/a.md", 3, 7), "«خبر» \"x\""),
            Diagnostic::config(Origin::Flag("--output"), "is the site").warning(),
        ];
        let lines: Vec<serde_json::Value> = Printer::json(&found)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON object"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["severity"], "error");
        assert_eq!(lines[0]["file"], "content/a.md");
        assert_eq!(lines[0]["line"], 3);
        assert_eq!(lines[0]["column"], 7);
        assert_eq!(lines[0]["message"], "«خبر» \"x\"");
        assert_eq!(lines[0]["hint"], found[0].hint());
        assert_eq!(lines[1]["severity"], "warning");
        assert_eq!(lines[1]["file"], serde_json::Value::Null);
        assert_eq!(lines[1]["origin"], "--output");
    }

    #[test]
    fn tallies() {
        let t = |errors, warnings, files| Tally { errors, warnings, files }.to_string();
        assert_eq!(t(1, 0, 1), "1 error in 1 file");
        assert_eq!(t(0, 2, 3), "2 warnings in 3 files");
        assert_eq!(t(2, 1, 0), "2 errors, 1 warning");
        assert_eq!(t(0, 0, 0), "0 warnings");
    }
}
