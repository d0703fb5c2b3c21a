//! The books' store: what happened to invoices, payments and grants, as the
//! vouchers are made from it, and the log of what earlier exports held.
//! Which accounts a voucher books on lives in `crate::books`.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::Result;
use crate::types::books::{BookFormat, VoucherLine};
use crate::types::dates::Timestamp;
use crate::types::dues::InvoiceStatus;
use crate::types::payments::PaymentState;

/// An invoice as the books see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceSource {
    pub id: i64,
    /// The member's number and name.
    pub member: String,
    pub name: String,
    pub period: String,
    pub issued: NaiveDate,
    pub status: InvoiceStatus,
    pub amount: i64,
    pub paid: i64,
    pub lines: Vec<SourceLine>,
    /// The day it last changed (credited, written off, reminded, paid).
    pub changed: NaiveDate,
}

/// A line of an invoice as the books see it: what it bills, and whether
/// that is a reminder's fee (booked on its own account) or a fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLine {
    pub reminder_fee: bool,
    pub amount: i64,
}

/// A payment as the books see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentSource {
    pub id: i64,
    pub date: NaiveDate,
    pub amount: i64,
    pub state: PaymentState,
    /// What of it went to invoices.
    pub allocated: i64,
    /// The member's number and name, when it is booked on one.
    pub member: Option<String>,
    pub name: Option<String>,
    /// The payer as the bank named them.
    pub payer: String,
    pub changed: NaiveDate,
}

/// A grant paid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantSource {
    pub id: i64,
    pub paid_on: NaiveDate,
    pub amount: i64,
    pub title: String,
    pub fund: String,
    pub changed: NaiveDate,
}

/// An export as it is logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRecord<'a> {
    pub format: BookFormat,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub file: &'a str,
    pub vouchers: usize,
}

pub trait BookReads {
    /// The invoices issued on or before `to`, by day and id.
    fn invoice_sources(&self, to: NaiveDate) -> Result<Vec<InvoiceSource>>;
    /// The payments dated on or before `to`, by day and id.
    fn payment_sources(&self, to: NaiveDate) -> Result<Vec<PaymentSource>>;
    /// The grants paid out on or before `to`, by day and id.
    fn grant_sources(&self, to: NaiveDate) -> Result<Vec<GrantSource>>;
    /// The lines of every voucher an earlier export held, by key, as the
    /// latest export that held it logged them.
    fn exported(&self) -> Result<HashMap<String, Vec<VoucherLine>>>;
}

pub trait BookWrites {
    /// Logs an export and the vouchers it held (each key with its lines as
    /// they now stand).
    fn record_export(
        &self,
        export: &ExportRecord,
        vouchers: &[(&str, &[VoucherLine])],
        at: Timestamp,
    ) -> Result<i64>;
}
