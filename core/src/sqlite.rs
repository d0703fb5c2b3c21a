//! The SQLite backend of [`Register`].
//!
//! Reads take `&Connection`; writes take a `&Transaction` and are committed by
//! the trait method that began it, so every write that belongs together is
//! all or nothing.

use std::path::{Path, PathBuf};

use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::types::ToSql;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::db;
use crate::error::{Error, FieldCode, Result};
use crate::model::*;
use crate::register::Register;
use crate::text::{fold, fts_query, sort_key};
use crate::validate::{self, Checker, ValidMember};

pub struct SqliteRegister {
    conn: Connection,
    path: Option<PathBuf>,
}

impl SqliteRegister {
    /// Opens the file at `path`, creating and migrating it as needed.
    pub fn open(path: &Path) -> Result<Self> {
        Ok(SqliteRegister {
            conn: db::open(path)?,
            path: Some(path.to_owned()),
        })
    }

    pub fn open_in_memory() -> Result<Self> {
        Ok(SqliteRegister {
            conn: db::open_in_memory()?,
            path: None,
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The connection, for the other core modules (import, backup, ...).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn connection_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub(crate) fn org_or_err(&self) -> Result<Org> {
        self.org()?.ok_or(Error::NoOrganisation)
    }

    /// Counts search hits of one kind (or all) without reading the wide
    /// member rows: the index counts all hits, and the few prospects among
    /// them are counted through the kind index.
    fn count_hits(&self, fts: &str, kind: Option<Kind>) -> Result<i64> {
        let all: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM members_fts WHERE members_fts MATCH ?1")?
            .query_row([fts], |r| r.get(0))?;
        let Some(kind) = kind else {
            return Ok(all);
        };
        let prospects: i64 = self
            .conn
            .prepare_cached(
                "SELECT count(*) FROM members m WHERE m.kind = 'prospect' \
                 AND m.id IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ?1)",
            )?
            .query_row([fts], |r| r.get(0))?;
        Ok(match kind {
            Kind::Member => all - prospects,
            Kind::Prospect => prospects,
        })
    }

    fn country(&self) -> Result<Country> {
        Ok(self.org()?.ok_or(Error::NoOrganisation)?.country)
    }
}

pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn check_org(input: &OrgInput) -> Result<(String, Country, String, String)> {
    let mut c = Checker::default();
    let name = c.required("name", &input.name, 200);
    let country = c.choice("country", &input.country, Country::Se, Country::parse);
    if input.country.trim().is_empty() {
        c.fail("country", FieldCode::Required);
    }
    let address = c.text("postalAddress", &input.postal_address, 500);
    let number = c.text("orgNumber", &input.org_number, 20);
    c.finish((name, country, address, number))
}

const ORG_SQL: &str =
    "SELECT name, country, postal_address, org_number, currency FROM organisation WHERE id = 1";

fn org_from_row(r: &Row) -> rusqlite::Result<Org> {
    let country: String = r.get(1)?;
    let currency: String = r.get(4)?;
    Ok(Org {
        name: r.get(0)?,
        country: Country::parse(&country).unwrap_or(Country::Se),
        postal_address: r.get(2)?,
        org_number: r.get(3)?,
        currency: Currency::parse(&currency).unwrap_or(Currency::Sek),
    })
}

pub(crate) fn put_setting(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?1, ?2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

pub(crate) fn setting(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?)
}

const MEMBER_COLUMNS: &str = "m.id, m.number, m.kind, m.first_name, m.last_name, m.care_of, \
    m.address1, m.address2, m.postcode, m.city, m.country, m.email, m.phone, m.birth_date, \
    m.language, m.membership_type, m.status, m.status_date, m.joined_date, m.branch_id, b.name, \
    m.workplace_id, w.name, m.notes, m.created_at, m.updated_at";

const MEMBER_JOINS: &str = "FROM members m LEFT JOIN branches b ON b.id = m.branch_id \
    LEFT JOIN workplaces w ON w.id = m.workplace_id";

fn date_col(r: &Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let s: Option<String> = r.get(i)?;
    Ok(s.as_deref().and_then(validate::parse_date))
}

fn enum_col<T>(r: &Row, i: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown value {s:?}").into(),
        )
    })
}

