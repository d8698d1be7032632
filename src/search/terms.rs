//! The terms of a text as the index keeps them: folded ([`normalize`]), split into words, stop
//! words left out, and each word's [search stems](normalize::search_stems).

use std::collections::HashSet;

use crate::arabic::normalize;

/// The distinct search stems of `text`, in order of first appearance.
pub fn distinct(text: &str) -> Vec<String> {
    let normalized = normalize::normalize(text);
    let mut words: HashSet<&str> = HashSet::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for word in normalize::index_words(&normalized) {
        if !words.insert(word) {
            continue;
        }
        let (stem, alternative) = normalize::search_stems(word);
        for stem in std::iter::once(stem).chain(alternative) {
            if seen.insert(stem.clone()) {
                out.push(stem);
            }
        }
    }
    out
}

/// The distinct search stems of a body's plain text, joined by spaces: how a [`Body`] keeps
/// them between builds.
///
/// [`Body`]: crate::render::Body
pub fn of_body(text: &str) -> String {
    distinct(text).join(" ")
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
