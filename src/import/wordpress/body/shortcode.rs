//! WordPress shortcodes and addresses alone on their line, handled before `wpautop`.
//!
//! The shortcodes WordPress itself registers for media (`[embed]`, `[video]`, `[audio]`,
//! `[caption]`, `[gallery]`) and an address alone on its line (WordPress's oEmbed) each become
//! an [`Insert`]: a block of its own, left in the text as a placeholder (a private-use character
//! around its number, between blank lines) for `block` to write once the HTML around it is
//! read. Any other `[name …]` stays text, with a note: its plugin is not here. Nothing in
//! `<pre>`, `<code>`, `<script>`, `<style>` or a tag is a shortcode, and only a name of ASCII
//! letters, digits, `_` and `-` starting with a letter is one (not `[1]`, not `[ملاحظة]`).
//!
//! Attributes are read as WordPress's `shortcode_parse_atts` does: `a="x"`, `a='x'`, `a=x`,
//! and positional values. `[[name]]` is WordPress's way of writing `[name]` as text.

use std::ops::Range;
use std::rc::Rc;

use markup5ever_rcdom::Node;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::dom::{self, Body, Html};
use super::{MediaLinks, braces, media, tag};

/// The start of a placeholder; its number and [`END`] follow.
pub(super) const START: char = '\u{E000}';
/// The end of a placeholder.
pub(super) const END: char = '\u{E001}';

/// A block a shortcode, or an address alone on its line, becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Insert {
    /// An address alone in its paragraph: midad embeds it when it knows the platform.
    Address(String),
    /// A photo and its caption: midad's `figure` shortcode.
    Figure { src: String, alt: String, caption: String },
    /// A player of a file: `<video>` or `<audio>`.
    Player { tag: &'static str, src: String, poster: Option<String> },
}

impl Insert {
    /// The insert as a Markdown block.
    pub(super) fn markdown(&self) -> String {
        match self {
            Insert::Address(url) => address_markdown(url),
            Insert::Figure { src, alt, caption } => {
                // `alt` even when empty: the default theme's `figure` writes it unconditionally.
                let mut call = format!("{{{{ figure(src={}, alt={}", argument(src), argument(alt));
                if !caption.is_empty() {
                    call.push_str(&format!(", caption={}", argument(caption)));
                }
                call.push_str(") }}");
                call
            }
            // An HTML block of CommonMark's seventh kind: the start tag alone on its line.
            Insert::Player { tag, src, poster } => {
                format!("{}\n</{tag}>", player_start(tag, src, poster.as_deref()))
            }
        }
    }

    /// The insert as HTML, inside a block kept as HTML.
    pub(super) fn html(&self) -> String {
        let mut out = String::new();
        match self {
            Insert::Address(url) => {
                out.push_str("<a href=\"");
                dom::push_attr_value(&mut out, url);
                out.push_str("\">");
                dom::push_text(&mut out, url, false);
                out.push_str("</a>");
            }
            Insert::Figure { src, alt, caption } => {
                out.push_str("<figure><img src=\"");
                dom::push_attr_value(&mut out, src);
                out.push_str("\" alt=\"");
                dom::push_attr_value(&mut out, alt);
                out.push_str("\">");
                if !caption.is_empty() {
                    out.push_str("<figcaption>");
                    dom::push_text(&mut out, caption, false);
                    out.push_str("</figcaption>");
                }
                out.push_str("</figure>");
            }
            Insert::Player { tag, src, poster } => {
                out.push_str(&player_start(tag, src, poster.as_deref()));
                out.push_str(&format!("</{tag}>"));
            }
        }
        out
    }
}

/// The start tag of a `<video>` or `<audio>` player of `src`.
fn player_start(tag: &str, src: &str, poster: Option<&str>) -> String {
    let mut out = format!("<{tag} controls preload=\"none\" src=\"");
    dom::push_attr_value(&mut out, src);
    out.push('"');
    if let Some(poster) = poster {
        out.push_str(" poster=\"");
        dom::push_attr_value(&mut out, poster);
        out.push('"');
    }
    out.push('>');
    out
}

