//! Digit styles: Western (0–9) or Arabic-Indic (٠–٩).
//!
//! Arabic news sites differ: most Egyptian and Gulf sites print 0–9, others print ٠–٩ as CLDR's
//! `ar-EG`/`ar-SA` defaults do. midad lets the site choose with [`Digits`] and converts any
//! digits already in a string (counts, years in titles, dates from ICU). Extended Arabic-Indic
//! digits (۰–۹, Persian and Urdu shapes) are accepted on input and converted like the others.
//! Only digits change: decimal and thousands separators are left alone, because their choice
//! depends on the number's grammar, not its script.

use serde::Deserialize;

use super::script::digit_value;

/// Which digit shapes a site prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Digits {
    /// Western digits 0–9 (CLDR numbering system `latn`), the default.
    #[default]
    Latn,
    /// Arabic-Indic digits ٠–٩ (CLDR numbering system `arab`).
    Arab,
}

impl Digits {
    /// The CLDR/BCP 47 numbering-system identifier: `"latn"` or `"arab"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Digits::Latn => "latn",
            Digits::Arab => "arab",
        }
    }

    /// The digit character for `value` (0–9) in this style.
    fn digit(self, value: u32) -> char {
        let zero = match self {
            Digits::Latn => '0',
            Digits::Arab => '\u{0660}',
        };
        char::from_u32(zero as u32 + value).unwrap_or(zero)
    }
}

/// Converts every digit in `text` (0–9, ٠–٩ or ۰–۹) to the `digits` style; everything else is
/// copied unchanged.
pub fn to_digits(text: &str, digits: Digits) -> String {
    text.chars().map(|c| digit_value(c).map_or(c, |v| digits.digit(v))).collect()
}

/// Converts every Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹) digit in `text` to ASCII
/// 0–9; shorthand for `to_digits(text, Digits::Latn)`.
pub fn to_ascii_digits(text: &str) -> String {
    to_digits(text, Digits::Latn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, digits: Digits, expect: &str) {
        assert_eq!(to_digits(input, digits), expect, "input: {input:?}");
    }

    #[test]
    fn to_latn() {
        let cases = [
            ("٢٠٢٦", "2026"),
            ("۲۰۲۶", "2026"),
            ("2026", "2026"),
            ("الأحد ٢٩ نوفمبر ٢٠٢٦", "الأحد 29 نوفمبر 2026"),
            ("٣٫٥ مليار دولار", "3٫5 مليار دولار"),
            ("iPhone 17 يصل إلى مصر", "iPhone 17 يصل إلى مصر"),
            ("", ""),
        ];
        for (input, expect) in cases {
            check(input, Digits::Latn, expect);
        }
    }

    #[test]
    fn to_arab() {
        let cases = [
            ("2026", "٢٠٢٦"),
            ("۱۴۴۸", "١٤٤٨"),
            ("٢٠٢٦", "٢٠٢٦"),
            ("3 دقائق", "٣ دقائق"),
            ("09:30", "٠٩:٣٠"),
            ("كوفيد-19 في 2020", "كوفيد-١٩ في ٢٠٢٠"),
            ("بلا أرقام", "بلا أرقام"),
        ];
        for (input, expect) in cases {
            check(input, Digits::Arab, expect);
        }
    }

    #[test]
    fn ascii_shorthand_and_names() {
        assert_eq!(to_ascii_digits("عام ١٤٤٧ هـ"), "عام 1447 هـ");
        assert_eq!(Digits::Latn.as_str(), "latn");
        assert_eq!(Digits::Arab.as_str(), "arab");
        assert_eq!(Digits::default(), Digits::Latn);
    }

    mod properties {
        //! Properties of digit conversion over random Arabic text, issue 17.

        use proptest::prelude::*;

        use super::super::*;
        use crate::arabic::arbitrary::text;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Converting forgets the digits' earlier style and changes nothing but digits.
            #[test]
            fn conversion_forgets_the_earlier_style(text in text()) {
                for from in [Digits::Latn, Digits::Arab] {
                    for to in [Digits::Latn, Digits::Arab] {
                        let twice = to_digits(&to_digits(&text, from), to);
                        prop_assert_eq!(&twice, &to_digits(&text, to));
                    }
                }
                let latn = to_ascii_digits(&text);
                prop_assert_eq!(latn.chars().count(), text.chars().count());
                let arab = |c: char| ('\u{0660}'..='\u{0669}').contains(&c);
                prop_assert!(!latn.contains(arab), "{}", latn);
                let kept = |t: &str| t.chars().filter(|c| !c.is_numeric()).collect::<String>();
                prop_assert_eq!(kept(&latn), kept(&text));
            }
        }
    }
}
