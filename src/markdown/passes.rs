//! The small event passes of the Markdown chain: heading ids, plain text, links and tables.
//!
//! Each pass is an iterator adapter over pulldown-cmark events with its own tests, so the chain
//! in `render` reads as a list of steps instead of one long loop. A pass that collects something
//! for `Rendered` (the text and summary) writes into a `&mut` the caller owns. None of them parses HTML: raw HTML events pass through. The bigger passes (block
//! direction, images, code) have their own files.

use std::collections::{HashSet, VecDeque};

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::escape;
use crate::arabic::slug::{SlugStyle, slugify};

/// Gives every heading an id, the anchor of `#id` links.
///
/// The id is the slug of the heading's text, Arabic kept («الموازنة الجديدة» →
/// `الموازنة-الجديدة`), with `-2`, `-3` … on repeats and `heading-N` when the slug is empty (a
/// heading of punctuation only). An explicit `{#id}` wins as written, and reserves its id so a
/// later heading doesn't take it.
pub(super) struct HeadingIds<'a, I> {
    events: I,
    style: SlugStyle,
    /// Headings seen so far.
    count: usize,
    /// Ids given so far. A second copy of each id, kept for constant-time collision checks.
    used: HashSet<String>,
    /// The rest of the heading whose start tag was just returned.
    buf: VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> HeadingIds<'a, I> {
    pub(super) fn new(events: I, style: SlugStyle) -> Self {
        HeadingIds { events, style, count: 0, used: HashSet::new(), buf: VecDeque::new() }
    }

    /// Buffers the heading's events up to its end tag and returns its plain text.
    fn buffer_heading(&mut self) -> String {
        let mut text = String::new();
        for event in self.events.by_ref() {
            match &event {
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                Event::SoftBreak | Event::HardBreak => text.push(' '),
                _ => {}
            }
            let end = matches!(event, Event::End(TagEnd::Heading(_)));
            self.buf.push_back(event);
            if end {
                break;
            }
        }
        let trimmed = text.trim();
        if trimmed.len() == text.len() { text } else { trimmed.to_owned() }
    }

    fn auto_id(&self, text: &str) -> String {
        let mut id = slugify(text, self.style);
        if id.is_empty() {
            id = format!("heading-{}", self.count + 1);
        }
        if !self.used.contains(&id) {
            return id;
        }
        let mut n: usize = 2;
        loop {
            let candidate = format!("{id}-{n}");
            if !self.used.contains(&candidate) {
                return candidate;
            }
            n += 1;
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for HeadingIds<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.buf.pop_front() {
            return Some(event);
        }
        match self.events.next()? {
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                let text = self.buffer_heading();
                let id = match id {
                    Some(explicit) => explicit,
                    None => CowStr::from(self.auto_id(&text)),
                };
                self.used.insert(id.to_string());
                self.count += 1;
                Some(Event::Start(Tag::Heading { level, id: Some(id), classes, attrs }))
            }
            event => Some(event),
        }
    }
}

/// Collects the plain text of the document and of its first paragraph, passing every event on.
///
/// Text of code blocks and image alt text is left out (it isn't read as prose, and it would throw
/// off word counts); blocks, line breaks and table cells are separated by one space. The summary
/// is the first paragraph with any text, which is usually the lead.
pub(super) struct PlainText<'r, I> {
    events: I,
    text: &'r mut String,
    summary: &'r mut String,
    /// How deep we are inside code blocks and images.
    hidden: usize,
    /// Whether the next text starts a new block or line and needs a space first.
    gap: bool,
    /// Where the text of the current paragraph starts, while we still look for the summary.
    paragraph: Option<usize>,
}

impl<'r, I> PlainText<'r, I> {
    pub(super) fn new(events: I, text: &'r mut String, summary: &'r mut String) -> Self {
        PlainText { events, text, summary, hidden: 0, gap: false, paragraph: None }
    }

    fn push(&mut self, s: &str) {
        if self.gap && !self.text.is_empty() && !self.text.ends_with(char::is_whitespace) {
            self.text.push(' ');
        }
        self.gap = false;
        self.text.push_str(s);
    }

