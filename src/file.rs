//! Writing one file whose folder may not exist yet, for the commands that make files outside the
//! output: `midad init` and `midad new` (`start`), `midad import` (`import`) and the built-in
//! theme written out to the cache (`theme`). The output folder is `output`'s alone: it stages and
//! swaps, and does not use this. And writing and reading records (the build cache's): values
//! of a compact binary form, read from a large file a few megabytes at a time.

use std::io::Read;
use std::path::Path;

/// Reads `reader` to its end about `chunk` bytes at a time, and calls `records` with each run of
/// whole records read, each a 4-byte little-endian length and that many bytes (a record longer
/// than `chunk` comes whole, alone). Bytes that end the file in the middle of a record are left
/// out, and so is everything from a record said to be longer than [`MAX_RECORD`] (a length that
/// large is a damaged file). One buffer is reused throughout, so a file of hundreds of megabytes
/// costs `chunk` bytes of memory (or the longest record's), not its size.
pub(crate) fn for_each_records(
    mut reader: impl Read,
    chunk: usize,
    mut records: impl FnMut(Vec<&[u8]>),
) -> std::io::Result<()> {
    let mut buffer = vec![0; chunk.max(4)];
    let mut filled = 0;
    loop {
        let read = match reader.read(&mut buffer[filled..]) {
            Ok(read) => read,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        filled += read;
        let (whole, next) = whole_records(&buffer[..filled]);
        if !whole.is_empty() {
            records(whole);
        }
        if read == 0 {
            return Ok(());
        }
        buffer.copy_within(next..filled, 0);
        filled -= next;
        match record_length(&buffer[..filled]) {
            Some(length) if length > MAX_RECORD => return Ok(()),
            Some(length) if 4 + length > buffer.len() => buffer.resize(4 + length, 0),
            _ => {}
        }
        if filled == buffer.len() {
            buffer.resize(buffer.len() * 2, 0);
        }
    }
}

/// The longest record [`for_each_records`] reads and [`to_record`] writes: 256 MB.
pub(crate) const MAX_RECORD: usize = 256 << 20;

/// The length a record starting `bytes` says it has, if they hold its 4 bytes of length.
fn record_length(bytes: &[u8]) -> Option<usize> {
    let length = bytes.first_chunk::<4>()?;
    usize::try_from(u32::from_le_bytes(*length)).ok()
}

/// The whole records `bytes` starts with, and where the first one not whole starts.
fn whole_records(bytes: &[u8]) -> (Vec<&[u8]>, usize) {
    let mut records = Vec::new();
    let mut at = 0;
    while let Some(length) = record_length(&bytes[at..])
        && let Some(record) = bytes.get(at + 4..at + 4 + length)
    {
        records.push(record);
        at += 4 + length;
    }
    (records, at)
}

/// Appends `value` to `out` as one record of [`for_each_records`], in the binary form of serde's
/// data model that [`from_record`] reads (`bincode`, its integers as variable-length numbers).
pub(crate) fn to_record<T: serde::Serialize + ?Sized>(
    out: &mut Vec<u8>,
    value: &T,
) -> std::io::Result<()> {
    use bincode::Options;
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    if let Err(err) = codec().serialize_into(&mut *out, value) {
        out.truncate(start);
        return Err(std::io::Error::other(err));
    }
    // The codec's limit keeps the length below `MAX_RECORD`.
    let length = (out.len() - start - 4) as u32;
    out[start..start + 4].copy_from_slice(&length.to_le_bytes());
    Ok(())
}

/// The value a record written by [`to_record`] holds, if it reads as a `T` to its last byte.
pub(crate) fn from_record<'a, T: serde::Deserialize<'a>>(record: &'a [u8]) -> Option<T> {
    use bincode::Options;
    codec().deserialize(record).ok()
}

/// The options of [`to_record`] and [`from_record`].
fn codec() -> impl bincode::Options + Copy {
    use bincode::Options;
    bincode::DefaultOptions::new().with_limit(MAX_RECORD as u64)
}

/// Text fields of records, for `#[serde(deserialize_with = ...)]`: read as bytes and checked
/// with `simdutf8`, which takes a fraction of the time of the standard library's check on Arabic
/// text (almost none of it ASCII; a text under 64 bytes it checks as the standard library does);
/// a build reads the front matter and summary of every article from the build cache. Records write text as serde strings, whose binary form is that of bytes
/// (a length, then the bytes). A human-readable format reads strings as strings.
pub(crate) mod text {
    use serde::de::{self, Deserialize, Deserializer, Visitor};

    /// A text field.
    pub(crate) fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        if deserializer.is_human_readable() {
            return String::deserialize(deserializer);
        }
        deserializer.deserialize_bytes(Utf8)
    }

    /// An optional text field.
    pub(crate) fn option<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        Ok(Option::<Text>::deserialize(deserializer)?.map(|text| text.0))
    }

    /// A list of texts.
    pub(crate) fn list<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<String>, D::Error> {
        Ok(Vec::<Text>::deserialize(deserializer)?.into_iter().map(|text| text.0).collect())
    }

    /// One text read by [`string`], inside an option or a list.
    struct Text(String);

    impl<'de> Deserialize<'de> for Text {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
            string(deserializer).map(Text)
        }
    }

    /// Makes a `String` of bytes that are UTF-8.
    struct Utf8;

    impl Visitor<'_> for Utf8 {
        type Value = String;

        fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            formatter.write_str("UTF-8 text")
        }

        fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<String, E> {
            match simdutf8::basic::from_utf8(bytes) {
                Ok(text) => Ok(text.to_owned()),
                Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(bytes), &self)),
            }
        }

        fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<String, E> {
            // Records are read from a slice, which lends its bytes (`visit_bytes`): this is
            // for other formats.
            String::from_utf8(bytes)
                .map_err(|err| E::invalid_value(de::Unexpected::Bytes(err.as_bytes()), &self))
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<String, E> {
            Ok(text.to_owned())
        }

        fn visit_string<E: de::Error>(self, text: String) -> Result<String, E> {
            Ok(text)
        }
    }
}

