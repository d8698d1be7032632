//! What a block says, to compare a block of the post with the HTML its Markdown renders to.
//!
//! The shape of a block is its elements (names, and the attributes Markdown can carry: `href`,
//! `src`, `alt`, `title`, and `start` of a list) and its text with white space collapsed, line
//! breaks kept. What Markdown can't say and a reader doesn't see is left out: `class`, `style`
//! and `id`, `<span>` and `<font>` around text, `<code>` inside `<pre>`, spaces moved across the
//! edge of an inline element, white space at the edges of blocks, percent-encoding in addresses,
//! and `<b>`/`<i>`/`<s>` against `<strong>`/`<em>`/`<del>`.

use markup5ever_rcdom::{Node, NodeData};
use percent_encoding::percent_decode_str;

use super::dom;

/// A piece of a block's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Token {
    /// An element's start, with its attributes that count.
    Open(String, Vec<(&'static str, String)>),
    Close(String),
    Text(String),
    /// `<br>`.
    Break,
    /// The text of a `<pre>`, as written less the newlines it ends with.
    Code(String),
}

/// The shape of `node`.
pub(super) fn of(node: &Node) -> Vec<Token> {
    let mut tokens = Vec::new();
    walk(node, &mut tokens);
    canonical(tokens)
}

/// The shape of the children of `node`, one after another.
pub(super) fn of_children(node: &Node) -> Vec<Token> {
    let mut tokens = Vec::new();
    node.children.borrow().iter().for_each(|child| walk(child, &mut tokens));
    canonical(tokens)
}

/// Elements inside text: spaces at their edges are the text's.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "i", "img",
    "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "strike", "strong", "sub", "sup",
    "time", "tt", "u", "var", "wbr",
];

/// The name an element is compared by: `b` is `strong`, `i` is `em`, `s` is `del`.
fn canonical_name(name: &str) -> &str {
    match name {
        "b" => "strong",
        "i" => "em",
        "s" | "strike" => "del",
        _ => name,
    }
}

fn walk(node: &Node, tokens: &mut Vec<Token>) {
    let (name, attrs) = match &node.data {
        NodeData::Text { contents } => {
            tokens.push(Token::Text(dom::collapse_keeping_edges(&contents.borrow())));
            return;
        }
        NodeData::Element { name, attrs, .. } => (&*name.local, attrs),
        _ => return,
    };
    match name {
        "br" => tokens.push(Token::Break),
        "span" | "font" => node.children.borrow().iter().for_each(|child| walk(child, tokens)),
        "pre" => {
            let text = dom::text(node);
            tokens.push(Token::Open("pre".into(), Vec::new()));
            tokens.push(Token::Code(text.trim_end_matches('\n').to_string()));
            tokens.push(Token::Close("pre".into()));
        }
        _ => {
            let name = canonical_name(name);
            let mut kept = Vec::new();
            for attr in attrs.borrow().iter() {
                let value = attr.value.to_string();
                match &*attr.name.local {
                    "href" => kept.push(("href", decoded(&value))),
                    "src" => kept.push(("src", decoded(&value))),
                    "alt" if !value.is_empty() => kept.push(("alt", value)),
                    "title" if !value.is_empty() => kept.push(("title", value)),
                    "start" if name == "ol" && value != "1" => kept.push(("start", value)),
                    _ => {}
                }
            }
            kept.sort();
            tokens.push(Token::Open(name.to_string(), kept));
            if dom::VOID.contains(&name) {
                return;
            }
            node.children.borrow().iter().for_each(|child| walk(child, tokens));
            tokens.push(Token::Close(name.to_string()));
        }
    }
}

/// An address with its percent-encoding decoded (pulldown-cmark encodes what HTML need not).
fn decoded(url: &str) -> String {
    percent_decode_str(url).decode_utf8_lossy().into_owned()
}

fn is_inline(name: &str) -> bool {
    INLINE.contains(&name)
}

/// The tokens with spaces moved out of inline elements, empty inline elements dropped, like
/// ones side by side joined, text joined, and the white space at the edges of blocks and line
/// breaks dropped.
fn canonical(mut tokens: Vec<Token>) -> Vec<Token> {
    while move_spaces_out(&mut tokens) {}
    tokens.retain(|token| !matches!(token, Token::Text(text) if text.is_empty()));
    while drop_empty_and_join(&mut tokens) {}
    trim_at_blocks(join_text(tokens))
}

/// Drops inline elements with nothing in them (`<strong></strong>` shows nothing), and joins
/// like inline elements side by side, a space between them or not (`<b>a</b> <b>b</b>`, which
/// htmd writes as one); whether any changed.
fn drop_empty_and_join(tokens: &mut Vec<Token>) -> bool {
    let joins = |close: &Token, open: &Token| match (close, open) {
        (Token::Close(name), Token::Open(next, attrs)) => {
            is_inline(name) && name == next && name != "a" && attrs.is_empty()
        }
        _ => false,
    };
    let mut changed = false;
    let mut index = 0;
    while index + 1 < tokens.len() {
        let empty = matches!(
            (&tokens[index], &tokens[index + 1]),
            (Token::Open(name, _), Token::Close(close)) if is_inline(name) && name == close
        );
        if empty || joins(&tokens[index], &tokens[index + 1]) {
            tokens.drain(index..index + 2);
            changed = true;
        } else if matches!(tokens.get(index + 1), Some(Token::Text(t)) if t.trim().is_empty())
            && tokens.get(index + 2).is_some_and(|open| joins(&tokens[index], open))
        {
            tokens.remove(index + 2);
            tokens.remove(index);
            changed = true;
        } else {
            index += 1;
        }
    }
    changed
}

