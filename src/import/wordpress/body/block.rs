//! The post's HTML, block by block, to Markdown where the Markdown says the same.
//!
//! Each top-level block of html5ever's tree is written by htmd, and the Markdown rendered back
//! with pulldown-cmark and midad's extensions; if the shape of what it renders (`shape`) is the
//! shape of the block, the Markdown stays, else the block is kept as the HTML it was. Before
//! that the tree is made ready once: addresses of uploads rewritten (`srcset` and `sizes`
//! dropped: midad makes its own), no-break spaces made spaces, line breaks at the edge of a
//! block dropped.
//!
//! Blocks are also recognised whole: a block that is only a placeholder of the shortcode scan
//! becomes that insert (its `<figcaption>` a paragraph after it), a Gutenberg image (`<figure>`
//! with one `<img>` and a caption) midad's `figure` shortcode, a paragraph that is only an
//! address that address alone (WordPress embeds it), and a platform's pasted embed code the
//! address it shows (`embed_code`). No `<script>` is written, nor any `<iframe>`: a frame
//! becomes a link to what it showed.

use std::rc::Rc;

use markup5ever_rcdom::{Node, NodeData};
use pulldown_cmark::{Event, Parser, Tag, html::push_html};

use super::dom::{self, Body, Html};
use super::embed_code::{self, EmbedCode};
use super::shape;
use super::shortcode::{self, Insert};
use super::{MediaLinks, braces, media};

/// Writes the blocks of a post.
pub(super) struct Writer<'w> {
    html: &'w Html,
    media: &'w dyn MediaLinks,
    inserts: &'w [Insert],
    /// Blocks kept as HTML.
    pub(super) raw_blocks: usize,
    /// What a person should look at.
    pub(super) notes: Vec<String>,
}

impl<'w> Writer<'w> {
    pub(super) fn new(html: &'w Html, media: &'w dyn MediaLinks, inserts: &'w [Insert]) -> Self {
        Writer { html, media, inserts, raw_blocks: 0, notes: Vec::new() }
    }

    /// The Markdown blocks of `paragraphs` (the post after `wpautop`), in order.
    pub(super) fn write(&mut self, paragraphs: &str) -> Vec<String> {
        let mut blocks = Vec::new();
        let Some(Body { body, .. }) = &self.html.body(paragraphs) else {
            self.notes.push("the post could not be read as HTML".to_string());
            return blocks;
        };
        if depth(body) > MAX_DEPTH {
            // Deeper than htmd's and this module's recursion can safely walk: shown as written.
            self.notes.push(format!("HTML nested more than {MAX_DEPTH} deep kept as code"));
            return vec![fenced(paragraphs.trim_end())];
        }
        let n_scripts = embed_code::drop_scripts(body);
        if n_scripts > 0 {
            self.notes.push(format!("{n_scripts} <script> removed"));
        }
        prepare(body, self.media, false);
        for group in top_level(body) {
            match group {
                Group::Block(node) => self.block(&node, &mut blocks),
                Group::Inline(nodes) => {
                    let mut html = String::from("<p>");
                    nodes.iter().for_each(|node| dom::serialize(node, &mut html));
                    html.push_str("</p>");
                    self.paragraph(&html, &mut blocks);
                }
            }
        }
        blocks
    }

    /// Writes `html`, one paragraph, read anew.
    fn paragraph(&mut self, html: &str, blocks: &mut Vec<String>) {
        let Some(Body { body, .. }) = &self.html.body(html) else { return };
        if let Some(paragraph) = dom::children(body).into_iter().next() {
            self.block(&paragraph, blocks);
        }
    }

    fn block(&mut self, node: &Rc<Node>, blocks: &mut Vec<String>) {
        if let Some(code) = embed_code::of_block(node) {
            return self.embed(code, blocks);
        }
        // Before the check for content: a block of frames with nothing to link to is empty.
        embed_code::link_frames(node, self.html, &mut self.notes);
        if !has_content(node) {
            return;
        }
        let numbers = shortcode::placeholders(&dom::text(node));
        if !numbers.is_empty() {
            return self.with_inserts(node, &numbers, blocks);
        }
        if let Some(figure) = gutenberg_image(node) {
            return blocks.push(figure.markdown());
        }
        if let Some(url) = address_paragraph(node) {
            return blocks.push(Insert::Address(url).markdown());
        }
        blocks.push(self.convert(node));
    }

