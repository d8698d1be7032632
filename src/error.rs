//! Diagnostics: the errors and warnings of a build, each with what it points at as data.
//!
//! A [`Diagnostic`] has a [`Severity`] (an error fails the build, a warning is reported and the
//! build goes on), a [`Kind`] (which step found it), an [`Origin`] (a file of the site with the
//! line and column where we know them, a command-line flag, an environment variable, or nothing)
//! and a message that says how to fix it. The CLI edge (`main.rs`) and the serve overlay render
//! them; library code never prints. Loading collects errors instead of stopping at the first one,
//! so a build reports every bad file at once (see [`Errors`]).

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// A place in a file of the site: `content/politics/x.md:4:7`. Only ever a file (or folder) of the
/// site: a flag or an environment variable is an [`Origin`] of its own.
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

/// How serious a diagnostic is: an error fails the build, a warning is reported and the build
/// goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The build fails.
    Error,
    /// The build goes on.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// What a diagnostic points at, shown before its message: `content/x.md:4:7: …`, `--output: …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file of the site, with the line and column when known.
    File(Location),
    /// A command-line flag, e.g. `--output`.
    Flag(&'static str),
    /// An environment variable, e.g. `SOURCE_DATE_EPOCH`.
    Env(&'static str),
    /// Nothing a user could open (a missing theme, a failure inside midad).
    None,
}

impl From<Location> for Origin {
    fn from(at: Location) -> Self {
        Origin::File(at)
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(at) => at.fmt(f),
            Origin::Flag(name) | Origin::Env(name) => f.write_str(name),
            Origin::None => Ok(()),
        }
    }
}

/// What kind of problem a diagnostic reports: which step of the build found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A file or folder could not be read.
    Read,
    /// A file or folder could not be written.
    Write,
    /// `config.toml`, a command-line flag or an environment variable is invalid.
    Config,
    /// The front matter of a content file is invalid.
    FrontMatter,
    /// A content file is valid on its own but conflicts with the site (a duplicate URL, …).
    Content,
    /// A data file under `data/` (or a theme's i18n strings) is invalid.
    Data,
    /// A template failed to parse or to render.
    Template,
    /// A theme is missing or incomplete.
    Theme,
    /// A command's arguments do not fit the site (`midad new --section` of no section, a file
    /// that would be overwritten, an export that is not one).
    Command,
    /// Something inside midad failed that the user can't fix by editing the site.
    Internal,
}

/// One problem found by a build: an error or a warning, where it is, and what to do about it.
///
/// Displays as `{origin}: {message}` (`content/politics/x.md:4:7: \`date\` is missing: …`), with
/// the I/O error after a read or write error's message, and `internal error: ` before an
/// internal one's; the severity is for the caller to show (`error: …`, `warning: …`).
#[derive(Debug, thiserror::Error)]
pub struct Diagnostic {
    /// An error or a warning.
    pub severity: Severity,
    /// Which step found it.
    pub kind: Kind,
    /// What it points at.
    pub origin: Origin,
    /// What is wrong and how to fix it.
    pub message: String,
    /// What to do about it, when the message alone does not say (see [`Diagnostic::hint`]).
    hint: Option<String>,
    /// The I/O error behind a read or write error.
    #[source]
    source: Option<io::Error>,
}

