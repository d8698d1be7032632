//! Markdown to HTML for article bodies, Arabic-first.
//!
//! [`render`] parses a body with pulldown-cmark (tables, footnotes, strikethrough, task lists,
//! heading attributes, optionally smart punctuation) and runs the events through a chain of
//! small passes before pulldown-cmark's own HTML writer:
//!
//! 0. `Recorder`: notes every address the body points at, with its line and column;
//! 1. `HeadingIds`: ids from the heading text that keep Arabic;
//! 2. `PlainText`: the plain text and the summary (first paragraph);
//! 3. `BlockDirection`: `dir` on blocks whose letters run against the page, decided at build
//!    time from their strong characters, never `dir="auto"`;
//! 4. `Links`: `rel="noopener"` (and optionally `target="_blank"`) on external links;
//! 5. `Images`: lazy `<img>`, and `<figure>` with `<figcaption>` for a captioned photo;
//! 6. `Code`: highlighted, `dir="ltr"` code blocks and inline code;
//! 7. `TableWrap`: tables in a scrolling wrapper.
//!
//! Passes that add attributes pulldown-cmark can't express emit the start tag as raw
//! `Event::Html`, which the writer copies as is, and leave the end tag an ordinary event. The
//! order matters where a pass reads what an earlier one would rewrite: direction needs the text
//! of inline code and the untouched paragraph tags, so it runs before images and code.
//!
//! This module knows nothing of templates, front matter or the site: it turns one body into HTML
//! and facts about it, and never fails (any input renders; only [`Highlighter::stylesheet`] has
//! errors, for bad theme names). Raw HTML passes through unchanged, unsanitised: authors are
//! trusted. Truncating the summary happens downstream.

mod direction;
mod embeds;
pub(crate) mod escape;
mod highlight;
mod image;
mod passes;
mod position;
mod references;
mod shortcodes;

use std::collections::HashMap;

use pulldown_cmark::{Options, Parser, html::push_html};

use crate::arabic::direction::Direction;
use crate::arabic::slug::SlugStyle;

pub use highlight::{Error, Highlighter};
pub use image::{ImageLookup, ImageMarkup, NoImages};
pub use references::{Reference, ReferenceKind};
pub use shortcodes::{Call, Failure, NoShortcodes, Problem, Shortcodes};

/// How to render Markdown, from the site's `[markdown]` settings and the page's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// How heading ids are made from heading text.
    pub slug_style: SlugStyle,
    /// Typographic quotes, dashes and ellipses (`"` → “”, `--` → –).
    pub smart_punctuation: bool,
    /// Open external links in a new tab (`target="_blank"`).
    pub external_links_new_tab: bool,
    /// The direction of the page the body goes into: `Rtl` for Arabic pages. Blocks running the
    /// other way get an explicit `dir`.
    pub page_dir: Direction,
}

/// A rendered body and what the rest of the build needs to know about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// The body as HTML.
    pub html: String,
    /// Plain text of the first paragraph with any text, untruncated; empty if there is none.
    pub summary: String,
    /// Plain text of the whole body, code blocks and image alt text left out, blocks separated
    /// by spaces: for word counts, reading time and search.
    pub text: String,
    /// The address of every image the body shows, as written, in order.
    pub images: Vec<String>,
    /// Every address the body points at (links, images, and the `href` and `src` of raw
    /// HTML), with where it is written, in order.
    pub references: Vec<Reference>,
    /// Shortcode calls that could not be written (unknown, malformed, failed), with where.
    pub problems: Vec<Problem>,
    /// Whether the body calls a shortcode or embeds an address.
    pub calls: bool,
}

/// Renders the Markdown body `src` to HTML, collecting its summary and text.
///
/// Never fails and never panics: every input is some Markdown. `highlighter` is made once per
/// build and shared.
pub fn render(src: &str, opts: &MarkdownOptions, highlighter: &Highlighter) -> Rendered {
    render_with_images(src, opts, highlighter, &NoImages)
}

/// [`render`], writing the photos `images` knows as `<picture>`.
pub fn render_with_images(
    src: &str,
    opts: &MarkdownOptions,
    highlighter: &Highlighter,
    images: &dyn ImageLookup,
) -> Rendered {
    render_with(src, opts, highlighter, images, &NoShortcodes)
}

