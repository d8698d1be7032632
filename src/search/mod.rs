//! Search: an index of every published article, written beside the pages at build time, and the
//! script the search page runs it with in the browser.
//!
//! Text is folded and stemmed by the `arabic` layer ([`terms`]); the browser runs the same
//! rules, from tables the build writes out of the Rust code ([`client`]). The index is split by
//! term range ([`index`]), so a query downloads the manifest, a file or two per word and the
//! display data of the results it shows, whatever the size of the site.

pub mod client;
mod documents;
pub mod index;
pub mod packed;
mod postings;
pub mod terms;
pub mod vocabulary;

use std::path::Path;
use std::sync::Arc;

use foldhash::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::arabic::date::DateFormatter;
use crate::error::Diagnostic;
use crate::output::{Contents, OutputFile, Staging, put_into};
use crate::render::Site;

pub use client::{DIR, MANIFEST, SCRIPT, index_folder};
pub use documents::{Documents, SiteDocuments};
pub use packed::PackedTerms;
pub use vocabulary::{TermId, Vocabulary};

use documents::Source;

/// What an index came to, for the build report and benchmarks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Articles indexed.
    pub documents: usize,
    /// Of those, the ones inverted by this build: the others' postings were the last build's.
    pub inverted: usize,
    /// Distinct terms.
    pub terms: usize,
    /// Files made (manifest, term files, document files, script).
    pub files: usize,
    /// Of those, the ones the output in place held already, which were kept, not written.
    pub kept: usize,
    /// Their bytes.
    pub bytes: usize,
}

/// The manifest: what the script needs to find the file of a term or a document.
#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    documents: usize,
    docs_per_file: usize,
    body_weight: u8,
    /// `[first term, version]` of each term file `t<k>.bin`.
    terms: Vec<(&'a str, String)>,
    /// The version of each document file `d<k>.json`.
    docs: Vec<String>,
}

/// The index files and the search script of `site`, made now (see [`Documents`] to make them
/// again after an edit, or off the render's thread).
pub fn files(
    site: &Site<'_>,
    dates: &[&DateFormatter],
    vocabulary: &Arc<Vocabulary>,
) -> (Vec<OutputFile>, Stats) {
    SiteDocuments::new(site, dates, vocabulary).job(vocabulary).run()
}

/// The index of each language's documents, to be made: free of the site (`Job<'static>`, see
/// [`Documents::job`]) or borrowing it ([`SiteDocuments::job`]).
pub struct Job<'a> {
    /// The path of each language's pages, and its documents, oldest first.
    indexes: Vec<(String, Box<dyn Source + 'a>)>,
    vocabulary: Arc<Vocabulary>,
    body_weight: u8,
}

/// Where index files go as they are made.
#[derive(Clone, Copy, Default)]
pub struct Target<'a> {
    /// The staging folder of a one-off build; without one, they are kept in memory.
    pub staging: Option<&'a Staging>,
    /// The index files of the output in place: one made again with the same bytes is kept
    /// there, not written again.
    pub held: Option<Held<'a>>,
    /// The output folder beside which the postings of the index are kept for the next build
    /// (see [`postings`]), and were kept by the last; without one, every document is inverted.
    pub postings_beside: Option<&'a Path>,
}

impl<'a> Target<'a> {
    /// A one-off build's: each file written into `staging` unless the output in place holds it
    /// (`held`), and the postings kept beside that output.
    pub fn staged(staging: &'a Staging, held: Held<'a>) -> Target<'a> {
        Target { staging: Some(staging), held: Some(held), postings_beside: Some(held.output) }
    }
}

/// The index files the output in place holds, as the last build's manifest records them.
#[derive(Clone, Copy)]
pub struct Held<'a> {
    /// The output folder.
    pub output: &'a Path,
    /// The hash of each one's bytes ([`file_hash`]), by output path.
    pub hashes: &'a HashMap<String, u64>,
}

