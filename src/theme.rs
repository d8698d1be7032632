//! Where a site's theme lives: `themes/<name>/` in the site folder, or, for the default theme
//! when the site has no folder of that name, inside the binary.
//!
//! The built-in theme is written out once to `<cache>/themes/<name>-<hash>/` (the hash of its
//! files, so a new binary with another theme gets another folder and an edited folder is never
//! mistaken for it) and read from there like any theme folder: templates, strings and static
//! files all come from one path. A site's own `themes/<name>/` always wins.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use include_dir::{Dir, include_dir};

use crate::file::write_creating_parents;

/// The theme inside the binary, the one `midad init` sets up.
pub const BUILT_IN: &str = "akhbar";

static BUILT_IN_FILES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/akhbar");

/// The folder of theme `name` for the site at `root`: relative to `root` when it is the site's
/// (`themes/akhbar`), absolute when it is the built-in theme written out under `cache` (relative
/// to `root`). None when the site has no such folder and the name is not the built-in theme's.
pub fn folder(root: &Path, cache: &str, name: &str) -> std::io::Result<Option<PathBuf>> {
    let own = Path::new("themes").join(name);
    if root.join(&own).is_dir() {
        return Ok(Some(own));
    }
    if name != BUILT_IN {
        return Ok(None);
    }
    let dir = root.join(cache).join("themes").join(format!("{name}-{:016x}", built_in_hash()));
    if !dir.join(COMPLETE).is_file() {
        write_out(&dir)?;
    }
    Ok(Some(std::path::absolute(dir)?))
}

/// Whether `name` is served from inside the binary for the site at `root`.
pub fn is_built_in(root: &Path, name: &str) -> bool {
    name == BUILT_IN && !root.join("themes").join(name).is_dir()
}

/// The hash of every file of the built-in theme, by path and contents. Computed once per
/// process: the files are in the binary, and a build asks for it more than once (the build
/// cache's settings, the theme's folder), as does `serve` each time it reloads the templates or
/// static files.
pub fn built_in_hash() -> u64 {
    static HASH: OnceLock<u64> = OnceLock::new();
    *HASH.get_or_init(|| {
        let mut fp = crate::fingerprint::Fingerprint::new();
        for_each_file(&BUILT_IN_FILES, &mut |path, contents| {
            fp.add(&path.to_string_lossy()).add(contents);
        });
        fp.finish()
    })
}

/// Copies the built-in theme into `dir` (which must not exist or be empty), for a site that
/// edits it: `midad init --theme-copy`.
pub fn copy_built_in(dir: &Path) -> std::io::Result<()> {
    let mut result = Ok(());
    for_each_file(&BUILT_IN_FILES, &mut |path, contents| {
        if result.is_ok() {
            result = write_creating_parents(&dir.join(path), contents);
        }
    });
    result
}

/// Written last into a written-out theme: a folder without it was cut short and is written again.
const COMPLETE: &str = ".complete";

/// Writes the built-in theme to `dir` through a folder beside it, renamed into place when
/// complete, so two builds at once, or one killed half way, never leave half a theme.
fn write_out(dir: &Path) -> std::io::Result<()> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let staging = parent.join(format!(".{name}.{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    copy_built_in(&staging)?;
    write_creating_parents(&staging.join(COMPLETE), b"")?;
    let _ = std::fs::remove_dir_all(dir);
    match std::fs::rename(&staging, dir) {
        Ok(()) => Ok(()),
        // Another build wrote it meanwhile: theirs is the same theme.
        Err(_) if dir.join(COMPLETE).is_file() => std::fs::remove_dir_all(&staging),
        Err(err) => Err(err),
    }
}

/// Calls `f` with the path (relative to the theme) and contents of every file, in path order.
fn for_each_file(dir: &Dir<'static>, f: &mut dyn FnMut(&Path, &[u8])) {
    let mut entries: Vec<_> = dir.entries().iter().collect();
    entries.sort_by_key(|entry| entry.path());
    for entry in entries {
        match entry {
            include_dir::DirEntry::Dir(sub) => for_each_file(sub, f),
            include_dir::DirEntry::File(file) => f(file.path(), file.contents()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The written-out theme holds every file of `themes/akhbar` byte for byte, and a site's
    /// own folder of the same name wins over it.
    #[test]
    fn the_built_in_theme_is_the_themes_folder() {
        let site = tempfile::tempdir().expect("temp dir");
        let dir = folder(site.path(), ".cache", BUILT_IN).expect("written").expect("built in");
        assert!(dir.is_absolute());
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/akhbar");
        let mut count = 0;
        for entry in walkdir::WalkDir::new(&source).into_iter().flatten() {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&source).expect("under");
                let written = std::fs::read(dir.join(rel)).expect("written file");
                assert_eq!(written, std::fs::read(entry.path()).expect("source"), "{rel:?}");
                count += 1;
            }
        }
        assert!(count > 40, "{count} files");
        assert!(is_built_in(site.path(), BUILT_IN));
        std::fs::create_dir_all(site.path().join("themes/akhbar")).expect("own theme");
        let own = folder(site.path(), ".cache", BUILT_IN).expect("found").expect("own");
        assert_eq!(own, Path::new("themes/akhbar"));
        assert!(!is_built_in(site.path(), BUILT_IN));
        assert_eq!(folder(site.path(), ".cache", "other").expect("looked"), None);
    }
}
