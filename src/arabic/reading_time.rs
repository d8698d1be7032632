//! Reading time: Arabic word counts, an Arabic reading speed and a grammatical label.
//!
//! An Arabic word carries its clitics (و، ف، ب، ل، ك، ال and the attached pronouns), so
//! «وبحكومتهم» is one written word for several English ones, and Arabic readers cover fewer
//! words per minute than English readers. midad therefore counts written words (runs of letters,
//! digits, tashkeel and tatweel; a run counts if it holds a letter, so bare numbers and
//! punctuation do not) and divides by an Arabic speed, [`DEFAULT_WORDS_PER_MINUTE`], that sites
//! can override.
//!
//! The label follows Arabic number agreement, chosen by ICU4X's CLDR plural rules for `ar`
//! (`icu_plurals`): «دقيقة واحدة» (one), «دقيقتان» (two), «3 دقائق» (few: 3–10, 103–110…),
//! «11 دقيقة» (many: 11–99…) and «100 دقيقة» (other: 100–102…); zero is «أقل من دقيقة».
//!
//! Callers pass plain text: stripping Markdown and HTML is the Markdown layer's job.

use icu_locale::locale;
use icu_plurals::{PluralCategory, PluralRules};

use super::digits::{Digits, to_digits};
use super::script::{is_invisible_format, is_tashkeel, is_tatweel};

/// Default Arabic silent reading speed, in words per minute.
///
/// Source: the IReST study (Trauzettel-Klosinski & Dietz, "Standardized Assessment of Reading
/// Performance: The New International Reading Speed Texts IReST", Investigative Ophthalmology &
/// Visual Science 53(9):5452–5461, 2012, doi:10.1167/iovs.11-8284) timed native adult readers on
/// the same texts in 17 languages: 138 ± 20 wpm in Arabic against 228 ± 30 in English, read
/// aloud. Scaling the Arabic/English ratio (0.61) by Brysbaert's meta-analytic silent rate for
/// English non-fiction (238 wpm; "How many words do we read per minute?", Journal of Memory and
/// Language 109:104047, 2019) gives about 144 wpm for silent Arabic reading; midad rounds down to
/// 140 because news prose is harder than IReST's sixth-grade texts.
pub const DEFAULT_WORDS_PER_MINUTE: u32 = 140;

/// Silent reading speed of pages in other languages: Brysbaert's 238 wpm for English
/// non-fiction (see [`DEFAULT_WORDS_PER_MINUTE`]), rounded down for news prose as the Arabic
/// figure is.
pub const OTHER_WORDS_PER_MINUTE: u32 = 230;

/// The number of words in `text`: runs of word characters (letters, digits, tashkeel, tatweel,
/// apostrophes, zero-width joiners) that contain at least one letter. An Arabic word with its
/// clitics is one word; numbers, punctuation and emoji alone are not words.
pub fn count_words(text: &str) -> usize {
    let table = table();
    let bytes = text.as_bytes();
    let mut n_words = 0;
    let mut in_word = false;
    let mut has_letter = false;
    let mut i = 0;
    while i < bytes.len() {
        // One- and two-byte characters (below U+0800: ASCII and the Arabic block) are decoded
        // here and looked up in the table; longer ones go through `chars`.
        let b = bytes[i];
        let (class, len) = match (b, bytes.get(i + 1)) {
            (..0x80, _) => (table[usize::from(b)], 1),
            (0xC0..0xE0, Some(&next)) => {
                (table[usize::from(b & 0x1F) << 6 | usize::from(next & 0x3F)], 2)
            }
            _ => match text.get(i..).and_then(|rest| rest.chars().next()) {
                Some(c) => (class_bits(class_of(c)), c.len_utf8()),
                None => break,
            },
        };
        i += len;
        if class & WORD != 0 {
            in_word = true;
            has_letter |= class & LETTER != 0;
        } else if in_word {
            n_words += usize::from(has_letter);
            in_word = false;
            has_letter = false;
        }
    }
    n_words + usize::from(in_word && has_letter)
}

const LETTER: u8 = 1;
const WORD: u8 = 2;

/// The classes of the characters below U+0800 (ASCII, Latin-1 with «», and the Arabic block with
/// its punctuation, digits and tashkeel: nearly all of a news site's text), made once with
/// [`class_of`].
fn table() -> &'static [u8; 0x800] {
    static TABLE: std::sync::OnceLock<[u8; 0x800]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0; 0x800];
        for (i, class) in table.iter_mut().enumerate() {
            if let Some(c) = char::from_u32(i as u32) {
                *class = class_bits(class_of(c));
            }
        }
        table
    })
}

