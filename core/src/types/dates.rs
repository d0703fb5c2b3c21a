//! Dates and times: the one date parser, today and now, a moment as a
//! [`Timestamp`], and a date as a letter writes it. Stored dates are ISO
//! text (`YYYY-MM-DD`); a timestamp becomes RFC 3339 text (UTC, seconds)
//! only at the edges: in the store, in JSON, in a file.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, SubsecRound, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Language;

/// Why a written date is not a date: not written as one, no such month,
/// no such day in that month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    Form,
    Month,
    Day,
}

/// Reads a date as people write it in Sweden, Denmark, Norway and in
/// English: `2027-03-16` (year first), or day first `16.3.2027`,
/// `16/03/2027`, `16-03-2027`; surrounding spaces allowed. Every date that
/// reaches core as text is read here; import also reads the other ways
/// spreadsheets write dates (`import::values`) and then comes here too.
pub fn read_date(s: &str) -> Result<NaiveDate, DateProblem> {
    let (year, month, day) = iso_parts(s.as_bytes())
        .or_else(|| date_parts(s.trim()))
        .ok_or(DateProblem::Form)?;
    if !(1..=12).contains(&month) {
        return Err(DateProblem::Month);
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateProblem::Day)
}

/// (year, month, day) of exactly `YYYY-MM-DD`, as the store and the banks
/// write a day: read directly, since a book export or a bank file reads
/// hundreds of thousands of them.
pub(crate) fn iso_parts(b: &[u8]) -> Option<(i32, u32, u32)> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    Some((num(0..4)? as i32, num(5..7)?, num(8..10)?))
}

/// [`read_date`], without the reason.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    read_date(s).ok()
}

/// (year, month, day) of `2027-03-16`, `16.3.2027`, `16/3/2027` or
/// `16-3-2027`: digits only, a four-digit year, one or two digits for the
/// month and the day.
fn date_parts(s: &str) -> Option<(i32, u32, u32)> {
    // ISO 8601's signed years beyond 9999 (`+200000-12-01`), as chrono writes them.
    if let Some(rest) = s.strip_prefix(['+', '-']) {
        let (year, md) = rest.split_once('-')?;
        let (m, d) = md.split_once('-')?;
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if year.len() < 4
            || !all_digits(year)
            || !all_digits(m)
            || !all_digits(d)
            || m.len() > 2
            || d.len() > 2
        {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        let sign = if s.starts_with('-') { -1 } else { 1 };
        return Some((sign * year, m.parse().ok()?, d.parse().ok()?));
    }
    let sep = s.chars().find(|c| !c.is_ascii_digit())?;
    if !matches!(sep, '-' | '.' | '/') {
        return None;
    }
    let mut parts = s.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let num = |p: &str, max_len: usize| -> Option<u32> {
        if p.is_empty() || p.len() > max_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        p.parse().ok()
    };
    if a.len() == 4 && sep == '-' {
        Some((num(a, 4)? as i32, num(b, 2)?, num(c, 2)?))
    } else if c.len() == 4 {
        Some((num(c, 4)? as i32, num(b, 2)?, num(a, 2)?))
    } else {
        None
    }
}

/// Reads a local wall-clock time: a date as [`read_date`] reads it, a space
/// or `T`, and `18:00` (seconds allowed): `2027-03-16 18:00`, `16.3.2027 18:00`.
pub fn parse_local_time(s: &str) -> Option<NaiveDateTime> {
    let (date, time) = s.trim().split_once([' ', 'T'])?;
    let date = parse_date(date)?;
    let time = ["%H:%M", "%H:%M:%S"]
        .iter()
        .find_map(|f| chrono::NaiveTime::parse_from_str(time.trim(), f).ok())?;
    Some(date.and_time(time))
}

/// Why the date part of a local time (`2027-13-16 18:00`) is not a date;
/// `Form` when there is no date part to blame.
pub fn local_time_problem(s: &str) -> DateProblem {
    match s.trim().split_once([' ', 'T']).map(|(d, _)| read_date(d)) {
        Some(Err(p)) => p,
        _ => DateProblem::Form,
    }
}

/// A moment in time, to the second. Compared as time, never as text;
/// written as RFC 3339 in UTC (`2027-03-16T17:00:00Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// The moment as this computer's clock shows it: `2027-03-16 18:05`.
    pub fn local_text(&self) -> String {
        self.0
            .with_timezone(&chrono::Local)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    /// Reads RFC 3339 (any offset; kept as UTC). The form Medlem writes
    /// (`2027-03-16T17:00:00Z`) is read directly: lists read thousands.
    pub fn parse(s: &str) -> Option<Timestamp> {
        let s = s.trim();
        if let Some(t) = parse_utc_seconds(s.as_bytes()) {
            return Some(t);
        }
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| Timestamp(t.with_timezone(&Utc).trunc_subsecs(0)))
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` exactly, else `None`.
fn parse_utc_seconds(b: &[u8]) -> Option<Timestamp> {
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
    let time = date.and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)?;
    Some(Timestamp(time.and_utc()))
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::{Datelike, Timelike};
        let t = self.0;
        if (0..=9999).contains(&t.year()) {
            // Digit by digit: every row a bank file books writes the time
            // several times, and `write!` with padding cost a tenth of a
            // second per 100 000.
            let mut b = *b"0000-00-00T00:00:00Z";
            let mut put = |at: usize, width: usize, mut n: u32| {
                for i in (at..at + width).rev() {
                    b[i] = b'0' + (n % 10) as u8;
                    n /= 10;
                }
            };
            put(0, 4, t.year() as u32);
            put(5, 2, t.month());
            put(8, 2, t.day());
            put(11, 2, t.hour());
            put(14, 2, t.minute());
            put(17, 2, t.second());
            f.write_str(std::str::from_utf8(&b).map_err(|_| fmt::Error)?)
        } else {
            f.write_str(&t.to_rfc3339_opts(SecondsFormat::Secs, true))
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).ok_or_else(|| serde::de::Error::custom("not an RFC 3339 time"))
    }
}

/// Now, to the second.
pub fn now() -> Timestamp {
    Timestamp(Utc::now().trunc_subsecs(0))
}

/// Today on this computer's calendar.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A date as a letter writes it in `language`.
pub fn date_text(date: NaiveDate, language: Language) -> String {
    use chrono::Datelike;
    // The months of each language, as a person writes them in a date.
    let months = match language {
        Language::Sv => {
            "januari februari mars april maj juni juli augusti september oktober november december"
        }
        Language::Da => {
            "januar februar marts april maj juni juli august september oktober november december"
        }
        Language::Nb => {
            "januar februar mars april mai juni juli august september oktober november desember"
        }
        Language::En => {
            "January February March April May June July August September October November December"
        }
    };
    let month = months
        .split(' ')
        .nth(date.month0() as usize)
        .unwrap_or_default();
    match language {
        Language::Sv | Language::En => format!("{} {month} {}", date.day(), date.year()),
        Language::Da | Language::Nb => format!("{}. {month} {}", date.day(), date.year()),
    }
}
