//! Rebuilding a site after a batch of [`Change`]s, and knowing which output files changed.
//!
//! [`Rebuilder::rebuild`] is the one call `serve` and `build --watch` make after every batch of
//! changes. A [`pipeline::Session`] keeps the site in memory and re-renders only the pages whose
//! inputs changed; this module then compares the new files with the previous build to tell which
//! output paths changed: rendered files by their bytes (pages the session kept share them, so
//! that is a pointer comparison), copied files by their source path, size and modification time.
//!
//! A failed rebuild changes nothing here: the previous build stays the one new builds are compared
//! with, as it stays the one `serve` serves.

use foldhash::{HashMap, HashMapExt};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::SystemTime;

use rayon::prelude::*;

use super::demand::Demand;
use super::watch::{Change, Signal};
use crate::error::Errors;
use crate::output::{Contents, OutputFile};
use crate::pipeline::{BuildOptions, BuildReport, Built, Session};
use crate::search;

/// A whole build held in memory, looked up by output path.
#[derive(Debug, Default)]
pub struct Snapshot {
    files: Vec<OutputFile>,
    index: Arc<HashMap<String, usize>>,
}

impl Snapshot {
    /// Indexes `files` by path.
    pub fn new(files: Vec<OutputFile>) -> Snapshot {
        let index = files.iter().enumerate().map(|(idx, f)| (f.path.clone(), idx)).collect();
        Snapshot { files, index: Arc::new(index) }
    }

    /// `files`, which have the same paths in the same order as `self`'s: the index is shared.
    fn with_layout_of(&self, files: Vec<OutputFile>) -> Snapshot {
        Snapshot { files, index: Arc::clone(&self.index) }
    }

    /// Whether `files` have the same paths as `self`'s, in the same order.
    fn same_layout(&self, files: &[OutputFile]) -> bool {
        self.files.len() == files.len()
            && self.files.iter().zip(files).all(|(old, new)| old.path == new.path)
    }

    /// The file at an output path (`politics/x/index.html`), if the build has it.
    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.index.get(path).map(|&idx| &self.files[idx])
    }

    /// Every file, in build order.
    pub fn files(&self) -> &[OutputFile] {
        &self.files
    }

    /// Whether the build has no file (no good build yet).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// What a successful rebuild produced.
#[derive(Debug)]
pub struct Rebuilt {
    /// The new build, whole.
    pub files: Arc<Snapshot>,
    /// Output paths that differ from the previous build: new, changed or gone, sorted.
    pub changed: Vec<String>,
    /// How many pages were rendered for this rebuild.
    pub rendered_pages: usize,
    /// The build's own report (warnings, steps, counts).
    pub report: BuildReport,
}

/// Keeps the last good build of a site and rebuilds it on demand.
#[derive(Debug)]
pub struct Rebuilder {
    session: Session,
    last: Arc<Snapshot>,
    /// Size and modification time of each copied file's source at the last good build.
    stamps: HashMap<String, Stamp>,
    /// The search index, when it is made off the rebuild's path.
    indexing: Option<Indexing>,
    /// With `Some` (a preview), only the pages browsers asked for are rendered.
    demand: Option<Demand>,
}

/// A preview's search index: made on a thread of its own after each rebuild, so that the
/// pages go out first. Until it is ready the last one is served, and then it is published as a
/// change of its own ([`Rebuilder::indexed`]).
#[derive(Debug)]
struct Indexing {
    /// Where a finished index is sent: the loop that rebuilds.
    done: mpsc::Sender<Signal>,
    /// The number of the index asked for last. An index finished after a newer one was asked
    /// for is dropped.
    asked: u64,
    /// The files of the index published last.
    files: Vec<OutputFile>,
}

/// What identifies the contents of a copied file without reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    source: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

impl Stamp {
    fn of(source: &std::path::Path) -> Stamp {
        let meta = std::fs::metadata(source).ok();
        Stamp {
            source: source.to_path_buf(),
            len: meta.as_ref().map_or(0, |m| m.len()),
            modified: meta.and_then(|m| m.modified().ok()),
        }
    }
}

impl Rebuilder {
    /// A rebuilder with no build yet: the first [`rebuild`](Self::rebuild) reports every file as
    /// changed.
    pub fn new(opts: BuildOptions) -> Rebuilder {
        Rebuilder {
            session: Session::new(opts),
            last: Arc::default(),
            stamps: HashMap::new(),
            indexing: None,
            demand: None,
        }
    }

