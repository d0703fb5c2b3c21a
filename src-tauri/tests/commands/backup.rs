//! Backup, restore, undo, schedule and the in-use note through the commands.

use serde_json::{json, Value};
use tauri::Manager;

use medlem_app::{commands, AppState};

use crate::{app, temp_db, App};

const PASS: &str = "korrekt häst batteri";

fn with_member(app: &App, last: &str) -> Value {
    app.ok(
        "member_create",
        json!({"member": {"firstName": "Åsa", "lastName": last}}),
    )
}

fn set_up(app: &App) {
    app.ok(
        "org_create",
        json!({"org": {"name": "Fackklubben Verkstaden", "country": "SE"}}),
    );
    with_member(app, "Östlund");
}

fn total(app: &App) -> i64 {
    app.ok("members_list", json!({"query": {}}))["total"]
        .as_i64()
        .unwrap()
}

fn progress() -> Value {
    json!("__CHANNEL__:1")
}

#[test]
fn passphrase_backup_restore_and_undo_through_the_commands() {
    let (dir, db) = temp_db();
    let app = app(&db);
    set_up(&app);
    assert_eq!(app.ok("backup_status", json!({}))["hasPassphrase"], false);

    // Refused passphrases set nothing.
    let e = app.err(
        "backup_set_passphrase",
        json!({"passphrase": PASS, "repeat": "korrekt häst"}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "repeat", "code": "mismatch"}])
    );
    let e = app.err(
        "backup_set_passphrase",
        json!({"passphrase": "kort", "repeat": "kort"}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "passphrase", "code": "too_short"}])
    );
    let e = app.err(
        "backup_now",
        json!({"folder": dir.path().join("USB"), "onProgress": progress()}),
    );
    assert_eq!(e["code"], "no_passphrase");
    assert_eq!(app.ok("backup_status", json!({}))["hasPassphrase"], false);

    let status = app.ok(
        "backup_set_passphrase",
        json!({"passphrase": PASS, "repeat": PASS}),
    );
    assert_eq!(status["hasPassphrase"], true);
    assert_eq!(status["lastBackupAt"], Value::Null);

    let e = app.err(
        "backup_now",
        json!({"folder": "", "onProgress": progress()}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "folder", "code": "required"}])
    );
    let stick = dir.path().join("USB");
    let report = app.ok(
        "backup_now",
        json!({"folder": stick, "onProgress": progress()}),
    );
    let file = report["file"].as_str().unwrap().to_owned();
    assert!(file.ends_with(".medlem-backup"), "{file}");
    assert!(std::path::Path::new(&file).exists());
    // The key file beside it is named by the key's fingerprint, which also
    // ends the backup's name.
    let fp = file
        .trim_end_matches(".medlem-backup")
        .rsplit('-')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(fp.len(), 8, "{file}");
    assert!(stick.join(format!("medlem-backup-key-{fp}.age")).exists());
    assert_eq!(report["info"]["members"], 1);
    assert_eq!(
        app.ok("app_info", json!({}))["lastBackupAt"],
        report["info"]["createdAt"]
    );

    // A change after the backup: the inspection warns that it would be lost.
    with_member(&app, "Efter-Backupen");
    let seen = app.ok("backup_inspect", json!({"file": file, "passphrase": null}));
    assert_eq!(seen["info"]["organisation"], "Fackklubben Verkstaden");
    assert_eq!(seen["info"]["members"], 1);
    assert_eq!(seen["comparison"]["currentMembers"], 2);
    assert_eq!(seen["comparison"]["backupIsOlder"], true);
    assert_eq!(seen["comparison"]["sameOrganisation"], true);

    let done = app.ok(
        "backup_restore",
        json!({"file": file, "passphrase": null, "onProgress": progress()}),
    );
    assert_eq!(done["info"]["members"], 1);
    assert_eq!(total(&app), 1, "the register is the backup's now");
    let copies = app.ok("safety_copies_list", json!({}));
    assert_eq!(copies.as_array().unwrap().len(), 1);
    assert_eq!(copies[0]["file"], done["safetyCopy"]);
    assert_eq!(copies[0]["members"], 2);

    // Only the safety folder's copies may be put back.
    let stranger = dir.path().join("stranger.sqlite");
    std::fs::write(&stranger, "x").unwrap();
    let e = app.err("safety_copy_restore", json!({"file": stranger}));
    assert_eq!(
        e["fields"],
        json!([{"field": "file", "code": "invalid_choice"}])
    );
    assert_eq!(total(&app), 1);

    app.ok("safety_copy_restore", json!({"file": copies[0]["file"]}));
    assert_eq!(total(&app), 2, "undone");
    let page = app.ok("members_list", json!({"query": {"search": "efter"}}));
    assert_eq!(page["total"], 1);
}

