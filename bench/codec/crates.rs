//! Candidate crates for each step, timed on the same photo, so the codec's choices rest on
//! numbers from this machine.

use std::io::Cursor;

use crate::{Timer, photo_jpeg};

/// Decoders, full size and DCT-scaled.
pub(crate) fn decoders(jpeg: &[u8], t: &mut Timer) {
    t.run("decode zune-jpeg 0.5 (RGB, full)", || {
        let options = zune_core::options::DecoderOptions::default()
            .jpeg_set_out_colorspace(zune_core::colorspace::ColorSpace::RGB);
        let mut d = zune_jpeg::JpegDecoder::new_with_options(
            zune_core::bytestream::ZCursor::new(jpeg),
            options,
        );
        d.decode().expect("zune").len()
    });
    t.run("decode image 0.25 (zune inside, to RGB8)", || {
        image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)
            .expect("image")
            .to_rgb8()
            .len()
    });
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    for (name, div) in [
        ("decode jpeg-decoder 0.3 full", 1u16),
        ("decode jpeg-decoder 0.3 scaled 1/2", 2),
        ("decode jpeg-decoder 0.3 scaled 1/4", 4),
        ("decode jpeg-decoder 0.3 scaled 1/8", 8),
    ] {
        t.run(name, || {
            one.install(|| {
                let mut d = jpeg_decoder::Decoder::new(Cursor::new(jpeg));
                d.read_info().expect("info");
                let info = d.info().expect("info");
                d.scale(info.width / div, info.height / div).expect("scale");
                d.decode().expect("jpeg-decoder").len()
            })
        });
    }
}

/// fast_image_resize with the two filters worth considering, from the full decode and from an
/// intermediate.
pub(crate) fn resizes(rgb: &[u8], w: u32, h: u32, t: &mut Timer) {
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer, images};
    let src = images::ImageRef::new(w, h, rgb, PixelType::U8x3).expect("src");
    for (name, filter) in
        [("Lanczos3", FilterType::Lanczos3), ("CatmullRom", FilterType::CatmullRom)]
    {
        for dw in [1600u32, 800, 400] {
            let dh = dw * h / w;
            t.run(&format!("resize fir6 {name} {w}x{h} -> {dw}x{dh}"), || {
                let mut dst = images::Image::new(dw, dh, PixelType::U8x3);
                let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(filter));
                Resizer::new().resize(&src, &mut dst, &options).expect("resize");
                dst.buffer().len()
            });
        }
    }
}

/// JPEG encoders at 1600×1200, quality 82.
pub(crate) fn jpeg_encoders(rgb: &[u8], w: u32, h: u32, t: &mut Timer) {
    use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
    for (name, progressive, optimize) in [
        ("baseline", false, false),
        ("baseline+opt huffman", false, true),
        ("progressive", true, false),
        ("progressive+opt huffman", true, true),
    ] {
        let mut size = 0;
        t.run(&format!("encode jpeg-encoder 0.7 {name} {w}x{h} q82"), || {
            let mut out = Vec::new();
            let mut e = Encoder::new(&mut out, 82);
            e.set_sampling_factor(SamplingFactor::R_4_2_0);
            e.set_progressive(progressive);
            e.set_optimized_huffman_tables(optimize);
            e.encode(rgb, w as u16, h as u16, ColorType::Rgb).expect("jpeg-encoder");
            size = out.len();
            size
        });
        println!("    -> {} KiB", size / 1024);
    }
    let mut size = 0;
    t.run(&format!("encode image 0.25 JpegEncoder {w}x{h} q82"), || {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82)
            .encode(rgb, w, h, image::ExtendedColorType::Rgb8)
            .expect("image jpeg");
        size = out.len();
        size
    });
    println!("    -> {} KiB", size / 1024);
}

/// libwebp through libwebp-sys at the methods worth considering.
pub(crate) fn webp_encoders(rgb: &[u8], w: u32, h: u32, t: &mut Timer) {
    for method in [2, 3, 4, 6] {
        let mut size = 0;
        t.run(&format!("encode libwebp 1.5 m{method} {w}x{h} q80"), || {
            size = webp_rgb(rgb, w, h, method).len();
            size
        });
        println!("    -> {} KiB", size / 1024);
    }
}

