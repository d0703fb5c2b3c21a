//! Dues in SQLite (migration 0006: `fee_rules`, `member_dues`, `dues_runs`,
//! `invoices`).

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::members::status_on;
use super::{date_col, Conn};
use crate::error::{Error, Result};
use crate::store::dues::{
    BillingRow, DuesReads, DuesWrites, FeeRuleRecord, InvoiceQuery, InvoiceRecord, RemindRecord,
    RunRecord,
};
use crate::types::dates::Timestamp;
use crate::types::dues::{
    DuesRun, FeeRule, Invoice, InvoiceStatus, MemberDues, PeriodKind, RunState, Totals,
};
use crate::types::{Currency, MembershipType, Status};

fn day(r: &Row, i: usize) -> rusqlite::Result<NaiveDate> {
    Ok(date_col(r, i)?.unwrap_or_default())
}

fn rule_from_row(r: &Row) -> rusqlite::Result<FeeRule> {
    let kind: Option<String> = r.get(1)?;
    let period: String = r.get(2)?;
    let age: Option<i64> = r.get(4)?;
    Ok(FeeRule {
        id: r.get(0)?,
        membership_type: kind.as_deref().and_then(MembershipType::parse),
        period: PeriodKind::parse(&period).unwrap_or(PeriodKind::Year),
        amount: r.get(3)?,
        age_under: age.and_then(|a| u32::try_from(a).ok()),
        income_band: r.get(5)?,
        household: r.get(6)?,
        branch_id: r.get(7)?,
        branch_name: r.get(8)?,
        valid_from: day(r, 9)?,
    })
}

const INVOICE_COLUMNS: &str = "i.id, i.run_id, i.member_id, m.number, \
     m.first_name || ' ' || m.last_name, i.period, i.amount, i.paid, i.currency, i.reference, \
     i.status, i.issued, i.due, i.lines, i.reminders, i.reminded, b.name FROM invoices i \
     JOIN members m ON m.id = i.member_id LEFT JOIN branches b ON b.id = m.branch_id";

fn invoice_from_row(r: &Row) -> rusqlite::Result<Invoice> {
    let currency: String = r.get(8)?;
    let status: String = r.get(10)?;
    let lines: String = r.get(13)?;
    Ok(Invoice {
        id: r.get(0)?,
        run_id: r.get(1)?,
        member_id: r.get(2)?,
        member: r.get(3)?,
        name: r.get(4)?,
        period: r.get(5)?,
        amount: r.get(6)?,
        paid: r.get(7)?,
        currency: Currency::parse(&currency).unwrap_or(Currency::Sek),
        reference: r.get(9)?,
        status: InvoiceStatus::parse(&status).unwrap_or(InvoiceStatus::Open),
        issued: day(r, 11)?,
        due: day(r, 12)?,
        lines: serde_json::from_str(&lines).unwrap_or_default(),
        reminders: r.get(14)?,
        reminded: date_col(r, 15)?,
        branch: r.get(16)?,
    })
}

const RUN_COLUMNS: &str =
    "id, period, due, pro_rata, state, count, total, created_at FROM dues_runs";

fn run_from_row(r: &Row) -> rusqlite::Result<DuesRun> {
    let state: String = r.get(4)?;
    Ok(DuesRun {
        id: r.get(0)?,
        period: r.get(1)?,
        due: day(r, 2)?,
        pro_rata: r.get(3)?,
        state: RunState::parse(&state).unwrap_or(RunState::Written),
        count: r.get(5)?,
        total: r.get(6)?,
        created_at: r.get(7)?,
    })
}

