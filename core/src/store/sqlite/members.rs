//! Members: rows, numbers, roles, the search index, every write with its
//! history lines, status changes and the list's SQL.

use chrono::NaiveDate;
use rusqlite::types::ToSql;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use super::date_col;
use crate::error::{Error, FieldCode, Result};
use crate::store::history::HistoryLine;
use crate::text::{fold, fts_query, sort_key};
use crate::types::dates::{now, today};
use crate::types::*;
use crate::validate::{Checker, ValidMember};

/// A member's status on a day, in SQL over `members m`; `day` is the
/// parameter that holds the date (`:today`, `?2`). The one place this rule
/// is written: a scheduled change counts from its day on; from the day the
/// current status began it is that status; before that day the status lines
/// of the history say (the first change after `day` changed from it).
/// Today is always Rust's [`crate::types::dates::today`], passed in, never
/// SQLite's own clock.
pub(super) fn status_on(day: &str) -> String {
    format!(
        "(CASE WHEN m.scheduled_date <= {day} THEN m.scheduled_status \
         WHEN m.status_date <= {day} THEN m.status \
         ELSE coalesce((SELECT h.old_value FROM member_history h WHERE h.member_id = m.id \
             AND h.kind = 'status' AND h.effective_date > {day} \
             ORDER BY h.effective_date, h.id LIMIT 1), m.status) END)"
    )
}

/// The day the status a member has on `day` began (see [`status_on`]).
fn status_since(day: &str) -> String {
    format!("(CASE WHEN m.scheduled_date <= {day} THEN m.scheduled_date ELSE m.status_date END)")
}

/// The scheduled change still ahead on `day`: its status, then its date.
fn scheduled_after(day: &str) -> String {
    format!(
        "(CASE WHEN m.scheduled_date > {day} THEN m.scheduled_status END), \
         (CASE WHEN m.scheduled_date > {day} THEN m.scheduled_date END)"
    )
}

/// The parameter the member statements name for today's date; bind it with
/// [`with_today`].
pub(super) const TODAY: &str = ":today";

/// A member's columns as [`member_from_row`] reads them, the status as of
/// [`TODAY`].
pub(super) fn member_columns() -> String {
    format!(
        "m.id, m.number, m.kind, m.first_name, m.last_name, m.care_of, \
         m.address1, m.address2, m.postcode, m.city, m.country, m.email, m.phone, m.birth_date, \
         m.language, m.membership_type, {}, {}, m.joined_date, m.branch_id, b.name, \
         m.workplace_id, w.name, m.notes, m.created_at, m.updated_at, {}, m.version",
        status_on(TODAY),
        status_since(TODAY),
        scheduled_after(TODAY)
    )
}

/// The row's status and scheduled change: [`member_columns`]' list rows put
/// the scheduled change's two columns at `at`.
pub(super) fn list_status_columns() -> String {
    format!("{}, {}", status_on(TODAY), scheduled_after(TODAY))
}

/// The values for a statement's parameters: `args` for its `?`s in order,
/// and `today` where SQLite numbered [`TODAY`] (at its first use, between
/// the `?`s before and after it), if the statement names it.
pub(super) fn with_today<'a>(
    stmt: &rusqlite::Statement,
    args: impl IntoIterator<Item = &'a dyn ToSql>,
    today: &'a dyn ToSql,
) -> Result<Vec<&'a dyn ToSql>> {
    let mut all: Vec<&dyn ToSql> = args.into_iter().collect();
    if let Some(i) = stmt.parameter_index(TODAY)? {
        all.insert(i - 1, today);
    }
    Ok(all)
}

/// A scheduled change read from its two columns.
pub(super) fn scheduled_col(r: &Row, at: usize) -> rusqlite::Result<Option<Scheduled>> {
    let status: Option<String> = r.get(at)?;
    let date = date_col(r, at + 1)?;
    Ok(match (status.as_deref().and_then(Status::parse), date) {
        (Some(status), Some(date)) => Some(Scheduled { status, date }),
        _ => None,
    })
}

