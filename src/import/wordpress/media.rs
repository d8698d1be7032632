//! The old site's uploads: which addresses are uploads, where they are in the `--media` folder,
//! and which ones the imported articles use (copied into `static/uploads/` at the end).

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::body::MediaLinks;
use super::wxr::Export;
use crate::error::Diagnostic;

/// Where every upload address is in the uploads folder, and what the import used.
pub(super) struct Media<'a> {
    /// The `--media` folder, when given.
    dir: Option<&'a Path>,
    /// Attachment id → its address and caption.
    attachments: HashMap<u64, (String, Option<String>)>,
    /// Paths under the uploads folder that articles use and the folder has.
    used: RefCell<BTreeSet<String>>,
    /// Upload addresses left pointing at the old site (no `--media`, or not in it).
    remote: RefCell<BTreeSet<String>>,
}

/// Where uploads are in a WordPress site's addresses.
const UPLOADS: &str = "/wp-content/uploads/";

impl<'a> Media<'a> {
    pub(super) fn new(export: &Export, dir: Option<&'a Path>) -> Media<'a> {
        let attachments = export
            .items
            .iter()
            .filter(|item| item.post_type == "attachment" && !item.attachment_url.is_empty())
            .map(|item| {
                let caption = Some(item.excerpt.trim().to_string()).filter(|c| !c.is_empty());
                (item.id, (item.attachment_url.clone(), caption))
            })
            .collect();
        Media { dir, attachments, used: RefCell::default(), remote: RefCell::default() }
    }

    /// The address and alt text of attachment `id` (a featured image).
    pub(super) fn featured(&self, id: u64, alt: Option<&str>) -> Option<(String, Option<String>)> {
        let (url, _) = self.attachments.get(&id)?;
        let address = self.rewrite(url).unwrap_or_else(|| url.clone());
        Some((address, alt.map(str::to_string).filter(|a| !a.trim().is_empty())))
    }

    /// Copies every used upload into `into/static/uploads/`; returns how many.
    pub(super) fn copy_used(&self, into: &Path) -> Result<usize, Diagnostic> {
        let Some(dir) = self.dir else { return Ok(0) };
        let used = self.used.borrow();
        for rel in used.iter() {
            let to = into.join("static/uploads").join(rel);
            let shown = Path::new("static/uploads").join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| Diagnostic::write(&shown, e))?;
            }
            std::fs::copy(dir.join(rel), &to).map_err(|e| Diagnostic::write(&shown, e))?;
        }
        Ok(used.len())
    }

    /// How many upload addresses still point at the old site.
    pub(super) fn remote(&self) -> usize {
        self.remote.borrow().len()
    }
}

impl MediaLinks for Media<'_> {
    fn rewrite(&self, url: &str) -> Option<String> {
        let rel = upload_path(url)?;
        match self.dir {
            Some(dir) if dir.join(&rel).is_file() => {
                let address = format!("/uploads/{rel}");
                self.used.borrow_mut().insert(rel);
                Some(address)
            }
            _ => {
                self.remote.borrow_mut().insert(rel);
                None
            }
        }
    }

    fn attachment(&self, id: u64) -> Option<(String, Option<String>)> {
        self.attachments.get(&id).cloned()
    }
}

/// The path under the uploads folder of an upload's address (`…/wp-content/uploads/2024/03/a.jpg`
/// → `2024/03/a.jpg`), decoded, without query or fragment; None for anything else or a path
/// that climbs out (`..`).
fn upload_path(url: &str) -> Option<String> {
    let at = url.find(UPLOADS)? + UPLOADS.len();
    let rel = url[at..].split(['?', '#']).next().unwrap_or("");
    let rel = percent_encoding::percent_decode_str(rel).decode_utf8().ok()?;
    let safe = !rel.is_empty()
        && rel.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
        && !rel.contains('\\');
    safe.then(|| rel.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_paths() {
        let check = |url: &str, expect: Option<&str>| {
            assert_eq!(upload_path(url).as_deref(), expect, "{url}");
        };
        check("https://akhbar.example/wp-content/uploads/2024/03/a.jpg", Some("2024/03/a.jpg"));
        check(
            "http://i0.wp.com/akhbar.example/wp-content/uploads/2024/03/a.jpg?w=800",
            Some("2024/03/a.jpg"),
        );
        check("/wp-content/uploads/2024/03/%D8%B5%D9%88%D8%B1%D8%A9.jpg", Some("2024/03/صورة.jpg"));
        check("https://akhbar.example/wp-content/uploads/../../etc/passwd", None);
        check("https://akhbar.example/wp-content/uploads/", None);
        check("https://akhbar.example/2024/03/a.jpg", None);
    }
}
