//! The store: the seam between the domain and storage.
//!
//! A shell holds a [`Store`]. [`Register`] is the organisation's and the
//! members' trait (each write its own transaction). The other areas have a
//! read trait and a write trait each (`meetings`, `grants`, `letters`, `dues`,
//! `payments`, `books`;
//! `history::HistoryWrites` and `members::MemberWrites` for the writes that
//! go with them): reads go through a read handle ([`Reads`], which the store itself is), writes only through a
//! [`UnitOfWork`], which commits everything it wrote or, dropped, nothing.
//! `sqlite/` is the embedded default that implements them all, with all its
//! SQL and the migrations. Backup and restore are about the SQLite file and
//! take `SqliteRegister` itself. `postgres/` is the office server's store
//! (issue 17): the same traits on a PostgreSQL database, every area.

pub mod books;
pub mod dues;
pub mod grants;
pub mod history;
pub mod letters;
pub mod meetings;
pub mod members;
pub mod payments;
pub mod postgres;
pub mod sqlite;

use chrono::NaiveDate;

use crate::error::Result;
use crate::types::*;
use books::{BookReads, BookWrites};
use dues::{DuesReads, DuesWrites};
use grants::{GrantReads, GrantWrites};
use history::HistoryWrites;
use letters::{LetterReads, LetterWrites};
use meetings::{MeetingReads, MeetingWrites};
use members::MemberWrites;
use payments::{PaymentReads, PaymentWrites};

/// What a read handle or a unit of work reaches, area by area.
pub trait Reads {
    fn meetings(&self) -> &dyn MeetingReads;
    fn grants(&self) -> &dyn GrantReads;
    fn letters(&self) -> &dyn LetterReads;
    fn dues(&self) -> &dyn DuesReads;
    fn payments(&self) -> &dyn PaymentReads;
    fn books(&self) -> &dyn BookReads;
    /// One member or prospect with their roles (`not_found` otherwise).
    fn member(&self, id: i64) -> Result<Member>;
    /// The member with `number`, if any.
    fn member_by_number(&self, number: &str) -> Result<Option<i64>>;
    fn branch_exists(&self, id: i64) -> Result<bool>;
    fn workplace_exists(&self, id: i64) -> Result<bool>;
    /// A value of the settings (`statutes`, ...).
    fn setting(&self, key: &str) -> Result<Option<String>>;
}

/// Writes that belong together: committed together by [`UnitOfWork::commit`],
/// or, when it is dropped without, not at all.
pub trait UnitOfWork: Reads {
    fn meeting_writes(&self) -> &dyn MeetingWrites;
    fn grant_writes(&self) -> &dyn GrantWrites;
    fn letter_writes(&self) -> &dyn LetterWrites;
    fn dues_writes(&self) -> &dyn DuesWrites;
    fn payment_writes(&self) -> &dyn PaymentWrites;
    fn book_writes(&self) -> &dyn BookWrites;
    fn member_writes(&self) -> &dyn MemberWrites;
    fn history_writes(&self) -> &dyn HistoryWrites;
    fn put_setting(&self, key: &str, value: &str) -> Result<()>;
    fn commit(self: Box<Self>) -> Result<()>;
}

/// The store a shell holds: the register, the areas' reads, and units of
/// work for the areas' writes.
pub trait Store: Register + Reads {
    /// Begins a unit of work.
    fn begin(&mut self) -> Result<Box<dyn UnitOfWork + '_>>;
    /// The organisation, or `no_organisation`.
    fn org_or_err(&self) -> Result<Org> {
        self.org()?.ok_or(crate::error::Error::NoOrganisation)
    }

    /// The language papers for the organisation are printed in (lists,
    /// sheets, the CLI's words): the chosen UI language, else the
    /// organisation's country's.
    fn print_language(&self) -> Result<Language> {
        match self.language()? {
            Some(l) => Ok(l),
            None => Ok(self.org_or_err()?.country.language()),
        }
    }
}

pub trait Register: Send {
    /// The organisation, or `None` on a fresh database.
    fn org(&self) -> Result<Option<Org>>;
    fn create_org(&mut self, input: &OrgInput) -> Result<Org>;
    fn update_org(&mut self, input: &OrgInput) -> Result<Org>;

    /// The chosen UI language; `None` follows the operating system.
    fn language(&self) -> Result<Option<Language>>;
    fn set_language(&mut self, language: Option<Language>) -> Result<()>;
    /// When the last verified backup was made (RFC 3339), if ever.
    fn last_backup_at(&self) -> Result<Option<Timestamp>>;

    fn branches(&self) -> Result<Vec<Branch>>;
    fn create_branch(&mut self, name: &str) -> Result<Branch>;
    fn workplaces(&self) -> Result<Vec<Workplace>>;
    fn create_workplace(&mut self, name: &str, branch_id: Option<i64>) -> Result<Workplace>;

    fn list(&self, query: &ListQuery) -> Result<MemberPage>;
    /// Every member the query selects, in its order (`offset` and `limit`
    /// are ignored): "select all matching" in the list.
    fn list_ids(&self, query: &ListQuery) -> Result<Vec<i64>>;
    /// Where the first member whose name (or city, by the query's sort)
    /// starts at or after `prefix` stands in the query's order, counted from
    /// 0: jumping to a letter. Only for the sorts by name and by city.
    fn position(&self, query: &ListQuery, prefix: &str) -> Result<i64>;
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
