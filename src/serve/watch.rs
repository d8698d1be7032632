//! File-system events of a site folder, turned into typed [`Change`]s.
//!
//! [`Watcher`] watches what a build reads (`content/`, `data/`, `static/`, `templates/`, `themes/`
//! and `config.toml`) through notify and a debouncer, so an editor's save (which is often a burst:
//! write a temp file, rename the original to a backup, rename the temp file over it, delete the
//! backup) arrives as one batch. [`classify`] names what each path is; swap and backup files
//! (`.swp`, `~`, `4913`, `.#…`, JetBrains' `___jb_tmp___`) are dropped by the same rule the build
//! uses to skip them ([`crate::content::is_ignored_name`]), so the watcher never reacts to a file
//! the build would not read. The root is watched without recursion (for `config.toml` and for
//! the site folders appearing later), so `public/` and `target/` never cost a watch.
//!
//! This module decides nothing about rebuilding: it only says what changed (see `rebuild`).

use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::content::is_ignored_name;
use crate::error::Diagnostic;

pub use crate::pipeline::Change;

/// The folders of the site that a build reads, watched recursively.
const WATCHED_DIRS: [&str; 5] = ["content", "data", "static", "templates", "themes"];

/// How long a path must be quiet before its events are reported: long enough to join an
/// editor's save burst into one batch, short enough not to be felt.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for quiet paths.
const TICK: Duration = Duration::from_millis(3);

/// What [`classify`] needs to know of a site: its root and the output folder to ignore.
#[derive(Debug, Clone)]
pub struct SitePaths {
    /// The site folder, as given.
    pub root: PathBuf,
    /// The output folder, never a source even when it sits inside a watched folder.
    pub output: PathBuf,
}

/// The change `path` (absolute, or relative to the working folder like `root`) makes to the build,
/// or `None` when the build doesn't read it (swap files, hidden files, `public/`, …).
pub fn classify(site: &SitePaths, path: &Path) -> Option<Change> {
    if path.starts_with(&site.output) {
        return None;
    }
    let rel = path.strip_prefix(&site.root).ok()?;
    let parts: Vec<&str> = rel
        .components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    if parts.iter().any(|name| is_ignored_name(name)) {
        return None;
    }
    let is_md = rel.extension().is_some_and(|e| e == "md");
    match parts.as_slice() {
        ["config.toml"] => Some(Change::Config),
        ["content"] => Some(Change::Section),
        // A section's or home page's `_index.md`, or a translation's `_index.en.md`.
        ["content", .., name] if is_md && name.starts_with("_index.") => Some(Change::Section),
        ["content", _, _, ..] if is_md => Some(Change::Article(rel.to_path_buf())),
        // A file beside the home page's `_index.md` is never built; a folder is a section.
        ["content", _] => Some(Change::Section),
        // A path without an extension under a section is most likely a folder (a bundle created,
        // renamed or deleted): the structure changed.
        ["content", ..] if rel.extension().is_none() => Some(Change::Section),
        ["content", ..] => Some(Change::Static(rel.to_path_buf())),
        ["data", ..] => Some(Change::Data),
        ["static", ..] => Some(Change::Static(rel.to_path_buf())),
        ["templates", ..] => Some(Change::Template),
        ["themes", _, "static", ..] => Some(Change::Static(rel.to_path_buf())),
        ["themes", ..] => Some(Change::Template),
        _ => None,
    }
}

/// Whether an event can change what a build reads. Opening or reading a file (the build itself
/// does that) and metadata changes can't. Closing a written file can't either: the writes came
/// as modify events already, and counting the close too can split one save into two batches.
fn is_relevant(kind: &EventKind) -> bool {
    !matches!(kind, EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(_)))
}

/// A message to the loop that rebuilds: a batch of changes, a watcher failure, or stop.
#[derive(Debug)]
pub enum Signal {
    /// Paths changed; each was classified (and ignored paths dropped).
    Changes(Vec<Change>),
    /// The watcher reported an error (e.g. the system's watch limit was reached).
    Failed(String),
    /// Ctrl-C: finish.
    Stop,
    /// A search index made after a rebuild, numbered (see `Rebuilder::indexed`).
    Indexed {
        /// Which index it is.
        number: u64,
        /// Its files.
        files: Vec<crate::output::OutputFile>,
    },
    /// A browser asked for these output paths (`serve`): render those not rendered yet, then
    /// say so on `done` (none for a page served already, which is only noted as asked for).
    Wanted {
        /// The output paths (`politics/x/index.html`).
        paths: Vec<String>,
        /// Told once they are rendered and published (or are no page).
        done: Option<tokio::sync::oneshot::Sender<()>>,
    },
}

/// Watches a site folder and sends [`Signal::Changes`] batches.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    site: SitePaths,
    /// The folders watched recursively.
    watched: Vec<PathBuf>,
    /// Set by the event handler when a watched folder itself was created, deleted or renamed:
    /// its watch (if any) may be on a folder that no longer exists, even when a new one has the
    /// same name (and, often, the same inode number).
    top_touched: Arc<AtomicBool>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").field("site", &self.site).field("watched", &self.watched).finish()
    }
}

