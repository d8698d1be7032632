//! Split the `---` / `+++` fence off a content file and parse the front matter into
//! [`FrontMatter`].
//!
//! YAML (serde-saphyr) and TOML (toml) are both read straight into one typed struct, so a wrong
//! type is reported by the parser at its own line and column; those positions are relative to the
//! front matter, so they are shifted by the fence before they become a [`Location`] in the file.
//! Unknown keys are not errors (they are often keys from Hugo or Jekyll): they are returned as
//! warnings and kept under `extra` for templates. Dates are parsed here but not yet placed in a
//! time zone: [`DateInput::Local`] is resolved later with the site's zone.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{Diagnostic, Location, line_col};
use crate::syntax::{self, Language};

/// The syntax of a front matter block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Between `---` lines.
    Yaml,
    /// Between `+++` lines.
    Toml,
}

/// A content file cut at its fences.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// Which syntax the front matter uses.
    pub format: Format,
    /// The front matter text (without fences).
    pub front_matter: &'a str,
    /// Byte offset of `front_matter` in the file.
    pub front_matter_offset: usize,
    /// The Markdown body after the closing fence.
    pub body: &'a str,
}

/// A date as written: with an offset (an instant) or without (local to the site's time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateInput {
    /// RFC 3339 with an offset or `Z`.
    Instant(jiff::Timestamp),
    /// A civil date and time, read in the site's time zone.
    Local(jiff::civil::DateTime),
}

impl DateInput {
    /// Resolves the date in `tz` (only local dates depend on it).
    pub fn resolve(self, tz: &jiff::tz::TimeZone) -> jiff::ZonedDateTime {
        match self {
            DateInput::Instant(ts) => ts.to_zoned_datetime(tz.clone()),
            // `compatible` picks the later time in a gap and the earlier in a fold, as most
            // calendars do; it fails only for years out of range, which parsing already rejects.
            DateInput::Local(dt) => tz
                .to_ambiguous_zoned_datetime(dt)
                .compatible()
                .unwrap_or_else(|_| jiff::Timestamp::UNIX_EPOCH.to_zoned_datetime(tz.clone())),
        }
    }
}

/// Parses the date formats front matter accepts.
pub fn parse_date(text: &str) -> Result<DateInput, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<jiff::Timestamp>() {
        return Ok(DateInput::Instant(ts));
    }
    if let Ok(dt) = text.parse::<jiff::civil::DateTime>() {
        return Ok(DateInput::Local(dt));
    }
    if let Ok(date) = text.parse::<jiff::civil::Date>() {
        return Ok(DateInput::Local(date.to_datetime(jiff::civil::Time::midnight())));
    }
    Err(format!(
        "`{text}` is not a date: write it as `2026-11-29T09:30:00+02:00`, or without the offset (`2026-11-29T09:30:00`) for the site's time zone"
    ))
}

/// Written as [`parse_date`] reads it back (for the build cache): an instant in UTC with `Z`,
/// a local date and time without an offset.
impl Serialize for DateInput {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            DateInput::Instant(ts) => serializer.collect_str(ts),
            DateInput::Local(dt) => serializer.collect_str(dt),
        }
    }
}

impl<'de> Deserialize<'de> for DateInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;

        impl<'de> Visitor<'de> for DateVisitor {
            type Value = DateInput;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date such as 2026-11-29T09:30:00+02:00")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<DateInput, E> {
                parse_date(text).map_err(E::custom)
            }

            // TOML datetimes arrive as a one-entry map holding their text.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateInput, A::Error> {
                let Some((_, text)) = map.next_entry::<String, String>()? else {
                    return Err(de::Error::custom("expected a date"));
                };
                parse_date(&text).map_err(de::Error::custom)
            }
        }

        deserializer.deserialize_any(DateVisitor)
    }
}

/// The keys midad knows, as written by the user.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawFrontMatter {
    title: Option<String>,
    description: Option<String>,
    date: Option<DateInput>,
    updated: Option<DateInput>,
    author: Option<String>,
    #[serde(deserialize_with = "some_list")]
    authors: Option<Vec<String>>,
    #[serde(deserialize_with = "list")]
    tags: Vec<String>,
    summary: Option<String>,
    image: Option<String>,
    image_caption: Option<String>,
    image_alt: Option<String>,
    image_credit: Option<String>,
    image_focus: Option<String>,
    slug: Option<String>,
    draft: bool,
    breaking: bool,
    featured: bool,
    #[serde(deserialize_with = "list")]
    aliases: Vec<String>,
    lang: Option<String>,
    weight: Option<i64>,
    extra: BTreeMap<String, serde_json::Value>,
}

