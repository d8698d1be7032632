//! The same page in the site's other languages (`alternates` in templates), for the `hreflang`
//! links of `<head>`, the sitemap and the language switcher.
//!
//! An article's alternates are its translations (see `content::Article::translations`). Any
//! other page's are the pages of the other languages at the same place below their language's
//! folder: `en/politics/` for `politics/`, `tags/` for `en/tags/`, each home page for the others.
//! A page with no counterpart has none, and a single-language site has none at all.

use std::collections::HashSet;

use super::pages::Page;
use super::site::Site;
use super::view::Alternate;
use crate::config::LangId;
use crate::content::ArticleId;

/// The alternates of article `id`: itself and its translations, in the site's language order;
/// empty when it has no translation.
pub(super) fn of_article(site: &Site<'_>, id: ArticleId) -> Vec<Alternate> {
    let article = &site.library.articles[id];
    if article.translations.is_empty() {
        return Vec::new();
    }
    let mut ids: Vec<ArticleId> =
        std::iter::once(id).chain(article.translations.iter().copied()).collect();
    ids.sort_by_key(|&id| site.library.articles[id].lang);
    ids.iter()
        .map(|&id| {
            let article = &site.library.articles[id];
            alternate(site, article.lang, &article.path)
        })
        .collect()
}

/// Adds `alternates` to the context of each page of `pages` that is a listing's first page or no
/// listing, from the paths of every page (`pages` and the home pages).
pub(super) fn add_to_pages(site: &Site<'_>, pages: &mut [Page]) {
    if !site.config.is_multilingual() {
        return;
    }
    let languages = &site.config.languages;
    let mut paths: HashSet<String> = pages.iter().map(|page| page.path.clone()).collect();
    paths.extend(languages.iter().map(|language| language.prefix.clone()));
    for page in pages.iter_mut() {
        if page.listing.as_ref().is_some_and(|listing| listing.number > 1) {
            continue;
        }
        let alternates = of_path(site, page.lang, &page.path, |path| paths.contains(path));
        if !alternates.is_empty() {
            std::sync::Arc::make_mut(&mut page.context).insert("alternates", &alternates);
        }
    }
}

/// The alternates of the page at `path` in language `lang`: the pages at the same place below
/// each language's folder for which `exists`; empty when there is no other.
pub(super) fn of_path(
    site: &Site<'_>,
    lang: LangId,
    path: &str,
    exists: impl Fn(&str) -> bool,
) -> Vec<Alternate> {
    let languages = &site.config.languages;
    let Some(rest) = path.strip_prefix(languages[lang].prefix.as_str()) else {
        return Vec::new();
    };
    let found: Vec<Alternate> = languages
        .iter()
        .enumerate()
        .filter_map(|(other, language)| {
            let candidate = format!("{}{rest}", language.prefix);
            (other == lang || exists(&candidate)).then(|| alternate(site, other, &candidate))
        })
        .collect();
    if found.len() > 1 { found } else { Vec::new() }
}

fn alternate(site: &Site<'_>, lang: LangId, path: &str) -> Alternate {
    let language = &site.config.languages[lang];
    Alternate {
        lang: language.code.clone(),
        name: language.name.clone(),
        url: site.url(path),
        permalink: site.permalink(path),
    }
}
