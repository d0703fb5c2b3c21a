//! Rules of the house, read from the source tree (rust-analyzer's tidy
//! tests): where SQL may live, who may name the SQLite store, how long a
//! file may grow, what the bottom layer may import.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

/// Every `.rs` file under `dir` (relative to the workspace root), sorted.
fn sources(dir: &str) -> Vec<(String, String)> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    let base = root();
    let mut out = Vec::new();
    walk(&base, &base.join(dir), &mut out);
    out.sort();
    out
}

/// The code of a file without its `#[cfg(test)]` module and comments.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

const SQL_WORDS: &[&str] = &[
    "rusqlite",
    "postgres::",
    "SELECT ",
    "INSERT INTO",
    "UPDATE ",
    "DELETE FROM",
    "CREATE TABLE",
    "PRAGMA",
];

/// Where SQL is at home: the SQLite store, the server's store, and the
/// SQLite file as a file.
const SQL_HOME: &[&str] = &[
    "core/src/store/sqlite/",
    "core/src/store/postgres/",
    "core/src/backup/",
    "core/src/lock.rs",
];

#[test]
fn sql_and_the_database_clients_live_only_in_the_stores() {
    let mut found = Vec::new();
    for (path, text) in sources("core/src") {
        if SQL_HOME.iter().any(|h| path.starts_with(h)) {
            continue;
        }
        // Naming the server's store (`store::postgres::PgRegister`) is not
        // using its client.
        let code = code(&text).replace("store::postgres::", "");
        if let Some(w) = SQL_WORDS.iter().find(|w| code.contains(**w)) {
            found.push((path, *w));
        }
    }
    assert!(
        found.is_empty(),
        "SQL outside core/src/store/sqlite/ and postgres/: {found:?}"
    );
}

/// Shell files that may name a store by its type: where the register is
/// opened, or moved or backed up as the kind of store it is (the CLI's
/// `move` opens the register it moves into; a backup of a file and of a
/// server's register are made differently).
const OPENS_THE_STORE: &[&str] = &[
    "src-tauri/src/state.rs",
    "cli/src/moving.rs",
    "cli/src/restore.rs",
    "cli/src/server.rs",
];

#[test]
fn the_shells_name_a_store_only_where_they_open_it() {
    let mut found = Vec::new();
    for dir in ["src-tauri/src", "cli/src"] {
        for (path, text) in sources(dir) {
            let code = code(&text);
            let names = code.contains("SqliteRegister") || code.contains("PgRegister");
            if names && !OPENS_THE_STORE.contains(&path.as_str()) {
                found.push(path);
            }
        }
    }
    assert!(found.is_empty(), "a store named by its type in {found:?}");
}

const MAX_LINES: usize = 800;

#[test]
fn no_source_file_is_over_800_lines() {
    let mut long = Vec::new();
    for dir in ["core/src", "src-tauri/src"] {
        for (path, text) in sources(dir) {
            if text.lines().count() > MAX_LINES {
                long.push(path);
            }
        }
    }
    assert!(long.is_empty(), "over {MAX_LINES} lines: {long:?}");
}

/// The bottom of the house imports nothing above it.
#[test]
fn errors_and_types_import_nothing_above_them() {
    for (path, text) in sources("core/src") {
        let bottom = path == "core/src/error.rs" || path.starts_with("core/src/types/");
        if !bottom {
            continue;
        }
        for line in code(&text).lines() {
            if let Some(rest) = line.split("crate::").nth(1) {
                let module = rest.split([':', ';', ',', '}', ' ']).next().unwrap();
                assert!(
                    module == "types" || module == "error",
                    "{path} uses crate::{module}: the bottom layer imports only types and error"
                );
            }
        }
    }
}
