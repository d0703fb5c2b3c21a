//! Members on the server: rows, numbers, roles, every write with its history
//! lines, status changes and the list's SQL. The rules are the file's
//! (`store/sqlite/members.rs`); the SQL is PostgreSQL's, and search reads
//! the folded words the core stores (`LIKE '% word%'` on a trigram index),
//! not the server's locale.

use chrono::NaiveDate;
use postgres::types::ToSql;
use postgres::{GenericClient, Row};

use crate::error::{Error, FieldCode, Result};
use crate::store::history::HistoryLine;
use crate::store::members::{changes, same_country, Indexing};
use crate::text::{fold, search_words, sort_key};
use crate::types::dates::{now, today};
use crate::types::*;
use crate::validate::{Checker, ValidMember};

/// A statement's parameter.
pub(super) type Param = Box<dyn ToSql + Sync>;

/// Parameters in order, `$1` always today's date (the member statements'
/// status as of today): [`Args::add`] gives the next placeholder.
pub(super) struct Args(pub Vec<Param>);

impl Args {
    pub fn today() -> Args {
        Args(vec![Box::new(today())])
    }

    pub fn add(&mut self, value: impl ToSql + Sync + 'static) -> String {
        self.0.push(Box::new(value));
        format!("${}", self.0.len())
    }

    pub fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.0.iter().map(|p| p.as_ref()).collect()
    }

    /// Runs `sql` with these parameters (`$1` a date even where the
    /// statement does not use it).
    pub fn query(&self, c: &mut impl GenericClient, sql: &str) -> Result<Vec<Row>> {
        let stmt = c.prepare_typed(sql, &[postgres::types::Type::DATE])?;
        Ok(c.query(&stmt, &self.refs())?)
    }
}

/// A member's status on today's date (`$1`): the file's rule, see
/// `store/sqlite/members.rs` `status_on`.
pub(super) const STATUS_TODAY: &str = "(CASE WHEN m.scheduled_date <= $1 THEN m.scheduled_status \
     WHEN m.status_date <= $1 THEN m.status \
     ELSE coalesce((SELECT h.old_value FROM member_history h WHERE h.member_id = m.id \
         AND h.kind = 'status' AND h.effective_date > $1 \
         ORDER BY h.effective_date, h.id LIMIT 1), m.status) END)";

const SINCE_TODAY: &str =
    "(CASE WHEN m.scheduled_date <= $1 THEN m.scheduled_date ELSE m.status_date END)";

pub(super) const SCHEDULED_AFTER: &str =
    "(CASE WHEN m.scheduled_date > $1 THEN m.scheduled_status END), \
     (CASE WHEN m.scheduled_date > $1 THEN m.scheduled_date END)";

pub(super) const MEMBER_JOINS: &str = "FROM members m \
    LEFT JOIN branches b ON b.id = m.branch_id LEFT JOIN workplaces w ON w.id = m.workplace_id";

pub(super) fn member_columns() -> String {
    format!(
        "m.id, m.number, m.kind, m.first_name, m.last_name, m.care_of, \
         m.address1, m.address2, m.postcode, m.city, m.country, m.email, m.phone, m.birth_date, \
         m.language, m.membership_type, {STATUS_TODAY}, {SINCE_TODAY}, m.joined_date, \
         m.branch_id, b.name, m.workplace_id, w.name, m.notes, m.created_at, m.updated_at, \
         {SCHEDULED_AFTER}, m.version"
    )
}

pub(super) fn enum_col<T>(r: &Row, i: usize, parse: fn(&str) -> Option<T>) -> Result<T> {
    let s: &str = r.try_get(i)?;
    parse(s).ok_or_else(|| Error::Store(format!("unknown value {s:?} in column {i}").into()))
}

fn stamp(r: &Row, i: usize) -> Result<Timestamp> {
    Ok(Timestamp(r.try_get(i)?))
}

pub(super) fn scheduled_col(r: &Row, at: usize) -> Result<Option<Scheduled>> {
    let status: Option<&str> = r.try_get(at)?;
    let date: Option<NaiveDate> = r.try_get(at + 1)?;
    Ok(match (status.and_then(Status::parse), date) {
        (Some(status), Some(date)) => Some(Scheduled { status, date }),
        _ => None,
    })
}

