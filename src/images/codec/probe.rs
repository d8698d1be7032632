//! Formats by their magic bytes, and size, transparency and EXIF orientation from headers:
//! segment and chunk lengths are followed, pixel data is never touched.

use super::orient::Orientation;
use super::{CodecError, Probe, SourceFormat, svg};

/// What a header says, before orientation is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Header {
    /// Width as stored.
    pub(super) width: u32,
    /// Height as stored.
    pub(super) height: u32,
    /// Whether it can be transparent.
    pub(super) alpha: bool,
    /// How to turn the stored pixels upright.
    pub(super) orientation: Orientation,
}

pub(super) fn probe(bytes: &[u8]) -> Result<Probe, CodecError> {
    let format = sniff(bytes).ok_or(CodecError::UnknownFormat)?;
    let header = match format {
        SourceFormat::Jpeg => jpeg(bytes)?,
        SourceFormat::Png => png(bytes)?,
        SourceFormat::Webp => webp(bytes)?.header,
        SourceFormat::Gif => gif(bytes)?,
        SourceFormat::Svg => svg::header(bytes)?,
    };
    let (width, height) = header.orientation.upright(header.width, header.height);
    Ok(Probe { format, width, height, alpha: header.alpha })
}

/// The format of a file by its first bytes.
pub(super) fn sniff(bytes: &[u8]) -> Option<SourceFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(SourceFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(SourceFormat::Png)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(SourceFormat::Webp)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(SourceFormat::Gif)
    } else if svg::sniff(bytes) {
        Some(SourceFormat::Svg)
    } else {
        None
    }
}

pub(super) fn damaged(why: &str) -> CodecError {
    CodecError::Damaged(why.to_owned())
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

fn le16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// The orientation tag (0x0112) of IFD0 of a TIFF structure, the body of an EXIF block.
/// Anything unreadable counts as upright, as browsers treat it.
pub(super) fn exif_orientation(exif: &[u8]) -> Orientation {
    // JPEG APP1 payloads and some WebP EXIF chunks keep the "Exif\0\0" prefix.
    let tiff = exif.strip_prefix(b"Exif\0\0").unwrap_or(exif);
    let little = match tiff.get(..4) {
        Some(b"II*\0") => true,
        Some(b"MM\0*") => false,
        _ => return Orientation::UPRIGHT,
    };
    let u16_at = |at| if little { le16(tiff, at) } else { be16(tiff, at) };
    let u32_at = |at| if little { le32(tiff, at) } else { be32(tiff, at) };
    let tag = || -> Option<u16> {
        let ifd = usize::try_from(u32_at(4)?).ok()?;
        let count = usize::from(u16_at(ifd)?);
        (0..count).find_map(|i| {
            let entry = ifd + 2 + 12 * i;
            (u16_at(entry)? == 0x0112).then(|| u16_at(entry + 8))?
        })
    };
    tag().and_then(Orientation::from_exif).unwrap_or(Orientation::UPRIGHT)
}

/// A JPEG's frame size and the orientation in its first EXIF block, from the segments before
/// the first scan.
pub(super) fn jpeg(b: &[u8]) -> Result<Header, CodecError> {
    let mut orientation = None;
    let mut at = 2;
    loop {
        let (marker, body) =
            jpeg_segment(b, &mut at)?.ok_or_else(|| damaged("no JPEG frame header"))?;
        match marker {
            0xE1 if orientation.is_none() && body.starts_with(b"Exif\0\0") => {
                orientation = Some(exif_orientation(body));
            }
            // Start of frame, any process but the DHT (C4), JPG (C8) and DAC (CC) markers that
            // share the range.
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let (height, width) = (be16(body, 1), be16(body, 3));
                let (Some(height), Some(width)) = (height, width) else {
                    return Err(damaged("short JPEG frame header"));
                };
                if width == 0 || height == 0 {
                    return Err(damaged("JPEG frame of zero size"));
                }
                return Ok(Header {
                    width: width.into(),
                    height: height.into(),
                    alpha: false,
                    orientation: orientation.unwrap_or(Orientation::UPRIGHT),
                });
            }
            0xDA | 0xD9 => return Err(damaged("JPEG scan before its frame header")),
            _ => {}
        }
    }
}

