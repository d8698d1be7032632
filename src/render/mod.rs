//! Every output page of the site, rendered through the templates into [`OutputFile`]s.
//!
//! [`render_site`] renders all pages in parallel: the home page, section pages (paginated),
//! articles, the tag index and tag pages, the author index and author pages, and the 404 page;
//! then the feeds (`feeds`) and the sitemaps and `robots.txt` (`sitemap`) that list them.
//! It writes nothing to disk (that is `output`'s job) and never changes the site it reads.

mod alias;
mod feeds;
mod seo;
mod sitemap;
mod view;
mod xml;

use std::path::Path;

use foldhash::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::{Article, ArticleId, Library, SectionId};
use crate::data::Data;
use crate::error::Error;
use crate::fingerprint::{self, Fingerprint};
use crate::output::{Contents, OutputFile};
use crate::taxonomy::Taxonomy;
use crate::templates::Templates;

use feeds::Listing;
pub(crate) use view::rfc3339;
use view::{PageLink, PaginatorView, SiteView};

/// An article's body after Markdown, and what is derived from it.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The body as HTML.
    pub html: String,
    /// The summary to show when the front matter has none: the first paragraph, cut.
    pub summary: String,
    /// Reading time in minutes.
    pub reading_minutes: u32,
}

/// Everything a page may show, borrowed.
pub struct Site<'a> {
    /// Settings.
    pub config: &'a Config,
    /// Articles and sections.
    pub library: &'a Library,
    /// Rendered bodies, by article id.
    pub rendered: &'a [Body],
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
    /// Changes whenever anything but article texts changes (articles, their front matter,
    /// sections, taxonomy, data, config): a [`Memo`] of the same generation may reuse its list
    /// of pages.
    pub generation: u64,
}

/// How many articles the home page shows in its lists.
const HOME_LATEST: usize = 10;
const HOME_FEATURED: usize = 4;
const HOME_PER_SECTION: usize = 4;

/// A page of the site as sitemaps list it.
#[derive(Debug)]
pub(crate) struct PageEntry<'a> {
    /// URL path relative to the site root (`politics/x/`, `` for home).
    pub(crate) path: String,
    /// When it last changed: the article's `updated` or `date`, or a listing's newest article.
    pub(crate) lastmod: Option<&'a jiff::ZonedDateTime>,
    /// The article shown, for article pages.
    pub(crate) article: Option<ArticleId>,
}

/// One page to render: its template, output path and page-specific variables.
#[derive(Debug)]
struct Page {
    template: &'static str,
    /// Output path relative to the site root of the page's folder (`politics/`), or a file name.
    path: String,
    kind: &'static str,
    context: tera::Context,
    /// The last change of what the page lists, for the sitemap.
    lastmod: Option<jiff::ZonedDateTime>,
    /// For one page of a listing, what its `paginator` shows. The paginator is built while
    /// rendering, in parallel, not while listing the pages.
    listing: Option<PageOf>,
}

/// How many page links on each side of the current page `paginator.pages` has.
const PAGE_WINDOW: usize = 2;

/// One page of a paginated listing.
#[derive(Debug)]
struct PageOf {
    /// The listing's first page, e.g. `politics/`.
    base: String,
    /// The articles on this page.
    ids: Vec<ArticleId>,
    number: usize,
    total_pages: usize,
    total_items: usize,
}

impl PageOf {
    fn page_path(&self, n: usize) -> String {
        if n == 1 { self.base.clone() } else { format!("{}page/{n}/", self.base) }
    }

    fn paginator<'v>(&self, site: &Site<'_>, summaries: &'v [tera::Value]) -> PaginatorView<'v> {
        let (number, total_pages) = (self.number, self.total_pages);
        PaginatorView {
            items: self.ids.iter().map(|&id| &summaries[id]).collect(),
            number,
            total_pages,
            total_items: self.total_items,
            prev_url: (number > 1).then(|| site.url(&self.page_path(number - 1))),
            next_url: (number < total_pages).then(|| site.url(&self.page_path(number + 1))),
            first_url: site.url(&self.page_path(1)),
            last_url: site.url(&self.page_path(total_pages)),
            // Not every page of the listing: that is quadratic in its length (a section of
            // 12,500 articles has 625 pages of 625 links each). The first, the last, and two on
            // each side of the current one: what a pagination bar shows.
            pages: (1..=total_pages)
                .filter(|&n| {
                    n == 1
                        || n == total_pages
                        || (n + PAGE_WINDOW >= number && n <= number + PAGE_WINDOW)
                })
                .map(|n| PageLink {
                    number: n,
                    url: site.url(&self.page_path(n)),
                    current: n == number,
                })
                .collect(),
        }
    }
}

