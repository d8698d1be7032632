//! midad (مداد) turns a folder of Markdown news articles into a complete static Arabic news site.
//!
//! The data flows one way: `config` → `content` (front matter, slugs, URLs) → `markdown` →
//! `taxonomy` → `templates` → `render` → `output`, wired together by `pipeline::build`. `arabic` is
//! a pure leaf of text functions (slugs, dates, digits, direction, reading time) that any module
//! may use; `error` holds the typed errors with their locations. The CLI edge (`main.rs`) parses
//! arguments, calls [`run`] and renders what comes back; library code never prints.

pub mod arabic;
pub mod cli;
pub mod config;
pub mod content;
pub mod data;
pub mod error;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod related;
pub mod render;
pub mod taxonomy;
pub mod templates;

pub use error::{Error, Errors, Location};
pub use pipeline::{BuildOptions, BuildReport, build};

/// What a command did, for the CLI edge to report.
#[derive(Debug)]
pub enum Outcome {
    /// A finished build.
    Built(BuildReport),
}

/// Runs a parsed command line.
pub fn run(cli: cli::Cli) -> Result<Outcome, Errors> {
    match cli.command {
        cli::Command::Build(args) => build(&args.options()).map(Outcome::Built),
    }
}
