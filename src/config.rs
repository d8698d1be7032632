//! `config.toml` → [`Config`].
//!
//! The file is parsed into `RawConfig` (serde, unknown keys rejected with their line and column),
//! then elevated into [`Config`]: a parsed time zone, a normalised base URL, validated permalink
//! patterns and enums instead of strings. Nothing downstream sees raw strings where a type exists.
//!
//! An error about a value names its key (`[arabic] months: "mars" is not a month style; use one
//! of egypt, …`): the key comes from the parsed document, as the one whose value holds the
//! position TOML reports, and a key that takes one of a few names (`Choice`) says what the
//! value is and lists the names serde knows.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::value::StrDeserializer;
use serde::de::{DeserializeOwned, Deserializer};
use toml::de::{DeTable, DeValue};

use crate::arabic::date::Months;
use crate::arabic::digits::Digits;
use crate::arabic::slug::SlugStyle;
use crate::error::{Diagnostic, Location, Origin, Result};

/// The site's settings, validated.
#[derive(Debug, Clone)]
pub struct Config {
    /// Site name, shown in the header and `<title>`.
    pub title: String,
    /// One-line description for the home page and feeds.
    pub description: String,
    /// Absolute base URL, always ending with `/`.
    pub base_url: String,
    /// The path part of `base_url`, `/` or e.g. `/ar/`.
    pub base_path: String,
    /// BCP 47 language of the site, `ar` by default.
    pub language: String,
    /// The site's time zone (dates without an offset are read in it, all dates are shown in it).
    pub timezone: jiff::tz::TimeZone,
    /// The IANA name of [`Config::timezone`].
    pub timezone_name: String,
    /// Theme folder name under `themes/`.
    pub theme: String,
    /// Articles per page of a section, tag or author listing.
    pub per_page: usize,
    /// URL patterns of articles.
    pub permalinks: Permalinks,
    /// URL segments of taxonomies.
    pub taxonomies: Taxonomies,
    /// Arabic text settings.
    pub arabic: ArabicConfig,
    /// Markdown settings.
    pub markdown: MarkdownConfig,
    /// Feeds.
    pub feeds: FeedsConfig,
    /// News features: breaking ticker, related articles.
    pub news: NewsConfig,
    /// Photos: sizes, formats, crops and the cache.
    pub images: ImagesConfig,
    /// The site's search page and index.
    pub search: SearchConfig,
    /// Free-form values passed to templates as `site.extra`.
    pub extra: BTreeMap<String, serde_json::Value>,
    /// The languages the site publishes in: its own first (`language`, served from the site
    /// root), then each of `[languages.<code>]` (served under `/<code>/`).
    pub languages: Vec<Language>,
}

/// Index of a language in [`Config::languages`]; 0 is the site's own.
pub type LangId = usize;

/// One language a site publishes in: the site's own, or a `[languages.<code>]` table.
#[derive(Debug, Clone, Hash)]
pub struct Language {
    /// BCP 47 code (`ar`, `en`): the `lang` of its pages, and the folder of its URLs.
    pub code: String,
    /// Its name in itself, for the language switcher (`العربية`, `English`).
    pub name: String,
    /// The site's name in this language.
    pub title: String,
    /// The site's description in this language.
    pub description: String,
    /// `rtl` or `ltr`.
    pub dir: &'static str,
    /// The path of its pages relative to the site root: empty for the site's own language,
    /// `en/` for `[languages.en]`.
    pub prefix: String,
    /// Article URL patterns (below `prefix`): its own, else the site's.
    pub permalinks: Permalinks,
    /// The sections its navigation shows, by folder name and in order; empty: every section
    /// with an article or an `_index` in the language, in weight order.
    pub menu: Vec<String>,
    /// Whether the `[arabic]` settings apply to its pages (Hijri date, the digit style, month
    /// names, gendered bylines): the site's Arabic languages, or `arabic = true`.
    pub arabic: bool,
}

impl Language {
    /// Whether this is the site's own language, served from the site root.
    pub fn is_default(&self) -> bool {
        self.prefix.is_empty()
    }

    /// Whether it is Arabic (`ar`, `ar-EG`): its dates, reading times and bylines are Arabic.
    pub fn is_arabic(&self) -> bool {
        is_arabic(&self.code)
    }
}

impl Config {
    /// Whether the site publishes in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The digits of language `lang`'s pages: `[arabic] digits` where the Arabic features
    /// apply, else 0-9.
    pub fn digits(&self, lang: LangId) -> Digits {
        match self.languages.get(lang) {
            Some(language) if !language.arabic => Digits::Latn,
            _ => self.arabic.digits,
        }
    }

    /// The language whose code is `code`, if the site publishes in it.
    pub fn language_of_code(&self, code: &str) -> Option<LangId> {
        self.languages.iter().position(|l| l.code == code)
    }

    /// Text direction of the site's language.
    pub fn dir(&self) -> &'static str {
        if is_rtl_language(&self.language) { "rtl" } else { "ltr" }
    }

    /// Replaces the base URL (the `--base-url` flag).
    pub fn set_base_url(&mut self, base_url: &str) -> Result<()> {
        let (base_url, base_path) = parse_base_url(base_url, Origin::Flag("--base-url"))?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }
}

