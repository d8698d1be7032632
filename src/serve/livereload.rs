//! Live reload: what the preview server tells open pages, and the script that listens.
//!
//! Every HTML page `serve` sends gets a small script before `</body>` ([`inject`]; never in
//! `midad build` output). It opens a Server-Sent Events stream at [`EVENTS_PATH`] and acts on three
//! [`Message`]s, each sent only after the build it describes is the one being served:
//!
//! - `reload` lists the URL paths whose output changed. A page reloads (keeping its scroll
//!   position in `sessionStorage`) when its own path is listed, or a non-CSS asset it uses (image,
//!   script); changed stylesheets it links are swapped in place with a cache-busting query, without
//!   a reload; a page none of whose files changed does nothing.
//! - `failed` carries the error overlay ([`overlay`]), shown over the page without a reload; the
//!   server keeps serving the last good build and injects the same overlay into pages it serves.
//! - `hello`, sent on connecting, says whether the site is broken right now, so a page opened
//!   before a fix clears its stale overlay.

use serde::Serialize;

use crate::error::Errors;
use crate::templates::escape_html;

/// The URL of the event stream.
pub const EVENTS_PATH: &str = "/__midad/events";

/// An event for open pages.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Message {
    /// Sent first on every connection.
    Hello {
        /// Whether the last build failed.
        failed: bool,
    },
    /// A new build is being served.
    Reload {
        /// URL paths (decoded, from the site root) whose files changed: `/politics/x/` for a
        /// page, `/css/akhbar.css` for other files.
        changed: Vec<String>,
        /// Every page should reload (the client missed events).
        all: bool,
    },
    /// The last build failed: show this overlay.
    Failed {
        /// The overlay's HTML, escaped, ready to insert.
        html: String,
    },
}

impl Message {
    /// The SSE event name the script listens for.
    pub fn name(&self) -> &'static str {
        match self {
            Message::Hello { .. } => "hello",
            Message::Reload { .. } => "reload",
            Message::Failed { .. } => "failed",
        }
    }

    /// The event's JSON data.
    pub fn data(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

/// The URL path of an output file: `politics/x/index.html` → `/politics/x/`, `a.css` → `/a.css`.
pub fn url_path(output_path: &str) -> String {
    match output_path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{output_path}"),
    }
}

/// `html` with the live-reload script (and the error overlay, while the site is broken) inserted
/// before its last `</body>`, or at its end when it has none.
pub fn inject(html: &[u8], overlay: Option<&str>) -> Vec<u8> {
    let at = find_body_end(html).unwrap_or(html.len());
    let overlay = overlay.unwrap_or("");
    let mut out = Vec::with_capacity(html.len() + overlay.len() + SCRIPT.len() + 32);
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(overlay.as_bytes());
    out.extend_from_slice(b"<script>");
    out.extend_from_slice(SCRIPT.as_bytes());
    out.extend_from_slice(b"</script>");
    out.extend_from_slice(&html[at..]);
    out
}

fn find_body_end(html: &[u8]) -> Option<usize> {
    const END: &[u8] = b"</body";
    html.windows(END.len()).rposition(|w| w.eq_ignore_ascii_case(END))
}

/// A minimal page for a path the site has no file for, when the theme has no `404.html` (or there
/// is no good build yet), so the overlay and live reload still work on it.
pub fn fallback_page(status: u16) -> Vec<u8> {
    format!(
        "<!doctype html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>{status}</title></head><body><h1>{status}</h1></body></html>"
    )
    .into_bytes()
}

/// The error overlay for a failed build: a bilingual heading, then each error's origin
/// (`file:line:col`, a flag or an environment variable) and message, escaped.
pub fn overlay(errors: &Errors) -> String {
    let mut items = String::new();
    for err in errors.iter() {
        items.push_str("<li>");
        if let Some(origin) = err.shown_origin() {
            items.push_str("<code dir=\"ltr\">");
            items.push_str(&escape_html(&origin.to_string()));
            items.push_str("</code>");
        }
        items.push_str("<p dir=\"ltr\" lang=\"en\">");
        items.push_str(&escape_html(&err.text()));
        items.push_str("</p></li>");
    }
    format!(
        "<div id=\"midad-overlay\" role=\"alertdialog\" aria-labelledby=\"midad-overlay-title\" dir=\"rtl\" lang=\"ar\">\
<style>{OVERLAY_CSS}</style><div class=\"midad-box\">\
<h2 id=\"midad-overlay-title\">تعذّر بناء الموقع <span lang=\"en\" dir=\"ltr\">Build failed</span></h2>\
<p>تعرض المعاينة آخر نسخة سليمة حتى يُصلَح الخطأ. <span lang=\"en\" dir=\"ltr\">The preview shows the last good build until the error is fixed.</span></p>\
<ol>{items}</ol>\
<button type=\"button\" onclick=\"this.closest('#midad-overlay').remove()\">إخفاء <span lang=\"en\" dir=\"ltr\">Dismiss</span></button>\
</div></div>"
    )
}

const OVERLAY_CSS: &str = "#midad-overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(15,15,20,.88);color:#f4f4f5;font:16px/1.7 system-ui,sans-serif;text-align:start}\
#midad-overlay .midad-box{max-inline-size:60rem;margin:4rem auto;padding:1.5rem 2rem;\
background:#1f1f27;border-inline-start:6px solid #ef4444;border-radius:6px}\
#midad-overlay h2{margin:0 0 .5rem;font-size:1.4rem;color:#fca5a5}\
#midad-overlay h2 span{font-weight:normal;margin-inline-start:.75rem;color:#f4f4f5}\
#midad-overlay ol{padding-inline-start:1.5rem}\
#midad-overlay li{margin-block:1rem}\
#midad-overlay code{display:inline-block;font:14px/1.5 ui-monospace,monospace;color:#fde68a;unicode-bidi:isolate}\
#midad-overlay li p{margin:.25rem 0;white-space:pre-wrap;text-align:left;font-family:ui-monospace,monospace;font-size:14px}\
#midad-overlay button{font:inherit;padding:.25rem 1rem;cursor:pointer}";