fn member_from_row(r: &Row) -> rusqlite::Result<Member> {
    Ok(Member {
        id: r.get(0)?,
        number: r.get(1)?,
        kind: enum_col(r, 2, Kind::parse)?,
        first_name: r.get(3)?,
        last_name: r.get(4)?,
        care_of: r.get(5)?,
        address1: r.get(6)?,
        address2: r.get(7)?,
        postcode: r.get(8)?,
        city: r.get(9)?,
        country: r.get(10)?,
        email: r.get(11)?,
        phone: r.get(12)?,
        birth_date: date_col(r, 13)?,
        language: enum_col(r, 14, Language::parse)?,
        membership_type: enum_col(r, 15, MembershipType::parse)?,
        status: enum_col(r, 16, Status::parse)?,
        status_date: date_col(r, 17)?.unwrap_or_default(),
        joined_date: date_col(r, 18)?,
        branch_id: r.get(19)?,
        branch_name: r.get(20)?,
        workplace_id: r.get(21)?,
        workplace_name: r.get(22)?,
        notes: r.get(23)?,
        roles: Vec::new(),
        created_at: r.get(24)?,
        updated_at: r.get(25)?,
    })
}

/// Reads one member with its roles.
pub(crate) fn load_member(conn: &Connection, id: i64) -> Result<Member> {
    let mut m = conn
        .query_row(
            &format!("SELECT {MEMBER_COLUMNS} {MEMBER_JOINS} WHERE m.id = ?1"),
            [id],
            member_from_row,
        )
        .optional()?
        .ok_or(Error::NotFound("member"))?;
    let mut stmt = conn.prepare_cached(
        "SELECT id, role, from_date, to_date FROM member_roles WHERE member_id = ?1 ORDER BY from_date, id",
    )?;
    m.roles = stmt
        .query_map([id], |r| {
            Ok(Role {
                id: r.get(0)?,
                role: enum_col(r, 1, RoleKind::parse)?,
                from: date_col(r, 2)?.unwrap_or_default(),
                to: date_col(r, 3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(m)
}

/// The number a new member gets: one above the highest numeric number.
fn next_number(tx: &Transaction) -> Result<String> {
    let mut n: i64 = tx.query_row(
        "SELECT coalesce(max(number_int), 0) + 1 FROM members",
        [],
        |r| r.get(0),
    )?;
    while number_taken(tx, &n.to_string(), None)? {
        n += 1;
    }
    Ok(n.to_string())
}

fn number_taken(conn: &Connection, number: &str, except: Option<i64>) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM members WHERE number = ?1 AND id IS NOT ?2",
            params![number, except],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

fn number_int(number: &str) -> Option<i64> {
    if number.chars().all(|c| c.is_ascii_digit()) {
        number.parse().ok()
    } else {
        None
    }
}

/// Checks what the database knows: unique number, existing branch and workplace.
fn check_references(conn: &Connection, m: &ValidMember, except: Option<i64>) -> Result<()> {
    let mut c = Checker::default();
    if let Some(n) = &m.number {
        if number_taken(conn, n, except)? {
            c.fail("number", FieldCode::Duplicate);
        }
    }
    let exists = |table: &str, id: i64| -> Result<bool> {
        Ok(conn
            .query_row(
                &format!("SELECT 1 FROM {table} WHERE id = ?1"),
                [id],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    };
    if let Some(id) = m.branch_id {
        if !exists("branches", id)? {
            c.fail("branchId", FieldCode::InvalidChoice);
        }
    }
    if let Some(id) = m.workplace_id {
        if !exists("workplaces", id)? {
            c.fail("workplaceId", FieldCode::InvalidChoice);
        }
    }
    c.finish(())
}

fn name_of(conn: &Connection, table: &str, id: Option<i64>) -> Result<String> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    Ok(conn
        .query_row(
            &format!("SELECT name FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

/// The folded text the search index holds for a member.
fn search_text(m: &ValidMember, number: &str, workplace: &str) -> String {
    fold(
        &[
            m.first_name.as_str(),
            &m.last_name,
            number,
            &m.email,
            &m.city,
            workplace,
        ]
        .join(" "),
    )
}

/// Inserts a checked member (references already checked) and its roles.
/// How a write keeps the search index: row by row, or not at all because the
/// caller rebuilds it once at the end ([`rebuild_search_index`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Indexing {
    EachRow,
    RebuildAfter,
}

/// Rebuilds the whole search index from the members' `search_text`.
pub(crate) fn rebuild_search_index(tx: &Transaction) -> Result<()> {
    tx.execute(
        "INSERT INTO members_fts (members_fts) VALUES ('rebuild')",
        [],
    )?;
    Ok(())
}

pub(crate) fn insert_member(
    tx: &Transaction,
    m: &ValidMember,
    country: Country,
    status_date: NaiveDate,
    indexing: Indexing,
) -> Result<i64> {
    let number = match &m.number {
        Some(n) => n.clone(),
        None => next_number(tx)?,
    };
    let workplace = name_of(tx, "workplaces", m.workplace_id)?;
    let search = search_text(m, &number, &workplace);
    let at = now();
    let mut stmt = tx.prepare_cached(
        "INSERT INTO members (number, number_int, kind, first_name, last_name, care_of, address1, \
         address2, postcode, city, country, email, phone, birth_date, language, membership_type, \
         status, status_date, joined_date, branch_id, workplace_id, notes, sort_name, sort_city, \
         search_text, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, \
         ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?26)",
    )?;
    stmt.execute(params![
        number,
        number_int(&number),
        m.kind.as_str(),
        m.first_name,
        m.last_name,
        m.care_of,
        m.address1,
        m.address2,
        m.postcode,
        m.city,
        m.country,
        m.email,
        m.phone,
        m.birth_date.map(|d| d.to_string()),
        m.language.as_str(),
        m.membership_type.as_str(),
        m.status.as_str(),
        status_date.to_string(),
        m.joined_date.map(|d| d.to_string()),
        m.branch_id,
        m.workplace_id,
        m.notes,
        sort_key(&format!("{} {}", m.last_name, m.first_name), country),
        sort_key(&m.city, country),
        search,
        at,
    ])?;
    let id = tx.last_insert_rowid();
    if indexing == Indexing::EachRow {
        tx.prepare_cached("INSERT INTO members_fts (rowid, search_text) VALUES (?1, ?2)")?
            .execute(params![id, search])?;
    }
    insert_roles(tx, id, &m.roles)?;
    add_history(
        tx,
        id,
        &at,
        HistoryKind::Created,
        None,
        None,
        Some(&number),
        m.joined_date,
    )?;
    Ok(id)
}

fn insert_roles(tx: &Transaction, member_id: i64, roles: &[Role]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO member_roles (member_id, role, from_date, to_date) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for r in roles {
        stmt.execute(params![
            member_id,
            r.role.as_str(),
            r.from.to_string(),
            r.to.map(|d| d.to_string())
        ])?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn add_history(
    tx: &Transaction,
    member_id: i64,
    at: &str,
    kind: HistoryKind,
    field: Option<&str>,
    old: Option<&str>,
    new: Option<&str>,
    effective: Option<NaiveDate>,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO member_history (member_id, at, kind, field, old_value, new_value, effective_date) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        member_id,
        at,
        kind.as_str(),
        field,
        old,
        new,
        effective.map(|d| d.to_string())
    ])?;
    Ok(())
}

fn show_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn role_term(r: &Role) -> String {
    format!("{}–{}", r.from, show_date(r.to))
}

/// Updates a member from a checked input, recording each changed field.
pub(crate) fn update_member(
    tx: &Transaction,
    id: i64,
    m: &ValidMember,
    country: Country,
    indexing: Indexing,
) -> Result<bool> {
    let old = load_member(tx, id)?;
    let number = m.number.clone().unwrap_or_else(|| old.number.clone());
    let branch = name_of(tx, "branches", m.branch_id)?;
    let workplace = name_of(tx, "workplaces", m.workplace_id)?;
    let pairs: [(&str, String, String); 19] = [
        ("number", old.number.clone(), number.clone()),
        ("kind", old.kind.to_string(), m.kind.to_string()),
        ("firstName", old.first_name.clone(), m.first_name.clone()),
        ("lastName", old.last_name.clone(), m.last_name.clone()),
        ("careOf", old.care_of.clone(), m.care_of.clone()),
        ("address1", old.address1.clone(), m.address1.clone()),
        ("address2", old.address2.clone(), m.address2.clone()),
        ("postcode", old.postcode.clone(), m.postcode.clone()),
        ("city", old.city.clone(), m.city.clone()),
        ("country", old.country.clone(), m.country.clone()),
        ("email", old.email.clone(), m.email.clone()),
        ("phone", old.phone.clone(), m.phone.clone()),
        (
            "birthDate",
            show_date(old.birth_date),
            show_date(m.birth_date),
        ),
        ("language", old.language.to_string(), m.language.to_string()),
        (
            "membershipType",
            old.membership_type.to_string(),
            m.membership_type.to_string(),
        ),
        (
            "joinedDate",
            show_date(old.joined_date),
            show_date(m.joined_date),
        ),
        (
            "branchName",
            old.branch_name.clone().unwrap_or_default(),
            branch,
        ),
        (
            "workplaceName",
            old.workplace_name.clone().unwrap_or_default(),
            workplace.clone(),
        ),
        ("notes", old.notes.clone(), m.notes.clone()),
    ];
    let at = now();
    let mut changed = false;
    for (field, before, after) in &pairs {
        if before != after {
            changed = true;
            add_history(
                tx,
                id,
                &at,
                HistoryKind::Changed,
                Some(field),
                Some(before),
                Some(after),
                None,
            )?;
        }
    }
    // Roles: compare as sets of (role, from, to).
    let key = |r: &Role| (r.role, r.from, r.to);
    let mut old_roles: Vec<_> = old.roles.iter().map(key).collect();
    let mut new_roles: Vec<_> = m.roles.iter().map(key).collect();
    old_roles.sort();
    new_roles.sort();
    if old_roles != new_roles {
        changed = true;
        for r in &old.roles {
            if !new_roles.contains(&key(r)) {
                add_history(
                    tx,
                    id,
                    &at,
                    HistoryKind::Role,
                    Some(r.role.as_str()),
                    Some(&role_term(r)),
                    None,
                    None,
                )?;
            }
        }
        for r in &m.roles {
            if !old_roles.contains(&key(r)) {
                add_history(
                    tx,
                    id,
                    &at,
                    HistoryKind::Role,
                    Some(r.role.as_str()),
                    None,
                    Some(&role_term(r)),
                    Some(r.from),
                )?;
            }
        }
        tx.execute("DELETE FROM member_roles WHERE member_id = ?1", [id])?;
        insert_roles(tx, id, &m.roles)?;
    }
    if !changed {
        return Ok(false);
    }
    let old_search: String = tx
        .prepare_cached("SELECT search_text FROM members WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    let search = search_text(m, &number, &workplace);
    if indexing == Indexing::EachRow && old_search != search {
        tx.prepare_cached(
            "INSERT INTO members_fts (members_fts, rowid, search_text) VALUES ('delete', ?1, ?2)",
        )?
        .execute(params![id, old_search])?;
        tx.prepare_cached("INSERT INTO members_fts (rowid, search_text) VALUES (?1, ?2)")?
            .execute(params![id, search])?;
    }
    tx.prepare_cached(
        "UPDATE members SET number = ?2, number_int = ?3, kind = ?4, first_name = ?5, last_name = ?6, \
         care_of = ?7, address1 = ?8, address2 = ?9, postcode = ?10, city = ?11, country = ?12, \
         email = ?13, phone = ?14, birth_date = ?15, language = ?16, membership_type = ?17, \
         joined_date = ?18, branch_id = ?19, workplace_id = ?20, notes = ?21, sort_name = ?22, \
         sort_city = ?23, search_text = ?24, updated_at = ?25 WHERE id = ?1",
    )?
    .execute(params![
        id,
        number,
        number_int(&number),
        m.kind.as_str(),
        m.first_name,
        m.last_name,
        m.care_of,
        m.address1,
        m.address2,
        m.postcode,
        m.city,
        m.country,
        m.email,
        m.phone,
        m.birth_date.map(|d| d.to_string()),
        m.language.as_str(),
        m.membership_type.as_str(),
        m.joined_date.map(|d| d.to_string()),
        m.branch_id,
        m.workplace_id,
        m.notes,
        sort_key(&format!("{} {}", m.last_name, m.first_name), country),
        sort_key(&m.city, country),
        search,
        at,
    ])?;
    Ok(true)
}

/// Sets a member's status from `date` and records the change.
pub(crate) fn apply_status(
    tx: &Transaction,
    id: i64,
    from: Status,
    to: Status,
    date: NaiveDate,
) -> Result<()> {
    let at = now();
    tx.execute(
        "UPDATE members SET status = ?2, status_date = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, to.as_str(), date.to_string(), at],
    )?;
    add_history(
        tx,
        id,
        &at,
        HistoryKind::Status,
        Some("status"),
        Some(from.as_str()),
        Some(to.as_str()),
        Some(date),
    )
}

/// Which status changes make sense.
fn transition_allowed(from: Status, to: Status) -> bool {
    use Status::*;
    matches!(
        (from, to),
        (Applicant, Active | Resigned | Deceased)
            | (Active, Resigned | Deceased)
            | (Resigned, Active | Deceased)
    )
}

fn order_by(query: &ListQuery) -> String {
    let dir = if query.desc { "DESC" } else { "ASC" };
    match query.sort {
        SortKey::Name => format!("m.sort_name {dir}, m.id {dir}"),
        SortKey::Number => format!("m.number_int IS NULL, m.number_int {dir}, m.number {dir}"),
        SortKey::City => format!("m.sort_city {dir}, m.sort_name, m.id"),
        SortKey::Joined => format!("m.joined_date IS NULL, m.joined_date {dir}, m.sort_name, m.id"),
        SortKey::Status => format!("m.status {dir}, m.sort_name, m.id"),
    }
}

/// Above this many search hits the list walks the sort order instead of
/// sorting the hits (measured with `cargo xtask bench`).
const DENSE_HITS: i64 = 2_000;

fn list_sql(query: &ListQuery) -> (String, Vec<Box<dyn ToSql>>) {
    let mut clauses: Vec<&str> = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let fts = fts_query(&query.search);
    // With a search, the hits drive the plan: `+` keeps SQLite from walking a
    // filter index (say, all 96 000 members of kind 'member') instead.
    let searching = fts.is_some();
    let pick = |plain: &'static str, unary: &'static str| if searching { unary } else { plain };
    if let Some(fts) = fts {
        clauses.push("m.id IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ?)");
        args.push(Box::new(fts));
    }
    if let Some(kind) = query.kind {
        clauses.push(pick("m.kind = ?", "+m.kind = ?"));
        args.push(Box::new(kind.as_str()));
    }
    if let Some(status) = query.status {
        clauses.push(pick("m.status = ?", "+m.status = ?"));
        args.push(Box::new(status.as_str()));
    }
    if let Some(b) = query.branch_id {
        clauses.push(pick("m.branch_id = ?", "+m.branch_id = ?"));
        args.push(Box::new(b));
    }
    if let Some(w) = query.workplace_id {
        clauses.push(pick("m.workplace_id = ?", "+m.workplace_id = ?"));
        args.push(Box::new(w));
    }
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    (filter, args)
}

impl Register for SqliteRegister {
    fn org(&self) -> Result<Option<Org>> {
        Ok(self.conn.query_row(ORG_SQL, [], org_from_row).optional()?)
    }

    fn create_org(&mut self, input: &OrgInput) -> Result<Org> {
        let (name, country, address, number) = check_org(input)?;
        let tx = self.conn.transaction()?;
        let exists: bool =
            tx.query_row("SELECT count(*) > 0 FROM organisation", [], |r| r.get(0))?;
        if exists {
            return Err(Error::field("name", FieldCode::Duplicate));
        }
        tx.execute(
            "INSERT INTO organisation (id, name, country, postal_address, org_number, currency, created_at) \
             VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
            params![name, country.as_str(), address, number, country.currency().as_str(), now()],
        )?;
        let org = tx.query_row(ORG_SQL, [], org_from_row)?;
        tx.commit()?;
        Ok(org)
    }

    fn update_org(&mut self, input: &OrgInput) -> Result<Org> {
        let (name, country, address, number) = check_org(input)?;
        let before = self.country()?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE organisation SET name = ?1, country = ?2, postal_address = ?3, org_number = ?4, \
             currency = ?5 WHERE id = 1",
            params![name, country.as_str(), address, number, country.currency().as_str()],
        )?;
        if before != country {
            // The alphabet changed: re-sort every name.
            let rows: Vec<(i64, String, String, String)> = tx
                .prepare("SELECT id, last_name, first_name, city FROM members")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut stmt =
                tx.prepare("UPDATE members SET sort_name = ?2, sort_city = ?3 WHERE id = ?1")?;
            for (id, last, first, city) in rows {
                stmt.execute(params![
                    id,
                    sort_key(&format!("{last} {first}"), country),
                    sort_key(&city, country)
                ])?;
            }
        }
        let org = tx.query_row(ORG_SQL, [], org_from_row)?;
        tx.commit()?;
        Ok(org)
    }

    fn language(&self) -> Result<Option<Language>> {
        Ok(setting(&self.conn, "language")?
            .as_deref()
            .and_then(Language::parse))
    }

    fn set_language(&mut self, language: Option<Language>) -> Result<()> {
        match language {
            Some(l) => self.conn.execute(
                "INSERT INTO settings (key, value) VALUES ('language', ?1) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [l.as_str()],
            )?,
            None => self
                .conn
                .execute("DELETE FROM settings WHERE key = 'language'", [])?,
        };
        Ok(())
    }

    fn last_backup_at(&self) -> Result<Option<String>> {
        setting(&self.conn, "last_backup_at")
    }

    fn branches(&self) -> Result<Vec<Branch>> {
        let mut stmt = self.conn.prepare(
            "SELECT b.id, b.name, (SELECT count(*) FROM members m WHERE m.branch_id = b.id) \
             FROM branches b ORDER BY b.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Branch {
                id: r.get(0)?,
                name: r.get(1)?,
                member_count: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn create_branch(&mut self, name: &str) -> Result<Branch> {
        let mut c = Checker::default();
        let name = c.required("name", name, 200);
        c.finish(())?;
        let tx = self.conn.transaction()?;
        let taken: bool = tx.query_row(
            "SELECT count(*) > 0 FROM branches WHERE name = ?1",
            [&name],
            |r| r.get(0),
        )?;
        if taken {
            return Err(Error::field("name", FieldCode::Duplicate));
        }
        tx.execute("INSERT INTO branches (name) VALUES (?1)", [&name])?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Branch {
            id,
            name,
            member_count: 0,
        })
    }

    fn workplaces(&self) -> Result<Vec<Workplace>> {
        let mut stmt = self.conn.prepare(
            "SELECT w.id, w.name, w.branch_id, b.name, \
             (SELECT count(*) FROM members m WHERE m.workplace_id = w.id) \
             FROM workplaces w LEFT JOIN branches b ON b.id = w.branch_id ORDER BY w.name, w.id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Workplace {
                id: r.get(0)?,
                name: r.get(1)?,
                branch_id: r.get(2)?,
                branch_name: r.get(3)?,
                member_count: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn create_workplace(&mut self, name: &str, branch_id: Option<i64>) -> Result<Workplace> {
        let mut c = Checker::default();
        let name = c.required("name", name, 200);
        c.finish(())?;
        let tx = self.conn.transaction()?;
        let branch_name = match branch_id {
            Some(b) => Some(
                tx.query_row("SELECT name FROM branches WHERE id = ?1", [b], |r| {
                    r.get::<_, String>(0)
                })
                .optional()?
                .ok_or_else(|| Error::field("branchId", FieldCode::InvalidChoice))?,
            ),
            None => None,
        };
        let taken: bool = tx.query_row(
            "SELECT count(*) > 0 FROM workplaces WHERE name = ?1 AND branch_id IS ?2",
            params![name, branch_id],
            |r| r.get(0),
        )?;
        if taken {
            return Err(Error::field("name", FieldCode::Duplicate));
        }
        tx.execute(
            "INSERT INTO workplaces (name, branch_id) VALUES (?1, ?2)",
            params![name, branch_id],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(Workplace {
            id,
            name,
            branch_id,
            branch_name,
            member_count: 0,
        })
    }

    fn list(&self, query: &ListQuery) -> Result<MemberPage> {
        let (filter, mut args) = list_sql(query);
        let total = match fts_query(&query.search) {
            Some(fts)
                if query.status.is_none()
                    && query.branch_id.is_none()
                    && query.workplace_id.is_none() =>
            {
                self.count_hits(&fts, query.kind)?
            }
            _ => self
                .conn
                .prepare_cached(&format!("SELECT count(*) FROM members m {filter}"))?
                .query_row(
                    rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())),
                    |r| r.get(0),
                )?,
        };
        let order = order_by(query);
        // Many hits: walk the sort index and test each row against the hits
        // (stops after one page). Few hits: fetch them and sort them.
        let filter = if total > DENSE_HITS {
            filter.replacen("m.id IN (SELECT rowid", "+m.id IN (SELECT rowid", 1)
        } else {
            filter
        };
        let limit = query.limit.clamp(1, MAX_PAGE);
        let offset = query.offset.max(0);
        args.push(Box::new(limit));
        args.push(Box::new(offset));
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT m.id, m.number, m.kind, m.first_name, m.last_name, m.email, m.phone, m.city, \
             m.status, b.name, w.name {MEMBER_JOINS} {filter} ORDER BY {order} LIMIT ? OFFSET ?"
        ))?;
        let items = stmt
            .query_map(
                rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())),
                |r| {
                    Ok(MemberRow {
                        id: r.get(0)?,
                        number: r.get(1)?,
                        kind: enum_col(r, 2, Kind::parse)?,
                        first_name: r.get(3)?,
                        last_name: r.get(4)?,
                        email: r.get(5)?,
                        phone: r.get(6)?,
                        city: r.get(7)?,
                        status: enum_col(r, 8, Status::parse)?,
                        branch_name: r.get(9)?,
                        workplace_name: r.get(10)?,
                    })
                },
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(MemberPage {
            total,
            offset,
            items,
        })
    }

    fn get(&self, id: i64) -> Result<Member> {
        load_member(&self.conn, id)
    }

    fn create(&mut self, input: &MemberInput) -> Result<Member> {
        let org = self.org()?.ok_or(Error::NoOrganisation)?;
        let valid = validate::member(input, org.country.language(), today())?;
        let tx = self.conn.transaction()?;
        check_references(&tx, &valid, None)?;
        let status_date = valid.joined_date.unwrap_or_else(today);
        let id = insert_member(&tx, &valid, org.country, status_date, Indexing::EachRow)?;
        tx.commit()?;
        self.get(id)
    }

    fn update(&mut self, id: i64, input: &MemberInput) -> Result<Member> {
        let org = self.org()?.ok_or(Error::NoOrganisation)?;
        let mut valid = validate::member(input, org.country.language(), today())?;
        let tx = self.conn.transaction()?;
        let current = load_member(&tx, id)?;
        if valid.number.is_none() {
            valid.number = Some(current.number);
        }
        check_references(&tx, &valid, Some(id))?;
        update_member(&tx, id, &valid, org.country, Indexing::EachRow)?;
        tx.commit()?;
        self.get(id)
    }

    fn set_status(&mut self, id: i64, status: Status, date: NaiveDate) -> Result<Member> {
        let tx = self.conn.transaction()?;
        let current = load_member(&tx, id)?;
        if !transition_allowed(current.status, status) {
            return Err(Error::field("status", FieldCode::InvalidChoice));
        }
        if current.joined_date.is_some_and(|j| date < j) {
            return Err(Error::field("date", FieldCode::DateOrder));
        }
        apply_status(&tx, id, current.status, status, date)?;
        tx.commit()?;
        self.get(id)
    }

    fn history(&self, id: i64) -> Result<Vec<HistoryEntry>> {
        load_member(&self.conn, id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT at, kind, field, old_value, new_value, effective_date FROM member_history \
             WHERE member_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok(HistoryEntry {
                at: r.get(0)?,
                kind: enum_col(r, 1, HistoryKind::parse)?,
                field: r.get(2)?,
                old_value: r.get(3)?,
                new_value: r.get(4)?,
                effective_date: date_col(r, 5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn for_each_member(
        &self,
        query: &ListQuery,
        each: &mut dyn FnMut(&Member) -> Result<()>,
    ) -> Result<()> {
        let mut roles: std::collections::HashMap<i64, Vec<Role>> = Default::default();
        let mut stmt = self.conn.prepare(
            "SELECT member_id, id, role, from_date, to_date FROM member_roles ORDER BY from_date, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            roles.entry(r.get(0)?).or_default().push(Role {
                id: r.get(1)?,
                role: enum_col(r, 2, RoleKind::parse)?,
                from: date_col(r, 3)?.unwrap_or_default(),
                to: date_col(r, 4)?,
            });
        }
        let (filter, args) = list_sql(query);
        let order = order_by(query);
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {MEMBER_COLUMNS} {MEMBER_JOINS} {filter} ORDER BY {order}"
        ))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter().map(|a| a.as_ref())))?;
        while let Some(r) = rows.next()? {
            let mut m = member_from_row(r)?;
            m.roles = roles.remove(&m.id).unwrap_or_default();
            each(&m)?;
        }
        Ok(())
    }

    fn import_preview(
        &self,
        path: &Path,
        mapping: Option<&crate::import::Mapping>,
    ) -> Result<crate::import::ImportPreview> {
        crate::import::preview(self, path, mapping)
    }

    fn import_commit(
        &mut self,
        path: &Path,
        mapping: Option<&crate::import::Mapping>,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &std::sync::atomic::AtomicBool,
    ) -> Result<crate::import::ImportSummary> {
        crate::import::commit(self, path, mapping, progress, cancel)
    }

    fn create_demo(&mut self, count: usize) -> Result<Org> {
        let tx = self.conn.transaction()?;
        crate::demo::fill(&tx, count)?;
        let org = tx.query_row(ORG_SQL, [], org_from_row)?;
        tx.commit()?;
        Ok(org)
    }
}
