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
mod papers;
pub mod seats;

use std::collections::{BTreeSet, HashMap};

use chrono::{Months, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::history::HistoryLine;
use crate::store::meetings::{Filter, Invite, SeatChange};
use crate::store::{Reads, Store, UnitOfWork};
use crate::types::dates::{
    local_time_problem, now, parse_local_time as parse_datetime, read_date, today,
};
use crate::types::{HistoryKind, Timestamp};
use crate::validate::{text_problem, Lines};
use seats::{Overflow, Place, SeatError, Seats, Snapshot};

pub use crate::types::meetings::*;
pub use papers::{letters, signature_sheet, voter_roll, MeetingLetters, PrintOutcome};

/// The longest capacity Medlem accepts (a typo guard, not a policy).
const MAX_CAPACITY: i64 = 100_000;
/// How many meetings one repeat may create.
const MAX_REPEAT: u32 = 52;

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
    /// How to take this reply back ([`undo_reply`]).
    pub undo: ReplyUndo,
}

/// A reply as it can be taken back: the member's reply and the places just
/// before it, and the places just after it (the undo is refused when they
/// changed since).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplyUndo {
    pub member_id: i64,
    /// The reply that was registered: yes (true) or no.
    pub yes: bool,
    /// The reply before it (none, yes or no) and when it came.
    pub before_reply: Option<bool>,
    pub before_at: Option<Timestamp>,
    pub before: Snapshot,
    pub after: Snapshot,
}

/// The meeting at a glance: the window's seat panel and `meeting show`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    pub meeting: Meeting,
    /// Invited, by letter and e-mail, replies, seats taken and attended, at
    /// the top level of the JSON.
    #[serde(flatten)]
    pub counts: Counts,
    /// None: no limit.
    pub seats_left: Option<usize>,
    /// In order: the first gets the next free seat.
    pub waiting: Vec<Person>,
    /// Got a seat from the waiting list, not yet sent a letter.
    pub promoted: Vec<Person>,
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

