//! Cropping, resizing and encoding targets.
//!
//! Resizing a 12-megapixel photo costs about as much whatever the output size (the filter
//! reads every source pixel), so targets are resized from the smallest of a chain of halvings
//! of the image that still has at least 1.25 times their pixels across and down. Resizing
//! twice that way stays above 51 dB PSNR of the direct resize (invisible), and the chain
//! depends only on the image, so a target's bytes never depend on its sibling targets.

use std::borrow::Cow;

use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer, images};

use super::{CodecError, MAX_PIXELS, OutputFormat, Pixels, Region, Target, webp};

/// A level of the chain must be this much larger than a target, across and down, to be
/// resized from: at 1.25 the double resize measured 52.9 dB PSNR against the direct one, at
/// 1.1 48.2 dB, at 1.05 46.5 dB.
const MIN_LEVEL_RATIO: f64 = 1.25;

/// Lanczos3 over CatmullRom: 2 ms more on a 12-megapixel source, but sharper, and the chain
/// of halvings makes most resizes small.
const FILTER: FilterType = FilterType::Lanczos3;

pub(super) fn encode_all(pixels: &Pixels, targets: &[Target]) -> Vec<Result<Vec<u8>, CodecError>> {
    let mut chain = Chain::new(pixels);
    // Targets of the same crop and size (a JPEG and a WebP) share one resize.
    let mut resized: Vec<(Region, u32, u32, Vec<u8>)> = Vec::new();
    targets
        .iter()
        .map(|t| {
            check(t)?;
            let known = resized
                .iter()
                .position(|(r, w, h, _)| (*r, *w, *h) == (t.region, t.width, t.height));
            let index = match known {
                Some(i) => i,
                None => {
                    let pixels = chain.resize(t.region, t.width, t.height)?;
                    resized.push((t.region, t.width, t.height, pixels));
                    resized.len() - 1
                }
            };
            encode(&resized[index].3, t, pixels.channels)
        })
        .collect()
}

/// A target midad can make: a region inside the image, a size each encoder takes.
fn check(t: &Target) -> Result<(), CodecError> {
    let r = t.region;
    let inside = [r.left, r.top, r.width, r.height].iter().all(|v| v.is_finite())
        && r.left >= 0.0
        && r.top >= 0.0
        && r.width > 0.0
        && r.height > 0.0
        && r.left + r.width <= 1.0 + 1e-9
        && r.top + r.height <= 1.0 + 1e-9;
    if !inside {
        return Err(CodecError::Encode(format!("region outside the image: {r:?}")));
    }
    let limit = match t.format {
        OutputFormat::Jpeg => u32::from(u16::MAX),
        OutputFormat::Webp => 16383,
        OutputFormat::Avif | OutputFormat::Png => 1 << 16,
    };
    let pixels = u64::from(t.width) * u64::from(t.height);
    if t.width == 0 || t.height == 0 || t.width > limit || t.height > limit || pixels > MAX_PIXELS {
        return Err(CodecError::Encode(format!(
            "{}x{} is no size for {:?}",
            t.width, t.height, t.format
        )));
    }
    Ok(())
}

/// One image of the chain: the pixels halved `k` times.
struct Level<'a> {
    width: u32,
    height: u32,
    pixels: Cow<'a, [u8]>,
}

/// The image and its halvings, each made from the one before when first needed.
struct Chain<'a> {
    levels: Vec<Level<'a>>,
    pixel_type: PixelType,
    resizer: Resizer,
}

impl<'a> Chain<'a> {
    fn new(p: &'a Pixels) -> Chain<'a> {
        let source = Level { width: p.width, height: p.height, pixels: Cow::Borrowed(&p.data) };
        let pixel_type = if p.channels == 4 { PixelType::U8x4 } else { PixelType::U8x3 };
        Chain { levels: vec![source], pixel_type, resizer: Resizer::new() }
    }

    /// `region` scaled to `width` × `height`, from the smallest level big enough.
    fn resize(&mut self, region: Region, width: u32, height: u32) -> Result<Vec<u8>, CodecError> {
        let big_enough = |w: u32, h: u32| {
            region.width * f64::from(w) >= MIN_LEVEL_RATIO * f64::from(width)
                && region.height * f64::from(h) >= MIN_LEVEL_RATIO * f64::from(height)
        };
        let mut k = 0;
        let (mut w, mut h) = (self.levels[0].width, self.levels[0].height);
        while w > 1 && h > 1 && big_enough(w.div_ceil(2), h.div_ceil(2)) {
            (w, h) = (w.div_ceil(2), h.div_ceil(2));
            k += 1;
        }
        while self.levels.len() <= k {
            let last = &self.levels[self.levels.len() - 1];
            let (w, h) = (last.width.div_ceil(2), last.height.div_ceil(2));
            let whole = Region::WHOLE;
            let pixels = scale(&mut self.resizer, self.pixel_type, last, whole, w, h)?;
            self.levels.push(Level { width: w, height: h, pixels: Cow::Owned(pixels) });
        }
        scale(&mut self.resizer, self.pixel_type, &self.levels[k], region, width, height)
    }
}

fn scale(
    resizer: &mut Resizer,
    pixel_type: PixelType,
    from: &Level<'_>,
    region: Region,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, CodecError> {
    let failed = |e: &dyn std::fmt::Display| CodecError::Encode(format!("resize: {e}"));
    let src = images::ImageRef::new(from.width, from.height, &from.pixels, pixel_type)
        .map_err(|e| failed(&e))?;
    let (fw, fh) = (f64::from(from.width), f64::from(from.height));
    let left = (region.left * fw).clamp(0.0, fw);
    let top = (region.top * fh).clamp(0.0, fh);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FILTER)).crop(
        left,
        top,
        (region.width * fw).min(fw - left),
        (region.height * fh).min(fh - top),
    );
    let mut dst = images::Image::new(width, height, pixel_type);
    resizer.resize(&src, &mut dst, &options).map_err(|e| failed(&e))?;
    Ok(dst.into_vec())
}

