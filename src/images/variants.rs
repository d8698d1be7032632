//! Which files are made of an image, and the markup data that points at them.
//!
//! Both come from the same functions of the image's probe, hash and the settings, so a page can
//! be written before any variant exists and still name exactly the files the build makes. A
//! variant's name carries part of its cache key (`photo-800x450-1a2b3c4d.webp`): a new photo
//! under an old name gets new URLs, so no browser or CDN keeps showing the old one.

use serde::Serialize;

use super::codec::{CODEC_VERSION, OutputFormat, Region, SourceFormat, Target};
use super::gallery::Source;
use crate::config::{ImageFormat, ImagesConfig, Ratio};
use crate::content::Focus;
use crate::fingerprint::Fingerprint;

/// One file to make: `target` of the image at `source`, written at `path` of the output.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Output path, `images/photo-800x450-1a2b3c4d.webp`.
    pub path: String,
    /// Cache key: the source's hash, the target and the codec's version.
    pub key: u64,
    /// Output path of the source image.
    pub source: String,
    /// What to make.
    pub target: Target,
}

/// How an image is framed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    /// As it is.
    Natural,
    /// Cropped to `ratio` around `focus`.
    Crop {
        /// Width to height.
        ratio: Ratio,
        /// The point kept in view.
        focus: Focus,
    },
}

/// An image as `<picture>` markup needs it: the `<img>` fallback and a `<source>` per better
/// format. Templates see it as `{src, width, height, type, srcset, sources: [{type, srcset}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Picture {
    /// The fallback's URL, from the site root.
    pub src: String,
    /// The fallback's width: with `height`, the aspect ratio the browser reserves.
    pub width: u32,
    /// The fallback's height.
    pub height: u32,
    /// The fallback's media type.
    #[serde(rename = "type")]
    pub mime: &'static str,
    /// Every width of the fallback format (`url 400w, url 800w`); empty for SVG and GIF.
    pub srcset: String,
    /// The better formats, best first.
    pub sources: Vec<PictureSource>,
}

/// One `<source>` of a [`Picture`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PictureSource {
    /// Media type, `image/webp`.
    #[serde(rename = "type")]
    pub mime: &'static str,
    /// Its widths.
    pub srcset: String,
}

/// A share image for Open Graph or JSON-LD: a raster file of a fixed size.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct ShareImage {
    /// The absolute URL.
    pub url: String,
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Media type.
    #[serde(rename = "type")]
    pub mime: &'static str,
}

/// The width of share images (Open Graph and JSON-LD), as Google and Facebook ask.
pub const SHARE_WIDTH: u32 = 1200;
/// The Open Graph crop, 1.91:1.
pub const OPEN_GRAPH: (u32, u32) = (1200, 630);
/// The JSON-LD crops Google's Article documentation asks for, all at [`SHARE_WIDTH`].
pub const STRUCTURED_RATIOS: [Ratio; 3] =
    [Ratio { width: 16, height: 9 }, Ratio { width: 4, height: 3 }, Ratio { width: 1, height: 1 }];

/// What the variants of an image are made with, besides the image.
pub struct Settings<'c> {
    /// `[images]`.
    pub images: &'c ImagesConfig,
    /// The site's base path (`/` or `/ar/`), for root-relative URLs.
    pub base_path: &'c str,
    /// Scheme and host (`https://example.com`), for absolute URLs.
    pub origin: &'c str,
}

