//! The build's look at what article bodies point at (`crate::links`): inside the site, among
//! the files it made; on other sites, for `midad check --external`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use crate::error::{Diagnostic, Location};
use crate::images::Photos;
use crate::links::external::{self, Failure, Verdict};
use crate::links::internal::{self, Base, Outputs, Page, Target};
use crate::output::{Contents, OutputFile, Staging};

use super::model::Model;
use super::options::ExternalLinks;

/// The files of a build, as the link check asks about them.
struct Made<'a> {
    files: HashMap<&'a str, &'a Contents>,
    /// Where a one-off build wrote the pages it rendered.
    staging: Option<&'a Staging>,
    photos: &'a Photos,
}

impl Outputs for Made<'_> {
    fn has(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.photos.has(path, "")
    }

    fn html(&self, path: &str) -> Option<Cow<'_, [u8]>> {
        let bytes = match self.files.get(path)? {
            Contents::Bytes(bytes) => return Some(Cow::Borrowed(bytes)),
            Contents::Staged { .. } => std::fs::read(self.staging?.staged_path(path)),
            Contents::Copy(from) | Contents::Keep(from) | Contents::Link(from) => {
                std::fs::read(from)
            }
        };
        bytes.ok().map(Cow::Owned)
    }

    fn has_image(&self, url: &str, folder: &str) -> bool {
        self.photos.has(url, folder)
    }
}

/// The internal links, images and anchors of every article body that lead nowhere among
/// `files`: errors when `as_error` (`midad check`), else warnings.
pub(super) fn problems(
    model: &Model,
    files: &[OutputFile],
    staging: Option<&Staging>,
    as_error: bool,
) -> Vec<Diagnostic> {
    let made = Made {
        files: files.iter().map(|file| (file.path.as_str(), &file.contents)).collect(),
        staging,
        photos: &model.photos,
    };
    let pages = model.library.articles.iter().zip(&model.bodies);
    let pages = pages.filter(|(_, body)| !body.references.is_empty()).map(|(article, body)| Page {
        source: Path::new("content").join(&article.source),
        folder: &article.path,
        body_line: article.body_line,
        references: &body.references,
    });
    let base = Base { url: &model.config.base_url, path: &model.config.base_path };
    internal::check(pages, &made, &base, as_error)
}

/// Every link of the articles' bodies to another site, requested (or answered by the cache of
/// the last day, beside `output`): broken ones as errors, those that could not be checked as
/// warnings, each at every place it is written; and what was done.
pub(super) fn external_problems(model: &Model, output: &Path) -> (Vec<Diagnostic>, ExternalLinks) {
    let base = Base { url: &model.config.base_url, path: &model.config.base_path };
    let mut urls: Vec<String> = Vec::new();
    let mut places: Vec<Location> = Vec::new();
    for (article, body) in model.library.articles.iter().zip(&model.bodies) {
        for reference in &body.references {
            if base.resolve(&reference.url, &article.path) != Target::External {
                continue;
            }
            // A protocol-relative link is read as the reader's page is served: over https.
            let url = match reference.url.trim().strip_prefix("//") {
                Some(rest) => format!("https://{rest}"),
                None => reference.url.trim().to_string(),
            };
            urls.push(url);
            let line = article.body_line.saturating_add(reference.line).saturating_sub(1);
            let source = Path::new("content").join(&article.source);
            places.push(Location::at(source, line as usize, reference.column as usize));
        }
    }
    let settings = external::Settings {
        cache: crate::output::beside(output, "links"),
        ..external::Settings::default()
    };
    let checked = external::check(&urls, &settings, std::time::SystemTime::now());
    let distinct: std::collections::HashSet<&str> = urls.iter().map(String::as_str).collect();
    let mut found: Vec<Diagnostic> = checked
        .verdicts
        .iter()
        .zip(places)
        .filter_map(|((url, verdict), at)| external_problem(url, verdict, at))
        .collect();
    if let Some(err) = checked.cache_error {
        found.push(Diagnostic::internal(err.to_string()).warning());
    }
    let links = ExternalLinks {
        links: distinct.len(),
        requested: checked.requested,
        cached: checked.cached,
    };
    (found, links)
}

/// What a verdict on the external link `url`, written at `at`, tells its author, if anything.
fn external_problem(url: &str, verdict: &Verdict, at: Location) -> Option<Diagnostic> {
    match verdict {
        Verdict::Ok { .. } => None,
        Verdict::Broken { .. } => Some(
            Diagnostic::content(at, format!("`{url}` answers {verdict}: the page is not there"))
                .with_hint(
                    "link to where the page is now, or to an archived copy \
                     (https://web.archive.org/); a page that moves usually redirects",
                ),
        ),
        Verdict::Invalid { reason } => Some(
            Diagnostic::content(
                at,
                format!("`{url}` is not an address that can be followed: {reason}"),
            )
            .with_hint("write it in full, e.g. `https://example.com/path`"),
        ),
        Verdict::Unreachable { reason } => {
            let hint = match reason {
                Failure::InternationalHost => {
                    "write the host in its `xn--` form (an online IDN converter gives it)"
                }
                _ => {
                    "a network problem is not an error of the site: the check tries again next time"
                }
            };
            Some(
                Diagnostic::content(at, format!("`{url}` could not be checked: {reason}"))
                    .with_hint(hint)
                    .warning(),
            )
        }
    }
}
