//! Every output file of the site, rendered through the templates into [`OutputFile`]s.
//!
//! [`render_site`] renders the home page, the section, tag, author and archive listings
//! (paginated), the tag and author indexes, the articles and the 404 page, then the feeds
//! (`feeds`) and the sitemaps and `robots.txt` (`sitemap`) that list them, and the redirect pages
//! of aliases (`alias`). With a [`Memo`] of the last render, it first makes a plan (`plan`):
//! which outputs keep their contents and which go through the templates; then it renders what
//! the plan says, in parallel. It writes nothing to disk itself (a one-off build hands each page
//! to `output`'s staging folder as soon as it is rendered) and never changes the site it reads.

mod alias;
mod alternates;
mod context;
mod feeds;
mod memo;
mod order;
mod pages;
mod plan;
mod pool;
mod remembered;
mod seo;
mod site;
mod sitemap;
mod summaries;
mod view;
mod wanted;
mod xml;

use rayon::prelude::*;

use crate::card_cache::CardCache;
use crate::content::ArticleId;
use crate::error::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::output::{Contents, OutputFile, Staging};
use crate::templates::Templates;

use context::{Vars, add_shared, fingerprinted_vars, render_with, site_context};
use foldhash::HashMap;
use memo::{InOrder, Inputs, LastRender};
use pages::{Home, Kind, Page, home_page, listing_pages, output_path};
use plan::{Changed, Fingerprints, Planner, Step, Target, Targets, own_fingerprints};
use pool::SummaryPool;
use remembered::{Previous, Remembered};
use site::{body_hashes, breaking, last_change, related_shown};
use summaries::Cards;

pub use memo::{HeldPhotos, Memo, PhotoSet};
pub use pages::NOT_FOUND_PATH;
pub use site::{Body, Html, Site, Spilled};
pub use summaries::Summaries;
pub use wanted::Wanted;

/// What a render keeps, and where its pages go.
pub enum Mode<'a> {
    /// In memory, once: nothing is kept for a next render (`pipeline::render`).
    Once,
    /// In memory, keeping every output's fingerprint and contents in the memo, so the next
    /// render (a session's rebuild) keeps what did not change.
    Remember(&'a mut Memo),
    /// In memory, only the outputs in `wanted` (`midad serve`): the others are neither
    /// fingerprinted nor rendered, and the memo keeps only those wanted.
    OnRequest {
        /// The memo of the last render, as in [`Mode::Remember`].
        memo: &'a mut Memo,
        /// What to render.
        wanted: &'a Wanted,
    },
    /// A one-off build: each page rendered through the templates is written into `staging` at
    /// once instead of being kept in memory; `memo` (read from the last build's manifest) keeps
    /// the unchanged files, and is updated for the next manifest.
    Stage {
        /// The memo of the last build.
        memo: &'a mut Memo,
        /// Where pages go as they are rendered.
        staging: &'a Staging,
        /// The story cards of the last builds, and where this one's go.
        cards: Option<&'a CardCache>,
    },
}

/// The fingerprint of what any page or card may show besides its own variables: the config (the
/// digits, the date formats) and, when a template calls `image()`, the photos.
fn site_inputs(site: &Site<'_>, templates: &Templates) -> u64 {
    let mut fp = Fingerprint::new();
    fp.add(site.config);
    if templates.calls_image() {
        fp.add(&site.photos.fingerprint_all());
    }
    fp.finish()
}

/// The keys the cards of each summary are kept under between builds ([`CardCache`]): the
/// summary's fingerprint with its cards' key, and what else a card may show that a session
/// does not keep across (it makes its summaries again when they change): the [`site_inputs`].
fn card_cache_keys(site_inputs: u64, summaries: &[u64]) -> Vec<u64> {
    summaries.iter().map(|&fp| Fingerprint::new().add(&fp).add(&site_inputs).finish()).collect()
}

