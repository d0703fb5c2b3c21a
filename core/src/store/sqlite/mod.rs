//! The SQLite backend of [`Register`]: the embedded default store.
//!
//! Reads take `&Connection`; writes take a `&Transaction` and are committed by
//! the trait method that began it, so every write that belongs together is
//! all or nothing.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, FieldCode, Result};
use crate::store::books::{BookReads, BookWrites};
use crate::store::dues::{DuesReads, DuesWrites};
use crate::store::grants::{GrantReads, GrantWrites};
use crate::store::history::HistoryWrites;
use crate::store::letters::{LetterReads, LetterWrites};
use crate::store::meetings::{MeetingReads, MeetingWrites};
use crate::store::members::{Indexing, MemberWrites};
use crate::store::payments::{PaymentReads, PaymentWrites};
use crate::store::{Reads, Register, Store, UnitOfWork};
use crate::text::{fts_query, sort_key};
use crate::types::dates::{now, today};
use crate::types::*;
use crate::validate::ValidMember;
use crate::validate::{self, Checker};

mod books;
mod checks;
pub mod db;
mod dues;
mod grants;
mod history;
mod letters;
mod meetings;
mod members;
mod org;
mod payments;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Error {
        Error::Store(Box::new(e))
    }
}

/// A date column (ISO text), `None` when empty or not a date.
pub(super) fn date_col(r: &rusqlite::Row, i: usize) -> rusqlite::Result<Option<NaiveDate>> {
    // Read in place: no copy of the text.
    let s = r.get_ref(i)?.as_str_or_null().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, r.get_ref_unwrap(i).data_type(), Box::new(e))
    })?;
    Ok(s.and_then(crate::types::dates::parse_date))
}

/// A connection to read and write through: the register itself (reads),
/// or a unit of work's transaction. Every area's SQL is written once, for
/// both.
pub(crate) trait Conn {
    fn conn(&self) -> &Connection;
}

impl Conn for SqliteRegister {
    fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// A unit of work: one SQLite transaction.
pub struct SqliteWork<'c> {
    tx: rusqlite::Transaction<'c>,
}

impl Conn for SqliteWork<'_> {
    fn conn(&self) -> &Connection {
        &self.tx
    }
}

impl<C: Conn> Reads for C {
    fn meetings(&self) -> &dyn MeetingReads {
        self
    }

    fn grants(&self) -> &dyn GrantReads {
        self
    }

    fn letters(&self) -> &dyn LetterReads {
        self
    }

    fn dues(&self) -> &dyn DuesReads {
        self
    }

    fn payments(&self) -> &dyn PaymentReads {
        self
    }

    fn books(&self) -> &dyn BookReads {
        self
    }

    fn member(&self, id: i64) -> Result<Member> {
        load_member(self.conn(), id)
    }

    fn member_by_number(&self, number: &str) -> Result<Option<i64>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM members WHERE number = ?1",
                [number.trim()],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn branch_exists(&self, id: i64) -> Result<bool> {
        exists(self.conn(), "SELECT 1 FROM branches WHERE id = ?1", id)
    }

    fn workplace_exists(&self, id: i64) -> Result<bool> {
        exists(self.conn(), "SELECT 1 FROM workplaces WHERE id = ?1", id)
    }

    fn setting(&self, key: &str) -> Result<Option<String>> {
        setting(self.conn(), key)
    }
}

fn exists(conn: &Connection, sql: &str, id: i64) -> Result<bool> {
    Ok(conn.query_row(sql, [id], |_| Ok(())).optional()?.is_some())
}

impl UnitOfWork for SqliteWork<'_> {
    fn meeting_writes(&self) -> &dyn MeetingWrites {
        self
    }

    fn grant_writes(&self) -> &dyn GrantWrites {
        self
    }

    fn letter_writes(&self) -> &dyn LetterWrites {
        self
    }

    fn dues_writes(&self) -> &dyn DuesWrites {
        self
    }

    fn payment_writes(&self) -> &dyn PaymentWrites {
        self
    }

    fn book_writes(&self) -> &dyn BookWrites {
        self
    }

    fn member_writes(&self) -> &dyn MemberWrites {
        self
    }

    fn history_writes(&self) -> &dyn HistoryWrites {
        self
    }

    fn put_setting(&self, key: &str, value: &str) -> Result<()> {
        put_setting(&self.tx, key, value)
    }

    fn commit(self: Box<Self>) -> Result<()> {
        Ok(self.tx.commit()?)
    }
}

