//! Internal links, images and anchors of article bodies: warnings in a build, errors in
//! `midad check`, at the line and column where each address is written.

use crate::harness::SiteTest;

/// An article whose body points at pages, files, images and anchors of the `basic` fixture,
/// some of which do not exist. Its body starts on line 6 of the file.
const ARTICLE: &str = "\
---
title: \"روابط الخبر\"
date: 2026-11-20T10:00:00+02:00
slug: links
---
مقدمة الخبر مع [قسم الاقتصاد](/economy/) و[خبر الفائدة](../البنك-المركزي-يثبت-أسعار-الفائدة/).

انظر [صفحة لا توجد](/no/such/page/) و[الوسم](/tags/%D8%A7%D9%84%D9%85%D9%88%D8%A7%D8%B2%D9%86%D8%A9/).

![مبنى الوزارة](/images/ministry.svg) ![صورة غائبة](missing.jpg)

[إلى الخلاصة](#الخلاصة) [إلى قسم غائب](#لا-يوجد) [المحتوى](/economy/#main) [مرساة غائبة](/economy/#nothing)

<a href=\"/politics/nowhere/\">رابط في HTML</a> [موقع آخر](https://example.org/x) [بريد](mailto:news@example.com)

## الخلاصة

نص الخلاصة.
";

const EXPECTED: [&str; 5] = [
    "content/economy/links.md:8:21: `/no/such/page/` is no page or file of the site",
    "content/economy/links.md:10:53: the image `missing.jpg` is not among the site's files",
    "content/economy/links.md:12:40: `#لا-يوجد` names the anchor `#لا-يوجد`, which `/economy/links/` does not have",
    "content/economy/links.md:12:90: `/economy/#nothing` names the anchor `#nothing`, which `/economy/` does not have",
    "content/economy/links.md:14:10: `/politics/nowhere/` is no page or file of the site",
];

/// The diagnostics of one severity in a run's stderr, first lines only.
fn reported(stderr: &str, severity: &str) -> Vec<String> {
    let prefix = format!("{severity}: ");
    let lines = stderr.lines().filter_map(|line| line.strip_prefix(&prefix));
    lines.filter(|line| line.starts_with("content/")).map(str::to_string).collect()
}

#[test]
fn broken_internal_links_are_warnings_in_a_build_and_errors_in_check() {
    let site = SiteTest::fixture("basic");
    site.write("content/economy/links.md", ARTICLE);

    let run = site.build();
    run.success();
    assert_eq!(reported(&run.stderr(), "warning"), EXPECTED, "{}", run.stderr());
    assert!(site.public("economy/links/index.html").is_file(), "the build still wrote the site");

    // A second build takes the body from the build cache, with what it points at.
    let again = site.build();
    again.success();
    assert_eq!(reported(&again.stderr(), "warning"), EXPECTED, "{}", again.stderr());

    let check = site.run(&["check"]);
    check.fails_with(1).stderr_has("check failed: 5 errors in 1 file");
    assert_eq!(reported(&check.stderr(), "error"), EXPECTED, "{}", check.stderr());
    check.stderr_has("= hint: correct the address;");

    // Mended, the site checks clean.
    let mended = ARTICLE
        .replace("/no/such/page/", "/politics/")
        .replace("missing.jpg", "/images/ministry.svg")
        .replace("#لا-يوجد", "#الخلاصة")
        .replace("#nothing", "#top")
        .replace("/politics/nowhere/", "/economy/links/");
    site.write("content/economy/links.md", &mended);
    site.run(&["check"]).success().stdout_has(": no errors");
    let run = site.build();
    run.success();
    assert_eq!(reported(&run.stderr(), "warning"), Vec::<String>::new(), "{}", run.stderr());
}

#[test]
fn a_site_under_a_path_checks_addresses_with_its_base() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).expect("config");
    let config = config
        .lines()
        .map(|line| {
            if line.starts_with("base_url") {
                "base_url = \"https://example.com/ar/\"".to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    site.write("config.toml", &config);
    site.write(
        "content/economy/links.md",
        "---\ntitle: \"روابط\"\ndate: 2026-11-20T10:00:00+02:00\nslug: links\n---\n\
         [القسم](/ar/economy/) [الموقع كله](https://example.com/ar/) [موقع إنجليزي](/en/economy/)\n\n\
         [غائب](/ar/economy/none/) [غائب أيضًا](https://example.com/ar/none/)\n",
    );
    let check = site.run(&["check"]);
    check.fails_with(1);
    assert_eq!(
        reported(&check.stderr(), "error"),
        [
            "content/economy/links.md:8:8: `/ar/economy/none/` is no page or file of the site",
            "content/economy/links.md:8:40: `https://example.com/ar/none/` leads to `/ar/none/`, which is no page or file of the site",
        ],
        "{}",
        check.stderr()
    );
}
