//! WordPress's `wpautop`: paragraphs and line breaks from the text as it was typed.
//!
//! WordPress stores text runs separated by blank lines, single newlines meaning line breaks,
//! mixed with block HTML, and adds the `<p>` and `<br />` at every view. This reads the content
//! as WordPress does (text with tags in it, `wp-includes/formatting.php`) and makes the same
//! paragraphs, written from its rules rather than its regular expressions:
//!
//! - the content splits into chunks at blank lines, before each block start tag and after each
//!   block end tag (its list of blocks), around `<hr>` and `<pre>`, and at two `<br>` in a row;
//! - a chunk that starts with a block tag is left as it is, any other is a `<p>` (closed before
//!   the block end tag it ends with); a `<blockquote>` chunk gets its `<p>` inside;
//! - a newline in a chunk is a `<br />`, except next to a block tag, after a `<br>`, and around
//!   the tags WordPress collapses white space around (`<option>`, `<source>`, `<figcaption>`…);
//! - `<pre>`, `<script>`, `<style>`, `<svg>`, `<math>` and `<textarea>` are left untouched.
//!
//! Where this differs from WordPress it is on purpose: a newline right before a block end tag
//! of any block (WordPress keeps a `<br />` before `</h2>`) is no break, and no `</p>` is
//! written that no `<p>` opened.

use super::tag::{self, Tag};

/// Block elements, as `wpautop` lists them.
const BLOCKS: &[&str] = &[
    "table",
    "thead",
    "tfoot",
    "caption",
    "col",
    "colgroup",
    "tbody",
    "tr",
    "td",
    "th",
    "div",
    "dl",
    "dd",
    "dt",
    "ul",
    "ol",
    "li",
    "pre",
    "form",
    "map",
    "area",
    "blockquote",
    "address",
    "style",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "fieldset",
    "legend",
    "section",
    "article",
    "aside",
    "hgroup",
    "header",
    "footer",
    "nav",
    "figure",
    "figcaption",
    "details",
    "menu",
    "summary",
];

/// Tags whose surrounding white space WordPress collapses, so a newline there is no break.
const QUIET: &[&str] = &[
    "option",
    "optgroup",
    "select",
    "object",
    "param",
    "embed",
    "audio",
    "video",
    "source",
    "track",
    "figcaption",
];

/// A piece of the content.
#[derive(Debug, Clone, Copy)]
enum Piece<'s> {
    Text(&'s str),
    Tag(Tag<'s>, &'s str),
    /// An element left untouched; `block` for `<pre>` and `<style>`.
    Opaque {
        html: &'s str,
        block: bool,
    },
    /// A blank line, or two `<br>` in a row.
    Break,
}

impl Piece<'_> {
    fn is_block(&self) -> bool {
        match self {
            Piece::Tag(tag, _) => tag.is_any(BLOCKS),
            Piece::Opaque { block, .. } => *block,
            _ => false,
        }
    }
}

/// `content` with WordPress's paragraphs and line breaks.
pub(super) fn autop(content: &str) -> String {
    let pieces = pieces(content);
    let mut out = String::with_capacity(content.len() + content.len() / 8);
    let mut chunk: Vec<Piece<'_>> = Vec::new();
    let mut at = 0;
    while let Some(&piece) = pieces.get(at) {
        at += 1;
        match piece {
            Piece::Break => emit(&mut chunk, &mut out),
            Piece::Tag(tag, _) if tag.is("br") && !tag.closing => {
                let next = pieces[at..].iter().position(|p| !is_blank(p));
                match next.map(|skip| (skip, pieces[at + skip])) {
                    Some((skip, Piece::Tag(next, _))) if next.is("br") && !next.closing => {
                        emit(&mut chunk, &mut out);
                        at += skip + 1;
                    }
                    _ => chunk.push(piece),
                }
            }
            Piece::Tag(tag, _) if piece.is_block() && !tag.is("figcaption") => {
                if !tag.closing {
                    emit(&mut chunk, &mut out);
                }
                chunk.push(piece);
                if tag.closing || tag.is("hr") {
                    emit(&mut chunk, &mut out);
                }
            }
            Piece::Opaque { block: true, .. } => {
                emit(&mut chunk, &mut out);
                chunk.push(piece);
                emit(&mut chunk, &mut out);
            }
            _ => chunk.push(piece),
        }
    }
    emit(&mut chunk, &mut out);
    out
}

