//! Realistic WordPress exports (WXR 1.2) for the tests of `midad import wordpress`, made from a
//! seed.
//!
//! [`generate`] writes what Tools → Export → All content gives for an Arabic news site on
//! WordPress 6 (Cairo time, permalinks `/%year%/%monthnum%/%day%/%postname%/`): authors,
//! categories with percent-encoded Arabic nicenames, tags, posts in every status, pages, a contact
//! form, a menu, attachments, and comments. Bodies are in WordPress's storage format, from the
//! classic editor (no `<p>`, blank lines between paragraphs, single newlines as line breaks) and
//! from the block editor (`<!-- wp:… -->` comments around HTML), with what real archives hold:
//! `[caption]`, `[gallery]`, `[embed]`, addresses alone on a line, `[video]`, plugins'
//! shortcodes, pasted embed code, code with `[embed]` and `{{ x }}` in it, tables, `&nbsp;`.
//! [`Export`] also says what each post is, as an importer should see it, so that a test compares
//! an import with these facts rather than with the XML.
//!
//! The quirks are WordPress's own, on purpose: drafts and pending posts have no `post_name` and a
//! GMT date of zeros (and an empty `pubDate`), trashed posts' names end in `__trashed`, terms come
//! sorted by name (so the first category is the alphabetical one), old addresses sit in
//! `_wp_old_slug`, large photos are `-scaled` while their sizes keep the original's name, guids
//! keep the `http://` of before the site moved to HTTPS, links are pasted percent-encoded in upper
//! or lower case or raw, and a `]]>` in a body splits its CDATA.
//!
//! The uploads are real files but tiny (a 1600×1067 photo is a 50×33 JPEG): names carry the sizes
//! WordPress made, pixels only have to decode. The prose is written for this file.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use fastrand::Rng;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// The exported site's address, as WordPress writes it (no trailing slash).
pub const BASE_URL: &str = "https://akhbar.example";

/// A WordPress export and what it holds.
pub struct Export {
    /// The WXR file.
    pub xml: String,
    /// Every item of post type `post`, in export order (by ID, as WordPress exports).
    pub posts: Vec<Post>,
    /// Every item of post type `page`, in export order.
    pub pages: Vec<Page>,
    /// Every attachment, in export order.
    pub media: Vec<Media>,
    /// The `wp:author` blocks.
    pub authors: Vec<Author>,
    /// The `wp:category` blocks.
    pub categories: Vec<Term>,
    /// The `wp:tag` blocks.
    pub tags: Vec<Term>,
    /// The files of the uploads folder: path under it (`2024/03/photo-12.jpg`) and bytes.
    pub uploads: Vec<(String, Vec<u8>)>,
    /// `https://akhbar.example`.
    pub base_url: String,
}

/// A post as an importer should read it.
pub struct Post {
    /// `wp:post_id`.
    pub id: u64,
    /// The title as shown: entities of the stored title (`&amp;`, `&quot;`) decoded.
    pub title: String,
    /// `wp:post_name` percent-decoded: Arabic, or Latin when the editor set it. Empty for drafts
    /// and pending posts never published; ends in `__trashed` for trashed ones.
    pub slug: String,
    /// `publish`, `draft`, `pending`, `private`, `future` or `trash`.
    pub status: &'static str,
    /// `wp:post_date`, site (Cairo) time: `2024-03-15 14:05:00`.
    pub date: String,
    /// `wp:post_date_gmt`; `0000-00-00 00:00:00` for drafts and pending posts never published.
    pub date_gmt: String,
    /// The path of the pretty permalink, `/2024/03/15/<post_name as exported>/`; `/?p=<id>` when
    /// the post has no name.
    pub permalink: String,
    /// Which editor wrote the body.
    pub editor: Editor,
    /// The author's login (`dc:creator`).
    pub author: String,
    /// The first `category` element of domain `category` (terms come sorted by name).
    pub category: String,
    /// Every category, in the order of the elements.
    pub categories: Vec<String>,
    /// Every tag, in the order of the elements.
    pub tags: Vec<String>,
    /// The upload path of the featured image (`_thumbnail_id` → the attachment's
    /// `_wp_attached_file`, which ends in `-scaled` for large photos).
    pub featured: Option<String>,
    /// Upload paths (`_wp_attached_file`, never a sized copy) of the images the body shows:
    /// `<img>` of a sized copy, `[caption]`, `wp:image`, and `[gallery]`/`wp:gallery` by ID.
    pub inline_images: Vec<String>,
    /// Upload paths of videos the body plays (`[video mp4=…]`, `wp:video`).
    pub videos: Vec<String>,
    /// Platform addresses that should become embeds (`[embed]`, alone on a line, `[video]` of
    /// YouTube, `wp:embed`), with `&amp;` decoded.
    pub embeds: Vec<String>,
    /// Platform addresses of pasted embed code: an X `blockquote` with its script, a YouTube
    /// `iframe` (its `src`).
    pub html_embeds: Vec<String>,
    /// IDs of the posts the body links to (by permalink in any form, or `?p=`).
    pub links: Vec<u64>,
    /// `_wp_old_slug` values, decoded: addresses the post had before.
    pub old_slugs: Vec<String>,
    /// `excerpt:encoded`, usually empty.
    pub excerpt: String,
    /// `wp:post_password`, usually empty.
    pub password: String,
    /// `wp:is_sticky`.
    pub sticky: bool,
    /// How many `wp:comment` blocks the item has.
    pub comments: usize,
    /// How many of those are approved comments (not pingbacks, pending, spam or trash).
    pub approved_comments: usize,
}

/// Which editor wrote a body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Editor {
    /// The classic editor: no `<p>`, paragraphs separated by blank lines (`wpautop` adds them).
    Classic,
    /// The block editor: HTML between `<!-- wp:… -->` comments.
    Blocks,
}

/// A page.
pub struct Page {
    /// `wp:post_id`.
    pub id: u64,
    /// The title as shown.
    pub title: String,
    /// `wp:post_name` decoded.
    pub slug: String,
    /// `publish` or `draft`.
    pub status: &'static str,
    /// The parent page's ID, 0 for none.
    pub parent: u64,
    /// The path of its address, names as exported: `/<parent>/<name>/`.
    pub path: String,
}

/// An attachment.
pub struct Media {
    /// `wp:post_id`.
    pub id: u64,
    /// `_wp_attached_file`: the path under the uploads folder.
    pub path: String,
    /// The original upload when `path` is WordPress's `-scaled` copy of a large photo.
    pub original: Option<String>,
    /// The sized copies WordPress made (`photo-12-300x200.jpg`), upload paths.
    pub sizes: Vec<String>,
    /// `wp:post_parent`: the post it was uploaded to, 0 for the media library.
    pub parent: u64,
    /// `image/jpeg`, `image/png` or `video/mp4`.
    pub mime: &'static str,
    /// `_wp_attachment_image_alt`, often empty.
    pub alt: String,
    /// `excerpt:encoded`, often empty.
    pub caption: String,
}

/// An author (`wp:author`).
pub struct Author {
    /// `wp:author_login`, Latin.
    pub login: String,
    /// `wp:author_display_name`, Arabic.
    pub display_name: String,
    /// `wp:author_email`.
    pub email: String,
}

/// A category or a tag.
pub struct Term {
    /// `wp:term_id`.
    pub id: u64,
    /// `cat_name` / `tag_name`.
    pub name: String,
    /// The nicename / slug as exported: percent-encoded Arabic (lower-case hex) or Latin.
    pub nicename: String,
    /// `nicename` decoded.
    pub slug: String,
    /// The parent category's name.
    pub parent: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The site: authors and terms.

/// Login, display name, first name, last name.
const AUTHORS: [(&str, &str, &str, &str); 7] = [
    ("admin", "فريق التحرير", "", ""),
    ("sara.kamal", "سارة كمال", "سارة", "كمال"),
    ("ahmed.elsayed", "أحمد السيد", "أحمد", "السيد"),
    ("mona.abdelrahman", "منى عبد الرحمن", "منى", "عبد الرحمن"),
    ("khaled.mansour", "خالد منصور", "خالد", "منصور"),
    ("yasmin.farouk", "ياسمين فاروق", "ياسمين", "فاروق"),
    ("omar.hegazy", "عمر حجازي", "عمر", "حجازي"),
];

/// What a post is about: picks its title, sentences, tags and photo names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Topic {
    Politics,
    Economy,
    Sports,
    Tech,
    Health,
    Culture,
    Misc,
    Accidents,
    Regions,
}

/// A category of the site.
struct Category {
    name: &'static str,
    /// A Latin slug the editors set; else WordPress's, from the name.
    slug: Option<&'static str>,
    /// The parent's index in `CATEGORIES`.
    parent: Option<usize>,
    /// What its posts are about.
    topic: Topic,
    term_id: u64,
}

const CATEGORIES: [Category; 11] = [
    Category { name: "غير مصنف", slug: None, parent: None, topic: Topic::Misc, term_id: 1 },
    Category { name: "سياسة", slug: None, parent: None, topic: Topic::Politics, term_id: 3 },
    Category { name: "اقتصاد", slug: None, parent: None, topic: Topic::Economy, term_id: 4 },
    Category {
        name: "رياضة",
        slug: Some("sports"),
        parent: None,
        topic: Topic::Sports,
        term_id: 5,
    },
    Category {
        name: "كرة القدم",
        slug: Some("football"),
        parent: Some(3),
        topic: Topic::Sports,
        term_id: 7,
    },
    Category {
        name: "تكنولوجيا", slug: None, parent: None, topic: Topic::Tech, term_id: 8
    },
    Category { name: "صحة", slug: None, parent: None, topic: Topic::Health, term_id: 9 },
    Category {
        name: "ثقافة وفنون", slug: None, parent: None, topic: Topic::Culture, term_id: 10
    },
    Category { name: "منوعات", slug: None, parent: None, topic: Topic::Misc, term_id: 12 },
    Category { name: "حوادث", slug: None, parent: None, topic: Topic::Accidents, term_id: 13 },
    Category {
        name: "محافظات", slug: None, parent: None, topic: Topic::Regions, term_id: 15
    },
];

/// The index of «غير مصنف», WordPress's default category.
const UNCATEGORIZED: usize = 0;

/// Name, Latin slug, topic (`None`: any).
const TAGS: [(&str, Option<&str>, Option<Topic>); 30] = [
    ("مصر", None, None),
    ("القاهرة", None, None),
    ("الانتخابات", None, Some(Topic::Politics)),
    ("البرلمان", None, Some(Topic::Politics)),
    ("البنك المركزي", None, Some(Topic::Economy)),
    ("الدولار", None, Some(Topic::Economy)),
    ("الذهب", None, Some(Topic::Economy)),
    ("التضخم", None, Some(Topic::Economy)),
    ("البورصة", None, Some(Topic::Economy)),
    ("اقتصاد", None, Some(Topic::Economy)),
    ("كأس العالم", None, Some(Topic::Sports)),
    ("الدوري المصري", None, Some(Topic::Sports)),
    ("الأهلي", None, Some(Topic::Sports)),
    ("الزمالك", None, Some(Topic::Sports)),
    ("المنتخب الوطني", None, Some(Topic::Sports)),
    ("الذكاء الاصطناعي", None, Some(Topic::Tech)),
    ("iPhone", Some("iphone"), Some(Topic::Tech)),
    ("الجيل الخامس", None, Some(Topic::Tech)),
    ("COVID-19", Some("covid-19"), Some(Topic::Health)),
    ("كورونا", None, Some(Topic::Health)),
    ("اللقاحات", None, Some(Topic::Health)),
    ("وزارة الصحة", None, Some(Topic::Health)),
    ("معرض الكتاب", None, Some(Topic::Culture)),
    ("السينما", None, Some(Topic::Culture)),
    ("الطقس", None, Some(Topic::Misc)),
    ("حوادث الطرق", None, Some(Topic::Accidents)),
    ("الحماية المدنية", None, Some(Topic::Accidents)),
    ("الإسكندرية", None, Some(Topic::Regions)),
    ("المترو", None, Some(Topic::Regions)),
    ("التعليم", None, None),
];

/// The first tag's term ID; the others follow with gaps.
const FIRST_TAG_ID: u64 = 20;
/// The menu's term.
const MENU_TERM: (u64, &str, &str) = (
    61,
    "القائمة الرئيسية",
    "%d8%a7%d9%84%d9%82%d8%a7%d8%a6%d9%85%d8%a9-%d8%a7%d9%84%d8%b1%d8%a6%d9%8a%d8%b3%d9%8a%d8%a9",
);
/// Post formats: not declared in the channel (WordPress exports only custom taxonomies and
/// menus), but named in items.
const FORMAT_TERMS: [&str; 2] = ["post-format-video", "post-format-gallery"];

// ---------------------------------------------------------------------------------------------
// Words: fill-ins, titles, sentences. `{city}`, `{official}`, `{team}`, `{team2}`, `{month}`,
// `{law}`, `{n}` (3–9, before a plural), `{n2}` (10–250), `{minute}`, `{points}`, `{age}` (in
// years), `{pct}` (3.0–39.9) and `{year}` are filled at random. The first sentence of each
// topic opens a story (it is the lead's); the others follow it.

const CITIES: [&str; 12] = [
    "القاهرة",
    "الإسكندرية",
    "أسوان",
    "بورسعيد",
    "المنصورة",
    "طنطا",
    "الأقصر",
    "السويس",
    "دمياط",
    "الغردقة",
    "الفيوم",
    "المنيا",
];
const OFFICIALS: [&str; 8] = [
    "وزير المالية",
    "محافظ البنك المركزي",
    "رئيس الوزراء",
    "وزيرة التخطيط",
    "وزير الخارجية",
    "المتحدث باسم الحكومة",
    "وزير الصحة",
    "وزير النقل",
];
const TEAMS: [&str; 7] =
    ["الأهلي", "الزمالك", "المصري", "الإسماعيلي", "بيراميدز", "سموحة", "الاتحاد السكندري"];
const MONTHS: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];
const LAWS: [&str; 4] =
    ["الإيجار القديم", "التأمين الصحي الشامل", "حماية البيانات الشخصية", "الإدارة المحلية"];

fn titles(topic: Topic) -> &'static [&'static str] {
    match topic {
        Topic::Politics => &[
            "{official} يبحث مع وفد رسمي ملفات التعاون المشترك",
            "البرلمان يوافق على مشروع قانون {law}",
            "جولة جديدة من المشاورات في {city} خلال {month}",
            "المعارضة تطالب بمزيد من الشفافية في بنود الموازنة",
        ],
        Topic::Economy => &[
            "التضخم يرتفع إلى {pct}% في {month}",
            "البنك المركزي يثبت أسعار الفائدة للمرة الثالثة",
            "سعر الدولار اليوم في البنوك المصرية",
            "البورصة تربح {n2} مليار جنيه في ختام تعاملات الأسبوع",
            "أسعار الذهب تتراجع مع نهاية الأسبوع",
        ],
        Topic::Sports => &[
            "{team} يفوز على {team2} ويعتلي صدارة الدوري",
            "إصابة قائد {team} تبعده عن الملاعب {n} أسابيع",
            "المنتخب يبدأ معسكره المغلق في {city}",
            "موعد مباراة {team} و{team2} والقنوات الناقلة",
        ],
        Topic::Tech => &[
            "إطلاق خدمة جديدة للترجمة الفورية بالذكاء الاصطناعي",
            "تحذير من رسائل احتيالية تنتحل صفة البنوك",
            "شبكات الجيل الخامس تصل إلى {n} مدن",
            "تحديث جديد يعالج ثغرة أمنية في تطبيق شهير",
        ],
        Topic::Health => &[
            "حملة تطعيم تستهدف {n2} ألف طفل في {city}",
            "افتتاح مستشفى جديد بسعة {n2} سريراً في {city}",
            "نصائح للوقاية من ضربات الشمس في موجة الحر",
        ],
        Topic::Culture => &[
            "انطلاق معرض الكتاب بمشاركة {n2} دار نشر",
            "فيلم جديد يروي حكاية حي شعبي في {city}",
            "رواية عن {city} تفوز بجائزة لجنة التحكيم",
        ],
        Topic::Misc => &[
            "قطة تقود حافلة في {city}؟ حقيقة المقطع المتداول",
            "طقس الغد: معتدل نهاراً بارد ليلاً",
            "مقهى في {city} يقدّم الشاي نفسه منذ {age} عاماً",
        ],
        Topic::Accidents => &[
            "إصابة {n} أشخاص في حادث تصادم على الطريق الصحراوي",
            "السيطرة على حريق في مخزن بـ{city} دون إصابات",
        ],
        Topic::Regions => &[
            "محافظ {city} يفتتح مشروعاً لتطوير الطرق الداخلية",
            "مواعيد جديدة لغلق المحال التجارية في {city}",
        ],
    }
}

/// Titles with what titles hold in real archives, stored as WordPress has them (entities
/// included), with the category they belong in.
const SPECIAL_TITLES: [(&str, usize); 10] = [
    ("الذهب &amp; الدولار: أين يتجه المستثمرون في 2024؟", 2),
    ("«الصحة» تعلن خطة جديدة لمواجهة COVID-19 في 27 محافظة", 6),
    ("إطلاق iPhone 16 Pro في السوق المصرية بسعر يبدأ من 60 ألف جنيه", 5),
    ("🔴 عاجل: تعطل حركة المترو في {city} بسبب عطل فني", 10),
    ("رئيس النادي: &quot;لن نبيع أي لاعب في يناير&quot;", 4),
    ("التضخم &lt; 10% لأول مرة منذ عامين &#8211; ماذا يعني ذلك؟", 2),
    ("نتيجة الثانوية العامة ٢٠٢٤: رابط الاستعلام بالاسم ورقم الجلوس", 8),
    ("الحُكم في قضية «الأرض» يُعلَن غداً", 1),
    ("ندوة عن الأدب & السينما في {city}", 7),
    ("Windows 11 يحصل على تحديث أمني عاجل", 5),
];

/// Latin slugs editors typed for some posts.
const LATIN_SLUGS: [&str; 10] = [
    "gold-prices-today",
    "central-bank-rates",
    "ahly-zamalek",
    "new-hospital",
    "book-fair-opens",
    "metro-hours",
    "weather-tomorrow",
    "road-accident",
    "governor-roads",
    "ai-translation",
];

