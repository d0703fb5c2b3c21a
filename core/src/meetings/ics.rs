//! A meeting as an iCalendar file (RFC 5545) for the members' calendars.
//!
//! The icalendar crate writes the event with `DTSTART;TZID=Europe/Stockholm`
//! but no VTIMEZONE block, which calendars need to read the local time
//! right; the block for the zone is inserted as static text (the three
//! Nordic zones follow the EU rule: CET, summer time from the last Sunday
//! of March to the last Sunday of October).

use std::path::Path;

use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use super::Meeting;
use crate::error::Result;
use crate::store::Store;

/// The VTIMEZONE block for `tzid` (one of [`super::TIME_ZONES`]).
fn vtimezone(tzid: &str) -> String {
    [
        "BEGIN:VTIMEZONE",
        &format!("TZID:{tzid}"),
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "TZNAME:CET",
        "END:STANDARD",
        "BEGIN:DAYLIGHT",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "TZNAME:CEST",
        "END:DAYLIGHT",
        "END:VTIMEZONE",
        "",
    ]
    .join("\r\n")
}

/// The parts that are not empty, trimmed, joined with `sep`.
fn joined(parts: &[&str], sep: &str) -> String {
    parts
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// `s` as an iCalendar TEXT value (RFC 5545 3.3.11): backslash, `;`, `,`
/// and line breaks escaped; other control characters left out. The
/// icalendar crate escapes the event's own texts but writes a calendar's
/// name as it is given.
fn text_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The icalendar crate escapes `;`, `,` and line breaks in an event's texts
/// but not the backslash itself, so a title's `a\b` would read as an escape.
fn backslashes(s: &str) -> String {
    s.replace('\\', "\\\\")
}

/// The calendar text of meeting `m` held by `org`.
pub fn calendar(m: &Meeting, org: &str) -> String {
    let calname = text_value(&format!("{org}: {}", m.details.title));
    let tz: chrono_tz::Tz = m
        .details
        .time_zone
        .parse()
        .unwrap_or(chrono_tz::Europe::Stockholm);
    let mut event = Event::new();
    event
        .uid(&m.uid)
        .summary(&backslashes(&m.details.title))
        .starts((m.details.starts, tz))
        .status(EventStatus::Confirmed);
    if let Some(e) = m.details.ends {
        event.ends((e, tz));
    }
    let location = joined(&[&m.details.venue, &m.details.online_link], ", ");
    if !location.is_empty() {
        event.location(&backslashes(&location));
    }
    if !m.details.online_link.trim().is_empty() {
        event.url(m.details.online_link.trim());
    }
    let description = joined(&[&m.details.agenda, &m.details.note], "\n\n");
    if !description.is_empty() {
        event.description(&backslashes(&description));
    }
    let mut cal = Calendar::empty();
    for (k, v) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//Medlem//Medlem//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        cal.append_property(Property::new(k, v));
    }
    cal.name(&calname);
    cal.push(event.done());
    let text = cal.to_string();
    // The event's own BEGIN line: a title that says "BEGIN:VEVENT" is
    // escaped text inside another line (a folded line starts with a space).
    match text.find("\r\nBEGIN:VEVENT\r\n") {
        Some(at) => {
            let at = at + 2;
            format!("{}{}{}", &text[..at], vtimezone(tz.name()), &text[at..])
        }
        None => text,
    }
}

/// Writes the calendar file of meeting `id` to `out` (whole or not at all).
pub fn write(store: &dyn Store, id: i64, out: &Path) -> Result<()> {
    let m = store.meetings().meeting(id)?;
    let org = store.org_or_err()?;
    crate::letters::write_file(out, calendar(&m, &org.name).as_bytes())
}
