//! Payments in: a bank file read, matched and booked in one unit of work;
//! payments registered by hand; the review queue; reversals.
//!
//! A payment booked on an invoice pays what it lacks; more is credit on the
//! member. Every change of an invoice's status and every payment booked or
//! reversed is a line in the member's history. Nothing of a file is dropped:
//! each payment received is booked, waits for the treasurer, or was booked
//! from an earlier file (the same bank transaction) and is counted.

use std::collections::HashMap;
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
    Allocation, Assignment, HandPayment, ImportReport, MatchedBy, MemberAccount, Method, Payment,
    PaymentState,
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
    // The file is parsed on a second core (from a copy of its bytes) while
    // the unpaid invoices are read and indexed for matching (a bank's file
    // of 100 000 lines: half a second each).
    let parsing = {
        let bytes = bytes.to_vec();
        crate::parallel::start(move || bankfile::read(&bytes))
    };
    let org = store.org_or_err()?;
    let details = payments(&*store)?;
    let scheme = scheme(&org, &details);
    // One unit of work from the first read of the invoices to the last
    // payment booked (a dry run's is rolled back): on the office server,
    // another officer's payments wait for it, and a file read meanwhile is
    // seen as read.
    let work = store.begin()?;
    let unpaid = work.dues().invoices(&InvoiceQuery {
        unpaid: true,
        ..InvoiceQuery::default()
    })?;
    let book = Book::new(scheme, org.currency.as_str(), &unpaid);
    let by_id: HashMap<i64, &Invoice> = unpaid.iter().map(|i| (i.id, i)).collect();
    let statement = parsing.wait().map_err(|e| bank_file_error(e, name))?;
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
    if work
        .payments()
        .bank_file(format, &statement.message_id)?
        .is_some()
    {
        report.file_already_read = true;
        report.already_read = report.read;
        return Ok(report);
    }
    // What this file has paid so far of each invoice: the unpaid invoices
    // are read once, and kept up to date here as the lines book on them.
    // What is paid of each is written once, after the last line.
    let mut paid_now: HashMap<i64, (i64, InvoiceStatus)> = HashMap::new();
    let at = now();
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
    // A file's lines never share a key (`bankfile::read`), so what a dry
    // run leaves unwritten is never met again in the same file.
    for line in &statement.lines {
        if work.payments().bank_key_known(&line.key)? {
            report.already_read += 1;
            continue;
        }
        // The invoice the line's reference names (a correct check digit):
        // an unpaid one as read, any other from the store; as this file's
        // lines so far have left it.
        let mut fetched: Option<Invoice> = None;
        let named: Option<&Invoice> = match line
            .reference
            .as_deref()
            .and_then(|r| reference::check(scheme, r).ok())
        {
            Some(r) => match book.by_reference(&r) {
                Some(i) => Some(i),
                None => match work.payments().invoice_by_reference(&r)? {
                    Some(id) => Some(&*fetched.insert(invoice(&*work, id)?)),
                    None => None,
                },
            },
            None => None,
        };
        let named = named.map(|i| Owed::now(i, &paid_now));
        let outcome = book.outcome(
            &Line {
                reference: line.reference.as_deref(),
                text: &line.text,
                payer: &line.payer,
                amount: line.amount,
                currency: &line.currency,
            },
            named.map(|o| (o.invoice.id, o.status)),
        );
        let mut other: Option<Invoice> = None;
        let mut p = match outcome {
            Outcome::Invoice { id, by, score } => {
                let target = match named.filter(|o| o.invoice.id == id) {
                    Some(o) => o,
                    None => match by_id.get(&id) {
                        Some(i) => Owed::now(i, &paid_now),
                        None => {
                            let i = other.insert(invoice(&*work, id)?);
                            Owed::now(i, &paid_now)
                        }
                    },
                };
                let member_id = target.invoice.member_id;
                let record = PaymentRecord {
                    member_id: Some(member_id),
                    state: PaymentState::Booked,
                    matched_by: Some(by),
                    score,
                    ..record(line, file_id, None)
                };
                // A dry run works out what a matched line would book and
                // writes none of it (the file's 100 000 lines: a third of
                // the time).
                let pid = match dry_run {
                    true => 0,
                    false => work.payment_writes().insert_payment(&record, at)?,
                };
                let (allocations, done) = spread(
                    (!dry_run).then_some(&*work),
                    pid,
                    member_id,
                    (line.amount, line.date),
                    &[target],
                    at,
                )?;
                for (id, paid, status) in done {
                    paid_now.insert(id, (paid, status));
                }
                let credit = line.amount - allocations.iter().map(|a| a.amount).sum::<i64>();
                Payment {
                    id: pid,
                    method: Method::File,
                    date: line.date,
                    amount: line.amount,
                    currency: line.currency.clone(),
                    reference: line.reference.clone(),
                    text: line.text.clone(),
                    payer: line.payer.clone(),
                    member_id: Some(member_id),
                    member: Some(target.invoice.member.clone()),
                    name: Some(target.invoice.name.clone()),
                    state: PaymentState::Booked,
                    matched_by: Some(by),
                    reason: None,
                    suggestion: None,
                    score,
                    allocations,
                    credit,
                    file: Some(name.to_owned()),
                }
            }
            Outcome::Review {
                reason,
                suggestion,
                score,
            } => {
                let record = PaymentRecord {
                    reason: Some(reason),
                    suggestion,
                    score,
                    ..record(line, file_id, None)
                };
                let pid = work.payment_writes().insert_payment(&record, at)?;
                work.payments().payment(pid)?
            }
        };
        if dry_run {
            p.id = 0;
        }
        match p.state {
            PaymentState::Review => report.review.push(p),
            _ => report.matched.push(p),
        }
    }
    if !dry_run {
        let mut paid_now: Vec<_> = paid_now.into_iter().collect();
        paid_now.sort_unstable_by_key(|(id, _)| *id);
        for (id, (paid, status)) in paid_now {
            work.payment_writes()
                .set_invoice_paid(id, paid, status, at)?;
        }
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

/// A bank line as a payment waiting for the treasurer; the caller sets
/// what matching found.
fn record<'a>(line: &'a BankLine, file_id: i64, member_id: Option<i64>) -> PaymentRecord<'a> {
    PaymentRecord {
        method: Method::File,
        file_id: Some(file_id),
        bank_key: Some(&line.key),
        date: line.date,
        amount: line.amount,
        currency: &line.currency,
        reference: line.reference.as_deref(),
        text: &line.text,
        payer: &line.payer,
        member_id,
        state: PaymentState::Review,
        matched_by: None,
        reason: None,
        suggestion: None,
        score: None,
    }
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
    let targets: Vec<Owed> = targets.iter().map(Owed::as_read).collect();
    let (_, done) = spread(Some(work), id, member_id, (p.amount, p.date), &targets, at)?;
    for (id, paid, status) in done {
        work.payment_writes()
            .set_invoice_paid(id, paid, status, at)?;
    }
    Ok(())
}