fn sentences(topic: Topic) -> &'static [&'static str] {
    match topic {
        Topic::Politics => &[
            "استقبل {official} في {city} وفداً رسمياً لبحث ملفات التعاون المشترك.",
            "وأكد المتحدث الرسمي أن اللقاء تناول {n} ملفات رئيسية، في مقدمتها الأمن الإقليمي \
             والطاقة.",
            "ومن المقرر أن تُعقد جولة جديدة من المشاورات خلال شهر {month} المقبل.",
            "وأشار البيان الختامي إلى ضرورة الالتزام بالحلول السلمية وتغليب لغة الحوار.",
            "وشهدت الجلسة نقاشاً مطولاً حول مشروع قانون {law}، الذي وافق عليه {n2} نائباً.",
            "وقال مصدر مطلع إن المفاوضات ما زالت في مراحلها الأولى، وإن الحديث عن اتفاق نهائي \
             سابق لأوانه.",
            "وطالب نواب المعارضة بمزيد من الشفافية في عرض بنود الموازنة قبل التصويت عليها.",
        ],
        Topic::Economy => &[
            "ارتفع معدل التضخم السنوي إلى {pct} في المئة خلال شهر {month}، وفق بيانات رسمية.",
            "وقرر البنك المركزي الإبقاء على أسعار الفائدة دون تغيير في اجتماعه الأخير.",
            "وسجل سعر الدولار {n2} جنيهاً في تعاملات البنوك صباح اليوم.",
            "وتوقع خبراء أن تتراجع أسعار الذهب قليلاً مع نهاية الأسبوع، بعد موجة صعود استمرت \
             {n} أيام.",
            "وأوضح {official} أن الحكومة تستهدف خفض العجز الكلي إلى {pct} في المئة من الناتج \
             المحلي.",
            "وشهدت البورصة تداولات نشطة، إذ ربح رأس المال السوقي نحو {n2} مليار جنيه.",
            "ويرى محللون أن زيادة الصادرات هي الطريق الأقصر لتخفيف الضغط على العملة المحلية.",
        ],
        Topic::Sports => &[
            "فاز {team} على {team2} بهدفين مقابل هدف في المباراة التي أقيمت على استاد {city}.",
            "وسجل المهاجم هدف الفوز في الدقيقة {minute} بعد تمريرة متقنة من الجناح الأيسر.",
            "وبهذا الفوز يرفع الفريق رصيده إلى {points} نقطة في صدارة جدول الترتيب.",
            "وأكد المدير الفني في المؤتمر الصحفي أن فريقه قدّم أفضل مبارياته هذا الموسم.",
            "ويستعد المنتخب لخوض معسكر مغلق في {city} استعداداً للتصفيات المقبلة.",
            "وأعلن الجهاز الطبي أن إصابة قائد الفريق ستبعده عن الملاعب لمدة {n} أسابيع.",
        ],
        Topic::Tech => &[
            "أعلنت الشركة عن هاتفها الجديد الذي يأتي بشاشة قياس 6.7 بوصة وبطارية تدوم يومين.",
            "وتعتمد الخدمة الجديدة على تقنيات الذكاء الاصطناعي لترجمة المحادثات فورياً.",
            "وحذر خبراء أمن المعلومات من رسائل احتيالية تنتحل صفة البنوك وتطلب بيانات البطاقات.",
            "وبلغ عدد مستخدمي الإنترنت عبر الهاتف المحمول نحو {n2} مليون مستخدم بنهاية العام.",
            "وتخطط الوزارة لتعميم شبكات الجيل الخامس في {n} مدن خلال المرحلة الأولى.",
            "وقال مطورو التطبيق إن التحديث يعالج ثغرة أمنية ويحسّن استهلاك البطارية.",
        ],
        Topic::Health => &[
            "أطلقت وزارة الصحة حملة للتطعيم تستهدف {n2} ألف طفل في {city} والمحافظات المجاورة.",
            "ونصح الأطباء بشرب كميات كافية من الماء وتجنب التعرض للشمس في ساعات الذروة.",
            "وأوضح التقرير أن نسبة الشفاء بلغت {pct} في المئة بين الحالات المسجلة.",
            "وافتتح {official} مستشفى جديداً بسعة {n2} سريراً مجهزاً بأحدث الأجهزة.",
            "وشددت الوزارة على أهمية الكشف المبكر، مؤكدة أن الفحوص متاحة مجاناً في الوحدات الصحية.",
        ],
        Topic::Culture => &[
            "افتتحت الدورة الجديدة لمعرض الكتاب بمشاركة {n2} دار نشر من {n} دول.",
            "ويعرض الفيلم قصة عائلة تعيش في حي شعبي بـ{city} خلال ستينيات القرن الماضي.",
            "وحصدت الرواية جائزة لجنة التحكيم، التي وصفتها بأنها «عمل جريء في لغته وبنائه».",
            "ويتضمن برنامج المهرجان عروضاً موسيقية وأمسيات شعرية وورشاً للأطفال.",
            "وقالت المخرجة إن التصوير استغرق {n} أشهر بين {city} والساحل الشمالي.",
        ],
        Topic::Misc => &[
            "تداول رواد مواقع التواصل مقطعاً لقطة تجلس على مقعد السائق في حافلة بـ{city}.",
            "ويقول صاحب المقهى إنه يقدّم الشاي بالنعناع بالطريقة نفسها منذ {age} عاماً.",
            "وتتوقع هيئة الأرصاد طقساً معتدلاً نهاراً بارداً ليلاً، مع فرص لسقوط أمطار خفيفة.",
            "وانتشرت صور الحديقة بعد تجديدها، لتتحول إلى وجهة مفضلة للعائلات في عطلة نهاية \
             الأسبوع.",
        ],
        Topic::Accidents => &[
            "أصيب {n} أشخاص في حادث تصادم بين سيارة نقل وحافلة صغيرة على الطريق الصحراوي.",
            "ودفعت الحماية المدنية بـ{n} سيارات إطفاء للسيطرة على الحريق قبل امتداده إلى \
             المباني المجاورة.",
            "ونُقل المصابون إلى مستشفى {city} العام لتلقي العلاج، وحالتهم مستقرة.",
            "وفتحت النيابة العامة تحقيقاً في الواقعة، وطلبت تحريات المباحث حول ملابساتها.",
        ],
        Topic::Regions => &[
            "افتتح محافظ {city} مشروعاً لتطوير الطرق الداخلية بتكلفة {n2} مليون جنيه.",
            "وتفقد المحافظ أعمال رصف الشوارع واستمع إلى مطالب الأهالي.",
            "وتشمل المرحلة الثانية من المشروع إنشاء {n} مدارس ووحدة صحية جديدة.",
            "وأعلنت المحافظة عن مواعيد جديدة لعمل المحال التجارية خلال فصل الصيف.",
        ],
    }
}

/// Sentences that fit any story.
const ANY_SENTENCES: [&str; 8] = [
    "وفي سياق متصل، تابع المواطنون التطورات باهتمام كبير عبر مواقع التواصل الاجتماعي.",
    "ويأتي ذلك في إطار خطة شاملة تمتد حتى عام {year}.",
    "ولم يصدر أي تعليق رسمي حتى لحظة كتابة هذا الخبر.",
    "وكانت تقارير سابقة قد أشارت إلى الأمر نفسه خلال الشهر الماضي.",
    "ومن المنتظر الإعلان عن مزيد من التفاصيل خلال الأيام المقبلة.",
    "وأضاف أن العمل يجري على قدم وساق لإنجاز المشروع في موعده.",
    "وتواصل «أخبار اليوم» متابعة الموقف لحظة بلحظة.",
    "ويُذكر أن الإحصاءات الرسمية تصدر كل ثلاثة أشهر.",
];

const SUBHEADS: [&str; 6] =
    ["تفاصيل القرار", "ردود الفعل", "خلفية", "ماذا بعد؟", "أرقام مهمة", "في {city}"];

const LIST_ITEMS: [&str; 8] = [
    "زيادة عدد الرحلات في ساعات الذروة",
    "فتح {n} منافذ جديدة للبيع",
    "مد ساعات العمل حتى العاشرة مساءً",
    "تخصيص {n2} مليون جنيه للمرحلة الأولى",
    "تدريب العاملين على الأنظمة الجديدة",
    "إطلاق تطبيق للهاتف لمتابعة الطلبات",
    "مراجعة الأسعار كل {n} أشهر",
    "التوسع في {city} والمحافظات المجاورة",
];

const QUOTES: [&str; 5] = [
    "لن نسمح بأي تأخير في تسليم المشروع، والمواطن هو من سيحكم على النتائج.",
    "الأرقام تتحسن شهراً بعد شهر، لكن الطريق ما زال طويلاً.",
    "اللاعبون قدموا كل ما لديهم، والجمهور كان اللاعب رقم واحد.",
    "نعمل على أن تصل الخدمة إلى كل بيت قبل نهاية العام.",
    "الكتاب ما زال حاضراً، والإقبال هذا العام فاق توقعاتنا.",
];

const ALTS: [&str; 10] = [
    "جانب من الاجتماع",
    "صورة أرشيفية",
    "من أجواء المباراة",
    "لقطة من الفيلم",
    "موقع الحادث",
    "سبائك ذهبية",
    "مبنى البنك المركزي",
    "المستشفى الجديد",
    "جانب من المعرض في {city}",
    "أعمال تطوير الطرق في {city}",
];

const COMMENTS: [&str; 10] = [
    "خبر مهم، شكراً على المتابعة.",
    "نتمنى أن يتم التنفيذ فعلاً هذه المرة.",
    "أين كان هذا الكلام من سنة؟",
    "موضوع رائع\nوننتظر التفاصيل.",
    "الأسعار في {city} مختلفة تماماً عن المذكور في الخبر.",
    "تغطية ممتازة كالعادة 👏",
    "هل من رابط للتقديم؟",
    "الله يعين الناس.",
    "أتفق مع ما جاء في المقال &amp; أضيف أن المشكلة قديمة.",
    "كلام جميل لكن التطبيق هو الأهم.",
];

const COMMENTERS: [&str; 8] =
    ["محمد علي", "أم يوسف", "Hassan", "نور الهدى", "مصطفى إبراهيم", "زائر", "Karim S.", "هبة الله"];

/// `template` with its `{…}` filled at random.
fn fill(rng: &mut Rng, template: &str) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    let mut team = "";
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').map_or(rest.len(), |end| start + end);
        let word = match &rest[start + 1..end] {
            "city" => pick(rng, &CITIES).to_string(),
            "official" => pick(rng, &OFFICIALS).to_string(),
            "team" => {
                team = *pick(rng, &TEAMS);
                team.to_string()
            }
            "team2" => TEAMS
                .iter()
                .copied()
                .filter(|t| *t != team)
                .nth(rng.usize(..5))
                .unwrap_or("")
                .to_string(),
            "month" => pick(rng, &MONTHS).to_string(),
            "law" => pick(rng, &LAWS).to_string(),
            "n" => rng.u32(3..10).to_string(),
            "minute" => rng.u32(1..91).to_string(),
            "points" => rng.u32(3..61).to_string(),
            "age" => rng.u32(12..71).to_string(),
            "n2" => rng.u32(10..251).to_string(),
            "pct" => format!("{}.{}", rng.u32(3..40), rng.u32(0..10)),
            "year" => rng.u32(2026..2036).to_string(),
            other => panic!("unknown fill-in `{other}`"),
        };
        out.push_str(&word);
        rest = &rest[(end + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

// ---------------------------------------------------------------------------------------------
// Times, slugs, IDs.

/// WordPress's date format in the database and in WXR.
const DATE: &str = "%Y-%m-%d %H:%M:%S";
/// What WordPress stores as the GMT date of a post that was never published.
const ZERO_DATE: &str = "0000-00-00 00:00:00";
/// The site's title.
const SITE_TITLE: &str = "أخبار اليوم";

fn at(year: i16, month: i8, day: i8, hour: i8, minute: i8) -> Timestamp {
    jiff::civil::date(year, month, day)
        .at(hour, minute, 0, 0)
        .to_zoned_datetime(TimeZone::UTC)
        .expect("invariant: a valid UTC time")
        .timestamp()
}

/// When WordPress was installed, the first post written and the export made (UTC).
fn installed() -> Timestamp {
    at(2019, 1, 2, 10, 0)
}
fn exported() -> Timestamp {
    at(2025, 11, 2, 9, 30)
}
/// When the site moved to HTTPS: older guids and some older upload addresses say `http://`.
fn https_since() -> Timestamp {
    at(2021, 3, 1, 0, 0)
}

fn gmt(time: Timestamp) -> String {
    time.strftime(DATE).to_string()
}

/// `pubDate`, as WordPress writes it (always `+0000`).
fn rss_date(time: Timestamp) -> String {
    time.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

/// Lower-case hex escapes of every byte that is not ASCII, as WordPress's `utf8_uri_encode`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for byte in c.to_string().bytes() {
                let _ = write!(out, "%{byte:02x}");
            }
        }
    }
    out
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8().expect("invariant: UTF-8").into_owned()
}

