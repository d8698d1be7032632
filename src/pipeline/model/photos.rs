//! The photos of a [`Model`]'s render: the variants its pages show, made or kept from the output.

use std::path::Path;
use std::sync::Arc;

use crate::error::Diagnostic;
use crate::images;
use crate::output::{Contents, OutputFile};
use crate::render::{HeldPhotos, Memo, PhotoSet};

use super::Model;

impl Model {
    /// Makes the variants of every photo the store lacks (now, or on a thread of their own),
    /// and returns what it did and the photos' output files.
    ///
    /// A variant whose path the `output` folder `held` as a link of the same cache key is kept
    /// as it is, without asking the image cache; when the output holds the photos of this very
    /// set, whole folders of them are kept without listing a variant.
    pub(super) fn make_photos(
        &mut self,
        work: PhotoWork,
        output: &Path,
        held: HeldOutput,
        warnings: &mut Vec<Diagnostic>,
    ) -> (images::Made, Vec<OutputFile>) {
        if let (PhotoWork::Background, Some((epoch, made, files))) = (work, &self.session_photos)
            && *epoch == self.photos_epoch
        {
            return (made.clone(), files.clone());
        }
        let (made, files) = self.list_photos(work, output, held, warnings);
        if matches!(work, PhotoWork::Background) {
            self.session_photos = Some((self.photos_epoch, made.clone(), files.clone()));
        }
        (made, files)
    }

    /// [`Model::make_photos`], listing every variant the site shows.
    fn list_photos(
        &mut self,
        work: PhotoWork,
        output: &Path,
        held: HeldOutput,
        warnings: &mut Vec<Diagnostic>,
    ) -> (images::Made, Vec<OutputFile>) {
        let images = &self.config.images;
        let shared: Vec<&str> =
            images.default.iter().chain(&self.config.news.logo).map(String::as_str).collect();
        let (wanted, missing) = self.photos.wanted(&self.library, &self.data, &shared);
        warnings.extend(missing);
        self.photo_folders.clear();
        self.photo_set = None;
        if matches!(work, PhotoWork::Skip) {
            return (images::Made::default(), Vec::new());
        }
        let Some(store) = self.photos.store().cloned() else {
            return (images::Made::default(), Vec::new());
        };
        let HeldOutput { links: mut held, photos } = held;
        if let Some(photos) = photos {
            if photos.set.wanted == wanted && photos.intact {
                return self.keep_photos(output, held, photos);
            }
            held.extend(Memo::whole_folder_links(output, &photos));
        }
        let variants = self.photos.needed(&self.library, &self.data, &shared);
        let (kept, variants): (Vec<images::Variant>, Vec<images::Variant>) =
            variants.into_iter().partition(|v| held.get(&v.path) == Some(&v.key));
        let (mut made, ready) = match work {
            PhotoWork::Now { progress } => {
                let (made, ready, failed) =
                    images::make(&self.photos.gallery, variants, &store, progress);
                warnings.extend(failed);
                (made, ready)
            }
            // Returned before the variants are listed.
            PhotoWork::Skip => (images::Made::default(), Vec::new()),
            PhotoWork::Background => {
                let (photos, todo) = (Arc::clone(&self.photos), variants.clone());
                let (bg_store, bg_photos) = (store.clone(), Arc::clone(&photos));
                let spawned = std::thread::Builder::new()
                    .name("photos".into())
                    .spawn(move || images::make(&bg_photos.gallery, todo, &bg_store, false));
                if spawned.is_err() {
                    let _ = images::make(&photos.gallery, variants.clone(), &store, false);
                }
                (images::Made::default(), variants)
            }
        };
        // A photo whose files the output holds counts as taken from the cache.
        let asked: std::collections::HashSet<&str> =
            ready.iter().map(|v| v.source.as_str()).collect();
        let held_only: std::collections::HashSet<&str> =
            kept.iter().map(|v| v.source.as_str()).filter(|s| !asked.contains(s)).collect();
        made.cached += held_only.len();
        self.photo_links_held = ready.is_empty() && kept.len() == held.len();
        let all = || ready.iter().chain(&kept);
        let sources: std::collections::HashSet<&str> = all().map(|v| v.source.as_str()).collect();
        self.photo_set = Some(PhotoSet { wanted, sources: sources.len() });
        self.variants = all().map(|v| (v.key, v.target.format)).collect();
        self.photo_links = all().map(|v| (v.path.clone(), v.key)).collect();
        let mut files: Vec<OutputFile> = kept
            .iter()
            .map(|v| OutputFile {
                path: v.path.clone(),
                contents: Contents::Keep(output.join(&v.path)),
            })
            .collect();
        files.extend(ready.into_iter().map(|v| {
            let cached = store.path(v.key, v.target.format);
            OutputFile::link(v.path, cached)
        }));
        (made, files)
    }

    /// The photo files of an output that holds those of the very set this render wants (as
    /// its manifest says, with every file and folder still there): each whole folder kept as it
    /// is, each other link kept; nothing is listed or asked of the image cache.
    fn keep_photos(
        &mut self,
        output: &Path,
        links: foldhash::HashMap<String, u64>,
        photos: HeldPhotos,
    ) -> (images::Made, Vec<OutputFile>) {
        let made = images::Made { cached: photos.set.sources, ..images::Made::default() };
        self.photo_links_held = true;
        self.photo_set = Some(photos.set);
        self.photo_folders = photos.whole;
        let files = links
            .keys()
            .map(|path| OutputFile {
                path: path.clone(),
                contents: Contents::Keep(output.join(path)),
            })
            .collect();
        self.photo_links = links.into_iter().collect();
        (made, files)
    }

    /// Removes from the image cache what the last render no longer used (see
    /// [`images::store::Store::sweep`]).
    pub(crate) fn sweep_photos(&self) -> std::io::Result<usize> {
        match self.photos.store() {
            Some(store) => store.sweep(&self.variants),
            None => Ok(0),
        }
    }
}

/// The photo files a build's output holds already, as its manifest records them.
#[derive(Debug, Default)]
pub(super) struct HeldOutput {
    /// Links of image cache files by output path, with each one's cache key (but those in
    /// whole folders).
    pub(super) links: foldhash::HashMap<String, u64>,
    /// The photo set they belong to, with its whole folders.
    pub(super) photos: Option<HeldPhotos>,
}

/// When a render makes the variants of photos.
#[derive(Debug, Clone, Copy)]
pub(super) enum PhotoWork {
    /// Before it returns (a build), with a progress bar on a terminal if `progress`.
    Now { progress: bool },
    /// On a thread of its own (a session): `serve` waits for a variant asked for before it is made.
    Background,
    /// Not at all (a check): photos that are missing are still reported.
    Skip,
}