/// Hashed field by field, for the fingerprints of what a page or cache entry is made from. The
/// destructuring makes a new field a compile error here until it is hashed too.
impl std::hash::Hash for Config {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Config {
            title,
            description,
            base_url,
            base_path,
            language,
            // The zone is the one `timezone_name` names in the binary's bundled database.
            timezone: _,
            timezone_name,
            theme,
            per_page,
            permalinks,
            taxonomies,
            arabic,
            markdown,
            feeds,
            news,
            images,
            search,
            extra,
            languages,
        } = self;
        (title, description, base_url, base_path, language, timezone_name, theme).hash(state);
        (per_page, permalinks, taxonomies, arabic, markdown, feeds, news, images, search)
            .hash(state);
        // JSON values are not `Hash`: their fingerprint stands for them.
        crate::fingerprint::of_json(extra).hash(state);
        languages.hash(state);
    }
}

/// Whether a BCP 47 language tag is written right to left.
pub fn is_rtl_language(lang: &str) -> bool {
    let primary = lang.split(['-', '_']).next().unwrap_or(lang).to_ascii_lowercase();
    matches!(primary.as_str(), "ar" | "fa" | "he" | "ur" | "ps" | "ckb" | "sd" | "ug" | "yi" | "dv")
}

/// Article URL patterns: a default and optional per-section overrides.
#[derive(Debug, Clone, Hash)]
pub struct Permalinks {
    /// The pattern for sections without their own, `/:section/:slug/` by default.
    pub article: Pattern,
    /// Per-section patterns, keyed by section folder name.
    pub sections: BTreeMap<String, Pattern>,
}

impl Permalinks {
    /// The pattern for articles of `section`.
    pub fn for_section(&self, section: &str) -> &Pattern {
        self.sections.get(section).unwrap_or(&self.article)
    }
}

/// A parsed permalink pattern such as `/:section/:year/:month/:slug/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pattern {
    /// The path segments, each a literal or a placeholder.
    pub segments: Vec<Segment>,
}

/// One segment of a [`Pattern`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// A literal path segment.
    Literal(String),
    /// `:section`, the section folder name.
    Section,
    /// `:slug`, the article slug.
    Slug,
    /// `:year`, four digits.
    Year,
    /// `:month`, two digits.
    Month,
    /// `:day`, two digits.
    Day,
}

impl Pattern {
    /// Parses a pattern; the error says which placeholder is unknown.
    pub fn parse(text: &str) -> std::result::Result<Pattern, String> {
        let mut segments = Vec::new();
        let mut has_slug = false;
        for part in text.split('/').filter(|s| !s.is_empty()) {
            let segment = match part {
                ":section" => Segment::Section,
                ":slug" => {
                    has_slug = true;
                    Segment::Slug
                }
                ":year" => Segment::Year,
                ":month" => Segment::Month,
                ":day" => Segment::Day,
                other if other.starts_with(':') => {
                    return Err(format!(
                        "unknown placeholder `{other}` in permalink `{text}`: use `:section`, `:slug`, `:year`, `:month` or `:day`"
                    ));
                }
                other if other == "." || other == ".." || other.contains('\\') => {
                    return Err(format!("permalink `{text}` may not contain `{other}`"));
                }
                other => Segment::Literal(other.to_string()),
            };
            segments.push(segment);
        }
        if !has_slug {
            return Err(format!(
                "permalink `{text}` has no `:slug`, so every article would get the same URL: add `:slug`, e.g. `/:section/:slug/`"
            ));
        }
        Ok(Pattern { segments })
    }
}

/// URL segments of the taxonomies.
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Taxonomies {
    /// Where tag pages live, `tags` by default.
    pub tags: String,
    /// Where author pages live, `authors` by default.
    pub authors: String,
    /// Where the date archive lives, `archive` by default.
    pub archive: String,
}

impl Default for Taxonomies {
    fn default() -> Self {
        Taxonomies { tags: "tags".into(), authors: "authors".into(), archive: "archive".into() }
    }
}

/// The `[arabic]` table.
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ArabicConfig {
    /// Month names by region.
    #[serde(deserialize_with = "choice")]
    pub months: Months,
    /// Digits in dates and numbers.
    #[serde(deserialize_with = "choice")]
    pub digits: Digits,
    /// Show the Hijri (Umm al-Qura) date beside the Gregorian one.
    pub hijri: bool,
    /// Arabic slugs or transliterated Latin ones.
    #[serde(deserialize_with = "choice")]
    pub slug_style: SlugStyle,
    /// Reading speed for reading time.
    pub words_per_minute: u32,
}

impl Default for ArabicConfig {
    fn default() -> Self {
        ArabicConfig {
            months: Months::default(),
            digits: Digits::default(),
            hijri: true,
            slug_style: SlugStyle::default(),
            words_per_minute: crate::arabic::reading_time::DEFAULT_WORDS_PER_MINUTE,
        }
    }
}

/// The `[markdown]` table.
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MarkdownConfig {
    /// syntect theme for code in light mode.
    pub highlight_theme: String,
    /// syntect theme for code in dark mode.
    pub highlight_theme_dark: String,
    /// Curly quotes and dashes.
    pub smart_punctuation: bool,
    /// Open external links in a new tab.
    pub external_links_new_tab: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_theme: "InspiredGitHub".into(),
            highlight_theme_dark: "base16-ocean.dark".into(),
            smart_punctuation: false,
            external_links_new_tab: false,
        }
    }
}

