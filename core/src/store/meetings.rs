//! The meetings' store: meetings, invitations with their replies and seats,
//! and the frozen voter rolls. The rules (what a reply does to the seats,
//! who may be invited, the notice period) live in `crate::meetings`; these
//! traits only keep and find.

use chrono::NaiveDate;

use crate::error::Result;
use crate::types::dates::Timestamp;
use crate::types::meetings::{
    Counts, How, InviteSelection, Invitee, Meeting, MeetingDetails, MeetingRow, Person,
    PlaceCounts, Standing,
};
use crate::types::{RoleKind, Status};

/// Someone who could be invited: a member or a prospect (`guest`), and
/// whether they have an e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    pub member_id: i64,
    pub guest: bool,
    pub has_email: bool,
}

/// Someone to invite, how, and whether as a guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Invite {
    pub member_id: i64,
    pub how: How,
    pub guest: bool,
}

/// Which of those invited, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invited {
    ByLetter,
    /// Got a seat from the waiting list and has had no letter about it.
    Promoted,
    Seated,
    /// Everyone who did not say no.
    NotDeclined,
}

/// Which members an invitation by filter selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Filter {
    pub status: Status,
    pub branch_id: Option<i64>,
    pub workplace_id: Option<i64>,
    /// With this role on `on`.
    pub role: Option<RoleKind>,
    pub on: NaiveDate,
}

impl Filter {
    pub fn of(sel: &InviteSelection, on: NaiveDate) -> Filter {
        Filter {
            status: sel.status.unwrap_or(Status::Active),
            branch_id: sel.branch_id,
            workplace_id: sel.workplace_id,
            role: sel.role,
            on,
        }
    }
}

/// The invitations that take part in the seats: everyone with a seat, a
/// place in line, a reply or a pending "you got a seat" letter, in seat
/// order, then reply order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeatRows {
    pub invited: Vec<i64>,
    pub seated: Vec<i64>,
    pub waiting: Vec<i64>,
    pub declined: Vec<i64>,
    pub promoted: Vec<i64>,
}

impl SeatRows {
    /// Adds one invitation as the store holds it: its reply (`yes`/`no`),
    /// seat (`seated`/`waiting`) and whether promoted.
    pub fn push(&mut self, person: i64, reply: Option<&str>, seat: Option<&str>, promoted: bool) {
        self.invited.push(person);
        match seat {
            Some("seated") => self.seated.push(person),
            Some("waiting") => self.waiting.push(person),
            _ if reply == Some("no") => self.declined.push(person),
            _ => {}
        }
        if promoted {
            self.promoted.push(person);
        }
    }
}

/// Where an invitation stands, from its seat, reply and seat order as the
/// store holds them; on the waiting list with its 1-based place in line.
pub fn standing(
    seat: Option<&str>,
    reply: Option<&str>,
    order: Option<i64>,
) -> (Standing, Option<usize>) {
    match (seat, reply) {
        (Some("seated"), _) => (Standing::Seated, None),
        (Some("waiting"), _) => (Standing::Waiting, order.map(|o| o as usize + 1)),
        (_, Some("no")) => (Standing::Declined, None),
        // A yes without a seat cannot happen; shown as no reply.
        _ => (Standing::NoReply, None),
    }
}

/// A person's new place: `seat` is `seated`, `waiting` or none, `order`
/// their place among those.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeatChange {
    pub member_id: i64,
    pub seat: Option<&'static str>,
    pub order: Option<usize>,
    pub promoted: bool,
}

