//! midad (مداد) turns a folder of Markdown news articles into a complete static Arabic news site.
//!
//! The data flows one way: `config` → `content` (front matter, slugs, URLs) → `markdown` →
//! `taxonomy` → `templates` → `render` → `output`, wired together by `pipeline::build`. `arabic` is
//! a pure leaf of text functions (slugs, dates, digits, direction, reading time) that any module
//! may use; `error` holds the diagnostics (errors and warnings) with what they point at. `serve`
//! sits on top of `pipeline`: it watches the site, rebuilds on every change, and serves the build
//! from memory with live reload (`midad serve`) or rewrites the output (`midad build --watch`).
//! The CLI edge (`main.rs`) parses arguments, calls [`run`] and renders what comes back; library
//! code never prints.

pub mod arabic;
pub mod cache;
pub mod card_cache;
pub mod cli;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostics;
pub mod error;
pub(crate) mod file;
pub mod fingerprint;
pub mod images;
pub mod import;
pub mod links;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod related;
pub mod render;
pub(crate) mod scan;
pub mod search;
pub mod serve;
pub mod start;
pub mod syntax;
pub mod taxonomy;
pub mod templates;
pub mod theme;

pub use error::{Diagnostic, Errors, Kind, Location, Origin, Severity};
pub use pipeline::{BuildOptions, BuildReport, build, check};

/// What a command did, for the CLI edge to report.
#[derive(Debug)]
pub enum Outcome {
    /// A finished build.
    Built(BuildReport),
    /// A finished check: the site would build.
    Checked(BuildReport),
    /// `serve` or `build --watch` stopped on Ctrl-C.
    Stopped,
    /// `midad init` made a site.
    Initialised(start::InitReport),
    /// `midad new` wrote an article; `open`: the user asked to edit it now.
    Created {
        /// The article.
        article: start::NewArticle,
        /// Whether to open it in the user's editor.
        open: bool,
    },
    /// `midad import` wrote a site.
    Imported(import::wordpress::Report),
}

/// Runs a parsed command line. Long-running commands (`serve`, `build --watch`) report what
/// happens along the way to `on_event`, for the edge to print.
pub fn run(cli: cli::Cli, on_event: &mut dyn FnMut(serve::Event)) -> Result<Outcome, Errors> {
    match cli.command {
        cli::Command::Build(args) if args.watch => {
            serve::build_and_watch(&args.options(), on_event).map(|()| Outcome::Stopped)
        }
        cli::Command::Build(args) => build(&args.options()).map(Outcome::Built),
        cli::Command::Check(args) => check(&args.options(), args.external).map(Outcome::Checked),
        cli::Command::Serve(args) => {
            serve::serve(&args.options(), on_event).map(|()| Outcome::Stopped)
        }
        cli::Command::Init(args) => start::init(&args.options()).map(Outcome::Initialised),
        cli::Command::New(args) => start::new_article(&args.options())
            .map(|article| Outcome::Created { article, open: args.open }),
        cli::Command::Import(cli::ImportSource::Wordpress(args)) => {
            import::wordpress::import(&args.options()).map(Outcome::Imported)
        }
        // The edge prints them from the description of the commands, which it holds.
        cli::Command::Completions(_) => Ok(Outcome::Stopped),
    }
}
