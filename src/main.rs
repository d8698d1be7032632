//! The `midad` command: parse arguments, run, report, set the exit code.
//!
//! Exit codes: 0 success (and Ctrl-C out of `serve` or `build --watch`), 1 bad input (the site has
//! errors), 2 an internal error. While watching, each rebuild is reported on one line as it
//! happens; a failed rebuild prints its errors and watching goes on.

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use midad::cli::{Cli, Command};
use midad::diagnostics::{Format, Printer, Tally};
use midad::serve::{Event, RebuildReport};
use midad::{BuildReport, Diagnostic, Errors, Outcome};

/// mimalloc: a build allocates and frees millions of small template values across threads, where
/// glibc's malloc and free took a large share of its time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Completions(args) = &cli.command {
        clap_complete::generate(args.shell, &mut Cli::command(), "midad", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    let one_off_build = matches!(&cli.command, Command::Build(args) if !args.watch);
    if one_off_build {
        keep_freed_memory();
    }
    if cli.quiet {
        midad::progress::hide();
    }
    let show = Show::for_command(&cli);
    let bar_verb = match &cli.command {
        Command::Check(_) => Some("checking"),
        _ if one_off_build => Some("building"),
        _ => None,
    };
    let bar = bar_verb.map(BuildBar::start);
    // Whether a build has succeeded yet: a failure then keeps it, else there is nothing to keep.
    let mut built = false;
    let res = midad::run(cli, &mut |event| show.event(event, &mut built));
    drop(bar);
    show.outcome(res)
}

