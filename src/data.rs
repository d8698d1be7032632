//! `data/*.{toml,yaml,yml,json}` → values for templates, plus the two files midad itself reads:
//! `authors.toml` (who writes, with gender for bylines) and `most_read.toml` (an analytics export).
//!
//! Every data file is exposed to templates as `data.<file stem>`. The two known files are also
//! parsed into types, so a mistake in them is reported at its line and column.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::arabic::byline::Gender;
use crate::error::{Diagnostic, Location};

/// An author of `data/authors.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Author {
    /// Display name.
    pub name: String,
    /// For the byline verb.
    #[serde(default)]
    pub gender: Option<Gender>,
    /// A short biography.
    #[serde(default)]
    pub bio: String,
    /// Portrait URL, absolute from the site root (`/images/authors/x.svg`) or external.
    #[serde(default)]
    pub image: Option<String>,
    /// Profile links by name (`x`, `facebook`, `email`, …).
    #[serde(default)]
    pub links: BTreeMap<String, String>,
    /// The name and biography in the site's other languages, by language code
    /// (`[sara-kamal.translations.en]`).
    #[serde(default)]
    pub translations: BTreeMap<String, AuthorText>,
}

/// An author's name and biography in another language.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorText {
    /// Display name in the language.
    pub name: Option<String>,
    /// Biography in the language.
    pub bio: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MostRead {
    articles: Vec<String>,
}

/// Everything under `data/`.
#[derive(Debug, Default)]
pub struct Data {
    /// Authors by key.
    pub authors: BTreeMap<String, Author>,
    /// The most-read list as written: content paths or URL paths, rank order.
    pub most_read: Vec<String>,
    /// Where each entry of `most_read` is written, for warnings about it.
    pub most_read_at: Vec<Location>,
    /// Every data file by its stem, for templates.
    pub values: serde_json::Map<String, serde_json::Value>,
}

/// Reads `root/data/`; a missing folder is an empty [`Data`]. Returns every bad file.
pub fn load(root: &Path) -> (Data, Vec<Diagnostic>) {
    let mut data = Data::default();
    let mut errors = Vec::new();
    let dir = root.join("data");
    let Ok(entries) = std::fs::read_dir(&dir) else { return (data, errors) };
    let mut files: Vec<_> =
        entries.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    for path in files {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
        if crate::content::is_ignored_name(name) {
            continue;
        }
        let Some((stem, ext)) = name.rsplit_once('.') else { continue };
        let site_path = Path::new("data").join(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                errors.push(Diagnostic::read(&site_path, e));
                continue;
            }
        };
        let format = match ext {
            "toml" => Format::Toml,
            "yaml" | "yml" => Format::Yaml,
            "json" => Format::Json,
            _ => continue,
        };
        let res = parse_file(stem, format, &text, &site_path, &mut data);
        if let Err(err) = res {
            errors.push(err);
        }
    }
    (data, errors)
}

#[derive(Clone, Copy)]
enum Format {
    Toml,
    Yaml,
    Json,
}

fn parse_file(
    stem: &str,
    format: Format,
    text: &str,
    path: &Path,
    data: &mut Data,
) -> Result<(), Diagnostic> {
    let value: serde_json::Value = parse_as(format, text, path)?;
    match stem {
        "authors" => data.authors = parse_as(format, text, path)?,
        "most_read" => {
            data.most_read = parse_as::<MostRead>(format, text, path)?.articles;
            data.most_read_at = locate_entries(&data.most_read, text, path);
        }
        _ => {}
    }
    data.values.insert(stem.to_string(), value);
    Ok(())
}

/// Where each of `entries` is written in `text`, in order: each is looked for after the one
/// before it (the file's own location when it is written in a way not found as it is).
fn locate_entries(entries: &[String], text: &str, path: &Path) -> Vec<Location> {
    let mut from = 0;
    entries
        .iter()
        .map(|entry| match text[from..].find(entry.as_str()) {
            Some(at) => {
                from += at + entry.len();
                Location::from_offset(path, text, from - entry.len())
            }
            None => Location::file(path),
        })
        .collect()
}

