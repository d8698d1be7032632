//! The model of a site: everything a build computes before rendering pages (config, data, the
//! content library, article bodies, taxonomy, related articles, templates), owned, so that a
//! session can keep it between rebuilds and patch it; and its render into files ([`rendering`],
//! with the photos its pages show in [`photos`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::arabic::date::DateFormatter;
use crate::config::{self, Config};
use crate::content::{self, ArticleId, Library, LoadOptions};
use crate::data::{self, Data};
use crate::error::{Diagnostic, Errors, Location, Origin};
use crate::fingerprint::{self, Fingerprint};
use crate::images::codec::OutputFormat;
use crate::images::{self, Photos};
use crate::markdown::{self, Highlighter};
use crate::output::{KeptFolder, OutputFile};
use crate::related;
use crate::render::{Body, PhotoSet, Summaries};
use crate::search::{self};
use crate::taxonomy::{self, Taxonomy};
use crate::templates::{FilterSettings, Templates};

use super::assets::static_files;
use super::body::{BodySettings, BodyTools, render_bodies, render_body};
use super::options::{BuildOptions, Steps, step};
use super::shortcodes;
use super::spill::Spill;

mod photos;
pub(super) mod rendering;

/// Everything a build computes before rendering pages, owned, so a session can keep it.
pub(super) struct Model {
    pub(super) config: Config,
    pub(super) data: Data,
    pub(super) library: Library,
    pub(super) bodies: Vec<Body>,
    /// The serial of each article's record in the build cache it was loaded with, when the
    /// record this build would write is the same (see `cache::unchanged_records`).
    pub(super) cached_records: Vec<Option<u32>>,
    /// The numbers of the search stems in `bodies`.
    pub(super) vocabulary: Arc<search::Vocabulary>,
    /// The articles as the search index has them, kept for the next render.
    search_documents: search::Documents,
    taxonomy: Taxonomy,
    pub(super) related: Vec<Vec<ArticleId>>,
    /// New whenever `related` is recomputed.
    related_version: u64,
    /// The static files to copy, kept until a static file changes.
    pub(super) static_files: Option<Vec<OutputFile>>,
    /// The site's images, probed; shared with the templates' `image()`.
    pub(super) photos: Arc<Photos>,
    /// The variants of the last render, for the sweep of the image cache.
    pub(super) variants: Vec<(u64, OutputFormat)>,
    /// The output path and cache key of each of them, for the output's manifest.
    pub(super) photo_links: Vec<(String, u64)>,
    /// The hash of each search index file the last render made, by output path, for the
    /// manifest (see `render::Memo::hashed`).
    pub(super) index_hashes: Vec<(String, u64)>,
    /// Whether those are exactly the variants the output held before the last render: then
    /// the image cache was swept for them already.
    pub(super) photo_links_held: bool,
    /// Folders of photos the last render takes over whole from the output (its links are not
    /// in `photo_links` then).
    pub(super) photo_folders: Vec<KeptFolder>,
    /// What the photos of the last render were made for, for the output's manifest.
    pub(super) photo_set: Option<PhotoSet>,
    /// A session's photo files of the last render, and the [`Model::photos_epoch`] they were
    /// listed at: a rebuild that changed no image a page shows keeps them without listing the
    /// variants of every article again.
    session_photos: Option<(u64, images::Made, Vec<OutputFile>)>,
    /// Changes whenever what the photos are listed from may have changed in place (a body's
    /// images, the templates); a load starts a model of its own.
    photos_epoch: u64,
    most_read: Vec<ArticleId>,
    pub(super) templates: Templates,
    syntax_css: String,
    now: jiff::ZonedDateTime,
    /// Warnings of the content and data files, reported by the render after the load that
    /// found them.
    load_warnings: Vec<Diagnostic>,
    /// Warnings of what derives from the content and `data/` (taxonomy, most read).
    derived_warnings: Vec<Diagnostic>,
    skipped_drafts: usize,
    skipped_future: usize,
    /// The summaries of the last render, if nothing they show has changed since but the
    /// articles in `stale`.
    summaries: Option<Summaries>,
    stale: Vec<ArticleId>,
    /// See [`Site::generation`]: a new one on every load, and when `data/` changes.
    generation: u64,
    /// Where a one-off build's bodies' HTML is until their pages are rendered.
    spill: Option<Spill>,
}

