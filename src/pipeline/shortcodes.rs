//! The site's shortcodes for Markdown: the templates under `shortcodes/` (the site's over the
//! theme's), rendered with a call's arguments, and the problems of calls as diagnostics.

use std::path::Path;

use serde::Serialize;

use crate::config::Config;
use crate::error::{Diagnostic, Location};
use crate::markdown::{Call, Failure, ImageLookup, Problem, Shortcodes};
use crate::templates::Templates;

/// The shortcodes one article's body calls: its photos are what `src` arguments name.
pub(super) struct ArticleShortcodes<'a> {
    templates: Option<&'a Templates>,
    images: &'a dyn ImageLookup,
    config: &'a Config,
    /// The article's language: shortcodes are rendered in it.
    lang: crate::config::LangId,
}

impl<'a> ArticleShortcodes<'a> {
    /// With no templates (they failed to load, which is reported on its own), no shortcode
    /// exists and no address is embedded.
    pub(super) fn new(
        templates: Option<&'a Templates>,
        images: &'a dyn ImageLookup,
        config: &'a Config,
        lang: crate::config::LangId,
    ) -> Self {
        ArticleShortcodes { templates, images, config, lang }
    }
}

/// A photo as shortcode templates get it (`image`), for a `src` the site ships.
#[derive(Serialize)]
struct Picture {
    src: String,
    width: u32,
    height: u32,
    srcset: String,
    sizes: String,
    sources: Vec<Source>,
}

#[derive(Serialize)]
struct Source {
    r#type: &'static str,
    srcset: String,
}

impl Shortcodes for ArticleShortcodes<'_> {
    fn has(&self, name: &str) -> bool {
        self.templates.is_some_and(|templates| templates.has_shortcode(name))
    }

    fn names(&self) -> Vec<String> {
        self.templates.map(Templates::shortcodes).unwrap_or_default()
    }

    fn render(&self, call: &Call, body: Option<&str>, nth: usize) -> Result<String, Failure> {
        let Some(templates) = self.templates else {
            return Err(Failure {
                message: format!("unknown shortcode `{}`", call.name),
                hint: None,
            });
        };
        let mut context = tera::Context::new();
        let language = &self.config.languages[self.lang];
        context.insert("lang", &language.code);
        context.insert("dir", language.dir);
        context.insert("t", templates.strings(self.lang));
        context.insert("nth", &nth);
        if let Some(serde_json::Value::String(src)) = call.args.get("src")
            && let Some(picture) = self.images.picture(src)
        {
            let sources =
                picture.sources.into_iter().map(|(r#type, srcset)| Source { r#type, srcset });
            let picture = Picture {
                src: picture.src,
                width: picture.width,
                height: picture.height,
                srcset: picture.srcset,
                sizes: picture.sizes,
                sources: sources.collect(),
            };
            context.insert("image", &picture);
        }
        for (name, value) in &call.args {
            context.insert(name.as_str(), value);
        }
        if let Some(body) = body {
            context.insert("body", body);
        }
        templates
            .render_shortcode(self.lang, &call.name, &context)
            .map_err(|err| failure(call, &err))
    }
}

/// What a failed shortcode template says to the author: a variable it needs that the call does
/// not give is a missing argument; anything else is the template's error, with its place.
fn failure(call: &Call, err: &Diagnostic) -> Failure {
    let message = err.to_string();
    let missing = message
        .split("Variable `")
        .nth(1)
        .and_then(|rest| rest.split_once("` not found in context"))
        .map(|(variable, _)| variable.split(['.', '[']).next().unwrap_or(variable));
    match missing {
        Some(argument) if !call.args.contains_key(argument) => Failure {
            message: format!("shortcode `{}` needs the argument `{argument}`", call.name),
            hint: Some(format!("call it as `{{{{ {}({argument}=…) }}}}`", call.name)),
        },
        _ => Failure {
            message: format!("shortcode `{}` failed: {message}", call.name),
            hint: Some(err.hint().to_string()).filter(|hint| !hint.is_empty()),
        },
    }
}

/// The problems of the calls in the body of content file `source` (its body starting at line
/// `body_line`) as errors at their place in the file.
pub(super) fn diagnostics(
    source: &Path,
    body_line: u32,
    problems: Vec<Problem>,
) -> Vec<Diagnostic> {
    let file = Path::new("content").join(source);
    problems
        .into_iter()
        .map(|problem| {
            let line = body_line.saturating_add(problem.line).saturating_sub(1);
            let at = Location::at(&file, line as usize, problem.column as usize);
            Diagnostic::content(at, problem.message).with_some_hint(problem.hint)
        })
        .collect()
}
