//! Pixels in and out: probing a file's size, decoding it upright and in sRGB, and encoding crops
//! of it at given sizes. Knows nothing of sites, caches or URLs.
//!
//! Everything here runs on the calling thread: midad works on several images at once, one per
//! rayon task, so no encoder or decoder is let spawn threads of its own.

// The build pipeline is the only caller; until it calls everything here, unused items are not
// a mistake.
#![allow(dead_code)]

mod decode;
mod encode;
mod orient;
mod probe;
mod svg;
mod webp;

#[cfg(test)]
mod tests;

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
    /// A well-formed file midad does not decode: a GIF, an animated WebP, or one larger than
    /// [`MAX_PIXELS`].
    #[error("not decoded: {0}")]
    Unsupported(String),
}

/// The most pixels a decoded image may have (134 megapixels, 400 MiB as RGB, 537 MiB as RGBA):
/// past that a file is refused rather than risk running the machine out of memory.
pub(crate) const MAX_PIXELS: u64 = 1 << 27;

/// Reads a file's format, upright size and transparency from its header, without decoding.
pub(crate) fn probe(bytes: &[u8]) -> Result<Probe, CodecError> {
    probe::probe(bytes)
}

/// A decoded image: upright (EXIF orientation applied), in sRGB, 8 bits per channel; 3 or 4
/// bytes a pixel (36 MiB for a 12-megapixel photo).
pub(crate) struct Pixels {
    width: u32,
    height: u32,
    /// 3 (RGB) or 4 (RGBA, straight alpha): 4 only when some pixel is not opaque.
    channels: usize,
    data: Vec<u8>,
}

impl Pixels {
    /// Width in pixels, upright.
    pub(crate) fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels, upright.
    pub(crate) fn height(&self) -> u32 {
        self.height
    }

    /// Whether some pixel is not fully opaque (then the pixels are RGBA, else RGB).
    pub(crate) fn has_alpha(&self) -> bool {
        self.channels == 4
    }
}

impl std::fmt::Debug for Pixels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.has_alpha() { "RGBA" } else { "RGB" };
        write!(f, "Pixels({}x{} {kind})", self.width, self.height)
    }
}

/// Decodes a file. `largest` is the largest output size that will be asked of it
/// (width, height): an SVG is rasterised to cover it. JPEGs are always decoded at full size:
/// DCT-scaled decoding (only the slower jpeg-decoder has it) saved under 20 ms on a
/// 12-megapixel photo, and resizing from it drifts to 42–44 dB PSNR (see `bench/codec`).
pub(crate) fn decode(bytes: &[u8], largest: (u32, u32)) -> Result<Pixels, CodecError> {
    // The decoders are fuzzed, but a panic on one bad upload must not take the build down.
    std::panic::catch_unwind(|| decode::decode(bytes, largest))
        .unwrap_or_else(|_| Err(CodecError::Damaged("the decoder gave up on it".into())))
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
///
/// A target's bytes depend only on the pixels and that target, never on which other targets
/// are asked for alongside it, so a cache may key each output on its own.
pub(crate) fn encode_all(pixels: &Pixels, targets: &[Target]) -> Vec<Result<Vec<u8>, CodecError>> {
    encode::encode_all(pixels, targets)
}

/// Changes whenever an encoder, its settings or this module's resizing change what bytes come
/// out: part of every cache key, so a new midad never serves variants an old one made. The
/// crate versions are those in Cargo.lock (a test holds them to it); `codec` counts changes to
/// this module's own choices (filters, pyramid, settings below).
pub(crate) const CODEC_VERSION: &str = concat!(
    "codec 1; ",
    "zune-jpeg 0.5.15; jpeg-decoder 0.3.2; png 0.18.1; libwebp-sys 0.14.4; resvg 0.49.0; moxcms 0.9.2; ",
    "fast_image_resize 6.1.0 lanczos3 halvings>=1.25; ",
    "jpeg-encoder 0.7.1 baseline standard-huffman 4:2:0 white-matte; ",
    "webp lossy m4 alpha-q100; png fast, balanced past 4:1; ",
    "ravif 0.13.0 rav1e 0.8.1 8-bit 1-thread alpha-q=q",
);
