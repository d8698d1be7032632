//! Markdown bodies through midad's passes (`markdown::render_with_images`): the first byte picks
//! the options (slug style, smart punctuation, new-tab links, page direction), the rest is the
//! body. Any body renders without a panic, and no tag gets `dir="auto"` unless the source wrote
//! it (as raw HTML); without raw HTML in the source, the HTML is balanced (every tag closed in
//! order, no block inside `<p>`) and, without explicit heading ids, heading ids are unique.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use midad::arabic::direction::Direction;
use midad::arabic::slug::SlugStyle;
use midad::markdown::{Highlighter, ImageLookup, ImageMarkup, MarkdownOptions, render_with_images};

static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

/// Knows every `.jpg` as a photo, so the `<picture>` path runs too.
struct Photos;

impl ImageLookup for Photos {
    fn picture(&self, src: &str) -> Option<ImageMarkup> {
        src.ends_with(".jpg").then(|| ImageMarkup {
            src: format!("/photos/{src}"),
            width: 800,
            height: 450,
            srcset: format!("/photos/400/{src} 400w, /photos/{src} 800w"),
            sizes: "100vw".into(),
            sources: vec![("image/avif", format!("/photos/{src}.avif 800w"))],
        })
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(src) = std::str::from_utf8(rest) else { return };
    let opts = MarkdownOptions {
        slug_style: if flags & 1 == 0 { SlugStyle::Arabic } else { SlugStyle::Latin },
        smart_punctuation: flags & 2 != 0,
        external_links_new_tab: flags & 4 != 0,
        page_dir: if flags & 8 == 0 { Direction::Rtl } else { Direction::Ltr },
    };
    let rendered = render_with_images(src, &opts, &HIGHLIGHTER, &Photos);
    let html = &rendered.html;
    // A text may say `dir="auto"` (quotes in text are not escaped) and raw HTML may set it;
    // midad itself never does, so no more tags have it than the source has the words.
    let n_auto_tags = tags(html).filter(|tag| tag.contains(DIR_AUTO)).count();
    assert!(n_auto_tags <= src.matches(DIR_AUTO).count(), "{html}");
    if !src.contains('<') {
        check_balanced(html);
        if !src.contains('{') {
            check_unique_heading_ids(html);
        }
    }
});

const DIR_AUTO: &str = "dir=\"auto\"";

/// The tags of `html`, without their `<` and `>`: text escapes `<`, so each `<` opens one.
fn tags(html: &str) -> impl Iterator<Item = &str> {
    html.split('<').skip(1).map(|rest| &rest[..rest.find('>').unwrap_or(rest.len())])
}

/// Every tag is closed in order and no block opens inside a `<p>`.
fn check_balanced(html: &str) {
    const VOID: &[&str] = &["img", "input", "br", "hr", "source"];
    const BLOCKS: &[&str] = &["p", "figure", "div", "pre", "ul", "ol", "table", "blockquote"];
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        match tag.strip_prefix('/') {
            Some(name) => assert_eq!(open.pop(), Some(name), "unbalanced </{name}> in\n{html}"),
            None => {
                let name = tag.split([' ', '/']).next().unwrap_or("");
                if VOID.contains(&name) {
                    continue;
                }
                if BLOCKS.contains(&name) {
                    assert!(!open.contains(&"p"), "<{name}> inside <p> in\n{html}");
                }
                open.push(name);
            }
        }
    }
    assert!(open.is_empty(), "unclosed {open:?} in\n{html}");
}

/// No two headings share an id.
fn check_unique_heading_ids(html: &str) {
    let mut seen = std::collections::HashSet::new();
    for level in 1..=6 {
        let open = format!("<h{level} id=\"");
        for (at, _) in html.match_indices(&open) {
            let id = &html[at + open.len()..];
            let id = &id[..id.find('"').unwrap_or(id.len())];
            assert!(seen.insert(id.to_owned()), "heading id {id:?} twice in\n{html}");
        }
    }
}
