//! The render of a [`Model`]: how its pages are made and where they go ([`RenderMode`]), and
//! the search index made beside them.

use std::time::Instant;

use crate::content::ArticleId;
use crate::error::Errors;
use crate::markdown::Highlighter;
use crate::output::{OutputFile, Staging};
use crate::render::{self, Body, Html, Memo, Site, Summaries};
use crate::search::{self, Held};

use crate::pipeline::assets::{add_copies, static_files, without_photos};
use crate::pipeline::body::LateBodies;
use crate::pipeline::options::{BuildOptions, BuildReport, Built, OnRequest, Step, Steps, step};
use crate::pipeline::spill::Spill;

use super::Model;
use super::photos::{HeldOutput, PhotoWork};

impl Model {
    /// The search documents kept from the last render, for a render that makes the index
    /// (`wanted`); none for one that does not, which frees them.
    fn take_search_documents(&mut self, wanted: bool) -> search::Documents {
        let documents = std::mem::take(&mut self.search_documents);
        if wanted { documents } else { search::Documents::default() }
    }

    /// Renders every page and gathers the files to copy.
    pub(crate) fn render(
        &mut self,
        opts: &BuildOptions,
        mut mode: RenderMode<'_>,
        mut steps: Steps,
        start: Instant,
    ) -> Result<Built, Errors> {
        let mut t = Instant::now();
        // Warnings are reported once, by the build that found them.
        let mut warnings = std::mem::take(&mut self.load_warnings);
        warnings.extend(std::mem::take(&mut self.derived_warnings));
        let (defer_search, search, keep_documents) = mode.search();
        let mut search_documents = self.take_search_documents(search);
        // The photo links the output holds already, which a build keeps as they are, and the
        // search index files it holds.
        let (held, held_index) = match &mut mode {
            RenderMode::Build { memo, .. } => (
                HeldOutput { links: std::mem::take(&mut memo.links), photos: memo.photos.take() },
                std::mem::take(&mut memo.hashed),
            ),
            _ => (HeldOutput::default(), foldhash::HashMap::default()),
        };
        let photo_work = mode.photo_work();
        let staging = mode.staging();
        let (render_mode, highlighter) = mode.for_render();
        let fingerprinted = !matches!(render_mode, render::Mode::Once);
        // The HTML of a body taken from the build cache, for a page or feed that needs it.
        let late = LateBodies::new(
            &self.library,
            &self.templates,
            &self.photos,
            &self.config,
            highlighter,
            opts,
        );
        let (bodies, spill) = (&self.bodies, self.spill.as_ref());
        let markdown = |id: ArticleId| html_elsewhere(&bodies[id], spill, &late, id);
        let kept_summaries = self.summaries.take();
        let site = self.site(&markdown);
        // Summaries are kept between rebuilds; only those of patched articles are recomputed.
        let mut summaries = match kept_summaries {
            // A one-off build's render frees them.
            Some(mut summaries) if summaries.len() == self.library.articles.len() => {
                summaries.refresh(&site, &self.stale);
                summaries
            }
            _ => Summaries::new(&site, fingerprinted),
        };
        let index = Held { output: &opts.output, hashes: &held_index };
        let target =
            staging.map_or_else(search::Target::default, |s| search::Target::staged(s, index));
        let (templates, config) = (&self.templates, &self.config);
        let (vocabulary, stale) = (&self.vocabulary, &self.stale);
        // A build after a build usually keeps most pages, and its render holds little: the
        // index is made beside it, on the cores the render's serial parts leave idle. Beside the
        // render of every page of a cold build it would add its memory to the render's peak.
        let beside =
            matches!(&render_mode, render::Mode::Stage { memo, .. } if memo.previous.is_some());
        let kept = &mut summaries;
        let render = || render::render_site(&site, templates, kept, render_mode);
        // The index: made now, or handed to the caller to make while the pages are served.
        let index = || {
            let t = Instant::now();
            let kept = keep_documents.then_some((&mut search_documents, &stale[..]));
            let searched = (config.search.enabled && search)
                .then(|| make_index(&site, templates, vocabulary, kept, defer_search, target));
            (searched.unwrap_or(Ok((None, None))), Step::ended("search", t))
        };
        let (rendered, searched) = render_and_index(beside, render, index, &mut steps, &mut t);
        self.search_documents = search_documents;
        let (search, deferred) = searched?;
        self.summaries = Some(summaries);
        self.stale.clear();
        let rendered = rendered.map_err(Errors::new)?;
        let unread = late.into_errors();
        if !unread.is_empty() {
            return Err(Errors::new(unread));
        }
        let mut files = rendered.files;
        let html = files.iter().filter(|f| f.path.ends_with(".html")).count();
        let pages = html.saturating_sub(rendered.redirects);
        let search = search.map(|indexed| {
            warnings.extend(indexed.warnings);
            files.extend(indexed.files);
            self.index_hashes = indexed.hashes;
            indexed.stats
        });

        files.push(OutputFile::bytes("css/syntax.css", self.syntax_css.clone()));
        let copies = match self.static_files.take() {
            Some(copies) => copies,
            None => static_files(&opts.root, &self.config, &self.library),
        };
        self.static_files = Some(copies.clone());
        add_copies(&mut files, without_photos(copies));
        step(&mut steps, "assets", &mut t);
        let (made, photo_files) = self.make_photos(photo_work, &opts.output, held, &mut warnings);
        files.extend(photo_files);
        step(&mut steps, "images", &mut t);

        let report = BuildReport {
            pages,
            redirects: rendered.redirects,
            rendered_pages: rendered.rendered_pages,
            files: files.len(),
            articles: self.library.articles.len(),
            skipped_drafts: self.skipped_drafts,
            skipped_future: self.skipped_future,
            warnings,
            steps,
            elapsed: start.elapsed(),
            images: made,
            search,
            external: None,
        };
        Ok(Built { files, report, search: deferred })
    }