fn class_bits((letter, word): (bool, bool)) -> u8 {
    (u8::from(letter) * LETTER) | (u8::from(word) * WORD)
}

/// Whether `c` is a letter, and whether it is a word character: a letter, a digit, tashkeel,
/// tatweel, an invisible formatting mark or an apostrophe.
#[cfg(test)]
fn class(c: char) -> (bool, bool) {
    let class = match table().get(c as usize) {
        Some(&class) => class,
        None => class_bits(class_of(c)),
    };
    (class & LETTER != 0, class & WORD != 0)
}

/// [`class`] worked out from the Unicode tables.
fn class_of(c: char) -> (bool, bool) {
    let is_letter = is_letter(c);
    let is_word_char = is_letter
        || c.is_numeric()
        || is_tashkeel(c)
        || is_tatweel(c)
        || is_invisible_format(c)
        || matches!(c, '\'' | '\u{2019}');
    (is_letter, is_word_char)
}

/// Whether `c` is a letter (not tashkeel or tatweel). The ASCII and Arabic-letter ranges, which
/// are nearly all of a news site's text, are answered without the Unicode tables behind
/// `char::is_alphabetic`, which profiling showed as a top cost of the build.
fn is_letter(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => true,
        c if c.is_ascii() => false,
        c => c.is_alphabetic() && !is_tashkeel(c) && !is_tatweel(c),
    }
}

/// Minutes needed to read `words` words at `words_per_minute` (0 is treated as 1), rounded to
/// the nearest minute and at least 1.
pub fn minutes(words: usize, words_per_minute: u32) -> u32 {
    let wpm = u64::from(words_per_minute.max(1));
    let words = u64::try_from(words).unwrap_or(u64::MAX);
    let rounded = words.saturating_add(wpm / 2) / wpm;
    u32::try_from(rounded).unwrap_or(u32::MAX).max(1)
}

/// The label for a reading time of `minutes` in `language`: Arabic (see [`label`]), English
/// («1 minute», «5 minutes», by ICU4X's English plural rules), or the number and «min».
pub fn label_in(language: &str, minutes: u32, digits: Digits) -> String {
    match language.split(['-', '_']).next().unwrap_or(language) {
        "ar" => label(minutes, digits),
        "en" => {
            let one = PluralRules::try_new_cardinal(locale!("en").into())
                .is_ok_and(|rules| rules.category_for(minutes.max(1)) == PluralCategory::One);
            let minutes = minutes.max(1);
            if one { format!("{minutes} minute") } else { format!("{minutes} minutes") }
        }
        _ => format!("{} min", minutes.max(1)),
    }
}

