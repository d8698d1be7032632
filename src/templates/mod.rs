//! Tera templates: the theme's, overridden by the site's own, with midad's filters and the
//! theme's UI strings.
//!
//! Every template is first parsed on its own, so a syntax error in any of them is reported with
//! its file, line and column, and all of them are reported at once. Rendering errors name the
//! template being rendered and Tera's chain of causes. This module knows nothing of the content
//! model: it renders a `tera::Context` that `render` prepares.

mod filters;
mod locate;
mod uses;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::error::{Diagnostic, Kind, Location};
use crate::fingerprint::{self, Fingerprint};
use locate::Source;
use uses::{Uses, uses};

pub use filters::{FilterSettings, PhotoSlot, escape_html};

/// The templates of a build, ready to render in each of the site's languages.
pub struct Templates {
    /// The templates with the filters of each language (its dates, digits, plurals), by
    /// [`crate::config::LangId`].
    tera: Vec<tera::Tera>,
    /// Where each template came from, relative to the site root, for error messages.
    sources: BTreeMap<String, Source>,
    /// The UI strings of each language, by [`crate::config::LangId`].
    strings: Vec<serde_json::Map<String, serde_json::Value>>,
    /// For each template, a fingerprint of its source and of every template it extends, includes
    /// or imports (and of `data/` when any of them calls `data()`): what a page rendered with it
    /// depends on besides its variables.
    fingerprints: HashMap<String, u64>,
    /// Whether any template calls `image()`: then every page depends on the site's images.
    calls_image: bool,
    /// Whether a template rendered per page or per card (any but those under `shared/`) may
    /// read `site.build_time` (see [`Templates::reads_build_time`]).
    reads_build_time: bool,
    /// Whether a template may read a paginator's `total_items`.
    reads_total_items: bool,
    /// The photos `image()` answers from, set by each load of the site.
    photos: PhotoSlot,
    /// The date formatter of each language's filters.
    dates: Vec<std::sync::Arc<crate::arabic::date::DateFormatter>>,
}

/// The folder of the templates rendered once per build (see [`Templates::shared`]).
pub const SHARED: &str = "shared/";

/// The folder of the templates rendered once per article (see [`Templates::cards`]).
pub const CARDS: &str = "cards/";

/// The folder of shortcode templates: `shortcodes/<name>.html` is shortcode `name`.
pub const SHORTCODES: &str = "shortcodes/";

/// The templates every theme must provide.
pub const REQUIRED: &[&str] = &[
    "index.html",
    "section.html",
    "article.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "author_list.html",
    "author.html",
    "archive_index.html",
    "archive.html",
    "404.html",
];

/// The template of the search page, required unless `[search] enabled = false`.
pub const REQUIRED_WITH_SEARCH: &str = "search.html";

/// The folder of the site's theme (relative to `root`, or absolute for the built-in theme), or
/// the error that names the themes there are.
fn theme_folder(root: &Path, config: &Config) -> Result<PathBuf, Vec<Diagnostic>> {
    let at = || crate::config::locate_key(root, "theme");
    match crate::theme::folder(root, &config.images.cache, &config.theme) {
        Ok(Some(folder)) => return Ok(folder),
        Ok(None) => {}
        Err(err) => {
            let message = format!("the built-in theme could not be written out: {err}");
            let hint = "check that the cache folder (`[images] cache`) is writable";
            return Err(vec![Diagnostic::new(Kind::Theme, at(), message).with_hint(hint)]);
        }
    }
    let message =
        format!("theme `{}` not found: `themes/{}` does not exist", config.theme, config.theme);
    let mut themes: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    themes.push(crate::theme::BUILT_IN.to_string());
    themes.sort();
    themes.dedup();
    let hint = format!(
        "set `theme` to a folder under `themes/` or to the built-in theme: {}",
        themes.join(", ")
    );
    Err(vec![Diagnostic::new(Kind::Theme, at(), message).with_hint(hint)])
}

