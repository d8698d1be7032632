//! The Umm al-Qura calendar as KACST publishes it, for 1420–1500 AH (1999–2077).
//!
//! ICU4X's `UmmAlQura` takes its month lengths from ICU4C, whose table disagrees with the
//! published KACST Umm al-Qura calendar from 1451 AH on: from 2029-08-11 (1 Rabi' al-Akhir
//! 1451, for ICU4X 30 Rabi' al-Awwal) about a third of the days are a day off. The
//! published months follow the calendar's rule, in force since 1423 AH (a month ends after its
//! 29th day when, at Mecca, the conjunction falls before sunset and the moon sets after the
//! sun); ICU4C's table breaks it in those months. So [`KacstUmmAlQura`] gives ICU4X the
//! published year starts and month lengths for 1420–1500 AH, and ICU4X's own data for every
//! other year; the two meet without a gap (both start 1420 AH on 1999-04-17 and 1501 AH on
//! 2077-11-17) and agree on 1420–1450 AH.
//!
//! The table is that of the `hijridate` package (PyPI, version 2.6.0), printed by
//! `tests/data/hijri/generate.py --rust`: R. H. van Gent's KACST Umm al-Qura table ("The Umm
//! al-Qura Calendar of Saudi Arabia", Utrecht University) but for three months where it follows
//! KACST's published dates rather than van Gent's computation (1 Jumada al-Akhirah 1427 and
//! 1446, 1 Shawwal 1485).
//! The years before 1420 AH are left to ICU4X: the calendar followed other rules then, and
//! which table matches what was printed at the time is a separate question.
//!
//! Plugging custom year data into ICU4X's Hijri calendar is ICU4X's documented way to use other
//! month lengths (`icu_datetime::scaffold::FormattableHijriRules`), so conversion, month names
//! and formatting stay ICU4X's. `HijriYearData` and `Rules` sit behind `icu_calendar`'s
//! `unstable` feature: an ICU4X upgrade may need this file to change, and the test of every day
//! of the table (`date::tests`) catches one that changes its meaning.

use icu_calendar::Date;
use icu_calendar::cal::hijri::{HijriYearData, Rules, UmmAlQura};
use icu_calendar::preferences::{CalendarAlgorithm, HijriCalendarAlgorithm};

/// Umm al-Qura with the published KACST months for 1420–1500 AH and ICU4X's data elsewhere.
///
/// Use it as `Hijri(KacstUmmAlQura)`; dates convert and format as `Hijri<UmmAlQura>` ones do.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct KacstUmmAlQura;

impl icu_calendar::cal::scaffold::UnstableSealed for KacstUmmAlQura {}
impl icu_datetime::scaffold::UnstableSealed for KacstUmmAlQura {}

impl Rules for KacstUmmAlQura {
    fn year_data(&self, extended_year: i32) -> HijriYearData {
        published(extended_year).unwrap_or_else(|| UmmAlQura::default().year_data(extended_year))
    }

    fn calendar_algorithm(&self) -> Option<CalendarAlgorithm> {
        Some(CalendarAlgorithm::Hijri(Some(HijriCalendarAlgorithm::Umalqura)))
    }

    fn debug_name(&self) -> &'static str {
        "Hijri (Umm al-Qura, KACST 1420-1500 AH)"
    }
}

/// Month names, era and patterns are those of ICU4X's Umm al-Qura calendar.
impl icu_datetime::scaffold::FormattableHijriRules for KacstUmmAlQura {
    type YearNamesV1 = <UmmAlQura as icu_datetime::scaffold::FormattableHijriRules>::YearNamesV1;
    type MonthNamesV1 = <UmmAlQura as icu_datetime::scaffold::FormattableHijriRules>::MonthNamesV1;
    type SkeletaV1 = <UmmAlQura as icu_datetime::scaffold::FormattableHijriRules>::SkeletaV1;
}

