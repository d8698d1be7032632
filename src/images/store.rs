//! The cache of made variants: one file per cache key under `<cache>/images/`, shared by
//! `build`, `build --watch` and `serve`, outside the output so it survives every build and can
//! be kept between CI runs. A key is a hash of the source's bytes, the target and the codec
//! version, never of a path or a time, so a file found under its key is the file wanted.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::codec::OutputFormat;
use super::variants::{Variant, extension};

/// The cache folder of variants.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

/// The list of keys the last `midad build` used, for [`Store::sweep`].
const USED: &str = "used";

impl Store {
    /// The store in `dir` (`<site>/.midad-cache/images`); nothing is created until written.
    pub fn new(dir: PathBuf) -> Store {
        Store { dir }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the variant with `key` in `format` is kept.
    pub fn path(&self, key: u64, format: OutputFormat) -> PathBuf {
        self.dir
            .join(format!("{:02x}", key >> 56))
            .join(format!("{key:016x}.{}", extension(format)))
    }

    /// Whether `variant` is made already.
    pub fn has(&self, variant: &Variant) -> bool {
        self.path(variant.key, variant.target.format).is_file()
    }

    /// Keeps `bytes` as `variant`: written beside and renamed, so a killed build never leaves
    /// half a file under a key.
    pub fn put(&self, variant: &Variant, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.path(variant.key, variant.target.format);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        let mut temp = path.clone().into_os_string();
        temp.push(format!(".{}-tmp", std::process::id()));
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        drop(file);
        std::fs::rename(&temp, &path)?;
        let _ = std::fs::remove_file(crate::output::variant_failed(&path));
        Ok(())
    }

    /// Leaves a marker that `variant` could not be made (see `output::wait_for_variant`).
    pub fn mark_failed(&self, variant: &Variant) {
        let path = self.path(variant.key, variant.target.format);
        if let Some(folder) = path.parent() {
            let _ = std::fs::create_dir_all(folder);
        }
        let _ = std::fs::write(crate::output::variant_failed(&path), b"");
    }

    /// Removes the variants the last sweep kept that `used` (this build's) no longer needs, and
    /// records `used` for the next. Only `midad build` sweeps: a preview with drafts makes
    /// variants a build leaves out, and those are removed by the next build.
    pub fn sweep(&self, used: &[(u64, OutputFormat)]) -> std::io::Result<usize> {
        let now: HashSet<(u64, OutputFormat)> = used.iter().copied().collect();
        let list = self.dir.join(USED);
        let mut removed = 0;
        if let Ok(text) = std::fs::read_to_string(&list) {
            for line in text.lines() {
                let Some((key, ext)) = line.split_once('.') else { continue };
                let Ok(key) = u64::from_str_radix(key, 16) else { continue };
                let Some(format) = format_of_extension(ext) else { continue };
                if !now.contains(&(key, format))
                    && std::fs::remove_file(self.path(key, format)).is_ok()
                {
                    removed += 1;
                }
            }
        }
        let mut keys: Vec<_> = now.into_iter().collect();
        keys.sort_unstable();
        let mut text = String::with_capacity(keys.len() * 22);
        for (key, format) in keys {
            text.push_str(&format!("{key:016x}.{}\n", extension(format)));
        }
        std::fs::create_dir_all(&self.dir)?;
        crate::output::replace_file(&list, &text)?;
        Ok(removed)
    }
}

fn format_of_extension(ext: &str) -> Option<OutputFormat> {
    [OutputFormat::Avif, OutputFormat::Webp, OutputFormat::Jpeg, OutputFormat::Png]
        .into_iter()
        .find(|&f| extension(f) == ext)
}
