//! `midad build` on the `basic` fixture: pages, URLs, direction, code, figures, pagination,
//! drafts and embargoes, template overrides.

use crate::harness::{SiteTest, built_and_kept, main_of};

/// The slug of «الحكومةُ تُعلن: موازنة 2027!»: tashkeel and punctuation gone, Arabic kept.
const BUDGET: &str = "politics/الحكومة-تعلن-موازنة-2027/";

#[test]
fn builds_every_page_kind() {
    let site = SiteTest::fixture("basic");
    site.build().success().stdout_has("built ").stdout_has("skipped 1 drafts and 1 embargoed");
    let files = site.files();
    for expected in [
        "index.html",
        "404.html",
        "politics/index.html",
        "politics/page/2/index.html",
        "economy/index.html",
        &format!("{BUDGET}index.html"),
        "politics/البرلمان-يناقش-الموازنة/index.html",
        "politics/البرلمان-يناقش-الموازنة/cover.svg",
        "politics/خبر-قديم-عن-الانتخابات/index.html",
        "economy/البنك-المركزي-يثبت-أسعار-الفائدة/index.html",
        "tags/index.html",
        "tags/الموازنة/index.html",
        "authors/index.html",
        "authors/sara/index.html",
        "authors/أحمد-سمير/index.html",
        "css/syntax.css",
        "css/akhbar.css",
        "images/ministry.svg",
    ] {
        assert!(files.iter().any(|f| f == expected), "missing {expected} in {files:#?}");
    }
    let html_pages = files.iter().filter(|f| f.ends_with(".html")).count();
    // home, 404, search, 2 politics pages, 1 economy, 4 articles, tags index + 4 tags, authors
    // index + 3, archive index + 2026 (one page) + November (2 pages) + October.
    assert_eq!(html_pages, 1 + 1 + 1 + 2 + 1 + 4 + 1 + 4 + 1 + 3 + 1 + 1 + 2 + 1, "{files:#?}");
}

