//! A small XML writer for feeds and sitemaps: elements, attributes, escaped text and CDATA.
//!
//! Feeds and sitemaps carry user text (titles with quotes, `&`, `<script>`, `]]>`, Arabic
//! punctuation, RTL marks) and must stay well-formed whatever it is, so every text and attribute
//! value goes through one escaping function here, and characters XML 1.0 cannot carry at all
//! (C0 controls other than tab and newlines, U+FFFE, U+FFFF) are dropped rather than written.
//! It is a writer only: it does not parse XML, pretty-print arbitrary trees or check names
//! (element and attribute names are literals of the callers).

use crate::scan;

/// Builds one XML document in memory, indenting nested elements by two spaces.
pub(crate) struct XmlWriter {
    out: String,
    open: Vec<&'static str>,
    /// Indentation of the outermost element: nonzero for a fragment.
    depth: usize,
}

impl XmlWriter {
    /// A document starting with the XML declaration (UTF-8).
    pub(crate) fn new() -> XmlWriter {
        XmlWriter {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            open: Vec::new(),
            depth: 0,
        }
    }

    /// [`XmlWriter::new`] with room for `capacity` bytes.
    pub(crate) fn with_capacity(capacity: usize) -> XmlWriter {
        let mut xml = XmlWriter::new();
        xml.out.reserve(capacity);
        xml
    }

    /// A fragment without declaration, to be inserted with [`XmlWriter::raw`] into a document
    /// at `depth` open elements (so that its indentation fits there).
    pub(crate) fn fragment(depth: usize) -> XmlWriter {
        XmlWriter { out: String::new(), open: Vec::new(), depth }
    }

    /// Inserts a finished fragment (see [`XmlWriter::fragment`]) as it is.
    pub(crate) fn raw(&mut self, fragment: &str) {
        self.out.push_str(fragment);
    }

    /// Opens `<name attrs…>`; [`XmlWriter::close`] closes it.
    pub(crate) fn open(&mut self, name: &'static str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str(">\n");
        self.open.push(name);
    }

