//! `build`: the ordered, timed steps that turn a site folder into its output.
//!
//! config → data → content → slugs and URLs → Markdown → taxonomy → templates → pages → static
//! files → output. Each step is a function over the results of the ones before it; nothing is
//! set on a shared object in an order that matters. Errors of the loading steps are collected, so
//! one build reports every bad file; the output is written only when there are none.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::arabic::date::DateFormatter;
use crate::arabic::{excerpt, reading_time};
use crate::config::{self, Config};
use crate::content::{self, ArticleId, Library, LoadOptions};
use crate::data::{self, Data};
use crate::error::{Error, Errors, Location};
use crate::markdown::{self, Highlighter, MarkdownOptions};
use crate::output::{self, OutputFile};
use crate::render::{self, Body, Site};
use crate::taxonomy::Taxonomy;
use crate::templates::{FilterSettings, Templates};
use crate::{cache, related, taxonomy};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The output folder (`public/` under the root by default).
    pub output: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Include embargoed (future-dated) articles.
    pub future: bool,
    /// Overrides `base_url` of config.toml.
    pub base_url: Option<String>,
    /// The build time; `None` reads `SOURCE_DATE_EPOCH`, else the clock.
    pub now: Option<jiff::Timestamp>,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// HTML pages written.
    pub pages: usize,
    /// HTML pages rendered through the templates: all of them for a build, only those whose
    /// inputs changed for a rebuild of a [`Session`].
    pub rendered_pages: usize,
    /// All files written.
    pub files: usize,
    /// Articles published.
    pub articles: usize,
    /// Drafts left out.
    pub skipped_drafts: usize,
    /// Embargoed articles left out.
    pub skipped_future: usize,
    /// Problems that did not stop the build.
    pub warnings: Vec<Error>,
    /// Each step and how long it took.
    pub steps: Vec<(&'static str, Duration)>,
    /// Wall time of the whole build.
    pub elapsed: Duration,
}

/// Builds the site and writes it to `opts.output`.
///
/// A page whose fingerprint equals the one the last build recorded (in a manifest beside the
/// output folder) is not rendered again: its file is hard-linked from the previous output, so it
/// keeps its modification time.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Errors> {
    let start = Instant::now();
    let mut steps = Steps::new();
    let mut t = Instant::now();
    let mut memo = render::Memo::from_output(&opts.output);
    let settings = cache_settings(opts);
    let cached = cache::load(&opts.output, settings);
    let reuse = Reuse { bodies: cached.bodies, templates: None, related: cached.related };
    step(&mut steps, "manifest", &mut t);
    let now = build_time(opts.now)?;
    let mut model = Model::load(opts, now, &Highlighter::new(), reuse, &mut steps)?;
    // Pages go to the staging folder as they are rendered; the output is swapped at the end.
    let staging = output::Staging::begin(&opts.output)?;
    let Built { files, mut report } =
        model.render(opts, None, Some(&mut memo), Some(&staging), steps, start)?;
    let t = Instant::now();
    // An output left as it was keeps its manifest, which still describes it.
    let replaced = staging.commit(&files)?;
    // The manifest and the build cache are independent files: written side by side.
    let (manifest, cache) = rayon::join(
        || if replaced { memo.save_for_output(&opts.output) } else { Ok(()) },
        || {
            let related =
                (related_inputs(&model.library, &model.data, &model.config), &model.related[..]);
            let articles = model.library.articles.iter().zip(&model.bodies);
            let articles = articles.map(|(a, body)| (a.source.as_path(), a.source_hash, body));
            cache::save(&opts.output, settings, related, articles)
        },
    );
    if let Err(err) = manifest.and(cache) {
        report.warnings.push(Error::write(&opts.output, err));
    }
    // Freeing the model (every article, body, summary and template) is a tenth of a second of
    // one core at 10,000 articles, after everything is written: a thread of its own does it,
    // which `midad build` does not wait for when it exits, and a long-running caller still gets
    // the memory back. Where no thread can be started, it is freed here.
    let garbage = (model, memo, files);
    let _ = std::thread::Builder::new().name("free".into()).spawn(move || drop(garbage));
    report.steps.push(("write", t.elapsed()));
    report.elapsed = start.elapsed();
    Ok(report)
}

/// A build in memory: every output file, and the report.
#[derive(Debug)]
pub struct Built {
    /// The files of the site, not yet written.
    pub files: Vec<OutputFile>,
    /// What the build did.
    pub report: BuildReport,
}