/// The `[feeds]` table: which RSS 2.0 and Atom feeds a build writes.
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedsConfig {
    /// Write RSS 2.0 feeds (`rss.xml`).
    pub rss: bool,
    /// Write Atom feeds (`atom.xml`).
    pub atom: bool,
    /// A feed per section.
    pub sections: bool,
    /// A feed per tag.
    pub tags: bool,
    /// A feed per author.
    pub authors: bool,
    /// Entries per feed, newest first.
    pub limit: usize,
    /// The feeds whose entries carry the whole article, not only its summary.
    pub full_text: FullText,
}

/// `[feeds] full_text`: which kinds of feed carry whole articles. `true` or `false` for all of
/// them, or a list of kinds: `["site", "sections", "tags", "authors"]`.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
pub struct FullText {
    /// The site's own feeds (`rss.xml`, `atom.xml` at the root).
    pub site: bool,
    /// Each section's feeds.
    pub sections: bool,
    /// Each tag's feeds.
    pub tags: bool,
    /// Each author's feeds.
    pub authors: bool,
}

impl FullText {
    /// The kinds of feed that readers subscribe to for everything: the site's and the sections'.
    /// A tag or author feed lists articles that are in those already, so it carries summaries
    /// (and an archive with thousands of tags doesn't write each article into a dozen feeds).
    pub const DEFAULT: FullText =
        FullText { site: true, sections: true, tags: false, authors: false };

    fn all(on: bool) -> FullText {
        FullText { site: on, sections: on, tags: on, authors: on }
    }
}

impl<'de> Deserialize<'de> for FullText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = FullText;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    r#"`true`, `false` or a list of feed kinds, e.g. `["site", "sections"]`"#,
                )
            }

            fn visit_bool<E: serde::de::Error>(self, on: bool) -> std::result::Result<FullText, E> {
                Ok(FullText::all(on))
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut kinds: A,
            ) -> std::result::Result<FullText, A::Error> {
                let mut full = FullText::all(false);
                while let Some(kind) = kinds.next_element::<String>()? {
                    let on = match kind.as_str() {
                        "site" => &mut full.site,
                        "sections" => &mut full.sections,
                        "tags" => &mut full.tags,
                        "authors" => &mut full.authors,
                        other => {
                            return Err(serde::de::Error::invalid_value(
                                serde::de::Unexpected::Str(other),
                                &r#"a feed kind: "site", "sections", "tags" or "authors""#,
                            ));
                        }
                    };
                    *on = true;
                }
                Ok(full)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            rss: true,
            atom: true,
            sections: true,
            tags: true,
            authors: true,
            limit: 20,
            full_text: FullText::DEFAULT,
        }
    }
}

/// The `[search]` table: the search page and the index it reads.
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchConfig {
    /// Build the index and the search page.
    pub enabled: bool,
    /// The weight of each field in the ranking; a field of weight 0 is not indexed.
    pub weights: SearchWeights,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { enabled: true, weights: SearchWeights::default() }
    }
}

/// The `[search.weights]` table: how much a match in each field counts (0 to 255; 0 leaves the
/// field out of the index).
#[derive(Debug, Clone, Copy, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SearchWeights {
    /// The title.
    pub title: u8,
    /// The summary (the front matter's, else the first paragraph).
    pub summary: u8,
    /// Tags.
    pub tags: u8,
    /// The section's title.
    pub section: u8,
    /// The authors' names.
    pub author: u8,
    /// The body text.
    pub body: u8,
}

impl Default for SearchWeights {
    fn default() -> Self {
        SearchWeights { title: 40, summary: 15, tags: 15, section: 5, author: 10, body: 1 }
    }
}

/// The `[news]` table.
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NewsConfig {
    /// Breaking news older than this many hours leaves the ticker.
    pub breaking_hours: u32,
    /// How many related articles («لا يفوتك») an article shows.
    pub related: usize,
    /// The publication name in the Google News sitemap (default: the site title).
    pub publication_name: Option<String>,
    /// Logo of the publisher for JSON-LD, from the site root (e.g. `/images/logo.svg`).
    pub logo: Option<String>,
}

impl Default for NewsConfig {
    fn default() -> Self {
        NewsConfig { breaking_hours: 24, related: 4, publication_name: None, logo: None }
    }
}

/// A format variants of photos are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    /// AVIF: smallest, slowest to encode; only for the middle widths of the ladder.
    Avif,
    /// WebP.
    Webp,
    /// JPEG, or PNG for a photo with transparency: the `<img>` every browser shows.
    Jpeg,
}

/// An aspect ratio, `16:9`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Ratio {
    /// Width part.
    pub width: u32,
    /// Height part.
    pub height: u32,
}

impl Ratio {
    /// Parses `16:9` (or `16/9`).
    pub fn parse(text: &str) -> Option<Ratio> {
        let (w, h) = text.split_once([':', '/'])?;
        let width: u32 = w.trim().parse().ok()?;
        let height: u32 = h.trim().parse().ok()?;
        (width > 0 && height > 0 && width <= 100 && height <= 100)
            .then_some(Ratio { width, height })
    }
}

