//! Grants in SQLite (migration 0004: `funds`, `grant_applications`,
//! `grant_lines`, `grant_steps`, `grant_files`, `outgoing_applications`).

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::members::{status_on, with_today, TODAY};
use super::{date_col, Conn};
use crate::error::{Error, Result};
use crate::store::grants::{FundRecord, GrantReads, GrantWrites, Payment, StepLine};
use crate::types::dates::parse_date;
use crate::types::dates::Timestamp;
use crate::types::grants::{
    Amounts, Applicant, ApplicantKind, Application, ApplicationDetails, ApplicationQuery,
    Attachment, Fund, Line, Outgoing, OutgoingDetails, OutgoingStatus, Stage, StepRecord,
};
use crate::types::{Currency, Kind, Status};

fn join<T: ToString>(v: &[T]) -> String {
    v.iter().map(T::to_string).collect::<Vec<_>>().join(",")
}

fn stage_col(r: &Row, i: usize) -> rusqlite::Result<Stage> {
    let stage: String = r.get(i)?;
    Ok(Stage::parse(&stage).unwrap_or(Stage::Draft))
}

const FUND_COLUMNS: &str =
    "id, name, period, budget, cap, currency, applicants, deadlines, note FROM funds";

fn fund_from_row(r: &Row) -> rusqlite::Result<Fund> {
    let currency: String = r.get(5)?;
    let applicants: String = r.get(6)?;
    let deadlines: String = r.get(7)?;
    Ok(Fund {
        id: r.get(0)?,
        name: r.get(1)?,
        period: r.get(2)?,
        budget: r.get(3)?,
        cap: r.get(4)?,
        currency: Currency::parse(&currency).unwrap_or(Currency::Sek),
        applicants: applicants
            .split(',')
            .filter_map(ApplicantKind::parse)
            .collect(),
        deadlines: deadlines.split(',').filter_map(parse_date).collect(),
        note: r.get(8)?,
    })
}

const APPLICATION_COLUMNS: &str = "a.id, a.fund_id, f.name, a.applicant_kind, a.member_id, \
     m.first_name || ' ' || m.last_name, m.number, a.branch_id, b.name, a.workplace_id, w.name, \
     a.title, a.purpose, a.activity, a.planned_date, a.participants, a.requested, a.stage, \
     a.approved, a.conditions, a.reason, a.paid, a.paid_on, a.payment_ref, a.report_due, \
     a.created_at, a.version, a.changed_by, a.updated_at \
     FROM grant_applications a JOIN funds f ON f.id = a.fund_id \
     LEFT JOIN members m ON m.id = a.member_id \
     LEFT JOIN branches b ON b.id = a.branch_id \
     LEFT JOIN workplaces w ON w.id = a.workplace_id";

fn application_from_row(r: &Row) -> rusqlite::Result<Application> {
    let kind: String = r.get(3)?;
    Ok(Application {
        id: r.get(0)?,
        fund_id: r.get(1)?,
        fund_name: r.get(2)?,
        details: ApplicationDetails {
            applicant_kind: ApplicantKind::parse(&kind).unwrap_or(ApplicantKind::Member),
            applicant: Applicant {
                member_id: r.get(4)?,
                branch_id: r.get(7)?,
                workplace_id: r.get(9)?,
            },
            title: r.get(11)?,
            purpose: r.get(12)?,
            activity: r.get(13)?,
            planned_date: date_col(r, 14)?,
            participants: r.get(15)?,
            requested: r.get(16)?,
        },
        member_name: r.get::<_, Option<String>>(5)?.map(|s| s.trim().to_owned()),
        member_number: r.get(6)?,
        branch_name: r.get(8)?,
        workplace_name: r.get(10)?,
        stage: stage_col(r, 17)?,
        approved: r.get(18)?,
        conditions: r.get(19)?,
        reason: r.get(20)?,
        paid: r.get(21)?,
        paid_on: date_col(r, 22)?,
        payment_ref: r.get(23)?,
        report_due: date_col(r, 24)?,
        created_at: r.get(25)?,
        version: r.get(26)?,
        changed_by: r.get(27)?,
        updated_at: r.get(28)?,
    })
}

const OUTGOING_COLUMNS: &str = "id, funder, title, amount, currency, deadline, status, received, \
     note FROM outgoing_applications";

