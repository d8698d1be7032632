//! A site in Arabic and English (`tests/fixtures/bilingual`): `[languages.en]`, translations as
//! `x.en.md` beside `x.md` and under `content/en/`, each page in its language and direction,
//! `hreflang` alternates, the language switcher, per-language feeds, sitemap alternates and
//! search indexes, and English dates.

use crate::harness::{SiteTest, walk};

/// The two translated articles of the fixture, in Arabic and in English.
const BUDGET_AR: &str = "politics/البرلمان-يقر-موازنة-العام-المالي-الجديد/";
const BUDGET_EN: &str = "en/politics/2026/parliament-passes-the-new-fiscal-years-budget/";
const MARKETS_AR: &str = "economy/البورصة-المصرية-تغلق-على-ارتفاع/";
const MARKETS_EN: &str = "en/economy/2026/egyptian-stocks-close-higher/";
/// An Arabic article with no translation.
const CABINET_AR: &str = "politics/الحكومة-تعقد-اجتماعها-الأسبوعي/";

fn built() -> SiteTest {
    let site = SiteTest::fixture("bilingual");
    let run = site.build();
    run.success();
    assert!(
        !run.stderr().contains("warning"),
        "a bilingual site builds cleanly:\n{}",
        run.stderr()
    );
    site
}

/// Every `hreflang` link of a page's head, as `(hreflang, href)`.
fn hreflangs(html: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for tag in html.split("<link rel=\"alternate\" hreflang=\"").skip(1) {
        let (lang, rest) = tag.split_once('"').expect("hreflang value");
        let href = rest.split("href=\"").nth(1).and_then(|r| r.split('"').next()).expect("href");
        found.push((lang.to_string(), href.to_string()));
    }
    found.sort();
    found
}

fn pair(lang: &str, path: &str) -> (String, String) {
    (lang.to_string(), format!("https://wadi.example/{path}"))
}

#[test]
fn every_page_has_the_language_and_direction_of_its_folder() {
    let site = built();
    let public = site.root().join("public");
    let mut english = 0;
    for file in walk(&public) {
        let rel = file.strip_prefix(&public).expect("inside the output");
        if rel.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = std::fs::read_to_string(&file).expect("read page");
        let rel = rel.to_string_lossy();
        if rel.starts_with("en/") {
            english += 1;
            assert!(
                html.contains("<html lang=\"en\" dir=\"ltr\">"),
                "{rel} is English, left to right"
            );
        } else {
            assert!(
                html.contains("<html lang=\"ar\" dir=\"rtl\">"),
                "{rel} is Arabic, right to left"
            );
        }
    }
    // Home, two sections, three articles, tags index and three tags, authors index and one
    // author, archive index, year and month, search.
    assert_eq!(english, 16, "the English edition has all its pages");
    assert!(site.public(MARKETS_EN).join("index.html").is_file());
}

#[test]
fn translations_name_each_other_with_hreflang_and_x_default() {
    let site = built();
    let expected = vec![pair("ar", BUDGET_AR), pair("en", BUDGET_EN), pair("x-default", BUDGET_AR)];
    for path in [BUDGET_AR, BUDGET_EN] {
        let html = site.page(&format!("{path}index.html"));
        assert_eq!(hreflangs(&html), expected, "{path}");
    }
    // `content/en/economy/markets.md` translates `content/economy/markets.md`.
    let html = site.page(&format!("{MARKETS_EN}index.html"));
    assert_eq!(hreflangs(&html)[0], pair("ar", MARKETS_AR));
    // Listings at the same place below each language's folder are alternates too.
    let expected =
        vec![pair("ar", "politics/"), pair("en", "en/politics/"), pair("x-default", "politics/")];
    assert_eq!(hreflangs(&site.page("en/politics/index.html")), expected);
    assert_eq!(hreflangs(&site.page("index.html"))[1], pair("en", "en/"));
    // An article with no translation has none.
    assert!(hreflangs(&site.page(&format!("{CABINET_AR}index.html"))).is_empty());
}

#[test]
fn the_switcher_links_to_the_translation_or_the_other_home_page() {
    let site = built();
    let switcher = |path: &str| {
        let html = site.page(&format!("{path}index.html"));
        let nav = html.split("<nav class=\"languages\"").nth(1).expect("a language switcher");
        let link = nav.split("href=\"").nth(1).expect("a link");
        link.split('"').next().expect("its address").to_string()
    };
    assert_eq!(switcher(BUDGET_AR), format!("/{BUDGET_EN}"));
    assert_eq!(switcher(BUDGET_EN), format!("/{BUDGET_AR}"));
    assert_eq!(switcher(CABINET_AR), "/en/", "no translation: the English home page");
    assert_eq!(switcher("en/"), "/");
}

