//! Putting a staged output in place, and recovering from a build killed while it did.
//!
//! On Linux the staging folder and the output trade places in one `renameat2` with
//! `RENAME_EXCHANGE`, so a reader, or a build killed at any moment, finds the old output or the
//! new one, never none. Elsewhere, and on file systems without the exchange, the output is
//! renamed aside and the staging folder renamed into its place; a build killed between the two
//! renames leaves the old output aside, and the next build puts it back before it reads anything.
//!
//! Folders the new output takes over whole from the old one (a site's photos, see
//! `Staging::folders_to_move`) can only leave the old output once it is out of place: for the few
//! renames that takes, the new output lacks them. A journal beside the output
//! (`.public.midad-swap`) names them before the swap, and a build killed meanwhile leaves it for
//! the next, which finishes the move before it reads the output ([`recover`]).
//!
//! What a build keeps beside the output is named `.public.midad-<kind>` ([`beside`]), and bound
//! to the output it describes by the output's [`identity`]. What a killed build
//! leaves there (the staging folder, the old output, half-written `…-tmp` files, the manifest of
//! an output that never got in place) is removed by the next one's [`recover`]; a manifest
//! written for the new output before the swap, and named after it (see [`next_manifest_path`]),
//! becomes the manifest if that output is the one in place.
//!
//! After a swap whose build knew where the new output differs from the old, the old output is
//! kept as the spare instead of removed, with a journal of those differences (see `spare`).

use std::io;
use std::path::{Path, PathBuf};

use foldhash::HashSet;
use rayon::prelude::*;

use crate::error::Diagnostic;

/// A file a build keeps for the next one, `kind` of them (`.public.midad-<kind>`): beside the
/// output folder, like its staging folder, so it is never deployed.
pub fn beside(output: &Path, kind: &str) -> Option<PathBuf> {
    let name = output.file_name()?.to_str()?;
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(parent.join(format!(".{name}.midad-{kind}")))
}

/// Where the manifest of the build in `output` is kept (see `render::Memo`).
pub fn manifest_path(output: &Path) -> Option<PathBuf> {
    beside(output, "manifest")
}

/// Replaces the file at `path` with `text` whole: it is written beside (`<path>-tmp`) and
/// renamed, so a build killed meanwhile never leaves half of it for the next one to read.
pub fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    replace_file_with(path, |file| file.write_all(text.as_bytes()))
}

/// [`replace_file`] with what `write` writes, buffered: for a large file, which would otherwise
/// be made whole in memory first.
pub fn replace_file_with(
    path: &Path,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push("-tmp");
    let mut file = std::io::BufWriter::with_capacity(256 * 1024, std::fs::File::create(&temp)?);
    write(&mut file)?;
    file.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    std::fs::rename(temp, path)
}

/// What tells the output folder at `path` from any other folder that was or will be there: its
/// inode with its birth time (its modification time where the file system keeps none), which a
/// rename keeps. A manifest names the identity of the output it describes, and is trusted only
/// beside that output.
#[cfg(unix)]
pub fn identity(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    let born = meta.created().ok().and_then(|at| at.duration_since(std::time::UNIX_EPOCH).ok());
    let (secs, nanos) = match born {
        Some(at) => (at.as_secs(), u64::from(at.subsec_nanos())),
        None => (meta.mtime() as u64, meta.mtime_nsec() as u64),
    };
    Some(crate::fingerprint::of(&[meta.dev(), meta.ino(), secs, nanos]))
}

/// What tells the output folder at `path` from any other folder that was or will be there: its
/// birth time, or its modification time.
#[cfg(not(unix))]
pub fn identity(path: &Path) -> Option<u64> {
    let meta = std::fs::metadata(path).ok()?;
    let at = meta.created().or_else(|_| meta.modified()).ok()?;
    let at = at.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(crate::fingerprint::of(&[at.as_secs(), u64::from(at.subsec_nanos())]))
}

/// Removes the folder `dir` and everything in it, its top-level entries in parallel (a site's
/// output is one folder per page, too many to remove one by one on one core).
pub(super) fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().try_for_each(|entry| {
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())
        } else {
            std::fs::remove_file(entry.path())
        }
    })?;
    std::fs::remove_dir(dir)
}

