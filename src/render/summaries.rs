//! Every article's summary as templates see it ([`Summaries`]): serialised once per render
//! and shared by every list that shows it, with its cards ([`Cards`]: the templates under
//! `cards/`, rendered once per article) and, for a render that keeps a memo, its fingerprint.

use std::sync::Mutex;

use rayon::prelude::*;

use super::context::{context_of, fragment_key};
use super::pool::{MakeSummary, Slot, SummaryPool};
use super::site::Site;
use crate::card_cache::CardCache;
use crate::content::ArticleId;
use crate::error::Diagnostic;
use crate::fingerprint::{self, Fingerprint};
use crate::templates::{CARDS, Templates};

/// Every article's summary as templates see it (serialised once and shared by every list that
/// shows it), with its cards (`item.cards`, see [`Summaries::prepare`]) once a page needs them,
/// and, when a [`Memo`] needs it, its fingerprint. A session keeps them between rebuilds and
/// refreshes only the summaries of the articles it changed.
///
/// A summary is made when the first page that shows it is rendered: a build that keeps most
/// pages makes few. Its fingerprint is taken from the article's view directly.
#[derive(Debug, Default)]
pub struct Summaries {
    /// By article id, in the slots a render's pool checks them out of and in to.
    slots: Vec<Mutex<Slot>>,
    /// Of each summary without its cards; empty unless a memo needs them.
    plain: Vec<u64>,
    /// What the cards in `slots` were rendered with (templates and variables).
    cards_key: Option<u64>,
    /// The fingerprints [`Summaries::prepare`] gave last, with the cards' key they cover.
    fingerprints: Option<(u64, Vec<u64>)>,
}

impl Summaries {
    /// The summaries of every article of `site`, none made yet, fingerprinted if `fingerprint`.
    pub fn new(site: &Site<'_>, fingerprint: bool) -> Summaries {
        let articles = site.library.articles.len();
        let plain = if fingerprint {
            let parts = SharedParts::of(site);
            (0..articles).into_par_iter().map(|id| plain_fingerprint(site, &parts, id)).collect()
        } else {
            vec![]
        };
        Summaries {
            slots: (0..articles).map(|_| Mutex::default()).collect(),
            plain,
            cards_key: None,
            fingerprints: None,
        }
    }

    /// Drops the summaries of `ids` (articles whose text changed, nothing else), to be made
    /// again, and fingerprints them again.
    pub fn refresh(&mut self, site: &Site<'_>, ids: &[ArticleId]) {
        let parts = (!ids.is_empty() && !self.plain.is_empty()).then(|| SharedParts::of(site));
        for &id in ids {
            *Slot::of(&mut self.slots[id]) = Slot::default();
            if let (Some(fp), Some(parts)) = (self.plain.get_mut(id), &parts) {
                *fp = plain_fingerprint(site, parts, id);
                if let Some((key, fingerprints)) = &mut self.fingerprints {
                    fingerprints[id] = with_cards(*fp, *key);
                }
            }
        }
    }

    /// How many summaries there are (none after [`Summaries::clear`]).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Frees the summaries: [`Summaries::new`] makes them again. On every worker: each is a
    /// tree of a few dozen allocations, and freeing them all on one thread left the other cores
    /// idle.
    pub(super) fn clear(&mut self) {
        std::mem::take(&mut self.slots).into_par_iter().for_each(drop);
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
        vars: &[tera::Context],
    ) -> (Vec<u64>, u64) {
        let mut key = Fingerprint::new();
        for vars in vars {
            key.add_value(&super::context::fingerprinted_vars(vars, templates));
        }
        for name in templates.cards() {
            key.add(name).add(&templates.fingerprint(name));
        }
        let key = key.finish();
        if self.cards_key != Some(key) {
            self.slots.par_iter_mut().for_each(|slot| {
                let slot = Slot::of(slot);
                slot.complete = false;
                if let Some(tera::Value::Object(map)) = &mut slot.value {
                    map.remove("cards");
                }
            });
            self.cards_key = Some(key);
        }
        match &self.fingerprints {
            Some((made_with, fingerprints)) if *made_with == key => (fingerprints.clone(), key),
            _ => {
                let fingerprints: Vec<u64> =
                    self.plain.par_iter().map(|&fp| with_cards(fp, key)).collect();
                self.fingerprints = Some((key, fingerprints.clone()));
                (fingerprints, key)
            }
        }
    }

    /// Makes the summaries of `ids` not made yet, and renders the cards of those that have none.
    pub(super) fn with_cards(
        &mut self,
        ids: impl Iterator<Item = ArticleId>,
        cards: &Cards<'_>,
    ) -> Result<(), Diagnostic> {
        for id in ids {
            let slot = Slot::of(&mut self.slots[id]);
            let value = slot.value.get_or_insert_with(|| summary_value(cards.site, id));
            cards.complete(id, value)?;
            slot.complete = true;
        }
        Ok(())
    }

    /// A copy of the summary of `id` (`Null` for one not made yet).
    pub(super) fn value(&mut self, id: ArticleId) -> tera::Value {
        Slot::of(&mut self.slots[id]).value.clone().unwrap_or_default()
    }

