//! `sitemap.xml` (split under a sitemap index past 50,000 URLs), the Google News sitemap
//! `news_sitemap.xml`, and `robots.txt` pointing at both.
//!
//! Search engines find a news site's pages through these files, so every `<loc>` is absolute and
//! percent-encoded (the sitemap protocol asks for ASCII URLs, and Arabic slugs are not), and every
//! `lastmod` is a W3C datetime with the site's offset. The news sitemap lists only what Google
//! News accepts: articles published in the 48 hours before the build time, newest first, at most
//! 1,000. With no such article it is not written (the sitemaps.org schema requires at least one
//! `<url>`), and `robots.txt` then names only `sitemap.xml`. These files list pages; they don't
//! decide which pages exist (that is `render_site`, which hands over an [`Entry`] per page).

use std::ops::Range;

use rayon::prelude::*;

use super::remembered::Previous;
use super::site::Site;
use super::view::{Alternate, rfc3339};
use super::xml::XmlWriter;
use crate::content::{ArticleId, encode_path};
use crate::error::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::output::{OutputFile, Staging, put_into};

/// The most URLs one sitemap file may hold (sitemaps.org); more go into `sitemap-N.xml` files
/// under a sitemap index.
pub(crate) const MAX_URLS: usize = 50_000;
/// How far back the news sitemap reaches before the build time, in hours (Google News: two days).
const NEWS_HOURS: i64 = 48;
/// The most articles one news sitemap may hold (Google News).
const NEWS_MAX: usize = 1_000;

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const SITEMAP_FILE: &str = "sitemap.xml";
const NEWS_FILE: &str = "news_sitemap.xml";

/// A page of the site as sitemaps list it.
#[derive(Debug)]
pub(super) struct Entry<'a> {
    /// URL path relative to the site root (`politics/x/`, `` for home).
    pub(super) path: &'a str,
    /// When it last changed: the article's `updated` or `date`, or a listing's newest article.
    pub(super) lastmod: Option<&'a jiff::ZonedDateTime>,
    /// The article shown, for article pages.
    pub(super) article: Option<ArticleId>,
    /// The same page in the site's other languages, itself included; empty if none.
    pub(super) alternates: Vec<Alternate>,
}

/// One URL of a sitemap.
struct Url<'a> {
    /// Absolute and percent-encoded.
    loc: String,
    lastmod: Option<&'a jiff::ZonedDateTime>,
    /// `(hreflang, absolute and percent-encoded URL)` of each language's page, `x-default` last.
    alternates: Vec<(String, String)>,
}

/// The `hreflang` links of a page: each language's version, then `x-default`, the version in
/// the site's own language (the first), when there is one.
fn hreflang(alternates: &[Alternate], site_language: &str) -> Vec<(String, String)> {
    let mut links: Vec<(String, String)> =
        alternates.iter().map(|a| (a.lang.clone(), encode_path(&a.permalink))).collect();
    if let Some(default) = alternates.iter().find(|a| a.lang == site_language) {
        links.push(("x-default".into(), encode_path(&default.permalink)));
    }
    links
}