/// Builds the site in memory, writing nothing.
pub fn render(opts: &BuildOptions) -> Result<Built, Errors> {
    let start = Instant::now();
    let mut steps = Steps::new();
    let now = build_time(opts.now)?;
    let mut model = Model::load(opts, now, &Highlighter::new(), Reuse::default(), &mut steps)?;
    model.render(opts, None, None, None, steps, start)
}

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
/// Then every page is fingerprinted (see [`render::Memo`]) and only pages whose inputs changed
/// go through the templates. The result always equals a clean build of the same files at the
/// same build time.
pub struct Session {
    opts: BuildOptions,
    highlighter: Highlighter,
    model: Option<Model>,
    memo: render::Memo,
    /// The build time: pinned at the first build, so that rebuilds do not change every page;
    /// it moves on when the day changes in the site's time zone.
    now: Option<jiff::Timestamp>,
    /// Changes of failed rebuilds, applied with the next ones.
    pending: Vec<Change>,
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
            memo: render::Memo::default(),
            now: None,
            pending: Vec::new(),
        }
    }

    /// Rebuilds after `changes` (the first call builds everything). On failure the last good
    /// build stays the base of the next rebuild, and `changes` are kept for it.
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Built, Errors> {
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
            return Err(Errors(vec![Error::Internal { message: "no build to render".into() }]));
        };
        model.render(&self.opts, Some(&self.highlighter), Some(&mut self.memo), None, steps, start)
    }

    /// The build time of the next rebuild.
    fn now(&self) -> Result<jiff::Timestamp, Error> {
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
        let opts = &self.opts;
        let has = |pred: fn(&Change) -> bool| changes.iter().any(pred);
        let articles: Vec<&Path> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Article(path) => Some(path.as_path()),
                _ => None,
            })
            .collect();
        let mut t = Instant::now();
        // A full reload (keeping the templates or not), unless the articles can be patched.
        let reload = match self.model.as_mut() {
            // First build, or the day changed.
            _ if Some(now) != self.now => Some(false),
            None => Some(false),
            Some(_) if has(|c| matches!(c, Change::Config | Change::Section)) => Some(false),
            Some(model) => (!model.patch_articles(&articles, opts, &self.highlighter)?)
                .then(|| !has(|c| matches!(c, Change::Template | Change::Data))),
        };
        if let Some(keep_templates) = reload {
            let reuse = Reuse::from(self.model.take(), keep_templates);
            self.model = Some(Model::load(opts, now, &self.highlighter, reuse, steps)?);
            return Ok(());
        }
        step(steps, "content", &mut t);
        let Some(model) = self.model.as_mut() else { return Ok(()) };
        if has(|c| matches!(c, Change::Static(_))) {
            model.static_files = None;
        }
        if has(|c| matches!(c, Change::Data)) {
            model.reload_data(opts)?;
        }
        if has(|c| matches!(c, Change::Template | Change::Data)) {
            model.templates = load_templates(opts, &model.config, &model.data).map_err(Errors)?;
        }
        Ok(())
    }
}