/// Tells mimalloc to keep the memory a one-off build frees instead of giving it back to the OS
/// after a second (its `purge_delay`, -1: never). A build frees what one step made and allocates
/// for the next, and memory given back is faulted in and zeroed again by the kernel when it is
/// used again. The process ends when the build does, so the memory goes back then. `serve` and
/// `build --watch` keep the default: they run for hours.
fn keep_freed_memory() {
    // SAFETY: mimalloc's own function, linked with the allocator above; it sets one of its
    // options, which it reads when it next considers purging. Called before any thread starts.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// `mi_option_purge_delay` in mimalloc.h (v3, the version libmimalloc-sys builds); the sys crate
/// does not name it without its `extended` feature. `tests::the_option_index_is_purge_delay`
/// fails if a new mimalloc moves it.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// How a command's results are shown: diagnostics as text or JSON, step times or not.
struct Show {
    printer: Printer,
    /// What a failure is called: `build failed`, `check failed`.
    failed: &'static str,
    format: Format,
    /// `--quiet`: errors and warnings only. `--verbose`: step times, every file written.
    quiet: bool,
    verbose: bool,
}

impl Show {
    fn for_command(cli: &Cli) -> Show {
        let here = std::path::PathBuf::from(".");
        let (root, format) = match &cli.command {
            Command::Build(args) => (&args.site.root, args.format),
            Command::Check(args) => (&args.site.root, args.format),
            Command::Serve(args) => (&args.site.root, Format::Text),
            Command::New(args) => (&args.root, Format::Text),
            Command::Init(args) => (&args.dir, Format::Text),
            Command::Import(midad::cli::ImportSource::Wordpress(args)) => {
                (&args.into, Format::Text)
            }
            Command::Completions(_) => (&here, Format::Text),
        };
        let failed = match &cli.command {
            Command::Check(_) => "check failed",
            Command::Build(_) | Command::Serve(_) => "build failed",
            Command::Init(_) => "init failed",
            Command::New(_) => "new failed",
            Command::Import(_) => "import failed",
            Command::Completions(_) => "failed",
        };
        // Colours always: `anstream::stderr` drops them unless it is a terminal without NO_COLOR.
        let printer = Printer::new(root, true);
        Show { printer, failed, format, quiet: cli.quiet, verbose: cli.verbose }
    }

    /// Prints a line of what a command did, unless `--quiet` (on stderr when stdout holds JSON).
    fn say(&self, line: &str) {
        match (self.quiet, self.format) {
            (true, _) => {}
            (false, Format::Text) => println!("{line}"),
            (false, Format::Json) => eprintln!("{line}"),
        }
    }

    fn outcome(&self, res: Result<Outcome, Errors>) -> ExitCode {
        match res {
            Ok(Outcome::Built(report)) => {
                self.build(&report);
                ExitCode::SUCCESS
            }
            Ok(Outcome::Checked(report)) => {
                self.diagnostics(&report.warnings, None);
                let external = match report.external {
                    Some(e) => format!(
                        " and {} external links ({} requested, {} from the last day's checks)",
                        e.links, e.requested, e.cached
                    ),
                    None => String::new(),
                };
                self.say(&format!(
                    "checked {} pages ({} articles){external}: no errors",
                    report.pages, report.articles
                ));
                ExitCode::SUCCESS
            }
            Ok(Outcome::Stopped) => ExitCode::SUCCESS,
            Ok(Outcome::Initialised(report)) => {
                self.initialised(&report);
                ExitCode::SUCCESS
            }
            Ok(Outcome::Created { article, open }) => self.created(&article, open),
            Ok(Outcome::Imported(report)) => {
                self.imported(&report);
                ExitCode::SUCCESS
            }
            Err(errors) => {
                self.diagnostics(errors.iter().chain(errors.warnings()), Some(self.failed));
                if errors.iter().any(Diagnostic::is_internal) {
                    ExitCode::from(2)
                } else {
                    ExitCode::from(1)
                }
            }
        }
    }

    fn event(&self, event: Event, built: &mut bool) {
        match event {
            Event::Built(report) => {
                *built = true;
                self.build(&report);
            }
            Event::Listening { url } => println!("serving {url} (Ctrl-C to stop)"),
            Event::Watching => self.say("watching for changes (Ctrl-C to stop)"),
            Event::Rebuilt(report) => {
                *built = true;
                self.diagnostics(&report.warnings, None);
                self.say(&rebuilt(&report));
            }
            Event::Failed(errors) => {
                self.diagnostics(errors.iter().chain(errors.warnings()), Some("rebuild failed"));
                if *built {
                    eprintln!("keeping the last good build; waiting for changes");
                } else {
                    eprintln!("nothing is built yet: fix the errors above; waiting for changes");
                }
            }
        }
    }

    /// Prints `diagnostics` (text on stderr, or JSON lines on stdout), then their count on
    /// stderr, after `{failed}: ` when they failed a build; nothing when there are none.
    fn diagnostics<'a>(
        &self,
        diagnostics: impl IntoIterator<Item = &'a Diagnostic> + Clone,
        failed: Option<&str>,
    ) {
        let tally = Tally::of(diagnostics.clone());
        if tally == Tally::default() {
            return;
        }
        let tally = match failed {
            Some(failed) => format!("{failed}: {tally}"),
            None => tally.to_string(),
        };
        match self.format {
            Format::Text => {
                let text = self.printer.text(diagnostics);
                let _ = write!(anstream::stderr(), "{text}\n{tally}\n");
            }
            Format::Json => {
                let _ = write!(std::io::stdout().lock(), "{}", Printer::json(diagnostics));
                eprintln!("{tally}");
            }
        }
    }

    fn build(&self, report: &BuildReport) {
        self.diagnostics(&report.warnings, None);
        if self.verbose {
            let mut stderr = std::io::stderr().lock();
            for step in &report.steps {
                let ms = step.took.as_secs_f64() * 1000.0;
                let _ = match step.resident_kib {
                    Some(kib) => {
                        writeln!(stderr, "  {:<10} {ms:>8.1} ms {:>6} MB", step.name, kib / 1024)
                    }
                    None => writeln!(stderr, "  {:<10} {ms:>8.1} ms", step.name),
                };
            }
        }
        let images = &report.images;
        let mut lines = Vec::new();
        if images.decoded + images.cached > 0 {
            lines.push(images.summary());
        }
        if let Some(search) = &report.search {
            lines.push(format!(
                "indexed {} articles for search ({} terms, {} files, {} KB{}{})",
                search.documents,
                search.terms,
                search.files,
                search.bytes.div_ceil(1024),
                match search.kept {
                    0 => String::new(),
                    kept => format!("; {kept} files unchanged, kept"),
                },
                match search.documents - search.inverted {
                    0 => String::new(),
                    carried => format!("; {carried} from the last build's postings"),
                }
            ));
        }
        lines.push(built(report));
        // With JSON diagnostics, stdout holds nothing else.
        for line in lines {
            self.say(&line);
        }
    }
}

