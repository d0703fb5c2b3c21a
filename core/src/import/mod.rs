//! Importing members from the spreadsheets treasurers already have.
//!
//! [`preview`] reads the file, maps its columns and classifies every row
//! (new, updated, unchanged, or a problem) without writing anything.
//! [`commit`] does the same and then writes everything in one transaction:
//! all or nothing, cancellable, with progress. Rows match existing members by
//! member number, else by e-mail, so a re-import updates instead of
//! duplicating. The preview lists every stored member a row would change,
//! field by field (`changes`); the commit leaves out what the treasurer
//! chose to leave out ([`ImportOptions`]) and is refused when the file or
//! the register changed since that preview (its `fingerprint`). Each change
//! lands in the member's history, with a line naming the file.

pub mod changes;
pub mod ods;
pub mod table;
pub mod values;

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::columns::Column;
use crate::error::{Error, Result};
use crate::store::history::HistoryLine;
use crate::store::members::{Indexing, Search};
use crate::store::{Store, UnitOfWork};
use crate::types::*;
use crate::validate::{self, ValidMember};
use changes::Fingerprint;
pub use changes::{FieldChange, ImportOptions, MemberChange, Updates};
use table::{FileFormat, Table};

/// One column of the file and the member field it fills (`None`: ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportColumn {
    pub index: usize,
    pub header: String,
    pub field: Option<String>,
    /// The first few non-empty values, to help the user map it.
    pub samples: Vec<String>,
}

