//! The body cache of `midad build`: what the Markdown step derives from each article and every
//! page needs (its automatic summary and its reading time), kept beside the output
//! (`.public.midad-bodies`) for the next build.
//!
//! A rebuild takes an article's summary and reading time from the cache when its file has the
//! same hash, and renders its Markdown only if a page or feed that shows the body has to be
//! rendered again (see `render::Site::html`): a rebuild with no change renders no Markdown.
//! The related articles of every article are kept too, with a fingerprint of the settings and
//! `data/` they were computed with, and each article's place in the build's order and date: the
//! next build updates them where its articles changed (see `related::update`).
//! Entries are valid only for the same midad binary and the same `config.toml` settings, which
//! the first line records; anything unreadable is ignored and the Markdown rendered. After that
//! line come records of a binary form (`crate::file::to_record`): the related lists, the search
//! stems, and one record per article.

use foldhash::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::content::{Article, KnownFile, KnownFiles};
use crate::file::{from_record, to_record};
use crate::render::Body;
use crate::search::{TermId, Vocabulary};

/// The first word of a cache file, with its format version.
const FORMAT: &str = "midad-bodies 9";

/// What the cache file is to [`crate::output::beside`]: `.public.midad-bodies`.
const KIND: &str = "bodies";

/// The first line of a cache written by this binary for settings with fingerprint `settings`.
fn header(settings: u64) -> Option<String> {
    Some(format!("{FORMAT}\t{}\t{settings:016x}", crate::fingerprint::binary_identity()?))
}

/// What the last build left of one article.
#[derive(Debug)]
pub struct CachedArticle {
    /// The hash of its file.
    pub hash: u64,
    /// Its body, whose `html` is `Html::Later`; taken by the Markdown step.
    pub body: Option<Body>,
    /// Its place in the last build's order.
    pub place: usize,
    /// Its date.
    pub at: jiff::Timestamp,
    /// What was known of its file, if it was parsed cleanly (see `crate::content::KnownFiles`);
    /// taken by the content step when the file is unchanged.
    pub file: Option<KnownFile>,
}

/// What the last build left of each article, by source path.
pub type CachedArticles = HashMap<PathBuf, CachedArticle>;

impl KnownFiles for CachedArticles {
    fn take(&mut self, path: &Path) -> Option<KnownFile> {
        self.get_mut(path)?.file.take()
    }

    fn give_back(&mut self, path: &Path, file: KnownFile) {
        if let Some(article) = self.get_mut(path) {
            article.file = Some(file);
        }
    }
}

/// What the last build left for the next.
#[derive(Debug, Default)]
pub struct Cached {
    /// The related articles of every article, with the fingerprint of their settings.
    pub related: Option<(u64, Vec<Vec<usize>>)>,
    /// The search stems the bodies' `search_terms` are numbers of.
    pub vocabulary: Vocabulary,
    /// What it left of each article, by source path.
    pub articles: CachedArticles,
}

/// The cache for `output`; empty when there is none or it does not match.
pub fn load(output: &Path, settings: u64) -> Cached {
    let mut cached = Cached::default();
    let (Some(path), Some(header)) = (crate::output::beside(output, KIND), header(settings)) else {
        return cached;
    };
    let Ok(file) = std::fs::File::open(path) else { return cached };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = String::new();
    let read = std::io::BufRead::read_line(&mut (&mut reader).take(4096), &mut line);
    if read.is_err() || line.trim_end_matches('\n') != header {
        return cached;
    }
    if let Some((inputs, lists)) = crate::file::read_record(&mut reader)
        .and_then(|r| from_record::<(u64, Vec<Vec<usize>>)>(&r))
    {
        // One list per article of the last build: as many entries as the map will hold.
        cached.articles.reserve(lists.len());
        cached.related = Some((inputs, lists));
    }
    // Bodies are of no use without the stems their search terms are numbers of.
    let stems = crate::file::read_record(&mut reader).and_then(|r| from_record::<String>(&r));
    let Some(vocabulary) = stems.and_then(|stems| Vocabulary::from_stems(stems.split_whitespace()))
    else {
        return cached;
    };
    let stems = vocabulary.len();
    cached.vocabulary = vocabulary;
    // One record per article, read a few megabytes at a time and decoded in parallel: the whole
    // file read at once (140 MB at 100,000 articles) would be as many fresh pages for the system
    // to zero, beside those of the map.
    let _ = crate::file::for_each_records(reader, READ_AT_ONCE, |records| {
        let entries: Vec<_> = records.par_iter().filter_map(|r| entry(r, stems)).collect();
        cached.articles.extend(entries);
    });
    cached
}

