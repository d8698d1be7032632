//! RSS 2.0 and Atom feeds of the site, of each section, each tag and each author.
//!
//! News lives on aggregators, so every listing page of the site has feeds beside it
//! (`rss.xml` and `atom.xml` in the listing's folder), chosen by `[feeds]` in config.toml. Entries
//! are the listing's newest `limit` articles, newest first; dates are in the site's time zone
//! (RFC 822 in RSS, RFC 3339 in Atom); every URL is absolute and percent-encoded, since readers
//! resolve nothing against Arabic paths. The XML is written by [`XmlWriter`], which escapes every
//! value, so any title stays well-formed. An article's `<item>` and `<entry>` are written once per
//! build and shared by every feed that lists it (tag feeds repeat the same articles many times).
//! Feeds are not paginated (no RFC 5005 archives) and carry no enclosures.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use super::remembered::Previous;
use super::site::{Site, last_change};
use super::view::rfc3339;
use super::wanted::Wanted;
use super::xml::XmlWriter;
use crate::config::LangId;
use crate::content::{ArticleId, SectionId, encode_path};
use crate::error::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::output::{Contents, OutputFile, Staging, put_into};
use crate::taxonomy::TermId;

/// A page that has feeds: what they list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listing {
    /// Every article of a language (its home page).
    Site(LangId),
    /// A section's articles.
    Section(SectionId),
    /// A tag's articles.
    Tag(TermId),
    /// An author's articles.
    Author(TermId),
}

/// One feed as templates link to it (`feeds` in templates): `{title, url, type}`.
#[derive(Debug, Serialize)]
pub(crate) struct FeedLink {
    /// The feed's title, with its format: «سياسة | مداد نيوز (RSS)».
    pub(crate) title: String,
    /// Root-relative URL of the feed file.
    pub(crate) url: String,
    /// MIME type: `application/rss+xml` or `application/atom+xml`.
    #[serde(rename = "type")]
    pub(crate) mime: &'static str,
}

const RSS_FILE: &str = "rss.xml";
const ATOM_FILE: &str = "atom.xml";
const RSS_MIME: &str = "application/rss+xml";
const ATOM_MIME: &str = "application/atom+xml";

/// A listing with its feed metadata and the articles its feeds carry.
struct Channel<'a> {
    /// The folder of the listing page and its feeds, relative to the site root (`` or
    /// `politics/`).
    path: String,
    title: String,
    description: &'a str,
    /// At most `limit` articles, newest first.
    articles: Cow<'a, [ArticleId]>,
    /// Whether its entries carry the article's body (`[feeds] full_text`).
    full_text: bool,
    /// The language of its articles.
    lang: LangId,
}

impl Channel<'_> {
    /// The body `entry` carries in this channel's feeds: none unless they carry full text.
    fn body_of<'e>(&self, entry: &'e Entry<'_>) -> Option<&'e Content<'e>> {
        entry.content.as_ref().filter(|_| self.full_text)
    }
}

