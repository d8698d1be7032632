//! Which addresses alone on their line become embeds, and of what.
//!
//! WordPress turns a bare address of a video or a post into the platform's player; midad does
//! the same, through the theme's shortcode of that platform, which writes a private placeholder
//! (a facade) rather than the platform's own code. [`recognize`] reads an address and says which
//! shortcode shows it and with which arguments; anything it does not know stays a link.

use serde_json::{Map, Value};

/// A shortcode call an address stands for: its name and arguments.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct EmbedCall {
    /// The shortcode: `youtube`, `vimeo`, `x`, `instagram`, `facebook`, `tiktok`, `soundcloud`
    /// or `map`.
    pub(super) name: &'static str,
    /// Its arguments: always `url` (the post's own address, to link to), and what the platform
    /// needs to play it (`id`, …).
    pub(super) args: Map<String, Value>,
}

/// The parts of an absolute `http(s)` address.
struct Address<'a> {
    /// Lower-cased, without `www.` or `m.`.
    host: String,
    /// Path segments, empty ones left out.
    segments: Vec<&'a str>,
    query: &'a str,
}

impl<'a> Address<'a> {
    fn parse(url: &'a str) -> Option<Address<'a>> {
        let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
        if rest.contains(char::is_whitespace) {
            return None;
        }
        let rest = rest.split('#').next().unwrap_or(rest);
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host.to_ascii_lowercase();
        let host = host.strip_prefix("www.").or(host.strip_prefix("m.")).unwrap_or(&host);
        let host = host.strip_prefix("mobile.").unwrap_or(host).to_string();
        let segments = path.split('/').filter(|s| !s.is_empty()).collect();
        Some(Address { host, segments, query })
    }

    /// The value of query parameter `name`, decoded.
    fn param(&self, name: &str) -> Option<String> {
        form_urlencoded::parse(self.query.as_bytes())
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    fn segment(&self, at: usize) -> Option<&'a str> {
        self.segments.get(at).copied()
    }
}

/// The shortcode that shows `url`, when it is a post or video of a platform midad knows.
pub(super) fn recognize(url: &str) -> Option<EmbedCall> {
    let address = Address::parse(url)?;
    let call = match address.host.as_str() {
        "youtube.com" | "youtu.be" | "youtube-nocookie.com" => youtube(&address),
        "vimeo.com" | "player.vimeo.com" => vimeo(&address),
        "x.com" | "twitter.com" => x(&address),
        "instagram.com" => instagram(&address),
        "facebook.com" | "fb.watch" => facebook(&address, url),
        "tiktok.com" => tiktok(&address),
        "soundcloud.com" => soundcloud(&address, url),
        "google.com" | "maps.google.com" | "goo.gl" | "maps.app.goo.gl" => map(&address, url),
        _ => None,
    }?;
    Some(EmbedCall { name: call.0, args: call.1 })
}

type Found = Option<(&'static str, Map<String, Value>)>;

fn args(pairs: &[(&str, Value)]) -> Map<String, Value> {
    pairs.iter().map(|(key, value)| (key.to_string(), value.clone())).collect()
}

fn text(value: impl Into<String>) -> Value {
    Value::String(value.into())
}

/// Whether `id` has only the characters platforms use in ids (no quotes, slashes or spaces).
fn is_id(id: &str, extra: &[char]) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
}

/// `youtube.com/watch?v=ID`, `youtu.be/ID`, `/shorts/ID`, `/live/ID`, `/embed/ID`; a start time
/// from `t` or `start` (`90`, `90s`, `1m30s`).
fn youtube(address: &Address<'_>) -> Found {
    let (id, vertical) = match (address.host.as_str(), address.segment(0)) {
        ("youtu.be", Some(id)) => (id.to_string(), false),
        (_, Some("watch")) => (address.param("v")?, false),
        (_, Some("shorts")) => (address.segment(1)?.to_string(), true),
        (_, Some("live" | "embed")) => (address.segment(1)?.to_string(), false),
        _ => return None,
    };
    if id.len() != 11 || !is_id(&id, &['-', '_']) {
        return None;
    }
    let url = match vertical {
        true => format!("https://www.youtube.com/shorts/{id}"),
        false => format!("https://www.youtube.com/watch?v={id}"),
    };
    let mut found = args(&[("id", text(&id)), ("url", text(url))]);
    if vertical {
        found.insert("vertical".into(), Value::Bool(true));
    }
    let start = address.param("t").or_else(|| address.param("start"));
    if let Some(seconds) = start.as_deref().and_then(seconds) {
        found.insert("start".into(), Value::from(seconds));
    }
    Some(("youtube", found))
}

/// `90`, `90s`, `1m30s`, `1h2m3s` as seconds.
fn seconds(time: &str) -> Option<u64> {
    if let Ok(seconds) = time.parse() {
        return Some(seconds);
    }
    let (mut total, mut number) = (0u64, 0u64);
    for c in time.chars() {
        match c {
            '0'..='9' => number = number.checked_mul(10)?.checked_add(u64::from(c as u8 - b'0'))?,
            'h' => (total, number) = (total.checked_add(number.checked_mul(3600)?)?, 0),
            'm' => (total, number) = (total.checked_add(number.checked_mul(60)?)?, 0),
            's' => (total, number) = (total.checked_add(number)?, 0),
            _ => return None,
        }
    }
    (number == 0 && total > 0).then_some(total)
}

/// `vimeo.com/ID`, `vimeo.com/channels/NAME/ID`, `player.vimeo.com/video/ID`.
fn vimeo(address: &Address<'_>) -> Found {
    let id = address.segments.iter().rev().find(|s| s.chars().all(|c| c.is_ascii_digit()))?;
    let known = match address.segment(0)? {
        "video" => address.host == "player.vimeo.com",
        "channels" | "groups" => true,
        first => first == *id,
    };
    if !known || id.is_empty() {
        return None;
    }
    Some(("vimeo", args(&[("id", text(*id)), ("url", text(format!("https://vimeo.com/{id}")))])))
}

/// `x.com/USER/status/ID` and `twitter.com/USER/status(es)/ID`.
fn x(address: &Address<'_>) -> Found {
    let (user, kind, id) = (address.segment(0)?, address.segment(1)?, address.segment(2)?);
    if !matches!(kind, "status" | "statuses")
        || !is_id(id, &[])
        || !id.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    if !is_id(user, &['_']) {
        return None;
    }
    let url = format!("https://x.com/{user}/status/{id}");
    Some(("x", args(&[("id", text(id)), ("user", text(user)), ("url", text(url))])))
}

/// `instagram.com/p/CODE/`, `/reel/CODE/`, `/tv/CODE/` (and with the account before them).
fn instagram(address: &Address<'_>) -> Found {
    let at = address.segments.iter().position(|s| matches!(*s, "p" | "reel" | "tv"))?;
    let (kind, id) = (address.segments[at], address.segment(at + 1)?);
    if at > 1 || !is_id(id, &['-', '_']) {
        return None;
    }
    let url = format!("https://www.instagram.com/{kind}/{id}/");
    Some(("instagram", args(&[("id", text(id)), ("url", text(url))])))
}

/// Posts (`/USER/posts/ID`, `permalink.php?story_fbid=…`, `/story.php`) and videos
/// (`/USER/videos/ID`, `/watch/?v=ID`, `/reel/ID`, `fb.watch/CODE`).
fn facebook(address: &Address<'_>, url: &str) -> Found {
    let video = match (address.host.as_str(), address.segment(0), address.segment(1)) {
        ("fb.watch", Some(_), _) => true,
        (_, Some("watch"), _) => address.param("v").is_some(),
        (_, Some("reel"), Some(_)) => true,
        (_, Some("permalink.php" | "story.php"), _) => {
            address.param("story_fbid").is_some().then_some(false)?
        }
        (_, Some(_), Some("videos")) => address.segment(2).is_some(),
        (_, Some(_), Some("posts")) => address.segment(2).is_some().then_some(false)?,
        _ => return None,
    };
    let url = url.split('#').next().unwrap_or(url);
    Some(("facebook", args(&[("url", text(url)), ("video", Value::Bool(video))])))
}

/// `tiktok.com/@USER/video/ID`.
fn tiktok(address: &Address<'_>) -> Found {
    let (user, kind, id) = (address.segment(0)?, address.segment(1)?, address.segment(2)?);
    let user = user.strip_prefix('@')?;
    if kind != "video" || !id.bytes().all(|b| b.is_ascii_digit()) || !is_id(user, &['_', '.']) {
        return None;
    }
    let url = format!("https://www.tiktok.com/@{user}/video/{id}");
    Some(("tiktok", args(&[("id", text(id)), ("user", text(user)), ("url", text(url))])))
}

/// `soundcloud.com/ARTIST/TRACK` (and `/ARTIST/sets/NAME`).
fn soundcloud(address: &Address<'_>, url: &str) -> Found {
    let (artist, track) = (address.segment(0)?, address.segment(1)?);
    if !is_id(artist, &['-', '_']) || !is_id(track, &['-', '_']) {
        return None;
    }
    let url = url.split(['?', '#']).next().unwrap_or(url);
    Some(("soundcloud", args(&[("url", text(url))])))
}

/// Google Maps: `/maps/place/NAME/…`, `/maps/search/QUERY`, `/maps/@LAT,LNG,ZOOMz`,
/// `/maps?q=…`, `/maps/embed?pb=…`; short links (`maps.app.goo.gl/…`) only link, they can't be
/// opened without a request.
fn map(address: &Address<'_>, url: &str) -> Found {
    let mut found = args(&[("url", text(url))]);
    let short = address.host == "maps.app.goo.gl"
        || (address.host == "goo.gl" && address.segment(0) == Some("maps"));
    if short {
        return address.segments.last().is_some().then_some(("map", found));
    }
    let first = match address.host.as_str() {
        "maps.google.com" => Some("maps"),
        _ => address.segment(0),
    };
    let rest = match address.host.as_str() {
        "maps.google.com" => &address.segments[..],
        _ => address.segments.get(1..).unwrap_or(&[]),
    };
    if first != Some("maps") {
        return None;
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " ")).decode_utf8_lossy().into_owned()
    };
    match rest.first().copied() {
        Some("place" | "search") => {
            found.insert("query".into(), text(decode(rest.get(1)?)));
        }
        Some("embed") => {
            found.insert(
                "embed".into(),
                text(format!("https://www.google.com/maps/embed?pb={}", address.param("pb")?)),
            );
        }
        Some(at) if at.starts_with('@') => {
            let mut parts = at[1..].split(',');
            let lat: f64 = parts.next()?.parse().ok()?;
            let lng: f64 = parts.next()?.parse().ok()?;
            found.insert("lat".into(), Value::from(lat));
            found.insert("lng".into(), Value::from(lng));
            let zoom = parts.next().and_then(|z| z.strip_suffix('z')?.parse::<f64>().ok());
            if let Some(zoom) = zoom {
                found.insert("zoom".into(), Value::from(zoom.round() as i64));
            }
        }
        None | Some("") => {
            found.insert("query".into(), text(address.param("q")?));
        }
        _ => return None,
    }
    Some(("map", found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn embeds(url: &str, name: &str, expect: &[(&str, Value)]) {
        let call = recognize(url).unwrap_or_else(|| panic!("{url} is not recognized"));
        assert_eq!(call.name, name, "{url}");
        for (key, value) in expect {
            assert_eq!(call.args.get(*key), Some(value), "{key} of {url}: {:?}", call.args);
        }
    }

    #[track_caller]
    fn stays_a_link(url: &str) {
        assert_eq!(recognize(url), None, "{url}");
    }

    #[test]
    fn youtube_addresses() {
        let watch = text("https://www.youtube.com/watch?v=dQw4w9WgXcQ");
        let id = text("dQw4w9WgXcQ");
        for url in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
            "http://youtu.be/dQw4w9WgXcQ",
            "https://www.youtube.com/live/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ",
        ] {
            embeds(url, "youtube", &[("id", id.clone()), ("url", watch.clone())]);
        }
        embeds(
            "https://youtu.be/dQw4w9WgXcQ?t=1m30s",
            "youtube",
            &[("id", id.clone()), ("start", Value::from(90))],
        );
        embeds(
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42",
            "youtube",
            &[("start", 42.into())],
        );
        embeds(
            "https://www.youtube.com/shorts/aBcDeFgHiJk",
            "youtube",
            &[("id", text("aBcDeFgHiJk")), ("vertical", Value::Bool(true))],
        );
        assert!(!recognize("https://youtu.be/dQw4w9WgXcQ").unwrap().args.contains_key("start"));
        stays_a_link("https://www.youtube.com/watch?v=short");
        stays_a_link("https://www.youtube.com/watch?v=dQw4w9WgX\"Q");
        stays_a_link("https://www.youtube.com/@channel");
        stays_a_link("https://www.youtube.com/");
    }

    #[test]
    fn vimeo_x_instagram_tiktok_soundcloud() {
        embeds("https://vimeo.com/76979871", "vimeo", &[("id", text("76979871"))]);
        embeds("https://player.vimeo.com/video/76979871?h=1", "vimeo", &[("id", text("76979871"))]);
        embeds(
            "https://vimeo.com/channels/staffpicks/76979871",
            "vimeo",
            &[("id", text("76979871"))],
        );
        stays_a_link("https://vimeo.com/about");

        let post = text("https://x.com/AJArabic/status/1790000000000000000");
        for url in [
            "https://x.com/AJArabic/status/1790000000000000000",
            "https://twitter.com/AJArabic/status/1790000000000000000?s=20",
            "https://mobile.twitter.com/AJArabic/statuses/1790000000000000000",
        ] {
            embeds(url, "x", &[("id", text("1790000000000000000")), ("url", post.clone())]);
        }
        stays_a_link("https://x.com/AJArabic");
        stays_a_link("https://x.com/AJArabic/status/12ab");

        embeds(
            "https://www.instagram.com/p/C5xYz-Ab_12/",
            "instagram",
            &[("id", text("C5xYz-Ab_12"))],
        );
        embeds(
            "https://instagram.com/reel/C5xYzAb12?igsh=abc",
            "instagram",
            &[("url", text("https://www.instagram.com/reel/C5xYzAb12/"))],
        );
        stays_a_link("https://www.instagram.com/aljazeera/");

        embeds(
            "https://www.tiktok.com/@aljazeera.arabic/video/7300000000000000000?lang=ar",
            "tiktok",
            &[("id", text("7300000000000000000")), ("user", text("aljazeera.arabic"))],
        );
        stays_a_link("https://www.tiktok.com/@aljazeera");

        embeds(
            "https://soundcloud.com/podcast-ar/episode-12?si=x",
            "soundcloud",
            &[("url", text("https://soundcloud.com/podcast-ar/episode-12"))],
        );
        stays_a_link("https://soundcloud.com/podcast-ar");
    }

    #[test]
    fn facebook_posts_and_videos() {
        embeds(
            "https://www.facebook.com/aljazeera/posts/pfbid02abc",
            "facebook",
            &[("video", false.into())],
        );
        embeds(
            "https://www.facebook.com/aljazeera/videos/123456/",
            "facebook",
            &[("video", true.into())],
        );
        embeds("https://www.facebook.com/watch/?v=123456", "facebook", &[("video", true.into())]);
        embeds("https://fb.watch/abcDEF/", "facebook", &[("video", true.into())]);
        embeds(
            "https://www.facebook.com/permalink.php?story_fbid=1&id=2",
            "facebook",
            &[("url", text("https://www.facebook.com/permalink.php?story_fbid=1&id=2"))],
        );
        stays_a_link("https://www.facebook.com/aljazeera");
    }

    #[test]
    fn google_maps() {
        embeds(
            "https://www.google.com/maps/place/%D9%85%D9%8A%D8%AF%D8%A7%D9%86+%D8%A7%D9%84%D8%AA%D8%AD%D8%B1%D9%8A%D8%B1/@30.04,31.23,17z",
            "map",
            &[("query", text("ميدان التحرير"))],
        );
        embeds(
            "https://www.google.com/maps/@30.0444,31.2357,15z",
            "map",
            &[("lat", 30.0444.into()), ("lng", 31.2357.into()), ("zoom", 15.into())],
        );
        embeds("https://maps.google.com/?q=Cairo+Tower", "map", &[("query", text("Cairo Tower"))]);
        embeds(
            "https://www.google.com/maps/embed?pb=!1m18!1m12",
            "map",
            &[("embed", text("https://www.google.com/maps/embed?pb=!1m18!1m12"))],
        );
        let short = recognize("https://maps.app.goo.gl/AbCdEf").unwrap();
        assert_eq!((short.name, short.args.len()), ("map", 1), "a short link only links");
        stays_a_link("https://www.google.com/search?q=maps");
    }

    #[test]
    fn other_addresses_and_text_stay_links() {
        for url in [
            "https://example.com/watch?v=dQw4w9WgXcQ",
            "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
            "youtube.com/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ is great",
            "شاهد https://youtu.be/dQw4w9WgXcQ",
        ] {
            stays_a_link(url);
        }
    }
}
