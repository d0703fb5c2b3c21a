//! Vouchers from what happened: an invoice issued (what the member owes
//! against the fees), a payment (the bank against what it paid, credit, the
//! review queue or other income), an invoice written off and a grant paid
//! out. Each is balanced. A voucher an earlier export held and that changed
//! since (a credited run, a reminder fee, a payment assigned or reversed) is
//! booked again as its difference: a correction.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::store::books::{GrantSource, InvoiceSource, PaymentSource};
use crate::types::books::{Accounts, Voucher, VoucherLine, VoucherState};
use crate::types::dues::InvoiceStatus;
use crate::types::payments::PaymentState;
use crate::types::Language;

/// The words of the vouchers' texts, in the papers' language.
struct Words {
    fee: &'static str,
    payment: &'static str,
    write_off: &'static str,
    grant: &'static str,
    correction: &'static str,
}

fn words(language: Language) -> Words {
    match language {
        Language::Sv => Words {
            fee: "Medlemsavgift",
            payment: "Inbetalning",
            write_off: "Avskriven fordran",
            grant: "Bidrag",
            correction: "Rättelse",
        },
        Language::Nb => Words {
            fee: "Kontingent",
            payment: "Innbetaling",
            write_off: "Tap på fordring",
            grant: "Tilskudd",
            correction: "Korrigering",
        },
        Language::Da => Words {
            fee: "Kontingent",
            payment: "Indbetaling",
            write_off: "Afskrevet tilgodehavende",
            grant: "Tilskud",
            correction: "Korrektion",
        },
        Language::En => Words {
            fee: "Membership fee",
            payment: "Payment",
            write_off: "Written off",
            grant: "Grant",
            correction: "Correction",
        },
    }
}

/// A voucher as the sources make it today, before it is compared with the
/// log: its own date, and the day its source last changed.
pub struct Made {
    key: String,
    date: NaiveDate,
    changed: NaiveDate,
    text: String,
    lines: Vec<VoucherLine>,
}

/// Adds the amounts per account (in the order accounts first appear) and
/// leaves out what nets to 0.
fn net<'s>(lines: impl IntoIterator<Item = (&'s str, i64)>) -> Vec<VoucherLine> {
    // A voucher has a handful of lines: a list is quicker than a map, and
    // only the accounts that remain are copied.
    let mut sums: Vec<(&str, i64)> = Vec::with_capacity(4);
    for (account, amount) in lines {
        match sums.iter_mut().find(|l| l.0 == account) {
            Some(l) => l.1 += amount,
            None => sums.push((account, amount)),
        }
    }
    sums.into_iter()
        .filter(|l| l.1 != 0)
        .map(|(account, amount)| VoucherLine {
            account: account.to_owned(),
            amount,
        })
        .collect()
}

fn invoice_vouchers(i: &InvoiceSource, a: &Accounts, w: &Words, out: &mut Vec<Made>) {
    // A credited invoice (its run cancelled) is as if never billed.
    let lines = if i.status == InvoiceStatus::Credited {
        Vec::new()
    } else {
        let mut lines = vec![(a.receivable.as_str(), i.amount)];
        for l in &i.lines {
            let account = if l.reminder_fee {
                &a.reminder_fees
            } else {
                &a.fees
            };
            lines.push((account.as_str(), -l.amount));
        }
        net(lines)
    };
    out.push(Made {
        key: format!("invoice:{}", i.id),
        date: i.issued,
        changed: i.changed,
        text: format!("{} {}, {} {}", w.fee, i.period, i.member, i.name),
        lines,
    });
    if i.status == InvoiceStatus::WrittenOff {
        let left = i.amount - i.paid;
        out.push(Made {
            key: format!("writeoff:{}", i.id),
            date: i.changed,
            changed: i.changed,
            text: format!("{} {}, {} {}", w.write_off, i.period, i.member, i.name),
            lines: net([(a.write_off.as_str(), left), (a.receivable.as_str(), -left)]),
        });
    }
}

fn payment_voucher(p: &PaymentSource, a: &Accounts, w: &Words) -> Made {
    // "Payment", and who paid: the member, else the payer as the bank
    // named them.
    let mut text = String::with_capacity(48);
    text.push_str(w.payment);
    text.push(' ');
    match (&p.member, &p.name) {
        (Some(m), Some(n)) => {
            text.push_str(m);
            text.push(' ');
            text.push_str(n);
        }
        _ => text.push_str(&p.payer),
    }
    text.truncate(text.trim_end().len());
    let bank = (a.bank.as_str(), p.amount);
    let lines = match p.state {
        PaymentState::Booked => net([
            bank,
            (a.receivable.as_str(), -p.allocated),
            (a.credit.as_str(), -(p.amount - p.allocated)),
        ]),
        PaymentState::Review => net([bank, (a.unassigned.as_str(), -p.amount)]),
        PaymentState::OtherIncome => net([bank, (a.other_income.as_str(), -p.amount)]),
        // Registered in error or paid back: as if it never came.
        PaymentState::Reversed => Vec::new(),
    };
    Made {
        key: format!("payment:{}", p.id),
        date: p.date,
        changed: p.changed,
        text,
        lines,
    }
}