pub(super) fn member_from_row(r: &Row) -> Result<Member> {
    Ok(Member {
        id: r.try_get(0)?,
        number: r.try_get(1)?,
        kind: enum_col(r, 2, Kind::parse)?,
        contact: Contact {
            first_name: r.try_get(3)?,
            last_name: r.try_get(4)?,
            address: PostalAddress {
                care_of: r.try_get(5)?,
                address1: r.try_get(6)?,
                address2: r.try_get(7)?,
                postcode: r.try_get(8)?,
                city: r.try_get(9)?,
                country: r.try_get(10)?,
            },
            email: r.try_get(11)?,
            phone: r.try_get(12)?,
        },
        birth_date: r.try_get(13)?,
        language: enum_col(r, 14, Language::parse)?,
        membership_type: enum_col(r, 15, MembershipType::parse)?,
        status: enum_col(r, 16, Status::parse)?,
        status_date: r.try_get(17)?,
        scheduled: scheduled_col(r, 26)?,
        joined_date: r.try_get(18)?,
        branch_id: r.try_get(19)?,
        branch_name: r.try_get(20)?,
        workplace_id: r.try_get(21)?,
        workplace_name: r.try_get(22)?,
        notes: r.try_get(23)?,
        roles: Vec::new(),
        created_at: stamp(r, 24)?,
        updated_at: stamp(r, 25)?,
        version: r.try_get(28)?,
    })
}

pub(super) fn role_from_row(r: &Row, at: usize) -> Result<Role> {
    Ok(Role {
        id: r.try_get(at)?,
        role: enum_col(r, at + 1, RoleKind::parse)?,
        from: r.try_get(at + 2)?,
        to: r.try_get(at + 3)?,
    })
}

/// Reads one member with their roles.
pub(super) fn load_member(c: &mut impl GenericClient, id: i64) -> Result<Member> {
    let sql = format!("SELECT {} {MEMBER_JOINS} WHERE m.id = $2", member_columns());
    let row = c
        .query_opt(&sql, &[&today(), &id])?
        .ok_or(Error::NotFound("member"))?;
    let mut m = member_from_row(&row)?;
    m.roles = c
        .query(
            "SELECT id, role, from_date, to_date FROM member_roles WHERE member_id = $1 \
             ORDER BY from_date, id",
            &[&id],
        )?
        .iter()
        .map(|r| role_from_row(r, 0))
        .collect::<Result<_>>()?;
    Ok(m)
}

fn next_number(c: &mut impl GenericClient) -> Result<String> {
    let mut n: i64 = c
        .query_one("SELECT coalesce(max(number_int), 0) + 1 FROM members", &[])?
        .get(0);
    while number_taken(c, &n.to_string(), None)? {
        n += 1;
    }
    Ok(n.to_string())
}

fn number_taken(c: &mut impl GenericClient, number: &str, except: Option<i64>) -> Result<bool> {
    Ok(c.query_opt(
        "SELECT 1 FROM members WHERE number = $1 AND id IS DISTINCT FROM $2",
        &[&number, &except],
    )?
    .is_some())
}

pub(super) fn number_int(number: &str) -> Option<i64> {
    if number.chars().all(|c| c.is_ascii_digit()) {
        number.parse().ok()
    } else {
        None
    }
}

pub(super) fn exists(c: &mut impl GenericClient, table: &str, id: i64) -> Result<bool> {
    Ok(
        c.query_opt(&format!("SELECT 1 FROM {table} WHERE id = $1"), &[&id])?
            .is_some(),
    )
}

/// Refuses a save from a form opened at `version` when another officer has
/// saved the member (`current`, read under the row's lock) since.
pub(super) fn check_version(
    c: &mut impl GenericClient,
    current: &Member,
    version: Option<i64>,
) -> Result<()> {
    if version.is_none_or(|v| v == current.version) {
        return Ok(());
    }
    let row = c.query_one(
        "SELECT changed_by FROM members WHERE id = $1",
        &[&current.id],
    )?;
    Err(Error::MemberChanged {
        by: row.try_get(0)?,
        at: current.updated_at.local_text(),
    })
}

