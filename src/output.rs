//! The only module that writes under the output folder.
//!
//! A build produces a list of [`OutputFile`]s; [`write`] puts them into a staging folder next to
//! the output and, only when every file is written, swaps it in: the old output is renamed aside,
//! the staging folder renamed into place, and the old one removed. A build that fails or is killed
//! before the swap leaves the previous output whole.
//!
//! A one-off `midad build` streams instead of collecting: it opens the [`Staging`] folder first,
//! the renderer [`Staging::put`]s each page into it as soon as it is rendered (so the bytes of
//! the whole site are never in memory at once), and [`Staging::commit`] writes the rest and swaps.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use rayon::prelude::*;

use crate::error::Diagnostic;

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
/// folder instead of each file. [`Staging::commit`] moves it in.
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
    let mut temp = path.as_os_str().to_owned();
    temp.push("-tmp");
    std::fs::write(&temp, text)?;
    std::fs::rename(temp, path)
}

/// Writes `files` as the new contents of `output`, atomically replacing what was there. The
/// output's manifest, which described the files being replaced, is removed before the swap;
/// `midad build` writes the new one once the new output is in place.
pub fn write(output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    Staging::begin(output)?.commit(files, &[]).map(|_| ())
}

/// A staging folder beside the output (`.public.midad-staging`), filled while a build runs and
/// swapped in by [`Staging::commit`]. Dropped without a commit, it is removed and the output is
/// left as it was.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    committed: bool,
    /// Folders [`Staging::put`] made (relative), so that it makes each once instead of first
    /// failing to open a file in a folder that does not exist yet.
    made: std::sync::Mutex<std::collections::HashSet<String>>,
}

