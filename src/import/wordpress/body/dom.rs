//! The parts of html5ever's tree (`markup5ever_rcdom`) this module reads and writes: names,
//! attributes, text, and HTML written back out as a CommonMark HTML block midad won't scan for
//! calls.

use std::rc::Rc;

use htmd::element_handler::{HandlerResult, Handlers};
use htmd::options::{BrStyle, BulletListMarker, CodeBlockStyle, HeadingStyle, HrStyle, Options};
use htmd::{Element, HtmlToMarkdown};
use markup5ever_rcdom::{Node, NodeData};

use super::braces;

/// The `<body>` of a document, and the document, which must live as long: dropping a node of
/// `markup5ever_rcdom` empties every element under it, held elsewhere or not.
pub(super) struct Body {
    _document: Rc<Node>,
    pub(super) body: Rc<Node>,
}

/// html5ever's parser and htmd's converter, made once per post.
pub(super) struct Html {
    htmd: HtmlToMarkdown,
}

impl Html {
    /// The converter with the Markdown midad's own documents use: `#` headings, `-` bullets,
    /// fenced code, inline links, `\` line breaks, `~~` strikethrough.
    pub(super) fn new() -> Html {
        let options = Options {
            heading_style: HeadingStyle::Atx,
            hr_style: HrStyle::Dashes,
            br_style: BrStyle::Backslash,
            code_block_style: CodeBlockStyle::Fenced,
            bullet_list_marker: BulletListMarker::Dash,
            ul_bullet_spacing: 1,
            ol_number_spacing: 1,
            ..Options::default()
        };
        let htmd = HtmlToMarkdown::builder()
            .options(options)
            .add_handler(vec!["del", "s", "strike"], strikethrough)
            .build();
        Html { htmd }
    }

    /// `html` read as the content of a `<body>` (so a leading `<style>` or `<script>` stays in
    /// it rather than going to `<head>`).
    pub(super) fn body(&self, html: &str) -> Option<Body> {
        let document = self.htmd.html_to_tree(&format!("<body>{html}")).ok()?;
        let root = children(&document).into_iter().find(|child| is(child, "html"))?;
        let body = children(&root).into_iter().find(|child| is(child, "body"))?;
        Some(Body { _document: document, body })
    }

    /// The first element of `html`, on its own: taken out of the document it was parsed in,
    /// so the document can go (see `Body`) and the element be put in another tree.
    pub(super) fn element(&self, html: &str) -> Option<Rc<Node>> {
        let parsed = self.body(html)?;
        let body = &parsed.body;
        let element = children(body).into_iter().find(|child| name(child).is_some())?;
        body.children.borrow_mut().retain(|child| !Rc::ptr_eq(child, &element));
        element.parent.set(None);
        Some(element)
    }

    /// The text `html` shows: tags left out, references decoded, white space collapsed.
    pub(super) fn plain_text(&self, html: &str) -> String {
        if !html.contains(['<', '&']) {
            return collapse(html);
        }
        self.body(html).map(|body| collapse(&text(&body.body))).unwrap_or_default()
    }

    /// htmd's Markdown for `node`. htmd joins adjacent like elements in the tree as it goes.
    pub(super) fn markdown(&self, node: &Rc<Node>) -> String {
        self.htmd.tree_to_markdown(node)
    }
}

/// `<del>`, `<s>` and `<strike>` as `~~…~~` (htmd has no handler for them), white space at the
/// edges outside the markers as Markdown wants it.
fn strikethrough(handlers: &dyn Handlers, element: Element<'_>) -> Option<HandlerResult> {
    let content = handlers.walk_children(element.node).content;
    let inner = content.trim();
    if inner.is_empty() {
        return Some(content.into());
    }
    let before = &content[..content.len() - content.trim_start().len()];
    let after = &content[content.trim_end().len()..];
    Some(format!("{before}~~{inner}~~{after}").into())
}

/// The element's name, lower case; None for text, comments and the document.
pub(super) fn name(node: &Node) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

/// Whether `node` is element `tag`.
pub(super) fn is(node: &Node, tag: &str) -> bool {
    name(node) == Some(tag)
}

