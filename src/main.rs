//! The `midad` command: parse arguments, run, report, set the exit code.
//!
//! Exit codes: 0 success (and Ctrl-C out of `serve` or `build --watch`), 1 bad input (the site has
//! errors), 2 an internal error. While watching, each rebuild is reported on one line as it
//! happens; a failed rebuild prints its errors and watching goes on.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use midad::cli::{Cli, Command};
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
    let verbose = matches!(&cli.command, Command::Build(args) if args.verbose);
    // Whether a build has succeeded yet: a failure then keeps it, else there is nothing to keep.
    let mut built = false;
    let res = midad::run(cli, &mut |event| print_event(event, verbose, &mut built));
    report(res, verbose)
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

fn report(res: Result<Outcome, Errors>, verbose: bool) -> ExitCode {
    match res {
        Ok(Outcome::Built(report)) => {
            print_build(&report, verbose);
            ExitCode::SUCCESS
        }
        Ok(Outcome::Stopped) => ExitCode::SUCCESS,
        Err(errors) => {
            print_errors(&errors, "build failed");
            if errors.iter().any(Diagnostic::is_internal) {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn print_event(event: Event, verbose: bool, built: &mut bool) {
    match event {
        Event::Built(report) => {
            *built = true;
            print_build(&report, verbose);
        }
        Event::Listening { url } => println!("serving {url} (Ctrl-C to stop)"),
        Event::Watching => println!("watching for changes (Ctrl-C to stop)"),
        Event::Rebuilt(report) => {
            *built = true;
            print_rebuild(&report);
        }
        Event::Failed(errors) => {
            print_errors(&errors, "rebuild failed");
            if *built {
                eprintln!("keeping the last good build; waiting for changes");
            } else {
                eprintln!("nothing is built yet: fix the errors above; waiting for changes");
            }
        }
    }
}

fn print_build(report: &BuildReport, verbose: bool) {
    let mut stderr = std::io::stderr().lock();
    for warning in &report.warnings {
        let _ = writeln!(stderr, "{}: {warning}", warning.severity);
    }
    if verbose {
        for (step, took) in &report.steps {
            let _ = writeln!(stderr, "  {step:<10} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
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
    let images = &report.images;
    if images.decoded + images.cached > 0 {
        println!("{}", images.summary());
    }
    if let Some(search) = &report.search {
        println!(
            "indexed {} articles for search ({} terms, {} files, {} KB)",
            search.documents,
            search.terms,
            search.files,
            search.bytes.div_ceil(1024)
        );
    }
    // Pages whose inputs did not change since the last build were kept, not rendered.
    let kept = report.pages.saturating_sub(report.rendered_pages);
    let kept = if kept > 0 { format!(", {kept} unchanged pages kept") } else { String::new() };
    println!(
        "built {} pages ({} articles, {} files{}{}) in {} ms",
        report.pages,
        report.articles,
        report.files,
        skipped,
        kept,
        report.elapsed.as_millis()
    );
}

/// `rebuilt content/politics/x.md: 14 pages re-rendered, 3 files changed in 41 ms`
fn print_rebuild(report: &RebuildReport) {
    for warning in &report.warnings {
        eprintln!("{}: {warning}", warning.severity);
    }
    const SHOWN: usize = 3;
    let mut what: Vec<String> =
        report.changes.iter().take(SHOWN).map(ToString::to_string).collect();
    if report.changes.len() > SHOWN {
        what.push(format!("{} more", report.changes.len() - SHOWN));
    }
    println!(
        "rebuilt {}: {} page{} re-rendered, {} file{} changed in {} ms",
        what.join(", "),
        report.rendered_pages,
        if report.rendered_pages == 1 { "" } else { "s" },
        report.changed_files,
        if report.changed_files == 1 { "" } else { "s" },
        report.elapsed.as_millis()
    );
}

fn print_errors(errors: &Errors, what: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{errors}");
    let n = errors.len();
    let _ = writeln!(stderr, "{what}: {n} error{}", if n == 1 { "" } else { "s" });
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