fn webp_rgb(rgb: &[u8], w: u32, h: u32, method: i32) -> Vec<u8> {
    use libwebp_sys as sys;
    let mut config =
        sys::WebPConfig::new_with_preset(sys::WebPPreset::WEBP_PRESET_PHOTO, 80.0).expect("config");
    config.method = method;
    let mut picture = sys::WebPPicture::new().expect("picture");
    picture.use_argb = 0;
    picture.width = w as i32;
    picture.height = h as i32;
    // SAFETY: the bench hands libwebp a buffer of w × h × 3 bytes and reads its writer once.
    unsafe {
        let mut writer = std::mem::zeroed::<sys::WebPMemoryWriter>();
        sys::WebPMemoryWriterInit(&mut writer);
        assert!(sys::WebPPictureImportRGB(&mut picture, rgb.as_ptr(), (w * 3) as i32) != 0);
        picture.writer = Some(sys::WebPMemoryWrite);
        picture.custom_ptr = (&mut writer as *mut sys::WebPMemoryWriter).cast();
        assert!(sys::WebPEncode(&config, &mut picture) != 0);
        let out = std::slice::from_raw_parts(writer.mem, writer.size).to_vec();
        sys::WebPMemoryWriterClear(&mut writer);
        sys::WebPPictureFree(&mut picture);
        out
    }
}

/// The png crate's compression levels, on a photo and on a flat graphic with transparency.
pub(crate) fn png_levels(photo: &[u8], w: u32, h: u32, t: &mut Timer) {
    let graphic: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let (x, y) = (i % w, i / w);
            let inside = (x / 150 + y / 150) % 3 != 0;
            if inside { [20, (x / 5 % 256) as u8, 200, 255] } else { [0, 0, 0, 0] }
        })
        .collect();
    for (what, pixels, colour) in [
        ("photo RGB", photo, png::ColorType::Rgb),
        ("graphic RGBA", &graphic[..], png::ColorType::Rgba),
    ] {
        for level in [png::Compression::Fast, png::Compression::Balanced, png::Compression::High] {
            let mut size = 0;
            t.run(&format!("encode png 0.18 {level:?} {what} {w}x{h}"), || {
                let mut out = Vec::new();
                let mut e = png::Encoder::new(&mut out, w, h);
                e.set_color(colour);
                e.set_compression(level);
                let mut writer = e.write_header().expect("header");
                writer.write_image_data(pixels).expect("png");
                writer.finish().expect("png");
                size = out.len();
            });
            println!("    -> {} KiB", size / 1024);
        }
    }
}

/// ravif at several speeds, single-threaded, 8- and 10-bit.
pub(crate) fn avif_encoders(rgb: &[u8], w: u32, h: u32, t: &mut Timer) {
    let pixels: Vec<ravif::RGB8> =
        rgb.chunks_exact(3).map(|p| ravif::RGB8::new(p[0], p[1], p[2])).collect();
    for (speed, depth) in [
        (6u8, ravif::BitDepth::Eight),
        (8, ravif::BitDepth::Eight),
        (9, ravif::BitDepth::Eight),
        (10, ravif::BitDepth::Eight),
        (8, ravif::BitDepth::Ten),
    ] {
        let mut size = 0;
        t.run(&format!("encode ravif 0.13 speed {speed} {depth:?} {w}x{h} q60"), || {
            let out = ravif::Encoder::new()
                .with_quality(60.0)
                .with_speed(speed)
                .with_bit_depth(depth)
                .with_num_threads(Some(1))
                .encode_rgb(ravif::Img::new(&pixels, w as usize, h as usize))
                .expect("ravif");
            size = out.avif_file.len();
            size
        });
        println!("    -> {} KiB", size / 1024);
    }
}

/// Only the PSNR of the shortcuts.
pub(crate) fn quality() {
    let (jpeg, w, h) = photo_jpeg();
    shortcuts(&jpeg, w, h);
    chains(&jpeg, w, h);
}

/// All of the above, on the generated photo.
pub(crate) fn all(t: &mut Timer) {
    let (jpeg, w, h) = photo_jpeg();
    shortcuts(&jpeg, w, h);
    chains(&jpeg, w, h);
    decoders(&jpeg, t);
    let rgb = image::load_from_memory(&jpeg).expect("decode").to_rgb8().into_raw();
    resizes(&rgb, w, h, t);
    let small = |dw: u32| {
        use fast_image_resize::{PixelType, Resizer, images};
        let src = images::ImageRef::new(w, h, &rgb, PixelType::U8x3).expect("src");
        let mut dst = images::Image::new(dw, dw * h / w, PixelType::U8x3);
        Resizer::new().resize(&src, &mut dst, None).expect("resize");
        (dst.into_vec(), dw, dw * h / w)
    };
    let (r1600, w1, h1) = small(1600);
    jpeg_encoders(&r1600, w1, h1, t);
    webp_encoders(&r1600, w1, h1, t);
    let (r1200, w2, h2) = small(1200);
    png_levels(&r1200, w2, h2, t);
    avif_encoders(&r1200, w2, h2, t);
}

