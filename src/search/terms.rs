//! The terms of a text as the index keeps them: folded ([`normalize`]), split into words, stop
//! words left out, and each word's [search stems](normalize::search_stems).

use std::collections::HashSet;

use crate::arabic::normalize;

type Set<T> = HashSet<T, foldhash::fast::FixedState>;

/// The distinct search stems of `text`, in order of first appearance.
pub fn distinct(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_distinct(text, |stem| out.push(stem.to_owned()));
    out
}

/// Calls `found` with each distinct search stem of `text`, in order of first appearance.
/// Stems are slices of the folded text (a stem only drops letters at the ends of a word), so
/// nothing is allocated per word.
pub fn each_distinct(text: &str, mut found: impl FnMut(&str)) {
    let normalized = normalize::normalize(text);
    let mut words: Set<&str> = Set::default();
    let mut stems: Set<&str> = Set::default();
    // Each distinct word once: a body repeats most of its words.
    for word in normalize::words(&normalized) {
        if !words.insert(word) || normalize::is_stop_word(word) {
            continue;
        }
        let (stem, alternative) = normalize::search_stems(word);
        for stem in std::iter::once(stem).chain(alternative) {
            if stems.insert(stem) {
                found(stem);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_readings_of_a_proclitic_are_kept_once() {
        assert_eq!(distinct("ولبنان الوزير وزير، ولبنان"), ["ولبنان", "لبنان", "وزير", "زير"]);
    }

    #[test]
    fn spelling_variants_meet() {
        for (a, b) in [
            ("إسرائيل", "اسرائيل"),
            ("المصرى", "المصري"),
            ("والمدرسة", "المدرسه"),
            ("وبالاقتصاد", "الاقتصاد"),
            ("٢٠٢٦", "2026"),
        ] {
            let (a, b) = (distinct(a), distinct(b));
            assert!(a.iter().any(|t| b.contains(t)), "{a:?} and {b:?} share no stem");
        }
    }
}