#[test]
fn another_computer_restores_with_the_passphrase_only() {
    let (dir, db) = temp_db();
    let first = app(&db);
    set_up(&first);
    first.ok(
        "backup_set_passphrase",
        json!({"passphrase": PASS, "repeat": PASS}),
    );
    let report = first.ok(
        "backup_now",
        json!({"folder": dir.path().join("USB"), "onProgress": progress()}),
    );
    let file = report["file"].clone();

    let (_other_dir, other_db) = temp_db();
    let fresh = app(&other_db);
    assert_eq!(fresh.ok("app_info", json!({}))["org"], Value::Null);
    let e = fresh.err("backup_inspect", json!({"file": file, "passphrase": null}));
    assert_eq!(e["code"], "passphrase_needed");
    let e = fresh.err(
        "backup_inspect",
        json!({"file": file, "passphrase": "fel lösenord"}),
    );
    assert_eq!(e["code"], "wrong_passphrase");
    let e = fresh.err(
        "backup_restore",
        json!({"file": file, "passphrase": "fel lösenord", "onProgress": progress()}),
    );
    assert_eq!(e["code"], "wrong_passphrase");
    assert_eq!(
        fresh.ok("app_info", json!({}))["org"],
        Value::Null,
        "nothing changed"
    );

    let seen = fresh.ok("backup_inspect", json!({"file": file, "passphrase": PASS}));
    assert_eq!(seen["comparison"]["hasRegister"], false);
    assert_eq!(seen["comparison"]["backupIsOlder"], false);
    let done = fresh.ok(
        "backup_restore",
        json!({"file": file, "passphrase": PASS, "onProgress": progress()}),
    );
    // Even the empty register of a first start is kept.
    assert!(done["safetyCopy"].is_string());
    let info = fresh.ok("app_info", json!({}));
    assert_eq!(info["org"]["name"], "Fackklubben Verkstaden");
    assert_eq!(total(&fresh), 1);
    // The key came along: this computer backs up without typing.
    assert_eq!(fresh.ok("backup_status", json!({}))["hasPassphrase"], true);
}

#[test]
fn bad_backup_files_are_refused_and_change_nothing() {
    let (dir, db) = temp_db();
    let app = app(&db);
    set_up(&app);
    app.ok(
        "backup_set_passphrase",
        json!({"passphrase": PASS, "repeat": PASS}),
    );
    let report = app.ok(
        "backup_now",
        json!({"folder": dir.path().join("USB"), "onProgress": progress()}),
    );
    let mut bytes = std::fs::read(report["file"].as_str().unwrap()).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x20;
    let flipped = dir.path().join("USB").join("flipped.medlem-backup");
    std::fs::write(&flipped, &bytes).unwrap();
    let e = app.err(
        "backup_restore",
        json!({"file": flipped, "passphrase": null, "onProgress": progress()}),
    );
    assert_eq!(e["code"], "backup_damaged");
    let plain = dir.path().join("members.csv");
    std::fs::write(&plain, "=HYPERLINK(\"http://x\")").unwrap();
    let e = app.err("backup_inspect", json!({"file": plain, "passphrase": null}));
    assert_eq!(e["code"], "not_a_backup");
    let e = app.err("backup_inspect", json!({"file": "", "passphrase": null}));
    assert_eq!(e["fields"], json!([{"field": "file", "code": "required"}]));
    assert_eq!(total(&app), 1, "the register is untouched");
    assert_eq!(
        app.ok("safety_copies_list", json!({})),
        json!([]),
        "no restore happened"
    );
}

#[test]
fn the_schedule_and_the_backup_on_closing() {
    let (dir, db) = temp_db();
    let app = app(&db);
    set_up(&app);
    let state = app.window.state::<AppState>();
    assert!(!commands::backup::backup_on_close_wanted(&state));
    let e = app.err(
        "backup_schedule_set",
        json!({"schedule": {"folder": null, "everyHours": 24, "keep": 0, "onClose": true}}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "keep", "code": "invalid_number"}, {"field": "folder", "code": "required"}])
    );
    let stick = dir.path().join("USB");
    let saved = app.ok(
        "backup_schedule_set",
        json!({"schedule": {"folder": stick, "everyHours": 24, "keep": 3, "onClose": true}}),
    );
    assert_eq!(saved["keep"], 3);
    assert_eq!(app.ok("backup_status", json!({}))["schedule"], saved);
    // Without a passphrase there is nothing to back up with.
    assert!(!commands::backup::backup_on_close_wanted(&state));
    assert!(!commands::backup::scheduled_backup_due(&state));
    app.ok(
        "backup_set_passphrase",
        json!({"passphrase": PASS, "repeat": PASS}),
    );
    assert!(commands::backup::backup_on_close_wanted(&state));
    assert!(
        commands::backup::scheduled_backup_due(&state),
        "never backed up"
    );
    // The stick is not plugged in: refused, and no folder appears.
    let e = commands::backup::run_auto_backup(&state, "close").unwrap_err();
    assert_eq!(e.code, "backup_write_failed");
    assert!(!stick.exists());
    std::fs::create_dir(&stick).unwrap();
    let report = commands::backup::run_auto_backup(&state, "close")
        .unwrap()
        .expect("a backup");
    assert!(report.file.starts_with(&stick));
    assert!(!commands::backup::scheduled_backup_due(&state), "just done");
}

