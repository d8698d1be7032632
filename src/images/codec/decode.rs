//! Decoding to upright sRGB: each format's decoder, then alpha, colour profile and EXIF
//! orientation handled the same way for all.

use std::io::Cursor;

use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};

use super::orient::Orientation;
use super::probe::{self, Header, damaged};
use super::{CodecError, MAX_PIXELS, Pixels, SourceFormat, svg, webp};

/// Pixels as a decoder left them: stored orientation, the file's colour space.
struct Decoded {
    width: u32,
    height: u32,
    /// 3 or 4.
    channels: usize,
    data: Vec<u8>,
}

pub(super) fn decode(bytes: &[u8], largest: (u32, u32)) -> Result<Pixels, CodecError> {
    match probe::sniff(bytes).ok_or(CodecError::UnknownFormat)? {
        SourceFormat::Jpeg => {
            let header = probe::jpeg(bytes)?;
            check_size(&header)?;
            let (decoded, icc) = jpeg(bytes, &header)?;
            Ok(finish(decoded, icc.as_deref(), header.orientation))
        }
        SourceFormat::Png => {
            let header = probe::png(bytes)?;
            check_size(&header)?;
            let (decoded, icc) = png(bytes, &header)?;
            Ok(finish(decoded, icc.as_deref(), header.orientation))
        }
        SourceFormat::Webp => {
            let webp = probe::webp(bytes)?;
            check_size(&webp.header)?;
            if webp.animated {
                return Err(CodecError::Unsupported("animated WebP".into()));
            }
            let (data, width, height) = webp::decode(bytes, webp.header.alpha)?;
            let channels = if webp.header.alpha { 4 } else { 3 };
            let decoded = Decoded { width, height, channels, data };
            Ok(finish(decoded, webp.icc, webp.header.orientation))
        }
        SourceFormat::Svg => {
            // Other XML is no SVG, whatever usvg would make of it.
            svg::header(bytes)?;
            let (data, width, height) = svg::rasterise(bytes, largest)?;
            let decoded = Decoded { width, height, channels: 4, data };
            Ok(finish(decoded, None, Orientation::UPRIGHT))
        }
        SourceFormat::Gif => Err(CodecError::Unsupported("GIF (copied as it is)".into())),
    }
}

fn check_size(header: &Header) -> Result<(), CodecError> {
    if u64::from(header.width) * u64::from(header.height) > MAX_PIXELS {
        return Err(CodecError::Unsupported(format!(
            "{}x{} is more than {MAX_PIXELS} pixels",
            header.width, header.height
        )));
    }
    Ok(())
}

/// Drops an alpha channel nothing uses, converts to sRGB and turns upright.
fn finish(mut d: Decoded, icc: Option<&[u8]>, orientation: Orientation) -> Pixels {
    if d.channels == 4 && d.data.chunks_exact(4).all(|p| p[3] == 255) {
        d.data = d.data.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        d.channels = 3;
    }
    if let Some(icc) = icc {
        to_srgb(&mut d.data, d.channels, icc);
    }
    let (data, width, height) = orientation.apply(d.data, d.width, d.height, d.channels);
    Pixels { width, height, channels: d.channels, data }
}

/// Converts pixels in place from an embedded RGB profile to sRGB. A profile that can't be read
/// or isn't RGB (CMYK, grey) is ignored and the pixels taken as sRGB, as browsers do.
fn to_srgb(pixels: &mut [u8], channels: usize, icc: &[u8]) {
    let Ok(profile) = ColorProfile::new_from_slice(icc) else { return };
    if profile.color_space != DataColorSpace::Rgb {
        return;
    }
    let layout = if channels == 4 { Layout::Rgba } else { Layout::Rgb };
    let srgb = ColorProfile::new_srgb();
    let Ok(transform) =
        profile.create_transform_8bit(layout, &srgb, layout, TransformOptions::default())
    else {
        return;
    };
    // Most embedded profiles are sRGB itself: a grid of colours that comes back unchanged
    // spares converting every pixel.
    let grid: Vec<u8> = (0..125u32)
        .flat_map(|i| {
            let level = |v: u32| (v * 255 / 4) as u8;
            let rgb = [level(i % 5), level(i / 5 % 5), level(i / 25)];
            rgb.into_iter().chain((channels == 4).then_some(255))
        })
        .collect();
    let mut out = vec![0; grid.len()];
    if transform.transform(&grid, &mut out).is_ok()
        && grid.iter().zip(&out).all(|(&a, &b)| a.abs_diff(b) <= 1)
    {
        return;
    }
    // In slices, so the copy stays small and in cache.
    let mut scratch = vec![0; 16384 * channels];
    for chunk in pixels.chunks_mut(16384 * channels) {
        let scratch = &mut scratch[..chunk.len()];
        if transform.transform(chunk, scratch).is_ok() {
            chunk.copy_from_slice(scratch);
        }
    }
}

