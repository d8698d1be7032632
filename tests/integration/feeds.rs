//! Feeds, sitemaps and robots.txt of a build, parsed with a real XML parser (roxmltree): their
//! structure, counts, order, dates and offsets, escaping and URLs, on the `basic` fixture and on
//! `news` (titles XML must escape, an Arabic section folder, a base URL with a path, the
//! Riyadh time zone, articles 1, 47 and 49 hours before the fixed build time).

use std::collections::BTreeSet;
use std::path::PathBuf;

use roxmltree::{Document, Node};

use crate::harness::SiteTest;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";
const DC: &str = "http://purl.org/dc/elements/1.1/";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";

/// Titles of the `news` fixture, as its front matter writes them (escapes resolved).
const QUOTES: &str = "قال \"الوزير\": «لن نتراجع» & <script>alert('x')</script>";
const CDATA: &str = "نهاية ]]> القسم؟ ، ؛ \u{200F}اختبار\u{200F} ‹x› 'y'";
const OLD: &str = "خبر 'قديم' … «القدس» — قبل 49 ساعة";
const ENGLISH: &str = "Apple & \"Google\" <agree>";
const EARLIER: &str = "خبر سابق";
const NEWS_SITE_TITLE: &str = "الموجز \"اليومي\" & <أخبار>";

fn built(fixture: &str) -> SiteTest {
    let site = SiteTest::fixture(fixture);
    site.build().success();
    site
}

fn parse(text: &str) -> Document<'_> {
    Document::parse(text).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"))
}

/// The direct children of `node` named `name` in namespace `ns` (`""` for none).
fn children<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Vec<Node<'a, 'i>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name)
        .filter(|c| c.tag_name().namespace().unwrap_or("") == ns)
        .collect()
}

#[track_caller]
fn child<'a, 'i>(node: Node<'a, 'i>, ns: &str, name: &str) -> Node<'a, 'i> {
    let found = children(node, ns, name);
    assert_eq!(found.len(), 1, "expected one <{name}> in <{}>", node.tag_name().name());
    found[0]
}

#[track_caller]
fn text_of<'a>(node: Node<'a, '_>, ns: &str, name: &str) -> &'a str {
    child(node, ns, name).text().unwrap_or_default()
}

/// Every feed file of the output.
fn feed_files(site: &SiteTest) -> Vec<String> {
    site.files().into_iter().filter(|f| f.ends_with("rss.xml") || f.ends_with("atom.xml")).collect()
}

/// The output file an absolute URL of the site names, after checking it is ASCII and
/// percent-encoded.
#[track_caller]
fn file_of(site: &SiteTest, base_url: &str, url: &str) -> PathBuf {
    assert!(url.is_ascii(), "not percent-encoded: {url}");
    assert!(!url.contains(' '), "raw space in {url}");
    let rest =
        url.strip_prefix(base_url).unwrap_or_else(|| panic!("{url} is not under {base_url}"));
    let path = rest.split(['#', '?']).next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .unwrap_or_else(|e| panic!("{url} does not decode to UTF-8: {e}"));
    let file = if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded.into_owned()
    };
    site.public(&file)
}

#[track_caller]
fn assert_served(site: &SiteTest, base_url: &str, url: &str) {
    let file = file_of(site, base_url, url);
    assert!(file.is_file(), "{url} names {}, which is not in the output", file.display());
}

#[track_caller]
fn rfc822(text: &str) -> jiff::Timestamp {
    jiff::fmt::rfc2822::parse(text)
        .unwrap_or_else(|e| panic!("not RFC 822: {text:?}: {e}"))
        .timestamp()
}

#[track_caller]
fn rfc3339(text: &str) -> jiff::Timestamp {
    assert!(text.ends_with("+03:00") || text.ends_with("+02:00"), "no site offset: {text}");
    text.parse().unwrap_or_else(|e| panic!("not RFC 3339: {text:?}: {e}"))
}