    /// The model, borrowed for a render; `markdown` renders a body the build cache left without
    /// HTML.
    fn site<'a>(&'a self, markdown: &'a (dyn Fn(ArticleId) -> String + Sync)) -> Site<'a> {
        Site {
            config: &self.config,
            library: &self.library,
            rendered: &self.bodies,
            markdown,
            taxonomy: &self.taxonomy,
            data: &self.data,
            most_read: &self.most_read,
            related: &self.related,
            related_version: self.related_version,
            photos: &self.photos,
            now: &self.now,
            shortcodes: self.templates.shortcodes_fingerprint(),
            generation: self.generation,
        }
    }
}

/// How a model is rendered, and where its pages go (see [`render::Mode`]).
pub(crate) enum RenderMode<'a> {
    /// In memory, once (`pipeline::render`).
    Once,
    /// In memory, once, without making photos (`pipeline::check`): only what is wrong matters.
    Check,
    /// In memory, as a session's rebuild: `memo` keeps every output for the next one, and the
    /// session's `highlighter` renders any Markdown a page needs. With `defer_search`, the
    /// search index is left to the caller ([`Built::search`]). With `on_request`, only what it
    /// asks for is made (`midad serve`).
    Session {
        memo: &'a mut Memo,
        highlighter: &'a Highlighter,
        defer_search: bool,
        on_request: Option<OnRequest<'a>>,
    },
    /// Each page written into `staging` as it is rendered (`pipeline::build`), with the memo of
    /// the last build and the story cards it kept.
    Build {
        memo: &'a mut Memo,
        staging: &'a Staging,
        cards: Option<&'a crate::card_cache::CardCache>,
    },
}

impl<'a> RenderMode<'a> {
    /// Whether the search index is left to the caller, whether it is made at all (a preview
    /// that nobody searches makes none), and whether its documents are kept for the next render:
    /// a session keeps them; any other render makes each as the index needs it, and holds none.
    fn search(&self) -> (bool, bool, bool) {
        match self {
            RenderMode::Session { defer_search, on_request, .. } => {
                (*defer_search, on_request.is_none_or(|on_request| on_request.search), true)
            }
            _ => (false, true, false),
        }
    }