impl Diagnostic {
    /// An error of `kind` at `origin`.
    pub fn new(kind: Kind, origin: impl Into<Origin>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            kind,
            origin: origin.into(),
            message: message.into(),
            hint: None,
            source: None,
        }
    }

    /// The same diagnostic with `hint`: what to do about it, shown under the message.
    #[must_use]
    pub fn with_hint(self, hint: impl Into<String>) -> Self {
        Diagnostic { hint: Some(hint.into()), ..self }
    }

    /// The same diagnostic with `hint` when there is one, else as it is.
    #[must_use]
    pub fn with_some_hint(self, hint: Option<impl Into<String>>) -> Self {
        match hint {
            Some(hint) => self.with_hint(hint),
            None => self,
        }
    }

    /// What to do about it: the hint given where the diagnostic was made, else where to look
    /// for its kind of problem.
    pub fn hint(&self) -> &str {
        if let Some(hint) = &self.hint {
            return hint;
        }
        match self.kind {
            Kind::Read => "check that the path exists and that midad may read it",
            Kind::Write => {
                "check that the folder exists, that midad may write to it and that the disk has room"
            }
            Kind::Config => "README.md, «config.toml», lists every key and what it takes",
            Kind::FrontMatter => {
                "front matter is YAML between `---` lines or TOML between `+++` lines; README.md, «Front matter», lists its keys"
            }
            Kind::Content => "README.md, «A site», shows where each kind of file goes",
            Kind::Data => "README.md, «A site», shows what each file under `data/` holds",
            Kind::Template => "Tera's syntax: https://keats.github.io/tera/docs/#templates",
            Kind::Theme => "set `theme` in config.toml to a folder under `themes/`",
            Kind::Command => "`midad help <command>` lists what a command takes",
            Kind::Internal => {
                "this is a fault in midad, not in the site: please report it with the command you ran"
            }
        }
    }

    /// The same diagnostic as a warning: reported, and the build goes on.
    #[must_use]
    pub fn warning(self) -> Self {
        Diagnostic { severity: Severity::Warning, ..self }
    }

    /// An error reading `path`.
    pub fn read(path: &Path, source: io::Error) -> Self {
        let message = format!("cannot read `{}`", path.display());
        Diagnostic {
            source: Some(source),
            ..Diagnostic::new(Kind::Read, Location::file(path), message)
        }
    }

    /// An error writing `path`.
    pub fn write(path: &Path, source: io::Error) -> Self {
        let message = format!("cannot write `{}`", path.display());
        Diagnostic {
            source: Some(source),
            ..Diagnostic::new(Kind::Write, Location::file(path), message)
        }
    }

    /// An invalid `config.toml` (at a [`Location`]), command-line flag or environment variable.
    pub fn config(at: impl Into<Origin>, message: impl Into<String>) -> Self {
        Diagnostic::new(Kind::Config, at, message)
    }

    /// Invalid front matter.
    pub fn front_matter(at: Location, message: impl Into<String>) -> Self {
        Diagnostic::new(Kind::FrontMatter, at, message)
    }

    /// A content file that conflicts with the site, or is not where it belongs.
    pub fn content(at: Location, message: impl Into<String>) -> Self {
        Diagnostic::new(Kind::Content, at, message)
    }

    /// An invalid data file.
    pub fn data(at: Location, message: impl Into<String>) -> Self {
        Diagnostic::new(Kind::Data, at, message)
    }

    /// A template that failed to parse or to render.
    pub fn template(at: Location, message: impl Into<String>) -> Self {
        Diagnostic::new(Kind::Template, at, message)
    }

    /// A missing or incomplete theme.
    pub fn theme(message: impl Into<String>) -> Self {
        Diagnostic::new(Kind::Theme, Origin::None, message)
    }

    /// A failure inside midad.
    pub fn internal(message: impl Into<String>) -> Self {
        Diagnostic::new(Kind::Internal, Origin::None, message)
    }

    /// The file this diagnostic points at, if it points at one.
    pub fn location(&self) -> Option<&Location> {
        match &self.origin {
            Origin::File(at) => Some(at),
            Origin::Flag(_) | Origin::Env(_) | Origin::None => None,
        }
    }

    /// The origin shown before the message, if any: not for a read or write error, whose
    /// message names its path.
    pub fn shown_origin(&self) -> Option<&Origin> {
        match (&self.origin, self.kind) {
            (Origin::None, _) | (_, Kind::Read | Kind::Write) => None,
            (origin, _) => Some(origin),
        }
    }

    /// What is shown after the origin: the message, with the I/O error after it, or after
    /// `internal error: ` for an internal one.
    pub fn text(&self) -> String {
        let mut text = String::new();
        if self.is_internal() {
            text.push_str("internal error: ");
        }
        text.push_str(&self.message);
        if let Some(source) = &self.source {
            text.push_str(": ");
            text.push_str(&source.to_string());
        }
        text
    }

    /// Whether the user caused this diagnostic (exit code 1) or midad did (exit code 2).
    pub fn is_internal(&self) -> bool {
        self.kind == Kind::Internal
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(origin) = self.shown_origin() {
            write!(f, "{origin}: ")?;
        }
        f.write_str(&self.text())
    }
}

/// The errors of a failed build, reported together, with the warnings found before it failed.
/// **Invariant:** every one of the errors has [`Severity::Error`], every one of the warnings
/// [`Severity::Warning`]; the warnings of a build that succeeds go in
/// [`BuildReport::warnings`](crate::BuildReport::warnings).
#[derive(Debug)]
pub struct Errors(Vec<Diagnostic>, Vec<Diagnostic>);