/// Every feed file of the site, per `config.feeds`, each with its fingerprint when `previous` is
/// given; a feed whose fingerprint is unchanged keeps the bytes of the last render. With a
/// `staging` folder, each feed rendered is written there at once; with `wanted` (a render on
/// request), only the channels with a file in it are made.
pub(crate) fn render(
    site: &Site<'_>,
    previous: Option<&Previous<'_>>,
    staging: Option<&Staging>,
    wanted: Option<&Wanted>,
) -> Result<Vec<(OutputFile, Option<u64>)>, Diagnostic> {
    let feeds = &site.config.feeds;
    let wants_none = wanted.is_some_and(|wanted| !wanted.any(is_feed_file));
    if !feeds.rss && !feeds.atom || wants_none {
        return Ok(Vec::new());
    }
    let channels: Vec<Channel<'_>> = listings(site)
        .into_iter()
        .filter(|&listing| has_feeds(site, listing))
        .map(|listing| (listing, listing_path(site, listing)))
        .filter(|(_, path)| {
            wanted.is_none_or(|wanted| {
                wanted.has(&format!("{path}{RSS_FILE}"))
                    || wanted.has(&format!("{path}{ATOM_FILE}"))
            })
        })
        .map(|(listing, path)| channel(site, listing, path))
        .collect();
    // Each channel's fingerprint, and its files kept from the last render.
    let kept: Vec<(Option<u64>, Option<Kept>)> = channels
        .par_iter()
        .map(|channel| {
            let Some(previous) = previous else { return (None, None) };
            if let Some(changed) = &previous.changed {
                // Only article texts changed: a feed of none of them is as it was.
                if !channel.articles.iter().any(|&id| changed.article(id))
                    && let Some(kept) = kept_as_is(previous, &channel.path, feeds)
                {
                    return kept;
                }
            }
            let mut fp = Fingerprint::new();
            fp.add(&previous.global)
                .add(&channel.path)
                .add(&channel.title)
                .add(channel.description)
                .add(&channel.full_text);
            for &id in channel.articles.iter() {
                fp.add(&previous.article(id));
            }
            if channel.articles.is_empty() {
                // Its `updated` is the build time (see `updated`).
                fp.add(&site.now.timestamp().as_nanosecond());
            }
            let fp = fp.finish();
            let rss = format!("{}{RSS_FILE}", channel.path);
            let atom = format!("{}{ATOM_FILE}", channel.path);
            let rss = if feeds.rss { previous.get(&rss, fp).map(Some) } else { Some(None) };
            let atom = if feeds.atom { previous.get(&atom, fp).map(Some) } else { Some(None) };
            (Some(fp), rss.zip(atom))
        })
        .collect();

    // Each <item> and <entry> of a feed to write, written once, with the article's body when a
    // feed that carries bodies lists it.
    let mut listed: Vec<Option<bool>> = vec![None; site.library.articles.len()];
    for (channel, (_, kept)) in channels.iter().zip(&kept) {
        if kept.is_none() {
            for &id in channel.articles.iter() {
                let with_body = listed[id].get_or_insert(false);
                *with_body |= channel.full_text;
            }
        }
    }
    let origin = origin(&site.config.base_url, &site.config.base_path);
    let entries = Entries::of(site, &listed, origin);

    let stage = |file, fp: Option<u64>| put_into(staging, file).map(|file| (file, fp));
    channels
        .par_iter()
        .zip(kept)
        .flat_map_iter(|(channel, (fp, kept))| {
            // A kept channel has the contents of every format written; else both are rendered.
            let (kept_rss, kept_atom) = kept.unwrap_or((None, None));
            let rss = feeds.rss.then(|| {
                let path = format!("{}{RSS_FILE}", channel.path);
                let contents = kept_rss
                    .unwrap_or_else(|| Contents::Bytes(rss_feed(site, channel, &entries).into()));
                stage(OutputFile { path, contents }, fp)
            });
            let atom = feeds.atom.then(|| {
                let path = format!("{}{ATOM_FILE}", channel.path);
                let contents = kept_atom
                    .unwrap_or_else(|| Contents::Bytes(atom_feed(site, channel, &entries).into()));
                stage(OutputFile { path, contents }, fp)
            });
            rss.into_iter().chain(atom)
        })
        .collect()
}

/// Whether `path` is the path of a feed file.
fn is_feed_file(path: &str) -> bool {
    let name = path.rsplit_once('/').map_or(path, |(_, name)| name);
    name == RSS_FILE || name == ATOM_FILE
}

/// The `<item>` and `<entry>` of each article a feed to write lists, by article id.
struct Entries<'a> {
    /// Each article's place in `made`, or `NONE`.
    places: Vec<u32>,
    made: Vec<Entry<'a>>,
}

impl<'a> Entries<'a> {
    /// No place in `made`.
    const NONE: u32 = u32::MAX;

    /// The entries of the articles `listed`, with their bodies where they say so.
    fn of(site: &Site<'a>, listed: &[Option<bool>], origin: &str) -> Entries<'a> {
        let ids: Vec<(ArticleId, bool)> = listed
            .iter()
            .enumerate()
            .filter_map(|(id, listed)| listed.map(|with_body| (id, with_body)))
            .collect();
        let made: Vec<Entry<'a>> =
            ids.par_iter().map(|&(id, with_body)| entry(site, id, origin, with_body)).collect();
        let mut places = vec![Self::NONE; listed.len()];
        for (place, &(id, _)) in ids.iter().enumerate() {
            places[id] = u32::try_from(place).unwrap_or(Self::NONE);
        }
        Entries { places, made }
    }

    /// The entry of article `id`, if a feed to write lists it.
    fn get(&self, id: ArticleId) -> Option<&Entry<'a>> {
        self.made.get(usize::try_from(self.places[id]).ok()?)
    }
}

