//! Grant applications (issue 7): funds such as an initiative pool where
//! active members apply for money, the applications with their budget
//! lines, steps and attachments, decision and reminder letters, and the
//! club's own applications to others ([`outgoing`]).
//!
//! The workflow and the fund's arithmetic are pure ([`workflow`]); this
//! module checks and orchestrates, and keeps them through the store
//! (`store::grants`). Every step runs in one unit of work that reads the
//! fund's other applications, so no approval can promise money the fund
//! does not have.

pub mod activity;
pub mod fields;
pub mod outgoing;
pub mod workflow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::letters::{self, Batch, Extra, PdfSummary};
use crate::store::grants::{FundRecord, GrantReads, Payment, StepLine};
use crate::store::{Reads, Store, UnitOfWork};
use crate::types::dates::{now, read_date, today, Timestamp};
use crate::types::{money, Kind, Status};
use crate::validate::{text_problem, Lines};
use workflow::{Room, Step, StepError, Totals};

pub use crate::types::grants::*;

/// Days after the activity (or the payment, if later) a report is due.
const REPORT_DAYS: u64 = 30;

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

/// An application as typed. The requested amount is the sum of the budget
/// lines; `amount` alone (no lines) is one line named after the title, and
/// both must agree when both are given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApplicationInput {
    pub fund_id: i64,
    pub applicant_kind: String,
    #[serde(flatten)]
    pub applicant: Applicant,
    pub title: String,
    pub purpose: String,
    pub activity: String,
    pub planned_date: String,
    pub participants: Option<i64>,
    pub lines: Vec<LineInput>,
    pub amount: String,
    /// On an edit: the application's `version` when the form was opened; a
    /// save after someone else's is refused (`application_changed`). None:
    /// no check (the CLI).
    pub version: Option<i64>,
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

fn check_fund(input: &FundInput) -> Result<FundRecord> {
    let mut errors = Vec::new();
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        errors.push(FieldError::new("name", FieldCode::Required));
    } else if let Some(code) = text_problem(&name, 200, Lines::One) {
        errors.push(FieldError::new("name", code));
    }
    let period = input.period.trim().to_owned();
    if period.is_empty() {
        errors.push(FieldError::new("period", FieldCode::Required));
    } else if let Some(code) = text_problem(&period, 40, Lines::One) {
        errors.push(FieldError::new("period", code));
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
        match read_date(d) {
            Ok(d) => deadlines.push(d),
            Err(problem) => errors.push(FieldError::new(format!("deadlines.{i}"), problem.into())),
        }
    }
    deadlines.sort();
    deadlines.dedup();
    if let Some(code) = text_problem(&input.note, 5_000, Lines::Many) {
        errors.push(FieldError::new("note", code));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(FundRecord {
        name,
        period,
        budget: budget.unwrap_or(0),
        cap,
        applicants,
        deadlines,
        note: input.note.trim_end().to_owned(),
    })
}

/// The fund's totals from its applications (all but `except`).
fn fund_totals(r: &dyn GrantReads, fund: &Fund, except: Option<i64>) -> Result<Totals> {
    Ok(workflow::totals(
        fund.budget,
        r.fund_amounts(fund.id, except)?,
    ))
}

pub fn fund_create(store: &mut dyn Store, input: &FundInput) -> Result<Fund> {
    let c = check_fund(input)?;
    let currency = store.org_or_err()?.currency;
    let work = store.begin()?;
    let id = work.grant_writes().insert_fund(&c, currency, now())?;
    work.commit()?;
    store.grants().fund(id)
}

/// Changes a fund. The budget cannot go below what is committed and paid.
pub fn fund_update(store: &mut dyn Store, id: i64, input: &FundInput) -> Result<Fund> {
    let c = check_fund(input)?;
    let work = store.begin()?;
    let fund = work.grants().fund(id)?;
    let t = fund_totals(work.grants(), &fund, None)?;
    let used = t.committed + t.paid;
    if c.budget < used {
        return Err(Error::BudgetBelowUsed { used });
    }
    work.grant_writes().update_fund(id, &c, now())?;
    work.commit()?;
    store.grants().fund(id)
}

