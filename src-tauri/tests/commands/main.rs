//! The app's commands on Tauri's mock runtime: no display needed.

mod backup;
mod contract;
mod grants;
mod letters;
mod meetings;
mod panics;
mod responsive;

use std::path::Path;

use medlem_app::{run_app, DbLocation};
use serde_json::{json, Value};
use tauri::test::{mock_builder, MockRuntime};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

struct App {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

/// The app on the mock runtime with its real configuration and capabilities,
/// so these tests also prove the ACL lets the window call every command.
fn app(db: &Path) -> App {
    let app = run_app(mock_builder(), DbLocation::Path(db.to_owned()))
        .build(tauri::generate_context!())
        .expect("build the app");
    let window = match app.get_webview_window("main") {
        Some(w) => w,
        None => tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("main window"),
    };
    App { _app: app, window }
}

impl App {
    /// Invokes `cmd` with JSON `args` as the UI would; Ok(value) or Err(error DTO).
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        invoke(&self.window, cmd, args)
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should fail, returned {v}"),
            Err(e) => e,
        }
    }
}

/// Invokes `cmd` in `window` (from any thread).
fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    tauri::test::get_ipc_response(
        window,
        InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: tauri::test::INVOKE_KEY.to_string(),
        },
    )
    .map(|b| b.deserialize::<Value>().expect("JSON response"))
}

fn temp_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("medlem.sqlite");
    (dir, path)
}

#[test]
fn first_launch_then_organisation_then_members() {
    let (_dir, db) = temp_db();
    let app = app(&db);
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["org"], Value::Null);
    assert_eq!(info["startupError"], Value::Null);
    assert_eq!(info["dbPath"], db.display().to_string());

    let org = app.ok(
        "org_create",
        json!({"org": {"name": "Fagforeningen Nord", "country": "NO", "postalAddress": "Postboks 1\n0150 Oslo", "orgNumber": "987 654 321"}}),
    );
    assert_eq!(org["currency"], "NOK");
    assert_eq!(
        app.ok("app_info", json!({}))["org"]["name"],
        "Fagforeningen Nord"
    );

    let m = app.ok(
        "member_create",
        json!({"member": {"firstName": "Åsa", "lastName": "Østby", "email": "asa@example.no", "postcode": "0150"}}),
    );
    assert_eq!(m["number"], "1");
    assert_eq!(m["postcode"], "0150");
    assert_eq!(m["language"], "nb");
    let id = m["id"].clone();

    let page = app.ok("members_list", json!({"query": {"search": "øst"}}));
    assert_eq!(page["total"], 1);
    assert_eq!(page["items"][0]["lastName"], "Østby");

    let changed = app.ok(
        "member_update",
        json!({"id": id, "member": {"number": "1", "firstName": "Åsa", "lastName": "Østby", "email": "asa@example.no", "postcode": "0150", "city": "Oslo"}}),
    );
    assert_eq!(changed["city"], "Oslo");
    let resigned = app.ok(
        "member_set_status",
        json!({"id": id, "status": "resigned", "date": "2025-12-31"}),
    );
    assert_eq!(resigned["status"], "resigned");
    assert_eq!(resigned["statusDate"], "2025-12-31");
    let history = app.ok("member_history", json!({"id": id}));
    let kinds: Vec<_> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["status", "changed", "created"]);
    assert_eq!(history[1]["field"], "city");
    assert_eq!(history[1]["newValue"], "Oslo");
}

#[test]
fn errors_reach_the_ui_as_codes_and_fields() {
    let (_dir, db) = temp_db();
    let app = app(&db);
    let e = app.err(
        "member_create",
        json!({"member": {"firstName": "A", "lastName": "B"}}),
    );
    assert_eq!(e["code"], "no_organisation");
    let e = app.err("org_create", json!({"org": {"name": "", "country": "SE"}}));
    assert_eq!(e["code"], "validation");
    assert_eq!(e["fields"], json!([{"field": "name", "code": "required"}]));
    app.ok(
        "org_create",
        json!({"org": {"name": "Klubben", "country": "SE"}}),
    );

    let e = app.err(
        "member_create",
        json!({"member": {"firstName": "", "lastName": "B", "email": "anna@", "birthDate": "2024-13-45"}}),
    );
    assert_eq!(e["code"], "validation");
    assert_eq!(
        e["fields"],
        json!([
            {"field": "firstName", "code": "required"},
            {"field": "email", "code": "invalid_email"},
            {"field": "birthDate", "code": "invalid_month"},
        ])
    );
    app.ok(
        "member_create",
        json!({"member": {"firstName": "A", "lastName": "B", "number": "1001"}}),
    );
    let e = app.err(
        "member_create",
        json!({"member": {"firstName": "C", "lastName": "D", "number": "1001"}}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "number", "code": "duplicate"}])
    );
    let e = app.err(
        "member_set_status",
        json!({"id": 1, "status": "resigned", "date": "31/02/2025"}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "date", "code": "invalid_day"}])
    );
    let e = app.err("member_get", json!({"id": 4242}));
    assert_eq!(e["code"], "not_found");
    assert_eq!(
        app.ok("members_list", json!({"query": {}}))["total"],
        1,
        "failed calls wrote nothing"
    );
}

