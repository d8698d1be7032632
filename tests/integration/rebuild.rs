//! How much a rebuild re-renders: `midad build --watch` on a copy of the `basic` fixture prints
//! `rebuilt …: N pages re-rendered` after every change. These tests assert the count (never the
//! time) for an edit of an article's text, of a template and of a data file, and that what the
//! rebuild wrote is right. That a rebuild always equals a clean build is asserted by the 200-edit
//! burst in `serve.rs`.

use crate::harness::{Running, SiteTest};
use crate::serve::save_atomic;

const BUDGET_MD: &str = "content/politics/budget.md";
const BUDGET_PAGE: &str = "politics/الحكومة-تعلن-موازنة-2027/index.html";

/// A site under `build --watch`, with the counts of its first build.
struct Watched {
    site: SiteTest,
    run: Running,
    /// HTML pages of the site.
    pages: usize,
    /// Published articles.
    articles: usize,
}

impl Watched {
    fn start() -> Watched {
        let site = SiteTest::fixture("basic");
        let mut run = site.spawn(&["build", "--watch"]);
        let built = run.wait_for_stdout("built ");
        run.wait_for_stdout("watching for changes");
        // `built 24 pages (4 articles, …`
        let number_before = |word: &str| -> usize {
            let words: Vec<&str> = built.split(|c: char| c.is_whitespace() || c == '(').collect();
            let at = words.iter().position(|w| w.starts_with(word)).expect(word);
            words[at - 1].parse().unwrap_or_else(|_| panic!("a number before {word}: {built}"))
        };
        let (pages, articles) = (number_before("pages"), number_before("articles"));
        Watched { site, run, pages, articles }
    }

    /// Saves `rel` as an editor does and returns how many pages the rebuild re-rendered.
    fn save(&mut self, rel: &str, text: &str) -> usize {
        save_atomic(self.site.root(), rel, text);
        let line = self.run.wait_for_stdout(&format!("rebuilt {}", reported_as(rel)));
        rendered(&line)
    }

    /// Edits `rel` by replacing `from` with `to`.
    fn edit(&mut self, rel: &str, from: &str, to: &str) -> usize {
        let text = std::fs::read_to_string(self.site.root().join(rel)).expect("read");
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.save(rel, &text.replacen(from, to, 1))
    }

    fn pages_with(&self, text: &str) -> usize {
        self.site
            .files()
            .iter()
            .filter(|f| f.ends_with(".html"))
            .filter(|f| self.site.page(f).contains(text))
            .count()
    }
}

/// How the rebuild report names a change of `rel`.
fn reported_as(rel: &str) -> String {
    if rel.starts_with("content/") {
        rel.to_string()
    } else if rel.starts_with("data/") {
        "data".into()
    } else {
        "templates".into()
    }
}

/// `N` of `rebuilt …: N page(s) re-rendered, …`.
#[track_caller]
fn rendered(line: &str) -> usize {
    let (_, rest) = line.split_once(": ").unwrap_or_else(|| panic!("a report: {line}"));
    rest.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a page count in {line}"))
}

#[test]
fn an_edit_of_an_articles_text_re_renders_that_article_alone() {
    let mut w = Watched::start();
    let section = w.site.page("politics/index.html");
    // A paragraph after the first: the summary (from the front matter here) and the reading
    // time stay, so no other page shows anything different.
    let count = w.edit(
        BUDGET_MD,
        "The ministry said the budget balances growth and debt.",
        "The ministry said the budget balances growth and public debt.",
    );
    assert_eq!(count, 1, "{}", w.run.transcript());
    assert!(w.site.page(BUDGET_PAGE).contains("growth and public debt"));
    assert_eq!(w.site.page("politics/index.html"), section, "the section page is unchanged");
    assert!(w.run.interrupt().success());
}