/// [`render_with_images`], running the shortcode calls of the body and embedding the addresses
/// alone in their paragraph that `shortcodes` has a shortcode for (see `shortcodes`).
pub fn render_with(
    src: &str,
    opts: &MarkdownOptions,
    highlighter: &Highlighter,
    images: &dyn ImageLookup,
    shortcodes: &dyn Shortcodes,
) -> Rendered {
    let with = With { opts, highlighter, images, shortcodes };
    render_body(src, &with, &mut HashMap::new())
}

/// What a body is rendered with.
struct With<'w> {
    opts: &'w MarkdownOptions,
    highlighter: &'w Highlighter,
    images: &'w dyn ImageLookup,
    shortcodes: &'w dyn Shortcodes,
}

/// Renders one body (or the body of a shortcode call); `calls` counts the calls of each
/// shortcode so far, for their `nth`.
fn render_body(src: &str, with: &With<'_>, calls: &mut HashMap<String, usize>) -> Rendered {
    let mut rendered = Rendered::default();
    let options = parser_options(with.opts.smart_punctuation);
    let scanned =
        shortcodes::may_have_calls(src).then(|| shortcodes::scan(src, options, with.shortcodes));
    let outputs = match &scanned {
        Some(scanned) => run_calls(scanned, with, calls, &mut rendered),
        None => Vec::new(),
    };
    let text = scanned.as_ref().map_or(src, |scanned| &scanned.text);
    let Rendered { html, summary, text: plain, images: seen, references, .. } = &mut rendered;
    plain.reserve(text.len());
    html.reserve(text.len() + text.len() / 2);

    let events = Parser::new_ext(text, options).into_offset_iter();
    let recorder = references::Recorder::new(events, text, references);
    let events = match &scanned {
        Some(scanned) => recorder.with_map(src, &scanned.map),
        None => recorder,
    };
    let written = scanned.as_ref().map_or(&[][..], |scanned| &scanned.written[..]);
    let events = shortcodes::Substitute::new(events, &outputs, written);
    let events = passes::HeadingIds::new(events, with.opts.slug_style);
    let events = passes::PlainText::new(events, plain, summary);
    let events = direction::BlockDirection::new(events, with.opts.page_dir);
    let events = passes::Links::new(events, with.opts.external_links_new_tab);
    let events = image::Images::new(events, with.opts.page_dir, with.images, seen);
    let events = highlight::Code::new(events, with.highlighter);
    let events = passes::TableWrap::new(events);
    push_html(html, events);
    if let Some(scanned) = scanned {
        rendered.calls |= !scanned.calls.is_empty();
        rendered.problems.extend(scanned.problems);
    }
    rendered
}

/// The HTML of each call of `scanned`, in order: its body rendered first (what the body has
/// goes into `rendered`, its positions moved to where the body is), then its template.
fn run_calls(
    scanned: &shortcodes::Scanned,
    with: &With<'_>,
    calls: &mut HashMap<String, usize>,
    rendered: &mut Rendered,
) -> Vec<String> {
    let mut outputs = Vec::with_capacity(scanned.calls.len());
    for call in &scanned.calls {
        let body = call.body.as_deref().map(|body| {
            let inner = render_body(body, with, calls);
            absorb(rendered, inner, call.body_line - 1)
        });
        if let Some(serde_json::Value::String(src)) = call.args.get("src") {
            rendered.images.push(src.clone());
            let (line, column) = (call.line, call.column);
            let kind = ReferenceKind::Image;
            rendered.references.push(Reference { kind, url: src.clone(), line, column });
        }
        let problem = |message: String, hint: Option<String>| Problem {
            line: call.line,
            column: call.column,
            message,
            hint,
        };
        if !with.shortcodes.has(&call.name) {
            let names = with.shortcodes.names();
            let hint = match names.is_empty() {
                true => "the theme has no shortcodes".to_string(),
                false => format!("the shortcodes are: {}", names.join(", ")),
            };
            let message = format!("unknown shortcode `{}`", call.name);
            rendered.problems.push(problem(message, Some(hint)));
            outputs.push(String::new());
            continue;
        }
        let nth = calls.entry(call.name.clone()).or_default();
        *nth += 1;
        match with.shortcodes.render(call, body.as_deref(), *nth) {
            Ok(html) => outputs.push(direction::declare_on_html(html, with.opts.page_dir)),
            Err(failure) => {
                rendered.problems.push(problem(failure.message, failure.hint));
                outputs.push(String::new());
            }
        }
    }
    outputs
}

