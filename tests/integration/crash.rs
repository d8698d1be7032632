//! Crash safety (issue 17): a `midad build` killed at any moment leaves the previous output whole
//! and nothing that breaks or slows the next build; a full or read-only disk fails the build with
//! a clear error and leaves the output as it was.
//!
//! The kill test changes the site, starts a build and kills it (SIGKILL) after a random delay
//! between none and 1.2 times a normal build's duration, many times over. The delays come from a
//! seeded generator: the seed is printed, and `MIDAD_CRASH_SEED=<seed>` replays a run.
//!
//! The disk tests fill a small tmpfs and make the output's folder a read-only bind mount where
//! the test may mount (root, outside a locked-down container); they always also make the same
//! failures happen through `MIDAD_TEST_FAULT` (see `output::Faults`), so they assert on every
//! machine.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{SiteTest, walk};
use crate::photos;

/// Every file under a folder with its bytes, sorted by path.
type Tree = Vec<(String, Vec<u8>)>;

/// Every file under `dir` with its bytes; empty if there is no `dir`.
fn snapshot(dir: &Path) -> Tree {
    let mut files: Tree = walk(dir)
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(dir).expect("under the folder");
            let bytes = std::fs::read(&path).expect("an output file reads");
            (rel.to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

/// What differs between two trees, for a failure message: at most a few paths.
fn difference(a: &Tree, b: &Tree) -> String {
    let paths = |tree: &Tree| -> std::collections::BTreeMap<String, usize> {
        tree.iter().map(|(path, bytes)| (path.clone(), bytes.len())).collect()
    };
    let (a_paths, b_paths) = (paths(a), paths(b));
    let only_a: Vec<&String> = a_paths.keys().filter(|p| !b_paths.contains_key(*p)).collect();
    let only_b: Vec<&String> = b_paths.keys().filter(|p| !a_paths.contains_key(*p)).collect();
    let b_bytes: std::collections::BTreeMap<&String, &Vec<u8>> =
        b.iter().map(|(path, bytes)| (path, bytes)).collect();
    let differ: Vec<&String> = a
        .iter()
        .filter(|(p, bytes)| b_bytes.get(p).is_some_and(|b| *b != bytes))
        .map(|f| &f.0)
        .collect();
    format!(
        "{} files against {}; only in the first: {:?}; only in the second: {:?}; different: {:?}",
        a.len(),
        b.len(),
        &only_a[..only_a.len().min(5)],
        &only_b[..only_b.len().min(5)],
        &differ[..differ.len().min(5)]
    )
}

/// The output a clean build of the site as it is now makes, in a folder of its own (the image
/// cache is shared, as a clean build on the same machine shares it).
fn clean_output(site: &SiteTest) -> Tree {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    site.run(&["build", "--output", &out.to_string_lossy()]).success();
    snapshot(&out)
}

/// Articles added to the basic fixture, so that every build has work to do.
const ARTICLES: usize = 20;

/// The basic fixture with [`ARTICLES`] more articles and a gallery of 14 photos, whose variants
/// fill a folder that moves whole into the next output (see `output::Staging::fill`).
fn busy_site() -> SiteTest {
    let site = SiteTest::fixture("basic");
    for k in 0..ARTICLES {
        site.write(&format!("content/economy/gen-{k}.md"), &article(k, "الأسواق"));
    }
    let gallery = site.root().join("static/images/gallery");
    for k in 0..14 {
        photos::camera_jpeg(&gallery.join(format!("p{k}.jpg")), 820, 540, None, false);
    }
    site
}

/// An article about `topic`, dated by `k`.
fn article(k: usize, topic: &str) -> String {
    format!(
        "+++\ntitle = \"خبر رقم {k} عن {topic}\"\ndate = 2026-11-{:02}T10:00:00+02:00\n\
         tags = [\"اقتصاد\", \"وسم {}\"]\n+++\n\
         افتتحت {topic} اليوم على ارتفاع طفيف بعد أسبوع من التقلبات.\n\n\
         وقال محللون إن الأرقام تعكس ثقة المستثمرين في الخطة الجديدة.\n",
        k % 28 + 1,
        k % 5
    )
}

/// One change of the site before a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    /// A paragraph added to the end of an article (its summary stays).
    Article,
    /// A new article.
    Add,
    /// An added article deleted (or, with none, one added).
    Remove,
    /// A photo's modification time moved, its bytes the same.
    Touch,
    /// A photo replaced by another, and back the next time.
    Photo,
    /// The site's description changed in `config.toml`: every page is rendered again.
    Config,
    /// A static file, `downloads/report`, becomes a folder of that name with a file in it, and
    /// back the next time.
    Static,
}

/// The edits the kill test draws from: article edits most often.
const EDITS: [Edit; 9] = [
    Edit::Article,
    Edit::Article,
    Edit::Article,
    Edit::Add,
    Edit::Remove,
    Edit::Touch,
    Edit::Photo,
    Edit::Config,
    Edit::Static,
];

/// What the edits have done so far.
struct Edits {
    added: Vec<String>,
    photos: [Vec<u8>; 2],
    photo: usize,
    described: bool,
    report_is_folder: bool,
}

impl Edits {
    fn new() -> Edits {
        let photos = [
            photos::camera_jpeg_bytes(820, 540, None, false),
            photos::camera_jpeg_bytes(640, 480, None, true),
        ];
        Edits { added: Vec::new(), photos, photo: 0, described: false, report_is_folder: false }
    }

    /// Makes `edit`, the `k`th.
    fn apply(&mut self, site: &SiteTest, edit: Edit, k: usize) {
        let root = site.root();
        match edit {
            Edit::Article => {
                let path = format!("content/economy/gen-{}.md", k % ARTICLES);
                let text = std::fs::read_to_string(root.join(&path)).expect("an article");
                site.write(&path, &format!("{text}\nفقرة أضيفت في التعديل رقم {k}.\n"));
            }
            Edit::Remove if !self.added.is_empty() => {
                let path = self.added.remove(k % self.added.len());
                std::fs::remove_file(root.join(path)).expect("remove an article");
            }
            Edit::Add | Edit::Remove => {
                let path = format!("content/politics/new-{k}.md");
                site.write(&path, &article(k, "البرلمان"));
                self.added.push(path);
            }
            Edit::Touch => {
                let photo = std::fs::File::options()
                    .write(true)
                    .open(root.join("static/images/gallery/p3.jpg"))
                    .expect("a photo");
                let at = std::time::SystemTime::now() + Duration::from_secs(k as u64);
                photo.set_modified(at).expect("set the modification time");
            }
            Edit::Photo => {
                self.photo = 1 - self.photo;
                let path = root.join("static/images/gallery/p0.jpg");
                std::fs::write(path, &self.photos[self.photo]).expect("replace a photo");
            }
            Edit::Config => {
                self.described = !self.described;
                let config = std::fs::read_to_string(root.join("config.toml")).expect("config");
                let (from, to) = ("موقع صغير لاختبار مداد", "موقع صغير لتجربة مداد");
                let (from, to) = if self.described { (from, to) } else { (to, from) };
                site.write("config.toml", &config.replace(from, to));
            }
            Edit::Static => {
                let report = root.join("static/downloads/report");
                if self.report_is_folder {
                    std::fs::remove_dir_all(&report).expect("remove the folder");
                    site.write("static/downloads/report", &format!("التقرير رقم {k}\n"));
                } else {
                    let _ = std::fs::remove_file(&report);
                    site.write("static/downloads/report/index.txt", &format!("فهرس {k}\n"));
                }
                self.report_is_folder = !self.report_is_folder;
            }
        }
    }
}

/// Where in a build the kill landed, told from what it left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Landed {
    /// Before the staging folder was made (loading, Markdown): the output as it was.
    BeforeStaging,
    /// While the new output was written into the staging folder: the output as it was.
    MidWrite,
    /// Between the swap and the end of moving the photo folders into the new output.
    InSwap,
    /// After the swap, while the old output was removed.
    AfterSwap,
    /// The build had finished.
    Finished,
}

