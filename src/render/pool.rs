//! The pool of article summaries that pages check out for their render and check in after.
//!
//! Tera renders from values its context owns, so every page listing twenty articles needs twenty
//! summaries of its own, and each is a tree of a few dozen allocations (title, URLs, section,
//! tags, authors, cards). Cloning them for every listing page and related list, then dropping
//! them, costs more than rendering the cards. A [`SummaryPool`] lends the summaries themselves,
//! from the slots the site's summaries keep them in (one [`Slot`] per article, kept between
//! renders): a page checks out the ones it shows and checks them in after its render, so the next
//! page showing the same article gets the same value. When two workers want the same article at the same moment, the second gets one made
//! again ([`MakeSummary::make`]): a spare copy of every summary would cost as much memory as the
//! summaries.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::content::ArticleId;
use crate::error::Diagnostic;

/// The summaries of a render, by article id, for pages to check out and in.
pub(super) struct SummaryPool<'r> {
    slots: &'r [Mutex<Slot>],
    maker: &'r dyn MakeSummary,
    /// In a one-off build: how many more times each summary will be checked out. One checked
    /// in for the last time is dropped, not kept (see `super::order`).
    uses: Option<&'r Uses>,
}

/// How many more times each article's summary will be checked out of the pool in a one-off
/// build's render (see `super::order`).
pub(super) struct Uses(Vec<AtomicU32>);

impl Uses {
    /// The uses left of each article's summary, by id.
    pub(super) fn new(counts: Vec<AtomicU32>) -> Uses {
        Uses(counts)
    }

    /// Takes one use of `id`'s summary, which comes back to the pool: whether it is the last
    /// (the pool then drops it). A use not counted is taken as the last.
    pub(super) fn take_one(&self, id: ArticleId) -> bool {
        let Some(left) = self.0.get(id) else { return true };
        let before = left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1));
        before.is_err() || before == Ok(1)
    }
}

/// A summary's place in the pool: `value` is `None` for one not made yet, and while a page has
/// it checked out.
#[derive(Debug, Default)]
pub(super) struct Slot {
    pub(super) value: Option<tera::Value>,
    /// Whether `value` is known to have its cards: it was checked out (and completed) before.
    /// Asking the value itself means a search of its map, which is a cache miss for most
    /// summaries; a listing page checks out twenty.
    pub(super) complete: bool,
}

