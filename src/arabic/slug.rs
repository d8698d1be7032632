//! URL slugs from titles, Arabic-first.
//!
//! Arabic news sites keep Arabic words in their URLs (`/politics/الحكومة-تعلن-موازنة-2027/`),
//! so by default midad does too, instead of transliterating into gibberish the way Zola does, or
//! keeping tashkeel the way Hugo does (which gives one word two URLs). The rules:
//!
//! 1. The title is put in Unicode NFC, so a hamza or madda typed as a combining mark joins its
//!    alef (ا + U+0654 → أ) before anything else happens.
//! 2. Tashkeel (U+064B–U+065F, U+0670, U+0610–U+061A, U+06D6–U+06ED, U+08D3–U+08FF), tatweel,
//!    invisible formatting marks (ZWNJ, bidi marks), Latin combining accents left over after NFC
//!    and apostrophes (`'`, `’`, `ʼ`) are removed *inside* a word: «مُحَمَّد» is «محمد» and
//!    "Apple's" is `apples`.
//! 3. Letters of any script are kept and lower-cased; digits are kept, with Arabic-Indic (٠–٩)
//!    and Extended Arabic-Indic (۰–۹) digits converted to 0–9.
//! 4. Everything else (spaces, dashes, underscores, Latin and Arabic punctuation such as
//!    ، ؛ ؟ « » “ ” : . ! ( ) [ ], symbols and emoji) separates words: «2.5» gives `2-5`, not
//!    `25`.
//! 5. Words are joined with one `-`, so there is never a leading, trailing or double dash.
//!
//! A title with no letters or digits at all gives an empty slug; callers fall back to something
//! else (a file name, a date). [`SlugStyle::Latin`] applies the same rules, then transliterates
//! each Arabic word with the scheme documented in `translit.rs` (ال → `al-`, no sun-letter
//! assimilation, ة → `a` at the end of a word) and strips accents from Latin letters, so the
//! slug is plain ASCII for Latin and Arabic titles. Collision suffixes (`-2`, `-3`) are the
//! caller's job: they depend on the other articles of a section, which this pure module never
//! sees.

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::script::{
    ascii_digit, is_arabic_letter, is_common_arabic, is_invisible_format, is_tashkeel, is_tatweel,
    surely_normalized,
};
use super::translit::transliterate_word;

/// The slug length cap midad uses for article and section slugs, in characters.
pub const DEFAULT_MAX_CHARS: usize = 80;

/// How titles become slugs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlugStyle {
    /// Keep Arabic words (without tashkeel), the default.
    #[default]
    Arabic,
    /// Transliterate Arabic words into readable Latin (`al-qahra`).
    Latin,
}

/// The slug of `text` in `style`, with no length cap. Empty if `text` has no letters or digits.
pub fn slugify(text: &str, style: SlugStyle) -> String {
    slugify_capped(text, style, usize::MAX)
}

/// The slug of `text` in `style`, at most `max_chars` characters long, cut at a word (dash)
/// boundary; midad uses [`DEFAULT_MAX_CHARS`]. If the first word alone is longer than the cap it
/// is cut inside, because a URL segment must stay bounded. Empty if `text` has no letters or
/// digits, or if `max_chars` is 0.
pub fn slugify_capped(text: &str, style: SlugStyle, max_chars: usize) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut n_chars = 0;
    for word in words(text) {
        let word = match style {
            SlugStyle::Arabic => word,
            SlugStyle::Latin => latinize(&word),
        };
        for part in word.split('-').filter(|part| !part.is_empty()) {
            let part_chars = part.chars().count();
            let sep = usize::from(n_chars > 0);
            if n_chars + sep + part_chars > max_chars {
                if n_chars == 0 {
                    slug.extend(part.chars().take(max_chars));
                }
                return slug;
            }
            if sep == 1 {
                slug.push('-');
            }
            slug.push_str(part);
            n_chars += sep + part_chars;
        }
    }
    slug
}

