//! Making the variants the store lacks: each image with anything missing is read, decoded once
//! and encoded into every missing target, images in parallel (one per rayon thread, so at most
//! as many decoded images are in memory as there are cores).

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rayon::prelude::*;

use super::codec;
use super::gallery::Gallery;
use super::store::Store;
use super::variants::Variant;
use crate::error::{Diagnostic, Location};

/// What [`make`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Made {
    /// Images decoded.
    pub decoded: usize,
    /// Files encoded.
    pub encoded: usize,
    /// Images whose every variant was in the store already.
    pub cached: usize,
}

impl Made {
    /// The summary line: `processed 412 images (1,648 files), 9,588 from cache`.
    pub fn summary(&self) -> String {
        format!(
            "processed {} images ({} files), {} from cache",
            self.decoded, self.encoded, self.cached
        )
    }
}

/// Makes every variant of `variants` the store lacks. Returns what it did, the variants that
/// are now in the store (those of a broken image are not), and a warning per broken image.
pub fn make(
    gallery: &Gallery,
    variants: Vec<Variant>,
    store: &Store,
    progress: bool,
) -> (Made, Vec<Variant>, Vec<Diagnostic>) {
    let mut by_source: BTreeMap<&str, Vec<&Variant>> = BTreeMap::new();
    for variant in &variants {
        by_source.entry(&variant.source).or_default().push(variant);
    }
    let groups: Vec<(&str, Vec<&Variant>)> = by_source.into_iter().collect();
    let missing: Vec<Vec<bool>> =
        groups.par_iter().map(|(_, vs)| vs.iter().map(|v| !store.has(v)).collect()).collect();
    let todo = missing.iter().filter(|m| m.iter().any(|&m| m)).count();
    let mut made = Made { cached: groups.len() - todo, ..Made::default() };
    let done = AtomicUsize::new(0);
    let bar = (progress && todo > 0 && std::io::stderr().is_terminal()).then(|| Bar::start(todo));
    let results: Vec<Result<usize, Diagnostic>> = groups
        .par_iter()
        .zip(&missing)
        .filter(|(_, missing)| missing.iter().any(|&m| m))
        .map(|((path, group), missing)| {
            let wanted: Vec<&Variant> =
                group.iter().zip(missing).filter(|(_, m)| **m).map(|(v, _)| *v).collect();
            let result = make_one(gallery, path, &wanted, store);
            if result.is_err() {
                // Whoever waits for these files learns they won't come.
                for variant in &wanted {
                    store.mark_failed(variant);
                }
            }
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(bar) = &bar {
                bar.tick(n);
            }
            result
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish();
    }
    let mut warnings = Vec::new();
    for result in results {
        match result {
            Ok(encoded) => {
                made.decoded += 1;
                made.encoded += encoded;
            }
            Err(warning) => warnings.push(warning),
        }
    }
    let ready = if warnings.is_empty() {
        variants
    } else {
        variants.into_par_iter().filter(|v| store.has(v)).collect()
    };
    (made, ready, warnings)
}

/// Decodes the image at `path` once and stores each of `wanted`; the number stored, or a
/// warning naming the file and why it could not be.
fn make_one(
    gallery: &Gallery,
    path: &str,
    wanted: &[&Variant],
    store: &Store,
) -> Result<usize, Diagnostic> {
    let source = gallery.get(path).ok_or_else(|| {
        Diagnostic::internal(format!("image `{path}` was planned but is not in the gallery"))
    })?;
    let warn = |reason: String| {
        Diagnostic::content(
            Location::file(&source.file),
            format!("{reason}; pages show no photo for it until the file is replaced"),
        )
        .warning()
    };
    let bytes =
        std::fs::read(&source.file).map_err(|e| warn(format!("cannot read the image: {e}")))?;
    let largest = wanted.iter().fold((1, 1), |(w, h), v| {
        (
            w.max(largest_side(v.target.width, v.target.region.width)),
            h.max(largest_side(v.target.height, v.target.region.height)),
        )
    });
    let pixels = codec::decode(&bytes, largest)
        .map_err(|e| warn(format!("cannot decode the image: {e}")))?;
    drop(bytes);
    let targets: Vec<codec::Target> = wanted.iter().map(|v| v.target).collect();
    let mut stored = 0;
    for (variant, encoded) in wanted.iter().zip(codec::encode_all(&pixels, &targets)) {
        let bytes = encoded.map_err(|e| warn(format!("cannot encode `{}`: {e}", variant.path)))?;
        store.put(variant, &bytes).map_err(|e| Diagnostic::write(store.dir(), e).warning())?;
        stored += 1;
    }
    Ok(stored)
}

/// The size the whole image must have for `region` of it to be `side` pixels.
fn largest_side(side: u32, region: f64) -> u32 {
    (f64::from(side) / region.max(1e-6)).ceil().min(f64::from(u32::MAX)) as u32
}

/// A progress bar on standard error: images done of all, and the time left.
struct Bar {
    bar: indicatif::ProgressBar,
}

impl Bar {
    fn start(total: usize) -> Bar {
        let bar = match crate::progress::bars() {
            Some(bars) => bars.add(indicatif::ProgressBar::new(total as u64)),
            None => indicatif::ProgressBar::hidden(),
        };
        let style =
            indicatif::ProgressStyle::with_template("images {bar:30} {pos}/{len} · {eta} left")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar { bar }
    }

    fn tick(&self, done: usize) {
        self.bar.set_position(done as u64);
    }

    fn finish(self) {
        self.bar.finish_and_clear();
    }
}