/// Writes `contents` to `path`, making its parent folders first.
pub(crate) fn write_creating_parents(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_comes_whole_whatever_the_chunk() {
        let long = "طويل ".repeat(40);
        let written = ["", "سجل أول", "\n\r\0", "", long.as_str()];
        let mut bytes = Vec::new();
        for record in written {
            to_record(&mut bytes, record).unwrap();
        }
        let read = |bytes: &[u8], chunk| {
            let mut read: Vec<Option<String>> = Vec::new();
            for_each_records(bytes, chunk, |run| read.extend(run.iter().map(|r| from_record(r))))
                .unwrap();
            read
        };
        for chunk in [1, 3, 4, 8, 64, 1 << 20] {
            let read = read(&bytes, chunk);
            assert!(read.iter().map(Option::as_deref).eq(written.map(Some)), "chunk {chunk}");
        }
        assert_eq!(read(&bytes[..bytes.len() - 1], 16).len(), 4, "a record cut short is left out");
        let mut damaged = bytes[..5].to_vec();
        damaged.extend_from_slice(&u32::MAX.to_le_bytes());
        damaged.extend_from_slice(&bytes);
        assert_eq!(read(&damaged, 16).len(), 1, "nothing after a length too long to be true");
        assert_eq!(from_record::<String>(&bytes[4..6]), None, "a record with bytes to spare");
    }

    /// A record of text fields read by [`text`].
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Texts {
        #[serde(deserialize_with = "text::string")]
        title: String,
        #[serde(deserialize_with = "text::option")]
        summary: Option<String>,
        #[serde(deserialize_with = "text::option")]
        caption: Option<String>,
        #[serde(deserialize_with = "text::list")]
        tags: Vec<String>,
    }

    #[test]
    fn text_fields_read_back_as_written_and_bytes_that_are_not_utf8_do_not_read() {
        let written = Texts {
            title: "«الحكومة» تعلن موازنة 2027 — بالأرقام".into(),
            summary: Some("ملخص 😀 مع English".into()),
            caption: None,
            tags: vec!["مصر".into(), String::new(), "اقتصاد".into()],
        };
        let mut bytes = Vec::new();
        to_record(&mut bytes, &written).unwrap();
        assert_eq!(from_record::<Texts>(&bytes[4..]).as_ref(), Some(&written));
        // The title starts at byte 5 (after the length and the record's own), with «, C2 AB: a
        // continuation byte with no lead, then a lead byte with no continuation.
        for (at, byte) in [(5, 0x80), (6, b'A')] {
            let mut broken = bytes.clone();
            broken[at] = byte;
            assert_eq!(from_record::<Texts>(&broken[4..]), None, "byte {at} made {byte:#x}");
        }
        let json = serde_json::to_string(&written).unwrap();
        assert_eq!(serde_json::from_str::<Texts>(&json).unwrap(), written);
    }
}
