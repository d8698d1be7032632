//! Ascending numbers packed as varint differences: the stems of an article's body
//! ([`PackedTerms`], which every body keeps until the search index is made) and the documents
//! of a stem's body postings while the index is inverted ([`Ascending`]).

use std::sync::Arc;

use crate::search::vocabulary::TermId;

/// Appends `value` as LEB128: seven bits a byte, low bits first, the high bit set on all but the
/// last byte. The encoding of every number in the index's term files, and of [`Ascending`]'s
/// differences, which a term file holds as they are.
pub(super) fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7F) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Ascending, distinct stem numbers, packed: each is written as its difference from the one
/// before (the first from 0), seven bits a byte, low bits first, the high bit of a byte saying
/// another follows. A body has a few hundred stems, and numbers close together: most take one
/// byte instead of four, which at 100,000 articles is about 100 MB less held through the render.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackedTerms(Arc<[u8]>);

impl PackedTerms {
    /// The numbers of `ids`, which must be ascending and distinct: a number not above the one
    /// before it is left out.
    pub fn from_ascending(ids: impl IntoIterator<Item = TermId>) -> PackedTerms {
        let mut packed = Ascending::default();
        for id in ids {
            packed.push(id);
        }
        PackedTerms(packed.bytes.into())
    }

    /// The numbers, ascending.
    pub fn iter(&self) -> Terms<'_> {
        Terms { bytes: &self.0, last: None }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The packed bytes (see [`Ascending::as_bytes`]).
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The numbers packed in `bytes`, as [`PackedTerms::as_bytes`] gave them, if they read as
    /// ascending, distinct numbers below `below` (bytes from a file may be damaged).
    pub fn from_packed(bytes: &[u8], below: usize) -> Option<PackedTerms> {
        let mut rest = bytes;
        let mut last: Option<u64> = None;
        while !rest.is_empty() {
            let (mut delta, mut shift) = (0u64, 0);
            loop {
                // A number of 32 bits takes at most five bytes.
                if shift > 28 {
                    return None;
                }
                let (&byte, after) = rest.split_first()?;
                rest = after;
                delta |= u64::from(byte & 0x7f) << shift;
                if byte & 0x80 == 0 {
                    break;
                }
                shift += 7;
            }
            let id = match last {
                None => delta,
                Some(last) if delta > 0 => last + delta,
                Some(_) => return None,
            };
            if id >= below as u64 || id > u64::from(TermId::MAX) {
                return None;
            }
            last = Some(id);
        }
        Some(PackedTerms(bytes.into()))
    }
}

impl From<Vec<TermId>> for PackedTerms {
    /// Packs `ids`, which [`crate::search::vocabulary::Vocabulary::terms_of`] gives ascending
    /// and distinct.
    fn from(ids: Vec<TermId>) -> PackedTerms {
        PackedTerms::from_ascending(ids)
    }
}

impl From<Ascending> for PackedTerms {
    fn from(ids: Ascending) -> PackedTerms {
        PackedTerms(ids.bytes.into())
    }
}

/// Ascending numbers packed as [`PackedTerms`] are, growing one at a time.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Ascending {
    bytes: Vec<u8>,
    last: Option<u32>,
    len: u32,
}

impl Ascending {
    /// Adds `n`, if it is above the last one added (else it is left out).
    pub fn push(&mut self, n: u32) {
        let delta = match self.last {
            None => n,
            Some(last) if n > last => n - last,
            Some(_) => return,
        };
        self.last = Some(n);
        self.len += 1;
        write_varint(&mut self.bytes, u64::from(delta));
    }

    /// How many numbers it holds.
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The numbers, ascending.
    pub fn iter(&self) -> Terms<'_> {
        Terms { bytes: &self.bytes, last: None }
    }

    /// The packed bytes: each number's difference from the one before (the first from 0) as a
    /// LEB128 varint.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The last number added.
    pub fn last(&self) -> Option<u32> {
        self.last
    }

    /// The list whose packed bytes are `bytes`, holding `len` numbers up to `last`, as
    /// [`Ascending::as_bytes`], [`Ascending::len`] and [`Ascending::last`] gave them.
    pub fn from_parts(bytes: Vec<u8>, len: u32, last: Option<u32>) -> Ascending {
        Ascending { bytes, last, len }
    }
}

