//! Slugs (`arabic::slug`): the first byte picks the style and a length cap, the rest is the
//! title. A slug is a valid URL path segment (words of letters and digits joined by single
//! dashes) in NFC, is non-empty when the title has a letter or digit (Arabic style), is its own
//! slug (so pinning a generated slug with `slug:` keeps the URL), is the same for the NFC and NFD
//! forms of a title and with or without harakat and tatweel, and a capped slug is the uncapped
//! one cut at a word boundary.

#![no_main]

use libfuzzer_sys::fuzz_target;
use midad::arabic::slug::{SlugStyle, slugify, slugify_capped};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else { return };
    let Ok(title) = std::str::from_utf8(rest) else { return };
    let style = if flags & 1 == 0 { SlugStyle::Arabic } else { SlugStyle::Latin };
    let cap = usize::from(flags >> 1);

    let slug = slugify(title, style);
    check_segment(&slug);
    assert!(unicode_normalization::is_nfc(&slug), "{slug:?} is not NFC");
    assert_eq!(slugify(&slug, style), slug, "a slug is its own slug");
    let nfd: String = title.nfd().collect();
    assert_eq!(slugify(&nfd, style), slug, "NFD form of {title:?}");
    let bare: String = title.chars().filter(|&c| !is_haraka_or_tatweel(c)).collect();
    assert_eq!(slugify(&bare, style), slug, "{title:?} without harakat and tatweel");
    if style == SlugStyle::Arabic && has_letter_or_digit(title) {
        assert!(!slug.is_empty(), "{title:?} has a letter or digit");
    }

    let capped = slugify_capped(title, style, cap);
    check_segment(&capped);
    assert!(capped.chars().count() <= cap, "{capped:?} is longer than {cap}");
    let Some(after) = slug.strip_prefix(capped.as_str()) else {
        panic!("{capped:?} is not a prefix of {slug:?}");
    };
    // Cut at a dash, or inside the first word when that alone is longer than the cap.
    let cut_inside_first_word = !capped.contains('-') && capped.chars().count() == cap;
    assert!(after.is_empty() || after.starts_with('-') || cut_inside_first_word, "{slug:?}");
});

/// Words of letters, digits and marks joined by single dashes: nothing a URL path segment
/// must escape in ASCII, no spaces, controls or invisible marks, never `.` or `..`.
fn check_segment(slug: &str) {
    if slug.is_empty() {
        return;
    }
    assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "{slug:?}");
    for c in slug.chars() {
        let ok = if c.is_ascii() {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
        } else {
            (c.is_alphanumeric() || is_combining_mark(c)) && !c.is_whitespace()
        };
        assert!(ok, "{c:?} (U+{:04X}) in slug {slug:?}", c as u32);
    }
}

/// The harakat U+064B–U+0652, the superscript alef U+0670 and the tatweel U+0640.
fn is_haraka_or_tatweel(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}')
}

/// Tashkeel as `arabic::slug` documents it: U+0610–U+061A, U+064B–U+065F, U+0670,
/// U+06D6–U+06ED, U+08D3–U+08FF.
fn is_tashkeel(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{08D3}'..='\u{08FF}')
}

/// Whether `title` has a character the slug keeps: a letter that is not a mark, tatweel or
/// apostrophe-like (the slug drops those inside words), or a digit.
fn has_letter_or_digit(title: &str) -> bool {
    title.nfc().any(|c| {
        let dropped =
            is_combining_mark(c) || is_tashkeel(c) || matches!(c, '\u{0640}' | '\u{02BC}');
        (c.is_alphabetic() && !dropped)
            || c.is_ascii_digit()
            || matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
    })
}
