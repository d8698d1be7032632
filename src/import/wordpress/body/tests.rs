//! `convert` on WordPress content as the editors store it, a rule at a time, and its output
//! rendered by midad's own Markdown: every call well formed, nothing left to trip the scan.

use std::sync::LazyLock;

use serde_json::Value;

use super::*;
use crate::arabic::direction::Direction;
use crate::arabic::slug::SlugStyle;
use crate::markdown::{
    Call, Failure, Highlighter, MarkdownOptions, NoImages, NoShortcodes, Rendered, Shortcodes,
    render_with,
};

static HIGHLIGHTER: LazyLock<Highlighter> = LazyLock::new(Highlighter::new);

const OLD: &str = "https://old.example/wp-content/uploads/2024/03";

/// The old site's uploads live under `/uploads/` now; two attachments exist.
struct Media;

impl MediaLinks for Media {
    fn rewrite(&self, url: &str) -> Option<String> {
        url.strip_prefix("https://old.example/wp-content").map(str::to_string)
    }
    fn attachment(&self, id: u64) -> Option<(String, Option<String>)> {
        match id {
            1 => Some((format!("{OLD}/a.jpg"), None)),
            2 => Some((format!("{OLD}/b.jpg"), Some("وزير <em>المالية</em>&nbsp;أمس".into()))),
            _ => None,
        }
    }
}

/// The shortcodes of the default theme, each writing its name and arguments.
struct Theme;

impl Shortcodes for Theme {
    fn has(&self, name: &str) -> bool {
        self.names().iter().any(|known| known == name)
    }
    fn names(&self) -> Vec<String> {
        ["facebook", "figure", "instagram", "map", "soundcloud", "tiktok", "vimeo", "x", "youtube"]
            .map(String::from)
            .to_vec()
    }
    fn render(&self, call: &Call, _: Option<&str>, _: usize) -> Result<String, Failure> {
        let arg = |name: &str| call.args.get(name).and_then(Value::as_str).unwrap_or("-");
        Ok(match call.name.as_str() {
            "figure" => format!(
                "<figure>src={} alt={} caption={}</figure>",
                arg("src"),
                arg("alt"),
                arg("caption")
            ),
            name => format!("<div class=\"embed\">{name} {}</div>", arg("url")),
        })
    }
}

/// midad's rendering of `markdown` with `shortcodes`.
fn render(markdown: &str, shortcodes: &dyn Shortcodes) -> Rendered {
    let opts = MarkdownOptions {
        slug_style: SlugStyle::Arabic,
        smart_punctuation: false,
        external_links_new_tab: false,
        page_dir: Direction::Rtl,
    };
    render_with(markdown, &opts, &HIGHLIGHTER, &NoImages, shortcodes)
}

/// The HTML midad makes of `markdown`, which must have no problems and no placeholder.
#[track_caller]
fn html(markdown: &str) -> String {
    let rendered = render(markdown, &Theme);
    assert_eq!(rendered.problems, [], "{markdown}");
    assert!(!rendered.html.contains(['\u{E000}', '\u{E001}']), "{}", rendered.html);
    rendered.html
}

/// Converts `content`, checks the Markdown is `expect` and tidy and renders cleanly.
#[track_caller]
fn check(content: &str, expect: &str) -> Converted {
    let converted = convert(content, &Media);
    assert_eq!(converted.markdown, expect, "from\n{content}");
    assert_tidy(&converted.markdown);
    html(&converted.markdown);
    converted
}

/// Blocks one blank line apart, no white space at the end of a line (but in code, where it is
/// content), one newline at the end.
#[track_caller]
fn assert_tidy(markdown: &str) {
    if markdown.is_empty() {
        return;
    }
    assert!(markdown.ends_with('\n') && !markdown.ends_with("\n\n"), "{markdown:?}");
    assert!(!markdown.starts_with('\n'), "{markdown:?}");
    let mut fenced = false;
    let mut pre = 0;
    let mut blank = 0;
    for line in markdown.lines() {
        let starts_fence = line.starts_with("```");
        pre += line.matches("<pre").count();
        blank = if line.is_empty() { blank + 1 } else { 0 };
        if !fenced && pre == 0 {
            assert_eq!(line, line.trim_end(), "white space at the end of a line in {markdown:?}");
            assert!(blank < 2, "two blank lines in a row in {markdown:?}");
        }
        fenced ^= starts_fence;
        pre = pre.saturating_sub(line.matches("</pre>").count());
    }
}