/// The `[images]` table: how photos are shipped.
#[derive(Debug, Clone, Hash)]
pub struct ImagesConfig {
    /// The ladder of widths, ascending; a photo gets those no wider than itself.
    pub widths: Vec<u32>,
    /// Formats of each width, best first; always ends with `Jpeg`, the fallback.
    pub formats: Vec<ImageFormat>,
    /// JPEG and WebP quality, 1 to 100.
    pub quality: u8,
    /// AVIF quality, 1 to 100.
    pub avif_quality: u8,
    /// AVIF encoder speed, 1 (slow, small) to 10 (fast).
    pub avif_speed: u8,
    /// The crop of lead photos on cards and article pages.
    pub card_ratio: Ratio,
    /// The share image of an article without a photo, from the site root (else the logo).
    pub default: Option<String>,
    /// The cache folder, relative to the site folder.
    pub cache: String,
    /// The `sizes` attribute of photos in article bodies: how wide the theme shows them.
    pub sizes: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawImages {
    widths: Vec<u32>,
    formats: Vec<ImageFormat>,
    quality: u8,
    avif_quality: u8,
    avif_speed: u8,
    card_ratio: String,
    default: Option<String>,
    cache: String,
    sizes: String,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: vec![400, 800, 1200, 1600],
            formats: vec![ImageFormat::Webp, ImageFormat::Jpeg],
            quality: 80,
            avif_quality: 60,
            avif_speed: 9,
            card_ratio: Ratio { width: 16, height: 9 },
            default: None,
            cache: ".midad-cache".into(),
            sizes: "(min-width: 62rem) 52rem, 100vw".into(),
        }
    }
}

impl Default for RawImages {
    fn default() -> Self {
        let d = ImagesConfig::default();
        RawImages {
            widths: d.widths,
            formats: d.formats,
            quality: d.quality,
            avif_quality: d.avif_quality,
            avif_speed: d.avif_speed,
            card_ratio: format!("{}:{}", d.card_ratio.width, d.card_ratio.height),
            default: d.default,
            cache: d.cache,
            sizes: d.sizes,
        }
    }
}

impl RawImages {
    /// Validates the table; an error names the key it is about.
    fn elevate(self) -> std::result::Result<ImagesConfig, (&'static str, String)> {
        let mut widths = self.widths;
        widths.sort_unstable();
        widths.dedup();
        if widths.is_empty() || widths.iter().any(|&w| !(16..=8192).contains(&w)) {
            return Err((
                "widths",
                "`widths` must list widths from 16 to 8192 pixels, e.g. `[400, 800, 1200, 1600]`"
                    .into(),
            ));
        }
        let mut formats = self.formats;
        formats.sort_unstable();
        formats.dedup();
        if formats.last() != Some(&ImageFormat::Jpeg) {
            return Err(("formats", "`formats` must include \"jpeg\", the fallback every browser shows, e.g. `[\"webp\", \"jpeg\"]`".into()));
        }
        for (key, value) in [("quality", self.quality), ("avif_quality", self.avif_quality)] {
            if !(1..=100).contains(&value) {
                return Err((key, format!("`{key}` must be from 1 to 100, not {value}")));
            }
        }
        if !(1..=10).contains(&self.avif_speed) {
            return Err((
                "avif_speed",
                format!(
                    "`avif_speed` must be from 1 (slowest) to 10 (fastest), not {}",
                    self.avif_speed
                ),
            ));
        }
        let card_ratio = Ratio::parse(&self.card_ratio).ok_or_else(|| {
            (
                "card_ratio",
                format!(
                    "`card_ratio` must be a ratio such as \"16:9\", not \"{}\"",
                    self.card_ratio
                ),
            )
        })?;
        if self.cache.trim().is_empty() {
            return Err(("cache", "`cache` must name a folder, e.g. \".midad-cache\"".into()));
        }
        Ok(ImagesConfig {
            widths,
            formats,
            quality: self.quality,
            avif_quality: self.avif_quality,
            avif_speed: self.avif_speed,
            card_ratio,
            default: self.default.filter(|d| !d.is_empty()),
            cache: self.cache,
            sizes: self.sizes,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default = "default_base_url")]
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_per_page")]
    per_page: usize,
    #[serde(default)]
    permalinks: BTreeMap<String, String>,
    #[serde(default)]
    taxonomies: Taxonomies,
    #[serde(default)]
    arabic: ArabicConfig,
    #[serde(default)]
    markdown: MarkdownConfig,
    #[serde(default)]
    feeds: FeedsConfig,
    #[serde(default)]
    news: NewsConfig,
    #[serde(default)]
    images: RawImages,
    #[serde(default)]
    search: SearchConfig,
    #[serde(default)]
    extra: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    languages: BTreeMap<String, RawLanguage>,
}

/// A `[languages.<code>]` table.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawLanguage {
    name: Option<String>,
    title: Option<String>,
    description: Option<String>,
    direction: Option<String>,
    permalinks: BTreeMap<String, String>,
    menu: Vec<String>,
    arabic: Option<bool>,
}

fn default_base_url() -> String {
    "http://127.0.0.1:1111/".into()
}
fn default_language() -> String {
    "ar".into()
}
fn default_timezone() -> String {
    "Africa/Cairo".into()
}
fn default_theme() -> String {
    "akhbar".into()
}
fn default_per_page() -> usize {
    20
}

