//! Import and export: a treasurer's own CSV in, the register out as JSON.
//!
//! The file is what Excel writes for a Swedish user (UTF-8 with a byte-order
//! mark, `;` between fields, Swedish headers, a date written dd.mm.yyyy). The
//! expected texts come from ui/i18n/en.json: the app runs with an English
//! system locale.

use std::fs;
use std::path::Path;

use medlem_e2e::first_number;
use medlem_e2e::fixtures::i18n;
use serde_json::Value;

use crate::{app_with_org, fixed_part, register_with, wait_member_count, wait_rows};

/// (number, first name, last name) of the members in [`GOOD_CSV`].
const MEMBERS: [(&str, &str, &str); 3] = [
    ("1001", "Åsa", "Öberg"),
    ("1002", "Søren", "Ærø"),
    ("1003", "Märta", "Østergaard"),
];

const GOOD_CSV: &str = "Medlemsnr;Förnamn;Efternamn;E-post;Postort;Inträdesdatum\r\n\
                        1001;Åsa;Öberg;asa.oberg@example.se;Umeå;2019-03-01\r\n\
                        1002;Søren;Ærø;soren.aero@example.dk;Århus;15.08.2020\r\n\
                        1003;Märta;Østergaard;;Malmö;\r\n";

/// Row 3 (the header is row 1) has a date that does not exist.
const BAD_CSV: &str = "Medlemsnr;Förnamn;Efternamn;Födelsedatum\r\n\
                       2001;Kari;Nordmann;01.02.1980\r\n\
                       2002;Ola;Nordmann;31.02.1980\r\n";

