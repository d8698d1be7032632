//! Borrowed, serialisable views of the site for templates (the variables documented in
//! `themes/akhbar/README.md`).
//!
//! Views borrow from the library, taxonomy and config; nothing is cloned into them but the URLs
//! they compute. The summary of each article is serialised once per build and reused by every
//! list that shows it, so a listing never touches an article body.

use serde::Serialize;

use super::site::Site;
use crate::arabic::byline::Gender;
use crate::content::{ArticleId, SectionId};
use crate::images::{Lead, Picture, ShareImage};
use crate::taxonomy::TermId;

/// `site` in templates.
#[derive(Serialize)]
pub(crate) struct SiteView<'a> {
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) base_url: &'a str,
    pub(crate) base_path: &'a str,
    pub(crate) language: &'a str,
    pub(crate) dir: &'a str,
    pub(crate) build_time: String,
    /// The home page of the language.
    pub(crate) home_url: String,
    /// The tag index.
    pub(crate) tags_url: String,
    /// The author index.
    pub(crate) authors_url: String,
    /// The date archive.
    pub(crate) archive_url: String,
    /// Open Graph locale, e.g. `ar_AR`.
    pub(crate) og_locale: String,
    /// Absolute URL of the publisher's logo, if `[news] logo` is set.
    pub(crate) logo: Option<String>,
    /// The share image of a page without a photo of its own: `[images] default`, else the
    /// logo, as a raster Open Graph crop.
    pub(crate) share_image: Option<ShareImage>,
    /// The search page, unless search is off.
    pub(crate) search_url: Option<String>,
    /// Every language the site publishes in, its own first.
    pub(crate) languages: Vec<LanguageView<'a>>,
    pub(crate) extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

/// A language of the site (`site.languages`): its code, name, direction and home page.
#[derive(Serialize)]
pub(crate) struct LanguageView<'a> {
    pub(crate) code: &'a str,
    pub(crate) name: &'a str,
    pub(crate) dir: &'a str,
    pub(crate) url: String,
}

impl<'a> LanguageView<'a> {
    pub(crate) fn of(site: &Site<'_>, language: &'a crate::config::Language) -> LanguageView<'a> {
        LanguageView {
            code: &language.code,
            name: &language.name,
            dir: language.dir,
            url: site.url(&language.prefix),
        }
    }
}

/// The same page in another language (`alternates`): for `hreflang` links and the switcher.
#[derive(Debug, Clone, Serialize, serde::Deserialize, Hash)]
pub(crate) struct Alternate {
    pub(crate) lang: String,
    pub(crate) name: String,
    pub(crate) url: String,
    pub(crate) permalink: String,
}

/// A section.
#[derive(Serialize)]
pub(crate) struct SectionView<'a> {
    pub(crate) name: &'a str,
    pub(crate) title: &'a str,
    pub(crate) description: &'a str,
    pub(crate) url: String,
    pub(crate) permalink: String,
}

/// A tag on an article, or in the tag index.
#[derive(Serialize)]
pub(crate) struct TermView<'a> {
    pub(crate) name: &'a str,
    pub(crate) url: String,
    pub(crate) count: usize,
}

/// A tag as an article's summary shows it: no count, so publishing an article changes the
/// summaries of no other article (nor the pages that show them).
#[derive(Serialize)]
pub(crate) struct TagLink<'a> {
    pub(crate) name: &'a str,
    pub(crate) url: String,
}

/// An author.
#[derive(Serialize)]
pub(crate) struct AuthorView<'a> {
    pub(crate) key: &'a str,
    pub(crate) name: &'a str,
    pub(crate) url: String,
    pub(crate) gender: Option<Gender>,
    pub(crate) bio: &'a str,
    pub(crate) image: Option<Picture>,
    pub(crate) count: usize,
}

/// An author as a byline shows them: no biography, so summaries stay small.
#[derive(Serialize)]
pub(crate) struct BylineView<'a> {
    pub(crate) key: &'a str,
    pub(crate) name: &'a str,
    pub(crate) url: String,
    pub(crate) gender: Option<Gender>,
}

/// An article without its body.
#[derive(Serialize)]
pub(crate) struct SummaryView<'a> {
    pub(crate) title: &'a str,
    pub(crate) url: String,
    pub(crate) permalink: String,
    pub(crate) date: String,
    pub(crate) updated: Option<String>,
    pub(crate) summary: &'a str,
    pub(crate) image: Option<Lead>,
    pub(crate) image_alt: &'a str,
    pub(crate) image_caption: &'a str,
    pub(crate) image_credit: &'a str,
    pub(crate) section: SectionView<'a>,
    pub(crate) tags: Vec<TagLink<'a>>,
    pub(crate) authors: Vec<BylineView<'a>>,
    pub(crate) reading_minutes: u32,
    pub(crate) lang: &'a str,
    pub(crate) dir: &'static str,
    pub(crate) featured: bool,
    pub(crate) breaking: bool,
    pub(crate) extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
}

