//! Internal links, images and `#anchors`: every address an article's body points at inside the
//! site must be one of the site's outputs, and an anchor must be an `id` of the page it names.
//!
//! An address is inside the site when it is relative (`../x/`, `photo.jpg`), starts with the
//! site's base path (`/politics/x/`, or `/ar/politics/x/` for a site under `/ar/`), or starts
//! with the site's own `base_url`. Its path is percent-decoded and resolved against the
//! article's folder; a folder address (`x/`) is its `index.html`, and an address without the
//! final slash finds the folder too, as static hosts redirect it. Other schemes (`mailto:`,
//! `tel:`) and root-relative addresses outside the base path are not looked at; `http(s)`
//! addresses of other hosts are for the external check.
//!
//! The ids of a page are read from its HTML only when some link names an anchor in it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use percent_encoding::percent_decode_str;
use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::content::resolve_segments;
use crate::error::{Diagnostic, Location};
use crate::markdown::{Reference, ReferenceKind};

/// An article's body as the check reads it.
pub struct Page<'a> {
    /// The article's file, relative to the site (`content/politics/x.md`), for messages.
    pub source: PathBuf,
    /// The article's URL path relative to the site root, ending with `/` (`politics/x/`).
    pub folder: &'a str,
    /// The line of the file where the body starts.
    pub body_line: u32,
    /// What the body points at.
    pub references: &'a [Reference],
}

/// The site's outputs as the check sees them.
pub trait Outputs: Sync {
    /// Whether the output folder will hold a file at `path` (relative, `/`-separated).
    fn has(&self, path: &str) -> bool;
    /// The bytes of the output file at `path`, for its ids (borrowed when they are in memory).
    fn html(&self, path: &str) -> Option<Cow<'_, [u8]>>;
    /// Whether the site ships the image a body at `folder` writes as `url` (its photos are
    /// looked up by their source, not by an output path).
    fn has_image(&self, url: &str, folder: &str) -> bool;
}

/// Where an address points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path of the site and the anchor, if any.
    Internal {
        /// Relative to the site's root, decoded, `.` and `..` resolved; `None` when `..`
        /// climbs above the root.
        path: Option<String>,
        /// The anchor, decoded, without `#`.
        fragment: Option<String>,
    },
    /// An `http(s)` address of another site.
    External,
    /// Nothing the check follows: another scheme, or outside the site's base path.
    Elsewhere,
}

/// The site's own address, to tell its pages from other sites'.
pub struct Base<'a> {
    /// `base_url`, ending with `/`.
    pub url: &'a str,
    /// Its path, `/` or e.g. `/ar/`.
    pub path: &'a str,
}

impl Base<'_> {
    /// Where `url`, written in the body of the page at `folder`, points.
    pub fn resolve(&self, url: &str, folder: &str) -> Target {
        let url = url.trim();
        let origin_len = self.url.len() - self.path.len();
        let origin = &self.url[..origin_len];
        let same_origin = url.get(..origin_len).is_some_and(|o| o.eq_ignore_ascii_case(origin))
            && url[origin_len..].chars().next().is_none_or(|c| matches!(c, '/' | '?' | '#'));
        let url = if same_origin && origin_len > 0 { &url[origin_len..] } else { url };
        if url.starts_with("//") {
            return Target::External;
        }
        if let Some(scheme) = scheme(url) {
            let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
            return if web { Target::External } else { Target::Elsewhere };
        }
        let (rest, fragment) = match url.split_once('#') {
            Some((rest, fragment)) => (rest, Some(decode(fragment).into_owned())),
            None => (url, None),
        };
        let written = rest.split_once('?').map_or(rest, |(path, _)| path);
        let joined = if written.is_empty() {
            folder.to_string()
        } else if written.starts_with('/') {
            // `/ar/x/` and `/ar` are of a site under `/ar/`; `/arabic/` and `/en/` are not.
            let inside = written.strip_prefix(self.path.trim_end_matches('/'));
            match inside.filter(|inside| inside.is_empty() || inside.starts_with('/')) {
                Some(inside) => inside.trim_start_matches('/').to_string(),
                None => return Target::Elsewhere,
            }
        } else {
            format!("{folder}{written}")
        };
        Target::Internal { path: normalise(&decode(&joined)), fragment }
    }
}

/// The scheme of an absolute URL (`mailto` of `mailto:x@y`), if it has one.
fn scheme(url: &str) -> Option<&str> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// `text` percent-decoded (invalid UTF-8 replaced).
fn decode(text: &str) -> Cow<'_, str> {
    percent_decode_str(text).decode_utf8_lossy()
}

