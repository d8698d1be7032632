//! `midad init`, `midad new` and the manners every command has: `--quiet`, `--verbose`,
//! `--version`, shell completions.

use std::path::Path;

use crate::harness::{SiteTest, walk};

/// A site made by `midad init` in an empty folder.
fn initialised(args: &[&str]) -> SiteTest {
    let site = SiteTest::empty();
    let mut all = vec!["init", "."];
    all.extend_from_slice(args);
    site.run(&all).success();
    site
}

#[test]
fn an_initialised_site_builds_with_no_warning_and_checks_clean() {
    let site = SiteTest::empty();
    let run = site.run(&["init", "."]);
    run.success().stdout_has("midad serve").stdout_has("midad new");
    assert!(!site.root().join("themes").exists(), "the theme is used from inside midad");
    let build = site.build();
    build.success();
    assert!(!build.stderr().contains("warning"), "{}", build.stderr());
    let check = site.run(&["check"]);
    check.success();
    assert!(!check.stderr().contains("warning"), "{}", check.stderr());
    // The sample article is where its slug puts it, dated at the build time in Cairo.
    let article = site.page("news/أهلا-بك-في-موقعك-الجديد/index.html");
    assert!(article.contains("أهلًا بك في موقعك الجديد"), "no title");
    assert!(article.contains(r#"datetime="2026-11-29T14:00:00+02:00""#), "no Cairo date");
    // Shared and structured as a news article with an image (the logo, until it has a photo).
    assert!(
        article.contains(r#"<meta property="og:image" content="https://example.com/images/logo"#)
    );
    assert!(article.contains(r#""@type":"NewsArticle""#) && article.contains(r#""image":"#));
    // The theme's own files come out: its stylesheet and scripts.
    let files = site.files();
    assert!(files.iter().any(|f| f.starts_with("css/") && f.ends_with(".css")), "{files:?}");
    let pages: Vec<&String> = files.iter().filter(|f| f.ends_with(".html")).collect();
    assert!(pages.len() >= 8, "{pages:?}");
    for page in pages {
        let html = site.page(page);
        assert!(html.contains(r#"<html lang="ar" dir="rtl">"#), "{page} lacks lang/dir");
    }
    // The built-in theme is written under the cache, which .gitignore leaves out.
    let ignore = std::fs::read_to_string(site.root().join(".gitignore")).expect("gitignore");
    assert!(ignore.contains("/.midad-cache/") && ignore.contains("/public/"), "{ignore}");
}

#[test]
fn init_refuses_a_folder_with_files_unless_forced() {
    let site = SiteTest::empty();
    site.write("notes.txt", "ملاحظات");
    site.run(&["init", "."]).fails_with(1).stderr_has("is not empty").stderr_has("--force");
    assert!(!site.root().join("config.toml").exists(), "wrote into a folder it refused");
    site.run(&["init", ".", "--force"]).success();
    assert!(site.root().join("config.toml").is_file());
    let notes = std::fs::read_to_string(site.root().join("notes.txt")).expect("kept");
    assert_eq!(notes, "ملاحظات");
    // A folder that does not exist yet is made.
    site.run(&["init", "sub/site"]).success().stdout_has("cd sub/site");
    assert!(site.root().join("sub/site/content/news/_index.md").is_file());
}

#[test]
fn theme_copy_puts_the_theme_in_the_site_where_edits_take_effect() {
    let site = initialised(&["--theme-copy"]);
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/akhbar");
    let copied = site.root().join("themes/akhbar");
    let files = walk(&repo);
    assert!(files.len() > 40, "{} theme files", files.len());
    for file in &files {
        let rel = file.strip_prefix(&repo).expect("under the theme");
        let ours = std::fs::read(copied.join(rel)).expect("copied file");
        assert_eq!(ours, std::fs::read(file).expect("theme file"), "{rel:?}");
    }
    let header = copied.join("templates/partials/header.html");
    let text = std::fs::read_to_string(&header).expect("header");
    std::fs::write(&header, format!("<!-- نسخة الموقع -->{text}")).expect("edit");
    site.build().success();
    assert!(site.page("index.html").contains("<!-- نسخة الموقع -->"), "the copy is not used");
}

#[test]
fn new_writes_an_article_the_build_accepts_with_its_slug_and_date() {
    let site = initialised(&[]);
    let title = "وزير المالية يعلن موازنة 2027: «أرقام قياسية»";
    let run = site.run(&["new", title]);
    run.success();
    let path = "content/news/وزير-المالية-يعلن-موازنة-2027-أرقام-قياسية.md";
    assert_eq!(run.stdout().trim(), path);
    let text = std::fs::read_to_string(site.root().join(path)).expect("new article");
    assert!(text.starts_with("+++\n"), "{text}");
    assert!(text.contains(&format!("title = \"{title}\"")), "{text}");
    // 2026-11-29T12:00:00Z (SOURCE_DATE_EPOCH) in Cairo, winter time.
    assert!(text.contains("date = 2026-11-29T14:00:00+02:00"), "{text}");
    assert!(text.contains("author = \"editor\""), "the only author: {text}");
    assert!(text.contains("tags = []") && text.contains("summary = \"\""), "{text}");
    let build = site.build();
    build.success();
    assert!(!build.stderr().contains("warning"), "{}", build.stderr());
    let page = site.page("news/وزير-المالية-يعلن-موازنة-2027-أرقام-قياسية/index.html");
    assert!(page.contains("«أرقام قياسية»"), "the page has the title");
    // Never overwritten: the same title again is refused and the file stays.
    std::fs::write(site.root().join(path), "+++\ntitle = \"محرر\"\n+++\n").expect("edit");
    site.run(&["new", title]).fails_with(1).stderr_has("already exists");
    let kept = std::fs::read_to_string(site.root().join(path)).expect("kept");
    assert_eq!(kept, "+++\ntitle = \"محرر\"\n+++\n");
}

#[test]
fn new_asks_for_a_section_and_an_author_that_exist() {
    let site = initialised(&[]);
    site.write("content/sports/_index.md", "+++\ntitle = \"رياضة\"\n+++\n");
    site.run(&["new", "الأهلي يفوز"])
        .fails_with(1)
        .stderr_has("several sections")
        .stderr_has("`news`, `sports`");
    site.run(&["new", "الأهلي يفوز", "--section", "culture"])
        .fails_with(1)
        .stderr_has("no section `culture`");
    site.run(&["new", "الأهلي يفوز", "--section", "sports", "--author", "nobody"])
        .fails_with(1)
        .stderr_has("no author `nobody`")
        .stderr_has("`editor`");
    let run = site.run(&["new", "الأهلي يفوز", "-s", "sports", "--author", "editor", "--bundle"]);
    run.success();
    assert_eq!(run.stdout().trim(), "content/sports/الأهلي-يفوز/index.md");
    site.build().success();
    assert!(site.public("sports/الأهلي-يفوز/index.html").is_file());
}

#[test]
fn quiet_prints_nothing_on_success_and_verbose_prints_the_steps() {
    let site = initialised(&[]);
    let quiet = site.run(&["build", "--quiet"]);
    quiet.success();
    assert_eq!(quiet.stdout(), "", "--quiet printed");
    assert_eq!(quiet.stderr(), "", "--quiet printed");
    let verbose = site.run(&["--verbose", "build"]);
    verbose.success().stdout_has("built ");
    for step in ["content", "render", "write"] {
        assert!(verbose.stderr().contains(step), "no step {step}: {}", verbose.stderr());
    }
    // Errors still show with --quiet.
    site.write("content/news/bad.md", "+++\ntitle = \"خبر\"\ndate = نعم\n+++\n");
    site.run(&["-q", "build"]).fails_with(1).stderr_has("content/news/bad.md:3");
}

#[test]
fn version_names_the_commit_and_completions_cover_every_command() {
    let site = SiteTest::empty();
    let version = site.run(&["--version"]);
    version.success();
    let text = version.stdout();
    let commit = text.trim().strip_prefix("midad 0.1.0 (").and_then(|t| t.strip_suffix(')'));
    let commit = commit.unwrap_or_else(|| panic!("version: {text}"));
    assert!(
        commit == "unknown" || (commit.len() == 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{commit}"
    );
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = site.run(&["completions", shell]);
        run.success();
        for command in ["init", "new", "build", "serve", "check", "import", "wordpress"] {
            assert!(run.stdout().contains(command), "{shell} completions lack {command}");
        }
    }
    site.run(&["completions", "tcsh"]).fails_with(2);
}
