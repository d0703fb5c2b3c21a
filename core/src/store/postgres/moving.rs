//! Moving a register between a file and the office server, whole: every
//! table's rows, ids kept, in one transaction on the side written to, and
//! the rows counted on both sides before it commits. Into the server by
//! `COPY` (its text format: the server reads the file's days and times as
//! they are written); out of it from one snapshot of the server (other
//! officers may go on working meanwhile), the file's days and times written
//! as the file keeps them.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};

use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use rusqlite::types::{Value, ValueRef};
use serde::Serialize;

use super::bulk::Bulk;
use super::members::spaced_words;
use super::PgRegister;
use crate::error::{Error, Result};
use crate::store::sqlite::SqliteRegister;
use crate::text::{fold, sort_key};
use crate::types::Country;

/// Every table of a register, each after those it refers to.
pub const TABLES: &[&str] = &[
    "organisation",
    "settings",
    "branches",
    "workplaces",
    "members",
    "member_roles",
    "member_history",
    "letter_templates",
    "files",
    "meetings",
    "invitations",
    "meeting_voters",
    "funds",
    "grant_applications",
    "grant_lines",
    "grant_steps",
    "grant_files",
    "outgoing_applications",
    "fee_rules",
    "member_dues",
    "dues_runs",
    "invoices",
    "bank_files",
    "payments",
    "allocations",
    "book_exports",
];

/// What a move copied: the rows of each table, counted on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Moved {
    pub tables: Vec<TableRows>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableRows {
    pub table: String,
    pub rows: i64,
}

impl Moved {
    /// The rows of `table`.
    pub fn rows(&self, table: &str) -> i64 {
        self.tables
            .iter()
            .find(|t| t.table == table)
            .map_or(0, |t| t.rows)
    }
}

/// A column of a table on the server, as the move treats it.
struct Column {
    name: String,
    /// The server's type (`information_schema`'s `data_type`).
    kind: String,
    /// Whether the file must have it: the server has no default for it,
    /// and the move does not make it (a sort name, from the name).
    required: bool,
}

/// The server's columns of each table, in their order.
fn server_columns(c: &mut impl postgres::GenericClient) -> Result<HashMap<String, Vec<Column>>> {
    let rows = c.query(
        "SELECT table_name::text, column_name::text, data_type::text, column_default IS NOT NULL \
         FROM information_schema.columns WHERE table_schema = current_schema() \
         ORDER BY table_name, ordinal_position",
        &[],
    )?;
    let mut all: HashMap<String, Vec<Column>> = HashMap::new();
    for r in rows {
        let has_default: bool = r.try_get(3)?;
        let name: String = r.try_get(1)?;
        // A column only the server has is made by the server (a default)
        // or here (`sort_name`); any other must be on the file too.
        let required = !has_default && name != "sort_name";
        all.entry(r.try_get(0)?).or_default().push(Column {
            name,
            kind: r.try_get(2)?,
            required,
        });
    }
    Ok(all)
}

/// The file's columns of `table`.
fn file_columns(file: &rusqlite::Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = file.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
    let names = stmt.query_map([], |r| r.get(0))?;
    Ok(names.collect::<rusqlite::Result<_>>()?)
}

/// The columns both sides have, and whether each is on the file; an
/// unknown column only the server has, without a default, stops the move.
/// Two the server has alone come along: `sort_name` (made from the name)
/// and `by_user` (no officer: the file does not say who wrote a line).
fn plan(table: &str, server: &[Column], file: &[String]) -> Result<Vec<(String, String, bool)>> {
    let mut columns = Vec::new();
    for c in server {
        let on_file = file.contains(&c.name);
        if !on_file && c.required {
            return Err(Error::Store(
                format!(
                    "{table}.{} is on the server only, and has no default",
                    c.name
                )
                .into(),
            ));
        }
        if on_file || c.name == "sort_name" || c.name == "by_user" {
            columns.push((c.name.clone(), c.kind.clone(), on_file));
        }
    }
    Ok(columns)
}

