//! An output remembered from the last render, with the fingerprint of what it was made from
//! ([`Remembered`]), and the last render's outputs as feeds and sitemaps look them up
//! ([`Previous`]).

use foldhash::HashMap;

use crate::output::Contents;

/// An output's fingerprint and contents.
#[derive(Debug, Clone)]
pub(super) struct Remembered {
    pub(super) fingerprint: u64,
    pub(super) contents: Contents,
    /// The size of the file that `Contents::Keep` keeps, when the manifest recorded it and the
    /// file had it: the next manifest records it without a `stat` per kept file.
    pub(super) kept_size: Option<u64>,
}

/// The last render's files as feeds and sitemaps keep them, and what they are fingerprinted
/// from.
pub(crate) struct Previous<'m> {
    pub(super) files: &'m HashMap<String, Remembered>,
    /// What every output shares (config, build time, the variables of every page).
    pub(crate) global: u64,
    /// Each article's summary fingerprint and source fingerprint (see `plan::Fingerprints`).
    pub(crate) summaries: &'m [u64],
    pub(crate) sources: &'m [u64],
    /// When only article texts changed since the last render: which articles changed (their
    /// file or summary). A feed of unchanged articles is then kept without a new fingerprint.
    pub(super) changed: Option<ChangedArticles<'m>>,
}

/// Which articles changed since the last render, when only article texts did.
#[derive(Clone, Copy)]
pub(super) struct ChangedArticles<'m> {
    /// By article id: whether its file changed.
    pub(super) sources: &'m [bool],
    /// By article id: whether its summary changed.
    pub(super) summaries: &'m [bool],
}

impl ChangedArticles<'_> {
    /// Whether article `id` changed, its file or its summary: a feed of none that did is as it
    /// was.
    pub(super) fn article(&self, id: crate::content::ArticleId) -> bool {
        self.sources[id] || self.summaries[id]
    }
}

impl Previous<'_> {
    /// The fingerprint of an article as a feed shows it: its summary and its whole source.
    pub(crate) fn article(&self, id: crate::content::ArticleId) -> u64 {
        crate::fingerprint::Fingerprint::new()
            .add(&self.summaries[id])
            .add(&self.sources[id])
            .finish()
    }

    /// The contents the last render wrote at `path`, if they were made from `fp`.
    pub(crate) fn get(&self, path: &str, fp: u64) -> Option<Contents> {
        let last = self.files.get(path)?;
        (last.fingerprint == fp).then(|| last.contents.clone())
    }

    /// The fingerprint and contents the last render wrote at `path`.
    pub(crate) fn last(&self, path: &str) -> Option<(u64, Contents)> {
        self.files.get(path).map(|last| (last.fingerprint, last.contents.clone()))
    }
}
