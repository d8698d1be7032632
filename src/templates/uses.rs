//! What a template uses besides its variables, read from Tera's parsed template: the templates it
//! extends, imports macros from and includes, and whether it calls `data()`.
//!
//! A page's fingerprint covers its template and everything that template uses, so this list must
//! be complete or rebuilds go stale. It is taken from the syntax tree rather than the text:
//! Tera accepts names in double quotes, single quotes and backticks, and a scan of the text for
//! one kind of quote misses the others.

use tera::ast::{Expr, ExprVal, FunctionCall, Node};

/// What one template uses.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Uses {
    /// Templates named in its `extends`, `import` and `include` tags, in the order they appear.
    pub(super) templates: Vec<String>,
    /// Whether it calls `data(…)` anywhere (then its pages depend on `data/`).
    pub(super) data: bool,
    /// Whether it calls `image(…)` anywhere (then its pages depend on the site's images).
    pub(super) images: bool,
    /// Whether it may read `site.build_time`: names it, or the whole `site` or context (then
    /// what it renders can change with the build's instant, not only with the day).
    pub(super) build_time: bool,
    /// Whether it may read a paginator's `total_items`: names it, indexes a variable with `[…]`,
    /// reads the whole context or encodes a value as JSON (which prints every field).
    pub(super) total_items: bool,
}

/// What `template` uses (see [`Uses`]).
pub(super) fn uses(template: &tera::Template) -> Uses {
    let mut uses = Uses::default();
    uses.templates.extend(template.parent.iter().cloned());
    uses.templates.extend(template.imported_macro_files.iter().map(|(file, _)| file.clone()));
    visit_nodes(&template.ast, &mut uses);
    uses
}

fn visit_nodes(nodes: &[Node], uses: &mut Uses) {
    for node in nodes {
        visit_node(node, uses);
    }
}

fn visit_node(node: &Node, uses: &mut Uses) {
    match node {
        Node::Include(_, names, _) => uses.templates.extend(names.iter().cloned()),
        Node::VariableBlock(_, expr) => visit_expr(expr, uses),
        Node::Set(_, set) => visit_expr(&set.value, uses),
        // Its arguments' defaults are literals.
        Node::MacroDefinition(_, definition, _) => visit_nodes(&definition.body, uses),
        Node::FilterSection(_, section, _) => {
            visit_call(&section.filter, uses);
            visit_nodes(&section.body, uses);
        }
        Node::Block(_, block, _) => visit_nodes(&block.body, uses),
        Node::Forloop(_, forloop, _) => {
            // A loop over keys and values goes through every field of an object.
            uses.total_items |= forloop.key.is_some();
            visit_expr(&forloop.container, uses);
            visit_nodes(&forloop.body, uses);
            visit_nodes(forloop.empty_body.as_deref().unwrap_or_default(), uses);
        }
        Node::If(condition, _) => {
            for (_, expr, body) in &condition.conditions {
                visit_expr(expr, uses);
                visit_nodes(body, uses);
            }
            if let Some((_, body)) = &condition.otherwise {
                visit_nodes(body, uses);
            }
        }
        // Parsed in `Template::new` into `parent` and `imported_macro_files`.
        Node::Extends(..) | Node::ImportMacro(..) => {}
        Node::Super
        | Node::Text(_)
        | Node::Raw(..)
        | Node::Break(_)
        | Node::Continue(_)
        | Node::Comment(..) => {}
    }
}

fn visit_expr(expr: &Expr, uses: &mut Uses) {
    visit_value(&expr.val, uses);
    for filter in &expr.filters {
        visit_call(filter, uses);
    }
}

fn visit_call(call: &FunctionCall, uses: &mut Uses) {
    uses.total_items |= call.name == "json_encode";
    call.args.values().for_each(|arg| visit_expr(arg, uses));
}

fn visit_value(value: &ExprVal, uses: &mut Uses) {
    match value {
        ExprVal::FunctionCall(call) => {
            uses.data |= call.name == "data";
            uses.images |= call.name == "image";
            visit_call(call, uses);
        }
        ExprVal::Math(math) => {
            visit_expr(&math.lhs, uses);
            visit_expr(&math.rhs, uses);
        }
        ExprVal::Logic(logic) => {
            visit_expr(&logic.lhs, uses);
            visit_expr(&logic.rhs, uses);
        }
        ExprVal::In(test) => {
            visit_expr(&test.lhs, uses);
            visit_expr(&test.rhs, uses);
        }
        ExprVal::Test(test) => test.args.iter().for_each(|arg| visit_expr(arg, uses)),
        ExprVal::MacroCall(call) => call.args.values().for_each(|arg| visit_expr(arg, uses)),
        ExprVal::Array(items) => items.iter().for_each(|item| visit_expr(item, uses)),
        ExprVal::StringConcat(concat) => {
            concat.values.iter().for_each(|value| visit_value(value, uses))
        }
        ExprVal::Ident(name) => {
            uses.build_time |= may_read_build_time(name);
            uses.total_items |= may_read_total_items(name);
        }
        ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
    }
}