fn is_blank(piece: &Piece<'_>) -> bool {
    matches!(piece, Piece::Text(text) if text.trim().is_empty())
}

/// The content as text, tags, untouched elements and breaks at blank lines.
fn pieces(src: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut at = 0;
    let mut text_start = 0;
    while let Some(found) = src[at..].find('<') {
        let start = at + found;
        let Some(tag) = tag::read(src, start) else {
            at = start + 1;
            continue;
        };
        push_text(&mut pieces, &src[text_start..start]);
        if !tag.closing && tag.is_any(tag::OPAQUE) {
            let end = tag::element_end(src, tag.end, tag.name);
            pieces.push(Piece::Opaque {
                html: &src[start..end],
                block: tag.is_any(&["pre", "style"]),
            });
            at = end;
        } else {
            pieces.push(Piece::Tag(tag, &src[start..tag.end]));
            at = tag.end;
        }
        text_start = at;
    }
    push_text(&mut pieces, &src[text_start..]);
    pieces
}

/// Text, split at its blank lines.
fn push_text<'s>(pieces: &mut Vec<Piece<'s>>, text: &'s str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'\n' {
            at += 1;
            continue;
        }
        let mut after = at + 1;
        let mut last_newline = None;
        while after < bytes.len() && bytes[after].is_ascii_whitespace() {
            if bytes[after] == b'\n' {
                last_newline = Some(after);
            }
            after += 1;
        }
        if let Some(newline) = last_newline {
            if at > start {
                pieces.push(Piece::Text(&text[start..at]));
            }
            pieces.push(Piece::Break);
            start = newline + 1;
        }
        at = after;
    }
    if start < text.len() {
        pieces.push(Piece::Text(&text[start..]));
    }
}

/// Writes a chunk as WordPress does, and empties it.
fn emit(chunk: &mut Vec<Piece<'_>>, out: &mut String) {
    trim(chunk);
    if chunk.is_empty() {
        return;
    }
    let first = chunk[0];
    if let Piece::Tag(tag, html) = first
        && tag.is("blockquote")
        && !tag.closing
        && chunk.len() > 1
    {
        out.push_str(html);
        chunk.remove(0);
        return emit(chunk, out);
    }
    if first.is_block() {
        write(chunk, out);
    } else {
        out.push_str("<p>");
        match chunk.last() {
            Some(last @ Piece::Tag(tag, _)) if tag.closing && last.is_block() => {
                let last = *last;
                let n = chunk.len() - 1;
                write(&chunk[..n], out);
                out.push_str("</p>");
                write(&[last], out);
            }
            _ => {
                write(chunk, out);
                out.push_str("</p>");
            }
        }
    }
    out.push('\n');
    chunk.clear();
}

/// Drops the white space at both ends of a chunk.
fn trim<'s>(chunk: &mut Vec<Piece<'s>>) {
    while chunk.first().is_some_and(is_blank) {
        chunk.remove(0);
    }
    while chunk.last().is_some_and(is_blank) {
        chunk.pop();
    }
    if let Some(Piece::Text(text)) = chunk.first_mut() {
        *text = text.trim_start();
    }
    if let Some(Piece::Text(text)) = chunk.last_mut() {
        *text = text.trim_end();
    }
}

/// What is next to a newline, for whether it is a line break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Content,
    Br,
    /// A block tag, or the edge of a paragraph.
    Block,
    Quiet,
}

fn side(piece: Option<&Piece<'_>>) -> Side {
    match piece {
        None => Side::Block,
        Some(piece) if piece.is_block() => Side::Block,
        Some(Piece::Tag(tag, _)) if tag.is("br") => Side::Br,
        Some(Piece::Tag(tag, _)) if tag.is_any(QUIET) => Side::Quiet,
        Some(_) => Side::Content,
    }
}

/// Writes `pieces`, each newline in their text a `<br />` where WordPress puts one.
fn write(pieces: &[Piece<'_>], out: &mut String) {
    for (index, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Tag(_, html) | Piece::Opaque { html, .. } => out.push_str(html),
            Piece::Break => {}
            Piece::Text(text) => {
                let before = side(index.checked_sub(1).and_then(|i| pieces.get(i)));
                let after = side(pieces.get(index + 1));
                write_text(text, before, after, out);
            }
        }
    }
}

