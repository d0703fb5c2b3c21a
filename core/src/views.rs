//! How the member list is shown: as a list of names, or as a table with the
//! columns the treasurer picked (and in which order they sort it). Kept in
//! the register's settings, so the window shows it the same way after a
//! restart.

use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, Result};
use crate::store::{Reads, Store};
use crate::types::TableColumn;

const KEY: &str = "member_view";

/// The member list's view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MemberView {
    /// A table (one line a member) instead of the list of names.
    pub table: bool,
    /// The table's columns, in order; the name is always among them.
    pub columns: Vec<TableColumn>,
}

impl Default for MemberView {
    fn default() -> Self {
        MemberView {
            table: false,
            columns: vec![
                TableColumn::Number,
                TableColumn::Name,
                TableColumn::City,
                TableColumn::Status,
            ],
        }
    }
}

/// The view as last chosen (the default on a new register).
pub fn get(reg: &dyn Reads) -> Result<MemberView> {
    Ok(reg
        .setting(KEY)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Keeps the chosen view: the columns once each, the name always shown.
pub fn set(reg: &mut dyn Store, view: &MemberView) -> Result<MemberView> {
    if !view.columns.contains(&TableColumn::Name) {
        return Err(Error::field("columns", FieldCode::Required));
    }
    let mut columns = Vec::new();
    for c in &view.columns {
        if !columns.contains(c) {
            columns.push(*c);
        }
    }
    let kept = MemberView {
        table: view.table,
        columns,
    };
    let work = reg.begin()?;
    work.put_setting(KEY, &serde_json::to_string(&kept).unwrap_or_default())?;
    work.commit()?;
    Ok(kept)
}
