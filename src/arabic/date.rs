//! Gregorian and Hijri dates in Arabic, with regional month names, through ICU4X.
//!
//! Arabic has several sets of Gregorian month names and a news site prints the one its readers
//! use: Egypt and the Gulf say «نوفمبر», the Levant and Iraq «تشرين الثاني», Morocco «نونبر»,
//! Algeria and Tunisia «جانفي» for January. Pan-Arab outlets print two at once
//! («نوفمبر/ تشرين الثاني»). Rather than hand-written month tables, midad asks ICU4X's compiled
//! CLDR data for the locale of each region ([`Months`]): `ar-EG`, `ar-SY`, `ar-MA` and `ar-DZ`.
//! [`Months::Both`] has no CLDR locale, so it formats with `ar-EG` and then puts the `ar-SY` month
//! name (also from ICU) after the Egyptian one.
//!
//! The Hijri date uses the Umm al-Qura calendar (CLDR `islamic-umalqura`), the official civil
//! calendar of Saudi Arabia and the one Arabic news sites print: ICU4X's `Hijri` calendar with
//! the published KACST months for 1420–1500 AH ([`KacstUmmAlQura`], where ICU4X's own table is
//! wrong from 1451 AH on) and ICU4X's data for other years. The day is the civil day of the
//! article's local date (the religious day, which starts at sunset, is out of scope).
//!
//! Digits: CLDR defaults to Arabic-Indic digits for `ar-EG` and `ar-SY`, so the numbering system
//! is requested explicitly (`-u-nu-latn` / `-u-nu-arab`). The Maghreb locales already default to
//! `latn`, and ICU4X's compiled data has no separate `-nu-latn` entry for them (asking for it
//! works, but prints a data-fallback warning on stderr in debug builds), so for them only `arab`
//! is requested. Every result is also passed through [`to_digits`], so the configured digits are
//! guaranteed whatever CLDR's defaults become.
//!
//! Times use a 24-hour clock (`-u-hc-h23`, «09:30»): ICU's Arabic default is a 12-hour clock
//! with «ص»/«م» in most regions but not in Morocco, and a news timestamp should not depend on
//! the region. The long form keeps CLDR's Arabic comma after the weekday («الأحد، 29 نوفمبر
//! 2026») and CLDR's «في» between date and time.
//!
//! A [`DateFormatter`] holds the ICU formatters for one site, is built once per build and is
//! `Send + Sync` (the crate enables ICU4X's `sync` feature) so rendering threads can share it.

use icu_calendar::cal::Hijri;
use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{M, T, YM, YMD, YMDE, YMDET};
use icu_datetime::input::{DateTime, Time};
use icu_datetime::{
    DateTimeFormatterLoadError, DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter,
    NoCalendarFormatter,
};
use icu_locale::Locale;
use serde::Deserialize;

use super::digits::{Digits, to_digits};
use super::hijri::KacstUmmAlQura;

/// Which Arabic names of the Gregorian months a site prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Months {
    /// Egypt and the Gulf: يناير، فبراير … نوفمبر، ديسمبر (CLDR `ar-EG`), the default.
    #[default]
    Egypt,
    /// Syria, Lebanon, Jordan, Palestine and Iraq: كانون الثاني، شباط … تشرين الثاني (CLDR
    /// `ar-SY`).
    Levant,
    /// Morocco: يناير، فبراير … يوليوز، غشت، شتنبر … نونبر، دجنبر (CLDR `ar-MA`).
    Maghreb,
    /// Algeria and Tunisia: جانفي، فيفري … أوت … (CLDR `ar-DZ`).
    AlgeriaTunisia,
    /// Egyptian and Levantine names together, as pan-Arab outlets print them:
    /// «نوفمبر/ تشرين الثاني».
    Both,
}

/// Which form of a date [`DateFormatter::format`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// Weekday, day, month and year: «الأحد، 29 نوفمبر 2026».
    Long,
    /// Day, month and year: «29 نوفمبر 2026».
    Short,
    /// Hours and minutes on a 24-hour clock: «09:30».
    Time,
    /// The long date and the time: «الأحد، 29 نوفمبر 2026 في 09:30».
    DateTime,
    /// Month and year, for archives: «نوفمبر 2026».
    MonthYear,
}