/// `value` as a midad shortcode argument: double-quoted, `\` and `"` escaped.
fn argument(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// An address as a paragraph that midad reads back as that address alone: as it is when
/// Markdown leaves it alone (underscores in an address rarely make emphasis), else as an
/// autolink (`<…>`), which midad embeds the same and whose text Markdown never reads. An
/// address with braces that would open a call (no platform's) gets them escaped instead.
fn address_markdown(url: &str) -> String {
    if url.contains("{{") || url.contains("{%") {
        return braces::escape_markdown(url).into_owned();
    }
    let mut text = String::new();
    let mut plain = true;
    for event in Parser::new_ext(url, super::cmark::OPTIONS) {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            _ => plain = false,
        }
    }
    match plain && text == url {
        true => url.to_string(),
        false => format!("<{url}>"),
    }
}

/// The content with its shortcodes handled.
#[derive(Debug, Default)]
pub(super) struct Scanned {
    /// The content, with a placeholder for each insert.
    pub(super) text: String,
    /// The inserts, by number.
    pub(super) inserts: Vec<Insert>,
    /// What a person should look at.
    pub(super) notes: Vec<String>,
}

/// The placeholder of insert `number`, as text.
pub(super) fn placeholder(number: usize) -> String {
    format!("{START}{number}{END}")
}

