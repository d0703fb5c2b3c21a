//! What an import would change in the members it matches, field by field,
//! the choices the treasurer makes about that before anything is written
//! ([`ImportOptions`]), and the fingerprint that ties a commit to the
//! preview it was chosen from.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::columns::{self, Column};
use crate::types::{Member, Role, Status};
use crate::validate::ValidMember;

/// One field of a member that an import would change: its key (the
/// mapping's field names: `lastName`, `branch`, `roles`, `status`,
/// `statusDate`, ...) and its value before and after as text (dates ISO,
/// codes as in the DTOs, roles as [`columns::format_roles`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A stored member that a row of the file would change, with only the
/// fields that really change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MemberChange {
    /// The row as the spreadsheet numbers it (the header is row 1).
    pub row: usize,
    pub id: i64,
    /// The member's number, first and last name as they stand now.
    pub number: String,
    pub first_name: String,
    pub last_name: String,
    pub fields: Vec<FieldChange>,
}

/// Whether a commit writes the rows that change existing members.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Updates {
    /// New members and changes to existing ones.
    #[default]
    All,
    /// Only new members: every existing member is left as it is.
    None,
}

/// What the treasurer chose after the preview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ImportOptions {
    pub updates: Updates,
    /// Rows (as the spreadsheet numbers them) left out: new members not
    /// created, existing members not changed.
    pub skip_rows: Vec<usize>,
    /// The preview's `fingerprint`. Given, the commit is refused with
    /// `import_changed` (nothing written) when the file or the register
    /// changed so that it would write anything else than that preview showed.
    pub fingerprint: Option<String>,
}

/// The fields that change from `cur` to `new`. `branch` and `workplace` are
/// the names `new` would have; `status` a status change with its date.
pub(super) fn field_changes(
    cur: &Member,
    new: &ValidMember,
    branch: &str,
    workplace: &str,
    status: Option<(Status, chrono::NaiveDate)>,
) -> Vec<FieldChange> {
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut out = Vec::new();
    for &col in Column::ALL {
        let after = match col {
            Column::Number => new.number.clone().unwrap_or_else(|| cur.number.clone()),
            Column::Kind => new.kind.to_string(),
            Column::FirstName => new.contact.first_name.clone(),
            Column::LastName => new.contact.last_name.clone(),
            Column::CareOf => new.contact.address.care_of.clone(),
            Column::Address1 => new.contact.address.address1.clone(),
            Column::Address2 => new.contact.address.address2.clone(),
            Column::Postcode => new.contact.address.postcode.clone(),
            Column::City => new.contact.address.city.clone(),
            Column::Country => new.contact.address.country.clone(),
            Column::Email => new.contact.email.clone(),
            Column::Phone => new.contact.phone.clone(),
            Column::BirthDate => date(new.birth_date),
            Column::Language => new.language.to_string(),
            Column::MembershipType => new.membership_type.to_string(),
            Column::JoinedDate => date(new.joined_date),
            Column::Branch => branch.to_owned(),
            Column::Workplace => workplace.to_owned(),
            Column::Notes => new.notes.clone(),
            Column::Roles => {
                if role_keys(&cur.roles) == role_keys(&new.roles) {
                    continue;
                }
                columns::format_roles(&new.roles)
            }
            Column::Status => match status {
                Some((to, _)) => to.to_string(),
                None => continue,
            },
            Column::StatusDate => match status {
                Some((_, d)) => d.to_string(),
                None => continue,
            },
        };
        let before = columns::cell(cur, col);
        if before != after {
            out.push(FieldChange {
                field: col.key().to_owned(),
                old: before,
                new: after,
            });
        }
    }
    out
}

/// Roles compared as the store compares them: sets of (role, from, to).
fn role_keys(
    roles: &[Role],
) -> Vec<(
    crate::types::RoleKind,
    chrono::NaiveDate,
    Option<chrono::NaiveDate>,
)> {
    let mut k: Vec<_> = roles.iter().map(|r| (r.role, r.from, r.to)).collect();
    k.sort();
    k
}

/// FNV-1a over what a plan would write: the same file and register give the
/// same text in every build and on every computer, so the window, the CLI
/// and the commit agree on it.
pub(super) struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint(0xcbf2_9ce4_8422_2325)
    }
}

impl std::fmt::Write for Fingerprint {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        for b in s.bytes() {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // A separator after every piece, so ("ab", "c") differs from ("a", "bc").
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        Ok(())
    }
}

impl Fingerprint {
    /// A new member from `row`, written as `member` (its Debug text names
    /// every field) with the branch and workplace names it creates.
    pub(super) fn new_member(
        &mut self,
        row: usize,
        member: &ValidMember,
        branch: Option<&str>,
        workplace: Option<&str>,
    ) {
        let _ = write!(self, "new {row} {member:?} {branch:?} {workplace:?}");
    }

    /// A change to a stored member: which member and exactly which fields
    /// from what to what.
    pub(super) fn change(&mut self, c: &MemberChange) {
        let _ = write!(self, "change {} {}", c.row, c.id);
        for f in &c.fields {
            let _ = write!(self, "{}", f.field);
            let _ = write!(self, "{}", f.old);
            let _ = write!(self, "{}", f.new);
        }
    }

    pub(super) fn text(&self) -> String {
        format!("{:016x}", self.0)
    }
}
