//! `midad import wordpress EXPORT.xml`: a WordPress export (WXR) to a midad site.
//!
//! Posts become articles (drafts, pending and private posts as `draft = true`, trashed ones are
//! left out) in the section of their primary category; their other categories and their tags
//! become tags; users become `data/authors.toml`; dates keep the offset the old site published
//! them at; the featured image becomes `image`; bodies become Markdown where it renders back to
//! the same content (`body`); and every old permalink becomes an alias, so no inbound link breaks.
//! With `--media`, the uploads the articles use are copied into `static/uploads/` and their
//! addresses rewritten. Nothing is written until the whole export has been read.

pub mod body;
mod headings;
mod media;
mod report;
mod site;
mod wxr;

pub use report::{ImportOptions, Report};

use crate::error::{Diagnostic, Errors, Kind, Origin};

/// Imports the export named in `opts`.
pub fn import(opts: &ImportOptions) -> Result<Report, Errors> {
    let one = |d: Diagnostic| Errors::new(vec![d]);
    let text = std::fs::read_to_string(&opts.export)
        .map_err(|e| one(Diagnostic::read(&opts.export, e)))?;
    let export = wxr::parse(&opts.export, &text).map_err(one)?;
    if let Some(media) = &opts.media
        && !media.is_dir()
    {
        let message = format!("`{}` is not a folder", media.display());
        return Err(one(Diagnostic::new(Kind::Command, Origin::Flag("--media"), message)
            .with_hint("give the old site's wp-content/uploads folder")));
    }
    refuse_existing_articles(opts).map_err(one)?;
    site::write(opts, &export).map_err(one)
}

/// An error when the site folder already has articles, unless `--force`.
fn refuse_existing_articles(opts: &ImportOptions) -> Result<(), Diagnostic> {
    let content = opts.into.join("content");
    let has_articles = walkdir::WalkDir::new(&content).into_iter().flatten().any(|entry| {
        entry.file_type().is_file() && entry.path().extension() == Some("md".as_ref())
    });
    if has_articles && !opts.force {
        let message = format!("`{}` already has articles", content.display());
        return Err(Diagnostic::new(Kind::Command, Origin::Flag("--into"), message).with_hint(
            "import into a new folder, or add `--force` to write beside them (files of the \
             same name are replaced)",
        ));
    }
    Ok(())
}