/// Reads and validates `config.toml` at the site root.
pub fn load(root: &Path) -> Result<Config> {
    let path = root.join("config.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| Diagnostic::read(&path, e))?;
    parse(&text, Path::new("config.toml"))
}

/// Parses the text of a `config.toml`; `path` is used in error locations.
pub fn parse(text: &str, path: &Path) -> Result<Config> {
    let raw: RawConfig = toml::from_str(text).map_err(|err| {
        let Some(span) = err.span() else {
            return Diagnostic::config(Location::file(path), toml_message(&err));
        };
        let at = Location::from_offset(path, text, span.start);
        let message = match key_of_value_at(text, span.start) {
            Some(key) => format!("{key}: {}", toml_message(&err)),
            None => toml_message(&err),
        };
        let hint = toml_syntax_hint(text);
        let (at, message) = hint
            .and_then(|_| toml_mistake(text, path, span.start, &message))
            .unwrap_or((at, message));
        Diagnostic::config(at, message).with_some_hint(hint)
    })?;
    elevate(raw, text, path)
}

/// The key whose value holds byte `offset` of `text`, as `[table] key` (`key` at the top
/// level), or `None` if no value does (an error about a key itself, or about the whole file).
fn key_of_value_at(text: &str, offset: usize) -> Option<String> {
    let document = DeTable::parse(text).ok()?;
    let mut tables = Vec::new();
    find_key(document.get_ref(), offset, &mut tables)
}

/// [`key_of_value_at`] in `table`, whose key path is `tables`.
fn find_key<'t>(
    table: &'t DeTable<'_>,
    offset: usize,
    tables: &mut Vec<&'t str>,
) -> Option<String> {
    for (key, value) in table {
        if let DeValue::Table(inner) = value.get_ref() {
            tables.push(key.get_ref());
            let found = find_key(inner, offset, tables);
            tables.pop();
            if found.is_some() {
                return found;
            }
        } else if value.span().contains(&offset) {
            let key = key.get_ref();
            if tables.is_empty() {
                return Some(key.to_string());
            }
            return Some(format!("[{}] {key}", tables.join(".")));
        }
    }
    None
}

/// A setting that takes one of a few names (`months = "egypt"`). A name it does not know is an
/// error that says what the setting is and lists the names, as serde's derive gives them.
trait Choice: DeserializeOwned {
    /// What the value is, for errors: `"mars" is not a month style`.
    const WHAT: &'static str;
}

impl Choice for Months {
    const WHAT: &'static str = "month style";
}

impl Choice for Digits {
    const WHAT: &'static str = "digit style";
}

impl Choice for SlugStyle {
    const WHAT: &'static str = "slug style";
}

/// Deserializes a [`Choice`]: `#[serde(deserialize_with = "choice")]`.
fn choice<'de, D: Deserializer<'de>, T: Choice>(
    deserializer: D,
) -> std::result::Result<T, D::Error> {
    let name = String::deserialize(deserializer)?;
    T::deserialize(StrDeserializer::<Names>::new(&name)).map_err(|Names(names)| {
        serde::de::Error::custom(format!(
            "\"{name}\" is not a {}; use one of {}",
            T::WHAT,
            names.join(", ")
        ))
    })
}

/// The names serde's derive expects when it meets an unknown one: the error type [`choice`]
/// deserializes a name with, to learn them.
#[derive(Debug)]
struct Names(&'static [&'static str]);

impl serde::de::Error for Names {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Names(&[])
    }

    fn unknown_variant(_: &str, expected: &'static [&'static str]) -> Self {
        Names(expected)
    }
}

impl fmt::Display for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected one of {}", self.0.join(", "))
    }
}

impl std::error::Error for Names {}

/// The message of a TOML error without the source snippet toml-rs appends.
/// What to check in TOML that does not parse.
pub const TOML_HINT: &str = "in TOML, texts are quoted (`title = \"…\"`), lists are in brackets (`tags = [\"أ\", \"ب\"]`) and dates are bare (`date = 2026-11-29T09:30:00+03:00`)";

/// Where the mistake behind a TOML syntax error at byte `offset` of `text` (the file at `path`)
/// is, and what it is, when [`crate::syntax::explain`] recognises it.
pub(crate) fn toml_mistake(
    text: &str,
    path: &Path,
    offset: usize,
    message: &str,
) -> Option<(Location, String)> {
    let (line, _) = crate::error::line_col(text, offset);
    let mistake = crate::syntax::explain(crate::syntax::Language::Toml, text, line, message)?;
    Some((Location::at(path, mistake.line, mistake.column), mistake.message))
}

/// [`TOML_HINT`] when `text` is not TOML at all; `None` when it is and the error is about a
/// value (whose message says what the value should be).
pub(crate) fn toml_syntax_hint(text: &str) -> Option<&'static str> {
    toml::from_str::<toml::Table>(text).is_err().then_some(TOML_HINT)
}

pub(crate) fn toml_message(err: &toml::de::Error) -> String {
    let message = err.message().trim_end_matches('\n');
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, expected)) = rest.split_once('`')
    {
        let expected = expected.trim_start_matches(',').trim();
        let known = expected
            .strip_prefix("expected one of ")
            .or_else(|| expected.strip_prefix("expected "));
        return match known {
            Some(known) => {
                format!("unknown key `{key}` (known keys: {known}): check its spelling")
            }
            None => format!("unknown key `{key}`: check its spelling"),
        };
    }
    if message.starts_with("cannot recurse further") {
        return NESTED_TOO_DEEP.to_string();
    }
    message.to_string()
}

/// The message for lists or tables nested deeper than the parsers go (no site needs that).
pub(crate) const NESTED_TOO_DEEP: &str = "lists or tables are nested too deeply here (dozens of levels): no setting needs that; look for brackets opened and never closed";

