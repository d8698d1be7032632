//! `Photos`: the gallery with the site's settings, as the rest of the build asks it things: the
//! markup data of a lead photo, an inline photo or an author's portrait, the share images, and
//! the list of every file to make.

use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use super::gallery::{Gallery, Source};
use super::store::Store;
use super::variants::{Picture, Settings, Shape, ShareImage, Variant};
use crate::config::{Config, ImagesConfig, Ratio};
use crate::content::{Article, Focus, Library};
use crate::data::Data;
use crate::error::{Diagnostic, Location};
use crate::fingerprint::Fingerprint;

/// The site's images and how they are shipped.
#[derive(Debug, Default)]
pub struct Photos {
    /// Every image file of the site.
    pub gallery: Gallery,
    images: Option<ImagesConfig>,
    base_path: String,
    origin: String,
    store: Option<Store>,
    /// The share images of a page without a photo (see [`Photos::default_share`]).
    default_share: Vec<ShareImage>,
}

/// A lead photo as templates see it (`page.image`): its card crop as a [`Picture`] (`src`,
/// `width`, `height`, `srcset`, `sources`), the Open Graph image (`og`) and the JSON-LD crops
/// (`structured`, absolute URLs).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Lead {
    /// The card crop.
    #[serde(flatten)]
    pub picture: Picture,
    /// The Open Graph image; none for an external image.
    pub og: Option<ShareImage>,
    /// The JSON-LD crops (16:9, 4:3, 1:1).
    pub structured: Vec<String>,
}

/// The square of an author's portrait.
const SQUARE: Ratio = Ratio { width: 1, height: 1 };
/// Portraits are small: widths of the ladder up to this.
const PORTRAIT_WIDTH: u32 = 400;

/// What an image URL resolves to: the image's path and the hash of its content.
type Resolved = Option<(String, u64)>;

impl Photos {
    /// Probes the images among `files` (output path, source file) for `config`.
    pub fn load(
        root: &Path,
        config: &Config,
        files: Vec<(String, std::path::PathBuf)>,
    ) -> (Photos, Vec<Diagnostic>) {
        let store = Store::new(root.join(&config.images.cache).join("images"));
        let candidates =
            files.into_iter().filter(|(path, _)| super::gallery::is_image_name(path)).collect();
        let (gallery, warnings) = Gallery::load(candidates, store.dir());
        let base = &config.base_url;
        let mut photos = Photos {
            gallery,
            images: Some(config.images.clone()),
            base_path: config.base_path.clone(),
            origin: base[..base.len() - config.base_path.len()].to_string(),
            store: Some(store),
            default_share: Vec::new(),
        };
        let default = config.images.default.as_deref().or(config.news.logo.as_deref());
        photos.default_share = default.map(|url| photos.share(url)).unwrap_or_default();
        (photos, warnings)
    }

