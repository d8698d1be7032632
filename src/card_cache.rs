//! The story cards of the last builds, kept beside the output for the next (`midad build`).
//!
//! A card (a template under `cards/`) is rendered once per article in a render, but a build that
//! publishes one article renders again every listing page the new article shifts: at 100,000
//! articles, 2,500 pages showing 33,000 summaries, whose cards were most of that render. Their
//! summaries and card templates did not change, so neither did their cards: this keeps each
//! article's cards under the fingerprint of what they are rendered from (the summary with its
//! cards' key, `render::summaries`), which is the fingerprint a page showing them is kept by.
//!
//! Two files beside the output: `.public.midad-cards`, a log that records are only appended to
//! (the fingerprint, then each card's length and bytes), and `.public.midad-cards-index`, written
//! whole at the end of a build, which says where each record of the build's articles is. A build
//! killed meanwhile leaves the last index, whose records are still in the log as they were. A
//! record is checked against its fingerprint when it is read; anything that does not read is a
//! miss, and the cards are rendered. When the log holds more than twice the bytes the index
//! names, the live records are copied to a new log.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The first word of the index file, with its format version.
const FORMAT: &str = "midad-cards 1";

/// The bytes of one index entry: a fingerprint, an offset and a length.
const ENTRY: usize = 8 + 8 + 4;

/// Where a record is in the log: its offset and length.
type Place = (u64, u32);

/// The cards of the last builds, and those this build adds.
pub struct CardCache {
    log_path: PathBuf,
    index_path: PathBuf,
    /// The first line of the index this binary writes.
    header: String,
    /// Where each record the last index named is.
    index: HashMap<u64, Place>,
    /// The log, read from anywhere and appended to.
    reader: File,
    writer: Mutex<Appender>,
    /// The keys of the build's articles' cards (see [`CardCache::keep_only`]).
    live: Mutex<Vec<u64>>,
}

/// The end of the log, where records are appended, and where this build's went.
struct Appender {
    file: BufWriter<File>,
    end: u64,
    added: HashMap<u64, Place>,
    /// Whether a write failed (a full disk): where the log ends is not known any more, so
    /// nothing more is appended.
    failed: bool,
}

impl CardCache {
    /// The cards kept beside `output`, or a new, empty log there when there are none that this
    /// binary wrote. `None` when the log cannot be opened: cards are then rendered, as always.
    pub fn open(output: &Path) -> Option<CardCache> {
        let log_path = crate::output::beside(output, "cards")?;
        let index_path = crate::output::beside(output, "cards-index")?;
        let header = format!("{FORMAT}\t{}", crate::fingerprint::binary_identity()?);
        let log = std::fs::OpenOptions::new().read(true).create(true).append(true).open(&log_path);
        let log = log.ok()?;
        let end = log.metadata().ok()?.len();
        let index = match read_index(&index_path, &header) {
            Some((covered, mut index)) if covered <= end => {
                // A record past what the index covers is not one it wrote.
                let inside = |&(offset, len): &Place| {
                    offset.checked_add(u64::from(len)).is_some_and(|last| last <= covered)
                };
                index.retain(|_, place| inside(place));
                index
            }
            // Another binary's cards, or a log shorter than the index says: start afresh.
            _ => {
                log.set_len(0).ok()?;
                HashMap::new()
            }
        };
        let end = log.metadata().ok()?.len();
        let reader = log.try_clone().ok()?;
        let added = HashMap::new();
        let writer = Mutex::new(Appender {
            file: BufWriter::with_capacity(1 << 20, log),
            end,
            added,
            failed: false,
        });
        let live = Mutex::default();
        Some(CardCache { log_path, index_path, header, index, reader, writer, live })
    }

    /// The cards kept under `key`, in the order they were put.
    pub fn get(&self, key: u64) -> Option<Vec<String>> {
        let &(offset, len) = self.index.get(&key)?;
        let mut record = vec![0; len as usize];
        read_at(&self.reader, &mut record, offset).ok()?;
        decode(&record, key)
    }

    /// Keeps `cards` under `key` for the next build.
    pub fn put(&self, key: u64, cards: &[&str]) {
        let record = encode(key, cards);
        let Ok(len) = u32::try_from(record.len()) else { return };
        let Ok(mut appender) = self.writer.lock() else { return };
        if appender.failed {
            return;
        }
        if appender.file.write_all(&record).is_ok() {
            let offset = appender.end;
            appender.end += u64::from(len);
            appender.added.insert(key, (offset, len));
        } else {
            appender.failed = true;
        }
    }

