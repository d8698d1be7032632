//! `midad new "عنوان الخبر"`: an article file named by the slug the build will give it, with
//! its front matter filled: the title, the date now in the site's time zone, the author, empty
//! tags and summary.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Errors, Kind, Origin};

/// What `midad new` was asked to write.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The headline.
    pub title: String,
    /// The section's folder name under `content/`; may be left out when there is one section.
    pub section: Option<String>,
    /// The author's key in `data/authors.toml`; may be left out when there is one author.
    pub author: Option<String>,
    /// Write `<slug>/index.md` instead of `<slug>.md`.
    pub bundle: bool,
    /// The time the article is dated; else `SOURCE_DATE_EPOCH`, else the clock.
    pub now: Option<jiff::Timestamp>,
}

/// The article `midad new` wrote.
#[derive(Debug)]
pub struct NewArticle {
    /// Its file, under the site folder.
    pub path: PathBuf,
    /// Its slug, as the build makes it from the title.
    pub slug: String,
}

/// Writes a new article; refuses to overwrite one.
pub fn new_article(opts: &NewOptions) -> Result<NewArticle, Errors> {
    let one = |d: Diagnostic| Errors::new(vec![d]);
    let config = crate::config::load(&opts.root).map_err(one)?;
    let title = opts.title.trim();
    let style = config.arabic.slug_style;
    let slug = crate::arabic::slug::slugify_capped(title, style, crate::content::MAX_SLUG_CHARS);
    if slug.is_empty() {
        let message = format!("the title «{title}» has no letters or digits to make a slug of");
        return Err(one(Diagnostic::new(Kind::Command, Origin::Flag("TITLE"), message)));
    }
    let section = section(&opts.root, opts.section.as_deref()).map_err(one)?;
    let author = author(&opts.root, opts.author.as_deref()).map_err(one)?;
    let folder = Path::new("content").join(&section);
    let (file, bundle) = (folder.join(format!("{slug}.md")), folder.join(&slug).join("index.md"));
    if let Some(taken) = [&file, &bundle].into_iter().find(|path| opts.root.join(path).exists()) {
        let message = format!("`{}` already exists", taken.display());
        return Err(one(Diagnostic::new(Kind::Command, Origin::Flag("TITLE"), message).with_hint(
            "edit that article, or give the new one another title (its slug names the file)",
        )));
    }
    let path = if opts.bundle { bundle } else { file };
    let now = crate::pipeline::build_time(opts.now).map_err(one)?;
    let date =
        now.to_zoned_datetime(config.timezone.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let text = front_matter(title, &date, author.as_deref());
    super::files::write(&opts.root.join(&path), &text, &path).map_err(one)?;
    Ok(NewArticle { path, slug })
}

/// The TOML front matter of a new article, and the empty line its text starts after.
fn front_matter(title: &str, date: &str, author: Option<&str>) -> String {
    let quote = |text: &str| toml::Value::String(text.to_string()).to_string();
    let author = match author {
        Some(key) => format!("author = {}", quote(key)),
        None => "# author = \"\"   # a key of data/authors.toml".to_string(),
    };
    format!(
        "+++\ntitle = {}\ndate = {date}\n{author}\ntags = []\nsummary = \"\"\n+++\n\n",
        quote(title)
    )
}

/// The section named, which must be a folder under `content/`; without a name, the site's only
/// section.
fn section(root: &Path, named: Option<&str>) -> Result<String, Diagnostic> {
    let sections = sections(root);
    let list = || sections.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ");
    match named {
        Some(name) if sections.iter().any(|s| s == name) => Ok(name.to_string()),
        Some(name) => {
            let message = format!("there is no section `{name}` under content/");
            let hint = match sections.is_empty() {
                true => format!("make the folder content/{name}/ first"),
                false => format!("use one of {}, or make the folder content/{name}/", list()),
            };
            Err(Diagnostic::new(Kind::Command, Origin::Flag("--section"), message).with_hint(hint))
        }
        None if sections.len() == 1 => Ok(sections[0].clone()),
        None if sections.is_empty() => {
            let message = "the site has no section: articles live in a folder under content/";
            Err(Diagnostic::new(Kind::Command, Origin::None, message)
                .with_hint("make one, e.g. content/news/, or start a site with `midad init`"))
        }
        None => {
            let message = "the site has several sections: say which one the article is in";
            Err(Diagnostic::new(Kind::Command, Origin::Flag("--section"), message)
                .with_hint(format!("add `--section` with one of {}", list())))
        }
    }
}

/// The folders under `content/`, sorted.
fn sections(root: &Path) -> Vec<String> {
    let entries = std::fs::read_dir(root.join("content")).into_iter().flatten().flatten();
    let mut names: Vec<String> = entries
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| !crate::content::is_ignored_name(name))
        .collect();
    names.sort();
    names
}

/// The author named, which must be a key of `data/authors.toml`; without a name, the site's
/// only author, else none.
fn author(root: &Path, named: Option<&str>) -> Result<Option<String>, Diagnostic> {
    let (data, _) = crate::data::load(root);
    let Some(name) = named else {
        let mut keys = data.authors.keys();
        return Ok(match (keys.next(), keys.next()) {
            (Some(only), None) => Some(only.clone()),
            _ => None,
        });
    };
    if data.authors.contains_key(name) {
        return Ok(Some(name.to_string()));
    }
    let keys: Vec<String> = data.authors.keys().map(|k| format!("`{k}`")).collect();
    let message = format!("there is no author `{name}` in data/authors.toml");
    let hint = match keys.is_empty() {
        true => format!("add a table [{name}] with its `name` to data/authors.toml"),
        false => format!("use one of {}, or add [{name}] to data/authors.toml", keys.join(", ")),
    };
    Err(Diagnostic::new(Kind::Command, Origin::Flag("--author"), message).with_hint(hint))
}
