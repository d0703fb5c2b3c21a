//! The register's API: a small trait seam between the shells and storage.
//!
//! The shells (desktop app, CLI) call only this trait. Today one backend
//! implements it, [`crate::SqliteRegister`]; a shared PostgreSQL backend for a
//! federation office could implement it later without touching the callers.

use chrono::NaiveDate;

use std::path::Path;
use std::sync::atomic::AtomicBool;

use crate::error::Result;
use crate::import::{ImportPreview, ImportSummary, Mapping};
use crate::model::*;

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

    /// What importing `path` would do (see [`crate::import`]). Writes nothing.
    fn import_preview(&self, path: &Path, mapping: Option<&Mapping>) -> Result<ImportPreview>;

    /// Imports `path` in one transaction, or nothing when it has problems or
    /// is cancelled. `progress(done, total)` reports written rows.
    fn import_commit(
        &mut self,
        path: &Path,
        mapping: Option<&Mapping>,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<ImportSummary>;

    /// Fills an empty register with a generated demo organisation.
    fn create_demo(&mut self, count: usize) -> Result<Org>;
}
