//! Fingerprints: 64-bit hashes of what a page is made from, so a rebuild can tell which pages
//! would render the same as last time and keep their bytes instead.
//!
//! Two equal fingerprints stand for equal inputs. They are compared within one process (a
//! `serve` or `build --watch` session), or with those of the last `midad build`, stored in its
//! manifest under [`binary_identity`], so only a build by the same binary compares them. The
//! hasher is XXH3 (64-bit): made for hashing content fast, and faster than std's SipHash on the
//! page contexts and summaries a rebuild fingerprints, whose resistance to chosen inputs is not
//! needed here.

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

    /// Adds a JSON value (a summary, a page's variables), walked directly: tagged and
    /// length-prefixed, so that different values never write the same bytes, and without the
    /// escaping pass that writing it as JSON text ([`Fingerprint::add_json`]) makes.
    pub fn add_value(&mut self, value: &serde_json::Value) -> &mut Self {
        VALUE_BYTES.with(|bytes| match bytes.try_borrow_mut() {
            Ok(mut bytes) => {
                bytes.clear();
                value_bytes(value, &mut bytes);
                self.0.update(&bytes);
            }
            // Only if a value held something that fingerprints values while being walked.
            Err(_) => {
                let mut bytes = Vec::new();
                value_bytes(value, &mut bytes);
                self.0.update(&bytes);
            }
        });
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

/// The fingerprint of one value's JSON form, written into a buffer and hashed at once: for a
/// view made only to be fingerprinted, cheaper than making a JSON value of it to walk.
pub fn of_json_text<T: Serialize + ?Sized>(value: &T) -> u64 {
    let hash = |bytes: &mut Vec<u8>| {
        bytes.clear();
        match serde_json::to_writer(&mut *bytes, value) {
            Ok(()) => xxhash_rust::xxh3::xxh3_64(bytes),
            Err(err) => of(&err.to_string()),
        }
    };
    VALUE_BYTES.with(|bytes| match bytes.try_borrow_mut() {
        Ok(mut bytes) => hash(&mut bytes),
        Err(_) => hash(&mut Vec::new()),
    })
}

/// The fingerprint of one JSON value (see [`Fingerprint::add_value`]).
pub fn of_value(value: &serde_json::Value) -> u64 {
    Fingerprint::new().add_value(value).finish()
}

thread_local! {
    /// The bytes of the value being fingerprinted, hashed at once: XXH3 is fast on one long
    /// buffer, not on the same bytes given a few at a time.
    static VALUE_BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Appends `value` to `out`: a tag byte per value; strings, arrays and objects with their length
/// first; numbers as their 8 bytes.
fn value_bytes(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    let len = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u64).to_le_bytes());
    match value {
        Value::Null => out.push(0),
        Value::Bool(b) => out.extend_from_slice(&[1, u8::from(*b)]),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => {
                out.push(2);
                out.extend_from_slice(&u.to_le_bytes());
            }
            (None, Some(i), _) => {
                out.push(3);
                out.extend_from_slice(&i.to_le_bytes());
            }
            (None, None, f) => {
                out.push(4);
                out.extend_from_slice(&f.unwrap_or(f64::NAN).to_bits().to_le_bytes());
            }
        },
        Value::String(text) => {
            out.push(5);
            len(out, text.len());
            out.extend_from_slice(text.as_bytes());
        }
        Value::Array(items) => {
            out.push(6);
            len(out, items.len());
            for item in items {
                value_bytes(item, out);
            }
        }
        Value::Object(map) => {
            out.push(7);
            len(out, map.len());
            for (key, item) in map {
                len(out, key.len());
                out.extend_from_slice(key.as_bytes());
                value_bytes(item, out);
            }
        }
    }
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
        assert_eq!(of_value(&a), of_value(&b));
        assert_ne!(of_value(&a), of_value(&c));
        assert_ne!(of("ab"), of("ba"));
        // Hash framing: ("a", "bc") and ("ab", "c") differ.
        assert_ne!(
            Fingerprint::new().add("a").add("bc").finish(),
            Fingerprint::new().add("ab").add("c").finish()
        );
    }

    /// Values that a walk without tags or lengths would confuse get different fingerprints.
    #[test]
    fn values_that_look_alike_differ() {
        use serde_json::json;
        let values = [
            json!(null),
            json!(false),
            json!(true),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(""),
            json!("0"),
            json!("ab"),
            json!(["a", "b"]),
            json!(["ab"]),
            json!([["a"], "b"]),
            json!([]),
            json!({}),
            json!({"a": "b"}),
            json!({"ab": ""}),
            json!({"a": {"b": ""}}),
            json!({"a": ["b"]}),
            json!([{"a": "b"}]),
        ];
        let fingerprints: std::collections::BTreeSet<u64> = values.iter().map(of_value).collect();
        assert_eq!(fingerprints.len(), values.len());
        // The same value, built in another order, is the same (objects are sorted maps).
        let mut map = serde_json::Map::new();
        map.insert("z".into(), json!(1));
        map.insert("a".into(), json!("س"));
        assert_eq!(of_value(&serde_json::Value::Object(map)), of_value(&json!({"a": "س", "z": 1})));
    }
}