fn elevate(raw: RawConfig, text: &str, path: &Path) -> Result<Config> {
    let error_at =
        |key: &str, message: String| Diagnostic::config(key_location(text, path, key), message);

    let (base_url, base_path) =
        parse_base_url(&raw.base_url, key_location(text, path, "base_url").into())?;
    let timezone = jiff::tz::TimeZone::get(&raw.timezone).map_err(|_| {
        error_at("timezone", format!("unknown time zone `{}`", raw.timezone))
            .with_hint("use an IANA name such as `Africa/Cairo`, `Asia/Riyadh` or `Asia/Beirut`")
    })?;
    if raw.per_page == 0 {
        return Err(error_at("per_page", "`per_page` must be at least 1".into()));
    }
    if raw.arabic.words_per_minute == 0 {
        return Err(error_at("words_per_minute", "`words_per_minute` must be at least 1".into()));
    }
    let tax = &raw.taxonomies;
    for (key, segment) in
        [("tags", &tax.tags), ("authors", &tax.authors), ("archive", &tax.archive)]
    {
        if segment.is_empty() || segment.contains(['/', '\\']) || segment == "." || segment == ".."
        {
            return Err(error_at(
                key,
                format!("taxonomy path `{segment}` must be one plain URL segment, e.g. `tags`"),
            ));
        }
    }
    let mut article = Pattern::parse("/:section/:slug/").map_err(|m| error_at("permalinks", m))?;
    let mut sections = BTreeMap::new();
    for (key, pattern) in &raw.permalinks {
        let parsed = Pattern::parse(pattern).map_err(|m| error_at(key, m))?;
        if key == "article" {
            article = parsed;
        } else {
            sections.insert(key.clone(), parsed);
        }
    }
    if raw.language.is_empty() {
        return Err(error_at("language", "`language` may not be empty: use e.g. `ar`".into()));
    }
    let images = raw.images.elevate().map_err(|(key, m)| error_at(key, m))?;
    let permalinks = Permalinks { article, sections };
    let site_language = Language {
        code: raw.language.clone(),
        name: native_name(&raw.language),
        title: raw.title.clone(),
        description: raw.description.clone(),
        dir: if is_rtl_language(&raw.language) { "rtl" } else { "ltr" },
        prefix: String::new(),
        permalinks: permalinks.clone(),
        menu: Vec::new(),
        arabic: is_arabic(&raw.language),
    };
    let mut languages = vec![site_language];
    for (code, table) in raw.languages {
        let language = elevate_language(code, table, &languages[0], &raw.taxonomies)
            .map_err(|(key, message)| error_at(&key, message))?;
        languages.push(language);
    }
    Ok(Config {
        title: raw.title,
        description: raw.description,
        base_url,
        base_path,
        language: raw.language,
        timezone,
        timezone_name: raw.timezone,
        theme: raw.theme,
        per_page: raw.per_page,
        permalinks,
        taxonomies: raw.taxonomies,
        arabic: raw.arabic,
        markdown: raw.markdown,
        feeds: raw.feeds,
        news: raw.news,
        images,
        search: raw.search,
        extra: raw.extra,
        languages,
    })
}

/// Validates `[languages.<code>]` against the site's own language; an error names its key.
fn elevate_language(
    code: String,
    table: RawLanguage,
    site: &Language,
    taxonomies: &Taxonomies,
) -> std::result::Result<Language, (String, String)> {
    let header = format!("[languages.{code}]");
    let valid = |part: &str| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric());
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or_default();
    if !(2..=3).contains(&primary.len())
        || !primary.chars().all(|c| c.is_ascii_lowercase())
        || !parts.all(valid)
    {
        return Err((
            header.clone(),
            format!(
                "`[languages.{code}]`: `{code}` is not a language code: use a lowercase BCP 47 code such as `en`, `fr` or `en-gb`"
            ),
        ));
    }
    if code == site.code {
        return Err((
            header.clone(),
            format!(
                "`[languages.{code}]` is the site's own language (`language = \"{code}\"`): its title and description are the top-level ones; list only the other languages"
            ),
        ));
    }
    let reserved = [&taxonomies.tags, &taxonomies.authors, &taxonomies.archive];
    if reserved.iter().any(|segment| **segment == code) {
        return Err((
            header.clone(),
            format!(
                "`[languages.{code}]`: `/{code}/` is already a taxonomy's URL (`[taxonomies]`): rename the taxonomy"
            ),
        ));
    }
    let dir = match table.direction.as_deref() {
        None => {
            if is_rtl_language(&code) {
                "rtl"
            } else {
                "ltr"
            }
        }
        Some("rtl") => "rtl",
        Some("ltr") => "ltr",
        Some(other) => {
            return Err((
                "direction".into(),
                format!("`[languages.{code}] direction` is `rtl` or `ltr`, not `{other}`"),
            ));
        }
    };
    let mut permalinks = site.permalinks.clone();
    for (key, pattern) in &table.permalinks {
        let parsed = Pattern::parse(pattern).map_err(|m| (key.clone(), m))?;
        if key == "article" {
            permalinks.article = parsed;
        } else {
            permalinks.sections.insert(key.clone(), parsed);
        }
    }
    Ok(Language {
        name: table.name.unwrap_or_else(|| native_name(&code)),
        title: table.title.unwrap_or_else(|| site.title.clone()),
        description: table.description.unwrap_or_else(|| site.description.clone()),
        dir,
        prefix: format!("{code}/"),
        permalinks,
        menu: table.menu,
        arabic: table.arabic.unwrap_or_else(|| is_arabic(&code)),
        code,
    })
}