/// `path` with `.` and `..` segments resolved and empty ones dropped, keeping a final `/`;
/// `None` when `..` climbs above the root.
fn normalise(path: &str) -> Option<String> {
    let segments = resolve_segments(path)?;
    let folder = path.is_empty() || path.ends_with('/') || path.ends_with("/.") || path == ".";
    let mut normal = segments.join("/");
    if folder && !normal.is_empty() {
        normal.push('/');
    }
    Some(normal)
}

/// The output file that `path` (a site path from [`Base::resolve`]) is served from, if any.
fn served_from(outputs: &dyn Outputs, path: &str) -> Option<String> {
    let candidates = |path: &str| -> Vec<String> {
        if path.is_empty() || path.ends_with('/') {
            vec![format!("{path}index.html")]
        } else {
            vec![path.to_string(), format!("{path}/index.html")]
        }
    };
    let composed: String = path.nfc().collect();
    let mut all = candidates(path);
    if composed != path {
        all.extend(candidates(&composed));
    }
    all.into_iter().find(|candidate| outputs.has(candidate))
}

/// The ids of an HTML page: its `id` attributes and the `name`s of its `<a>` elements. Read
/// as bytes (a page can be large and only its ids need to be text); an id that isn't UTF-8
/// matches no anchor.
fn ids_of(html: &[u8]) -> HashSet<String> {
    let mut ids = HashSet::new();
    for attribute in [&b" id="[..], b" name="] {
        for at in memchr::memmem::find_iter(html, attribute) {
            let after = &html[at + attribute.len()..];
            let value = match after.first() {
                Some(&quote @ (b'"' | b'\'')) => after[1..].split(|&b| b == quote).next(),
                _ => after.split(|&b| b.is_ascii_whitespace() || b == b'>').next(),
            };
            if let Some(value) = value.and_then(|value| std::str::from_utf8(value).ok()) {
                ids.insert(crate::markdown::escape::unescape_attribute(value));
            }
        }
    }
    ids
}

/// Checks every internal address of `pages` against `outputs`. Each problem is a diagnostic
/// at the address in its file: an error when `as_error` (`midad check`), else a warning (a
/// build).
pub fn check<'a>(
    pages: impl Iterator<Item = Page<'a>>,
    outputs: &dyn Outputs,
    base: &Base<'_>,
    as_error: bool,
) -> Vec<Diagnostic> {
    // Where each address leads; then the ids of the pages anchors name, read in parallel (a
    // page's HTML is read and scanned once, however many anchors name it).
    let resolved: Vec<(Page<'a>, Vec<Resolved>)> = pages
        .map(|page| {
            let leads = page.references.iter().map(|r| resolve(page.folder, r, outputs, base));
            let leads = leads.collect();
            (page, leads)
        })
        .collect();
    let anchored: HashSet<&str> = resolved
        .iter()
        .flat_map(|(_, leads)| leads)
        .filter_map(|lead| match lead {
            Resolved::Found { file, fragment: Some(_), .. } if file.ends_with(".html") => {
                Some(file.as_str())
            }
            _ => None,
        })
        .collect();
    let ids: HashMap<&str, Option<HashSet<String>>> = anchored
        .into_par_iter()
        .map(|file| (file, outputs.html(file).map(|h| ids_of(&h))))
        .collect();
    let mut found = Vec::new();
    for (page, leads) in &resolved {
        for (reference, lead) in page.references.iter().zip(leads) {
            let Some(problem) = problem(&reference.url, lead, &ids) else {
                continue;
            };
            let line = page.body_line.saturating_add(reference.line).saturating_sub(1);
            let at = Location::at(&page.source, line as usize, reference.column as usize);
            let diagnostic = Diagnostic::content(at, problem.message).with_hint(problem.hint);
            found.push(if as_error { diagnostic } else { diagnostic.warning() });
        }
    }
    found
}

/// What is wrong with one address, said for its author.
struct Problem {
    message: String,
    hint: String,
}

/// Where an address inside the site leads among the outputs.
enum Resolved {
    /// Somewhere the internal check doesn't look: another site, another scheme, or an image the
    /// site ships.
    Fine,
    /// Above the site's root folder.
    ClimbsAbove,
    /// No output; `shown` is where it leads as the site's address (`/ar/x/`).
    Missing { shown: String, image: bool },
    /// The output `file`, and the anchor named in it (`#top` and empty ones are always there).
    Found { file: String, fragment: Option<String>, shown: String, home: bool },
}

/// Where `reference`, written in the body of the page at `folder`, leads.
fn resolve(
    folder: &str,
    reference: &Reference,
    outputs: &dyn Outputs,
    base: &Base<'_>,
) -> Resolved {
    let Target::Internal { path, fragment } = base.resolve(&reference.url, folder) else {
        return Resolved::Fine;
    };
    let image = reference.kind == ReferenceKind::Image;
    if image && outputs.has_image(&reference.url, folder) {
        return Resolved::Fine;
    }
    let Some(path) = path else {
        return Resolved::ClimbsAbove;
    };
    let shown = format!("{}{path}", base.path);
    let Some(file) = served_from(outputs, &path) else {
        return Resolved::Missing { shown, image };
    };
    let fragment = fragment.filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("top"));
    Resolved::Found { file, fragment, shown, home: path.is_empty() }
}