/// The output folder and what a build keeps beside it while it swaps.
#[derive(Debug, Clone)]
pub(super) struct Places {
    /// The output folder, `public`.
    pub(super) output: PathBuf,
    /// The folder it is in.
    pub(super) parent: PathBuf,
    /// `.public.midad-staging`: the new output while it is written; the old one after an
    /// exchange, until it is removed.
    pub(super) staging: PathBuf,
    /// `.public.midad-old`: the old output after a swap by two renames, until it is removed.
    pub(super) old: PathBuf,
    /// `.public.midad-swap`: the folders a swap moves from the old output into the new one.
    pub(super) journal: PathBuf,
    /// `.public.midad-spare`: the output before the one in place, kept between builds for the
    /// next to bring up to date (see `spare`).
    pub(super) spare: PathBuf,
    /// `.public.midad-spare-changes`: where the spare differs from the output in place.
    pub(super) spare_changes: PathBuf,
    /// `.public.midad-`: how every name beside the output starts.
    prefix: String,
}

impl Places {
    pub(super) fn of(output: &Path) -> Places {
        let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let prefix = format!(".{name}.midad-");
        Places {
            output: output.to_path_buf(),
            staging: parent.join(format!("{prefix}staging")),
            old: parent.join(format!("{prefix}old")),
            journal: parent.join(format!("{prefix}swap")),
            spare: parent.join(format!("{prefix}spare")),
            spare_changes: parent.join(format!("{prefix}spare-changes")),
            parent,
            prefix,
        }
    }
}

/// Where the manifest of the output with `identity` waits while that output is not in place
/// yet: beside the output, `.public.midad-manifest-<identity>`.
pub fn next_manifest_path(output: &Path, identity: u64) -> Option<PathBuf> {
    beside(output, &format!("manifest-{identity:016x}"))
}

/// A folder a swap moves from the old output into the new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Move {
    /// Path relative to the output root.
    pub(super) path: String,
    /// The names of the files it holds that the new output has not: removed before it moves.
    pub(super) stale: Vec<String>,
}

/// The first word of a journal, with its format version.
const JOURNAL_FORMAT: &str = "midad-swap 1";

/// The journal of a swap: the new output, by its [`identity`], and the folders that move into it
/// once it is in place. One line per folder: its path, then the names it loses, tab-separated
/// (`folders_to_move` never moves a folder whose path or names hold a tab or a newline).
fn journal_text(identity: u64, moves: &[Move]) -> String {
    let mut text = format!("{JOURNAL_FORMAT}\t{identity:016x}\n");
    for folder in moves {
        text.push_str(&folder.path);
        for name in &folder.stale {
            text.push('\t');
            text.push_str(name);
        }
        text.push('\n');
    }
    text
}

/// The new output's identity and the folders of a journal's `text`; `None` if it is not one.
fn read_journal(text: &str) -> Option<(u64, Vec<Move>)> {
    let mut lines = text.lines();
    let (format, identity) = lines.next()?.rsplit_once('\t')?;
    if format != JOURNAL_FORMAT {
        return None;
    }
    let identity = u64::from_str_radix(identity, 16).ok()?;
    let moves = lines
        .map(|line| {
            let mut parts = line.split('\t').map(str::to_string);
            let path = parts.next().unwrap_or_default();
            Move { path, stale: parts.collect() }
        })
        .filter(|folder| !folder.path.is_empty())
        .collect();
    Some((identity, moves))
}

/// Puts the staged output with `identity` in place of the old one, moving the `moves` folders
/// into it. Before the swap, a failure leaves the old output in place and is returned as it is;
/// after it, see [`finish`].
pub(super) fn swap(places: &Places, identity: Option<u64>, moves: &[Move]) -> io::Result<()> {
    let journal = match (identity, moves.is_empty()) {
        (Some(identity), false) => Some(journal_text(identity, moves)),
        // Without an identity (the staging folder could not be looked at) no next build could
        // tell whether the swap happened: no journal, and a kill before the folders moved
        // leaves the new output without them.
        _ => None,
    };
    if let Some(text) = &journal {
        replace_file(&places.journal, text)?;
    }
    if let Err(err) = swap_folders(places) {
        let _ = std::fs::remove_file(&places.journal);
        return Err(err);
    }
    Ok(())
}

