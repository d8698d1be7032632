//! Files made here (no fixtures): probing, upright decoding, colour conversion, exact output
//! sizes, no metadata, alpha, and damaged input that must fail rather than panic.

use super::*;

const RED: [u8; 3] = [255, 0, 0];
const GREEN: [u8; 3] = [0, 255, 0];
const BLUE: [u8; 3] = [0, 0, 255];
const WHITE: [u8; 3] = [255, 255, 255];

/// A `w` × `h` RGB image whose pixel (x, y) is `f(x, y)`.
fn rgb(w: u32, h: u32, f: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let f = &f;
    (0..h).flat_map(|y| (0..w).flat_map(move |x| f(x, y))).collect()
}

/// Something like a photo: gradients and noise.
fn photo(w: u32, h: u32) -> Vec<u8> {
    rgb(w, h, |x, y| {
        let noise = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) % 23;
        [(x * 255 / w) as u8, (y * 255 / h) as u8, (100 + noise) as u8]
    })
}

/// A 4:4:4 JPEG at quality 95, so flat colours come back close.
fn jpeg_of(pixels: &[u8], w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, 95);
    e.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_4_4);
    e.encode(pixels, w as u16, h as u16, jpeg_encoder::ColorType::Rgb).unwrap();
    out
}

/// `jpeg` with an APPn segment inserted right after its SOI marker.
fn with_segment(jpeg: &[u8], marker: u8, payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(payload.len() + 2).unwrap();
    [&jpeg[..2], &[0xFF, marker], &len.to_be_bytes(), payload, &jpeg[2..]].concat()
}

/// A little-endian TIFF block with an orientation, a description that says "GPS", and a GPS
/// IFD (version 2.3), as a camera's EXIF would carry.
fn tiff(orientation: u16) -> Vec<u8> {
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        [&tag.to_le_bytes()[..], &kind.to_le_bytes(), &count.to_le_bytes(), &value].concat()
    };
    let o = orientation.to_le_bytes();
    [
        &b"II*\0"[..],
        &8u32.to_le_bytes(),
        // IFD0 at 8: 3 entries, ending at 8 + 2 + 36 + 4 = 50.
        &3u16.to_le_bytes(),
        &entry(0x010E, 2, 9, 50u32.to_le_bytes()),
        &entry(0x0112, 3, 1, [o[0], o[1], 0, 0]),
        &entry(0x8825, 4, 1, 60u32.to_le_bytes()),
        &0u32.to_le_bytes(),
        b"GPS test\0\0",
        // The GPS IFD at 60.
        &1u16.to_le_bytes(),
        &entry(0x0000, 1, 4, [2, 3, 0, 0]),
        &0u32.to_le_bytes(),
    ]
    .concat()
}

/// `jpeg` with an EXIF block giving `orientation`.
fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    with_segment(jpeg, 0xE1, &[&b"Exif\0\0"[..], &tiff(orientation)].concat())
}

const XMP: &[u8] =
    b"http://ns.adobe.com/xap/1.0/\0<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>\
<x:xmpmeta xmlns:x='adobe:ns:meta/'/><?xpacket end='w'?>";

/// `jpeg` with an ICC profile in one APP2 segment.
fn with_icc(jpeg: &[u8], icc: &[u8]) -> Vec<u8> {
    with_segment(jpeg, 0xE2, &[&b"ICC_PROFILE\0\x01\x01"[..], icc].concat())
}

/// A PNG of RGB or RGBA pixels, with an eXIf chunk when `exif` is given.
fn png_of(pixels: &[u8], w: u32, h: u32, channels: usize, exif: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = png::Encoder::new(&mut out, w, h);
    e.set_color(if channels == 4 { png::ColorType::Rgba } else { png::ColorType::Rgb });
    e.set_depth(png::BitDepth::Eight);
    let mut writer = e.write_header().unwrap();
    if let Some(exif) = exif {
        writer.write_chunk(png::chunk::ChunkType(*b"eXIf"), exif).unwrap();
    }
    writer.write_image_data(pixels).unwrap();
    writer.finish().unwrap();
    out
}