/// The problem with the address `url` that leads to `lead`, given the `ids` of the pages anchors
/// name, if it has one.
fn problem(
    url: &str,
    lead: &Resolved,
    ids: &HashMap<&str, Option<HashSet<String>>>,
) -> Option<Problem> {
    let (file, fragment, shown, home) = match lead {
        Resolved::Fine => return None,
        Resolved::ClimbsAbove => {
            return Some(Problem {
                message: format!("`{url}` climbs above the site's root folder"),
                hint: "remove a `../` from the address, or write it from the root, e.g. \
                       `/politics/`"
                    .to_string(),
            });
        }
        Resolved::Missing { shown, image } => return Some(missing(url, shown, *image)),
        Resolved::Found { file, fragment, shown, home } => (file, fragment.as_ref()?, shown, home),
    };
    let page_ids = ids.get(file.as_str())?.as_ref()?;
    if page_ids.contains(fragment) || page_ids.contains(&fragment.nfc().collect::<String>()) {
        return None;
    }
    let page = if *home { "the home page".to_string() } else { format!("`{shown}`") };
    Some(Problem {
        message: format!("`{url}` names the anchor `#{fragment}`, which {page} does not have"),
        hint: "a heading's id is its text with spaces as hyphens (`## المقدمة` → `#المقدمة`); \
               give one an id of its own with `## المقدمة {#intro}`"
            .to_string(),
    })
}