    /// The staging folder a one-off build writes into.
    fn staging(&self) -> Option<&'a Staging> {
        match self {
            RenderMode::Build { staging, .. } => Some(staging),
            _ => None,
        }
    }

    /// What the render keeps and where its pages go, and the session's highlighter, if any.
    fn for_render(self) -> (render::Mode<'a>, Option<&'a Highlighter>) {
        match self {
            RenderMode::Once | RenderMode::Check => (render::Mode::Once, None),
            RenderMode::Session { memo, highlighter, on_request: None, .. } => {
                (render::Mode::Remember(memo), Some(highlighter))
            }
            RenderMode::Session { memo, highlighter, on_request: Some(on_request), .. } => {
                let wanted = on_request.wanted;
                (render::Mode::OnRequest { memo, wanted }, Some(highlighter))
            }
            RenderMode::Build { memo, staging, cards } => {
                (render::Mode::Stage { memo, staging, cards }, None)
            }
        }
    }

    /// When photos are made: a one-off build shows a progress bar while it makes them; a session
    /// makes them in the background, so its first page doesn't wait for a thousand photos.
    fn photo_work(&self) -> PhotoWork {
        match self {
            RenderMode::Build { .. } => PhotoWork::Now { progress: true },
            RenderMode::Once => PhotoWork::Now { progress: false },
            RenderMode::Check => PhotoWork::Skip,
            RenderMode::Session { .. } => PhotoWork::Background,
        }
    }
}

/// Runs `render` and `index`, beside each other when `beside`, else one after the other, and
/// records their steps: the render's until both are done, the index's as long as it took.
fn render_and_index<R: Send, S: Send>(
    beside: bool,
    render: impl FnOnce() -> R + Send,
    index: impl FnOnce() -> (S, Step) + Send,
    steps: &mut Steps,
    t: &mut Instant,
) -> (R, S) {
    let (rendered, (searched, search_step)) = if beside {
        let (rendered, searched) = rayon::join(render, index);
        step(steps, "render", t);
        (rendered, searched)
    } else {
        let rendered = render();
        step(steps, "render", t);
        (rendered, index())
    };
    crate::progress::finished_step(search_step.name);
    steps.push(search_step);
    *t = Instant::now();
    (rendered, searched)
}

/// The search index of `site`: from the session's documents when it keeps them (`kept`, with
/// the articles edited since they were made), run now or handed back (`defer`); else from
/// documents made from the site as the index needs them, now.
fn make_index(
    site: &Site<'_>,
    templates: &crate::templates::Templates,
    vocabulary: &std::sync::Arc<search::Vocabulary>,
    kept: Option<(&mut search::Documents, &[ArticleId])>,
    defer: bool,
    target: search::Target<'_>,
) -> Result<Searched, Errors> {
    let languages = site.config.languages.len();
    let dates: Vec<_> = (0..languages).map(|lang| templates.dates(lang)).collect();
    match kept {
        Some((documents, edited)) => {
            documents.update(site, &dates, vocabulary, edited);
            run_search(documents.job(vocabulary, site.config.search.weights.body), defer, target)
        }
        None => {
            let documents = search::SiteDocuments::new(site, &dates, vocabulary);
            let indexed = documents.job(vocabulary).run_into(target);
            indexed.map(|indexed| (Some(indexed), None)).map_err(|e| Errors::new(vec![e]))
        }
    }
}

/// What a search job made, or the job, handed back to be run later.
type Searched = (Option<search::Indexed>, Option<search::Job<'static>>);

/// Runs the search `job` into `target` now, or hands it back to be run later (`defer`).
fn run_search(
    job: search::Job<'static>,
    defer: bool,
    target: search::Target<'_>,
) -> Result<Searched, Errors> {
    if defer {
        return Ok((None, Some(job)));
    }
    Ok((Some(job.run_into(target).map_err(|e| Errors::new(vec![e]))?), None))
}

/// The HTML of `body` (article `id`'s) when it is not in memory: read back from the `spill`
/// file, or rendered now (`late`).
fn html_elsewhere(
    body: &Body,
    spill: Option<&Spill>,
    late: &LateBodies<'_>,
    id: ArticleId,
) -> String {
    match (&body.html, spill) {
        (Html::Spilled(place), Some(spill)) => spill.get(*place).unwrap_or_else(|_| late.html(id)),
        _ => late.html(id),
    }
}
