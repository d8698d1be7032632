//! Pixels in and out: probing a file's size, decoding it upright and in sRGB, and encoding crops
//! of it at given sizes. Knows nothing of sites, caches or URLs.
//!
//! Decoding is the `image` crate's (its JPEG decoder is zune-jpeg's SIMD one) with the EXIF
//! orientation applied and an embedded colour profile converted to sRGB by moxcms; SVG is
//! rasterised by resvg. Every target is cropped and scaled by fast_image_resize (SIMD
//! convolution, Lanczos 3) and encoded by jpeg-encoder (SIMD, progressive), libwebp (through the
//! `webp` crate) or the `png` crate. Encoders write pixels only: no output carries metadata.

use std::io::Cursor;

use fast_image_resize as fr;
use image::{DynamicImage, ImageDecoder, ImageFormat};
use thiserror::Error;

/// What an image file is, by its bytes (never by its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
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
pub enum OutputFormat {
    /// AVIF.
    Avif,
    /// Lossy WebP, with its alpha channel where the source has one.
    Webp,
    /// Progressive JPEG, no metadata.
    Jpeg,
    /// PNG, for sources with transparency.
    Png,
}

/// A file's format and its size as displayed: width and height after its EXIF orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Probe {
    /// Format, from the bytes.
    pub format: SourceFormat,
    /// Width in pixels, upright.
    pub width: u32,
    /// Height in pixels, upright.
    pub height: u32,
    /// Whether it can be transparent (an alpha channel or a transparent colour in its header).
    pub alpha: bool,
}

/// Why an image can't be read or written.
#[derive(Debug, Error)]
pub enum CodecError {
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

/// The largest image decoded, in pixels (a 100-megapixel panorama; larger is refused rather
/// than allowed to take gigabytes).
const MAX_PIXELS: u64 = 100_000_000;

/// Reads a file's format, upright size and transparency from its header, without decoding.
pub fn probe(bytes: &[u8]) -> Result<Probe, CodecError> {
    if is_svg(bytes) {
        let tree = svg_tree(bytes)?;
        let size = tree.size();
        let (width, height) = (size.width().ceil() as u32, size.height().ceil() as u32);
        return Ok(Probe { format: SourceFormat::Svg, width, height, alpha: true });
    }
    let format = raster_format(bytes)?;
    if format == SourceFormat::Gif {
        let size =
            |at: usize| bytes.get(at..at + 2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])));
        let (Some(width), Some(height)) = (size(6), size(8)) else {
            return Err(CodecError::Damaged("GIF header cut short".into()));
        };
        return Ok(Probe { format, width, height, alpha: true });
    }
    if format == SourceFormat::Jpeg && !ends_jpeg(bytes) {
        return Err(CodecError::Damaged("the JPEG is cut short (no end marker)".into()));
    }
    let mut decoder = decoder(bytes)?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(CodecError::Damaged(format!("{w}×{h} pixels is no size midad processes")));
    }
    let turned = decoder.orientation().is_ok_and(swaps_sides);
    let (width, height) = if turned { (h, w) } else { (w, h) };
    let alpha = decoder.color_type().has_alpha();
    Ok(Probe { format, width, height, alpha })
}

/// A decoded image: upright (EXIF orientation applied), in sRGB, 8 bits per channel, RGB or
/// (when it can be transparent) RGBA.
pub struct Pixels {
    image: fr::images::Image<'static>,
}

impl Pixels {
    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.image.width()
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.image.height()
    }

    /// Whether it has an alpha channel.
    pub fn has_alpha(&self) -> bool {
        self.image.pixel_type() == fr::PixelType::U8x4
    }
}

/// Decodes a file. `largest` is the largest output size that will be asked of it
/// (width, height): an SVG is rasterised to cover it.
pub fn decode(bytes: &[u8], largest: (u32, u32)) -> Result<Pixels, CodecError> {
    if is_svg(bytes) {
        return rasterise(bytes, largest);
    }
    if raster_format(bytes)? == SourceFormat::Gif {
        return Err(CodecError::UnknownFormat);
    }
    let mut decoder = decoder(bytes)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(CodecError::Damaged(format!("{w}×{h} pixels is no size midad processes")));
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let profile = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha();
    let (width, height) = (image.width(), image.height());
    let (mut buffer, pixel_type) = if alpha {
        (image.into_rgba8().into_raw(), fr::PixelType::U8x4)
    } else {
        (image.into_rgb8().into_raw(), fr::PixelType::U8x3)
    };
    if let Some(profile) = profile {
        to_srgb(&profile, &mut buffer, alpha);
    }
    let image = fr::images::Image::from_vec_u8(width, height, buffer, pixel_type)
        .map_err(|e| CodecError::Damaged(e.to_string()))?;
    Ok(Pixels { image })
}