/// What [`render_site`] produced.
#[derive(Debug)]
pub struct Rendered {
    /// Every output file: pages, feeds, sitemaps, redirects.
    pub files: Vec<OutputFile>,
    /// HTML pages that went through the templates (the others were kept from the [`Memo`]).
    pub rendered_pages: usize,
    /// The redirect pages of aliases among `files`.
    pub redirects: usize,
}

/// An output of the main loop: its file, the fingerprint it was planned with (with a memo), and
/// whether it went through the templates.
struct Output {
    file: OutputFile,
    fingerprint: Option<u64>,
    rendered: bool,
}

/// The variables every page shares, ready for a render, with what they are fingerprinted from.
struct Shared {
    /// `site`, `t`, `nav`, `most_read`, `breaking`, `feeds` and `shared`, of each language.
    vars: Vec<tera::Context>,
    /// With a memo: the fingerprint of `vars` and the config.
    global: Option<u64>,
}

/// Renders every output of the site; see [`Mode`] for what is kept and where pages go.
pub fn render_site(
    site: &Site<'_>,
    templates: &Templates,
    summaries: &mut Summaries,
    mode: Mode<'_>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let (mut memo, staging, wanted, card_cache) = match mode {
        Mode::Once => (None, None, None, None),
        Mode::Remember(memo) => (Some(memo), None, None, None),
        Mode::OnRequest { memo, wanted } => (Some(memo), None, Some(wanted), None),
        Mode::Stage { memo, staging, cards } => (Some(memo), Some(staging), None, cards),
    };
    // The variables every page of each language shares, and the fingerprints of what pages are
    // made from.
    let languages = 0..site.config.languages.len();
    let card_vars: Vec<tera::Context> =
        languages.clone().map(|lang| site_context(site, templates, lang)).collect();
    let (summary_fingerprints, cards_key) = summaries.prepare(templates, &card_vars);
    let mut cards = Cards::new(site, templates, &card_vars, cards_key);
    let site_fp = memo.is_some().then(|| site_inputs(site, templates));
    let kept_cards = card_cache
        .zip(site_fp)
        .filter(|_| summary_fingerprints.len() == site.library.articles.len())
        .map(|(cache, inputs)| (cache, card_cache_keys(inputs, &summary_fingerprints)));
    if let Some((cache, keys)) = &kept_cards {
        cache.keep_only(keys);
        cards = cards.kept_in(cache, keys);
    }
    // What the last render of the same site kept for this one.
    let mut last = memo.as_deref_mut().and_then(|memo| memo.take_last(site.generation));
    let breaking = match last.as_mut() {
        Some(last) => std::mem::take(&mut last.breaking),
        None => breaking(site),
    };
    let vars = card_vars.clone();
    let shared = shared_vars(site, templates, summaries, &cards, vars, &breaking, site_fp)
        .map_err(|e| vec![e])?;
    let sources = if shared.global.is_some() { body_hashes(site) } else { Vec::new() };
    let fingerprints = shared.global.map(|global| Fingerprints {
        global,
        summaries: &summary_fingerprints,
        sources: &sources,
    });

    // The outputs in render order, and what changed since the last render of the same site.
    let (list, own) = pages_but_home(site, templates, last.as_mut(), fingerprints.is_some());
    let shows = match last.as_mut() {
        Some(last) => std::mem::take(&mut last.homes),
        None => languages.clone().map(|lang| Home::of(site, lang)).collect(),
    };
    let templates_fingerprint = templates.fingerprint_all();
    let changed = last.as_ref().zip(fingerprints.as_ref()).and_then(|(last, f)| {
        Changed::since(last, site, f, templates_fingerprint, languages.len() + list.len())
    });
    let (homes, homes_kept) =
        home_pages(site, summaries, &cards, &shows, changed.as_ref(), wanted)?;
    let targets = Targets { homes: &homes, pages: &list, articles: site.library.articles.len() };

    // The plan, then one loop that renders what it says.
    let plan = Planner {
        site,
        templates,
        fingerprints: fingerprints.as_ref(),
        own: &own,
        last: last.as_ref(),
        files: memo.as_deref().filter(|_| last.is_none()).map(|memo| &memo.files),
        changed: changed.as_ref(),
        homes_kept: &homes_kept,
        wanted,
        targets,
    }
    .plan();
    let wanted_at = wanted.map(|w| (w.version(), plan.iter().map(|(at, _)| *at).collect()));
    let main = MainLoop { site, templates, vars: &shared.vars, targets, staging };
    let outputs = render_all(main, summaries, &cards, plan);
    let same_site = last.is_some();
    let mut collected = collect(outputs, targets.len(), wanted.is_some(), same_site)?;

    // The files that list the pages, then what the memo keeps for the next render.
    let previous = fingerprints
        .as_ref()
        .zip(memo.as_deref())
        .map(|(f, memo)| previous(f, memo, changed.as_ref()));
    let kept_sitemaps = last.as_ref().filter(|_| changed.is_some()).map(|last| &last.sitemaps);
    let pages = homes.iter().chain(&list);
    let listed = Listed { previous: previous.as_ref(), staging, wanted };
    let sitemaps = add_listings(site, pages, kept_sitemaps, &listed, &mut collected)?;
    let aliases = match last.as_mut() {
        Some(last) => std::mem::take(&mut last.aliases),
        None => aliases(site, &collected.files, wanted.map(|_| homes.iter().chain(&list)))?,
    };

    if let (Some(memo), Some(f)) = (memo, fingerprints) {
        let inputs = inputs(site, &f, templates_fingerprint, last.map(|last| last.inputs));
        let next = collected.in_order.map(|in_order| LastRender {
            generation: site.generation,
            pages: list,
            own,
            in_order,
            homes: shows,
            breaking,
            wanted: wanted_at,
            aliases: aliases.clone(),
            inputs,
            sitemaps,
        });
        memo.record(same_site, collected.fresh, next);
        if let Some(wanted) = wanted {
            memo.files.retain(|path, _| wanted.has(path));
        }
    }
    let mut files = collected.files;
    let redirects = aliases.len();
    files.extend(aliases);
    Ok(Rendered { files, rendered_pages: collected.rendered_pages, redirects })
}

