//! Backups through the window: the passphrase (and why it matters), a backup
//! to a folder standing in for the USB stick, restoring an older backup and
//! undoing it, a backup of another register, a new computer taking over a
//! register from the welcome screen, and a register marked as in use elsewhere.
//!
//! The expected texts come from ui/i18n/en.json: the app runs with an English
//! system locale.

use std::fs;
use std::path::{Path, PathBuf};

use medlem_e2e::fixtures::{cli, cli_env, i18n, temp_db};
use medlem_e2e::{App, TempDir};
use serde_json::Value;

use crate::{add_member, app_with_org, fixed_part, wait_member_count, wait_rows, NewMember, ORG};

/// The passphrase the treasurer chooses in these tests.
const PASSPHRASE: &str = "korv med bröd och senap";

/// A catalog string with its `{count}` filled in (English: one / other).
fn counted(key: &str, n: u64) -> String {
    let form = if n == 1 { "one" } else { "other" };
    i18n("en", &format!("{key}.{form}")).replace("{count}", &n.to_string())
}

/// The `.medlem-backup` files in `dir`.
fn backups_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".medlem-backup"))
        })
        .collect();
    files.sort();
    files
}

/// A register made with the CLI, backed up into `<dir>/stick` with
/// `passphrase`; returns the backup file.
fn register_backed_up_by_cli(
    dir: &TempDir,
    org: &str,
    members: &[(&str, &str)],
    passphrase: &str,
) -> PathBuf {
    let db = dir.path().join("elsewhere.sqlite");
    cli(&db, &["org", "init", "--name", org, "--country", "SE"]);
    for (first, last) in members {
        cli(&db, &["members", "add", "--first", first, "--last", last]);
    }
    let stick = dir.path().join("stick");
    let out = cli_env(
        &db,
        &[
            "backup",
            "--to",
            &stick.display().to_string(),
            "--new-passphrase",
            "--json",
        ],
        &[("MEDLEM_PASSPHRASE", passphrase)],
    );
    let report: Value = serde_json::from_str(&out).expect("backup --json prints JSON");
    let file = PathBuf::from(report["file"].as_str().expect("the report names the file"));
    assert!(
        file.is_file(),
        "the CLI's backup {} is missing",
        file.display()
    );
    assert!(has_key_file(&stick));
    file
}

/// Opens another register's backup in the restore flow: the passphrase is
/// asked for, and a wrong one is refused with `error.wrong_passphrase`, showing
/// nothing of the backup.
fn refuse_a_wrong_passphrase(app: &App, backup: &Path, wrong: &str) {
    app.wait_visible("restore-file");
    app.type_into("restore-file", &backup.display().to_string());
    app.click("restore-inspect");
    app.wait_visible("restore-passphrase");
    app.wait_text_contains(
        "restore-passphrase-hint",
        fixed_part(&i18n("en", "restore.passphraseHint")),
    );
    assert!(!app.is_visible("restore-contents"));

    app.type_into("restore-passphrase", wrong);
    app.click("restore-inspect");
    app.wait_text_contains("restore-error", &i18n("en", "error.wrong_passphrase"));
    assert!(!app.is_visible("restore-contents"));
    assert!(!app.is_visible("restore-start"));
}

