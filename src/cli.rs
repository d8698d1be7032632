//! Command-line arguments (clap), turned into typed options for the library.
//!
//! Paths are resolved here, once: the site root defaults to the current folder and the output to
//! `public/` under it. Nothing below this module sees raw arguments.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::diagnostics::Format;
use crate::pipeline::BuildOptions;
use crate::serve::ServeOptions;

/// midad: an Arabic-first static site generator for news sites.
#[derive(Debug, Parser)]
#[command(name = "midad", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Check the site: load and render everything as `build` would, write nothing, report every
    /// error and warning.
    Check(CheckArgs),
    /// Preview the site: build it in memory, serve it on loopback, rebuild and reload on every
    /// save.
    Serve(ServeArgs),
}

/// The site a command works on, and which of its articles are in it: shared by every command.
#[derive(Debug, clap::Args)]
pub struct SiteArgs {
    /// The site folder (holds config.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Include drafts.
    #[arg(long)]
    pub drafts: bool,
    /// Include articles dated in the future (embargoed).
    #[arg(long)]
    pub future: bool,
}

impl SiteArgs {
    /// The options of a build of this site into `output` (default: public/ in the site folder).
    fn build_options(&self, output: Option<&PathBuf>, base_url: Option<&String>) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: output.cloned().unwrap_or_else(|| self.root.join("public")),
            drafts: self.drafts,
            future: self.future,
            base_url: base_url.cloned(),
            now: None,
        }
    }
}

/// Arguments of `midad build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site and which articles are in it.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (default: public/ in the site folder).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Override base_url of config.toml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Print the time of each build step.
    #[arg(long, short)]
    pub verbose: bool,
    /// After building, watch the site and rebuild the output on every change (Ctrl-C stops).
    #[arg(long)]
    pub watch: bool,
    /// How errors and warnings are printed: `text` for people, `json` (one object per line, on
    /// stdout) for CI annotations.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
}

/// Arguments of `midad check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site and which articles are in it.
    #[command(flatten)]
    pub site: SiteArgs,
    /// Override base_url of config.toml.
    #[arg(long)]
    pub base_url: Option<String>,
    /// How errors and warnings are printed: `text` for people, `json` (one object per line, on
    /// stdout) for CI annotations.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Also check links to other sites (HEAD, then GET; results kept for a day beside the
    /// output folder). A network error is reported, never a failure.
    #[arg(long)]
    pub external: bool,
}

impl CheckArgs {
    /// The options of the build this check renders (its output folder is never written).
    pub fn options(&self) -> BuildOptions {
        self.site.build_options(None, self.base_url.as_ref())
    }
}

/// Arguments of `midad serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site and which articles are in it.
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on; anything but loopback exposes the preview to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The port; when it is taken, the next free one of the ten after it. 0: any free port.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
}

impl ServeArgs {
    /// The options of the preview these arguments ask for.
    pub fn options(&self) -> ServeOptions {
        ServeOptions {
            root: self.site.root.clone(),
            bind: self.bind,
            port: self.port,
            drafts: self.site.drafts,
            future: self.site.future,
            open: self.open,
        }
    }
}

impl BuildArgs {
    /// The options of the build these arguments ask for.
    pub fn options(&self) -> BuildOptions {
        self.site.build_options(self.output.as_ref(), self.base_url.as_ref())
    }
}
