//! An application's way through the fund, as pure data: which step may
//! follow which, and the fund's arithmetic that keeps it from ever being
//! promised more than it has.
//!
//! draft → submitted → in review → approved (full or partial) or rejected →
//! paid → report received → closed; withdrawn at any point before payment.
//! A decided amount changes only by reopening the decision.

use serde::{Deserialize, Serialize};

use crate::error::{Details, Error, ErrorCode};
use crate::types::{money, Language};

pub use crate::types::grants::{Amounts, Stage};

/// The steps an application in `stage` can take, in the order the window
/// offers them: the steps [`next`] does not refuse as `NotAllowed` (amounts
/// and the fund's money are checked when the step is taken).
pub fn steps_from(stage: Stage) -> Vec<&'static str> {
    let amounts = Amounts {
        requested: 1,
        approved: Some(1),
        paid: None,
    };
    let room = Room {
        cap: i64::MAX,
        remaining: i64::MAX,
    };
    [
        Step::Submit,
        Step::Review,
        Step::Approve {
            amount: 1,
            up_to_remaining: false,
        },
        Step::Reject,
        Step::Pay { amount: 1 },
        Step::Report,
        Step::Close,
        Step::Reopen,
        Step::Withdraw,
    ]
    .into_iter()
    .filter(|&step| {
        !matches!(
            next(stage, amounts, step, room),
            Err(StepError::NotAllowed { .. })
        )
    })
    .map(Step::name)
    .collect()
}

/// A step the treasurer takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Submit,
    Review,
    /// Approve `amount` (minor units). `up_to_remaining`: if the fund has
    /// less left, approve what it has instead of refusing.
    Approve {
        amount: i64,
        up_to_remaining: bool,
    },
    Reject,
    Pay {
        amount: i64,
    },
    Report,
    Close,
    Withdraw,
    /// Back to review: the decision (and its amount) is undone.
    Reopen,
}

impl Step {
    pub fn name(self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::Review => "review",
            Step::Approve { .. } => "approve",
            Step::Reject => "reject",
            Step::Pay { .. } => "pay",
            Step::Report => "report",
            Step::Close => "close",
            Step::Withdraw => "withdraw",
            Step::Reopen => "reopen",
        }
    }
}

/// Why a step was refused; nothing changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum StepError {
    /// This step cannot follow the application's stage.
    NotAllowed { stage: Stage, step: String },
    /// An amount of zero (or less).
    NoAmount,
    /// More than the application asks for.
    AboveRequested { requested: i64 },
    /// More than the fund's cap per application.
    AboveCap { cap: i64 },
    /// More than the fund has left (budget − committed − paid).
    AboveRemaining { remaining: i64 },
    /// A payment above the approved amount.
    AboveApproved { approved: i64 },
}

impl StepError {
    /// The stable code the shells hand on.
    pub fn code(&self) -> ErrorCode {
        match self {
            StepError::NotAllowed { .. } => ErrorCode::StepNotAllowed,
            StepError::NoAmount => ErrorCode::NoAmount,
            StepError::AboveRequested { .. } => ErrorCode::AboveRequested,
            StepError::AboveCap { .. } => ErrorCode::AboveCap,
            StepError::AboveRemaining { .. } => ErrorCode::AboveRemaining,
            StepError::AboveApproved { .. } => ErrorCode::AboveApproved,
        }
    }

    fn message(&self) -> String {
        let kr = |v: &i64| money::format(*v, Language::En);
        match self {
            StepError::NotAllowed { stage, step } => {
                format!("an application that is {stage} cannot take the step {step:?}")
            }
            StepError::NoAmount => "the amount must be more than zero".to_owned(),
            StepError::AboveRequested { requested } => {
                format!("more than the application asks for ({})", kr(requested))
            }
            StepError::AboveCap { cap } => {
                format!("more than the fund's cap per application ({})", kr(cap))
            }
            StepError::AboveRemaining { remaining } => format!(
                "more than the fund has left ({}); approve less, or choose to approve what remains",
                kr(remaining)
            ),
            StepError::AboveApproved { approved } => {
                format!("more than the approved amount ({})", kr(approved))
            }
        }
    }
}