pub(super) const MEMBER_JOINS: &str = "FROM members m LEFT JOIN branches b ON b.id = m.branch_id \
    LEFT JOIN workplaces w ON w.id = m.workplace_id";

pub(super) fn enum_col<T>(r: &Row, i: usize, parse: fn(&str) -> Option<T>) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    parse(&s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown value {s:?}").into(),
        )
    })
}

pub(super) fn member_from_row(r: &Row) -> rusqlite::Result<Member> {
    Ok(Member {
        id: r.get(0)?,
        number: r.get(1)?,
        kind: enum_col(r, 2, Kind::parse)?,
        contact: Contact {
            first_name: r.get(3)?,
            last_name: r.get(4)?,
            address: PostalAddress {
                care_of: r.get(5)?,
                address1: r.get(6)?,
                address2: r.get(7)?,
                postcode: r.get(8)?,
                city: r.get(9)?,
                country: r.get(10)?,
            },
            email: r.get(11)?,
            phone: r.get(12)?,
        },
        birth_date: date_col(r, 13)?,
        language: enum_col(r, 14, Language::parse)?,
        membership_type: enum_col(r, 15, MembershipType::parse)?,
        status: enum_col(r, 16, Status::parse)?,
        status_date: date_col(r, 17)?.unwrap_or_default(),
        scheduled: scheduled_col(r, 26)?,
        joined_date: date_col(r, 18)?,
        branch_id: r.get(19)?,
        branch_name: r.get(20)?,
        workplace_id: r.get(21)?,
        workplace_name: r.get(22)?,
        notes: r.get(23)?,
        roles: Vec::new(),
        created_at: r.get(24)?,
        updated_at: r.get(25)?,
        version: r.get(28)?,
    })
}

/// Reads one member with its roles.
pub(crate) fn load_member(conn: &Connection, id: i64) -> Result<Member> {
    let today = today().to_string();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} {MEMBER_JOINS} WHERE m.id = ?",
        member_columns()
    ))?;
    let args = with_today(&stmt, [&id as &dyn ToSql], &today)?;
    let mut m = stmt
        .query_row(params_from_iter(args), member_from_row)
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
pub(super) fn next_number(tx: &Connection) -> Result<String> {
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

pub(super) fn number_taken(conn: &Connection, number: &str, except: Option<i64>) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM members WHERE number = ?1 AND id IS NOT ?2",
            params![number, except],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

pub(super) fn number_int(number: &str) -> Option<i64> {
    if number.chars().all(|c| c.is_ascii_digit()) {
        number.parse().ok()
    } else {
        None
    }
}

/// Who saves on this computer: the user signed in to it.
pub(super) fn this_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default()
}

/// Refuses a save from a form opened at `version` when the member
/// (`current`) has been saved since: by whom, from the row, and when.
pub(super) fn check_version(
    conn: &Connection,
    current: &Member,
    version: Option<i64>,
) -> Result<()> {
    if version.is_none_or(|v| v == current.version) {
        return Ok(());
    }
    let by: String = conn.query_row(
        "SELECT changed_by FROM members WHERE id = ?1",
        [current.id],
        |r| r.get(0),
    )?;
    Err(Error::MemberChanged {
        by,
        at: current.updated_at.local_text(),
    })
}

