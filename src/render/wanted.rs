//! The outputs a render on request makes ([`Wanted`]): `midad serve` renders the pages a
//! browser asked for, not the whole site.

use std::sync::atomic::{AtomicU64, Ordering};

use foldhash::{HashSet, HashSetExt};

/// Output paths a render on request renders (`politics/x/index.html`, `rss.xml`); every other
/// output is planned but neither fingerprinted nor rendered, and the memo forgets it.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    /// Each path as an output path, and a folder's `index.html` also as the page's own path
    /// (`politics/x/`), which is how the render knows its pages.
    paths: HashSet<String>,
    /// Changes whenever `paths` does, and differs between two sets made apart: a render that
    /// found the places of the wanted outputs keeps them for the next render of the same site
    /// and the same version.
    version: u64,
}

/// The last [`Wanted::version`] given.
static VERSIONS: AtomicU64 = AtomicU64::new(0);

fn next_version() -> u64 {
    VERSIONS.fetch_add(1, Ordering::Relaxed) + 1
}

impl Wanted {
    /// Nothing wanted.
    pub fn new() -> Wanted {
        Wanted { paths: HashSet::new(), version: next_version() }
    }

    /// See the field: the same version, the same paths.
    pub(super) fn version(&self) -> u64 {
        self.version
    }

    /// Wants the output at `path` (an output path: `politics/x/index.html`).
    pub fn insert(&mut self, path: &str) {
        if self.paths.contains(path) {
            return;
        }
        if let Some(page) =
            path.strip_suffix("index.html").filter(|p| p.is_empty() || p.ends_with('/'))
        {
            self.paths.insert(page.to_string());
        }
        self.paths.insert(path.to_string());
        self.version = next_version();
    }

    /// No longer wants the output at `path`.
    pub fn remove(&mut self, path: &str) {
        if !self.paths.contains(path) {
            return;
        }
        self.version = next_version();
        if let Some(page) =
            path.strip_suffix("index.html").filter(|p| p.is_empty() || p.ends_with('/'))
        {
            self.paths.remove(page);
        }
        self.paths.remove(path);
    }

    /// Whether the output at `path` is wanted: an output path, or a page's own path
    /// (`politics/x/` for `politics/x/index.html`).
    pub fn has(&self, path: &str) -> bool {
        self.paths.contains(path)
    }

    /// Whether any wanted path passes `test`.
    pub fn any(&self, test: impl Fn(&str) -> bool) -> bool {
        self.paths.iter().any(|path| test(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_wanted_by_either_path() {
        let mut wanted = Wanted::new();
        wanted.insert("politics/x/index.html");
        wanted.insert("index.html");
        wanted.insert("rss.xml");
        assert!(wanted.has("politics/x/") && wanted.has("politics/x/index.html"));
        assert!(wanted.has("") && wanted.has("rss.xml"));
        assert!(!wanted.has("politics/"));
        wanted.remove("politics/x/index.html");
        assert!(!wanted.has("politics/x/") && !wanted.has("politics/x/index.html"));
        assert!(wanted.any(|p| p.ends_with(".xml")));
    }

    #[test]
    fn the_version_changes_with_the_paths() {
        let mut wanted = Wanted::new();
        let other = Wanted::new();
        assert_ne!(wanted.version(), other.version());
        let empty = wanted.version();
        wanted.insert("a/index.html");
        let one = wanted.version();
        assert_ne!(one, empty);
        wanted.insert("a/index.html");
        wanted.remove("b/index.html");
        assert_eq!(wanted.version(), one, "nothing changed");
        wanted.remove("a/index.html");
        assert!(![empty, one].contains(&wanted.version()));
        assert_eq!(wanted.clone().version(), wanted.version());
    }
}
