//! The dues' data: the organisation's payment details, fee rules, a fee
//! run's plan, and invoices. The rules live in `crate::dues`, the keeping in
//! `crate::store::dues`. Amounts are integer minor units.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{string_enum, Currency, MembershipType};

string_enum!(
    /// How long a fee covers.
    PeriodKind {
        Year = "year",
        HalfYear = "half_year",
        Quarter = "quarter",
        Month = "month",
    }
);

impl PeriodKind {
    pub fn months(self) -> u32 {
        match self {
            PeriodKind::Year => 12,
            PeriodKind::HalfYear => 6,
            PeriodKind::Quarter => 3,
            PeriodKind::Month => 1,
        }
    }
}

/// A period a fee run bills: "2027", "2027-H1", "2027-Q3" or "2027-05".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub name: String,
    pub kind: PeriodKind,
    /// The first day.
    pub start: NaiveDate,
    /// The last day.
    pub end: NaiveDate,
}

impl Period {
    /// Reads a period's name; `None` when it is not one.
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim().to_ascii_uppercase();
        let (year, rest) = match s.split_once('-') {
            Some((y, r)) => (y, Some(r)),
            None => (s.as_str(), None),
        };
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year.parse().ok()?;
        if !(1900..=2200).contains(&year) {
            return None;
        }
        let (kind, first_month) = match rest {
            None => (PeriodKind::Year, 1),
            Some("H1") => (PeriodKind::HalfYear, 1),
            Some("H2") => (PeriodKind::HalfYear, 7),
            Some(q) if q.len() == 2 && q.starts_with('Q') => {
                let n: u32 = q[1..].parse().ok()?;
                if !(1..=4).contains(&n) {
                    return None;
                }
                (PeriodKind::Quarter, 3 * n - 2)
            }
            Some(m) if m.len() == 2 && m.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u32 = m.parse().ok()?;
                if !(1..=12).contains(&n) {
                    return None;
                }
                (PeriodKind::Month, n)
            }
            Some(_) => return None,
        };
        let start = NaiveDate::from_ymd_opt(year, first_month, 1)?;
        let end = start
            .checked_add_months(Months::new(kind.months()))?
            .pred_opt()?;
        let name = match kind {
            PeriodKind::Year => format!("{year}"),
            PeriodKind::HalfYear => format!("{year}-H{}", if first_month == 1 { 1 } else { 2 }),
            PeriodKind::Quarter => format!("{year}-Q{}", first_month.div_ceil(3)),
            PeriodKind::Month => format!("{year}-{first_month:02}"),
        };
        Some(Period {
            name,
            kind,
            start,
            end,
        })
    }

    /// The months of the period from `day`'s month on (a member who joins
    /// during the period), at least one.
    pub fn months_from(&self, day: NaiveDate) -> u32 {
        if day <= self.start {
            return self.kind.months();
        }
        let months =
            (self.end.year() - day.year()) * 12 + self.end.month() as i32 - day.month() as i32 + 1;
        months.clamp(1, self.kind.months() as i32) as u32
    }
}

string_enum!(
    /// Which check digits the organisation's Norwegian bank agreement uses
    /// for KID.
    KidCheck { Mod10 = "mod10", Mod11 = "mod11" }
);

/// The organisation's bank details, as kept (each written the usual way,
/// empty when not used): Settings → Payments.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Payments {
    pub bankgiro: String,
    pub plusgiro: String,
    /// A domestic account number (Swedish clearing + account, Norwegian 11
    /// digits, Danish registration + account).
    pub account: String,
    pub iban: String,
    pub bic: String,
    /// Norway: KID check digits by agreement.
    pub kid: Option<KidCheck>,
    /// Sweden: OCR references carry a length digit.
    pub ocr_length_digit: bool,
    /// Denmark: the FI creditor number (FIK 71).
    pub creditor: String,
    pub swish: String,
    pub vipps: String,
    pub mobilepay: String,
}