/// A rectangle of an image as fractions of its upright width and height (0.0 to 1.0), so it
/// means the same whatever scale the image was decoded at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    /// Left edge.
    pub left: f64,
    /// Top edge.
    pub top: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
}

impl Region {
    /// The whole image.
    pub const WHOLE: Region = Region { left: 0.0, top: 0.0, width: 1.0, height: 1.0 };
}

/// One output: `region` of the image scaled to exactly `width` × `height` and encoded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// What part of the image.
    pub region: Region,
    /// Output width in pixels.
    pub width: u32,
    /// Output height in pixels.
    pub height: u32,
    /// Output format.
    pub format: OutputFormat,
    /// Quality, 1 to 100 (ignored for PNG).
    pub quality: u8,
    /// AVIF encoder speed, 1 (slowest, smallest) to 10 (fastest); ignored by other formats.
    pub avif_speed: u8,
}

/// Encodes every target of one decoded image; each result on its own, so one failure doesn't
/// lose the others. No output carries metadata (EXIF, XMP, GPS, comments).
pub fn encode_all(pixels: &Pixels, targets: &[Target]) -> Vec<Result<Vec<u8>, CodecError>> {
    let mut resizer = fr::Resizer::new();
    targets.iter().map(|target| encode(&mut resizer, pixels, target)).collect()
}

/// Changes whenever an encoder, its settings or this module's resizing change what bytes come
/// out: part of every cache key, so a new midad never serves variants an old one made.
pub const CODEC_VERSION: &str = "1: image 0.25 + moxcms 0.9, fast_image_resize 6 lanczos3, jpeg-encoder 0.7 progressive 4:2:0, libwebp 1 (webp 0.3) method 4, png fast adaptive, resvg 0.49";

fn encode(
    resizer: &mut fr::Resizer,
    pixels: &Pixels,
    target: &Target,
) -> Result<Vec<u8>, CodecError> {
    let (width, height) = (target.width.max(1), target.height.max(1));
    let source = &pixels.image;
    let mut scaled = fr::images::Image::new(width, height, source.pixel_type());
    let (sw, sh) = (f64::from(source.width()), f64::from(source.height()));
    let r = target.region;
    let options = fr::ResizeOptions::new()
        .resize_alg(fr::ResizeAlg::Convolution(fr::FilterType::Lanczos3))
        .crop(r.left * sw, r.top * sh, (r.width * sw).max(1.0), (r.height * sh).max(1.0));
    resizer.resize(source, &mut scaled, &options).map_err(|e| CodecError::Encode(e.to_string()))?;
    let alpha = pixels.has_alpha();
    let buffer = scaled.buffer();
    match target.format {
        OutputFormat::Jpeg => jpeg(&flatten(buffer, alpha), width, height, target.quality),
        OutputFormat::Webp => webp(buffer, alpha, width, height, target.quality),
        OutputFormat::Png => png(buffer, alpha, width, height),
        OutputFormat::Avif => Err(CodecError::Encode("AVIF is not available in this build".into())),
    }
}

fn jpeg(rgb: &[u8], width: u32, height: u32, quality: u8) -> Result<Vec<u8>, CodecError> {
    let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(CodecError::Encode(format!("{width}×{height} is too large for JPEG")));
    };
    let mut out = Vec::with_capacity(rgb.len() / 10);
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality.clamp(1, 100));
    encoder.set_progressive(true);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    encoder
        .encode(rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| CodecError::Encode(e.to_string()))?;
    Ok(out)
}

fn webp(
    buffer: &[u8],
    alpha: bool,
    width: u32,
    height: u32,
    quality: u8,
) -> Result<Vec<u8>, CodecError> {
    let encoder = if alpha {
        webp::Encoder::from_rgba(buffer, width, height)
    } else {
        webp::Encoder::from_rgb(buffer, width, height)
    };
    let encoded = encoder
        .encode_simple(false, f32::from(quality.clamp(1, 100)))
        .map_err(|e| CodecError::Encode(format!("WebP: {e:?}")))?;
    Ok(encoded.to_vec())
}

fn png(buffer: &[u8], alpha: bool, width: u32, height: u32) -> Result<Vec<u8>, CodecError> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    let color =
        if alpha { image::ExtendedColorType::Rgba8 } else { image::ExtendedColorType::Rgb8 };
    encoder
        .write_image(buffer, width, height, color)
        .map_err(|e| CodecError::Encode(e.to_string()))?;
    Ok(out)
}