/// The numbers of the placeholders in `text`, in order.
pub(super) fn placeholders(text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(START) {
        rest = &rest[start + START.len_utf8()..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if rest[digits..].starts_with(END)
            && let Ok(number) = rest[..digits].parse()
        {
            found.push(number);
        }
    }
    found
}

/// Handles the shortcodes and oEmbed lines of `src` (comments already gone).
pub(super) fn scan(src: &str, media: &dyn MediaLinks, html: &Html) -> Scanned {
    let mut scan = Scan { src, media, html, out: Scanned::default(), copied: 0 };
    let bytes = src.as_bytes();
    let mut at = 0;
    while at < src.len() {
        if (at == 0 || bytes[at - 1] == b'\n')
            && let Some((url, end)) = address_line(src, at)
        {
            let url = html.plain_text(url);
            scan.insert(at..end, vec![Insert::Address(url)]);
            at = end;
            continue;
        }
        at = match bytes[at] {
            b'<' => skip_tag(src, at),
            b'[' => scan.bracket(at),
            _ => at + 1,
        };
    }
    scan.out.text.push_str(&src[scan.copied..]);
    scan.out
}

/// After the tag at `at`, or after the whole element for one whose content is not prose.
fn skip_tag(src: &str, at: usize) -> usize {
    match tag::read(src, at) {
        Some(found) if !found.closing && (found.is_any(tag::OPAQUE) || found.is("code")) => {
            tag::element_end(src, found.end, found.name)
        }
        Some(found) => found.end,
        None => at + 1,
    }
}

/// The address alone on the line starting at `at` (spaces around allowed), and the end of the
/// line.
fn address_line(src: &str, at: usize) -> Option<(&str, usize)> {
    let end = src[at..].find('\n').map_or(src.len(), |found| at + found);
    let line = src[at..end].trim();
    let rest = line.strip_prefix("https://").or_else(|| line.strip_prefix("http://"))?;
    let bad = |c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"');
    (!rest.is_empty() && !line.contains(bad)).then_some((line, end))
}

struct Scan<'s, 'm> {
    src: &'s str,
    media: &'m dyn MediaLinks,
    html: &'m Html,
    out: Scanned,
    /// How far `src` is copied to the output.
    copied: usize,
}

/// What a shortcode is replaced with.
enum Replacement {
    Inserts(Vec<Insert>),
    Text(String),
}

impl Scan<'_, '_> {
    fn insert(&mut self, range: Range<usize>, inserts: Vec<Insert>) {
        let mut text = String::from("\n\n");
        for insert in inserts {
            text.push_str(&placeholder(self.out.inserts.len()));
            text.push_str("\n\n");
            self.out.inserts.push(insert);
        }
        self.replace(range, &text);
    }

    fn replace(&mut self, range: Range<usize>, with: &str) {
        self.out.text.push_str(&self.src[self.copied..range.start]);
        self.out.text.push_str(with);
        self.copied = range.end;
    }

    fn note(&mut self, note: String) {
        if !self.out.notes.contains(&note) {
            self.out.notes.push(note);
        }
    }

    /// Handles whatever starts at `at` (a `[`); returns where to go on from.
    fn bracket(&mut self, at: usize) -> usize {
        if self.src[at + 1..].starts_with('[') {
            // `[[name]]` is `[name]` as text.
            if let Some(code) = Shortcode::read(self.src, at + 1).filter(|code| code.known())
                && self.src[code.end..].starts_with(']')
            {
                let literal = self.src[at + 1..code.end].to_string();
                self.replace(at..code.end + 1, &literal);
                return code.end + 1;
            }
            return at + 1;
        }
        let Some(code) = Shortcode::read(self.src, at) else { return at + 1 };
        if !code.known() {
            self.note(format!("unknown shortcode [{}] kept as text", code.name));
            return code.open_end;
        }
        match self.handle(&code) {
            Replacement::Inserts(inserts) => self.insert(at..code.end, inserts),
            Replacement::Text(text) => self.replace(at..code.end, &text),
        }
        code.end
    }

    fn handle(&mut self, code: &Shortcode<'_>) -> Replacement {
        match code.name {
            "embed" => self.embed(code),
            "video" | "audio" => self.player(code),
            "caption" | "wp_caption" => self.caption(code),
            _ => self.gallery(code),
        }
    }

    /// `[embed]URL[/embed]`: the address alone.
    fn embed(&mut self, code: &Shortcode<'_>) -> Replacement {
        let content = code.content.unwrap_or("").trim();
        match address_line(content, 0) {
            Some((url, _)) => {
                Replacement::Inserts(vec![Insert::Address(self.html.plain_text(url))])
            }
            None => {
                self.note("[embed] without an address: its content kept".to_string());
                Replacement::Text(content.to_string())
            }
        }
    }

    /// `[video src="…"]`, `[video mp4="…"]`, `[video]URL[/video]`, `[audio mp3="…"]`: the
    /// address of a platform's video alone (midad embeds it), else a player of the file.
    fn player(&mut self, code: &Shortcode<'_>) -> Replacement {
        let (tag, sources) = match code.name {
            "video" => ("video", &["src", "mp4", "m4v", "webm", "ogv", "wmv", "flv", "mov"][..]),
            _ => ("audio", &["src", "mp3", "ogg", "oga", "m4a", "wav", "wma", "flac"][..]),
        };
        let content = code.content.map(str::trim).filter(|c| address_line(c, 0).is_some());
        let Some(url) = code.attrs.get(sources).or(content) else {
            self.note(format!("[{tag}] without a source skipped"));
            return Replacement::Text(String::new());
        };
        let url = self.html.plain_text(url);
        if tag == "video" && on_video_platform(&url) {
            return Replacement::Inserts(vec![Insert::Address(url)]);
        }
        let src = self.media.rewrite(&url).unwrap_or(url);
        let poster = code
            .attrs
            .get(&["poster"])
            .map(|p| media::upload(self.media, &self.html.plain_text(p)));
        Replacement::Inserts(vec![Insert::Player { tag, src, poster }])
    }

    /// `[caption …]<a …><img …></a> Caption[/caption]`, or the caption in `caption="…"`: the
    /// photo and its caption as plain text.
    fn caption(&mut self, code: &Shortcode<'_>) -> Replacement {
        let content = code.content.unwrap_or("");
        let parsed = self.html.body(content);
        let figure = parsed.as_ref().and_then(|Body { body, .. }| {
            let img = dom::find(body, "img")?;
            let src = media::upload(self.media, &dom::attr(&img, "src")?);
            let alt = dom::collapse(&dom::attr(&img, "alt").unwrap_or_default());
            let caption = match code.attrs.get(&["caption"]) {
                Some(caption) => self.html.plain_text(caption),
                None => dom::collapse(&text_without(body, &photo_of(body, &img))),
            };
            Some(Insert::Figure { src, alt, caption })
        });
        match figure {
            Some(figure) => Replacement::Inserts(vec![figure]),
            None => {
                self.note("[caption] without a photo: its content kept".to_string());
                Replacement::Text(content.to_string())
            }
        }
    }

    /// `[gallery ids="1,2,3"]`: a figure for each attachment.
    fn gallery(&mut self, code: &Shortcode<'_>) -> Replacement {
        let Some(ids) = code.attrs.get(&["ids", "include"]) else {
            self.note("gallery without ids skipped".to_string());
            return Replacement::Text(String::new());
        };
        let mut figures = Vec::new();
        for id in ids.split(',').map(str::trim).filter(|id| !id.is_empty()) {
            let found = id.parse().ok().and_then(|id| self.media.attachment(id));
            let Some((url, caption)) = found else {
                self.note(format!("gallery: attachment {id} not found"));
                continue;
            };
            // An attachment's address is its original already.
            let src = self.media.rewrite(&url).unwrap_or(url);
            let caption = caption.map(|c| self.html.plain_text(&c)).unwrap_or_default();
            figures.push(Insert::Figure { src, alt: String::new(), caption });
        }
        Replacement::Inserts(figures)
    }
}

/// Whether `url` is a video on a platform midad embeds from its address.
fn on_video_platform(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    const PLATFORMS: &[&str] = &[
        "youtube.com",
        "youtu.be",
        "youtube-nocookie.com",
        "vimeo.com",
        "facebook.com",
        "fb.watch",
        "tiktok.com",
    ];
    PLATFORMS.iter().any(|platform| {
        host == *platform || host.strip_suffix(platform).is_some_and(|sub| sub.ends_with('.'))
    })
}

/// The photo as written in a caption: the `<img>`, or the link around it if it holds nothing
/// else.
fn photo_of(body: &Rc<Node>, img: &Rc<Node>) -> Rc<Node> {
    let link = dom::parent_of(body, img).filter(|parent| dom::is(parent, "a"));
    match link {
        Some(link) if dom::text(&link).trim().is_empty() => link,
        _ => img.clone(),
    }
}

/// The text under `node` less what is under `left_out`.
fn text_without(node: &Rc<Node>, left_out: &Rc<Node>) -> String {
    if Rc::ptr_eq(node, left_out) {
        return String::new();
    }
    match dom::text_of(node) {
        Some(text) => text,
        None if dom::is(node, "script") || dom::is(node, "style") => String::new(),
        None => dom::children(node).iter().map(|child| text_without(child, left_out)).collect(),
    }
}

/// A shortcode as written.
struct Shortcode<'s> {
    name: &'s str,
    attrs: Attrs,
    /// Between `[name]` and `[/name]`; None for one that does not enclose.
    content: Option<&'s str>,
    /// After the opening `[name …]`.
    open_end: usize,
    /// After the whole shortcode.
    end: usize,
}

