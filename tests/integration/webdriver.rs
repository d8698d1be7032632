//! A minimal W3C WebDriver client over ureq: start chromedriver, open a headless Chromium session,
//! navigate and run scripts. These few JSON calls are all the browser test needs, so the tests
//! don't take on an async WebDriver crate and its HTTP stack.
//!
//! Browser tests run only when `MIDAD_BROWSER_TESTS=1`, so that `cargo test` passes on a machine
//! with Rust and nothing else. Every browser test gets its driver from
//! [`Driver::start_if_enabled`], the one place that reads the variable: without it, the test says
//! on stderr that it was skipped and why, and returns. With it, Debian's `chromium` and
//! `chromium-driver` must be installed (`.ci/run` installs them and sets the variable), and a test
//! fails, with a message saying so, when they are missing.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::PATIENCE;

/// A running chromedriver.
pub struct Driver {
    child: Child,
    base: String,
    chromium: PathBuf,
    profile: tempfile::TempDir,
}

/// A browser session.
pub struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

fn find(names: &[&str], extra: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .chain(extra.iter().map(PathBuf::from))
        .find(|p| p.is_file())
}

const INSTALL: &str = "install Debian's packages: apt-get install -y chromium chromium-driver \
                       (.ci/run does this before cargo test)";

/// The variable that turns the browser tests on.
const ENABLE: &str = "MIDAD_BROWSER_TESTS";

impl Driver {
    /// A running chromedriver when `MIDAD_BROWSER_TESTS=1`; otherwise `None`, after telling the
    /// reader of the test output that the calling test was skipped and how to run it. Every
    /// browser test starts with `let Some(driver) = Driver::start_if_enabled() else { return };`.
    #[track_caller]
    pub fn start_if_enabled() -> Option<Driver> {
        match std::env::var(ENABLE).as_deref() {
            Ok("1") => Some(Driver::start()),
            Err(std::env::VarError::NotPresent) | Ok("" | "0") => {
                let thread = std::thread::current();
                let test = thread.name().unwrap_or("a browser test");
                // Straight to stderr, not `eprintln!`: libtest captures `eprintln!` of a passing
                // test, so the skip would be seen only with `--nocapture`.
                let _ = writeln!(
                    std::io::stderr(),
                    "skipped {test}: it drives headless Chromium; set {ENABLE}=1 with Debian's \
                     chromium and chromium-driver installed; .ci/run does"
                );
                None
            }
            Ok(other) => {
                panic!("{ENABLE}=`{other}`: set it to 1 to run the browser tests, or unset it")
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                panic!("{ENABLE} is not UTF-8: set it to 1 to run the browser tests, or unset it")
            }
        }
    }

    /// Starts chromedriver on a free port and waits until it is ready.
    #[track_caller]
    fn start() -> Driver {
        let Some(driver) = find(&["chromedriver"], &["/usr/lib/chromium/chromedriver"]) else {
            panic!("chromedriver not found: {INSTALL}");
        };
        let Some(chromium) =
            find(&["chromium", "chromium-browser"], &["/usr/lib/chromium/chromium"])
        else {
            panic!("chromium not found: {INSTALL}");
        };
        let port = std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
        let profile = tempfile::tempdir().expect("profile dir");
        let driver = Driver { child, base: format!("http://127.0.0.1:{port}"), chromium, profile };
        let deadline = Instant::now() + PATIENCE;
        loop {
            let ready =
                driver.call("GET", "/status", None).ok().is_some_and(|v| v["ready"] == true);
            if ready {
                return driver;
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(PATIENCE))
            .build()
            .into();
        let url = format!("{}{path}", self.base);
        let res = match (method, body) {
            ("GET", _) => agent.get(&url).call(),
            ("DELETE", _) => agent.delete(&url).call(),
            (_, body) => agent
                .post(&url)
                .header("content-type", "application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let mut res = res.map_err(|e| format!("{method} {path}: {e}"))?;
        let text = res.body_mut().read_to_string().map_err(|e| e.to_string())?;
        let value: Value = serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))?;
        if value["value"]["error"].is_string() {
            return Err(format!("{method} {path}: {}", value["value"]));
        }
        Ok(value["value"].clone())
    }

    /// A new headless Chromium session.
    #[track_caller]
    pub fn session(&self) -> Session<'_> {
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--window-size=1000,700".to_string(),
            format!("--user-data-dir={}", self.profile.path().display()),
        ];
        let caps = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": { "binary": path_str(&self.chromium), "args": args }
                }
            }
        });
        let value = self.call("POST", "/session", Some(caps)).unwrap_or_else(|e| panic!("{e}"));
        let id = value["sessionId"].as_str().expect("a session id").to_string();
        Session { driver: self, id }
    }
}

fn path_str(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Session<'_> {
    /// Navigates to `url` and waits for the page to load.
    #[track_caller]
    pub fn go(&self, url: &str) {
        let path = format!("/session/{}/url", self.id);
        self.driver
            .call("POST", &path, Some(json!({ "url": url })))
            .unwrap_or_else(|e| panic!("{e}"));
    }

    /// Runs `script` (a function body: `return …`) in the page and returns its value.
    #[track_caller]
    pub fn run(&self, script: &str) -> Value {
        let path = format!("/session/{}/execute/sync", self.id);
        self.driver
            .call("POST", &path, Some(json!({ "script": script, "args": [] })))
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Waits (at most [`PATIENCE`]) until `script` returns `true`. A script error (e.g. while the
    /// page reloads) counts as not yet.
    #[track_caller]
    pub fn wait_until(&self, what: &str, script: &str) {
        let path = format!("/session/{}/execute/sync", self.id);
        let deadline = Instant::now() + PATIENCE;
        loop {
            let res =
                self.driver.call("POST", &path, Some(json!({ "script": script, "args": [] })));
            if matches!(res, Ok(Value::Bool(true))) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting until {what}: last {res:?}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        let _ = self.driver.call("DELETE", &format!("/session/{}", self.id), None);
    }
}
