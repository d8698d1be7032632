//! Embeds and shortcodes: addresses alone on their line become private facades, shortcodes run
//! from the site's templates over the theme's, and bad calls are errors at their place.

use crate::harness::{SiteTest, main_of};

/// The article page of `content/economy/<slug>.md` written with `slug = "<slug>"`.
fn article_page(site: &SiteTest, slug: &str) -> String {
    main_of(&site.page(&format!("economy/{slug}/index.html"))).to_string()
}

/// Writes an article with `body` as `content/economy/<slug>.md`.
fn write_article(site: &SiteTest, slug: &str, body: &str) {
    let front = format!(
        "+++\ntitle = \"خبر {slug}\"\nslug = \"{slug}\"\ndate = 2026-11-20T10:00:00+02:00\nauthor = \"أحمد سمير\"\n+++\n"
    );
    site.write(&format!("content/economy/{slug}.md"), &format!("{front}{body}"));
}

/// The facades of a page: `(data-embed, the link's href)` of each, in order.
fn facades(html: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[start..].find('"')?;
        Some(tag[start..start + end].replace("&amp;", "&"))
    };
    html.split("<figure class=\"embed ")
        .skip(1)
        .map(|figure| {
            let open = &figure[..figure.find('>').unwrap_or(0)];
            let link = figure.split("<a class=\"embed__link\"").nth(1).unwrap_or("");
            (attr(open, "data-embed").unwrap_or_default(), attr(link, "href").unwrap_or_default())
        })
        .collect()
}

#[test]
fn each_platform_address_becomes_its_facade() {
    let site = SiteTest::fixture("basic");
    let body = "\
مقدمة الخبر.

https://youtu.be/dQw4w9WgXcQ?t=90

https://www.youtube.com/shorts/aBcDeFgHiJk

https://vimeo.com/76979871

https://twitter.com/AJArabic/status/1790000000000000000?s=20

https://www.instagram.com/reel/C5xYzAb12/

https://www.facebook.com/aljazeera/videos/123456/

https://www.facebook.com/aljazeera/posts/pfbid02abc

https://www.tiktok.com/@aljazeera.arabic/video/7300000000000000000

https://soundcloud.com/podcast-ar/episode-12

https://www.google.com/maps/@30.0444,31.2357,15z

https://example.com/video

نص فيه https://youtu.be/dQw4w9WgXcQ داخل الجملة.

```
https://youtu.be/dQw4w9WgXcQ
```
";
    write_article(&site, "embeds", body);
    site.build().success();
    let page = article_page(&site, "embeds");
    let found = facades(&page);
    let expected = [
        (
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=90",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        (
            "https://www.youtube-nocookie.com/embed/aBcDeFgHiJk?autoplay=1",
            "https://www.youtube.com/shorts/aBcDeFgHiJk",
        ),
        ("https://player.vimeo.com/video/76979871?autoplay=1&dnt=1", "https://vimeo.com/76979871"),
        (
            "https://platform.twitter.com/embed/Tweet.html?dnt=true&id=1790000000000000000",
            "https://x.com/AJArabic/status/1790000000000000000",
        ),
        (
            "https://www.instagram.com/p/C5xYzAb12/embed/",
            "https://www.instagram.com/reel/C5xYzAb12/",
        ),
        (
            "https://www.facebook.com/plugins/video.php?show_text=false&href=https%3A%2F%2Fwww%2Efacebook%2Ecom%2Faljazeera%2Fvideos%2F123456%2F",
            "https://www.facebook.com/aljazeera/videos/123456/",
        ),
        (
            "https://www.facebook.com/plugins/post.php?href=https%3A%2F%2Fwww%2Efacebook%2Ecom%2Faljazeera%2Fposts%2Fpfbid02abc",
            "https://www.facebook.com/aljazeera/posts/pfbid02abc",
        ),
        (
            "https://www.tiktok.com/embed/v2/7300000000000000000",
            "https://www.tiktok.com/@aljazeera.arabic/video/7300000000000000000",
        ),
        (
            "https://w.soundcloud.com/player/?auto_play=true&url=https%3A%2F%2Fsoundcloud%2Ecom%2Fpodcast%2Dar%2Fepisode%2D12",
            "https://soundcloud.com/podcast-ar/episode-12",
        ),
        (
            "https://maps.google.com/maps?z=15&hl=ar&output=embed&q=30.0444,31.2357",
            "https://www.google.com/maps/@30.0444,31.2357,15z",
        ),
    ];
    let expected: Vec<(String, String)> =
        expected.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
    assert_eq!(found, expected, "{page}");
    // Proportions are fixed per kind, and every facade is labelled in the page's language.
    assert!(page.contains("<figure class=\"embed embed--tall\" data-embed=\"https://www.youtube-nocookie.com/embed/aBcDeFgHiJk"));
    assert_eq!(page.matches("aria-label=\"محتوى مضمّن من ").count(), expected.len(), "{page}");
    // The button is the script's: without JavaScript, and in feeds, the link is the way.
    assert_eq!(page.matches(" data-embed-show=\"اعرض المحتوى من\"").count(), expected.len());
    assert!(!page.contains("<button"), "{page}");
    // Other addresses, addresses inside a sentence and code stay as they were.
    assert!(page.contains("<p dir=\"ltr\">https://example.com/video</p>"), "{page}");
    assert!(page.contains("<p>نص فيه https://youtu.be/dQw4w9WgXcQ داخل الجملة.</p>"), "{page}");
    assert!(page.contains("<code>https://youtu.be/dQw4w9WgXcQ\n</code>"), "{page}");
    // The page loads the facade script; a page without embeds does not.
    let full = site.page("economy/embeds/index.html");
    assert!(full.contains("<script src=\"/js/embeds.js\" defer></script>"));
    assert!(site.public("js/embeds.js").is_file());
    let other = site.page("economy/البنك-المركزي-يثبت-أسعار-الفائدة/index.html");
    assert!(!other.contains("embeds.js"));
}