/// Writes `text` as Excel does for "CSV UTF-8": with a byte-order mark.
fn write_csv_with_bom(path: &Path, text: &str) {
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// The number an element shows ("3", or "1 234" in Swedish), once it shows one.
fn number_in(app: &medlem_e2e::App, testid: &str) -> u64 {
    app.poll(&format!("a number in {testid}"), |app| {
        let texts = app.all_texts(testid);
        match texts.first().and_then(|t| first_number(t)) {
            Some(n) => Ok(Some(n)),
            None => Err(format!("{testid} now: {texts:?}")),
        }
    })
}

#[test]
fn import_a_swedish_csv_refuse_a_bad_one_and_export_as_json() {
    let (dir, _db, app) = app_with_org();
    wait_member_count(&app, 0);

    // -- a good file: preview, then import ---------------------------------
    let good = dir.path().join("medlemmar från Excel.csv");
    write_csv_with_bom(&good, GOOD_CSV);

    app.click("member-import");
    app.wait_visible("import-panel");
    app.type_into("import-path", &good.display().to_string());
    app.click("import-read");
    app.wait_visible("import-mapping");
    assert_eq!(number_in(&app, "import-new"), 3, "three new members");
    assert_eq!(number_in(&app, "import-updated"), 0);
    assert_eq!(number_in(&app, "import-problem-count"), 0, "no problems");
    assert_eq!(app.count("import-column"), 6, "one mapping row per column");
    assert_eq!(app.count("import-problem"), 0);
    // The headers were recognised: the date column fills "Date joined".
    assert_eq!(app.text("import-field-5"), "joinedDate");
    assert_eq!(app.text("import-field-0"), "number");
    let summary = app.text("import-summary");
    assert!(summary.contains("UTF-8"), "import-summary {summary:?}");
    assert_eq!(
        app.attr("import-commit", "disabled"),
        None,
        "import-commit is enabled"
    );
    app.screenshot("import-preview");

    app.click("import-commit");
    let done = app.wait_error("import-done");
    assert_eq!(first_number(&done), Some(3), "import-done {done:?}");
    app.screenshot("import-done");
    app.click("import-close");
    app.wait_gone("import-panel");

    wait_member_count(&app, 3);
    let rows = app.wait_until("the three imported members in the list", |app| {
        let rows = app.all_texts("member-row");
        let all_there = rows.len() == 3
            && MEMBERS.iter().all(|(number, first, last)| {
                rows.iter()
                    .any(|r| r.contains(first) && r.contains(last) && r.contains(number))
            });
        all_there.then_some(rows)
    });
    assert!(
        rows.iter().any(|r| r.contains("Århus")),
        "the city column was imported: {rows:?}"
    );

    // -- a file with a date that does not exist: nothing can be imported --
    let bad = dir.path().join("fel.csv");
    write_csv_with_bom(&bad, BAD_CSV);
    app.click("member-import");
    app.wait_visible("import-panel");
    app.type_into("import-path", &bad.display().to_string());
    app.click("import-read");
    app.wait_visible("import-problem");
    let where_ = i18n("en", "import.problemAt")
        .replace("{row}", "3")
        .replace("{column}", "Födelsedatum");
    let problem = app.wait_text_contains("import-problem", &where_);
    assert!(
        problem.contains("31.02.1980"),
        "the problem shows the value: {problem:?}"
    );
    assert_eq!(app.count("import-problem"), 1, "only row 3 is wrong");
    assert_eq!(number_in(&app, "import-problem-count"), 1);
    assert!(
        app.attr("import-commit", "disabled").is_some(),
        "import-commit must be disabled while there are problems"
    );
    app.wait_text_contains(
        "import-reason",
        fixed_part(&i18n("en", "import.blocked.problems")),
    );
    app.screenshot("import-problems");
    app.click("import-cancel");
    app.wait_gone("import-panel");
    wait_member_count(&app, 3);

    // -- export the whole register as JSON ----------------------------------
    let out = dir.path().join("export.json");
    app.click("member-export");
    app.wait_visible("export-dialog");
    app.select("export-format", "json");
    app.select("export-scope", "all");
    app.type_into("export-path", &out.display().to_string());
    app.screenshot("export-dialog");
    app.click("export-confirm");
    let toast = app.wait_text_contains("toast", "export.json");
    assert_eq!(first_number(&toast), Some(3), "toast {toast:?}");
    app.wait_gone("export-dialog");

    let text = fs::read_to_string(&out)
        .unwrap_or_else(|e| panic!("the export {} cannot be read: {e}", out.display()));
    let exported: Value = serde_json::from_str(&text).expect("the export is JSON");
    let list = exported.as_array().expect("the export is a JSON list");
    assert_eq!(list.len(), 3, "three members exported: {text}");
    for (number, first, last) in MEMBERS {
        let found = list
            .iter()
            .find(|m| m["number"] == number)
            .unwrap_or_else(|| panic!("member {number} is not in the export: {text}"));
        assert_eq!(found["firstName"], first, "first name of {number}");
        assert_eq!(found["lastName"], last, "last name of {number}");
    }
    let soren = list.iter().find(|m| m["number"] == "1002").expect("1002");
    assert_eq!(
        soren["joinedDate"], "2020-08-15",
        "15.08.2020 was read day first"
    );
    assert_eq!(soren["city"], "Århus");
    app.close();
}

/// Esc closes the import panel without writing anything, and the keyboard
/// reaches every step: Enter in the path field reads the file.
#[test]
fn import_from_the_keyboard_and_esc_cancels() {
    let (dir, _db, app) = app_with_org();
    let good = dir.path().join("medlemmar.csv");
    write_csv_with_bom(&good, GOOD_CSV);

    app.click("member-import");
    app.wait_visible("import-panel");
    app.wait_until("the path field to have the focus", |app| {
        Some(()).filter(|_| app.focused() == "import-path")
    });
    app.type_into("import-path", &good.display().to_string());
    app.press_enter("import-path");
    app.wait_visible("import-mapping");
    assert_eq!(number_in(&app, "import-new"), 3);
    app.press_escape("import-path");
    app.wait_gone("import-panel");
    wait_member_count(&app, 0);
    app.wait_visible("list-empty");
    app.close();
}

/// Issue 14 item 3: before anything is saved the preview names every member
/// the file would change, field by field, old → new; a member unticked is
/// left as they are; a later import with the update ticked changes them, and
/// their history names the file.
#[test]
fn the_preview_lists_each_change_and_an_unticked_member_is_left_as_they_are() {
    let (dir, _db, app) =
        register_with(&[("Åsa", "Östlund", "1001", "Storgatan 12", "981 31", "Kiruna")]);
    // Åsa's number with another last name and a note that is markup and a
    // formula (shown as text), and a new member.
    let hostile = "<script>alert(1)</script>=HYPERLINK(\"http://x\")";
    let csv = dir.path().join("medlemmar.csv");
    write_csv_with_bom(
        &csv,
        &format!(
            "Medlemsnr;Förnamn;Efternamn;Postort;Anteckningar\r\n\
             1001;Åsa;Lind;Kiruna;\"{}\"\r\n\
             1002;Ny;Medlem;Luleå;\r\n",
            hostile.replace('"', "\"\"")
        ),
    );
    let en = |key: &str| i18n("en", key);
    let commit_label = |count: u64, new: u64, updated: u64| {
        let key = if count == 1 {
            "import.commitSplit.one"
        } else {
            "import.commitSplit.other"
        };
        en(key)
            .replace("{count}", &count.to_string())
            .replace("{new}", &new.to_string())
            .replace("{updated}", &updated.to_string())
    };
    let checked = |app: &medlem_e2e::App, testid: &str| -> bool {
        app.execute(
            "const e = document.querySelector(`[data-testid=\"${arguments[0]}\"]`); return !!(e && e.checked);",
            vec![Value::from(testid)],
        )
        .as_bool()
            == Some(true)
    };

    // -- the preview: Åsa's change, ticked; untick her; import --------------
    app.click("member-import");
    app.wait_visible("import-panel");
    app.type_into("import-path", &csv.display().to_string());
    app.click("import-read");
    app.wait_visible("import-changes");
    assert_eq!(number_in(&app, "import-new"), 1);
    assert_eq!(number_in(&app, "import-updated"), 1);
    assert_eq!(app.count("import-change"), 1, "only Åsa changes");
    let change = app.text("import-change");
    assert!(
        change.contains("Åsa Östlund") && change.contains("1001"),
        "the member as she is now: {change:?}"
    );
    let fields = app.all_texts("import-change-field");
    assert_eq!(
        fields,
        [
            format!("{}: Östlund → Lind", en("field.lastName")),
            format!("{}: {} → {hostile}", en("field.notes"), en("history.empty")),
        ],
        "only what changes, old → new, the note as plain text"
    );
    assert_eq!(
        app.execute(
            "return document.querySelectorAll('[data-testid=\"import-changes\"] script').length;",
            vec![]
        ),
        Value::from(0),
        "no markup from the file"
    );
    assert!(checked(&app, "import-include-2"), "ticked: update Åsa");
    app.wait_text_contains("import-commit", &commit_label(2, 1, 1));
    app.screenshot("import-changes");

    app.click("import-include-2");
    app.wait_text_contains("import-commit", &commit_label(1, 1, 0));
    assert!(!checked(&app, "import-include-2"));
    app.click("import-commit");
    app.wait_error("import-done");
    app.wait_text_contains("import-done-skipped", "1");
    // Show the imported members: the one new member, picked, alone in the list.
    app.click("import-show");
    app.wait_gone("import-panel");
    wait_rows(&app, &["Medlem"]);
    wait_member_count(&app, 1);
    app.wait_text_contains("bulk-count", "1");
    app.wait_visible("member-only-picked");
    app.screenshot("import-show-imported");
    // Everyone again, the pick kept until it is cleared.
    app.click("member-only-picked");
    wait_member_count(&app, 2);
    wait_rows(&app, &["Medlem", "Östlund"]);
    app.wait_text_contains("bulk-count", "1");
    app.click("bulk-clear");
    app.wait_gone("bulk-panel");

    // -- again, with her update: only new members first, then all ----------
    app.click("member-import");
    app.wait_visible("import-panel");
    app.type_into("import-path", &csv.display().to_string());
    app.click("import-read");
    app.wait_visible("import-changes");
    assert_eq!(number_in(&app, "import-new"), 0, "Ny Medlem is in already");
    assert_eq!(app.count("import-change"), 1);
    assert!(checked(&app, "import-include-2"), "a new preview: ticked");
    app.wait_text_contains("import-commit", &commit_label(1, 0, 1));
    app.click("import-only-new");
    app.wait_text_contains("import-reason", fixed_part(&en("import.blocked.leftOut")));
    assert!(app.attr("import-commit", "disabled").is_some());
    app.click("import-only-new");
    app.wait_text_contains("import-commit", &commit_label(1, 0, 1));
    app.click("import-commit");
    app.wait_error("import-done");
    app.click("import-close");
    app.wait_gone("import-panel");
    wait_rows(&app, &["Lind", "Medlem"]);

    app.click_containing("member-row", "Lind");
    app.wait_text_contains("detail-name", "Åsa Lind");
    let imported = en("history.imported").replace("{file}", "medlemmar.csv");
    app.wait_text_contains("history-entry", &imported);
    let entries = app.all_texts("history-entry");
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.contains(fixed_part(&en("history.imported"))))
            .count(),
        1,
        "one import changed her: {entries:?}"
    );
    assert!(
        entries.iter().any(|e| e.contains("Östlund → Lind")),
        "{entries:?}"
    );
    app.scroll_into_view("history-list");
    app.screenshot("import-history");
    app.close();
}
