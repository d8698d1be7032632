//! `midad serve` and `midad build --watch`: the real binary on a copy of the `basic` fixture,
//! edited the way editors edit (temp file renamed over, vim's swap and backup files, JetBrains'
//! safe write, delete and re-create, folders renamed), checked over HTTP, the live-reload event
//! stream and the output folder. Every wait is bounded; nothing asserts on timing.

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use crate::harness::{Line, PATIENCE, Running, SiteTest, walk};

/// The budget article's URL path (its slug comes from the title, not the file name).
const BUDGET: &str = "/politics/الحكومة-تعلن-موازنة-2027/";
const BUDGET_MD: &str = "content/politics/budget.md";
/// A line in config.toml that no served response may ever contain.
const SECRET: &str = "# SECRET-c0nf1g-7f3a";

/// A running `midad serve` on a site.
pub struct Preview {
    pub site: SiteTest,
    pub run: Running,
    /// `http://127.0.0.1:PORT/`
    pub url: String,
    /// `127.0.0.1:PORT`
    pub addr: String,
}

/// A response.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub content_type: String,
    pub location: Option<String>,
    pub body: String,
}

impl Preview {
    /// `midad serve --port 0` on a copy of the `basic` fixture.
    pub fn start() -> Preview {
        Preview::start_on(SiteTest::fixture("basic"), &["serve", "--port", "0"])
    }

    /// `midad serve --port 0` on a copy of the bundled example site.
    pub fn start_example() -> Preview {
        Preview::start_on(SiteTest::example_site(), &["serve", "--port", "0"])
    }

    /// `midad serve --port 0` on a copy of fixture `name`.
    pub fn start_fixture(name: &str) -> Preview {
        Preview::start_on(SiteTest::fixture(name), &["serve", "--port", "0"])
    }

    /// `midad` with `args` (a `serve` command) on `site`.
    pub fn start_on(site: SiteTest, args: &[&str]) -> Preview {
        Preview::start_with_env(site, args, &[])
    }

    /// `midad` with `args` (a `serve` command) and the environment variables `env` on `site`.
    pub fn start_with_env(site: SiteTest, args: &[&str], env: &[(&str, &str)]) -> Preview {
        let mut run = site.spawn_with_env(args, env);
        let line = run.wait_for_stdout("serving http://");
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .expect("a URL on the serving line")
            .to_string();
        let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        Preview { site, run, url, addr }
    }

    /// GETs an ASCII (percent-encoded where needed) path.
    #[track_caller]
    pub fn get(&self, path: &str) -> Page {
        let url = format!("{}{}", self.url.trim_end_matches('/'), encode(path));
        let mut res = agent().get(&url).call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let header = |name: &str| {
            res.headers().get(name).map(|v| v.to_str().unwrap_or_default().to_string())
        };
        let content_type = header("content-type").unwrap_or_default();
        let location = header("location");
        let status = res.status().as_u16();
        let body = res.body_mut().read_to_string().unwrap_or_default();
        Page { status, content_type, location, body }
    }

    /// GETs a path and returns its status, content type and bytes.
    #[track_caller]
    pub fn get_bytes(&self, path: &str) -> (u16, String, Vec<u8>) {
        let url = format!("{}{}", self.url.trim_end_matches('/'), encode(path));
        let mut res = agent().get(&url).call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
        let content_type = res
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap_or_default().to_string())
            .unwrap_or_default();
        let status = res.status().as_u16();
        let body = res.body_mut().read_to_vec().unwrap_or_default();
        (status, content_type, body)
    }

    /// Sends `target` as the request line's path byte for byte, bypassing any client-side URL
    /// normalisation, and returns the status and body.
    #[track_caller]
    pub fn raw(&self, target: &[u8]) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.addr).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).expect("timeout");
        let mut request = b"GET ".to_vec();
        request.extend_from_slice(target);
        request.extend_from_slice(b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        stream.write_all(&request).expect("send");
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {text:?}"));
        let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_string();
        (status, body)
    }

    /// Opens the live-reload stream and waits for its `hello`.
    pub fn events(&self) -> Events {
        let url = format!("{}__midad/events", self.url);
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let Ok(res) = agent().get(&url).call() else { return };
            let reader = std::io::BufReader::new(res.into_body().into_reader());
            let (mut name, mut data) = (String::new(), String::new());
            for line in reader.lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = line.strip_prefix("data: ") {
                    data = d.to_string();
                } else if line.is_empty() && !name.is_empty() {
                    let event = (std::mem::take(&mut name), std::mem::take(&mut data));
                    if tx.send(event).is_err() {
                        return;
                    }
                }
            }
        });
        let events = Events { rx };
        let hello = events.next("hello");
        Events::check_json(&hello);
        events
    }

    /// The path of a file of the site.
    pub fn path(&self, rel: &str) -> std::path::PathBuf {
        self.site.root().join(rel)
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(None)
        .build()
        .into()
}

