//! Page metadata: canonical, Open Graph, Twitter card and JSON-LD that stays valid JSON.

use crate::harness::SiteTest;

/// The JSON-LD blocks of a page, parsed.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    let open = r#"<script type="application/ld+json">"#;
    html.match_indices(open)
        .map(|(at, _)| {
            let rest = &html[at + open.len()..];
            let end = rest.find("</script>").expect("closed script");
            serde_json::from_str(&rest[..end])
                .unwrap_or_else(|e| panic!("invalid JSON-LD: {e}\n{}", &rest[..end]))
        })
        .collect()
}

#[test]
fn news_article_json_ld_survives_any_title() {
    let site = SiteTest::fixture("basic");
    let title = r#"وزير: "لا تراجع" </script><script>alert(1)</script> عن «الموازنة»؟"#;
    site.write(
        "content/economy/quotes.md",
        &format!(
            "+++\ntitle = '''{title}'''\ndate = 2026-11-28T08:00:00+02:00\nupdated = 2026-11-28T11:00:00+02:00\nauthor = \"sara\"\ntags = [\"الموازنة\"]\nimage = \"/images/ministry.svg\"\nsummary = \"ملخص\"\n+++\nنص.\n"
        ),
    );
    site.build().success();
    let slug = site
        .files()
        .into_iter()
        .find(|f| f.starts_with("economy/وزير-لا-تراجع"))
        .expect("quotes page");
    let html = site.page(&slug);
    assert!(!html.contains("<script>alert(1)"), "the title broke out of a script or attribute");
    let blocks = json_ld(&html);
    assert_eq!(blocks.len(), 1, "{html}");
    let graph = blocks[0]["@graph"].as_array().expect("@graph");
    let article = graph.iter().find(|n| n["@type"] == "NewsArticle").expect("NewsArticle");
    assert_eq!(article["headline"], title);
    assert_eq!(article["datePublished"], "2026-11-28T08:00:00+02:00");
    assert_eq!(article["dateModified"], "2026-11-28T11:00:00+02:00");
    assert_eq!(article["author"][0]["@type"], "Person");
    assert_eq!(article["author"][0]["name"], "سارة كمال");
    assert_eq!(article["author"][0]["url"], "https://news.example/authors/sara/");
    // An SVG lead image is shared as raster crops (16:9, 4:3, 1:1).
    let first = article["image"][0].as_str().expect("JSON-LD images");
    assert!(first.starts_with("https://news.example/images/ministry-1200x675-"), "{first}");
    assert!(first.ends_with(".jpg") && article["image"].as_array().map(Vec::len) == Some(3));
    assert_eq!(article["publisher"]["name"], "أخبار الاختبار");
    assert_eq!(article["articleSection"], "اقتصاد");
    assert_eq!(article["keywords"][0], "الموازنة");
    assert_eq!(article["inLanguage"], "ar");
    let url = article["mainEntityOfPage"]["@id"].as_str().unwrap();
    assert!(url.starts_with("https://news.example/economy/"), "{url}");
    let crumbs = graph.iter().find(|n| n["@type"] == "BreadcrumbList").expect("breadcrumbs");
    let names: Vec<&str> = crumbs["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["أخبار الاختبار", "اقتصاد", title]);

    for meta in [
        r#"<meta property="og:type" content="article">"#,
        r#"<meta property="og:locale" content="ar_AR">"#,
        r#"<meta property="og:image" content="https://news.example/images/ministry-1200x630-"#,
        r#"<meta property="article:published_time" content="2026-11-28T08:00:00+02:00">"#,
        r#"<meta property="article:modified_time" content="2026-11-28T11:00:00+02:00">"#,
        r#"<meta property="article:section" content="اقتصاد">"#,
        r#"<meta property="article:tag" content="الموازنة">"#,
        r#"<meta name="twitter:card" content="summary_large_image">"#,
    ] {
        assert!(html.contains(meta), "missing {meta}");
    }
    assert!(html.contains(&format!(r#"<link rel="canonical" href="{url}">"#)), "canonical");
}

#[test]
fn home_page_describes_the_website() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let html = site.page("index.html");
    let blocks = json_ld(&html);
    assert_eq!(blocks[0]["@graph"][0]["@type"], "WebSite");
    assert!(html.contains(r#"<meta property="og:type" content="website">"#));
}