/// Whether a language tag is Arabic.
fn is_arabic(lang: &str) -> bool {
    lang.split(['-', '_']).next().is_some_and(|primary| primary.eq_ignore_ascii_case("ar"))
}

/// The name of a language in itself, for the switcher, for the languages Arabic news sites
/// publish in beside Arabic; others show their code until `name` is set.
fn native_name(code: &str) -> String {
    let primary = code.split(['-', '_']).next().unwrap_or(code).to_ascii_lowercase();
    match primary.as_str() {
        "ar" => "العربية",
        "en" => "English",
        "fr" => "Français",
        "es" => "Español",
        "de" => "Deutsch",
        "tr" => "Türkçe",
        "fa" => "فارسی",
        "ur" => "اردو",
        "he" => "עברית",
        "ku" | "ckb" => "کوردی",
        "id" => "Bahasa Indonesia",
        "ms" => "Bahasa Melayu",
        _ => return code.to_string(),
    }
    .to_string()
}

/// Where `key` is set in the `config.toml` of the site at `root`, for errors found by later
/// steps (the file alone when it is not set there).
pub fn locate_key(root: &Path, key: &str) -> Location {
    let text = std::fs::read_to_string(root.join("config.toml")).unwrap_or_default();
    key_location(&text, Path::new("config.toml"), key)
}

/// The location of the first line that sets `key`, for errors found after parsing.
fn key_location(text: &str, path: &Path, key: &str) -> Location {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key) {
            let rest = rest.trim_start().trim_start_matches('"');
            if rest.starts_with('=') || (trimmed.starts_with('[') && rest.is_empty()) {
                return Location::from_offset(path, text, offset + (line.len() - trimmed.len()));
            }
        }
        offset += line.len();
    }
    Location::file(path)
}