/// The bank details as typed (Settings → Payments, `org set`): `None`
/// leaves a field as it is, an empty text clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentsInput {
    pub bankgiro: Option<String>,
    pub plusgiro: Option<String>,
    pub account: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub kid: Option<String>,
    pub ocr_length_digit: Option<bool>,
    pub creditor: Option<String>,
    pub swish: Option<String>,
    pub vipps: Option<String>,
    pub mobilepay: Option<String>,
}

/// A fee rule: what a member of a type pays per period, from a day on.
/// With `branch_id` it is the branch's supplement, added to the fee.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FeeRule {
    pub id: i64,
    /// `None`: every type (but honorary, which is free).
    pub membership_type: Option<MembershipType>,
    pub period: PeriodKind,
    pub amount: i64,
    /// Only members younger than this on the period's first day.
    pub age_under: Option<u32>,
    /// Only members with this income band.
    pub income_band: Option<String>,
    /// A household's fee: billed once, to the payer.
    pub household: bool,
    pub branch_id: Option<i64>,
    pub branch_name: Option<String>,
    pub valid_from: NaiveDate,
}

/// A fee rule as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FeeRuleInput {
    /// Empty: every type.
    pub membership_type: String,
    pub period: String,
    pub amount: String,
    pub age_under: Option<String>,
    pub income_band: String,
    pub household: bool,
    pub branch_id: Option<i64>,
    /// Empty: from the first day of this year.
    pub valid_from: String,
}

/// What a member pays with: the income band unions charge by and the
/// household's payer (another member), if any.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberDues {
    pub income_band: Option<String>,
    pub payer_id: Option<i64>,
}

string_enum!(
    /// Why a member is not billed as the rules say, in a run's preview:
    /// honorary (pays nothing), resigned (or deceased) before the period,
    /// applicant (not admitted yet), joined during the period (billed; pro
    /// rata if chosen), unreachable (no postal address and no e-mail; billed,
    /// but the invoice reaches nobody), already billed for the period, no
    /// fee rule fits, in a household whose payer is billed the household's
    /// fee.
    Exception {
        Honorary = "honorary",
        Resigned = "resigned",
        Applicant = "applicant",
        JoinedDuring = "joined_during",
        Unreachable = "unreachable",
        AlreadyBilled = "already_billed",
        NoRule = "no_rule",
        InHousehold = "in_household",
    }
);

impl Exception {
    /// Whether the member still gets an invoice.
    pub fn billed(self) -> bool {
        matches!(self, Exception::JoinedDuring | Exception::Unreachable)
    }
}

/// One line of an invoice: the fee, a supplement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceLine {
    /// `fee`, `household` or `supplement`.
    pub kind: String,
    /// The rule's membership type or the branch's name.
    pub text: String,
    pub amount: i64,
}

/// An invoice a run would write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedInvoice {
    pub member_id: i64,
    /// The member's number.
    pub member: String,
    pub name: String,
    pub amount: i64,
    pub lines: Vec<InvoiceLine>,
    /// Members this invoice pays for besides the payer.
    pub household: Vec<i64>,
}

/// A member the run treats apart, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunException {
    pub member_id: i64,
    pub member: String,
    pub name: String,
    pub reason: Exception,
    /// Whether the member still gets an invoice.
    pub billed: bool,
}

/// How many members one reason concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionCount {
    pub reason: Exception,
    pub count: usize,
}

/// A fee run's preview, or what it wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunPlan {
    /// The run's id once written; `None` in a preview.
    pub run_id: Option<i64>,
    pub period: Period,
    pub due: NaiveDate,
    pub pro_rata: bool,
    pub currency: Currency,
    pub count: usize,
    pub total: i64,
    /// Each reason with how many members it concerns.
    pub exception_counts: Vec<ExceptionCount>,
    pub exceptions: Vec<RunException>,
    pub invoices: Vec<PlannedInvoice>,
    /// The written invoices (with their references), after a run.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub written: Vec<Invoice>,
}

