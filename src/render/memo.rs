//! The memo of rendered outputs: what a render keeps for the next one ([`Memo`]: each output's
//! fingerprint and contents), and the manifest through which `midad build` keeps the unchanged
//! files of the previous build. `plan` decides from it which outputs to keep.

use std::path::Path;

use foldhash::HashMap;
use rayon::prelude::*;

use super::pages::{Home, Page};
use super::remembered::Remembered;
use crate::content::ArticleId;
use crate::fingerprint;
use crate::output::{Contents, KeptFolder, OutputFile, Previous, Ready, folder_stamp};

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
    /// output still holds after [`Memo::from_output`] (but those of whole photo folders, which
    /// [`Memo::whole_folder_links`] reads when they are needed), those of the build just made
    /// before [`Memo::save_for_output`] (where it kept a whole folder, not those in it).
    pub links: HashMap<String, u64>,
    /// The photos of the output, as the manifest recorded them.
    pub photos: Option<HeldPhotos>,
    /// Files of the output neither fingerprinted nor links whose bytes' hash is known (the
    /// search index, `search::file_hash`), by output path: as the manifest recorded them after
    /// [`Memo::from_output`], those of the build just made before it is saved.
    pub hashed: HashMap<String, u64>,
    /// Every file of the output, as the manifest listed them.
    pub previous: Option<Previous>,
}

/// The photo files of a build's output, as its manifest records them.
#[derive(Debug, Clone, Default)]
pub struct HeldPhotos {
    /// What they were made for.
    pub set: PhotoSet,
    /// Folders that hold nothing but links of image cache files (a site's `static/images`),
    /// with the stamp and number of files each had when the manifest was written.
    pub whole: Vec<KeptFolder>,
    /// Whether the output holds every file the manifest lists: each whole folder with its stamp,
    /// each other link.
    pub intact: bool,
}

/// What a build's photo files were made for, as its manifest records it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhotoSet {
    /// The fingerprint of everything they depend on (`images::Photos::wanted`).
    pub wanted: u64,
    /// How many images they are made from.
    pub sources: usize,
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
    pub(super) in_order: InOrder,
    /// What each home page shows.
    pub(super) homes: Vec<Home>,
    /// The breaking stories (`site::breaking`: a generation has one build time).
    pub(super) breaking: Vec<ArticleId>,
    /// In a render on request, the version of the wanted outputs (`Wanted::version`) and their
    /// positions in render order.
    pub(super) wanted: Option<(u64, Vec<usize>)>,
    /// The redirect pages of aliases.
    pub(super) aliases: Vec<OutputFile>,
    /// What its fingerprints were made of, to find what changed since.
    pub(super) inputs: Inputs,
    /// The sitemaps, news sitemap and robots.txt it wrote.
    pub(super) sitemaps: Vec<(OutputFile, Option<u64>)>,
}

impl LastRender {
    /// The positions of the outputs wanted at `version`, if this render had the same.
    pub(super) fn wanted_at(&self, version: u64) -> Option<&[usize]> {
        self.wanted.as_ref().filter(|(at, _)| *at == version).map(|(_, positions)| &positions[..])
    }
}

/// The outputs of a render in render order, with their fingerprints.
#[derive(Debug)]
pub(super) enum InOrder {
    /// Every output.
    Every(Vec<(u64, bytes::Bytes)>),
    /// A render on request's: how many outputs there were, and those it made, by position.
    Wanted { len: usize, made: HashMap<usize, (u64, bytes::Bytes)> },
}

impl InOrder {
    /// How many outputs the render had, made or not.
    pub(super) fn len(&self) -> usize {
        match self {
            InOrder::Every(outputs) => outputs.len(),
            InOrder::Wanted { len, .. } => *len,
        }
    }

    /// The fingerprint and contents of the output at `position`, if it was made.
    pub(super) fn get(&self, position: usize) -> Option<&(u64, bytes::Bytes)> {
        match self {
            InOrder::Every(outputs) => outputs.get(position),
            InOrder::Wanted { made, .. } => made.get(&position),
        }
    }
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
            let mut fresh = fresh;
            fresh
                .par_iter_mut()
                .for_each(|(path, remembered)| self.carry_kept_size(path, remembered));
            // Into the map of the last render, emptied: its table (of 143,000 pages at 100,000
            // articles) is used again instead of a new one grown as it is filled.
            self.files.clear();
            self.files.reserve(fresh.len());
            self.files.extend(fresh);
        }
        self.last = last;
    }
}

