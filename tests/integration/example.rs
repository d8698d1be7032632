//! The bundled example site builds, with every section and Arabic slugs.

use crate::harness::SiteTest;

#[test]
fn bundled_example_site_builds() {
    let site = SiteTest::example_site();
    let run = site.build();
    run.success();
    assert!(!run.stderr().contains("warning"), "the example site has warnings:\n{}", run.stderr());
    let files = site.files();
    let articles =
        files.iter().filter(|f| f.matches('/').count() == 2 && f.ends_with("/index.html")).count();
    assert!(articles >= 40, "only {articles} article pages");
    for section in ["politics", "economy", "world", "sports", "culture", "technology", "health"] {
        assert!(files.contains(&format!("{section}/index.html")), "no section {section}");
    }
    // Slugs keep Arabic and have no tashkeel.
    let arabic_slugs =
        files.iter().filter(|f| f.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c))).count();
    assert!(arabic_slugs >= 40, "{arabic_slugs} Arabic paths");
    assert!(
        !files.iter().any(|f| f.chars().any(|c| ('\u{064B}'..='\u{0652}').contains(&c))),
        "tashkeel in a URL"
    );
    let home = site.page("index.html");
    assert!(home.contains(r#"<html lang="ar" dir="rtl">"#));
}
