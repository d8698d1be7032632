//! The only module that writes under the output folder.
//!
//! A build produces a list of [`OutputFile`]s and puts them into a staging folder next to the
//! output; only when every file is written ([`Staging::fill`]) is the staging folder swapped in
//! ([`Ready::swap`], see `swap` for how, and for how the next build recovers from a build
//! killed meanwhile). A build that fails or is killed before the swap leaves the previous output
//! whole, and nothing that changes the next build's result.
//!
//! A one-off `midad build` streams instead of collecting: it opens the [`Staging`] folder first,
//! the renderer [`Staging::put`]s each page into it as soon as it is rendered (so the bytes of
//! the whole site are never in memory at once), and the rest is written when it fills.
//!
//! Write failures of the staging folder say what to do where the cause is clear (a full disk, a
//! read-only one) and that the previous output is left as it was. Tests that cannot fill or
//! freeze a real disk make these failures happen through `MIDAD_TEST_FAULT` (see `Faults`).

mod spare;
mod swap;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use rayon::prelude::*;

use crate::error::Diagnostic;

use swap::{Move, Places};
pub use swap::{
    beside, identity, manifest_path, next_manifest_path, recover, replace_file, replace_file_with,
};

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output root, `/`-separated, e.g. `politics/x/index.html`.
    pub path: String,
    /// What goes in it.
    pub contents: Contents,
}

/// The bytes of an output file: rendered here, or copied from a source file.
#[derive(Debug, Clone)]
pub enum Contents {
    /// Rendered in memory; cheap to clone, so a rebuild shares unchanged pages with the last.
    Bytes(bytes::Bytes),
    /// Copied from this file.
    Copy(PathBuf),
    /// The same bytes as this file of the previous output (a build that reused a page it did not
    /// need to render again): hard-linked, so the file and its modification time stay as they
    /// were for rsync and CDN uploads; copied where links are not possible.
    Keep(PathBuf),
    /// A file of the image cache, whose name there is its content's key: hard-linked (copied
    /// where links are not possible), and held already by an output whose file at the path is
    /// the same file.
    Link(PathBuf),
    /// Already written into the [`Staging`] folder while rendering; `len` bytes.
    Staged {
        /// The file's size.
        len: u64,
    },
}

impl Contents {
    /// How many bytes of memory the contents hold: those of a rendered file, none for the
    /// others (they are files on disk).
    pub fn in_memory(&self) -> usize {
        match self {
            Contents::Bytes(bytes) => bytes.len(),
            _ => 0,
        }
    }
}

impl OutputFile {
    /// A rendered file.
    pub fn bytes(path: impl Into<String>, bytes: impl Into<bytes::Bytes>) -> Self {
        OutputFile { path: path.into(), contents: Contents::Bytes(bytes.into()) }
    }

    /// A file of the image cache (see [`Contents::Link`]).
    pub fn link(path: impl Into<String>, source: impl Into<PathBuf>) -> Self {
        OutputFile { path: path.into(), contents: Contents::Link(source.into()) }
    }

    /// A copied file.
    pub fn copy(path: impl Into<String>, source: impl Into<PathBuf>) -> Self {
        OutputFile { path: path.into(), contents: Contents::Copy(source.into()) }
    }
}

/// A folder of the previous output that the new one takes over whole, as it is: a build that
/// knows (from its manifest) that the folder holds exactly the files it would put there lists the
/// folder instead of each file. [`Ready::swap`] moves it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptFolder {
    /// Path relative to the output root, `images/photos`.
    pub path: String,
    /// The folder's stamp (see [`folder_stamp`]) when the previous build recorded it: the folder
    /// has had no file added or removed since when it still has it.
    pub stamp: u64,
    /// How many files it holds (it has no subfolder).
    pub files: usize,
}

/// What changes when a file is added to or removed from the folder at `path`: its inode and
/// modification time.
#[cfg(unix)]
pub fn folder_stamp(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    let parts = [meta.dev(), meta.ino(), meta.mtime() as u64, meta.mtime_nsec() as u64];
    Some(crate::fingerprint::of(&parts))
}

