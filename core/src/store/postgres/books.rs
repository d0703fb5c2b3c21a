//! The books on the server (migration 0005: `book_exports`, each export's
//! vouchers as one JSON object in its row); the vouchers' sources are read
//! from the dues', payments' and grants' tables. The day a row last changed
//! is its UTC day, as the file keeps it.

use std::collections::HashMap;

use chrono::NaiveDate;
use postgres::Row;

use super::dues::json_error;
use super::members::enum_col;
use super::{all, Conn};
use crate::error::Result;
use crate::store::books::{
    BookReads, BookWrites, ExportRecord, GrantSource, InvoiceSource, PaymentSource, SourceLine,
};
use crate::types::books::VoucherLine;
use crate::types::dates::Timestamp;
use crate::types::dues::InvoiceStatus;
use crate::types::payments::PaymentState;

/// An invoice's lines (JSON, see `InvoiceLine`) as the books see them: the
/// kind and amount of each.
fn source_lines(json: &str) -> Result<Vec<SourceLine>> {
    #[derive(serde::Deserialize)]
    struct Line<'a> {
        #[serde(borrow)]
        kind: std::borrow::Cow<'a, str>,
        amount: i64,
    }
    Ok(serde_json::from_str::<Vec<Line>>(json)
        .map_err(json_error)?
        .into_iter()
        .map(|l| SourceLine {
            reminder_fee: l.kind == "reminder_fee",
            amount: l.amount,
        })
        .collect())
}

fn invoice_source(r: &Row) -> Result<InvoiceSource> {
    Ok(InvoiceSource {
        id: r.try_get(0)?,
        member: r.try_get(1)?,
        name: r.try_get(2)?,
        period: r.try_get(3)?,
        issued: r.try_get(4)?,
        status: enum_col(r, 5, InvoiceStatus::parse)?,
        amount: r.try_get(6)?,
        paid: r.try_get(7)?,
        lines: source_lines(r.try_get(8)?)?,
        changed: r.try_get(9)?,
    })
}

fn grant_source(r: &Row) -> Result<GrantSource> {
    Ok(GrantSource {
        id: r.try_get(0)?,
        paid_on: r.try_get(1)?,
        amount: r.try_get(2)?,
        title: r.try_get(3)?,
        fund: r.try_get(4)?,
        changed: r.try_get(5)?,
    })
}

/// The books' reads, the same for the register and a unit of work.
macro_rules! book_reads {
    ($t:ty) => {
        impl BookReads for $t {
            fn invoice_sources(&self, to: NaiveDate) -> Result<Vec<InvoiceSource>> {
                let rows = self.money()?.query(
                    "SELECT i.id, m.number, m.first_name || ' ' || m.last_name, i.period, \
                     i.issued, i.status, i.amount, i.paid, i.lines, \
                     (i.updated_at AT TIME ZONE 'UTC')::date \
                     FROM invoices i JOIN members m ON m.id = i.member_id \
                     WHERE i.issued <= $1 ORDER BY i.issued, i.id",
                    &[&to],
                )?;
                all(rows, invoice_source)
            }

            fn payment_sources(&self, to: NaiveDate) -> Result<Vec<PaymentSource>> {
                let rows = self.money()?.query(
                    "SELECT p.id, p.date, p.amount, p.state, \
                     coalesce((SELECT sum(a.amount) FROM allocations a \
                         WHERE a.payment_id = p.id), 0)::bigint, \
                     m.number, m.first_name || ' ' || m.last_name, p.payer, \
                     (p.updated_at AT TIME ZONE 'UTC')::date \
                     FROM payments p LEFT JOIN members m ON m.id = p.member_id \
                     WHERE p.date <= $1 ORDER BY p.date, p.id",
                    &[&to],
                )?;
                all(rows, |r| {
                    Ok(PaymentSource {
                        id: r.try_get(0)?,
                        date: r.try_get(1)?,
                        amount: r.try_get(2)?,
                        state: enum_col(r, 3, PaymentState::parse)?,
                        allocated: r.try_get(4)?,
                        member: r.try_get(5)?,
                        name: r.try_get(6)?,
                        payer: r.try_get(7)?,
                        changed: r.try_get(8)?,
                    })
                })
            }

            fn grant_sources(&self, to: NaiveDate) -> Result<Vec<GrantSource>> {
                let rows = self.money()?.query(
                    "SELECT a.id, a.paid_on, a.paid, a.title, f.name, \
                     (a.updated_at AT TIME ZONE 'UTC')::date \
                     FROM grant_applications a JOIN funds f ON f.id = a.fund_id \
                     WHERE a.paid IS NOT NULL AND a.paid_on IS NOT NULL AND a.paid_on <= $1 \
                     ORDER BY a.paid_on, a.id",
                    &[&to],
                )?;
                all(rows, grant_source)
            }

            fn exported(&self) -> Result<HashMap<String, Vec<VoucherLine>>> {
                // The exports in order: a later one's lines for a voucher
                // replace an earlier one's.
                let rows = self
                    .money()?
                    .query("SELECT held FROM book_exports ORDER BY id", &[])?;
                let mut every = HashMap::new();
                for r in rows {
                    let held: HashMap<String, Vec<VoucherLine>> =
                        serde_json::from_str(r.try_get(0)?).map_err(json_error)?;
                    every.extend(held);
                }
                Ok(every)
            }
        }
    };
}

book_reads!(super::PgRegister);
book_reads!(super::PgWork<'_>);

impl BookWrites for super::PgWork<'_> {
    fn record_export(
        &self,
        export: &ExportRecord,
        vouchers: &[(&str, &[VoucherLine])],
        at: Timestamp,
    ) -> Result<i64> {
        let held: HashMap<&str, &[VoucherLine]> = vouchers.iter().copied().collect();
        let held = serde_json::to_string(&held).map_err(json_error)?;
        Ok(self
            .money()?
            .query_one(
                "INSERT INTO book_exports (format, date_from, date_to, file, vouchers, \
                 exported_at, held) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                &[
                    &export.format.as_str(),
                    &export.from,
                    &export.to,
                    &export.file,
                    &(export.vouchers as i64),
                    &at.0,
                    &held,
                ],
            )?
            .try_get(0)?)
    }
}
