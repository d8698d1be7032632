//! The gallery: every image a site could ship (in `static/` folders and article bundles), each
//! probed for its format and size and hashed, so that pages can be written before any pixel is
//! decoded. A file whose size and modification time are those it had when it was last probed
//! is not read again: the probe and hash are taken from the cache's index of sources.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::codec::{self, Probe, SourceFormat};
use crate::content::resolve_segments;
use crate::error::Diagnostic;

/// One image file of the site.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file.
    pub file: PathBuf,
    /// Its format, upright size and transparency.
    pub probe: Probe,
    /// Hash of its bytes (XXH3): what every variant made of it is keyed by.
    pub hash: u64,
}

impl Source {
    /// Whether midad makes variants of it (JPEG, PNG, WebP); GIF and SVG are shipped as they are.
    pub fn is_raster(&self) -> bool {
        matches!(self.probe.format, SourceFormat::Jpeg | SourceFormat::Png | SourceFormat::Webp)
    }
}

/// The images of a site by their path in the output (`images/x.jpg`, `politics/y/photo.png`).
#[derive(Debug, Default)]
pub struct Gallery {
    pub(super) sources: HashMap<String, Source>,
}

/// Whether a file name looks like an image midad reads (by extension; the bytes decide after).
pub fn is_image_name(name: &str) -> bool {
    is_raster_name(name) || has_extension(name, &["gif", "svg"])
}

/// Whether a file name looks like an image midad makes variants of: JPEG, PNG or WebP.
pub fn is_raster_name(name: &str) -> bool {
    has_extension(name, &["jpg", "jpeg", "png", "webp"])
}

fn has_extension(name: &str, extensions: &[&str]) -> bool {
    let Some((_, ext)) = name.rsplit_once('.') else { return false };
    extensions.iter().any(|e| ext.eq_ignore_ascii_case(e))
}

/// A source's stamp and what was read from it, as the index keeps it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Indexed {
    len: u64,
    modified: u128,
    hash: u64,
    format: String,
    width: u32,
    height: u32,
    alpha: bool,
}

/// The index file of the cache: sources by file path.
type Index = HashMap<PathBuf, Indexed>;

const INDEX: &str = "sources.json";

impl Gallery {
    /// Probes `candidates` (output path, file) in parallel, reusing the index in `cache_dir`.
    /// A file that is not a readable image is left out with a warning naming it.
    pub fn load(
        candidates: Vec<(String, PathBuf)>,
        cache_dir: &Path,
    ) -> (Gallery, Vec<Diagnostic>) {
        let index: Index = std::fs::read(cache_dir.join(INDEX))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let probed: Vec<_> = candidates
            .into_par_iter()
            .map(|(path, file)| {
                let probed = probe_file(&file, index.get(&file));
                (path, file, probed)
            })
            .collect();
        let mut gallery = Gallery::default();
        let mut warnings = Vec::new();
        let mut new_index = Index::with_capacity(probed.len());
        let mut changed = probed.len() != index.len();
        for (path, file, probed) in probed {
            match probed {
                Ok((indexed, fresh)) => {
                    changed |= fresh;
                    let Some(format) = format_named(&indexed.format) else { continue };
                    let probe = Probe {
                        format,
                        width: indexed.width,
                        height: indexed.height,
                        alpha: indexed.alpha,
                    };
                    let hash = indexed.hash;
                    new_index.insert(file.clone(), indexed);
                    gallery.sources.insert(path, Source { file, probe, hash });
                }
                Err(reason) => warnings.push(
                    Diagnostic::content(
                        crate::error::Location::file(&file),
                        format!("{reason}: it is left out of the site"),
                    )
                    .with_hint("replace it with a JPEG, PNG or WebP photo")
                    .warning(),
                ),
            }
        }
        if changed {
            // The index only saves work: a build that cannot write it is slower next time.
            let _ = save_index(cache_dir, &new_index);
        }
        (gallery, warnings)
    }

    /// The image at output path `path`.
    pub fn get(&self, path: &str) -> Option<&Source> {
        self.sources.get(path)
    }

