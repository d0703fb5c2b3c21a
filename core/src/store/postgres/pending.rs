//! The areas not yet on the office server (dues, payments, books): each of their reads and writes
//! refuses with `not_on_server`, and nothing is written. An area moves out
//! of here when its SQL for PostgreSQL is written (issue 17).
#![allow(clippy::too_many_arguments)]

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::error::{Error, Result};
use crate::store::books::*;
use crate::store::dues::*;
use crate::store::payments::*;
use crate::types::books::*;
use crate::types::dates::Timestamp;
use crate::types::dues::*;
use crate::types::payments::*;

/// Stands in for the areas the server does not hold yet.
pub(crate) struct Pending;

fn pending() -> Error {
    Error::NotOnServer
}

impl DuesReads for Pending {
    fn fee_rules(&self) -> Result<Vec<FeeRule>> {
        Err(pending())
    }

    fn billing_rows(&self, _start: NaiveDate, _end: NaiveDate) -> Result<Vec<BillingRow>> {
        Err(pending())
    }

    fn billed(&self, _period: &str) -> Result<Vec<i64>> {
        Err(pending())
    }

    fn next_invoice_id(&self) -> Result<i64> {
        Err(pending())
    }

    fn invoices(&self, _q: &InvoiceQuery) -> Result<Vec<Invoice>> {
        Err(pending())
    }

    fn run(&self, _id: i64) -> Result<DuesRun> {
        Err(pending())
    }

    fn runs(&self) -> Result<Vec<DuesRun>> {
        Err(pending())
    }

    fn member_dues(&self, _member_id: i64) -> Result<MemberDues> {
        Err(pending())
    }

    fn totals(&self) -> Result<Vec<Totals>> {
        Err(pending())
    }
}

impl DuesWrites for Pending {
    fn put_fee_rule(&self, _r: &FeeRuleRecord, _at: Timestamp) -> Result<i64> {
        Err(pending())
    }

    fn delete_fee_rule(&self, _id: i64) -> Result<bool> {
        Err(pending())
    }

    fn set_member_dues(&self, _member_id: i64, _dues: &MemberDues) -> Result<()> {
        Err(pending())
    }

    fn insert_run(&self, _run: &RunRecord, _at: Timestamp) -> Result<i64> {
        Err(pending())
    }

    fn insert_invoice(&self, _invoice: &InvoiceRecord, _at: Timestamp) -> Result<()> {
        Err(pending())
    }

    fn remind(&self, _r: &RemindRecord, _at: Timestamp) -> Result<()> {
        Err(pending())
    }

    fn cancel_run(&self, _id: i64, _at: Timestamp) -> Result<()> {
        Err(pending())
    }
}

impl PaymentReads for Pending {
    fn bank_file(&self, _format: &str, _message_id: &str) -> Result<Option<i64>> {
        Err(pending())
    }

    fn bank_key_known(&self, _key: &str) -> Result<bool> {
        Err(pending())
    }

    fn invoice_by_reference(&self, _reference: &str) -> Result<Option<i64>> {
        Err(pending())
    }

    fn payment(&self, _id: i64) -> Result<crate::types::payments::Payment> {
        Err(pending())
    }

    fn payments(&self, _q: &PaymentQuery) -> Result<Vec<crate::types::payments::Payment>> {
        Err(pending())
    }

    fn total_credit(&self) -> Result<i64> {
        Err(pending())
    }

    fn by_month(&self, _from: chrono::NaiveDate) -> Result<Vec<crate::types::dues::MonthTotal>> {
        Err(pending())
    }

    fn member_credit(&self, _member_id: i64) -> Result<i64> {
        Err(pending())
    }
}

impl PaymentWrites for Pending {
    fn insert_bank_file(&self, _f: &BankFileRecord, _at: Timestamp) -> Result<i64> {
        Err(pending())
    }

    fn insert_payment(&self, _p: &PaymentRecord, _at: Timestamp) -> Result<i64> {
        Err(pending())
    }

    fn set_payment_state(
        &self,
        _id: i64,
        _state: PaymentState,
        _member_id: Option<i64>,
        _matched_by: Option<MatchedBy>,
        _at: Timestamp,
    ) -> Result<()> {
        Err(pending())
    }

    fn allocate(&self, _payment_id: i64, _invoice_id: i64, _amount: i64) -> Result<()> {
        Err(pending())
    }

    fn clear_allocations(&self, _payment_id: i64) -> Result<()> {
        Err(pending())
    }

    fn set_invoice_paid(
        &self,
        _invoice_id: i64,
        _paid: i64,
        _status: InvoiceStatus,
        _at: Timestamp,
    ) -> Result<()> {
        Err(pending())
    }
}

impl BookReads for Pending {
    fn invoice_sources(&self, _to: NaiveDate) -> Result<Vec<InvoiceSource>> {
        Err(pending())
    }

    fn payment_sources(&self, _to: NaiveDate) -> Result<Vec<PaymentSource>> {
        Err(pending())
    }

    fn grant_sources(&self, _to: NaiveDate) -> Result<Vec<GrantSource>> {
        Err(pending())
    }

    fn exported(&self) -> Result<HashMap<String, Vec<VoucherLine>>> {
        Err(pending())
    }
}

impl BookWrites for Pending {
    fn record_export(
        &self,
        _export: &ExportRecord,
        _vouchers: &[(&str, &[VoucherLine])],
        _at: Timestamp,
    ) -> Result<i64> {
        Err(pending())
    }
}