impl Memo {
    /// Gives `remembered`, the output at `path` of a new render, the size this memo knows of
    /// the file it keeps, if it keeps the same file.
    fn carry_kept_size(&self, path: &str, remembered: &mut Remembered) {
        let Contents::Keep(source) = &remembered.contents else { return };
        if let Some(last) = self.files.get(path)
            && matches!(&last.contents, Contents::Keep(was) if was == source)
        {
            remembered.kept_size = last.kept_size;
        }
    }
}

/// The first line of a build manifest, with the midad that wrote it.
const MANIFEST_FORMAT: &str = "midad-manifest 3";

impl Memo {
    /// What identifies the midad that fingerprints: its version and its executable's size and
    /// modification time (fingerprints are only comparable within one binary).
    fn writer() -> Option<String> {
        Some(format!("{MANIFEST_FORMAT}\t{}", fingerprint::binary_identity()?))
    }

    /// The line of a manifest that names the output it describes, by its identity.
    fn describes(identity: u64) -> String {
        format!("output\t{identity:016x}")
    }

    /// The pages of the build in `output`, from the manifest the last `midad build` wrote beside
    /// it: each file that is still there with the size the manifest gives can be kept (hard
    /// linked) when its fingerprint is unchanged. Empty when there is no manifest, it was
    /// written by another midad, or for another output than the one in place (see
    /// `output::identity`).
    pub fn from_output(output: &Path) -> Memo {
        let mut memo = Memo::default();
        let (Some(manifest), Some(writer), Some(identity)) =
            (crate::output::manifest_path(output), Memo::writer(), crate::output::identity(output))
        else {
            return memo;
        };
        let Ok(bytes) = std::fs::read(manifest) else { return memo };
        let Ok(text) = simdutf8::basic::from_utf8(&bytes) else { return memo };
        let mut lines = text.lines();
        if lines.next() != Some(writer.as_str())
            || lines.next() != Some(Memo::describes(identity).as_str())
        {
            return memo;
        }
        let (photos, pages): (Vec<&str>, Vec<&str>) = lines.partition(|line| {
            matches!(line.split('\t').nth(1), Some(LINK | FOLDER | WHOLE | PHOTOS | OTHER))
        });
        memo.previous = Some(previous(&pages, &photos));
        memo.hashed = hashed_files(&photos);
        (memo.links, memo.photos) = held_photos(output, &photos);
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
                    let remembered =
                        Remembered { fingerprint: fp, contents, kept_size: Some(size) };
                    (path.to_string(), remembered)
                })
            })
            .collect();
        // Sized once: grown as it is filled, the map of 143,000 pages was rehashed at each
        // doubling, into fresh memory each time.
        memo.files.reserve(entries.len());
        memo.files.extend(entries);
        memo
    }

    /// The links of image cache files in the whole folders of `held` that `output` still holds,
    /// from the list the build that recorded them wrote beside the output.
    pub fn whole_folder_links(output: &Path, held: &HeldPhotos) -> HashMap<String, u64> {
        let Some(text) = crate::output::beside(output, LINKS_FILE)
            .and_then(|path| std::fs::read_to_string(path).ok())
        else {
            return HashMap::default();
        };
        let mut lines = text.lines();
        if lines.next() != Some(links_header(held.set.wanted).as_str()) {
            return HashMap::default();
        }
        let links: Vec<(&str, u64)> = lines
            .filter_map(|line| {
                let (key, path) = line.split_once('\t')?;
                Some((path, u64::from_str_radix(key, 16).ok()?))
            })
            .collect();
        let stamps = held.whole.iter().map(|f| (f.path.as_str(), Some(f.stamp))).collect();
        held_links(output, links, stamps)
    }

    /// Writes the manifest of the new output staged for `output` before it is swapped in:
    /// beside the output, under a name of its own (`output::next_manifest_path`), which becomes
    /// the manifest once that output is in place; until then the manifest of the old one stays.
    /// From this memo, with `files` and the `kept` folders the build wrote (which tell the whole
    /// photo folders from the others) and what its `photos` were made for.
    pub fn save_for_staged(
        &self,
        output: &Path,
        staged: &Ready,
        files: &[OutputFile],
        kept: &[KeptFolder],
        photos: Option<PhotoSet>,
    ) -> std::io::Result<()> {
        let Some(identity) = staged.identity() else { return Ok(()) };
        let Some(to) = crate::output::next_manifest_path(output, identity) else { return Ok(()) };
        let at = Described { output, tree: staged.tree(), identity, to };
        self.save(&at, files, kept, photos)
    }

    /// Writes the manifest of the output in place at `output` (see [`Memo::save_for_staged`]).
    pub fn save_for_output(
        &self,
        output: &Path,
        files: &[OutputFile],
        kept: &[KeptFolder],
        photos: Option<PhotoSet>,
    ) -> std::io::Result<()> {
        let (Some(to), Some(identity)) =
            (crate::output::manifest_path(output), crate::output::identity(output))
        else {
            return Ok(());
        };
        self.save(&Described { output, tree: output, identity, to }, files, kept, photos)
    }

    /// Writes the manifest of the output built in `at.tree`, as it is made: at 100,000 articles
    /// it is about 20 MB.
    fn save(
        &self,
        at: &Described<'_>,
        files: &[OutputFile],
        kept: &[KeptFolder],
        photos: Option<PhotoSet>,
    ) -> std::io::Result<()> {
        let Some(header) = Memo::writer() else { return Ok(()) };
        let folders = PhotoFolders::of(&self.links, files, kept);
        // The links of whole folders go to a file of their own, which stays as it is while the
        // photos do: a build that keeps the folders neither reads nor writes it.
        if let (Some(set), false) = (&photos, folders.whole_links.is_empty()) {
            let mut list = links_header(set.wanted);
            list.push('\n');
            for (path, key) in &folders.whole_links {
                list.push_str(&format!("{key:016x}\t{path}\n"));
            }
            if let Some(path) = crate::output::beside(at.output, LINKS_FILE) {
                crate::output::replace_file(&path, &list)?;
            }
        }
        crate::output::replace_file_with(&at.to, |out| {
            writeln!(out, "{header}")?;
            writeln!(out, "{}", Memo::describes(at.identity))?;
            self.write_remembered(out, at.tree)?;
            if let Some(PhotoSet { wanted, sources }) = photos {
                writeln!(out, "{wanted:016x}\t{PHOTOS}\t{sources}")?;
            }
            for (path, key) in &folders.other_links {
                writeln!(out, "{key:016x}\t{LINK}\t{path}")?;
            }
            // The files neither fingerprinted nor links (search index, static files), so that
            // the manifest lists every file of the output.
            let listed =
                |path: &str| self.files.contains_key(path) || self.links.contains_key(path);
            let mut others: Vec<&str> =
                files.iter().map(|file| file.path.as_str()).filter(|path| !listed(path)).collect();
            others.sort_unstable();
            for path in others.into_iter().filter(|path| !path.contains(['\n', '\t'])) {
                let hash = self.hashed.get(path).copied().unwrap_or(0);
                writeln!(out, "{hash:016x}\t{OTHER}\t{path}")?;
            }
            folders.write(out, at)
        })
    }

    /// Writes the line of every output file the memo remembers, by path, with its size in
    /// `tree`.
    fn write_remembered(&self, out: &mut dyn std::io::Write, tree: &Path) -> std::io::Result<()> {
        let mut entries: Vec<(&String, &Remembered)> = self.files.iter().collect();
        // Paths are the map's keys: each once, so an unstable sort is the order.
        entries.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        // Lines made a batch at a time, in parallel (143,000 of them at 100,000 articles), and
        // written in order.
        for batch in entries.chunks(LINES_AT_ONCE) {
            let lines: Vec<Vec<u8>> = batch
                .par_chunks(LINES_AT_ONCE / 16)
                .map(|entries| {
                    let mut lines = Vec::with_capacity(entries.len() * 80);
                    for &(path, remembered) in entries {
                        remembered_line(&mut lines, path, remembered, tree);
                    }
                    lines
                })
                .collect();
            for lines in lines {
                out.write_all(&lines)?;
            }
        }
        Ok(())
    }
}