impl Settings<'_> {
    /// The ladder of `source` (at output path `path`) framed by `shape`: each width of the
    /// settings no wider than the frame (or the frame's own width when it is narrower than all),
    /// in every format, best first.
    pub fn ladder(&self, path: &str, source: &Source, shape: Shape) -> Vec<Variant> {
        let (region, frame_w, frame_h) = frame(source, shape);
        let widths = &self.images.widths;
        let mut sizes: Vec<u32> = widths.iter().copied().filter(|&w| w <= frame_w).collect();
        if sizes.is_empty() {
            sizes.push(frame_w);
        }
        let (min, max) = (widths[0], widths[widths.len() - 1]);
        let mut variants = Vec::new();
        for &format in &self.images.formats {
            for &width in &sizes {
                if format == ImageFormat::Avif && (width <= min || width >= max) {
                    continue;
                }
                let height = scaled_height(width, frame_w, frame_h);
                let out = output_format(format, source);
                variants.push(self.variant(path, source, region, (width, height), out));
            }
        }
        variants
    }

    /// The file at the source's own path: upright, stripped of metadata, no wider than the
    /// widest variant, in the source's format. Links to the original keep working.
    pub fn original(&self, path: &str, source: &Source) -> Variant {
        let max = self.images.widths[self.images.widths.len() - 1];
        let (w, h) = (source.probe.width.max(1), source.probe.height.max(1));
        let width = w.min(max);
        let format = match source.probe.format {
            SourceFormat::Png => OutputFormat::Png,
            SourceFormat::Webp => OutputFormat::Webp,
            _ => OutputFormat::Jpeg,
        };
        let mut variant =
            self.variant(path, source, Region::WHOLE, (width, scaled_height(width, w, h)), format);
        variant.path = path.to_string();
        variant
    }

    /// The share crops of `source`: Open Graph first, then the JSON-LD crops.
    pub fn share(&self, path: &str, source: &Source, focus: Focus) -> Vec<Variant> {
        // An SVG (a logo, an illustration) is drawn over white: social networks show JPEG
        // best, and a drawing's transparency rarely matters there; a transparent photo stays PNG.
        let transparent = source.probe.alpha && source.is_raster();
        let format = if transparent { OutputFormat::Png } else { OutputFormat::Jpeg };
        let og = Ratio { width: 40, height: 21 };
        std::iter::once((og, OPEN_GRAPH))
            .chain(STRUCTURED_RATIOS.map(|r| (r, (SHARE_WIDTH, SHARE_WIDTH * r.height / r.width))))
            .map(|(ratio, size)| {
                let (region, _, _) = frame(source, Shape::Crop { ratio, focus });
                self.variant(path, source, region, size, format)
            })
            .collect()
    }

    /// The markup data of a ladder (see [`Settings::ladder`]); for SVG and GIF, the file itself.
    pub fn picture(&self, path: &str, source: &Source, shape: Shape) -> Picture {
        if !source.is_raster() {
            let mime = if source.probe.format == SourceFormat::Svg {
                "image/svg+xml"
            } else {
                "image/gif"
            };
            return Picture {
                src: self.url(path),
                width: source.probe.width,
                height: source.probe.height,
                mime,
                srcset: String::new(),
                sources: Vec::new(),
            };
        }
        self.picture_of(&self.ladder(path, source, shape))
    }

    /// The markup data naming the files of `ladder` (one raster image's variants, best format
    /// first, as [`Settings::ladder`] gives them).
    pub fn picture_of(&self, ladder: &[Variant]) -> Picture {
        let fallback_format = ladder.last().map_or(OutputFormat::Jpeg, |v| v.target.format);
        let srcset = |format: OutputFormat| {
            let urls = ladder.iter().filter(|v| v.target.format == format);
            let urls = urls.map(|v| format!("{} {}w", self.url(&v.path), v.target.width));
            urls.collect::<Vec<_>>().join(", ")
        };
        let fallbacks: Vec<&Variant> =
            ladder.iter().filter(|v| v.target.format == fallback_format).collect();
        // Browsers without `srcset` get a middle size, not the largest.
        let fallback = fallbacks
            .iter()
            .rev()
            .find(|v| v.target.width <= SHARE_WIDTH)
            .or(fallbacks.first())
            .copied();
        let mut formats: Vec<OutputFormat> = ladder.iter().map(|v| v.target.format).collect();
        formats.dedup();
        Picture {
            src: fallback.map(|v| self.url(&v.path)).unwrap_or_default(),
            width: fallback.map_or(0, |v| v.target.width),
            height: fallback.map_or(0, |v| v.target.height),
            mime: mime(fallback_format),
            srcset: srcset(fallback_format),
            sources: formats
                .into_iter()
                .filter(|&f| f != fallback_format)
                .map(|f| PictureSource { mime: mime(f), srcset: srcset(f) })
                .collect(),
        }
    }

    /// The share images of [`Settings::share`] with their absolute URLs.
    pub fn share_images(&self, path: &str, source: &Source, focus: Focus) -> Vec<ShareImage> {
        self.share(path, source, focus)
            .into_iter()
            .map(|v| ShareImage {
                url: self.absolute(&v.path),
                width: v.target.width,
                height: v.target.height,
                mime: mime(v.target.format),
            })
            .collect()
    }

    /// The root-relative URL of output path `path` for a page: Arabic left as it is, as in the
    /// pages' other links (browsers encode it), but spaces, commas and quotes encoded, since a
    /// `srcset` separates its entries by spaces and commas.
    pub fn url(&self, path: &str) -> String {
        let mut url = String::with_capacity(self.base_path.len() + path.len());
        for c in self.base_path.chars().chain(path.chars()) {
            match c {
                ' ' | ',' | '"' | '\'' | '<' | '>' | '#' | '?' | '%' | '\\' | '`' => {
                    url.push_str(&format!("%{:02X}", c as u32));
                }
                c if c.is_ascii_control() => url.push_str(&format!("%{:02X}", c as u32)),
                c => url.push(c),
            }
        }
        url
    }

    /// The absolute, percent-encoded URL of output path `path` (Open Graph, JSON-LD).
    pub fn absolute(&self, path: &str) -> String {
        crate::content::encode_path(&format!("{}{}{path}", self.origin, self.base_path))
    }

    fn variant(
        &self,
        path: &str,
        source: &Source,
        region: Region,
        (width, height): (u32, u32),
        format: OutputFormat,
    ) -> Variant {
        let quality = if format == OutputFormat::Avif {
            self.images.avif_quality
        } else {
            self.images.quality
        };
        let avif_speed = if format == OutputFormat::Avif { self.images.avif_speed } else { 0 };
        let target = Target { region, width, height, format, quality, avif_speed };
        let key = Fingerprint::new()
            .add(CODEC_VERSION)
            .add(&source.hash)
            .add(&[region.left, region.top, region.width, region.height].map(f64::to_bits))
            .add(&(width, height, format, quality, avif_speed))
            .finish();
        let (stem, _) = path.rsplit_once('.').unwrap_or((path, ""));
        let name = format!("{stem}-{width}x{height}-{:08x}.{}", key >> 32, extension(format));
        Variant { path: name, key, source: path.to_string(), target }
    }
}