/// The pages of the last render of a session, by output path, with the fingerprint of what each
/// was rendered from. A page whose fingerprint is unchanged keeps its bytes and is not rendered.
///
/// Besides the bytes, it keeps the list of pages other than articles and the home page, with the
/// fingerprint of each one's own variables, for the site [`Site::generation`] it was made from:
/// while that stays the same (only article texts, templates or static files changed), the list is
/// reused instead of being rebuilt, and only the summaries a page shows are fingerprinted again.
#[derive(Debug, Default)]
pub struct Memo {
    pages: HashMap<String, (u64, Contents)>,
    /// The pages and articles of the last render in render order, with their fingerprints: a
    /// render of the same generation has the same pages in the same order, and looks its pages
    /// up by position instead of by path.
    out: Vec<(u64, bytes::Bytes)>,
    /// What the last render's fingerprints were made of, to find what changed since.
    inputs: Option<Inputs>,
    /// The sitemaps, news sitemap and robots.txt of the last render.
    sitemaps: Vec<(OutputFile, Option<u64>)>,
    generation: Option<u64>,
    list: Vec<Page>,
    own: Vec<u64>,
}

/// The first line of a build manifest, with the midad that wrote it.
const MANIFEST_FORMAT: &str = "midad-manifest 1";

impl Memo {
    /// What identifies the midad that fingerprints: its version and its executable's size and
    /// modification time (fingerprints are only comparable within one binary).
    fn writer() -> Option<String> {
        let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
        let modified = exe.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(format!(
            "{MANIFEST_FORMAT}\t{}\t{}\t{}",
            env!("CARGO_PKG_VERSION"),
            exe.len(),
            modified.as_nanos()
        ))
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
        let entries: Vec<(String, (u64, Contents))> = lines
            .collect::<Vec<_>>()
            .par_iter()
            .filter_map(|line| {
                let mut parts = line.splitn(3, '\t');
                let fp = u64::from_str_radix(parts.next()?, 16).ok()?;
                let size: u64 = parts.next()?.parse().ok()?;
                let path = parts.next()?;
                let file = output.join(path);
                let meta = std::fs::symlink_metadata(&file).ok()?;
                (meta.is_file() && meta.len() == size)
                    .then(|| (path.to_string(), (fp, Contents::Keep(file))))
            })
            .collect();
        memo.pages = entries.into_iter().collect();
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
        let mut entries: Vec<(&String, &(u64, Contents))> = self.pages.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (path, (fp, contents)) in entries {
            let size = match contents {
                Contents::Bytes(bytes) => bytes.len() as u64,
                Contents::Keep(_) | Contents::Copy(_) => {
                    std::fs::metadata(output.join(path)).map(|m| m.len()).unwrap_or(u64::MAX)
                }
            };
            if !path.contains(['\n', '\t']) {
                text.push_str(&format!("{fp:016x}\t{size}\t{path}\n"));
            }
        }
        let temp = manifest.with_extension("midad-manifest-tmp");
        std::fs::write(&temp, text)?;
        std::fs::rename(temp, manifest)
    }
}

/// What [`render_site`] produced.
#[derive(Debug)]
pub struct Rendered {
    /// Every output file: pages, feeds, sitemaps, redirects.
    pub files: Vec<OutputFile>,
    /// HTML pages that went through the templates (the others came from the [`Memo`]).
    pub rendered_pages: usize,
}

/// A page's file, its fingerprint (with a memo), and whether it went through the templates.
type PageOut = (OutputFile, Option<u64>, bool);

/// A page to render, with the fingerprint of its own variables when the memo has it.
type PageToRender<'p> = (&'p Page, Option<u64>);

/// Every article's summary as templates see it (serialised once and shared by every list that
/// shows it), with its fingerprint when a [`Memo`] needs it. A session keeps them between rebuilds
/// and refreshes only the summaries of the articles it changed.
#[derive(Debug, Default)]
pub struct Summaries {
    values: Vec<tera::Value>,
    fingerprints: Vec<u64>,
}

impl Summaries {
    /// The summaries of every article of `site`, fingerprinted if `fingerprint`.
    pub fn new(site: &Site<'_>, fingerprint: bool) -> Summaries {
        let values: Vec<tera::Value> = (0..site.library.articles.len())
            .into_par_iter()
            .map(|id| summary_value(site, id))
            .collect();
        let fingerprints = if fingerprint {
            values.par_iter().map(fingerprint::of_json).collect()
        } else {
            vec![]
        };
        Summaries { values, fingerprints }
    }

    /// Recomputes the summaries of `ids` (articles whose text changed, nothing else).
    pub fn refresh(&mut self, site: &Site<'_>, ids: &[ArticleId]) {
        for &id in ids {
            self.values[id] = summary_value(site, id);
            if let Some(fp) = self.fingerprints.get_mut(id) {
                *fp = fingerprint::of_json(&self.values[id]);
            }
        }
    }
}

