//! Members written in bulk inside one unit of work: an import of thousands
//! of rows, the demo register. (One member at a time goes through
//! [`super::Register`], each write its own transaction.)

use chrono::NaiveDate;

use crate::error::Result;
use crate::types::dates::Timestamp;
use crate::types::{Country, Org, Status};
use crate::validate::ValidMember;

/// How the indexes keep up with the writes: the sort keys follow the
/// alphabet of the organisation's country; the search index follows row by
/// row, or once at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indexing {
    pub country: Country,
    pub search: Search,
}

/// When the search index catches up with the writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// Row by row (a few rows).
    EachRow,
    /// Once, by [`MemberWrites::rebuild_search_index`] at the end (many).
    RebuildAfter,
}

impl Indexing {
    pub fn each_row(country: Country) -> Indexing {
        Indexing {
            country,
            search: Search::EachRow,
        }
    }

    pub fn rebuild_after(country: Country) -> Indexing {
        Indexing {
            country,
            search: Search::RebuildAfter,
        }
    }
}

/// Writing members, branches, workplaces and the organisation: only inside
/// a unit of work.
pub trait MemberWrites {
    /// Has the register an organisation yet?
    fn has_org(&self) -> Result<bool>;
    fn insert_org(&self, org: &Org, at: Timestamp) -> Result<()>;
    fn insert_branch(&self, name: &str) -> Result<i64>;
    fn insert_workplace(&self, name: &str, branch_id: Option<i64>) -> Result<i64>;
    /// A new member with their roles and the history line of their creation.
    fn insert_member(&self, m: &ValidMember, status_date: NaiveDate, ix: Indexing) -> Result<i64>;
    /// Changes a member, a history line per changed field; false when
    /// nothing changed.
    fn update_member(&self, id: i64, m: &ValidMember, ix: Indexing) -> Result<bool>;
    /// A status change effective `date`, with its history line.
    fn apply_status(&self, id: i64, from: Status, to: Status, date: NaiveDate) -> Result<()>;
    fn rebuild_search_index(&self) -> Result<()>;
}
