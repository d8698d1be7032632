//! Writing the imported site: config.toml (unless the site has one), a section per primary
//! category, an article per post, data/authors.toml, the uploads used, and the map of
//! `/?p=ID` links for a server rule.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use super::media::Media;
use super::report::{ImportOptions, Report};
use super::wxr::{Export, Item};
use crate::arabic::slug::{SlugStyle, slugify_capped};
use crate::error::Diagnostic;

/// One article to write.
struct Planned {
    /// The section folder and the slug.
    section: String,
    slug: String,
    front_matter: String,
    body: String,
}

/// What the articles of an import share: sections, authors and tags seen so far.
#[derive(Default)]
struct Plan {
    articles: Vec<Planned>,
    /// Section folder → category name and description.
    sections: BTreeMap<String, (String, String)>,
    /// Login → author key, for the authors the articles name.
    authors: BTreeMap<String, String>,
    tags: BTreeSet<String>,
    taken: HashSet<(String, String)>,
    /// `?p=ID` → the new address.
    redirects: Vec<(u64, String)>,
    skipped: BTreeMap<String, usize>,
}

/// Writes the site for `export` into `opts.into`.
pub(super) fn write(opts: &ImportOptions, export: &Export) -> Result<Report, Diagnostic> {
    let media = Media::new(export, opts.media.as_deref());
    let mut report = Report { into: opts.into.clone(), ..Report::default() };
    let mut plan = Plan::default();
    for item in &export.items {
        match skip_reason(item) {
            Some(reason) => *plan.skipped.entry(reason).or_default() += 1,
            None => plan_article(item, export, &media, &mut plan, &mut report),
        }
    }
    let comments: usize = export.items.iter().map(|item| item.comments).sum();
    if comments > 0 {
        plan.skipped.insert("comments (not imported)".into(), comments);
    }
    report.wrote_config = write_config(&opts.into, export)?;
    write_sections(&opts.into, &plan.sections)?;
    for article in &plan.articles {
        let rel = Path::new("content").join(&article.section).join(format!("{}.md", article.slug));
        let text = format!("+++\n{}+++\n\n{}", article.front_matter, article.body);
        put(&opts.into, &rel, &text)?;
    }
    report.authors = write_authors(&opts.into, export, &plan.authors)?;
    report.media_copied = media.copy_used(&opts.into)?;
    report.media_remote = media.remote();
    report.redirects_file = write_redirects(&opts.into, &plan.redirects)?;
    report.articles = plan.articles.len();
    report.sections = plan.sections.len();
    report.tags = plan.tags.len();
    report.skipped = plan.skipped.into_iter().collect();
    Ok(report)
}

/// Why an item is not imported as an article, or None for a post that is.
fn skip_reason(item: &Item) -> Option<String> {
    match (item.post_type.as_str(), item.status.as_str()) {
        // Attachments are the images posts use, not items of their own.
        ("attachment", _) => Some("attachments (used through the posts)".into()),
        ("post", "trash" | "auto-draft" | "inherit") => Some(format!("posts in {}", item.status)),
        ("post", _) => None,
        ("page", _) => Some("pages (midad has no stand-alone pages: copy them by hand)".into()),
        ("nav_menu_item", _) => Some("menu items".into()),
        (other, _) => Some(format!("items of type `{other}`")),
    }
}

