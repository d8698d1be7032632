//! The pages of a site other than its articles, as [`Page`]s to render: the home page, the
//! sections, the tag and author indexes and pages, the date archive and 404, each listing split
//! into pages with the paginator its templates see. Every page, articles included, is of a
//! [`Kind`], which names its template.

use std::sync::Arc;

use serde::Serialize;

use super::feeds::{self, Listing};
use super::pool::SummaryPool;
use super::seo;
use super::site::{Site, newest};
use super::view::{self, PageLink, PaginatorView};
use crate::config::LangId;
use crate::content::{ArticleId, SectionId};
use crate::error::Diagnostic;

/// What a page is; each kind has its template, and templates see its name as `page_kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Home,
    Section,
    Tags,
    Tag,
    Authors,
    Author,
    Archives,
    Archive,
    NotFound,
    Search,
    Article,
}

impl Kind {
    /// The template that renders pages of this kind (one of `templates::REQUIRED`).
    pub(super) fn template(self) -> &'static str {
        match self {
            Kind::Home => "index.html",
            Kind::Section => "section.html",
            Kind::Tags => "taxonomy_list.html",
            Kind::Tag => "taxonomy_term.html",
            Kind::Authors => "author_list.html",
            Kind::Author => "author.html",
            Kind::Archives => "archive_index.html",
            Kind::Archive => "archive.html",
            Kind::NotFound => "404.html",
            Kind::Search => "search.html",
            Kind::Article => "article.html",
        }
    }

    /// `page_kind` in templates.
    pub(super) fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Section => "section",
            Kind::Tags => "tags",
            Kind::Tag => "tag",
            Kind::Authors => "authors",
            Kind::Author => "author",
            Kind::Archives => "archives",
            Kind::Archive => "archive",
            Kind::NotFound => "404",
            Kind::Search => "search",
            Kind::Article => "article",
        }
    }
}

/// One page to render but an article: its kind, output path and page-specific variables.
#[derive(Debug)]
pub(super) struct Page {
    pub(super) kind: Kind,
    /// Output path relative to the site root of the page's folder (`politics/`), or a file name.
    pub(super) path: String,
    /// The language it is in.
    pub(super) lang: LangId,
    /// Its own variables, shared by every page of a listing.
    pub(super) context: Arc<tera::Context>,
    /// The last change of what the page lists, for the sitemap.
    pub(super) lastmod: Option<jiff::ZonedDateTime>,
    /// For one page of a listing, what its `paginator` shows. The paginator is built while
    /// rendering, in parallel, not while listing the pages.
    pub(super) listing: Option<PageOf>,
}

/// The file a page at `path` is written to: `politics/` → `politics/index.html`.
/// The output path of the page a static host serves for a path it lacks.
pub const NOT_FOUND_PATH: &str = "404.html";

pub(super) fn output_path(path: &str) -> String {
    if path.ends_with(".html") { path.to_string() } else { format!("{path}index.html") }
}

/// How many articles the home page shows in its lists.
const HOME_LATEST: usize = 10;

const HOME_FEATURED: usize = 4;

const HOME_PER_SECTION: usize = 4;

/// How many page links on each side of the current page `paginator.pages` has.
const PAGE_WINDOW: usize = 2;

/// One page of a paginated listing.
#[derive(Debug)]
pub(super) struct PageOf {
    /// The listing's first page, e.g. `politics/`.
    pub(super) base: String,
    /// The articles on this page.
    pub(super) ids: Vec<ArticleId>,
    pub(super) number: usize,
    pub(super) total_pages: usize,
    pub(super) total_items: usize,
}

impl PageOf {
    fn page_path(&self, n: usize) -> String {
        if n == 1 { self.base.clone() } else { format!("{}page/{n}/", self.base) }
    }

    /// The page's `paginator`; its items are checked out of `pool`.
    pub(super) fn paginator(
        &self,
        site: &Site<'_>,
        pool: &SummaryPool<'_>,
    ) -> Result<tera::Value, Diagnostic> {
        let (number, total_pages) = (self.number, self.total_pages);
        let view = PaginatorView {
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
        };
        let mut paginator = tera::to_value(view).unwrap_or_default();
        // The summaries are checked out of the pool, not serialised again.
        if let tera::Value::Object(map) = &mut paginator {
            map.insert("items".into(), tera::Value::Array(pool.check_out_all(&self.ids)?));
        }
        Ok(paginator)
    }
}

