//! Slugs and URL paths of articles.
//!
//! Slugs come from the title (or an explicit `slug`) through `arabic::slug`, so they keep Arabic
//! words. An explicit slug is the article's, or an error when another article of its section set
//! it too. Slugs made from titles that collide get `-2`, `-3` in date order (the oldest keeps the
//! plain slug), which keeps every URL stable when a newer article arrives.

use foldhash::{HashMap, HashMapExt};
use std::collections::hash_map::Entry;
use std::path::Path;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use rayon::prelude::*;

use super::library::{Article, Library, Section};
use crate::arabic::slug::{SlugStyle, slugify_capped};
use crate::config::{Config, Segment};
use crate::error::{Diagnostic, Location};

/// The longest slug, in characters, before it is cut at a word boundary.
pub(crate) const MAX_SLUG_CHARS: usize = 80;

/// Gives every article its slug and URL path; returns an error per URL claimed twice.
pub fn assign_urls(library: &mut Library, config: &Config) -> Vec<Diagnostic> {
    let errors = settle_slugs(library, config.arabic.slug_style);
    if !errors.is_empty() {
        return errors;
    }
    let sections = &library.sections;
    library.articles.par_iter_mut().for_each(|article| {
        article.path = article_path(article, &sections[article.section], config);
    });
    let mut by_path: HashMap<&str, &Path> = HashMap::with_capacity(library.articles.len());
    let mut errors = Vec::new();
    for article in &library.articles {
        if let Some(other) = by_path.insert(&article.path, &article.source) {
            errors.push(
                Diagnostic::content(
                    Location::file(Path::new("content").join(&article.source)),
                    format!(
                        "its URL `/{}` is also the URL of `content/{}`",
                        article.path,
                        other.display()
                    ),
                )
                .with_hint("give one of them another `slug`"),
            );
        }
    }
    errors
}

/// Gives every article its slug, unique in its section; returns an error per slug that two
/// articles of a section chose.
fn settle_slugs(library: &mut Library, style: SlugStyle) -> Vec<Diagnostic> {
    // Oldest first within each section, so collision suffixes go to the newer articles.
    let articles = &library.articles;
    let mut order: Vec<usize> = (0..articles.len()).collect();
    order.par_sort_unstable_by_key(|&idx| {
        let article = &articles[idx];
        (article.section, article.date.timestamp(), &article.source)
    });
    // Each article's slug before collisions, made in parallel (unless the build cache had it),
    // and whether its author chose it.
    let bases: Vec<(String, bool)> = library
        .articles
        .par_iter_mut()
        .map(|article| article.base_slug.take().unwrap_or_else(|| base_slug(article, style)))
        .collect();
    // Sections share no slugs: each is settled on a thread of its own.
    let articles = &library.articles;
    let sections: Vec<&[usize]> =
        order.chunk_by(|&a, &b| articles[a].section == articles[b].section).collect();
    let settled: Vec<Settled> =
        sections.into_par_iter().map(|section| settle_section(section, &bases, articles)).collect();
    let mut errors = Vec::new();
    for section in settled {
        for (idx, slug) in section.slugs {
            library.articles[idx].slug = slug;
        }
        errors.extend(section.errors);
    }
    // Kept for the build cache.
    for (article, base) in library.articles.iter_mut().zip(bases) {
        article.base_slug = Some(base);
    }
    errors
}

/// The slugs of a section's articles, by article id, and an error per slug two of them chose.
struct Settled {
    slugs: Vec<(usize, String)>,
    errors: Vec<Diagnostic>,
}