fn plan_article(
    item: &Item,
    export: &Export,
    media: &Media<'_>,
    plan: &mut Plan,
    report: &mut Report,
) {
    let primary = primary_category(item, export);
    let section = section_of(primary, export, plan);
    let title = decode_entities(&item.title);
    let slug = unique_slug(item, &title, &section, plan);
    let converted = super::body::convert(&item.content, media);
    report.raw_blocks += converted.raw_blocks;
    let shown = format!("content/{section}/{slug}.md");
    report.notes.extend(converted.notes.iter().map(|note| format!("{shown}: {note}")));
    // A password-protected post was never public: it stays a draft until an editor decides.
    let protected = !item.password.is_empty();
    if protected {
        report.notes.push(format!("{shown}: password-protected on WordPress, imported as a draft"));
    }
    let draft = protected || !matches!(item.status.as_str(), "publish" | "future");
    report.drafts += usize::from(draft);
    let mut fm = FrontMatter::default();
    fm.string("title", &title).string("slug", &slug);
    fm.raw("date", &date_with_offset(&item.date, &item.date_gmt));
    if let Some(updated) = updated(item) {
        fm.raw("updated", &updated);
    }
    if let Some(author) = author_key(&item.creator, plan) {
        fm.string("author", &author);
    }
    let tags = tags_of(item, primary.map(|(nicename, _)| nicename));
    plan.tags.extend(tags.iter().cloned());
    fm.list("tags", &tags);
    let summary = plain_text(&item.excerpt);
    if !summary.is_empty() {
        fm.string("summary", &summary);
    }
    featured_image(item, export, media, &mut fm);
    if item.sticky {
        fm.raw("featured", "true");
    }
    if draft {
        fm.raw("draft", "true");
    } else {
        let aliases = old_paths(item, &export.base_url);
        report.aliases += aliases.len();
        if !aliases.is_empty() {
            fm.list("aliases", &aliases);
        }
        plan.redirects.push((item.id, format!("/{section}/{slug}/")));
    }
    // Last: a table ends the front matter. The post's id, to trace it back to the old site.
    fm.text.push_str(&format!("\n[extra]\nwordpress_id = {}\n", item.id));
    let body = super::headings::level(&converted.markdown);
    plan.articles.push(Planned { section, slug, front_matter: fm.text, body });
}

/// The post's primary category as `(nicename, name)`: the one Yoast SEO or Rank Math marked
/// primary, else the first (WordPress exports a post's categories by name).
fn primary_category<'a>(item: &'a Item, export: &Export) -> Option<(&'a str, &'a str)> {
    let marked = ["_yoast_wpseo_primary_category", "rank_math_primary_category"]
        .into_iter()
        .filter_map(|key| item.meta(key)?.trim().parse::<u64>().ok())
        .find_map(|id| export.category_ids.get(&id));
    let mut categories = item.terms_of("category");
    match marked {
        Some(nicename) => {
            item.terms_of("category").find(|(n, _)| n == nicename).or_else(|| categories.next())
        }
        None => categories.next(),
    }
}

/// The post's tags: its categories other than the primary one, then its tags, each once.
fn tags_of(item: &Item, primary: Option<&str>) -> Vec<String> {
    let others = item.terms_of("category").filter(|(nicename, _)| Some(*nicename) != primary);
    let mut tags: Vec<String> = Vec::new();
    for (_, name) in others.chain(item.terms_of("post_tag")) {
        let name = decode_entities(name);
        if !tags.contains(&name) {
            tags.push(name);
        }
    }
    tags
}

/// The old addresses of a published post: its permalink, and the same with each slug it had
/// before (`_wp_old_slug`, which WordPress itself redirects).
fn old_paths(item: &Item, base_url: &str) -> Vec<String> {
    let Some(path) = old_path(&item.link, base_url) else { return Vec::new() };
    let mut paths = vec![path.clone()];
    let current = format!("/{}/", item.name);
    for (_, old) in item.meta.iter().filter(|(key, _)| key == "_wp_old_slug") {
        if let Some(stem) = path.strip_suffix(&current).filter(|_| !item.name.is_empty()) {
            let old_path = format!("{stem}/{}/", old.trim());
            if !old.trim().is_empty() && !paths.contains(&old_path) {
                paths.push(old_path);
            }
        }
    }
    paths
}

