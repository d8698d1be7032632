//! The requests: a pool of workers under a global and a per-host limit, each asking `HEAD`,
//! then `GET` where the `HEAD` answer can't be trusted.

use std::collections::{HashMap, VecDeque};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use ureq::http::{Method, header};
use ureq::{Agent, ResponseExt};

use super::verdict::{Failure, MAX_REDIRECTS, Settings, Target, Verdict};

/// How long to wait before asking again after a 429 without a `Retry-After` in seconds.
const RETRY_AFTER: Duration = Duration::from_secs(1);

/// The verdict of each target, in order, requested by `settings.concurrency` threads.
pub(super) fn request_all(targets: &[Target], settings: &Settings) -> Vec<Verdict> {
    if targets.is_empty() {
        return Vec::new();
    }
    let agent = agent(settings);
    let queue = Queue::new(targets, settings.per_host.max(1));
    let n_workers = settings.concurrency.clamp(1, targets.len());
    let mut found: Vec<(usize, Verdict)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..n_workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut found = Vec::new();
                    while let Some(slot) = queue.take() {
                        found.push((slot.idx, probe(&agent, &targets[slot.idx].request, settings)));
                    }
                    found
                })
            })
            .collect();
        let mut found = Vec::with_capacity(targets.len());
        for worker in workers {
            match worker.join() {
                Ok(part) => found.extend(part),
                // A bug in the client, not something the network sent: not ours to hide.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        found
    });
    found.sort_unstable_by_key(|&(idx, _)| idx);
    found.into_iter().map(|(_, verdict)| verdict).collect()
}

/// The HTTP client: statuses are answers rather than errors; redirects are followed, and the
/// last one returned rather than an error, with the URLs on the way (so [`send`] can tell a loop
/// from a long chain); one timeout for the whole redirect chain.
fn agent(settings: &Settings) -> Agent {
    Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(MAX_REDIRECTS)
        .max_redirects_will_error(false)
        .save_redirect_history(true)
        .timeout_global(Some(settings.timeout))
        .user_agent(settings.user_agent.as_str())
        .max_idle_connections_per_host(settings.per_host.max(1))
        .build()
        .new_agent()
}

/// The targets not yet requested, and how many requests each host has in flight. A worker
/// takes the first target whose host is under the limit, so thirty links to one host don't keep
/// the others waiting, and waits only when every waiting target's host is at its limit.
struct Queue<'t> {
    targets: &'t [Target],
    per_host: usize,
    state: Mutex<QueueState<'t>>,
    /// Signalled whenever a request ends, which may free its host.
    freed: Condvar,
}

struct QueueState<'t> {
    waiting: VecDeque<usize>,
    in_flight: HashMap<&'t str, usize>,
}

/// A target taken from the [`Queue`]: its host's place is given back when it is dropped, even
/// if the request panicked.
struct Slot<'q, 't> {
    queue: &'q Queue<'t>,
    idx: usize,
}

impl<'t> Queue<'t> {
    fn new(targets: &'t [Target], per_host: usize) -> Self {
        let state = QueueState { waiting: (0..targets.len()).collect(), in_flight: HashMap::new() };
        Queue { targets, per_host, state: Mutex::new(state), freed: Condvar::new() }
    }