    /// The summaries, in a pool for a render to check out and in.
    pub(super) fn pool<'r>(&'r self, cards: &'r Cards<'r>) -> SummaryPool<'r> {
        SummaryPool::new(&self.slots, cards)
    }
}

/// The fingerprint of a summary whose own is `plain`, with cards rendered as `key` says.
fn with_cards(plain: u64, key: u64) -> u64 {
    Fingerprint::new().add(&plain).add(&key).finish()
}

/// Renders the templates under `cards/` into a summary (see [`Summaries::prepare`]).
pub(super) struct Cards<'a> {
    site: &'a Site<'a>,
    templates: &'a Templates,
    names: Vec<&'a str>,
    /// The site's own variables in each language.
    vars: &'a [tera::Context],
    /// What they and the card templates are ([`Summaries::prepare`]).
    key: u64,
    /// The cards of the last builds (`midad build`), with the fingerprint of each summary with
    /// its cards, by article id, which the cards are kept under.
    kept: Option<(&'a CardCache, &'a [u64])>,
}

thread_local! {
    /// Each thread's copy of the variables cards are rendered with in each language, and their
    /// key, so that they are copied once per thread instead of once for every article whose
    /// cards are rendered.
    static CARD_VARS: std::cell::RefCell<Option<(u64, Vec<tera::Context>)>> =
        const { std::cell::RefCell::new(None) };
}

impl<'a> Cards<'a> {
    /// Cards of `templates` rendered with `vars`, whose key [`Summaries::prepare`] gave.
    pub(super) fn new(
        site: &'a Site<'a>,
        templates: &'a Templates,
        vars: &'a [tera::Context],
        key: u64,
    ) -> Cards<'a> {
        Cards { site, templates, names: templates.cards().collect(), vars, key, kept: None }
    }

    /// These cards, taken from `cache` and kept there: those of article `id` are under
    /// `fingerprints[id]`, its summary's fingerprint with this key ([`Summaries::prepare`]).
    pub(super) fn kept_in(self, cache: &'a CardCache, fingerprints: &'a [u64]) -> Cards<'a> {
        Cards { kept: Some((cache, fingerprints)), ..self }
    }

    /// The cards of article `id` in `cache`, by name, if they are there.
    fn cached(&self, id: ArticleId) -> Option<serde_json::Map<String, tera::Value>> {
        let (cache, fingerprints) = self.kept?;
        let cards = cache.get(*fingerprints.get(id)?)?;
        (cards.len() == self.names.len()).then(|| self.by_name(cards))
    }

    /// `item.cards`: the rendered `cards`, one per card template, by the template's name.
    fn by_name(&self, cards: Vec<String>) -> serde_json::Map<String, tera::Value> {
        let names = self.names.iter().map(|name| fragment_key(name, CARDS).to_string());
        names.zip(cards.into_iter().map(tera::Value::String)).collect()
    }

    /// Renders the cards of `value`, the summary of article `id`, if it has none.
    pub(super) fn complete(
        &self,
        id: ArticleId,
        value: &mut tera::Value,
    ) -> Result<(), Diagnostic> {
        let tera::Value::Object(map) = value else { return Ok(()) };
        if map.contains_key("cards") {
            return Ok(());
        }
        if let Some(cards) = self.cached(id) {
            map.insert("cards".into(), tera::Value::Object(cards));
            return Ok(());
        }
        let lang = self.site.library.articles[id].lang;
        CARD_VARS.with(|vars| {
            // Cards are never rendered from inside a card; were they, the inner one gets a copy.
            let Ok(mut vars) = vars.try_borrow_mut() else {
                return self.render(id, &mut self.vars[lang].clone(), value);
            };
            let all = match &mut *vars {
                Some((key, all)) if *key == self.key => all,
                vars => &mut vars.insert((self.key, self.vars.to_vec())).1,
            };
            self.render(id, &mut all[lang], value)
        })
    }

    /// Renders the cards of `value`, the summary of article `id`, with `ctx`, the variables of
    /// cards in its language; keeps them in the card cache if there is one.
    fn render(
        &self,
        id: ArticleId,
        ctx: &mut tera::Context,
        value: &mut tera::Value,
    ) -> Result<(), Diagnostic> {
        let lang = self.site.library.articles[id].lang;
        // Moved into the context for the renders, and back.
        let mut item = serde_json::Map::new();
        item.insert("item".into(), std::mem::take(value));
        ctx.extend(context_of(item));
        let cards: Result<Vec<String>, Diagnostic> =
            self.names.iter().map(|name| self.templates.render_string(lang, name, ctx)).collect();
        *value = ctx.remove("item").unwrap_or_default();
        let cards = cards?;
        if let Some((cache, fingerprints)) = self.kept
            && let Some(&fingerprint) = fingerprints.get(id)
        {
            cache.put(fingerprint, &cards.iter().map(String::as_str).collect::<Vec<_>>());
        }
        if let tera::Value::Object(map) = value {
            map.insert("cards".into(), tera::Value::Object(self.by_name(cards)));
        }
        Ok(())
    }
}

