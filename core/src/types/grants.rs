//! The grants' data: funds, applications with their stage, amounts, budget
//! lines, steps and attachments, and the club's own applications to others.
//! The rules live in `crate::grants` (the workflow in `grants::workflow`),
//! the keeping in `crate::store`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::dates::Timestamp;
use super::{string_enum, Currency};

string_enum!(
    /// Where an application stands.
    Stage {
        Draft = "draft",
        Submitted = "submitted",
        InReview = "in_review",
        Approved = "approved",
        Rejected = "rejected",
        Paid = "paid",
        ReportReceived = "report_received",
        Closed = "closed",
        Withdrawn = "withdrawn",
    }
);

impl Stage {
    /// Waiting for a decision: counts as requested in the fund's overview.
    pub fn is_open(self) -> bool {
        matches!(self, Stage::Submitted | Stage::InReview)
    }

    /// The money has gone out.
    pub fn is_paid(self) -> bool {
        matches!(self, Stage::Paid | Stage::ReportReceived | Stage::Closed)
    }

    /// An application may be changed until it is decided.
    pub fn is_editable(self) -> bool {
        matches!(self, Stage::Draft | Stage::Submitted | Stage::InReview)
    }
}

/// An application's amounts, minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Amounts {
    pub requested: i64,
    pub approved: Option<i64>,
    pub paid: Option<i64>,
}

string_enum!(
    /// Who applies: a member, or a branch or workplace group (with a
    /// contact member).
    ApplicantKind {
        Member = "member",
        Branch = "branch",
        Workplace = "workplace",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fund {
    pub id: i64,
    pub name: String,
    pub period: String,
    /// Minor units.
    pub budget: i64,
    pub cap: Option<i64>,
    pub currency: Currency,
    pub applicants: Vec<ApplicantKind>,
    pub deadlines: Vec<NaiveDate>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Line {
    pub item: String,
    pub amount: i64,
}

/// Who applies: the member (the applicant, or the contact member of a
/// branch or workplace), and the branch or workplace applying.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Applicant {
    pub member_id: Option<i64>,
    pub branch_id: Option<i64>,
    pub workplace_id: Option<i64>,
}

/// An application's form as checked: who applies and for what. A kept
/// application carries it at the top level of its JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationDetails {
    pub applicant_kind: ApplicantKind,
    #[serde(flatten)]
    pub applicant: Applicant,
    pub title: String,
    pub purpose: String,
    pub activity: String,
    pub planned_date: Option<NaiveDate>,
    pub participants: Option<i64>,
    /// Minor units: the sum of the budget lines.
    pub requested: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: i64,
    pub fund_id: i64,
    pub fund_name: String,
    #[serde(flatten)]
    pub details: ApplicationDetails,
    pub member_name: Option<String>,
    pub member_number: Option<String>,
    pub branch_name: Option<String>,
    pub workplace_name: Option<String>,
    pub stage: Stage,
    pub approved: Option<i64>,
    pub conditions: String,
    pub reason: String,
    pub paid: Option<i64>,
    pub paid_on: Option<NaiveDate>,
    pub payment_ref: String,
    pub report_due: Option<NaiveDate>,
    pub created_at: Timestamp,
    /// Counts the saves of the application's form; `changed_by` made the
    /// last, at `updated_at`.
    pub version: i64,
    pub changed_by: String,
    pub updated_at: Timestamp,
}

/// One step an application took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepRecord {
    pub step: String,
    pub stage: Stage,
    pub on_date: NaiveDate,
    pub at: Timestamp,
    pub amount: Option<i64>,
    pub note: String,
    /// The officer (the database user) who wrote it on the office server;
    /// none in a file (one officer's) or for a line moved from a file.
    #[serde(default)]
    pub by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    pub id: i64,
    pub name: String,
    pub size: i64,
    pub added_at: Timestamp,
}

/// Which applications a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApplicationQuery {
    pub fund_id: Option<i64>,
    pub stage: Option<Stage>,
    /// In the title, the applicant's name or number.
    pub search: String,
    /// Paid, report due before today, not in.
    pub overdue: bool,
}

string_enum!(
    OutgoingStatus {
        Planned = "planned",
        Submitted = "submitted",
        Approved = "approved",
        Rejected = "rejected",
        Received = "received",
    }
);

/// One of the club's own applications to others, kept: its details at the
/// top level of the JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outgoing {
    pub id: i64,
    #[serde(flatten)]
    pub details: OutgoingDetails,
}

/// The club's own application as checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutgoingDetails {
    pub funder: String,
    pub title: String,
    pub amount: i64,
    pub currency: Currency,
    pub deadline: Option<NaiveDate>,
    pub status: OutgoingStatus,
    pub received: Option<i64>,
    pub note: String,
}
