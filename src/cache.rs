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
//! the first line records; anything unreadable is ignored and the Markdown rendered.
//!
//! After that line the file is a log of binary records (`crate::file::to_record`), each a kind
//! then its value: search stems (numbered on from those before), an article's record under a
//! serial number, and the order of a build (its related lists and the serial of each of its
//! articles' records, by place). The last order says which records are live. A build appends
//! the records of the articles that changed, the stems they brought and its order; it writes the
//! file afresh, with only live records, when it would hold more than twice their bytes. A build
//! killed while appending leaves records past the last order, which the next one ignores.

use foldhash::HashMap;
use std::ffi::OsString;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use crate::content::{Article, KnownFile, KnownFiles, Stamp};
use crate::file::{from_record, to_record};
use crate::render::Body;
use crate::search::packed::PackedTerms;
use crate::search::{TermId, Vocabulary};

/// The first word of a cache file, with its format version.
const FORMAT: &str = "midad-bodies 13";

/// What the cache file is to [`crate::output::beside`]: `.public.midad-bodies`.
const KIND: &str = "bodies";

/// The kinds of record, their first byte.
const STEMS: u8 = 0;
const ARTICLE: u8 = 1;
const ORDER: u8 = 2;

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
    /// Its record in the cache file, if it came from one.
    pub record: Option<Recorded>,
}

/// An article's record in the cache file: what tells whether this build's would be the same.
#[derive(Debug, Clone, Copy)]
pub struct Recorded {
    serial: u32,
    /// Its size in bytes.
    size: u32,
    /// The stamp of its known file; `None` when it had none (the file had a warning).
    known_stamp: Option<Option<Stamp>>,
}

/// What the last build left of each article, by source path. Keyed by the path's bytes: a
/// `PathBuf` compares component by component, which was a tenth of the cache's lookups. Each is
/// boxed where its record is decoded, in parallel: the one thread that fills the map moves
/// pointers, not values of 750 bytes.
pub type CachedArticles = HashMap<OsString, Box<CachedArticle>>;

impl KnownFiles for CachedArticles {
    fn take(&mut self, path: &Path) -> Option<KnownFile> {
        self.get_mut(path.as_os_str())?.file.take()
    }