/// The timed steps of a build.
type Steps = Vec<(&'static str, Duration)>;

fn step(steps: &mut Steps, name: &'static str, since: &mut Instant) {
    steps.push((name, since.elapsed()));
    *since = Instant::now();
}

/// What a full reload may take over from the last build.
#[derive(Default)]
struct Reuse {
    /// Rendered bodies by source path, with the hash of the file they came from.
    bodies: HashMap<PathBuf, (u64, Body)>,
    templates: Option<Templates>,
    /// Related articles of the last build, with the fingerprint of their inputs.
    related: Option<(u64, Vec<Vec<ArticleId>>)>,
}

impl Reuse {
    fn from(model: Option<Model>, keep_templates: bool) -> Reuse {
        let Some(model) = model else { return Reuse::default() };
        let bodies = model
            .library
            .articles
            .into_iter()
            .zip(model.bodies)
            .map(|(a, b)| (a.source, (a.source_hash, b)))
            .collect();
        Reuse { bodies, templates: keep_templates.then_some(model.templates), related: None }
    }
}

/// Everything a build computes before rendering pages, owned, so a session can keep it.
struct Model {
    config: Config,
    data: Data,
    library: Library,
    bodies: Vec<Body>,
    taxonomy: Taxonomy,
    related: Vec<Vec<ArticleId>>,
    /// New whenever `related` is recomputed.
    related_version: u64,
    /// The static files to copy, kept until a static file changes.
    static_files: Option<Vec<OutputFile>>,
    most_read: Vec<ArticleId>,
    templates: Templates,
    syntax_css: String,
    now: jiff::ZonedDateTime,
    /// Warnings of the content and data files, by where they come from.
    load_warnings: Vec<Error>,
    derived_warnings: Vec<Error>,
    skipped_drafts: usize,
    skipped_future: usize,
    /// The summaries of the last render, if nothing they show has changed since but the
    /// articles in `stale`.
    summaries: Option<render::Summaries>,
    stale: Vec<ArticleId>,
    /// See [`Site::generation`]: a new one on every load, and when `data/` changes.
    generation: u64,
}

/// A new [`Site::generation`], never given before in this process.
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Model {
    /// Loads and prepares the whole site.
    fn load(
        opts: &BuildOptions,
        now: jiff::Timestamp,
        highlighter: &Highlighter,
        mut reuse: Reuse,
        steps: &mut Steps,
    ) -> Result<Model, Errors> {
        let mut t = Instant::now();
        let mut config = config::load(&opts.root)?;
        if let Some(base_url) = &opts.base_url {
            config.set_base_url(base_url)?;
        }
        check_output(&opts.root, &opts.output)?;
        let now = now.to_zoned_datetime(config.timezone.clone());
        step(steps, "config", &mut t);

        let (data, mut errors) = data::load(&opts.root);
        let load_opts =
            LoadOptions { drafts: opts.drafts, future: opts.future, now: now.timestamp() };
        // The templates are parsed beside the content (they need only the config and `data/`);
        // their errors are reported after the content's, as before.
        let reused = reuse.templates.take();
        let (loaded, templates) = rayon::join(
            || content::load(&opts.root, &config, &load_opts),
            || match reused {
                Some(templates) => Ok(templates),
                None => load_templates(opts, &config, &data),
            },
        );
        errors.extend(loaded.errors);
        let load_warnings = loaded.warnings;
        let mut library = loaded.library;
        errors.extend(content::assign_urls(&mut library, &config));
        step(steps, "content", &mut t);

        let syntax_css = Highlighter::stylesheet(
            &config.markdown.highlight_theme,
            &config.markdown.highlight_theme_dark,
        )
        .map_err(|err| Error::Config {
            at: Location::file("config.toml"),
            message: err.to_string(),
        });
        let syntax_css = match syntax_css {
            Ok(css) => Some(css),
            Err(err) => {
                errors.push(err);
                None
            }
        };
        let bodies = render_bodies(&mut library, &config, highlighter, &mut reuse.bodies);
        step(steps, "markdown", &mut t);

        let (taxonomy, derived_warnings) = derive(&library, &data, &config);
        let related = match reuse.related.take() {
            Some((inputs, related)) if inputs == related_inputs(&library, &data, &config) => {
                related
            }
            _ => related_of(&library, &taxonomy, &bodies, &config),
        };
        let (most_read, most_read_warnings) = resolve_most_read(&library, &data, &config);
        let mut derived_warnings = derived_warnings;
        derived_warnings.extend(most_read_warnings);
        step(steps, "related", &mut t);

        let templates = match templates {
            Ok(t) => Some(t),
            Err(errs) => {
                errors.extend(errs);
                None
            }
        };
        step(steps, "templates", &mut t);
        let (Some(templates), Some(syntax_css), true) = (templates, syntax_css, errors.is_empty())
        else {
            return Err(Errors(errors));
        };
        Ok(Model {
            config,
            data,
            library,
            bodies,
            taxonomy,
            related,
            related_version: next_generation(),
            static_files: None,
            most_read,
            templates,
            syntax_css,
            now,
            load_warnings,
            derived_warnings,
            skipped_drafts: loaded.skipped_drafts,
            skipped_future: loaded.skipped_future,
            summaries: None,
            stale: Vec::new(),
            generation: next_generation(),
        })
    }

    /// Re-reads `data/` and recomputes what derives from it.
    fn reload_data(&mut self, opts: &BuildOptions) -> Result<(), Errors> {
        let (data, errors) = data::load(&opts.root);
        if !errors.is_empty() {
            return Err(Errors(errors));
        }
        let (taxonomy, warnings) = derive(&self.library, &data, &self.config);
        let (most_read, most_read_warnings) = resolve_most_read(&self.library, &data, &self.config);
        self.related = related_of(&self.library, &taxonomy, &self.bodies, &self.config);
        self.related_version = next_generation();
        self.taxonomy = taxonomy;
        self.most_read = most_read;
        self.derived_warnings = warnings;
        self.derived_warnings.extend(most_read_warnings);
        self.data = data;
        self.summaries = None;
        self.generation = next_generation();
        Ok(())
    }

    /// Applies edits of articles whose front matter did not change: re-reads and re-renders
    /// them in place. Returns `false`, changing nothing, when any of them needs a full reload
    /// (it is new, gone, or its front matter changed).
    fn patch_articles(
        &mut self,
        paths: &[&Path],
        opts: &BuildOptions,
        highlighter: &Highlighter,
    ) -> Result<bool, Errors> {
        let content_dir = opts.root.join("content");
        let mut patches = Vec::new();
        for path in paths {
            let Ok(rel) = path.strip_prefix("content") else { return Ok(false) };
            let Some(id) = self.library.articles.iter().position(|a| a.source == rel) else {
                return Ok(false);
            };
            if !content_dir.join(rel).is_file() {
                return Ok(false);
            }
            let parsed = content::read_and_parse(&content_dir, rel).map_err(|e| Errors(vec![e]))?;
            let article = &self.library.articles[id];
            if parsed.front_matter != article.front_matter {
                return Ok(false);
            }
            if parsed.hash != article.source_hash {
                patches.push((id, parsed));
            }
        }
        let opts = markdown_options(&self.config);
        let mut summaries_changed = false;
        for (id, parsed) in patches {
            let body = render_body(&parsed.body, &opts, highlighter, &self.config);
            let article = &mut self.library.articles[id];
            summaries_changed |=
                article.front_matter.summary.is_none() && body.summary != self.bodies[id].summary;
            article.source_hash = parsed.hash;
            self.bodies[id] = body;
            self.stale.push(id);
        }
        if summaries_changed {
            self.related = related_of(&self.library, &self.taxonomy, &self.bodies, &self.config);
            self.related_version = next_generation();
        }
        Ok(true)
    }

    /// Renders every page and gathers the static files.
    fn render(
        &mut self,
        opts: &BuildOptions,
        highlighter: Option<&Highlighter>,
        memo: Option<&mut render::Memo>,
        staging: Option<&output::Staging>,
        mut steps: Steps,
        start: Instant,
    ) -> Result<Built, Errors> {
        let mut t = Instant::now();
        // Warnings are reported once, by the build that found them.
        let mut warnings = std::mem::take(&mut self.load_warnings);
        warnings.extend(std::mem::take(&mut self.derived_warnings));
        // The HTML of a body taken from the build cache, for a page or feed that needs it. A
        // build loads the highlighter (tens of megabytes once its grammars are compiled) only
        // if it comes to that.
        let markdown_opts = markdown_options(&self.config);
        let library = &self.library;
        let loaded = std::sync::OnceLock::new();
        let markdown = |id: ArticleId| {
            let highlighter = highlighter.unwrap_or_else(|| loaded.get_or_init(Highlighter::new));
            markdown::render(&library.articles[id].body, &markdown_opts, highlighter).html
        };
        let site = Site {
            config: &self.config,
            library: &self.library,
            rendered: &self.bodies,
            markdown: &markdown,
            taxonomy: &self.taxonomy,
            data: &self.data,
            most_read: &self.most_read,
            related: &self.related,
            related_version: self.related_version,
            now: &self.now,
            generation: self.generation,
        };
        // Summaries are kept between rebuilds; only those of patched articles are recomputed.
        let mut summaries = match self.summaries.take() {
            // Freed by a one-off build's render.
            Some(mut summaries) if summaries.len() == self.library.articles.len() => {
                summaries.refresh(&site, &self.stale);
                summaries
            }
            _ => render::Summaries::new(&site, memo.is_some()),
        };
        let rendered = render::render_site(&site, &self.templates, &mut summaries, memo, staging);
        self.summaries = Some(summaries);
        self.stale.clear();
        let rendered = rendered.map_err(Errors)?;
        let mut files = rendered.files;
        let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
        step(&mut steps, "render", &mut t);

        files.push(OutputFile::bytes("css/syntax.css", self.syntax_css.clone()));
        let copies = match self.static_files.take() {
            Some(copies) => copies,
            None => static_files(&opts.root, &self.config, &self.library),
        };
        self.static_files = Some(copies.clone());
        let mut copies = copies;
        // A `robots.txt` of the site's own (with `Disallow` rules, say) replaces the generated one.
        if copies.iter().any(|f| f.path == "robots.txt") {
            files.retain(|f| f.path != "robots.txt");
        }
        // Otherwise rendered and generated files win over static files with the same path.
        // Static files are few: look for them among the generated paths.
        let copied: std::collections::BTreeSet<&str> =
            copies.iter().map(|f| f.path.as_str()).collect();
        let generated: std::collections::BTreeSet<String> = files
            .iter()
            .filter(|f| copied.contains(f.path.as_str()))
            .map(|f| f.path.clone())
            .collect();
        copies.retain(|f| !generated.contains(&f.path));
        files.extend(copies);
        step(&mut steps, "assets", &mut t);

        let report = BuildReport {
            pages,
            rendered_pages: rendered.rendered_pages,
            files: files.len(),
            articles: self.library.articles.len(),
            skipped_drafts: self.skipped_drafts,
            skipped_future: self.skipped_future,
            warnings,
            steps,
            elapsed: start.elapsed(),
        };
        Ok(Built { files, report })
    }
}

/// The templates, with filters set up for `config` and `data`.
fn load_templates(
    opts: &BuildOptions,
    config: &Config,
    data: &Data,
) -> Result<Templates, Vec<Error>> {
    let dates = DateFormatter::new(config.arabic.months, config.arabic.digits).map_err(|err| {
        vec![Error::Internal { message: format!("cannot load the ICU date data: {err}") }]
    })?;
    let settings = FilterSettings {
        dates: Arc::new(dates),
        timezone: config.timezone.clone(),
        digits: config.arabic.digits,
        hijri: config.arabic.hijri,
        data: Arc::new(data.values.clone()),
    };
    Templates::load(&opts.root, config, settings)
}

/// Tags and authors, with their warnings.
fn derive(library: &Library, data: &Data, config: &Config) -> (Taxonomy, Vec<Error>) {
    taxonomy::build(library, data, config.arabic.slug_style)
}

/// Related articles, from titles and summaries.
fn related_of(
    library: &Library,
    taxonomy: &Taxonomy,
    bodies: &[Body],
    config: &Config,
) -> Vec<Vec<ArticleId>> {
    let summaries: Vec<&str> = library
        .articles
        .iter()
        .zip(bodies)
        .map(|(a, b)| a.front_matter.summary.as_deref().unwrap_or(&b.summary))
        .collect();
    related::related(library, taxonomy, &summaries, config.news.related)
}

/// A fingerprint of everything related articles are computed from: every article's file, in
/// order, with its path (which gives its section), `data/` and the settings.
fn related_inputs(library: &Library, data: &Data, config: &Config) -> u64 {
    let mut fp = crate::fingerprint::Fingerprint::new();
    fp.add(config).add(&crate::fingerprint::of_json(&data.values));
    for article in &library.articles {
        fp.add(&article.source).add(&article.source_hash);
    }
    fp.finish()
}

/// What the bodies in the build cache depend on besides their files: `config.toml` (Markdown
/// options, reading speed) and the `base_url` given on the command line.
fn cache_settings(opts: &BuildOptions) -> u64 {
    let config = std::fs::read(opts.root.join("config.toml")).unwrap_or_default();
    crate::fingerprint::Fingerprint::new().add(&config).add(&opts.base_url).finish()
}

/// The build time: `now`, else `SOURCE_DATE_EPOCH`, else the clock.
fn build_time(now: Option<jiff::Timestamp>) -> Result<jiff::Timestamp, Error> {
    if let Some(now) = now {
        return Ok(now);
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .ok_or_else(|| Error::Config {
                at: Location::file("SOURCE_DATE_EPOCH"),
                message: format!("`SOURCE_DATE_EPOCH` must be seconds since 1970, not `{text}`"),
            }),
        Err(_) => Ok(jiff::Timestamp::now()),
    }
}

/// Refuses an output folder that would replace the site itself.
fn check_output(root: &Path, output: &Path) -> Result<(), Error> {
    let root = root.canonicalize().map_err(|e| Error::read(root, e))?;
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let resolved = parent.canonicalize().ok().zip(output.file_name()).map(|(p, name)| p.join(name));
    if let Some(out) = resolved {
        if root.starts_with(&out) {
            return Err(Error::Config {
                at: Location::file("--output"),
                message: format!(
                    "the output folder `{}` contains the site itself and would be replaced: choose another, e.g. `public`",
                    output.display()
                ),
            });
        }
    }
    Ok(())
}

/// How a site's Markdown is rendered.
fn markdown_options(config: &Config) -> MarkdownOptions {
    MarkdownOptions {
        slug_style: config.arabic.slug_style,
        smart_punctuation: config.markdown.smart_punctuation,
        external_links_new_tab: config.markdown.external_links_new_tab,
        page_dir: if config.dir() == "rtl" {
            crate::arabic::direction::Direction::Rtl
        } else {
            crate::arabic::direction::Direction::Ltr
        },
    }
}

/// One article body, and what derives from it.
fn render_body(
    markdown: &str,
    opts: &MarkdownOptions,
    highlighter: &Highlighter,
    config: &Config,
) -> Body {
    let rendered = markdown::render(markdown, opts, highlighter);
    let words = reading_time::count_words(&rendered.text);
    Body {
        summary: excerpt::excerpt(&rendered.summary, SUMMARY_CHARS),
        reading_minutes: reading_time::minutes(words, config.arabic.words_per_minute),
        // Kept until the end of the build: copied out of the buffer it was written into, which
        // has room for half as much again (a third of a gigabyte at 100,000 articles).
        // `shrink_to_fit` would not do: the allocator keeps a block shrunk by less than half.
        html: Some(rendered.html.as_str().to_owned()),
    }
}

/// Renders every article body in parallel; a body of the last build whose file is unchanged
/// (`reuse`, by source path and hash) is taken over instead. The Markdown is dropped once
/// rendered: pages need only the HTML (at 100,000 articles, the Markdown is a gigabyte).
fn render_bodies(
    library: &mut Library,
    config: &Config,
    highlighter: &Highlighter,
    reuse: &mut HashMap<PathBuf, (u64, Body)>,
) -> Vec<Body> {
    let opts = markdown_options(config);
    let reused: Vec<Option<Body>> = library
        .articles
        .iter()
        .map(|article| match reuse.remove(&article.source) {
            Some((hash, body)) if hash == article.source_hash => Some(body),
            _ => None,
        })
        .collect();
    library
        .articles
        .par_iter_mut()
        .zip(reused)
        .map(|(article, reused)| match reused {
            // A body from the build cache has no HTML yet: keep the Markdown to render it with.
            Some(body) if body.html.is_none() => body,
            Some(body) => {
                article.body = String::new();
                body
            }
            None => render_body(&std::mem::take(&mut article.body), &opts, highlighter, config),
        })
        .collect()
}

/// The longest automatic summary, in characters.
const SUMMARY_CHARS: usize = 220;

/// Matches each `data/most_read` entry (a content path or a URL path) to an article.
fn resolve_most_read(
    library: &Library,
    data: &Data,
    config: &Config,
) -> (Vec<ArticleId>, Vec<Error>) {
    let mut ids = Vec::new();
    let mut warnings = Vec::new();
    for entry in &data.most_read {
        let decoded = percent_encoding::percent_decode_str(entry).decode_utf8_lossy();
        let as_path = decoded.trim_start_matches(&config.base_path[..]).trim_start_matches('/');
        let as_url = format!("{}/", as_path.trim_end_matches('/'));
        let found = library.articles.iter().position(|a| {
            a.source.to_str() == Some(as_path)
                || a.path == as_url
                || Path::new("content").join(&a.source).to_str() == Some(as_path)
        });
        match found {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => warnings.push(Error::Data {
                at: Location::file("data/most_read.toml"),
                message: format!(
                    "`{entry}` matches no published article: it is left out of «الأكثر قراءة»"
                ),
            }),
        }
    }
    (ids, warnings)
}

/// Static files of the theme and the site, and the assets of article bundles.
fn static_files(root: &Path, config: &Config, library: &Library) -> Vec<OutputFile> {
    let mut files = std::collections::BTreeMap::new();
    for dir in [root.join("themes").join(&config.theme).join("static"), root.join("static")] {
        for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
            if !entry.file_type().is_file()
                || content::is_ignored_name(&entry.file_name().to_string_lossy())
            {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&dir) else { continue };
            let Some(rel) = rel.to_str() else { continue };
            files.insert(rel.replace('\\', "/"), entry.path().to_path_buf());
        }
    }
    for article in &library.articles {
        let Some(bundle) = article.bundle_dir() else { continue };
        for asset in &article.assets {
            let Ok(rel) = asset.strip_prefix(bundle) else { continue };
            let Some(rel) = rel.to_str() else { continue };
            files.insert(
                format!("{}{}", article.path, rel.replace('\\', "/")),
                root.join("content").join(asset),
            );
        }
    }
    files.into_iter().map(|(path, source)| OutputFile::copy(path, source)).collect()
}
