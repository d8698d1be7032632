//! What the last build knew of each article file, kept in the build cache (`crate::cache`), so
//! that a build reads and parses only the files that changed.
//!
//! A file whose size and modification time are those recorded is not read at all; one whose
//! stamp moved (a fresh `git clone` gives every file a new one) is read and hashed, and is not
//! parsed again if its bytes hash the same (`load::load_file`). Its front matter comes from the
//! cache, and its Markdown body stays in the file until a page that shows it is rendered
//! (`Article::markdown`): a build that renders a few pages holds a few bodies, not the archive.
//!
//! A stamp is recorded only when the file was modified at least [`SETTLED`] before the build
//! looked at it. A file saved again within the same tick of the file system's clock (and to the
//! same size) would otherwise keep a stamp that no longer describes it; after [`SETTLED`], any
//! later save changes the time. Like `make` and `rsync`, this trusts that modification times
//! move forward: a tool that writes other bytes and then sets the old time back defeats it.

use std::fs::Metadata;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::front_matter::FrontMatter;

/// How long before a build a file must have been modified for its stamp to be recorded.
const SETTLED: Duration = Duration::from_secs(2);

/// What the last build knew of each article file, by path under `content/`: the build cache's
/// articles (`crate::cache::CachedArticles`).
pub trait KnownFiles {
    /// Takes out what is known of the file at `path`, if anything.
    fn take(&mut self, path: &Path) -> Option<KnownFile>;
    /// Puts back what [`KnownFiles::take`] gave for `path`, when the file is no longer what it
    /// describes.
    fn give_back(&mut self, path: &Path, file: KnownFile);
}

/// What the last build knew of one article file; the build that writes it borrows the front
/// matter from the article (`KnownFile<&FrontMatter>`), and the next reads it back owned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "F: Deserialize<'de>, S: From<String>"))]
pub struct KnownFile<F = FrontMatter, S = String> {
    /// The hash of the whole file.
    pub hash: u64,
    /// Its size and modification time, if they were settled when it was read.
    pub stamp: Option<Stamp>,
    /// Its front matter, parsed (only files parsed without a warning are kept).
    pub front_matter: F,
    /// The 1-based line where the body starts.
    pub body_line: u32,
    /// The byte offset where the body starts.
    pub body_at: usize,
    /// The article's slug before collisions, and whether the front matter chose it (see
    /// `Article::base_slug`).
    #[serde(deserialize_with = "base_slug")]
    pub base_slug: Option<(S, bool)>,
}

/// [`KnownFile::base_slug`], its text read by `crate::file::text`.
fn base_slug<'de, D, S>(deserializer: D) -> Result<Option<(S, bool)>, D::Error>
where
    D: serde::Deserializer<'de>,
    S: From<String>,
{
    #[derive(Deserialize)]
    struct Slug(#[serde(deserialize_with = "crate::file::text::string")] String, bool);
    let slug = Option::<Slug>::deserialize(deserializer)?;
    Ok(slug.map(|Slug(slug, chosen)| (S::from(slug), chosen)))
}

/// A file's size and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    seconds: u64,
    nanos: u32,
}

impl Stamp {
    /// The stamp of a file with `meta`, if its modification time can be read.
    pub(super) fn of(meta: &Metadata) -> Option<Stamp> {
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Stamp {
            size: meta.len(),
            seconds: modified.as_secs(),
            nanos: modified.subsec_nanos(),
        })
    }

    /// The stamp, if the file was modified at least [`SETTLED`] before `scan`.
    pub(super) fn settled(self, scan: SystemTime) -> Option<Stamp> {
        let modified = UNIX_EPOCH + Duration::new(self.seconds, self.nanos);
        (modified + SETTLED <= scan).then_some(self)
    }
}
