//! Which requests the preview answers: those addressed to it by a name no other site can own.
//!
//! A page of another site, open in the developer's browser, can point a host name of its own at
//! 127.0.0.1 (DNS rebinding) and then read the preview as its own origin: the browser checks the
//! name, never the address. So the preview answers only when the request's host (the `Host`
//! header, or the authority of an absolute-form target, which takes precedence as RFC 9112 §3.2.2
//! says) is `localhost`, a loopback address, or the address it is bound to; when it is bound to
//! every interface (`--bind 0.0.0.0`) any IP address is accepted, since a rebinding needs a name.
//! A request with an `Origin` header must come from a page of that same host: no other page may
//! hold a live-reload stream or read a file. The port is not compared with the bound one: it adds
//! nothing against a rebinding (the name decides), and a forwarded port (a container, an SSH
//! tunnel) keeps working.
//!
//! This module only decides; the HTTP side ([`super::http`]) answers 400 or 403 with the
//! refusal's text.

use std::net::IpAddr;

use axum::http::uri::Authority;

/// Why a request is refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Neither a `Host` header nor an absolute-form target.
    #[error("a request needs a `Host` header")]
    NoHost,
    /// A host that is not a name of the preview.
    #[error(
        "`{0}` is not a name of this preview: it answers to `localhost`, loopback addresses and \
         the address it is bound to (`--bind`), so that no other site can read it"
    )]
    ForeignHost(String),
    /// A request made by a page of another origin.
    #[error("a page of `{0}` may not use this preview: only its own pages may")]
    ForeignOrigin(String),
}

/// The host names the preview answers to, for the address it is bound to.
#[derive(Debug, Clone, Copy)]
pub struct Hosts {
    bound: IpAddr,
}

/// The longest host or origin a refusal repeats; the rest is cut.
const SHOWN: usize = 80;

impl Hosts {
    /// The names of a server bound to `bound`.
    pub fn new(bound: IpAddr) -> Hosts {
        Hosts { bound }
    }

    /// Whether to answer a request whose host is `host` (the target's authority, else the `Host`
    /// header) and which carries `origin`, if any.
    pub fn check(&self, host: Option<&str>, origin: Option<&str>) -> Result<(), Refusal> {
        let host = host.ok_or(Refusal::NoHost)?;
        if !self.is_own(host) {
            return Err(Refusal::ForeignHost(shown(host)));
        }
        match origin {
            Some(origin) if !is_same_origin(origin, host) => {
                Err(Refusal::ForeignOrigin(shown(origin)))
            }
            _ => Ok(()),
        }
    }

    /// Whether `host` (`name[:port]`) names this server.
    fn is_own(&self, host: &str) -> bool {
        // `Authority` also takes `user@host`, which a `Host` header never is.
        if host.contains('@') {
            return false;
        }
        let Ok(authority) = host.parse::<Authority>() else { return false };
        let name = authority.host();
        // `Authority` takes anything after a bracketed address (`[::1]x`) and ports that are
        // not numbers: only `name` and `name:port` are hosts.
        let rest = &host[name.len()..];
        if !rest.is_empty() && authority.port_u16().is_none_or(|port| rest != format!(":{port}")) {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let literal = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or(name);
        match literal.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.bound || self.bound.is_unspecified(),
            Err(_) => false,
        }
    }
}

/// Whether `origin` is `http://` followed by the request's own host, port included.
fn is_same_origin(origin: &str, host: &str) -> bool {
    origin.get(.."http://".len()).is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
        && origin["http://".len()..].eq_ignore_ascii_case(host)
}

fn shown(text: &str) -> String {
    text.chars().take(SHOWN).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(bound: &str, host: Option<&str>, origin: Option<&str>, expect: Result<(), Refusal>) {
        let hosts = Hosts::new(bound.parse().unwrap());
        assert_eq!(hosts.check(host, origin), expect, "bound to {bound}: {host:?} {origin:?}");
    }

    fn foreign(host: &str) -> Result<(), Refusal> {
        Err(Refusal::ForeignHost(host.to_string()))
    }

    #[test]
    fn loopback_names_are_answered() {
        for host in [
            "localhost",
            "localhost:1111",
            "LocalHost:1111",
            "127.0.0.1",
            "127.0.0.1:1111",
            "127.1.2.3:80",
            "[::1]",
            "[::1]:1111",
            // Another port than the bound one: a forwarded port.
            "localhost:8080",
        ] {
            check("127.0.0.1", Some(host), None, Ok(()));
        }
    }

    #[test]
    fn other_names_are_refused() {
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io:1111",
            "localhost.",
            "user@localhost:1111",
            "192.168.1.5:1111",
            "[::2]:1111",
            "",
            ":1111",
            "local host",
            "[::1]x",
            "[::1]x:1111",
            "localhost:x",
            "localhost:",
            "localhost:99999",
            "localhost:1111:1111",
        ] {
            check("127.0.0.1", Some(host), None, foreign(host));
        }
        check("127.0.0.1", None, None, Err(Refusal::NoHost));
        let long = "a".repeat(1000);
        check("127.0.0.1", Some(&long), None, foreign(&long[..SHOWN]));
    }

    #[test]
    fn the_bound_address_is_answered() {
        check("192.168.1.5", Some("192.168.1.5:1111"), None, Ok(()));
        check("192.168.1.5", Some("localhost:1111"), None, Ok(()));
        check("192.168.1.5", Some("192.168.1.6:1111"), None, foreign("192.168.1.6:1111"));
        check("fd00::5", Some("[fd00::5]:1111"), None, Ok(()));
        // Every interface: any address, still no name.
        check("0.0.0.0", Some("10.0.0.7:1111"), None, Ok(()));
        check("0.0.0.0", Some("[fd00::5]:1111"), None, Ok(()));
        check("0.0.0.0", Some("laptop.lan:1111"), None, foreign("laptop.lan:1111"));
    }

    #[test]
    fn an_origin_must_be_the_page_of_the_same_host() {
        let host = Some("127.0.0.1:1111");
        check("127.0.0.1", host, Some("http://127.0.0.1:1111"), Ok(()));
        check("127.0.0.1", host, Some("HTTP://127.0.0.1:1111"), Ok(()));
        check("127.0.0.1", Some("localhost:1111"), Some("http://LOCALHOST:1111"), Ok(()));
        for origin in [
            "http://evil.example",
            "http://evil.example:1111",
            "https://127.0.0.1:1111",
            "http://127.0.0.1:2222",
            "http://localhost:1111",
            "http://127.0.0.1:1111/",
            "null",
            "",
        ] {
            check("127.0.0.1", host, Some(origin), Err(Refusal::ForeignOrigin(origin.into())));
        }
    }
}
