//! `midad init [DIR]`: a site that builds as it is, with no warning: `config.toml` with its
//! keys explained in Arabic and English, one section with one article dated now, an author, and
//! the built-in theme (copied into `themes/` with `--theme-copy`).

use std::path::{Path, PathBuf};

use crate::error::{Diagnostic, Errors, Kind, Origin};

/// What `midad init` was asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder of the new site.
    pub dir: PathBuf,
    /// Write into a folder that is not empty.
    pub force: bool,
    /// Copy the built-in theme into `themes/akhbar/`.
    pub theme_copy: bool,
    /// The time the sample article is dated; else `SOURCE_DATE_EPOCH`, else the clock.
    pub now: Option<jiff::Timestamp>,
}

/// What `midad init` wrote.
#[derive(Debug)]
pub struct InitReport {
    /// The site folder.
    pub dir: PathBuf,
    /// The files written, relative to it (the theme's as one folder).
    pub files: Vec<PathBuf>,
}

/// The section of a new site and its one article, whose file `midad new` would name the same.
const SECTION: &str = "news";
const ARTICLE_TITLE: &str = "أهلًا بك في موقعك الجديد";

/// Makes a new site in `opts.dir`.
pub fn init(opts: &InitOptions) -> Result<InitReport, Errors> {
    refuse_unless_empty(opts).map_err(|d| Errors::new(vec![d]))?;
    let now = crate::pipeline::build_time(opts.now).map_err(|d| Errors::new(vec![d]))?;
    let date =
        now.to_zoned_datetime(jiff::tz::TimeZone::get(TIMEZONE).unwrap_or(jiff::tz::TimeZone::UTC));
    let date = date.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string();
    let article = Path::new("content").join(SECTION).join(format!("{}.md", article_slug()));
    let files: Vec<(PathBuf, String)> = vec![
        ("config.toml".into(), CONFIG.to_string()),
        (Path::new("content").join(SECTION).join("_index.md"), SECTION_INDEX.to_string()),
        (article, ARTICLE.replace("{date}", &date).replace("{title}", ARTICLE_TITLE)),
        ("data/authors.toml".into(), AUTHORS.to_string()),
        ("static/.gitkeep".into(), String::new()),
        (".gitignore".into(), GITIGNORE.to_string()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        super::files::write(&opts.dir.join(&rel), &text, &rel).map_err(|d| Errors::new(vec![d]))?;
        written.push(rel);
    }
    if opts.theme_copy {
        let rel = Path::new("themes").join(crate::theme::BUILT_IN);
        crate::theme::copy_built_in(&opts.dir.join(&rel))
            .map_err(|e| Errors::new(vec![Diagnostic::write(&rel, e)]))?;
        written.push(rel);
    }
    Ok(InitReport { dir: opts.dir.clone(), files: written })
}

/// The slug the build gives the sample article (its file is named by it, as `midad new` does).
fn article_slug() -> String {
    let style = crate::arabic::slug::SlugStyle::Arabic;
    crate::arabic::slug::slugify_capped(ARTICLE_TITLE, style, crate::content::MAX_SLUG_CHARS)
}

/// An error unless `opts.dir` is missing or empty (a `.git` folder alone counts as empty), or
/// `--force` was given.
fn refuse_unless_empty(opts: &InitOptions) -> Result<(), Diagnostic> {
    let entries = match std::fs::read_dir(&opts.dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            let message = format!("`{}` is a file, not a folder", opts.dir.display());
            return Err(Diagnostic::new(Kind::Command, Origin::None, message));
        }
        Err(e) => return Err(Diagnostic::read(&opts.dir, e)),
    };
    let taken = entries.flatten().any(|entry| entry.file_name() != ".git");
    if taken && !opts.force {
        let message = format!("`{}` is not empty", opts.dir.display());
        return Err(Diagnostic::new(Kind::Command, Origin::Flag("DIR"), message).with_hint(
            "give a new or empty folder, or add `--force` to write the new site's files into it \
             (files of the same name are replaced)",
        ));
    }
    Ok(())
}

const TIMEZONE: &str = "Africa/Cairo";

