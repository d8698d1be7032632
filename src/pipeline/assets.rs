//! The files a build copies as they are: the theme's and the site's `static/` folders and the
//! assets of article bundles, merged with the rendered files.

use std::collections::BTreeSet;
use std::path::Path;

use walkdir::WalkDir;

use crate::config::Config;
use crate::content::{self, Library};
use crate::output::OutputFile;

/// Static files of the theme and the site, and the assets of article bundles.
pub(super) fn static_files(root: &Path, config: &Config, library: &Library) -> Vec<OutputFile> {
    let mut files = std::collections::BTreeMap::new();
    // The theme's folder was found (or written out) when its templates were loaded.
    let theme = crate::theme::folder(root, &config.images.cache, &config.theme).ok().flatten();
    let theme = theme.map(|folder| root.join(folder).join("static"));
    for dir in theme.into_iter().chain([root.join("static")]) {
        for entry in WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
            if !entry.file_type().is_file()
                || content::is_ignored_name(&entry.file_name().to_string_lossy())
            {
                continue;
            }
            let Ok(rel) = entry.path().strip_prefix(&dir) else { continue };
            let Some(rel) = rel.to_str() else { continue };
            files.insert(rel.replace('\\', "/"), entry.path().to_path_buf());
        }
    }
    for article in &library.articles {
        let Some(bundle) = article.bundle_dir() else { continue };
        for asset in &article.assets {
            let Ok(rel) = asset.strip_prefix(bundle) else { continue };
            let Some(rel) = rel.to_str() else { continue };
            files.insert(
                format!("{}{}", article.path, rel.replace('\\', "/")),
                root.join("content").join(asset),
            );
        }
    }
    files.into_iter().map(|(path, source)| OutputFile::copy(path, source)).collect()
}

/// The copied files but JPEG, PNG and WebP images: the build ships those processed (upright,
/// without metadata, no larger than the widest variant), or, when unreadable, not at all.
pub(super) fn without_photos(mut copies: Vec<OutputFile>) -> Vec<OutputFile> {
    copies.retain(|f| !crate::images::gallery::is_raster_name(&f.path));
    copies
}

/// Adds the copied files `copies` to the rendered `files`. A `robots.txt` of the site's own
/// (with `Disallow` rules, say) replaces the generated one; otherwise a rendered file wins over
/// a copied one with the same path.
pub(super) fn add_copies(files: &mut Vec<OutputFile>, mut copies: Vec<OutputFile>) {
    if copies.iter().any(|f| f.path == "robots.txt") {
        files.retain(|f| f.path != "robots.txt");
    }
    // Copied files are few: look for them among the rendered paths, not the other way round.
    let copied: BTreeSet<&str> = copies.iter().map(|f| f.path.as_str()).collect();
    let rendered: BTreeSet<String> =
        files.iter().filter(|f| copied.contains(f.path.as_str())).map(|f| f.path.clone()).collect();
    copies.retain(|f| !rendered.contains(&f.path));
    files.extend(copies);
}