/// The numbers of a [`PackedTerms`] or an [`Ascending`], ascending.
#[derive(Debug, Clone)]
pub struct Terms<'a> {
    bytes: &'a [u8],
    last: Option<TermId>,
}

impl Iterator for Terms<'_> {
    type Item = TermId;

    fn next(&mut self) -> Option<TermId> {
        let mut delta: TermId = 0;
        let mut shift = 0;
        loop {
            let (&byte, rest) = self.bytes.split_first()?;
            self.bytes = rest;
            delta |= TermId::from(byte & 0x7f).checked_shl(shift).unwrap_or(0);
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        let id = self.last.map_or(delta, |last| last.wrapping_add(delta));
        self.last = Some(id);
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_as_they_went_in() {
        let ids: Vec<TermId> =
            vec![0, 1, 2, 127, 128, 129, 16_383, 16_384, 1 << 21, (1 << 28) + 5, TermId::MAX];
        let packed = PackedTerms::from_ascending(ids.iter().copied());
        assert_eq!(packed.iter().collect::<Vec<_>>(), ids);
        // Differences 0, 1, 1, 125, 1, 1 take a byte each; 16,254 two, then 1 one; 2,080,768
        // (under 2^21) three, 266,338,309 (under 2^28) four, 4,026,531,834 five.
        assert_eq!(packed.0.len(), 6 + 2 + 1 + 3 + 4 + 5);
    }

    #[test]
    fn packed_bytes_read_back_only_as_ascending_numbers_in_range() {
        let ids: Vec<TermId> = vec![0, 1, 127, 128, 16_384, 1 << 21, TermId::MAX];
        let packed = PackedTerms::from_ascending(ids.iter().copied());
        let read = PackedTerms::from_packed(packed.as_bytes(), usize::MAX);
        assert_eq!(read.as_ref().map(|p| p.iter().collect::<Vec<_>>()), Some(ids));
        assert_eq!(PackedTerms::from_packed(&[], 10), Some(PackedTerms::default()));
        assert_eq!(PackedTerms::from_packed(&[3, 4], 7), None, "7 is past the vocabulary");
        assert!(PackedTerms::from_packed(&[3, 3], 7).is_some());
        assert_eq!(PackedTerms::from_packed(&[3, 0], 10), None, "a number twice");
        assert_eq!(PackedTerms::from_packed(&[0x85], 1000), None, "cut short");
        let six_bytes = [0x81, 0x80, 0x80, 0x80, 0x80, 0x00];
        assert_eq!(PackedTerms::from_packed(&six_bytes, usize::MAX), None, "too long a number");
        assert_eq!(PackedTerms::from_packed(&[0xff, 0xff, 0xff, 0xff, 0x7f], usize::MAX), None);
    }

    #[test]
    fn a_number_out_of_order_is_left_out() {
        let packed = PackedTerms::from_ascending([5, 3, 5, 9]);
        assert_eq!(packed.iter().collect::<Vec<_>>(), [5, 9]);
        assert!(PackedTerms::default().is_empty());
        assert_eq!(PackedTerms::default().iter().next(), None);
    }

    #[test]
    fn growing_lists_count_and_read_back() {
        let mut list = Ascending::default();
        assert!(list.is_empty());
        for n in [3, 200, 200, 100, 70_000] {
            list.push(n);
        }
        assert_eq!(list.len(), 3);
        assert_eq!(list.iter().collect::<Vec<_>>(), [3, 200, 70_000]);
        // 3; 197 in two bytes; 69,800 in three.
        assert_eq!(list.as_bytes(), [3, 0xc5, 0x01, 0xa8, 0xa1, 0x04]);
    }

    #[test]
    fn the_stems_of_a_text_read_back_in_order() {
        let vocabulary = crate::search::vocabulary::Vocabulary::default();
        let ids = vocabulary.terms_of("أعلنت الحكومة المصرية اليوم خطة جديدة لدعم الأسر في القاهرة");
        assert!(ids.len() > 5, "{ids:?}");
        let packed = PackedTerms::from(ids.clone());
        assert_eq!(packed.iter().collect::<Vec<_>>(), ids);
    }
}
