//! What an import is asked to do, and what it reports at its end.

use std::path::PathBuf;

/// What `midad import wordpress` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The export file.
    pub export: PathBuf,
    /// The site folder to write into.
    pub into: PathBuf,
    /// The old site's uploads folder (`wp-content/uploads`).
    pub media: Option<PathBuf>,
    /// Write into a site that already has articles.
    pub force: bool,
}

/// What the import did, for the report at its end.
#[derive(Debug, Default)]
pub struct Report {
    /// The site folder.
    pub into: PathBuf,
    /// Posts written as articles, and how many of them are drafts.
    pub articles: usize,
    /// Of `articles`, those written with `draft = true` (drafts, pending and private posts).
    pub drafts: usize,
    /// Sections made from categories.
    pub sections: usize,
    /// Distinct tags the articles carry.
    pub tags: usize,
    /// Authors written to data/authors.toml: their keys, whose `gender` the editor should fill.
    pub authors: Vec<String>,
    /// Aliases for old permalinks (pretty ones; `/?p=ID` links need a server rule).
    pub aliases: usize,
    /// Uploads copied into static/uploads/.
    pub media_copied: usize,
    /// Addresses of uploads that were not in the `--media` folder, or all of them without it:
    /// they still point at the old site.
    pub media_remote: usize,
    /// Blocks of bodies kept as HTML because their Markdown would not render the same.
    pub raw_blocks: usize,
    /// Items not imported, by why: `("page", 3)`, `("trash", 2)`, `("comments (ignored)", 40)`.
    pub skipped: Vec<(String, usize)>,
    /// Things to look at, each naming the article: unknown shortcodes, missing gallery images.
    pub notes: Vec<String>,
    /// Whether config.toml was written (false: the site's own was kept).
    pub wrote_config: bool,
    /// `/?p=ID` → new URL path of every imported post, written to `wordpress-redirects.txt`.
    pub redirects_file: Option<PathBuf>,
}
