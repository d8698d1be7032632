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

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::packed::write_varint;
use super::vocabulary::TermId;

/// Documents per document file.
pub const DOCS_PER_FILE: usize = 32;
/// A term file is closed once it reaches this many bytes.
const TERM_FILE_BYTES: usize = 24 * 1024;

/// One article as the index sees it.
#[derive(Debug)]
pub struct Doc {
    /// Root-relative URL.
    pub url: String,
    /// Shown in results.
    pub title: String,
    /// The section's title.
    pub section: String,
    /// The date as the site shows it.
    pub date: String,
    /// Shown under the title, matched words marked.
    pub summary: String,
    /// The stems of the weighted fields but the body, ascending, each with the sum of the
    /// weights of the fields it is in.
    pub strong: Vec<(TermId, u8)>,
    /// The body's distinct stems, ascending.
    pub body: super::packed::PackedTerms,
    /// The fingerprint of what the postings take from it: what `strong` and `body` are made
    /// from (see `documents::SiteDocuments::postings_fingerprint`). The postings kept beside
    /// the output are used again for the documents whose fingerprints are unchanged.
    pub postings_fingerprint: u64,
}

impl Doc {
    /// What its entry in a document file shows.
    pub fn shown(&self) -> Shown<'_> {
        Shown(&self.url, &self.title, &self.section, &self.date, &self.summary)
    }
}

/// A document's entry in a document file: its URL, title, section, date and summary.
#[derive(Serialize)]
pub struct Shown<'a>(pub &'a str, pub &'a str, pub &'a str, pub &'a str, pub &'a str);

/// The documents that contain one term.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Postings {
    /// Documents with the term in a field other than the body, with the fields' weight.
    pub(super) strong: Vec<(u32, u8)>,
    /// Documents with the term in the body only, packed: the stems of every body are about
    /// four hundred postings per document, most of them a byte this way instead of four.
    pub(super) body: super::packed::Ascending,
}

/// The files of an index and what the manifest says of them, each file as the sink given to
/// [`encode`] made it.
pub struct Encoded<F> {
    /// `(first term, file)` of each term file, in term order.
    pub term_files: Vec<(String, F)>,
    /// Each document file, in id order.
    pub doc_files: Vec<F>,
    /// Distinct terms.
    pub terms: usize,
}

/// Encodes the index of `count` documents from their `postings` (see [`invert_onto`]), their
/// stems numbered in `stems`, and the document file of each range of ids from `doc_file` (see
/// [`doc_file`]). Each file goes to `sink` with its name (`t0.bin`, `d0.json`) as soon as it is
/// made, so a caller that writes it out holds no more than one file's bytes at a time.
pub(super) fn encode<F: Send>(
    postings: &[Postings],
    count: u32,
    stems: &[Box<str>],
    doc_file: impl Fn(Range<usize>) -> Vec<u8> + Sync,
    sink: impl Fn(String, Vec<u8>) -> F + Sync,
) -> Encoded<F> {
    let mut order: Vec<usize> = (0..stems.len())
        .filter(|&t| !postings[t].strong.is_empty() || !postings[t].body.is_empty())
        .collect();
    order.par_sort_unstable_by(|&a, &b| stems[a].as_bytes().cmp(stems[b].as_bytes()));
    // The files are cut by the lengths of their entries, then each is encoded on a thread.
    let lengths: Vec<usize> =
        order.par_iter().map(|&t| entry_len(&stems[t], &postings[t], count)).collect();
    let term_files = term_file_ranges(&lengths)
        .into_par_iter()
        .enumerate()
        .map(|(k, range)| {
            let mut bytes = Vec::with_capacity(lengths[range.clone()].iter().sum());
            for &t in &order[range.clone()] {
                encode_entry(&mut bytes, &stems[t], &postings[t], count);
            }
            (stems[order[range.start]].to_string(), sink(format!("t{k}.bin"), bytes))
        })
        .collect();
    let count = count as usize;
    let doc_files = (0..count.div_ceil(DOCS_PER_FILE))
        .into_par_iter()
        .map(|k| {
            let ids = k * DOCS_PER_FILE..((k + 1) * DOCS_PER_FILE).min(count);
            sink(format!("d{k}.json"), doc_file(ids))
        })
        .collect();
    Encoded { term_files, doc_files, terms: order.len() }
}

