//! Summaries lent to the pages that show them.
//!
//! Tera renders from values its context owns, so every page listing twenty articles needs twenty
//! summaries of its own, and each is a tree of a few dozen allocations (title, URLs, section,
//! tags, authors, cards). Cloning them for every listing page and related list, then dropping
//! them, was a tenth of a build. A [`Lender`] holds the summaries themselves, moved out of
//! [`super::Summaries`] for the render: a page takes the ones it shows and gives them back after
//! its render, so the next page showing the same article takes the same value. When two workers
//! want the same article at the same moment, the second gets it made again (`remake`), as a
//! spare copy of every summary would cost as much memory as the summaries.

use std::sync::Mutex;

use super::memo::Cards;
use crate::content::ArticleId;
use crate::error::Error;

pub(super) struct Lender<'r> {
    slots: Vec<Mutex<Slot>>,
    cards: &'r dyn Remake,
}

/// A summary's place in the lender: `value` is `None` while a page has it.
struct Slot {
    value: Option<tera::Value>,
    /// Whether `value` is known to have its cards: it was taken (and completed) before. Asking
    /// the value itself means a search of its map, which is a cache miss for most summaries; a
    /// listing page takes twenty.
    complete: bool,
}

/// What a [`Lender`] needs of the summaries' cards.
pub(super) trait Remake: Sync {
    /// Renders the cards of `value` if it has none.
    fn complete(&self, value: &mut tera::Value) -> Result<(), Error>;
    /// The summary of `id` made again, with its cards.
    fn again(&self, id: ArticleId) -> Result<tera::Value, Error>;
}

impl Remake for Cards<'_> {
    fn complete(&self, value: &mut tera::Value) -> Result<(), Error> {
        Cards::complete(self, value)
    }
    fn again(&self, id: ArticleId) -> Result<tera::Value, Error> {
        Cards::again(self, id)
    }
}

impl<'r> Lender<'r> {
    /// Lends `values` (by article id); `cards` renders their cards when a page first takes them,
    /// and makes one again when it is out.
    pub(super) fn new(values: Vec<tera::Value>, cards: &'r dyn Remake) -> Lender<'r> {
        let slots = values
            .into_iter()
            .map(|value| Mutex::new(Slot { value: Some(value), complete: false }))
            .collect();
        Lender { slots, cards }
    }

    /// The summary of `id`, with its cards, to be given back with [`Lender::give_back`] after the
    /// render.
    pub(super) fn take(&self, id: ArticleId) -> Result<tera::Value, Error> {
        let taken = self.slots[id].lock().ok().and_then(|mut slot| {
            let complete = std::mem::replace(&mut slot.complete, true);
            slot.value.take().map(|value| (value, complete))
        });
        match taken {
            Some((value, true)) => Ok(value),
            Some((mut value, false)) => {
                self.cards.complete(&mut value)?;
                Ok(value)
            }
            None => self.cards.again(id),
        }
    }

    /// Takes back a summary [`Lender::take`] gave for `id`, unless another copy is already back.
    pub(super) fn give_back(&self, id: ArticleId, value: tera::Value) {
        if let Ok(mut slot) = self.slots[id].lock() {
            if slot.value.is_none() {
                slot.value = Some(value);
            }
        }
    }

    /// The summaries of `ids`, in order.
    pub(super) fn take_all(&self, ids: &[ArticleId]) -> Result<Vec<tera::Value>, Error> {
        ids.iter().map(|&id| self.take(id)).collect()
    }

    /// Gives back what [`Lender::take_all`] gave for `ids`, if `values` is that list.
    pub(super) fn give_back_all(&self, ids: &[ArticleId], values: Option<tera::Value>) {
        if let Some(tera::Value::Array(values)) = values {
            if values.len() == ids.len() {
                for (&id, value) in ids.iter().zip(values) {
                    self.give_back(id, value);
                }
            }
        }
    }

    /// Frees every summary, on every worker: each is a tree of a few dozen allocations, and
    /// freeing 10,000 of them on one thread was a tenth of a second no other work overlapped.
    pub(super) fn free(self) {
        use rayon::prelude::*;
        self.slots.into_par_iter().for_each(drop);
    }

    /// Every summary given back, by article id (`None` for one not given back).
    pub(super) fn into_values(self) -> Vec<Option<tera::Value>> {
        self.slots.into_iter().map(|slot| slot.into_inner().ok().and_then(|s| s.value)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cards that are a mark, made again from `originals`, counting how many were made again.
    struct Marks<'a> {
        originals: &'a [tera::Value],
        made: std::sync::atomic::AtomicUsize,
        checked: std::sync::atomic::AtomicUsize,
    }

    impl Remake for Marks<'_> {
        fn complete(&self, value: &mut tera::Value) -> Result<(), Error> {
            self.checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if value.get("cards").is_none() {
                value["cards"] = "card".into();
            }
            Ok(())
        }
        fn again(&self, id: ArticleId) -> Result<tera::Value, Error> {
            self.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut value = self.originals[id].clone();
            self.complete(&mut value)?;
            Ok(value)
        }
    }

    #[test]
    fn a_summary_given_back_is_lent_again_and_one_out_is_made_again() {
        let plain = vec![serde_json::json!({"title": "أ"}), serde_json::json!({"title": "ب"})];
        let marks =
            Marks { originals: &plain, made: Default::default(), checked: Default::default() };
        let made = &marks.made;
        // What a page takes: the summary with its cards.
        let originals: Vec<tera::Value> = plain
            .iter()
            .map(|v| {
                let mut v = v.clone();
                v["cards"] = "card".into();
                v
            })
            .collect();
        let lender = Lender::new(plain.clone(), &marks);
        let mut first = lender.take(0).unwrap();
        assert_eq!(first, originals[0]);
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 0);
        // Marks the value so the test can tell it from one made again.
        first["mark"] = true.into();
        // Out: the next taker gets one made again.
        assert_eq!(lender.take(0).unwrap(), originals[0]);
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 1);
        lender.give_back(0, first);
        assert_eq!(lender.take(0).unwrap()["mark"], true);
        // A second copy given back while one is there is dropped.
        let second = lender.take_all(&[1]).unwrap();
        lender.give_back(1, serde_json::json!({"title": "ب", "mark": 1}));
        lender.give_back_all(&[1], Some(tera::Value::Array(second)));
        assert_eq!(lender.take(1).unwrap()["mark"], 1);
        lender.give_back(1, originals[1].clone());
        // Summary 0 was not given back.
        assert_eq!(lender.into_values(), vec![None, Some(originals[1].clone())]);
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 1);
    }

    #[test]
    fn a_summary_is_checked_for_cards_once() {
        let plain = vec![serde_json::json!({"title": "أ"})];
        let marks =
            Marks { originals: &plain, made: Default::default(), checked: Default::default() };
        let lender = Lender::new(plain.clone(), &marks);
        for _ in 0..3 {
            let value = lender.take(0).unwrap();
            assert_eq!(value["cards"], "card");
            lender.give_back(0, value);
        }
        assert_eq!(marks.checked.load(std::sync::atomic::Ordering::Relaxed), 1);
        // One made again (taken while out) is complete when made.
        let out = lender.take(0).unwrap();
        assert_eq!(lender.take(0).unwrap()["cards"], "card");
        lender.give_back(0, out);
        assert_eq!(marks.checked.load(std::sync::atomic::Ordering::Relaxed), 2);
    }
}
