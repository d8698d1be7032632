//! Random edits of a site folder, made as an editor makes them, each with the paths it touched so
//! that the test can name the `Change`s a watcher would report for them.
//!
//! [`Churn`] owns a copy of `tests/fixtures/churn/`. Content files and templates are edited as
//! text (a front matter key set or removed, a paragraph rewritten, a template's `rev-N` marker
//! bumped, the quotes around an included name swapped), so the fixture stays the source of what
//! the site holds. `config.toml` and the files under `data/` are small and are written whole from
//! a state kept here. An edit may also break a file on purpose (front matter, a template, data,
//! config); the file is then left alone by other edits until a later step restores it.
//!
//! Everything random comes from one seeded [`fastrand::Rng`], so a seed replays a sequence.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// What one edit did: a line for the failure report, and the paths it wrote, created or deleted
/// (relative to the site root, folders included), which the test turns into `Change`s.
#[derive(Debug)]
pub struct Edit {
    pub what: String,
    pub touched: Vec<String>,
}

/// A site folder and the random edits made to it.
pub struct Churn {
    root: PathBuf,
    rng: fastrand::Rng,
    /// Makes every new title, file name and marker unique.
    counter: u32,
    config: Config,
    authors: Vec<Author>,
    most_read: Vec<String>,
    desk: u32,
    /// Files broken on purpose, with the text that fixes each.
    broken: BTreeMap<String, String>,
}

/// The settings `config.toml` is written from.
struct Config {
    title: u32,
    per_page: u32,
    digits: &'static str,
    months: &'static str,
    hijri: bool,
    slug_style: &'static str,
    words_per_minute: u32,
    smart_punctuation: bool,
    new_tab: bool,
    breaking_hours: u32,
    related: u32,
    full_text: bool,
    feed_limit: u32,
}

/// An entry of `data/authors.toml`.
struct Author {
    key: &'static str,
    name: String,
    gender: Option<&'static str>,
    bio: String,
}

/// Site templates that name another template, and the name: the quotes around the name are
/// swapped among Tera's three string styles.
const REFERENCES: &[(&str, &str)] = &[
    ("templates/layout.html", "base.html"),
    ("templates/section.html", "layout.html"),
    ("templates/section.html", "partials/site_macros.html"),
    ("templates/section.html", "partials/site_banner.html"),
    ("templates/partials/breaking.html", "partials/ticker_item.html"),
    ("templates/cards/listing.html", "partials/card_note.html"),
    ("templates/shared/footer.html", "partials/footer_note.html"),
];

/// Tera's string styles.
const QUOTES: [char; 3] = ['"', '\'', '`'];

/// Spellings of the banner's call of `data()`.
const DATA_CALLS: &[&str] =
    &["data(name=\"desk\")", "data (name=\"desk\")", "data(name='desk')", "data( name = `desk` )"];

/// Site templates with a visible `rev-N` marker.
const SITE_TEMPLATES: &[&str] = &[
    "templates/layout.html",
    "templates/section.html",
    "templates/partials/site_banner.html",
    "templates/partials/site_macros.html",
    "templates/partials/breaking.html",
    "templates/partials/ticker_item.html",
    "templates/partials/card_note.html",
    "templates/partials/footer_note.html",
];

/// Theme templates edited in place: a `<!-- rev-N -->` comment goes after the anchor (at the end
/// when there is none).
const THEME_TEMPLATES: &[(&str, &str)] = &[
    ("themes/akhbar/templates/partials/header.html", "<header class=\"site-header\">"),
    ("themes/akhbar/templates/partials/macros.html", "<div class=\"card__body\">"),
    ("themes/akhbar/templates/article.html", "<div class=\"prose\"{{ lang_attrs | safe }}>"),
    ("themes/akhbar/templates/index.html", "<div class=\"with-aside__main\">"),
    ("themes/akhbar/templates/shared/most_read.html", ""),
    ("themes/akhbar/templates/cards/related.html", ""),
    ("themes/akhbar/templates/cards/in_section.html", ""),
];

const WORDS: &[&str] = &[
    "الحكومة",
    "تعلن",
    "خطة",
    "جديدة",
    "للنقل",
    "العام",
    "في",
    "المدينة",
    "الوزير",
    "يزور",
    "المستشفى",
    "الجامعة",
    "تفتتح",
    "مكتبة",
    "الأسعار",
    "ترتفع",
    "الصادرات",
    "تنمو",
    "مباحثات",
    "حول",
    "المياه",
    "والطاقة",
];

const ENGLISH: &[&str] = &["Apple", "the", "report", "says", "growth", "is", "slow"];

const TAGS: &[&str] = &[
    "الموازنة",
    "الحكومة",
    "الانتخابات",
    "البرلمان",
    "الفائدة",
    "البورصة",
    "المرور",
    "الطقس",
    "AI",
];

/// Author keys of articles: three in `data/authors.toml` from the start, one added and removed
/// by data edits, and a plain name.
const AUTHORS: &[&str] = &["sara", "omar", "laila", "nour", "أحمد سمير"];

