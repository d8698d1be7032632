//! Article bodies through Markdown: each rendered once (or taken over from the last build
//! when its file is unchanged), with the summary and reading time derived from it.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::arabic::{excerpt, reading_time};
use crate::config::Config;
use crate::content::Library;
use crate::markdown::{self, Highlighter, MarkdownOptions};
use crate::render::Body;

/// How a site's Markdown is rendered.
pub(super) fn markdown_options(config: &Config) -> MarkdownOptions {
    MarkdownOptions {
        slug_style: config.arabic.slug_style,
        smart_punctuation: config.markdown.smart_punctuation,
        external_links_new_tab: config.markdown.external_links_new_tab,
        page_dir: if config.dir() == "rtl" {
            crate::arabic::direction::Direction::Rtl
        } else {
            crate::arabic::direction::Direction::Ltr
        },
    }
}

/// What an article's body depends on besides its Markdown: how Markdown is rendered and the
/// reading speed. A body made with other settings is not reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BodySettings {
    markdown: MarkdownOptions,
    words_per_minute: u32,
}

impl BodySettings {
    /// The settings of `config`.
    pub(super) fn of(config: &Config) -> BodySettings {
        BodySettings {
            markdown: markdown_options(config),
            words_per_minute: config.arabic.words_per_minute,
        }
    }
}

/// One article body, and what derives from it.
pub(super) fn render_body(
    markdown: &str,
    opts: &MarkdownOptions,
    highlighter: &Highlighter,
    config: &Config,
) -> Body {
    let rendered = markdown::render(markdown, opts, highlighter);
    let words = reading_time::count_words(&rendered.text);
    Body {
        summary: excerpt::excerpt(&rendered.summary, SUMMARY_CHARS),
        reading_minutes: reading_time::minutes(words, config.arabic.words_per_minute),
        // Kept until the end of the build: copied out of the buffer it was written into, which
        // has room for half as much again.
        // `shrink_to_fit` would not do: the allocator keeps a block shrunk by less than half.
        html: Some(rendered.html.as_str().to_owned()),
    }
}

/// Renders every article body in parallel; a body of the last build whose file is unchanged
/// (`reuse`, by source path and hash) is taken over instead. The Markdown is dropped once
/// rendered, so its memory is free for the render: pages need only the HTML.
pub(super) fn render_bodies(
    library: &mut Library,
    config: &Config,
    highlighter: &Highlighter,
    reuse: &mut HashMap<PathBuf, (u64, Body)>,
) -> Vec<Body> {
    let opts = markdown_options(config);
    let reused: Vec<Option<Body>> = library
        .articles
        .iter()
        .map(|article| match reuse.remove(&article.source) {
            Some((hash, body)) if hash == article.source_hash => Some(body),
            _ => None,
        })
        .collect();
    library
        .articles
        .par_iter_mut()
        .zip(reused)
        .map(|(article, reused)| match reused {
            // A body from the build cache has no HTML yet: keep the Markdown to render it with.
            Some(body) if body.html.is_none() => body,
            Some(body) => {
                article.body = String::new();
                body
            }
            None => render_body(&std::mem::take(&mut article.body), &opts, highlighter, config),
        })
        .collect()
}

/// The longest automatic summary, in characters.
const SUMMARY_CHARS: usize = 220;
