//! The `midad` command: parse arguments, run, report, set the exit code.
//!
//! Exit codes: 0 success, 1 bad input (the site has errors), 2 an internal error.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use midad::cli::{Cli, Command};
use midad::{Errors, Outcome};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let verbose = matches!(&cli.command, Command::Build(args) if args.verbose);
    report(midad::run(cli), verbose)
}

fn report(res: Result<Outcome, Errors>, verbose: bool) -> ExitCode {
    let mut stderr = std::io::stderr().lock();
    match res {
        Ok(Outcome::Built(report)) => {
            for warning in &report.warnings {
                let _ = writeln!(stderr, "warning: {warning}");
            }
            if verbose {
                for (step, took) in &report.steps {
                    let _ =
                        writeln!(stderr, "  {step:<10} {:>8.1} ms", took.as_secs_f64() * 1000.0);
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
            println!(
                "built {} pages ({} articles, {} files{}) in {} ms",
                report.pages,
                report.articles,
                report.files,
                skipped,
                report.elapsed.as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(errors) => {
            let _ = writeln!(stderr, "{errors}");
            let n = errors.0.len();
            let _ = writeln!(stderr, "build failed: {n} error{}", if n == 1 { "" } else { "s" });
            if errors.0.iter().any(midad::Error::is_internal) {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