impl Templates {
    /// Loads `themes/<theme>/templates/` and `templates/` under `root`, and the theme's i18n;
    /// `settings` has the filter settings of each of the site's languages, in their order.
    pub fn load(
        root: &Path,
        config: &Config,
        settings: Vec<FilterSettings>,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let theme_rel = theme_folder(root, config)?;
        let mut errors = Vec::new();
        let mut files: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        for dir in [theme_rel.join("templates"), PathBuf::from("templates")] {
            collect(root, &dir, &mut files, &mut errors);
        }
        let mut sources = BTreeMap::new();
        let mut raw = Vec::new();
        let mut parsed = BTreeMap::new();
        for (name, (path, text)) in files {
            match tera::Template::new(&name, None, &text) {
                Ok(template) => {
                    parsed.insert(
                        name.clone(),
                        Parsed { text: fingerprint::of(&text), uses: uses(&template) },
                    );
                }
                Err(err) => errors.push(template_error(&path, &text, &err)),
            }
            raw.push((name.clone(), text.clone()));
            sources.insert(name, Source { path, text });
        }
        for name in REQUIRED {
            if !sources.contains_key(*name) {
                errors.push(Diagnostic::theme(format!("template `{name}` is missing")).with_hint(
                    format!(
                        "add it to `{}` or to the site's `templates/`",
                        theme_rel.join("templates").display()
                    ),
                ));
            }
        }
        if config.search.enabled && !sources.contains_key(REQUIRED_WITH_SEARCH) {
            errors.push(
                Diagnostic::theme(format!(
                    "template `{REQUIRED_WITH_SEARCH}` (the search page) is missing"
                ))
                .with_hint(format!(
                    "add it to `{}` or to the site's `templates/`, or set `[search] enabled = false` in config.toml",
                    theme_rel.join("templates").display()
                )),
            );
        }
        let mut strings = Vec::new();
        for language in &config.languages {
            strings.push(load_strings(root, &theme_rel, &language.code).unwrap_or_else(|err| {
                errors.push(err);
                serde_json::Map::new()
            }));
        }
        let Some(first) = settings.first() else {
            return Err(vec![Diagnostic::internal("templates loaded with no language")]);
        };
        if !errors.is_empty() {
            return Err(errors);
        }

        let data_fingerprint = fingerprint::of_json(&*first.data);
        let calls_image = parsed.values().any(|p| p.uses.images);
        // Shortcodes are rendered into bodies with their arguments alone: no page's variables.
        let pages = parsed.iter().filter(|(name, _)| !name.starts_with(SHORTCODES));
        let reads_build_time =
            pages.clone().any(|(name, p)| p.uses.build_time && !name.starts_with(SHARED));
        let reads_total_items = pages.clone().any(|(_, p)| p.uses.total_items);
        let photos = std::sync::Arc::clone(&first.photos);
        let dates = settings.iter().map(|s| std::sync::Arc::clone(&s.dates)).collect();
        let fingerprints = fingerprints(&parsed, data_fingerprint);
        let mut base = tera::Tera::default();
        base.autoescape_on(vec![".html", ".xml"]);
        base.set_escape_fn(filters::escape_html);
        // The filters are registered first: templates are checked against them as they are added.
        filters::register(&mut base, first.clone());
        if let Err(err) = base.add_raw_templates(raw) {
            let message = chain(&err);
            let at = locate::in_templates(&message, &sources)
                .unwrap_or_else(|| Location::file(theme_rel.join("templates")));
            let hint = locate::hint(&message);
            return Err(vec![Diagnostic::template(at, message).with_some_hint(hint)]);
        }
        // Each other language renders the same parsed templates with filters of its own.
        let mut tera = vec![base];
        for language in settings.into_iter().skip(1) {
            let mut copy = tera[0].clone();
            filters::register(&mut copy, language);
            tera.push(copy);
        }
        Ok(Templates {
            tera,
            sources,
            strings,
            fingerprints,
            calls_image,
            reads_build_time,
            reads_total_items,
            photos,
            dates,
        })
    }

    /// The date formatter of language `lang`'s date filter, for dates written outside templates.
    pub fn dates(&self, lang: crate::config::LangId) -> &crate::arabic::date::DateFormatter {
        &self.dates[lang.min(self.dates.len() - 1)]
    }

    /// The UI strings of language `lang` (`t` in templates).
    pub fn strings(
        &self,
        lang: crate::config::LangId,
    ) -> &serde_json::Map<String, serde_json::Value> {
        &self.strings[lang.min(self.strings.len() - 1)]
    }

    /// Whether any template calls `image()`.
    pub fn calls_image(&self) -> bool {
        self.calls_image
    }

    /// Whether pages or cards may show the build's instant (`site.build_time`) rather than
    /// only what the fragments under `shared/` make of it. When they don't, a page depends on
    /// the instant only through those fragments' markup (the day in the header, the year in the
    /// footer), which is part of what every page is fingerprinted with, so two builds of a day
    /// render nothing twice. A template outside `shared/` that names `site.build_time` (or the
    /// whole `site`) makes every page depend on the instant.
    pub fn reads_build_time(&self) -> bool {
        self.reads_build_time
    }

