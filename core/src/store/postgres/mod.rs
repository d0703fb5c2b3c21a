//! The office server's store: the register in a PostgreSQL database that
//! several officers open at once (issue 17).
//!
//! The same traits as the file's store, the same rules; the SQL is
//! PostgreSQL's, with its own append-only migrations (`migrations/`). Each
//! officer's Medlem holds one connection; a unit of work is one server
//! transaction. Every area is here; only what is about a file (backups,
//! restores) answers `not_on_server`, in the window and the CLI.

use std::cell::{RefCell, RefMut};

use chrono::NaiveDate;
use postgres::{Client, GenericClient};

use crate::error::{Error, FieldCode, Result};
use crate::store::books::BookReads;
use crate::store::dues::DuesReads;
use crate::store::grants::GrantReads;
use crate::store::letters::LetterReads;
use crate::store::meetings::MeetingReads;
use crate::store::members::Indexing;
use crate::store::payments::PaymentReads;
use crate::store::{Reads, Register};
use crate::text::sort_key;
use crate::types::dates::{now, today};
use crate::types::*;
use crate::validate::{self, Checker};

mod books;
mod bulk;
pub mod db;
mod dues;
mod grants;
mod letters;
mod meetings;
mod members;
pub mod moving;
mod org;
mod payments;
pub mod tls;
mod work;

use members::*;
use org::*;
pub use work::PgWork;

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Error {
        // The connection went (the server stopped, the network dropped):
        // the server rolled back what was unfinished.
        let ended = [
            postgres::error::SqlState::ADMIN_SHUTDOWN,
            postgres::error::SqlState::CRASH_SHUTDOWN,
            postgres::error::SqlState::CANNOT_CONNECT_NOW,
        ];
        if e.is_closed()
            || e.code().is_some_and(|c| ended.contains(c))
            || (e.as_db_error().is_none() && is_io(&e))
        {
            return Error::ServerLost;
        }
        Error::Store(Box::new(e))
    }
}

/// Each row read by `each`.
fn all<T>(rows: Vec<postgres::Row>, each: fn(&postgres::Row) -> Result<T>) -> Result<Vec<T>> {
    rows.iter().map(each).collect()
}

/// Whether the client's error came from the connection itself.
fn is_io(e: &postgres::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return true;
        }
        source = s.source();
    }
    false
}

/// A register on an office server.
pub struct PgRegister {
    client: RefCell<Client>,
    address: db::Address,
    place: String,
}

/// What reads and writes go through: the register's connection, or a unit
/// of work's transaction.
trait Conn {
    type Db: GenericClient;
    fn db(&self) -> Result<RefMut<'_, Self::Db>>;
    /// The connection for the dues, payments and books: inside a unit of
    /// work, first the lock that makes the officers' money work take turns
    /// (see `dues.rs`).
    fn money(&self) -> Result<RefMut<'_, Self::Db>> {
        self.db()
    }
}

impl Conn for PgRegister {
    type Db = Client;
    fn db(&self) -> Result<RefMut<'_, Client>> {
        let mut client = self.client.borrow_mut();
        revive(&mut client, &self.address);
        Ok(client)
    }
}

/// Connects anew when the connection was lost, so that the officer's next
/// step works once the server is back (if it is not, that step says so).
fn revive(client: &mut Client, address: &db::Address) {
    if client.is_closed() {
        if let Ok(fresh) = db::reconnect(address) {
            *client = fresh;
        }
    }
}

/// How a read inside a unit of work holds what it read: its rows locked.
trait Locking {
    /// `FOR UPDATE ...` after a read of funds (`fund`), or of applications
    /// with their funds (`application`), inside a unit of work; nothing
    /// outside one.
    const LOCK_FUND: &'static str;
    const LOCK_APPLICATION: &'static str;
    /// After a read of a meeting (`m`, with its branch and workplace).
    const LOCK_MEETING: &'static str;
}

impl Locking for PgRegister {
    const LOCK_FUND: &'static str = "";
    const LOCK_APPLICATION: &'static str = "";
    const LOCK_MEETING: &'static str = "";
}

