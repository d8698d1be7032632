//! The plan of a render: for the home page, every other page and every article, whether to keep
//! the contents of the last render ([`Step::Keep`]) or to render it through the templates
//! ([`Step::Render`]), and the fingerprint of what it is made from.
//!
//! A page is kept in one of two ways. When only article texts changed since the last render of
//! the same site ([`Changed`]), a page that shows no article whose summary changed, and an article
//! whose file, summary and related list are unchanged, keep their bytes without being
//! fingerprinted again. Otherwise an output is fingerprinted, and kept when the memo holds the
//! same fingerprint for it. **Invariant:** a fingerprint covers everything its output is
//! rendered from: the shared variables and config (`global`), the template and what it uses, the
//! page's own variables, the summaries it lists, and for articles their source file.

use foldhash::HashMap;
use rayon::prelude::*;

use super::memo::LastRender;
use super::pages::{Home, Kind, Page, output_path};
use super::remembered::{ChangedArticles, Remembered};
use super::site::{Site, related_shown};
use super::wanted::Wanted;
use crate::content::ArticleId;
use crate::fingerprint::Fingerprint;
use crate::output::Contents;
use crate::templates::Templates;

/// The fingerprints a render with a memo compares: what every page shares, and each article's
/// summary.
pub(super) struct Fingerprints<'s> {
    /// Of the variables every page has (the site, the shared lists and fragments) and the config.
    pub(super) global: u64,
    /// Of each article's summary and what its cards are rendered with.
    pub(super) summaries: &'s [u64],
    /// Of what each article's body is made from (`site::body_hash`).
    pub(super) sources: &'s [u64],
}

/// One output of the render's main loop, in render order: the home page, the other pages, then
/// each article.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target<'p> {
    Page(&'p Page),
    Article(ArticleId),
}

/// Every output of the render's main loop, in render order, each told by its position.
#[derive(Clone, Copy)]
pub(super) struct Targets<'p> {
    /// The home page of each language.
    pub(super) homes: &'p [Page],
    /// The other pages but the articles.
    pub(super) pages: &'p [Page],
    /// How many articles there are.
    pub(super) articles: usize,
}

impl<'p> Targets<'p> {
    /// How many outputs there are.
    pub(super) fn len(&self) -> usize {
        self.homes.len() + self.pages.len() + self.articles
    }

    /// The output at `position` (less than [`Targets::len`]).
    pub(super) fn at(&self, position: usize) -> Target<'p> {
        let homes = self.homes.len();
        match position.checked_sub(homes) {
            None => Target::Page(&self.homes[position]),
            Some(at) if at < self.pages.len() => Target::Page(&self.pages[at]),
            Some(at) => Target::Article(at - self.pages.len()),
        }
    }
}

impl<'p> Target<'p> {
    /// The page's path relative to the site root (`politics/`, `404.html`).
    pub(super) fn path<'s: 'p>(self, site: &'s Site<'_>) -> &'p str {
        match self {
            Target::Page(page) => &page.path,
            Target::Article(id) => &site.library.articles[id].path,
        }
    }
}

/// What to do for one output.
#[derive(Debug)]
pub(super) enum Step {
    /// Keep the contents of the last render, made from `fingerprint`.
    Keep { fingerprint: u64, contents: Contents },
    /// Render through the templates; with a memo, remember it under `fingerprint`.
    Render { fingerprint: Option<u64> },
}

/// What changed since the last render of the same site, when only article texts did.
pub(super) struct Changed<'m> {
    /// Articles whose summary changed.
    summaries: Vec<bool>,
    any_summary: bool,
    /// Articles whose file changed.
    sources: Vec<bool>,
    last: &'m LastRender,
}