#[test]
fn gutenberg_comments_go() {
    check(
        "<!-- wp:paragraph -->\n<p>أعلنت وزارة المالية، اليوم؛ عن موازنة جديدة؟</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:more --><!--more--><!-- /wp:more -->",
        "أعلنت وزارة المالية، اليوم؛ عن موازنة جديدة؟\n",
    );
}

#[test]
fn paragraphs_and_line_breaks_as_wpautop_makes_them() {
    check(
        "قال الوزير إن الموازنة\nستُعرض على البرلمان.\n\n\n\nوأضاف: «لا ضرائب جديدة».",
        "قال الوزير إن الموازنة\\\nستُعرض على البرلمان.\n\nوأضاف: «لا ضرائب جديدة».\n",
    );
    // Two `<br>` in a row are a new paragraph; a newline after a `<br>` is no second break.
    check("سطر<br>\n<br />\nفقرة<br/>\nسطر", "سطر\n\nفقرة\\\nسطر\n");
    // Text between blocks is a paragraph; a newline next to a block tag is no break.
    check(
        "مقدمة\n<h2>العنوان</h2>\nتفاصيل\n<ul>\n<li>أول\nثان</li>\n</ul>",
        "مقدمة\n\n## العنوان\n\nتفاصيل\n\n- أول\\\n  ثان\n",
    );
}

#[test]
fn blocks_become_markdown() {
    check(
        "<h2>الموازنة <em>الجديدة</em></h2>\n<p>نص <strong>عريض</strong> و<b>آخر</b> و<em>مائل</em> و<a href=\"https://ar.wikipedia.org/wiki/مصر\" title=\"مصر\">رابط</a> و<code>cargo build</code> و<del>قديم</del>.</p>\n<ol start=\"3\">\n<li>ثالث</li>\n<li>رابع\n<ul>\n<li>فرعي</li>\n</ul>\n</li>\n</ol>\n<blockquote>\n<p>قال الوزير</p>\n</blockquote>\n<hr />\n<table><thead><tr><th>البند</th><th>2026</th></tr></thead><tbody><tr><td>الأجور</td><td>575</td></tr></tbody></table>",
        "## الموازنة *الجديدة*\n\nنص **عريض** و**آخر** و*مائل* و[رابط](https://ar.wikipedia.org/wiki/مصر \"مصر\") و`cargo build` و~~قديم~~.\n\n3. ثالث\n4. رابع\n   - فرعي\n\n> قال الوزير\n\n- - -\n\n| البند  | 2026 |\n| ------ | ---- |\n| الأجور | 575  |\n",
    );
    // Style and spans are dropped: Markdown says the same text.
    let converted = check(
        "<p style=\"text-align: center;\"><span style=\"color: #ff0000;\">نص <span>ملون</span></span>&nbsp;و&nbsp;مسافات &#8220;مقتبسة&#8221;</p>",
        "نص ملون و مسافات “مقتبسة”\n",
    );
    assert_eq!(converted.raw_blocks, 0);
}

#[test]
fn what_markdown_cannot_say_stays_html() {
    let converted = check(
        "<table class=\"data\"><tr><td>الاسم</td><td>العمر</td></tr><tr><td>علي</td><td>30</td></tr></table>\n\n<div class=\"wp-block-columns\"><div class=\"wp-block-column\"><p>عمود</p></div>\n\n<div class=\"wp-block-column\"><p>آخر</p></div></div>\n\nنص <u>تحته خط</u> و<sup>1</sup>\n\n<h2>عنوان {#معرف}</h2>",
        "<table class=\"data\">\n<tbody><tr>\n<td>الاسم</td>\n<td>العمر</td>\n</tr>\n<tr>\n<td>علي</td>\n<td>30</td>\n</tr>\n</tbody></table>\n\n<div class=\"wp-block-columns\">\n<div class=\"wp-block-column\">\n<p>عمود</p>\n</div>\n<div class=\"wp-block-column\">\n<p>آخر</p>\n</div>\n</div>\n\n<p>نص <u>تحته خط</u> و<sup>1</sup></p>\n\n<h2>عنوان {#معرف}</h2>\n",
    );
    assert_eq!(converted.raw_blocks, 4);
    // Each stays one HTML block: nothing of it becomes a paragraph or code.
    let out = html(&converted.markdown);
    assert!(out.contains("<td>علي</td>") && !out.contains("<p><table"), "{out}");
    assert!(out.contains("<h2>عنوان {#معرف}</h2>"), "{out}");
}

