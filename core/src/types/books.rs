//! The books: the accounts the vouchers are booked on, the vouchers an
//! export holds and what an export reports.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{string_enum, Country};

string_enum!(
    /// The file an export writes: SIE 4 (type 4I) for Swedish accounting
    /// programs, or a CSV journal for Danish and Norwegian ones.
    BookFormat { Sie4 = "sie4", Csv = "csv" }
);

/// The accounts' fields with their names, borrowed (`&` or `&mut`): for
/// [`Accounts`] and [`AccountsInput`] alike.
macro_rules! each_account {
    ($this:ident, $($borrow:tt)+) => {
        [
            ("receivable", $($borrow)+ $this.receivable),
            ("bank", $($borrow)+ $this.bank),
            ("fees", $($borrow)+ $this.fees),
            ("reminderFees", $($borrow)+ $this.reminder_fees),
            ("otherIncome", $($borrow)+ $this.other_income),
            ("credit", $($borrow)+ $this.credit),
            ("unassigned", $($borrow)+ $this.unassigned),
            ("writeOff", $($borrow)+ $this.write_off),
            ("grants", $($borrow)+ $this.grants),
        ]
    };
}

/// The account numbers the vouchers are booked on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Accounts {
    /// What members owe (an invoice's total until it is paid).
    pub receivable: String,
    /// Where payments arrive.
    pub bank: String,
    /// Membership fees (fee, household and supplement lines).
    pub fees: String,
    /// The second reminder's fee.
    pub reminder_fees: String,
    /// Payments booked as other income.
    pub other_income: String,
    /// What members paid beyond their invoices.
    pub credit: String,
    /// Payments waiting in the review queue.
    pub unassigned: String,
    /// Invoices written off.
    pub write_off: String,
    /// Grants paid out.
    pub grants: String,
}

impl Accounts {
    /// The defaults for a country: BAS in Sweden, NS 4102 in Norway, and a
    /// common small-business plan in Denmark.
    pub fn defaults(country: Country) -> Accounts {
        let [receivable, bank, fees, reminder_fees, other_income, credit, unassigned, write_off, grants] =
            match country {
                Country::Se => [
                    "1510", "1930", "3001", "3590", "3990", "2420", "2999", "6351", "6993",
                ],
                Country::No => [
                    "1500", "1920", "3900", "8050", "3990", "2900", "2990", "7830", "7420",
                ],
                Country::Dk => [
                    "5600", "5820", "1000", "1090", "1900", "6850", "6990", "2790", "2800",
                ],
            };
        Accounts {
            receivable: receivable.into(),
            bank: bank.into(),
            fees: fees.into(),
            reminder_fees: reminder_fees.into(),
            other_income: other_income.into(),
            credit: credit.into(),
            unassigned: unassigned.into(),
            write_off: write_off.into(),
            grants: grants.into(),
        }
    }

    /// Every account with its field's name, in the order above.
    pub fn fields(&self) -> [(&'static str, &String); 9] {
        each_account!(self, &)
    }

    pub(crate) fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        each_account!(self, &mut)
            .into_iter()
            .find(|(n, _)| *n == name)
            .map(|(_, slot)| slot)
    }
}

/// Accounts to change: a field left out stays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AccountsInput {
    pub receivable: Option<String>,
    pub bank: Option<String>,
    pub fees: Option<String>,
    pub reminder_fees: Option<String>,
    pub other_income: Option<String>,
    pub credit: Option<String>,
    pub unassigned: Option<String>,
    pub write_off: Option<String>,
    pub grants: Option<String>,
}

impl AccountsInput {
    pub(crate) fn fields(&self) -> [(&'static str, &Option<String>); 9] {
        each_account!(self, &)
    }

    pub(crate) fn fields_mut(&mut self) -> [(&'static str, &mut Option<String>); 9] {
        each_account!(self, &mut)
    }
}

/// One line of a voucher: positive is debit, negative credit (minor units).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoucherLine {
    pub account: String,
    pub amount: i64,
}

string_enum!(VoucherState {
    // Not in an earlier export.
    New = "new",
    // In an earlier export, and changed since: the file holds the difference.
    Correction = "correction",
    // In an earlier export as it is now.
    Exported = "exported",
});

/// A voucher: what happened on one day to one invoice, payment or grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Voucher {
    /// What it books, stable across exports (`invoice:12`, `payment:7`,
    /// `writeoff:12`, `grant:3`).
    pub key: String,
    pub date: NaiveDate,
    pub text: String,
    /// Balanced: the amounts add up to 0.
    pub lines: Vec<VoucherLine>,
    pub state: VoucherState,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookExport {
    pub format: BookFormat,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Vouchers in the file.
    pub vouchers: usize,
    /// Of them, new since the last export.
    pub new: usize,
    /// Of them, corrections of vouchers exported before and changed since.
    pub corrections: usize,
    /// Vouchers of the period exported before and unchanged: in the file
    /// only when every voucher was asked for.
    pub earlier: usize,
    /// The sum of the debits in the file.
    pub total: i64,
    /// The keys of the new vouchers and corrections, in the file's order.
    pub new_keys: Vec<String>,
}

/// What an export would hold, before it is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BookPreview {
    pub vouchers: Vec<Voucher>,
    pub export: BookExport,
}
