//! The dues' store: fee rules, what members pay with, fee runs and their
//! invoices. Which rule a member pays by and what a run bills live in
//! `crate::dues`; these traits only keep and find.

use chrono::NaiveDate;

use crate::error::Result;
use crate::types::dates::Timestamp;
use crate::types::dues::{
    DuesRun, FeeRule, Invoice, InvoiceLine, InvoiceStatus, MemberDues, PeriodKind, Totals,
};
use crate::types::{Currency, MembershipType, Status};

/// A fee rule's fields as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeRuleRecord {
    pub membership_type: Option<MembershipType>,
    pub period: PeriodKind,
    pub amount: i64,
    pub age_under: Option<u32>,
    pub income_band: Option<String>,
    pub household: bool,
    pub branch_id: Option<i64>,
    pub valid_from: NaiveDate,
}

/// What a fee run needs to know of a member (kind `member` only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingRow {
    pub id: i64,
    pub number: String,
    pub name: String,
    pub membership_type: MembershipType,
    pub birth_date: Option<NaiveDate>,
    /// The status on the period's first day, and the day it began.
    pub status_at_start: Status,
    pub since_start: NaiveDate,
    /// The status on the period's last day (a member who joins or resigns
    /// during it), and the day it began.
    pub status_at_end: Status,
    pub since_end: NaiveDate,
    pub joined_date: Option<NaiveDate>,
    pub branch_id: Option<i64>,
    pub branch_name: Option<String>,
    /// A postal address (street and city) or an e-mail.
    pub reachable: bool,
    pub dues: MemberDues,
}

/// A fee run as it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRecord<'a> {
    pub period: &'a str,
    pub due: NaiveDate,
    pub pro_rata: bool,
    pub count: i64,
    pub total: i64,
}

/// An invoice as it is written: its id is chosen by the caller (the
/// reference is made from it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRecord<'a> {
    pub id: i64,
    pub run_id: Option<i64>,
    pub member_id: i64,
    pub period: &'a str,
    pub amount: i64,
    pub currency: Currency,
    pub reference: &'a str,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub lines: &'a [InvoiceLine],
}

/// Which invoices to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceQuery {
    pub id: Option<i64>,
    pub period: Option<String>,
    pub run_id: Option<i64>,
    pub member_id: Option<i64>,
    pub status: Option<InvoiceStatus>,
    /// Only open and partly paid ones.
    pub unpaid: bool,
    /// Only open and partly paid ones due before this day.
    pub due_before: Option<NaiveDate>,
}

/// A reminder as it is kept on its invoice (a fee changes the amount and
/// adds a line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemindRecord<'a> {
    pub id: i64,
    pub reminders: u32,
    pub day: NaiveDate,
    pub amount: i64,
    pub lines: &'a [InvoiceLine],
}

/// Reading dues: a read handle or a unit of work.
pub trait DuesReads {
    /// Every fee rule, by period, type and date.
    fn fee_rules(&self) -> Result<Vec<FeeRule>>;
    /// Every member (not prospects) as a run for `start`..=`end` sees them.
    fn billing_rows(&self, start: NaiveDate, end: NaiveDate) -> Result<Vec<BillingRow>>;
    /// The members with an invoice for `period` that is not credited.
    fn billed(&self, period: &str) -> Result<Vec<i64>>;
    /// The invoice id a new one may take (one past the highest).
    fn next_invoice_id(&self) -> Result<i64>;
    fn invoices(&self, q: &InvoiceQuery) -> Result<Vec<Invoice>>;
    /// Run `id` (`not_found` otherwise).
    fn run(&self, id: i64) -> Result<DuesRun>;
    /// Every run, newest first.
    fn runs(&self) -> Result<Vec<DuesRun>>;
    fn member_dues(&self, member_id: i64) -> Result<MemberDues>;
    /// What was billed, paid and is outstanding per period and branch
    /// (credited invoices left out), newest period first.
    fn totals(&self) -> Result<Vec<Totals>>;
}

/// Writing dues: only inside a unit of work.
pub trait DuesWrites {
    /// A new rule, or the one with the same conditions and first day
    /// replaced; its id.
    fn put_fee_rule(&self, r: &FeeRuleRecord, at: Timestamp) -> Result<i64>;
    /// False when there was no such rule.
    fn delete_fee_rule(&self, id: i64) -> Result<bool>;
    fn set_member_dues(&self, member_id: i64, dues: &MemberDues) -> Result<()>;
    fn insert_run(&self, run: &RunRecord, at: Timestamp) -> Result<i64>;
    fn insert_invoice(&self, invoice: &InvoiceRecord, at: Timestamp) -> Result<()>;
    fn remind(&self, r: &RemindRecord, at: Timestamp) -> Result<()>;
    /// Marks the run cancelled and its invoices credited.
    fn cancel_run(&self, id: i64, at: Timestamp) -> Result<()>;
}
