//! Character tables for Arabic script shared by the `arabic` modules.
//!
//! Slugs, search normalisation, word counting and direction detection all need the same
//! answers to "is this a diacritic?", "is this an invisible formatting mark?" and "which ASCII
//! digit is this Arabic-Indic digit?". Keeping the tables in one private place means a slug and
//! a search term can never disagree about what tashkeel is. Public behaviour is documented on the
//! functions that use these tables, not here.

/// Whether `c` is tashkeel: harakat, tanween, shadda, sukun, the superscript alef, Quranic
/// annotation marks and the extended Arabic marks.
///
/// Ranges: U+0610–U+061A (honorifics and small Quranic letters above), U+064B–U+065F (fathatan
/// to wavy hamza below), U+0670 (superscript alef), U+06D6–U+06ED (Quranic pause and annotation
/// marks, small waw and yeh), U+08D3–U+08FF (Arabic Extended-A marks).
pub(crate) fn is_tashkeel(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{08D3}'..='\u{08FF}')
}

/// Whether `c` is the tatweel (kashida, U+0640), a purely typographic stretch.
pub(crate) fn is_tatweel(c: char) -> bool {
    c == '\u{0640}'
}

/// Whether `c` is an invisible formatting character that may sit inside a word without
/// separating it: zero-width (non-)joiners, bidi marks, embeddings and isolates, the soft
/// hyphen, the word joiner and the byte-order mark.
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'
        | '\u{061C}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}')
}

/// The value 0–9 of an ASCII, Arabic-Indic (U+0660–U+0669) or Extended Arabic-Indic
/// (U+06F0–U+06F9, Persian and Urdu) digit, or `None` for anything else.
pub(crate) fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        _ => None,
    }
}

/// The ASCII digit for a digit of any of the three styles, or `None`.
pub(crate) fn ascii_digit(c: char) -> Option<char> {
    digit_value(c).and_then(|d| char::from_digit(d, 10))
}

/// Whether `c` is a letter of the Arabic script (base letters of the Arabic, Arabic Supplement,
/// Arabic Extended and presentation-form blocks), excluding tashkeel, tatweel and digits.
pub(crate) fn is_arabic_letter(c: char) -> bool {
    let in_block = matches!(c,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{0870}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}');
    in_block && c.is_alphabetic() && !is_tashkeel(c) && !is_tatweel(c)
}

/// Whether `c` is in U+0621–U+064A, the letters of the Arabic alphabet as Arabic text writes
/// them (and the tatweel, U+0640): all alphabetic and without case, which the hot loops over text
/// answer from this range instead of the Unicode tables.
pub(crate) fn is_common_arabic(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c)
}

/// Whether `c` can never make a text fail the NFC or NFKC quick check: a starter (canonical
/// combining class 0) that both quick checks answer Yes for. Checked from a table of
/// U+0000–U+07FF (ASCII, Latin-1, Greek, Cyrillic, Hebrew and the Arabic block), made once from
/// `unicode_normalization`'s own tables; any other character is answered `false`.
pub(crate) fn is_stable(c: char) -> bool {
    use unicode_normalization::{IsNormalized, char::canonical_combining_class};
    static TABLE: std::sync::OnceLock<[u64; 32]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = [0u64; 32];
        for c in (0..0x800).filter_map(char::from_u32) {
            let one = || std::iter::once(c);
            if canonical_combining_class(c) == 0
                && unicode_normalization::is_nfc_quick(one()) == IsNormalized::Yes
                && unicode_normalization::is_nfkc_quick(one()) == IsNormalized::Yes
            {
                table[c as usize / 64] |= 1 << (c as usize % 64);
            }
        }
        table
    });
    let i = c as usize;
    i < 0x800 && table[i / 64] & (1 << (i % 64)) != 0
}

/// Whether `text` is in NFC and NFKC, as far as a look at its characters tells: `true` if every
/// character [`is_stable`], which saves the quick checks' table look-ups on most Arabic text.
/// `false` says nothing: ask `unicode_normalization`.
pub(crate) fn surely_normalized(text: &str) -> bool {
    text.chars().all(is_stable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_arabic_letters_are_alphabetic_and_caseless() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32).filter(|&c| is_common_arabic(c)) {
            assert!(c.is_alphabetic() && c.to_lowercase().eq([c]), "{c:?}");
        }
        assert!(is_common_arabic('ء') && is_common_arabic('ي') && !is_common_arabic('\u{064B}'));
    }

    #[test]
    fn stable_characters_pass_both_quick_checks_anywhere() {
        use unicode_normalization::{IsNormalized, is_nfc_quick, is_nfkc_quick};
        let stable: Vec<char> =
            (0..=0x10FFFF).filter_map(char::from_u32).filter(|&c| is_stable(c)).collect();
        // The Arabic letters, the Arabic comma and «» are stable; marks, the ellipsis (NFKC: ...)
        // and the no-break space (NFKC: a space) are not.
        for c in ['ا', 'ي', '،', '«', '»', 'a', ' '] {
            assert!(stable.contains(&c), "{c:?}");
        }
        for c in ['\u{064E}', '\u{0653}', '…', '\u{00A0}', 'ﻻ', '\u{0301}'] {
            assert!(!is_stable(c), "{c:?}");
        }
        // A text of stable characters passes both quick checks, in any order.
        let forward: String = stable.iter().collect();
        let backward: String = stable.iter().rev().collect();
        for text in [forward, backward] {
            assert!(surely_normalized(&text));
            assert_eq!(is_nfc_quick(text.chars()), IsNormalized::Yes);
            assert_eq!(is_nfkc_quick(text.chars()), IsNormalized::Yes);
        }
        assert!(!surely_normalized("ا\u{0653}") && !surely_normalized("قال…"));
    }

    #[track_caller]
    fn check(c: char, expect: (bool, bool, Option<char>, bool)) {
        let got = (is_tashkeel(c), is_tatweel(c), ascii_digit(c), is_arabic_letter(c));
        assert_eq!(got, expect, "for U+{:04X}", c as u32);
    }

    #[test]
    fn tables() {
        check('\u{064E}', (true, false, None, false)); // fatha
        check('\u{0651}', (true, false, None, false)); // shadda
        check('\u{0670}', (true, false, None, false)); // superscript alef
        check('\u{06DA}', (true, false, None, false)); // Quranic small jeem
        check('\u{0615}', (true, false, None, false)); // small high tah
        check('\u{0640}', (false, true, None, false)); // tatweel
        check('ب', (false, false, None, true));
        check('ة', (false, false, None, true));
        check('ڤ', (false, false, None, true));
        check('٣', (false, false, Some('3'), false));
        check('۷', (false, false, Some('7'), false));
        check('9', (false, false, Some('9'), false));
        check('،', (false, false, None, false));
        check('a', (false, false, None, false));
        assert!(is_invisible_format('\u{200C}'));
        assert!(!is_invisible_format(' '));
    }
}
