//! `build`: the ordered, timed steps that turn a site folder into its output.
//!
//! config → data → content → slugs and URLs → Markdown → taxonomy → templates → pages → static
//! files → output. Each step is a function over the results of the ones before it; nothing is
//! set on a shared object in an order that matters. Errors of the loading steps are collected, so
//! one build reports every bad file; the output is written only when there are none.

mod assets;
mod body;
mod links;
mod model;
mod options;
mod session;
mod shortcodes;
mod spill;

use std::time::Instant;

use crate::cache;
use crate::card_cache::CardCache;
use crate::error::{Diagnostic, Errors};
use crate::markdown::Highlighter;
use crate::output;
use crate::render::Memo;

use model::rendering::RenderMode;
use model::{Carried, Model};
pub(crate) use options::build_time;
use options::{Steps, cache_settings, step};

pub use options::{BuildOptions, BuildReport, Built, ExternalLinks, OnRequest, Step};
pub use session::{Change, Session};

/// Builds the site and writes it to `opts.output`.
///
/// A page whose fingerprint equals the one the last build recorded (in a manifest beside the
/// output folder) is not rendered again: its file is hard-linked from the previous output, so it
/// keeps its modification time.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Errors> {
    let start = Instant::now();
    let mut steps = Steps::new();
    let mut t = Instant::now();
    // A build killed meanwhile may have left a swap half done: finished before the manifest of
    // the output is read.
    output::recover(&opts.output)?;
    let settings = cache_settings(opts);
    let mut cached = cache::load(&opts.output, settings);
    let cache_log = cached.log.take();
    // Bodies wait for their pages in a file rather than in memory.
    let spill = spill::Spill::beside(&opts.output);
    let carried = Carried { spill, ..Carried::from_cache(cached) };
    step(&mut steps, "cache", &mut t);
    // The manifest is first needed by the render: it is read while the site loads, on the
    // cores the loading steps leave idle between their parallel parts (the walk of `content/`
    // is one thread's).
    let (mut memo, loaded) = rayon::join(
        || Memo::from_output(&opts.output),
        || {
            let now = build_time(opts.now)?;
            let model = Model::load(opts, now, &Highlighter::new(), carried, &mut steps)?;
            Ok::<_, Errors>((model, cache_log))
        },
    );
    let (mut model, cache_log) = loaded?;
    let cards = CardCache::open(&opts.output);
    // Pages go to the staging folder as they are rendered; the output is swapped at the end.
    let staging = match memo.previous {
        Some(_) => output::Staging::begin_from_spare(&opts.output)?,
        None => output::Staging::begin(&opts.output)?,
    };
    let Built { files, mut report, .. } = model.render(
        opts,
        RenderMode::Build { memo: &mut memo, staging: &staging, cards: cards.as_ref() },
        steps,
        start,
    )?;
    let t = Instant::now();
    report.warnings.extend(links::problems(&model, &files, Some(&staging), false));
    report.steps.push(Step::ended("links", t));
    let t = Instant::now();
    memo.links = std::mem::take(&mut model.photo_links).into_iter().collect();
    memo.hashed = std::mem::take(&mut model.index_hashes).into_iter().collect();
    let filled = staging.fill(&files, &model.photo_folders, memo.previous.as_ref())?;
    // The manifest of the new output is written before the swap, under a name that only that
    // output takes up (an output left as it was keeps its manifest, which still describes it),
    // and the build cache beside it: a build killed at any moment leaves a manifest that
    // describes the output in place, and the cache.
    let photos = model.photo_set;
    let (manifest, cache) = rayon::join(
        || match &filled {
            output::Filled::Ready(ready) => {
                memo.save_for_staged(&opts.output, ready, &files, &model.photo_folders, photos)
            }
            output::Filled::Unchanged => Ok(()),
        },
        || {
            let saved = cache::Saved {
                related: (model.related_settings(), &model.related[..]),
                vocabulary: &model.vocabulary,
                articles: &model.library.articles[..],
                bodies: &model.bodies[..],
            };
            let log = cache_log.as_ref().map(|log| (log, &model.cached_records[..]));
            cache::save(&opts.output, settings, &saved, log)?;
            cards.as_ref().map_or(Ok(()), CardCache::save)
        },
    );
    let replaced = match filled {
        output::Filled::Ready(ready) => Some(ready.swap()?),
        output::Filled::Unchanged => None,
    };
    // Folders that moved in at the swap have new stamps: the manifest records them.
    let manifest = match replaced {
        Some(output::Swapped::WithMovedFolders) if manifest.is_ok() => {
            memo.save_for_output(&opts.output, &files, &model.photo_folders, photos)
        }
        _ => manifest,
    };
    // Variants no build uses any more leave the image cache once this one is in place (unless
    // it uses exactly those the last one did, which swept for them).
    let sweep = replaced.is_some() && !model.photo_links_held;
    let swept = if sweep { model.sweep_photos().map(|_| ()) } else { Ok(()) };
    if let Err(err) = swept {
        report
            .warnings
            .push(Diagnostic::write(&opts.root.join(&model.config.images.cache), err).warning());
    }
    if let Err(err) = manifest.and(cache) {
        report.warnings.push(Diagnostic::write(&opts.output, err).warning());
    }
    // Freeing the model (every article, body, summary and template) keeps one core busy after
    // everything is written while the others are idle: a thread of its own does it,
    // which `midad build` does not wait for when it exits, and a long-running caller still gets
    // the memory back. Where no thread can be started, it is freed here.
    let garbage = (model, memo, files);
    let _ = std::thread::Builder::new().name("free".into()).spawn(move || drop(garbage));
    report.steps.push(Step::ended("write", t));
    report.elapsed = start.elapsed();
    Ok(report)
}

/// Builds the site in memory, writing nothing.
pub fn render(opts: &BuildOptions) -> Result<Built, Errors> {
    let start = Instant::now();
    let mut steps = Steps::new();
    let now = build_time(opts.now)?;
    let mut model = Model::load(opts, now, &Highlighter::new(), Carried::default(), &mut steps)?;
    model.render(opts, RenderMode::Once, steps, start)
}

/// `midad check`: loads and renders the whole site in memory, as a build would, and writes
/// nothing; photos are looked at but not made. Its errors are the build's, and internal links,
/// images and anchors that lead nowhere (a build's warnings); its report carries the build's
/// other warnings. With `external`, links to other sites are requested too (see
/// `crate::links::external`): broken ones are errors, those that could not be checked warnings.
pub fn check(opts: &BuildOptions, external: bool) -> Result<BuildReport, Errors> {
    let start = Instant::now();
    let mut steps = Steps::new();
    let now = build_time(opts.now)?;
    let mut model = Model::load(opts, now, &Highlighter::new(), Carried::default(), &mut steps)?;
    let Built { files, mut report, .. } = model.render(opts, RenderMode::Check, steps, start)?;
    let mut problems = links::problems(&model, &files, None, true);
    if external {
        let (found, links) = links::external_problems(&model, &opts.output);
        let (errors, warnings) = found
            .into_iter()
            .partition::<Vec<_>, _>(|d| d.severity == crate::error::Severity::Error);
        problems.extend(errors);
        report.warnings.extend(warnings);
        report.external = Some(links);
    }
    if problems.is_empty() {
        Ok(report)
    } else {
        Err(Errors::new(problems).with_warnings(report.warnings))
    }
}