/// `%d8%a7` → `%D8%A7`, as a browser's address bar copies it; the rest of the text unchanged.
fn upper_hex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut left = 0;
    for c in text.chars() {
        if c == '%' {
            left = 2;
            out.push(c);
        } else if left > 0 {
            left -= 1;
            out.push(c.to_ascii_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Quotation marks and other characters WordPress's `sanitize_title_with_dashes` drops, encoded.
const DROPPED: [&str; 16] = [
    "%c2%ab",
    "%c2%bb",
    "%e2%80%98",
    "%e2%80%99",
    "%e2%80%9c",
    "%e2%80%9d",
    "%e2%80%a6",
    "%c2%a1",
    "%c2%bf",
    "%e2%80%b9",
    "%e2%80%ba",
    "%c2%a9",
    "%c2%ae",
    "%e2%84%a2",
    "%e2%80%8f",
    "%e2%80%8e",
];

/// `post_name` of a title as WordPress makes it (`sanitize_title`): lower case, non-ASCII
/// percent-encoded with lower-case hex and cut where its encoding passes 200 characters,
/// entities and ASCII punctuation dropped, spaces to dashes.
fn wp_slug(title: &str) -> String {
    let lower = title.replace('%', "").to_lowercase();
    let mut out = String::new();
    for c in lower.chars() {
        let width = if c.is_ascii() { 1 } else { 3 * c.len_utf8() };
        if out.len() + width > 200 {
            break;
        }
        out.push_str(&encode(&c.to_string()));
    }
    for dash in ["%c2%a0", "%e2%80%93", "%e2%80%94", "/"] {
        out = out.replace(dash, "-");
    }
    for dropped in DROPPED {
        out = out.replace(dropped, "");
    }
    let out = drop_entities(&out.replace("%c3%97", "x")).replace('.', "-");
    let kept: String = out
        .chars()
        .filter(|c| matches!(c, '%' | 'a'..='z' | '0'..='9' | ' ' | '_' | '-'))
        .collect();
    kept.split([' ', '-']).filter(|part| !part.is_empty()).collect::<Vec<_>>().join("-")
}

/// Drops `&…;` as WordPress's "kill entities" step does.
fn drop_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        match rest[start + 1..].find(';') {
            Some(end) if end > 0 => rest = &rest[start + end + 2..],
            _ => {
                out.push('&');
                rest = &rest[start + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A stored title as shown: its entities decoded.
fn shown(stored: &str) -> String {
    let mut out = stored.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">");
    out = out.replace("&#8211;", "–").replace("&#8217;", "’");
    out.replace("&amp;", "&")
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

// ---------------------------------------------------------------------------------------------
// Planning: every post decided before any body is written, since bodies link to other posts.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Publish,
    Draft,
    Pending,
    Private,
    Future,
    Trash,
    /// A post published, then turned back into a draft: a draft with its name and GMT date.
    Unpublished,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Publish => "publish",
            Status::Draft | Status::Unpublished => "draft",
            Status::Pending => "pending",
            Status::Private => "private",
            Status::Future => "future",
            Status::Trash => "trash",
        }
    }

    /// WordPress's "date floating" statuses: no `post_name` and a GMT date of zeros until the
    /// post is published.
    fn floating(self) -> bool {
        matches!(self, Status::Draft | Status::Pending)
    }

    /// Whether the post is seen on the site (so it has a pretty permalink in the export, gets
    /// comments and oEmbed caches).
    fn public(self) -> bool {
        matches!(self, Status::Publish | Status::Private)
    }
}

/// What a body holds besides paragraphs. Dealt to posts from a shuffled deck, so that a few
/// hundred posts hold each many times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Feature {
    Heading,
    List,
    Quote,
    Table,
    ReadAlso,
    ExternalLink,
    Image,
    Caption,
    Srcset,
    Gallery,
    EmbedShortcode,
    BareWatch,
    BareShort,
    BareX,
    BareTwitter,
    BareInstagram,
    BareOther,
    BareLink,
    VideoYouTube,
    VideoFile,
    ContactForm,
    AdShortcode,
    Code,
    Braces,
    Nbsp,
    LineBreaks,
    PastedTweet,
    Iframe,
    Hotlink,
}

const FEATURES: [Feature; 29] = [
    Feature::Heading,
    Feature::List,
    Feature::Quote,
    Feature::Table,
    Feature::ReadAlso,
    Feature::ExternalLink,
    Feature::Image,
    Feature::Caption,
    Feature::Srcset,
    Feature::Gallery,
    Feature::EmbedShortcode,
    Feature::BareWatch,
    Feature::BareShort,
    Feature::BareX,
    Feature::BareTwitter,
    Feature::BareInstagram,
    Feature::BareOther,
    Feature::BareLink,
    Feature::VideoYouTube,
    Feature::VideoFile,
    Feature::ContactForm,
    Feature::AdShortcode,
    Feature::Code,
    Feature::Braces,
    Feature::Nbsp,
    Feature::LineBreaks,
    Feature::PastedTweet,
    Feature::Iframe,
    Feature::Hotlink,
];

/// A post, decided.
struct Plan {
    id: u64,
    /// The title as stored (entities included).
    stored_title: String,
    status: Status,
    created: Timestamp,
    date: Timestamp,
    modified: Timestamp,
    /// `post_name` as exported.
    name: String,
    author: usize,
    topic: Topic,
    categories: Vec<usize>,
    tags: Vec<usize>,
    /// Index in `FORMAT_TERMS`.
    format: Option<usize>,
    editor: Editor,
    /// Each feature with the uploads (indices) it shows.
    features: Vec<(Feature, Vec<usize>)>,
    featured: Option<usize>,
    /// `_wp_old_slug` values, as stored (encoded).
    old_names: Vec<String>,
    old_date: Option<String>,
    excerpt: String,
    password: String,
    sticky: bool,
    /// A draft with no body yet.
    empty: bool,
}

impl Plan {
    /// The path of its pretty permalink, or `/?p=` when it has no name.
    fn permalink(&self, cairo: &TimeZone) -> String {
        if self.name.is_empty() {
            return format!("/?p={}", self.id);
        }
        let day = self.date.to_zoned_datetime(cairo.clone()).strftime("%Y/%m/%d").to_string();
        format!("/{day}/{}/", self.name)
    }

    /// Whether other posts may link to it.
    fn linkable(&self) -> bool {
        self.status == Status::Publish && !self.name.is_empty()
    }
}

/// The generator's state: the random source, Cairo's time zone and what is taken (IDs, names,
/// upload file names).
struct Wordpress {
    rng: Rng,
    cairo: TimeZone,
    next_id: u64,
    names: BTreeSet<String>,
    files: BTreeSet<String>,
    uploads: Vec<Upload>,
    deck: Vec<Feature>,
}

impl Wordpress {
    fn new(seed: u64) -> Wordpress {
        Wordpress {
            rng: Rng::with_seed(seed),
            cairo: TimeZone::get("Africa/Cairo").expect("invariant: the bundled tzdb has Cairo"),
            next_id: FIRST_POST_ID,
            names: BTreeSet::new(),
            files: BTreeSet::new(),
            uploads: Vec::new(),
            deck: Vec::new(),
        }
    }

    /// The next ID: WordPress's IDs have gaps where revisions and autosaves took theirs.
    fn id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1 + match self.rng.u32(..10) {
            0..=5 => 0,
            6..=8 => self.rng.u64(1..4),
            _ => self.rng.u64(4..13),
        };
        id
    }

    fn local(&self, time: Timestamp) -> String {
        time.to_zoned_datetime(self.cairo.clone()).strftime(DATE).to_string()
    }

    fn percent(&mut self, chance: u32) -> bool {
        self.rng.u32(..100) < chance
    }

    /// `base`, or `base-2`, `base-3`… when taken, as `wp_unique_post_slug`.
    fn unique_name(&mut self, base: &str) -> String {
        let mut name = base.to_string();
        let mut n = 2;
        while self.names.contains(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        self.names.insert(name.clone());
        name
    }

    fn draw(&mut self) -> Feature {
        if self.deck.is_empty() {
            self.deck = FEATURES.to_vec();
            self.rng.shuffle(&mut self.deck);
        }
        self.deck.pop().expect("invariant: the deck was just filled")
    }
}

/// IDs 1 to 13 are WordPress's install and the site's setup: the first post (1), pages (2, 3, 6,
/// 7), the contact form (5) and the menu's items (8–13).
const FIRST_POST_ID: u64 = 14;
const ABOUT_ID: u64 = 2;
const FORM_ID: u64 = 5;

/// The statuses of `n` posts in creation order: the first is WordPress's own first post, since
/// trashed; scheduled posts are the last written.
fn statuses(rng: &mut Rng, n: usize) -> Vec<Status> {
    let mut out = vec![Status::Publish; n];
    if n == 0 {
        return out;
    }
    out[0] = Status::Trash;
    let share = |per_mille: usize| if n >= 10 { (n * per_mille / 1000).max(1) } else { 0 };
    let n_future = share(20);
    for status in &mut out[n - n_future..] {
        *status = Status::Future;
    }
    let mut open: Vec<usize> = (1..n - n_future).collect();
    rng.shuffle(&mut open);
    let mut open = open.into_iter();
    let counts =
        [(Status::Draft, share(80)), (Status::Pending, share(20)), (Status::Private, share(15))];
    for (status, count) in counts.into_iter().chain([(Status::Trash, share(20).saturating_sub(1))])
    {
        for at in open.by_ref().take(count) {
            out[at] = status;
        }
    }
    // Two of the drafts had been published.
    let drafts = (0..n).filter(|&i| out[i] == Status::Draft);
    for at in drafts.take(share(10).min(2)).collect::<Vec<_>>() {
        out[at] = Status::Unpublished;
    }
    out
}

/// When each of `n` posts was written, oldest first, between the install and the export.
fn creation_times(rng: &mut Rng, n: usize) -> Vec<Timestamp> {
    let (start, end) = (at(2019, 1, 3, 0, 0).as_second(), at(2025, 10, 30, 0, 0).as_second());
    let mut seconds: Vec<i64> = (0..n).map(|_| rng.i64(start..end)).collect();
    seconds.sort_unstable();
    let mut times: Vec<Timestamp> =
        seconds.into_iter().map(|s| Timestamp::from_second(s).expect("in range")).collect();
    if let Some(first) = times.first_mut() {
        *first = installed();
    }
    times
}

fn plan_posts(wp: &mut Wordpress, n: usize) -> Vec<Plan> {
    let statuses = statuses(&mut wp.rng, n);
    let times = creation_times(&mut wp.rng, n);
    let mut plans: Vec<Plan> = Vec::with_capacity(n);
    for (index, (status, created)) in statuses.into_iter().zip(times).enumerate() {
        let plan = if index == 0 { first_post(wp) } else { plan_post(wp, index, status, created) };
        plans.push(plan);
    }
    let mut public: Vec<usize> = (0..n).filter(|&i| plans[i].status == Status::Publish).collect();
    wp.rng.shuffle(&mut public);
    for &i in public.iter().take(3) {
        plans[i].sticky = true;
    }
    for &i in public.iter().skip(3).take(2) {
        plans[i].password = "akhbar2024".to_string();
    }
    for &i in public.iter().skip(5).take(2) {
        let day = plans[i].date - jiff::SignedDuration::from_hours(24 * wp.rng.i64(1..6));
        plans[i].old_date =
            Some(day.to_zoned_datetime(wp.cairo.clone()).strftime("%Y-%m-%d").to_string());
    }
    plans
}

/// «أهلاً بالعالم !», the post WordPress writes at install, since trashed.
fn first_post(wp: &mut Wordpress) -> Plan {
    let stored_title = "أهلاً بالعالم !".to_string();
    let name = wp.unique_name(&wp_slug(&stored_title));
    let created = installed();
    Plan {
        id: 1,
        stored_title,
        status: Status::Trash,
        created,
        date: created,
        modified: created + jiff::SignedDuration::from_hours(50),
        name: format!("{name}__trashed"),
        author: 0,
        topic: Topic::Misc,
        categories: vec![UNCATEGORIZED],
        tags: Vec::new(),
        format: None,
        editor: Editor::Blocks,
        features: Vec::new(),
        featured: None,
        old_names: Vec::new(),
        old_date: None,
        excerpt: String::new(),
        password: String::new(),
        sticky: false,
        empty: false,
    }
}

fn plan_post(wp: &mut Wordpress, index: usize, status: Status, created: Timestamp) -> Plan {
    let id = wp.id();
    let (stored_title, main) = title_for(wp, index);
    let categories = categories_for(wp, main);
    let topic = CATEGORIES[categories[0]].topic;
    let (date, modified) = dates_for(wp, status, created);
    let name = name_for(wp, status, &stored_title);
    let classic_share = if created < https_since() { 80 } else { 50 };
    let editor = if wp.percent(classic_share) { Editor::Classic } else { Editor::Blocks };
    let author = if status == Status::Pending && wp.percent(75) {
        AUTHORS.len() - 1
    } else if wp.percent(5) {
        0
    } else {
        wp.rng.usize(1..AUTHORS.len())
    };
    let empty = status.floating() && wp.percent(25);
    let mut plan = Plan {
        id,
        stored_title,
        status,
        created,
        date,
        modified,
        name,
        author,
        topic,
        tags: tags_for(wp, topic),
        categories,
        format: None,
        editor,
        features: Vec::new(),
        featured: None,
        old_names: Vec::new(),
        old_date: None,
        excerpt: String::new(),
        password: String::new(),
        sticky: false,
        empty,
    };
    plan_extras(wp, &mut plan);
    plan_media(wp, &mut plan);
    plan
}

/// The stored title of the post at `index` and its main category: every ninth post has one of
/// the special titles.
fn title_for(wp: &mut Wordpress, index: usize) -> (String, usize) {
    if index % 9 == 4 {
        let (title, category) = SPECIAL_TITLES[(index / 9) % SPECIAL_TITLES.len()];
        return (fill(&mut wp.rng, title), category);
    }
    let category = if wp.percent(4) { UNCATEGORIZED } else { wp.rng.usize(1..CATEGORIES.len()) };
    let title = *pick(&mut wp.rng, titles(CATEGORIES[category].topic));
    (fill(&mut wp.rng, title), category)
}

/// The post's categories, its main one first: a child category often comes with its parent, and
/// some posts are in a second category.
fn categories_for(wp: &mut Wordpress, main: usize) -> Vec<usize> {
    let mut categories = vec![main];
    if let Some(parent) = CATEGORIES[main].parent
        && wp.percent(60)
    {
        categories.push(parent);
    }
    if main != UNCATEGORIZED && wp.percent(12) {
        let other = wp.rng.usize(1..CATEGORIES.len());
        if !categories.contains(&other) {
            categories.push(other);
        }
    }
    categories
}

fn tags_for(wp: &mut Wordpress, topic: Topic) -> Vec<usize> {
    if wp.percent(15) {
        return Vec::new();
    }
    let mut pool: Vec<usize> =
        (0..TAGS.len()).filter(|&i| TAGS[i].2.is_none_or(|t| t == topic)).collect();
    wp.rng.shuffle(&mut pool);
    let count = wp.rng.usize(1..=pool.len().min(5));
    pool.truncate(count);
    pool
}

/// `post_date` and `post_modified` (as instants): a draft's date is its last save, a scheduled
/// post's is in the future, others are edited after publishing now and then.
fn dates_for(wp: &mut Wordpress, status: Status, created: Timestamp) -> (Timestamp, Timestamp) {
    let minutes = |m: i64| jiff::SignedDuration::from_mins(m);
    match status {
        Status::Draft | Status::Pending => {
            let saved = created + minutes(wp.rng.i64(0..2 * 24 * 60));
            (saved, saved)
        }
        Status::Future => {
            let day = exported() + jiff::SignedDuration::from_hours(24 * wp.rng.i64(1..30));
            let hour = jiff::SignedDuration::from_secs(day.as_second().rem_euclid(3600));
            (day - hour, created)
        }
        _ => {
            let edited =
                if wp.percent(40) { minutes(wp.rng.i64(10..5 * 24 * 60)) } else { minutes(0) };
            (created, (created + edited).min(exported()))
        }
    }
}

/// `post_name`: empty for drafts and pending posts (WordPress names a post when it publishes
/// it), else from the title or a Latin slug the editor typed, made unique, `__trashed` for trash.
fn name_for(wp: &mut Wordpress, status: Status, stored_title: &str) -> String {
    if status.floating() {
        return String::new();
    }
    let base = if wp.percent(10) {
        pick(&mut wp.rng, &LATIN_SLUGS).to_string()
    } else {
        wp_slug(stored_title)
    };
    let name = wp.unique_name(&base);
    if status == Status::Trash { format!("{name}__trashed") } else { name }
}

/// Old slugs, an excerpt, features.
fn plan_extras(wp: &mut Wordpress, plan: &mut Plan) {
    if plan.status == Status::Publish && wp.percent(6) {
        let n_old = if wp.percent(25) { 2 } else { 1 };
        for _ in 0..n_old {
            let title = *pick(&mut wp.rng, titles(plan.topic));
            let old = wp_slug(&fill(&mut wp.rng, title));
            if old != plan.name && !plan.old_names.contains(&old) {
                plan.old_names.push(old);
            }
        }
    }
    if plan.status.public() && wp.percent(30) {
        let sentence = *pick(&mut wp.rng, sentences(plan.topic));
        plan.excerpt = fill(&mut wp.rng, sentence);
    }
    let n_features = match plan.status {
        _ if plan.empty => 0,
        _ if plan.status.floating() => wp.rng.usize(0..3),
        _ => wp.rng.usize(2..5),
    };
    for _ in 0..n_features {
        let feature = wp.draw();
        plan.features.push((feature, Vec::new()));
    }
}

// ---------------------------------------------------------------------------------------------
// Uploads: attachments, the sizes WordPress makes of them, their files.

/// WordPress's default image sizes: name, width and height limits (0: none), cropped.
const WP_SIZES: [(&str, u32, u32, bool); 6] = [
    ("thumbnail", 150, 150, true),
    ("medium", 300, 300, false),
    ("medium_large", 768, 0, false),
    ("large", 1024, 1024, false),
    ("1536x1536", 1536, 1536, false),
    ("2048x2048", 2048, 2048, false),
];

/// Sizes of the photos editors upload. 4000×2667 is past WordPress's `big_image_size_threshold`
/// (2560), so it is kept as a `-scaled` copy.
const PHOTO_SIZES: [(u32, u32); 8] = [
    (1600, 1067),
    (1200, 800),
    (2048, 1365),
    (1280, 960),
    (1920, 1080),
    (1080, 1350),
    (4000, 2667),
    (800, 533),
];
const BIG_IMAGE: u32 = 2560;

const ARABIC_STEMS: [&str; 4] = ["صورة-أرشيفية", "وزير-المالية", "الطقس-اليوم", "مباراة-القمة"];

fn photo_words(topic: Topic) -> &'static [&'static str] {
    match topic {
        Topic::Politics => &["meeting", "parliament", "minister"],
        Topic::Economy => &["gold-prices", "dollar", "bourse", "photo"],
        Topic::Sports => &["match", "stadium", "training"],
        Topic::Tech => &["phone", "app", "network"],
        Topic::Health => &["hospital", "vaccine", "clinic"],
        Topic::Culture => &["book-fair", "cinema", "festival"],
        Topic::Misc => &["cafe", "weather", "photo"],
        Topic::Accidents => &["fire", "accident"],
        Topic::Regions => &["road", "governor", "metro"],
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Photo,
    Video,
}

/// An attachment.
struct Upload {
    id: u64,
    parent: u64,
    uploaded: Timestamp,
    /// `2024/03`.
    dir: String,
    stem: String,
    /// As uploaded: `jpg`, `JPG`, `jpeg`, `png` or `mp4`.
    ext: &'static str,
    kind: Kind,
    /// The original's size.
    width: u32,
    height: u32,
    /// The `-scaled` copy's size, for photos past 2560 pixels.
    scaled: Option<(u32, u32)>,
    /// The sized copies: size name, width, height.
    sizes: Vec<(&'static str, u32, u32)>,
    title: String,
    /// `post_name`, encoded.
    name: String,
    alt: String,
    caption: String,
}

impl Upload {
    fn mime(&self) -> &'static str {
        match self.ext {
            "png" => "image/png",
            "mp4" => "video/mp4",
            _ => "image/jpeg",
        }
    }

    fn original(&self) -> String {
        format!("{}/{}.{}", self.dir, self.stem, self.ext)
    }

    /// `_wp_attached_file`: the `-scaled` copy when there is one.
    fn file(&self) -> String {
        match self.scaled {
            Some(_) => format!("{}/{}-scaled.{}", self.dir, self.stem, self.ext),
            None => self.original(),
        }
    }

    /// A sized copy: named after the original, never after the `-scaled` copy.
    fn sized(&self, width: u32, height: u32) -> String {
        format!("{}/{}", self.dir, self.sized_name(width, height))
    }

    fn sized_name(&self, width: u32, height: u32) -> String {
        format!("{}-{width}x{height}.{}", self.stem, self.ext)
    }

    fn size(&self, name: &str) -> Option<(u32, u32)> {
        self.sizes.iter().find(|size| size.0 == name).map(|size| (size.1, size.2))
    }

    /// The attached file's own size.
    fn full(&self) -> (u32, u32) {
        self.scaled.unwrap_or((self.width, self.height))
    }

    /// What the editor inserts: the `large` copy when there is one, else the attached file; with
    /// its size and its size's name.
    fn display(&self) -> (String, u32, u32, &'static str) {
        match self.size("large") {
            Some((w, h)) => (self.sized(w, h), w, h, "large"),
            None => {
                let (w, h) = self.full();
                (self.file(), w, h, "full")
            }
        }
    }
}

/// An address under the uploads folder.
fn upload_url(base: &str, path: &str) -> String {
    format!("{base}/wp-content/uploads/{path}")
}

/// The size WordPress gives a copy that fits `max_w` × `max_h` (0: no limit), if it makes one
/// (never larger than the original).
fn fit(width: u32, height: u32, max_w: u32, max_h: u32, crop: bool) -> Option<(u32, u32)> {
    if crop {
        return (width > max_w && height > max_h).then_some((max_w, max_h));
    }
    let by_width = f64::from(max_w) / f64::from(width);
    let by_height = if max_h == 0 { f64::INFINITY } else { f64::from(max_h) / f64::from(height) };
    let ratio = by_width.min(by_height);
    if ratio >= 1.0 {
        return None;
    }
    let scale = |side: u32| (f64::from(side) * ratio).round() as u32;
    Some((scale(width), scale(height)))
}

fn wp_sizes(width: u32, height: u32) -> Vec<(&'static str, u32, u32)> {
    WP_SIZES
        .iter()
        .filter_map(|&(name, w, h, crop)| fit(width, height, w, h, crop).map(|(w, h)| (name, w, h)))
        .collect()
}

/// The featured image and the uploads each feature shows.
fn plan_media(wp: &mut Wordpress, plan: &mut Plan) {
    let chance = match plan.status {
        Status::Publish | Status::Private | Status::Future => 72,
        Status::Trash => 50,
        Status::Draft | Status::Pending | Status::Unpublished => 30,
    };
    if wp.percent(chance) {
        let reused = if wp.percent(6) { earlier_photo(wp) } else { None };
        plan.featured = Some(match reused {
            Some(upload) => upload,
            None => new_upload(wp, plan, Kind::Photo),
        });
    }
    let mut features = std::mem::take(&mut plan.features);
    for (feature, shown) in &mut features {
        let count = match feature {
            Feature::Image if plan.featured.is_some() && wp.percent(20) => {
                shown.extend(plan.featured);
                0
            }
            Feature::Image | Feature::Caption | Feature::Srcset => 1,
            Feature::Gallery => wp.rng.usize(3..6),
            Feature::VideoFile => {
                shown.push(new_upload(wp, plan, Kind::Video));
                0
            }
            _ => 0,
        };
        for _ in 0..count {
            shown.push(new_upload(wp, plan, Kind::Photo));
        }
    }
    let has = |wanted: &[Feature]| features.iter().any(|(f, _)| wanted.contains(f));
    let video =
        [Feature::EmbedShortcode, Feature::BareWatch, Feature::VideoYouTube, Feature::Iframe];
    if has(&video) && wp.percent(40) {
        plan.format = Some(0);
    } else if has(&[Feature::Gallery]) && wp.percent(40) {
        plan.format = Some(1);
    }
    plan.features = features;
}

fn alt_text(wp: &mut Wordpress) -> String {
    let template = *pick(&mut wp.rng, &ALTS);
    fill(&mut wp.rng, template)
}

fn earlier_photo(wp: &mut Wordpress) -> Option<usize> {
    let photos: Vec<usize> =
        (0..wp.uploads.len()).filter(|&i| wp.uploads[i].kind == Kind::Photo).collect();
    (!photos.is_empty()).then(|| *pick(&mut wp.rng, &photos))
}

/// A new attachment of `plan`, uploaded while it was written (so its ID follows the post's),
/// in the folder of that month; now and then from the media library, attached to nothing.
fn new_upload(wp: &mut Wordpress, plan: &Plan, kind: Kind) -> usize {
    let uploaded = plan.created - jiff::SignedDuration::from_mins(wp.rng.i64(1..90));
    let local = uploaded.to_zoned_datetime(wp.cairo.clone());
    let dir = local.strftime("%Y/%m").to_string();
    let (stem, ext) = match kind {
        Kind::Photo => photo_name(wp, plan.topic, &local),
        Kind::Video => (format!("clip-{}", wp.rng.u32(1..100)), "mp4"),
    };
    let stem = unique_file(wp, &dir, &stem, ext);
    let (width, height) = match kind {
        Kind::Photo => *pick(&mut wp.rng, &PHOTO_SIZES),
        Kind::Video => (1280, 720),
    };
    let scaled = (kind == Kind::Photo && width.max(height) > BIG_IMAGE)
        .then(|| fit(width, height, BIG_IMAGE, BIG_IMAGE, false).expect("invariant: smaller"));
    let sizes = if kind == Kind::Photo { wp_sizes(width, height) } else { Vec::new() };
    let alt = if kind == Kind::Photo && wp.percent(60) { alt_text(wp) } else { String::new() };
    let caption = if wp.percent(35) { alt_text(wp) } else { String::new() };
    let title = if !alt.is_empty() && wp.percent(30) { alt.clone() } else { stem.clone() };
    let name = wp.unique_name(&wp_slug(&title));
    let parent = if wp.percent(5) { 0 } else { plan.id };
    let id = wp.id();
    let upload = Upload {
        id,
        parent,
        uploaded,
        dir,
        stem,
        ext,
        kind,
        width,
        height,
        scaled,
        sizes,
        title,
        name,
        alt,
        caption,
    };
    wp.uploads.push(upload);
    wp.uploads.len() - 1
}

/// A photo's file name as editors' uploads have them: from a phone, a camera (upper-case
/// extension), WhatsApp (dots in the name), in Arabic, an infographic, or a plain word.
fn photo_name(
    wp: &mut Wordpress,
    topic: Topic,
    local: &jiff::ZonedDateTime,
) -> (String, &'static str) {
    match wp.rng.u32(..100) {
        0..30 => (format!("IMG_{}", local.strftime("%Y%m%d_%H%M%S")), "jpg"),
        30..38 => (format!("DSC_{:04}", wp.rng.u32(1..10000)), "JPG"),
        38..46 => (format!("WhatsApp-Image-{}", local.strftime("%Y-%m-%d-at-%H.%M.%S")), "jpeg"),
        46..50 => (pick(&mut wp.rng, &ARABIC_STEMS).to_string(), "jpg"),
        50..55 => (format!("infographic-{}", wp.rng.u32(1..50)), "png"),
        _ => {
            let word = *pick(&mut wp.rng, photo_words(topic));
            let n = wp.rng.u32(1..40);
            (if wp.percent(50) { format!("{word}-{n}") } else { word.to_string() }, "jpg")
        }
    }
}

/// `stem`, or `stem-1`, `stem-2`… when the folder has the name, as `wp_unique_filename`.
fn unique_file(wp: &mut Wordpress, dir: &str, stem: &str, ext: &str) -> String {
    let mut candidate = stem.to_string();
    let mut n = 1;
    while wp.files.contains(&format!("{dir}/{candidate}.{ext}")) {
        candidate = format!("{stem}-{n}");
        n += 1;
    }
    wp.files.insert(format!("{dir}/{candidate}.{ext}"));
    candidate
}

/// Every file of an upload: the original, the `-scaled` copy, the sized copies.
fn upload_files(upload: &Upload) -> Vec<(String, Vec<u8>)> {
    if upload.kind == Kind::Video {
        return vec![(upload.file(), mp4_bytes(upload.id))];
    }
    let mut files = vec![(upload.original(), photo_bytes(upload, upload.width, upload.height))];
    if let Some((w, h)) = upload.scaled {
        files.push((upload.file(), photo_bytes(upload, w, h)));
    }
    for &(_, w, h) in &upload.sizes {
        files.push((upload.sized(w, h), photo_bytes(upload, w, h)));
    }
    files
}

/// A real JPEG or PNG of a 32nd of the named size (at least 4 pixels a side), coloured by the
/// upload's ID.
fn photo_bytes(upload: &Upload, width: u32, height: u32) -> Vec<u8> {
    let (w, h) = ((width / 32).max(4), (height / 32).max(4));
    let hue = (upload.id * 37 % 256) as u32;
    let image = RgbImage::from_fn(w, h, |x, y| {
        Rgb([((hue + x * 6) % 256) as u8, (y * 255 / h) as u8, ((hue / 2 + x * y) % 256) as u8])
    });
    let mut bytes = Vec::new();
    let res = if upload.ext == "png" {
        PngEncoder::new(&mut bytes).write_image(image.as_raw(), w, h, ExtendedColorType::Rgb8)
    } else {
        JpegEncoder::new_with_quality(&mut bytes, 80).write_image(
            image.as_raw(),
            w,
            h,
            ExtendedColorType::Rgb8,
        )
    };
    res.expect("invariant: encoding a small image in memory works");
    bytes
}

/// The start of an MP4 (an `ftyp` box) and a few bytes: a placeholder, not a playable video.
fn mp4_bytes(id: u64) -> Vec<u8> {
    let mut bytes = vec![0, 0, 0, 0x18];
    bytes.extend_from_slice(b"ftypmp42\0\0\0\0mp42isom");
    bytes.extend_from_slice(&[0, 0, 0, 0x10]);
    bytes.extend_from_slice(b"mdat");
    bytes.extend_from_slice(&id.to_be_bytes());
    bytes
}

/// A PHP value, for what WordPress stores `serialize`d (`_wp_attachment_metadata`).
enum Php {
    Int(u64),
    Str(String),
    Map(Vec<(&'static str, Php)>),
}

fn php(value: &Php) -> String {
    let mut out = String::new();
    write_php(&mut out, value);
    out
}

fn write_php(out: &mut String, value: &Php) {
    match value {
        Php::Int(n) => {
            let _ = write!(out, "i:{n};");
        }
        Php::Str(s) => {
            let _ = write!(out, "s:{}:\"{s}\";", s.len());
        }
        Php::Map(entries) => {
            let _ = write!(out, "a:{}:{{", entries.len());
            for (key, value) in entries {
                let _ = write!(out, "s:{}:\"{key}\";", key.len());
                write_php(out, value);
            }
            out.push('}');
        }
    }
}

/// `_wp_attachment_metadata` of an upload whose files are `files`.
fn attachment_metadata(upload: &Upload, files: &[(String, Vec<u8>)]) -> String {
    let size_of = |path: &str| {
        files.iter().find(|(p, _)| p == path).map_or(0, |(_, bytes)| bytes.len() as u64)
    };
    let str = |s: &str| Php::Str(s.to_string());
    if upload.kind == Kind::Video {
        return php(&Php::Map(vec![
            ("filesize", Php::Int(size_of(&upload.file()))),
            ("mime_type", str("video/mp4")),
            ("length", Php::Int(42)),
            ("length_formatted", str("0:42")),
            ("width", Php::Int(1280)),
            ("height", Php::Int(720)),
            ("fileformat", str("mp4")),
            ("dataformat", str("quicktime")),
        ]));
    }
    let sizes = upload.sizes.iter().map(|&(name, w, h)| {
        let size = vec![
            ("file", Php::Str(upload.sized_name(w, h))),
            ("width", Php::Int(u64::from(w))),
            ("height", Php::Int(u64::from(h))),
            ("mime-type", str(upload.mime())),
            ("filesize", Php::Int(size_of(&upload.sized(w, h)))),
        ];
        (name, Php::Map(size))
    });
    let (width, height) = upload.full();
    let mut entries = vec![
        ("width", Php::Int(u64::from(width))),
        ("height", Php::Int(u64::from(height))),
        ("file", Php::Str(upload.file())),
        ("filesize", Php::Int(size_of(&upload.file()))),
        ("sizes", Php::Map(sizes.collect())),
        ("image_meta", image_meta()),
    ];
    if upload.scaled.is_some() {
        entries.push(("original_image", Php::Str(format!("{}.{}", upload.stem, upload.ext))));
    }
    php(&Php::Map(entries))
}

/// The `image_meta` of a photo with no EXIF.
fn image_meta() -> Php {
    let zero = || Php::Str("0".to_string());
    let empty = || Php::Str(String::new());
    Php::Map(vec![
        ("aperture", zero()),
        ("credit", empty()),
        ("camera", empty()),
        ("caption", empty()),
        ("created_timestamp", zero()),
        ("copyright", empty()),
        ("focal_length", zero()),
        ("iso", zero()),
        ("shutter_speed", zero()),
        ("title", empty()),
        ("orientation", zero()),
        ("keywords", Php::Map(Vec::new())),
    ])
}

// ---------------------------------------------------------------------------------------------
// Bodies, in WordPress's storage format.

/// A body and what it shows and links to.
#[derive(Default)]
struct Body {
    html: String,
    embeds: Vec<String>,
    html_embeds: Vec<String>,
    images: Vec<usize>,
    videos: Vec<usize>,
    links: Vec<u64>,
    /// The `_oembed_…` caches WordPress keeps in postmeta for the embeds of a published post.
    meta: Vec<(String, String)>,
}

/// What a body is written from: every post (to link to) and every upload (to show).
struct Ctx<'a> {
    plans: &'a [Plan],
    uploads: &'a [Upload],
    cairo: &'a TimeZone,
}

const FIRST_POST_TEXT: &str = "هذه أول مقالة في الموقع. عدّلها أو احذفها، ثم ابدأ الكتابة!";
const CONTACT_FORM: &str = "[contact-form-7 id=\"5\" title=\"اتصل بنا\"]";
const AD: &str = "[the_ad id=\"1234\"]";
const BRACES: &str = "وظهرت في رسائل بعض المستخدمين عبارة {{ name }} بدلاً من أسمائهم، بسبب خطأ في \
قالب الرسائل، كما ظهر الرمز {% في بعضها قبل أن تصلح الشركة الخلل.";
const CODE_INTRO: &str = "ولمن يريد تجربة ذلك على موقعه، يكفي أن يكتب في المحرر ما يلي:";
const USERS: [&str; 4] = ["akhbar_example", "cairo_traffic", "sara_kamal_news", "egy_weather"];
/// Sites linked to: address (as it stands in `href`, `&` escaped) and label.
const EXTERNAL: [(&str, &str); 5] = [
    ("https://www.who.int/ar", "منظمة الصحة العالمية"),
    ("https://www.imf.org/ar/Countries/EGY", "صندوق النقد الدولي"),
    ("https://ar.wikipedia.org/wiki/%D8%A7%D9%84%D9%82%D8%A7%D9%87%D8%B1%D8%A9", "ويكيبيديا"),
    ("https://www.fifa.com/ar", "الاتحاد الدولي لكرة القدم"),
    ("https://example.org/reports/2024?lang=ar&amp;page=2", "تقرير المنظمة"),
];

fn write_body(rng: &mut Rng, ctx: &Ctx<'_>, index: usize) -> Body {
    let plan = &ctx.plans[index];
    let mut body = Body::default();
    if plan.empty {
        return body;
    }
    if plan.id == 1 {
        body.html = paragraph(plan.editor, FIRST_POST_TEXT);
        return body;
    }
    let mut pool = Sentences { topic: plan.topic, left: Vec::new() };
    let n_paragraphs = rng.usize(3..9);
    let mut blocks: Vec<String> = (0..n_paragraphs)
        .map(|i| {
            let text = prose(rng, &mut pool, i == 0);
            paragraph(plan.editor, &text)
        })
        .collect();
    for (feature, shown) in &plan.features {
        let block = feature_block(rng, ctx, index, *feature, shown, &mut body);
        let at = rng.usize(1..=blocks.len());
        blocks.insert(at, block);
    }
    body.html = blocks.join("\n\n");
    // Bodies saved from the classic editor's textarea often keep the browser's CRLF.
    if plan.editor == Editor::Classic && rng.u32(..3) == 0 {
        body.html = body.html.replace('\n', "\r\n");
    }
    body
}

/// The sentences of one body, each used once before any is used again: the topic's that follow
/// a lead, and the general ones.
struct Sentences {
    topic: Topic,
    left: Vec<&'static str>,
}

impl Sentences {
    fn next(&mut self, rng: &mut Rng) -> &'static str {
        if self.left.is_empty() {
            self.left = sentences(self.topic)[1..].iter().chain(&ANY_SENTENCES).copied().collect();
            rng.shuffle(&mut self.left);
        }
        self.left.pop().expect("invariant: just filled")
    }
}

/// 2–4 sentences; the first paragraph opens with a dateline and the topic's opening sentence.
fn prose(rng: &mut Rng, pool: &mut Sentences, lead: bool) -> String {
    let n = rng.usize(2..5);
    let mut parts: Vec<String> = Vec::with_capacity(n);
    if lead {
        parts.push(fill(rng, sentences(pool.topic)[0]));
    }
    while parts.len() < n {
        let template = pool.next(rng);
        parts.push(fill(rng, template));
    }
    match rng.u32(..10) {
        0 => parts[0] = format!("<strong>{}</strong>", parts[0]),
        1 => parts[n - 1] = format!("<em>{}</em>", parts[n - 1]),
        _ => {}
    }
    let text = parts.join(" ");
    if lead {
        format!("<strong>{} - {SITE_TITLE}:</strong> {text}", pick(rng, &CITIES))
    } else {
        text
    }
}

/// A paragraph: bare text in the classic editor (`wpautop` adds the `<p>` when showing it), a
/// paragraph block in the block editor.
fn paragraph(editor: Editor, text: &str) -> String {
    match editor {
        Editor::Classic => text.to_string(),
        Editor::Blocks => format!("<!-- wp:paragraph -->\n<p>{text}</p>\n<!-- /wp:paragraph -->"),
    }
}

/// Raw HTML: as is in the classic editor, a Custom HTML block in the block editor.
fn html_block(editor: Editor, html: &str) -> String {
    match editor {
        Editor::Classic => html.to_string(),
        Editor::Blocks => format!("<!-- wp:html -->\n{html}\n<!-- /wp:html -->"),
    }
}

fn shortcode_block(editor: Editor, code: &str) -> String {
    match editor {
        Editor::Classic => code.to_string(),
        Editor::Blocks => format!("<!-- wp:shortcode -->\n{code}\n<!-- /wp:shortcode -->"),
    }
}

fn feature_block(
    rng: &mut Rng,
    ctx: &Ctx<'_>,
    index: usize,
    feature: Feature,
    shown: &[usize],
    body: &mut Body,
) -> String {
    let plan = &ctx.plans[index];
    let editor = plan.editor;
    match feature {
        Feature::Heading => heading(rng, editor),
        Feature::List => list(rng, editor),
        Feature::Quote => quote(rng, editor),
        Feature::Table => table(rng, editor),
        Feature::ReadAlso => read_also(rng, ctx, index, body),
        Feature::ExternalLink => external_link(rng, editor),
        Feature::Image => image(rng, ctx, plan, shown[0], body),
        Feature::Caption => caption(rng, ctx, plan, shown[0], body),
        Feature::Srcset => srcset(ctx, plan, shown[0], body),
        Feature::Gallery => gallery(rng, ctx, plan, shown, body),
        Feature::EmbedShortcode => embed_shortcode(rng, plan, body),
        Feature::BareWatch
        | Feature::BareShort
        | Feature::BareX
        | Feature::BareTwitter
        | Feature::BareInstagram
        | Feature::BareOther => {
            let found = platform_url(rng, feature);
            bare_embed(rng, plan, found, body)
        }
        Feature::BareLink => bare_link(rng, editor),
        Feature::VideoYouTube => video_youtube(rng, plan, body),
        Feature::VideoFile => video_file(ctx, plan, shown[0], body),
        Feature::ContactForm => {
            let intro = paragraph(editor, "للتواصل مع فريق التحرير أو إرسال معلومات عن الخبر:");
            format!("{intro}\n\n{}", shortcode_block(editor, CONTACT_FORM))
        }
        Feature::AdShortcode => shortcode_block(editor, AD),
        Feature::Code => code(rng, editor),
        Feature::Braces => paragraph(editor, BRACES),
        Feature::Nbsp => nbsp(rng, editor),
        Feature::LineBreaks => line_breaks(rng, editor),
        Feature::PastedTweet => pasted_tweet(rng, plan, body),
        Feature::Iframe => iframe(rng, editor, body),
        Feature::Hotlink => hotlink(rng, editor),
    }
}

fn heading(rng: &mut Rng, editor: Editor) -> String {
    let text = {
        let template = *pick(rng, &SUBHEADS);
        fill(rng, template)
    };
    let level = if rng.u32(..4) == 0 { 3 } else { 2 };
    match editor {
        Editor::Classic => format!("<h{level}>{text}</h{level}>"),
        Editor::Blocks => {
            let attrs = if level == 3 { " {\"level\":3}" } else { "" };
            format!(
                "<!-- wp:heading{attrs} -->\n<h{level} \
                 class=\"wp-block-heading\">{text}</h{level}>\n\
                 <!-- /wp:heading -->"
            )
        }
    }
}

fn list(rng: &mut Rng, editor: Editor) -> String {
    let mut pool = LIST_ITEMS.to_vec();
    rng.shuffle(&mut pool);
    let items: Vec<String> = pool[..rng.usize(3..6)].iter().map(|item| fill(rng, item)).collect();
    let tag = if rng.u32(..5) < 2 { "ol" } else { "ul" };
    match editor {
        // TinyMCE indents list items with a space and a tab.
        Editor::Classic => {
            let lines: Vec<String> =
                items.iter().map(|item| format!(" \t<li>{item}</li>")).collect();
            format!("<{tag}>\n{}\n</{tag}>", lines.join("\n"))
        }
        Editor::Blocks => {
            let attrs = if tag == "ol" { " {\"ordered\":true}" } else { "" };
            let lis: Vec<String> = items
                .iter()
                .map(|item| {
                    format!("<!-- wp:list-item -->\n<li>{item}</li>\n<!-- /wp:list-item -->")
                })
                .collect();
            format!(
                "<!-- wp:list{attrs} -->\n<{tag} class=\"wp-block-list\">{}</{tag}>\n<!-- \
                 /wp:list -->",
                lis.join("\n\n")
            )
        }
    }
}

fn quote(rng: &mut Rng, editor: Editor) -> String {
    let text = pick(rng, &QUOTES);
    let who = pick(rng, &OFFICIALS);
    match editor {
        Editor::Classic => format!("<blockquote>«{text}»</blockquote>"),
        Editor::Blocks => format!(
            "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph \
             -->\n<p>{text}</p>\n\
             <!-- /wp:paragraph --><cite>{who}</cite></blockquote>\n<!-- /wp:quote -->"
        ),
    }
}

fn table(rng: &mut Rng, editor: Editor) -> String {
    let head = ["المحافظة", "العدد", "النسبة"];
    let rows: Vec<[String; 3]> = (0..rng.usize(3..6))
        .map(|_| {
            [pick(rng, &CITIES).to_string(), rng.u32(10..900).to_string(), fill(rng, "{pct}%")]
        })
        .collect();
    let cells = |tag: &str, row: &[String], sep: &str| -> String {
        let cells: Vec<String> = row.iter().map(|cell| format!("<{tag}>{cell}</{tag}>")).collect();
        format!("<tr>{sep}{}{sep}</tr>", cells.join(sep))
    };
    let head: Vec<String> = head.iter().map(|h| h.to_string()).collect();
    match editor {
        Editor::Classic => {
            let body: Vec<String> = rows.iter().map(|row| cells("td", row, "\n")).collect();
            format!(
                "<table style=\"width: \
                 100%;\">\n<thead>\n{}\n</thead>\n<tbody>\n{}\n</tbody>\n</table>",
                cells("th", &head, "\n"),
                body.join("\n")
            )
        }
        Editor::Blocks => {
            let body: Vec<String> = rows.iter().map(|row| cells("td", row, "")).collect();
            format!(
                "<!-- wp:table -->\n<figure \
                 class=\"wp-block-table\"><table><thead>{}</thead><tbody>{}\
                 </tbody></table></figure>\n<!-- /wp:table -->",
                cells("th", &head, ""),
                body.concat()
            )
        }
    }
}

/// «اقرأ أيضاً» and a link to an earlier post, its address pasted in one of the forms editors
/// paste: WordPress's lower-case escapes, a browser's upper-case ones, raw Arabic, `?p=`, or
/// the `http://` of before the move to HTTPS.
fn read_also(rng: &mut Rng, ctx: &Ctx<'_>, index: usize, body: &mut Body) -> String {
    let plan = &ctx.plans[index];
    let earlier: Vec<usize> = (0..index).filter(|&i| ctx.plans[i].linkable()).collect();
    let any: Vec<usize> =
        (0..ctx.plans.len()).filter(|&i| i != index && ctx.plans[i].linkable()).collect();
    let candidates = if earlier.is_empty() { any } else { earlier };
    if candidates.is_empty() {
        return paragraph(plan.editor, &fill(rng, ANY_SENTENCES[4]));
    }
    let target = &ctx.plans[*pick(rng, &candidates)];
    body.links.push(target.id);
    let path = target.permalink(ctx.cairo);
    let href = match rng.u32(..20) {
        0..10 => format!("{BASE_URL}{path}"),
        10..14 => format!("{BASE_URL}{}", upper_hex(&path)),
        14..17 => format!("{BASE_URL}{}", decode(&path)),
        17..19 => format!("{BASE_URL}/?p={}", target.id),
        _ => format!("http://akhbar.example{path}"),
    };
    let title = escape_html(&shown(&target.stored_title));
    paragraph(plan.editor, &format!("<strong>اقرأ أيضاً:</strong> <a href=\"{href}\">{title}</a>"))
}

fn external_link(rng: &mut Rng, editor: Editor) -> String {
    let (href, label) = pick(rng, &EXTERNAL);
    let text = format!(
        "وبحسب بيانات <a href=\"{href}\" target=\"_blank\" rel=\"noopener\">{label}</a>، فإن \
         الأرقام \
         الأخيرة تعكس تحسناً ملحوظاً مقارنة بالعام الماضي."
    );
    paragraph(editor, &text)
}

/// Where a post's uploads are addressed from: some posts of before the move to HTTPS kept
/// `http://`.
fn uploads_base(plan: &Plan) -> &'static str {
    if plan.created < https_since() && plan.id.is_multiple_of(2) {
        "http://akhbar.example"
    } else {
        BASE_URL
    }
}

/// A block editor image: `size` is the size's name (`large`, `medium`, `full`).
fn image_block(upload: &Upload, src: &str, size: &str, caption: Option<&str>) -> String {
    let id = upload.id;
    let alt = escape_html(&upload.alt);
    let caption = caption
        .map(|text| format!("<figcaption class=\"wp-element-caption\">{text}</figcaption>"))
        .unwrap_or_default();
    format!(
        "<!-- wp:image {{\"id\":{id},\"sizeSlug\":\"{size}\",\"linkDestination\":\"none\"}} -->\n\
         <figure class=\"wp-block-image size-{size}\"><img src=\"{src}\" alt=\"{alt}\" \
         class=\"wp-image-{id}\"/>{caption}</figure>\n<!-- /wp:image -->"
    )
}

/// An image as the editor inserts it: the `large` copy, now and then linked to the file.
fn image(rng: &mut Rng, ctx: &Ctx<'_>, plan: &Plan, shown: usize, body: &mut Body) -> String {
    let upload = &ctx.uploads[shown];
    body.images.push(shown);
    let base = uploads_base(plan);
    let (path, w, h, size) = upload.display();
    let src = upload_url(base, &path);
    match plan.editor {
        Editor::Classic => {
            let img = format!(
                "<img class=\"aligncenter size-{size} wp-image-{}\" src=\"{src}\" alt=\"{}\" \
                 width=\"{w}\" height=\"{h}\" />",
                upload.id,
                escape_html(&upload.alt)
            );
            if rng.bool() {
                format!("<a href=\"{}\">{img}</a>", upload_url(base, &upload.file()))
            } else {
                img
            }
        }
        Editor::Blocks => image_block(upload, &src, size, None),
    }
}

/// `[caption]` around an image (classic), a captioned image block (blocks).
fn caption(rng: &mut Rng, ctx: &Ctx<'_>, plan: &Plan, shown: usize, body: &mut Body) -> String {
    let upload = &ctx.uploads[shown];
    body.images.push(shown);
    let (path, w, h, size) = upload.display();
    let src = upload_url(uploads_base(plan), &path);
    let text = if upload.caption.is_empty() {
        {
            let template = *pick(rng, &ALTS);
            fill(rng, template)
        }
    } else {
        upload.caption.clone()
    };
    match plan.editor {
        Editor::Classic => format!(
            "[caption id=\"attachment_{id}\" align=\"aligncenter\" width=\"{w}\"]<img \
             class=\"size-{size} \
             wp-image-{id}\" src=\"{src}\" alt=\"{alt}\" width=\"{w}\" height=\"{h}\" /> \
             {text}[/caption]",
            id = upload.id,
            alt = escape_html(&upload.alt),
        ),
        Editor::Blocks => image_block(upload, &src, size, Some(&text)),
    }
}

/// The medium copy with a `srcset` of the others, linked to the file, as pasted from a page.
fn srcset(ctx: &Ctx<'_>, plan: &Plan, shown: usize, body: &mut Body) -> String {
    let upload = &ctx.uploads[shown];
    body.images.push(shown);
    let base = uploads_base(plan);
    let (mw, mh) = upload.size("medium").unwrap_or_else(|| upload.full());
    let src = upload_url(base, &upload.sized(mw, mh));
    if plan.editor == Editor::Blocks {
        return image_block(upload, &src, "medium", None);
    }
    let full = upload.full();
    let candidates: Vec<String> = ["medium", "medium_large", "large"]
        .iter()
        .filter_map(|name| upload.size(name))
        .map(|(w, h)| format!("{} {w}w", upload_url(base, &upload.sized(w, h))))
        .chain([format!("{} {}w", upload_url(base, &upload.file()), full.0)])
        .collect();
    format!(
        "<a href=\"{file}\"><img class=\"alignnone size-medium wp-image-{id}\" src=\"{src}\" \
         alt=\"{alt}\" \
         width=\"{mw}\" height=\"{mh}\" srcset=\"{set}\" sizes=\"(max-width: {mw}px) 100vw, \
         {mw}px\" /></a>",
        file = upload_url(base, &upload.file()),
        id = upload.id,
        alt = escape_html(&upload.alt),
        set = candidates.join(", "),
    )
}

/// `[gallery ids="…"]` (classic), a gallery block of image blocks (blocks).
fn gallery(rng: &mut Rng, ctx: &Ctx<'_>, plan: &Plan, shown: &[usize], body: &mut Body) -> String {
    body.images.extend_from_slice(shown);
    let ids: Vec<String> = shown.iter().map(|&i| ctx.uploads[i].id.to_string()).collect();
    let ids = ids.join(",");
    if plan.editor == Editor::Classic {
        return if rng.bool() {
            format!("[gallery ids=\"{ids}\"]")
        } else {
            format!("[gallery columns=\"2\" link=\"file\" size=\"medium\" ids=\"{ids}\"]")
        };
    }
    let images: Vec<String> = shown
        .iter()
        .map(|&i| {
            let upload = &ctx.uploads[i];
            let (path, _, _, size) = upload.display();
            image_block(upload, &upload_url(uploads_base(plan), &path), size, None)
        })
        .collect();
    format!(
        "<!-- wp:gallery {{\"linkTo\":\"none\"}} -->\n<figure class=\"wp-block-gallery \
         has-nested-images \
         columns-default is-cropped\">{}</figure>\n<!-- /wp:gallery -->",
        images.join("\n\n")
    )
}

/// A platform whose addresses WordPress turns into players.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Provider {
    YouTube,
    Twitter,
    Instagram,
    Vimeo,
    Facebook,
    TikTok,
}

