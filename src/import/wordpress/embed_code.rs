//! Embed code pasted into WordPress posts, turned into what midad makes private: a platform's
//! `<iframe>` (YouTube, Vimeo, …) and the `<blockquote>` + `<script>` of an X, Instagram or
//! TikTok post become the post's address alone on its line, which the body conversion keeps and
//! midad shows as a facade. No script survives the import: a page must not load a platform's
//! code before the reader asks, nor run code an old plugin pasted.

/// The content with embed code replaced, and notes on the frames and scripts that were not a
/// platform's.
pub(super) fn replace(content: &str) -> (String, Vec<String>) {
    let mut notes = Vec::new();
    let mut text = content.to_string();
    text = replace_elements(&text, "blockquote", &mut |element| {
        quoted_post(element).map(|url| own_line(&url))
    });
    text = replace_elements(&text, "iframe", &mut |element| {
        let src = attribute(element, "src").unwrap_or_default();
        match frame_address(&src) {
            Some(url) => Some(own_line(&url)),
            None => {
                notes.push(format!("an <iframe> of {src} became a link"));
                Some(own_line(&src))
            }
        }
    });
    // The platforms' own loaders go silently; anything else is named in the report.
    let platform = ["platform.twitter.com", "instagram.com/embed.js", "tiktok.com/embed.js"];
    let mut foreign = 0;
    text = replace_elements(&text, "script", &mut |element| {
        foreign += usize::from(!platform.iter().any(|p| element.contains(p)));
        Some(String::new())
    });
    if foreign > 0 {
        notes.push(format!("{foreign} <script> removed"));
    }
    (text, notes)
}

/// A line of its own, as WordPress turns an address alone on a line into an embed.
fn own_line(url: &str) -> String {
    format!("\n\n{url}\n\n")
}

/// The post an X, Instagram or TikTok embed quotes, or None for any other blockquote.
fn quoted_post(element: &str) -> Option<String> {
    let open = &element[..element.find('>')?];
    let class = attribute(open, "class").unwrap_or_default();
    if class.contains("twitter-tweet") {
        // The last link of the quote is the post (`…/status/123?ref_src=twsrc%5Etfw`).
        let at = element.rfind("/status/")?;
        let start = element[..at].rfind("href=\"")? + "href=\"".len();
        let end = start + element[start..].find('"')?;
        let url = element[start..end].replace("&amp;", "&");
        return Some(url.split('?').next().unwrap_or(&url).to_string());
    }
    if class.contains("instagram-media") {
        let url = attribute(open, "data-instgrm-permalink")?;
        return Some(url.split('?').next().unwrap_or(&url).to_string());
    }
    if class.contains("tiktok-embed") {
        return attribute(open, "cite");
    }
    None
}

/// The page of a platform's player address (`youtube.com/embed/ID` → `watch?v=ID`), or None
/// for a frame of anything else.
fn frame_address(src: &str) -> Option<String> {
    let src = src.replace("&amp;", "&");
    let src = if src.starts_with("//") { format!("https:{src}") } else { src };
    let rest = src.split_once("://")?.1;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = host.trim_start_matches("www.");
    let id = |prefix: &str| {
        path.strip_prefix(prefix).map(|rest| rest.split(['?', '/', '#']).next().unwrap_or(""))
    };
    match host {
        "youtube.com" | "youtube-nocookie.com" => {
            let id = id("embed/").filter(|id| !id.is_empty())?;
            Some(format!("https://www.youtube.com/watch?v={id}"))
        }
        "player.vimeo.com" => {
            let id = id("video/").filter(|id| !id.is_empty())?;
            Some(format!("https://vimeo.com/{id}"))
        }
        "facebook.com" if path.starts_with("plugins/") => {
            let query = path.split_once('?')?.1;
            form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == "href")
                .map(|(_, value)| value.into_owned())
        }
        _ => None,
    }
}