/// A lossy WebP of RGB pixels, wrapped in an extended (VP8X) file with an EXIF chunk when
/// `exif` is given.
fn webp_of(pixels: &[u8], w: u32, h: u32, exif: Option<&[u8]>) -> Vec<u8> {
    let simple = webp::encode(pixels, w, h, 3, 95).unwrap();
    let Some(exif) = exif else { return simple };
    let chunk = |kind: &[u8], data: &[u8]| {
        let pad: &[u8] = if data.len() % 2 == 1 { &[0] } else { &[] };
        [kind, &(data.len() as u32).to_le_bytes(), data, pad].concat()
    };
    let (w1, h1) = ((w - 1).to_le_bytes(), (h - 1).to_le_bytes());
    // Flags: EXIF present. Then the canvas size less one, 24 bits each.
    let vp8x = [&[0x08u8, 0, 0, 0][..], &w1[..3], &h1[..3]].concat();
    let body =
        [&b"WEBP"[..], &chunk(b"VP8X", &vp8x), &simple[12..], &chunk(b"EXIF", exif)].concat();
    [&b"RIFF"[..], &(body.len() as u32).to_le_bytes(), &body].concat()
}

/// Decodes an output with the image crate (another decoder than midad's own).
fn decode_back(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).unwrap()
}

fn pixel(p: &Pixels, x: u32, y: u32) -> &[u8] {
    let at = (y * p.width + x) as usize * p.channels;
    &p.data[at..at + p.channels]
}

fn close(a: &[u8], b: &[u8], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(*y) <= tolerance)
}

fn target(format: OutputFormat, width: u32, height: u32) -> Target {
    Target { region: Region::WHOLE, width, height, format, quality: 80, avif_speed: 10 }
}

/// The width and height in an AVIF's `ispe` box (no AVIF decoder is at hand).
fn avif_size(avif: &[u8]) -> (u32, u32) {
    let at = avif.windows(4).position(|w| w == b"ispe").unwrap() + 8;
    let be = |i: usize| u32::from_be_bytes(avif[i..i + 4].try_into().unwrap());
    (be(at), be(at + 4))
}

#[test]
fn probes_every_format() {
    let jpeg = jpeg_of(&photo(60, 40), 60, 40);
    let p = probe(&jpeg).unwrap();
    assert_eq!((p.format, p.width, p.height, p.alpha), (SourceFormat::Jpeg, 60, 40, false));

    let png = png_of(&photo(30, 20), 30, 20, 3, None);
    let p = probe(&png).unwrap();
    assert_eq!((p.format, p.width, p.height, p.alpha), (SourceFormat::Png, 30, 20, false));
    let rgba = vec![9; 30 * 20 * 4];
    assert!(probe(&png_of(&rgba, 30, 20, 4, None)).unwrap().alpha);

    let webp = webp_of(&photo(30, 20), 30, 20, None);
    let p = probe(&webp).unwrap();
    assert_eq!((p.format, p.width, p.height, p.alpha), (SourceFormat::Webp, 30, 20, false));
    let webp_alpha = webp::encode(&rgba, 30, 20, 4, 80).unwrap();
    let p = probe(&webp_alpha).unwrap();
    assert_eq!((p.width, p.height, p.alpha), (30, 20, true));

    // 7 × 5, a 2-colour global table, a graphic control extension with a transparent colour.
    let gif = [
        &b"GIF89a\x07\x00\x05\x00\x80\x00\x00"[..],
        &[0, 0, 0, 255, 255, 255],
        &[0x21, 0xF9, 4, 1, 0, 0, 0, 0],
        &[0x2C, 0, 0, 0, 0, 7, 0, 5, 0, 0, 2, 2, 0x44, 0x01, 0, 0x3B],
    ]
    .concat();
    let p = probe(&gif).unwrap();
    assert_eq!((p.format, p.width, p.height, p.alpha), (SourceFormat::Gif, 7, 5, true));
}