/// What a full reload may take over from the model it replaces.
#[derive(Default)]
pub(super) struct Carried {
    /// What the last build or model had of each article, by source path: the hash of its file,
    /// its rendered body, its place and date, and what was known of its file.
    pub(super) articles: crate::cache::CachedArticles,
    /// What `bodies` were made with, when the load must check it (the build cache checks its
    /// bodies against `config.toml` itself).
    pub(super) bodies_made_with: Option<BodySettings>,
    /// The templates, when none changed.
    pub(super) templates: Option<Templates>,
    /// Related articles of the last build, with the fingerprint of their settings.
    pub(super) related: Option<(u64, Vec<Vec<ArticleId>>)>,
    /// The vocabulary the search stems of `bodies` are numbered in.
    pub(super) vocabulary: Arc<search::Vocabulary>,
    /// A one-off build's file for bodies' HTML (see [`super::spill`]); with one, the load also
    /// leaves each body in its file until the Markdown step reads it.
    pub(super) spill: Option<Spill>,
}

impl Carried {
    /// What the build cache of the last `midad build` gives (see [`crate::cache`]).
    pub(super) fn from_cache(cached: crate::cache::Cached) -> Carried {
        Carried {
            articles: cached.articles,
            bodies_made_with: None,
            templates: None,
            related: cached.related,
            vocabulary: Arc::new(cached.vocabulary),
            spill: None,
        }
    }

    /// The bodies of `model`, and its templates unless they are to be loaded again.
    pub(super) fn from(model: Option<Model>, templates: TemplatesAre) -> Carried {
        let Some(model) = model else { return Carried::default() };
        let settings = BodySettings::of(&model.config, &model.templates);
        let articles = model
            .library
            .articles
            .into_iter()
            .zip(model.bodies)
            .enumerate()
            .map(|(place, (a, body))| {
                let at = a.date.timestamp();
                let (hash, body) = (a.source_hash, Some(body));
                let file = None;
                let cached =
                    crate::cache::CachedArticle { hash, body, place, at, file, record: None };
                (a.source.into_os_string(), Box::new(cached))
            })
            .collect();
        let templates = match templates {
            TemplatesAre::Unchanged => Some(model.templates),
            TemplatesAre::Changed => None,
        };
        let bodies_made_with = Some(settings);
        let vocabulary = model.vocabulary;
        let related = None;
        Carried { articles, bodies_made_with, templates, related, vocabulary, spill: None }
    }
}

/// Whether a reload may keep the templates it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TemplatesAre {
    Unchanged,
    Changed,
}

/// A new [`Site::generation`], never given before in this process.
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The content and the templates, loaded side by side.
struct Loaded {
    library: Library,
    templates: Result<Templates, Vec<Diagnostic>>,
    load_warnings: Vec<Diagnostic>,
    skipped_drafts: usize,
    skipped_future: usize,
}

