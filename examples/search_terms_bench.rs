//! Times the search layer's text functions on a corpus: `cargo run --release --example
//! search_terms_bench -- CONTENT_DIR`. Reads every text twice into one vocabulary, as a cold
//! build does and then as a build with the vocabulary already met does, on one thread and on
//! all.
use std::time::Instant;

use midad::search::Vocabulary;
use rayon::prelude::*;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: search_terms_bench CONTENT_DIR");
    let texts: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!("{} texts, {:.1} MB", texts.len(), bytes as f64 / 1e6);
    let t = Instant::now();
    let normalized: usize =
        texts.iter().map(|t| midad::arabic::normalize::normalize(t).len()).sum();
    println!("normalize, one thread: {:?} ({normalized} bytes)", t.elapsed());
    for threads in ["one thread", "all threads"] {
        let vocabulary = Vocabulary::default();
        for pass in ["first", "second"] {
            let t = Instant::now();
            let ids: usize = if threads == "one thread" {
                texts.iter().map(|t| vocabulary.terms_of(t).len()).sum()
            } else {
                texts.par_iter().map(|t| vocabulary.terms_of(t).len()).sum()
            };
            println!(
                "terms_of, {threads}, {pass} pass: {:?} ({ids} ids, {} stems)",
                t.elapsed(),
                vocabulary.len()
            );
        }
    }
}