/// One entry of a paginator's page list.
#[derive(Serialize)]
pub(crate) struct PageLink {
    pub(crate) number: usize,
    pub(crate) url: String,
    pub(crate) current: bool,
}

/// `paginator` in templates, but its `items` (the summaries of the page's articles).
#[derive(Serialize)]
pub(crate) struct PaginatorView {
    pub(crate) number: usize,
    pub(crate) total_pages: usize,
    pub(crate) total_items: usize,
    pub(crate) prev_url: Option<String>,
    pub(crate) next_url: Option<String>,
    pub(crate) first_url: String,
    pub(crate) last_url: String,
    pub(crate) pages: Vec<PageLink>,
}

impl<'a> Site<'a> {
    /// The body of article `id` as HTML: kept from the Markdown step, or read back from where
    /// it was spilled, or rendered now when the build cache spared that step (see
    /// [`super::site::Body::html`]).
    pub(crate) fn html(&self, id: ArticleId) -> std::borrow::Cow<'a, str> {
        match &self.rendered[id].html {
            super::site::Html::Kept(html) => std::borrow::Cow::Borrowed(html),
            _ => std::borrow::Cow::Owned((self.markdown)(id)),
        }
    }

    /// The root-relative URL of a path relative to the site root.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_path, path)
    }

    /// The absolute URL of a path relative to the site root.
    pub(crate) fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    /// The absolute form of a root-relative URL (`/ar/x/` → `https://host/ar/x/`).
    pub(crate) fn absolute(&self, url: &str) -> String {
        if url.starts_with("http://") || url.starts_with("https://") {
            return url.to_string();
        }
        let base = &self.config.base_url;
        let origin = &base[..base.len() - self.config.base_path.len()];
        format!("{origin}{url}")
    }

    /// A URL as written in front matter or data: external, from the site root, or relative to
    /// `base` (the article's own folder, for bundle images).
    pub(crate) fn resolve_url(&self, url: &str, base: &str) -> String {
        if url.starts_with("http://") || url.starts_with("https://") || url.starts_with("data:") {
            url.to_string()
        } else if let Some(rest) = url.strip_prefix('/') {
            self.url(rest)
        } else {
            self.url(&format!("{base}{url}"))
        }
    }

    /// An author's portrait: the square crops of a photo of the site, or an external image as
    /// it is.
    pub(crate) fn portrait(&self, url: &str) -> Option<Picture> {
        if let Some(picture) = self.photos.portrait(url) {
            return Some(picture);
        }
        let external = url.starts_with("http://") || url.starts_with("https://");
        external.then(|| Picture {
            src: url.to_string(),
            width: 160,
            height: 160,
            mime: "",
            srcset: String::new(),
            sources: Vec::new(),
        })
    }

    pub(crate) fn section_view(&self, id: SectionId) -> SectionView<'a> {
        let section = &self.library.sections[id];
        SectionView {
            name: &section.name,
            title: &section.title,
            description: &section.description,
            url: self.url(&section.path),
            permalink: self.permalink(&section.path),
        }
    }

    /// The search page of language `lang`, relative to the site root.
    pub(crate) fn search_path(&self, lang: crate::config::LangId) -> String {
        format!("{}{}", self.config.languages[lang].prefix, crate::search::client::PAGE)
    }

    pub(crate) fn tag_path(&self, id: TermId) -> String {
        let tag = &self.taxonomy.tags[id];
        let prefix = &self.config.languages[tag.lang].prefix;
        format!("{prefix}{}/{}/", self.config.taxonomies.tags, tag.slug)
    }

    pub(crate) fn tag_view(&self, id: TermId) -> TermView<'a> {
        let tag = &self.taxonomy.tags[id];
        TermView { name: &tag.name, url: self.url(&self.tag_path(id)), count: tag.articles.len() }
    }

    pub(crate) fn tag_link(&self, id: TermId) -> TagLink<'a> {
        TagLink { name: &self.taxonomy.tags[id].name, url: self.url(&self.tag_path(id)) }
    }

    pub(crate) fn author_path(&self, id: TermId) -> String {
        let author = &self.taxonomy.authors[id];
        let prefix = &self.config.languages[author.lang].prefix;
        format!("{prefix}{}/{}/", self.config.taxonomies.authors, author.slug)
    }

    /// Author `id` as a byline shows them.
    pub(crate) fn byline(&self, id: TermId) -> BylineView<'a> {
        let author = &self.taxonomy.authors[id];
        BylineView {
            key: &author.key,
            name: &author.name,
            url: self.url(&self.author_path(id)),
            gender: author.gender,
        }
    }

    pub(crate) fn author_view(&self, id: TermId) -> AuthorView<'a> {
        let author = &self.taxonomy.authors[id];
        AuthorView {
            key: &author.key,
            name: &author.name,
            url: self.url(&self.author_path(id)),
            gender: author.gender,
            bio: &author.bio,
            image: author.image.as_deref().and_then(|img| self.portrait(img)),
            count: author.articles.len(),
        }
    }

    pub(crate) fn summary_view(&self, id: ArticleId) -> SummaryView<'a> {
        let article = &self.library.articles[id];
        let fm = &article.front_matter;
        let rendered = &self.rendered[id];
        let lang = fm.lang.as_deref().unwrap_or(&self.config.languages[article.lang].code);
        SummaryView {
            title: &fm.title,
            url: self.url(&article.path),
            permalink: self.permalink(&article.path),
            date: rfc3339(&article.date),
            updated: article.updated.as_ref().map(rfc3339),
            summary: fm.summary.as_deref().unwrap_or(&rendered.summary),
            image: fm
                .image
                .as_deref()
                .and_then(|img| self.photos.lead(img, &article.path, fm.image_focus)),
            image_alt: fm.image_alt.as_deref().unwrap_or_default(),
            image_caption: fm.image_caption.as_deref().unwrap_or_default(),
            image_credit: fm.image_credit.as_deref().unwrap_or_default(),
            section: self.section_view(article.section),
            tags: self.taxonomy.article_tags[id].iter().map(|&t| self.tag_link(t)).collect(),
            authors: self.taxonomy.article_authors[id].iter().map(|&a| self.byline(a)).collect(),
            reading_minutes: rendered.reading_minutes,
            lang,
            dir: if crate::config::is_rtl_language(lang) { "rtl" } else { "ltr" },
            featured: fm.featured,
            breaking: fm.breaking,
            extra: &fm.extra,
        }
    }
}