const MONTHS: &[&str] = &["egypt", "levant", "maghreb"];

const NEW_SECTIONS: &[&str] = &["رياضة", "culture", "تقنية"];

/// The build time the tests pin: 2026-11-30T12:00:00+03:00.
pub const NOW_EPOCH: i64 = 1_796_029_200;

impl Churn {
    /// Takes over the site folder at `root` (a copy of the fixture), seeded with `seed`, and
    /// writes its `config.toml` and `data/` from a random first state.
    pub fn new(root: &Path, seed: u64) -> Churn {
        let mut rng = fastrand::Rng::with_seed(seed);
        let config = Config {
            title: 0,
            per_page: rng.u32(1..=4),
            digits: if rng.bool() { "latn" } else { "arab" },
            months: MONTHS[rng.usize(0..MONTHS.len())],
            hijri: rng.bool(),
            slug_style: "arabic",
            words_per_minute: 180,
            smart_punctuation: false,
            new_tab: false,
            breaking_hours: *one(&mut rng, &[6, 24, 48]),
            related: rng.u32(0..=4),
            full_text: rng.bool(),
            feed_limit: rng.u32(2..=20),
        };
        let authors = vec![
            Author {
                key: "sara",
                name: "سارة كمال".into(),
                gender: Some("female"),
                bio: "محررة سياسية".into(),
            },
            Author {
                key: "omar",
                name: "عمر ناصر".into(),
                gender: Some("male"),
                bio: String::new(),
            },
            Author {
                key: "laila",
                name: "ليلى حسن".into(),
                gender: Some("female"),
                bio: "مراسلة".into(),
            },
        ];
        let churn = Churn {
            root: root.to_path_buf(),
            rng,
            counter: 0,
            config,
            authors,
            most_read: vec!["economy/rates.md".into(), "politics/budget.md".into()],
            desk: 0,
            broken: BTreeMap::new(),
        };
        churn.write_config();
        churn.write_authors();
        churn.write_most_read();
        churn.write_desk();
        churn
    }

    /// Whether a file is broken on purpose now (so a build must fail).
    pub fn is_broken(&self) -> bool {
        !self.broken.is_empty()
    }

    /// One step: usually one edit, sometimes a batch of a few, sometimes a file broken on
    /// purpose or the fix of one.
    pub fn step(&mut self) -> Vec<Edit> {
        if self.is_broken() && self.rng.u32(0..10) < 3 {
            return vec![self.fix()];
        }
        let n = match self.rng.u32(0..100) {
            0..85 => 1,
            85..95 => 2,
            _ => self.rng.usize(3..=4),
        };
        let mut edits: Vec<Edit> = (0..n).map(|_| self.edit()).collect();
        if !self.is_broken() && self.rng.u32(0..100) < 3 {
            edits.push(self.break_one());
        }
        edits
    }

    /// One random edit that can be made now.
    fn edit(&mut self) -> Edit {
        loop {
            let made = match self.rng.u32(0..100) {
                0..18 => self.edit_body(),
                18..38 => self.edit_front_matter(),
                38..42 => self.new_article(),
                42..45 => self.delete_article(),
                45..49 => self.rename_article(),
                49..51 => self.new_section(),
                51..53 => self.edit_section_index(),
                53..57 => self.swap_quotes(),
                57..59 => self.respell_data_call(),
                59..67 => self.bump_site_template(),
                67..70 => self.edit_theme_template(),
                70..71 => self.edit_theme_strings(),
                71..75 => self.edit_authors(),
                75..78 => self.edit_most_read(),
                78..81 => self.edit_desk(),
                81..85 => self.edit_static(),
                85..88 => self.edit_bundle_asset(),
                88..93 => self.edit_config(),
                93..95 => self.delete_empty_section(),
                _ => self.touch(),
            };
            if let Some(edit) = made {
                return edit;
            }
        }
    }

    // ---- content ----------------------------------------------------------------------------

    /// Articles (not section indexes), relative to the root, sorted; broken ones left out.
    fn articles(&self) -> Vec<String> {
        let mut out = Vec::new();
        for path in walk(&self.root.join("content")) {
            let rel = self.rel(&path);
            let depth = rel.matches('/').count();
            let article = rel.ends_with(".md") && !rel.ends_with("/_index.md") && depth >= 2;
            if article && !self.broken.contains_key(&rel) {
                out.push(rel);
            }
        }
        out.sort();
        out
    }

    /// Articles that are single files (not bundles), which may be renamed or deleted.
    fn single_articles(&self) -> Vec<String> {
        self.articles().into_iter().filter(|a| !a.ends_with("/index.md")).collect()
    }