/// An invoice as a payment finds it: what is paid of it and its status
/// now (a bank file's earlier lines may have paid on it since it was read).
#[derive(Clone, Copy)]
struct Owed<'a> {
    invoice: &'a Invoice,
    paid: i64,
    status: InvoiceStatus,
}

impl<'a> Owed<'a> {
    /// As it was read.
    fn as_read(invoice: &'a Invoice) -> Owed<'a> {
        Owed {
            invoice,
            paid: invoice.paid,
            status: invoice.status,
        }
    }

    /// As it was read, or as `paid_now` (what a file's lines have paid of
    /// each invoice so far) says.
    fn now(invoice: &'a Invoice, paid_now: &HashMap<i64, (i64, InvoiceStatus)>) -> Owed<'a> {
        match paid_now.get(&invoice.id) {
            Some(&(paid, status)) => Owed {
                invoice,
                paid,
                status,
            },
            None => Owed::as_read(invoice),
        }
    }
}

/// Spreads payment `id` (its amount and day) over `targets` in their order,
/// each open one getting what it lacks; the rest is the member's credit.
/// Every share and the credit is a history line. Returns the allocations,
/// and each invoice paid on with what is now paid of it and its status,
/// which the caller writes. Without `work` (a dry run) nothing is written.
#[allow(clippy::type_complexity)]
fn spread(
    work: Option<&dyn UnitOfWork>,
    id: i64,
    member_id: i64,
    (amount, day): (i64, NaiveDate),
    targets: &[Owed],
    at: Timestamp,
) -> Result<(Vec<Allocation>, Vec<(i64, i64, InvoiceStatus)>)> {
    let mut left = amount;
    let mut allocations = Vec::new();
    let mut done = Vec::new();
    for &o in targets {
        let i = o.invoice;
        let open = matches!(o.status, InvoiceStatus::Open | InvoiceStatus::PartlyPaid);
        let share = if open { left.min(i.amount - o.paid) } else { 0 };
        if share <= 0 {
            continue;
        }
        left -= share;
        let status = paid_status(work, o, o.paid + share, day, at)?;
        if let Some(work) = work {
            work.payment_writes().allocate(id, i.id, share)?;
            record_line(work, member_id, Some(&i.period), share, false, day, at)?;
        }
        done.push((i.id, o.paid + share, status));
        allocations.push(Allocation {
            invoice_id: i.id,
            period: i.period.clone(),
            amount: share,
        });
    }
    if let Some(work) = work.filter(|_| left > 0) {
        record_line(work, member_id, None, left, false, day, at)?;
    }
    Ok((allocations, done))
}

/// Sets what is paid of an invoice, with a history line when its status
/// changes.
fn set_paid(
    work: &dyn UnitOfWork,
    i: &Invoice,
    paid: i64,
    day: NaiveDate,
    at: Timestamp,
) -> Result<InvoiceStatus> {
    let status = paid_status(Some(work), Owed::as_read(i), paid, day, at)?;
    work.payment_writes()
        .set_invoice_paid(i.id, paid, status, at)?;
    Ok(status)
}

/// The status of an invoice of which `paid` is paid, with a history line
/// when it changes (unless a dry run); the caller writes what is paid.
fn paid_status(
    work: Option<&dyn UnitOfWork>,
    o: Owed,
    paid: i64,
    day: NaiveDate,
    at: Timestamp,
) -> Result<InvoiceStatus> {
    let i = o.invoice;
    let status = match o.status {
        InvoiceStatus::Credited | InvoiceStatus::WrittenOff => o.status,
        _ if paid >= i.amount => InvoiceStatus::Paid,
        _ if paid > 0 => InvoiceStatus::PartlyPaid,
        _ => InvoiceStatus::Open,
    };
    if let Some(work) = work.filter(|_| status != o.status) {
        work.history_writes().record(&HistoryLine {
            field: Some(&i.period),
            old: Some(o.status.as_str()),
            new: Some(status.as_str()),
            effective: Some(day),
            ..HistoryLine::of(i.member_id, at, HistoryKind::Invoice)
        })?;
    }
    Ok(status)
}

/// A payment line in the member's history: `field` the invoice's period
/// (none: credit), the amount in minor units as the new value, or as the
/// old one when reversed.
fn record_line(
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
            record_line(
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
            record_line(&*work, member_id, None, p.credit, true, today(), at)?;
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
    let dues = store.dues().member_dues(member_id)?;
    let payer = match dues.payer_id {
        Some(p) => {
            let m = store.member(p)?;
            Some(format!(
                "{} {} {}",
                m.number, m.contact.first_name, m.contact.last_name
            ))
        }
        None => None,
    };
    Ok(MemberAccount {
        member_id,
        owed: unpaid.iter().map(|i| i.amount - i.paid).sum(),
        credit: store.payments().member_credit(member_id)?,
        currency,
        income_band: dues.income_band,
        payer_id: dues.payer_id,
        payer,
    })
}
