//! Tags and authors, built from the library by index in one pass over the articles.
//!
//! Each term holds the ids of its articles (newest first, as the library is sorted), never copies,
//! so tag and author pages cost one lookup each. Tags are grouped by slug, so «الموازنة» written
//! with or without tashkeel is one tag; the first spelling met (newest article) is the one shown.

use foldhash::{HashMap, HashMapExt};
use std::path::Path;

use crate::arabic::byline::Gender;
use crate::arabic::slug::{SlugStyle, slugify};
use crate::config::{LangId, Language};
use crate::content::{ArticleId, Library};
use crate::data::Data;
use crate::error::Diagnostic;

/// Index of a term in [`Taxonomy::tags`] or [`Taxonomy::authors`].
pub type TermId = usize;

/// A tag and its articles.
#[derive(Debug)]
pub struct Tag {
    /// The tag as written.
    pub name: String,
    /// Its URL segment.
    pub slug: String,
    /// Its articles, newest first.
    pub articles: Vec<ArticleId>,
    /// The language of its articles: each language has its own tags.
    pub lang: LangId,
}

/// An author and their articles.
#[derive(Debug)]
pub struct AuthorEntry {
    /// The key in `data/authors.toml`, or the slug of a plain name.
    pub key: String,
    /// Display name.
    pub name: String,
    /// Gender, when `data/authors.toml` gives it.
    pub gender: Option<Gender>,
    /// Biography.
    pub bio: String,
    /// Portrait URL as written in the data file.
    pub image: Option<String>,
    /// URL segment.
    pub slug: String,
    /// Their articles, newest first.
    pub articles: Vec<ArticleId>,
    /// The language of their page and articles: each language lists its authors.
    pub lang: LangId,
}

/// Tags and authors of a site.
#[derive(Debug, Default)]
pub struct Taxonomy {
    /// Tags sorted by name.
    pub tags: Vec<Tag>,
    /// Tags of each article, in the article's order.
    pub article_tags: Vec<Vec<TermId>>,
    /// Authors: those of `data/authors.toml` in its order, then plain names.
    pub authors: Vec<AuthorEntry>,
    /// Authors of each article, in the article's order.
    pub article_authors: Vec<Vec<TermId>>,
}

/// Builds the taxonomy of the site's `languages` (each has its own tags and author pages);
/// warns about authors that look like keys but are not in the data file.
pub fn build(
    library: &Library,
    data: &Data,
    slug_style: SlugStyle,
    languages: &[Language],
) -> (Taxonomy, Vec<Diagnostic>) {
    let mut warnings = Vec::new();
    let mut taxonomy = Taxonomy::default();
    let mut tag_ids: HashMap<(LangId, String), TermId> = HashMap::new();
    let mut author_ids: HashMap<(LangId, String), TermId> = HashMap::new();

    for lang in 0..languages.len().max(1) {
        let code = languages.get(lang).map(|l| l.code.as_str());
        for (key, author) in &data.authors {
            let text = code.and_then(|code| author.translations.get(code));
            author_ids.insert((lang, key.clone()), taxonomy.authors.len());
            taxonomy.authors.push(AuthorEntry {
                key: key.clone(),
                name: text.and_then(|t| t.name.clone()).unwrap_or_else(|| author.name.clone()),
                gender: author.gender,
                bio: text.and_then(|t| t.bio.clone()).unwrap_or_else(|| author.bio.clone()),
                image: author.image.clone(),
                slug: slug_or(key, slug_style, "author"),
                articles: Vec::new(),
                lang,
            });
        }
    }

    // A few hundred tags name tens of thousands of articles: each name is slugified and its tag
    // found once, and remembered by name.
    let mut name_ids: HashMap<(LangId, &str), TermId> = HashMap::new();
    for (article_id, article) in library.articles.iter().enumerate() {
        let lang = article.lang;
        let mut tags = Vec::new();
        for name in &article.front_matter.tags {
            let id = *name_ids.entry((lang, name.as_str())).or_insert_with(|| {
                let slug = slug_or(name, slug_style, "tag");
                *tag_ids.entry((lang, slug.clone())).or_insert_with(|| {
                    let articles = Vec::new();
                    taxonomy.tags.push(Tag { name: name.clone(), slug, articles, lang });
                    taxonomy.tags.len() - 1
                })
            });
            if !tags.contains(&id) {
                tags.push(id);
                taxonomy.tags[id].articles.push(article_id);
            }
        }
        taxonomy.article_tags.push(tags);

        let mut authors = Vec::new();
        for name in &article.front_matter.authors {
            let id = match author_ids.get(&(lang, name.clone())) {
                Some(&id) => id,
                None => {
                    if looks_like_key(name) {
                        let message = format!(
                            "author `{name}` is not in `data/authors.toml`, so it is shown as a plain name: add it there or fix the spelling"
                        );
                        let path = Path::new("content").join(&article.source);
                        let at = article.front_matter.at(&["author", "authors"], &path);
                        warnings.push(Diagnostic::content(at, message).warning());
                    }
                    let slug = slug_or(name, slug_style, "author");
                    let id = *author_ids.entry((lang, slug.clone())).or_insert_with(|| {
                        taxonomy.authors.push(AuthorEntry {
                            key: slug.clone(),
                            name: name.clone(),
                            gender: None,
                            bio: String::new(),
                            image: None,
                            slug,
                            articles: Vec::new(),
                            lang,
                        });
                        taxonomy.authors.len() - 1
                    });
                    author_ids.insert((lang, name.clone()), id);
                    id
                }
            };
            if !authors.contains(&id) {
                authors.push(id);
                taxonomy.authors[id].articles.push(article_id);
            }
        }
        taxonomy.article_authors.push(authors);
    }

    // Tags by language, in name order; remap the per-article ids to the new positions.
    let mut order: Vec<TermId> = (0..taxonomy.tags.len()).collect();
    let tags = &taxonomy.tags;
    order.sort_by(|&a, &b| (tags[a].lang, &tags[a].name).cmp(&(tags[b].lang, &tags[b].name)));
    let mut new_id = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_id[old] = new;
    }
    let mut tags: Vec<Option<Tag>> = taxonomy.tags.into_iter().map(Some).collect();
    taxonomy.tags = order.iter().filter_map(|&old| tags[old].take()).collect();
    for ids in &mut taxonomy.article_tags {
        for id in ids {
            *id = new_id[*id];
        }
    }
    (taxonomy, warnings)
}

/// The slug of the tag `name` is grouped by (see [`Tag::slug`]).
pub fn tag_slug(name: &str, style: SlugStyle) -> String {
    slug_or(name, style, "tag")
}

fn slug_or(text: &str, style: SlugStyle, fallback: &str) -> String {
    let slug = slugify(text, style);
    if slug.is_empty() { fallback.to_string() } else { slug }
}

/// `sara-kamal` looks like a key into the authors file; «سارة كمال» looks like a name.
fn looks_like_key(name: &str) -> bool {
    !name.contains(' ')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_names() {
        assert!(looks_like_key("sara-kamal"));
        assert!(!looks_like_key("سارة كمال"));
        assert!(!looks_like_key("Sara Kamal"));
    }
}