    /// Section folder names.
    fn sections(&self) -> Vec<String> {
        let mut out: Vec<String> = std::fs::read_dir(self.root.join("content"))
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.path().is_dir())
                    .filter_map(|e| e.file_name().to_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    fn edit_body(&mut self) -> Option<Edit> {
        let path = self.pick_article()?;
        let mut doc = Doc::parse(&self.read(&path))?;
        let mut paragraphs: Vec<String> = doc
            .body
            .split("\n\n")
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let what = match self.rng.u32(0..6) {
            0 | 1 if !paragraphs.is_empty() => {
                // The first paragraph is the automatic summary of an article without `summary`.
                paragraphs[0] = self.paragraph();
                "first paragraph rewritten"
            }
            2 => {
                let paragraph = self.paragraph();
                paragraphs.push(paragraph);
                "paragraph appended"
            }
            3 => {
                let n = self.next();
                paragraphs.push(format!("```rust\nfn f{n}() -> u32 {{ {n} }}\n```"));
                "code block appended"
            }
            4 => {
                let heading = self.sentence();
                let at = self.rng.usize(0..=paragraphs.len());
                paragraphs.insert(at, format!("## {heading}"));
                "heading inserted"
            }
            _ if paragraphs.len() > 1 => {
                let at = self.rng.usize(1..paragraphs.len());
                paragraphs.remove(at);
                "paragraph removed"
            }
            _ => {
                let n = self.next();
                paragraphs.push(format!("رابط [خارجي](https://example.com/{n}) و`code {n}`."));
                "link appended"
            }
        };
        doc.body = paragraphs.join("\n\n") + "\n";
        self.write(&path, &doc.render());
        Some(Edit { what: format!("body of {path}: {what}"), touched: vec![path] })
    }

    fn edit_front_matter(&mut self) -> Option<Edit> {
        let path = self.pick_article()?;
        let mut doc = Doc::parse(&self.read(&path))?;
        let what = match self.rng.u32(0..11) {
            0 | 1 => {
                let title = self.title();
                doc.set("title", &quoted(&title));
                format!("title = {title}")
            }
            2 => {
                if doc.has("summary") && self.rng.bool() {
                    doc.remove("summary");
                    "summary removed".into()
                } else {
                    let summary = self.sentence();
                    doc.set("summary", &quoted(&summary));
                    format!("summary = {summary}")
                }
            }
            3 | 4 => {
                let date = self.date();
                doc.set("date", &date);
                format!("date = {date}")
            }
            5 => {
                let n = self.rng.usize(0..=3);
                let tags = self.rng.choose_multiple(TAGS.iter(), n);
                let list = list(tags.iter().map(|t| t.to_string()));
                doc.set("tags", &list);
                format!("tags = {list}")
            }
            6 => {
                let draft = !doc.is_true("draft");
                doc.set("draft", &draft.to_string());
                format!("draft = {draft}")
            }
            7 => {
                let breaking = !doc.is_true("breaking");
                doc.set("breaking", &breaking.to_string());
                // A breaking article is news of the last hours: the ticker shows it only then.
                let date = if breaking { self.recent_date() } else { self.date() };
                doc.set("date", &date);
                format!("breaking = {breaking}, date = {date}")
            }
            8 => {
                let featured = !doc.is_true("featured");
                doc.set("featured", &featured.to_string());
                format!("featured = {featured}")
            }
            9 => {
                doc.remove("author");
                doc.remove("authors");
                let n = self.rng.usize(0..=2);
                let authors: Vec<String> = self
                    .rng
                    .choose_multiple(AUTHORS.iter(), n)
                    .iter()
                    .map(|a| a.to_string())
                    .collect();
                match authors.as_slice() {
                    [] => "authors removed".into(),
                    [one] if self.rng.bool() => {
                        doc.set("author", &quoted(one));
                        format!("author = {one}")
                    }
                    _ => {
                        let list = list(authors.into_iter());
                        doc.set("authors", &list);
                        format!("authors = {list}")
                    }
                }
            }
            _ => {
                if doc.has("updated") && self.rng.bool() {
                    doc.remove("updated");
                    "updated removed".into()
                } else {
                    let date = self.date();
                    doc.set("updated", &date);
                    format!("updated = {date}")
                }
            }
        };
        self.write(&path, &doc.render());
        Some(Edit { what: format!("front matter of {path}: {what}"), touched: vec![path] })
    }

    fn new_article(&mut self) -> Option<Edit> {
        let sections = self.sections();
        let section = choose(&mut self.rng, &sections)?.clone();
        let n = self.next();
        let name = if self.rng.bool() { format!("n{n}.md") } else { format!("خبر-{n}.md") };
        let path = format!("content/{section}/{name}");
        let text = self.article_text();
        self.write(&path, &text);
        Some(Edit { what: format!("new article {path}"), touched: vec![path] })
    }

    fn delete_article(&mut self) -> Option<Edit> {
        let articles = self.single_articles();
        if articles.len() <= 3 {
            return None;
        }
        let path = choose(&mut self.rng, &articles)?.clone();
        self.remove(&path);
        Some(Edit { what: format!("deleted {path}"), touched: vec![path] })
    }

    fn rename_article(&mut self) -> Option<Edit> {
        let articles = self.single_articles();
        let from = choose(&mut self.rng, &articles)?.clone();
        let n = self.next();
        let section = if self.rng.bool() {
            let sections = self.sections();
            choose(&mut self.rng, &sections)?.clone()
        } else {
            from.split('/').nth(1)?.to_string()
        };
        let to = format!("content/{section}/r{n}.md");
        std::fs::rename(self.root.join(&from), self.root.join(&to)).expect("rename");
        Some(Edit { what: format!("renamed {from} to {to}"), touched: vec![from, to] })
    }

    fn new_section(&mut self) -> Option<Edit> {
        let existing = self.sections();
        let free: Vec<&&str> =
            NEW_SECTIONS.iter().filter(|s| !existing.iter().any(|e| e == **s)).collect();
        let name = (**choose(&mut self.rng, &free)?).to_string();
        let dir = format!("content/{name}");
        let mut touched = vec![dir.clone()];
        let mut what = format!("new section {dir}");
        if self.rng.u32(0..5) > 0 {
            let index = format!("{dir}/_index.md");
            let title = self.sentence();
            let weight = self.rng.i32(-2..=5);
            self.write(&index, &format!("---\ntitle: \"{title}\"\nweight: {weight}\n---\n"));
            touched.push(index);
        } else {
            what.push_str(" without _index.md");
        }
        let article = format!("{dir}/n{}.md", self.next());
        let text = self.article_text();
        self.write(&article, &text);
        touched.push(article);
        Some(Edit { what, touched })
    }

    fn delete_empty_section(&mut self) -> Option<Edit> {
        let articles = self.articles();
        let empty: Vec<String> = self
            .sections()
            .into_iter()
            .filter(|s| !articles.iter().any(|a| a.starts_with(&format!("content/{s}/"))))
            .filter(|s| !self.broken.keys().any(|b| b.starts_with(&format!("content/{s}/"))))
            .collect();
        let section = choose(&mut self.rng, &empty)?.clone();
        let dir = format!("content/{section}");
        let mut touched: Vec<String> =
            walk(&self.root.join(&dir)).iter().map(|p| self.rel(p)).collect();
        std::fs::remove_dir_all(self.root.join(&dir)).expect("remove section");
        touched.push(dir.clone());
        Some(Edit { what: format!("deleted the empty section {dir}"), touched })
    }

    fn edit_section_index(&mut self) -> Option<Edit> {
        let sections = self.sections();
        let section = choose(&mut self.rng, &sections)?.clone();
        let path = format!("content/{section}/_index.md");
        if self.broken.contains_key(&path) {
            return None;
        }
        let text = std::fs::read_to_string(self.root.join(&path)).ok()?;
        let mut doc = Doc::parse(&text)?;
        let what = match self.rng.u32(0..3) {
            0 => {
                let title = self.sentence();
                doc.set("title", &quoted(&title));
                format!("title = {title}")
            }
            1 => {
                let description = self.sentence();
                doc.set("description", &quoted(&description));
                format!("description = {description}")
            }
            _ => {
                let weight = self.rng.i32(-2..=5);
                doc.set("weight", &weight.to_string());
                format!("weight = {weight}")
            }
        };
        self.write(&path, &doc.render());
        Some(Edit { what: format!("section index {path}: {what}"), touched: vec![path] })
    }

    // ---- templates --------------------------------------------------------------------------

    fn swap_quotes(&mut self) -> Option<Edit> {
        let &(path, name) = one(&mut self.rng, REFERENCES);
        if self.broken.contains_key(path) {
            return None;
        }
        let text = self.read(path);
        let (at, old) =
            QUOTES.iter().find_map(|&q| text.find(&format!("{q}{name}{q}")).map(|at| (at, q)))?;
        let new = *one(&mut self.rng, &QUOTES.iter().filter(|&&q| q != old).collect::<Vec<_>>());
        let quoted = format!("{new}{name}{new}");
        let text = format!("{}{quoted}{}", &text[..at], &text[at + name.len() + 2..]);
        self.write(path, &text);
        Some(Edit { what: format!("{path} names {quoted}"), touched: vec![path.to_string()] })
    }

    /// Spells the banner's `data()` call another way Tera reads the same.
    fn respell_data_call(&mut self) -> Option<Edit> {
        let path = "templates/partials/site_banner.html";
        if self.broken.contains_key(path) {
            return None;
        }
        let (start, end) = ("{%- set desk = ", " -%}");
        let text = self.read(path);
        let from = text.find(start)? + start.len();
        let to = from + text[from..].find(end)?;
        let call = *one(&mut self.rng, DATA_CALLS);
        let text = format!("{}{call}{}", &text[..from], &text[to..]);
        self.write(path, &text);
        Some(Edit { what: format!("{path} calls {call}"), touched: vec![path.to_string()] })
    }

    fn bump_site_template(&mut self) -> Option<Edit> {
        let path = *one(&mut self.rng, SITE_TEMPLATES);
        if self.broken.contains_key(path) {
            return None;
        }
        let n = self.next();
        let text = bump_revs(&self.read(path), n);
        self.write(path, &text);
        Some(Edit { what: format!("{path}: rev-{n}"), touched: vec![path.to_string()] })
    }

    fn edit_theme_template(&mut self) -> Option<Edit> {
        let &(path, anchor) = one(&mut self.rng, THEME_TEMPLATES);
        let n = self.next();
        let text = self.read(path);
        let text = if text.contains("<!-- rev-") {
            bump_revs(&text, n)
        } else if anchor.is_empty() {
            format!("{text}<!-- rev-{n} -->")
        } else {
            text.replacen(anchor, &format!("{anchor}<!-- rev-{n} -->"), 1)
        };
        self.write(path, &text);
        Some(Edit { what: format!("{path}: rev-{n}"), touched: vec![path.to_string()] })
    }

    fn edit_theme_strings(&mut self) -> Option<Edit> {
        let path = "themes/akhbar/i18n/ar.toml";
        let key = *one(&mut self.rng, &["most_read", "dont_miss", "breaking", "home"]);
        let n = self.next();
        let text: String = self
            .read(path)
            .lines()
            .map(|line| {
                if line.split('=').next().is_some_and(|k| k.trim() == key) {
                    format!("{key} = \"نص {n}\"\n")
                } else {
                    format!("{line}\n")
                }
            })
            .collect();
        self.write(path, &text);
        Some(Edit { what: format!("{path}: {key} = نص {n}"), touched: vec![path.to_string()] })
    }

    // ---- data, static files, config ---------------------------------------------------------

    fn edit_authors(&mut self) -> Option<Edit> {
        if self.broken.contains_key("data/authors.toml") {
            return None;
        }
        let n = self.next();
        let what = match self.rng.u32(0..5) {
            0 if !self.authors.iter().any(|a| a.key == "nour") => {
                self.authors.push(Author {
                    key: "nour",
                    name: format!("نور {n}"),
                    gender: None,
                    bio: String::new(),
                });
                "nour added".to_string()
            }
            0 => {
                self.authors.retain(|a| a.key != "nour");
                "nour removed".to_string()
            }
            1 => {
                let at = self.rng.usize(0..self.authors.len());
                self.authors[at].name = format!("اسم {n}");
                format!("name of {} = اسم {n}", self.authors[at].key)
            }
            2 => {
                let at = self.rng.usize(0..self.authors.len());
                let gender = *one(&mut self.rng, &[Some("male"), Some("female"), None]);
                self.authors[at].gender = gender;
                format!("gender of {} = {gender:?}", self.authors[at].key)
            }
            _ => {
                let at = self.rng.usize(0..self.authors.len());
                self.authors[at].bio = format!("نبذة {n}");
                format!("bio of {} = نبذة {n}", self.authors[at].key)
            }
        };
        self.write_authors();
        Some(Edit {
            what: format!("data/authors.toml: {what}"),
            touched: vec!["data/authors.toml".into()],
        })
    }

    fn edit_most_read(&mut self) -> Option<Edit> {
        let path = "data/most_read.toml";
        if self.broken.contains_key(path) {
            return None;
        }
        let articles = self.articles();
        let n = self.rng.usize(0..=3);
        let mut chosen: Vec<String> = self
            .rng
            .choose_multiple(articles.iter(), n)
            .into_iter()
            .map(|a| {
                let rel = a.trim_start_matches("content/").to_string();
                // Both forms name an article: relative to `content/`, or with it.
                if self.rng.u32(0..4) == 0 { a.clone() } else { rel }
            })
            .collect();
        self.rng.shuffle(&mut chosen);
        if self.rng.u32(0..6) == 0 {
            chosen.push("politics/gone.md".into());
        }
        self.most_read = chosen;
        self.write_most_read();
        Some(Edit { what: format!("{path}: {:?}", self.most_read), touched: vec![path.into()] })
    }

    fn edit_desk(&mut self) -> Option<Edit> {
        self.desk = self.next();
        self.write_desk();
        Some(Edit {
            what: format!("data/desk.toml: editor {}", self.desk),
            touched: vec!["data/desk.toml".into()],
        })
    }

    fn edit_static(&mut self) -> Option<Edit> {
        let n = self.next();
        let added: Vec<String> = walk(&self.root.join("static/files"))
            .iter()
            .map(|p| self.rel(p))
            .filter(|p| p != "static/files/notice.txt")
            .collect();
        let (path, what) = match self.rng.u32(0..7) {
            0 | 1 => {
                let path = "static/files/notice.txt".to_string();
                self.write(&path, &format!("إعلان رقم {n}\n"));
                (path, "edited")
            }
            2 => {
                let path = "static/images/ministry.svg".to_string();
                let svg = format!(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{n}\" height=\"68\"></svg>\n"
                );
                self.write(&path, &svg);
                (path, "edited")
            }
            3 => {
                let path = format!("static/files/f{n}.txt");
                self.write(&path, &format!("ملف {n}\n"));
                (path, "added")
            }
            4 if !added.is_empty() => {
                let path = choose(&mut self.rng, &added)?.clone();
                self.remove(&path);
                (path, "deleted")
            }
            // Static files with the paths of generated ones: the site's `robots.txt` replaces
            // the generated one, a generated page wins over `404.html`.
            _ => {
                let path =
                    one(&mut self.rng, &["static/robots.txt", "static/404.html"]).to_string();
                if self.root.join(&path).exists() && self.rng.bool() {
                    self.remove(&path);
                    (path, "deleted")
                } else {
                    self.write(&path, &format!("User-agent: *\nDisallow: /x{n}/\n"));
                    (path, "written")
                }
            }
        };
        Some(Edit { what: format!("{path} {what}"), touched: vec![path] })
    }

    fn edit_bundle_asset(&mut self) -> Option<Edit> {
        let bundle = "content/politics/parliament";
        if !self.root.join(bundle).join("index.md").exists() {
            return None;
        }
        let n = self.next();
        let extras: Vec<String> = walk(&self.root.join(bundle))
            .iter()
            .map(|p| self.rel(p))
            .filter(|p| p.contains("/extra"))
            .collect();
        let (path, what) = match self.rng.u32(0..3) {
            0 => {
                let path = format!("{bundle}/cover.svg");
                let svg = format!(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{n}\" height=\"68\"></svg>\n"
                );
                self.write(&path, &svg);
                (path, "edited")
            }
            1 if !extras.is_empty() => {
                let path = choose(&mut self.rng, &extras)?.clone();
                self.remove(&path);
                (path, "deleted")
            }
            _ => {
                let path = format!("{bundle}/extra{n}.svg");
                self.write(&path, "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n");
                (path, "added")
            }
        };
        Some(Edit { what: format!("bundle asset {path} {what}"), touched: vec![path] })
    }

    fn edit_config(&mut self) -> Option<Edit> {
        if self.broken.contains_key("config.toml") {
            return None;
        }
        let c = &mut self.config;
        let what = match self.rng.u32(0..10) {
            0 => {
                c.title += 1;
                format!("title {}", c.title)
            }
            1 | 2 => {
                c.per_page = self.rng.u32(1..=4);
                format!("per_page = {}", c.per_page)
            }
            3 => {
                c.digits = if c.digits == "latn" { "arab" } else { "latn" };
                format!("digits = {}", c.digits)
            }
            4 => {
                c.months = MONTHS[self.rng.usize(0..MONTHS.len())];
                format!("months = {}", c.months)
            }
            5 => {
                c.hijri = !c.hijri;
                format!("hijri = {}", c.hijri)
            }
            6 => {
                c.breaking_hours = *one(&mut self.rng, &[6, 24, 48]);
                format!("breaking_hours = {}", c.breaking_hours)
            }
            7 => {
                c.related = self.rng.u32(0..=4);
                format!("related = {}", c.related)
            }
            8 => {
                c.full_text = !c.full_text;
                c.feed_limit = self.rng.u32(2..=20);
                format!("full_text = {}, limit = {}", c.full_text, c.feed_limit)
            }
            // Settings of the Markdown of every article.
            _ => match self.rng.u32(0..4) {
                0 => {
                    c.slug_style = if c.slug_style == "arabic" { "latin" } else { "arabic" };
                    format!("slug_style = {}", c.slug_style)
                }
                1 => {
                    c.smart_punctuation = !c.smart_punctuation;
                    format!("smart_punctuation = {}", c.smart_punctuation)
                }
                2 => {
                    c.new_tab = !c.new_tab;
                    format!("external_links_new_tab = {}", c.new_tab)
                }
                _ => {
                    c.words_per_minute = self.rng.u32(1..=4) * 60;
                    format!("words_per_minute = {}", c.words_per_minute)
                }
            },
        };
        self.write_config();
        Some(Edit { what: format!("config.toml: {what}"), touched: vec!["config.toml".into()] })
    }

    /// Saves a file without changing it, as an editor's `:w` does.
    fn touch(&mut self) -> Option<Edit> {
        let mut candidates = self.articles();
        candidates
            .extend(["config.toml", "data/desk.toml", "templates/section.html"].map(String::from));
        candidates.retain(|c| !self.broken.contains_key(c));
        let path = choose(&mut self.rng, &candidates)?.clone();
        let text = self.read(&path);
        self.write(&path, &text);
        Some(Edit { what: format!("saved {path} unchanged"), touched: vec![path] })
    }

    // ---- breaking and fixing ----------------------------------------------------------------

    /// Breaks one file: the site is invalid until [`Churn::fix`] restores it.
    fn break_one(&mut self) -> Edit {
        let (path, broken, what) = match self.rng.u32(0..10) {
            0..6 => {
                let path = self.pick_article().expect("an article");
                let text = self.read(&path);
                let mut doc = Doc::parse(&text).expect("front matter");
                let what = match (self.rng.u32(0..3), doc.yaml) {
                    (0, _) => {
                        doc.remove("date");
                        "date removed"
                    }
                    (1, _) => {
                        doc.set("date", "2026-13-45T10:00:00");
                        "a date that is none"
                    }
                    (_, true) => {
                        doc.set("title", "[نص لم يُغلق");
                        "an unclosed YAML list"
                    }
                    (_, false) => {
                        doc.set("title", "\"نص لم يُغلق");
                        "an unclosed TOML string"
                    }
                };
                (path, doc.render(), what)
            }
            6 | 7 => {
                let path = one(&mut self.rng, SITE_TEMPLATES).to_string();
                let text = self.read(&path);
                (path, format!("{text}{{% if %}}"), "a template syntax error")
            }
            8 => {
                let path = "data/authors.toml".to_string();
                let text = self.read(&path);
                (path, format!("{text}[broken\n"), "a TOML syntax error")
            }
            _ => {
                let path = "config.toml".to_string();
                let text = self.read(&path);
                let text: String = text
                    .lines()
                    .map(|l| {
                        if l.starts_with("per_page") {
                            "per_page = 0\n".into()
                        } else {
                            format!("{l}\n")
                        }
                    })
                    .collect();
                (path, text, "per_page = 0")
            }
        };
        let good = self.read(&path);
        self.write(&path, &broken);
        self.broken.insert(path.clone(), good);
        Edit { what: format!("BROKE {path}: {what}"), touched: vec![path] }
    }

    /// Restores one broken file.
    fn fix(&mut self) -> Edit {
        let keys: Vec<String> = self.broken.keys().cloned().collect();
        let path = choose(&mut self.rng, &keys).expect("a broken file").clone();
        let good = self.broken.remove(&path).expect("broken");
        self.write(&path, &good);
        Edit { what: format!("FIXED {path}"), touched: vec![path] }
    }

    // ---- generated files --------------------------------------------------------------------

    fn write_config(&self) {
        let c = &self.config;
        let text = format!(
            "title = \"أخبار التجربة {}\"\ndescription = \"موقع صغير يتغير كثيرًا\"\n\
             base_url = \"https://churn.example/\"\ntimezone = \"Asia/Riyadh\"\nper_page = {}\n\n\
             [arabic]\ndigits = \"{}\"\nmonths = \"{}\"\nhijri = {}\nslug_style = \"{}\"\n\
             words_per_minute = {}\n\n\
             [markdown]\nsmart_punctuation = {}\nexternal_links_new_tab = {}\n\n\
             [news]\nbreaking_hours = {}\nrelated = {}\n\n[feeds]\nfull_text = {}\nlimit = {}\n",
            c.title,
            c.per_page,
            c.digits,
            c.months,
            c.hijri,
            c.slug_style,
            c.words_per_minute,
            c.smart_punctuation,
            c.new_tab,
            c.breaking_hours,
            c.related,
            c.full_text,
            c.feed_limit
        );
        self.write("config.toml", &text);
    }

    fn write_authors(&self) {
        let mut text = String::new();
        for a in &self.authors {
            let _ = writeln!(text, "[{}]\nname = \"{}\"", a.key, a.name);
            if let Some(gender) = a.gender {
                let _ = writeln!(text, "gender = \"{gender}\"");
            }
            if !a.bio.is_empty() {
                let _ = writeln!(text, "bio = \"{}\"", a.bio);
            }
            text.push('\n');
        }
        self.write("data/authors.toml", &text);
    }

    fn write_most_read(&self) {
        self.write(
            "data/most_read.toml",
            &format!("articles = {}\n", list(self.most_read.iter().cloned())),
        );
    }

    fn write_desk(&self) {
        self.write("data/desk.toml", &format!("editor = \"مكتب التحرير {}\"\n", self.desk));
    }

    // ---- random values ----------------------------------------------------------------------

    fn next(&mut self) -> u32 {
        self.counter += 1;
        self.counter
    }

    fn pick_article(&mut self) -> Option<String> {
        let articles = self.articles();
        choose(&mut self.rng, &articles).cloned()
    }

    fn sentence(&mut self) -> String {
        let n = self.rng.usize(3..=8);
        let mut words: Vec<&str> = (0..n).map(|_| *one(&mut self.rng, WORDS)).collect();
        if self.rng.u32(0..4) == 0 {
            let at = self.rng.usize(0..=words.len());
            words.insert(at, *one(&mut self.rng, ENGLISH));
        }
        let c = self.next();
        format!("{} {c}.", words.join(" "))
    }

    /// A paragraph of a body: a sentence, sometimes with straight quotes and a double dash
    /// (which `smart_punctuation` turns into curly ones and a dash).
    fn paragraph(&mut self) -> String {
        let sentence = self.sentence();
        if self.rng.u32(0..3) == 0 {
            let word = *one(&mut self.rng, WORDS);
            format!("قال \"{word}\" -- {sentence}")
        } else {
            sentence
        }
    }

    /// A title unique in the site (so that no two articles get one URL).
    fn title(&mut self) -> String {
        let n = self.rng.usize(2..=5);
        let words: Vec<&str> = (0..n).map(|_| *one(&mut self.rng, WORDS)).collect();
        format!("{} {}", words.join(" "), self.next())
    }

    /// A date in November 2026 (sometimes without an offset), or after the build time.
    fn date(&mut self) -> String {
        if self.rng.u32(0..10) == 0 {
            let day = self.rng.u32(1..=9);
            return format!("2026-12-{day:02}T09:00:00+03:00");
        }
        let day = self.rng.u32(1..=29);
        let (hour, minute) = (self.rng.u32(0..24), 5 * self.rng.u32(0..12));
        if self.rng.u32(0..5) == 0 {
            format!("2026-11-{day:02}T{hour:02}:{minute:02}:00")
        } else {
            format!("2026-11-{day:02}T{hour:02}:{minute:02}:00+03:00")
        }
    }

    /// A date in the hours before the build time (2026-11-30T12:00:00+03:00).
    fn recent_date(&mut self) -> String {
        let hours_before = self.rng.i64(0..=30);
        let at = NOW_EPOCH - hours_before * 3600 - 60 * self.rng.i64(0..60);
        let ts = jiff::Timestamp::from_second(at).expect("a time");
        ts.to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(3)))
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string()
    }

    fn article_text(&mut self) -> String {
        let yaml = self.rng.bool();
        let mut doc = Doc { yaml, keys: Vec::new(), body: String::new() };
        let title = self.title();
        doc.set("title", &quoted(&title));
        let date = self.date();
        doc.set("date", &date);
        if self.rng.bool() {
            let author = *one(&mut self.rng, AUTHORS);
            doc.set("author", &quoted(author));
        }
        let n = self.rng.usize(0..=2);
        let tags = self.rng.choose_multiple(TAGS.iter(), n);
        doc.set("tags", &list(tags.iter().map(|t| t.to_string())));
        if self.rng.u32(0..3) == 0 {
            let summary = self.sentence();
            doc.set("summary", &quoted(&summary));
        }
        if self.rng.u32(0..8) == 0 {
            doc.set("breaking", "true");
            let date = self.recent_date();
            doc.set("date", &date);
        }
        let paragraphs: Vec<String> =
            (0..self.rng.usize(1..=3)).map(|_| self.paragraph()).collect();
        doc.body = paragraphs.join("\n\n") + "\n";
        doc.render()
    }

    // ---- files ------------------------------------------------------------------------------

    fn rel(&self, path: &Path) -> String {
        path.strip_prefix(&self.root).expect("under the root").to_string_lossy().replace('\\', "/")
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.root.join(rel)).unwrap_or_else(|e| panic!("remove {rel}: {e}"));
    }
}

