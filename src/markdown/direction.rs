//! Block direction, decided at build time from strong characters (`arabic::direction`'s rule).
//!
//! A paragraph, heading, list item, quote or table cell whose text has no letters of the page's
//! direction but has letters of the other one gets an explicit `dir`: an English paragraph in an
//! Arabic page is `dir="ltr"`, «Apple تعلن …» keeps the page's `rtl` because it has Arabic letters
//! even though it starts with a Latin word. That is why there is no blanket `dir="auto"`: the
//! browser's first-strong-character rule gets «Apple تعلن …» wrong. Blocks without letters (only
//! numbers) keep the inherited direction.
//!
//! A block's text is everything inside it, so [`BlockDirection`] buffers the events of one
//! top-level block (a list item with its nested paragraphs and lists, a whole quote), decides
//! every block in it from the outside in, and only then lets the events go. Blocks inside a block
//! that declared a `dir` don't repeat it (the paragraphs of a `dir="ltr"` list item), and can't
//! need the page's direction back: their letters are part of their parent's. Code blocks are
//! always `ltr` by themselves and image alt text is not shown, so neither counts. It doesn't add
//! `lang`: letters say which way text runs, not which language it is.

use std::collections::VecDeque;

use pulldown_cmark::{Alignment, BlockQuoteKind, CowStr, Event, Tag, TagEnd};

use crate::arabic::direction::{Direction, strong_direction};

/// Which strong letters a text has, relative to the page's direction: any of the page's own
/// direction, or only of the other one. Once a text has a letter of its own direction nothing
/// else about it matters, so scanning stops there: most Arabic paragraphs are decided by their
/// first Arabic letter.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Letters {
    own: bool,
    other: bool,
}

impl Letters {
    /// The letters of `text` in a page running `page`.
    pub(super) fn of(text: &str, page: Direction) -> Letters {
        let mut letters = Letters::default();
        letters.add(text, page);
        letters
    }

    fn add(&mut self, text: &str, page: Direction) {
        if self.own {
            return;
        }
        match page {
            // `strong_direction` is `Rtl` as soon as a text has one right-to-left letter, which
            // is exactly "has letters of the page's direction" here.
            Direction::Rtl => match strong_direction(text) {
                Some(Direction::Rtl) => self.own = true,
                Some(Direction::Ltr) => self.other = true,
                None => {}
            },
            // Here we need "has any left-to-right letter", which `strong_direction` hides in a
            // mixed text, so ask it character by character.
            Direction::Ltr => {
                for (i, c) in text.char_indices() {
                    match strong_direction(&text[i..i + c.len_utf8()]) {
                        Some(Direction::Ltr) => {
                            self.own = true;
                            return;
                        }
                        Some(Direction::Rtl) => self.other = true,
                        None => {}
                    }
                }
            }
        }
    }

    fn union(&mut self, other: Letters) {
        self.own |= other.own;
        self.other |= other.other;
    }

    /// The `dir` a block with these letters declares in a page running `page`: the other
    /// direction when it has letters of that one only, else `None`, it inherits.
    pub(super) fn declared(self, page: Direction) -> Option<Direction> {
        let flipped = match page {
            Direction::Rtl => Direction::Ltr,
            Direction::Ltr => Direction::Rtl,
        };
        (!self.own && self.other).then_some(flipped)
    }
}

/// The pass: declares `dir` on blocks whose letters run against the page's direction.
pub(super) struct BlockDirection<'a, I> {
    events: I,
    page: Direction,
    /// The events of the current top-level block; empty between blocks.
    buf: VecDeque<Event<'a>>,
    /// The blocks inside `buf`, in the order they start, so a parent precedes its children.
    blocks: Vec<Block>,
    /// Indices into `blocks` of the blocks still open.
    open: Vec<usize>,
    /// How deep we are inside code blocks and images, whose text doesn't count.
    hidden: usize,
    table: TableCursor,
}

struct Block {
    /// Index of its start event in `buf`.
    at: usize,
    parent: Option<usize>,
    letters: Letters,
    /// Whether it, or a block around it, declares a `dir`; set by `decide`.
    declared: bool,
    /// For a table cell, what its start tag needs besides `dir`.
    cell: Option<Cell>,
}

#[derive(Clone, Copy)]
struct Cell {
    head: bool,
    align: Alignment,
}

/// Where we are in a table, to rewrite a cell's start tag the way pulldown-cmark's writer would
/// (`th` or `td`, with its column's alignment) once it becomes raw HTML.
#[derive(Default)]
struct TableCursor {
    alignments: Vec<Alignment>,
    head: bool,
    column: usize,
}