    /// A rebuilder for a preview: after the first build, each rebuild's search index is made on
    /// a thread of its own, which sends it to `done` as [`Signal::Indexed`] to be given to
    /// [`Rebuilder::indexed`].
    pub fn indexing_in_background(opts: BuildOptions, done: mpsc::Sender<Signal>) -> Rebuilder {
        Rebuilder {
            session: Session::new(opts).deferring_search(),
            last: Arc::default(),
            stamps: HashMap::new(),
            indexing: Some(Indexing { done, asked: 0, files: Vec::new() }),
            demand: None,
        }
    }

    /// A rebuilder for a preview that renders pages when they are asked for ([`Rebuilder::want`])
    /// and keeps them rendered within `budget` bytes (see [`Demand`]); its search index is made as
    /// with [`Rebuilder::indexing_in_background`].
    pub fn on_request(opts: BuildOptions, done: mpsc::Sender<Signal>, budget: usize) -> Rebuilder {
        Rebuilder {
            session: Session::new(opts).deferring_search().reusing_build_cache(),
            last: Arc::default(),
            stamps: HashMap::new(),
            indexing: Some(Indexing { done, asked: 0, files: Vec::new() }),
            demand: Some(Demand::new(budget)),
        }
    }

    /// Notes that `paths` were asked for, for the next rebuild to render (see
    /// [`Rebuilder::want`]).
    pub fn ask(&mut self, paths: &[String]) {
        if let Some(demand) = &mut self.demand {
            demand.ask(paths);
        }
    }

    /// Renders the outputs at `paths` that are not rendered yet, when they are pages of the site
    /// (a render on request: see [`Rebuilder::on_request`]); `None` when there is nothing to do.
    /// The result reports no change but those of an earlier rebuild that failed.
    pub fn want(&mut self, paths: &[String]) -> Option<Result<Rebuilt, Errors>> {
        let demand = self.demand.as_mut()?;
        if !demand.ask(paths) || self.last.is_empty() {
            return None;
        }
        // The changes of a rebuild that failed are applied first: the session keeps them.
        let Built { mut files, report, search } =
            match self.session.rebuild_wanted(&[], Some(demand.on_request())) {
                Ok(built) => built,
                Err(errors) => return Some(Err(errors)),
            };
        match &mut self.indexing {
            // The first search opened makes the index now: its page asks for the files next.
            Some(indexing) if indexing.files.is_empty() => self.index(search, &mut files),
            Some(indexing) => files.extend(indexing.files.iter().cloned()),
            None => {}
        }
        let stamps = self.stamps.clone();
        Some(Ok(self.replace(files, stamps, report)))
    }

    /// Rebuilds after `changes` (all of them, when the first build or a restart calls it with
    /// none). On success the result becomes the last good build.
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Rebuilt, Errors> {
        let on_request = self.demand.as_ref().map(Demand::on_request);
        let Built { mut files, report, search } =
            self.session.rebuild_wanted(changes, on_request)?;
        self.index(search, &mut files);
        let stamps: HashMap<String, Stamp> = files
            .par_iter()
            .filter_map(|f| match &f.contents {
                Contents::Copy(source) | Contents::Keep(source) => {
                    Some((f.path.clone(), Stamp::of(source)))
                }
                // A session keeps its pages in memory: nothing is staged. A variant's cache
                // path names its content.
                Contents::Bytes(_) | Contents::Staged { .. } | Contents::Link(_) => None,
            })
            .collect();
        Ok(self.replace(files, stamps, report))
    }

    /// Adds the search index to a rebuild's `files`: made now for the first build, else the
    /// last one while `job` makes the new one on a thread of its own.
    fn index(&mut self, job: Option<search::Job<'static>>, files: &mut Vec<OutputFile>) {
        let Some(indexing) = &mut self.indexing else {
            files.extend(job.map(|job| job.run().0).into_iter().flatten());
            return;
        };
        indexing.asked += 1;
        // None when the site has no search, or a preview nobody searches.
        let Some(job) = job else {
            indexing.files.clear();
            return;
        };
        if indexing.files.is_empty() {
            indexing.files = job.run().0;
        } else {
            let (done, number) = (indexing.done.clone(), indexing.asked);
            let job = Arc::new(job);
            let background = Arc::clone(&job);
            let spawned = std::thread::Builder::new().name("search".into()).spawn(move || {
                let _ = done.send(Signal::Indexed { number, files: background.run().0 });
            });
            if spawned.is_err() {
                indexing.files = job.run().0;
            }
        }
        files.extend(indexing.files.iter().cloned());
    }

