//! Bad input: a clear error at file:line:col, exit code 1, and the previous `public/` untouched.

use crate::harness::SiteTest;

#[track_caller]
fn check_broken(file: &str, text: &str, expect: &str) {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let before = site.page("index.html");
    site.write(file, text);
    site.build().fails_with(1).stderr_has(expect);
    assert_eq!(site.page("index.html"), before, "public/ changed after a failed build");
    assert!(site.files().len() > 10, "public/ lost files");
}

#[test]
fn bad_yaml_front_matter_is_located() {
    check_broken(
        "content/politics/bad.md",
        "---\ntitle: \"خبر\"\ntags: [\"أ\", \"ب\"]\n\ndate: أمس\n---\nنص\n",
        "content/politics/bad.md:5:",
    );
}

#[test]
fn bad_toml_front_matter_is_located() {
    check_broken(
        "content/economy/bad.md",
        "+++\ntitle = \"خبر\"\ndate = 2026-11-20T10:00:00+02:00\ndraft = \"yes\"\n+++\nنص\n",
        "content/economy/bad.md:4:9:",
    );
}

#[test]
fn every_bad_file_is_reported() {
    let site = SiteTest::fixture("basic");
    site.write("content/politics/a.md", "---\ntitle: x\ndate: nope\n---\n");
    site.write("content/economy/b.md", "+++\ntitle = \"y\"\n+++\n");
    site.build()
        .fails_with(1)
        .stderr_has("content/politics/a.md:3:")
        .stderr_has("content/economy/b.md:1:1: `date` is missing")
        .stderr_has("build failed: 2 errors");
}

#[test]
fn unknown_config_key_is_an_error_with_its_line() {
    let site = SiteTest::fixture("basic");
    site.write("config.toml", "title = \"x\"\nper_pgae = 3\n");
    site.build().fails_with(1).stderr_has("config.toml:2:1: unknown key `per_pgae`");
}

/// A value that is not one of the names a key takes: the key, the value and the names, at the
/// value's line and column.
#[test]
fn bad_config_value_names_its_key_and_the_good_ones() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let before = site.page("index.html");
    let config = std::fs::read_to_string(site.root().join("config.toml")).expect("config");
    site.write(
        "config.toml",
        &format!("{config}\n[arabic]\ndigits = \"arab\"\nmonths = \"mars\"\n"),
    );
    let run = site.build();
    run.fails_with(1);
    assert_eq!(
        run.stderr(),
        "error: config.toml:9:10: [arabic] months: \"mars\" is not a month style; use one of egypt, levant, maghreb, algeria_tunisia, both\n\
         build failed: 1 error\n"
    );
    assert_eq!(site.page("index.html"), before, "public/ changed after a failed build");
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    let site = SiteTest::fixture("basic");
    site.write("templates/404.html", "<p>\n{{ site.title }\n</p>\n");
    site.build().fails_with(1).stderr_has("templates/404.html:2:");
}

#[test]
fn template_render_error_names_the_template() {
    let site = SiteTest::fixture("basic");
    site.write("templates/404.html", "<p>{{ no_such_variable }}</p>\n");
    site.build().fails_with(1).stderr_has("templates/404.html").stderr_has("no_such_variable");
}

#[test]
fn card_template_render_error_names_the_template() {
    let site = SiteTest::fixture("basic");
    site.write("templates/cards/bad.html", "<p>{{ item.no_such_field }}</p>\n");
    site.build().fails_with(1).stderr_has("templates/cards/bad.html").stderr_has("no_such_field");
}

#[test]
fn a_file_that_is_not_utf8_is_located() {
    let site = SiteTest::fixture("basic");
    let bytes = b"---\ntitle: x\ndate: 2026-11-20T10:00:00+02:00\n---\n\xd9\x86\xd8\xb5 \xff\n";
    std::fs::write(site.root().join("content/politics/latin1.md"), bytes).unwrap();
    site.build()
        .fails_with(1)
        .stderr_has("content/politics/latin1.md:5:4: the file is not valid UTF-8");
}

#[test]
fn missing_fence_and_missing_title() {
    let site = SiteTest::fixture("basic");
    site.write("content/politics/nofence.md", "title: x\n");
    site.write("content/politics/notitle.md", "---\ndate: 2026-11-20T10:00:00+02:00\n---\n");
    site.build()
        .fails_with(1)
        .stderr_has("content/politics/nofence.md:1:1: no front matter")
        .stderr_has("content/politics/notitle.md:1:1: `title` is missing");
}

#[test]
fn unknown_front_matter_key_is_a_warning() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/politics/extra.md",
        "---\ntitle: x\ndate: 2026-11-20T10:00:00+02:00\ncategories: [a]\n---\n",
    );
    site.build()
        .success()
        .stderr_has("warning: content/politics/extra.md:4:1: unknown key `categories`");
}