/// The home page of each language, from what each shows (`shows`), and whether `changed` keeps
/// each; the variables of a home page are made only when it is rendered (it is not kept, and
/// wanted in a render on request).
fn home_pages(
    site: &Site<'_>,
    summaries: &mut Summaries,
    cards: &Cards<'_>,
    shows: &[Home],
    changed: Option<&Changed<'_>>,
    wanted: Option<&Wanted>,
) -> Result<(Vec<Page>, Vec<bool>), Vec<Diagnostic>> {
    let mut homes = Vec::new();
    let mut homes_kept = Vec::new();
    for (lang, shows) in shows.iter().enumerate() {
        let kept = changed.is_some_and(|changed| changed.keeps_home(lang, shows));
        let wanted_home = wanted.is_none_or(|w| w.has(&site.config.languages[lang].prefix));
        let rendered = !kept && wanted_home;
        if rendered {
            summaries.with_cards(shows.shows(), cards).map_err(|e| vec![e])?;
        }
        let mut summary = |id| summaries.value(id);
        let summary: Option<&mut dyn FnMut(ArticleId) -> tera::Value> =
            rendered.then_some(&mut summary);
        homes.push(home_page(site, shows, summary));
        homes_kept.push(kept);
    }
    alternates::add_to_pages(site, &mut homes);
    Ok((homes, homes_kept))
}

/// The redirect pages of aliases, checked against the paths of `files` and, in a render on
/// request, of every page and article, rendered or not (`pages`).
fn aliases<'p>(
    site: &Site<'_>,
    files: &[OutputFile],
    pages: Option<impl Iterator<Item = &'p Page>>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let rendered = files.iter().map(|f| std::borrow::Cow::Borrowed(f.path.as_str()));
    let Some(pages) = pages else { return alias::render(site, rendered) };
    let articles = site.library.articles.iter().map(|a| a.path.as_str());
    let every = pages.map(|page| page.path.as_str()).chain(articles);
    alias::render(site, rendered.chain(every.map(|path| output_path(path).into())))
}