/// Swaps the staging folder in: the old output ends up as `places.staging` (exchanged) or
/// `places.old` (renamed aside), or nowhere if there was none.
fn swap_folders(places: &Places) -> io::Result<()> {
    let Places { output, staging, old, .. } = places;
    if std::fs::symlink_metadata(output).is_err() {
        return std::fs::rename(staging, output);
    }
    if exchange(staging, output)? {
        return Ok(());
    }
    std::fs::rename(output, old)?;
    if let Err(err) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(old, output);
        return Err(err);
    }
    Ok(())
}

/// Trades the places of the folders `a` and `b` in one step: `Ok(false)` where the system or
/// the file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: `a` and `b` are NUL-terminated and outlive the call, which only reads them.
    let res = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if res == 0 {
        return Ok(true);
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(err),
    }
}

/// Trades the places of the folders `a` and `b` in one step: never here.
#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Completes a swap whose new output is in place: the `moves` folders move into it, the
/// manifest written for it becomes its manifest, and the old output is removed, or kept as the
/// spare when the build knows where the two differ (`to_spare`). Run again on what it left half
/// done, it does what is left.
pub(super) fn finish(
    places: &Places,
    moves: &[Move],
    to_spare: Option<&Differences>,
) -> Result<(), Diagnostic> {
    let output = &places.output;
    move_folders(places, moves).map_err(|(folder, err)| {
        let path = output.join(&folder);
        let message = format!(
            "cannot move `{}` into the new output ({err}): the next `midad build` moves it",
            path.display()
        );
        Diagnostic::new(crate::error::Kind::Write, crate::error::Location::file(path), message)
    })?;
    promote_manifest(output).map_err(|e| Diagnostic::write(output, e))?;
    match std::fs::remove_file(&places.journal) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            return Err(Diagnostic::write(&places.journal, e));
        }
        _ => {}
    }
    let mut to_spare = to_spare;
    for old in [&places.staging, &places.old] {
        if std::fs::symlink_metadata(old).is_err() {
            continue;
        }
        // An old output that cannot become the spare is removed, as it is without one.
        if let Some(differences) = to_spare.take()
            && keep_spare(places, old, differences).is_ok()
        {
            continue;
        }
        remove_tree(old).map_err(|e| Diagnostic::write(old, e))?;
    }
    Ok(())
}

/// Moves each of `moves` from the old output (the staging folder after an exchange, the old
/// folder after two renames) into the new one, in place: the files new to it, which wait in the
/// new output's folder of that name, go into the old folder first, and its stale files leave
/// it. A folder no longer in the old output has moved already. On failure, the folder's path.
fn move_folders(places: &Places, moves: &[Move]) -> Result<(), (String, io::Error)> {
    for folder in moves {
        let new = places.output.join(&folder.path);
        let Some(old) = [&places.staging, &places.old]
            .iter()
            .map(|r| r.join(&folder.path))
            .find(|p| p.is_dir())
        else {
            continue;
        };
        let moved = (|| {
            if new.is_dir() {
                for entry in std::fs::read_dir(&new)? {
                    let entry = entry?;
                    std::fs::rename(entry.path(), old.join(entry.file_name()))?;
                }
                std::fs::remove_dir(&new)?;
            }
            for name in &folder.stale {
                match std::fs::remove_file(old.join(name)) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
            std::fs::rename(&old, &new)
        })();
        moved.map_err(|err| (folder.path.clone(), err))?;
    }
    Ok(())
}

/// Makes the manifest written for the output now in place (see [`next_manifest_path`]) its
/// manifest, if there is one. Never removes the manifest there is: a build killed after this
/// step and before the end of the swap has this step run again by the next build's [`recover`],
/// and the manifest there is then the one just promoted.
fn promote_manifest(output: &Path) -> io::Result<()> {
    let (Some(current), Some(next)) =
        (manifest_path(output), identity(output).and_then(|id| next_manifest_path(output, id)))
    else {
        return Ok(());
    };
    match std::fs::rename(&next, &current) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Finishes or undoes what a killed build left beside `output`, before anything reads it: moves
/// the folders of a swap that happened into the new output, puts back an old output renamed
/// aside, gives the output in place the manifest written for it, and removes everything else a
/// build leaves there while it runs. Does nothing (but look) after a build that finished.
pub fn recover(output: &Path) -> Result<(), Diagnostic> {
    let places = Places::of(output);
    if let Ok(text) = std::fs::read_to_string(&places.journal) {
        let swapped = read_journal(&text)
            .filter(|(new, _)| identity(output) == Some(*new))
            .map(|(_, moves)| moves);
        if let Some(moves) = swapped {
            finish(&places, &moves, None)?;
        }
        match std::fs::remove_file(&places.journal) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(Diagnostic::write(&places.journal, e));
            }
            _ => {}
        }
    }
    if std::fs::symlink_metadata(output).is_err() && places.old.is_dir() {
        std::fs::rename(&places.old, output).map_err(|e| Diagnostic::write(output, e))?;
    }
    let next = identity(output).and_then(|id| next_manifest_path(output, id));
    if next.as_ref().is_some_and(|next| next.is_file()) {
        promote_manifest(output).map_err(|e| Diagnostic::write(output, e))?;
    }
    remove_leftovers(&places)
}

