//! The addresses a body points at, with where each is written: what `midad build` and
//! `midad check` look for among the site's pages and files (`crate::links`).
//!
//! [`Recorder`] sits first in the chain of passes, on pulldown-cmark's offset iterator: it notes
//! the destination of every link and image, and the `href` and `src` attributes of raw HTML,
//! and hands the events on unchanged. Positions are lines and columns of the body; the caller
//! adds the line the body starts at in its file.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Tag};
use serde::{Deserialize, Serialize};

use super::position::{Cursor, OffsetMap};

/// Whether an address is followed (a link) or shown (an image).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReferenceKind {
    /// `[text](url)`, `<url>`, or an `href` in raw HTML.
    Link,
    /// `![alt](url)`, or a `src` in raw HTML.
    Image,
}

/// One address a body points at, as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Link or image.
    pub kind: ReferenceKind,
    /// The address as Markdown reads it (escapes resolved, no angle brackets).
    pub url: String,
    /// 1-based line of the body where the address is written.
    pub line: u32,
    /// 1-based column, in characters, of the address (of the link's start when the address is
    /// elsewhere, as for a reference-style link).
    pub column: u32,
}

/// The pass: passes every event on and records what it points at in `found`.
pub(super) struct Recorder<'a, 'r, I> {
    events: I,
    src: &'a str,
    found: &'r mut Vec<Reference>,
    /// The last position turned into a line and column: offsets mostly grow, so each is
    /// counted from the one before.
    cursor: Cursor,
    /// The body as written, when `src` is it with its shortcode calls cut out, and how to go
    /// from one to the other.
    written: Option<(&'a str, &'r OffsetMap)>,
}

impl<'a, 'r, I> Recorder<'a, 'r, I> {
    pub(super) fn new(events: I, src: &'a str, found: &'r mut Vec<Reference>) -> Self {
        Recorder { events, src, found, cursor: Cursor::default(), written: None }
    }

    /// Positions in `src` are taken back to `written` through `map`.
    pub(super) fn with_map(mut self, written: &'a str, map: &'r OffsetMap) -> Self {
        self.written = Some((written, map));
        self
    }

    fn record(&mut self, kind: ReferenceKind, url: &str, offset: usize) {
        let (line, column) = match self.written {
            Some((written, map)) => self.cursor.advance(written, map.written(offset)),
            None => self.cursor.advance(self.src, offset),
        };
        self.found.push(Reference { kind, url: url.to_string(), line, column });
    }

    /// The position of `url` inside the event's source: after the text of the link, where
    /// `[text](url)` writes it, or the start of the link when it is not there.
    fn url_offset(&self, url: &str, range: &Range<usize>) -> usize {
        let written = self.src.get(range.clone()).unwrap_or("");
        if url.is_empty() {
            return range.start;
        }
        written.rfind(url).map_or(range.start, |at| range.start + at)
    }

    /// The `href` and `src` attributes of a piece of raw HTML.
    fn record_html(&mut self, html: &str, range: &Range<usize>) {
        if !html.contains("href") && !html.contains("src") {
            return;
        }
        for attribute in html_attributes(html) {
            let offset = self.url_offset(attribute.value, range);
            self.record(
                attribute.kind,
                &super::escape::unescape_attribute(attribute.value),
                offset,
            );
        }
    }
}

impl<'a, I: Iterator<Item = (Event<'a>, Range<usize>)>> Iterator for Recorder<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let (event, range) = self.events.next()?;
        match &event {
            Event::Start(Tag::Link { link_type, dest_url, .. })
                if !matches!(link_type, LinkType::Email) =>
            {
                let offset = self.url_offset(dest_url, &range);
                self.record(ReferenceKind::Link, dest_url, offset);
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let offset = self.url_offset(dest_url, &range);
                self.record(ReferenceKind::Image, dest_url, offset);
            }
            Event::Html(html) | Event::InlineHtml(html) => self.record_html(html, &range),
            _ => {}
        }
        Some(event)
    }
}

/// An address attribute of a raw HTML tag.
struct Attribute<'h> {
    kind: ReferenceKind,
    value: &'h str,
}

