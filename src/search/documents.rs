//! The documents an index is made of, one per published article, and where a [`Job`] takes them
//! from: [`Documents`], every one made and kept between the rebuilds of a session, or
//! [`SiteDocuments`], each made from the site when the job needs it, which a one-off build uses
//! so that it never holds them all.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::arabic::date::{DateFormatter, DateStyle};
use crate::config::SearchWeights;
use crate::content::ArticleId;
use crate::fingerprint::Fingerprint;
use crate::render::Site;

use super::index::{self, Doc, Shown};
use super::packed::PackedTerms;
use super::vocabulary::{TermId, Vocabulary};

/// The documents of one language's index, numbered oldest first, as the index is made from them.
pub(super) trait Source: Sync + Send {
    /// How many there are.
    fn count(&self) -> usize;

    /// Document `n`'s [`Doc::postings_fingerprint`].
    fn postings_fingerprint(&self, n: usize) -> u64;

    /// Documents `range`, whole: the ones to invert.
    fn docs(&self, range: Range<usize>) -> Vec<Arc<Doc>>;

    /// The document file of documents `range` ([`index::doc_file`]).
    fn doc_file(&self, range: Range<usize>) -> Vec<u8>;
}

impl Source for Vec<Arc<Doc>> {
    fn count(&self) -> usize {
        self.len()
    }

    fn postings_fingerprint(&self, n: usize) -> u64 {
        self[n].postings_fingerprint
    }

    fn docs(&self, range: Range<usize>) -> Vec<Arc<Doc>> {
        self[range].to_vec()
    }

    fn doc_file(&self, range: Range<usize>) -> Vec<u8> {
        index::doc_file(&self[range].iter().map(|doc| doc.shown()).collect::<Vec<_>>())
    }
}

/// Every article as the index has it, kept between the rebuilds of a session: after an edit
/// of an article's text only that article's is made again.
#[derive(Debug, Default)]
pub struct Documents {
    /// The [`Site::generation`] they were made for.
    generation: Option<u64>,
    /// By article id.
    by_article: Vec<Arc<Doc>>,
    /// The article ids of each language's index, oldest first (see [`indexed_ids`]).
    ids: Vec<Vec<ArticleId>>,
    /// The path of each language's pages: each has an index of its own, below it.
    prefixes: Vec<String>,
}

impl Documents {
    /// Brings the documents up to date with `site`: all of them made again when anything but
    /// article texts changed (a new [`Site::generation`]), else only those of `edited` articles.
    pub fn update(
        &mut self,
        site: &Site<'_>,
        dates: &[&DateFormatter],
        vocabulary: &Vocabulary,
        edited: &[ArticleId],
    ) {
        let made = SiteDocuments::new(site, dates, vocabulary);
        if self.generation != Some(site.generation)
            || self.by_article.len() != site.library.articles.len()
        {
            self.by_article = (0..site.library.articles.len())
                .into_par_iter()
                .map(|id| Arc::new(made.doc(id)))
                .collect();
            self.ids = indexed_ids(site);
            self.prefixes = prefixes(site);
            self.generation = Some(site.generation);
            return;
        }
        for &id in edited {
            if let Some(slot) = self.by_article.get_mut(id) {
                *slot = Arc::new(made.doc(id));
            }
        }
    }

    /// The path of each language's pages, with its documents as they are now (see
    /// `Documents::job`).
    pub(super) fn sources(&self) -> Vec<(String, Box<dyn Source>)> {
        let indexes = self.prefixes.iter().zip(&self.ids).map(|(prefix, ids)| {
            let docs: Vec<Arc<Doc>> =
                ids.iter().map(|&id| Arc::clone(&self.by_article[id])).collect();
            (prefix.clone(), Box::new(docs) as Box<dyn Source>)
        });
        indexes.collect()
    }
}

/// The documents of a site, each made when it is needed: a one-off build's index takes every
/// document's stems for their fingerprint and every document file's display data, a few at a
/// time, and holds none of them after.
pub struct SiteDocuments<'a> {
    site: &'a Site<'a>,
    /// The date formatter of each language.
    dates: &'a [&'a DateFormatter],
    weights: SearchWeights,
    names: NameTerms,
}

