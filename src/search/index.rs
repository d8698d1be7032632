//! The inverted index: every search stem with the documents that contain it, split into files
//! by term range so a query downloads only the few files its words fall in, and the documents'
//! display data in files of [`DOCS_PER_FILE`].
//!
//! A term file is a run of entries, terms in sorted (byte) order:
//!
//! ```text
//! entry  = term-length:u8  term:utf8
//!          strong-count:varint  (doc-delta:varint  weight:u8)*     -- title, summary, tags…
//!          body-kind:u8  body                                       -- only the body
//! body   = 0  count:varint  doc-delta:varint*                       -- a list, or
//!        | 1  byte-count:varint  bitmap                             -- bit d set: document d
//! ```
//!
//! Document ids count from the oldest article (0) to the newest, so recency is the id and a new
//! article changes the last document file, not every one. A "strong" posting carries the sum of
//! the weights of the fields the term is in (saturating at 255); a body-only posting has the
//! body's weight, given once in the manifest.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use super::terms;

/// Documents per document file.
pub const DOCS_PER_FILE: usize = 32;
/// A term file is closed once it reaches this many bytes.
const TERM_FILE_BYTES: usize = 24 * 1024;
/// Documents inverted at a time: bounds the memory of the per-document term lists.
const BLOCK: usize = 4096;

/// One article as the index sees it.
pub struct Doc<'a> {
    /// Root-relative URL.
    pub url: String,
    /// Shown in results.
    pub title: &'a str,
    /// The section's title.
    pub section: &'a str,
    /// The date as the site shows it.
    pub date: String,
    /// Shown under the title, matched words marked.
    pub summary: &'a str,
    /// The weighted fields but the body: their text and weight.
    pub fields: Vec<(&'a str, u8)>,
    /// The body's distinct search stems, space-separated ([`terms::of_body`]).
    pub body_terms: &'a str,
}

/// The documents that contain one term.
#[derive(Debug, Default)]
struct Postings {
    /// Documents with the term in a field other than the body, with the fields' weight.
    strong: Vec<(u32, u8)>,
    /// Documents with the term in the body only.
    body: Vec<u32>,
}

/// The files of an index and what the manifest says of them.
pub struct Encoded {
    /// `(first term, bytes)` of each term file, in term order.
    pub term_files: Vec<(String, Vec<u8>)>,
    /// The JSON of each document file, in id order.
    pub doc_files: Vec<Vec<u8>>,
    /// Distinct terms.
    pub terms: usize,
}

