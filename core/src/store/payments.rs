//! Payments in: bank files read, payments, and what of each went to which
//! invoice. Matching and booking live in `crate::dues::pay`; these traits
//! only keep and find.

use chrono::NaiveDate;

use crate::error::Result;
use crate::types::dates::Timestamp;
use crate::types::dues::InvoiceStatus;
use crate::types::payments::{MatchedBy, Method, Payment, PaymentState, ReviewReason};

/// A bank file as it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankFileRecord<'a> {
    pub format: &'a str,
    pub message_id: &'a str,
    pub name: &'a str,
    pub payments: i64,
    pub total: i64,
}

/// A payment as it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord<'a> {
    pub method: Method,
    pub file_id: Option<i64>,
    pub bank_key: Option<&'a str>,
    pub date: NaiveDate,
    pub amount: i64,
    pub currency: &'a str,
    pub reference: Option<&'a str>,
    pub text: &'a str,
    pub payer: &'a str,
    pub member_id: Option<i64>,
    pub state: PaymentState,
    pub matched_by: Option<MatchedBy>,
    pub reason: Option<ReviewReason>,
    pub suggestion: Option<i64>,
    pub score: Option<u32>,
}

/// Which payments to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaymentQuery {
    pub state: Option<PaymentState>,
    pub member_id: Option<i64>,
    pub file_id: Option<i64>,
}

/// Reading payments: a read handle or a unit of work.
pub trait PaymentReads {
    /// The bank file with this format and identity, if read before.
    fn bank_file(&self, format: &str, message_id: &str) -> Result<Option<i64>>;
    /// Whether a payment with this bank transaction identity is kept.
    fn bank_key_known(&self, key: &str) -> Result<bool>;
    /// The invoice with this payment reference (spaces as written by
    /// `dues::reference::make`).
    fn invoice_by_reference(&self, reference: &str) -> Result<Option<i64>>;
    /// Payment `id` with its allocations (`not_found` otherwise).
    fn payment(&self, id: i64) -> Result<Payment>;
    /// Payments, oldest first.
    fn payments(&self, q: &PaymentQuery) -> Result<Vec<Payment>>;
    /// What the member has paid and not allocated to invoices.
    /// What all members have paid beyond their invoices.
    fn total_credit(&self) -> Result<i64>;
    /// The payments received (not reversed) per month from `from` on.
    fn by_month(&self, from: chrono::NaiveDate) -> Result<Vec<crate::types::dues::MonthTotal>>;
    fn member_credit(&self, member_id: i64) -> Result<i64>;
}

/// Writing payments: only inside a unit of work.
pub trait PaymentWrites {
    fn insert_bank_file(&self, f: &BankFileRecord, at: Timestamp) -> Result<i64>;
    fn insert_payment(&self, p: &PaymentRecord, at: Timestamp) -> Result<i64>;
    /// Sets where a payment stands and on whom.
    fn set_payment_state(
        &self,
        id: i64,
        state: PaymentState,
        member_id: Option<i64>,
        matched_by: Option<MatchedBy>,
        at: Timestamp,
    ) -> Result<()>;
    fn allocate(&self, payment_id: i64, invoice_id: i64, amount: i64) -> Result<()>;
    /// Removes a payment's allocations.
    fn clear_allocations(&self, payment_id: i64) -> Result<()>;
    /// Sets what is paid of an invoice and its status.
    fn set_invoice_paid(
        &self,
        invoice_id: i64,
        paid: i64,
        status: InvoiceStatus,
        at: Timestamp,
    ) -> Result<()>;
}