#[test]
fn preformatted_text_is_a_code_block() {
    check(
        "<pre>سطر\n\n    بعد سطر فارغ\n```\n</pre>",
        "````\nسطر\n\n    بعد سطر فارغ\n```\n````\n",
    );
    check(
        "<pre class=\"wp-block-code\"><code>fn main() {}\n</code></pre>",
        "```\nfn main() {}\n```\n",
    );
    // With markup Markdown can't hold, it stays HTML, its blank line written so it stays one
    // block.
    let converted = check("<pre>أ\n\nب <b>عريض</b></pre>", "<pre>أ\n&#10;ب <b>عريض</b></pre>\n");
    assert!(html(&converted.markdown).contains("<pre>أ\n&#10;ب <b>عريض</b></pre>"));
}

#[test]
fn caption_becomes_a_figure() {
    let converted = check(
        &format!(
            "قبل\n\n[caption id=\"attachment_5\" align=\"aligncenter\" width=\"800\"]<a href=\"{OLD}/photo.jpg\"><img class=\"size-large wp-image-5\" src=\"{OLD}/photo-1024x683.jpg\" alt=\"الوزير &quot;الجديد&quot;\" width=\"800\" height=\"533\" srcset=\"{OLD}/photo-300x200.jpg 300w\" /></a> الوزير <em>يتحدث</em>\nفي \"المؤتمر\" \\ أمس[/caption]\nبعد"
        ),
        "قبل\n\n{{ figure(src=\"/uploads/2024/03/photo.jpg\", alt=\"الوزير \\\"الجديد\\\"\", caption=\"الوزير يتحدث في \\\"المؤتمر\\\" \\\\ أمس\") }}\n\nبعد\n",
    );
    // midad reads the arguments back as written.
    let out = html(&converted.markdown);
    assert!(
        out.contains(
            "<figure>src=/uploads/2024/03/photo.jpg alt=الوزير \"الجديد\" caption=الوزير يتحدث في \"المؤتمر\" \\ أمس</figure>"
        ),
        "{out}"
    );
    // Without a link, with the caption in an attribute, with an external photo.
    check(
        "[caption id=\"\" align=\"alignnone\" width=\"300\" caption=\"صورة &amp; تعليق\"]<img src=\"https://cdn.example/p.png\" alt=\"\" />[/caption]",
        "{{ figure(src=\"https://cdn.example/p.png\", alt=\"\", caption=\"صورة & تعليق\") }}\n",
    );
    let converted = check("[caption]نص بلا صورة[/caption]", "نص بلا صورة\n");
    assert_eq!(converted.notes, ["[caption] without a photo: its content kept"]);
}

#[test]
fn gutenberg_image_becomes_a_figure() {
    check(
        &format!(
            "<!-- wp:image {{\"id\":12}} -->\n<figure class=\"wp-block-image size-large\"><a href=\"{OLD}/g.jpg\"><img src=\"{OLD}/g-1024x768.jpg\" alt=\"صورة\" class=\"wp-image-12\"/></a><figcaption class=\"wp-element-caption\">تعليق <strong>الصورة</strong></figcaption></figure>\n<!-- /wp:image -->"
        ),
        "{{ figure(src=\"/uploads/2024/03/g.jpg\", alt=\"صورة\", caption=\"تعليق الصورة\") }}\n",
    );
}

#[test]
fn gallery_is_a_figure_per_photo() {
    let converted = check(
        "[gallery columns=\"2\" ids=\"1, 2,9,x\" size=\"medium\"]",
        "{{ figure(src=\"/uploads/2024/03/a.jpg\", alt=\"\") }}\n\n{{ figure(src=\"/uploads/2024/03/b.jpg\", alt=\"\", caption=\"وزير المالية أمس\") }}\n",
    );
    assert_eq!(
        converted.notes,
        ["gallery: attachment 9 not found", "gallery: attachment x not found"]
    );
    let converted = check("قبل\n\n[gallery link=\"file\"]\n\nبعد", "قبل\n\nبعد\n");
    assert_eq!(converted.notes, ["gallery without ids skipped"]);
}

