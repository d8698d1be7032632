//! The postings of the last build's index, kept beside the output (`.public.midad-postings-0`,
//! one file per language) with the fingerprint of each document they were inverted from, so
//! that a build whose documents begin with those same documents inverts only the ones after
//! them. Documents are numbered oldest first: an article published since is the newest, the
//! last document, and the index of every article before it is the last build's.
//!
//! ```text
//! file     = "midad-postings 1\n"  identity-length:u32  identity  body-weight:u8
//!            stems:u32  stems-hash:u64  documents:u32  fingerprint:u64*
//!            term*  checksum:u64                           -- one term per stem, by number
//! term     = strong-count:u32  (doc:u32  weight:u8)*
//!            body-count:u32  body-last:u32  body-bytes:u32  byte*
//! ```
//!
//! Numbers are little-endian; `body-last` is `u32::MAX` for an empty list; the checksum is the
//! xxh3 of every byte before it. The file holds the postings only for the binary that wrote it
//! (its identity) and the numbering of stems it was written with (the hash of the stems it
//! covers, in order); anything else, or anything unreadable, is ignored and every document
//! inverted.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::Xxh3Default;

use super::index::Postings;
use super::packed::Ascending;

/// The first bytes of a postings file, with its format version.
const FORMAT: &[u8] = b"midad-postings 1\n";

/// The postings a build may start from: those of its first `documents` documents.
#[derive(Debug, Default)]
pub(super) struct Kept {
    pub(super) documents: u32,
    pub(super) postings: Vec<Postings>,
}

/// What the postings of a file are postings of: the body's weight, the stems by number and the
/// fingerprint of each document ([`super::index::Doc::postings_fingerprint`]), in id order.
#[derive(Clone, Copy)]
pub(super) struct Key<'a> {
    pub(super) body_weight: u8,
    pub(super) stems: &'a [Box<str>],
    pub(super) documents: &'a [u64],
}

/// Where the postings of the index of the `lang`-th language of the build in `output` are kept.
pub(super) fn path(output: &Path, lang: usize) -> Option<PathBuf> {
    crate::output::beside(output, &format!("postings-{lang}"))
}

/// The postings kept at `path`, if they are of the first documents of `key` (as many as the file
/// has, up to all of them), for its stems and body weight.
pub(super) fn load(path: &Path, key: Key<'_>) -> Option<Kept> {
    let file = std::fs::File::open(path).ok()?;
    let inner = std::io::BufReader::with_capacity(1 << 20, file);
    let mut reader = Hashing { inner, hash: Xxh3Default::new() };
    let kept = read(&mut reader, key)?;
    let checksum = reader.hash.digest();
    (read_u64(&mut reader.inner)? == checksum).then_some(kept)
}

/// Keeps `postings`, the index of the documents of `key`, at `path` for the next build.
pub(super) fn save(path: &Path, key: Key<'_>, postings: &[Postings]) -> std::io::Result<()> {
    crate::output::replace_file_with(path, |out| {
        let mut writer = Hashing { inner: out, hash: Xxh3Default::new() };
        write(&mut writer, key, postings)?;
        let checksum = writer.hash.digest();
        writer.inner.write_all(&checksum.to_le_bytes())
    })
}

fn write(out: &mut impl Write, key: Key<'_>, postings: &[Postings]) -> std::io::Result<()> {
    let identity = crate::fingerprint::binary_identity().unwrap_or_default();
    out.write_all(FORMAT)?;
    write_u32(out, identity.len() as u32)?;
    out.write_all(identity.as_bytes())?;
    out.write_all(&[key.body_weight])?;
    write_u32(out, key.stems.len() as u32)?;
    out.write_all(&crate::fingerprint::of(key.stems).to_le_bytes())?;
    write_u32(out, key.documents.len() as u32)?;
    let fingerprints: Vec<u8> = key.documents.iter().flat_map(|f| f.to_le_bytes()).collect();
    out.write_all(&fingerprints)?;
    let mut bytes = Vec::new();
    for term in postings {
        bytes.clear();
        bytes.extend_from_slice(&(term.strong.len() as u32).to_le_bytes());
        for &(doc, weight) in &term.strong {
            bytes.extend_from_slice(&doc.to_le_bytes());
            bytes.push(weight);
        }
        let body = &term.body;
        bytes.extend_from_slice(&body.len().to_le_bytes());
        bytes.extend_from_slice(&body.last().unwrap_or(u32::MAX).to_le_bytes());
        bytes.extend_from_slice(&(body.as_bytes().len() as u32).to_le_bytes());
        bytes.extend_from_slice(body.as_bytes());
        out.write_all(&bytes)?;
    }
    Ok(())
}

