//! The variables templates see: the site's own (`site`, `t`, `nav`), those every page shares
//! (`most_read`, `breaking`, `feeds`, `shared`), and a page's own, moved into the shared context
//! for its render and out again ([`render_with`]).

use std::collections::BTreeMap;

use super::feeds::{self, Listing};
use super::pages::{Kind, output_path};
use super::site::Site;
use super::view::{LanguageView, SiteView, rfc3339};
use crate::config::LangId;
use crate::content::ArticleId;
use crate::error::Diagnostic;
use crate::output::OutputFile;
use crate::templates::{SHARED, Templates};

/// A page's own variables, as a JSON object: moved into a context, not serialised again.
pub(super) type Vars = serde_json::Map<String, tera::Value>;

/// Renders a page of `kind` at `path`: adds the variables every page has to `vars`, moves them
/// into `ctx` (the shared variables; a page variable of the same name shadows a shared one) for
/// the render, and takes them out again, leaving `ctx` as it was. Gives the page's variables back
/// with the file.
pub(super) fn render_with(
    site: &Site<'_>,
    templates: &Templates,
    ctx: &mut tera::Context,
    (kind, lang): (Kind, LangId),
    path: &str,
    mut vars: Vars,
) -> Result<(OutputFile, Vars), Diagnostic> {
    vars.insert("page_kind".into(), kind.name().into());
    vars.insert("current_url".into(), site.url(path).into());
    vars.insert("canonical".into(), site.permalink(path).into());
    let keys: Vec<String> = vars.keys().cloned().collect();
    let mut shadowed = Vars::new();
    for key in &keys {
        if let Some(value) = ctx.remove(key) {
            shadowed.insert(key.clone(), value);
        }
    }
    ctx.extend(context_of(vars));
    let html = templates.render(lang, kind.template(), ctx);
    let mut vars = Vars::new();
    for key in keys {
        if let Some(value) = ctx.remove(&key) {
            vars.insert(key, value);
        }
    }
    ctx.extend(context_of(shadowed));
    Ok((OutputFile::bytes(output_path(path), html?), vars))
}

/// A context of the variables `vars`, moved.
pub(super) fn context_of(vars: Vars) -> tera::Context {
    // `from_value` fails only for a value that is not an object.
    tera::Context::from_value(tera::Value::Object(vars)).unwrap_or_default()
}

/// `vars` as JSON for a fingerprint: without `site.build_time` when no page or card template
/// reads it (see [`Templates::reads_build_time`]), so the instant of a build changes a page only
/// through what the `shared/` fragments show of it.
pub(super) fn fingerprinted_vars(vars: &tera::Context, templates: &Templates) -> tera::Value {
    let mut json = vars.clone().into_json();
    if !templates.reads_build_time()
        && let Some(tera::Value::Object(site)) = json.get_mut("site")
    {
        site.remove("build_time");
    }
    json
}

/// The site's own variables in language `lang`, which every page and card of the language
/// has: `site`, `t` and `nav`.
pub(super) fn site_context(site: &Site<'_>, templates: &Templates, lang: LangId) -> tera::Context {
    let language = &site.config.languages[lang];
    let prefixed = |segment: &str| site.url(&format!("{}{segment}/", language.prefix));
    let mut context = tera::Context::new();
    context.insert(
        "site",
        &SiteView {
            title: &language.title,
            description: &language.description,
            base_url: &site.config.base_url,
            base_path: &site.config.base_path,
            language: &language.code,
            dir: language.dir,
            build_time: rfc3339(site.now),
            home_url: site.url(&language.prefix),
            tags_url: prefixed(&site.config.taxonomies.tags),
            authors_url: prefixed(&site.config.taxonomies.authors),
            archive_url: prefixed(&site.config.taxonomies.archive),
            og_locale: og_locale(&language.code),
            logo: site.config.news.logo.as_deref().map(|l| site.absolute(&site.resolve_url(l, ""))),
            share_image: site.photos.default_share().first().cloned(),
            search_url: site.config.search.enabled.then(|| site.url(&site.search_path(lang))),
            languages: site.config.languages.iter().map(|l| LanguageView::of(site, l)).collect(),
            extra: &site.config.extra,
        },
    );
    context.insert("t", templates.strings(lang));
    context.insert("nav", &nav(site, lang));
    context
}

/// The sections a language's navigation shows: its `menu`, else every section of the language.
fn nav<'a>(site: &Site<'a>, lang: LangId) -> Vec<super::view::SectionView<'a>> {
    let sections = &site.library.sections;
    let menu = &site.config.languages[lang].menu;
    if menu.is_empty() {
        let ids = (0..sections.len()).filter(|&id| sections[id].lang == lang);
        return ids.map(|id| site.section_view(id)).collect();
    }
    let named = |name: &String| sections.iter().position(|s| s.lang == lang && &s.name == name);
    menu.iter().filter_map(named).map(|id| site.section_view(id)).collect()
}

/// Adds the variables every page of language `lang` has besides the site's own: `most_read`,
/// `breaking`, `feeds`, with the summary of each (which has its cards), then `shared`: the templates
/// under `shared/` (a footer, the most-read block: markup that is the same on every page), each
/// rendered once with the variables before it, by name (`shared/most_read.html` is
/// `shared.most_read`).
pub(super) fn add_shared(
    context: &mut tera::Context,
    site: &Site<'_>,
    templates: &Templates,
    summary: &mut dyn FnMut(ArticleId) -> tera::Value,
    breaking: &[ArticleId],
    lang: LangId,
) -> Result<(), Diagnostic> {
    let in_language = |&&id: &&ArticleId| site.library.articles[id].lang == lang;
    let mut values = |ids: &[ArticleId]| {
        tera::Value::Array(ids.iter().filter(in_language).map(|&id| summary(id)).collect())
    };
    let mut lists = Vars::new();
    lists.insert("most_read".into(), values(site.most_read));
    lists.insert("breaking".into(), values(breaking));
    context.extend(context_of(lists));
    context.insert("feeds", &feeds::links(site, &[Listing::Site(lang)]));
    let mut shared = BTreeMap::new();
    for name in templates.shared() {
        let html = templates.render_string(lang, name, context)?;
        shared.insert(fragment_key(name, SHARED).to_string(), html);
    }
    context.insert("shared", &shared);
    Ok(())
}

/// The name templates know a fragment template by: `shared/most_read.html` is `most_read`.
pub(super) fn fragment_key<'n>(name: &'n str, folder: &str) -> &'n str {
    let key = name.strip_prefix(folder).unwrap_or(name);
    key.rsplit_once('.').map_or(key, |(stem, _)| stem)
}

/// The Open Graph locale of a language tag: `ar` → `ar_AR`, `en` → `en_US`, `fr-CA` → `fr_CA`.
fn og_locale(language: &str) -> String {
    let mut parts = language.split(['-', '_']);
    let lang = parts.next().unwrap_or("ar").to_ascii_lowercase();
    let region = parts.next().map(str::to_ascii_uppercase).unwrap_or_else(|| {
        match lang.as_str() {
            "ar" => "AR",
            "en" => "US",
            "fa" => "IR",
            "he" => "IL",
            "ur" => "PK",
            other => return other.to_ascii_uppercase(),
        }
        .to_string()
    });
    format!("{lang}_{region}")
}
