//! The books in SQLite (migration 0009: `book_exports`; 0012: each
//! export's vouchers as one JSON object in its row); the vouchers' sources
//! are read from the dues', payments' and grants' tables.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::params;

use super::{date_col, Conn};
use crate::error::{Error, Result};
use crate::store::books::{
    BookReads, BookWrites, ExportRecord, GrantSource, InvoiceSource, PaymentSource, SourceLine,
};
use crate::types::books::VoucherLine;
use crate::types::dates::Timestamp;
use crate::types::dues::InvoiceStatus;
use crate::types::payments::PaymentState;

fn json_error(e: serde_json::Error) -> Error {
    Error::Store(Box::new(e))
}

/// An invoice's lines (JSON, see `InvoiceLine`) as the books see them: the
/// kind and amount of each, with no text copied.
fn source_lines(json: &str) -> Vec<SourceLine> {
    #[derive(serde::Deserialize)]
    struct Line<'a> {
        #[serde(borrow)]
        kind: std::borrow::Cow<'a, str>,
        amount: i64,
    }
    serde_json::from_str::<Vec<Line>>(json)
        .unwrap_or_default()
        .into_iter()
        .map(|l| SourceLine {
            reminder_fee: l.kind == "reminder_fee",
            amount: l.amount,
        })
        .collect()
}

impl<C: Conn> BookReads for C {
    fn invoice_sources(&self, to: NaiveDate) -> Result<Vec<InvoiceSource>> {
        let c = self.conn();
        let to = to.to_string();
        let mut stmt = c.prepare(
            "SELECT i.id, m.number, m.first_name || ' ' || m.last_name, i.period, i.issued, \
             i.status, i.amount, i.paid, i.lines, substr(i.updated_at, 1, 10) \
             FROM invoices i JOIN members m ON m.id = i.member_id \
             WHERE i.issued <= ?1",
        )?;
        let mut invoices = stmt
            .query_map([&to], |r| {
                // Read in place, not copied: the status and the lines.
                let status = r.get_ref(5)?.as_str().unwrap_or_default();
                let lines = r.get_ref(8)?.as_str().unwrap_or_default();
                Ok(InvoiceSource {
                    id: r.get(0)?,
                    member: r.get(1)?,
                    name: r.get(2)?,
                    period: r.get(3)?,
                    issued: date_col(r, 4)?.unwrap_or_default(),
                    status: InvoiceStatus::parse(status).unwrap_or(InvoiceStatus::Open),
                    amount: r.get(6)?,
                    paid: r.get(7)?,
                    lines: source_lines(lines),
                    changed: date_col(r, 9)?.unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        // In the order of their days, by id within a day: sorted here
        // rather than by SQLite, which would copy every row (an invoice's
        // lines too) into its sorter first.
        invoices.sort_unstable_by_key(|i| (i.issued, i.id));
        Ok(invoices)
    }

    fn payment_sources(&self, to: NaiveDate) -> Result<Vec<PaymentSource>> {
        let c = self.conn();
        let to = to.to_string();
        // What each payment has allocated, in one pass over the
        // allocations (a lookup per payment took twice as long).
        let mut allocated: HashMap<i64, i64> = HashMap::new();
        let mut stmt =
            c.prepare("SELECT payment_id, sum(amount) FROM allocations GROUP BY payment_id")?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (id, sum) = row?;
            allocated.insert(id, sum);
        }
        let mut stmt = c.prepare(
            "SELECT p.id, p.date, p.amount, p.state, \
             m.number, m.first_name || ' ' || m.last_name, p.payer, substr(p.updated_at, 1, 10) \
             FROM payments p LEFT JOIN members m ON m.id = p.member_id \
             WHERE p.date <= ?1",
        )?;
        let mut payments = stmt
            .query_map([&to], |r| {
                let id: i64 = r.get(0)?;
                let state = r.get_ref(3)?.as_str().unwrap_or_default();
                Ok(PaymentSource {
                    id,
                    date: date_col(r, 1)?.unwrap_or_default(),
                    amount: r.get(2)?,
                    state: PaymentState::parse(state).unwrap_or(PaymentState::Review),
                    allocated: allocated.get(&id).copied().unwrap_or(0),
                    member: r.get(4)?,
                    name: r.get(5)?,
                    payer: r.get(6)?,
                    changed: date_col(r, 7)?.unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        payments.sort_unstable_by_key(|p| (p.date, p.id));
        Ok(payments)
    }

    fn grant_sources(&self, to: NaiveDate) -> Result<Vec<GrantSource>> {
        let to = to.to_string();
        let mut stmt = self.conn().prepare(
            "SELECT a.id, a.paid_on, a.paid, a.title, f.name, substr(a.updated_at, 1, 10) \
             FROM grant_applications a JOIN funds f ON f.id = a.fund_id \
             WHERE a.paid IS NOT NULL AND a.paid_on IS NOT NULL AND a.paid_on <= ?1 \
             ORDER BY a.paid_on, a.id",
        )?;
        let grants = stmt
            .query_map([&to], |r| {
                Ok(GrantSource {
                    id: r.get(0)?,
                    paid_on: date_col(r, 1)?.unwrap_or_default(),
                    amount: r.get(2)?,
                    title: r.get(3)?,
                    fund: r.get(4)?,
                    changed: date_col(r, 5)?.unwrap_or_default(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(grants)
    }

    fn exported(&self) -> Result<HashMap<String, Vec<VoucherLine>>> {
        // The exports in order: a later one's lines for a voucher replace
        // an earlier one's.
        let mut stmt = self
            .conn()
            .prepare("SELECT held FROM book_exports ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut all = HashMap::new();
        while let Some(r) = rows.next()? {
            let held = r.get_ref(0)?.as_str().unwrap_or("{}");
            let held: HashMap<String, Vec<VoucherLine>> =
                serde_json::from_str(held).map_err(json_error)?;
            all.extend(held);
        }
        Ok(all)
    }
}

impl<C: Conn> BookWrites for C {
    fn record_export(
        &self,
        export: &ExportRecord,
        vouchers: &[(&str, &[VoucherLine])],
        at: Timestamp,
    ) -> Result<i64> {
        // The vouchers held, as one JSON object {key: lines}: one row, not
        // one per voucher (a year's 180 000 rows were a third of the time).
        struct Held<'a>(&'a [(&'a str, &'a [VoucherLine])]);
        impl serde::Serialize for Held<'_> {
            fn serialize<S: serde::Serializer>(
                &self,
                s: S,
            ) -> std::result::Result<S::Ok, S::Error> {
                s.collect_map(self.0.iter().map(|(key, lines)| (key, lines)))
            }
        }
        let held = serde_json::to_string(&Held(vouchers)).map_err(json_error)?;
        let c = self.conn();
        c.execute(
            "INSERT INTO book_exports (format, date_from, date_to, file, vouchers, exported_at, \
             held) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                export.format.as_str(),
                export.from.to_string(),
                export.to.to_string(),
                export.file,
                export.vouchers as i64,
                at,
                held
            ],
        )?;
        let id = c.last_insert_rowid();
        Ok(id)
    }
}
