//! Grant applications (issue 7): funds such as an initiative pool where
//! active members apply for money, the applications with their budget
//! lines, steps and attachments, decision and reminder letters, and the
//! club's own applications to others ([`outgoing`]).
//!
//! The workflow and the fund's arithmetic are pure ([`workflow`]); this
//! module keeps them in SQLite. Every step runs in one transaction that
//! reads the fund's other applications, so no approval can promise money
//! the fund does not have.

pub mod fields;
use crate::types::money;
pub mod outgoing;
pub mod workflow;

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::sqlite::SqliteRegister;
use crate::store::Register;
use crate::types::dates::{now, parse_date, today};
use crate::types::{string_enum, Currency, Kind, Status};
use workflow::{Amounts, Room, Stage, Step, StepError, Totals};

string_enum!(
    /// Who applies: a member, or a branch or workplace group (with a
    /// contact member).
    ApplicantKind {
        Member = "member",
        Branch = "branch",
        Workplace = "workplace",
    }
);

/// Days after the activity (or the payment, if later) a report is due.
const REPORT_DAYS: u64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fund {
    pub id: i64,
    pub name: String,
    pub period: String,
    /// Minor units.
    pub budget: i64,
    pub cap: Option<i64>,
    pub currency: Currency,
    pub applicants: Vec<ApplicantKind>,
    pub deadlines: Vec<NaiveDate>,
    pub note: String,
}

/// A fund as typed: amounts in kr as text ("25 000", "10000,50").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FundInput {
    pub name: String,
    pub period: String,
    pub budget: String,
    /// Empty: no cap.
    pub cap: String,
    /// Empty: members.
    pub applicants: Vec<String>,
    /// YYYY-MM-DD each.
    pub deadlines: Vec<String>,
    pub note: String,
}

/// A fund with its totals, for the list and the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FundView {
    pub fund: Fund,
    /// budget, requested, committed, paid, remaining (minor units), at the
    /// top level of the JSON.
    #[serde(flatten)]
    pub totals: Totals,
    /// Applications per stage.
    pub counts: Vec<(Stage, i64)>,
    /// The next deadline from today, if any.
    pub next_deadline: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LineInput {
    pub item: String,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    pub item: String,
    pub amount: i64,
}

/// An application as typed. The requested amount is the sum of the budget
/// lines; `amount` alone (no lines) is one line named after the title, and
/// both must agree when both are given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApplicationInput {
    pub fund_id: i64,
    pub applicant_kind: String,
    /// The applicant, or the contact member of a branch or workplace.
    pub member_id: Option<i64>,
    pub branch_id: Option<i64>,
    pub workplace_id: Option<i64>,
    pub title: String,
    pub purpose: String,
    pub activity: String,
    pub planned_date: String,
    pub participants: Option<i64>,
    pub lines: Vec<LineInput>,
    pub amount: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: i64,
    pub fund_id: i64,
    pub fund_name: String,
    pub applicant_kind: ApplicantKind,
    pub member_id: Option<i64>,
    pub member_name: Option<String>,
    pub member_number: Option<String>,
    pub branch_id: Option<i64>,
    pub branch_name: Option<String>,
    pub workplace_id: Option<i64>,
    pub workplace_name: Option<String>,
    pub title: String,
    pub purpose: String,
    pub activity: String,
    pub planned_date: Option<NaiveDate>,
    pub participants: Option<i64>,
    pub requested: i64,
    pub stage: Stage,
    pub approved: Option<i64>,
    pub conditions: String,
    pub reason: String,
    pub paid: Option<i64>,
    pub paid_on: Option<NaiveDate>,
    pub payment_ref: String,
    pub report_due: Option<NaiveDate>,
    pub created_at: String,
}

/// One step an application took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepRecord {
    pub step: String,
    pub stage: Stage,
    pub on_date: NaiveDate,
    pub at: String,
    pub amount: Option<i64>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: i64,
    pub name: String,
    pub size: i64,
    pub added_at: String,
}

/// An application with everything about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationView {
    pub application: Application,
    pub lines: Vec<Line>,
    pub steps: Vec<StepRecord>,
    pub attachments: Vec<Attachment>,
    /// The report is due and not in.
    pub report_overdue: bool,
    /// The steps its stage allows, in the order to offer them.
    pub next_steps: Vec<String>,
    /// Its form may still be changed (not yet decided).
    pub editable: bool,
}

