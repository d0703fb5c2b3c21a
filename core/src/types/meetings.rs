//! The meetings' data: a meeting, its kind and zone, the list's rows, who to
//! invite and the people on the invitation list. The rules live in
//! `crate::meetings`, the keeping in `crate::store`.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::dates::Timestamp;
use super::{string_enum, Kind, RoleKind, Status};

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

/// A meeting's own fields as checked: what the form sets and the store keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeetingDetails {
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
    pub workplace_id: Option<i64>,
    pub reply_by: Option<NaiveDate>,
    pub guests_allowed: bool,
    pub note: String,
}

/// The invitation list's numbers for the overview.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub invited: usize,
    pub guests: usize,
    pub by_letter: usize,
    pub by_email: usize,
    pub letters_printed: usize,
    pub yes: usize,
    pub no: usize,
    pub no_reply: usize,
    pub seats_taken: usize,
    pub attended: usize,
}

/// A kept meeting: its details (at the top level of the JSON), the names of
/// its branch and workplace, its series and voter-roll cut-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Meeting {
    pub id: i64,
    #[serde(flatten)]
    pub details: MeetingDetails,
    pub branch_name: Option<String>,
    pub workplace_name: Option<String>,
    pub series_id: Option<i64>,
    pub voters_cutoff: Option<NaiveDate>,
    pub uid: String,
    /// Counts the saves of the meeting's form; `changed_by` made the last,
    /// at `updated_at` (who: a database user, or this computer's).
    pub version: i64,
    pub changed_by: String,
    pub updated_at: Timestamp,
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
    /// On an update: the meeting's `version` when the form was opened; a
    /// save after someone else's is refused (`meeting_changed`). None: no
    /// check (the CLI).
    pub version: Option<i64>,
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
    pub invited_at: Timestamp,
    pub letter_at: Option<Timestamp>,
    pub reply: Option<String>,
    pub replied_at: Option<Timestamp>,
    /// `seated`, `waiting`, `declined` or `no_reply`.
    pub place: String,
    /// 1-based position on the waiting list.
    pub position: Option<usize>,
    pub promoted: bool,
    pub attended: bool,
}

string_enum!(
    /// Where an invited person stands, as the people list groups them.
    Standing {
        Seated = "seated",
        Waiting = "waiting",
        NoReply = "no_reply",
        Declined = "declined",
    }
);

/// Which part of the people list to read: an annual meeting can invite
/// every member, so the list is read a page at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PeopleQuery {
    /// Only those standing here (none: everyone).
    pub place: Option<Standing>,
    /// Words the name or member number begins with (the member list's
    /// Nordic search).
    pub find: String,
    pub offset: usize,
    /// At most [`PeopleQuery::MAX_LIMIT`].
    pub limit: usize,
    /// These too, as they stand now wherever they are in the list (the rows
    /// already shown, to redraw them in place).
    pub keep: Vec<i64>,
}

impl PeopleQuery {
    /// The most rows one page (and one `keep`) holds.
    pub const MAX_LIMIT: usize = 10_000;
}

/// How many stand where: the people list's tabs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceCounts {
    pub all: usize,
    pub seated: usize,
    pub waiting: usize,
    pub no_reply: usize,
    pub declined: usize,
}

impl PlaceCounts {
    /// How many stand at `place`.
    pub fn of(&self, place: Standing) -> usize {
        match place {
            Standing::Seated => self.seated,
            Standing::Waiting => self.waiting,
            Standing::NoReply => self.no_reply,
            Standing::Declined => self.declined,
        }
    }
}

/// A page of the people list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeoplePage {
    /// Those the query finds, in the list's order (seated in seat order,
    /// waiting in line, no reply, declined; by name within each), from
    /// `offset`.
    pub rows: Vec<Invitee>,
    /// How many the query finds in all.
    pub found: usize,
    /// The `keep` people still invited, as they stand now, in the order
    /// asked.
    pub kept: Vec<Invitee>,
    pub places: PlaceCounts,
}
