//! Search: an index of every published article, written beside the pages at build time, and the
//! script the search page runs it with in the browser.
//!
//! Text is folded and stemmed by the `arabic` layer ([`terms`]); the browser runs the same
//! rules, from tables the build writes out of the Rust code ([`client`]). The index is split by
//! term range ([`index`]), so a query downloads the manifest, a file or two per word and the
//! display data of the results it shows, whatever the size of the site.

pub mod client;
pub mod index;
pub mod terms;
pub mod vocabulary;

use rayon::prelude::*;
use serde::Serialize;

use crate::arabic::date::{DateFormatter, DateStyle};
use crate::config::SearchWeights;
use crate::content::ArticleId;
use crate::output::OutputFile;
use crate::render::Site;

pub use client::{DIR, MANIFEST, SCRIPT};
pub use vocabulary::{TermId, Vocabulary};

/// What an index came to, for the build report and benchmarks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stats {
    /// Articles indexed.
    pub documents: usize,
    /// Distinct terms.
    pub terms: usize,
    /// Files written (manifest, term files, document files, script).
    pub files: usize,
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

/// The index files and the search script of `site`: articles in date order, oldest first. The
/// bodies' search terms are numbers of `vocabulary`; the other fields' stems are added to it.
pub fn files(
    site: &Site<'_>,
    dates: &DateFormatter,
    vocabulary: &Vocabulary,
) -> (Vec<OutputFile>, Stats) {
    let weights = site.config.search.weights;
    let mut ids: Vec<ArticleId> = (0..site.library.articles.len()).collect();
    ids.sort_by_key(|&id| {
        let article = &site.library.articles[id];
        (article.date.timestamp(), &article.path)
    });
    let docs: Vec<index::Doc<'_>> =
        ids.par_iter().map(|&id| doc(site, dates, weights, vocabulary, id)).collect();
    let encoded = index::encode(&docs, &vocabulary.stems(), weights.body);
    let version = |bytes: &[u8]| format!("{:08x}", xxhash_rust::xxh3::xxh3_64(bytes) >> 32);
    let manifest = Manifest {
        version: 1,
        documents: docs.len(),
        docs_per_file: index::DOCS_PER_FILE,
        body_weight: weights.body,
        terms: encoded.term_files.iter().map(|(first, b)| (first.as_str(), version(b))).collect(),
        docs: encoded.doc_files.iter().map(|b| version(b)).collect(),
    };
    let manifest = serde_json::to_vec(&manifest).unwrap_or_default();
    let stats = Stats {
        documents: docs.len(),
        terms: encoded.terms,
        files: 2 + encoded.term_files.len() + encoded.doc_files.len(),
        bytes: manifest.len()
            + encoded.term_files.iter().map(|(_, b)| b.len()).sum::<usize>()
            + encoded.doc_files.iter().map(Vec::len).sum::<usize>(),
    };
    let mut files =
        vec![OutputFile::bytes(SCRIPT, client::script()), OutputFile::bytes(MANIFEST, manifest)];
    for (k, (_, bytes)) in encoded.term_files.into_iter().enumerate() {
        files.push(OutputFile::bytes(format!("{DIR}/index/t{k}.bin"), bytes));
    }
    for (k, bytes) in encoded.doc_files.into_iter().enumerate() {
        files.push(OutputFile::bytes(format!("{DIR}/index/d{k}.json"), bytes));
    }
    (files, stats)
}

fn doc<'a>(
    site: &Site<'a>,
    dates: &DateFormatter,
    weights: SearchWeights,
    vocabulary: &Vocabulary,
    id: ArticleId,
) -> index::Doc<'a> {
    let article = &site.library.articles[id];
    let fm = &article.front_matter;
    let section = &site.library.sections[article.section].title;
    let summary = fm.summary.as_deref().unwrap_or(&site.rendered[id].summary);
    let mut fields = vec![(fm.title.as_str(), weights.title), (summary, weights.summary)];
    fields.push((section.as_str(), weights.section));
    for &tag in &site.taxonomy.article_tags[id] {
        fields.push((site.taxonomy.tags[tag].name.as_str(), weights.tags));
    }
    for &author in &site.taxonomy.article_authors[id] {
        fields.push((site.taxonomy.authors[author].name.as_str(), weights.author));
    }
    // Each stem of the weighted fields once, with the sum of the weights of the fields it is in.
    let mut strong: Vec<(TermId, u8)> = Vec::new();
    for (text, weight) in fields.into_iter().filter(|(_, weight)| *weight > 0) {
        strong.extend(vocabulary.terms_of(text).into_iter().map(|term| (term, weight)));
    }
    strong.sort_unstable_by_key(|&(term, _)| term);
    strong.dedup_by(|later, first| {
        let same = later.0 == first.0;
        if same {
            first.1 = first.1.saturating_add(later.1);
        }
        same
    });
    let body = if weights.body > 0 { &site.rendered[id].search_terms[..] } else { &[] };
    index::Doc {
        url: site.url(&article.path),
        title: &fm.title,
        section,
        date: dates.format(&article.date, DateStyle::Short),
        summary,
        strong,
        body,
    }
}
