//! Test photos made at test time, with no binary fixture: camera-like JPEGs with EXIF written by
//! hand (orientation, a GPS position), a PNG with transparency, a WebP, a truncated JPEG and a
//! text file named `.jpg`. Also `has_metadata`, which walks the structure of a JPEG, PNG or WebP
//! and says whether EXIF, XMP or IPTC survived.
//!
//! A camera photo is drawn upright as `width` × `height`: gradients and noise (so that it does
//! not compress to nothing), the top-left quarter pure red and a pure green square in the middle of
//! the top-right quarter (red alone would not tell a transposed picture from an upright one).
//! With an orientation, the pixels are stored turned so that a viewer that applies the
//! orientation shows it upright; `is_upright` checks the two quarters of a decoded image.

use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage, imageops};

/// JPEG quality of the camera photos.
const QUALITY: u8 = 90;

/// The made-up GPS position: 30°02′40.20″ N, 31°14′08.50″ E (central Cairo), as EXIF rationals.
pub const LATITUDE: [(u32, u32); 3] = [(30, 1), (2, 1), (4020, 100)];
/// See `LATITUDE`.
pub const LONGITUDE: [(u32, u32); 3] = [(31, 1), (14, 1), (850, 100)];

/// The marker colours: the top-left quarter, and a square inside the top-right quarter.
const RED: Rgb<u8> = Rgb([255, 0, 0]);
const GREEN: Rgb<u8> = Rgb([0, 255, 0]);

/// Writes a camera-like JPEG that displays as `width` × `height`. EXIF (an APP1 right after SOI)
/// is written when there is an orientation or a GPS position, and only then.
pub fn camera_jpeg(path: &Path, width: u32, height: u32, orientation: Option<u16>, gps: bool) {
    let bytes = camera_jpeg_bytes(width, height, orientation, gps);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("make the folder");
    std::fs::write(path, bytes).expect("write the camera JPEG");
}

/// The bytes `camera_jpeg` writes.
pub fn camera_jpeg_bytes(width: u32, height: u32, orientation: Option<u16>, gps: bool) -> Vec<u8> {
    let upright = scene(width, height);
    let stored = stored_for(&upright, orientation.unwrap_or(1));
    let jpeg = encode_jpeg(&stored);
    if orientation.is_none() && !gps {
        return jpeg;
    }
    let app1 = exif_app1(orientation, gps);
    [&jpeg[..2], &app1[..], &jpeg[2..]].concat()
}

/// Writes a `width` × `height` RGBA PNG: a disc, opaque inside, clear outside, with a soft edge
/// and a half-transparent band across the middle.
pub fn transparent_png(path: &Path, width: u32, height: u32) {
    let image = disc(width, height);
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(image.as_raw(), width, height, ExtendedColorType::Rgba8)
        .expect("encode the PNG");
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("make the folder");
    std::fs::write(path, bytes).expect("write the PNG");
}

/// Writes a `width` × `height` WebP (lossless, the only kind the `image` crate encodes).
pub fn webp(path: &Path, width: u32, height: u32) {
    let image = scene(width, height);
    let mut bytes = Vec::new();
    WebPEncoder::new_lossless(&mut bytes)
        .write_image(image.as_raw(), width, height, ExtendedColorType::Rgb8)
        .expect("encode the WebP");
    std::fs::write(path, bytes).expect("write the WebP");
}

/// Writes the first half of a 640 × 480 camera JPEG: a good header, then the scan stops.
pub fn truncated_jpeg(path: &Path) {
    let bytes = camera_jpeg_bytes(640, 480, None, false);
    std::fs::write(path, &bytes[..bytes.len() / 2]).expect("write the truncated JPEG");
}

/// Writes text under an image's name (e.g. `photo.jpg`).
pub fn not_an_image(path: &Path) {
    std::fs::write(path, "This is not a photo: it is text with a .jpg name.\n")
        .expect("write the text");
}