#[test]
fn hostile_strings_come_back_as_the_same_plain_text() {
    let (_dir, db) = temp_db();
    let app = app(&db);
    app.ok(
        "org_create",
        json!({"org": {"name": "<b>Klubben</b>", "country": "DK"}}),
    );
    let hostile = "<img src=x onerror=alert(1)>";
    let m = app.ok(
        "member_create",
        json!({"member": {"firstName": hostile, "lastName": "=HYPERLINK(\"x\")"}}),
    );
    assert_eq!(m["firstName"], hostile);
    let page = app.ok("members_list", json!({"query": {"search": "img src"}}));
    assert_eq!(page["items"][0]["firstName"], hostile);
    assert_eq!(
        app.ok("app_info", json!({}))["org"]["name"],
        "<b>Klubben</b>"
    );
}

#[test]
fn a_newer_database_is_reported_at_startup_and_not_touched() {
    let (_dir, db) = temp_db();
    medlem_core::open(&db)
        .unwrap()
        .connection()
        .execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 9999;")
        .unwrap();
    let before = std::fs::read(&db).unwrap();
    let app = app(&db);
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["startupError"]["code"], "newer_database");
    assert_eq!(
        app.err("members_list", json!({"query": {}}))["code"],
        "newer_database"
    );
    drop(app);
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn an_unwritable_path_is_reported_at_startup() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let app = app(&file.join("medlem.sqlite"));
    let info = app.ok("app_info", json!({}));
    assert_eq!(info["startupError"]["code"], "database_unwritable");
}

#[test]
fn settings_branches_workplaces_and_demo() {
    let (_dir, db) = temp_db();
    let app = app(&db);
    let org = app.ok("demo_create", json!({"count": 120}));
    assert_eq!(org["name"], "Demoföreningen");
    assert_eq!(
        app.ok("members_list", json!({"query": {"limit": 10}}))["total"],
        120
    );
    app.ok("settings_set_language", json!({"language": "da"}));
    assert_eq!(app.ok("app_info", json!({}))["language"], "da");
    app.ok("settings_set_language", json!({"language": null}));
    assert_eq!(app.ok("app_info", json!({}))["language"], Value::Null);
    let b = app.ok("branch_create", json!({"name": "Klubb Öst"}));
    let w = app.ok(
        "workplace_create",
        json!({"name": "Hamnen", "branchId": b["id"]}),
    );
    assert_eq!(w["branchName"], "Klubb Öst");
    let names: Vec<_> = app
        .ok("branches_list", json!({}))
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(names.contains(&"Klubb Öst".to_owned()));
    // An unknown language never reaches the core: the arguments do not deserialise.
    assert!(app
        .call("settings_set_language", json!({"language": "fr"}))
        .is_err());
    assert_eq!(app.ok("app_info", json!({}))["language"], Value::Null);
}

#[test]
fn the_db_location_comes_from_the_command_line_or_the_environment() {
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        DbLocation::from_args(args(&["--db", "/x/m.sqlite"]), Some("/env".into())),
        DbLocation::Path("/x/m.sqlite".into())
    );
    assert_eq!(
        DbLocation::from_args(args(&["--db=/y"]), None),
        DbLocation::Path("/y".into())
    );
    assert_eq!(
        DbLocation::from_args(args(&[]), Some("/env".into())),
        DbLocation::Path("/env".into())
    );
    assert_eq!(
        DbLocation::from_args(args(&[]), Some(String::new())),
        DbLocation::Default
    );
    assert_eq!(DbLocation::from_args(args(&[]), None), DbLocation::Default);
}