impl<'m> Changed<'m> {
    /// What changed since `last`, if it rendered the same site with the same shared variables,
    /// templates and pages (`pages` of them besides the articles), and the same articles.
    pub(super) fn since(
        last: &'m LastRender,
        site: &Site<'_>,
        fingerprints: &Fingerprints<'_>,
        templates: u64,
        pages: usize,
    ) -> Option<Changed<'m>> {
        let inputs = &last.inputs;
        let same = last.in_order.len() == pages + site.library.articles.len()
            && inputs.global == fingerprints.global
            && inputs.templates == templates
            && inputs.summaries.len() == fingerprints.summaries.len();
        if !same {
            return None;
        }
        let summaries: Vec<bool> =
            fingerprints.summaries.iter().zip(&inputs.summaries).map(|(a, b)| a != b).collect();
        let sources: Vec<bool> =
            fingerprints.sources.iter().zip(&inputs.sources).map(|(a, b)| a != b).collect();
        Some(Changed { any_summary: summaries.contains(&true), summaries, sources, last })
    }

    /// Whether the home page at `position` (in render order) was rendered by the last render
    /// and shows no article whose summary changed.
    pub(super) fn keeps_home(&self, position: usize, home: &Home) -> bool {
        self.last.in_order.get(position).is_some() && !home.shows().any(|id| self.summaries[id])
    }

    /// Which articles changed.
    pub(super) fn articles(&self) -> ChangedArticles<'_> {
        ChangedArticles { sources: &self.sources, summaries: &self.summaries }
    }

    /// Whether the page at `position` (in render order) shows no changed summary.
    fn keeps(
        &self,
        site: &Site<'_>,
        position: usize,
        target: Target<'_>,
        homes_kept: &[bool],
    ) -> bool {
        match target {
            Target::Page(page) => match &page.listing {
                Some(listing) => !listing.ids.iter().any(|&id| self.summaries[id]),
                None => homes_kept.get(position).copied().unwrap_or(false),
            },
            Target::Article(id) => {
                let inputs = &self.last.inputs;
                !self.sources[id]
                    && !self.summaries[id]
                    && (site.related_version == inputs.related_version
                        || site.related[id] == inputs.related[id])
                    && (!self.any_summary
                        || !related_shown(site, id).iter().any(|&other| self.summaries[other]))
            }
        }
    }
}

/// What the plan is made from.
pub(super) struct Planner<'a> {
    pub(super) site: &'a Site<'a>,
    pub(super) templates: &'a Templates,
    /// `None` without a memo: then everything is rendered.
    pub(super) fingerprints: Option<&'a Fingerprints<'a>>,
    /// The fingerprint of each page's own variables but the home page's, when the last render
    /// of the same site gave them.
    pub(super) own: &'a [u64],
    /// The last render, when it rendered the same site: outputs are then looked up by position.
    pub(super) last: Option<&'a LastRender>,
    /// Otherwise the memo's outputs by path.
    pub(super) files: Option<&'a HashMap<String, Remembered>>,
    pub(super) changed: Option<&'a Changed<'a>>,
    /// Whether `changed` keeps each home page (the first outputs, one per language).
    pub(super) homes_kept: &'a [bool],
    /// In a render on request, the outputs to make; the others are neither fingerprinted nor
    /// rendered.
    pub(super) wanted: Option<&'a Wanted>,
    pub(super) targets: Targets<'a>,
}