/// RGB of `buffer`, over white where it is transparent (JPEG has no alpha).
fn flatten(buffer: &[u8], alpha: bool) -> std::borrow::Cow<'_, [u8]> {
    if !alpha {
        return std::borrow::Cow::Borrowed(buffer);
    }
    let mut rgb = Vec::with_capacity(buffer.len() / 4 * 3);
    for px in buffer.chunks_exact(4) {
        let a = u32::from(px[3]);
        for &c in &px[..3] {
            rgb.push(((u32::from(c) * a + 255 * (255 - a) + 127) / 255) as u8);
        }
    }
    std::borrow::Cow::Owned(rgb)
}

/// Converts `buffer` from the colour space of ICC `profile` to sRGB in place; a profile that
/// can't be read leaves the pixels as they are (most such files are sRGB anyway).
fn to_srgb(profile: &[u8], buffer: &mut [u8], alpha: bool) {
    let Ok(source) = moxcms::ColorProfile::new_from_slice(profile) else { return };
    let srgb = moxcms::ColorProfile::new_srgb();
    if source.is_matrix_shaper()
        && source.red_colorant == srgb.red_colorant
        && source.green_colorant == srgb.green_colorant
    {
        return;
    }
    let layout = if alpha { moxcms::Layout::Rgba } else { moxcms::Layout::Rgb };
    let Ok(transform) =
        source.create_transform_8bit(layout, &srgb, layout, moxcms::TransformOptions::default())
    else {
        return;
    };
    let mut out = vec![0u8; buffer.len()];
    if transform.transform(buffer, &mut out).is_ok() {
        buffer.copy_from_slice(&out);
    }
}

/// Whether a JPEG has its end-of-image marker (the decoder fills a cut file with grey rather
/// than fail). Some cameras and editors leave padding after it.
fn ends_jpeg(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    tail.windows(2).any(|w| w == [0xff, 0xd9])
}

fn raster_format(bytes: &[u8]) -> Result<SourceFormat, CodecError> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(SourceFormat::Jpeg),
        Ok(ImageFormat::Png) => Ok(SourceFormat::Png),
        Ok(ImageFormat::WebP) => Ok(SourceFormat::Webp),
        Ok(ImageFormat::Gif) => Ok(SourceFormat::Gif),
        _ => Err(CodecError::UnknownFormat),
    }
}

fn decoder(bytes: &[u8]) -> Result<Box<dyn ImageDecoder + '_>, CodecError> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| CodecError::Damaged(e.to_string()))?;
    reader.no_limits();
    let decoder = reader.into_decoder().map_err(damaged)?;
    Ok(Box::new(decoder))
}

fn damaged(err: image::ImageError) -> CodecError {
    match err {
        image::ImageError::Unsupported(_) => CodecError::UnknownFormat,
        other => CodecError::Damaged(other.to_string()),
    }
}

fn swaps_sides(orientation: image::metadata::Orientation) -> bool {
    use image::metadata::Orientation::*;
    matches!(orientation, Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH)
}

fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let text = String::from_utf8_lossy(head);
    let text = text.trim_start_matches('\u{feff}').trim_start();
    (text.starts_with("<?xml") || text.starts_with("<svg") || text.starts_with("<!--"))
        && text.contains("<svg")
}

fn svg_tree(bytes: &[u8]) -> Result<resvg::usvg::Tree, CodecError> {
    resvg::usvg::Tree::from_data(bytes, &resvg::usvg::Options::default())
        .map_err(|e| CodecError::Damaged(e.to_string()))
}