/// The Arabic label for a reading time of `minutes`, with numbers in `digits`:
/// «أقل من دقيقة»، «دقيقة واحدة»، «دقيقتان»، «3 دقائق»، «11 دقيقة»، «100 دقيقة».
pub fn label(minutes: u32, digits: Digits) -> String {
    let category = PluralRules::try_new_cardinal(locale!("ar").into())
        .map_or(PluralCategory::Other, |rules| rules.category_for(minutes));
    let n = to_digits(&minutes.to_string(), digits);
    match (minutes, category) {
        (0, _) | (_, PluralCategory::Zero) => "أقل من دقيقة".to_owned(),
        (_, PluralCategory::One) => "دقيقة واحدة".to_owned(),
        (_, PluralCategory::Two) => "دقيقتان".to_owned(),
        (_, PluralCategory::Few) => format!("{n} دقائق"),
        _ => format!("{n} دقيقة"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_reading_times() {
        assert_eq!(label_in("en", 1, Digits::Arab), "1 minute");
        assert_eq!(label_in("en", 2, Digits::Arab), "2 minutes");
        assert_eq!(label_in("en-GB", 11, Digits::Latn), "11 minutes");
        assert_eq!(label_in("fr", 3, Digits::Latn), "3 min");
        assert_eq!(label_in("ar", 2, Digits::Latn), "دقيقتان");
    }

    #[track_caller]
    fn check(input: &str, expect: usize) {
        assert_eq!(count_words(input), expect, "input: {input:?}");
    }

    #[test]
    fn words() {
        let cases = [
            ("الحكومة تعلن موازنة 2027", 3),
            ("وبحكومتهم", 1),
            ("وَبِالْحُكُومَةِ", 1),
            ("الأخبـــار العاجلة", 2),
            ("قال الرئيس: «لن نتراجع»، وأضاف أن القرار نهائي.", 8),
            ("Apple تعلن عن iPhone 17", 4),
            ("ارتفع 2.5% في ٢٠٢٦", 2),
            ("— ، ؛ ؟ … 🔥", 0),
            ("", 0),
            ("don't stop", 2),
            ("  مسافات\n\nوأسطر\tوجداول  ", 3),
            ("كوفيد-19", 1),
        ];
        for (input, expect) in cases {
            check(input, expect);
        }
    }

    /// The byte decoding against counting over `chars` with the Unicode tables, on texts of one-,
    /// two-, three- and four-byte characters.
    #[test]
    fn counting_bytes_equals_counting_chars() {
        fn by_chars(text: &str) -> usize {
            let (mut n, mut in_word, mut letter) = (0, false, false);
            for c in text.chars() {
                let (is_letter, is_word) = class_of(c);
                if is_word {
                    in_word = true;
                    letter |= is_letter;
                } else if in_word {
                    n += usize::from(letter);
                    (in_word, letter) = (false, false);
                }
            }
            n + usize::from(in_word && letter)
        }
        let alphabet: Vec<char> =
            "ab 1'،ـ\u{64E}«»é\u{7FF}\u{800}ﻻ\u{200D}\u{2014}🔥٢ن\n".chars().collect();
        let mut state: u64 = 5;
        for round in 0..20_000 {
            let text: String = (0..round % 17)
                .map(|_| {
                    state =
                        state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    alphabet[(state >> 33) as usize % alphabet.len()]
                })
                .collect();
            assert_eq!(count_words(&text), by_chars(&text), "{text:?}");
        }
    }

    #[test]
    fn the_table_agrees_with_the_unicode_tables() {
        for c in (0..0x800).filter_map(char::from_u32) {
            assert_eq!(class(c), class_of(c), "{c:?}");
        }
        assert_eq!(class('ب'), (true, true));
        assert_eq!(class('\u{064E}'), (false, true));
        assert_eq!(class('٢'), (false, true));
        assert_eq!(class('،'), (false, false));
        assert_eq!(class('ک'), (true, true));
    }

    #[test]
    fn minutes_rounding() {
        let cases = [
            (0, 140, 1),
            (1, 140, 1),
            (140, 140, 1),
            (209, 140, 1),
            (210, 140, 2),
            (700, 140, 5),
            (1000, 140, 7),
            (100, 0, 100),
            (usize::MAX, 1, u32::MAX),
        ];
        for (words, wpm, expect) in cases {
            assert_eq!(minutes(words, wpm), expect, "{words} words at {wpm} wpm");
        }
    }

    #[track_caller]
    fn check_label(n: u32, digits: Digits, expect: &str) {
        assert_eq!(label(n, digits), expect, "{n} minutes");
    }

    #[test]
    fn labels() {
        let cases = [
            (0, "أقل من دقيقة"),
            (1, "دقيقة واحدة"),
            (2, "دقيقتان"),
            (3, "3 دقائق"),
            (4, "4 دقائق"),
            (5, "5 دقائق"),
            (6, "6 دقائق"),
            (7, "7 دقائق"),
            (8, "8 دقائق"),
            (9, "9 دقائق"),
            (10, "10 دقائق"),
            (11, "11 دقيقة"),
            (25, "25 دقيقة"),
            (99, "99 دقيقة"),
            (100, "100 دقيقة"),
            (101, "101 دقيقة"),
            (102, "102 دقيقة"),
            (103, "103 دقائق"),
            (111, "111 دقيقة"),
        ];
        for (n, expect) in cases {
            check_label(n, Digits::Latn, expect);
        }
        check_label(3, Digits::Arab, "٣ دقائق");
        check_label(11, Digits::Arab, "١١ دقيقة");
        check_label(1, Digits::Arab, "دقيقة واحدة");
    }

    mod properties {
        //! Properties of word counts over random Arabic text, issue 17.

        use proptest::prelude::*;

        use super::super::*;
        use crate::arabic::arbitrary::{HARAKAT, TATWEEL, bare, text};
        use crate::arabic::normalize::normalize;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// Every written word counts once, bare numbers don't, and harakat, tatweel and
            /// search normalisation never change the count.
            #[test]
            fn every_written_word_counts_once(text in text()) {
                let is_mark = |c: char| HARAKAT.contains(&c) || c == TATWEEL;
                let is_letter = |c: char| c.is_alphabetic() && !is_mark(c);
                let runs = text.split(|c: char| !(c.is_alphanumeric() || is_mark(c)));
                let expect = runs.filter(|run| run.chars().any(is_letter)).count();
                let n_words = count_words(&text);
                prop_assert_eq!(n_words, expect);
                prop_assert_eq!(count_words(&bare(&text)), n_words);
                prop_assert_eq!(count_words(&normalize(&text)), n_words);
            }
        }
    }
}
