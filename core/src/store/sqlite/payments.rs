//! Payments in SQLite (migration 0007: `bank_files`, `payments`,
//! `allocations`).

use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::{date_col, Conn};
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

fn payment_from_row(r: &Row) -> rusqlite::Result<Payment> {
    let method: String = r.get(1)?;
    let state: String = r.get(11)?;
    let matched: Option<String> = r.get(12)?;
    let reason: Option<String> = r.get(13)?;
    let score: Option<i64> = r.get(15)?;
    Ok(Payment {
        id: r.get(0)?,
        method: Method::parse(&method).unwrap_or(Method::Bank),
        date: date_col(r, 2)?.unwrap_or_default(),
        amount: r.get(3)?,
        currency: r.get(4)?,
        reference: r.get(5)?,
        text: r.get(6)?,
        payer: r.get(7)?,
        member_id: r.get(8)?,
        member: r.get(9)?,
        name: r.get(10)?,
        state: PaymentState::parse(&state).unwrap_or(PaymentState::Review),
        matched_by: matched.as_deref().and_then(MatchedBy::parse),
        reason: reason.as_deref().and_then(ReviewReason::parse),
        suggestion: r.get(14)?,
        score: score.and_then(|s| u32::try_from(s).ok()),
        allocations: Vec::new(),
        credit: 0,
        file: r.get(16)?,
    })
}

/// Fills in a payment's allocations and the credit left of it.
fn with_allocations<C: Conn>(c: &C, mut p: Payment) -> Result<Payment> {
    let mut stmt = c.conn().prepare_cached(
        "SELECT a.invoice_id, i.period, a.amount FROM allocations a \
         JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id = ?1 ORDER BY i.period, i.id",
    )?;
    p.allocations = stmt
        .query_map([p.id], |r| {
            Ok(Allocation {
                invoice_id: r.get(0)?,
                period: r.get(1)?,
                amount: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    if p.state == PaymentState::Booked {
        p.credit = p.amount - p.allocations.iter().map(|a| a.amount).sum::<i64>();
    }
    Ok(p)
}

impl<C: Conn> PaymentReads for C {
    fn bank_file(&self, format: &str, message_id: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM bank_files WHERE format = ?1 AND message_id = ?2",
                [format, message_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn bank_key_known(&self, key: &str) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached("SELECT 1 FROM payments WHERE bank_key = ?1")?
            .exists([key])?)
    }

    fn invoice_by_reference(&self, reference: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id FROM invoices WHERE reference = ?1")?
            .query_row([reference], |r| r.get(0))
            .optional()?)
    }

    fn payment(&self, id: i64) -> Result<Payment> {
        let p = self
            .conn()
            .query_row(
                &format!("SELECT {PAYMENT_COLUMNS} WHERE p.id = ?1"),
                [id],
                payment_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound("payment"))?;
        with_allocations(self, p)
    }

    fn payments(&self, q: &PaymentQuery) -> Result<Vec<Payment>> {
        let mut wheres = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        match q.state {
            // Written out, so that SQLite reads the index of those waiting
            // (migration 0010) instead of every payment.
            Some(PaymentState::Review) => wheres.push("p.state = 'review'"),
            Some(s) => {
                wheres.push("p.state = ?");
                args.push(Value::Text(s.as_str().to_owned()));
            }
            None => {}
        }
        if let Some(m) = q.member_id {
            wheres.push("p.member_id = ?");
            args.push(Value::Integer(m));
        }
        if let Some(f) = q.file_id {
            wheres.push("p.file_id = ?");
            args.push(Value::Integer(f));
        }
        let filter = if wheres.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", wheres.join(" AND "))
        };
        let sql = format!("SELECT {PAYMENT_COLUMNS}{filter} ORDER BY p.date, p.id");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(args), payment_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|p| with_allocations(self, p))
            .collect()
    }

    fn total_credit(&self) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT coalesce(sum(p.amount), 0) - coalesce((SELECT sum(a.amount) FROM allocations a \
             JOIN payments q ON q.id = a.payment_id WHERE q.state = 'booked'), 0) \
             FROM payments p WHERE p.state = 'booked'",
            [],
            |r| r.get(0),
        )?)
    }

    fn by_month(&self, from: chrono::NaiveDate) -> Result<Vec<MonthTotal>> {
        let mut stmt = self.conn().prepare(
            "SELECT substr(date, 1, 7), count(*), sum(amount) FROM payments \
             WHERE date >= ?1 AND state <> 'reversed' GROUP BY 1 ORDER BY 1",
        )?;
        let rows = stmt.query_map([from.to_string()], |r| {
            Ok(MonthTotal {
                month: r.get(0)?,
                count: r.get(1)?,
                amount: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn member_credit(&self, member_id: i64) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT coalesce(sum(p.amount), 0) - coalesce((SELECT sum(a.amount) FROM allocations a \
             JOIN payments q ON q.id = a.payment_id \
             WHERE q.member_id = ?1 AND q.state = 'booked'), 0) \
             FROM payments p WHERE p.member_id = ?1 AND p.state = 'booked'",
            [member_id],
            |r| r.get(0),
        )?)
    }
}

impl<C: Conn> PaymentWrites for C {
    fn insert_bank_file(&self, f: &BankFileRecord, at: Timestamp) -> Result<i64> {
        self.conn().execute(
            "INSERT INTO bank_files (format, message_id, name, payments, total, read_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![f.format, f.message_id, f.name, f.payments, f.total, at],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    fn insert_payment(&self, p: &PaymentRecord, at: Timestamp) -> Result<i64> {
        let mut stmt = self.conn().prepare_cached(
            "INSERT INTO payments (method, file_id, bank_key, date, amount, currency, reference, \
             text, payer, member_id, state, matched_by, reason, suggestion, score, created_at, \
             updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16)",
        )?;
        stmt.execute(params![
            p.method.as_str(),
            p.file_id,
            p.bank_key,
            p.date.to_string(),
            p.amount,
            p.currency,
            p.reference,
            p.text,
            p.payer,
            p.member_id,
            p.state.as_str(),
            p.matched_by.map(MatchedBy::as_str),
            p.reason.map(ReviewReason::as_str),
            p.suggestion,
            p.score,
            at
        ])?;
        Ok(self.conn().last_insert_rowid())
    }

    fn set_payment_state(
        &self,
        id: i64,
        state: PaymentState,
        member_id: Option<i64>,
        matched_by: Option<MatchedBy>,
        at: Timestamp,
    ) -> Result<()> {
        self.conn().execute(
            "UPDATE payments SET state = ?2, member_id = ?3, matched_by = ?4, updated_at = ?5 \
             WHERE id = ?1",
            params![
                id,
                state.as_str(),
                member_id,
                matched_by.map(MatchedBy::as_str),
                at
            ],
        )?;
        Ok(())
    }

    fn allocate(&self, payment_id: i64, invoice_id: i64, amount: i64) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO allocations (payment_id, invoice_id, amount) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (payment_id, invoice_id) DO UPDATE SET amount = amount + ?3",
            )?
            .execute(params![payment_id, invoice_id, amount])?;
        Ok(())
    }

    fn clear_allocations(&self, payment_id: i64) -> Result<()> {
        self.conn().execute(
            "DELETE FROM allocations WHERE payment_id = ?1",
            [payment_id],
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
        self.conn()
            .prepare_cached(
                "UPDATE invoices SET paid = ?2, status = ?3, updated_at = ?4 WHERE id = ?1",
            )?
            .execute(params![invoice_id, paid, status.as_str(), at])?;
        Ok(())
    }
}