    /// Makes [`CardCache::save`] keep only the cards under `keys`, those of the build's articles.
    pub fn keep_only(&self, keys: &[u64]) {
        if let Ok(mut live) = self.live.lock() {
            *live = keys.to_vec();
        }
    }

    /// Writes the index of the cards the build's articles have, for the next build; copies them
    /// to a new log first when the log is more than twice their size.
    pub fn save(&self) -> std::io::Result<()> {
        let poisoned = || std::io::Error::other("a card writer panicked");
        let mut appender = self.writer.lock().map_err(|_| poisoned())?;
        if appender.failed {
            return Err(std::io::Error::other("a story card could not be written"));
        }
        appender.file.flush()?;
        let live = std::mem::take(&mut *self.live.lock().map_err(|_| poisoned())?);
        let place = |key: &u64| appender.added.get(key).or_else(|| self.index.get(key)).copied();
        let mut kept: Vec<(u64, Place)> =
            live.into_iter().filter_map(|key| Some((key, place(&key)?))).collect();
        kept.sort_unstable_by_key(|&(_, (offset, _))| offset);
        kept.dedup_by_key(|&mut (key, _)| key);
        let live_bytes: u64 = kept.iter().map(|&(_, (_, len))| u64::from(len)).sum();
        let end = if appender.end > 2 * live_bytes + (1 << 20) {
            compact(&self.log_path, &self.reader, &mut kept)?
        } else {
            appender.end
        };
        crate::output::replace_file_with(&self.index_path, |out| {
            writeln!(out, "{}\t{end}", self.header)?;
            for (key, (offset, len)) in &kept {
                out.write_all(&key.to_le_bytes())?;
                out.write_all(&offset.to_le_bytes())?;
                out.write_all(&len.to_le_bytes())?;
            }
            Ok(())
        })
    }
}

/// Copies the records of `kept` from the log `reader` to a new log in place of the one at
/// `log_path`, and points `kept` at their new places; the new log's length.
fn compact(log_path: &Path, reader: &File, kept: &mut [(u64, Place)]) -> std::io::Result<u64> {
    let mut end = 0;
    let mut record = Vec::new();
    crate::output::replace_file_with(log_path, |out| {
        for (_, (offset, len)) in kept.iter_mut() {
            record.resize(*len as usize, 0);
            read_at(reader, &mut record, *offset)?;
            out.write_all(&record)?;
            *offset = end;
            end += u64::from(*len);
        }
        Ok(())
    })?;
    Ok(end)
}

/// The index at `path` if this binary wrote it (its first line is `header`): the length of the
/// log it covers, and where each record is.
fn read_index(path: &Path, header: &str) -> Option<(u64, HashMap<u64, Place>)> {
    let mut bytes = Vec::new();
    File::open(path).ok()?.read_to_end(&mut bytes).ok()?;
    let newline = bytes.iter().position(|&b| b == b'\n')?;
    let first = std::str::from_utf8(&bytes[..newline]).ok()?;
    let (written_by, covered) = first.rsplit_once('\t')?;
    if written_by != header {
        return None;
    }
    let covered: u64 = covered.parse().ok()?;
    let entries = &bytes[newline + 1..];
    let index = entries
        .chunks_exact(ENTRY)
        .map(|entry| {
            let (key, rest) = entry.split_at(8);
            let (offset, len) = rest.split_at(8);
            (le_u64(key), (le_u64(offset), le_u32(len)))
        })
        .collect();
    Some((covered, index))
}

/// A record: `key`, the number of cards, then each card's length and bytes.
fn encode(key: u64, cards: &[&str]) -> Vec<u8> {
    let len = 12 + cards.iter().map(|card| 4 + card.len()).sum::<usize>();
    let mut record = Vec::with_capacity(len);
    record.extend_from_slice(&key.to_le_bytes());
    record.extend_from_slice(&(cards.len() as u32).to_le_bytes());
    for card in cards {
        record.extend_from_slice(&(card.len() as u32).to_le_bytes());
        record.extend_from_slice(card.as_bytes());
    }
    record
}

