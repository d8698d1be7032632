//! Text direction from strong characters.
//!
//! An Arabic page must decide, block by block, whether a paragraph, heading or title is
//! right-to-left. Blanket `dir="auto"` looks only at the first strong character, so
//! «Apple تعلن …» would be laid out left-to-right; midad instead calls a text right-to-left as
//! soon as it contains any strong right-to-left letter.
//! Strong characters are the letters of bidi class L, R and AL; digits, punctuation, symbols,
//! emoji and combining marks are weak or neutral and never decide.
//!
//! The right-to-left set is taken from the Unicode blocks whose letters are bidi class R or AL
//! (Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic, their supplements, the RTL
//! presentation forms and the supplementary-plane RTL scripts), restricted to alphabetic
//! characters so that Arabic digits and punctuation stay neutral. Any other alphabetic character
//! is strong left-to-right. This avoids a dependency for a question that only needs letters.

use super::script::{is_tashkeel, is_tatweel};

/// A base text direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Right-to-left (Arabic, Hebrew, …).
    Rtl,
    /// Left-to-right (Latin, Cyrillic, …).
    Ltr,
}

impl Direction {
    /// The HTML `dir` attribute value: `"rtl"` or `"ltr"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Rtl => "rtl",
            Direction::Ltr => "ltr",
        }
    }
}

/// Whether `c` lies in a block whose letters are strong right-to-left.
fn in_rtl_block(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{08FF}'
        | '\u{FB1D}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
        | '\u{10800}'..='\u{10FFF}'
        | '\u{1E800}'..='\u{1EFFF}')
}

/// The strong direction of a single character, if it has one.
fn char_direction(c: char) -> Option<Direction> {
    match c {
        '\u{200F}' => Some(Direction::Rtl), // RIGHT-TO-LEFT MARK
        '\u{200E}' => Some(Direction::Ltr), // LEFT-TO-RIGHT MARK
        _ if !c.is_alphabetic() || is_tashkeel(c) || is_tatweel(c) => None,
        _ if in_rtl_block(c) => Some(Direction::Rtl),
        _ => Some(Direction::Ltr),
    }
}

/// [`Direction::Rtl`] if `text` has any strong right-to-left letter (Arabic, Hebrew, Syriac,
/// Thaana, …: bidi class R or AL); [`Direction::Ltr`] if it has strong left-to-right letters and
/// no right-to-left ones; `None` if it has no strong letters at all (only digits, punctuation,
/// symbols or emoji), so the caller keeps the surrounding direction.
pub fn strong_direction(text: &str) -> Option<Direction> {
    let mut found = None;
    for c in text.chars() {
        match char_direction(c) {
            Some(Direction::Rtl) => return Some(Direction::Rtl),
            Some(Direction::Ltr) => found = Some(Direction::Ltr),
            None => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, expect: Option<Direction>) {
        assert_eq!(strong_direction(input), expect, "input: {input:?}");
    }

    #[test]
    fn directions() {
        use Direction::{Ltr, Rtl};
        let cases = [
            ("Apple تعلن عن هاتف جديد", Some(Rtl)),
            ("iPhone 17 يصل إلى مصر", Some(Rtl)),
            ("2026 عام الانتخابات", Some(Rtl)),
            ("الحكومة تعلن موازنة 2027", Some(Rtl)),
            ("Hello world", Some(Ltr)),
            ("«The New York Times»", Some(Ltr)),
            ("Café au lait", Some(Ltr)),
            ("Москва", Some(Ltr)),
            ("שלום עולם", Some(Rtl)),
            ("ܫܠܡܐ", Some(Rtl)), // Syriac
            ("ދިވެހި", Some(Rtl)),  // Thaana
            ("ﻻ", Some(Rtl)),    // presentation form
            ("2026", None),
            ("٢٠٢٦", None),
            ("۲۰۲۶", None),
            ("، ؛ ؟ « »", None),
            ("🎉🔥", None),
            ("$100 + 5%", None),
            ("\u{064E}\u{0651}\u{0640}", None),
            ("", None),
            ("\u{200F}2026", Some(Rtl)),
            ("\u{200E}٢٠٢٦", Some(Ltr)),
        ];
        for (input, expect) in cases {
            check(input, expect);
        }
    }

    #[test]
    fn as_str() {
        assert_eq!(Direction::Rtl.as_str(), "rtl");
        assert_eq!(Direction::Ltr.as_str(), "ltr");
    }

    mod properties {
        //! Properties of direction detection over random Arabic text, issue 17.

        use proptest::prelude::*;

        use super::super::*;
        use crate::arabic::arbitrary::{bare, text};

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Any Arabic letter makes a text right-to-left; else a Latin letter makes it
            /// left-to-right; digits and punctuation alone decide nothing. Harakat and tatweel
            /// never change the answer.
            #[test]
            fn arabic_letters_decide(text in text()) {
                let is_letter = |c| matches!(c, '\u{0621}'..='\u{063F}' | '\u{0641}'..='\u{064A}');
                let arabic = text.contains(is_letter);
                let expect = if arabic {
                    Some(Direction::Rtl)
                } else if text.contains(|c: char| c.is_ascii_alphabetic()) {
                    Some(Direction::Ltr)
                } else {
                    None
                };
                prop_assert_eq!(strong_direction(&text), expect);
                prop_assert_eq!(strong_direction(&bare(&text)), expect);
            }
        }
    }
}
