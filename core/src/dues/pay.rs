//! Payments in: a bank file read, matched and booked in one unit of work;
//! payments registered by hand; the review queue; reversals.
//!
//! A payment booked on an invoice pays what it lacks; more is credit on the
//! member. Every change of an invoice's status and every payment booked or
//! reversed is a line in the member's history. Nothing of a file is dropped:
//! each payment received is booked, waits for the treasurer, or was booked
//! from an earlier file (the same bank transaction) and is counted.

use std::path::Path;

use chrono::NaiveDate;

use super::bankfile::{self, BankLine, ReadError};
use super::matching::{is_ours, Book, Line, Outcome};
use super::{payments, reference, scheme};
use crate::error::{BankFileProblem, Error, FieldCode, FieldError, Result};
use crate::store::dues::InvoiceQuery;
use crate::store::history::HistoryLine;
use crate::store::payments::{BankFileRecord, PaymentQuery, PaymentRecord};
use crate::store::{Reads, Store, UnitOfWork};
use crate::types::dates::{now, read_date, today, Timestamp};
use crate::types::dues::{Invoice, InvoiceStatus};
use crate::types::payments::{
    Assignment, HandPayment, ImportReport, MatchedBy, MemberAccount, Method, Payment, PaymentState,
};
use crate::types::{money, HistoryKind};

/// Reads a bank file, matches each payment and books it, or in a dry run
/// says what it would do. A file read before books nothing again; a file
/// for another account than the organisation's is refused whole.
pub fn import(
    store: &mut dyn Store,
    bytes: &[u8],
    name: &str,
    dry_run: bool,
) -> Result<ImportReport> {
    let statement = bankfile::read(bytes).map_err(|e| bank_file_error(e, name))?;
    let org = store.org_or_err()?;
    let details = payments(&*store)?;
    if let Some(l) = statement
        .lines
        .iter()
        .find(|l| !is_ours(&details, &l.account))
    {
        return Err(Error::OtherAccount(l.account.clone()));
    }
    let format = statement.format.as_str();
    let mut report = ImportReport {
        format: format.to_owned(),
        message_id: statement.message_id.clone(),
        dry_run,
        file_already_read: false,
        read: statement.lines.len(),
        total: statement.lines.iter().map(|l| l.amount).sum(),
        matched: Vec::new(),
        review: Vec::new(),
        already_read: 0,
        skipped: statement.skipped,
    };
    if store
        .payments()
        .bank_file(format, &statement.message_id)?
        .is_some()
    {
        report.file_already_read = true;
        report.already_read = report.read;
        return Ok(report);
    }
    let scheme = scheme(&org, &details);
    let unpaid = store.dues().invoices(&InvoiceQuery {
        unpaid: true,
        ..InvoiceQuery::default()
    })?;
    let book = Book::new(scheme, org.currency.as_str(), &unpaid);
    let at = now();
    let work = store.begin()?;
    let file_id = work.payment_writes().insert_bank_file(
        &BankFileRecord {
            format,
            message_id: &statement.message_id,
            name,
            payments: report.read as i64,
            total: report.total,
        },
        at,
    )?;
    for line in &statement.lines {
        if work.payments().bank_key_known(&line.key)? {
            report.already_read += 1;
            continue;
        }
        let found = match line
            .reference
            .as_deref()
            .and_then(|r| reference::check(scheme, r).ok())
        {
            Some(r) => match work.payments().invoice_by_reference(&r)? {
                Some(id) => Some((id, invoice(&*work, id)?.status)),
                None => None,
            },
            None => None,
        };
        let outcome = book.outcome(
            &Line {
                reference: line.reference.as_deref(),
                text: &line.text,
                payer: &line.payer,
                amount: line.amount,
                currency: &line.currency,
            },
            found,
        );
        let id = insert(&*work, line, file_id, &outcome, at)?;
        if let Outcome::Invoice { id: invoice_id, .. } = outcome {
            let member_id = invoice(&*work, invoice_id)?.member_id;
            book_on(&*work, id, member_id, Some(invoice_id), at)?;
        }
        let mut p = work.payments().payment(id)?;
        if dry_run {
            p.id = 0;
        }
        match p.state {
            PaymentState::Review => report.review.push(p),
            _ => report.matched.push(p),
        }
    }
    if !dry_run {
        work.commit()?;
    }
    Ok(report)
}

