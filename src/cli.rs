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

/// `midad --version`: the version and the commit it was built from.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("MIDAD_COMMIT"), ")");

/// midad: an Arabic-first static site generator for news sites.
#[derive(Debug, Parser)]
#[command(name = "midad", version = VERSION, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors and warnings.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: the time of each build step, every file a command writes.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a site: config, a section with an article, authors, the built-in theme.
    Init(InitArgs),
    /// Write a new article with its front matter filled, and print its path.
    New(NewArgs),
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Check the site: load and render everything as `build` would, write nothing, report every
    /// error and warning.
    Check(CheckArgs),
    /// Preview the site: build it in memory, serve it on loopback, rebuild and reload on every
    /// save.
    Serve(ServeArgs),
    /// Move a site in from another system.
    #[command(subcommand)]
    Import(ImportSource),
    /// Print the completion script of a shell: `midad completions bash > ~/.local/share/bash-completion/completions/midad`.
    Completions(CompletionsArgs),
}

/// Arguments of `midad init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder of the new site (made when missing; the current folder by default).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write into a folder that is not empty (files midad writes are replaced; others stay).
    #[arg(long)]
    pub force: bool,
    /// Copy the built-in theme into themes/akhbar/ to edit it, instead of using it from inside
    /// midad.
    #[arg(long)]
    pub theme_copy: bool,
}

/// Arguments of `midad new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The headline; the file is named by its slug, as the build makes it.
    pub title: String,
    /// The section (a folder under content/); needed when the site has more than one.
    #[arg(long, short)]
    pub section: Option<String>,
    /// The author's key in data/authors.toml.
    #[arg(long, short)]
    pub author: Option<String>,
    /// Make a bundle, `<slug>/index.md`, to keep photos beside the article.
    #[arg(long)]
    pub bundle: bool,
    /// Open the new article in $VISUAL or $EDITOR.
    #[arg(long)]
    pub open: bool,
    /// The site folder (holds config.toml and content/).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

/// Where `midad import` moves a site from.
#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// A WordPress export (Tools → Export → All content in the WordPress dashboard).
    Wordpress(WordpressArgs),
}

/// Arguments of `midad import wordpress`.
#[derive(Debug, clap::Args)]
pub struct WordpressArgs {
    /// The export file (WXR, `.xml`).
    pub export: PathBuf,
    /// The site folder to write into (made when missing; the current folder by default).
    #[arg(long, default_value = ".")]
    pub into: PathBuf,
    /// The uploads folder of the old site (`wp-content/uploads`): images the articles use are
    /// copied into static/uploads/ and their addresses rewritten.
    #[arg(long)]
    pub media: Option<PathBuf>,
    /// Write into a site that already has articles (files of the same name are replaced).
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `midad completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
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
    /// How many megabytes the pages kept rendered may take; the least recently opened go first.
    #[arg(long, value_name = "MB", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..))]
    pub page_cache: u32,
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
            page_cache: usize::try_from(self.page_cache)
                .unwrap_or(usize::MAX)
                .saturating_mul(1 << 20),
        }
    }
}

impl BuildArgs {
    /// The options of the build these arguments ask for.
    pub fn options(&self) -> BuildOptions {
        self.site.build_options(self.output.as_ref(), self.base_url.as_ref())
    }
}

impl InitArgs {
    /// The options of the site these arguments ask for.
    pub fn options(&self) -> crate::start::InitOptions {
        crate::start::InitOptions {
            dir: self.dir.clone(),
            force: self.force,
            theme_copy: self.theme_copy,
            now: None,
        }
    }
}

impl NewArgs {
    /// The options of the article these arguments ask for.
    pub fn options(&self) -> crate::start::NewOptions {
        crate::start::NewOptions {
            root: self.root.clone(),
            title: self.title.clone(),
            section: self.section.clone(),
            author: self.author.clone(),
            bundle: self.bundle,
            now: None,
        }
    }
}

impl WordpressArgs {
    /// The options of the import these arguments ask for.
    pub fn options(&self) -> crate::import::wordpress::ImportOptions {
        crate::import::wordpress::ImportOptions {
            export: self.export.clone(),
            into: self.into.clone(),
            media: self.media.clone(),
            force: self.force,
        }
    }
}
