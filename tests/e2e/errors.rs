//! Databases the app must refuse: from a newer Medlem, or where nothing can be written.
//!
//! The expected messages come from ui/i18n/en.json (`error.newer_database`,
//! `error.database_unwritable`): the app runs with an English system locale.

use std::fs;

use medlem_e2e::fixtures::{i18n, newer_database, temp_db, unwritable_db_path, user_version};
use medlem_e2e::App;

use crate::fixed_part;

#[test]
fn a_database_from_a_newer_medlem_is_refused_and_left_alone() {
    let (dir, db) = temp_db();
    newer_database(&db);
    let before = fs::read(&db).expect("read the fixture");

    let app = App::launch(&db);
    let text = app.wait_text_contains(
        "fatal-error",
        fixed_part(&i18n("en", "error.newer_database")),
    );
    assert!(
        text.contains(&db.display().to_string()),
        "fatal-error should name the database: {text:?}"
    );
    assert!(!app.is_visible("welcome"));
    assert!(!app.is_visible("sidebar"));
    app.screenshot("fatal-newer-database");
    app.close();

    assert!(
        fs::read(&db).expect("read the database") == before,
        "the newer database was modified"
    );
    assert_eq!(user_version(&db), 9999);
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("list the temp dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["medlem.sqlite"],
        "the app left files beside the database (a -wal?)"
    );
}

#[test]
fn a_database_path_that_cannot_be_written_is_reported() {
    let (dir, _) = temp_db();
    let db = unwritable_db_path(dir.path());

    let app = App::launch(&db);
    let text = app.wait_text_contains(
        "fatal-error",
        fixed_part(&i18n("en", "error.database_unwritable")),
    );
    assert!(
        text.contains(&db.display().to_string()),
        "fatal-error should name the database: {text:?}"
    );
    assert!(!app.is_visible("welcome"));
    app.screenshot("fatal-unwritable");
    app.close();

    assert!(
        db.parent().is_some_and(|p| p.is_file()),
        "the plain file was replaced"
    );
}