/// Checks what the database knows: unique number, existing branch and workplace.
pub(super) fn check_references(
    conn: &Connection,
    m: &ValidMember,
    except: Option<i64>,
) -> Result<()> {
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

pub(super) fn name_of(conn: &Connection, table: &str, id: Option<i64>) -> Result<String> {
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
pub(super) fn search_text(m: &ValidMember, number: &str, workplace: &str) -> String {
    fold(
        &[
            m.contact.first_name.as_str(),
            &m.contact.last_name,
            number,
            &m.contact.email,
            &m.contact.address.city,
            workplace,
        ]
        .join(" "),
    )
}

/// Inserts a checked member (references already checked) and its roles.
pub(crate) use crate::store::members::{changes, same_country, Indexing, Search};

/// Rebuilds the whole search index from the members' `search_text`.
pub(crate) fn rebuild_search_index(tx: &Connection) -> Result<()> {
    tx.execute(
        "INSERT INTO members_fts (members_fts) VALUES ('rebuild')",
        [],
    )?;
    Ok(())
}

/// A member's insert: the columns of [`Written::values`], then `status,
/// status_date, created_at`.
const INSERT_MEMBER: &str = "INSERT INTO members (number, number_int, kind, first_name, \
     last_name, care_of, address1, address2, postcode, city, country, email, phone, birth_date, \
     language, membership_type, joined_date, branch_id, workplace_id, notes, sort_name, sort_city, \
     search_text, updated_at, status, status_date, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, \
     ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, \
     ?26, ?27)";

/// A member's update: `id`, then the columns of [`Written::values`].
const UPDATE_MEMBER: &str = "UPDATE members SET (number, number_int, kind, first_name, \
     last_name, care_of, address1, address2, postcode, city, country, email, phone, birth_date, \
     language, membership_type, joined_date, branch_id, workplace_id, notes, sort_name, sort_city, \
     search_text, updated_at) = (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, \
     ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25), version = version + 1, changed_by = ?26 \
     WHERE id = ?1";

/// What a member's row holds beside the checked member itself.
struct Written<'a> {
    m: &'a ValidMember,
    number: &'a str,
    number_int: Option<i64>,
    birth_date: Option<String>,
    joined_date: Option<String>,
    sort_name: String,
    sort_city: String,
    search: &'a str,
    /// When, written once for `updated_at` (and an insert's `created_at`).
    at: String,
    kind: &'static str,
    language: &'static str,
    membership_type: &'static str,
}

impl<'a> Written<'a> {
    fn new(
        m: &'a ValidMember,
        number: &'a str,
        country: Country,
        search: &'a str,
        at: Timestamp,
    ) -> Self {
        Written {
            m,
            number,
            number_int: number_int(number),
            birth_date: m.birth_date.map(|d| d.to_string()),
            joined_date: m.joined_date.map(|d| d.to_string()),
            sort_name: sort_key(
                &format!("{} {}", m.contact.last_name, m.contact.first_name),
                country,
            ),
            sort_city: sort_key(&m.contact.address.city, country),
            search,
            at: at.to_string(),
            kind: m.kind.as_str(),
            language: m.language.as_str(),
            membership_type: m.membership_type.as_str(),
        }
    }

    /// The values insert and update both write, in column order.
    fn values(&self) -> [&dyn ToSql; 24] {
        let m = self.m;
        [
            &self.number,
            &self.number_int,
            &self.kind,
            &m.contact.first_name,
            &m.contact.last_name,
            &m.contact.address.care_of,
            &m.contact.address.address1,
            &m.contact.address.address2,
            &m.contact.address.postcode,
            &m.contact.address.city,
            &m.contact.address.country,
            &m.contact.email,
            &m.contact.phone,
            &self.birth_date,
            &self.language,
            &self.membership_type,
            &self.joined_date,
            &m.branch_id,
            &m.workplace_id,
            &m.notes,
            &self.sort_name,
            &self.sort_city,
            &self.search,
            &self.at,
        ]
    }
}

pub(crate) fn insert_member(
    tx: &Connection,
    m: &ValidMember,
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
    let row = Written::new(m, &number, indexing.country, &search, at);
    let status = m.status.as_str();
    let status_date = status_date.to_string();
    tx.prepare_cached(INSERT_MEMBER)?.execute(params_from_iter(
        row.values()
            .into_iter()
            .chain([&status as &dyn ToSql, &status_date, &row.at]),
    ))?;
    let id = tx.last_insert_rowid();
    if indexing.search == Search::EachRow {
        tx.prepare_cached("INSERT INTO members_fts (rowid, search_text) VALUES (?1, ?2)")?
            .execute(params![id, search])?;
    }
    insert_roles(tx, id, &m.roles)?;
    super::history::record(
        tx,
        &HistoryLine {
            new: Some(&number),
            effective: m.joined_date,
            ..HistoryLine::of(id, at, HistoryKind::Created)
        },
    )?;
    Ok(id)
}

pub(super) fn insert_roles(tx: &Connection, member_id: i64, roles: &[Role]) -> Result<()> {
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

/// Updates a member from a checked input, recording each changed field.
pub(crate) fn update_member(
    tx: &Connection,
    id: i64,
    m: &ValidMember,
    indexing: Indexing,
) -> Result<bool> {
    let old = load_member(tx, id)?;
    let kept = same_country(&old, m, indexing.country);
    let m = kept.as_ref().unwrap_or(m);
    let number = m.number.clone().unwrap_or_else(|| old.number.clone());
    let branch = name_of(tx, "branches", m.branch_id)?;
    let workplace = name_of(tx, "workplaces", m.workplace_id)?;
    let (changes, roles_changed) = changes(&old, m, &number, &branch, &workplace);
    if changes.is_empty() {
        return Ok(false);
    }
    let at = now();
    for c in &changes {
        super::history::record(tx, &c.line(id, at))?;
    }
    if roles_changed {
        tx.execute("DELETE FROM member_roles WHERE member_id = ?1", [id])?;
        insert_roles(tx, id, &m.roles)?;
    }
    let old_search: String = tx
        .prepare_cached("SELECT search_text FROM members WHERE id = ?1")?
        .query_row([id], |r| r.get(0))?;
    let search = search_text(m, &number, &workplace);
    if indexing.search == Search::EachRow && old_search != search {
        tx.prepare_cached(
            "INSERT INTO members_fts (members_fts, rowid, search_text) VALUES ('delete', ?1, ?2)",
        )?
        .execute(params![id, old_search])?;
        tx.prepare_cached("INSERT INTO members_fts (rowid, search_text) VALUES (?1, ?2)")?
            .execute(params![id, search])?;
    }
    let row = Written::new(m, &number, indexing.country, &search, at);
    let by = this_user();
    tx.prepare_cached(UPDATE_MEMBER)?.execute(params_from_iter(
        [&id as &dyn ToSql]
            .into_iter()
            .chain(row.values())
            .chain([&by as &dyn ToSql]),
    ))?;
    Ok(true)
}

/// Sets a member's status from `date` and records the change: at once when
/// `date` is today or earlier, else scheduled for that day. `from` is the
/// member's status today. A change that was waiting is replaced (its
/// `unscheduled` line says so).
pub(crate) fn apply_status(
    tx: &Connection,
    id: i64,
    from: Status,
    to: Status,
    date: NaiveDate,
) -> Result<()> {
    let at = now();
    let today = today();
    unschedule(tx, id, at)?;
    if date > today {
        tx.execute(
            "UPDATE members SET scheduled_status = ?2, scheduled_date = ?3, updated_at = ?4, \
             version = version + 1, changed_by = ?5 WHERE id = ?1",
            params![id, to.as_str(), date.to_string(), at, this_user()],
        )?;
    } else {
        tx.execute(
            "UPDATE members SET status = ?2, status_date = ?3, updated_at = ?4, \
             version = version + 1, changed_by = ?5 WHERE id = ?1",
            params![id, to.as_str(), date.to_string(), at, this_user()],
        )?;
    }
    super::history::record(
        tx,
        &HistoryLine {
            field: Some("status"),
            old: Some(from.as_str()),
            new: Some(to.as_str()),
            effective: Some(date),
            ..HistoryLine::of(id, at, HistoryKind::Status)
        },
    )
}

/// Calls off the member's scheduled status change, if one is still ahead,
/// with an `unscheduled` history line; one whose day has come becomes the
/// member's status first. True when a change was called off.
pub(crate) fn unschedule(tx: &Connection, id: i64, at: Timestamp) -> Result<bool> {
    tx.execute(
        "UPDATE members SET status = scheduled_status, status_date = scheduled_date, \
         scheduled_status = NULL, scheduled_date = NULL WHERE id = ?1 AND scheduled_date <= ?2",
        params![id, today().to_string()],
    )?;
    let waiting: Option<(String, String, Option<NaiveDate>)> = tx
        .query_row(
            "SELECT status, scheduled_status, scheduled_date FROM members \
             WHERE id = ?1 AND scheduled_status IS NOT NULL",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, date_col(r, 2)?)),
        )
        .optional()?;
    let Some((kept, set, day)) = waiting else {
        return Ok(false);
    };
    tx.execute(
        "UPDATE members SET scheduled_status = NULL, scheduled_date = NULL, updated_at = ?2, \
         version = version + 1, changed_by = ?3 WHERE id = ?1",
        params![id, at, this_user()],
    )?;
    super::history::record(
        tx,
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

/// The `ORDER BY` of the member list; `country` gives the alphabet of the
/// names kept without a sort key (workplaces).
pub(super) fn order_by(query: &ListQuery, country: Country) -> String {
    let dir = if query.desc { "DESC" } else { "ASC" };
    match query.sort {
        SortKey::Name => format!("m.sort_name {dir}, m.id {dir}"),
        SortKey::Number => format!("m.number_int IS NULL, m.number_int {dir}, m.number {dir}"),
        SortKey::City => format!("m.sort_city {dir}, m.sort_name, m.id"),
        SortKey::Joined => format!("m.joined_date IS NULL, m.joined_date {dir}, m.sort_name, m.id"),
        SortKey::Status => format!("{} {dir}, m.sort_name, m.id", status_on(TODAY)),
        // Few workplaces: their names sort without an index of their own,
        // in the organisation's alphabet.
        SortKey::Workplace => format!(
            "w.name IS NULL, w.name COLLATE {} {dir}, m.sort_name, m.id",
            alphabet(country)
        ),
        SortKey::Email => format!("m.email = '', lower(m.email) {dir}, m.sort_name, m.id"),
    }
}

/// The collation (see `db::add_collations`) that sorts names in `country`'s
/// alphabet.
pub(super) fn alphabet(country: Country) -> &'static str {
    match country {
        Country::Se => "nordic_se",
        Country::Dk | Country::No => "nordic_dk",
    }
}

/// Above this many search hits the list walks the sort order instead of
/// sorting the hits (measured with `cargo xtask bench`).
pub(super) const DENSE_HITS: i64 = 2_000;

/// What a list's filter is for: the rows of a page (or all of them, in
/// order), or their count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Filtering {
    Rows,
    Count,
}