/// Whether the decoded picture shows the markers upright: red top-left, green top-right.
pub fn is_upright(image: &RgbImage) -> bool {
    let (w, h) = image.dimensions();
    let near = |x: u32, y: u32, colour: Rgb<u8>| {
        let pixel = image.get_pixel(x, y);
        pixel.0.iter().zip(colour.0).all(|(&a, b)| a.abs_diff(b) < 48)
    };
    near(w / 4, h / 4, RED) && near(3 * w / 4, h / 4, GREEN)
}

/// Gradients, noise and the two markers, upright.
fn scene(width: u32, height: u32) -> RgbImage {
    let mut rng = fastrand::Rng::with_seed((u64::from(width) << 32) | u64::from(height));
    let (w, h) = (u64::from(width), u64::from(height));
    RgbImage::from_fn(width, height, |x, y| {
        let (x, y) = (u64::from(x), u64::from(y));
        if 2 * y < h && 2 * x < w {
            return RED;
        }
        if (h / 8..3 * h / 8).contains(&y) && (5 * w / 8..7 * w / 8).contains(&x) {
            return GREEN;
        }
        let mut noise = |v: u64| (v as u8).saturating_add(rng.u8(..24)).saturating_sub(12);
        Rgb([noise(x * 255 / w), noise(y * 255 / h), noise(128)])
    })
}

/// The pixels to store so that applying EXIF `orientation` shows `upright`.
fn stored_for(upright: &RgbImage, orientation: u16) -> RgbImage {
    match orientation {
        2 => imageops::flip_horizontal(upright),
        3 => imageops::rotate180(upright),
        4 => imageops::flip_vertical(upright),
        5 => imageops::flip_horizontal(&imageops::rotate90(upright)),
        6 => imageops::rotate270(upright),
        7 => imageops::flip_horizontal(&imageops::rotate270(upright)),
        8 => imageops::rotate90(upright),
        _ => upright.clone(),
    }
}

fn encode_jpeg(image: &RgbImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, QUALITY)
        .write_image(image.as_raw(), image.width(), image.height(), ExtendedColorType::Rgb8)
        .expect("encode the JPEG");
    bytes
}

fn disc(width: u32, height: u32) -> RgbaImage {
    let (cx, cy) = (width as f32 / 2.0, height as f32 / 2.0);
    let radius = cx.min(cy) * 0.9;
    RgbaImage::from_fn(width, height, |x, y| {
        let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
        let edge = ((radius - d) / 2.0).clamp(0.0, 1.0);
        let band = if y.abs_diff(height / 2) < height / 10 { 0.5 } else { 1.0 };
        let alpha = (edge * band * 255.0).round() as u8;
        Rgba([(x * 255 / width) as u8, 96, (y * 255 / height) as u8, alpha])
    })
}

/// An EXIF APP1 segment: marker, length, `Exif\0\0`, then the TIFF structure.
fn exif_app1(orientation: Option<u16>, gps: bool) -> Vec<u8> {
    let tiff = tiff(orientation, gps);
    let length = u16::try_from(2 + 6 + tiff.len()).expect("EXIF fits a segment");
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(length.to_be_bytes());
    segment.extend(b"Exif\0\0");
    segment.extend(tiff);
    segment
}

/// Little-endian TIFF: header, IFD0 (Orientation, GPSInfo pointer), the GPS IFD.
fn tiff(orientation: Option<u16>, gps: bool) -> Vec<u8> {
    let mut ifd0 = Vec::new();
    if let Some(o) = orientation {
        ifd0.push(Entry::short(0x0112, o));
    }
    let gps_at = 8 + Entry::ifd_len(ifd0.len() + usize::from(gps));
    if gps {
        ifd0.push(Entry::long(0x8825, gps_at));
    }
    let mut out = b"II*\0".to_vec();
    out.extend(8u32.to_le_bytes());
    out.extend(Entry::ifd(&ifd0, 8));
    if gps {
        out.extend(Entry::ifd(&gps_entries(), gps_at));
    }
    out
}