impl Provider {
    /// `type` and `providerNameSlug` of its embed block, and whether the player keeps 16:9.
    fn block(self) -> (&'static str, &'static str, bool) {
        match self {
            Provider::YouTube => ("video", "youtube", true),
            Provider::Twitter => ("rich", "twitter", false),
            Provider::Instagram => ("rich", "instagram", false),
            Provider::Vimeo => ("video", "vimeo", true),
            Provider::Facebook => ("rich", "facebook", false),
            Provider::TikTok => ("video", "tiktok", false),
        }
    }
}

/// A platform address (with a raw `&`), its provider, and the YouTube video's ID if it is one.
struct Found {
    url: String,
    provider: Provider,
    video: Option<String>,
}

fn youtube_id(rng: &mut Rng) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    (0..11).map(|_| char::from(*pick(rng, CHARS))).collect()
}

fn digits(rng: &mut Rng, n: usize) -> String {
    let first = char::from(b'1' + rng.u8(..9));
    std::iter::once(first).chain((1..n).map(|_| rng.digit(10))).collect()
}

/// An address as people paste them, share parameters included.
fn platform_url(rng: &mut Rng, feature: Feature) -> Found {
    let user = *pick(rng, &USERS);
    let (url, provider) = match feature {
        Feature::BareWatch => {
            let id = youtube_id(rng);
            let url = format!("https://www.youtube.com/watch?v={id}&t={}s", rng.u32(5..600));
            return Found { url, provider: Provider::YouTube, video: Some(id) };
        }
        Feature::BareShort => {
            let id = youtube_id(rng);
            let si: String = (0..16).map(|_| rng.alphanumeric()).collect();
            let url = if rng.bool() {
                format!("https://youtu.be/{id}?si={si}")
            } else {
                format!("https://youtu.be/{id}")
            };
            return Found { url, provider: Provider::YouTube, video: Some(id) };
        }
        Feature::BareX => {
            let share = if rng.u32(..10) < 3 { "?s=20" } else { "" };
            (format!("https://x.com/{user}/status/{}{share}", digits(rng, 19)), Provider::Twitter)
        }
        Feature::BareTwitter => {
            (format!("https://twitter.com/{user}/status/{}", digits(rng, 19)), Provider::Twitter)
        }
        Feature::BareInstagram => {
            let code: String = (0..11).map(|_| rng.alphanumeric()).collect();
            let share = if rng.u32(..10) < 3 { "?utm_source=ig_web_copy_link" } else { "" };
            (format!("https://www.instagram.com/p/{code}/{share}"), Provider::Instagram)
        }
        _ => match rng.u32(..3) {
            0 => (format!("https://vimeo.com/{}", digits(rng, 9)), Provider::Vimeo),
            1 => (
                format!("https://www.facebook.com/akhbar.example/videos/{}/", digits(rng, 15)),
                Provider::Facebook,
            ),
            _ => (
                format!("https://www.tiktok.com/@{user}/video/{}", digits(rng, 19)),
                Provider::TikTok,
            ),
        },
    };
    Found { url, provider, video: None }
}

