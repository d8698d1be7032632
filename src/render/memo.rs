//! What a render keeps for the next one: each output's fingerprint and bytes (`Memo`), the
//! article summaries (`Summaries`), and the manifest through which `midad build` keeps the
//! unchanged files of the previous build. See [`super::render_site`] for how they are used.

use std::path::Path;

use foldhash::HashMap;
use rayon::prelude::*;

use super::lend::Lender;
use super::{Page, Site};
use crate::content::ArticleId;
use crate::error::Error;
use crate::fingerprint::{self, Fingerprint};
use crate::output::{Contents, OutputFile};
use crate::templates::{CARDS, Templates};

/// The pages of the last render of a session, by output path, with the fingerprint of what each
/// was rendered from. A page whose fingerprint is unchanged keeps its bytes and is not rendered.
///
/// Besides the bytes, it keeps the list of pages other than articles and the home page, with the
/// fingerprint of each one's own variables, for the site [`Site::generation`] it was made from:
/// while that stays the same (only article texts, templates or static files changed), the list is
/// reused instead of being rebuilt, and only the summaries a page shows are fingerprinted again.
#[derive(Debug, Default)]
pub struct Memo {
    pub(super) pages: HashMap<String, (u64, Contents)>,
    /// The pages and articles of the last render in render order, with their fingerprints: a
    /// render of the same generation has the same pages in the same order, and looks its pages
    /// up by position instead of by path.
    pub(super) out: Vec<(u64, bytes::Bytes)>,
    /// What the last render's fingerprints were made of, to find what changed since.
    pub(super) inputs: Option<Inputs>,
    /// The sitemaps, news sitemap and robots.txt of the last render.
    pub(super) sitemaps: Vec<(OutputFile, Option<u64>)>,
    pub(super) generation: Option<u64>,
    pub(super) list: Vec<Page>,
    pub(super) own: Vec<u64>,
}

/// The first line of a build manifest, with the midad that wrote it.
const MANIFEST_FORMAT: &str = "midad-manifest 1";

impl Memo {
    /// What identifies the midad that fingerprints: its version and its executable's size and
    /// modification time (fingerprints are only comparable within one binary).
    fn writer() -> Option<String> {
        Some(format!("{MANIFEST_FORMAT}\t{}", fingerprint::binary_identity()?))
    }

    /// The pages of the build in `output`, from the manifest the last `midad build` wrote beside
    /// it: each file that is still there with the size the manifest gives can be kept (hard
    /// linked) when its fingerprint is unchanged. Empty when there is no manifest, or it was
    /// written by another midad.
    pub fn from_output(output: &Path) -> Memo {
        let mut memo = Memo::default();
        let (Some(manifest), Some(writer)) = (crate::output::manifest_path(output), Memo::writer())
        else {
            return memo;
        };
        let Ok(text) = std::fs::read_to_string(manifest) else { return memo };
        let mut lines = text.lines();
        if lines.next() != Some(writer.as_str()) {
            return memo;
        }
        let entries: Vec<(String, (u64, Contents))> = lines
            .collect::<Vec<_>>()
            .par_iter()
            .filter_map(|line| {
                let mut parts = line.splitn(3, '\t');
                let fp = u64::from_str_radix(parts.next()?, 16).ok()?;
                let size: u64 = parts.next()?.parse().ok()?;
                let path = parts.next()?;
                let file = output.join(path);
                let meta = std::fs::symlink_metadata(&file).ok()?;
                (meta.is_file() && meta.len() == size)
                    .then(|| (path.to_string(), (fp, Contents::Keep(file))))
            })
            .collect();
        memo.pages = entries.into_iter().collect();
        memo
    }

    /// Writes the manifest of the build just written to `output` from this memo.
    pub fn save_for_output(&self, output: &Path) -> std::io::Result<()> {
        let (Some(manifest), Some(writer)) = (crate::output::manifest_path(output), Memo::writer())
        else {
            return Ok(());
        };
        let mut text = writer;
        text.push('\n');
        let mut entries: Vec<(&String, &(u64, Contents))> = self.pages.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (path, (fp, contents)) in entries {
            let size = match contents {
                Contents::Bytes(bytes) => bytes.len() as u64,
                Contents::Staged { len } => *len,
                Contents::Keep(_) | Contents::Copy(_) => {
                    std::fs::metadata(output.join(path)).map(|m| m.len()).unwrap_or(u64::MAX)
                }
            };
            if !path.contains(['\n', '\t']) {
                text.push_str(&format!("{fp:016x}\t{size}\t{path}\n"));
            }
        }
        crate::output::replace_file(&manifest, &text)
    }
}

/// Every article's summary as templates see it (serialised once and shared by every list that
/// shows it), with its cards (`item.cards`, see [`Summaries::prepare`]) once a page needs them,
/// and, when a [`Memo`] needs it, its fingerprint. A session keeps them between rebuilds and
/// refreshes only the summaries of the articles it changed.
#[derive(Debug, Default)]
pub struct Summaries {
    pub(super) values: Vec<tera::Value>,
    /// Of each summary without its cards; empty unless a memo needs them.
    plain: Vec<u64>,
    /// What the cards in `values` were rendered with (templates and variables).
    cards_key: Option<u64>,
}

