//! Dates as Japanese public documents print them: 和暦 with 西暦 beside it,
//! and the fiscal year (年度, April to March).

use chrono::{Datelike, NaiveDate};

/// "令和8年11月22日 (2026-11-22)"; 令和 from 2019-05-01, 平成 before it.
/// The first year of an era is written 元年, as on official documents.
#[must_use]
pub fn format_date(date: NaiveDate) -> String {
    format!("{}{}月{}日 ({})", era_year(date), date.month(), date.day(), date.format("%Y-%m-%d"))
}

/// "令和8年" for a date, "令和元年" in the first year of an era.
#[must_use]
pub fn era_year(date: NaiveDate) -> String {
    let reiwa_start = NaiveDate::from_ymd_opt(2019, 5, 1);
    let heisei_start = NaiveDate::from_ymd_opt(1989, 1, 8);
    let (era, first_year) = if reiwa_start.is_some_and(|s| date >= s) {
        ("令和", 2019)
    } else if heisei_start.is_some_and(|s| date >= s) {
        ("平成", 1989)
    } else {
        ("昭和", 1926)
    };
    match date.year() - first_year + 1 {
        1 => format!("{era}元年"),
        n => format!("{era}{n}年"),
    }
}

/// The fiscal year (年度) a date falls in, as the calendar year it starts in.
#[must_use]
pub fn fiscal_year(date: NaiveDate) -> i32 {
    if date.month() >= 4 { date.year() } else { date.year() - 1 }
}

/// "令和15年度" for fiscal year 2033.
#[must_use]
pub fn fiscal_year_label(fiscal_year: i32) -> String {
    let reiwa = fiscal_year - 2018;
    if reiwa == 1 { "令和元年度".to_owned() } else { format!("令和{reiwa}年度") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn formats_reiwa_with_gregorian() {
        assert_eq!(format_date(d(2026, 11, 22)), "令和8年11月22日 (2026-11-22)");
        assert_eq!(format_date(d(2019, 5, 1)), "令和元年5月1日 (2019-05-01)");
        assert_eq!(format_date(d(2019, 4, 30)), "平成31年4月30日 (2019-04-30)");
    }

    #[test]
    fn fiscal_years_start_in_april() {
        assert_eq!(fiscal_year(d(2027, 3, 31)), 2026);
        assert_eq!(fiscal_year(d(2027, 4, 1)), 2027);
        assert_eq!(fiscal_year_label(2033), "令和15年度");
    }
}