/// How many bytes of the cache [`load`] reads at a time.
const READ_AT_ONCE: usize = 8 << 20;

/// An article's record of the cache, if it reads as one: its source path and what the cache
/// holds of it (what is known of its file only if that is of the same bytes).
fn entry(record: &[u8], stems: usize) -> Option<(PathBuf, CachedArticle)> {
    let CachedBody {
        source,
        hash,
        reading_minutes,
        summary,
        images,
        search_terms,
        references,
        file,
        place,
        at,
        calls,
    } = from_record::<CachedBody>(record)?;
    let search_terms = decode_terms(&search_terms, stems)?;
    let body = Body {
        summary,
        reading_minutes,
        images,
        references,
        search_terms: search_terms.into(),
        calls,
        ..Body::default()
    };
    let file = file.filter(|file| file.hash == hash);
    Some((PathBuf::from(source), CachedArticle { hash, body: Some(body), place, at, file }))
}

/// Writes the cache of the build just written to `output`: the related articles with the
/// fingerprint of their settings, the search stems the bodies have, and each article's source
/// path (under `content/`), the hash of its file, its body, what the next build needs to take its
/// front matter from here (see [`KnownFile`]), and its place and date (for the related lists).
pub fn save(
    output: &Path,
    settings: u64,
    related: (u64, &[Vec<usize>]),
    vocabulary: &Vocabulary,
    articles: (&[Article], &[Body]),
) -> std::io::Result<()> {
    let (Some(path), Some(header)) = (crate::output::beside(output, KIND), header(settings)) else {
        return Ok(());
    };
    let (articles, bodies) = articles;
    // Only the stems some body has, renumbered in the same order: a session's vocabulary keeps
    // the stems of every text it ever read.
    let mut renumbered: Vec<TermId> = vec![TermId::MAX; vocabulary.len()];
    for body in bodies {
        for id in body.search_terms.iter() {
            if let Some(slot) = renumbered.get_mut(id as usize) {
                *slot = 0;
            }
        }
    }
    let mut kept = String::new();
    let mut next = 0;
    for (slot, stem) in renumbered.iter_mut().zip(vocabulary.stems()) {
        if *slot == 0 {
            *slot = next;
            next += 1;
            if !kept.is_empty() {
                kept.push(' ');
            }
            kept.push_str(&stem);
        }
    }
    // Written as it is made, a few thousand records at a time made in parallel: at 100,000
    // articles the file is about 140 MB.
    crate::output::replace_file_with(&path, |file| {
        writeln!(file, "{header}")?;
        let mut start = Vec::new();
        to_record(&mut start, &related)?;
        to_record(&mut start, &kept)?;
        file.write_all(&start)?;
        let places = articles.iter().zip(bodies).enumerate().collect::<Vec<_>>();
        for batch in places.chunks(RECORDS_AT_ONCE) {
            let records: Vec<Vec<u8>> = batch
                .par_chunks(RECORDS_AT_ONCE / 64)
                .map(|records| {
                    let mut out = Vec::new();
                    for &(place, (article, body)) in records {
                        write_entry(&mut out, place, article, body, &renumbered);
                    }
                    out
                })
                .collect();
            for records in records {
                file.write_all(&records)?;
            }
        }
        Ok(())
    })
}

/// How many articles' records [`save`] makes before it writes them: about 6 MB.
const RECORDS_AT_ONCE: usize = 4096;

