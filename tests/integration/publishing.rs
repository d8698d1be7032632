//! The publishing loop of a newsroom on a 1,000-article site: an article published, one edited,
//! one moved to another day, one made a draft and one deleted, each followed by a build a minute
//! later on the same day, as CI runs them. Every incremental build must equal a clean build of
//! the same files at the same instant, and keep the pages the change does not touch.

use crate::harness::{SiteTest, built_and_kept};

/// The sections of the generated site, with their titles; `politics` and `economy` are the
/// fixture's own.
const SECTIONS: [(&str, &str); 4] =
    [("politics", "سياسة"), ("economy", "اقتصاد"), ("sports", "رياضة"), ("culture", "ثقافة")];

const TAGS: [&str; 24] = [
    "مصر",
    "القاهرة",
    "الحكومة",
    "البرلمان",
    "الانتخابات",
    "الموازنة",
    "البنك المركزي",
    "التضخم",
    "الجنيه",
    "النفط",
    "الذهب",
    "البورصة",
    "الأهلي",
    "الزمالك",
    "كرة القدم",
    "الدوري",
    "المنتخب",
    "السينما",
    "المسرح",
    "معرض الكتاب",
    "الرواية",
    "الأمم المتحدة",
    "غزة",
    "السودان",
];

const SUBJECTS: [&str; 12] = [
    "الحكومة",
    "البرلمان",
    "البنك المركزي",
    "وزارة المالية",
    "اتحاد الكرة",
    "نادي الأهلي",
    "وزارة الثقافة",
    "دار الأوبرا",
    "مجلس الأمن",
    "هيئة الاستثمار",
    "محافظ القاهرة",
    "نقابة الصحفيين",
];

const ACTIONS: [&str; 10] = [
    "تعلن خطة جديدة بشأن",
    "تناقش مستقبل",
    "تحذر من تراجع",
    "ترحب بارتفاع",
    "تدرس قرارا حول",
    "تطلق مبادرة لدعم",
    "تراجع أرقام",
    "تحسم الجدل حول",
    "تكشف تفاصيل",
    "تؤجل البت في",
];

const OBJECTS: [&str; 12] = [
    "أسعار الوقود",
    "الدعم النقدي",
    "سعر الفائدة",
    "عجز الموازنة",
    "الدوري الممتاز",
    "معرض الكتاب",
    "الإنتاج السينمائي",
    "الاستثمار الأجنبي",
    "المساعدات الإنسانية",
    "الصادرات الزراعية",
    "قانون الإيجارات",
    "النقل العام",
];

/// A SplitMix64 stream: the same article number gives the same article on every machine.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() % from.len() as u64) as usize]
    }
}

/// Article `n` of the generated site, dated `date` (RFC 3339): its path under the site and its
/// file. One in three has no `summary`, so its summary comes from the body.
pub fn article(n: u64, date: &str) -> (String, String) {
    let mut draw = Draw(n);
    let (section, _) = SECTIONS[(draw.next() % SECTIONS.len() as u64) as usize];
    let title =
        format!("{} {} {} ({n})", draw.pick(&SUBJECTS), draw.pick(&ACTIONS), draw.pick(&OBJECTS));
    let mut tags: Vec<&str> = (0..1 + draw.next() % 3).map(|_| draw.pick(&TAGS)).collect();
    tags.sort_unstable();
    tags.dedup();
    let tags = tags.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(", ");
    let author = if draw.next().is_multiple_of(2) { "sara" } else { "omar" };
    let body = (0..3)
        .map(|_| {
            format!(
                "قال مسؤول في {} إن {} {} خلال الأسبوع المقبل.",
                draw.pick(&SUBJECTS),
                draw.pick(&SUBJECTS),
                draw.pick(&ACTIONS),
            ) + " "
                + draw.pick(&OBJECTS)
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let summary = if n.is_multiple_of(3) {
        String::new()
    } else {
        format!("summary: \"{} {}\"\n", draw.pick(&ACTIONS), draw.pick(&OBJECTS))
    };
    // Some moved from an old address, which keeps a redirect page.
    let aliases = if n.is_multiple_of(40) {
        format!("aliases: [\"/old/{n}.html\"]\n")
    } else {
        String::new()
    };
    let file = format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nauthor: {author}\ntags: [{tags}]\n{summary}\
         {aliases}---\n{body}\n"
    );
    (format!("content/{section}/story-{n}.md"), file)
}

/// The date of article `n` of `count`: one every 17 hours, the newest the morning of
/// 2026-11-28 in Cairo, the day before the builds.
pub fn date_of(n: u64, count: u64) -> String {
    let newest = jiff::Timestamp::from_second(1_795_852_800).expect("an instant");
    let at = newest - jiff::SignedDuration::from_hours(17 * (count - 1 - n) as i64);
    at.display_with_offset(jiff::tz::offset(2)).to_string()
}

/// The basic fixture with `count` generated articles in four sections, ten to a page.
pub fn newsroom(count: u64) -> SiteTest {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).expect("config");
    site.write("config.toml", &config.replace("per_page = 2", "per_page = 10"));
    for (name, title) in &SECTIONS[2..] {
        site.write(
            &format!("content/{name}/_index.md"),
            &format!("---\ntitle: \"{title}\"\n---\n"),
        );
    }
    for n in 0..count {
        let (path, file) = article(n, &date_of(n, count));
        site.write(&path, &file);
    }
    site
}