/// Unique number, existing branch and workplace.
pub(super) fn check_references(
    c: &mut impl GenericClient,
    m: &ValidMember,
    except: Option<i64>,
) -> Result<()> {
    let mut check = Checker::default();
    if let Some(n) = &m.number {
        if number_taken(c, n, except)? {
            check.fail("number", FieldCode::Duplicate);
        }
    }
    if let Some(id) = m.branch_id {
        if !exists(c, "branches", id)? {
            check.fail("branchId", FieldCode::InvalidChoice);
        }
    }
    if let Some(id) = m.workplace_id {
        if !exists(c, "workplaces", id)? {
            check.fail("workplaceId", FieldCode::InvalidChoice);
        }
    }
    check.finish(())
}

pub(super) fn name_of(c: &mut impl GenericClient, table: &str, id: Option<i64>) -> Result<String> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    Ok(
        c.query_opt(&format!("SELECT name FROM {table} WHERE id = $1"), &[&id])?
            .map(|r| r.get(0))
            .unwrap_or_default(),
    )
}

/// The searched words of a member, each after a space.
pub(super) fn search_text(m: &ValidMember, number: &str, workplace: &str) -> String {
    let text = [
        m.contact.first_name.as_str(),
        &m.contact.last_name,
        number,
        &m.contact.email,
        &m.contact.address.city,
        workplace,
    ]
    .join(" ");
    spaced_words(&fold(&text))
}

/// The words of a folded text, each after a space: a search is
/// `LIKE '% word%'`.
pub(super) fn spaced_words(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len() + 1);
    for word in folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push(' ');
        out.push_str(word);
    }
    out
}

/// One history line; the server records who wrote it.
pub(super) fn record(c: &mut impl GenericClient, line: &HistoryLine) -> Result<()> {
    history_values(line, |values| {
        c.execute(
            "INSERT INTO member_history (member_id, at, kind, field, old_value, new_value, \
             effective_date) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            values,
        )
    })?;
    Ok(())
}

/// `f` of a history line's values: member, at, kind, field, old, new,
/// effective date.
pub(super) fn history_values<R>(
    line: &HistoryLine,
    f: impl FnOnce(&[&(dyn ToSql + Sync)]) -> R,
) -> R {
    let kind = line.kind.as_str();
    f(&[
        &line.member_id,
        &line.at.0,
        &kind,
        &line.field,
        &line.old,
        &line.new,
        &line.effective,
    ])
}

pub(super) const MEMBER_COLUMNS: &str =
    "number, number_int, kind, first_name, last_name, care_of, \
     address1, address2, postcode, city, country, email, phone, birth_date, language, \
     membership_type, joined_date, branch_id, workplace_id, notes, sort_name, sort_city, \
     search_text, updated_at";

/// What a member's row holds: the columns of [`MEMBER_COLUMNS`], in order.
fn row_values(
    m: &ValidMember,
    number: &str,
    country: Country,
    search: String,
    at: Timestamp,
) -> Vec<Param> {
    let c = &m.contact;
    vec![
        Box::new(number.to_owned()),
        Box::new(number_int(number)),
        Box::new(m.kind.as_str()),
        Box::new(c.first_name.clone()),
        Box::new(c.last_name.clone()),
        Box::new(c.address.care_of.clone()),
        Box::new(c.address.address1.clone()),
        Box::new(c.address.address2.clone()),
        Box::new(c.address.postcode.clone()),
        Box::new(c.address.city.clone()),
        Box::new(c.address.country.clone()),
        Box::new(c.email.clone()),
        Box::new(c.phone.clone()),
        Box::new(m.birth_date),
        Box::new(m.language.as_str()),
        Box::new(m.membership_type.as_str()),
        Box::new(m.joined_date),
        Box::new(m.branch_id),
        Box::new(m.workplace_id),
        Box::new(m.notes.clone()),
        Box::new(sort_key(
            &format!("{} {}", c.last_name, c.first_name),
            country,
        )),
        Box::new(sort_key(&c.address.city, country)),
        Box::new(search),
        Box::new(at.0),
    ]
}

fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn insert_member(
    c: &mut impl GenericClient,
    m: &ValidMember,
    status_date: NaiveDate,
    ix: Indexing,
) -> Result<i64> {
    let number = match &m.number {
        Some(n) => n.clone(),
        None => next_number(c)?,
    };
    let workplace = name_of(c, "workplaces", m.workplace_id)?;
    let at = now();
    let values = new_row(m, &number, &workplace, status_date, ix, at);
    let sql = format!(
        "INSERT INTO members ({MEMBER_COLUMNS}, status, status_date, created_at) \
         VALUES ({}) RETURNING id",
        placeholders(1, values.len())
    );
    let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
    let id: i64 = c.query_one(&sql, &refs)?.get(0);
    insert_roles(c, id, &m.roles)?;
    record(c, &created(id, &number, m, at))?;
    Ok(id)
}

/// A new member's row: the columns of [`MEMBER_COLUMNS`], then its status,
/// status date and creation time.
pub(super) fn new_row(
    m: &ValidMember,
    number: &str,
    workplace: &str,
    status_date: NaiveDate,
    ix: Indexing,
    at: Timestamp,
) -> Vec<Param> {
    let mut values = row_values(m, number, ix.country, search_text(m, number, workplace), at);
    values.push(Box::new(m.status.as_str()));
    values.push(Box::new(status_date));
    values.push(Box::new(at.0));
    values
}

/// The history line of a member's creation.
pub(super) fn created<'a>(
    id: i64,
    number: &'a str,
    m: &ValidMember,
    at: Timestamp,
) -> HistoryLine<'a> {
    HistoryLine {
        new: Some(number),
        effective: m.joined_date,
        ..HistoryLine::of(id, at, HistoryKind::Created)
    }
}

fn insert_roles(c: &mut impl GenericClient, member_id: i64, roles: &[Role]) -> Result<()> {
    for r in roles {
        c.execute(
            "INSERT INTO member_roles (member_id, role, from_date, to_date) \
             VALUES ($1, $2, $3, $4)",
            &[&member_id, &r.role.as_str(), &r.from, &r.to],
        )?;
    }
    Ok(())
}

/// Updates a member from a checked input, a history line per changed field
/// (the file's rules, `store/sqlite/members.rs` `update_member`).
pub(super) fn update_member(
    c: &mut impl GenericClient,
    id: i64,
    m: &ValidMember,
    ix: Indexing,
) -> Result<bool> {
    let old = load_member(c, id)?;
    let kept = same_country(&old, m, ix.country);
    let m = kept.as_ref().unwrap_or(m);
    let number = m.number.clone().unwrap_or_else(|| old.number.clone());
    let branch = name_of(c, "branches", m.branch_id)?;
    let workplace = name_of(c, "workplaces", m.workplace_id)?;
    let (changes, roles_changed) = changes(&old, m, &number, &branch, &workplace);
    if changes.is_empty() {
        return Ok(false);
    }
    let at = now();
    for change in &changes {
        record(c, &change.line(id, at))?;
    }
    if roles_changed {
        c.execute("DELETE FROM member_roles WHERE member_id = $1", &[&id])?;
        insert_roles(c, id, &m.roles)?;
    }
    let mut values: Vec<Param> = vec![Box::new(id)];
    values.extend(row_values(
        m,
        &number,
        ix.country,
        search_text(m, &number, &workplace),
        at,
    ));
    let sql = format!(
        "UPDATE members SET ({MEMBER_COLUMNS}) = ({}), version = version + 1, \
         changed_by = current_user WHERE id = $1",
        placeholders(2, values.len() - 1)
    );
    let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v.as_ref()).collect();
    c.execute(&sql, &refs)?;
    Ok(true)
}

