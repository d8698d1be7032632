//! Random text that reads like an Arabic news title, for the property tests of this module's
//! pure functions (issue 17).
//!
//! Real titles mix Arabic words (U+0621–U+064A, sometimes with harakat, the superscript alef
//! or a stretching tatweel), Latin words, numbers in ASCII or Arabic-Indic digits (U+0660–U+0669)
//! and punctuation, Arabic (، ؛ ؟ « ») and Latin. Each property test draws texts from [`text`];
//! a failure shrinks to a short one. Test-only: the crate never builds it outside `cargo test`.

use proptest::char::range;
use proptest::prelude::*;
use proptest::sample::select;

/// The harakat (fathatan to sukun, U+064B–U+0652) and the superscript alef (U+0670).
pub(super) const HARAKAT: &[char] = &[
    '\u{064B}', '\u{064C}', '\u{064D}', '\u{064E}', '\u{064F}', '\u{0650}', '\u{0651}', '\u{0652}',
    '\u{0670}',
];

/// The tatweel (kashida).
pub(super) const TATWEEL: char = '\u{0640}';

/// Punctuation between words, Arabic and Latin.
const PUNCTUATION: &[&str] =
    &[" ", "  ", "، ", "؛ ", "؟", " «", "» ", ": ", ". ", ", ", "!", " - ", "(", ") ", "\"", "…"];

/// One Arabic letter of U+0621–U+064A (the tatweel, U+0640, comes from [`arabic_word`]).
fn arabic_letter() -> impl Strategy<Value = char> {
    prop_oneof![range('\u{0621}', '\u{063F}'), range('\u{0641}', '\u{064A}')]
}

/// A letter followed by up to two harakat and maybe a tatweel: «بَّـ».
fn decorated_letter() -> impl Strategy<Value = String> {
    let marks = proptest::collection::vec(select(HARAKAT), 0..=2);
    (arabic_letter(), marks, proptest::bool::weighted(0.1)).prop_map(|(letter, marks, tatweel)| {
        let mut out = String::from(letter);
        out.extend(marks);
        if tatweel {
            out.push(TATWEEL);
        }
        out
    })
}

/// An Arabic word of one to seven letters, harakat and tatweel included.
fn arabic_word() -> impl Strategy<Value = String> {
    proptest::collection::vec(decorated_letter(), 1..=7).prop_map(|letters| letters.concat())
}

/// A Latin word, mixed case: `iPhone`, `AI`.
fn latin_word() -> impl Strategy<Value = String> {
    proptest::collection::vec(prop_oneof![range('a', 'z'), range('A', 'Z')], 1..=8)
        .prop_map(|chars| chars.into_iter().collect())
}

/// A number in ASCII or Arabic-Indic digits: `2026`, «٢٠٢٦».
fn number() -> impl Strategy<Value = String> {
    proptest::collection::vec(prop_oneof![range('0', '9'), range('\u{0660}', '\u{0669}')], 1..=4)
        .prop_map(|chars| chars.into_iter().collect())
}

/// A title: up to ten words (mostly Arabic), each followed by a space or punctuation.
pub(super) fn text() -> impl Strategy<Value = String> {
    let word = prop_oneof![6 => arabic_word(), 2 => latin_word(), 1 => number()];
    let piece = (word, select(PUNCTUATION)).prop_map(|(word, sep)| word + sep);
    proptest::collection::vec(piece, 0..=10).prop_map(|pieces| pieces.concat())
}

/// `text` without harakat, the superscript alef and tatweel.
pub(super) fn bare(text: &str) -> String {
    text.chars().filter(|c| !HARAKAT.contains(c) && *c != TATWEEL).collect()
}
