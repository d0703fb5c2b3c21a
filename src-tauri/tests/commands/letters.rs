//! Letters, labels and lists through the commands.

use serde_json::{json, Value};

use crate::{app, temp_db, App};

fn set_up(app: &App) -> Value {
    app.ok(
        "org_create",
        json!({"org": {"name": "Fackklubben Verkstaden", "country": "SE", "postalAddress": "Storgatan 1\n211 22 Malmö"}}),
    );
    app.ok(
        "member_create",
        json!({"member": {"firstName": "Åsa", "lastName": "Östlund", "address1": "Storgatan 12 B", "postcode": "21122", "city": "Malmö"}}),
    )
}

fn progress() -> Value {
    json!("__CHANNEL__:1")
}

#[test]
fn templates_preview_and_printing_through_the_commands() {
    let (dir, db) = temp_db();
    let app = app(&db);
    let asa = set_up(&app);

    let all = app.ok("letter_templates_list", json!({}));
    let keys: Vec<String> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{}.{}",
                t["key"].as_str().unwrap(),
                t["language"].as_str().unwrap()
            )
        })
        .collect();
    for k in [
        "welcome.sv",
        "welcome.da",
        "welcome.nb",
        "welcome.en",
        "notice.sv",
    ] {
        assert!(keys.contains(&k.to_owned()), "{k} in {keys:?}");
    }

    // An unknown merge field is refused, naming it; nothing saved.
    let bad = json!({"key": "kallelse", "language": "sv", "subject": "Kallelse",
                     "body": "Hej {{ member.first_name }}, {{ member.skostorlek }}"});
    let e = app.err("letter_template_save", json!({"template": bad}));
    assert_eq!(e["code"], "unknown_field");
    assert!(
        e["message"].as_str().unwrap().contains("member.skostorlek"),
        "{e}"
    );
    let e = app.err(
        "letter_preview",
        json!({"template": bad, "memberId": asa["id"]}),
    );
    assert_eq!(e["code"], "unknown_field");

    let good = json!({"key": "kallelse", "language": "sv", "subject": "Kallelse till årsmöte",
                      "body": "Hej {{ member.first_name }}!\n\n**Välkommen** till årsmötet."});
    let page = app.ok(
        "letter_preview",
        json!({"template": good, "memberId": asa["id"]}),
    );
    let texts: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "text")
        .filter_map(|i| i["text"].as_str())
        .collect();
    assert!(texts.contains(&"Åsa Östlund"), "{texts:?}");
    assert!(texts.contains(&"211 22 Malmö"), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("Hej Åsa!")), "{texts:?}");
    let saved = app.ok("letter_template_save", json!({"template": good}));
    assert_eq!(saved["isDefault"], false);

    let out = dir.path().join("kallelse.pdf");
    let done = app.ok(
        "letters_print",
        json!({"key": "kallelse", "query": {}, "path": out, "onProgress": progress()}),
    );
    assert_eq!(done, json!({"items": 1, "pages": 1}));
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF"));
    let history = app.ok("member_history", json!({"id": asa["id"]}));
    assert_eq!(history[0]["kind"], "letter");
    assert_eq!(history[0]["field"], "kallelse");
    assert_eq!(history[0]["newValue"], "Kallelse till årsmöte");

    let labels = dir.path().join("etiketter.pdf");
    let done = app.ok(
        "labels_print",
        json!({"query": {}, "sheet": "3x8", "households": true, "offsetX": 0.0, "offsetY": 1.5, "path": labels}),
    );
    assert_eq!(done["items"], 1);
    let e = app.err(
        "labels_print",
        json!({"query": {}, "sheet": "4x4", "households": false, "offsetX": 0.0, "offsetY": 0.0, "path": labels}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "sheet", "code": "invalid_choice"}])
    );
    for kind in ["members", "signatures"] {
        let out = dir.path().join(format!("{kind}.pdf"));
        let done = app.ok(
            "list_print",
            json!({"query": {}, "kind": kind, "path": out}),
        );
        assert_eq!(done["items"], 1);
    }
    let cal = dir.path().join("kalibrering.pdf");
    app.ok("calibration_print", json!({"path": cal}));
    assert!(cal.exists());

    // A saved selection.
    let e = app.err("selection_save", json!({"name": "", "query": {}}));
    assert_eq!(e["fields"], json!([{"field": "name", "code": "required"}]));
    let saved = app.ok(
        "selection_save",
        json!({"name": "Malmö", "query": {"search": "malmö", "status": "active"}}),
    );
    assert_eq!(saved["query"]["search"], "malmö");
    assert_eq!(app.ok("selections_list", json!({})), json!([saved]));
    app.ok("selection_delete", json!({"name": "Malmö"}));
    assert_eq!(app.ok("selections_list", json!({})), json!([]));

    // Only PDFs the app wrote may be opened.
    let e = app.err("pdf_open", json!({"path": "/etc/passwd"}));
    assert_eq!(
        e["fields"],
        json!([{"field": "path", "code": "invalid_choice"}])
    );
    // A list this run wrote under a name that is no PDF is not opened with
    // whatever the system runs for that name.
    let script = dir.path().join("lista.sh");
    app.ok(
        "list_print",
        json!({"query": {}, "kind": "members", "path": script}),
    );
    assert!(script.exists());
    let e = app.err("pdf_open", json!({"path": script}));
    assert_eq!(
        e["fields"],
        json!([{"field": "path", "code": "invalid_choice"}])
    );

    // Nothing is written over the register or its log: said so, and the
    // register works on.
    for own in [db.clone(), {
        let mut wal = db.as_os_str().to_owned();
        wal.push("-wal");
        std::path::PathBuf::from(wal)
    }] {
        let e = app.err(
            "list_print",
            json!({"query": {}, "kind": "members", "path": own}),
        );
        assert_eq!(e["code"], "protected_file", "{own:?}");
    }
    assert_eq!(app.ok("members_list", json!({"query": {}}))["total"], 1);
}

