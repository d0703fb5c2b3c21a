//! Whose is a payment? Pure: a bank line and the unpaid invoices in, an
//! outcome out.
//!
//! First the structured reference: with a correct check digit and an
//! invoice that carries it, the payment is that invoice's, whatever the
//! amount (less leaves the rest open, more is credit). A reference with a
//! wrong check digit is never matched by itself. Without a reference the
//! free text and the payer's name are weighed against the unpaid invoices:
//! a reference written in the text (check digit verified), the member's
//! number, the member's name, the amount owed. Only a clear winner is
//! booked; anything less waits for the treasurer with the likeliest invoice
//! suggested.

use std::collections::HashMap;

use super::reference::{self, Scheme};
use crate::text::fold;
use crate::types::dues::{Invoice, InvoiceStatus, Payments};
use crate::types::payments::{MatchedBy, ReviewReason};

/// A score from which a payment is booked without the treasurer, when no
/// other invoice comes close.
pub const CERTAIN: u32 = 90;
/// The lead the best invoice needs over the next.
const LEAD: u32 = 30;
/// A score below which nothing is suggested.
const SUGGEST: u32 = 30;

const REFERENCE_IN_TEXT: u32 = 60;
const NUMBER: u32 = 40;
const NAME: u32 = 30;
const AMOUNT: u32 = 30;

/// What matching says of one payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The payment is this invoice's.
    Invoice {
        id: i64,
        by: MatchedBy,
        score: Option<u32>,
    },
    /// The treasurer decides.
    Review {
        reason: ReviewReason,
        suggestion: Option<i64>,
        score: Option<u32>,
    },
}

/// What of a bank line matching looks at.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub reference: Option<&'a str>,
    pub text: &'a str,
    pub payer: &'a str,
    pub amount: i64,
    pub currency: &'a str,
}

/// The invoices a file is matched against, found by reference, member
/// number and name.
pub struct Book<'a> {
    scheme: Scheme,
    currency: &'a str,
    by_number: HashMap<String, Vec<&'a Invoice>>,
    by_name: HashMap<String, Vec<&'a Invoice>>,
    by_reference: HashMap<&'a str, &'a Invoice>,
}

impl<'a> Book<'a> {
    /// `unpaid`: the open and partly paid invoices.
    pub fn new(scheme: Scheme, currency: &'a str, unpaid: &'a [Invoice]) -> Self {
        let mut by_number: HashMap<String, Vec<&Invoice>> = HashMap::new();
        let mut by_name: HashMap<String, Vec<&Invoice>> = HashMap::new();
        let mut by_reference = HashMap::new();
        for i in unpaid {
            by_number.entry(fold(&i.member)).or_default().push(i);
            by_name.entry(words(&i.name).join(" ")).or_default().push(i);
            by_reference.insert(i.reference.as_str(), i);
        }
        Book {
            scheme,
            currency,
            by_number,
            by_name,
            by_reference,
        }
    }

    /// The unpaid invoice (as read when the book was made) that carries
    /// `reference`.
    pub fn by_reference(&self, reference: &str) -> Option<&'a Invoice> {
        self.by_reference.get(reference).copied()
    }

    /// Whose is `line`? `found` is the invoice (of any status) that carries
    /// the line's reference, if it has one with a correct check digit: a
    /// paid one paid again is the member's credit, a credited or written-off
    /// one waits for the treasurer.
    pub fn outcome(&self, line: &Line, found: Option<(i64, InvoiceStatus)>) -> Outcome {
        if !line.currency.eq_ignore_ascii_case(self.currency) {
            return review(ReviewReason::Currency, None);
        }
        if let Some(r) = line.reference.filter(|r| !r.trim().is_empty()) {
            if reference::check(self.scheme, r).is_err() {
                return review(ReviewReason::CheckDigit, self.best(line));
            }
            return match found {
                Some((id, InvoiceStatus::Credited | InvoiceStatus::WrittenOff)) => {
                    Outcome::Review {
                        reason: ReviewReason::ClosedInvoice,
                        suggestion: Some(id),
                        score: None,
                    }
                }
                Some((id, _)) => Outcome::Invoice {
                    id,
                    by: MatchedBy::Reference,
                    score: None,
                },
                None => review(ReviewReason::UnknownReference, self.best(line)),
            };
        }
        match self.best(line) {
            Some((id, score, lead)) if score >= CERTAIN && lead >= LEAD => Outcome::Invoice {
                id,
                by: MatchedBy::Text,
                score: Some(score.min(100)),
            },
            Some(best) if best.1 >= SUGGEST => review(ReviewReason::Uncertain, Some(best)),
            _ => review(ReviewReason::NoMatch, None),
        }
    }

    /// The best-scoring unpaid invoice, its score and its lead over the
    /// next.
    fn best(&self, line: &Line) -> Option<(i64, u32, u32)> {
        let mut scores: HashMap<i64, (u32, &Invoice)> = HashMap::new();
        let mut add = |i: &'a Invoice, points: u32| {
            scores.entry(i.id).or_insert((0, i)).0 += points;
        };
        let text_words = words(line.text);
        if let Some(r) = reference::find_in(self.scheme, line.text) {
            if let Some(i) = self.by_reference.get(r.as_str()) {
                add(i, REFERENCE_IN_TEXT);
            }
        }
        for w in &text_words {
            for i in self.by_number.get(w).into_iter().flatten() {
                add(i, NUMBER);
            }
        }
        let mut names: Vec<String> = vec![words(line.payer).join(" ")];
        names.extend(text_words.windows(2).map(|w| w.join(" ")));
        names.extend(text_words.windows(3).map(|w| w.join(" ")));
        names.sort();
        names.dedup();
        for n in &names {
            for i in self.by_name.get(n).into_iter().flatten() {
                add(i, NAME);
            }
        }
        for (points, i) in scores.values_mut() {
            if line.amount == i.amount - i.paid {
                *points += AMOUNT;
            }
        }
        let mut ranked: Vec<(u32, i64)> = scores.iter().map(|(id, (s, _))| (*s, *id)).collect();
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let (score, id) = *ranked.first()?;
        let next = ranked.get(1).map_or(0, |r| r.0);
        Some((id, score, score - next))
    }
}

fn review(reason: ReviewReason, best: Option<(i64, u32, u32)>) -> Outcome {
    let best = best.filter(|b| b.1 >= SUGGEST);
    Outcome::Review {
        reason,
        suggestion: best.map(|b| b.0),
        score: best.map(|b| b.1.min(100)),
    }
}

/// Folded words (letters and digits) of a text.
fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether a bank file's account is one of the organisation's: its
/// Bankgiro, Plusgiro, account number or IBAN. Spaces, dashes and dots do
/// not count; an IBAN ends with the domestic account number. With no bank
/// details kept, every account is accepted.
pub fn is_ours(payments: &Payments, account: &str) -> bool {
    let clean = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase()
    };
    let file = clean(account);
    let mut ours: Vec<String> = [
        &payments.bankgiro,
        &payments.plusgiro,
        &payments.account,
        &payments.iban,
    ]
    .iter()
    .map(|s| clean(s))
    .filter(|s| !s.is_empty())
    .collect();
    // A Swedish account's number without its clearing number.
    if let Some((_, number)) = payments.account.split_once('-') {
        ours.push(clean(number));
    }
    if ours.is_empty() {
        return true;
    }
    let file_digits = file.trim_start_matches(|c: char| c.is_ascii_uppercase());
    ours.iter().any(|o| {
        *o == file
            || (o.len() >= 7 && file.ends_with(o.as_str()))
            || (file_digits.len() >= 7 && o.ends_with(file_digits))
    })
}
