//! The `midad` command: parse arguments, run, report, set the exit code.
//!
//! Exit codes: 0 success (and Ctrl-C out of `serve` or `build --watch`), 1 bad input (the site has
//! errors), 2 an internal error. While watching, each rebuild is reported on one line as it
//! happens; a failed rebuild prints its errors and watching goes on.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
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
    if matches!(&cli.command, Command::Build(args) if !args.watch) {
        keep_freed_memory();
    }
    let show = Show::for_command(&cli.command);
    // Whether a build has succeeded yet: a failure then keeps it, else there is nothing to keep.
    let mut built = false;
    let res = midad::run(cli, &mut |event| show.event(event, &mut built));
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
    verbose: bool,
}

impl Show {
    fn for_command(command: &Command) -> Show {
        let (root, format, verbose) = match command {
            Command::Build(args) => (&args.site.root, args.format, args.verbose),
            Command::Check(args) => (&args.site.root, args.format, false),
            Command::Serve(args) => (&args.site.root, Format::Text, false),
        };
        // Colours always: `anstream::stderr` drops them unless it is a terminal without NO_COLOR.
        let failed = match command {
            Command::Check(_) => "check failed",
            _ => "build failed",
        };
        Show { printer: Printer::new(root, true), failed, format, verbose }
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
                let line = format!(
                    "checked {} pages ({} articles){external}: no errors",
                    report.pages, report.articles
                );
                match self.format {
                    Format::Text => println!("{line}"),
                    Format::Json => eprintln!("{line}"),
                }
                ExitCode::SUCCESS
            }
            Ok(Outcome::Stopped) => ExitCode::SUCCESS,
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
            Event::Watching => println!("watching for changes (Ctrl-C to stop)"),
            Event::Rebuilt(report) => {
                *built = true;
                self.diagnostics(&report.warnings, None);
                println!("{}", rebuilt(&report));
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
            for (step, took) in &report.steps {
                let _ = writeln!(stderr, "  {step:<10} {:>8.1} ms", took.as_secs_f64() * 1000.0);
            }
        }
        let images = &report.images;
        let mut lines = Vec::new();
        if images.decoded + images.cached > 0 {
            lines.push(images.summary());
        }
        if let Some(search) = &report.search {
            lines.push(format!(
                "indexed {} articles for search ({} terms, {} files, {} KB)",
                search.documents,
                search.terms,
                search.files,
                search.bytes.div_ceil(1024)
            ));
        }
        lines.push(built(report));
        // With JSON diagnostics, stdout holds nothing else.
        for line in lines {
            match self.format {
                Format::Text => println!("{line}"),
                Format::Json => eprintln!("{line}"),
            }
        }
    }
}

/// `built 120 pages (100 articles, 300 files, skipped 2 drafts, 118 unchanged pages kept) in 90 ms`
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
    format!(
        "built {} pages ({} articles, {} files{}{}) in {} ms",
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
