//! Puts the commit midad is built from into `midad --version` (`midad 0.1.0 (a421b07)`), or
//! `unknown` outside a git checkout (a crate tarball).

use std::process::Command;

fn main() {
    let commit = git(&["rev-parse", "--short=7", "HEAD"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=MIDAD_COMMIT={commit}");
    // Built again when HEAD moves or the branch it names does.
    if let Some(dir) = git(&["rev-parse", "--git-dir"]) {
        println!("cargo:rerun-if-changed={dir}/HEAD");
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            let common = git(&["rev-parse", "--git-common-dir"]).unwrap_or(dir);
            println!("cargo:rerun-if-changed={common}/{branch}");
            println!("cargo:rerun-if-changed={common}/packed-refs");
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
    // The built-in theme (`include_dir!` in src/theme.rs) is read when midad is compiled: a
    // change to any of its files builds midad again.
    println!("cargo:rerun-if-changed=themes/akhbar");
}

/// The trimmed output of `git ARGS`, or None when git fails or is not installed.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