/// Reads the bank file at `path` (see [`import`]); a file over
/// [`bankfile::MAX_FILE_BYTES`] is refused before it is read.
pub fn import_file(store: &mut dyn Store, path: &Path, dry_run: bool) -> Result<ImportReport> {
    let size = std::fs::metadata(path)?.len();
    if size > bankfile::MAX_FILE_BYTES as u64 {
        return Err(Error::FileTooLarge {
            path: path.to_owned(),
            what: "size",
            limit: bankfile::MAX_FILE_BYTES,
        });
    }
    let bytes = std::fs::read(path)?;
    let name = path
        .file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
    import(store, &bytes, &name, dry_run)
}

fn bank_file_error(e: ReadError, name: &str) -> Error {
    let (problem, line) = match e {
        ReadError::TooBig => {
            return Error::FileTooLarge {
                path: name.into(),
                what: "size",
                limit: bankfile::MAX_FILE_BYTES,
            }
        }
        ReadError::NotABankFile => (BankFileProblem::NotABankFile, None),
        ReadError::Truncated => (BankFileProblem::Truncated, None),
        ReadError::Malformed { line, .. } => (BankFileProblem::Malformed, Some(line)),
    };
    Error::BankFile { problem, line }
}

fn insert(
    work: &dyn UnitOfWork,
    line: &BankLine,
    file_id: i64,
    outcome: &Outcome,
    at: Timestamp,
) -> Result<i64> {
    let (state, matched_by, reason, suggestion, score) = match *outcome {
        Outcome::Invoice { by, score, .. } => (PaymentState::Booked, Some(by), None, None, score),
        Outcome::Review {
            reason,
            suggestion,
            score,
        } => (PaymentState::Review, None, Some(reason), suggestion, score),
    };
    work.payment_writes().insert_payment(
        &PaymentRecord {
            method: Method::File,
            file_id: Some(file_id),
            bank_key: Some(&line.key),
            date: line.date,
            amount: line.amount,
            currency: &line.currency,
            reference: line.reference.as_deref(),
            text: &line.text,
            payer: &line.payer,
            member_id: None,
            state,
            matched_by,
            reason,
            suggestion,
            score,
        },
        at,
    )
}

fn invoice(reads: &dyn Reads, id: i64) -> Result<Invoice> {
    reads
        .dues()
        .invoices(&InvoiceQuery {
            id: Some(id),
            ..InvoiceQuery::default()
        })?
        .pop()
        .ok_or(Error::NotFound("invoice"))
}

/// Books payment `id` on `member_id`: on `invoice_id` when given (what it
/// lacks), else on the member's unpaid invoices, oldest first. The rest is
/// the member's credit.
fn book_on(
    work: &dyn UnitOfWork,
    id: i64,
    member_id: i64,
    invoice_id: Option<i64>,
    at: Timestamp,
) -> Result<()> {
    let p = work.payments().payment(id)?;
    let by = p.matched_by;
    work.payment_writes()
        .set_payment_state(id, PaymentState::Booked, Some(member_id), by, at)?;
    let targets = match invoice_id {
        Some(i) => vec![invoice(work, i)?],
        None => work.dues().invoices(&InvoiceQuery {
            member_id: Some(member_id),
            unpaid: true,
            ..InvoiceQuery::default()
        })?,
    };
    let mut left = p.amount;
    for i in targets {
        let open = matches!(i.status, InvoiceStatus::Open | InvoiceStatus::PartlyPaid);
        let share = if open { left.min(i.amount - i.paid) } else { 0 };
        if share <= 0 {
            continue;
        }
        left -= share;
        work.payment_writes().allocate(id, i.id, share)?;
        set_paid(work, &i, i.paid + share, p.date, at)?;
        record(work, member_id, Some(&i.period), share, false, p.date, at)?;
    }
    if left > 0 {
        record(work, member_id, None, left, false, p.date, at)?;
    }
    Ok(())
}

