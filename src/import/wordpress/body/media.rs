//! Addresses of uploads: WordPress's resized copies back to the original, then where the new
//! site keeps it.
//!
//! WordPress writes the copy it resized into a post (`photo-1024x683.jpg`); the import copies
//! the original upload and midad makes its own sizes, so an image points at the original.

use super::MediaLinks;

/// Where an address of an upload points in the new site: the original of a resized copy if the site
/// has it, else the address itself rewritten, else the address as it was.
pub(super) fn upload(media: &dyn MediaLinks, url: &str) -> String {
    if let Some(rewritten) = original_size(url).and_then(|original| media.rewrite(&original)) {
        return rewritten;
    }
    media.rewrite(url).unwrap_or_else(|| url.to_string())
}

/// The original of WordPress's resized copy `url`: a file name ending in `-WIDTHxHEIGHT`
/// before an image extension, query and fragment kept.
pub(super) fn original_size(url: &str) -> Option<String> {
    let path_end = url.find(['?', '#']).unwrap_or(url.len());
    let (path, rest) = url.split_at(path_end);
    let name_start = path.rfind('/').map_or(0, |at| at + 1);
    let dot = name_start + path[name_start..].rfind('.')?;
    let extension = &path[dot + 1..];
    const IMAGES: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "avif", "bmp", "tif", "tiff"];
    if !IMAGES.iter().any(|image| extension.eq_ignore_ascii_case(image)) {
        return None;
    }
    let stem = &path[name_start..dot];
    let (base, size) = stem.rsplit_once('-')?;
    let (width, height) = size.split_once('x')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if base.is_empty() || !digits(width) || !digits(height) {
        return None;
    }
    Some(format!("{}{base}{}{rest}", &path[..name_start], &path[dot..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resized_copies_to_the_original() {
        let check = |url: &str, expect: Option<&str>| {
            assert_eq!(original_size(url).as_deref(), expect, "{url}");
        };
        check(
            "https://old.example/wp-content/uploads/2024/03/photo-1024x683.jpg",
            Some("https://old.example/wp-content/uploads/2024/03/photo.jpg"),
        );
        check("/up/صورة-الوزير-300x200.JPEG?v=2", Some("/up/صورة-الوزير.JPEG?v=2"));
        check("/up/photo.jpg", None);
        check("/up/report-2020x1080.pdf", None);
        check("/up/-300x200.jpg", None);
        check("/up/a-300x.jpg", None);
        check("/up.d/photo", None);
    }
}
