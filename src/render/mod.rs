//! Every output page of the site, rendered through the templates into [`OutputFile`]s.
//!
//! [`render_site`] renders all pages in parallel: the home page, section pages (paginated),
//! articles, the tag index and tag pages, the author index and author pages, and the 404 page;
//! then the feeds (`feeds`) and the sitemaps and `robots.txt` (`sitemap`) that list them.
//! It writes nothing to disk (that is `output`'s job) and never changes the site it reads.

mod alias;
mod feeds;
mod lend;
mod memo;
mod pages;
mod seo;
mod sitemap;
mod view;
mod xml;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::{Article, ArticleId, Library};
use crate::data::Data;
use crate::error::Error;
use crate::fingerprint::Fingerprint;
use crate::output::{Contents, OutputFile, Staging};
use crate::taxonomy::Taxonomy;
use crate::templates::Templates;

use feeds::Listing;
use lend::Lender;
pub(crate) use memo::Reuse;
use memo::{Cards, Dirty, Fingerprints, Inputs, own_fingerprint, page_fingerprint};
pub use memo::{Memo, Summaries};
use pages::{Home, PageOf, home_page, listing_pages};
use view::SiteView;
pub(crate) use view::rfc3339;

/// An article's body after Markdown, and what is derived from it.
#[derive(Debug, Clone, Default)]
pub struct Body {
    /// The body as HTML; `None` when the summary and reading time came from the build cache
    /// (`crate::cache`): the Markdown is then rendered only if a page or feed needs it
    /// ([`Site::html`]).
    pub html: Option<String>,
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
    /// Renders the HTML of an article whose body has none (see [`Body::html`]).
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
    /// Changes whenever anything but article texts changes (articles, their front matter,
    /// sections, taxonomy, data, config): a [`Memo`] of the same generation may reuse its list
    /// of pages.
    pub generation: u64,
}

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