impl<'a> SiteDocuments<'a> {
    /// The documents of `site`, stemmed in `vocabulary`, dated by `dates` (by language).
    pub fn new(
        site: &'a Site<'a>,
        dates: &'a [&'a DateFormatter],
        vocabulary: &Vocabulary,
    ) -> SiteDocuments<'a> {
        let names = NameTerms::of(site, vocabulary);
        SiteDocuments { site, dates, weights: site.config.search.weights, names }
    }

    /// The path of each language's pages, with its documents, each made from the site as the
    /// index needs it (see `SiteDocuments::job`).
    pub(super) fn sources(&'a self) -> Vec<(String, Box<dyn Source + 'a>)> {
        let ids = indexed_ids(self.site);
        let indexes = prefixes(self.site).into_iter().zip(ids).map(|(prefix, ids)| {
            (prefix, Box::new(Indexed { documents: self, ids }) as Box<dyn Source + 'a>)
        });
        indexes.collect()
    }

    /// The weight of the body in the site's search.
    pub(super) fn body_weight(&self) -> u8 {
        self.weights.body
    }

    /// Article `id` as the index has it.
    fn doc(&self, id: ArticleId) -> Doc {
        let shown = self.shown(id);
        Doc {
            url: shown.url,
            title: shown.title.to_owned(),
            section: shown.section.to_owned(),
            date: shown.date,
            summary: shown.summary.to_owned(),
            strong: self.strong(id),
            body: self.body(id).cloned().unwrap_or_default(),
            postings_fingerprint: self.postings_fingerprint(id),
        }
    }

    /// The fingerprint of what the postings take from article `id` ([`Doc::postings_fingerprint`]):
    /// what its weighted stems ([`SiteDocuments::strong`]) and its body's are made from (the
    /// stems of its title, summary and body, and of its section's, tags' and authors' names),
    /// with the weights. Taken from those directly, without merging them: the fingerprints of every
    /// article are taken in each build, to tell which kept postings still hold.
    fn postings_fingerprint(&self, id: ArticleId) -> u64 {
        let (site, names) = (self.site, &self.names);
        let rendered = &site.rendered[id];
        let mut fp = Fingerprint::new();
        fp.add(&self.weights);
        fp.add(rendered.title_terms.as_bytes()).add(rendered.summary_terms.as_bytes());
        fp.add(&names.sections[site.library.articles[id].section]);
        let (tags, authors) = (&site.taxonomy.article_tags[id], &site.taxonomy.article_authors[id]);
        fp.add(&tags.len());
        for &tag in tags {
            fp.add(&names.tags[tag]);
        }
        fp.add(&authors.len());
        for &author in authors {
            fp.add(&names.authors[author]);
        }
        fp.add(self.body(id).map_or(&[][..], PackedTerms::as_bytes)).finish()
    }

    /// The stems of article `id`'s weighted fields but the body, ascending, each once with the
    /// sum of the weights of the fields it is in.
    fn strong(&self, id: ArticleId) -> Vec<(TermId, u8)> {
        let (site, weights, names) = (self.site, self.weights, &self.names);
        let section = site.library.articles[id].section;
        let rendered = &site.rendered[id];
        let mut strong: Vec<(TermId, u8)> = Vec::new();
        let mut weigh = |terms: &mut dyn Iterator<Item = TermId>, weight: u8| {
            if weight > 0 {
                strong.extend(terms.map(|term| (term, weight)));
            }
        };
        weigh(&mut rendered.title_terms.iter(), weights.title);
        weigh(&mut rendered.summary_terms.iter(), weights.summary);
        weigh(&mut names.sections[section].iter().copied(), weights.section);
        for &tag in &site.taxonomy.article_tags[id] {
            weigh(&mut names.tags[tag].iter().copied(), weights.tags);
        }
        for &author in &site.taxonomy.article_authors[id] {
            weigh(&mut names.authors[author].iter().copied(), weights.author);
        }
        strong.sort_unstable_by_key(|&(term, _)| term);
        strong.dedup_by(|later, first| {
            let same = later.0 == first.0;
            if same {
                first.1 = first.1.saturating_add(later.1);
            }
            same
        });
        strong
    }

    /// The stems of article `id`'s body, if the body weighs anything: lent, since every
    /// article's are fingerprinted in each build and only the inverted ones are copied.
    fn body(&self, id: ArticleId) -> Option<&'a PackedTerms> {
        (self.weights.body > 0).then(|| &self.site.rendered[id].search_terms)
    }

    /// What article `id`'s entry in a document file shows.
    fn shown(&self, id: ArticleId) -> ShownArticle<'a> {
        let site = self.site;
        let article = &site.library.articles[id];
        let fm = &article.front_matter;
        let dates = self.dates[article.lang.min(self.dates.len() - 1)];
        ShownArticle {
            url: site.url(&article.path),
            title: &fm.title,
            section: &site.library.sections[article.section].title,
            date: dates.format(&article.date, DateStyle::Short),
            summary: fm.summary.as_deref().unwrap_or(&site.rendered[id].summary),
        }
    }
}

