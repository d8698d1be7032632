//! Reading a WordPress export (WXR 1.0–1.2: RSS 2.0 with WordPress's namespaces) into plain
//! values: the site, its authors, categories and every item (posts, pages, attachments, …).

use std::collections::BTreeMap;
use std::path::Path;

use roxmltree::{Document, Node};

use crate::error::{Diagnostic, Kind, Location};

const WP: &str = "http://wordpress.org/export/";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";
const EXCERPT_SUFFIX: &str = "/excerpt/";
const DC: &str = "http://purl.org/dc/elements/1.1/";

/// What an export holds.
#[derive(Debug, Default)]
pub(super) struct Export {
    /// The site's name and tagline.
    pub title: String,
    pub description: String,
    /// The address of the blog (`https://akhbar.example`), without a trailing slash.
    pub base_url: String,
    /// `ar`, `en-US`, …
    pub language: String,
    pub authors: Vec<Author>,
    /// Categories by nicename (as exported: percent-encoded for Arabic).
    pub categories: BTreeMap<String, Category>,
    /// Category nicenames by term id (Yoast's primary category names one by id).
    pub category_ids: BTreeMap<u64, String>,
    pub items: Vec<Item>,
}

/// A user of the old site.
#[derive(Debug, Default)]
pub(super) struct Author {
    pub login: String,
    pub display_name: String,
}

/// What the export says of a category besides the name posts give it.
#[derive(Debug, Default)]
pub(super) struct Category {
    pub description: String,
}

/// One `<item>`: a post, page, attachment, menu item, …
#[derive(Debug, Default)]
pub(super) struct Item {
    pub id: u64,
    pub title: String,
    /// The pretty permalink as the old site showed it.
    pub link: String,
    pub post_type: String,
    pub status: String,
    /// `post_name`, still percent-encoded; empty for most drafts.
    pub name: String,
    /// `2024-03-15 14:05:00`, the site's local time.
    pub date: String,
    /// `2024-03-15 12:05:00`, or `0000-00-00 00:00:00` for drafts.
    pub date_gmt: String,
    pub modified_gmt: String,
    /// The author's login.
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    /// `(domain, nicename, name)` of every `<category>`, in export order.
    pub terms: Vec<(String, String, String)>,
    /// Every `wp:postmeta` as `(key, value)`, in export order (a key may repeat).
    pub meta: Vec<(String, String)>,
    /// A password-protected post's password (never published).
    pub password: String,
    /// Pinned to the front page.
    pub sticky: bool,
    /// For attachments: the file's address.
    pub attachment_url: String,
    pub comments: usize,
}

impl Item {
    /// The first value of meta `key`.
    pub(super) fn meta(&self, key: &str) -> Option<&str> {
        self.meta.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The terms of one domain (`category`, `post_tag`): `(nicename, name)`.
    pub(super) fn terms_of<'a>(
        &'a self,
        domain: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.terms.iter().filter(move |(d, ..)| d == domain).map(|(_, n, name)| (&**n, &**name))
    }
}

/// Parses the export at `path` (its text is `text`).
pub(super) fn parse(path: &Path, text: &str) -> Result<Export, Diagnostic> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = Document::parse_with_options(text, options).map_err(|err| {
        let pos = err.pos();
        let at = Location::at(path, pos.row as usize, pos.col as usize);
        Diagnostic::new(Kind::Command, at, format!("the export is not valid XML: {err}"))
            .with_hint("export again from the WordPress dashboard: Tools → Export → All content")
    })?;
    let channel = doc
        .root_element()
        .children()
        .find(|n| n.has_tag_name("channel"))
        .filter(|_| doc.root_element().has_tag_name("rss"))
        .ok_or_else(|| {
            Diagnostic::new(
                Kind::Command,
                Location::file(path),
                "this is not a WordPress export: it has no <rss><channel>",
            )
            .with_hint("export from the WordPress dashboard: Tools → Export → All content")
        })?;
    let mut export = Export::default();
    for node in channel.children().filter(Node::is_element) {
        read_channel_child(node, &mut export);
    }
    if export.base_url.is_empty() {
        export.base_url = text_of(channel, "link").trim_end_matches('/').to_string();
    }
    Ok(export)
}

