//! Grants on the server (migration 0003: `funds`, `grant_applications`,
//! `grant_lines`, `grant_steps`, `grant_files`, `outgoing_applications`).
//!
//! A fund is never over-committed, however many officers decide at once:
//! inside a unit of work, reading an application or a fund locks its row
//! (and the application's fund) until the work commits, so a second
//! decision on the same fund waits and then counts the first one's money.

use chrono::NaiveDate;
use postgres::types::ToSql;
use postgres::{GenericClient, Row};

use super::members::{enum_col, STATUS_TODAY};
use super::{all, Conn, Locking};
use crate::error::{Error, Result};
use crate::store::grants::{FundRecord, GrantReads, GrantWrites, Payment, StepLine};
use crate::types::dates::{parse_date, Timestamp};
use crate::types::grants::{
    Amounts, Applicant, ApplicantKind, Application, ApplicationDetails, ApplicationQuery,
    Attachment, Fund, Line, Outgoing, OutgoingDetails, OutgoingStatus, Stage, StepRecord,
};
use crate::types::{Currency, Kind, Status};

fn join<T: ToString>(v: &[T]) -> String {
    v.iter().map(T::to_string).collect::<Vec<_>>().join(",")
}

fn stage_col(r: &Row, i: usize) -> Result<Stage> {
    Ok(Stage::parse(r.try_get(i)?).unwrap_or(Stage::Draft))
}

const FUND_COLUMNS: &str =
    "id, name, period, budget, cap, currency, applicants, deadlines, note FROM funds";

