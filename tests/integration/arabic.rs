//! `[arabic]` settings change every page: month names, digits, the Hijri date, slug style.

use crate::harness::SiteTest;

const CAIRO: &str = "politics/القاهرة-تستضيف-قمة-الطاقة/index.html";

fn build_with(arabic: &str) -> SiteTest {
    let site = SiteTest::fixture("arabic");
    site.write(
        "config.toml",
        &format!("title = \"اختبار العربية\"\nbase_url = \"https://news.example/\"\ntimezone = \"Africa/Cairo\"\n\n[arabic]\n{arabic}\n"),
    );
    site.build().success();
    site
}

#[test]
fn defaults_are_egyptian_months_latin_digits_and_hijri() {
    let site = build_with("");
    let html = site.page(CAIRO);
    assert!(html.contains("29 نوفمبر 2026"), "{html}");
    assert!(html.contains("19 جمادى الآخرة 1448 هـ"), "the Umm al-Qura date: {html}");
    assert!(html.contains(r#"<time datetime="2026-11-29T09:30:00+02:00">"#), "{html}");
    // Two authors, one a woman: the verb is masculine, the names are joined with «و».
    assert!(html.contains("كتب"), "{html}");
    assert!(
        html.contains("<bdi>هدى منصور</bdi>") && html.contains("<bdi>كريم فتحي</bdi>"),
        "{html}"
    );
    // Ramadan 1447 starts on 18 February 2026: 1 March 2026 is 12 Ramadan.
    let iphone = site.page("politics/iphone-17-يصل-إلى-مصر/index.html");
    assert!(iphone.contains("12 رمضان 1447 هـ"), "{iphone}");
    assert!(iphone.contains("1 مارس 2026"), "{iphone}");
    assert!(iphone.contains("كتبت"), "a woman's byline: {iphone}");
    assert!(iphone.contains("دقيقة واحدة"), "reading time of a short article: {iphone}");
}

#[test]
fn levant_months_and_arabic_indic_digits() {
    let site = build_with("months = \"levant\"\ndigits = \"arab\"");
    let html = site.page(CAIRO);
    assert!(html.contains("٢٩ تشرين الثاني ٢٠٢٦"), "{html}");
    assert!(html.contains("١٩ جمادى الآخرة ١٤٤٨ هـ"), "{html}");
    // The machine-readable value keeps ASCII digits.
    assert!(html.contains(r#"datetime="2026-11-29T09:30:00+02:00""#), "{html}");
    assert!(!html.contains("29 نوفمبر"), "{html}");
}

#[test]
fn maghreb_and_algeria_tunisia_and_both() {
    let html = build_with("months = \"maghreb\"").page(CAIRO);
    assert!(html.contains("29 نونبر 2026"), "{html}");
    let html = build_with("months = \"algeria_tunisia\"")
        .page("politics/iphone-17-يصل-إلى-مصر/index.html");
    assert!(html.contains("1 مارس 2026"), "{html}");
    let html = build_with("months = \"algeria_tunisia\"").page(CAIRO);
    assert!(html.contains("29 نوفمبر 2026"), "{html}");
    let html = build_with("months = \"both\"").page(CAIRO);
    assert!(html.contains("نوفمبر/ تشرين الثاني"), "{html}");
}

#[test]
fn hijri_can_be_turned_off() {
    let html = build_with("hijri = false").page(CAIRO);
    assert!(!html.contains("جمادى"), "{html}");
}

#[test]
fn latin_slugs_transliterate() {
    let site = build_with("slug_style = \"latin\"");
    let files = site.files();
    let article = files
        .iter()
        .find(|f| f.starts_with("politics/al-qahira") || f.starts_with("politics/al-qa"))
        .cloned();
    let article = article.unwrap_or_else(|| panic!("no transliterated slug in {files:#?}"));
    assert!(article.is_ascii(), "{article}");
    assert!(files.iter().all(|f| f.is_ascii()), "every URL is Latin: {files:#?}");
}