/// zune-jpeg: the fastest decoder measured (48–60 ms for 12 megapixels, jpeg-decoder 75 ms),
/// except for the rare files it gets wrong.
fn jpeg(bytes: &[u8], header: &Header) -> Result<(Decoded, Option<Vec<u8>>), CodecError> {
    use zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};
    let scans = probe::jpeg_scans(bytes);
    let scans = scans.ok_or_else(|| damaged("JPEG cut short (no end-of-image marker)"))?;
    if scans.split_dc {
        return jpeg_split_scans(bytes, header);
    }
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX));
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let failed = |e: zune_jpeg::errors::DecodeErrors| CodecError::Damaged(format!("JPEG: {e}"));
    decoder.decode_headers().map_err(failed)?;
    let icc = decoder.icc_profile();
    let len = decoder.output_buffer_size().ok_or_else(|| damaged("JPEG too large"))?;
    let (width, height) = (header.width, header.height);
    if len != width as usize * height as usize * 3 {
        return Err(damaged("JPEG frame size and decoder disagree"));
    }
    let mut data = vec![0; len];
    decoder.decode_into(&mut data).map_err(failed)?;
    Ok((Decoded { width, height, channels: 3, data }, icc))
}

/// jpeg-decoder, for files whose DC coefficients come in one scan per component. With its
/// rayon feature it decodes components as tasks on the current rayon pool, never on threads of
/// its own.
fn jpeg_split_scans(
    bytes: &[u8],
    header: &Header,
) -> Result<(Decoded, Option<Vec<u8>>), CodecError> {
    use jpeg_decoder::PixelFormat;
    let failed = |e: jpeg_decoder::Error| CodecError::Damaged(format!("JPEG: {e}"));
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    let raw = decoder.decode().map_err(failed)?;
    let info = decoder.info().ok_or_else(|| damaged("JPEG without a frame"))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    if (width, height) != (header.width, header.height) {
        return Err(damaged("JPEG frame size and decoder disagree"));
    }
    let data = match info.pixel_format {
        PixelFormat::RGB24 => raw,
        PixelFormat::L8 => raw.iter().flat_map(|&g| [g, g, g]).collect(),
        other => return Err(CodecError::Unsupported(format!("JPEG in {other:?}, in split scans"))),
    };
    if data.len() != width as usize * height as usize * 3 {
        return Err(damaged("JPEG frame of the wrong length"));
    }
    Ok((Decoded { width, height, channels: 3, data }, decoder.icc_profile()))
}

fn png(bytes: &[u8], header: &Header) -> Result<(Decoded, Option<Vec<u8>>), CodecError> {
    use png::{ColorType, Transformations};
    let failed = |e: png::DecodingError| CodecError::Damaged(format!("PNG: {e}"));
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    // Palettes and transparent colours to RGB(A), 1-, 2-, 4- and 16-bit samples to 8.
    decoder.set_transformations(Transformations::EXPAND | Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(failed)?;
    let icc = reader.info().icc_profile.as_ref().map(|p| p.to_vec());
    let len = reader.output_buffer_size().ok_or_else(|| damaged("PNG too large"))?;
    let mut raw = vec![0; len];
    let frame = reader.next_frame(&mut raw).map_err(failed)?;
    raw.truncate(frame.buffer_size());
    let (width, height) = (frame.width, frame.height);
    if (width, height) != (header.width, header.height) {
        return Err(damaged("PNG frame size and header disagree"));
    }
    let (data, channels) = match frame.color_type {
        ColorType::Rgb => (raw, 3),
        ColorType::Rgba => (raw, 4),
        ColorType::Grayscale => (raw.iter().flat_map(|&g| [g, g, g]).collect(), 3),
        ColorType::GrayscaleAlpha => {
            (raw.chunks_exact(2).flat_map(|p| [p[0], p[0], p[0], p[1]]).collect(), 4)
        }
        ColorType::Indexed => return Err(damaged("PNG palette left unexpanded")),
    };
    if data.len() != width as usize * height as usize * channels {
        return Err(damaged("PNG frame of the wrong length"));
    }
    Ok((Decoded { width, height, channels, data }, icc))
}