/// What an article's entry in a document file shows, borrowed from the site where it can be.
struct ShownArticle<'a> {
    url: String,
    title: &'a str,
    section: &'a str,
    date: String,
    summary: &'a str,
}

/// The documents of one language's index, made from the site.
struct Indexed<'a> {
    documents: &'a SiteDocuments<'a>,
    /// The article of each document, oldest first.
    ids: Vec<ArticleId>,
}

impl Source for Indexed<'_> {
    fn count(&self) -> usize {
        self.ids.len()
    }

    fn postings_fingerprint(&self, n: usize) -> u64 {
        self.documents.postings_fingerprint(self.ids[n])
    }

    fn docs(&self, range: Range<usize>) -> Vec<Arc<Doc>> {
        self.ids[range].iter().map(|&id| Arc::new(self.documents.doc(id))).collect()
    }

    fn doc_file(&self, range: Range<usize>) -> Vec<u8> {
        let shown: Vec<ShownArticle<'_>> =
            self.ids[range].iter().map(|&id| self.documents.shown(id)).collect();
        let entries: Vec<Shown<'_>> =
            shown.iter().map(|s| Shown(&s.url, s.title, s.section, &s.date, s.summary)).collect();
        index::doc_file(&entries)
    }
}

/// The path of each language's pages: each has an index of its own, below it.
fn prefixes(site: &Site<'_>) -> Vec<String> {
    site.config.languages.iter().map(|lang| lang.prefix.clone()).collect()
}

/// The article ids of each language's index, oldest first (by date, then path): the order of
/// its document numbers.
fn indexed_ids(site: &Site<'_>) -> Vec<Vec<ArticleId>> {
    let articles = &site.library.articles;
    let mut order: Vec<ArticleId> = (0..articles.len()).collect();
    order.sort_by_key(|&id| (articles[id].date.timestamp(), &articles[id].path));
    let mut ids = vec![Vec::new(); site.config.languages.len()];
    for id in order {
        if let Some(lang) = ids.get_mut(articles[id].lang) {
            lang.push(id);
        }
    }
    ids
}

/// The search stems of the names articles share (sections' titles, tags and authors), each
/// stemmed once, not once per article that has it. An article's own title and summary are
/// stemmed with its body (`Body::title_terms`).
struct NameTerms {
    sections: Vec<Vec<TermId>>,
    tags: Vec<Vec<TermId>>,
    authors: Vec<Vec<TermId>>,
}

impl NameTerms {
    fn of(site: &Site<'_>, vocabulary: &Vocabulary) -> NameTerms {
        let terms = |name: &str| vocabulary.terms_of(name);
        NameTerms {
            sections: site.library.sections.iter().map(|section| terms(&section.title)).collect(),
            tags: site.taxonomy.tags.iter().map(|tag| terms(&tag.name)).collect(),
            authors: site.taxonomy.authors.iter().map(|author| terms(&author.name)).collect(),
        }
    }
}