fn outgoing_from_row(r: &Row) -> rusqlite::Result<Outgoing> {
    let currency: String = r.get(4)?;
    let status: String = r.get(6)?;
    Ok(Outgoing {
        id: r.get(0)?,
        details: OutgoingDetails {
            funder: r.get(1)?,
            title: r.get(2)?,
            amount: r.get(3)?,
            currency: Currency::parse(&currency).unwrap_or(Currency::Sek),
            deadline: date_col(r, 5)?,
            status: OutgoingStatus::parse(&status).unwrap_or(OutgoingStatus::Planned),
            received: r.get(7)?,
            note: r.get(8)?,
        },
    })
}

/// The values of an application's form, in the order of `FORM_COLUMNS`.
const FORM_COLUMNS: &str = "applicant_kind, member_id, branch_id, workplace_id, title, purpose, \
     activity, planned_date, participants, requested";

fn form_values(a: &ApplicationDetails) -> Vec<Value> {
    let id = |i: Option<i64>| i.map_or(Value::Null, Value::Integer);
    vec![
        Value::Text(a.applicant_kind.as_str().to_owned()),
        id(a.applicant.member_id),
        id(a.applicant.branch_id),
        id(a.applicant.workplace_id),
        Value::Text(a.title.clone()),
        Value::Text(a.purpose.clone()),
        Value::Text(a.activity.clone()),
        a.planned_date
            .map_or(Value::Null, |d| Value::Text(d.to_string())),
        id(a.participants),
        Value::Integer(a.requested),
    ]
}

impl<C: Conn> GrantReads for C {
    fn fund(&self, id: i64) -> Result<Fund> {
        self.conn()
            .query_row(
                &format!("SELECT {FUND_COLUMNS} WHERE id = ?1"),
                [id],
                fund_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound("fund"))
    }

