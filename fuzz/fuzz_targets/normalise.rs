//! Search normalisation (`arabic::normalize`): idempotent, the same for the NFC and NFD forms
//! of a text, nothing left that folding would change, and the documented property of
//! `raw_runs`: normalising each raw run and splitting it into words gives the words of the whole
//! normalised text. Stems are suffixes-and-prefixes-off substrings of their word.

#![no_main]

use libfuzzer_sys::fuzz_target;
use midad::arabic::normalize::{Fold, fold_char, normalize, raw_runs, stem, words};
use unicode_normalization::UnicodeNormalization;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let once = normalize(text);
    assert_eq!(normalize(&once), once, "normalize is idempotent on {text:?}");
    let nfd: String = text.nfd().collect();
    assert_eq!(normalize(&nfd), once, "NFD form of {text:?}");
    for c in once.chars() {
        let fold = fold_char(c);
        assert!(matches!(fold, Fold::Keep | Fold::Lower), "{c:?} folds to {fold:?}");
    }

    let whole: Vec<&str> = words(&once).collect();
    let by_run: Vec<String> = raw_runs(text)
        .flat_map(|run| words(&normalize(run)).map(str::to_owned).collect::<Vec<_>>())
        .collect();
    assert_eq!(whole, by_run, "words of {text:?} by raw run");

    for word in whole {
        let stemmed = stem(word);
        assert!(!stemmed.is_empty() && word.contains(stemmed), "{word:?} → {stemmed:?}");
    }
});