fn summary_value(site: &Site<'_>, id: ArticleId) -> tera::Value {
    tera::to_value(site.summary_view(id)).unwrap_or_default()
}

/// The inputs of a render that the next one compares with its own to tell, without
/// fingerprinting every page again, which pages can have changed.
#[derive(Debug)]
struct Inputs {
    global: u64,
    templates: u64,
    summaries: Vec<u64>,
    sources: Vec<u64>,
    /// `related` is a copy of [`Site::related`] at this version.
    related_version: u64,
    related: Vec<Vec<ArticleId>>,
}

/// What changed since the last render, when only articles' texts did (see [`render_site`]).
struct Dirty<'m> {
    /// Articles whose summary changed.
    summaries: Vec<bool>,
    any_summary: bool,
    /// Articles whose file changed.
    sources: Vec<bool>,
    last: &'m Inputs,
}

/// The fingerprints a render with a [`Memo`] compares: what every page shares, and each
/// article's summary.
struct Fingerprints<'s> {
    global: u64,
    summaries: &'s [u64],
}

/// Bytes of the last render that can be kept: the memo, and what fingerprints are made of.
pub(crate) struct Reuse<'m> {
    memo: &'m Memo,
    /// What every output shares (config, build time, the variables of every page).
    pub(crate) global: u64,
    /// Each article as a feed shows it: its summary and its whole source.
    pub(crate) articles: Vec<u64>,
    /// When only article texts changed since the last render: which articles changed (their
    /// file or summary). A feed of unchanged articles is then kept without a new fingerprint.
    pub(crate) changed: Option<Vec<bool>>,
}

impl Reuse<'_> {
    /// The bytes the last render wrote at `path`, if they were made from `fp`.
    pub(crate) fn get(&self, path: &str, fp: u64) -> Option<Contents> {
        let (old_fp, bytes) = self.memo.pages.get(path)?;
        (*old_fp == fp).then(|| bytes.clone())
    }

    /// The fingerprint and bytes the last render wrote at `path`.
    pub(crate) fn last(&self, path: &str) -> Option<(u64, Contents)> {
        self.memo.pages.get(path).cloned()
    }
}

