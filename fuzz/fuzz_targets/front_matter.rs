//! Front matter: splitting at the `---`/`+++` fences and parsing YAML or TOML into
//! `FrontMatter`. Any text gives a `FrontMatter` or a located error, never a panic; the split's
//! pieces are where it says; every error, warning and key position points into the file.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use midad::Severity;
use midad::content::front_matter;

mod check;

fuzz_target!(|data: &[u8]| {
    // `read_and_parse` rejects invalid UTF-8 (and NUL) before parsing.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("content/politics/x.md");
    let split = front_matter::split(text, path);
    match &split {
        Ok(split) => {
            let at = split.front_matter_offset;
            assert_eq!(text.get(at..at + split.front_matter.len()), Some(split.front_matter));
            assert!(text.ends_with(split.body));
            assert!(at + split.front_matter.len() <= text.len() - split.body.len());
        }
        Err(err) => check::located(err, text, path),
    }
    match front_matter::parse(text, path) {
        Ok(parsed) => {
            let Ok(split) = split else { panic!("parsed a file the split rejected") };
            assert_eq!(parsed.body, split.body);
            let fm = &parsed.front_matter;
            assert!(!fm.title.is_empty() && fm.title.trim() == fm.title, "{:?}", fm.title);
            for name in fm.tags.iter().chain(&fm.authors) {
                assert!(!name.is_empty() && name.trim() == name, "{name:?}");
            }
            if let Some(focus) = fm.image_focus {
                assert!((0.0..=1.0).contains(&focus.x) && (0.0..=1.0).contains(&focus.y));
            }
            for &(key, line, col) in &fm.keys_at {
                check::within(text, line, col, key);
            }
            for warning in &parsed.warnings {
                assert_eq!(warning.severity, Severity::Warning);
                check::located(warning, text, path);
            }
        }
        Err(err) => {
            assert_eq!(err.severity, Severity::Error);
            check::located(&err, text, path);
        }
    }
});
