//! Saved selections: a name for a search and its filters ("Styrelsen",
//! "Aktiva i Malmö"), so letters, labels and lists can be made for the same
//! members again. Stored in the register's settings.

use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::{Reads, Store, UnitOfWork};
use crate::types::ListQuery;

const KEY: &str = "saved_selections";

/// A named selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Selection {
    pub name: String,
    pub query: ListQuery,
}

/// The saved selections, by name.
pub fn list(reg: &dyn Reads) -> Result<Vec<Selection>> {
    let mut all: Vec<Selection> = reg
        .setting(KEY)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    all.sort_by_key(|s| s.name.to_lowercase());
    Ok(all)
}

/// The selection called `name`.
pub fn get(reg: &dyn Reads, name: &str) -> Result<Selection> {
    list(reg)?
        .into_iter()
        .find(|s| s.name == name.trim())
        .ok_or(Error::NotFound("selection"))
}

/// Saves (or replaces) a selection; the page and order are not part of it.
pub fn save(reg: &mut dyn Store, name: &str, query: &ListQuery) -> Result<Selection> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::Validation(vec![FieldError::new(
            "name",
            FieldCode::Required,
        )]));
    }
    if name.chars().count() > 80 {
        return Err(Error::field("name", FieldCode::TooLong));
    }
    let work = reg.begin()?;
    let mut all = list(&*work)?;
    all.retain(|s| s.name != name);
    let saved = Selection {
        name: name.to_owned(),
        query: ListQuery {
            offset: 0,
            limit: ListQuery::default().limit,
            ..query.clone()
        },
    };
    all.push(saved.clone());
    keep(&*work, &all)?;
    work.commit()?;
    Ok(saved)
}

pub fn delete(reg: &mut dyn Store, name: &str) -> Result<()> {
    let work = reg.begin()?;
    let mut all = list(&*work)?;
    let before = all.len();
    all.retain(|s| s.name != name.trim());
    if all.len() == before {
        return Err(Error::NotFound("selection"));
    }
    keep(&*work, &all)?;
    work.commit()
}

fn keep(work: &dyn UnitOfWork, all: &[Selection]) -> Result<()> {
    work.put_setting(KEY, &serde_json::to_string(all).unwrap_or_default())
}
