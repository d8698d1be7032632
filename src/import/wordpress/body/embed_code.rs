//! Embed codes pasted from the platforms, back to the address they show, and no script left.
//!
//! Before oEmbed (and after it, out of habit) editors pasted each platform's embed code: a
//! `<blockquote class="twitter-tweet">` and its script, an `<iframe>` of YouTube's player. midad
//! shows a post or a video from its address alone in a paragraph, privately (a facade, no
//! script until asked), so a block that is only a pasted code (`of_block`) becomes that
//! address. A tweet's quote stays too, after it: it is the words said, which the facade doesn't
//! show before the reader asks, nor feeds at all.
//!
//! No script survives the import (`drop_scripts`): a page must not load a platform's code
//! before the reader asks, nor run code an old plugin pasted. Nor does any frame: another
//! site's, or a player with text around it, becomes a link to what it showed (`link_frames`),
//! and another site's is named in the notes.

use std::rc::Rc;

use markup5ever_rcdom::Node;

use super::dom::{self, Html};

/// A pasted embed code a block is made of.
pub(super) enum EmbedCode {
    /// A platform's post or video (midad embeds its address), and for a tweet the quote to
    /// keep after it.
    Platform { url: String, quote: Option<Rc<Node>> },
    /// A frame of another site, or one without an address: its `src`, as written.
    Foreign { src: String },
}

/// The embed code `node` is made of: the code itself, or one inside elements that hold only
/// it (`<p>`, `<div>`, `<figure>`, `<center>`, `<span>`; white space aside).
pub(super) fn of_block(node: &Rc<Node>) -> Option<EmbedCode> {
    let node = innermost(node);
    match dom::name(&node)? {
        "blockquote" => {
            let url = quoted_post(&node)?;
            let quote = has_class(&node, "twitter-tweet").then(|| node.clone());
            Some(EmbedCode::Platform { url, quote })
        }
        "iframe" => {
            let src = dom::attr(&node, "src").unwrap_or_default();
            Some(match frame_address(&src) {
                Some(url) => EmbedCode::Platform { url, quote: None },
                None => EmbedCode::Foreign { src },
            })
        }
        _ => None,
    }
}

/// `node`, or the one element under it its wrappers hold.
fn innermost(node: &Rc<Node>) -> Rc<Node> {
    const WRAPPERS: &[&str] = &["p", "div", "figure", "center", "span"];
    let mut node = node.clone();
    while dom::name(&node).is_some_and(|name| WRAPPERS.contains(&name)) {
        let mut content = dom::children(&node)
            .into_iter()
            .filter(|child| !dom::text_of(child).is_some_and(|text| text.trim().is_empty()));
        match (content.next(), content.next()) {
            (Some(only), None) if dom::name(&only).is_some() => node = only,
            _ => break,
        }
    }
    node
}

/// Whether the element's `class` has `name` among its words.
fn has_class(node: &Node, name: &str) -> bool {
    dom::attr(node, "class").is_some_and(|classes| classes.split_whitespace().any(|c| c == name))
}

/// The post an X, Instagram or TikTok embed quotes, or None for any other blockquote.
fn quoted_post(node: &Node) -> Option<String> {
    if has_class(node, "twitter-tweet") {
        last_status_link(node)
    } else if has_class(node, "instagram-media") {
        let permalink = dom::attr(node, "data-instgrm-permalink")?;
        Some(without_query(&permalink))
    } else if has_class(node, "tiktok-embed") {
        dom::attr(node, "cite")
    } else {
        None
    }
}

/// The last link to a post's status in a pasted tweet (`…/status/123?ref_src=twsrc%5Etfw`):
/// its address.
fn last_status_link(node: &Node) -> Option<String> {
    let mut found = None;
    for child in dom::children(node) {
        if dom::is(&child, "a")
            && let Some(href) = dom::attr(&child, "href").filter(|href| href.contains("/status/"))
        {
            found = Some(href);
        }
        if let Some(deeper) = last_status_link(&child) {
            found = Some(deeper);
        }
    }
    found.map(|href| without_query(&href))
}

fn without_query(url: &str) -> String {
    url.split('?').next().unwrap_or(url).to_string()
}