impl TableCursor {
    fn observe(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::Table(alignments)) => alignments.clone_into(&mut self.alignments),
            Event::Start(Tag::TableHead) => {
                self.head = true;
                self.column = 0;
            }
            Event::End(TagEnd::TableHead) => self.head = false,
            Event::Start(Tag::TableRow) => self.column = 0,
            Event::End(TagEnd::TableCell) => self.column += 1,
            _ => {}
        }
    }

    fn cell(&self) -> Cell {
        let align = self.alignments.get(self.column).copied().unwrap_or(Alignment::None);
        Cell { head: self.head, align }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> BlockDirection<'a, I> {
    /// Wraps `events` for a page running `page`.
    pub(super) fn new(events: I, page: Direction) -> Self {
        BlockDirection {
            events,
            page,
            buf: VecDeque::new(),
            blocks: Vec::new(),
            open: Vec::new(),
            hidden: 0,
            table: TableCursor::default(),
        }
    }

    fn push(&mut self, event: Event<'a>) {
        self.table.observe(&event);
        match &event {
            Event::Start(tag) if is_block(tag) => {
                let cell = matches!(tag, Tag::TableCell).then(|| self.table.cell());
                let parent = self.open.last().copied();
                let block = Block {
                    at: self.buf.len(),
                    parent,
                    letters: Letters::default(),
                    declared: false,
                    cell,
                };
                self.open.push(self.blocks.len());
                self.blocks.push(block);
            }
            Event::End(end) if is_block_end(end) => {
                if let Some(done) = self.open.pop() {
                    let letters = self.blocks[done].letters;
                    if let Some(&parent) = self.open.last() {
                        self.blocks[parent].letters.union(letters);
                    }
                }
            }
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => self.hidden += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Image) => {
                self.hidden = self.hidden.saturating_sub(1);
            }
            Event::Text(text) | Event::Code(text) if self.hidden == 0 => {
                if let Some(&innermost) = self.open.last() {
                    self.blocks[innermost].letters.add(text, self.page);
                }
            }
            _ => {}
        }
        self.buf.push_back(event);
    }

    /// Decides every buffered block from the outside in and rewrites the start tags that need a
    /// `dir`.
    fn decide(&mut self) {
        for idx in 0..self.blocks.len() {
            let inside_declared = self.blocks[idx].parent.is_some_and(|p| self.blocks[p].declared);
            let block = &mut self.blocks[idx];
            let dir = if inside_declared { None } else { block.letters.declared(self.page) };
            block.declared = inside_declared || dir.is_some();
            // Aligned cells are rewritten even without a `dir`, for logical `text-align`.
            let aligned = block.cell.is_some_and(|c| !matches!(c.align, Alignment::None));
            if (dir.is_some() || aligned)
                && let Some(event) = self.buf.get_mut(block.at)
            {
                declare(event, dir, block.cell);
            }
        }
        self.blocks.clear();
        self.open.clear();
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for BlockDirection<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.buf.pop_front() {
            return Some(event);
        }
        let event = self.events.next()?;
        if !matches!(&event, Event::Start(tag) if is_block(tag)) {
            self.table.observe(&event);
            return Some(event);
        }
        self.push(event);
        while !self.open.is_empty() {
            // pulldown-cmark always closes what it opens; if it ever didn't, the buffered
            // events still go out, undecided.
            let Some(event) = self.events.next() else { break };
            self.push(event);
        }
        self.decide();
        self.buf.pop_front()
    }
}

fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::BlockQuote(_) | Tag::TableCell
    )
}

fn is_block_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::BlockQuote(_)
            | TagEnd::TableCell
    )
}

