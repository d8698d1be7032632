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
         \x20 |\n\
         9 | months = \"mars\"\n\
         \x20 |          ^\n\
         \x20 = hint: README.md, «config.toml», lists every key and what it takes\n\
         \n\
         build failed: 1 error in 1 file\n"
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

/// Two bad articles and an unknown key: each diagnostic shows its source line and a hint, file by
/// file, and the count says how many of each in how many files.
fn three_problems_in_three_files() -> SiteTest {
    let site = SiteTest::fixture("basic");
    site.build().success();
    site.write("content/politics/b-bad.md", "---\ntitle: \"ب\"\ndate: 2026-13-01\n---\nنص\n");
    site.write("content/politics/a-bad.md", "---\ntitle: \"أ\"\n---\nنص\n");
    site.write(
        "content/politics/c-odd.md",
        "---\ntitle: \"ج\"\ndate: 2026-11-01\ncategories: [x]\n---\nنص\n",
    );
    site
}

#[test]
fn diagnostics_show_the_source_line_and_a_hint_grouped_by_file_and_counted() {
    let site = three_problems_in_three_files();
    let before = site.output_bytes();
    let run = site.build();
    run.fails_with(1);
    let stderr = run.stderr();
    let firsts: Vec<String> = stderr
        .lines()
        .filter(|l| l.starts_with("error: ") || l.starts_with("warning: "))
        .map(|l| l.split(": ").take(2).collect::<Vec<_>>().join(": "))
        .collect();
    assert_eq!(
        firsts,
        [
            "error: content/politics/a-bad.md:1:1",
            "error: content/politics/b-bad.md:3:7",
            "warning: content/politics/c-odd.md:4:1",
        ],
        "{stderr}"
    );
    assert!(stderr.contains("3 | date: 2026-13-01\n  |       ^\n"), "{stderr}");
    assert!(stderr.contains("4 | categories: [x]\n  | ^\n"), "{stderr}");
    assert_eq!(stderr.matches("  = hint: ").count(), 3, "{stderr}");
    assert!(stderr.contains("= hint: add when it was published"), "{stderr}");
    assert!(stderr.ends_with("\nbuild failed: 2 errors, 1 warning in 3 files\n"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "colours on a pipe: {stderr}");
    assert_eq!(site.output_bytes(), before, "the output changed after a failed build");
}

#[test]
fn json_format_prints_one_object_per_diagnostic_on_stdout() {
    let site = three_problems_in_three_files();
    let run = site.run(&["build", "--format", "json"]);
    run.fails_with(1);
    let objects: Vec<serde_json::Value> = run
        .stdout()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert_eq!(objects.len(), 3, "{}", run.stdout());
    let date =
        objects.iter().find(|o| o["file"] == "content/politics/b-bad.md").expect("the bad date");
    assert_eq!(date["severity"], "error");
    assert_eq!((date["line"].as_u64(), date["column"].as_u64()), (Some(3), Some(7)));
    assert!(date["message"].as_str().is_some_and(|m| m.contains("is not a date")), "{date}");
    assert!(date["hint"].as_str().is_some_and(|h| !h.is_empty()), "{date}");
    let unknown = objects.iter().find(|o| o["severity"] == "warning").expect("the warning");
    assert_eq!(unknown["file"], "content/politics/c-odd.md");
    assert!(run.stderr().contains("build failed: 2 errors, 1 warning in 3 files"));
    // A build that succeeds keeps stdout to JSON too.
    std::fs::remove_file(site.root().join("content/politics/a-bad.md")).expect("remove");
    std::fs::remove_file(site.root().join("content/politics/b-bad.md")).expect("remove");
    let run = site.run(&["build", "--format", "json"]);
    run.success();
    let stdout = run.stdout();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    assert!(lines[0].contains("\"severity\":\"warning\""), "{}", lines[0]);
    assert!(run.stderr().contains("built "), "{}", run.stderr());
}

#[test]
fn colours_only_when_forced_and_never_with_no_color() {
    let site = three_problems_in_three_files();
    let forced = site.run_with_env(&["build"], &[("CLICOLOR_FORCE", "1")]);
    assert!(forced.stderr().contains("\u{1b}[31merror: "), "{}", forced.stderr());
    let no_color = site.run_with_env(&["build"], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    assert!(!no_color.stderr().contains('\u{1b}'), "{}", no_color.stderr());
}

#[test]
fn check_reports_what_a_build_would_and_writes_nothing() {
    let site = SiteTest::fixture("basic");
    let run = site.run(&["check"]);
    run.success().stdout_has("checked ").stdout_has(": no errors");
    assert!(!site.root().join("public").exists(), "check wrote an output");

    // A runtime template error, which only rendering finds, and a bad article.
    site.write("templates/shared/footer.html", "<footer>\n  {{ site.nope }}\n</footer>\n");
    site.write("content/politics/bad.md", "---\ntitle: \"خبر\"\n---\nنص\n");
    let run = site.run(&["check"]);
    run.fails_with(1).stderr_has("error: content/politics/bad.md:1:1: `date` is missing");
    site.write("content/politics/bad.md", "---\ntitle: \"خبر\"\ndate: 2026-11-01\n---\nنص\n");
    let run = site.run(&["check", "--format", "json"]);
    run.fails_with(1).stderr_has("check failed: 1 error in 1 file");
    let error: serde_json::Value =
        serde_json::from_str(run.stdout().trim()).expect("one JSON object");
    assert_eq!(error["file"], "templates/shared/footer.html");
    assert_eq!((error["line"].as_u64(), error["column"].as_u64()), (Some(2), Some(6)));
    assert!(!site.root().join("public").exists(), "check wrote an output");
}
