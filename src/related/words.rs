//! The related words of titles and summaries (`normalize::terms`), as numbers: a raw word is
//! folded and stemmed once per thread, and an article's words are sorted and looked up as
//! numbers, not compared and hashed as text.

use std::cell::RefCell;
use std::sync::{Arc, LazyLock, Mutex};

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

use crate::arabic::normalize;

/// A related word's number: the same for the life of the process (see [`SPELLINGS`]), so what a
/// thread remembers of raw words stays true from one build of a session to the next.
pub(super) type WordId = u32;

/// Every related word met, numbered in the order met (by whichever thread met it first).
#[derive(Default)]
struct Spellings {
    ids: HashMap<Arc<str>, WordId>,
    words: Vec<Arc<str>>,
}

static SPELLINGS: LazyLock<Mutex<Spellings>> = LazyLock::new(Mutex::default);

/// The spellings, locked (a poisoned lock only means another thread panicked mid-insert: the
/// spellings are intact).
fn spellings() -> std::sync::MutexGuard<'static, Spellings> {
    SPELLINGS.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The number of `word`, given it one if it has none.
fn intern(word: &str) -> WordId {
    let mut spellings = spellings();
    if let Some(&id) = spellings.ids.get(word) {
        return id;
    }
    let id = WordId::try_from(spellings.words.len()).unwrap_or(WordId::MAX);
    let word: Arc<str> = Arc::from(word);
    spellings.words.push(Arc::clone(&word));
    spellings.ids.insert(word, id);
    id
}

/// Each word's rank in the order of the words' spellings, by number: sorting an article's words
/// by rank sorts them as text.
pub(super) fn ranks() -> Vec<u32> {
    let words = spellings().words.clone();
    let mut order: Vec<WordId> = (0..words.len()).map(|id| id as WordId).collect();
    order.par_sort_unstable_by(|&a, &b| words[a as usize].cmp(&words[b as usize]));
    let mut ranks = vec![0; words.len()];
    for (rank, &id) in order.iter().enumerate() {
        ranks[id as usize] = rank as u32;
    }
    ranks
}

/// The spelling of each of `ids`.
#[cfg(test)]
pub(super) fn spelled(ids: &[WordId]) -> Vec<String> {
    let spellings = spellings();
    ids.iter().map(|&id| spellings.words[id as usize].to_string()).collect()
}

/// Raw words a thread remembers the related words of before it starts afresh: bounds the
/// memo's memory on an archive with millions of distinct spellings.
const MEMO_WORDS: usize = 1 << 20;

thread_local! {
    /// Each raw word this thread has met, and its related words' numbers.
    static RAW_WORDS: RefCell<HashMap<Box<str>, Box<[WordId]>>> = RefCell::new(HashMap::new());
}

/// The related words of an article's title and summary, each once, by number (in the order of
/// their numbers, which is not that of their spellings: see [`ranks`]).
///
/// Each raw word (`normalize::raw_runs`) is folded and stemmed once per thread, not once per
/// article: titles and summaries repeat most of a site's vocabulary, and folding and stemming
/// were most of the related step of a build that publishes one article.
pub(super) fn word_ids(title: &str, summary: &str) -> Vec<WordId> {
    RAW_WORDS.with_borrow_mut(|memo| {
        if memo.len() >= MEMO_WORDS {
            memo.clear();
        }
        let mut ids = Vec::new();
        for run in normalize::raw_runs(title).chain(normalize::raw_runs(summary)) {
            match memo.get(run) {
                Some(known) => ids.extend_from_slice(known),
                None => {
                    let known: Box<[WordId]> =
                        normalize::terms(run).iter().map(|word| intern(word)).collect();
                    ids.extend_from_slice(&known);
                    memo.insert(run.into(), known);
                }
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids
    })
}