impl Errors {
    /// `errors`, which must all have [`Severity::Error`] (checked in debug builds).
    pub fn new(errors: Vec<Diagnostic>) -> Self {
        debug_assert!(
            errors.iter().all(|d| d.severity == Severity::Error),
            "a warning among the errors of a failed build: {errors:?}"
        );
        Errors(errors, Vec::new())
    }

    /// The same errors with `warnings`, which must all have [`Severity::Warning`].
    #[must_use]
    pub fn with_warnings(self, warnings: Vec<Diagnostic>) -> Self {
        debug_assert!(warnings.iter().all(|d| d.severity == Severity::Warning));
        Errors(self.0, warnings)
    }

    /// The warnings found before the build failed.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.1
    }

    /// Each error, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// How many errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (idx, err) in self.0.iter().enumerate() {
            if idx > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {err}", err.severity)?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Diagnostic> for Errors {
    fn from(err: Diagnostic) -> Self {
        Errors::new(vec![err])
    }
}

/// The result of a step that stops at its first error.
pub type Result<T, E = Diagnostic> = std::result::Result<T, E>;

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

    #[track_caller]
    fn check_display(diagnostic: Diagnostic, expect: &str) {
        assert_eq!(diagnostic.to_string(), expect);
        // A warning displays as the same error would: the caller shows the severity.
        assert_eq!(diagnostic.warning().to_string(), expect);
    }

    #[test]
    fn each_origin_displays_before_the_message() {
        check_display(
            Diagnostic::front_matter(Location::at("content/a.md", 4, 7), "`date` is missing"),
            "content/a.md:4:7: `date` is missing",
        );
        check_display(
            Diagnostic::content(Location::file("content/sports"), "no `_index.md`"),
            "content/sports: no `_index.md`",
        );
        check_display(
            Diagnostic::config(Origin::Flag("--output"), "choose another"),
            "--output: choose another",
        );
        check_display(
            Diagnostic::config(Origin::Env("SOURCE_DATE_EPOCH"), "must be seconds"),
            "SOURCE_DATE_EPOCH: must be seconds",
        );
        check_display(Diagnostic::theme("theme `x` not found"), "theme `x` not found");
        check_display(Diagnostic::internal("no build"), "internal error: no build");
    }

    #[test]
    fn read_and_write_errors_name_their_path_and_the_io_error() {
        let io = || io::Error::new(io::ErrorKind::NotFound, "gone");
        let read = Diagnostic::read(Path::new("data/w.toml"), io());
        assert_eq!(read.location(), Some(&Location::file("data/w.toml")));
        assert_eq!(read.shown_origin(), None);
        assert!(std::error::Error::source(&read).is_some());
        check_display(read, "cannot read `data/w.toml`: gone");
        check_display(Diagnostic::write(Path::new("public"), io()), "cannot write `public`: gone");
    }

    #[test]
    fn only_files_are_locations() {
        let at = Location::at("content/a.md", 1, 1);
        assert_eq!(Diagnostic::front_matter(at.clone(), "x").location(), Some(&at));
        assert_eq!(Diagnostic::config(Origin::Flag("--port"), "x").location(), None);
        assert_eq!(Diagnostic::config(Origin::Env("SOURCE_DATE_EPOCH"), "x").location(), None);
        assert_eq!(Diagnostic::theme("x").location(), None);
    }

    #[test]
    fn severities_display_as_the_cli_prefixes_them() {
        let errors = Errors::new(vec![
            Diagnostic::content(Location::file("content/a.md"), "one"),
            Diagnostic::internal("two"),
        ]);
        assert_eq!(errors.to_string(), "error: content/a.md: one\nerror: internal error: two");
        assert_eq!(Severity::Warning.to_string(), "warning");
        let warning = Diagnostic::data(Location::file("data/most_read.toml"), "x").warning();
        assert_eq!(warning.severity, Severity::Warning);
        assert!(!warning.is_internal());
        assert!(errors.iter().any(Diagnostic::is_internal));
    }

    /// A warning among a failed build's errors is a bug in midad: debug builds (and so the tests)
    /// refuse it where `Errors` is made, instead of printing it as an error.
    #[cfg(debug_assertions)]
    #[test]
    fn errors_refuse_a_warning() {
        let warning = Diagnostic::content(Location::file("content/sports"), "x").warning();
        // `AssertUnwindSafe`: the warning is moved in, and nothing is used after the panic.
        let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| Errors::from(warning)));
        assert!(made.is_err(), "a warning was accepted as an error");
    }
}
