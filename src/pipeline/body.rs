//! Article bodies through Markdown: each rendered once (or taken over from the last build
//! when its file is unchanged), with the summary and reading time derived from it.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::arabic::{excerpt, reading_time};
use crate::config::Config;
use crate::content::{Article, ArticleId, Library};
use crate::error::Diagnostic;
use crate::images::Photos;
use crate::markdown::{self, Highlighter, ImageLookup, ImageMarkup, MarkdownOptions, Problem};
use crate::render::{Body, Html};
use crate::search::Vocabulary;
use crate::templates::Templates;

use super::options::BuildOptions;
use super::shortcodes::{self, ArticleShortcodes};
use super::spill::Spill;

/// How a site's Markdown is rendered.
pub(super) fn markdown_options(config: &Config, lang: crate::config::LangId) -> MarkdownOptions {
    let dir = config.languages.get(lang).map_or(config.dir(), |language| language.dir);
    MarkdownOptions {
        slug_style: config.arabic.slug_style,
        smart_punctuation: config.markdown.smart_punctuation,
        external_links_new_tab: config.markdown.external_links_new_tab,
        page_dir: if dir == "rtl" {
            crate::arabic::direction::Direction::Rtl
        } else {
            crate::arabic::direction::Direction::Ltr
        },
    }
}

/// What an article's body depends on besides its Markdown: how Markdown is rendered, the
/// reading speed, which fields search stems, and the shortcode templates. A body made with
/// other settings is not reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BodySettings {
    markdown: MarkdownOptions,
    words_per_minute: u32,
    search: StemmedFields,
    shortcodes: u64,
}

impl BodySettings {
    /// The settings of `config` and `templates`.
    pub(super) fn of(config: &Config, templates: &Templates) -> BodySettings {
        BodySettings {
            markdown: markdown_options(config, 0),
            words_per_minute: config.arabic.words_per_minute,
            search: StemmedFields::of(config),
            shortcodes: templates.shortcodes_fingerprint(),
        }
    }
}

/// The photos of one article's body: its images as the site ships them.
pub(super) struct ArticleImages<'a> {
    photos: &'a Photos,
    /// The article's folder, which relative addresses start from.
    base: &'a str,
    /// The `sizes` of photos in bodies.
    sizes: &'a str,
}

impl<'a> ArticleImages<'a> {
    pub(super) fn of(photos: &'a Photos, article: &'a Article, config: &'a Config) -> Self {
        ArticleImages { photos, base: &article.path, sizes: &config.images.sizes }
    }
}

impl ImageLookup for ArticleImages<'_> {
    fn picture(&self, src: &str) -> Option<ImageMarkup> {
        let picture = self.photos.inline(src, self.base)?;
        Some(ImageMarkup {
            src: encoded(&picture.src),
            width: picture.width,
            height: picture.height,
            srcset: encoded_set(&picture.srcset),
            sizes: self.sizes.to_string(),
            sources: picture.sources.iter().map(|s| (s.mime, encoded_set(&s.srcset))).collect(),
        })
    }
}

/// A URL of a photo percent-encoded whole: bodies also go into feeds, whose URLs must be.
fn encoded(url: &str) -> String {
    let decoded = percent_encoding::percent_decode_str(url).decode_utf8_lossy();
    crate::content::encode_path(&decoded)
}

/// A `srcset` (`url 400w, url 800w`) with each URL [`encoded`].
fn encoded_set(srcset: &str) -> String {
    let entries = srcset.split(", ").map(|entry| match entry.rsplit_once(' ') {
        Some((url, width)) => format!("{} {width}", encoded(url)),
        None => encoded(entry),
    });
    entries.collect::<Vec<_>>().join(", ")
}

/// The reading speed of articles in language `lang`: `[arabic] words_per_minute` for Arabic.
fn words_per_minute(config: &Config, lang: crate::config::LangId) -> u32 {
    match config.languages.get(lang) {
        Some(language) if !language.is_arabic() => reading_time::OTHER_WORDS_PER_MINUTE,
        _ => config.arabic.words_per_minute,
    }
}

