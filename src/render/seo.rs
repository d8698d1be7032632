//! Structured data for search engines and social networks: JSON-LD `NewsArticle` and
//! `BreadcrumbList` for articles, `WebSite` and `Organization` for the home page.
//!
//! JSON-LD is built with serde_json, never by pasting strings into a template, so it is valid
//! JSON however a title is written (quotes, backslashes, Arabic punctuation). It sits inside a
//! `<script>` element, where the HTML parser ends the element at the first `</script`; `<`, `>` and
//! `&` are therefore written as JSON `\u` escapes, which JSON parsers read back unchanged.

use serde::Serialize;
use serde_json::{Value, json};

use super::site::Site;
use super::view::rfc3339;
use crate::content::ArticleId;

/// The JSON-LD of an article page. Built from typed values rather than `json!` maps: there is
/// one per article page, and maps of owned keys were most of its cost. The fields are in the
/// order `json!` maps sort their keys, so the text is what it was (JSON-LD itself does not care).
pub(crate) fn article(site: &Site<'_>, id: ArticleId) -> String {
    let article = &site.library.articles[id];
    let fm = &article.front_matter;
    let section = &site.library.sections[article.section];
    let language = &site.config.languages[article.lang];
    let url = site.permalink(&article.path);
    let authors: Vec<Person<'_>> = site.taxonomy.article_authors[id]
        .iter()
        .map(|&a| Person {
            kind: "Person",
            name: &site.taxonomy.authors[a].name,
            url: site.permalink(&site.author_path(a)),
        })
        .collect();
    let summary = fm.summary.as_deref().unwrap_or(&site.rendered[id].summary);
    let news = NewsArticle {
        id: format!("{url}#article"),
        kind: "NewsArticle",
        section: &section.title,
        author: authors,
        modified: rfc3339(article.updated.as_ref().unwrap_or(&article.date)),
        published: rfc3339(&article.date),
        description: summary,
        headline: &fm.title,
        image: structured_images(site, id),
        language: fm.lang.as_deref().unwrap_or(&language.code),
        keywords: site.taxonomy.article_tags[id]
            .iter()
            .map(|&t| site.taxonomy.tags[t].name.as_str())
            .collect(),
        main_entity: WebPage { id: &url, kind: "WebPage" },
        publisher: publisher(site),
        url: &url,
    };
    let crumb = |position, name, item| ListItem { kind: "ListItem", item, name, position };
    let breadcrumbs = BreadcrumbList {
        kind: "BreadcrumbList",
        items: [
            crumb(1, &language.title, site.permalink(&language.prefix)),
            crumb(2, &section.title, site.permalink(&section.path)),
            crumb(3, &fm.title, url.clone()),
        ],
    };
    script_safe(&Graph { context: "https://schema.org", graph: (news, breadcrumbs) })
}

/// The JSON-LD images of an article: its photo's 16:9, 4:3 and 1:1 crops, else the site's
/// default share image's.
fn structured_images(site: &Site<'_>, id: ArticleId) -> Vec<String> {
    let article = &site.library.articles[id];
    let fm = &article.front_matter;
    let lead =
        fm.image.as_deref().and_then(|url| site.photos.lead(url, &article.path, fm.image_focus));
    match lead {
        Some(lead) if !lead.structured.is_empty() => lead.structured,
        _ => site.photos.default_share().iter().skip(1).map(|share| share.url.clone()).collect(),
    }
}

/// `{"@context": …, "@graph": […]}`.
#[derive(Serialize)]
struct Graph<T> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: T,
}

/// A `NewsArticle`, its fields in sorted order (see [`article`]).
#[derive(Serialize)]
struct NewsArticle<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "articleSection")]
    section: &'a str,
    author: Vec<Person<'a>>,
    #[serde(rename = "dateModified")]
    modified: String,
    #[serde(rename = "datePublished")]
    published: String,
    description: &'a str,
    headline: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    image: Vec<String>,
    #[serde(rename = "inLanguage")]
    language: &'a str,
    keywords: Vec<&'a str>,
    #[serde(rename = "mainEntityOfPage")]
    main_entity: WebPage<'a>,
    publisher: Value,
    url: &'a str,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct WebPage<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct BreadcrumbList<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemListElement")]
    items: [ListItem<'a>; 3],
}

#[derive(Serialize)]
struct ListItem<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    item: String,
    name: &'a str,
    position: u32,
}

/// The JSON-LD of the home page.
pub(crate) fn home(site: &Site<'_>, lang: crate::config::LangId) -> String {
    let language = &site.config.languages[lang];
    let url = site.permalink(&language.prefix);
    let website = json!({
        "@type": "WebSite",
        "@id": format!("{url}#website"),
        "name": language.title,
        "description": language.description,
        "url": url,
        "inLanguage": language.code,
        "publisher": publisher(site),
    });
    script_safe(&json!({ "@context": "https://schema.org", "@graph": [website] }))
}

/// The publishing organisation, with its logo when `[news] logo` is set.
fn publisher(site: &Site<'_>) -> Value {
    let mut org = json!({
        "@type": "NewsMediaOrganization",
        "name": site.config.news.publication_name.as_deref().unwrap_or(&site.config.title),
        "url": site.config.base_url,
    });
    if let Some(logo) = &site.config.news.logo {
        org["logo"] =
            json!({ "@type": "ImageObject", "url": site.absolute(&site.resolve_url(logo, "")) });
    }
    org
}

/// JSON that can sit inside `<script>` unchanged: `<`, `>` and `&` as `\u` escapes.
fn script_safe(value: &impl Serialize) -> String {
    // Cannot fail: every map in it has string keys.
    let text = serde_json::to_string(value).unwrap_or_default();
    let mut out = String::with_capacity(text.len());
    crate::markdown::escape::replace_ascii(
        &mut out,
        &text,
        &[(b'<', "\\u003c"), (b'>', "\\u003e"), (b'&', "\\u0026")],
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_round_trips_and_cannot_close_the_script() {
        let title = "وزير يقول \"لا\" </script><script>alert(1)</script> & «نعم»";
        let text = script_safe(&json!({ "headline": title }));
        assert!(!text.contains("</"), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["headline"], title);
    }
}