/// An embed block: the address in its JSON attributes with `&` as `\u0026` (as WordPress
/// serialises block attributes) and in the wrapper as `&amp;`.
fn embed_block(url: &str, provider: Provider) -> String {
    let (kind, slug, wide) = provider.block();
    let json_url = url.replace('&', "\\u0026");
    let html_url = url.replace('&', "&amp;");
    let (attrs, classes) = if wide {
        (
            ",\"className\":\"wp-embed-aspect-16-9 wp-has-aspect-ratio\"",
            " wp-embed-aspect-16-9 wp-has-aspect-ratio",
        )
    } else {
        ("", "")
    };
    format!(
        "<!-- wp:embed \
         {{\"url\":\"{json_url}\",\"type\":\"{kind}\",\"providerNameSlug\":\"{slug}\",\
         \"responsive\":true{attrs}}} -->\n<figure class=\"wp-block-embed is-type-{kind} \
         is-provider-{slug} wp-block-embed-{slug}{classes}\"><div \
         class=\"wp-block-embed__wrapper\">\n\
         {html_url}\n</div></figure>\n<!-- /wp:embed -->"
    )
}

/// Records an embed, and the oEmbed cache WordPress keeps for it once the post has been seen:
/// the player's HTML, or `{{unknown}}` when the platform answered nothing (Instagram and
/// Facebook want a token).
fn record_embed(rng: &mut Rng, plan: &Plan, found: &Found, body: &mut Body) {
    body.embeds.push(found.url.clone());
    if !plan.status.public() {
        return;
    }
    let html = match (&found.video, found.provider) {
        (Some(id), _) => format!(
            "<iframe title=\"{}\" width=\"500\" height=\"281\" \
             src=\"https://www.youtube.com/embed/{id}\
             ?feature=oembed\" frameborder=\"0\" allow=\"accelerometer; autoplay; clipboard-write; \
             encrypted-media; gyroscope; picture-in-picture; web-share\" \
             referrerpolicy=\"strict-origin-when-cross-origin\" allowfullscreen></iframe>",
            escape_html(&shown(&plan.stored_title))
        ),
        (None, Provider::Twitter) => format!(
            "<blockquote class=\"twitter-tweet\" data-width=\"500\" data-dnt=\"true\"><p \
             lang=\"ar\" \
             dir=\"rtl\">{}</p>&mdash; {SITE_TITLE} <a href=\"{}\">{}</a></blockquote>\
             <script async src=\"https://platform.twitter.com/widgets.js\" \
             charset=\"utf-8\"></script>",
            {
                let template = *pick(rng, sentences(plan.topic));
                fill(rng, template)
            },
            found.url,
            rss_date(plan.date)
        ),
        _ => "{{unknown}}".to_string(),
    };
    let hash: String = (0..32).map(|_| rng.digit(16)).collect();
    let cached = plan.date + jiff::SignedDuration::from_mins(rng.i64(1..600));
    body.meta.push((format!("_oembed_{hash}"), html));
    body.meta.push((format!("_oembed_time_{hash}"), cached.as_second().to_string()));
}

/// An address alone on its line: its own paragraph, or a line of one (classic; the visual
/// editor stores `&` as `&amp;`), an embed block (blocks).
fn bare_embed(rng: &mut Rng, plan: &Plan, found: Found, body: &mut Body) -> String {
    record_embed(rng, plan, &found, body);
    match plan.editor {
        Editor::Blocks => embed_block(&found.url, found.provider),
        Editor::Classic => {
            let url = if rng.bool() { found.url.replace('&', "&amp;") } else { found.url };
            if rng.u32(..4) == 0 {
                let before = {
                    let template = *pick(rng, &ANY_SENTENCES);
                    fill(rng, template)
                };
                format!("{before}\n{url}\nشاهد الفيديو كاملاً.")
            } else {
                url
            }
        }
    }
}

/// `[embed]` around a YouTube address (classic), an embed block (blocks).
fn embed_shortcode(rng: &mut Rng, plan: &Plan, body: &mut Body) -> String {
    let id = youtube_id(rng);
    let found = Found {
        url: format!("https://www.youtube.com/watch?v={id}"),
        provider: Provider::YouTube,
        video: Some(id),
    };
    record_embed(rng, plan, &found, body);
    match plan.editor {
        Editor::Blocks => embed_block(&found.url, found.provider),
        Editor::Classic if rng.bool() => format!("[embed]{}[/embed]", found.url),
        Editor::Classic => format!("[embed width=\"640\" height=\"360\"]{}[/embed]", found.url),
    }
}

/// `[video]` of a YouTube address, which WordPress plays through YouTube; a shortcode block in
/// the block editor.
fn video_youtube(rng: &mut Rng, plan: &Plan, body: &mut Body) -> String {
    let id = youtube_id(rng);
    let (url, code) = if rng.bool() {
        let url = format!("https://www.youtube.com/watch?v={id}");
        (url.clone(), format!("[video src=\"{url}\"][/video]"))
    } else {
        let url = format!("https://youtu.be/{id}");
        (url.clone(), format!("[video width=\"640\" height=\"360\" src=\"{url}\"][/video]"))
    };
    body.embeds.push(url);
    shortcode_block(plan.editor, &code)
}

/// A video from the uploads: `[video mp4=…]` as the media dialog writes it or `[video src=…]`
/// (classic), a video block (blocks).
fn video_file(ctx: &Ctx<'_>, plan: &Plan, shown: usize, body: &mut Body) -> String {
    let upload = &ctx.uploads[shown];
    body.videos.push(shown);
    let src = upload_url(uploads_base(plan), &upload.file());
    match plan.editor {
        Editor::Classic if upload.id.is_multiple_of(2) => {
            format!("[video width=\"1280\" height=\"720\" mp4=\"{src}\"][/video]")
        }
        Editor::Classic => format!("[video src=\"{src}\"][/video]"),
        Editor::Blocks => format!(
            "<!-- wp:video {{\"id\":{}}} -->\n<figure class=\"wp-block-video\"><video controls \
             src=\"{src}\"></video></figure>\n<!-- /wp:video -->",
            upload.id
        ),
    }
}

/// Code that must stay as written: `[embed]`, `{{ x }}`, a blank line, and a `]]>` (which splits
/// the CDATA of the export). The code block escapes `[` as `&#91;`, as WordPress's does.
fn code(rng: &mut Rng, editor: Editor) -> String {
    let id = youtube_id(rng);
    let intro = paragraph(editor, CODE_INTRO);
    let code = match editor {
        Editor::Classic => format!(
            "<pre><code>[embed]https://www.youtube.com/watch?v={id}[/embed]\n&lt;p&gt;{{{{ x \
             }}}}&lt;/p&gt;\n\n\
             if (a[b[0]]>1) {{ show(); }}</code></pre>"
        ),
        Editor::Blocks => format!(
            "<!-- wp:code -->\n<pre \
             class=\"wp-block-code\"><code>&#91;embed]https://www.youtube.com/watch?v={id}\
             &#91;/embed]\n&lt;p>{{{{ x }}}}&lt;/p>\n\nif (a&#91;b&#91;0]]>1) {{ show(); \
             }}</code></pre>\n\
             <!-- /wp:code -->"
        ),
    };
    format!("{intro}\n\n{code}")
}

/// `&nbsp;` alone (the empty paragraph the visual editor leaves) and between words.
fn nbsp(rng: &mut Rng, editor: Editor) -> String {
    let text = format!(
        "وتبدأ الفعاليات في تمام الساعة {}&nbsp;مساءً بتوقيت القاهرة، والدخول مجاني.",
        rng.u32(5..11)
    );
    match editor {
        Editor::Classic => format!("&nbsp;\n\n{text}"),
        Editor::Blocks => {
            format!(
                "<!-- wp:paragraph -->\n<p></p>\n<!-- /wp:paragraph -->\n\n{}",
                paragraph(editor, &text)
            )
        }
    }
}

/// Lines of one paragraph: single newlines (classic, `wpautop` makes them `<br />`), `<br>`.
fn line_breaks(rng: &mut Rng, editor: Editor) -> String {
    let lines = [
        fill(rng, "<strong>الموعد:</strong> الخميس {n} {month}"),
        fill(rng, "<strong>المكان:</strong> دار الأوبرا في {city}"),
        "<strong>الدخول:</strong> مجاني".to_string(),
    ];
    match editor {
        Editor::Classic => lines.join("\n"),
        Editor::Blocks => paragraph(editor, &lines.join("<br>")),
    }
}

/// The embed code X gives, pasted: a blockquote and its script.
fn pasted_tweet(rng: &mut Rng, plan: &Plan, body: &mut Body) -> String {
    let user = *pick(rng, &USERS);
    let url = format!("https://twitter.com/{user}/status/{}", digits(rng, 19));
    body.html_embeds.push(url.clone());
    let picture: String = (0..10).map(|_| rng.alphanumeric()).collect();
    let text = {
        let template = *pick(rng, sentences(plan.topic));
        fill(rng, template)
    };
    let html = format!(
        "<blockquote class=\"twitter-tweet\">\n<p dir=\"rtl\" lang=\"ar\">{text} <a \
         href=\"https://t.co/{picture}\">pic.twitter.com/{picture}</a></p>\n&mdash; {SITE_TITLE} \
         (@{user}) <a href=\"{url}?ref_src=twsrc%5Etfw\">{}</a></blockquote>\n<script async \
         src=\"https://platform.twitter.com/widgets.js\" charset=\"utf-8\"></script>",
        plan.date.strftime("%B %d, %Y")
    );
    html_block(plan.editor, &html)
}

/// YouTube's embed code, pasted.
fn iframe(rng: &mut Rng, editor: Editor, body: &mut Body) -> String {
    let src = format!("https://www.youtube.com/embed/{}", youtube_id(rng));
    body.html_embeds.push(src.clone());
    let html = format!(
        "<iframe title=\"YouTube video player\" src=\"{src}\" width=\"560\" height=\"315\" \
         frameborder=\"0\" allowfullscreen=\"allowfullscreen\"></iframe>"
    );
    html_block(editor, &html)
}