/// A list of strings, or one string for a list of one (`tags: عاجل`, as Hugo takes it).
fn list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct List;

    impl<'de> Visitor<'de> for List {
        type Value = Vec<String>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of texts such as [\"الموازنة\", \"البرلمان\"], or one text")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<Vec<String>, E> {
            Ok(vec![text.to_string()])
        }

        /// A number is a text of its digits (`tags: 2026`).
        fn visit_u64<E: de::Error>(self, number: u64) -> Result<Vec<String>, E> {
            Ok(vec![number.to_string()])
        }

        fn visit_i64<E: de::Error>(self, number: i64) -> Result<Vec<String>, E> {
            Ok(vec![number.to_string()])
        }

        /// A key with no value (`tags:`) is an empty list.
        fn visit_unit<E: de::Error>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: de::Error>(self) -> Result<Vec<String>, E> {
            Ok(Vec::new())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut items = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                items.push(item);
            }
            Ok(items)
        }
    }

    deserializer.deserialize_any(List)
}

/// [`list`] for a key whose absence differs from an empty list.
fn some_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<String>>, D::Error> {
    list(deserializer).map(Some)
}

const KNOWN_KEYS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "author",
    "authors",
    "tags",
    "summary",
    "image",
    "image_caption",
    "image_alt",
    "image_credit",
    "image_focus",
    "slug",
    "draft",
    "breaking",
    "featured",
    "aliases",
    "lang",
    "weight",
    "extra",
];

/// Where each key midad knows is set in a front matter block: the key (its place in
/// [`KNOWN_KEYS`]) and the line of the file it is on, its column being 1. Eight bytes a key:
/// the library keeps one for every article for the whole build, for diagnostics only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeysAt(Box<[(u8, u32)]>);

impl KeysAt {
    /// How many keys are set.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no key midad knows is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each key set, with its line and column.
    fn iter(&self) -> impl Iterator<Item = (&'static str, usize, usize)> + '_ {
        self.0.iter().filter_map(|&(key, line)| {
            let name = KNOWN_KEYS.get(usize::from(key))?;
            Some((*name, line as usize, 1))
        })
    }

    /// `keys` (names and lines), those midad does not know left out.
    fn of<'n>(keys: impl IntoIterator<Item = (&'n str, usize)>) -> KeysAt {
        let known = |name: &str| KNOWN_KEYS.iter().position(|&known| known == name);
        let keys = keys.into_iter().filter_map(|(name, line)| {
            let key = u8::try_from(known(name)?).ok()?;
            Some((key, u32::try_from(line).unwrap_or(u32::MAX)))
        });
        KeysAt(keys.collect())
    }
}

/// [`FrontMatter::keys_at`] in the build cache: `[key, line]` of each key, the key its place in
/// [`KNOWN_KEYS`] (the cache is read only by the binary that wrote it).
fn serialize_keys_at<S: Serializer>(keys: &KeysAt, serializer: S) -> Result<S::Ok, S::Error> {
    keys.0.serialize(serializer)
}

/// [`FrontMatter::keys_at`] from the build cache (a key past [`KNOWN_KEYS`] is left out).
fn deserialize_keys_at<'de, D: Deserializer<'de>>(deserializer: D) -> Result<KeysAt, D::Error> {
    let keys = Vec::<(u8, u32)>::deserialize(deserializer)?;
    let known = keys.into_iter().filter(|&(key, _)| usize::from(key) < KNOWN_KEYS.len());
    Ok(KeysAt(known.collect()))
}

/// A point of an image as fractions of its width from the left and of its height from the top
/// (`image_focus: "60% 30%"` is `Focus { x: 0.6, y: 0.3 }`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Focus {
    /// From the left, 0.0 to 1.0.
    pub x: f64,
    /// From the top, 0.0 to 1.0.
    pub y: f64,
}

impl Focus {
    /// The centre.
    pub const CENTRE: Focus = Focus { x: 0.5, y: 0.5 };

    /// Parses two percentages, `"60% 30%"` (a comma between them is allowed).
    pub fn parse(text: &str) -> Option<Focus> {
        let mut parts = text.split([' ', ',']).filter(|p| !p.is_empty());
        let mut percent = || -> Option<f64> {
            let part = parts.next()?.trim().strip_suffix('%')?;
            let value: f64 = part.trim().parse().ok()?;
            (0.0..=100.0).contains(&value).then_some(value / 100.0)
        };
        let focus = Focus { x: percent()?, y: percent()? };
        parts.next().is_none().then_some(focus)
    }
}

