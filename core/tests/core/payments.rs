//! Payments in: matching by reference and by text, payments by hand,
//! partial and over-payments, reversals, the review queue, and bank files
//! read (once).

use chrono::Datelike;

use medlem_core::dues::matching::{is_ours, Book, Line, Outcome};
use medlem_core::dues::pay;
use medlem_core::dues::reference::{self, Scheme};
use medlem_core::dues::run::{cancel, run, RunOptions};
use medlem_core::dues::{fees, set_payments};
use medlem_core::store::dues::InvoiceQuery;
use medlem_core::store::{Reads, Store};
use medlem_core::types::dues::{FeeRuleInput, Invoice, InvoiceStatus, Payments, PaymentsInput};
use medlem_core::types::payments::{
    Assignment, HandPayment, MatchedBy, PaymentState, ReviewReason,
};
use medlem_core::{dates::today, error::ErrorCode, HistoryKind, MemberInput};

use super::dues::{org, pg_org};
use super::person;

/// Gives the Swedish organisation in `r` (from [`org`]`("SE")`) Bankgiro
/// 5050-1055 and IBAN SE55 5000 0000 0532 7100 4417, an ordinary fee of
/// 1 200 kr, members 1001 Anna Ek, 1002 Bo Ek and 1003 Cilla Berg, and
/// bills them for next year: the invoices.
pub(super) fn billed_org(r: &mut dyn Store) -> Vec<Invoice> {
    billed(
        r,
        PaymentsInput {
            bankgiro: Some("5050-1055".into()),
            iban: Some("SE55 5000 0000 0532 7100 4417".into()),
            ..Default::default()
        },
    )
}

/// The same in `r`'s organisation (whatever its country) with the bank
/// details `details`.
pub(super) fn billed(r: &mut dyn Store, details: PaymentsInput) -> Vec<Invoice> {
    billed_for(r, details, &(today().year() + 1).to_string(), "")
}

/// The same for `period`, due on `due` (empty: the default).
pub(super) fn billed_for(
    r: &mut dyn Store,
    details: PaymentsInput,
    period: &str,
    due: &str,
) -> Vec<Invoice> {
    set_payments(r, &details).expect("bank details");
    for (number, first, last) in [
        ("1001", "Anna", "Ek"),
        ("1002", "Bo", "Ek"),
        ("1003", "Cilla", "Berg"),
    ] {
        let mut p: MemberInput = person(first, last);
        p.number = number.into();
        p.contact.address.address1 = "Storgatan 1".into();
        p.contact.address.postcode = "111 22".into();
        p.contact.address.city = "Stad".into();
        r.create(&p).expect("member");
    }
    fees::set_rule(
        r,
        &FeeRuleInput {
            membership_type: "ordinary".into(),
            period: "year".into(),
            amount: "1200".into(),
            valid_from: format!("{}-01-01", today().year()),
            ..Default::default()
        },
    )
    .expect("rule");
    let plan = run(
        r,
        &RunOptions {
            period: period.into(),
            due: due.into(),
            ..Default::default()
        },
    )
    .expect("run");
    plan.written
}

pub(super) fn invoice(r: &dyn Reads, id: i64) -> Invoice {
    r.dues()
        .invoices(&InvoiceQuery {
            id: Some(id),
            ..Default::default()
        })
        .expect("read")
        .pop()
        .expect("the invoice")
}

pub(super) fn hand(member_id: i64, amount: &str) -> HandPayment {
    HandPayment {
        member_id,
        amount: amount.into(),
        method: "cash".into(),
        ..Default::default()
    }
}

/// The member's payment history lines, oldest first, as (period, new, old).
fn payment_lines(r: &dyn Store, member_id: i64) -> Vec<(String, String, String)> {
    r.history(member_id)
        .expect("history")
        .into_iter()
        .rev()
        .filter(|e| e.kind == HistoryKind::Payment)
        .map(|e| {
            (
                e.field.unwrap_or_default(),
                e.new_value.unwrap_or_default(),
                e.old_value.unwrap_or_default(),
            )
        })
        .collect()
}

/// An unpaid invoice for the pure matching tests.
fn unpaid(id: i64, member: &str, name: &str, amount: i64) -> Invoice {
    Invoice {
        id,
        run_id: Some(1),
        member_id: id,
        member: member.into(),
        name: name.into(),
        period: "2027".into(),
        amount,
        paid: 0,
        currency: medlem_core::Currency::Sek,
        reference: reference::make(
            Scheme::SeOcr {
                length_digit: false,
            },
            &(100_000 + id).to_string(),
        )
        .expect("reference"),
        status: InvoiceStatus::Open,
        issued: today(),
        due: today(),
        lines: Vec::new(),
        reminders: 0,
        reminded: None,
        branch: None,
    }
}

