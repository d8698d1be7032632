//! Search: the index and page a build writes, the browser's folding and stemming against the
//! Rust code's, and queries typed the way readers type them, run in headless Chromium.

use std::process::Command;

use crate::harness::SiteTest;
use crate::serve::Preview;

#[test]
fn a_build_writes_the_index_the_page_and_a_search_box() {
    let site = SiteTest::fixture("search");
    site.build().success().stdout_has("indexed 16 articles for search");
    let page = site.page("search/index.html");
    for needle in [
        r#"<input class="search__input" type="search" id="search-input" name="q""#,
        r#"<label class="search__label" for="search-input">"#,
        r#"id="search-results""#,
        r#"aria-live="polite""#,
        r#"<meta name="robots" content="noindex, follow">"#,
        "/search/midad-search.js?v=",
    ] {
        assert!(page.contains(needle), "search page lacks {needle}");
    }
    let home = site.page("index.html");
    assert!(home.contains(r#"<form class="site-search" role="search" action="/search/""#));
    assert!(!page.contains("site-search__input"), "no second search box on the search page");

    let manifest: serde_json::Value =
        serde_json::from_str(&site.page("search/index/meta.json")).expect("the manifest is JSON");
    assert_eq!(manifest["documents"], 16);
    let term_files = manifest["terms"].as_array().expect("term files");
    assert!(!term_files.is_empty());
    for k in 0..term_files.len() {
        assert!(site.public(&format!("search/index/t{k}.bin")).is_file(), "t{k}.bin");
    }
    // Oldest first: document 0 is the article of 1 November.
    let docs: serde_json::Value = serde_json::from_str(&site.page("search/index/d0.json")).unwrap();
    assert_eq!(docs[0][0], "/politics/israel/");
    assert!(site.page("search/midad-search.js").contains("\"stop_words\""));
    assert!(
        !site.page("sitemap.xml").contains("/search/"),
        "the search page is not in the sitemap"
    );
}

#[test]
fn search_can_be_turned_off() {
    let site = SiteTest::fixture("search");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("config.toml", &format!("{config}\n[search]\nenabled = false\n"));
    site.build().success();
    assert!(!site.public("search").exists());
    assert!(!site.page("index.html").contains("site-search"));
}

#[test]
fn a_field_of_weight_zero_is_not_indexed() {
    let site = SiteTest::fixture("search");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let weights = "\n[search.weights]\nbody = 0\nsummary = 0\n";
    site.write("config.toml", &format!("{config}{weights}"));
    let with_body = SiteTest::fixture("search");
    with_body.build().success();
    site.build().success();
    let bytes = |s: &SiteTest| -> u64 {
        crate::harness::walk(&s.public("search/index"))
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "bin"))
            .map(|p| std::fs::metadata(p).unwrap().len())
            .sum()
    };
    assert!(bytes(&site) < bytes(&with_body) / 2, "without body and summary, the index shrinks");
}

/// Words of every kind the rules touch: hamza and alef forms, ى and ة, tashkeel and tatweel,
/// Arabic-Indic and Persian digits, glued conjunctions and prepositions, suffixes, stop words,
/// presentation forms, Persian letters, Latin with case and accents, invisible marks.
const WORDS: &[&str] = &[
    "إسرائيل",
    "اسرائيل",
    "الإسرائيلية",
    "إسرائيليين",
    "أحمد",
    "آمنة",
    "ٱلرحمن",
    "مؤتمر",
    "موتمر",
    "رئيس",
    "الرئيسة",
    "المصرى",
    "المصري",
    "المصريين",
    "مصريون",
    "المدرسة",
    "والمدرسة",
    "المدرسه",
    "مدرستها",
    "وبالاقتصاد",
    "الاقتصادية",
    "اقتصاديات",
    "فبالحكومة",
    "وكالعادة",
    "وللمواطنين",
    "فللشباب",
    "للحكومة",
    "بالانتخابات",
    "والانتخابات",
    "وزير",
    "والوزير",
    "ولبنان",
    "فلسطين",
    "الفلسطينيون",
    "بيروت",
    "كتابهم",
    "حقوقهما",
    "مُحَمَّدٌ",
    "الأخبـــار",
    "٢٠٢٦",
    "۱۴۰۳",
    "28٫3",
    "٣٫٥٪",
    "فى",
    "على",
    "الذي",
    "هؤلاء",
    "ﻻ",
    "ﷲ",
    "کتاب",
    "ی",
    "می\u{200C}خواهم",
    "Apple",
    "ÉLYSÉE",
    "Straße",
    "İstanbul",
    "ΣΟΦΟΣ",
    "café",
    "e\u{301}",
    "COVID-19",
    "5G",
    "الـ5G",
    "ذكاء",
    "الذكاء الاصطناعي",
    "قال الرئيسُ المصرى فى القاهرة",
    "«الإسرائيلية»، اليوم",
    "وبالإضافة إلى ذلك",
    "ال",
    "و",
    "",
];

/// The search script as the build writes it.
fn built_script() -> (SiteTest, std::path::PathBuf) {
    let site = SiteTest::fixture("search");
    site.build().success();
    let script = site.public("search/midad-search.js");
    (site, script)
}

