//! The HTML of a one-off build's bodies, spilled to a file while the build runs: every body is
//! rendered in the Markdown step, but a page needs its body only when it is rendered, and at
//! 100,000 articles the bodies' HTML is over a gigabyte. Each body is written to the file as soon
//! as it is rendered and read back for its article's page (and the feeds that carry it whole).
//!
//! The file has no name (`tempfile`: `O_TMPFILE` on Linux, else removed as soon as it is
//! made), beside the output where the build writes anyway, so nothing of it outlives the build,
//! even a killed one. Where no such file can be made, bodies stay in memory.

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::render::Spilled;

/// A file of bodies' HTML, written by many threads at once: each write takes a range of its
/// own.
#[derive(Debug)]
pub(super) struct Spill {
    file: File,
    /// Where the next body goes.
    end: AtomicU64,
}

impl Spill {
    /// A new spill file in the folder that holds `output` (or, while that does not exist yet,
    /// the system's temporary folder); `None` where none can be made or the platform has no
    /// positioned reads and writes.
    pub(super) fn beside(output: &Path) -> Option<Spill> {
        if !cfg!(unix) {
            return None;
        }
        let parent =
            output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let file = tempfile::tempfile_in(parent).or_else(|_| tempfile::tempfile()).ok()?;
        Some(Spill { file, end: AtomicU64::new(0) })
    }

    /// Writes `html` to the file and says where it went.
    pub(super) fn put(&self, html: &str) -> io::Result<Spilled> {
        let len = u32::try_from(html.len()).map_err(|_| io::Error::other("body over 4 GB"))?;
        let at = self.end.fetch_add(u64::from(len), Ordering::Relaxed);
        write_at(&self.file, html.as_bytes(), at)?;
        Ok(Spilled { at, len })
    }

    /// The HTML written at `place`.
    pub(super) fn get(&self, place: Spilled) -> io::Result<String> {
        let mut bytes = vec![0; place.len as usize];
        read_at(&self.file, &mut bytes, place.at)?;
        // Checked with SIMD and copied: the standard check is many times slower on Arabic text.
        let html = simdutf8::basic::from_utf8(&bytes)
            .map_err(|_| io::Error::other("not the HTML that was spilled"))?;
        Ok(html.to_owned())
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, at)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], at: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, at)
}

#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn bodies_written_from_many_threads_read_back_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::beside(&dir.path().join("public")).expect("a spill file");
        let bodies: Vec<String> =
            (0..500).map(|i| format!("<p>الفقرة {i}</p>").repeat(i % 7 + 1)).collect();
        let places: Vec<Spilled> = bodies.par_iter().map(|html| spill.put(html).unwrap()).collect();
        for (html, place) in bodies.iter().zip(places) {
            assert_eq!(&spill.get(place).unwrap(), html);
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the file has no name");
    }

    #[test]
    fn an_empty_body_is_spilled_too() {
        let spill = Spill::beside(Path::new("public")).expect("a spill file");
        let place = spill.put("").unwrap();
        assert_eq!(spill.get(place).unwrap(), "");
    }
}