/// An SVG drawn at the smallest scale that covers `largest`, in RGBA.
fn rasterise(bytes: &[u8], largest: (u32, u32)) -> Result<Pixels, CodecError> {
    let tree = svg_tree(bytes)?;
    let size = tree.size();
    let scale = (f64::from(largest.0) / f64::from(size.width()))
        .max(f64::from(largest.1) / f64::from(size.height()))
        .clamp(0.01, 64.0) as f32;
    let width = (size.width() * scale).ceil().max(1.0) as u32;
    let height = (size.height() * scale).ceil().max(1.0) as u32;
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(CodecError::Damaged("the SVG is drawn too large".into()));
    }
    let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| CodecError::Damaged("the SVG has no size".into()))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let mut rgba = Vec::with_capacity(pixmap.data().len());
    for px in pixmap.pixels() {
        let c = px.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    let image = fr::images::Image::from_vec_u8(width, height, rgba, fr::PixelType::U8x4)
        .map_err(|e| CodecError::Damaged(e.to_string()))?;
    Ok(Pixels { image })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG whose left half is red and right half blue, `width` × `height`.
    fn halves(width: u32, height: u32) -> Vec<u8> {
        let mut rgb = Vec::new();
        for _ in 0..height {
            for x in 0..width {
                rgb.extend_from_slice(if x < width / 2 { &[220, 20, 20] } else { &[20, 20, 220] });
            }
        }
        jpeg(&rgb, width, height, 90).unwrap()
    }

    /// `jpeg` with an EXIF APP1 segment carrying `orientation` and a GPS pointer.
    fn with_orientation(jpeg: &[u8], orientation: u16) -> Vec<u8> {
        let mut tiff = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&2u16.to_be_bytes());
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1]);
        tiff.extend_from_slice(&orientation.to_be_bytes());
        tiff.extend_from_slice(&[0, 0]);
        tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        let mut segment = b"Exif\0\0".to_vec();
        segment.extend(tiff);
        let mut out = jpeg[..2].to_vec();
        out.extend_from_slice(&[0xff, 0xe1]);
        out.extend_from_slice(&((segment.len() + 2) as u16).to_be_bytes());
        out.extend(segment);
        out.extend_from_slice(&jpeg[2..]);
        out
    }

    #[test]
    fn probes_read_the_upright_size() {
        let plain = halves(64, 32);
        let probe = probe(&plain).unwrap();
        assert_eq!(
            (probe.format, probe.width, probe.height, probe.alpha),
            (SourceFormat::Jpeg, 64, 32, false)
        );
        let turned = probe_of(&with_orientation(&plain, 6));
        assert_eq!((turned.width, turned.height), (32, 64));
    }

    fn probe_of(bytes: &[u8]) -> Probe {
        probe(bytes).unwrap()
    }

    #[test]
    fn decoding_applies_the_orientation() {
        // Orientation 6: the stored image is shown turned a quarter clockwise, so its left
        // (red) half comes out on top.
        let pixels = decode(&with_orientation(&halves(64, 32), 6), (64, 64)).unwrap();
        assert_eq!((pixels.width(), pixels.height()), (32, 64));
        let target = Target {
            region: Region::WHOLE,
            width: 32,
            height: 64,
            format: OutputFormat::Png,
            quality: 80,
            avif_speed: 0,
        };
        let png = encode_all(&pixels, &[target]).remove(0).unwrap();
        let image = image::load_from_memory(&png).unwrap().to_rgb8();
        let top = image.get_pixel(16, 8);
        let bottom = image.get_pixel(16, 56);
        assert!(top[0] > 150 && top[2] < 100, "top is {top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 100, "bottom is {bottom:?}");
    }

    #[test]
    fn outputs_have_the_size_asked_and_no_metadata() {
        let source = with_orientation(&halves(400, 300), 1);
        let pixels = decode(&source, (400, 300)).unwrap();
        let crop = Region { left: 0.25, top: 0.0, width: 0.5, height: 0.5 };
        for format in [OutputFormat::Jpeg, OutputFormat::Webp, OutputFormat::Png] {
            let target =
                Target { region: crop, width: 120, height: 90, format, quality: 80, avif_speed: 0 };
            let bytes = encode_all(&pixels, &[target]).remove(0).unwrap();
            let image = image::load_from_memory(&bytes).unwrap();
            assert_eq!((image.width(), image.height()), (120, 90), "{format:?}");
            assert!(!bytes.windows(4).any(|w| w == b"Exif"), "{format:?} carries EXIF");
        }
    }

    #[test]
    fn transparency_is_kept_and_svg_is_drawn() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><circle cx="30" cy="30" r="20" fill="red"/></svg>"#;
        let probe = probe(svg).unwrap();
        assert_eq!((probe.format, probe.width, probe.height), (SourceFormat::Svg, 120, 60));
        let pixels = decode(svg, (1200, 600)).unwrap();
        assert!(pixels.width() >= 1200 && pixels.has_alpha());
        let target = Target {
            region: Region::WHOLE,
            width: 240,
            height: 120,
            format: OutputFormat::Png,
            quality: 80,
            avif_speed: 0,
        };
        let png = encode_all(&pixels, &[target]).remove(0).unwrap();
        let image = image::load_from_memory(&png).unwrap().to_rgba8();
        assert_eq!(image.get_pixel(200, 100)[3], 0, "transparent background kept");
        assert!(image.get_pixel(60, 60)[0] > 200, "the circle is drawn");
    }

    #[test]
    fn damaged_input_is_an_error_never_a_panic() {
        let whole = halves(64, 32);
        for bytes in [
            &whole[..whole.len() / 2],
            &whole[..20],
            b"",
            b"not an image at all",
            b"\x89PNG\r\n\x1a\n",
        ] {
            if let Ok(probe) = probe(bytes) {
                let _ = decode(bytes, (probe.width, probe.height)).err();
            }
        }
        assert!(probe(b"hello").is_err());
        assert!(probe(&whole[..whole.len() - 40]).is_err(), "a cut JPEG is damaged");
        assert!(
            decode(&whole[..whole.len() / 3], (64, 32)).is_err()
                || probe(&whole[..whole.len() / 3]).is_ok()
        );
    }
}