/// Why a [`DateFormatter`] could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DateError {
    /// The locale midad built for ICU did not parse (a bug in midad, not in the site).
    #[error("invalid ICU locale `{locale}`")]
    Locale {
        /// The BCP 47 locale string.
        locale: String,
        /// ICU's parse error.
        #[source]
        source: icu_locale::ParseError,
    },
    /// ICU4X's compiled data has no date patterns or names for the locale.
    #[error("cannot load ICU4X date data for `{locale}`")]
    Load {
        /// The BCP 47 locale string.
        locale: String,
        /// ICU's load error.
        #[source]
        source: DateTimeFormatterLoadError,
    },
}

/// The ICU formatters of one region and digit style.
#[derive(Debug)]
struct Gregorians {
    long: FixedCalendarDateTimeFormatter<Gregorian, YMDE>,
    short: FixedCalendarDateTimeFormatter<Gregorian, YMD>,
    time: NoCalendarFormatter<T>,
    date_time: FixedCalendarDateTimeFormatter<Gregorian, YMDET>,
    month_year: FixedCalendarDateTimeFormatter<Gregorian, YM>,
}

/// The two month-name formatters that make up [`Months::Both`].
#[derive(Debug)]
struct MonthPair {
    primary: FixedCalendarDateTimeFormatter<Gregorian, M>,
    secondary: FixedCalendarDateTimeFormatter<Gregorian, M>,
}

/// Formats Gregorian and Hijri dates for one site's region and digits.
///
/// Built once per build with [`DateFormatter::new`], then shared by reference across threads.
#[derive(Debug)]
pub struct DateFormatter {
    gregorian: Gregorians,
    both: Option<MonthPair>,
    hijri: FixedCalendarDateTimeFormatter<Hijri<KacstUmmAlQura>, YMD>,
    digits: Digits,
}

impl DateFormatter {
    /// Loads the ICU4X formatters for `months` and `digits` from compiled data.
    pub fn new(months: Months, digits: Digits) -> Result<Self, DateError> {
        let primary = match months {
            Months::Egypt | Months::Both => Region::Egypt,
            Months::Levant => Region::Levant,
            Months::Maghreb => Region::Maghreb,
            Months::AlgeriaTunisia => Region::AlgeriaTunisia,
        };
        let locale = primary.locale(digits);
        let p = prefs(&locale)?;
        let gregorian = Gregorians::load(p, &locale)?;

        let both = match months {
            Months::Both => {
                let secondary_locale = Region::Levant.locale(digits);
                let q = prefs(&secondary_locale)?;
                Some(MonthPair {
                    primary: FixedCalendarDateTimeFormatter::try_new(p, M::long())
                        .map_err(load(&locale))?,
                    secondary: FixedCalendarDateTimeFormatter::try_new(q, M::long())
                        .map_err(load(&secondary_locale))?,
                })
            }
            _ => None,
        };

        Ok(DateFormatter { gregorian, both, hijri: hijri(digits)?, digits })
    }

    /// Loads the ICU4X formatters of a language other than Arabic (`en`, `fr`): its own month
    /// names and date order, Latin digits and a 24-hour clock, as CLDR gives them. The Hijri
    /// date stays Arabic: non-Arabic pages don't show it.
    pub fn for_language(code: &str) -> Result<Self, DateError> {
        let locale = format!("{code}-u-hc-h23-nu-latn");
        let p = prefs(&locale)?;
        let gregorian = Gregorians::load(p, &locale)?;
        let digits = Digits::Latn;
        Ok(DateFormatter { gregorian, both: None, hijri: hijri(digits)?, digits })
    }

