//! Tags read as text: where one starts and ends, its name, and whether it closes.
//!
//! WordPress treats a post's content as text with tags in it: `wpautop` splits it on blank lines
//! and the shortcode scan reads brackets, both stepping over tags and over the elements whose
//! content is not prose (`<pre>`, `<code>`, `<script>`, `<style>`). This reads just enough of a
//! tag for that; building the tree is html5ever's job, later.

/// A tag as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Tag<'s> {
    /// The element's name as written (compare it ignoring ASCII case).
    pub(super) name: &'s str,
    /// `</name>`.
    pub(super) closing: bool,
    /// Where the tag starts (its `<`).
    pub(super) start: usize,
    /// Just after its `>` (or the end of the text, for a tag that is never closed).
    pub(super) end: usize,
}

impl Tag<'_> {
    /// Whether this is the element `name` (lower case).
    pub(super) fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// Whether it is one of `names` (lower case).
    pub(super) fn is_any(&self, names: &[&str]) -> bool {
        names.iter().any(|name| self.is(name))
    }
}

/// The tag starting at `at` (a `<`), if one does: `<` then a letter (or `/` and a letter).
/// Quoted attribute values may hold `>`.
pub(super) fn read(src: &str, at: usize) -> Option<Tag<'_>> {
    let bytes = src.as_bytes();
    if bytes.get(at) != Some(&b'<') {
        return None;
    }
    let closing = bytes.get(at + 1) == Some(&b'/');
    let name_start = at + 1 + usize::from(closing);
    if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_len = bytes[name_start..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':'))
        .unwrap_or(bytes.len() - name_start);
    let name = &src[name_start..name_start + name_len];
    let end = tag_end(bytes, name_start + name_len);
    Some(Tag { name, closing, start: at, end })
}

/// Just after the `>` that ends a tag whose attributes start at `from`.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut at = from;
    let mut after_equals = false;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'>' => return at + 1,
            b'"' | b'\'' if after_equals => {
                let close = bytes[at + 1..].iter().position(|b| *b == byte);
                match close {
                    Some(offset) => at += offset + 1,
                    None => return bytes.len(),
                }
                after_equals = false;
            }
            b'=' => after_equals = true,
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => after_equals = false,
        }
        at += 1;
    }
    bytes.len()
}

/// Just after the `</name>` that closes the element whose start tag ends at `from`, or the end
/// of the text if it is never closed.
pub(super) fn element_end(src: &str, from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(found) = src[at..].find("</") {
        let start = at + found;
        if let Some(tag) = read(src, start).filter(|tag| tag.closing && tag.is(name)) {
            return tag.end;
        }
        at = start + 2;
    }
    src.len()
}

/// Elements whose content WordPress does not read as prose, and which the shortcode scan and
/// autop step over whole.
pub(super) const OPAQUE: &[&str] = &["pre", "script", "style", "textarea", "svg", "math"];

/// `src` without its comments (`<!-- … -->`, Gutenberg's `<!-- wp:… -->` among them); the
/// content of `<script>` and `<style>` stays as written.
pub(super) fn strip_comments(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut copied = 0;
    let mut at = 0;
    while let Some(found) = src[at..].find('<') {
        let start = at + found;
        if src[start..].starts_with("<!--") {
            out.push_str(&src[copied..start]);
            let end = src[start + 4..].find("-->").map_or(src.len(), |end| start + 4 + end + 3);
            copied = end;
            at = end;
            continue;
        }
        at = match read(src, start) {
            Some(tag) if !tag.closing && tag.is_any(&["script", "style"]) => {
                element_end(src, tag.end, tag.name)
            }
            Some(tag) => tag.end,
            None => start + 1,
        };
    }
    out.push_str(&src[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags() {
        let src = "نص <a href=\"x>y\" title='a'>رابط</a> و</P> < لا";
        let tag = read(src, src.find("<a").unwrap()).unwrap();
        assert_eq!((tag.name, tag.closing), ("a", false));
        assert_eq!(&src[tag.start..tag.end], "<a href=\"x>y\" title='a'>");
        let close = read(src, src.find("</P").unwrap()).unwrap();
        assert!(close.closing && close.is("p"));
        assert_eq!(read(src, src.find("< ").unwrap()), None);
        // Never closed: up to the end.
        assert_eq!(read("<img src=\"a", 0).unwrap().end, 11);
    }

    #[test]
    fn finds_the_end_of_an_element() {
        let src = "<pre>a </p> <b>[x]</b></PRE> بعد";
        let tag = read(src, 0).unwrap();
        assert_eq!(&src[element_end(src, tag.end, "pre")..], " بعد");
        assert_eq!(element_end("<pre>بلا نهاية", 5, "pre"), "<pre>بلا نهاية".len());
    }

    #[test]
    fn strips_comments_but_not_in_scripts() {
        let src = "<!-- wp:paragraph -->\n<p>نص</p>\n<!-- /wp:paragraph --><script><!-- x --></script><!-- open";
        assert_eq!(strip_comments(src), "\n<p>نص</p>\n<script><!-- x --></script>");
    }
}