impl<'s> Shortcode<'s> {
    /// The shortcode starting at `at` (a `[`): `[name]`, `[name attrs]`, `[name /]`, each
    /// possibly followed by content and `[/name]`.
    fn read(src: &'s str, at: usize) -> Option<Shortcode<'s>> {
        let rest = &src[at + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_lowercase()) {
            return None;
        }
        let name_len = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let after = &rest[name_len..];
        if !after.starts_with(|c: char| c.is_whitespace() || c == ']' || c == '/') {
            return None;
        }
        let close = after.find(']')?;
        let inside = after[..close].trim_end();
        let open_end = at + 1 + name_len + close + 1;
        let (inside, closed) = match inside.strip_suffix('/') {
            Some(inside) => (inside, true),
            None => (inside, false),
        };
        let attrs = Attrs::parse(inside);
        let closing = format!("[/{name}]");
        // Unlike WordPress, a shortcode of the same name opening before the closing tag makes
        // this one stand alone (`[video src=…] … [video]…[/video]`).
        let ending = (!closed).then(|| src[open_end..].find(&closing)).flatten().filter(|end| {
            let between = &src[open_end..open_end + end];
            !between.match_indices('[').any(|(at, _)| Shortcode::opens(&between[at..], name))
        });
        let (content, end) = match ending {
            Some(found) => {
                (Some(&src[open_end..open_end + found]), open_end + found + closing.len())
            }
            None => (None, open_end),
        };
        Some(Shortcode { name, attrs, content, open_end, end })
    }

    /// Whether `text` starts with the opening of shortcode `name`.
    fn opens(text: &str, name: &str) -> bool {
        text.strip_prefix('[').and_then(|rest| rest.strip_prefix(name)).is_some_and(|rest| {
            rest.starts_with(|c: char| c.is_whitespace() || c == ']' || c == '/')
        })
    }

    /// Whether this module handles it.
    fn known(&self) -> bool {
        matches!(self.name, "embed" | "video" | "audio" | "caption" | "wp_caption" | "gallery")
    }
}

/// A shortcode's attributes, as `shortcode_parse_atts` reads them.
#[derive(Debug, Default, PartialEq, Eq)]
struct Attrs {
    /// `name=value`, names lower case.
    named: Vec<(String, String)>,
    /// Values without a name.
    positional: Vec<String>,
}

impl Attrs {
    fn parse(text: &str) -> Attrs {
        let text = text.replace(['\u{a0}', '\u{200b}'], " ");
        let mut attrs = Attrs::default();
        let mut rest = text.trim_start();
        while !rest.is_empty() {
            let name_len = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
                .unwrap_or(rest.len());
            let after_name = rest[name_len..].trim_start();
            if name_len > 0 && after_name.starts_with('=') {
                let name = rest[..name_len].to_ascii_lowercase();
                let (value, after) = value(after_name[1..].trim_start());
                attrs.named.push((name, value.to_string()));
                rest = after;
            } else {
                let (value, after) = value(rest);
                attrs.positional.push(value.to_string());
                rest = after;
            }
            rest = rest.trim_start();
        }
        attrs
    }