impl Watcher {
    /// Starts watching `site`; batches go to `tx`.
    pub fn start(site: SitePaths, tx: mpsc::Sender<Signal>) -> Result<Watcher, Diagnostic> {
        let classify_site = site.clone();
        let top_touched = Arc::new(AtomicBool::new(false));
        let touched = Arc::clone(&top_touched);
        let handler = move |res: DebounceEventResult| {
            let signal = match res {
                Ok(events) => {
                    let top_dirs: Vec<PathBuf> =
                        WATCHED_DIRS.iter().map(|d| classify_site.root.join(d)).collect();
                    // Only a folder created, deleted or renamed counts: reading a folder (as
                    // every build does) reports access events on it too, and re-watching the
                    // whole site after each of them costs a walk of every folder.
                    if events
                        .iter()
                        .filter(|e| {
                            matches!(
                                e.kind,
                                EventKind::Create(_)
                                    | EventKind::Remove(_)
                                    | EventKind::Modify(ModifyKind::Name(_))
                            )
                        })
                        .flat_map(|e| e.paths.iter())
                        .any(|p| top_dirs.contains(p))
                    {
                        touched.store(true, Ordering::SeqCst);
                    }
                    let mut changes: Vec<Change> = events
                        .iter()
                        .filter(|event| is_relevant(&event.kind))
                        .flat_map(|event| event.paths.iter())
                        .filter_map(|path| classify(&classify_site, path))
                        .collect();
                    changes.sort();
                    changes.dedup();
                    if changes.is_empty() {
                        return;
                    }
                    Signal::Changes(changes)
                }
                Err(errors) => Signal::Failed(
                    errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
                ),
            };
            let _ = tx.send(signal);
        };
        let debouncer = new_debouncer(DEBOUNCE, Some(TICK), handler).map_err(watch_error)?;
        let mut watcher = Watcher { debouncer, site, watched: Vec::new(), top_touched };
        let root = watcher.site.root.clone();
        watcher.debouncer.watch(&root, RecursiveMode::NonRecursive).map_err(watch_error)?;
        watcher.watch_new_dirs()?;
        Ok(watcher)
    }

    /// Watches the site folders that exist now and were not watched yet: call it after a batch
    /// that created one (e.g. a first `templates/`), or re-created one that was deleted.
    pub fn watch_new_dirs(&mut self) -> Result<(), Diagnostic> {
        if self.top_touched.swap(false, Ordering::SeqCst) {
            for dir in self.watched.drain(..) {
                // Gone, or replaced: the old watch is stale (notify may have dropped it already).
                let _ = self.debouncer.unwatch(&dir);
            }
        }
        for name in WATCHED_DIRS {
            let dir = self.site.root.join(name);
            if dir.is_dir() && !self.watched.contains(&dir) {
                self.debouncer.watch(&dir, RecursiveMode::Recursive).map_err(watch_error)?;
                self.watched.push(dir);
            }
        }
        Ok(())
    }
}

fn watch_error(err: notify::Error) -> Diagnostic {
    Diagnostic::internal(format!("cannot watch the site for changes: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, AccessMode};

    #[track_caller]
    fn check(path: &str, expect: Option<Change>) {
        let site =
            SitePaths { root: PathBuf::from("/site"), output: PathBuf::from("/site/public") };
        assert_eq!(classify(&site, &Path::new("/site").join(path)), expect, "{path}");
    }

    fn article(path: &str) -> Option<Change> {
        Some(Change::Article(PathBuf::from(path)))
    }

    fn static_file(path: &str) -> Option<Change> {
        Some(Change::Static(PathBuf::from(path)))
    }

    #[test]
    fn content() {
        check("content/politics/budget.md", article("content/politics/budget.md"));
        check("content/politics/x/index.md", article("content/politics/x/index.md"));
        check("content/politics/الحكومة.md", article("content/politics/الحكومة.md"));
        check("content/politics/_index.md", Some(Change::Section));
        check("content/_index.md", Some(Change::Section));
        check("content/politics/_index.en.md", Some(Change::Section));
        check("content/sport", Some(Change::Section));
        check("content/politics/bundle", Some(Change::Section));
        check("content", Some(Change::Section));
        check("content/politics/x/cover.svg", static_file("content/politics/x/cover.svg"));
    }

    #[test]
    fn other_folders() {
        check("config.toml", Some(Change::Config));
        check("data/authors.toml", Some(Change::Data));
        check("static/css/site.css", static_file("static/css/site.css"));
        check("templates/article.html", Some(Change::Template));
        check("themes/akhbar/templates/partials/header.html", Some(Change::Template));
        check("themes/akhbar/i18n/ar.toml", Some(Change::Template));
        check(
            "themes/akhbar/static/css/akhbar.css",
            static_file("themes/akhbar/static/css/akhbar.css"),
        );
    }

    #[test]
    fn editors_files_and_the_output_are_ignored() {
        check("content/politics/.budget.md.swp", None);
        check("content/politics/budget.md~", None);
        check("content/politics/4913", None);
        check("content/politics/.#budget.md", None);
        check("content/politics/#budget.md#", None);
        check("content/politics/budget.md___jb_tmp___", None);
        check("content/politics/budget.md___jb_old___", None);
        check("static/css/site.css.bck", None);
        check(".git/index", None);
        check("public/index.html", None);
        check("target/debug/midad", None);
        check("README.md", None);
        check("themes/akhbar/.DS_Store", None);
    }

    #[test]
    fn reading_a_file_is_not_a_change() {
        assert!(!is_relevant(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!is_relevant(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(!is_relevant(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(is_relevant(&EventKind::Modify(ModifyKind::Data(
            notify::event::DataChange::Content
        ))));
        assert!(is_relevant(&EventKind::Remove(notify::event::RemoveKind::File)));
    }
}