impl<C: Conn> MemberWrites for C {
    fn has_org(&self) -> Result<bool> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) > 0 FROM organisation", [], |r| r.get(0))?)
    }

    fn insert_org(&self, org: &Org, at: Timestamp) -> Result<()> {
        self.conn().execute(
            "INSERT INTO organisation (id, name, country, postal_address, org_number, currency, \
             created_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                org.name,
                org.country.as_str(),
                org.postal_address,
                org.org_number,
                org.currency.as_str(),
                at
            ],
        )?;
        Ok(())
    }

    fn insert_branch(&self, name: &str) -> Result<i64> {
        self.conn()
            .execute("INSERT INTO branches (name) VALUES (?1)", [name])?;
        Ok(self.conn().last_insert_rowid())
    }

    fn insert_workplace(&self, name: &str, branch_id: Option<i64>) -> Result<i64> {
        self.conn().execute(
            "INSERT INTO workplaces (name, branch_id) VALUES (?1, ?2)",
            params![name, branch_id],
        )?;
        Ok(self.conn().last_insert_rowid())
    }

    fn insert_member(&self, m: &ValidMember, status_date: NaiveDate, ix: Indexing) -> Result<i64> {
        insert_member(self.conn(), m, status_date, ix)
    }

    fn update_member(&self, id: i64, m: &ValidMember, ix: Indexing) -> Result<bool> {
        update_member(self.conn(), id, m, ix)
    }

    fn apply_status(&self, id: i64, from: Status, to: Status, date: NaiveDate) -> Result<()> {
        apply_status(self.conn(), id, from, to, date)
    }

    fn rebuild_search_index(&self) -> Result<()> {
        rebuild_search_index(self.conn())
    }
}

impl Store for SqliteRegister {
    fn begin(&mut self) -> Result<Box<dyn UnitOfWork + '_>> {
        Ok(Box::new(SqliteWork {
            tx: self.conn.transaction()?,
        }))
    }
}

pub(crate) use members::load_member;
use members::*;
use org::*;
pub(crate) use org::{put_setting, setting};

pub struct SqliteRegister {
    conn: Connection,
    path: Option<PathBuf>,
    /// Folds the write-ahead log into the file after large commits, on
    /// its own connection (none for a register in memory).
    checkpoints: Option<std::thread::JoinHandle<()>>,
}

impl SqliteRegister {
    /// Opens the file at `path`, creating and migrating it as needed.
    pub fn open(path: &Path) -> Result<Self> {
        let mut conn = db::open(path)?;
        let checkpoints = db::checkpoint_in_background(&mut conn, path)?;
        Ok(SqliteRegister {
            conn,
            path: Some(path.to_owned()),
            checkpoints,
        })
    }

