//! A build kept in memory between rebuilds ([`Session`]), and the changes that drive it
//! ([`Change`]), as `serve` and `build --watch` see them.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::error::{Diagnostic, Errors};
use crate::markdown::Highlighter;
use crate::render::Memo;

use super::model::rendering::RenderMode;
use super::model::{Carried, Model, TemplatesAre};
use super::options::{BuildOptions, Built, OnRequest, Steps, build_time, cache_settings, step};

/// What changed in a site folder since the last build, as `serve` and `build --watch` see it.
/// Paths are relative to the site root (`content/politics/x.md`, `static/css/site.css`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Change {
    /// A Markdown article under `content/` was written, created, renamed or deleted.
    Article(PathBuf),
    /// A section changed: its `_index.md` (or the home page's), or a folder under `content/` was
    /// created, renamed or deleted.
    Section,
    /// A file under `data/`.
    Data,
    /// A file copied as is: under `static/`, a theme's `static/`, or an asset of an article bundle.
    Static(PathBuf),
    /// A template, a theme's i18n strings or its `theme.toml`.
    Template,
    /// `config.toml`.
    Config,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Article(path) | Change::Static(path) => write!(f, "{}", path.display()),
            Change::Section => f.write_str("sections"),
            Change::Data => f.write_str("data"),
            Change::Template => f.write_str("templates"),
            Change::Config => f.write_str("config.toml"),
        }
    }
}

/// A build kept in memory between rebuilds (`serve`, `build --watch`), so that a change costs
/// only what it touches:
///
/// - an article whose front matter is unchanged (an edit of its text) is re-read and re-rendered
///   alone, and related articles are recomputed only if its summary changed;
/// - a template change reloads the templates; a data change reloads `data/` and what derives
///   from it (authors, most read); a static file change re-renders nothing;
/// - anything else (a new, deleted or renamed article, changed front matter, a section,
///   `config.toml`) reloads the content, reusing the Markdown of every unchanged article.
///
/// Then every page is fingerprinted (see `render::Memo`) and only pages whose inputs changed
/// go through the templates. The result always equals a clean build of the same files at the
/// same build time.
pub struct Session {
    opts: BuildOptions,
    highlighter: Highlighter,
    model: Option<Model>,
    memo: Memo,
    /// The build time: pinned at the first build, so that rebuilds do not change every page;
    /// it moves on when the day changes in the site's time zone.
    now: Option<jiff::Timestamp>,
    /// Changes of failed rebuilds, applied with the next ones.
    pending: Vec<Change>,
    /// Whether rebuilds leave the search index to the caller ([`Built::search`]).
    defer_search: bool,
    /// Whether the first build takes what it can from the build cache of the last `midad
    /// build` into `opts.output`.
    reuse_build_cache: bool,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("opts", &self.opts)
            .field("built", &self.model.is_some())
            .field("now", &self.now)
            .field("pending", &self.pending)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session with nothing built yet.
    pub fn new(opts: BuildOptions) -> Session {
        Session {
            opts,
            highlighter: Highlighter::new(),
            model: None,
            memo: Memo::default(),
            now: None,
            pending: Vec::new(),
            defer_search: false,
            reuse_build_cache: false,
        }
    }

    /// A session whose first build takes front matter, summaries, search stems and related
    /// lists of unchanged articles from the build cache the last `midad build` left beside
    /// `opts.output` (see [`crate::cache`]): a preview of a large site is ready sooner.
    pub fn reusing_build_cache(mut self) -> Session {
        self.reuse_build_cache = true;
        self
    }

    /// What the build cache of the last `midad build` (without `--base-url`) gives the first
    /// build. A body that calls a shortcode or embeds an address may show the site's address:
    /// it is rendered again when this session's address is another.
    fn build_cache(&self) -> Carried {
        let build = BuildOptions { base_url: None, ..self.opts.clone() };
        let mut cached = crate::cache::load(&self.opts.output, cache_settings(&build));
        if self.opts.base_url.is_some() {
            for article in cached.articles.values_mut() {
                article.body = article.body.take().filter(|body| !body.calls);
            }
        }
        Carried::from_cache(cached)
    }

    /// A session whose rebuilds leave the search index to the caller, in [`Built::search`]: a
    /// preview makes it while it serves the pages.
    pub fn deferring_search(mut self) -> Session {
        self.defer_search = true;
        self
    }

    /// Rebuilds after `changes` (the first call builds everything). On failure the last good
    /// build stays the base of the next rebuild, and `changes` are kept for it.
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Built, Errors> {
        self.rebuild_wanted(changes, None)
    }

