//! Search: the index and page a build writes, the browser's folding and stemming against the
//! Rust code's, and queries typed the way readers type them, run in headless Chromium.

use std::process::Command;

use crate::harness::SiteTest;
use crate::serve::Preview;

/// How many index files a build's summary says it kept from the output in place.
fn index_files_kept(stdout: &str) -> usize {
    let Some((before, _)) = stdout.split_once(" files unchanged, kept") else { return 0 };
    before.rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[test]
fn a_rebuild_keeps_the_index_files_it_would_write_again_and_equals_a_clean_build() {
    let site = SiteTest::fixture("search");
    let first = site.build().success().stdout();
    assert_eq!(index_files_kept(&first), 0, "{first}");
    let gold = "content/economy/gold.md";
    let text = std::fs::read_to_string(site.root().join(gold)).expect("the article");
    // A new word in one article's body: the files of the index that hold it change, the script
    // does not.
    site.write(gold, &format!("{text}\nسبائك الزبرجد النادرة.\n"));
    let second = site.build().success().stdout();
    let kept = index_files_kept(&second);
    assert!(kept >= 1, "{second}");
    site.run(&["build", "--output", "clean"]).success();
    let index = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        files.into_iter().filter(|(path, _)| path.starts_with("search/")).collect()
    };
    let (incremental, clean) = (index(site.output_bytes()), index(site.output_bytes_in("clean")));
    assert!(incremental.len() > kept, "{kept} of {} files kept", incremental.len());
    assert!(incremental == clean, "the index equals a clean build's");
    let terms = clean.iter().filter(|(path, _)| path.ends_with(".bin"));
    assert!(terms.clone().count() > 0);
    let stems =
        terms.map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned()).collect::<String>();
    assert!(stems.contains("زبرجد"), "the new word is in the index");
}

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
        "/search/search.js?v=",
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
    assert!(site.page("search/search.js").contains("\"stop_words\""));
    assert!(
        !site.page("sitemap.xml").contains("/search/"),
        "the search page is not in the sitemap"
    );
}

/// Every file under `search/index/` of the site's output, by name.
fn index_files(site: &SiteTest) -> std::collections::BTreeMap<String, Vec<u8>> {
    let dir = site.public("search/index");
    std::fs::read_dir(&dir)
        .expect("the index folder")
        .map(|entry| {
            let path = entry.expect("an entry").path();
            let name = path.file_name().expect("a name").to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("an index file"))
        })
        .collect()
}

#[test]
fn an_index_rebuilt_from_the_build_cache_equals_a_clean_builds() {
    let site = SiteTest::fixture("search");
    site.build().success();
    // One article edited with a word no other has, one removed, one added.
    let wheat = "content/economy/wheat.md";
    let text = std::fs::read_to_string(site.root().join(wheat)).unwrap();
    site.write(wheat, &text.replace("الربيع.", "الربيع، ومعها شحنة زعفران."));
    std::fs::remove_file(site.root().join("content/tech/apple.md")).unwrap();
    site.write(
        "content/tech/chips.md",
        "+++\ntitle = \"مصنع رقائق جديد في الرياض\"\ndate = 2026-11-20T09:00:00+03:00\n+++\n\n\
         يبدأ المصنع الإنتاج في الربع الأول بمعالجات مخصصة.\n",
    );
    site.build().success().stdout_has("indexed 16 articles for search");
    assert!(site.root().join(".public.midad-bodies").is_file(), "a build cache was used");
    let rebuilt = index_files(&site);
    let terms: Vec<u8> = rebuilt
        .iter()
        .filter(|(name, _)| name.ends_with(".bin"))
        .flat_map(|(_, b)| b.clone())
        .collect();
    let has = |stem: &str| terms.windows(stem.len()).any(|w| w == stem.as_bytes());
    assert!(has("زعفران"), "the edited body's new word is indexed");
    assert!(has("معالجات") || has("معالج"), "the new article's body is indexed");

    site.remove_output();
    site.build().success();
    assert_eq!(rebuilt, index_files(&site), "the clean build writes the same index");
}