/// Puts `dir` on a block's start event. Headings carry custom attributes that pulldown-cmark
/// writes itself; the other tags become the raw HTML pulldown-cmark would write, plus `dir`.
/// Their end tags stay ordinary events, which the writer closes as usual. Table cells are also
/// rewritten without a `dir` when aligned, because pulldown-cmark writes the physical
/// `text-align: left/right`, and midad writes the logical `start`/`end`, which follow the
/// table's direction (`:---` is the start of the line: the right edge in an Arabic table).
fn declare(event: &mut Event<'_>, dir: Option<Direction>, cell: Option<Cell>) {
    if let Event::Start(Tag::TableCell) = event {
        let Cell { head, align } = cell.unwrap_or(Cell { head: false, align: Alignment::None });
        let name = if head { "th" } else { "td" };
        let dir = dir.map(|d| format!(" dir=\"{}\"", d.as_str())).unwrap_or_default();
        let style = match align {
            Alignment::None => "",
            Alignment::Left => " style=\"text-align: start\"",
            Alignment::Center => " style=\"text-align: center\"",
            Alignment::Right => " style=\"text-align: end\"",
        };
        *event = Event::Html(format!("<{name}{dir}{style}>").into());
        return;
    }
    let Some(dir) = dir else { return };
    let value = dir.as_str();
    let ltr = matches!(dir, Direction::Ltr);
    let html: CowStr<'static> = match event {
        Event::Start(Tag::Heading { attrs, .. }) => {
            attrs.push(("dir".into(), Some(value.into())));
            return;
        }
        Event::Start(Tag::Paragraph) => {
            if ltr { "<p dir=\"ltr\">" } else { "<p dir=\"rtl\">" }.into()
        }
        Event::Start(Tag::Item) => if ltr { "<li dir=\"ltr\">" } else { "<li dir=\"rtl\">" }.into(),
        Event::Start(Tag::BlockQuote(kind)) => match kind.as_ref().map(alert_class) {
            None => {
                if ltr { "<blockquote dir=\"ltr\">\n" } else { "<blockquote dir=\"rtl\">\n" }.into()
            }
            Some(class) => format!("<blockquote class=\"{class}\" dir=\"{value}\">\n").into(),
        },
        _ => return,
    };
    *event = Event::Html(html);
}

/// The class pulldown-cmark gives a GitHub alert quote (only parsed with `ENABLE_GFM`, which
/// midad doesn't turn on, but a rewritten tag must not lose it if it ever does).
fn alert_class(kind: &BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "markdown-alert-note",
        BlockQuoteKind::Tip => "markdown-alert-tip",
        BlockQuoteKind::Important => "markdown-alert-important",
        BlockQuoteKind::Warning => "markdown-alert-warning",
        BlockQuoteKind::Caution => "markdown-alert-caution",
    }
}