    /// [`Session::rebuild`], rendering only what `on_request` asks for when it is given (`midad
    /// serve`, which renders a page when a browser asks for it): the other outputs are left out
    /// of [`Built::files`], and the memo forgets them.
    pub fn rebuild_wanted(
        &mut self,
        changes: &[Change],
        on_request: Option<OnRequest<'_>>,
    ) -> Result<Built, Errors> {
        let start = Instant::now();
        let mut steps = Steps::new();
        self.pending.extend(changes.iter().cloned());
        let now = self.now()?;
        let pending = std::mem::take(&mut self.pending);
        match self.apply(&pending, now, &mut steps) {
            Ok(()) => {}
            Err(errors) => {
                self.pending = pending;
                return Err(errors);
            }
        }
        self.now = Some(now);
        let Some(model) = &mut self.model else {
            return Err(Diagnostic::internal("no build to render").into());
        };
        let mode = RenderMode::Session {
            memo: &mut self.memo,
            highlighter: &self.highlighter,
            defer_search: self.defer_search,
            on_request,
        };
        model.render(&self.opts, mode, steps, start)
    }

    /// The build time of the next rebuild.
    fn now(&self) -> Result<jiff::Timestamp, Diagnostic> {
        let fresh = build_time(self.opts.now)?;
        let Some((pinned, model)) = self.now.zip(self.model.as_ref()) else { return Ok(fresh) };
        let tz = &model.config.timezone;
        let same_day = pinned.to_zoned_datetime(tz.clone()).date()
            == fresh.to_zoned_datetime(tz.clone()).date();
        Ok(if same_day { pinned } else { fresh })
    }

    /// Brings the model up to date with `changes`, as cheaply as is correct.
    fn apply(
        &mut self,
        changes: &[Change],
        now: jiff::Timestamp,
        steps: &mut Steps,
    ) -> Result<(), Errors> {
        let mut t = Instant::now();
        let reload = match self.update(changes, now)? {
            Update::InPlace => None,
            Update::Reload => Some(TemplatesAre::Changed),
            Update::ReloadKeepingTemplates => Some(TemplatesAre::Unchanged),
        };
        if let Some(templates) = reload {
            let carried = match self.model.take() {
                None if self.reuse_build_cache => self.build_cache(),
                model => Carried::from(model, templates),
            };
            self.model = Some(Model::load(&self.opts, now, &self.highlighter, carried, steps)?);
            return Ok(());
        }
        step(steps, "content", &mut t);
        let Some(model) = self.model.as_mut() else { return Ok(()) };
        let has = |pred: fn(&Change) -> bool| changes.iter().any(pred);
        if has(|c| matches!(c, Change::Static(_))) {
            model.static_files = None;
        }
        if has(|c| matches!(c, Change::Data)) {
            model.reload_data(&self.opts)?;
        }
        if has(|c| matches!(c, Change::Template | Change::Data)) {
            model.reload_templates(&self.opts)?;
        }
        Ok(())
    }

    /// How the model takes `changes`: edits of articles' texts are patched into it here.
    fn update(&mut self, changes: &[Change], now: jiff::Timestamp) -> Result<Update, Errors> {
        let has = |pred: fn(&Change) -> bool| changes.iter().any(pred);
        let model = match self.model.as_mut() {
            // The first build, or the day changed.
            Some(model) if Some(now) == self.now => model,
            _ => return Ok(Update::Reload),
        };
        if has(|c| matches!(c, Change::Config | Change::Section)) {
            return Ok(Update::Reload);
        }
        let articles: Vec<&Path> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Article(path) => Some(path.as_path()),
                _ => None,
            })
            .collect();
        // A file added to or deleted from an article bundle changes the article's assets,
        // which only a load of the content lists; an image, the photos made of it and the
        // pages showing them.
        let bundles_changed = changes.iter().any(|c| match c {
            Change::Static(path) => {
                crate::images::gallery::is_image_name(&path.to_string_lossy())
                    || path.strip_prefix("content").is_ok_and(|rel| {
                        model.has_asset(rel) != self.opts.root.join(path).is_file()
                    })
            }
            _ => false,
        });
        if !bundles_changed && model.patch_articles(&articles, &self.opts, &self.highlighter)? {
            Ok(Update::InPlace)
        } else if has(|c| matches!(c, Change::Template | Change::Data)) {
            Ok(Update::Reload)
        } else {
            Ok(Update::ReloadKeepingTemplates)
        }
    }
}

/// How a rebuild brings a session's model up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Update {
    /// Load the site again, reusing the Markdown of unchanged articles.
    Reload,
    /// The same, keeping the templates: none changed.
    ReloadKeepingTemplates,
    /// Keep the model: edited articles' texts were patched into it; `data/`, templates and
    /// static files are refreshed if they changed.
    InPlace,
}
