//! Invariants shared by the fuzz targets: a diagnostic points into the text it is about.

use std::path::Path;

use midad::{Diagnostic, Origin};

/// `diagnostic` names `path`, and its line and column, when it has them, are inside `text`:
/// the line exists and the column is at most one past its last character (columns count
/// characters, not bytes). A location past the end of the file is a wrong location.
pub fn located(diagnostic: &Diagnostic, text: &str, path: &Path) {
    assert!(!diagnostic.message.trim().is_empty(), "empty message: {diagnostic}");
    let Origin::File(at) = &diagnostic.origin else {
        panic!("a parse error points at no file: {diagnostic}");
    };
    assert_eq!(at.path, path, "{diagnostic}");
    if let Some(line) = at.line {
        within(text, line, at.col.unwrap_or(1), &diagnostic.to_string());
    }
}

/// Line `line` of `text` exists and column `col` is at most one past its end.
pub fn within(text: &str, line: usize, col: usize, what: &str) {
    assert!(line >= 1 && col >= 1, "line {line}, column {col}: {what}");
    let Some(line_text) = text.split('\n').nth(line - 1) else {
        panic!("line {line} is past the end of the text: {what}");
    };
    let n_chars = line_text.chars().count();
    assert!(col <= n_chars + 1, "column {col} of a line of {n_chars} characters: {what}");
}