/// What bodies are rendered with besides their Markdown.
pub(super) struct BodyTools<'a> {
    pub(super) config: &'a Config,
    pub(super) highlighter: &'a Highlighter,
    pub(super) photos: &'a Photos,
    /// The shortcodes; `None` when the templates failed to load (reported on its own).
    pub(super) templates: Option<&'a Templates>,
    pub(super) vocabulary: &'a Vocabulary,
    /// Where a one-off build puts each body's HTML until its page is rendered; `None` keeps it
    /// in memory.
    pub(super) spill: Option<&'a Spill>,
}

/// One body of `article`, and what derives from it; the problems of its shortcode calls.
pub(super) fn render_body(
    markdown: &str,
    article: &Article,
    tools: &BodyTools<'_>,
) -> (Body, Vec<Problem>) {
    let BodyTools { config, highlighter, templates, vocabulary, .. } = *tools;
    let images = ArticleImages::of(tools.photos, article, config);
    let images = &images;
    let shortcodes = ArticleShortcodes::new(templates, images, config, article.lang);
    let opts = markdown_options(config, article.lang);
    let rendered = markdown::render_with(markdown, &opts, highlighter, images, &shortcodes);
    let words = reading_time::count_words(&rendered.text);
    let images_fingerprint =
        images.photos.fingerprint(rendered.images.iter().map(String::as_str), images.base);
    let summary = excerpt::excerpt(&rendered.summary, SUMMARY_CHARS);
    // Only what the index reads: nothing when search or its field is off.
    let terms_of = |text: &str, stemmed: bool| match stemmed {
        true => vocabulary.terms_of(text).into(),
        false => Default::default(),
    };
    let stemmed = StemmedFields::of(config);
    let fm = &article.front_matter;
    let body = Body {
        search_terms: terms_of(&rendered.text, stemmed.body),
        title_terms: terms_of(&fm.title, stemmed.title),
        summary_terms: terms_of(fm.summary.as_deref().unwrap_or(&summary), stemmed.summary),
        images: rendered.images,
        images_fingerprint,
        references: rendered.references,
        summary,
        reading_minutes: reading_time::minutes(words, words_per_minute(config, article.lang)),
        html: kept_or_spilled(&rendered.html, tools.spill),
        calls: rendered.calls,
    };
    (body, rendered.problems)
}

/// The HTML of a body as a one-off build keeps it until its page: in the spill file if there is
/// one (and it takes it), else in memory.
fn kept_or_spilled(html: &str, spill: Option<&Spill>) -> Html {
    match spill.map(|spill| spill.put(html)) {
        Some(Ok(place)) => Html::Spilled(place),
        // Kept until the end of the build: copied out of the buffer it was written into, which
        // has room for half as much again.
        // `shrink_to_fit` would not do: the allocator keeps a block shrunk by less than half.
        _ => Html::Kept(html.to_owned()),
    }
}

