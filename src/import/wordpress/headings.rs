//! Heading levels of an imported body: the article's title is the page's `<h1>`, so the body's
//! highest heading becomes `##` and the others move with it. WordPress authors often start at
//! `<h3>` (or use `<h1>`), which skips a level after the title: screen readers and the Nu checker
//! both report it.

/// `markdown` with its ATX headings (outside fenced code) shifted so the highest is level 2.
pub(super) fn level(markdown: &str) -> String {
    let top = headings(markdown).map(|(level, _)| level).min();
    let Some(top) = top.filter(|&top| top != 2) else { return markdown.to_string() };
    let mut out = String::with_capacity(markdown.len());
    let mut fence: Option<&str> = None;
    for line in markdown.split_inclusive('\n') {
        match heading_level(line, &mut fence) {
            Some(level) => {
                let new_level = (level + 2).saturating_sub(top).clamp(2, 6);
                out.push_str(&"#".repeat(new_level));
                out.push_str(&line[level..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The level and line of every ATX heading outside fenced code.
fn headings(markdown: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut fence: Option<&str> = None;
    markdown
        .split_inclusive('\n')
        .filter_map(move |line| Some((heading_level(line, &mut fence)?, line)))
}

/// The level of `line` when it is an ATX heading (`## …`, at the start of the line), keeping
/// track of fenced code (`fence` holds the open fence's marker).
fn heading_level<'a>(line: &'a str, fence: &mut Option<&'a str>) -> Option<usize> {
    let trimmed = line.trim_end();
    if let Some(open) = *fence {
        if trimmed.starts_with(open) && trimmed.trim_start_matches(&open[..1]).trim().is_empty() {
            *fence = None;
        }
        return None;
    }
    for marker in ["```", "~~~"] {
        if trimmed.starts_with(marker) {
            let len = trimmed.len() - trimmed.trim_start_matches(&marker[..1]).len();
            *fence = Some(&trimmed[..len]);
            return None;
        }
    }
    let level = line.len() - line.trim_start_matches('#').len();
    let after = line.as_bytes().get(level).copied();
    ((1..=6).contains(&level) && matches!(after, Some(b' ' | b'\t' | b'\n') | None))
        .then_some(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_heading_becomes_level_two() {
        let body =
            "مقدمة\n\n### خلفية\n\nنص\n\n#### تفاصيل\n\n```\n### ليس عنوانًا\n```\n\n#hashtag\n";
        assert_eq!(
            level(body),
            "مقدمة\n\n## خلفية\n\nنص\n\n### تفاصيل\n\n```\n### ليس عنوانًا\n```\n\n#hashtag\n"
        );
        assert_eq!(level("# عنوان\n\n## فرعي\n"), "## عنوان\n\n### فرعي\n");
        let fine = "## عنوان\n\n#### فرعي\n";
        assert_eq!(level(fine), fine, "levels below the top are the author's");
        assert_eq!(level("لا عناوين\n"), "لا عناوين\n");
    }
}
