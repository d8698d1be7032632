//! A fluent harness over the real `midad` binary: copy a fixture site into a temp folder, run a
//! command, then assert on the exit status, stderr and the produced files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fixture site copied into a temporary folder.
pub struct SiteTest {
    dir: tempfile::TempDir,
}

/// The result of one run of the binary.
pub struct Run {
    output: Output,
}

impl SiteTest {
    /// Copies `tests/fixtures/<name>/` and links the repository's default theme into it, unless
    /// the fixture brings its own `themes/`.
    pub fn fixture(name: &str) -> SiteTest {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
        assert!(src.is_dir(), "no fixture {}", src.display());
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&src, dir.path());
        if !dir.path().join("themes").exists() {
            let themes = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
            copy_dir(&themes, &dir.path().join("themes"));
        }
        SiteTest { dir }
    }

    /// An empty folder, for commands that make a site (`init`, `import`).
    pub fn empty() -> SiteTest {
        SiteTest { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// The bundled example site at the repository root (content, data, static, themes, config).
    pub fn example_site() -> SiteTest {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().expect("temp dir");
        for part in ["content", "data", "static", "themes"] {
            copy_dir(&repo.join(part), &dir.path().join(part));
        }
        std::fs::copy(repo.join("config.toml"), dir.path().join("config.toml"))
            .expect("copy config");
        SiteTest { dir }
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file of the site (creating folders).
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
        self
    }

    /// Runs `midad` with `args` in the site folder, with a fixed build time.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs `midad` with `args` in the site folder, with a fixed build time and `vars` set.
    pub fn run_with_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let output = self.command(args).envs(vars.iter().copied()).output().expect("run midad");
        Run { output }
    }

    /// The command that runs `midad` with `args` in the site folder, with a fixed build time.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_midad"));
        command.args(args).current_dir(self.root()).env("SOURCE_DATE_EPOCH", "1795953600"); // 2026-11-29T12:00:00Z
        command
    }

    /// `midad build`.
    pub fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// The path of an output file.
    pub fn public(&self, rel: &str) -> PathBuf {
        self.root().join("public").join(rel)
    }

    /// The text of an output file, which must exist.
    pub fn page(&self, rel: &str) -> String {
        let path = self.public(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    /// Removes the output and what builds keep beside it (manifest, build cache, spare), so the next
    /// build is a clean one; the image cache stays.
    pub fn remove_output(&self) {
        std::fs::remove_dir_all(self.root().join("public")).expect("remove the output");
        for entry in std::fs::read_dir(self.root()).expect("the site folder") {
            let path = entry.expect("an entry").path();
            if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with(".public.midad-")) {
                if path.is_dir() {
                    std::fs::remove_dir_all(path).expect("remove the spare output");
                } else {
                    std::fs::remove_file(path).expect("remove a file beside the output");
                }
            }
        }
    }

    /// Every file under `public/` with its bytes, sorted by path.
    pub fn output_bytes(&self) -> Vec<(String, Vec<u8>)> {
        self.output_bytes_in("public")
    }

    /// Every file under the site's folder `output` with its bytes, sorted by path.
    pub fn output_bytes_in(&self, output: &str) -> Vec<(String, Vec<u8>)> {
        let root = self.root().join(output);
        let read = |f: String| {
            let bytes = std::fs::read(root.join(&f)).expect("an output file");
            (f, bytes)
        };
        self.files_in(output).into_iter().map(read).collect()
    }

    /// Every file under `public/`, relative, sorted.
    pub fn files(&self) -> Vec<String> {
        self.files_in("public")
    }

    /// Every file under the site's folder `output`, relative, sorted.
    pub fn files_in(&self, output: &str) -> Vec<String> {
        let root = self.root().join(output);
        let mut files: Vec<String> = walk(&root)
            .into_iter()
            .map(|p| p.strip_prefix(&root).expect("prefix").to_string_lossy().replace('\\', "/"))
            .collect();
        files.sort();
        files
    }
}

impl Run {
    /// Asserts exit code 0.
    #[track_caller]
    pub fn success(&self) -> &Self {
        assert!(
            self.output.status.success(),
            "midad failed with {:?}\nstdout:\n{}\nstderr:\n{}",
            self.output.status.code(),
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Asserts exit code `code`.
    #[track_caller]
    pub fn fails_with(&self, code: i32) -> &Self {
        assert_eq!(
            self.output.status.code(),
            Some(code),
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Asserts stderr contains `text`.
    #[track_caller]
    pub fn stderr_has(&self, text: &str) -> &Self {
        let stderr = self.stderr();
        assert!(stderr.contains(text), "stderr lacks {text:?}:\n{stderr}");
        self
    }

    /// Asserts stdout contains `text`.
    #[track_caller]
    pub fn stdout_has(&self, text: &str) -> &Self {
        let stdout = self.stdout();
        assert!(stdout.contains(text), "stdout lacks {text:?}:\n{stdout}");
        self
    }

    /// The exit code (`None` when a signal ended the process).
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    /// Standard error as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    /// Standard output as text.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }
}

/// Every file under `dir`.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Copies the folder `src` into `dst`, replacing files of the same names.
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for entry in std::fs::read_dir(src).expect("read fixture").flatten() {
        let to = dst.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).expect("copy");
        }
    }
}

/// The `<main>` element of a page, to keep assertions away from the header and sidebars.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.rfind("</main>").map_or(html.len(), |i| i + "</main>".len());
    &html[start..end]
}