/// What changes when a file is added to or removed from the folder at `path`; where that can't
/// be told, `None` and no folder is ever kept whole.
#[cfg(not(unix))]
pub fn folder_stamp(_path: &Path) -> Option<u64> {
    None
}

/// What the previous build wrote into the output in place, as its manifest lists it.
#[derive(Debug, Default, Clone)]
pub struct Previous {
    /// Every file it wrote but those of whole folders, by path relative to the output.
    pub files: Vec<String>,
    /// Its folders of nothing but links of image cache files, which are not listed by file.
    pub whole: Vec<String>,
}

/// Writes `files` as the new contents of `output`, atomically replacing what was there. The
/// output's manifest, which described the files being replaced, is removed at the swap.
pub fn write(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    Staging::begin(output)?.commit(files, &[]).map(|_| ())
}

/// A staging folder beside the output (`.public.midad-staging`), filled while a build runs and
/// swapped in once it holds the whole new output ([`Staging::fill`], [`Ready::swap`]). Dropped
/// before the swap, it is removed and the output is left as it was.
#[derive(Debug)]
pub struct Staging {
    places: Places,
    committed: bool,
    /// Folders [`Staging::put`] made (relative), so that it makes each once instead of first
    /// failing to open a file in a folder that does not exist yet.
    made: std::sync::Mutex<std::collections::HashSet<String>>,
    faults: Faults,
    /// When the staging folder is the spare (see `spare`): the paths where it differs from the
    /// output in place, as its journal named them.
    spare: Option<HashSet<String>>,
}

/// A staging folder that holds the whole new output, ready to be swapped in.
#[derive(Debug)]
pub struct Ready {
    staging: Staging,
    /// The new output's [`identity`].
    identity: Option<u64>,
    /// The folders it takes over from the old output.
    moves: Vec<Move>,
    /// Where it differs from the old output, when that is known: the old output is then kept
    /// as the spare.
    to_spare: Option<swap::Differences>,
}

/// What [`Staging::fill`] found.
#[derive(Debug)]
pub enum Filled {
    /// The output holds the new one's files already: nothing to swap.
    Unchanged,
    /// The new output is staged.
    Ready(Box<Ready>),
}

/// What [`Ready::swap`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swapped {
    /// The new output is in place, made of files only.
    Files,
    /// The new output is in place, with folders moved into it from the old one after the
    /// swap (which changes their stamps).
    WithMovedFolders,
}

/// `file` written into `staging` now ([`Staging::put`]) when there is one, else as it is (a
/// render in memory).
pub fn put_into(staging: Option<&Staging>, file: OutputFile) -> Result<OutputFile, Diagnostic> {
    match staging {
        Some(staging) => staging.put(file),
        None => Ok(file),
    }
}

impl Staging {
    /// Creates an empty staging folder for `output`, after [`recover`]ing from a killed build.
    pub fn begin(output: &Path) -> Result<Staging, Diagnostic> {
        Staging::open(output, false)
    }

    /// Creates the staging folder for `output`, which the [`Previous`] build describes: its
    /// spare when there is one (see `spare`), else an empty folder.
    pub fn begin_from_spare(output: &Path) -> Result<Staging, Diagnostic> {
        Staging::open(output, true)
    }

    fn open(output: &Path, with_spare: bool) -> Result<Staging, Diagnostic> {
        let places = Places::of(output);
        let faults = Faults::from_env();
        let parent = &places.parent;
        std::fs::create_dir_all(parent).map_err(|e| cannot_stage(output, parent, e))?;
        recover(output)?;
        let spare = if with_spare { swap::take_spare(&places) } else { None };
        let dir = &places.staging;
        faults
            .make_folder()
            .and_then(|()| std::fs::create_dir_all(dir))
            .map_err(|e| cannot_stage(output, dir, e))?;
        Ok(Staging { places, committed: false, made: Default::default(), faults, spare })
    }

    /// The staging folder.
    fn dir(&self) -> &Path {
        &self.places.staging
    }

    /// Where a page [`Staging::put`] wrote to `rel` (relative to the output) is.
    pub fn staged_path(&self, rel: &str) -> PathBuf {
        self.dir().join(rel)
    }

    /// The output folder.
    fn output(&self) -> &Path {
        &self.places.output
    }