    /// A block that is only a pasted embed code: a platform's address alone (a tweet's quote
    /// after it), or another site's frame as a link.
    fn embed(&mut self, code: EmbedCode, blocks: &mut Vec<String>) {
        match code {
            EmbedCode::Platform { url, quote } => {
                blocks.push(Insert::Address(url).markdown());
                if let Some(quote) = quote {
                    embed_code::link_frames(&quote, self.html, &mut self.notes);
                    blocks.push(self.convert(&quote));
                }
            }
            EmbedCode::Foreign { src } => {
                self.notes.push(embed_code::foreign_frame_note(&src));
                if let Some(url) = embed_code::web_address(&src) {
                    self.paragraph(&format!("<p>{}</p>", embed_code::link_html(&url)), blocks);
                }
            }
        }
    }

    /// A block with placeholders: the insert if it is all the block holds (and its caption
    /// after it), else the block as HTML with the inserts written in HTML.
    fn with_inserts(&mut self, node: &Rc<Node>, numbers: &[usize], blocks: &mut Vec<String>) {
        if let [number] = numbers
            && let Some(insert) = self.inserts.get(*number)
            && alone(node, &shortcode::placeholder(*number))
        {
            blocks.push(insert.markdown());
            if let Some(caption) = dom::find(node, "figcaption") {
                let mut html = String::from("<p>");
                dom::children(&caption).iter().for_each(|child| dom::serialize(child, &mut html));
                html.push_str("</p>");
                self.paragraph(&html, blocks);
            }
            return;
        }
        let mut raw = String::new();
        dom::serialize(node, &mut raw);
        for number in numbers {
            let html = self.inserts.get(*number).map(Insert::html).unwrap_or_default();
            raw = raw.replace(&shortcode::placeholder(*number), &html);
        }
        self.raw_blocks += 1;
        blocks.push(raw);
    }

    /// The block as Markdown if that renders back to the same shape, else as HTML.
    fn convert(&mut self, node: &Rc<Node>) -> String {
        let mut raw = String::new();
        dom::serialize(node, &mut raw);
        let expect = shape::of(node);
        // htmd changes the tree (it joins like elements), so it goes last.
        let markdown = code_block(node).unwrap_or_else(|| self.html.markdown(node));
        let markdown = tidy(&markdown);
        let markdown = braces::escape_markdown(&markdown).into_owned();
        if !markdown.is_empty() && self.renders_as(&markdown, &expect) {
            return markdown;
        }
        self.raw_blocks += 1;
        raw
    }

    /// Whether `markdown` renders to HTML of shape `expect`.
    fn renders_as(&self, markdown: &str, expect: &[shape::Token]) -> bool {
        let mut html = String::with_capacity(markdown.len() * 2);
        push_html(&mut html, Parser::new_ext(markdown, super::cmark::OPTIONS));
        self.html.body(&html).is_some_and(|body| shape::of_children(&body.body) == expect)
    }
}

/// A top-level block, or a run of inline content between blocks.
enum Group {
    Block(Rc<Node>),
    Inline(Vec<Rc<Node>>),
}

/// Start tags that open a CommonMark HTML block (its first and sixth kinds): a block kept as
/// HTML must be one of these.
const HTML_BLOCKS: &[&str] = &[
    "pre",
    "script",
    "style",
    "textarea",
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// The children of `body` as blocks, inline content between them gathered into runs.
fn top_level(body: &Node) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut run: Vec<Rc<Node>> = Vec::new();
    for child in dom::children(body) {
        match &child.data {
            NodeData::Element { name, .. } if HTML_BLOCKS.contains(&&*name.local) => {
                flush(&mut run, &mut groups);
                groups.push(Group::Block(child));
            }
            NodeData::Element { .. } | NodeData::Text { .. } => run.push(child),
            _ => {}
        }
    }
    flush(&mut run, &mut groups);
    groups
}

