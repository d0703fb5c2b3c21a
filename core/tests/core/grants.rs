//! Grants: amounts as typed, the workflow and the fund's arithmetic,
//! data-driven.

use std::collections::BTreeMap;

use medlem_core::grants::workflow::{
    next, steps_from, totals, Amounts, Room, Stage, Step, StepError,
};
use medlem_core::money;
use medlem_core::Language;

#[test]
fn amounts_are_read_as_a_treasurer_types_them() {
    let check = |input: &str, expect: Option<i64>| {
        assert_eq!(money::parse(input), expect, "{input:?}");
    };
    check("8000", Some(800_000));
    check("8000,50", Some(800_050));
    check("8000.50", Some(800_050));
    check("8000,5", Some(800_050));
    check("8 000", Some(800_000));
    check("8\u{a0}000,50 kr", Some(800_050));
    check("8.000,50 kr.", Some(800_050));
    check("8,000.50", Some(800_050));
    check("1.000.000", Some(100_000_000));
    check("10 000 kr", Some(1_000_000));
    check("0", Some(0));
    check("", None);
    check("-500", None);
    check("8000,505", None);
    check("8,00,0", None);
    check("12,34,56", None);
    check("tusen", None);
    check("=HYPERLINK(\"x\")", None);
    check("99999999999999", None);
}

#[test]
fn amounts_are_written_in_each_language() {
    let check = |minor: i64, language: Language, expect: &str| {
        assert_eq!(
            money::format(minor, language),
            expect.replace('_', "\u{a0}")
        );
    };
    check(800_000, Language::Sv, "8_000_kr");
    check(800_050, Language::Sv, "8_000,50_kr");
    check(2_500_000, Language::Nb, "25_000_kr");
    check(2_500_000, Language::Da, "25.000_kr.");
    check(123_456_789, Language::En, "1,234,567.89_kr");
    check(5, Language::Sv, "0,05_kr");
    check(0, Language::Sv, "0_kr");
}

/// Runs a script against a fund of `budget` with `cap` per application.
/// Steps: `a=10000` (application a asks for 10 000 kr), `a submit`,
/// `a review`, `a approve 8000` (`approve! 8000`: up to what remains),
/// `a reject`, `a pay 8000`, `a report`, `a close`, `a withdraw`,
/// `a reopen`. Each step's outcome (`ok` or the error's code and figure)
/// and then the totals in kr are written out.
fn run(budget: i64, cap: i64, script: &str) -> String {
    let (budget, cap) = (budget * 100, cap * 100);
    let mut apps: BTreeMap<String, (Stage, Amounts)> = BTreeMap::new();
    let mut out = Vec::new();
    for step in script.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        if let Some((name, kr)) = step.split_once('=') {
            let amounts = Amounts {
                requested: kr.parse::<i64>().unwrap() * 100,
                ..Default::default()
            };
            apps.insert(name.to_owned(), (Stage::Draft, amounts));
            continue;
        }
        let words: Vec<&str> = step.split_whitespace().collect();
        let kr = |i: usize| words[i].parse::<i64>().unwrap() * 100;
        let s = match words[1] {
            "submit" => Step::Submit,
            "review" => Step::Review,
            "approve" => Step::Approve {
                amount: kr(2),
                up_to_remaining: false,
            },
            "approve!" => Step::Approve {
                amount: kr(2),
                up_to_remaining: true,
            },
            "reject" => Step::Reject,
            "pay" => Step::Pay { amount: kr(2) },
            "report" => Step::Report,
            "close" => Step::Close,
            "withdraw" => Step::Withdraw,
            "reopen" => Step::Reopen,
            other => panic!("unknown step {other}"),
        };
        let name = words[0];
        let others = totals(
            budget,
            apps.iter().filter(|(n, _)| *n != name).map(|(_, v)| *v),
        );
        let (stage, amounts) = apps[name];
        match next(
            stage,
            amounts,
            s,
            Room {
                cap,
                remaining: others.remaining,
            },
        ) {
            Ok(v) => {
                apps.insert(name.to_owned(), v);
                out.push(format!("{name} ok"));
            }
            Err(e) => out.push(format!("{name} {}", describe(&e))),
        }
    }
    let t = totals(budget, apps.values().copied());
    out.push(format!(
        "budget {} requested {} committed {} paid {} remaining {}",
        t.budget / 100,
        t.requested / 100,
        t.committed / 100,
        t.paid / 100,
        t.remaining / 100
    ));
    out.join("\n")
}