impl Model {
    /// Loads and prepares the whole site.
    pub(super) fn load(
        opts: &BuildOptions,
        now: jiff::Timestamp,
        highlighter: &Highlighter,
        mut carried: Carried,
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
        let loaded = load_content(opts, &config, &data, now.timestamp(), &mut carried, &mut errors);
        let made_now = loaded.templates.as_ref().ok().map(|t| BodySettings::of(&config, t));
        if carried.bodies_made_with.is_some_and(|made_with| Some(made_with) != made_now) {
            carried.articles.values_mut().for_each(|article| article.body = None);
        }
        let mut library = loaded.library;
        // What the related lists of the last build were made from, before the bodies of the
        // articles that changed are taken from `carried`.
        let before = related_before(&mut carried, &library, related_settings(&data, &config));
        step(steps, "content", &mut t);
        let copies = static_files(&opts.root, &config, &library);
        let (photos, photo_warnings) = Photos::load(&opts.root, &config, copied_sources(&copies));
        let photos = Arc::new(photos);
        let mut load_warnings = loaded.load_warnings;
        load_warnings.extend(photo_warnings);
        step(steps, "images", &mut t);

        let syntax_css = markdown::Highlighter::stylesheet(
            &config.markdown.highlight_theme,
            &config.markdown.highlight_theme_dark,
        )
        .map_err(|err| {
            errors.push(Diagnostic::config(Location::file("config.toml"), err.to_string()))
        })
        .ok();
        let vocabulary = carried.vocabulary;
        let tools = BodyTools {
            config: &config,
            highlighter,
            photos: &photos,
            templates: loaded.templates.as_ref().ok(),
            vocabulary: &vocabulary,
            spill: carried.spill.as_ref(),
        };
        let content_dir = opts.root.join("content");
        let (bodies, unread) =
            render_bodies(&mut library, &tools, &mut carried.articles, &content_dir);
        errors.extend(unread);
        let cached_records = crate::cache::unchanged_records(&library.articles, &carried.articles);
        step(steps, "markdown", &mut t);

        let (taxonomy, mut derived_warnings) =
            taxonomy::build(&library, &data, config.arabic.slug_style, &config.languages);
        let updated = before.and_then(|before| {
            let summaries = summaries_of(&library, &bodies);
            let (count, style) = (config.news.related, config.arabic.slug_style);
            related::update(&library, &taxonomy, &summaries, count, &before, style)
        });
        let related = updated.unwrap_or_else(|| related_of(&library, &taxonomy, &bodies, &config));
        let (most_read, most_read_warnings) = resolve_most_read(&library, &data, &config);
        derived_warnings.extend(most_read_warnings);
        step(steps, "related", &mut t);
        let templates = loaded.templates.map_err(|errs| errors.extend(errs)).ok();
        step(steps, "templates", &mut t);
        let (Some(templates), Some(syntax_css), true) = (templates, syntax_css, errors.is_empty())
        else {
            load_warnings.extend(derived_warnings);
            return Err(Errors::new(errors).with_warnings(load_warnings));
        };
        templates.set_photos(Arc::clone(&photos));
        Ok(Model {
            config,
            data,
            library,
            bodies,
            cached_records,
            vocabulary,
            search_documents: search::Documents::default(),
            taxonomy,
            related,
            related_version: next_generation(),
            static_files: Some(copies),
            photos,
            variants: Vec::new(),
            photo_links: Vec::new(),
            index_hashes: Vec::new(),
            photo_links_held: false,
            photo_folders: Vec::new(),
            photo_set: None,
            session_photos: None,
            photos_epoch: next_generation(),
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
            spill: carried.spill,
        })
    }

    /// Re-reads `data/` and recomputes what derives from it.
    pub(super) fn reload_data(&mut self, opts: &BuildOptions) -> Result<(), Errors> {
        let (data, errors) = data::load(&opts.root);
        if !errors.is_empty() {
            return Err(Errors::new(errors));
        }
        let (taxonomy, warnings) = taxonomy::build(
            &self.library,
            &data,
            self.config.arabic.slug_style,
            &self.config.languages,
        );
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

    /// Reloads the templates (after a change of a template or of `data/`, which they may show).
    pub(super) fn reload_templates(&mut self, opts: &BuildOptions) -> Result<(), Errors> {
        self.templates = load_templates(opts, &self.config, &self.data).map_err(Errors::new)?;
        self.templates.set_photos(Arc::clone(&self.photos));
        self.photos_epoch = next_generation();
        Ok(())
    }

    /// Applies edits of articles whose front matter did not change: re-reads and re-renders
    /// them in place. Returns `false`, changing nothing, when any of them needs a full reload
    /// (it is new, gone, or its front matter changed).
    pub(super) fn patch_articles(
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
            let parsed = content::read_and_parse(&content_dir, rel).map_err(Errors::from)?;
            let article = &self.library.articles[id];
            if parsed.front_matter != article.front_matter {
                return Ok(false);
            }
            if parsed.hash != article.source_hash {
                patches.push((id, parsed));
            }
        }
        let tools = BodyTools {
            config: &self.config,
            highlighter,
            photos: &self.photos,
            templates: Some(&self.templates),
            vocabulary: &self.vocabulary,
            spill: None,
        };
        let mut rendered = Vec::with_capacity(patches.len());
        let mut errors = Vec::new();
        for (id, parsed) in patches {
            let article = &self.library.articles[id];
            let (body, problems) = render_body(&parsed.body, article, &tools);
            errors.extend(shortcodes::diagnostics(&article.source, parsed.body_line, problems));
            rendered.push((id, parsed, body));
        }
        if !errors.is_empty() {
            return Err(Errors::new(errors));
        }
        let mut summaries_changed = false;
        for (id, parsed, body) in rendered {
            let article = &mut self.library.articles[id];
            summaries_changed |=
                article.front_matter.summary.is_none() && body.summary != self.bodies[id].summary;
            if body.images != self.bodies[id].images {
                self.photos_epoch = next_generation();
            }
            article.source_hash = parsed.hash;
            article.body_line = parsed.body_line;
            article.body_at = parsed.body_at;
            article.stamp = None;
            self.bodies[id] = body;
            self.stale.push(id);
        }
        if summaries_changed {
            self.related = related_of(&self.library, &self.taxonomy, &self.bodies, &self.config);
            self.related_version = next_generation();
        }
        Ok(true)
    }