    /// Closes the innermost open element.
    pub(crate) fn close(&mut self) {
        let name = self.open.pop().expect("invariant: close matches an open");
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name attrs…>text</name>` with `text` escaped.
    pub(crate) fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.text_parts(name, attrs, &[text]);
    }

    /// [`XmlWriter::text`] of the text made of `parts`, one after the other.
    pub(crate) fn text_parts(&mut self, name: &str, attrs: &[(&str, &str)], parts: &[&str]) {
        self.start_tag(name, attrs);
        self.out.push('>');
        for part in parts {
            escape_into(&mut self.out, part);
        }
        self.end_tag(name);
    }

    /// `<name attrs…><![CDATA[text]]></name>`; a `]]>` inside `text` is split across two
    /// CDATA sections so it cannot end the first one early.
    #[cfg(test)]
    pub(crate) fn cdata(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.cdata_parts(name, attrs, &[text]);
    }

    /// [`XmlWriter::cdata`] of the text made of `parts`, one after the other.
    pub(crate) fn cdata_parts(&mut self, name: &str, attrs: &[(&str, &str)], parts: &[&str]) {
        // A `]]>` across parts (the end of the text so far and the start of a part): written
        // as one text.
        let mut tail: Vec<u8> = Vec::with_capacity(4);
        let straddles = parts.iter().any(|part| {
            let before = tail.len();
            tail.extend(part.bytes().take(2));
            let found = tail.windows(3).enumerate().any(|(i, w)| w == b"]]>" && i < before);
            tail.truncate(before);
            tail.extend_from_slice(&part.as_bytes()[part.len().saturating_sub(2)..]);
            tail.drain(..tail.len().saturating_sub(2));
            found
        });
        if straddles {
            return self.cdata_parts(name, attrs, &[&parts.concat()]);
        }
        self.start_tag(name, attrs);
        self.out.push_str("><![CDATA[");
        for part in parts {
            cdata_text_into(&mut self.out, part);
        }
        self.out.push_str("]]>");
        self.end_tag(name);
    }

    /// `<name attrs…/>`.
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.start_tag(name, attrs);
        self.out.push_str("/>\n");
    }

    /// The document; every opened element must have been closed.
    pub(crate) fn finish(self) -> String {
        debug_assert!(self.open.is_empty(), "unclosed elements: {:?}", self.open);
        self.out
    }

    fn start_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attrs {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
    }

    fn end_tag(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    fn indent(&mut self) {
        for _ in 0..self.depth + self.open.len() {
            self.out.push_str("  ");
        }
    }
}

/// Appends `text` escaped for element content and double- or single-quoted attribute values.
///
/// Runs of plain text are copied whole: the characters to replace or drop are ASCII (markup and
/// control characters) or U+FFFE/U+FFFF, whose UTF-8 starts with 0xEF, so a byte scan finds them
/// without decoding (feeds escape whole article bodies, so this is a hot loop).
fn escape_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time while none is one to look at, then those eight one by one.
        i = scan::skip_words(bytes, i, |word| {
            scan::has_markup(word) || scan::has_below(word, 0x20) || scan::has(word, 0xEF)
        });
        let end = (i + 8).min(bytes.len());
        while i < end {
            if !SPECIAL[usize::from(bytes[i])] {
                i += 1;
                continue;
            }
            let (replacement, len) = match bytes[i] {
                b'&' => ("&amp;", 1),
                b'<' => ("&lt;", 1),
                b'>' => ("&gt;", 1),
                b'"' => ("&quot;", 1),
                b'\'' => ("&apos;", 1),
                _ => match dropped_at(bytes, i) {
                    0 => {
                        i += 1;
                        continue;
                    }
                    len => ("", len),
                },
            };
            out.push_str(&text[start..i]);
            out.push_str(replacement);
            i += len;
            start = i;
        }
    }
    out.push_str(&text[start..]);
}

/// The bytes [`escape_into`] looks at: markup, control characters, and 0xEF (which starts
/// U+FFFE and U+FFFF); a table lookup skips the others fast.
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = true;
    table[b'\'' as usize] = true;
    table[0xEF] = true;
    table
};

/// Appends `text` for a CDATA section: without the characters XML 1.0 cannot contain, and with
/// each `]]>` of what remains split across two sections (`]]]]><![CDATA[>`).
///
/// One scan over the bytes finds the `]]>`s, as long as there is nothing to drop (feeds write
/// whole article bodies, so this is a hot loop); text with a character to drop, which could hide
/// a `]]>` (`]]\u{1}>`), takes the slower way of dropping first.
fn cdata_text_into(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let before = out.len();
    let (mut start, mut i) = (0, 0);
    while i < bytes.len() {
        // Eight bytes at a time while none is one to look at, then those eight one by one.
        i = scan::skip_words(bytes, i, |word| {
            scan::has(word, b']') || scan::has_below(word, 0x20) || scan::has(word, 0xEF)
        });
        let end = (i + 8).min(bytes.len());
        while i < end {
            if !CDATA_SPECIAL[usize::from(bytes[i])] {
                i += 1;
            } else if bytes[i] != b']' {
                // A control character, or 0xEF, which starts U+FFFE and U+FFFF.
                if dropped_at(bytes, i) > 0 {
                    out.truncate(before);
                    return cdata_text_slow(out, text);
                }
                i += 1;
            } else if bytes[i..].starts_with(b"]]>") {
                out.push_str(&text[start..i]);
                out.push_str("]]]]><![CDATA[>");
                i += 3;
                start = i;
            } else {
                i += 1;
            }
        }
    }
    out.push_str(&text[start..]);
}

/// [`cdata_text_into`] for text with characters to drop: dropping them, then splitting `]]>`s.
fn cdata_text_slow(out: &mut String, text: &str) {
    let clean = xml_chars(text);
    let mut rest: &str = &clean;
    while let Some(end) = rest.find("]]>") {
        out.push_str(&rest[..end]);
        out.push_str("]]]]><![CDATA[>");
        rest = &rest[end + 3..];
    }
    out.push_str(rest);
}

/// The bytes [`cdata_text_into`] looks at: `]`, control characters but tab and newlines, and
/// 0xEF.
const CDATA_SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r');
        b += 1;
    }
    table[b']' as usize] = true;
    table[0xEF] = true;
    table
};

/// `text` without the characters XML 1.0 cannot contain (not even as a character reference).
fn xml_chars(text: &str) -> std::borrow::Cow<'_, str> {
    // A byte scan finds out whether there is any without decoding the text.
    let bytes = text.as_bytes();
    let clean = (0..bytes.len()).all(|i| dropped_at(bytes, i) == 0);
    if clean {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// How many bytes from `bytes[i]` make a character XML 1.0 cannot contain, which is dropped where
/// text is written: 1 for a C0 control but tab and newlines, 3 for U+FFFE and U+FFFF (0xEF 0xBF
/// 0xBE/0xBF, found without decoding), 0 for anything else.
fn dropped_at(bytes: &[u8], i: usize) -> usize {
    match bytes[i] {
        b'\t' | b'\n' | b'\r' => 0,
        b if b < 0x20 => 1,
        0xEF if matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF])) => 3,
        _ => 0,
    }
}

/// XML 1.0 `Char`: tab, newlines, and everything from U+0020 but U+FFFE and U+FFFF (Rust
/// strings hold no surrogates).
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(build: impl FnOnce(&mut XmlWriter), expect: &str) {
        let mut xml = XmlWriter::new();
        build(&mut xml);
        let out = xml.finish();
        let body = out.strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").unwrap();
        assert_eq!(body, expect);
        roxmltree::Document::parse(&out).unwrap();
    }

    #[test]
    fn escapes_text_and_attributes() {
        check(
            |x| {
                x.open("a", &[("t", "\"قال\" & 'رد' <b>")]);
                x.text("b", &[], "«عاجل»: 5 < 6 && \u{200F}x\u{200F} ]]> \"؟\"");
                x.close();
            },
            "<a t=\"&quot;قال&quot; &amp; &apos;رد&apos; &lt;b&gt;\">\n  <b>«عاجل»: 5 &lt; 6 &amp;&amp; \u{200F}x\u{200F} ]]&gt; &quot;؟&quot;</b>\n</a>\n",
        );
    }

    #[test]
    fn cdata_splits_its_terminator() {
        check(
            |x| x.cdata("c", &[], "<p>a]]>b</p>"),
            "<c><![CDATA[<p>a]]]]><![CDATA[>b</p>]]></c>\n",
        );
        let mut xml = XmlWriter::new();
        xml.cdata("c", &[], "x]]>y]]>]]>z");
        let out = xml.finish();
        let doc = roxmltree::Document::parse(&out).unwrap();
        assert_eq!(doc.root_element().text(), Some("x]]>y]]>]]>z"));
    }

    #[test]
    fn cdata_in_one_scan_equals_dropping_then_splitting() {
        // Texts of pieces that make, hide or break a `]]>`, or are dropped, or look like it.
        let pieces = [
            "]",
            "]]",
            ">",
            "]]>",
            "\u{1}",
            "\t",
            "\u{FFFE}",
            "\u{FFFF}",
            "\u{EFFF}",
            "ﻻ",
            "ي",
            "a",
            // Long enough to be skipped eight bytes at a time.
            "سلام عليكم ورحمة",
        ];
        for text in crate::scan::texts_of(&pieces, 7, 20_000, (6, 11)) {
            let (mut fast, mut slow) = (String::new(), String::new());
            cdata_text_into(&mut fast, &text);
            cdata_text_slow(&mut slow, &text);
            assert_eq!(fast, slow, "{text:?}");
        }
        let mut out = String::from("kept");
        cdata_text_into(&mut out, "a]]\u{1}>b");
        assert_eq!(out, "kepta]]]]><![CDATA[>b");
    }

    #[test]
    fn text_in_parts_is_the_text_they_make() {
        for parts in [&["a]]", ">b"][..], &["a]", "]>b"], &["a]", "]", ">b"], &["<p>", "x&y", ""]] {
            let whole = parts.concat();
            let (mut one, mut many) = (XmlWriter::new(), XmlWriter::new());
            one.cdata("c", &[], &whole);
            many.cdata_parts("c", &[], parts);
            assert_eq!(many.finish(), one.finish(), "{parts:?}");
            let (mut one, mut many) = (XmlWriter::new(), XmlWriter::new());
            one.text("t", &[], &whole);
            many.text_parts("t", &[], parts);
            assert_eq!(many.finish(), one.finish(), "{parts:?}");
        }
    }

    /// The scan that skips eight bytes at a time against the rules one character at a time, on
    /// texts of markup, dropped characters and Arabic at every offset.
    #[test]
    fn escaping_equals_escaping_each_character() {
        let pieces = [
            "&",
            "<",
            ">",
            "\"",
            "'",
            "\u{1}",
            "\n",
            "\u{FFFE}",
            "\u{FFFF}",
            "\u{EFFF}",
            "ﻻ",
            "a b",
            "سلام عليكم ورحمة",
            "/politics/",
            "]]>",
        ];
        for text in crate::scan::texts_of(&pieces, 11, 20_000, (1, 13)) {
            let mut expect = String::new();
            for c in text.chars().filter(|&c| is_xml_char(c)) {
                match c {
                    '&' => expect.push_str("&amp;"),
                    '<' => expect.push_str("&lt;"),
                    '>' => expect.push_str("&gt;"),
                    '"' => expect.push_str("&quot;"),
                    '\'' => expect.push_str("&apos;"),
                    c => expect.push(c),
                }
            }
            let mut out = String::new();
            escape_into(&mut out, &text);
            assert_eq!(out, expect, "{text:?}");
        }
    }

    #[test]
    fn escapes_markup_and_keeps_arabic() {
        let mut out = String::new();
        escape_into(&mut out, "«الأهلي» & <b>\"Zamalek\"</b> 'x' \u{FFFD}\u{FFFE}\u{EFFF}ـ");
        assert_eq!(
            out,
            "«الأهلي» &amp; &lt;b&gt;&quot;Zamalek&quot;&lt;/b&gt; &apos;x&apos; \u{FFFD}\u{EFFF}ـ"
        );
    }

    #[test]
    fn drops_characters_xml_cannot_carry() {
        check(
            |x| x.text("t", &[("a", "\u{1}b")], "a\u{0}b\u{B}c\u{FFFF}\td"),
            "<t a=\"b\">abc\td</t>\n",
        );
        check(|x| x.cdata("t", &[], "a\u{8}b"), "<t><![CDATA[ab]]></t>\n");
    }

    #[test]
    fn fragments_fit_their_depth() {
        let mut item = XmlWriter::fragment(1);
        item.text("i", &[], "x");
        let item = item.finish();
        check(
            |x| {
                x.open("list", &[]);
                x.raw(&item);
                x.close();
            },
            "<list>\n  <i>x</i>\n</list>\n",
        );
    }

    #[test]
    fn empty_elements_nest() {
        check(
            |x| {
                x.open("feed", &[]);
                x.empty("link", &[("href", "https://x.org/?a=1&b=2")]);
                x.close();
            },
            "<feed>\n  <link href=\"https://x.org/?a=1&amp;b=2\"/>\n</feed>\n",
        );
    }
}