/// `content` with every `<name …>…</name>` (or `<name …/>`) element, matched case-insensitively
/// and not nested in another of its name, replaced by what `f` returns for its text (None keeps
/// it).
fn replace_elements(
    content: &str,
    name: &str,
    f: &mut dyn FnMut(&str) -> Option<String>,
) -> String {
    let lower = content.to_ascii_lowercase();
    let (open, close) = (format!("<{name}"), format!("</{name}>"));
    let mut out = String::with_capacity(content.len());
    let mut at = 0;
    while let Some(found) = lower[at..].find(&open).map(|i| at + i) {
        let after = lower.as_bytes().get(found + open.len()).copied();
        if !matches!(after, Some(b' ' | b'>' | b'/' | b'\n' | b'\t' | b'\r')) {
            out.push_str(&content[at..found + open.len()]);
            at = found + open.len();
            continue;
        }
        let end = match lower[found..].find(&close) {
            Some(i) => found + i + close.len(),
            None => lower[found..].find('>').map_or(content.len(), |i| found + i + 1),
        };
        out.push_str(&content[at..found]);
        match f(&content[found..end]) {
            Some(replacement) => out.push_str(&replacement),
            None => out.push_str(&content[found..end]),
        }
        at = end;
    }
    out.push_str(&content[at..]);
    out
}

/// The value of attribute `name` in the start tag at the beginning of `element` (quoted with
/// `"` or `'`), with `&amp;` decoded.
fn attribute(element: &str, name: &str) -> Option<String> {
    let tag = &element[..element.find('>').unwrap_or(element.len())];
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name).map(|i| from + i) {
        from = i + name.len();
        let before = lower.as_bytes().get(i.wrapping_sub(1)).copied();
        if !matches!(before, Some(b' ' | b'\n' | b'\t')) {
            continue;
        }
        let rest = tag[from..].trim_start().strip_prefix('=')?.trim_start();
        let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let value = &rest[1..];
        let value = &value[..value.find(quote)?];
        return Some(value.replace("&amp;", "&"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_embed_code_becomes_addresses_and_no_script_survives() {
        let x = r#"<p>قال الوزير:</p>
<blockquote class="twitter-tweet" data-lang="ar"><p lang="ar" dir="rtl">نص التغريدة</p>&mdash; وزارة المالية (@mof) <a href="https://twitter.com/mof/status/1234567890?ref_src=twsrc%5Etfw">March 3, 2024</a></blockquote> <script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>
<iframe width="560" height="315" src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30" frameborder="0" allowfullscreen></iframe>
<IFRAME src="https://player.vimeo.com/video/76979871?h=abc"></IFRAME>
<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/C4abc/?utm_source=ig_embed" data-instgrm-version="14"><div>…</div></blockquote><script async src="//www.instagram.com/embed.js"></script>
<iframe src="https://ads.example/frame.html"></iframe>
<script>alert(1)</script>
<blockquote><p>اقتباس عادي</p></blockquote>"#;
        let (text, notes) = replace(x);
        for url in [
            "\n\nhttps://twitter.com/mof/status/1234567890\n\n",
            "\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n",
            "\n\nhttps://vimeo.com/76979871\n\n",
            "\n\nhttps://www.instagram.com/p/C4abc/\n\n",
            "\n\nhttps://ads.example/frame.html\n\n",
        ] {
            assert!(text.contains(url), "no {url:?} in {text}");
        }
        let lower = text.to_ascii_lowercase();
        assert!(!lower.contains("<script") && !lower.contains("<iframe"), "{text}");
        assert!(text.contains("<blockquote><p>اقتباس عادي</p></blockquote>"), "{text}");
        assert!(text.contains("<p>قال الوزير:</p>"), "{text}");
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes.iter().any(|n| n.contains("ads.example")), "{notes:?}");
        assert!(notes.iter().any(|n| n.contains("1 <script> removed")), "{notes:?}");
    }
}
