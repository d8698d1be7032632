//! Writing the files of a new site or article.

use std::path::Path;

use crate::error::Diagnostic;

/// Writes `text` to `path`, making its folder; `shown` is the path errors name.
pub(super) fn write(path: &Path, text: &str, shown: &Path) -> Result<(), Diagnostic> {
    crate::file::write_creating_parents(path, text.as_bytes())
        .map_err(|e| Diagnostic::write(shown, e))
}
