//! The search page's script: `client.js`, with the folding and stemming tables written out of
//! the Rust code that indexes ([`crate::arabic::normalize`]), so the browser folds and stems a
//! query exactly as the build folded and stemmed the articles. The pages refer to it (and to
//! [`DIR`]) from here: this file imports nothing of the render, which the index builds on.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::arabic::normalize::{self, Fold};

/// Where the search page, its index and its script go, under the output root.
pub const DIR: &str = "search";
/// The search page's path.
pub const PAGE: &str = "search/";
/// The manifest, which the page's script reads first.
pub const MANIFEST: &str = "search/index/meta.json";
/// The script of the search page.
pub const SCRIPT: &str = "search/search.js";

/// The folder of the search index of the language whose pages are below `prefix`
/// (`search/index/`, `en/search/index/`).
pub fn index_folder(prefix: &str) -> String {
    format!("{prefix}{DIR}/index/")
}

/// The tables `client.js` reads as `TABLES`.
#[derive(Serialize)]
struct Tables {
    /// Code point ranges `[first, last]` that folding removes.
    drop: Vec<(u32, u32)>,
    /// Characters folding replaces, and by what.
    into: BTreeMap<String, String>,
    /// Code point ranges kept as they are; anything else is lower-cased.
    keep: Vec<(u32, u32)>,
    stop_words: &'static [&'static str],
    prefixes: &'static [&'static str],
    suffixes: Vec<(&'static str, usize)>,
    proclitics: String,
    proclitic_min_left: usize,
    stem_min_left: usize,
}

/// The script, built once per process (it depends only on the binary).
pub fn script() -> String {
    built().0.clone()
}

/// A short hash of [`script`], for its URL (`?v=…`), so a browser never keeps a stale one.
pub fn version() -> &'static str {
    &built().1
}

fn built() -> &'static (String, String) {
    static SCRIPT: OnceLock<(String, String)> = OnceLock::new();
    SCRIPT.get_or_init(|| {
        let tables = serde_json::to_string(&tables()).unwrap_or_default();
        let script = include_str!("client.js").replacen("/*TABLES*/ {}", &tables, 1);
        let version = format!("{:08x}", xxhash_rust::xxh3::xxh3_64(script.as_bytes()) >> 32);
        (script, version)
    })
}

/// Every code point through [`normalize::fold_char`], gathered into ranges and a map.
fn tables() -> Tables {
    let mut drop = Ranges::default();
    let mut keep = Ranges::default();
    let mut into = BTreeMap::new();
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        match normalize::fold_char(c) {
            Fold::Drop => drop.add(c as u32),
            Fold::Keep => keep.add(c as u32),
            Fold::Into(folded) => {
                into.insert(c.to_string(), folded.to_string());
            }
            Fold::Lower => {}
        }
    }
    Tables {
        drop: drop.0,
        into,
        keep: keep.0,
        stop_words: normalize::STOP_WORDS,
        prefixes: normalize::PREFIXES,
        suffixes: normalize::SUFFIXES.to_vec(),
        proclitics: normalize::PROCLITICS.iter().collect(),
        proclitic_min_left: normalize::PROCLITIC_MIN_LEFT,
        stem_min_left: normalize::PREFIX_MIN_LEFT,
    }
}

/// Code point ranges, added in ascending order.
#[derive(Default)]
struct Ranges(Vec<(u32, u32)>);

impl Ranges {
    fn add(&mut self, code: u32) {
        match self.0.last_mut() {
            Some((_, last)) if *last + 1 == code => *last = code,
            _ => self.0.push((code, code)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_carries_the_tables() {
        let script = script();
        assert!(!script.contains("/*TABLES*/"));
        assert!(script.contains("\"وبال\""));
        let tables = tables();
        // Tashkeel is dropped, ى folds to ي, Arabic-Indic digits to ASCII.
        assert!(tables.drop.iter().any(|&(a, b)| (a..=b).contains(&0x064E)));
        assert_eq!(tables.into["ى"], "ي");
        assert_eq!(tables.into["٣"], "3");
        assert!(tables.keep.iter().any(|&(a, b)| (a..=b).contains(&('ب' as u32))));
    }
}
