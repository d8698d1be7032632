//! Walk `content/` and turn its files into a [`Library`].
//!
//! The walk itself is sequential and sorted (so builds are deterministic); reading and parsing the
//! files runs in parallel. Every bad file is reported, and loading goes on past it. Editors' swap
//! and backup files and hidden files are ignored, so a build never trips over a half-saved file
//! from vim or Emacs.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::front_matter::{self, FrontMatter};
use super::known::{KnownFile, KnownFiles, Stamp};
use super::library::{Article, Library, Section, is_bundle_index};
use crate::config::{Config, LangId};
use crate::error::{Diagnostic, Location};

/// Which articles a build includes.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    /// Include drafts.
    pub drafts: bool,
    /// Include articles dated after `now`.
    pub future: bool,
    /// The build time: embargoes end at it.
    pub now: jiff::Timestamp,
    /// Leave every article's body in its file, for the Markdown step to read (see
    /// [`super::Article::markdown`]) instead of holding the whole site's Markdown at once.
    pub bodies_on_disk: bool,
}

/// What loading found.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The published content.
    pub library: Library,
    /// Bad files; the build fails if there is any.
    pub errors: Vec<Diagnostic>,
    /// Problems that don't stop the build.
    pub warnings: Vec<Diagnostic>,
    /// Drafts left out.
    pub skipped_drafts: usize,
    /// Embargoed articles left out.
    pub skipped_future: usize,
}

/// A file found by the walk, before parsing, with its language (see [`language_of`]).
enum Found {
    Home { lang: LangId, path: PathBuf },
    SectionIndex { section: String, lang: LangId, path: PathBuf },
    Article { section: String, lang: LangId, path: PathBuf },
}

/// What the last build knew of an article file that no longer matches it, with the file's path:
/// given back to [`KnownFiles`].
type Known = (PathBuf, KnownFile);

/// A section by language and folder name.
type SectionKey = (LangId, String);

/// Loads `root/content/`, taking what `known` (the last build's) says of unchanged article files.
///
/// An article file's entry in `known` is taken out when the file is still what it describes,
/// so its front matter is moved rather than copied; the others stay.
pub fn load(
    root: &Path,
    config: &Config,
    opts: &LoadOptions,
    known: &mut impl KnownFiles,
) -> Loaded {
    let content_dir = root.join("content");
    let mut loaded = Loaded::default();
    if !content_dir.is_dir() {
        loaded.errors.push(
            Diagnostic::content(Location::file("content"), "the site has no `content/` folder")
                .with_hint("create it and put sections in it, e.g. `content/politics/_index.md`"),
        );
        return loaded;
    }

    let scan = std::time::SystemTime::now();
    let (found, bundle_assets) = walk(&content_dir, config, &mut loaded);

    let found: Vec<(Found, Option<KnownFile>)> = found
        .into_iter()
        .map(|f| {
            let was = match &f {
                Found::Article { path, .. } => known.take(path),
                _ => None,
            };
            (f, was)
        })
        .collect();
    // What is known of a changed file is rare: boxed, so the list of them is a pointer per file.
    let (mut parsed, unused): (Vec<Option<Parsed>>, Vec<Option<Box<Known>>>) = found
        .into_par_iter()
        .map(|(f, was)| {
            let (res, unused) = match &f {
                Found::Home { path, .. } | Found::SectionIndex { path, .. } => {
                    (read_and_parse(&content_dir, path), None)
                }
                Found::Article { path, .. } => {
                    let on_disk = opts.bodies_on_disk;
                    let (res, unused) = load_file(&content_dir, path, was, scan, on_disk);
                    (res, unused.map(|was| Box::new((path.clone(), was))))
                }
            };
            (Some((f, res)), unused)
        })
        .unzip();
    for (path, file) in unused.into_iter().flatten().map(|known| *known) {
        known.give_back(&path, file);
    }

    let mut sections: BTreeMap<SectionKey, Section> = BTreeMap::new();
    let mut indexed = std::collections::BTreeSet::new();
    // The articles the build includes stay in `parsed` until each is moved, once, to its place
    // in the library: an article is a large struct, and moving them all two or three times was
    // most of this step at 100,000 articles.
    let mut admitted: Vec<Admitted> = Vec::with_capacity(parsed.len());
    for (at, entry) in parsed.iter_mut().enumerate() {
        if let Some((Found::Article { section, lang, path }, Ok(file))) = entry {
            let warned = !file.warnings.is_empty();
            loaded.warnings.append(&mut file.warnings);
            if let Some(date) = admit(path, &file.front_matter, config, opts, &mut loaded) {
                let key = (*lang, section.clone());
                sections.entry(key.clone()).or_insert_with(|| new_section(&key, config));
                admitted.push(Admitted { date, at, warned });
            }
            continue;
        }
        let Some((found, res)) = entry.take() else { continue };
        let mut parsed = match res {
            Ok(ok) => ok,
            Err(err) => {
                loaded.errors.push(err);
                continue;
            }
        };
        loaded.warnings.append(&mut parsed.warnings);
        match found {
            Found::Home { lang, .. } => {
                if lang == 0 {
                    loaded.library.home = Some(parsed.front_matter);
                }
            }
            Found::SectionIndex { section, lang, .. } => {
                let fm = parsed.front_matter;
                let key = (lang, section);
                indexed.insert(key.clone());
                let entry =
                    sections.entry(key.clone()).or_insert_with(|| new_section(&key, config));
                entry.title = fm.title;
                entry.description = fm.description.or(fm.summary).unwrap_or_default();
                entry.weight = fm.weight.unwrap_or(0);
            }
            // Parsed articles are taken above; one that failed to parse is an error.
            Found::Article { .. } => {}
        }
    }

    warn_unindexed(&sections, &indexed, config, &mut loaded);
    let home = loaded.library.home.take();
    let articles = Articles { parsed: &mut parsed, admitted, bundle_assets: &bundle_assets };
    loaded.library = library(sections, articles, config);
    loaded.library.home = home;
    if config.is_multilingual() {
        link_translations(&mut loaded.library, config);
    }
    loaded
}