const CONFIG: &str = r#"# إعدادات الموقع · Site settings
# كل مفتاح وما يقبله في README.md، قسم «config.toml» · README.md, «config.toml», lists every key.

# اسم الموقع ووصفه كما يظهران في الصفحات والخلاصات ومحركات البحث
# The site's name and description, as pages, feeds and search engines show them.
title = "موقعي الإخباري"
description = "أخبار محلية وعربية على مدار الساعة"

# العنوان الذي يُنشر عليه الموقع (تُبنى منه الروابط الكاملة في الخلاصات وخرائط الموقع)
# The address the site is published at (feeds and sitemaps use full links).
base_url = "https://example.com/"

# لغة الموقع ومنطقته الزمنية: تُقرأ التواريخ بلا إزاحة بها وتُعرض كل التواريخ بها
# The site's language and time zone: dates without an offset are read in it, all are shown in it.
language = "ar"
timezone = "Africa/Cairo"

# القالب: «akhbar» مدمج في midad؛ مجلد themes/akhbar/ في الموقع يحل محله إن وُجد
# The theme: «akhbar» is built into midad; a themes/akhbar/ folder in the site replaces it.
theme = "akhbar"

# عدد الأخبار في كل صفحة من صفحات الأقسام والوسوم والكتّاب
# Articles per page of a section, tag or author listing.
per_page = 20

[permalinks]
# روابط الأخبار: النمط الافتراضي /:section/:slug/، ولكل قسم نمطه إن شئت
# Article addresses: /:section/:slug/ by default; a section can have its own pattern.
# news = "/:section/:year/:month/:slug/"

[arabic]
months = "egypt"       # أسماء الشهور · month names: egypt | levant | maghreb | algeria_tunisia | both
digits = "latn"        # الأرقام · digits: latn 0-9 | arab ٠-٩
hijri = true           # التاريخ الهجري بجانب الميلادي · the Hijri date beside the Gregorian one
slug_style = "arabic"  # الروابط · slugs: arabic (كلمات عربية) | latin (transliterated)

[news]
breaking_hours = 24    # مدة بقاء الخبر العاجل في الشريط · how long breaking news stays in the ticker
related = 4            # «لا يفوتك»: عدد الأخبار ذات الصلة · related articles per article
# شعار الناشر في البيانات المنظمة، والصورة عند المشاركة لخبر بلا صورة؛ ضع شعارك في static/images/logo.svg
# The publisher's logo (structured data; the share image of an article without a photo).
# Put yours at static/images/logo.svg: the theme's is used until then.
logo = "/images/logo.svg"
"#;

const SECTION_INDEX: &str = r#"+++
title = "أخبار"
description = "آخر الأخبار المحلية والعربية"
weight = 1
+++
"#;

const ARTICLE: &str = r#"+++
title = "{title}"
date = {date}
author = "editor"
tags = ["مداد"]
summary = "هذا أول خبر في موقعك: عدّله أو احذفه، وأضف أخبارك بالأمر midad new."
+++

هذا خبر تجريبي كتبه midad عند إنشاء الموقع. كل خبر ملف Markdown في مجلد قسمه تحت `content/`، تبدأ بياناته (العنوان والتاريخ والكاتب والوسوم والملخص) بين سطرين من `+++` أو `---`.

## الخطوات التالية

- اكتب خبرًا جديدًا: `midad new "عنوان الخبر"`.
- شاهد الموقع وأنت تكتب: `midad serve`، ثم افتح الرابط الذي يطبعه.
- ابنِ الموقع للنشر: `midad build`، فيُكتب كاملًا في مجلد `public/`.
"#;

const AUTHORS: &str = r#"# كتّاب الموقع: يُشار إلى كل كاتب في الخبر بمفتاحه، author = "editor"
# The site's authors: an article names one by its key, author = "editor".
# gender يحدد فعل التوقيع «كتب» أو «كتبت» · gender picks the byline verb: male | female

[editor]
name = "فريق التحرير"
gender = "male"
bio = "فريق تحرير الموقع."
"#;

const GITIGNORE: &str = "/public/\n/.public.midad-*\n/.midad-cache/\n";