/// Validated front matter of an article or a section. It is read from a content file by
/// [`parse`]; its serde form is the build cache's (`crate::cache`), not what authors write.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FrontMatter {
    /// The title; required.
    #[serde(deserialize_with = "crate::file::text::string")]
    pub title: String,
    /// A section's description (articles use `summary`).
    #[serde(deserialize_with = "crate::file::text::option")]
    pub description: Option<String>,
    /// Publication date; required for articles.
    #[serde(deserialize_with = "deserialize_cached_date")]
    pub date: Option<DateInput>,
    /// Last update.
    #[serde(deserialize_with = "deserialize_cached_date")]
    pub updated: Option<DateInput>,
    /// Author keys into `data/authors.toml`, or plain names.
    #[serde(deserialize_with = "crate::file::text::list")]
    pub authors: Vec<String>,
    /// Tags.
    #[serde(deserialize_with = "crate::file::text::list")]
    pub tags: Vec<String>,
    /// Summary; else the first paragraph.
    #[serde(deserialize_with = "crate::file::text::option")]
    pub summary: Option<String>,
    /// Lead image URL (relative to an article bundle, or absolute from the site root).
    #[serde(deserialize_with = "crate::file::text::option")]
    pub image: Option<String>,
    /// Lead image caption.
    #[serde(deserialize_with = "crate::file::text::option")]
    pub image_caption: Option<String>,
    /// Lead image text alternative.
    #[serde(deserialize_with = "crate::file::text::option")]
    pub image_alt: Option<String>,
    /// Lead image credit.
    #[serde(deserialize_with = "crate::file::text::option")]
    pub image_credit: Option<String>,
    /// The point of the lead image crops keep in view; the centre when absent.
    pub image_focus: Option<Focus>,
    /// Explicit slug.
    #[serde(deserialize_with = "crate::file::text::option")]
    pub slug: Option<String>,
    /// Where each key midad knows is set.
    #[serde(serialize_with = "serialize_keys_at", deserialize_with = "deserialize_keys_at")]
    pub keys_at: KeysAt,
    /// Left out unless `--drafts`.
    pub draft: bool,
    /// Shown in the breaking news ticker.
    pub breaking: bool,
    /// A lead story candidate.
    pub featured: bool,
    /// Old URLs that redirect here.
    #[serde(deserialize_with = "crate::file::text::list")]
    pub aliases: Vec<String>,
    /// Language of an article in another language.
    #[serde(deserialize_with = "crate::file::text::option")]
    pub lang: Option<String>,
    /// Sort weight of a section in the navigation.
    pub weight: Option<i64>,
    /// Free-form values for templates, including unknown keys.
    #[serde(serialize_with = "serialize_extra", deserialize_with = "deserialize_extra")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

// The build cache's form is read by formats that are not self-describing (`bincode`), which
// cannot ask what comes next: dates are read as the text they are written as, and the free-form
// values as one JSON text.

/// [`FrontMatter::date`] and `updated` from the build cache.
fn deserialize_cached_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateInput>, D::Error> {
    let Some(text) = crate::file::text::option(deserializer)? else { return Ok(None) };
    parse_date(&text).map(Some).map_err(de::Error::custom)
}

/// [`FrontMatter::extra`] for the build cache: one JSON text, empty for no values.
fn serialize_extra<S: Serializer>(
    extra: &BTreeMap<String, serde_json::Value>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if extra.is_empty() {
        return serializer.serialize_str("");
    }
    let text = serde_json::to_string(extra).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

/// [`FrontMatter::extra`] from the build cache.
fn deserialize_extra<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, serde_json::Value>, D::Error> {
    let text = crate::file::text::string(deserializer)?;
    if text.is_empty() {
        return Ok(BTreeMap::new());
    }
    serde_json::from_str(&text).map_err(de::Error::custom)
}

/// A parsed front matter block and the non-fatal problems found in it.
#[derive(Debug)]
pub struct Parsed<'a> {
    /// The typed front matter.
    pub front_matter: FrontMatter,
    /// The Markdown body.
    pub body: &'a str,
    /// Warnings, e.g. unknown keys.
    pub warnings: Vec<Diagnostic>,
}