    /// An error writing `path` into the staging folder.
    fn cannot_write(&self, path: &Path, err: std::io::Error) -> Diagnostic {
        cannot_stage(self.output(), path, err)
    }

    /// Writes a rendered file into the staging folder now (from any thread), and gives back what
    /// stands for it in the list [`Staging::fill`] takes. Other contents are left for `fill`.
    pub fn put(&self, file: OutputFile) -> Result<OutputFile, Diagnostic> {
        let Contents::Bytes(bytes) = &file.contents else { return Ok(file) };
        let path = self.dir().join(&file.path);
        if let Some((folder, _)) = file.path.rsplit_once('/') {
            let new = self.made.lock().map_or(true, |mut made| made.insert(folder.to_string()));
            if new {
                let folder = self.dir().join(folder);
                self.make_folder(&folder).map_err(|e| self.cannot_write(&folder, e))?;
            }
        }
        // Another thread may have claimed the folder and not made it yet.
        let written = match self.write_bytes(&path, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| self.write_bytes(&path, bytes)),
            other => other,
        };
        written.map_err(|e| self.cannot_write(&path, e))?;
        Ok(OutputFile { path: file.path, contents: Contents::Staged { len: bytes.len() as u64 } })
    }

    /// Writes `bytes` to the new file at `path`.
    fn write_bytes(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        self.faults.write(bytes.len() as u64)?;
        if self.spare.is_some() {
            self.clear(path)?;
        }
        std::fs::write(path, bytes)
    }

    /// Writes `files` (but those already [`Staging::put`]) and swaps the staging folder in with
    /// the `kept` folders of the old output: `Ok(true)`. When the output already holds exactly
    /// those, as a rebuild of an unchanged site finds, it is left as it is, manifest included:
    /// `Ok(false)`.
    pub fn commit(self, files: &[OutputFile], kept: &[KeptFolder]) -> Result<bool, Diagnostic> {
        match self.fill(files, kept, None)? {
            Filled::Unchanged => Ok(false),
            Filled::Ready(ready) => ready.swap().map(|_| true),
        }
    }

    /// Writes `files` (but those already [`Staging::put`]) into the staging folder, which then
    /// holds the whole new output but the folders it takes over from the old one: the `kept`
    /// folders and those [`Staging::folders_to_move`] picks. Nothing of the old output changes.
    /// When it holds exactly those files and folders already, as a rebuild of an unchanged site
    /// finds, there is nothing to swap.
    ///
    /// With the `previous` build's list of the files in place, what changed is found from it,
    /// the old output becomes the spare at the swap, and a staging folder that is the spare is
    /// brought up to date instead of filled (see `spare`).
    pub fn fill(
        mut self,
        files: &[OutputFile],
        kept: &[KeptFolder],
        previous: Option<&Previous>,
    ) -> Result<Filled, Diagnostic> {
        let Some(previous) = previous else {
            if self.holds_already(files, kept) {
                return Ok(Filled::Unchanged);
            }
            return self.fill_anew(files, kept, None);
        };
        let mut differences = self.differences(files, kept, previous);
        if differences.is_empty() {
            if let Some(paths) = self.spare.take() {
                self.committed = swap::put_spare_back(&self.places, &paths).is_ok();
            }
            return Ok(Filled::Unchanged);
        }
        if self.spare.is_none() {
            return self.fill_anew(files, kept, Some(differences));
        }
        self.update_spare(files, kept, &differences)?;
        let identity = identity(self.dir());
        differences.moved.clear();
        let ready = Ready { staging: self, identity, moves: vec![], to_spare: Some(differences) };
        Ok(Filled::Ready(Box::new(ready)))
    }

    /// Fills the empty staging folder, taking folders over from the old output.
    fn fill_anew(
        self,
        files: &[OutputFile],
        kept: &[KeptFolder],
        differences: Option<swap::Differences>,
    ) -> Result<Filled, Diagnostic> {
        let mut moves = self.folders_to_move(files, kept);
        moves.extend(kept.iter().map(|folder| Move { path: folder.path.clone(), stale: vec![] }));
        self.write_all(files, &moves)?;
        let identity = identity(self.dir());
        let to_spare = differences.map(|mut differences| {
            differences.moved = moves.iter().map(|folder| folder.path.clone()).collect();
            differences
        });
        Ok(Filled::Ready(Box::new(Ready { staging: self, identity, moves, to_spare })))
    }
}

