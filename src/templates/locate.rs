//! Where in a template Tera's errors point. Tera names the template and what it could not find
//! (a variable, a filter, a template to include or extend), but not the line: midad finds the
//! name in the template's text. A syntax error that Tera places at the end of a file because a
//! block is never closed is placed at the block's opening tag instead.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::{Location, line_col};

/// A template file as loaded: where it is, relative to the site, and its text.
#[derive(Debug)]
pub(super) struct Source {
    pub(super) path: PathBuf,
    pub(super) text: String,
}

/// The location of the name Tera's `message` complains about, in the template it names last (or,
/// failing that, the first template that holds the name): `None` when no template does.
pub(super) fn in_templates(message: &str, sources: &BTreeMap<String, Source>) -> Option<Location> {
    let quoted = quoted(message);
    let named = quoted.iter().rev().find_map(|q| sources.get_key_value(q.as_str()));
    let wanted = quoted.iter().find(|q| !sources.contains_key(q.as_str()))?;
    let first = named.into_iter();
    let rest = sources.iter().filter(|(name, _)| Some(*name) != named.map(|n| n.0));
    first.chain(rest).find_map(|(_, source)| {
        let offset = find_name(&source.text, wanted)?;
        Some(Location::from_offset(&source.path, &source.text, offset))
    })
}

/// What to do about the error Tera's `message` reports, for the errors that name something
/// missing.
pub(super) fn hint(message: &str) -> Option<&'static str> {
    if message.contains("Variable `") {
        Some(
            "check the name: the theme's README.md lists what each template receives; `{{ x | default(value=\"\") }}` allows a value that may be missing",
        )
    } else if message.contains("Filter '") || message.contains("Function '") {
        Some(
            "check the name: Tera's own filters and functions and the theme's README.md list those that exist",
        )
    } else if message.contains("Template '") {
        Some(
            "check the template's name, relative to `templates/`: the site's `templates/` and the theme's are searched",
        )
    } else {
        None
    }
}

/// The names in `'…'` or `` `…` `` in `message`, without the brackets Tera puts around an
/// include's list of names (`'[partials/x.html]'`).
fn quoted(message: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = message;
    while let Some(start) = rest.find(['\'', '`']) {
        let quote = rest[start..].chars().next().unwrap_or('\'');
        let after = &rest[start + 1..];
        let Some(len) = after.find(quote) else { break };
        let name = after[..len].trim_matches(['[', ']']);
        if !name.is_empty() && !name.contains(char::is_whitespace) {
            names.push(name.to_string());
        }
        rest = &after[len + 1..];
    }
    names
}

/// The byte offset of `name` in `text` where it stands alone: not part of a longer name.
fn find_name(text: &str, name: &str) -> Option<usize> {
    let is_name_char = |c: char| c.is_alphanumeric() || c == '_' || c == '.' || c == '/';
    text.match_indices(name).map(|(at, _)| at).find(|&at| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(is_name_char) && !after.is_some_and(|c| is_name_char(c) && c != '.')
    })
}

/// For a syntax error at `(line, col)` of `text`: the opening tag of the block that is never
/// closed, with the tag that closes it, when the error is at the end of the text where Tera
/// reports a missing end tag.
pub(super) fn unclosed_block(text: &str, line: usize) -> Option<((usize, usize), &'static str)> {
    let last_line = text.lines().count();
    if line < last_line {
        return None;
    }
    let mut open: Vec<(usize, &'static str)> = Vec::new();
    for (at, _) in text.match_indices("{%") {
        let tag = text[at + 2..].trim_start_matches(['-', ' ', '\t', '\n', '\r']);
        let word: String = tag.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
        match word.as_str() {
            "if" => open.push((at, "endif")),
            "for" => open.push((at, "endfor")),
            "block" => open.push((at, "endblock")),
            "macro" => open.push((at, "endmacro")),
            "filter" => open.push((at, "endfilter")),
            "raw" => open.push((at, "endraw")),
            w if w.starts_with("end") => {
                open.pop();
            }
            _ => {}
        }
    }
    let (at, end) = open.pop()?;
    Some((line_col(text, at), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(files: &[(&str, &str)]) -> BTreeMap<String, Source> {
        files
            .iter()
            .map(|(name, text)| {
                let path = PathBuf::from("templates").join(name);
                ((*name).to_string(), Source { path, text: (*text).to_string() })
            })
            .collect()
    }

    #[track_caller]
    fn check(message: &str, files: &[(&str, &str)], expect: Option<&str>) {
        let at = in_templates(message, &sources(files)).map(|at| at.to_string());
        assert_eq!(at.as_deref(), expect, "{message}");
    }

    #[test]
    fn a_missing_variable_is_found_in_the_template_that_renders_it() {
        let footer = "<p>{{ site.title }}</p>\n  <p>{{ site.no_such }}</p>\n";
        check(
            "Failed to render 'article.html': Variable `site.no_such` not found in context while rendering 'shared/footer.html'",
            &[("article.html", "{{ site.no_such_thing }}"), ("shared/footer.html", footer)],
            Some("templates/shared/footer.html:2:9"),
        );
    }

    #[test]
    fn a_filter_or_an_include_is_found_where_it_is_used() {
        let footer = "<p>{{ site.title | shout }}</p>\n{% include \"partials/nope.html\" %}\n";
        let files = [("index.html", "{{ shouting }}"), ("shared/footer.html", footer)];
        check(
            "Failed to render 'index.html': Filter 'shout' not found",
            &files,
            Some("templates/shared/footer.html:1:20"),
        );
        check(
            "Failed to render 'shared/footer.html': Template '[partials/nope.html]' not found",
            &files,
            Some("templates/shared/footer.html:2:13"),
        );
        check(
            "Template '404.html' is inheriting from 'nope.html', which doesn't exist or isn't loaded.",
            &[("404.html", "{% extends \"nope.html\" %}")],
            Some("templates/404.html:1:13"),
        );
        check("Failed to render 'index.html': something else", &files, None);
    }

    #[test]
    fn an_unclosed_block_is_placed_at_its_opening_tag() {
        let text = "<footer>\n  {% if a %}\n  {% for x in xs %}{% endfor %}\n</footer>\n";
        assert_eq!(unclosed_block(text, 5), Some(((2, 3), "endif")));
        assert_eq!(unclosed_block(text, 2), None);
        assert_eq!(unclosed_block("{% if a %}{% endif %}\n", 2), None);
    }
}