/// What this render's fingerprints were made of, for the next render to compare with; the copy
/// of `related` in `last` (the last render's) is kept while it is current.
fn inputs(
    site: &Site<'_>,
    fingerprints: &Fingerprints<'_>,
    templates: u64,
    last: Option<Inputs>,
) -> Inputs {
    let related = last.filter(|last| last.related_version == site.related_version);
    Inputs {
        global: fingerprints.global,
        templates,
        summaries: fingerprints.summaries.to_vec(),
        sources: fingerprints.sources.to_vec(),
        related_version: site.related_version,
        related: related.map_or_else(|| site.related.to_vec(), |last| last.related),
    }
}

/// The last render's outputs as feeds and sitemaps look them up, with what they fingerprint.
fn previous<'m>(
    fingerprints: &Fingerprints<'m>,
    memo: &'m Memo,
    changed: Option<&'m Changed<'m>>,
) -> Previous<'m> {
    Previous {
        files: &memo.files,
        global: fingerprints.global,
        summaries: fingerprints.summaries,
        sources: fingerprints.sources,
        changed: changed.map(Changed::articles),
    }
}

/// The pages but the home page and the articles, and with `fingerprinted` the fingerprint of
/// each one's own variables: those of `last` (a render of the same site), else listed again.
fn pages_but_home(
    site: &Site<'_>,
    templates: &Templates,
    last: Option<&mut LastRender>,
    fingerprinted: bool,
) -> (Vec<Page>, Vec<u64>) {
    if let Some(last) = last {
        return (std::mem::take(&mut last.pages), std::mem::take(&mut last.own));
    }
    let mut list = listing_pages(site);
    alternates::add_to_pages(site, &mut list);
    let counted = templates.reads_total_items();
    let own = if fingerprinted { own_fingerprints(&list, counted) } else { vec![] };
    (list, own)
}

/// What the feeds and sitemaps of a render are made with besides the site.
struct Listed<'a> {
    /// The last render's outputs, with a memo.
    previous: Option<&'a Previous<'a>>,
    /// Where a one-off build's files go as they are made.
    staging: Option<&'a Staging>,
    /// In a render on request, the outputs to make.
    wanted: Option<&'a Wanted>,
}

/// Adds the feeds, the sitemaps and `robots.txt` of `pages` (and the articles) to `collected`,
/// and gives the sitemaps for the memo.
fn add_listings<'p>(
    site: &Site<'_>,
    pages: impl Iterator<Item = &'p Page> + Send,
    kept_sitemaps: Option<&Vec<(OutputFile, Option<u64>)>>,
    listed: &Listed<'_>,
    collected: &mut Collected,
) -> Result<Vec<(OutputFile, Option<u64>)>, Vec<Diagnostic>> {
    let Listed { previous, staging, wanted } = *listed;
    // The sitemaps are written on one thread: beside the feeds, which keep the others busy.
    let (feeds, sitemaps) = rayon::join(
        || feeds::render(site, previous, staging, wanted),
        || match wanted {
            Some(wanted) if !wanted.any(sitemap::is_listing_file) => Ok(Vec::new()),
            _ => sitemaps(site, pages, kept_sitemaps, previous, staging),
        },
    );
    let feeds = feeds.map_err(|e| vec![e])?;
    let sitemaps = sitemaps.map_err(|e| vec![e])?;
    for (file, fingerprint) in feeds.into_iter().chain(sitemaps.iter().cloned()) {
        // After a render of the same site, only what changed is remembered again.
        let fresh = match (collected.same_site, previous) {
            (false, _) => true,
            (true, Some(previous)) => fingerprint.is_some_and(|fp| {
                previous.files.get(&file.path).is_none_or(|last| last.fingerprint != fp)
            }),
            (true, None) => false,
        };
        collected.remember(&file, fingerprint, fresh);
        collected.files.push(file);
    }
    Ok(sitemaps)
}