fn not_empty() -> Error {
    Error::RegisterNotEmpty
}

/// The rows of `table` on the file.
fn file_count(file: &rusqlite::Connection, table: &str) -> Result<i64> {
    Ok(file.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
}

/// Writes `v` as a field of `COPY`'s text format.
fn copy_field(out: &mut Vec<u8>, v: ValueRef) {
    match v {
        ValueRef::Null => out.extend_from_slice(b"\\N"),
        ValueRef::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        ValueRef::Real(f) => {
            let _ = write!(out, "{f}");
        }
        ValueRef::Text(t) => copy_text(out, t),
        ValueRef::Blob(b) => {
            out.extend_from_slice(b"\\\\x");
            for byte in b {
                let _ = write!(out, "{byte:02x}");
            }
        }
    }
}

fn copy_text(out: &mut Vec<u8>, t: &[u8]) {
    for &b in t {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// Stops with `cancelled` once asked.
fn check(cancel: &AtomicBool) -> Result<()> {
    match cancel.load(Ordering::Relaxed) {
        true => Err(Error::Cancelled),
        false => Ok(()),
    }
}

impl PgRegister {
    /// Copies the register in `file` into this server database, which must
    /// hold none (`register_not_empty`): every row of every table, ids
    /// kept, in one transaction, counted on both sides before it commits.
    /// `progress(done, tables)` after each table; stopped (`cancelled`) or
    /// failed, nothing of it is kept.
    pub fn copy_from_file(
        &mut self,
        file: &SqliteRegister,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<Moved> {
        let lite = file.connection();
        let country = file_country(lite)?;
        let client = self.client();
        let mut tx = client.transaction()?;
        // Other officers opening the empty database meanwhile wait.
        tx.batch_execute("LOCK TABLE organisation, members IN EXCLUSIVE MODE")?;
        for table in TABLES {
            let rows: i64 = tx
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
                .try_get(0)?;
            if rows > 0 && *table != "settings" {
                return Err(not_empty());
            }
        }
        // A new database's own settings give way to the file's.
        tx.execute("DELETE FROM settings", &[])?;
        // The member tables' secondary indexes and references are made once
        // after their rows, as a big import's are.
        let mut bulk = Bulk::default();
        bulk.start(&mut tx)?;
        let columns = server_columns(&mut tx)?;
        let mut moved = Vec::new();
        for (n, table) in TABLES.iter().enumerate() {
            check(cancel)?;
            let plan = plan(table, &columns[*table], &file_columns(lite, table)?)?;
            let names: Vec<&str> = plan.iter().map(|(n, _, _)| n.as_str()).collect();
            let read: Vec<&str> = plan
                .iter()
                .map(|(n, _, on_file)| match (on_file, n.as_str()) {
                    (true, n) => n,
                    (false, "by_user") => "NULL",
                    (false, _) => "name",
                })
                .collect();
            let mut stmt = lite.prepare(&format!("SELECT {} FROM {table}", read.join(", ")))?;
            let mut rows = stmt.query([])?;
            let mut sink =
                tx.copy_in(&format!("COPY {table} ({}) FROM STDIN", names.join(", ")))?;
            let mut buf = Vec::with_capacity(1 << 16);
            let mut count = 0usize;
            while let Some(r) = rows.next()? {
                for (i, (name, _, on_file)) in plan.iter().enumerate() {
                    if i > 0 {
                        buf.push(b'\t');
                    }
                    match on_file {
                        true if *table == "members" && name == "search_text" => {
                            let text = r.get_ref(i)?.as_str().unwrap_or_default();
                            // The file's folded text, in the server's words.
                            copy_text(&mut buf, spaced_words(text).as_bytes());
                        }
                        true => copy_field(&mut buf, r.get_ref(i)?),
                        // Written by no officer the server knows.
                        false if name == "by_user" => buf.extend_from_slice(b"\\N"),
                        // The sort name, from the name (`read` above).
                        false => {
                            let name = r.get_ref(i)?.as_str().unwrap_or_default();
                            copy_text(&mut buf, sort_key(name, country).as_bytes());
                        }
                    }
                }
                buf.push(b'\n');
                count += 1;
                if buf.len() > 1 << 20 {
                    sink.write_all(&buf).map_err(|_| Error::ServerLost)?;
                    buf.clear();
                    check(cancel)?;
                }
            }
            sink.write_all(&buf).map_err(|_| Error::ServerLost)?;
            sink.finish()?;
            if names.contains(&"id") && columns[*table].iter().any(|c| c.name == "id") {
                // The next new row's id follows the file's last.
                tx.execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) \
                         FROM {table} HAVING max(id) IS NOT NULL \
                         AND pg_get_serial_sequence('{table}', 'id') IS NOT NULL"
                    ),
                    &[],
                )?;
            }
            let on_server: i64 = tx
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
                .try_get(0)?;
            let on_file = file_count(lite, table)?;
            if on_server != on_file || on_file != count as i64 {
                return Err(Error::Store(
                    format!("{table}: {on_file} rows on the file, {on_server} on the server")
                        .into(),
                ));
            }
            moved.push(TableRows {
                table: table.to_string(),
                rows: on_server,
            });
            progress(n + 1, TABLES.len());
        }
        check(cancel)?;
        bulk.finish(&mut tx)?;
        tx.commit()?;
        // The planner's figures for the new rows (if this fails, the
        // server's own vacuum does it later).
        let _ = client.batch_execute("VACUUM (ANALYZE) members");
        let _ = client.batch_execute("ANALYZE");
        Ok(Moved { tables: moved })
    }

    /// Copies this register into `file`, which must hold none
    /// (`register_not_empty`), from one snapshot of the server: every row of
    /// every table, ids kept, in one transaction on the file, counted on
    /// both sides before it commits. Stopped (`cancelled`) or failed,
    /// nothing of it is kept in the file.
    pub fn copy_to_file(
        &mut self,
        file: &SqliteRegister,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<Moved> {
        let lite = file.connection();
        let client = self.client();
        let mut snapshot = client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()?;
        let columns = server_columns(&mut snapshot)?;
        let tx = lite.unchecked_transaction()?;
        for table in TABLES {
            if *table != "settings" && file_count(&tx, table)? > 0 {
                return Err(not_empty());
            }
        }
        tx.execute("DELETE FROM settings", [])?;
        let mut moved = Vec::new();
        for (n, table) in TABLES.iter().enumerate() {
            check(cancel)?;
            let plan: Vec<_> = plan(table, &columns[*table], &file_columns(&tx, table)?)?
                .into_iter()
                .filter(|(_, _, on_file)| *on_file)
                .collect();
            let select: Vec<String> = plan
                .iter()
                .map(|(n, k, _)| match (*table, n.as_str()) {
                    ("members", "search_text") => SEARCHED.to_owned(),
                    _ => as_file(n, k),
                })
                .collect();
            let names: Vec<&str> = plan.iter().map(|(n, _, _)| n.as_str()).collect();
            let marks = vec!["?"; names.len()].join(", ");
            let mut insert = tx.prepare(&format!(
                "INSERT INTO {table} ({}) VALUES ({marks})",
                names.join(", ")
            ))?;
            let no_params: [&(dyn ToSql + Sync); 0] = [];
            let mut rows = snapshot.query_raw(
                &format!("SELECT {} FROM {table}", select.join(", ")),
                no_params,
            )?;
            let mut count = 0i64;
            while let Some(r) = rows.next()? {
                let values = plan
                    .iter()
                    .enumerate()
                    .map(|(i, (name, kind, _))| match (*table, name.as_str()) {
                        // Folded as the file's store folds it.
                        ("members", "search_text") => {
                            Ok(Value::Text(fold(&r.try_get::<_, String>(i)?)))
                        }
                        _ => file_value(&r, i, kind),
                    })
                    .collect::<Result<Vec<Value>>>()?;
                insert.execute(rusqlite::params_from_iter(values))?;
                count += 1;
                if count % 10_000 == 0 {
                    check(cancel)?;
                }
            }
            drop((insert, rows));
            let on_server: i64 = snapshot
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
                .try_get(0)?;
            let on_file = file_count(&tx, table)?;
            if on_server != on_file || count != on_file {
                return Err(Error::Store(
                    format!("{table}: {on_server} rows on the server, {on_file} on the file")
                        .into(),
                ));
            }
            moved.push(TableRows {
                table: table.to_string(),
                rows: on_file,
            });
            progress(n + 1, TABLES.len());
        }
        check(cancel)?;
        // The file's search index, made once from the members' search text.
        tx.execute(
            "INSERT INTO members_fts (members_fts) VALUES ('rebuild')",
            [],
        )?;
        tx.commit()?;
        snapshot.commit()?;
        Ok(Moved { tables: moved })
    }
}

impl PgRegister {
    /// [`PgRegister::copy_to_file`] into the register file at `path`: a new
    /// file, or an empty register there. A new file the copy did not fill
    /// is removed, with SQLite's files beside it.
    pub fn copy_to_path(
        &mut self,
        path: &std::path::Path,
        progress: &mut dyn FnMut(usize, usize),
        cancel: &AtomicBool,
    ) -> Result<Moved> {
        let new = !path.exists();
        let copied =
            SqliteRegister::open(path).and_then(|file| self.copy_to_file(&file, progress, cancel));
        if copied.is_err() && new {
            for end in ["", "-wal", "-shm"] {
                let mut name = path.as_os_str().to_owned();
                name.push(end);
                let _ = std::fs::remove_file(name);
            }
        }
        copied
    }
}

/// The organisation's country on the file (a file without one has nothing
/// to move).
fn file_country(lite: &rusqlite::Connection) -> Result<Country> {
    let country: Option<String> = lite
        .query_row("SELECT country FROM organisation LIMIT 1", [], |r| r.get(0))
        .ok();
    country
        .as_deref()
        .and_then(Country::parse)
        .ok_or(Error::NoOrganisation)
}

/// The fields a member's search text on the file is folded from, joined as
/// the file's store joins them (`sqlite::members::search_text`): the
/// server's words have lost what stood between them.
const SEARCHED: &str = "concat_ws(' ', first_name, last_name, number, email, city, \
     coalesce((SELECT w.name FROM workplaces w WHERE w.id = members.workplace_id), ''))";

/// A server column read as the file keeps it: days `YYYY-MM-DD`, moments
/// `YYYY-MM-DDTHH:MM:SSZ` (UTC), a meeting's wall-clock time
/// `YYYY-MM-DDTHH:MM`, yes/no as 1/0.
fn as_file(name: &str, kind: &str) -> String {
    match kind {
        "boolean" => format!("{name}::int4::int8"),
        "integer" | "smallint" => format!("{name}::int8"),
        "date" => format!("to_char({name}, 'YYYY-MM-DD')"),
        "timestamp with time zone" => {
            format!("to_char({name} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
        }
        "timestamp without time zone" => format!("to_char({name}, 'YYYY-MM-DD\"T\"HH24:MI')"),
        _ => name.to_owned(),
    }
}

/// The `i`th value of a server row read by [`as_file`], for the file.
fn file_value(r: &postgres::Row, i: usize, kind: &str) -> Result<Value> {
    Ok(match kind {
        "bigint" | "boolean" | "integer" | "smallint" => r
            .try_get::<_, Option<i64>>(i)?
            .map_or(Value::Null, Value::Integer),
        "bytea" => r
            .try_get::<_, Option<Vec<u8>>>(i)?
            .map_or(Value::Null, Value::Blob),
        _ => r
            .try_get::<_, Option<String>>(i)?
            .map_or(Value::Null, Value::Text),
    })
}