#[test]
fn import_preview_commit_and_export_through_commands() {
    let (dir, db) = temp_db();
    let app = app(&db);
    app.ok(
        "org_create",
        json!({"org": {"name": "Klubben", "country": "SE"}}),
    );
    let csv = dir.path().join("medlemmar.csv");
    std::fs::write(
        &csv,
        "Förnamn;Efternamn;Postnummer\nÅsa;Östlund;012 34\nBo;Ek;111 22\n",
    )
    .unwrap();
    let preview = app.ok("import_preview", json!({"path": csv, "mapping": null}));
    assert_eq!(
        (
            preview["new"].as_u64(),
            preview["problems"].as_array().map(Vec::len)
        ),
        (Some(2), Some(0))
    );
    assert_eq!(preview["columns"][2]["field"], "postcode");
    assert_eq!(
        app.ok("members_list", json!({"query": {}}))["total"],
        0,
        "preview writes nothing"
    );

    // Ignore the postcode column: the user's mapping is used.
    let mapping = json!(["firstName", "lastName", null]);
    let summary = app.ok(
        "import_commit",
        json!({"path": csv, "mapping": mapping, "onProgress": "__CHANNEL__:1"}),
    );
    let written: Vec<i64> = summary["ids"]
        .as_array()
        .expect("the ids written")
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    assert_eq!(
        summary,
        json!({"new": 2, "updated": 0, "unchanged": 0, "skipped": 0, "ids": written})
    );
    // The ids are the members now in the register.
    let page = app.ok("members_list", json!({"query": {}}));
    let mut listed: Vec<i64> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["id"].as_i64())
        .collect();
    listed.sort_unstable();
    let mut sorted = written.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, listed);

    // Åsa's number in a file that renames her and adds Cissi: the preview
    // names Åsa's change; a commit of an earlier preview is refused; with
    // updates left out only Cissi comes.
    let page = app.ok("members_list", json!({"query": {"search": "öst"}}));
    let asa = app.ok("member_get", json!({"id": page["items"][0]["id"]}));
    let number = asa["number"].as_str().unwrap().to_owned();
    std::fs::write(
        &csv,
        format!("Medlemsnummer;Förnamn;Efternamn\n{number};Åsa;Lund\n;Cissi;Berg\n"),
    )
    .unwrap();
    let e = app.err(
        "import_commit",
        json!({"path": csv, "mapping": null, "options": {"fingerprint": preview["fingerprint"]}, "onProgress": "__CHANNEL__:1"}),
    );
    assert_eq!(e["code"], "import_changed");
    let now = app.ok("import_preview", json!({"path": csv, "mapping": null}));
    assert_eq!(
        now["changes"],
        json!([{"row": 2, "id": asa["id"], "number": number, "firstName": "Åsa", "lastName": "Östlund",
                "fields": [{"field": "lastName", "old": "Östlund", "new": "Lund"}]}])
    );
    let summary = app.ok(
        "import_commit",
        json!({"path": csv, "mapping": null, "options": {"updates": "none", "skipRows": [], "fingerprint": now["fingerprint"]}, "onProgress": "__CHANNEL__:1"}),
    );
    let cissi = app.ok("members_list", json!({"query": {"search": "cissi"}}));
    assert_eq!(
        summary,
        json!({"new": 1, "updated": 0, "unchanged": 0, "skipped": 1, "ids": [cissi["items"][0]["id"]]})
    );
    let asa = app.ok("member_get", json!({"id": asa["id"]}));
    assert_eq!(asa["lastName"], "Östlund");
    let page = app.ok("members_list", json!({"query": {"search": "öst"}}));
    let asa = app.ok("member_get", json!({"id": page["items"][0]["id"]}));
    assert_eq!(asa["postcode"], "", "the ignored column was not imported");

    let out = dir.path().join("ut.json");
    let done = app.ok(
        "export_members",
        json!({"path": out, "format": "json", "query": {"search": "öst"}, "language": "sv"}),
    );
    assert_eq!(done["members"], 1);
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(exported[0]["lastName"], "Östlund");
}

#[test]
fn bad_import_and_export_requests_get_clear_codes() {
    let (dir, db) = temp_db();
    let app = app(&db);
    app.ok(
        "org_create",
        json!({"org": {"name": "Klubben", "country": "DK"}}),
    );
    let junk = dir.path().join("junk.csv");
    std::fs::write(&junk, [0u8, 159, 146, 150, 0, 1, 2].repeat(100)).unwrap();
    assert_eq!(
        app.err("import_preview", json!({"path": junk, "mapping": null}))["code"],
        "invalid_file"
    );
    let shoes = dir.path().join("sko.csv");
    std::fs::write(&shoes, "Skostørrelse\n42\n").unwrap();
    assert_eq!(
        app.err("import_preview", json!({"path": shoes, "mapping": null}))["code"],
        "missing_columns"
    );
    let bad = dir.path().join("fejl.csv");
    std::fs::write(
        &bad,
        "Fornavn;Efternavn;Fødselsdato\nMette;Holm;32.13.1990\n",
    )
    .unwrap();
    let e = app.err(
        "import_commit",
        json!({"path": bad, "mapping": null, "onProgress": "__CHANNEL__:1"}),
    );
    assert_eq!(e["code"], "import_problems");
    let e = app.err(
        "export_members",
        json!({"path": dir.path().join("x.pdf"), "format": "pdf", "query": {}, "language": "da"}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "format", "code": "invalid_choice"}])
    );
    assert_eq!(app.ok("members_list", json!({"query": {}}))["total"], 0);
    app.ok("import_cancel", json!({}));
}
