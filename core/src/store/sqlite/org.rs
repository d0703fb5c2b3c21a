//! The organisation and the settings table.

use rusqlite::{Connection, OptionalExtension, Row};

use crate::error::Result;
use crate::types::*;

pub(super) use crate::validate::org as check_org;

pub(super) const ORG_SQL: &str =
    "SELECT name, country, postal_address, org_number, currency FROM organisation WHERE id = 1";

pub(super) fn org_from_row(r: &Row) -> rusqlite::Result<Org> {
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