/// A content file split into its front matter lines and body, edited line by line: the values
/// written (double-quoted strings without escapes, `["a", "b"]` lists, booleans, numbers and
/// bare dates) read the same in YAML and in TOML.
struct Doc {
    yaml: bool,
    /// Front matter lines, `key: value` or `key = value`.
    keys: Vec<String>,
    body: String,
}

impl Doc {
    fn parse(text: &str) -> Option<Doc> {
        let fence = if text.starts_with("---") { "---" } else { "+++" };
        let mut lines = text.split_inclusive('\n');
        lines.next()?;
        let mut keys = Vec::new();
        let mut offset = text.find('\n')? + 1;
        for line in lines {
            offset += line.len();
            if line.trim_end() == fence {
                return Some(Doc { yaml: fence == "---", keys, body: text[offset..].to_string() });
            }
            keys.push(line.trim_end().to_string());
        }
        None
    }

    fn render(&self) -> String {
        let fence = if self.yaml { "---" } else { "+++" };
        format!("{fence}\n{}\n{fence}\n{}", self.keys.join("\n"), self.body)
    }

    fn line_of(&self, key: &str) -> Option<usize> {
        self.keys.iter().position(|line| {
            line.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with([':', '=']))
        })
    }

    fn has(&self, key: &str) -> bool {
        self.line_of(key).is_some()
    }

    fn is_true(&self, key: &str) -> bool {
        self.line_of(key).is_some_and(|i| self.keys[i].trim_end().ends_with("true"))
    }

    fn set(&mut self, key: &str, value: &str) {
        let line = if self.yaml { format!("{key}: {value}") } else { format!("{key} = {value}") };
        match self.line_of(key) {
            Some(i) => self.keys[i] = line,
            None => self.keys.push(line),
        }
    }

    fn remove(&mut self, key: &str) {
        if let Some(i) = self.line_of(key) {
            self.keys.remove(i);
        }
    }
}

/// `rev-<digits>` markers replaced by `rev-n`.
fn bump_revs(text: &str, n: u32) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("rev-") {
        out.push_str(&rest[..at]);
        out.push_str(&format!("rev-{n}"));
        rest = rest[at + 4..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.map(|i| quoted(&i)).collect();
    format!("[{}]", items.join(", "))
}

/// One of `items` at random, or `None` when there is none.
fn choose<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.usize(0..items.len())])
}

/// One of a constant, non-empty list at random.
fn one<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    choose(rng, items).expect("invariant: a constant list is not empty")
}

/// Every file under `dir`, sorted.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = crate::harness::walk(dir);
    out.sort();
    out
}