/// An image from another site, not in the uploads.
fn hotlink(rng: &mut Rng, editor: Editor) -> String {
    let src = format!("https://cdn.example.net/photos/{}.jpg", rng.u32(1000..99999));
    match editor {
        Editor::Classic => format!(
            "<img src=\"{src}\" alt=\"{}\" />",
            pick(rng, &ALTS).replace("{city}", "القاهرة")
        ),
        Editor::Blocks => format!(
            "<!-- wp:image -->\n<figure class=\"wp-block-image\"><img src=\"{src}\" \
             alt=\"\"/></figure>\n\
             <!-- /wp:image -->"
        ),
    }
}

/// An address of a site with no player, alone on its line: stays a link.
fn bare_link(rng: &mut Rng, editor: Editor) -> String {
    let url = format!("https://example.org/news/{}", rng.u32(100..9999));
    match editor {
        Editor::Classic => url,
        Editor::Blocks => paragraph(editor, &format!("<a href=\"{url}\">{url}</a>")),
    }
}

// ---------------------------------------------------------------------------------------------
// Comments.

struct Comment {
    id: u64,
    author: String,
    email: String,
    url: String,
    ip: String,
    date: String,
    date_gmt: String,
    content: String,
    /// `1`, `0` (pending), `spam` or `trash`.
    approved: &'static str,
    /// `comment` or `pingback`.
    kind: &'static str,
    parent: u64,
    user_id: u64,
}

/// The comments of a post: on about a third of the published ones, readers' comments (some
/// pending, spam or trashed), an editor's reply now and then, sometimes a pingback.
fn comments_for(wp: &mut Wordpress, plan: &Plan, next_id: &mut u64) -> Vec<Comment> {
    if plan.id == 1 {
        let mut first = reader_comment(wp, 1, plan.date + jiff::SignedDuration::from_mins(1));
        first.author = "مُعلّق ووردبريس".to_string();
        first.email = "wapuu@wordpress.example".to_string();
        first.url = "https://ar.wordpress.org/".to_string();
        first.content =
            "مرحباً، هذا تعليق تجريبي.\nلحذفه، افتح شاشة التعليقات في لوحة التحكم.".to_string();
        first.approved = "1";
        return vec![first];
    }
    if !plan.status.public() || !wp.percent(33) {
        return Vec::new();
    }
    let mut time = plan.date;
    let mut comments: Vec<Comment> = Vec::new();
    for _ in 0..wp.rng.usize(1..7) {
        time = (time + jiff::SignedDuration::from_mins(wp.rng.i64(5..3 * 24 * 60))).min(exported());
        let id = *next_id;
        *next_id += 1 + wp.rng.u64(0..3);
        let mut comment = reader_comment(wp, id, time);
        if let Some(last) = comments.last()
            && wp.percent(15)
        {
            let (login, display, ..) = AUTHORS[plan.author];
            comment.author = display.to_string();
            comment.email = format!("{login}@akhbar.example");
            comment.url = String::new();
            comment.approved = "1";
            comment.parent = last.id;
            comment.user_id = plan.author as u64 + 1;
        }
        comments.push(comment);
    }
    if wp.percent(10) {
        let id = *next_id;
        *next_id += 1;
        let mut ping = reader_comment(wp, id, time);
        ping.author = "ملاحظات الأسبوع – مدونة".to_string();
        ping.email = String::new();
        ping.url = "https://blog.example.net/2024/05/notes/".to_string();
        ping.content =
            "[&#8230;] وقد تناولت «أخبار اليوم» هذا الموضوع بالتفصيل [&#8230;]".to_string();
        ping.approved = "1";
        ping.kind = "pingback";
        comments.push(ping);
    }
    comments
}

fn reader_comment(wp: &mut Wordpress, id: u64, time: Timestamp) -> Comment {
    let approved = match wp.rng.u32(..100) {
        0..78 => "1",
        78..90 => "0",
        90..96 => "spam",
        _ => "trash",
    };
    let content = if approved == "spam" {
        "Great article! Cheap offers at https://spam.example/offers".to_string()
    } else {
        let template = *pick(&mut wp.rng, &COMMENTS);
        fill(&mut wp.rng, template)
    };
    let ip = if wp.percent(80) {
        format!("192.0.2.{}", wp.rng.u8(1..255))
    } else {
        format!("2001:db8::{:x}", wp.rng.u16(1..0xffff))
    };
    Comment {
        id,
        author: pick(&mut wp.rng, &COMMENTERS).to_string(),
        email: format!("reader{}@mail.example", wp.rng.u32(1..5000)),
        url: if wp.percent(20) { "https://blog.example.net/".to_string() } else { String::new() },
        ip,
        date: wp.local(time),
        date_gmt: gmt(time),
        content,
        approved,
        kind: "comment",
        parent: 0,
        user_id: 0,
    }
}

// ---------------------------------------------------------------------------------------------
// Items.

/// A `category` element of an item.
struct ItemTerm {
    domain: &'static str,
    nicename: String,
    name: String,
}

/// An item of the export, any post type.
#[derive(Default)]
struct Item {
    id: u64,
    /// As stored (entities included).
    title: String,
    link: String,
    pub_date: String,
    creator: String,
    guid: String,
    content: String,
    excerpt: String,
    date: String,
    date_gmt: String,
    modified: String,
    modified_gmt: String,
    comment_status: &'static str,
    ping_status: &'static str,
    name: String,
    status: &'static str,
    parent: u64,
    menu_order: u32,
    post_type: &'static str,
    password: String,
    sticky: bool,
    attachment_url: Option<String>,
    terms: Vec<ItemTerm>,
    meta: Vec<(String, String)>,
    comments: Vec<Comment>,
}

fn meta(key: &str, value: impl Into<String>) -> (String, String) {
    (key.to_string(), value.into())
}

fn category_nicename(index: usize) -> String {
    let category = &CATEGORIES[index];
    category.slug.map_or_else(|| wp_slug(category.name), str::to_string)
}

fn tag_nicename(index: usize) -> String {
    let (name, slug, _) = TAGS[index];
    slug.map_or_else(|| wp_slug(name), str::to_string)
}

/// The terms of a post as WordPress exports them (`wp_get_object_terms`): sorted by name, all
/// taxonomies together.
fn post_terms(plan: &Plan) -> Vec<ItemTerm> {
    let categories = plan.categories.iter().map(|&i| ItemTerm {
        domain: "category",
        nicename: category_nicename(i),
        name: CATEGORIES[i].name.to_string(),
    });
    let tags = plan.tags.iter().map(|&i| ItemTerm {
        domain: "post_tag",
        nicename: tag_nicename(i),
        name: TAGS[i].0.to_string(),
    });
    let format = plan.format.map(|i| ItemTerm {
        domain: "post_format",
        nicename: FORMAT_TERMS[i].to_string(),
        name: FORMAT_TERMS[i].to_string(),
    });
    let mut terms: Vec<ItemTerm> = categories.chain(tags).chain(format).collect();
    terms.sort_by_key(|term| term.name.to_lowercase());
    terms
}

/// `post_date` and `post_date_gmt` as exported.
fn post_dates(wp: &Wordpress, plan: &Plan) -> (String, String) {
    let floating = plan.status.floating();
    (wp.local(plan.date), if floating { ZERO_DATE.to_string() } else { gmt(plan.date) })
}

fn post_item(
    wp: &mut Wordpress,
    plan: &Plan,
    body: &Body,
    comments: Vec<Comment>,
    uploads: &[Upload],
) -> Item {
    let (date, date_gmt) = post_dates(wp, plan);
    let link = if plan.status.public() {
        format!("{BASE_URL}{}", plan.permalink(&wp.cairo))
    } else {
        format!("{BASE_URL}/?p={}", plan.id)
    };
    let scheme = if plan.created < https_since() { "http://akhbar.example" } else { BASE_URL };
    Item {
        id: plan.id,
        title: plan.stored_title.clone(),
        link,
        pub_date: if date_gmt == ZERO_DATE { String::new() } else { rss_date(plan.date) },
        creator: AUTHORS[plan.author].0.to_string(),
        guid: format!("{scheme}/?p={}", plan.id),
        content: body.html.clone(),
        excerpt: plan.excerpt.clone(),
        date,
        date_gmt,
        modified: wp.local(plan.modified),
        modified_gmt: gmt(plan.modified),
        comment_status: "open",
        ping_status: "open",
        name: plan.name.clone(),
        status: plan.status.as_str(),
        post_type: "post",
        password: plan.password.clone(),
        sticky: plan.sticky,
        terms: post_terms(plan),
        meta: post_meta(wp, plan, body, uploads),
        comments,
        ..Item::default()
    }
}

fn post_meta(
    wp: &mut Wordpress,
    plan: &Plan,
    body: &Body,
    uploads: &[Upload],
) -> Vec<(String, String)> {
    let mut out = vec![meta("_edit_last", (plan.author + 1).to_string())];
    if let Some(featured) = plan.featured {
        out.push(meta("_thumbnail_id", uploads[featured].id.to_string()));
    }
    out.extend(plan.old_names.iter().map(|old| meta("_wp_old_slug", old.as_str())));
    out.extend(plan.old_date.iter().map(|day| meta("_wp_old_date", day.as_str())));
    out.extend(body.meta.iter().cloned());
    if plan.status == Status::Trash {
        let desired = plan.name.trim_end_matches("__trashed");
        out.push(meta("_wp_trash_meta_status", "publish"));
        out.push(meta("_wp_trash_meta_time", (plan.modified.as_second()).to_string()));
        out.push(meta("_wp_desired_post_slug", desired));
    }
    if plan.status == Status::Publish && wp.percent(40) {
        let sentence = *pick(&mut wp.rng, sentences(plan.topic));
        out.push(meta("_yoast_wpseo_metadesc", fill(&mut wp.rng, sentence)));
        out.push(meta("_yoast_wpseo_focuskw", CATEGORIES[plan.categories[0]].name));
    }
    if plan.status == Status::Publish && wp.percent(50) {
        out.push(meta("post_views_count", wp.rng.u32(12..90_000).to_string()));
    }
    out
}

/// An attachment of `parent` (`None`: the post is not exported, or it is in the media library):
/// uploaded by the post's author, its page under the post's address when the post is seen on
/// the site.
fn upload_item(
    wp: &Wordpress,
    upload: &Upload,
    files: &[(String, Vec<u8>)],
    parent: Option<&Plan>,
) -> Item {
    let scheme = if upload.uploaded < https_since() { "http://akhbar.example" } else { BASE_URL };
    let link = match parent.filter(|plan| plan.status.public()) {
        Some(plan) => format!("{BASE_URL}{}{}/", plan.permalink(&wp.cairo), upload.name),
        None => format!("{BASE_URL}/?attachment_id={}", upload.id),
    };
    let mut meta_values = vec![
        meta("_wp_attached_file", upload.file()),
        meta("_wp_attachment_metadata", attachment_metadata(upload, files)),
    ];
    if !upload.alt.is_empty() {
        meta_values.push(meta("_wp_attachment_image_alt", upload.alt.as_str()));
    }
    Item {
        id: upload.id,
        title: upload.title.clone(),
        link,
        pub_date: rss_date(upload.uploaded),
        creator: AUTHORS[parent.map_or(0, |plan| plan.author)].0.to_string(),
        guid: upload_url(scheme, &upload.file()),
        excerpt: upload.caption.clone(),
        date: wp.local(upload.uploaded),
        date_gmt: gmt(upload.uploaded),
        modified: wp.local(upload.uploaded),
        modified_gmt: gmt(upload.uploaded),
        comment_status: "open",
        ping_status: "closed",
        name: upload.name.clone(),
        status: "inherit",
        parent: upload.parent,
        post_type: "attachment",
        attachment_url: Some(upload_url(BASE_URL, &upload.file())),
        meta: meta_values,
        ..Item::default()
    }
}

// ---------------------------------------------------------------------------------------------
// The site's own items: pages, the contact form, the menu.

/// A page of the site.
struct SitePage {
    id: u64,
    title: &'static str,
    /// A name set by WordPress or the editors; else from the title.
    name: Option<&'static str>,
    parent: u64,
    status: Status,
    content: &'static str,
}

const PAGES: [SitePage; 4] = [
    SitePage {
        id: ABOUT_ID,
        title: "من نحن",
        name: None,
        parent: 0,
        status: Status::Publish,
        content: concat!(
            "<!-- wp:paragraph -->\n<p>«أخبار اليوم» موقع إخباري مستقل يغطي أخبار مصر والعالم على ",
            "مدار الساعة.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:paragraph -->\n<p>نلتزم بالدقة ",
            "والحياد، ونصحح أخطاءنا فور اكتشافها.</p>\n<!-- /wp:paragraph -->",
        ),
    },
    // WordPress makes it at install, as a draft.
    SitePage {
        id: 3,
        title: "سياسة الخصوصية",
        name: Some("privacy-policy"),
        parent: 0,
        status: Status::Draft,
        content: concat!(
            "<!-- wp:heading -->\n<h2 class=\"wp-block-heading\">من نحن</h2>\n<!-- /wp:heading -->",
            "\n\n<!-- wp:paragraph -->\n<p>عنوان موقعنا هو: https://akhbar.example.</p>\n",
            "<!-- /wp:paragraph -->",
        ),
    },
    SitePage {
        id: 6,
        title: "اتصل بنا",
        name: None,
        parent: 0,
        status: Status::Publish,
        content: "يسعدنا تلقي رسائلكم واقتراحاتكم.\n\n[contact-form-7 id=\"5\" title=\"اتصل بنا\"]",
    },
    SitePage {
        id: 7,
        title: "فريق التحرير",
        name: None,
        parent: ABOUT_ID,
        status: Status::Publish,
        content: concat!(
            "يعمل في «أخبار اليوم» فريق من المحررين والمصورين في القاهرة والمحافظات.\n\n<ul>\n",
            " \t<li>رئيسة التحرير: سارة كمال</li>\n \t<li>مدير التحرير: أحمد السيد</li>\n</ul>",
        ),
    },
];

fn site_items(wp: &mut Wordpress) -> (Vec<Item>, Vec<Page>) {
    let mut items = Vec::new();
    let mut pages: Vec<Page> = Vec::new();
    for (order, page) in PAGES.iter().enumerate() {
        let SitePage { id, title, parent, status, content, .. } = *page;
        let name = wp.unique_name(&page.name.map_or_else(|| wp_slug(title), str::to_string));
        let parent_path =
            pages.iter().find(|p| p.id == parent).map_or("/".to_string(), |p| p.path.clone());
        let path = format!("{parent_path}{name}/");
        let time = installed() + jiff::SignedDuration::from_hours(order as i64 + 1);
        let link = if status == Status::Publish {
            format!("{BASE_URL}{path}")
        } else {
            format!("{BASE_URL}/?page_id={id}")
        };
        items.push(Item {
            id,
            title: title.to_string(),
            link,
            pub_date: rss_date(time),
            creator: "admin".to_string(),
            guid: format!("http://akhbar.example/?page_id={id}"),
            content: content.to_string(),
            date: wp.local(time),
            date_gmt: gmt(time),
            modified: wp.local(time),
            modified_gmt: gmt(time),
            comment_status: "closed",
            ping_status: "closed",
            name: name.clone(),
            status: status.as_str(),
            parent,
            menu_order: u32::from(parent != 0),
            post_type: "page",
            meta: vec![meta("_edit_last", "1"), meta("_wp_page_template", "default")],
            ..Item::default()
        });
        pages.push(Page {
            id,
            title: title.to_string(),
            slug: decode(&name),
            status: status.as_str(),
            parent,
            path,
        });
    }
    items.push(contact_form(wp));
    items.extend(menu_items(wp));
    (items, pages)
}

/// Contact Form 7's form (a post type of its own), which `[contact-form-7 id="5"]` shows.
fn contact_form(wp: &Wordpress) -> Item {
    let time = installed() + jiff::SignedDuration::from_hours(5);
    let form = "<label> الاسم\n    [text* your-name autocomplete:name] </label>\n\n<label> \
     البريد الإلكتروني\n    \
                [email* your-email autocomplete:email] </label>\n\n<label> \
                رسالتك\n    [textarea your-message] \
                </label>\n\n[submit \"إرسال\"]";
    Item {
        id: FORM_ID,
        title: "اتصل بنا".to_string(),
        link: format!("{BASE_URL}/?post_type=wpcf7_contact_form&p={FORM_ID}"),
        pub_date: rss_date(time),
        creator: "admin".to_string(),
        guid: format!("http://akhbar.example/?post_type=wpcf7_contact_form&p={FORM_ID}"),
        content: format!("{form}\n1\n[_site_title] \"[your-subject]\""),
        date: wp.local(time),
        date_gmt: gmt(time),
        modified: wp.local(time),
        modified_gmt: gmt(time),
        comment_status: "closed",
        ping_status: "closed",
        name: wp_slug("اتصل بنا"),
        status: "publish",
        post_type: "wpcf7_contact_form",
        meta: vec![meta("_form", form), meta("_locale", "ar")],
        ..Item::default()
    }
}