/// A channel's RSS and Atom files kept from the last render (`None` for a format not written).
type Kept = (Option<Contents>, Option<Contents>);

/// The last render's feeds of the channel at `path` with their fingerprint, if it has them all.
fn kept_as_is(
    previous: &Previous<'_>,
    path: &str,
    feeds: &crate::config::FeedsConfig,
) -> Option<(Option<u64>, Option<Kept>)> {
    let rss = if feeds.rss { Some(previous.last(&format!("{path}{RSS_FILE}"))?) } else { None };
    let atom = if feeds.atom { Some(previous.last(&format!("{path}{ATOM_FILE}"))?) } else { None };
    let fp = rss.as_ref().or(atom.as_ref()).map(|(fp, _)| *fp)?;
    Some((Some(fp), Some((rss.map(|(_, b)| b), atom.map(|(_, b)| b)))))
}

/// The feeds of `listings` that this build writes, for `<link rel="alternate">` in pages.
pub(crate) fn links(site: &Site<'_>, listings: &[Listing]) -> Vec<FeedLink> {
    let feeds = &site.config.feeds;
    let mut links = Vec::new();
    for &listing in listings {
        if !has_feeds(site, listing) {
            continue;
        }
        let (path, title) = (listing_path(site, listing), listing_title(site, listing));
        if feeds.rss {
            links.push(FeedLink {
                title: format!("{title} (RSS)"),
                url: site.url(&format!("{path}{RSS_FILE}")),
                mime: RSS_MIME,
            });
        }
        if feeds.atom {
            links.push(FeedLink {
                title: format!("{title} (Atom)"),
                url: site.url(&format!("{path}{ATOM_FILE}")),
                mime: ATOM_MIME,
            });
        }
    }
    links
}

/// Every listing that may have feeds, in a fixed order.
fn listings(site: &Site<'_>) -> Vec<Listing> {
    let mut all: Vec<Listing> = (0..site.config.languages.len()).map(Listing::Site).collect();
    all.extend((0..site.library.sections.len()).map(Listing::Section));
    all.extend((0..site.taxonomy.tags.len()).map(Listing::Tag));
    all.extend((0..site.taxonomy.authors.len()).map(Listing::Author));
    all
}

/// Whether `[feeds]` asks for feeds of this listing. An author without articles has no page, so
/// no feed either; a section without articles keeps its (empty) feeds so readers can subscribe.
fn has_feeds(site: &Site<'_>, listing: Listing) -> bool {
    let feeds = &site.config.feeds;
    (feeds.rss || feeds.atom)
        && match listing {
            Listing::Site(_) => true,
            Listing::Section(_) => feeds.sections,
            Listing::Tag(_) => feeds.tags,
            Listing::Author(id) => feeds.authors && !site.taxonomy.authors[id].articles.is_empty(),
        }
}

/// The channel of `listing`; `by_language` has the articles of each language, newest first.
fn channel<'a>(site: &Site<'a>, listing: Listing, path: String) -> Channel<'a> {
    let config = site.config;
    let lang = listing_language(site, listing);
    let language = &config.languages[lang];
    let limit = config.feeds.limit;
    let newest = |articles: &'a [ArticleId]| Cow::Borrowed(&articles[..articles.len().min(limit)]);
    let (description, articles): (&str, Cow<'a, [ArticleId]>) = match listing {
        Listing::Site(lang) => {
            let articles = site.library.articles.iter().enumerate();
            let of_lang = articles.filter(|(_, article)| article.lang == lang).map(|(id, _)| id);
            (&language.description, Cow::Owned(of_lang.take(limit).collect()))
        }
        Listing::Section(id) => {
            let section = &site.library.sections[id];
            (&section.description, newest(&section.articles))
        }
        Listing::Tag(id) => ("", newest(&site.taxonomy.tags[id].articles)),
        Listing::Author(id) => {
            let author = &site.taxonomy.authors[id];
            (&author.bio, newest(&author.articles))
        }
    };
    let description = [description, &language.description, &language.title]
        .into_iter()
        .find(|d| !d.trim().is_empty())
        .unwrap_or_default();
    Channel {
        path,
        title: listing_title(site, listing),
        description,
        articles,
        full_text: carries_bodies(&config.feeds.full_text, listing),
        lang,
    }
}