#[test]
fn addresses_alone_are_embedded() {
    let converted = check(
        "شاهد:\n[embed width=\"500\" height=\"300\"]https://x.com/some_user/status/1234567890?s=20&amp;t=a_b[/embed]\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30s&list=PL_x_y\n  https://youtu.be/a_Bc-dE_fGh?si=x_y  \n<p>https://vimeo.com/76979871</p>\nرابط https://example.com/a_b في النص",
        "شاهد:\n\nhttps://x.com/some_user/status/1234567890?s=20&t=a_b\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30s&list=PL_x_y\n\nhttps://youtu.be/a_Bc-dE_fGh?si=x_y\n\nhttps://vimeo.com/76979871\n\nرابط https://example.com/a\\_b في النص\n",
    );
    let out = html(&converted.markdown);
    assert!(out.contains("x https://x.com/some_user/status/1234567890"), "{out}");
    assert!(out.contains("youtube https://www.youtube.com/watch?v=dQw4w9WgXcQ"), "{out}");
    assert!(out.contains("youtube https://www.youtube.com/watch?v=a_Bc-dE_fGh"), "{out}");
    assert!(out.contains("vimeo https://vimeo.com/76979871"), "{out}");
    // An address Markdown would read as emphasis is an autolink, embedded all the same.
    let converted = check(
        "https://www.youtube.com/watch?v=*ab*cdEFGHI\n\nhttps://youtu.be/_abcdEFG_h_",
        "<https://www.youtube.com/watch?v=*ab*cdEFGHI>\n\n<https://youtu.be/_abcdEFG_h_>\n",
    );
    assert_eq!(html(&converted.markdown).matches("class=\"embed\"").count(), 1);
    // Gutenberg's embed block: the address, then its caption.
    check(
        "<!-- wp:embed {\"url\":\"https://youtu.be/dQw4w9WgXcQ\"} -->\n<figure class=\"wp-block-embed is-type-video is-provider-youtube\"><div class=\"wp-block-embed__wrapper\">\nhttps://youtu.be/dQw4w9WgXcQ\n</div><figcaption>شاهد <em>الخطاب</em></figcaption></figure>\n<!-- /wp:embed -->",
        "https://youtu.be/dQw4w9WgXcQ\n\nشاهد *الخطاب*\n",
    );
}

#[test]
fn pasted_embed_codes_become_their_address() {
    let converted = check(
        "<blockquote class=\"twitter-tweet\" data-width=\"550\"><p lang=\"ar\" dir=\"rtl\">نص التغريدة <a href=\"https://t.co/abc\">pic.twitter.com/abc</a></p>&mdash; وزارة المالية (@mof) <a href=\"https://twitter.com/mof/status/1765432109876543210?ref_src=twsrc%5Etfw\">March 6, 2024</a></blockquote>\n<script async src=\"https://platform.twitter.com/widgets.js\" charset=\"utf-8\"></script>\n\n<blockquote class=\"instagram-media\" data-instgrm-permalink=\"https://www.instagram.com/p/C4abc_12/?utm_source=ig_embed\" data-instgrm-version=\"14\"><div>منشور</div></blockquote>\n<script async src=\"//www.instagram.com/embed.js\"></script>\n\n<blockquote class=\"tiktok-embed\" cite=\"https://www.tiktok.com/@mof_eg/video/7345678901234567890\" data-video-id=\"7345678901234567890\"><section><a href=\"https://www.tiktok.com/@mof_eg\">@mof_eg</a></section></blockquote> <script async src=\"https://www.tiktok.com/embed.js\"></script>\n\n<iframe width=\"560\" height=\"315\" src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30\" frameborder=\"0\" allowfullscreen></iframe>\n\n<div class=\"video-container\"><IFRAME SRC=\"https://player.vimeo.com/video/76979871?h=abc\"></IFRAME></div>\n\n<iframe src=\"https://www.facebook.com/plugins/video.php?href=https%3A%2F%2Fwww.facebook.com%2Fmof%2Fvideos%2F1015%2F&amp;show_text=false\"></iframe>\n\n<blockquote><p>اقتباس عادي</p></blockquote>",
        "https://twitter.com/mof/status/1765432109876543210\n\n> نص التغريدة [pic.twitter.com/abc](https://t.co/abc)\n>\n> — وزارة المالية (@mof) [March 6, 2024](https://twitter.com/mof/status/1765432109876543210?ref_src=twsrc%5Etfw)\n\nhttps://www.instagram.com/p/C4abc_12/\n\nhttps://www.tiktok.com/@mof_eg/video/7345678901234567890\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ&t=30\n\nhttps://vimeo.com/76979871\n\nhttps://www.facebook.com/mof/videos/1015/\n\n> اقتباس عادي\n",
    );
    // The platforms' loaders go without a word.
    assert_eq!(converted.notes, Vec::<String>::new());
    let out = html(&converted.markdown);
    assert!(out.contains("x https://x.com/mof/status/1765432109876543210"), "{out}");
    assert!(out.contains("<blockquote>\n<p>نص التغريدة"), "{out}");
    assert!(out.contains("instagram https://www.instagram.com/p/C4abc_12/"), "{out}");
    assert!(
        out.contains("tiktok https://www.tiktok.com/@mof_eg/video/7345678901234567890"),
        "{out}"
    );
    assert!(out.contains("youtube https://www.youtube.com/watch?v=dQw4w9WgXcQ"), "{out}");
    assert!(out.contains("vimeo https://vimeo.com/76979871"), "{out}");
    assert!(out.contains("facebook https://www.facebook.com/mof/videos/1015/"), "{out}");
}