/// Inverts and encodes `docs` (in id order), the body weighing `body_weight`.
pub fn encode(docs: &[Doc<'_>], body_weight: u8) -> Encoded {
    let (terms, postings) = invert(docs, body_weight);
    let mut order: Vec<usize> = (0..terms.len()).collect();
    order.par_sort_unstable_by(|&a, &b| terms[a].as_bytes().cmp(terms[b].as_bytes()));
    let count = docs.len() as u32;
    let mut term_files = Vec::new();
    let mut current: Option<(String, Vec<u8>)> = None;
    for &t in &order {
        let (_, bytes) = current.get_or_insert_with(|| (terms[t].to_string(), Vec::new()));
        encode_entry(bytes, &terms[t], &postings[t], count);
        if bytes.len() >= TERM_FILE_BYTES {
            term_files.extend(current.take());
        }
    }
    term_files.extend(current);
    let doc_files = docs.par_chunks(DOCS_PER_FILE).map(doc_file).collect();
    Encoded { term_files, doc_files, terms: terms.len() }
}

/// Every term of `docs` and its postings, by term number. Terms are split into [`SHARDS`] by
/// hash, each shard inverted on a thread of its own.
fn invert(docs: &[Doc<'_>], body_weight: u8) -> (Vec<Box<str>>, Vec<Postings>) {
    let mut shards: Vec<Inverted> = (0..SHARDS).map(|_| Inverted::default()).collect();
    for (block_index, block) in docs.chunks(BLOCK).enumerate() {
        let extracted: Vec<DocTerms<'_>> =
            block.par_iter().map(|doc| doc_terms(doc, body_weight)).collect();
        let first = (block_index * BLOCK) as u32;
        shards.par_iter_mut().enumerate().for_each(|(shard, inverted)| {
            let shard = shard as u8;
            for (id, doc) in (first..).zip(&extracted) {
                for (_, term, weight) in doc.strong.iter().filter(|t| t.0 == shard) {
                    inverted.postings(term).strong.push((id, *weight));
                }
                for (_, term) in doc.body.iter().filter(|t| t.0 == shard) {
                    inverted.postings(term).body.push(id);
                }
            }
        });
    }
    let mut terms = Vec::new();
    let mut postings = Vec::new();
    for shard in shards {
        terms.extend(shard.terms);
        postings.extend(shard.postings);
    }
    (terms, postings)
}

/// Shards of the inversion.
const SHARDS: usize = 16;

/// The shard of `term`.
fn shard_of(term: &str) -> u8 {
    (xxhash_rust::xxh3::xxh3_64(term.as_bytes()) % SHARDS as u64) as u8
}

/// Terms by number, and their postings.
#[derive(Default)]
struct Inverted {
    numbers: HashMap<Box<str>, usize, foldhash::fast::RandomState>,
    terms: Vec<Box<str>>,
    postings: Vec<Postings>,
}

impl Inverted {
    fn postings(&mut self, term: &str) -> &mut Postings {
        let n = match self.numbers.get(term) {
            Some(&n) => n,
            None => {
                self.numbers.insert(term.into(), self.terms.len());
                self.terms.push(term.into());
                self.postings.push(Postings::default());
                self.terms.len() - 1
            }
        };
        &mut self.postings[n]
    }
}

/// One document's terms: those of the weighted fields with their summed weight (plus the
/// body's when the body has the term too), and those of the body alone.
struct DocTerms<'a> {
    /// Shard, term, weight.
    strong: Vec<(u8, String, u8)>,
    /// Shard, term.
    body: Vec<(u8, &'a str)>,
}

fn doc_terms<'a>(doc: &Doc<'a>, body_weight: u8) -> DocTerms<'a> {
    let mut strong: HashMap<String, u8, foldhash::fast::RandomState> = HashMap::default();
    for &(text, weight) in doc.fields.iter().filter(|(_, w)| *w > 0) {
        for term in terms::distinct(text) {
            let total = strong.entry(term).or_insert(0);
            *total = total.saturating_add(weight);
        }
    }
    let mut body = Vec::new();
    if body_weight > 0 {
        for term in doc.body_terms.split(' ').filter(|t| !t.is_empty()) {
            match strong.get_mut(term) {
                Some(total) => *total = total.saturating_add(body_weight),
                None => body.push((shard_of(term), term)),
            }
        }
    }
    let strong = strong.into_iter().map(|(term, weight)| (shard_of(&term), term, weight)).collect();
    DocTerms { strong, body }
}

fn encode_entry(out: &mut Vec<u8>, term: &str, postings: &Postings, docs: u32) {
    // Stems are short; a longer one (a URL, a run of digits) is cut at a character boundary.
    let mut end = term.len().min(255);
    while !term.is_char_boundary(end) {
        end -= 1;
    }
    out.push(end as u8);
    out.extend_from_slice(&term.as_bytes()[..end]);
    varint(out, postings.strong.len() as u64);
    let mut last = 0;
    for &(doc, weight) in &postings.strong {
        varint(out, u64::from(doc - last));
        out.push(weight);
        last = doc;
    }
    let mut list = Vec::new();
    let mut last = 0;
    for &doc in &postings.body {
        varint(&mut list, u64::from(doc - last));
        last = doc;
    }
    let bitmap_bytes = docs.div_ceil(8) as usize;
    if list.len() > bitmap_bytes {
        out.push(1);
        varint(out, bitmap_bytes as u64);
        let start = out.len();
        out.resize(start + bitmap_bytes, 0);
        for &doc in &postings.body {
            out[start + doc as usize / 8] |= 1 << (doc % 8);
        }
    } else {
        out.push(0);
        varint(out, postings.body.len() as u64);
        out.extend_from_slice(&list);
    }
}