/// The region `shape` frames of `source`, and its size in the source's pixels.
fn frame(source: &Source, shape: Shape) -> (Region, u32, u32) {
    let (w, h) = (f64::from(source.probe.width.max(1)), f64::from(source.probe.height.max(1)));
    let Shape::Crop { ratio, focus } = shape else {
        return (Region::WHOLE, w as u32, h as u32);
    };
    let wanted = f64::from(ratio.width) / f64::from(ratio.height);
    let (crop_w, crop_h) = if w / h > wanted { (h * wanted, h) } else { (w, w / wanted) };
    // The focus as near the centre of the crop as the edges allow.
    let left = (focus.x * w - crop_w / 2.0).clamp(0.0, w - crop_w);
    let top = (focus.y * h - crop_h / 2.0).clamp(0.0, h - crop_h);
    let region = Region { left: left / w, top: top / h, width: crop_w / w, height: crop_h / h };
    (region, crop_w.round() as u32, crop_h.round() as u32)
}

fn scaled_height(width: u32, frame_w: u32, frame_h: u32) -> u32 {
    let height = (u64::from(width) * u64::from(frame_h) + u64::from(frame_w) / 2)
        / u64::from(frame_w.max(1));
    (height as u32).max(1)
}

fn output_format(format: ImageFormat, source: &Source) -> OutputFormat {
    match format {
        ImageFormat::Avif => OutputFormat::Avif,
        ImageFormat::Webp => OutputFormat::Webp,
        ImageFormat::Jpeg if source.probe.alpha => OutputFormat::Png,
        ImageFormat::Jpeg => OutputFormat::Jpeg,
    }
}

/// The media type of a format.
pub fn mime(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Avif => "image/avif",
        OutputFormat::Webp => "image/webp",
        OutputFormat::Jpeg => "image/jpeg",
        OutputFormat::Png => "image/png",
    }
}