/// Cuts `text` at its front matter fences.
pub fn split<'a>(text: &'a str, path: &Path) -> Result<Split<'a>, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let rest = &text[start..];
    let (format, fence) = if rest.starts_with("---") {
        (Format::Yaml, "---")
    } else if rest.starts_with("+++") {
        (Format::Toml, "+++")
    } else {
        return Err(Diagnostic::front_matter(
            Location::at(path, 1, 1),
            "no front matter",
        )
        .with_hint("start the file with a `---` line (YAML) or a `+++` line (TOML), then `title` and `date`, then the same line again"));
    };
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if !rest[..first_line_end].trim_end().eq(fence) {
        return Err(Diagnostic::front_matter(
            Location::at(path, 1, 4),
            format!("the opening `{fence}` must be alone on its line"),
        )
        .with_hint(format!(
            "end the line after `{fence}` and put the keys on the lines below it"
        )));
    }
    let fm_start = start + first_line_end;
    let mut offset = fm_start;
    for line in text[fm_start..].split_inclusive('\n') {
        if line.trim_end() == fence {
            return Ok(Split {
                format,
                front_matter: &text[fm_start..offset],
                front_matter_offset: fm_start,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::front_matter(
        Location::at(path, 1, 1),
        "the front matter opened here is never closed",
    )
    .with_hint(format!("add a `{fence}` line after its last key")))
}

/// Splits and parses a content file. `path` is relative to the site root, for messages.
pub fn parse<'a>(text: &'a str, path: &Path) -> Result<Parsed<'a>, Diagnostic> {
    let split = split(text, path)?;
    let raw = deserialize(&split, text, path)?;
    let locate = |key: &str| key_location(&split, text, path, key);

    let mut warnings = Vec::new();
    let mut extra = raw.extra;
    for (key, value) in unknown_keys(&split) {
        let message = format!("unknown key `{key}` is kept under `extra.{key}` for templates");
        let hint = format!("if it is a typo, use one of: {}", KNOWN_KEYS.join(", "));
        warnings.push(Diagnostic::front_matter(locate(&key), message).with_hint(hint).warning());
        extra.entry(key).or_insert(value);
    }

    let title = match raw.title {
        Some(title) if !title.trim().is_empty() => title.trim().to_string(),
        Some(_) => {
            return Err(Diagnostic::front_matter(locate("title"), "`title` is empty")
                .with_hint("write the headline, e.g. `title: \"عنوان الخبر\"`"));
        }
        None => {
            return Err(Diagnostic::front_matter(Location::at(path, 1, 1), "`title` is missing")
                .with_hint("add the headline, e.g. `title: \"عنوان الخبر\"`"));
        }
    };
    let authors = match (raw.author, raw.authors) {
        (Some(_), Some(_)) => {
            return Err(Diagnostic::front_matter(
                locate("authors"),
                "both `author` and `authors` are set",
            )
            .with_hint("keep one: `author` takes one key of `data/authors.toml` or a name, `authors` a list"));
        }
        (Some(author), None) => vec![author],
        (None, Some(authors)) => authors,
        (None, None) => Vec::new(),
    };
    let non_empty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    Ok(Parsed {
        front_matter: FrontMatter {
            title,
            description: non_empty(raw.description),
            date: raw.date,
            updated: raw.updated,
            authors: authors
                .into_iter()
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
            tags: raw
                .tags
                .into_iter()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect(),
            summary: non_empty(raw.summary),
            image: non_empty(raw.image),
            image_caption: non_empty(raw.image_caption),
            image_alt: non_empty(raw.image_alt),
            image_credit: non_empty(raw.image_credit),
            image_focus: match non_empty(raw.image_focus) {
                Some(text) => Some(Focus::parse(&text).ok_or_else(|| {
                    Diagnostic::front_matter(
                        locate("image_focus"),
                        format!("`image_focus: \"{text}\"` is not a point of the image"),
                    )
                    .with_hint("write its distance from the left and from the top in percent, e.g. `image_focus: \"60% 30%\"`")
                })?),
                None => None,
            },
            keys_at: keys_at(&split, text),
            slug: non_empty(raw.slug),
            draft: raw.draft,
            breaking: raw.breaking,
            featured: raw.featured,
            aliases: raw.aliases,
            lang: non_empty(raw.lang),
            weight: raw.weight,
            extra,
        },
        body: split.body,
        warnings,
    })
}