    /// The Gregorian date and/or time of `at` (already in the site's time zone: its civil fields
    /// are used as they are) in `style`: Long «الأحد، 29 نوفمبر 2026», Short «29 نوفمبر 2026»,
    /// Time «09:30», DateTime «الأحد، 29 نوفمبر 2026 في 09:30».
    pub fn format(&self, at: &jiff::ZonedDateTime, style: DateStyle) -> String {
        let Some((date, time)) = civil(at) else {
            return self.fallback(at, style);
        };
        let g = &self.gregorian;
        let text = match style {
            DateStyle::Long => g.long.format(&date).to_string(),
            DateStyle::Short => g.short.format(&date).to_string(),
            DateStyle::Time => g.time.format(&time).to_string(),
            DateStyle::DateTime => g.date_time.format(&DateTime { date, time }).to_string(),
            DateStyle::MonthYear => g.month_year.format(&date).to_string(),
        };
        let text = match (&self.both, style) {
            (
                Some(pair),
                DateStyle::Long | DateStyle::Short | DateStyle::DateTime | DateStyle::MonthYear,
            ) => pair.compose(&text, &date),
            _ => text,
        };
        to_digits(&text, self.digits)
    }

    /// The Umm al-Qura Hijri date of `at`'s civil date: «19 جمادى الآخرة 1448 هـ» for
    /// 2026-11-29.
    pub fn hijri(&self, at: &jiff::ZonedDateTime) -> String {
        let Some((date, _)) = civil(at) else {
            return to_digits(&at.date().to_string(), self.digits);
        };
        let hijri = date.to_calendar(Hijri(KacstUmmAlQura));
        to_digits(&self.hijri.format(&hijri).to_string(), self.digits)
    }

    /// What `format` returns if ICU rejects the date (it accepts every date jiff can hold, so
    /// this is defensive): the ISO 8601 date and/or time.
    fn fallback(&self, at: &jiff::ZonedDateTime, style: DateStyle) -> String {
        let text = match style {
            DateStyle::Long | DateStyle::Short => at.date().to_string(),
            DateStyle::Time => at.time().strftime("%H:%M").to_string(),
            DateStyle::DateTime => at.strftime("%Y-%m-%d %H:%M").to_string(),
            DateStyle::MonthYear => at.strftime("%Y-%m").to_string(),
        };
        to_digits(&text, self.digits)
    }
}

impl Gregorians {
    /// The Gregorian formatters of `locale`, whose preferences are `p`.
    fn load(p: DateTimeFormatterPreferences, locale: &str) -> Result<Self, DateError> {
        Ok(Gregorians {
            long: FixedCalendarDateTimeFormatter::try_new(p, YMDE::long()).map_err(load(locale))?,
            short: FixedCalendarDateTimeFormatter::try_new(p, YMD::long()).map_err(load(locale))?,
            time: NoCalendarFormatter::try_new(p, T::hm()).map_err(load(locale))?,
            date_time: FixedCalendarDateTimeFormatter::try_new(p, YMDE::long().with_time_hm())
                .map_err(load(locale))?,
            month_year: FixedCalendarDateTimeFormatter::try_new(p, YM::long())
                .map_err(load(locale))?,
        })
    }
}

/// The Umm al-Qura formatter, in Arabic with `digits`.
fn hijri(
    digits: Digits,
) -> Result<FixedCalendarDateTimeFormatter<Hijri<KacstUmmAlQura>, YMD>, DateError> {
    let locale = format!("ar-SA-u-ca-islamic-umalqura-nu-{}", digits.as_str());
    let h = prefs(&locale)?;
    FixedCalendarDateTimeFormatter::try_new(h, YMD::long()).map_err(load(&locale))
}

impl MonthPair {
    /// Puts the secondary month name after the primary one: «29 نوفمبر/ تشرين الثاني 2026».
    fn compose(&self, text: &str, date: &Date<Gregorian>) -> String {
        let primary = self.primary.format(date).to_string();
        let secondary = self.secondary.format(date).to_string();
        if primary.is_empty() || primary == secondary {
            return text.to_owned();
        }
        text.replacen(&primary, &format!("{primary}/ {secondary}"), 1)
    }
}