#[test]
fn back_up_restore_an_older_backup_and_undo_it() {
    let (dir, _db, app) = app_with_org();
    add_member(
        &app,
        &NewMember {
            first: "Åsa",
            last: "Öberg",
            city: "Umeå",
            ..Default::default()
        },
    );
    wait_member_count(&app, 1);
    let none = i18n("en", "backup.none");
    app.wait_text_contains("backup-age", &none);

    // -- the passphrase: first what it means ---------------------------------
    app.click("nav-backup");
    app.wait_visible("backup-area");
    let explained = app.text("backup-passphrase-explain");
    for key in [
        "passphrase.explainRestore",
        "passphrase.explainForgotten",
        "passphrase.explainWriteDown",
    ] {
        let line = i18n("en", key);
        assert!(
            explained.contains(&line),
            "the explanation lacks {key}: {explained:?}"
        );
    }
    assert!(
        app.is_visible("backup-now-reason"),
        "Back up now says a passphrase is needed first"
    );
    assert!(app.attr("backup-now", "disabled").is_some());
    app.screenshot("backup-passphrase");

    // Two different passphrases: refused next to the repeat field, nothing set.
    app.type_into("backup-passphrase", PASSPHRASE);
    app.type_into("backup-passphrase-repeat", "korv med bröd och ketchup");
    app.click("backup-passphrase-set");
    app.wait_text_contains("error-repeat", &i18n("en", "fieldError.mismatch"));
    assert!(!app.is_visible("backup-passphrase-state"));
    assert!(app.is_visible("backup-passphrase-explain"));
    assert!(app.attr("backup-now", "disabled").is_some());

    // Too short: refused next to the passphrase.
    app.type_into("backup-passphrase", "kort");
    app.type_into("backup-passphrase-repeat", "kort");
    app.click("backup-passphrase-set");
    app.wait_text_contains("error-passphrase", &i18n("en", "fieldError.too_short"));
    assert!(!app.is_visible("backup-passphrase-state"));

    app.type_into("backup-passphrase", PASSPHRASE);
    app.type_into("backup-passphrase-repeat", PASSPHRASE);
    app.click("backup-passphrase-set");
    app.wait_visible("backup-passphrase-state");
    app.wait_gone("backup-now-reason");
    assert!(!app.is_visible("backup-passphrase-explain"));
    assert_eq!(app.attr("backup-now", "disabled"), None);

    // -- a folder that cannot be written: loud, and nothing counts ------------
    let plain_file = dir.path().join("not-a-stick");
    fs::write(&plain_file, "a plain file, not a folder\n").expect("write a plain file");
    app.type_into(
        "backup-folder",
        &plain_file.join("backups").display().to_string(),
    );
    app.click("backup-now");
    app.wait_text_contains("backup-error", &i18n("en", "error.backup_write_failed"));
    assert_eq!(app.attr("backup-error", "role").as_deref(), Some("alert"));
    assert!(!app.is_visible("backup-result"));
    app.wait_text_contains("backup-age", &none);
    app.screenshot("backup-failed");

    // -- back up to the "stick" --------------------------------------------
    let stick = dir.path().join("USB-STICK");
    fs::create_dir(&stick).expect("create the stick folder");
    app.type_into("backup-folder", &stick.display().to_string());
    app.click("backup-now");
    let result = app.wait_text_contains("backup-result", &i18n("en", "backup.verified"));
    let files = backups_in(&stick);
    assert_eq!(files.len(), 1, "one backup on the stick: {files:?}");
    let backup = files[0].clone();
    let name = backup.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        result.contains(&name),
        "the result names {name}: {result:?}"
    );
    assert!(
        result.contains(fixed_part(&counted("backup.resultMembers", 1))),
        "the result counts 1 member: {result:?}"
    );
    assert!(has_key_file(&stick), "the key file is beside the backup");
    assert!(!app.is_visible("backup-error"));
    let age = app.wait_until("backup-age to leave 'no backup' behind", |app| {
        app.all_texts("backup-age")
            .into_iter()
            .next()
            .filter(|t| !t.contains(&none) && !t.is_empty())
    });
    assert!(
        age.contains(fixed_part(&i18n("en", "backup.age"))),
        "backup-age {age:?}"
    );
    app.wait_visible("backup-status");
    app.screenshot("backup-area");

    // -- "move to another computer": the steps, a backup to the stick, what next
    let other_stick = dir.path().join("OTHER-STICK");
    app.click("backup-move");
    app.wait_visible("move-dialog");
    app.wait_text_contains("move-steps", &i18n("en", "move.step2"));
    app.type_into("move-folder", &other_stick.display().to_string());
    app.click("move-backup");
    let moved = app.wait_text_contains("move-result", &i18n("en", "move.doneTitle"));
    let on_stick = backups_in(&other_stick);
    assert_eq!(on_stick.len(), 1, "one backup on the other stick");
    let moved_name = on_stick[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        moved.contains(&moved_name) && moved.contains(&i18n("en", "move.next1")),
        "the result names the file and the next steps: {moved:?}"
    );
    assert!(has_key_file(&other_stick));
    app.screenshot("move-done");
    app.click("move-close");
    app.wait_gone("move-dialog");

    // -- a change after the backup -------------------------------------------
    app.click("nav-members");
    add_member(
        &app,
        &NewMember {
            first: "Lars",
            last: "Nilsson",
            city: "Luleå",
            ..Default::default()
        },
    );
    wait_member_count(&app, 2);

    // -- what is in the backup -------------------------------------------------
    app.click("nav-backup");
    app.wait_visible("restore-file");
    app.type_into("restore-file", &backup.display().to_string());
    app.click("restore-inspect");
    app.wait_visible("restore-contents");
    assert!(
        !app.is_visible("restore-passphrase"),
        "the register's own backup opens without typing the passphrase"
    );
    assert_eq!(app.text("restore-org"), ORG);
    assert_eq!(app.text("restore-members"), "1");
    assert_eq!(app.text("restore-current-members"), "2");
    app.wait_text_contains("restore-compare", &i18n("en", "restore.older"));
    app.wait_text_contains("restore-older-warning", &i18n("en", "restore.olderWarning"));
    assert_eq!(
        app.attr("restore-older-warning", "role").as_deref(),
        Some("alert")
    );
    assert!(!app.text("restore-created").is_empty());
    assert!(!app.text("restore-computer").is_empty());
    assert!(!app.text("restore-version").is_empty());
    app.scroll_into_view("restore-contents");
    app.screenshot("restore-contents");

    // -- restore: asked first, then the later member is gone -----------------
    app.click("restore-start");
    app.wait_visible("restore-dialog");
    app.wait_text_contains("restore-dialog", &i18n("en", "restore.olderWarning"));
    app.screenshot("restore-confirm");
    // Cancelling changes nothing.
    app.click("restore-dialog-cancel");
    app.wait_gone("restore-dialog");
    app.wait_visible("restore-contents");
    app.click("restore-start");
    app.click("restore-dialog-confirm");
    app.wait_gone("restore-dialog");
    app.wait_text_contains("restore-done", &counted("restore.doneKept", 1));
    app.wait_visible("restore-undo");
    app.wait_count("safety-item", 1);
    app.screenshot("restore-done");

    app.click("nav-members");
    wait_member_count(&app, 1);
    wait_rows(&app, &["Öberg"]);

    // -- undo: the later member is back ----------------------------------------
    app.click("nav-backup");
    app.click("restore-undo");
    app.wait_text_contains("restore-undone", &i18n("en", "restore.undone"));
    app.click("nav-members");
    wait_member_count(&app, 2);
    wait_rows(&app, &["Nilsson", "Öberg"]);

    // -- a safety copy put back by hand ----------------------------------------
    // The newest copy is the register as the restore had left it (1 member).
    app.click("nav-backup");
    let copies = app.wait_count("safety-item", 2);
    assert!(
        copies[0].contains(&i18n("en", "safety.beforeUndo"))
            && copies[0].contains(&counted("members.count", 1)),
        "the newest safety copy: {copies:?}"
    );
    app.click("safety-restore");
    app.wait_visible("safety-dialog");
    app.click("safety-dialog-confirm");
    app.wait_text_contains("toast", &counted("safety.done", 1));
    app.click("nav-members");
    wait_member_count(&app, 1);
    wait_rows(&app, &["Öberg"]);
    app.close();
}