impl Ready {
    /// The folder that holds the new output until the swap.
    pub fn tree(&self) -> &Path {
        self.staging.dir()
    }

    /// The new output's [`identity`], which it keeps in place.
    pub fn identity(&self) -> Option<u64> {
        self.identity
    }

    /// Puts the new output in place of the old one in one step where the system can (see
    /// [`swap`]), moves the folders it takes over into it, makes the manifest written for it
    /// beside the output (see [`next_manifest_path`]) its manifest, and removes the old output.
    /// A failure before the new output is in place leaves the old one as it was.
    pub fn swap(mut self) -> Result<Swapped, Diagnostic> {
        let places = &self.staging.places;
        let next = self.identity.and_then(|id| next_manifest_path(&places.output, id));
        let described = next.as_ref().is_some_and(|next| next.is_file());
        if let Err(err) = swap::swap(places, self.identity, &self.moves) {
            if let Some(next) = next {
                let _ = std::fs::remove_file(next);
            }
            return Err(cannot_stage(&places.output, &places.output, err));
        }
        // The staging folder holds the old output now, or nothing: `finish` removes it, or
        // leaves it with the journal for the next build if the folders could not move.
        self.staging.committed = true;
        swap::finish(places, &self.moves, self.to_spare.as_ref())?;
        // Without a manifest of its own, the new output drops the old one's (which no build
        // would trust beside it anyway: see `identity`).
        if let (false, Some(manifest)) = (described, manifest_path(&places.output)) {
            match std::fs::remove_file(&manifest) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Diagnostic::write(&manifest, e));
                }
                _ => {}
            }
        }
        Ok(if self.moves.is_empty() { Swapped::Files } else { Swapped::WithMovedFolders })
    }
}

/// An error writing `path` while the new output is staged: the old output is as it was, and the
/// message says so, with what to do where the cause is clear.
fn cannot_stage(output: &Path, path: &Path, err: std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    let hint = match err.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            ": the disk is full: free some space, or build onto another disk with `--output`"
        }
        ErrorKind::ReadOnlyFilesystem => {
            ": the disk is read-only: build onto a writable one with `--output`"
        }
        ErrorKind::PermissionDenied => {
            ": midad may not write there: make the folder writable, or build elsewhere with `--output`"
        }
        _ => "",
    };
    let message = format!(
        "cannot write `{}` ({err}){hint}; the previous output `{}` is left as it was",
        path.display(),
        output.display()
    );
    Diagnostic::new(crate::error::Kind::Write, crate::error::Location::file(path), message)
}

/// Write failures for tests that cannot fill a disk or make one read-only (a container without
/// `mount`), from the environment variable `MIDAD_TEST_FAULT`: `full:BYTES`, the disk holding the
/// staging folder fills once `BYTES` more bytes are written into it; `read-only`, the folder
/// the output is in cannot be written. Tests only: nothing else sets it.
#[derive(Debug, Default)]
struct Faults {
    /// Bytes left before the disk is full.
    room: Option<std::sync::atomic::AtomicU64>,
    read_only: bool,
}

impl Faults {
    fn from_env() -> Faults {
        let fault = std::env::var("MIDAD_TEST_FAULT").unwrap_or_default();
        let room = fault.strip_prefix("full:").and_then(|bytes| bytes.parse().ok());
        Faults {
            room: room.map(std::sync::atomic::AtomicU64::new),
            read_only: fault == "read-only",
        }
    }

