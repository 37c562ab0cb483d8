//! Calendar dates of front matter (`YYYY-MM-DD`, optionally with a time) and
//! their long French/English forms.

use std::fmt;

use crate::i18n::Lang;

/// A validated calendar date with an optional time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    date: time::Date,
    time: Option<(u8, u8, u8)>,
}

impl Date {
    /// Parses `2020-04-16`, `2020-04-16 10:30`, `2020-04-16T10:30:00` (a
    /// trailing `Z` or offset is accepted and ignored). `None` when the text is
    /// not such a date or the day does not exist (`2020-02-30`).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        let (day_part, time_part) = match text.find(['T', ' ', 't']) {
            Some(i) => (&text[..i], Some(text[i + 1..].trim())),
            None => (text, None),
        };
        let mut parts = day_part.splitn(3, '-');
        let year = parse_digits(parts.next()?, 4)?;
        let month = parse_digits(parts.next()?, 2)?;
        let day = parse_digits(parts.next()?, 2)?;
        let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
        let date = time::Date::from_calendar_date(
            i32::try_from(year).ok()?,
            month,
            u8::try_from(day).ok()?,
        )
        .ok()?;
        let time = match time_part {
            None => None,
            Some(t) => Some(parse_time(t)?),
        };
        Some(Date { date, time })
    }

    /// Today in UTC; `VITRINE_TODAY=YYYY-MM-DD` overrides it so tests and
    /// previews of future publication rules are reproducible.
    pub fn today() -> Date {
        if let Some(d) = std::env::var("VITRINE_TODAY")
            .ok()
            .and_then(|v| Date::parse(v.trim()))
        {
            return d;
        }
        let date = time::OffsetDateTime::now_utc().date();
        Date { date, time: None }
    }

    /// `VITRINE_TODAY` as set when it is not a day (`2026-13-01`,
    /// `15/01/2026`): checked once at start, since [`Date::today`] would
    /// otherwise fall back to the real date without a word.
    pub fn bad_today_override() -> Option<String> {
        let value = std::env::var("VITRINE_TODAY").ok()?;
        let day = Date::parse(value.trim()).filter(|d| d.time.is_none());
        (!value.trim().is_empty() && day.is_none()).then_some(value)
    }

    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        let month = time::Month::try_from(month).ok()?;
        let date = time::Date::from_calendar_date(year, month, day).ok()?;
        Some(Date { date, time: None })
    }

    pub fn year(&self) -> i32 {
        self.date.year()
    }

    /// The calendar day, without the time.
    pub fn day_only(&self) -> Date {
        Date {
            date: self.date,
            time: None,
        }
    }

    /// Number of days from `self` to `other` (negative when `other` is earlier).
    pub fn days_until(&self, other: &Date) -> i64 {
        (other.date - self.date).whole_days()
    }

    /// The date shifted by `days`.
    pub fn plus_days(&self, days: i64) -> Date {
        let date = self
            .date
            .checked_add(time::Duration::days(days))
            .unwrap_or(self.date);
        Date { date, time: None }
    }

    /// The same calendar day `years` later (29 February becomes 28).
    pub fn plus_years(&self, years: i32) -> Date {
        let year = self.date.year() + years;
        let date = self
            .date
            .replace_year(year)
            .or_else(|_| self.date.replace_day(28).and_then(|d| d.replace_year(year)))
            .unwrap_or(self.date);
        Date { date, time: None }
    }

    /// RFC 3339 timestamp as feeds and sitemaps want it (`2020-04-16T00:00:00Z`).
    pub fn rfc3339(&self) -> String {
        let (h, m, s) = self.time.unwrap_or((0, 0, 0));
        format!("{}T{h:02}:{m:02}:{s:02}Z", self.iso_day())
    }

    /// `2020-04-16`.
    pub fn iso_day(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.date.year(),
            u8::from(self.date.month()),
            self.date.day()
        )
    }

    /// « 16 avril 2020 », « 1er mai 2021 » in French, "16 April 2020" in English.
    pub fn long(&self, lang: Lang) -> String {
        let day = self.date.day();
        let year = self.date.year();
        let month = crate::i18n::month_name(lang, u8::from(self.date.month()));
        match lang {
            Lang::Fr if day == 1 => format!("1er\u{a0}{month}\u{a0}{year}"),
            Lang::Fr => format!("{day}\u{a0}{month}\u{a0}{year}"),
            Lang::En => format!("{day} {month} {year}"),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.time {
            None => f.write_str(&self.iso_day()),
            Some((h, m, s)) => write!(f, "{}T{h:02}:{m:02}:{s:02}", self.iso_day()),
        }
    }
}

fn parse_digits(text: &str, len: usize) -> Option<u32> {
    if text.len() != len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn parse_time(text: &str) -> Option<(u8, u8, u8)> {
    // Offsets are accepted for compatibility with Hugo/Zola front matter but
    // ignored: a publication date is a calendar fact, not an instant.
    let text = text.trim_end_matches(['Z', 'z']);
    let text = match text.find(['+', '-']) {
        Some(i) => &text[..i],
        None => text,
    };
    let text = text.split('.').next().unwrap_or(text);
    let mut parts = text.split(':');
    let h = parse_digits(parts.next()?, 2)?;
    let m = parse_digits(parts.next()?, 2)?;
    let s = match parts.next() {
        Some(s) => parse_digits(s, 2)?,
        None => 0,
    };
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some((h as u8, m as u8, s as u8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_days_and_times() {
        assert_eq!(
            Date::parse("2020-04-16").map(|d| d.to_string()),
            Some("2020-04-16".into())
        );
        assert_eq!(
            Date::parse("2020-04-16 10:30").map(|d| d.to_string()),
            Some("2020-04-16T10:30:00".into())
        );
        assert_eq!(
            Date::parse("2020-04-16T10:30:05+02:00").map(|d| d.rfc3339()),
            Some("2020-04-16T10:30:05Z".into())
        );
    }

    #[test]
    fn rejects_impossible_dates() {
        for bad in [
            "2020-02-30",
            "2021-02-29",
            "2020-13-01",
            "20-01-01",
            "2020/01/01",
            "",
            "hier",
            "2020-01-01 25:00",
        ] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
        assert!(Date::parse("2020-02-29").is_some());
    }

    #[test]
    fn long_forms() {
        let d = Date::parse("2020-04-16").unwrap();
        assert_eq!(d.long(Lang::Fr), "16\u{a0}avril\u{a0}2020");
        assert_eq!(d.long(Lang::En), "16 April 2020");
        let first = Date::parse("2021-05-01").unwrap();
        assert_eq!(first.long(Lang::Fr), "1er\u{a0}mai\u{a0}2021");
    }

    #[test]
    fn day_arithmetic() {
        let d = Date::parse("2020-12-31").unwrap();
        assert_eq!(d.plus_days(1).to_string(), "2021-01-01");
        assert_eq!(d.days_until(&d.plus_days(60)), 60);
    }
}
