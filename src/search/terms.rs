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

/// The distinct search stems of a body's plain text, joined by spaces: how a [`Body`] keeps
/// them between builds.
///
/// [`Body`]: crate::render::Body
pub fn of_body(text: &str) -> String {
    let mut out = String::new();
    let mut runs: Set<&str> = Set::default();
    let mut stems: Set<String> = Set::default();
    // A body repeats most of its words: each distinct raw run is folded once.
    for run in normalize::raw_runs(text).filter(|run| runs.insert(run)) {
        each_distinct(run, |stem| {
            if !stems.contains(stem) {
                stems.insert(stem.to_owned());
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(stem);
            }
        });
    }
    out
}

/// Calls `found` with each distinct search stem of `text`, in order of first appearance.
/// Stems are slices of the folded text (a stem only drops letters at the ends of a word), so
/// nothing is allocated per word.
fn each_distinct(text: &str, mut found: impl FnMut(&str)) {
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
    fn a_body_has_the_stems_of_its_whole_text() {
        let text = "قال الرئيسُ المصرى فى القاهرة، إن «الحكومة» والحكومات ١٢ ﻻ ℡ ½ e\u{301} مُحَمَّد";
        let mut whole = distinct(text);
        let mut body: Vec<String> = of_body(text).split(' ').map(String::from).collect();
        whole.sort();
        body.sort();
        assert_eq!(body, whole);
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