impl Planner<'_> {
    /// The position and step of each target to make, in order: every one, or in a render on
    /// request those wanted, whose positions the last render of the same site gives when it
    /// had the same ones.
    pub(super) fn plan(&self) -> Vec<(usize, Step)> {
        let every = 0..self.targets.len();
        let Some(wanted) = self.wanted else {
            return every.into_par_iter().map(|at| (at, self.step(at))).collect();
        };
        let positions = match self.last.and_then(|last| last.wanted_at(wanted.version())) {
            Some(positions) => positions.to_vec(),
            None => every
                .into_par_iter()
                .filter(|&at| wanted.has(self.targets.at(at).path(self.site)))
                .collect(),
        };
        positions.into_par_iter().map(|at| (at, self.step(at))).collect()
    }

    fn step(&self, position: usize) -> Step {
        let target = self.targets.at(position);
        if let (Some(changed), Some(last)) = (self.changed, self.last)
            && changed.keeps(self.site, position, target, self.homes_kept)
            && let Some((fingerprint, bytes)) = last.in_order.get(position)
        {
            let contents = Contents::Bytes(bytes.clone());
            return Step::Keep { fingerprint: *fingerprint, contents };
        }
        let Some(fingerprints) = self.fingerprints else {
            return Step::Render { fingerprint: None };
        };
        let fingerprint = match target {
            Target::Page(page) => self.page_fingerprint(fingerprints, position, page),
            Target::Article(id) => self.article_fingerprint(fingerprints, id),
        };
        match self.remembered(position, target.path(self.site), fingerprint) {
            Some(contents) => Step::Keep { fingerprint, contents },
            None => Step::Render { fingerprint: Some(fingerprint) },
        }
    }

    /// The contents the last render made from `fingerprint` for the output at `position` and
    /// `path`.
    fn remembered(&self, position: usize, path: &str, fingerprint: u64) -> Option<Contents> {
        if let Some(last) = self.last {
            let (last_fingerprint, bytes) = last.in_order.get(position)?;
            return (*last_fingerprint == fingerprint).then(|| Contents::Bytes(bytes.clone()));
        }
        let last = self.files?.get(&output_path(path))?;
        (last.fingerprint == fingerprint).then(|| last.contents.clone())
    }

    /// What a page other than an article is rendered from: everything every page shares, its
    /// template and what it uses, its own variables and, for a listing, the summaries it shows.
    fn page_fingerprint(&self, f: &Fingerprints<'_>, position: usize, page: &Page) -> u64 {
        // The first positions are the home pages, whose own variables are made for each render.
        let homes = self.homes_kept.len();
        let own = match position.checked_sub(homes).and_then(|at| self.own.get(at)) {
            Some(&own) => own,
            None => {
                own_fingerprint(page, vars_fingerprint(page), self.templates.reads_total_items())
            }
        };
        let mut fp = Fingerprint::new();
        fp.add(&f.global).add(&self.templates.fingerprint(page.kind.template())).add(&own);
        if let Some(listing) = &page.listing {
            for &id in &listing.ids {
                fp.add(&f.summaries[id]);
            }
        }
        fp.finish()
    }

    /// What an article page is rendered from: everything every page shares, its template and
    /// what it uses, its file and path, its summary and the summaries of its related articles.
    fn article_fingerprint(&self, f: &Fingerprints<'_>, id: ArticleId) -> u64 {
        let article = &self.site.library.articles[id];
        let mut fp = Fingerprint::new();
        fp.add(&f.global)
            .add(&self.templates.fingerprint(Kind::Article.template()))
            .add(&f.sources[id])
            .add(&article.path)
            .add(&f.summaries[id]);
        // Its `alternates` show where its translations are.
        for &other in &article.translations {
            fp.add(&self.site.library.articles[other].path);
        }
        for other in related_shown(self.site, id) {
            fp.add(&f.summaries[other]);
        }
        fp.finish()
    }
}

/// The fingerprint of what is a page's own: its kind, path, variables (whose fingerprint is
/// `vars`, see [`vars_fingerprint`]) and, for a listing, which page of how many it is, and with
/// `counted` how many articles it pages through. Not the ids of the articles a listing shows:
/// those are places in the library, which every article published after them moves.
/// [`Planner::page_fingerprint`] adds the summaries they show (each has its article's URL).
pub(super) fn own_fingerprint(page: &Page, vars: u64, counted: bool) -> u64 {
    let mut fp = Fingerprint::new();
    fp.add(page.kind.template()).add(page.kind.name()).add(&page.path).add(&vars);
    if let Some(listing) = &page.listing {
        fp.add(&listing.base).add(&listing.number).add(&listing.total_pages);
        fp.add(&listing.ids.len());
        if counted {
            fp.add(&listing.total_items);
        }
    }
    fp.finish()
}

/// The fingerprint of a page's own variables.
pub(super) fn vars_fingerprint(page: &Page) -> u64 {
    Fingerprint::new().add_value(&tera::Context::clone(&page.context).into_json()).finish()
}

/// The [`own_fingerprint`] of each of `pages`. The pages of a listing share their variables
/// (the section, tag or author, its feeds): they are fingerprinted once for all of them.
pub(super) fn own_fingerprints(pages: &[Page], counted: bool) -> Vec<u64> {
    pages
        .par_chunk_by(|a, b| std::sync::Arc::ptr_eq(&a.context, &b.context))
        .flat_map_iter(|listing| {
            let vars = vars_fingerprint(&listing[0]);
            listing.iter().map(move |page| own_fingerprint(page, vars, counted))
        })
        .collect()
}
