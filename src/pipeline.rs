//! `build`: the ordered, timed steps that turn a site folder into its output.
//!
//! config → data → content → slugs and URLs → Markdown → taxonomy → templates → pages → static
//! files → output. Each step is a function over the results of the ones before it; nothing is
//! set on a shared object in an order that matters. Errors of the loading steps are collected, so
//! one build reports every bad file; the output is written only when there are none.

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
use crate::templates::{FilterSettings, Templates};
use crate::{related, taxonomy};

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
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Errors> {
    let start = Instant::now();
    let Built { files, mut report } = render(opts)?;
    let t = Instant::now();
    output::write(&opts.output, &files)?;
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

/// Builds the site in memory, writing nothing (`midad serve` keeps the result).
pub fn render(opts: &BuildOptions) -> Result<Built, Errors> {
    let start = Instant::now();
    let mut steps = Vec::new();
    let mut step = |name: &'static str, since: &mut Instant| {
        steps.push((name, since.elapsed()));
        *since = Instant::now();
    };
    let mut t = Instant::now();

    let mut config = config::load(&opts.root)?;
    if let Some(base_url) = &opts.base_url {
        config.set_base_url(base_url)?;
    }
    check_output(&opts.root, &opts.output)?;
    let now = build_time(opts.now)?.to_zoned_datetime(config.timezone.clone());
    step("config", &mut t);

    let (data, mut errors) = data::load(&opts.root);
    let load_opts = LoadOptions { drafts: opts.drafts, future: opts.future, now: now.timestamp() };
    let loaded = content::load(&opts.root, &config, &load_opts);
    errors.extend(loaded.errors);
    let mut warnings = loaded.warnings;
    let mut library = loaded.library;
    errors.extend(content::assign_urls(&mut library, &config));
    step("content", &mut t);

    let highlighter = Highlighter::new();
    let syntax_css = Highlighter::stylesheet(
        &config.markdown.highlight_theme,
        &config.markdown.highlight_theme_dark,
    )
    .map_err(|err| Error::Config { at: Location::file("config.toml"), message: err.to_string() });
    let syntax_css = match syntax_css {
        Ok(css) => Some(css),
        Err(err) => {
            errors.push(err);
            None
        }
    };
    let bodies = render_bodies(&library, &config, &highlighter);
    step("markdown", &mut t);

    let (taxonomy, tax_warnings) = taxonomy::build(&library, &data, config.arabic.slug_style);
    warnings.extend(tax_warnings);
    let summaries: Vec<&str> = library
        .articles
        .iter()
        .zip(&bodies)
        .map(|(a, b)| a.front_matter.summary.as_deref().unwrap_or(&b.summary))
        .collect();
    let related = related::related(&library, &taxonomy, &summaries, config.news.related);
    let (most_read, most_read_warnings) = resolve_most_read(&library, &data, &config);
    warnings.extend(most_read_warnings);

    let dates = DateFormatter::new(config.arabic.months, config.arabic.digits).map_err(|err| {
        Error::Internal { message: format!("cannot load the ICU date data: {err}") }
    })?;
    let settings = FilterSettings {
        dates: Arc::new(dates),
        timezone: config.timezone.clone(),
        digits: config.arabic.digits,
        hijri: config.arabic.hijri,
        data: Arc::new(data.values.clone()),
    };
    let templates = match Templates::load(&opts.root, &config, settings) {
        Ok(t) => Some(t),
        Err(errs) => {
            errors.extend(errs);
            None
        }
    };
    step("templates", &mut t);
    let (Some(templates), Some(syntax_css), true) = (templates, syntax_css, errors.is_empty())
    else {
        return Err(Errors(errors));
    };

    let site = Site {
        config: &config,
        library: &library,
        rendered: &bodies,
        taxonomy: &taxonomy,
        data: &data,
        most_read: &most_read,
        related: &related,
        now: &now,
    };
    let mut files = render::render_site(&site, &templates).map_err(Errors)?;
    let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
    step("render", &mut t);

    files.push(OutputFile::bytes("css/syntax.css", syntax_css));
    let mut copies = static_files(&opts.root, &config, &library);
    // A `robots.txt` of the site's own (with `Disallow` rules, say) replaces the generated one.
    if copies.iter().any(|f| f.path == "robots.txt") {
        files.retain(|f| f.path != "robots.txt");
    }
    // Otherwise rendered and generated files win over static files with the same path.
    let generated: std::collections::HashSet<&str> =
        files.iter().map(|f| f.path.as_str()).collect();
    copies.retain(|f| !generated.contains(f.path.as_str()));
    files.extend(copies);
    step("assets", &mut t);

    let report = BuildReport {
        pages,
        files: files.len(),
        articles: library.articles.len(),
        skipped_drafts: loaded.skipped_drafts,
        skipped_future: loaded.skipped_future,
        warnings,
        steps,
        elapsed: start.elapsed(),
    };
    Ok(Built { files, report })
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

/// Renders every article body in parallel.
fn render_bodies(library: &Library, config: &Config, highlighter: &Highlighter) -> Vec<Body> {
    let opts = MarkdownOptions {
        slug_style: config.arabic.slug_style,
        smart_punctuation: config.markdown.smart_punctuation,
        external_links_new_tab: config.markdown.external_links_new_tab,
        page_dir: if config.dir() == "rtl" {
            crate::arabic::direction::Direction::Rtl
        } else {
            crate::arabic::direction::Direction::Ltr
        },
    };
    library
        .articles
        .par_iter()
        .map(|article| {
            let rendered = markdown::render(&article.body, &opts, highlighter);
            let words = reading_time::count_words(&rendered.text);
            Body {
                summary: excerpt::excerpt(&rendered.summary, SUMMARY_CHARS),
                reading_minutes: reading_time::minutes(words, config.arabic.words_per_minute),
                html: rendered.html,
            }
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