#[test]
fn no_script_or_frame_survives() {
    let converted = check(
        "<p>قال الوزير:</p>\n<script>alert(1)</script>\n<div class=\"box\"><p>نص <script src=\"https://tracker.example/t.js\"></script>مهم</p></div>\n<iframe src=\"https://maps.example/embed?q=1&amp;z=2\"></iframe>\n<p>الخريطة <iframe src=\"//maps.example/embed\"></iframe> والفيديو <iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\"></iframe></p>\n<iframe src=\"javascript:alert(1)\"></iframe><iframe srcdoc=\"<p>x</p>\"></iframe>",
        "قال الوزير:\n\n<div class=\"box\">\n<p>نص مهم</p>\n</div>\n\n[https://maps.example/embed?q=1&z=2](https://maps.example/embed?q=1&z=2)\n\nالخريطة [https://maps.example/embed](https://maps.example/embed) والفيديو [https://www.youtube.com/watch?v=dQw4w9WgXcQ](https://www.youtube.com/watch?v=dQw4w9WgXcQ)\n",
    );
    assert_eq!(
        converted.notes,
        [
            "2 <script> removed",
            "an <iframe> of https://maps.example/embed?q=1&z=2 became a link",
            "an <iframe> of https://maps.example/embed became a link",
            "an <iframe> of javascript:alert(1) removed",
            "an <iframe> without an address removed",
        ]
    );
    let lower = converted.markdown.to_ascii_lowercase();
    assert!(!lower.contains("<script") && !lower.contains("<iframe"), "{}", converted.markdown);
}

#[test]
fn videos_and_audio() {
    check(
        &format!(
            "[video width=\"640\" height=\"360\" mp4=\"{OLD}/clip.mp4\" poster=\"{OLD}/poster-300x200.jpg\"][/video]\n[video src=\"https://cdn.example/v.webm\"]\n[video]https://youtu.be/dQw4w9WgXcQ[/video]\n[video src=\"https://www.facebook.com/watch/?v=10155\"][/video]\n[audio mp3=\"{OLD}/talk.mp3\"][/audio]"
        ),
        "<video controls preload=\"none\" src=\"/uploads/2024/03/clip.mp4\" poster=\"/uploads/2024/03/poster.jpg\">\n</video>\n\n<video controls preload=\"none\" src=\"https://cdn.example/v.webm\">\n</video>\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nhttps://www.facebook.com/watch/?v=10155\n\n<audio controls preload=\"none\" src=\"/uploads/2024/03/talk.mp3\">\n</audio>\n",
    );
    let out = html(&convert("[video mp4=\"a.mp4\"][/video]", &Media).markdown);
    assert!(out.starts_with("<video controls") && !out.contains("<p>"), "{out}");
    let converted = check("[video width=\"1\"][/video]نص", "نص\n");
    assert_eq!(converted.notes, ["[video] without a source skipped"]);
}