/// Removes a fund that has no applications.
pub fn fund_delete(store: &mut dyn Store, id: i64) -> Result<()> {
    let work = store.begin()?;
    work.grants().fund(id)?;
    let n = work.grants().application_count(id)?;
    if n > 0 {
        return Err(Error::FundHasApplications(n));
    }
    work.grant_writes().delete_fund(id)?;
    work.commit()
}

fn view(r: &dyn GrantReads, fund: Fund) -> Result<FundView> {
    let totals = fund_totals(r, &fund, None)?;
    let counts = r.stage_counts(fund.id)?;
    let next_deadline = fund.deadlines.iter().copied().find(|d| *d >= today());
    Ok(FundView {
        fund,
        totals,
        counts,
        next_deadline,
    })
}

/// A fund with its budget, requested, committed, paid and remaining.
pub fn fund_overview(store: &dyn Store, id: i64) -> Result<FundView> {
    let r = store.grants();
    view(r, r.fund(id)?)
}

/// Every fund with its totals, latest first.
pub fn funds(store: &dyn Store) -> Result<Vec<FundView>> {
    let r = store.grants();
    r.funds()?.into_iter().map(|f| view(r, f)).collect()
}

// ---------------------------------------------------------------- applications

struct CheckedApplication {
    kind: ApplicantKind,
    planned_date: Option<NaiveDate>,
    lines: Vec<Line>,
    requested: i64,
}