/// Text side by side as one, white space runs one space.
fn join_text(tokens: Vec<Token>) -> Vec<Token> {
    let mut joined: Vec<Token> = Vec::with_capacity(tokens.len());
    for token in tokens {
        match (joined.last_mut(), token) {
            (Some(Token::Text(text)), Token::Text(more)) => {
                text.push_str(&more);
                *text = text.replace("  ", " ");
            }
            (_, token) => joined.push(token),
        }
    }
    joined
}

/// The tokens without the spaces of text next to a block's edge or a line break.
fn trim_at_blocks(tokens: Vec<Token>) -> Vec<Token> {
    let soft = |token: Option<&Token>| match token {
        None => false,
        Some(Token::Open(name, _) | Token::Close(name)) => is_inline(name),
        Some(Token::Text(_)) => true,
        Some(_) => false,
    };
    let mut out = Vec::with_capacity(tokens.len());
    for index in 0..tokens.len() {
        let Token::Text(text) = &tokens[index] else {
            out.push(tokens[index].clone());
            continue;
        };
        let mut text = text.as_str();
        if !soft(index.checked_sub(1).and_then(|i| tokens.get(i))) {
            text = text.trim_start_matches(' ');
        }
        if !soft(tokens.get(index + 1)) {
            text = text.trim_end_matches(' ');
        }
        if !text.is_empty() {
            out.push(Token::Text(text.to_string()));
        }
    }
    out
}

/// Moves one round of spaces from just inside an inline element's edge to just outside it;
/// whether any moved.
fn move_spaces_out(tokens: &mut Vec<Token>) -> bool {
    let mut moved = false;
    let mut index = 0;
    while index + 1 < tokens.len() {
        let (left, right) = tokens.split_at_mut(index + 1);
        match (&mut left[index], &mut right[0]) {
            (Token::Open(name, _), Token::Text(text))
                if is_inline(name) && text.starts_with(' ') =>
            {
                text.remove(0);
                tokens.insert(index, Token::Text(" ".into()));
                moved = true;
                index += 1;
            }
            (Token::Text(text), Token::Close(name)) if is_inline(name) && text.ends_with(' ') => {
                text.pop();
                tokens.insert(index + 2, Token::Text(" ".into()));
                moved = true;
                index += 1;
            }
            _ => {}
        }
        index += 1;
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::wordpress::body::dom::Html;

    fn shape(html: &str) -> Vec<Token> {
        let body = Html::new().body(html).unwrap();
        of_children(&body.body)
    }

    #[track_caller]
    fn same(a: &str, b: &str) {
        assert_eq!(shape(a), shape(b), "{a} / {b}");
    }

    #[track_caller]
    fn differ(a: &str, b: &str) {
        assert_ne!(shape(a), shape(b), "{a} / {b}");
    }

    #[test]
    fn what_a_reader_does_not_see_is_left_out() {
        same(
            "<p class=\"x\" style=\"color:red\" id=\"a\">نص <span>ملون</span></p>",
            "<p>نص ملون</p>\n",
        );
        same("<p>\n  نص   <em> مائل</em>\n</p>", "<p>نص <em>مائل</em></p>");
        same(
            "<p><b>عريض</b> <i>مائل</i> <s>قديم</s></p>",
            "<p><strong>عريض</strong> <em>مائل</em> <del>قديم</del></p>",
        );
        same(
            "<p><a href=\"https://ar.wikipedia.org/wiki/مصر\">مصر</a><img src=\"/a b.jpg\" alt=\"\"></p>",
            "<p><a href=\"https://ar.wikipedia.org/wiki/%D9%85%D8%B5%D8%B1\">مصر</a><img src=\"/a%20b.jpg\"></p>",
        );
        same("<pre>سطر\n\nسطر</pre>", "<pre><code>سطر\n\nسطر\n</code></pre>");
        same("<p>أ<br>\nب</p>", "<p>أ<br />ب</p>");
        same("<ol start=\"1\"><li>أ</li></ol>", "<ol><li>أ</li></ol>");
        same("<p>أ<strong> </strong>ب<em></em></p>", "<p>أ ب</p>");
        same("<p><strong>أ</strong><b>ب</b></p>", "<p><strong>أب</strong></p>");
        same("<p><strong>أ</strong><strong> ب</strong></p>", "<p><strong>أ ب</strong></p>");
    }

    #[test]
    fn what_a_reader_sees_counts() {
        differ("<p>أ</p>", "<h2>أ</h2>");
        differ("<p><a href=\"/a\">أ</a></p>", "<p><a href=\"/b\">أ</a></p>");
        differ("<p><img src=\"a.jpg\" alt=\"أ\"></p>", "<p><img src=\"a.jpg\" alt=\"ب\"></p>");
        differ("<p>أب</p>", "<p>أ ب</p>");
        differ("<p>أ<br>ب</p>", "<p>أ ب</p>");
        differ("<div><p>أ</p></div>", "<p>أ</p>");
        differ("<pre>أ  ب</pre>", "<pre><code>أ ب</code></pre>");
        differ("<ol start=\"3\"><li>أ</li></ol>", "<ol><li>أ</li></ol>");
        differ("<p><u>أ</u></p>", "<p>أ</p>");
    }
}