/// A file found by the walk, parsed (or the error that stopped it).
type Parsed = (Found, Result<ParsedFile, Diagnostic>);

/// An article the build includes: its date, its place among the parsed files, and whether its
/// front matter had a warning.
struct Admitted {
    date: jiff::ZonedDateTime,
    at: usize,
    warned: bool,
}

/// The articles of a build, parsed, for [`library`] to take.
struct Articles<'a> {
    parsed: &'a mut [Option<Parsed>],
    admitted: Vec<Admitted>,
    bundle_assets: &'a BTreeMap<PathBuf, Vec<PathBuf>>,
}

/// Gives each article the ids of its translations: the articles of other languages whose file
/// is the same but for the language (`politics/x.md`, `politics/x.en.md`, `en/politics/x.md`).
fn link_translations(library: &mut Library, config: &Config) {
    let mut by_key: BTreeMap<PathBuf, Vec<usize>> = BTreeMap::new();
    for (id, article) in library.articles.iter().enumerate() {
        by_key.entry(translation_key(&article.source, config)).or_default().push(id);
    }
    for ids in by_key.into_values().filter(|ids| ids.len() > 1) {
        for &id in &ids {
            let lang = library.articles[id].lang;
            let others = ids.iter().copied().filter(|&other| library.articles[other].lang != lang);
            library.articles[id].translations = others.collect();
        }
    }
}

/// The file an article would be in the site's own language: `en/politics/x.md` and
/// `politics/x.en.md` are both `politics/x.md`.
pub(crate) fn translation_key(source: &Path, config: &Config) -> PathBuf {
    let Some(parts) = utf8_parts(source) else { return source.to_path_buf() };
    let (_, parts, name) = language_of(&parts, config);
    let mut key: PathBuf = parts.iter().collect();
    key.push(name);
    key
}