/// ICU preferences for a BCP 47 locale string.
fn prefs(locale: &str) -> Result<DateTimeFormatterPreferences, DateError> {
    let parsed = Locale::try_from_str(locale)
        .map_err(|source| DateError::Locale { locale: locale.to_owned(), source })?;
    Ok(DateTimeFormatterPreferences::from(&parsed))
}

/// Turns ICU's load error for `locale` into a [`DateError`].
fn load(locale: &str) -> impl Fn(DateTimeFormatterLoadError) -> DateError + '_ {
    move |source| DateError::Load { locale: locale.to_owned(), source }
}

/// A CLDR locale with Gregorian month names.
#[derive(Debug, Clone, Copy)]
enum Region {
    Egypt,
    Levant,
    Maghreb,
    AlgeriaTunisia,
}

impl Region {
    /// The BCP 47 locale for this region, digits and a 24-hour clock (see the module doc for why
    /// the Maghreb locales do not ask for `latn`).
    fn locale(self, digits: Digits) -> String {
        let (tag, latn_is_default) = match self {
            Region::Egypt => ("ar-EG", false),
            Region::Levant => ("ar-SY", false),
            Region::Maghreb => ("ar-MA", true),
            Region::AlgeriaTunisia => ("ar-DZ", true),
        };
        match digits {
            Digits::Latn if latn_is_default => format!("{tag}-u-hc-h23"),
            _ => format!("{tag}-u-hc-h23-nu-{}", digits.as_str()),
        }
    }
}

