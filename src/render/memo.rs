//! The memo of rendered outputs: what a render keeps for the next one ([`Memo`]: each output's
//! fingerprint and contents), and the manifest through which `midad build` keeps the unchanged
//! files of the previous build. `plan` decides from it which outputs to keep.

use std::path::Path;

use foldhash::HashMap;
use rayon::prelude::*;

use super::pages::Page;
use super::remembered::Remembered;
use crate::content::ArticleId;
use crate::fingerprint;
use crate::output::{Contents, OutputFile};

/// The outputs of the last render, by output path, with the fingerprint of what each was
/// rendered from: an output whose fingerprint is unchanged keeps its contents and is not
/// rendered again. A session keeps its memo between rebuilds; `midad build` reads one from the
/// manifest of the last build.
#[derive(Debug, Default)]
pub struct Memo {
    /// Every fingerprinted output (pages, articles, feeds, sitemaps) by output path.
    pub(super) files: HashMap<String, Remembered>,
    /// What the last render in this process kept besides, for a render of the same site.
    pub(super) last: Option<LastRender>,
    /// Output paths that are links of image cache files, with each one's cache key: those the
    /// output still holds after [`Memo::from_output`], those of the build just made before
    /// [`Memo::save_for_output`].
    pub links: HashMap<String, u64>,
}

/// What a render keeps for the next render of the same site generation (`Site::generation`:
/// only article texts, templates or static files changed since). Only kept when every page
/// was in memory.
#[derive(Debug)]
pub(super) struct LastRender {
    /// The generation of the site it rendered.
    pub(super) generation: u64,
    /// The pages but the home page and the articles, reused instead of being listed again, with
    /// the fingerprint of each one's own variables, so only the summaries a page shows are
    /// fingerprinted again.
    pub(super) pages: Vec<Page>,
    pub(super) own: Vec<u64>,
    /// The home page, the other pages and the articles, in render order, with their
    /// fingerprints: a render of the same generation has the same pages in the same order, and
    /// looks them up by position instead of by path.
    pub(super) in_order: Vec<(u64, bytes::Bytes)>,
    /// What its fingerprints were made of, to find what changed since.
    pub(super) inputs: Inputs,
    /// The sitemaps, news sitemap and robots.txt it wrote.
    pub(super) sitemaps: Vec<(OutputFile, Option<u64>)>,
}

impl Memo {
    /// What the last render kept, if it rendered the same `generation` of the site; taken, so a
    /// render that fails leaves none.
    pub(super) fn take_last(&mut self, generation: u64) -> Option<LastRender> {
        self.last.take().filter(|last| last.generation == generation)
    }

    /// Records a render: `fresh` are its outputs to remember (after a render of the same site,
    /// only those whose fingerprint changed: the others are remembered already; else all of
    /// them, replacing the last render's), and `last` what the next render of the same site may
    /// use.
    pub(super) fn record(
        &mut self,
        same_site: bool,
        fresh: Vec<(String, Remembered)>,
        last: Option<LastRender>,
    ) {
        if same_site {
            self.files.extend(fresh);
        } else {
            self.files = fresh.into_iter().collect();
        }
        self.last = last;
    }
}

/// The first line of a build manifest, with the midad that wrote it.
const MANIFEST_FORMAT: &str = "midad-manifest 1";

impl Memo {
    /// What identifies the midad that fingerprints: its version and its executable's size and
    /// modification time (fingerprints are only comparable within one binary).
    fn writer() -> Option<String> {
        Some(format!("{MANIFEST_FORMAT}\t{}", fingerprint::binary_identity()?))
    }

    /// The pages of the build in `output`, from the manifest the last `midad build` wrote beside
    /// it: each file that is still there with the size the manifest gives can be kept (hard
    /// linked) when its fingerprint is unchanged. Empty when there is no manifest, or it was
    /// written by another midad.
    pub fn from_output(output: &Path) -> Memo {
        let mut memo = Memo::default();
        let (Some(manifest), Some(writer)) = (crate::output::manifest_path(output), Memo::writer())
        else {
            return memo;
        };
        let Ok(text) = std::fs::read_to_string(manifest) else { return memo };
        let mut lines = text.lines();
        if lines.next() != Some(writer.as_str()) {
            return memo;
        }
        let (links, pages): (Vec<&str>, Vec<&str>) =
            lines.partition(|line| matches!(line.split('\t').nth(1), Some(LINK | FOLDER)));
        memo.links = held_links(output, &links);
        let entries: Vec<(String, Remembered)> = pages
            .par_iter()
            .filter_map(|line| {
                let mut parts = line.splitn(3, '\t');
                let fp = u64::from_str_radix(parts.next()?, 16).ok()?;
                let size: u64 = parts.next()?.parse().ok()?;
                let path = parts.next()?;
                let file = output.join(path);
                let meta = std::fs::symlink_metadata(&file).ok()?;
                (meta.is_file() && meta.len() == size).then(|| {
                    let contents = Contents::Keep(file);
                    (path.to_string(), Remembered { fingerprint: fp, contents })
                })
            })
            .collect();
        memo.files = entries.into_iter().collect();
        memo
    }