impl Staging {
    /// Creates an empty staging folder for `output`, removing what a killed build left.
    pub fn begin(output: &Path) -> Result<Staging, Diagnostic> {
        let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| Diagnostic::write(&parent, e))?;
        let dir = parent.join(format!(".{name}.midad-staging"));
        let old = parent.join(format!(".{name}.midad-old"));
        for leftover in [&dir, &old] {
            if leftover.exists() {
                std::fs::remove_dir_all(leftover).map_err(|e| Diagnostic::write(leftover, e))?;
            }
        }
        std::fs::create_dir_all(&dir).map_err(|e| Diagnostic::write(&dir, e))?;
        Ok(Staging {
            output: output.to_path_buf(),
            dir,
            old,
            committed: false,
            made: Default::default(),
        })
    }

    /// Writes a rendered file into the staging folder now (from any thread), and gives back what
    /// stands for it in the list [`Staging::commit`] takes. Other contents are left for `commit`.
    pub fn put(&self, file: OutputFile) -> Result<OutputFile, Diagnostic> {
        let Contents::Bytes(bytes) = &file.contents else { return Ok(file) };
        let path = self.dir.join(&file.path);
        if let Some((folder, _)) = file.path.rsplit_once('/') {
            let new = self.made.lock().map_or(true, |mut made| made.insert(folder.to_string()));
            if new {
                let folder = self.dir.join(folder);
                std::fs::create_dir_all(&folder).map_err(|e| Diagnostic::write(&folder, e))?;
            }
        }
        // Another thread may have claimed the folder and not made it yet.
        let written = match std::fs::write(&path, bytes) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, bytes)),
            other => other,
        };
        written.map_err(|e| Diagnostic::write(&path, e))?;
        Ok(OutputFile { path: file.path, contents: Contents::Staged { len: bytes.len() as u64 } })
    }

    /// Writes `files` (but those already [`Staging::put`]) and swaps the staging folder in with
    /// the `kept` folders of the old output: `Ok(true)`. When the output already holds exactly
    /// those, as a rebuild of an unchanged site finds, it is left as it is, manifest included:
    /// `Ok(false)`.
    pub fn commit(mut self, files: &[OutputFile], kept: &[KeptFolder]) -> Result<bool, Diagnostic> {
        if self.holds_already(files, kept) {
            return Ok(false);
        }
        let moves = self.folders_to_move(files, kept);
        let mut moved: Vec<String> = moves.iter().map(|m| m.path.clone()).collect();
        moved.extend(kept.iter().map(|folder| folder.path.clone()));
        write_all(&self.dir, files, &moved)?;
        // Files new to a moved folder go into it while it is in the old output: each under a
        // name the old output does not have, so no page of it shows them.
        let added: Vec<&OutputFile> = moves.iter().flat_map(|m| m.added.iter().copied()).collect();
        if let Err(err) = added.par_iter().try_for_each(|file| write_file(&self.output, file)) {
            remove_files(&self.output, added.iter().map(|f| f.path.as_str()));
            return Err(err);
        }
        if let Some(manifest) = manifest_path(&self.output) {
            match std::fs::remove_file(&manifest) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(Diagnostic::write(&manifest, e));
                }
                _ => {}
            }
        }
        let output = &self.output;
        if output.exists() {
            std::fs::rename(output, &self.old).map_err(|e| Diagnostic::write(output, e))?;
        }
        // The folders kept whole move from the old output into the new one, now that neither is
        // in place: a rename each instead of a link and an unlink per file.
        let mut taken: Vec<&str> = Vec::new();
        let mut swapped = Ok(());
        for folder in &moved {
            swapped = std::fs::rename(self.old.join(folder), self.dir.join(folder))
                .map_err(|e| Diagnostic::write(&self.dir.join(folder), e));
            if swapped.is_err() {
                break;
            }
            taken.push(folder);
        }
        if swapped.is_ok() {
            swapped = std::fs::rename(&self.dir, output).map_err(|e| Diagnostic::write(output, e));
        }
        if let Err(err) = swapped {
            // Put the previous output back, whole, before reporting.
            for folder in taken.iter().rev() {
                let _ = std::fs::rename(self.dir.join(folder), self.old.join(folder));
            }
            let _ = std::fs::rename(&self.old, output);
            remove_files(output, added.iter().map(|f| f.path.as_str()));
            return Err(err);
        }
        self.committed = true;
        // What the new output no longer has leaves the moved folders once it is in place.
        for of in &moves {
            for name in &of.stale {
                let path = output.join(&of.path).join(name);
                std::fs::remove_file(&path).map_err(|e| Diagnostic::write(&path, e))?;
            }
        }
        if self.old.exists() {
            remove_tree(&self.old).map_err(|e| Diagnostic::write(&self.old, e))?;
        }
        Ok(true)
    }
}

/// A folder of the old output that the new one takes over by moving it.
struct FolderMove<'a> {
    /// Path relative to the output root.
    path: String,
    /// The files it lacks, added before it moves.
    added: Vec<&'a OutputFile>,
    /// The names of the files it holds that the new output has not, removed once it is in place.
    stale: Vec<String>,
}

/// The files of the new output in one folder, as [`Staging::folders_to_move`] counts them.
#[derive(Default)]
struct FolderFiles<'a> {
    /// Their names.
    names: HashSet<&'a str>,
    /// How many are kept from the old output at their own paths.
    kept: usize,
    /// The others, but those already in the staging folder.
    added: Vec<&'a OutputFile>,
    /// Whether any is in the staging folder already.
    staged: bool,
}

/// A folder with at least this many files kept is moved into the new output.
const MOVED_FOLDER_FILES: usize = 64;

