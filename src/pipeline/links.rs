//! The build's look at what article bodies point at inside the site (`crate::links`), among
//! the files it made.

use std::collections::HashMap;
use std::path::Path;

use crate::error::Diagnostic;
use crate::images::Photos;
use crate::links::internal::{self, Base, Outputs, Page};
use crate::output::{Contents, OutputFile, Staging};

use super::model::Model;

/// The files of a build, as the link check asks about them.
struct Made<'a> {
    files: HashMap<&'a str, &'a Contents>,
    /// Where a one-off build wrote the pages it rendered.
    staging: Option<&'a Staging>,
    photos: &'a Photos,
}

impl Outputs for Made<'_> {
    fn has(&self, path: &str) -> bool {
        self.files.contains_key(path) || self.photos.has(path, "")
    }

    fn html(&self, path: &str) -> Option<String> {
        let bytes = match self.files.get(path)? {
            Contents::Bytes(bytes) => return String::from_utf8(bytes.to_vec()).ok(),
            Contents::Staged { .. } => std::fs::read(self.staging?.staged_path(path)),
            Contents::Copy(from) | Contents::Keep(from) | Contents::Link(from) => {
                std::fs::read(from)
            }
        };
        bytes.ok().and_then(|bytes| String::from_utf8(bytes).ok())
    }

    fn has_image(&self, url: &str, folder: &str) -> bool {
        self.photos.has(url, folder)
    }
}

/// The internal links, images and anchors of every article body that lead nowhere among
/// `files`: errors when `as_error` (`midad check`), else warnings.
pub(super) fn problems(
    model: &Model,
    files: &[OutputFile],
    staging: Option<&Staging>,
    as_error: bool,
) -> Vec<Diagnostic> {
    let made = Made {
        files: files.iter().map(|file| (file.path.as_str(), &file.contents)).collect(),
        staging,
        photos: &model.photos,
    };
    let pages = model.library.articles.iter().zip(&model.bodies);
    let pages = pages.filter(|(_, body)| !body.references.is_empty()).map(|(article, body)| Page {
        source: Path::new("content").join(&article.source),
        folder: &article.path,
        body_line: article.body_line,
        references: &body.references,
    });
    let base = Base { url: &model.config.base_url, path: &model.config.base_path };
    internal::check(pages, &made, &base, as_error)
}