#[test]
fn a_register_in_use_elsewhere_asks_first() {
    let (_dir, db) = temp_db();
    {
        let app = app(&db);
        set_up(&app);
        app.window.state::<AppState>().release();
    }
    let note = db.with_file_name("medlem.sqlite.in-use");
    assert!(!note.exists(), "released on close");
    std::fs::write(
        &note,
        r#"{"computer":"KASSÖRENS-LAPTOP","pid":4242,"since":"2026-11-20T18:00:00Z"}"#,
    )
    .unwrap();
    let app = app(&db);
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["startupError"]["code"], "in_use");
    assert_eq!(info["startupError"]["lock"]["computer"], "KASSÖRENS-LAPTOP");
    assert_eq!(info["org"], Value::Null);
    let e = app.err("members_list", json!({"query": {}}));
    assert_eq!(e["code"], "in_use");

    app.ok("lock_open_anyway", json!({}));
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["startupError"], Value::Null);
    assert_eq!(info["org"]["name"], "Fackklubben Verkstaden");
    let now: Value = serde_json::from_str(&std::fs::read_to_string(&note).unwrap()).unwrap();
    assert_eq!(now["pid"], std::process::id(), "the note is ours now");
}

/// The move dialog's fields are checked before anything is reached: each
/// field's own refusal, hostile characters in an address refused; a copy
/// into a file is for a register on a server only. Nothing changes.
#[test]
fn a_move_with_bad_fields_is_refused_field_by_field_and_changes_nothing() {
    let (dir, db) = temp_db();
    let app = app(&db);
    app.ok(
        "org_create",
        json!({"org": {"name": "Klubben", "country": "SE"}}),
    );
    let server = |host: &str, port: &str, database: &str, user: &str| {
        json!({"server": {"host": host, "port": port, "database": database, "user": user,
            "password": "x"}, "onProgress": progress()})
    };
    let fields = |e: Value| {
        let mut f: Vec<(String, String)> = e["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|f| {
                (
                    f["field"].as_str().unwrap().into(),
                    f["code"].as_str().unwrap().into(),
                )
            })
            .collect();
        f.sort();
        f
    };
    let e = app.err("register_move_to_server", server("", "99999", " ", ""));
    assert_eq!(e["code"], "validation");
    let want = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        fields(e),
        want(&[
            ("database", "required"),
            ("host", "required"),
            ("port", "invalid_number"),
            ("user", "required"),
        ])
    );
    let e = app.err(
        "register_move_to_server",
        server("evil.example/x?", "5432", "medlem", "<script>@"),
    );
    assert_eq!(
        fields(e),
        want(&[("host", "invalid_character"), ("user", "invalid_character")])
    );
    // A register in a file is moved, not copied from.
    let e = app.err(
        "register_copy_to_file",
        json!({"path": dir.path().join("copy.sqlite"), "onProgress": progress()}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "path", "code": "invalid_choice"}])
    );
    assert!(!dir.path().join("copy.sqlite").exists());
    // The same fields are checked before connecting for the next start's
    // register; an address that is not a server's is not remembered.
    let e = app.err(
        "register_location_connect",
        server("evil.example/x?", "5432", "medlem", "<script>@"),
    );
    assert_eq!(
        fields(e),
        want(&[("host", "invalid_character"), ("user", "invalid_character")])
    );
    for address in [
        "/etc/passwd",
        "postgres://kassor@db:notaport/medlem",
        "<script>",
    ] {
        let e = app.err("register_location_set", json!({ "address": address }));
        assert_eq!(
            e["fields"],
            json!([{"field": "address", "code": "invalid_choice"}])
        );
    }
    app.ok("register_move_cancel", json!({}));
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["org"]["name"], "Klubben");
    assert_eq!(info["encrypted"], Value::Null, "a file has no connection");
}
