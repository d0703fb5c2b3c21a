//! Payments on the server (migration 0005: `bank_files`, `payments`,
//! `allocations`), under the money lock inside a unit of work (see
//! `dues.rs`).

use postgres::types::ToSql;
use postgres::{GenericClient, Row};

use super::members::enum_col;
use super::{all, Conn};
use crate::error::{Error, Result};
use crate::store::payments::{
    BankFileRecord, PaymentQuery, PaymentReads, PaymentRecord, PaymentWrites,
};
use crate::types::dates::Timestamp;
use crate::types::dues::{InvoiceStatus, MonthTotal};
use crate::types::payments::{Allocation, MatchedBy, Method, Payment, PaymentState, ReviewReason};

const PAYMENT_COLUMNS: &str = "p.id, p.method, p.date, p.amount, p.currency, p.reference, \
     p.text, p.payer, p.member_id, m.number, m.first_name || ' ' || m.last_name, p.state, \
     p.matched_by, p.reason, p.suggestion, p.score, f.name FROM payments p \
     LEFT JOIN members m ON m.id = p.member_id LEFT JOIN bank_files f ON f.id = p.file_id";

fn payment_from_row(r: &Row) -> Result<Payment> {
    let matched: Option<&str> = r.try_get(12)?;
    let reason: Option<&str> = r.try_get(13)?;
    let score: Option<i64> = r.try_get(15)?;
    Ok(Payment {
        id: r.try_get(0)?,
        method: enum_col(r, 1, Method::parse)?,
        date: r.try_get(2)?,
        amount: r.try_get(3)?,
        currency: r.try_get(4)?,
        reference: r.try_get(5)?,
        text: r.try_get(6)?,
        payer: r.try_get(7)?,
        member_id: r.try_get(8)?,
        member: r.try_get(9)?,
        name: r.try_get(10)?,
        state: enum_col(r, 11, PaymentState::parse)?,
        matched_by: matched.and_then(MatchedBy::parse),
        reason: reason.and_then(ReviewReason::parse),
        suggestion: r.try_get(14)?,
        score: score.and_then(|s| u32::try_from(s).ok()),
        allocations: Vec::new(),
        credit: 0,
        file: r.try_get(16)?,
    })
}

/// The payments read with their allocations and the credit left of each
/// (the allocations of all of them in one statement).
fn with_allocations(
    c: &mut impl GenericClient,
    mut payments: Vec<Payment>,
) -> Result<Vec<Payment>> {
    let ids: Vec<i64> = payments.iter().map(|p| p.id).collect();
    let rows = c.query(
        "SELECT a.payment_id, a.invoice_id, i.period, a.amount FROM allocations a \
         JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id = ANY($1) \
         ORDER BY a.payment_id, i.period, i.id",
        &[&ids],
    )?;
    let mut by_payment: std::collections::HashMap<i64, Vec<Allocation>> = Default::default();
    for r in rows {
        by_payment
            .entry(r.try_get(0)?)
            .or_default()
            .push(Allocation {
                invoice_id: r.try_get(1)?,
                period: r.try_get(2)?,
                amount: r.try_get(3)?,
            });
    }
    for p in &mut payments {
        p.allocations = by_payment.remove(&p.id).unwrap_or_default();
        if p.state == PaymentState::Booked {
            p.credit = p.amount - p.allocations.iter().map(|a| a.amount).sum::<i64>();
        }
    }
    Ok(payments)
}

/// What is booked and not allocated to invoices, of every payment or of a
/// member's (`$1`).
fn credit(c: &mut impl GenericClient, member: Option<i64>) -> Result<i64> {
    let row = c.query_one(
        "SELECT (coalesce(sum(p.amount), 0) - coalesce((SELECT sum(a.amount) FROM allocations a \
         JOIN payments q ON q.id = a.payment_id WHERE q.state = 'booked' \
         AND ($1::bigint IS NULL OR q.member_id = $1)), 0))::bigint \
         FROM payments p WHERE p.state = 'booked' AND ($1::bigint IS NULL OR p.member_id = $1)",
        &[&member],
    )?;
    Ok(row.try_get(0)?)
}