/// The language of a file under `content/` whose path is `parts`, the folders below the
/// language's, and its name without the language: `en/politics/x.md` and `politics/x.en.md`
/// are `(en, [politics], x.md)`; a file of the site's own language is as it is. A single-language
/// site has no language folders or suffixes.
fn language_of<'p>(parts: &[&'p str], config: &Config) -> (LangId, Vec<&'p str>, String) {
    let Some((&name, folders)) = parts.split_last() else {
        return (0, Vec::new(), String::new());
    };
    let other = |code: &str| config.language_of_code(code).filter(|&lang| lang > 0);
    if config.is_multilingual() {
        if let Some((&first, rest)) = folders.split_first()
            && let Some(lang) = other(first)
        {
            return (lang, rest.to_vec(), name.to_string());
        }
        if let Some(stem) = name.strip_suffix(".md")
            && let Some((stem, code)) = stem.rsplit_once('.')
            && let Some(lang) = other(code)
        {
            return (lang, folders.to_vec(), format!("{stem}.md"));
        }
    }
    (0, folders.to_vec(), name.to_string())
}

/// The date of the article of `path` with front matter `fm`, if the build includes it; `None`
/// when it is left out: a draft or embargoed (counted in `loaded`), or without a `date` (an error
/// in `loaded`).
fn admit(
    path: &Path,
    fm: &FrontMatter,
    config: &Config,
    opts: &LoadOptions,
    loaded: &mut Loaded,
) -> Option<jiff::ZonedDateTime> {
    let Some(date) = fm.date else {
        loaded.errors.push(
            Diagnostic::front_matter(
                Location::at(Path::new("content").join(path), 1, 1),
                "`date` is missing",
            )
            .with_hint("add when it was published, e.g. `date: 2026-11-29T09:30:00+03:00`"),
        );
        return None;
    };
    let date = date.resolve(&config.timezone);
    if fm.draft && !opts.drafts {
        loaded.skipped_drafts += 1;
        return None;
    }
    if date.timestamp() > opts.now && !opts.future {
        loaded.skipped_future += 1;
        return None;
    }
    Some(date)
}

/// The article of a parsed content file that [`admit`] let in, published at `date`.
fn article(
    path: PathBuf,
    parsed: ParsedFile,
    (date, warned): (jiff::ZonedDateTime, bool),
    config: &Config,
    bundle_assets: &BTreeMap<PathBuf, Vec<PathBuf>>,
) -> Article {
    let ParsedFile {
        front_matter: fm,
        body,
        body_line,
        body_at,
        body_on_disk,
        hash,
        stamp,
        base_slug,
        ..
    } = parsed;
    let updated = fm.updated.map(|u| u.resolve(&config.timezone));
    // A bundle's translations share its folder, and its files.
    let assets = if path.file_name().is_some_and(is_bundle_index) {
        path.parent().and_then(|dir| bundle_assets.get(dir)).cloned().unwrap_or_default()
    } else {
        Vec::new()
    };
    Article {
        source: path,
        section: 0,
        front_matter: fm,
        body,
        body_line,
        body_at,
        body_on_disk,
        source_hash: hash,
        stamp,
        parsed_cleanly: !warned,
        date,
        updated,
        assets,
        slug: String::new(),
        base_slug,
        path: String::new(),
        lang: 0,
        translations: Vec::new(),
    }
}

/// Warns of each section folder without an `_index.md` (not in `indexed`).
fn warn_unindexed(
    sections: &BTreeMap<SectionKey, Section>,
    indexed: &std::collections::BTreeSet<SectionKey>,
    config: &Config,
    loaded: &mut Loaded,
) {
    for (key, section) in sections {
        if !indexed.contains(key) {
            let index = match key.0 {
                0 => "_index.md".to_string(),
                lang => format!("_index.{}.md", config.languages[lang].code),
            };
            let message =
                format!("section `{0}` has no `{index}`, so its title is `{0}`", section.name);
            let hint = format!("add `content/{}/{index}` with a `title`", section.name);
            let at = Location::file(Path::new("content").join(&section.name));
            loaded.warnings.push(Diagnostic::content(at, message).with_hint(hint).warning());
        }
    }
}

