//! Meetings and invitations (issue 6): member meetings, annual general
//! meetings, workplace meetings, webinars, socials and courses; who is
//! invited and how, their replies, seats and the waiting list
//! ([`seats`], pure), attendance, calendar files ([`ics`]), the statutes of
//! an annual general meeting ([`agm`]) and the letters (the notices engine
//! with `meeting.*` merge fields, see [`fields`]).
//!
//! A meeting's time is stored as local wall-clock time with its time zone
//! (Europe/Stockholm, Europe/Copenhagen or Europe/Oslo) and shown as such.

pub mod agm;
pub mod fields;
pub mod ics;
pub mod seats;

use std::collections::{BTreeSet, HashMap};

use chrono::{Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::sqlite::SqliteRegister;
use crate::store::Register;
use crate::types::dates::{now, parse_date, parse_local_time as parse_datetime, today};
use crate::types::{string_enum, Kind, RoleKind, Status};
use seats::{Overflow, Place, SeatError, Seats};

string_enum!(
    /// What kind of meeting.
    MeetingKind {
        MemberMeeting = "member_meeting",
        AnnualGeneralMeeting = "annual_general_meeting",
        WorkplaceMeeting = "workplace_meeting",
        Webinar = "webinar",
        Social = "social",
        Course = "course",
    }
);

string_enum!(
    /// How a person was invited.
    How { Letter = "letter", Email = "email" }
);

string_enum!(
    /// How often a repeated meeting comes back.
    Every {
        Week = "week",
        Month = "month",
        Quarter = "quarter",
        Year = "year",
    }
);

/// The time zones a meeting can be in.
pub const TIME_ZONES: &[&str] = &["Europe/Stockholm", "Europe/Copenhagen", "Europe/Oslo"];

/// The longest capacity Medlem accepts (a typo guard, not a policy).
const MAX_CAPACITY: i64 = 100_000;
/// How many meetings one repeat may create.
const MAX_REPEAT: u32 = 52;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    pub id: i64,
    pub kind: MeetingKind,
    pub title: String,
    /// Local time in `time_zone`.
    pub starts: NaiveDateTime,
    pub ends: Option<NaiveDateTime>,
    pub time_zone: String,
    pub venue: String,
    pub online_link: String,
    pub capacity: Option<u32>,
    pub agenda: String,
    pub branch_id: Option<i64>,
    pub branch_name: Option<String>,
    pub workplace_id: Option<i64>,
    pub workplace_name: Option<String>,
    pub reply_by: Option<NaiveDate>,
    pub guests_allowed: bool,
    pub note: String,
    pub series_id: Option<i64>,
    pub voters_cutoff: Option<NaiveDate>,
    pub uid: String,
}

/// A meeting as typed into the form or the CLI: text until checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MeetingInput {
    pub kind: String,
    pub title: String,
    /// `YYYY-MM-DD HH:MM` (or with `T`).
    pub starts: String,
    /// A full date and time, or only `HH:MM` on the day it starts; empty:
    /// no end given.
    pub ends: String,
    /// Empty: the organisation's country's zone.
    pub time_zone: String,
    pub venue: String,
    pub online_link: String,
    pub capacity: Option<i64>,
    pub agenda: String,
    pub branch_id: Option<i64>,
    pub workplace_id: Option<i64>,
    pub reply_by: String,
    pub guests_allowed: bool,
    pub note: String,
}

/// One line of the meeting list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingRow {
    pub id: i64,
    pub kind: MeetingKind,
    pub title: String,
    pub starts: NaiveDateTime,
    pub time_zone: String,
    pub capacity: Option<u32>,
    pub invited: i64,
    pub seated: i64,
    pub waiting: i64,
}

/// Who to invite. The filters select members (not prospects) matching all
/// of them; `status` defaults to active. `memberIds` adds hand-picked
/// people, members or (as guests) prospects. `guests` adds the prospects
/// at the meeting's (or the filter's) workplace.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InviteSelection {
    pub status: Option<Status>,
    pub branch_id: Option<i64>,
    pub workplace_id: Option<i64>,
    pub role: Option<RoleKind>,
    pub member_ids: Vec<i64>,
    /// Only the hand-picked (no filter selection).
    pub only_picked: bool,
    pub guests: bool,
    /// `letter` (default) or `email`; with `email`, people without an
    /// address are invited by letter.
    pub how: Option<How>,
}

/// What an invitation run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InviteSummary {
    /// Newly invited by this run.
    pub invited: usize,
    /// Of them, guests (prospects).
    pub guests: usize,
    /// Selected but invited before.
    pub already: usize,
    /// Everyone invited to the meeting now.
    pub total: usize,
    pub by_letter: usize,
    pub by_email: usize,
    pub warnings: Vec<agm::Warning>,
}

/// A person and their place, for lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    pub member_id: i64,
    pub number: String,
    pub name: String,
}

/// An invited person and everything about their invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitee {
    pub member_id: i64,
    pub number: String,
    pub name: String,
    pub kind: Kind,
    pub guest: bool,
    pub how: How,
    pub invited_at: String,
    pub letter_at: Option<String>,
    pub reply: Option<String>,
    pub replied_at: Option<String>,
    /// `seated`, `waiting`, `declined` or `no_reply`.
    pub place: String,
    /// 1-based position on the waiting list.
    pub position: Option<usize>,
    pub promoted: bool,
    pub attended: bool,
}

/// What a reply did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplyOutcome {
    /// `seated`, `waiting`, `declined`.
    pub place: String,
    pub position: Option<usize>,
    /// Who got a seat from the waiting list because of this reply.
    pub promoted: Vec<Person>,
    pub overview: Overview,
}