/// The variables every page of each language shares: the language's own (`card_vars`, which
/// cards have too), then the lists and fragments every page shows, and with the
/// [`site_inputs`] (given with a memo) their fingerprint (one for every language: a change in
/// one renders the pages of all).
fn shared_vars(
    site: &Site<'_>,
    templates: &Templates,
    summaries: &mut Summaries,
    cards: &Cards<'_>,
    mut card_vars: Vec<tera::Context>,
    breaking: &[ArticleId],
    site_inputs: Option<u64>,
) -> Result<Shared, Diagnostic> {
    summaries.with_cards(site.most_read.iter().chain(breaking).copied(), cards)?;
    for (lang, vars) in card_vars.iter_mut().enumerate() {
        add_shared(vars, site, templates, &mut |id| summaries.value(id), breaking, lang)?;
    }
    let vars = card_vars;
    let global = site_inputs.map(|site_inputs| {
        let mut fp = Fingerprint::new();
        for vars in &vars {
            fp.add_value(&fingerprinted_vars(vars, templates));
        }
        fp.add(&site_inputs).finish()
    });
    Ok(Shared { vars, global })
}

/// What the main loop renders with: the site, its templates, the variables every page of each
/// language shares, the outputs by position, and where a one-off build's pages go.
#[derive(Clone, Copy)]
struct MainLoop<'a, 's> {
    site: &'a Site<'s>,
    templates: &'a Templates,
    vars: &'a [tera::Context],
    targets: Targets<'a>,
    staging: Option<&'a Staging>,
}

/// Renders what `plan` says, with the summaries of `summaries` (and their `cards`), in the
/// plan's order of positions. A one-off build (with staging) renders once: in the order of
/// [`order::by_time`], dropping each summary after its last use, and frees the rest after, as
/// the feeds need memory of their own.
fn render_all(
    main: MainLoop<'_, '_>,
    summaries: &mut Summaries,
    cards: &Cards<'_>,
    plan: Vec<(usize, Step)>,
) -> Vec<(usize, Result<Output, Diagnostic>)> {
    if main.staging.is_none() {
        return render_planned(main, &summaries.pool(cards), plan);
    }
    let (plan, uses) = order::by_time(main.site, main.targets, plan);
    let outputs = render_planned(main, &summaries.pool(cards).dropping_after(&uses), plan);
    summaries.clear();
    outputs
}

/// Renders what `plan` says for each of its positions among the targets, in parallel, with the
/// summaries of `pool`, in the plan's order as far as parallel work goes; a page rendered through
/// the templates goes into the staging folder at once when there is one. The outputs come back in
/// the order of their positions.
fn render_planned(
    main: MainLoop<'_, '_>,
    pool: &SummaryPool<'_>,
    plan: Vec<(usize, Step)>,
) -> Vec<(usize, Result<Output, Diagnostic>)> {
    let MainLoop { site, templates, vars, targets, staging } = main;
    // Each worker renders with its own copy of the shared variables, into which each page's own
    // are moved for its render and out after: a copy per page would cost as much as the render.
    let work = |ctx: &mut Vec<tera::Context>, target: Target<'_>, step: Step| match step {
        Step::Keep { fingerprint, contents } => {
            let file = OutputFile { path: output_path(target.path(site)), contents };
            Ok(Output { file, fingerprint: Some(fingerprint), rendered: false })
        }
        Step::Render { fingerprint } => {
            let file = match target {
                Target::Page(page) => {
                    render_page(site, templates, &mut ctx[page.lang], pool, page)?
                }
                Target::Article(id) => {
                    let ctx = &mut ctx[site.library.articles[id].lang];
                    render_article(site, templates, ctx, pool, id)?
                }
            };
            let file = match staging {
                Some(staging) => staging.put(file)?,
                None => file,
            };
            Ok(Output { file, fingerprint, rendered: true })
        }
    };
    // The pages kept cost next to nothing, and a build that renders a few thousand pages among
    // a hundred thousand kept had them all fall to one worker: rayon splits a range into as many
    // parts as there are workers and only splits a part further when another worker steals it.
    // The renders are split on their own, into parts small enough to share out.
    let (renders, keeps): (Vec<_>, Vec<_>) =
        plan.into_iter().partition(|(_, step)| matches!(step, Step::Render { .. }));
    let part = renders.len().div_ceil(rayon::current_num_threads() * PARTS_PER_WORKER).max(1);
    let mut outputs: Vec<_> = renders
        .into_par_iter()
        .with_max_len(part)
        .map_init(|| vars.to_vec(), |ctx, (at, step)| (at, work(ctx, targets.at(at), step)))
        .collect();
    outputs.par_extend(keeps.into_par_iter().map(|(at, step)| {
        let mut ctx = Vec::new();
        (at, work(&mut ctx, targets.at(at), step))
    }));
    outputs.par_sort_unstable_by_key(|(at, _)| *at);
    outputs
}

