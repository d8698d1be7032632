//! SVG: told apart by its text, sized from its root element, rasterised with resvg.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

use super::orient::Orientation;
use super::probe::{Header, damaged};
use super::{CodecError, MAX_PIXELS};

/// Whether text looks like SVG: an XML declaration, or an `<svg` tag near the start (after a
/// byte-order mark, comments or a doctype).
pub(super) fn sniff(bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = text.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(text.len());
    let text = &text[start..];
    let head = &text[..text.len().min(4096)];
    text.starts_with(b"<?xml") || (text.starts_with(b"<") && head.windows(4).any(|w| w == b"<svg"))
}

/// The size of an SVG's root element, as usvg will lay it out: `width` and `height` (in any
/// absolute unit), else from the `viewBox`, else 100 × 100.
pub(super) fn header(bytes: &[u8]) -> Result<Header, CodecError> {
    let text = std::str::from_utf8(bytes).map_err(|_| damaged("SVG that is not UTF-8"))?;
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text, options)
        .map_err(|e| CodecError::Damaged(format!("SVG: {e}")))?;
    let root = doc.root_element();
    if root.tag_name().name() != "svg" {
        return Err(CodecError::UnknownFormat);
    }
    let (width, height) = root_size(
        root.attribute("width").and_then(length),
        root.attribute("height").and_then(length),
        root.attribute("viewBox").and_then(view_box),
    );
    Ok(Header {
        width: to_pixels(width),
        height: to_pixels(height),
        alpha: true,
        orientation: Orientation::UPRIGHT,
    })
}

fn to_pixels(size: f64) -> u32 {
    if size.is_finite() { size.round().clamp(1.0, f64::from(u16::MAX)) as u32 } else { 1 }
}

/// A length: its number and whether it is a percentage (else in px).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Length {
    value: f64,
    percent: bool,
}

/// usvg's rules for the root element's size, with its defaults (100%, a 100 × 100 fallback).
fn root_size(
    width: Option<Length>,
    height: Option<Length>,
    view_box: Option<(f64, f64)>,
) -> (f64, f64) {
    let full = Length { value: 100.0, percent: true };
    let (w, h) = (width.unwrap_or(full), height.unwrap_or(full));
    let Some((vw, vh)) = view_box else {
        // Without a viewBox a percentage is of usvg's 100 × 100 fallback: the number itself.
        return (w.value, h.value);
    };
    let w_px = if w.percent { vw * w.value / 100.0 } else { w.value };
    let h_px = if h.percent { vh * h.value / 100.0 } else { h.value };
    match (width, height) {
        (Some(_), None) => (w_px, vh * w_px / vw),
        (None, Some(_)) => (vw * h_px / vh, h_px),
        _ => (w_px, h_px),
    }
}

/// An SVG length in px (at 96 dpi, usvg's default) or percent; `None` if it can't be read.
fn length(text: &str) -> Option<Length> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_alphabetic() || c == '%').unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: f64 = number.trim().parse().ok()?;
    let px = match unit.trim() {
        "" | "px" => n,
        "%" => return Some(Length { value: n, percent: true }),
        "in" => n * 96.0,
        "cm" => n * 96.0 / 2.54,
        "mm" => n * 96.0 / 25.4,
        "pt" => n * 96.0 / 72.0,
        "pc" => n * 96.0 / 6.0,
        // usvg's default font size.
        "em" => n * 12.0,
        "ex" => n * 6.0,
        _ => return None,
    };
    Some(Length { value: px, percent: false })
}

/// A viewBox's width and height, if positive.
fn view_box(text: &str) -> Option<(f64, f64)> {
    let mut numbers = text.split(|c: char| c == ',' || c.is_whitespace()).filter(|s| !s.is_empty());
    let mut next = || numbers.next()?.parse::<f64>().ok();
    let (_, _, w, h) = (next()?, next()?, next()?, next()?);
    (w > 0.0 && h > 0.0).then_some((w, h))
}

/// The system's fonts, loaded once per process: every SVG with text needs them, and loading
/// them takes tens of milliseconds.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static FONTS: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = usvg::fontdb::Database::new();
            db.load_system_fonts();
            Arc::new(db)
        })
        .clone()
}

/// Rasterises an SVG to RGBA (straight alpha), scaled to cover `largest` (its natural size
/// when `largest` is zero).
pub(super) fn rasterise(
    bytes: &[u8],
    largest: (u32, u32),
) -> Result<(Vec<u8>, u32, u32), CodecError> {
    let mut options = usvg::Options { fontdb: fonts(), ..Default::default() };
    // Images in data: URLs are drawn; files named by path are not read, so a rendering depends
    // only on the SVG's own bytes.
    options.image_href_resolver.resolve_string = Box::new(|_, _| None);
    let tree = usvg::Tree::from_data(bytes, &options)
        .map_err(|e| CodecError::Damaged(format!("SVG: {e}")))?;
    let size = tree.size();
    let (w, h) = (f64::from(size.width()), f64::from(size.height()));
    let scale = (f64::from(largest.0) / w).max(f64::from(largest.1) / h);
    let scale = if scale.is_finite() && scale > 0.0 { scale } else { 1.0 };
    let (pw, ph) = ((w * scale).ceil().max(1.0), (h * scale).ceil().max(1.0));
    if pw * ph > MAX_PIXELS as f64 {
        return Err(CodecError::Unsupported(format!("SVG rasterised at {pw}x{ph}")));
    }
    let (pw, ph) = (pw as u32, ph as u32);
    let mut pixmap = tiny_skia::Pixmap::new(pw, ph).ok_or_else(|| damaged("SVG of zero size"))?;
    let transform =
        tiny_skia::Transform::from_scale((f64::from(pw) / w) as f32, (f64::from(ph) / h) as f32);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    let rgba = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue(), c.alpha()]
        })
        .collect();
    Ok((rgba, pw, ph))
}