#[test]
fn probes_svg_sizes_as_usvg_lays_them_out() {
    let cases: [(&str, (u32, u32)); 6] = [
        (r#"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"/>"#, (120, 80)),
        (r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"/>"#, (300, 150)),
        (
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="600" viewBox="0,0,300,150"/>"#,
            (600, 300),
        ),
        (r#"<svg xmlns="http://www.w3.org/2000/svg" width="1in" height="72pt"/>"#, (96, 96)),
        (r#"<svg xmlns="http://www.w3.org/2000/svg" width="50%" viewBox="0 0 40 20"/>"#, (20, 10)),
        (
            "\u{feff}<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            (100, 100),
        ),
    ];
    for (svg, size) in cases {
        let p = probe(svg.as_bytes()).unwrap();
        assert_eq!(
            (p.format, p.width, p.height, p.alpha),
            (SourceFormat::Svg, size.0, size.1, true),
            "{svg}"
        );
        // usvg agrees: rasterised at natural size, the pixels are that size.
        let d = decode(svg.as_bytes(), (0, 0)).unwrap();
        assert_eq!((d.width(), d.height()), size, "{svg}");
    }
    assert!(matches!(probe(b"<?xml version=\"1.0\"?><html/>"), Err(CodecError::UnknownFormat)));
}

#[test]
fn orientation_six_swaps_the_probed_size_and_turns_the_pixels() {
    // Stored left half red, right half blue. Orientation 6: row 0 is the visual right-hand
    // side and column 0 the visual top, so the stored left half (low columns) is on top.
    let stored = rgb(64, 32, |x, _| if x < 32 { RED } else { BLUE });
    let jpeg = with_exif(&jpeg_of(&stored, 64, 32), 6);
    let p = probe(&jpeg).unwrap();
    assert_eq!((p.width, p.height), (32, 64));
    let d = decode(&jpeg, (32, 64)).unwrap();
    assert_eq!((d.width(), d.height()), (32, 64));
    assert!(close(pixel(&d, 16, 8), &RED, 40), "top: {:?}", pixel(&d, 16, 8));
    assert!(close(pixel(&d, 16, 56), &BLUE, 40), "bottom: {:?}", pixel(&d, 16, 56));
}

/// Stored quadrants: red top-left, green top-right, blue bottom-left, white bottom-right.
fn quadrants(w: u32, h: u32) -> Vec<u8> {
    rgb(w, h, |x, y| match (x < w / 2, y < h / 2) {
        (true, true) => RED,
        (false, true) => GREEN,
        (true, false) => BLUE,
        (false, false) => WHITE,
    })
}

/// For each EXIF orientation, the upright corners where the stored top-left (red) and
/// top-right (green) corners end up, read off the EXIF definitions ("row 0 is the visual …,
/// column 0 is the visual …").
const CORNERS: [(u16, &str, &str); 8] = [
    (1, "top-left", "top-right"),
    (2, "top-right", "top-left"),
    (3, "bottom-right", "bottom-left"),
    (4, "bottom-left", "bottom-right"),
    (5, "top-left", "bottom-left"),
    (6, "top-right", "bottom-right"),
    (7, "bottom-right", "top-right"),
    (8, "bottom-left", "top-left"),
];

fn corner(p: &Pixels, name: &str) -> Vec<u8> {
    let (l, r, t, b) = (4, p.width - 5, 4, p.height - 5);
    let (x, y) = match name {
        "top-left" => (l, t),
        "top-right" => (r, t),
        "bottom-left" => (l, b),
        _ => (r, b),
    };
    pixel(p, x, y).to_vec()
}

#[test]
fn every_orientation_comes_out_upright_from_jpeg_png_and_webp() {
    let (w, h) = (64, 32);
    let stored = quadrants(w, h);
    for (orientation, red, green) in CORNERS {
        let files = [
            ("JPEG", with_exif(&jpeg_of(&stored, w, h), orientation)),
            ("PNG", png_of(&stored, w, h, 3, Some(&tiff(orientation)))),
            ("WebP", webp_of(&stored, w, h, Some(&tiff(orientation)))),
        ];
        for (kind, file) in files {
            let p = probe(&file).unwrap();
            let d = decode(&file, (0, 0)).unwrap();
            let size = if orientation >= 5 { (h, w) } else { (w, h) };
            assert_eq!((p.width, p.height), size, "{kind} {orientation}");
            assert_eq!((d.width(), d.height()), size, "{kind} {orientation}");
            let (at_red, at_green) = (corner(&d, red), corner(&d, green));
            assert!(close(&at_red, &RED, 40), "{kind} {orientation}: {red} is {at_red:?}");
            assert!(close(&at_green, &GREEN, 40), "{kind} {orientation}: {green} is {at_green:?}");
        }
    }
}

#[test]
fn jpegs_with_one_scan_per_component_decode_right() {
    // jpeg-encoder writes one scan per component when it optimises its Huffman tables.
    for (w, h) in [(64, 64), (65, 33)] {
        let stored = quadrants(w, h);
        let mut split = Vec::new();
        let mut e = jpeg_encoder::Encoder::new(&mut split, 95);
        e.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
        e.set_optimized_huffman_tables(true);
        e.encode(&stored, w as u16, h as u16, jpeg_encoder::ColorType::Rgb).unwrap();
        assert_eq!(split.windows(2).filter(|m| m == &[0xFF, 0xDA]).count(), 3);
        let d = decode(&split, (0, 0)).unwrap();
        for (name, colour) in [
            ("top-left", RED),
            ("top-right", GREEN),
            ("bottom-left", BLUE),
            ("bottom-right", WHITE),
        ] {
            assert!(
                close(&corner(&d, name), &colour, 40),
                "{w}x{h} {name}: {:?}",
                corner(&d, name)
            );
        }
    }
}

#[test]
fn outputs_have_exactly_the_asked_size() {
    let pixels = decode(&jpeg_of(&photo(300, 200), 300, 200), (0, 0)).unwrap();
    let wide = Region { left: 0.0, top: 0.21875, width: 1.0, height: 0.5625 };
    let square = Region { left: 1.0 / 6.0, top: 0.0, width: 2.0 / 3.0, height: 1.0 };
    let mut targets = Vec::new();
    for format in [OutputFormat::Jpeg, OutputFormat::Webp, OutputFormat::Png, OutputFormat::Avif] {
        for (region, w, h) in [
            (Region::WHOLE, 150, 100),
            (Region::WHOLE, 37, 25),
            (wide, 160, 90),
            (square, 64, 64),
            (Region::WHOLE, 450, 300),
            (square, 1, 1),
        ] {
            targets.push(Target { region, ..target(format, w, h) });
        }
    }
    let outputs = encode_all(&pixels, &targets);
    for (t, out) in targets.iter().zip(&outputs) {
        let bytes = out.as_ref().unwrap();
        let size = if t.format == OutputFormat::Avif {
            avif_size(bytes)
        } else {
            let img = decode_back(bytes);
            (img.width(), img.height())
        };
        assert_eq!(size, (t.width, t.height), "{t:?}");
    }
}

#[test]
fn outputs_carry_no_metadata() {
    let srgb = moxcms::ColorProfile::new_srgb().encode().unwrap();
    let source =
        with_icc(&with_segment(&with_exif(&jpeg_of(&photo(80, 60), 80, 60), 6), 0xE1, XMP), &srgb);
    for needle in [&b"Exif"[..], b"GPS", b"xpacket", b"xmpmeta"] {
        assert!(source.windows(needle.len()).any(|w| w == needle), "the source lacks {needle:?}");
    }
    let pixels = decode(&source, (0, 0)).unwrap();
    let targets: Vec<Target> =
        [OutputFormat::Jpeg, OutputFormat::Webp, OutputFormat::Png, OutputFormat::Avif]
            .into_iter()
            .map(|f| target(f, 30, 40))
            .collect();
    for (t, out) in targets.iter().zip(encode_all(&pixels, &targets)) {
        let out = out.unwrap();
        for needle in
            [&b"Exif"[..], b"EXIF", b"GPS", b"xpacket", b"xmpmeta", b"ICC_PROFILE", b"iCCP"]
        {
            assert!(
                !out.windows(needle.len()).any(|w| w == needle),
                "{:?} has {needle:?}",
                t.format
            );
        }
    }
}

#[test]
fn transparency_survives_in_png_and_webp_and_jpeg_gets_white() {
    // Left half opaque red, right half fully transparent (black underneath).
    let rgba: Vec<u8> = (0..40 * 40)
        .flat_map(|i| if i % 40 < 20 { [255, 0, 0, 255] } else { [0, 0, 0, 0] })
        .collect();
    let file = png_of(&rgba, 40, 40, 4, None);
    assert!(probe(&file).unwrap().alpha);
    let pixels = decode(&file, (0, 0)).unwrap();
    assert!(pixels.has_alpha());
    let targets = [
        target(OutputFormat::Png, 20, 20),
        target(OutputFormat::Webp, 20, 20),
        target(OutputFormat::Jpeg, 20, 20),
    ];
    let out: Vec<_> = encode_all(&pixels, &targets).into_iter().map(Result::unwrap).collect();
    for bytes in &out[..2] {
        let img = decode_back(bytes);
        assert!(img.color().has_alpha());
        let img = img.to_rgba8();
        assert!(img.get_pixel(2, 10)[3] > 250);
        assert!(img.get_pixel(17, 10)[3] < 5);
    }
    let jpeg = decode_back(&out[2]).to_rgb8();
    assert!(close(&jpeg.get_pixel(17, 10).0, &WHITE, 8), "{:?}", jpeg.get_pixel(17, 10));
    assert!(close(&jpeg.get_pixel(2, 10).0, &RED, 40), "{:?}", jpeg.get_pixel(2, 10));
}

#[test]
fn an_alpha_channel_nothing_uses_is_dropped() {
    let file = png_of(&[255; 10 * 10 * 4], 10, 10, 4, None);
    assert!(probe(&file).unwrap().alpha);
    assert!(!decode(&file, (0, 0)).unwrap().has_alpha());
}

#[test]
fn svg_rasterises_to_cover_the_largest_output() {
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="50">
        <rect width="50" height="50" fill="red"/><rect x="50" width="50" height="50" fill="blue"/></svg>"#;
    let pixels = decode(svg, (400, 100)).unwrap();
    assert_eq!((pixels.width(), pixels.height()), (400, 200));
    assert!(!pixels.has_alpha());
    let out = encode_all(&pixels, &[target(OutputFormat::Png, 400, 200)]);
    let img = decode_back(out[0].as_ref().unwrap()).to_rgb8();
    assert_eq!(img.dimensions(), (400, 200));
    assert!(close(&img.get_pixel(10, 100).0, &RED, 2));
    assert!(close(&img.get_pixel(390, 100).0, &BLUE, 2));
    // Files named by path are never read.
    let external =
        br#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
        width="10" height="10"><image width="10" height="10" xlink:href="Cargo.toml"/></svg>"#;
    assert!(decode(external, (0, 0)).unwrap().has_alpha());
}

#[test]
fn a_display_p3_jpeg_is_converted_to_srgb() {
    // P3 (204, 102, 51) is sRGB (219, 94, 31): linearise, multiply by the P3-to-sRGB matrix
    // (1.2249 −0.2247 0 / −0.0420 1.0419 0 / −0.0197 −0.0786 1.0979), re-encode.
    let flat = rgb(16, 16, |_, _| [204, 102, 51]);
    let jpeg = jpeg_of(&flat, 16, 16);
    let p3 = moxcms::ColorProfile::new_display_p3().encode().unwrap();
    let d = decode(&with_icc(&jpeg, &p3), (0, 0)).unwrap();
    assert!(close(pixel(&d, 8, 8), &[219, 94, 31], 3), "{:?}", pixel(&d, 8, 8));
    // An sRGB profile changes nothing.
    let srgb = moxcms::ColorProfile::new_srgb().encode().unwrap();
    let d = decode(&with_icc(&jpeg, &srgb), (0, 0)).unwrap();
    assert!(close(pixel(&d, 8, 8), &[204, 102, 51], 2), "{:?}", pixel(&d, 8, 8));
}

#[test]
fn a_target_does_not_depend_on_its_siblings() {
    let pixels = decode(&jpeg_of(&photo(400, 300), 400, 300), (0, 0)).unwrap();
    let small = target(OutputFormat::Jpeg, 100, 75);
    let alone = encode_all(&pixels, &[small]).remove(0).unwrap();
    let others =
        [target(OutputFormat::Webp, 300, 225), small, target(OutputFormat::Jpeg, 200, 150)];
    let together = encode_all(&pixels, &others).remove(1).unwrap();
    assert_eq!(alone, together);
}

#[test]
fn halvings_keep_a_flat_image_flat() {
    let pixels =
        decode(&png_of(&rgb(1000, 700, |_, _| [10, 200, 90]), 1000, 700, 3, None), (0, 0)).unwrap();
    let out = encode_all(&pixels, &[target(OutputFormat::Png, 61, 40)]);
    let img = decode_back(out[0].as_ref().unwrap()).to_rgb8();
    assert!(img.pixels().all(|p| close(&p.0, &[10, 200, 90], 1)));
}

#[test]
fn bad_targets_fail_alone() {
    let pixels = decode(&jpeg_of(&photo(40, 30), 40, 30), (0, 0)).unwrap();
    let outside = Region { left: 0.5, top: 0.0, width: 0.6, height: 1.0 };
    let targets = [
        Target { region: outside, ..target(OutputFormat::Jpeg, 10, 10) },
        target(OutputFormat::Jpeg, 0, 10),
        target(OutputFormat::Webp, 20000, 10),
        target(OutputFormat::Png, 60000, 60000),
        Target {
            region: Region { width: f64::NAN, ..Region::WHOLE },
            ..target(OutputFormat::Png, 5, 5)
        },
        Target { quality: 0, avif_speed: 0, ..target(OutputFormat::Avif, 8, 6) },
        Target { quality: 255, ..target(OutputFormat::Jpeg, 8, 6) },
    ];
    let out = encode_all(&pixels, &targets);
    assert!(out[..5].iter().all(|r| matches!(r, Err(CodecError::Encode(_)))), "{out:?}");
    assert!(out[5..].iter().all(Result::is_ok), "{out:?}");
}

#[test]
fn damaged_input_fails_without_panicking() {
    assert!(matches!(probe(b""), Err(CodecError::UnknownFormat)));
    assert!(matches!(decode(b"", (10, 10)), Err(CodecError::UnknownFormat)));
    let noise: Vec<u8> =
        (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    assert!(matches!(probe(&noise), Err(CodecError::UnknownFormat)));
    assert!(matches!(decode(&noise, (10, 10)), Err(CodecError::UnknownFormat)));

    let png_header_only = &png_of(&photo(8, 8), 8, 8, 3, None)[..20];
    assert!(matches!(probe(png_header_only), Err(CodecError::Damaged(_))));
    assert!(matches!(decode(png_header_only, (8, 8)), Err(CodecError::Damaged(_))));

    let jpeg = jpeg_of(&photo(64, 48), 64, 48);
    let cut = &jpeg[..jpeg.len() / 2];
    assert_eq!(probe(cut).unwrap().width, 64, "the header is whole");
    assert!(matches!(decode(cut, (64, 48)), Err(CodecError::Damaged(_))));
    let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02\x44\x01\x00\x3B";
    assert!(matches!(decode(gif, (1, 1)), Err(CodecError::Unsupported(_))));

    // Every prefix of every format, and magic bytes followed by noise: errors, never panics.
    let files = [
        with_exif(&jpeg, 6),
        png_of(&photo(16, 8), 16, 8, 3, Some(&tiff(3))),
        webp_of(&photo(16, 8), 16, 8, Some(&tiff(8))),
        gif.to_vec(),
        br#"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><circle r="4"/></svg>"#
            .to_vec(),
    ];
    for file in &files {
        assert!(decode(file, (4, 4)).is_ok() || file.starts_with(b"GIF"));
        for len in (0..file.len() - 1).step_by(7) {
            let _ = probe(&file[..len]);
            let decoded = decode(&file[..len], (4, 4));
            // Past the pixel data only metadata or an end chunk is missing.
            assert!(len > file.len() / 2 || decoded.is_err(), "a {len}-byte prefix decoded");
        }
        let garbage = [&file[..16], &noise[..]].concat();
        let _ = probe(&garbage);
        assert!(decode(&garbage, (4, 4)).is_err());
    }
}

#[test]
fn codec_version_names_the_locked_crate_versions() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let locked = |name: &str, version: &str| {
        lock.contains(&format!("name = \"{name}\"\nversion = \"{version}\"\n"))
    };
    let words: Vec<&str> = CODEC_VERSION.split([' ', ';']).filter(|w| !w.is_empty()).collect();
    let mut named = 0;
    for pair in words.windows(2) {
        let looks_like_version =
            pair[1].split('.').count() == 3 && pair[1].split('.').all(|n| n.parse::<u32>().is_ok());
        if looks_like_version {
            assert!(locked(pair[0], pair[1]), "{} {} is not what Cargo.lock has", pair[0], pair[1]);
            named += 1;
        }
    }
    assert!(named >= 9, "{CODEC_VERSION}");
}

#[test]
fn resizing_from_a_halving_matches_resizing_from_the_source() {
    use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer, images};
    // Smooth detail, so a crop off by a pixel or two would show.
    let (w, h) = (1000u32, 750u32);
    let source = rgb(w, h, |x, y| {
        let (fx, fy) = (f64::from(x), f64::from(y));
        [(128.0 + 100.0 * (fx / 23.0).sin()) as u8, (128.0 + 100.0 * (fy / 17.0).cos()) as u8, 90]
    });
    let pixels = Pixels { width: w, height: h, channels: 3, data: source.clone() };
    let crop = Region { left: 0.1, top: 0.2, width: 0.5, height: 0.6 };
    for (region, tw, th) in [(Region::WHOLE, 200, 150), (crop, 100, 90), (crop, 333, 290)] {
        let out = encode_all(
            &pixels,
            &[target(OutputFormat::Png, tw, th)].map(|t| Target { region, ..t }),
        );
        let chained = decode_back(out[0].as_ref().unwrap()).to_rgb8().into_raw();
        let src = images::ImageRef::new(w, h, &source, PixelType::U8x3).unwrap();
        let mut direct = images::Image::new(tw, th, PixelType::U8x3);
        let (fw, fh) = (f64::from(w), f64::from(h));
        let options = ResizeOptions::new()
            .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
            .crop(region.left * fw, region.top * fh, region.width * fw, region.height * fh);
        Resizer::new().resize(&src, &mut direct, &options).unwrap();
        let se: f64 = chained
            .iter()
            .zip(direct.buffer())
            .map(|(&a, &b)| (f64::from(a) - f64::from(b)).powi(2))
            .sum();
        let psnr = 10.0 * (255.0f64.powi(2) / (se / chained.len() as f64).max(1e-9)).log10();
        assert!(psnr > 40.0, "{tw}x{th} of {region:?}: {psnr:.1} dB");
    }
}

#[test]
fn grey_and_palette_sources_come_out_as_rgb_or_rgba() {
    let grey: Vec<u8> = (0..32 * 16).map(|i| (i % 32 * 8) as u8).collect();
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 95)
        .encode(&grey, 32, 16, jpeg_encoder::ColorType::Luma)
        .unwrap();
    let d = decode(&jpeg, (0, 0)).unwrap();
    assert!(!d.has_alpha());
    let p = pixel(&d, 20, 8);
    assert!(p[0] == p[1] && p[1] == p[2] && p[0].abs_diff(160) < 8, "{p:?}");

    // A two-colour palette whose second colour is fully transparent.
    let mut png = Vec::new();
    let mut e = png::Encoder::new(&mut png, 8, 2);
    e.set_color(png::ColorType::Indexed);
    e.set_depth(png::BitDepth::Eight);
    e.set_palette(vec![0, 0, 255, 0, 0, 0]);
    e.set_trns(vec![255, 0]);
    let mut writer = e.write_header().unwrap();
    writer.write_image_data(&[0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1]).unwrap();
    writer.finish().unwrap();
    assert!(probe(&png).unwrap().alpha);
    let d = decode(&png, (0, 0)).unwrap();
    assert!(d.has_alpha());
    assert_eq!((pixel(&d, 1, 1), pixel(&d, 6, 1)[3]), (&[0, 0, 255, 255][..], 0));
}
