//! Many new members in one unit of work (an import, the demo register):
//! their rows are gathered and written a thousand at a time, one binary
//! `COPY` per table, instead of several round trips to the server each.
//! Each row is encoded in `COPY`'s binary format as it is gathered (a bulk
//! holds bytes, not a boxed value per column: 100 000 members were some
//! five million small allocations, a third of the import's time on this
//! side).
//!
//! A member's id comes from the members' identity sequence, taken in
//! blocks; a member without a number gets the next after the highest known.
//! Nothing is read past what is gathered: before any other statement of the
//! unit of work, and before it commits, the gathered rows are written
//! ([`super::PgWork`]'s `db()`), so every read sees them.
//!
//! Into an empty register (a first import, the demo) the member tables'
//! secondary indexes and references (foreign keys) are dropped while the
//! rows arrive and made again once after them, in the same transaction, as a
//! restore does: building an index, or checking a reference, over 100 000
//! rows at once costs a fraction of doing it row by row. Until the unit of work ends, other officers' reads of the members
//! wait for it (an empty register has nothing to show them yet).

use std::collections::HashMap;

use std::io::Write;

use bytes::{BufMut, BytesMut};
use chrono::NaiveDate;
use postgres::types::{IsNull, ToSql, Type};
use postgres::GenericClient;

use super::members::{
    created, history_values, name_of, new_row, number_int, Param, MEMBER_COLUMNS,
};
use crate::error::Result;
use crate::store::history::HistoryLine;
use crate::store::members::Indexing;
use crate::types::dates::now;
use crate::validate::ValidMember;

/// Members gathered before they are written.
const ROWS: usize = 1000;

const HISTORY_COLUMNS: &str = "member_id, at, kind, field, old_value, new_value, effective_date";
/// Their types in `0001_register.sql` (a migration that changes one changes
/// this too; the server refuses a row of another type).
const HISTORY_TYPES: &[Type] = &[
    Type::INT8,
    Type::TIMESTAMPTZ,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::DATE,
];
const ROLE_COLUMNS: &str = "member_id, role, from_date, to_date";
const ROLE_TYPES: &[Type] = &[Type::INT8, Type::TEXT, Type::DATE, Type::DATE];

/// The columns of a new invoice, as [`Bulk::add_invoice`] gathers them,
/// and their types in `0005_dues.sql`.
pub(super) const INVOICE_COLUMNS: &str = "id, run_id, member_id, period, amount, currency, \
     reference, status, issued, due, lines, created_at, updated_at";
const INVOICE_TYPES: &[Type] = &[
    Type::INT8,
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::INT8,
    Type::TEXT,
    Type::TEXT,
    Type::TEXT,
    Type::DATE,
    Type::DATE,
    Type::TEXT,
    Type::TIMESTAMPTZ,
    Type::TIMESTAMPTZ,
];

#[derive(Default)]
pub(super) struct Bulk {
    /// Ids taken from the sequence, not yet given.
    ids: Vec<i64>,
    /// The highest numeric member number: read when the gathering starts,
    /// then raised by each member gathered.
    top: Option<i64>,
    /// Workplaces' names (a member's search words hold its workplace's).
    workplaces: HashMap<i64, String>,
    /// The members' column types, read when the first is gathered.
    member_types: Vec<Type>,
    members: Encoded,
    roles: Encoded,
    history: Encoded,
    /// A fee run's invoices (see `dues.rs`).
    invoices: Encoded,
    /// What makes the indexes and references dropped for the gathering
    /// again when it ends.
    dropped: Vec<String>,
    /// Whether members are gathered ([`Bulk::start`]); without, only the
    /// unit of work's history lines are.
    started: bool,
}

/// The tables a bulk fills, whose secondary indexes wait when they are empty.
const FILLED: &str = "'members'::regclass, 'member_roles'::regclass, 'member_history'::regclass";

impl Bulk {
    /// Starts gathering; into an empty register, with the member tables'
    /// secondary indexes (not those of a key or a unique rule) and their
    /// references to other rows dropped, to be made again at the end.
    pub fn start(&mut self, c: &mut impl GenericClient) -> Result<()> {
        self.started = true;
        let empty: bool = c
            .query_one("SELECT NOT EXISTS (SELECT 1 FROM members)", &[])?
            .get(0);
        if !empty {
            return Ok(());
        }
        let dropped = c.query(
            &format!(
                "SELECT 'DROP INDEX ' || i.indexrelid::regclass::text, \
                 pg_get_indexdef(i.indexrelid) \
                 FROM pg_index i WHERE i.indrelid IN ({FILLED}) AND NOT EXISTS \
                 (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) \
                 UNION ALL \
                 SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname), \
                 format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, \
                 pg_get_constraintdef(oid)) \
                 FROM pg_constraint WHERE contype = 'f' AND conrelid IN ({FILLED})"
            ),
            &[],
        )?;
        for row in dropped {
            c.batch_execute(row.get(0))?;
            self.dropped.push(row.get(1));
        }
        Ok(())
    }

    /// Whether new members were gathered (not only history lines).
    pub fn started(&self) -> bool {
        self.started
    }

    /// Writes what is gathered and makes the dropped indexes and references
    /// again (a reference checks every row at once).
    pub fn finish(&mut self, c: &mut impl GenericClient) -> Result<()> {
        self.write(c)?;
        if !self.dropped.is_empty() {
            c.batch_execute("SET LOCAL maintenance_work_mem = '256MB'")?;
            for index in std::mem::take(&mut self.dropped) {
                c.batch_execute(&index)?;
            }
        }
        Ok(())
    }