/// What `init`, `new` and `import` report.
impl Show {
    fn initialised(&self, report: &midad::start::InitReport) {
        if self.verbose {
            for file in &report.files {
                println!("  wrote {}", file.display());
            }
        }
        if self.quiet {
            return;
        }
        let dir = report.dir.display();
        println!("made a site in {dir}. Next:");
        if report.dir != std::path::Path::new(".") {
            println!("  cd {dir}");
        }
        println!("  midad serve                   # preview it while you write");
        println!("  midad new \"عنوان الخبر\"        # write an article");
    }

    /// Prints the new article's path (even with `--quiet`: it is what the command gives), then
    /// opens it when asked.
    fn created(&self, article: &midad::start::NewArticle, open: bool) -> ExitCode {
        println!("{}", article.path.display());
        if !open {
            return ExitCode::SUCCESS;
        }
        let editor = std::env::var_os("VISUAL").or_else(|| std::env::var_os("EDITOR"));
        let Some(editor) = editor.filter(|e| !e.is_empty()) else {
            eprintln!("error: --open needs $VISUAL or $EDITOR to name an editor");
            return ExitCode::from(1);
        };
        // `EDITOR="code --wait"`: the first word is the program, the rest its arguments.
        let editor = editor.to_string_lossy().into_owned();
        let mut words = editor.split_whitespace();
        let program = words.next().unwrap_or_default();
        match std::process::Command::new(program).args(words).arg(&article.path).status() {
            Ok(status) if status.success() => ExitCode::SUCCESS,
            Ok(status) => {
                eprintln!("error: the editor `{editor}` exited with {status}");
                ExitCode::from(1)
            }
            Err(err) => {
                eprintln!("error: could not start the editor `{editor}`: {err}");
                ExitCode::from(1)
            }
        }
    }

    fn imported(&self, report: &midad::import::wordpress::Report) {
        if self.quiet {
            return;
        }
        println!(
            "imported {} articles ({} drafts) in {} sections with {} tags, {} aliases for old addresses",
            report.articles, report.drafts, report.sections, report.tags, report.aliases
        );
        println!(
            "media: {} uploads copied to static/uploads/, {} addresses still point at the old site",
            report.media_copied, report.media_remote
        );
        if report.raw_blocks > 0 {
            println!(
                "{} blocks of HTML kept as they were (their Markdown would differ)",
                report.raw_blocks
            );
        }
        for (what, count) in &report.skipped {
            println!("skipped {count} {what}");
        }
        if !report.authors.is_empty() {
            println!(
                "authors to complete in data/authors.toml (`gender`, for the byline): {}",
                report.authors.join(", ")
            );
        }
        if let Some(file) = &report.redirects_file {
            println!(
                "`/?p=ID` links need a server rule: {} maps them (see README)",
                file.display()
            );
        }
        if !report.wrote_config {
            println!("kept the site's config.toml");
        }
        const SHOWN: usize = 20;
        for note in report.notes.iter().take(if self.verbose { usize::MAX } else { SHOWN }) {
            println!("note: {note}");
        }
        if !self.verbose && report.notes.len() > SHOWN {
            println!("… and {} more notes (--verbose shows them all)", report.notes.len() - SHOWN);
        }
    }
}

