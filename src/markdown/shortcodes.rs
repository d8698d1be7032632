//! Shortcodes and embeds: calls in a body that a template renders.
//!
//! `{{ name(arg="value", n=3) }}` is a call inline, `{% name(arg="value") %}body{% end %}` one
//! with a Markdown body, as in Zola. An address of a video or post alone in its paragraph
//! (`embeds::recognize`) is a call too, of the platform's shortcode. Which shortcodes exist and
//! what they write is the caller's ([`Shortcodes`]): this module finds the calls, renders their
//! bodies, and puts what the caller writes where each call was.
//!
//! [`scan`] runs before pulldown-cmark. A first parse finds the code spans and code blocks (a
//! call written there is text, never run) and the paragraphs that are only an embeddable
//! address. Each call is then cut out of the body and replaced by a placeholder: one of two
//! private-use characters around its number, on a paragraph of its own for a call that stands
//! on its own lines (so it replaces the paragraph, not sits in one), inline otherwise. After the
//! parse, [`Substitute`] swaps each placeholder for its HTML. An [`OffsetMap`] takes positions in
//! the body with placeholders back to the body as written, for links and errors.
//!
//! `{{/* name() */}}` writes `{{ name() }}` as text.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};
use serde_json::{Map, Value};

use super::embeds;
use super::position::{Cursor, OffsetMap};

/// Shortcodes a body may call, and how each is written.
pub trait Shortcodes: Sync {
    /// Whether shortcode `name` exists.
    fn has(&self, name: &str) -> bool;
    /// The names of the shortcodes that exist, sorted, for error messages.
    fn names(&self) -> Vec<String>;
    /// The HTML of one call: its arguments, its body rendered (a call with a body), and which
    /// call of this shortcode in the body it is (`nth`, from 1).
    fn render(&self, call: &Call, body: Option<&str>, nth: usize) -> Result<String, Failure>;
}

/// No shortcodes: every call is an error and no address is embedded.
pub struct NoShortcodes;

impl Shortcodes for NoShortcodes {
    fn has(&self, _: &str) -> bool {
        false
    }
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
    fn render(&self, call: &Call, _: Option<&str>, _: usize) -> Result<String, Failure> {
        Err(Failure { message: format!("unknown shortcode `{}`", call.name), hint: None })
    }
}

/// Why a call could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// A problem with a call, where it is written in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line in the body.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// One call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The shortcode called.
    pub name: String,
    /// Its arguments, by name.
    pub args: Map<String, Value>,
    /// The Markdown between `{% name(…) %}` and `{% end %}`; `None` for an inline call.
    pub body: Option<String>,
    /// The line of the body where the call starts, 1-based.
    pub line: u32,
    /// Its column, in characters, 1-based.
    pub column: u32,
    /// The line of the body where `body` starts.
    pub body_line: u32,
    /// Whether it was an address alone in its paragraph (problems with it are not the
    /// author's spelling).
    pub embed: bool,
}

/// The start of a placeholder; its number and [`END`] follow.
const START: char = '\u{E000}';
const END: char = '\u{E001}';

/// A body with its calls cut out.
#[derive(Debug, Default)]
pub(super) struct Scanned {
    /// The body with a placeholder for each call.
    pub text: String,
    pub calls: Vec<Call>,
    /// Each call as written, for a placeholder that lands in code (cutting a call out can join
    /// backticks around it into a code span).
    pub written: Vec<String>,
    pub map: OffsetMap,
    pub problems: Vec<Problem>,
}

/// What opens an inline call, and a call with a body.
const INLINE_OPEN: &[u8; 2] = b"{{";
const BODY_OPEN: &[u8; 2] = b"{%";

/// Whether `src` may hold a call: a quick look before any parse.
pub(super) fn may_have_calls(src: &str) -> bool {
    memchr::memmem::find(src.as_bytes(), INLINE_OPEN).is_some()
        || memchr::memmem::find(src.as_bytes(), BODY_OPEN).is_some()
        || src.lines().any(|line| embeddable(line.trim()).is_some())
}