/// Into how many parts per worker the pages to render are split at least (see [`render_planned`]).
const PARTS_PER_WORKER: usize = 16;

/// A page other than an article, with its paginator's summaries checked out of `pool`.
fn render_page(
    site: &Site<'_>,
    templates: &Templates,
    ctx: &mut tera::Context,
    pool: &SummaryPool<'_>,
    page: &Page,
) -> Result<OutputFile, Diagnostic> {
    let mut vars = match tera::Context::clone(&page.context).into_json() {
        tera::Value::Object(vars) => vars,
        _ => Vars::new(),
    };
    if let Some(listing) = &page.listing {
        vars.insert("paginator".into(), listing.paginator(site, pool)?);
    }
    let (file, mut vars) =
        render_with(site, templates, ctx, (page.kind, page.lang), &page.path, vars)?;
    if let (Some(listing), Some(tera::Value::Object(mut paginator))) =
        (&page.listing, vars.remove("paginator"))
    {
        pool.check_in_all(&listing.ids, paginator.remove("items"));
    }
    Ok(file)
}

/// An article page: its summary with its body, and its related articles, checked out of `pool`.
fn render_article(
    site: &Site<'_>,
    templates: &Templates,
    ctx: &mut tera::Context,
    pool: &SummaryPool<'_>,
    id: ArticleId,
) -> Result<OutputFile, Diagnostic> {
    let article = &site.library.articles[id];
    let related = related_shown(site, id);
    let mut page = pool.check_out(id)?;
    if let tera::Value::Object(map) = &mut page {
        map.insert("content".into(), tera::Value::String(site.html(id).into_owned()));
    }
    let mut vars = Vars::new();
    vars.insert("page".into(), page);
    vars.insert("jsonld".into(), seo::article(site, id).into());
    vars.insert("related".into(), tera::Value::Array(pool.check_out_all(&related)?));
    let alternates = alternates::of_article(site, id);
    if !alternates.is_empty() {
        vars.insert("alternates".into(), tera::to_value(alternates).unwrap_or_default());
    }
    let kind = (Kind::Article, article.lang);
    let (file, mut vars) = render_with(site, templates, ctx, kind, &article.path, vars)?;
    if let Some(tera::Value::Object(mut page)) = vars.remove("page") {
        page.remove("content");
        pool.check_in(id, tera::Value::Object(page));
    }
    pool.check_in_all(&related, vars.remove("related"));
    Ok(file)
}

/// The outputs of the main loop, gathered, and what the memo is to remember of them.
struct Collected {
    /// Whether the last render rendered the same site (see [`Memo::take_last`]).
    same_site: bool,
    files: Vec<OutputFile>,
    rendered_pages: usize,
    /// Every page's fingerprint and bytes by position, if all were in memory.
    in_order: Option<InOrder>,
    /// The outputs the memo is to remember: every fingerprinted one after a render of another
    /// site, else those whose fingerprint changed (the memo is then updated in place: the same
    /// files exist).
    fresh: Vec<(String, Remembered)>,
}

