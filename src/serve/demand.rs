//! Which pages `midad serve` keeps rendered ([`Demand`]): those browsers asked for, the most
//! recently asked first, within a memory budget.
//!
//! The preview renders a page when a browser first asks for it and keeps it rendered (and
//! re-renders it on every change) while it is among the recently asked; the least recently
//! asked go once the rendered pages take more than the budget. A path asked for that is no
//! page is remembered too, so that it is not looked for again on every request, and so that a
//! browser showing its 404 reloads when an article appears there.

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::pipeline::OnRequest;
use crate::render::{NOT_FOUND_PATH, Wanted};

/// The most paths remembered, rendered or not: each costs a few dozen bytes when it is no page.
const MAX_PATHS: usize = 50_000;

/// The outputs a preview keeps rendered, with when each was last asked for.
#[derive(Debug)]
pub struct Demand {
    /// What the session renders.
    wanted: Wanted,
    /// When each wanted path was last asked for (a counter, not a clock).
    asked: HashMap<String, u64>,
    /// The counter.
    now: u64,
    /// How many bytes the rendered outputs may take before the least recently asked go.
    budget: usize,
    /// Paths asked for since the last render: a page that appears at one of them is no change.
    fresh: HashSet<String>,
    /// Paths forgotten since the last render: a page that goes from one of them is no change.
    forgotten: HashSet<String>,
}

impl Demand {
    /// Nothing asked for yet but the 404 page, which is always kept; rendered pages may take
    /// `budget` bytes.
    pub fn new(budget: usize) -> Demand {
        let mut wanted = Wanted::new();
        wanted.insert(NOT_FOUND_PATH);
        let (fresh, forgotten) = (HashSet::default(), HashSet::default());
        Demand { wanted, asked: HashMap::new(), now: 0, budget, fresh, forgotten }
    }

    /// What the session is to render.
    pub fn wanted(&self) -> &Wanted {
        &self.wanted
    }

    /// What the session's render on request is to make: the wanted outputs, and the search
    /// index once a search was asked for.
    pub fn on_request(&self) -> OnRequest<'_> {
        OnRequest { wanted: &self.wanted, search: self.wants_search() }
    }

    /// Notes that `paths` were asked for now. Returns whether any of them was not wanted yet
    /// (and so needs a render).
    pub fn ask(&mut self, paths: &[String]) -> bool {
        self.now += 1;
        let mut new = false;
        for path in paths {
            if self.asked.insert(path.clone(), self.now).is_none() && path != NOT_FOUND_PATH {
                self.wanted.insert(path);
                self.forgotten.remove(path);
                self.fresh.insert(path.clone());
                new = true;
            }
        }
        new
    }

    /// Whether `path` is wanted: it was asked for and not forgotten since.
    pub fn is_wanted(&self, path: &str) -> bool {
        path == NOT_FOUND_PATH || self.asked.contains_key(path)
    }

    /// Whether a search page or a file of the search index was asked for (a path with a
    /// `search` folder): the preview makes the index only then.
    pub fn wants_search(&self) -> bool {
        self.asked.keys().any(|path| path.starts_with("search/") || path.contains("/search/"))
    }

    /// Whether a render that has an output at `path` where the last had none (`appeared`), or
    /// the other way round, shows a change of the site, not only of what was asked for: it
    /// doesn't when the path was asked for or forgotten since the last render.
    pub fn is_change(&self, path: &str, appeared: bool) -> bool {
        if appeared { !self.fresh.contains(path) } else { !self.forgotten.contains(path) }
    }

    /// Notes that a render made every page asked for, and forgot every page forgotten.
    pub fn rendered(&mut self) {
        self.fresh.clear();
        self.forgotten.clear();
    }

    /// Forgets the least recently asked paths while the others' outputs take more than the
    /// budget (`size` gives the bytes of the output at a path), or there are more than
    /// [`MAX_PATHS`]; never those asked for last, nor the 404 page. Returns how many went. A
    /// forgotten page leaves the memo at the next render.
    pub fn forget_least_recent(&mut self, size: impl Fn(&str) -> usize) -> usize {
        let mut total: usize = self.asked.keys().map(|path| size(path)).sum();
        if total <= self.budget && self.asked.len() <= MAX_PATHS {
            return 0;
        }
        let mut by_age: Vec<(u64, &String)> =
            self.asked.iter().map(|(path, &at)| (at, path)).collect();
        by_age.sort_unstable();
        let mut gone = Vec::new();
        let mut count = self.asked.len();
        for (at, path) in by_age {
            if (total <= self.budget && count <= MAX_PATHS) || at == self.now {
                break;
            }
            total -= size(path);
            count -= 1;
            gone.push(path.clone());
        }
        let count = gone.len();
        for path in gone {
            self.asked.remove(&path);
            self.wanted.remove(&path);
            self.forgotten.insert(path);
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 400 bytes for each of `pages`, nothing for the others.
    fn sizes(pages: &[&str]) -> impl Fn(&str) -> usize {
        let pages: Vec<String> = pages.iter().map(|p| p.to_string()).collect();
        move |path| if pages.iter().any(|p| p == path) { 400 } else { 0 }
    }

    #[test]
    fn asking_wants_a_page_once() {
        let mut demand = Demand::new(1000);
        assert!(demand.wanted().has("404.html"));
        assert!(demand.ask(&["politics/index.html".into()]));
        assert!(demand.wanted().has("politics/") && demand.is_wanted("politics/index.html"));
        assert!(!demand.ask(&["politics/index.html".into()]));
        assert!(!demand.wants_search());
        demand.ask(&["en/search/index.html".into()]);
        assert!(demand.wants_search());
        assert!(!demand.is_change("politics/index.html", true));
        demand.rendered();
        assert!(demand.is_change("politics/index.html", true));
    }

    #[test]
    fn the_least_recently_asked_go_over_the_budget() {
        let snapshot = sizes(&["a.html", "b.html", "c.html"]);
        let mut demand = Demand::new(1000);
        for path in ["a.html", "b.html", "c.html"] {
            demand.ask(&[path.to_string()]);
        }
        demand.ask(&["a.html".to_string()]);
        assert_eq!(demand.forget_least_recent(&snapshot), 1);
        assert!(!demand.is_wanted("b.html") && !demand.wanted().has("b.html"));
        assert!(demand.is_wanted("a.html") && demand.is_wanted("c.html"));
        assert!(!demand.is_change("b.html", false) && demand.is_change("a.html", false));
        assert_eq!(demand.forget_least_recent(&snapshot), 0);
    }

    fn sizes_of_big() -> impl Fn(&str) -> usize {
        |path| if path == "big.html" { 5000 } else { 0 }
    }

    #[test]
    fn the_page_asked_for_last_stays_whatever_its_size() {
        let snapshot = sizes_of_big();
        let mut demand = Demand::new(1000);
        demand.ask(&["big.html".to_string()]);
        assert_eq!(demand.forget_least_recent(&snapshot), 0);
        assert!(demand.is_wanted("big.html"));
    }
}