/// A bar on standard error for a build or check that takes longer than a second: what it is
/// doing (`verb`), the time so far and the last step finished. Nothing when stderr is not a
/// terminal, or with `--quiet`.
struct BuildBar {
    done: std::sync::mpsc::Sender<()>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl BuildBar {
    fn start(verb: &'static str) -> BuildBar {
        let (done, finished) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let wait = |ms| finished.recv_timeout(std::time::Duration::from_millis(ms));
            if !matches!(wait(1000), Err(std::sync::mpsc::RecvTimeoutError::Timeout)) {
                return;
            }
            let Some(bars) = midad::progress::bars() else { return };
            let bar = bars.add(indicatif::ProgressBar::new_spinner());
            let template = format!("{{spinner}} {verb} {{elapsed}} {{msg}}");
            let style = indicatif::ProgressStyle::with_template(&template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
            bar.set_style(style);
            while matches!(wait(100), Err(std::sync::mpsc::RecvTimeoutError::Timeout)) {
                let last = midad::progress::last_step();
                if !last.is_empty() {
                    bar.set_message(format!("· done: {last}"));
                }
                bar.tick();
            }
            bar.finish_and_clear();
        });
        BuildBar { done, thread: Some(thread) }
    }
}

impl Drop for BuildBar {
    fn drop(&mut self) {
        let _ = self.done.send(());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `built 120 pages (100 articles, 2 redirects, 300 files, skipped 2 drafts, 118 unchanged pages
/// kept) in 90 ms`
fn built(report: &BuildReport) -> String {
    let mut skipped = Vec::new();
    if report.skipped_drafts > 0 {
        skipped.push(format!("{} drafts", report.skipped_drafts));
    }
    if report.skipped_future > 0 {
        skipped.push(format!("{} embargoed", report.skipped_future));
    }
    let skipped = if skipped.is_empty() {
        String::new()
    } else {
        format!(", skipped {}", skipped.join(" and "))
    };
    // Pages whose inputs did not change since the last build were kept, not rendered.
    let kept = report.pages.saturating_sub(report.rendered_pages);
    let kept = if kept > 0 { format!(", {kept} unchanged pages kept") } else { String::new() };
    let redirects = match report.redirects {
        0 => String::new(),
        1 => ", 1 redirect".to_string(),
        n => format!(", {n} redirects"),
    };
    format!(
        "built {} pages ({} articles{redirects}, {} files{}{}) in {} ms",
        report.pages,
        report.articles,
        report.files,
        skipped,
        kept,
        report.elapsed.as_millis()
    )
}

/// `rebuilt content/politics/x.md: 14 pages re-rendered, 3 files changed in 41 ms`
fn rebuilt(report: &RebuildReport) -> String {
    const SHOWN: usize = 3;
    let mut what: Vec<String> =
        report.changes.iter().take(SHOWN).map(ToString::to_string).collect();
    if report.changes.len() > SHOWN {
        what.push(format!("{} more", report.changes.len() - SHOWN));
    }
    format!(
        "rebuilt {}: {} page{} re-rendered, {} file{} changed in {} ms",
        what.join(", "),
        report.rendered_pages,
        if report.rendered_pages == 1 { "" } else { "s" },
        report.changed_files,
        if report.changed_files == 1 { "" } else { "s" },
        report.elapsed.as_millis()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" {
        fn mi_version() -> std::ffi::c_int;
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    }

    /// Option 15 is `purge_delay` in mimalloc 3 (mimalloc.h), whose default is 1,000 ms
    /// (options.c; the header's comment says 10) and no neighbour's is: a mimalloc of another
    /// major version, or an enum in another order, fails here before a build sets the wrong
    /// option.
    #[test]
    fn the_option_index_is_purge_delay() {
        // SAFETY: mimalloc's own functions, linked with the allocator; both only read.
        let (version, delay) = unsafe { (mi_version(), mi_option_get(MI_OPTION_PURGE_DELAY)) };
        assert_eq!(version / 10_000, 3, "mimalloc {version}: check MI_OPTION_PURGE_DELAY");
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(delay, 1000, "option {MI_OPTION_PURGE_DELAY} is not purge_delay");
        }
    }
}
