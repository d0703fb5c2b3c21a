//! The organisation, the settings, and new branches and workplaces on the
//! server.

use postgres::GenericClient;

use crate::error::Result;
use crate::text::sort_key;
use crate::types::*;

/// The organisation's country, Sweden's alphabet before there is one.
pub(super) fn alphabet(c: &mut impl GenericClient) -> Result<Country> {
    Ok(
        c.query_opt("SELECT country FROM organisation WHERE id = 1", &[])?
            .and_then(|r| Country::parse(r.get(0)))
            .unwrap_or(Country::Se),
    )
}

pub(super) const ORG_SQL: &str =
    "SELECT name, country, postal_address, org_number, currency FROM organisation WHERE id = 1";

pub(super) fn load_org(c: &mut impl GenericClient) -> Result<Option<Org>> {
    let Some(r) = c.query_opt(ORG_SQL, &[])? else {
        return Ok(None);
    };
    Ok(Some(Org {
        name: r.try_get(0)?,
        country: Country::parse(r.try_get(1)?).unwrap_or(Country::Se),
        postal_address: r.try_get(2)?,
        org_number: r.try_get(3)?,
        currency: Currency::parse(r.try_get(4)?).unwrap_or(Currency::Sek),
    }))
}

pub(super) fn setting(c: &mut impl GenericClient, key: &str) -> Result<Option<String>> {
    Ok(
        c.query_opt("SELECT value FROM settings WHERE key = $1", &[&key])?
            .map(|r| r.get(0)),
    )
}

pub(super) fn put_setting(c: &mut impl GenericClient, key: &str, value: &str) -> Result<()> {
    c.execute(
        "INSERT INTO settings (key, value) VALUES ($1, $2) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        &[&key, &value],
    )?;
    Ok(())
}

pub(super) fn insert_branch(c: &mut impl GenericClient, name: &str) -> Result<i64> {
    let key = sort_key(name, alphabet(c)?);
    Ok(c.query_one(
        "INSERT INTO branches (name, sort_name) VALUES ($1, $2) RETURNING id",
        &[&name, &key],
    )?
    .get(0))
}

pub(super) fn insert_workplace(
    c: &mut impl GenericClient,
    name: &str,
    branch: Option<i64>,
) -> Result<i64> {
    let key = sort_key(name, alphabet(c)?);
    Ok(c.query_one(
        "INSERT INTO workplaces (name, sort_name, branch_id) VALUES ($1, $2, $3) RETURNING id",
        &[&name, &key, &branch],
    )?
    .get(0))
}

pub(super) fn insert_org(c: &mut impl GenericClient, org: &Org, at: Timestamp) -> Result<()> {
    c.execute(
        "INSERT INTO organisation (id, name, country, postal_address, org_number, currency, \
         created_at) VALUES (1, $1, $2, $3, $4, $5, $6)",
        &[
            &org.name,
            &org.country.as_str(),
            &org.postal_address,
            &org.org_number,
            &org.currency.as_str(),
            &at.0,
        ],
    )?;
    Ok(())
}