fn deserialize(split: &Split<'_>, text: &str, path: &Path) -> Result<RawFrontMatter, Diagnostic> {
    // An empty block is valid YAML `null`, which no struct accepts; treat it as no keys.
    if split.front_matter.trim().is_empty() {
        return Ok(RawFrontMatter::default());
    }
    match split.format {
        Format::Toml => toml::from_str(split.front_matter).map_err(|err| {
            let offset = err.span().map_or(0, |s| s.start);
            let at = Location::from_offset(path, text, split.front_matter_offset + offset);
            let hint = crate::config::toml_syntax_hint(split.front_matter);
            let (line, _) = line_col(split.front_matter, offset);
            let message = crate::config::toml_message(&err);
            let (at, message) = hint
                .and_then(|_| mistake(Language::Toml, split, text, path, line, &message))
                .unwrap_or((at, message));
            Diagnostic::front_matter(at, message).with_some_hint(hint)
        }),
        Format::Yaml => serde_saphyr::from_str(split.front_matter).map_err(|err| {
            let (fence_line, _) = line_col(text, split.front_matter_offset);
            let at = yaml_location(&err, path, text, split.front_matter_offset)
                .unwrap_or_else(|| Location::at(path, fence_line, 1));
            let hint = yaml_syntax_hint(split.front_matter);
            let message = yaml_message(&err);
            let line = at.line.map_or(1, |line| (line + 1).saturating_sub(fence_line).max(1));
            let (at, message) = hint
                .and_then(|_| mistake(Language::Yaml, split, text, path, line, &message))
                .unwrap_or((at, message));
            Diagnostic::front_matter(at, message).with_some_hint(hint)
        }),
    }
}

/// Where the mistake behind a syntax error at `line` of the front matter block is, and what it
/// is, when [`syntax::explain`] recognises it.
fn mistake(
    language: Language,
    split: &Split<'_>,
    text: &str,
    path: &Path,
    line: usize,
    message: &str,
) -> Option<(Location, String)> {
    let mistake = syntax::explain(language, split.front_matter, line, message)?;
    let (fence_line, _) = line_col(text, split.front_matter_offset);
    Some((Location::at(path, fence_line + mistake.line - 1, mistake.column), mistake.message))
}

/// Where in `text` (read from `path`) a YAML error is, for YAML that starts at byte
/// `yaml_offset` of `text`; `None` when the parser gives no position.
///
/// The position comes from the error's offset, not from the parser's line and column: YAML
/// ends a line at a bare `\r` as well as at `\n`, while a file's lines, in every other
/// diagnostic and in the source line shown under one, end only at `\n` (a bare `\r` once put
/// an error 30 lines past the end of an article).
pub(crate) fn yaml_location(
    err: &serde_saphyr::Error,
    path: &Path,
    text: &str,
    yaml_offset: usize,
) -> Option<Location> {
    let span = err.location()?.span();
    let yaml = text.get(yaml_offset..)?;
    // Syntax errors carry only the offset in characters; errors about values carry bytes too.
    let offset = match span.byte_offset() {
        Some(byte) => usize::try_from(byte).ok()?,
        None => {
            let n_chars = usize::try_from(span.offset()).ok()?;
            yaml.char_indices().map(|(idx, _)| idx).chain([yaml.len()]).nth(n_chars)?
        }
    };
    (offset <= yaml.len()).then(|| Location::from_offset(path, text, yaml_offset + offset))
}

/// What to check in YAML that does not parse.
pub(crate) const YAML_HINT: &str = "in YAML, put a space after each `key:`, indent with spaces (never tabs), and quote a value that holds `: ` or ` #` or starts with `[`, `{`, `*`, `&`, `!`, `%`, `@` or a quote: `title: \"…\"`";

/// [`YAML_HINT`] when `text` is not YAML at all; `None` when it is and the error is about a
/// value (whose message says what the value should be).
pub(crate) fn yaml_syntax_hint(text: &str) -> Option<&'static str> {
    serde_saphyr::from_str::<serde_json::Value>(text).is_err().then_some(YAML_HINT)
}

/// The first line of a serde-saphyr message, without its source snippet and position suffix.
pub(crate) fn yaml_message(err: &serde_saphyr::Error) -> String {
    let text = err.without_snippet().to_string();
    let first = text.lines().next().unwrap_or("invalid YAML").trim();
    let first = match first.rfind(" at line ") {
        Some(idx) => &first[..idx],
        None => first,
    };
    let first = first.trim_start_matches("error: ");
    if first.starts_with("budget breached: Depth") {
        return crate::config::NESTED_TOO_DEEP.to_string();
    }
    // The parser's advice is about its own options, not the file.
    if let Some(key) = first.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set DuplicateKeyPolicy").next().unwrap_or(key);
        return format!("duplicate key `{key}`: a key is set once; keep the one you mean");
    }
    first.to_string()
}