/// Encodes resized pixels (`channels` 3 or 4) as the target says.
fn encode(pixels: &[u8], t: &Target, channels: usize) -> Result<Vec<u8>, CodecError> {
    let quality = t.quality.clamp(1, 100);
    match t.format {
        OutputFormat::Jpeg => jpeg(&opaque(pixels, channels), t.width, t.height, quality),
        OutputFormat::Webp => webp::encode(pixels, t.width, t.height, channels, quality),
        OutputFormat::Png => png(pixels, t.width, t.height, channels),
        OutputFormat::Avif => avif(pixels, t.width, t.height, channels, quality, t.avif_speed),
    }
}

/// RGB pixels, RGBA ones laid on white: a JPEG has no alpha, and the colour of a fully
/// transparent pixel is often black or noise.
fn opaque(pixels: &[u8], channels: usize) -> Cow<'_, [u8]> {
    if channels == 3 {
        return Cow::Borrowed(pixels);
    }
    let over_white = |c: u8, a: u8| {
        let (c, a) = (u32::from(c), u32::from(a));
        ((c * a + 255 * (255 - a) + 127) / 255) as u8
    };
    let rgb = pixels.chunks_exact(4).flat_map(|p| [0, 1, 2].map(|i| over_white(p[i], p[3])));
    Cow::Owned(rgb.collect())
}

/// Baseline JPEG, 4:2:0, the standard Huffman tables, all components in one scan. Optimised
/// tables would save 12% for 2.7 ms (1600 × 1200), but jpeg-encoder then writes one scan per
/// component, which zune-jpeg 0.5.15, and so the image crate, decodes to garbage; its
/// progressive mode came out as large as baseline and slower.
fn jpeg(rgb: &[u8], width: u32, height: u32, quality: u8) -> Result<Vec<u8>, CodecError> {
    use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
    let failed = |e: jpeg_encoder::EncodingError| CodecError::Encode(format!("JPEG: {e}"));
    let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(CodecError::Encode("JPEG: larger than 65535".into()));
    };
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(SamplingFactor::R_4_2_0);
    encoder.encode(rgb, w, h, ColorType::Rgb).map_err(failed)?;
    Ok(out)
}

/// PNG, first at the png crate's Fast level (fdeflate). On a photo that is 47 times faster
/// than Balanced and no larger (1200 × 900: 5 ms against 233 ms); on a flat graphic Balanced
/// is 4 times smaller and still quick (6 ms), so output that shrank more than 4:1 is made again
/// at Balanced.
fn png(pixels: &[u8], width: u32, height: u32, channels: usize) -> Result<Vec<u8>, CodecError> {
    let fast = png_at(png::Compression::Fast, pixels, width, height, channels)?;
    if fast.len() * 4 > pixels.len() {
        return Ok(fast);
    }
    png_at(png::Compression::Balanced, pixels, width, height, channels)
}

fn png_at(
    level: png::Compression,
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: usize,
) -> Result<Vec<u8>, CodecError> {
    let failed = |e: png::EncodingError| CodecError::Encode(format!("PNG: {e}"));
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(if channels == 4 { png::ColorType::Rgba } else { png::ColorType::Rgb });
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(level);
    let mut writer = encoder.write_header().map_err(failed)?;
    writer.write_image_data(pixels).map_err(failed)?;
    writer.finish().map_err(failed)?;
    Ok(out)
}

/// AVIF through rav1e, 8-bit (10-bit was 7–15% slower for the same size), on this thread: one
/// tile whatever the machine, so the bytes are the same on every machine.
fn avif(
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: usize,
    quality: u8,
    speed: u8,
) -> Result<Vec<u8>, CodecError> {
    use ravif::{BitDepth, Encoder, Img, RGB8, RGBA8};
    let encoder = Encoder::new()
        .with_quality(f32::from(quality))
        .with_alpha_quality(f32::from(quality))
        .with_speed(speed.clamp(1, 10))
        .with_bit_depth(BitDepth::Eight)
        .with_num_threads(Some(1));
    let (w, h) = (width as usize, height as usize);
    let encoded = if channels == 4 {
        let rgba: Vec<RGBA8> =
            pixels.chunks_exact(4).map(|p| RGBA8::new(p[0], p[1], p[2], p[3])).collect();
        encoder.encode_rgba(Img::new(&rgba, w, h))
    } else {
        let rgb: Vec<RGB8> = pixels.chunks_exact(3).map(|p| RGB8::new(p[0], p[1], p[2])).collect();
        encoder.encode_rgb(Img::new(&rgb, w, h))
    };
    encoded.map(|e| e.avif_file).map_err(|e| CodecError::Encode(format!("AVIF: {e}")))
}