/// Removes what a build leaves beside the output only while it runs: the staging and old
/// folders, half-written files (`…-tmp`) and manifests waiting for an output (`manifest-…`).
fn remove_leftovers(places: &Places) -> Result<(), Diagnostic> {
    for folder in [&places.staging, &places.old] {
        if std::fs::symlink_metadata(folder).is_ok() {
            remove_tree(folder).map_err(|e| Diagnostic::write(folder, e))?;
        }
    }
    let Ok(entries) = std::fs::read_dir(&places.parent) else { return Ok(()) };
    let waiting = format!("{}manifest-", places.prefix);
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let leftover = name.starts_with(&places.prefix)
            && (name.ends_with("-tmp") || name.starts_with(&waiting));
        if leftover {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|e| Diagnostic::write(&path, e))?;
        }
    }
    Ok(())
}

// The spare output (see `spare`): its journal, taken for a build and kept after a swap.

/// The first line of a spare's journal, with its format version.
const SPARE_FORMAT: &str = "midad-spare 1";

/// Where a new output differs from the one in place: what the old output, kept as the spare,
/// must be brought up to date at by the next build.
#[derive(Debug, Default)]
pub(super) struct Differences {
    /// Files new or changed.
    pub(super) changed: HashSet<String>,
    /// Files gone.
    pub(super) removed: Vec<String>,
    /// Folders that move from the old output into the new one at the swap: the old one, the
    /// spare after it, lacks them.
    pub(super) moved: Vec<String>,
}

impl Differences {
    pub(super) fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty() && self.moved.is_empty()
    }

    fn paths(&self) -> impl Iterator<Item = &str> {
        let changed = self.changed.iter().chain(&self.removed);
        changed.chain(&self.moved).map(String::as_str)
    }
}

/// The journal of a spare: its identity and the output's, then one path a line.
fn spare_journal_text<'a>(spare: u64, output: u64, paths: impl Iterator<Item = &'a str>) -> String {
    let mut text = format!("{SPARE_FORMAT}\t{spare:016x}\t{output:016x}\n");
    for path in paths.filter(|path| !path.contains('\n')) {
        text.push_str(path);
        text.push('\n');
    }
    text
}

/// The spare's identity, the output's and the paths of a journal's `text`.
fn read_spare_journal(text: &str) -> Option<(u64, u64, HashSet<String>)> {
    let mut lines = text.lines();
    let mut header = lines.next()?.split('\t');
    if header.next()? != SPARE_FORMAT {
        return None;
    }
    let spare = u64::from_str_radix(header.next()?, 16).ok()?;
    let output = u64::from_str_radix(header.next()?, 16).ok()?;
    Some((spare, output, lines.map(str::to_string).collect()))
}

