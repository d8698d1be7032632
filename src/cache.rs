//! The body cache of `midad build`: what the Markdown step derives from each article and every
//! page needs (its automatic summary and its reading time), kept beside the output
//! (`.public.midad-bodies`) for the next build.
//!
//! A rebuild takes an article's summary and reading time from the cache when its file has the
//! same hash, and renders its Markdown only if a page or feed that shows the body has to be
//! rendered again (see `render::Site::html`): a rebuild with no change renders no Markdown.
//! The related articles of every article are kept too, with a fingerprint of everything they
//! are computed from (every article file and its path, `data/`, the settings): when nothing of
//! it changed, they are taken as they are.
//! Entries are valid only for the same midad binary and the same `config.toml` settings, which
//! the first line records; anything unreadable is ignored and the Markdown rendered.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::render::Body;

/// The first word of a cache file, with its format version.
const FORMAT: &str = "midad-bodies 3";

/// What the cache file is to [`crate::output::beside`]: `.public.midad-bodies`.
const KIND: &str = "bodies";

/// The first line of a cache written by this binary for settings with fingerprint `settings`.
fn header(settings: u64) -> Option<String> {
    Some(format!("{FORMAT}\t{}\t{settings:016x}", crate::fingerprint::binary_identity()?))
}

/// What the last build left for the next.
#[derive(Debug, Default)]
pub struct Cached {
    /// Bodies by source path, with the hash of the file each came from; their `html` is `None`.
    pub bodies: HashMap<PathBuf, (u64, Body)>,
    /// The related articles of every article, with the fingerprint of their inputs.
    pub related: Option<(u64, Vec<Vec<usize>>)>,
}

/// The cache for `output`; empty when there is none or it does not match.
pub fn load(output: &Path, settings: u64) -> Cached {
    let mut cached = Cached::default();
    let (Some(path), Some(header)) = (crate::output::beside(output, KIND), header(settings)) else {
        return cached;
    };
    let Ok(text) = std::fs::read_to_string(path) else { return cached };
    let mut lines = text.lines();
    if lines.next() != Some(header.as_str()) {
        return cached;
    }
    if let Some(Ok((inputs, lists))) =
        lines.next().map(serde_json::from_str::<(String, Vec<Vec<usize>>)>)
    {
        cached.related = u64::from_str_radix(&inputs, 16).ok().map(|inputs| (inputs, lists));
    }
    let bodies = &mut cached.bodies;
    for line in lines {
        let Ok((source, hash, reading_minutes, summary, images, search_terms)) =
            serde_json::from_str::<(String, String, u32, String, Vec<String>, String)>(line)
        else {
            continue;
        };
        let Ok(hash) = u64::from_str_radix(&hash, 16) else { continue };
        bodies.insert(
            PathBuf::from(source),
            (hash, Body { summary, reading_minutes, images, search_terms, ..Body::default() }),
        );
    }
    cached
}

/// Writes the cache of the build just written to `output`: the related articles with the
/// fingerprint of their inputs, and each article's source path (under `content/`), the hash of
/// its file, and its body.
pub fn save<'a>(
    output: &Path,
    settings: u64,
    related: (u64, &[Vec<usize>]),
    articles: impl Iterator<Item = (&'a Path, u64, &'a Body)>,
) -> std::io::Result<()> {
    let (Some(path), Some(header)) = (crate::output::beside(output, KIND), header(settings)) else {
        return Ok(());
    };
    let mut text = header;
    text.push('\n');
    text.push_str(&serde_json::to_string(&(format!("{:016x}", related.0), related.1))?);
    text.push('\n');
    for (source, hash, body) in articles {
        let Some(source) = source.to_str() else { continue };
        let hash = format!("{hash:016x}");
        let entry =
            (source, hash, body.reading_minutes, &body.summary, &body.images, &body.search_terms);
        if let Ok(line) = serde_json::to_string(&entry) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    crate::output::replace_file(&path, &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_is_read_back_only_for_the_same_settings() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let body = Body {
            html: Some("<p>نص</p>".into()),
            summary: "ملخص \"مقتبس\"\tو\nسطر".into(),
            reading_minutes: 3,
            images: vec!["a.jpg".into()],
            images_fingerprint: 0,
            search_terms: "نص ملخص".into(),
        };
        let related = vec![vec![0]];
        save(
            &out,
            7,
            (0xfeed, &related),
            std::iter::once((Path::new("politics/a.md"), 0xabc, &body)),
        )
        .unwrap();
        assert_eq!(
            crate::output::beside(&out, KIND).unwrap(),
            dir.path().join(".public.midad-bodies")
        );

        let loaded = load(&out, 7);
        assert_eq!(loaded.related, Some((0xfeed, related)));
        let (hash, cached) = &loaded.bodies[Path::new("politics/a.md")];
        assert_eq!(*hash, 0xabc);
        assert_eq!((cached.summary.as_str(), cached.reading_minutes), (body.summary.as_str(), 3));
        assert!(cached.html.is_none(), "the HTML is not cached");
        assert_eq!(cached.images, body.images, "the images it shows are");
        assert_eq!(cached.search_terms, body.search_terms, "and its search terms");
        let other = load(&out, 8);
        assert!(other.bodies.is_empty() && other.related.is_none(), "other settings: no reuse");
    }
}