    /// Every image, by output path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Source)> {
        self.sources.iter().map(|(path, source)| (path.as_str(), source))
    }

    /// The output path of an image URL as written in front matter, Markdown or data: from the
    /// site root (`/images/x.jpg`) or relative to `base` (an article's folder, `politics/y/`).
    /// `None` for external URLs and anything that is no image of the site.
    pub fn resolve(&self, url: &str, base: &str) -> Option<(String, &Source)> {
        let path = site_path(url, base)?;
        let source = self.sources.get(&path)?;
        Some((path, source))
    }
}

/// The site path an image URL names, decoded and normalised (`./`, `..`), or `None` when it is
/// external, a data URL or leaves the site.
pub fn site_path(url: &str, base: &str) -> Option<String> {
    if url.contains("://") || url.starts_with("data:") || url.starts_with("//") {
        return None;
    }
    let url = url.split(['?', '#']).next().unwrap_or(url);
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8().ok()?;
    let joined = match decoded.strip_prefix('/') {
        Some(rest) => rest.to_string(),
        None => format!("{base}{decoded}"),
    };
    let parts = resolve_segments(&joined)?;
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The index entry of `file`: taken over when its stamp is unchanged (`false`), else read and
/// probed anew (`true`).
fn probe_file(file: &Path, known: Option<&Indexed>) -> Result<(Indexed, bool), String> {
    let meta = std::fs::metadata(file).map_err(|e| format!("cannot read the image: {e}"))?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    if let Some(known) = known.filter(|k| k.len == meta.len() && k.modified == modified) {
        return Ok((known.clone(), false));
    }
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read the image: {e}"))?;
    let probe = codec::probe(&bytes).map_err(|e| format!("not a usable image ({e})"))?;
    let indexed = Indexed {
        len: meta.len(),
        modified,
        hash: xxhash_rust::xxh3::xxh3_64(&bytes),
        format: format_name(probe.format).to_string(),
        width: probe.width,
        height: probe.height,
        alpha: probe.alpha,
    };
    Ok((indexed, true))
}

fn format_name(format: SourceFormat) -> &'static str {
    match format {
        SourceFormat::Jpeg => "jpeg",
        SourceFormat::Png => "png",
        SourceFormat::Webp => "webp",
        SourceFormat::Gif => "gif",
        SourceFormat::Svg => "svg",
    }
}

fn format_named(name: &str) -> Option<SourceFormat> {
    [
        SourceFormat::Jpeg,
        SourceFormat::Png,
        SourceFormat::Webp,
        SourceFormat::Gif,
        SourceFormat::Svg,
    ]
    .into_iter()
    .find(|&f| format_name(f) == name)
}

fn save_index(cache_dir: &Path, index: &Index) -> std::io::Result<()> {
    std::fs::create_dir_all(cache_dir)?;
    let text = serde_json::to_string(index).map_err(std::io::Error::other)?;
    crate::output::replace_file(&cache_dir.join(INDEX), &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_resolve_from_the_root_or_the_article() {
        assert_eq!(site_path("/images/a.jpg", "x/y/").as_deref(), Some("images/a.jpg"));
        assert_eq!(site_path("a.jpg", "x/y/").as_deref(), Some("x/y/a.jpg"));
        assert_eq!(site_path("./a%20b.jpg", "x/y/").as_deref(), Some("x/y/a b.jpg"));
        assert_eq!(site_path("../z/a.jpg?v=2", "x/y/").as_deref(), Some("x/z/a.jpg"));
        assert_eq!(site_path("../../../a.jpg", "x/").as_deref(), None);
        assert_eq!(site_path("https://cdn.example/a.jpg", "x/"), None);
        assert_eq!(site_path("//cdn.example/a.jpg", "x/"), None);
    }

    #[test]
    fn image_names_are_known_by_extension() {
        assert!(is_image_name("a.JPG"));
        assert!(is_image_name("صورة.webp"));
        assert!(!is_image_name("a.jpg.txt"));
        assert!(!is_image_name("jpg"));
    }
}