#[test]
fn matching_weighs_reference_number_name_and_amount() {
    let invoices = vec![
        unpaid(1, "1001", "Anna Ek", 120000),
        unpaid(2, "1002", "Bo Ek", 120000),
        unpaid(3, "1004", "Åsa Öberg", 60000),
    ];
    let scheme = Scheme::SeOcr {
        length_digit: false,
    };
    let book = Book::new(scheme, "SEK", &invoices);
    let line =
        |reference: Option<&'static str>, text: &'static str, payer: &'static str, amount| Line {
            reference,
            text,
            payer,
            amount,
            currency: "SEK",
        };
    let anna_ref = invoices[0].reference.clone();
    let with_reference = Line {
        reference: Some(&anna_ref),
        ..line(None, "", "", 50000)
    };
    // By reference, whatever the amount.
    assert_eq!(
        book.outcome(&with_reference, Some((1, InvoiceStatus::Open))),
        Outcome::Invoice {
            id: 1,
            by: MatchedBy::Reference,
            score: None
        }
    );
    // A reference of a credited invoice waits, with that invoice named.
    assert_eq!(
        book.outcome(&with_reference, Some((1, InvoiceStatus::Credited))),
        Outcome::Review {
            reason: ReviewReason::ClosedInvoice,
            suggestion: Some(1),
            score: None
        }
    );
    // One digit wrong: never matched by itself.
    let mut wrong = anna_ref.clone();
    let last = wrong.pop().expect("a digit");
    wrong.push(if last == '9' {
        '0'
    } else {
        char::from(last as u8 + 1)
    });
    let typo = Line {
        reference: Some(&wrong),
        ..line(None, "", "", 120000)
    };
    assert!(matches!(
        book.outcome(&typo, None),
        Outcome::Review {
            reason: ReviewReason::CheckDigit,
            ..
        }
    ));
    // A correct reference no invoice has.
    let unknown = reference::make(scheme, "999999").expect("reference");
    let stray = Line {
        reference: Some(&unknown),
        ..line(None, "", "", 120000)
    };
    assert!(matches!(
        book.outcome(&stray, None),
        Outcome::Review {
            reason: ReviewReason::UnknownReference,
            suggestion: None,
            ..
        }
    ));
    // Number, name and amount in the text: certain.
    assert!(matches!(
        book.outcome(
            &line(None, "Medlemsavgift 2027 medlem 1004", "ÅSA ÖBERG", 60000),
            None
        ),
        Outcome::Invoice {
            id: 3,
            by: MatchedBy::Text,
            ..
        }
    ));
    // Only a surname two members share, and the amount: the treasurer
    // decides.
    assert!(matches!(
        book.outcome(&line(None, "avgift", "Ek", 120000), None),
        Outcome::Review {
            reason: ReviewReason::NoMatch,
            ..
        }
    ));
    // The number alone: likely, not certain.
    assert_eq!(
        book.outcome(&line(None, "medlem 1002", "", 99000), None),
        Outcome::Review {
            reason: ReviewReason::Uncertain,
            suggestion: Some(2),
            score: Some(40)
        }
    );
    // The reference written in the text and the amount: certain.
    let text_ref = format!("OCR {}", invoices[1].reference);
    assert!(matches!(
        book.outcome(
            &Line {
                text: &text_ref,
                ..line(None, "", "", 120000)
            },
            None
        ),
        Outcome::Invoice {
            id: 2,
            by: MatchedBy::Text,
            ..
        }
    ));
    // Another currency waits.
    assert!(matches!(
        book.outcome(
            &Line {
                currency: "EUR",
                ..with_reference
            },
            Some((1, InvoiceStatus::Open))
        ),
        Outcome::Review {
            reason: ReviewReason::Currency,
            ..
        }
    ));
}

#[test]
fn a_bank_files_account_is_checked_against_the_organisations() {
    let ours = Payments {
        bankgiro: "5050-1055".into(),
        iban: "SE45 5000 0000 0583 9825 7466".into(),
        account: "83279-1234567890".into(),
        ..Default::default()
    };
    assert!(is_ours(&ours, "50501055"));
    assert!(is_ours(&ours, "SE4550000000058398257466"));
    assert!(is_ours(&ours, "se45 5000 0000 0583 9825 7466"));
    assert!(is_ours(&ours, "1234567890"));
    assert!(!is_ours(&ours, "9020900"));
    assert!(!is_ours(&ours, "SE3550000000054910000003"));
    assert!(!is_ours(&ours, ""));
    // No bank details kept: every account.
    assert!(is_ours(&Payments::default(), "SE3550000000054910000003"));
}