#[test]
fn a_wrong_passphrase_for_another_registers_backup_changes_nothing() {
    let other = TempDir::new().expect("temp dir");
    let backup = register_backed_up_by_cli(
        &other,
        "Andra Föreningen",
        &[("Kari", "Nordmann"), ("Ola", "Nordmann")],
        PASSPHRASE,
    );

    let (_dir, _db, app) = app_with_org();
    add_member(
        &app,
        &NewMember {
            first: "Åsa",
            last: "Öberg",
            ..Default::default()
        },
    );
    app.click("nav-backup");
    // Not this register's backup: its passphrase is asked for.
    refuse_a_wrong_passphrase(&app, &backup, "fel lösenfras helt enkelt");
    app.scroll_into_view("restore-error");
    app.screenshot("restore-wrong-passphrase");

    // The right one shows whose it is; nothing is restored without asking.
    app.type_into("restore-passphrase", PASSPHRASE);
    app.click("restore-inspect");
    app.wait_visible("restore-contents");
    assert_eq!(app.text("restore-org"), "Andra Föreningen");
    assert_eq!(app.text("restore-members"), "2");
    app.wait_visible("restore-other-org");
    assert!(!app.is_visible("restore-error"));

    app.wait_visible("safety-empty");
    app.click("nav-members");
    wait_member_count(&app, 1);
    wait_rows(&app, &["Öberg"]);
    assert_eq!(app.text("org-title"), ORG);
    app.close();
}

#[test]
fn automatic_backups_need_a_folder() {
    let (dir, _db, app) = app_with_org();
    app.click("nav-backup");
    app.wait_visible("backup-schedule");
    assert_eq!(app.text("schedule-every"), "0");
    // On closing, without a folder: refused next to the folder.
    app.click("schedule-on-close");
    app.click("schedule-save");
    app.wait_text_contains("error-schedule-folder", &i18n("en", "fieldError.required"));
    app.click("schedule-on-close");

    // Keep must be a number of backups.
    app.type_into("schedule-keep", "0");
    app.click("schedule-save");
    app.wait_error("error-schedule-keep");
    // So must the safety copies kept before a restore (10 unless set).
    assert_eq!(app.text("schedule-safety-keep"), "10");
    app.type_into("schedule-keep", "3");
    app.type_into("schedule-safety-keep", "0");
    app.click("schedule-save");
    app.wait_error("error-schedule-safetyKeep");

    let folder = dir.path().join("auto");
    fs::create_dir(&folder).expect("create the folder");
    app.type_into("schedule-folder", &folder.display().to_string());
    app.select("schedule-every", "168");
    app.type_into("schedule-safety-keep", "4");
    app.click("schedule-save");
    app.wait_text_contains("toast", &i18n("en", "schedule.saved"));
    app.screenshot("backup-schedule");

    // Saved: the area shows it again after a restart.
    let app = app.restart();
    app.click("nav-backup");
    app.wait_visible("backup-schedule");
    assert_eq!(app.text("schedule-every"), "168");
    assert_eq!(app.text("schedule-keep"), "3");
    assert_eq!(app.text("schedule-safety-keep"), "4");
    assert_eq!(app.text("schedule-folder"), folder.display().to_string());
    app.close();
}

