//! How the converted Markdown is read back: with the extensions midad reads it with.

use pulldown_cmark::Options;

/// The Markdown extensions midad turns on (`markdown::parser_options`, without smart
/// punctuation, which changes no structure).
pub(super) const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);