/// The embed an address (bare or in angle brackets) stands for.
fn embeddable(text: &str) -> Option<embeds::EmbedCall> {
    let url = text.strip_prefix('<').and_then(|t| t.strip_suffix('>')).unwrap_or(text);
    if !url.starts_with("http") {
        return None;
    }
    embeds::recognize(url)
}

/// What a first parse of the body tells the scan.
struct Layout {
    /// Code spans and code blocks, by start.
    code: Vec<Range<usize>>,
    /// Paragraphs that are only an embeddable address, and its embed.
    embeds: Vec<(Range<usize>, embeds::EmbedCall)>,
}

fn layout(src: &str, options: pulldown_cmark::Options, shortcodes: &dyn Shortcodes) -> Layout {
    let mut layout = Layout { code: Vec::new(), embeds: Vec::new() };
    // The paragraph being read, its text, and whether it has been only text so far.
    let mut paragraph: Option<(Range<usize>, String, bool)> = None;
    for (event, range) in Parser::new_ext(src, options).into_offset_iter() {
        match event {
            Event::Code(_) | Event::Start(Tag::CodeBlock(_)) => layout.code.push(range),
            Event::Start(Tag::Paragraph) => paragraph = Some((range, String::new(), true)),
            Event::End(TagEnd::Paragraph) => {
                let Some((range, text, true)) = paragraph.take() else { continue };
                let call = embeddable(text.trim()).filter(|call| shortcodes.has(call.name));
                layout.embeds.extend(call.map(|call| (range, call)));
            }
            Event::Text(text) => {
                if let Some((_, seen, _)) = &mut paragraph {
                    seen.push_str(&text);
                }
            }
            // `<https://…>`: its text is its address.
            Event::Start(Tag::Link { link_type: LinkType::Autolink, .. })
            | Event::End(TagEnd::Link) => {}
            _ => {
                if let Some((_, _, only_text)) = &mut paragraph {
                    *only_text = false;
                }
            }
        }
    }
    layout
}

/// Cuts the calls out of `src`: shortcode calls outside code, and the embeddable addresses
/// `shortcodes` has a shortcode for.
pub(super) fn scan(
    src: &str,
    options: pulldown_cmark::Options,
    shortcodes: &dyn Shortcodes,
) -> Scanned {
    let layout = layout(src, options, shortcodes);
    let mut scan =
        Scan { src, layout, out: Scanned::default(), copied: 0, cursor: Cursor::default() };
    let mut embeds = std::mem::take(&mut scan.layout.embeds).into_iter().peekable();
    let mut at = 0;
    while at < src.len() {
        let next_call = find_open(src, at, &scan.layout.code);
        let next_embed = embeds.peek().map(|(range, _)| range.start);
        match (next_call, next_embed) {
            (_, Some(embed)) if next_call.is_none_or(|call| embed < call) => {
                let Some((range, call)) = embeds.next() else { break };
                if range.start >= at {
                    scan.embed(range.clone(), call);
                    at = range.end;
                }
            }
            (Some(open), _) => at = scan.call(open),
            (None, _) => break,
        }
    }
    scan.finish()
}

/// The next `{{` or `{%` at or after `at` that is not in code.
fn find_open(src: &str, mut at: usize, code: &[Range<usize>]) -> Option<usize> {
    let bytes = src.as_bytes();
    while let Some(found) = memchr::memchr(INLINE_OPEN[0], &bytes[at..]) {
        let start = at + found;
        at = start + 1;
        let second = bytes.get(start + 1).copied();
        if second != Some(INLINE_OPEN[1]) && second != Some(BODY_OPEN[1]) {
            continue;
        }
        let inside = code.partition_point(|range| range.start <= start);
        if let Some(range) = inside.checked_sub(1).map(|i| &code[i]).filter(|r| r.end > start) {
            at = range.end;
            continue;
        }
        return Some(start);
    }
    None
}

struct Scan<'s> {
    src: &'s str,
    layout: Layout,
    out: Scanned,
    /// How far `src` has been copied to the output.
    copied: usize,
    cursor: Cursor,
}