/// Every page but the articles and the home pages: in each language its sections, tags,
/// authors, archives and search page; the 404 page.
pub(super) fn listing_pages(site: &Site<'_>) -> Vec<Page> {
    let mut pages = Vec::new();
    for (id, section) in site.library.sections.iter().enumerate() {
        let mut context = tera::Context::new();
        context.insert("section", &site.section_view(id));
        let listings = [Listing::Site(section.lang), Listing::Section(id)];
        context.insert("feeds", &feeds::links(site, &listings));
        let paged = Paged { kind: Kind::Section, lang: section.lang, path: &section.path };
        paginate(site, &mut pages, paged, &section.articles, context);
    }
    for lang in 0..site.config.languages.len() {
        language_pages(site, lang, &mut pages);
    }
    pages.push(Page {
        kind: Kind::NotFound,
        path: NOT_FOUND_PATH.into(),
        lang: 0,
        context: Arc::default(),
        lastmod: None,
        listing: None,
    });
    pages
}

/// The tag and author indexes and pages, the archive and the search page of language `lang`.
fn language_pages(site: &Site<'_>, lang: LangId, pages: &mut Vec<Page>) {
    let prefix = &site.config.languages[lang].prefix;
    let tags: Vec<usize> =
        (0..site.taxonomy.tags.len()).filter(|&t| site.taxonomy.tags[t].lang == lang).collect();
    pages.push(Page {
        kind: Kind::Tags,
        path: format!("{prefix}{}/", site.config.taxonomies.tags),
        lang,
        context: context_with("terms", &tags.iter().map(|&t| site.tag_view(t)).collect::<Vec<_>>())
            .into(),
        lastmod: newest(site, tags.iter().flat_map(|&t| &site.taxonomy.tags[t].articles).copied()),
        listing: None,
    });
    for &id in &tags {
        let mut context = context_with("term", &site.tag_view(id));
        context.insert("feeds", &feeds::links(site, &[Listing::Site(lang), Listing::Tag(id)]));
        let path = site.tag_path(id);
        let paged = Paged { kind: Kind::Tag, lang, path: &path };
        paginate(site, pages, paged, &site.taxonomy.tags[id].articles, context);
    }
    let authors: Vec<usize> = (0..site.taxonomy.authors.len())
        .filter(|&a| {
            let author = &site.taxonomy.authors[a];
            author.lang == lang && !author.articles.is_empty()
        })
        .collect();
    pages.push(Page {
        kind: Kind::Authors,
        path: format!("{prefix}{}/", site.config.taxonomies.authors),
        lang,
        context: context_with(
            "authors",
            &authors.iter().map(|&a| site.author_view(a)).collect::<Vec<_>>(),
        )
        .into(),
        lastmod: newest(
            site,
            authors.iter().flat_map(|&a| &site.taxonomy.authors[a].articles).copied(),
        ),
        listing: None,
    });
    for &id in &authors {
        let mut context = context_with("author", &site.author_view(id));
        context.insert("feeds", &feeds::links(site, &[Listing::Site(lang), Listing::Author(id)]));
        let articles = &site.taxonomy.authors[id].articles;
        let path = site.author_path(id);
        paginate(site, pages, Paged { kind: Kind::Author, lang, path: &path }, articles, context);
    }
    archive_pages(site, lang, pages);
    if site.config.search.enabled {
        pages.push(Page {
            kind: Kind::Search,
            path: site.search_path(lang),
            lang,
            context: context_with("search", &search_view(site, lang)).into(),
            lastmod: None,
            listing: None,
        });
    }
}

