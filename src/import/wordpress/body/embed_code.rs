//! Embed codes pasted from the platforms, back to the address they show.
//!
//! Before oEmbed (and after it, out of habit) editors pasted each platform's embed code: a
//! `<blockquote class="twitter-tweet">` and its script, an `<iframe>` of YouTube's player. midad
//! shows a post or a video from its address alone in a paragraph, privately (a facade, no
//! script until asked), so a pasted code becomes that address, and the platform's script,
//! which only served the code, goes. A tweet's quote stays too, after it: it is the words said,
//! which the facade doesn't show before the reader asks, nor feeds at all.

use std::rc::Rc;

use markup5ever_rcdom::Node;

use super::dom;

/// The address of the post or video a pasted embed code shows, for the codes midad knows.
pub(super) fn address(node: &Rc<Node>) -> Option<String> {
    let node = only_child_of_paragraph(node).unwrap_or_else(|| node.clone());
    match dom::name(&node)? {
        "blockquote" => {
            let classes = dom::attr(&node, "class").unwrap_or_default();
            let class = |name: &str| classes.split_whitespace().any(|c| c == name);
            if class("twitter-tweet") {
                last_status_link(&node)
            } else if class("instagram-media") {
                let permalink = dom::attr(&node, "data-instgrm-permalink")?;
                Some(permalink.split('?').next().unwrap_or(&permalink).to_string())
            } else if class("tiktok-embed") {
                dom::attr(&node, "cite")
            } else {
                None
            }
        }
        "iframe" => player(&dom::attr(&node, "src")?),
        _ => None,
    }
}

/// Whether the pasted code's own text is worth keeping after its address: a tweet's.
pub(super) fn keeps_text(node: &Node) -> bool {
    dom::is(node, "blockquote")
        && dom::attr(node, "class")
            .is_some_and(|classes| classes.split_whitespace().any(|c| c == "twitter-tweet"))
}

/// Whether a block is only a platform's script for its pasted embed codes.
pub(super) fn is_platform_script(node: &Rc<Node>) -> bool {
    const SCRIPTS: &[&str] =
        &["platform.twitter.com/widgets.js", "instagram.com/embed.js", "tiktok.com/embed.js"];
    let node = only_child_of_paragraph(node).unwrap_or_else(|| node.clone());
    dom::is(&node, "script")
        && dom::attr(&node, "src").is_some_and(|src| SCRIPTS.iter().any(|s| src.contains(s)))
}

/// The one element a `<p>` holds (white space aside).
fn only_child_of_paragraph(node: &Node) -> Option<Rc<Node>> {
    if !dom::is(node, "p") {
        return None;
    }
    let mut elements = dom::children(node)
        .into_iter()
        .filter(|child| !dom::text_of(child).is_some_and(|text| text.trim().is_empty()));
    let only = elements.next()?;
    elements.next().is_none().then_some(only)
}

/// The last link to a post's status in a pasted tweet: its address.
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
    found.map(|href| href.split('?').next().unwrap_or(&href).to_string())
}

/// The address of the video a player `<iframe>` shows: YouTube's and Vimeo's.
fn player(src: &str) -> Option<String> {
    let src = match src.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => src.to_string(),
    };
    let rest = src.strip_prefix("https://").or_else(|| src.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or("").trim_start_matches("www.");
    let known = ["youtube.com", "youtube-nocookie.com", "player.vimeo.com"];
    known.contains(&host).then_some(src)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn players_of_known_platforms() {
        assert_eq!(
            player("//www.youtube-nocookie.com/embed/dQw4w9WgXcQ").as_deref(),
            Some("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
        );
        assert!(player("https://player.vimeo.com/video/76979871").is_some());
        assert_eq!(player("https://www.facebook.com/plugins/video.php?href=x"), None);
        assert_eq!(player("javascript:alert(1)"), None);
    }
}