/// Percent-encodes the non-ASCII characters of a path.
pub fn encode(path: &str) -> String {
    path.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                let mut buf = [0; 4];
                c.encode_utf8(&mut buf).bytes().map(|b| format!("%{b:02X}")).collect()
            }
        })
        .collect()
}

/// The live-reload events of one connection.
pub struct Events {
    rx: mpsc::Receiver<(String, String)>,
}

impl Events {
    /// The data of the next event called `name` (others are skipped).
    #[track_caller]
    pub fn next(&self, name: &str) -> String {
        let deadline = std::time::Instant::now() + PATIENCE;
        let mut skipped = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((n, data)) if n == name => return data,
                Ok(other) => skipped.push(other),
                Err(_) => panic!("no `{name}` event; got {skipped:?}"),
            }
        }
    }

    /// The changed paths of the next `reload` event that lists `path`.
    #[track_caller]
    pub fn reload_of(&self, path: &str) -> Vec<String> {
        let deadline = std::time::Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        while std::time::Instant::now() < deadline {
            let changed = Events::changed(&self.next("reload"));
            if changed.iter().any(|p| p == path) {
                return changed;
            }
            seen.push(changed);
        }
        panic!("no reload of {path}; reloads seen: {seen:?}");
    }

    fn changed(data: &str) -> Vec<String> {
        let json = Events::check_json(data);
        json["changed"]
            .as_array()
            .expect("changed is a list")
            .iter()
            .map(|v| v.as_str().expect("a path").to_string())
            .collect()
    }

    #[track_caller]
    fn check_json(data: &str) -> serde_json::Value {
        serde_json::from_str(data).unwrap_or_else(|e| panic!("bad event data {data:?}: {e}"))
    }
}

// ---------------------------------------------------------------------------------------------
// Editors' ways of saving a file.

/// gedit/VS Code-style atomic save: write a hidden temp file, rename it over the target.
pub fn save_atomic(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let tmp = path.with_file_name(format!(".goutputstream-{}", file_name(&path)));
    std::fs::write(&tmp, text).expect("write temp");
    std::fs::rename(&tmp, &path).expect("rename over");
}

/// vim's save with `writebackup`: probe with `4913`, rename the file to `file~`, write the new
/// file, delete the backup; the swap file `.file.swp` is written throughout.
pub fn save_vim(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let dir = path.parent().expect("parent");
    let swap = dir.join(format!(".{}.swp", file_name(&path)));
    std::fs::write(&swap, b"vim swap").expect("swap");
    std::fs::write(dir.join("4913"), b"").expect("4913");
    std::fs::remove_file(dir.join("4913")).expect("rm 4913");
    let backup = dir.join(format!("{}~", file_name(&path)));
    std::fs::rename(&path, &backup).expect("backup");
    std::fs::write(&path, text).expect("write");
    std::fs::remove_file(&backup).expect("rm backup");
    std::fs::write(&swap, b"vim swap, later").expect("swap");
    std::fs::remove_file(&swap).expect("rm swap");
}

/// JetBrains' safe write: `file___jb_tmp___` written, the file renamed to `file___jb_old___`, the
/// temp renamed into place, the old one deleted.
pub fn save_jetbrains(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    let tmp = path.with_file_name(format!("{}___jb_tmp___", file_name(&path)));
    let old = path.with_file_name(format!("{}___jb_old___", file_name(&path)));
    std::fs::write(&tmp, text).expect("write tmp");
    std::fs::rename(&path, &old).expect("rename old");
    std::fs::rename(&tmp, &path).expect("rename tmp");
    std::fs::remove_file(&old).expect("rm old");
}

/// A save in place that lands in two writes, the first leaving the file cut in half.
pub fn save_in_two_halves(root: &Path, rel: &str, text: &str, pause: Duration) {
    let path = root.join(rel);
    let mut cut = text.len() / 2;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut file = std::fs::File::create(&path).expect("create");
    file.write_all(&text.as_bytes()[..cut]).expect("first half");
    file.flush().expect("flush");
    std::thread::sleep(pause);
    file.write_all(&text.as_bytes()[cut..]).expect("second half");
}