#[test]
fn shortcodes_run_inline_and_with_a_body_and_the_sites_templates_come_first() {
    let site = SiteTest::fixture("basic");
    // The site's own `note` replaces the theme's, and `stat` is the site's alone.
    site.write(
        "templates/shortcodes/note.html",
        "<aside class=\"site-note\">{{ body | safe }}</aside>",
    );
    site.write(
        "templates/shortcodes/stat.html",
        "<strong class=\"stat\">{{ value | digits }}{% if unit is defined %} {{ unit }}{% endif %}</strong>",
    );
    let body = "\
بلغ النمو {{ stat(value=\"4.2\", unit=\"٪\") }} هذا العام.

{% quote(speaker=\"وزير المالية\", role=\"في مؤتمر صحفي\") %}
لن نرفع **الضرائب** هذا العام.
{% end %}

{% note() %}
حُدّث الخبر بأرقام [الجهاز المركزي](/economy/).
{% end %}

{% quote(speaker=\"IMF spokesperson\") %}
The outlook has improved.
{% end %}

`{{ stat(value=1) }}` يبقى نصًا، و{{/* stat(value=1) */}} كذلك.
";
    write_article(&site, "shortcodes", body);
    site.build().success();
    let page = article_page(&site, "shortcodes");
    assert!(
        page.contains("<p>بلغ النمو <strong class=\"stat\">4.2 ٪</strong> هذا العام.</p>"),
        "{page}"
    );
    assert!(
        page.contains("<blockquote class=\"pull-quote__text\"><p>لن نرفع <strong>الضرائب</strong> هذا العام.</p>"),
        "{page}"
    );
    assert!(page.contains("<figcaption class=\"pull-quote__speaker\">وزير المالية<span class=\"pull-quote__role\">، في مؤتمر صحفي</span></figcaption>"), "{page}");
    assert!(page.contains("<aside class=\"site-note\"><p>حُدّث الخبر بأرقام <a href=\"/economy/\">الجهاز المركزي</a>.</p>"), "{page}");
    assert!(!page.contains("note__title"), "the theme's note was used: {page}");
    // A quote in English gets its direction, as a paragraph in English would.
    assert!(page.contains("<figure dir=\"ltr\" class=\"pull-quote\">"), "{page}");
    assert!(
        page.contains(
            "<code dir=\"ltr\">{{ stat(value=1) }}</code> يبقى نصًا، و{{ stat(value=1) }} كذلك."
        ),
        "{page}"
    );
}

#[test]
fn a_figure_goes_through_the_photo_pipeline() {
    let site = SiteTest::fixture("basic");
    let bundle = site.root().join("content/economy/port");
    crate::photos::camera_jpeg(&bundle.join("crane.jpg"), 1600, 1200, None, true);
    site.write(
        "content/economy/port/index.md",
        "+++\ntitle = \"الميناء\"\nslug = \"port\"\ndate = 2026-11-20T10:00:00+02:00\nauthor = \"أحمد سمير\"\n+++\n\
         نص.\n\n{{ figure(src=\"crane.jpg\", alt=\"رافعة في الميناء\", caption=\"رافعات الحاويات\", credit=\"مداد\") }}\n",
    );
    site.build().success();
    let page = article_page(&site, "port");
    let figure = page.split("<figure class=\"figure\">").nth(1).unwrap_or_else(|| panic!("{page}"));
    assert!(figure.starts_with("<picture><source type=\"image/webp\" srcset=\""), "{figure}");
    assert!(figure.contains(" width=\"1200\" height=\"900\" alt=\"رافعة في الميناء\""), "{figure}");
    assert!(
        figure.contains(
            "<figcaption><span class=\"caption\">رافعات الحاويات</span> <span class=\"credit\">"
        ),
        "{figure}"
    );
    let variants =
        site.files().into_iter().filter(|f| f.starts_with("economy/port/crane-")).count();
    assert!(variants >= 4, "the photo's ladder is written: {:?}", site.files());
}

#[test]
fn bad_calls_are_errors_at_their_place_and_the_output_stays() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let before = site.output_bytes();
    let cases: [(&str, &str, &str); 5] = [
        (
            "نص.\n\nقبل {{ chart(id=1) }}\n",
            ":9:5: unknown shortcode `chart`",
            "the shortcodes are: facebook, figure, instagram, map, note",
        ),
        (
            "نص.\n\n{{ youtube(start=3) }}\n",
            ":9:1: shortcode `youtube` needs the argument `id`",
            "youtube(id=…)",
        ),
        (
            "\n{{ map(query=\"x\" zoom=3) }}\n",
            ":8:1: in the call of `map`: expected `,` or `)`",
            "{{/* name() */}}",
        ),
        ("{% quote() %}\nبلا نهاية\n", ":7:1: `{% quote(…) %}` has no `{% end %}`", "{% end %}"),
        (
            "{% note(kind=\"joke\") %}\nنص\n{% end %}\n",
            ":7:1: shortcode `note` failed",
            "kind` of `note` must be",
        ),
    ];
    for (body, error, hint) in cases {
        write_article(&site, "bad", body);
        let run = site.build();
        run.fails_with(1).stderr_has("content/economy/bad.md").stderr_has(error).stderr_has(hint);
        assert_eq!(site.output_bytes(), before, "the last output is kept after {error}");
    }
    // A shortcode template that fails names the template and its line.
    site.write("templates/shortcodes/stat.html", "<b>\n{{ value | no_such_filter }}</b>");
    write_article(&site, "bad", "{{ stat(value=1) }}\n");
    site.build()
        .fails_with(1)
        .stderr_has("content/economy/bad.md:7:1: shortcode `stat` failed")
        .stderr_has("no_such_filter");
}

#[test]
fn editing_a_shortcode_template_renders_the_bodies_again_as_a_clean_build_would() {
    let site = SiteTest::fixture("basic");
    site.write("templates/shortcodes/stat.html", "<b class=\"one\">{{ value }}</b>");
    write_article(&site, "stat", "النمو {{ stat(value=4) }}.\n");
    site.build().success();
    assert!(article_page(&site, "stat").contains("<b class=\"one\">4</b>"));
    site.write("templates/shortcodes/stat.html", "<b class=\"two\">{{ value }}</b>");
    site.build().success();
    let incremental = site.output_bytes();
    assert!(article_page(&site, "stat").contains("<b class=\"two\">4</b>"));
    site.remove_output();
    site.build().success();
    assert_eq!(site.output_bytes(), incremental, "an incremental build equals a clean one");
}

/// In headless Chromium: a page with facades requests nothing from another host; pressing the
/// button loads that platform's player, and only that one.
#[test]
fn nothing_loads_from_a_platform_until_the_reader_asks() {
    let Some(driver) = crate::webdriver::Driver::start_if_enabled() else { return };
    let site = SiteTest::fixture("basic");
    let body = "نص.\n\nhttps://youtu.be/dQw4w9WgXcQ\n\nhttps://x.com/AJArabic/status/1790000000000000000\n";
    write_article(&site, "video", body);
    let preview = crate::serve::Preview::start_on(site, &["serve", "--port", "0"]);
    let session = driver.session();
    session.go(&format!("{}economy/video/", preview.url));
    session.wait_until(
        "the facade script added the buttons",
        "return document.querySelectorAll('.embed__load').length === 2",
    );
    let hosts = || {
        let hosts = session.run(
            "return [...new Set(performance.getEntriesByType('resource').map(e => new URL(e.name).host))]",
        );
        serde_json::from_value::<Vec<String>>(hosts).expect("hosts")
    };
    assert!(hosts().iter().all(|host| *host == preview.addr), "requests to {:?}", hosts());
    assert_eq!(session.run("return document.querySelectorAll('iframe').length"), 0);
    // The button takes the keyboard's focus and names the platform in the page's language.
    let focused = session.run(
        "const b = document.querySelector('.embed__load'); b.focus(); \
         return document.activeElement === b && b.textContent",
    );
    assert_eq!(focused, "اعرض المحتوى من YouTube");
    session.run("document.activeElement.click(); return true");
    session
        .wait_until("the player is in", "return document.querySelectorAll('iframe').length === 1");
    let src = session.run("return document.querySelector('iframe').src");
    let src = src.as_str().unwrap_or_default();
    assert!(
        src.starts_with("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"),
        "{src}"
    );
    // The post on X is still only its facade.
    let left =
        session.run("return document.querySelectorAll('figure[data-embed] .embed__facade').length");
    assert_eq!(left, 1);
    assert!(!hosts().iter().any(|host| host.contains("twitter") || host.contains("x.com")));
}