/// The main menu: home, three categories (one with its child under it) and «من نحن».
fn menu_items(wp: &Wordpress) -> Vec<Item> {
    // Title, `_menu_item_type`, `_menu_item_object`, object ID, parent item.
    let entries: [(&str, &str, &str, u64, u64); 6] = [
        ("الرئيسية", "custom", "custom", 8, 0),
        ("", "taxonomy", "category", CATEGORIES[1].term_id, 0),
        ("", "taxonomy", "category", CATEGORIES[2].term_id, 0),
        ("", "taxonomy", "category", CATEGORIES[3].term_id, 0),
        ("", "taxonomy", "category", CATEGORIES[4].term_id, 11),
        ("", "post_type", "page", ABOUT_ID, 0),
    ];
    let time = installed() + jiff::SignedDuration::from_hours(26);
    let day = time.to_zoned_datetime(wp.cairo.clone()).strftime("%Y/%m/%d").to_string();
    entries
        .iter()
        .enumerate()
        .map(|(order, &(title, kind, object, object_id, parent))| {
            let id = 8 + order as u64;
            let url = if kind == "custom" { format!("{BASE_URL}/") } else { String::new() };
            Item {
                id,
                title: title.to_string(),
                link: format!("{BASE_URL}/{day}/{id}/"),
                pub_date: rss_date(time),
                creator: "admin".to_string(),
                guid: format!("http://akhbar.example/?p={id}"),
                date: wp.local(time),
                date_gmt: gmt(time),
                modified: wp.local(time),
                modified_gmt: gmt(time),
                comment_status: "closed",
                ping_status: "closed",
                name: id.to_string(),
                status: "publish",
                menu_order: order as u32 + 1,
                post_type: "nav_menu_item",
                terms: vec![ItemTerm {
                    domain: "nav_menu",
                    nicename: MENU_TERM.2.to_string(),
                    name: MENU_TERM.1.to_string(),
                }],
                meta: vec![
                    meta("_menu_item_type", kind),
                    meta("_menu_item_menu_item_parent", parent.to_string()),
                    meta("_menu_item_object_id", object_id.to_string()),
                    meta("_menu_item_object", object),
                    meta("_menu_item_target", ""),
                    meta("_menu_item_classes", "a:1:{i:0;s:0:\"\";}"),
                    meta("_menu_item_xfn", ""),
                    meta("_menu_item_url", url),
                ],
                ..Item::default()
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The XML, as WordPress 6's `export_wp` writes it.

fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

/// `esc_url` for `link` and `guid`: `&` as `&#038;`.
fn esc_url(url: &str) -> String {
    url.replace('&', "&#038;")
}

fn write_xml(items: &[Item]) -> String {
    let mut out = String::with_capacity(items.len() * 6000);
    write_head(&mut out);
    write_authors(&mut out);
    write_taxonomies(&mut out);
    out.push_str("\n\t<generator>https://wordpress.org/?v=6.4.3</generator>\n\n");
    for item in items {
        write_item(&mut out, item);
    }
    out.push_str("\t</channel>\n</rss>\n");
    out
}

fn write_head(out: &mut String) {
    let created = exported().strftime("%Y-%m-%d %H:%M");
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n\
         <!-- This is a WordPress eXtended RSS file generated by WordPress as an export of your \
         site. -->\n\
         <!-- generator=\"WordPress/6.4.3\" created=\"{created}\" -->\n\
         <rss version=\"2.0\"\n\
         \txmlns:excerpt=\"http://wordpress.org/export/1.2/excerpt/\"\n\
         \txmlns:content=\"http://purl.org/rss/1.0/modules/content/\"\n\
         \txmlns:wfw=\"http://wellformedweb.org/CommentAPI/\"\n\
         \txmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n\
         \txmlns:wp=\"http://wordpress.org/export/1.2/\"\n>\n\n<channel>\n\
         \t<title>{SITE_TITLE}</title>\n\t<link>{BASE_URL}</link>\n\
         \t<description>آخر الأخبار من مصر والعالم</description>\n\
         \t<pubDate>{}</pubDate>\n\t<language>ar</language>\n\
         \t<wp:wxr_version>1.2</wp:wxr_version>\n\
         \t<wp:base_site_url>{BASE_URL}</wp:base_site_url>\n\
         \t<wp:base_blog_url>{BASE_URL}</wp:base_blog_url>\n\n",
        rss_date(exported())
    );
}

fn write_authors(out: &mut String) {
    for (i, (login, display, first, last)) in AUTHORS.iter().enumerate() {
        let email = author_email(login);
        let _ = writeln!(
            out,
            "\t<wp:author><wp:author_id>{}</wp:author_id><wp:author_login>{}</wp:author_login>\
             <wp:author_email>{}</wp:author_email>\
             <wp:author_display_name>{}</wp:author_display_name>\
             <wp:author_first_name>{}</wp:author_first_name>\
             <wp:author_last_name>{}</wp:author_last_name>\
             </wp:author>",
            i + 1,
            cdata(login),
            cdata(&email),
            cdata(display),
            cdata(first),
            cdata(last),
        );
    }
    out.push('\n');
}

/// Categories (parents before children), tags, and the menu's term.
fn write_taxonomies(out: &mut String) {
    for (i, category) in CATEGORIES.iter().enumerate() {
        let (id, name) = (category.term_id, category.name);
        let parent = category.parent.map(category_nicename).unwrap_or_default();
        let _ = write!(
            out,
            "\t<wp:category>\n\t\t<wp:term_id>{id}</wp:term_id>\n\
             \t\t<wp:category_nicename>{}</wp:category_nicename>\n\
             \t\t<wp:category_parent>{}</wp:category_parent>\n\t\t<wp:cat_name>{}</wp:cat_name>\n",
            cdata(&category_nicename(i)),
            cdata(&parent),
            cdata(name),
        );
        if i == 2 {
            let _ = writeln!(
                out,
                "\t\t<wp:category_description>{}</wp:category_description>",
                cdata("أخبار الأسواق والمال")
            );
        }
        out.push_str("\t</wp:category>\n");
    }
    for (i, (name, ..)) in TAGS.iter().enumerate() {
        let _ = write!(
            out,
            "\t<wp:tag>\n\t\t<wp:term_id>{}</wp:term_id>\n\t\t<wp:tag_slug>{}</wp:tag_slug>\n\
             \t\t<wp:tag_name>{}</wp:tag_name>\n\t</wp:tag>\n",
            tag_id(i),
            cdata(&tag_nicename(i)),
            cdata(name),
        );
    }
    let (id, name, slug) = MENU_TERM;
    let _ = write!(
        out,
        "\t<wp:term>\n\t\t<wp:term_id>{id}</wp:term_id>\n\
         \t\t<wp:term_taxonomy>{}</wp:term_taxonomy>\n\
         \t\t<wp:term_slug>{}</wp:term_slug>\n\t\t<wp:term_parent>{}</wp:term_parent>\n\
         \t\t<wp:term_name>{}</wp:term_name>\n\t</wp:term>\n",
        cdata("nav_menu"),
        cdata(slug),
        cdata(""),
        cdata(name),
    );
}

/// Tags' term IDs: after the categories', with a gap every seventh.
fn tag_id(index: usize) -> u64 {
    FIRST_TAG_ID + index as u64 + index as u64 / 7
}

fn write_item(out: &mut String, item: &Item) {
    let _ = write!(
        out,
        "\t<item>\n\t\t<title>{}</title>\n\t\t<link>{}</link>\n\t\t<pubDate>{}</pubDate>\n\
         \t\t<dc:creator>{}</dc:creator>\n\t\t<guid isPermaLink=\"false\">{}</guid>\n\
         \t\t<description></description>\n\t\t<content:encoded>{}</content:encoded>\n\
         \t\t<excerpt:encoded>{}</excerpt:encoded>\n\t\t<wp:post_id>{}</wp:post_id>\n\
         \t\t<wp:post_date>{}</wp:post_date>\n\t\t<wp:post_date_gmt>{}</wp:post_date_gmt>\n\
         \t\t<wp:post_modified>{}</wp:post_modified>\n\
         \t\t<wp:post_modified_gmt>{}</wp:post_modified_gmt>\n\
         \t\t<wp:comment_status>{}</wp:comment_status>\n\t\t<wp:ping_status>{}</wp:ping_status>\n\
         \t\t<wp:post_name>{}</wp:post_name>\n\t\t<wp:status>{}</wp:status>\n\
         \t\t<wp:post_parent>{}</wp:post_parent>\n\t\t<wp:menu_order>{}</wp:menu_order>\n\
         \t\t<wp:post_type>{}</wp:post_type>\n\t\t<wp:post_password>{}</wp:post_password>\n\
         \t\t<wp:is_sticky>{}</wp:is_sticky>\n",
        cdata(&item.title),
        esc_url(&item.link),
        item.pub_date,
        cdata(&item.creator),
        esc_url(&item.guid),
        cdata(&item.content),
        cdata(&item.excerpt),
        item.id,
        cdata(&item.date),
        cdata(&item.date_gmt),
        cdata(&item.modified),
        cdata(&item.modified_gmt),
        cdata(item.comment_status),
        cdata(item.ping_status),
        cdata(&item.name),
        cdata(item.status),
        item.parent,
        item.menu_order,
        cdata(item.post_type),
        cdata(&item.password),
        u8::from(item.sticky),
    );
    if let Some(url) = &item.attachment_url {
        let _ = writeln!(out, "\t\t<wp:attachment_url>{}</wp:attachment_url>", cdata(url));
    }
    for term in &item.terms {
        let _ = writeln!(
            out,
            "\t\t<category domain=\"{}\" nicename=\"{}\">{}</category>",
            term.domain,
            term.nicename,
            cdata(&term.name)
        );
    }
    for (key, value) in &item.meta {
        let _ = write!(
            out,
            "\t\t<wp:postmeta>\n\t\t<wp:meta_key>{}</wp:meta_key>\n\
             \t\t<wp:meta_value>{}</wp:meta_value>\n\
             \t\t</wp:postmeta>\n",
            cdata(key),
            cdata(value)
        );
    }
    for comment in &item.comments {
        write_comment(out, comment);
    }
    out.push_str("\t</item>\n");
}

fn write_comment(out: &mut String, comment: &Comment) {
    let _ = write!(
        out,
        "\t\t<wp:comment>\n\t\t\t<wp:comment_id>{}</wp:comment_id>\n\
         \t\t\t<wp:comment_author>{}</wp:comment_author>\n\
         \t\t\t<wp:comment_author_email>{}</wp:comment_author_email>\n\
         \t\t\t<wp:comment_author_url>{}</wp:comment_author_url>\n\
         \t\t\t<wp:comment_author_IP>{}</wp:comment_author_IP>\n\
         \t\t\t<wp:comment_date>{}</wp:comment_date>\n\
         \t\t\t<wp:comment_date_gmt>{}</wp:comment_date_gmt>\n\
         \t\t\t<wp:comment_content>{}</wp:comment_content>\n\
         \t\t\t<wp:comment_approved>{}</wp:comment_approved>\n\
         \t\t\t<wp:comment_type>{}</wp:comment_type>\n\
         \t\t\t<wp:comment_parent>{}</wp:comment_parent>\n\
         \t\t\t<wp:comment_user_id>{}</wp:comment_user_id>\n",
        comment.id,
        cdata(&comment.author),
        cdata(&comment.email),
        esc_url(&comment.url),
        cdata(&comment.ip),
        cdata(&comment.date),
        cdata(&comment.date_gmt),
        cdata(&comment.content),
        cdata(comment.approved),
        cdata(comment.kind),
        comment.parent,
        comment.user_id,
    );
    if comment.approved == "spam" {
        let _ = write!(
            out,
            "\t\t\t<wp:commentmeta>\n\t\t\t<wp:meta_key>{}</wp:meta_key>\n\
             \t\t\t<wp:meta_value>{}</wp:meta_value>\n\
             \t\t\t</wp:commentmeta>\n",
            cdata("akismet_result"),
            cdata("true")
        );
    }
    out.push_str("\t\t</wp:comment>\n");
}

// ---------------------------------------------------------------------------------------------
// The recipe.

/// An export of `n_posts` posts (of post type `post`; the first is WordPress's own, trashed),
/// with their attachments, the site's pages, contact form and menu; the same for the same seed.
pub fn generate(n_posts: usize, seed: u64) -> Export {
    let mut wp = Wordpress::new(seed);
    let (mut items, pages) = site_items(&mut wp);
    let plans = plan_posts(&mut wp, n_posts);
    let uploads = std::mem::take(&mut wp.uploads);
    let cairo = wp.cairo.clone();
    let ctx = Ctx { plans: &plans, uploads: &uploads, cairo: &cairo };
    let bodies: Vec<Body> = (0..plans.len()).map(|i| write_body(&mut wp.rng, &ctx, i)).collect();
    let mut next_comment = 2;
    let comments: Vec<Vec<Comment>> =
        plans.iter().map(|plan| comments_for(&mut wp, plan, &mut next_comment)).collect();
    let files: Vec<Vec<(String, Vec<u8>)>> = uploads.iter().map(upload_files).collect();
    let mut posts = Vec::with_capacity(plans.len());
    for ((plan, body), comments) in plans.iter().zip(&bodies).zip(comments) {
        posts.push(post_facts(&wp, plan, body, &comments, &uploads));
        items.push(post_item(&mut wp, plan, body, comments, &uploads));
    }
    let by_id: BTreeMap<u64, &Plan> = plans.iter().map(|plan| (plan.id, plan)).collect();
    for (upload, files) in uploads.iter().zip(&files) {
        let parent = by_id.get(&upload.parent).copied();
        items.push(upload_item(&wp, upload, files, parent));
    }
    items.sort_by_key(|item| item.id);
    Export {
        xml: write_xml(&items),
        posts,
        pages,
        media: uploads.iter().map(media_facts).collect(),
        authors: author_facts(),
        categories: category_facts(),
        tags: tag_facts(),
        uploads: files.into_iter().flatten().collect(),
        base_url: BASE_URL.to_string(),
    }
}

/// Writes `export.xml` and `uploads/…` under `dir`; returns the export's path and the uploads
/// folder.
pub fn write(export: &Export, dir: &Path) -> (PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).expect("make the export's folder");
    let xml = dir.join("export.xml");
    std::fs::write(&xml, &export.xml).expect("write export.xml");
    let uploads = dir.join("uploads");
    for (path, bytes) in &export.uploads {
        let file = uploads.join(path);
        std::fs::create_dir_all(file.parent().expect("a folder")).expect("make an uploads folder");
        std::fs::write(&file, bytes).expect("write an upload");
    }
    (xml, uploads)
}

fn post_facts(
    wp: &Wordpress,
    plan: &Plan,
    body: &Body,
    comments: &[Comment],
    uploads: &[Upload],
) -> Post {
    let terms = post_terms(plan);
    let names = |domain: &str| -> Vec<String> {
        terms.iter().filter(|t| t.domain == domain).map(|t| t.name.clone()).collect()
    };
    let categories = names("category");
    let mut inline_images: Vec<String> = Vec::new();
    for path in body.images.iter().map(|&i| uploads[i].file()) {
        if !inline_images.contains(&path) {
            inline_images.push(path);
        }
    }
    let (date, date_gmt) = post_dates(wp, plan);
    Post {
        id: plan.id,
        title: shown(&plan.stored_title),
        slug: decode(&plan.name),
        status: plan.status.as_str(),
        date,
        date_gmt,
        permalink: plan.permalink(&wp.cairo),
        editor: plan.editor,
        author: AUTHORS[plan.author].0.to_string(),
        category: categories.first().cloned().unwrap_or_default(),
        tags: names("post_tag"),
        categories,
        featured: plan.featured.map(|i| uploads[i].file()),
        inline_images,
        videos: body.videos.iter().map(|&i| uploads[i].file()).collect(),
        embeds: body.embeds.clone(),
        html_embeds: body.html_embeds.clone(),
        links: body.links.clone(),
        old_slugs: plan.old_names.iter().map(|name| decode(name)).collect(),
        excerpt: plan.excerpt.clone(),
        password: plan.password.clone(),
        sticky: plan.sticky,
        comments: comments.len(),
        approved_comments: comments
            .iter()
            .filter(|c| c.approved == "1" && c.kind == "comment")
            .count(),
    }
}

fn media_facts(upload: &Upload) -> Media {
    Media {
        id: upload.id,
        path: upload.file(),
        original: upload.scaled.map(|_| upload.original()),
        sizes: upload.sizes.iter().map(|&(_, w, h)| upload.sized(w, h)).collect(),
        parent: upload.parent,
        mime: upload.mime(),
        alt: upload.alt.clone(),
        caption: upload.caption.clone(),
    }
}

fn author_email(login: &str) -> String {
    match login {
        "admin" => "webmaster@akhbar.example".to_string(),
        _ => format!("{login}@akhbar.example"),
    }
}

fn author_facts() -> Vec<Author> {
    AUTHORS
        .iter()
        .map(|&(login, display, ..)| Author {
            login: login.to_string(),
            display_name: display.to_string(),
            email: author_email(login),
        })
        .collect()
}

fn category_facts() -> Vec<Term> {
    CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, category)| Term {
            id: category.term_id,
            name: category.name.to_string(),
            nicename: category_nicename(i),
            slug: decode(&category_nicename(i)),
            parent: category.parent.map(|p| CATEGORIES[p].name.to_string()),
        })
        .collect()
}