/// `search` on the search page: the script's URL (versioned, so a new binary's script is not
/// taken from a browser's cache).
fn search_view(site: &Site<'_>, lang: LangId) -> serde_json::Value {
    let language = &site.config.languages[lang];
    let version = crate::search::client::version();
    let script = format!("{}?v={version}", site.url(crate::search::client::SCRIPT));
    // The count of results is written in the language's digits.
    let locale = format!("{}-u-nu-{}", language.code, site.config.digits(lang).as_str());
    let url = site.url(&site.search_path(lang));
    let index = site.url(&crate::search::client::index_folder(&language.prefix));
    serde_json::json!({ "script": script, "url": url, "locale": locale, "index": index })
}

fn context_with<T: Serialize + ?Sized>(key: &str, value: &T) -> tera::Context {
    let mut context = tera::Context::new();
    context.insert(key, value);
    context
}

/// The articles the home page shows: the lead story, the featured ones, the latest, and each
/// section's block.
#[derive(Debug)]
pub(super) struct Home {
    lang: LangId,
    /// When the newest article of its language last changed.
    lastmod: Option<jiff::ZonedDateTime>,
    lead: Option<ArticleId>,
    featured: Vec<ArticleId>,
    latest: Vec<ArticleId>,
    /// Sections with articles, and their first articles.
    blocks: Vec<(SectionId, Vec<ArticleId>)>,
}

impl Home {
    /// The home page of language `lang`.
    pub(super) fn of(site: &Site<'_>, lang: LangId) -> Home {
        let articles = &site.library.articles;
        let ids = || (0..articles.len()).filter(|&id| articles[id].lang == lang);
        let lead = ids().find(|&id| articles[id].front_matter.featured).or(ids().next());
        let featured: Vec<ArticleId> = ids()
            .filter(|&id| Some(id) != lead && articles[id].front_matter.featured)
            .take(HOME_FEATURED)
            .collect();
        let shown = |id: &ArticleId| Some(*id) != lead && !featured.contains(id);
        let latest = ids().filter(shown).take(HOME_LATEST).collect();
        let blocks = site
            .library
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| s.lang == lang && !s.articles.is_empty())
            .map(|(id, s)| (id, s.articles.iter().take(HOME_PER_SECTION).copied().collect()))
            .collect();
        let lastmod = newest(site, ids());
        Home { lang, lastmod, lead, featured, latest, blocks }
    }

    /// Every article shown, in any block.
    pub(super) fn shows(&self) -> impl Iterator<Item = ArticleId> + '_ {
        self.lead
            .iter()
            .chain(&self.featured)
            .chain(&self.latest)
            .chain(self.blocks.iter().flat_map(|(_, ids)| ids))
            .copied()
    }
}

/// The home page; with `summary` (which gives the summary of an article, with its cards), its
/// variables, else none (a page that is not rendered).
pub(super) fn home_page(
    site: &Site<'_>,
    home: &Home,
    summary: Option<&mut dyn FnMut(ArticleId) -> tera::Value>,
) -> Page {
    let mut context = tera::Context::new();
    if let Some(summary) = summary {
        let lead = home.lead.map_or(tera::Value::Null, &mut *summary);
        let mut values =
            |ids: &[ArticleId]| tera::Value::Array(ids.iter().map(|&id| summary(id)).collect());
        let blocks = home.blocks.iter().map(|(id, ids)| {
            let section = tera::to_value(site.section_view(*id)).unwrap_or_default();
            serde_json::json!({ "section": section, "articles": values(ids) })
        });
        let blocks = tera::Value::Array(blocks.collect());
        let mut vars = serde_json::Map::new();
        vars.insert("lead".into(), lead);
        vars.insert("featured".into(), values(&home.featured));
        vars.insert("latest".into(), values(&home.latest));
        vars.insert("section_blocks".into(), blocks);
        context = tera::Context::from_value(tera::Value::Object(vars)).unwrap_or_default();
        context.insert("jsonld", &seo::home(site, home.lang));
    }
    Page {
        kind: Kind::Home,
        path: site.config.languages[home.lang].prefix.clone(),
        lang: home.lang,
        context: context.into(),
        lastmod: home.lastmod.clone(),
        listing: None,
    }
}

