//! Times the search layer's text functions on a corpus: `cargo run --release --example
//! search_terms_bench -- CONTENT_DIR`.
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: search_terms_bench CONTENT_DIR");
    let texts: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let t = Instant::now();
    let normalized: usize =
        texts.iter().map(|t| midad::arabic::normalize::normalize(t).len()).sum();
    let normalize = t.elapsed();
    let t = Instant::now();
    let terms: usize = texts.iter().map(|t| midad::search::terms::of_body(t).len()).sum();
    let of_body = t.elapsed();
    let t = Instant::now();
    let mut differ = 0;
    for text in &texts {
        let mut whole = midad::search::terms::distinct(text);
        let mut body: Vec<String> =
            midad::search::terms::of_body(text).split(' ').map(String::from).collect();
        whole.sort();
        body.sort();
        body.retain(|s| !s.is_empty());
        differ += usize::from(whole != body);
    }
    println!("texts whose body stems differ from distinct(): {differ} ({:?})", t.elapsed());
    println!(
        "{} texts, {:.1} MB: normalize {:?} ({normalized}), of_body {:?} ({terms} bytes of terms)",
        texts.len(),
        bytes as f64 / 1e6,
        normalize,
        of_body
    );
}