/// The problem of an address that is no file of the site; `path` is where it leads, as the
/// site's address (`/ar/x/`).
fn missing(url: &str, path: &str, image: bool) -> Problem {
    if image {
        return Problem {
            message: format!("the image `{url}` is not among the site's files"),
            hint: "put the file beside the article (in its bundle folder) or under `static/`, \
                   or correct its name"
                .to_string(),
        };
    }
    let leads = if url == path { String::new() } else { format!(" leads to `{path}`, which") };
    Problem {
        message: format!("`{url}`{leads} is no page or file of the site"),
        hint: "correct the address; a page that moved keeps its old address when it lists it \
               under `aliases`"
            .to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: Base<'static> = Base { url: "https://news.example/", path: "/" };
    const UNDER_AR: Base<'static> = Base { url: "https://example.com/ar/", path: "/ar/" };

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal { path: Some(path.to_string()), fragment: fragment.map(str::to_string) }
    }

    #[test]
    fn addresses_resolve_against_the_article_folder_and_the_base() {
        let folder = "سياسة/خبر/";
        assert_eq!(ROOT.resolve("/اقتصاد/", folder), internal("اقتصاد/", None));
        assert_eq!(ROOT.resolve("صورة.jpg", folder), internal("سياسة/خبر/صورة.jpg", None));
        assert_eq!(ROOT.resolve("../آخر/", folder), internal("سياسة/آخر/", None));
        assert_eq!(
            ROOT.resolve("../../../x/", folder),
            Target::Internal { path: None, fragment: None }
        );
        assert_eq!(ROOT.resolve("#المقدمة", folder), internal("سياسة/خبر/", Some("المقدمة")));
        assert_eq!(
            ROOT.resolve("/%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF/?page=2#top", folder),
            internal("اقتصاد/", Some("top"))
        );
        assert_eq!(ROOT.resolve("https://NEWS.example/tags/x/", folder), internal("tags/x/", None));
        assert_eq!(ROOT.resolve("https://other.example/", folder), Target::External);
        assert_eq!(ROOT.resolve("//cdn.example/a.js", folder), Target::External);
        assert_eq!(ROOT.resolve("mailto:news@example.com", folder), Target::Elsewhere);
        assert_eq!(ROOT.resolve("tel:+20123", folder), Target::Elsewhere);
        assert_eq!(ROOT.resolve("/", folder), internal("", None));
    }

    #[test]
    fn a_site_under_a_path_knows_its_own_pages() {
        let folder = "politics/x/";
        assert_eq!(UNDER_AR.resolve("/ar/economy/", folder), internal("economy/", None));
        assert_eq!(UNDER_AR.resolve("/ar", folder), internal("", None));
        assert_eq!(UNDER_AR.resolve("/en/economy/", folder), Target::Elsewhere);
        assert_eq!(UNDER_AR.resolve("/arabic/", folder), Target::Elsewhere);
        assert_eq!(UNDER_AR.resolve("https://example.com/ar/a/", folder), internal("a/", None));
        assert_eq!(UNDER_AR.resolve("https://example.com/en/", folder), Target::Elsewhere);
    }

    struct Site {
        files: Vec<(&'static str, &'static str)>,
        images: Vec<&'static str>,
    }

    impl Outputs for Site {
        fn has(&self, path: &str) -> bool {
            self.files.iter().any(|(p, _)| *p == path)
        }
        fn html(&self, path: &str) -> Option<Cow<'_, [u8]>> {
            self.files.iter().find(|(p, _)| *p == path).map(|(_, html)| Cow::from(html.as_bytes()))
        }
        fn has_image(&self, url: &str, _folder: &str) -> bool {
            self.images.contains(&url)
        }
    }

    fn link(kind: ReferenceKind, url: &str, line: u32, column: u32) -> Reference {
        Reference { kind, url: url.to_string(), line, column }
    }

    #[test]
    fn every_broken_address_is_reported_where_it_is_written() {
        let site = Site {
            files: vec![
                ("index.html", "<main id=\"main\">"),
                ("politics/x/index.html", "<h2 id=\"المقدمة\">المقدمة</h2><a name='old'>"),
                ("economy/index.html", "<h1 id=x>"),
                ("static/logo.svg", "<svg/>"),
            ],
            images: vec!["photo.jpg"],
        };
        let references = [
            link(ReferenceKind::Link, "/economy/", 1, 1),
            link(ReferenceKind::Link, "/economy", 1, 2),
            link(ReferenceKind::Link, "../x/#المقدمة", 1, 3),
            link(ReferenceKind::Link, "#old", 1, 4),
            link(ReferenceKind::Link, "/#main", 1, 5),
            link(ReferenceKind::Link, "#top", 1, 6),
            link(ReferenceKind::Image, "photo.jpg", 1, 7),
            link(ReferenceKind::Image, "/static/logo.svg", 1, 8),
            link(ReferenceKind::Link, "https://elsewhere.example/", 1, 9),
            link(ReferenceKind::Link, "/no/such/page/", 2, 10),
            link(ReferenceKind::Image, "missing.jpg", 3, 11),
            link(ReferenceKind::Link, "#الخاتمة", 4, 12),
            link(ReferenceKind::Link, "/economy/#y", 5, 13),
            link(ReferenceKind::Link, "../../../up/", 6, 14),
        ];
        let page = Page {
            source: PathBuf::from("content/politics/x.md"),
            folder: "politics/x/",
            body_line: 6,
            references: &references,
        };
        let found = check(std::iter::once(page), &site, &ROOT, true);
        let shown: Vec<String> = found.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            shown,
            [
                "content/politics/x.md:7:10: `/no/such/page/` is no page or file of the site",
                "content/politics/x.md:8:11: the image `missing.jpg` is not among the site's files",
                "content/politics/x.md:9:12: `#الخاتمة` names the anchor `#الخاتمة`, which `/politics/x/` does not have",
                "content/politics/x.md:10:13: `/economy/#y` names the anchor `#y`, which `/economy/` does not have",
                "content/politics/x.md:11:14: `../../../up/` climbs above the site's root folder",
            ]
        );
        assert!(found.iter().all(|d| d.severity == crate::error::Severity::Error));
        let page = Page {
            source: PathBuf::from("content/politics/x.md"),
            folder: "politics/x/",
            body_line: 6,
            references: &references[9..10],
        };
        let warnings = check(std::iter::once(page), &site, &ROOT, false);
        assert_eq!(warnings[0].severity, crate::error::Severity::Warning);
    }
}
