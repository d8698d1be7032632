//! Code: syntax highlighting with syntect, and `dir="ltr"` on every piece of code.
//!
//! Code reads left to right whatever the page's direction, so fenced and indented blocks become
//! `<pre class="code" dir="ltr">` and inline code `<code dir="ltr">`. Highlighting writes CSS
//! classes (`hl-` prefixed), not inline colours, so one generated stylesheet serves every page,
//! and a light and a dark theme can both apply. The syntax set is loaded once per build in a
//! [`Highlighter`] and shared by reference across threads. Languages syntect doesn't know are
//! written as escaped plain text in the same wrapper; nothing here fails a build.

use std::fmt;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use syntect::highlighting::{Color, Theme, ThemeSet};
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use super::escape;

/// What can go wrong in Markdown rendering: only making the highlighting stylesheet.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A highlight theme that syntect's default set doesn't have.
    #[error("unknown highlight theme `{name}`, use one of {known}")]
    UnknownTheme {
        /// The name asked for.
        name: String,
        /// The known names, quoted and comma-separated.
        known: String,
    },
    /// syntect couldn't write a theme's CSS.
    #[error("cannot write the stylesheet for highlight theme `{name}`")]
    Stylesheet {
        /// The theme's name.
        name: String,
        /// What syntect reported.
        #[source]
        source: syntect::Error,
    },
}

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Syntax highlighting for code blocks: syntect's default syntaxes, loaded once per build.
///
/// Loading deserializes every syntax definition, so make one and pass it by reference to every
/// [`render`](super::render) call; it is `Send + Sync`.
pub struct Highlighter {
    syntaxes: SyntaxSet,
}

impl Highlighter {
    /// Loads syntect's default syntaxes (the variant that expects lines with their newline).
    pub fn new() -> Self {
        Highlighter { syntaxes: SyntaxSet::load_defaults_newlines() }
    }

    /// The CSS for the highlighting classes: `theme_light` by default and `theme_dark` inside
    /// `@media (prefers-color-scheme: dark)`.
    ///
    /// Theme names are those of syntect's default set, e.g. `InspiredGitHub` and
    /// `base16-ocean.dark`; an unknown name is an error that lists the known ones. The
    /// stylesheet also colours the `pre.code` wrapper with each theme's foreground and
    /// background.
    pub fn stylesheet(theme_light: &str, theme_dark: &str) -> Result<String, Error> {
        let themes = ThemeSet::load_defaults();
        let light = theme_css(&themes, theme_light)?;
        let dark = theme_css(&themes, theme_dark)?;
        let mut css = String::with_capacity(light.len() + dark.len() + 64);
        css.push_str(&light);
        css.push_str("\n@media (prefers-color-scheme: dark) {\n");
        css.push_str(&dark);
        css.push_str("}\n");
        Ok(css)
    }

    /// Appends the HTML of a code block to `out`. `lang` is the first word of a fenced block's
    /// info string, if any.
    fn block(&self, lang: Option<&str>, code: &str, out: &mut String) {
        out.push_str("<pre class=\"code\" dir=\"ltr\"");
        if let Some(lang) = lang {
            out.push_str(" data-lang=\"");
            escape::attr(out, lang);
            out.push('"');
        }
        out.push_str("><code>");
        let highlighted = lang
            .and_then(|lang| self.syntaxes.find_syntax_by_token(lang))
            .and_then(|syntax| self.highlight(syntax, code));
        match highlighted {
            Some(html) => out.push_str(&html),
            None => escape::text(out, code),
        }
        out.push_str("</code></pre>\n");
    }

    /// Highlighted HTML for `code`, or `None` if syntect fails on it (then the caller writes
    /// it plain rather than half highlighted).
    fn highlight(&self, syntax: &SyntaxReference, code: &str) -> Option<String> {
        let mut generator =
            ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, CLASS_STYLE);
        for line in LinesWithEndings::from(code) {
            generator.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(generator.finalize())
    }
}

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter::new()
    }
}

impl fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Highlighter").field("syntaxes", &self.syntaxes.syntaxes().len()).finish()
    }
}

/// One theme's CSS: syntect's rules for the classes, plus the wrapper's colours.
fn theme_css(themes: &ThemeSet, name: &str) -> Result<String, Error> {
    let theme = themes.themes.get(name).ok_or_else(|| Error::UnknownTheme {
        name: name.to_owned(),
        known: themes.themes.keys().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "),
    })?;
    let theme = &readable(theme);
    let rules = css_for_theme_with_class_style(theme, CLASS_STYLE)
        .map_err(|source| Error::Stylesheet { name: name.to_owned(), source })?;
    Ok(wrapper_css(theme) + &rules)
}

