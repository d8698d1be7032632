//! Structured data for search engines and social networks: JSON-LD `NewsArticle` and
//! `BreadcrumbList` for articles, `WebSite` and `Organization` for the home page.
//!
//! JSON-LD is built with serde_json, never by pasting strings into a template, so it is valid
//! JSON however a title is written (quotes, backslashes, Arabic punctuation). It sits inside a
//! `<script>` element, where the HTML parser ends the element at the first `</script`; `<`, `>` and
//! `&` are therefore written as JSON `\u` escapes, which JSON parsers read back unchanged.

use serde_json::{Value, json};

use super::Site;
use super::view::rfc3339;
use crate::content::ArticleId;

/// The JSON-LD of an article page.
pub(crate) fn article(site: &Site<'_>, id: ArticleId) -> String {
    let article = &site.library.articles[id];
    let fm = &article.front_matter;
    let section = &site.library.sections[article.section];
    let url = site.permalink(&article.path);
    let authors: Vec<Value> = site.taxonomy.article_authors[id]
        .iter()
        .map(|&a| {
            json!({
                "@type": "Person",
                "name": site.taxonomy.authors[a].name,
                "url": site.permalink(&site.author_path(a)),
            })
        })
        .collect();
    let summary = fm.summary.as_deref().unwrap_or(&site.rendered[id].summary);
    let mut news = json!({
        "@type": "NewsArticle",
        "@id": format!("{url}#article"),
        "headline": fm.title,
        "description": summary,
        "datePublished": rfc3339(&article.date),
        "dateModified": rfc3339(article.updated.as_ref().unwrap_or(&article.date)),
        "author": authors,
        "publisher": publisher(site),
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "articleSection": section.title,
        "keywords": site.taxonomy.article_tags[id].iter().map(|&t| site.taxonomy.tags[t].name.as_str()).collect::<Vec<_>>(),
        "inLanguage": fm.lang.as_deref().unwrap_or(&site.config.language),
        "url": url,
    });
    if let Some(image) = &fm.image {
        news["image"] = json!([site.absolute(&site.resolve_url(image, &article.path))]);
    }
    let breadcrumbs = json!({
        "@type": "BreadcrumbList",
        "itemListElement": [
            { "@type": "ListItem", "position": 1, "name": site.config.title, "item": site.config.base_url },
            { "@type": "ListItem", "position": 2, "name": section.title, "item": site.permalink(&section.path) },
            { "@type": "ListItem", "position": 3, "name": fm.title, "item": url },
        ],
    });
    script_safe(&json!({ "@context": "https://schema.org", "@graph": [news, breadcrumbs] }))
}

/// The JSON-LD of the home page.
pub(crate) fn home(site: &Site<'_>) -> String {
    let website = json!({
        "@type": "WebSite",
        "@id": format!("{}#website", site.config.base_url),
        "name": site.config.title,
        "description": site.config.description,
        "url": site.config.base_url,
        "inLanguage": site.config.language,
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
fn script_safe(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    crate::markdown::escape::replace_ascii(&mut out, &text, |b| match b {
        b'<' => Some("\\u003c"),
        b'>' => Some("\\u003e"),
        b'&' => Some("\\u0026"),
        _ => None,
    });
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