/// The postings of each of `stems` stems, the body weighing `body_weight`: `postings`, those of
/// the first `kept` documents, with those of `docs`, the documents numbered from `kept` on. The stems
/// are split into ranges, each inverted on a thread of its own, over blocks of documents whose
/// body stems are unpacked once for all the ranges, with where each range starts in each list.
pub(super) fn invert_onto(
    mut postings: Vec<Postings>,
    kept: u32,
    docs: &[Arc<Doc>],
    stems: usize,
    body_weight: u8,
) -> Vec<Postings> {
    postings.resize_with(stems, Postings::default);
    let first = kept;
    let per_range = stems.div_ceil(4 * rayon::current_num_threads()).max(1);
    let ranges = Ranges { stems, per_range, count: stems.div_ceil(per_range) };
    for (block, docs) in docs.chunks(DOCS_UNPACKED_AT_ONCE).enumerate() {
        let unpacked: Vec<Unpacked> =
            docs.par_iter().map(|doc| Unpacked::of(doc, &ranges)).collect();
        let ids = first + (block * DOCS_UNPACKED_AT_ONCE) as u32..;
        postings.par_chunks_mut(per_range).enumerate().for_each(|(range, postings)| {
            let first = (range * per_range) as TermId;
            for (id, (doc, unpacked)) in ids.clone().zip(docs.iter().zip(&unpacked)) {
                let (strong, body) = unpacked.in_range(range, ranges.count);
                let strong = &doc.strong[strong];
                let mut body = unpacked.body[body].iter().copied().peekable();
                for &(term, weight) in strong {
                    while let Some(only_body) = body.next_if(|&t| t < term) {
                        postings[(only_body - first) as usize].body.push(id);
                    }
                    let weight = match body.next_if_eq(&term) {
                        Some(_) => weight.saturating_add(body_weight),
                        None => weight,
                    };
                    postings[(term - first) as usize].strong.push((id, weight));
                }
                for only_body in body {
                    postings[(only_body - first) as usize].body.push(id);
                }
            }
        });
    }
    postings
}

/// Documents whose body stems [`invert`] unpacks at a time: about 4 MB of them.
const DOCS_UNPACKED_AT_ONCE: usize = 2048;

/// A document's body stems, unpacked, and where each range of stems starts in them and in its
/// strong stems.
struct Unpacked {
    body: Vec<TermId>,
    /// The start of each range and the end of the last: in `strong`, then in `body`.
    starts: Vec<u32>,
}

impl Unpacked {
    fn of(doc: &Doc, ranges: &Ranges) -> Unpacked {
        let body: Vec<TermId> = doc.body.iter().collect();
        let mut starts = Vec::with_capacity(2 * (ranges.count + 1));
        range_starts(&doc.strong, |&(term, _)| term, ranges, &mut starts);
        range_starts(&body, |&term| term, ranges, &mut starts);
        Unpacked { body, starts }
    }

    /// Where the stems of `range` lie in the document's strong stems and in its body's.
    fn in_range(&self, range: usize, ranges: usize) -> (Range<usize>, Range<usize>) {
        let at = |k: usize| self.starts[k] as usize;
        let body = ranges + 1 + range;
        (at(range)..at(range + 1), at(body)..at(body + 1))
    }
}

/// Appends to `out` where each range of stems of `ranges` starts in the ascending `list`, and
/// where the last ends: one pass over the list.
fn range_starts<T>(list: &[T], term: impl Fn(&T) -> TermId, ranges: &Ranges, out: &mut Vec<u32>) {
    let mut at = 0;
    for range in 0..=ranges.count {
        let start = (range * ranges.per_range).min(ranges.stems) as TermId;
        while list.get(at).is_some_and(|item| term(item) < start) {
            at += 1;
        }
        out.push(at as u32);
    }
}

/// The ranges of stems [`invert`] inverts each on a thread of its own: `count` of `per_range`
/// stems, the last cut at `stems`.
struct Ranges {
    stems: usize,
    per_range: usize,
    count: usize,
}