/// The JPEG segment at `at` (its marker and body), moving `at` past it; `None` at the end of
/// the bytes.
fn jpeg_segment<'a>(b: &'a [u8], at: &mut usize) -> Result<Option<(u8, &'a [u8])>, CodecError> {
    // Markers may be preceded by any number of 0xFF fill bytes.
    while b.get(*at) == Some(&0xFF) && b.get(*at + 1) == Some(&0xFF) {
        *at += 1;
    }
    let Some(&[0xFF, marker]) = b.get(*at..*at + 2) else {
        return if *at >= b.len() { Ok(None) } else { Err(damaged("JPEG marker expected")) };
    };
    // Markers without a length: TEM, RSTn, SOI, EOI.
    if matches!(marker, 0x01 | 0xD0..=0xD9) {
        *at += 2;
        return Ok(Some((marker, &[])));
    }
    let len = usize::from(be16(b, *at + 2).ok_or_else(|| damaged("JPEG cut short"))?);
    let body = b.get(*at + 4..*at + 2 + len).filter(|_| len >= 2);
    let body = body.ok_or_else(|| damaged("JPEG cut short"))?;
    *at += 2 + len;
    Ok(Some((marker, body)))
}

/// What the scans of a whole JPEG are like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct JpegScans {
    /// Whether some scan carrying DC coefficients holds fewer components than the frame (a
    /// baseline file with one scan per component, or a progressive one with separate DC
    /// scans): zune-jpeg 0.5.15 silently decodes those to garbage (zune-image issues 419, 422,
    /// 430).
    pub(super) split_dc: bool,
}

/// The scans of a JPEG that runs to its end-of-image marker; `None` for one cut short. The
/// decoder fills a cut file with grey rather than failing, and a cut upload should fail
/// instead of shipping half a photo.
pub(super) fn jpeg_scans(b: &[u8]) -> Option<JpegScans> {
    let mut at = 2;
    let (mut components, mut split_dc) = (0, false);
    loop {
        match jpeg_segment(b, &mut at).ok()?? {
            (0xD9, _) => return Some(JpegScans { split_dc }),
            (m @ 0xC0..=0xCF, body) if !matches!(m, 0xC4 | 0xC8 | 0xCC) && body.len() > 5 => {
                components = body[5];
            }
            (0xDA, body) => {
                let count = *body.first()?;
                let spectral_start = *body.get(1 + 2 * usize::from(count))?;
                split_dc |= spectral_start == 0 && count < components;
                // Entropy-coded data: runs to the next marker other than a stuffed zero or a
                // restart marker.
                loop {
                    at += b.get(at..)?.iter().position(|&x| x == 0xFF)?;
                    match b.get(at + 1)? {
                        0x00 | 0xD0..=0xD7 | 0xFF => at += 1,
                        _ => break,
                    }
                }
            }
            _ => {}
        }
    }
}

/// Visits a PNG's chunks (type and data) after the signature, up to IEND or the end of the
/// bytes.
fn png_chunks<'a>(b: &'a [u8]) -> impl Iterator<Item = ([u8; 4], &'a [u8])> + 'a {
    let mut at = 8usize;
    std::iter::from_fn(move || {
        let len = usize::try_from(be32(b, at)?).ok()?;
        let kind: [u8; 4] = b.get(at + 4..at + 8)?.try_into().ok()?;
        let data = b.get(at + 8..at.checked_add(8)?.checked_add(len)?)?;
        at = at + 12 + len;
        (&kind != b"IEND").then_some((kind, data))
    })
}

/// A PNG's size, whether it has alpha (a colour type with alpha, or tRNS) and its eXIf
/// orientation.
pub(super) fn png(b: &[u8]) -> Result<Header, CodecError> {
    let mut chunks = png_chunks(b);
    let Some((kind, ihdr)) = chunks.next() else {
        return Err(damaged("PNG cut short"));
    };
    if &kind != b"IHDR" || ihdr.len() < 13 {
        return Err(damaged("PNG without its header chunk"));
    }
    let (width, height) = (be32(ihdr, 0).unwrap_or(0), be32(ihdr, 4).unwrap_or(0));
    if width == 0 || height == 0 {
        return Err(damaged("PNG of zero size"));
    }
    // Colour types 4 and 6 carry an alpha channel.
    let mut alpha = matches!(ihdr[9], 4 | 6);
    let mut orientation = Orientation::UPRIGHT;
    for (kind, data) in chunks {
        match &kind {
            b"tRNS" => alpha = true,
            b"eXIf" => orientation = exif_orientation(data),
            _ => {}
        }
    }
    Ok(Header { width, height, alpha, orientation })
}

/// What a WebP's chunks say.
pub(super) struct Webp<'a> {
    /// Size, alpha and orientation.
    pub(super) header: Header,
    /// Whether it is animated (then midad does not decode it).
    pub(super) animated: bool,
    /// The ICCP chunk, if any.
    pub(super) icc: Option<&'a [u8]>,
}