/// The meeting at a glance: the window's seat panel and `meeting show`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub meeting: Meeting,
    pub invited: usize,
    pub guests: usize,
    pub by_letter: usize,
    pub by_email: usize,
    pub letters_printed: usize,
    pub yes: usize,
    pub no: usize,
    pub no_reply: usize,
    pub seats_taken: usize,
    /// None: no limit.
    pub seats_left: Option<usize>,
    /// In order: the first gets the next free seat.
    pub waiting: Vec<Person>,
    /// Got a seat from the waiting list, not yet sent a letter.
    pub promoted: Vec<Person>,
    pub attended: usize,
    /// Annual general meetings: the voter roll and the quorum.
    pub voters: Option<agm::VoterStatus>,
    /// Annual general meetings: producing invitations today would be outside
    /// the statutes' notice period.
    pub notice: Option<agm::Warning>,
}

// ---------------------------------------------------------------- checking

/// The local time exists in the zone (not skipped by a daylight saving
/// change).
fn exists_in(tz: &str, t: NaiveDateTime) -> bool {
    tz.parse::<chrono_tz::Tz>()
        .ok()
        .is_some_and(|z| z.from_local_datetime(&t).earliest().is_some())
}

/// A link a letter may print and a calendar may open: http(s) only.
fn valid_link(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > 8
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

struct Checked {
    kind: MeetingKind,
    title: String,
    starts: NaiveDateTime,
    ends: Option<NaiveDateTime>,
    time_zone: String,
    capacity: Option<u32>,
    reply_by: Option<NaiveDate>,
}

fn check(reg: &SqliteRegister, input: &MeetingInput) -> Result<Checked> {
    let mut errors = Vec::new();
    let mut fail = |field: &str, code| errors.push(FieldError::new(field, code));
    let kind = MeetingKind::parse(input.kind.trim());
    if kind.is_none() {
        fail("kind", FieldCode::InvalidChoice);
    }
    let title = input.title.trim().to_owned();
    if title.is_empty() {
        fail("title", FieldCode::Required);
    } else if title.chars().count() > 200 {
        fail("title", FieldCode::TooLong);
    }
    let time_zone = if input.time_zone.trim().is_empty() {
        match reg.org_or_err()?.country.as_str() {
            "DK" => "Europe/Copenhagen",
            "NO" => "Europe/Oslo",
            _ => "Europe/Stockholm",
        }
        .to_owned()
    } else {
        input.time_zone.trim().to_owned()
    };
    if !TIME_ZONES.contains(&time_zone.as_str()) {
        fail("timeZone", FieldCode::InvalidChoice);
    }
    let starts = if input.starts.trim().is_empty() {
        fail("starts", FieldCode::Required);
        None
    } else {
        let t = parse_datetime(&input.starts);
        if t.is_none_or(|t| !exists_in(&time_zone, t) && TIME_ZONES.contains(&time_zone.as_str())) {
            fail("starts", FieldCode::InvalidDate);
        }
        t
    };
    let ends = if input.ends.trim().is_empty() {
        None
    } else {
        let time = NaiveTime::parse_from_str(input.ends.trim(), "%H:%M").ok();
        let t = parse_datetime(&input.ends).or_else(|| Some(starts?.date().and_time(time?)));
        match t {
            // A time of day alone is checked once the start is right.
            None if time.is_some() => {}
            None => fail("ends", FieldCode::InvalidDate),
            Some(t) if starts.is_some_and(|s| t < s) => fail("ends", FieldCode::DateOrder),
            _ => {}
        }
        t
    };
    let capacity = match input.capacity {
        None => None,
        Some(c) if (0..=MAX_CAPACITY).contains(&c) => Some(c as u32),
        Some(_) => {
            fail("capacity", FieldCode::InvalidNumber);
            None
        }
    };
    let reply_by = if input.reply_by.trim().is_empty() {
        None
    } else {
        let d = parse_date(&input.reply_by);
        match d {
            None => fail("replyBy", FieldCode::InvalidDate),
            Some(d) if starts.is_some_and(|s| d > s.date()) => {
                fail("replyBy", FieldCode::DateOrder)
            }
            _ => {}
        }
        d
    };
    for (field, text, max) in [
        ("venue", &input.venue, 300),
        ("agenda", &input.agenda, 10_000),
        ("note", &input.note, 5_000),
        ("onlineLink", &input.online_link, 500),
    ] {
        if text.chars().count() > max {
            fail(field, FieldCode::TooLong);
        }
    }
    if !input.online_link.trim().is_empty() && !valid_link(&input.online_link) {
        fail("onlineLink", FieldCode::InvalidLink);
    }
    let conn = reg.connection();
    let exists = |sql: &str, id: i64| -> Result<bool> {
        Ok(conn.query_row(sql, [id], |_| Ok(())).optional()?.is_some())
    };
    if let Some(b) = input.branch_id {
        if !exists("SELECT 1 FROM branches WHERE id = ?1", b)? {
            errors.push(FieldError::new("branchId", FieldCode::InvalidChoice));
        }
    }
    if let Some(w) = input.workplace_id {
        if !exists("SELECT 1 FROM workplaces WHERE id = ?1", w)? {
            errors.push(FieldError::new("workplaceId", FieldCode::InvalidChoice));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let (Some(kind), Some(starts)) = (kind, starts) else {
        return Err(Error::field("starts", FieldCode::Required));
    };
    Ok(Checked {
        kind,
        title,
        starts,
        ends,
        time_zone,
        capacity,
        reply_by,
    })
}

// ---------------------------------------------------------------- store

const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M";

const MEETING_COLUMNS: &str = "m.id, m.kind, m.title, m.starts_at, m.ends_at, m.time_zone, \
     m.venue, m.online_link, m.capacity, m.agenda, m.branch_id, b.name, m.workplace_id, w.name, \
     m.reply_by, m.guests_allowed, m.note, m.series_id, m.voters_cutoff, m.uid \
     FROM meetings m LEFT JOIN branches b ON b.id = m.branch_id \
     LEFT JOIN workplaces w ON w.id = m.workplace_id";

fn time_col(r: &Row, i: usize) -> rusqlite::Result<Option<NaiveDateTime>> {
    let s: Option<String> = r.get(i)?;
    Ok(s.and_then(|s| NaiveDateTime::parse_from_str(&s, TIME_FORMAT).ok()))
}

fn date_col(r: &Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let s: Option<String> = r.get(i)?;
    Ok(s.and_then(|s| parse_date(&s)))
}

fn meeting_from_row(r: &Row) -> rusqlite::Result<Meeting> {
    let kind: String = r.get(1)?;
    let capacity: Option<i64> = r.get(8)?;
    Ok(Meeting {
        id: r.get(0)?,
        kind: MeetingKind::parse(&kind).unwrap_or(MeetingKind::MemberMeeting),
        title: r.get(2)?,
        starts: time_col(r, 3)?.unwrap_or_default(),
        ends: time_col(r, 4)?,
        time_zone: r.get(5)?,
        venue: r.get(6)?,
        online_link: r.get(7)?,
        capacity: capacity.map(|c| c as u32),
        agenda: r.get(9)?,
        branch_id: r.get(10)?,
        branch_name: r.get(11)?,
        workplace_id: r.get(12)?,
        workplace_name: r.get(13)?,
        reply_by: date_col(r, 14)?,
        guests_allowed: r.get(15)?,
        note: r.get(16)?,
        series_id: r.get(17)?,
        voters_cutoff: date_col(r, 18)?,
        uid: r.get(19)?,
    })
}

fn load(conn: &rusqlite::Connection, id: i64) -> Result<Meeting> {
    conn.query_row(
        &format!("SELECT {MEETING_COLUMNS} WHERE m.id = ?1"),
        [id],
        meeting_from_row,
    )
    .optional()?
    .ok_or(Error::NotFound("meeting"))
}

/// The meeting `id`.
pub fn get(reg: &SqliteRegister, id: i64) -> Result<Meeting> {
    load(reg.connection(), id)
}

/// Every meeting, the next first, then the past ones latest first.
pub fn list(reg: &SqliteRegister) -> Result<Vec<MeetingRow>> {
    let mut stmt = reg.connection().prepare(
        "SELECT m.id, m.kind, m.title, m.starts_at, m.time_zone, m.capacity, \
         (SELECT count(*) FROM invitations i WHERE i.meeting_id = m.id), \
         (SELECT count(*) FROM invitations i WHERE i.meeting_id = m.id AND i.seat = 'seated'), \
         (SELECT count(*) FROM invitations i WHERE i.meeting_id = m.id AND i.seat = 'waiting') \
         FROM meetings m \
         ORDER BY m.starts_at < ?1, CASE WHEN m.starts_at < ?1 THEN NULL ELSE m.starts_at END, \
         m.starts_at DESC, m.id",
    )?;
    let today = format!("{}T00:00", today());
    let rows = stmt.query_map([today], |r| {
        let kind: String = r.get(1)?;
        let capacity: Option<i64> = r.get(5)?;
        Ok(MeetingRow {
            id: r.get(0)?,
            kind: MeetingKind::parse(&kind).unwrap_or(MeetingKind::MemberMeeting),
            title: r.get(2)?,
            starts: time_col(r, 3)?.unwrap_or_default(),
            time_zone: r.get(4)?,
            capacity: capacity.map(|c| c as u32),
            invited: r.get(6)?,
            seated: r.get(7)?,
            waiting: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn new_uid(tx: &Transaction) -> Result<String> {
    // Unique per register and stable for the meeting: calendars update the
    // event when the file is imported again.
    let n: i64 = tx.query_row("SELECT ifnull(max(id), 0) + 1 FROM meetings", [], |r| {
        r.get(0)
    })?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.f");
    Ok(format!("{stamp}-{n}@medlem"))
}

/// The columns a meeting's form sets, in the order of [`form_values`].
const FORM_COLUMNS: &str = "kind, title, starts_at, ends_at, time_zone, venue, online_link, \
     capacity, agenda, branch_id, workplace_id, reply_by, guests_allowed, note";

fn form_values(c: &Checked, input: &MeetingInput) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value;
    let text = |s: &str| Value::Text(s.to_owned());
    let opt = |s: Option<String>| s.map_or(Value::Null, Value::Text);
    let id = |i: Option<i64>| i.map_or(Value::Null, Value::Integer);
    vec![
        text(c.kind.as_str()),
        text(&c.title),
        text(&c.starts.format(TIME_FORMAT).to_string()),
        opt(c.ends.map(|t| t.format(TIME_FORMAT).to_string())),
        text(&c.time_zone),
        text(input.venue.trim()),
        text(input.online_link.trim()),
        id(c.capacity.map(i64::from)),
        text(input.agenda.trim_end()),
        id(input.branch_id),
        id(input.workplace_id),
        opt(c.reply_by.map(|d| d.to_string())),
        Value::Integer(input.guests_allowed as i64),
        text(input.note.trim_end()),
    ]
}

/// `?1, ?2, ... ?n`
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn insert(tx: &Transaction, c: &Checked, input: &MeetingInput, series: Option<i64>) -> Result<i64> {
    let at = now();
    let mut values = form_values(c, input);
    values.extend([
        series.map_or(
            rusqlite::types::Value::Null,
            rusqlite::types::Value::Integer,
        ),
        rusqlite::types::Value::Text(new_uid(tx)?),
        rusqlite::types::Value::Text(at.clone()),
        rusqlite::types::Value::Text(at),
    ]);
    tx.execute(
        &format!(
            "INSERT INTO meetings ({FORM_COLUMNS}, series_id, uid, created_at, updated_at) \
             VALUES ({})",
            placeholders(values.len())
        ),
        rusqlite::params_from_iter(values),
    )?;
    Ok(tx.last_insert_rowid())
}

/// Creates a meeting.
pub fn create(reg: &mut SqliteRegister, input: &MeetingInput) -> Result<Meeting> {
    let c = check(reg, input)?;
    let tx = reg.connection_mut().transaction()?;
    let id = insert(&tx, &c, input, None)?;
    tx.commit()?;
    get(reg, id)
}

/// Changes a meeting. A capacity below the seats taken is refused
/// (`capacity` below_seated) unless `overflow` says the latest seated go
/// back to the front of the waiting list; a higher one seats the first who
/// wait.
pub fn update(
    reg: &mut SqliteRegister,
    id: i64,
    input: &MeetingInput,
    overflow: Overflow,
) -> Result<Meeting> {
    let c = check(reg, input)?;
    let tx = reg.connection_mut().transaction()?;
    let before = load(&tx, id)?;
    if before.capacity != c.capacity {
        let mut s = load_seats(&tx, id, before.capacity, None)?;
        let old = s.clone();
        s.set_capacity(c.capacity, overflow).map_err(seat_error)?;
        save_seats(&tx, id, &old, &s)?;
    }
    let mut values = form_values(&c, input);
    values.push(rusqlite::types::Value::Text(now()));
    values.push(rusqlite::types::Value::Integer(id));
    let n = values.len();
    tx.execute(
        &format!(
            "UPDATE meetings SET ({FORM_COLUMNS}, updated_at) = ({}) WHERE id = ?{n}",
            placeholders(n - 1)
        ),
        rusqlite::params_from_iter(values),
    )?;
    tx.commit()?;
    get(reg, id)
}

/// Removes a meeting with its invitations and replies. Attendance already
/// in members' history stays there.
pub fn delete(reg: &mut SqliteRegister, id: i64) -> Result<()> {
    let n = reg
        .connection()
        .execute("DELETE FROM meetings WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(Error::NotFound("meeting"));
    }
    Ok(())
}

fn shift(t: NaiveDateTime, every: Every, n: u32) -> Option<NaiveDateTime> {
    match every {
        Every::Week => t.checked_add_days(chrono::Days::new(7 * n as u64)),
        Every::Month => t.checked_add_months(Months::new(n)),
        Every::Quarter => t.checked_add_months(Months::new(3 * n)),
        Every::Year => t.checked_add_months(Months::new(12 * n)),
    }
}

/// Repeats meeting `id` `count` more times, `every` week, month, quarter or
/// year (same time of day, same details, no invitations). The meetings form
/// a series with the first. Returns the new meetings.
pub fn repeat(reg: &mut SqliteRegister, id: i64, every: Every, count: u32) -> Result<Vec<Meeting>> {
    if count == 0 || count > MAX_REPEAT {
        return Err(Error::field("count", FieldCode::InvalidNumber));
    }
    let m = get(reg, id)?;
    let series = m.series_id.unwrap_or(m.id);
    let mut ids = Vec::new();
    let tx = reg.connection_mut().transaction()?;
    tx.execute(
        "UPDATE meetings SET series_id = ?2 WHERE id = ?1",
        params![id, series],
    )?;
    for n in 1..=count {
        let starts =
            shift(m.starts, every, n).ok_or(Error::field("count", FieldCode::InvalidNumber))?;
        // A day without this hour (daylight saving) moves the meeting an
        // hour later rather than failing the series.
        let starts = if exists_in(&m.time_zone, starts) {
            starts
        } else {
            starts + chrono::Duration::hours(1)
        };
        let offset = starts - m.starts;
        let c = Checked {
            kind: m.kind,
            title: m.title.clone(),
            starts,
            ends: m.ends.map(|e| e + offset),
            time_zone: m.time_zone.clone(),
            capacity: m.capacity,
            reply_by: m
                .reply_by
                .map(|d| d + chrono::Duration::days((starts.date() - m.starts.date()).num_days())),
        };
        let input = MeetingInput {
            venue: m.venue.clone(),
            online_link: m.online_link.clone(),
            agenda: m.agenda.clone(),
            branch_id: m.branch_id,
            workplace_id: m.workplace_id,
            guests_allowed: m.guests_allowed,
            note: m.note.clone(),
            ..Default::default()
        };
        ids.push(insert(&tx, &c, &input, Some(series))?);
    }
    tx.commit()?;
    ids.into_iter().map(|id| get(reg, id)).collect()
}

// ---------------------------------------------------------------- seats

fn seat_error(e: SeatError) -> Error {
    match e {
        SeatError::NotInvited(_) => Error::NotInvited,
        SeatError::BelowSeated { seated, capacity } => Error::BelowSeated { seated, capacity },
    }
}

/// The seats as the store has them: everyone with a seat, a place in line,
/// a no or a pending letter, and `person` if invited (the thousands who
/// have not replied play no part in a reply).
fn load_seats(
    tx: &rusqlite::Connection,
    id: i64,
    capacity: Option<u32>,
    person: Option<i64>,
) -> Result<Seats> {
    let mut invited = Vec::new();
    let mut seated = Vec::new();
    let mut waiting = Vec::new();
    let mut declined = Vec::new();
    let mut promoted = Vec::new();
    let mut stmt = tx.prepare_cached(
        "SELECT member_id, reply, seat, promoted FROM invitations WHERE meeting_id = ?1 \
         AND (seat IS NOT NULL OR reply IS NOT NULL OR promoted = 1 OR member_id = ?2) \
         ORDER BY seat_order, replied_at, member_id",
    )?;
    let mut rows = stmt.query(params![id, person])?;
    while let Some(r) = rows.next()? {
        let person: i64 = r.get(0)?;
        let reply: Option<String> = r.get(1)?;
        let seat: Option<String> = r.get(2)?;
        let was_promoted: bool = r.get(3)?;
        invited.push(person);
        match seat.as_deref() {
            Some("seated") => seated.push(person),
            Some("waiting") => waiting.push(person),
            _ if reply.as_deref() == Some("no") => declined.push(person),
            _ => {}
        }
        if was_promoted {
            promoted.push(person);
        }
    }
    Ok(Seats::restore(
        capacity, invited, seated, waiting, declined, promoted,
    ))
}

fn places(s: &Seats) -> HashMap<i64, (&'static str, usize)> {
    let mut m = HashMap::new();
    for (i, p) in s.seated().iter().enumerate() {
        m.insert(*p, ("seated", i));
    }
    for (i, p) in s.waiting().iter().enumerate() {
        m.insert(*p, ("waiting", i));
    }
    m
}

/// Writes the places that changed from `old` to `new`.
fn save_seats(tx: &Transaction, id: i64, old: &Seats, new: &Seats) -> Result<()> {
    let before = places(old);
    let after = places(new);
    let promoted_before: BTreeSet<i64> = old.promoted().iter().copied().collect();
    let promoted_after: BTreeSet<i64> = new.promoted().iter().copied().collect();
    let people: BTreeSet<i64> = before
        .keys()
        .chain(after.keys())
        .chain(promoted_before.iter())
        .chain(promoted_after.iter())
        .copied()
        .collect();
    let mut stmt = tx.prepare_cached(
        "UPDATE invitations SET seat = ?3, seat_order = ?4, promoted = ?5 \
         WHERE meeting_id = ?1 AND member_id = ?2",
    )?;
    for p in people {
        let (b, a) = (before.get(&p), after.get(&p));
        let (pb, pa) = (promoted_before.contains(&p), promoted_after.contains(&p));
        if b != a || pb != pa {
            stmt.execute(params![
                id,
                p,
                a.map(|(s, _)| *s),
                a.map(|(_, o)| *o as i64),
                pa
            ])?;
        }
    }
    Ok(())
}

fn place_text(p: Place) -> (&'static str, Option<usize>) {
    match p {
        Place::Seated => ("seated", None),
        Place::Waiting(n) => ("waiting", Some(n)),
        Place::Declined => ("declined", None),
        Place::NoReply => ("no_reply", None),
    }
}

fn people_by_id(conn: &rusqlite::Connection, ids: &[i64]) -> Result<Vec<Person>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, number, first_name || ' ' || last_name FROM members WHERE id = ?1",
    )?;
    ids.iter()
        .map(|id| {
            Ok(stmt.query_row([id], |r| {
                Ok(Person {
                    member_id: r.get(0)?,
                    number: r.get(1)?,
                    name: r.get::<_, String>(2)?.trim().to_owned(),
                })
            })?)
        })
        .collect()
}

/// Registers a yes or a no from `member_id` (as the treasurer does when a
/// member calls). A yes within capacity is a seat, beyond it a place at the
/// end of the waiting list; a no from someone seated gives the seat to the
/// first who waits, who is listed for a "you got a seat" letter.
pub fn reply(reg: &mut SqliteRegister, id: i64, member_id: i64, yes: bool) -> Result<ReplyOutcome> {
    let tx = reg.connection_mut().transaction()?;
    let m = load(&tx, id)?;
    let mut s = load_seats(&tx, id, m.capacity, Some(member_id))?;
    let old = s.clone();
    let place = s.reply(member_id, yes).map_err(seat_error)?;
    let newly: Vec<i64> = s
        .promoted()
        .iter()
        .filter(|p| !old.promoted().contains(p))
        .copied()
        .collect();
    save_seats(&tx, id, &old, &s)?;
    tx.execute(
        "UPDATE invitations SET reply = ?3, replied_at = ?4 WHERE meeting_id = ?1 AND member_id = ?2",
        params![id, member_id, if yes { "yes" } else { "no" }, now()],
    )?;
    let promoted = people_by_id(&tx, &newly)?;
    tx.commit()?;
    let (place, position) = place_text(place);
    Ok(ReplyOutcome {
        place: place.to_owned(),
        position,
        promoted,
        overview: overview(reg, id)?,
    })
}

/// Ticks (or unticks) `member_id` as present. The member's history gets
/// (or loses) the attendance. Someone not invited is added as invited.
pub fn attend(reg: &mut SqliteRegister, id: i64, member_id: i64, present: bool) -> Result<Invitee> {
    let tx = reg.connection_mut().transaction()?;
    let m = load(&tx, id)?;
    let kind: String = tx
        .query_row("SELECT kind FROM members WHERE id = ?1", [member_id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or(Error::NotFound("member"))?;
    let at = now();
    tx.execute(
        "INSERT INTO invitations (meeting_id, member_id, invited_at, how, guest) \
         VALUES (?1, ?2, ?3, 'letter', ?4) ON CONFLICT DO NOTHING",
        params![id, member_id, at, kind == "prospect"],
    )?;
    let was: bool = tx.query_row(
        "SELECT attended FROM invitations WHERE meeting_id = ?1 AND member_id = ?2",
        params![id, member_id],
        |r| r.get(0),
    )?;
    if was != present {
        tx.execute(
            "UPDATE invitations SET attended = ?3 WHERE meeting_id = ?1 AND member_id = ?2",
            params![id, member_id, present],
        )?;
        let day = m.starts.date().to_string();
        if present {
            tx.execute(
                "INSERT INTO member_history (member_id, at, kind, field, old_value, new_value, effective_date) \
                 VALUES (?1, ?2, 'attended', ?3, NULL, ?4, ?5)",
                params![member_id, at, m.title, m.kind.as_str(), day],
            )?;
        } else {
            tx.execute(
                "DELETE FROM member_history WHERE id = (SELECT max(id) FROM member_history \
                 WHERE member_id = ?1 AND kind = 'attended' AND field = ?2 AND effective_date = ?3)",
                params![member_id, m.title, day],
            )?;
        }
    }
    tx.commit()?;
    invitees(reg, id)?
        .into_iter()
        .find(|i| i.member_id == member_id)
        .ok_or(Error::NotFound("member"))
}

// ---------------------------------------------------------------- invitations

/// Invites the people `sel` selects. Invited before: left as they are.
/// Guests (prospects) only when the meeting lets non-members come.
pub fn invite(reg: &mut SqliteRegister, id: i64, sel: &InviteSelection) -> Result<InviteSummary> {
    let m = get(reg, id)?;
    let conn = reg.connection();
    // (id, kind, has e-mail)
    let mut chosen: Vec<(i64, bool, bool)> = Vec::new();
    if !sel.only_picked {
        let mut sql = String::from(
            "SELECT m.id, 0, m.email <> '' FROM members m WHERE m.kind = 'member' AND m.status = ?1",
        );
        let mut args: Vec<Box<dyn rusqlite::ToSql>> =
            vec![Box::new(sel.status.unwrap_or(Status::Active).as_str())];
        if let Some(b) = sel.branch_id {
            sql.push_str(" AND m.branch_id = ?");
            args.push(Box::new(b));
        }
        if let Some(w) = sel.workplace_id {
            sql.push_str(" AND m.workplace_id = ?");
            args.push(Box::new(w));
        }
        if let Some(role) = sel.role {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM member_roles r WHERE r.member_id = m.id \
                 AND r.role = ? AND r.from_date <= ? AND (r.to_date IS NULL OR r.to_date >= ?))",
            );
            let d = today().to_string();
            args.push(Box::new(role.as_str()));
            args.push(Box::new(d.clone()));
            args.push(Box::new(d));
        }
        sql.push_str(" ORDER BY m.sort_name, m.id");
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(
            rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())),
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        for r in rows {
            chosen.push(r?);
        }
    }
    if sel.guests {
        let workplace = sel.workplace_id.or(m.workplace_id);
        let Some(w) = workplace else {
            return Err(Error::field("workplaceId", FieldCode::Required));
        };
        let mut stmt = conn.prepare(
            "SELECT id, 1, email <> '' FROM members WHERE kind = 'prospect' AND workplace_id = ?1 \
             ORDER BY sort_name, id",
        )?;
        let rows = stmt.query_map([w], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        for r in rows {
            chosen.push(r?);
        }
    }
    {
        let mut stmt = conn
            .prepare_cached("SELECT kind = 'prospect', email <> '' FROM members WHERE id = ?1")?;
        for id in &sel.member_ids {
            let (prospect, email) = stmt
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or(Error::NotFound("member"))?;
            chosen.push((*id, prospect, email));
        }
    }
    if chosen.iter().any(|(_, guest, _)| *guest) && !m.guests_allowed {
        return Err(Error::GuestsNotAllowed);
    }
    let how = sel.how.unwrap_or(How::Letter);
    let at = now();
    let tx = reg.connection_mut().transaction()?;
    let mut summary = InviteSummary {
        invited: 0,
        guests: 0,
        already: 0,
        total: 0,
        by_letter: 0,
        by_email: 0,
        warnings: Vec::new(),
    };
    {
        let mut stmt = tx.prepare(
            "INSERT INTO invitations (meeting_id, member_id, invited_at, how, guest) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        )?;
        let mut seen = BTreeSet::new();
        for (person, guest, email) in chosen {
            if !seen.insert(person) {
                continue;
            }
            let how = if how == How::Email && email {
                How::Email
            } else {
                How::Letter
            };
            if stmt.execute(params![id, person, at, how.as_str(), guest])? == 1 {
                summary.invited += 1;
                summary.guests += guest as usize;
                match how {
                    How::Letter => summary.by_letter += 1,
                    How::Email => summary.by_email += 1,
                }
            } else {
                summary.already += 1;
            }
        }
    }
    summary.total = tx.query_row(
        "SELECT count(*) FROM invitations WHERE meeting_id = ?1",
        [id],
        |r| r.get::<_, i64>(0),
    )? as usize;
    tx.commit()?;
    if summary.invited > 0 {
        summary.warnings = agm::notice_warning(reg, &m, today())?.into_iter().collect();
    }
    Ok(summary)
}

/// Takes `member_id` off the invitation list (with their reply; a seat
/// they had goes to the first who waits).
pub fn uninvite(reg: &mut SqliteRegister, id: i64, member_id: i64) -> Result<Overview> {
    let tx = reg.connection_mut().transaction()?;
    let m = load(&tx, id)?;
    let mut s = load_seats(&tx, id, m.capacity, Some(member_id))?;
    let old = s.clone();
    // A no first: the seat, if any, passes on in order.
    s.reply(member_id, false).map_err(seat_error)?;
    save_seats(&tx, id, &old, &s)?;
    tx.execute(
        "DELETE FROM invitations WHERE meeting_id = ?1 AND member_id = ?2",
        params![id, member_id],
    )?;
    tx.commit()?;
    overview(reg, id)
}

/// Everyone invited: seated (in seat order), waiting (in line), no reply,
/// declined; by name within each.
pub fn invitees(reg: &SqliteRegister, id: i64) -> Result<Vec<Invitee>> {
    load(reg.connection(), id)?;
    let mut stmt = reg.connection().prepare_cached(
        "SELECT i.member_id, m.number, m.first_name || ' ' || m.last_name, m.kind, i.guest, i.how, \
         i.invited_at, i.letter_at, i.reply, i.replied_at, i.seat, i.seat_order, i.promoted, i.attended \
         FROM invitations i JOIN members m ON m.id = i.member_id WHERE i.meeting_id = ?1 \
         ORDER BY CASE WHEN i.seat = 'seated' THEN 0 WHEN i.seat = 'waiting' THEN 1 \
         WHEN i.reply IS NULL THEN 2 ELSE 3 END, i.seat_order, m.sort_name, m.id",
    )?;
    let rows = stmt.query_map([id], |r| {
        let kind: String = r.get(3)?;
        let how: String = r.get(5)?;
        let reply: Option<String> = r.get(8)?;
        let seat: Option<String> = r.get(10)?;
        let order: Option<i64> = r.get(11)?;
        let (place, position) = match (seat.as_deref(), reply.as_deref()) {
            (Some("seated"), _) => ("seated", None),
            (Some("waiting"), _) => ("waiting", order.map(|o| o as usize + 1)),
            (_, Some("no")) => ("declined", None),
            // A yes without a seat cannot happen; shown as no reply.
            _ => ("no_reply", None),
        };
        Ok(Invitee {
            member_id: r.get(0)?,
            number: r.get(1)?,
            name: r.get::<_, String>(2)?.trim().to_owned(),
            kind: Kind::parse(&kind).unwrap_or(Kind::Member),
            guest: r.get(4)?,
            how: How::parse(&how).unwrap_or(How::Letter),
            invited_at: r.get(6)?,
            letter_at: r.get(7)?,
            reply,
            replied_at: r.get(9)?,
            place: place.to_owned(),
            position,
            promoted: r.get(12)?,
            attended: r.get(13)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The e-mail addresses of those invited by e-mail, for the BCC line.
pub fn email_list(reg: &SqliteRegister, id: i64) -> Result<Vec<String>> {
    load(reg.connection(), id)?;
    let mut stmt = reg.connection().prepare(
        "SELECT m.email FROM invitations i JOIN members m ON m.id = i.member_id \
         WHERE i.meeting_id = ?1 AND i.how = 'email' AND m.email <> '' ORDER BY m.sort_name, m.id",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The meeting at a glance.
pub fn overview(reg: &SqliteRegister, id: i64) -> Result<Overview> {
    let conn = reg.connection();
    let meeting = load(conn, id)?;
    let counts = conn.query_row(
        "SELECT count(*), ifnull(sum(guest), 0), ifnull(sum(how = 'letter'), 0), \
         ifnull(sum(how = 'email'), 0), ifnull(sum(letter_at IS NOT NULL), 0), \
         ifnull(sum(reply = 'yes'), 0), ifnull(sum(reply = 'no'), 0), \
         ifnull(sum(reply IS NULL), 0), ifnull(sum(seat = 'seated'), 0), ifnull(sum(attended), 0) \
         FROM invitations WHERE meeting_id = ?1",
        [id],
        |r| {
            let mut v = [0usize; 10];
            for (i, x) in v.iter_mut().enumerate() {
                *x = r.get::<_, i64>(i)? as usize;
            }
            Ok(v)
        },
    )?;
    let ids = |sql: &str| -> Result<Vec<i64>> {
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let waiting = people_by_id(
        conn,
        &ids("SELECT member_id FROM invitations WHERE meeting_id = ?1 AND seat = 'waiting' ORDER BY seat_order")?,
    )?;
    let promoted = people_by_id(
        conn,
        &ids("SELECT member_id FROM invitations WHERE meeting_id = ?1 AND promoted = 1 ORDER BY seat_order")?,
    )?;
    let seats_taken = counts[8];
    let voters = if meeting.kind == MeetingKind::AnnualGeneralMeeting {
        Some(agm::voter_status(reg, &meeting)?)
    } else {
        None
    };
    let notice = agm::notice_warning(reg, &meeting, today())?;
    Ok(Overview {
        seats_left: meeting
            .capacity
            .map(|c| (c as usize).saturating_sub(seats_taken)),
        meeting,
        invited: counts[0],
        guests: counts[1],
        by_letter: counts[2],
        by_email: counts[3],
        letters_printed: counts[4],
        yes: counts[5],
        no: counts[6],
        no_reply: counts[7],
        seats_taken,
        waiting,
        promoted,
        attended: counts[9],
        voters,
        notice,
    })
}

/// The member with `number`.
pub fn member_by_number(reg: &SqliteRegister, number: &str) -> Result<i64> {
    reg.connection()
        .query_row(
            "SELECT id FROM members WHERE number = ?1",
            [number.trim()],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NotFound("member"))
}

// ---------------------------------------------------------------- printing

/// What printing invitations did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintOutcome {
    pub summary: crate::letters::PdfSummary,
    /// Annual general meetings printed outside the notice period.
    pub warnings: Vec<agm::Warning>,
}

fn members_of(reg: &SqliteRegister, ids: &[i64]) -> Result<Vec<crate::types::Member>> {
    ids.iter()
        .map(|id| crate::store::sqlite::load_member(reg.connection(), *id))
        .collect()
}

fn invited_ids(reg: &SqliteRegister, id: i64, filter: &str) -> Result<Vec<i64>> {
    let mut stmt = reg.connection().prepare(&format!(
        "SELECT i.member_id FROM invitations i JOIN members m ON m.id = i.member_id \
         WHERE i.meeting_id = ?1 AND {filter} ORDER BY m.sort_name, m.id"
    ))?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The invitation letters (template `meeting_invitation`) of everyone
/// invited by letter, in one PDF; each is recorded in the member's history
/// and the invitation marked as sent. Nobody to write to is an error.
pub fn invitation_letters(
    reg: &mut SqliteRegister,
    id: i64,
    out: &std::path::Path,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<PrintOutcome> {
    let m = get(reg, id)?;
    let ids = invited_ids(reg, id, "i.how = 'letter'")?;
    if ids.is_empty() {
        return Err(Error::NothingToPrint);
    }
    let members = members_of(reg, &ids)?;
    let at = now();
    let after = |tx: &Transaction| -> Result<()> {
        tx.execute(
            "UPDATE invitations SET letter_at = ?2 WHERE meeting_id = ?1 AND how = 'letter'",
            params![id, at],
        )?;
        Ok(())
    };
    let summary = crate::letters::print(
        reg,
        "meeting_invitation",
        &members,
        &crate::letters::Batch {
            kind: Some(&fields::LETTERS),
            extra: &|_, language| Some(("meeting", fields::values(&m, language))),
            out,
            after: &after,
        },
        progress,
        cancel,
    )?;
    let warnings = agm::notice_warning(reg, &m, today())?.into_iter().collect();
    Ok(PrintOutcome { summary, warnings })
}

/// "You got a seat" letters (template `meeting_seat`) to everyone who got a
/// seat from the waiting list since the last such letters; they are then
/// no longer listed as waiting for one.
pub fn seat_letters(
    reg: &mut SqliteRegister,
    id: i64,
    out: &std::path::Path,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<PrintOutcome> {
    let m = get(reg, id)?;
    let ids = invited_ids(reg, id, "i.promoted = 1")?;
    if ids.is_empty() {
        return Err(Error::NothingToPrint);
    }
    let members = members_of(reg, &ids)?;
    let after = |tx: &Transaction| -> Result<()> {
        let mut stmt = tx.prepare_cached(
            "UPDATE invitations SET promoted = 0 WHERE meeting_id = ?1 AND member_id = ?2",
        )?;
        for p in &ids {
            stmt.execute(params![id, p])?;
        }
        Ok(())
    };
    let summary = crate::letters::print(
        reg,
        "meeting_seat",
        &members,
        &crate::letters::Batch {
            kind: Some(&fields::LETTERS),
            extra: &|_, language| Some(("meeting", fields::values(&m, language))),
            out,
            after: &after,
        },
        progress,
        cancel,
    )?;
    Ok(PrintOutcome {
        summary,
        warnings: Vec::new(),
    })
}

fn list_language(reg: &SqliteRegister) -> Result<crate::types::Language> {
    Ok(reg
        .language()?
        .unwrap_or(reg.org_or_err()?.country.language()))
}

/// The signature sheet for the day: those with a seat; with no seats given
/// (nobody replied yes), everyone invited who did not say no.
pub fn signature_sheet(
    reg: &SqliteRegister,
    id: i64,
    out: &std::path::Path,
) -> Result<crate::letters::PdfSummary> {
    let m = get(reg, id)?;
    let mut ids = invited_ids(reg, id, "i.seat = 'seated'")?;
    if ids.is_empty() {
        ids = invited_ids(reg, id, "i.reply IS NOT 'no'")?;
    }
    if ids.is_empty() {
        return Err(Error::NothingToPrint);
    }
    let language = list_language(reg)?;
    crate::letters::list_of(
        reg,
        &members_of(reg, &ids)?,
        crate::letters::lists::Kind::Signatures,
        Some(&m.title),
        Some(&fields::day_text(m.starts, language)),
        out,
    )
}

/// The frozen voter roll of an annual general meeting as a PDF list.
pub fn voter_roll(
    reg: &SqliteRegister,
    id: i64,
    out: &std::path::Path,
) -> Result<crate::letters::PdfSummary> {
    let m = get(reg, id)?;
    let Some(cutoff) = m.voters_cutoff else {
        return Err(Error::field("cutoff", FieldCode::Required));
    };
    let ids = agm::voters(reg, id)?;
    if ids.is_empty() {
        return Err(Error::NothingToPrint);
    }
    let language = list_language(reg)?;
    let (word, at) = match language {
        crate::types::Language::Sv => ("Röstlängd", "röstlängd per"),
        crate::types::Language::Da => ("Stemmeliste", "stemmeliste pr."),
        crate::types::Language::Nb => ("Manntall", "manntall per"),
        crate::types::Language::En => ("Voter roll", "voter roll as of"),
    };
    let title = format!("{word}: {}", m.title);
    let subtitle = format!(
        "{} · {at} {}",
        fields::day_text(m.starts, language),
        crate::types::dates::date_text(cutoff, language)
    );
    crate::letters::list_of(
        reg,
        &members_of(reg, &ids)?,
        crate::letters::lists::Kind::Members,
        Some(&title),
        Some(&subtitle),
        out,
    )
}