#[test]
fn pages_are_arabic_and_right_to_left() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    for page in [
        "index.html",
        "404.html",
        "politics/index.html",
        &format!("{BUDGET}index.html"),
        "tags/index.html",
    ] {
        let html = site.page(page);
        assert!(html.contains(r#"<html lang="ar" dir="rtl">"#), "{page}: no lang/dir");
    }
}

#[test]
fn block_direction_comes_from_strong_characters() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let html = site.page(&format!("{BUDGET}index.html"));
    let body = main_of(&html);
    assert!(body.contains(r#"<p dir="ltr">The ministry said"#), "{body}");
    assert!(
        body.contains("<p>Apple تعلن عن استثمارات"),
        "an Arabic block starting with a Latin word keeps the page direction: {body}"
    );
    assert!(body.contains(r#"<li dir="ltr">Education spending"#), "{body}");
    assert!(body.contains("<li>زيادة الإنفاق"), "{body}");
    assert!(!body.contains(r#"dir="auto""#), "no blanket dir=auto: {body}");
}

#[test]
fn code_is_left_to_right_and_highlighted() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let html = site.page(&format!("{BUDGET}index.html"));
    assert!(html.contains(r#"<pre class="code" dir="ltr" data-lang="python">"#), "{html}");
    assert!(html.contains(r#"<code dir="ltr">deficit = spend - revenue</code>"#), "{html}");
    assert!(html.contains("hl-"), "highlight classes: {html}");
    let css = site.page("css/syntax.css");
    assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"), "{css}");
}

#[test]
fn titled_images_become_figures_and_heading_ids_keep_arabic() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let html = site.page(&format!("{BUDGET}index.html"));
    assert!(html.contains("<figure>"), "{html}");
    assert!(html.contains("<figcaption>مبنى وزارة المالية في القاهرة</figcaption>"), "{html}");
    assert!(html.contains(r#"id="الإنفاق-على-التعليم""#), "{html}");
}

#[test]
fn pagination_links_both_ways() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let first = site.page("politics/index.html");
    let second = site.page("politics/page/2/index.html");
    assert!(first.contains(r#"<link rel="next" href="/politics/page/2/">"#), "{first}");
    assert!(!first.contains(r#"rel="prev""#), "{first}");
    assert!(second.contains(r#"<link rel="prev" href="/politics/">"#), "{second}");
    // Newest first: the budget (28 Nov) and the bundle (27 Nov) on page 1, the October one on page 2.
    assert!(main_of(&first).contains("البرلمان يناقش الموازنة"));
    assert!(main_of(&second).contains("خبر قديم عن الانتخابات"));
}

#[test]
fn drafts_and_embargoed_articles_are_left_out_unless_asked() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let files = site.files().join("\n");
    assert!(!files.contains("مسودة"), "{files}");
    assert!(!files.contains("محظور"), "{files}");

    site.run(&["build", "--drafts", "--future"]).success();
    let files = site.files().join("\n");
    assert!(files.contains("politics/مسودة-لم-تنشر/index.html"), "{files}");
    assert!(files.contains("politics/خبر-محظور-حتى-يناير/index.html"), "{files}");
}

#[test]
fn article_shows_byline_dates_image_and_sidebars() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let html = site.page("politics/البرلمان-يناقش-الموازنة/index.html");
    assert!(html.contains(r#"src="/politics/البرلمان-يناقش-الموازنة/cover.svg""#), "{html}");
    assert!(html.contains("جلسة البرلمان"), "caption: {html}");
    assert!(html.contains("كتب"), "byline: {html}");
    assert!(html.contains("<bdi>عمر ناصر</bdi>"), "{html}");
    assert!(html.contains(r#"datetime="2026-11-27T10:00:00+02:00""#), "{html}");
    let budget = site.page(&format!("{BUDGET}index.html"));
    assert!(budget.contains("كتبت"), "a woman's byline: {budget}");
    // Most read comes from data/most_read.toml, by content path and by URL.
    let home = site.page("index.html");
    let rates = home.find("البنك المركزي يثبت أسعار الفائدة").expect("most read 1");
    assert!(home[rates..].contains("الحكومة"), "most read 2 after 1");
}

#[test]
fn local_dates_are_read_in_the_site_time_zone() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let html = site.page("politics/خبر-قديم-عن-الانتخابات/index.html");
    // Cairo is on +03:00 in October 2026 (summer time).
    assert!(html.contains(r#"datetime="2026-10-01T12:00:00+03:00""#), "{html}");
}

#[test]
fn site_templates_override_the_theme() {
    let site = SiteTest::fixture("basic");
    site.write(
        "templates/404.html",
        "<!doctype html><title>x</title><p>صفحة مخصصة {{ site.title }}</p>",
    );
    site.build().success();
    assert_eq!(
        site.page("404.html"),
        "<!doctype html><title>x</title><p>صفحة مخصصة أخبار الاختبار</p>"
    );
}

#[test]
fn shared_templates_are_rendered_once_and_shown_on_every_page() {
    let site = SiteTest::fixture("basic");
    // The site's own footer replaces the theme's on every page; a new shared template is
    // available to the site's templates as `shared.<name>`, escaped when it was rendered.
    site.write(
        "templates/shared/footer.html",
        "<footer>تذييل {{ site.title }} {{ nav | length }} <b>&</b> {{ \"<i>\" }}</footer>\n",
    );
    site.write("templates/shared/promo.html", "<aside>{{ t.most_read }}</aside>");
    site.write(
        "templates/404.html",
        "<!doctype html><title>x</title>{{ shared.promo | safe }}{{ shared.footer | safe }}",
    );
    site.build().success();
    let footer = "<footer>تذييل أخبار الاختبار 2 <b>&</b> &lt;i&gt;</footer>\n";
    assert_eq!(
        site.page("404.html"),
        format!("<!doctype html><title>x</title><aside>الأكثر قراءة</aside>{footer}")
    );
    let pages: Vec<String> = site.files().into_iter().filter(|f| f.ends_with(".html")).collect();
    for page in pages.iter().filter(|p| *p != "404.html") {
        let html = site.page(page);
        if html.contains("http-equiv=\"refresh\"") {
            continue; // an alias's redirect page
        }
        assert_eq!(html.matches(footer).count(), 1, "{page}");
        assert!(!html.contains("site-footer"), "{page} still has the theme's footer");
    }
    // The theme's most-read block, rendered once, is on the article pages.
    let article = site.page("politics/الحكومة-تعلن-موازنة-2027/index.html");
    assert!(article.contains("block--ranked"), "{article}");
}

#[test]
fn card_templates_are_rendered_once_per_article_and_kept_in_its_summary() {
    let site = SiteTest::fixture("basic");
    // The site's own related card replaces the theme's under every article; a new card template
    // is in every summary as `item.cards.<name>`, escaped when it was rendered.
    site.write(
        "templates/cards/related.html",
        "<p class=\"rel\">{{ item.title }} | {{ site.title }} | {{ nav | length }}</p>",
    );
    site.write("templates/cards/mini.html", "<i>{{ item.url }}</i>{{ \"<b>\" }}");
    site.write(
        "templates/404.html",
        "<!doctype html><title>x</title>{% for item in most_read %}{{ item.cards.mini | safe }}{% endfor %}",
    );
    site.build().success();
    let article = site.page("politics/الحكومة-تعلن-موازنة-2027/index.html");
    assert!(!article.contains("card--row"), "the theme's related card is replaced: {article}");
    let related: Vec<&str> = article.matches("<p class=\"rel\">").collect();
    assert!(!related.is_empty(), "{article}");
    assert!(article.contains(" | أخبار الاختبار | 2</p>"), "{article}");
    let not_found = site.page("404.html");
    assert!(not_found.starts_with("<!doctype html><title>x</title><i>/"), "{not_found}");
    assert!(not_found.contains("</i>&lt;b&gt;"), "{not_found}");
    // The listings still show the theme's own listing cards.
    assert!(site.page("economy/index.html").contains("card--row"));
}

#[test]
fn base_url_flag_and_output_flag() {
    let site = SiteTest::fixture("basic");
    site.run(&["build", "--base-url", "https://example.org/ar", "--output", "out"]).success();
    let html = std::fs::read_to_string(site.root().join("out/index.html")).unwrap();
    assert!(html.contains(r#"<link rel="canonical" href="https://example.org/ar/">"#), "{html}");
    assert!(html.contains(r#"href="/ar/politics/""#), "{html}");
}

#[test]
fn front_matter_cannot_inject_markup() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/economy/xss.md",
        "---\ntitle: \"<script>alert(1)</script> عنوان\"\ndate: 2026-11-20T10:00:00+02:00\nsummary: \"<img src=x onerror=alert(1)>\"\n---\nنص.\n",
    );
    site.build().success();
    let home = site.page("economy/index.html");
    assert!(!home.contains("<script>alert(1)"), "{home}");
    assert!(!home.contains("<img src=x"), "{home}");
    assert!(home.contains("&lt;script&gt;"), "{home}");
}

#[test]
fn slug_collisions_get_stable_suffixes_in_date_order() {
    let site = SiteTest::fixture("basic");
    // Same title as the October article, with and without tashkeel, newer and newest.
    site.write(
        "content/politics/again.md",
        "---\ntitle: \"خبرٌ قديمٌ عن الانتخابات\"\ndate: 2026-11-02T10:00:00+02:00\n---\nنص.\n",
    );
    site.write(
        "content/politics/again2.md",
        "---\ntitle: \"خبر قديم عن الانتخابات\"\ndate: 2026-11-03T10:00:00+02:00\n---\nنص آخر.\n",
    );
    site.build().success();
    let old = site.page("politics/خبر-قديم-عن-الانتخابات/index.html");
    assert!(old.contains("نص خبر قديم عن الانتخابات المحلية"), "the oldest keeps the plain slug");
    assert!(site.page("politics/خبر-قديم-عن-الانتخابات-2/index.html").contains("<p>نص.</p>"));
    assert!(site.page("politics/خبر-قديم-عن-الانتخابات-3/index.html").contains("<p>نص آخر.</p>"));
}

#[test]
fn two_builds_at_the_same_clock_are_byte_identical() {
    let site = SiteTest::example_site();
    site.run(&["build", "--output", "one"]).success();
    site.run(&["build", "--output", "two"]).success();
    let (one, two) = (site.root().join("one"), site.root().join("two"));
    let files = |root: &std::path::Path| {
        let mut files: Vec<_> = crate::harness::walk(root)
            .into_iter()
            .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
            .collect();
        files.sort();
        files
    };
    let listed = files(&one);
    assert_eq!(listed, files(&two), "the two builds wrote different files");
    assert!(listed.len() > 200, "{} files", listed.len());
    for rel in &listed {
        let (a, b) = (std::fs::read(one.join(rel)).unwrap(), std::fs::read(two.join(rel)).unwrap());
        assert!(a == b, "{} differs between two builds", rel.display());
    }
}

/// Each file of `root` by relative path, with its inode.
fn inodes(root: &std::path::Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    crate::harness::walk(root)
        .into_iter()
        .map(|p| {
            let ino = std::fs::metadata(&p).expect("a listed file").ino();
            (p.strip_prefix(root).expect("under root").to_string_lossy().into_owned(), ino)
        })
        .collect()
}

#[test]
fn a_rebuild_keeps_unchanged_files_and_equals_a_clean_build() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let public = site.root().join("public");
    let first = inodes(&public);
    assert!(site.root().join(".public.midad-manifest").is_file(), "the manifest is beside");
    assert!(!first.keys().any(|f| f.contains("manifest")), "and not deployed");

    // Nothing changed: every page and feed is kept as it was (the same file, linked).
    let folder =
        |p: &std::path::Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(p).unwrap());
    let manifest = std::fs::read(site.root().join(".public.midad-manifest")).unwrap();
    let first_folder = folder(&public);
    site.build().success().stdout_has("unchanged pages kept");
    let second = inodes(&public);
    let kept = first.iter().filter(|(f, ino)| second.get(*f) == Some(ino)).count();
    let html = first.keys().filter(|f| f.ends_with(".html")).count();
    assert!(kept >= html, "{kept} files kept of {} ({html} pages)", first.len());
    // In fact the output is left as it is: the same folder, every file, the same manifest.
    assert_eq!(folder(&public), first_folder, "the output of an unchanged site is not swapped");
    assert_eq!(second, first);
    assert_eq!(std::fs::read(site.root().join(".public.midad-manifest")).unwrap(), manifest);

    // One article's text changes: its page is new, the others are kept.
    let budget = "content/politics/budget.md";
    let text = std::fs::read_to_string(site.root().join(budget)).unwrap();
    site.write(
        budget,
        &text.replace("balances growth and debt", "balances growth and public debt"),
    );
    site.build().success();
    let third = inodes(&public);
    assert_ne!(folder(&public), first_folder, "a changed site's output is swapped");
    let page = "politics/الحكومة-تعلن-موازنة-2027/index.html";
    assert_ne!(third[page], second[page], "the edited article is rendered again");
    assert!(site.page(page).contains("public debt"));
    let rates = third
        .keys()
        .find(|f| {
            f.starts_with("economy/") && f.ends_with("/index.html") && f.matches('/').count() == 2
        })
        .unwrap()
        .clone();
    assert_eq!(third[&rates], second[&rates], "{rates} is kept");
    assert_eq!(third["politics/index.html"], second["politics/index.html"], "the section is kept");

    // Its title changes: the pages and feeds that show it are rendered again, with the bodies of
    // the other articles rendered from their Markdown on demand (the build cache has only their
    // summaries and reading times).
    assert!(site.root().join(".public.midad-bodies").is_file(), "the body cache is beside");
    assert!(!third.keys().any(|f| f.contains("midad")), "and not deployed");
    let text = std::fs::read_to_string(site.root().join(budget)).unwrap();
    site.write(budget, &text.replace("موازنة 2027!", "موازنة عام 2027!"));
    site.build().success();
    let fourth = inodes(&public);
    assert!(
        fourth.iter().any(|(f, ino)| f.ends_with("/index.html")
            && !f.contains("2027")
            && third.get(f).is_some_and(|old| old != ino)),
        "another article's page (its related block) is rendered again"
    );

    // A card template changes: the pages showing that card are rendered again, though no
    // page's own template changed (with no «الأكثر قراءة», whose summaries and cards every page
    // has).
    site.write("data/most_read.toml", "articles = []\n");
    site.build().success();
    let fourth = inodes(&public);
    site.write("templates/cards/related.html", "<p class=\"rel\">{{ item.title }}</p>");
    site.build().success();
    let fifth = inodes(&public);
    let with_card: Vec<&String> = fifth
        .keys()
        .filter(|f| f.ends_with(".html") && site.page(f).contains("<p class=\"rel\">"))
        .collect();
    assert!(!with_card.is_empty());
    assert!(with_card.iter().all(|f| fourth[*f] != fifth[*f]), "{with_card:?}");

    // And the output is what a clean build gives.
    let third = fifth;
    site.run(&["build", "--output", "clean"]).success();
    let clean = site.root().join("clean");
    for rel in third.keys() {
        let (a, b) =
            (std::fs::read(public.join(rel)).unwrap(), std::fs::read(clean.join(rel)).unwrap());
        assert!(a == b, "{rel} differs from a clean build");
    }
    assert_eq!(inodes(&clean).len(), third.len());
}

/// `midad build` at the instant `epoch` (seconds since 1970), with its summary line.
fn build_at(site: &SiteTest, epoch: i64) -> String {
    let run = site.run_with_env(&["build"], &[("SOURCE_DATE_EPOCH", &epoch.to_string())]);
    run.success();
    run.stdout()
}

/// The output after an incremental build at `epoch` equals a clean build at the same instant.
#[track_caller]
fn assert_equals_clean_build_at(site: &SiteTest, epoch: i64) {
    let incremental = site.output_bytes();
    site.remove_output();
    build_at(site, epoch);
    let clean = site.output_bytes();
    let paths =
        |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&incremental), paths(&clean), "the same files");
    for ((path, a), (_, b)) in incremental.iter().zip(&clean) {
        assert!(a == b, "{path} differs from a clean build at {epoch}");
    }
}

#[test]
fn a_later_build_the_same_day_renders_nothing_again() {
    // 2026-11-29 14:00 in Cairo, the site's time zone; an hour later; 02:00 the next day.
    let (noon, later, next_day) = (1_795_953_600, 1_795_957_200, 1_795_996_800);
    let site = SiteTest::fixture("basic");
    build_at(&site, noon);
    let (total, kept) = built_and_kept(&build_at(&site, later));
    assert!(total > 20, "{total} pages");
    assert_eq!(kept, total, "an hour later the pages show the same day: every one is kept");
    assert_equals_clean_build_at(&site, later);

    // The next day the header shows another date: every page shows it.
    build_at(&site, later);
    let (total, kept) = built_and_kept(&build_at(&site, next_day));
    assert_eq!(kept, 0, "{total} pages, {kept} kept, though the date changed");
    assert!(site.page("index.html").contains("2026-11-30"), "the header shows the new day");
    assert_equals_clean_build_at(&site, next_day);
}

#[test]
fn a_page_template_that_shows_the_build_time_is_rendered_at_each_build() {
    let site = SiteTest::fixture("basic");
    let article = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes/akhbar/templates/article.html"),
    )
    .expect("the theme's article template");
    let stamped = article.replacen(
        "{% block content %}",
        "{% block content %}<p id=\"built\">{{ site.build_time }}</p>",
        1,
    );
    assert_ne!(stamped, article, "the template has a content block");
    site.write("templates/article.html", &stamped);
    build_at(&site, 1_795_953_600);
    let (total, kept) = built_and_kept(&build_at(&site, 1_795_953_601));
    assert!(kept < total / 2, "{kept} of {total} pages kept though articles show the instant");
    let page = site.page("politics/الحكومة-تعلن-موازنة-2027/index.html");
    assert!(page.contains("2026-11-29T14:00:01"), "the article shows the new instant");
    assert_equals_clean_build_at(&site, 1_795_953_601);
}