fn grant_voucher(g: &GrantSource, a: &Accounts, w: &Words) -> Made {
    Made {
        key: format!("grant:{}", g.id),
        date: g.paid_on,
        changed: g.changed,
        text: format!("{} {}: {}", w.grant, g.fund, g.title),
        lines: net([(a.grants.as_str(), g.amount), (a.bank.as_str(), -g.amount)]),
    }
}

/// The vouchers of invoices issued (and written off).
pub fn from_invoices(invoices: &[InvoiceSource], a: &Accounts, language: Language) -> Vec<Made> {
    let w = words(language);
    let mut made = Vec::with_capacity(invoices.len());
    for i in invoices {
        invoice_vouchers(i, a, &w, &mut made);
    }
    made
}

/// The vouchers of payments received.
pub fn from_payments(payments: &[PaymentSource], a: &Accounts, language: Language) -> Vec<Made> {
    let w = words(language);
    payments.iter().map(|p| payment_voucher(p, a, &w)).collect()
}

/// The vouchers of grants paid out.
pub fn from_grants(grants: &[GrantSource], a: &Accounts, language: Language) -> Vec<Made> {
    let w = words(language);
    grants.iter().map(|g| grant_voucher(g, a, &w)).collect()
}

/// What an export holds.
pub struct Planned {
    /// In date order.
    pub vouchers: Vec<Voucher>,
    /// For each voucher, its lines as its source stands now, what the log
    /// keeps: a correction's (whose own lines are the difference), `None`
    /// where they are the voucher's own.
    pub now: Vec<Option<Vec<VoucherLine>>>,
    /// The period's vouchers exported before and unchanged.
    pub earlier: usize,
}

/// Of the vouchers `made`, those an export from `from` to `to` holds:
/// - a voucher dated in the period that no earlier export held (`new`);
/// - a voucher an earlier export held whose lines changed since (any date up
///   to `to`): its difference, dated the day it changed but not before
///   `from` (`correction`);
/// - with `all`, every voucher dated in the period as it is now, whatever
///   an earlier export held (`exported` when unchanged, `correction` when
///   changed), and the differences of earlier periods' vouchers.
pub fn vouchers(
    made: Vec<Made>,
    exported: &HashMap<String, Vec<VoucherLine>>,
    language: Language,
    (from, to): (NaiveDate, NaiveDate),
    all: bool,
) -> Planned {
    let w = words(language);
    let in_period = |d: NaiveDate| d >= from && d <= to;
    let mut earlier = 0;
    let mut out: Vec<(Voucher, Option<Vec<VoucherLine>>)> = Vec::new();
    for m in made {
        let whole = |m: Made, state| {
            let v = Voucher {
                key: m.key,
                date: m.date,
                text: m.text,
                lines: m.lines,
                state,
            };
            (v, None)
        };
        match exported.get(&m.key) {
            None if in_period(m.date) && !m.lines.is_empty() => {
                out.push(whole(m, VoucherState::New))
            }
            None => {}
            // Exported before as it is now; one that books nothing (a
            // payment reversed, its correction exported) is left out.
            Some(before) if *before == m.lines && in_period(m.date) && !m.lines.is_empty() => {
                earlier += 1;
                if all {
                    out.push(whole(m, VoucherState::Exported));
                }
            }
            Some(before) if *before == m.lines => {}
            Some(_) if all && in_period(m.date) && !m.lines.is_empty() => {
                out.push(whole(m, VoucherState::Correction))
            }
            Some(_) if all && in_period(m.date) => {}
            Some(before) if m.changed <= to => {
                let diff = net(m
                    .lines
                    .iter()
                    .map(|l| (l.account.as_str(), l.amount))
                    .chain(before.iter().map(|l| (l.account.as_str(), -l.amount))));
                let v = Voucher {
                    key: m.key,
                    date: m.changed.max(from),
                    text: format!("{}: {}", w.correction, m.text),
                    lines: diff,
                    state: VoucherState::Correction,
                };
                out.push((v, Some(m.lines)));
            }
            Some(_) => {}
        }
    }
    out.sort_by_key(|v| v.0.date);
    let (vouchers, now) = out.into_iter().unzip();
    Planned {
        vouchers,
        now,
        earlier,
    }
}

/// The accounts a set of vouchers books on, each once, in number order.
pub fn accounts_used(vouchers: &[Voucher]) -> Vec<String> {
    let mut used: BTreeMap<String, ()> = BTreeMap::new();
    for v in vouchers {
        for l in &v.lines {
            used.insert(l.account.clone(), ());
        }
    }
    used.into_keys().collect()
}
