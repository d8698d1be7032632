//! Writing the files of a new site or article.

use std::path::Path;

use crate::error::Diagnostic;

/// Writes `text` to `path`, making its folder; `shown` is the path errors name.
pub(super) fn write(path: &Path, text: &str, shown: &Path) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Diagnostic::write(shown, e))?;
    }
    std::fs::write(path, text).map_err(|e| Diagnostic::write(shown, e))
}