/// Takes what a call's body has into the body around it (its lines moved down by `lines`) and
/// gives the body's HTML.
fn absorb(rendered: &mut Rendered, inner: Rendered, lines: u32) -> String {
    if !rendered.text.is_empty() && !inner.text.is_empty() {
        rendered.text.push(' ');
    }
    rendered.text.push_str(&inner.text);
    rendered.images.extend(inner.images);
    rendered.calls |= inner.calls;
    rendered
        .references
        .extend(inner.references.into_iter().map(|r| Reference { line: r.line + lines, ..r }));
    rendered
        .problems
        .extend(inner.problems.into_iter().map(|p| Problem { line: p.line + lines, ..p }));
    inner.html
}

/// The Markdown extensions midad turns on.
fn parser_options(smart_punctuation: bool) -> Options {
    let mut options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    options.set(Options::ENABLE_SMART_PUNCTUATION, smart_punctuation);
    options
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;

    static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

    const ARABIC_PAGE: MarkdownOptions = MarkdownOptions {
        slug_style: SlugStyle::Arabic,
        smart_punctuation: false,
        external_links_new_tab: true,
        page_dir: Direction::Rtl,
    };

    fn render_with(md: &str, opts: &MarkdownOptions) -> Rendered {
        let rendered = render(md, opts, &HIGHLIGHTER);
        assert_eq!(rendered.html.matches("dir=\"auto\"").count(), 0, "{}", rendered.html);
        rendered
    }

    #[track_caller]
    fn check(md: &str, expect: &str) {
        let html = render_with(md, &ARABIC_PAGE).html;
        assert!(html.contains(expect), "expected\n{expect}\nin\n{html}");
        if !md.contains('<') {
            assert_balanced(&html);
        }
    }

    /// Asserts that the tags of `html` nest properly and that no block sits inside a `<p>`: a
    /// test-only check for markup the passes write, not an HTML parser.
    #[track_caller]
    fn assert_balanced(html: &str) {
        const VOID: &[&str] = &["img", "input", "br", "hr"];
        const BLOCKS: &[&str] = &["p", "figure", "div", "pre", "ul", "ol", "table", "blockquote"];
        let mut open: Vec<&str> = Vec::new();
        let mut rest = html;
        while let Some(at) = rest.find('<') {
            rest = &rest[at + 1..];
            let end = rest.find('>').unwrap_or(rest.len());
            let tag = &rest[..end];
            let (closing, name) = match tag.strip_prefix('/') {
                Some(name) => (true, name),
                None => (false, tag.split([' ', '/']).next().unwrap_or("")),
            };
            if closing {
                assert_eq!(open.pop(), Some(name), "unbalanced </{name}> in\n{html}");
            } else if !VOID.contains(&name) {
                if BLOCKS.contains(&name) {
                    assert!(!open.contains(&"p"), "<{name}> inside <p> in\n{html}");
                }
                open.push(name);
            }
        }
        assert!(open.is_empty(), "unclosed {open:?} in\n{html}");
    }

    #[test]
    fn arabic_article() {
        let md = "\
أعلنت شركة Apple عن هاتف جديد يصل إلى الأسواق المصرية في مايو.

The company said the phone would ship in May.

## الموازنة الجديدة

- Tim Cook
- Satya Nadella

```python
print(\"مرحبا\")
```

![مبنى الوزارة](/img/m.jpg \"مقر وزارة المالية في القاهرة\")
";
        check(md, "<p>أعلنت شركة Apple عن هاتف جديد");
        check(md, "<p dir=\"ltr\">The company said the phone would ship in May.</p>");
        check(md, "<h2 id=\"الموازنة-الجديدة\">الموازنة الجديدة</h2>");
        check(md, "<li dir=\"ltr\">Tim Cook</li>\n<li dir=\"ltr\">Satya Nadella</li>");
        check(
            md,
            "<pre class=\"code\" dir=\"ltr\" data-lang=\"python\"><code><span class=\"hl-source hl-python\">",
        );
        check(
            md,
            "<figure><img src=\"/img/m.jpg\" alt=\"مبنى الوزارة\" loading=\"lazy\"><figcaption>مقر وزارة المالية في القاهرة</figcaption></figure>",
        );

        let rendered = render_with(md, &ARABIC_PAGE);
        assert_eq!(
            rendered.summary,
            "أعلنت شركة Apple عن هاتف جديد يصل إلى الأسواق المصرية في مايو."
        );
        assert!(
            rendered.text.ends_with("الموازنة الجديدة Tim Cook Satya Nadella"),
            "{}",
            rendered.text
        );
        assert!(rendered.html.contains("<h2 id=\"الموازنة-الجديدة\">"), "{}", rendered.html);
    }

    #[test]
    fn direction_of_blocks() {
        check("Apple تعلن عن هاتف جديد", "<p>Apple تعلن");
        check("## Breaking news\n", "<h2 id=\"breaking-news\" dir=\"ltr\">Breaking news</h2>");
        check("> The quote\n", "<blockquote dir=\"ltr\">\n<p>The quote</p>\n</blockquote>");
        check("1. الأول\n2. Second\n", "<ol>\n<li>الأول</li>\n<li dir=\"ltr\">Second</li>\n</ol>");
        check(
            "| الاسم | Name |\n|---|---|\n| محمد | Mohamed |\n",
            "<td>محمد</td><td dir=\"ltr\">Mohamed</td>",
        );
        check("12,500 — 3.5%", "<p>12,500 — 3.5%</p>");
        check("نفّذ `cargo build` الآن", "<p>نفّذ <code dir=\"ltr\">cargo build</code> الآن</p>");
        check(
            "[Read more](https://example.com)",
            "<p dir=\"ltr\"><a href=\"https://example.com\" rel=\"noopener\" target=\"_blank\">Read more</a></p>",
        );

        let english_page = MarkdownOptions { page_dir: Direction::Ltr, ..ARABIC_PAGE };
        let html =
            render_with("The minister said:\n\n> قال الوزير\n\nApple تعلن\n", &english_page).html;
        assert!(
            html.contains("<p>The minister said:</p>\n<blockquote dir=\"rtl\">\n<p>قال الوزير</p>"),
            "{html}"
        );
        assert!(html.contains("<p>Apple تعلن</p>"), "{html}");
    }

    #[test]
    fn nesting_stays_valid() {
        check(
            "- First\n\n  Second para\n\n  > A quote\n\n- ثانياً\n",
            "<li dir=\"ltr\">\n<p>First</p>",
        );
        check("> - one\n> - اثنان\n>\n> نص\n", "<blockquote>\n<ul>\n<li dir=\"ltr\">one</li>");
        check(
            "- ![a](b.png \"Caption\")\n\n  text\n",
            "<li dir=\"ltr\"><figure><img src=\"b.png\"",
        );
        check("> ![a](b.png \"تعليق\")\n", "<blockquote>\n<figure>");
        check(
            "Text[^1]\n\n[^1]: A note\n",
            "<div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup><p dir=\"ltr\">A note</p>",
        );
    }

    #[test]
    fn images_and_links() {
        check("![شعار](/logo.svg)", "<p><img src=\"/logo.svg\" alt=\"شعار\" loading=\"lazy\"></p>");
        check("[السياسة](/سياسة/)", "<a href=\"/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/\">السياسة</a>");
        let same_tab = MarkdownOptions { external_links_new_tab: false, ..ARABIC_PAGE };
        let rendered = render_with("[أ](https://a.org) ![ب](/b.png) [ج](/c/)", &same_tab);
        assert!(
            rendered.html.contains("<a href=\"https://a.org\" rel=\"noopener\">أ</a>"),
            "{}",
            rendered.html
        );
        assert!(rendered.html.contains("<a href=\"/c/\">ج</a>"), "{}", rendered.html);
    }

    #[test]
    fn tables_and_extensions() {
        check(
            "| البند | 2026 |\n|---|--:|\n| الأجور | 575 |\n",
            "<div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th>البند</th><th style=\"text-align: end\">2026</th></tr></thead>",
        );
        check("~~قديم~~ جديد", "<del>قديم</del> جديد");
        check("- [x] تم\n", "<li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\nتم</li>");
        check("## مقدمة {#intro}\n", "<h2 id=\"intro\">مقدمة</h2>");
        let smart = MarkdownOptions { smart_punctuation: true, ..ARABIC_PAGE };
        assert!(render_with("قال \"نعم\" -- ثم...", &smart).html.contains("قال “نعم” – ثم…"));
        assert!(render_with("قال \"نعم\"", &ARABIC_PAGE).html.contains("قال \"نعم\""));
    }

    #[test]
    fn raw_html_passes_through() {
        check(
            "<div class=\"note\">\nEnglish <b>only</b>\n</div>\n",
            "<div class=\"note\">\nEnglish <b>only</b>\n</div>\n",
        );
        check("نص <span class=\"x\">مميز</span>", "<p>نص <span class=\"x\">مميز</span></p>");
        check("<script>alert(1)</script>\n", "<script>alert(1)</script>");
    }

    #[test]
    fn weird_inputs_dont_panic() {
        let inputs = [
            "",
            " ",
            "\n\n\n",
            "```",
            "```python\nprint(1)",
            "~~~\nunclosed",
            "    ",
            "#",
            "######",
            "####### seven",
            "## {#}",
            "## {#id} {#id2}",
            "# a\n# a\n# a-2\n# a",
            "-\n-\n-",
            "- a\n  - b\n    - c\n      - d\n        - e\n          - f",
            "1. a\n   1. b\n      1. c\n\n         para\n\n         > q\n         > > qq",
            "> > > > > deep",
            ">",
            "* * *",
            "| a |\n|---|",
            "| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 |",
            "|---|",
            "| |\n|-|\n| |",
            "<div>",
            "</div></p></li>",
            "<!-- comment",
            "<pre>\n```\n</pre>",
            "![](",
            "![]()",
            "![a](<> \"\")",
            "![![![a](b)](c \"t\")](d \"u\")",
            "[a](",
            "[![img](a.png \"t\")](http://x)",
            "[^1]",
            "[^1]: note\n\n[^1]: again",
            "[^a]: ```\ncode",
            "*a **b *c*** d**",
            "`",
            "``code``` `",
            "\\",
            "&amp; &#0; &#xD800; &bogus;",
            "\u{0}\u{1}\u{feff}\u{202e}",
            "\u{200f}\u{200e}",
            "ـــ َ ّ",
            "١٢٣",
            "\r\n\r\n## عنوان\r\n\r\nنص\r\n",
            "- [ ]",
            "- [x]\n- [ ] \n",
            "Setext\n===\n---",
            "a  \nb\\\nc",
            "```\n```\n```\n",
            "<https://a.b>",
            "<a@b.c>",
        ];
        for md in inputs {
            for page_dir in [Direction::Rtl, Direction::Ltr] {
                let opts = MarkdownOptions { page_dir, smart_punctuation: true, ..ARABIC_PAGE };
                let rendered = render_with(md, &opts);
                if !md.contains('<') {
                    assert_balanced(&rendered.html);
                }
            }
        }
        // syntect on broken code in assorted languages, and info strings that aren't languages.
        let code = "\"unterminated '''\n/* open {\n<div attr=\n\t\u{0}\r\nend $x @ `";
        for lang in ["python", "rust", "html", "yaml", "", " ", "{.x}", "\"><script>", "📦"] {
            let md = format!("```{lang}\n{code}\n```\n\n```{lang}\n{code}");
            let rendered = render_with(&md, &ARABIC_PAGE);
            assert!(
                rendered.html.starts_with("<pre class=\"code\" dir=\"ltr\""),
                "{}",
                rendered.html
            );
            assert_eq!(rendered.text, "");
        }

        let deep = "> ".repeat(500) + "x";
        render_with(&deep, &ARABIC_PAGE);
        let many = "- a\n".repeat(2000) + &"## x\n".repeat(200);
        let rendered = render_with(&many, &ARABIC_PAGE);
        assert!(
            rendered.html.ends_with("<h2 id=\"x-200\" dir=\"ltr\">x</h2>\n"),
            "{}",
            rendered.html
        );
    }
}