/// Renders every article body in parallel, with the shortcodes of `templates`; a body of the
/// last build whose file is unchanged (`reuse`, by source path and hash) and whose photos are
/// unchanged is taken over instead.
/// The Markdown is dropped once rendered, so its memory is free for the render: pages need
/// only the HTML. A body the load left in its file (under `content_dir`) is read from it; a
/// file that changed since the load is an error.
pub(super) fn render_bodies(
    library: &mut Library,
    tools: &BodyTools<'_>,
    reuse: &mut crate::cache::CachedArticles,
    content_dir: &Path,
) -> (Vec<Body>, Vec<Diagnostic>) {
    let photos = tools.photos;
    let reused: Vec<Option<Body>> = library
        .articles
        .iter()
        .map(|article| match reuse.get_mut(article.source.as_os_str()) {
            Some(cached) if cached.hash == article.source_hash => {
                let body = cached.body.take()?;
                let images = body.images.iter().map(String::as_str);
                // A body from the build cache has no HTML to go stale: it is written with the
                // photos as they are now.
                let same = body.html.is_later()
                    || photos.fingerprint(images, &article.path) == body.images_fingerprint;
                same.then_some(body)
            }
            _ => None,
        })
        .collect();
    let rendered: Vec<Result<Body, Vec<Diagnostic>>> = library
        .articles
        .par_iter_mut()
        .zip(reused)
        .map(|(article, reused)| match reused {
            // A body from the build cache has no HTML yet: keep the Markdown to render it with.
            Some(body) if body.html.is_later() => Ok(body),
            Some(body) => {
                article.body = String::new();
                Ok(body)
            }
            None => {
                let markdown = match article.markdown(content_dir).map_err(|err| vec![err])? {
                    Cow::Borrowed(_) => std::mem::take(&mut article.body),
                    Cow::Owned(markdown) => markdown,
                };
                let (body, problems) = render_body(&markdown, article, tools);
                match problems.is_empty() {
                    true => Ok(body),
                    false => {
                        Err(shortcodes::diagnostics(&article.source, article.body_line, problems))
                    }
                }
            }
        })
        .collect();
    let mut errors = Vec::new();
    let bodies = rendered
        .into_iter()
        .map(|body| {
            body.unwrap_or_else(|err| {
                errors.extend(err);
                Body::default()
            })
        })
        .collect();
    (bodies, errors)
}

/// The HTML of bodies the build cache gave without it, rendered when a page or feed that
/// shows one is: with the session's highlighter, or one loaded the first time it is needed
/// (large once its grammars are compiled). A body left in its file is read from it; a file
/// that changed since the load is an error for after the render ([`LateBodies::into_errors`]).
pub(super) struct LateBodies<'a> {
    library: &'a Library,
    templates: &'a Templates,
    photos: &'a Photos,
    config: &'a Config,
    highlighter: Option<&'a Highlighter>,
    loaded: std::sync::OnceLock<Highlighter>,
    content_dir: PathBuf,
    unread: std::sync::Mutex<Vec<Diagnostic>>,
}

impl<'a> LateBodies<'a> {
    pub(super) fn new(
        library: &'a Library,
        templates: &'a Templates,
        photos: &'a Photos,
        config: &'a Config,
        highlighter: Option<&'a Highlighter>,
        opts: &BuildOptions,
    ) -> LateBodies<'a> {
        LateBodies {
            library,
            templates,
            photos,
            config,
            highlighter,
            loaded: std::sync::OnceLock::new(),
            content_dir: opts.root.join("content"),
            unread: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The HTML of article `id`'s body (empty if its file could not be read as it was).
    pub(super) fn html(&self, id: ArticleId) -> String {
        let article = &self.library.articles[id];
        let markdown = match article.markdown(&self.content_dir) {
            Ok(markdown) => markdown,
            Err(err) => {
                self.unread.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(err);
                return String::new();
            }
        };
        let highlighter =
            self.highlighter.unwrap_or_else(|| self.loaded.get_or_init(Highlighter::new));
        let images = ArticleImages::of(self.photos, article, self.config);
        let shortcodes =
            ArticleShortcodes::new(Some(self.templates), &images, self.config, article.lang);
        let options = markdown_options(self.config, article.lang);
        let rendered =
            markdown::render_with(&markdown, &options, highlighter, &images, &shortcodes);
        if !rendered.problems.is_empty() {
            let errors =
                shortcodes::diagnostics(&article.source, article.body_line, rendered.problems);
            self.unread.lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend(errors);
        }
        rendered.html
    }

    /// The files that could not be read as the load found them.
    pub(super) fn into_errors(self) -> Vec<Diagnostic> {
        self.unread.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Which of an article's own fields search stems with its body: those it weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StemmedFields {
    body: bool,
    title: bool,
    summary: bool,
}

impl StemmedFields {
    fn of(config: &Config) -> StemmedFields {
        let (on, weights) = (config.search.enabled, config.search.weights);
        StemmedFields {
            body: on && weights.body > 0,
            title: on && weights.title > 0,
            summary: on && weights.summary > 0,
        }
    }
}

/// The longest automatic summary, in characters.
const SUMMARY_CHARS: usize = 220;