    /// The last good build with the search index `files` in place of the one it has, if
    /// `number` is the index asked for last (else a newer one is on its way, and `None`).
    pub fn indexed(&mut self, number: u64, files: Vec<OutputFile>) -> Option<Rebuilt> {
        let indexing = self.indexing.as_mut().filter(|indexing| indexing.asked == number)?;
        let published: std::collections::HashSet<&str> =
            indexing.files.iter().map(|f| f.path.as_str()).collect();
        let mut all: Vec<OutputFile> = self
            .last
            .files
            .iter()
            .filter(|f| !published.contains(f.path.as_str()))
            .cloned()
            .collect();
        all.extend(files.iter().cloned());
        indexing.files = files;
        let stamps = self.stamps.clone();
        Some(self.replace(all, stamps, BuildReport::default()))
    }

    /// Makes `files` the last good build, and says which paths changed.
    fn replace(
        &mut self,
        files: Vec<OutputFile>,
        stamps: HashMap<String, Stamp>,
        report: BuildReport,
    ) -> Rebuilt {
        // Rebuilds that change no page's path (edits of text) keep the layout: the index is
        // shared, and each file is compared with the one at the same position.
        let same_layout = self.last.same_layout(&files);
        let snapshot =
            if same_layout { self.last.with_layout_of(files) } else { Snapshot::new(files) };
        let mut changed: Vec<String> = if same_layout {
            snapshot
                .files
                .par_iter()
                .zip(self.last.files.par_iter())
                .filter(|(new, old)| !self.same_file(new, Some(old), &stamps))
                .map(|(file, _)| file.path.clone())
                .collect()
        } else {
            let mut changed: Vec<String> = snapshot
                .files
                .par_iter()
                .filter(|file| !self.same_file(file, self.last.get(&file.path), &stamps))
                .map(|file| file.path.clone())
                .collect();
            changed.extend(
                self.last
                    .files
                    .iter()
                    .filter(|f| snapshot.get(&f.path).is_none())
                    .map(|f| f.path.clone()),
            );
            changed
        };
        if let Some(demand) = &mut self.demand {
            // A page that appears or goes only because it was asked for or forgotten is no change
            // of the site.
            changed.retain(|path| match (self.last.get(path), snapshot.get(path)) {
                (None, Some(_)) => demand.is_change(path, true),
                (Some(_), None) => demand.is_change(path, false),
                _ => true,
            });
            demand.rendered();
            demand.forget_least_recent(|path| {
                snapshot.get(path).map_or(0, |file| file.contents.in_memory())
            });
        }
        changed.sort();
        let files = Arc::new(snapshot);
        self.last = Arc::clone(&files);
        self.stamps = stamps;
        Rebuilt { files, changed, rendered_pages: report.rendered_pages, report }
    }

    /// Whether `file` has the same contents as `old`, the last build's file at its path.
    fn same_file(
        &self,
        file: &OutputFile,
        old: Option<&OutputFile>,
        stamps: &HashMap<String, Stamp>,
    ) -> bool {
        match (&file.contents, old.map(|f| &f.contents)) {
            (Contents::Bytes(new), Some(Contents::Bytes(old))) => {
                (new.as_ptr() == old.as_ptr() && new.len() == old.len()) || new == old
            }
            (Contents::Link(new), Some(Contents::Link(old))) => new == old,
            (Contents::Copy(_), Some(Contents::Copy(_))) => {
                stamps.get(&file.path).is_some()
                    && stamps.get(&file.path) == self.stamps.get(&file.path)
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_lookup() {
        let snapshot = Snapshot::new(vec![
            OutputFile::bytes("index.html", "home"),
            OutputFile::bytes("politics/index.html", "politics"),
        ]);
        assert!(snapshot.get("politics/index.html").is_some());
        assert!(snapshot.get("politics/").is_none());
        assert!(!snapshot.is_empty());
        assert!(Snapshot::default().is_empty());
    }
}
