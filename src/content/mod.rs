//! The site's content as typed data: sections and articles, with their URLs.
//!
//! [`load`] walks `content/`, parses every file's front matter in parallel and returns a
//! [`Library`] together with every error and warning it found (it does not stop at the first bad
//! file). The library knows nothing of Markdown rendering or templates; those steps read it.

pub mod front_matter;
mod known;
mod library;
mod load;
mod url;

pub use front_matter::{DateInput, Focus, FrontMatter, parse_date};
pub(crate) use front_matter::{yaml_location, yaml_message, yaml_syntax_hint};
pub use known::{KnownFile, KnownFiles, Stamp};
pub use library::{Article, ArticleId, Library, Section, SectionId};
pub(crate) use load::is_ignored as is_ignored_name;
pub use load::{LoadOptions, Loaded, ParsedFile, load, read_and_parse};
pub(crate) use url::MAX_SLUG_CHARS;
pub use url::{assign_urls, encode_path, resolve_segments};
