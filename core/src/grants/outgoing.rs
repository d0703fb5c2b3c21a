//! The club's own applications to its federation or another funder: what,
//! how much, the deadline, where it stands and the money received.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::money;
use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::sqlite::SqliteRegister;
use crate::types::dates::now;
use crate::types::{string_enum, Currency};

string_enum!(
    OutgoingStatus {
        Planned = "planned",
        Submitted = "submitted",
        Approved = "approved",
        Rejected = "rejected",
        Received = "received",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outgoing {
    pub id: i64,
    pub funder: String,
    pub title: String,
    pub amount: i64,
    pub currency: Currency,
    pub deadline: Option<NaiveDate>,
    pub status: OutgoingStatus,
    pub received: Option<i64>,
    pub note: String,
}

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
        } else if text.chars().count() > max {
            errors.push(FieldError::new(field, FieldCode::TooLong));
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
        let d = NaiveDate::parse_from_str(input.deadline.trim(), "%Y-%m-%d").ok();
        if d.is_none() {
            errors.push(FieldError::new("deadline", FieldCode::InvalidDate));
        }
        d
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
    if input.note.chars().count() > 5_000 {
        errors.push(FieldError::new("note", FieldCode::TooLong));
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

fn from_row(r: &Row) -> rusqlite::Result<Outgoing> {
    let currency: String = r.get(4)?;
    let deadline: Option<String> = r.get(5)?;
    let status: String = r.get(6)?;
    Ok(Outgoing {
        id: r.get(0)?,
        funder: r.get(1)?,
        title: r.get(2)?,
        amount: r.get(3)?,
        currency: Currency::parse(&currency).unwrap_or(Currency::Sek),
        deadline: deadline.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        status: OutgoingStatus::parse(&status).unwrap_or(OutgoingStatus::Planned),
        received: r.get(7)?,
        note: r.get(8)?,
    })
}

const COLUMNS: &str = "id, funder, title, amount, currency, deadline, status, received, note \
     FROM outgoing_applications";

fn load(reg: &SqliteRegister, id: i64) -> Result<Outgoing> {
    reg.connection()
        .query_row(&format!("SELECT {COLUMNS} WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(Error::NotFound("outgoing application"))
}

/// Saves a new one (`id` None) or changes one.
pub fn save(reg: &mut SqliteRegister, id: Option<i64>, input: &OutgoingInput) -> Result<Outgoing> {
    let c = check(input)?;
    let currency = reg.org_or_err()?.currency;
    let at = now();
    let values = params![
        input.funder.trim(),
        input.title.trim(),
        c.amount,
        currency.as_str(),
        c.deadline.map(|d| d.to_string()),
        c.status.as_str(),
        c.received,
        input.note.trim_end(),
        at
    ];
    let id = match id {
        None => {
            reg.connection().execute(
                "INSERT INTO outgoing_applications (funder, title, amount, currency, deadline, \
                 status, received, note, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
                values,
            )?;
            reg.connection().last_insert_rowid()
        }
        Some(id) => {
            load(reg, id)?;
            reg.connection().execute(
                &format!(
                    "UPDATE outgoing_applications SET funder = ?1, title = ?2, amount = ?3, \
                     currency = ?4, deadline = ?5, status = ?6, received = ?7, note = ?8, \
                     updated_at = ?9 WHERE id = {id}"
                ),
                values,
            )?;
            id
        }
    };
    load(reg, id)
}

/// The club's applications: open ones by deadline first, then the rest.
pub fn list(reg: &SqliteRegister) -> Result<Vec<Outgoing>> {
    let mut stmt = reg.connection().prepare(&format!(
        "SELECT {COLUMNS} ORDER BY status NOT IN ('planned', 'submitted'), deadline IS NULL, \
         deadline, id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn delete(reg: &mut SqliteRegister, id: i64) -> Result<()> {
    let n = reg
        .connection()
        .execute("DELETE FROM outgoing_applications WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(Error::NotFound("outgoing application"));
    }
    Ok(())
}