/// Sets what is paid of an invoice, with a history line when its status
/// changes.
fn set_paid(
    work: &dyn UnitOfWork,
    i: &Invoice,
    paid: i64,
    day: NaiveDate,
    at: Timestamp,
) -> Result<()> {
    let status = match i.status {
        InvoiceStatus::Credited | InvoiceStatus::WrittenOff => i.status,
        _ if paid >= i.amount => InvoiceStatus::Paid,
        _ if paid > 0 => InvoiceStatus::PartlyPaid,
        _ => InvoiceStatus::Open,
    };
    work.payment_writes()
        .set_invoice_paid(i.id, paid, status, at)?;
    if status != i.status {
        work.history_writes().record(&HistoryLine {
            field: Some(&i.period),
            old: Some(i.status.as_str()),
            new: Some(status.as_str()),
            effective: Some(day),
            ..HistoryLine::of(i.member_id, at, HistoryKind::Invoice)
        })?;
    }
    Ok(())
}

/// A payment line in the member's history: `field` the invoice's period
/// (none: credit), the amount in minor units as the new value, or as the
/// old one when reversed.
fn record(
    work: &dyn UnitOfWork,
    member_id: i64,
    period: Option<&str>,
    amount: i64,
    reversed: bool,
    day: NaiveDate,
    at: Timestamp,
) -> Result<()> {
    let amount = amount.to_string();
    let (old, new) = if reversed {
        (Some(amount.as_str()), None)
    } else {
        (None, Some(amount.as_str()))
    };
    work.history_writes().record(&HistoryLine {
        field: period,
        old,
        new,
        effective: Some(day),
        ..HistoryLine::of(member_id, at, HistoryKind::Payment)
    })
}

/// The payments waiting for the treasurer, oldest first.
pub fn review(reads: &dyn Reads) -> Result<Vec<Payment>> {
    reads.payments().payments(&PaymentQuery {
        state: Some(PaymentState::Review),
        ..PaymentQuery::default()
    })
}

/// Payments the query selects, oldest first.
pub fn list(reads: &dyn Reads, q: &PaymentQuery) -> Result<Vec<Payment>> {
    reads.payments().payments(q)
}

/// The treasurer says whose a waiting payment is.
pub fn assign(store: &mut dyn Store, id: i64, to: Assignment) -> Result<Payment> {
    let p = store.payments().payment(id)?;
    if p.state != PaymentState::Review {
        return Err(Error::PaymentState {
            id,
            state: p.state.as_str(),
        });
    }
    let at = now();
    let work = store.begin()?;
    match to {
        Assignment::OtherIncome => work.payment_writes().set_payment_state(
            id,
            PaymentState::OtherIncome,
            None,
            Some(MatchedBy::Treasurer),
            at,
        )?,
        Assignment::Invoice { id: invoice_id } => {
            let member_id = invoice(&*work, invoice_id)?.member_id;
            mark_treasurer(&*work, id, at)?;
            book_on(&*work, id, member_id, Some(invoice_id), at)?;
        }
        Assignment::Member { id: member_id } => {
            work.member(member_id)?;
            mark_treasurer(&*work, id, at)?;
            book_on(&*work, id, member_id, None, at)?;
        }
    }
    work.commit()?;
    store.payments().payment(id)
}

fn mark_treasurer(work: &dyn UnitOfWork, id: i64, at: Timestamp) -> Result<()> {
    work.payment_writes().set_payment_state(
        id,
        PaymentState::Review,
        None,
        Some(MatchedBy::Treasurer),
        at,
    )
}