/// One of the ways of saving above.
type Save = fn(&Path, &str, &str);

fn file_name(path: &Path) -> String {
    path.file_name().expect("file name").to_string_lossy().into_owned()
}

fn budget_with(text: &str) -> String {
    let original = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic").join(BUDGET_MD),
    )
    .expect("fixture");
    original.replace("The ministry said the budget balances growth and debt.", text)
}

fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: 2026-11-27T10:00:00+02:00\nauthor: sara\n---\n{body}\n")
}

// ---------------------------------------------------------------------------------------------
// Serving.

#[test]
fn serves_the_build_from_memory_with_the_preview_base_url() {
    let site = SiteTest::fixture("basic");
    site.write("public/stale.html", "a stale file of an old build");
    site.write("static/robots.txt", "User-agent: *\n");
    site.write("static/feed-test.xml", "<?xml version=\"1.0\"?><feed/>");
    site.write("static/data.json", "{}");
    site.write("static/app.js", "console.log(1)");
    let preview = Preview::start_on(site, &["serve", "--port", "0"]);

    let home = preview.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type, "text/html; charset=utf-8");
    assert!(home.body.contains("/__midad/events"), "live-reload script injected");
    assert!(home.body.contains(&format!("href=\"{}", preview.url)), "links use the preview URL");
    assert!(!home.body.contains("news.example"), "no link leaves the preview");

    for (path, content_type) in [
        ("/css/akhbar.css", "text/css; charset=utf-8"),
        ("/images/ministry.svg", "image/svg+xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/feed-test.xml", "application/xml; charset=utf-8"),
        ("/data.json", "application/json; charset=utf-8"),
        ("/app.js", "text/javascript; charset=utf-8"),
        ("/politics/", "text/html; charset=utf-8"),
    ] {
        let page = preview.get(path);
        assert_eq!((page.status, page.content_type.as_str()), (200, content_type), "{path}");
        if !content_type.starts_with("text/html") {
            assert!(!page.body.contains("__midad"), "{path}: only HTML gets the script");
        }
    }

    let redirect = preview.get("/politics");
    assert_eq!(redirect.status, 307);
    assert_eq!(redirect.location.as_deref(), Some("/politics/"));
    let redirect = preview.get("/politics/الحكومة-تعلن-موازنة-2027");
    assert_eq!(redirect.location.as_deref(), Some(encode(BUDGET).as_str()));

    let encoded = preview.get(BUDGET);
    assert_eq!(encoded.status, 200);
    assert!(encoded.body.contains("الحكومة"), "{}", encoded.body);
    let (status, raw) = preview.raw(BUDGET.as_bytes());
    assert_eq!(status, 200, "raw UTF-8 path: {raw}");
    assert!(raw.contains("deficit = spend - revenue"));

    let missing = preview.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.content_type, "text/html; charset=utf-8");
    assert!(missing.body.contains("الصفحة غير موجودة"), "the theme's 404 page: {}", missing.body);
    assert!(missing.body.contains("/__midad/events"));

    assert_eq!(preview.get("/stale.html").status, 404, "public/ is never served");
    assert!(!preview.path("public/index.html").exists(), "serve never writes public/");
}

#[test]
fn paths_leaving_the_output_are_refused() {
    let site = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(site.root().join("config.toml")).unwrap();
    site.write("config.toml", &format!("{config}\n{SECRET}\n"));
    let preview = Preview::start_on(site, &["serve", "--port", "0"]);
    for target in [
        &b"/../config.toml"[..],
        b"/%2e%2e/config.toml",
        b"/%2E%2E/config.toml",
        b"/.%2e/config.toml",
        b"/politics/../../config.toml",
        b"/politics%2f..%2f..%2fconfig.toml",
        b"/politics%2F..%2F..%2Fconfig.toml",
        b"/..%5cconfig.toml",
        b"/..\\config.toml",
        b"/%00",
        b"/index.html%00.css",
        b"//config.toml",
        b"/C:/config.toml",
        b"/%252e%252e/config.toml",
        b"/config.toml",
        b"/content/politics/budget.md",
    ] {
        let (status, body) = preview.raw(target);
        let shown = String::from_utf8_lossy(target);
        assert!(status == 400 || status == 404, "{shown}: status {status}");
        assert!(!body.contains(SECRET), "{shown}: served config.toml");
        assert!(!body.contains("title: \"الحكومةُ"), "{shown}: served a source file");
    }
}