    /// The next target to request, once its host is under the limit; `None` when all are taken.
    fn take(&self) -> Option<Slot<'_, 't>> {
        // A poisoned lock means a worker panicked, and `request_all` re-raises that panic; the
        // counts themselves are always whole.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if state.waiting.is_empty() {
                return None;
            }
            let busy = |idx: &usize| state.in_flight.get(self.targets[*idx].host.as_str());
            let free =
                state.waiting.iter().position(|idx| busy(idx).is_none_or(|&n| n < self.per_host));
            if let Some(pos) = free {
                let idx = state.waiting.remove(pos)?;
                *state.in_flight.entry(&self.targets[idx].host).or_default() += 1;
                return Some(Slot { queue: self, idx });
            }
            state = self.freed.wait(state).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl Drop for Slot<'_, '_> {
    fn drop(&mut self) {
        let queue = self.queue;
        let mut state = queue.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = state.in_flight.get_mut(queue.targets[self.idx].host.as_str()) {
            *n = n.saturating_sub(1);
        }
        drop(state);
        queue.freed.notify_all();
    }
}

/// What one request (with its redirects) got.
#[derive(Debug)]
enum Reply {
    /// An answer that is not a redirect to follow.
    Status { status: u16, retry_after: Option<Duration> },
    /// No answer to judge.
    Failed(Failure),
}

/// Checks one URL: `HEAD`, then `GET` if the `HEAD` answer can't be trusted.
fn probe(agent: &Agent, url: &str, settings: &Settings) -> Verdict {
    let head = ask(agent, Method::HEAD, url, settings);
    // Servers that answer `HEAD` wrongly: no such method (405, 501), a rule that knows only
    // `GET` (400, 403, 404), or a connection dropped.
    let ask_get = match &head {
        Reply::Status { status, .. } => matches!(status, 400 | 403 | 404 | 405 | 501),
        Reply::Failed(failure) => matches!(failure, Failure::Protocol(_) | Failure::Closed),
    };
    let reply = if ask_get { ask(agent, Method::GET, url, settings) } else { head };
    match reply {
        Reply::Status { status, .. } => judge(status),
        Reply::Failed(reason) => Verdict::Unreachable { reason },
    }
}

/// One request, and once more after a 429 once its `Retry-After` (capped at the timeout) has
/// passed.
fn ask(agent: &Agent, method: Method, url: &str, settings: &Settings) -> Reply {
    let reply = send(agent, method.clone(), url, settings.timeout);
    let Reply::Status { status: 429, retry_after } = reply else { return reply };
    std::thread::sleep(retry_after.unwrap_or(RETRY_AFTER).min(settings.timeout));
    send(agent, method, url, settings.timeout)
}

/// One request with its redirects, which the client gives up on after `timeout`. The body is
/// never read: the response is dropped, and its connection with it.
fn send(agent: &Agent, method: Method, url: &str, timeout: Duration) -> Reply {
    let sent = if method == Method::HEAD { agent.head(url).call() } else { agent.get(url).call() };
    let response = match sent {
        Ok(response) => response,
        Err(err) => return Reply::Failed(failure(err, timeout)),
    };
    let status = response.status();
    if status.is_redirection()
        && let Some(history) = response.get_redirect_history()
        && history.len() > MAX_REDIRECTS as usize
    {
        // The client stopped following: a URL seen twice is a loop, otherwise a long chain.
        let again = history.iter().enumerate().find(|(i, uri)| history[..*i].contains(uri));
        return Reply::Failed(match again {
            Some((_, uri)) => Failure::RedirectLoop { at: uri.to_string() },
            None => Failure::TooManyRedirects,
        });
    }
    let retry_after = response
        .headers()
        .get(header::RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    Reply::Status { status: status.as_u16(), retry_after }
}

/// The verdict of the last status (after redirects, and after `GET` where `HEAD` was not
/// trusted).
pub(super) fn judge(status: u16) -> Verdict {
    match status {
        100..=399 => Verdict::Ok { status },
        401 | 403 => Verdict::Unreachable { reason: Failure::Refused { status } },
        429 => Verdict::Unreachable { reason: Failure::RateLimited },
        400..=499 => Verdict::Broken { status },
        500..=599 => Verdict::Unreachable { reason: Failure::ServerError { status } },
        _ => Verdict::Unreachable {
            reason: Failure::Protocol(format!("status {status} is not an HTTP status")),
        },
    }
}

/// Why a request got no answer, from the client's error; `timeout` is the one it had.
fn failure(err: ureq::Error, timeout: Duration) -> Failure {
    use std::io::ErrorKind;
    match err {
        ureq::Error::Timeout(_) => Failure::Timeout(timeout),
        ureq::Error::HostNotFound => Failure::HostNotFound,
        ureq::Error::Io(err) => match err.kind() {
            ErrorKind::TimedOut => Failure::Timeout(timeout),
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::UnexpectedEof
            | ErrorKind::BrokenPipe => Failure::Closed,
            _ => Failure::Connection(err.to_string()),
        },
        ureq::Error::ConnectionFailed => Failure::Connection(err.to_string()),
        ureq::Error::Tls(why) => Failure::Tls(why.to_string()),
        ureq::Error::Rustls(err) => Failure::Tls(err.to_string()),
        ureq::Error::Pem(err) => Failure::Tls(err.to_string()),
        ureq::Error::Protocol(err) => Failure::Protocol(err.to_string()),
        ureq::Error::LargeResponseHeader(..) | ureq::Error::BadUri(_) | ureq::Error::Http(_) => {
            Failure::Protocol(err.to_string())
        }
        ureq::Error::TooManyRedirects => Failure::TooManyRedirects,
        err => Failure::Other(err.to_string()),
    }
}