/// ICU's Gregorian date and time for the civil fields of `at`.
fn civil(at: &jiff::ZonedDateTime) -> Option<(Date<Gregorian>, Time)> {
    let month = u8::try_from(at.month()).ok()?;
    let day = u8::try_from(at.day()).ok()?;
    let date = Date::try_new_gregorian(i32::from(at.year()), month, day).ok()?;
    let hour = u8::try_from(at.hour()).ok()?;
    let minute = u8::try_from(at.minute()).ok()?;
    let second = u8::try_from(at.second()).ok()?;
    let time = Time::try_new(hour, minute, second, 0).ok()?;
    Some((date, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zoned(civil: &str) -> jiff::ZonedDateTime {
        let at: jiff::civil::DateTime = civil.parse().expect("test datetime");
        at.to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(2))).expect("test zoned")
    }

    #[track_caller]
    fn check(months: Months, digits: Digits, at: &str, style: DateStyle, expect: &str) {
        let formatter = DateFormatter::new(months, digits).expect("formatter");
        assert_eq!(formatter.format(&zoned(at), style), expect, "{months:?} {digits:?} {at}");
    }

    #[test]
    fn other_languages_have_their_own_month_names_and_order() {
        // CLDR's English and French long patterns, "EEEE, MMMM d, y" and "EEEE d MMMM y",
        // as any English or French newspaper prints them; 2026-11-29 is a Sunday.
        let en = DateFormatter::for_language("en").expect("English formatter");
        let at = zoned("2026-11-29T09:30:00");
        assert_eq!(en.format(&at, DateStyle::Long), "Sunday, November 29, 2026");
        assert_eq!(en.format(&at, DateStyle::Short), "November 29, 2026");
        assert_eq!(en.format(&at, DateStyle::Time), "09:30");
        assert_eq!(en.format(&at, DateStyle::MonthYear), "November 2026");
        let fr = DateFormatter::for_language("fr").expect("French formatter");
        assert_eq!(fr.format(&at, DateStyle::Long), "dimanche 29 novembre 2026");
    }

    #[test]
    fn regions() {
        use DateStyle::{Long, Short};
        use Digits::{Arab, Latn};
        use Months::{AlgeriaTunisia, Both, Egypt, Levant, Maghreb};
        let nov = "2026-11-29T09:30";
        let jan = "2026-01-04T21:05";
        let cases = [
            (Egypt, Latn, nov, Long, "الأحد، 29 نوفمبر 2026"),
            (Egypt, Latn, nov, Short, "29 نوفمبر 2026"),
            (Egypt, Arab, nov, Long, "الأحد، ٢٩ نوفمبر ٢٠٢٦"),
            (Egypt, Latn, jan, Short, "4 يناير 2026"),
            (Levant, Latn, nov, Long, "الأحد، 29 تشرين الثاني 2026"),
            (Levant, Arab, nov, Short, "٢٩ تشرين الثاني ٢٠٢٦"),
            (Levant, Latn, jan, Short, "4 كانون الثاني 2026"),
            (Levant, Latn, "2026-02-10T00:00", Short, "10 شباط 2026"),
            (Maghreb, Latn, nov, Short, "29 نونبر 2026"),
            (Maghreb, Arab, nov, Short, "٢٩ نونبر ٢٠٢٦"),
            (Maghreb, Latn, "2026-07-14T00:00", Short, "14 يوليوز 2026"),
            (Maghreb, Latn, "2026-08-20T00:00", Short, "20 غشت 2026"),
            (Maghreb, Latn, "2026-12-31T00:00", Long, "الخميس، 31 دجنبر 2026"),
            (AlgeriaTunisia, Latn, jan, Short, "4 جانفي 2026"),
            (AlgeriaTunisia, Latn, "2026-02-01T00:00", Short, "1 فيفري 2026"),
            (AlgeriaTunisia, Arab, "2026-08-20T00:00", Short, "٢٠ أوت ٢٠٢٦"),
            (AlgeriaTunisia, Latn, "2026-07-05T00:00", Long, "الأحد، 5 جويلية 2026"),
            (Both, Latn, nov, Long, "الأحد، 29 نوفمبر/ تشرين الثاني 2026"),
            (Both, Latn, nov, Short, "29 نوفمبر/ تشرين الثاني 2026"),
            (Both, Arab, jan, Short, "٤ يناير/ كانون الثاني ٢٠٢٦"),
            (Egypt, Latn, nov, DateStyle::MonthYear, "نوفمبر 2026"),
            (Levant, Arab, nov, DateStyle::MonthYear, "تشرين الثاني ٢٠٢٦"),
            (Both, Latn, nov, DateStyle::MonthYear, "نوفمبر/ تشرين الثاني 2026"),
        ];
        for (months, digits, at, style, expect) in cases {
            check(months, digits, at, style, expect);
        }
    }

    #[test]
    fn times() {
        use DateStyle::{DateTime, Time};
        use Digits::{Arab, Latn};
        use Months::{AlgeriaTunisia, Both, Egypt, Levant, Maghreb};
        let cases = [
            (Egypt, Latn, "2026-11-29T09:30", Time, "09:30"),
            (Egypt, Arab, "2026-11-29T09:30", Time, "٠٩:٣٠"),
            (Levant, Latn, "2026-11-29T21:05", Time, "21:05"),
            (Maghreb, Latn, "2026-11-29T00:00", Time, "00:00"),
            (AlgeriaTunisia, Arab, "2026-11-29T23:59", Time, "٢٣:٥٩"),
            (Egypt, Latn, "2026-11-29T09:30", DateTime, "الأحد، 29 نوفمبر 2026 في 09:30"),
            (
                Both,
                Latn,
                "2026-11-29T09:30",
                DateTime,
                "الأحد، 29 نوفمبر/ تشرين الثاني 2026 في 09:30",
            ),
        ];
        for (months, digits, at, style, expect) in cases {
            check(months, digits, at, style, expect);
        }
    }

    #[track_caller]
    fn check_hijri(formatter: &DateFormatter, gregorian: &str, expect: &str) {
        let at = zoned(&format!("{gregorian}T12:00"));
        assert_eq!(formatter.hijri(&at), expect, "for {gregorian}");
    }

    /// Umm al-Qura dates, as the published KACST table gives them (van Gent's, which ICU4X's
    /// agrees with before 1451 AH), around month starts, Ramadan and the Eids.
    #[test]
    fn hijri_umm_al_qura() {
        let formatter = DateFormatter::new(Months::Egypt, Digits::Latn).expect("formatter");
        let cases = [
            ("2022-04-02", "1 رمضان 1443 هـ"),
            ("2022-05-01", "30 رمضان 1443 هـ"),
            ("2022-05-02", "1 شوال 1443 هـ"),
            ("2022-07-30", "1 محرم 1444 هـ"),
            ("2023-03-22", "30 شعبان 1444 هـ"),
            ("2023-03-23", "1 رمضان 1444 هـ"),
            ("2023-04-20", "29 رمضان 1444 هـ"),
            ("2023-04-21", "1 شوال 1444 هـ"),
            ("2023-06-28", "10 ذو الحجة 1444 هـ"),
            ("2023-07-18", "30 ذو الحجة 1444 هـ"),
            ("2023-07-19", "1 محرم 1445 هـ"),
            ("2024-03-11", "1 رمضان 1445 هـ"),
            ("2024-04-09", "30 رمضان 1445 هـ"),
            ("2024-04-10", "1 شوال 1445 هـ"),
            ("2024-06-16", "10 ذو الحجة 1445 هـ"),
            ("2024-07-07", "1 محرم 1446 هـ"),
            ("2025-01-01", "1 رجب 1446 هـ"),
            ("2025-02-28", "29 شعبان 1446 هـ"),
            ("2025-03-01", "1 رمضان 1446 هـ"),
            ("2025-03-29", "29 رمضان 1446 هـ"),
            ("2025-03-30", "1 شوال 1446 هـ"),
            ("2025-06-06", "10 ذو الحجة 1446 هـ"),
            ("2025-06-25", "29 ذو الحجة 1446 هـ"),
            ("2025-06-26", "1 محرم 1447 هـ"),
            ("2026-02-18", "1 رمضان 1447 هـ"),
            ("2026-03-19", "30 رمضان 1447 هـ"),
            ("2026-03-20", "1 شوال 1447 هـ"),
            ("2026-06-16", "1 محرم 1448 هـ"),
            ("2026-11-11", "1 جمادى الآخرة 1448 هـ"),
            ("2026-11-29", "19 جمادى الآخرة 1448 هـ"),
            ("2026-12-09", "29 جمادى الآخرة 1448 هـ"),
            ("2026-12-10", "1 رجب 1448 هـ"),
            // Where ICU4X's own table is a day off: it says 30 Rabi' al-Awwal and
            // 26 Safar.
            ("2029-08-11", "1 ربيع الآخر 1451 هـ"),
            ("2030-06-28", "27 صفر 1452 هـ"),
        ];
        for (gregorian, expect) in cases {
            check_hijri(&formatter, gregorian, expect);
        }
    }

    /// Every day of 1420–1500 AH (1999-04-17 to 2077-11-16) against the published KACST
    /// Umm al-Qura table (van Gent's, through hijridate: `tests/data/hijri/generate.py`), one
    /// line per month, `year month gregorian-start days`.
    #[test]
    fn hijri_every_day_of_the_kacst_table() {
        const MONTHS: [&str; 12] = [
            "محرم",
            "صفر",
            "ربيع الأول",
            "ربيع الآخر",
            "جمادى الأولى",
            "جمادى الآخرة",
            "رجب",
            "شعبان",
            "رمضان",
            "شوال",
            "ذو القعدة",
            "ذو الحجة",
        ];
        let table = include_str!("../../tests/data/hijri/umm-al-qura.txt");
        let formatter = DateFormatter::new(Months::Egypt, Digits::Latn).expect("formatter");
        let mut wrong = Vec::new();
        let (mut n_months, mut n_days) = (0, 0);
        let mut next_start: Option<jiff::civil::Date> = None;
        for line in table.lines().filter(|line| !line.starts_with('#')) {
            let fields: Vec<&str> = line.split(' ').collect();
            let [year, month, start, length] = fields[..] else { panic!("bad line `{line}`") };
            let month: usize = month.parse().expect("month");
            let start: jiff::civil::Date = start.parse().expect("start");
            let length: i8 = length.parse().expect("length");
            assert!(next_start.is_none_or(|next| next == start), "gap before `{line}`");
            for day in 1..=length {
                let gregorian = start + jiff::Span::new().days(day - 1);
                let at = gregorian
                    .at(12, 0, 0, 0)
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .expect("zoned");
                let expect = format!("{day} {} {year} هـ", MONTHS[month - 1]);
                let got = formatter.hijri(&at);
                if got != expect {
                    wrong.push(format!("{gregorian}: {got} (expected {expect})"));
                }
                n_days += 1;
            }
            next_start = Some(start + jiff::Span::new().days(length));
            n_months += 1;
        }
        assert_eq!((n_months, n_days), (81 * 12, 28_704), "the table is incomplete");
        assert!(wrong.is_empty(), "{} of {n_days} days differ:\n{}", wrong.len(), wrong.join("\n"));
    }

    /// Days that Saudi Arabia's Supreme Court named in its announcements, which the press
    /// reported: a source independent of the table and of ICU4X. (The announced months follow
    /// sightings, which agreed with the calendar on these days; all are before 1451 AH, where
    /// the tables agree, so these check the calendar, not which table is right after it.)
    #[test]
    fn hijri_days_announced_in_saudi_arabia() {
        let formatter = DateFormatter::new(Months::Egypt, Digits::Latn).expect("formatter");
        let cases = [
            // "Saturday will be the first of Ramadan for the year 1438H, corresponding to May 27,
            // 2017" (Saudi Gazette, 2017-05-26).
            ("2017-05-27", "1 رمضان 1438 هـ"),
            // «الاثنين الموافق 11 مارس 2024م، هو غرة شهر رمضان لهذا العام 1445هـ» (Supreme Court,
            // 2024-03-10).
            ("2024-03-11", "1 رمضان 1445 هـ"),
            // Decision 192 of the Supreme Court, dated 29/8/1446, that «غدٍ السبت» (2025-03-01)
            // is the first of Ramadan.
            ("2025-02-28", "29 شعبان 1446 هـ"),
            ("2025-03-01", "1 رمضان 1446 هـ"),
            // "Saturday evening, Ramadan 29, 1446 AH, corresponding to March 29, 2025"; Eid
            // al-Fitr on Sunday, March 30, 2025 (Supreme Court calls and announcement).
            ("2025-03-29", "29 رمضان 1446 هـ"),
            ("2025-03-30", "1 شوال 1446 هـ"),
            // Ramadan 1447 began on Wednesday, February 18, 2026 (Supreme Court, 2026-02-17).
            ("2026-02-18", "1 رمضان 1447 هـ"),
        ];
        for (gregorian, expect) in cases {
            check_hijri(&formatter, gregorian, expect);
        }
    }

    #[test]
    fn hijri_digits_and_regions() {
        for months in [Months::Levant, Months::Maghreb, Months::AlgeriaTunisia, Months::Both] {
            let latn = DateFormatter::new(months, Digits::Latn).expect("formatter");
            check_hijri(&latn, "2026-11-29", "19 جمادى الآخرة 1448 هـ");
            let arab = DateFormatter::new(months, Digits::Arab).expect("formatter");
            check_hijri(&arab, "2026-11-29", "١٩ جمادى الآخرة ١٤٤٨ هـ");
        }
    }

    #[test]
    fn civil_fields_of_the_zone_are_used() {
        // 23:30 in Cairo is already the next day in UTC; the site's local date wins.
        let at: jiff::ZonedDateTime = "2026-11-28T23:30[Africa/Cairo]".parse().expect("zoned");
        let formatter = DateFormatter::new(Months::Egypt, Digits::Latn).expect("formatter");
        assert_eq!(formatter.format(&at, DateStyle::Short), "28 نوفمبر 2026");
        assert_eq!(formatter.format(&at, DateStyle::Time), "23:30");
    }

    #[test]
    fn formatter_is_send_and_sync() {
        fn assert_send_sync<S: Send + Sync>() {}
        assert_send_sync::<DateFormatter>();
    }
}