#[test]
fn a_taken_port_moves_to_the_next_free_one() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let preview =
        Preview::start_on(SiteTest::fixture("basic"), &["serve", "--port", &port.to_string()]);
    let used: u16 = preview.addr.rsplit(':').next().unwrap().parse().unwrap();
    assert!(used > port && used <= port + 10, "port {port} taken, used {used}");
    assert_eq!(preview.get("/").status, 200);
}

#[test]
fn ctrl_c_stops_serve_with_success() {
    let mut preview = Preview::start();
    assert!(preview.run.interrupt().success(), "{}", preview.run.transcript());
}

// ---------------------------------------------------------------------------------------------
// Edits.

#[test]
fn each_editor_save_is_served_before_its_reload_event() {
    let mut preview = Preview::start();
    let events = preview.events();
    let root = preview.site.root().to_path_buf();
    let saves: [(&str, Save); 4] = [
        ("atomic", save_atomic),
        ("vim", save_vim),
        ("jetbrains", save_jetbrains),
        ("in place", |root, rel, text| save_in_two_halves(root, rel, text, Duration::ZERO)),
    ];
    // The page is open in a browser: the preview renders it when it is asked for.
    preview.get(BUDGET);
    for (idx, (editor, save)) in saves.iter().enumerate() {
        let marker = format!("Edited by {editor} number {idx}.");
        save(&root, BUDGET_MD, &budget_with(&marker));
        events.reload_of(BUDGET);
        // The event came after the swap: the very next fetch has the new text.
        let page = preview.get(BUDGET);
        assert!(page.body.contains(&marker), "{editor}: the page lacks {marker:?}");
    }
    preview.run.wait_for_stdout("rebuilt");
    preview.run.wait_until_quiet(Duration::from_millis(500));
    for line in &preview.run.seen {
        let text = line.text();
        for temp in [".swp", "4913", "~", "___jb_", ".goutputstream"] {
            assert!(!text.contains(temp), "an editor's temp file was taken for an edit: {text}");
        }
    }
}

#[test]
fn a_half_written_save_then_completed_ends_served() {
    let preview = Preview::start();
    let events = preview.events();
    preview.get(BUDGET);
    let marker = "Completed after a pause.";
    save_in_two_halves(
        preview.site.root(),
        BUDGET_MD,
        &budget_with(marker),
        Duration::from_millis(300),
    );
    let deadline = std::time::Instant::now() + PATIENCE;
    loop {
        events.reload_of(BUDGET);
        if preview.get(BUDGET).body.contains(marker) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the completed save was never served");
    }
}

#[test]
fn files_and_folders_created_deleted_and_renamed() {
    let preview = Preview::start();
    let events = preview.events();
    let root = preview.site.root().to_path_buf();
    const NEW: &str = "/economy/خبر-جديد-عن-السوق/";
    // A browser shows the 404 of the page about to be written.
    assert_eq!(preview.get(NEW).status, 404);

    save_atomic(&root, "content/economy/new.md", &article("خبر جديد عن السوق", "نص الخبر."));
    events.reload_of(NEW);
    assert_eq!(preview.get(NEW).status, 200);

    std::fs::remove_file(root.join("content/economy/new.md")).unwrap();
    events.reload_of(NEW);
    assert_eq!(preview.get(NEW).status, 404);

    save_atomic(&root, "content/economy/new.md", &article("خبر جديد عن السوق", "عاد الخبر."));
    events.reload_of(NEW);
    assert!(preview.get(NEW).body.contains("عاد الخبر."));

    // A bundle: a new folder with its page and an image.
    std::fs::create_dir(root.join("content/politics/gallery")).unwrap();
    std::fs::copy(
        root.join("content/politics/budget-bundle/cover.svg"),
        root.join("content/politics/gallery/photo.svg"),
    )
    .unwrap();
    assert_eq!(preview.get("/politics/معرض-الصور/").status, 404);
    save_atomic(&root, "content/politics/gallery/index.md", &article("معرض الصور", "صور."));
    events.reload_of("/politics/معرض-الصور/");
    let photo = preview.get("/politics/معرض-الصور/photo.svg");
    assert_eq!((photo.status, photo.content_type.as_str()), (200, "image/svg+xml; charset=utf-8"));

    // A watched top folder deleted and re-created: its new files are still watched.
    std::fs::remove_dir_all(root.join("static")).unwrap();
    std::fs::create_dir_all(root.join("static/images")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/basic/static/images/ministry.svg"),
        root.join("static/images/ministry.svg"),
    )
    .unwrap();
    std::fs::write(root.join("static/notes.txt"), "first").unwrap();
    events.reload_of("/notes.txt");
    std::fs::write(root.join("static/notes.txt"), "second, longer").unwrap();
    events.reload_of("/notes.txt");
    assert_eq!(preview.get("/notes.txt").body, "second, longer");

    // A section folder renamed, while a browser shows the section and the place it goes.
    assert_eq!(preview.get("/economy/").status, 200);
    assert_eq!(preview.get("/business/").status, 404);
    std::fs::rename(root.join("content/economy"), root.join("content/business")).unwrap();
    events.reload_of("/business/");
    assert_eq!(preview.get("/business/").status, 200);
    assert_eq!(preview.get("/economy/").status, 404);
    assert_eq!(preview.get("/business/خبر-جديد-عن-السوق/").status, 200);
}

