//! A fee run: the plan (who is billed what, and every exception) read from
//! the register, then written in one unit of work; and a run cancelled as a
//! whole while nothing of it is paid.

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::fees::Rules;
use super::{reference, scheme};
use crate::error::{Error, FieldCode, Result};
use crate::store::dues::{BillingRow, InvoiceQuery, InvoiceRecord, RunRecord};
use crate::store::history::HistoryLine;
use crate::store::{Reads, Store};
use crate::types::dates::{now, read_date, today};
use crate::types::dues::{
    Exception, ExceptionCount, Invoice, InvoiceStatus, Period, PlannedInvoice, RunException,
    RunPlan, RunState,
};
use crate::types::{HistoryKind, MembershipType, Org, Status};

/// Days from the run to the due date unless the treasurer chooses one.
pub const DUE_DAYS: u64 = 30;

/// The first invoice's reference base: references start at 100001, so none
/// is too short to tell from other numbers in a payment's text.
const REFERENCE_BASE: i64 = 100_000;

/// What the treasurer chooses for a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RunOptions {
    /// "2027", "2027-H1", "2027-Q1", "2027-01".
    pub period: String,
    /// Empty: [`DUE_DAYS`] from today.
    pub due: String,
    /// Members who join during the period pay for the months left.
    pub pro_rata: bool,
    /// The count and total the treasurer confirmed in the preview: the run is
    /// refused (`run_changed`) when the register would now bill otherwise.
    pub expect_count: Option<usize>,
    pub expect_total: Option<i64>,
}

/// The period and due day the options name.
fn read_options(o: &RunOptions) -> Result<(Period, NaiveDate)> {
    let period =
        Period::parse(&o.period).ok_or_else(|| Error::field("period", FieldCode::InvalidPeriod))?;
    let due = match o.due.trim() {
        "" => today() + Days::new(DUE_DAYS),
        d => read_date(d).map_err(|p| Error::field("due", p.into()))?,
    };
    Ok((period, due))
}

/// The preview: who would be billed what, and every exception. Nothing is
/// written.
pub fn preview(store: &dyn Store, options: &RunOptions) -> Result<RunPlan> {
    let org = store.org_or_err()?;
    let (period, due) = read_options(options)?;
    plan(store, &org, period, due, options.pro_rata)
}