fn flush(run: &mut Vec<Rc<Node>>, groups: &mut Vec<Group>) {
    let blank = run.iter().all(|node| dom::text_of(node).is_some_and(|t| t.trim().is_empty()));
    if !blank {
        groups.push(Group::Inline(std::mem::take(run)));
    }
    run.clear();
}

/// Elements that show something without text.
const MEDIA: &[&str] = &[
    "img", "iframe", "video", "audio", "embed", "object", "svg", "canvas", "hr", "script", "input",
    "select", "textarea", "math", "picture", "source", "style", "table",
];

/// Whether a block shows anything: text, or an element that shows without text.
fn has_content(node: &Node) -> bool {
    if dom::name(node).is_some_and(|name| MEDIA.contains(&name)) {
        return true;
    }
    if dom::text_of(node).is_some_and(|text| !text.trim().is_empty()) {
        return true;
    }
    node.children.borrow().iter().any(|child| has_content(child))
}

/// Whether a block holds nothing but `placeholder` (and a caption).
fn alone(node: &Node, placeholder: &str) -> bool {
    fn outside_caption(node: &Node, placeholder: &str) -> bool {
        if dom::is(node, "figcaption") {
            return false;
        }
        if dom::name(node).is_some_and(|name| MEDIA.contains(&name)) {
            return true;
        }
        let text = dom::text_of(node).unwrap_or_default();
        if !text.replace(placeholder, "").trim().is_empty() {
            return true;
        }
        node.children.borrow().iter().any(|child| outside_caption(child, placeholder))
    }
    !outside_caption(node, placeholder)
}

/// A Gutenberg image: a `<figure>` holding one `<img>` (maybe in a link) and maybe a
/// `<figcaption>`, nothing else.
fn gutenberg_image(node: &Rc<Node>) -> Option<Insert> {
    if !dom::is(node, "figure") {
        return None;
    }
    let mut img = None;
    let mut caption = String::new();
    for child in dom::children(node) {
        match dom::name(&child) {
            Some("img") if img.is_none() => img = Some(child),
            Some("a") if img.is_none() => {
                let inner: Vec<_> = dom::children(&child)
                    .into_iter()
                    .filter(|c| !dom::text_of(c).is_some_and(|t| t.trim().is_empty()))
                    .collect();
                match &inner[..] {
                    [only] if dom::is(only, "img") => img = Some(only.clone()),
                    _ => return None,
                }
            }
            Some("figcaption") if caption.is_empty() => caption = dom::collapse(&dom::text(&child)),
            None if dom::text_of(&child).is_some_and(|t| t.trim().is_empty()) => {}
            _ => return None,
        }
    }
    let img = img?;
    let src = dom::attr(&img, "src").filter(|src| !src.is_empty())?;
    let alt = dom::collapse(&dom::attr(&img, "alt").unwrap_or_default());
    Some(Insert::Figure { src, alt, caption })
}

/// The address a paragraph holds and nothing else (WordPress embeds it).
fn address_paragraph(node: &Node) -> Option<String> {
    if !dom::is(node, "p") {
        return None;
    }
    let children = dom::children(node);
    let [only] = &children[..] else { return None };
    let text = dom::text_of(only)?;
    let url = text.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let bad = |c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"');
    (!rest.is_empty() && !url.contains(bad)).then(|| url.to_string())
}

/// How deep elements may nest for the tree to be walked by recursion.
const MAX_DEPTH: usize = 400;

/// How deep the elements under `node` nest, counted without recursion.
fn depth(node: &Rc<Node>) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(node.clone(), 0)];
    while let Some((node, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if depth <= MAX_DEPTH {
            stack.extend(dom::children(&node).into_iter().map(|child| (child, depth + 1)));
        }
    }
    deepest
}

/// `code` in a fenced code block, the fence longer than any run of backticks in it.
fn fenced(code: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    format!("{fence}\n{code}\n{fence}")
}