/// The cards of `record`, if it is whole and the record of `key`.
fn decode(record: &[u8], key: u64) -> Option<Vec<String>> {
    let (head, mut rest) = record.split_at_checked(12)?;
    if le_u64(&head[..8]) != key {
        return None;
    }
    let count = le_u32(&head[8..]) as usize;
    let mut cards = Vec::with_capacity(count.min(64));
    for _ in 0..count {
        let (len, after) = rest.split_at_checked(4)?;
        let (card, after) = after.split_at_checked(le_u32(len) as usize)?;
        cards.push(simdutf8::basic::from_utf8(card).ok()?.to_owned());
        rest = after;
    }
    rest.is_empty().then_some(cards)
}

fn le_u64(bytes: &[u8]) -> u64 {
    bytes.try_into().map_or(0, u64::from_le_bytes)
}

fn le_u32(bytes: &[u8]) -> u32 {
    bytes.try_into().map_or(0, u32::from_le_bytes)
}

/// Reads `buf.len()` bytes of `file` from `offset`, without moving a shared cursor.
#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Reads `buf.len()` bytes of `file` from `offset`.
#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        (dir, output)
    }

    #[test]
    fn cards_put_by_one_build_are_read_by_the_next() {
        let (_dir, output) = output();
        let cache = CardCache::open(&output).unwrap();
        assert_eq!(cache.get(7), None);
        cache.put(7, &["<article>بطاقة</article>", ""]);
        cache.put(9, &["<article>أخرى</article>"]);
        cache.keep_only(&[7, 9]);
        cache.save().unwrap();

        let cache = CardCache::open(&output).unwrap();
        assert_eq!(cache.get(7).unwrap(), ["<article>بطاقة</article>", ""]);
        assert_eq!(cache.get(9).unwrap(), ["<article>أخرى</article>"]);
        assert_eq!(cache.get(8), None);
        // Only the live keys are named by the next index.
        cache.keep_only(&[9]);
        cache.save().unwrap();
        let cache = CardCache::open(&output).unwrap();
        assert_eq!(cache.get(7), None);
        assert_eq!(cache.get(9).unwrap(), ["<article>أخرى</article>"]);
    }

    #[test]
    fn a_log_mostly_of_dead_records_is_compacted() {
        let (_dir, output) = output();
        let big = "ك".repeat(300_000);
        let cache = CardCache::open(&output).unwrap();
        for key in 0..10 {
            cache.put(key, &[&big]);
        }
        cache.keep_only(&(0..10).collect::<Vec<_>>());
        cache.save().unwrap();
        let log = crate::output::beside(&output, "cards").unwrap();
        let before = std::fs::metadata(&log).unwrap().len();
        let cache = CardCache::open(&output).unwrap();
        cache.keep_only(&[8, 9]);
        cache.save().unwrap();
        let after = std::fs::metadata(&log).unwrap().len();
        assert!(after * 4 < before, "{after} of {before}");
        let cache = CardCache::open(&output).unwrap();
        assert_eq!(cache.get(9).unwrap(), [big.as_str()]);
        assert_eq!(cache.get(1), None);
    }

    #[test]
    fn a_damaged_log_is_a_miss_not_a_wrong_card() {
        let (_dir, output) = output();
        let cache = CardCache::open(&output).unwrap();
        cache.put(1, &["الأولى"]);
        cache.put(2, &["الثانية"]);
        cache.keep_only(&[1, 2]);
        cache.save().unwrap();
        let log = crate::output::beside(&output, "cards").unwrap();
        let mut bytes = std::fs::read(&log).unwrap();
        bytes[0] ^= 0xff;
        std::fs::write(&log, &bytes).unwrap();
        let cache = CardCache::open(&output).unwrap();
        assert_eq!(cache.get(1), None);
        assert_eq!(cache.get(2).unwrap(), ["الثانية"]);
        // An entry of the index past the log it covers is dropped, not read.
        let index = crate::output::beside(&output, "cards-index").unwrap();
        let mut entries = std::fs::read(&index).unwrap();
        let at = entries.iter().position(|&b| b == b'\n').unwrap() + 1 + 16;
        entries[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        std::fs::write(&index, &entries).unwrap();
        let cache = CardCache::open(&output).unwrap();
        assert_eq!(cache.index.len(), 1);
        // A log shorter than its index says is started afresh.
        std::fs::write(&log, &bytes[..10]).unwrap();
        let cache = CardCache::open(&output).unwrap();
        assert_eq!(cache.get(2), None);
        assert_eq!(std::fs::metadata(&log).unwrap().len(), 0);
    }
}
