//! Dues on the server (migration 0005: `fee_rules`, `member_dues`,
//! `dues_runs`, `invoices`).
//!
//! Money is counted right however many officers work at once: inside a
//! unit of work, the first read or write of the dues, payments or books
//! takes one lock for the register ([`MONEY_LOCK`], held until the work
//! commits or rolls back), so two fee runs, two bank files or a bank file
//! and a payment by hand take turns, the second reading what the first
//! wrote — the invoices' ids a run chooses, what is paid of each invoice.
//! Reads outside a unit of work take no lock.

use chrono::NaiveDate;
use postgres::types::ToSql;
use postgres::{GenericClient, Row};

use super::members::{enum_col, STATUS_TODAY};
use super::{all, Conn};
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

/// The key of the lock the money work takes (`pg_advisory_xact_lock`): any
/// number, the same in every Medlem, not the migrations' (`db.rs`).
pub(super) const MONEY_LOCK: i64 = 0x4d65_646c_656d_0024;

/// Takes the money lock in the transaction `c` (until it ends).
pub(super) fn lock_money(c: &mut impl GenericClient) -> Result<()> {
    c.execute("SELECT pg_advisory_xact_lock($1)", &[&MONEY_LOCK])?;
    Ok(())
}

pub(super) fn json_error(e: serde_json::Error) -> Error {
    Error::Store(Box::new(e))
}

fn rule_from_row(r: &Row) -> Result<FeeRule> {
    let kind: Option<&str> = r.try_get(1)?;
    let age: Option<i64> = r.try_get(4)?;
    Ok(FeeRule {
        id: r.try_get(0)?,
        membership_type: kind.and_then(MembershipType::parse),
        period: enum_col(r, 2, PeriodKind::parse)?,
        amount: r.try_get(3)?,
        age_under: age.and_then(|a| u32::try_from(a).ok()),
        income_band: r.try_get(5)?,
        household: r.try_get(6)?,
        branch_id: r.try_get(7)?,
        branch_name: r.try_get(8)?,
        valid_from: r.try_get(9)?,
    })
}

/// The columns [`invoice_from_row`] reads.
pub(super) const INVOICE_COLUMNS: &str = "i.id, i.run_id, i.member_id, m.number, \
     m.first_name || ' ' || m.last_name, i.period, i.amount, i.paid, i.currency, i.reference, \
     i.status, i.issued, i.due, i.lines, i.reminders, i.reminded, b.name FROM invoices i \
     JOIN members m ON m.id = i.member_id LEFT JOIN branches b ON b.id = m.branch_id";

fn invoice_from_row(r: &Row) -> Result<Invoice> {
    let lines: &str = r.try_get(13)?;
    let reminders: i64 = r.try_get(14)?;
    Ok(Invoice {
        id: r.try_get(0)?,
        run_id: r.try_get(1)?,
        member_id: r.try_get(2)?,
        member: r.try_get(3)?,
        name: r.try_get(4)?,
        period: r.try_get(5)?,
        amount: r.try_get(6)?,
        paid: r.try_get(7)?,
        currency: enum_col(r, 8, Currency::parse)?,
        reference: r.try_get(9)?,
        status: enum_col(r, 10, InvoiceStatus::parse)?,
        issued: r.try_get(11)?,
        due: r.try_get(12)?,
        lines: serde_json::from_str(lines).map_err(json_error)?,
        reminders: u32::try_from(reminders).unwrap_or_default(),
        reminded: r.try_get(15)?,
        branch: r.try_get(16)?,
    })
}

const RUN_COLUMNS: &str =
    "id, period, due, pro_rata, state, count, total, created_at FROM dues_runs";

fn run_from_row(r: &Row) -> Result<DuesRun> {
    Ok(DuesRun {
        id: r.try_get(0)?,
        period: r.try_get(1)?,
        due: r.try_get(2)?,
        pro_rata: r.try_get(3)?,
        state: enum_col(r, 4, RunState::parse)?,
        count: r.try_get(5)?,
        total: r.try_get(6)?,
        created_at: Timestamp(r.try_get(7)?),
    })
}