    /// Writes the manifest of the build just written to `output` from this memo.
    pub fn save_for_output(&self, output: &Path) -> std::io::Result<()> {
        let (Some(manifest), Some(writer)) = (crate::output::manifest_path(output), Memo::writer())
        else {
            return Ok(());
        };
        let mut text = writer;
        text.push('\n');
        let mut entries: Vec<(&String, &Remembered)> = self.files.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (path, Remembered { fingerprint: fp, contents }) in entries {
            let size = match contents {
                Contents::Bytes(bytes) => bytes.len() as u64,
                Contents::Staged { len } => *len,
                Contents::Keep(_) | Contents::Copy(_) | Contents::Link(_) => {
                    std::fs::metadata(output.join(path)).map(|m| m.len()).unwrap_or(u64::MAX)
                }
            };
            if !path.contains(['\n', '\t']) {
                text.push_str(&format!("{fp:016x}\t{size}\t{path}\n"));
            }
        }
        let mut links: Vec<(&String, &u64)> = self.links.iter().collect();
        links.sort();
        let mut folders = std::collections::BTreeSet::new();
        for (path, key) in links.into_iter().filter(|(path, _)| !path.contains(['\n', '\t'])) {
            text.push_str(&format!("{key:016x}\t{LINK}\t{path}\n"));
            folders.insert(path.rsplit_once('/').map_or("", |(folder, _)| folder));
        }
        for folder in folders {
            if let Some(stamp) = folder_stamp(&output.join(folder)) {
                text.push_str(&format!("{stamp:016x}\t{FOLDER}\t{folder}\n"));
            }
        }
        crate::output::replace_file(&manifest, &text)
    }
}

/// The size field of a manifest line that records a link of an image cache file.
const LINK: &str = "link";
/// The size field of a manifest line that records a folder holding links, by its stamp.
const FOLDER: &str = "folder";

/// What changes when a file is added to or removed from the folder at `path`: its inode and
/// modification time.
#[cfg(not(unix))]
fn folder_stamp(_path: &Path) -> Option<u64> {
    None
}

/// What changes when a file is added to or removed from the folder at `path`: its inode and
/// modification time.
#[cfg(unix)]
fn folder_stamp(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).ok()?;
    let parts = [meta.dev(), meta.ino(), meta.mtime() as u64, meta.mtime_nsec() as u64];
    Some(fingerprint::of(&parts))
}

/// A folder's stamp in the manifest, and its links: path and cache key.
type FolderLinks<'a> = (Option<u64>, Vec<(&'a str, u64)>);

/// The links of manifest `lines` (`key \t link \t path` and `stamp \t folder \t path`) that
/// `output` still holds. A build only ever swaps in a complete output with its manifest, so a
/// file at a link's path is the link the manifest names. A folder with the stamp it had then has
/// lost no file; any other is listed.
fn held_links(output: &Path, lines: &[&str]) -> HashMap<String, u64> {
    let mut by_folder: HashMap<&str, FolderLinks<'_>> = HashMap::default();
    for line in lines {
        let mut parts = line.splitn(3, '\t');
        let (Some(number), Some(kind), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Ok(number) = u64::from_str_radix(number, 16) else { continue };
        if kind == FOLDER {
            by_folder.entry(path).or_default().0 = Some(number);
        } else {
            let (folder, _) = path.rsplit_once('/').unwrap_or(("", path));
            by_folder.entry(folder).or_default().1.push((path, number));
        }
    }
    let by_folder: Vec<(&str, FolderLinks<'_>)> = by_folder.into_iter().collect();
    by_folder
        .par_iter()
        .flat_map_iter(|(folder, (stamp, links))| {
            if stamp.is_some() && folder_stamp(&output.join(folder)) == *stamp {
                return links.iter().map(|&(path, key)| (path.to_string(), key)).collect();
            }
            let files: std::collections::HashSet<std::ffi::OsString> =
                std::fs::read_dir(output.join(folder))
                    .into_iter()
                    .flatten()
                    .filter_map(Result::ok)
                    .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
                    .map(|entry| entry.file_name())
                    .collect();
            links
                .iter()
                .filter(move |(path, _)| {
                    let name = path.rsplit_once('/').map_or(*path, |(_, name)| name);
                    files.contains(std::ffi::OsStr::new(name))
                })
                .map(|&(path, key)| (path.to_string(), key))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The inputs of a render that the next one compares with its own to tell, without
/// fingerprinting every page again, which pages can have changed.
#[derive(Debug)]
pub(super) struct Inputs {
    /// See `plan::Fingerprints::global`.
    pub(super) global: u64,
    pub(super) templates: u64,
    pub(super) summaries: Vec<u64>,
    pub(super) sources: Vec<u64>,
    /// `related` is a copy of [`Site::related`] at this version.
    pub(super) related_version: u64,
    pub(super) related: Vec<Vec<ArticleId>>,
}
