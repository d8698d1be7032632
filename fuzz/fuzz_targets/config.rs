//! `config.toml`: any text gives a `Config` or an error located in the file, never a panic; a
//! `Config` holds what the rest of the build relies on (an absolute http(s) base URL ending in
//! `/`, a root-relative base path, at least one article per page).

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

mod check;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let path = Path::new("config.toml");
    match midad::config::parse(text, path) {
        Ok(config) => {
            let url = &config.base_url;
            assert!(url.starts_with("https://") || url.starts_with("http://"), "{url}");
            assert!(url.ends_with('/') && url.ends_with(&config.base_path), "{url}");
            // Pages link to `{base_path}politics/…`: a base path starting `//` would make those
            // protocol-relative links to another host.
            let base = &config.base_path;
            assert!(base.starts_with('/') && base.ends_with('/') && !base.contains("//"), "{base}");
            assert!(config.per_page >= 1);
            assert!(!config.language.is_empty());
        }
        Err(err) => check::located(&err, text, path),
    }
});