fn billing_row(r: &Row) -> Result<BillingRow> {
    Ok(BillingRow {
        id: r.try_get(0)?,
        number: r.try_get(1)?,
        name: r.try_get(2)?,
        membership_type: enum_col(r, 3, MembershipType::parse)?,
        birth_date: r.try_get(4)?,
        status_at_start: enum_col(r, 5, Status::parse)?,
        status_at_end: enum_col(r, 6, Status::parse)?,
        joined_date: r.try_get(7)?,
        branch_id: r.try_get(8)?,
        branch_name: r.try_get(9)?,
        reachable: r.try_get(10)?,
        dues: MemberDues {
            income_band: r.try_get(11)?,
            payer_id: r.try_get(12)?,
        },
        since_start: r.try_get(13)?,
        since_end: r.try_get(14)?,
    })
}

/// The invoices `q` asks for, by period and id.
pub(super) fn invoices(c: &mut impl GenericClient, q: &InvoiceQuery) -> Result<Vec<Invoice>> {
    let mut wheres: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
    let mut arg = |wheres: &mut Vec<String>, clause: &str, v: Box<dyn ToSql + Sync>| {
        args.push(v);
        wheres.push(clause.replace('?', &format!("${}", args.len())));
    };
    if let Some(id) = q.id {
        arg(&mut wheres, "i.id = ?", Box::new(id));
    }
    if q.unpaid {
        wheres.push("i.status IN ('open', 'partly_paid')".into());
    }
    if let Some(day) = q.due_before {
        let clause = "i.status IN ('open', 'partly_paid') AND i.due < ?";
        arg(&mut wheres, clause, Box::new(day));
    }
    if let Some(p) = &q.period {
        arg(&mut wheres, "i.period = ?", Box::new(p.clone()));
    }
    if let Some(r) = q.run_id {
        arg(&mut wheres, "i.run_id = ?", Box::new(r));
    }
    if let Some(m) = q.member_id {
        arg(&mut wheres, "i.member_id = ?", Box::new(m));
    }
    if let Some(s) = q.status {
        arg(&mut wheres, "i.status = ?", Box::new(s.as_str()));
    }
    let filter = match wheres.is_empty() {
        true => String::new(),
        false => format!(" WHERE {}", wheres.join(" AND ")),
    };
    let sql = format!("SELECT {INVOICE_COLUMNS}{filter} ORDER BY i.period, i.id");
    let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
    all(c.query(&sql, &refs)?, invoice_from_row)
}