    pub fn open_in_memory() -> Result<Self> {
        Ok(SqliteRegister {
            conn: db::open_in_memory()?,
            path: None,
            checkpoints: None,
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The connection, for the other core modules (import, backup, ...).
    pub fn connection(&self) -> &Connection {
        &self.conn
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

    /// The alphabet the list's order needs (read only for a sort by workplace).
    fn alphabet(&self, query: &ListQuery) -> Result<Country> {
        Ok(match query.sort {
            SortKey::Workplace => self.org()?.map_or(Country::Se, |o| o.country),
            _ => Country::Se,
        })
    }
}

impl Drop for SqliteRegister {
    /// The checkpoints stop before the register's own connection closes
    /// (which folds in what is left of the log).
    fn drop(&mut self) {
        db::stop_checkpoints(&mut self.conn, self.checkpoints.take());
    }
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

    fn last_backup_at(&self) -> Result<Option<Timestamp>> {
        Ok(setting(&self.conn, "last_backup_at")?
            .as_deref()
            .and_then(Timestamp::parse))
    }

    fn branches(&self) -> Result<Vec<Branch>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT b.id, b.name, (SELECT count(*) FROM members m WHERE m.branch_id = b.id) \
             FROM branches b ORDER BY b.name COLLATE {}, b.id",
            alphabet(self.org()?.map_or(Country::Se, |o| o.country))
        ))?;
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
        let mut stmt = self.conn.prepare(&format!(
            "SELECT w.id, w.name, w.branch_id, b.name, \
             (SELECT count(*) FROM members m WHERE m.workplace_id = w.id) \
             FROM workplaces w LEFT JOIN branches b ON b.id = w.branch_id \
             ORDER BY w.name COLLATE {}, w.id",
            alphabet(self.org()?.map_or(Country::Se, |o| o.country))
        ))?;
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
        let today = today().to_string();
        let total = match fts_query(&query.search) {
            Some(fts)
                if query.status.is_none()
                    && query.branch_id.is_none()
                    && query.workplace_id.is_none()
                    && query.ids.is_none() =>
            {
                self.count_hits(&fts, query.kind)?
            }
            _ => {
                let (filter, args) = list_sql(query, Filtering::Count);
                let mut stmt = self
                    .conn
                    .prepare_cached(&format!("SELECT count(*) FROM members m {filter}"))?;
                let args = with_today(&stmt, args.iter().map(|a| a.as_ref()), &today)?;
                stmt.query_row(rusqlite::params_from_iter(args), |r| r.get(0))?
            }
        };
        let (filter, mut args) = list_sql(query, Filtering::Rows);
        let order = order_by(query, self.alphabet(query)?);
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
             {}, m.joined_date, b.name, w.name {MEMBER_JOINS} {filter} ORDER BY {order} \
             LIMIT ? OFFSET ?",
            list_status_columns()
        ))?;
        let bound = with_today(&stmt, args.iter().map(|a| a.as_ref()), &today)?;
        let items = stmt
            .query_map(rusqlite::params_from_iter(bound), |r| {
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
                    scheduled: scheduled_col(r, 9)?,
                    joined_date: date_col(r, 11)?,
                    branch_name: r.get(12)?,
                    workplace_name: r.get(13)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(MemberPage {
            total,
            offset,
            items,
        })
    }

    fn list_ids(&self, query: &ListQuery) -> Result<Vec<i64>> {
        let today = today().to_string();
        let (filter, args) = list_sql(query, Filtering::Rows);
        let order = order_by(query, self.alphabet(query)?);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT m.id {MEMBER_JOINS} {filter} ORDER BY {order}"
        ))?;
        let bound = with_today(&stmt, args.iter().map(|a| a.as_ref()), &today)?;
        let ids = stmt
            .query_map(rusqlite::params_from_iter(bound), |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    fn position(&self, query: &ListQuery, prefix: &str) -> Result<i64> {
        let column = match query.sort {
            SortKey::Name => "m.sort_name",
            SortKey::City => "m.sort_city",
            _ => return Err(Error::field("sort", FieldCode::InvalidChoice)),
        };
        let country = self.org()?.ok_or(Error::NoOrganisation)?.country;
        let key = sort_key(prefix.trim(), country);
        // Ascending: the rows before the first key at or after the prefix.
        // Descending: the rows whose keys come after every key that starts
        // with it.
        let (cond, bound_key) = if query.desc {
            (format!("{column} > ?"), format!("{key}\u{10FFFF}"))
        } else {
            (format!("{column} < ?"), key)
        };
        let (filter, mut args) = list_sql(query, Filtering::Count);
        let filter = if filter.is_empty() {
            format!("WHERE {cond}")
        } else {
            format!("{filter} AND {cond}")
        };
        args.push(Box::new(bound_key));
        let today = today().to_string();
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT count(*) FROM members m {filter}"))?;
        let bound = with_today(&stmt, args.iter().map(|a| a.as_ref()), &today)?;
        Ok(stmt.query_row(rusqlite::params_from_iter(bound), |r| r.get(0))?)
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
        let id = insert_member(&tx, &valid, status_date, Indexing::each_row(org.country))?;
        tx.commit()?;
        self.get(id)
    }

    fn update(&mut self, id: i64, input: &MemberInput) -> Result<Member> {
        let org = self.org()?.ok_or(Error::NoOrganisation)?;
        let mut valid = validate::member(input, org.country.language(), today())?;
        let tx = self.conn.transaction()?;
        let current = load_member(&tx, id)?;
        check_version(&tx, &current, input.version)?;
        if valid.number.is_none() {
            valid.number = Some(current.number);
        }
        check_references(&tx, &valid, Some(id))?;
        update_member(&tx, id, &valid, Indexing::each_row(org.country))?;
        tx.commit()?;
        self.get(id)
    }

    fn set_status(&mut self, id: i64, status: Status, date: NaiveDate) -> Result<Member> {
        let tx = self.conn.transaction()?;
        let current = load_member(&tx, id)?;
        // Back to the status they have today while a change waits (a
        // resignation taken back before its day): the change is called off.
        if current.scheduled.is_some() && status == current.status {
            unschedule(&tx, id, now())?;
            tx.commit()?;
            return self.get(id);
        }
        if !current.status.can_become(status) {
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
                by: None,
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
        let (filter, args) = list_sql(query, Filtering::Rows);
        let order = order_by(query, self.alphabet(query)?);
        let today = today().to_string();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {} {MEMBER_JOINS} {filter} ORDER BY {order}",
            member_columns()
        ))?;
        let bound = with_today(&stmt, args.iter().map(|a| a.as_ref()), &today)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(bound))?;
        while let Some(r) = rows.next()? {
            let mut m = member_from_row(r)?;
            m.roles = roles.remove(&m.id).unwrap_or_default();
            each(&m)?;
        }
        Ok(())
    }
}

/// A timestamp is RFC 3339 text in SQLite.
impl rusqlite::ToSql for crate::types::dates::Timestamp {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(rusqlite::types::ToSqlOutput::from(self.to_string()))
    }
}

impl rusqlite::types::FromSql for crate::types::dates::Timestamp {
    fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let s = v.as_str()?;
        crate::types::dates::Timestamp::parse(s).ok_or_else(|| {
            rusqlite::types::FromSqlError::Other(format!("not a time: {s:?}").into())
        })
    }
}