/// The script injected into served pages (see the module doc).
const SCRIPT: &str = r#"(function () {
  "use strict";
  var state = window.__midad = { connected: false };
  function decoded(path) {
    try { return decodeURIComponent(path); } catch (e) { return path; }
  }
  var here = decoded(location.pathname).replace(/index\.html$/, "");
  var key = "midad-scroll:" + here;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = Number(saved);
    window.scrollTo(0, y);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
  }
  function pathOf(url) {
    try {
      var u = new URL(url, location.href);
      return u.origin === location.origin ? decoded(u.pathname) : null;
    } catch (e) { return null; }
  }
  function clearOverlay() {
    var old = document.getElementById("midad-overlay");
    if (old) old.remove();
  }
  function showOverlay(html) {
    clearOverlay();
    document.body.insertAdjacentHTML("beforeend", html);
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function usesAny(paths) {
    var els = document.querySelectorAll("[src], link[href]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.tagName === "LINK" && /\bstylesheet\b/.test(el.rel)) continue;
      if (paths.indexOf(pathOf(el.src || el.href)) >= 0) return true;
    }
    // And what its scripts fetched (the search page's index files).
    var fetched = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("resource") : [];
    for (var j = 0; j < fetched.length; j++) {
      var kind = fetched[j].initiatorType;
      if ((kind === "fetch" || kind === "xmlhttprequest")
          && paths.indexOf(pathOf(fetched[j].name)) >= 0) return true;
    }
    return false;
  }
  function swapStyles(paths) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      if (paths.indexOf(pathOf(link.href)) < 0) return;
      var url = new URL(link.href, location.href);
      url.searchParams.set("midad", String(Date.now()));
      var next = link.cloneNode();
      next.href = url.href;
      var done = function () { link.remove(); };
      next.addEventListener("load", done);
      next.addEventListener("error", done);
      link.after(next);
    });
  }
  var source = new EventSource("/__midad/events");
  source.addEventListener("hello", function (e) {
    state.connected = true;
    if (!JSON.parse(e.data).failed) clearOverlay();
  });
  source.addEventListener("error", function () { state.connected = false; });
  source.addEventListener("failed", function (e) { showOverlay(JSON.parse(e.data).html); });
  source.addEventListener("reload", function (e) {
    var msg = JSON.parse(e.data);
    clearOverlay();
    if (msg.all) return reload();
    var styles = msg.changed.filter(function (p) { return /\.css$/.test(p); });
    var others = msg.changed.filter(function (p) { return !/\.css$/.test(p); });
    if (others.indexOf(here) >= 0 || usesAny(others)) return reload();
    if (styles.length) swapStyles(styles);
  });
})();"#;

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::path::Path;

    use crate::error::{Diagnostic, Location, Origin};

    #[test]
    fn url_paths() {
        assert_eq!(url_path("index.html"), "/");
        assert_eq!(url_path("politics/x/index.html"), "/politics/x/");
        assert_eq!(url_path("css/akhbar.css"), "/css/akhbar.css");
        assert_eq!(url_path("404.html"), "/404.html");
        assert_eq!(url_path("notindex.html"), "/notindex.html");
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<body><p>x</p></BODY></html>", None)).unwrap();
        assert!(out.starts_with("<body><p>x</p><script>"), "{out}");
        assert!(out.ends_with("</script></BODY></html>"), "{out}");
        let out = String::from_utf8(inject(b"<p>no body", Some("<div>o</div>"))).unwrap();
        assert!(out.starts_with("<p>no body<div>o</div><script>"), "{out}");
    }

    #[test]
    fn the_overlay_escapes_and_locates() {
        let errors = Errors::new(vec![
            Diagnostic::front_matter(
                Location::at("content/politics/x.md", 4, 7),
                "`date` is not a date: <script>alert(1)</script>",
            ),
            Diagnostic::theme("theme `x` not found"),
            Diagnostic::config(Origin::Env("SOURCE_DATE_EPOCH"), "not seconds"),
            Diagnostic::read(Path::new("data/w.toml"), io::Error::other("not UTF-8")),
        ]);
        let html = overlay(&errors);
        assert!(html.contains("تعذّر بناء الموقع"), "{html}");
        assert!(html.contains("Build failed"), "{html}");
        assert!(html.contains("<code dir=\"ltr\">content/politics/x.md:4:7</code>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
        assert!(!html.contains("<script>alert"), "{html}");
        assert!(
            html.contains("<li><p dir=\"ltr\" lang=\"en\">theme `x` not found</p></li>"),
            "{html}"
        );
        let env =
            "<code dir=\"ltr\">SOURCE_DATE_EPOCH</code><p dir=\"ltr\" lang=\"en\">not seconds</p>";
        assert!(html.contains(env), "{html}");
        // A read error's message names its file: it is not repeated above it.
        assert!(
            html.contains(
                "<li><p dir=\"ltr\" lang=\"en\">cannot read `data/w.toml`: not UTF-8</p></li>"
            ),
            "{html}"
        );
    }
}