fn describe(e: &StepError) -> String {
    match e {
        StepError::NotAllowed { stage, step } => format!("not_allowed {step} from {stage}"),
        StepError::NoAmount => "no_amount".into(),
        StepError::AboveRequested { requested } => format!("above_requested {}", requested / 100),
        StepError::AboveCap { cap } => format!("above_cap {}", cap / 100),
        StepError::AboveRemaining { remaining } => format!("above_remaining {}", remaining / 100),
        StepError::AboveApproved { approved } => format!("above_approved {}", approved / 100),
    }
}

fn check(budget: i64, cap: i64, script: &str, expect: &str) {
    let expect: Vec<&str> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(
        run(budget, cap, script),
        expect.join("\n"),
        "script {script:?}"
    );
}

#[test]
fn two_approvals_that_would_exceed_the_fund_the_second_refused() {
    // The issue's example: 25 000 kr, cap 10 000, three applications of 10 000.
    check(
        25_000,
        10_000,
        "a=10000; b=10000; c=10000; a submit; b submit; c submit; \
         a approve 10000; b approve 10000; c approve 10000; a pay 10000",
        "a ok
         b ok
         c ok
         a ok
         b ok
         c above_remaining 5000
         a ok
         budget 25000 requested 10000 committed 10000 paid 10000 remaining 5000",
    );
    // Or, chosen explicitly, approved for what remains.
    check(
        25_000,
        10_000,
        "a=10000; b=10000; c=10000; a submit; b submit; c submit; \
         a approve 10000; b approve 10000; c approve! 10000",
        "a ok
         b ok
         c ok
         a ok
         b ok
         c ok
         budget 25000 requested 0 committed 25000 paid 0 remaining 0",
    );
    // Nothing left: even the explicit choice is refused.
    check(
        10_000,
        10_000,
        "a=10000; b=500; a submit; b submit; a approve 10000; b approve! 500",
        "a ok
         b ok
         a ok
         b above_remaining 0
         budget 10000 requested 500 committed 10000 paid 0 remaining 0",
    );
}

#[test]
fn amounts_are_checked_against_the_request_the_cap_and_the_approval() {
    check(
        100_000,
        10_000,
        "a=12000; a submit; a approve 12000; a approve 13000; a approve 0; a approve 9000; \
         a pay 9500; a pay 0; a pay 8000",
        "a ok
         a above_cap 10000
         a above_requested 12000
         a no_amount
         a ok
         a above_approved 9000
         a no_amount
         a ok
         budget 100000 requested 0 committed 0 paid 8000 remaining 92000",
    );
    // An empty application cannot be submitted.
    check(
        1000,
        1000,
        "a=0; a submit",
        "a no_amount\nbudget 1000 requested 0 committed 0 paid 0 remaining 1000",
    );
}

#[test]
fn a_decision_changes_only_by_reopening_and_withdrawal_releases_the_money() {
    check(
        20_000,
        10_000,
        "a=10000; a submit; a review; a approve 6000; a approve 8000; a reopen; a approve 8000; \
         a withdraw; a pay 8000",
        "a ok
         a ok
         a ok
         a not_allowed approve from approved
         a ok
         a ok
         a ok
         a not_allowed pay from withdrawn
         budget 20000 requested 0 committed 0 paid 0 remaining 20000",
    );
    // Paid money stays paid: no withdrawal, no reopening after payment.
    check(
        20_000,
        10_000,
        "a=10000; a submit; a approve 10000; a pay 10000; a withdraw; a reopen; a report; a close; a submit",
        "a ok
         a ok
         a ok
         a not_allowed withdraw from paid
         a not_allowed reopen from paid
         a ok
         a ok
         a not_allowed submit from closed
         budget 20000 requested 0 committed 0 paid 10000 remaining 10000",
    );
}

