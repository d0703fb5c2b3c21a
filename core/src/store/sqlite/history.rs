//! `member_history`: the one place that writes it.

use rusqlite::{params, Connection};

use super::Conn;
use crate::error::Result;
use crate::store::history::{HistoryLine, HistoryWrites};

/// Adds `line` (members' own writes call this inside their transaction).
pub(crate) fn record(conn: &Connection, line: &HistoryLine) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO member_history (member_id, at, kind, field, old_value, new_value, effective_date) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        line.member_id,
        line.at,
        line.kind.as_str(),
        line.field,
        line.old,
        line.new,
        line.effective.map(|d| d.to_string())
    ])?;
    Ok(())
}

impl<C: Conn> HistoryWrites for C {
    fn record(&self, line: &HistoryLine) -> Result<()> {
        record(self.conn(), line)
    }

    fn take_back(&self, line: &HistoryLine) -> Result<()> {
        self.conn().execute(
            "DELETE FROM member_history WHERE id = (SELECT max(id) FROM member_history \
             WHERE member_id = ?1 AND kind = ?2 AND field = ?3 AND effective_date = ?4)",
            params![
                line.member_id,
                line.kind.as_str(),
                line.field,
                line.effective.map(|d| d.to_string())
            ],
        )?;
        Ok(())
    }
}