#[test]
fn a_feed_pair_per_listing() {
    let site = built("basic");
    let files = feed_files(&site);
    let mut expected: Vec<String> = [
        "",
        "politics/",
        "economy/",
        "tags/الموازنة/",
        "tags/الحكومة/",
        "tags/الانتخابات/",
        "tags/البنك-المركزي/",
        "authors/sara/",
        "authors/omar/",
        "authors/أحمد-سمير/",
    ]
    .iter()
    .flat_map(|dir| [format!("{dir}atom.xml"), format!("{dir}rss.xml")])
    .collect();
    expected.sort();
    assert_eq!(files, expected);
}

#[test]
fn rss_channel_and_items() {
    let site = built("basic");
    let text = site.page("rss.xml");
    let doc = parse(&text);
    let rss = doc.root_element();
    assert_eq!(rss.tag_name().name(), "rss");
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channel = child(rss, "", "channel");
    assert_eq!(text_of(channel, "", "title"), "أخبار الاختبار");
    assert_eq!(text_of(channel, "", "link"), "https://news.example/");
    assert_eq!(text_of(channel, "", "description"), "موقع صغير لاختبار مداد");
    assert_eq!(text_of(channel, "", "language"), "ar");
    // The newest entry's date: the budget, 2026-11-28T09:30:00+02:00.
    assert_eq!(text_of(channel, "", "lastBuildDate"), "Sat, 28 Nov 2026 09:30:00 +0200");
    let link = child(channel, ATOM, "link");
    assert_eq!(link.attribute("rel"), Some("self"));
    assert_eq!(link.attribute("href"), Some("https://news.example/rss.xml"));
    assert_eq!(link.attribute("type"), Some("application/rss+xml"));

    let items = children(channel, "", "item");
    let titles: Vec<&str> = items.iter().map(|i| text_of(*i, "", "title")).collect();
    assert_eq!(
        titles,
        [
            "الحكومةُ تُعلن: موازنة 2027!",
            "البرلمان يناقش الموازنة",
            "البنك المركزي يثبت أسعار الفائدة",
            "خبر قديم عن الانتخابات",
        ],
        "every published article, newest first, no draft or embargo"
    );
    let budget = items[0];
    let url = "https://news.example/politics/%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9-%D8%AA%D8%B9%D9%84%D9%86-%D9%85%D9%88%D8%A7%D8%B2%D9%86%D8%A9-2027/";
    assert_eq!(text_of(budget, "", "link"), url);
    let guid = child(budget, "", "guid");
    assert_eq!(guid.attribute("isPermaLink"), Some("true"));
    assert_eq!(guid.text(), Some(url));
    assert_eq!(text_of(budget, "", "pubDate"), "Sat, 28 Nov 2026 09:30:00 +0200");
    assert_eq!(text_of(budget, "", "description"), "أعلنت الحكومة موازنة العام المقبل.");
    let creators: Vec<&str> =
        children(budget, DC, "creator").iter().filter_map(|c| c.text()).collect();
    assert_eq!(creators, ["سارة كمال"]);
    let categories: Vec<&str> =
        children(budget, "", "category").iter().filter_map(|c| c.text()).collect();
    assert_eq!(categories, ["الموازنة", "الحكومة"]);
    let body = text_of(budget, CONTENT, "encoded");
    assert!(body.contains("<h2"), "the full body: {body}");
    assert!(
        body.contains(r#"src="https://news.example/images/ministry.svg""#),
        "root-relative images made absolute: {body}"
    );
    assert!(text.contains("<content:encoded><![CDATA[<p>"), "the body is CDATA");

    // The old article was written without an offset: read in Cairo's summer time (+0300).
    assert_eq!(text_of(items[3], "", "pubDate"), "Thu, 01 Oct 2026 12:00:00 +0300");
    let creators: Vec<&str> =
        children(items[3], DC, "creator").iter().filter_map(|c| c.text()).collect();
    assert_eq!(creators, ["سارة كمال", "عمر ناصر"]);
}

#[test]
fn atom_feed_and_entries() {
    let site = built("basic");
    let text = site.page("politics/atom.xml");
    let doc = parse(&text);
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some("ar"));
    assert_eq!(text_of(feed, ATOM, "id"), "https://news.example/politics/");
    assert_eq!(text_of(feed, ATOM, "title"), "سياسة | أخبار الاختبار");
    assert_eq!(text_of(feed, ATOM, "subtitle"), "أخبار السياسة");
    assert_eq!(text_of(feed, ATOM, "updated"), "2026-11-28T09:30:00+02:00");
    let links: Vec<(Option<&str>, Option<&str>)> = children(feed, ATOM, "link")
        .iter()
        .map(|l| (l.attribute("rel"), l.attribute("href")))
        .collect();
    assert_eq!(
        links,
        [
            (Some("self"), Some("https://news.example/politics/atom.xml")),
            (Some("alternate"), Some("https://news.example/politics/")),
        ]
    );
    assert_eq!(text_of(child(feed, ATOM, "author"), ATOM, "name"), "أخبار الاختبار");

    let entries = children(feed, ATOM, "entry");
    let titles: Vec<&str> = entries.iter().map(|e| text_of(*e, ATOM, "title")).collect();
    assert_eq!(
        titles,
        ["الحكومةُ تُعلن: موازنة 2027!", "البرلمان يناقش الموازنة", "خبر قديم عن الانتخابات"]
    );
    let bundle = entries[1];
    let url = "https://news.example/politics/%D8%A7%D9%84%D8%A8%D8%B1%D9%84%D9%85%D8%A7%D9%86-%D9%8A%D9%86%D8%A7%D9%82%D8%B4-%D8%A7%D9%84%D9%85%D9%88%D8%A7%D8%B2%D9%86%D8%A9/";
    assert_eq!(text_of(bundle, ATOM, "id"), url);
    assert_eq!(child(bundle, ATOM, "link").attribute("href"), Some(url));
    assert_eq!(text_of(bundle, ATOM, "published"), "2026-11-27T10:00:00+02:00");
    assert_eq!(text_of(bundle, ATOM, "updated"), "2026-11-27T10:00:00+02:00");
    let author = child(bundle, ATOM, "author");
    assert_eq!(text_of(author, ATOM, "name"), "عمر ناصر");
    assert_eq!(text_of(author, ATOM, "uri"), "https://news.example/authors/omar/");
    let terms: Vec<&str> =
        children(bundle, ATOM, "category").iter().filter_map(|c| c.attribute("term")).collect();
    assert_eq!(terms, ["الموازنة"]);
    assert_eq!(text_of(bundle, ATOM, "summary"), "ناقش البرلمان مشروع الموازنة في جلسة طويلة.");
    let content = child(bundle, ATOM, "content");
    assert_eq!(content.attribute("type"), Some("html"));
    assert_eq!(content.text(), Some("<p>ناقش البرلمان مشروع الموازنة في جلسة طويلة.</p>\n"));
}