/// A build at `epoch`: its summary line, and how many pages it built and kept.
fn build_at(site: &SiteTest, epoch: i64) -> (usize, usize) {
    let run = site.run_with_env(&["build"], &[("SOURCE_DATE_EPOCH", &epoch.to_string())]);
    run.success();
    built_and_kept(&run.stdout())
}

/// `public/` equals a clean build of the same files at `epoch` into another folder.
#[track_caller]
fn assert_equals_clean_build_at(site: &SiteTest, epoch: i64, after: &str) {
    let clean = "clean";
    let _ = std::fs::remove_dir_all(site.root().join(clean));
    let epoch = epoch.to_string();
    site.run_with_env(&["build", "--output", clean], &[("SOURCE_DATE_EPOCH", &epoch)]).success();
    let incremental = site.output_bytes();
    let clean = site.output_bytes_in(clean);
    let paths =
        |files: &[(String, Vec<u8>)]| files.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&incremental), paths(&clean), "after {after}: the same files");
    for ((path, a), (_, b)) in incremental.iter().zip(&clean) {
        assert!(a == b, "after {after}: {path} differs from a clean build");
    }
}

/// What differs between two outputs: how many HTML pages are new or changed, and how many
/// files of each top folder, as text.
struct Changes {
    pages: usize,
    by_folder: String,
}

impl Changes {
    fn between(before: &[(String, Vec<u8>)], after: &[(String, Vec<u8>)]) -> Changes {
        let before: std::collections::HashMap<&str, &[u8]> =
            before.iter().map(|(path, bytes)| (path.as_str(), bytes.as_slice())).collect();
        let mut counts = std::collections::BTreeMap::<&str, usize>::new();
        let mut pages = 0;
        for (path, bytes) in after {
            if before.get(path.as_str()) != Some(&bytes.as_slice()) {
                let folder = path.split_once('/').map_or(path.as_str(), |(folder, _)| folder);
                *counts.entry(folder).or_default() += 1;
                pages += usize::from(path.ends_with(".html"));
            }
        }
        let counts: Vec<String> =
            counts.iter().map(|(folder, n)| format!("{n} in {folder}")).collect();
        Changes { pages, by_folder: counts.join(", ") }
    }
}

#[test]
fn a_day_of_publishing_equals_clean_builds_and_keeps_untouched_pages() {
    const COUNT: u64 = 1000;
    // 2026-11-29 at 14:00 in Cairo, then a build a minute after each change.
    let noon = 1_795_953_600;
    let site = newsroom(COUNT);
    let (total, kept) = build_at(&site, noon);
    assert!(total > 1000 + 200, "{total} pages");
    assert_eq!(kept, 0);

    let mut minute = 0;
    // Each change, then a build a minute later: it equals a clean build, and it rendered only
    // pages that changed.
    let mut step = |what: &str, change: &dyn Fn()| {
        let before = site.output_bytes();
        change();
        minute += 1;
        let at = noon + 60 * minute;
        let (total, kept) = build_at(&site, at);
        assert_equals_clean_build_at(&site, at, what);
        let changes = Changes::between(&before, &site.output_bytes());
        let rendered = total - kept;
        assert!(
            rendered <= changes.pages + 1,
            "after {what}: {rendered} of {total} pages rendered, {} changed ({})",
            changes.pages,
            changes.by_folder
        );
        assert!(
            changes.pages < total / 5,
            "after {what}: {} of {total} pages changed ({})",
            changes.pages,
            changes.by_folder
        );
    };

    // A new article, the newest of all, dated a minute after noon.
    let card_log = site.root().join(".public.midad-cards");
    let cards_before = std::fs::metadata(&card_log).map(|meta| meta.len()).unwrap_or(0);
    step("publishing an article", &|| {
        let (path, file) = article(COUNT, "2026-11-29T12:01:00+02:00");
        site.write(&path, &file);
    });
    // Every listing page it shifts was rendered again, but the cards of the articles they show
    // came from the last build's: the log of cards grew by the new article's and few more.
    let cards_after = std::fs::metadata(&card_log).map(|meta| meta.len()).unwrap_or(0);
    assert!(cards_before > 0, "the first build kept its cards");
    let grown = cards_after.saturating_sub(cards_before);
    assert!(grown * 100 < cards_before, "the log grew by {grown} of {cards_before} bytes");

    // An article in the middle of the archive: a new title and tags.
    step("editing an article's title and tags", &|| {
        let (path, file) = article(500, &date_of(500, COUNT));
        let file = file.replacen("title: \"", "title: \"عاجل: ", 1).replacen(
            "tags: [",
            "tags: [\"عاجل\", ",
            1,
        );
        site.write(&path, &file);
    });
    // An article moved to another day.
    step("moving an article to another day", &|| {
        let (path, file) = article(700, &date_of(100, COUNT));
        site.write(&path, &file);
    });
    // An article made a draft, and one deleted.
    step("making an article a draft", &|| {
        let (path, file) = article(300, &date_of(300, COUNT));
        site.write(&path, &file.replacen("---\n", "---\ndraft: true\n", 1));
    });
    step("deleting an article", &|| {
        let (path, _) = article(900, &date_of(900, COUNT));
        std::fs::remove_file(site.root().join(path)).expect("delete an article");
    });
}

