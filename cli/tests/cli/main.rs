//! medlem-cli end to end: the real binary on a temporary database.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

struct Db {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn db() -> Db {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("medlem.sqlite");
    Db { _dir: dir, path }
}

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_medlem-cli"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("MEDLEM_DB")
        .output()
        .expect("run medlem-cli")
}

/// Runs and expects success; returns stdout.
fn ok(db: &Path, args: &[&str]) -> String {
    let out = cli(db, args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs and expects a refusal: exit code 1 and one line on stderr containing `expect`.
fn refused(db: &Path, args: &[&str], expect: &str) {
    let out = cli(db, args);
    assert_eq!(out.status.code(), Some(1), "{args:?} should fail");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(expect), "{err:?} should contain {expect:?}");
}

fn members(db: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["members", "--json"];
    args.extend_from_slice(extra);
    match serde_json::from_str(&ok(db, &args)).unwrap() {
        Value::Array(a) => a,
        other => panic!("not an array: {other}"),
    }
}

fn init(db: &Path) {
    ok(
        db,
        &[
            "org",
            "init",
            "--name",
            "Fackklubben Verkstaden",
            "--country",
            "SE",
        ],
    );
}

#[test]
fn org_init_then_add_and_list_members_as_json() {
    let db = db();
    init(&db.path);
    let out = ok(
        &db.path,
        &[
            "members",
            "add",
            "--first",
            "Åsa",
            "--last",
            "Östlund",
            "--email",
            "asa@example.se",
            "--phone",
            "070-123 45 67",
            "--address",
            "Storgatan 1",
            "--postcode",
            "123 45",
            "--city",
            "Växjö",
            "--json",
        ],
    );
    let m: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(m["firstName"], "Åsa");
    assert_eq!(m["lastName"], "Östlund");
    assert_eq!(m["number"], "1");
    assert_eq!(m["postcode"], "123 45");
    assert_eq!(m["phone"], "070-123 45 67");
    assert_eq!(m["status"], "active");
    ok(
        &db.path,
        &[
            "members", "add", "--first", "Søren", "--last", "Ærø", "--number", "1001", "--json",
        ],
    );

    let all = members(&db.path, &[]);
    let names: Vec<_> = all
        .iter()
        .map(|m| m["lastName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Ærø", "Östlund"],
        "Swedish alphabet: æ sorts with ä"
    );
    let found = members(&db.path, &["--search", "öst"]);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["email"], "asa@example.se");
    assert!(members(&db.path, &["--status", "resigned"]).is_empty());
    assert_eq!(members(&db.path, &["--status", "active"]).len(), 2);
    let text = ok(&db.path, &["members"]);
    assert!(text.contains("Östlund, Åsa"), "{text}");
}

#[test]
fn bad_input_gets_one_line_and_changes_nothing() {
    let db = db();
    refused(
        &db.path,
        &["members", "add", "--first", "A", "--last", "B", "--json"],
        "create one first",
    );
    init(&db.path);
    refused(
        &db.path,
        &["org", "init", "--name", "Another", "--country", "SE"],
        "--name is already used",
    );
    refused(
        &db.path,
        &["members", "add", "--first", " ", "--last", "B"],
        "--first is required",
    );
    refused(
        &db.path,
        &[
            "members", "add", "--first", "A", "--last", "B", "--email", "anna@",
        ],
        "--email is not a valid e-mail",
    );
    refused(
        &db.path,
        &[
            "members",
            "add",
            "--first",
            "A",
            "--last",
            "B",
            "--birth-date",
            "2024-13-45",
        ],
        "--birth-date is not a valid date",
    );
    ok(
        &db.path,
        &[
            "members", "add", "--first", "A", "--last", "B", "--number", "1001",
        ],
    );
    refused(
        &db.path,
        &[
            "members", "add", "--first", "C", "--last", "D", "--number", "1001",
        ],
        "--number is already used",
    );
    refused(
        &db.path,
        &[
            "members",
            "add",
            "--first",
            "C",
            "--last",
            "D",
            "--number",
            "=HYPERLINK(1)",
        ],
        "--number is not a valid member number",
    );
    refused(
        &db.path,
        &["members", "--status", "vip"],
        "--status is not one of the allowed values",
    );
    assert_eq!(members(&db.path, &[]).len(), 1, "only the one good member");
}

#[test]
fn a_wrong_country_or_missing_argument_is_refused() {
    let db = db();
    refused(
        &db.path,
        &["org", "init", "--name", "X", "--country", "FI"],
        "--country is not one of the allowed values",
    );
    let out = cli(&db.path, &["members", "add", "--first", "A"]);
    assert_eq!(out.status.code(), Some(2), "usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("--last"));
}

#[test]
fn hostile_text_is_stored_and_printed_as_plain_text() {
    let db = db();
    init(&db.path);
    let hostile = "<img src=x onerror=alert(1)>";
    ok(
        &db.path,
        &[
            "members",
            "add",
            "--first",
            hostile,
            "--last",
            "'); DROP TABLE members; --",
        ],
    );
    ok(
        &db.path,
        &[
            "members",
            "add",
            "--first",
            "=HYPERLINK(\"http://x\")",
            "--last",
            "Formel",
        ],
    );
    let all = members(&db.path, &[]);
    assert_eq!(all.len(), 2);
    assert!(all.iter().any(|m| m["firstName"] == hostile));
    assert!(all
        .iter()
        .any(|m| m["lastName"] == "'); DROP TABLE members; --"));
}

#[test]
fn a_newer_database_or_unwritable_path_is_refused() {
    let db = db();
    {
        let c = rusqlite_free_newer(&db.path);
        assert!(c);
    }
    let before = std::fs::read(&db.path).unwrap();
    refused(&db.path, &["members", "--json"], "newer version of Medlem");
    assert_eq!(std::fs::read(&db.path).unwrap(), before);

    let blocker = db.path.with_file_name("a-file");
    std::fs::write(&blocker, "x").unwrap();
    refused(
        &blocker.join("medlem.sqlite"),
        &["org", "init", "--name", "X", "--country", "SE"],
        "cannot write the database",
    );
}

/// Makes a database "from a newer Medlem" with the sqlite3 format written by
/// the core itself, then bumps its version past ours.
fn rusqlite_free_newer(path: &Path) -> bool {
    init(path);
    let conn = medlem_core::open(path).unwrap();
    conn.connection()
        .execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 9999;")
        .unwrap();
    drop(conn);
    !path.with_extension("sqlite-wal").exists()
}