/// Registers a payment made by hand (cash, Swish ...) for a member.
pub fn add(store: &mut dyn Store, input: &HandPayment) -> Result<Payment> {
    let org = store.org_or_err()?;
    let mut problems = Vec::new();
    let amount = money::parse(&input.amount).filter(|a| *a > 0);
    if amount.is_none() {
        problems.push(FieldError::new("amount", FieldCode::InvalidNumber));
    }
    let date = if input.date.trim().is_empty() {
        Some(today())
    } else {
        read_date(&input.date).ok()
    };
    match date {
        None => problems.push(FieldError::new("date", FieldCode::InvalidDate)),
        Some(d) if d > today() => problems.push(FieldError::new("date", FieldCode::InFuture)),
        _ => {}
    }
    let method = match Method::parse(input.method.trim()) {
        Some(Method::File) | None => {
            problems.push(FieldError::new("method", FieldCode::InvalidChoice));
            Method::Cash
        }
        Some(m) => m,
    };
    let (Some(amount), Some(date), true) = (amount, date, problems.is_empty()) else {
        return Err(Error::Validation(problems));
    };
    store.member(input.member_id)?;
    if let Some(i) = input.invoice_id {
        if invoice(&*store, i)?.member_id != input.member_id {
            return Err(Error::field("invoiceId", FieldCode::InvalidChoice));
        }
    }
    let at = now();
    let work = store.begin()?;
    let id = work.payment_writes().insert_payment(
        &PaymentRecord {
            method,
            file_id: None,
            bank_key: None,
            date,
            amount,
            currency: org.currency.as_str(),
            reference: None,
            text: "",
            payer: "",
            member_id: Some(input.member_id),
            state: PaymentState::Booked,
            matched_by: Some(MatchedBy::Hand),
            reason: None,
            suggestion: None,
            score: None,
        },
        at,
    )?;
    book_on(&*work, id, input.member_id, input.invoice_id, at)?;
    work.commit()?;
    store.payments().payment(id)
}

/// Takes a payment back: what it paid of invoices is open again, its credit
/// gone; a line in the member's history says so.
pub fn reverse(store: &mut dyn Store, id: i64) -> Result<Payment> {
    let p = store.payments().payment(id)?;
    if p.state == PaymentState::Reversed {
        return Err(Error::PaymentState {
            id,
            state: p.state.as_str(),
        });
    }
    let at = now();
    let work = store.begin()?;
    for a in &p.allocations {
        let i = invoice(&*work, a.invoice_id)?;
        set_paid(&*work, &i, i.paid - a.amount, today(), at)?;
    }
    work.payment_writes().clear_allocations(id)?;
    work.payment_writes().set_payment_state(
        id,
        PaymentState::Reversed,
        p.member_id,
        p.matched_by,
        at,
    )?;
    if let (Some(member_id), PaymentState::Booked) = (p.member_id, p.state) {
        for a in &p.allocations {
            record(
                &*work,
                member_id,
                Some(&a.period),
                a.amount,
                true,
                today(),
                at,
            )?;
        }
        if p.credit > 0 {
            record(&*work, member_id, None, p.credit, true, today(), at)?;
        }
    }
    work.commit()?;
    store.payments().payment(id)
}

/// What a member owes and has in credit.
pub fn account(store: &dyn Store, member_id: i64) -> Result<MemberAccount> {
    let currency = store.org_or_err()?.currency;
    let unpaid = store.dues().invoices(&InvoiceQuery {
        member_id: Some(member_id),
        unpaid: true,
        ..InvoiceQuery::default()
    })?;
    Ok(MemberAccount {
        member_id,
        owed: unpaid.iter().map(|i| i.amount - i.paid).sum(),
        credit: store.payments().member_credit(member_id)?,
        currency,
    })
}