/// Renders every page of the site. With a `memo` (kept by `serve` and `build --watch` between
/// rebuilds), a page whose inputs have the same fingerprint as in the last render keeps its bytes;
/// the memo is then replaced by this render's pages. With a `staging` folder (a one-off build),
/// each page rendered through the templates is written there at once instead of being kept.
pub fn render_site(
    site: &Site<'_>,
    templates: &Templates,
    summaries: &mut Summaries,
    mut memo: Option<&mut Memo>,
    staging: Option<&Staging>,
) -> Result<Rendered, Vec<Error>> {
    let mut base = site_context(site, templates);
    let (summary_fingerprints, cards_key) = summaries.prepare(templates, &base);
    let card_vars = base.clone();
    let cards = Cards::new(site, templates, &card_vars, cards_key);
    // The summaries every page has, with their cards.
    let breaking = breaking(site);
    summaries
        .with_cards(site.most_read.iter().chain(&breaking).copied(), &cards)
        .map_err(|e| vec![e])?;
    add_lists(&mut base, site, &summaries.values, &breaking);
    let shared = shared_fragments(templates, &base).map_err(|e| vec![e])?;
    base.insert("shared", &shared);
    let fingerprints = memo.is_some().then(|| Fingerprints {
        global: Fingerprint::new()
            .add_value(&base.clone().into_json())
            .add(site.config)
            .finish(),
        summaries: &summary_fingerprints,
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
    if !home_kept {
        summaries.with_cards(home_shows.shows(), &cards).map_err(|e| vec![e])?;
    }
    let home = home_page(site, &home_shows, (!home_kept).then_some(&summaries.values));
    let pages: Vec<PageToRender<'_>> = std::iter::once((&home, None))
        .chain(
            list.iter()
                .zip(own.iter().map(Some).chain(std::iter::repeat(None)))
                .map(|(page, own)| (page, own.copied())),
        )
        .collect();

    let old = memo.as_deref();
    let lender = summaries.lend(&cards);
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
    let render_one = |ctx: &mut tera::Context,
                      (position, &(page, own)): (usize, &PageToRender<'_>)| {
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
        let mut vars = match page.context.clone().into_json() {
            tera::Value::Object(vars) => vars,
            _ => Vars::new(),
        };
        if let Some(listing) = &page.listing {
            vars.insert("paginator".into(), listing.paginator(site, &lender)?);
        }
        let (file, mut vars) =
            render_with(site, templates, ctx, page.template, page.kind, &page.path, vars)?;
        if let (Some(listing), Some(tera::Value::Object(mut paginator))) =
            (&page.listing, vars.remove("paginator"))
        {
            lender.give_back_all(&listing.ids, paginator.remove("items"));
        }
        Ok((stage(staging, file)?, fp, true))
    };
    let render_article_one = |ctx: &mut tera::Context, id: ArticleId| -> Result<PageOut, Error> {
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
        let file = render_article(site, templates, ctx, &lender, id, &related)?;
        Ok((stage(staging, file)?, fp, true))
    };
    // Each worker renders with its own copy of the shared variables, into which each page's own
    // are moved for its render and out after: a copy per page would cost as much as the render.
    let mut results: Vec<Result<PageOut, Error>> =
        pages.par_iter().enumerate().map_init(|| base.clone(), render_one).collect();
    results.extend(
        (0..site.library.articles.len())
            .into_par_iter()
            .map_init(|| base.clone(), render_article_one)
            .collect::<Vec<_>>(),
    );
    if staging.is_some() {
        // A render into a staging folder is a one-off build's, which renders once: the summaries
        // are freed now rather than at the end, as the feeds need memory of their own.
        lender.free();
        summaries.clear();
    } else {
        summaries.returned(site, lender);
    }

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
    // The sitemaps are written on one thread: beside the feeds, which keep the others busy.
    let (generated, sitemaps) = rayon::join(
        || feeds::render(site, reuse.as_ref(), staging),
        || sitemaps(site, &pages, dirty.as_ref(), old, reuse.as_ref()),
    );
    let mut generated = generated.map_err(|e| vec![e])?;
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

/// The sitemaps: kept from the memo when only article texts changed (they list paths and dates,
/// which only a new generation changes), else written for every HTML page but 404.
fn sitemaps(
    site: &Site<'_>,
    pages: &[PageToRender<'_>],
    dirty: Option<&Dirty<'_>>,
    old: Option<&Memo>,
    reuse: Option<&Reuse<'_>>,
) -> Vec<(OutputFile, Option<u64>)> {
    match (dirty, old) {
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
            sitemap::render(site, &entries, reuse)
        }
    }
}

/// `file` written into `staging` now, when there is one.
fn stage(staging: Option<&Staging>, file: OutputFile) -> Result<OutputFile, Error> {
    match staging {
        Some(staging) => staging.put(file),
        None => Ok(file),
    }
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

/// An article page: the summary view plus its body, and its related articles.
fn render_article(
    site: &Site<'_>,
    templates: &Templates,
    ctx: &mut tera::Context,
    lender: &Lender<'_>,
    id: ArticleId,
    related: &[ArticleId],
) -> Result<OutputFile, Error> {
    let article = &site.library.articles[id];
    let mut page = lender.take(id)?;
    if let tera::Value::Object(map) = &mut page {
        map.insert("content".into(), tera::Value::String(site.html(id).into_owned()));
    }
    let mut vars = Vars::new();
    vars.insert("page".into(), page);
    vars.insert("jsonld".into(), seo::article(site, id).into());
    vars.insert("related".into(), tera::Value::Array(lender.take_all(related)?));
    let (file, mut vars) =
        render_with(site, templates, ctx, "article.html", "article", &article.path, vars)?;
    if let Some(tera::Value::Object(mut page)) = vars.remove("page") {
        page.remove("content");
        lender.give_back(id, tera::Value::Object(page));
    }
    lender.give_back_all(related, vars.remove("related"));
    Ok(file)
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

/// The templates under `shared/` (a footer, the most-read block: markup that is the same on every
/// page), each rendered once with the shared variables, by name: `shared/most_read.html` is
/// `shared.most_read`. Their output is part of the shared variables, and so of every page's
/// fingerprint.
fn shared_fragments(
    templates: &Templates,
    base: &tera::Context,
) -> Result<std::collections::BTreeMap<String, String>, Error> {
    let mut shared = std::collections::BTreeMap::new();
    for name in templates.shared() {
        let html = templates.render_string(name, base)?;
        shared.insert(fragment_key(name, crate::templates::SHARED).to_string(), html);
    }
    Ok(shared)
}

/// The name templates know a fragment template by: `shared/most_read.html` is `most_read`.
fn fragment_key<'n>(name: &'n str, folder: &str) -> &'n str {
    let key = name.strip_prefix(folder).unwrap_or(name);
    key.rsplit_once('.').map_or(key, |(stem, _)| stem)
}

/// A page's own variables, as a JSON object: moved into a context, not serialised again.
type Vars = serde_json::Map<String, tera::Value>;

/// Renders a page: adds the variables every page has to `vars`, moves them into `ctx` (the shared
/// variables; a page variable of the same name shadows a shared one) for the render, and takes
/// them out again, leaving `ctx` as it was. Gives the page's variables back with the file.
fn render_with(
    site: &Site<'_>,
    templates: &Templates,
    ctx: &mut tera::Context,
    template: &str,
    kind: &str,
    path: &str,
    mut vars: Vars,
) -> Result<(OutputFile, Vars), Error> {
    vars.insert("page_kind".into(), kind.into());
    vars.insert("current_url".into(), site.url(path).into());
    vars.insert("canonical".into(), site.permalink(path).into());
    let keys: Vec<String> = vars.keys().cloned().collect();
    let mut shadowed = Vars::new();
    for key in &keys {
        if let Some(value) = ctx.remove(key) {
            shadowed.insert(key.clone(), value);
        }
    }
    ctx.extend(context_of(vars));
    let html = templates.render(template, ctx);
    let mut vars = Vars::new();
    for key in keys {
        if let Some(value) = ctx.remove(&key) {
            vars.insert(key, value);
        }
    }
    ctx.extend(context_of(shadowed));
    Ok((OutputFile::bytes(output_path(path), html?), vars))
}

/// A context of the variables `vars`, moved.
fn context_of(vars: Vars) -> tera::Context {
    // `from_value` fails only for a value that is not an object.
    tera::Context::from_value(tera::Value::Object(vars)).unwrap_or_default()
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

/// The site's own variables, which every page and card has: `site`, `t` and `nav`.
fn site_context(site: &Site<'_>, templates: &Templates) -> tera::Context {
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
    context
}

/// The breaking news: articles marked `breaking`, newer than `[news] breaking_hours`.
fn breaking(site: &Site<'_>) -> Vec<ArticleId> {
    let cutoff = site.now.timestamp()
        - jiff::SignedDuration::from_hours(i64::from(site.config.news.breaking_hours));
    let articles = site.library.articles.iter().enumerate();
    articles
        .filter(|(_, a)| a.front_matter.breaking && a.date.timestamp() >= cutoff)
        .map(|(id, _)| id)
        .collect()
}

/// Adds the variables every page has besides the site's own: `most_read`, `breaking`, `feeds`.
fn add_lists(
    context: &mut tera::Context,
    site: &Site<'_>,
    summaries: &[tera::Value],
    breaking: &[ArticleId],
) {
    let most_read: Vec<&tera::Value> = site.most_read.iter().map(|&id| &summaries[id]).collect();
    context.insert("most_read", &most_read);
    let breaking: Vec<&tera::Value> = breaking.iter().map(|&id| &summaries[id]).collect();
    context.insert("breaking", &breaking);
    context.insert("feeds", &feeds::links(site, &[Listing::Site]));
}