/// A `<pre>` of text alone as a fenced code block (htmd fences only `<pre><code>`).
fn code_block(node: &Node) -> Option<String> {
    if !dom::is(node, "pre") {
        return None;
    }
    let children = dom::children(node);
    if children.is_empty() || !children.iter().all(|child| dom::text_of(child).is_some()) {
        return None;
    }
    let text = dom::text(node);
    Some(fenced(text.strip_suffix('\n').unwrap_or(&text)))
}

/// Markdown with no white space at the ends of its lines and no two blank lines in a row,
/// code blocks as they are.
fn tidy(markdown: &str) -> String {
    let code: Vec<_> = Parser::new_ext(markdown, super::cmark::OPTIONS)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Start(Tag::CodeBlock(_))))
        .map(|(_, range)| range)
        .collect();
    let mut out = String::with_capacity(markdown.len());
    let mut at = 0;
    for line in markdown.split_inclusive('\n') {
        let in_code = code.iter().any(|range| range.contains(&at));
        at += line.len();
        if in_code {
            out.push_str(line);
            continue;
        }
        let line = line.trim_end();
        if line.is_empty() && (out.is_empty() || out.ends_with("\n\n")) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// Makes the tree ready: addresses of uploads rewritten, `srcset` and `sizes` dropped,
/// no-break spaces made spaces (outside preformatted text), a line break at the end of a
/// block dropped.
fn prepare(node: &Rc<Node>, media: &dyn MediaLinks, preformatted: bool) {
    const PREFORMATTED: &[&str] = &["pre", "textarea", "script", "style"];
    const BLOCKS: &[&str] =
        &["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dd", "dt", "figcaption"];
    for child in dom::children(node) {
        match &child.data {
            NodeData::Text { contents }
                if !preformatted && contents.borrow().contains('\u{a0}') =>
            {
                let text = contents.borrow().replace('\u{a0}', " ");
                *contents.borrow_mut() = text.into();
            }
            NodeData::Element { name, .. } => {
                rewrite(&child, media);
                prepare(&child, media, preformatted || PREFORMATTED.contains(&&*name.local));
            }
            _ => {}
        }
    }
    if dom::name(node).is_some_and(|name| BLOCKS.contains(&name)) {
        drop_edge_break(node);
    }
    if !preformatted {
        trim_around_breaks(node);
    }
}

/// Drops the white space next to each `<br>` (a newline `wpautop` left after it), which shows
/// nothing and would start the next Markdown line with a space.
fn trim_around_breaks(node: &Node) {
    let children = node.children.borrow();
    for (index, child) in children.iter().enumerate() {
        if !dom::is(child, "br") {
            continue;
        }
        let trim = |sibling: Option<&Rc<Node>>, start: bool| {
            if let Some(NodeData::Text { contents }) = sibling.map(|s| &s.data) {
                let text = contents.borrow().to_string();
                let trimmed = if start { text.trim_start() } else { text.trim_end() };
                if trimmed.len() != text.len() {
                    *contents.borrow_mut() = trimmed.into();
                }
            }
        };
        trim(index.checked_sub(1).and_then(|i| children.get(i)), false);
        trim(children.get(index + 1), true);
    }
}

/// Rewrites the addresses of uploads on an element.
fn rewrite(node: &Node, media: &dyn MediaLinks) {
    for attr in ["src", "href", "poster"] {
        if let Some(url) = dom::attr(node, attr) {
            dom::set_attr(node, attr, &media::upload(media, &url));
        }
    }
    if dom::is(node, "img") || dom::is(node, "source") {
        dom::remove_attrs(node, &["srcset", "sizes"]);
    }
}

/// Drops a `<br>` that ends a block, which shows nothing.
fn drop_edge_break(node: &Node) {
    let mut children = node.children.borrow_mut();
    let last = children.iter().rposition(|c| !dom::text_of(c).is_some_and(|t| t.trim().is_empty()));
    if let Some(last) = last.filter(|last| dom::is(&children[*last], "br")) {
        children.remove(last);
    }
}
