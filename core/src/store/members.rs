//! Members written in bulk inside one unit of work: an import of thousands
//! of rows, the demo register. (One member at a time goes through
//! [`super::Register`], each write its own transaction.)

use chrono::NaiveDate;

use crate::error::Result;
use crate::store::history::HistoryLine;
use crate::types::dates::Timestamp;
use crate::types::{Country, HistoryKind, Member, Org, Role, Status};
use crate::validate::ValidMember;

/// How the indexes keep up with the writes: the sort keys follow the
/// alphabet of the organisation's country; the search index follows row by
/// row, or once at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indexing {
    pub country: Country,
    pub search: Search,
}

/// When the search index catches up with the writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// Row by row (a few rows).
    EachRow,
    /// Once, by [`MemberWrites::rebuild_search_index`] at the end (many).
    RebuildAfter,
}

impl Indexing {
    pub fn each_row(country: Country) -> Indexing {
        Indexing {
            country,
            search: Search::EachRow,
        }
    }

    pub fn rebuild_after(country: Country) -> Indexing {
        Indexing {
            country,
            search: Search::RebuildAfter,
        }
    }
}

/// Writing members, branches, workplaces and the organisation: only inside
/// a unit of work.
pub trait MemberWrites {
    /// Has the register an organisation yet?
    fn has_org(&self) -> Result<bool>;
    fn insert_org(&self, org: &Org, at: Timestamp) -> Result<()>;
    fn insert_branch(&self, name: &str) -> Result<i64>;
    fn insert_workplace(&self, name: &str, branch_id: Option<i64>) -> Result<i64>;
    /// A new member with their roles and the history line of their creation.
    fn insert_member(&self, m: &ValidMember, status_date: NaiveDate, ix: Indexing) -> Result<i64>;
    /// Changes a member, a history line per changed field; false when
    /// nothing changed.
    fn update_member(&self, id: i64, m: &ValidMember, ix: Indexing) -> Result<bool>;
    /// A status change effective `date`, with its history line.
    fn apply_status(&self, id: i64, from: Status, to: Status, date: NaiveDate) -> Result<()>;
    fn rebuild_search_index(&self) -> Result<()>;
}

/// One history line of a member's save, its texts owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: HistoryKind,
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
    pub effective: Option<NaiveDate>,
}

impl Change {
    /// The history line that records it.
    pub fn line(&self, member_id: i64, at: Timestamp) -> HistoryLine<'_> {
        HistoryLine {
            field: Some(&self.field),
            old: self.old.as_deref(),
            new: self.new.as_deref(),
            effective: self.effective,
            ..HistoryLine::of(member_id, at, self.kind)
        }
    }
}

/// What saving `m` over `old` changes, the stores' one rule: a line per
/// changed field (`number`, `branch` and `workplace` as saved, the names
/// of the branch and workplace), a line per role ended or begun; and whether
/// the roles changed. Nothing when nothing changed.
pub fn changes(
    old: &Member,
    m: &ValidMember,
    number: &str,
    branch: &str,
    workplace: &str,
) -> (Vec<Change>, bool) {
    let show = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let mut pairs: Vec<(&str, String, String)> = vec![
        ("number", old.number.clone(), number.to_owned()),
        ("kind", old.kind.to_string(), m.kind.to_string()),
    ];
    let contact = old.contact.fields().into_iter().zip(m.contact.fields());
    pairs.extend(contact.map(|((name, was), (_, is))| (name, was.to_owned(), is.to_owned())));
    pairs.extend([
        ("birthDate", show(old.birth_date), show(m.birth_date)),
        ("language", old.language.to_string(), m.language.to_string()),
        (
            "membershipType",
            old.membership_type.to_string(),
            m.membership_type.to_string(),
        ),
        ("joinedDate", show(old.joined_date), show(m.joined_date)),
        (
            "branchName",
            old.branch_name.clone().unwrap_or_default(),
            branch.to_owned(),
        ),
        (
            "workplaceName",
            old.workplace_name.clone().unwrap_or_default(),
            workplace.to_owned(),
        ),
        ("notes", old.notes.clone(), m.notes.clone()),
    ]);
    let mut out: Vec<Change> = pairs
        .into_iter()
        .filter(|(_, before, after)| before != after)
        .map(|(field, before, after)| Change {
            kind: HistoryKind::Changed,
            field: field.to_owned(),
            old: Some(before),
            new: Some(after),
            effective: None,
        })
        .collect();
    // Roles: compared as sets of (role, from, to).
    let key = |r: &Role| (r.role, r.from, r.to);
    let term = |r: &Role| format!("{}–{}", r.from, show(r.to));
    let mut old_roles: Vec<_> = old.roles.iter().map(key).collect();
    let mut new_roles: Vec<_> = m.roles.iter().map(key).collect();
    old_roles.sort();
    new_roles.sort();
    let roles_changed = old_roles != new_roles;
    if roles_changed {
        for r in old.roles.iter().filter(|r| !new_roles.contains(&key(r))) {
            out.push(Change {
                kind: HistoryKind::Role,
                field: r.role.as_str().to_owned(),
                old: Some(term(r)),
                new: None,
                effective: None,
            });
        }
        for r in m.roles.iter().filter(|r| !old_roles.contains(&key(r))) {
            out.push(Change {
                kind: HistoryKind::Role,
                field: r.role.as_str().to_owned(),
                old: None,
                new: Some(term(r)),
                effective: Some(r.from),
            });
        }
    }
    (out, roles_changed)
}

/// `m` with the stored address country kept where the form's means the
/// same (no country and the organisation's own, `home`, are one address:
/// the form shows the one for the other), so no history line says it
/// changed; `None` when `m` stands as it is.
pub fn same_country(old: &Member, m: &ValidMember, home: Country) -> Option<ValidMember> {
    let norm = |c: &str| {
        if c.is_empty() {
            home.as_str().to_owned()
        } else {
            c.to_uppercase()
        }
    };
    let (was, is) = (&old.contact.address.country, &m.contact.address.country);
    (was != is && norm(was) == norm(is)).then(|| {
        let mut same = m.clone();
        same.contact.address.country = was.clone();
        same
    })
}