/// The language of a listing's articles.
fn listing_language(site: &Site<'_>, listing: Listing) -> LangId {
    match listing {
        Listing::Site(lang) => lang,
        Listing::Section(id) => site.library.sections[id].lang,
        Listing::Tag(id) => site.taxonomy.tags[id].lang,
        Listing::Author(id) => site.taxonomy.authors[id].lang,
    }
}

/// Whether the feeds of `listing` carry whole articles.
fn carries_bodies(full_text: &crate::config::FullText, listing: Listing) -> bool {
    match listing {
        Listing::Site(_) => full_text.site,
        Listing::Section(_) => full_text.sections,
        Listing::Tag(_) => full_text.tags,
        Listing::Author(_) => full_text.authors,
    }
}

/// The folder of a listing page, relative to the site root.
fn listing_path(site: &Site<'_>, listing: Listing) -> String {
    match listing {
        Listing::Site(lang) => site.config.languages[lang].prefix.clone(),
        Listing::Section(id) => site.library.sections[id].path.clone(),
        Listing::Tag(id) => site.tag_path(id),
        Listing::Author(id) => site.author_path(id),
    }
}

/// «سياسة | مداد نيوز»: the listing's name, then the site's.
fn listing_title(site: &Site<'_>, listing: Listing) -> String {
    let title = &site.config.languages[listing_language(site, listing)].title;
    let name = match listing {
        Listing::Site(_) => return title.clone(),
        Listing::Section(id) => &site.library.sections[id].title,
        Listing::Tag(id) => &site.taxonomy.tags[id].name,
        Listing::Author(id) => &site.taxonomy.authors[id].name,
    };
    format!("{name} | {title}")
}

/// An article's `<item>` and `<entry>` but for their opening tags and bodies: the elements
/// before the body, indented for their place in a feed. The body is kept once, for both formats,
/// and borrowed from the rendered article when it has no relative link to make absolute: kept
/// whole in each format it would be the largest thing a build holds at its end.
struct Entry<'a> {
    rss: String,
    atom: String,
    /// `xml:lang` of the `<entry>`, for an article in another language than the site.
    lang: Option<&'a str>,
    /// The body, when feeds carry it (`full_text`).
    content: Option<Content<'a>>,
    /// Its `<content>` attribute `xml:base`: the article's URL.
    link: String,
}

/// An article body as feeds carry it: its HTML, with its links made absolute as it is written
/// (see [`link_inserts`]) rather than in a copy kept for every feed that lists it.
struct Content<'a> {
    html: Cow<'a, str>,
    /// Where in `html` a link's value starts that needs the site's origin (`true`) or the
    /// article's URL (`false`) before it.
    inserts: Vec<(usize, bool)>,
    /// The two, as they are written inside an attribute.
    origin: String,
    article_url: String,
}

impl Content<'_> {
    /// Its length as written, links included, before escaping.
    fn len(&self) -> usize {
        self.html.len()
            + self
                .inserts
                .iter()
                .map(|&(_, origin)| if origin { self.origin.len() } else { self.article_url.len() })
                .sum::<usize>()
    }

    /// The body with its links made absolute, in pieces to write one after the other.
    fn parts(&self) -> Vec<&str> {
        let mut parts = Vec::with_capacity(2 * self.inserts.len() + 1);
        let mut from = 0;
        for &(at, origin) in &self.inserts {
            parts.push(&self.html[from..at]);
            parts.push(if origin { &self.origin } else { &self.article_url });
            from = at;
        }
        parts.push(&self.html[from..]);
        parts
    }
}