/// The dues' reads, the same for the register and a unit of work (which
/// takes the money lock first, see [`Conn::money`]).
macro_rules! dues_reads {
    ($t:ty) => {
        impl DuesReads for $t {
            fn fee_rules(&self) -> Result<Vec<FeeRule>> {
                let rows = self.money()?.query(
                    "SELECT f.id, f.membership_type, f.period, f.amount, f.age_under, \
                     f.income_band, f.household, f.branch_id, b.name, f.valid_from \
                     FROM fee_rules f LEFT JOIN branches b ON b.id = f.branch_id \
                     ORDER BY f.period, f.branch_id IS NOT NULL, b.name NULLS FIRST, f.household, \
                     coalesce(f.membership_type, ''), f.age_under NULLS FIRST, \
                     f.income_band NULLS FIRST, f.valid_from",
                    &[],
                )?;
                all(rows, rule_from_row)
            }

            fn billing_rows(&self, start: NaiveDate, end: NaiveDate) -> Result<Vec<BillingRow>> {
                // The status on the first day (`$1`) and on the last (`$2`).
                let sql = format!(
                    "SELECT m.id, m.number, m.first_name || ' ' || m.last_name, \
                     m.membership_type, m.birth_date, {STATUS_TODAY}, {}, m.joined_date, \
                     m.branch_id, b.name, (m.address1 <> '' AND m.city <> '') OR m.email <> '', \
                     d.income_band, d.payer_id, \
                     CASE WHEN m.scheduled_date <= $1 THEN m.scheduled_date ELSE m.status_date END, \
                     CASE WHEN m.scheduled_date <= $2 THEN m.scheduled_date ELSE m.status_date END \
                     FROM members m LEFT JOIN branches b ON b.id = m.branch_id \
                     LEFT JOIN member_dues d ON d.member_id = m.id \
                     WHERE m.kind = 'member' ORDER BY m.id",
                    STATUS_TODAY.replace("$1", "$2"),
                );
                all(self.money()?.query(&sql, &[&start, &end])?, billing_row)
            }

            fn billed(&self, period: &str) -> Result<Vec<i64>> {
                let rows = self.money()?.query(
                    "SELECT member_id FROM invoices WHERE period = $1 AND NOT credited",
                    &[&period],
                )?;
                all(rows, |r| Ok(r.try_get(0)?))
            }

            fn next_invoice_id(&self) -> Result<i64> {
                Ok(self
                    .money()?
                    .query_one("SELECT coalesce(max(id), 0) + 1 FROM invoices", &[])?
                    .try_get(0)?)
            }

            fn invoices(&self, q: &InvoiceQuery) -> Result<Vec<Invoice>> {
                invoices(&mut *self.money()?, q)
            }

            fn run(&self, id: i64) -> Result<DuesRun> {
                let sql = format!("SELECT {RUN_COLUMNS} WHERE id = $1");
                match self.money()?.query_opt(&sql, &[&id])? {
                    Some(r) => run_from_row(&r),
                    None => Err(Error::NotFound("fee run")),
                }
            }

            fn runs(&self) -> Result<Vec<DuesRun>> {
                let sql = format!("SELECT {RUN_COLUMNS} ORDER BY id DESC");
                all(self.money()?.query(&sql, &[])?, run_from_row)
            }

            fn member_dues(&self, member_id: i64) -> Result<MemberDues> {
                let row = self.money()?.query_opt(
                    "SELECT income_band, payer_id FROM member_dues WHERE member_id = $1",
                    &[&member_id],
                )?;
                Ok(match row {
                    Some(r) => MemberDues {
                        income_band: r.try_get(0)?,
                        payer_id: r.try_get(1)?,
                    },
                    None => MemberDues::default(),
                })
            }

            fn totals(&self) -> Result<Vec<Totals>> {
                let rows = self.money()?.query(
                    "SELECT i.period, b.name, count(*), sum(i.amount)::bigint, \
                     sum(i.paid)::bigint, sum(CASE WHEN i.status IN ('open', 'partly_paid') \
                     THEN i.amount - i.paid ELSE 0 END)::bigint, \
                     sum(CASE WHEN i.status = 'written_off' THEN i.amount - i.paid ELSE 0 END) \
                     ::bigint FROM invoices i JOIN members m ON m.id = i.member_id \
                     LEFT JOIN branches b ON b.id = m.branch_id \
                     WHERE NOT i.credited GROUP BY i.period, b.name \
                     ORDER BY i.period DESC, b.name IS NULL, b.name",
                    &[],
                )?;
                all(rows, |r| {
                    Ok(Totals {
                        period: r.try_get(0)?,
                        branch: r.try_get(1)?,
                        invoices: r.try_get(2)?,
                        billed: r.try_get(3)?,
                        paid: r.try_get(4)?,
                        outstanding: r.try_get(5)?,
                        written_off: r.try_get(6)?,
                    })
                })
            }
        }
    };
}

