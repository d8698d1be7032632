//! The search vocabulary of a site: every search stem met so far, numbered, so that an article's
//! body is kept as a short list of numbers and the index is inverted by number, not by string.
//!
//! Bodies are read on every thread at once: the numbering is split into [`SHARDS`] locked maps
//! by hash. A body repeats most of its words and a site most of its vocabulary, so each thread
//! also remembers which stems every raw word it has met comes to ([`Memo`]): a word is folded
//! and stemmed once per thread, not once per article.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

use crate::arabic::normalize;

/// The number of a search stem in its [`Vocabulary`].
pub type TermId = u32;

type Map<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Locked maps the stems are spread over.
const SHARDS: usize = 32;

/// Raw words a thread remembers before it starts afresh: bounds the memo's memory (a few tens
/// of megabytes) on an archive with millions of distinct spellings.
const MEMO_WORDS: usize = 1 << 20;

/// Search stems and their numbers, which count up from 0 in the order the stems were met.
pub struct Vocabulary {
    shards: Vec<Mutex<Map<Box<str>, TermId>>>,
    next: AtomicU32,
    /// Tells the memos of two vocabularies apart.
    instance: u64,
}

impl Default for Vocabulary {
    fn default() -> Self {
        static INSTANCES: AtomicU64 = AtomicU64::new(0);
        Vocabulary {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
            next: AtomicU32::new(0),
            instance: INSTANCES.fetch_add(1, Ordering::Relaxed),
        }
    }
}

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Vocabulary({} stems)", self.len())
    }
}

impl Vocabulary {
    /// A vocabulary numbering `stems` 0, 1, 2… in order; `None` if one comes twice.
    pub fn from_stems<'a>(stems: impl IntoIterator<Item = &'a str>) -> Option<Vocabulary> {
        let vocabulary = Vocabulary::default();
        for (n, stem) in stems.into_iter().enumerate() {
            if vocabulary.intern(stem) as usize != n {
                return None;
            }
        }
        Some(vocabulary)
    }

    /// How many stems are numbered.
    pub fn len(&self) -> usize {
        self.next.load(Ordering::Relaxed) as usize
    }

    /// Whether no stem is numbered yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of `stem`, given it one if it has none.
    pub fn intern(&self, stem: &str) -> TermId {
        let shard = foldhash::fast::FixedState::default().hash_one(stem) as usize % SHARDS;
        // A poisoned lock only means another thread panicked mid-insert: the map is intact.
        let mut map = self.shards[shard].lock().unwrap_or_else(|p| p.into_inner());
        if let Some(&id) = map.get(stem) {
            return id;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        map.insert(stem.into(), id);
        id
    }

    /// Every stem, by number.
    pub fn stems(&self) -> Vec<Box<str>> {
        let mut stems: Vec<Box<str>> = vec![Box::from(""); self.len()];
        for shard in &self.shards {
            let map = shard.lock().unwrap_or_else(|p| p.into_inner());
            for (stem, &id) in map.iter() {
                if let Some(slot) = stems.get_mut(id as usize) {
                    slot.clone_from(stem);
                }
            }
        }
        stems
    }

    /// The distinct search stems of `text` ([`super::terms::distinct`]), as numbers in
    /// ascending order.
    pub fn terms_of(&self, text: &str) -> Vec<TermId> {
        MEMO.with_borrow_mut(|memo| memo.terms_of(self, text))
    }
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// What one thread remembers of the raw words it has read: the numbers of each one's stems.
#[derive(Default)]
struct Memo {
    /// The [`Vocabulary::instance`] the numbers are of.
    vocabulary: u64,
    /// Raw word → the range of `stems` that holds its stems' numbers.
    words: Map<Box<str>, (u32, u32)>,
    stems: Vec<TermId>,
    /// `seen[id] == text` when the text being read has stem `id` already.
    seen: Vec<u32>,
    text: u32,
}

impl Memo {
    fn terms_of(&mut self, vocabulary: &Vocabulary, text: &str) -> Vec<TermId> {
        if self.vocabulary != vocabulary.instance || self.words.len() >= MEMO_WORDS {
            self.words.clear();
            self.stems.clear();
            self.vocabulary = vocabulary.instance;
        }
        self.text = self.text.wrapping_add(1);
        if self.text == 0 {
            self.seen.iter_mut().for_each(|seen| *seen = 0);
            self.text = 1;
        }
        let mut out = Vec::new();
        for word in normalize::raw_runs(text) {
            let (start, end) = match self.words.get(word) {
                Some(&range) => range,
                None => self.learn(vocabulary, word),
            };
            for &id in &self.stems[start as usize..end as usize] {
                let at = id as usize;
                if at >= self.seen.len() {
                    self.seen.resize(at + 1 + at / 2, 0);
                }
                if self.seen[at] != self.text {
                    self.seen[at] = self.text;
                    out.push(id);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Folds and stems the raw word `word`, and remembers its stems' numbers.
    fn learn(&mut self, vocabulary: &Vocabulary, word: &str) -> (u32, u32) {
        let start = self.stems.len();
        super::terms::each_distinct(word, |stem| self.stems.push(vocabulary.intern(stem)));
        let range = (start as u32, self.stems.len() as u32);
        self.words.insert(word.into(), range);
        range
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems_of(vocabulary: &Vocabulary, text: &str) -> Vec<String> {
        let ids = vocabulary.terms_of(text);
        let stems = vocabulary.stems();
        let mut out: Vec<String> = ids.iter().map(|&id| stems[id as usize].to_string()).collect();
        out.sort();
        out
    }

    #[test]
    fn a_body_has_the_stems_of_its_whole_text() {
        let vocabulary = Vocabulary::default();
        for text in [
            "قال الرئيسُ المصرى فى القاهرة، إن «الحكومة» والحكومات ١٢ ﻻ ℡ ½ e\u{301} مُحَمَّد",
            "الحكومة الحكومة وزير، ولبنان ولبنان",
            "",
            "e\u{301}te\u{301} Été ÉTÉ",
        ] {
            let mut whole = super::super::terms::distinct(text);
            whole.sort();
            // Twice: the second time from the memo.
            assert_eq!(stems_of(&vocabulary, text), whole, "{text}");
            assert_eq!(stems_of(&vocabulary, text), whole, "{text}, again");
        }
    }

    #[test]
    fn numbers_are_given_once_and_kept() {
        let vocabulary = Vocabulary::default();
        let first = vocabulary.terms_of("الحكومة والحكومات الحكومية");
        assert_eq!(first.len(), 1, "one stem, «حكوم»");
        assert_eq!(vocabulary.terms_of("وزير الحكومة"), [0, 1, 2]);
        let stems = vocabulary.stems();
        let again = Vocabulary::from_stems(stems.iter().map(|s| &**s)).expect("distinct stems");
        assert_eq!(again.stems(), stems);
        assert_eq!(again.intern("حكوم"), 0);
        assert!(Vocabulary::from_stems(["حكوم", "وزير", "حكوم"]).is_none());
    }

    #[test]
    fn two_vocabularies_do_not_share_a_memo() {
        let (a, b) = (Vocabulary::default(), Vocabulary::default());
        a.intern("سابق");
        assert_eq!(a.terms_of("الحكومة"), [1]);
        assert_eq!(b.terms_of("الحكومة"), [0]);
    }
}