#[test]
fn titles_round_trip_through_escaping() {
    let site = built("news");
    for file in feed_files(&site) {
        let text = site.page(&file);
        let doc = parse(&text);
        let root = doc.root_element();
        let (feed_title, titles): (&str, Vec<&str>) = if root.tag_name().name() == "rss" {
            let channel = child(root, "", "channel");
            let items = children(channel, "", "item");
            (
                text_of(channel, "", "title"),
                items.iter().map(|i| text_of(*i, "", "title")).collect(),
            )
        } else {
            let entries = children(root, ATOM, "entry");
            (
                text_of(root, ATOM, "title"),
                entries.iter().map(|e| text_of(*e, ATOM, "title")).collect(),
            )
        };
        assert!(feed_title.ends_with(NEWS_SITE_TITLE), "{file}: {feed_title}");
        for title in titles {
            assert!([QUOTES, CDATA, OLD, ENGLISH, EARLIER].contains(&title), "{file}: {title:?}");
        }
    }

    let doc_text = site.page("rss.xml");
    let doc = parse(&doc_text);
    let channel = child(doc.root_element(), "", "channel");
    assert_eq!(text_of(channel, "", "title"), NEWS_SITE_TITLE);
    assert_eq!(text_of(channel, "", "description"), "نشرة 'قصيرة' & سريعة");
    let items = children(channel, "", "item");
    let quotes = items[0];
    assert_eq!(text_of(quotes, "", "title"), QUOTES);
    assert_eq!(text_of(quotes, "", "description"), "ملخص فيه ]]> و<b>وسم</b> & \"اقتباس\"");
    let creators: Vec<&str> =
        children(quotes, DC, "creator").iter().filter_map(|c| c.text()).collect();
    assert_eq!(creators, ["سارة \"س\" & كمال"]);
    let categories: Vec<&str> =
        children(quotes, "", "category").iter().filter_map(|c| c.text()).collect();
    assert_eq!(categories, ["اقتصاد", "R&D <مختبر>"]);
    // `]]>` in the body is split across CDATA sections and comes back whole.
    let body = text_of(quotes, CONTENT, "encoded");
    assert!(body.contains("نص فيه ]]&gt; داخل الفقرة"), "{body}");
    assert!(body.contains("<code dir=\"ltr\">a ]]&gt; b</code>"), "{body}");
    assert!(body.contains(r#"<span title="]]>">خام</span>"#), "raw HTML keeps its ]]>: {body}");
    assert_eq!(text_of(items[1], "", "title"), CDATA);
    assert!(!doc_text.contains("<script>"), "no raw script tag outside CDATA");

    let atom_text = site.page("atom.xml");
    let atom = parse(&atom_text);
    let entry = children(atom.root_element(), ATOM, "entry")[0];
    let content = text_of(entry, ATOM, "content");
    assert!(content.contains("<code dir=\"ltr\">a ]]&gt; b</code>"), "{content}");
    assert!(content.starts_with("<p>"), "escaped HTML decodes back to HTML: {content}");
}

#[test]
fn limit_and_newest_first() {
    let site = built("news");
    let cases: [(&str, &[&str]); 5] = [
        ("", &[QUOTES, CDATA, OLD]),
        ("محليات/", &[QUOTES, CDATA]),
        ("world/", &[OLD, ENGLISH, EARLIER]),
        ("sport/", &[]),
        ("authors/omar/", &[CDATA, OLD]),
    ];
    for (dir, expected) in cases {
        let rss_text = site.page(&format!("{dir}rss.xml"));
        let rss = parse(&rss_text);
        let channel = child(rss.root_element(), "", "channel");
        let items = children(channel, "", "item");
        let titles: Vec<&str> = items.iter().map(|i| text_of(*i, "", "title")).collect();
        assert_eq!(titles, expected, "{dir}rss.xml");
        let dates: Vec<jiff::Timestamp> =
            items.iter().map(|i| rfc822(text_of(*i, "", "pubDate"))).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dir}rss.xml newest first");

        let atom_text = site.page(&format!("{dir}atom.xml"));
        let atom = parse(&atom_text);
        let entries = children(atom.root_element(), ATOM, "entry");
        let titles: Vec<&str> = entries.iter().map(|e| text_of(*e, ATOM, "title")).collect();
        assert_eq!(titles, expected, "{dir}atom.xml");
    }
}

#[test]
fn dates_are_in_the_site_time_zone() {
    let site = built("news");
    let rss_text = site.page("world/rss.xml");
    let rss = parse(&rss_text);
    let channel = child(rss.root_element(), "", "channel");
    let dates: Vec<&str> =
        children(channel, "", "item").iter().map(|i| text_of(*i, "", "pubDate")).collect();
    // Written as 13:00+02:00 (Cairo), shown in Riyadh time; English names whatever the locale.
    assert_eq!(
        dates,
        [
            "Fri, 27 Nov 2026 14:00:00 +0300",
            "Thu, 01 Oct 2026 10:00:00 +0300",
            "Tue, 01 Sep 2026 08:00:00 +0300",
        ]
    );
    // The feed changed last when the English article was updated.
    assert_eq!(text_of(channel, "", "lastBuildDate"), "Sat, 28 Nov 2026 10:00:00 +0300");

    let atom_text = site.page("world/atom.xml");
    let atom = parse(&atom_text);
    let feed = atom.root_element();
    assert_eq!(text_of(feed, ATOM, "updated"), "2026-11-28T10:00:00+03:00");
    let entries = children(feed, ATOM, "entry");
    assert_eq!(text_of(entries[0], ATOM, "published"), "2026-11-27T14:00:00+03:00");
    let english = entries[1];
    assert_eq!(text_of(english, ATOM, "published"), "2026-10-01T10:00:00+03:00");
    assert_eq!(text_of(english, ATOM, "updated"), "2026-11-28T10:00:00+03:00");
    assert_eq!(
        english.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
        Some("en"),
        "an entry in another language says so"
    );
    for entry in entries {
        let published = rfc3339(text_of(entry, ATOM, "published"));
        let updated = rfc3339(text_of(entry, ATOM, "updated"));
        assert!(updated >= published);
    }
}

#[test]
fn every_url_is_absolute_encoded_and_served() {
    for (fixture, base) in
        [("basic", "https://news.example/"), ("news", "https://news.example/ar/")]
    {
        let site = built(fixture);
        let mut files = feed_files(&site);
        files.extend(["sitemap.xml".to_string(), "news_sitemap.xml".to_string()]);
        let mut n_urls = 0;
        for file in &files {
            let text = site.page(file);
            let doc = parse(&text);
            for node in doc.descendants().filter(|n| n.is_element()) {
                let name = node.tag_name().name();
                let urls = match name {
                    "link" | "guid" | "id" | "loc" | "uri" => {
                        node.attribute("href").into_iter().chain(node.text()).collect()
                    }
                    _ => Vec::new(),
                };
                for url in urls {
                    assert_served(&site, base, url);
                    n_urls += 1;
                }
            }
        }
        assert!(n_urls > 40, "{fixture}: only {n_urls} URLs checked");
    }

    // Links and images inside full-text bodies resolve too: a bundle's own image, a tag page.
    let site = built("news");
    let text = site.page("atom.xml");
    let doc = parse(&text);
    let entry = children(doc.root_element(), ATOM, "entry")[0];
    let content = child(entry, ATOM, "content");
    let base = content.attribute(("http://www.w3.org/XML/1998/namespace", "base")).unwrap();
    assert_served(&site, "https://news.example/ar/", base);
    let html = content.text().unwrap();
    let article = text_of(entry, ATOM, "id");
    assert!(article.starts_with("https://news.example/ar/%D9%85%D8%AD%D9%84%D9%8A%D8%A7%D8%AA/"));
    assert_eq!(base, article);
    assert!(html.contains(&format!(r#"src="{article}chart.svg""#)), "{html}");
    assert!(html.contains(&format!(r##"href="{article}#note""##)), "{html}");
    let tag = "https://news.example/ar/tags/%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF/";
    assert!(html.contains(&format!(r#"href="{tag}""#)), "{html}");
    let mut n_links = 0;
    for part in html.split(" href=\"").skip(1).chain(html.split(" src=\"").skip(1)) {
        if let Some((url, _)) = part.split_once('"')
            && url.contains("://")
        {
            assert_served(&site, "https://news.example/ar/", url);
            n_links += 1;
        }
    }
    assert!(n_links >= 3, "{html}");
}

#[test]
fn sitemap_lists_every_page_but_404_and_search() {
    let site = built("basic");
    let text = site.page("sitemap.xml");
    let doc = parse(&text);
    let urlset = doc.root_element();
    assert_eq!(urlset.tag_name().name(), "urlset");
    assert_eq!(urlset.tag_name().namespace(), Some(SITEMAP));
    let urls = children(urlset, SITEMAP, "url");
    let mut listed = BTreeSet::new();
    for url in &urls {
        let loc = text_of(*url, SITEMAP, "loc");
        let file = file_of(&site, "https://news.example/", loc);
        let rel = file.strip_prefix(site.root().join("public")).unwrap().to_string_lossy();
        assert!(listed.insert(rel.replace('\\', "/")), "{loc} listed twice");
        rfc3339(text_of(*url, SITEMAP, "lastmod"));
    }
    let pages: BTreeSet<String> = site
        .files()
        .into_iter()
        .filter(|f| f.ends_with(".html") && f != "404.html" && f != "search/index.html")
        .collect();
    assert_eq!(listed, pages);

    let lastmod = |loc: &str| {
        urls.iter()
            .find(|u| text_of(**u, SITEMAP, "loc") == loc)
            .map(|u| text_of(*u, SITEMAP, "lastmod"))
            .unwrap_or_else(|| panic!("{loc} not listed"))
    };
    assert_eq!(lastmod("https://news.example/"), "2026-11-28T09:30:00+02:00");
    assert_eq!(lastmod("https://news.example/politics/page/2/"), "2026-10-01T12:00:00+03:00");
    assert_eq!(lastmod("https://news.example/economy/"), "2026-11-26T18:00:00+02:00");
    assert_eq!(
        lastmod("https://news.example/authors/omar/"),
        "2026-11-27T10:00:00+02:00",
        "omar's newest article"
    );
}

#[test]
fn sitemap_lastmod_follows_updated() {
    let site = built("news");
    let text = site.page("sitemap.xml");
    let doc = parse(&text);
    let urls = children(doc.root_element(), SITEMAP, "url");
    let find = |loc: &str| {
        urls.iter()
            .find(|u| text_of(**u, SITEMAP, "loc") == loc)
            .map(|u| text_of(*u, SITEMAP, "lastmod"))
            .unwrap_or_else(|| panic!("{loc} not listed"))
    };
    assert_eq!(
        find("https://news.example/ar/world/apple-google-agree/"),
        "2026-11-28T10:00:00+03:00"
    );
    assert_eq!(find("https://news.example/ar/world/page/2/"), "2026-09-01T08:00:00+03:00");
    assert!(
        urls.iter().all(|u| !text_of(*u, SITEMAP, "loc").contains("404")),
        "no 404 page in the sitemap"
    );
}

#[test]
fn news_sitemap_keeps_the_last_48_hours() {
    let site = built("news");
    let text = site.page("news_sitemap.xml");
    let doc = parse(&text);
    let urlset = doc.root_element();
    assert_eq!(urlset.tag_name().namespace(), Some(SITEMAP));
    assert!(text.contains(&format!("xmlns:news=\"{NEWS}\"")), "{text}");
    let urls = children(urlset, SITEMAP, "url");
    let mut titles = Vec::new();
    let mut dates = Vec::new();
    for url in &urls {
        assert_served(&site, "https://news.example/ar/", text_of(*url, SITEMAP, "loc"));
        let news = child(*url, NEWS, "news");
        let publication = child(news, NEWS, "publication");
        assert_eq!(text_of(publication, NEWS, "name"), "الموجز «اليومي» & شركاه");
        assert_eq!(text_of(publication, NEWS, "language"), "ar");
        dates.push(text_of(news, NEWS, "publication_date"));
        titles.push(text_of(news, NEWS, "title"));
    }
    // 1 hour and 47 hours before the build time; not the one of 49 hours, nor older ones.
    assert_eq!(titles, [QUOTES, CDATA]);
    assert_eq!(dates, ["2026-11-29T14:00:00+03:00", "2026-11-27T16:00:00+03:00"]);
}

#[test]
fn news_sitemap_is_left_out_when_nothing_is_recent() {
    // The sitemaps.org schema wants at least one <url>: no recent article, no news sitemap.
    let site = built("news_quiet");
    assert!(!site.public("news_sitemap.xml").exists());
    let robots = site.page("robots.txt");
    assert!(!robots.contains("news_sitemap.xml"), "{robots}");
    assert!(robots.contains("/sitemap.xml"), "{robots}");
    // The publication name defaults to the site title.
    let busy = built("basic");
    let text = busy.page("news_sitemap.xml");
    let doc = parse(&text);
    let names: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((NEWS, "name")))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(names, ["أخبار الاختبار"], "the budget (28.5 h before), not the bundle (52 h)");
}

#[test]
fn robots_txt_points_at_the_sitemaps() {
    let site = built("news");
    let robots = site.page("robots.txt");
    let lines: Vec<&str> = robots.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            "User-agent: *",
            "Allow: /",
            "Sitemap: https://news.example/ar/sitemap.xml",
            "Sitemap: https://news.example/ar/news_sitemap.xml",
        ]
    );
    for line in &lines[2..] {
        let url = line.strip_prefix("Sitemap: ").unwrap();
        assert_served(&site, "https://news.example/ar/", url);
    }

    // A site's own robots.txt wins.
    let site = SiteTest::fixture("news_quiet");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /drafts/\n");
    site.build().success();
    assert_eq!(site.page("robots.txt"), "User-agent: *\nDisallow: /drafts/\n");
    // And still wins in the builds that bring the spare output up to date, where the generated
    // one must not be written into the staging folder ahead of it.
    for build in 1..=3 {
        site.write("static/changed.txt", &format!("build {build}\n"));
        site.build().success();
        assert_eq!(site.page("robots.txt"), "User-agent: *\nDisallow: /drafts/\n", "{build}");
    }
}

#[test]
fn pages_link_their_feeds() {
    let site = built("basic");
    let alternates = |page: &str| -> Vec<String> {
        let html = site.page(page);
        html.lines()
            .filter(|l| l.starts_with("<link rel=\"alternate\""))
            .map(str::to_string)
            .collect()
    };
    let site_feeds = [
        r#"<link rel="alternate" type="application/rss+xml" title="أخبار الاختبار (RSS)" href="/rss.xml">"#,
        r#"<link rel="alternate" type="application/atom+xml" title="أخبار الاختبار (Atom)" href="/atom.xml">"#,
    ];
    for page in [
        "index.html",
        "404.html",
        "tags/index.html",
        "economy/البنك-المركزي-يثبت-أسعار-الفائدة/index.html",
    ] {
        assert_eq!(alternates(page), site_feeds, "{page}");
    }
    for page in ["politics/index.html", "politics/page/2/index.html"] {
        let links = alternates(page);
        assert_eq!(links[..2], site_feeds, "{page}");
        assert_eq!(
            links[2..],
            [
                r#"<link rel="alternate" type="application/rss+xml" title="سياسة | أخبار الاختبار (RSS)" href="/politics/rss.xml">"#,
                r#"<link rel="alternate" type="application/atom+xml" title="سياسة | أخبار الاختبار (Atom)" href="/politics/atom.xml">"#,
            ],
            "{page}"
        );
    }
    for (page, feed) in [
        ("tags/الموازنة/index.html", "/tags/الموازنة/rss.xml"),
        ("authors/sara/index.html", "/authors/sara/rss.xml"),
    ] {
        let links = alternates(page);
        assert_eq!(links.len(), 4, "{page}: {links:#?}");
        assert!(links[2].contains(&format!("href=\"{feed}\"")), "{page}: {links:#?}");
        assert!(site.public(&feed[1..]).is_file());
    }
}

#[test]
fn feeds_config_chooses_kinds_and_content() {
    let site = SiteTest::fixture("news");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    let config = config.replace(
        "[feeds]\nlimit = 3\n",
        "[feeds]\nlimit = 1\natom = false\ntags = false\nauthors = false\nfull_text = false\n",
    );
    site.write("config.toml", &config);
    site.build().success();
    let files = feed_files(&site);
    assert_eq!(files, ["rss.xml", "sport/rss.xml", "world/rss.xml", "محليات/rss.xml"]);
    let text = site.page("rss.xml");
    let doc = parse(&text);
    let items: Vec<Node<'_, '_>> = doc.descendants().filter(|n| n.has_tag_name("item")).collect();
    assert_eq!(items.len(), 1);
    assert!(children(items[0], CONTENT, "encoded").is_empty(), "summary only");
    let html = site.page("world/index.html");
    assert!(html.contains(r#"href="/ar/world/rss.xml""#), "{html}");
    assert!(!html.contains("atom.xml"), "no Atom links when Atom is off");
}

/// How many entries of the RSS feed `rel` carry a body (`content:encoded`), and how many entries
/// it has.
fn bodies_in(site: &SiteTest, rel: &str) -> (usize, usize) {
    let text = site.page(rel);
    let doc = parse(&text);
    let items: Vec<Node<'_, '_>> = doc.descendants().filter(|n| n.has_tag_name("item")).collect();
    let with_body = items.iter().filter(|item| !children(**item, CONTENT, "encoded").is_empty());
    (with_body.count(), items.len())
}

#[test]
fn tag_and_author_feeds_carry_summaries_unless_asked() {
    let site = SiteTest::fixture("news");
    site.build().success();
    let tag = feed_files(&site)
        .into_iter()
        .find(|f| f.starts_with("tags/") && f.ends_with("rss.xml"))
        .expect("a tag feed");
    let author = feed_files(&site)
        .into_iter()
        .find(|f| f.starts_with("authors/") && f.ends_with("rss.xml"))
        .expect("an author feed");
    let (site_bodies, site_items) = bodies_in(&site, "rss.xml");
    assert!(site_items > 0 && site_bodies == site_items, "the site feed carries every body");
    assert_eq!(bodies_in(&site, "world/rss.xml").0, bodies_in(&site, "world/rss.xml").1);
    for feed in [&tag, &author] {
        let (bodies, items) = bodies_in(&site, feed);
        assert!(items > 0, "{feed} lists articles");
        assert_eq!(bodies, 0, "{feed} carries summaries only");
        let atom = site.page(&feed.replace("rss.xml", "atom.xml"));
        assert!(!atom.contains("<content"), "{feed}: its Atom twin has no content either");
    }

    // A list of kinds chooses them: here the tags' feeds only.
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("config.toml", &config.replace("[feeds]\n", "[feeds]\nfull_text = [\"tags\"]\n"));
    site.build().success();
    assert_eq!(bodies_in(&site, "rss.xml").0, 0, "the site feed now has summaries");
    let (bodies, items) = bodies_in(&site, &tag);
    assert_eq!(bodies, items, "the tag feed carries bodies");
    assert_eq!(bodies_in(&site, &author).0, 0);

    // `true` is every kind; a kind that doesn't exist is an error at its line.
    site.write("config.toml", &config.replace("[feeds]\n", "[feeds]\nfull_text = true\n"));
    site.build().success();
    assert_eq!(bodies_in(&site, &author).0, bodies_in(&site, &author).1);
    site.write("config.toml", &config.replace("[feeds]\n", "[feeds]\nfull_text = [\"tag\"]\n"));
    let line = config.lines().position(|l| l == "[feeds]").expect("a [feeds] table") + 2;
    site.build()
        .fails_with(1)
        .stderr_has(&format!("config.toml:{line}:"))
        .stderr_has(r#""site", "sections", "tags" or "authors""#);
}