/// A camera photo saved while previewing, and an article edited to show it: after the reload
/// the page has its `<picture>`, and every file the markup names is served, a real image of the
/// size its name says, without metadata.
#[test]
fn a_photo_saved_while_previewing_is_served_in_its_variants() {
    let preview = Preview::start();
    let events = preview.events();
    let root = preview.site.root().to_path_buf();
    // Displayed 1500×2000, stored turned (2000×1500 with EXIF orientation 6), with a GPS
    // position: served upright.
    let jpeg = crate::photos::camera_jpeg_bytes(1500, 2000, Some(6), true);
    preview.get(BUDGET);
    std::fs::create_dir_all(root.join("static/images")).unwrap();
    std::fs::write(root.join("static/images/.new.jpg.part"), &jpeg).unwrap();
    std::fs::rename(root.join("static/images/.new.jpg.part"), root.join("static/images/new.jpg"))
        .unwrap();
    save_atomic(&root, BUDGET_MD, &budget_with("![صورة جديدة](/images/new.jpg)"));
    events.reload_of(BUDGET);
    let page = preview.get(BUDGET);
    assert!(page.body.contains("<picture>"), "the body shows the photo as a <picture>");
    let urls: std::collections::BTreeSet<&str> =
        page.body.split(['"', ' ', ',']).filter(|w| w.starts_with("/images/new-")).collect();
    assert!(urls.len() >= 6, "a ladder in two formats: {urls:?}");
    for url in urls {
        let (status, content_type, bytes) = preview.get_bytes(url);
        assert_eq!(status, 200, "{url}");
        assert!(content_type.starts_with("image/"), "{url}: {content_type}");
        let image = image::load_from_memory(&bytes).unwrap_or_else(|e| panic!("{url}: {e}"));
        let size = url.rsplit('-').nth(1).expect("a size in the name");
        assert_eq!(size, format!("{}x{}", image.width(), image.height()), "{url}");
        assert!(image.height() > image.width(), "{url} is upright");
        assert!(crate::photos::is_upright(&image.to_rgb8()), "{url}: markers where they belong");
        assert!(!crate::photos::has_metadata(&bytes), "{url} carries no metadata");
    }
}

#[test]
fn a_stylesheet_edit_changes_only_the_stylesheet() {
    let preview = Preview::start();
    let events = preview.events();
    let css = preview.path("themes/akhbar/static/css/akhbar.css");
    let text = std::fs::read_to_string(&css).unwrap();
    save_atomic(
        preview.site.root(),
        "themes/akhbar/static/css/akhbar.css",
        &format!("{text}\n.midad-test {{ color: red }}\n"),
    );
    let changed = events.reload_of("/css/akhbar.css");
    assert_eq!(changed, ["/css/akhbar.css"], "no page changed, so none may reload");
    assert!(preview.get("/css/akhbar.css").body.contains(".midad-test"));
}

#[test]
fn an_article_edit_leaves_other_sections_articles_alone() {
    let preview = Preview::start();
    let events = preview.events();
    let other = "/economy/البنك-المركزي-يثبت-أسعار-الفائدة/";
    // Both are open in a browser.
    preview.get(BUDGET);
    preview.get(other);
    save_atomic(preview.site.root(), BUDGET_MD, &budget_with("A sentence deep in the body."));
    let changed = events.reload_of(BUDGET);
    assert!(!changed.iter().any(|p| p == other), "{other} did not change: {changed:?}");
}

