//! What a build is asked to do and what it reports: [`BuildOptions`], [`BuildReport`] and
//! [`Built`], the timed steps of a build, and the build time.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::error::{Diagnostic, Origin};
use crate::output::OutputFile;

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
#[derive(Debug, Default)]
pub struct BuildReport {
    /// HTML pages written, but the redirect pages of aliases.
    pub pages: usize,
    /// Redirect pages of aliases written.
    pub redirects: usize,
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
    pub warnings: Vec<Diagnostic>,
    /// Each step, how long it took and the memory in use after it.
    pub steps: Vec<Step>,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// What the build did with photos.
    pub images: crate::images::Made,
    /// The search index, unless search is off.
    pub search: Option<crate::search::Stats>,
    /// What `midad check --external` did: distinct external links, how many were requested
    /// and how many the cache answered.
    pub external: Option<ExternalLinks>,
}

/// The external links a check looked at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExternalLinks {
    /// Distinct addresses.
    pub links: usize,
    /// Requested over the network.
    pub requested: usize,
    /// Answered by the cache of the last day's checks.
    pub cached: usize,
}

/// A build in memory: every output file, and the report.
#[derive(Debug)]
pub struct Built {
    /// The files of the site, not yet written.
    pub files: Vec<OutputFile>,
    /// What the build did.
    pub report: BuildReport,
    /// The search index, when the caller asked to make it itself (a preview serves the pages
    /// first): `files` then holds none of its files.
    pub search: Option<crate::search::Job<'static>>,
}

/// One timed step of a build.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// What it did (`render`).
    pub name: &'static str,
    /// Its wall time.
    pub took: Duration,
    /// The process's resident memory when it ended, in KiB, where the system says.
    pub resident_kib: Option<u64>,
}

impl Step {
    /// Step `name`, which started at `since`, ending now.
    pub(super) fn ended(name: &'static str, since: Instant) -> Step {
        let resident_kib = crate::progress::resident_kib();
        Step { name, took: since.elapsed(), resident_kib }
    }
}

/// The timed steps of a build.
pub(super) type Steps = Vec<Step>;

pub(super) fn step(steps: &mut Steps, name: &'static str, since: &mut Instant) {
    steps.push(Step::ended(name, *since));
    crate::progress::finished_step(name);
    *since = Instant::now();
}

/// The build time: `now`, else `SOURCE_DATE_EPOCH`, else the clock.
pub(crate) fn build_time(now: Option<jiff::Timestamp>) -> Result<jiff::Timestamp, Diagnostic> {
    if let Some(now) = now {
        return Ok(now);
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|s| jiff::Timestamp::from_second(s).ok())
            .ok_or_else(|| {
                Diagnostic::config(
                    Origin::Env("SOURCE_DATE_EPOCH"),
                    format!("`SOURCE_DATE_EPOCH` must be seconds since 1970, not `{text}`"),
                )
                .with_hint("set it to e.g. `$(git log -1 --format=%ct)`, or unset it to build at the current time")
            }),
        Err(_) => Ok(jiff::Timestamp::now()),
    }
}

/// What the bodies in the build cache depend on besides their files: `config.toml` (Markdown
/// options, reading speed), the `base_url` given on the command line, and the shortcode
/// templates with the UI strings they may show (of the site, of every theme and of the built-in
/// one: which theme is used is in `config.toml` anyway).
pub(super) fn cache_settings(opts: &BuildOptions) -> u64 {
    let config = std::fs::read(opts.root.join("config.toml")).unwrap_or_default();
    let mut fp = crate::fingerprint::Fingerprint::new();
    fp.add(&config).add(&opts.base_url).add(&crate::theme::built_in_hash());
    let themes = std::fs::read_dir(opts.root.join("themes")).into_iter().flatten().flatten();
    let mut themes: Vec<_> = themes.map(|entry| entry.path()).collect();
    themes.sort();
    let mut folders = vec![opts.root.join("templates").join("shortcodes")];
    for theme in themes {
        folders.push(theme.join("templates").join("shortcodes"));
        folders.push(theme.join("i18n"));
    }
    for folder in folders {
        let files = walkdir::WalkDir::new(&folder).sort_by_file_name().into_iter().flatten();
        for file in files.filter(|entry| entry.file_type().is_file()) {
            // Relative to the site: `--root DIR` and a build from inside DIR share the cache.
            let name = file.path().strip_prefix(&opts.root).unwrap_or(file.path());
            fp.add(&name.to_string_lossy()).add(&std::fs::read(file.path()).unwrap_or_default());
        }
    }
    fp.finish()
}

/// What a render on request makes (see `Session::rebuild_wanted`).
#[derive(Debug, Clone, Copy)]
pub struct OnRequest<'a> {
    /// The outputs to render.
    pub wanted: &'a crate::render::Wanted,
    /// Whether to keep the search documents and give the index to make ([`Built::search`]):
    /// without, they are dropped, and made again when a search is opened.
    pub search: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_settings_do_not_depend_on_how_the_root_is_spelled() {
        let site = tempfile::tempdir().unwrap();
        let i18n = site.path().join("themes/akhbar/i18n");
        std::fs::create_dir_all(&i18n).unwrap();
        std::fs::write(i18n.join("ar.toml"), "read = \"اقرأ\"\n").unwrap();
        std::fs::write(site.path().join("config.toml"), "title = \"x\"\n").unwrap();
        let opts = |root: PathBuf| BuildOptions {
            root: root.clone(),
            output: root.join("public"),
            drafts: false,
            future: false,
            base_url: None,
            now: None,
        };
        let plain = cache_settings(&opts(site.path().to_path_buf()));
        assert_eq!(plain, cache_settings(&opts(site.path().join("."))));
        std::fs::write(i18n.join("ar.toml"), "read = \"طالع\"\n").unwrap();
        assert_ne!(plain, cache_settings(&opts(site.path().to_path_buf())), "the strings count");
    }
}