/// Depth of the elements inside `<item>` (under `<rss><channel>`) and inside `<entry>` (under
/// `<feed>`).
const RSS_ITEM_DEPTH: usize = 3;
const ATOM_ENTRY_DEPTH: usize = 2;

fn entry<'a>(site: &Site<'a>, id: ArticleId, origin: &str, with_body: bool) -> Entry<'a> {
    let feeds = &site.config.feeds;
    let article = &site.library.articles[id];
    let fm = &article.front_matter;
    let link = encode_path(&site.permalink(&article.path));
    let summary = fm.summary.as_deref().unwrap_or(&site.rendered[id].summary);
    let content = with_body.then(|| {
        let html = site.html(id);
        let inserts = link_inserts(&html);
        let origin = origin.replace('&', "&amp;");
        Content { html, inserts, origin, article_url: link.replace('&', "&amp;") }
    });
    let tags: Vec<&str> = site.taxonomy.article_tags[id]
        .iter()
        .map(|&t| site.taxonomy.tags[t].name.as_str())
        .collect();
    let authors = &site.taxonomy.article_authors[id];

    let mut rss = String::new();
    if feeds.rss {
        let mut xml = XmlWriter::fragment(RSS_ITEM_DEPTH);
        xml.text("title", &[], &fm.title);
        xml.text("link", &[], &link);
        xml.text("guid", &[("isPermaLink", "true")], &link);
        xml.text("pubDate", &[], &rfc822(&article.date));
        for &author in authors {
            xml.text("dc:creator", &[], &site.taxonomy.authors[author].name);
        }
        for tag in &tags {
            xml.text("category", &[], tag);
        }
        xml.text("description", &[], summary);
        rss = xml.finish();
    }

    let mut atom = String::new();
    if feeds.atom {
        let mut xml = XmlWriter::fragment(ATOM_ENTRY_DEPTH);
        xml.text("id", &[], &link);
        xml.text("title", &[("type", "text")], &fm.title);
        xml.empty("link", &[("rel", "alternate"), ("type", "text/html"), ("href", &link)]);
        xml.text("published", &[], &rfc3339(&article.date));
        xml.text("updated", &[], &rfc3339(last_change(article)));
        for &author in authors {
            xml.open("author", &[]);
            xml.text("name", &[], &site.taxonomy.authors[author].name);
            xml.text("uri", &[], &encode_path(&site.permalink(&site.author_path(author))));
            xml.close();
        }
        for tag in &tags {
            xml.empty("category", &[("term", tag)]);
        }
        xml.text("summary", &[("type", "text")], summary);
        atom = xml.finish();
    }
    let own = &site.config.languages[article.lang].code;
    let lang = fm.lang.as_deref().filter(|&lang| lang != own);
    Entry { rss, atom, lang, content, link }
}

fn rss_feed(site: &Site<'_>, channel: &Channel<'_>, entries: &Entries<'_>) -> String {
    let config = site.config;
    let page = encode_path(&site.permalink(&channel.path));
    let self_url = encode_path(&site.permalink(&format!("{}{RSS_FILE}", channel.path)));
    let mut xml =
        XmlWriter::with_capacity(feed_size(channel, entries, |entry| entry.rss.len(), 100));
    xml.open(
        "rss",
        &[
            ("version", "2.0"),
            ("xmlns:atom", "http://www.w3.org/2005/Atom"),
            ("xmlns:content", "http://purl.org/rss/1.0/modules/content/"),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
        ],
    );
    xml.open("channel", &[]);
    xml.text("title", &[], &channel.title);
    xml.text("link", &[], &page);
    xml.text("description", &[], channel.description);
    xml.text("language", &[], &config.languages[channel.lang].code);
    xml.text("generator", &[], "midad");
    xml.text("lastBuildDate", &[], &rfc822(updated(site, channel)));
    xml.empty("atom:link", &[("href", &self_url), ("rel", "self"), ("type", RSS_MIME)]);
    for entry in channel.articles.iter().filter_map(|&id| entries.get(id)) {
        xml.open("item", &[]);
        xml.raw(&entry.rss);
        if let Some(content) = channel.body_of(entry) {
            xml.cdata_parts("content:encoded", &[], &content.parts());
        }
        xml.close();
    }
    xml.close();
    xml.close();
    xml.finish()
}

