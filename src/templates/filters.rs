//! Tera filters: one-line adapters over `arabic`, so templates get Arabic dates, digits, reading
//! time, bylines and bidi isolation without any logic of their own.
//!
//! Dates reach templates as RFC 3339 strings; the date filters parse them back and show them in
//! the site's time zone. A filter given the wrong kind of value fails with a message naming the
//! filter, which Tera reports with the template's name.

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Tera, Value};

use crate::arabic::byline::{self, Gender};
use crate::arabic::date::{DateFormatter, DateStyle};
use crate::arabic::digits::{Digits, to_digits};
use crate::arabic::reading_time;

/// Where the `image()` function finds the site's photos: templates outlive a reload of the
/// content, so the photos of each load are put here.
pub type PhotoSlot = Arc<std::sync::RwLock<Arc<crate::images::Photos>>>;

/// What the filters need from the site's settings; built once per build.
#[derive(Clone)]
pub struct FilterSettings {
    /// Month names and digits of dates.
    pub dates: Arc<DateFormatter>,
    /// The site's time zone.
    pub timezone: jiff::tz::TimeZone,
    /// Digits of numbers.
    pub digits: Digits,
    /// Whether `hijri_date` prints anything.
    pub hijri: bool,
    /// The language of the pages rendered with these filters (`ar`, `en`): reading times and
    /// bylines are worded in it.
    pub language: String,
    /// The files of `data/` by name, for the `data` function.
    pub data: Arc<serde_json::Map<String, serde_json::Value>>,
    /// The site's photos, for the `image` function.
    pub photos: PhotoSlot,
}

pub(super) fn register(tera: &mut Tera, settings: FilterSettings) {
    // Dates are formatted through ICU, and the same few are printed on every page (the build
    // date in the header) or on many (an article's date on each card that shows it): each
    // thread remembers what it formatted, for these settings.
    let settings_id = NEXT_SETTINGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let s = settings.clone();
    tera.register_filter("ar_date", move |value: &Value, args: &HashMap<String, Value>| {
        let (style, code) = match args.get("format").and_then(Value::as_str).unwrap_or("long") {
            "long" => (DateStyle::Long, 0),
            "short" => (DateStyle::Short, 1),
            "time" => (DateStyle::Time, 2),
            "datetime" => (DateStyle::DateTime, 3),
            "month" => (DateStyle::MonthYear, 4),
            other => {
                return Err(tera::Error::msg(format!(
                    "`ar_date` has no format `{other}`: use `long`, `short`, `time`, `datetime` or `month`"
                )));
            }
        };
        remembered(settings_id, code, value, || {
            let at = zoned(value, &s.timezone, "ar_date")?;
            Ok(s.dates.format(&at, style))
        })
    });
    let s = settings.clone();
    tera.register_filter("hijri_date", move |value: &Value, _: &HashMap<String, Value>| {
        if !s.hijri {
            return Ok(Value::String(String::new()));
        }
        remembered(settings_id, HIJRI, value, || {
            let at = zoned(value, &s.timezone, "hijri_date")?;
            Ok(s.dates.hijri(&at))
        })
    });
    let digits = settings.digits;
    tera.register_filter("digits", move |value: &Value, _: &HashMap<String, Value>| {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => {
                return Err(tera::Error::msg(format!(
                    "`digits` needs a number or a string, not {other}"
                )));
            }
        };
        Ok(Value::String(to_digits(&text, digits)))
    });
    let language = settings.language.clone();
    tera.register_filter("reading_time", move |value: &Value, _: &HashMap<String, Value>| {
        let minutes = value
            .as_u64()
            .ok_or_else(|| tera::Error::msg("`reading_time` needs a whole number of minutes"))?;
        let minutes = u32::try_from(minutes).unwrap_or(u32::MAX);
        Ok(Value::String(reading_time::label_in(&language, minutes, digits)))
    });
    tera.register_filter("bdi", Bdi);
    // `data(name="authors")`: a data file, copied only into the pages that ask for it (a context
    // variable would be cloned into every page's context).
    let data = Arc::clone(&settings.data);
    tera.register_function("data", move |args: &HashMap<String, Value>| {
        let name = args.get("name").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg("`data` needs a file name: `data(name=\"authors\")`")
        })?;
        data.get(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = data.keys().map(String::as_str).collect();
            tera::Error::msg(format!(
                "no data file `{name}` in `data/`; there are: {}",
                known.join(", ")
            ))
        })
    });
    // `image(path="/images/x.jpg")`: a photo of the site as `<picture>` data (`src`, `width`,
    // `height`, `type`, `srcset`, `sources`), for images a theme places itself; nothing for a
    // path that is no image of the site.
    let photos = Arc::clone(&settings.photos);
    tera.register_function("image", move |args: &HashMap<String, Value>| {
        let path = args.get("path").and_then(Value::as_str).ok_or_else(|| {
            tera::Error::msg("`image` needs the image's path: `image(path=\"/images/x.jpg\")`")
        })?;
        let photos = photos.read().map_err(|_| tera::Error::msg("the photos are unavailable"))?;
        let picture = photos.inline(path, "");
        serde_json::to_value(picture).map_err(|e| tera::Error::msg(e.to_string()))
    });
    let primary = settings.language.split(['-', '_']).next().unwrap_or_default();
    let (arabic, language_is_english) = (primary == "ar", primary == "en");
    tera.register_filter("byline_verb", move |value: &Value, _: &HashMap<String, Value>| {
        if !arabic {
            // Other languages' bylines read «By …» in English and nothing before the names else.
            let english = language_is_english;
            return Ok(Value::String(if english { "By".into() } else { String::new() }));
        }
        let authors = value
            .as_array()
            .ok_or_else(|| tera::Error::msg("`byline_verb` needs a list of authors"))?;
        let genders: Vec<Option<Gender>> = authors
            .iter()
            .map(|a| match a.get("gender").and_then(Value::as_str) {
                Some("male") => Some(Gender::Male),
                Some("female") => Some(Gender::Female),
                _ => None,
            })
            .collect();
        Ok(Value::String(byline::verb(&genders).to_string()))
    });
}