/// The date archive: an index of years and months, and a paginated page per year and month.
fn archive_pages(site: &Site<'_>, lang: LangId, pages: &mut Vec<Page>) {
    #[derive(Serialize, Clone)]
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
        /// On a year's page, its months, newest first; none on a month's.
        months: Vec<Month>,
    }

    let root = format!("{}{}", site.config.languages[lang].prefix, site.config.taxonomies.archive);
    // Articles are newest first, so each list below is too; years and months newest first.
    /// A year's articles, and its months' articles, newest first.
    type YearGroup = (i16, Vec<ArticleId>, Vec<(i8, Vec<ArticleId>)>);
    let mut by_year: Vec<YearGroup> = Vec::new();
    let articles = site.library.articles.iter().enumerate();
    for (id, article) in articles.filter(|(_, a)| a.lang == lang) {
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
        // The pages of a year or of one of its months at `path`, showing `ids`, paginated.
        let add_pages = |pages: &mut Vec<Page>, archive: Archive, path: &str, ids: &[ArticleId]| {
            let context = context_with("archive", &archive);
            paginate(site, pages, Paged { kind: Kind::Archive, lang, path }, ids, context);
        };
        // What the pages of the year (`month` `None`) or of a month say of it: `count` stories.
        let archive = |month: Option<i8>, date: String, path: &str, count: usize| Archive {
            year: *year,
            month,
            date,
            url: site.url(path),
            year_url: site.url(&year_path),
            count,
            months: Vec::new(),
        };
        let mut month_views = Vec::new();
        for (month, month_ids) in months {
            let month_path = format!("{year_path}{month:02}/");
            let date = view::month_start(*year, *month, &site.config.timezone);
            let month_archive = archive(Some(*month), date.clone(), &month_path, month_ids.len());
            add_pages(pages, month_archive, &month_path, month_ids);
            month_views.push(Month {
                month: *month,
                date,
                url: site.url(&month_path),
                count: month_ids.len(),
            });
        }
        // A year's page is its months and its newest stories, not every story of the year:
        // paginated, it would be a thousand pages that every new story shifts by one.
        let year_start = view::month_start(*year, 1, &site.config.timezone);
        let year_archive = Archive {
            months: month_views.clone(),
            ..archive(None, year_start, &year_path, year_ids.len())
        };
        let latest = &year_ids[..year_ids.len().min(site.config.per_page)];
        add_pages(pages, year_archive, &year_path, latest);
        years.push(Year {
            year: *year,
            url: site.url(&year_path),
            count: year_ids.len(),
            months: month_views,
        });
    }
    let all = by_year.iter().flat_map(|(_, ids, _)| ids).copied();
    pages.push(Page {
        kind: Kind::Archives,
        path: format!("{root}/"),
        lang,
        context: context_with("years", &years).into(),
        lastmod: newest(site, all),
        listing: None,
    });
}

/// What [`paginate`] splits: the kind, language and first page of a listing.
struct Paged<'p> {
    kind: Kind,
    lang: LangId,
    path: &'p str,
}

/// Splits `articles` into pages of `per_page` at `path`, `path/page/2/`, … .
fn paginate(
    site: &Site<'_>,
    pages: &mut Vec<Page>,
    Paged { kind, lang, path }: Paged<'_>,
    articles: &[ArticleId],
    context: tera::Context,
) {
    let context = Arc::new(context);
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
            kind,
            path: listing.page_path(number),
            lang,
            context: Arc::clone(&context),
            lastmod: newest(site, ids.iter().copied()),
            listing: Some(listing),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_template_every_theme_provides() {
        let kinds = [
            Kind::Home,
            Kind::Section,
            Kind::Tags,
            Kind::Tag,
            Kind::Authors,
            Kind::Author,
            Kind::Archives,
            Kind::Archive,
            Kind::NotFound,
            Kind::Search,
            Kind::Article,
        ];
        for kind in kinds {
            let required = crate::templates::REQUIRED.contains(&kind.template());
            let with_search = crate::templates::REQUIRED_WITH_SEARCH == kind.template();
            assert!(required || with_search, "{kind:?}");
        }
        let templates: std::collections::BTreeSet<_> = kinds.map(Kind::template).into();
        assert_eq!(templates.len(), kinds.len(), "one template per kind");
    }
}