/// The entries of each term file, as positions in term order, from the length of each entry: a
/// file is closed at the entry that brings it to [`TERM_FILE_BYTES`].
fn term_file_ranges(lengths: &[usize]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (at, length) in lengths.iter().enumerate() {
        bytes += length;
        if bytes >= TERM_FILE_BYTES {
            ranges.push(start..at + 1);
            (start, bytes) = (at + 1, 0);
        }
    }
    if start < lengths.len() {
        ranges.push(start..lengths.len());
    }
    ranges
}

/// The bytes of `term` an entry holds: stems are short; a longer one (a URL, a run of digits)
/// is cut at a character boundary.
fn entry_term(term: &str) -> &str {
    let mut end = term.len().min(255);
    while !term.is_char_boundary(end) {
        end -= 1;
    }
    &term[..end]
}

/// The length of the entry [`encode_entry`] writes.
fn entry_len(term: &str, postings: &Postings, docs: u32) -> usize {
    let mut len = 1 + entry_term(term).len() + varint_len(postings.strong.len() as u64);
    let mut last = 0;
    for &(doc, _) in &postings.strong {
        len += varint_len(u64::from(doc - last)) + 1;
        last = doc;
    }
    let list = postings.body.as_bytes().len();
    let bitmap_bytes = docs.div_ceil(8) as usize;
    len + 1
        + if list > bitmap_bytes {
            varint_len(bitmap_bytes as u64) + bitmap_bytes
        } else {
            varint_len(u64::from(postings.body.len())) + list
        }
}

/// The length of `value` as [`write_varint`] writes it.
fn varint_len(value: u64) -> usize {
    (64 - value.max(1).leading_zeros() as usize).div_ceil(7)
}

fn encode_entry(out: &mut Vec<u8>, term: &str, postings: &Postings, docs: u32) {
    let term = entry_term(term);
    let end = term.len();
    out.push(end as u8);
    out.extend_from_slice(term.as_bytes());
    write_varint(out, postings.strong.len() as u64);
    let mut last = 0;
    for &(doc, weight) in &postings.strong {
        write_varint(out, u64::from(doc - last));
        out.push(weight);
        last = doc;
    }
    // The packed list is the file's: each document's difference from the one before.
    let list = postings.body.as_bytes();
    let bitmap_bytes = docs.div_ceil(8) as usize;
    if list.len() > bitmap_bytes {
        out.push(1);
        write_varint(out, bitmap_bytes as u64);
        let start = out.len();
        out.resize(start + bitmap_bytes, 0);
        for doc in postings.body.iter() {
            out[start + doc as usize / 8] |= 1 << (doc % 8);
        }
    } else {
        out.push(0);
        write_varint(out, u64::from(postings.body.len()));
        out.extend_from_slice(list);
    }
}