    /// Fails as a full disk would once `len` more bytes do not fit.
    fn write(&self, len: u64) -> std::io::Result<()> {
        use std::sync::atomic::Ordering;
        let Some(room) = &self.room else { return Ok(()) };
        let left =
            room.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |room| room.checked_sub(len));
        match left {
            Ok(_) => Ok(()),
            #[cfg(unix)]
            Err(_) => Err(std::io::Error::from_raw_os_error(libc::ENOSPC)),
            #[cfg(not(unix))]
            Err(_) => Err(std::io::ErrorKind::StorageFull.into()),
        }
    }

    /// Fails as a read-only disk would.
    fn make_folder(&self) -> std::io::Result<()> {
        match self.read_only {
            #[cfg(unix)]
            true => Err(std::io::Error::from_raw_os_error(libc::EROFS)),
            #[cfg(not(unix))]
            true => Err(std::io::ErrorKind::ReadOnlyFilesystem.into()),
            false => Ok(()),
        }
    }
}

/// The files of the new output in one folder, as [`Staging::folders_to_move`] counts them.
#[derive(Default)]
struct FolderFiles<'a> {
    /// Their names.
    names: HashSet<&'a str>,
    /// How many are kept from the old output at their own paths.
    kept: usize,
    /// The names of the others, but those already in the staging folder.
    added: Vec<&'a str>,
    /// Whether any is in the staging folder already.
    staged: bool,
}

/// A folder with at least this many files kept is moved into the new output.
const MOVED_FOLDER_FILES: usize = 64;

impl Staging {
    /// The folders that the new output takes over from the old one: folders of at least
    /// [`MOVED_FOLDER_FILES`] files kept from the old output at their own paths (a site's
    /// photos), none under a subfolder, where the old folder holds nothing but files, none at the
    /// path of a file that changed. The files new to such a folder are written into the staging
    /// folder and join it once the new output is in place; the files the new output no longer
    /// has leave it then (at most as many of either as it keeps). A folder whose path or names
    /// hold a tab or a newline, which the journal of the swap cannot name, is not moved.
    fn folders_to_move<'a>(&self, files: &'a [OutputFile], kept: &[KeptFolder]) -> Vec<Move> {
        let mut folders: HashMap<&str, FolderFiles<'a>> = HashMap::new();
        let mut with_subfolders: HashSet<&str> = HashSet::new();
        for folder in kept {
            with_subfolders.extend(ancestors(&folder.path));
        }
        for file in files {
            let Some((folder, name)) = file.path.rsplit_once('/') else { continue };
            for parent in ancestors(folder) {
                if !with_subfolders.insert(parent) {
                    break;
                }
            }
            let entry = folders.entry(folder).or_default();
            entry.names.insert(name);
            match &file.contents {
                Contents::Keep(source) if *source == self.output().join(&file.path) => {
                    entry.kept += 1
                }
                // Written into the staging folder already, where the moved folder would go.
                Contents::Staged { .. } => entry.staged = true,
                _ => entry.added.push(name),
            }
        }
        let candidates: Vec<(&str, FolderFiles<'a>)> = folders
            .into_iter()
            .filter(|(folder, of)| {
                !of.staged
                    && of.kept >= MOVED_FOLDER_FILES
                    && of.added.len() <= of.kept
                    && !with_subfolders.contains(folder)
                    && !folder.contains(['\t', '\n'])
            })
            .collect();
        candidates
            .into_par_iter()
            .filter_map(|(folder, of)| {
                let held = self.files_in(folder)?;
                let added_new = of.added.iter().all(|name| !held.contains(*name));
                let stale: Vec<String> =
                    held.iter().filter(|name| !of.names.contains(name.as_str())).cloned().collect();
                let named = stale.iter().all(|name| !name.contains(['\t', '\n']));
                let whole = added_new
                    && named
                    && held.len() == of.kept + stale.len()
                    && stale.len() <= of.kept;
                whole.then(|| Move { path: folder.to_string(), stale })
            })
            .collect()
    }

    /// The names of the files in `folder` of the old output; `None` if it holds anything else
    /// or cannot be read.
    fn files_in(&self, folder: &str) -> Option<HashSet<String>> {
        let entries = std::fs::read_dir(self.output().join(folder)).ok()?;
        let mut names = HashSet::new();
        for entry in entries {
            let entry = entry.ok()?;
            if !entry.file_type().ok()?.is_file() {
                return None;
            }
            names.insert(entry.file_name().into_string().ok()?);
        }
        Some(names)
    }

    /// Whether the output holds `files` and the `kept` folders and nothing else: each file kept
    /// from it as it is, each rendered or copied one with the same bytes already, each kept
    /// folder with its stamp, and no other file or folder.
    fn holds_already(&self, files: &[OutputFile], kept: &[KeptFolder]) -> bool {
        let output = self.output();
        let kept_there = kept
            .iter()
            .all(|folder| folder_stamp(&output.join(&folder.path)) == Some(folder.stamp));
        if !kept_there {
            return false;
        }
        let same = files.par_iter().all(|file| {
            let path = output.join(&file.path);
            match &file.contents {
                Contents::Keep(source) => *source == path,
                Contents::Link(source) => same_file(source, &path),
                Contents::Copy(source) => {
                    std::fs::read(source).is_ok_and(|bytes| holds(&path, &bytes))
                }
                Contents::Bytes(bytes) => holds(&path, bytes),
                Contents::Staged { .. } => false,
            }
        });
        if !same {
            return false;
        }
        // The same files, then, if there are as many, in the same folders. A kept folder, whose
        // stamp says it has lost or gained no file, counts as the files it held.
        let mut folders: HashSet<&str> = HashSet::new();
        for path in
            files.iter().map(|f| f.path.as_str()).chain(kept.iter().map(|f| f.path.as_str()))
        {
            for folder in ancestors(path) {
                if !folders.insert(folder) {
                    break;
                }
            }
        }
        let kept_files: usize = kept.iter().map(|folder| folder.files).sum();
        let trusted: HashMap<PathBuf, usize> =
            kept.iter().map(|folder| (output.join(&folder.path), folder.files)).collect();
        let expected = (files.len() + kept_files, folders.len() + kept.len());
        count_tree(output, &trusted) == Some(expected)
    }
}

