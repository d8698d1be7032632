//! Redirect pages for `aliases`: old URLs of an article that keep working after it moves.
//!
//! A static host can't send a 301 by itself, so each alias gets a small HTML page with a
//! `<meta http-equiv="refresh">`, a canonical link to the new URL (which tells search engines the
//! page moved) and a plain link for readers. An alias that would overwrite a real page, or leave the
//! output folder, is an error naming the article.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use super::site::Site;
use crate::error::Diagnostic;
use crate::output::OutputFile;

/// The redirect pages of every article's aliases; `rendered` are the paths of the other outputs,
/// which an alias may not replace.
pub(crate) fn render<'p>(
    site: &Site<'_>,
    rendered: impl Iterator<Item = std::borrow::Cow<'p, str>>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let articles = &site.library.articles;
    if articles.iter().all(|a| a.front_matter.aliases.is_empty()) {
        return Ok(Vec::new());
    }
    // Aliases are few: look for them among the rendered paths, not the other way round.
    let wanted: BTreeSet<String> = articles
        .iter()
        .flat_map(|a| &a.front_matter.aliases)
        .filter_map(|alias| output_path(alias, &site.config.base_path))
        .collect();
    let taken: BTreeSet<std::borrow::Cow<'p, str>> =
        rendered.filter(|p| wanted.contains(p.as_ref())).collect();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for article in articles {
        for alias in &article.front_matter.aliases {
            let at =
                article.front_matter.at(&["aliases"], &Path::new("content").join(&article.source));
            let Some(path) = output_path(alias, &site.config.base_path) else {
                errors.push(
                    Diagnostic::content(
                        at,
                        format!("alias `{alias}` is not a path inside the site"),
                    )
                    .with_hint("write it like `/politics/old-title/`"),
                );
                continue;
            };
            if taken.contains(path.as_str()) || !seen.insert(path.clone()) {
                errors.push(
                    Diagnostic::content(
                        at,
                        format!("alias `{alias}` is the URL of another page or alias"),
                    )
                    .with_hint("remove it or change it"),
                );
                continue;
            }
            let target = site.permalink(&article.path);
            let language = &site.config.languages[article.lang];
            files.push(OutputFile::bytes(path, page(&target, &language.code, language.dir)));
        }
    }
    if errors.is_empty() { Ok(files) } else { Err(errors) }
}

/// The output file of an alias: `a/b/` and `a/b` → `a/b/index.html`, `a/b.html` as is; `None`
/// for anything that would leave the output or is empty.
fn output_path(alias: &str, base_path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(alias.trim()).decode_utf8().ok()?;
    let rel = decoded.strip_prefix(base_path).unwrap_or(&decoded).trim_start_matches('/');
    let segments: Vec<&str> = rel.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty()
        || segments.iter().any(|s| *s == "." || *s == ".." || s.contains(['\\', '\0', ':']))
    {
        return None;
    }
    let joined = segments.join("/");
    if joined.ends_with(".html") || joined.ends_with(".htm") {
        Some(joined)
    } else {
        Some(format!("{joined}/index.html"))
    }
}

/// The redirect page itself.
fn page(target: &str, lang: &str, dir: &str) -> String {
    let target = crate::templates::escape_html(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{target}</title>\n<link rel=\"canonical\" href=\"{target}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<p><a href=\"{target}\">{target}</a></p>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(alias: &str, expect: Option<&str>) {
        assert_eq!(output_path(alias, "/").as_deref(), expect, "{alias}");
    }

    #[test]
    fn alias_paths() {
        check("/politics/old/", Some("politics/old/index.html"));
        check("politics/old", Some("politics/old/index.html"));
        check("/news/123.html", Some("news/123.html"));
        check("/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/", Some("سياسة/index.html"));
        check("/سياسة/خبر-قديم/", Some("سياسة/خبر-قديم/index.html"));
        check("/../etc/passwd", None);
        check("/a/%2e%2e/b", None);
        check("/", None);
        check("C:\\x", None);
        assert_eq!(output_path("/ar/old/", "/ar/").as_deref(), Some("old/index.html"));
    }
}
