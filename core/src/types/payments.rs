//! Payments in: what a bank file held or the treasurer registered, where
//! each went, and what waits for the treasurer. The rules live in
//! `crate::dues::pay`, the keeping in `crate::store::payments`. Amounts are
//! integer minor units.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{string_enum, Currency};

string_enum!(
    /// How a payment came in: from a bank file, or registered by hand.
    Method {
        File = "file",
        Cash = "cash",
        Swish = "swish",
        Vipps = "vipps",
        MobilePay = "mobilepay",
        Bank = "bank",
    }
);

string_enum!(
    /// Where a payment stands.
    PaymentState {
        // On a member: allocated to invoices, the rest credit.
        Booked = "booked",
        // Waiting for the treasurer to say whose it is.
        Review = "review",
        // Not a member's payment: booked as other income.
        OtherIncome = "other_income",
        // Taken back: its invoices are open again as far as it paid them.
        Reversed = "reversed",
    }
);

string_enum!(
    /// How a booked payment found its member.
    MatchedBy {
        // Its structured reference, check digit verified.
        Reference = "reference",
        // Its amount, the member's number and name in the text, with a score.
        Text = "text",
        // Registered by hand for the member.
        Hand = "hand",
        // Assigned by the treasurer from the review queue.
        Treasurer = "treasurer",
    }
);

string_enum!(
    /// Why a payment waits for the treasurer.
    ReviewReason {
        // A reference no invoice has.
        UnknownReference = "unknown_reference",
        // A reference whose check digit is wrong: never matched by itself.
        CheckDigit = "check_digit",
        // A reference of a credited or written-off invoice.
        ClosedInvoice = "closed_invoice",
        // An invoice looks likely, but not certainly.
        Uncertain = "uncertain",
        // Nothing points to a member.
        NoMatch = "no_match",
        // Another currency than the organisation's.
        Currency = "currency",
    }
);

/// What of a payment went to one invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Allocation {
    pub invoice_id: i64,
    pub period: String,
    pub amount: i64,
}

/// A payment as kept (or, in a dry run, as it would be).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    /// 0 in a dry run.
    pub id: i64,
    pub method: Method,
    pub date: NaiveDate,
    pub amount: i64,
    pub currency: String,
    pub reference: Option<String>,
    pub text: String,
    pub payer: String,
    pub member_id: Option<i64>,
    /// The member's number and name, when booked on a member.
    pub member: Option<String>,
    pub name: Option<String>,
    pub state: PaymentState,
    pub matched_by: Option<MatchedBy>,
    pub reason: Option<ReviewReason>,
    /// The invoice matching thinks most likely, and how sure it is (0-100).
    pub suggestion: Option<i64>,
    pub score: Option<u32>,
    pub allocations: Vec<Allocation>,
    /// What of it is not allocated to an invoice: credit on the member.
    pub credit: i64,
    /// The bank file it came from.
    pub file: Option<String>,
}

/// What reading a bank file did (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub format: String,
    pub message_id: String,
    pub dry_run: bool,
    /// The file was read before: nothing of it was booked again.
    pub file_already_read: bool,
    /// Payments received in the file.
    pub read: usize,
    pub total: i64,
    /// Booked on members.
    pub matched: Vec<Payment>,
    /// Waiting for the treasurer.
    pub review: Vec<Payment>,
    /// Payments already booked from an earlier file (the same bank
    /// transaction), not booked again.
    pub already_read: usize,
    /// Entries that are not payments received (money paid out, reversals).
    pub skipped: usize,
}

/// A payment registered by hand.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HandPayment {
    pub member_id: i64,
    /// As typed ("1200", "1200,50").
    pub amount: String,
    /// As typed; empty: today.
    pub date: String,
    /// `cash`, `swish`, `vipps`, `mobilepay` or `bank`.
    pub method: String,
    /// The invoice it pays; none: the member's oldest unpaid ones.
    pub invoice_id: Option<i64>,
}

/// What the treasurer says a waiting payment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "to")]
pub enum Assignment {
    /// This invoice (and its member; more than it lacks is credit).
    Invoice { id: i64 },
    /// This member: their oldest unpaid invoices, the rest credit.
    Member { id: i64 },
    /// Not a member's payment.
    OtherIncome,
}

/// A member's dues at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberAccount {
    pub member_id: i64,
    /// Unpaid on open and partly paid invoices.
    pub owed: i64,
    /// Paid and not allocated to an invoice.
    pub credit: i64,
    pub currency: Currency,
    /// What the member pays with: the income band, and the household's
    /// payer (number and name) when another member pays.
    pub income_band: Option<String>,
    pub payer_id: Option<i64>,
    pub payer: Option<String>,
}