impl Scan<'_> {
    /// Handles whatever starts at `start` (`{{` or `{%`); returns where to go on from.
    fn call(&mut self, start: usize) -> usize {
        let block = self.src.as_bytes()[start + 1] == b'%';
        if let Some(end) = escaped(self.src, start, block) {
            let (open, close) = if block { ("{%", "%}") } else { ("{{", "}}") };
            let literal = format!("{open}{}{close}", &self.src[start + 4..end - 4]);
            self.replace(start..end, &literal, true);
            return end;
        }
        let (line, column) = self.cursor.advance(self.src, start);
        let problem = |message: String, hint: Option<&str>| Problem {
            line,
            column,
            message,
            hint: hint.map(str::to_string),
        };
        let open = match parse_call(self.src, start, block) {
            Parsed::NotACall => return start + 2,
            Parsed::End => {
                self.out.problems.push(problem(
                    "`{% end %}` closes no shortcode".into(),
                    Some("remove it, or open the shortcode with `{% name(…) %}` before it"),
                ));
                return start + 2;
            }
            Parsed::Malformed(message) => {
                self.out.problems.push(problem(message, Some(CALL_HINT)));
                return start + 2;
            }
            Parsed::Call(open) => open,
        };
        let (body, end, body_line) = match block {
            false => (None, open.end, line),
            true => match find_end(self.src, open.end, &self.layout.code) {
                Some((body_end, end)) => {
                    let body_line = line + self.src[start..open.end].matches('\n').count() as u32;
                    (Some(self.src[open.end..body_end].to_string()), end, body_line)
                }
                None => {
                    self.out.problems.push(problem(
                        format!("`{{% {}(…) %}}` has no `{{% end %}}`", open.name),
                        Some("close the shortcode's body with `{% end %}`"),
                    ));
                    return open.end;
                }
            },
        };
        let call =
            Call { name: open.name, args: open.args, body, line, column, body_line, embed: false };
        self.place(start..end, call);
        end
    }

    fn embed(&mut self, range: Range<usize>, found: embeds::EmbedCall) {
        let (line, column) = self.cursor.advance(self.src, range.start);
        let call = Call {
            name: found.name.to_string(),
            args: found.args,
            body: None,
            line,
            column,
            body_line: line,
            embed: true,
        };
        let trimmed = self.src[range.clone()].trim_end();
        self.place(range.start..range.start + trimmed.len(), call);
    }

    /// Puts a placeholder for `call` where it is written: a paragraph of its own when nothing
    /// but spaces is beside it on its first and last lines.
    fn place(&mut self, range: Range<usize>, call: Call) {
        let line_start = self.src[..range.start].rfind('\n').map_or(0, |at| at + 1);
        let indent = &self.src[line_start..range.start];
        let rest = &self.src[range.end..];
        let rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let alone = indent.trim().is_empty() && rest.trim().is_empty();
        let number = self.out.calls.len();
        let placeholder = match alone {
            true => format!("\n{indent}{START}{number}{END}\n"),
            false => format!("{START}{number}{END}"),
        };
        self.out.calls.push(call);
        self.out.written.push(self.src[range.clone()].to_string());
        self.replace(range, &placeholder, false);
    }

    fn replace(&mut self, range: Range<usize>, with: &str, copied: bool) {
        let out = &mut self.out;
        out.map.push(out.text.len(), self.copied, true);
        out.text.push_str(&self.src[self.copied..range.start]);
        out.map.push(out.text.len(), range.start, copied);
        out.text.push_str(with);
        self.copied = range.end;
    }

    fn finish(mut self) -> Scanned {
        let out = &mut self.out;
        out.map.push(out.text.len(), self.copied, true);
        out.text.push_str(&self.src[self.copied..]);
        self.out
    }
}

const CALL_HINT: &str = "a shortcode is called as `{{ name(arg=\"value\", n=3) }}`, or \
`{% name(arg=\"value\") %}…{% end %}` with a body; to write the braces as text, put them in \
`code` or write `{{/* name() */}}`";

/// The end (after `*/}}`) of an escaped call `{{/* … */}}` starting at `start`.
fn escaped(src: &str, start: usize, block: bool) -> Option<usize> {
    let rest = src[start + 2..].strip_prefix("/*")?;
    let close = if block { "*/%}" } else { "*/}}" };
    let end = rest.find(close)?;
    Some(start + 4 + end + close.len())
}