fn plan(
    reads: &dyn Reads,
    org: &Org,
    period: Period,
    due: NaiveDate,
    pro_rata: bool,
) -> Result<RunPlan> {
    let dues = reads.dues();
    let all_rules = dues.fee_rules()?;
    let rules = Rules::new(&all_rules, &period);
    let rows = dues.billing_rows(period.start, period.end)?;
    let billed: HashSet<i64> = dues.billed(&period.name)?.into_iter().collect();
    let recent = period
        .start
        .checked_sub_days(Days::new(366))
        .unwrap_or(period.start);

    let mut exceptions = Vec::new();
    let mut except = |m: &BillingRow, reason: Exception| {
        exceptions.push(RunException {
            member_id: m.id,
            member: m.number.clone(),
            name: m.name.clone(),
            reason,
            billed: reason.billed(),
        })
    };
    // Who is a member in the period, and from which day when they joined
    // during it.
    let mut members: Vec<(&BillingRow, Option<NaiveDate>)> = Vec::new();
    for m in &rows {
        let joined_after = m.joined_date.filter(|d| *d > period.start);
        let from = match (m.status_at_start, m.status_at_end) {
            _ if joined_after.is_some_and(|d| d > period.end) => continue,
            (Status::Active, _) => joined_after,
            (_, Status::Active) => Some(m.since_end.max(period.start)),
            (Status::Applicant, _) => {
                except(m, Exception::Applicant);
                continue;
            }
            (Status::Resigned | Status::Deceased, _) => {
                if m.since_start >= recent {
                    except(m, Exception::Resigned);
                }
                continue;
            }
        };
        if m.membership_type == MembershipType::Honorary {
            except(m, Exception::Honorary);
            continue;
        }
        members.push((m, from.filter(|d| *d > period.start)));
    }

    // Households whose payer is billed the household's fee.
    let billable: HashMap<i64, &BillingRow> = members.iter().map(|(m, _)| (m.id, *m)).collect();
    let mut household: HashMap<i64, Vec<i64>> = HashMap::new();
    for (m, _) in &members {
        if let Some(payer) = m.dues.payer_id.and_then(|p| billable.get(&p)) {
            if !billed.contains(&payer.id) && rules.has_household(payer) {
                household.entry(payer.id).or_default().push(m.id);
            }
        }
    }
    let paid_for: HashSet<i64> = household.values().flatten().copied().collect();

    let mut invoices = Vec::new();
    for (m, from) in members {
        if billed.contains(&m.id) {
            except(m, Exception::AlreadyBilled);
            continue;
        }
        if paid_for.contains(&m.id) {
            except(m, Exception::InHousehold);
            continue;
        }
        let covers = household.remove(&m.id).unwrap_or_default();
        let Some(mut lines) = rules.lines(m, !covers.is_empty()) else {
            except(m, Exception::NoRule);
            continue;
        };
        if let Some(day) = from {
            except(m, Exception::JoinedDuring);
            if pro_rata {
                let (left, all) = (period.months_from(day) as i64, period.kind.months() as i64);
                for l in &mut lines {
                    l.amount = share(l.amount, left, all);
                }
            }
        }
        if !m.reachable {
            except(m, Exception::Unreachable);
        }
        invoices.push(PlannedInvoice {
            member_id: m.id,
            member: m.number.clone(),
            name: m.name.clone(),
            amount: lines.iter().map(|l| l.amount).sum(),
            lines,
            household: covers,
        });
    }

    let mut exception_counts: Vec<ExceptionCount> = Exception::ALL
        .iter()
        .map(|&reason| ExceptionCount {
            reason,
            count: exceptions.iter().filter(|e| e.reason == reason).count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    exception_counts.sort_by_key(|c| c.reason);
    Ok(RunPlan {
        run_id: None,
        currency: org.currency,
        count: invoices.len(),
        total: invoices.iter().map(|i| i.amount).sum(),
        period,
        due,
        pro_rata,
        exception_counts,
        exceptions,
        invoices,
        written: Vec::new(),
    })
}

/// `amount` × `left` / `all`, to whole kronor.
fn share(amount: i64, left: i64, all: i64) -> i64 {
    (amount * left / all + 50) / 100 * 100
}

/// Plans and writes the run in one unit of work: every invoice with its
/// reference and a line in the member's history. Nobody already billed for
/// the period is billed again.
pub fn run(store: &mut dyn Store, options: &RunOptions) -> Result<RunPlan> {
    let org = store.org_or_err()?;
    let (period, due) = read_options(options)?;
    let scheme = scheme(&org, &super::payments(store)?);
    let work = store.begin()?;
    let mut plan = plan(&*work, &org, period, due, options.pro_rata)?;
    if options.expect_count.is_some_and(|c| c != plan.count)
        || options.expect_total.is_some_and(|t| t != plan.total)
    {
        return Err(Error::RunChanged);
    }
    if plan.invoices.is_empty() {
        return Err(Error::NothingToBill);
    }
    let at = now();
    let issued = today();
    let run_id = work.dues_writes().insert_run(
        &RunRecord {
            period: &plan.period.name,
            due,
            pro_rata: options.pro_rata,
            count: plan.count as i64,
            total: plan.total,
        },
        at,
    )?;
    let first = work.dues().next_invoice_id()?;
    for (n, p) in plan.invoices.iter().enumerate() {
        let id = first + n as i64;
        let reference = reference::make(scheme, &(REFERENCE_BASE + id).to_string())
            .map_err(|_| Error::NotFound("payment reference"))?;
        work.dues_writes().insert_invoice(
            &InvoiceRecord {
                id,
                run_id: Some(run_id),
                member_id: p.member_id,
                period: &plan.period.name,
                amount: p.amount,
                currency: org.currency,
                reference: &reference,
                issued,
                due,
                lines: &p.lines,
            },
            at,
        )?;
        work.history_writes().record(&HistoryLine {
            field: Some(&plan.period.name),
            new: Some(InvoiceStatus::Open.as_str()),
            effective: Some(issued),
            ..HistoryLine::of(p.member_id, at, HistoryKind::Invoice)
        })?;
    }
    plan.written = work.dues().invoices(&InvoiceQuery {
        run_id: Some(run_id),
        ..InvoiceQuery::default()
    })?;
    work.commit()?;
    plan.run_id = Some(run_id);
    Ok(plan)
}

/// Cancels a run as a whole: its invoices are credited, each with a line in
/// the member's history. Refused once anything of it is paid.
pub fn cancel(store: &mut dyn Store, run_id: i64) -> Result<()> {
    let run = store.dues().run(run_id)?;
    if run.state == RunState::Cancelled {
        return Ok(());
    }
    let work = store.begin()?;
    let invoices: Vec<Invoice> = work.dues().invoices(&InvoiceQuery {
        run_id: Some(run_id),
        ..InvoiceQuery::default()
    })?;
    let paid = invoices.iter().filter(|i| i.paid > 0).count();
    if paid > 0 {
        return Err(Error::RunHasPayments(paid));
    }
    let at = now();
    work.dues_writes().cancel_run(run_id, at)?;
    for i in invoices
        .iter()
        .filter(|i| i.status != InvoiceStatus::Credited)
    {
        work.history_writes().record(&HistoryLine {
            field: Some(&i.period),
            old: Some(i.status.as_str()),
            new: Some(InvoiceStatus::Credited.as_str()),
            effective: Some(today()),
            ..HistoryLine::of(i.member_id, at, HistoryKind::Invoice)
        })?;
    }
    work.commit()
}