#[test]
fn an_edit_that_changes_a_summary_re_renders_the_pages_that_show_it() {
    let mut w = Watched::start();
    // `old.md` has no `summary`, so its first paragraph is its summary on every listing; it is
    // not in «الأكثر قراءة», which every page shows.
    let old = "content/politics/old.md";
    let first_paragraph = "نص خبر قديم عن الانتخابات المحلية.";
    let showing = w.pages_with(first_paragraph);
    assert!(showing > 1, "the fixture shows the summary on listings");
    let count = w.edit(old, first_paragraph, "نص خبر قديم عن الانتخابات البلدية.");
    assert_eq!(w.pages_with("الانتخابات البلدية"), showing, "{}", w.run.transcript());
    assert!(count > 1, "the listings showing the summary re-render: {count}");
    assert!(count < w.pages, "not every page: {count} of {}", w.pages);
    assert!(w.run.interrupt().success());
}

#[test]
fn a_template_edit_re_renders_the_pages_that_use_it() {
    let mut w = Watched::start();
    let article = "themes/akhbar/templates/article.html";
    let count = w.edit(article, "{% block content %}", "{% block content %}<!-- article v2 -->");
    assert_eq!(count, w.articles, "only article pages use article.html");
    assert!(w.site.page(BUDGET_PAGE).contains("<!-- article v2 -->"));
    assert!(!w.site.page("index.html").contains("<!-- article v2 -->"));

    // The footer is included by the base template, so every page uses it.
    let footer = "themes/akhbar/templates/shared/footer.html";
    let text = std::fs::read_to_string(w.site.root().join(footer)).unwrap();
    let count = w.save(footer, &format!("{text}<!-- footer v2 -->"));
    assert_eq!(count, w.pages, "every page includes the footer");

    // A card is in every summary, and «الأكثر قراءة» on every page lists summaries.
    let card = "themes/akhbar/templates/cards/related.html";
    let text = std::fs::read_to_string(w.site.root().join(card)).unwrap();
    let count = w.save(card, &format!("{text}<!-- card v2 -->"));
    assert_eq!(count, w.pages, "every page shows summaries");
    assert!(w.site.page(BUDGET_PAGE).contains("<!-- card v2 -->"));
    assert!(w.run.interrupt().success());
}

#[test]
fn a_data_edit_re_renders_the_pages_that_show_it() {
    let mut w = Watched::start();
    // A biography shows on the author's page and the author index only.
    let count = w.edit("data/authors.toml", "محررة سياسية", "محررة سياسية واقتصادية");
    assert_eq!(count, 2, "{}", w.run.transcript());
    assert_eq!(w.pages_with("محررة سياسية واقتصادية"), 2);

    // «الأكثر قراءة» shows on every page that has the block.
    let with_block = w.pages_with("ranked__item");
    let count =
        w.edit("data/most_read.toml", r#"articles = ["economy/rates.md", "#, r#"articles = ["#);
    assert!(count >= with_block, "{count} re-rendered, {with_block} pages show the block");
    assert!(w.run.interrupt().success());
}

#[test]
fn a_first_build_that_fails_keeps_watching_and_says_nothing_is_built() {
    let site = SiteTest::fixture("basic");
    let good = std::fs::read_to_string(site.root().join(BUDGET_MD)).unwrap();
    site.write(BUDGET_MD, "---\ntitle: [نص لم يُغلق\n---\n");
    let mut run = site.spawn(&["build", "--watch"]);
    run.wait_for_stderr("nothing is built yet");
    assert!(!run.transcript().contains("keeping the last good build"), "{}", run.transcript());

    save_atomic(site.root(), BUDGET_MD, &good);
    run.wait_for_stdout(&format!("rebuilt {BUDGET_MD}"));
    assert!(site.page(BUDGET_PAGE).contains("The ministry said"));
    save_atomic(site.root(), BUDGET_MD, "---\ntitle: [نص لم يُغلق\n---\n");
    run.wait_for_stderr("keeping the last good build");
    assert!(run.interrupt().success());
}
