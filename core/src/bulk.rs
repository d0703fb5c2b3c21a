//! Several members at once: the list's bulk actions (a status from a day, a
//! branch, a workplace) for members picked by hand or all that match a
//! search. One unit of work: every member changes, or, on an error or a
//! Stop, none.
//! Members the change does not fit (already resigned, a resignation before
//! they joined) are left as they are and counted.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, Result};
use crate::store::members::Indexing;
use crate::store::Store;
use crate::types::dates::read_date;
use crate::types::{Member, Status};
use crate::validate::ValidMember;

/// The most members one bulk change takes (a register's worth).
pub const MAX_MEMBERS: usize = 200_000;

/// Progress is told, and a Stop looked for, after this many members.
const STEP: usize = 250;

/// From this many members the search index is rebuilt once at the end
/// instead of row by row.
const REINDEX_FROM: usize = 2_000;

/// What to change in every picked member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "change")]
pub enum BulkChange {
    /// The status from `date`, as typed (a later day waits for it, as for
    /// one member).
    #[serde(rename_all = "camelCase")]
    Status { status: Status, date: String },
    /// The branch (`None`: no branch).
    #[serde(rename_all = "camelCase")]
    Branch { branch_id: Option<i64> },
    /// The workplace (`None`: no workplace).
    #[serde(rename_all = "camelCase")]
    Workplace { workplace_id: Option<i64> },
}

/// What a bulk change did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkOutcome {
    /// Members changed (a history line each).
    pub changed: usize,
    /// Members that already had it.
    pub unchanged: usize,
    /// Members it does not fit (a status they cannot go to, a day before
    /// they joined), left as they were.
    pub skipped: usize,
}

/// Applies `change` to the members `ids` (each once, in one unit of work).
pub fn change_members(
    store: &mut dyn Store,
    ids: &[i64],
    change: &BulkChange,
) -> Result<BulkOutcome> {
    change_members_with(store, ids, change, &mut |_, _| {}, &AtomicBool::new(false))
}

/// [`change_members`], telling `progress(done, total)` as it goes; `cancel`
/// set: stops with `cancelled` and nothing changed.
pub fn change_members_with(
    store: &mut dyn Store,
    ids: &[i64],
    change: &BulkChange,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<BulkOutcome> {
    if ids.is_empty() {
        return Err(Error::field("ids", FieldCode::Required));
    }
    if ids.len() > MAX_MEMBERS {
        return Err(Error::field("ids", FieldCode::TooLong));
    }
    let country = store.org_or_err()?.country;
    let day: Option<NaiveDate> = match change {
        BulkChange::Status { date, .. } => {
            Some(read_date(date).map_err(|p| Error::field("date", p.into()))?)
        }
        _ => None,
    };
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let work = store.begin()?;
    match change {
        BulkChange::Branch { branch_id: Some(b) } if !work.branch_exists(*b)? => {
            return Err(Error::field("branchId", FieldCode::InvalidChoice));
        }
        BulkChange::Workplace {
            workplace_id: Some(w),
        } if !work.workplace_exists(*w)? => {
            return Err(Error::field("workplaceId", FieldCode::InvalidChoice));
        }
        _ => {}
    }
    let writes = work.member_writes();
    let indexing = if ids.len() >= REINDEX_FROM {
        Indexing::rebuild_after(country)
    } else {
        Indexing::each_row(country)
    };
    let total = ids.len();
    let mut outcome = BulkOutcome::default();
    progress(0, total);
    for (n, id) in ids.into_iter().enumerate() {
        if n % STEP == 0 && n > 0 {
            if cancel.load(Ordering::SeqCst) {
                // The unit of work is dropped unfinished: nothing changes.
                return Err(Error::Cancelled);
            }
            progress(n, total);
        }
        let m = work.member(id)?;
        match change {
            BulkChange::Status { status, .. } => {
                let date = day.unwrap_or_default();
                if m.status == *status && m.scheduled.is_none() {
                    outcome.unchanged += 1;
                } else if !m.status.can_become(*status) || m.joined_date.is_some_and(|j| date < j) {
                    outcome.skipped += 1;
                } else {
                    writes.apply_status(id, m.status, *status, date)?;
                    outcome.changed += 1;
                }
            }
            BulkChange::Branch { .. } | BulkChange::Workplace { .. } => {
                let valid = changed(&m, change);
                let wrote = writes.update_member(id, &valid, indexing)?;
                if wrote {
                    outcome.changed += 1;
                } else {
                    outcome.unchanged += 1;
                }
            }
        }
    }
    if cancel.load(Ordering::SeqCst) {
        return Err(Error::Cancelled);
    }
    if indexing.search == crate::store::members::Search::RebuildAfter {
        writes.rebuild_search_index()?;
    }
    work.commit()?;
    progress(total, total);
    Ok(outcome)
}

/// The member as stored, with the branch or workplace of `change`.
fn changed(m: &Member, change: &BulkChange) -> ValidMember {
    let (branch_id, workplace_id) = match change {
        BulkChange::Branch { branch_id } => (*branch_id, m.workplace_id),
        BulkChange::Workplace { workplace_id } => (m.branch_id, *workplace_id),
        BulkChange::Status { .. } => (m.branch_id, m.workplace_id),
    };
    ValidMember {
        number: Some(m.number.clone()),
        kind: m.kind,
        contact: m.contact.clone(),
        birth_date: m.birth_date,
        language: m.language,
        membership_type: m.membership_type,
        status: m.status,
        joined_date: m.joined_date,
        branch_id,
        workplace_id,
        notes: m.notes.clone(),
        roles: m.roles.clone(),
    }
}
