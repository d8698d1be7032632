//! What YAML or TOML that does not parse most likely got wrong, said where it went wrong.
//!
//! Parsers report where they gave up, which is often a line after the mistake: an unclosed
//! `[` is found at the next key, in words about commas or `:` indicators. [`explain`] looks at
//! the text before that place for the mistakes people make in front matter, `config.toml` and
//! data files (a quote or a bracket never closed, a tab or a shallower indent, YAML's `key:` in
//! TOML) and, when it finds one, gives its position and a message in the writer's terms. It is
//! a heuristic over lines, not a parser: when nothing matches, the parser's message stands.

/// The language of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// YAML (front matter between `---`, data files).
    Yaml,
    /// TOML (front matter between `+++`, `config.toml`, data files).
    Toml,
}

/// A mistake found in the text: where it is (1-based line and column, in characters) and what
/// it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    /// The line of the mistake.
    pub line: usize,
    /// Its column.
    pub column: usize,
    /// What is wrong, for the writer.
    pub message: String,
}

/// The likely mistake behind the parser error `parser_message` at `line` (1-based) of `text`,
/// if one of the common ones is found there or before it.
pub fn explain(
    language: Language,
    text: &str,
    line: usize,
    parser_message: &str,
) -> Option<Mistake> {
    let lines: Vec<&str> = text.lines().take(line.max(1)).collect();
    let at = lines.len().checked_sub(1)?;
    tab_indent(language, lines[at], at, parser_message)
        .or_else(|| (language == Language::Toml).then(|| unclosed_quote(&lines)).flatten())
        .or_else(|| unclosed_bracket(language, &lines))
        .or_else(|| (language == Language::Toml).then(|| yaml_key_in_toml(lines[at], at)).flatten())
        .or_else(|| (language == Language::Yaml).then(|| shallower_item(&lines)).flatten())
}

/// A line of `text` indented with a tab, which YAML does not allow.
fn tab_indent(language: Language, line: &str, at: usize, parser_message: &str) -> Option<Mistake> {
    if language != Language::Yaml || !parser_message.contains("tab") {
        return None;
    }
    let indent = &line[..line.len() - line.trim_start().len()];
    let tab = indent.find('\t')?;
    Some(Mistake {
        line: at + 1,
        column: indent[..tab].chars().count() + 1,
        message: "a tab indents this line, and YAML indents with spaces only".to_string(),
    })
}

/// A TOML line with a string that opens and never closes (TOML strings end on their line,
/// unless they are `"""` or `'''` strings).
fn unclosed_quote(lines: &[&str]) -> Option<Mistake> {
    let mut brackets = Vec::new();
    let mut in_multiline: Option<&str> = None;
    for (at, line) in lines.iter().enumerate() {
        if let Some(fence) = in_multiline {
            if line.contains(fence) {
                in_multiline = None;
            }
            continue;
        }
        match scan_line(line, at, &mut brackets) {
            LineEnd::InString { quote, column } => {
                return Some(Mistake {
                    line: at + 1,
                    column,
                    message: format!(
                        "the text opened by `{quote}` here is never closed: end it with `{quote}` on the same line"
                    ),
                });
            }
            LineEnd::InMultiline(fence) => in_multiline = Some(fence),
            LineEnd::Outside => {}
        }
    }
    None
}

/// A bracket still open: the line (0-based) and column (1-based) it was opened at, and which.
type Open = (usize, usize, char);

/// How a line ends: outside any string, inside a one-line string, or inside a multi-line one.
enum LineEnd {
    Outside,
    InString { quote: char, column: usize },
    InMultiline(&'static str),
}

/// Reads line `at`: strings (with `\` escapes in `"…"`), comments after `#`, and the brackets
/// opened (pushed on `brackets`) and closed (popped) outside them.
fn scan_line(line: &str, at: usize, brackets: &mut Vec<Open>) -> LineEnd {
    let chars: Vec<char> = line.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        let ch = chars[index];
        match ch {
            '#' => break,
            '[' | '{' => brackets.push((at, index + 1, ch)),
            ']' | '}' => {
                brackets.pop();
            }
            '"' | '\'' if chars[index..].starts_with(&[ch, ch, ch]) => {
                let closing =
                    (index + 3..chars.len()).find(|&i| chars[i..].starts_with(&[ch, ch, ch]));
                let Some(closing) = closing else {
                    return LineEnd::InMultiline(if ch == '"' { "\"\"\"" } else { "'''" });
                };
                index = closing + 3;
                continue;
            }
            '"' | '\'' => {
                let mut end = index + 1;
                while end < chars.len() && chars[end] != ch {
                    end += if chars[end] == '\\' && ch == '"' { 2 } else { 1 };
                }
                if end >= chars.len() {
                    return LineEnd::InString { quote: ch, column: index + 1 };
                }
                index = end;
            }
            _ => {}
        }
        index += 1;
    }
    LineEnd::Outside
}