// ---------------------------------------------------------------------------------------------
// Broken states.

#[test]
fn a_broken_save_shows_the_overlay_and_keeps_the_last_good_page() {
    let mut preview = Preview::start();
    let events = preview.events();
    let root = preview.site.root().to_path_buf();
    let good = preview.get(BUDGET).body;

    save_atomic(&root, BUDGET_MD, "---\ntitle: [نص لم يُغلق\ndate: 2026-11-28\n---\nنص\n");
    let failed = events.next("failed");
    let html = Events::check_json(&failed)["html"].as_str().unwrap().to_string();
    assert!(html.contains("تعذّر بناء الموقع"), "{html}");
    assert!(html.contains("Build failed"), "{html}");
    assert!(html.contains("content/politics/budget.md:2:"), "file:line:col: {html}");
    preview.run.wait_for_stderr("content/politics/budget.md:2:");

    let page = preview.get(BUDGET);
    assert_eq!(page.status, 200, "the last good page is still served");
    assert!(page.body.contains(OVERLAY), "the overlay is on served pages");
    assert!(page.body.contains("content/politics/budget.md:2:"));
    assert_eq!(without_injection(&page.body), without_injection(&good), "the last good page");
    // A page opened now hears about the failure at once.
    let late = preview.events();
    late.next("failed");

    // A template error, in a templates/ folder that did not exist when serve started.
    save_atomic(&root, BUDGET_MD, &budget_with("Fixed again."));
    events.reload_of(BUDGET);
    assert!(!preview.get(BUDGET).body.contains(OVERLAY), "the good save clears it");
    std::fs::create_dir(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/article.html"), "{% if %}broken{% endif %}").unwrap();
    let failed = events.next("failed");
    assert!(failed.contains("templates/article.html"), "{failed}");
    assert!(preview.get(BUDGET).body.contains("Fixed again."), "the last good page");

    std::fs::remove_file(root.join("templates/article.html")).unwrap();
    let data = events.next("reload");
    Events::check_json(&data);
    let page = preview.get(BUDGET);
    assert!(!page.body.contains(OVERLAY), "recovered");
    assert!(page.body.contains("Fixed again."));
}

/// The overlay's element, as injected into a served page (the script names it too).
const OVERLAY: &str = "<div id=\"midad-overlay\"";

/// A page without the injected live-reload script and overlay.
pub fn without_injection(html: &str) -> String {
    let start = html.find(OVERLAY).or_else(|| html.find("<script>(function"));
    let end = html.rfind("</script></body>").map(|i| i + "</script>".len());
    match (start, end) {
        (Some(start), Some(end)) => format!("{}{}", &html[..start], &html[end..]),
        _ => html.to_string(),
    }
}

#[test]
fn served_pages_equal_a_clean_build_but_for_the_script_and_the_base_url() {
    let preview = Preview::start();
    let events = preview.events();
    let root = preview.site.root().to_path_buf();
    for step in 0..5 {
        save_vim(&root, BUDGET_MD, &budget_with(&format!("Revision {step}.")));
        save_atomic(&root, "content/economy/new.md", &article("خبر جديد", &format!("نص {step}.")));
    }
    // Each reload is a new build being served: wait until the last saves are.
    while !(preview.get(BUDGET).body.contains("Revision 4.")
        && preview.get("/economy/خبر-جديد/").body.contains("نص 4."))
    {
        events.next("reload");
    }
    let out = tempfile::tempdir().unwrap();
    let out = out.path().join("public");
    preview
        .site
        .run(&["build", "--base-url", &preview.url, "--output", out.to_str().unwrap()])
        .success();
    let files = walk(&out);
    assert!(files.len() > 20, "{files:?}");
    for file in files {
        let rel = file.strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/");
        let url = format!("/{}", rel.strip_suffix("index.html").unwrap_or(&rel));
        let mut page = preview.get(&url);
        assert_eq!(page.status, 200, "{url}");
        // Photo variants are binary: served from the same cache files (`Contents::Link`).
        let Ok(built) = std::fs::read_to_string(&file) else { continue };
        // The search index is made after the pages are served: it may be a moment behind.
        let deadline = std::time::Instant::now() + PATIENCE;
        while rel.starts_with("search/index/")
            && page.body != built
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(20));
            page = preview.get(&url);
        }
        assert_eq!(without_injection(&page.body), built, "{url} differs from a clean build");
    }
}