/// Reading meetings: a read handle or a unit of work.
pub trait MeetingReads {
    /// The meeting `id` (`not_found` otherwise).
    fn meeting(&self, id: i64) -> Result<Meeting>;
    /// Every meeting: those from `today` on first (the next first), then the
    /// past ones latest first.
    fn meetings(&self, today: NaiveDate) -> Result<Vec<MeetingRow>>;
    /// The invitations that take part in the seats, and `person` if
    /// invited (the thousands who have not replied play no part in a reply).
    fn seat_rows(&self, id: i64, person: Option<i64>) -> Result<SeatRows>;
    /// Everyone invited: seated (in seat order), waiting (in line), no
    /// reply, declined; by name within each.
    fn invitees(&self, id: i64) -> Result<Vec<Invitee>>;
    /// Those of [`MeetingReads::invitees`] standing at `place` (none:
    /// all) whose name or number has words beginning with those of `find`,
    /// `limit` of them from `offset`.
    fn invitee_page(
        &self,
        id: i64,
        place: Option<Standing>,
        find: &str,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Invitee>>;
    /// How many [`MeetingReads::invitee_page`] finds in all.
    fn invitees_found(&self, id: i64, place: Option<Standing>, find: &str) -> Result<usize>;
    /// Those of `members` who are invited, in that order.
    fn invitees_of(&self, id: i64, members: &[i64]) -> Result<Vec<Invitee>>;
    /// How many stand where.
    fn places(&self, id: i64) -> Result<PlaceCounts>;
    /// The reply of `member_id` (yes: true) and when it came; none when no
    /// reply (or not invited).
    fn reply_of(&self, id: i64, member_id: i64) -> Result<Option<(bool, Timestamp)>>;
    /// The e-mail addresses of those invited by e-mail, by name.
    fn emails(&self, id: i64) -> Result<Vec<String>>;
    fn counts(&self, id: i64) -> Result<Counts>;
    /// How many are invited (cheaper than [`MeetingReads::counts`]).
    fn invited_count(&self, id: i64) -> Result<usize>;
    /// Those waiting, in line; those promoted, in seat order.
    fn waiting(&self, id: i64) -> Result<Vec<Person>>;
    fn promoted(&self, id: i64) -> Result<Vec<Person>>;
    /// Member ids of those invited `which`, by name.
    fn invited(&self, id: i64, which: Invited) -> Result<Vec<i64>>;
    /// Members the filter selects, by name.
    fn candidates(&self, filter: &Filter) -> Result<Vec<Candidate>>;
    /// The prospects at a workplace, by name.
    fn prospects_at(&self, workplace_id: i64) -> Result<Vec<Candidate>>;
    /// The members with `ids`, as candidates, in that order (`not_found`
    /// for an id that is no member).
    fn picked(&self, ids: &[i64]) -> Result<Vec<Candidate>>;
    fn people(&self, ids: &[i64]) -> Result<Vec<Person>>;
    /// The frozen voter roll, by name; and how many of them are present.
    fn voters(&self, id: i64) -> Result<Vec<i64>>;
    fn voter_counts(&self, id: i64) -> Result<(usize, usize)>;
}

/// Writing meetings: only inside a unit of work.
pub trait MeetingWrites: MeetingReads {
    fn insert_meeting(&self, m: &MeetingDetails, series: Option<i64>, at: Timestamp)
        -> Result<i64>;
    fn update_meeting(&self, id: i64, m: &MeetingDetails, at: Timestamp) -> Result<()>;
    /// Removes it with its invitations; false when there was none.
    fn delete_meeting(&self, id: i64) -> Result<bool>;
    fn set_series(&self, id: i64, series: i64) -> Result<()>;
    /// Writes the places that changed.
    fn save_seats(&self, id: i64, changes: &[SeatChange]) -> Result<()>;
    /// The reply (yes: true) and when it came; none: no reply.
    fn set_reply(&self, id: i64, member_id: i64, reply: Option<(bool, Timestamp)>) -> Result<()>;
    /// Invites each; for each whether newly (false: invited before and left
    /// as they were).
    fn invite(&self, id: i64, people: &[Invite], at: Timestamp) -> Result<Vec<bool>>;
    fn uninvite(&self, id: i64, member_id: i64) -> Result<()>;
    /// Marks them present or not; returns whether they were before.
    fn set_attended(&self, id: i64, member_id: i64, present: bool) -> Result<bool>;
    /// Everyone invited by letter has had their letter at `at`.
    fn letters_sent(&self, id: i64, at: Timestamp) -> Result<()>;
    /// These no longer wait for a "you got a seat" letter.
    fn promotion_told(&self, id: i64, members: &[i64]) -> Result<()>;
    /// Freezes the voter roll: the members active on `cutoff`.
    /// `paid_only`: leave out members with an invoice for a period of the
    /// cut-off's year not fully paid by payments dated on or before it.
    fn freeze_voters(&self, id: i64, cutoff: NaiveDate, paid_only: bool) -> Result<()>;
}