/// Peak signal-to-noise ratio of `b` against `a`, in dB.
pub(crate) fn psnr(a: &[u8], b: &[u8]) -> f64 {
    let se: f64 = a.iter().zip(b).map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2)).sum();
    let mse = se / a.len() as f64;
    10.0 * (255.0 * 255.0 / mse.max(1e-12)).log10()
}

fn resize(rgb: &[u8], w: u32, h: u32, dw: u32, dh: u32) -> Vec<u8> {
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer, images};
    let src = images::ImageRef::new(w, h, rgb, PixelType::U8x3).expect("src");
    let mut dst = images::Image::new(dw, dh, PixelType::U8x3);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    Resizer::new().resize(&src, &mut dst, &options).expect("resize");
    dst.into_vec()
}

/// How close an intermediate may be to the target before resizing twice shows, and whether a
/// pyramid of halvings (each from the one before) drifts from the straight path.
pub(crate) fn chains(jpeg: &[u8], w: u32, h: u32) {
    let full = image::load_from_memory(jpeg).expect("decode").to_rgb8().into_raw();
    let (dw, dh) = (800, 600);
    let direct = resize(&full, w, h, dw, dh);
    for ratio in [1.05f64, 1.1, 1.25, 1.5, 2.0] {
        let (iw, ih) = ((800.0 * ratio) as u32, (600.0 * ratio) as u32);
        let inter = resize(&full, w, h, iw, ih);
        let via = resize(&inter, iw, ih, dw, dh);
        println!("  800x600 via {iw}x{ih} (x{ratio}): PSNR {:.1} dB", psnr(&direct, &via));
    }
    let (mut level, mut lw, mut lh) = (full.clone(), w, h);
    for _ in 0..3 {
        let next = resize(&level, lw, lh, lw.div_ceil(2), lh.div_ceil(2));
        (level, lw, lh) = (next, lw.div_ceil(2), lh.div_ceil(2));
        let from_source = resize(&full, w, h, lw, lh);
        for (dw, dh) in [(1600u32, 1200u32), (800, 600), (400, 300)] {
            if dw * 5 > lw * 4 || dw * 2 < lw {
                continue;
            }
            let direct = resize(&full, w, h, dw, dh);
            let via = resize(&level, lw, lh, dw, dh);
            let via_single = resize(&from_source, lw, lh, dw, dh);
            println!(
                "  {dw}x{dh} from chained halving {lw}x{lh}: PSNR {:.1} dB; from a level made from the source: {:.1} dB",
                psnr(&direct, &via),
                psnr(&direct, &via_single)
            );
        }
    }
}

/// How far shortcuts drift from the straight path (full decode, one Lanczos3 resize): DCT-scaled
/// decodes and resizing from an intermediate instead of from the full image.
pub(crate) fn shortcuts(jpeg: &[u8], w: u32, h: u32) {
    let full = image::load_from_memory(jpeg).expect("decode").to_rgb8().into_raw();
    for dw in [1600u32, 1200, 800, 400] {
        let dh = dw * h / w;
        let direct = resize(&full, w, h, dw, dh);
        for div in [2u16, 4, 8] {
            let mut d = jpeg_decoder::Decoder::new(Cursor::new(jpeg));
            d.read_info().expect("info");
            let (sw, sh) = d.scale(w as u16 / div, h as u16 / div).expect("scale");
            if u32::from(sw) < dw {
                continue;
            }
            let scaled = d.decode().expect("decode");
            let via = resize(&scaled, sw.into(), sh.into(), dw, dh);
            println!(
                "  {dw}x{dh}: DCT-scaled 1/{div} ({sw}x{sh}) then resize: PSNR {:.1} dB",
                psnr(&direct, &via)
            );
        }
        for iw in [2400u32, 1600, 1200] {
            if iw <= dw {
                continue;
            }
            let ih = iw * h / w;
            let inter = resize(&full, w, h, iw, ih);
            let via = resize(&inter, iw, ih, dw, dh);
            println!("  {dw}x{dh}: via {iw}x{ih} intermediate: PSNR {:.1} dB", psnr(&direct, &via));
        }
    }
}