/// The steps each stage offers, in the order the window shows them: what
/// `ApplicationView.nextSteps` carries, read from `next` itself.
#[test]
fn every_step_is_allowed_only_from_its_stages() {
    let table: Vec<String> = Stage::ALL
        .iter()
        .map(|s| format!("{s}: {}", steps_from(*s).join(" ")))
        .collect();
    assert_eq!(
        table,
        [
            "draft: submit withdraw",
            "submitted: review approve reject withdraw",
            "in_review: approve reject withdraw",
            "approved: pay reopen withdraw",
            "rejected: close reopen",
            "paid: report",
            "report_received: close",
            "closed: ",
            "withdrawn: close",
        ]
    );
    // Every step the table leaves out is refused as not allowed.
    let amounts = Amounts {
        requested: 100,
        approved: Some(100),
        paid: None,
    };
    let room = Room {
        cap: 1000,
        remaining: 1000,
    };
    for stage in Stage::ALL {
        for step in [
            Step::Submit,
            Step::Review,
            Step::Approve {
                amount: 100,
                up_to_remaining: false,
            },
            Step::Reject,
            Step::Pay { amount: 100 },
            Step::Report,
            Step::Close,
            Step::Withdraw,
            Step::Reopen,
        ] {
            let offered = steps_from(*stage).contains(&step.name());
            let refused = matches!(
                next(*stage, amounts, step, room),
                Err(StepError::NotAllowed { .. })
            );
            assert_eq!(offered, !refused, "{stage} {}", step.name());
        }
    }
}

// ------------------------------------------------------------------------
// The store: funds, applications, steps, letters, attachments, outgoing.

use std::path::Path;

use medlem_core::grants::{
    self, outgoing, ApplicationInput, ApplicationQuery, FundInput, LineInput, StepInput,
};
use medlem_core::store::Store;
use medlem_core::{Error, MemberInput, Register, Status};

use crate::letters::{addressed, org, page_text};

fn codes(e: &Error) -> Vec<(String, &'static str)> {
    e.fields()
        .iter()
        .map(|f| (f.field.clone(), f.code.as_str()))
        .collect()
}

fn fund(r: &mut dyn Store, budget: &str, cap: &str) -> grants::Fund {
    grants::fund_create(
        r,
        &FundInput {
            name: "Initiativpotten".into(),
            period: "2027".into(),
            budget: budget.into(),
            cap: cap.into(),
            ..Default::default()
        },
    )
    .unwrap()
}

fn apply(r: &mut dyn Store, fund: i64, member: i64, title: &str, amount: &str) -> i64 {
    grants::apply(
        r,
        &ApplicationInput {
            fund_id: fund,
            applicant_kind: "member".into(),
            applicant: medlem_core::grants::Applicant {
                member_id: Some(member),
                ..Default::default()
            },
            title: title.into(),
            amount: amount.into(),
            ..Default::default()
        },
    )
    .unwrap()
    .application
    .id
}

fn step(
    r: &mut dyn Store,
    id: i64,
    step: &str,
    amount: &str,
) -> Result<grants::ApplicationView, Error> {
    grants::step(
        r,
        id,
        &StepInput {
            step: step.into(),
            amount: amount.into(),
            ..Default::default()
        },
    )
}