impl Summaries {
    /// The summaries of every article of `site`, fingerprinted if `fingerprint`.
    pub fn new(site: &Site<'_>, fingerprint: bool) -> Summaries {
        let values: Vec<tera::Value> = (0..site.library.articles.len())
            .into_par_iter()
            .map(|id| summary_value(site, id))
            .collect();
        let plain = if fingerprint {
            values.par_iter().map(fingerprint::of_value).collect()
        } else {
            vec![]
        };
        Summaries { values, plain, cards_key: None }
    }

    /// Recomputes the summaries of `ids` (articles whose text changed, nothing else).
    pub fn refresh(&mut self, site: &Site<'_>, ids: &[ArticleId]) {
        for &id in ids {
            self.values[id] = summary_value(site, id);
            if let Some(fp) = self.plain.get_mut(id) {
                *fp = fingerprint::of_value(&self.values[id]);
            }
        }
    }

    /// How many summaries there are (none after [`Summaries::clear`]).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Frees the summaries: [`Summaries::new`] makes them again.
    pub(super) fn clear(&mut self) {
        *self = Summaries::default();
    }

    /// Readies the summaries for a render with `templates` and `vars` (the site's own variables).
    ///
    /// The templates under `cards/` are rendered once per article, with its summary as `item`
    /// and `vars`, and kept in the summary: `cards/row.html` is `item.cards.row`. A story card
    /// is the most repeated markup of a news site (twenty on each listing page, more under each
    /// article): rendered once per article, not once per page showing it. They are rendered
    /// when a page showing the summary is (see [`Cards`]), so a build that keeps most pages
    /// renders few. Cards rendered with other card templates or variables are dropped here. A
    /// summary's fingerprint covers its cards through the fingerprint of what they are
    /// rendered with: this gives those fingerprints (none unless a memo needs them) and that of
    /// what the cards are rendered with, the cards' key.
    pub(super) fn prepare(
        &mut self,
        templates: &Templates,
        vars: &tera::Context,
    ) -> (Vec<u64>, u64) {
        let mut key = Fingerprint::new();
        key.add_value(&vars.clone().into_json());
        for name in templates.cards() {
            key.add(name).add(&templates.fingerprint(name));
        }
        let key = key.finish();
        if self.cards_key != Some(key) {
            self.values.par_iter_mut().for_each(|value| {
                if let tera::Value::Object(map) = value {
                    map.remove("cards");
                }
            });
            self.cards_key = Some(key);
        }
        let fingerprints =
            self.plain.iter().map(|&fp| Fingerprint::new().add(&fp).add(&key).finish()).collect();
        (fingerprints, key)
    }

    /// Renders the cards of the summaries of `ids` that have none yet.
    pub(super) fn with_cards(
        &mut self,
        ids: impl Iterator<Item = ArticleId>,
        cards: &Cards<'_>,
    ) -> Result<(), Error> {
        for id in ids {
            cards.complete(&mut self.values[id])?;
        }
        Ok(())
    }

    /// The summaries, moved into a [`Lender`] for a render; [`Summaries::returned`] takes them
    /// back.
    pub(super) fn lend<'r>(&mut self, cards: &'r Cards<'r>) -> Lender<'r> {
        Lender::new(std::mem::take(&mut self.values), cards)
    }

    /// Takes back the summaries lent with [`Summaries::lend`]; one not given back (by a page
    /// whose render failed) is made again, without cards.
    pub(super) fn returned(&mut self, site: &Site<'_>, lender: Lender<'_>) {
        self.values = lender
            .into_values()
            .into_iter()
            .enumerate()
            .map(|(id, value)| value.unwrap_or_else(|| summary_value(site, id)))
            .collect();
    }
}

/// Renders the templates under `cards/` into a summary (see [`Summaries::prepare`]).
pub(super) struct Cards<'a> {
    site: &'a Site<'a>,
    templates: &'a Templates,
    names: Vec<&'a str>,
    /// The site's own variables.
    vars: &'a tera::Context,
    /// What they and the card templates are ([`Summaries::prepare`]).
    key: u64,
}

thread_local! {
    /// Each thread's copy of the variables cards are rendered with, and their key: a copy per
    /// article cost as much as a fifth of its cards.
    static CARD_VARS: std::cell::RefCell<Option<(u64, tera::Context)>> =
        const { std::cell::RefCell::new(None) };
}

