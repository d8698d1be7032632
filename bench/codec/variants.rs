//! midad's codec end to end on the photo: the 19 variants a news photo gets, then what
//! orientation, colour profiles, PNG and each AVIF speed cost on top.

use crate::Timer;
use crate::images::codec::{self, OutputFormat, Region, Target};

fn target(region: Region, width: u32, height: u32, format: OutputFormat) -> Target {
    Target { region, width, height, format, quality: 80, avif_speed: 9 }
}

/// The photo's ladder: natural ratio and a 16:9 crop at four widths in WebP and JPEG, and the
/// three share-image JPEGs (1200×630, 4:3, 1:1).
pub(crate) fn nineteen(w: u32, h: u32) -> Vec<Target> {
    let (w, h) = (f64::from(w), f64::from(h));
    let centred = |rw: f64, rh: f64| Region {
        left: (1.0 - rw) / 2.0,
        top: (1.0 - rh) / 2.0,
        width: rw,
        height: rh,
    };
    let wide = centred(1.0, w * 9.0 / 16.0 / h);
    let mut targets = Vec::new();
    for width in [400u32, 800, 1200, 1600] {
        for format in [OutputFormat::Webp, OutputFormat::Jpeg] {
            let natural = (f64::from(width) * h / w).round() as u32;
            targets.push(target(Region::WHOLE, width, natural, format));
            targets.push(target(wide, width, width * 9 / 16, format));
        }
    }
    targets.push(target(centred(1.0, w * 630.0 / 1200.0 / h), 1200, 630, OutputFormat::Jpeg));
    targets.push(target(Region::WHOLE, 1200, 900, OutputFormat::Jpeg));
    targets.push(target(centred(h / w, 1.0), 1200, 1200, OutputFormat::Jpeg));
    targets
}

fn with_segment(jpeg: &[u8], marker: u8, payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(payload.len() + 2).expect("short segment");
    [&jpeg[..2], &[0xFF, marker], &len.to_be_bytes(), payload, &jpeg[2..]].concat()
}

/// A big-endian EXIF block with only an orientation.
fn exif(orientation: u8) -> Vec<u8> {
    let mut e = b"Exif\0\0MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0".to_vec();
    e.extend([orientation, 0, 0, 0, 0, 0, 0]);
    e
}

/// Decoding with and without a quarter turn.
pub(crate) fn orientation(jpeg: &[u8], t: &mut Timer) {
    t.run("decode, no orientation", || codec::decode(jpeg, (0, 0)).expect("decode"));
    let turned = with_segment(jpeg, 0xE1, &exif(6));
    t.run("decode, EXIF orientation 6 (quarter turn)", || {
        codec::decode(&turned, (0, 0)).expect("decode")
    });
    let flipped = with_segment(jpeg, 0xE1, &exif(3));
    t.run("decode, EXIF orientation 3 (half turn)", || {
        codec::decode(&flipped, (0, 0)).expect("decode")
    });
}

pub(crate) fn all(jpeg: &[u8], t: &mut Timer) {
    let probe = codec::probe(jpeg).expect("probe");
    let (w, h) = (probe.width, probe.height);
    t.run("probe", || codec::probe(jpeg).expect("probe").width);
    let decode = t.run("decode (zune-jpeg)", || codec::decode(jpeg, (1600, 1200)).expect("decode"));
    let pixels = codec::decode(jpeg, (1600, 1200)).expect("decode");
    let targets = nineteen(w, h);
    let encode = t.run("encode_all: 19 variants", || {
        codec::encode_all(&pixels, &targets)
            .into_iter()
            .map(|r| r.expect("encode").len())
            .sum::<usize>()
    });
    println!("{:<60} cpu {:>8.1} ms", "=> decode + 19 variants", (decode + encode) * 1e3);
    let outputs = codec::encode_all(&pixels, &targets);
    for (target, out) in targets.iter().zip(&outputs) {
        let bytes = out.as_ref().map_or(0, Vec::len);
        println!(
            "    {:?} {}x{}: {} KiB",
            target.format,
            target.width,
            target.height,
            bytes / 1024
        );
    }
    let webp: Vec<Target> =
        targets.iter().copied().filter(|t| t.format == OutputFormat::Webp).collect();
    let jpegs: Vec<Target> =
        targets.iter().copied().filter(|t| t.format == OutputFormat::Jpeg).collect();
    t.run("encode_all: the 8 WebP alone (resizes included)", || {
        codec::encode_all(&pixels, &webp).len()
    });
    t.run("encode_all: the 11 JPEG alone (resizes included)", || {
        codec::encode_all(&pixels, &jpegs).len()
    });
    let one = [target(Region::WHOLE, 1600, 1200, OutputFormat::Jpeg)];
    t.run("encode_all: one 1600x1200 JPEG (a resize from the halving)", || {
        codec::encode_all(&pixels, &one).len()
    });

    orientation(jpeg, t);
    let p3 = moxcms::ColorProfile::new_display_p3().encode().expect("P3 profile");
    let p3_jpeg = with_segment(jpeg, 0xE2, &[&b"ICC_PROFILE\0\x01\x01"[..], &p3].concat());
    t.run("decode, Display P3 profile (moxcms to sRGB)", || {
        codec::decode(&p3_jpeg, (0, 0)).expect("decode")
    });
    let srgb = moxcms::ColorProfile::new_srgb().encode().expect("sRGB profile");
    let srgb_jpeg = with_segment(jpeg, 0xE2, &[&b"ICC_PROFILE\0\x01\x01"[..], &srgb].concat());
    t.run("decode, sRGB profile (recognised, skipped)", || {
        codec::decode(&srgb_jpeg, (0, 0)).expect("decode")
    });

    let png = [target(Region::WHOLE, 1200, 900, OutputFormat::Png)];
    t.run("encode_all: PNG 1200x900 RGB (fast)", || codec::encode_all(&pixels, &png).len());
    for (width, height) in [(1200, 900), (800, 600)] {
        for speed in [6u8, 8, 9, 10] {
            let avif = [Target {
                avif_speed: speed,
                ..target(Region::WHOLE, width, height, OutputFormat::Avif)
            }];
            let mut size = 0;
            t.run(&format!("encode_all: AVIF {width}x{height} q80 speed {speed}"), || {
                size = codec::encode_all(&pixels, &avif)[0].as_ref().map_or(0, Vec::len);
            });
            println!("    -> {} KiB", size / 1024);
        }
    }
}