    /// Writes what is gathered; what was known of the register (the highest
    /// number, the workplaces) is read again when gathering goes on, since
    /// other statements may change it.
    pub fn write(&mut self, c: &mut impl GenericClient) -> Result<()> {
        self.top = None;
        self.workplaces.clear();
        self.write_rows(c)
    }

    fn write_rows(&mut self, c: &mut impl GenericClient) -> Result<()> {
        let columns = member_columns();
        std::mem::take(&mut self.members).copy(c, "members", &columns)?;
        std::mem::take(&mut self.roles).copy(c, "member_roles", ROLE_COLUMNS)?;
        std::mem::take(&mut self.history).copy(c, "member_history", HISTORY_COLUMNS)?;
        std::mem::take(&mut self.invoices).copy(c, "invoices", INVOICE_COLUMNS)
    }

    /// Gathers an invoice, its values in the order of [`INVOICE_COLUMNS`].
    pub fn add_invoice(&mut self, row: &[&(dyn ToSql + Sync)]) -> Result<()> {
        self.invoices.push(INVOICE_TYPES, row)
    }

    /// Gathers a new member (with its roles and its "created" line) and
    /// returns its id; writes them all once a thousand are gathered.
    pub fn add_member(
        &mut self,
        c: &mut impl GenericClient,
        m: &ValidMember,
        status_date: NaiveDate,
        ix: Indexing,
    ) -> Result<i64> {
        let top = match self.top {
            Some(top) => top,
            None => {
                // Gathering starts (again): what the register holds is read
                // with nothing gathered unwritten.
                self.write_rows(c)?;
                let top: i64 = c
                    .query_one("SELECT coalesce(max(number_int), 0) FROM members", &[])?
                    .get(0);
                self.top = Some(top);
                top
            }
        };
        let number = match &m.number {
            Some(n) => n.clone(),
            None => (top + 1).to_string(),
        };
        if let Some(n) = number_int(&number) {
            self.top = Some(top.max(n));
        }
        let workplace = match m.workplace_id {
            Some(w) => match self.workplaces.get(&w) {
                Some(name) => name.clone(),
                None => {
                    let name = name_of(c, "workplaces", Some(w))?;
                    self.workplaces.insert(w, name.clone());
                    name
                }
            },
            None => String::new(),
        };
        if self.ids.is_empty() {
            let rows = c.query(
                &format!(
                    "SELECT nextval(pg_get_serial_sequence('members', 'id')) \
                     FROM generate_series(1, {ROWS})"
                ),
                &[],
            )?;
            // Given from the end: reversed, the first taken is given first.
            self.ids = rows.iter().rev().map(|r| r.get(0)).collect();
        }
        if self.member_types.is_empty() {
            self.member_types = column_types(c, "members", &member_columns())?;
        }
        let id = self.ids.pop().expect("ids were just taken");
        let at = now();
        let mut row: Vec<Param> = vec![Box::new(id)];
        row.extend(new_row(m, &number, &workplace, status_date, ix, at));
        let values: Vec<&(dyn ToSql + Sync)> = row.iter().map(|p| p.as_ref() as _).collect();
        self.members.push(&self.member_types, &values)?;
        for r in &m.roles {
            self.roles
                .push(ROLE_TYPES, &[&id, &r.role.as_str(), &r.from, &r.to])?;
        }
        self.add_line(&created(id, &number, m, at))?;
        if self.members.rows >= ROWS {
            self.write_rows(c)?;
        }
        Ok(id)
    }

    /// Gathers a history line.
    pub fn add_line(&mut self, line: &HistoryLine) -> Result<()> {
        let history = &mut self.history;
        history_values(line, |values| history.push(HISTORY_TYPES, values))
    }
}

fn member_columns() -> String {
    format!("id, {MEMBER_COLUMNS}, status, status_date, created_at")
}

/// Rows of one table in `COPY ... BINARY`'s own format, each encoded as it
/// is gathered: 100 000 members are a few megabytes of bytes, not millions
/// of values each in an allocation of its own.
#[derive(Default)]
struct Encoded {
    rows: usize,
    data: BytesMut,
}

impl Encoded {
    /// Adds a row of `values` in the columns' `types`.
    fn push(&mut self, types: &[Type], values: &[&(dyn ToSql + Sync)]) -> Result<()> {
        self.data.put_i16(values.len() as i16);
        for (value, ty) in values.iter().zip(types) {
            let at = self.data.len();
            self.data.put_i32(0);
            let length = match value
                .to_sql_checked(ty, &mut self.data)
                .map_err(crate::error::Error::Store)?
            {
                IsNull::Yes => -1,
                IsNull::No => (self.data.len() - at - 4) as i32,
            };
            self.data[at..at + 4].copy_from_slice(&length.to_be_bytes());
        }
        self.rows += 1;
        Ok(())
    }

    /// Writes the rows into `table` in one `COPY ... FROM STDIN BINARY`.
    fn copy(self, c: &mut impl GenericClient, table: &str, columns: &str) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut sink = c.copy_in(&format!("COPY {table} ({columns}) FROM STDIN BINARY"))?;
        // The header (signature, no flags, no extension), the rows, the end.
        let copied = sink
            .write_all(b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0")
            .and_then(|()| sink.write_all(&self.data))
            .and_then(|()| sink.write_all(&(-1i16).to_be_bytes()));
        if let Err(e) = copied {
            return Err(e.into());
        }
        sink.finish()?;
        Ok(())
    }
}

/// The types of `columns` of `table`, as the server has them.
fn column_types(c: &mut impl GenericClient, table: &str, columns: &str) -> Result<Vec<Type>> {
    Ok(
        c.prepare(&format!("SELECT {columns} FROM {table} LIMIT 0"))?
            .columns()
            .iter()
            .map(|col| col.type_().clone())
            .collect(),
    )
}
