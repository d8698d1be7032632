//! What a render reads: the site, borrowed ([`Site`]), and each article's body after Markdown
//! ([`Body`]), with the few facts every part of the render derives from them the same way (when
//! an article last changed, which related articles its page shows, which stories are breaking).

use crate::config::Config;
use crate::content::{Article, ArticleId, Library};
use crate::data::Data;
use crate::taxonomy::Taxonomy;

/// An article's body after Markdown, and what is derived from it.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The body as HTML, or where it is (see [`Html`]).
    pub html: Html,
    /// The summary to show when the front matter has none: the first paragraph, cut.
    pub summary: String,
    /// Reading time in minutes.
    pub reading_minutes: u32,
    /// The address of every image the body shows, as written (see [`Site::body_hash`]).
    pub images: Vec<String>,
    /// A fingerprint of what those images were when the HTML was written.
    pub images_fingerprint: u64,
    /// Every address the body points at, with its line in the body (`crate::links` looks
    /// for each among the site's pages and files).
    pub references: Vec<crate::markdown::Reference>,
    /// The body text's distinct search stems, as numbers of the site's search vocabulary
    /// (`search::Vocabulary::terms_of`), ascending.
    pub search_terms: crate::search::packed::PackedTerms,
    /// The distinct search stems of the title, numbered as `search_terms`; empty when search
    /// is off or does not weigh the title. Made with the body, so the index does not stem every
    /// article's title and summary at every build.
    pub title_terms: crate::search::packed::PackedTerms,
    /// The distinct search stems of the summary search shows (the front matter's, else
    /// `summary`), likewise.
    pub summary_terms: crate::search::packed::PackedTerms,
    /// Whether the body calls a shortcode or embeds an address: its HTML then depends on the
    /// shortcode templates too (see [`body_hash`]).
    pub calls: bool,
}

/// Where the HTML of a body is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Html {
    /// In memory.
    Kept(String),
    /// In a one-off build's spill file (`pipeline::spill`), read back when a page or feed
    /// shows it ([`Site::html`]).
    Spilled(Spilled),
    /// Not rendered: the summary and reading time came from the build cache (`crate::cache`).
    /// The Markdown is rendered only if a page or feed needs it ([`Site::html`]).
    #[default]
    Later,
}

impl Html {
    /// Whether the body has no HTML yet.
    pub fn is_later(&self) -> bool {
        matches!(self, Html::Later)
    }
}

/// Where a body's HTML is in a spill file: `len` bytes from `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spilled {
    /// The offset.
    pub at: u64,
    /// The length in bytes.
    pub len: u32,
}

/// Everything a page may show, borrowed.
pub struct Site<'a> {
    /// Settings.
    pub config: &'a Config,
    /// Articles and sections.
    pub library: &'a Library,
    /// Rendered bodies, by article id.
    pub rendered: &'a [Body],
    /// The site's images.
    pub photos: &'a crate::images::Photos,
    /// The HTML of an article whose body is not in memory (see [`Body::html`]).
    pub markdown: &'a (dyn Fn(ArticleId) -> String + Sync),
    /// Tags and authors.
    pub taxonomy: &'a Taxonomy,
    /// Data files.
    pub data: &'a Data,
    /// The most-read list, resolved to articles.
    pub most_read: &'a [ArticleId],
    /// Related articles of each article, best first.
    pub related: &'a [Vec<ArticleId>],
    /// Changes whenever `related` is recomputed.
    pub related_version: u64,
    /// The build time, in the site's time zone.
    pub now: &'a jiff::ZonedDateTime,
    /// The fingerprint of the shortcode templates, which bodies with calls depend on.
    pub shortcodes: u64,
    /// Changes whenever anything but article texts changes (articles, their front matter,
    /// sections, taxonomy, data, config): a memo of the same generation may reuse its list
    /// of pages.
    pub generation: u64,
}

/// When an article last changed: `updated`, or `date` when it has none (or an earlier one).
pub(crate) fn last_change(article: &Article) -> &jiff::ZonedDateTime {
    match &article.updated {
        Some(updated) if updated.timestamp() > article.date.timestamp() => updated,
        _ => &article.date,
    }
}

/// [`body_hash`] of every article, by id.
pub(crate) fn body_hashes(site: &Site<'_>) -> Vec<u64> {
    use rayon::prelude::*;
    (0..site.library.articles.len()).into_par_iter().map(|id| body_hash(site, id)).collect()
}

/// What an article's body is made from: its file, when it shows photos of the site what those
/// are now (a replaced photo has new variants, so the body's markup names new files), and when
/// it calls shortcodes their templates.
pub(crate) fn body_hash(site: &Site<'_>, id: ArticleId) -> u64 {
    let article = &site.library.articles[id];
    let body = &site.rendered[id];
    if body.images.is_empty() && !body.calls {
        return article.source_hash;
    }
    let mut fp = crate::fingerprint::Fingerprint::new();
    fp.add(&article.source_hash);
    if !body.images.is_empty() {
        let images = body.images.iter().map(String::as_str);
        fp.add(&site.photos.fingerprint(images, &article.path));
    }
    if body.calls {
        fp.add(&site.shortcodes);
    }
    fp.finish()
}

/// The latest [`last_change`] of `articles`, for the `lastmod` of a page listing them.
pub(super) fn newest(
    site: &Site<'_>,
    articles: impl Iterator<Item = ArticleId>,
) -> Option<jiff::ZonedDateTime> {
    articles
        .map(|id| last_change(&site.library.articles[id]))
        .max_by_key(|at| at.timestamp())
        .cloned()
}

/// The related articles an article page shows: the computed ones, topped up with the section's
/// latest.
pub(super) fn related_shown(site: &Site<'_>, id: ArticleId) -> Vec<ArticleId> {
    let article = &site.library.articles[id];
    let count = site.config.news.related;
    let mut related: Vec<ArticleId> = site.related[id].iter().copied().take(count).collect();
    for &other in &site.library.sections[article.section].articles {
        if related.len() >= count {
            break;
        }
        if other != id && !related.contains(&other) {
            related.push(other);
        }
    }
    related
}

/// The breaking news: articles marked `breaking`, newer than `[news] breaking_hours`.
pub(super) fn breaking(site: &Site<'_>) -> Vec<ArticleId> {
    let cutoff = site.now.timestamp()
        - jiff::SignedDuration::from_hours(i64::from(site.config.news.breaking_hours));
    let articles = site.library.articles.iter().enumerate();
    articles
        .filter(|(_, a)| a.front_matter.breaking && a.date.timestamp() >= cutoff)
        .map(|(id, _)| id)
        .collect()
}
