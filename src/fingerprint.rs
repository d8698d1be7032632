//! Fingerprints: 64-bit hashes of what a page is made from, so a rebuild can tell which pages
//! would render the same as last time and keep their bytes instead.
//!
//! Two equal fingerprints stand for equal inputs. They are only compared within one process (a
//! `serve` or `build --watch` session), never stored. The hasher is XXH3 (64-bit): made for
//! hashing content fast, several times faster than std's SipHash on the page contexts and
//! summaries a rebuild fingerprints, with no need for SipHash's resistance to chosen inputs here.

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3Default;

use serde::Serialize;

/// A running fingerprint.
#[derive(Clone)]
pub struct Fingerprint(Xxh3Default);

impl Default for Fingerprint {
    fn default() -> Fingerprint {
        Fingerprint::new()
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fingerprint({:016x})", self.finish())
    }
}

impl Fingerprint {
    /// An empty fingerprint.
    pub fn new() -> Fingerprint {
        Fingerprint(Xxh3Default::new())
    }

    /// Adds a hashable value.
    pub fn add<T: Hash + ?Sized>(&mut self, value: &T) -> &mut Self {
        value.hash(&mut self.0);
        self
    }

    /// Adds a value by its JSON form (for views and `serde_json` values, which are not `Hash`).
    pub fn add_json<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        // Writing into a hasher cannot fail; a value that cannot serialise adds its error text.
        if let Err(err) = serde_json::to_writer(HashWriter(&mut self.0), value) {
            err.to_string().hash(&mut self.0);
        }
        self
    }

    /// The fingerprint so far.
    pub fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The fingerprint of one value's JSON form.
pub fn of_json<T: Serialize + ?Sized>(value: &T) -> u64 {
    Fingerprint::new().add_json(value).finish()
}

/// The fingerprint of one hashable value.
pub fn of<T: Hash + ?Sized>(value: &T) -> u64 {
    Fingerprint::new().add(value).finish()
}

struct HashWriter<'a>(&'a mut Xxh3Default);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What identifies the running midad: its version and its executable's size and modification
/// time. Fingerprints and cached values are only comparable within one binary, so the files a
/// build keeps for the next (the manifest, the body cache) start with it.
pub fn binary_identity() -> Option<String> {
    let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
    let modified = exe.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    Some(format!("{}\t{}\t{}", env!("CARGO_PKG_VERSION"), exe.len(), modified.as_nanos()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_equal_fingerprints() {
        let a = serde_json::json!({"title": "الحكومة تعلن", "tags": ["مصر", "اقتصاد"]});
        let b = serde_json::json!({"title": "الحكومة تعلن", "tags": ["مصر", "اقتصاد"]});
        let c = serde_json::json!({"title": "الحكومة تعلن", "tags": ["مصر"]});
        assert_eq!(of_json(&a), of_json(&b));
        assert_ne!(of_json(&a), of_json(&c));
        assert_ne!(of("ab"), of("ba"));
        // Hash framing: ("a", "bc") and ("ab", "c") differ.
        assert_ne!(
            Fingerprint::new().add("a").add("bc").finish(),
            Fingerprint::new().add("ab").add("c").finish()
        );
    }
}