fn atom_feed(site: &Site<'_>, channel: &Channel<'_>, entries: &Entries<'_>) -> String {
    let config = site.config;
    let page = encode_path(&site.permalink(&channel.path));
    let self_url = encode_path(&site.permalink(&format!("{}{ATOM_FILE}", channel.path)));
    // Escaping makes a body longer (`<p>` is `&lt;p&gt;`): room for a quarter more.
    let mut xml =
        XmlWriter::with_capacity(feed_size(channel, entries, |entry| entry.atom.len(), 125));
    let language = &config.languages[channel.lang];
    xml.open("feed", &[("xmlns", "http://www.w3.org/2005/Atom"), ("xml:lang", &language.code)]);
    xml.text("id", &[], &page);
    xml.text("title", &[("type", "text")], &channel.title);
    xml.text("subtitle", &[("type", "text")], channel.description);
    xml.text("updated", &[], &rfc3339(updated(site, channel)));
    xml.empty("link", &[("rel", "self"), ("type", ATOM_MIME), ("href", &self_url)]);
    xml.empty("link", &[("rel", "alternate"), ("type", "text/html"), ("href", &page)]);
    // The publisher, so that entries without a byline still have an author (RFC 4287 4.1.1).
    xml.open("author", &[]);
    xml.text("name", &[], &language.title);
    xml.text("uri", &[], &encode_path(&site.permalink(&language.prefix)));
    xml.close();
    xml.text("generator", &[], "midad");
    for entry in channel.articles.iter().filter_map(|&id| entries.get(id)) {
        match entry.lang {
            Some(lang) => xml.open("entry", &[("xml:lang", lang)]),
            None => xml.open("entry", &[]),
        }
        xml.raw(&entry.atom);
        if let Some(content) = channel.body_of(entry) {
            let attrs = [("type", "html"), ("xml:base", entry.link.as_str())];
            xml.text_parts("content", &attrs, &content.parts());
        }
        xml.close();
    }
    xml.close();
    xml.finish()
}

/// About the length of a feed, so that its text is not copied as it grows: its entries' `own`
/// lengths and `percent` % of their bodies' lengths, plus room for the channel's own elements.
fn feed_size(
    channel: &Channel<'_>,
    entries: &Entries<'_>,
    own: impl Fn(&Entry<'_>) -> usize,
    percent: usize,
) -> usize {
    let entries = channel.articles.iter().filter_map(|&id| entries.get(id));
    let size = entries
        .map(|entry| own(entry) + channel.body_of(entry).map_or(0, Content::len) * percent / 100)
        .sum::<usize>();
    // The channel's own elements, indentation, and a margin: a feed that outgrows its buffer is
    // copied whole into a bigger one.
    size + size / 32 + 2048
}

/// When a feed last changed: its newest entry's last change, or the build time when it has none.
/// Not the build time itself, so that rebuilding unchanged content gives identical feeds.
fn updated<'a>(site: &Site<'a>, channel: &Channel<'_>) -> &'a jiff::ZonedDateTime {
    channel
        .articles
        .iter()
        .map(|&id| last_change(&site.library.articles[id]))
        .max_by_key(|at| at.timestamp())
        .unwrap_or(site.now)
}

/// RFC 822 (as updated by RFC 1123), as RSS 2.0 requires: `Sun, 29 Nov 2026 09:30:00 +0200`.
/// jiff names days and months in English whatever the locale, as the RFC needs.
fn rfc822(at: &jiff::ZonedDateTime) -> String {
    at.strftime("%a, %d %b %Y %H:%M:%S %z").to_string()
}

/// `https://example.org` for `https://example.org/ar/`: what a root-relative URL resolves against.
fn origin<'a>(base_url: &'a str, base_path: &str) -> &'a str {
    base_url.strip_suffix(base_path).unwrap_or(base_url.trim_end_matches('/'))
}