/// Splits `text` into slug words following rules 1–4 of the module doc.
fn words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    // One buffer for every word, each copied out at its length: a word grown a character at a
    // time from empty was reallocated three or four times.
    let mut word = String::with_capacity(text.len());
    // Tatweel and invisible marks go before NFC: they are starters, and left in they would keep
    // a hamza typed after them from joining its alef («اـٔ» is «أ», as without the tatweel) and
    // Hangul jamo around a joiner from composing (issue 17, found by fuzzing).
    let visible = |c: &char| !is_tatweel(*c) && !is_invisible_format(*c);
    // Most titles are in NFC already, and a look at their characters (or else a quick check)
    // says so without normalising them.
    let normalized = surely_normalized(text)
        || unicode_normalization::is_nfc_quick(text.chars().filter(visible))
            == unicode_normalization::IsNormalized::Yes;
    let chars: Box<dyn Iterator<Item = char>> = if normalized {
        Box::new(text.chars().filter(visible))
    } else {
        Box::new(text.chars().filter(visible).nfc())
    };
    for c in chars {
        if is_tashkeel(c) || is_joining_mark(c) {
            continue;
        }
        if let Some(d) = ascii_digit(c) {
            word.push(d);
        } else if is_common_arabic(c) {
            // An Arabic letter (tatweel is skipped above): no case, no table look-up.
            word.push(c);
        } else if c.is_alphabetic() {
            // «İ» lower-cases to «i» and a combining dot above, which goes like any accent: the
            // slug of a slug is itself (issue 17, found by fuzzing).
            word.extend(c.to_lowercase().filter(|&c| !is_joining_mark(c)));
        } else if !word.is_empty() {
            words.push(nfc_word(&word));
            word.clear();
        }
    }
    if !word.is_empty() {
        words.push(nfc_word(&word));
    }
    words
}

/// `word` in NFC. Dropping tashkeel and accents after NFC can leave two characters that compose
/// (a mark that was blocked by a dropped one), and a slug is NFC (rule 1).
fn nfc_word(word: &str) -> String {
    if surely_normalized(word)
        || unicode_normalization::is_nfc_quick(word.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        word.to_owned()
    } else {
        word.nfc().collect()
    }
}

/// Characters dropped without separating words: apostrophes and combining accents.
fn is_joining_mark(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}' | '\u{0300}'..='\u{036F}')
}

