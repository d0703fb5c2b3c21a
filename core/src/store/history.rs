//! Members' history: every area that changes a member, prints them a letter
//! or ticks them present writes one line here, the same way.

use chrono::NaiveDate;

use crate::error::Result;
use crate::types::dates::Timestamp;
use crate::types::HistoryKind;

/// One line of a member's history. `at` is when (RFC 3339); `effective`
/// the day it took effect, where that differs (a status, a role, a meeting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryLine<'a> {
    pub member_id: i64,
    pub at: Timestamp,
    pub kind: HistoryKind,
    pub field: Option<&'a str>,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
    pub effective: Option<NaiveDate>,
}

impl<'a> HistoryLine<'a> {
    /// A line of `kind` for the member at `at`, with nothing else said yet.
    pub fn of(member_id: i64, at: Timestamp, kind: HistoryKind) -> HistoryLine<'a> {
        HistoryLine {
            member_id,
            at,
            kind,
            field: None,
            old: None,
            new: None,
            effective: None,
        }
    }
}

/// Writing history: only inside a unit of work.
pub trait HistoryWrites {
    /// Adds `line` to the member's history.
    fn record(&self, line: &HistoryLine) -> Result<()>;
    /// Takes back the latest line of the member with `line`'s kind, field
    /// and effective day (an attendance unticked).
    fn take_back(&self, line: &HistoryLine) -> Result<()>;
}