/// Normalises a base URL to end with `/` and returns it with its path part. Errors point at
/// `at`, where the URL was given: its line in `config.toml` or the `--base-url` flag.
fn parse_base_url(text: &str, at: Origin) -> Result<(String, String)> {
    let bad = |message: String| Diagnostic::config(at.clone(), message);
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or_else(|| bad(format!("`base_url` must be an absolute http(s) URL, e.g. `https://example.com/`, not `{text}`")))?;
    let (host, path) = match rest.find('/') {
        Some(idx) => (&rest[..idx], &rest[idx..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains(['?', '#', ' ']) {
        return Err(bad(format!("`base_url` `{text}` has no valid host")));
    }
    if path.contains(['?', '#']) {
        return Err(bad(format!("`base_url` `{text}` may not have a query or fragment")));
    }
    // Pages link to `{base_path}politics/…`: a path starting `//` would make those links
    // protocol-relative, to another host (issue 17, found by fuzzing).
    if path.contains("//") {
        return Err(bad(format!("`base_url` `{text}` has `//` in its path"))
            .with_hint("write one `/` between the host and each part of the path, e.g. `https://example.com/ar/`"));
    }
    let path = if path.ends_with('/') { path.to_string() } else { format!("{path}/") };
    let scheme = if text.starts_with("https://") { "https" } else { "http" };
    Ok((format!("{scheme}://{host}{path}"), path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_err(text: &str, expect: &str) {
        let err = parse(text, Path::new("config.toml")).unwrap_err();
        assert_eq!(err.to_string(), expect);
    }

    #[test]
    fn languages_have_their_own_titles_folders_and_permalinks() {
        let text = "title = \"مداد\"\npermalinks = { article = \"/:section/:slug/\" }\n\n[languages.en]\ntitle = \"Midad\"\nmenu = [\"world\"]\n[languages.en.permalinks]\narticle = \"/:year/:slug/\"\n\n[languages.fr]\nname = \"Français (beta)\"\n";
        let config = parse(text, Path::new("config.toml")).unwrap();
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["ar", "en", "fr"]);
        let [ar, en, fr] = &config.languages[..] else { panic!("three languages") };
        assert_eq!(
            (ar.prefix.as_str(), ar.dir, ar.arabic, ar.name.as_str()),
            ("", "rtl", true, "العربية")
        );
        assert_eq!(
            (en.prefix.as_str(), en.dir, en.arabic, en.name.as_str()),
            ("en/", "ltr", false, "English")
        );
        assert_eq!(en.title, "Midad");
        assert_eq!(fr.title, "مداد", "the site's title when a language has none");
        assert_eq!(fr.name, "Français (beta)");
        assert_eq!(en.menu, ["world"]);
        assert_eq!(en.permalinks.article, Pattern::parse("/:year/:slug/").unwrap());
        assert_eq!(fr.permalinks.article, ar.permalinks.article);
        assert!(config.is_multilingual());
    }

    #[test]
    fn a_bad_language_table_is_an_error_at_its_key() {
        check_err(
            "title = \"x\"\n[languages.English]\ntitle = \"y\"\n",
            "config.toml:2:1: `[languages.English]`: `English` is not a language code: use a lowercase BCP 47 code such as `en`, `fr` or `en-gb`",
        );
        let same = parse("title = \"x\"\n[languages.ar]\n", Path::new("config.toml")).unwrap_err();
        assert!(same.to_string().contains("the site's own language"), "{same}");
        let direction = "title = \"x\"\n[languages.en]\ndirection = \"up\"\n";
        let err = parse(direction, Path::new("config.toml")).unwrap_err();
        assert!(err.to_string().starts_with("config.toml:3:"), "{err}");
    }

    #[test]
    fn defaults() {
        let config = parse("title = \"مداد\"\n", Path::new("config.toml")).unwrap();
        assert_eq!(config.language, "ar");
        assert_eq!(config.dir(), "rtl");
        assert_eq!(config.per_page, 20);
        assert_eq!(config.base_path, "/");
        assert_eq!(config.timezone_name, "Africa/Cairo");
        assert!(config.arabic.hijri);
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        check_err(
            "title = \"x\"\n\n[arabic]\nmonth = \"egypt\"\n",
            "config.toml:4:1: unknown key `month` (known keys: `months`, `digits`, `hijri`, `slug_style`, `words_per_minute`): check its spelling",
        );
    }

    /// Every key that takes one of a few names says which names, at the value's line and
    /// column.
    #[test]
    fn a_bad_name_names_its_key_and_the_good_ones() {
        let cases = [
            (
                "title = \"x\"\n[arabic]\nmonths = \"mars\"\n",
                "config.toml:3:10: [arabic] months: \"mars\" is not a month style; use one of egypt, levant, maghreb, algeria_tunisia, both",
            ),
            (
                "title = \"x\"\n\n[arabic]\nmonths = \"egypt\"\ndigits = \"hindi\"\n",
                "config.toml:5:10: [arabic] digits: \"hindi\" is not a digit style; use one of latn, arab",
            ),
            (
                "title = \"x\"\n[arabic]\nslug_style = \"Latin\"\n",
                "config.toml:3:14: [arabic] slug_style: \"Latin\" is not a slug style; use one of arabic, latin",
            ),
            (
                "title = \"x\"\narabic = { digits = \"\" }\n",
                "config.toml:2:21: [arabic] digits: \"\" is not a digit style; use one of latn, arab",
            ),
        ];
        for (text, expect) in cases {
            check_err(text, expect);
        }
    }

    /// Any other bad value names its key too.
    #[test]
    fn a_bad_value_names_its_key() {
        let cases = [
            (
                "title = \"x\"\n[arabic]\nmonths = 3\n",
                "config.toml:3:10: [arabic] months: invalid type: integer `3`, expected a string",
            ),
            (
                "title = \"x\"\n[arabic]\nhijri = \"yes\"\n",
                "config.toml:3:9: [arabic] hijri: invalid type: string \"yes\", expected a boolean",
            ),
            (
                "title = \"x\"\nper_page = \"ten\"\n",
                "config.toml:2:12: per_page: invalid type: string \"ten\", expected usize",
            ),
        ];
        for (text, expect) in cases {
            check_err(text, expect);
        }
    }

    #[test]
    fn bad_timezone_points_at_its_line() {
        check_err(
            "title = \"x\"\ntimezone = \"Cairo\"\n",
            "config.toml:2:1: unknown time zone `Cairo`",
        );
    }

    #[test]
    fn base_url_gets_a_slash_and_a_path() {
        let config =
            parse("title = \"x\"\nbase_url = \"https://example.org/ar\"\n", Path::new("c"))
                .unwrap();
        assert_eq!(config.base_url, "https://example.org/ar/");
        assert_eq!(config.base_path, "/ar/");
        check_err(
            "title = \"x\"\nbase_url = \"example.org\"\n",
            "config.toml:2:1: `base_url` must be an absolute http(s) URL, e.g. `https://example.com/`, not `example.org`",
        );
    }

    /// Found by the `config` fuzz target: a base URL whose path holds `//` gave a base
    /// path that turns every page link into a link to another host.
    #[test]
    fn a_base_url_path_with_a_double_slash_is_refused() {
        const HINT: &str = "write one `/` between the host and each part of the path, e.g. `https://example.com/ar/`";
        #[track_caller]
        fn check(text: &str, expect: &str) {
            let err = parse(text, Path::new("config.toml")).unwrap_err();
            assert_eq!(err.to_string(), expect);
            assert_eq!(err.hint(), HINT);
        }
        check(
            "title = \"اات ذات الصلة\"\nbase_url = \"https://ttsph://news./exampبار المقاnexampبار المقاne/\"\n",
            "config.toml:2:1: `base_url` `https://ttsph://news./exampبار المقاnexampبار المقاne/` has `//` in its path",
        );
        check(
            "title = \"x\"\nbase_url = \"https://example.com//\"\n",
            "config.toml:2:1: `base_url` `https://example.com//` has `//` in its path",
        );

        let mut config = parse("title = \"x\"\n", Path::new("config.toml")).unwrap();
        let err = config.set_base_url("https://example.com//ar/").unwrap_err();
        assert_eq!(
            err.to_string(),
            "--base-url: `base_url` `https://example.com//ar/` has `//` in its path"
        );
        assert_eq!(err.hint(), HINT);
    }

    #[test]
    fn permalink_patterns() {
        let config = parse(
            "title = \"x\"\n[permalinks]\npolitics = \"/:section/:year/:month/:slug/\"\n",
            Path::new("config.toml"),
        )
        .unwrap();
        assert_eq!(config.permalinks.for_section("politics").segments.len(), 4);
        assert_eq!(
            config.permalinks.for_section("sports").segments,
            vec![Segment::Section, Segment::Slug]
        );
        check_err(
            "title = \"x\"\n[permalinks]\narticle = \"/:section/:id/\"\n",
            "config.toml:3:1: unknown placeholder `:id` in permalink `/:section/:id/`: use `:section`, `:slug`, `:year`, `:month` or `:day`",
        );
    }
}