// ---------------------------------------------------------------------------------------------
// build --watch.

#[test]
fn build_watch_keeps_watching_after_a_content_error() {
    let site = SiteTest::fixture("basic");
    let mut run = site.spawn(&["build", "--watch"]);
    run.wait_for_stdout("watching for changes");
    let page = format!("{}index.html", BUDGET.trim_start_matches('/'));
    assert!(site.page(&page).contains("The ministry said"));

    save_atomic(site.root(), BUDGET_MD, "---\ntitle: [نص لم يُغلق\n---\n");
    run.wait_for_stderr("content/politics/budget.md:2:");
    assert!(site.page(&page).contains("The ministry said"), "the last good output stays");

    save_atomic(site.root(), BUDGET_MD, &budget_with("Written by build --watch."));
    run.wait_for_stdout("rebuilt content/politics/budget.md");
    assert!(site.page(&page).contains("Written by build --watch."));
    assert!(!site.page(&page).contains("__midad"), "no live reload in built output");
    assert!(run.interrupt().success(), "Ctrl-C exits 0: {}", run.transcript());
}

/// A small deterministic generator (xorshift), so the burst is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn build_watch_after_a_burst_of_200_editor_saves_equals_a_clean_build() {
    let site = SiteTest::fixture("basic");
    let root = site.root().to_path_buf();
    let mut run = site.spawn(&["build", "--watch"]);
    run.wait_for_stdout("watching for changes");

    let mut rng = Rng(0x6d69_6461_6421);
    let sections = ["politics", "economy"];
    let css = "themes/akhbar/static/css/akhbar.css";
    let css_text = std::fs::read_to_string(root.join(css)).unwrap();
    let mut extra_section = false;
    for step in 0..200 {
        let section = sections[rng.below(sections.len())];
        let n = rng.below(12);
        let rel = format!("content/{section}/generated-{n}.md");
        let text = article(&format!("خبر مولد رقم {n} في {section}"), &format!("نسخة {step}."));
        match rng.below(10) {
            0 => save_atomic(&root, &rel, &text),
            1 => {
                if root.join(&rel).exists() {
                    save_vim(&root, &rel, &text);
                } else {
                    save_atomic(&root, &rel, &text);
                }
            }
            2 => {
                if root.join(&rel).exists() {
                    save_jetbrains(&root, &rel, &text);
                } else {
                    std::fs::write(root.join(&rel), &text).unwrap();
                }
            }
            3 => save_in_two_halves(
                &root,
                &rel,
                &text,
                Duration::from_millis(rng.below(3) as u64 * 40),
            ),
            4 => {
                let _ = std::fs::remove_file(root.join(&rel));
            }
            5 => {
                let to = format!("content/{section}/generated-{}.md", rng.below(12));
                if root.join(&rel).exists() {
                    std::fs::rename(root.join(&rel), root.join(&to)).unwrap();
                }
            }
            6 => save_atomic(&root, BUDGET_MD, &budget_with(&format!("Budget revision {step}."))),
            7 => save_atomic(&root, css, &format!("{css_text}\n/* revision {step} */\n")),
            8 => {
                // A section folder appears, or is renamed back and forth.
                if !extra_section {
                    std::fs::create_dir_all(root.join("content/sport")).unwrap();
                    std::fs::write(
                        root.join("content/sport/_index.md"),
                        "---\ntitle: \"رياضة\"\n---\n",
                    )
                    .unwrap();
                    extra_section = true;
                } else if root.join("content/sport").exists() {
                    std::fs::rename(root.join("content/sport"), root.join("content/sports"))
                        .unwrap();
                } else {
                    std::fs::rename(root.join("content/sports"), root.join("content/sport"))
                        .unwrap();
                }
            }
            _ => {
                // Delete and re-create.
                let _ = std::fs::remove_file(root.join(&rel));
                std::fs::write(root.join(&rel), &text).unwrap();
            }
        }
        if rng.below(25) == 0 {
            std::thread::sleep(Duration::from_millis(rng.below(150) as u64));
        }
    }

    // A clean build of the final files, in another folder, to compare with.
    let clean = tempfile::tempdir().unwrap();
    for entry in walk(&root) {
        let rel = entry.strip_prefix(&root).unwrap();
        // Skip the output and what a rebuild still under way keeps beside it (its staging and
        // old folders come and go while this walk runs).
        let top = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
        if top.is_some_and(|t| t == "public" || t.starts_with(".public.midad-")) {
            continue;
        }
        let to = clean.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &to).unwrap();
    }
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_midad"))
        .args(["build"])
        .current_dir(clean.path())
        .env("SOURCE_DATE_EPOCH", "1795953600")
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));

    // Quiescence: no report for a while; then the output must equal the clean build. A rebuild
    // still under way ends with a report, so wait again rather than compare mid-write.
    let deadline = std::time::Instant::now() + PATIENCE;
    let diff = loop {
        run.wait_until_quiet(Duration::from_secs(2));
        let diff = compare(&clean.path().join("public"), &root.join("public"));
        if diff.is_empty() || std::time::Instant::now() > deadline {
            break diff;
        }
    };
    assert!(
        diff.is_empty(),
        "build --watch differs from a clean build: {diff:#?}\n{}",
        run.transcript()
    );
    assert!(
        run.seen.iter().any(|l| matches!(l, Line::Out(t) if t.starts_with("rebuilt"))),
        "{}",
        run.transcript()
    );
    assert!(run.interrupt().success());
}