/// A shortcode's HTML with `dir` declared on its first element when its text, like a block's,
/// has letters of the other direction only; HTML that starts with text, or whose first element
/// declares its own `dir`, is left as it is.
pub(super) fn declare_on_html(html: String, page: Direction) -> String {
    let mut letters = Letters::default();
    let mut rest = html.as_str();
    while !rest.is_empty() && !letters.own {
        let (text, after) = rest.split_once('<').unwrap_or((rest, ""));
        letters.add(&super::escape::unescape_attribute(text), page);
        rest = after.split_once('>').map_or("", |(_, after)| after);
    }
    let Some(dir) = letters.declared(page) else { return html };
    let trimmed = html.trim_start();
    let Some(tag) = trimmed.strip_prefix('<').and_then(|t| t.split_once('>')).map(|(t, _)| t)
    else {
        return html;
    };
    let name_len = tag.find(|c: char| c.is_whitespace() || c == '/').unwrap_or(tag.len());
    if !tag.starts_with(|c: char| c.is_ascii_alphabetic()) || tag.contains(" dir=") {
        return html;
    }
    let at = html.len() - trimmed.len() + 1 + name_len;
    let mut declared = html;
    declared.insert_str(at, &format!(" dir=\"{}\"", dir.as_str()));
    declared
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Parser, html::push_html};

    use super::*;
    use crate::markdown::parser_options;

    #[track_caller]
    fn check_page(page: Direction, md: &str, expect: &str) {
        let mut html = String::new();
        push_html(&mut html, BlockDirection::new(Parser::new_ext(md, parser_options(false)), page));
        assert!(html.contains(expect), "expected\n{expect}\nin\n{html}");
        assert_eq!(html.matches("dir=\"auto\"").count(), 0);
    }

    #[track_caller]
    fn check(md: &str, expect: &str) {
        check_page(Direction::Rtl, md, expect);
    }

    #[test]
    fn letters() {
        use Direction::{Ltr, Rtl};
        assert_eq!(Letters::of("أعلنت شركة Apple", Rtl), Letters { own: true, other: false });
        assert_eq!(Letters::of("أعلنت شركة Apple", Ltr), Letters { own: true, other: true });
        assert_eq!(Letters::of("The company said", Rtl), Letters { own: false, other: true });
        assert_eq!(Letters::of("2026 - 3.5%", Rtl), Letters::default());
        assert_eq!(Letters::of("Apple تعلن", Rtl).declared(Rtl), None);
        assert_eq!(Letters::of("Apple", Rtl).declared(Rtl), Some(Ltr));
        assert_eq!(Letters::of("تعلن", Ltr).declared(Ltr), Some(Rtl));
        assert_eq!(Letters::of("Apple تعلن", Ltr).declared(Ltr), None);
        assert_eq!(Letters::of("١٢٣ 456", Rtl).declared(Rtl), None);
    }

    #[test]
    fn paragraphs() {
        check("أعلنت شركة Apple عن هاتف جديد.", "<p>أعلنت شركة Apple عن هاتف جديد.</p>");
        check("Apple تعلن عن هاتف جديد.", "<p>Apple تعلن");
        check("The company said the phone ships in May.", "<p dir=\"ltr\">The company said");
        check("2026 — 3.5%", "<p>2026");
        check("*The* **company** [said](/x)", "<p dir=\"ltr\"><em>The</em>");
        check("`cargo build`", "<p dir=\"ltr\"><code>cargo build</code></p>");
        // Alt text isn't shown, so it doesn't make a paragraph Arabic.
        check("![صورة](a.png) The caption", "<p dir=\"ltr\"><img");
    }

    #[test]
    fn headings() {
        check("## Breaking news\n", "<h2 dir=\"ltr\">Breaking news</h2>");
        check("## الموازنة الجديدة\n", "<h2>الموازنة الجديدة</h2>");
        check(
            "## Intro {#intro .lead}\n",
            "<h2 id=\"intro\" class=\"lead\" dir=\"ltr\">Intro</h2>",
        );
    }

    #[test]
    fn list_items() {
        check(
            "- Tim Cook\n- Satya Nadella\n- محمد صلاح\n",
            "<ul>\n<li dir=\"ltr\">Tim Cook</li>\n<li dir=\"ltr\">Satya Nadella</li>\n<li>محمد صلاح</li>",
        );
        // A loose item: the item declares, its paragraphs inherit.
        check(
            "- First point\n\n  More on it\n\n- الثاني\n",
            "<li dir=\"ltr\">\n<p>First point</p>\n<p>More on it</p>",
        );
        // A nested English list inside an Arabic item.
        check("- البنود:\n  - Alpha\n  - Beta\n", "<li>البنود:\n<ul>\n<li dir=\"ltr\">Alpha</li>");
        check("- [x] Done\n- [ ] مهمة\n", "<li dir=\"ltr\"><input disabled");
    }

    #[test]
    fn quotes() {
        check("> To be or not to be\n", "<blockquote dir=\"ltr\">\n<p>To be or not to be</p>");
        check(
            "> قال الوزير:\n>\n> We will not raise taxes\n",
            "<blockquote>\n<p>قال الوزير:</p>\n<p dir=\"ltr\">We will not raise taxes</p>",
        );
    }

    #[test]
    fn table_cells() {
        let md = "| الشركة | Ticker |\n|:---|---:|\n| أرامكو | 2222 |\n| Apple | AAPL |\n";
        check(
            md,
            "<th style=\"text-align: start\">الشركة</th><th dir=\"ltr\" style=\"text-align: end\">Ticker</th>",
        );
        check(
            md,
            "<td style=\"text-align: start\">أرامكو</td><td style=\"text-align: end\">2222</td>",
        );
        check(
            md,
            "<td dir=\"ltr\" style=\"text-align: start\">Apple</td><td dir=\"ltr\" style=\"text-align: end\">AAPL</td>",
        );
    }

    #[test]
    fn code_blocks_dont_count() {
        check("- مثال:\n\n  ```\n  let x = 1;\n  ```\n", "<li>\n<p>مثال:</p>");
        check("- ```\n  let x = 1;\n  ```\n", "<li>\n<pre><code>let x = 1;");
    }

    #[test]
    fn ltr_page_mirrors() {
        check_page(Direction::Ltr, "The company said.", "<p>The company said.</p>");
        check_page(Direction::Ltr, "Apple تعلن", "<p>Apple تعلن</p>");
        check_page(Direction::Ltr, "قال الوزير", "<p dir=\"rtl\">قال الوزير</p>");
        check_page(Direction::Ltr, "- قال\n- said\n", "<li dir=\"rtl\">قال</li>\n<li>said</li>");
        check_page(
            Direction::Ltr,
            "> قال الوزير:\n>\n> - أولاً\n> - ثانياً\n",
            "<blockquote dir=\"rtl\">\n<p>قال الوزير:</p>\n<ul>\n<li>أولاً</li>\n<li>ثانياً</li>",
        );
    }
}