/// Writes text whose piece has `before` and `after` it. Its lines are never blank (blank lines
/// are breaks), so only a newline at either end of it can be next to a tag.
fn write_text(text: &str, before: Side, after: Side, out: &mut String) {
    let mut start = 0;
    while let Some(found) = text[start..].find('\n') {
        let newline = start + found;
        let line = &text[start..newline];
        let before = if text[..newline].trim().is_empty() { before } else { Side::Content };
        let after = if text[newline + 1..].trim().is_empty() { after } else { Side::Content };
        let breaks = !matches!(before, Side::Block | Side::Quiet | Side::Br)
            && !matches!(after, Side::Block | Side::Quiet);
        if breaks {
            out.push_str(line.trim_end());
            out.push_str("<br />\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
        start = newline + 1;
    }
    out.push_str(&text[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(content: &str, expect: &str) {
        assert_eq!(autop(content), expect, "from {content:?}");
    }

    #[test]
    fn paragraphs_and_breaks() {
        check("أ\nب\n\nج", "<p>أ<br />\nب</p>\n<p>ج</p>\n");
        check("أ  \nب\n \t\n\n\nج", "<p>أ<br />\nب</p>\n<p>ج</p>\n");
        check("أ<br>\nب<br />\n  <br/>\nج", "<p>أ<br>\nب</p>\n<p>ج</p>\n");
        check("", "");
        check(" \n\n ", "");
    }

    #[test]
    fn blocks_are_not_wrapped() {
        check(
            "مقدمة\n<ul>\n<li>أول\nثان</li>\n</ul>\nخاتمة",
            "<p>مقدمة</p>\n<ul>\n<li>أول<br />\nثان</li>\n</ul>\n<p>خاتمة</p>\n",
        );
        check("<div>\nنص\n</div>", "<div>\nنص\n</div>\n");
        // As WordPress: the paragraph closes right before the block's end tag.
        check("<div>\n\nنص\n</div>", "<div>\n<p>نص\n</p></div>\n");
        check("<h2>عنوان</h2>نص<hr>بعد", "<h2>عنوان</h2>\n<p>نص</p>\n<hr>\n<p>بعد</p>\n");
        check("<table><tr><td>أ</td></tr></table>", "<table>\n<tr>\n<td>أ</td>\n</tr>\n</table>\n");
    }

    #[test]
    fn blockquote_gets_its_paragraphs_inside() {
        check(
            "<blockquote>قول\n\nقول آخر</blockquote>",
            "<blockquote><p>قول</p>\n<p>قول آخر</p></blockquote>\n",
        );
        check(
            "<blockquote class=\"wp-block-quote\"><p>قول</p><cite>قائل</cite></blockquote>",
            "<blockquote class=\"wp-block-quote\">\n<p>قول</p>\n<p><cite>قائل</cite></p></blockquote>\n",
        );
    }

    #[test]
    fn untouched_elements() {
        check("<pre>أ\n\nب</pre>\nبعد", "<pre>أ\n\nب</pre>\n<p>بعد</p>\n");
        check("نص <script>a;\n\nb;</script> بعد", "<p>نص <script>a;\n\nb;</script> بعد</p>\n");
        check("<style>\np {}\n\n</style>", "<style>\np {}\n\n</style>\n");
    }

    #[test]
    fn quiet_tags_take_no_break() {
        check(
            "<figure><img src=\"a.jpg\">\n<figcaption>تعليق</figcaption></figure>",
            "<figure><img src=\"a.jpg\">\n<figcaption>تعليق</figcaption></figure>\n",
        );
        check(
            "<video controls>\n<source src=\"a.mp4\">\n</video>",
            "<p><video controls>\n<source src=\"a.mp4\">\n</video></p>\n",
        );
        check(
            "<select>\n<option>أ</option>\n<option>ب</option>\n</select>",
            "<p><select>\n<option>أ</option>\n<option>ب</option>\n</select></p>\n",
        );
        check("<a href=\"x\">\nرابط</a>", "<p><a href=\"x\"><br />\nرابط</a></p>\n");
    }
}