/// One thing wrong with one row (or, with `row` 1, with the header).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportProblem {
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: usize,
    /// The column's header, when one column is at fault.
    pub column: Option<String>,
    /// The member field, when one is at fault.
    pub field: Option<String>,
    /// A field error code (`required`, `invalid_date`, ...) or
    /// `duplicate_in_file`.
    pub code: String,
    /// The offending value as it stands in the file.
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportPreview {
    pub format: FileFormat,
    pub encoding: Option<String>,
    pub delimiter: Option<String>,
    pub columns: Vec<ImportColumn>,
    pub rows: usize,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub problems: Vec<ImportProblem>,
    /// Every stored member a row would change, in the file's order, with
    /// only the fields that change (`updated` of them).
    pub changes: Vec<MemberChange>,
    /// What the import would write, as a short text: a commit given it is
    /// refused (`import_changed`) when it would write anything else.
    pub fingerprint: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportSummary {
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows that would have created or changed a member, left out by choice.
    pub skipped: usize,
    /// The members the import created or changed ("show the imported
    /// members" picks them in the list).
    pub ids: Vec<i64>,
}

/// How the user mapped the columns: per column index a field key, or `None`
/// to ignore the column. `None` as a whole: automatic (a mapping saved for
/// these headers, else the recognised headers).
pub type Mapping = Vec<Option<String>>;

enum Op {
    New {
        row: usize,
        member: Box<ValidMember>,
        refs: Refs,
        status_date: NaiveDate,
    },
    Update {
        row: usize,
        id: i64,
        member: Box<ValidMember>,
        refs: Refs,
        status: Option<(Status, Status, NaiveDate)>,
    },
}

/// Branch and workplace names that do not exist yet and are created on commit.
#[derive(Default, Clone)]
struct Refs {
    new_branch: Option<String>,
    new_workplace: Option<String>,
}

struct Plan {
    preview: ImportPreview,
    ops: Vec<Op>,
}

/// From this many rows to write, the search index is rebuilt once at the end.
const BULK_ROWS: usize = 2_000;

/// The settings key under which a mapping is saved for a set of headers.
fn mapping_key(headers: &[String]) -> String {
    let sig: Vec<String> = headers
        .iter()
        .map(|h| crate::text::fold(h.trim()))
        .collect();
    format!("import_mapping:{}", sig.join("\u{1f}"))
}

fn resolve_mapping(
    reg: &dyn Store,
    t: &Table,
    given: Option<&Mapping>,
) -> Result<Vec<Option<Column>>> {
    let saved: Option<Mapping> = match given {
        Some(_) => None,
        None => reg
            .setting(&mapping_key(&t.headers))?
            .and_then(|s| serde_json::from_str(&s).ok()),
    };
    let chosen = given.or(saved.as_ref());
    let mut columns: Vec<Option<Column>> = match chosen {
        Some(m) => (0..t.headers.len())
            .map(|i| {
                m.get(i)
                    .cloned()
                    .flatten()
                    .and_then(|k| Column::from_key(&k))
            })
            .collect(),
        None => t.headers.iter().map(|h| Column::recognise(h)).collect(),
    };
    // A field mapped twice: the first column wins, the others are ignored.
    let mut seen = std::collections::HashSet::new();
    for c in columns.iter_mut() {
        if let Some(col) = c {
            if !seen.insert(*col) {
                *c = None;
            }
        }
    }
    if given.is_some() {
        if let Some(bad) = given
            .into_iter()
            .flatten()
            .flatten()
            .find(|k| Column::from_key(k).is_none())
        {
            return Err(Error::InvalidMapping(bad.clone()));
        }
    }
    let has = |c: Column| columns.contains(&Some(c));
    if !((has(Column::FirstName) && has(Column::LastName))
        || has(Column::Number)
        || has(Column::Email))
    {
        return Err(Error::MissingColumns);
    }
    Ok(columns)
}

/// Reads `path` and says what an import would do. Writes nothing.
pub fn preview(reg: &dyn Store, path: &Path, mapping: Option<&Mapping>) -> Result<ImportPreview> {
    Ok(plan(reg, path, mapping)?.preview)
}

/// Imports `path`: refused (nothing written) when the preview has problems,
/// or when `options.fingerprint` is not the preview's now (`import_changed`:
/// the file or the register changed since the user saw it); else, leaving
/// out what `options` leaves out, everything in one transaction, each member
/// written with a history line naming the file. `progress(done, total)` is
/// called as rows are written; a set `cancel` rolls everything back. A given
/// mapping is saved for the next file with the same headers.
pub fn commit(
    reg: &mut dyn Store,
    path: &Path,
    mapping: Option<&Mapping>,
    options: &ImportOptions,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<ImportSummary> {
    let org = reg.org_or_err()?;
    let plan = plan(reg, path, mapping)?;
    if !plan.preview.problems.is_empty() {
        return Err(Error::ImportProblems(plan.preview.problems.len()));
    }
    if let Some(seen) = &options.fingerprint {
        if *seen != plan.preview.fingerprint {
            return Err(Error::ImportChanged);
        }
    }
    let skip: std::collections::HashSet<usize> = options.skip_rows.iter().copied().collect();
    let planned = plan.ops.len();
    let ops: Vec<Op> = plan
        .ops
        .into_iter()
        .filter(|op| match op {
            Op::New { row, .. } => !skip.contains(row),
            Op::Update { row, .. } => options.updates == Updates::All && !skip.contains(row),
        })
        .collect();
    let new = ops.iter().filter(|o| matches!(o, Op::New { .. })).count();
    let mut summary = ImportSummary {
        new,
        updated: ops.len() - new,
        unchanged: plan.preview.unchanged,
        skipped: planned - ops.len(),
        ids: Vec::with_capacity(ops.len()),
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let total = ops.len();
    let table_headers: Vec<String> = plan
        .preview
        .columns
        .iter()
        .map(|c| c.header.clone())
        .collect();
    // Many rows: index them all at once at the end (much faster than row by
    // row); a few: keep the index as we go.
    let indexing = if total >= BULK_ROWS {
        Indexing::rebuild_after(org.country)
    } else {
        Indexing::each_row(org.country)
    };
    let work = reg.begin()?;
    let w = work.member_writes();
    let history = work.history_writes();
    let mut branches: HashMap<String, i64> = HashMap::new();
    let mut workplaces: HashMap<String, i64> = HashMap::new();
    for (done, op) in ops.into_iter().enumerate() {
        if done % 1000 == 0 {
            if cancel.load(Ordering::Relaxed) {
                return Err(Error::Cancelled);
            }
            progress(done, total);
        }
        match op {
            Op::New {
                member,
                refs,
                status_date,
                ..
            } => {
                let mut m = *member;
                resolve_refs(&*work, &mut m, &refs, &mut branches, &mut workplaces)?;
                let id = w.insert_member(&m, status_date, indexing)?;
                imported(history, id, &file_name)?;
                summary.ids.push(id);
            }
            Op::Update {
                id,
                member,
                refs,
                status,
                ..
            } => {
                let mut m = *member;
                resolve_refs(&*work, &mut m, &refs, &mut branches, &mut workplaces)?;
                w.update_member(id, &m, indexing)?;
                if let Some((from, to, date)) = status {
                    w.apply_status(id, from, to, date)?;
                }
                imported(history, id, &file_name)?;
                summary.ids.push(id);
            }
        }
    }
    if cancel.load(Ordering::Relaxed) {
        return Err(Error::Cancelled);
    }
    if indexing.search == Search::RebuildAfter {
        w.rebuild_search_index()?;
    }
    if let Some(m) = mapping {
        work.put_setting(
            &mapping_key(&table_headers),
            &serde_json::to_string(m).unwrap_or_default(),
        )?;
    }
    work.commit()?;
    progress(total, total);
    Ok(summary)
}

/// The history line that says a member came from or was changed by the
/// file `file_name` (its name only, never the folder).
fn imported(
    history: &dyn crate::store::history::HistoryWrites,
    id: i64,
    file_name: &str,
) -> Result<()> {
    history.record(&HistoryLine {
        new: Some(file_name),
        ..HistoryLine::of(id, crate::types::dates::now(), HistoryKind::Imported)
    })
}

fn resolve_refs(
    work: &dyn UnitOfWork,
    m: &mut ValidMember,
    refs: &Refs,
    branches: &mut HashMap<String, i64>,
    workplaces: &mut HashMap<String, i64>,
) -> Result<()> {
    if let Some(name) = &refs.new_branch {
        let key = crate::text::fold(name);
        let id = match branches.get(&key) {
            Some(id) => *id,
            None => {
                let id = work.member_writes().insert_branch(name)?;
                branches.insert(key, id);
                id
            }
        };
        m.branch_id = Some(id);
    }
    if let Some(name) = &refs.new_workplace {
        let key = crate::text::fold(name);
        let id = match workplaces.get(&key) {
            Some(id) => *id,
            None => {
                let id = work.member_writes().insert_workplace(name, m.branch_id)?;
                workplaces.insert(key, id);
                id
            }
        };
        m.workplace_id = Some(id);
    }
    Ok(())
}

/// What the register holds, indexed for matching rows.
struct Existing {
    members: HashMap<i64, Member>,
    by_number: HashMap<String, i64>,
    by_email: HashMap<String, i64>,
    branches: HashMap<String, i64>,
    workplaces: HashMap<String, i64>,
    /// Names by id, for what a row would set.
    names: HashMap<(bool, i64), String>,
}

fn existing(reg: &dyn Store) -> Result<Existing> {
    let mut e = Existing {
        members: HashMap::new(),
        by_number: HashMap::new(),
        by_email: HashMap::new(),
        branches: HashMap::new(),
        workplaces: HashMap::new(),
        names: HashMap::new(),
    };
    reg.for_each_member(&ListQuery::default(), &mut |m| {
        e.by_number.insert(m.number.clone(), m.id);
        if !m.contact.email.is_empty() {
            e.by_email
                .entry(m.contact.email.to_lowercase())
                .or_insert(m.id);
        }
        e.members.insert(m.id, m.clone());
        Ok(())
    })?;
    for b in reg.branches()? {
        e.branches.insert(crate::text::fold(&b.name), b.id);
        e.names.insert((true, b.id), b.name);
    }
    for w in reg.workplaces()? {
        e.workplaces
            .entry(crate::text::fold(&w.name))
            .or_insert(w.id);
        e.names.insert((false, w.id), w.name);
    }
    Ok(e)
}

/// The form a stored member would be typed in, for merging a row into it.
fn to_input(m: &Member) -> MemberInput {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    MemberInput {
        number: m.number.clone(),
        kind: m.kind.to_string(),
        contact: Contact {
            first_name: m.contact.first_name.clone(),
            last_name: m.contact.last_name.clone(),
            address: m.contact.address.clone(),
            email: m.contact.email.clone(),
            phone: m.contact.phone.clone(),
        },
        birth_date: date(m.birth_date),
        language: m.language.to_string(),
        membership_type: m.membership_type.to_string(),
        status: m.status.to_string(),
        joined_date: date(m.joined_date),
        branch_id: m.branch_id,
        workplace_id: m.workplace_id,
        notes: m.notes.clone(),
        roles: m
            .roles
            .iter()
            .map(|r| RoleInput {
                id: None,
                role: r.role.to_string(),
                from: r.from.to_string(),
                to: date(r.to),
            })
            .collect(),
        // An import writes what its preview showed (`import_changed`).
        version: None,
    }
}

fn plan(reg: &dyn Store, path: &Path, mapping: Option<&Mapping>) -> Result<Plan> {
    let org = reg.org_or_err()?;
    let t = table::read(path)?;
    let columns = resolve_mapping(reg, &t, mapping)?;
    let ex = existing(reg)?;
    let today = crate::types::dates::today();
    let header_of = |c: Column| -> Option<String> {
        columns
            .iter()
            .position(|x| *x == Some(c))
            .map(|i| t.headers[i].clone())
    };
    let mut problems = Vec::new();
    let mut ops = Vec::new();
    let mut unchanged = 0;
    let mut changes = Vec::new();
    let mut fingerprint = Fingerprint::default();
    let mut seen_numbers: HashMap<String, usize> = HashMap::new();
    let mut seen_emails: HashMap<String, usize> = HashMap::new();

    for (row, cells) in &t.rows {
        let row = *row;
        let value = |c: Column| -> Option<String> {
            columns
                .iter()
                .position(|x| *x == Some(c))
                .map(|i| crate::export::unneutralise(cells[i].trim()).to_owned())
        };
        let mut problem = |c: Column, code: &str, v: &str| {
            problems.push(ImportProblem {
                row,
                column: header_of(c),
                field: Some(c.key().to_owned()),
                code: code.to_owned(),
                value: v.to_owned(),
            });
        };
        let number = value(Column::Number)
            .map(|n| values::member_number(&n))
            .unwrap_or_default();
        let email = value(Column::Email).unwrap_or_default().to_lowercase();
        if !number.is_empty() {
            if seen_numbers.insert(number.clone(), row).is_some() {
                problem(Column::Number, "duplicate_in_file", &number);
                continue;
            }
        } else if !email.is_empty() && seen_emails.insert(email.clone(), row).is_some() {
            problem(Column::Email, "duplicate_in_file", &email);
            continue;
        }
        let matched = if number.is_empty() {
            ex.by_email
                .get(&email)
                .copied()
                .filter(|_| !email.is_empty())
        } else {
            ex.by_number.get(&number).copied().or_else(|| {
                ex.by_email
                    .get(&email)
                    .copied()
                    .filter(|_| !email.is_empty())
            })
        };
        // A number in the file that exists always matches its member, so a
        // row can never take another member's number.
        let current = matched.and_then(|id| ex.members.get(&id));
        let mut input = current.map(to_input).unwrap_or_else(|| MemberInput {
            kind: Kind::Member.to_string(),
            ..Default::default()
        });
        let mut refs = Refs::default();
        let mut raw_status: Option<String> = None;
        let mut raw_status_date: Option<String> = None;
        let mut bad_value = false;
        for (i, col) in columns.iter().enumerate() {
            let Some(col) = *col else { continue };
            let v = crate::export::unneutralise(cells[i].trim()).to_owned();
            match col {
                // An empty number keeps the member's (or gets the next free one).
                Column::Number if number.is_empty() => {}
                Column::Number => input.number = number.clone(),
                Column::Kind => input.kind = values::kind(&v),
                Column::FirstName => input.contact.first_name = v,
                Column::LastName => input.contact.last_name = v,
                Column::CareOf => input.contact.address.care_of = v,
                Column::Address1 => input.contact.address.address1 = v,
                Column::Address2 => input.contact.address.address2 = v,
                Column::Postcode => input.contact.address.postcode = v,
                Column::City => input.contact.address.city = v,
                Column::Country => input.contact.address.country = values::country(&v),
                Column::Email => input.contact.email = v,
                Column::Phone => input.contact.phone = v,
                Column::BirthDate => input.birth_date = Some(values::date(&v)),
                Column::Language => input.language = values::language(&v),
                Column::MembershipType => input.membership_type = values::membership_type(&v),
                Column::Status => raw_status = Some(v),
                Column::StatusDate => raw_status_date = Some(v),
                Column::JoinedDate => input.joined_date = Some(values::date(&v)),
                Column::Branch => {
                    input.branch_id = None;
                    if !v.is_empty() {
                        match ex.branches.get(&crate::text::fold(&v)) {
                            Some(id) => input.branch_id = Some(*id),
                            None => refs.new_branch = Some(v),
                        }
                    }
                }
                Column::Workplace => {
                    input.workplace_id = None;
                    if !v.is_empty() {
                        match ex.workplaces.get(&crate::text::fold(&v)) {
                            Some(id) => input.workplace_id = Some(*id),
                            None => refs.new_workplace = Some(v),
                        }
                    }
                }
                Column::Notes => input.notes = v,
                Column::Roles => match values::roles(&v) {
                    Some(r) => input.roles = r,
                    None => {
                        problem(Column::Roles, "invalid_choice", &v);
                        bad_value = true;
                    }
                },
            }
        }
        // Status: on a new member it is simply the status; on an existing one
        // a different value is a status change with its date.
        let status = match raw_status.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match values::status(s) {
                Some(st) => Some(st),
                None => {
                    problem(Column::Status, "invalid_choice", s);
                    bad_value = true;
                    None
                }
            },
        };
        let status_date = match raw_status_date.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match crate::types::dates::parse_date(&values::date(s)) {
                Some(d) => Some(d),
                None => {
                    problem(Column::StatusDate, "invalid_date", s);
                    bad_value = true;
                    None
                }
            },
        };
        if current.is_none() {
            input.status = status.unwrap_or(Status::Active).to_string();
        }
        let valid = match validate::member(&input, org.country.language(), today) {
            Ok(v) => v,
            Err(e) => {
                for f in e.fields() {
                    let col = column_of_field(&f.field);
                    let raw = col.and_then(value).unwrap_or_default();
                    problems.push(ImportProblem {
                        row,
                        column: col.and_then(header_of),
                        field: Some(
                            col.map(|c| c.key().to_owned())
                                .unwrap_or_else(|| f.field.clone()),
                        ),
                        code: f.code.as_str().to_owned(),
                        value: raw,
                    });
                }
                continue;
            }
        };
        if bad_value {
            continue;
        }
        match current {
            None => {
                fingerprint.new_member(
                    row,
                    &valid,
                    refs.new_branch.as_deref(),
                    refs.new_workplace.as_deref(),
                );
                ops.push(Op::New {
                    row,
                    status_date: status_date.or(valid.joined_date).unwrap_or(today),
                    member: Box::new(valid),
                    refs,
                })
            }
            Some(cur) => {
                let status_change = status
                    .filter(|s| *s != cur.status)
                    .map(|s| (cur.status, s, status_date.unwrap_or(today)));
                let name = |branch: bool, new: &Option<String>, id: Option<i64>| {
                    new.clone()
                        .or_else(|| id.and_then(|id| ex.names.get(&(branch, id)).cloned()))
                        .unwrap_or_default()
                };
                let fields = changes::field_changes(
                    cur,
                    &valid,
                    &name(true, &refs.new_branch, valid.branch_id),
                    &name(false, &refs.new_workplace, valid.workplace_id),
                    status_change.map(|(_, to, date)| (to, date)),
                );
                if fields.is_empty() {
                    unchanged += 1;
                } else {
                    let change = MemberChange {
                        row,
                        id: cur.id,
                        number: cur.number.clone(),
                        first_name: cur.contact.first_name.clone(),
                        last_name: cur.contact.last_name.clone(),
                        fields,
                    };
                    fingerprint.change(&change);
                    changes.push(change);
                    ops.push(Op::Update {
                        row,
                        id: cur.id,
                        member: Box::new(valid),
                        refs,
                        status: status_change,
                    });
                }
            }
        }
    }
    let new = ops.iter().filter(|o| matches!(o, Op::New { .. })).count();
    let updated = ops.len() - new;
    let preview = ImportPreview {
        format: t.format,
        encoding: t.encoding.map(str::to_owned),
        delimiter: t.delimiter.map(|d| d.to_string()),
        columns: t
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| ImportColumn {
                index: i,
                header: h.clone(),
                field: columns[i].map(|c| c.key().to_owned()),
                samples: t
                    .rows
                    .iter()
                    .map(|(_, r)| r[i].trim())
                    .filter(|v| !v.is_empty())
                    .take(3)
                    .map(str::to_owned)
                    .collect(),
            })
            .collect(),
        rows: t.rows.len(),
        new,
        updated,
        unchanged,
        problems,
        changes,
        fingerprint: fingerprint.text(),
    };
    Ok(Plan { preview, ops })
}

/// The column a validation error's field belongs to.
fn column_of_field(field: &str) -> Option<Column> {
    if field.starts_with("roles.") {
        return Some(Column::Roles);
    }
    match field {
        "branchId" => Some(Column::Branch),
        "workplaceId" => Some(Column::Workplace),
        other => Column::from_key(other),
    }
}