fn tag_facts() -> Vec<Term> {
    TAGS.iter()
        .enumerate()
        .map(|(i, &(name, ..))| Term {
            id: tag_id(i),
            name: name.to_string(),
            nicename: tag_nicename(i),
            slug: decode(&tag_nicename(i)),
            parent: None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Self-test: the export is well-formed, says what `Export` says, and holds every feature many
// times. Checked from the XML with a real parser, not from the generator's own records.

const WP_NS: &str = "http://wordpress.org/export/1.2/";
const CONTENT_NS: &str = "http://purl.org/rss/1.0/modules/content/";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";

type Node<'a, 'i> = roxmltree::Node<'a, 'i>;

fn text_in<'a>(node: Node<'a, '_>, ns: &str, name: &str) -> &'a str {
    node.children().find(|c| c.has_tag_name((ns, name))).and_then(|c| c.text()).unwrap_or("")
}

fn wp_text<'a>(node: Node<'a, '_>, name: &str) -> &'a str {
    text_in(node, WP_NS, name)
}

/// The text of a child element in no namespace (`title`, `link`, `pubDate`).
fn plain<'a>(node: Node<'a, '_>, name: &str) -> &'a str {
    node.children()
        .find(|c| {
            c.is_element() && c.tag_name().namespace().is_none() && c.tag_name().name() == name
        })
        .and_then(|c| c.text())
        .unwrap_or("")
}

fn content_of<'a>(item: Node<'a, '_>) -> &'a str {
    text_in(item, CONTENT_NS, "encoded")
}

fn postmeta<'a>(item: Node<'a, '_>, key: &str) -> Vec<&'a str> {
    item.children()
        .filter(|c| c.has_tag_name((WP_NS, "postmeta")) && wp_text(*c, "meta_key") == key)
        .map(|c| wp_text(c, "meta_value"))
        .collect()
}

/// `(domain, nicename, name)` of an item's `category` elements.
fn item_terms<'a>(item: Node<'a, '_>) -> Vec<(&'a str, &'a str, &'a str)> {
    item.children()
        .filter(|c| c.is_element() && c.tag_name().name() == "category")
        .map(|c| {
            let attribute = |name: &str| c.attribute(name).expect("domain and nicename");
            (attribute("domain"), attribute("nicename"), c.text().unwrap_or(""))
        })
        .collect()
}

/// ASCII, every `%` followed by two lower-case hex digits: how WordPress encodes names.
fn is_wp_encoded(text: &str) -> bool {
    let lower_hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
    text.is_ascii()
        && text.match_indices('%').all(|(i, _)| {
            text.as_bytes().get(i + 1..i + 3).is_some_and(|hex| hex.iter().all(lower_hex))
        })
}

fn is_arabic(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

fn civil(text: &str) -> jiff::civil::DateTime {
    jiff::civil::DateTime::strptime("%Y-%m-%d %H:%M:%S", text)
        .unwrap_or_else(|e| panic!("not a WordPress date: {text:?}: {e}"))
}

#[test]
fn the_export_is_well_formed_and_covers_the_importer() {
    let export = generate(200, 7);
    let doc = roxmltree::Document::parse(&export.xml).expect("the export is well-formed XML");
    let channel = doc.root_element().first_element_child().expect("a channel");
    check_channel(&export, channel);
    let items: Vec<Node> = channel.children().filter(|n| n.has_tag_name("item")).collect();
    let ids: Vec<u64> =
        items.iter().map(|i| wp_text(*i, "post_id").parse().expect("an ID")).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "items come once each, by ID");
    let of_type = |post_type: &str| -> Vec<Node> {
        items.iter().copied().filter(|i| wp_text(*i, "post_type") == post_type).collect()
    };
    let posts = of_type("post");
    assert_eq!((posts.len(), export.posts.len()), (200, 200));
    assert_eq!(of_type("page").len(), export.pages.len());
    assert_eq!(of_type("attachment").len(), export.media.len());
    assert_eq!(of_type("nav_menu_item").len(), 6);
    assert_eq!(of_type("wpcf7_contact_form").len(), 1);
    for (item, post) in posts.iter().zip(&export.posts) {
        check_post(&export, *item, post);
    }
    check_mix(&export);
    check_uploads(&export, &of_type("attachment"), &items);
    check_bodies(&export, &posts);
    check_pages(&export, &of_type("page"));
    assert!(export.xml.contains("\r\n"), "bodies saved with the browser's CRLF");
}

fn check_channel(export: &Export, channel: Node<'_, '_>) {
    assert_eq!(plain(channel, "language"), "ar");
    assert_eq!(wp_text(channel, "wxr_version"), "1.2");
    assert_eq!(wp_text(channel, "base_site_url"), export.base_url);
    assert_eq!(wp_text(channel, "base_blog_url"), export.base_url);
    let blocks = |name: &str| -> Vec<Node> {
        channel.children().filter(|c| c.has_tag_name((WP_NS, name))).collect()
    };
    let authors = blocks("author");
    assert_eq!(authors.len(), export.authors.len());
    for (node, author) in authors.iter().zip(&export.authors) {
        assert_eq!(wp_text(*node, "author_login"), author.login);
        assert_eq!(wp_text(*node, "author_display_name"), author.display_name);
        assert_eq!(wp_text(*node, "author_email"), author.email);
    }
    let arabic = export.authors.iter().filter(|a| is_arabic(&a.display_name) && a.login.is_ascii());
    assert!(arabic.count() >= 5, "five authors with Arabic names and Latin logins");
    let categories = blocks("category");
    assert_eq!(categories.len(), export.categories.len());
    for (node, category) in categories.iter().zip(&export.categories) {
        assert_eq!(wp_text(*node, "term_id"), category.id.to_string());
        let nicename = wp_text(*node, "category_nicename");
        assert!(is_wp_encoded(nicename), "{nicename}");
        assert_eq!(
            (nicename, wp_text(*node, "cat_name")),
            (category.nicename.as_str(), category.name.as_str())
        );
        assert_eq!(decode(nicename), category.slug);
        let parent = wp_text(*node, "category_parent");
        let parent_name =
            export.categories.iter().find(|c| c.nicename == parent).map(|c| c.name.clone());
        assert_eq!(parent_name, category.parent, "the parent is named by its nicename");
    }
    assert!(export.categories.len() >= 9 && export.categories.iter().any(|c| c.parent.is_some()));
    assert!(
        export.categories.iter().any(|c| c.name == "غير مصنف" && c.nicename.starts_with("%d8%ba"))
    );
    let tags = blocks("tag");
    assert_eq!(tags.len(), export.tags.len());
    assert!(tags.len() >= 30);
    for (node, tag) in tags.iter().zip(&export.tags) {
        assert_eq!(
            (wp_text(*node, "tag_slug"), wp_text(*node, "tag_name")),
            (tag.nicename.as_str(), tag.name.as_str())
        );
        assert_eq!(wp_text(*node, "term_id"), tag.id.to_string());
    }
    assert!(export.tags.iter().any(|t| t.name == "COVID-19"));
    assert!(export.tags.iter().any(|t| export.categories.iter().any(|c| c.name == t.name)));
    assert_eq!(blocks("term").len(), 1, "the menu's term");
}

fn check_post(export: &Export, item: Node<'_, '_>, post: &Post) {
    let at = format!("post {}", post.id);
    assert_eq!(wp_text(item, "post_id"), post.id.to_string());
    assert_eq!(wp_text(item, "status"), post.status, "{at}");
    let name = wp_text(item, "post_name");
    assert!(is_wp_encoded(name), "{at}: {name}");
    assert_eq!(decode(name), post.slug, "{at}");
    let title = plain(item, "title");
    if ["&amp;", "&quot;", "&lt;", "&#"].iter().any(|entity| title.contains(entity)) {
        assert!(post.title != title && !post.title.contains("&amp;"), "{at}: entities decoded");
    } else {
        assert_eq!(post.title, title, "{at}");
    }
    check_dates(item, post);
    let expected_permalink = if name.is_empty() {
        format!("/?p={}", post.id)
    } else {
        let day = &post.date[..10].replace('-', "/");
        format!("/{day}/{name}/")
    };
    assert_eq!(post.permalink, expected_permalink, "{at}");
    let link = plain(item, "link");
    match post.status {
        "publish" | "private" => assert_eq!(link, format!("{}{}", export.base_url, post.permalink)),
        _ => assert_eq!(link, format!("{}/?p={}", export.base_url, post.id)),
    }
    assert_eq!(text_in(item, DC_NS, "creator"), post.author);
    assert!(export.authors.iter().any(|a| a.login == post.author));
    check_terms(export, item, post);
    let n_comments = item.children().filter(|c| c.has_tag_name((WP_NS, "comment"))).count();
    assert_eq!(n_comments, post.comments, "{at}");
    let thumbnail = postmeta(item, "_thumbnail_id");
    let featured = thumbnail.first().map(|id| {
        let media = export.media.iter().find(|m| m.id.to_string() == *id).expect("the attachment");
        media.path.clone()
    });
    assert_eq!(featured, post.featured, "{at}");
    let old: Vec<String> = postmeta(item, "_wp_old_slug").into_iter().map(decode).collect();
    assert_eq!(old, post.old_slugs, "{at}");
    assert_eq!(wp_text(item, "post_password"), post.password);
    assert_eq!(wp_text(item, "is_sticky"), if post.sticky { "1" } else { "0" });
}

/// The GMT date is the site date less Cairo's offset: 2 hours, 3 in summer from 2023.
fn check_dates(item: Node<'_, '_>, post: &Post) {
    let at = format!("post {}", post.id);
    assert_eq!(wp_text(item, "post_date"), post.date, "{at}");
    assert_eq!(wp_text(item, "post_date_gmt"), post.date_gmt, "{at}");
    let pub_date = plain(item, "pubDate");
    if post.date_gmt == ZERO_DATE {
        assert!(matches!(post.status, "draft" | "pending"), "{at}: zeros only before publishing");
        assert!(post.slug.is_empty() && pub_date.is_empty(), "{at}");
        return;
    }
    let (local, utc) = (civil(&post.date), civil(&post.date_gmt));
    let offset = local.duration_since(utc).as_secs();
    let summer = local.year() >= 2023 && (5..=9).contains(&local.month());
    let winter = local.year() < 2023 || !(4..=10).contains(&local.month());
    match offset {
        7200 => assert!(!summer, "{at}: {} is summer time", post.date),
        10800 => assert!(!winter, "{at}: {} is winter time", post.date),
        _ => panic!("{at}: {} and {} are {offset} s apart", post.date, post.date_gmt),
    }
    let published = jiff::fmt::rfc2822::parse(pub_date).expect("RFC 2822").timestamp();
    let gmt = utc.to_zoned_datetime(TimeZone::UTC).expect("a UTC time").timestamp();
    assert_eq!(published, gmt, "{at}: pubDate is the GMT date");
}

fn check_terms(export: &Export, item: Node<'_, '_>, post: &Post) {
    let terms = item_terms(item);
    let names = |domain: &str| -> Vec<&str> {
        terms.iter().filter(|t| t.0 == domain).map(|t| t.2).collect()
    };
    assert_eq!(names("category"), post.categories);
    assert_eq!(names("post_tag"), post.tags);
    assert_eq!(
        post.categories.first(),
        Some(&post.category),
        "post {}: a category always",
        post.id
    );
    let sorted = terms.windows(2).all(|w| w[0].2.to_lowercase() <= w[1].2.to_lowercase());
    assert!(sorted, "post {}: terms sorted by name", post.id);
    for (domain, nicename, name) in terms {
        let declared = match domain {
            "category" => &export.categories,
            "post_tag" => &export.tags,
            "post_format" => continue,
            other => panic!("unexpected domain `{other}`"),
        };
        assert!(
            declared.iter().any(|t| t.nicename == nicename && t.name == name),
            "{name} declared"
        );
    }
}

/// Statuses, editors, dates, titles and comments in the proportions of a real archive.
fn check_mix(export: &Export) {
    let count = |f: &dyn Fn(&Post) -> bool| export.posts.iter().filter(|p| f(p)).count();
    for (status, at_least) in [
        ("publish", 150),
        ("draft", 12),
        ("pending", 2),
        ("private", 2),
        ("future", 2),
        ("trash", 3),
    ] {
        assert!(count(&|p| p.status == status) >= at_least, "{at_least} {status}");
    }
    assert!(
        count(&|p| p.status == "draft" && !p.slug.is_empty()) >= 1,
        "a draft that was published"
    );
    assert!(count(&|p| p.status == "trash" && p.slug.ends_with("__trashed")) >= 3);
    assert!(
        count(&|p| p.editor == Editor::Classic) >= 40
            && count(&|p| p.editor == Editor::Blocks) >= 40
    );
    for year in 2019..=2025 {
        assert!(count(&|p| p.date.starts_with(&year.to_string())) >= 5, "posts of {year}");
    }
    let published = count(&|p| p.status == "publish");
    let featured = count(&|p| p.status == "publish" && p.featured.is_some());
    assert!(
        featured * 100 >= published * 60 && featured * 100 <= published * 85,
        "{featured} of {published}"
    );
    assert!(count(&|p| p.title.contains('&')) >= 2);
    assert!(count(&|p| p.title.contains('«')) >= 2);
    assert!(count(&|p| p.title.contains("iPhone 16")) >= 1);
    assert!(count(&|p| p.slug.is_ascii() && !p.slug.is_empty()) >= 5, "Latin slugs");
    assert!(count(&|p| p.category == "غير مصنف") >= 1);
    assert!(count(&|p| !p.old_slugs.is_empty()) >= 3);
    assert!(count(&|p| p.comments > 0) >= 30);
    assert!(count(&|p| p.approved_comments < p.comments) >= 10, "pending, spam and pingbacks");
    assert!(count(&|p| p.sticky) == 3 && count(&|p| !p.password.is_empty()) == 2);
    assert!(count(&|p| !p.excerpt.is_empty()) >= 20);
}

/// The paths (decoded) that addresses under the site's uploads folder name in a body.
fn upload_paths(body: &str) -> Vec<String> {
    let marker = "akhbar.example/wp-content/uploads/";
    body.match_indices(marker)
        .map(|(at, _)| {
            let rest = &body[at + marker.len()..];
            let end = rest
                .find(|c: char| c.is_whitespace() || "\"'<>]".contains(c))
                .unwrap_or(rest.len());
            decode(&rest[..end])
        })
        .collect()
}

fn check_uploads(export: &Export, attachments: &[Node<'_, '_>], items: &[Node<'_, '_>]) {
    let files: BTreeSet<&str> = export.uploads.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(files.len(), export.uploads.len(), "each file once");
    for (node, media) in attachments.iter().zip(&export.media) {
        assert_eq!(wp_text(*node, "post_id"), media.id.to_string());
        assert_eq!(postmeta(*node, "_wp_attached_file"), [media.path.as_str()]);
        let url = format!("{}/wp-content/uploads/{}", export.base_url, media.path);
        assert_eq!(wp_text(*node, "attachment_url"), url);
        assert_eq!(wp_text(*node, "post_parent"), media.parent.to_string());
        assert_eq!(wp_text(*node, "status"), "inherit");
        let metadata = postmeta(*node, "_wp_attachment_metadata");
        let names_file = metadata[0].contains(&media.path) || media.mime == "video/mp4";
        assert!(metadata[0].starts_with("a:") && names_file, "{}", metadata[0]);
        for path in [&media.path].into_iter().chain(&media.original).chain(&media.sizes) {
            assert!(files.contains(path.as_str()), "{path} is in the uploads");
        }
    }
    for post in &export.posts {
        for path in post.featured.iter().chain(&post.inline_images).chain(&post.videos) {
            assert!(files.contains(path.as_str()), "post {}: {path} is in the uploads", post.id);
        }
    }
    for item in items {
        for path in upload_paths(content_of(*item)) {
            assert!(
                files.contains(path.as_str()),
                "item {}: {path} is in the uploads",
                wp_text(*item, "post_id")
            );
        }
    }
    for (path, bytes) in &export.uploads {
        if !path.ends_with(".mp4") {
            image::load_from_memory(bytes)
                .unwrap_or_else(|e| panic!("{path} does not decode: {e}"));
        }
    }
    let any = |f: &dyn Fn(&Media) -> bool| export.media.iter().any(f);
    assert!(any(&|m| m.original.is_some() && m.path.contains("-scaled.")), "a -scaled photo");
    assert!(any(&|m| m.path.ends_with(".JPG")) && any(&|m| m.path.ends_with(".png")));
    assert!(any(&|m| m.path.contains("WhatsApp-Image") && m.path.ends_with(".jpeg")));
    assert!(
        any(&|m| is_arabic(&m.path)) && any(&|m| m.mime == "video/mp4") && any(&|m| m.parent == 0)
    );
    assert!(any(&|m| !m.alt.is_empty()) && any(&|m| !m.caption.is_empty()));
}

/// What bodies hold, each in at least three posts of 200.
const MARKERS: [&str; 52] = [
    "<strong>",
    "<em>",
    "<h2",
    "<ul>\n \t<li>",
    "<ol",
    "<blockquote>",
    "<table",
    "اقرأ أيضاً",
    "target=\"_blank\"",
    "\n<strong>المكان:</strong>",
    "<!-- wp:paragraph -->",
    "<!-- wp:heading",
    "<!-- wp:list",
    "<!-- wp:quote",
    "<!-- wp:table",
    "[caption id=\"attachment_",
    "[gallery ",
    "<!-- wp:gallery",
    "<!-- wp:image {\"id\":",
    "srcset=\"",
    "-1024x",
    "-300x",
    "[embed]https://www.youtube.com/watch?v=",
    "<!-- wp:embed",
    "&t=",
    "&amp;t=",
    "\\u0026t=",
    "https://youtu.be/",
    "https://x.com/",
    "https://twitter.com/",
    "https://www.instagram.com/p/",
    "[video src=\"https://www.youtube.com/",
    "[video width=\"640\" height=\"360\" src=\"https://youtu.be/",
    ".mp4\"][/video]",
    "<!-- wp:video",
    "[contact-form-7 id=\"5\" title=\"اتصل بنا\"]",
    "[the_ad id=",
    "<!-- wp:shortcode -->",
    "<pre><code>[embed]",
    "{{ x }}",
    "<!-- wp:code -->",
    "a[b[0]]>1",
    "{{ name }}",
    "{%",
    "&nbsp;",
    "<blockquote class=\"twitter-tweet\">",
    "platform.twitter.com/widgets.js",
    "<iframe",
    "<!-- wp:html -->",
    "cdn.example.net",
    "https://example.org/news/",
    "http://akhbar.example/wp-content/uploads/",
];

fn check_bodies(export: &Export, items: &[Node<'_, '_>]) {
    let bodies: Vec<&str> = items.iter().map(|item| content_of(*item)).collect();
    for marker in MARKERS {
        let n = bodies.iter().filter(|body| body.contains(marker)).count();
        assert!(n >= 3, "{marker:?} is in {n} posts");
    }
    for (body, post) in bodies.iter().zip(&export.posts) {
        match post.editor {
            Editor::Classic => {
                assert!(!body.contains("<!-- wp:") && !body.contains("<p>"), "post {}", post.id)
            }
            Editor::Blocks => {
                assert!(body.is_empty() || body.starts_with("<!-- wp:"), "post {}", post.id)
            }
        }
        check_body(export, body, post);
    }
    let alone = |(post, body): &(&Post, &&str)| {
        body.lines()
            .any(|line| post.embeds.iter().any(|e| line == e || line == e.replace('&', "&amp;")))
    };
    let classic =
        export.posts.iter().zip(&bodies).filter(|(post, _)| post.editor == Editor::Classic);
    assert!(classic.filter(alone).count() >= 15, "addresses alone on their line");
    assert!(export.posts.iter().filter(|p| !p.embeds.is_empty()).count() >= 40);
    assert!(export.posts.iter().filter(|p| !p.html_embeds.is_empty()).count() >= 10);
    assert!(export.posts.iter().filter(|p| !p.links.is_empty()).count() >= 10);
    let unknown = items.iter().filter(|item| {
        item.children().any(|c| {
            wp_text(c, "meta_key").starts_with("_oembed_")
                && wp_text(c, "meta_value") == "{{unknown}}"
        })
    });
    assert!(unknown.count() >= 2, "oEmbed caches that found nothing");
}

/// A body shows what its post says: embeds, pasted embeds, images, links.
fn check_body(export: &Export, body: &str, post: &Post) {
    let at = format!("post {}", post.id);
    for embed in &post.embeds {
        let forms = [embed.clone(), embed.replace('&', "&amp;"), embed.replace('&', "\\u0026")];
        assert!(forms.iter().any(|form| body.contains(form.as_str())), "{at}: {embed}");
    }
    for embed in &post.html_embeds {
        assert!(body.contains(embed.as_str()), "{at}: {embed}");
    }
    for path in &post.inline_images {
        let media = export.media.iter().find(|m| &m.path == path).expect("an attachment");
        let named = [format!("wp-image-{}", media.id), format!("\"id\":{}", media.id)];
        let in_gallery = body.match_indices("ids=\"").any(|(i, _)| {
            let ids = &body[i + 5..];
            ids[..ids.find('"').unwrap_or(0)].split(',').any(|id| id == media.id.to_string())
        });
        assert!(in_gallery || named.iter().any(|n| body.contains(n.as_str())), "{at}: {path}");
    }
    for &target in &post.links {
        let linked = export.posts.iter().find(|p| p.id == target).expect("a linked post");
        assert_eq!(linked.status, "publish", "{at} links to a published post");
        let path = &linked.permalink;
        let forms = [
            format!("{}{path}", export.base_url),
            format!("{}{}", export.base_url, upper_hex(path)),
            format!("{}{}", export.base_url, decode(path)),
            format!("{}/?p={target}", export.base_url),
            format!("http://akhbar.example{path}"),
        ];
        assert!(
            forms.iter().any(|form| body.contains(&format!("href=\"{form}\""))),
            "{at} links to {target}"
        );
    }
}

fn check_pages(export: &Export, pages: &[Node<'_, '_>]) {
    for (node, page) in pages.iter().zip(&export.pages) {
        assert_eq!(wp_text(*node, "post_id"), page.id.to_string());
        assert_eq!(plain(*node, "title"), page.title);
        assert_eq!(decode(wp_text(*node, "post_name")), page.slug);
        assert_eq!(wp_text(*node, "post_parent"), page.parent.to_string());
        let link = plain(*node, "link");
        match page.status {
            "publish" => assert_eq!(link, format!("{}{}", export.base_url, page.path)),
            _ => assert_eq!(link, format!("{}/?page_id={}", export.base_url, page.id)),
        }
    }
    let about = export.pages.iter().find(|p| p.slug == "من-نحن").expect("«من نحن»");
    let team = export.pages.iter().find(|p| p.parent == about.id).expect("a child page");
    assert!(team.path.starts_with(&about.path) && team.path.len() > about.path.len());
    assert!(export.pages.iter().any(|p| p.status == "draft" && p.slug == "privacy-policy"));
}

#[test]
fn the_same_seed_gives_the_same_export() {
    let (first, again) = (generate(40, 3), generate(40, 3));
    assert!(first.xml == again.xml, "the same XML");
    assert!(first.uploads == again.uploads, "the same files");
    assert!(first.xml != generate(40, 4).xml, "another seed, another export");
}

#[test]
fn small_exports_are_well_formed_and_written_to_disk() {
    for n in [0, 1, 5, 12] {
        let export = generate(n, 11);
        let doc = roxmltree::Document::parse(&export.xml).expect("well-formed XML");
        let is_post = |node: &Node<'_, '_>| {
            node.has_tag_name((WP_NS, "post_type")) && node.text() == Some("post")
        };
        assert_eq!((doc.descendants().filter(is_post).count(), export.posts.len()), (n, n));
    }
    let export = generate(12, 11);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (xml, uploads) = write(&export, dir.path());
    assert_eq!(std::fs::read_to_string(&xml).expect("export.xml"), export.xml);
    for (path, bytes) in &export.uploads {
        assert_eq!(&std::fs::read(uploads.join(path)).expect("an upload"), bytes, "{path}");
    }
}