#[test]
fn a_build_after_a_build_inverts_only_what_was_published_since() {
    let site = SiteTest::fixture("search");
    site.build().success();
    assert!(site.root().join(".public.midad-postings-0").is_file(), "the postings are kept");
    // The newest article: the last document, after the sixteen of the last build.
    site.write(
        "content/tech/chips.md",
        "+++\ntitle = \"مصنع رقائق جديد في الرياض\"\ndate = 2026-11-20T09:00:00+03:00\n+++\n\n\
         يبدأ المصنع الإنتاج في الربع الأول بمعالجات مخصصة.\n",
    );
    site.build().success().stdout_has("16 from the last build's postings");
    assert_index_is_a_clean_builds(&site);
    // The oldest article edited: no document keeps its postings, and the index is still right.
    let israel = "content/politics/israel.md";
    let text = std::fs::read_to_string(site.root().join(israel)).expect("the oldest article");
    site.write(israel, &format!("{text}\nكلمة الزبرجد الجديدة.\n"));
    let edited = site.build().success().stdout();
    assert!(!edited.contains("from the last build's postings"), "{edited}");
    assert_index_is_a_clean_builds(&site);
    // The oldest article's tag changed for another, words the index has already, its text as
    // it was: its postings change with it.
    let text = std::fs::read_to_string(site.root().join(israel)).expect("the oldest article");
    let tagged = |tag: &str| text.replacen("+++\n\n", &format!("tags = [\"{tag}\"]\n+++\n\n"), 1);
    site.write(israel, &tagged("القاهرة"));
    site.build().success();
    site.write(israel, &tagged("التهدئة"));
    let retagged = site.build().success().stdout();
    assert!(!retagged.contains("from the last build's postings"), "{retagged}");
    assert_index_is_a_clean_builds(&site);
}

/// Checks that the index of `site`'s output is the one a clean build writes.
fn assert_index_is_a_clean_builds(site: &SiteTest) {
    let built = index_files(site);
    site.remove_output();
    site.build().success();
    assert_eq!(built, index_files(site), "the index equals a clean build's");
}

#[test]
fn a_preview_reloads_an_edited_page_first_and_then_the_index() {
    let preview = Preview::start_fixture("search");
    let events = preview.events();
    let root = preview.site.root().to_path_buf();
    let wheat = "content/economy/wheat.md";
    let text = std::fs::read_to_string(root.join(wheat)).unwrap();
    // Open in browsers: the article, and a search (the preview makes the index only then).
    assert_eq!(preview.get("/economy/wheat/").status, 200);
    assert_eq!(preview.get("/search/").status, 200);
    assert_eq!(preview.get("/search/index/meta.json").status, 200);
    crate::serve::save_atomic(&root, wheat, &text.replace("الربيع.", "الربيع، ومعها شحنة زعفران."));

    // The page's reload does not wait for the index: it lists none of its files.
    let page = events.reload_of("/economy/wheat/");
    assert!(!page.iter().any(|p| p.starts_with("/search/")), "{page:?}");
    // The index follows as a change of its own, and is then what a clean build writes.
    let index = events.reload_of("/search/index/meta.json");
    assert!(index.iter().all(|p| p.starts_with("/search/index/")), "{index:?}");
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    let args = ["build", "--base-url", &preview.url, "--output", out.to_str().unwrap()];
    preview.site.run(&args).success();
    let built: Vec<_> = std::fs::read_dir(out.join("search/index")).unwrap().collect();
    assert!(built.len() > 2, "manifest, term and document files");
    for entry in built {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (status, _, served) = preview.get_bytes(&format!("/search/index/{name}"));
        assert_eq!(status, 200, "{name}");
        assert!(served == std::fs::read(&path).unwrap(), "{name} differs from a clean build");
    }
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
    let script = site.public("search/search.js");
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
    // One result: no «more» button on the screen.
    let shown =
        session.run("return document.getElementById('search-more').getClientRects().length");
    assert_eq!(shown, 0, "the «more» button is hidden");
    // A query with no word the index keeps (a stop word, a lone digit) finds nothing, and says so.
    for query in ["في", "1.9%"] {
        session.go(&format!("{base}/search/?q={}", url_encode(query)));
        session.wait_until(
            &format!("the status for {query}"),
            "return document.getElementById('search-status').textContent.length > 0",
        );
        let status = session.run("return document.getElementById('search-status').textContent");
        assert_eq!(status, "لا نتائج", "{query}");
        let results = session.run("return document.querySelectorAll('#search-results li').length");
        assert_eq!(results, 0, "{query}");
    }
}

