//! Pixels in and out: probing a file's size, decoding it upright and in sRGB, and encoding crops
//! of it at given sizes. Knows nothing of sites, caches or URLs.

use thiserror::Error;

/// What an image file is, by its bytes (never by its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum SourceFormat {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// WebP (lossy or lossless).
    Webp,
    /// GIF: never processed, copied as is.
    Gif,
    /// SVG: copied as is; rasterised only for share images.
    Svg,
}

/// A format variants are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum OutputFormat {
    /// AVIF.
    Avif,
    /// Lossy WebP, with its alpha channel where the source has one.
    Webp,
    /// Baseline or progressive JPEG, no metadata.
    Jpeg,
    /// PNG, for sources with transparency.
    Png,
}

/// A file's format and its size as displayed: width and height after its EXIF orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Probe {
    /// Format, from the bytes.
    pub(crate) format: SourceFormat,
    /// Width in pixels, upright.
    pub(crate) width: u32,
    /// Height in pixels, upright.
    pub(crate) height: u32,
    /// Whether it can be transparent (an alpha channel or a transparent colour in its header).
    pub(crate) alpha: bool,
}

/// Why an image can't be read or written.
#[derive(Debug, Error)]
pub(crate) enum CodecError {
    /// The bytes are no image format midad reads.
    #[error("not a JPEG, PNG, WebP, GIF or SVG image")]
    UnknownFormat,
    /// The file is cut short or damaged.
    #[error("damaged image: {0}")]
    Damaged(String),
    /// Encoding failed.
    #[error("could not encode: {0}")]
    Encode(String),
}

/// Reads a file's format, upright size and transparency from its header, without decoding.
pub(crate) fn probe(bytes: &[u8]) -> Result<Probe, CodecError> {
    let _ = bytes;
    Err(CodecError::UnknownFormat)
}

/// A decoded image: upright (EXIF orientation applied), in sRGB, 8 bits per channel.
pub(crate) struct Pixels {
    _private: (),
}

/// Decodes a file. `largest` is the largest output size that will be asked of it
/// (width, height): an SVG is rasterised to cover it, and a JPEG may be decoded at a reduced
/// scale (DCT scaling) as long as the result still covers it.
pub(crate) fn decode(bytes: &[u8], largest: (u32, u32)) -> Result<Pixels, CodecError> {
    let _ = (bytes, largest);
    Err(CodecError::UnknownFormat)
}

/// A rectangle of an image as fractions of its upright width and height (0.0 to 1.0), so it
/// means the same whatever scale the image was decoded at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Region {
    /// Left edge.
    pub(crate) left: f64,
    /// Top edge.
    pub(crate) top: f64,
    /// Width.
    pub(crate) width: f64,
    /// Height.
    pub(crate) height: f64,
}

impl Region {
    /// The whole image.
    pub(crate) const WHOLE: Region = Region { left: 0.0, top: 0.0, width: 1.0, height: 1.0 };
}

/// One output: `region` of the image scaled to exactly `width` × `height` and encoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Target {
    /// What part of the image.
    pub(crate) region: Region,
    /// Output width in pixels.
    pub(crate) width: u32,
    /// Output height in pixels.
    pub(crate) height: u32,
    /// Output format.
    pub(crate) format: OutputFormat,
    /// Quality, 1 to 100 (ignored for PNG).
    pub(crate) quality: u8,
    /// AVIF encoder speed, 1 (slowest, smallest) to 10 (fastest); ignored by other formats.
    pub(crate) avif_speed: u8,
}

/// Encodes every target of one decoded image; each result on its own, so one failure doesn't
/// lose the others. No output carries metadata (EXIF, XMP, GPS, comments).
pub(crate) fn encode_all(pixels: &Pixels, targets: &[Target]) -> Vec<Result<Vec<u8>, CodecError>> {
    let _ = pixels;
    targets.iter().map(|_| Err(CodecError::Encode("not built yet".into()))).collect()
}

/// Changes whenever an encoder, its settings or this module's resizing change what bytes come
/// out: part of every cache key, so a new midad never serves variants an old one made.
pub(crate) const CODEC_VERSION: &str = "0";
