//! The club's own applications to its federation or another funder: what,
//! how much, the deadline, where it stands and the money received.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::Store;
use crate::types::dates::now;
use crate::types::grants::OutgoingDetails;
use crate::types::money;
use crate::validate::{text_problem, Lines};

pub use crate::types::grants::{Outgoing, OutgoingStatus};

/// As typed: amounts in kr as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct OutgoingInput {
    pub funder: String,
    pub title: String,
    pub amount: String,
    pub deadline: String,
    /// Empty: planned.
    pub status: String,
    pub received: String,
    pub note: String,
}

struct Checked {
    amount: i64,
    deadline: Option<NaiveDate>,
    status: OutgoingStatus,
    received: Option<i64>,
}

fn check(input: &OutgoingInput) -> Result<Checked> {
    let mut errors = Vec::new();
    for (field, text, max) in [("funder", &input.funder, 200), ("title", &input.title, 200)] {
        if text.trim().is_empty() {
            errors.push(FieldError::new(field, FieldCode::Required));
        } else if let Some(code) = text_problem(text, max, Lines::One) {
            errors.push(FieldError::new(field, code));
        }
    }
    let amount = money::parse(&input.amount);
    if amount.is_none() {
        errors.push(FieldError::new(
            "amount",
            if input.amount.trim().is_empty() {
                FieldCode::Required
            } else {
                FieldCode::InvalidAmount
            },
        ));
    }
    let deadline = if input.deadline.trim().is_empty() {
        None
    } else {
        match crate::types::dates::read_date(&input.deadline) {
            Ok(d) => Some(d),
            Err(problem) => {
                errors.push(FieldError::new("deadline", problem.into()));
                None
            }
        }
    };
    let status = if input.status.trim().is_empty() {
        Some(OutgoingStatus::Planned)
    } else {
        OutgoingStatus::parse(input.status.trim())
    };
    if status.is_none() {
        errors.push(FieldError::new("status", FieldCode::InvalidChoice));
    }
    let received = if input.received.trim().is_empty() {
        None
    } else {
        let r = money::parse(&input.received);
        if r.is_none() {
            errors.push(FieldError::new("received", FieldCode::InvalidAmount));
        }
        r
    };
    if let Some(code) = text_problem(&input.note, 5_000, Lines::Many) {
        errors.push(FieldError::new("note", code));
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    Ok(Checked {
        amount: amount.unwrap_or(0),
        deadline,
        status: status.unwrap_or(OutgoingStatus::Planned),
        received,
    })
}

/// Saves a new one (`id` None) or changes one.
pub fn save(store: &mut dyn Store, id: Option<i64>, input: &OutgoingInput) -> Result<Outgoing> {
    let c = check(input)?;
    let currency = store.org_or_err()?.currency;
    if let Some(id) = id {
        store.grants().outgoing(id)?;
    }
    let record = OutgoingDetails {
        funder: input.funder.trim().to_owned(),
        title: input.title.trim().to_owned(),
        amount: c.amount,
        currency,
        deadline: c.deadline,
        status: c.status,
        received: c.received,
        note: input.note.trim_end().to_owned(),
    };
    let work = store.begin()?;
    let id = work.grant_writes().save_outgoing(id, &record, now())?;
    work.commit()?;
    store.grants().outgoing(id)
}

/// The club's applications: open ones by deadline first, then the rest.
pub fn list(store: &dyn Store) -> Result<Vec<Outgoing>> {
    store.grants().outgoings()
}

pub fn delete(store: &mut dyn Store, id: i64) -> Result<()> {
    let work = store.begin()?;
    if !work.grant_writes().delete_outgoing(id)? {
        return Err(Error::NotFound("outgoing application"));
    }
    work.commit()
}