/// LEB128: seven bits a byte, low bits first, the high bit set on all but the last byte.
fn varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7F) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A document file: `[[url, title, section, date, summary], …]`.
fn doc_file(docs: &[Doc<'_>]) -> Vec<u8> {
    #[derive(Serialize)]
    struct Shown<'a>(&'a str, &'a str, &'a str, &'a str, &'a str);
    let shown: Vec<Shown<'_>> =
        docs.iter().map(|d| Shown(&d.url, d.title, d.section, &d.date, d.summary)).collect();
    serde_json::to_vec(&shown).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc<'a>(title: &'a str, body_terms: &'a str) -> Doc<'a> {
        Doc {
            url: format!("/{title}/"),
            title,
            section: "",
            date: String::new(),
            summary: "",
            fields: vec![(title, 40)],
            body_terms,
        }
    }

    /// A decoded entry: the term, its strong postings and its body postings.
    type Entry = (String, Vec<(u32, u8)>, Vec<u32>);

    /// Decodes one term file back into its entries.
    fn decode(bytes: &[u8], docs: u32) -> Vec<Entry> {
        fn varint(bytes: &[u8], at: &mut usize) -> u64 {
            let (mut value, mut shift) = (0u64, 0);
            loop {
                let b = bytes[*at];
                *at += 1;
                value |= u64::from(b & 0x7F) << shift;
                if b < 0x80 {
                    return value;
                }
                shift += 7;
            }
        }
        let (mut at, mut entries) = (0, Vec::new());
        while at < bytes.len() {
            let len = bytes[at] as usize;
            let term = String::from_utf8(bytes[at + 1..at + 1 + len].to_vec()).unwrap();
            at += 1 + len;
            let (mut strong, mut last) = (Vec::new(), 0);
            for _ in 0..varint(bytes, &mut at) {
                last += varint(bytes, &mut at) as u32;
                strong.push((last, bytes[at]));
                at += 1;
            }
            let kind = bytes[at];
            at += 1;
            let mut body = Vec::new();
            if kind == 0 {
                let mut last = 0;
                for _ in 0..varint(bytes, &mut at) {
                    last += varint(bytes, &mut at) as u32;
                    body.push(last);
                }
            } else {
                let n = varint(bytes, &mut at) as usize;
                body = (0..docs)
                    .filter(|d| bytes[at + *d as usize / 8] & (1 << (d % 8)) != 0)
                    .collect();
                at += n;
            }
            entries.push((term, strong, body));
        }
        entries
    }

    #[test]
    fn terms_are_sorted_with_their_postings() {
        let docs = [doc("الحكومة المصرية", "حكوم قرار"), doc("مدرسة", "قرار مصر")];
        let encoded = encode(&docs, 1);
        assert_eq!(encoded.term_files.len(), 1);
        let entries = decode(&encoded.term_files[0].1, 2);
        let terms: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(terms, ["حكوم", "قرار", "مدرس", "مصر"]);
        // «حكوم» is in the first title and body: 40 + 1.
        assert_eq!(entries[0].1, [(0, 41)]);
        assert_eq!(entries[1].2, [0, 1]);
        assert_eq!(entries[3].1, [(0, 40)]);
        assert_eq!(entries[3].2, [1]);
    }

    #[test]
    fn a_dense_body_list_becomes_a_bitmap() {
        let docs: Vec<Doc<'_>> = (0..100).map(|_| doc("خبر", "شايع")).collect();
        let encoded = encode(&docs, 1);
        let bytes = &encoded.term_files[0].1;
        let entries = decode(bytes, 100);
        let common = entries.iter().find(|e| e.0 == "شايع").unwrap();
        assert_eq!(common.2, (0..100).collect::<Vec<u32>>());
        // «خبر»: 100 × (delta, weight); «شايع»: 13 bytes of bitmap, not 100 of deltas.
        assert!(bytes.len() < 250, "{} bytes", bytes.len());
    }

    #[test]
    fn document_files_hold_what_results_show() {
        let docs: Vec<Doc<'_>> = (0..40).map(|_| doc("خبر", "")).collect();
        let encoded = encode(&docs, 1);
        assert_eq!(encoded.doc_files.len(), 2);
        let first: Vec<Vec<String>> = serde_json::from_slice(&encoded.doc_files[0]).unwrap();
        assert_eq!(first.len(), DOCS_PER_FILE);
        assert_eq!(first[0][0], "/خبر/");
    }
}