impl Staging {
    /// The folders that the new output takes over from the old one: folders of at least
    /// [`MOVED_FOLDER_FILES`] files kept from the old output at their own paths (a site's
    /// photos), none under a subfolder, where the old folder holds nothing but files, none at the
    /// path of a file that changed. The files new to such a folder are added to it, the files the
    /// new output no longer has are removed from it (at most as many of either as it keeps).
    fn folders_to_move<'a>(
        &self,
        files: &'a [OutputFile],
        kept: &[KeptFolder],
    ) -> Vec<FolderMove<'a>> {
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
                Contents::Keep(source) if *source == self.output.join(&file.path) => {
                    entry.kept += 1
                }
                // Written into the staging folder already, where the moved folder would go.
                Contents::Staged { .. } => entry.staged = true,
                _ => entry.added.push(file),
            }
        }
        let candidates: Vec<(&str, FolderFiles<'a>)> = folders
            .into_iter()
            .filter(|(folder, of)| {
                !of.staged
                    && of.kept >= MOVED_FOLDER_FILES
                    && of.added.len() <= of.kept
                    && !with_subfolders.contains(folder)
            })
            .collect();
        candidates
            .into_par_iter()
            .filter_map(|(folder, of)| {
                let held = self.files_in(folder)?;
                let added_new = of.added.iter().all(|f| {
                    let name = f.path.rsplit_once('/').map_or(f.path.as_str(), |(_, n)| n);
                    !held.contains(name)
                });
                let stale: Vec<String> =
                    held.iter().filter(|name| !of.names.contains(name.as_str())).cloned().collect();
                let whole =
                    added_new && held.len() == of.kept + stale.len() && stale.len() <= of.kept;
                whole.then(|| FolderMove { path: folder.to_string(), added: of.added, stale })
            })
            .collect()
    }

    /// The names of the files in `folder` of the old output; `None` if it holds anything else
    /// or cannot be read.
    fn files_in(&self, folder: &str) -> Option<HashSet<String>> {
        let entries = std::fs::read_dir(self.output.join(folder)).ok()?;
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
        let output = &self.output;
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
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Removes the folder `dir` and everything in it, its top-level entries in parallel (a site's
/// output is one folder per page, too many to remove one by one on one core).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
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

/// Writes `files` under `root`, but those in the folders `moved` (whole folders the commit moves
/// in from the old output), which are not made either.
fn write_all(root: &Path, files: &[OutputFile], moved: &[String]) -> Result<(), Diagnostic> {
    let moved: HashSet<&str> = moved.iter().map(String::as_str).collect();
    let in_moved =
        |file: &OutputFile| file.path.rsplit_once('/').is_some_and(|(f, _)| moved.contains(f));
    // Folders first, so parallel writes never race to create the same one: grouped by top-level
    // folder, the groups in parallel. Sorting can split a top-level folder's group in two (`a-b`
    // sorts between `a` and `a/b`), which create_dir_all tolerates: it accepts a folder another
    // thread made meanwhile.
    let mut dirs: BTreeSet<&str> = files
        .iter()
        .filter(|f| !matches!(f.contents, Contents::Staged { .. }) && !in_moved(f))
        .filter_map(|f| f.path.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    // A moved folder's parent must be there to move it into.
    dirs.extend(
        moved.iter().filter_map(|folder| folder.rsplit_once('/').map(|(parent, _)| parent)),
    );
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
            let path = root.join(dir);
            std::fs::create_dir_all(&path).map_err(|e| Diagnostic::write(&path, e))
        })
    })?;
    files.par_iter().filter(|file| !in_moved(file)).try_for_each(|file| write_file(root, file))
}

/// Writes `file` under `root`, whose folder is there already.
fn write_file(root: &Path, file: &OutputFile) -> Result<(), Diagnostic> {
    let path = root.join(&file.path);
    match &file.contents {
        Contents::Bytes(bytes) => {
            std::fs::write(&path, bytes).map_err(|e| Diagnostic::write(&path, e))
        }
        Contents::Copy(source) => {
            std::fs::copy(source, &path).map(|_| ()).map_err(|e| Diagnostic::read(source, e))
        }
        Contents::Link(source) if !wait_for_variant(source) => {
            Err(Diagnostic::read(source, std::io::ErrorKind::NotFound.into()))
        }
        Contents::Keep(source) | Contents::Link(source) => std::fs::hard_link(source, &path)
            .or_else(|_| std::fs::copy(source, &path).map(|_| ()))
            .map_err(|e| Diagnostic::read(source, e)),
        Contents::Staged { .. } => Ok(()),
    }
}

/// Removes the files at `paths` under `root` where they are, after a failed commit added them.
fn remove_files<'a>(root: &Path, paths: impl Iterator<Item = &'a str>) {
    for path in paths {
        let _ = std::fs::remove_file(root.join(path));
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