/// How many lines of pages [`Memo::write_remembered`] makes before it writes them.
const LINES_AT_ONCE: usize = 1 << 15;

/// Appends the manifest line of the page at `path` to `out`: its fingerprint, its size and its
/// path; nothing for a path that would not read back as one line.
fn remembered_line(out: &mut Vec<u8>, path: &str, remembered: &Remembered, tree: &Path) {
    use std::io::Write as _;
    let Remembered { fingerprint: fp, contents, kept_size } = remembered;
    if path.contains(['\n', '\t']) {
        return;
    }
    let size = match contents {
        Contents::Bytes(bytes) => bytes.len() as u64,
        Contents::Staged { len } => *len,
        Contents::Keep(_) if let Some(size) = kept_size => *size,
        // A file of a folder that moves in at the swap is not in the tree yet: the same file is
        // at its source.
        Contents::Keep(source) | Contents::Copy(source) | Contents::Link(source) => {
            std::fs::metadata(tree.join(path))
                .or_else(|_| std::fs::metadata(source))
                .map_or(u64::MAX, |m| m.len())
        }
    };
    // Writing to a `Vec` cannot fail.
    let _ = writeln!(out, "{fp:016x}\t{size}\t{path}");
}

/// Which output a manifest describes, and where it goes.
struct Described<'a> {
    /// The output folder.
    output: &'a Path,
    /// Where that output is: the output folder, or the staging folder before the swap.
    tree: &'a Path,
    /// Its identity (see `output::identity`).
    identity: u64,
    /// The manifest's path.
    to: std::path::PathBuf,
}