impl Collected {
    fn remember(&mut self, file: &OutputFile, fingerprint: Option<u64>, fresh: bool) {
        let Some(fingerprint) = fingerprint else { return };
        if fresh && !matches!(file.contents, Contents::Copy(_)) {
            let contents = file.contents.clone();
            let remembered = Remembered { fingerprint, contents, kept_size: None };
            self.fresh.push((file.path.clone(), remembered));
        }
    }
}

/// Gathers `outputs` (by position among `len`, all of them unless `on_request`), or every
/// distinct error among them.
fn collect(
    outputs: Vec<(usize, Result<Output, Diagnostic>)>,
    len: usize,
    on_request: bool,
    same_site: bool,
) -> Result<Collected, Vec<Diagnostic>> {
    let in_order = match on_request {
        true => InOrder::Wanted { len, made: HashMap::default() },
        false => InOrder::Every(Vec::with_capacity(outputs.len())),
    };
    let mut collected = Collected {
        same_site,
        files: Vec::with_capacity(outputs.len()),
        rendered_pages: 0,
        in_order: Some(in_order),
        // After a render of another site (a one-off build's), every output is remembered.
        fresh: Vec::with_capacity(if same_site { 0 } else { outputs.len() }),
    };
    let mut errors: Vec<Diagnostic> = Vec::new();
    for (position, output) in outputs {
        match output {
            Ok(Output { file, fingerprint, rendered }) => {
                collected.rendered_pages += usize::from(rendered);
                collected.remember(&file, fingerprint, !same_site || rendered);
                match (fingerprint, &file.contents, &mut collected.in_order) {
                    (Some(fp), Contents::Bytes(bytes), Some(InOrder::Every(in_order))) => {
                        in_order.push((fp, bytes.clone()))
                    }
                    (Some(fp), Contents::Bytes(bytes), Some(InOrder::Wanted { made, .. })) => {
                        made.insert(position, (fp, bytes.clone()));
                    }
                    // Not fingerprinted, or kept from a previous build's files (not in memory):
                    // the next render can't look pages up by position.
                    _ => collected.in_order = None,
                }
                collected.files.push(file);
            }
            // A template error repeats on every page that uses the template: report it once.
            Err(err) => {
                if !errors.iter().any(|e| e.to_string() == err.to_string()) {
                    errors.push(err);
                }
            }
        }
    }
    if errors.is_empty() { Ok(collected) } else { Err(errors) }
}

/// The sitemaps: kept from the last render when only article texts changed (they list paths and
/// dates, which only a new site generation changes), else written for every HTML page but 404 and search.
fn sitemaps<'p>(
    site: &Site<'_>,
    pages: impl Iterator<Item = &'p Page> + Send,
    kept: Option<&Vec<(OutputFile, Option<u64>)>>,
    previous: Option<&Previous<'_>>,
    staging: Option<&Staging>,
) -> Result<Vec<(OutputFile, Option<u64>)>, Diagnostic> {
    if let Some(kept) = kept.filter(|kept| !kept.is_empty()) {
        return Ok(kept.clone());
    }
    // The articles oldest first (they are numbered newest first), then the other pages: see
    // `sitemap::render`.
    let articles = site.library.articles.iter().enumerate().rev();
    let entries: Vec<sitemap::Entry<'_>> = articles
        .map(|(id, article)| sitemap::Entry {
            path: &article.path,
            lastmod: Some(last_change(article)),
            article: Some(id),
            alternates: alternates::of_article(site, id),
        })
        .chain(pages.filter(|page| !matches!(page.kind, Kind::NotFound | Kind::Search)).map(
            |page| {
                sitemap::Entry {
                    path: &page.path,
                    lastmod: page.lastmod.as_ref(),
                    article: None,
                    alternates: page
                        .context
                        .get("alternates")
                        .and_then(|value| serde_json::from_value(value.clone()).ok())
                        .unwrap_or_default(),
                }
            },
        ))
        .collect();
    sitemap::render(site, &entries, previous, staging)
}