/// A step as the window or CLI asks for it: `step` is submit, review,
/// approve, reject, pay, report, close, withdraw or reopen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct StepInput {
    pub step: String,
    /// Approve and pay: kr as text (pay: empty = the approved amount).
    pub amount: String,
    /// Approve: if the fund has less left, approve what it has.
    pub up_to_remaining: bool,
    /// The day it happened (empty: today).
    pub date: String,
    /// Reject: why (required).
    pub reason: String,
    /// Approve: the conditions.
    pub conditions: String,
    /// Pay: the payment's reference.
    pub reference: String,
    /// Pay: when the report is due (empty: 30 days after the activity or
    /// the payment, whichever is later).
    pub report_due: String,
}

// ---------------------------------------------------------------- funds

fn amount_field(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<i64> {
    match money::parse(text) {
        Some(v) => Some(v),
        None => {
            errors.push(FieldError::new(
                field,
                if text.trim().is_empty() {
                    FieldCode::Required
                } else {
                    FieldCode::InvalidAmount
                },
            ));
            None
        }
    }
}

struct CheckedFund {
    name: String,
    period: String,
    budget: i64,
    cap: Option<i64>,
    applicants: Vec<ApplicantKind>,
    deadlines: Vec<NaiveDate>,
}

fn check_fund(input: &FundInput) -> Result<CheckedFund> {
    let mut errors = Vec::new();
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        errors.push(FieldError::new("name", FieldCode::Required));
    } else if name.chars().count() > 200 {
        errors.push(FieldError::new("name", FieldCode::TooLong));
    }
    let period = input.period.trim().to_owned();
    if period.is_empty() {
        errors.push(FieldError::new("period", FieldCode::Required));
    } else if period.chars().count() > 40 {
        errors.push(FieldError::new("period", FieldCode::TooLong));
    }
    let budget = amount_field(&mut errors, "budget", &input.budget);
    let cap = if input.cap.trim().is_empty() {
        None
    } else {
        match amount_field(&mut errors, "cap", &input.cap) {
            Some(0) => {
                errors.push(FieldError::new("cap", FieldCode::InvalidAmount));
                None
            }
            other => other,
        }
    };
    let mut applicants = Vec::new();
    for a in &input.applicants {
        match ApplicantKind::parse(a.trim()) {
            Some(k) if !applicants.contains(&k) => applicants.push(k),
            Some(_) => {}
            None => errors.push(FieldError::new("applicants", FieldCode::InvalidChoice)),
        }
    }
    if applicants.is_empty() {
        applicants.push(ApplicantKind::Member);
    }
    let mut deadlines = Vec::new();
    for (i, d) in input.deadlines.iter().enumerate() {
        if d.trim().is_empty() {
            continue;
        }
        match parse_date(d) {
            Some(d) => deadlines.push(d),
            None => errors.push(FieldError::new(
                format!("deadlines.{i}"),
                FieldCode::InvalidDate,
            )),
        }
    }
    deadlines.sort();
    deadlines.dedup();
    if input.note.chars().count() > 5_000 {
        errors.push(FieldError::new("note", FieldCode::TooLong));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(CheckedFund {
        name,
        period,
        budget: budget.unwrap_or(0),
        cap,
        applicants,
        deadlines,
    })
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter().map(T::to_string).collect::<Vec<_>>().join(",")
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

fn load_fund(conn: &rusqlite::Connection, id: i64) -> Result<Fund> {
    conn.query_row(
        &format!("SELECT {FUND_COLUMNS} WHERE id = ?1"),
        [id],
        fund_from_row,
    )
    .optional()?
    .ok_or(Error::NotFound("fund"))
}

/// The stage and amounts of every application of fund `id` (but `except`).
fn fund_totals(conn: &rusqlite::Connection, fund: &Fund, except: Option<i64>) -> Result<Totals> {
    let mut stmt = conn.prepare_cached(
        "SELECT stage, requested, approved, paid FROM grant_applications \
         WHERE fund_id = ?1 AND id IS NOT ?2",
    )?;
    let rows = stmt.query_map(params![fund.id, except], |r| {
        let stage: String = r.get(0)?;
        Ok((
            Stage::parse(&stage).unwrap_or(Stage::Draft),
            Amounts {
                requested: r.get(1)?,
                approved: r.get(2)?,
                paid: r.get(3)?,
            },
        ))
    })?;
    let all = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(workflow::totals(fund.budget, all))
}

pub fn fund_create(reg: &mut SqliteRegister, input: &FundInput) -> Result<Fund> {
    let c = check_fund(input)?;
    let currency = reg.org_or_err()?.currency;
    let at = now();
    reg.connection().execute(
        "INSERT INTO funds (name, period, budget, cap, currency, applicants, deadlines, note, \
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            c.name,
            c.period,
            c.budget,
            c.cap,
            currency.as_str(),
            join(&c.applicants),
            join(&c.deadlines),
            input.note.trim_end(),
            at
        ],
    )?;
    let id = reg.connection().last_insert_rowid();
    load_fund(reg.connection(), id)
}

/// Changes a fund. The budget cannot go below what is committed and paid.
pub fn fund_update(reg: &mut SqliteRegister, id: i64, input: &FundInput) -> Result<Fund> {
    let c = check_fund(input)?;
    let tx = reg.connection_mut().transaction()?;
    let fund = load_fund(&tx, id)?;
    let t = fund_totals(&tx, &fund, None)?;
    let used = t.committed + t.paid;
    if c.budget < used {
        return Err(Error::BudgetBelowUsed { used });
    }
    tx.execute(
        "UPDATE funds SET name = ?2, period = ?3, budget = ?4, cap = ?5, applicants = ?6, \
         deadlines = ?7, note = ?8, updated_at = ?9 WHERE id = ?1",
        params![
            id,
            c.name,
            c.period,
            c.budget,
            c.cap,
            join(&c.applicants),
            join(&c.deadlines),
            input.note.trim_end(),
            now()
        ],
    )?;
    tx.commit()?;
    load_fund(reg.connection(), id)
}

/// Removes a fund that has no applications.
pub fn fund_delete(reg: &mut SqliteRegister, id: i64) -> Result<()> {
    let tx = reg.connection_mut().transaction()?;
    load_fund(&tx, id)?;
    let n: i64 = tx.query_row(
        "SELECT count(*) FROM grant_applications WHERE fund_id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if n > 0 {
        return Err(Error::FundHasApplications(n as usize));
    }
    tx.execute("DELETE FROM funds WHERE id = ?1", [id])?;
    tx.commit()?;
    Ok(())
}

fn view(conn: &rusqlite::Connection, fund: Fund) -> Result<FundView> {
    let totals = fund_totals(conn, &fund, None)?;
    let mut stmt = conn.prepare_cached(
        "SELECT stage, count(*) FROM grant_applications WHERE fund_id = ?1 GROUP BY stage",
    )?;
    let counts = stmt
        .query_map([fund.id], |r| {
            let stage: String = r.get(0)?;
            Ok((Stage::parse(&stage).unwrap_or(Stage::Draft), r.get(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let next_deadline = fund.deadlines.iter().copied().find(|d| *d >= today());
    Ok(FundView {
        fund,
        totals,
        counts,
        next_deadline,
    })
}

/// A fund with its budget, requested, committed, paid and remaining.
pub fn fund_overview(reg: &SqliteRegister, id: i64) -> Result<FundView> {
    let fund = load_fund(reg.connection(), id)?;
    view(reg.connection(), fund)
}

/// Every fund with its totals, latest first.
pub fn funds(reg: &SqliteRegister) -> Result<Vec<FundView>> {
    let conn = reg.connection();
    let mut stmt = conn.prepare(&format!("SELECT {FUND_COLUMNS} ORDER BY id DESC"))?;
    let all = stmt
        .query_map([], fund_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    all.into_iter().map(|f| view(conn, f)).collect()
}

// ---------------------------------------------------------------- applications

struct CheckedApplication {
    kind: ApplicantKind,
    planned_date: Option<NaiveDate>,
    lines: Vec<Line>,
    requested: i64,
}

fn check_application(
    conn: &rusqlite::Connection,
    fund: &Fund,
    input: &ApplicationInput,
) -> Result<CheckedApplication> {
    let mut errors = Vec::new();
    let kind = ApplicantKind::parse(input.applicant_kind.trim());
    match kind {
        None => errors.push(FieldError::new("applicantKind", FieldCode::InvalidChoice)),
        // The fund says who may apply.
        Some(k) if !fund.applicants.contains(&k) => {
            errors.push(FieldError::new("applicantKind", FieldCode::InvalidChoice))
        }
        _ => {}
    }
    // The applicant or contact member: an active member.
    match input.member_id {
        None => errors.push(FieldError::new("memberId", FieldCode::Required)),
        Some(id) => {
            let who: Option<(String, String)> = conn
                .query_row(
                    "SELECT kind, status FROM members WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let active = who
                .is_some_and(|(k, s)| k == Kind::Member.as_str() && s == Status::Active.as_str());
            if !active {
                errors.push(FieldError::new("memberId", FieldCode::InvalidChoice));
            }
        }
    }
    let exists = |sql: &str, id: i64| -> Result<bool> {
        Ok(conn.query_row(sql, [id], |_| Ok(())).optional()?.is_some())
    };
    match (kind, input.branch_id) {
        (Some(ApplicantKind::Branch), None) => {
            errors.push(FieldError::new("branchId", FieldCode::Required))
        }
        (_, Some(b)) if !exists("SELECT 1 FROM branches WHERE id = ?1", b)? => {
            errors.push(FieldError::new("branchId", FieldCode::InvalidChoice))
        }
        _ => {}
    }
    match (kind, input.workplace_id) {
        (Some(ApplicantKind::Workplace), None) => {
            errors.push(FieldError::new("workplaceId", FieldCode::Required))
        }
        (_, Some(w)) if !exists("SELECT 1 FROM workplaces WHERE id = ?1", w)? => {
            errors.push(FieldError::new("workplaceId", FieldCode::InvalidChoice))
        }
        _ => {}
    }
    let title = input.title.trim();
    if title.is_empty() {
        errors.push(FieldError::new("title", FieldCode::Required));
    } else if title.chars().count() > 200 {
        errors.push(FieldError::new("title", FieldCode::TooLong));
    }
    for (field, text, max) in [
        ("purpose", &input.purpose, 10_000),
        ("activity", &input.activity, 100),
    ] {
        if text.chars().count() > max {
            errors.push(FieldError::new(field, FieldCode::TooLong));
        }
    }
    let planned_date = if input.planned_date.trim().is_empty() {
        None
    } else {
        let d = parse_date(&input.planned_date);
        if d.is_none() {
            errors.push(FieldError::new("plannedDate", FieldCode::InvalidDate));
        }
        d
    };
    if input
        .participants
        .is_some_and(|p| !(0..=1_000_000).contains(&p))
    {
        errors.push(FieldError::new("participants", FieldCode::InvalidNumber));
    }
    let mut lines = Vec::new();
    for (i, l) in input.lines.iter().enumerate() {
        let item = l.item.trim();
        if item.is_empty() {
            errors.push(FieldError::new(
                format!("lines.{i}.item"),
                FieldCode::Required,
            ));
        } else if item.chars().count() > 200 {
            errors.push(FieldError::new(
                format!("lines.{i}.item"),
                FieldCode::TooLong,
            ));
        }
        if let Some(a) = amount_field(&mut errors, &format!("lines.{i}.amount"), &l.amount) {
            lines.push(Line {
                item: item.to_owned(),
                amount: a,
            });
        }
    }
    let amount = if input.amount.trim().is_empty() {
        if input.lines.is_empty() {
            errors.push(FieldError::new("amount", FieldCode::Required));
        }
        None
    } else {
        amount_field(&mut errors, "amount", &input.amount)
    };
    let sum: i64 = lines.iter().map(|l| l.amount).sum();
    match amount {
        Some(a) if !input.lines.is_empty() && a != sum => {
            errors.push(FieldError::new("amount", FieldCode::Mismatch))
        }
        Some(a) if input.lines.is_empty() => lines.push(Line {
            item: title.to_owned(),
            amount: a,
        }),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let requested = lines.iter().map(|l| l.amount).sum();
    if let Some(cap) = fund.cap.filter(|c| requested > *c) {
        return Err(StepError::AboveCap { cap }.into());
    }
    Ok(CheckedApplication {
        kind: kind.unwrap_or(ApplicantKind::Member),
        planned_date,
        lines,
        requested,
    })
}

fn record_step(
    tx: &Transaction,
    id: i64,
    step: &str,
    stage: Stage,
    on: NaiveDate,
    amount: Option<i64>,
    note: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO grant_steps (application_id, step, stage, on_date, at, amount, note) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        id,
        step,
        stage.as_str(),
        on.to_string(),
        now(),
        amount,
        note
    ])?;
    Ok(())
}

fn save_lines(tx: &Transaction, id: i64, lines: &[Line]) -> Result<()> {
    tx.execute("DELETE FROM grant_lines WHERE application_id = ?1", [id])?;
    let mut stmt = tx.prepare_cached(
        "INSERT INTO grant_lines (application_id, position, item, amount) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, l) in lines.iter().enumerate() {
        stmt.execute(params![id, i as i64, l.item, l.amount])?;
    }
    Ok(())
}

/// Writes the form's fields: a new draft (`id` None) or the changes.
fn write_form(
    tx: &Transaction,
    id: Option<i64>,
    fund: i64,
    c: &CheckedApplication,
    input: &ApplicationInput,
) -> Result<()> {
    const COLUMNS: &str = "applicant_kind, member_id, branch_id, workplace_id, title, purpose, \
         activity, planned_date, participants, requested";
    let sql = match id {
        None => format!(
            "INSERT INTO grant_applications (fund_id, {COLUMNS}, stage, created_at, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'draft', ?12, ?12)"
        ),
        Some(_) => format!(
            "UPDATE grant_applications SET ({COLUMNS}, updated_at) = \
             (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) WHERE id = ?1"
        ),
    };
    tx.execute(
        &sql,
        params![
            id.unwrap_or(fund),
            c.kind.as_str(),
            input.member_id,
            input.branch_id,
            input.workplace_id,
            input.title.trim(),
            input.purpose.trim_end(),
            input.activity.trim(),
            c.planned_date.map(|d| d.to_string()),
            input.participants,
            c.requested,
            now()
        ],
    )?;
    Ok(())
}

/// A new application (a draft) to fund `input.fundId`.
pub fn apply(reg: &mut SqliteRegister, input: &ApplicationInput) -> Result<ApplicationView> {
    let tx = reg.connection_mut().transaction()?;
    let fund = load_fund(&tx, input.fund_id)?;
    let c = check_application(&tx, &fund, input)?;
    write_form(&tx, None, fund.id, &c, input)?;
    let id = tx.last_insert_rowid();
    save_lines(&tx, id, &c.lines)?;
    record_step(
        &tx,
        id,
        "create",
        Stage::Draft,
        today(),
        Some(c.requested),
        "",
    )?;
    tx.commit()?;
    application(reg, id)
}

/// Changes an application before its decision (a decided amount changes
/// only after `reopen`).
pub fn edit(
    reg: &mut SqliteRegister,
    id: i64,
    input: &ApplicationInput,
) -> Result<ApplicationView> {
    let tx = reg.connection_mut().transaction()?;
    let a = load_application(&tx, id)?;
    if !a.stage.is_editable() {
        return Err(StepError::NotAllowed {
            stage: a.stage,
            step: "edit".to_owned(),
        }
        .into());
    }
    let fund = load_fund(&tx, a.fund_id)?;
    let c = check_application(&tx, &fund, input)?;
    write_form(&tx, Some(id), fund.id, &c, input)?;
    save_lines(&tx, id, &c.lines)?;
    record_step(&tx, id, "edit", a.stage, today(), Some(c.requested), "")?;
    tx.commit()?;
    application(reg, id)
}

fn parse_step(input: &StepInput, approved: Option<i64>) -> Result<Step> {
    let amount = |field: &str, default: Option<i64>| -> Result<i64> {
        if input.amount.trim().is_empty() {
            if let Some(d) = default {
                return Ok(d);
            }
        }
        let mut errors = Vec::new();
        amount_field(&mut errors, field, &input.amount).ok_or(Error::Validation(errors))
    };
    Ok(match input.step.trim() {
        "submit" => Step::Submit,
        "review" => Step::Review,
        "approve" => Step::Approve {
            amount: amount("amount", None)?,
            up_to_remaining: input.up_to_remaining,
        },
        "reject" => {
            if input.reason.trim().is_empty() {
                return Err(Error::field("reason", FieldCode::Required));
            }
            Step::Reject
        }
        "pay" => Step::Pay {
            amount: amount("amount", approved)?,
        },
        "report" => Step::Report,
        "close" => Step::Close,
        "withdraw" => Step::Withdraw,
        "reopen" => Step::Reopen,
        _ => return Err(Error::field("step", FieldCode::InvalidChoice)),
    })
}

/// Takes a step with application `id`: checked against the workflow, the
/// fund's cap and what the fund has left (its other applications read in
/// the same transaction), and recorded with its date.
pub fn step(reg: &mut SqliteRegister, id: i64, input: &StepInput) -> Result<ApplicationView> {
    let on = if input.date.trim().is_empty() {
        today()
    } else {
        parse_date(&input.date).ok_or_else(|| Error::field("date", FieldCode::InvalidDate))?
    };
    for (field, text) in [
        ("reason", &input.reason),
        ("conditions", &input.conditions),
        ("reference", &input.reference),
    ] {
        if text.chars().count() > 5_000 {
            return Err(Error::field(field, FieldCode::TooLong));
        }
    }
    let report_due = if input.report_due.trim().is_empty() {
        None
    } else {
        Some(
            parse_date(&input.report_due)
                .ok_or_else(|| Error::field("reportDue", FieldCode::InvalidDate))?,
        )
    };
    let tx = reg.connection_mut().transaction()?;
    let a = load_application(&tx, id)?;
    let fund = load_fund(&tx, a.fund_id)?;
    let s = parse_step(input, a.approved)?;
    let others = fund_totals(&tx, &fund, Some(id))?;
    let room = Room {
        cap: fund.cap.unwrap_or(i64::MAX),
        remaining: others.remaining,
    };
    let before = Amounts {
        requested: a.requested,
        approved: a.approved,
        paid: a.paid,
    };
    let (stage, after) = workflow::next(a.stage, before, s, room).map_err(Error::from)?;
    let (amount, note) = match s {
        Step::Approve { .. } => (after.approved, input.conditions.trim()),
        Step::Pay { .. } => (after.paid, input.reference.trim()),
        Step::Reject => (None, input.reason.trim()),
        _ => (None, ""),
    };
    tx.execute(
        "UPDATE grant_applications SET stage = ?2, approved = ?3, paid = ?4, updated_at = ?5 \
         WHERE id = ?1",
        params![id, stage.as_str(), after.approved, after.paid, now()],
    )?;
    match s {
        Step::Approve { .. } => {
            tx.execute(
                "UPDATE grant_applications SET conditions = ?2, reason = '' WHERE id = ?1",
                params![id, input.conditions.trim()],
            )?;
        }
        Step::Reject => {
            tx.execute(
                "UPDATE grant_applications SET reason = ?2, conditions = '' WHERE id = ?1",
                params![id, input.reason.trim()],
            )?;
        }
        Step::Pay { .. } => {
            let due = report_due.unwrap_or_else(|| {
                a.planned_date.map_or(on, |p| p.max(on)) + chrono::Days::new(REPORT_DAYS)
            });
            tx.execute(
                "UPDATE grant_applications SET paid_on = ?2, payment_ref = ?3, report_due = ?4 \
                 WHERE id = ?1",
                params![id, on.to_string(), input.reference.trim(), due.to_string()],
            )?;
        }
        Step::Reopen | Step::Withdraw => {
            tx.execute(
                "UPDATE grant_applications SET conditions = '', reason = '' WHERE id = ?1",
                [id],
            )?;
        }
        _ => {}
    }
    record_step(&tx, id, s.name(), stage, on, amount, note)?;
    tx.commit()?;
    application(reg, id)
}

const APPLICATION_COLUMNS: &str = "a.id, a.fund_id, f.name, a.applicant_kind, a.member_id, \
     m.first_name || ' ' || m.last_name, m.number, a.branch_id, b.name, a.workplace_id, w.name, \
     a.title, a.purpose, a.activity, a.planned_date, a.participants, a.requested, a.stage, \
     a.approved, a.conditions, a.reason, a.paid, a.paid_on, a.payment_ref, a.report_due, \
     a.created_at \
     FROM grant_applications a JOIN funds f ON f.id = a.fund_id \
     LEFT JOIN members m ON m.id = a.member_id \
     LEFT JOIN branches b ON b.id = a.branch_id \
     LEFT JOIN workplaces w ON w.id = a.workplace_id";

fn date_col(r: &Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let s: Option<String> = r.get(i)?;
    Ok(s.as_deref().and_then(parse_date))
}

fn application_from_row(r: &Row) -> rusqlite::Result<Application> {
    let kind: String = r.get(3)?;
    let stage: String = r.get(17)?;
    Ok(Application {
        id: r.get(0)?,
        fund_id: r.get(1)?,
        fund_name: r.get(2)?,
        applicant_kind: ApplicantKind::parse(&kind).unwrap_or(ApplicantKind::Member),
        member_id: r.get(4)?,
        member_name: r.get::<_, Option<String>>(5)?.map(|s| s.trim().to_owned()),
        member_number: r.get(6)?,
        branch_id: r.get(7)?,
        branch_name: r.get(8)?,
        workplace_id: r.get(9)?,
        workplace_name: r.get(10)?,
        title: r.get(11)?,
        purpose: r.get(12)?,
        activity: r.get(13)?,
        planned_date: date_col(r, 14)?,
        participants: r.get(15)?,
        requested: r.get(16)?,
        stage: Stage::parse(&stage).unwrap_or(Stage::Draft),
        approved: r.get(18)?,
        conditions: r.get(19)?,
        reason: r.get(20)?,
        paid: r.get(21)?,
        paid_on: date_col(r, 22)?,
        payment_ref: r.get(23)?,
        report_due: date_col(r, 24)?,
        created_at: r.get(25)?,
    })
}

fn load_application(conn: &rusqlite::Connection, id: i64) -> Result<Application> {
    conn.query_row(
        &format!("SELECT {APPLICATION_COLUMNS} WHERE a.id = ?1"),
        [id],
        application_from_row,
    )
    .optional()?
    .ok_or(Error::NotFound("application"))
}

/// Application `id` with its lines, steps and attachments.
pub fn application(reg: &SqliteRegister, id: i64) -> Result<ApplicationView> {
    let conn = reg.connection();
    let application = load_application(conn, id)?;
    let lines = conn
        .prepare_cached(
            "SELECT item, amount FROM grant_lines WHERE application_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| {
            Ok(Line {
                item: r.get(0)?,
                amount: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let steps = conn
        .prepare_cached(
            "SELECT step, stage, on_date, at, amount, note FROM grant_steps \
             WHERE application_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            let stage: String = r.get(1)?;
            Ok(StepRecord {
                step: r.get(0)?,
                stage: Stage::parse(&stage).unwrap_or(Stage::Draft),
                on_date: date_col(r, 2)?.unwrap_or_default(),
                at: r.get(3)?,
                amount: r.get(4)?,
                note: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let attachments = attachments(conn, id)?;
    let report_overdue =
        application.stage == Stage::Paid && application.report_due.is_some_and(|d| d < today());
    Ok(ApplicationView {
        next_steps: workflow::steps_from(application.stage)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        editable: application.stage.is_editable(),
        application,
        lines,
        steps,
        attachments,
        report_overdue,
    })
}

/// Which applications a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApplicationQuery {
    pub fund_id: Option<i64>,
    pub stage: Option<Stage>,
    /// In the title, the applicant's name or number.
    pub search: String,
    /// Paid, report due before today, not in.
    pub overdue: bool,
}

/// The applications `q` selects, newest first.
pub fn applications(reg: &SqliteRegister, q: &ApplicationQuery) -> Result<Vec<Application>> {
    let mut sql = format!("SELECT {APPLICATION_COLUMNS} WHERE 1");
    let mut args: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
    // Each argument numbered as it is added.
    let arg = |args: &mut Vec<Box<dyn rusqlite::ToSql>>, v: Box<dyn rusqlite::ToSql>| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Some(f) = q.fund_id {
        sql += &format!(" AND a.fund_id = {}", arg(&mut args, Box::new(f)));
    }
    if let Some(s) = q.stage {
        sql += &format!(" AND a.stage = {}", arg(&mut args, Box::new(s.as_str())));
    }
    if q.overdue {
        let d = arg(&mut args, Box::new(today().to_string()));
        sql += &format!(" AND a.stage = 'paid' AND a.report_due < {d}");
    }
    let search = q.search.trim();
    if !search.is_empty() {
        let like = format!(
            "%{}%",
            search
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        let l = arg(&mut args, Box::new(like));
        let n = arg(&mut args, Box::new(search.to_owned()));
        sql += &format!(
            " AND (a.title LIKE {l} ESCAPE '\\' \
             OR m.first_name || ' ' || m.last_name LIKE {l} ESCAPE '\\' \
             OR m.number = {n} OR b.name LIKE {l} ESCAPE '\\' OR w.name LIKE {l} ESCAPE '\\')"
        );
    }
    sql.push_str(" ORDER BY a.id DESC");
    let mut stmt = reg.connection().prepare(&sql)?;
    let rows = stmt.query_map(
        rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())),
        application_from_row,
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

// ---------------------------------------------------------------- attachments

/// The largest attachment Medlem keeps (it lives in the register and in
/// every backup).
pub const MAX_ATTACHMENT: usize = 10_000_000;

fn attachments(conn: &rusqlite::Connection, id: i64) -> Result<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(
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

/// Keeps a file with application `id` (inside the register).
pub fn attach(reg: &mut SqliteRegister, id: i64, name: &str, bytes: &[u8]) -> Result<Attachment> {
    load_application(reg.connection(), id)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.contains(['/', '\\', '\0']) {
        return Err(Error::field("name", FieldCode::InvalidChoice));
    }
    if bytes.len() > MAX_ATTACHMENT {
        return Err(Error::field("file", FieldCode::TooLong));
    }
    reg.connection().execute(
        "INSERT INTO grant_files (application_id, name, bytes, added_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, name, bytes, now()],
    )?;
    let file = reg.connection().last_insert_rowid();
    attachments(reg.connection(), id)?
        .into_iter()
        .find(|a| a.id == file)
        .ok_or(Error::NotFound("attachment"))
}

/// Writes attachment `file` to `out` (whole or not at all).
pub fn save_attachment(reg: &SqliteRegister, file: i64, out: &std::path::Path) -> Result<()> {
    let bytes: Vec<u8> = reg
        .connection()
        .query_row("SELECT bytes FROM grant_files WHERE id = ?1", [file], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or(Error::NotFound("attachment"))?;
    crate::letters::write_file(out, &bytes)
}

pub fn detach(reg: &mut SqliteRegister, file: i64) -> Result<()> {
    let n = reg
        .connection()
        .execute("DELETE FROM grant_files WHERE id = ?1", [file])?;
    if n == 0 {
        return Err(Error::NotFound("attachment"));
    }
    Ok(())
}

// ---------------------------------------------------------------- letters

fn applicant_name(a: &Application) -> String {
    match a.applicant_kind {
        ApplicantKind::Member => a.member_name.clone().unwrap_or_default(),
        ApplicantKind::Branch => a.branch_name.clone().unwrap_or_default(),
        ApplicantKind::Workplace => a.workplace_name.clone().unwrap_or_default(),
    }
}

fn letter_values(a: &Application, language: crate::types::Language) -> crate::letters::Extra {
    let name = applicant_name(a);
    (
        "grant",
        fields::values(
            &fields::Values {
                number: a.id,
                title: &a.title,
                fund: &a.fund_name,
                applicant: &name,
                requested: a.requested,
                approved: a.approved,
                paid: a.paid,
                conditions: &a.conditions,
                reason: &a.reason,
                planned_date: a.planned_date,
                report_due: a.report_due,
            },
            language,
        ),
    )
}

/// Prints `key` letters for `apps` (each to its contact member) into one
/// PDF at `out`.
fn print(
    reg: &mut SqliteRegister,
    key: &str,
    apps: &[Application],
    out: &std::path::Path,
) -> Result<crate::letters::PdfSummary> {
    let mut members = Vec::with_capacity(apps.len());
    for a in apps {
        let id = a.member_id.ok_or(Error::NotFound("member"))?;
        members.push(reg.get(id)?);
    }
    crate::letters::print(
        reg,
        key,
        &members,
        &crate::letters::Batch {
            kind: Some(&fields::LETTERS),
            extra: &|i, language| Some(letter_values(&apps[i], language)),
            out,
            after: &|_| Ok(()),
        },
        &mut |_, _| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
}

/// The decision letter of application `id` (approval with its amount and
/// conditions, or rejection with the reason), to its contact member.
pub fn decision_letter(
    reg: &mut SqliteRegister,
    id: i64,
    out: &std::path::Path,
) -> Result<crate::letters::PdfSummary> {
    let a = load_application(reg.connection(), id)?;
    let key = match a.stage {
        Stage::Approved | Stage::Paid | Stage::ReportReceived | Stage::Closed
            if a.approved.is_some() =>
        {
            "grant_approval"
        }
        Stage::Rejected => "grant_rejection",
        _ => return Err(Error::NothingToPrint),
    };
    print(reg, key, &[a], out)
}

/// Reminder letters for every paid application whose report is overdue.
pub fn reminder_letters(
    reg: &mut SqliteRegister,
    out: &std::path::Path,
) -> Result<crate::letters::PdfSummary> {
    let apps = applications(
        reg,
        &ApplicationQuery {
            overdue: true,
            ..Default::default()
        },
    )?;
    if apps.is_empty() {
        return Err(Error::NothingToPrint);
    }
    print(reg, "grant_reminder", &apps, out)
}
