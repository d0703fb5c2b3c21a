//! The dues on an office server with several officers at once: money is
//! counted once, whoever books it and whenever.

use std::sync::{Arc, Barrier};
use std::thread;

use medlem_core::dues::pay;
use medlem_core::dues::run::{run, RunOptions};
use medlem_core::store::dues::InvoiceQuery;
use medlem_core::store::payments::PaymentRecord;
use medlem_core::store::{Reads, Store};
use medlem_core::types::dues::InvoiceStatus;
use medlem_core::types::payments::{MatchedBy, Method, PaymentState};
use medlem_core::*;

use crate::backends::new_database;
use crate::payments::{billed_org, hand, invoice};
use crate::server::{club, waits_on_a_lock};

/// A bank file is booking 600 kr on Anna's invoice of 1 200 kr while
/// another officer registers 600 kr she paid in cash: the cash waits for
/// the file, then finds 600 kr left, and the invoice is paid — neither
/// payment is lost.
#[test]
fn a_payment_by_hand_while_a_bank_file_books_waits_and_both_count() {
    let url = new_database();
    let mut first = club(&url);
    let anna = billed_org(&mut first).remove(0);

    // The file's unit of work has read the invoice (what is paid of it).
    let mut a = PgRegister::open(&url).unwrap();
    let work = a.begin().unwrap();
    let read = work
        .dues()
        .invoices(&InvoiceQuery {
            id: Some(anna.id),
            ..Default::default()
        })
        .unwrap()
        .remove(0);
    assert_eq!(read.paid, 0);
    // Meanwhile the cash.
    let (done, finished) = std::sync::mpsc::channel();
    let cash = {
        let url = url.clone();
        let by_hand = hand(anna.member_id, "600");
        thread::spawn(move || {
            let mut b = PgRegister::open(&url).unwrap();
            let outcome = pay::add(&mut b, &by_hand);
            let _ = done.send(());
            outcome
        })
    };
    let waited = waits_on_a_lock(&url, &finished);
    let at = dates::now();
    let id = work
        .payment_writes()
        .insert_payment(
            &PaymentRecord {
                method: Method::Bank,
                file_id: None,
                bank_key: Some("file-line-1"),
                date: dates::today(),
                amount: 60_000,
                currency: "SEK",
                reference: Some(&anna.reference),
                text: "",
                payer: "Anna Ek",
                member_id: Some(anna.member_id),
                state: PaymentState::Booked,
                matched_by: Some(MatchedBy::Reference),
                reason: None,
                suggestion: None,
                score: None,
            },
            at,
        )
        .unwrap();
    work.payment_writes().allocate(id, anna.id, 60_000).unwrap();
    work.payment_writes()
        .set_invoice_paid(anna.id, read.paid + 60_000, InvoiceStatus::PartlyPaid, at)
        .unwrap();
    work.commit().unwrap();
    let cash = cash.join().unwrap().unwrap();
    assert!(waited, "the cash was booked while the file was booking");
    assert_eq!(cash.allocations.len(), 1, "{cash:?}");
    assert_eq!(cash.allocations[0].amount, 60_000);
    assert_eq!(cash.credit, 0);
    let paid = invoice(&first, anna.id);
    assert_eq!((paid.paid, paid.status), (120_000, InvoiceStatus::Paid));
    assert_eq!(first.payments().member_credit(anna.member_id).unwrap(), 0);
}

/// Two officers start the same fee run at the same moment: the members
/// are billed once — one run writes the invoices, the other finds nobody
/// left to bill.
#[test]
fn two_fee_runs_for_one_period_at_once_bill_each_member_once() {
    let url = new_database();
    let mut first = club(&url);
    let billed = billed_org(&mut first);
    let period = billed[0].period.clone();
    // Next period's run, by two officers at once.
    let next = (period.parse::<i32>().unwrap() + 1).to_string();
    let start = Arc::new(Barrier::new(2));
    let officers: Vec<_> = (0..2)
        .map(|_| {
            let (url, next, start) = (url.clone(), next.clone(), start.clone());
            thread::spawn(move || {
                let mut r = PgRegister::open(&url).unwrap();
                start.wait();
                run(
                    &mut r,
                    &RunOptions {
                        period: next,
                        ..Default::default()
                    },
                )
                .map(|plan| plan.written.len())
                .map_err(|e| e.code())
            })
        })
        .collect();
    let outcomes: Vec<_> = officers.into_iter().map(|o| o.join().unwrap()).collect();
    assert!(
        outcomes.contains(&Ok(3)) && outcomes.contains(&Err(error::ErrorCode::NothingToBill)),
        "{outcomes:?}"
    );
    let all = first
        .dues()
        .invoices(&InvoiceQuery {
            period: Some(next),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.len(), 3);
    let mut references: Vec<_> = all.iter().map(|i| i.reference.clone()).collect();
    references.sort();
    references.dedup();
    assert_eq!(references.len(), 3);
}

/// Two officers print the reminders at the same time: the one who prints
/// second is told that reminders went out meanwhile, and nothing of theirs
/// is printed or noted — every invoice is reminded once, not twice.
#[test]
fn reminders_sent_by_another_officer_while_printing_are_not_sent_twice() {
    use medlem_core::dues::reminders::print_reminders;
    use medlem_core::types::dues::PaymentsInput;
    let url = new_database();
    let mut first = club(&url);
    let overdue = dates::today() - chrono::Days::new(40);
    let next_year = chrono::Datelike::year(&dates::today()) + 1;
    let invoices = crate::payments::billed_for(
        &mut first,
        PaymentsInput {
            bankgiro: Some("5050-1055".into()),
            ..Default::default()
        },
        &next_year.to_string(),
        &overdue.to_string(),
    );
    let dir = tempfile::tempdir().unwrap();
    let (mine, theirs) = (dir.path().join("mine.pdf"), dir.path().join("theirs.pdf"));
    let mut other = PgRegister::open(&url).unwrap();
    let mut meanwhile = Some(());
    let err = print_reminders(
        &mut first,
        &mine,
        &mut |_, _| {
            // While the first officer's letters are made, the other's go out.
            if meanwhile.take().is_some() {
                let never = std::sync::atomic::AtomicBool::new(false);
                let sent = print_reminders(&mut other, &theirs, &mut |_, _| {}, &never).unwrap();
                assert_eq!(sent.items, invoices.len());
            }
        },
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap_err();
    assert_eq!(err.code(), "reminders_changed");
    assert!(meanwhile.is_none(), "the other officer printed meanwhile");
    assert!(!mine.exists(), "nothing printed");
    assert!(theirs.exists());
    for i in &invoices {
        assert_eq!(invoice(&first, i.id).reminders, 1, "reminded once");
    }
}
