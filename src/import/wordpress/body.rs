//! A WordPress post's content (HTML with `wpautop` paragraphs and shortcodes) to Markdown.
//!
//! WordPress stores a post as it was typed: paragraphs are text between blank lines, without
//! `<p>`, mixed with block HTML, Gutenberg's `<!-- wp:… -->` comments and shortcodes, and it
//! makes the page at every view (`do_shortcode`, `wpautop`). [`convert`] does the same once and
//! keeps the result as Markdown where Markdown says the same thing:
//!
//! 1. `tag::strip_comments`: comments go, Gutenberg's among them;
//! 2. `shortcode::scan`: `[embed]`, `[video]`, `[audio]`, `[caption]`, `[gallery]` and addresses
//!    alone on their line become blocks of their own (`Insert`), left in the text as
//!    placeholders; other shortcodes stay text, with a note;
//! 3. `autop::autop`: WordPress's paragraphs and line breaks, as `wpautop` makes them;
//! 4. `block`: html5ever's tree of that, each top-level block written as Markdown (htmd) if the
//!    Markdown renders back to the same content (pulldown-cmark, midad's extensions), else kept
//!    as the HTML it was (a valid CommonMark HTML block), with addresses of uploads rewritten.
//!    Gutenberg's image and embed blocks and pasted embed codes (`embed_code`) are recognised
//!    whole: a `figure` call, an address midad embeds. Every `<script>` goes, and every
//!    `<iframe>` becomes the address it shows or a link, so nothing loads before the reader
//!    asks.
//!
//! Nothing in the output is a midad shortcode call unless this module wrote it: braces that
//! would open one (`{{`, `{%`) are written as character references. The private-use characters
//! midad's shortcode scan uses are dropped from the input.
//!
//! This module reads no files and knows nothing of the export around the post: where media
//! went is the caller's ([`MediaLinks`]).

mod autop;
mod block;
mod braces;
mod cmark;
mod dom;
mod embed_code;
mod media;
mod shape;
mod shortcode;
mod tag;

#[cfg(test)]
mod tests;

/// Where the media of the old site live now.
pub trait MediaLinks {
    /// The address an uploaded file's URL takes in the new site (e.g.
    /// `https://old.example/wp-content/uploads/2024/03/a.jpg` → `/uploads/2024/03/a.jpg`), or
    /// None to keep the URL as it is.
    ///
    /// For an image whose name ends in `-WIDTHxHEIGHT` (WordPress's resized copy) the original
    /// is asked first (`photo-1024x683.jpg` → `photo.jpg`), then the name as written: answer None
    /// for a file the import does not have, or an upload really named `banner-728x90.png` points
    /// at a `banner.png` that isn't there.
    fn rewrite(&self, url: &str) -> Option<String>;
    /// The URL (as in the export, before rewrite) and caption of attachment `id`, for
    /// `[gallery ids="…"]`.
    fn attachment(&self, id: u64) -> Option<(String, Option<String>)>;
}

/// A post's content as Markdown, and what to check in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    /// The Markdown body: blocks separated by one blank line, ending with one newline (empty
    /// for an empty post).
    pub markdown: String,
    /// Top-level blocks kept as raw HTML because their Markdown did not render back to the same
    /// content.
    pub raw_blocks: usize,
    /// Things a person should look at, one line each, e.g. "unknown shortcode [contact-form-7]
    /// kept as text".
    pub notes: Vec<String>,
}

/// Converts one post's `content:encoded` to the Markdown body of an article.
///
/// Never fails and never panics: content that can't be read as HTML is kept as HTML.
pub fn convert(content: &str, media: &dyn MediaLinks) -> Converted {
    let content = clean(content);
    let html = dom::Html::new();
    let scanned = shortcode::scan(&content, media, &html);
    let paragraphs = autop::autop(&scanned.text);
    let mut writer = block::Writer::new(&html, media, &scanned.inserts);
    let blocks = writer.write(&paragraphs);
    let mut notes = scanned.notes;
    for note in writer.notes {
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    let mut markdown = blocks.join("\n\n");
    // Every placeholder is written by now; none may reach midad, whose scan uses the same
    // characters.
    markdown.retain(|c| c != shortcode::START && c != shortcode::END);
    if !markdown.is_empty() {
        markdown.push('\n');
    }
    Converted { markdown, raw_blocks: writer.raw_blocks, notes }
}

/// The content with Unix line ends, no comments, and none of the private-use characters that
/// midad's shortcode scan (and this module's placeholders) use.
fn clean(content: &str) -> String {
    let content = content.replace("\r\n", "\n").replace('\r', "\n");
    let content = content.replace([shortcode::START, shortcode::END], "");
    tag::strip_comments(&content)
}
