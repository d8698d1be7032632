//! Images: lazy-loaded `<img>`, and a `<figure>` with its caption for a captioned photo.
//!
//! News articles put photos on their own line with a caption, so `![alt](src "caption")` alone in
//! a paragraph becomes `<figure><img …><figcaption>caption</figcaption></figure>` in place of the
//! paragraph (a figure inside a `<p>` is invalid HTML). Every other image stays an inline
//! `<img>` with its alt text, its title if any, and `loading="lazy"`. A caption running against
//! the page's direction (an English caption in an Arabic page) gets a `dir` of its own, by the
//! same rule as other blocks. Images aren't resized or measured here: that needs the files.

use std::collections::VecDeque;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::direction::Letters;
use super::escape;
use crate::arabic::direction::Direction;

/// The pass: rewrites image events into `<img>` and `<figure>` markup.
pub(super) struct Images<'a, I> {
    events: I,
    page: Direction,
    /// Events read ahead to see whether a paragraph holds a lone captioned image.
    queue: VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Images<'a, I> {
    pub(super) fn new(events: I, page: Direction) -> Self {
        Images { events, page, queue: VecDeque::new() }
    }

    /// Handles the events after a paragraph's start tag: the whole paragraph when it is a lone
    /// captioned image, else the start tag again with what was read ahead queued.
    ///
    /// The queue is empty here (a paragraph never starts inside one), so whatever follows the
    /// queued events, such as an image's alt text, is still in `events`.
    fn paragraph(&mut self) -> Event<'a> {
        match self.events.next() {
            Some(Event::Start(Tag::Image { dest_url, title, .. })) if !title.is_empty() => {
                let alt = self.alt_text();
                match self.events.next() {
                    Some(Event::End(TagEnd::Paragraph)) => {
                        return Event::Html(self.figure(&dest_url, &alt, &title).into());
                    }
                    next => {
                        self.queue
                            .push_back(Event::InlineHtml(img(&dest_url, &alt, &title).into()));
                        self.queue.extend(next);
                    }
                }
            }
            next => self.queue.extend(next),
        }
        Event::Start(Tag::Paragraph)
    }

    /// Consumes an image's alt events up to its end tag and returns them as plain text.
    fn alt_text(&mut self) -> String {
        let mut alt = String::new();
        let mut depth = 0usize;
        for event in self.events.by_ref() {
            match event {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        alt
    }

    fn figure(&self, src: &str, alt: &str, caption: &str) -> String {
        let mut html = String::with_capacity(src.len() + alt.len() + caption.len() + 96);
        html.push_str("<figure>");
        html.push_str(&img(src, alt, ""));
        html.push_str("<figcaption");
        if let Some(dir) = Letters::of(caption, self.page).declared(self.page) {
            html.push_str(" dir=\"");
            html.push_str(dir.as_str());
            html.push('"');
        }
        html.push('>');
        escape::text(&mut html, caption);
        html.push_str("</figcaption></figure>\n");
        html
    }
}

/// An inline `<img>`; `title` is left out when empty.
fn img(src: &str, alt: &str, title: &str) -> String {
    let mut html = String::with_capacity(src.len() + alt.len() + title.len() + 48);
    html.push_str("<img src=\"");
    escape::href(&mut html, src);
    html.push_str("\" alt=\"");
    escape::attr(&mut html, alt);
    if !title.is_empty() {
        html.push_str("\" title=\"");
        escape::attr(&mut html, title);
    }
    html.push_str("\" loading=\"lazy\">");
    html
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Images<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        let event = match self.queue.pop_front() {
            Some(event) => event,
            None => self.events.next()?,
        };
        match event {
            Event::Start(Tag::Paragraph) => Some(self.paragraph()),
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let alt = self.alt_text();
                Some(Event::InlineHtml(img(&dest_url, &alt, &title).into()))
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

    #[track_caller]
    fn check(md: &str, expect: &str) {
        let mut html = String::new();
        push_html(
            &mut html,
            Images::new(Parser::new_ext(md, parser_options(false)), Direction::Rtl),
        );
        assert!(html.contains(expect), "expected\n{expect}\nin\n{html}");
    }

    #[test]
    fn captioned_image_alone_is_a_figure() {
        check(
            "![مبنى الوزارة](/img/m.jpg \"مقر وزارة المالية في القاهرة\")",
            "<figure><img src=\"/img/m.jpg\" alt=\"مبنى الوزارة\" loading=\"lazy\"><figcaption>مقر وزارة المالية في القاهرة</figcaption></figure>\n",
        );
        check(
            "قبل\n\n![a](b.png \"The new Apple campus\")\n\nبعد",
            "<p>قبل</p>\n<figure><img src=\"b.png\" alt=\"a\" loading=\"lazy\"><figcaption dir=\"ltr\">The new Apple campus</figcaption></figure>\n<p>بعد</p>",
        );
    }

    #[test]
    fn other_images_stay_inline() {
        check("![شعار](logo.svg)", "<p><img src=\"logo.svg\" alt=\"شعار\" loading=\"lazy\"></p>");
        check(
            "انظر ![رسم](a.svg \"رسم بياني\") هنا",
            "<p>انظر <img src=\"a.svg\" alt=\"رسم\" title=\"رسم بياني\" loading=\"lazy\"> هنا</p>",
        );
        check(
            "![a](a.png \"x\") ![b](b.png)",
            "<p><img src=\"a.png\" alt=\"a\" title=\"x\" loading=\"lazy\"> <img src=\"b.png\" alt=\"b\" loading=\"lazy\"></p>",
        );
        check(
            "![a](a.png \"x\")\n![b](b.png)",
            "<img src=\"b.png\" alt=\"b\" loading=\"lazy\"></p>",
        );
        check(
            "- ![a](a.png \"x\")",
            "<li><img src=\"a.png\" alt=\"a\" title=\"x\" loading=\"lazy\"></li>",
        );
    }

    #[test]
    fn attributes_are_escaped() {
        check(
            "![\"q\" *em* `c`](x\\\"y.png \"a<b & 'c'\")",
            "<img src=\"x%22y.png\" alt=\"&quot;q&quot; em c\" loading=\"lazy\"><figcaption dir=\"ltr\">a&lt;b &amp; 'c'</figcaption>",
        );
        check("![a ![b](c.png) d](e.png)", "<img src=\"e.png\" alt=\"a b d\" loading=\"lazy\">");
    }
}