/// Keys of the block that midad does not know, with their values.
fn unknown_keys(split: &Split<'_>) -> Vec<(String, serde_json::Value)> {
    // Parsing the block a second time, into a map of every key, costs as much as the first
    // parse: done only when a look at the lines finds a key that may be unknown.
    if only_known_keys(split) {
        return Vec::new();
    }
    let all: Option<BTreeMap<String, serde_json::Value>> = match split.format {
        Format::Toml => toml::from_str(split.front_matter).ok(),
        Format::Yaml => serde_saphyr::from_str(split.front_matter).ok(),
    };
    all.unwrap_or_default()
        .into_iter()
        .filter(|(key, _)| !KNOWN_KEYS.contains(&key.as_str()))
        .collect()
}

/// Whether every top-level key of the block is surely a known one, from its lines alone: a
/// line that starts a top-level key in YAML starts at its first column (in TOML, after any
/// spaces), and its key is what comes before the `:` (or `=`), maybe quoted. Anything else
/// that could hold a key (a flow mapping, a complex key, a TOML table, an unquoted key with
/// spaces) answers `false`, which only costs the full parse. Lines of block scalars and nested
/// values are indented in YAML; in TOML they can only make the answer `false`.
fn only_known_keys(split: &Split<'_>) -> bool {
    for line in split.front_matter.lines() {
        let line = match split.format {
            Format::Yaml if line.starts_with([' ', '\t']) => continue,
            Format::Yaml => line,
            Format::Toml => line.trim_start(),
        };
        let line = line.trim_end();
        if line.is_empty() || line.starts_with('#') || line == "---" || line == "..." {
            continue;
        }
        let separator = match split.format {
            Format::Yaml => ':',
            Format::Toml => '=',
        };
        let key = match split.format {
            Format::Toml if line.starts_with('[') => {
                match line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                    Some(table) if !table.starts_with('[') => table.trim(),
                    _ => return false,
                }
            }
            _ => match line.split_once(separator) {
                Some((key, _)) => key.trim(),
                None => return false,
            },
        };
        let key = key
            .strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
            .unwrap_or(key);
        if !KNOWN_KEYS.contains(&key) {
            return false;
        }
    }
    true
}

impl FrontMatter {
    /// Where the first of `keys` that is set is, in the file at `path`: its line and column,
    /// else the file.
    pub fn at(&self, keys: &[&str], path: &Path) -> Location {
        match self.keys_at.iter().find(|(known, _, _)| keys.contains(known)) {
            Some((_, line, col)) => Location::at(path, line, col),
            None => Location::file(path),
        }
    }
}

/// The keys midad knows that the block sets at its top level, each with its line and column,
/// for problems found once the whole site is read (a slug set twice, an alias taken).
fn keys_at(split: &Split<'_>, text: &str) -> KeysAt {
    let (first_line, _) = line_col(text, split.front_matter_offset);
    let lines = split.front_matter.lines().enumerate();
    KeysAt::of(lines.filter_map(|(n, line)| {
        let name = key_set_by(line).filter(|_| !line.starts_with([' ', '\t']))?;
        Some((name, first_line + n))
    }))
}

/// The key a line of the block sets (`key:`, `key =`, `"key":`, indented or not), if any.
fn key_set_by(line: &str) -> Option<&str> {
    let trimmed = line.trim_start();
    let token = trimmed.split([':', '=', ' ', '\t']).next()?;
    let rest = trimmed[token.len()..].trim_start();
    let name = token.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(token);
    (!name.is_empty() && (rest.starts_with(':') || rest.starts_with('='))).then_some(name)
}