/// The section folder of a post: its primary category's nicename, decoded and made a slug.
fn section_of(primary: Option<(&str, &str)>, export: &Export, plan: &mut Plan) -> String {
    let (nicename, name) = primary.unwrap_or(("news", "أخبار"));
    let decoded = percent_encoding::percent_decode_str(nicename).decode_utf8_lossy();
    let mut folder = slugify_capped(&decoded, SlugStyle::Arabic, crate::content::MAX_SLUG_CHARS);
    if folder.is_empty() {
        folder = "news".into();
    }
    plan.sections.entry(folder.clone()).or_insert_with(|| {
        let description =
            export.categories.get(nicename).map(|c| c.description.clone()).unwrap_or_default();
        (decode_entities(name), plain_text(&description))
    });
    folder
}

/// The post's slug (its `post_name`, decoded; for a draft without one, from its title), made
/// unique in its section.
fn unique_slug(item: &Item, title: &str, section: &str, plan: &mut Plan) -> String {
    let name = percent_encoding::percent_decode_str(&item.name).decode_utf8_lossy();
    let max = crate::content::MAX_SLUG_CHARS;
    let mut base = slugify_capped(&name, SlugStyle::Arabic, max);
    if base.is_empty() {
        base = slugify_capped(title, SlugStyle::Arabic, max);
    }
    if base.is_empty() {
        base = format!("post-{}", item.id);
    }
    let mut slug = base.clone();
    let mut n = 2;
    while !plan.taken.insert((section.to_string(), slug.clone())) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

/// The author key of a login: the login when it is already a key (`sara_k`, `editor-1`), else a
/// Latin slug of it.
fn author_key(login: &str, plan: &mut Plan) -> Option<String> {
    if login.trim().is_empty() {
        return None;
    }
    let key = plan.authors.entry(login.to_string()).or_insert_with(|| {
        let plain = login.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        match plain {
            true => login.to_ascii_lowercase(),
            false => slugify_capped(login, SlugStyle::Latin, 40),
        }
    });
    Some(key.clone()).filter(|k| !k.is_empty())
}

/// `image`, `image_alt` and `image_caption` from the post's featured image.
fn featured_image(item: &Item, export: &Export, media: &Media<'_>, fm: &mut FrontMatter) {
    let Some(id) = item.meta("_thumbnail_id").and_then(|id| id.trim().parse::<u64>().ok()) else {
        return;
    };
    let attachment = export.items.iter().find(|i| i.id == id && i.post_type == "attachment");
    let alt = attachment.and_then(|a| a.meta("_wp_attachment_image_alt"));
    let Some((address, alt)) = media.featured(id, alt) else { return };
    fm.string("image", &address);
    if let Some(alt) = alt {
        fm.string("image_alt", &decode_entities(&alt));
    }
    let caption = attachment.map(|a| plain_text(&a.excerpt)).unwrap_or_default();
    if !caption.is_empty() {
        fm.string("image_caption", &caption);
    }
}

/// `2024-03-15T14:05:00+02:00` from WordPress's local date and its UTC twin (the offset the
/// site had that day); the local date alone for a draft, whose UTC date is zeros.
fn date_with_offset(local: &str, gmt: &str) -> String {
    let parse = |text: &str| jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", text.trim()).ok();
    let Some(at) = parse(local) else { return "1970-01-01T00:00:00Z".into() };
    let Some(utc) = parse(gmt).filter(|d| d.year() > 1) else {
        return at.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    };
    let seconds = at.duration_since(utc).as_secs();
    let minutes = (seconds as f64 / 60.0).round() as i64;
    let sign = if minutes < 0 { '-' } else { '+' };
    let (h, m) = (minutes.abs() / 60, minutes.abs() % 60);
    format!("{}{sign}{h:02}:{m:02}", at.strftime("%Y-%m-%dT%H:%M:%S"))
}

/// The post's last modification in UTC, when it is later than its publication.
fn updated(item: &Item) -> Option<String> {
    let parse = |text: &str| jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", text.trim()).ok();
    let (published, modified) = (parse(&item.date_gmt)?, parse(&item.modified_gmt)?);
    (published.year() > 1 && modified.duration_since(published).as_secs() > 60)
        .then(|| modified.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// The path of an old permalink under the old site (`/2024/03/15/slug/`), or None for one on
/// another host or of the home page.
fn old_path(link: &str, base_url: &str) -> Option<String> {
    let rest = link.strip_prefix(base_url).or_else(|| {
        let host = base_url.split_once("://").map_or(base_url, |(_, h)| h);
        link.split_once("://").and_then(|(_, l)| l.strip_prefix(host))
    })?;
    let path = rest.split('#').next().unwrap_or("");
    (path.starts_with('/') && path.len() > 1 && !path.starts_with("/?")).then(|| path.to_string())
}

/// Front matter in TOML, key by key.
#[derive(Default)]
struct FrontMatter {
    text: String,
}

impl FrontMatter {
    fn string(&mut self, key: &str, value: &str) -> &mut Self {
        self.raw(key, &toml::Value::String(value.to_string()).to_string())
    }

    fn list(&mut self, key: &str, values: &[String]) -> &mut Self {
        let items: Vec<String> =
            values.iter().map(|v| toml::Value::String(v.clone()).to_string()).collect();
        self.raw(key, &format!("[{}]", items.join(", ")))
    }

    fn raw(&mut self, key: &str, value: &str) -> &mut Self {
        self.text.push_str(&format!("{key} = {value}\n"));
        self
    }
}

/// Text with HTML's tags dropped, entities decoded and spaces collapsed (summaries, captions).
fn plain_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    decode_entities(&text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// HTML's character references in a title or caption: `&amp;`, `&#8220;`, `&#x627;`, `&nbsp;`.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(';').map(|i| i + 1).filter(|&i| i <= 10);
        let decoded = end.and_then(|end| entity(&rest[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    if let Some(dec) = name.strip_prefix('#') {
        return dec.parse().ok().and_then(char::from_u32);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        _ => return None,
    })
}

/// Writes `text` to `root/rel`, making its folder.
fn put(root: &Path, rel: &Path, text: &str) -> Result<(), Diagnostic> {
    crate::file::write_creating_parents(&root.join(rel), text.as_bytes())
        .map_err(|e| Diagnostic::write(rel, e))
}

/// config.toml from the old site's name, tagline, address and language, unless the site has
/// one; returns whether it was written.
fn write_config(into: &Path, export: &Export) -> Result<bool, Diagnostic> {
    if into.join("config.toml").exists() {
        return Ok(false);
    }
    let quote = |text: &str| toml::Value::String(text.to_string()).to_string();
    let language = export.language.split(['-', '_']).next().filter(|l| !l.is_empty());
    let text = format!(
        "# Imported from {base}/ by `midad import wordpress`. README.md, «config.toml», lists every key.\n\
         title = {title}\ndescription = {description}\nbase_url = {url}\nlanguage = {language}\n\
         # WordPress exports carry no time zone: set the site's (dates keep their offsets).\n\
         timezone = \"Africa/Cairo\"\ntheme = \"akhbar\"\nper_page = 20\n\n[news]\n\
         # The publisher's logo (structured data, share image): put yours at static/images/logo.svg.\n\
         logo = \"/images/logo.svg\"\n",
        base = export.base_url,
        title = quote(&decode_entities(&export.title)),
        description = quote(&decode_entities(&export.description)),
        url = quote(&format!("{}/", export.base_url)),
        language = quote(language.unwrap_or("ar")),
    );
    put(into, Path::new("config.toml"), &text)?;
    Ok(true)
}

/// `content/<section>/_index.md` for every section that has none.
fn write_sections(
    into: &Path,
    sections: &BTreeMap<String, (String, String)>,
) -> Result<(), Diagnostic> {
    for (weight, (folder, (name, description))) in sections.iter().enumerate() {
        let rel = Path::new("content").join(folder).join("_index.md");
        if into.join(&rel).exists() {
            continue;
        }
        let mut fm = FrontMatter::default();
        fm.string("title", name);
        if !description.is_empty() {
            fm.string("description", description);
        }
        fm.raw("weight", &(weight + 1).to_string());
        put(into, &rel, &format!("+++\n{}+++\n", fm.text))?;
    }
    Ok(())
}

/// Adds every author the articles name to data/authors.toml (keeping those it has); returns the
/// keys added, whose `gender` the editor should fill.
fn write_authors(
    into: &Path,
    export: &Export,
    authors: &BTreeMap<String, String>,
) -> Result<Vec<String>, Diagnostic> {
    let rel = Path::new("data/authors.toml");
    let existing = std::fs::read_to_string(into.join(rel)).unwrap_or_default();
    let known: toml::Table = toml::from_str(&existing).unwrap_or_default();
    let mut text = existing.clone();
    if text.is_empty() {
        text.push_str(
            "# Authors imported from WordPress, keyed by their login. Fill `gender` (male |\n\
             # female): it picks the byline verb «كتب» / «كتبت».\n",
        );
    }
    let mut added = Vec::new();
    for (login, key) in authors {
        if known.contains_key(key) || added.contains(key) {
            continue;
        }
        let user = export.authors.iter().find(|a| &a.login == login);
        let name = user.map(|a| a.display_name.trim()).filter(|n| !n.is_empty()).unwrap_or(login);
        let name = toml::Value::String(decode_entities(name)).to_string();
        text.push_str(&format!("\n[{key}]\nname = {name}\n# gender = \"male\" | \"female\"\n"));
        added.push(key.clone());
    }
    if !added.is_empty() {
        put(into, rel, &text)?;
    }
    Ok(added)
}

/// The `/?p=ID` links of the old site and the new addresses, for a server rule (a static host
/// can't see a query): `wordpress-redirects.map`, one `ID /new/path/` per line (Apache's
/// `RewriteMap` text format), and `wordpress-redirects.nginx`, the same lines ending in `;` for
/// an nginx `map`. Returns the first.
fn write_redirects(
    into: &Path,
    redirects: &[(u64, String)],
) -> Result<Option<PathBuf>, Diagnostic> {
    if redirects.is_empty() {
        return Ok(None);
    }
    let head = "# /?p=ID → the article's address; README.md, «Moving from WordPress», shows the server rules.\n";
    let (mut map, mut nginx) = (head.to_string(), head.to_string());
    for (id, path) in redirects {
        let path = crate::content::encode_path(path);
        map.push_str(&format!("{id} {path}\n"));
        nginx.push_str(&format!("{id} {path};\n"));
    }
    put(into, Path::new("wordpress-redirects.nginx"), &nginx)?;
    let rel = PathBuf::from("wordpress-redirects.map");
    put(into, &rel, &map)?;
    Ok(Some(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_offsets() {
        assert_eq!(
            date_with_offset("2024-03-15 14:05:00", "2024-03-15 12:05:00"),
            "2024-03-15T14:05:00+02:00"
        );
        assert_eq!(
            date_with_offset("2023-07-01 01:30:00", "2023-06-30 22:30:00"),
            "2023-07-01T01:30:00+03:00"
        );
        assert_eq!(
            date_with_offset("2024-03-15 14:05:00", "0000-00-00 00:00:00"),
            "2024-03-15T14:05:00"
        );
    }

    #[test]
    fn entities_and_old_paths() {
        assert_eq!(
            decode_entities("وزير &amp; نائب &#8220;عاجل&#8221; &x"),
            "وزير & نائب “عاجل” &x"
        );
        assert_eq!(plain_text("<p>ملخص <strong>الخبر</strong></p>\n"), "ملخص الخبر");
        let base = "https://akhbar.example";
        assert_eq!(
            old_path("https://akhbar.example/2024/03/15/a/", base).as_deref(),
            Some("/2024/03/15/a/")
        );
        assert_eq!(old_path("http://akhbar.example/2024/a/", base).as_deref(), Some("/2024/a/"));
        assert_eq!(old_path("https://akhbar.example/?p=12", base), None);
        assert_eq!(old_path("https://other.example/a/", base), None);
    }
}
