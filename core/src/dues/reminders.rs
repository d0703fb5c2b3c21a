//! Arrears and reminders: which unpaid invoices are due a first or a
//! second reminder (after the days the treasurer chose; the second may add
//! a fee), the reminders printed as letters with the reminder noted on the
//! invoice in the same unit of work, and the arrears list with totals per
//! branch and the members overdue longer than the statutes allow suggested
//! for resignation (the treasurer decides each).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use super::letters::{addressees, values, LETTERS};
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::letters::{self, Batch, PdfSummary};
use crate::store::dues::{InvoiceQuery, RemindRecord};
use crate::store::{Reads, Store};
use crate::types::dates::{now, today};
use crate::types::dues::{
    Arrear, Arrears, BranchArrears, DuesSettings, DuesSettingsInput, InvoiceLine, Reminder,
};
use crate::types::{money, Status};

/// The setting the dues settings are kept in (JSON).
const SETTINGS: &str = "dues_settings";

pub fn settings(reads: &dyn Reads) -> Result<DuesSettings> {
    Ok(reads
        .setting(SETTINGS)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Checks and keeps the reminder days, the fee and the arrears the statutes
/// allow; a field left out stays. Days from 1 to 365 (the second after the
/// first; arrears up to 3 650), the fee an amount in kr.
pub fn set_settings(store: &mut dyn Store, input: &DuesSettingsInput) -> Result<DuesSettings> {
    let mut s = settings(&*store)?;
    let mut problems = Vec::new();
    let mut days = |field: &str, value: &Option<String>, max: u32, slot: &mut u32| {
        let Some(v) = value else { return };
        match v.trim().parse::<u32>() {
            Ok(d) if (1..=max).contains(&d) => *slot = d,
            _ => problems.push(FieldError::new(field, FieldCode::InvalidNumber)),
        }
    };
    days(
        "firstReminderDays",
        &input.first_reminder_days,
        365,
        &mut s.first_reminder_days,
    );
    days(
        "secondReminderDays",
        &input.second_reminder_days,
        365,
        &mut s.second_reminder_days,
    );
    days(
        "arrearsDays",
        &input.arrears_days,
        3650,
        &mut s.arrears_days,
    );
    if let Some(fee) = &input.reminder_fee {
        match fee.trim() {
            "" => s.reminder_fee = 0,
            f => match money::parse(f) {
                Some(a) => s.reminder_fee = a,
                None => problems.push(FieldError::new("reminderFee", FieldCode::InvalidNumber)),
            },
        }
    }
    if problems.is_empty() && s.second_reminder_days <= s.first_reminder_days {
        problems.push(FieldError::new("secondReminderDays", FieldCode::DateOrder));
    }
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    let json = serde_json::to_string(&s).map_err(|e| Error::Store(Box::new(e)))?;
    let work = store.begin()?;
    work.put_setting(SETTINGS, &json)?;
    work.commit()?;
    Ok(s)
}

/// The unpaid invoices due a reminder on `day`: the first once the first
/// reminder's days have passed since the due date, the second once the
/// second's have and the first was sent. Oldest due first.
pub fn due(reads: &dyn Reads, day: NaiveDate) -> Result<Vec<Reminder>> {
    let s = settings(reads)?;
    let overdue = reads.dues().invoices(&InvoiceQuery {
        due_before: Some(day),
        ..InvoiceQuery::default()
    })?;
    let mut due: Vec<Reminder> = overdue
        .into_iter()
        .filter_map(|invoice| {
            let days = (day - invoice.due).num_days();
            let level = match invoice.reminders {
                0 if days >= i64::from(s.first_reminder_days) => 1,
                1 if days >= i64::from(s.second_reminder_days) => 2,
                _ => return None,
            };
            Some(Reminder {
                invoice,
                level,
                days_overdue: days,
            })
        })
        .collect();
    due.sort_by_key(|r| (r.invoice.due, r.invoice.id));
    Ok(due)
}

/// Prints a reminder (template `invoice_reminder`) for every invoice
/// [`due`] today, each to its member in their language, into one PDF, and
/// notes each on its invoice: the count, the day and, with the second, the
/// fee as a line of the invoice — all with the letters, or nothing.
pub fn print_reminders(
    reg: &mut dyn Store,
    out: &Path,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<PdfSummary> {
    let fee = settings(&*reg)?.reminder_fee;
    let day = today();
    let mut reminders = due(&*reg, day)?;
    if reminders.is_empty() {
        return Err(Error::NothingToPrint);
    }
    // The invoices as the reminders leave them.
    for r in &mut reminders {
        r.invoice.reminders = r.level;
        r.invoice.reminded = Some(day);
        if r.level == 2 && fee > 0 {
            r.invoice.amount += fee;
            r.invoice.lines.push(InvoiceLine {
                kind: "reminder_fee".into(),
                text: String::new(),
                amount: fee,
            });
        }
    }
    let invoices: Vec<_> = reminders.iter().map(|r| r.invoice.clone()).collect();
    let (members, payees) = addressees(&*reg, &invoices)?;
    let at = now();
    letters::print(
        reg,
        "invoice_reminder",
        &members,
        &Batch {
            kind: Some(&LETTERS),
            extra: &|n, language| {
                Some((
                    "invoice",
                    values(&reminders[n].invoice, &payees[n], language),
                ))
            },
            out,
            after: &|work| {
                // Read again under the work's lock (on the office server,
                // another officer may have sent some of them meanwhile):
                // the same invoices at the same level, or nothing at all.
                let now_due = due(work, day)?;
                let same = now_due.len() == reminders.len()
                    && now_due
                        .iter()
                        .zip(&reminders)
                        .all(|(a, b)| (a.invoice.id, a.level) == (b.invoice.id, b.level));
                if !same {
                    return Err(Error::RemindersChanged);
                }
                for r in &reminders {
                    work.dues_writes().remind(
                        &RemindRecord {
                            id: r.invoice.id,
                            reminders: r.level,
                            day,
                            amount: r.invoice.amount,
                            lines: &r.invoice.lines,
                        },
                        at,
                    )?;
                }
                Ok(())
            },
            qr: &|_| None,
        },
        progress,
        cancel,
    )
}

/// Every unpaid invoice past its due date on `day`, most overdue first,
/// with totals per branch; members overdue longer than the statutes allow
/// are marked as suggested for resignation (until they have resigned).
pub fn arrears(reads: &dyn Reads, day: NaiveDate) -> Result<Arrears> {
    let limit = i64::from(settings(reads)?.arrears_days);
    let overdue = reads.dues().invoices(&InvoiceQuery {
        due_before: Some(day),
        ..InvoiceQuery::default()
    })?;
    let mut rows: Vec<Arrear> = overdue
        .into_iter()
        .map(|i| {
            let days = (day - i.due).num_days();
            Arrear {
                invoice_id: i.id,
                member_id: i.member_id,
                member: i.member,
                name: i.name,
                branch: i.branch,
                period: i.period,
                left: i.amount - i.paid,
                due: i.due,
                days_overdue: days,
                reminders: i.reminders,
                suggest_resignation: days > limit,
            }
        })
        .collect();
    // A member who has resigned (or died) is not suggested again.
    for r in rows.iter_mut().filter(|r| r.suggest_resignation) {
        let status = reads.member(r.member_id)?.status;
        r.suggest_resignation = matches!(status, Status::Active | Status::Applicant);
    }
    rows.sort_by(|a, b| {
        b.days_overdue
            .cmp(&a.days_overdue)
            .then(a.invoice_id.cmp(&b.invoice_id))
    });
    let mut by_branch: BTreeMap<Option<String>, (usize, i64)> = BTreeMap::new();
    for r in &rows {
        let e = by_branch.entry(r.branch.clone()).or_default();
        e.0 += 1;
        e.1 += r.left;
    }
    Ok(Arrears {
        total: rows.iter().map(|r| r.left).sum(),
        branches: by_branch
            .into_iter()
            .map(|(branch, (count, total))| BranchArrears {
                branch,
                count,
                total,
            })
            .collect(),
        rows,
    })
}

/// Writes off what is left to pay of an open or partly paid invoice (the
/// treasurer gives up on it): the invoice is `written_off`, with a line in
/// the member's history, and the books get a voucher for the loss. Any other
/// invoice is `invoice_state`, and nothing changes.
pub fn write_off(store: &mut dyn Store, invoice_id: i64) -> Result<crate::types::dues::Invoice> {
    use crate::store::history::HistoryLine;
    use crate::types::dues::InvoiceStatus;
    use crate::types::HistoryKind;
    let q = InvoiceQuery {
        id: Some(invoice_id),
        ..InvoiceQuery::default()
    };
    let work = store.begin()?;
    let i = work
        .dues()
        .invoices(&q)?
        .pop()
        .ok_or(Error::NotFound("invoice"))?;
    if !matches!(i.status, InvoiceStatus::Open | InvoiceStatus::PartlyPaid) {
        return Err(Error::InvoiceState);
    }
    let at = now();
    work.payment_writes()
        .set_invoice_paid(i.id, i.paid, InvoiceStatus::WrittenOff, at)?;
    work.history_writes().record(&HistoryLine {
        field: Some(&i.period),
        old: Some(i.status.as_str()),
        new: Some(InvoiceStatus::WrittenOff.as_str()),
        effective: Some(today()),
        ..HistoryLine::of(i.member_id, at, HistoryKind::Invoice)
    })?;
    let written = work
        .dues()
        .invoices(&q)?
        .pop()
        .ok_or(Error::NotFound("invoice"))?;
    work.commit()?;
    Ok(written)
}
