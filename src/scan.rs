//! Byte scans eight bytes at a time, for the escaping loops that every output byte goes through
//! (template values, Markdown, feeds). A text is read as little-endian `u64` words; a word that
//! cannot hold a byte of interest is skipped whole, and only the others are looked at byte by
//! byte. Plain integer arithmetic (no `unsafe`, no CPU features), exact in both directions.

const ONES: u64 = u64::from_le_bytes([1; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// `byte` in each of the eight bytes of a word.
pub(crate) const fn splat(byte: u8) -> u64 {
    ONES * byte as u64
}

/// Whether a byte of `word` is zero (exact: a borrow only reaches the bytes above a zero byte).
pub(crate) const fn has_zero(word: u64) -> bool {
    word.wrapping_sub(ONES) & !word & HIGHS != 0
}

/// Whether a byte of `word` is `byte`.
pub(crate) const fn has(word: u64, byte: u8) -> bool {
    has_zero(word ^ splat(byte))
}

/// Whether a byte of `word` is below `limit`, for a `limit` up to 0x80 (exact, like [`has_zero`]).
pub(crate) const fn has_below(word: u64, limit: u8) -> bool {
    word.wrapping_sub(splat(limit)) & !word & HIGHS != 0
}

/// Whether a byte of `word` is `"`, `&`, `'`, `<` or `>`: a byte `b` is `&` or `'` when
/// `b | 1 == b'\''`, and `<` or `>` when `b | 2 == b'>'`.
pub(crate) const fn has_markup(word: u64) -> bool {
    has(word, b'"') || has(word | splat(1), b'\'') || has(word | splat(2), b'>')
}

/// The eight bytes of `bytes` from `at` as a word, if there are eight.
pub(crate) fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let word = <[u8; 8]>::try_from(bytes.get(at..at.checked_add(8)?)?).ok()?;
    Some(u64::from_le_bytes(word))
}

/// Where the byte-by-byte look of a scan from `at` starts: the first eight bytes from `at` on,
/// stepping by eight, whose word `may_hold` a byte of interest, or the last fewer than eight.
/// The loops look at the eight bytes from there one by one, then skip again.
pub(crate) fn skip_words(bytes: &[u8], mut at: usize, may_hold: impl Fn(u64) -> bool) -> usize {
    while let Some(word) = word_at(bytes, at) {
        if may_hold(word) {
            break;
        }
        at += 8;
    }
    at
}

/// Test texts for the loops that use these words: `rounds` texts, the k-th made of
/// `min + k % spread` of `pieces`, picked by a linear congruential generator started at `seed`,
/// so that every piece meets the others at every offset of a word.
#[cfg(test)]
pub(crate) fn texts_of<'p>(
    pieces: &'p [&'p str],
    seed: u64,
    rounds: usize,
    (min, spread): (usize, usize),
) -> impl Iterator<Item = String> + 'p {
    let mut state = seed;
    (0..rounds).map(move |round| {
        let mut text = String::new();
        for _ in 0..(min + round % spread) {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
        }
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every position of a word among other bytes (Arabic, ASCII, high).
    #[test]
    fn word_tests_agree_with_byte_tests() {
        let fill = [0xD8, 0xB3, b'a', b' ', 0x80, 0xFF, b'z', 0x7F];
        for b in 0u8..=255 {
            for at in 0..8 {
                let mut bytes = fill;
                bytes[at] = b;
                let word = u64::from_le_bytes(bytes);
                let any = |f: &dyn Fn(u8) -> bool| bytes.iter().any(|&x| f(x));
                assert_eq!(has_zero(word), any(&|x| x == 0), "{bytes:?}");
                assert_eq!(has(word, b'"'), any(&|x| x == b'"'), "{bytes:?}");
                assert_eq!(has(word, 0xEF), any(&|x| x == 0xEF), "{bytes:?}");
                for limit in [0x20, 0x80] {
                    assert_eq!(has_below(word, limit), any(&|x| x < limit), "{bytes:?} {limit}");
                }
                assert_eq!(has_markup(word), any(&|x| b"\"&'<>".contains(&x)), "{bytes:?}");
            }
        }
        assert_eq!(word_at(b"0123456789", 2), Some(u64::from_le_bytes(*b"23456789")));
        assert_eq!(word_at(b"0123456789", 3), None);
        assert_eq!(word_at(b"", usize::MAX), None);
        let quote_at = |text: &[u8], at| skip_words(text, at, |word| has(word, b'"'));
        assert_eq!(quote_at(b"0123456789abcdef\"123", 0), 16);
        assert_eq!(quote_at(b"01234567\"9abcdef", 1), 1);
        assert_eq!(quote_at(b"0123456789abcdefgh", 0), 16);
        assert_eq!(quote_at(b"0123456789abcdef", 0), 16);
        assert_eq!(quote_at(b"", 0), 0);
    }
}