/// The library of `sections` (by language and folder name) and `articles` (each with its
/// section's key): sections by language then in menu order, articles newest first, each
/// section listing its articles.
fn library(
    sections: BTreeMap<SectionKey, Section>,
    articles: Articles<'_>,
    config: &Config,
) -> Library {
    let mut sections: Vec<Section> = sections.into_values().collect();
    sections.sort_by(|a, b| {
        (a.lang, a.weight).cmp(&(b.lang, b.weight)).then_with(|| a.name.cmp(&b.name))
    });
    let section_ids: BTreeMap<SectionKey, usize> =
        sections.iter().enumerate().map(|(idx, s)| ((s.lang, s.name.clone()), idx)).collect();
    let Articles { parsed, mut admitted, bundle_assets } = articles;
    // Newest first; the source path breaks ties so the order never depends on the walk.
    let source = |at: usize| match &parsed[at] {
        Some((Found::Article { path, .. }, _)) => Some(path),
        _ => None,
    };
    admitted.sort_by(|a, b| {
        let newest = b.date.timestamp().cmp(&a.date.timestamp());
        newest.then_with(|| source(a.at).cmp(&source(b.at)))
    });
    let mut articles = Vec::with_capacity(admitted.len());
    for Admitted { date, at, warned } in admitted {
        let Some((Found::Article { section, lang, path }, Ok(file))) = parsed[at].take() else {
            continue;
        };
        let mut article = article(path, file, (date, warned), config, bundle_assets);
        article.lang = lang;
        article.section = section_ids.get(&(lang, section)).copied().unwrap_or(0);
        sections[article.section].articles.push(articles.len());
        articles.push(article);
    }
    Library { sections, articles, home: None }
}

fn new_section((lang, name): &SectionKey, config: &Config) -> Section {
    Section {
        name: name.to_string(),
        title: name.to_string(),
        description: String::new(),
        weight: 0,
        path: format!("{}{name}/", config.languages[*lang].prefix),
        articles: Vec::new(),
        lang: *lang,
    }
}

/// Lists the files to parse, and the assets of bundles by bundle folder (relative to `content/`).
fn walk(
    content_dir: &Path,
    config: &Config,
    loaded: &mut Loaded,
) -> (Vec<Found>, BTreeMap<PathBuf, Vec<PathBuf>>) {
    let mut found = Vec::new();
    let mut others: Vec<PathBuf> = Vec::new();
    let walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name().to_string_lossy().as_ref()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path =
                    err.path().map(Path::to_path_buf).unwrap_or_else(|| content_dir.to_path_buf());
                loaded.errors.push(Diagnostic::read(&path, err.into()));
                continue;
            }
        };
        // Links are not followed: a link to a folder that holds it would make the walk endless,
        // and one to a file elsewhere would make the site depend on what is not in it.
        if entry.depth() > 0 && entry.path_is_symlink() {
            let rel = entry.path().strip_prefix(content_dir).unwrap_or(entry.path());
            let at = Location::file(Path::new("content").join(rel));
            let message = "a symbolic link, which midad does not follow: it is skipped; put the \
                           file or folder it points to here instead";
            loaded.warnings.push(Diagnostic::content(at, message).warning());
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(content_dir) else { continue };
        let rel = rel.to_path_buf();
        let Some(parts) = utf8_parts(&rel) else {
            loaded.errors.push(
                Diagnostic::content(
                    Location::file(Path::new("content").join(&rel)),
                    "the file name is not valid UTF-8",
                )
                .with_hint("rename it"),
            );
            continue;
        };
        let is_md = rel.extension().is_some_and(|e| e == "md");
        let (lang, mut parts, name) = language_of(&parts, config);
        parts.push(&name);
        match (parts.as_slice(), is_md) {
            ([name], true) if *name == "_index.md" => found.push(Found::Home { lang, path: rel }),
            ([name], true) => loaded.warnings.push(
                Diagnostic::content(
                    Location::file(Path::new("content").join(name)),
                    "this file is not built: articles belong in a section folder",
                )
                .with_hint("move it into a section, e.g. `content/politics/`")
                .warning(),
            ),
            ([section, name], true) if *name == "_index.md" => {
                found.push(Found::SectionIndex { section: section.to_string(), lang, path: rel })
            }
            ([section, .., name], true) if *name == "_index.md" => {
                let message = format!(
                    "nested sections are not supported: the articles below it belong to section `{section}`"
                );
                let at = Location::file(Path::new("content").join(&rel));
                loaded.warnings.push(Diagnostic::content(at, message).warning());
            }
            ([section, ..], true) => {
                found.push(Found::Article { section: section.to_string(), lang, path: rel })
            }
            ([], _) => {}
            (_, false) => others.push(rel),
        }
    }

    // A non-Markdown file is an asset of the nearest bundle (`dir/index.md`) above it.
    let bundles: std::collections::BTreeSet<PathBuf> = found
        .iter()
        .filter_map(|f| match f {
            Found::Article { path, .. } if path.file_name().is_some_and(is_bundle_index) => {
                path.parent().map(Path::to_path_buf)
            }
            _ => None,
        })
        .collect();
    let mut assets: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for file in others {
        if let Some(bundle) = file.ancestors().skip(1).find(|dir| bundles.contains(*dir)) {
            assets.entry(bundle.to_path_buf()).or_default().push(file);
        }
    }
    (found, assets)
}

