//! `midad import wordpress`: a generated export of 200 Arabic posts (`wxr.rs`) imported, then
//! built: every post kept, every old address answered, media copied, embeds private.

use std::path::{Path, PathBuf};

use crate::harness::SiteTest;
use crate::wxr;

/// The site folder and the generated export, imported with `--media`.
struct Imported {
    site: SiteTest,
    export: wxr::Export,
    stdout: String,
}

impl Imported {
    fn new(posts: usize, seed: u64) -> Imported {
        let site = SiteTest::empty();
        let export = wxr::generate(posts, seed);
        wxr::write(&export, &site.root().join("wp"));
        let args =
            ["import", "wordpress", "wp/export.xml", "--into", "site", "--media", "wp/uploads"];
        let run = site.run(&args);
        run.success();
        Imported { stdout: run.stdout(), site, export }
    }

    fn dir(&self) -> PathBuf {
        self.site.root().join("site")
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Every article file with its front matter, parsed.
    fn article_files(&self) -> Vec<(PathBuf, toml::Table)> {
        walkdir(&self.dir().join("content"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("article");
                let front = text.strip_prefix("+++\n").and_then(|t| t.split_once("+++\n"));
                let front = front.unwrap_or_else(|| panic!("{}: no front matter", p.display())).0;
                let table =
                    toml::from_str(front).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                (p, table)
            })
            .collect()
    }

    /// The front matter of the article of WordPress post `id`.
    fn front_matter_of(&self, articles: &[(PathBuf, toml::Table)], id: u64) -> toml::Table {
        let matching: Vec<&toml::Table> = articles
            .iter()
            .map(|(_, fm)| fm)
            .filter(|fm| {
                fm.get("extra")
                    .and_then(|e| e.get("wordpress_id"))
                    .and_then(toml::Value::as_integer)
                    == Some(id as i64)
            })
            .collect();
        assert_eq!(matching.len(), 1, "post {id}: {} articles", matching.len());
        matching[0].clone()
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    crate::harness::walk(dir)
}

/// A post is public on WordPress when it is published (or scheduled) without a password.
fn is_public(post: &wxr::Post) -> bool {
    matches!(post.status, "publish" | "future") && post.password.is_empty()
}

#[test]
fn an_imported_export_builds_and_keeps_every_post() {
    let imported = Imported::new(200, 7);
    let export = &imported.export;
    assert!(imported.stdout.contains("imported "), "{}", imported.stdout);
    let articles = imported.article_files();
    let kept: Vec<&wxr::Post> = export.posts.iter().filter(|p| p.status != "trash").collect();
    assert_eq!(articles.len(), kept.len(), "one article per post not in the trash");
    for post in &kept {
        let fm = imported.front_matter_of(&articles, post.id);
        assert_eq!(fm["title"].as_str(), Some(post.title.as_str()), "post {}", post.id);
        let draft = fm.get("draft").and_then(toml::Value::as_bool).unwrap_or(false);
        assert_eq!(draft, !is_public(post), "post {} ({}) draft = {draft}", post.id, post.status);
        let tags: Vec<&str> =
            fm["tags"].as_array().expect("tags").iter().filter_map(|t| t.as_str()).collect();
        for tag in &post.tags {
            assert!(
                tags.contains(&tag.as_str()),
                "post {}: tag {tag} missing from {tags:?}",
                post.id
            );
        }
    }
    let build = imported.site.run(&["build", "--root", "site"]);
    build.success();
    assert!(!build.stderr().contains("error"), "{}", build.stderr());
}

#[test]
fn every_old_permalink_of_a_published_post_resolves() {
    let imported = Imported::new(200, 11);
    imported.site.run(&["build", "--root", "site"]).success();
    let public = imported.dir().join("public");
    let map = imported.read("wordpress-redirects.map");
    let mut checked = 0;
    for post in
        imported.export.posts.iter().filter(|p| p.status == "publish" && p.password.is_empty())
    {
        // SOURCE_DATE_EPOCH is 2026-11-29: every published post of the export is before it.
        let mut paths = vec![post.permalink.clone()];
        let stem =
            post.permalink.trim_end_matches('/').rsplit_once('/').map(|(s, _)| s.to_string());
        for old in &post.old_slugs {
            paths.push(format!("{}/{old}/", stem.clone().unwrap_or_default()));
        }
        for path in paths.iter().filter(|p| !p.starts_with("/?")) {
            let decoded = percent_decode(path);
            let page = public.join(decoded.trim_start_matches('/')).join("index.html");
            assert!(
                page.is_file(),
                "post {}: {path} does not resolve ({})",
                post.id,
                page.display()
            );
            checked += 1;
        }
        assert!(
            map.lines().any(|line| line.starts_with(&format!("{} /", post.id))),
            "post {} is not in the ?p= map",
            post.id
        );
    }
    assert!(checked > 150, "{checked} permalinks checked");
}

fn percent_decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&path[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).expect("UTF-8 path")
}

#[test]
fn media_authors_and_embeds_come_over() {
    let imported = Imported::new(200, 7);
    let export = &imported.export;
    let articles = imported.article_files();
    // Featured images are local files, copied.
    for post in export.posts.iter().filter(|p| is_public(p) && p.featured.is_some()) {
        let featured = post.featured.as_deref().unwrap_or_default();
        let fm = imported.front_matter_of(&articles, post.id);
        let image = fm.get("image").and_then(toml::Value::as_str);
        assert_eq!(image, Some(format!("/uploads/{featured}").as_str()), "post {}", post.id);
        assert!(imported.dir().join("static/uploads").join(featured).is_file(), "{featured}");
    }
    // Every author an article names is in data/authors.toml with the display name.
    let authors = imported.read("data/authors.toml");
    for author in &export.authors {
        if export.posts.iter().any(|p| p.author == author.login && p.status != "trash") {
            let table: toml::Table = toml::from_str(&authors).expect("authors.toml");
            let named = table.values().any(|a| {
                a.get("name").and_then(toml::Value::as_str) == Some(author.display_name.as_str())
            });
            assert!(
                named,
                "{} ({}) is not in data/authors.toml",
                author.login, author.display_name
            );
        }
    }
    assert!(imported.stdout.contains("gender"), "the report asks for genders");
    imported.site.run(&["build", "--root", "site"]).success();
    // Embeds are facades: the platform's address is linked, nothing loads from it.
    let public = imported.dir().join("public");
    let mut facades = 0;
    for file in walkdir(&public).into_iter().filter(|p| p.ends_with("index.html")) {
        let html = std::fs::read_to_string(&file).expect("page");
        for code in
            ["<iframe", "<script src=\"http", "<script async src=", "platform.twitter.com/widgets"]
        {
            if let Some(at) = html.find(code) {
                let context: String = html[at.saturating_sub(300)..].chars().take(500).collect();
                panic!("{}: {code} in\n{context}", file.display());
            }
        }
        facades += html.matches("data-embed=").count();
    }
    let expected: usize =
        export.posts.iter().filter(|p| p.status == "publish").map(|p| p.embeds.len()).sum();
    assert!(facades >= expected, "{facades} facades for {expected} embeds");
}

#[test]
fn a_second_import_refuses_a_site_with_articles_and_bad_exports_are_errors() {
    let imported = Imported::new(12, 3);
    let again = ["import", "wordpress", "wp/export.xml", "--into", "site"];
    imported.site.run(&again).fails_with(1).stderr_has("already has articles");
    imported.site.write("bad.xml", "<rss><channel><item><title>خبر</title></channel></rss>");
    imported
        .site
        .run(&["import", "wordpress", "bad.xml", "--into", "other"])
        .fails_with(1)
        .stderr_has("bad.xml:1:")
        .stderr_has("not valid XML");
    imported.site.write("feed.xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>");
    imported
        .site
        .run(&["import", "wordpress", "feed.xml", "--into", "other"])
        .fails_with(1)
        .stderr_has("not a WordPress export");
    assert!(!imported.site.root().join("other").exists(), "a failed import wrote files");
}