fn check_application(
    r: &dyn Reads,
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
    match input.applicant.member_id {
        None => errors.push(FieldError::new("memberId", FieldCode::Required)),
        Some(id) => {
            let active = r.grants().standing(id)? == Some((Kind::Member, Status::Active));
            if !active {
                errors.push(FieldError::new("memberId", FieldCode::InvalidChoice));
            }
        }
    }
    match (kind, input.applicant.branch_id) {
        (Some(ApplicantKind::Branch), None) => {
            errors.push(FieldError::new("branchId", FieldCode::Required))
        }
        (_, Some(b)) if !r.branch_exists(b)? => {
            errors.push(FieldError::new("branchId", FieldCode::InvalidChoice))
        }
        _ => {}
    }
    match (kind, input.applicant.workplace_id) {
        (Some(ApplicantKind::Workplace), None) => {
            errors.push(FieldError::new("workplaceId", FieldCode::Required))
        }
        (_, Some(w)) if !r.workplace_exists(w)? => {
            errors.push(FieldError::new("workplaceId", FieldCode::InvalidChoice))
        }
        _ => {}
    }
    let title = input.title.trim();
    if title.is_empty() {
        errors.push(FieldError::new("title", FieldCode::Required));
    } else if let Some(code) = text_problem(title, 200, Lines::One) {
        errors.push(FieldError::new("title", code));
    }
    for (field, text, max, lines) in [
        ("purpose", &input.purpose, 10_000, Lines::Many),
        ("activity", &input.activity, 100, Lines::One),
    ] {
        if let Some(code) = text_problem(text, max, lines) {
            errors.push(FieldError::new(field, code));
        }
    }
    let planned_date = if input.planned_date.trim().is_empty() {
        None
    } else {
        match read_date(&input.planned_date) {
            Ok(d) => Some(d),
            Err(problem) => {
                errors.push(FieldError::new("plannedDate", problem.into()));
                None
            }
        }
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
        } else if let Some(code) = text_problem(item, 200, Lines::One) {
            errors.push(FieldError::new(format!("lines.{i}.item"), code));
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

/// What the store keeps of a checked application form.
fn record(c: &CheckedApplication, input: &ApplicationInput) -> ApplicationDetails {
    ApplicationDetails {
        applicant_kind: c.kind,
        applicant: Applicant {
            member_id: input.applicant.member_id,
            branch_id: input.applicant.branch_id,
            workplace_id: input.applicant.workplace_id,
        },
        title: input.title.trim().to_owned(),
        purpose: input.purpose.trim_end().to_owned(),
        activity: activity::activity_code(&input.activity),
        planned_date: c.planned_date,
        participants: input.participants,
        requested: c.requested,
    }
}

/// Keeps an application form's budget lines and the step (`create` or
/// `edit`) that wrote it.
fn keep_form(
    work: &dyn UnitOfWork,
    id: i64,
    c: &CheckedApplication,
    step: &str,
    stage: Stage,
    at: Timestamp,
) -> Result<()> {
    let w = work.grant_writes();
    w.save_lines(id, &c.lines)?;
    w.record_step(
        id,
        &StepLine {
            step,
            stage,
            on: today(),
            amount: Some(c.requested),
            note: "",
        },
        at,
    )
}

/// A new application (a draft) to fund `input.fundId`.
pub fn apply(store: &mut dyn Store, input: &ApplicationInput) -> Result<ApplicationView> {
    let work = store.begin()?;
    let fund = work.grants().fund(input.fund_id)?;
    let c = check_application(&*work, &fund, input)?;
    let at = now();
    let id = work
        .grant_writes()
        .insert_application(fund.id, &record(&c, input), at)?;
    keep_form(&*work, id, &c, "create", Stage::Draft, at)?;
    work.commit()?;
    application(store, id)
}

/// Changes an application before its decision (a decided amount changes
/// only after `reopen`).
pub fn edit(store: &mut dyn Store, id: i64, input: &ApplicationInput) -> Result<ApplicationView> {
    let work = store.begin()?;
    let a = work.grants().application(id)?;
    // Read under the application's lock (on the server): a save from a form
    // opened before another officer's save is refused, not written over it.
    if input.version.is_some_and(|v| v != a.version) {
        return Err(Error::ApplicationChanged {
            by: a.changed_by,
            at: a.updated_at.local_text(),
        });
    }
    if !a.stage.is_editable() {
        return Err(StepError::NotAllowed {
            stage: a.stage,
            step: "edit".to_owned(),
        }
        .into());
    }
    let fund = work.grants().fund(a.fund_id)?;
    let c = check_application(&*work, &fund, input)?;
    let at = now();
    work.grant_writes()
        .update_application(id, &record(&c, input), at)?;
    keep_form(&*work, id, &c, "edit", a.stage, at)?;
    work.commit()?;
    application(store, id)
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
pub fn step(store: &mut dyn Store, id: i64, input: &StepInput) -> Result<ApplicationView> {
    let on = if input.date.trim().is_empty() {
        today()
    } else {
        read_date(&input.date).map_err(|p| Error::field("date", p.into()))?
    };
    for (field, text) in [
        ("reason", &input.reason),
        ("conditions", &input.conditions),
        ("reference", &input.reference),
    ] {
        if let Some(code) = text_problem(text, 5_000, Lines::Many) {
            return Err(Error::field(field, code));
        }
    }
    let report_due = if input.report_due.trim().is_empty() {
        None
    } else {
        Some(read_date(&input.report_due).map_err(|p| Error::field("reportDue", p.into()))?)
    };
    let work = store.begin()?;
    let a = work.grants().application(id)?;
    let fund = work.grants().fund(a.fund_id)?;
    let s = parse_step(input, a.approved)?;
    let others = fund_totals(work.grants(), &fund, Some(id))?;
    let room = Room {
        cap: fund.cap.unwrap_or(i64::MAX),
        remaining: others.remaining,
    };
    let before = Amounts {
        requested: a.details.requested,
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
    let at = now();
    let w = work.grant_writes();
    w.set_stage(id, stage, after, at)?;
    match s {
        Step::Approve { .. } => w.set_texts(id, input.conditions.trim(), "")?,
        Step::Reject => w.set_texts(id, "", input.reason.trim())?,
        Step::Pay { .. } => {
            let due = report_due.unwrap_or_else(|| {
                a.details.planned_date.map_or(on, |p| p.max(on)) + chrono::Days::new(REPORT_DAYS)
            });
            w.set_payment(
                id,
                &Payment {
                    on,
                    reference: input.reference.trim(),
                    report_due: due,
                },
            )?;
        }
        Step::Reopen | Step::Withdraw => w.set_texts(id, "", "")?,
        _ => {}
    }
    w.record_step(
        id,
        &StepLine {
            step: s.name(),
            stage,
            on,
            amount,
            note,
        },
        at,
    )?;
    work.commit()?;
    application(store, id)
}

/// Application `id` with its lines, steps and attachments.
pub fn application(store: &dyn Store, id: i64) -> Result<ApplicationView> {
    let r = store.grants();
    let application = r.application(id)?;
    let report_overdue =
        application.stage == Stage::Paid && application.report_due.is_some_and(|d| d < today());
    Ok(ApplicationView {
        next_steps: workflow::steps_from(application.stage)
            .into_iter()
            .map(str::to_owned)
            .collect(),
        editable: application.stage.is_editable(),
        lines: r.lines(id)?,
        steps: r.steps(id)?,
        attachments: r.attachments(id)?,
        application,
        report_overdue,
    })
}

/// The applications `q` selects, newest first.
pub fn applications(store: &dyn Store, q: &ApplicationQuery) -> Result<Vec<Application>> {
    store.grants().applications(q, today())
}

// ---------------------------------------------------------------- attachments

/// The largest attachment Medlem keeps (it lives in the register and in
/// every backup).
pub const MAX_ATTACHMENT: usize = 10_000_000;

/// Keeps a file with application `id` (inside the register).
/// Keeps the file at `path` (named by its file name) with application `id`;
/// a file over [`MAX_ATTACHMENT`] is refused before it is read.
pub fn attach_file(store: &mut dyn Store, id: i64, path: &std::path::Path) -> Result<Attachment> {
    let bytes = crate::atomic_file::read_at_most(path, MAX_ATTACHMENT)?
        .ok_or(Error::field("file", FieldCode::TooLong))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    attach(store, id, &name, &bytes)
}

pub fn attach(store: &mut dyn Store, id: i64, name: &str, bytes: &[u8]) -> Result<Attachment> {
    store.grants().application(id)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.contains(['/', '\\', '\0']) {
        return Err(Error::field("name", FieldCode::InvalidChoice));
    }
    if bytes.len() > MAX_ATTACHMENT {
        return Err(Error::field("file", FieldCode::TooLong));
    }
    let work = store.begin()?;
    let file = work.grant_writes().attach(id, name, bytes, now())?;
    work.commit()?;
    store
        .grants()
        .attachments(id)?
        .into_iter()
        .find(|a| a.id == file)
        .ok_or(Error::NotFound("attachment"))
}

/// Writes attachment `file` to `out` (whole or not at all).
pub fn save_attachment(store: &dyn Store, file: i64, out: &std::path::Path) -> Result<()> {
    letters::write_file(out, &store.grants().attachment_bytes(file)?)
}

pub fn detach(store: &mut dyn Store, file: i64) -> Result<()> {
    let work = store.begin()?;
    if !work.grant_writes().detach(file)? {
        return Err(Error::NotFound("attachment"));
    }
    work.commit()
}

// ---------------------------------------------------------------- letters

fn applicant_name(a: &Application) -> String {
    match a.details.applicant_kind {
        ApplicantKind::Member => a.member_name.clone().unwrap_or_default(),
        ApplicantKind::Branch => a.branch_name.clone().unwrap_or_default(),
        ApplicantKind::Workplace => a.workplace_name.clone().unwrap_or_default(),
    }
}

fn letter_values(a: &Application, language: crate::types::Language) -> Extra {
    let name = applicant_name(a);
    (
        "grant",
        fields::values(
            &fields::Values {
                number: a.id,
                title: &a.details.title,
                fund: &a.fund_name,
                applicant: &name,
                requested: a.details.requested,
                approved: a.approved,
                paid: a.paid,
                conditions: &a.conditions,
                reason: &a.reason,
                planned_date: a.details.planned_date,
                report_due: a.report_due,
            },
            language,
        ),
    )
}

/// Prints `key` letters for `apps` (each to its contact member) into one
/// PDF at `out`.
fn print(
    reg: &mut dyn Store,
    key: &str,
    apps: &[Application],
    out: &std::path::Path,
) -> Result<PdfSummary> {
    let mut members = Vec::with_capacity(apps.len());
    for a in apps {
        let id = a
            .details
            .applicant
            .member_id
            .ok_or(Error::NotFound("member"))?;
        members.push(reg.member(id)?);
    }
    letters::print(
        reg,
        key,
        &members,
        &Batch {
            kind: Some(&fields::LETTERS),
            extra: &|i, language| Some(letter_values(&apps[i], language)),
            out,
            after: &|_| Ok(()),
            qr: &|_| None,
        },
        &mut |_, _| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
}

/// The decision letter of application `id` (approval with its amount and
/// conditions, or rejection with the reason), to its contact member.
pub fn decision_letter(reg: &mut dyn Store, id: i64, out: &std::path::Path) -> Result<PdfSummary> {
    let a = reg.grants().application(id)?;
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
pub fn reminder_letters(reg: &mut dyn Store, out: &std::path::Path) -> Result<PdfSummary> {
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