/// Where `key` is set in the block, for errors found after parsing.
fn key_location(split: &Split<'_>, text: &str, path: &Path, key: &str) -> Location {
    let mut offset = split.front_matter_offset;
    for line in split.front_matter.split_inclusive('\n') {
        if key_set_by(line) == Some(key) {
            let indent = line.len() - line.trim_start().len();
            return Location::from_offset(path, text, offset + indent);
        }
        offset += line.len();
    }
    Location::at(path, 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> FrontMatter {
        parse(text, Path::new("a.md")).unwrap().front_matter
    }

    #[track_caller]
    fn check_err(text: &str, expect_prefix: &str) {
        let err = parse(text, Path::new("a.md")).unwrap_err().to_string();
        assert!(err.starts_with(expect_prefix), "{err}");
    }

    #[test]
    fn yaml_and_toml_give_the_same_front_matter() {
        let yaml = parse_ok(
            "---\ntitle: \"الحكومة تعلن\"\ndate: 2026-11-28T09:30:00+02:00\nauthor: sara\ntags: [\"الموازنة\", \"AI\"]\n---\nالنص",
        );
        let toml = parse_ok(
            "+++\ntitle = \"الحكومة تعلن\"\ndate = 2026-11-28T09:30:00+02:00\nauthor = \"sara\"\ntags = [\"الموازنة\", \"AI\"]\n+++\nالنص",
        );
        for fm in [&yaml, &toml] {
            assert_eq!(fm.title, "الحكومة تعلن");
            assert_eq!(fm.authors, vec!["sara"]);
            assert_eq!(fm.tags, vec!["الموازنة", "AI"]);
            let ts: jiff::Timestamp = "2026-11-28T07:30:00Z".parse().unwrap();
            assert_eq!(fm.date, Some(DateInput::Instant(ts)));
        }
    }

    #[test]
    fn the_build_caches_form_reads_back_the_same() {
        let every_key = "---\ntitle: \"«الحكومة» تعلن: موازنة 2027\"\ndescription: وصف\n\
            date: 2026-11-28T09:30:00.123456789+02:00\nupdated: 2026-11-29 08:00\n\
            authors: [sara, \"عمر ناصر\"]\ntags: [\"الموازنة\", AI]\nsummary: ملخص\n\
            image: cover.jpg\nimage_caption: تعليق\nimage_alt: بديل\nimage_credit: تصوير\n\
            image_focus: \"33.3% 70%\"\nslug: موازنة\ndraft: true\nbreaking: true\n\
            featured: true\naliases: [/old/]\nlang: en\nweight: -3\n\
            extra: {score: 4.5, list: [1, x]}\nsource: وكالة\n---\nالنص";
        let local = "+++\ntitle = \"x\"\ndate = 2026-11-20T14:00:00\n+++\n";
        for text in [every_key, local] {
            let parsed = parse_ok(text);
            let mut cached = Vec::new();
            crate::file::to_record(&mut cached, &parsed).unwrap();
            let read_back: Option<FrontMatter> = crate::file::from_record(&cached[4..]);
            assert_eq!(read_back, Some(parsed));
        }
        assert_eq!(parse_ok(every_key).keys_at.len(), 20, "every key but `author`");
    }

    #[test]
    fn local_dates_stay_local() {
        let fm = parse_ok("+++\ntitle = \"x\"\ndate = 2026-11-20T14:00:00\n+++\n");
        let dt: jiff::civil::DateTime = "2026-11-20T14:00:00".parse().unwrap();
        assert_eq!(fm.date, Some(DateInput::Local(dt)));
        let cairo = jiff::tz::TimeZone::get("Africa/Cairo").unwrap();
        assert_eq!(
            fm.date.unwrap().resolve(&cairo).to_string(),
            "2026-11-20T14:00:00+02:00[Africa/Cairo]"
        );
        let fm = parse_ok("---\ntitle: x\ndate: 2026-11-20\n---\n");
        assert!(matches!(fm.date, Some(DateInput::Local(_))));
    }

    #[test]
    fn bad_date_in_yaml_is_located_in_the_file() {
        // Line 4 of the file: the fence shifts the parser's line 3.
        check_err("---\ntitle: x\nauthor: a\ndate: yesterday\n---\n", "a.md:4:");
        let err = parse("---\ntitle: x\nauthor: a\ndate: yesterday\n---\n", Path::new("a.md"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("`yesterday` is not a date"), "{err}");
    }

    /// Found by the `front_matter` fuzz target: YAML ends a line at a bare `\r` as well, so the
    /// parser's line number ran past the file's lines, which end only at `\n`.
    #[test]
    fn a_yaml_error_after_a_bare_carriage_return_is_on_the_files_line() {
        check_err("---\ntitle: x\nimage: a\r\rb\n---\n", "a.md:3:11: simple key expected ':'");
        check_err(
            "---\ntitle: \"عنوان\"\nimage: صورة\r\rب\n---\n",
            "a.md:3:14: simple key expected ':'",
        );
        check_err("---\ntitle: x\rdraft: maybe\n---\n", "a.md:2:17: invalid boolean");
    }

    #[test]
    fn bad_date_in_toml_is_located_in_the_file() {
        check_err(
            "+++\ntitle = \"x\"\n\n\ndate = \"2026-13-45\"\n+++\n",
            "a.md:5:8: `2026-13-45` is not a date",
        );
    }

    #[test]
    fn toml_syntax_error_is_located() {
        check_err("+++\ntitle = \"x\"\ntags = [\"a\",\n+++\n", "a.md:3:13: unclosed array");
    }

    #[test]
    fn wrong_type_is_located() {
        check_err("---\ntitle: x\ndraft: maybe\n---\n", "a.md:3:");
        check_err("+++\ntitle = \"x\"\ntags = { a = \"b\" }\n+++\n", "a.md:3:8:");
    }

    #[test]
    fn missing_fences_and_title() {
        check_err("title: x\n", "a.md:1:1: no front matter");
        check_err("---\ntitle: x\n", "a.md:1:1: the front matter opened here is never closed");
        check_err("---\ndate: 2026-01-01\n---\n", "a.md:1:1: `title` is missing");
    }

    #[test]
    fn unknown_keys_are_warnings_kept_in_extra() {
        let parsed = parse("---\ntitle: x\ncategories: [a]\n---\n", Path::new("a.md")).unwrap();
        assert_eq!(parsed.warnings.len(), 1);
        assert!(parsed.warnings[0].to_string().starts_with("a.md:3:1: unknown key `categories`"));
        assert_eq!(parsed.front_matter.extra["categories"], serde_json::json!(["a"]));
    }

    #[test]
    fn unknown_keys_are_found_however_the_block_is_written() {
        let unknown = |text: &str| {
            let parsed = parse(text, Path::new("a.md")).unwrap();
            let mut keys: Vec<String> = parsed.front_matter.extra.keys().cloned().collect();
            keys.sort();
            keys
        };
        let none: Vec<String> = Vec::new();
        // Known keys only, with a block scalar and nested lines that look like keys.
        let known = "---\ntitle: x\nsummary: |\n  note: not a key\ntags:\n  - a\n---\n";
        assert_eq!(unknown(known), none);
        assert_eq!(unknown("---\n\"title\": x\n'foo': 1\n---\n"), ["foo"]);
        assert_eq!(unknown("---\ntitle: x\nfoo bar: 1\n---\n"), ["foo bar"]);
        assert_eq!(unknown("---\n{title: x, foo: 1}\n---\n"), ["foo"]);
        assert_eq!(unknown("+++\ntitle = \"x\"\n  foo = 1\n+++\n"), ["foo"]);
        assert_eq!(unknown("+++\ntitle = \"x\"\n[foo]\nbar = 1\n+++\n"), ["foo"]);
        assert_eq!(unknown("+++\ntitle = \"x\"\n\"foo\" = 1\n+++\n"), ["foo"]);
        assert_eq!(unknown("+++\ntitle = \"\"\"x\ntags = [1]\n\"\"\"\n+++\n"), none);
    }

    #[test]
    fn a_single_text_is_a_list_of_one() {
        for text in [
            "---\ntitle: x\ntags: عاجل\naliases: /old/\nauthors: sara\n---\n",
            "+++\ntitle = \"x\"\ntags = \"عاجل\"\naliases = \"/old/\"\nauthors = \"sara\"\n+++\n",
        ] {
            let fm = parse_ok(text);
            assert_eq!(fm.tags, ["عاجل"], "{text}");
            assert_eq!(fm.aliases, ["/old/"], "{text}");
            assert_eq!(fm.authors, ["sara"], "{text}");
        }
        assert_eq!(parse_ok("---\ntitle: x\ntags: 2026\n---\n").tags, ["2026"]);
        assert!(parse_ok("---\ntitle: x\ntags:\n---\n").tags.is_empty());
        check_err("---\ntitle: x\ntags: {a: b}\n---\n", "a.md:3:");
    }

    #[test]
    fn body_follows_the_closing_fence() {
        let parsed = parse("\u{feff}+++\ntitle = \"x\"\n+++\r\nالنص\n", Path::new("a.md")).unwrap();
        assert_eq!(parsed.body, "النص\n");
        let parsed = parse("---\r\ntitle: x\r\n---\r\nbody", Path::new("a.md")).unwrap();
        assert_eq!(parsed.body, "body");
    }
}
