//! Progress on a terminal: whether bars may be drawn at all (`--quiet` says no), the one
//! [`indicatif::MultiProgress`] every bar of a command draws through (so the build's and the
//! images' bars never overwrite each other), and the last build step finished, for the bar of a
//! long build. indicatif draws on standard error only when it is a terminal.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

static HIDDEN: AtomicBool = AtomicBool::new(false);
static LAST_STEP: Mutex<&str> = Mutex::new("");

/// No bar from now on (`--quiet`).
pub fn hide() {
    HIDDEN.store(true, Ordering::Relaxed);
}

/// The bars of this process, or None when they are hidden.
pub fn bars() -> Option<&'static indicatif::MultiProgress> {
    static BARS: OnceLock<indicatif::MultiProgress> = OnceLock::new();
    (!HIDDEN.load(Ordering::Relaxed)).then(|| BARS.get_or_init(indicatif::MultiProgress::new))
}

/// Records that build step `name` finished.
pub fn finished_step(name: &'static str) {
    if let Ok(mut last) = LAST_STEP.lock() {
        *last = name;
    }
}

/// The last build step finished, `""` before the first.
pub fn last_step() -> &'static str {
    LAST_STEP.lock().map(|last| *last).unwrap_or("")
}

/// The resident memory of this process in KiB (`VmRSS`), where `/proc` says it.
pub fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|line| line.strip_prefix("VmRSS:"))?;
    line.trim().trim_end_matches("kB").trim().parse().ok()
}
