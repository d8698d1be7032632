//! The cache file of verdicts the servers gave for good (see the module above for its format).

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::verdict::{Error, Verdict};

/// The first line of a cache file, with its format version.
const FORMAT: &str = "midad-links 1";

/// The cache file as read: its verdicts still fresh, by request URL.
#[derive(Debug, Default)]
pub(super) struct Cache {
    pub(super) fresh: HashMap<String, Record>,
    /// The file held something not in `fresh` (a stale verdict, an unreadable line, another
    /// version): it is to be written again even if nothing is added.
    pub(super) outdated: bool,
}

/// A verdict the cache keeps, from the time it was asked.
#[derive(Debug, Clone, Copy)]
pub(super) struct Record {
    /// When, in seconds since 1970.
    checked: u64,
    kept: Kept,
    status: u16,
}

/// The verdicts the cache keeps: the ones the server gave for good.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kept {
    Ok,
    Broken,
}

/// A line of the cache file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    url: Cow<'a, str>,
    checked: u64,
    verdict: Kept,
    status: u16,
}

impl Record {
    /// What the cache keeps of `verdict`, asked at `now`: nothing of what was not definitive.
    pub(super) fn of(verdict: &Verdict, now: u64) -> Option<Record> {
        let (kept, status) = match *verdict {
            Verdict::Ok { status } => (Kept::Ok, status),
            Verdict::Broken { status } => (Kept::Broken, status),
            Verdict::Invalid { .. } | Verdict::Unreachable { .. } => return None,
        };
        Some(Record { checked: now, kept, status })
    }

    pub(super) fn verdict(self) -> Verdict {
        let status = self.status;
        match self.kept {
            Kept::Ok => Verdict::Ok { status },
            Kept::Broken => Verdict::Broken { status },
        }
    }
}

impl Cache {
    /// The verdicts in the file at `path` checked less than `max_age` before `now`; none if it
    /// can't be read or is of another version.
    pub(super) fn load(path: &Path, now: u64, max_age: Duration) -> Cache {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Cache::default(),
            Err(_) => return Cache { outdated: true, ..Cache::default() },
        };
        let mut lines = text.lines();
        if lines.next() != Some(FORMAT) {
            return Cache { outdated: true, ..Cache::default() };
        }
        let mut cache = Cache::default();
        for line in lines {
            let Ok(Line { url, checked, verdict: kept, status }) = serde_json::from_str(line)
            else {
                cache.outdated = true;
                continue;
            };
            // A verdict from the future (a clock set back) is not trusted either.
            let fresh = now.checked_sub(checked).is_some_and(|age| age < max_age.as_secs());
            if fresh {
                cache.fresh.insert(url.into_owned(), Record { checked, kept, status });
            } else {
                cache.outdated = true;
            }
        }
        cache
    }

    /// Replaces the file at `path` with these verdicts, whole: written beside (`<path>-tmp`)
    /// and renamed, so a check killed meanwhile leaves the old file or the new one.
    pub(super) fn save(&self, path: &Path) -> Result<(), Error> {
        let mut records: Vec<(&String, &Record)> = self.fresh.iter().collect();
        records.sort_unstable_by_key(|&(url, _)| url);
        let mut text = format!("{FORMAT}\n");
        for (url, record) in records {
            let Record { checked, kept, status } = *record;
            let line = Line { url: Cow::Borrowed(url), checked, verdict: kept, status };
            // A struct of strings and numbers always serializes.
            if let Ok(line) = serde_json::to_string(&line) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        crate::output::replace_file(path, &text)
            .map_err(|source| Error::CacheWrite { path: path.to_path_buf(), source })
    }
}