#[test]
fn a_listing_that_shows_its_total_renders_again_when_an_older_article_goes() {
    let site = SiteTest::fixture("basic");
    let template = "themes/akhbar/templates/section.html";
    let text = std::fs::read_to_string(site.root().join(template)).expect("the section template");
    let call = "{{ m::listing_with_most_read(";
    assert!(text.contains(call), "the section template lists with {call}");
    let shown = format!("<p class=\"total\">{{{{ paginator.total_items }}}}</p>{call}");
    site.write(template, &text.replacen(call, &shown, 1));
    // Four articles in politics, two to a page; three still fill two pages.
    let (_, file) = article(1, "2026-11-27T10:00:00+02:00");
    site.write("content/politics/fourth.md", &file);
    let noon = 1_795_953_600;
    build_at(&site, noon);
    assert!(site.page("politics/index.html").contains("<p class=\"total\">4</p>"));

    // The oldest article, on the second page, goes: the first page shows the count.
    std::fs::remove_file(site.root().join("content/politics/old.md")).expect("delete");
    build_at(&site, noon + 60);
    assert!(site.page("politics/index.html").contains("<p class=\"total\">3</p>"));
    assert_equals_clean_build_at(&site, noon + 60, "deleting the oldest article");
}

/// Sets the modification time of every file under `content/` to an hour ago, as after a
/// checkout that happened before the build.
fn settle_content(site: &SiteTest) {
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for path in crate::harness::walk(&site.root().join("content")) {
        let file = std::fs::File::options().write(true).open(&path).expect("a content file");
        file.set_modified(hour_ago).expect("set the modification time");
    }
}

#[test]
fn bodies_left_in_their_files_render_as_a_clean_build() {
    let site = newsroom(60);
    settle_content(&site);
    let noon = 1_795_953_600;
    build_at(&site, noon);
    // Every front matter from the cache now, every body still in its file: a new article
    // template renders every article page from its file.
    build_at(&site, noon + 60);
    let template = "themes/akhbar/templates/article.html";
    let text = std::fs::read_to_string(site.root().join(template)).expect("the article template");
    let block = "{% block content %}";
    assert!(text.contains(block), "the article template has {block}");
    site.write(template, &text.replacen(block, "{% block content %}<p data-edited></p>", 1));
    let (total, kept) = build_at(&site, noon + 120);
    assert!(total - kept >= 60, "every article page rendered: {kept} of {total} kept");
    let outputs = site.output_bytes();
    let edited = outputs
        .iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains("<p data-edited></p>"));
    assert!(edited.count() >= 60, "every article page has the new template");
    assert_equals_clean_build_at(&site, noon + 120, "a template change");
}

#[test]
fn a_file_saved_again_in_the_same_instant_is_read_again() {
    let site = SiteTest::fixture("basic");
    let path = site.root().join("content/economy/rates.md");
    let text = std::fs::read_to_string(&path).expect("an article");
    let title = text.lines().find(|l| l.starts_with("title")).expect("a title").to_string();
    // Just saved, then built: the build may not trust this file's stamp.
    build_at(&site, 1_795_953_600);
    let modified = std::fs::metadata(&path).and_then(|m| m.modified()).expect("a time");
    // Saved again with other words of the same length, at the same instant.
    let retitled = title.replace("الفائدة", "الفوائد");
    assert_eq!(retitled.len(), title.len(), "{title}");
    assert_ne!(retitled, title);
    std::fs::write(&path, text.replacen(&title, &retitled, 1)).expect("save");
    let file = std::fs::File::options().write(true).open(&path).expect("the article");
    file.set_modified(modified).expect("set the modification time");
    build_at(&site, 1_795_953_660);
    let page = site.page("economy/index.html");
    assert!(page.contains("الفوائد"), "the new title is shown");
}

#[test]
fn a_front_matter_warning_is_given_at_every_build() {
    let site = SiteTest::fixture("basic");
    site.write(
        "content/politics/extra.md",
        "---\ntitle: x\ndate: 2026-11-20T10:00:00+02:00\ncategories: [a]\n---\n",
    );
    settle_content(&site);
    for _ in 0..2 {
        site.build()
            .success()
            .stderr_has("warning: content/politics/extra.md:4:1: unknown key `categories`");
    }
}