/// The `{% end %}` closing a body that starts at `from`, past nested calls with bodies:
/// `(where the body ends, where the end tag ends)`.
fn find_end(src: &str, from: usize, code: &[Range<usize>]) -> Option<(usize, usize)> {
    let mut depth = 0;
    let mut at = from;
    while let Some(start) = find_open(src, at, code) {
        at = start + 2;
        if src.as_bytes()[start + 1] != b'%' {
            continue;
        }
        match parse_call(src, start, true) {
            Parsed::End => {
                let end = start + src[start..].find("%}")? + 2;
                if depth == 0 {
                    return Some((start, end));
                }
                depth -= 1;
                at = end;
            }
            Parsed::Call(open) => {
                depth += 1;
                at = open.end;
            }
            _ => {}
        }
    }
    None
}

struct Open {
    name: String,
    args: Map<String, Value>,
    /// After the closing `}}` or `%}`.
    end: usize,
}

enum Parsed {
    /// Not a shortcode: `{{` followed by something else (prose, a Tera expression).
    NotACall,
    /// `{% end %}`.
    End,
    Malformed(String),
    Call(Open),
}

/// The call starting at `start` (`{{` or `{%`).
fn parse_call(src: &str, start: usize, block: bool) -> Parsed {
    let mut reader = Reader { src, at: start + 2 };
    reader.spaces();
    let name = reader.identifier();
    reader.spaces();
    let close = if block { "%}" } else { "}}" };
    if name.is_empty() {
        return Parsed::NotACall;
    }
    if block && name == "end" && reader.eat(close) {
        return Parsed::End;
    }
    if !reader.eat("(") {
        return Parsed::NotACall;
    }
    let name = name.to_string();
    let args = match reader.arguments() {
        Ok(args) => args,
        Err(message) => return Parsed::Malformed(format!("in the call of `{name}`: {message}")),
    };
    reader.spaces();
    if !reader.eat(close) {
        return Parsed::Malformed(format!("the call of `{name}` does not end with `{close}`"));
    }
    Parsed::Call(Open { name, args, end: reader.at })
}

/// Reads a call's parts from `src` at `at`.
struct Reader<'s> {
    src: &'s str,
    at: usize,
}

impl<'s> Reader<'s> {
    fn rest(&self) -> &'s str {
        &self.src[self.at..]
    }

    fn spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, token: &str) -> bool {
        let found = self.rest().starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    fn identifier(&mut self) -> &'s str {
        let rest = self.rest();
        let starts = rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
        let len = match starts {
            true => {
                rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len())
            }
            false => 0,
        };
        self.at += len;
        &rest[..len]
    }

    /// `name=value, …)`, after the opening parenthesis.
    fn arguments(&mut self) -> Result<Map<String, Value>, String> {
        let mut args = Map::new();
        loop {
            self.spaces();
            if self.eat(")") {
                return Ok(args);
            }
            let name = self.identifier();
            if name.is_empty() {
                return Err("expected an argument's name, or `)`".into());
            }
            self.spaces();
            if !self.eat("=") {
                return Err(format!("expected `=` after `{name}`"));
            }
            self.spaces();
            let value = self.value().map_err(|err| format!("argument `{name}`: {err}"))?;
            if args.insert(name.to_string(), value).is_some() {
                return Err(format!("argument `{name}` is given twice"));
            }
            self.spaces();
            if !self.eat(",") {
                self.spaces();
                return match self.eat(")") {
                    true => Ok(args),
                    false => Err("expected `,` or `)` after an argument".into()),
                };
            }
        }
    }

    /// A string (`"…"`, `'…'` or `` `…` ``), a number, `true`, `false`, or `[…]` of those.
    fn value(&mut self) -> Result<Value, String> {
        let rest = self.rest();
        match rest.chars().next() {
            Some(quote @ ('"' | '\'' | '`')) => self.string(quote).map(Value::String),
            Some('[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.spaces();
                    if self.eat("]") {
                        return Ok(Value::Array(items));
                    }
                    items.push(self.value()?);
                    self.spaces();
                    if !self.eat(",") && !self.rest().starts_with(']') {
                        return Err("expected `,` or `]` in a list".into());
                    }
                }
            }
            _ => {
                let len = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.')))
                    .unwrap_or(rest.len());
                let word = &rest[..len];
                let value = match word {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    _ => word
                        .parse::<i64>()
                        .map(Value::from)
                        .or_else(|_| word.parse::<f64>().map(Value::from))
                        .map_err(|_| {
                            format!("expected a quoted string, a number, true, false or a list, found `{word}`")
                        })?,
                };
                self.at += len;
                Ok(value)
            }
        }
    }

    fn string(&mut self, quote: char) -> Result<String, String> {
        let mut value = String::new();
        let mut chars = self.rest().char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, escaped)) => value.push(escaped),
                    None => break,
                },
                c if c == quote => {
                    self.at += i + c.len_utf8();
                    return Ok(value);
                }
                c => value.push(c),
            }
        }
        Err(format!("a string opened with {quote} is not closed"))
    }
}

