//! The spare output: the output before the one in place, kept beside it between builds
//! (`.public.midad-spare`), so that the next build brings it up to date by the files that changed
//! since and swaps it in, instead of linking every file of the site into a new folder and
//! removing the old one. Publishing one article into a site of 100,000 changes a few thousand of
//! its 140,000 files.
//!
//! A journal beside it (`.public.midad-spare-changes`) names the paths where the spare may differ
//! from the output in place, and binds the two folders by their identities. A build removes the
//! journal and takes the spare as its staging folder before it changes anything in it, so a build
//! killed meanwhile leaves a staging folder that the next one removes (`swap::recover`), and no
//! spare. The output in place is never written: a file of the spare may be a hard link of the
//! same file there, so whatever goes into the spare goes in as a new file ([`Staging::clear`]).

use std::io;
use std::path::Path;

use foldhash::{HashSet, HashSetExt};
use rayon::prelude::*;

use super::swap::Differences;
use super::{Contents, KeptFolder, OutputFile, Previous, Staging, ancestors, holds, same_file};
use crate::error::Diagnostic;

impl Staging {
    /// Where `files` and the `kept` folders differ from the output in place, which `previous`
    /// describes. A page rendered again into the same bytes is not a change: its staged file
    /// becomes a link of the one in place, which so keeps its modification time.
    pub(super) fn differences(
        &self,
        files: &[OutputFile],
        kept: &[KeptFolder],
        previous: &Previous,
    ) -> Differences {
        let changed: HashSet<String> = files
            .par_iter()
            .filter(|file| !self.holds_in_place(file))
            .map(|file| file.path.clone())
            .collect();
        let new: HashSet<&str> = files.iter().map(|file| file.path.as_str()).collect();
        let mut removed: Vec<String> = previous
            .files
            .par_iter()
            .filter(|path| !new.contains(path.as_str()))
            .cloned()
            .collect();
        let kept: HashSet<&str> = kept.iter().map(|folder| folder.path.as_str()).collect();
        for folder in previous.whole.iter().filter(|folder| !kept.contains(folder.as_str())) {
            let entries = std::fs::read_dir(self.output().join(folder)).into_iter().flatten();
            let names = entries.filter_map(|entry| entry.ok()?.file_name().into_string().ok());
            removed.extend(
                names.map(|name| format!("{folder}/{name}")).filter(|p| !new.contains(p.as_str())),
            );
        }
        Differences { changed, removed, moved: Vec::new() }
    }