/// Renders every page of the site. With a `memo` (kept by `serve` and `build --watch` between
/// rebuilds), a page whose inputs have the same fingerprint as in the last render keeps its bytes;
/// the memo is then replaced by this render's pages.
pub fn render_site(
    site: &Site<'_>,
    templates: &Templates,
    summaries: &Summaries,
    mut memo: Option<&mut Memo>,
) -> Result<Rendered, Vec<Error>> {
    let fingerprints = &summaries.fingerprints;
    let summaries = &summaries.values[..];
    let base = base_context(site, templates, summaries);
    let fingerprints = memo.is_some().then(|| Fingerprints {
        global: Fingerprint::new()
            .add_json(&base.clone().into_json())
            .add(&format!("{:?}", site.config))
            .finish(),
        summaries: fingerprints,
    });

    // The pages but articles and home: kept from the memo when the site's structure is the same.
    let stable = memo.as_ref().is_some_and(|m| m.generation == Some(site.generation));
    let (list, own) = match memo.as_deref_mut() {
        Some(memo) if stable => {
            // Given back when this render succeeds; a failed one leaves the memo without it.
            memo.generation = None;
            (std::mem::take(&mut memo.list), std::mem::take(&mut memo.own))
        }
        _ => {
            let list = listing_pages(site);
            let own = if fingerprints.is_some() {
                list.par_iter().map(own_fingerprint).collect()
            } else {
                Vec::new()
            };
            (list, own)
        }
    };
    // When only articles' texts changed since the last render (same generation, same shared
    // variables, same templates), a page can only change if it shows an article whose summary
    // changed, or is an article whose file, summary, related list or related summaries changed:
    // the other pages keep their fingerprints and bytes without being fingerprinted again.
    let templates_fp = templates.fingerprint_all();
    let dirty = match (&fingerprints, memo.as_deref()) {
        (Some(f), Some(Memo { inputs: Some(last), out, .. }))
            if stable
                && out.len() == 1 + list.len() + site.library.articles.len()
                && last.global == f.global
                && last.templates == templates_fp
                && last.summaries.len() == f.summaries.len() =>
        {
            let summaries: Vec<bool> =
                f.summaries.iter().zip(&last.summaries).map(|(a, b)| a != b).collect();
            let sources: Vec<bool> = site
                .library
                .articles
                .iter()
                .zip(&last.sources)
                .map(|(a, &b)| a.source_hash != b)
                .collect();
            Some(Dirty { any_summary: summaries.contains(&true), summaries, sources, last })
        }
        _ => None,
    };
    // The home page, unless it is kept: the memo has it, and it shows no changed summary.
    let home_shows = Home::of(site);
    let home_kept = dirty.as_ref().is_some_and(|d| !home_shows.shows().any(|id| d.summaries[id]));
    let home = home_page(site, &home_shows, (!home_kept).then_some(summaries));
    let pages: Vec<PageToRender<'_>> = std::iter::once((&home, None))
        .chain(
            list.iter()
                .zip(own.iter().map(Some).chain(std::iter::repeat(None)))
                .map(|(page, own)| (page, own.copied())),
        )
        .collect();

    let old = memo.as_deref();
    // The bytes of the page at `position` (in render order) and `path` from the memo when its
    // fingerprint is unchanged, else `None`.
    let remembered = |position: usize, path: &str, fp: Option<u64>| -> Option<OutputFile> {
        let file = output_path(path);
        if stable {
            let (old_fp, bytes) = old?.out.get(position)?;
            return (Some(*old_fp) == fp).then(|| OutputFile::bytes(file, bytes.clone()));
        }
        let (old_fp, contents) = old?.pages.get(&file)?;
        (Some(*old_fp) == fp).then(|| OutputFile { path: file, contents: contents.clone() })
    };
    let render_one = |(position, &(page, own)): (usize, &PageToRender<'_>)| {
        if let (Some(dirty), Some(old)) = (&dirty, old) {
            let kept = match &page.listing {
                Some(listing) => !listing.ids.iter().any(|&id| dirty.summaries[id]),
                None => position == 0 && home_kept,
            };
            if kept {
                if let Some((fp, bytes)) = old.out.get(position) {
                    let file = OutputFile::bytes(output_path(&page.path), bytes.clone());
                    return Ok((file, Some(*fp), false));
                }
            }
        }
        let fp = fingerprints.as_ref().map(|f| {
            let own = own.unwrap_or_else(|| own_fingerprint(page));
            page_fingerprint(f, templates, page, own)
        });
        if let Some(file) = remembered(position, &page.path, fp) {
            return Ok((file, fp, false));
        }
        let mut context = base.clone();
        context.extend(page.context.clone());
        if let Some(listing) = &page.listing {
            context.insert("paginator", &listing.paginator(site, summaries));
        }
        let file = finish(site, templates, page.template, page.kind, &page.path, context)?;
        Ok((file, fp, true))
    };
    let render_article_one = |id: ArticleId| -> Result<PageOut, Error> {
        let position = pages.len() + id;
        if let (Some(dirty), Some(old)) = (&dirty, old) {
            let clean = !dirty.sources[id]
                && !dirty.summaries[id]
                && (site.related_version == dirty.last.related_version
                    || site.related[id] == dirty.last.related[id])
                && (!dirty.any_summary
                    || !related_ids(site, id).iter().any(|&other| dirty.summaries[other]));
            if let (true, Some((fp, bytes))) = (clean, old.out.get(position)) {
                let file =
                    OutputFile::bytes(output_path(&site.library.articles[id].path), bytes.clone());
                return Ok((file, Some(*fp), false));
            }
        }
        let related = related_ids(site, id);
        let fp = fingerprints.as_ref().map(|f| {
            let mut fp = Fingerprint::new();
            fp.add(&f.global)
                .add(&templates.fingerprint("article.html"))
                .add(&site.library.articles[id].source_hash)
                .add(&site.library.articles[id].path)
                .add(&f.summaries[id]);
            for &other in &related {
                fp.add(&f.summaries[other]);
            }
            fp.finish()
        });
        if let Some(file) = remembered(position, &site.library.articles[id].path, fp) {
            return Ok((file, fp, false));
        }
        let file = render_article(site, templates, &base, summaries, id, &related)?;
        Ok((file, fp, true))
    };
    let mut results: Vec<Result<PageOut, Error>> =
        pages.par_iter().enumerate().map(render_one).collect();
    results.extend(
        (0..site.library.articles.len())
            .into_par_iter()
            .map(render_article_one)
            .collect::<Vec<_>>(),
    );

    let mut files = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    let mut rendered_pages = 0;
    // What the memo will hold: every fingerprinted file when the structure changed, else the
    // files whose fingerprint changed (the memo is updated in place: the same files exist).
    let mut remembered_now = Vec::new();
    let mut remember = |file: &OutputFile, fp: Option<u64>, fresh: bool| {
        let Some(fp) = fp else { return };
        if matches!(file.contents, Contents::Copy(_)) {
            return;
        }
        if !stable || fresh {
            remembered_now.push((file.path.clone(), (fp, file.contents.clone())));
        }
    };
    let mut out = Vec::with_capacity(if fingerprints.is_some() { results.len() } else { 0 });
    let mut all_in_memory = true;
    for res in results {
        match res {
            Ok((file, fp, rendered)) => {
                rendered_pages += usize::from(rendered);
                remember(&file, fp, rendered);
                match (fp, &file.contents) {
                    (Some(fp), Contents::Bytes(bytes)) => out.push((fp, bytes.clone())),
                    // A page kept from a previous build's files (not in memory): the next
                    // render can't look pages up by position.
                    _ => all_in_memory = false,
                }
                files.push(file);
            }
            // A template error repeats on every page that uses the template: report it once.
            Err(err) => {
                if !errors.iter().any(|e: &Error| e.to_string() == err.to_string()) {
                    errors.push(err);
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let reuse = match (&fingerprints, old) {
        (Some(f), Some(memo)) => Some(Reuse {
            memo,
            global: f.global,
            articles: (0..site.library.articles.len())
                .map(|id| {
                    Fingerprint::new()
                        .add(&f.summaries[id])
                        .add(&site.library.articles[id].source_hash)
                        .finish()
                })
                .collect(),
            changed: dirty.as_ref().map(|d| {
                d.sources
                    .iter()
                    .zip(&d.summaries)
                    .map(|(&file, &summary)| file || summary)
                    .collect()
            }),
        }),
        _ => None,
    };
    let mut generated = feeds::render(site, reuse.as_ref());
    // The sitemaps list paths and dates, which only a new generation changes.
    let sitemaps = match (&dirty, old) {
        (Some(_), Some(old)) if !old.sitemaps.is_empty() => old.sitemaps.clone(),
        _ => {
            // Every HTML page but 404 goes into the sitemap.
            let entries: Vec<PageEntry<'_>> = pages
                .iter()
                .filter(|(page, _)| page.kind != "404")
                .map(|(page, _)| PageEntry {
                    path: page.path.clone(),
                    lastmod: page.lastmod.as_ref(),
                    article: None,
                })
                .chain(site.library.articles.iter().enumerate().map(|(id, article)| PageEntry {
                    path: article.path.clone(),
                    lastmod: Some(last_change(article)),
                    article: Some(id),
                }))
                .collect();
            sitemap::render(site, &entries, reuse.as_ref())
        }
    };
    generated.extend(sitemaps.iter().cloned());
    for (file, fp) in generated {
        let fresh = stable
            && fp.is_some_and(|fp| {
                old.and_then(|m| m.pages.get(&file.path)).is_none_or(|e| e.0 != fp)
            });
        remember(&file, fp, fresh);
        files.push(file);
    }
    drop(pages);
    drop(dirty);
    drop(reuse);
    // The copy of `related` is made only when it was recomputed.
    let last_related = memo
        .as_deref_mut()
        .and_then(|m| m.inputs.take())
        .filter(|last| last.related_version == site.related_version)
        .map(|last| last.related);
    let inputs = fingerprints.as_ref().map(|f| Inputs {
        global: f.global,
        templates: templates_fp,
        summaries: f.summaries.to_vec(),
        sources: site.library.articles.iter().map(|a| a.source_hash).collect(),
        related_version: site.related_version,
        related: last_related.unwrap_or_else(|| site.related.to_vec()),
    });
    if let Some(memo) = memo {
        memo.inputs = inputs;
        memo.sitemaps = sitemaps;
        if stable {
            memo.pages.extend(remembered_now);
        } else {
            memo.pages = remembered_now.into_iter().collect();
        }
        memo.generation = all_in_memory.then_some(site.generation);
        memo.out = out;
        memo.list = list;
        memo.own = own;
    }
    let aliases = alias::render(site, &files)?;
    files.extend(aliases);
    Ok(Rendered { files, rendered_pages })
}

/// The fingerprint of what is a page's own: its template's name, kind, path, variables and, for
/// a listing, which page of how many it is.
fn own_fingerprint(page: &Page) -> u64 {
    let mut fp = Fingerprint::new();
    fp.add(page.template)
        .add(page.kind)
        .add(&page.path)
        .add_json(&page.context.clone().into_json());
    if let Some(listing) = &page.listing {
        fp.add(&listing.base)
            .add(&listing.number)
            .add(&listing.total_pages)
            .add(&listing.total_items)
            .add(&listing.ids);
    }
    fp.finish()
}

/// What a page other than an article is rendered from: everything every page shares, its
/// template and what it uses, its own fingerprint and, for a listing, the summaries it shows.
fn page_fingerprint(f: &Fingerprints, templates: &Templates, page: &Page, own: u64) -> u64 {
    let mut fp = Fingerprint::new();
    fp.add(&f.global).add(&templates.fingerprint(page.template)).add(&own);
    if let Some(listing) = &page.listing {
        for &id in &listing.ids {
            fp.add(&f.summaries[id]);
        }
    }
    fp.finish()
}

/// The file a page at `path` is written to: `politics/` → `politics/index.html`.
fn output_path(path: &str) -> String {
    if path.ends_with(".html") { path.to_string() } else { format!("{path}index.html") }
}

/// The related articles an article page shows: the computed ones, topped up with the section's
/// latest.
fn related_ids(site: &Site<'_>, id: ArticleId) -> Vec<ArticleId> {
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

/// Every page but the articles and the home page: sections, tags, authors, archives, 404.
fn listing_pages(site: &Site<'_>) -> Vec<Page> {
    let mut pages = Vec::new();
    for (id, section) in site.library.sections.iter().enumerate() {
        let mut context = tera::Context::new();
        context.insert("section", &site.section_view(id));
        context.insert("feeds", &feeds::links(site, &[Listing::Site, Listing::Section(id)]));
        paginate(
            site,
            &mut pages,
            "section.html",
            "section",
            &section.path,
            &section.articles,
            context,
        );
    }
    pages.push(Page {
        template: "taxonomy_list.html",
        path: format!("{}/", site.config.taxonomies.tags),
        kind: "tags",
        context: context_with(
            "terms",
            &(0..site.taxonomy.tags.len()).map(|t| site.tag_view(t)).collect::<Vec<_>>(),
        ),
        lastmod: newest(site, site.taxonomy.tags.iter().flat_map(|t| &t.articles).copied()),
        listing: None,
    });
    for (id, tag) in site.taxonomy.tags.iter().enumerate() {
        let mut context = context_with("term", &site.tag_view(id));
        context.insert("feeds", &feeds::links(site, &[Listing::Site, Listing::Tag(id)]));
        paginate(
            site,
            &mut pages,
            "taxonomy_term.html",
            "tag",
            &site.tag_path(id),
            &tag.articles,
            context,
        );
    }
    let authors: Vec<usize> = (0..site.taxonomy.authors.len())
        .filter(|&a| !site.taxonomy.authors[a].articles.is_empty())
        .collect();
    pages.push(Page {
        template: "author_list.html",
        path: format!("{}/", site.config.taxonomies.authors),
        kind: "authors",
        context: context_with(
            "authors",
            &authors.iter().map(|&a| site.author_view(a)).collect::<Vec<_>>(),
        ),
        lastmod: newest(
            site,
            authors.iter().flat_map(|&a| &site.taxonomy.authors[a].articles).copied(),
        ),
        listing: None,
    });
    for &id in &authors {
        let mut context = context_with("author", &site.author_view(id));
        context.insert("feeds", &feeds::links(site, &[Listing::Site, Listing::Author(id)]));
        let articles = &site.taxonomy.authors[id].articles;
        paginate(
            site,
            &mut pages,
            "author.html",
            "author",
            &site.author_path(id),
            articles,
            context,
        );
    }
    archive_pages(site, &mut pages);
    pages.push(Page {
        template: "404.html",
        path: "404.html".into(),
        kind: "404",
        context: tera::Context::new(),
        lastmod: None,
        listing: None,
    });

    pages
}

/// An article page: the summary view plus its body, and its related articles.
fn render_article(
    site: &Site<'_>,
    templates: &Templates,
    base: &tera::Context,
    summaries: &[tera::Value],
    id: ArticleId,
    related: &[ArticleId],
) -> Result<OutputFile, Error> {
    let article = &site.library.articles[id];
    let mut context = base.clone();
    let mut page = summaries[id].clone();
    if let tera::Value::Object(map) = &mut page {
        map.insert("content".into(), tera::Value::String(site.rendered[id].html.clone()));
    }
    context.insert("page", &page);
    context.insert("jsonld", &seo::article(site, id));
    let related: Vec<&tera::Value> = related.iter().map(|&other| &summaries[other]).collect();
    context.insert("related", &related);
    finish(site, templates, "article.html", "article", &article.path, context)
}

/// When an article last changed: `updated`, or `date` when it has none (or an earlier one).
pub(crate) fn last_change(article: &Article) -> &jiff::ZonedDateTime {
    match &article.updated {
        Some(updated) if updated.timestamp() > article.date.timestamp() => updated,
        _ => &article.date,
    }
}

/// The latest [`last_change`] of `articles`, for the `lastmod` of a page listing them.
fn newest(
    site: &Site<'_>,
    articles: impl Iterator<Item = ArticleId>,
) -> Option<jiff::ZonedDateTime> {
    articles
        .map(|id| last_change(&site.library.articles[id]))
        .max_by_key(|at| at.timestamp())
        .cloned()
}

/// Adds the variables every page has, renders, and names the output file.
fn finish(
    site: &Site<'_>,
    templates: &Templates,
    template: &str,
    kind: &str,
    path: &str,
    mut context: tera::Context,
) -> Result<OutputFile, Error> {
    context.insert("page_kind", kind);
    context.insert("current_url", &site.url(path));
    context.insert("canonical", &site.permalink(path));
    let html = templates.render(template, &context)?;
    Ok(OutputFile::bytes(output_path(path), html))
}

/// The Open Graph locale of a language tag: `ar` → `ar_AR`, `en` → `en_US`, `fr-CA` → `fr_CA`.
fn og_locale(language: &str) -> String {
    let mut parts = language.split(['-', '_']);
    let lang = parts.next().unwrap_or("ar").to_ascii_lowercase();
    let region = parts.next().map(str::to_ascii_uppercase).unwrap_or_else(|| {
        match lang.as_str() {
            "ar" => "AR",
            "en" => "US",
            "fa" => "IR",
            "he" => "IL",
            "ur" => "PK",
            other => return other.to_ascii_uppercase(),
        }
        .to_string()
    });
    format!("{lang}_{region}")
}

fn context_with<T: Serialize + ?Sized>(key: &str, value: &T) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert(key, value);
    context
}

/// The variables of every page: `site`, `t`, `nav`, `most_read`, `breaking`, `feeds`.
fn base_context(
    site: &Site<'_>,
    templates: &Templates,
    summaries: &[tera::Value],
) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert(
        "site",
        &SiteView {
            title: &site.config.title,
            description: &site.config.description,
            base_url: &site.config.base_url,
            base_path: &site.config.base_path,
            language: &site.config.language,
            dir: site.config.dir(),
            build_time: rfc3339(site.now),
            tags_url: site.url(&format!("{}/", site.config.taxonomies.tags)),
            authors_url: site.url(&format!("{}/", site.config.taxonomies.authors)),
            archive_url: site.url(&format!("{}/", site.config.taxonomies.archive)),
            og_locale: og_locale(&site.config.language),
            logo: site.config.news.logo.as_deref().map(|l| site.absolute(&site.resolve_url(l, ""))),
            extra: &site.config.extra,
        },
    );
    context.insert("t", &templates.strings);
    let nav: Vec<_> = (0..site.library.sections.len()).map(|id| site.section_view(id)).collect();
    context.insert("nav", &nav);
    let most_read: Vec<&tera::Value> = site.most_read.iter().map(|&id| &summaries[id]).collect();
    context.insert("most_read", &most_read);
    let cutoff = site.now.timestamp()
        - jiff::SignedDuration::from_hours(i64::from(site.config.news.breaking_hours));
    let breaking: Vec<&tera::Value> = site
        .library
        .articles
        .iter()
        .enumerate()
        .filter(|(_, a)| a.front_matter.breaking && a.date.timestamp() >= cutoff)
        .map(|(id, _)| &summaries[id])
        .collect();
    context.insert("breaking", &breaking);
    context.insert("feeds", &feeds::links(site, &[Listing::Site]));
    context
}

/// The articles the home page shows: the lead story, the featured ones, the latest, and each
/// section's block.
struct Home {
    lead: Option<ArticleId>,
    featured: Vec<ArticleId>,
    latest: Vec<ArticleId>,
    /// Sections with articles, and their first articles.
    blocks: Vec<(SectionId, Vec<ArticleId>)>,
}

impl Home {
    fn of(site: &Site<'_>) -> Home {
        let articles = &site.library.articles;
        let lead = articles
            .iter()
            .position(|a| a.front_matter.featured)
            .or(if articles.is_empty() { None } else { Some(0) });
        let featured: Vec<ArticleId> = (0..articles.len())
            .filter(|&id| Some(id) != lead && articles[id].front_matter.featured)
            .take(HOME_FEATURED)
            .collect();
        let shown = |id: &ArticleId| Some(*id) != lead && !featured.contains(id);
        let latest = (0..articles.len()).filter(shown).take(HOME_LATEST).collect();
        let blocks = site
            .library
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.articles.is_empty())
            .map(|(id, s)| (id, s.articles.iter().take(HOME_PER_SECTION).copied().collect()))
            .collect();
        Home { lead, featured, latest, blocks }
    }

    /// Every article shown, in any block.
    fn shows(&self) -> impl Iterator<Item = ArticleId> + '_ {
        self.lead
            .iter()
            .chain(&self.featured)
            .chain(&self.latest)
            .chain(self.blocks.iter().flat_map(|(_, ids)| ids))
            .copied()
    }
}

/// The home page; with `summaries`, its variables, else none (a page that is not rendered).
fn home_page(site: &Site<'_>, home: &Home, summaries: Option<&[tera::Value]>) -> Page {
    let mut context = tera::Context::new();
    if let Some(summaries) = summaries {
        #[derive(Serialize)]
        struct Block<'a> {
            section: view::SectionView<'a>,
            articles: Vec<&'a tera::Value>,
        }
        let values = |ids: &[ArticleId]| ids.iter().map(|&id| &summaries[id]).collect::<Vec<_>>();
        let blocks: Vec<Block<'_>> = home
            .blocks
            .iter()
            .map(|(id, ids)| Block { section: site.section_view(*id), articles: values(ids) })
            .collect();
        context.insert("lead", &home.lead.map(|id| &summaries[id]));
        context.insert("featured", &values(&home.featured));
        context.insert("latest", &values(&home.latest));
        context.insert("section_blocks", &blocks);
        context.insert("jsonld", &seo::home(site));
    }
    Page {
        template: "index.html",
        path: String::new(),
        kind: "home",
        context,
        lastmod: newest(site, 0..site.library.articles.len()),
        listing: None,
    }
}

