//! The order a one-off build renders its pages in, so that it never holds every summary at once.
//!
//! A summary (about 14 KB as the value templates read: a tree of maps, and its cards) is made
//! when a page first shows it and kept in the pool for the next page that does. In the order of
//! the plan (every listing, then every article) the pool ends up holding all of them: 1.4 GB at
//! 100,000 articles. A one-off build renders each page once, so it knows how many times each
//! summary will be checked out ([`Uses`]); the pool drops a summary when it comes back for the
//! last time. And it renders the pages in the order of the oldest article each shows: articles
//! are numbered newest first, and what a page shows is close in time (a page of a listing, an
//! article and its related articles), so each summary is made, used and dropped within a short
//! stretch of the render instead of living until its last listing.
//!
//! The order changes no output: pages are independent, and the render's results are put back in
//! the plan's order before anything reads them.

use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use super::plan::{Step, Target, Targets};
use super::pool::Uses;
use super::site::{Site, related_shown};
use crate::content::ArticleId;

/// `plan` sorted by the oldest article each page shows (pages that show none first), and how
/// many times each summary is checked out by the pages it renders.
pub(super) fn by_time(
    site: &Site<'_>,
    targets: Targets<'_>,
    plan: Vec<(usize, Step)>,
) -> (Vec<(usize, Step)>, Uses) {
    let shown = |at: usize, step: &Step| -> Vec<ArticleId> {
        if !matches!(step, Step::Render { .. }) {
            return Vec::new();
        }
        match targets.at(at) {
            Target::Page(page) => page.listing.as_ref().map(|l| l.ids.clone()).unwrap_or_default(),
            Target::Article(id) => {
                let mut ids = related_shown(site, id);
                ids.push(id);
                ids
            }
        }
    };
    let shows: Vec<Vec<ArticleId>> = plan.par_iter().map(|(at, step)| shown(*at, step)).collect();
    let uses: Vec<AtomicU32> =
        (0..site.library.articles.len()).map(|_| AtomicU32::new(0)).collect();
    let mut keyed: Vec<(usize, (usize, Step))> = Vec::with_capacity(plan.len());
    for (ids, entry) in shows.iter().zip(plan) {
        for &id in ids {
            if let Some(count) = uses.get(id) {
                count.fetch_add(1, Ordering::Relaxed);
            }
        }
        let oldest = ids.iter().max().map_or(0, |&id| id + 1);
        keyed.push((oldest, entry));
    }
    keyed.sort_by_key(|(oldest, _)| *oldest);
    (keyed.into_iter().map(|(_, entry)| entry).collect(), Uses::new(uses))
}