/// The value of attribute `attr` of an element.
pub(super) fn attr(node: &Node, attr: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => {
            attrs.borrow().iter().find(|a| &*a.name.local == attr).map(|a| a.value.to_string())
        }
        _ => None,
    }
}

/// Sets attribute `attr` of an element that has it.
pub(super) fn set_attr(node: &Node, attr: &str, value: &str) {
    if let NodeData::Element { attrs, .. } = &node.data {
        for found in attrs.borrow_mut().iter_mut().filter(|a| &*a.name.local == attr) {
            found.value = value.into();
        }
    }
}

/// Removes the attributes `names` of an element.
pub(super) fn remove_attrs(node: &Node, names: &[&str]) {
    if let NodeData::Element { attrs, .. } = &node.data {
        attrs.borrow_mut().retain(|a| !names.contains(&&*a.name.local));
    }
}

/// Puts `new` where the child `old` of `parent` is, or removes `old` if `new` is None.
pub(super) fn replace_child(parent: &Rc<Node>, old: &Rc<Node>, new: Option<Rc<Node>>) {
    let mut children = parent.children.borrow_mut();
    let Some(at) = children.iter().position(|child| Rc::ptr_eq(child, old)) else { return };
    old.parent.set(None);
    match new {
        Some(new) => {
            new.parent.set(Some(Rc::downgrade(parent)));
            children[at] = new;
        }
        None => {
            children.remove(at);
        }
    }
}

/// The children of `node`, as handles.
pub(super) fn children(node: &Node) -> Vec<Rc<Node>> {
    node.children.borrow().clone()
}

/// The text node's text.
pub(super) fn text_of(node: &Node) -> Option<String> {
    match &node.data {
        NodeData::Text { contents } => Some(contents.borrow().to_string()),
        _ => None,
    }
}

/// All the text under `node`, as written (scripts and styles left out).
pub(super) fn text(node: &Node) -> String {
    let mut out = String::new();
    collect_text(node, &mut out);
    out
}

fn collect_text(node: &Node, out: &mut String) {
    match &node.data {
        NodeData::Text { contents } => out.push_str(&contents.borrow()),
        NodeData::Element { name, .. } if matches!(&*name.local, "script" | "style") => {}
        _ => node.children.borrow().iter().for_each(|child| collect_text(child, out)),
    }
}

/// `text` with every run of white space one space (no-break spaces too), trimmed.
pub(super) fn collapse(text: &str) -> String {
    let words = text.split(|c: char| c.is_whitespace());
    words.filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ")
}

