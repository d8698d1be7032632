//! The content model: a [`Library`] of sections and articles, which the later steps of a build
//! read by id.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::front_matter::FrontMatter;
use super::known::{KnownFile, Stamp};
use crate::error::{Diagnostic, Location};

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
    /// The language of its articles: a bilingual site has a section per language and folder.
    pub lang: crate::config::LangId,
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
    /// The Markdown body, until the build renders it (then empty: pages use the HTML); empty
    /// too when it was left in the file (`body_on_disk`, see [`Article::markdown`]).
    pub body: String,
    /// The 1-based line of the file where the body starts: body positions are counted from it.
    pub body_line: u32,
    /// The byte offset in the file where the body starts.
    pub body_at: usize,
    /// Whether the body is in the file only: the front matter came from the build cache.
    pub body_on_disk: bool,
    /// A hash of the whole file (front matter and body): equal hashes, equal article.
    pub source_hash: u64,
    /// The file's size and modification time, when a later build may trust them.
    pub stamp: Option<Stamp>,
    /// Whether its front matter had no warning: only then the build cache keeps it (a
    /// warning is given at every build).
    pub parsed_cleanly: bool,
    /// Publication date in the site's time zone.
    pub date: jiff::ZonedDateTime,
    /// Last update in the site's time zone.
    pub updated: Option<jiff::ZonedDateTime>,
    /// For a bundle (`x/index.md`), the files beside it, relative to `content/`.
    pub assets: Vec<PathBuf>,
    /// The slug, unique in its section.
    pub slug: String,
    /// The slug before collisions are settled, and whether the front matter chose it: made when
    /// the slugs are settled, or kept in the build cache with the front matter it is made from.
    pub base_slug: Option<(String, bool)>,
    /// The URL path relative to the site root, ending with `/` (`politics/الحكومة-تعلن/`).
    pub path: String,
    /// Its language (see [`crate::config::Config::languages`]).
    pub lang: crate::config::LangId,
    /// The same article in the site's other languages, if translated.
    pub translations: Vec<ArticleId>,
}

impl Article {
    /// The Markdown body: from memory, or read from the file when the build left it there
    /// (`body_on_disk`, see [`super::known`]). The file must still be what the build loaded.
    pub fn markdown(&self, content_dir: &Path) -> Result<Cow<'_, str>, Diagnostic> {
        if !self.body_on_disk {
            return Ok(Cow::Borrowed(&self.body));
        }
        let site_path = Path::new("content").join(&self.source);
        let changed = || {
            Diagnostic::content(
                Location::file(&site_path),
                "the file changed while the site was being built",
            )
            .with_hint("build again: nothing was written")
        };
        let bytes = std::fs::read(content_dir.join(&self.source))
            .map_err(|err| Diagnostic::read(&site_path, err))?;
        if xxhash_rust::xxh3::xxh3_64(&bytes) != self.source_hash {
            return Err(changed());
        }
        // The load checked these bytes (the hash says they are the same); checked again with
        // SIMD, as there, and copied: the standard check is many times slower on Arabic text.
        let body = bytes.get(self.body_at..).ok_or_else(changed)?;
        let text = simdutf8::basic::from_utf8(body).map_err(|_| changed())?;
        Ok(Cow::Owned(text.to_owned()))
    }

    /// What the next build may take over of the article's file (when its front matter had no
    /// warning, `parsed_cleanly`).
    pub fn known_file(&self) -> KnownFile<&FrontMatter, &str> {
        KnownFile {
            base_slug: self.base_slug.as_ref().map(|(slug, chosen)| (slug.as_str(), *chosen)),
            hash: self.source_hash,
            stamp: self.stamp,
            front_matter: &self.front_matter,
            body_line: self.body_line,
            body_at: self.body_at,
        }
    }

    /// The body's folder for a bundle, relative to `content/`.
    pub fn bundle_dir(&self) -> Option<&std::path::Path> {
        if self.source.file_name().is_some_and(is_bundle_index) {
            self.source.parent()
        } else {
            None
        }
    }
}

/// Whether a file name is an article bundle's: `index.md`, or a translation's `index.en.md`.
pub(crate) fn is_bundle_index(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else { return false };
    name == "index.md"
        || name.strip_prefix("index.").and_then(|rest| rest.strip_suffix(".md")).is_some_and(
            |code| !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        )
}