fn gps_entries() -> Vec<Entry> {
    vec![
        Entry { tag: 0x0000, kind: 1, count: 4, value: vec![2, 3, 0, 0] }, // GPSVersionID 2.3
        Entry::ascii(0x0001, "N"),
        Entry::rationals(0x0002, &LATITUDE),
        Entry::ascii(0x0003, "E"),
        Entry::rationals(0x0004, &LONGITUDE),
    ]
}

/// One IFD entry; `value` is its bytes, inline when 4 or fewer.
struct Entry {
    tag: u16,
    kind: u16,
    count: u32,
    value: Vec<u8>,
}

impl Entry {
    fn short(tag: u16, v: u16) -> Entry {
        Entry { tag, kind: 3, count: 1, value: v.to_le_bytes().to_vec() }
    }

    fn long(tag: u16, v: u32) -> Entry {
        Entry { tag, kind: 4, count: 1, value: v.to_le_bytes().to_vec() }
    }

    fn ascii(tag: u16, text: &str) -> Entry {
        let value = [text.as_bytes(), b"\0"].concat();
        Entry { tag, kind: 2, count: value.len() as u32, value }
    }

    fn rationals(tag: u16, parts: &[(u32, u32)]) -> Entry {
        let value = parts.iter().flat_map(|&(n, d)| [n.to_le_bytes(), d.to_le_bytes()]).flatten();
        Entry { tag, kind: 5, count: parts.len() as u32, value: value.collect() }
    }

    /// The size of an IFD of `n` entries with no value out of line.
    fn ifd_len(n: usize) -> u32 {
        (2 + 12 * n + 4) as u32
    }

    /// The IFD at offset `at`, then the values too long to be inline (no next IFD).
    fn ifd(entries: &[Entry], at: u32) -> Vec<u8> {
        let mut data_at = at + Entry::ifd_len(entries.len());
        let (mut table, mut data) = ((entries.len() as u16).to_le_bytes().to_vec(), Vec::new());
        for e in entries {
            table.extend(e.tag.to_le_bytes());
            table.extend(e.kind.to_le_bytes());
            table.extend(e.count.to_le_bytes());
            if e.value.len() <= 4 {
                table.extend(&e.value);
                table.extend(std::iter::repeat_n(0, 4 - e.value.len()));
            } else {
                table.extend(data_at.to_le_bytes());
                data.extend(&e.value);
                data_at += e.value.len() as u32;
            }
        }
        table.extend(0u32.to_le_bytes());
        [table, data].concat()
    }
}

/// Whether the file still carries EXIF, XMP or IPTC, found by walking its container: JPEG APP1
/// `Exif`/XMP and APP13 IPTC segments, PNG `eXIf`/`tEXt`/`iTXt`/`zTXt` chunks, WebP `EXIF`/`XMP `
/// chunks. GPS lives inside EXIF. An ICC profile is not metadata. Other bytes: false.
pub fn has_metadata(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_has_metadata(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_has_metadata(bytes)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp_has_metadata(bytes)
    } else {
        false
    }
}

/// The JPEG segments that hold metadata: APP1 with one of these headers, APP13 Photoshop (IPTC).
const JPEG_METADATA: &[(u8, &[u8])] = &[
    (0xE1, b"Exif\0"),
    (0xE1, b"http://ns.adobe.com/xap/1.0/\0"),
    (0xE1, b"http://ns.adobe.com/xmp/extension/\0"),
    (0xED, b"Photoshop 3.0\0"),
];

fn jpeg_has_metadata(bytes: &[u8]) -> bool {
    jpeg_segments(bytes).iter().any(|&(marker, payload)| {
        JPEG_METADATA.iter().any(|&(m, head)| m == marker && payload.starts_with(head))
    })
}

/// The marker segments of a JPEG with their payloads, scans skipped, up to EOI or a broken length.
fn jpeg_segments(bytes: &[u8]) -> Vec<(u8, &[u8])> {
    let mut segments = Vec::new();
    let mut at = 2;
    while let Some(marker) = jpeg_marker(bytes, &mut at) {
        if marker == 0xD9 {
            break;
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            continue; // restart markers and TEM stand alone
        }
        let Some(len) =
            bytes.get(at..at + 2).map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
        else {
            break;
        };
        let Some(payload) = bytes.get(at + 2..at + len).filter(|_| len >= 2) else { break };
        segments.push((marker, payload));
        at += len;
        if marker == 0xDA {
            at = skip_scan(bytes, at);
        }
    }
    segments
}

