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

    // Only PDFs the app wrote may be opened.
    let e = app.err("pdf_open", json!({"path": "/etc/passwd"}));
    assert_eq!(
        e["fields"],
        json!([{"field": "path", "code": "invalid_choice"}])
    );
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
    let png = dir.path().join("real.png");
    std::fs::write(&png, tiny_png()).unwrap();
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

/// A 2×1 PNG (red, blue), written by hand: signature, IHDR, IDAT, IEND.
fn tiny_png() -> Vec<u8> {
    fn crc(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 != 0 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    fn adler(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &d in data {
            a = (a + u32::from(d)) % 65521;
            b = (b + a) % 65521;
        }
        (b << 16) | a
    }
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc(&body).to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(2u32.to_be_bytes());
    ihdr.extend(1u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    let raw = [0u8, 255, 0, 0, 0, 0, 255];
    let mut z = vec![0x78, 0x01, 1];
    z.extend((raw.len() as u16).to_le_bytes());
    z.extend((!(raw.len() as u16)).to_le_bytes());
    z.extend(raw);
    z.extend(adler(&raw).to_be_bytes());
    chunk(&mut png, b"IDAT", &z);
    chunk(&mut png, b"IEND", &[]);
    png
}