/// The `href` and `src` attributes in `html`, which may hold several tags or part of one.
/// `src` is an image on `<img>` and `<source>` and a link elsewhere (`<iframe>`, `<script>`).
fn html_attributes(html: &str) -> Vec<Attribute<'_>> {
    let mut found = Vec::new();
    let mut tag = "";
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let name_end = html[i + 1..]
                .find(|c: char| !c.is_ascii_alphanumeric())
                .map_or(html.len(), |n| i + 1 + n);
            tag = &html[i + 1..name_end];
            i = name_end.max(i + 1);
            continue;
        }
        let preceded = i > 0 && bytes[i - 1].is_ascii_whitespace();
        // Compared as bytes: `i` steps through the bytes of letters of any script, and a match
        // starts at an ASCII byte, where `html` may be cut.
        let rest = &bytes[i..];
        let name = ["href=", "src="].into_iter().find(|name| {
            rest.get(..name.len()).is_some_and(|s| s.eq_ignore_ascii_case(name.as_bytes()))
        });
        let Some(name) = name.filter(|_| preceded) else {
            i += 1;
            continue;
        };
        let after = &html[i + name.len()..];
        let value = match after.chars().next() {
            Some(quote @ ('"' | '\'')) => after[1..].split(quote).next().unwrap_or(""),
            _ => after.split(|c: char| c.is_ascii_whitespace() || c == '>').next().unwrap_or(""),
        };
        let image = name == "src=" && ["img", "source"].iter().any(|t| t.eq_ignore_ascii_case(tag));
        let kind = if image { ReferenceKind::Image } else { ReferenceKind::Link };
        if !value.is_empty() {
            found.push(Attribute { kind, value });
        }
        i += name.len() + value.len();
    }
    found
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    use super::*;

    fn references(src: &str) -> Vec<(ReferenceKind, String, u32, u32)> {
        let mut found = Vec::new();
        let parser = Parser::new_ext(src, Options::ENABLE_FOOTNOTES).into_offset_iter();
        Recorder::new(parser, src, &mut found).for_each(drop);
        found.into_iter().map(|r| (r.kind, r.url, r.line, r.column)).collect()
    }

    use ReferenceKind::{Image, Link};

    #[test]
    fn links_and_images_with_the_column_of_their_address() {
        let src = "مقدمة الخبر.\n\nانظر [التفاصيل](/سياسة/خبر/) و![صورة](صورة.jpg \"تعليق\").\n\n\
                   <https://example.com/a>\n";
        assert_eq!(
            references(src),
            vec![
                (Link, "/سياسة/خبر/".to_string(), 3, 17),
                (Image, "صورة.jpg".to_string(), 3, 39),
                (Link, "https://example.com/a".to_string(), 5, 2),
            ]
        );
    }

    #[test]
    fn reference_style_links_point_at_the_link_and_email_is_not_an_address() {
        let src = "نص\n\nاقرأ [التقرير][تقرير] أو راسلنا <news@example.com>.\n\n\
                   [تقرير]: /تقارير/2026/\n";
        assert_eq!(references(src), vec![(Link, "/تقارير/2026/".to_string(), 3, 6)]);
    }

    #[test]
    fn raw_html_attributes() {
        let src = "<figure><img src=\"/img/a.jpg\" alt=\"\"><figcaption><a href='/x/?a=1&amp;b=2'>\
                   x</a></figcaption></figure>\n\nنص <a href=/y/>y</a>\n\n\
                   <iframe src=\"https://www.youtube-nocookie.com/embed/x\"></iframe>\n";
        assert_eq!(
            references(src),
            vec![
                (Image, "/img/a.jpg".to_string(), 1, 19),
                (Link, "/x/?a=1&b=2".to_string(), 1, 59),
                (Link, "/y/".to_string(), 3, 12),
                (Link, "https://www.youtube-nocookie.com/embed/x".to_string(), 5, 14),
            ]
        );
        // `data-src` and `srcset` are not addresses the check follows.
        assert_eq!(references("<img data-src=\"a.jpg\" srcset=\"b.jpg 2x\">\n"), vec![]);
    }

    /// Found by the `markdown` fuzz target: the scan stepped into a letter's bytes and cut the
    /// text there, so an HTML block with Arabic text in it stopped the build.
    #[test]
    fn html_blocks_with_arabic_text() {
        let src =
            "<div class=\"box\">\nنص عربي <a href=\"/س/\">رابط</a>\n</div>\n\n<!--}ن[]h\"-->\n";
        assert_eq!(references(src), vec![(Link, "/س/".to_string(), 2, 18)]);
    }

    #[test]
    fn code_is_not_read_for_addresses() {
        let src = "`[a](/b/)`\n\n```html\n<a href=\"/c/\">c</a>\n```\n\n    <img src=\"/d.png\">\n";
        assert_eq!(references(src), vec![]);
    }

    #[test]
    fn positions_after_earlier_lines_and_crlf() {
        let src = "سطر أول\r\n\r\n[أ](/a/)\r\n\r\n- [ب](/b/)\r\n";
        assert_eq!(
            references(src),
            vec![(Link, "/a/".to_string(), 3, 5), (Link, "/b/".to_string(), 5, 7)]
        );
    }
}