/// A document file: `[[url, title, section, date, summary], …]`.
pub(super) fn doc_file(shown: &[Shown<'_>]) -> Vec<u8> {
    serde_json::to_vec(shown).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index of articles given as `(title, body)`, the title weighing 40.
    fn encode_articles(articles: &[(&str, &str)], body_weight: u8) -> Encoded<Vec<u8>> {
        let (vocabulary, docs) = docs_of(articles);
        let stems = vocabulary.stems();
        let postings = invert_onto(Vec::new(), 0, &docs, stems.len(), body_weight);
        let doc_file = |ids: Range<usize>| {
            doc_file(&docs[ids].iter().map(|doc| doc.shown()).collect::<Vec<_>>())
        };
        encode(&postings, docs.len() as u32, &stems, doc_file, |_, bytes| bytes)
    }

    /// The documents of articles given as `(title, body)`, the title weighing 40, and the
    /// vocabulary their stems are numbered in.
    fn docs_of(articles: &[(&str, &str)]) -> (super::super::Vocabulary, Vec<Arc<Doc>>) {
        let vocabulary = super::super::Vocabulary::default();
        let docs: Vec<Arc<Doc>> = articles
            .iter()
            .map(|&(title, body)| {
                let mut strong = Vec::new();
                super::super::terms::each_distinct(title, |stem| {
                    strong.push((vocabulary.intern(stem), 40));
                });
                strong.sort_unstable();
                let body: super::super::packed::PackedTerms = vocabulary.terms_of(body).into();
                let postings_fingerprint = crate::fingerprint::Fingerprint::new()
                    .add(&strong)
                    .add(body.as_bytes())
                    .finish();
                Arc::new(Doc {
                    url: format!("/{title}/"),
                    title: title.to_owned(),
                    section: String::new(),
                    date: String::new(),
                    summary: String::new(),
                    strong,
                    body,
                    postings_fingerprint,
                })
            })
            .collect();
        (vocabulary, docs)
    }

    #[test]
    fn postings_inverted_onto_those_of_earlier_documents_are_those_of_all() {
        let articles = [("الحكومة المصرية", "حكوم قرار"), ("مدرسة", "قرار مصر"), ("قرار", "رياضة")];
        let (vocabulary, docs) = docs_of(&articles);
        let first = &docs[..2];
        let stems = vocabulary.len();
        let all = invert_onto(Vec::new(), 0, &docs, stems, 1);
        // The stems the first two have: the third brings another.
        let known =
            first.iter().flat_map(|doc| doc.strong.iter().map(|s| s.0).chain(doc.body.iter()));
        let known = known.max().unwrap() as usize + 1;
        assert!(known < stems);
        let earlier = invert_onto(Vec::new(), 0, first, known, 1);
        assert_eq!(invert_onto(earlier, 2, &docs[2..], stems, 1), all);
        assert_eq!(all[vocabulary.intern("قرار") as usize].strong, [(2, 40)]);
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
        let encoded =
            encode_articles(&[("الحكومة المصرية", "حكوم قرار"), ("مدرسة", "قرار مصر")], 1);
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
    fn entry_lengths_are_the_lengths_encoded() {
        let long = "ب".repeat(200);
        for (strong, body, docs) in [
            (vec![], vec![0], 1),
            (vec![(0, 40), (200, 3), (70_000, 1)], vec![1, 5, 300, 100_000], 100_001),
            (vec![(3, 7)], (0..64).collect(), 64),
            (vec![(1 << 30, 255)], vec![127, 128, 16_383, 16_384], 1 << 31),
        ] {
            let mut packed = super::super::packed::Ascending::default();
            body.iter().for_each(|&doc| packed.push(doc));
            let postings = Postings { strong, body: packed };
            for term in ["قرار", long.as_str()] {
                let mut bytes = Vec::new();
                encode_entry(&mut bytes, term, &postings, docs);
                assert_eq!(entry_len(term, &postings, docs), bytes.len(), "{docs} documents");
            }
        }
    }

    #[test]
    fn files_are_cut_at_the_entry_that_fills_them() {
        let full = TERM_FILE_BYTES;
        assert_eq!(term_file_ranges(&[]), Vec::<Range<usize>>::new());
        assert_eq!(term_file_ranges(&[10, 20]), vec![Range { start: 0, end: 2 }]);
        assert_eq!(term_file_ranges(&[full - 1, 1, 5]), [0..2, 2..3]);
        assert_eq!(term_file_ranges(&[full + 9, 1, full]), [0..1, 1..3]);
    }

    #[test]
    fn a_dense_body_list_becomes_a_bitmap() {
        let encoded = encode_articles(&[("خبر", "شايع"); 100], 1);
        let bytes = &encoded.term_files[0].1;
        let entries = decode(bytes, 100);
        let common = entries.iter().find(|e| e.0 == "شايع").unwrap();
        assert_eq!(common.2, (0..100).collect::<Vec<u32>>());
        // «خبر»: 100 × (delta, weight); «شايع»: 13 bytes of bitmap, not 100 of deltas.
        assert!(bytes.len() < 250, "{} bytes", bytes.len());
    }

    #[test]
    fn document_files_hold_what_results_show() {
        let encoded = encode_articles(&[("خبر", ""); 40], 1);
        assert_eq!(encoded.doc_files.len(), 2);
        let first: Vec<Vec<String>> = serde_json::from_slice(&encoded.doc_files[0]).unwrap();
        assert_eq!(first.len(), DOCS_PER_FILE);
        assert_eq!(first[0][0], "/خبر/");
    }
}