/// The files that differ between two folders (missing on either side, or other bytes).
pub fn compare(expected: &Path, actual: &Path) -> Vec<String> {
    let list = |dir: &Path| -> std::collections::BTreeMap<String, Vec<u8>> {
        walk(dir)
            .into_iter()
            .map(|p| {
                let rel = p.strip_prefix(dir).expect("inside").to_string_lossy().into_owned();
                let bytes = std::fs::read(&p).unwrap_or_default();
                (rel, bytes)
            })
            .collect()
    };
    let (expected, actual) = (list(expected), list(actual));
    let mut diff = Vec::new();
    for (path, bytes) in &expected {
        match actual.get(path) {
            None => diff.push(format!("missing {path}")),
            Some(other) if other != bytes => diff.push(format!("differs {path}")),
            Some(_) => {}
        }
    }
    diff.extend(actual.keys().filter(|p| !expected.contains_key(*p)).map(|p| format!("extra {p}")));
    diff
}

// ---------------------------------------------------------------------------------------------
// In a browser.

/// Headless Chromium through chromedriver: an article edit shows up without a manual reload, at
/// the same scroll position; a stylesheet edit restyles the page without a navigation. Runs only
/// with `MIDAD_BROWSER_TESTS=1` (`.ci/run` sets it).
#[test]
fn a_browser_sees_edits_live() {
    let Some(driver) = crate::webdriver::Driver::start_if_enabled() else { return };
    let preview = Preview::start();
    let root = preview.site.root().to_path_buf();
    let session = driver.session();
    let connected = "return !!(window.__midad && window.__midad.connected)";
    let long_body: String =
        (0..80).map(|i| format!("فقرة طويلة رقم {i} لتطويل الصفحة.\n\n")).collect();

    session.go(&format!("{}{}", preview.url.trim_end_matches('/'), encode(BUDGET)));
    session.wait_until("the live-reload stream connects", connected);
    save_atomic(&root, BUDGET_MD, &budget_with(&format!("First edit.\n\n{long_body}")));
    session.wait_until(
        "the first edit shows",
        "return document.body.innerText.includes('First edit.')",
    );
    session.wait_until("the live-reload stream connects again", connected);

    session.run("window.scrollTo(0, 400); return true");
    let scrolled = session.run("return Math.round(window.scrollY)");
    assert_eq!(scrolled, 400, "the page is long enough to scroll");
    save_atomic(&root, BUDGET_MD, &budget_with(&format!("Second edit.\n\n{long_body}")));
    session.wait_until(
        "the second edit shows",
        "return document.body.innerText.includes('Second edit.')",
    );
    session.wait_until("the scroll position is kept", "return Math.round(window.scrollY) === 400");
    session.wait_until("the live-reload stream connects again", connected);

    session.run("window.__kept = 'no navigation'; return true");
    let css = "themes/akhbar/static/css/akhbar.css";
    let text = std::fs::read_to_string(root.join(css)).unwrap();
    save_atomic(&root, css, &format!("{text}\nbody {{ outline: 3px solid rgb(1, 2, 3); }}\n"));
    session.wait_until(
        "the new style applies",
        "return getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'",
    );
    assert_eq!(
        session.run("return window.__kept || null"),
        "no navigation",
        "the page was reloaded"
    );
}
