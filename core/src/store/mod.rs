//! The store: the seam between the domain and storage.
//!
//! [`Register`] is the members' and the organisation's trait; `sqlite/` is
//! the embedded default that implements it, with all its SQL and the
//! migrations. Meetings, grants, letters, selections, import and export still
//! reach `SqliteRegister` directly; they move behind traits of their own here
//! (issue 12), so that a PostgreSQL store (issue 17) is a matter of
//! implementing traits.

pub mod sqlite;

use chrono::NaiveDate;

use crate::error::Result;
use crate::types::*;

pub trait Register: Send {
    /// The organisation, or `None` on a fresh database.
    fn org(&self) -> Result<Option<Org>>;
    fn create_org(&mut self, input: &OrgInput) -> Result<Org>;
    fn update_org(&mut self, input: &OrgInput) -> Result<Org>;

    /// The chosen UI language; `None` follows the operating system.
    fn language(&self) -> Result<Option<Language>>;
    fn set_language(&mut self, language: Option<Language>) -> Result<()>;
    /// When the last verified backup was made (RFC 3339), if ever.
    fn last_backup_at(&self) -> Result<Option<String>>;

    fn branches(&self) -> Result<Vec<Branch>>;
    fn create_branch(&mut self, name: &str) -> Result<Branch>;
    fn workplaces(&self) -> Result<Vec<Workplace>>;
    fn create_workplace(&mut self, name: &str, branch_id: Option<i64>) -> Result<Workplace>;

    fn list(&self, query: &ListQuery) -> Result<MemberPage>;
    fn get(&self, id: i64) -> Result<Member>;
    fn create(&mut self, input: &MemberInput) -> Result<Member>;
    fn update(&mut self, id: i64, input: &MemberInput) -> Result<Member>;
    /// Resign, reinstate, admit or record a death, effective `date`.
    fn set_status(&mut self, id: i64, status: Status, date: NaiveDate) -> Result<Member>;
    /// What changed and when, newest first.
    fn history(&self, id: i64) -> Result<Vec<HistoryEntry>>;

    /// Calls `each` with every member the query selects (all of them, not one
    /// page: `offset` and `limit` are ignored), in the query's order, roles
    /// included. For exports.
    fn for_each_member(
        &self,
        query: &ListQuery,
        each: &mut dyn FnMut(&Member) -> Result<()>,
    ) -> Result<()>;
}