/// Appends the record of `article`, at `place` in the build's order, with its `body`, to `out`;
/// its search stems as `renumbered` numbers them. An article that cannot have one (a path
/// that is not UTF-8, a record over `crate::file::MAX_RECORD`) is left out: the next build
/// reads its file.
fn write_entry(
    out: &mut Vec<u8>,
    place: usize,
    article: &Article,
    body: &Body,
    renumbered: &[TermId],
) {
    let Some(source) = article.source.to_str() else { return };
    let hash = article.source_hash;
    let known = article.parsed_cleanly.then(|| article.known_file());
    let ids = body.search_terms.iter().filter_map(|id| renumbered.get(id as usize).copied());
    let terms = encode_terms(ids);
    let entry = (
        source,
        hash,
        body.reading_minutes,
        &body.summary,
        &body.images,
        terms,
        &body.references,
        known,
        place,
        article.date.timestamp(),
        body.calls,
    );
    // `to_record` leaves `out` as it was when it fails.
    let _ = to_record(out, &entry);
}

/// One article's record of the cache file, as [`write_entry`] writes it: its source path and
/// hash, its body, what is known of its file, and its place and date.
#[derive(serde::Deserialize)]
struct CachedBody {
    source: String,
    hash: u64,
    reading_minutes: u32,
    summary: String,
    images: Vec<String>,
    search_terms: String,
    references: Vec<crate::markdown::Reference>,
    file: Option<KnownFile>,
    place: usize,
    at: jiff::Timestamp,
    calls: bool,
}

/// The 64 characters of the term lists.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// The value of each byte as one of [`DIGITS`]; 255 for a byte that is none.
const VALUES: [u8; 256] = {
    let mut values = [255u8; 256];
    let mut digit = 0;
    while digit < 64 {
        values[DIGITS[digit] as usize] = digit as u8;
        digit += 1;
    }
    values
};

/// Ascending stem numbers as text: each the difference from the one before (the first from 0),
/// five bits a character, low bits first, characters 32–63 saying more follow.
fn encode_terms(ids: impl Iterator<Item = TermId>) -> String {
    let mut out = String::new();
    let mut last = 0;
    for id in ids {
        let mut delta = id - last;
        last = id;
        while delta >= 32 {
            out.push(char::from(DIGITS[(32 | (delta & 31)) as usize]));
            delta >>= 5;
        }
        out.push(char::from(DIGITS[delta as usize]));
    }
    out
}