/// A test bank file (core/tests/bank/).
pub(super) fn bank(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/bank/{name}", env!("CARGO_MANIFEST_DIR"))).expect("test file")
}

/// (invoice id, status, paid) of every invoice.
fn invoice_states(r: &dyn Reads) -> Vec<(i64, InvoiceStatus, i64)> {
    r.dues()
        .invoices(&Default::default())
        .expect("invoices")
        .into_iter()
        .map(|i| (i.id, i.status, i.paid))
        .collect()
}

/// Reads a QR code's modules back as a phone would (rqrr): the text it holds.
fn read_qr(block: &medlem_core::letters::layout::QrBlock) -> String {
    const PX: usize = 4;
    let side = (block.width + 8) * PX;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
        let (mx, my) = ((x / PX).wrapping_sub(4), (y / PX).wrapping_sub(4));
        let dark = mx < block.width && my < block.width && block.dark[my * block.width + mx];
        if dark {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().expect("a readable QR code").1
}

#[test]
fn the_swish_code_holds_payee_amount_and_reference_as_swish_specifies() {
    use medlem_core::dues::letters::{qr_block, swish_payload};
    // Swish's own example: 100 kr to 1237856901 with OCR 12229445.
    assert_eq!(
        swish_payload("123 785 69 01", 10000, "12229445"),
        "C1237856901;100,00;12229445;0"
    );
    assert_eq!(
        swish_payload("1231234567", 120050, "1000017"),
        "C1231234567;1200,50;1000017;0"
    );
    let payload = swish_payload("1231234567", 70000, "1000025");
    let block = qr_block(&payload, "Betala med Swish".into()).expect("a QR code");
    assert_eq!(read_qr(&block), payload);
}

// Payments on both stores: the file and the office server.
on_both! {
    @ || org("SE"), || pg_org("SE");

    fn a_partial_payment_leaves_the_rest_open_and_a_second_pays_it(r) {
        let invoices = billed_org(r);
        let anna = &invoices[0];
        let p = pay::add(r, &hand(anna.member_id, "500")).expect("paid");
        assert_eq!(
            (p.state, p.matched_by),
            (PaymentState::Booked, Some(MatchedBy::Hand))
        );
        assert_eq!(
            (p.allocations.len(), p.allocations[0].amount, p.credit),
            (1, 50000, 0)
        );
        let i = invoice(&*r, anna.id);
        assert_eq!((i.status, i.paid), (InvoiceStatus::PartlyPaid, 50000));
        assert_eq!(
            pay::account(&*r, anna.member_id).expect("account").owed,
            70000
        );

        pay::add(r, &hand(anna.member_id, "700")).expect("paid");
        let i = invoice(&*r, anna.id);
        assert_eq!((i.status, i.paid), (InvoiceStatus::Paid, 120000));
        let period = anna.period.clone();
        assert_eq!(
            payment_lines(&*r, anna.member_id),
            [
                (period.clone(), "50000".into(), String::new()),
                (period.clone(), "70000".into(), String::new())
            ]
        );
        let statuses: Vec<Option<String>> = r
            .history(anna.member_id)
            .expect("history")
            .into_iter()
            .rev()
            .filter(|e| e.kind == HistoryKind::Invoice)
            .map(|e| e.new_value)
            .collect();
        assert_eq!(
            statuses,
            [
                Some("open".into()),
                Some("partly_paid".into()),
                Some("paid".into())
            ]
        );
    }

    fn an_overpayment_is_credit_and_a_reversal_opens_the_invoice_again(r) {
        let invoices = billed_org(r);
        let bo = &invoices[1];
        let p = pay::add(r, &hand(bo.member_id, "1500")).expect("paid");
        assert_eq!((p.allocations[0].amount, p.credit), (120000, 30000));
        let account = pay::account(&*r, bo.member_id).expect("account");
        assert_eq!((account.owed, account.credit), (0, 30000));
        // The run cannot be cancelled once paid.
        let e = cancel(r, bo.run_id.expect("run")).expect_err("refused");
        assert_eq!(e.code(), ErrorCode::RunHasPayments);

        let back = pay::reverse(r, p.id).expect("reversed");
        assert_eq!(
            (back.state, back.allocations.len(), back.credit),
            (PaymentState::Reversed, 0, 0)
        );
        let i = invoice(&*r, bo.id);
        assert_eq!((i.status, i.paid), (InvoiceStatus::Open, 0));
        let account = pay::account(&*r, bo.member_id).expect("account");
        assert_eq!((account.owed, account.credit), (120000, 0));
        assert_eq!(
            payment_lines(&*r, bo.member_id),
            [
                (bo.period.clone(), "120000".into(), String::new()),
                (String::new(), "30000".into(), String::new()),
                (bo.period.clone(), String::new(), "120000".into()),
                (String::new(), String::new(), "30000".into()),
            ]
        );
        // Reversed twice: refused, nothing changed.
        let e = pay::reverse(r, p.id).expect_err("refused");
        assert_eq!(e.code(), ErrorCode::PaymentState);
        // Now the run may be cancelled.
        cancel(r, bo.run_id.expect("run")).expect("cancelled");
    }

    fn a_payment_by_hand_with_bad_input_is_refused_and_changes_nothing(r) {
        let invoices = billed_org(r);
        let anna = invoices[0].member_id;
        let tomorrow = (today() + chrono::Days::new(1)).to_string();
        for (amount, date, method, field, code) in [
            ("abc", "", "cash", "amount", "invalid_number"),
            ("-5", "", "cash", "amount", "invalid_number"),
            ("0", "", "cash", "amount", "invalid_number"),
            ("=HYPERLINK(\"x\")", "", "cash", "amount", "invalid_number"),
            ("100", "2027-02-30", "cash", "date", "invalid_date"),
            ("100", tomorrow.as_str(), "cash", "date", "in_future"),
            ("100", "", "file", "method", "invalid_choice"),
            ("100", "", "<script>", "method", "invalid_choice"),
        ] {
            let input = HandPayment {
                member_id: anna,
                amount: amount.into(),
                date: date.into(),
                method: method.into(),
                invoice_id: None,
            };
            let e = pay::add(r, &input).expect_err("refused");
            let got: Vec<(&str, &str)> = e
                .fields()
                .iter()
                .map(|f| (f.field.as_str(), f.code.as_str()))
                .collect();
            assert_eq!(got, [(field, code)], "{amount:?} {date:?} {method:?}");
        }
        // Another member's invoice, a member who is not there.
        let mut other = hand(anna, "100");
        other.invoice_id = Some(invoices[1].id);
        let e = pay::add(r, &other).expect_err("refused");
        assert_eq!(e.fields()[0].field, "invoiceId");
        let e = pay::add(r, &hand(9999, "100")).expect_err("refused");
        assert_eq!(e.code(), ErrorCode::NotFound);

        assert!(pay::list(&*r, &Default::default()).expect("list").is_empty());
        assert_eq!(invoice(&*r, invoices[0].id).status, InvoiceStatus::Open);
    }

    fn the_treasurer_assigns_what_waits_and_only_once(r) {
        let invoices = billed_org(r);
        // A hand payment is booked at once; the review queue is empty.
        assert!(pay::review(&*r).expect("queue").is_empty());
        let cilla = &invoices[2];
        let p = pay::add(r, &hand(cilla.member_id, "1200")).expect("paid");
        let e = pay::assign(r, p.id, Assignment::OtherIncome).expect_err("not waiting");
        assert_eq!(e.code(), ErrorCode::PaymentState);
        let e = pay::assign(r, 999, Assignment::OtherIncome).expect_err("no such payment");
        assert_eq!(e.code(), ErrorCode::NotFound);
    }

    fn a_camt_054_is_matched_by_reference_and_the_uncertain_waits(r) {
        let invoices = billed_org(r);
        let ids: Vec<i64> = invoices.iter().map(|i| i.id).collect();
        let file = bank("camt054_se.xml");

        // The dry run says what would happen and books nothing.
        let dry = pay::import(r, &file, "camt054_se.xml", true).expect("dry run");
        assert!(dry.dry_run);
        assert_eq!(
            (dry.read, dry.matched.len(), dry.review.len(), dry.skipped),
            (4, 3, 1, 3)
        );
        assert!(pay::list(&*r, &Default::default()).expect("list").is_empty());
        assert!(invoice_states(&*r)
            .iter()
            .all(|i| i.1 == InvoiceStatus::Open));

        let report = pay::import(r, &file, "camt054_se.xml", false).expect("booked");
        assert_eq!(report.format, "camt054");
        assert_eq!((report.read, report.total, report.skipped), (4, 195000, 3));
        let matched: Vec<(Option<String>, i64, Option<MatchedBy>)> = report
            .matched
            .iter()
            .map(|p| (p.member.clone(), p.amount, p.matched_by))
            .collect();
        assert_eq!(
            matched,
            [
                (Some("1001".into()), 60000, Some(MatchedBy::Reference)),
                (Some("1002".into()), 45000, Some(MatchedBy::Reference)),
                (Some("1003".into()), 30000, Some(MatchedBy::Reference)),
            ]
        );
        // "Medlemsavgift 2027 medlem 1004 Anna Ek": the name fits Anna, the
        // number nobody: the treasurer decides, with Anna's invoice suggested.
        let waiting = &report.review[0];
        assert_eq!(waiting.amount, 60000);
        assert_eq!(waiting.reason, Some(ReviewReason::Uncertain));
        assert_eq!(waiting.suggestion, Some(ids[0]));
        assert_eq!(waiting.payer, "Anna Ek");
        assert_eq!(pay::review(&*r).expect("queue"), report.review);
        assert_eq!(
            invoice_states(&*r),
            [
                (ids[0], InvoiceStatus::PartlyPaid, 60000),
                (ids[1], InvoiceStatus::PartlyPaid, 45000),
                (ids[2], InvoiceStatus::PartlyPaid, 30000),
            ]
        );

        // The treasurer books it on the suggestion: Anna's invoice is paid.
        let p = pay::assign(r, waiting.id, Assignment::Invoice { id: ids[0] }).expect("assigned");
        assert_eq!(
            (p.state, p.matched_by),
            (PaymentState::Booked, Some(MatchedBy::Treasurer))
        );
        assert_eq!(invoice_states(&*r)[0], (ids[0], InvoiceStatus::Paid, 120000));
        assert!(pay::review(&*r).expect("queue").is_empty());
        let e = pay::assign(r, waiting.id, Assignment::OtherIncome).expect_err("only once");
        assert_eq!(e.code(), ErrorCode::PaymentState);

        // The same file again: recognised, nothing booked twice.
        let again = pay::import(r, &file, "copy of camt054_se.xml", false).expect("read");
        assert!(again.file_already_read);
        assert_eq!((again.already_read, again.matched.len()), (4, 0));
        assert_eq!(pay::list(&*r, &Default::default()).expect("list").len(), 4);
        assert_eq!(
            invoice_states(&*r)[1],
            (ids[1], InvoiceStatus::PartlyPaid, 45000)
        );
    }

    fn a_truncated_broken_or_foreign_file_is_refused_and_books_nothing(r) {
        billed_org(r);
        let cases: [(&str, Vec<u8>, ErrorCode); 4] = [
            (
                "camt054_truncated.xml",
                bank("camt054_truncated.xml"),
                ErrorCode::BankFileTruncated,
            ),
            (
                "camt054_other_account.xml",
                bank("camt054_other_account.xml"),
                ErrorCode::OtherAccount,
            ),
            (
                "members.csv",
                b"first;last\nAnna;Ek\n".to_vec(),
                ErrorCode::NotABankFile,
            ),
            ("empty.xml", Vec::new(), ErrorCode::NotABankFile),
        ];
        for (name, bytes, code) in cases {
            let e = pay::import(r, &bytes, name, false).expect_err(name);
            assert_eq!(e.code(), code, "{name}: {e}");
        }
        let e =
            pay::import(r, &bank("camt054_other_account.xml"), "x", false).expect_err("foreign");
        assert_eq!(
            e.details().part.as_deref(),
            Some("SE5560000000000412345678")
        );
        assert!(pay::list(&*r, &Default::default()).expect("list").is_empty());
        assert!(invoice_states(&*r)
            .iter()
            .all(|i| i.1 == InvoiceStatus::Open));
        // After the refusals the good file still reads (nothing was half-kept).
        let ok = pay::import(r, &bank("camt054_se.xml"), "camt054_se.xml", false).expect("read");
        assert!(!ok.file_already_read);
    }

    fn payments_to_a_cancelled_run_wait_for_the_treasurer(r) {
        let invoices = billed_org(r);
        cancel(r, invoices[0].run_id.expect("run")).expect("cancelled");
        let report =
            pay::import(r, &bank("camt054_se.xml"), "camt054_se.xml", false).expect("read");
        assert!(report.matched.is_empty());
        let reasons: Vec<(Option<ReviewReason>, Option<i64>)> = report
            .review
            .iter()
            .map(|p| (p.reason, p.suggestion))
            .collect();
        assert_eq!(
            reasons,
            [
                (Some(ReviewReason::ClosedInvoice), Some(invoices[0].id)),
                (Some(ReviewReason::ClosedInvoice), Some(invoices[1].id)),
                (Some(ReviewReason::NoMatch), None),
                (Some(ReviewReason::ClosedInvoice), Some(invoices[2].id)),
            ]
        );
        // Nothing lost: every payment is kept, waiting; booked as other income
        // it leaves the queue.
        let first = report.review[0].id;
        let p = pay::assign(r, first, Assignment::OtherIncome).expect("other income");
        assert_eq!((p.state, p.member_id), (PaymentState::OtherIncome, None));
        assert_eq!(pay::review(&*r).expect("queue").len(), 3);
        assert!(invoice_states(&*r)
            .iter()
            .all(|i| i.1 == InvoiceStatus::Credited));
    }

    fn with_paid_to_vote_only_members_paid_up_by_the_cut_off_are_on_the_voter_roll(r) {
        use medlem_core::meetings::{self, agm, MeetingInput};
        let invoices = billed_for(
            r,
            PaymentsInput::default(),
            &today().year().to_string(),
            "",
        );
        // Hedda is honorary: never billed, she keeps her vote.
        let mut hedda: MemberInput = person("Hedda", "Ek");
        hedda.membership_type = "honorary".into();
        r.create(&hedda).expect("member");
        // Anna has paid all, Bo half, Cilla nothing.
        pay::add(r, &hand(invoices[0].member_id, "1200")).expect("paid");
        pay::add(r, &hand(invoices[1].member_id, "600")).expect("paid");
        let starts = format!("{} 18:00", today() + chrono::Days::new(20));
        let m = meetings::create(
            r,
            &MeetingInput {
                kind: "annual_general_meeting".into(),
                title: "Årsmöte".into(),
                starts,
                ends: "20:00".into(),
                venue: "Folkets hus".into(),
                ..Default::default()
            },
        )
        .expect("meeting");
        let roll = |r: &mut dyn Store| {
            agm::freeze_voters(r, m.id, today()).expect("frozen");
            let mut names: Vec<String> = agm::voters(&*r, m.id)
                .expect("voters")
                .into_iter()
                .map(|id| r.get(id).expect("member").contact.first_name)
                .collect();
            names.sort();
            names
        };
        assert_eq!(roll(r), ["Anna", "Bo", "Cilla", "Hedda"]);
        agm::set_statutes(
            r,
            &agm::Statutes {
                paid_to_vote: true,
                ..Default::default()
            },
        )
        .expect("statutes");
        assert_eq!(roll(r), ["Anna", "Hedda"]);
        // Paid on the cut-off day counts: Bo pays the rest and is on the roll.
        pay::add(r, &hand(invoices[1].member_id, "600")).expect("paid");
        assert_eq!(roll(r), ["Anna", "Bo", "Hedda"]);
    }
}

// Reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start.
#[cfg(not(windows))]
on_both! {
    @ || org("SE"), || pg_org("SE");

    fn invoices_are_printed_as_letters_with_what_is_left_and_a_swish_code(r) {
        use medlem_core::dues::letters::print_invoices;
        let invoices = billed_org(r);
        set_payments(
            r,
            &PaymentsInput {
                swish: Some("1231234567".into()),
                ..Default::default()
            },
        )
        .expect("swish");
        // Bo has paid 450 of 1 200 kr: his invoice asks for the rest.
        pay::add(r, &hand(invoices[1].member_id, "450")).expect("paid");
        let dir = tempfile::tempdir().expect("dir");
        let out = dir.path().join("fakturor.pdf");
        let done = print_invoices(
            r,
            &InvoiceQuery::default(),
            &out,
            &mut |_, _| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .expect("printed");
        assert_eq!(done.items, 3);
        crate::letters::sound(&out);
        let bo = crate::letters::page_text(&out, 2);
        for needle in [
            "Bankgiro 5050-1055",
            invoices[1].reference.as_str(),
            "750 kr",
            "Betala med Swish",
        ] {
            assert!(bo.contains(needle), "{needle:?} not in:\n{bo}");
        }
        // The code on the printed page reads as Swish's payload for what Bo
        // has left to pay, as a phone would read it off the paper.
        let png = dir.path().join("bo");
        crate::letters::tool(
            "pdftoppm",
            &[
                "-f",
                "2",
                "-l",
                "2",
                "-r",
                "100",
                "-gray",
                "-singlefile",
                out.to_str().unwrap(),
                png.to_str().unwrap(),
            ],
        );
        let pgm = std::fs::read(png.with_extension("pgm")).expect("the page");
        let header: Vec<&[u8]> = pgm.splitn(5, |b| b.is_ascii_whitespace()).take(4).collect();
        let (w, h): (usize, usize) = (
            std::str::from_utf8(header[1]).unwrap().parse().unwrap(),
            std::str::from_utf8(header[2]).unwrap().parse().unwrap(),
        );
        let pixels = &pgm[pgm.len() - w * h..];
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "one QR code on the page");
        let read = grids[0].decode().expect("a readable QR code").1;
        assert_eq!(
            read,
            medlem_core::dues::letters::swish_payload("1231234567", 75_000, &invoices[1].reference)
        );
        // In the member's history.
        assert!(r
            .history(invoices[1].member_id)
            .expect("history")
            .iter()
            .any(|e| e.kind == HistoryKind::Letter));

        // Nothing left to bill: every invoice paid or credited.
        cancel(r, invoices[0].run_id.expect("run")).expect_err("paid in part");
        for i in &invoices {
            let left = invoice(&*r, i.id);
            pay::add(
                r,
                &hand(i.member_id, &((left.amount - left.paid) / 100).to_string()),
            )
            .expect("paid");
        }
        let e = print_invoices(
            r,
            &InvoiceQuery::default(),
            &out,
            &mut |_, _| {},
            &std::sync::atomic::AtomicBool::new(false),
        )
        .expect_err("nothing open");
        assert_eq!(e.code(), ErrorCode::NothingToPrint);
    }

    fn reminders_go_out_first_then_second_with_its_fee_and_the_arrears_add_up(r) {
        use medlem_core::dues::reminders::{arrears, due, print_reminders, set_settings, settings};
        use medlem_core::types::dues::DuesSettingsInput;
        let overdue = today() - chrono::Days::new(40);
        let invoices = billed_for(
            r,
            PaymentsInput {
                bankgiro: Some("5050-1055".into()),
                ..Default::default()
            },
            &today().year().to_string(),
            &overdue.to_string(),
        );

        // Refused settings change nothing.
        let before = settings(&*r).expect("settings");
        for (input, field) in [
            (
                DuesSettingsInput {
                    first_reminder_days: Some("0".into()),
                    ..Default::default()
                },
                "firstReminderDays",
            ),
            (
                DuesSettingsInput {
                    second_reminder_days: Some("10".into()),
                    ..Default::default()
                },
                "secondReminderDays",
            ),
            (
                DuesSettingsInput {
                    reminder_fee: Some("=1+1".into()),
                    ..Default::default()
                },
                "reminderFee",
            ),
        ] {
            let e = set_settings(r, &input).expect_err("refused");
            assert_eq!(e.fields()[0].field, field);
        }
        assert_eq!(settings(&*r).expect("settings"), before);
        set_settings(
            r,
            &DuesSettingsInput {
                reminder_fee: Some("50".into()),
                arrears_days: Some("30".into()),
                ..Default::default()
            },
        )
        .expect("saved");

        // Anna pays half; Bo pays all: only Anna and Cilla are reminded.
        pay::add(r, &hand(invoices[0].member_id, "600")).expect("paid");
        pay::add(r, &hand(invoices[1].member_id, "1200")).expect("paid");
        let levels: Vec<(i64, u32, i64)> = due(&*r, today())
            .expect("due")
            .iter()
            .map(|d| (d.invoice.id, d.level, d.days_overdue))
            .collect();
        assert_eq!(levels, [(invoices[0].id, 1, 40), (invoices[2].id, 1, 40)]);
        // Not yet 14 days overdue a week after the due date.
        assert!(due(&*r, overdue + chrono::Days::new(7))
            .expect("due")
            .is_empty());

        let dir = tempfile::tempdir().expect("dir");
        let out = dir.path().join("påminnelser.pdf");
        let print = |r: &mut dyn Store| {
            print_reminders(
                r,
                &out,
                &mut |_, _| {},
                &std::sync::atomic::AtomicBool::new(false),
            )
        };
        assert_eq!(print(r).expect("first").items, 2);
        let anna = crate::letters::page_text(&out, 1);
        assert!(anna.contains("Påminnelse 1"), "{anna}");
        assert!(anna.contains("600 kr"), "{anna}");
        assert_eq!(invoice(&*r, invoices[0].id).reminders, 1);

        // 40 days overdue is past the second reminder's 30: it goes out with
        // its fee, which the invoice now carries.
        assert_eq!(print(r).expect("second").items, 2);
        let cilla = crate::letters::page_text(&out, 2);
        assert!(cilla.contains("Påminnelse 2"), "{cilla}");
        assert!(cilla.contains("Påminnelseavgift: 50 kr"), "{cilla}");
        assert!(cilla.contains("1 250 kr"), "{cilla}");
        let i = invoice(&*r, invoices[2].id);
        assert_eq!(
            (i.amount, i.reminders, i.status),
            (125000, 2, InvoiceStatus::Open)
        );
        let e = print(r).expect_err("nothing more");
        assert_eq!(e.code(), ErrorCode::NothingToPrint);

        // The arrears: what Anna and Cilla owe, both past the 30 days.
        let a = arrears(&*r, today()).expect("arrears");
        let rows: Vec<(i64, i64, bool)> = a
            .rows
            .iter()
            .map(|r| (r.invoice_id, r.left, r.suggest_resignation))
            .collect();
        assert_eq!(
            rows,
            [
                (invoices[0].id, 65000, true),
                (invoices[2].id, 125000, true)
            ]
        );
        assert_eq!(a.total, 190000);
        assert_eq!(a.branches.len(), 1);
        assert_eq!((a.branches[0].count, a.branches[0].total), (2, 190000));

        // The treasurer resigns Cilla: she still owes, and is no longer
        // suggested.
        r.set_status(
            invoices[2].member_id,
            medlem_core::Status::Resigned,
            today(),
        )
        .expect("resigned");
        let a = arrears(&*r, today()).expect("arrears");
        let suggested: Vec<(i64, bool)> = a
            .rows
            .iter()
            .map(|r| (r.invoice_id, r.suggest_resignation))
            .collect();
        assert_eq!(suggested, [(invoices[0].id, true), (invoices[2].id, false)]);
        assert_eq!(a.total, 190000);
    }
}

on_both! {
    new: org, pg_org;

    fn bgmax_and_nets_ocr_files_are_matched_by_their_references(new) {
        let norway = PaymentsInput {
            account: Some("1234.56.78903".into()),
            kid: Some("mod10".into()),
            ..Default::default()
        };
        let sweden = PaymentsInput {
            bankgiro: Some("5050-1055".into()),
            ..Default::default()
        };
        for (country, details, file, format, truncated) in [
            ("SE", sweden, "bgmax_se.txt", "bgmax", "bgmax_truncated.txt"),
            (
                "NO",
                norway,
                "nets_no.txt",
                "nets_ocr",
                "nets_truncated.txt",
            ),
        ] {
            let r = &mut *new(country);
            let invoices = billed(r, details);
            let ids: Vec<i64> = invoices.iter().map(|i| i.id).collect();
            let e = pay::import(r, &bank(truncated), truncated, false).expect_err(truncated);
            assert_eq!(e.code(), ErrorCode::BankFileTruncated, "{truncated}");

            let report = pay::import(r, &bank(file), file, false).expect(file);
            assert_eq!(report.format, format);
            assert_eq!(
                (report.read, report.total, report.skipped),
                (4, 155000, 1),
                "{file}"
            );
            let matched: Vec<(Option<String>, i64)> = report
                .matched
                .iter()
                .map(|p| (p.member.clone(), p.amount))
                .collect();
            assert_eq!(
                matched,
                [
                    (Some("1001".into()), 45000),
                    (Some("1002".into()), 45000),
                    (Some("1003".into()), 20000)
                ],
                "{file}"
            );
            // The payment without a reference names nobody on the register.
            assert_eq!(report.review.len(), 1, "{file}");
            assert_eq!(report.review[0].reason, Some(ReviewReason::NoMatch));
            assert!(
                ["Åsa Öberg", ""].contains(&report.review[0].payer.as_str()),
                "{file}: {:?}",
                report.review[0].payer
            );
            assert_eq!(
                invoice_states(&*r),
                [
                    (ids[0], InvoiceStatus::PartlyPaid, 45000),
                    (ids[1], InvoiceStatus::PartlyPaid, 45000),
                    (ids[2], InvoiceStatus::PartlyPaid, 20000),
                ],
                "{file}"
            );
            let again = pay::import(r, &bank(file), file, false).expect(file);
            assert!(again.file_already_read, "{file}");
            assert_eq!(pay::list(&*r, &Default::default()).expect("list").len(), 4);
        }
        // A Bankgiro file for another Bankgiro number.
        let r = &mut *new("SE");
        billed_org(r);
        let e = pay::import(r, &bank("bgmax_other_account.txt"), "x", false).expect_err("foreign");
        assert_eq!(e.code(), ErrorCode::OtherAccount);
    }
}