/// The Latin-style form of one slug word: Arabic transliterated, Latin accents stripped.
fn latinize(word: &str) -> String {
    let transliterated =
        if word.chars().any(is_arabic_letter) { transliterate_word(word) } else { word.to_owned() };
    if transliterated.is_ascii() {
        return transliterated;
    }
    transliterated.nfd().filter(|c| !matches!(c, '\u{0300}'..='\u{036F}')).nfc().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(input: &str, style: SlugStyle, expect: &str) {
        assert_eq!(slugify(input, style), expect, "input: {input:?}");
    }

    #[test]
    fn arabic() {
        let cases = [
            ("الحكومة تعلن موازنة 2027", "الحكومة-تعلن-موازنة-2027"),
            // Tashkeel variants of one title give one slug.
            ("الأخبار العاجلة", "الأخبار-العاجلة"),
            ("الأَخْبَارُ العَاجِلَةُ", "الأخبار-العاجلة"),
            ("الأخبـــار العاجـلة", "الأخبار-العاجلة"),
            ("الْأَخْبَارُ الْعَاجِلَةُ", "الأخبار-العاجلة"),
            ("مُحَمَّدٌ رَسُولُ اللَّهِ", "محمد-رسول-الله"),
            ("الرَّحْمٰنِ", "الرحمن"),
            ("ذٰلِكَ الْكِتَابُ لَا رَيْبَ ۛ فِيهِ ۛ", "ذلك-الكتاب-لا-ريب-فيه"),
            ("صلى الله عليه وسلم ﷺ", "صلى-الله-عليه-وسلم-ﷺ"),
            // Hamza typed as a combining mark composes under NFC.
            ("\u{0627}\u{0654}\u{062D}\u{0645}\u{062F}", "أحمد"),
            // Arabic and Latin punctuation.
            ("«الأهرام»: الحكومة تعلن", "الأهرام-الحكومة-تعلن"),
            ("هل ترتفع الأسعار؟", "هل-ترتفع-الأسعار"),
            ("القاهرة، الجيزة؛ والإسكندرية", "القاهرة-الجيزة-والإسكندرية"),
            ("“عاجل” (فيديو) [صور]", "عاجل-فيديو-صور"),
            ("عاجل!!! انفجار في بيروت...", "عاجل-انفجار-في-بيروت"),
            ("وزير المالية: \"لا ضرائب جديدة\"", "وزير-المالية-لا-ضرائب-جديدة"),
            // English words and mixed titles.
            ("iPhone 17 يصل إلى مصر", "iphone-17-يصل-إلى-مصر"),
            ("Apple تعلن عن iOS 26", "apple-تعلن-عن-ios-26"),
            ("Breaking News: Cairo", "breaking-news-cairo"),
            ("Apple's new iPhone", "apples-new-iphone"),
            // Numbers.
            ("نمو الاقتصاد 2.5% في 2026", "نمو-الاقتصاد-2-5-في-2026"),
            ("٣ قتلى في حادث", "3-قتلى-في-حادث"),
            ("عام ۱۴۰۳ الإيراني", "عام-1403-الإيراني"),
            ("كوفيد-19", "كوفيد-19"),
            // Emoji and symbols.
            ("🔴 عاجل: زلزال 🔥", "عاجل-زلزال"),
            ("الدولار = 50 جنيهاً $", "الدولار-50-جنيها"),
            // Separators collapse.
            ("  مصر -- السودان __ ليبيا  ", "مصر-السودان-ليبيا"),
            ("a_b-c d", "a-b-c-d"),
            // Nothing usable.
            ("؟!…«»", ""),
            ("🎉🎉", ""),
            ("", ""),
            // Invisible marks do not split words.
            ("می\u{200C}خواهم", "میخواهم"),
            ("\u{200F}مصر\u{200E}", "مصر"),
        ];
        for (input, expect) in cases {
            check(input, SlugStyle::Arabic, expect);
        }
    }

    #[test]
    fn latin() {
        let cases = [
            ("القاهرة", "al-qahra"),
            ("وزير المالية", "wazir-al-maliya"),
            ("وَزِيرُ الْمَالِيَّةِ", "wazir-al-maliya"),
            ("الأخبار العاجلة", "al-akhbar-al-ajla"),
            ("iPhone 17 يصل إلى مصر", "iphone-17-yasl-ila-masr"),
            ("Café «الرئيس»", "cafe-al-rais"),
            ("٣ قتلى", "3-qatla"),
            ("؟", ""),
        ];
        for (input, expect) in cases {
            check(input, SlugStyle::Latin, expect);
        }
    }

    /// Titles the fuzz target `slug` failed on (issue 17): each slug must be its own slug, in
    /// NFC, and the same with or without tatweel.
    #[test]
    fn a_slug_is_its_own_slug_in_nfc_with_or_without_tatweel() {
        let cases = [
            // «İ» lower-cases to «i» + U+0307; the slug of that was «i».
            ("İ", "i"),
            ("İstanbul", "istanbul"),
            // A tatweel kept a typed hamza from joining its alef.
            ("\u{0627}\u{0640}\u{0654}", "أ"),
            // Hangul jamo around a joiner compose once the joiner is gone.
            ("\u{1100}\u{200D}\u{1161}", "\u{AC00}"),
        ];
        for (input, expect) in cases {
            check(input, SlugStyle::Arabic, expect);
            check(expect, SlugStyle::Arabic, expect);
        }
    }

    #[track_caller]
    fn check_capped(input: &str, max_chars: usize, expect: &str) {
        let got = slugify_capped(input, SlugStyle::Arabic, max_chars);
        assert_eq!(got, expect, "input: {input:?}, cap {max_chars}");
        assert!(got.chars().count() <= max_chars);
    }

    #[test]
    fn capped() {
        let title = "الحكومة تعلن موازنة 2027";
        check_capped(title, 80, "الحكومة-تعلن-موازنة-2027");
        check_capped(title, 24, "الحكومة-تعلن-موازنة-2027");
        check_capped(title, 23, "الحكومة-تعلن-موازنة");
        check_capped(title, 19, "الحكومة-تعلن-موازنة");
        check_capped(title, 18, "الحكومة-تعلن");
        check_capped(title, 7, "الحكومة");
        check_capped(title, 4, "الحك");
        check_capped(title, 0, "");
        let latin = slugify_capped("وزير المالية", SlugStyle::Latin, 8);
        assert_eq!(latin, "wazir-al");
        let long = "كلمة ".repeat(40);
        let capped = slugify_capped(&long, SlugStyle::Arabic, DEFAULT_MAX_CHARS);
        assert_eq!(capped.chars().count(), 79);
        assert!(!capped.ends_with('-'));
    }

    mod properties {
        //! Properties of slugs over random Arabic titles (`arabic::arbitrary`), issue 17.

        use proptest::prelude::*;
        use unicode_normalization::UnicodeNormalization;

        use super::super::*;
        use crate::arabic::arbitrary::{bare, text};

        /// What the Arabic-style slug keeps of a character of a generated title, if anything.
        fn kept(c: char) -> Option<char> {
            match c {
                '\u{0621}'..='\u{063F}' | '\u{0641}'..='\u{064A}' | 'a'..='z' | '0'..='9' => {
                    Some(c)
                }
                'A'..='Z' => Some(c.to_ascii_lowercase()),
                '\u{0660}'..='\u{0669}' => char::from_u32(c as u32 - 0x0660 + '0' as u32),
                _ => None,
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// The NFC and NFD forms of a title, and the title without harakat, superscript alef
            /// and tatweel, give one slug, in both styles.
            #[test]
            fn one_slug_for_every_form_of_a_title(title in text()) {
                for style in [SlugStyle::Arabic, SlugStyle::Latin] {
                    let slug = slugify(&title, style);
                    let nfc: String = title.nfc().collect();
                    let nfd: String = title.nfd().collect();
                    prop_assert_eq!(&slugify(&nfc, style), &slug);
                    prop_assert_eq!(&slugify(&nfd, style), &slug);
                    prop_assert_eq!(&slugify(&bare(&title), style), &slug);
                }
            }

            /// A slug is its own slug, capped or not: pinning a generated slug with `slug:`
            /// keeps the URL.
            #[test]
            fn a_slug_is_its_own_slug(title in text(), cap in 0..100usize) {
                for style in [SlugStyle::Arabic, SlugStyle::Latin] {
                    let slug = slugify(&title, style);
                    prop_assert_eq!(&slugify(&slug, style), &slug);
                    let capped = slugify_capped(&title, style, cap);
                    prop_assert_eq!(&slugify_capped(&capped, style, cap), &capped);
                    prop_assert!(capped.chars().count() <= cap && slug.starts_with(&capped));
                }
            }

            /// The Arabic-style slug is the title's letters and digits (harakat and tatweel
            /// gone, Latin lower-cased, digits in ASCII) in words joined by single dashes; the
            /// Latin style is plain ASCII.
            #[test]
            fn a_slug_is_the_letters_and_digits_of_its_title(title in text()) {
                let slug = slugify(&title, SlugStyle::Arabic);
                let letters: String = title.chars().filter_map(kept).collect();
                prop_assert_eq!(slug.replace('-', ""), letters.clone());
                prop_assert_eq!(slug.is_empty(), letters.is_empty());
                prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'));
                prop_assert!(!slug.contains("--"), "{}", slug);
                if !title.contains(|c| ('\u{063B}'..='\u{063F}').contains(&c)) {
                    let latin = slugify(&title, SlugStyle::Latin);
                    let plain = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
                    prop_assert!(latin.bytes().all(plain), "{}", latin);
                }
            }
        }
    }
}
