//! «لا يفوتك»: related articles from shared tags, normalised words and the section.

use crate::harness::SiteTest;

/// The titles in the related block of an article page, in order.
fn related_titles(site: &SiteTest, page: &str) -> Vec<String> {
    let html = site.page(page);
    let start = html.find("block--related").unwrap_or_else(|| panic!("no related block in {page}"));
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    let block = &html[start..end];
    [
        "إسرائيل توسع",
        "الأمم المتحدة تدين",
        "قمة المناخ",
        "الأهلي يفوز",
        "الزمالك يرد",
        "بطولة التنس",
        "البنك المركزي",
    ]
    .iter()
    .filter_map(|t| block.find(t).map(|at| (at, t.to_string())))
    .collect::<std::collections::BTreeMap<_, _>>()
    .into_values()
    .collect()
}

#[test]
fn related_articles_are_what_a_person_would_pick() {
    let site = SiteTest::fixture("related");
    site.build().success();
    // A shared tag and «الإسرائيلى»/«إسرائيل», «فى»/«في» spelt differently still meet.
    let settlements =
        related_titles(&site, "world/إسرائيل-توسع-الاستيطان-في-الضفة-الغربية/index.html");
    assert_eq!(
        settlements.first().map(String::as_str),
        Some("الأمم المتحدة تدين"),
        "{settlements:?}"
    );
    // The derby and its follow-up share a tag and two names (one spelt «الأهلى»).
    let derby = related_titles(&site, "sports/الأهلي-يفوز-على-الزمالك-في-قمة-الدوري/index.html");
    assert_eq!(derby.first().map(String::as_str), Some("الزمالك يرد"), "{derby:?}");
    assert!(!derby.iter().any(|t| t == "البنك المركزي" || t == "إسرائيل توسع"), "{derby:?}");
    let reply = related_titles(&site, "sports/الزمالك-يرد-على-خسارة-القمة-أمام-الأهلى/index.html");
    assert_eq!(reply.first().map(String::as_str), Some("الأهلي يفوز"), "{reply:?}");
}