/// `text` with every run of HTML white space one space, spaces at the edges kept.
pub(super) fn collapse_keeping_edges(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Elements with no content and no end tag.
pub(super) const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// `node` as HTML that stays one CommonMark HTML block and holds no midad call: no blank line
/// (a newline that would end one is dropped, or in preformatted text written `&#10;`), and
/// every `{{` and `{%` written with a character reference.
pub(super) fn serialize(node: &Node, out: &mut String) {
    serialize_in(node, out, false);
}

fn serialize_in(node: &Node, out: &mut String, pre: bool) {
    match &node.data {
        NodeData::Text { contents } => push_text(out, &contents.borrow(), pre),
        NodeData::Element { name, .. } if !is_name(&name.local) => {
            // Text the parser took for a tag (`<Latin{{ x(a=1) }}`): written, it could hold
            // what no reference can escape; its content stays.
            node.children.borrow().iter().for_each(|child| serialize_in(child, out, pre));
        }
        NodeData::Element { name, attrs, .. } => {
            let tag = &*name.local;
            out.push('<');
            out.push_str(tag);
            for attr in attrs.borrow().iter().filter(|attr| is_name(&attr.name.local)) {
                out.push(' ');
                if let Some(prefix) = &attr.name.prefix {
                    out.push_str(prefix);
                    out.push(':');
                }
                out.push_str(&attr.name.local);
                out.push_str("=\"");
                push_attr_value(out, &attr.value);
                out.push('"');
            }
            out.push('>');
            if VOID.contains(&tag) {
                return;
            }
            let children = node.children.borrow();
            match tag {
                "script" | "style" => children.iter().for_each(|child| push_raw_text(out, child)),
                _ => {
                    let pre = pre || matches!(tag, "pre" | "textarea" | "listing");
                    if matches!(tag, "pre" | "textarea" | "listing")
                        && children
                            .first()
                            .and_then(|c| text_of(c))
                            .is_some_and(|t| t.starts_with('\n'))
                    {
                        // The parser drops a newline right after the start tag.
                        out.push('\n');
                    }
                    children.iter().for_each(|child| serialize_in(child, out, pre));
                }
            }
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
        NodeData::Document => node.children.borrow().iter().for_each(|c| serialize_in(c, out, pre)),
        _ => {}
    }
}

/// Whether `name` is a plain element or attribute name: ASCII letters, digits, `-`, `_`, `:`
/// and `.`, starting with a letter.
fn is_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

/// Whether the line `out` ends in has only white space so far.
fn on_blank_line(out: &str) -> bool {
    let line = out.rfind('\n').map_or(out, |at| &out[at + 1..]);
    line.chars().all(|c| c == ' ' || c == '\t')
}

pub(super) fn push_text(out: &mut String, text: &str, pre: bool) {
    let mut after_brace = false;
    for c in text.chars() {
        match c {
            '{' | '%' if after_brace => out.push_str(braces::reference(c)),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' if on_blank_line(out) => {
                if pre {
                    out.push_str("&#10;");
                }
            }
            '\n' if !pre => {
                // White space at the end of a line shows nothing outside preformatted text.
                out.truncate(out.trim_end_matches([' ', '\t']).len());
                out.push('\n');
            }
            c => out.push(c),
        }
        after_brace = c == '{';
    }
}

pub(super) fn push_attr_value(out: &mut String, value: &str) {
    let mut after_brace = false;
    for c in value.chars() {
        match c {
            '{' | '%' if after_brace => out.push_str(braces::reference(c)),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            c => out.push(c),
        }
        after_brace = c == '{';
    }
}

/// The text of a `<script>` or `<style>`: as written, less its blank lines.
fn push_raw_text(out: &mut String, child: &Node) {
    let Some(text) = text_of(child) else { return };
    for c in braces::escape_raw_text(&text).chars() {
        if !(c == '\n' && on_blank_line(out)) {
            out.push(c);
        }
    }
}

/// The first element `tag` under `node`, depth first.
pub(super) fn find(node: &Rc<Node>, tag: &str) -> Option<Rc<Node>> {
    for child in children(node) {
        if is(&child, tag) {
            return Some(child);
        }
        if let Some(found) = find(&child, tag) {
            return Some(found);
        }
    }
    None
}

/// The parent of `target` under `node`.
pub(super) fn parent_of(node: &Rc<Node>, target: &Rc<Node>) -> Option<Rc<Node>> {
    for child in children(node) {
        if Rc::ptr_eq(&child, target) {
            return Some(node.clone());
        }
        if let Some(found) = parent_of(&child, target) {
            return Some(found);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(html: &str, expect: &str) {
        let body = Html::new().body(html).unwrap();
        let mut out = String::new();
        children(&body.body).iter().for_each(|child| serialize(child, &mut out));
        assert_eq!(out, expect);
    }

    #[test]
    fn one_html_block_with_no_calls() {
        check(
            "<div class=\"x\">\n\nنص  \n\n<pre>أ\n\n\nب</pre></div>",
            "<div class=\"x\">\nنص\n<pre>أ\n&#10;\nب</pre></div>",
        );
        check("<pre>\n\nأ</pre>", "<pre>\n&#10;أ</pre>");
        check(
            "<p title=\"{{ x() }}\" data-a='a\n\nb'>{% y() %} &amp; &lt;</p>",
            "<p title=\"{&#123; x() }}\" data-a=\"a&#10;&#10;b\">{&#37; y() %} &amp; &lt;</p>",
        );
        check("<script>if (a) {{ b() }}\n\n</script>", "<script>if (a) {/**/{ b() }}\n</script>");
        check("<Latin{{ x(a=1) }}>نص<br>", "نص<br>");
    }

    #[test]
    fn plain_text() {
        let html = Html::new();
        assert_eq!(
            html.plain_text(" وزير <em>المالية</em>&nbsp;&amp;\n أمس "),
            "وزير المالية & أمس"
        );
        assert_eq!(html.plain_text("بلا وسوم"), "بلا وسوم");
    }
}
