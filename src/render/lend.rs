//! Summaries lent to the pages that show them.
//!
//! Tera renders from values its context owns, so every page listing twenty articles needs twenty
//! summaries of its own, and each is a tree of a few dozen allocations (title, URLs, section,
//! tags, authors). Cloning them for every listing page and related list, then dropping them, was
//! a tenth of a build. A [`Lender`] keeps one spare copy of each summary: a page takes the copies
//! it shows and gives them back after its render, so the next page showing the same article
//! takes the same copy. Only when two workers render pages showing the same article at the same
//! moment is a second copy cloned.

use std::sync::Mutex;

use crate::content::ArticleId;

pub(super) struct Lender<'s> {
    originals: &'s [tera::Value],
    spares: Vec<Mutex<Option<tera::Value>>>,
}

impl<'s> Lender<'s> {
    pub(super) fn new(originals: &'s [tera::Value]) -> Lender<'s> {
        Lender { originals, spares: originals.iter().map(|_| Mutex::new(None)).collect() }
    }

    /// The summary of `id`, to be given back with [`Lender::give_back`] after the render.
    pub(super) fn take(&self, id: ArticleId) -> tera::Value {
        self.spares[id]
            .lock()
            .ok()
            .and_then(|mut spare| spare.take())
            .unwrap_or_else(|| self.originals[id].clone())
    }

    /// Takes back a summary [`Lender::take`] gave for `id`, unless a spare is already there.
    pub(super) fn give_back(&self, id: ArticleId, value: tera::Value) {
        if let Ok(mut spare) = self.spares[id].lock() {
            if spare.is_none() {
                *spare = Some(value);
            }
        }
    }

    /// The summaries of `ids`, in order.
    pub(super) fn take_all(&self, ids: &[ArticleId]) -> Vec<tera::Value> {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_given_back_is_lent_again_and_a_busy_one_is_cloned() {
        let originals = vec![serde_json::json!({"title": "أ"}), serde_json::json!({"title": "ب"})];
        let lender = Lender::new(&originals);
        let mut first = lender.take(0);
        assert_eq!(first, originals[0]);
        // Marks the copy so the test can tell it from a fresh clone.
        first["mark"] = true.into();
        // Lent out: the next taker gets a clone of the original.
        assert_eq!(lender.take(0), originals[0]);
        lender.give_back(0, first);
        assert_eq!(lender.take(0)["mark"], true);
        // A second copy given back while a spare is there is dropped.
        lender.give_back(1, serde_json::json!({"title": "ب", "mark": 1}));
        lender.give_back(1, serde_json::json!({"title": "ب", "mark": 2}));
        assert_eq!(lender.take(1)["mark"], 1);
        let all = lender.take_all(&[1, 0]);
        assert_eq!(all, vec![originals[1].clone(), originals[0].clone()]);
        lender.give_back_all(&[1, 0], Some(tera::Value::Array(all)));
        assert_eq!(lender.take(1), originals[1]);
    }
}