/// Deserialises a data file into `T`, with errors at their line and column.
fn parse_as<T: serde::de::DeserializeOwned>(
    format: Format,
    text: &str,
    path: &Path,
) -> Result<T, Diagnostic> {
    match format {
        Format::Toml => toml::from_str(text).map_err(|err| {
            let offset = err.span().map_or(0, |s| s.start);
            let at = Location::from_offset(path, text, offset);
            let message = crate::config::toml_message(&err);
            let hint = crate::config::toml_syntax_hint(text);
            let (at, message) = hint
                .and_then(|_| crate::config::toml_mistake(text, path, offset, &message))
                .unwrap_or((at, message));
            Diagnostic::data(at, message).with_some_hint(hint)
        }),
        Format::Yaml => serde_saphyr::from_str(text).map_err(|err| {
            let at = crate::content::yaml_location(&err, path, text, 0)
                .unwrap_or_else(|| Location::file(path));
            let message = crate::content::yaml_message(&err);
            let hint = crate::content::yaml_syntax_hint(text);
            let line = at.line.unwrap_or(1);
            let mistake = hint.and_then(|_| {
                crate::syntax::explain(crate::syntax::Language::Yaml, text, line, &message)
            });
            let (at, message) = match mistake {
                Some(m) => (Location::at(path, m.line, m.column), m.message),
                None => (at, message),
            };
            Diagnostic::data(at, message).with_some_hint(hint)
        }),
        Format::Json => serde_json::from_str(text).map_err(|err| {
            let line = err.line().max(1);
            Diagnostic::data(
                Location::at(path, line, json_column(text, line, err.column())),
                err.to_string().split(" at line ").next().unwrap_or("invalid JSON").to_string(),
            )
        }),
    }
}

/// The column in characters of serde_json's `byte_column` (bytes of `line` up to and including
/// the one it stopped at), as diagnostics count columns.
fn json_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(line_text) = text.split('\n').nth(line - 1) else {
        return byte_column.max(1);
    };
    let mut before = byte_column.saturating_sub(1).min(line_text.len());
    while !line_text.is_char_boundary(before) {
        before -= 1;
    }
    line_text[..before].chars().count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_toml(stem: &str, text: &str) -> Result<Data, Diagnostic> {
        let mut data = Data::default();
        parse_file(stem, Format::Toml, text, Path::new("data/x.toml"), &mut data)?;
        Ok(data)
    }

    #[test]
    fn json_errors_count_columns_in_characters() {
        let column = |text: &str| {
            let mut data = Data::default();
            let err = parse_file("x", Format::Json, text, Path::new("data/x.json"), &mut data)
                .expect_err("invalid JSON");
            let at = err.location().expect("a location");
            (at.line, at.col)
        };
        assert_eq!(column("{\"a\": x}"), (Some(1), Some(7)));
        assert_eq!(column("{\"اسم\": x}"), (Some(1), Some(9)));
        assert_eq!(column("{\"a\": 1,\n \"مصدر\": \"وكالة\" ت}"), (Some(2), Some(18)));
    }

    #[test]
    fn authors_are_typed() {
        let data = parse_toml("authors", "[sara]\nname = \"سارة\"\ngender = \"female\"\n").unwrap();
        assert_eq!(data.authors["sara"].name, "سارة");
        assert_eq!(data.authors["sara"].gender, Some(Gender::Female));
        assert!(data.values.contains_key("authors"));
    }

    #[test]
    fn bad_gender_is_located() {
        let err = parse_toml("authors", "[sara]\nname = \"سارة\"\ngender = \"f\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("data/x.toml:3:10:"), "{err}");
    }

    /// As in front matter: a bare `\r` is a YAML line break but not a line of the file.
    #[test]
    fn a_yaml_error_after_a_bare_carriage_return_is_on_the_files_line() {
        let mut data = Data::default();
        let text = "sara:\n  name: سارة\r  gender: f\n";
        let path = Path::new("data/x.yaml");
        let err = parse_file("authors", Format::Yaml, text, path, &mut data).unwrap_err();
        assert!(err.to_string().starts_with("data/x.yaml:2:24:"), "{err}");
    }

    #[test]
    fn most_read_list() {
        let data =
            parse_toml("most_read", "articles = [\"politics/a.md\", \"/economy/b/\"]\n").unwrap();
        assert_eq!(data.most_read, vec!["politics/a.md", "/economy/b/"]);
    }
}