dues_reads!(super::PgRegister);
dues_reads!(super::PgWork<'_>);

impl DuesWrites for super::PgWork<'_> {
    fn put_fee_rule(&self, f: &FeeRuleRecord, at: Timestamp) -> Result<i64> {
        let mut c = self.money()?;
        let kind = f.membership_type.map(MembershipType::as_str);
        let age = f.age_under.map(i64::from);
        let existing = c.query_opt(
            "SELECT id FROM fee_rules WHERE coalesce(membership_type, '') = coalesce($1, '') \
             AND period = $2 AND coalesce(age_under, 0) = coalesce($3::bigint, 0) \
             AND coalesce(income_band, '') = coalesce($4, '') AND household = $5 \
             AND coalesce(branch_id, 0) = coalesce($6::bigint, 0) AND valid_from = $7",
            &[
                &kind,
                &f.period.as_str(),
                &age,
                &f.income_band,
                &f.household,
                &f.branch_id,
                &f.valid_from,
            ],
        )?;
        if let Some(r) = existing {
            let id: i64 = r.try_get(0)?;
            c.execute(
                "UPDATE fee_rules SET amount = $1 WHERE id = $2",
                &[&f.amount, &id],
            )?;
            return Ok(id);
        }
        Ok(c.query_one(
            "INSERT INTO fee_rules (membership_type, period, amount, age_under, income_band, \
             household, branch_id, valid_from, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            &[
                &kind,
                &f.period.as_str(),
                &f.amount,
                &age,
                &f.income_band,
                &f.household,
                &f.branch_id,
                &f.valid_from,
                &at.0,
            ],
        )?
        .try_get(0)?)
    }

    fn delete_fee_rule(&self, id: i64) -> Result<bool> {
        Ok(self
            .money()?
            .execute("DELETE FROM fee_rules WHERE id = $1", &[&id])?
            > 0)
    }

    fn set_member_dues(&self, member_id: i64, d: &MemberDues) -> Result<()> {
        let mut c = self.money()?;
        if d.income_band.is_none() && d.payer_id.is_none() {
            c.execute(
                "DELETE FROM member_dues WHERE member_id = $1",
                &[&member_id],
            )?;
        } else {
            c.execute(
                "INSERT INTO member_dues (member_id, income_band, payer_id) VALUES ($1, $2, $3) \
                 ON CONFLICT (member_id) DO UPDATE SET income_band = $2, payer_id = $3",
                &[&member_id, &d.income_band, &d.payer_id],
            )?;
        }
        Ok(())
    }

    fn insert_run(&self, run: &RunRecord, at: Timestamp) -> Result<i64> {
        Ok(self
            .money()?
            .query_one(
                "INSERT INTO dues_runs (period, due, pro_rata, state, count, total, created_at, \
                 updated_at) VALUES ($1, $2, $3, 'written', $4, $5, $6, $6) RETURNING id",
                &[
                    &run.period,
                    &run.due,
                    &run.pro_rata,
                    &run.count,
                    &run.total,
                    &at.0,
                ],
            )?
            .try_get(0)?)
    }

    /// Gathered, and written with the work's next statement: a fee run's
    /// invoices in one `COPY` (their history lines too, see `record`).
    fn insert_invoice(&self, i: &InvoiceRecord, at: Timestamp) -> Result<()> {
        let lines = serde_json::to_string(i.lines).map_err(json_error)?;
        self.gather_invoice(&[
            &i.id,
            &i.run_id,
            &i.member_id,
            &i.period,
            &i.amount,
            &i.currency.as_str(),
            &i.reference,
            &"open",
            &i.issued,
            &i.due,
            &lines,
            &at.0,
            &at.0,
        ])
    }

    fn remind(&self, r: &RemindRecord, at: Timestamp) -> Result<()> {
        let lines = serde_json::to_string(r.lines).map_err(json_error)?;
        self.money()?.execute(
            "UPDATE invoices SET reminders = $2, reminded = $3, amount = $4, lines = $5, \
             updated_at = $6 WHERE id = $1",
            &[
                &r.id,
                &i64::from(r.reminders),
                &r.day,
                &r.amount,
                &lines,
                &at.0,
            ],
        )?;
        Ok(())
    }

    fn cancel_run(&self, id: i64, at: Timestamp) -> Result<()> {
        let mut c = self.money()?;
        c.execute(
            "UPDATE dues_runs SET state = 'cancelled', updated_at = $2 WHERE id = $1",
            &[&id, &at.0],
        )?;
        c.execute(
            "UPDATE invoices SET status = 'credited', credited = true, updated_at = $2 \
             WHERE run_id = $1",
            &[&id, &at.0],
        )?;
        Ok(())
    }
}