fn utf8_parts(rel: &Path) -> Option<Vec<&str>> {
    rel.components()
        .map(|c| match c {
            Component::Normal(s) => s.to_str(),
            _ => None,
        })
        .collect()
}

/// Hidden files and editors' temporary files: never content.
pub(crate) fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".bck")
        || name.ends_with(".bak")
        || name.ends_with(".tmp")
        || name.ends_with(".kate-swp")
        // JetBrains "safe write": `x.md___jb_tmp___` is renamed over `x.md`.
        || name.ends_with("___jb_tmp___")
        || name.ends_with("___jb_old___")
        || name == "4913"
}

/// A content file's front matter, body and warnings.
#[derive(Debug)]
pub struct ParsedFile {
    /// The front matter.
    pub front_matter: FrontMatter,
    /// The Markdown body (empty when `body_on_disk`).
    pub body: String,
    /// The 1-based line of the file where the body starts.
    pub body_line: u32,
    /// The byte offset in the file where the body starts.
    pub body_at: usize,
    /// Whether the body was left in the file (see [`Article::markdown`]).
    pub body_on_disk: bool,
    /// Problems that don't stop the build, e.g. unknown keys.
    pub warnings: Vec<Diagnostic>,
    /// A hash of the whole file.
    pub hash: u64,
    /// The file's size and modification time, for the next build (see `super::known`).
    pub stamp: Option<Stamp>,
    /// The slug the last build made of it (see `Article::base_slug`).
    pub base_slug: Option<(String, bool)>,
}

/// Reads and parses the article file `rel` (under `content_dir`), or takes what `known` (the
/// last build's) says of it when its stamp, or else its hash, is the same: then the body is left
/// in the file (see [`super::known`]), as it is with `body_on_disk`. `scan` is when the build
/// began to look at the files. `known` is given back when it was not taken.
pub(super) fn load_file(
    content_dir: &Path,
    rel: &Path,
    known: Option<KnownFile>,
    scan: SystemTime,
    body_on_disk: bool,
) -> (Result<ParsedFile, Diagnostic>, Option<KnownFile>) {
    let stamp = std::fs::metadata(content_dir.join(rel)).ok().as_ref().and_then(Stamp::of);
    let known = match known {
        Some(known) if stamp.is_some() && known.stamp == stamp => {
            return (Ok(parsed_before(known, stamp)), None);
        }
        known => known,
    };
    let settled = stamp.and_then(|stamp| stamp.settled(scan));
    let bytes = match read_file(content_dir, rel) {
        Ok(bytes) => bytes,
        Err(err) => return (Err(err), known),
    };
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    match known {
        Some(known) if known.hash == hash => (Ok(parsed_before(known, settled)), None),
        known => {
            let parsed = parse_bytes(rel, &bytes, hash, body_on_disk);
            (parsed.map(|parsed| ParsedFile { stamp: settled, ..parsed }), known)
        }
    }
}

/// The file as the last build parsed it (`known`), its body left on disk.
fn parsed_before(known: KnownFile, stamp: Option<Stamp>) -> ParsedFile {
    ParsedFile {
        front_matter: known.front_matter,
        body: String::new(),
        body_line: known.body_line,
        body_at: known.body_at,
        body_on_disk: true,
        warnings: Vec::new(),
        hash: known.hash,
        stamp,
        base_slug: known.base_slug,
    }
}

