//! Writing one file whose folder may not exist yet, for the commands that make files outside the
//! output: `midad init` and `midad new` (`start`), `midad import` (`import`) and the built-in
//! theme written out to the cache (`theme`). The output folder is `output`'s alone: it stages and
//! swaps, and does not use this.

use std::path::Path;

/// Writes `contents` to `path`, making its parent folders first.
pub(crate) fn write_creating_parents(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents)
}