/// The file extension of a format.
pub fn extension(format: OutputFormat) -> &'static str {
    match format {
        OutputFormat::Avif => "avif",
        OutputFormat::Webp => "webp",
        OutputFormat::Jpeg => "jpg",
        OutputFormat::Png => "png",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::codec::Probe;

    fn config() -> ImagesConfig {
        ImagesConfig::default()
    }

    fn photo(width: u32, height: u32, alpha: bool) -> Source {
        let format = if alpha { SourceFormat::Png } else { SourceFormat::Jpeg };
        Source { file: "x".into(), probe: Probe { format, width, height, alpha }, hash: 7 }
    }

    fn settings(images: &ImagesConfig) -> Settings<'_> {
        Settings { images, base_path: "/", origin: "https://example.com" }
    }

    #[test]
    fn the_ladder_never_upscales_and_ends_with_the_fallback() {
        let images = config();
        let ladder = settings(&images).ladder("a/p.jpg", &photo(1000, 750, false), Shape::Natural);
        let sizes: Vec<_> =
            ladder.iter().map(|v| (v.target.format, v.target.width, v.target.height)).collect();
        assert_eq!(
            sizes,
            [
                (OutputFormat::Webp, 400, 300),
                (OutputFormat::Webp, 800, 600),
                (OutputFormat::Jpeg, 400, 300),
                (OutputFormat::Jpeg, 800, 600)
            ]
        );
        assert!(ladder[0].path.starts_with("a/p-400x300-") && ladder[0].path.ends_with(".webp"));
    }

    #[test]
    fn a_small_image_keeps_its_size_and_transparency_keeps_png() {
        let images = config();
        let ladder = settings(&images).ladder("p.png", &photo(300, 200, true), Shape::Natural);
        let sizes: Vec<_> = ladder.iter().map(|v| (v.target.format, v.target.width)).collect();
        assert_eq!(sizes, [(OutputFormat::Webp, 300), (OutputFormat::Png, 300)]);
    }

    #[test]
    fn crops_keep_the_focus_in_view() {
        let source = photo(4000, 3000, false);
        let focus = Focus { x: 0.5, y: 0.0 };
        let (top, w, h) =
            frame(&source, Shape::Crop { ratio: Ratio { width: 16, height: 9 }, focus });
        assert_eq!((w, h), (4000, 2250));
        assert_eq!(top.top, 0.0);
        let focus = Focus { x: 0.5, y: 0.9 };
        let (low, _, _) =
            frame(&source, Shape::Crop { ratio: Ratio { width: 16, height: 9 }, focus });
        assert!((low.top + low.height - 1.0).abs() < 1e-9, "{low:?}");
        let centre = Shape::Crop { ratio: Ratio { width: 1, height: 1 }, focus: Focus::CENTRE };
        let (square, w, h) = frame(&source, centre);
        assert_eq!((w, h), (3000, 3000));
        assert!((square.left - 0.125).abs() < 1e-9);
    }

    #[test]
    fn share_images_have_the_sizes_platforms_ask_for() {
        let images = config();
        let shares =
            settings(&images).share_images("p.jpg", &photo(800, 600, false), Focus::CENTRE);
        let sizes: Vec<_> = shares.iter().map(|s| (s.width, s.height, s.mime)).collect();
        assert_eq!(
            sizes,
            [
                (1200, 630, "image/jpeg"),
                (1200, 675, "image/jpeg"),
                (1200, 900, "image/jpeg"),
                (1200, 1200, "image/jpeg")
            ]
        );
        assert!(shares[0].url.starts_with("https://example.com/p-1200x630-"));
    }

    #[test]
    fn urls_keep_arabic_and_encode_what_srcset_splits_on() {
        let images = config();
        let settings = settings(&images);
        assert_eq!(settings.url("أخبار/صورة 1,2.jpg"), "/أخبار/صورة%201%2C2.jpg");
        assert_eq!(
            settings.absolute("أ/b.jpg"),
            "https://example.com/%D8%A3/b.jpg",
            "share URLs are encoded whole"
        );
    }

    #[test]
    fn pictures_name_the_files_of_the_ladder() {
        let images = config();
        let settings = settings(&images);
        let source = photo(4000, 3000, false);
        let picture = settings.picture("p.jpg", &source, Shape::Natural);
        let ladder = settings.ladder("p.jpg", &source, Shape::Natural);
        assert_eq!((picture.width, picture.height, picture.mime), (1200, 900, "image/jpeg"));
        assert_eq!(picture.sources.len(), 1);
        for variant in ladder {
            let set = if variant.target.format == OutputFormat::Webp {
                &picture.sources[0].srcset
            } else {
                &picture.srcset
            };
            assert!(set.contains(&format!("/{} {}w", variant.path, variant.target.width)));
        }
    }
}