string_enum!(InvoiceStatus {
    Open = "open",
    PartlyPaid = "partly_paid",
    Paid = "paid",
    Credited = "credited",
    WrittenOff = "written_off",
});

/// An invoice as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invoice {
    pub id: i64,
    pub run_id: Option<i64>,
    pub member_id: i64,
    /// The member's number.
    pub member: String,
    pub name: String,
    pub period: String,
    pub amount: i64,
    pub paid: i64,
    pub currency: Currency,
    pub reference: String,
    pub status: InvoiceStatus,
    pub issued: NaiveDate,
    pub due: NaiveDate,
    pub lines: Vec<InvoiceLine>,
    /// Reminders sent, and the day of the last.
    pub reminders: u32,
    pub reminded: Option<NaiveDate>,
    /// The member's branch.
    pub branch: Option<String>,
}

string_enum!(RunState {
    Written = "written",
    Cancelled = "cancelled",
});

/// A fee run as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DuesRun {
    pub id: i64,
    pub period: String,
    pub due: NaiveDate,
    pub pro_rata: bool,
    pub state: RunState,
    pub count: i64,
    pub total: i64,
    pub created_at: super::Timestamp,
}

/// When reminders go out and what arrears the statutes allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DuesSettings {
    /// Days after the due date for the first reminder.
    pub first_reminder_days: u32,
    /// Days after the due date for the second reminder.
    pub second_reminder_days: u32,
    /// Added to the invoice with the second reminder (minor units; 0: none).
    pub reminder_fee: i64,
    /// Days overdue after which the statutes let the board strike a member
    /// off: such members are suggested for resignation.
    pub arrears_days: u32,
}

impl Default for DuesSettings {
    fn default() -> Self {
        DuesSettings {
            first_reminder_days: 14,
            second_reminder_days: 30,
            reminder_fee: 0,
            arrears_days: 90,
        }
    }
}

/// The settings as typed (`dues settings`, the window): `None` leaves one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DuesSettingsInput {
    pub first_reminder_days: Option<String>,
    pub second_reminder_days: Option<String>,
    pub reminder_fee: Option<String>,
    pub arrears_days: Option<String>,
}

/// An invoice a reminder run would remind, and which reminder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reminder {
    pub invoice: Invoice,
    /// 1 or 2.
    pub level: u32,
    pub days_overdue: i64,
}

/// One unpaid invoice past its due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Arrear {
    pub invoice_id: i64,
    pub member_id: i64,
    pub member: String,
    pub name: String,
    pub branch: Option<String>,
    pub period: String,
    /// What is left to pay.
    pub left: i64,
    pub due: NaiveDate,
    pub days_overdue: i64,
    pub reminders: u32,
    /// Overdue longer than the statutes allow: suggested for resignation
    /// (the treasurer decides).
    pub suggest_resignation: bool,
}

/// What one branch's members owe past due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BranchArrears {
    pub branch: Option<String>,
    pub count: usize,
    pub total: i64,
}

/// The arrears list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Arrears {
    pub rows: Vec<Arrear>,
    pub branches: Vec<BranchArrears>,
    pub total: i64,
}

/// What was billed for a period (in a branch, or in all), and how it stands.
/// Credited invoices are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub period: String,
    /// The members' branch; `None` for the period in all (and for members
    /// in no branch, in `branches`).
    pub branch: Option<String>,
    pub invoices: i64,
    pub billed: i64,
    pub paid: i64,
    /// Left to pay of the open and partly paid invoices.
    pub outstanding: i64,
    pub written_off: i64,
}

/// The payments received in a month (`2027-01`): booked, waiting for the
/// treasurer, or other income; not the reversed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthTotal {
    pub month: String,
    pub count: i64,
    pub amount: i64,
}

/// The dues overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Overview {
    /// Per period, newest first.
    pub periods: Vec<Totals>,
    /// Per period and branch.
    pub branches: Vec<Totals>,
    /// What members have paid beyond their invoices.
    pub credit: i64,
    /// The last twelve months, oldest first, months without payments too.
    pub months: Vec<MonthTotal>,
}