/// The payments' reads, the same for the register and a unit of work.
macro_rules! payment_reads {
    ($t:ty) => {
        impl PaymentReads for $t {
            fn bank_file(&self, format: &str, message_id: &str) -> Result<Option<i64>> {
                let row = self.money()?.query_opt(
                    "SELECT id FROM bank_files WHERE format = $1 AND message_id = $2",
                    &[&format, &message_id],
                )?;
                Ok(row.map(|r| r.try_get(0)).transpose()?)
            }

            fn bank_key_known(&self, key: &str) -> Result<bool> {
                let row = self
                    .money()?
                    .query_opt("SELECT 1 FROM payments WHERE bank_key = $1", &[&key])?;
                Ok(row.is_some())
            }

            fn invoice_by_reference(&self, reference: &str) -> Result<Option<i64>> {
                let row = self
                    .money()?
                    .query_opt("SELECT id FROM invoices WHERE reference = $1", &[&reference])?;
                Ok(row.map(|r| r.try_get(0)).transpose()?)
            }

            fn payment(&self, id: i64) -> Result<Payment> {
                let mut c = self.money()?;
                let sql = format!("SELECT {PAYMENT_COLUMNS} WHERE p.id = $1");
                let p = match c.query_opt(&sql, &[&id])? {
                    Some(r) => payment_from_row(&r)?,
                    None => return Err(Error::NotFound("payment")),
                };
                Ok(with_allocations(&mut *c, vec![p])?.remove(0))
            }

            fn payments(&self, q: &PaymentQuery) -> Result<Vec<Payment>> {
                let mut wheres: Vec<String> = Vec::new();
                let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
                if let Some(s) = q.state {
                    args.push(Box::new(s.as_str()));
                    wheres.push(format!("p.state = ${}", args.len()));
                }
                if let Some(m) = q.member_id {
                    args.push(Box::new(m));
                    wheres.push(format!("p.member_id = ${}", args.len()));
                }
                if let Some(f) = q.file_id {
                    args.push(Box::new(f));
                    wheres.push(format!("p.file_id = ${}", args.len()));
                }
                let filter = match wheres.is_empty() {
                    true => String::new(),
                    false => format!(" WHERE {}", wheres.join(" AND ")),
                };
                let sql = format!("SELECT {PAYMENT_COLUMNS}{filter} ORDER BY p.date, p.id");
                let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
                let mut c = self.money()?;
                let payments = all(c.query(&sql, &refs)?, payment_from_row)?;
                with_allocations(&mut *c, payments)
            }

            fn total_credit(&self) -> Result<i64> {
                credit(&mut *self.money()?, None)
            }

            fn by_month(&self, from: chrono::NaiveDate) -> Result<Vec<MonthTotal>> {
                let rows = self.money()?.query(
                    "SELECT to_char(date, 'YYYY-MM'), count(*), sum(amount)::bigint \
                     FROM payments WHERE date >= $1 AND state <> 'reversed' GROUP BY 1 ORDER BY 1",
                    &[&from],
                )?;
                all(rows, |r| {
                    Ok(MonthTotal {
                        month: r.try_get(0)?,
                        count: r.try_get(1)?,
                        amount: r.try_get(2)?,
                    })
                })
            }

            fn member_credit(&self, member_id: i64) -> Result<i64> {
                credit(&mut *self.money()?, Some(member_id))
            }
        }
    };
}

payment_reads!(super::PgRegister);
payment_reads!(super::PgWork<'_>);

impl PaymentWrites for super::PgWork<'_> {
    fn insert_bank_file(&self, f: &BankFileRecord, at: Timestamp) -> Result<i64> {
        Ok(self
            .money()?
            .query_one(
                "INSERT INTO bank_files (format, message_id, name, payments, total, read_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                &[
                    &f.format,
                    &f.message_id,
                    &f.name,
                    &f.payments,
                    &f.total,
                    &at.0,
                ],
            )?
            .try_get(0)?)
    }

    fn insert_payment(&self, p: &PaymentRecord, at: Timestamp) -> Result<i64> {
        Ok(self
            .money()?
            .query_one(
                "INSERT INTO payments (method, file_id, bank_key, date, amount, currency, \
                 reference, text, payer, member_id, state, matched_by, reason, suggestion, score, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                 $12, $13, $14, $15, $16, $16) RETURNING id",
                &[
                    &p.method.as_str(),
                    &p.file_id,
                    &p.bank_key,
                    &p.date,
                    &p.amount,
                    &p.currency,
                    &p.reference,
                    &p.text,
                    &p.payer,
                    &p.member_id,
                    &p.state.as_str(),
                    &p.matched_by.map(MatchedBy::as_str),
                    &p.reason.map(ReviewReason::as_str),
                    &p.suggestion,
                    &p.score.map(i64::from),
                    &at.0,
                ],
            )?
            .try_get(0)?)
    }

    fn set_payment_state(
        &self,
        id: i64,
        state: PaymentState,
        member_id: Option<i64>,
        matched_by: Option<MatchedBy>,
        at: Timestamp,
    ) -> Result<()> {
        self.money()?.execute(
            "UPDATE payments SET state = $2, member_id = $3, matched_by = $4, updated_at = $5 \
             WHERE id = $1",
            &[
                &id,
                &state.as_str(),
                &member_id,
                &matched_by.map(MatchedBy::as_str),
                &at.0,
            ],
        )?;
        Ok(())
    }

    fn allocate(&self, payment_id: i64, invoice_id: i64, amount: i64) -> Result<()> {
        self.money()?.execute(
            "INSERT INTO allocations (payment_id, invoice_id, amount) VALUES ($1, $2, $3) \
             ON CONFLICT (payment_id, invoice_id) \
             DO UPDATE SET amount = allocations.amount + $3",
            &[&payment_id, &invoice_id, &amount],
        )?;
        Ok(())
    }

    fn clear_allocations(&self, payment_id: i64) -> Result<()> {
        self.money()?.execute(
            "DELETE FROM allocations WHERE payment_id = $1",
            &[&payment_id],
        )?;
        Ok(())
    }

    fn set_invoice_paid(
        &self,
        invoice_id: i64,
        paid: i64,
        status: InvoiceStatus,
        at: Timestamp,
    ) -> Result<()> {
        self.money()?.execute(
            "UPDATE invoices SET paid = $2, status = $3, updated_at = $4 WHERE id = $1",
            &[&invoice_id, &paid, &status.as_str(), &at.0],
        )?;
        Ok(())
    }
}