/// The page of a platform's player address (`youtube.com/embed/ID?start=30` →
/// `watch?v=ID&t=30`), or None for a frame of anything else.
fn frame_address(src: &str) -> Option<String> {
    let src = if src.starts_with("//") { format!("https:{src}") } else { src.to_string() };
    let rest = src.strip_prefix("https://").or_else(|| src.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.to_ascii_lowercase();
    let host = host.trim_start_matches("www.");
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let param = |name: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    let id = |prefix: &str| {
        path.strip_prefix(prefix)
            .map(|rest| rest.split(['/', '#']).next().unwrap_or(""))
            .filter(|id| !id.is_empty())
    };
    match host {
        "youtube.com" | "youtube-nocookie.com" => {
            let id = id("embed/")?;
            let start =
                param("start").filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
            Some(match start {
                Some(seconds) => format!("https://www.youtube.com/watch?v={id}&t={seconds}"),
                None => format!("https://www.youtube.com/watch?v={id}"),
            })
        }
        "player.vimeo.com" => Some(format!("https://vimeo.com/{}", id("video/")?)),
        "facebook.com" if path.starts_with("plugins/") => param("href"),
        _ => None,
    }
}

/// Removes every `<script>` under `node`; how many were not a platform's loader for its
/// pasted embed codes (those go without a word).
pub(super) fn drop_scripts(node: &Node) -> usize {
    const LOADERS: &[&str] =
        &["platform.twitter.com/widgets.js", "instagram.com/embed.js", "tiktok.com/embed.js"];
    let mut foreign = 0;
    node.children.borrow_mut().retain(|child| {
        if !dom::is(child, "script") {
            return true;
        }
        let loader =
            dom::attr(child, "src").is_some_and(|src| LOADERS.iter().any(|l| src.contains(l)));
        foreign += usize::from(!loader);
        false
    });
    for child in dom::children(node) {
        foreign += drop_scripts(&child);
    }
    foreign
}

/// Replaces every `<iframe>` under `node` with a link to what it shows: a platform's page, or
/// another site's frame (noted). A frame with no web address to link to goes (noted).
pub(super) fn link_frames(node: &Rc<Node>, html: &Html, notes: &mut Vec<String>) {
    for child in dom::children(node) {
        if !dom::is(&child, "iframe") {
            link_frames(&child, html, notes);
            continue;
        }
        let src = dom::attr(&child, "src").unwrap_or_default();
        let url = frame_address(&src).or_else(|| {
            notes.push(foreign_frame_note(&src));
            web_address(&src)
        });
        let link = url.and_then(|url| html.element(&link_html(&url)));
        dom::replace_child(node, &child, link);
    }
}

/// The note on another site's frame, which becomes a link, or goes when it has no web address.
pub(super) fn foreign_frame_note(src: &str) -> String {
    match web_address(src) {
        Some(url) => format!("an <iframe> of {url} became a link"),
        None if src.trim().is_empty() => "an <iframe> without an address removed".to_string(),
        None => format!("an <iframe> of {} removed", src.trim()),
    }
}

/// `src` as an `http(s)` address to link to (`//host/…` as `https:`), or None for any other
/// (`javascript:`, a relative path, nothing).
pub(super) fn web_address(src: &str) -> Option<String> {
    let src = src.trim();
    let src = if src.starts_with("//") { format!("https:{src}") } else { src.to_string() };
    let lower = src.to_ascii_lowercase();
    let rest = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"))?;
    (!rest.is_empty() && !src.contains(char::is_whitespace)).then_some(src)
}

/// `<a href="URL">URL</a>`, written so it parses back to that.
pub(super) fn link_html(url: &str) -> String {
    let mut out = String::from("<a href=\"");
    dom::push_attr_value(&mut out, url);
    out.push_str("\">");
    dom::push_text(&mut out, url, false);
    out.push_str("</a>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_frame(src: &str, expect: Option<&str>) {
        assert_eq!(frame_address(src).as_deref(), expect, "{src}");
    }

    #[test]
    fn players_of_known_platforms_become_their_page() {
        check_frame(
            "//www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
            Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        );
        check_frame(
            "https://www.YouTube.com/embed/dQw4w9WgXcQ?start=30&rel=0",
            Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30"),
        );
        check_frame(
            "https://www.youtube.com/embed/dQw4w9WgXcQ?start=x",
            Some("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        );
        check_frame(
            "https://player.vimeo.com/video/76979871?h=abc",
            Some("https://vimeo.com/76979871"),
        );
        check_frame(
            "https://www.facebook.com/plugins/video.php?height=314&href=https%3A%2F%2Fwww.facebook.com%2Fmof%2Fvideos%2F1015%2F&show_text=false",
            Some("https://www.facebook.com/mof/videos/1015/"),
        );
        check_frame("https://www.youtube.com/embed/", None);
        check_frame("https://www.facebook.com/plugins/video.php?width=500", None);
        check_frame("https://maps.example/embed", None);
        check_frame("javascript:alert(1)", None);
    }

    #[test]
    fn other_frames_are_linked_when_they_have_a_web_address() {
        assert_eq!(
            foreign_frame_note("//ads.example/frame.html"),
            "an <iframe> of https://ads.example/frame.html became a link"
        );
        assert_eq!(
            foreign_frame_note("javascript:alert(1)"),
            "an <iframe> of javascript:alert(1) removed"
        );
        assert_eq!(foreign_frame_note(" "), "an <iframe> without an address removed");
        assert_eq!(web_address("HTTPS://a.example/x").as_deref(), Some("HTTPS://a.example/x"));
        assert_eq!(web_address("/local/frame.html"), None);
        assert_eq!(web_address("https://"), None);
    }
}
