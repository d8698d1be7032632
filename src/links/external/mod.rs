//! External links (`http://`, `https://`) checked over the network, as `midad check --external`
//! does: is the page there, is it gone for good, or could we not tell?
//!
//! Each URL is asked with `HEAD` first, which sends no body; a server that answers `HEAD` with
//! 400, 403, 404, 405 or 501, or with something that is not HTTP, is asked again with `GET`,
//! whose body is never read (many servers and CDNs answer `HEAD` wrongly). Redirects are
//! followed, up to [`MAX_REDIRECTS`]. A 429 is asked once more after its `Retry-After` (at most
//! the timeout). Every request has a timeout ([`Settings::timeout`], for the whole redirect
//! chain); at most [`Settings::concurrency`] requests run at once, and at most
//! [`Settings::per_host`] to one host, so an article that links thirty times to one ministry
//! doesn't hammer it. Each distinct URL (without its `#fragment`) is requested at most once.
//!
//! The answer is a [`Verdict`]. Only what the server says for good is [`Verdict::Broken`]: a 4xx
//! other than 401, 403 and 429. Everything else that keeps us from knowing (no DNS answer, no
//! connection, TLS, a timeout, a 5xx, a refusal or rate limit, a redirect loop) is
//! [`Verdict::Unreachable`], with a [`Failure`] that says why: the caller reports it but never
//! fails on it, because a network error says nothing about the site being built.
//!
//! Verdicts the server gave for good (`Ok`, `Broken`) are kept in a cache file
//! ([`Settings::cache`]) with the time they were asked, and used instead of a request while
//! younger than [`Settings::max_age`]; `Unreachable` is never kept, so it is asked again next
//! time. The file is a first line `midad-links 1`, then one JSON object per line,
//! `{"url":"https://…","checked":1767225600,"verdict":"broken","status":404}` (`checked` in
//! seconds since 1970), and is replaced whole (`<file>-tmp`, then a rename). A file that can't
//! be read, of another version, or a line that can't be read, is ignored. Verdicts of URLs no
//! longer linked stay until they are too old, so checking part of a site keeps the rest.
//!
//! What this module deliberately doesn't do: check `#fragment`s of external pages (that needs
//! their bodies), keep cookies (a site that loops through a cookie redirect is `Unreachable`,
//! not broken), resolve internationalised host names (a `.مصر` host needs its `xn--` form), or
//! count a redirect to another host against that host's limit. It never prints and never
//! panics on what the network sends.

use std::collections::{HashMap, HashSet};
use std::time::{SystemTime, UNIX_EPOCH};

use cache::{Cache, Record};
use request::request_all;
use verdict::Target;
pub use verdict::{Error, Failure, MAX_REDIRECTS, Settings, Verdict};

mod cache;
mod request;
mod verdict;

/// What [`check`] found.
#[derive(Debug)]
pub struct Checked<'a> {
    /// Every URL given, in the same order (duplicates included), with its verdict.
    pub verdicts: Vec<(&'a str, Verdict)>,
    /// How many distinct URLs were requested.
    pub requested: usize,
    /// How many distinct URLs the cache answered.
    pub cached: usize,
    /// Why the cache could not be written, if it could not. The verdicts stand; the next check
    /// asks again what this one asked.
    pub cache_error: Option<Error>,
}

/// Checks `urls` over the network at time `now`. Never fails: what goes wrong with a URL is its
/// verdict, and a cache that can't be written is [`Checked::cache_error`].
///
/// A URL is requested without its `#fragment` and with the characters a browser would encode
/// percent-encoded; URLs that are the same then are requested once. A URL the cache has a
/// verdict for, checked less than `settings.max_age` before `now`, is not requested at all.
/// Blocks until every URL has a verdict: at worst about `urls.len() / settings.concurrency`
/// times `settings.timeout` (twice that for a `GET` after a `HEAD`).
pub fn check<'a, S: AsRef<str>>(
    urls: &'a [S],
    settings: &Settings,
    now: SystemTime,
) -> Checked<'a> {
    // Without a time since 1970 the cache can tell nothing fresh: it is not used at all.
    let now = now.duration_since(UNIX_EPOCH).map_or(0, |since| since.as_secs());
    let cache_path = settings.cache.as_deref().filter(|_| now > 0);
    let mut cache =
        cache_path.map(|path| Cache::load(path, now, settings.max_age)).unwrap_or_default();
    // Plan: each URL has a verdict already (it can't be requested, or the cache has it) or
    // needs a request, which the URLs that are the same share; then act: run the requests.
    let mut targets: Vec<Target> = Vec::new();
    let mut target_idx: HashMap<String, usize> = HashMap::new();
    let mut cached = HashSet::new();
    let plans: Vec<Plan> = urls
        .iter()
        .map(|url| {
            let target = match Target::parse(url.as_ref()) {
                Ok(target) => target,
                Err(verdict) => return Plan::Known(verdict),
            };
            if let Some((request, record)) = cache.fresh.get_key_value(&target.request) {
                cached.insert(request);
                return Plan::Known(record.verdict());
            }
            // The map needs its own copy of the key: `targets` owns the target.
            let idx = *target_idx.entry(target.request.clone()).or_insert_with(|| {
                targets.push(target);
                targets.len() - 1
            });
            Plan::Request(idx)
        })
        .collect();
    let n_cached = cached.len();
    let found = request_all(&targets, settings);
    let verdicts = urls
        .iter()
        .zip(plans)
        .map(|(url, plan)| match plan {
            Plan::Known(verdict) => (url.as_ref(), verdict),
            // A copy per URL: URLs that are the same share one request.
            Plan::Request(idx) => (url.as_ref(), found[idx].clone()),
        })
        .collect();
    let requested = targets.len();
    let mut changed = cache.outdated;
    for (target, verdict) in targets.into_iter().zip(&found) {
        if let Some(record) = Record::of(verdict, now) {
            cache.fresh.insert(target.request, record);
            changed = true;
        }
    }
    let cache_error = cache_path.filter(|_| changed).and_then(|path| cache.save(path).err());
    Checked { verdicts, requested, cached: n_cached, cache_error }
}

/// What [`check`] does with one URL.
enum Plan {
    /// Nothing: it has its verdict.
    Known(Verdict),
    /// Takes the verdict of request `usize`.
    Request(usize),
}

#[cfg(test)]
mod tests;