    /// Whether `rel` (relative to `content/`) is an asset of an article bundle.
    pub(super) fn has_asset(&self, rel: &Path) -> bool {
        self.library.articles.iter().any(|article| article.assets.iter().any(|a| a == rel))
    }

    /// A fingerprint of what related articles are computed with besides the articles (see
    /// [`related_settings`]).
    pub(super) fn related_settings(&self) -> u64 {
        related_settings(&self.data, &self.config)
    }
}

/// Loads the content and, beside it, the templates (they need only the config and `data/`), or
/// takes over `carried`'s. The content's errors go to `errors`.
fn load_content(
    opts: &BuildOptions,
    config: &Config,
    data: &Data,
    now: jiff::Timestamp,
    carried: &mut Carried,
    errors: &mut Vec<Diagnostic>,
) -> Loaded {
    let bodies_on_disk = carried.spill.is_some();
    let load_opts = LoadOptions { drafts: opts.drafts, future: opts.future, now, bodies_on_disk };
    let kept = carried.templates.take();
    let (loaded, templates) = rayon::join(
        || content::load(&opts.root, config, &load_opts, &mut carried.articles),
        || match kept {
            Some(templates) => Ok(templates),
            None => load_templates(opts, config, data),
        },
    );
    errors.extend(loaded.errors);
    let mut library = loaded.library;
    errors.extend(content::assign_urls(&mut library, config));
    Loaded {
        library,
        templates,
        load_warnings: loaded.warnings,
        skipped_drafts: loaded.skipped_drafts,
        skipped_future: loaded.skipped_future,
    }
}

/// The templates, with filters set up for `config` and `data` in each of the site's languages.
fn load_templates(
    opts: &BuildOptions,
    config: &Config,
    data: &Data,
) -> Result<Templates, Vec<Diagnostic>> {
    let data = Arc::new(data.values.clone());
    let photos = crate::templates::PhotoSlot::default();
    let mut settings = Vec::new();
    for (lang, language) in config.languages.iter().enumerate() {
        // The `[arabic]` settings apply to Arabic pages, and to others that ask for them; month
        // names are the language's own.
        let dates = if language.is_arabic() {
            DateFormatter::new(config.arabic.months, config.arabic.digits)
        } else {
            DateFormatter::for_language(&language.code)
        };
        let dates = dates.map_err(|err| {
            vec![Diagnostic::internal(format!("cannot load the ICU date data: {err}"))]
        })?;
        settings.push(FilterSettings {
            dates: Arc::new(dates),
            timezone: config.timezone.clone(),
            digits: config.digits(lang),
            hijri: language.arabic && config.arabic.hijri,
            language: language.code.clone(),
            data: Arc::clone(&data),
            photos: Arc::clone(&photos),
        });
    }
    Templates::load(&opts.root, config, settings)
}

/// Related articles, from titles and summaries.
fn related_of(
    library: &Library,
    taxonomy: &Taxonomy,
    bodies: &[Body],
    config: &Config,
) -> Vec<Vec<ArticleId>> {
    let summaries = summaries_of(library, bodies);
    related::related(library, taxonomy, &summaries, config.news.related)
}

/// Each article's summary: its own, or the one made from its body.
fn summaries_of<'a>(library: &'a Library, bodies: &'a [Body]) -> Vec<&'a str> {
    library
        .articles
        .iter()
        .zip(bodies)
        .map(|(a, b)| a.front_matter.summary.as_deref().unwrap_or(&b.summary))
        .collect()
}

/// A fingerprint of what related articles are computed with besides the articles: `data/` and
/// the settings.
fn related_settings(data: &Data, config: &Config) -> u64 {
    // Not where the site is served from: a preview takes the lists of the last build.
    let mut settings = config.clone();
    settings.base_url.clear();
    settings.base_path.clear();
    Fingerprint::new().add(&settings).add(&fingerprint::of_json(&data.values)).finish()
}