impl PgRegister {
    /// Connects to `url` (`postgres://user@host:port/database`), creating
    /// Medlem's tables in an empty database and migrating an older one.
    pub fn open(url: &str) -> Result<PgRegister> {
        Self::connect(db::config(url)?)
    }

    /// Whether `url` leaves the password to be asked for: it is not in the
    /// address, nor in `PGPASSWORD`, nor in `~/.pgpass`.
    pub fn asks_password(url: &str) -> Result<bool> {
        Ok(db::config(url)?.config.get_password().is_none())
    }

    /// Connects to `url` with the password the officer typed.
    pub fn open_with_password(url: &str, password: &str) -> Result<PgRegister> {
        let mut address = db::config(url)?;
        address.config.password(password);
        Self::connect(address)
    }

    /// Connects to the register at `address` (made from an address by
    /// [`db::config`]).
    pub fn connect(address: db::Address) -> Result<PgRegister> {
        let client = db::open(&address)?;
        Ok(PgRegister {
            client: RefCell::new(client),
            place: db::place(&address.config),
            address,
        })
    }

    /// Trusts `fingerprint` as the certificate of the server at `url` from
    /// now on on this computer, as the officer said after
    /// `server_certificate_new` or `tls_changed`.
    pub fn trust_certificate(url: &str, fingerprint: &str) -> Result<()> {
        db::trust(&db::config(url)?, fingerprint)
    }

    /// The connection for a write of the register's own, connected anew if
    /// it was lost.
    fn client(&mut self) -> &mut Client {
        let client = self.client.get_mut();
        revive(client, &self.address);
        client
    }

    /// Where the register at `url` is: `user@host:port/database`, never the
    /// password (empty for an address that does not read).
    pub fn place_of(url: &str) -> String {
        db::config(url)
            .map(|a| db::place(&a.config))
            .unwrap_or_default()
    }

    /// Whether the connection to the server is encrypted (TLS).
    pub fn encrypted(&self) -> Result<bool> {
        let row = self.db()?.query_one(
            "SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)",
            &[],
        )?;
        Ok(row.get(0))
    }

    /// Where the register is: `user@host:port/database`.
    pub fn place(&self) -> &str {
        &self.place
    }

    fn country(&self) -> Result<Country> {
        Ok(self.org()?.ok_or(Error::NoOrganisation)?.country)
    }
}

/// Reads and the member writes, the same for the register and a unit of
/// work.
macro_rules! reads_and_writes {
    ($t:ty) => {
        impl Reads for $t {
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
                load_member(&mut *self.db()?, id)
            }

            fn member_by_number(&self, number: &str) -> Result<Option<i64>> {
                Ok(self
                    .db()?
                    .query_opt(
                        "SELECT id FROM members WHERE number = $1",
                        &[&number.trim()],
                    )?
                    .map(|r| r.get(0)))
            }

            fn branch_exists(&self, id: i64) -> Result<bool> {
                exists(&mut *self.db()?, "branches", id)
            }

            fn workplace_exists(&self, id: i64) -> Result<bool> {
                exists(&mut *self.db()?, "workplaces", id)
            }

            fn setting(&self, key: &str) -> Result<Option<String>> {
                setting(&mut *self.db()?, key)
            }
        }
    };
}