/// Reads and parses the content file `rel` (relative to `content_dir`).
pub fn read_and_parse(content_dir: &Path, rel: &Path) -> Result<ParsedFile, Diagnostic> {
    let bytes = read_file(content_dir, rel)?;
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    parse_bytes(rel, &bytes, hash, false)
}

/// The bytes of the content file `rel`.
pub(super) fn read_file(content_dir: &Path, rel: &Path) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(content_dir.join(rel))
        .map_err(|e| Diagnostic::read(&Path::new("content").join(rel), e))
}

/// Parses `bytes`, the content file `rel` whose hash is `hash`; with `body_on_disk`, its body is
/// left in the file.
pub(super) fn parse_bytes(
    rel: &Path,
    bytes: &[u8],
    hash: u64,
    body_on_disk: bool,
) -> Result<ParsedFile, Diagnostic> {
    let site_path = Path::new("content").join(rel);
    // Checked with SIMD: Arabic text is nearly all two-byte characters, on which the standard
    // check was a seventh of reading the content. It only tells whether the text is valid; where
    // it is not is found by the standard check.
    let text = simdutf8::basic::from_utf8(bytes).map_err(|_| {
        let offset = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), str::len);
        let valid = String::from_utf8_lossy(&bytes[..offset]).into_owned();
        Diagnostic::content(
            Location::from_offset(&site_path, &valid, offset),
            "the file is not valid UTF-8",
        )
        .with_hint("save it as UTF-8 (in most editors: «Save with encoding» → UTF-8)")
    })?;
    // A NUL byte is valid UTF-8 but no text: an editor's crash or a binary file saved as `.md`.
    if let Some(offset) = text.find('\0') {
        return Err(Diagnostic::content(
            Location::from_offset(&site_path, text, offset),
            "the file holds a NUL byte (U+0000), which is no text: it is damaged or not a text file",
        )
        .with_hint("remove the byte, or save the file again from the editor"));
    }
    let parsed = front_matter::parse(text, &site_path)?;
    let body_at = text.len() - parsed.body.len();
    let body_line = u32::try_from(text[..body_at].matches('\n').count() + 1).unwrap_or(u32::MAX);
    Ok(ParsedFile {
        front_matter: parsed.front_matter,
        body: if body_on_disk { String::new() } else { parsed.body.to_string() },
        body_line,
        body_at,
        body_on_disk,
        warnings: parsed.warnings,
        hash,
        stamp: None,
        base_slug: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bilingual() -> Config {
        let text = "title = \"x\"\n[languages.en]\n";
        crate::config::parse(text, Path::new("config.toml")).expect("config")
    }

    #[test]
    fn a_files_language_is_its_folder_or_its_suffix() {
        let config = bilingual();
        let of = |path: &str| {
            let parts: Vec<&str> = path.split('/').collect();
            let (lang, folders, name) = language_of(&parts, &config);
            (lang, folders.join("/"), name)
        };
        assert_eq!(of("politics/x.md"), (0, "politics".into(), "x.md".into()));
        assert_eq!(of("politics/x.en.md"), (1, "politics".into(), "x.md".into()));
        assert_eq!(of("en/politics/x.md"), (1, "politics".into(), "x.md".into()));
        assert_eq!(of("politics/_index.en.md"), (1, "politics".into(), "_index.md".into()));
        assert_eq!(of("politics/x/index.en.md"), (1, "politics/x".into(), "index.md".into()));
        // Not a language of the site: an ordinary name.
        assert_eq!(of("politics/x.fr.md"), (0, "politics".into(), "x.fr.md".into()));
        assert_eq!(
            translation_key(Path::new("en/politics/x.md"), &config),
            translation_key(Path::new("politics/x.en.md"), &config)
        );
        assert_eq!(
            translation_key(Path::new("politics/x.en.md"), &config),
            Path::new("politics/x.md")
        );
        // A single-language site has no language folders or suffixes.
        let single = crate::config::parse("title = \"x\"\n", Path::new("config.toml")).unwrap();
        let parts = ["en", "x.en.md"];
        assert_eq!(language_of(&parts, &single), (0, vec!["en"], "x.en.md".to_string()));
    }

    #[test]
    fn bundle_indexes() {
        assert!(is_bundle_index(std::ffi::OsStr::new("index.md")));
        assert!(is_bundle_index(std::ffi::OsStr::new("index.en.md")));
        assert!(!is_bundle_index(std::ffi::OsStr::new("indexes.md")));
        assert!(!is_bundle_index(std::ffi::OsStr::new("index..md")));
    }

    #[track_caller]
    fn check(name: &str, expect: bool) {
        assert_eq!(is_ignored(name), expect, "{name}");
    }

    #[test]
    fn editor_files_are_ignored() {
        check(".article.md.swp", true);
        check("article.md~", true);
        check("4913", true);
        check(".#article.md", true);
        check("#article.md#", true);
        check("article.md.bck", true);
        check("article.md___jb_tmp___", true);
        check("article.md___jb_old___", true);
        check("article.md.kate-swp", true);
        check("article.md", false);
        check("خبر.md", false);
    }

    const REL: &str = "a.md";

    fn write(dir: &Path, title: &str) {
        let text = format!("---\ntitle: {title}\ndate: 2026-11-28T09:30:00+02:00\n---\nالنص\n");
        std::fs::write(dir.join(REL), text).unwrap();
    }

    /// What the cache would keep of `parsed`, with the title `title` to tell it from a parse.
    fn known(parsed: &ParsedFile, title: &str) -> KnownFile {
        let mut front_matter = parsed.front_matter.clone();
        front_matter.title = title.into();
        KnownFile {
            hash: parsed.hash,
            stamp: parsed.stamp,
            front_matter,
            body_line: parsed.body_line,
            body_at: parsed.body_at,
            base_slug: None,
        }
    }

    #[test]
    fn a_file_is_parsed_only_when_its_bytes_changed() {
        let dir = tempfile::tempdir().unwrap();
        let later = SystemTime::now() + std::time::Duration::from_secs(60);
        write(dir.path(), "خبر");
        let rel = Path::new(REL);

        // Just saved: parsed, and no stamp a later build could trust.
        let fresh = load_file(dir.path(), rel, None, SystemTime::now(), false).0.unwrap();
        assert_eq!((fresh.front_matter.title.as_str(), fresh.body.as_str()), ("خبر", "النص\n"));
        assert!(!fresh.body_on_disk && fresh.stamp.is_none());
        assert_eq!(
            &std::fs::read_to_string(dir.path().join(REL)).unwrap()[fresh.body_at..],
            "النص\n"
        );

        // A minute later: stamped.
        let settled = load_file(dir.path(), rel, None, later, false).0.unwrap();
        assert!(settled.stamp.is_some());

        // The same stamp: taken from the cache, the body left in the file.
        let cached = load_file(dir.path(), rel, Some(known(&settled, "من الذاكرة")), later, false);
        let (cached, unused) = (cached.0.unwrap(), cached.1);
        assert!(unused.is_none(), "taken");
        assert_eq!(cached.front_matter.title, "من الذاكرة");
        assert!(cached.body_on_disk && cached.body.is_empty());
        assert_eq!(cached.stamp, settled.stamp);

        // Another stamp, the same bytes (a fresh clone): read and hashed, not parsed.
        let unstamped = KnownFile { stamp: None, ..known(&settled, "من الذاكرة") };
        let hashed = load_file(dir.path(), rel, Some(unstamped), later, false).0.unwrap();
        assert_eq!(hashed.front_matter.title, "من الذاكرة");
        assert!(hashed.body_on_disk);
        assert_eq!(hashed.stamp, settled.stamp, "stamped for the next build");

        // Other bytes: parsed again.
        write(dir.path(), "خبر آخر");
        let edited = load_file(dir.path(), rel, Some(known(&settled, "من الذاكرة")), later, false);
        let (edited, unused) = (edited.0.unwrap(), edited.1);
        assert_eq!(edited.front_matter.title, "خبر آخر");
        assert_eq!(
            unused.map(|was| was.front_matter.title),
            Some("من الذاكرة".into()),
            "given back"
        );
        assert!(!edited.body_on_disk);
    }
}