/// The spare of the output in place and the paths where it differs from it, moved to the staging
/// folder, if its journal binds it to that output. Any other spare is removed.
pub(super) fn take_spare(places: &Places) -> Option<HashSet<String>> {
    let journal = std::fs::read_to_string(&places.spare_changes).ok();
    let bound = journal.as_deref().and_then(read_spare_journal).filter(|(spare, output, _)| {
        identity(&places.spare) == Some(*spare) && identity(&places.output) == Some(*output)
    });
    // The journal goes first: a build killed after it leaves a spare that nothing vouches for.
    match std::fs::remove_file(&places.spare_changes) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return discard_spare(places),
        _ => {}
    }
    match bound {
        Some((_, _, paths)) if std::fs::rename(&places.spare, &places.staging).is_ok() => {
            Some(paths)
        }
        _ => discard_spare(places),
    }
}

/// Removes the spare, if there is one.
fn discard_spare(places: &Places) -> Option<HashSet<String>> {
    if std::fs::symlink_metadata(&places.spare).is_ok() {
        let _ = remove_tree(&places.spare);
    }
    None
}

/// Keeps the old output, at `old` after a swap, as the spare, with its journal.
pub(super) fn keep_spare(places: &Places, old: &Path, differences: &Differences) -> io::Result<()> {
    if std::fs::symlink_metadata(&places.spare).is_ok() {
        remove_tree(&places.spare)?;
    }
    std::fs::rename(old, &places.spare)?;
    let (Some(spare), Some(output)) = (identity(&places.spare), identity(&places.output)) else {
        return Err(io::ErrorKind::Unsupported.into());
    };
    replace_file(&places.spare_changes, &spare_journal_text(spare, output, differences.paths()))
}

