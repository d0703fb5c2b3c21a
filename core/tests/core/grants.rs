//! Grants: amounts as typed, the workflow and the fund's arithmetic,
//! data-driven.

use std::collections::BTreeMap;

use medlem_core::grants::money;
use medlem_core::grants::workflow::{next, totals, Amounts, Room, Stage, Step, StepError};
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
    // The example: 25 000 kr, cap 10 000, three applications of 10 000.
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

#[test]
fn every_step_is_allowed_only_from_its_stages() {
    let steps = [
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
    ];
    let allowed = |stage: Stage| -> Vec<&'static str> {
        steps
            .iter()
            .filter(|s| {
                let amounts = Amounts {
                    requested: 100,
                    approved: Some(100),
                    paid: None,
                };
                !matches!(
                    next(
                        stage,
                        amounts,
                        **s,
                        Room {
                            cap: 1000,
                            remaining: 1000
                        }
                    ),
                    Err(StepError::NotAllowed { .. })
                )
            })
            .map(|s| s.name())
            .collect()
    };
    let table: Vec<String> = Stage::ALL
        .iter()
        .map(|s| format!("{s}: {}", allowed(*s).join(" ")))
        .collect();
    assert_eq!(
        table,
        [
            "draft: submit withdraw",
            "submitted: review approve reject withdraw",
            "in_review: approve reject withdraw",
            "approved: pay withdraw reopen",
            "rejected: close reopen",
            "paid: report",
            "report_received: close",
            "closed: ",
            "withdrawn: close",
        ]
    );
}