impl From<StepError> for Error {
    fn from(e: StepError) -> Error {
        let mut details = Details::default();
        match &e {
            StepError::NotAllowed { stage, step } => {
                details.stage = Some(stage.as_str().to_owned());
                details.step = Some(step.clone());
            }
            StepError::NoAmount => {}
            StepError::AboveRequested { requested: a }
            | StepError::AboveCap { cap: a }
            | StepError::AboveRemaining { remaining: a }
            | StepError::AboveApproved { approved: a } => details.amount = Some(*a),
        }
        Error::Step {
            code: e.code(),
            message: e.message(),
            details: Box::new(details),
        }
    }
}

/// What the fund allows this application: its cap per application and
/// what is left when this application's own commitment is not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Room {
    pub cap: i64,
    pub remaining: i64,
}

/// The stage and amounts after `step`, or why not.
pub fn next(
    stage: Stage,
    amounts: Amounts,
    step: Step,
    room: Room,
) -> Result<(Stage, Amounts), StepError> {
    use Stage::*;
    let refuse = || StepError::NotAllowed {
        stage,
        step: step.name().to_owned(),
    };
    match (stage, step) {
        (Draft, Step::Submit) => {
            if amounts.requested <= 0 {
                return Err(StepError::NoAmount);
            }
            Ok((Submitted, amounts))
        }
        (Submitted, Step::Review) => Ok((InReview, amounts)),
        (
            Submitted | InReview,
            Step::Approve {
                amount,
                up_to_remaining,
            },
        ) => {
            if amount <= 0 {
                return Err(StepError::NoAmount);
            }
            if amount > amounts.requested {
                return Err(StepError::AboveRequested {
                    requested: amounts.requested,
                });
            }
            if amount > room.cap {
                return Err(StepError::AboveCap { cap: room.cap });
            }
            let amount = if amount > room.remaining {
                if up_to_remaining && room.remaining > 0 {
                    room.remaining
                } else {
                    return Err(StepError::AboveRemaining {
                        remaining: room.remaining.max(0),
                    });
                }
            } else {
                amount
            };
            Ok((
                Approved,
                Amounts {
                    approved: Some(amount),
                    ..amounts
                },
            ))
        }
        (Submitted | InReview, Step::Reject) => Ok((Rejected, amounts)),
        (Approved, Step::Pay { amount }) => {
            let approved = amounts.approved.unwrap_or(0);
            if amount <= 0 {
                return Err(StepError::NoAmount);
            }
            if amount > approved {
                return Err(StepError::AboveApproved { approved });
            }
            Ok((
                Paid,
                Amounts {
                    paid: Some(amount),
                    ..amounts
                },
            ))
        }
        (Paid, Step::Report) => Ok((ReportReceived, amounts)),
        (ReportReceived | Rejected | Withdrawn, Step::Close) => Ok((Closed, amounts)),
        (Draft | Submitted | InReview | Approved, Step::Withdraw) => Ok((
            Withdrawn,
            Amounts {
                approved: None,
                ..amounts
            },
        )),
        (Approved | Rejected, Step::Reopen) => Ok((
            InReview,
            Amounts {
                approved: None,
                ..amounts
            },
        )),
        _ => Err(refuse()),
    }
}

/// A fund at a glance, minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub budget: i64,
    /// Asked for by applications waiting for a decision.
    pub requested: i64,
    /// Approved, not yet paid.
    pub committed: i64,
    pub paid: i64,
    /// budget − committed − paid; never below zero.
    pub remaining: i64,
}

/// The fund's totals from its applications' stages and amounts.
pub fn totals(budget: i64, applications: impl IntoIterator<Item = (Stage, Amounts)>) -> Totals {
    let mut t = Totals {
        budget,
        ..Default::default()
    };
    for (stage, a) in applications {
        if stage.is_open() {
            t.requested += a.requested;
        } else if stage == Stage::Approved {
            t.committed += a.approved.unwrap_or(0);
        } else if stage.is_paid() {
            t.paid += a.paid.unwrap_or(0);
        }
    }
    t.remaining = budget - t.committed - t.paid;
    t
}
