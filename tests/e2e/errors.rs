//! Databases the app must refuse: from a newer Medlem, or where nothing can be written.
//!
//! The expected messages come from ui/i18n/en.json (`error.newer_database`,
//! `error.database_unwritable`): the app runs with an English system locale.

use std::fs;

use medlem_e2e::fixtures::{cli, i18n, newer_database, temp_db, unwritable_db_path, user_version};
use medlem_e2e::App;

use crate::{fixed_part, ORG};

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

/// A register in a folder OneDrive keeps in sync: the window warns above the
/// work area, naming the service and the file, until the treasurer closes
/// the warning; a register in an ordinary folder gets no warning.
#[test]
fn a_register_in_a_synced_folder_is_warned_about() {
    let (dir, _) = temp_db();
    let db = dir
        .path()
        .join("OneDrive - Fackklubben")
        .join("medlem.sqlite");
    fs::create_dir_all(db.parent().unwrap()).unwrap();
    cli(&db, &["org", "init", "--name", ORG, "--country", "SE"]);
    let app = App::launch(&db);
    app.wait_visible("place-banner");
    let title = i18n("en", "place.syncedTitle").replace("{service}", "OneDrive");
    let text = app.text("place-banner");
    assert!(text.contains(&title), "{text}");
    assert!(
        text.contains(db.to_str().unwrap()),
        "names the file: {text}"
    );
    app.screenshot("place-banner");
    // The register works all the same.
    app.wait_visible("member-list");
    app.click("place-banner-close");
    app.wait_gone("place-banner");
    app.click("nav-meetings");
    app.wait_visible("meeting-new");
    assert!(!app.exists("place-banner"), "closed stays closed");
    app.close();

    let (_plain_dir, plain) = temp_db();
    cli(&plain, &["org", "init", "--name", ORG, "--country", "SE"]);
    let app = App::launch(&plain);
    app.wait_visible("member-list");
    assert!(!app.exists("place-banner"));
    app.close();
}