fn check(store: &dyn Store, input: &MeetingInput) -> Result<Checked> {
    let mut errors = Vec::new();
    let mut fail = |field: &str, code| errors.push(FieldError::new(field, code));
    let kind = MeetingKind::parse(input.kind.trim());
    if kind.is_none() {
        fail("kind", FieldCode::InvalidChoice);
    }
    let title = input.title.trim().to_owned();
    if title.is_empty() {
        fail("title", FieldCode::Required);
    } else if let Some(code) = text_problem(&title, 200, Lines::One) {
        fail("title", code);
    }
    let time_zone = if input.time_zone.trim().is_empty() {
        match store.org_or_err()?.country.as_str() {
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
            fail("starts", local_time_problem(&input.starts).into());
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
        let d = read_date(&input.reply_by);
        match d {
            Err(problem) => fail("replyBy", problem.into()),
            Ok(d) if starts.is_some_and(|s| d > s.date()) => fail("replyBy", FieldCode::DateOrder),
            _ => {}
        }
        d.ok()
    };
    for (field, text, max, lines) in [
        ("venue", &input.venue, 300, Lines::One),
        ("agenda", &input.agenda, 10_000, Lines::Many),
        ("note", &input.note, 5_000, Lines::Many),
        ("onlineLink", &input.online_link, 500, Lines::One),
    ] {
        if let Some(code) = text_problem(text, max, lines) {
            fail(field, code);
        }
    }
    if !input.online_link.trim().is_empty() && !valid_link(&input.online_link) {
        fail("onlineLink", FieldCode::InvalidLink);
    }
    if let Some(b) = input.branch_id {
        if !store.branch_exists(b)? {
            errors.push(FieldError::new("branchId", FieldCode::InvalidChoice));
        }
    }
    if let Some(w) = input.workplace_id {
        if !store.workplace_exists(w)? {
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

// ---------------------------------------------------------------- keeping

/// What the store keeps of a checked meeting and its form.
fn record(c: &Checked, input: &MeetingInput) -> MeetingDetails {
    MeetingDetails {
        kind: c.kind,
        title: c.title.clone(),
        starts: c.starts,
        ends: c.ends,
        time_zone: c.time_zone.clone(),
        venue: input.venue.trim().to_owned(),
        online_link: input.online_link.trim().to_owned(),
        capacity: c.capacity,
        agenda: input.agenda.trim_end().to_owned(),
        branch_id: input.branch_id,
        workplace_id: input.workplace_id,
        reply_by: c.reply_by,
        guests_allowed: input.guests_allowed,
        note: input.note.trim_end().to_owned(),
    }
}

/// The meeting `id`.
pub fn get(store: &dyn Store, id: i64) -> Result<Meeting> {
    store.meetings().meeting(id)
}

/// Every meeting, the next first, then the past ones latest first.
pub fn list(store: &dyn Store) -> Result<Vec<MeetingRow>> {
    store.meetings().meetings(today())
}

/// Creates a meeting.
pub fn create(store: &mut dyn Store, input: &MeetingInput) -> Result<Meeting> {
    let c = check(store, input)?;
    let work = store.begin()?;
    let id = work
        .meeting_writes()
        .insert_meeting(&record(&c, input), None, now())?;
    work.commit()?;
    get(store, id)
}

/// Changes a meeting. A capacity below the seats taken is refused
/// (`capacity` below_seated) unless `overflow` says the latest seated go
/// back to the front of the waiting list; a higher one seats the first who
/// wait.
pub fn update(
    store: &mut dyn Store,
    id: i64,
    input: &MeetingInput,
    overflow: Overflow,
) -> Result<Meeting> {
    let c = check(store, input)?;
    let work = store.begin()?;
    let before = work.meetings().meeting(id)?;
    // Read under the meeting's lock (on the server): a save from a form
    // opened before another officer's save is refused, not written over it.
    if input.version.is_some_and(|v| v != before.version) {
        return Err(Error::MeetingChanged {
            by: before.changed_by,
            at: before.updated_at.local_text(),
        });
    }
    if before.details.capacity != c.capacity {
        let mut s = load_seats(&*work, id, before.details.capacity, None)?;
        let old = s.clone();
        s.set_capacity(c.capacity, overflow).map_err(seat_error)?;
        save_seats(&*work, id, &old, &s)?;
    }
    work.meeting_writes()
        .update_meeting(id, &record(&c, input), now())?;
    work.commit()?;
    get(store, id)
}

/// Removes a meeting with its invitations and replies. Attendance already
/// in members' history stays there.
pub fn delete(store: &mut dyn Store, id: i64) -> Result<()> {
    let work = store.begin()?;
    if !work.meeting_writes().delete_meeting(id)? {
        return Err(Error::NotFound("meeting"));
    }
    work.commit()
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
pub fn repeat(store: &mut dyn Store, id: i64, every: Every, count: u32) -> Result<Vec<Meeting>> {
    if count == 0 || count > MAX_REPEAT {
        return Err(Error::field("count", FieldCode::InvalidNumber));
    }
    let m = get(store, id)?;
    let series = m.series_id.unwrap_or(m.id);
    let mut ids = Vec::new();
    let at = now();
    let work = store.begin()?;
    let w = work.meeting_writes();
    w.set_series(id, series)?;
    for n in 1..=count {
        let starts = shift(m.details.starts, every, n)
            .ok_or(Error::field("count", FieldCode::InvalidNumber))?;
        // A day without this hour (daylight saving) moves the meeting an
        // hour later rather than failing the series.
        let starts = if exists_in(&m.details.time_zone, starts) {
            starts
        } else {
            starts
                .checked_add_signed(chrono::Duration::hours(1))
                .ok_or(Error::field("count", FieldCode::InvalidNumber))?
        };
        let d = &m.details;
        let offset = starts - d.starts;
        let days = chrono::Duration::days((starts.date() - d.starts.date()).num_days());
        // Far-future dates may not move as far: refused, never a panic.
        let too_far = || Error::field("count", FieldCode::InvalidNumber);
        let r = MeetingDetails {
            starts,
            ends: d
                .ends
                .map(|e| e.checked_add_signed(offset).ok_or_else(too_far))
                .transpose()?,
            reply_by: d
                .reply_by
                .map(|r| r.checked_add_signed(days).ok_or_else(too_far))
                .transpose()?,
            ..d.clone()
        };
        ids.push(w.insert_meeting(&r, Some(series), at)?);
    }
    work.commit()?;
    ids.into_iter().map(|id| get(store, id)).collect()
}

// ---------------------------------------------------------------- seats

fn seat_error(e: SeatError) -> Error {
    match e {
        SeatError::NotInvited(_) => Error::NotInvited,
        SeatError::BelowSeated { seated, capacity } => Error::BelowSeated { seated, capacity },
    }
}

/// The seats as kept: everyone with a seat, a place in line, a no or a
/// pending letter, and `person` if invited (the thousands who have not
/// replied play no part in a reply).
fn load_seats(r: &dyn Reads, id: i64, capacity: Option<u32>, person: Option<i64>) -> Result<Seats> {
    let s = r.meetings().seat_rows(id, person)?;
    Ok(Seats::restore(
        capacity, s.invited, s.seated, s.waiting, s.declined, s.promoted,
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

/// Keeps the places that changed from `old` to `new`.
fn save_seats(work: &dyn UnitOfWork, id: i64, old: &Seats, new: &Seats) -> Result<()> {
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
    let changes: Vec<SeatChange> = people
        .into_iter()
        .filter(|p| {
            before.get(p) != after.get(p)
                || promoted_before.contains(p) != promoted_after.contains(p)
        })
        .map(|p| SeatChange {
            member_id: p,
            seat: after.get(&p).map(|(s, _)| *s),
            order: after.get(&p).map(|(_, o)| *o),
            promoted: promoted_after.contains(&p),
        })
        .collect();
    work.meeting_writes().save_seats(id, &changes)
}

fn place_text(p: Place) -> (&'static str, Option<usize>) {
    match p {
        Place::Seated => ("seated", None),
        Place::Waiting(n) => ("waiting", Some(n)),
        Place::Declined => ("declined", None),
        Place::NoReply => ("no_reply", None),
    }
}

/// Registers a yes or a no from `member_id` (as the treasurer does when a
/// member calls). A yes within capacity is a seat, beyond it a place at the
/// end of the waiting list; a no from someone seated gives the seat to the
/// first who waits, who is listed for a "you got a seat" letter.
pub fn reply(store: &mut dyn Store, id: i64, member_id: i64, yes: bool) -> Result<ReplyOutcome> {
    let work = store.begin()?;
    let m = work.meetings().meeting(id)?;
    let mut s = load_seats(&*work, id, m.details.capacity, Some(member_id))?;
    let old = s.clone();
    let was = work.meetings().reply_of(id, member_id)?;
    let place = s.reply(member_id, yes).map_err(seat_error)?;
    let newly: Vec<i64> = s
        .promoted()
        .iter()
        .filter(|p| !old.promoted().contains(p))
        .copied()
        .collect();
    save_seats(&*work, id, &old, &s)?;
    work.meeting_writes()
        .set_reply(id, member_id, Some((yes, now())))?;
    let promoted = work.meetings().people(&newly)?;
    work.commit()?;
    let (place, position) = place_text(place);
    Ok(ReplyOutcome {
        place: place.to_owned(),
        position,
        promoted,
        overview: overview(store, id)?,
        undo: ReplyUndo {
            member_id,
            yes,
            before_reply: was.map(|(y, _)| y),
            before_at: was.map(|(_, at)| at),
            before: old.snapshot(),
            after: s.snapshot(),
        },
    })
}

/// Takes a reply back: the member's reply and every place (seats, the
/// waiting list, who was promoted) are as just before it. Refused with
/// `reply_changed` when anything about the places or that reply changed
/// since (another reply, a letter to those promoted, a new capacity):
/// then the treasurer registers the right reply instead.
pub fn undo_reply(store: &mut dyn Store, id: i64, undo: &ReplyUndo) -> Result<Overview> {
    let work = store.begin()?;
    let m = work.meetings().meeting(id)?;
    let member = undo.member_id;
    let now = load_seats(&*work, id, m.details.capacity, Some(member))?;
    let reply = work.meetings().reply_of(id, member)?.map(|(y, _)| y);
    let mut known = undo.after.people();
    known.insert(member);
    let same = now.snapshot() == undo.after
        && reply == Some(undo.yes)
        && undo.before.people().is_subset(&known)
        && undo.before_reply.is_some() == undo.before_at.is_some();
    if !same {
        return Err(Error::ReplyChanged);
    }
    let before = Seats::from_snapshot(m.details.capacity, known, undo.before.clone());
    save_seats(&*work, id, &now, &before)?;
    let was = undo.before_reply.zip(undo.before_at);
    work.meeting_writes().set_reply(id, member, was)?;
    work.commit()?;
    overview(store, id)
}

/// Ticks (or unticks) `member_id` as present. The member's history gets
/// (or loses) the attendance. Someone not invited is added as invited.
pub fn attend(store: &mut dyn Store, id: i64, member_id: i64, present: bool) -> Result<Invitee> {
    let work = store.begin()?;
    let m = work.meetings().meeting(id)?;
    let person = work.meetings().picked(&[member_id])?[0];
    let at = now();
    let w = work.meeting_writes();
    w.invite(
        id,
        &[Invite {
            member_id,
            how: How::Letter,
            guest: person.guest,
        }],
        at,
    )?;
    let was = w.set_attended(id, member_id, present)?;
    if was != present {
        let day = m.details.starts.date();
        let line = HistoryLine {
            field: Some(&m.details.title),
            new: Some(m.details.kind.as_str()),
            effective: Some(day),
            ..HistoryLine::of(member_id, at, HistoryKind::Attended)
        };
        if present {
            work.history_writes().record(&line)?;
        } else {
            work.history_writes().take_back(&line)?;
        }
    }
    work.commit()?;
    store
        .meetings()
        .invitees_of(id, &[member_id])?
        .pop()
        .ok_or(Error::NotFound("member"))
}

// ---------------------------------------------------------------- invitations

/// Invites the people `sel` selects. Invited before: left as they are.
/// Guests (prospects) only when the meeting lets non-members come.
pub fn invite(store: &mut dyn Store, id: i64, sel: &InviteSelection) -> Result<InviteSummary> {
    let m = get(store, id)?;
    let reads = store.meetings();
    let mut chosen = Vec::new();
    if !sel.only_picked {
        chosen.extend(reads.candidates(&Filter::of(sel, today()))?);
    }
    if sel.guests {
        let workplace = sel.workplace_id.or(m.details.workplace_id);
        let Some(w) = workplace else {
            return Err(Error::field("workplaceId", FieldCode::Required));
        };
        chosen.extend(reads.prospects_at(w)?);
    }
    chosen.extend(reads.picked(&sel.member_ids)?);
    if chosen.iter().any(|c| c.guest) && !m.details.guests_allowed {
        return Err(Error::GuestsNotAllowed);
    }
    let how = sel.how.unwrap_or(How::Letter);
    let at = now();
    let mut summary = InviteSummary {
        invited: 0,
        guests: 0,
        already: 0,
        total: 0,
        by_letter: 0,
        by_email: 0,
        warnings: Vec::new(),
    };
    let work = store.begin()?;
    let mut seen = BTreeSet::new();
    let people: Vec<Invite> = chosen
        .into_iter()
        .filter(|c| seen.insert(c.member_id))
        .map(|c| Invite {
            member_id: c.member_id,
            how: if how == How::Email && c.has_email {
                How::Email
            } else {
                How::Letter
            },
            guest: c.guest,
        })
        .collect();
    let new = work.meeting_writes().invite(id, &people, at)?;
    for (c, new) in people.iter().zip(new) {
        if new {
            summary.invited += 1;
            summary.guests += c.guest as usize;
            match c.how {
                How::Letter => summary.by_letter += 1,
                How::Email => summary.by_email += 1,
            }
        } else {
            summary.already += 1;
        }
    }
    summary.total = work.meetings().invited_count(id)?;
    work.commit()?;
    if summary.invited > 0 {
        summary.warnings = agm::notice_warning(store, &m, today())?
            .into_iter()
            .collect();
    }
    Ok(summary)
}

/// Takes `member_id` off the invitation list (with their reply; a seat
/// they had goes to the first who waits).
pub fn uninvite(store: &mut dyn Store, id: i64, member_id: i64) -> Result<Overview> {
    let work = store.begin()?;
    let m = work.meetings().meeting(id)?;
    let mut s = load_seats(&*work, id, m.details.capacity, Some(member_id))?;
    let old = s.clone();
    // A no first: the seat, if any, passes on in order.
    s.reply(member_id, false).map_err(seat_error)?;
    save_seats(&*work, id, &old, &s)?;
    work.meeting_writes().uninvite(id, member_id)?;
    work.commit()?;
    overview(store, id)
}

/// Everyone invited: seated (in seat order), waiting (in line), no reply,
/// declined; by name within each.
pub fn invitees(store: &dyn Store, id: i64) -> Result<Vec<Invitee>> {
    store.meetings().meeting(id)?;
    store.meetings().invitees(id)
}

/// A page of the people list, with the rows already shown as they stand
/// now (`query.keep`) and the counts for the tabs. A limit or a `keep`
/// above [`PeopleQuery::MAX_LIMIT`] is refused.
pub fn people(store: &dyn Store, id: i64, query: &PeopleQuery) -> Result<PeoplePage> {
    let reads = store.meetings();
    reads.meeting(id)?;
    for (field, n) in [("limit", query.limit), ("keep", query.keep.len())] {
        if n > PeopleQuery::MAX_LIMIT {
            return Err(Error::Validation(vec![FieldError::new(
                field,
                FieldCode::TooLong,
            )]));
        }
    }
    let places = reads.places(id)?;
    // Without words to find, the tabs' counts say how many.
    let found = match (
        crate::text::search_words(&query.find).is_empty(),
        query.place,
    ) {
        (true, None) => places.all,
        (true, Some(p)) => places.of(p),
        (false, place) => reads.invitees_found(id, place, &query.find)?,
    };
    Ok(PeoplePage {
        rows: reads.invitee_page(id, query.place, &query.find, query.offset, query.limit)?,
        found,
        kept: reads.invitees_of(id, &query.keep)?,
        places,
    })
}

/// The e-mail addresses of those invited by e-mail, for the BCC line. An
/// address kept before it would have been refused (`=1+1@x.se`, which a
/// spreadsheet runs as a formula) is left out.
pub fn email_list(store: &dyn Store, id: i64) -> Result<Vec<String>> {
    store.meetings().meeting(id)?;
    let all = store.meetings().emails(id)?;
    Ok(all
        .into_iter()
        .filter(|e| crate::validate::is_email(e))
        .collect())
}

/// The meeting at a glance.
pub fn overview(store: &dyn Store, id: i64) -> Result<Overview> {
    let reads = store.meetings();
    let meeting = reads.meeting(id)?;
    let counts = reads.counts(id)?;
    let voters = if meeting.details.kind == MeetingKind::AnnualGeneralMeeting {
        Some(agm::voter_status(store, &meeting)?)
    } else {
        None
    };
    let notice = agm::notice_warning(store, &meeting, today())?;
    Ok(Overview {
        seats_left: meeting
            .details
            .capacity
            .map(|c| (c as usize).saturating_sub(counts.seats_taken)),
        meeting,
        counts,
        waiting: reads.waiting(id)?,
        promoted: reads.promoted(id)?,
        voters,
        notice,
    })
}

/// The member with `number`.
pub fn member_by_number(store: &dyn Store, number: &str) -> Result<i64> {
    store
        .member_by_number(number)?
        .ok_or_else(|| Error::NoSuchMember(number.trim().to_owned()))
}