fn fund_from_row(r: &Row) -> Result<Fund> {
    let applicants: &str = r.try_get(6)?;
    let deadlines: &str = r.try_get(7)?;
    Ok(Fund {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        period: r.try_get(2)?,
        budget: r.try_get(3)?,
        cap: r.try_get(4)?,
        currency: Currency::parse(r.try_get(5)?).unwrap_or(Currency::Sek),
        applicants: applicants
            .split(',')
            .filter_map(ApplicantKind::parse)
            .collect(),
        deadlines: deadlines.split(',').filter_map(parse_date).collect(),
        note: r.try_get(8)?,
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

fn application_from_row(r: &Row) -> Result<Application> {
    Ok(Application {
        id: r.try_get(0)?,
        fund_id: r.try_get(1)?,
        fund_name: r.try_get(2)?,
        details: ApplicationDetails {
            applicant_kind: ApplicantKind::parse(r.try_get(3)?).unwrap_or(ApplicantKind::Member),
            applicant: Applicant {
                member_id: r.try_get(4)?,
                branch_id: r.try_get(7)?,
                workplace_id: r.try_get(9)?,
            },
            title: r.try_get(11)?,
            purpose: r.try_get(12)?,
            activity: r.try_get(13)?,
            planned_date: r.try_get(14)?,
            participants: r.try_get(15)?,
            requested: r.try_get(16)?,
        },
        member_name: r
            .try_get::<_, Option<String>>(5)?
            .map(|s| s.trim().to_owned()),
        member_number: r.try_get(6)?,
        branch_name: r.try_get(8)?,
        workplace_name: r.try_get(10)?,
        stage: stage_col(r, 17)?,
        approved: r.try_get(18)?,
        conditions: r.try_get(19)?,
        reason: r.try_get(20)?,
        paid: r.try_get(21)?,
        paid_on: r.try_get(22)?,
        payment_ref: r.try_get(23)?,
        report_due: r.try_get(24)?,
        created_at: Timestamp(r.try_get(25)?),
        version: r.try_get(26)?,
        changed_by: r.try_get(27)?,
        updated_at: Timestamp(r.try_get(28)?),
    })
}

const OUTGOING_COLUMNS: &str = "id, funder, title, amount, currency, deadline, status, received, \
     note FROM outgoing_applications";

fn outgoing_from_row(r: &Row) -> Result<Outgoing> {
    Ok(Outgoing {
        id: r.try_get(0)?,
        details: OutgoingDetails {
            funder: r.try_get(1)?,
            title: r.try_get(2)?,
            amount: r.try_get(3)?,
            currency: Currency::parse(r.try_get(4)?).unwrap_or(Currency::Sek),
            deadline: r.try_get(5)?,
            status: OutgoingStatus::parse(r.try_get(6)?).unwrap_or(OutgoingStatus::Planned),
            received: r.try_get(7)?,
            note: r.try_get(8)?,
        },
    })
}

/// An application's form columns, in the order of [`form_values`].
const FORM_COLUMNS: &str = "applicant_kind, member_id, branch_id, workplace_id, title, purpose, \
     activity, planned_date, participants, requested";

fn form_values<'a>(
    a: &'a ApplicationDetails,
    kind: &'a &'static str,
) -> [&'a (dyn ToSql + Sync); 10] {
    [
        kind,
        &a.applicant.member_id,
        &a.applicant.branch_id,
        &a.applicant.workplace_id,
        &a.title,
        &a.purpose,
        &a.activity,
        &a.planned_date,
        &a.participants,
        &a.requested,
    ]
}

fn applications(
    c: &mut impl GenericClient,
    q: &ApplicationQuery,
    today: NaiveDate,
) -> Result<Vec<Application>> {
    let mut sql = format!("SELECT {APPLICATION_COLUMNS} WHERE true");
    let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
    let mut arg = |v: Box<dyn ToSql + Sync>| {
        args.push(v);
        format!("${}", args.len())
    };
    if let Some(f) = q.fund_id {
        sql += &format!(" AND a.fund_id = {}", arg(Box::new(f)));
    }
    if let Some(s) = q.stage {
        sql += &format!(" AND a.stage = {}", arg(Box::new(s.as_str())));
    }
    if q.overdue {
        sql += &format!(
            " AND a.stage = 'paid' AND a.report_due < {}",
            arg(Box::new(today))
        );
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
        let l = arg(Box::new(like));
        let n = arg(Box::new(search.to_owned()));
        // ILIKE: the file's LIKE ignores the case of A to Z.
        sql += &format!(
            " AND (a.title ILIKE {l} OR m.first_name || ' ' || m.last_name ILIKE {l} \
             OR m.number = {n} OR b.name ILIKE {l} OR w.name ILIKE {l})"
        );
    }
    sql.push_str(" ORDER BY a.id DESC");
    let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
    all(c.query(&sql, &refs)?, application_from_row)
}

/// Grants' reads and writes, the same for the register (reads) and a unit
/// of work (which locks what it reads, see [`Locking`]).
macro_rules! grants {
    ($t:ty) => {
        impl GrantReads for $t {
            fn fund(&self, id: i64) -> Result<Fund> {
                let sql = format!("SELECT {FUND_COLUMNS} WHERE id = $1{}", <$t>::LOCK_FUND);
                match self.db()?.query_opt(&sql, &[&id])? {
                    Some(r) => fund_from_row(&r),
                    None => Err(Error::NotFound("fund")),
                }
            }

            fn funds(&self) -> Result<Vec<Fund>> {
                let sql = format!("SELECT {FUND_COLUMNS} ORDER BY id DESC");
                all(self.db()?.query(&sql, &[])?, fund_from_row)
            }

            fn fund_amounts(
                &self,
                fund_id: i64,
                except: Option<i64>,
            ) -> Result<Vec<(Stage, Amounts)>> {
                let rows = self.db()?.query(
                    "SELECT stage, requested, approved, paid FROM grant_applications \
                     WHERE fund_id = $1 AND id IS DISTINCT FROM $2",
                    &[&fund_id, &except],
                )?;
                rows.iter()
                    .map(|r| {
                        Ok((
                            stage_col(r, 0)?,
                            Amounts {
                                requested: r.try_get(1)?,
                                approved: r.try_get(2)?,
                                paid: r.try_get(3)?,
                            },
                        ))
                    })
                    .collect()
            }

            fn stage_counts(&self, fund_id: i64) -> Result<Vec<(Stage, i64)>> {
                let rows = self.db()?.query(
                    "SELECT stage, count(*) FROM grant_applications WHERE fund_id = $1 \
                     GROUP BY stage",
                    &[&fund_id],
                )?;
                rows.iter()
                    .map(|r| Ok((stage_col(r, 0)?, r.try_get(1)?)))
                    .collect()
            }

            fn application_count(&self, fund_id: i64) -> Result<usize> {
                let n: i64 = self
                    .db()?
                    .query_one(
                        "SELECT count(*) FROM grant_applications WHERE fund_id = $1",
                        &[&fund_id],
                    )?
                    .get(0);
                Ok(n as usize)
            }

            fn application(&self, id: i64) -> Result<Application> {
                let sql = format!(
                    "SELECT {APPLICATION_COLUMNS} WHERE a.id = $1{}",
                    <$t>::LOCK_APPLICATION
                );
                match self.db()?.query_opt(&sql, &[&id])? {
                    Some(r) => application_from_row(&r),
                    None => Err(Error::NotFound("application")),
                }
            }

            fn applications(
                &self,
                q: &ApplicationQuery,
                today: NaiveDate,
            ) -> Result<Vec<Application>> {
                applications(&mut *self.db()?, q, today)
            }

            fn lines(&self, id: i64) -> Result<Vec<Line>> {
                let rows = self.db()?.query(
                    "SELECT item, amount FROM grant_lines WHERE application_id = $1 \
                     ORDER BY position",
                    &[&id],
                )?;
                rows.iter()
                    .map(|r| {
                        Ok(Line {
                            item: r.try_get(0)?,
                            amount: r.try_get(1)?,
                        })
                    })
                    .collect()
            }

            fn steps(&self, id: i64) -> Result<Vec<StepRecord>> {
                let rows = self.db()?.query(
                    "SELECT step, stage, on_date, at, amount, note, by_user FROM grant_steps \
                     WHERE application_id = $1 ORDER BY id",
                    &[&id],
                )?;
                rows.iter()
                    .map(|r| {
                        Ok(StepRecord {
                            step: r.try_get(0)?,
                            stage: stage_col(r, 1)?,
                            on_date: r.try_get(2)?,
                            at: Timestamp(r.try_get(3)?),
                            amount: r.try_get(4)?,
                            note: r.try_get(5)?,
                            by: r.try_get(6)?,
                        })
                    })
                    .collect()
            }

            fn attachments(&self, id: i64) -> Result<Vec<Attachment>> {
                let rows = self.db()?.query(
                    "SELECT id, name, octet_length(bytes)::bigint, added_at FROM grant_files \
                     WHERE application_id = $1 ORDER BY id",
                    &[&id],
                )?;
                rows.iter()
                    .map(|r| {
                        Ok(Attachment {
                            id: r.try_get(0)?,
                            name: r.try_get(1)?,
                            size: r.try_get(2)?,
                            added_at: Timestamp(r.try_get(3)?),
                        })
                    })
                    .collect()
            }

            fn attachment_bytes(&self, file: i64) -> Result<Vec<u8>> {
                self.db()?
                    .query_opt("SELECT bytes FROM grant_files WHERE id = $1", &[&file])?
                    .map(|r| r.get(0))
                    .ok_or(Error::NotFound("attachment"))
            }

            fn standing(&self, member_id: i64) -> Result<Option<(Kind, Status)>> {
                // The status today: a resignation dated later still counts them.
                let sql = format!("SELECT m.kind, {STATUS_TODAY} FROM members m WHERE m.id = $2");
                let today = crate::types::dates::today();
                match self.db()?.query_opt(&sql, &[&today, &member_id])? {
                    Some(r) => Ok(Some((
                        enum_col(&r, 0, Kind::parse)?,
                        enum_col(&r, 1, Status::parse)?,
                    ))),
                    None => Ok(None),
                }
            }

            fn outgoing(&self, id: i64) -> Result<Outgoing> {
                let sql = format!("SELECT {OUTGOING_COLUMNS} WHERE id = $1");
                match self.db()?.query_opt(&sql, &[&id])? {
                    Some(r) => outgoing_from_row(&r),
                    None => Err(Error::NotFound("outgoing application")),
                }
            }

            fn outgoings(&self) -> Result<Vec<Outgoing>> {
                let sql = format!(
                    "SELECT {OUTGOING_COLUMNS} ORDER BY status NOT IN ('planned', 'submitted'), \
                     deadline IS NULL, deadline, id"
                );
                all(self.db()?.query(&sql, &[])?, outgoing_from_row)
            }
        }
    };
}

grants!(super::PgRegister);
grants!(super::PgWork<'_>);

impl GrantWrites for super::PgWork<'_> {
    fn insert_fund(&self, f: &FundRecord, currency: Currency, at: Timestamp) -> Result<i64> {
        Ok(self
            .db()?
            .query_one(
                "INSERT INTO funds (name, period, budget, cap, currency, applicants, deadlines, \
                 note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
                 RETURNING id",
                &[
                    &f.name,
                    &f.period,
                    &f.budget,
                    &f.cap,
                    &currency.as_str(),
                    &join(&f.applicants),
                    &join(&f.deadlines),
                    &f.note,
                    &at.0,
                ],
            )?
            .get(0))
    }

    fn update_fund(&self, id: i64, f: &FundRecord, at: Timestamp) -> Result<()> {
        self.db()?.execute(
            "UPDATE funds SET name = $2, period = $3, budget = $4, cap = $5, applicants = $6, \
             deadlines = $7, note = $8, updated_at = $9 WHERE id = $1",
            &[
                &id,
                &f.name,
                &f.period,
                &f.budget,
                &f.cap,
                &join(&f.applicants),
                &join(&f.deadlines),
                &f.note,
                &at.0,
            ],
        )?;
        Ok(())
    }

    fn delete_fund(&self, id: i64) -> Result<()> {
        self.db()?
            .execute("DELETE FROM funds WHERE id = $1", &[&id])?;
        Ok(())
    }

    fn insert_application(
        &self,
        fund_id: i64,
        a: &ApplicationDetails,
        at: Timestamp,
    ) -> Result<i64> {
        let kind = a.applicant_kind.as_str();
        let mut values: Vec<&(dyn ToSql + Sync)> = vec![&fund_id];
        values.extend(form_values(a, &kind));
        values.push(&at.0);
        Ok(self
            .db()?
            .query_one(
                &format!(
                    "INSERT INTO grant_applications (fund_id, {FORM_COLUMNS}, stage, created_at, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', \
                     $12, $12) RETURNING id"
                ),
                &values,
            )?
            .get(0))
    }

    fn update_application(&self, id: i64, a: &ApplicationDetails, at: Timestamp) -> Result<()> {
        let kind = a.applicant_kind.as_str();
        let mut values: Vec<&(dyn ToSql + Sync)> = vec![&id];
        values.extend(form_values(a, &kind));
        values.push(&at.0);
        self.db()?.execute(
            &format!(
                "UPDATE grant_applications SET ({FORM_COLUMNS}, updated_at) = \
                 ($2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12), version = version + 1, \
                 changed_by = current_user WHERE id = $1"
            ),
            &values,
        )?;
        Ok(())
    }

    fn save_lines(&self, id: i64, lines: &[Line]) -> Result<()> {
        let mut c = self.db()?;
        c.execute("DELETE FROM grant_lines WHERE application_id = $1", &[&id])?;
        for (i, l) in lines.iter().enumerate() {
            c.execute(
                "INSERT INTO grant_lines (application_id, position, item, amount) \
                 VALUES ($1, $2, $3, $4)",
                &[&id, &(i as i64), &l.item, &l.amount],
            )?;
        }
        Ok(())
    }

    fn record_step(&self, id: i64, s: &StepLine, at: Timestamp) -> Result<()> {
        self.db()?.execute(
            "INSERT INTO grant_steps (application_id, step, stage, on_date, at, amount, note) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &id,
                &s.step,
                &s.stage.as_str(),
                &s.on,
                &at.0,
                &s.amount,
                &s.note,
            ],
        )?;
        Ok(())
    }

    fn set_stage(&self, id: i64, stage: Stage, amounts: Amounts, at: Timestamp) -> Result<()> {
        self.db()?.execute(
            "UPDATE grant_applications SET stage = $2, approved = $3, paid = $4, updated_at = $5 \
             WHERE id = $1",
            &[
                &id,
                &stage.as_str(),
                &amounts.approved,
                &amounts.paid,
                &at.0,
            ],
        )?;
        Ok(())
    }

    fn set_texts(&self, id: i64, conditions: &str, reason: &str) -> Result<()> {
        self.db()?.execute(
            "UPDATE grant_applications SET conditions = $2, reason = $3 WHERE id = $1",
            &[&id, &conditions, &reason],
        )?;
        Ok(())
    }

    fn set_payment(&self, id: i64, paid: &Payment) -> Result<()> {
        self.db()?.execute(
            "UPDATE grant_applications SET paid_on = $2, payment_ref = $3, report_due = $4 \
             WHERE id = $1",
            &[&id, &paid.on, &paid.reference, &paid.report_due],
        )?;
        Ok(())
    }

    fn attach(&self, id: i64, name: &str, bytes: &[u8], at: Timestamp) -> Result<i64> {
        Ok(self
            .db()?
            .query_one(
                "INSERT INTO grant_files (application_id, name, bytes, added_at) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
                &[&id, &name, &bytes, &at.0],
            )?
            .get(0))
    }

    fn detach(&self, file: i64) -> Result<bool> {
        Ok(self
            .db()?
            .execute("DELETE FROM grant_files WHERE id = $1", &[&file])?
            > 0)
    }

    fn save_outgoing(&self, id: Option<i64>, o: &OutgoingDetails, at: Timestamp) -> Result<i64> {
        let values: [&(dyn ToSql + Sync); 9] = [
            &o.funder,
            &o.title,
            &o.amount,
            &o.currency.as_str(),
            &o.deadline,
            &o.status.as_str(),
            &o.received,
            &o.note,
            &at.0,
        ];
        match id {
            None => Ok(self
                .db()?
                .query_one(
                    "INSERT INTO outgoing_applications (funder, title, amount, currency, \
                     deadline, status, received, note, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                    &values,
                )?
                .get(0)),
            Some(id) => {
                let mut with_id = values.to_vec();
                with_id.push(&id);
                self.db()?.execute(
                    "UPDATE outgoing_applications SET funder = $1, title = $2, amount = $3, \
                     currency = $4, deadline = $5, status = $6, received = $7, note = $8, \
                     updated_at = $9 WHERE id = $10",
                    &with_id,
                )?;
                Ok(id)
            }
        }
    }

    fn delete_outgoing(&self, id: i64) -> Result<bool> {
        Ok(self
            .db()?
            .execute("DELETE FROM outgoing_applications WHERE id = $1", &[&id])?
            > 0)
    }
}