#[test]
fn a_new_computer_takes_over_the_register_from_the_welcome_screen() {
    let other = TempDir::new().expect("temp dir");
    let backup = register_backed_up_by_cli(
        &other,
        "Fackklubben Gruvan",
        &[("Leila", "Haddad"), ("Jonas", "Åkesson")],
        PASSPHRASE,
    );

    let (_dir, db) = temp_db();
    let app = App::launch(&db);
    app.wait_visible("welcome");
    app.click("welcome-restore");
    app.wait_visible("welcome-restore-panel");
    // A wrong passphrase: said so, and nothing happens.
    refuse_a_wrong_passphrase(&app, &backup, "inte rätt alls");
    assert!(app.is_visible("welcome-restore-panel"));

    app.type_into("restore-passphrase", PASSPHRASE);
    app.press_enter("restore-passphrase");
    app.wait_visible("restore-contents");
    assert_eq!(app.text("restore-org"), "Fackklubben Gruvan");
    assert_eq!(app.text("restore-members"), "2");
    assert!(
        !app.is_visible("restore-compare"),
        "nothing to compare with on a new computer"
    );
    app.screenshot("welcome-restore-contents");

    app.click("restore-start");
    app.wait_text_contains("org-title", "Fackklubben Gruvan");
    wait_member_count(&app, 2);
    wait_rows(&app, &["Haddad", "Åkesson"]);
    app.wait_text_contains("toast", &counted("restore.doneToast", 2));

    // It is this computer's register now.
    let app = app.restart();
    app.wait_text_contains("org-title", "Fackklubben Gruvan");
    wait_member_count(&app, 2);
    app.close();
}

#[test]
fn a_register_in_use_on_another_computer_asks_before_opening() {
    let (_dir, db) = temp_db();
    cli(&db, &["org", "init", "--name", ORG, "--country", "SE"]);
    let mut note = db.as_os_str().to_owned();
    note.push(".in-use");
    let note = PathBuf::from(note);
    fs::write(
        &note,
        r#"{"computer":"KASSÖRENS-LAPTOP","pid":4242,"since":"2026-11-20T18:00:00Z"}"#,
    )
    .expect("write the in-use note");

    let app = App::launch(&db);
    let text = app.wait_text_contains("in-use-text", "KASSÖRENS-LAPTOP");
    assert!(text.contains("2026"), "the time is shown: {text:?}");
    app.wait_text_contains("in-use", fixed_part(&i18n("en", "inUse.risk")));
    assert!(!app.is_visible("fatal-error"));
    assert!(!app.is_visible("sidebar"));
    assert!(!app.is_visible("welcome"));
    app.screenshot("in-use");

    app.click("in-use-open");
    app.wait_text_contains("org-title", ORG);
    app.wait_visible("member-list");
    assert!(!app.is_visible("in-use"));
    // The note is this Medlem's now.
    let now = fs::read_to_string(&note).expect("read the note");
    assert!(
        !now.contains("KASSÖRENS-LAPTOP"),
        "the note still names the other computer: {now}"
    );
    app.close();
}

#[test]
fn moving_without_a_passphrase_leads_to_the_passphrase() {
    let (_dir, _db, app) = app_with_org();
    app.click("nav-backup");
    app.click("backup-move");
    app.wait_visible("move-dialog");
    app.wait_text_contains("move-need-passphrase", &i18n("en", "move.needPassphrase"));
    assert!(
        app.attr("move-backup", "disabled").is_some(),
        "no backup to move without a passphrase"
    );
    app.screenshot("move-without-passphrase");
    app.click("move-set-passphrase");
    app.wait_gone("move-dialog");
    app.wait_until("the passphrase field to have the focus", |app| {
        Some(()).filter(|_| app.focused() == "backup-passphrase")
    });
    assert!(app.is_visible("backup-passphrase-explain"));
    app.close();
}

/// Is a key file (`medlem-backup-key-<fingerprint>.age`) in `dir`?
fn has_key_file(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|d| {
        d.flatten().any(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with("medlem-backup-key-") && name.ends_with(".age")
        })
    })
}