#[test]
fn unknown_shortcodes_stay_text_with_a_note() {
    let converted = check(
        "[contact-form-7 id=\"1\" title=\"اتصل بنا\"]\n\n[contact-form-7 id=\"2\"] و[su_note]ملاحظة[/su_note]\n\nليست شيفرات: [1] و[ملاحظة] و[Note] و[[caption]] و[a.b]",
        "\\[contact-form-7 id=\"1\" title=\"اتصل بنا\"\\]\n\n\\[contact-form-7 id=\"2\"\\] و\\[su\\_note\\]ملاحظة\\[/su\\_note\\]\n\nليست شيفرات: \\[1\\] و\\[ملاحظة\\] و\\[Note\\] و\\[caption\\] و\\[a.b\\]\n",
    );
    assert_eq!(
        converted.notes,
        [
            "unknown shortcode [contact-form-7] kept as text",
            "unknown shortcode [su_note] kept as text"
        ]
    );
}

#[test]
fn code_is_never_a_shortcode() {
    let converted = check(
        "<pre><code>[embed]https://youtu.be/dQw4w9WgXcQ[/embed]\n[gallery ids=\"1\"]\nhttps://youtu.be/dQw4w9WgXcQ\n{{ figure(src=\"x\") }}</code></pre>\n\nاكتب <code>[caption]</code> هكذا",
        "```\n[embed]https://youtu.be/dQw4w9WgXcQ[/embed]\n[gallery ids=\"1\"]\nhttps://youtu.be/dQw4w9WgXcQ\n{{ figure(src=\"x\") }}\n```\n\nاكتب `[caption]` هكذا\n",
    );
    assert_eq!(converted.notes, Vec::<String>::new());
    assert!(!html(&converted.markdown).contains("<figure>"));
}

#[test]
fn braces_stay_text() {
    let content = "قالب {{ title }} و{% if x %} و{{ f(a=1) }} و{% end %} و{{/* x */}}\n\n<div class=\"box\">{{ g() }}<style>.a {{ b: c; }}</style></div>\n\n<pre>{{ h() }}</pre>";
    let converted = convert(content, &Media);
    assert_tidy(&converted.markdown);
    let rendered = render(&converted.markdown, &NoShortcodes);
    assert_eq!(rendered.problems, [], "{}", converted.markdown);
    assert!(!rendered.calls, "{}", converted.markdown);
    for literal in [
        "قالب {{ title }} و{% if x %} و{{ f(a=1) }} و{% end %} و{{/* x */}}",
        "<div class=\"box\">{&#123; g() }}",
        "{/**/{ b: c; }}",
        "{{ h() }}",
    ] {
        assert!(rendered.html.contains(literal), "{literal} in\n{}", rendered.html);
    }
}

#[test]
fn private_use_characters_go() {
    check(
        "\u{E000}0\u{E001} نص \u{E001}\n\n[embed]https://youtu.be/dQw4w9WgXcQ[/embed]",
        "0 نص\n\nhttps://youtu.be/dQw4w9WgXcQ\n",
    );
}

#[test]
fn uploads_point_at_the_new_site() {
    let converted = check(
        &format!(
            "<p><a href=\"{OLD}/big.jpg\"><img class=\"aligncenter size-medium wp-image-7\" src=\"{OLD}/big-300x200.jpg\" alt=\"صورة كبيرة\" width=\"300\" height=\"200\" srcset=\"{OLD}/big-300x200.jpg 300w, {OLD}/big-1024x683.jpg 1024w\" sizes=\"(max-width: 300px) 100vw\" /></a></p>\n<p><a href=\"{OLD}/report-2020x1080.pdf\">التقرير</a> و<img src=\"https://other.example/logo-100x100.png\" alt=\"شعار\"></p>\n<div class=\"gallery\"><img src=\"{OLD}/c-150x150.jpg\" srcset=\"{OLD}/c-300x300.jpg 2x\" alt=\"ج\"></div>"
        ),
        "[![صورة كبيرة](/uploads/2024/03/big.jpg)](/uploads/2024/03/big.jpg)\n\n[التقرير](/uploads/2024/03/report-2020x1080.pdf) و![شعار](https://other.example/logo-100x100.png)\n\n<div class=\"gallery\"><img src=\"/uploads/2024/03/c.jpg\" alt=\"ج\"></div>\n",
    );
    assert_eq!(converted.raw_blocks, 1);
}