/// The folders `path` is in, innermost first: `a/b/c` is in `a/b` and `a`.
pub fn ancestors(path: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(path.rsplit_once('/').map(|(folder, _)| folder), |folder| {
        folder.rsplit_once('/').map(|(parent, _)| parent)
    })
}

/// How many files and folders are under `dir`, its folders read in parallel (the output has one
/// folder per page, too many to read one after the other); `None` if anything under it is
/// neither, or cannot be read. The `trusted` folders count as the files given, unread.
fn count_tree(dir: &Path, trusted: &HashMap<PathBuf, usize>) -> Option<(usize, usize)> {
    let entries: Vec<std::fs::DirEntry> =
        std::fs::read_dir(dir).ok()?.collect::<Result<_, _>>().ok()?;
    entries
        .par_iter()
        .map(|entry| {
            let kind = entry.file_type().ok()?;
            if kind.is_file() {
                Some((1, 0))
            } else if !kind.is_dir() {
                None
            } else if let Some(&files) = trusted.get(&entry.path()) {
                Some((files, 1))
            } else {
                count_tree(&entry.path(), trusted).map(|(files, folders)| (files, folders + 1))
            }
        })
        .try_reduce(|| (0, 0), |a, b| Some((a.0 + b.0, a.1 + b.1)))
}

/// Whether the file at `path` holds `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let same_len =
        std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    same_len && std::fs::read(path).is_ok_and(|held| held == bytes)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(self.dir());
        }
    }
}

impl Staging {
    /// Writes `files` into the staging folder, but those the folders `moved` from the old output
    /// hold already (the files new to them are written, into folders of the same paths).
    fn write_all(&self, files: &[OutputFile], moved: &[Move]) -> Result<(), Diagnostic> {
        let moved: HashSet<&str> = moved.iter().map(|folder| folder.path.as_str()).collect();
        let output = self.output();
        let in_moved = |file: &OutputFile| {
            file.path.rsplit_once('/').is_some_and(|(f, _)| moved.contains(f))
                && matches!(&file.contents, Contents::Keep(source) if *source == output.join(&file.path))
        };
        // Folders first, so parallel writes never race to create the same one: grouped by
        // top-level folder, the groups in parallel. Sorting can split a top-level folder's group
        // in two (`a-b` sorts between `a` and `a/b`), which create_dir_all tolerates: it accepts
        // a folder another thread made meanwhile.
        let mut dirs: BTreeSet<&str> = files
            .iter()
            .filter(|f| !matches!(f.contents, Contents::Staged { .. }) && !in_moved(f))
            .filter_map(|f| f.path.rsplit_once('/').map(|(dir, _)| dir))
            .collect();
        // A moved folder's parent must be there to move it into.
        dirs.extend(moved.iter().filter_map(|folder| folder.rsplit_once('/').map(|(p, _)| p)));
        let mut trees: Vec<(&str, Vec<&str>)> = Vec::new();
        for dir in dirs {
            let top = dir.split_once('/').map_or(dir, |(top, _)| top);
            match trees.last_mut() {
                Some((last, under)) if *last == top => under.push(dir),
                _ => trees.push((top, vec![dir])),
            }
        }
        trees.par_iter().try_for_each(|(_, under)| {
            under.iter().try_for_each(|dir| {
                let path = self.dir().join(dir);
                std::fs::create_dir_all(&path).map_err(|e| self.cannot_write(&path, e))
            })
        })?;
        files.par_iter().filter(|file| !in_moved(file)).try_for_each(|file| self.write_file(file))
    }