/// Puts the staging folder, a spare whose files are the same as before or the same as the
/// output's, back as the spare, with the journal it had.
pub(super) fn put_spare_back(places: &Places, paths: &HashSet<String>) -> io::Result<()> {
    std::fs::rename(&places.staging, &places.spare)?;
    let (Some(spare), Some(output)) = (identity(&places.spare), identity(&places.output)) else {
        return Err(io::ErrorKind::Unsupported.into());
    };
    let text = spare_journal_text(spare, output, paths.iter().map(String::as_str));
    replace_file(&places.spare_changes, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_reads_back() {
        let moves = vec![
            Move { path: "images/gallery".into(), stale: vec!["a.jpg".into(), "b c.webp".into()] },
            Move { path: "صور".into(), stale: vec![] },
        ];
        let text = journal_text(0xfeed, &moves);
        assert_eq!(read_journal(&text), Some((0xfeed, moves)));
        assert_eq!(read_journal("midad-swap 2\t00000000000000ff\n"), None);
        assert_eq!(read_journal(""), None);
    }

    #[test]
    fn places_are_beside_the_output() {
        let places = Places::of(Path::new("site/public"));
        assert_eq!(places.staging, Path::new("site/.public.midad-staging"));
        assert_eq!(places.old, Path::new("site/.public.midad-old"));
        assert_eq!(places.journal, Path::new("site/.public.midad-swap"));
        assert_eq!(Places::of(Path::new("public")).parent, Path::new("."));
        assert_eq!(
            next_manifest_path(Path::new("site/public"), 0xab),
            Some(PathBuf::from("site/.public.midad-manifest-00000000000000ab"))
        );
    }

    /// The names of the entries of `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap()
    }

    /// An old output with a photo folder, and a new one staged that takes the folder over, one
    /// file new to it and one gone, with its journal and its manifest written.
    fn staged_swap(root: &Path) -> Places {
        let places = Places::of(&root.join("public"));
        write(&places.output.join("index.html"), "old");
        write(&places.output.join("gallery/a.jpg"), "a");
        write(&places.output.join("gallery/b.jpg"), "b");
        write(&places.staging.join("index.html"), "new");
        write(&places.staging.join("gallery/c.jpg"), "c");
        let identity = identity(&places.staging).unwrap();
        write(&next_manifest_path(&places.output, identity).unwrap(), "new manifest");
        write(&manifest_path(&places.output).unwrap(), "old manifest");
        let moves = [Move { path: "gallery".into(), stale: vec!["b.jpg".into()] }];
        replace_file(&places.journal, &journal_text(identity, &moves)).unwrap();
        places
    }

    #[test]
    fn a_swap_killed_before_its_folders_moved_is_finished_by_the_next_build() {
        let dir = tempfile::tempdir().unwrap();
        let places = staged_swap(dir.path());
        // Killed right after the swap: the new output lacks the folder it takes over.
        swap_folders(&places).unwrap();
        assert_eq!(read(&places.output.join("index.html")), "new");
        assert!(!places.output.join("gallery/a.jpg").exists());

        recover(&places.output).unwrap();
        assert_eq!(names(&places.output.join("gallery")), ["a.jpg", "c.jpg"]);
        assert_eq!(read(&places.output.join("index.html")), "new");
        assert_eq!(read(&manifest_path(&places.output).unwrap()), "new manifest");
        assert_eq!(names(dir.path()), [".public.midad-manifest", "public"]);
    }

    #[test]
    fn a_build_killed_before_the_swap_leaves_the_old_output_and_its_manifest() {
        let dir = tempfile::tempdir().unwrap();
        let places = staged_swap(dir.path());
        write(&dir.path().join(".public.midad-bodies-tmp"), "half");
        recover(&places.output).unwrap();
        assert_eq!(names(&places.output.join("gallery")), ["a.jpg", "b.jpg"]);
        assert_eq!(read(&places.output.join("index.html")), "old");
        assert_eq!(read(&manifest_path(&places.output).unwrap()), "old manifest");
        assert_eq!(names(dir.path()), [".public.midad-manifest", "public"]);
    }

    #[test]
    fn an_output_renamed_aside_by_a_killed_build_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let places = staged_swap(dir.path());
        // Killed between the two renames of a swap without an exchange.
        std::fs::rename(&places.output, &places.old).unwrap();
        recover(&places.output).unwrap();
        assert_eq!(read(&places.output.join("index.html")), "old");
        assert_eq!(names(&places.output.join("gallery")), ["a.jpg", "b.jpg"]);
        assert_eq!(names(dir.path()), [".public.midad-manifest", "public"]);
    }

    #[test]
    fn a_swap_killed_after_its_folders_moved_keeps_the_new_output() {
        let dir = tempfile::tempdir().unwrap();
        let places = staged_swap(dir.path());
        swap_folders(&places).unwrap();
        let moves = [Move { path: "gallery".into(), stale: vec!["b.jpg".into()] }];
        move_folders(&places, &moves).unwrap();
        // Killed before the manifest was promoted and the old output removed.
        recover(&places.output).unwrap();
        assert_eq!(names(&places.output.join("gallery")), ["a.jpg", "c.jpg"]);
        assert_eq!(read(&manifest_path(&places.output).unwrap()), "new manifest");
        assert_eq!(names(dir.path()), [".public.midad-manifest", "public"]);
    }

    #[test]
    fn a_swap_killed_after_its_manifest_was_promoted_keeps_it() {
        let dir = tempfile::tempdir().unwrap();
        let places = staged_swap(dir.path());
        swap_folders(&places).unwrap();
        let moves = [Move { path: "gallery".into(), stale: vec!["b.jpg".into()] }];
        move_folders(&places, &moves).unwrap();
        promote_manifest(&places.output).unwrap();
        // Killed before the journal was removed: the next build's recovery runs the end of the
        // swap again (found by the kill test: it removed the manifest just promoted).
        recover(&places.output).unwrap();
        assert_eq!(read(&manifest_path(&places.output).unwrap()), "new manifest");
        assert_eq!(names(&places.output.join("gallery")), ["a.jpg", "c.jpg"]);
        assert_eq!(names(dir.path()), [".public.midad-manifest", "public"]);
    }

    #[test]
    fn a_spare_journal_reads_back() {
        let paths = ["index.html", "سياسة/خبر/index.html"];
        let text = spare_journal_text(0xab, 0xcd, paths.iter().copied());
        let (spare, output, read) = read_spare_journal(&text).unwrap();
        assert_eq!((spare, output), (0xab, 0xcd));
        assert_eq!(read, paths.iter().map(|p| p.to_string()).collect());
        assert!(read_spare_journal("midad-spare 2\t00\t00\n").is_none());
        assert!(read_spare_journal("").is_none());
    }
}
