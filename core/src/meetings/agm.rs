//! The annual general meeting: the statutes' notice period, the voter roll
//! frozen at a cut-off date, and the quorum.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::{Reads, Store};
use crate::types::meetings::{Meeting, MeetingKind};

/// What the organisation's statutes say about the annual general meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Statutes {
    /// Invitations go out no later than this many days before.
    pub notice_min_days: u32,
    /// ... and no earlier than this many days before.
    pub notice_max_days: u32,
    /// At least this many voters present.
    pub quorum_count: Option<u32>,
    /// At least this share (percent) of the voter roll present.
    pub quorum_percent: Option<u32>,
    /// Only members who had paid the fee of the cut-off's year by the
    /// cut-off vote (members never billed, honorary ones say, still do).
    pub paid_to_vote: bool,
}

impl Default for Statutes {
    fn default() -> Self {
        Statutes {
            notice_min_days: 14,
            notice_max_days: 42,
            quorum_count: None,
            quorum_percent: None,
            paid_to_vote: false,
        }
    }
}

const SET_STATUTES: &str = "statutes";

pub fn statutes(store: &dyn Reads) -> Result<Statutes> {
    Ok(store
        .setting(SET_STATUTES)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

pub fn set_statutes(store: &mut dyn Store, s: &Statutes) -> Result<Statutes> {
    let mut errors = Vec::new();
    if s.notice_min_days > 365 {
        errors.push(FieldError::new("noticeMinDays", FieldCode::InvalidNumber));
    }
    if s.notice_max_days > 365 {
        errors.push(FieldError::new("noticeMaxDays", FieldCode::InvalidNumber));
    } else if s.notice_max_days < s.notice_min_days {
        errors.push(FieldError::new("noticeMaxDays", FieldCode::DateOrder));
    }
    if s.quorum_percent.is_some_and(|p| p == 0 || p > 100) {
        errors.push(FieldError::new("quorumPercent", FieldCode::InvalidNumber));
    }
    if s.quorum_count.is_some_and(|c| c == 0 || c > 1_000_000) {
        errors.push(FieldError::new("quorumCount", FieldCode::InvalidNumber));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let work = store.begin()?;
    work.put_setting(SET_STATUTES, &serde_json::to_string(s).unwrap_or_default())?;
    work.commit()?;
    Ok(*s)
}

/// Invitations produced outside the statutes' notice period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Warning {
    /// `notice_too_late` (fewer days left than the statutes ask) or
    /// `notice_too_early`.
    pub code: String,
    pub days_before: i64,
    pub min_days: u32,
    pub max_days: u32,
    /// The first and last day invitations may go out.
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
}

/// Is `on` (the day invitations go out) outside the notice period for a
/// meeting on `meeting_day`? Pure.
pub fn notice_check(meeting_day: NaiveDate, on: NaiveDate, s: &Statutes) -> Option<Warning> {
    let days_before = (meeting_day - on).num_days();
    let code = if days_before < s.notice_min_days as i64 {
        "notice_too_late"
    } else if days_before > s.notice_max_days as i64 {
        "notice_too_early"
    } else {
        return None;
    };
    Some(Warning {
        code: code.to_owned(),
        days_before,
        min_days: s.notice_min_days,
        max_days: s.notice_max_days,
        earliest: meeting_day - chrono::Days::new(s.notice_max_days as u64),
        latest: meeting_day - chrono::Days::new(s.notice_min_days as u64),
    })
}

/// The warning for invitations to `m` produced `on`, for an annual general
/// meeting (other meetings have no notice period).
pub fn notice_warning(store: &dyn Reads, m: &Meeting, on: NaiveDate) -> Result<Option<Warning>> {
    if m.details.kind != MeetingKind::AnnualGeneralMeeting {
        return Ok(None);
    }
    Ok(notice_check(m.details.starts.date(), on, &statutes(store)?))
}

/// The voter roll and the quorum of an annual general meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoterStatus {
    /// None: not frozen yet.
    pub cutoff: Option<NaiveDate>,
    pub voters: usize,
    /// Voters ticked as present.
    pub present: usize,
    /// Present voters the statutes ask for (None: no quorum rule).
    pub needed: Option<usize>,
    pub quorate: Option<bool>,
}

/// How many present voters the statutes ask for out of `voters`. Pure.
pub fn quorum_needed(s: &Statutes, voters: usize) -> Option<usize> {
    let by_count = s.quorum_count.map(|c| c as usize);
    let by_share = s
        .quorum_percent
        .map(|p| (voters * p as usize).div_ceil(100));
    match (by_count, by_share) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0).max(b.unwrap_or(0))),
    }
}

pub fn voter_status(store: &dyn Reads, m: &Meeting) -> Result<VoterStatus> {
    let (voters, present) = store.meetings().voter_counts(m.id)?;
    let needed = if m.voters_cutoff.is_some() {
        quorum_needed(&statutes(store)?, voters)
    } else {
        None
    };
    Ok(VoterStatus {
        cutoff: m.voters_cutoff,
        voters,
        present,
        needed,
        quorate: needed.map(|n| present >= n),
    })
}

/// Freezes the voter roll of meeting `id`: the members who were active on
/// `cutoff` (their status then, from the status history; not yet joined
/// then: not on the roll) and, when the statutes say so, had paid the fee
/// of the cut-off's year by then. Freezing again replaces the roll.
pub fn freeze_voters(store: &mut dyn Store, id: i64, cutoff: NaiveDate) -> Result<VoterStatus> {
    let m = store.meetings().meeting(id)?;
    if m.details.kind != MeetingKind::AnnualGeneralMeeting {
        return Err(Error::field("kind", FieldCode::InvalidChoice));
    }
    if cutoff > m.details.starts.date() {
        return Err(Error::field("cutoff", FieldCode::DateOrder));
    }
    let paid_only = statutes(&*store)?.paid_to_vote;
    let work = store.begin()?;
    work.meeting_writes().freeze_voters(id, cutoff, paid_only)?;
    work.commit()?;
    voter_status(store, &store.meetings().meeting(id)?)
}

/// The member ids on the frozen roll, by name.
pub fn voters(store: &dyn Reads, id: i64) -> Result<Vec<i64>> {
    store.meetings().voters(id)
}
