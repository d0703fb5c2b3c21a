//! Migration 0013, in Rust: every `CHECK (column IN ('a', 'b', …))` of the
//! schema written as `CHECK (column = 'a' OR column = 'b' OR …)`, which
//! means the same.
//!
//! SQLite codes such an `IN` list as a temporary b-tree that it fills again
//! for every row written (`OpenEphemeral` and an `IdxInsert` per value, with
//! no `Once`): 100 000 payments from a bank file took 0.8 s to insert
//! instead of 0.4 s. A table cannot be rebuilt inside the migrations' one
//! transaction with foreign keys on (dropping `payments` would cascade to
//! `allocations`), so the tables' text in `sqlite_schema` is changed in
//! place, as SQLite's documentation describes for changing CHECK
//! constraints: `writable_schema` on, the new text, `schema_version` one up.
//! The rows already satisfy the new constraints, which are the old ones.

use rusqlite::{params, Transaction};

/// Rewrites the CHECK constraints of every table (see the module's text).
pub(super) fn as_comparisons(tx: &Transaction) -> rusqlite::Result<()> {
    let tables: Vec<(String, String)> = tx
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let changed: Vec<(String, String)> = tables
        .into_iter()
        .filter_map(|(name, sql)| {
            let new = rewrite(&sql);
            (new != sql).then_some((name, new))
        })
        .collect();
    if changed.is_empty() {
        return Ok(());
    }
    let version: i64 = tx.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    tx.pragma_update(None, "writable_schema", true)?;
    for (name, sql) in &changed {
        tx.execute(
            "UPDATE sqlite_schema SET sql = ?2 WHERE type = 'table' AND name = ?1",
            params![name, sql],
        )?;
    }
    tx.pragma_update(None, "schema_version", version + 1)?;
    tx.pragma_update(None, "writable_schema", false)?;
    Ok(())
}

/// A table's `CREATE TABLE` text with each `CHECK (name IN ('…', …))` as a
/// chain of comparisons; anything else as it is.
pub(super) fn rewrite(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 64);
    let mut rest = sql;
    while let Some(at) = rest.find("CHECK (") {
        let (before, from) = rest.split_at(at);
        out.push_str(before);
        match in_list(&from["CHECK (".len()..]) {
            Some((column, values, len)) => {
                let chain: Vec<String> = values.iter().map(|v| format!("{column} = {v}")).collect();
                out.push_str("CHECK (");
                out.push_str(&chain.join(" OR "));
                out.push(')');
                rest = &from["CHECK (".len() + len..];
            }
            None => {
                out.push_str("CHECK (");
                rest = &from["CHECK (".len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `name IN ('a', 'b'))` at the start of `s`: the name, the quoted values
/// (as written) and how many bytes the constraint's text took, its closing
/// parenthesis included.
fn in_list(s: &str) -> Option<(&str, Vec<&str>, usize)> {
    let name_len = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|&n| n > 0)?;
    let column = &s[..name_len];
    let after = s[name_len..].trim_start();
    let list = after.strip_prefix("IN (")?;
    let mut values = Vec::new();
    let mut pos = 0;
    let bytes = list.as_bytes();
    loop {
        while pos < bytes.len() && (bytes[pos].is_ascii_whitespace() || bytes[pos] == b',') {
            pos += 1;
        }
        match bytes.get(pos) {
            Some(b'\'') => {
                // A literal without quotes inside it (the schema's are plain
                // words).
                let end = pos + 1 + list[pos + 1..].find('\'')?;
                values.push(&list[pos..=end]);
                pos = end + 1;
            }
            Some(b')') => break,
            _ => return None,
        }
    }
    // The list's `)` and, after optional white space, the CHECK's own.
    let tail = list[pos + 1..].trim_start();
    let tail = tail.strip_prefix(')')?;
    if values.is_empty() {
        return None;
    }
    let consumed = s.len() - tail.len();
    Some((column, values, consumed))
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    fn check(input: &str, expect: &str) {
        assert_eq!(rewrite(input), expect, "{input}");
    }

    #[test]
    fn in_lists_become_comparisons_and_the_rest_stays() {
        check(
            "state TEXT NOT NULL CHECK (state IN ('written', 'cancelled')),",
            "state TEXT NOT NULL CHECK (state = 'written' OR state = 'cancelled'),",
        );
        check(
            "method TEXT NOT NULL CHECK (method IN ('file', 'cash',\n                   'bank')),\n x",
            "method TEXT NOT NULL CHECK (method = 'file' OR method = 'cash' OR method = 'bank'),\n x",
        );
        check(
            "amount INTEGER NOT NULL CHECK (amount > 0), b CHECK (b IN ('x', 'y', 'z'))",
            "amount INTEGER NOT NULL CHECK (amount > 0), b CHECK (b = 'x' OR b = 'y' OR b = 'z')",
        );
        check(
            "c CHECK (credited IN (0, 1))",
            "c CHECK (credited IN (0, 1))",
        );
        check("no checks here", "no checks here");
        check("CHECK (x IN ('a'", "CHECK (x IN ('a'");
    }
}
