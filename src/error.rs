//! Typed errors with their location as data.
//!
//! Every error a user can cause names the file (relative to the site root) and, where we know it,
//! the line and column, and says how to fix it. The CLI edge (`main.rs`) renders them; library code
//! never prints. Loading collects errors instead of stopping at the first one, so a build reports
//! every bad file at once (see [`Errors`]).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// A place in a file of the site: `content/politics/x.md:4:7`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub col: Option<usize>,
}

impl Location {
    /// A location that names only a file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Location { path: path.into(), line: None, col: None }
    }

    /// A location at a line and column of a file.
    pub fn at(path: impl Into<PathBuf>, line: usize, col: usize) -> Self {
        Location { path: path.into(), line: Some(line), col: Some(col) }
    }

    /// The location of byte `offset` in `text`, a file read from `path`.
    pub fn from_offset(path: impl Into<PathBuf>, text: &str, offset: usize) -> Self {
        let (line, col) = line_col(text, offset);
        Location::at(path, line, col)
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

/// Everything that can go wrong in a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// What we tried to read.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: io::Error,
    },
    /// A file or folder could not be written.
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        /// What we tried to write.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: io::Error,
    },
    /// `config.toml` is invalid.
    #[error("{at}: {message}")]
    Config {
        /// Where.
        at: Location,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The front matter of a content file is invalid.
    #[error("{at}: {message}")]
    FrontMatter {
        /// Where.
        at: Location,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A content file is valid on its own but conflicts with the site (a duplicate URL, …).
    #[error("{at}: {message}")]
    Content {
        /// Where.
        at: Location,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A data file under `data/` is invalid.
    #[error("{at}: {message}")]
    Data {
        /// Where.
        at: Location,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A template failed to parse or to render.
    #[error("{at}: {message}")]
    Template {
        /// The template file (and line and column for syntax errors).
        at: Location,
        /// What is wrong.
        message: String,
    },
    /// A theme is missing or incomplete.
    #[error("{message}")]
    Theme {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Something inside midad failed that the user can't fix by editing the site.
    #[error("internal error: {message}")]
    Internal {
        /// What failed.
        message: String,
    },
}

impl Error {
    /// An error reading `path`.
    pub fn read(path: &Path, source: io::Error) -> Self {
        Error::Read { path: path.to_path_buf(), source }
    }

    /// An error writing `path`.
    pub fn write(path: &Path, source: io::Error) -> Self {
        Error::Write { path: path.to_path_buf(), source }
    }

    /// The location this error points at, if any.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Config { at, .. }
            | Error::FrontMatter { at, .. }
            | Error::Content { at, .. }
            | Error::Data { at, .. }
            | Error::Template { at, .. } => Some(at),
            Error::Read { .. }
            | Error::Write { .. }
            | Error::Theme { .. }
            | Error::Internal { .. } => None,
        }
    }

    /// Whether the user caused this error (exit code 1) or midad did (exit code 2).
    pub fn is_internal(&self) -> bool {
        matches!(self, Error::Internal { .. })
    }
}

/// One or more errors, reported together.
#[derive(Debug)]
pub struct Errors(pub Vec<Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (idx, err) in self.0.iter().enumerate() {
            if idx > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {err}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Error> for Errors {
    fn from(err: Error) -> Self {
        Errors(vec![err])
    }
}

/// The result of a step that stops at its first error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, offset: usize, expect: (usize, usize)) {
        assert_eq!(line_col(text, offset), expect);
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        check("abc", 0, (1, 1));
        check("abc\ndef", 5, (2, 2));
        // «عنوان» is 5 letters of 2 bytes each: byte 10 is column 6.
        check("title: عنوان\nx", 17, (1, 13));
        check("title: عنوان\nx", 18, (2, 1));
        check("عنوان", 10, (1, 6));
        // An offset inside a character snaps back to its start.
        check("عنوان", 3, (1, 2));
        check("a\n", 99, (2, 1));
    }

    #[test]
    fn location_display() {
        assert_eq!(Location::at("content/a.md", 4, 7).to_string(), "content/a.md:4:7");
        assert_eq!(Location::file("config.toml").to_string(), "config.toml");
    }
}