/// The published year data of `year`, if it is in the table.
fn published(year: i32) -> Option<HijriYearData> {
    let index = usize::try_from(year.checked_sub(FIRST_YEAR)?).ok()?;
    let &(_, (g_year, g_month, g_day), month_lengths) = YEARS.get(index)?;
    let start = Date::try_new_gregorian(g_year, g_month, g_day).ok()?.to_rata_die();
    HijriYearData::try_new(year, start, month_lengths)
}

/// The first Hijri year of [`YEARS`].
const FIRST_YEAR: i32 = 1420;

/// A year of the table: the Hijri year, the Gregorian date of its 1 Muharram, and which of its
/// twelve months have 30 days (`l`) rather than 29 (`s`).
type Year = (i32, (i32, u8, u8), [bool; 12]);

/// 1420–1500 AH from the published KACST Umm al-Qura calendar (hijridate 2.6.0).
#[rustfmt::skip]
const YEARS: [Year; 81] = {
    let l = true; // 30 days
    let s = false; // 29 days
    [
        (1420, (1999, 4, 17), [s, l, s, s, l, s, l, l, l, l, s, l]),
        (1421, (2000, 4, 6), [s, s, l, s, s, s, l, l, l, l, s, l]),
        (1422, (2001, 3, 26), [l, s, s, l, s, s, s, l, l, l, s, l]),
        (1423, (2002, 3, 15), [l, s, l, s, l, s, s, l, s, l, s, l]),
        (1424, (2003, 3, 4), [l, s, l, l, s, l, s, s, l, s, l, s]),
        (1425, (2004, 2, 21), [l, s, l, l, s, l, s, l, l, s, l, s]),
        (1426, (2005, 2, 10), [s, l, s, l, s, l, l, s, l, l, s, l]),
        (1427, (2006, 1, 31), [s, s, l, s, l, s, l, l, s, l, l, s]),
        (1428, (2007, 1, 20), [l, s, s, l, s, s, l, l, l, s, l, l]),
        (1429, (2008, 1, 10), [s, l, s, s, l, s, s, l, l, s, l, l]),
        (1430, (2008, 12, 29), [s, l, l, s, s, l, s, l, s, l, s, l]),
        (1431, (2009, 12, 18), [s, l, l, s, l, s, l, s, l, s, s, l]),
        (1432, (2010, 12, 7), [s, l, l, l, s, l, s, l, s, l, s, s]),
        (1433, (2011, 11, 26), [l, s, l, l, s, l, l, s, l, s, l, s]),
        (1434, (2012, 11, 15), [s, l, s, l, s, l, l, s, l, l, s, s]),
        (1435, (2013, 11, 4), [l, s, l, s, l, s, l, s, l, l, s, l]),
        (1436, (2014, 10, 25), [s, l, s, l, s, l, s, l, s, l, s, l]),
        (1437, (2015, 10, 14), [l, s, l, l, s, s, l, s, l, s, s, l]),
        (1438, (2016, 10, 2), [l, s, l, l, l, s, s, l, s, s, l, s]),
        (1439, (2017, 9, 21), [l, s, l, l, l, s, l, s, l, s, s, l]),
        (1440, (2018, 9, 11), [s, l, s, l, l, l, s, l, s, l, s, s]),
        (1441, (2019, 8, 31), [l, s, l, s, l, l, s, l, l, s, l, s]),
        (1442, (2020, 8, 20), [s, l, s, l, s, l, s, l, l, s, l, s]),
        (1443, (2021, 8, 9), [l, s, l, s, l, s, l, s, l, s, l, l]),
        (1444, (2022, 7, 30), [s, l, s, l, l, s, s, l, s, l, s, l]),
        (1445, (2023, 7, 19), [s, l, l, l, s, l, s, s, l, s, s, l]),
        (1446, (2024, 7, 7), [s, l, l, l, s, l, l, s, s, l, s, s]),
        (1447, (2025, 6, 26), [l, s, l, l, l, s, l, s, l, s, l, s]),
        (1448, (2026, 6, 16), [s, l, s, l, l, s, l, l, s, l, s, l]),
        (1449, (2027, 6, 6), [s, s, l, s, l, s, l, l, s, l, l, s]),
        (1450, (2028, 5, 25), [l, s, l, s, s, l, s, l, s, l, l, s]),
        (1451, (2029, 5, 14), [l, l, s, l, s, s, l, s, l, s, l, s]),
        (1452, (2030, 5, 3), [l, l, l, s, l, s, s, l, s, l, s, l]),
        (1453, (2031, 4, 23), [s, l, l, l, s, s, l, s, l, s, l, s]),
        (1454, (2032, 4, 11), [s, l, l, l, s, l, s, l, s, l, s, l]),
        (1455, (2033, 4, 1), [s, s, l, l, s, l, s, l, l, s, l, s]),
        (1456, (2034, 3, 21), [l, s, s, l, s, l, s, l, l, l, s, l]),
        (1457, (2035, 3, 11), [s, l, s, s, l, s, s, l, l, s, l, l]),
        (1458, (2036, 2, 28), [l, s, l, s, s, l, s, s, l, l, s, l]),
        (1459, (2037, 2, 16), [l, l, s, l, s, s, l, s, s, l, l, s]),
        (1460, (2038, 2, 5), [l, l, s, l, s, l, s, l, s, s, l, l]),
        (1461, (2039, 1, 26), [s, l, s, l, l, s, l, s, l, s, l, s]),
        (1462, (2040, 1, 15), [l, s, l, s, l, s, l, s, l, l, s, l]),
        (1463, (2041, 1, 4), [s, l, s, s, l, s, l, l, s, l, l, s]),
        (1464, (2041, 12, 24), [l, s, l, s, s, l, s, l, s, l, l, l]),
        (1465, (2042, 12, 14), [s, l, s, l, s, s, l, s, s, l, l, l]),
        (1466, (2043, 12, 3), [l, s, l, s, l, s, s, l, s, l, s, l]),
        (1467, (2044, 11, 21), [l, s, l, l, s, l, s, s, l, s, l, s]),
        (1468, (2045, 11, 10), [l, s, l, l, s, l, s, l, s, l, s, l]),
        (1469, (2046, 10, 31), [s, s, l, l, s, l, l, s, l, l, s, s]),
        (1470, (2047, 10, 20), [l, s, s, l, l, s, l, s, l, l, l, s]),
        (1471, (2048, 10, 9), [s, l, s, s, l, s, l, l, s, l, l, s]),
        (1472, (2049, 9, 28), [l, s, l, s, l, s, s, l, s, l, l, s]),
        (1473, (2050, 9, 17), [l, s, l, l, s, l, s, s, l, s, l, s]),
        (1474, (2051, 9, 6), [l, l, s, l, l, s, l, s, s, l, s, l]),
        (1475, (2052, 8, 26), [s, l, s, l, l, l, s, l, s, s, l, s]),
        (1476, (2053, 8, 15), [s, l, s, l, l, l, s, l, l, s, s, l]),
        (1477, (2054, 8, 5), [s, s, l, s, l, l, s, l, l, l, s, s]),
        (1478, (2055, 7, 25), [l, s, s, l, s, l, l, s, l, l, s, l]),
        (1479, (2056, 7, 14), [s, l, s, s, l, s, l, s, l, l, s, l]),
        (1480, (2057, 7, 3), [s, l, l, s, s, l, s, l, s, l, s, l]),
        (1481, (2058, 6, 22), [s, l, l, s, l, l, s, l, s, s, l, s]),
        (1482, (2059, 6, 11), [l, s, l, l, s, l, l, s, l, s, s, l]),
        (1483, (2060, 5, 31), [s, s, l, l, s, l, l, l, s, l, s, s]),
        (1484, (2061, 5, 20), [l, s, s, l, l, s, l, l, s, l, l, s]),
        (1485, (2062, 5, 10), [s, l, s, s, l, l, s, l, s, l, l, l]),
        (1486, (2063, 4, 30), [s, s, l, s, l, s, l, s, l, s, l, l]),
        (1487, (2064, 4, 18), [s, l, s, l, s, l, s, s, l, s, l, l]),
        (1488, (2065, 4, 7), [s, l, l, s, l, s, l, s, s, l, s, l]),
        (1489, (2066, 3, 27), [s, l, l, l, s, l, s, l, s, s, l, s]),
        (1490, (2067, 3, 16), [l, s, l, l, s, l, l, s, l, s, s, l]),
        (1491, (2068, 3, 5), [s, l, s, l, s, l, l, s, l, s, l, l]),
        (1492, (2069, 2, 23), [s, s, l, s, l, s, l, s, l, l, s, l]),
        (1493, (2070, 2, 12), [l, s, s, l, s, l, s, s, l, l, s, l]),
        (1494, (2071, 2, 1), [l, l, s, s, l, s, s, l, s, l, s, l]),
        (1495, (2072, 1, 21), [l, l, s, l, s, l, s, s, l, s, l, s]),
        (1496, (2073, 1, 9), [l, l, l, s, l, s, l, s, s, l, s, l]),
        (1497, (2073, 12, 30), [s, l, l, s, l, l, s, s, l, s, l, s]),
        (1498, (2074, 12, 19), [l, s, l, s, l, l, s, l, s, l, s, l]),
        (1499, (2075, 12, 9), [s, l, s, l, s, l, s, l, s, l, l, s]),
        (1500, (2076, 11, 27), [l, l, s, s, l, s, s, l, s, l, l, l]),
    ]
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row is the year after the one before and starts the day after it ends, so the
    /// table has no gaps, and ICU4X accepts each (354 or 355 days, near the mean year start).
    #[test]
    fn years_follow_each_other() {
        let mut next_start = None;
        for (index, &(year, (g_year, g_month, g_day), month_lengths)) in YEARS.iter().enumerate() {
            assert_eq!(year, FIRST_YEAR + i32::try_from(index).expect("small"), "row {index}");
            let start =
                Date::try_new_gregorian(g_year, g_month, g_day).expect("date").to_rata_die();
            if let Some(next_start) = next_start {
                assert_eq!(start, next_start, "1 Muharram {year}");
            }
            assert!(published(year).is_some(), "ICU4X refuses the data of {year}");
            let n_long =
                i64::try_from(month_lengths.iter().filter(|&&l| l).count()).expect("small");
            next_start = Some(start + 12 * 29 + n_long);
        }
    }

    #[track_caller]
    fn check(gregorian: (i32, u8, u8), expect: (i32, u8, u8)) {
        let (year, month, day) = gregorian;
        let date = Date::try_new_gregorian(year, month, day).expect("date");
        let hijri = date.to_calendar(icu_calendar::cal::Hijri(KacstUmmAlQura));
        let got = (hijri.era_year().year, hijri.month().ordinal, hijri.day_of_month().0);
        assert_eq!(got, expect, "for {gregorian:?}");
    }

    /// Outside the table the years are ICU4X's, and they meet the table's without a gap or an
    /// overlap: ICU4X's 1419 AH ends the day before the table's 1420 starts, and its 1501 starts
    /// the day after the table's 1500 ends.
    #[test]
    fn table_meets_icu_at_both_ends() {
        check((1999, 4, 16), (1419, 12, 29));
        check((1999, 4, 17), (1420, 1, 1));
        check((2077, 11, 16), (1500, 12, 30));
        check((2077, 11, 17), (1501, 1, 1));
        assert_eq!(KacstUmmAlQura.year_data(1419), UmmAlQura::default().year_data(1419));
        assert_eq!(KacstUmmAlQura.year_data(1501), UmmAlQura::default().year_data(1501));
    }
}