impl Held<'_> {
    /// Whether the output in place holds the file at `path` with bytes of hash `hash` and
    /// length `len`.
    fn holds(&self, path: &str, hash: u64, len: usize) -> bool {
        self.hashes.get(path) == Some(&hash)
            && std::fs::symlink_metadata(self.output.join(path))
                .is_ok_and(|meta| meta.is_file() && meta.len() == len as u64)
    }
}

/// The hash of an index file's bytes, which the manifest of a build records.
pub fn file_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// What [`Job::run_into`] made.
#[derive(Debug, Default)]
pub struct Indexed {
    /// The index files and the search script.
    pub files: Vec<OutputFile>,
    /// What they came to.
    pub stats: Stats,
    /// The hash of each file's bytes, by output path.
    pub hashes: Vec<(String, u64)>,
    /// Postings that could not be kept for the next build.
    pub warnings: Vec<Diagnostic>,
}

/// An index file placed by [`place`].
struct Placed {
    file: OutputFile,
    hash: u64,
    len: usize,
    /// Whether it was kept from the output in place.
    kept: bool,
}

/// Puts the index file at `path` where `target` says: kept from the output in place when that
/// holds the same bytes, else written into the staging folder, if there is one.
fn place(target: Target<'_>, path: String, bytes: Vec<u8>) -> Result<Placed, Diagnostic> {
    let (hash, len) = (file_hash(&bytes), bytes.len());
    if let Some(held) = target.held.filter(|held| held.holds(&path, hash, len)) {
        let file = OutputFile { contents: Contents::Keep(held.output.join(&path)), path };
        return Ok(Placed { file, hash, len, kept: true });
    }
    let file = put_into(target.staging, OutputFile::bytes(path, bytes))?;
    Ok(Placed { file, hash, len, kept: false })
}

impl Documents {
    /// What makes the index of the documents as they are now: cheap, and free of the site, so
    /// it can run on a thread of its own.
    pub fn job(&self, vocabulary: &Arc<Vocabulary>, body_weight: u8) -> Job<'static> {
        Job { indexes: self.sources(), vocabulary: Arc::clone(vocabulary), body_weight }
    }
}

impl<'a> SiteDocuments<'a> {
    /// What makes the index of the site's documents, each made from the site as it is needed.
    pub fn job(&'a self, vocabulary: &Arc<Vocabulary>) -> Job<'a> {
        let body_weight = self.body_weight();
        Job { indexes: self.sources(), vocabulary: Arc::clone(vocabulary), body_weight }
    }
}

impl std::fmt::Debug for Job<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let documents: Vec<(&str, usize)> =
            self.indexes.iter().map(|(prefix, docs)| (prefix.as_str(), docs.count())).collect();
        f.debug_struct("Job").field("documents", &documents).finish_non_exhaustive()
    }
}