    fn observe(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(t) | Event::Code(t) if self.hidden == 0 => self.push(t),
            Event::Start(Tag::Paragraph) => {
                self.gap = true;
                if self.summary.is_empty() && self.hidden == 0 {
                    self.paragraph = Some(self.text.len());
                }
            }
            Event::End(TagEnd::Paragraph) => {
                self.gap = true;
                if let Some(start) = self.paragraph.take() {
                    self.summary.push_str(self.text[start..].trim());
                }
            }
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. } | Tag::MetadataBlock(_)) => {
                self.hidden += 1;
            }
            Event::End(TagEnd::CodeBlock | TagEnd::Image | TagEnd::MetadataBlock(_)) => {
                self.hidden = self.hidden.saturating_sub(1);
            }
            Event::Start(tag) if !is_inline(tag) => self.gap = true,
            Event::End(end) if !is_inline_end(end) => self.gap = true,
            Event::SoftBreak | Event::HardBreak | Event::Rule | Event::Html(_) => self.gap = true,
            _ => {}
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for PlainText<'_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let event = self.events.next()?;
        self.observe(&event);
        Some(event)
    }
}

fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

/// Marks external links.
///
/// An external link is any absolute `http(s)` URL (or protocol-relative `//host`): the site's own
/// host isn't known here, and absolute links to it are rare in articles. It gets
/// `rel="noopener"`, and `target="_blank"` when the site asks for new tabs.
pub(super) struct Links<I> {
    events: I,
    new_tab: bool,
}

impl<I> Links<I> {
    pub(super) fn new(events: I, new_tab: bool) -> Self {
        Links { events, new_tab }
    }

    fn external_anchor(&self, href: &str, title: &str) -> String {
        let mut html = String::with_capacity(href.len() + title.len() + 48);
        html.push_str("<a href=\"");
        escape::href(&mut html, href);
        if !title.is_empty() {
            html.push_str("\" title=\"");
            escape::attr(&mut html, title);
        }
        html.push_str("\" rel=\"noopener\"");
        if self.new_tab {
            html.push_str(" target=\"_blank\"");
        }
        html.push('>');
        html
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Links<I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        match self.events.next()? {
            Event::Start(Tag::Link { link_type, dest_url, title, .. })
                if !matches!(link_type, LinkType::Email) && is_external(&dest_url) =>
            {
                Some(Event::InlineHtml(self.external_anchor(&dest_url, &title).into()))
            }
            event => Some(event),
        }
    }
}

/// Whether `url` is an absolute `http:` or `https:` URL, or protocol-relative.
fn is_external(url: &str) -> bool {
    let starts =
        |prefix: &str| url.get(..prefix.len()).is_some_and(|s| s.eq_ignore_ascii_case(prefix));
    starts("http://") || starts("https://") || starts("//")
}

/// Wraps every table in `<div class="table-wrap" tabindex="0">`, which the theme makes scroll
/// sideways on phones instead of letting a wide table widen the page; `tabindex` lets keyboard
/// users scroll it too (axe-core: scrollable-region-focusable).
pub(super) struct TableWrap<'a, I> {
    events: I,
    pending: Option<Event<'a>>,
}