    /// Writes `file` into the staging folder, whose folder for it is there already.
    fn write_file(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let path = self.dir().join(&file.path);
        let copied = match &file.contents {
            Contents::Bytes(bytes) => {
                return self.write_bytes(&path, bytes).map_err(|e| self.cannot_write(&path, e));
            }
            Contents::Link(source) if !wait_for_variant(source) => {
                return Err(Diagnostic::read(source, std::io::ErrorKind::NotFound.into()));
            }
            Contents::Staged { .. } => return Ok(()),
            Contents::Copy(source) => self.copy(source, &path),
            Contents::Keep(source) | Contents::Link(source) => {
                let cleared = if self.spare.is_some() { self.clear(&path) } else { Ok(()) };
                cleared
                    .and_then(|()| std::fs::hard_link(source, &path))
                    .or_else(|_| self.copy(source, &path))
            }
        };
        copied.map_err(|err| match &file.contents {
            // The source is gone or unreadable; else the copy could not be written.
            Contents::Copy(source) | Contents::Keep(source) | Contents::Link(source)
                if std::fs::File::open(source).is_err() =>
            {
                Diagnostic::read(source, err)
            }
            _ => self.cannot_write(&path, err),
        })
    }

    /// Copies `source` to the new file at `path`.
    fn copy(&self, source: &Path, path: &Path) -> std::io::Result<()> {
        self.faults.write(std::fs::metadata(source)?.len())?;
        if self.spare.is_some() {
            self.clear(path)?;
        }
        std::fs::copy(source, path).map(|_| ())
    }
}