/// Queries on the bundled example site, as readers type them (written by a session that read the
/// articles and checked each in Chromium): the article that must be in the first three results,
/// and one that must not be returned at all.
const EXAMPLE_QUERIES: &[(&str, &str, &str)] = &[
    (
        "اسعار الفائده",
        "/economy/البنك-المركزي-يخفض-أسعار-الفائدة-100-نقطة-أساس-مع-استمرار-تباطؤ-التضخم/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "الفايده",
        "/economy/البنك-المركزي-يخفض-أسعار-الفائدة-100-نقطة-أساس-مع-استمرار-تباطؤ-التضخم/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "ماراثون الاقصر",
        "/sports/انطلاق-ماراثون-طيبة-الدولي-في-الأقصر-بمشاركة-5-آلاف-عداء-من-40-دولة/",
        "/economy/المالية-عجز-الموازنة-يتراجع-إلى-1-9-من-الناتج-في-الربع-الأول-من-العام-المالي/",
    ),
    (
        "اوركسترا",
        "/culture/أوركسترا-القاهرة-الشبابية-تبدأ-جولة-أوروبية-تشمل-6-مدن-بعرض-يمزج-العود-بالموسيقى/",
        "/sports/var-يصل-إلى-ملاعب-دوري-الدرجة-الثانية-بداية-من-الموسم-المقبل/",
    ),
    (
        "الالياف الضوئية",
        "/technology/خطة-لتوصيل-الألياف-الضوئية-إلى-2-4-مليون-منزل-إضافي-بحلول-منتصف-2027/",
        "/sports/الشروق-يقيل-مدربه-ريكاردو-ألميدا-بعد-ساعات-من-خسارة-القمة-أمام-النيل/",
    ),
    (
        "الامن الغذائى",
        "/world/القمة-العربية-تتبنى-خطة-عشرية-للأمن-الغذائي-وتوسيع-التجارة-البينية/",
        "/health/دراسة-النوم-أقل-من-ست-ساعات-يرفع-خطر-ارتفاع-ضغط-الدم-لدى-الشباب/",
    ),
    (
        "إسكواش",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
        "/economy/المالية-عجز-الموازنة-يتراجع-إلى-1-9-من-الناتج-في-الربع-الأول-من-العام-المالي/",
    ),
    (
        "الانيميا",
        "/health/أطباء-التغذية-خمس-عادات-يومية-بسيطة-تحمي-الأطفال-والنساء-من-فقر-الدم/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "الدورى المصرى",
        "/sports/النيل-يتصدر-الدوري-المصري-بعد-فوز-ثمين-على-الشروق-في-الجولة-الثانية-عشرة/",
        "/health/أطباء-التغذية-خمس-عادات-يومية-بسيطة-تحمي-الأطفال-والنساء-من-فقر-الدم/",
    ),
    (
        "مستشفى اطفال بنى سويف",
        "/health/افتتاح-مستشفى-جديد-للأطفال-بسعة-220-سريرا-في-محافظة-بني-سويف/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "بنك رقمى",
        "/economy/paynile-تحصل-على-أول-رخصة-بنك-رقمي-وتستهدف-مليوني-عميل-خلال-عام/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "نموذج لغوى مفتوح المصدر",
        "/technology/إطلاق-نبراس-أول-نموذج-لغوي-مصري-مفتوح-المصدر-يفهم-اللهجات-العربية/",
        "/sports/انطلاق-ماراثون-طيبة-الدولي-في-الأقصر-بمشاركة-5-آلاف-عداء-من-40-دولة/",
    ),
    (
        "التضخم فى اكتوبر",
        "/economy/التضخم-السنوي-في-المدن-يتراجع-إلى-11-8-في-أكتوبر-بدعم-من-أسعار-الغذاء/",
        "/technology/فريق-طلابي-يفوز-بمسابقة-الروبوتات/",
    ),
    (
        "الحكومه",
        "/politics/رئيس-الوزراء-يعلن-حركة-محافظين-جديدة-تشمل-11-محافظة-وتعيين-أربعة-نواب/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "عجز الموازنه",
        "/economy/المالية-عجز-الموازنة-يتراجع-إلى-1-9-من-الناتج-في-الربع-الأول-من-العام-المالي/",
        "/culture/بيت-على-الشاطئ-تعيد-الجمهور-إلى-مسرح-النهر-بعد-ثلاث-سنوات-من-الترميم/",
    ),
    (
        "موجه حاره",
        "/health/الصحة-تحذر-من-موجة-حارة-متأخرة-وتدعو-إلى-شرب-الماء-بانتظام/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "قناه السويس",
        "/economy/nileforge-تضخ-450-مليون-دولار-لإنشاء-مصنع-للصلب-الأخضر-في-العين-السخنة/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "الشركات الناشئه",
        "/technology/شركة-ناشئة-مصرية-تطلق-واجهة-برمجية-مفتوحة-لتحليل-النصوص-العربية-ولهجاتها/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "والمغرب",
        "/world/مصر-والمغرب-توقعان-اتفاقية-لمضاعفة-التبادل-التجاري-إلى-2-5-مليار-دولار/",
        "/health/انطلاق-حملة-قومية-لتطعيم-16-مليون-طفل-ضد-شلل-الأطفال-صباح-اليوم/",
    ),
    (
        "والطاقة المتجددة",
        "/politics/لجنة-العلاقات-الخارجية-بالبرلمان-توافق-على-ثلاث-اتفاقيات-للربط-الكهربائي-والطاقة/",
        "/culture/مهرجان-النيل-للفيلم-القصير/",
    ),
    (
        "اتفاقيات بالبرلمان",
        "/politics/لجنة-العلاقات-الخارجية-بالبرلمان-توافق-على-ثلاث-اتفاقيات-للربط-الكهربائي-والطاقة/",
        "/sports/الشروق-يقيل-مدربه-ريكاردو-ألميدا-بعد-ساعات-من-خسارة-القمة-أمام-النيل/",
    ),
    (
        "بطولة للاسكواش",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
        "/technology/خطة-لتوصيل-الألياف-الضوئية-إلى-2-4-مليون-منزل-إضافي-بحلول-منتصف-2027/",
    ),
    (
        "مصنع الصلب بالعين السخنة",
        "/economy/nileforge-تضخ-450-مليون-دولار-لإنشاء-مصنع-للصلب-الأخضر-في-العين-السخنة/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "للحكومة",
        "/politics/رئيس-الوزراء-يعلن-حركة-محافظين-جديدة-تشمل-11-محافظة-وتعيين-أربعة-نواب/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "والاقتصاد",
        "/economy/nileforge-تضخ-450-مليون-دولار-لإنشاء-مصنع-للصلب-الأخضر-في-العين-السخنة/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "اقتص",
        "/economy/nileforge-تضخ-450-مليون-دولار-لإنشاء-مصنع-للصلب-الأخضر-في-العين-السخنة/",
        "/health/دراسة-النوم-أقل-من-ست-ساعات-يرفع-خطر-ارتفاع-ضغط-الدم-لدى-الشباب/",
    ),
    (
        "ريكارد",
        "/sports/الشروق-يقيل-مدربه-ريكاردو-ألميدا-بعد-ساعات-من-خسارة-القمة-أمام-النيل/",
        "/technology/إطلاق-نبراس-أول-نموذج-لغوي-مصري-مفتوح-المصدر-يفهم-اللهجات-العربية/",
    ),
    (
        "نبرا",
        "/technology/إطلاق-نبراس-أول-نموذج-لغوي-مصري-مفتوح-المصدر-يفهم-اللهجات-العربية/",
        "/world/قافلة-مساعدات-عربية-تحمل-900-طن-من-الغذاء-والدواء-لمتضرري-السيول/",
    ),
    (
        "شلل الاطف",
        "/health/انطلاق-حملة-قومية-لتطعيم-16-مليون-طفل-ضد-شلل-الأطفال-صباح-اليوم/",
        "/world/430-كيلومترا-من-السكك-الحديدية-لربط-موانئ-الخليج-بالمناطق-اللوجستية/",
    ),
    (
        "NileForge",
        "/economy/nileforge-تضخ-450-مليون-دولار-لإنشاء-مصنع-للصلب-الأخضر-في-العين-السخنة/",
        "/culture/معرض-للتراث-النوبي-في-الفسطاط-يضم-200-قطعة-من-المشغولات-اليدوية-النادرة/",
    ),
    (
        "nileforge",
        "/economy/nileforge-تضخ-450-مليون-دولار-لإنشاء-مصنع-للصلب-الأخضر-في-العين-السخنة/",
        "/culture/بيت-على-الشاطئ-تعيد-الجمهور-إلى-مسرح-النهر-بعد-ثلاث-سنوات-من-الترميم/",
    ),
    (
        "VAR",
        "/sports/var-يصل-إلى-ملاعب-دوري-الدرجة-الثانية-بداية-من-الموسم-المقبل/",
        "/culture/معرض-الدلتا-الدولي-للكتاب-ينطلق-في-المنصورة-بمشاركة-350-دار-نشر/",
    ),
    (
        "450",
        "/economy/nileforge-تضخ-450-مليون-دولار-لإنشاء-مصنع-للصلب-الأخضر-في-العين-السخنة/",
        "/health/انطلاق-حملة-قومية-لتطعيم-16-مليون-طفل-ضد-شلل-الأطفال-صباح-اليوم/",
    ),
    (
        "٤٥٠",
        "/economy/nileforge-تضخ-450-مليون-دولار-لإنشاء-مصنع-للصلب-الأخضر-في-العين-السخنة/",
        "/health/انطلاق-حملة-قومية-لتطعيم-16-مليون-طفل-ضد-شلل-الأطفال-صباح-اليوم/",
    ),
    (
        "١٦ مليون طفل",
        "/health/انطلاق-حملة-قومية-لتطعيم-16-مليون-طفل-ضد-شلل-الأطفال-صباح-اليوم/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "٢٢٠ سرير",
        "/health/افتتاح-مستشفى-جديد-للأطفال-بسعة-220-سريرا-في-محافظة-بني-سويف/",
        "/sports/var-يصل-إلى-ملاعب-دوري-الدرجة-الثانية-بداية-من-الموسم-المقبل/",
    ),
    (
        "٩٠٠ طن",
        "/world/قافلة-مساعدات-عربية-تحمل-900-طن-من-الغذاء-والدواء-لمتضرري-السيول/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "2035",
        "/world/القمة-العربية-تتبنى-خطة-عشرية-للأمن-الغذائي-وتوسيع-التجارة-البينية/",
        "/health/أطباء-التغذية-خمس-عادات-يومية-بسيطة-تحمي-الأطفال-والنساء-من-فقر-الدم/",
    ),
    (
        "٢٠٣٥",
        "/world/القمة-العربية-تتبنى-خطة-عشرية-للأمن-الغذائي-وتوسيع-التجارة-البينية/",
        "/health/أطباء-التغذية-خمس-عادات-يومية-بسيطة-تحمي-الأطفال-والنساء-من-فقر-الدم/",
    ),
    (
        "معرض الكتاب المنصورة",
        "/culture/معرض-الدلتا-الدولي-للكتاب-ينطلق-في-المنصورة-بمشاركة-350-دار-نشر/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "قافلة مساعدات الصومال",
        "/world/قافلة-مساعدات-عربية-تحمل-900-طن-من-الغذاء-والدواء-لمتضرري-السيول/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "البحر الاحمر الملاحة",
        "/politics/القاهرة-تستضيف-اجتماعا-وزاريا-لدول-البحر-الأحمر-لبحث-أمن-الملاحة-وحركة-التجارة/",
        "/health/افتتاح-مستشفى-جديد-للأطفال-بسعة-220-سريرا-في-محافظة-بني-سويف/",
    ),
    (
        "قانون الادارة المحلية",
        "/politics/مجلس-النواب-يقر-قانون-الإدارة-المحلية-الجديد-بأغلبية-الثلثين-بعد-جلسة-ماراثونية/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "حكم الفيديو",
        "/sports/var-يصل-إلى-ملاعب-دوري-الدرجة-الثانية-بداية-من-الموسم-المقبل/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
    (
        "ذكاء اصطناعي",
        "/technology/إطلاق-نبراس-أول-نموذج-لغوي-مصري-مفتوح-المصدر-يفهم-اللهجات-العربية/",
        "/sports/المصرية-ليلى-عبد-الرحمن-تتوج-بلقب-بطولة-الأهرامات-الدولية-للاسكواش-للمرة-الثانية/",
    ),
];

/// Every query of [`EXAMPLE_QUERIES`] on the bundled site through `midad serve`.
#[test]
fn readers_find_the_bundled_sites_articles() {
    let Some(driver) = crate::webdriver::Driver::start_if_enabled() else { return };
    let preview = Preview::start_example();
    let session = driver.session();
    let base = preview.url.trim_end_matches('/');
    let script = "return [...document.querySelectorAll('#search-results a')]\
                  .map(a => decodeURIComponent(a.pathname))";
    let mut failures = Vec::new();
    for &(query, expected, unrelated) in EXAMPLE_QUERIES {
        let shown = results_of(&session, base, query, script);
        let all = all_results_of(&session);
        if !shown.iter().take(3).any(|p| p == expected) || all.iter().any(|p| p == unrelated) {
            failures.push(format!(
                "{query}: expected {expected} in the top 3, never {unrelated}; got {shown:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The paths of the results shown for `query`, once the page has announced them.
fn results_of(
    session: &crate::webdriver::Session<'_>,
    base: &str,
    query: &str,
    script: &str,
) -> Vec<String> {
    session.go(&format!("{base}/search/?q={}", url_encode(query)));
    session.wait_until(
        &format!("results for {query}"),
        "return document.getElementById('search-status').textContent.length > 0",
    );
    serde_json::from_value(session.run(script)).expect("a list of paths")
}

/// Every result of the query on the page: «more» clicked until it hides.
fn all_results_of(session: &crate::webdriver::Session<'_>) -> Vec<String> {
    let count = "return document.querySelectorAll('#search-results li').length";
    for _ in 0..20 {
        let before = session.run(count);
        let clicked = session.run(
            "const b = document.getElementById('search-more'); \
             if (b.hidden) return false; b.click(); return true",
        );
        if clicked != serde_json::Value::Bool(true) {
            break;
        }
        session.wait_until(
            "more results",
            &format!(
                "return document.querySelectorAll('#search-results li').length > {before} \
                 || document.getElementById('search-more').hidden"
            ),
        );
    }
    let links = session.run(
        "return [...document.querySelectorAll('#search-results a')]\
         .map(a => decodeURIComponent(a.pathname))",
    );
    serde_json::from_value(links).expect("a list of paths")
}

fn url_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