impl Slot {
    /// The slot, which the owner of the slots alone is using: a page whose render panicked
    /// while it held the lock left it as it was before.
    pub(super) fn of(slot: &mut Mutex<Slot>) -> &mut Slot {
        slot.get_mut().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// What a [`SummaryPool`] needs of the summaries: their cards, and a copy of one checked out.
pub(super) trait MakeSummary: Sync {
    /// Renders the cards of `value` if it has none.
    fn complete(&self, id: ArticleId, value: &mut tera::Value) -> Result<(), Diagnostic>;
    /// The summary of `id` made again, with its cards.
    fn make(&self, id: ArticleId) -> Result<tera::Value, Diagnostic>;
}

impl<'r> SummaryPool<'r> {
    /// A pool of the summaries in `slots` (by article id); `maker` renders their cards when a
    /// page first checks one out, and makes one not made or checked out. A summary checked out
    /// and not checked in (its page failed) is left out: it is made when a page next needs it.
    pub(super) fn new(slots: &'r [Mutex<Slot>], maker: &'r dyn MakeSummary) -> SummaryPool<'r> {
        SummaryPool { slots, maker, uses: None }
    }

    /// The pool, dropping each summary when it is checked in for the last of its `uses`.
    pub(super) fn dropping_after(self, uses: &'r Uses) -> SummaryPool<'r> {
        SummaryPool { uses: Some(uses), ..self }
    }

    /// The summary of `id`, with its cards, to be checked in with [`SummaryPool::check_in`]
    /// after the render.
    pub(super) fn check_out(&self, id: ArticleId) -> Result<tera::Value, Diagnostic> {
        let taken = self.slots[id].lock().ok().and_then(|mut slot| {
            let complete = std::mem::replace(&mut slot.complete, true);
            slot.value.take().map(|value| (value, complete))
        });
        match taken {
            Some((value, true)) => Ok(value),
            Some((mut value, false)) => {
                self.maker.complete(id, &mut value)?;
                Ok(value)
            }
            None => self.maker.make(id),
        }
    }

    /// Takes back a summary [`SummaryPool::check_out`] gave for `id`, unless another copy is
    /// already back.
    pub(super) fn check_in(&self, id: ArticleId, value: tera::Value) {
        if self.uses.is_some_and(|uses| uses.take_one(id)) {
            return;
        }
        if let Ok(mut slot) = self.slots[id].lock()
            && slot.value.is_none()
        {
            slot.value = Some(value);
        }
    }

    /// The summaries of `ids`, in order.
    pub(super) fn check_out_all(&self, ids: &[ArticleId]) -> Result<Vec<tera::Value>, Diagnostic> {
        ids.iter().map(|&id| self.check_out(id)).collect()
    }

    /// Checks in what [`SummaryPool::check_out_all`] gave for `ids`, if `values` is that list.
    pub(super) fn check_in_all(&self, ids: &[ArticleId], values: Option<tera::Value>) {
        if let Some(tera::Value::Array(values)) = values
            && values.len() == ids.len()
        {
            for (&id, value) in ids.iter().zip(values) {
                self.check_in(id, value);
            }
        }
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

    impl MakeSummary for Marks<'_> {
        fn complete(&self, _: ArticleId, value: &mut tera::Value) -> Result<(), Diagnostic> {
            self.checked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if value.get("cards").is_none() {
                value["cards"] = "card".into();
            }
            Ok(())
        }
        fn make(&self, id: ArticleId) -> Result<tera::Value, Diagnostic> {
            self.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let mut value = self.originals[id].clone();
            self.complete(id, &mut value)?;
            Ok(value)
        }
    }

    fn slots_of(values: &[tera::Value]) -> Vec<Mutex<Slot>> {
        let slot = |value: &tera::Value| Slot { value: Some(value.clone()), complete: false };
        values.iter().map(|value| Mutex::new(slot(value))).collect()
    }

    #[test]
    fn a_summary_checked_in_is_checked_out_again_and_one_out_is_made_again() {
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
        let slots = slots_of(&plain);
        let pool = SummaryPool::new(&slots, &marks);
        let mut first = pool.check_out(0).unwrap();
        assert_eq!(first, originals[0]);
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 0);
        // Marks the value so the test can tell it from one made again.
        first["mark"] = true.into();
        // Out: the next page gets one made again.
        assert_eq!(pool.check_out(0).unwrap(), originals[0]);
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 1);
        pool.check_in(0, first);
        assert_eq!(pool.check_out(0).unwrap()["mark"], true);
        // A second copy checked in while one is there is dropped.
        let second = pool.check_out_all(&[1]).unwrap();
        pool.check_in(1, serde_json::json!({"title": "ب", "mark": 1}));
        pool.check_in_all(&[1], Some(tera::Value::Array(second)));
        assert_eq!(pool.check_out(1).unwrap()["mark"], 1);
        pool.check_in(1, originals[1].clone());
        // Summary 0 was not checked in.
        let values: Vec<_> = slots.into_iter().map(|s| s.into_inner().unwrap().value).collect();
        assert_eq!(values, vec![None, Some(originals[1].clone())]);
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 1);
    }

    #[test]
    fn a_summary_is_checked_for_cards_once() {
        let plain = vec![serde_json::json!({"title": "أ"})];
        let marks =
            Marks { originals: &plain, made: Default::default(), checked: Default::default() };
        let slots = slots_of(&plain);
        let pool = SummaryPool::new(&slots, &marks);
        for _ in 0..3 {
            let value = pool.check_out(0).unwrap();
            assert_eq!(value["cards"], "card");
            pool.check_in(0, value);
        }
        assert_eq!(marks.checked.load(std::sync::atomic::Ordering::Relaxed), 1);
        // One made again (checked out while out) is complete when made.
        let out = pool.check_out(0).unwrap();
        assert_eq!(pool.check_out(0).unwrap()["cards"], "card");
        pool.check_in(0, out);
        assert_eq!(marks.checked.load(std::sync::atomic::Ordering::Relaxed), 2);
    }

    #[test]
    fn the_last_use_of_a_summary_is_told_once_and_uncounted_ones_are_last() {
        let uses = Uses(vec![AtomicU32::new(2), AtomicU32::new(0)]);
        assert!(!uses.take_one(0));
        assert!(uses.take_one(0));
        assert!(uses.take_one(0), "a use beyond the count");
        assert!(uses.take_one(1));
        assert!(uses.take_one(7), "an id beyond the counts");
    }
}