impl<'a, I> TableWrap<'a, I> {
    pub(super) fn new(events: I) -> Self {
        TableWrap { events, pending: None }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for TableWrap<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.pending.take() {
            return Some(event);
        }
        match self.events.next()? {
            event @ Event::Start(Tag::Table(_)) => {
                self.pending = Some(event);
                Some(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\" tabindex=\"0\">")))
            }
            event @ Event::End(TagEnd::Table) => {
                self.pending = Some(Event::Html(CowStr::Borrowed("</div>\n")));
                Some(event)
            }
            event => Some(event),
        }
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Parser, html::push_html};

    use super::*;
    use crate::markdown::parser_options;

    #[derive(Default)]
    struct Out {
        html: String,
        text: String,
        summary: String,
    }

    /// Runs the passes of this file, in the order `render` chains them.
    fn run(md: &str, new_tab: bool) -> Out {
        let mut out = Out::default();
        let events = Parser::new_ext(md, parser_options(false));
        let events = HeadingIds::new(events, SlugStyle::Arabic);
        let events = PlainText::new(events, &mut out.text, &mut out.summary);
        let events = Links::new(events, new_tab);
        let events = TableWrap::new(events);
        push_html(&mut out.html, events);
        out
    }

    #[track_caller]
    fn check(md: &str, expect: &str) {
        let html = run(md, true).html;
        assert!(html.contains(expect), "expected\n{expect}\nin\n{html}");
    }

    #[track_caller]
    fn check_ids(md: &str, expect: &[&str]) {
        let html = run(md, false).html;
        let ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split_once('"').map(|(id, _)| id))
            .collect();
        assert_eq!(ids, expect, "{html}");
    }

    #[test]
    fn heading_ids() {
        check("## الموازنة الجديدة\n", "<h2 id=\"الموازنة-الجديدة\">الموازنة الجديدة</h2>");
        check_ids("## الموازنة الجديدة\n", &["الموازنة-الجديدة"]);
        check_ids("## خلفية\n## خلفية\n### خلفية\n", &["خلفية", "خلفية-2", "خلفية-3"]);
        check_ids("## مقدمة {#intro}\n## Intro\n", &["intro", "intro-2"]);
        check_ids("## «»\n## ؟\n", &["heading-1", "heading-2"]);
        check_ids("## تثبيت `cargo`\n", &["تثبيت-cargo"]);
        check_ids("Setext عنوان\n============\n", &["setext-عنوان"]);
    }

    #[test]
    fn plain_text_and_summary() {
        let md = "\
## العنوان

![صورة](/a.png)

أعلنت شركة **Apple** عن
هاتف جديد.

```rust
fn main() {}
```

- أولاً
- ثانياً `x`

| أ | ب |
|---|---|
| 1 | 2 |
";
        let out = run(md, false);
        assert_eq!(out.summary, "أعلنت شركة Apple عن هاتف جديد.");
        assert_eq!(out.text, "العنوان أعلنت شركة Apple عن هاتف جديد. أولاً ثانياً x أ ب 1 2");
        assert_eq!(run("", false).summary, "");
        assert_eq!(run("> اقتباس\n\nفقرة", false).summary, "اقتباس");
    }

    #[test]
    fn links() {
        check(
            "[الخبر](https://example.com/a?b=1&c=2 \"عنوان\")",
            "<a href=\"https://example.com/a?b=1&amp;c=2\" title=\"عنوان\" rel=\"noopener\" target=\"_blank\">الخبر</a>",
        );
        check("[محلي](/politics/x/)", "<a href=\"/politics/x/\">محلي</a>");
        check(
            "<HTTP://EXAMPLE.COM>",
            "<a href=\"HTTP://EXAMPLE.COM\" rel=\"noopener\" target=\"_blank\">",
        );
        let html =
            run("[a](https://x.org) [b](/سياسة/) ![c](img.png) <me@x.org> [d](#top)", false).html;
        assert!(html.contains("<a href=\"https://x.org\" rel=\"noopener\">a</a>"), "{html}");
        assert!(html.contains("<a href=\"mailto:me@x.org\">me@x.org</a>"), "{html}");
        assert!(html.contains("<a href=\"#top\">d</a>"), "{html}");
    }

    #[test]
    fn tables_scroll() {
        check(
            "| أ | ب |\n|---|---|\n| 1 | 2 |\n",
            "<div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th>أ</th><th>ب</th></tr></thead><tbody>\n<tr><td>1</td><td>2</td></tr>\n</tbody></table>\n</div>\n",
        );
    }

    #[test]
    fn external() {
        assert!(is_external("https://example.com"));
        assert!(is_external("//cdn.example.com/x.js"));
        assert!(!is_external("/a/b"));
        assert!(!is_external("mailto:x@y"));
        assert!(!is_external("http"));
        assert!(!is_external("ftp://x"));
    }
}