/// Settles the slugs of the articles of one section, `ids` (oldest first), from their `bases`.
/// Chosen slugs first: each is the article's, or an error when another article of the section
/// chose it too. Made ones then take what is left, `-2`, `-3` in date order.
fn settle_section(ids: &[usize], bases: &[(String, bool)], articles: &[Article]) -> Settled {
    let mut taken: HashMap<String, usize> = HashMap::with_capacity(ids.len());
    let mut settled = Settled { slugs: Vec::with_capacity(ids.len()), errors: Vec::new() };
    for &idx in ids.iter().filter(|&&idx| bases[idx].1) {
        let slug = &bases[idx].0;
        match taken.entry(slug.clone()) {
            Entry::Vacant(entry) => {
                entry.insert(idx);
                settled.slugs.push((idx, slug.clone()));
            }
            Entry::Occupied(entry) => {
                let other = &articles[*entry.get()];
                settled.errors.push(chosen_twice(&articles[idx], other, slug));
            }
        }
    }
    for &idx in ids {
        let (base, chosen) = &bases[idx];
        if *chosen {
            continue;
        }
        let mut slug = base.clone();
        let mut n = 2;
        while taken.contains_key(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(slug.clone(), idx);
        settled.slugs.push((idx, slug));
    }
    settled
}

/// The URL path of `article`, of `section`, by its language's permalink pattern.
fn article_path(article: &Article, section: &Section, config: &Config) -> String {
    let language = &config.languages[section.lang];
    let pattern = language.permalinks.for_section(&section.name);
    let mut path = language.prefix.clone();
    for segment in &pattern.segments {
        match segment {
            Segment::Literal(s) => path.push_str(s),
            Segment::Section => path.push_str(&section.name),
            Segment::Slug => path.push_str(&article.slug),
            Segment::Year => path.push_str(&format!("{:04}", article.date.year())),
            Segment::Month => path.push_str(&format!("{:02}", article.date.month())),
            Segment::Day => path.push_str(&format!("{:02}", article.date.day())),
        }
        path.push('/');
    }
    path
}

/// The slug of `article` before collisions are settled, and whether it is its explicit `slug`:
/// from the explicit slug, else the title, else the file name.
fn base_slug(article: &Article, style: SlugStyle) -> (String, bool) {
    let fm = &article.front_matter;
    if let Some(slug) = fm.slug.as_deref().map(|text| slugify_capped(text, style, MAX_SLUG_CHARS))
        && !slug.is_empty()
    {
        return (slug, true);
    }
    let made = std::iter::once(fm.title.as_str())
        .chain(article_stem(&article.source))
        .map(|text| slugify_capped(text, style, MAX_SLUG_CHARS))
        .find(|slug| !slug.is_empty())
        .unwrap_or_else(|| "article".to_string());
    (made, false)
}

/// The error of an `article` whose explicit `slug` an `earlier` one of its section chose too.
fn chosen_twice(article: &Article, earlier: &Article, slug: &str) -> Diagnostic {
    let at = article.front_matter.at(&["slug"], &Path::new("content").join(&article.source));
    Diagnostic::content(
        at,
        format!(
            "`slug: {slug}` is also the slug of `content/{}` in this section, so both would have one URL",
            earlier.source.display()
        ),
    )
    .with_hint("give one of them another `slug`")
}

/// The file stem of an article (`x` for `x.md`, `x/index.md` and a translation's `x.en.md`).
fn article_stem(source: &Path) -> Option<&str> {
    let stem = if source.file_name().is_some_and(super::library::is_bundle_index) {
        source.parent()?.file_name()
    } else {
        source.file_stem()
    };
    let stem = stem.and_then(|s| s.to_str())?;
    Some(match stem.rsplit_once('.') {
        Some((stem, code)) if code.len() <= 8 && code.chars().all(|c| c.is_ascii_lowercase()) => {
            stem
        }
        _ => stem,
    })
}

/// Characters a URL path must escape (RFC 3986): controls, space, non-ASCII and delimiters.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Percent-encodes a URL path (or a whole URL: `:` and `/` are kept), e.g. for sitemaps and feeds.
pub fn encode_path(path: &str) -> String {
    // Collected piece by piece: `to_string` goes through `Display`, a formatter call per piece
    // (each escaped byte is one), for every URL of the sitemaps and feeds.
    utf8_percent_encode(path, PATH).collect()
}

/// The segments of a slash-separated site path with `.` and `..` resolved and empty segments
/// dropped; `None` when `..` climbs above the root.
pub fn resolve_segments(path: &str) -> Option<Vec<&str>> {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            _ => segments.push(segment),
        }
    }
    Some(segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_path_escapes_arabic_and_keeps_slashes() {
        assert_eq!(encode_path("/سياسة/"), "/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/");
        assert_eq!(encode_path("https://x.org/a b/"), "https://x.org/a%20b/");
        assert_eq!(encode_path("/a-1/"), "/a-1/");
    }

    #[test]
    fn stems() {
        assert_eq!(article_stem(Path::new("politics/budget.md")), Some("budget"));
        assert_eq!(article_stem(Path::new("politics/budget/index.md")), Some("budget"));
        assert_eq!(article_stem(Path::new("politics/budget.en.md")), Some("budget"));
        assert_eq!(article_stem(Path::new("politics/budget/index.en.md")), Some("budget"));
    }
}
