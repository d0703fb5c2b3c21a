//! `pay`: bank files read and matched, the review queue, payments by hand,
//! reversals.

use std::path::PathBuf;

use clap::Subcommand;

use crate::shared::output;
use medlem_core::dues::pay;
use medlem_core::meetings::member_by_number;
use medlem_core::store::payments::PaymentQuery;
use medlem_core::store::Store;
use medlem_core::types::payments::{Assignment, HandPayment, ImportReport, Payment, PaymentState};
use medlem_core::{money, Error, FieldCode, Language};

#[derive(Subcommand)]
pub(crate) enum PayCommand {
    /// Read a bank file (camt.054/053, BgMax, Nets OCR giro): each payment
    /// is booked on its invoice or waits for you in `pay review`. With
    /// --dry-run, what it would do.
    Import {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
    /// The payments waiting for you to say whose they are.
    Review,
    /// Say whose a waiting payment is: an invoice, a member (their oldest
    /// unpaid invoices, the rest credit), or other income.
    Assign {
        payment: i64,
        #[arg(long, conflicts_with_all = ["member", "other_income"])]
        invoice: Option<i64>,
        /// The member's number.
        #[arg(long, conflicts_with = "other_income")]
        member: Option<String>,
        #[arg(long)]
        other_income: bool,
    },
    /// Register a payment made by hand (cash, Swish ...).
    Add {
        /// The member's number.
        #[arg(long)]
        member: String,
        /// In kr: 1200 or 1200,50.
        #[arg(long)]
        amount: String,
        /// The day it was paid (default: today).
        #[arg(long, default_value = "")]
        date: String,
        /// cash, swish, vipps, mobilepay or bank.
        #[arg(long, default_value = "cash")]
        method: String,
        /// The invoice it pays (default: the member's oldest unpaid ones).
        #[arg(long)]
        invoice: Option<i64>,
    },
    /// Take a payment back: what it paid is open again.
    Reverse { payment: i64 },
    /// The payments (of a member, in a state).
    List {
        /// The member's number.
        #[arg(long)]
        member: Option<String>,
        /// booked, review, other_income or reversed.
        #[arg(long)]
        state: Option<String>,
    },
}

fn kr(minor: i64) -> String {
    money::format(minor, Language::En)
}

pub(crate) fn run(reg: &mut dyn Store, command: PayCommand, json: bool) -> Result<(), Error> {
    match command {
        PayCommand::Import { file, dry_run } => {
            let report = pay::import_file(reg, &file, dry_run)?;
            output(&report, json, print_report)
        }
        PayCommand::Review => {
            let waiting = pay::review(reg)?;
            output(&waiting, json, |w| {
                if w.is_empty() {
                    println!("Nothing waits for you");
                }
                w.iter().for_each(print_payment)
            })
        }
        PayCommand::Assign {
            payment,
            invoice,
            member,
            other_income,
        } => {
            let to = match (invoice, member, other_income) {
                (Some(id), _, _) => Assignment::Invoice { id },
                (_, Some(n), _) => Assignment::Member {
                    id: member_by_number(reg, &n)?,
                },
                (_, _, true) => Assignment::OtherIncome,
                _ => return Err(Error::field("invoiceId", FieldCode::Required)),
            };
            let p = pay::assign(reg, payment, to)?;
            output(&p, json, print_payment)
        }
        PayCommand::Add {
            member,
            amount,
            date,
            method,
            invoice,
        } => {
            let input = HandPayment {
                member_id: member_by_number(reg, &member)?,
                amount,
                date,
                method,
                invoice_id: invoice,
            };
            let p = pay::add(reg, &input)?;
            output(&p, json, print_payment)
        }
        PayCommand::Reverse { payment } => {
            let p = pay::reverse(reg, payment)?;
            output(&p, json, print_payment)
        }
        PayCommand::List { member, state } => {
            let member_id = match member {
                Some(n) => Some(member_by_number(reg, &n)?),
                None => None,
            };
            let state = match state {
                Some(s) => Some(
                    PaymentState::parse(s.trim())
                        .ok_or_else(|| Error::field("state", FieldCode::InvalidChoice))?,
                ),
                None => None,
            };
            let list = pay::list(
                reg,
                &PaymentQuery {
                    state,
                    member_id,
                    ..PaymentQuery::default()
                },
            )?;
            output(&list, json, |l| l.iter().for_each(print_payment))
        }
    }
}

fn print_report(r: &ImportReport) {
    if r.file_already_read {
        println!(
            "This file ({}, {}) was read before: nothing booked again",
            r.format, r.message_id
        );
        return;
    }
    let what = if r.dry_run {
        "Would book (nothing written)"
    } else {
        "Booked"
    };
    println!(
        "{what}: {} payments, {} in all: {} matched, {} waiting for you, {} read before",
        r.read,
        kr(r.total),
        r.matched.len(),
        r.review.len(),
        r.already_read
    );
    if r.skipped > 0 {
        println!(
            "{} entries are not payments received (left alone)",
            r.skipped
        );
    }
    r.matched.iter().chain(&r.review).for_each(print_payment);
}

fn print_payment(p: &Payment) {
    let whose = match (&p.member, &p.reason) {
        (Some(m), _) => format!("{m} {}", p.name.as_deref().unwrap_or("")),
        (None, Some(reason)) => format!("waiting: {reason}"),
        (None, None) => p.state.to_string(),
    };
    let paid: Vec<String> = p
        .allocations
        .iter()
        .map(|a| format!("invoice {} ({}) {}", a.invoice_id, a.period, kr(a.amount)))
        .collect();
    let mut line = format!(
        "{:>6}  {}  {:>12}  {:<10} {}",
        p.id,
        p.date,
        kr(p.amount),
        p.state.as_str(),
        whose
    );
    if !paid.is_empty() {
        line.push_str(&format!("  → {}", paid.join(", ")));
    }
    if p.credit > 0 {
        line.push_str(&format!("  credit {}", kr(p.credit)));
    }
    if let Some(s) = p.suggestion {
        line.push_str(&format!("  (likely invoice {s})"));
    }
    println!("{line}");
}