/// Waits until the image variant at `path` is made (a session makes them on a thread of its
/// own): `true` once it is, `false` when making it failed (see [`variant_failed`]).
pub fn wait_for_variant(path: &Path) -> bool {
    loop {
        if path.is_file() {
            return true;
        }
        if variant_failed(path).is_file() {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The marker left beside the cache path of a variant that could not be made.
pub fn variant_failed(path: &Path) -> PathBuf {
    let mut marker = path.as_os_str().to_owned();
    marker.push(".failed");
    PathBuf::from(marker)
}

/// Whether `a` and `b` are one file (hard links of each other), or, where that can't be told,
/// hold the same bytes.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) else { return false };
        if a.dev() == b.dev() {
            return a.ino() == b.ino();
        }
    }
    std::fs::read(a).is_ok_and(|bytes| holds(b, &bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_replaces_the_old_output_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[OutputFile::bytes("a/index.html", "one"), OutputFile::bytes("b.txt", "b")])
            .unwrap();
        write(&out, &[OutputFile::bytes("a/index.html", "two")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "two");
        assert!(!out.join("b.txt").exists());
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn a_write_drops_the_manifest_of_what_it_replaces_and_keeps_linked_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[OutputFile::bytes("a/index.html", "one")]).unwrap();
        let manifest = manifest_path(&out).unwrap();
        assert_eq!(manifest, dir.path().join(".public.midad-manifest"));
        std::fs::write(&manifest, "midad-manifest 1").unwrap();
        let kept = OutputFile {
            path: "a/index.html".into(),
            contents: Contents::Keep(out.join("a/index.html")),
        };
        // A new page beside the kept one: the output is replaced.
        write(&out, &[kept, OutputFile::bytes("b/index.html", "two")]).unwrap();
        assert!(!manifest.exists(), "the manifest described the replaced output");
        assert_eq!(std::fs::read_to_string(out.join("a/index.html")).unwrap(), "one");
        assert_eq!(std::fs::read_to_string(out.join("b/index.html")).unwrap(), "two");
    }

    #[test]
    fn an_output_that_holds_the_files_already_is_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let source = dir.path().join("style.css");
        std::fs::write(&source, "body{}").unwrap();
        let site = [
            OutputFile::bytes("politics/x/index.html", "page"),
            OutputFile::bytes("index.html", "home"),
            OutputFile::copy("css/style.css", &source),
        ];
        write(&out, &site).unwrap();
        let manifest = manifest_path(&out).unwrap();
        std::fs::write(&manifest, "midad-manifest 1").unwrap();
        let kept =
            |path: &str| OutputFile { path: path.into(), contents: Contents::Keep(out.join(path)) };
        let again = [
            kept("politics/x/index.html"),
            OutputFile::bytes("index.html", "home"),
            OutputFile::copy("css/style.css", &source),
        ];
        // A swap would put another folder (and files) in place: other inodes.
        let inode = |p: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
        let before = (inode(&out), inode(&out.join("politics/x/index.html")));
        write(&out, &again).unwrap();
        assert_eq!((inode(&out), inode(&out.join("politics/x/index.html"))), before);
        assert!(manifest.exists(), "the manifest still describes the output");
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 3, "no staging folder is left: {names:?}");

        // A rendered file that differs, anything else in the output, a copy that changed, or a
        // folder too many: swapped.
        let spoils: [&dyn Fn(); 4] = [
            &|| std::fs::write(out.join("index.html"), "edited").unwrap(),
            &|| std::fs::write(out.join("stray.html"), "x").unwrap(),
            &|| std::fs::write(&source, "body{color:red}").unwrap(),
            &|| std::fs::create_dir(out.join("empty")).unwrap(),
        ];
        for spoil in spoils {
            std::fs::write(&source, "body{}").unwrap();
            write(&out, &site).unwrap();
            let again = [
                kept("politics/x/index.html"),
                OutputFile::bytes("index.html", "home"),
                OutputFile::copy("css/style.css", &source),
            ];
            spoil();
            let before = inode(&out);
            write(&out, &again).unwrap();
            assert_ne!(inode(&out), before);
            assert!(!out.join("stray.html").exists() && !out.join("empty").exists());
            assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "home");
            assert_eq!(
                std::fs::read_to_string(out.join("css/style.css")).unwrap(),
                std::fs::read_to_string(&source).unwrap()
            );
        }
    }

    #[test]
    fn pages_put_while_rendering_are_swapped_in_with_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[OutputFile::bytes("old.html", "old")]).unwrap();
        let staging = Staging::begin(&out).unwrap();
        let put = staging.put(OutputFile::bytes("politics/x/index.html", "page")).unwrap();
        assert!(matches!(put.contents, Contents::Staged { len: 4 }), "{put:?}");
        // Nothing visible until the commit.
        assert!(out.join("old.html").exists());
        assert!(!out.join("politics/x/index.html").exists());
        staging.commit(&[put, OutputFile::bytes("feed.xml", "feed")], &[]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("politics/x/index.html")).unwrap(), "page");
        assert_eq!(std::fs::read_to_string(out.join("feed.xml")).unwrap(), "feed");
        assert!(!out.join("old.html").exists());
    }

    #[test]
    fn a_staged_build_that_fails_leaves_the_output_and_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[OutputFile::bytes("index.html", "good")]).unwrap();
        let staging = Staging::begin(&out).unwrap();
        staging.put(OutputFile::bytes("index.html", "half")).unwrap();
        drop(staging);
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "good");
        let names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[OutputFile::bytes("index.html", "good")]).unwrap();
        let missing = dir.path().join("no-such-file");
        assert!(write(&out, &[OutputFile::copy("x.css", missing)]).is_err());
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "good");
    }
}