    /// Whether a template may show a paginator's `total_items` (see `uses::Uses`). When none
    /// does, a listing page's fingerprint leaves it out, so an older article deleted or made a
    /// draft does not render the newer pages of its section again.
    pub fn reads_total_items(&self) -> bool {
        self.reads_total_items
    }

    /// Makes `photos` those `image()` answers from.
    pub fn set_photos(&self, photos: std::sync::Arc<crate::images::Photos>) {
        if let Ok(mut slot) = self.photos.write() {
            *slot = photos;
        }
    }

    /// The templates under `shared/`: rendered once per build with the variables every page
    /// shares, and given to every page as `shared.<name>` (see `render`).
    pub fn shared(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str).filter(|name| name.starts_with(SHARED))
    }

    /// The templates under `cards/`: rendered once per article with its summary as `item` and the
    /// site's own variables, and kept in the summary as `item.cards.<name>` (see `render`).
    pub fn cards(&self) -> impl Iterator<Item = &str> {
        self.sources.keys().map(String::as_str).filter(|name| name.starts_with(CARDS))
    }

    /// The shortcodes bodies may call: the names of the templates under `shortcodes/`.
    pub fn shortcodes(&self) -> Vec<String> {
        let names = self.sources.keys().filter_map(|name| {
            name.strip_prefix(SHORTCODES)?.strip_suffix(".html").map(str::to_string)
        });
        names.collect()
    }

    /// Whether shortcode `name` exists.
    pub fn has_shortcode(&self, name: &str) -> bool {
        self.sources.contains_key(&shortcode_template(name))
    }

    /// One fingerprint of the shortcode templates (with what they use) and the UI strings they
    /// may show: what a body with calls depends on besides its Markdown.
    pub fn shortcodes_fingerprint(&self) -> u64 {
        let mut fp = Fingerprint::new();
        for name in self.sources.keys().filter(|name| name.starts_with(SHORTCODES)) {
            fp.add(name).add(&self.fingerprint(name));
        }
        for strings in &self.strings {
            fp.add(&fingerprint::of_json(strings));
        }
        fp.finish()
    }

    /// Renders shortcode `name` with `context`, in language `lang`.
    pub fn render_shortcode(
        &self,
        lang: crate::config::LangId,
        name: &str,
        context: &tera::Context,
    ) -> Result<String, Diagnostic> {
        self.render_string(lang, &shortcode_template(name), context)
    }

    /// The fingerprint of template `name` and everything it uses (see [`Templates`]).
    pub fn fingerprint(&self, name: &str) -> u64 {
        self.fingerprints.get(name).copied().unwrap_or_default()
    }

    /// One fingerprint of every template (and of the data they call for).
    pub fn fingerprint_all(&self) -> u64 {
        let mut all: Vec<(&String, &u64)> = self.fingerprints.iter().collect();
        all.sort();
        fingerprint::of(&all)
    }

    /// Renders template `name` with `context` in language `lang`, as a string (a fragment of a
    /// page).
    pub fn render_string(
        &self,
        lang: crate::config::LangId,
        name: &str,
        context: &tera::Context,
    ) -> Result<String, Diagnostic> {
        let html = self.render(lang, name, context)?;
        // Tera writes UTF-8.
        Ok(String::from_utf8(html)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// Renders template `name` with `context` in language `lang` (its filters), as bytes: Tera
    /// writes UTF-8, and rendering to a buffer skips the check `Tera::render` makes of every byte
    /// of a page to return a `String`.
    pub fn render(
        &self,
        lang: crate::config::LangId,
        name: &str,
        context: &tera::Context,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(32 * 1024);
        let tera = &self.tera[lang.min(self.tera.len() - 1)];
        tera.render_to(name, context, &mut out).map_err(|err| {
            let message = chain(&err);
            let at = locate::in_templates(&message, &self.sources).unwrap_or_else(|| {
                let path = self.sources.get(name).map_or_else(|| name.into(), |s| s.path.clone());
                Location::file(path)
            });
            let hint = locate::hint(&message);
            Diagnostic::template(at, message).with_some_hint(hint)
        })?;
        // Pages are kept until the build is written: don't keep the growth slack too.
        out.shrink_to_fit();
        Ok(out)
    }
}

/// The template of shortcode `name`.
fn shortcode_template(name: &str) -> String {
    format!("{SHORTCODES}{name}.html")
}

/// A template as its fingerprint needs it: the fingerprint of its text and what it uses.
struct Parsed {
    text: u64,
    uses: Uses,
}

/// The fingerprint of each template: its text and the texts of every template it reaches through
/// `extends`, `import` and `include`, plus `data` when one of them calls `data()`.
fn fingerprints(parsed: &BTreeMap<String, Parsed>, data: u64) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    for name in parsed.keys() {
        let mut reached = BTreeSet::new();
        let mut stack = vec![name.as_str()];
        while let Some(next) = stack.pop() {
            if reached.insert(next)
                && let Some(template) = parsed.get(next)
            {
                stack.extend(template.uses.templates.iter().map(String::as_str));
            }
        }
        let mut fp = Fingerprint::new();
        let mut uses_data = false;
        // In name order (a `BTreeSet`), so the fingerprint doesn't depend on the walk.
        for dep in &reached {
            let template = parsed.get(*dep);
            uses_data |= template.is_some_and(|t| t.uses.data);
            fp.add(*dep).add(&template.map(|t| t.text));
        }
        if uses_data {
            fp.add(&data);
        }
        out.insert(name.clone(), fp.finish());
    }
    out
}