impl<C: Conn> DuesReads for C {
    fn fee_rules(&self) -> Result<Vec<FeeRule>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT f.id, f.membership_type, f.period, f.amount, f.age_under, f.income_band, \
             f.household, f.branch_id, b.name, f.valid_from FROM fee_rules f \
             LEFT JOIN branches b ON b.id = f.branch_id \
             ORDER BY f.period, f.branch_id IS NOT NULL, b.name, f.household, \
             coalesce(f.membership_type, ''), f.age_under, f.income_band, f.valid_from",
        )?;
        let rows = stmt.query_map([], rule_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn billing_rows(&self, start: NaiveDate, end: NaiveDate) -> Result<Vec<BillingRow>> {
        let sql = format!(
            "SELECT m.id, m.number, m.first_name || ' ' || m.last_name, m.membership_type, \
             m.birth_date, {}, {}, m.joined_date, m.branch_id, b.name, \
             (m.address1 <> '' AND m.city <> '') OR m.email <> '', d.income_band, d.payer_id, \
             CASE WHEN m.scheduled_date <= :start THEN m.scheduled_date ELSE m.status_date END, \
             CASE WHEN m.scheduled_date <= :end THEN m.scheduled_date ELSE m.status_date END \
             FROM members m LEFT JOIN branches b ON b.id = m.branch_id \
             LEFT JOIN member_dues d ON d.member_id = m.id \
             WHERE m.kind = 'member' ORDER BY m.id",
            status_on(":start"),
            status_on(":end"),
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(
            rusqlite::named_params! {":start": start.to_string(), ":end": end.to_string()},
            |r| {
                let kind: String = r.get(3)?;
                let at_start: String = r.get(5)?;
                let at_end: String = r.get(6)?;
                Ok(BillingRow {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    name: r.get(2)?,
                    membership_type: MembershipType::parse(&kind)
                        .unwrap_or(MembershipType::Ordinary),
                    birth_date: date_col(r, 4)?,
                    status_at_start: Status::parse(&at_start).unwrap_or(Status::Active),
                    status_at_end: Status::parse(&at_end).unwrap_or(Status::Active),
                    joined_date: date_col(r, 7)?,
                    branch_id: r.get(8)?,
                    branch_name: r.get(9)?,
                    reachable: r.get(10)?,
                    dues: MemberDues {
                        income_band: r.get(11)?,
                        payer_id: r.get(12)?,
                    },
                    since_start: day(r, 13)?,
                    since_end: day(r, 14)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn billed(&self, period: &str) -> Result<Vec<i64>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT member_id FROM invoices WHERE period = ?1 AND status <> 'credited'",
        )?;
        let rows = stmt.query_map([period], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn next_invoice_id(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT coalesce(max(id), 0) + 1 FROM invoices", [], |r| {
                r.get(0)
            })?)
    }

    fn invoices(&self, q: &InvoiceQuery) -> Result<Vec<Invoice>> {
        let mut wheres = Vec::new();
        let mut args: Vec<Value> = Vec::new();
        if let Some(id) = q.id {
            wheres.push("i.id = ?");
            args.push(Value::Integer(id));
        }
        if q.unpaid {
            wheres.push("i.status IN ('open', 'partly_paid')");
        }
        if let Some(day) = q.due_before {
            wheres.push("i.status IN ('open', 'partly_paid') AND i.due < ?");
            args.push(Value::Text(day.to_string()));
        }
        if let Some(p) = &q.period {
            wheres.push("i.period = ?");
            args.push(Value::Text(p.clone()));
        }
        if let Some(r) = q.run_id {
            wheres.push("i.run_id = ?");
            args.push(Value::Integer(r));
        }
        if let Some(m) = q.member_id {
            wheres.push("i.member_id = ?");
            args.push(Value::Integer(m));
        }
        if let Some(s) = q.status {
            wheres.push("i.status = ?");
            args.push(Value::Text(s.as_str().to_owned()));
        }
        let filter = if wheres.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", wheres.join(" AND "))
        };
        let sql = format!("SELECT {INVOICE_COLUMNS}{filter} ORDER BY i.period, i.id");
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), invoice_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn run(&self, id: i64) -> Result<DuesRun> {
        self.conn()
            .query_row(
                &format!("SELECT {RUN_COLUMNS} WHERE id = ?1"),
                [id],
                run_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound("fee run"))
    }

    fn runs(&self) -> Result<Vec<DuesRun>> {
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("SELECT {RUN_COLUMNS} ORDER BY id DESC"))?;
        let rows = stmt.query_map([], run_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn member_dues(&self, member_id: i64) -> Result<MemberDues> {
        Ok(self
            .conn()
            .query_row(
                "SELECT income_band, payer_id FROM member_dues WHERE member_id = ?1",
                [member_id],
                |r| {
                    Ok(MemberDues {
                        income_band: r.get(0)?,
                        payer_id: r.get(1)?,
                    })
                },
            )
            .optional()?
            .unwrap_or_default())
    }

    fn totals(&self) -> Result<Vec<Totals>> {
        let mut stmt = self.conn().prepare(
            "SELECT i.period, b.name, count(*), sum(i.amount), sum(i.paid), \
             sum(CASE WHEN i.status IN ('open', 'partly_paid') THEN i.amount - i.paid ELSE 0 END), \
             sum(CASE WHEN i.status = 'written_off' THEN i.amount - i.paid ELSE 0 END) \
             FROM invoices i JOIN members m ON m.id = i.member_id \
             LEFT JOIN branches b ON b.id = m.branch_id \
             WHERE i.status <> 'credited' GROUP BY i.period, b.name \
             ORDER BY i.period DESC, b.name IS NULL, b.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Totals {
                period: r.get(0)?,
                branch: r.get(1)?,
                invoices: r.get(2)?,
                billed: r.get(3)?,
                paid: r.get(4)?,
                outstanding: r.get(5)?,
                written_off: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl<C: Conn> DuesWrites for C {
    fn put_fee_rule(&self, f: &FeeRuleRecord, at: Timestamp) -> Result<i64> {
        let conn = self.conn();
        let kind = f.membership_type.map(MembershipType::as_str);
        let from = f.valid_from.to_string();
        let existing: Option<i64> = conn
            .query_row(
                "SELECT id FROM fee_rules WHERE coalesce(membership_type, '') = coalesce(?1, '') \
                 AND period = ?2 AND coalesce(age_under, 0) = coalesce(?3, 0) \
                 AND coalesce(income_band, '') = coalesce(?4, '') AND household = ?5 \
                 AND coalesce(branch_id, 0) = coalesce(?6, 0) AND valid_from = ?7",
                params![
                    kind,
                    f.period.as_str(),
                    f.age_under,
                    f.income_band,
                    f.household,
                    f.branch_id,
                    from
                ],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            conn.execute(
                "UPDATE fee_rules SET amount = ?1 WHERE id = ?2",
                params![f.amount, id],
            )?;
            return Ok(id);
        }
        conn.execute(
            "INSERT INTO fee_rules (membership_type, period, amount, age_under, income_band, \
             household, branch_id, valid_from, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                kind,
                f.period.as_str(),
                f.amount,
                f.age_under,
                f.income_band,
                f.household,
                f.branch_id,
                from,
                at
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn delete_fee_rule(&self, id: i64) -> Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM fee_rules WHERE id = ?1", [id])?
            > 0)
    }

    fn set_member_dues(&self, member_id: i64, d: &MemberDues) -> Result<()> {
        if d.income_band.is_none() && d.payer_id.is_none() {
            self.conn()
                .execute("DELETE FROM member_dues WHERE member_id = ?1", [member_id])?;
        } else {
            self.conn().execute(
                "INSERT INTO member_dues (member_id, income_band, payer_id) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (member_id) DO UPDATE SET income_band = ?2, payer_id = ?3",
                params![member_id, d.income_band, d.payer_id],
            )?;
        }
        Ok(())
    }

    fn insert_run(&self, run: &RunRecord, at: Timestamp) -> Result<i64> {
        self.conn().execute(
            "INSERT INTO dues_runs (period, due, pro_rata, state, count, total, created_at, \
             updated_at) VALUES (?1, ?2, ?3, 'written', ?4, ?5, ?6, ?6)",
            params![
                run.period,
                run.due.to_string(),
                run.pro_rata,
                run.count,
                run.total,
                at
            ],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    fn insert_invoice(&self, i: &InvoiceRecord, at: Timestamp) -> Result<()> {
        let lines = serde_json::to_string(i.lines).map_err(|e| Error::Store(Box::new(e)))?;
        let mut stmt = self.conn().prepare_cached(
            "INSERT INTO invoices (id, run_id, member_id, period, amount, currency, reference, \
             status, issued, due, lines, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8, ?9, ?10, ?11, ?11)",
        )?;
        stmt.execute(params![
            i.id,
            i.run_id,
            i.member_id,
            i.period,
            i.amount,
            i.currency.as_str(),
            i.reference,
            i.issued.to_string(),
            i.due.to_string(),
            lines,
            at
        ])?;
        Ok(())
    }

    fn remind(&self, r: &RemindRecord, at: Timestamp) -> Result<()> {
        let lines = serde_json::to_string(r.lines).map_err(|e| Error::Store(Box::new(e)))?;
        self.conn()
            .prepare_cached(
                "UPDATE invoices SET reminders = ?2, reminded = ?3, amount = ?4, lines = ?5, \
                 updated_at = ?6 WHERE id = ?1",
            )?
            .execute(params![
                r.id,
                r.reminders,
                r.day.to_string(),
                r.amount,
                lines,
                at
            ])?;
        Ok(())
    }

    fn cancel_run(&self, id: i64, at: Timestamp) -> Result<()> {
        let conn = self.conn();
        conn.execute(
            "UPDATE dues_runs SET state = 'cancelled', updated_at = ?2 WHERE id = ?1",
            params![id, at],
        )?;
        conn.execute(
            "UPDATE invoices SET status = 'credited', credited = 1, updated_at = ?2 \
             WHERE run_id = ?1",
            params![id, at],
        )?;
        Ok(())
    }
}