/// Where the `href` and `src` URLs of the body HTML need a prefix to be absolute, since a feed
/// reader resolves relative URLs against the feed, not the article: the byte offset of each
/// such value, and whether it needs the site's origin (root-relative values such as
/// `/images/x.svg`) or else the article's URL (`cover.svg` of a bundle, `#note`); values with a
/// scheme or `//` stay. pulldown-cmark writes every attribute as ` href="…"` / ` src="…"` with `"`
/// escaped inside, so finding those two literal prefixes finds every link and image of the
/// Markdown (attributes of raw HTML written with single quotes are left as they are).
fn link_inserts(html: &str) -> Vec<(usize, bool)> {
    const PREFIXES: [&str; 2] = [" href=\"", " src=\""];
    let mut inserts = Vec::new();
    let mut at = 0;
    while let Some(start) = PREFIXES
        .iter()
        .filter_map(|prefix| html[at..].find(prefix).map(|i| at + i + prefix.len()))
        .min()
    {
        let value = &html[start..start + html[start..].find('"').unwrap_or(html.len() - start)];
        if !(value.starts_with("//") || has_scheme(value)) {
            inserts.push((start, value.starts_with('/')));
        }
        at = start;
    }
    inserts
}

/// Whether a URL starts with a scheme (`https:`, `mailto:`, `data:`), RFC 3986 section 3.1.
fn has_scheme(url: &str) -> bool {
    let Some(colon) = url.find(':') else { return false };
    let scheme = &url[..colon];
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body HTML with its links made absolute, as feeds write it.
    fn absolute_links(html: &str, origin: &str, article_url: &str) -> String {
        let content = Content {
            html: Cow::Borrowed(html),
            inserts: link_inserts(html),
            origin: origin.replace('&', "&amp;"),
            article_url: article_url.replace('&', "&amp;"),
        };
        content.parts().concat()
    }

    #[track_caller]
    fn check_links(html: &str, expect: &str) {
        let out = absolute_links(html, "https://x.org", "https://x.org/ar/politics/%D8%A7/");
        assert_eq!(out, expect);
    }

    #[test]
    fn links_become_absolute() {
        check_links(
            r#"<p><a href="/ar/tags/x/">t</a> <img src="cover.svg" alt="a"> <a href="https://y.org/a">y</a></p>"#,
            r#"<p><a href="https://x.org/ar/tags/x/">t</a> <img src="https://x.org/ar/politics/%D8%A7/cover.svg" alt="a"> <a href="https://y.org/a">y</a></p>"#,
        );
        check_links(
            r##"<a href="#note">1</a><a href="mailto:a@b.c">m</a><a href="//cdn.org/x">c</a>"##,
            r##"<a href="https://x.org/ar/politics/%D8%A7/#note">1</a><a href="mailto:a@b.c">m</a><a href="//cdn.org/x">c</a>"##,
        );
        check_links(
            r#"<img data-src="/a.png" srcset="/b.png 2x"><code>href="/x"</code>"#,
            r#"<img data-src="/a.png" srcset="/b.png 2x"><code>href="/x"</code>"#,
        );
        check_links("<a href=\"/unterminated", "<a href=\"https://x.org/unterminated");
        check_links("", "");
    }

    #[test]
    fn inserted_base_is_escaped_for_attributes() {
        let out = absolute_links("<a href=\"x\">", "https://x.org", "https://x.org/?a&b/");
        assert_eq!(out, "<a href=\"https://x.org/?a&amp;b/x\">");
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("data:image/png"));
        assert!(!has_scheme("a/b:c"));
        assert!(!has_scheme("1x:y"));
        assert!(!has_scheme("cover.svg"));
    }

    #[test]
    fn origins() {
        assert_eq!(origin("https://x.org/ar/", "/ar/"), "https://x.org");
        assert_eq!(origin("https://x.org/", "/"), "https://x.org");
    }

    #[test]
    fn rfc822_is_english_with_offset() {
        let at: jiff::ZonedDateTime = "2026-11-29T09:30:00+02:00[Africa/Cairo]".parse().unwrap();
        assert_eq!(rfc822(&at), "Sun, 29 Nov 2026 09:30:00 +0200");
        let at: jiff::ZonedDateTime = "2026-03-05T23:05:09+03:00[Asia/Riyadh]".parse().unwrap();
        assert_eq!(rfc822(&at), "Thu, 05 Mar 2026 23:05:09 +0300");
    }
}