/// The related lists of the last build and what they were made from, if they were made with
/// `settings`: taken from `carried`, with what the articles that changed or went away since
/// were (from the build cache's front matter and summaries; one that cannot be told is left
/// out, and [`related::update`] then computes every list again).
fn related_before(
    carried: &mut Carried,
    library: &Library,
    settings: u64,
) -> Option<related::Before> {
    let (made_with, lists) = carried.related.take()?;
    if made_with != settings {
        return None;
    }
    let cached = &carried.articles;
    let placed: Vec<Option<related::Placed>> = library
        .articles
        .iter()
        .map(|a| {
            let cached = cached.get(a.source.as_os_str());
            cached.map(|c| related::Placed { place: c.place, hash: c.hash })
        })
        .collect();
    // The places whose article is still there, with the same file.
    let mut same = vec![false; lists.len()];
    for (article, placed) in library.articles.iter().zip(&placed) {
        if let Some(placed) = placed.filter(|p| p.hash == article.source_hash)
            && let Some(same) = same.get_mut(placed.place)
        {
            *same = true;
        }
    }
    let mut before = related::Before { lists, placed, ..related::Before::default() };
    for (source, cached) in cached {
        if same.get(cached.place) != Some(&false) {
            continue;
        }
        let Some(known) = &cached.file else { continue };
        let front = &known.front_matter;
        let summary = match (&front.summary, &cached.body) {
            (Some(summary), _) => summary.clone(),
            (None, Some(body)) => body.summary.clone(),
            (None, None) => continue,
        };
        let was = related::Was {
            source: source.into(),
            at: cached.at,
            title: front.title.clone(),
            summary,
            tags: front.tags.clone(),
        };
        before.was.insert(cached.place, was);
    }
    Some(before)
}

/// Refuses an output folder that would replace the site itself.
fn check_output(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = root.canonicalize().map_err(|e| Diagnostic::read(root, e))?;
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let resolved = parent.canonicalize().ok().zip(output.file_name()).map(|(p, name)| p.join(name));
    if let Some(out) = resolved
        && root.starts_with(&out)
    {
        return Err(Diagnostic::config(
            Origin::Flag("--output"),
            format!(
                "the output folder `{}` contains the site itself and would be replaced",
                output.display()
            ),
        )
        .with_hint("choose another, e.g. `--output public`"));
    }
    Ok(())
}

/// Matches each `data/most_read` entry (a content path or a URL path) to an article.
fn resolve_most_read(
    library: &Library,
    data: &Data,
    config: &Config,
) -> (Vec<ArticleId>, Vec<Diagnostic>) {
    let mut ids = Vec::new();
    let mut warnings = Vec::new();
    for (idx, entry) in data.most_read.iter().enumerate() {
        let decoded = percent_encoding::percent_decode_str(entry).decode_utf8_lossy();
        let as_path = decoded.trim_start_matches(&config.base_path[..]).trim_start_matches('/');
        let as_url = format!("{}/", as_path.trim_end_matches('/'));
        // The file's path under `content/`, given with or without that folder.
        // Compared as bytes, each written as the walk writes sources (`a//b` as `a/b`): a
        // `Path` compares component by component, slow enough to show across a large archive.
        let given: PathBuf = Path::new(as_path).components().collect();
        let under_content = given.strip_prefix("content").unwrap_or(&given).as_os_str();
        let found = library.articles.iter().position(|a| {
            let source = a.source.as_os_str();
            source == given.as_os_str() || source == under_content || a.path == as_url
        });
        match found {
            Some(id) if !ids.contains(&id) => ids.push(id),
            Some(_) => {}
            None => warnings.push(
                Diagnostic::data(
                    data.most_read_at
                        .get(idx)
                        .cloned()
                        .unwrap_or_else(|| Location::file("data/most_read.toml")),
                    format!(
                        "`{entry}` matches no published article: it is left out of «الأكثر قراءة»"
                    ),
                )
                .with_hint("write an article's file under `content/` (`politics/x.md`) or its URL path (`/politics/x/`); drafts and embargoed articles match nothing")
                .warning(),
            ),
        }
    }
    (ids, warnings)
}

/// The output path and source file of each copied file.
fn copied_sources(copies: &[OutputFile]) -> Vec<(String, PathBuf)> {
    copies
        .iter()
        .filter_map(|f| match &f.contents {
            crate::output::Contents::Copy(source) => Some((f.path.clone(), source.clone())),
            _ => None,
        })
        .collect()
}