/// Reads the marker at `at` (after any 0xFF fill), leaving `at` past it.
fn jpeg_marker(bytes: &[u8], at: &mut usize) -> Option<u8> {
    if bytes.get(*at) != Some(&0xFF) {
        return None;
    }
    while bytes.get(*at) == Some(&0xFF) {
        *at += 1;
    }
    let marker = *bytes.get(*at)?;
    *at += 1;
    Some(marker)
}

/// The offset of the first marker after entropy-coded data that is not a stuffed 0xFF00 or a
/// restart marker.
fn skip_scan(bytes: &[u8], mut at: usize) -> usize {
    while at + 1 < bytes.len() {
        if bytes[at] == 0xFF && bytes[at + 1] != 0 && !(0xD0..=0xD7).contains(&bytes[at + 1]) {
            return at;
        }
        at += 1;
    }
    bytes.len()
}

fn png_has_metadata(bytes: &[u8]) -> bool {
    let mut at = 8;
    while let Some(head) = bytes.get(at..at + 8) {
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        if matches!(kind, b"eXIf" | b"tEXt" | b"iTXt" | b"zTXt") {
            return true;
        }
        if kind == b"IEND" {
            break;
        }
        at += 8 + len + 4; // length and type, data, CRC
    }
    false
}

fn webp_has_metadata(bytes: &[u8]) -> bool {
    let mut at = 12;
    while let Some(head) = bytes.get(at..at + 8) {
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        if matches!(&head[..4], b"EXIF" | b"XMP ") {
            return true;
        }
        at += 8 + len + len % 2; // chunks are padded to an even size
    }
    false
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    fn read_exif(bytes: &[u8]) -> exif::Exif {
        exif::Reader::new()
            .read_from_container(&mut Cursor::new(bytes))
            .expect("kamadak-exif reads the EXIF")
    }

    fn rationals(exif: &exif::Exif, tag: exif::Tag) -> Vec<(u32, u32)> {
        let field = exif.get_field(tag, exif::In::PRIMARY).expect("the GPS field");
        match &field.value {
            exif::Value::Rational(v) => v.iter().map(|r| (r.num, r.denom)).collect(),
            other => panic!("{tag} is {other:?}"),
        }
    }

    fn ascii(exif: &exif::Exif, tag: exif::Tag) -> String {
        let field = exif.get_field(tag, exif::In::PRIMARY).expect("the GPS field");
        field.display_value().to_string()
    }

    #[test]
    fn a_real_exif_reader_finds_orientation_and_gps() {
        let bytes = camera_jpeg_bytes(64, 48, Some(6), true);
        assert_eq!(&bytes[..4], &[0xFF, 0xD8, 0xFF, 0xE1], "APP1 right after SOI");
        let exif = read_exif(&bytes);
        let orientation = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY);
        assert_eq!(orientation.and_then(|f| f.value.get_uint(0)), Some(6));
        assert_eq!(rationals(&exif, exif::Tag::GPSLatitude), LATITUDE);
        assert_eq!(rationals(&exif, exif::Tag::GPSLongitude), LONGITUDE);
        assert_eq!(ascii(&exif, exif::Tag::GPSLatitudeRef), "N");
        assert_eq!(ascii(&exif, exif::Tag::GPSLongitudeRef), "E");
    }

    #[test]
    fn gps_alone_and_orientation_alone() {
        let gps = read_exif(&camera_jpeg_bytes(32, 32, None, true));
        assert!(gps.get_field(exif::Tag::Orientation, exif::In::PRIMARY).is_none());
        assert_eq!(rationals(&gps, exif::Tag::GPSLatitude), LATITUDE);
        let turned = read_exif(&camera_jpeg_bytes(32, 32, Some(3), false));
        assert!(turned.get_field(exif::Tag::GPSInfoIFDPointer, exif::In::PRIMARY).is_none());
        assert!(!has_metadata(&camera_jpeg_bytes(32, 32, None, false)), "no EXIF asked");
    }

    #[test]
    fn every_orientation_shows_upright_once_applied() {
        for orientation in 1..=8u16 {
            let bytes = camera_jpeg_bytes(96, 64, Some(orientation), false);
            let exif = read_exif(&bytes);
            let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY);
            let value = field.and_then(|f| f.value.get_uint(0)).expect("an orientation");
            let mut image = image::load_from_memory(&bytes).expect("decode");
            let stored = image.to_rgb8();
            assert_eq!(stored.dimensions(), if orientation >= 5 { (64, 96) } else { (96, 64) });
            assert_eq!(is_upright(&stored), orientation == 1, "orientation {orientation} stored");
            let exif_orientation = image::metadata::Orientation::from_exif(value as u8);
            image.apply_orientation(exif_orientation.expect("a valid orientation"));
            let shown = image.to_rgb8();
            assert_eq!(shown.dimensions(), (96, 64), "orientation {orientation}");
            assert!(is_upright(&shown), "orientation {orientation} is not upright once applied");
        }
    }

    #[test]
    fn camera_photos_do_not_compress_to_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("camera.jpg");
        camera_jpeg(&path, 800, 600, Some(6), true);
        let bytes = std::fs::read(&path).expect("read");
        assert!(bytes.len() > 100_000, "{} bytes", bytes.len());
        let stored = image::load_from_memory(&bytes).expect("decode").to_rgb8();
        assert_eq!(stored.dimensions(), (600, 800), "stored turned");
        assert!(has_metadata(&bytes));
    }

    #[test]
    fn the_png_has_clear_half_clear_and_opaque_pixels() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("cut-out.png");
        transparent_png(&path, 100, 80);
        let image = image::open(&path).expect("decode the PNG").to_rgba8();
        assert_eq!(image.dimensions(), (100, 80));
        assert_eq!(image.get_pixel(0, 0)[3], 0, "a corner is clear");
        assert_eq!(image.get_pixel(50, 20)[3], 255, "inside the disc is opaque");
        assert!((100..=155).contains(&image.get_pixel(50, 40)[3]), "the band is half clear");
        assert!(!has_metadata(&std::fs::read(&path).expect("read")));
    }

    #[test]
    fn the_webp_decodes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("photo.webp");
        webp(&path, 60, 40);
        let image = image::open(&path).expect("decode the WebP").to_rgb8();
        assert!(is_upright(&image));
        assert!(!has_metadata(&std::fs::read(&path).expect("read")));
    }

    #[test]
    fn broken_files_do_not_decode() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (truncated, text) = (dir.path().join("cut.jpg"), dir.path().join("text.jpg"));
        truncated_jpeg(&truncated);
        not_an_image(&text);
        // zune-jpeg (inside `image`) decodes a cut JPEG without an error, greying the rows it
        // lacks: a reader has to notice the missing EOI itself. So check the cut, not a decoder.
        let cut = std::fs::read(&truncated).expect("read");
        let segments = jpeg_segments(&cut);
        assert!(segments.iter().any(|&(marker, _)| marker == 0xDA), "the scan starts");
        assert!(!cut.ends_with(&[0xFF, 0xD9]), "the scan ends before EOI");
        assert!(image::open(&text).is_err(), "text decoded as an image");
        assert!(!has_metadata(&std::fs::read(&text).expect("read")));
    }

    /// `jpeg` with one more segment right after SOI.
    fn with_segment(jpeg: &[u8], marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(payload.len() + 2).expect("a short payload").to_be_bytes();
        [&jpeg[..2], &[0xFF, marker], &len[..], payload, &jpeg[2..]].concat()
    }

    #[test]
    fn jpeg_metadata_is_found_by_segment_not_by_bytes() {
        let clean = camera_jpeg_bytes(64, 48, None, false);
        assert!(!has_metadata(&clean));
        assert!(has_metadata(&camera_jpeg_bytes(64, 48, Some(1), false)));
        assert!(has_metadata(&camera_jpeg_bytes(64, 48, None, true)));
        let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>";
        assert!(has_metadata(&with_segment(&clean, 0xE1, xmp)));
        assert!(has_metadata(&with_segment(&clean, 0xED, b"Photoshop 3.0\08BIM")));
        let icc = [b"ICC_PROFILE\0".as_slice(), &[1, 1], b"Exif\0\0II*\0"].concat();
        assert!(!has_metadata(&with_segment(&clean, 0xE2, &icc)), "an ICC profile is no metadata");
        assert!(!has_metadata(&with_segment(&clean, 0xFE, b"Exif\0\0 in a comment")));
        let after_scan = [&clean[..clean.len() - 2], b"Exif\0\0", &[0xFF, 0xD9]].concat();
        assert!(!has_metadata(&after_scan), "bytes in the scan data");
    }

    #[test]
    fn jpeg_metadata_after_the_first_scan_is_found() {
        let clean = camera_jpeg_bytes(64, 48, None, false);
        let exif = exif_app1(Some(1), false);
        let late = [&clean[..clean.len() - 2], &exif[..], &[0xFF, 0xD9]].concat();
        assert!(has_metadata(&late));
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    /// `png` with one more chunk right after IHDR.
    fn with_chunk(png: &[u8], kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let after_ihdr = 8 + 8 + 13 + 4;
        let len = u32::try_from(data.len()).expect("a short chunk").to_be_bytes();
        let crc = crc32(&[kind.as_slice(), data].concat()).to_be_bytes();
        [&png[..after_ihdr], &len, kind, data, &crc, &png[after_ihdr..]].concat()
    }

    #[test]
    fn png_metadata_chunks_are_found() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.png");
        transparent_png(&path, 16, 16);
        let png = std::fs::read(&path).expect("read");
        for kind in [b"eXIf", b"tEXt", b"iTXt", b"zTXt"] {
            let marked = with_chunk(&png, kind, b"Comment\0text");
            assert!(has_metadata(&marked), "{}", String::from_utf8_lossy(kind));
            image::load_from_memory(&marked).expect("still a valid PNG");
        }
        assert!(!has_metadata(&with_chunk(&png, b"prVt", b"tEXt eXIf")), "names inside data");
    }

    /// `webp` with one more chunk at the end, the RIFF size fixed.
    fn with_webp_chunk(webp: &[u8], fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let len = u32::try_from(data.len()).expect("a short chunk");
        let pad: &[u8] = if len % 2 == 1 { &[0] } else { &[] };
        let mut out = [webp, fourcc, &len.to_le_bytes(), data, pad].concat();
        let riff = u32::try_from(out.len() - 8).expect("a small file");
        out[4..8].copy_from_slice(&riff.to_le_bytes());
        out
    }

    #[test]
    fn webp_metadata_chunks_are_found() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("w.webp");
        webp(&path, 16, 16);
        let plain = std::fs::read(&path).expect("read");
        assert!(has_metadata(&with_webp_chunk(&plain, b"EXIF", &tiff(Some(1), true))));
        assert!(has_metadata(&with_webp_chunk(&plain, b"XMP ", b"<x:xmpmeta/>")));
        let odd = with_webp_chunk(&plain, b"ICCP", b"EXIF XMP ");
        assert!(!has_metadata(&odd), "names inside a chunk's data");
        assert!(
            has_metadata(&with_webp_chunk(&odd, b"EXIF", b"II*\0")),
            "after an odd-sized chunk"
        );
    }

    #[test]
    fn other_bytes_have_no_metadata() {
        assert!(!has_metadata(b""));
        assert!(!has_metadata(b"Exif\0\0II*\0 http://ns.adobe.com/xap/1.0/"));
        assert!(!has_metadata(&[0xFF, 0xD8, 0xFF]), "a JPEG cut in its first marker");
    }
}