/// Midnight of the first day of a month in `tz`, as RFC 3339 (for formatting a month's name).
pub(crate) fn month_start(year: i16, month: i8, tz: &jiff::tz::TimeZone) -> String {
    jiff::civil::Date::new(year, month, 1)
        .ok()
        .and_then(|d| {
            tz.to_ambiguous_zoned_datetime(d.to_datetime(jiff::civil::Time::midnight()))
                .compatible()
                .ok()
        })
        .map(|at| rfc3339(&at))
        .unwrap_or_default()
}

/// RFC 3339 with the zone's offset, e.g. `2026-11-29T09:30:00+02:00`: what
/// `strftime("%Y-%m-%dT%H:%M:%S%:z")` writes, written digit by digit (every summary, article
/// page, feed entry and sitemap URL has one or two, and `strftime` reads its format each time);
/// through `strftime` for a year of other than four digits or an offset with seconds.
pub(crate) fn rfc3339(at: &jiff::ZonedDateTime) -> String {
    let offset = at.offset().seconds();
    let year = at.year();
    if !(0..=9999).contains(&year) || offset % 60 != 0 {
        return at.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
    }
    let minutes = offset.unsigned_abs() / 60;
    let mut out = String::with_capacity(25);
    push_digits(&mut out, year.unsigned_abs().into(), 4);
    let two = [at.month(), at.day(), at.hour(), at.minute(), at.second()];
    for (separator, number) in ['-', '-', 'T', ':', ':'].into_iter().zip(two) {
        out.push(separator);
        push_digits(&mut out, number.unsigned_abs().into(), 2);
    }
    out.push(if offset < 0 { '-' } else { '+' });
    push_digits(&mut out, minutes / 60, 2);
    out.push(':');
    push_digits(&mut out, minutes % 60, 2);
    out
}

/// Writes the last `digits` decimal digits of `number`, zeros in front.
fn push_digits(out: &mut String, number: u32, digits: u32) {
    for place in (0..digits).rev() {
        let digit = number / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + digit as u8));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_writes_what_strftime_writes() {
        let offsets = [0, 3 * 3600, 2 * 3600, -5 * 3600, 5 * 3600 + 1800, -(9 * 3600 + 1800)];
        // Offsets with seconds, as old zones' local mean times have, go through `strftime`.
        let offsets = offsets.into_iter().chain([2 * 3600 + 5 * 60 + 9, -(47 * 60 + 8)]);
        let mut checked = 0;
        for seconds in offsets {
            let offset = jiff::tz::Offset::from_seconds(seconds).unwrap();
            let zone = jiff::tz::TimeZone::fixed(offset);
            // From the year 1 to 9999, one instant every 97 days, 13 hours and 7 seconds.
            let step = 97 * 86_400 + 13 * 3600 + 7;
            let first = jiff::Timestamp::from_second(-62_135_596_800 + 86_400).unwrap();
            let last = jiff::Timestamp::from_second(253_402_207_200 - 2 * 86_400).unwrap();
            let mut at = first;
            while at < last {
                let zoned = at.to_zoned_datetime(zone.clone());
                let expected = zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
                assert_eq!(rfc3339(&zoned), expected);
                checked += 1;
                match at.checked_add(jiff::SignedDuration::from_secs(step)) {
                    Ok(next) => at = next,
                    Err(_) => break,
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
        let cairo = jiff::tz::TimeZone::get("Africa/Cairo").unwrap();
        let summer = jiff::Timestamp::from_second(1_782_000_000).unwrap().to_zoned_datetime(cairo);
        assert_eq!(rfc3339(&summer), "2026-06-21T03:00:00+03:00");
    }
}
