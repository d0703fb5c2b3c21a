//! The books' store: what happened to invoices, payments and grants, as the
//! vouchers are made from it, and the log of what earlier exports held.
//! Which accounts a voucher books on lives in `crate::books`.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::Result;
use crate::types::books::{BookFormat, VoucherLine};
use crate::types::dates::Timestamp;
use crate::types::dues::{InvoiceLine, InvoiceStatus};
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
    pub lines: Vec<InvoiceLine>,
    /// The day it last changed (credited, written off, reminded, paid).
    pub changed: NaiveDate,
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

/// Everything the vouchers up to a day are made from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    pub invoices: Vec<InvoiceSource>,
    pub payments: Vec<PaymentSource>,
    pub grants: Vec<GrantSource>,
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
    /// The invoices issued, the payments dated and the grants paid on or
    /// before `to`, in date order.
    fn sources(&self, to: NaiveDate) -> Result<Sources>;
    /// The lines of every voucher an earlier export held, by key, as they
    /// were then.
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