/// Whether the variable `name` is `site.build_time` or holds it (`site`, `site["…"]`, the whole
/// context).
fn may_read_build_time(name: &str) -> bool {
    name == "site"
        || name == "__tera_context"
        || name.starts_with("site[")
        || name
            .strip_prefix("site.build_time")
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

/// Whether the variable `name` may be a paginator's `total_items`: a path with that segment,
/// one that indexes with `[…]`, or the whole context.
fn may_read_total_items(name: &str) -> bool {
    name == "__tera_context"
        || name.contains('[')
        || name.split('.').any(|part| part == "total_items")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, templates: &[&str], data: bool) {
        let template = tera::Template::new("t.html", None, text).unwrap();
        let templates = templates.iter().map(|s| s.to_string()).collect();
        let images = text.contains("image(");
        let expect = Uses { templates, data, images, build_time: false, total_items: false };
        assert_eq!(uses(&template), expect, "{text}");
    }

    #[test]
    fn image_calls_are_found() {
        check(r#"{% set p = image(path="/images/a.jpg") %}"#, &[], false);
        check(r#"{{ m::picture(image=image(path=x)) }}"#, &[], false);
    }

    #[test]
    fn templates_named_in_every_string_style() {
        check(r#"{% extends "base.html" %}"#, &["base.html"], false);
        check("{% extends 'base.html' %}", &["base.html"], false);
        check("{% extends `base.html` %}", &["base.html"], false);
        check("{% include `partials/x.html` %}", &["partials/x.html"], false);
        check("{%- import `m.html` as m -%}", &["m.html"], false);
        check(
            r#"{% include ["x.html", 'y.html', `z.html`] ignore missing %}"#,
            &["x.html", "y.html", "z.html"],
            false,
        );
        // A string that merely says `include` is no dependency.
        check(r#"{{ "include" }}{# {% include "no.html" %} #}"#, &[], false);
    }

    #[test]
    fn includes_nested_anywhere() {
        check(
            concat!(
                r#"{% extends "base.html" %}{% import "m.html" as m %}"#,
                r#"{% block content %}{% for x in xs %}{% include "a.html" %}"#,
                r#"{% else %}{% include "b.html" %}{% endfor %}"#,
                r#"{% if y %}{% include "c.html" %}{% elif z %}{% include "d.html" %}"#,
                r#"{% else %}{% filter upper %}{% include "e.html" %}{% endfilter %}{% endif %}"#,
                r#"{% endblock content %}"#,
            ),
            &["base.html", "m.html", "a.html", "b.html", "c.html", "d.html", "e.html"],
            false,
        );
        check(r#"{% macro card() %}{% include "f.html" %}{% endmacro card %}"#, &["f.html"], false);
    }

    #[test]
    fn data_calls_anywhere() {
        check(r#"{{ data(name="authors") }}"#, &[], true);
        check("{{ data (name=`authors`) | length }}", &[], true);
        check(r#"{% set a = data(name="x") %}"#, &[], true);
        check(r#"{% for a in data(name="x") %}{% endfor %}"#, &[], true);
        check(r#"{% if data(name="x") %}{% endif %}"#, &[], true);
        check(r#"{% if data(name="x") in xs %}{% endif %}"#, &[], true);
        check(r#"{{ x | default(value=data(name="x")) }}"#, &[], true);
        check(r#"{{ m::f(a=[1, data(name="x")]) }}"#, &[], true);
        check(r#"{% filter replace(from="a", to=data(name="x")) %}{% endfilter %}"#, &[], true);
        check(r#"{{ x is containing(data(name="x")) }}"#, &[], true);
        check(r#"{{ "data(name='x')" }}{{ metadata(name="x") }}"#, &[], false);
    }

    #[test]
    fn build_time_reads_are_found() {
        let reads =
            |text: &str| uses(&tera::Template::new("t.html", None, text).unwrap()).build_time;
        for text in [
            "{{ site.build_time }}",
            "{{ site.build_time | date }}",
            "{{ x | default(value=site.build_time) }}",
            "{% set s = site %}{{ s.build_time }}",
            r#"{{ site["build_time"] }}"#,
            "{% for k, v in site %}{{ v }}{% endfor %}",
            "{{ __tera_context }}",
            "{% if site.build_time > x %}{% endif %}",
            "{% macro m() %}{{ site.build_time }}{% endmacro m %}",
            "{{ m::f(t=site.build_time) }}",
        ] {
            assert!(reads(text), "{text}");
        }
        for text in [
            "{{ site.title }}",
            "{{ site.build_times }}",
            r#"{{ "site.build_time" }}"#,
            "{{ item.date }}",
        ] {
            assert!(!reads(text), "{text}");
        }
    }

    #[test]
    fn total_items_reads_are_found() {
        let reads =
            |text: &str| uses(&tera::Template::new("t.html", None, text).unwrap()).total_items;
        for text in [
            "{{ paginator.total_items }}",
            "{% macro m(p) %}{{ p.total_items | digits }}{% endmacro m %}",
            r#"{{ paginator["total_items"] }}"#,
            "{{ paginator[key] }}",
            "{% for k, v in paginator %}{{ v }}{% endfor %}",
            "{{ paginator | json_encode }}",
            "{{ __tera_context }}",
            "{% if paginator.total_items > 100 %}{% endif %}",
        ] {
            assert!(reads(text), "{text}");
        }
        for text in [
            "{{ paginator.total_pages }}",
            "{{ m::listing(paginator=paginator, t=t) }}",
            "{{ paginator.total_items_shown }}",
            r#"{{ "total_items" }}"#,
            "{% for item in paginator.items %}{{ item.title }}{% endfor %}",
        ] {
            assert!(!reads(text), "{text}");
        }
    }
}