impl<'a> Cards<'a> {
    /// Cards of `templates` rendered with `vars`, whose key [`Summaries::prepare`] gave.
    pub(super) fn new(
        site: &'a Site<'a>,
        templates: &'a Templates,
        vars: &'a tera::Context,
        key: u64,
    ) -> Cards<'a> {
        Cards { site, templates, names: templates.cards().collect(), vars, key }
    }

    /// Renders the cards of `value` if it has none.
    pub(super) fn complete(&self, value: &mut tera::Value) -> Result<(), Error> {
        match value {
            tera::Value::Object(map) if !map.contains_key("cards") => {}
            _ => return Ok(()),
        }
        CARD_VARS.with(|vars| {
            // Cards are never rendered from inside a card; were they, the inner one gets a copy.
            let Ok(mut vars) = vars.try_borrow_mut() else {
                return self.render(&mut self.vars.clone(), value);
            };
            let ctx = match &mut *vars {
                Some((key, ctx)) if *key == self.key => ctx,
                vars => &mut vars.insert((self.key, self.vars.clone())).1,
            };
            self.render(ctx, value)
        })
    }

    /// Renders the cards of `value` with `ctx`, the variables of cards.
    fn render(&self, ctx: &mut tera::Context, value: &mut tera::Value) -> Result<(), Error> {
        // Moved into the context for the renders, and back.
        let mut item = serde_json::Map::new();
        item.insert("item".into(), std::mem::take(value));
        ctx.extend(super::context_of(item));
        let cards: Result<serde_json::Map<String, tera::Value>, Error> = self
            .names
            .iter()
            .map(|name| {
                let html = self.templates.render_string(name, ctx)?;
                Ok((super::fragment_key(name, CARDS).to_string(), html.into()))
            })
            .collect();
        *value = ctx.remove("item").unwrap_or_default();
        if let tera::Value::Object(map) = value {
            map.insert("cards".into(), tera::Value::Object(cards?));
        }
        Ok(())
    }

    /// The summary of `id` made again, with its cards.
    pub(super) fn again(&self, id: ArticleId) -> Result<tera::Value, Error> {
        let mut value = summary_value(self.site, id);
        self.complete(&mut value)?;
        Ok(value)
    }
}

fn summary_value(site: &Site<'_>, id: ArticleId) -> tera::Value {
    tera::to_value(site.summary_view(id)).unwrap_or_default()
}

/// The inputs of a render that the next one compares with its own to tell, without
/// fingerprinting every page again, which pages can have changed.
#[derive(Debug)]
pub(super) struct Inputs {
    pub(super) global: u64,
    pub(super) templates: u64,
    pub(super) summaries: Vec<u64>,
    pub(super) sources: Vec<u64>,
    /// `related` is a copy of [`Site::related`] at this version.
    pub(super) related_version: u64,
    pub(super) related: Vec<Vec<ArticleId>>,
}

/// What changed since the last render, when only articles' texts did (see [`render_site`]).
pub(super) struct Dirty<'m> {
    /// Articles whose summary changed.
    pub(super) summaries: Vec<bool>,
    pub(super) any_summary: bool,
    /// Articles whose file changed.
    pub(super) sources: Vec<bool>,
    pub(super) last: &'m Inputs,
}

/// The fingerprints a render with a [`Memo`] compares: what every page shares, and each
/// article's summary.
pub(super) struct Fingerprints<'s> {
    pub(super) global: u64,
    pub(super) summaries: &'s [u64],
}

/// Bytes of the last render that can be kept: the memo, and what fingerprints are made of.
pub(crate) struct Reuse<'m> {
    pub(super) memo: &'m Memo,
    /// What every output shares (config, build time, the variables of every page).
    pub(crate) global: u64,
    /// Each article as a feed shows it: its summary and its whole source.
    pub(crate) articles: Vec<u64>,
    /// When only article texts changed since the last render: which articles changed (their
    /// file or summary). A feed of unchanged articles is then kept without a new fingerprint.
    pub(crate) changed: Option<Vec<bool>>,
}

impl Reuse<'_> {
    /// The bytes the last render wrote at `path`, if they were made from `fp`.
    pub(crate) fn get(&self, path: &str, fp: u64) -> Option<Contents> {
        let (old_fp, bytes) = self.memo.pages.get(path)?;
        (*old_fp == fp).then(|| bytes.clone())
    }

    /// The fingerprint and bytes the last render wrote at `path`.
    pub(crate) fn last(&self, path: &str) -> Option<(u64, Contents)> {
        self.memo.pages.get(path).cloned()
    }
}

/// The fingerprint of what is a page's own: its template's name, kind, path, variables and, for
/// a listing, which page of how many it is.
pub(super) fn own_fingerprint(page: &Page) -> u64 {
    let mut fp = Fingerprint::new();
    fp.add(page.template)
        .add(page.kind)
        .add(&page.path)
        .add_value(&page.context.clone().into_json());
    if let Some(listing) = &page.listing {
        fp.add(&listing.base)
            .add(&listing.number)
            .add(&listing.total_pages)
            .add(&listing.total_items)
            .add(&listing.ids);
    }
    fp.finish()
}

/// What a page other than an article is rendered from: everything every page shares, its
/// template and what it uses, its own fingerprint and, for a listing, the summaries it shows.
pub(super) fn page_fingerprint(
    f: &Fingerprints,
    templates: &Templates,
    page: &Page,
    own: u64,
) -> u64 {
    let mut fp = Fingerprint::new();
    fp.add(&f.global).add(&templates.fingerprint(page.template)).add(&own);
    if let Some(listing) = &page.listing {
        for &id in &listing.ids {
            fp.add(&f.summaries[id]);
        }
    }
    fp.finish()
}