pub(super) fn list_sql(query: &ListQuery, for_: Filtering) -> (String, Vec<Box<dyn ToSql>>) {
    let mut clauses: Vec<&str> = Vec::new();
    let mut args: Vec<Box<dyn ToSql>> = Vec::new();
    let fts = fts_query(&query.search);
    // With a search, the hits drive the plan: `+` keeps SQLite from walking a
    // filter index (say, all 96 000 members of kind 'member') instead.
    let searching = fts.is_some();
    // Counting by status: the status index drives (see below), not kind's.
    let by_status = for_ == Filtering::Count && query.status.is_some() && !searching;
    let pick = |plain: &'static str, unary: &'static str| {
        if searching || (by_status && plain == "m.kind = ?") {
            unary
        } else {
            plain
        }
    };
    if let Some(fts) = fts {
        clauses.push("m.id IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ?)");
        args.push(Box::new(fts));
    }
    if let Some(kind) = query.kind {
        clauses.push(pick("m.kind = ?", "+m.kind = ?"));
        args.push(Box::new(kind.as_str()));
    }
    if let Some(ids) = &query.ids {
        // Members picked by hand: a JSON array, one parameter however many.
        clauses.push("m.id IN (SELECT value FROM json_each(?))");
        args.push(Box::new(serde_json::to_string(ids).unwrap_or_default()));
    }
    let status_clause;
    if let Some(status) = query.status {
        if by_status {
            // Today's status is the stored one or the scheduled one (the
            // history only speaks for a day before the stored one began):
            // this lets the count read the two status indexes alone instead
            // of every row (100 000 members: 5 ms instead of 40).
            status_clause = format!(
                "(m.status = ? OR m.scheduled_status = ?) AND {} = ?",
                status_on(TODAY)
            );
            args.push(Box::new(status.as_str()));
            args.push(Box::new(status.as_str()));
        } else {
            status_clause = format!("{} = ?", status_on(TODAY));
        }
        clauses.push(&status_clause);
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