/// A `[` or `{` left open when a later line starts a new key at the left margin: the list or
/// table was never closed.
fn unclosed_bracket(language: Language, lines: &[&str]) -> Option<Mistake> {
    let (last, before) = lines.split_last()?;
    if !starts_key(language, last) {
        return None;
    }
    let mut brackets = Vec::new();
    for (at, line) in before.iter().enumerate() {
        if !matches!(scan_line(line, at, &mut brackets), LineEnd::Outside) {
            return None;
        }
    }
    let &(at, column, bracket) = brackets.first()?;
    let (what, close) = if bracket == '[' { ("list", ']') } else { ("table", '}') };
    Some(Mistake {
        line: at + 1,
        column,
        message: format!(
            "the {what} opened by `{bracket}` here is never closed: end it with `{close}`"
        ),
    })
}

/// Whether `line` starts a key at the left margin (`key:` in YAML, `key =` in TOML).
fn starts_key(language: Language, line: &str) -> bool {
    let Some(first) = line.chars().next() else { return false };
    if !(first.is_alphanumeric() || first == '_') {
        return false;
    }
    let key_end = line.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'));
    let rest = key_end.map_or("", |end| line[end..].trim_start());
    match language {
        Language::Yaml => rest.starts_with(':'),
        Language::Toml => rest.starts_with('='),
    }
}

/// A TOML line written the YAML way, `title: "…"`.
fn yaml_key_in_toml(line: &str, at: usize) -> Option<Mistake> {
    let indent = line.len() - line.trim_start().len();
    let body = &line[indent..];
    let key_end = body.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))?;
    if key_end == 0 || !body[key_end..].starts_with(':') {
        return None;
    }
    let key = &body[..key_end];
    Some(Mistake {
        line: at + 1,
        column: line[..indent + key_end].chars().count() + 1,
        message: format!(
            "`{key}:` is how YAML writes a key; TOML writes `{key} = …` (front matter between `---` lines is YAML)"
        ),
    })
}

/// A YAML list item indented less than the item before it, without being at the indent of a
/// key that could own it.
fn shallower_item(lines: &[&str]) -> Option<Mistake> {
    let (last, before) = lines.split_last()?;
    let indent_of = |line: &str| line.len() - line.trim_start_matches(' ').len();
    if !last.trim_start().starts_with("- ") {
        return None;
    }
    let previous = before.iter().rev().find(|line| !line.trim().is_empty())?;
    let (now, then) = (indent_of(last), indent_of(previous));
    if !previous.trim_start().starts_with("- ") || now >= then {
        return None;
    }
    Some(Mistake {
        line: lines.len(),
        column: now + 1,
        message: format!(
            "this list item is indented {now} spaces and the one before it {then}: items of one list line up"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(language: Language, text: &str, line: usize, expect: Option<(usize, usize, &str)>) {
        let found = explain(language, text, line, "parser message with tabs");
        let found = found.as_ref().map(|m| (m.line, m.column, m.message.as_str()));
        match (found, expect) {
            (Some((l, c, message)), Some((el, ec, part))) => {
                assert_eq!((l, c), (el, ec), "{message}");
                assert!(message.contains(part), "{message}");
            }
            (found, expect) => assert_eq!(found.map(|f| (f.0, f.1)), expect.map(|e| (e.0, e.1))),
        }
    }

    use Language::{Toml, Yaml};

    #[test]
    fn an_unclosed_toml_string_is_found_at_its_opening_quote() {
        let text = "title = \"الحكومة تعلن الموازنة\ndate = 2026-11-25T09:00:00+02:00\n";
        check(Toml, text, 2, Some((1, 9, "never closed")));
        check(Toml, "a = 'x\n", 1, Some((1, 5, "`'`")));
        // Escaped quotes, comments and closed strings are not mistakes.
        check(Toml, "a = \"x \\\" y\" # \"\nb = ]\n", 2, None);
        check(Toml, "a = \"\"\"\nسطر \"\nآخر\n\"\"\"\nb = ]\n", 5, None);
    }

    #[test]
    fn an_unclosed_bracket_is_found_where_it_opens() {
        let yaml = "title: \"x\"\ntags: [\"الموازنة\", \"الحكومة\"\nauthor: sara\n";
        check(Yaml, yaml, 3, Some((2, 7, "list opened by `[`")));
        let toml = "title = \"x\"\ntags = [\"أ\",\n  \"ب\"\nauthor = \"sara\"\n";
        check(Toml, toml, 4, Some((2, 8, "end it with `]`")));
        check(Toml, "a = { b = 1\nc = 2\n", 2, Some((1, 5, "table")));
        // Closed over several lines: no mistake there.
        check(Toml, "tags = [\n  \"أ\",\n]\nauthor = ]\n", 4, None);
    }

    #[test]
    fn tabs_yaml_keys_in_toml_and_shallower_items() {
        check(Yaml, "tags:\n\t- الموازنة\n", 2, Some((2, 1, "tab")));
        check(Yaml, "tags:\n  \t- x\n", 2, Some((2, 3, "tab")));
        check(Toml, "title: \"الحكومة\"\n", 1, Some((1, 6, "`title = …`")));
        check(
            Yaml,
            "tags:\n    - أ\n  - ب\n",
            3,
            Some((3, 3, "indented 2 spaces and the one before it 4")),
        );
        check(Yaml, "tags:\n  - أ\n  - ب\n", 3, None);
    }
}