reads_and_writes!(PgRegister);
reads_and_writes!(PgWork<'_>);

use crate::validate::org as check_org;

impl Register for PgRegister {
    fn org(&self) -> Result<Option<Org>> {
        load_org(&mut *self.db()?)
    }

    fn create_org(&mut self, input: &OrgInput) -> Result<Org> {
        let (name, country, postal_address, org_number) = check_org(input)?;
        let mut tx = self.client().transaction()?;
        // Two officers creating it at once: the second waits here, then
        // finds the first one's.
        tx.execute("LOCK TABLE organisation IN EXCLUSIVE MODE", &[])?;
        if load_org(&mut tx)?.is_some() {
            return Err(Error::field("name", FieldCode::Duplicate));
        }
        let org = Org {
            name,
            country,
            postal_address,
            org_number,
            currency: country.currency(),
        };
        insert_org(&mut tx, &org, now())?;
        tx.commit()?;
        Ok(org)
    }

    fn update_org(&mut self, input: &OrgInput) -> Result<Org> {
        let (name, country, address, number) = check_org(input)?;
        let before = self.country()?;
        let mut tx = self.client().transaction()?;
        tx.execute(
            "UPDATE organisation SET name = $1, country = $2, postal_address = $3, \
             org_number = $4, currency = $5 WHERE id = 1",
            &[
                &name,
                &country.as_str(),
                &address,
                &number,
                &country.currency().as_str(),
            ],
        )?;
        if before != country {
            // The alphabet changed: every sort key again.
            for r in tx.query("SELECT id, last_name, first_name, city FROM members", &[])? {
                let (id, last, first, city): (i64, &str, &str, &str) =
                    (r.get(0), r.get(1), r.get(2), r.get(3));
                tx.execute(
                    "UPDATE members SET sort_name = $2, sort_city = $3 WHERE id = $1",
                    &[
                        &id,
                        &sort_key(&format!("{last} {first}"), country),
                        &sort_key(city, country),
                    ],
                )?;
            }
            for table in ["branches", "workplaces"] {
                for r in tx.query(&format!("SELECT id, name FROM {table}"), &[])? {
                    let (id, name): (i64, &str) = (r.get(0), r.get(1));
                    tx.execute(
                        &format!("UPDATE {table} SET sort_name = $2 WHERE id = $1"),
                        &[&id, &sort_key(name, country)],
                    )?;
                }
            }
        }
        let org = load_org(&mut tx)?.ok_or(Error::NoOrganisation)?;
        tx.commit()?;
        Ok(org)
    }

    fn language(&self) -> Result<Option<Language>> {
        Ok(setting(&mut *self.db()?, "language")?
            .as_deref()
            .and_then(Language::parse))
    }

    fn set_language(&mut self, language: Option<Language>) -> Result<()> {
        let c = self.client();
        match language {
            Some(l) => put_setting(c, "language", l.as_str())?,
            None => {
                c.execute("DELETE FROM settings WHERE key = 'language'", &[])?;
            }
        }
        Ok(())
    }

    fn last_backup_at(&self) -> Result<Option<Timestamp>> {
        Ok(setting(&mut *self.db()?, "last_backup_at")?
            .as_deref()
            .and_then(Timestamp::parse))
    }

    fn branches(&self) -> Result<Vec<Branch>> {
        self.db()?
            .query(
                "SELECT b.id, b.name, (SELECT count(*) FROM members m WHERE m.branch_id = b.id) \
                 FROM branches b ORDER BY b.sort_name, b.id",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(Branch {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    member_count: r.try_get(2)?,
                })
            })
            .collect()
    }

    fn create_branch(&mut self, name: &str) -> Result<Branch> {
        let mut c = Checker::default();
        let name = c.required("name", name, 200);
        c.finish(())?;
        let mut tx = self.client().transaction()?;
        let taken = tx
            .query_opt(
                "SELECT 1 FROM branches WHERE lower(name) = lower($1)",
                &[&name],
            )?
            .is_some();
        if taken {
            return Err(Error::field("name", FieldCode::Duplicate));
        }
        let id = insert_branch(&mut tx, &name)?;
        tx.commit()?;
        Ok(Branch {
            id,
            name,
            member_count: 0,
        })
    }

    fn workplaces(&self) -> Result<Vec<Workplace>> {
        self.db()?
            .query(
                "SELECT w.id, w.name, w.branch_id, b.name, \
                 (SELECT count(*) FROM members m WHERE m.workplace_id = w.id) \
                 FROM workplaces w LEFT JOIN branches b ON b.id = w.branch_id \
                 ORDER BY w.sort_name, w.id",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(Workplace {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    branch_id: r.try_get(2)?,
                    branch_name: r.try_get(3)?,
                    member_count: r.try_get(4)?,
                })
            })
            .collect()
    }

    fn create_workplace(&mut self, name: &str, branch_id: Option<i64>) -> Result<Workplace> {
        let mut c = Checker::default();
        let name = c.required("name", name, 200);
        c.finish(())?;
        let mut tx = self.client().transaction()?;
        let branch_name = match branch_id {
            Some(b) => Some(
                tx.query_opt("SELECT name FROM branches WHERE id = $1", &[&b])?
                    .map(|r| r.get::<_, String>(0))
                    .ok_or_else(|| Error::field("branchId", FieldCode::InvalidChoice))?,
            ),
            None => None,
        };
        let taken = tx
            .query_opt(
                "SELECT 1 FROM workplaces WHERE lower(name) = lower($1) \
                 AND branch_id IS NOT DISTINCT FROM $2",
                &[&name, &branch_id],
            )?
            .is_some();
        if taken {
            return Err(Error::field("name", FieldCode::Duplicate));
        }
        let id = insert_workplace(&mut tx, &name, branch_id)?;
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
        let mut args = Args::today();
        let filter = list_filter(query, &mut args);
        let c = &mut *self.db()?;
        let total: i64 = args
            .query(c, &format!("SELECT count(*) FROM members m {filter}"))?
            .first()
            .map_or(0, |r| r.get(0));
        let limit = args.add(query.limit.clamp(1, MAX_PAGE));
        let offset_value = query.offset.max(0);
        let offset = args.add(offset_value);
        let sql = format!(
            "SELECT m.id, m.number, m.kind, m.first_name, m.last_name, m.email, m.phone, \
             m.city, {}, m.joined_date, b.name, w.name {MEMBER_JOINS} {filter} ORDER BY {} \
             LIMIT {limit} OFFSET {offset}",
            list_status_columns(),
            order_by(query)
        );
        let items = args
            .query(c, &sql)?
            .iter()
            .map(|r| {
                Ok(MemberRow {
                    id: r.try_get(0)?,
                    number: r.try_get(1)?,
                    kind: enum_col(r, 2, Kind::parse)?,
                    first_name: r.try_get(3)?,
                    last_name: r.try_get(4)?,
                    email: r.try_get(5)?,
                    phone: r.try_get(6)?,
                    city: r.try_get(7)?,
                    status: enum_col(r, 8, Status::parse)?,
                    scheduled: scheduled_col(r, 9)?,
                    joined_date: r.try_get(11)?,
                    branch_name: r.try_get(12)?,
                    workplace_name: r.try_get(13)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(MemberPage {
            total,
            offset: offset_value,
            items,
        })
    }

    fn list_ids(&self, query: &ListQuery) -> Result<Vec<i64>> {
        let mut args = Args::today();
        let filter = list_filter(query, &mut args);
        let sql = format!(
            "SELECT m.id {MEMBER_JOINS} {filter} ORDER BY {}",
            order_by(query)
        );
        args.query(&mut *self.db()?, &sql)?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect()
    }

    fn position(&self, query: &ListQuery, prefix: &str) -> Result<i64> {
        let column = match query.sort {
            SortKey::Name => "m.sort_name",
            SortKey::City => "m.sort_city",
            _ => return Err(Error::field("sort", FieldCode::InvalidChoice)),
        };
        let key = sort_key(prefix.trim(), self.country()?);
        let mut args = Args::today();
        let filter = list_filter(query, &mut args);
        let cond = if query.desc {
            format!("{column} > {}", args.add(format!("{key}\u{10FFFF}")))
        } else {
            format!("{column} < {}", args.add(key))
        };
        let filter = if filter.is_empty() {
            format!("WHERE {cond}")
        } else {
            format!("{filter} AND {cond}")
        };
        let rows = args.query(
            &mut *self.db()?,
            &format!("SELECT count(*) FROM members m {filter}"),
        )?;
        Ok(rows.first().map_or(0, |r| r.get(0)))
    }

    fn get(&self, id: i64) -> Result<Member> {
        load_member(&mut *self.db()?, id)
    }

    fn create(&mut self, input: &MemberInput) -> Result<Member> {
        let org = self.org()?.ok_or(Error::NoOrganisation)?;
        let valid = validate::member(input, org.country.language(), today())?;
        let mut tx = self.client().transaction()?;
        // New numbers are the highest plus one: one officer at a time.
        tx.execute("LOCK TABLE members IN SHARE ROW EXCLUSIVE MODE", &[])?;
        check_references(&mut tx, &valid, None)?;
        let status_date = valid.joined_date.unwrap_or_else(today);
        let id = insert_member(
            &mut tx,
            &valid,
            status_date,
            Indexing::each_row(org.country),
        )?;
        tx.commit()?;
        self.get(id)
    }

    fn update(&mut self, id: i64, input: &MemberInput) -> Result<Member> {
        let org = self.org()?.ok_or(Error::NoOrganisation)?;
        let mut valid = validate::member(input, org.country.language(), today())?;
        let mut tx = self.client().transaction()?;
        tx.execute("SELECT 1 FROM members WHERE id = $1 FOR UPDATE", &[&id])?;
        let current = load_member(&mut tx, id)?;
        check_version(&mut tx, &current, input.version)?;
        if valid.number.is_none() {
            valid.number = Some(current.number);
        }
        check_references(&mut tx, &valid, Some(id))?;
        update_member(&mut tx, id, &valid, Indexing::each_row(org.country))?;
        tx.commit()?;
        self.get(id)
    }

    fn set_status(&mut self, id: i64, status: Status, date: NaiveDate) -> Result<Member> {
        let mut tx = self.client().transaction()?;
        tx.execute("SELECT 1 FROM members WHERE id = $1 FOR UPDATE", &[&id])?;
        let current = load_member(&mut tx, id)?;
        if current.scheduled.is_some() && status == current.status {
            unschedule(&mut tx, id, now())?;
            tx.commit()?;
            return self.get(id);
        }
        if !current.status.can_become(status) {
            return Err(Error::field("status", FieldCode::InvalidChoice));
        }
        if current.joined_date.is_some_and(|j| date < j) {
            return Err(Error::field("date", FieldCode::DateOrder));
        }
        apply_status(&mut tx, id, current.status, status, date)?;
        tx.commit()?;
        self.get(id)
    }

    fn history(&self, id: i64) -> Result<Vec<HistoryEntry>> {
        let c = &mut *self.db()?;
        load_member(c, id)?;
        c.query(
            "SELECT at, kind, field, old_value, new_value, effective_date, by_user \
             FROM member_history WHERE member_id = $1 ORDER BY id DESC",
            &[&id],
        )?
        .iter()
        .map(|r| {
            Ok(HistoryEntry {
                at: Timestamp(r.try_get(0)?),
                kind: enum_col(r, 1, HistoryKind::parse)?,
                field: r.try_get(2)?,
                old_value: r.try_get(3)?,
                new_value: r.try_get(4)?,
                effective_date: r.try_get(5)?,
                by: r.try_get(6)?,
            })
        })
        .collect()
    }

    fn for_each_member(
        &self,
        query: &ListQuery,
        each: &mut dyn FnMut(&Member) -> Result<()>,
    ) -> Result<()> {
        let c = &mut *self.db()?;
        let mut roles: std::collections::HashMap<i64, Vec<Role>> = Default::default();
        for r in c.query(
            "SELECT member_id, id, role, from_date, to_date FROM member_roles \
             ORDER BY from_date, id",
            &[],
        )? {
            roles
                .entry(r.try_get(0)?)
                .or_default()
                .push(role_from_row(&r, 1)?);
        }
        let mut args = Args::today();
        let filter = list_filter(query, &mut args);
        let sql = format!(
            "SELECT {} {MEMBER_JOINS} {filter} ORDER BY {}",
            member_columns(),
            order_by(query)
        );
        for r in args.query(c, &sql)? {
            let mut m = member_from_row(&r)?;
            m.roles = roles.remove(&m.id).unwrap_or_default();
            each(&m)?;
        }
        Ok(())
    }
}

/// The list rows' status and scheduled change.
fn list_status_columns() -> String {
    format!("{STATUS_TODAY}, {SCHEDULED_AFTER}")
}