/// A WebP's canvas size, alpha, animation, colour profile and EXIF orientation.
pub(super) fn webp(b: &[u8]) -> Result<Webp<'_>, CodecError> {
    let mut at = 12usize;
    let mut chunks = std::iter::from_fn(|| {
        let kind: [u8; 4] = b.get(at..at + 4)?.try_into().ok()?;
        let len = usize::try_from(le32(b, at + 4)?).ok()?;
        let data = b.get(at + 8..at.checked_add(8)?.checked_add(len)?)?;
        at = at + 8 + len + (len & 1);
        Some((kind, data))
    });
    let cut = || damaged("WebP cut short");
    let (kind, first) = chunks.next().ok_or_else(cut)?;
    let mut found = Webp {
        header: Header { width: 0, height: 0, alpha: false, orientation: Orientation::UPRIGHT },
        animated: false,
        icc: None,
    };
    let h = &mut found.header;
    match &kind {
        b"VP8 " => {
            if first.get(3..6) != Some(&[0x9D, 0x01, 0x2A]) {
                return Err(damaged("WebP key frame expected"));
            }
            h.width = u32::from(le16(first, 6).ok_or_else(cut)? & 0x3FFF);
            h.height = u32::from(le16(first, 8).ok_or_else(cut)? & 0x3FFF);
        }
        b"VP8L" => {
            let bits = le32(first, 1).filter(|_| first[0] == 0x2F).ok_or_else(cut)?;
            h.width = 1 + (bits & 0x3FFF);
            h.height = 1 + ((bits >> 14) & 0x3FFF);
            h.alpha = bits >> 28 & 1 == 1;
        }
        b"VP8X" => {
            let flags = *first.first().ok_or_else(cut)?;
            let u24 = |at: usize| {
                let s = first.get(at..at + 3)?;
                Some(u32::from_le_bytes([s[0], s[1], s[2], 0]))
            };
            h.width = 1 + u24(4).ok_or_else(cut)?;
            h.height = 1 + u24(7).ok_or_else(cut)?;
            h.alpha = flags & 0x10 != 0;
            found.animated = flags & 0x02 != 0;
            for (kind, data) in chunks {
                match &kind {
                    b"ICCP" => found.icc = Some(data),
                    b"EXIF" => found.header.orientation = exif_orientation(data),
                    _ => {}
                }
            }
        }
        _ => return Err(damaged("unknown WebP chunk")),
    }
    if found.header.width == 0 || found.header.height == 0 {
        return Err(damaged("WebP of zero size"));
    }
    Ok(found)
}

/// A GIF's logical screen size, and whether its first frame has a transparent colour.
fn gif(b: &[u8]) -> Result<Header, CodecError> {
    let (Some(width), Some(height), Some(&flags)) = (le16(b, 6), le16(b, 8), b.get(10)) else {
        return Err(damaged("GIF cut short"));
    };
    let mut at = 13;
    if flags & 0x80 != 0 {
        at += 3 << ((flags & 7) + 1);
    }
    let mut alpha = false;
    // Extension blocks up to the first image: a graphic control extension (0xF9) may mark a
    // colour transparent.
    while let (Some(0x21), Some(&label)) = (b.get(at), b.get(at + 1)) {
        if label == 0xF9 {
            alpha |= b.get(at + 3).is_some_and(|packed| packed & 1 == 1);
        }
        at += 2;
        while let Some(&len) = b.get(at).filter(|&&len| len != 0) {
            at += 1 + usize::from(len);
        }
        at += 1;
    }
    if width == 0 || height == 0 {
        return Err(damaged("GIF of zero size"));
    }
    Ok(Header {
        width: width.into(),
        height: height.into(),
        alpha,
        orientation: Orientation::UPRIGHT,
    })
}