/// The WCAG AA contrast ratio for normal text.
const MIN_CONTRAST: f64 = 4.5;

/// A copy of `theme` whose every text colour reaches [`MIN_CONTRAST`] against its background.
///
/// Several of syntect's themes colour comments in pale grey (2.9:1 in `InspiredGitHub`), which
/// accessibility checkers rightly reject; each colour that is too faint is moved towards black on
/// a light background (white on a dark one) just far enough, so the theme keeps its hues.
fn readable(theme: &Theme) -> Theme {
    let mut theme = theme.clone();
    let background = theme.settings.background.unwrap_or(Color::WHITE);
    if let Some(fg) = theme.settings.foreground {
        theme.settings.foreground = Some(with_contrast(fg, background));
    }
    for item in &mut theme.scopes {
        let bg = item.style.background.unwrap_or(background);
        if let Some(fg) = item.style.foreground {
            item.style.foreground = Some(with_contrast(fg, bg));
        }
    }
    theme
}

/// `fg` moved towards black or white in small steps until it reads on `bg`.
fn with_contrast(fg: Color, bg: Color) -> Color {
    // Move towards whichever of black and white stands out more on this background.
    let target = if contrast(Color::BLACK, bg) >= contrast(Color::WHITE, bg) {
        Color::BLACK
    } else {
        Color::WHITE
    };
    let mut color = fg;
    for step in 1..=20 {
        if contrast(color, bg) >= MIN_CONTRAST {
            break;
        }
        let t = f64::from(step) / 20.0;
        let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        color = Color {
            r: mix(fg.r, target.r),
            g: mix(fg.g, target.g),
            b: mix(fg.b, target.b),
            a: fg.a,
        };
    }
    color
}

/// WCAG relative luminance.
fn luminance(c: Color) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
}

/// WCAG contrast ratio of two colours.
fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The theme's default colours on `pre.code`: syntect puts them on an `hl-code` class, but the
/// wrapper's class is `code`.
fn wrapper_css(theme: &Theme) -> String {
    let mut css = String::from("pre.code {\n");
    if let Some(c) = theme.settings.foreground {
        css.push_str(&format!(" color: #{:02x}{:02x}{:02x};\n", c.r, c.g, c.b));
    }
    if let Some(c) = theme.settings.background {
        css.push_str(&format!(" background-color: #{:02x}{:02x}{:02x};\n", c.r, c.g, c.b));
    }
    css.push_str("}\n");
    css
}

/// The pass: replaces code blocks with highlighted `<pre>` and inline code with
/// `<code dir="ltr">`.
pub(super) struct Code<'h, I> {
    events: I,
    highlighter: &'h Highlighter,
    /// The text of the current code block; reused between blocks.
    code: String,
}

impl<'a, 'h, I: Iterator<Item = Event<'a>>> Code<'h, I> {
    pub(super) fn new(events: I, highlighter: &'h Highlighter) -> Self {
        Code { events, highlighter, code: String::new() }
    }