    fn give_back(&mut self, path: &Path, file: KnownFile) {
        if let Some(article) = self.get_mut(path.as_os_str()) {
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
    /// The file as read, for [`save`] to append to.
    pub log: Option<Log>,
}

/// The cache file as [`load`] read it: what [`save`] needs to append to it.
#[derive(Debug)]
pub struct Log {
    /// Its length, where its last whole record ends.
    end: u64,
    /// How many stems its records number.
    stems: usize,
    /// The bytes of its first line and stem records, which stay.
    kept_bytes: u64,
    /// The serial its next article record takes.
    next_serial: u32,
    /// The size of each live article record, by serial.
    sizes: HashMap<u32, u32>,
}

/// The order record: the related lists' settings and lists, and each article's serial by place.
type Order = (u64, Vec<Vec<usize>>, Vec<u32>);

/// An article record as [`load`] reads it, before its place is known.
type Entry = (OsString, Box<CachedArticle>);

/// The cache for `output`; empty when there is none or it does not match.
pub fn load(output: &Path, settings: u64) -> Cached {
    let (Some(path), Some(header)) = (crate::output::beside(output, KIND), header(settings)) else {
        return Cached::default();
    };
    let Ok(file) = std::fs::File::open(path) else { return Cached::default() };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = String::new();
    let read = std::io::BufRead::read_line(&mut (&mut reader).take(4096), &mut line);
    if read.is_err() || line.trim_end_matches('\n') != header {
        return Cached::default();
    }
    let first = line.len() as u64;
    let mut reading = Reading { end: first, kept_bytes: first, ..Reading::default() };
    // One record per article, read a few megabytes at a time and decoded in parallel: the whole
    // file read at once (140 MB at 100,000 articles) would be as many fresh pages for the system
    // to zero, beside those of the map.
    let read = crate::file::for_each_records(reader, READ_AT_ONCE, |records| reading.add(records));
    if read.is_err() || reading.broken {
        return Cached::default();
    }
    reading.finish()
}

/// How many bytes of the cache [`load`] reads at a time.
const READ_AT_ONCE: usize = 8 << 20;

/// The cache file as [`load`] reads it, run of records by run.
#[derive(Default)]
struct Reading {
    vocabulary: Vocabulary,
    /// Each article record, by source path: a later one replaces an earlier.
    articles: CachedArticles,
    /// The last order record, and where the file's whole records end.
    order: Option<Vec<u8>>,
    end: u64,
    kept_bytes: u64,
    next_serial: u32,
    /// Whether a record did not read: nothing of the file is then used.
    broken: bool,
}

impl Reading {
    /// Adds a run of whole records.
    fn add(&mut self, records: Vec<&[u8]>) {
        let mut articles: Vec<(&[u8], usize)> = Vec::with_capacity(records.len());
        for record in records {
            self.end += 4 + record.len() as u64;
            match record.first() {
                Some(&ARTICLE) => articles.push((record, self.vocabulary.len())),
                Some(&STEMS) => {
                    let stems = from_record::<(u8, String)>(record);
                    let known = self.vocabulary.len();
                    let added = stems.map(|(_, stems)| {
                        stems
                            .split_whitespace()
                            .enumerate()
                            .all(|(n, stem)| self.vocabulary.intern(stem) as usize == known + n)
                    });
                    self.broken |= added != Some(true);
                    self.kept_bytes += 4 + record.len() as u64;
                }
                Some(&ORDER) => {
                    if self.order.is_none() {
                        // The first order gives the number of articles: as many entries as the
                        // map will hold.
                        let count =
                            from_record::<(u8, Order)>(record).map_or(0, |(_, o)| o.2.len());
                        self.articles.reserve(count);
                    }
                    self.order = Some(record.to_vec());
                }
                _ => self.broken = true,
            }
        }
        let read: Vec<Option<Entry>> =
            articles.par_iter().map(|&(record, stems)| entry(record, stems)).collect();
        for (source, article) in read.into_iter().flatten() {
            let serial = article.record.map_or(0, |r| r.serial);
            self.next_serial = self.next_serial.max(serial.saturating_add(1));
            self.articles.insert(source, article);
        }
    }

    /// The cache the records read: the articles of the last order, at their places.
    fn finish(mut self) -> Cached {
        let Some((_, (inputs, lists, serials))) =
            self.order.as_deref().and_then(from_record::<(u8, Order)>)
        else {
            return Cached::default();
        };
        let place_of: HashMap<u32, usize> =
            serials.iter().enumerate().map(|(place, &serial)| (serial, place)).collect();
        let mut sizes = HashMap::default();
        self.articles.retain(|_, article| {
            let Some(record) = article.record else { return false };
            let Some(&place) = place_of.get(&record.serial) else { return false };
            article.place = place;
            sizes.insert(record.serial, record.size);
            true
        });
        let log = Log {
            end: self.end,
            stems: self.vocabulary.len(),
            kept_bytes: self.kept_bytes,
            next_serial: self.next_serial,
            sizes,
        };
        let related = Some((inputs, lists));
        Cached { related, vocabulary: self.vocabulary, articles: self.articles, log: Some(log) }
    }
}

/// An article's record of the cache, if it reads as one with stem numbers below `stems`: its
/// source path and what the cache holds of it (what is known of its file only if that is of the
/// same bytes; its place still to be set).
fn entry(record: &[u8], stems: usize) -> Option<Entry> {
    let (_, serial, cached): (u8, u32, CachedBody) = from_record(record)?;
    let CachedBody {
        source,
        hash,
        reading_minutes,
        summary,
        images,
        search_terms,
        title_terms,
        summary_terms,
        references,
        file,
        at,
        calls,
    } = cached;
    let body = Body {
        summary,
        reading_minutes,
        images,
        references,
        search_terms: PackedTerms::from_packed(search_terms, stems)?,
        title_terms: PackedTerms::from_packed(title_terms, stems)?,
        summary_terms: PackedTerms::from_packed(summary_terms, stems)?,
        calls,
        ..Body::default()
    };
    let file = file.filter(|file| file.hash == hash);
    let known_stamp = file.as_ref().map(|file| file.stamp);
    let size = u32::try_from(record.len()).ok()?;
    let recorded = Some(Recorded { serial, size, known_stamp });
    let article = CachedArticle { hash, body: Some(body), place: 0, at, file, record: recorded };
    Some((OsString::from(source), Box::new(article)))
}

/// The serial of each article's record in the cache file `cached` was read from, when this
/// build's record of it would be the same: its file hashes the same and has the same stamp (or
/// has a warning still), and the Markdown step took the cached body (it is no longer there).
pub fn unchanged_records(articles: &[Article], cached: &CachedArticles) -> Vec<Option<u32>> {
    articles
        .par_iter()
        .map(|article| {
            let was = cached.get(article.source.as_os_str())?;
            let record = was.record?;
            let known = article.parsed_cleanly.then_some(article.stamp);
            let same = was.hash == article.source_hash && was.body.is_none();
            (same && record.known_stamp == known).then_some(record.serial)
        })
        .collect()
}

/// What a build's cache is written from: the related lists with the fingerprint of their
/// settings, the search vocabulary, and the articles with their bodies.
pub struct Saved<'a> {
    /// The fingerprint of the related lists' settings, and the lists.
    pub related: (u64, &'a [Vec<usize>]),
    /// The vocabulary the bodies' search stems are numbers of.
    pub vocabulary: &'a Vocabulary,
    /// The articles.
    pub articles: &'a [Article],
    /// The body of each article.
    pub bodies: &'a [Body],
}

/// Writes the cache of the build just written to `output`: appended to the file `log` was read
/// from, where `unchanged` (see [`unchanged_records`]) gives the serial of each article's record
/// that is already there, or written afresh.
pub fn save(
    output: &Path,
    settings: u64,
    saved: &Saved<'_>,
    log: Option<(&Log, &[Option<u32>])>,
) -> std::io::Result<()> {
    let (Some(path), Some(header)) = (crate::output::beside(output, KIND), header(settings)) else {
        return Ok(());
    };
    if let Some((log, unchanged)) = log
        && unchanged.len() == saved.articles.len()
        && std::fs::metadata(&path).is_ok_and(|meta| meta.len() == log.end)
        && append(&path, saved, log, unchanged)?
    {
        return Ok(());
    }
    rewrite(&path, &header, saved)
}

/// Appends to the cache file at `path` the stems numbered since `log` was read, the records of
/// the articles `unchanged` has none for, and the order; `false` (nothing written) when the file
/// would then hold more than twice the bytes of its live records.
fn append(
    path: &Path,
    saved: &Saved<'_>,
    log: &Log,
    unchanged: &[Option<u32>],
) -> std::io::Result<bool> {
    let mut out = Vec::new();
    let stems = saved.vocabulary.stems();
    if let Some(added) = stems.get(log.stems..).filter(|added| !added.is_empty()) {
        to_record(&mut out, &(STEMS, added.join(" ")))?;
    }
    let mut serials = Vec::with_capacity(saved.articles.len());
    let mut live_bytes = log.kept_bytes;
    let mut next = log.next_serial;
    for (at, serial) in unchanged.iter().enumerate() {
        let kept = serial.and_then(|serial| Some((serial, log.sizes.get(&serial)?)));
        if let Some((serial, &size)) = kept {
            serials.push(serial);
            live_bytes += 4 + u64::from(size);
            continue;
        }
        write_entry(&mut out, next, (&saved.articles[at], &saved.bodies[at]), None);
        serials.push(next);
        next = next.checked_add(1).ok_or_else(|| std::io::Error::other("too many records"))?;
    }
    let (inputs, lists) = saved.related;
    to_record(&mut out, &(ORDER, (inputs, lists, &serials)))?;
    // What is appended is live; the dead records are those replaced or gone, and the orders
    // before: at most as many bytes as the live ones.
    live_bytes += out.len() as u64;
    let dead = (log.end + out.len() as u64).saturating_sub(live_bytes);
    if dead > live_bytes {
        return Ok(false);
    }
    let mut file = std::fs::OpenOptions::new().append(true).open(path)?;
    std::io::Write::write_all(&mut file, &out)?;
    Ok(true)
}

/// Writes the cache file at `path` afresh: `header`, the stems, each article's record, and the
/// order. The stems keep their numbers, which the search postings the build keeps are numbered
/// in (`search::postings`), unless more than an eighth of them are in no body (a session's
/// vocabulary keeps the stems of every text it ever read): then only those some body has are
/// written, renumbered in the same order.
fn rewrite(path: &Path, header: &str, saved: &Saved<'_>) -> std::io::Result<()> {
    let mut renumbered: Vec<TermId> = vec![TermId::MAX; saved.vocabulary.len()];
    for body in saved.bodies {
        let terms = [&body.search_terms, &body.title_terms, &body.summary_terms];
        for id in terms.into_iter().flat_map(|terms| terms.iter()) {
            if let Some(slot) = renumbered.get_mut(id as usize) {
                *slot = 0;
            }
        }
    }
    let unused = renumbered.iter().filter(|&&slot| slot != 0).count();
    let renumbering = unused > renumbered.len() / 8;
    if !renumbering {
        renumbered.fill(0);
    }
    let mut kept = String::new();
    let mut next = 0;
    for (slot, stem) in renumbered.iter_mut().zip(saved.vocabulary.stems()) {
        if *slot == 0 {
            *slot = next;
            next += 1;
            if !kept.is_empty() {
                kept.push(' ');
            }
            kept.push_str(&stem);
        }
    }
    let renumber = |id: TermId| renumbered.get(id as usize).copied();
    let renumber = renumbering.then_some(&renumber as &(dyn Fn(TermId) -> Option<TermId> + Sync));
    let (inputs, lists) = saved.related;
    let serials: Vec<u32> = (0..saved.articles.len() as u32).collect();
    // Written as it is made, a few thousand records at a time made in parallel: at 100,000
    // articles the file is about 140 MB. The order comes first, for the reader to size its map
    // by.
    crate::output::replace_file_with(path, |file| {
        writeln!(file, "{header}")?;
        let mut start = Vec::new();
        to_record(&mut start, &(ORDER, (inputs, lists, &serials)))?;
        to_record(&mut start, &(STEMS, &kept))?;
        file.write_all(&start)?;
        let places = saved.articles.iter().zip(saved.bodies).enumerate().collect::<Vec<_>>();
        for batch in places.chunks(RECORDS_AT_ONCE) {
            let records: Vec<Vec<u8>> = batch
                .par_chunks(RECORDS_AT_ONCE / 64)
                .map(|records| {
                    let mut out = Vec::new();
                    for &(place, article) in records {
                        write_entry(&mut out, place as u32, article, renumber);
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

/// How many articles' records [`rewrite`] makes before it writes them: about 6 MB.
const RECORDS_AT_ONCE: usize = 4096;

/// Appends the record of `article` with its `body`, under `serial`, to `out`; its search stems
/// as `renumber` numbers them. An article that cannot have one (a path that is not UTF-8, a
/// record over `crate::file::MAX_RECORD`) is left out: the next build reads its file.
fn write_entry(
    out: &mut Vec<u8>,
    serial: u32,
    (article, body): (&Article, &Body),
    renumber: Option<&(dyn Fn(TermId) -> Option<TermId> + Sync)>,
) {
    let Some(source) = article.source.to_str() else { return };
    let hash = article.source_hash;
    let known = article.parsed_cleanly.then(|| article.known_file());
    let terms = |terms: &PackedTerms| match renumber {
        Some(renumber) => PackedTerms::from_ascending(terms.iter().filter_map(renumber)),
        None => terms.clone(),
    };
    let [search, title, summary] =
        [&body.search_terms, &body.title_terms, &body.summary_terms].map(terms);
    let entry = (
        source,
        hash,
        body.reading_minutes,
        &body.summary,
        &body.images,
        PackedBytes(search.as_bytes()),
        PackedBytes(title.as_bytes()),
        PackedBytes(summary.as_bytes()),
        &body.references,
        known,
        article.date.timestamp(),
        body.calls,
    );
    // `to_record` leaves `out` as it was when it fails.
    let _ = to_record(out, &(ARTICLE, serial, entry));
}

/// One article's record of the cache file, as [`write_entry`] writes it after its kind and
/// serial: its source path and hash, its body, what is known of its file, and its date.
#[derive(serde::Deserialize)]
struct CachedBody<'a> {
    #[serde(deserialize_with = "crate::file::text::string")]
    source: String,
    hash: u64,
    reading_minutes: u32,
    #[serde(deserialize_with = "crate::file::text::string")]
    summary: String,
    #[serde(deserialize_with = "crate::file::text::list")]
    images: Vec<String>,
    search_terms: &'a [u8],
    title_terms: &'a [u8],
    summary_terms: &'a [u8],
    references: Vec<crate::markdown::Reference>,
    file: Option<KnownFile>,
    at: jiff::Timestamp,
    calls: bool,
}

/// A list of search stems in a record: its packed bytes ([`PackedTerms::as_bytes`]), written
/// as bytes (a length, then the bytes), which a record read back lends.
struct PackedBytes<'a>(&'a [u8]);

impl serde::Serialize for PackedBytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

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
            base_slug: Some(("خبر-عاجل".into(), false)),
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
            title_terms: vec![0, 2].into(),
            summary_terms: vec![3].into(),
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
        let saved = Saved {
            related: (0xfeed, &related),
            vocabulary: &vocabulary,
            articles: &articles,
            bodies: &bodies,
        };
        save(&out, 7, &saved, None).unwrap();
        let ([clean, _], [body, _]) = (articles, bodies);
        assert_eq!(
            crate::output::beside(&out, KIND).unwrap(),
            dir.path().join(".public.midad-bodies")
        );

        let loaded = load(&out, 7);
        assert_eq!(loaded.related, Some((0xfeed, related)));
        let entry = &loaded.articles[OsStr::new("politics/a.md")];
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
        assert_eq!(
            known.base_slug.as_ref().map(|(slug, chosen)| (slug.as_str(), *chosen)),
            written.base_slug,
            "and the slug made of it"
        );
        assert_eq!((cached.summary.as_str(), cached.reading_minutes), (body.summary.as_str(), 3));
        assert!(cached.html.is_later(), "the HTML is not cached");
        assert_eq!(cached.images, body.images, "the images it shows are");
        assert!(cached.calls, "and whether it calls shortcodes");
        assert_eq!(cached.references, body.references, "and what it points at, where");
        let stems = loaded.vocabulary.stems();
        let terms: Vec<&str> = cached.search_terms.iter().map(|id| &*stems[id as usize]).collect();
        assert_eq!(terms, ["نص", "ملخص"], "and its search terms, numbered afresh");
        let title: Vec<&str> = cached.title_terms.iter().map(|id| &*stems[id as usize]).collect();
        let summary: Vec<&str> =
            cached.summary_terms.iter().map(|id| &*stems[id as usize]).collect();
        assert_eq!(
            (title, summary),
            (vec!["غاب", "ذهب"], vec!["ملخص"]),
            "and its title's and summary's"
        );
        let other = load(&out, 8);
        assert!(other.articles.is_empty() && other.related.is_none(), "other settings: no reuse");
    }

    /// The body of an article whose summary is `summary` and whose body has search stems
    /// `terms`.
    fn body(summary: &str, terms: Vec<TermId>) -> Body {
        Body { summary: summary.into(), search_terms: terms.into(), ..Body::default() }
    }

    /// What `cached` holds of each article, by source path: its place, hash, summary and the
    /// stems of its body, in a form two loads of one cache compare equal in.
    fn described(cached: &Cached) -> Vec<(String, usize, u64, String, Vec<String>)> {
        let stems = cached.vocabulary.stems();
        let mut out: Vec<_> = (cached.articles.iter())
            .map(|(source, article)| {
                let body = article.body.as_ref().unwrap();
                let terms = body.search_terms.iter().map(|id| stems[id as usize].to_string());
                let summary = body.summary.clone();
                (
                    source.display().to_string(),
                    article.place,
                    article.hash,
                    summary,
                    terms.collect(),
                )
            })
            .collect();
        out.sort();
        out
    }

    /// Articles `names` under `dir`, each with summary `summary {name}` and as search stems the
    /// names up to its own.
    fn site(dir: &Path, names: &[&str], vocabulary: &Vocabulary) -> (Vec<Article>, Vec<Body>) {
        let articles = names.iter().map(|name| article(dir, &format!("politics/{name}.md"), true));
        let bodies = names.iter().enumerate().map(|(n, name)| {
            let mut terms: Vec<TermId> = names[..=n].iter().map(|s| vocabulary.intern(s)).collect();
            terms.sort_unstable();
            body(&format!("summary {name}"), terms)
        });
        (articles.collect(), bodies.collect())
    }

    #[test]
    fn a_build_appends_the_records_that_changed_and_reads_back_as_a_file_written_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let path = dir.path().join(".public.midad-bodies");
        let vocabulary = Vocabulary::default();
        let (articles, bodies) = site(dir.path(), &["a", "b", "c"], &vocabulary);
        let related = vec![vec![1], vec![0], vec![]];
        let saved = Saved {
            related: (1, &related),
            vocabulary: &vocabulary,
            articles: &articles,
            bodies: &bodies,
        };
        save(&out, 7, &saved, None).unwrap();
        let first = std::fs::read(&path).unwrap();

        // The next build: `b` changed, `c` went, `d` is new and first in the order.
        let mut loaded = load(&out, 7);
        let log = loaded.log.take().unwrap();
        let vocabulary = loaded.vocabulary;
        let (mut articles, mut bodies) = site(dir.path(), &["d", "a", "b"], &vocabulary);
        // `a` is unchanged: the Markdown step takes its body from the cache.
        bodies[1] =
            loaded.articles.get_mut(OsStr::new("politics/a.md")).unwrap().body.take().unwrap();
        articles[2].source_hash ^= 1;
        bodies[2].summary = "summary b, edited".into();
        let unchanged = unchanged_records(&articles, &loaded.articles);
        assert_eq!(unchanged.iter().map(Option::is_some).collect::<Vec<_>>(), [false, true, false]);
        let related = vec![vec![1, 2], vec![0], vec![1]];
        let saved = Saved {
            related: (2, &related),
            vocabulary: &vocabulary,
            articles: &articles,
            bodies: &bodies,
        };
        save(&out, 7, &saved, Some((&log, &unchanged))).unwrap();
        let appended = std::fs::read(&path).unwrap();
        assert_eq!(appended[..first.len()], first[..], "the records there are kept as they were");
        assert!(appended.len() > first.len());

        let read = load(&out, 7);
        let afresh = dir.path().join("afresh");
        save(&afresh, 7, &saved, None).unwrap();
        let clean = load(&afresh, 7);
        assert_eq!(described(&read), described(&clean));
        assert_eq!(read.related, Some((2, related.clone())));
        assert_eq!(read.articles.len(), 3, "`c` is gone");
        assert_eq!(read.articles[OsStr::new("politics/d.md")].place, 0);
        let d = &described(&read)[2];
        assert_eq!((d.0.as_str(), &d.4[..]), ("politics/d.md", &["d".to_string()][..]));
    }

    #[test]
    fn the_file_is_written_afresh_when_dead_records_would_outweigh_the_live() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let path = dir.path().join(".public.midad-bodies");
        let vocabulary = Vocabulary::default();
        let (mut articles, mut bodies) = site(dir.path(), &["a", "b", "c", "d"], &vocabulary);
        let related = vec![vec![]; 4];
        let saved = Saved {
            related: (1, &related),
            vocabulary: &vocabulary,
            articles: &articles,
            bodies: &bodies,
        };
        save(&out, 7, &saved, None).unwrap();
        let mut sizes = vec![std::fs::metadata(&path).unwrap().len()];
        // Each build edits `a` and `b`, and appends their records: the dead ones pile up.
        for _ in 0..4 {
            let mut loaded = load(&out, 7);
            for (article, body) in articles.iter_mut().zip(&mut bodies).skip(2) {
                *body = loaded
                    .articles
                    .get_mut(article.source.as_os_str())
                    .unwrap()
                    .body
                    .take()
                    .unwrap();
            }
            articles[0].source_hash ^= 1;
            articles[1].source_hash ^= 1;
            let unchanged = unchanged_records(&articles, &loaded.articles);
            assert_eq!(unchanged.iter().filter(|serial| serial.is_some()).count(), 2);
            let saved = Saved {
                related: (1, &related),
                vocabulary: &loaded.vocabulary,
                articles: &articles,
                bodies: &bodies,
            };
            save(&out, 7, &saved, Some((loaded.log.as_ref().unwrap(), &unchanged))).unwrap();
            sizes.push(std::fs::metadata(&path).unwrap().len());
            let read = load(&out, 7);
            assert_eq!(read.articles[articles[0].source.as_os_str()].hash, articles[0].source_hash);
            assert_eq!(read.articles.len(), 4);
        }
        assert!(sizes.windows(2).any(|two| two[1] > two[0]), "appended: {sizes:?}");
        assert!(sizes.windows(2).any(|two| two[1] < two[0]), "written afresh: {sizes:?}");
        assert!(sizes.iter().all(|&size| size <= 2 * sizes[0]), "{sizes:?}");
    }

    #[test]
    fn records_a_killed_build_left_half_written_are_ignored_and_the_file_written_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let path = dir.path().join(".public.midad-bodies");
        let vocabulary = Vocabulary::default();
        let (articles, bodies) = site(dir.path(), &["a", "b"], &vocabulary);
        let related = vec![vec![1], vec![0]];
        let saved = Saved {
            related: (1, &related),
            vocabulary: &vocabulary,
            articles: &articles,
            bodies: &bodies,
        };
        save(&out, 7, &saved, None).unwrap();
        let whole = std::fs::read(&path).unwrap();
        let mut half = whole.clone();
        to_record(&mut half, &(ARTICLE, 9u32, "politics/z.md")).unwrap();
        half.truncate(half.len() - 3);
        std::fs::write(&path, &half).unwrap();

        let loaded = load(&out, 7);
        assert_eq!(
            described(&loaded),
            described(&{
                std::fs::write(dir.path().join(".whole.midad-bodies"), &whole).unwrap();
                load(&dir.path().join("whole"), 7)
            })
        );
        let unchanged = unchanged_records(&articles, &loaded.articles);
        save(&out, 7, &saved, Some((loaded.log.as_ref().unwrap(), &unchanged))).unwrap();
        assert_eq!(
            std::fs::read(&path).unwrap(),
            whole,
            "written afresh, not after the half record"
        );
    }

    #[test]
    fn stems_keep_their_numbers_unless_many_are_in_no_body() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let words: Vec<String> = (0..16).map(|n| format!("كلمة{n}")).collect();
        let vocabulary = Vocabulary::from_stems(words.iter().map(String::as_str)).unwrap();
        let articles = [article(dir.path(), "politics/a.md", true)];
        let related = [vec![]];
        for (used, numbered) in [((1..16).collect::<Vec<TermId>>(), 16), ((8..16).collect(), 8)] {
            let bodies = [body("ملخص", used.clone())];
            let saved = Saved {
                related: (0, &related),
                vocabulary: &vocabulary,
                articles: &articles,
                bodies: &bodies,
            };
            save(&out, 7, &saved, None).unwrap();
            let loaded = load(&out, 7);
            assert_eq!(loaded.vocabulary.len(), numbered);
            let cached = loaded.articles[OsStr::new("politics/a.md")].body.as_ref().unwrap();
            let ids: Vec<TermId> = cached.search_terms.iter().collect();
            if numbered == 16 {
                assert_eq!(ids, used, "one stem in no body: the numbers are kept");
            }
            let stems = loaded.vocabulary.stems();
            let texts: Vec<&str> = ids.iter().map(|&id| &*stems[id as usize]).collect();
            let written: Vec<&str> = used.iter().map(|&id| words[id as usize].as_str()).collect();
            assert_eq!(texts, written);
        }
    }

    #[test]
    fn a_record_reads_back_its_stems_renumbered_or_not_and_none_past_the_vocabulary() {
        let dir = tempfile::tempdir().unwrap();
        let article = article(dir.path(), "politics/a.md", true);
        let mut body = body("ملخص", vec![0, 5, 300]);
        body.title_terms = vec![5].into();
        let ids = |terms: &PackedTerms| terms.iter().collect::<Vec<TermId>>();
        let mut record = Vec::new();
        write_entry(&mut record, 7, (&article, &body), None);
        let (_, read) = entry(&record[4..], 301).unwrap();
        let read = read.body.unwrap();
        assert_eq!(ids(&read.search_terms), [0, 5, 300]);
        assert_eq!(ids(&read.title_terms), [5]);
        assert!(entry(&record[4..], 300).is_none(), "stem 300 is past 300 stems");
        let mut renumbered = Vec::new();
        let renumber = |id: TermId| (id != 5).then_some(id / 2);
        write_entry(&mut renumbered, 7, (&article, &body), Some(&renumber));
        let read = entry(&renumbered[4..], 301).unwrap().1.body.unwrap();
        assert_eq!(ids(&read.search_terms), [0, 150]);
        assert!(read.title_terms.is_empty());
    }
}