    fn funds(&self) -> Result<Vec<Fund>> {
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT {FUND_COLUMNS} ORDER BY id DESC"))?;
        let rows = stmt.query_map([], fund_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn fund_amounts(&self, fund_id: i64, except: Option<i64>) -> Result<Vec<(Stage, Amounts)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT stage, requested, approved, paid FROM grant_applications \
             WHERE fund_id = ?1 AND id IS NOT ?2",
        )?;
        let rows = stmt.query_map(params![fund_id, except], |r| {
            Ok((
                stage_col(r, 0)?,
                Amounts {
                    requested: r.get(1)?,
                    approved: r.get(2)?,
                    paid: r.get(3)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn stage_counts(&self, fund_id: i64) -> Result<Vec<(Stage, i64)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT stage, count(*) FROM grant_applications WHERE fund_id = ?1 GROUP BY stage",
        )?;
        let rows = stmt.query_map([fund_id], |r| Ok((stage_col(r, 0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn application_count(&self, fund_id: i64) -> Result<usize> {
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM grant_applications WHERE fund_id = ?1",
            [fund_id],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    fn application(&self, id: i64) -> Result<Application> {
        self.conn()
            .query_row(
                &format!("SELECT {APPLICATION_COLUMNS} WHERE a.id = ?1"),
                [id],
                application_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound("application"))
    }

    fn applications(&self, q: &ApplicationQuery, today: NaiveDate) -> Result<Vec<Application>> {
        let mut sql = format!("SELECT {APPLICATION_COLUMNS} WHERE 1");
        let mut args: Vec<Value> = Vec::new();
        // Each argument numbered as it is added.
        let arg = |args: &mut Vec<Value>, v: Value| {
            args.push(v);
            format!("?{}", args.len())
        };
        if let Some(f) = q.fund_id {
            sql += &format!(" AND a.fund_id = {}", arg(&mut args, Value::Integer(f)));
        }
        if let Some(s) = q.stage {
            let s = arg(&mut args, Value::Text(s.as_str().to_owned()));
            sql += &format!(" AND a.stage = {s}");
        }
        if q.overdue {
            let d = arg(&mut args, Value::Text(today.to_string()));
            sql += &format!(" AND a.stage = 'paid' AND a.report_due < {d}");
        }
        let search = crate::text::searched(&q.search);
        if !search.is_empty() {
            let like = format!(
                "%{}%",
                search
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            let l = arg(&mut args, Value::Text(like));
            let n = arg(&mut args, Value::Text(search.to_owned()));
            sql += &format!(
                " AND (a.title LIKE {l} ESCAPE '\\' \
                 OR m.first_name || ' ' || m.last_name LIKE {l} ESCAPE '\\' \
                 OR m.number = {n} OR b.name LIKE {l} ESCAPE '\\' OR w.name LIKE {l} ESCAPE '\\')"
            );
        }
        sql.push_str(" ORDER BY a.id DESC");
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(args), application_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn lines(&self, id: i64) -> Result<Vec<Line>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT item, amount FROM grant_lines WHERE application_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(Line {
                item: r.get(0)?,
                amount: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn steps(&self, id: i64) -> Result<Vec<StepRecord>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT step, stage, on_date, at, amount, note FROM grant_steps \
             WHERE application_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(StepRecord {
                step: r.get(0)?,
                stage: stage_col(r, 1)?,
                on_date: date_col(r, 2)?.unwrap_or_default(),
                at: r.get(3)?,
                amount: r.get(4)?,
                note: r.get(5)?,
                by: None,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn attachments(&self, id: i64) -> Result<Vec<Attachment>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, name, length(bytes), added_at FROM grant_files WHERE application_id = ?1 \
             ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(Attachment {
                id: r.get(0)?,
                name: r.get(1)?,
                size: r.get(2)?,
                added_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn attachment_bytes(&self, file: i64) -> Result<Vec<u8>> {
        self.conn()
            .query_row("SELECT bytes FROM grant_files WHERE id = ?1", [file], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(Error::NotFound("attachment"))
    }

    fn standing(&self, member_id: i64) -> Result<Option<(Kind, Status)>> {
        // The status today: a resignation dated later still counts them.
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT m.kind, {} FROM members m WHERE m.id = ?",
            status_on(TODAY)
        ))?;
        let today = crate::types::dates::today().to_string();
        let args = with_today(&stmt, [&member_id as &dyn rusqlite::ToSql], &today)?;
        let row: Option<(String, String)> = stmt
            .query_row(params_from_iter(args), |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.and_then(|(k, s)| Some((Kind::parse(&k)?, Status::parse(&s)?))))
    }

    fn outgoing(&self, id: i64) -> Result<Outgoing> {
        self.conn()
            .query_row(
                &format!("SELECT {OUTGOING_COLUMNS} WHERE id = ?1"),
                [id],
                outgoing_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound("outgoing application"))
    }

    fn outgoings(&self) -> Result<Vec<Outgoing>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {OUTGOING_COLUMNS} ORDER BY status NOT IN ('planned', 'submitted'), \
             deadline IS NULL, deadline, id"
        ))?;
        let rows = stmt.query_map([], outgoing_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl<C: Conn> GrantWrites for C {
    fn insert_fund(&self, f: &FundRecord, currency: Currency, at: Timestamp) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO funds (name, period, budget, cap, currency, applicants, deadlines, note, \
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![
                f.name,
                f.period,
                f.budget,
                f.cap,
                currency.as_str(),
                join(&f.applicants),
                join(&f.deadlines),
                f.note,
                at
            ],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn update_fund(&self, id: i64, f: &FundRecord, at: Timestamp) -> Result<()> {
        self.conn().execute(
            "UPDATE funds SET name = ?2, period = ?3, budget = ?4, cap = ?5, applicants = ?6, \
             deadlines = ?7, note = ?8, updated_at = ?9 WHERE id = ?1",
            params![
                id,
                f.name,
                f.period,
                f.budget,
                f.cap,
                join(&f.applicants),
                join(&f.deadlines),
                f.note,
                at
            ],
        )?;
        Ok(())
    }

    fn delete_fund(&self, id: i64) -> Result<()> {
        self.conn()
            .execute("DELETE FROM funds WHERE id = ?1", [id])?;
        Ok(())
    }

    fn insert_application(
        &self,
        fund_id: i64,
        a: &ApplicationDetails,
        at: Timestamp,
    ) -> Result<i64> {
        let conn = self.conn();
        let mut values = vec![Value::Integer(fund_id)];
        values.extend(form_values(a));
        values.push(Value::Text(at.to_string()));
        conn.execute(
            &format!(
                "INSERT INTO grant_applications (fund_id, {FORM_COLUMNS}, stage, created_at, \
                 updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'draft', ?12, ?12)"
            ),
            params_from_iter(values),
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn update_application(&self, id: i64, a: &ApplicationDetails, at: Timestamp) -> Result<()> {
        let mut values = vec![Value::Integer(id)];
        values.extend(form_values(a));
        values.push(Value::Text(at.to_string()));
        values.push(Value::Text(super::members::this_user()));
        self.conn().execute(
            &format!(
                "UPDATE grant_applications SET ({FORM_COLUMNS}, updated_at, changed_by) = \
                 (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13), version = version + 1 \
                 WHERE id = ?1"
            ),
            params_from_iter(values),
        )?;
        Ok(())
    }

    fn save_lines(&self, id: i64, lines: &[Line]) -> Result<()> {
        let conn = self.conn();
        conn.execute("DELETE FROM grant_lines WHERE application_id = ?1", [id])?;
        let mut stmt = conn.prepare_cached(
            "INSERT INTO grant_lines (application_id, position, item, amount) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, l) in lines.iter().enumerate() {
            stmt.execute(params![id, i as i64, l.item, l.amount])?;
        }
        Ok(())
    }

    fn record_step(&self, id: i64, s: &StepLine, at: Timestamp) -> Result<()> {
        self.conn()
            .prepare_cached(
                "INSERT INTO grant_steps (application_id, step, stage, on_date, at, amount, note) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                id,
                s.step,
                s.stage.as_str(),
                s.on.to_string(),
                at,
                s.amount,
                s.note
            ])?;
        Ok(())
    }

    fn set_stage(&self, id: i64, stage: Stage, amounts: Amounts, at: Timestamp) -> Result<()> {
        self.conn().execute(
            "UPDATE grant_applications SET stage = ?2, approved = ?3, paid = ?4, updated_at = ?5 \
             WHERE id = ?1",
            params![id, stage.as_str(), amounts.approved, amounts.paid, at],
        )?;
        Ok(())
    }

    fn set_texts(&self, id: i64, conditions: &str, reason: &str) -> Result<()> {
        self.conn().execute(
            "UPDATE grant_applications SET conditions = ?2, reason = ?3 WHERE id = ?1",
            params![id, conditions, reason],
        )?;
        Ok(())
    }

    fn set_payment(&self, id: i64, paid: &Payment) -> Result<()> {
        self.conn().execute(
            "UPDATE grant_applications SET paid_on = ?2, payment_ref = ?3, report_due = ?4 \
             WHERE id = ?1",
            params![
                id,
                paid.on.to_string(),
                paid.reference,
                paid.report_due.to_string()
            ],
        )?;
        Ok(())
    }

    fn attach(&self, id: i64, name: &str, bytes: &[u8], at: Timestamp) -> Result<i64> {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO grant_files (application_id, name, bytes, added_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, name, bytes, at],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn detach(&self, file: i64) -> Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM grant_files WHERE id = ?1", [file])?
            > 0)
    }

    fn save_outgoing(&self, id: Option<i64>, o: &OutgoingDetails, at: Timestamp) -> Result<i64> {
        let conn = self.conn();
        let values = params![
            o.funder,
            o.title,
            o.amount,
            o.currency.as_str(),
            o.deadline.map(|d| d.to_string()),
            o.status.as_str(),
            o.received,
            o.note,
            at,
        ];
        match id {
            None => {
                conn.execute(
                    "INSERT INTO outgoing_applications (funder, title, amount, currency, deadline, \
                     status, received, note, created_at, updated_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                    values,
                )?;
                Ok(conn.last_insert_rowid())
            }
            Some(id) => {
                conn.execute(
                    &format!(
                        "UPDATE outgoing_applications SET funder = ?1, title = ?2, amount = ?3, \
                         currency = ?4, deadline = ?5, status = ?6, received = ?7, note = ?8, \
                         updated_at = ?9 WHERE id = {id}"
                    ),
                    values,
                )?;
                Ok(id)
            }
        }
    }

    fn delete_outgoing(&self, id: i64) -> Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM outgoing_applications WHERE id = ?1", [id])?
            > 0)
    }
}