fn member(r: &mut dyn Store, first: &str) -> i64 {
    r.create(&addressed(first, "Ek", "sv")).unwrap().id
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn decision_and_reminder_letters_carry_the_application() {
    let mut r = org("SE");
    let dir = tempfile::tempdir().unwrap();
    let f = fund(&mut r, "25000", "10000");
    let anna = member(&mut r, "Anna");
    let bo = r.create(&addressed("Bo", "Ek", "en")).unwrap().id;
    let yes = apply(&mut r, f.id, anna, "Workshop om arbetsmiljö", "10000");
    let no = apply(&mut r, f.id, bo, "Network day", "6000");
    for id in [yes, no] {
        step(&mut r, id, "submit", "").unwrap();
    }
    let out = dir.path().join("beslut.pdf");
    assert_eq!(
        grants::decision_letter(&mut r, yes, &out)
            .unwrap_err()
            .code(),
        "nothing_to_print"
    );
    grants::step(
        &mut r,
        yes,
        &StepInput {
            step: "approve".into(),
            amount: "8000".into(),
            conditions: "Redovisa senast 30 juni.".into(),
            ..Default::default()
        },
    )
    .unwrap();
    grants::step(
        &mut r,
        no,
        &StepInput {
            step: "reject".into(),
            reason: "Outside the fund's purpose.".into(),
            ..Default::default()
        },
    )
    .unwrap();
    grants::decision_letter(&mut r, yes, &out).unwrap();
    let text = page_text(&out, 1);
    assert!(
        text.contains("Beviljat bidrag: Workshop om arbetsmiljö"),
        "{text}"
    );
    assert!(text.contains("beviljar 8 000 kr"), "{text}");
    assert!(text.contains("Ni ansökte om 10 000 kr."), "{text}");
    assert!(text.contains("Redovisa senast 30 juni."), "{text}");
    grants::decision_letter(&mut r, no, &out).unwrap();
    let text = page_text(&out, 1);
    assert!(text.contains("Your application: Network day"), "{text}");
    assert!(text.contains("Outside the fund's purpose."), "{text}");
    // Paid long ago, the report is overdue: a reminder.
    grants::step(
        &mut r,
        yes,
        &StepInput {
            step: "pay".into(),
            date: "2020-01-10".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let v = grants::application(&r, yes).unwrap();
    assert_eq!(v.application.report_due.unwrap().to_string(), "2020-02-09");
    assert!(v.report_overdue);
    let overdue = grants::applications(
        &r,
        &ApplicationQuery {
            overdue: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(overdue.iter().map(|a| a.id).collect::<Vec<_>>(), [yes]);
    let rem = dir.path().join("paminnelse.pdf");
    assert_eq!(grants::reminder_letters(&mut r, &rem).unwrap().items, 1);
    let text = page_text(&rem, 1);
    assert!(text.contains("Påminnelse om redovisning"), "{text}");
    assert!(text.contains("9 februari 2020"), "{text}");
    // The report in: no longer overdue, nothing to remind.
    step(&mut r, yes, "report", "").unwrap();
    assert_eq!(
        grants::reminder_letters(&mut r, &rem).unwrap_err().code(),
        "nothing_to_print"
    );
    // Letters are in the contact member's history.
    assert_eq!(
        r.history(anna).unwrap()[0].field.as_deref(),
        Some("grant_reminder")
    );
}

// Grants on both stores: the file and the office server.
on_both! {
    @ || crate::letters::org("SE"), || crate::backends::pg_org("SE");

    /// Two officers open one application's form; the second to save is
    /// told who saved first and when, and nothing of theirs is written.
    fn an_application_form_saved_after_someone_elses_save_is_refused(r) {
        let f = fund(r, "25 000", "");
        let m = member(r, "Anna");
        let id = apply(r, f.id, m, "Studiecirkel", "3000");
        let opened = grants::application(&*r, id).unwrap().application;
        assert_eq!(opened.version, 1);
        let form = |title: &str, amount: &str, version: Option<i64>| ApplicationInput {
            fund_id: f.id,
            applicant_kind: "member".into(),
            applicant: medlem_core::grants::Applicant {
                member_id: Some(m),
                ..Default::default()
            },
            title: title.into(),
            amount: amount.into(),
            version,
            ..Default::default()
        };
        let first = grants::edit(r, id, &form("Studiecirkel i bokföring", "3000", Some(1)))
            .unwrap()
            .application;
        assert_eq!(first.version, 2);
        let before = grants::application(&*r, id).unwrap();
        let e = grants::edit(r, id, &form("Studiecirkel", "9000", Some(1))).unwrap_err();
        assert_eq!(e.code(), "application_changed", "{e}");
        let d = e.details();
        assert_eq!(d.member.as_deref(), Some(first.changed_by.as_str()));
        assert_eq!(d.part, Some(first.updated_at.local_text()));
        assert_eq!(grants::application(&*r, id).unwrap(), before, "nothing written");
        // Opened again: the save goes through; without a version (the CLI)
        // there is no check.
        let again = grants::edit(r, id, &form("Studiecirkel i bokföring", "9000", Some(2)));
        assert_eq!(again.unwrap().application.details.requested, 900_000);
        let cli = grants::edit(r, id, &form("Studiecirkel", "9000", None)).unwrap();
        assert_eq!(cli.application.version, 4);
    }

    fn the_issues_fund_three_applications_two_approved_the_third_refused_one_paid(r) {
        let f = fund(r, "25 000", "10 000");
        assert_eq!((f.budget, f.cap), (2_500_000, Some(1_000_000)));
        let ids: Vec<i64> = ["Anna", "Bo", "Cilla"]
            .iter()
            .map(|n| {
                let m = member(r, n);
                apply(r, f.id, m, &format!("Workshop {n}"), "10000")
            })
            .collect();
        for id in &ids {
            step(r, *id, "submit", "").unwrap();
        }
        step(r, ids[0], "approve", "10000").unwrap();
        step(r, ids[1], "approve", "10000").unwrap();
        let before = grants::application(&*r, ids[2]).unwrap();
        let e = step(r, ids[2], "approve", "10000").unwrap_err();
        assert_eq!(e.code(), "above_remaining");
        assert!(e.to_string().contains("5,000"), "{e}");
        assert_eq!(
            grants::application(&*r, ids[2]).unwrap(),
            before,
            "nothing changed"
        );
        let paid = grants::step(
            r,
            ids[0],
            &StepInput {
                step: "pay".into(),
                date: "2027-04-02".into(),
                reference: "Bg 123-4567".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            paid.application.paid,
            Some(1_000_000),
            "the approved amount by default"
        );
        assert_eq!(paid.application.paid_on.unwrap().to_string(), "2027-04-02");
        let o = grants::fund_overview(&*r, f.id).unwrap();
        let t = o.totals;
        assert_eq!(
            (t.budget, t.requested, t.committed, t.paid, t.remaining),
            (2_500_000, 1_000_000, 1_000_000, 1_000_000, 500_000)
        );
        // Explicitly, what remains.
        let done = grants::step(
            r,
            ids[2],
            &StepInput {
                step: "approve".into(),
                amount: "10000".into(),
                up_to_remaining: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(done.application.approved, Some(500_000));
        assert_eq!(grants::fund_overview(&*r, f.id).unwrap().totals.remaining, 0);
        // Every step is recorded with its date.
        let steps: Vec<String> = grants::application(&*r, ids[0])
            .unwrap()
            .steps
            .iter()
            .map(|s| format!("{} {}", s.step, s.stage))
            .collect();
        assert_eq!(
            steps,
            [
                "create draft",
                "submit submitted",
                "approve approved",
                "pay paid"
            ]
        );
    }

    // The view tells the window which steps to offer and whether the form
    // may change: the window holds no copy of the workflow.
    fn the_application_view_carries_its_next_steps_and_whether_it_may_change(r) {
        let f = fund(r, "25000", "");
        let m = member(r, "Anna");
        let id = apply(r, f.id, m, "Kurs", "1000");
        let offered = |v: &grants::ApplicationView| (v.next_steps.join(" "), v.editable);
        let v = grants::application(&*r, id).unwrap();
        assert_eq!(offered(&v), ("submit withdraw".to_owned(), true));
        let v = step(r, id, "submit", "").unwrap();
        assert_eq!(
            offered(&v),
            ("review approve reject withdraw".to_owned(), true)
        );
        let v = step(r, id, "approve", "1000").unwrap();
        assert_eq!(offered(&v), ("pay reopen withdraw".to_owned(), false));
        let v = step(r, id, "pay", "").unwrap();
        assert_eq!(offered(&v), ("report".to_owned(), false));
    }

    fn bad_funds_and_applications_are_refused_and_nothing_is_written(r) {
        let e = grants::fund_create(
            r,
            &FundInput {
                name: " ".into(),
                period: "2027".into(),
                budget: "=HYPERLINK(\"x\")".into(),
                cap: "0".into(),
                deadlines: vec!["31/3".into()],
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            codes(&e),
            [
                ("name".to_owned(), "required"),
                ("budget".to_owned(), "invalid_amount"),
                ("cap".to_owned(), "invalid_amount"),
                ("deadlines.0".to_owned(), "invalid_date")
            ]
        );
        assert!(grants::funds(&*r).unwrap().is_empty());

        let f = fund(r, "25000", "10000");
        let active = member(r, "Anna");
        let resigned = member(r, "Bo");
        r.set_status(
            resigned,
            Status::Resigned,
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        )
        .unwrap();
        let prospect = r
            .create(&MemberInput {
                kind: "prospect".into(),
                ..addressed("Cilla", "Ek", "sv")
            })
            .unwrap()
            .id;
        let base = ApplicationInput {
            fund_id: f.id,
            applicant_kind: "member".into(),
            applicant: medlem_core::grants::Applicant {
                member_id: Some(active),
                ..Default::default()
            },
            title: "Föredrag".into(),
            amount: "5000".into(),
            ..Default::default()
        };
        let refused = |r: &mut dyn Store, input: ApplicationInput, expect: &[(&str, &str)]| {
            let e = grants::apply(r, &input).unwrap_err();
            let expect: Vec<(String, &str)> = expect.iter().map(|(f, c)| (f.to_string(), *c)).collect();
            assert_eq!(codes(&e), expect, "{input:?}");
            assert!(grants::applications(r, &ApplicationQuery::default())
                .unwrap()
                .is_empty());
        };
        refused(
            r,
            ApplicationInput {
                applicant: medlem_core::grants::Applicant {
                    member_id: Some(resigned),
                    ..base.applicant
                },
                ..base.clone()
            },
            &[("memberId", "invalid_choice")],
        );
        refused(
            r,
            ApplicationInput {
                applicant: medlem_core::grants::Applicant {
                    member_id: Some(prospect),
                    ..base.applicant
                },
                ..base.clone()
            },
            &[("memberId", "invalid_choice")],
        );
        refused(
            r,
            ApplicationInput {
                applicant_kind: "branch".into(),
                ..base.clone()
            },
            &[
                ("applicantKind", "invalid_choice"),
                ("branchId", "required"),
            ],
        );
        refused(
            r,
            ApplicationInput {
                title: "".into(),
                amount: "fem tusen".into(),
                ..base.clone()
            },
            &[("title", "required"), ("amount", "invalid_amount")],
        );
        refused(
            r,
            ApplicationInput {
                lines: vec![
                    LineInput {
                        item: "Lokal".into(),
                        amount: "2000".into(),
                    },
                    LineInput {
                        item: "Fika".into(),
                        amount: "1500,50".into(),
                    },
                ],
                amount: "4000".into(),
                ..base.clone()
            },
            &[("amount", "mismatch")],
        );
        refused(
            r,
            ApplicationInput {
                lines: vec![LineInput {
                    item: "".into(),
                    amount: "-5".into(),
                }],
                amount: "".into(),
                ..base.clone()
            },
            &[
                ("lines.0.item", "required"),
                ("lines.0.amount", "invalid_amount"),
            ],
        );
        let e = grants::apply(
            r,
            &ApplicationInput {
                amount: "12000".into(),
                ..base.clone()
            },
        )
        .unwrap_err();
        assert_eq!(e.code(), "above_cap");
        assert!(grants::applications(&*r, &ApplicationQuery::default())
            .unwrap()
            .is_empty());

        // Budget lines add up to the request.
        let v = grants::apply(
            r,
            &ApplicationInput {
                lines: vec![
                    LineInput {
                        item: "Lokal".into(),
                        amount: "2000".into(),
                    },
                    LineInput {
                        item: "Fika".into(),
                        amount: "1500,50".into(),
                    },
                ],
                amount: String::new(),
                ..base
            },
        )
        .unwrap();
        assert_eq!(v.application.details.requested, 350_050);
        assert_eq!(v.lines.len(), 2);
    }

    fn decided_amounts_change_only_after_reopening_and_the_budget_never_below_what_is_used(r) {
        let f = fund(r, "25000", "10000");
        let m = member(r, "Anna");
        let id = apply(r, f.id, m, "Studiebesök", "8000");
        let edit = ApplicationInput {
            fund_id: f.id,
            applicant_kind: "member".into(),
            applicant: medlem_core::grants::Applicant {
                member_id: Some(m),
                ..Default::default()
            },
            title: "Studiebesök".into(),
            amount: "9000".into(),
            ..Default::default()
        };
        assert_eq!(
            step(r, id, "pay", "8000").unwrap_err().code(),
            "step_not_allowed",
            "no payment before approval"
        );
        step(r, id, "submit", "").unwrap();
        step(r, id, "approve", "8000").unwrap();
        let e = grants::edit(r, id, &edit).unwrap_err();
        assert_eq!(e.code(), "step_not_allowed");
        assert_eq!(
            grants::application(&*r, id)
                .unwrap()
                .application
                .details
                .requested,
            800_000
        );
        // The budget cannot go below what is committed.
        let lower = FundInput {
            name: "Initiativpotten".into(),
            period: "2027".into(),
            budget: "7000".into(),
            cap: "10000".into(),
            ..Default::default()
        };
        let e = grants::fund_update(r, f.id, &lower).unwrap_err();
        assert_eq!(e.code(), "budget_below_used");
        assert_eq!(
            grants::fund_overview(&*r, f.id).unwrap().fund.budget,
            2_500_000
        );
        assert_eq!(
            grants::fund_delete(r, f.id).unwrap_err().code(),
            "fund_has_applications"
        );
        // Reopened: the amount may change, then a new decision.
        step(r, id, "reopen", "").unwrap();
        assert_eq!(grants::fund_overview(&*r, f.id).unwrap().totals.committed, 0);
        grants::edit(r, id, &edit).unwrap();
        let e = grants::step(
            r,
            id,
            &StepInput {
                step: "reject".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(codes(&e), [("reason".to_owned(), "required")]);
        grants::step(
            r,
            id,
            &StepInput {
                step: "reject".into(),
                reason: "Potten är slut".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            grants::application(&*r, id).unwrap().application.reason,
            "Potten är slut"
        );
        assert_eq!(
            step(r, id, "fly", "").unwrap_err().code(),
            "validation"
        );
    }

    fn attachments_are_kept_inside_the_register(r) {
        let dir = tempfile::tempdir().unwrap();
        let f = fund(r, "25000", "10000");
        let m = member(r, "Anna");
        let id = apply(r, f.id, m, "Kurs", "3000");
        let a = grants::attach(r, id, "budget.xlsx", b"PK\x03\x04 spreadsheet").unwrap();
        assert_eq!((a.name.as_str(), a.size), ("budget.xlsx", 16));
        assert_eq!(
            grants::attach(r, id, "../../etc/passwd", b"x")
                .unwrap_err()
                .code(),
            "validation"
        );
        assert_eq!(
            grants::attach(r, 999, "a.pdf", b"x")
                .unwrap_err()
                .code(),
            "not_found"
        );
        let out = dir.path().join("copy.xlsx");
        grants::save_attachment(&*r, a.id, &out).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"PK\x03\x04 spreadsheet");
        assert_eq!(grants::application(&*r, id).unwrap().attachments.len(), 1);
        grants::detach(r, a.id).unwrap();
        assert!(grants::application(&*r, id).unwrap().attachments.is_empty());
        assert!(!Path::new(&dir.path().join("nothing")).exists());

        // From a file: named by it; one over the limit is refused before it is
        // read (a sparse file: nothing is written to the disk), and so is a logo.
        let small = dir.path().join("kvitto.pdf");
        std::fs::write(&small, b"%PDF-1.4 kvitto").unwrap();
        let a = grants::attach_file(r, id, &small).unwrap();
        assert_eq!((a.name.as_str(), a.size), ("kvitto.pdf", 15));
        let huge = dir.path().join("film.mp4");
        std::fs::File::create(&huge)
            .unwrap()
            .set_len(grants::MAX_ATTACHMENT as u64 + 1)
            .unwrap();
        let fields = |e: Error| match e {
            Error::Validation(f) => f.into_iter().map(|f| f.field).collect::<Vec<_>>(),
            other => panic!("{other}"),
        };
        assert_eq!(
            fields(grants::attach_file(r, id, &huge).unwrap_err()),
            ["file"]
        );
        assert_eq!(grants::application(&*r, id).unwrap().attachments.len(), 1);
        let big_logo = dir.path().join("logo.png");
        std::fs::File::create(&big_logo)
            .unwrap()
            .set_len(medlem_core::letters::MAX_LOGO as u64 + 1)
            .unwrap();
        assert_eq!(
            fields(medlem_core::letters::set_logo_file(r, Some(&big_logo)).unwrap_err()),
            ["logo"]
        );
        assert!(!medlem_core::letters::has_logo(&*r).unwrap());
    }

    fn applications_are_found_by_title_applicant_and_stage(r) {
        let f = fund(r, "100000", "");
        let anna = member(r, "Anna");
        let bo = member(r, "Bo");
        let a = apply(r, f.id, anna, "100% roligare fika_kväll", "500");
        let b = apply(r, f.id, bo, "Studiebesök", "700");
        step(r, b, "submit", "").unwrap();
        let find = |r: &dyn Store, q: ApplicationQuery| -> Vec<i64> {
            grants::applications(r, &q)
                .unwrap()
                .iter()
                .map(|a| a.id)
                .collect()
        };
        assert_eq!(
            find(
                &*r,
                ApplicationQuery {
                    search: "100%".into(),
                    ..Default::default()
                }
            ),
            [a]
        );
        assert_eq!(
            find(
                &*r,
                ApplicationQuery {
                    search: "%".into(),
                    ..Default::default()
                }
            ),
            [a],
            "% is a character, not a wildcard"
        );
        assert_eq!(
            find(
                &*r,
                ApplicationQuery {
                    search: "bo ek".into(),
                    ..Default::default()
                }
            ),
            [b]
        );
        assert_eq!(
            find(
                &*r,
                ApplicationQuery {
                    stage: Some(grants::workflow::Stage::Submitted),
                    ..Default::default()
                }
            ),
            [b]
        );
        assert_eq!(
            find(
                &*r,
                ApplicationQuery {
                    fund_id: Some(f.id),
                    ..Default::default()
                }
            ),
            [b, a]
        );
    }

    fn the_clubs_own_applications_with_their_deadlines(r) {
        let e = outgoing::save(
            r,
            None,
            &outgoing::OutgoingInput {
                funder: "".into(),
                title: "Kurs".into(),
                amount: "tio".into(),
                deadline: "snart".into(),
                status: "maybe".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(
            codes(&e),
            [
                ("funder".to_owned(), "required"),
                ("amount".to_owned(), "invalid_amount"),
                ("deadline".to_owned(), "invalid_date"),
                ("status".to_owned(), "invalid_choice")
            ]
        );
        assert!(outgoing::list(&*r).unwrap().is_empty());
        let late = outgoing::save(
            r,
            None,
            &outgoing::OutgoingInput {
                funder: "Förbundet".into(),
                title: "Kurs i förhandling".into(),
                amount: "15000".into(),
                deadline: "2027-05-01".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let soon = outgoing::save(
            r,
            None,
            &outgoing::OutgoingInput {
                funder: "Kommunen".into(),
                title: "Ungdomsverksamhet".into(),
                amount: "8000".into(),
                deadline: "2027-02-01".into(),
                ..Default::default()
            },
        )
        .unwrap();
        let done = outgoing::save(
            r,
            None,
            &outgoing::OutgoingInput {
                funder: "Stiftelsen".into(),
                title: "Jubileum".into(),
                amount: "5000".into(),
                status: "received".into(),
                received: "5000".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            outgoing::list(&*r)
                .unwrap()
                .iter()
                .map(|o| o.id)
                .collect::<Vec<_>>(),
            [soon.id, late.id, done.id]
        );
        let changed = outgoing::save(
            r,
            Some(soon.id),
            &outgoing::OutgoingInput {
                funder: "Kommunen".into(),
                title: "Ungdomsverksamhet".into(),
                amount: "8000".into(),
                status: "approved".into(),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(changed.details.status, outgoing::OutgoingStatus::Approved);
        assert_eq!(changed.details.amount, 800_000);
        outgoing::delete(r, done.id).unwrap();
        assert_eq!(outgoing::list(&*r).unwrap().len(), 2);
    }
}

/// The activity is kept as its code, however it was written; the names
/// match the window's catalogs, so a name typed in any language (or in the
/// CLI) shows translated everywhere.
#[test]
fn an_activity_written_in_any_language_is_kept_as_its_code() {
    use medlem_core::grants::activity::{activity_code, ACTIVITIES};
    assert_eq!(activity_code("workplace visit"), "workplace_visit");
    assert_eq!(activity_code("  ARBETSPLATSBESÖK "), "workplace_visit");
    assert_eq!(activity_code("network-meeting"), "network_meeting");
    assert_eq!(activity_code("talk"), "talk");
    assert_eq!(activity_code("Studiecirkel i Åre"), "Studiecirkel i Åre");
    assert_eq!(activity_code("<script>"), "<script>");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/i18n");
    for lang in ["sv", "da", "nb", "en"] {
        let text = std::fs::read_to_string(dir.join(format!("{lang}.json"))).unwrap();
        let catalog: BTreeMap<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
        for (code, _) in ACTIVITIES {
            let name = catalog[&format!("grants.activity.{code}")]
                .as_str()
                .unwrap();
            assert_eq!(activity_code(name), *code, "{lang}: {name}");
        }
    }
}