/// The size field of a manifest line that records a link of an image cache file.
const LINK: &str = "link";
/// The size field of a manifest line that records a folder holding links and other files, by
/// its stamp.
const FOLDER: &str = "folder";
/// The size field of a manifest line that records a folder of nothing but links: its stamp, then
/// the number of its files and its path.
const WHOLE: &str = "whole";
/// The size field of the manifest line that records the fingerprint of the photos.
const PHOTOS: &str = "photos";
/// The size field of a manifest line that records a file neither fingerprinted nor a link.
const OTHER: &str = "other";
/// The stamp recorded for a folder whose stamp could not be told: no folder has it.
const UNKNOWN_STAMP: u64 = 0;
/// The kind of the file beside the output that lists the links in whole folders.
const LINKS_FILE: &str = "links";

/// The first line of the list of links in whole folders, with the photos' fingerprint.
fn links_header(wanted: u64) -> String {
    format!("midad-links 1\t{wanted:016x}")
}

/// The links of a build, sorted by path, told apart for its manifest.
struct PhotoFolders<'a> {
    /// Folders holding nothing but links (and no folder), with their number of files.
    whole: Vec<(&'a str, usize)>,
    /// The links in those folders (none for a folder kept whole).
    whole_links: Vec<(&'a str, u64)>,
    /// The other links, and the folders they are in.
    other_links: Vec<(&'a str, u64)>,
    other_folders: Vec<&'a str>,
}

impl<'a> PhotoFolders<'a> {
    /// Writes the manifest's lines of the folders of the output `at` describes.
    fn write(&self, out: &mut dyn std::io::Write, at: &Described<'_>) -> std::io::Result<()> {
        for folder in &self.other_folders {
            if let Some(stamp) = folder_stamp(&at.tree.join(folder)) {
                writeln!(out, "{stamp:016x}\t{FOLDER}\t{folder}")?;
            }
        }
        // Every whole folder has its line: one left out would be a folder the next build
        // neither keeps nor makes. A folder that moves in at the swap is still in the old output
        // (its stamp there holds if no file joins or leaves it); one whose stamp cannot be told
        // gets none that matches, so the next build lists it.
        for (folder, files) in &self.whole {
            let stamp = folder_stamp(&at.tree.join(folder))
                .or_else(|| folder_stamp(&at.output.join(folder)))
                .unwrap_or(UNKNOWN_STAMP);
            writeln!(out, "{stamp:016x}\t{WHOLE}\t{files}\t{folder}")?;
        }
        Ok(())
    }

    fn of(
        links: &'a HashMap<String, u64>,
        files: &'a [OutputFile],
        kept: &'a [KeptFolder],
    ) -> Self {
        let folder_of = |path: &'a str| path.rsplit_once('/').map_or("", |(folder, _)| folder);
        let mut links: Vec<(&str, u64)> = links
            .iter()
            .filter(|(path, _)| !path.contains(['\n', '\t']))
            .map(|(path, &key)| (path.as_str(), key))
            .collect();
        links.par_sort_unstable();
        // Each folder's files, and the folders with a folder in them.
        let mut in_folder: HashMap<&str, usize> = HashMap::default();
        let mut has_folders: foldhash::HashSet<&str> = Default::default();
        for file in files {
            *in_folder.entry(folder_of(&file.path)).or_default() += 1;
        }
        let folders = files.iter().map(|f| folder_of(&f.path));
        for folder in folders.chain(kept.iter().map(|f| f.path.as_str())) {
            for parent in crate::output::ancestors(folder) {
                if !has_folders.insert(parent) {
                    break;
                }
            }
        }
        let mut of_links: Vec<(&str, usize)> = Vec::new();
        for &(path, _) in &links {
            match of_links.last_mut() {
                Some((folder, n)) if *folder == folder_of(path) => *n += 1,
                _ => of_links.push((folder_of(path), 1)),
            }
        }
        let whole: foldhash::HashSet<&str> = of_links
            .iter()
            .filter(|(folder, n)| {
                !folder.is_empty()
                    && in_folder.get(folder) == Some(n)
                    && !has_folders.contains(folder)
            })
            .map(|(folder, _)| *folder)
            .collect();
        let (whole_links, other_links): (Vec<_>, Vec<_>) =
            links.into_iter().partition(|(path, _)| whole.contains(folder_of(path)));
        let mut whole: Vec<(&str, usize)> =
            of_links.iter().copied().filter(|(folder, _)| whole.contains(folder)).collect();
        whole.extend(kept.iter().map(|folder| (folder.path.as_str(), folder.files)));
        let mut other_folders: Vec<&str> = other_links.iter().map(|(p, _)| folder_of(p)).collect();
        other_folders.dedup();
        PhotoFolders { whole, whole_links, other_links, other_folders }
    }
}

/// Every file a manifest lists, from its `pages` lines and the others (`photos`): pages, links
/// and other files, and the whole folders.
fn previous(pages: &[&str], photos: &[&str]) -> Previous {
    let path_of = |line: &&str| line.splitn(3, '\t').nth(2).map(str::to_string);
    let mut previous =
        Previous { files: pages.iter().filter_map(path_of).collect(), whole: vec![] };
    for line in photos {
        let mut parts = line.splitn(3, '\t');
        match (parts.next(), parts.next(), parts.next()) {
            (_, Some(LINK | OTHER), Some(path)) => previous.files.push(path.to_string()),
            (_, Some(WHOLE), Some(rest)) => {
                if let Some((_, folder)) = rest.split_once('\t') {
                    previous.whole.push(folder.to_string());
                }
            }
            _ => {}
        }
    }
    previous
}

/// The files of a manifest's `lines` of other files that it records with the hash of their
/// bytes (0 for none), by path.
fn hashed_files(lines: &[&str]) -> HashMap<String, u64> {
    let hashed = lines.iter().filter_map(|line| {
        let mut parts = line.splitn(3, '\t');
        let (hash, OTHER, path) = (parts.next()?, parts.next()?, parts.next()?) else {
            return None;
        };
        let hash = u64::from_str_radix(hash, 16).ok().filter(|&hash| hash != 0)?;
        Some((path.to_string(), hash))
    });
    hashed.collect()
}

/// The links of a manifest's photo `lines` that `output` still holds, and the photos it records.
fn held_photos(output: &Path, lines: &[&str]) -> (HashMap<String, u64>, Option<HeldPhotos>) {
    let mut photos: Option<HeldPhotos> = None;
    let mut whole = Vec::new();
    let mut links = Vec::new();
    let mut stamps: HashMap<&str, Option<u64>> = HashMap::default();
    for line in lines {
        let mut parts = line.splitn(3, '\t');
        let (Some(number), Some(kind), Some(rest)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Ok(number) = u64::from_str_radix(number, 16) else { continue };
        match kind {
            PHOTOS => {
                let sources = rest.parse().unwrap_or(0);
                let set = PhotoSet { wanted: number, sources };
                photos = Some(HeldPhotos { set, ..HeldPhotos::default() });
            }
            FOLDER => {
                stamps.insert(rest, Some(number));
            }
            WHOLE => {
                let Some((files, path)) = rest.split_once('\t') else { continue };
                let Ok(files) = files.parse() else { continue };
                whole.push(KeptFolder { path: path.to_string(), stamp: number, files });
            }
            OTHER => {}
            _ => links.push((rest, number)),
        }
    }
    let listed = links.len();
    let held = held_links(output, links, stamps);
    let photos = photos.map(|mut photos| {
        let unchanged = |f: &KeptFolder| folder_stamp(&output.join(&f.path)) == Some(f.stamp);
        photos.intact = held.len() == listed && whole.iter().all(unchanged);
        photos.whole = whole;
        photos
    });
    (held, photos)
}

/// A folder's stamp in the manifest, and its links: path and cache key.
type FolderLinks<'a> = (Option<u64>, Vec<(&'a str, u64)>);

/// The `links` (path and cache key) that `output` still holds, given the `stamps` their folders
/// had when the manifest was written. A build only ever swaps in a complete output with its
/// manifest, so a file at a link's path is the link the manifest names. A folder with the stamp
/// it had then has lost no file; any other is listed.
fn held_links(
    output: &Path,
    links: Vec<(&str, u64)>,
    stamps: HashMap<&str, Option<u64>>,
) -> HashMap<String, u64> {
    let mut by_folder: HashMap<&str, FolderLinks<'_>> = HashMap::default();
    for (path, key) in links {
        let (folder, _) = path.rsplit_once('/').unwrap_or(("", path));
        let entry = by_folder.entry(folder).or_default();
        entry.0 = stamps.get(folder).copied().flatten();
        entry.1.push((path, key));
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
