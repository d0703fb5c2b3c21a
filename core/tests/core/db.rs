//! Opening files: migrations, newer versions, unwritable paths, damage.

use medlem_core::{db, Error, Register, SqliteRegister};

use crate::person;

#[test]
fn a_new_file_is_created_migrated_and_reopened_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("medlem.sqlite");
    {
        let mut r = SqliteRegister::open(&path).unwrap();
        r.create_org(&medlem_core::OrgInput {
            name: "Klubben".into(),
            country: "NO".into(),
            ..Default::default()
        })
        .unwrap();
        r.create(&person("Øystein", "Ærø")).unwrap();
    }
    let r = SqliteRegister::open(&path).unwrap();
    let version: i64 = r
        .connection()
        .query_row("PRAGMA user_version", [], |x| x.get(0))
        .unwrap();
    assert_eq!(version, db::SCHEMA_VERSION);
    let org = r.org().unwrap().unwrap();
    assert_eq!(
        (org.name.as_str(), org.currency.as_str()),
        ("Klubben", "NOK")
    );
    let page = r.list(&Default::default()).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].last_name, "Ærø");
}

#[test]
fn a_database_from_a_newer_medlem_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.sqlite");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 9999;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = SqliteRegister::open(&path).err().expect("must refuse");
    assert_eq!(err.code(), "newer_database");
    assert!(err.to_string().contains("newer version of Medlem"), "{err}");
    assert!(matches!(err, Error::NewerDatabase { found: 9999, .. }));
    assert_eq!(std::fs::read(&path).unwrap(), before, "file changed");
    assert!(!dir.path().join("newer.sqlite-wal").exists());
}

#[test]
fn a_path_that_cannot_be_written_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let err = SqliteRegister::open(&file.join("medlem.sqlite"))
        .err()
        .expect("must refuse");
    assert_eq!(err.code(), "database_unwritable");
    assert!(
        err.to_string().contains("cannot write the database"),
        "{err}"
    );

    let err = SqliteRegister::open(dir.path()).err().expect("a folder");
    assert_eq!(err.code(), "database_unwritable");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("members.sqlite");
    let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&path, &junk).unwrap();
    let err = SqliteRegister::open(&path).err().expect("must refuse");
    assert_eq!(err.code(), "database_corrupt");
    assert_eq!(std::fs::read(&path).unwrap(), junk);
}

#[test]
fn another_programs_sqlite_file_is_not_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE customers (id INTEGER);")
        .unwrap();
    let err = SqliteRegister::open(&path).err().expect("must refuse");
    assert_eq!(err.code(), "database_corrupt");
}

#[test]
fn after_a_large_commit_the_closed_register_is_whole_in_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.sqlite");
    {
        let mut r = SqliteRegister::open(&path).unwrap();
        // Thousands of members: a log of more pages than a commit folds in
        // itself, so the checkpoints' own connection is at work.
        medlem_core::demo::create(&mut r, 3000).unwrap();
        r.create(&person("Åsa", "Öberg")).unwrap();
    }
    // Closed: the log is folded in and gone, so the file alone holds
    // every member.
    assert!(!dir.path().join("big.sqlite-wal").exists());
    let c =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM members", [], |x| x.get(0))
        .unwrap();
    assert_eq!(n, 3001);
}
