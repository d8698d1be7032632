//! Braces that would open a midad shortcode call, written so they stay text.
//!
//! midad reads `{{ name(…) }}` and `{% name(…) %}` as calls everywhere but in code spans and
//! code blocks, HTML included, and `{{/* … */}}` as an escaped call. A post about templates (or a
//! stray `{{ x }}`) must render as written, so the second character of every `{{` and `{%` in
//! the output is written as a character reference (`{&#123;`, `{&#37;`): Markdown and HTML both
//! decode it, and the scan never sees the pair. Code is never scanned and never decodes
//! references, so it is left alone; so is midad's call syntax this module writes itself.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};

/// The character reference for the second character (`{` or `%`) of an opener.
pub(super) fn reference(c: char) -> &'static str {
    if c == '{' { "&#123;" } else { "&#37;" }
}

/// The content of `<script>` or `<style>`, which decodes no references: `{/**/{` and `{/**/%`,
/// a comment in both languages.
pub(super) fn escape_raw_text(text: &str) -> Cow<'_, str> {
    escape_outside(text, &[], |c| if c == '{' { "/**/{" } else { "/**/%" })
}

/// Markdown with its `{{` and `{%` escaped outside code spans and code blocks.
pub(super) fn escape_markdown(md: &str) -> Cow<'_, str> {
    if !has_opener(md) {
        return Cow::Borrowed(md);
    }
    let code: Vec<Range<usize>> = Parser::new_ext(md, super::cmark::OPTIONS)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, range)| range)
        .collect();
    escape_outside(md, &code, reference)
}

fn has_opener(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// `text` with `escaped(c)` for each `{` or `%` right after a `{`, outside the ranges `skip`
/// (sorted).
fn escape_outside<'t>(
    text: &'t str,
    skip: &[Range<usize>],
    escaped: impl Fn(char) -> &'static str,
) -> Cow<'t, str> {
    if !has_opener(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut after_brace = false;
    for (at, c) in text.char_indices() {
        let opens = after_brace && (c == '{' || c == '%');
        if opens && !skip.iter().any(|range| range.contains(&at)) {
            out.push_str(escaped(c));
        } else {
            out.push(c);
        }
        after_brace = c == '{';
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openers_are_references() {
        assert_eq!(
            escape_markdown("قالب {{ x(a=1) }} و{% if %}"),
            "قالب {&#123; x(a=1) }} و{&#37; if %}"
        );
        assert_eq!(escape_markdown("{{{"), "{&#123;&#123;");
        assert_eq!(escape_markdown("{ { } %"), "{ { } %");
        assert_eq!(escape_raw_text("if (a) {{b()}}"), "if (a) {/**/{b()}}");
    }

    #[test]
    fn code_stays_as_written() {
        let md = "نص {{ a() }} و`{{ b() }}`\n\n```\n{% c() %}\n```\n";
        assert_eq!(escape_markdown(md), "نص {&#123; a() }} و`{{ b() }}`\n\n```\n{% c() %}\n```\n");
    }
}
