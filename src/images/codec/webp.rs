//! libwebp (1.5, built from source by libwebp-sys) behind two safe functions. The `webp` crate
//! would wrap it for us but pins libwebp 1.3.1, whose decoder has CVE-2023-4863.

use std::ffi::c_int;

use libwebp_sys as sys;

use super::CodecError;

/// Method 4 is libwebp's default: method 2 is 2.8 times faster but 17% larger, method 6 is
/// 1.5 times slower for 6% smaller (1600 × 1200 photo, `bench/codec`).
const METHOD: c_int = 4;

/// Decodes a still WebP to RGB, or RGBA when `alpha`; returns the pixels and their size.
pub(super) fn decode(bytes: &[u8], alpha: bool) -> Result<(Vec<u8>, u32, u32), CodecError> {
    let damaged = |why: &str| CodecError::Damaged(format!("WebP: {why}"));
    // SAFETY: WebPGetFeatures reads at most `bytes.len()` bytes and writes one struct.
    let features = unsafe {
        let mut features = std::mem::zeroed::<sys::WebPBitstreamFeatures>();
        let status = sys::WebPGetFeatures(bytes.as_ptr(), bytes.len(), &mut features);
        (status == sys::VP8StatusCode::VP8_STATUS_OK).then_some(features)
    };
    let features = features.ok_or_else(|| damaged("unreadable header"))?;
    let (Ok(width), Ok(height)) = (u32::try_from(features.width), u32::try_from(features.height))
    else {
        return Err(damaged("negative size"));
    };
    let channels = if alpha { 4 } else { 3 };
    let stride = width as usize * channels;
    let len = stride.checked_mul(height as usize).ok_or_else(|| damaged("too large"))?;
    let stride = c_int::try_from(stride).map_err(|_| damaged("too wide"))?;
    let mut out = vec![0u8; len];
    // SAFETY: libwebp writes at most `out.len()` bytes, `stride` to a row, and returns null
    // when the data is damaged or does not fit.
    let written = unsafe {
        if alpha {
            sys::WebPDecodeRGBAInto(bytes.as_ptr(), bytes.len(), out.as_mut_ptr(), len, stride)
        } else {
            sys::WebPDecodeRGBInto(bytes.as_ptr(), bytes.len(), out.as_mut_ptr(), len, stride)
        }
    };
    if written.is_null() {
        return Err(damaged("damaged or cut short"));
    }
    Ok((out, width, height))
}

/// Encodes RGB or RGBA (`channels` 3 or 4) as lossy WebP, on this thread, with no metadata.
pub(super) fn encode(
    pixels: &[u8],
    width: u32,
    height: u32,
    channels: usize,
    quality: u8,
) -> Result<Vec<u8>, CodecError> {
    let failed = |why: &str| CodecError::Encode(format!("WebP: {why}"));
    let (Ok(w), Ok(h)) = (c_int::try_from(width), c_int::try_from(height)) else {
        return Err(failed("too large"));
    };
    let stride = c_int::try_from(width as usize * channels).map_err(|_| failed("too wide"))?;
    if pixels.len() < width as usize * height as usize * channels {
        return Err(failed("buffer smaller than the image"));
    }
    let mut config = sys::WebPConfig::new_with_preset(
        sys::WebPPreset::WEBP_PRESET_DEFAULT,
        f32::from(quality.clamp(1, 100)),
    )
    .map_err(|()| failed("libwebp version mismatch"))?;
    config.method = METHOD;
    config.thread_level = 0;
    let mut picture = Picture(sys::WebPPicture::new().map_err(|()| failed("libwebp version"))?);
    picture.0.use_argb = 0;
    picture.0.width = w;
    picture.0.height = h;
    let mut writer = Writer::new();
    // SAFETY: the picture and writer are initialised above and freed by their Drop; `pixels`
    // holds `height` rows of `stride` bytes (checked above); the writer outlives the encode
    // that writes through `custom_ptr`.
    unsafe {
        let imported = if channels == 4 {
            sys::WebPPictureImportRGBA(&mut picture.0, pixels.as_ptr(), stride)
        } else {
            sys::WebPPictureImportRGB(&mut picture.0, pixels.as_ptr(), stride)
        };
        if imported == 0 {
            return Err(failed("out of memory"));
        }
        picture.0.writer = Some(sys::WebPMemoryWrite);
        picture.0.custom_ptr = (&raw mut writer.0).cast();
        if sys::WebPEncode(&config, &mut picture.0) == 0 {
            return Err(failed(&format!("{:?}", picture.0.error_code)));
        }
        Ok(writer.bytes().to_vec())
    }
}

/// A WebPPicture freed when dropped.
struct Picture(sys::WebPPicture);

impl Drop for Picture {
    fn drop(&mut self) {
        // SAFETY: the picture was initialised by WebPPictureInit; freeing it twice or freeing
        // one never imported into is allowed.
        unsafe { sys::WebPPictureFree(&mut self.0) };
    }
}

/// A WebPMemoryWriter freed when dropped.
struct Writer(sys::WebPMemoryWriter);

impl Writer {
    fn new() -> Writer {
        // SAFETY: WebPMemoryWriterInit fills in the whole struct.
        unsafe {
            let mut writer = std::mem::zeroed::<sys::WebPMemoryWriter>();
            sys::WebPMemoryWriterInit(&mut writer);
            Writer(writer)
        }
    }

    fn bytes(&self) -> &[u8] {
        if self.0.mem.is_null() {
            return &[];
        }
        // SAFETY: libwebp keeps `size` bytes at `mem` until WebPMemoryWriterClear.
        unsafe { std::slice::from_raw_parts(self.0.mem, self.0.size) }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // SAFETY: initialised in `new`; Clear frees `mem` (null is fine).
        unsafe { sys::WebPMemoryWriterClear(&mut self.0) };
    }
}