/// A long-running `midad` (`serve`, `build --watch`) whose output is read line by line.
pub struct Running {
    child: std::process::Child,
    lines: std::sync::mpsc::Receiver<Line>,
    /// Every line read so far.
    pub seen: Vec<Line>,
}

/// A line the process printed.
#[derive(Debug, Clone)]
pub enum Line {
    /// On standard output.
    Out(String),
    /// On standard error.
    Err(String),
}

impl Line {
    /// The text, wherever it was printed.
    pub fn text(&self) -> &str {
        match self {
            Line::Out(text) | Line::Err(text) => text,
        }
    }
}

/// How long any wait on a running process may take before the test fails.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);

impl SiteTest {
    /// Starts `midad` with `args` in the site folder, with a fixed build time.
    pub fn spawn(&self, args: &[&str]) -> Running {
        self.spawn_with_env(args, &[])
    }

    /// Starts `midad` with `args` and the environment variables `env` in the site folder, with a
    /// fixed build time.
    pub fn spawn_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Running {
        use std::io::BufRead;
        use std::process::Stdio;
        let mut child = Command::new(env!("CARGO_BIN_EXE_midad"))
            .args(args)
            .current_dir(self.root())
            .env("SOURCE_DATE_EPOCH", "1795953600")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start midad");
        let (tx, lines) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let out_tx = tx.clone();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = out_tx.send(Line::Out(line));
            }
        });
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(Line::Err(line));
            }
        });
        Running { child, lines, seen: Vec::new() }
    }
}

impl Running {
    /// Waits (at most [`PATIENCE`]) for a line matching `pred`, and returns it.
    #[track_caller]
    pub fn wait_for(&mut self, what: &str, pred: impl Fn(&Line) -> bool) -> Line {
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(_) => {
                    panic!("timed out waiting for {what}; output so far:\n{}", self.transcript())
                }
            }
        }
    }

    /// Waits for a line on stdout containing `text`.
    #[track_caller]
    pub fn wait_for_stdout(&mut self, text: &str) -> String {
        self.wait_for(text, |l| matches!(l, Line::Out(t) if t.contains(text))).text().to_string()
    }

    /// Waits for a line on stderr containing `text`.
    #[track_caller]
    pub fn wait_for_stderr(&mut self, text: &str) -> String {
        self.wait_for(text, |l| matches!(l, Line::Err(t) if t.contains(text))).text().to_string()
    }

    /// Reads the lines printed so far without waiting, then waits until nothing was printed for
    /// `quiet` (at most [`PATIENCE`] in all).
    #[track_caller]
    pub fn wait_until_quiet(&mut self, quiet: std::time::Duration) {
        let deadline = std::time::Instant::now() + PATIENCE;
        while std::time::Instant::now() < deadline {
            match self.lines.recv_timeout(quiet) {
                Ok(line) => self.seen.push(line),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    panic!("midad exited:\n{}", self.transcript())
                }
            }
        }
        panic!("midad never went quiet:\n{}", self.transcript());
    }

    /// The process id.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Everything printed so far, for failure messages.
    pub fn transcript(&self) -> String {
        self.seen
            .iter()
            .map(|l| match l {
                Line::Out(t) => format!("out: {t}"),
                Line::Err(t) => format!("err: {t}"),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Sends Ctrl-C (SIGINT) and returns the exit status (waiting at most [`PATIENCE`]).
    #[track_caller]
    pub fn interrupt(&mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -INT failed");
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "midad did not stop on Ctrl-C:\n{}",
                self.transcript()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How many pages a build's summary says it built and how many of them it kept unchanged.
pub fn built_and_kept(summary: &str) -> (usize, usize) {
    let number_before = |words: &str| -> usize {
        let at = summary.find(words).unwrap_or_else(|| panic!("no `{words}` in {summary}"));
        let digits: String = summary[..at].chars().rev().take_while(char::is_ascii_digit).collect();
        digits.chars().rev().collect::<String>().parse().expect("a count")
    };
    let built = summary.find("built ").map(|at| &summary[at + 6..]).expect("a summary");
    let total = built.split(' ').next().and_then(|n| n.parse().ok()).expect("a page count");
    let kept = if summary.contains("unchanged pages kept") {
        number_before(" unchanged pages kept")
    } else {
        0
    };
    (total, kept)
}