    /// The cache of variants.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    fn settings(&self) -> Option<Settings<'_>> {
        Some(Settings {
            images: self.images.as_ref()?,
            base_path: &self.base_path,
            origin: &self.origin,
        })
    }

    fn card_shape(&self, focus: Focus) -> Shape {
        let ratio = self.images.as_ref().map_or(Ratio { width: 16, height: 9 }, |i| i.card_ratio);
        Shape::Crop { ratio, focus }
    }

    /// The lead photo `url` of an article at `base`. An external URL is shown as it is; a local
    /// one that is no image of the site is `None`.
    pub fn lead(&self, url: &str, base: &str, focus: Option<Focus>) -> Option<Lead> {
        let focus = focus.unwrap_or(Focus::CENTRE);
        let settings = self.settings()?;
        let Some((path, source)) = self.gallery.resolve(url, base) else {
            return is_external(url).then(|| external(url));
        };
        let shares = settings.share_images(&path, source, focus);
        Some(Lead {
            picture: settings.picture(&path, source, self.card_shape(focus)),
            og: shares.first().cloned(),
            structured: shares.into_iter().skip(1).map(|s| s.url).collect(),
        })
    }

    /// A photo of an article's body, or one a template places: its whole frame.
    pub fn inline(&self, url: &str, base: &str) -> Option<Picture> {
        let (path, source) = self.gallery.resolve(url, base)?;
        Some(self.settings()?.picture(&path, source, Shape::Natural))
    }

    /// Whether the site has the image a body at `base` writes as `url`.
    pub fn has(&self, url: &str, base: &str) -> bool {
        self.gallery.resolve(url, base).is_some()
    }

    /// An author's portrait: a square crop.
    pub fn portrait(&self, url: &str) -> Option<Picture> {
        let (path, source) = self.gallery.resolve(url, "")?;
        let settings = self.settings()?;
        if !source.is_raster() {
            return Some(settings.picture(&path, source, portrait_shape()));
        }
        Some(settings.picture_of(&self.portrait_ladder(&path, source)))
    }

    /// The share images of a page without a photo: of `[images] default`, else of the logo;
    /// Open Graph first.
    pub fn default_share(&self) -> &[ShareImage] {
        &self.default_share
    }

    /// The share images of a site-wide image (`[images] default`, the logo), Open Graph first.
    pub fn share(&self, url: &str) -> Vec<ShareImage> {
        let (Some(settings), Some((path, source))) =
            (self.settings(), self.gallery.resolve(url, ""))
        else {
            return Vec::new();
        };
        settings.share_images(&path, source, Focus::CENTRE)
    }

    /// A fingerprint of what `urls` (as resolved from `base`) are now: their content and size.
    pub fn fingerprint<'u>(&self, urls: impl Iterator<Item = &'u str>, base: &str) -> u64 {
        let mut fp = Fingerprint::new();
        for url in urls {
            match self.gallery.resolve(url, base) {
                Some((path, source)) => fp.add(&path).add(&source.hash),
                None => fp.add(url),
            };
        }
        fp.finish()
    }

    /// A fingerprint of every image of the site.
    pub fn fingerprint_all(&self) -> u64 {
        let mut all: Vec<(&str, u64)> = self.gallery.iter().map(|(p, s)| (p, s.hash)).collect();
        all.sort_unstable();
        crate::fingerprint::of(&all)
    }

    fn portrait_ladder(&self, path: &str, source: &Source) -> Vec<Variant> {
        let Some(settings) = self.settings() else { return Vec::new() };
        let ladder = settings.ladder(path, source, portrait_shape());
        let smallest = ladder.iter().map(|v| v.target.width).min().unwrap_or(0);
        let limit = PORTRAIT_WIDTH.max(smallest);
        ladder.into_iter().filter(|v| v.target.width <= limit).collect()
    }

    /// The site path of `article`'s lead photo and its focus, when it is an image of the site.
    fn lead_photo(&self, article: &Article) -> Option<(String, Focus)> {
        let fm = &article.front_matter;
        let (path, _) = self.gallery.resolve(fm.image.as_deref()?, &article.path)?;
        Some((path, fm.image_focus.unwrap_or(Focus::CENTRE)))
    }

    /// The files of a lead photo at `path` kept in view around `focus`.
    fn lead_variants(&self, path: &str, focus: Focus, settings: &Settings<'_>) -> Vec<Variant> {
        let Some(source) = self.gallery.sources.get(path) else { return Vec::new() };
        let mut variants = Vec::new();
        if source.is_raster() {
            variants = settings.ladder(path, source, self.card_shape(focus));
        }
        variants.extend(settings.share(path, source, focus));
        variants
    }

    /// A fingerprint of everything [`Photos::needed`] lists files of (the settings, every image,
    /// what each lead photo, portrait and site-wide image resolves to), far cheaper to make than
    /// the list: a build whose output holds the files of the same fingerprint keeps them without
    /// listing them. With it, a warning for each local lead photo or portrait that is no image of
    /// the site.
    pub fn wanted(
        &self,
        library: &Library,
        data: &Data,
        shared: &[&str],
    ) -> (u64, Vec<Diagnostic>) {
        let Some(settings) = self.settings() else { return (0, Vec::new()) };
        let mut fp = Fingerprint::new();
        fp.add(settings.images).add(settings.base_path).add(settings.origin);
        fp.add(&self.fingerprint_all());
        // What an image URL comes to: the image's path and content, or nothing.
        let resolved = |url: &str, base: &str| {
            self.gallery.resolve(url, base).map(|(path, source)| (path, source.hash))
        };
        // Each lead photo with its article's focus (an article without one adds nothing).
        let leads: Vec<(Resolved, Focus, Option<Diagnostic>)> = library
            .articles
            .par_iter()
            .filter_map(|article| {
                let url = article.front_matter.image.as_deref()?;
                let image = resolved(url, &article.path);
                let warning = (image.is_none() && !is_external(url)).then(|| {
                    let path = Path::new("content").join(&article.source);
                    missing(article.front_matter.at(&["image"], &path), "image", url)
                });
                let focus = article.front_matter.image_focus.unwrap_or(Focus::CENTRE);
                Some((image, focus, warning))
            })
            .collect();
        let mut warnings = Vec::new();
        for (image, focus, warning) in leads {
            fp.add(&image).add(&focus.x.to_bits()).add(&focus.y.to_bits());
            warnings.extend(warning);
        }
        for (key, author) in &data.authors {
            let Some(url) = author.image.as_deref() else { continue };
            let image = resolved(url, "");
            fp.add(&image);
            if image.is_none() && !is_external(url) {
                let what = format!("image of author `{key}`");
                warnings.push(missing(Location::file("data/authors.toml"), &what, url));
            }
        }
        for url in shared {
            fp.add(&resolved(url, ""));
        }
        (fp.finish(), warnings)
    }

    /// Every file to make: of every raster image its own path and its whole ladder; of every
    /// lead photo its card crops and share crops; of every portrait its square; of the site's
    /// share images their crops. (Images that are missing are [`Photos::wanted`]'s to report.)
    pub fn needed(&self, library: &Library, data: &Data, shared: &[&str]) -> Vec<Variant> {
        let Some(settings) = self.settings() else { return Vec::new() };
        // Gathered in order, then sorted by path: where two places ask for one path, the first
        // one's variant is made.
        let mut needed: Vec<Variant> = Vec::new();
        // Each photo's files are worked out on any thread.
        let sources: Vec<(&str, &Source)> =
            self.gallery.iter().filter(|(_, s)| s.is_raster()).collect();
        let of_sources: Vec<Vec<Variant>> = sources
            .par_iter()
            .map(|&(path, source)| {
                let mut variants = vec![settings.original(path, source)];
                variants.extend(settings.ladder(path, source, Shape::Natural));
                variants
            })
            .collect();
        needed.extend(of_sources.into_iter().flatten());
        // A photo leads thousands of articles: the files of each photo and focus are listed once,
        // in the order of the first article it leads.
        let leads: Vec<Option<(String, Focus)>> =
            library.articles.par_iter().map(|article| self.lead_photo(article)).collect();
        let mut seen: std::collections::HashMap<String, Vec<_>> = Default::default();
        for (path, focus) in leads.into_iter().flatten() {
            let key = (focus.x.to_bits(), focus.y.to_bits());
            if seen.get(&path).is_some_and(|focuses| focuses.contains(&key)) {
                continue;
            }
            needed.extend(self.lead_variants(&path, focus, &settings));
            seen.entry(path).or_default().push(key);
        }
        for author in data.authors.values() {
            let Some(url) = author.image.as_deref() else { continue };
            if let Some((path, source)) = self.gallery.resolve(url, "")
                && source.is_raster()
            {
                needed.extend(self.portrait_ladder(&path, source));
            }
        }
        for url in shared {
            if let Some((path, source)) = self.gallery.resolve(url, "") {
                needed.extend(settings.share(&path, source, Focus::CENTRE));
            }
        }
        // A stable sort keeps the first of each path first.
        needed.par_sort_by(|a, b| a.path.cmp(&b.path));
        needed.dedup_by(|later, first| later.path == first.path);
        needed
    }
}

fn portrait_shape() -> Shape {
    Shape::Crop { ratio: SQUARE, focus: Focus { x: 0.5, y: 0.35 } }
}

fn is_external(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//")
}

/// An external lead photo: shown as it is, in the card's frame.
fn external(url: &str) -> Lead {
    Lead {
        picture: Picture {
            src: url.to_string(),
            width: 1200,
            height: 675,
            mime: "",
            srcset: String::new(),
            sources: Vec::new(),
        },
        og: Some(ShareImage { url: url.to_string(), width: 0, height: 0, mime: "" }),
        structured: vec![url.to_string()],
    }
}

fn missing(at: Location, what: &str, url: &str) -> Diagnostic {
    Diagnostic::content(
        at,
        format!("{what} `{url}` is not a file of `static/` or of the article's folder: the page shows no photo"),
    )
    .with_hint("check the path: `/images/x.jpg` is `static/images/x.jpg`, `x.jpg` is beside the article in its bundle")
    .warning()
}