/// The stem numbers [`encode_terms`] wrote, if they are ascending and below `stems`.
fn decode_terms(text: &str, stems: usize) -> Option<Vec<TermId>> {
    let mut ids = Vec::new();
    let (mut last, mut delta, mut shift) = (0u64, 0u64, 0);
    for byte in text.bytes() {
        let digit = u64::from(*VALUES.get(usize::from(byte)).filter(|&&v| v < 64)?);
        delta |= (digit & 31) << shift;
        shift += 5;
        if shift > 35 {
            return None;
        }
        if digit < 32 {
            let id = last + delta;
            if (id as usize) >= stems || (!ids.is_empty() && delta == 0) {
                return None;
            }
            ids.push(id as TermId);
            (last, delta, shift) = (id, 0, 0);
        }
    }
    (shift == 0).then_some(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The article of a file written at `rel` under `dir`.
    fn article(dir: &Path, rel: &str, parsed_cleanly: bool) -> Article {
        let text = "---\ntitle: «خبر» عاجل\ndate: 2026-11-28T09:30:00+02:00\ntags: [مصر]\n\
            مصدر: وكالة\n---\nنص\n";
        std::fs::create_dir_all(dir.join("politics")).unwrap();
        std::fs::write(dir.join(rel), text).unwrap();
        let parsed = crate::content::read_and_parse(dir, Path::new(rel)).unwrap();
        let date = jiff::Timestamp::UNIX_EPOCH.to_zoned_datetime(jiff::tz::TimeZone::UTC);
        Article {
            source: rel.into(),
            section: 0,
            front_matter: parsed.front_matter,
            body: String::new(),
            body_line: parsed.body_line,
            body_at: parsed.body_at,
            body_on_disk: false,
            source_hash: parsed.hash,
            stamp: None,
            parsed_cleanly,
            date,
            updated: None,
            assets: Vec::new(),
            slug: "x".into(),
            path: "politics/x/".into(),
            lang: 0,
            translations: Vec::new(),
        }
    }

    #[test]
    fn a_cache_is_read_back_only_for_the_same_settings() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let body = Body {
            html: crate::render::Html::Kept("<p>نص</p>".into()),
            summary: "ملخص \"مقتبس\"\tو\nسطر".into(),
            reading_minutes: 3,
            images: vec!["a.jpg".into()],
            images_fingerprint: 0,
            calls: true,
            search_terms: vec![1, 3].into(),
            references: vec![crate::markdown::Reference {
                kind: crate::markdown::ReferenceKind::Image,
                url: "a.jpg".into(),
                line: 4,
                column: 9,
            }],
        };
        let vocabulary = Vocabulary::from_stems(["غاب", "نص", "ذهب", "ملخص"]).unwrap();
        let related = vec![vec![0]];
        let clean = article(dir.path(), "politics/a.md", true);
        let warned = article(dir.path(), "politics/b.md", false);
        let articles = [clean, warned];
        let bodies = [body.clone(), body];
        save(&out, 7, (0xfeed, &related), &vocabulary, (&articles, &bodies)).unwrap();
        let ([clean, _], [body, _]) = (articles, bodies);
        assert_eq!(
            crate::output::beside(&out, KIND).unwrap(),
            dir.path().join(".public.midad-bodies")
        );

        let loaded = load(&out, 7);
        assert_eq!(loaded.related, Some((0xfeed, related)));
        let entry = &loaded.articles[Path::new("politics/a.md")];
        assert_eq!((entry.hash, entry.place), (clean.source_hash, 0));
        assert_eq!(entry.at, clean.date.timestamp());
        let cached = entry.body.as_ref().unwrap();
        let known_files = loaded.articles.values().filter(|a| a.file.is_some()).count();
        assert_eq!(known_files, 1, "front matter with a warning is parsed at every build");
        let (known, written) = (entry.file.as_ref().unwrap(), clean.known_file());
        assert_eq!(known.front_matter.extra["مصدر"], "وكالة", "with the keys midad does not know");
        assert_eq!(
            (known.hash, known.stamp, &known.front_matter, known.body_line, known.body_at),
            (written.hash, written.stamp, written.front_matter, written.body_line, written.body_at),
            "what the next build takes over of the file"
        );
        assert_eq!((cached.summary.as_str(), cached.reading_minutes), (body.summary.as_str(), 3));
        assert!(cached.html.is_later(), "the HTML is not cached");
        assert_eq!(cached.images, body.images, "the images it shows are");
        assert!(cached.calls, "and whether it calls shortcodes");
        assert_eq!(cached.references, body.references, "and what it points at, where");
        let stems = loaded.vocabulary.stems();
        let terms: Vec<&str> = cached.search_terms.iter().map(|id| &*stems[id as usize]).collect();
        assert_eq!(terms, ["نص", "ملخص"], "and its search terms, numbered afresh");
        let other = load(&out, 8);
        assert!(other.articles.is_empty() && other.related.is_none(), "other settings: no reuse");
    }

    #[test]
    fn term_lists_read_back() {
        let ids: Vec<TermId> = vec![0, 1, 31, 32, 33, 1000, 1 << 20, (1 << 20) + 1, u32::MAX >> 1];
        let text = encode_terms(ids.iter().copied());
        assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode_terms(&text, usize::MAX), Some(ids));
        assert_eq!(decode_terms(&text, 1000), None, "a number past the vocabulary");
        assert_eq!(decode_terms("00", 10), None, "a number twice");
        assert_eq!(decode_terms("W", 10), None, "cut short");
        assert_eq!(decode_terms("", 10), Some(vec![]));
    }
}