/// The number of the placeholder `text` is exactly (spaces around allowed).
fn placeholder(text: &str) -> Option<usize> {
    text.trim().strip_prefix(START)?.strip_suffix(END)?.parse().ok()
}

/// A stretch of text: as it is, or the placeholder of call `n`.
enum Piece<'t> {
    Text(&'t str),
    Call(usize),
}

/// The pieces of `text`, in order (a private-use character the author wrote is text).
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    let mut from = 0;
    while let Some(found) = rest[from..].find(START) {
        let start = from + found;
        let after = &rest[start + START.len_utf8()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let closed = after[digits..].starts_with(END);
        let Some(number) = after[..digits].parse::<usize>().ok().filter(|_| closed) else {
            from = start + START.len_utf8();
            continue;
        };
        if start > 0 {
            pieces.push(Piece::Text(&rest[..start]));
        }
        pieces.push(Piece::Call(number));
        rest = &after[digits + END.len_utf8()..];
        from = 0;
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

/// The pass: swaps each placeholder for its call's HTML: a paragraph that is only a placeholder
/// becomes the HTML as a block, a placeholder inside text becomes inline HTML, and one that
/// landed in code becomes the call as written.
pub(super) struct Substitute<'a, 'h, I> {
    events: I,
    outputs: &'h [String],
    written: &'h [String],
    in_code: bool,
    pending: std::collections::VecDeque<Event<'a>>,
}

impl<'a, 'h, I> Substitute<'a, 'h, I> {
    pub(super) fn new(events: I, outputs: &'h [String], written: &'h [String]) -> Self {
        Substitute { events, outputs, written, in_code: false, pending: Default::default() }
    }

    fn output(&self, number: usize) -> CowStr<'a> {
        self.outputs.get(number).cloned().unwrap_or_default().into()
    }

    /// Splits a text at its placeholders.
    fn split(&mut self, text: &str) {
        for piece in pieces(text) {
            let event = match piece {
                Piece::Text(text) => Event::Text(text.to_string().into()),
                Piece::Call(number) => Event::InlineHtml(self.output(number)),
            };
            self.pending.push_back(event);
        }
    }

    /// `text` with its placeholders as the calls were written.
    fn restore(&self, text: &str) -> CowStr<'a> {
        let restored = pieces(text).into_iter().map(|piece| match piece {
            Piece::Text(text) => text,
            Piece::Call(number) => self.written.get(number).map_or("", String::as_str),
        });
        restored.collect::<String>().into()
    }

    /// One event inside a paragraph or outside any, placeholders handled.
    fn take(&mut self, event: Event<'a>) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            _ => {}
        }
        let event = match event {
            Event::Code(code) if code.contains(START) => Event::Code(self.restore(&code)),
            Event::Text(text) if text.contains(START) && self.in_code => {
                Event::Text(self.restore(&text))
            }
            Event::Text(text) if text.contains(START) => return self.split(&text),
            event => event,
        };
        self.pending.push_back(event);
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Substitute<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.pending.pop_front() {
            return Some(event);
        }
        match self.events.next()? {
            Event::Start(Tag::Paragraph) => {
                let mut inner = Vec::new();
                for event in self.events.by_ref() {
                    if matches!(event, Event::End(TagEnd::Paragraph)) {
                        break;
                    }
                    inner.push(event);
                }
                if let [Event::Text(text)] = &inner[..]
                    && let Some(number) = placeholder(text)
                {
                    let mut html = self.output(number).into_string();
                    html.push('\n');
                    return Some(Event::Html(html.into()));
                }
                self.pending.push_back(Event::Start(Tag::Paragraph));
                for event in inner {
                    self.take(event);
                }
                self.pending.push_back(Event::End(TagEnd::Paragraph));
                self.pending.pop_front()
            }
            event => {
                self.take(event);
                self.pending.pop_front()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;
    use crate::arabic::direction::Direction;
    use crate::arabic::slug::SlugStyle;
    use crate::markdown::{Highlighter, MarkdownOptions, NoImages, Rendered, render_with};

    static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

    /// Shortcodes that show what they were called with.
    struct Echo;

    impl Shortcodes for Echo {
        fn has(&self, name: &str) -> bool {
            matches!(name, "quote" | "youtube" | "note" | "x" | "figure")
        }
        fn names(&self) -> Vec<String> {
            ["figure", "note", "quote", "x", "youtube"].map(String::from).to_vec()
        }
        fn render(&self, call: &Call, body: Option<&str>, nth: usize) -> Result<String, Failure> {
            let arg = |name: &str| call.args.get(name).map(Value::to_string).unwrap_or_default();
            match call.name.as_str() {
                "youtube" => {
                    Ok(format!("<figure class=\"yt\">فيديو {} #{nth}</figure>", arg("id")))
                }
                "quote" => Ok(format!(
                    "<blockquote class=\"pull\">{}<cite>{}</cite></blockquote>",
                    body.unwrap_or(""),
                    call.args.get("speaker").and_then(Value::as_str).unwrap_or("")
                )),
                "note" if call.args.contains_key("kind") => Ok("<aside>ملاحظة</aside>".into()),
                "note" => Err(Failure { message: "no `kind`".into(), hint: None }),
                _ => Ok(format!("<span class=\"{}\">{:?}</span>", call.name, call.args)),
            }
        }
    }

    fn render(md: &str) -> Rendered {
        let opts = MarkdownOptions {
            slug_style: SlugStyle::Arabic,
            smart_punctuation: false,
            external_links_new_tab: false,
            page_dir: Direction::Rtl,
        };
        render_with(md, &opts, &HIGHLIGHTER, &NoImages, &Echo)
    }

    #[track_caller]
    fn html(md: &str) -> String {
        let rendered = render(md);
        assert_eq!(rendered.problems, [], "{md}");
        assert!(!rendered.html.contains(START), "a placeholder is left in {}", rendered.html);
        rendered.html
    }

    #[track_caller]
    fn problem(md: &str, line: u32, column: u32, message: &str) -> Problem {
        let problems = render(md).problems;
        let found = problems.iter().find(|p| p.message.contains(message));
        let found = found.unwrap_or_else(|| panic!("no problem `{message}` in {problems:?}"));
        assert_eq!((found.line, found.column), (line, column), "{found:?}");
        found.clone()
    }

    #[test]
    fn a_call_on_its_own_lines_replaces_its_paragraph() {
        let out = html("قبل\n\n{{ youtube(id=\"dQw4w9WgXcQ\") }}\n\nبعد\n");
        assert!(
            out.contains(
                "<p>قبل</p>\n<figure class=\"yt\">فيديو \"dQw4w9WgXcQ\" #1</figure>\n<p>بعد</p>"
            ),
            "{out}"
        );
        // Even right under a paragraph's line, it is a block of its own.
        let out = html("قبل\n{{ youtube(id=\"a\") }}\nبعد\n");
        assert!(out.contains("<p>قبل</p>\n<figure"), "{out}");
        assert!(out.contains("</figure>\n<p>بعد</p>"), "{out}");
    }

    #[test]
    fn a_call_inside_text_is_inline() {
        let out = html(
            "قال {{ x(id=\"1\") }} أمس، ثم {{ x(id='2', n=3, on=true, r=1.5, list=[1, \"b\"]) }}.",
        );
        assert!(
            out.starts_with(
                "<p>قال <span dir=\"ltr\" class=\"x\">{\"id\": String(\"1\")}</span> أمس، ثم "
            ),
            "{out}"
        );
        assert!(out.contains("\"n\": Number(3)"), "{out}");
        assert!(out.contains("\"on\": Bool(true)") && out.contains("Number(1.5)"), "{out}");
        assert!(out.contains("\"list\": Array [Number(1), String(\"b\")]"), "{out}");
        assert!(out.ends_with("</span>.</p>\n"), "{out}");
    }

    #[test]
    fn a_body_is_markdown_and_the_call_gets_its_direction() {
        let out = html("{% quote(speaker=\"Ali Hassan\") %}\nThe **economy** grew.\n{% end %}\n");
        assert_eq!(
            out,
            "<blockquote dir=\"ltr\" class=\"pull\"><p dir=\"ltr\">The <strong>economy</strong> grew.</p>\n<cite>Ali Hassan</cite></blockquote>\n"
        );
        let arabic = html("{% quote(speaker=\"علي\") %}\nنما **الاقتصاد**.\n{% end %}\n");
        assert!(arabic.starts_with("<blockquote class=\"pull\"><p>نما"), "{arabic}");
        // Bodies nest, and an address alone in a body is embedded too.
        let nested = html(
            "{% quote() %}\n{% quote(speaker=\"x\") %}\nhttps://youtu.be/dQw4w9WgXcQ\n{% end %}\n{% end %}",
        );
        assert!(
            nested.contains("<figure class=\"yt\">فيديو \"dQw4w9WgXcQ\" #1</figure>"),
            "{nested}"
        );
        assert_eq!(nested.matches("<blockquote").count(), 2, "{nested}");
    }

    #[test]
    fn code_and_escaped_calls_stay_text() {
        let out = html(
            "`{{ youtube(id=\"a\") }}` و\n\n```\n{{ youtube(id=\"b\") }}\n{% end %}\n```\n\n    {{ x() }}\n",
        );
        assert!(out.contains("<code dir=\"ltr\">{{ youtube(id=\"a\") }}</code>"), "{out}");
        assert!(out.contains("{{ youtube(id=\"b\") }}\n{% end %}"), "{out}");
        assert!(out.contains("{{ x() }}") && !out.contains("class=\"yt\""), "{out}");
        let escaped = html("اكتب {{/* youtube(id=\"a\") */}} و{%/* quote() */%}");
        assert!(escaped.contains("اكتب {{ youtube(id=\"a\") }} و{% quote() %}"), "{escaped}");
        // Braces that are not a call are left alone.
        let prose = html("{{ عنوان }} و{{ name }} و{% if x %}");
        assert!(prose.contains("{{ عنوان }} و{{ name }} و{% if x %}"), "{prose}");
    }

    #[test]
    fn a_call_whose_cutting_joins_a_code_span_stays_as_written_there() {
        // Without the call the backticks around it meet in one paragraph and make a code span.
        let out = render("x```\n{% note(kind=\"update\") %}\n\n{% end %}```\n").html;
        assert!(
            out.contains("<code dir=\"ltr\"> {% note(kind=\"update\") %}\n\n{% end %}</code>"),
            "{out}"
        );
    }

    #[test]
    fn addresses_alone_in_their_paragraph_are_embedded() {
        let out = html(
            "شاهد:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30\n\n<https://youtu.be/aBcDeFgHiJk>\n",
        );
        assert!(out.contains("<figure class=\"yt\">فيديو \"dQw4w9WgXcQ\" #1</figure>"), "{out}");
        assert!(out.contains("<figure class=\"yt\">فيديو \"aBcDeFgHiJk\" #2</figure>"), "{out}");
        for stays in [
            "شاهد https://youtu.be/dQw4w9WgXcQ الآن",
            "[https://youtu.be/dQw4w9WgXcQ](https://youtu.be/dQw4w9WgXcQ)",
            "```\nhttps://youtu.be/dQw4w9WgXcQ\n```",
            "https://example.com/video",
            "https://vimeo.com/76979871",
        ] {
            assert!(!html(stays).contains("<figure"), "{stays}");
        }
    }

    #[test]
    fn problems_say_where_the_call_is() {
        let p = problem("سطر\n\nنص {{ nope(a=1) }}\n", 3, 4, "unknown shortcode `nope`");
        assert!(p.hint.unwrap().contains("figure, note, quote, x, youtube"));
        problem("\n{% quote() %}\nبلا نهاية\n", 2, 1, "has no `{% end %}`");
        problem("x\n{% end %}\n", 2, 1, "closes no shortcode");
        problem("{{ x(a=) }}", 1, 1, "argument `a`: expected a quoted string");
        problem("{{ x(a=\"b) }}", 1, 1, "is not closed");
        problem("{{ x(a=1 b=2) }}", 1, 1, "expected `,` or `)`");
        problem("{{ x(a=1, a=2) }}", 1, 1, "given twice");
        problem("{{ x(a=1) %}", 1, 1, "does not end with `}}`");
        problem("{{ note(level=1) }}", 1, 1, "no `kind`");
        // Inside a body, lines count from the body's file.
        problem("{% quote() %}\nسطر\n\n  {{ note() }}\n{% end %}", 4, 3, "no `kind`");
    }

    #[test]
    fn positions_after_calls_are_as_written() {
        let md = "{% quote(speaker=\"x\") %}\nسطر\n\nسطر\n{% end %}\n\n[رابط](/a/) {{ x() }} [آخر](/b/)\n\n{{ figure(src=\"p.jpg\") }}\n";
        let rendered = render(md);
        let at: Vec<_> =
            rendered.references.iter().map(|r| (r.url.as_str(), r.line, r.column)).collect();
        assert_eq!(at, [("p.jpg", 9, 1), ("/a/", 7, 8), ("/b/", 7, 29)]);
        assert_eq!(rendered.images, ["p.jpg"]);
    }

    #[test]
    fn text_of_bodies_is_counted() {
        let rendered = render("مقدمة\n\n{% quote() %}\nنص الاقتباس\n{% end %}\n");
        assert!(rendered.text.contains("نص الاقتباس") && rendered.text.contains("مقدمة"));
        assert_eq!(rendered.summary, "مقدمة");
    }

    #[test]
    fn the_offset_map_takes_positions_back() {
        let scanned = scan("ab {{ x() }} cd\n", pulldown_cmark::Options::empty(), &Echo);
        let at = scanned.text.find("cd").unwrap();
        assert_eq!(scanned.map.written(at), 13);
        assert_eq!(scanned.map.written(1), 1);
        assert_eq!(scanned.map.written(scanned.text.find(START).unwrap() + 1), 3);
    }

    mod properties {
        //! Any body renders: calls, braces, code and addresses in any order never panic, leave
        //! no placeholder behind, and put every problem inside the body.

        use proptest::prelude::*;

        use super::*;

        /// Pieces a body with calls is made of, good and broken.
        const PIECES: &[&str] = &[
            "{{",
            "}}",
            "{%",
            "%}",
            "{{ x(",
            "{% quote(",
            "{% end %}",
            "{{/*",
            "*/}}",
            ")",
            "(",
            "\"",
            "'",
            "`",
            "```\n",
            "\n",
            "\n\n",
            "    ",
            "> ",
            "- ",
            "a=",
            "1",
            ", ",
            "[",
            "]",
            "نص عربي",
            "Latin",
            "https://youtu.be/dQw4w9WgXcQ",
            "<https://x.com/a/status/1>",
            "{{ youtube(id=\"dQw4w9WgXcQ\") }}",
            "{% note(kind=\"update\") %}",
            "\u{E000}",
            "\u{E001}",
            "7",
            "[رابط](/a/)",
            "![صورة](p.jpg)",
        ];

        fn body() -> impl Strategy<Value = String> {
            prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|p| p.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn any_body_renders(md in body()) {
                let rendered = render(&md);
                let lines = u32::try_from(md.lines().count().max(1)).unwrap_or(u32::MAX);
                for problem in &rendered.problems {
                    prop_assert!(problem.line >= 1 && problem.line <= lines, "{problem:?} in {md:?}");
                }
                for reference in &rendered.references {
                    prop_assert!(reference.line >= 1 && reference.line <= lines, "{reference:?}");
                }
                // A placeholder the scan wrote never survives (a private-use character the
                // author wrote is theirs and stays).
                let written = md.matches(START).count();
                prop_assert!(rendered.html.matches(START).count() <= written, "{}", rendered.html);
            }
        }
    }
}
