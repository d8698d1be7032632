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

/// A web server on loopback answering `/ok` with 200 and anything else with 404, counting the
/// requests it gets.
fn tiny_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut first = String::new();
            let _ = reader.read_line(&mut first);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let status =
                if first.split(' ').nth(1) == Some("/ok") { "200 OK" } else { "404 Not Found" };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (address, requests)
}

#[test]
fn check_external_reports_broken_links_and_never_fails_on_the_network() {
    let (server, requests) = tiny_server();
    // A port nothing listens on: bound, then let go.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let unreachable = format!("http://{}/x", closed.local_addr().expect("address"));
    drop(closed);
    let site = SiteTest::fixture("basic");
    site.write(
        "content/economy/links.md",
        &format!(
            "---\ntitle: \"روابط خارجية\"\ndate: 2026-11-20T10:00:00+02:00\nslug: links\n---\n\
             [تقرير]({server}/ok) و[تقرير محذوف]({server}/gone).\n\n\
             [مرة أخرى]({server}/ok) [لا يجيب]({unreachable})\n"
        ),
    );
    // Without `--external`, nothing is requested.
    site.run(&["check"]).success();
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 0);

    let run = site.run(&["check", "--external"]);
    run.fails_with(1).stderr_has("check failed: 1 error, 1 warning in 1 file");
    let column = server.chars().count() + 29;
    assert_eq!(
        reported(&run.stderr(), "error"),
        [format!(
            "content/economy/links.md:6:{column}: `{server}/gone` answers 404 Not Found: the page is not there"
        )]
    );
    let warnings = reported(&run.stderr(), "warning");
    assert_eq!(warnings.len(), 1, "{}", run.stderr());
    assert!(warnings[0].starts_with("content/economy/links.md:8:"), "{warnings:?}");
    assert!(warnings[0].contains(&format!("`{unreachable}` could not be checked")), "{warnings:?}");
    let asked = requests.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        (2..=3).contains(&asked),
        "each address once (a HEAD answered 404 is asked again with GET): {asked}"
    );

    // The next check the same day asks nothing of what it knows.
    site.write(
        "content/economy/links.md",
        &std::fs::read_to_string(site.root().join("content/economy/links.md"))
            .expect("read")
            .replace(&format!("({server}/gone)"), "(/economy/)"),
    );
    let run = site.run(&["check", "--external"]);
    run.success().stdout_has("and 2 external links (1 requested, 1 from the last day's checks)");
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), asked, "the cache answered");
    assert!(!site.root().join("public").exists(), "check wrote no output");
}