fn read_channel_child(node: Node<'_, '_>, export: &mut Export) {
    let name = node.tag_name().name();
    match (is_wp(node), name) {
        (false, "title") => export.title = node_text(node),
        (false, "description") => export.description = node_text(node),
        (false, "language") => export.language = node_text(node),
        (true, "base_blog_url") => export.base_url = node_text(node).trim_end_matches('/').into(),
        (true, "author") => export.authors.push(Author {
            login: wp_text(node, "author_login"),
            display_name: wp_text(node, "author_display_name"),
        }),
        (true, "category") => {
            let category = Category { description: wp_text(node, "category_description") };
            let nicename = wp_text(node, "category_nicename");
            if let Ok(id) = wp_text(node, "term_id").trim().parse() {
                export.category_ids.insert(id, nicename.clone());
            }
            export.categories.insert(nicename, category);
        }
        (false, "item") => export.items.push(read_item(node)),
        _ => {}
    }
}

fn read_item(node: Node<'_, '_>) -> Item {
    let mut item = Item::default();
    for child in node.children().filter(Node::is_element) {
        let ns = child.tag_name().namespace().unwrap_or("");
        match (ns, child.tag_name().name()) {
            ("", "title") => item.title = node_text(child),
            ("", "link") => item.link = node_text(child),
            ("", "category") => item.terms.push((
                child.attribute("domain").unwrap_or("").to_string(),
                child.attribute("nicename").unwrap_or("").to_string(),
                node_text(child),
            )),
            (DC, "creator") => item.creator = node_text(child),
            (CONTENT, "encoded") => item.content = node_text(child),
            (ns, "encoded") if ns.ends_with(EXCERPT_SUFFIX) => item.excerpt = node_text(child),
            (ns, name) if ns.starts_with(WP) => read_wp_field(child, name, &mut item),
            _ => {}
        }
    }
    item
}

fn read_wp_field(node: Node<'_, '_>, name: &str, item: &mut Item) {
    let text = || node_text(node);
    match name {
        "post_id" => item.id = text().trim().parse().unwrap_or(0),
        "post_type" => item.post_type = text(),
        "status" => item.status = text(),
        "post_name" => item.name = text(),
        "post_date" => item.date = text(),
        "post_date_gmt" => item.date_gmt = text(),
        "post_modified_gmt" => item.modified_gmt = text(),
        "attachment_url" => item.attachment_url = text(),
        "post_password" => item.password = text(),
        "is_sticky" => item.sticky = text().trim() == "1",
        "comment" => item.comments += 1,
        "postmeta" => {
            item.meta.push((wp_text(node, "meta_key"), wp_text(node, "meta_value")));
        }
        _ => {}
    }
}

fn is_wp(node: Node<'_, '_>) -> bool {
    node.tag_name().namespace().is_some_and(|ns| ns.starts_with(WP))
}

/// The text of an element (CDATA included), trimmed of the newlines exporters put around it.
fn node_text(node: Node<'_, '_>) -> String {
    let mut text = String::new();
    for child in node.children().filter(|c| c.is_text()) {
        text.push_str(child.text().unwrap_or(""));
    }
    text.trim().to_string()
}

/// The text of the first child element named `name`, in any namespace.
fn text_of(node: Node<'_, '_>, name: &str) -> String {
    node.children()
        .find(|c| c.is_element() && c.has_tag_name(name))
        .map(node_text)
        .unwrap_or_default()
}

/// The text of the first child element `wp:name`.
fn wp_text(node: Node<'_, '_>, name: &str) -> String {
    node.children()
        .find(|c| is_wp(*c) && c.tag_name().name() == name)
        .map(node_text)
        .unwrap_or_default()
}
