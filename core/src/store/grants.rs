//! The grants' store: funds, applications with their lines, steps and
//! attachments, and the club's own applications to others. The workflow and
//! the fund's arithmetic live in `crate::grants`; these traits only keep and
//! find.

use chrono::NaiveDate;

use crate::error::Result;
use crate::types::dates::Timestamp;
use crate::types::grants::{
    Amounts, ApplicantKind, Application, ApplicationDetails, ApplicationQuery, Attachment, Fund,
    Line, Outgoing, OutgoingDetails, Stage, StepRecord,
};
use crate::types::{Currency, Kind, Status};

/// A fund's fields as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FundRecord {
    pub name: String,
    pub period: String,
    pub budget: i64,
    pub cap: Option<i64>,
    pub applicants: Vec<ApplicantKind>,
    pub deadlines: Vec<NaiveDate>,
    pub note: String,
}

/// One step as it is kept in an application's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepLine<'a> {
    pub step: &'a str,
    pub stage: Stage,
    pub on: NaiveDate,
    pub amount: Option<i64>,
    pub note: &'a str,
}

/// A payment as kept: the day, the bank's reference and when the report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment<'a> {
    pub on: NaiveDate,
    pub reference: &'a str,
    pub report_due: NaiveDate,
}

/// Reading grants: a read handle or a unit of work.
pub trait GrantReads {
    /// Fund `id` (`not_found` otherwise).
    fn fund(&self, id: i64) -> Result<Fund>;
    /// Every fund, latest first.
    fn funds(&self) -> Result<Vec<Fund>>;
    /// The stage and amounts of every application of fund `id` but `except`.
    fn fund_amounts(&self, fund_id: i64, except: Option<i64>) -> Result<Vec<(Stage, Amounts)>>;
    /// Applications per stage.
    fn stage_counts(&self, fund_id: i64) -> Result<Vec<(Stage, i64)>>;
    fn application_count(&self, fund_id: i64) -> Result<usize>;
    /// Application `id` (`not_found` otherwise).
    fn application(&self, id: i64) -> Result<Application>;
    /// The applications `q` selects (overdue: report due before `today`),
    /// newest first.
    fn applications(&self, q: &ApplicationQuery, today: NaiveDate) -> Result<Vec<Application>>;
    fn lines(&self, id: i64) -> Result<Vec<Line>>;
    fn steps(&self, id: i64) -> Result<Vec<StepRecord>>;
    fn attachments(&self, id: i64) -> Result<Vec<Attachment>>;
    /// An attachment's bytes (`not_found` otherwise).
    fn attachment_bytes(&self, file: i64) -> Result<Vec<u8>>;
    /// A member's kind and status, if there is such a member.
    fn standing(&self, member_id: i64) -> Result<Option<(Kind, Status)>>;
    /// The club's own application `id` (`not_found` otherwise).
    fn outgoing(&self, id: i64) -> Result<Outgoing>;
    /// Open ones by deadline first, then the rest.
    fn outgoings(&self) -> Result<Vec<Outgoing>>;
}

/// Writing grants: only inside a unit of work.
pub trait GrantWrites {
    fn insert_fund(&self, f: &FundRecord, currency: Currency, at: Timestamp) -> Result<i64>;
    fn update_fund(&self, id: i64, f: &FundRecord, at: Timestamp) -> Result<()>;
    fn delete_fund(&self, id: i64) -> Result<()>;
    /// A new draft.
    fn insert_application(
        &self,
        fund_id: i64,
        a: &ApplicationDetails,
        at: Timestamp,
    ) -> Result<i64>;
    fn update_application(&self, id: i64, a: &ApplicationDetails, at: Timestamp) -> Result<()>;
    /// Replaces the budget lines.
    fn save_lines(&self, id: i64, lines: &[Line]) -> Result<()>;
    fn record_step(&self, id: i64, step: &StepLine, at: Timestamp) -> Result<()>;
    fn set_stage(&self, id: i64, stage: Stage, amounts: Amounts, at: Timestamp) -> Result<()>;
    /// The decision's conditions and reason.
    fn set_texts(&self, id: i64, conditions: &str, reason: &str) -> Result<()>;
    fn set_payment(&self, id: i64, paid: &Payment) -> Result<()>;
    fn attach(&self, id: i64, name: &str, bytes: &[u8], at: Timestamp) -> Result<i64>;
    /// False when there was no such attachment.
    fn detach(&self, file: i64) -> Result<bool>;
    /// A new one (`id` None) or the changes; its id.
    fn save_outgoing(&self, id: Option<i64>, o: &OutgoingDetails, at: Timestamp) -> Result<i64>;
    /// False when there was none.
    fn delete_outgoing(&self, id: i64) -> Result<bool>;
}