impl Job<'_> {
    /// The index files of each language, and the search script, in memory.
    pub fn run(&self) -> (Vec<OutputFile>, Stats) {
        // Nothing is written without a staging folder, so nothing fails.
        let indexed = self.run_into(Target::default()).unwrap_or_default();
        (indexed.files, indexed.stats)
    }

    /// The index files of each language, and the search script, each put where `target` says
    /// as soon as it is made (a one-off build holds none of their bytes).
    pub fn run_into(&self, target: Target<'_>) -> Result<Indexed, Diagnostic> {
        let script = place(target, SCRIPT.to_string(), client::script().into())?;
        let mut indexed = Indexed {
            stats: Stats { files: 1, kept: usize::from(script.kept), ..Stats::default() },
            hashes: vec![(script.file.path.clone(), script.hash)],
            files: vec![script.file],
            warnings: Vec::new(),
        };
        for (lang, (prefix, docs)) in self.indexes.iter().enumerate() {
            let kept_at = target.postings_beside.and_then(|output| postings::path(output, lang));
            let (placed, counted, saved) =
                self.index(prefix, docs.as_ref(), target, kept_at.as_deref())?;
            if let (Err(err), Some(path)) = (saved, kept_at) {
                indexed.warnings.push(Diagnostic::write(&path, err).warning());
            }
            for Placed { file, hash, .. } in placed {
                indexed.hashes.push((file.path.clone(), hash));
                indexed.files.push(file);
            }
            let stats = &mut indexed.stats;
            stats.documents += counted.documents;
            stats.terms += counted.terms;
            stats.files += counted.files;
            stats.kept += counted.kept;
            stats.bytes += counted.bytes;
            stats.inverted += counted.inverted;
        }
        Ok(indexed)
    }

    /// The index files of `docs` below `prefix`, inverted from the postings kept at `kept_at`
    /// where those are of the first of `docs`, and kept there for the next build.
    fn index(
        &self,
        prefix: &str,
        docs: &dyn Source,
        target: Target<'_>,
        kept_at: Option<&Path>,
    ) -> Result<(Vec<Placed>, Stats, std::io::Result<()>), Diagnostic> {
        let folder = index_folder(prefix);
        let made = |name: String, bytes: Vec<u8>| place(target, format!("{folder}{name}"), bytes);
        let stems = self.vocabulary.stems();
        let count = docs.count();
        let fingerprints: Vec<u64> =
            (0..count).into_par_iter().map(|n| docs.postings_fingerprint(n)).collect();
        let body_weight = self.body_weight;
        let key = postings::Key { body_weight, stems: &stems, documents: &fingerprints };
        let kept = kept_at.and_then(|path| postings::load(path, key)).unwrap_or_default();
        // The file holds these very postings already when no document was inverted and no
        // stem was added.
        let inverted = count - kept.documents as usize;
        let unchanged = inverted == 0 && kept.postings.len() == stems.len();
        let new_docs = docs.docs(kept.documents as usize..count);
        let postings =
            index::invert_onto(kept.postings, kept.documents, &new_docs, stems.len(), body_weight);
        let doc_file = |range| docs.doc_file(range);
        let (encoded, saved) = rayon::join(
            || index::encode(&postings, count as u32, &stems, doc_file, made),
            || match kept_at {
                Some(path) if !unchanged => postings::save(path, key, &postings),
                _ => Ok(()),
            },
        );
        let term_files: Vec<(String, Placed)> = encoded
            .term_files
            .into_iter()
            .map(|(first, placed)| placed.map(|placed| (first, placed)))
            .collect::<Result<_, _>>()?;
        let doc_files: Vec<Placed> = encoded.doc_files.into_iter().collect::<Result<_, _>>()?;
        let manifest = Manifest {
            version: 1,
            documents: count,
            docs_per_file: index::DOCS_PER_FILE,
            body_weight: self.body_weight,
            terms: term_files
                .iter()
                .map(|(first, placed)| (first.as_str(), version(placed)))
                .collect(),
            docs: doc_files.iter().map(version).collect(),
        };
        let manifest = serde_json::to_vec(&manifest).unwrap_or_default();
        let manifest = place(target, format!("{prefix}{MANIFEST}"), manifest)?;
        let placed =
            || term_files.iter().map(|(_, placed)| placed).chain([&manifest]).chain(&doc_files);
        let stats = Stats {
            documents: count,
            inverted,
            terms: encoded.terms,
            files: placed().count(),
            kept: placed().filter(|placed| placed.kept).count(),
            bytes: placed().map(|placed| placed.len).sum(),
        };
        let files = term_files.into_iter().map(|(_, placed)| placed).chain(doc_files);
        Ok((std::iter::once(manifest).chain(files).collect(), stats, saved))
    }
}

/// An index file's version in the index manifest: the first 32 bits of its hash, in hex; a new
/// version is fetched anew.
fn version(placed: &Placed) -> String {
    format!("{:08x}", placed.hash >> 32)
}