/// Whether `path` is one of the files [`render`] writes (in a render on request, which makes
/// them all when one is asked for).
pub(crate) fn is_listing_file(path: &str) -> bool {
    matches!(path, SITEMAP_FILE | NEWS_FILE | "robots.txt")
        || path
            .strip_prefix("sitemap-")
            .and_then(|rest| rest.strip_suffix(".xml"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The sitemaps of the pages in `entries`, the news sitemap and `robots.txt`. With `previous`,
/// each sitemap file carries a fingerprint of the pages and dates it lists, and keeps the bytes
/// of the last render when that is unchanged. Articles are listed oldest first, then the other
/// pages: a new article moves only the entries after it, in the last file or two, which hold the
/// listing pages whose newest article it is, changed anyway.
/// The sitemap index, the news sitemap and `robots.txt` are small: always written.
pub(crate) fn render(
    site: &Site<'_>,
    entries: &[Entry<'_>],
    previous: Option<&Previous<'_>>,
    staging: Option<&Staging>,
) -> Result<Vec<(OutputFile, Option<u64>)>, Diagnostic> {
    let base = encode_path(&site.config.base_url);
    let put = |file| put_into(staging, file);
    let file = |name: &str, range: Range<usize>| {
        let listed = &entries[range];
        let fp = previous.map(|previous| {
            let mut fp = Fingerprint::new();
            fp.add(&previous.global);
            for entry in listed {
                fp.add(&entry.path).add(&entry.lastmod.map(|at| at.timestamp()));
                fp.add(&entry.alternates);
            }
            fp.finish()
        });
        if let Some(contents) = previous.zip(fp).and_then(|(previous, fp)| previous.get(name, fp)) {
            return Ok((OutputFile { path: name.into(), contents }, fp));
        }
        let urls: Vec<Url<'_>> = listed
            .iter()
            .map(|entry| Url {
                loc: encode_path(&site.permalink(entry.path)),
                lastmod: entry.lastmod,
                alternates: hreflang(&entry.alternates, &site.config.language),
            })
            .collect();
        Ok((put(OutputFile::bytes(name, urlset(&urls)))?, fp))
    };
    let newest = |range: Range<usize>| {
        entries[range].iter().filter_map(|entry| entry.lastmod).max_by_key(|at| at.timestamp())
    };
    let mut files = sitemaps(&base, entries.len(), MAX_URLS, file, newest, put)?;
    let news = news_sitemap(site, entries);
    // Not staged: a `robots.txt` of the site's static files replaces it (`add_copies`).
    files.push((OutputFile::bytes("robots.txt", robots(&base, news.is_some())), None));
    if let Some(news) = news {
        files.push((put(OutputFile::bytes(NEWS_FILE, news))?, None));
    }
    Ok(files)
}

/// `sitemap.xml` as one `urlset` when `count` URLs fit in `max_urls`, else `sitemap-1.xml`,
/// `sitemap-2.xml`, … of at most `max_urls` each under a `sitemap.xml` index, each dated by the
/// `newest` of its range. `file` makes (or keeps) the file of a name listing a range of
/// positions, with its fingerprint; the files are made in parallel, each put as soon as it is
/// made, so no more than one file's URLs and bytes per worker are held at a time.
fn sitemaps<'a>(
    base: &str,
    count: usize,
    max_urls: usize,
    file: impl Fn(&str, Range<usize>) -> Result<(OutputFile, Option<u64>), Diagnostic> + Sync,
    newest: impl Fn(Range<usize>) -> Option<&'a jiff::ZonedDateTime>,
    put: impl Fn(OutputFile) -> Result<OutputFile, Diagnostic>,
) -> Result<Vec<(OutputFile, Option<u64>)>, Diagnostic> {
    if count <= max_urls {
        return Ok(vec![file(SITEMAP_FILE, 0..count)?]);
    }
    let max_urls = max_urls.max(1);
    let ranges: Vec<Range<usize>> =
        (0..count).step_by(max_urls).map(|start| start..count.min(start + max_urls)).collect();
    let mut files: Vec<(OutputFile, Option<u64>)> = ranges
        .par_iter()
        .enumerate()
        .map(|(n, range)| file(&format!("sitemap-{}.xml", n + 1), range.clone()))
        .collect::<Result<_, _>>()?;
    let mut index = XmlWriter::new();
    index.open("sitemapindex", &[("xmlns", SITEMAP_NS)]);
    for ((file, _), range) in files.iter().zip(ranges) {
        index.open("sitemap", &[]);
        index.text("loc", &[], &format!("{base}{}", file.path));
        if let Some(lastmod) = newest(range) {
            index.text("lastmod", &[], &rfc3339(lastmod));
        }
        index.close();
    }
    index.close();
    files.insert(0, (put(OutputFile::bytes(SITEMAP_FILE, index.finish()))?, None));
    Ok(files)
}

fn urlset(urls: &[Url<'_>]) -> String {
    let mut xml = XmlWriter::new();
    if urls.iter().any(|url| !url.alternates.is_empty()) {
        xml.open("urlset", &[("xmlns", SITEMAP_NS), ("xmlns:xhtml", XHTML_NS)]);
    } else {
        xml.open("urlset", &[("xmlns", SITEMAP_NS)]);
    }
    for url in urls {
        xml.open("url", &[]);
        xml.text("loc", &[], &url.loc);
        if let Some(lastmod) = url.lastmod {
            xml.text("lastmod", &[], &rfc3339(lastmod));
        }
        for (lang, href) in &url.alternates {
            let attributes = [("rel", "alternate"), ("hreflang", lang.as_str()), ("href", href)];
            xml.empty("xhtml:link", &attributes);
        }
        xml.close();
    }
    xml.close();
    xml.finish()
}

/// The Google News sitemap: the article pages of `entries` published in the last
/// [`NEWS_HOURS`] before the build time.
fn news_sitemap(site: &Site<'_>, entries: &[Entry<'_>]) -> Option<String> {
    let now = site.now.timestamp();
    let since = now - jiff::SignedDuration::from_hours(NEWS_HOURS);
    let config = site.config;
    let name = config.news.publication_name.as_deref().unwrap_or(&config.title);
    let mut recent: Vec<ArticleId> = entries
        .iter()
        .filter_map(|entry| entry.article)
        .filter(|&id| (since..=now).contains(&site.library.articles[id].date.timestamp()))
        .collect();
    // Newest first, as articles are numbered (the entries list them oldest first).
    recent.sort_unstable();
    // The sitemaps.org schema requires at least one `<url>`: with no recent article, no file.
    if recent.is_empty() {
        return None;
    }

    let mut xml = XmlWriter::new();
    xml.open("urlset", &[("xmlns", SITEMAP_NS), ("xmlns:news", NEWS_NS)]);
    for article in recent.into_iter().take(NEWS_MAX).map(|id| &site.library.articles[id]) {
        xml.open("url", &[]);
        xml.text("loc", &[], &encode_path(&site.permalink(&article.path)));
        xml.open("news:news", &[]);
        xml.open("news:publication", &[]);
        xml.text("news:name", &[], name);
        let language = news_language(&config.languages[article.lang].code);
        xml.text("news:language", &[], &language);
        xml.close();
        xml.text("news:publication_date", &[], &rfc3339(&article.date));
        xml.text("news:title", &[], &article.front_matter.title);
        xml.close();
        xml.close();
    }
    xml.close();
    Some(xml.finish())
}

/// Google News wants an ISO 639 code (`ar`), not a full BCP 47 tag (`ar-EG`); Chinese alone
/// keeps its script region (`zh-cn`, `zh-tw`).
fn news_language(language: &str) -> String {
    let lower = language.to_ascii_lowercase().replace('_', "-");
    let mut parts = lower.split('-');
    let primary = parts.next().unwrap_or_default().to_string();
    if primary == "zh"
        && let Some(region) = parts.find(|p| matches!(*p, "cn" | "tw"))
    {
        return format!("zh-{region}");
    }
    primary
}

/// Allows everything and points at the sitemaps (absolute URLs, as robots.txt requires).
fn robots(base: &str, with_news: bool) -> String {
    let mut text = format!("User-agent: *\nAllow: /\n\nSitemap: {base}{SITEMAP_FILE}\n");
    if with_news {
        text.push_str(&format!("Sitemap: {base}{NEWS_FILE}\n"));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Contents;

    fn text(file: &OutputFile) -> &str {
        match &file.contents {
            Contents::Bytes(bytes) => std::str::from_utf8(bytes).unwrap(),
            other => panic!("{} is not in memory: {other:?}", file.path),
        }
    }

    #[track_caller]
    fn check_split(n_urls: usize, max: usize, expect: &[(&str, usize)]) {
        let at: jiff::ZonedDateTime = "2026-11-29T09:30:00+02:00[Africa/Cairo]".parse().unwrap();
        let later = at.checked_add(jiff::SignedDuration::from_hours(1)).unwrap();
        let url = |i: usize| Url {
            loc: format!("https://x.org/%D8%A7-{i}/"),
            lastmod: Some(if i == 1 { &later } else { &at }),
            alternates: Vec::new(),
        };
        let urls: Vec<Url<'_>> = (0..n_urls).map(url).collect();
        let file = |name: &str, range: Range<usize>| {
            let chunk: Vec<Url<'_>> = range.map(url).collect();
            Ok((OutputFile::bytes(name, urlset(&chunk)), None))
        };
        let newest = |range: Range<usize>| range.filter_map(|i| url(i).lastmod).max();
        let files: Vec<OutputFile> = sitemaps("https://x.org/", n_urls, max, file, newest, Ok)
            .unwrap()
            .into_iter()
            .map(|(file, _)| file)
            .collect();
        let got: Vec<(&str, usize)> = files
            .iter()
            .map(|f| {
                let doc = roxmltree::Document::parse(text(f)).unwrap();
                let root = doc.root_element();
                assert_eq!(root.tag_name().namespace(), Some(SITEMAP_NS));
                (f.path.as_str(), root.children().filter(|c| c.is_element()).count())
            })
            .collect();
        assert_eq!(got, expect);
        if files.len() > 1 {
            let doc = roxmltree::Document::parse(text(&files[0])).unwrap();
            assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
            let locs: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("loc"))
                .filter_map(|n| n.text())
                .collect();
            let names: Vec<String> =
                files[1..].iter().map(|f| format!("https://x.org/{}", f.path)).collect();
            assert_eq!(locs, names);
            let lastmods: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("lastmod"))
                .filter_map(|n| n.text())
                .collect();
            assert_eq!(lastmods[0], "2026-11-29T10:30:00+02:00", "the chunk's newest");
            // Every URL once, in order.
            let all: Vec<String> = files[1..]
                .iter()
                .flat_map(|f| {
                    let doc = roxmltree::Document::parse(text(f)).unwrap();
                    doc.descendants()
                        .filter(|n| n.has_tag_name("loc"))
                        .filter_map(|n| n.text().map(str::to_string))
                        .collect::<Vec<_>>()
                })
                .collect();
            assert_eq!(all, urls.iter().map(|u| u.loc.clone()).collect::<Vec<_>>());
        }
    }

    #[test]
    fn one_file_up_to_the_limit() {
        check_split(0, 3, &[("sitemap.xml", 0)]);
        check_split(3, 3, &[("sitemap.xml", 3)]);
    }

    #[test]
    fn an_index_past_the_limit() {
        check_split(4, 3, &[("sitemap.xml", 2), ("sitemap-1.xml", 3), ("sitemap-2.xml", 1)]);
        check_split(
            7,
            2,
            &[
                ("sitemap.xml", 4),
                ("sitemap-1.xml", 2),
                ("sitemap-2.xml", 2),
                ("sitemap-3.xml", 2),
                ("sitemap-4.xml", 1),
            ],
        );
    }

    #[test]
    fn news_languages() {
        assert_eq!(news_language("ar"), "ar");
        assert_eq!(news_language("ar-EG"), "ar");
        assert_eq!(news_language("zh-Hant-TW"), "zh-tw");
        assert_eq!(news_language("zh_CN"), "zh-cn");
    }

    #[test]
    fn robots_points_at_both_sitemaps() {
        assert_eq!(
            robots("https://x.org/ar/", true),
            "User-agent: *\nAllow: /\n\nSitemap: https://x.org/ar/sitemap.xml\nSitemap: https://x.org/ar/news_sitemap.xml\n"
        );
        assert_eq!(
            robots("https://x.org/", false),
            "User-agent: *\nAllow: /\n\nSitemap: https://x.org/sitemap.xml\n"
        );
    }
}
