//! The body cache of `midad build`: what the Markdown step derives from each article and every
//! page needs (its automatic summary and its reading time), kept beside the output
//! (`.public.midad-bodies`) for the next build.
//!
//! A rebuild takes an article's summary and reading time from the cache when its file has the
//! same hash, and renders its Markdown only if a page or feed that shows the body has to be
//! rendered again (see `render::Site::html`): a rebuild with no change renders no Markdown.
//! Entries are valid only for the same midad binary and the same `config.toml` settings, which
//! the first line records; anything unreadable is ignored and the Markdown rendered.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::render::Body;

/// The first word of a cache file, with its format version.
const FORMAT: &str = "midad-bodies 1";

/// Where the cache of the build in `output` is kept: beside the output folder, never deployed.
pub fn path(output: &Path) -> Option<PathBuf> {
    let name = output.file_name()?.to_str()?;
    let parent = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(parent.join(format!(".{name}.midad-bodies")))
}

/// The first line of a cache written by this binary for settings with fingerprint `settings`.
fn header(settings: u64) -> Option<String> {
    Some(format!("{FORMAT}\t{}\t{settings:016x}", crate::fingerprint::binary_identity()?))
}

/// The cached bodies for `output` by source path, with the hash of the file each came from;
/// their `html` is `None`. Empty when there is no cache or it does not match.
pub fn load(output: &Path, settings: u64) -> HashMap<PathBuf, (u64, Body)> {
    let mut bodies = HashMap::new();
    let (Some(path), Some(header)) = (path(output), header(settings)) else { return bodies };
    let Ok(text) = std::fs::read_to_string(path) else { return bodies };
    let mut lines = text.lines();
    if lines.next() != Some(header.as_str()) {
        return bodies;
    }
    for line in lines {
        let Ok((source, hash, reading_minutes, summary)) =
            serde_json::from_str::<(String, String, u32, String)>(line)
        else {
            continue;
        };
        let Ok(hash) = u64::from_str_radix(&hash, 16) else { continue };
        bodies.insert(PathBuf::from(source), (hash, Body { html: None, summary, reading_minutes }));
    }
    bodies
}

/// Writes the cache of the build just written to `output`: each article's source path (under
/// `content/`), the hash of its file, and its body.
pub fn save<'a>(
    output: &Path,
    settings: u64,
    articles: impl Iterator<Item = (&'a Path, u64, &'a Body)>,
) -> std::io::Result<()> {
    let (Some(path), Some(header)) = (path(output), header(settings)) else { return Ok(()) };
    let mut text = header;
    text.push('\n');
    for (source, hash, body) in articles {
        let Some(source) = source.to_str() else { continue };
        let entry = (source, format!("{hash:016x}"), body.reading_minutes, &body.summary);
        if let Ok(line) = serde_json::to_string(&entry) {
            text.push_str(&line);
            text.push('\n');
        }
    }
    let temp = path.with_extension("midad-bodies-tmp");
    std::fs::write(&temp, text)?;
    std::fs::rename(temp, path)
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
        };
        save(&out, 7, std::iter::once((Path::new("politics/a.md"), 0xabc, &body))).unwrap();
        assert_eq!(path(&out).unwrap(), dir.path().join(".public.midad-bodies"));

        let loaded = load(&out, 7);
        let (hash, cached) = &loaded[Path::new("politics/a.md")];
        assert_eq!(*hash, 0xabc);
        assert_eq!((cached.summary.as_str(), cached.reading_minutes), (body.summary.as_str(), 3));
        assert!(cached.html.is_none(), "the HTML is not cached");
        assert!(load(&out, 8).is_empty(), "other settings: nothing is reused");
    }
}