    /// Whether the output in place holds `file` already.
    fn holds_in_place(&self, file: &OutputFile) -> bool {
        let path = self.output().join(&file.path);
        match &file.contents {
            Contents::Keep(source) => *source == path,
            Contents::Link(source) => same_file(source, &path),
            Contents::Bytes(bytes) => holds(&path, bytes),
            Contents::Copy(source) => std::fs::read(source).is_ok_and(|bytes| holds(&path, &bytes)),
            Contents::Staged { len } => {
                let staged = self.dir().join(&file.path);
                let same = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() == *len)
                    && std::fs::read(&staged).is_ok_and(|bytes| holds(&path, &bytes));
                same && link_over(&path, &staged).is_ok()
            }
        }
    }

    /// Brings the spare in the staging folder up to date, but the pages put there already: the
    /// files that changed since the output in place (`now`) and those where the spare differed
    /// from it (`self.spare`) are written, the folders kept whole are linked where the spare may
    /// lack them, and what the new output has not is removed.
    pub(super) fn update_spare(
        &self,
        files: &[OutputFile],
        kept: &[KeptFolder],
        now: &Differences,
    ) -> Result<(), Diagnostic> {
        let Some(before) = &self.spare else { return Ok(()) };
        let touched = |path: &str| {
            before.contains(path) || ancestors(path).any(|folder| before.contains(folder))
        };
        files.par_iter().try_for_each(|file| {
            let staged = matches!(file.contents, Contents::Staged { .. });
            if staged || !(now.changed.contains(&file.path) || touched(&file.path)) {
                return Ok(());
            }
            self.place(file)
        })?;
        let holding: HashSet<&str> = before.iter().flat_map(|path| ancestors(path)).collect();
        kept.par_iter().try_for_each(|folder| {
            let path = &folder.path;
            let stale = touched(path) || holding.contains(path.as_str());
            if stale || !self.dir().join(path).is_dir() { self.relink_folder(path) } else { Ok(()) }
        })?;
        let mut wanted: HashSet<&str> = HashSet::with_capacity(files.len() + kept.len());
        for path in files.iter().map(|f| f.path.as_str()).chain(kept.iter().map(|f| &*f.path)) {
            wanted.insert(path);
            for folder in ancestors(path) {
                if !wanted.insert(folder) {
                    break;
                }
            }
        }
        // What is under a folder kept whole is that folder's, linked above.
        let whole: HashSet<&str> = kept.iter().map(|folder| folder.path.as_str()).collect();
        let gone = now.removed.iter().chain(before).filter(|path| {
            !wanted.contains(path.as_str()) && !ancestors(path).any(|f| whole.contains(f))
        });
        for path in gone {
            self.remove(path).map_err(|e| self.cannot_write(&self.dir().join(path), e))?;
        }
        Ok(())
    }

    /// Writes `file` into the spare in the staging folder, in place of whatever is at its path.
    fn place(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let path = self.dir().join(&file.path);
        self.clear(&path).map_err(|e| self.cannot_write(&path, e))?;
        if let Some(folder) = path.parent() {
            self.make_folder(folder).map_err(|e| self.cannot_write(folder, e))?;
        }
        self.write_file(file)
    }

    /// Makes the spare's folder `rel` hold links of the files of the same folder in place.
    fn relink_folder(&self, rel: &str) -> Result<(), Diagnostic> {
        let folder = self.dir().join(rel);
        let source = self.output().join(rel);
        let linked = (|| {
            if std::fs::symlink_metadata(&folder).is_ok() {
                self.clear(&folder)?;
            }
            self.make_folder(&folder)?;
            let entries: Vec<std::fs::DirEntry> =
                std::fs::read_dir(&source)?.collect::<Result<_, _>>()?;
            entries.par_iter().try_for_each(|entry| {
                let to = folder.join(entry.file_name());
                std::fs::hard_link(entry.path(), &to).or_else(|_| self.copy(&entry.path(), &to))
            })
        })();
        linked.map_err(|e| self.cannot_write(&folder, e))
    }

    /// Removes the file or folder `rel` from the spare, and the folders it leaves empty.
    fn remove(&self, rel: &str) -> io::Result<()> {
        self.clear(&self.dir().join(rel))?;
        for folder in ancestors(rel) {
            if std::fs::remove_dir(self.dir().join(folder)).is_err() {
                break;
            }
        }
        Ok(())
    }

    /// Removes what is at `path` in the spare before a new file goes there: a file there may be
    /// a link of the file in place, which must not be written through. A folder there goes
    /// whole; a file in place of one of its folders goes when the folder is made
    /// ([`Staging::make_folder`]).
    pub(super) fn clear(&self, path: &Path) -> io::Result<()> {
        match std::fs::symlink_metadata(path) {
            Err(e)
                if matches!(e.kind(), io::ErrorKind::NotFound | io::ErrorKind::NotADirectory) =>
            {
                Ok(())
            }
            Err(e) => Err(e),
            Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(path),
            Ok(_) => std::fs::remove_file(path),
        }
    }

    /// Makes the folder `path` of the staging folder and those it is in; in the spare, a file
    /// where one of them goes is removed first.
    pub(super) fn make_folder(&self, path: &Path) -> io::Result<()> {
        match std::fs::create_dir_all(path) {
            Err(_) if self.spare.is_some() => {
                let root = self.dir();
                let rel = path.strip_prefix(root).map_err(|_| io::ErrorKind::InvalidInput)?;
                let mut at = root.to_path_buf();
                for part in rel.components() {
                    at.push(part);
                    if std::fs::symlink_metadata(&at).is_ok_and(|m| !m.is_dir()) {
                        std::fs::remove_file(&at)?;
                    }
                }
                std::fs::create_dir_all(path)
            }
            other => other,
        }
    }
}

/// Makes `path` a link of `source` in one step: the link is made beside it and renamed over it.
fn link_over(source: &Path, path: &Path) -> io::Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".midad-link");
    let _ = std::fs::remove_file(&temp);
    std::fs::hard_link(source, &temp)?;
    std::fs::rename(&temp, path)
}
