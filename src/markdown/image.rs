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

/// What the Markdown step knows of the site's photos: how one is shipped.
pub trait ImageLookup: Sync {
    /// The `<picture>` data of the image at `src` (as the article writes it), or `None` to
    /// write a plain `<img>` (an external image, or one the site doesn't have).
    fn picture(&self, src: &str) -> Option<ImageMarkup>;
}

/// A photo as the Markdown step writes it: `<picture>` with a `<source>` per better format and
/// the fallback `<img>` with its size (so the page doesn't shift as it loads).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageMarkup {
    /// The fallback's URL.
    pub src: String,
    /// Its width.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// The fallback's widths (`url 400w, …`); empty for an SVG or GIF.
    pub srcset: String,
    /// How wide the page shows it (the `sizes` attribute).
    pub sizes: String,
    /// The better formats: media type and widths.
    pub sources: Vec<(&'static str, String)>,
}

/// No photos: every image a plain `<img>`.
pub struct NoImages;

impl ImageLookup for NoImages {
    fn picture(&self, _src: &str) -> Option<ImageMarkup> {
        None
    }
}

/// The pass: rewrites image events into `<img>`, `<picture>` and `<figure>` markup.
pub(super) struct Images<'a, 'l, I> {
    events: I,
    page: Direction,
    /// Events read ahead to see whether a paragraph holds a lone captioned image.
    queue: VecDeque<Event<'a>>,
    lookup: &'l dyn ImageLookup,
    /// Every image's address, in order.
    seen: &'l mut Vec<String>,
}

impl<'a, 'l, I: Iterator<Item = Event<'a>>> Images<'a, 'l, I> {
    pub(super) fn new(
        events: I,
        page: Direction,
        lookup: &'l dyn ImageLookup,
        seen: &'l mut Vec<String>,
    ) -> Self {
        Images { events, page, queue: VecDeque::new(), lookup, seen }
    }

    /// The markup of one image.
    fn img(&mut self, src: &str, alt: &str, title: &str) -> String {
        self.seen.push(src.to_string());
        match self.lookup.picture(src) {
            Some(picture) => picture_html(&picture, alt, title),
            None => img(src, alt, title),
        }
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
                        let html = self.img(&dest_url, &alt, &title);
                        self.queue.push_back(Event::InlineHtml(html.into()));
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

    fn figure(&mut self, src: &str, alt: &str, caption: &str) -> String {
        let mut html = String::with_capacity(src.len() + alt.len() + caption.len() + 96);
        html.push_str("<figure>");
        html.push_str(&self.img(src, alt, ""));
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

/// A photo the site ships in several sizes: `<picture>`, or a sized `<img>` for an SVG or GIF.
fn picture_html(picture: &ImageMarkup, alt: &str, title: &str) -> String {
    let mut html = String::with_capacity(picture.srcset.len() * 3 + alt.len() + 160);
    let responsive = !picture.srcset.is_empty();
    if responsive {
        html.push_str("<picture>");
        for (mime, srcset) in &picture.sources {
            html.push_str("<source type=\"");
            html.push_str(mime);
            html.push_str("\" srcset=\"");
            escape::attr(&mut html, srcset);
            html.push_str("\" sizes=\"");
            escape::attr(&mut html, &picture.sizes);
            html.push_str("\">");
        }
    }
    html.push_str("<img src=\"");
    escape::attr(&mut html, &picture.src);
    if responsive {
        html.push_str("\" srcset=\"");
        escape::attr(&mut html, &picture.srcset);
        html.push_str("\" sizes=\"");
        escape::attr(&mut html, &picture.sizes);
    }
    html.push_str(&format!("\" width=\"{}\" height=\"{}\" alt=\"", picture.width, picture.height));
    escape::attr(&mut html, alt);
    if !title.is_empty() {
        html.push_str("\" title=\"");
        escape::attr(&mut html, title);
    }
    html.push_str("\" loading=\"lazy\" decoding=\"async\">");
    if responsive {
        html.push_str("</picture>");
    }
    html
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Images<'a, '_, I> {
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
                Some(Event::InlineHtml(self.img(&dest_url, &alt, &title).into()))
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
        check_with(md, &NoImages, expect);
    }

    #[track_caller]
    fn check_with(md: &str, lookup: &dyn ImageLookup, expect: &str) {
        let mut html = String::new();
        let mut seen = Vec::new();
        let events = Parser::new_ext(md, parser_options(false));
        push_html(&mut html, Images::new(events, Direction::Rtl, lookup, &mut seen));
        assert!(html.contains(expect), "expected\n{expect}\nin\n{html}");
    }

    /// Every `.jpg` is a photo in two widths and WebP.
    struct Photos;

    impl ImageLookup for Photos {
        fn picture(&self, src: &str) -> Option<ImageMarkup> {
            let stem = src.strip_suffix(".jpg")?;
            Some(ImageMarkup {
                src: format!("{stem}-800.jpg"),
                width: 800,
                height: 600,
                srcset: format!("{stem}-400.jpg 400w, {stem}-800.jpg 800w"),
                sizes: "100vw".into(),
                sources: vec![(
                    "image/webp",
                    format!("{stem}-400.webp 400w, {stem}-800.webp 800w"),
                )],
            })
        }
    }

    #[test]
    fn photos_of_the_site_are_pictures_with_their_size() {
        check_with(
            "![قاعة](a.jpg \"القاعة الرئيسية\")",
            &Photos,
            "<figure><picture><source type=\"image/webp\" srcset=\"a-400.webp 400w, a-800.webp 800w\" sizes=\"100vw\"><img src=\"a-800.jpg\" srcset=\"a-400.jpg 400w, a-800.jpg 800w\" sizes=\"100vw\" width=\"800\" height=\"600\" alt=\"قاعة\" loading=\"lazy\" decoding=\"async\"></picture><figcaption>القاعة الرئيسية</figcaption></figure>",
        );
        check_with("نص ![ب](b.png) نص", &Photos, "<img src=\"b.png\" alt=\"ب\" loading=\"lazy\">");
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