/// Reads every `.html`/`.xml` template under `root/dir` into `files`, keyed by its name.
fn collect(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, (PathBuf, String)>,
    errors: &mut Vec<Diagnostic>,
) {
    let full = root.join(dir);
    if !full.is_dir() {
        return;
    }
    for entry in WalkDir::new(&full).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&full) else { continue };
        let Some(name) = rel.to_str().map(|s| s.replace('\\', "/")) else { continue };
        if !(name.ends_with(".html") || name.ends_with(".xml") || name.ends_with(".txt")) {
            continue;
        }
        if crate::content::is_ignored_name(
            rel.file_name().and_then(|n| n.to_str()).unwrap_or_default(),
        ) {
            continue;
        }
        let site_path = dir.join(rel);
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => {
                files.insert(name, (site_path, text));
            }
            Err(e) => errors.push(Diagnostic::read(&site_path, e)),
        }
    }
}

/// `themes/<theme>/i18n/<language>.toml`, falling back to `ar.toml`.
fn load_strings(
    root: &Path,
    theme_rel: &Path,
    language: &str,
) -> Result<serde_json::Map<String, serde_json::Value>, Diagnostic> {
    let primary = language.split(['-', '_']).next().unwrap_or(language);
    let dir = theme_rel.join("i18n");
    let Some(rel) = [format!("{primary}.toml"), "ar.toml".to_string()]
        .into_iter()
        .map(|name| dir.join(name))
        .find(|rel| root.join(rel).is_file())
    else {
        return Ok(serde_json::Map::new());
    };
    let text = std::fs::read_to_string(root.join(&rel)).map_err(|e| Diagnostic::read(&rel, e))?;
    toml::from_str(&text).map_err(|err| {
        Diagnostic::data(
            Location::from_offset(&rel, &text, err.span().map_or(0, |s| s.start)),
            crate::config::toml_message(&err),
        )
    })
}

/// A template syntax error at its line and column (at the opening tag of a block never closed).
fn template_error(path: &Path, text: &str, err: &tera::Error) -> Diagnostic {
    let chained = chain(err);
    // Tera reports syntax errors through pest, whose message starts with ` --> line:col`.
    let position = chained.lines().find_map(|line| {
        let rest = line.trim_start().strip_prefix("--> ")?;
        let (line, col) = rest.trim().split_once(':')?;
        Some((line.parse::<usize>().ok()?, col.parse::<usize>().ok()?))
    });
    let message = chained
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("= "))
        .map(str::to_string)
        .unwrap_or_else(|| chained.lines().next().unwrap_or("invalid template").to_string());
    if let Some(((line, col), end)) =
        position.and_then(|(line, _)| locate::unclosed_block(text, line))
    {
        return Diagnostic::template(
            Location::at(path, line, col),
            format!("this block is never closed ({message} at the end of the file)"),
        )
        .with_hint(format!("add `{{% {end} %}}` where the block ends"));
    }
    let at = match position {
        Some((line, col)) => Location::at(path, line, col),
        None => Location::file(path),
    };
    Diagnostic::template(at, message)
}