    /// The first of `names` given a value that is not empty.
    fn get(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|name| {
            let found = self.named.iter().find(|(n, v)| n == name && !v.trim().is_empty());
            found.map(|(_, value)| value.trim())
        })
    }
}

/// A value at the start of `text`, quoted or up to white space, and the text after it.
fn value(text: &str) -> (&str, &str) {
    match text.chars().next() {
        Some(quote @ ('"' | '\'')) => {
            let inner = &text[1..];
            match inner.find(quote) {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => (inner, ""),
            }
        }
        _ => {
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            (&text[..end], &text[end..])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_as_wordpress_reads_them() {
        let attrs = Attrs::parse(
            " id=\"attachment_12\" Align='alignright' width=300 caption=\"صورة «الوزير»\" \"موضع\" x ",
        );
        assert_eq!(
            attrs.named,
            [
                ("id".to_string(), "attachment_12".to_string()),
                ("align".into(), "alignright".into()),
                ("width".into(), "300".into()),
                ("caption".into(), "صورة «الوزير»".into()),
            ]
        );
        assert_eq!(attrs.positional, ["موضع", "x"]);
        assert_eq!(attrs.get(&["src", "width"]), Some("300"));
        assert_eq!(Attrs::parse("a=\"unclosed").named, [("a".to_string(), "unclosed".to_string())]);
    }

    #[test]
    fn reads_shortcodes() {
        let src = "[video mp4=\"a.mp4\"][/video] بعد";
        let code = Shortcode::read(src, 0).unwrap();
        assert_eq!((code.name, code.content, &src[code.end..]), ("video", Some(""), " بعد"));
        let code = Shortcode::read("[gallery ids=\"1,2\" /][/gallery]", 0).unwrap();
        assert_eq!((code.content, code.end), (None, 21));
        for not in ["[1]", "[ملاحظة]", "[Note]", "[a.b]", "[note", "[ x]"] {
            assert!(Shortcode::read(not, 0).is_none(), "{not}");
        }
    }

    #[test]
    fn video_platforms() {
        assert!(on_video_platform("https://www.youtube.com/watch?v=a"));
        assert!(on_video_platform("http://youtu.be/a"));
        assert!(on_video_platform("https://player.vimeo.com/video/1"));
        assert!(!on_video_platform("https://notyoutube.com/a.mp4"));
        assert!(!on_video_platform("https://old.example/wp-content/uploads/a.mp4"));
    }

    #[test]
    fn finds_placeholders() {
        let text = format!("a{}b{START}x{END}{}", placeholder(3), placeholder(12));
        assert_eq!(placeholders(&text), [3, 12]);
    }
}