/// Runs `midad build`, kills it after `delay` unless it finished, and says where it was.
fn build_killed_after(site: &SiteTest, delay: Duration, before: &Tree) -> (Landed, Tree) {
    let mut child = site
        .command(&["build"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start midad");
    std::thread::sleep(delay);
    // SIGKILL, or nothing if it exited already.
    let _ = child.kill();
    let done = child.wait_with_output().expect("wait for midad");
    let after = snapshot(&site.public(""));
    let beside = |kind: &str| site.root().join(format!(".public.midad-{kind}")).exists();
    let landed = if done.status.success() {
        Landed::Finished
    } else if let Some(code) = done.status.code() {
        panic!("the build failed by itself ({code}): {}", String::from_utf8_lossy(&done.stderr))
    } else if beside("swap") {
        Landed::InSwap
    } else if after != *before {
        Landed::AfterSwap
    } else if beside("staging") {
        Landed::MidWrite
    } else {
        Landed::BeforeStaging
    };
    (landed, after)
}

/// The numbers in "built N pages (…, M unchanged pages kept)" of a build report: N and M.
fn pages_kept(stdout: &str) -> (usize, usize) {
    let number_before = |text: &str, end: usize| -> usize {
        let start = text[..end].rfind(' ').map_or(0, |i| i + 1);
        text[start..end].parse().expect("a number of pages")
    };
    let built = stdout.find(" pages (").map_or(0, |end| number_before(stdout, end));
    let kept = stdout.find(" unchanged pages kept").map_or(0, |end| number_before(stdout, end));
    (built, kept)
}

/// How many builds the test kills.
const KILLS: usize = 50;

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_output_and_a_fast_next_build() {
    let seed = std::env::var("MIDAD_CRASH_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("kill test: seed {seed} (MIDAD_CRASH_SEED={seed} replays it)");
    let mut rng = fastrand::Rng::with_seed(seed);
    let site = busy_site();
    site.build().success();
    let mut edits = Edits::new();
    // Both versions of the replaced photo in the image cache, then a normal build's duration:
    // the middle of three after an article edit each.
    for k in 0..2 {
        edits.apply(&site, Edit::Photo, k);
        site.build().success();
    }
    let mut took: Vec<Duration> = (0..3)
        .map(|k| {
            edits.apply(&site, Edit::Article, k);
            let start = Instant::now();
            site.build().success();
            start.elapsed()
        })
        .collect();
    took.sort();
    let longest = took[1].mul_f64(1.2);

    let mut landed: std::collections::BTreeMap<Landed, usize> = Default::default();
    for k in 0..KILLS {
        let before = snapshot(&site.public(""));
        let edit = EDITS[rng.usize(..EDITS.len())];
        edits.apply(&site, edit, k + 3);
        let delay = longest.mul_f64(rng.f64());
        let (at, after) = build_killed_after(&site, delay, &before);
        *landed.entry(at).or_default() += 1;
        let clean = clean_output(&site);
        let whole = after == before || after == clean;
        let context = format!("kill {k} ({edit:?} after {delay:?}, {at:?}; seed {seed})");
        assert!(
            whole,
            "{context}: the output is neither the previous one nor a clean build of the new inputs: {}",
            difference(&after, &clean)
        );

        // The next build finishes what the kill left, equals a clean build, and keeps the
        // pages the edit did not touch: the kill left it a manifest of the output.
        let run = site.build();
        run.success();
        let rebuilt = snapshot(&site.public(""));
        assert!(rebuilt == clean, "{context}, then a build: {}", difference(&rebuilt, &clean));
        let (pages, kept) = pages_kept(&run.stdout());
        if matches!(edit, Edit::Article | Edit::Touch | Edit::Photo) {
            assert!(kept + 2 >= pages, "{context}, then a build kept {kept} of {pages} pages");
        }
    }
    eprintln!(
        "kill test: {KILLS} builds killed after 0 to {longest:?} (a build takes about {:?}): {landed:?}",
        took[1]
    );

    // Nothing is left beside the output but what builds keep for the next.
    let beside: Vec<String> = std::fs::read_dir(site.root())
        .expect("the site folder")
        .map(|entry| entry.expect("an entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public"))
        .collect();
    for name in &beside {
        let kind = name.strip_prefix(".public.midad-").unwrap_or(name);
        let kept = [
            "manifest",
            "bodies",
            "cards",
            "cards-index",
            "links",
            "postings-0",
            "spare",
            "spare-changes",
        ];
        assert!(kept.contains(&kind), "left beside the output: {name}");
    }
    let temps: Vec<PathBuf> = walk(&site.root().join(".midad-cache"))
        .into_iter()
        .filter(|path| path.to_string_lossy().ends_with("-tmp"))
        .collect();
    eprintln!("kill test: {} half-written variants left in the image cache", temps.len());
}

#[test]
fn a_run_of_edits_built_through_the_spare_output_equals_clean_builds() {
    // Each build after the second brings the output before the last up to date (the spare,
    // beside the output) and swaps it in: every kind of edit, each compared with a clean build.
    let site = busy_site();
    site.build().success();
    let spare = site.root().join(".public.midad-spare");
    let mut edits = Edits::new();
    for (k, edit) in EDITS.iter().chain(EDITS.iter().rev()).chain(&EDITS).enumerate() {
        let before = snapshot(&site.public(""));
        edits.apply(&site, *edit, k);
        site.build().success();
        let built = snapshot(&site.public(""));
        let clean = clean_output(&site);
        assert!(built == clean, "edit {k} ({edit:?}): {}", difference(&built, &clean));
        if built != before {
            // The old output is kept as the spare, but for the folders that moved into the new.
            assert!(spare.is_dir(), "edit {k} ({edit:?}): the old output is kept as the spare");
            let old: std::collections::HashMap<&String, &Vec<u8>> =
                before.iter().map(|(path, bytes)| (path, bytes)).collect();
            let spared = snapshot(&spare);
            let other = spared.iter().find(|(path, bytes)| old.get(path) != Some(&bytes));
            assert!(
                other.is_none(),
                "edit {k} ({edit:?}): {:?} is not the old output's",
                other.map(|f| &f.0)
            );
        }
    }
}

/// A tmpfs or bind mount the test made, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    /// Mounts a tmpfs of `size` (e.g. `4m`) at `dir`, if this machine lets the test.
    fn tmpfs(dir: &Path, size: &str) -> Option<Mount> {
        std::fs::create_dir_all(dir).expect("the mount point");
        let options = format!("size={size}");
        mount(&["-t", "tmpfs", "-o", &options, "tmpfs", &dir.to_string_lossy()])
            .then(|| Mount(dir.to_path_buf()))
    }

    /// Makes the folder `dir` read-only where it is (a read-only bind mount of itself), if this
    /// machine lets the test.
    fn read_only(dir: &Path) -> Option<Mount> {
        let dir_text = dir.to_string_lossy();
        if !mount(&["--bind", &dir_text, &dir_text]) {
            return None;
        }
        let mounted = Mount(dir.to_path_buf());
        mount(&["-o", "remount,ro,bind", &dir_text]).then_some(mounted)
    }

    /// Changes the size of the tmpfs.
    fn resize(&self, size: &str) {
        let options = format!("remount,size={size}");
        assert!(mount(&["-o", &options, &self.0.to_string_lossy()]), "resize the tmpfs");
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Runs `mount` with `args`; whether it worked.
fn mount(args: &[&str]) -> bool {
    Command::new("mount")
        .args(args)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Bytes in use on the file system that holds `dir`.
fn used_bytes(dir: &Path) -> u64 {
    let out = Command::new("df").args(["-B1", "--output=used"]).arg(dir).output().expect("df");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().nth(1).and_then(|line| line.trim().parse().ok()).expect("df prints the bytes used")
}

/// Asserts a build failed on the disk as it should: exit code 1, a first error line that names
/// what could not be written, `cause`, what to do and that the output (`shown` as the command
/// line gave it) is left as it was; the `output` as `before`, and nothing left beside it but what
/// builds keep.
#[track_caller]
fn failed_clearly(
    run: &crate::harness::Run,
    cause: &str,
    shown: &str,
    output: &Path,
    before: &Tree,
) {
    run.fails_with(1);
    let stderr = run.stderr();
    let first = stderr.lines().next().unwrap_or_default();
    assert!(first.starts_with("error: cannot write `"), "{stderr}");
    assert!(first.contains(cause), "no {cause:?} in {first:?}");
    assert!(first.contains("--output"), "no advice in {first:?}");
    let left = format!("the previous output `{shown}` is left as it was");
    assert!(first.contains(&left), "no {left:?} in {first:?}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(snapshot(output) == *before, "the output changed");
    let parent = output.parent().expect("a parent");
    for entry in std::fs::read_dir(parent).expect("the output's folder") {
        let name = entry.expect("an entry").file_name().to_string_lossy().into_owned();
        assert!(!name.contains("staging") && !name.ends_with("-tmp"), "left: {name}");
    }
}

/// Changes every page of the site (its description is on each), so a build has to write the
/// whole output again.
fn change_every_page(site: &SiteTest) {
    let config = std::fs::read_to_string(site.root().join("config.toml")).expect("config");
    site.write("config.toml", &config.replace("موقع صغير", "موقع صغير جدا"));
}

#[test]
fn a_full_disk_fails_clearly_and_leaves_the_output_whole() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let output = site.root().join("public");
    let before = snapshot(&output);
    change_every_page(&site);
    // The disk fills after 20 KB of the new output (injected: this runs everywhere).
    let run = site.run_with_env(&["build"], &[("MIDAD_TEST_FAULT", "full:20000")]);
    failed_clearly(&run, "No space left on device", "./public", &output, &before);
    site.build().success();

    // A real tmpfs that holds the output and not much more, where the test may mount one.
    let disk = site.root().join("disk");
    let Some(mounted) = Mount::tmpfs(&disk, "16m") else {
        eprintln!("no tmpfs (mount is not allowed here): the injected full disk stands for it");
        return;
    };
    let output = disk.join("public");
    let out_arg = output.to_string_lossy().into_owned();
    site.run(&["build", "--output", &out_arg]).success();
    let before = snapshot(&output);
    let output_bytes: u64 = before.iter().map(|(_, bytes)| bytes.len() as u64).sum();
    mounted.resize(&format!("{}", used_bytes(&disk) + output_bytes / 3));
    change_every_page(&site);
    let run = site.run(&["build", "--output", &out_arg]);
    failed_clearly(&run, "No space left on device", &out_arg, &output, &before);
}

#[test]
fn a_read_only_output_folder_fails_clearly_and_leaves_the_output_whole() {
    let site = SiteTest::fixture("basic");
    site.build().success();
    let output = site.root().join("public");
    let before = snapshot(&output);
    change_every_page(&site);
    // Nothing can be made beside the output (injected: this runs everywhere).
    let run = site.run_with_env(&["build"], &[("MIDAD_TEST_FAULT", "read-only")]);
    failed_clearly(&run, "Read-only file system", "./public", &output, &before);

    // A real read-only folder around the output, where the test may mount.
    let folder = site.root().join("out");
    let output = folder.join("public");
    let out_arg = output.to_string_lossy().into_owned();
    site.run(&["build", "--output", &out_arg]).success();
    let before = snapshot(&output);
    let Some(_read_only) = Mount::read_only(&folder) else {
        eprintln!("no bind mount (mount is not allowed here): the injected fault stands for it");
        return;
    };
    change_every_page(&site);
    let run = site.run(&["build", "--output", &out_arg]);
    failed_clearly(&run, "Read-only file system", &out_arg, &output, &before);
}