/// Reads a file's postings up to its checksum, if they are of `key`'s first documents.
fn read(input: &mut impl Read, key: Key<'_>) -> Option<Kept> {
    let mut format = [0; FORMAT.len()];
    input.read_exact(&mut format).ok()?;
    let identity = crate::fingerprint::binary_identity()?;
    let identity_len = read_u32(input)? as usize;
    let written_by = read_bytes(input, identity_len, identity.len())?;
    let [body_weight] = read_array(input)?;
    let stems = read_u32(input)? as usize;
    let same = format == FORMAT
        && written_by == identity.as_bytes()
        && body_weight == key.body_weight
        && stems <= key.stems.len()
        && read_u64(input)? == crate::fingerprint::of(&key.stems[..stems]);
    let documents = read_u32(input)? as usize;
    if !same || documents > key.documents.len() {
        return None;
    }
    let fingerprints = read_bytes(input, documents * 8, documents * 8)?;
    let kept =
        fingerprints.chunks_exact(8).map(|f| u64::from_le_bytes(f.try_into().unwrap_or_default()));
    if !kept.eq(key.documents[..documents].iter().copied()) {
        return None;
    }
    let postings = (0..stems).map(|_| read_term(input, documents)).collect::<Option<_>>()?;
    Some(Kept { documents: documents as u32, postings })
}

/// One term's postings, of at most `documents` documents.
fn read_term(input: &mut impl Read, documents: usize) -> Option<Postings> {
    let strong_count = read_u32(input)? as usize;
    let strong_bytes = read_bytes(input, strong_count * 5, documents * 5)?;
    let strong = strong_bytes
        .chunks_exact(5)
        .map(|p| (u32::from_le_bytes([p[0], p[1], p[2], p[3]]), p[4]))
        .collect();
    let len = read_u32(input)?;
    let last = read_u32(input)?;
    let last = (len > 0).then_some(last);
    let body_bytes = read_u32(input)? as usize;
    // Each document's difference takes at most five bytes.
    let body = read_bytes(input, body_bytes, documents * 5)?;
    Some(Postings { strong, body: Ascending::from_parts(body, len, last) })
}

fn write_u32(out: &mut impl Write, value: u32) -> std::io::Result<()> {
    out.write_all(&value.to_le_bytes())
}

fn read_array<const N: usize>(input: &mut impl Read) -> Option<[u8; N]> {
    let mut bytes = [0; N];
    input.read_exact(&mut bytes).ok()?;
    Some(bytes)
}

fn read_u32(input: &mut impl Read) -> Option<u32> {
    read_array(input).map(u32::from_le_bytes)
}

fn read_u64(input: &mut impl Read) -> Option<u64> {
    read_array(input).map(u64::from_le_bytes)
}

/// The next `len` bytes, if there are that many and no more than `most` (a length read from a
/// damaged file is not allocated).
fn read_bytes(input: &mut impl Read, len: usize, most: usize) -> Option<Vec<u8>> {
    if len > most {
        return None;
    }
    let mut bytes = vec![0; len];
    input.read_exact(&mut bytes).ok()?;
    Some(bytes)
}

/// A reader or writer that hashes the bytes that pass through it.
struct Hashing<T> {
    inner: T,
    hash: Xxh3Default,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.hash.update(&buf[..read]);
        Ok(read)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        self.hash.update(&buf[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postings(strong: &[(u32, u8)], body: &[u32]) -> Postings {
        let mut list = Ascending::default();
        body.iter().for_each(|&doc| list.push(doc));
        Postings { strong: strong.to_vec(), body: list }
    }

    fn stems(words: &[&str]) -> Vec<Box<str>> {
        words.iter().map(|&w| Box::from(w)).collect()
    }

    #[test]
    fn postings_read_back_for_the_documents_they_were_made_of() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("postings");
        let stems = stems(&["حكوم", "قرار", "مصر"]);
        let kept = vec![
            postings(&[(0, 40), (2, 41)], &[1]),
            postings(&[], &[0, 1, 2]),
            postings(&[], &[]),
        ];
        let key = Key { body_weight: 1, stems: &stems, documents: &[7, 8, 9] };
        save(&path, key, &kept).unwrap();
        let loaded = load(&path, key).unwrap();
        assert_eq!((loaded.documents, &loaded.postings), (3, &kept));
        assert_eq!(loaded.postings[1].body.last(), Some(2));
        // A build with one more document, and one more stem, starts from the same postings.
        let more = crate::search::postings::tests::stems(&["حكوم", "قرار", "مصر", "مدرس"]);
        let key = Key { stems: &more, documents: &[7, 8, 9, 10], ..key };
        assert_eq!(load(&path, key).unwrap().postings, kept);
    }

    #[test]
    fn postings_of_other_documents_or_stems_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("postings");
        let stems = stems(&["حكوم", "قرار"]);
        let kept = vec![postings(&[(0, 40)], &[1]), postings(&[], &[0, 1])];
        let key = Key { body_weight: 1, stems: &stems, documents: &[7, 8] };
        save(&path, key, &kept).unwrap();
        let other = crate::search::postings::tests::stems(&["قرار", "حكوم"]);
        for key in [
            Key { documents: &[7, 9], ..key },
            Key { documents: &[7], ..key },
            Key { body_weight: 2, ..key },
            Key { stems: &other, ..key },
            Key { stems: &stems[..1], ..key },
        ] {
            assert!(load(&path, key).is_none());
        }
        // A damaged file is not read, whatever byte changed.
        let bytes = std::fs::read(&path).unwrap();
        for at in [0, bytes.len() / 2, bytes.len() - 1] {
            let mut damaged = bytes.clone();
            damaged[at] ^= 1;
            std::fs::write(&path, &damaged).unwrap();
            assert!(load(&path, key).is_none(), "byte {at}");
        }
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(load(&path, key).is_none());
    }
}