/// A status change effective `date`: at once, or waiting for its day.
pub(super) fn apply_status(
    c: &mut impl GenericClient,
    id: i64,
    from: Status,
    to: Status,
    date: NaiveDate,
) -> Result<()> {
    let at = now();
    unschedule(c, id, at)?;
    let sql = if date > today() {
        "UPDATE members SET scheduled_status = $2, scheduled_date = $3, updated_at = $4, \
         version = version + 1, changed_by = current_user WHERE id = $1"
    } else {
        "UPDATE members SET status = $2, status_date = $3, updated_at = $4, \
         version = version + 1, changed_by = current_user WHERE id = $1"
    };
    c.execute(sql, &[&id, &to.as_str(), &date, &at.0])?;
    record(
        c,
        &HistoryLine {
            field: Some("status"),
            old: Some(from.as_str()),
            new: Some(to.as_str()),
            effective: Some(date),
            ..HistoryLine::of(id, at, HistoryKind::Status)
        },
    )
}

/// Calls off a scheduled change still ahead (one whose day has come becomes
/// the status first); true when one was called off.
pub(super) fn unschedule(c: &mut impl GenericClient, id: i64, at: Timestamp) -> Result<bool> {
    c.execute(
        "UPDATE members SET status = scheduled_status, status_date = scheduled_date, \
         scheduled_status = NULL, scheduled_date = NULL WHERE id = $1 AND scheduled_date <= $2",
        &[&id, &today()],
    )?;
    let Some(row) = c.query_opt(
        "SELECT status, scheduled_status, scheduled_date FROM members \
         WHERE id = $1 AND scheduled_status IS NOT NULL",
        &[&id],
    )?
    else {
        return Ok(false);
    };
    let (kept, set, day): (String, String, Option<NaiveDate>) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    c.execute(
        "UPDATE members SET scheduled_status = NULL, scheduled_date = NULL, updated_at = $2, \
         version = version + 1, changed_by = current_user WHERE id = $1",
        &[&id, &at.0],
    )?;
    record(
        c,
        &HistoryLine {
            field: Some("status"),
            old: Some(&kept),
            new: Some(&set),
            effective: day,
            ..HistoryLine::of(id, at, HistoryKind::Unscheduled)
        },
    )?;
    Ok(true)
}

/// The `ORDER BY` of the member list.
pub(super) fn order_by(query: &ListQuery) -> String {
    let dir = if query.desc { "DESC" } else { "ASC" };
    match query.sort {
        SortKey::Name => format!("m.sort_name {dir}, m.id {dir}"),
        SortKey::Number => format!("m.number_int IS NULL, m.number_int {dir}, m.number {dir}"),
        SortKey::City => format!("m.sort_city {dir}, m.sort_name, m.id"),
        SortKey::Joined => format!("m.joined_date IS NULL, m.joined_date {dir}, m.sort_name, m.id"),
        SortKey::Status => format!("{STATUS_TODAY} {dir}, m.sort_name, m.id"),
        SortKey::Workplace => {
            format!("w.sort_name IS NULL, w.sort_name {dir}, m.sort_name, m.id")
        }
        SortKey::Email => format!("m.email = '', lower(m.email) {dir}, m.sort_name, m.id"),
    }
}

/// The `WHERE` of a list's query, its parameters added to `args`.
pub(super) fn list_filter(query: &ListQuery, args: &mut Args) -> String {
    let mut clauses: Vec<String> = Vec::new();
    for word in search_words(&query.search) {
        // Words hold letters and digits only: nothing LIKE reads specially.
        let p = args.add(format!("% {word}%"));
        clauses.push(format!("m.search_text LIKE {p}"));
    }
    if let Some(kind) = query.kind {
        let p = args.add(kind.as_str());
        clauses.push(format!("m.kind = {p}"));
    }
    if let Some(ids) = &query.ids {
        let p = args.add(ids.clone());
        clauses.push(format!("m.id = ANY({p})"));
    }
    if let Some(status) = query.status {
        let p = args.add(status.as_str());
        clauses.push(format!("{STATUS_TODAY} = {p}"));
    }
    if let Some(b) = query.branch_id {
        let p = args.add(b);
        clauses.push(format!("m.branch_id = {p}"));
    }
    if let Some(w) = query.workplace_id {
        let p = args.add(w);
        clauses.push(format!("m.workplace_id = {p}"));
    }
    if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    }
}