/// The browser's rules (the build's script, run by node) give what the Rust code gives for
/// every word of [`WORDS`]: the folded text and the distinct search stems. Runs with the
/// browser tests (`MIDAD_BROWSER_TESTS=1`), which `.ci/run` installs node for.
#[test]
fn the_browser_folds_and_stems_as_the_build() {
    let Some(_driver) = crate::webdriver::Driver::start_if_enabled() else { return };
    assert!(WORDS.len() >= 60, "{} words", WORDS.len());
    let (_site, script) = built_script();
    let node = ["node", "nodejs"]
        .into_iter()
        .find(|n| Command::new(n).arg("--version").output().is_ok())
        .expect("node not found: apt-get install -y nodejs (.ci/run does)");
    let program = format!(
        "const r = require({script:?});\
         const words = JSON.parse(process.argv[1]);\
         console.log(JSON.stringify(words.map(w => [r.normalize(w), r.terms(w)])));",
        script = script.to_str().unwrap()
    );
    let words = serde_json::to_string(WORDS).unwrap();
    let out = Command::new(node).args(["-e", &program, &words]).output().expect("run node");
    assert!(out.status.success(), "node: {}", String::from_utf8_lossy(&out.stderr));
    let browser: Vec<(String, Vec<String>)> =
        serde_json::from_slice(&out.stdout).expect("node prints JSON");
    for (word, (normalized, terms)) in WORDS.iter().zip(browser) {
        let rust_normalized = midad::arabic::normalize::normalize(word);
        assert_eq!(normalized, rust_normalized, "normalize({word:?})");
        let rust_terms = midad::search::terms::distinct(word);
        assert_eq!(terms, rust_terms, "terms({word:?})");
    }
}

/// Queries typed as readers type them, each with the article that must be among the first three
/// results and one that must not be returned at all.
const QUERIES: &[(&str, &str, &str)] = &[
    ("اسرائيل", "israel", "gold"),
    ("إسرائيلي", "israel", "school"),
    ("الاسرائيلية", "israel", "floods"),
    ("المدرسه", "school", "gold"),
    ("مدرسة", "school", "israel"),
    ("والمدرسة", "school", "derby"),
    ("الاقتصاد", "growth", "school"),
    ("وبالاقتصاد", "growth", "floods"),
    ("اقتص", "growth", "apple"),
    ("المنتخب المصري", "afcon", "gold"),
    ("منتخب", "afcon", "wheat"),
    ("جامعه القاهره", "university", "gold"),
    ("جامعة", "university", "israel"),
    ("apple", "apple", "gold"),
    ("APPLE", "apple", "wheat"),
    ("28", "inflation", "gold"),
    ("٢٨", "inflation", "school"),
    ("التضخم", "inflation", "apple"),
    ("تضخم", "inflation", "floods"),
    ("الانتخابات", "elections", "gold"),
    ("وبالانتخابات", "elections", "wheat"),
    ("انتخا", "elections", "apple"),
    ("موتمر المناخ", "climate", "gold"),
    ("مؤتمر", "climate", "school"),
    ("للمناخ", "climate", "derby"),
    ("سفير اليابان", "ambassador", "gold"),
    ("اليابانى", "ambassador", "floods"),
    ("مهرجان", "festival", "wheat"),
    ("السينمائى", "festival", "israel"),
    ("الذكاء الاصطناعي", "ai", "gold"),
    ("ذكاء", "ai", "wheat"),
    ("الذهب", "gold", "school"),
    ("السودان", "floods", "apple"),
    ("فيضانات", "floods", "gold"),
    ("الاهلي", "derby", "school"),
    ("والزمالك", "derby", "israel"),
    ("القمح", "wheat", "school"),
    ("قمح روسي", "wheat", "apple"),
];

/// Every query of [`QUERIES`] on `/search/?q=…` in headless Chromium, through `midad serve`.
#[test]
fn readers_find_what_they_type() {
    let Some(driver) = crate::webdriver::Driver::start_if_enabled() else { return };
    assert!(QUERIES.len() >= 30);
    let preview = Preview::start_fixture("search");
    let session = driver.session();
    let base = preview.url.trim_end_matches('/');
    let mut failures = Vec::new();
    for &(query, expected, unrelated) in QUERIES {
        let q: String = url_encode(query);
        session.go(&format!("{base}/search/?q={q}"));
        session.wait_until(
            &format!("results for {query}"),
            "return document.getElementById('search-status').textContent.length > 0",
        );
        let links = session
            .run("return [...document.querySelectorAll('#search-results a')].map(a => a.pathname)");
        let links: Vec<String> = serde_json::from_value(links).unwrap();
        let slug = |path: &str| path.trim_end_matches('/').rsplit('/').next().unwrap().to_string();
        let slugs: Vec<String> = links.iter().map(|l| slug(l)).collect();
        if !slugs.iter().take(3).any(|s| s == expected) || slugs.iter().any(|s| s == unrelated) {
            failures.push(format!(
                "{query}: expected {expected} in the top 3, never {unrelated}; got {slugs:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Matched words are marked, and the status counts the results in words.
    session.go(&format!("{base}/search/?q={}", url_encode("زمالك")));
    session.wait_until(
        "a marked word",
        "return document.querySelector('#search-results mark')?.textContent === 'الزمالك'",
    );
    let status = session.run("return document.getElementById('search-status').textContent");
    assert_eq!(status, "نتيجة واحدة");
}

fn url_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
