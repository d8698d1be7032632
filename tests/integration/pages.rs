//! Date archives, alias redirects and the breaking-news ticker.

use crate::harness::{SiteTest, main_of};

#[test]
fn date_archive_by_year_and_month() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    // Three November articles and one October one; per_page = 2.
    let index = site.page("archive/index.html");
    assert!(
        index.contains(r#"href="/archive/2026/11/""#)
            && index.contains(r#"href="/archive/2026/10/""#),
        "{index}"
    );
    assert!(index.contains("نوفمبر 2026") && index.contains("أكتوبر 2026"), "{index}");
    let november = site.page("archive/2026/11/index.html");
    assert!(november.contains("<h1 class=\"listing-header__title\">نوفمبر 2026"), "{november}");
    assert!(main_of(&november).contains("الحكومة"), "{november}");
    // A month is paginated.
    assert!(november.contains(r#"<link rel="next" href="/archive/2026/11/page/2/">"#));
    assert!(site.page("archive/2026/11/page/2/index.html").contains(r#"rel="prev""#));
    // A year is one page: its months with their counts, and its newest stories.
    let year = site.page("archive/2026/index.html");
    let months = year.split("class=\"archive-months\"").nth(1).unwrap_or_default();
    let months = months.split("</nav>").next().unwrap_or_default();
    assert!(
        months.find("/archive/2026/11/") < months.find("/archive/2026/10/")
            && months.contains("نوفمبر 2026")
            && months.contains(">3</span>")
            && months.contains(">1</span>"),
        "{months}"
    );
    assert!(year.contains("عدد الأخبار: 4") && !year.contains(r#"rel="next""#), "{year}");
    assert!(!site.public("archive/2026/page/2/index.html").exists());
    assert!(main_of(&site.page("archive/2026/10/index.html")).contains("خبر قديم عن الانتخابات"));
}

#[test]
fn aliases_redirect_to_the_new_url() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/economy/moved.md",
        "---\ntitle: \"خبر انتقل\"\ndate: 2026-11-20T10:00:00+02:00\naliases: [\"/old/news/123.html\", \"/اقتصاد/خبر-قديم/\"]\n---\nنص.\n",
    );
    let summary = site.build().success().stdout();
    // Counted as redirects, not as pages kept from a build that never was.
    assert!(summary.contains(", 2 redirects,") && !summary.contains("kept"), "{summary}");
    for page in ["old/news/123.html", "اقتصاد/خبر-قديم/index.html"] {
        let html = site.page(page);
        assert!(
            html.contains(
                r#"<link rel="canonical" href="https://news.example/economy/خبر-انتقل/">"#
            ),
            "{html}"
        );
        assert!(html.contains(r#"<meta http-equiv="refresh" content="0; url=https://news.example/economy/خبر-انتقل/">"#), "{html}");
    }
}

#[test]
fn an_alias_may_not_replace_a_page_or_leave_the_site() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/economy/a.md",
        "---\ntitle: أ\ndate: 2026-11-20T10:00:00+02:00\naliases: [\"/politics/\"]\n---\n",
    );
    site.write(
        "content/economy/b.md",
        "---\ntitle: ب\ndate: 2026-11-20T10:00:00+02:00\naliases: [\"/../../etc/x\"]\n---\n",
    );
    site.build()
        .fails_with(1)
        .stderr_has("content/economy/a.md:4:1: alias `/politics/` is the URL of another page")
        .stderr_has("content/economy/b.md:4:1: alias `/../../etc/x` is not a path inside the site");
}

#[test]
fn breaking_news_ticker_shows_only_fresh_breaking_articles() {
    let site = SiteTest::fixture("basic");
    // The build time is 2026-11-29T12:00:00Z; [news] breaking_hours defaults to 24.
    site.write(
        "content/politics/fresh.md",
        "---\ntitle: \"عاجل جديد\"\ndate: 2026-11-29T10:00:00+02:00\nbreaking: true\n---\n",
    );
    site.write(
        "content/politics/stale.md",
        "---\ntitle: \"عاجل قديم\"\ndate: 2026-11-27T10:00:00+02:00\nbreaking: true\n---\n",
    );
    site.build().success();
    for page in ["index.html", "economy/index.html", "tags/index.html"] {
        let html = site.page(page);
        let ticker =
            html.find("عاجل جديد").unwrap_or_else(|| panic!("no fresh breaking news on {page}"));
        assert!(
            ticker < html.find("<main").unwrap(),
            "the ticker is above the main content on {page}"
        );
        let before_main = &html[..html.find("<main").unwrap()];
        assert!(!before_main.contains("عاجل قديم"), "stale breaking news in the ticker on {page}");
    }
}