#[test]
fn markdown_is_tidy_arabic_unescaped() {
    let converted = check(
        "<p>أهلاً، وسهلاً؛ كيف الحال؟ «جيد» — ١٢٣٫٥ ٪ (ممتاز)!</p>\n\n\n<p>&nbsp;</p>\n<p></p>\n1. ليس قائمة\n\n# ليس عنوانا\n\n* نجمة _خط_ **عريض** A &amp; B &lt;tag&gt;",
        "أهلاً، وسهلاً؛ كيف الحال؟ «جيد» — ١٢٣٫٥ ٪ (ممتاز)!\n\n1\\. ليس قائمة\n\n\\# ليس عنوانا\n\n\\* نجمة \\_خط\\_ \\*\\*عريض\\*\\* A & B \\<tag>\n",
    );
    let out = html(&converted.markdown);
    assert!(out.contains("<p>* نجمة _خط_ **عريض** A &amp; B &lt;tag&gt;</p>"), "{out}");
    assert_eq!(convert("", &Media).markdown, "");
    assert_eq!(convert("<!-- wp:spacer -->\n<div style=\"height:40px\" aria-hidden=\"true\" class=\"wp-block-spacer\"></div>\n<!-- /wp:spacer -->", &Media).markdown, "");
}

#[test]
fn nesting_too_deep_to_walk_is_kept_as_code() {
    let content = "<div>".repeat(2000) + "نص {{ x() }}";
    let converted = convert(&content, &Media);
    assert_eq!(converted.notes, ["HTML nested more than 400 deep kept as code"]);
    assert!(converted.markdown.starts_with("```\n<div>\n<div>"), "{}", &converted.markdown[..40]);
    assert!(html(&converted.markdown).contains("نص {{ x() }}"));
}

mod properties {
    //! Any mix of the pieces WordPress content is made of converts without a panic, to Markdown
    //! midad renders without a problem.

    use proptest::prelude::*;

    use super::*;

    const PIECES: &[&str] = &[
        "نص عربي",
        "Latin",
        "\n",
        "\n\n",
        " ",
        "<p>",
        "</p>",
        "<br>",
        "<h2>",
        "</h2>",
        "<ul><li>",
        "</li></ul>",
        "<blockquote>",
        "</blockquote>",
        "<pre>",
        "</pre>",
        "<code>",
        "</code>",
        "<div class=\"x\">",
        "</div>",
        "<table><tr><td>",
        "</td></tr></table>",
        "<strong>",
        "</strong>",
        "<em>",
        "<a href=\"https://old.example/wp-content/uploads/2024/03/a-10x10.jpg\">",
        "</a>",
        "<img src=\"https://old.example/wp-content/uploads/2024/03/a-10x10.jpg\" alt=\"ص\">",
        "<!-- wp:paragraph -->",
        "<!--",
        "-->",
        "[caption id=\"1\"]<img src=\"x.jpg\" alt=\"a\"> تعليق \"مقتبس\"[/caption]",
        "[caption]",
        "[/caption]",
        "[gallery ids=\"1,2,3\"]",
        "[embed]https://youtu.be/dQw4w9WgXcQ[/embed]",
        "[video mp4=\"v.mp4\"][/video]",
        "[audio src=\"a.mp3\"]",
        "[contact-form-7 id=\"1\"]",
        "[[embed]]",
        "[",
        "]",
        "https://youtu.be/dQw4w9WgXcQ",
        "https://x.com/a_b/status/1?s=2",
        "{{ x(a=1) }}",
        "{%",
        "{{",
        "}}",
        "`",
        "*",
        "_",
        "&nbsp;",
        "&amp;",
        "<",
        ">",
        "\"",
        "\u{E000}",
        "\u{E001}",
        "0",
        "1. ",
        "- ",
        "# ",
        "> ",
        "<figure class=\"wp-block-image\"><img src=\"a.jpg\"><figcaption>ت</figcaption></figure>",
        "<a href=\"/{{ u() }}\" title=\"{% x() %}\">",
        "<script>{{ s() }}\n\n</script>",
        "[caption caption=\"{{ c() }} \\\\\"]<img src=\"i.jpg\">[/caption]",
        "<table><thead><tr><th>",
        "</th></tr></thead><tbody><tr><td>",
        "<ol start=\"2\"><li>",
        "<del>",
        "</del>",
        "<x{{",
        "|",
        "~~",
        "{#id}",
        "\\",
    ];

    fn content() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_content_converts_to_markdown_midad_renders(content in content()) {
            let converted = convert(&content, &Media);
            prop_assert!(!converted.markdown.contains([shortcode::START, shortcode::END]), "{}", converted.markdown);
            assert_tidy(&converted.markdown);
            let rendered = render(&converted.markdown, &Theme);
            prop_assert_eq!(&rendered.problems, &[], "{:?}\n{}", content, converted.markdown);
        }
    }
}