/// Tera's error and its causes, one per clause: `failed to render 'x': variable `y` not found`.
fn chain(err: &tera::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        parts.push(cause.to_string());
        source = cause.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(template: &str, expect: &str) {
        let err = tera::Template::new("x.html", None, template).unwrap_err();
        assert_eq!(
            template_error(Path::new("templates/x.html"), template, &err).to_string(),
            expect
        );
    }

    #[test]
    fn a_template_fingerprint_follows_its_dependencies() {
        let raw = |partial: &str| {
            let texts = [
                ("article.html", "{% extends `base.html` %}"),
                ("base.html", r#"{% include "partial.html" %}"#),
                ("partial.html", partial),
                ("other.html", "<p>other</p>"),
            ];
            let parse = |(name, text): (&str, &str)| {
                let template = tera::Template::new(name, None, text).unwrap();
                (name.to_string(), Parsed { text: fingerprint::of(text), uses: uses(&template) })
            };
            texts.into_iter().map(parse).collect::<BTreeMap<_, _>>()
        };
        let before = fingerprints(&raw("<p>a</p>"), 1);
        let after = fingerprints(&raw("<p>b</p>"), 1);
        assert_ne!(before["article.html"], after["article.html"]);
        assert_eq!(before["other.html"], after["other.html"]);
        // `data()` ties a template to `data/`.
        let with_data = fingerprints(&raw("{{ data(name='x') }}"), 1);
        let other_data = fingerprints(&raw("{{ data(name='x') }}"), 2);
        assert_ne!(with_data["article.html"], other_data["article.html"]);
        assert_eq!(fingerprints(&raw("<p>a</p>"), 2)["article.html"], before["article.html"]);
    }

    /// Conditions answer as Tera escapes values before it tests them, with midad's escape
    /// function: `==` between a value escaped and one marked `safe` compares the escaped text,
    /// and equal values are equal (the menu's `s.url == current`). A Tera upgrade, or a patch
    /// that tests values without escaping them first (one was dropped: `vendor/tera/MIDAD.md`),
    /// must keep these answers.
    #[test]
    fn conditions_answer_as_if_values_were_escaped() {
        let mut tera = tera::Tera::default();
        tera.autoescape_on(vec![".html"]);
        tera.set_escape_fn(filters::escape_html);
        let cases = [
            ("{% if amp %}y{% endif %}", "y"),
            ("{% if empty %}y{% else %}n{% endif %}", "n"),
            ("{% if not lt %}y{% else %}n{% endif %}", "n"),
            (r#"{% if amp == "a&b" %}y{% else %}n{% endif %}"#, "y"),
            (r#"{% if amp != "a&b" %}y{% else %}n{% endif %}"#, "n"),
            ("{% if amp == same %}y{% else %}n{% endif %}", "y"),
            ("{% if amp == lt %}y{% else %}n{% endif %}", "n"),
            // One side escaped, the other not: `a&amp;b` against `a&b`, as upstream Tera answers.
            (r#"{% if amp | safe == "a&b" %}y{% else %}n{% endif %}"#, "n"),
            ("{% if amp | safe == escaped | safe %}y{% else %}n{% endif %}", "n"),
            ("{% if escaped | safe == amp %}y{% else %}n{% endif %}", "y"),
            ("{% if amp != escaped | safe %}y{% else %}n{% endif %}", "n"),
            ("{% if n == 2 %}y{% else %}n{% endif %}", "y"),
            ("{{ amp }} {{ amp | safe }} {{ lt }}", "a&amp;b a&b &lt;"),
        ];
        let mut context = tera::Context::new();
        context.insert("amp", "a&b");
        context.insert("same", "a&b");
        context.insert("escaped", "a&amp;b");
        context.insert("lt", "<");
        context.insert("empty", "");
        context.insert("n", &2);
        for (template, expect) in cases {
            tera.add_raw_template("t.html", template).unwrap();
            let out = tera.render("t.html", &context).unwrap();
            assert_eq!(out, expect, "{template}");
        }
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        check(
            "<p>\n{{ page.title }\n</p>",
            "templates/x.html:2:15: expected `or`, `and`, `not`, `<=`, `>=`, `<`, `>`, `==`, `!=`, `+`, `-`, `*`, `/`, `%`, a filter, or a variable end (`}}`)",
        );
        // A block never closed: at its opening tag, not at the end of the file where Tera is.
        check(
            "{% if x %}\n<p>",
            "templates/x.html:1:1: this block is never closed (expected tag or some content at the end of the file)",
        );
    }
}