impl MakeSummary for Cards<'_> {
    fn complete(&self, id: ArticleId, value: &mut tera::Value) -> Result<(), Diagnostic> {
        Cards::complete(self, id, value)
    }

    fn make(&self, id: ArticleId) -> Result<tera::Value, Diagnostic> {
        let mut value = summary_value(self.site, id);
        Cards::complete(self, id, &mut value)?;
        Ok(value)
    }
}

fn summary_value(site: &Site<'_>, id: ArticleId) -> tera::Value {
    tera::to_value(site.summary_view(id)).unwrap_or_default()
}

/// The fingerprints of what many summaries show alike: each section's view, tag link and byline
/// (as [`Site::summary_view`] has them), and the config, which URLs, dates and photos are made
/// with.
struct SharedParts {
    sections: Vec<u64>,
    tags: Vec<u64>,
    authors: Vec<u64>,
    config: u64,
}

impl SharedParts {
    fn of(site: &Site<'_>) -> SharedParts {
        let of = |count: usize, fingerprint: &(dyn Fn(usize) -> u64 + Sync)| -> Vec<u64> {
            (0..count).into_par_iter().map(fingerprint).collect()
        };
        let taxonomy = site.taxonomy;
        SharedParts {
            sections: of(site.library.sections.len(), &|id| {
                fingerprint::of_json_text(&site.section_view(id))
            }),
            tags: of(taxonomy.tags.len(), &|id| fingerprint::of_json_text(&site.tag_link(id))),
            authors: of(taxonomy.authors.len(), &|id| fingerprint::of_json_text(&site.byline(id))),
            config: fingerprint::of(site.config),
        }
    }
}

/// The fingerprint of the summary of `id` without its cards: of what each field of its view
/// ([`Site::summary_view`]) is made from, not of the view, which would be made and serialised
/// for every article of the site on every build. A field added to the view is added here (the
/// test `every_field_of_a_summary_is_fingerprinted` lists them).
fn plain_fingerprint(site: &Site<'_>, parts: &SharedParts, id: ArticleId) -> u64 {
    let article = &site.library.articles[id];
    let fm = &article.front_matter;
    let rendered = &site.rendered[id];
    let instant =
        |at: &jiff::ZonedDateTime| (at.timestamp().as_nanosecond(), at.offset().seconds());
    let mut fp = Fingerprint::new();
    // title, url and permalink (with the config), date, updated, summary.
    fp.add(&fm.title).add(&article.path).add(&instant(&article.date));
    fp.add(&article.updated.as_ref().map(instant));
    fp.add(&fm.summary).add(&rendered.summary);
    // image: the photo the address resolves to, its focus; then its alt text, caption, credit.
    fp.add(&fm.image);
    if let Some(image) = &fm.image {
        fp.add(&site.photos.fingerprint(std::iter::once(image.as_str()), &article.path));
    }
    fp.add(&fm.image_focus.map(|focus| (focus.x.to_bits(), focus.y.to_bits())));
    fp.add(&fm.image_alt).add(&fm.image_caption).add(&fm.image_credit);
    // section, tags, authors.
    fp.add(&parts.sections[article.section]);
    let tags = &site.taxonomy.article_tags[id];
    fp.add(&tags.len());
    tags.iter().for_each(|&tag| _ = fp.add(&parts.tags[tag]));
    let authors = &site.taxonomy.article_authors[id];
    fp.add(&authors.len());
    authors.iter().for_each(|&author| _ = fp.add(&parts.authors[author]));
    // reading_minutes, lang and dir, featured, breaking, extra.
    fp.add(&rendered.reading_minutes).add(&fm.lang).add(&article.lang);
    fp.add(&fm.featured).add(&fm.breaking).add(&fm.extra.len());
    if !fm.extra.is_empty() {
        fp.add_json(&fm.extra);
    }
    fp.add(&parts.config).finish()
}

#[cfg(test)]
mod tests {
    use super::super::view::SummaryView;

    /// Not run for what it does but for what it names: every field of [`SummaryView`], with
    /// what covers it in `plain_fingerprint`. A field added to the view is a compile error here
    /// until it is named, and fingerprinted.
    #[allow(dead_code)]
    fn every_field_of_a_summary_is_fingerprinted(view: SummaryView<'_>) {
        let SummaryView {
            title: _,           // fm.title
            url: _,             // article.path, the config's base path
            permalink: _,       // article.path, the config's base URL
            date: _,            // article.date, its offset
            updated: _,         // article.updated, its offset
            summary: _,         // fm.summary, rendered.summary
            image: _,           // fm.image, the photo it resolves to, fm.image_focus, the config
            image_alt: _,       // fm.image_alt
            image_caption: _,   // fm.image_caption
            image_credit: _,    // fm.image_credit
            section: _,         // the section's view
            tags: _,            // each tag's link
            authors: _,         // each author's byline
            reading_minutes: _, // rendered.reading_minutes
            lang: _,            // fm.lang, article.lang, the config's languages
            dir: _,             // as lang
            featured: _,        // fm.featured
            breaking: _,        // fm.breaking
            extra: _,           // fm.extra
        } = view;
    }
}
