//! HTML escaping for the tags the Markdown passes write themselves.
//!
//! Most of the output comes from pulldown-cmark's own writer, which escapes what it writes. The
//! passes replace a few tags with raw `Event::Html` (an `<img>` with `loading`, an external `<a>`
//! with `rel`, a `<pre>` with `data-lang`), and those have to be escaped here. The rules are the
//! ones pulldown-cmark uses (its escaping functions live in a crate midad doesn't depend on), so a
//! link reads the same whichever path wrote it. This is escaping, not sanitising: raw HTML in
//! Markdown is trusted and passes through untouched.

/// Appends `s` for use between tags: `&`, `<` and `>` escaped.
pub(super) fn text(out: &mut String, s: &str) {
    escape(out, s, false);
}

/// Appends `s` for use inside a double-quoted attribute value: quotes escaped as well.
pub(crate) fn attr(out: &mut String, s: &str) {
    escape(out, s, true);
}

fn escape(out: &mut String, s: &str, quotes: bool) {
    // Every value a template prints comes through here, most of them short texts without markup,
    // so the words are tested for markup all at once.
    replace_words(out, s, crate::scan::has_markup, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' if quotes => Some("&quot;"),
        b'\'' if quotes => Some("&#39;"),
        _ => None,
    });
}

/// Appends `s`, each ASCII byte of `replacements` replaced by its string; the runs between are
/// copied whole. Bytes of multi-byte characters are never ASCII, so Arabic text is copied as it
/// is.
pub(crate) fn replace_ascii(out: &mut String, s: &str, replacements: &[(u8, &str)]) {
    replace_words(
        out,
        s,
        |word| replacements.iter().any(|&(b, _)| crate::scan::has(word, b)),
        |b| replacements.iter().find(|&&(r, _)| r == b && r.is_ascii()).map(|&(_, with)| with),
    );
}

/// Appends `s` with each byte for which `replacement` gives a string replaced by it. Eight bytes
/// at a time are skipped while `may_hold` says none of them is one to replace; only the eight
/// that may hold one are looked at byte by byte. `replacement` must answer `None` for every
/// byte that is not ASCII.
fn replace_words<'r>(
    out: &mut String,
    s: &str,
    may_hold: impl Fn(u64) -> bool,
    replacement: impl Fn(u8) -> Option<&'r str>,
) {
    let bytes = s.as_bytes();
    let mut mark = 0;
    let mut i = 0;
    while i < bytes.len() {
        i = crate::scan::skip_words(bytes, i, &may_hold);
        let end = (i + 8).min(bytes.len());
        while i < end {
            if let Some(with) = replacement(bytes[i]) {
                // Replaced bytes are ASCII, so `mark..i` and `i + 1` are char boundaries.
                out.push_str(&s[mark..i]);
                out.push_str(with);
                mark = i + 1;
            }
            i += 1;
        }
    }
    out.push_str(&s[mark..]);
}

/// Appends the URL `s` for use inside a double-quoted `href` or `src`: bytes that are unsafe in a
/// URL are percent-encoded (non-ASCII as UTF-8 bytes), `&` and `'` become entities, exactly as
/// pulldown-cmark writes the links it renders itself.
pub(super) fn href(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut mark = 0;
    for (i, b) in s.bytes().enumerate() {
        if b.is_ascii_alphanumeric() || b"!#$%()*+,-./:;=?@^_~".contains(&b) {
            continue;
        }
        // A multi-byte char is encoded byte by byte: `mark` sits inside it until its last byte,
        // and then `mark == i` here, so a slice is only taken between char boundaries.
        if mark < i {
            out.push_str(&s[mark..i]);
        }
        match b {
            b'&' => out.push_str("&amp;"),
            b'\'' => out.push_str("&#x27;"),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xF)]));
            }
        }
        mark = i + 1;
    }
    out.push_str(&s[mark..]);
}

/// An HTML attribute value with the character references for markup characters decoded
/// (`&amp;`, `&quot;`, `&#39;`, `&#x27;`, `&lt;`, `&gt;`): those HTML attributes hold in practice.
pub(crate) fn unescape_attribute(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(f: fn(&mut String, &str), input: &str, expect: &str) {
        let mut out = String::new();
        f(&mut out, input);
        assert_eq!(out, expect);
    }

    /// The word-at-a-time scan against a plain byte loop, on texts made of the bytes that matter
    /// (every ASCII byte, Arabic letters) at every offset and length.
    #[test]
    fn the_fast_scan_escapes_as_a_byte_loop_does() {
        fn slow(s: &str, quotes: bool) -> String {
            let mut out = String::new();
            for c in s.chars() {
                match c {
                    '&' => out.push_str("&amp;"),
                    '<' => out.push_str("&lt;"),
                    '>' => out.push_str("&gt;"),
                    '"' if quotes => out.push_str("&quot;"),
                    '\'' if quotes => out.push_str("&#39;"),
                    c => out.push(c),
                }
            }
            out
        }
        let alphabet: Vec<char> =
            (0u8..0x80).map(char::from).chain("سلام «قال» ـ\u{200F}".chars()).collect();
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (seed >> 59) as usize + (seed >> 40 & 7) as usize;
            let text: String = (0..len)
                .map(|k| {
                    let pick = (seed >> (k % 6 * 8)) as usize + k * 7;
                    // Mostly letters, so that whole words without markup are common.
                    if pick.is_multiple_of(5) { alphabet[pick / 5 % alphabet.len()] } else { 'ب' }
                })
                .collect();
            for quotes in [false, true] {
                let mut out = String::new();
                escape(&mut out, &text, quotes);
                assert_eq!(out, slow(&text, quotes), "{text:?}");
            }
        }
    }

    #[test]
    fn replace_ascii_replaces_each_listed_byte() {
        let replacements = [(b'<', "\\u003c"), (b'>', "\\u003e"), (b'&', "\\u0026")];
        let pieces = ["<", ">", "&", "\"headline\":", "«خبر عاجل»", "</script>", "a", " "];
        for text in crate::scan::texts_of(&pieces, 3, 5_000, (0, 23)) {
            let expect =
                text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
            let mut out = String::new();
            replace_ascii(&mut out, &text, &replacements);
            assert_eq!(out, expect, "{text:?}");
        }
    }

    #[test]
    fn escapes() {
        check(text, "a < b & \"c\"", "a &lt; b &amp; \"c\"");
        check(attr, "«قال» \"x\" 'y' <z>", "«قال» &quot;x&quot; &#39;y&#39; &lt;z&gt;");
        check(href, "https://example.com/a?b=1&c=2", "https://example.com/a?b=1&amp;c=2");
        check(href, "/سياسة/", "/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/");
        check(href, "x\" onerror='y'", "x%22%20onerror=&#x27;y&#x27;");
        check(href, "", "");
    }
}
