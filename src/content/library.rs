//! The content model: a [`Library`] of sections and articles, which the later steps of a build
//! read by id.

use std::path::PathBuf;

use super::front_matter::FrontMatter;

/// Index of an article in [`Library::articles`].
pub type ArticleId = usize;
/// Index of a section in [`Library::sections`].
pub type SectionId = usize;

/// All published content of a site.
#[derive(Debug, Default)]
pub struct Library {
    /// Sections in navigation order (weight, then name).
    pub sections: Vec<Section>,
    /// Articles, newest first.
    pub articles: Vec<Article>,
    /// The front matter of `content/_index.md`, if any.
    pub home: Option<FrontMatter>,
}

/// A folder of `content/` with its `_index.md`.
#[derive(Debug)]
pub struct Section {
    /// The folder name, used in URLs (`politics`).
    pub name: String,
    /// The display title (`سياسة`).
    pub title: String,
    /// A description for the section page and its feed.
    pub description: String,
    /// Menu order.
    pub weight: i64,
    /// The section's URL path relative to the site root, e.g. `politics/`.
    pub path: String,
    /// Articles of the section, newest first.
    pub articles: Vec<ArticleId>,
}

/// One article.
#[derive(Debug)]
pub struct Article {
    /// The file, relative to `content/` (`politics/x.md` or `politics/x/index.md`).
    pub source: PathBuf,
    /// The section it belongs to.
    pub section: SectionId,
    /// Its front matter.
    pub front_matter: FrontMatter,
    /// The Markdown body, until the build renders it (then empty: pages use the HTML).
    pub body: String,
    /// The 1-based line of the file where the body starts: body positions are counted from it.
    pub body_line: u32,
    /// A hash of the whole file (front matter and body): equal hashes, equal article.
    pub source_hash: u64,
    /// Publication date in the site's time zone.
    pub date: jiff::ZonedDateTime,
    /// Last update in the site's time zone.
    pub updated: Option<jiff::ZonedDateTime>,
    /// For a bundle (`x/index.md`), the files beside it, relative to `content/`.
    pub assets: Vec<PathBuf>,
    /// The slug, unique in its section.
    pub slug: String,
    /// The URL path relative to the site root, ending with `/` (`politics/الحكومة-تعلن/`).
    pub path: String,
}

impl Article {
    /// The body's folder for a bundle, relative to `content/`.
    pub fn bundle_dir(&self) -> Option<&std::path::Path> {
        if self.source.file_name().is_some_and(|n| n == "index.md") {
            self.source.parent()
        } else {
            None
        }
    }
}