#[test]
fn letter_settings_and_logo() {
    let (dir, db) = temp_db();
    let app = app(&db);
    set_up(&app);
    let setup = app.ok("letter_settings_get", json!({}));
    assert_eq!(setup["settings"]["window"], "se_right");
    assert_eq!(setup["hasLogo"], false);
    assert!(setup["presets"].as_array().unwrap().len() >= 9);
    let e = app.err(
        "letter_settings_set",
        json!({"settings": {"window": "mars", "offsetX": 0, "offsetY": 50, "contact": ""}}),
    );
    assert_eq!(
        e["fields"],
        json!([{"field": "window", "code": "invalid_choice"}, {"field": "offsetY", "code": "invalid_number"}])
    );
    let saved = app.ok(
        "letter_settings_set",
        json!({"settings": {"window": "din5008_a_left", "offsetX": -1.5, "offsetY": 2, "contact": "kassor@example.se"}}),
    );
    assert_eq!(saved["window"], "din5008_a_left");
    assert_eq!(app.ok("letter_settings_get", json!({}))["settings"], saved);

    // Not an image: refused; a PNG: taken; null: removed.
    let text = dir.path().join("logo.png");
    std::fs::write(&text, "<svg onload=alert(1)>").unwrap();
    let e = app.err("letter_logo_set", json!({"path": text}));
    assert_eq!(
        e["fields"],
        json!([{"field": "logo", "code": "invalid_choice"}])
    );
    let png = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/logo.png");
    assert_eq!(app.ok("letter_logo_set", json!({"path": png})), true);
    assert_eq!(app.ok("letter_settings_get", json!({}))["hasLogo"], true);
    let out = dir.path().join("med-logga.pdf");
    app.ok(
        "letters_print",
        json!({"key": "welcome", "query": {}, "path": out, "onProgress": progress()}),
    );
    assert!(out.exists());
    assert_eq!(app.ok("letter_logo_set", json!({"path": null})), false);
}