#[test]
fn each_language_has_its_own_listings_feeds_and_search_index() {
    let site = built();
    let arabic = site.page("rss.xml");
    let english = site.page("en/rss.xml");
    assert!(
        arabic.contains("<language>ar</language>") && english.contains("<language>en</language>")
    );
    assert_eq!(arabic.matches("<item>").count(), 3, "the Arabic feed lists the Arabic articles");
    assert_eq!(english.matches("<item>").count(), 3, "the English feed lists the English ones");
    assert!(!arabic.contains("Parliament passes") && english.contains("Parliament passes"));
    assert!(site.page("en/atom.xml").contains("xml:lang=\"en\""));
    assert!(site.page("en/politics/rss.xml").contains("An interview with the minister"));
    // Tags and authors are per language.
    assert!(site.public("en/tags/budget/index.html").is_file());
    assert!(!site.page("en/tags/index.html").contains("البرلمان"));
    assert!(site.page("en/authors/sara-kamal/index.html").contains("Sara Kamal"));
    assert!(site.page("authors/sara-kamal/index.html").contains("سارة كمال"));
    // The home pages and navigation list their own language's articles and sections, the
    // English one in its `menu` order.
    let home = site.page("en/index.html");
    assert!(home.contains("Egyptian stocks close higher") && !home.contains("البورصة المصرية"));
    let economy = home.find("/en/economy/\"").expect("economy in the English menu");
    let politics = home.find("/en/politics/\"").expect("politics in the English menu");
    assert!(economy < politics, "the English menu is in `menu` order");
    // One search index per language, each with its own articles.
    let documents = |path: &str| -> u64 {
        let meta: serde_json::Value = serde_json::from_str(&site.page(path)).expect("manifest");
        meta["documents"].as_u64().expect("count")
    };
    assert_eq!(documents("search/index/meta.json"), 3);
    assert_eq!(documents("en/search/index/meta.json"), 3);
    assert!(site.page("en/search/index.html").contains("data-index=\"/en/search/index/\""));
}

#[test]
fn english_pages_have_english_dates_and_no_arabic_only_features() {
    let site = built();
    let english = site.page(&format!("{BUDGET_EN}index.html"));
    assert!(english.contains("November 28, 2026"), "English month names");
    assert!(english.contains("By"), "an English byline");
    assert!(!english.contains("هـ"), "no Hijri date on an English page");
    assert!(english.contains("1 minute"), "reading time in English");
    let arabic = site.page(&format!("{BUDGET_AR}index.html"));
    assert!(arabic.contains("نوفمبر"), "Arabic month names");
    assert!(arabic.contains("هـ"), "the Hijri date where the site asks for it");
    assert!(arabic.contains("كتبت"), "a gendered Arabic byline");
}

#[test]
fn the_sitemap_lists_every_language_with_alternates() {
    let site = built();
    let sitemap = site.page("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let entry = sitemap
        .split("<url>")
        .find(|url| url.contains("<loc>https://wadi.example/en/politics/2026/parliament"))
        .expect("the English article is in the sitemap");
    assert!(entry.contains("hreflang=\"ar\""));
    assert!(entry.contains("hreflang=\"x-default\""));
    assert!(sitemap.contains("<loc>https://wadi.example/en/</loc>"));
}

#[test]
fn publishing_a_translation_into_a_built_site_equals_a_clean_build() {
    let site = built();
    site.write(
        "content/politics/cabinet.en.md",
        "+++\ntitle = \"The cabinet holds its weekly meeting\"\ndate = 2026-11-27T10:00:00+02:00\nauthor = \"sara-kamal\"\n+++\n\nThe cabinet met on Friday.\n",
    );
    site.build().success();
    let incremental = site.output_bytes();
    let arabic = site.page(&format!("{CABINET_AR}index.html"));
    assert_eq!(hreflangs(&arabic).len(), 3, "the Arabic article now names its translation");
    site.remove_output();
    site.build().success();
    assert!(incremental == site.output_bytes(), "an incremental build equals a clean one");
}

#[test]
fn a_bad_language_table_is_an_error_at_its_key() {
    let site = SiteTest::fixture("bilingual");
    let config = std::fs::read_to_string(site.root().join("config.toml")).expect("config");
    site.write("config.toml", &config.replace("[languages.en]", "[languages.English]"));
    site.build()
        .fails_with(1)
        .stderr_has("config.toml:")
        .stderr_has("`English` is not a language code");
    site.write("config.toml", &config.replace("[languages.en]", "[languages.ar]"));
    site.build().fails_with(1).stderr_has("the site's own language");
}