/// The date archive: an index of years and months, and a paginated page per year and month.
fn archive_pages(site: &Site<'_>, pages: &mut Vec<Page>) {
    #[derive(Serialize)]
    struct Month {
        month: i8,
        date: String,
        url: String,
        count: usize,
    }
    #[derive(Serialize)]
    struct Year {
        year: i16,
        url: String,
        count: usize,
        months: Vec<Month>,
    }
    #[derive(Serialize)]
    struct Archive {
        year: i16,
        month: Option<i8>,
        date: String,
        url: String,
        year_url: String,
        count: usize,
    }

    let root = &site.config.taxonomies.archive;
    // Articles are newest first, so each list below is too; years and months newest first.
    /// A year's articles, and its months' articles, newest first.
    type YearGroup = (i16, Vec<ArticleId>, Vec<(i8, Vec<ArticleId>)>);
    let mut by_year: Vec<YearGroup> = Vec::new();
    for (id, article) in site.library.articles.iter().enumerate() {
        let (year, month) = (article.date.year(), article.date.month());
        if by_year.last().is_none_or(|(y, _, _)| *y != year) {
            by_year.push((year, Vec::new(), Vec::new()));
        }
        let Some((_, year_ids, months)) = by_year.last_mut() else { continue };
        year_ids.push(id);
        if months.last().is_none_or(|(m, _)| *m != month) {
            months.push((month, Vec::new()));
        }
        if let Some((_, month_ids)) = months.last_mut() {
            month_ids.push(id);
        }
    }

    let mut years = Vec::new();
    for (year, year_ids, months) in &by_year {
        let year_path = format!("{root}/{year:04}/");
        let mut month_views = Vec::new();
        for (month, month_ids) in months {
            let month_path = format!("{year_path}{month:02}/");
            let date = view::month_start(*year, *month, &site.config.timezone);
            let archive = Archive {
                year: *year,
                month: Some(*month),
                date: date.clone(),
                url: site.url(&month_path),
                year_url: site.url(&year_path),
                count: month_ids.len(),
            };
            let context = context_with("archive", &archive);
            paginate(site, pages, "archive.html", "archive", &month_path, month_ids, context);
            month_views.push(Month {
                month: *month,
                date,
                url: site.url(&month_path),
                count: month_ids.len(),
            });
        }
        let archive = Archive {
            year: *year,
            month: None,
            date: view::month_start(*year, 1, &site.config.timezone),
            url: site.url(&year_path),
            year_url: site.url(&year_path),
            count: year_ids.len(),
        };
        let context = context_with("archive", &archive);
        paginate(site, pages, "archive.html", "archive", &year_path, year_ids, context);
        years.push(Year {
            year: *year,
            url: site.url(&year_path),
            count: year_ids.len(),
            months: month_views,
        });
    }
    pages.push(Page {
        template: "archive_index.html",
        path: format!("{root}/"),
        kind: "archives",
        context: context_with("years", &years),
        lastmod: newest(site, 0..site.library.articles.len()),
        listing: None,
    });
}

/// Splits `articles` into pages of `per_page` at `path`, `path/page/2/`, … .
#[allow(clippy::too_many_arguments)]
fn paginate(
    site: &Site<'_>,
    pages: &mut Vec<Page>,
    template: &'static str,
    kind: &'static str,
    path: &str,
    articles: &[ArticleId],
    context: tera::Context,
) {
    let per_page = site.config.per_page;
    let total_pages = articles.len().div_ceil(per_page).max(1);
    for number in 1..=total_pages {
        let start = (number - 1) * per_page;
        let ids = &articles[start.min(articles.len())..(start + per_page).min(articles.len())];
        let listing = PageOf {
            base: path.to_string(),
            ids: ids.to_vec(),
            number,
            total_pages,
            total_items: articles.len(),
        };
        pages.push(Page {
            template,
            path: listing.page_path(number),
            kind,
            context: context.clone(),
            lastmod: newest(site, ids.iter().copied()),
            listing: Some(listing),
        });
    }
}