    fn block(&mut self, kind: &CodeBlockKind<'_>) -> String {
        self.code.clear();
        for event in self.events.by_ref() {
            match event {
                Event::Text(text) => self.code.push_str(&text),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        let lang = match kind {
            CodeBlockKind::Fenced(info) => language(info),
            CodeBlockKind::Indented => None,
        };
        let mut html = String::with_capacity(self.code.len() * 2 + 64);
        self.highlighter.block(lang, &self.code, &mut html);
        html
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Code<'_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        match self.events.next()? {
            Event::Start(Tag::CodeBlock(kind)) => Some(Event::Html(self.block(&kind).into())),
            Event::Code(code) => {
                let mut html = String::with_capacity(code.len() + 28);
                html.push_str("<code dir=\"ltr\">");
                escape::text(&mut html, &code);
                html.push_str("</code>");
                Some(Event::InlineHtml(CowStr::from(html)))
            }
            event => Some(event),
        }
    }
}

/// What ends the language in a fenced block's info string: a space, a tab, a comma, or the
/// brace that opens attributes (written as its code point, so that tools which count braces to
/// find where a function ends read this file right).
const LANGUAGE_ENDS: [char; 4] = [' ', '\t', ',', '\u{7b}'];

/// The language of a fenced block's info string: its first word, before any attributes
/// (```` ```rust,ignore ````, ```` ```python {.numbered} ````).
fn language(info: &str) -> Option<&str> {
    let lang = info.split(LANGUAGE_ENDS).next().unwrap_or("").trim();
    (!lang.is_empty()).then_some(lang)
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use pulldown_cmark::{Parser, html::push_html};

    use super::*;
    use crate::markdown::parser_options;

    static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

    #[track_caller]
    fn check(md: &str, expect: &str) {
        let mut html = String::new();
        push_html(&mut html, Code::new(Parser::new_ext(md, parser_options(false)), &HIGHLIGHTER));
        assert!(html.contains(expect), "expected\n{expect}\nin\n{html}");
    }

    #[test]
    fn every_theme_colour_reads_on_its_background() {
        let themes = ThemeSet::load_defaults();
        for name in ["InspiredGitHub", "base16-ocean.dark", "Solarized (light)"] {
            let theme = readable(&themes.themes[name]);
            let bg = theme.settings.background.unwrap_or(Color::WHITE);
            for item in &theme.scopes {
                if let Some(fg) = item.style.foreground {
                    let on = item.style.background.unwrap_or(bg);
                    let ratio = contrast(fg, on);
                    assert!(ratio >= MIN_CONTRAST, "{name}: {fg:?} on {on:?} is {ratio:.2}");
                }
            }
        }
        // InspiredGitHub's comment grey #969896 on white is 2.9:1 before the fix.
        let grey = Color { r: 0x96, g: 0x98, b: 0x96, a: 0xff };
        assert!(contrast(grey, Color::WHITE) < 3.0);
        assert!(contrast(with_contrast(grey, Color::WHITE), Color::WHITE) >= MIN_CONTRAST);
    }

    #[test]
    fn fenced_code_is_highlighted() {
        check(
            "```python\nprint(\"مرحبا\")\n```\n",
            "<pre class=\"code\" dir=\"ltr\" data-lang=\"python\"><code><span class=\"hl-source hl-python\">",
        );
        check(
            "```python\nprint(\"مرحبا\")\n```\n",
            "<span class=\"hl-support hl-function hl-builtin hl-python\">print</span>",
        );
        check(
            "```rust,ignore\nfn main() {}\n```\n",
            "data-lang=\"rust\"><code><span class=\"hl-source hl-rust\">",
        );
        check("```RUST\nfn main() {}\n```\n", "<span class=\"hl-source hl-rust\">");
    }

    #[test]
    fn unknown_language_is_plain() {
        check(
            "```klingon\nif a < b && c\n```\n",
            "<pre class=\"code\" dir=\"ltr\" data-lang=\"klingon\"><code>if a &lt; b &amp;&amp; c\n</code></pre>\n",
        );
        check(
            "```\n<b>x</b>\n```\n",
            "<pre class=\"code\" dir=\"ltr\"><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n",
        );
        check(
            "    indented <i>\n",
            "<pre class=\"code\" dir=\"ltr\"><code>indented &lt;i&gt;\n</code></pre>\n",
        );
        check("```\" onload=\"x\nq\n```\n", "data-lang=\"&quot;\"");
    }

    #[test]
    fn inline_code_is_ltr() {
        check(
            "نفّذ الأمر `cargo build --release` ثم",
            "<p>نفّذ الأمر <code dir=\"ltr\">cargo build --release</code> ثم</p>",
        );
        check("`a<b>`", "<code dir=\"ltr\">a&lt;b&gt;</code>");
    }

    #[test]
    fn languages() {
        assert_eq!(language("rust"), Some("rust"));
        assert_eq!(language("rust,ignore"), Some("rust"));
        assert_eq!(language("python {.numbered}"), Some("python"));
        assert_eq!(language("js{1,3}"), Some("js"));
        assert_eq!(language(""), None);
        assert_eq!(language("  "), None);
    }

    #[test]
    fn stylesheet() {
        let css = Highlighter::stylesheet("InspiredGitHub", "base16-ocean.dark").unwrap();
        assert!(
            css.starts_with("pre.code {\n color: #323232;\n background-color: #ffffff;\n}"),
            "{css}"
        );
        assert!(css.contains(".hl-comment"));
        let dark = css.split_once("@media (prefers-color-scheme: dark) {\n").unwrap().1;
        assert!(
            dark.starts_with("pre.code {\n color: #c0c5ce;\n background-color: #2b303b;\n}"),
            "{dark}"
        );
        assert!(dark.trim_end().ends_with('}'));

        let err = Highlighter::stylesheet("InspiredGitHub", "Monokai").unwrap_err().to_string();
        assert!(err.starts_with("unknown highlight theme `Monokai`"), "{err}");
        assert!(err.contains("`base16-ocean.dark`") && err.contains("`InspiredGitHub`"), "{err}");
    }

    #[test]
    fn highlighter_is_shareable() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Highlighter>();
    }
}