/// Tells apart the filters of successive template loads (a session reloads them when
/// `config.toml` changes), so that a date is never shown as older settings formatted it.
static NEXT_SETTINGS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The format code of `hijri_date` among `ar_date`'s.
const HIJRI: u8 = 255;

/// The most dates a thread remembers before it starts over.
const REMEMBERED: usize = 1 << 16;

/// A formatted date by filter settings, format code and date string.
type Dates = HashMap<(u64, u8, Box<str>), String>;

thread_local! {
    static DATES: std::cell::RefCell<Dates> = std::cell::RefCell::new(HashMap::new());
}

/// `format()` of the date string `value`, remembered by this thread for the filter settings
/// `settings` and format `code`.
fn remembered(
    settings: u64,
    code: u8,
    value: &Value,
    format: impl FnOnce() -> tera::Result<String>,
) -> tera::Result<Value> {
    let Some(text) = value.as_str() else { return format().map(Value::String) };
    let key = (settings, code, Box::from(text));
    if let Some(known) = DATES.with_borrow(|dates| dates.get(&key).cloned()) {
        return Ok(Value::String(known));
    }
    let formatted = format()?;
    DATES.with_borrow_mut(|dates| {
        if dates.len() >= REMEMBERED {
            dates.clear();
        }
        dates.insert(key, formatted.clone());
    });
    Ok(Value::String(formatted))
}

/// Wraps a user string in `<bdi>` so Latin words and numbers in it can't reorder the Arabic UI
/// text around it. It escapes the string itself, so its output is safe to print as is.
struct Bdi;

impl tera::Filter for Bdi {
    fn filter(&self, value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Null => String::new(),
            other => return Err(tera::Error::msg(format!("`bdi` needs a string, not {other}"))),
        };
        Ok(Value::String(format!("<bdi>{}</bdi>", escape_html(&text))))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Escapes text for HTML content and quoted attribute values.
///
/// Unlike Tera's default it leaves `/` alone, so URLs stay readable in the output
/// (`href="/politics/"`, not `href="&#x2F;politics&#x2F;"`); `/` is harmless in both places.
/// The rules are the Markdown writer's attribute escaping, so both paths escape alike.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    crate::markdown::escape::attr(&mut out, text);
    out
}

/// Parses an RFC 3339 value into the site's zone.
fn zoned(
    value: &Value,
    tz: &jiff::tz::TimeZone,
    filter: &str,
) -> tera::Result<jiff::ZonedDateTime> {
    let text = value.as_str().ok_or_else(|| {
        tera::Error::msg(format!("`{filter}` needs a date string such as `page.date`, not {value}"))
    })?;
    let ts: jiff::Timestamp = text.parse().map_err(|_| {
        tera::Error::msg(format!("`{filter}` needs an RFC 3339 date, not `{text}`"))
    })?;
    Ok(ts.to_zoned_datetime(tz.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arabic::date::Months;

    fn render(months: Months, digits: Digits, template: &str) -> String {
        let settings = FilterSettings {
            dates: Arc::new(DateFormatter::new(months, digits).unwrap()),
            timezone: jiff::tz::TimeZone::get("Africa/Cairo").unwrap(),
            digits,
            hijri: true,
            language: "ar".into(),
            data: Arc::new(serde_json::Map::new()),
            photos: Default::default(),
        };
        let mut tera = Tera::default();
        register(&mut tera, settings);
        let mut context = tera::Context::new();
        context.insert("d", "2026-11-29T09:30:00+02:00");
        tera.render_str(template, &context).unwrap()
    }

    #[test]
    fn remembered_dates_follow_the_settings_that_formatted_them() {
        let template = r#"{{ d | ar_date(format="long") }}|{{ d | ar_date(format="short") }}"#;
        let egypt = render(Months::Egypt, Digits::Latn, template);
        // Twice in a thread: the second comes from what the thread remembers.
        assert_eq!(render(Months::Egypt, Digits::Latn, template), egypt);
        let levant = render(Months::Levant, Digits::Arab, template);
        assert_ne!(levant, egypt, "other settings format the same date anew");
        assert!(egypt.contains("نوفمبر") && egypt.contains("29"), "{egypt}");
        assert!(levant.contains("تشرين الثاني") && levant.contains("٢٩"), "{levant}");
        let (long, short) = egypt.split_once('|').unwrap();
        assert_ne!(long, short, "each format is remembered apart");
    }
}
