//! Letters through the window: editing a template with its live preview (a
//! merge field Medlem does not know is named and refused), printing letters
//! for the member list's selection, address labels and a signature sheet to
//! typed paths, the envelope window settings with the calibration page, and
//! a hostile name that the preview shows as text.
//!
//! The PDFs are read back with `pdftotext`. Expected window texts come from
//! ui/i18n/en.json: the app runs with an English system locale.

use medlem_e2e::fixtures::i18n;
use medlem_e2e::App;

use crate::{fixed_part, pdf_with, register_with, wait_no_error, wait_rows, Person, ORG};

const BACKSPACE: &str = "\u{E003}";
const ENTER: &str = "\u{E007}";

/// A catalog string with its `{count}` filled in (English: one / other).
fn counted(key: &str, n: u64) -> String {
    let form = if n == 1 { "one" } else { "other" };
    i18n("en", &format!("{key}.{form}")).replace("{count}", &n.to_string())
}

const ASA: Person = ("Åsa", "Östlund", "1001", "Storgatan 12", "98131", "Kiruna");
const PER: Person = ("Per", "Berg", "1002", "Malmvägen 3", "97234", "Luleå");

/// Opens the Letters area and waits for its preview.
fn open_letters(app: &App) {
    app.click("nav-letters");
    app.wait_visible("letters-area");
    app.wait_visible("template-list");
}

/// Waits until the preview sheet has a text item containing each needle;
/// returns the sheet's texts.
fn wait_preview(app: &App, needles: &[&str]) -> Vec<String> {
    app.poll(&format!("the preview to show {needles:?}"), |app| {
        let texts = app.svg_texts("letter-sheet");
        if needles.iter().all(|n| texts.iter().any(|t| t.contains(n))) {
            Ok(Some(texts))
        } else {
            Err(format!("preview texts now: {texts:?}"))
        }
    })
}

#[test]
fn edit_a_template_see_the_preview_and_refuse_an_unknown_field() {
    let (_dir, _db, app) = register_with(&[ASA]);
    open_letters(&app);

    // Medlem's Swedish welcome letter, for the first member of the list.
    app.click("template-welcome-sv");
    app.wait_text_contains("template-subject", "Välkommen som medlem i");
    app.wait_text_contains("preview-member", "Åsa Östlund");
    let texts = wait_preview(&app, &["Åsa Östlund", "Hej Åsa!", "Storgatan 12", ORG]);
    assert!(
        texts.iter().any(|t| t.contains("981 31 Kiruna")),
        "the address block has postcode and town: {texts:?}"
    );
    assert_eq!(
        app.attr("template-welcome-sv", "aria-pressed").as_deref(),
        Some("true")
    );
    app.wait_text_contains("template-status", &i18n("en", "letters.isDefault"));
    assert!(
        !app.is_visible("template-reset"),
        "Medlem's own text has nothing to reset"
    );
    app.wait_visible("preview-window");
    app.screenshot("letters-preview");

    // The page at a size to read.
    app.click("preview-zoom");
    app.wait_visible("preview-dialog");
    app.poll("the larger page", |app| {
        let texts = app.svg_texts("preview-large-sheet");
        if texts.iter().any(|t| t.contains("Hej Åsa!")) {
            Ok(Some(()))
        } else {
            Err(format!("{texts:?}"))
        }
    });
    app.screenshot("letters-preview-larger");
    app.click("preview-dialog-close");
    app.wait_gone("preview-dialog");

    // A merge field Medlem does not know: named next to the editor, and the
    // preview gives way to the error.
    app.send_keys(
        "template-body",
        &format!("{ENTER}{ENTER}Kom ihåg: {{{{ member.shoe_size }}}}"),
    );
    let error = app.wait_text_contains("template-error", "member.shoe_size");
    assert!(
        error.contains(fixed_part(&i18n("en", "error.unknown_field"))),
        "template-error {error:?}"
    );
    app.wait_text_contains("preview-error", "member.shoe_size");
    app.wait_gone("letter-sheet");
    assert_eq!(
        app.attr("template-body", "aria-invalid").as_deref(),
        Some("true")
    );
    app.wait_text_contains("template-status", &i18n("en", "letters.unsaved"));
    app.screenshot("letters-unknown-field");

    // Saving is refused with the same message; nothing is stored.
    app.click("template-save");
    app.wait_until("the save to answer", |app| {
        app.attr("template-save", "disabled")
            .is_none()
            .then_some(())
    });
    app.wait_text_contains("template-error", "member.shoe_size");
    app.wait_text_contains("template-status", &i18n("en", "letters.unsaved"));
    assert!(!app.is_visible("template-reset"), "nothing was saved");

    // Fix it with a merge field from the list: the preview comes back.
    let bad = "{{ member.shoe_size }}";
    app.send_keys("template-body", &BACKSPACE.repeat(bad.chars().count()));
    app.click_containing("merge-field", &i18n("en", "letters.field.member.number"));
    wait_preview(&app, &["Kom ihåg: 1001", "Hej Åsa!"]);
    app.wait_gone("preview-error");
    wait_no_error(&app, "template-error");

    // A mark left open is a syntax error, shown with its line.
    let open_mark = format!("{ENTER}{{{{ oops");
    app.send_keys("template-body", &open_mark);
    let error = app.wait_text_contains(
        "template-error",
        fixed_part(&i18n("en", "error.template_syntax")),
    );
    assert!(
        error.contains(fixed_part(&i18n("en", "letters.syntaxLinePart"))),
        "the error names the line: {error:?}"
    );
    app.wait_visible("preview-error");
    app.send_keys(
        "template-body",
        // Enter made one character (a line break), like each of the rest.
        &BACKSPACE.repeat(open_mark.chars().count()),
    );
    wait_no_error(&app, "template-error");
    wait_preview(&app, &["Kom ihåg: 1001"]);

    // Save with Ctrl+S: the text is the user's version now.
    app.press_ctrl("template-body", 's');
    app.wait_text_contains("toast", &i18n("en", "letters.saved"));
    app.wait_text_contains("template-status", &i18n("en", "letters.isEdited"));
    app.wait_visible("template-reset");
    app.wait_text_contains("template-welcome-sv", &i18n("en", "letters.edited"));

    // After a restart the stored text has the fix and not the unknown field.
    let app = app.restart();
    app.wait_visible("member-list");
    open_letters(&app);
    app.click("template-welcome-sv");
    let body = app.wait_text_contains("template-body", "{{ member.number }}");
    assert!(
        body.contains("Kom ihåg: {{ member.number }}"),
        "the saved body {body:?}"
    );
    assert!(
        !body.contains("shoe_size"),
        "the refused field was not stored: {body:?}"
    );
    wait_preview(&app, &["Kom ihåg: 1001"]);

    // Back to Medlem's text.
    app.click("template-reset");
    app.wait_visible("reset-dialog");
    app.click("reset-dialog-confirm");
    app.wait_text_contains("template-status", &i18n("en", "letters.isDefault"));
    app.wait_gone("template-reset");
    let body = app.text("template-body");
    assert!(
        !body.contains("Kom ihåg"),
        "the shipped text is back: {body:?}"
    );
    app.poll("the preview without the added line", |app| {
        let texts = app.svg_texts("letter-sheet");
        if texts.iter().any(|t| t.contains("Hej Åsa!"))
            && !texts.iter().any(|t| t.contains("Kom ihåg"))
        {
            Ok(Some(()))
        } else {
            Err(format!("{texts:?}"))
        }
    });
    app.close();
}

#[test]
fn print_letters_for_the_selection_and_find_them_in_the_history() {
    let (dir, _db, app) = register_with(&[ASA, PER]);

    // The selection: a search in the member list.
    app.type_into("member-search", "östlund");
    wait_rows(&app, &["Östlund"]);

    open_letters(&app);
    // The preview is for the first of the selection; another can be picked.
    app.wait_text_contains("preview-member", "Åsa Östlund");
    app.type_into("preview-search", "berg");
    app.click_containing("preview-result", "Berg");
    app.wait_text_contains("preview-member", "Per Berg");
    wait_preview(&app, &["Per Berg", "Malmvägen 3"]);

    app.click("print-letters");
    app.wait_visible("letters-dialog");
    app.select("letters-template", "welcome");
    let one = format!("({})", counted("print.people", 1));
    app.wait_until("the selection's count in letters-scope", |app| {
        Some(()).filter(|_| app.selected_text("letters-scope").contains(&one))
    });
    let out = dir.path().join("brev till nya medlemmar.pdf");
    app.type_into("letters-path", &out.display().to_string());
    app.click("letters-confirm");
    let done = app.wait_text_contains("letters-done", &counted("print.letters", 1));
    assert!(
        done.contains(&counted("print.pages", 1)),
        "letters-done {done:?}"
    );
    app.wait_visible("letters-open-pdf");
    app.screenshot("letters-print-dialog");

    let text = pdf_with(
        &out,
        &["Åsa Östlund", "Storgatan 12", "981 31 Kiruna", "Hej Åsa!"],
    );
    assert!(
        !text.contains("Per Berg"),
        "only the selection gets a letter:\n{text}"
    );

    app.click("letters-cancel");
    app.wait_gone("letters-dialog");

    // The letter is in Åsa's history, with its subject and template.
    app.click("nav-members");
    wait_rows(&app, &["Östlund"]);
    app.click_containing("member-row", "Östlund");
    app.wait_text_contains("detail-name", "Östlund");
    let subject = format!("Välkommen som medlem i {ORG}");
    let entry = app.wait_text_contains("history-entry", &subject);
    assert!(
        entry.contains(fixed_part(&i18n("en", "history.letter")))
            && entry.contains(&i18n("en", "letters.template.welcome")),
        "history entry {entry:?}"
    );
    app.scroll_into_view("history-list");
    app.screenshot("letters-history");

    // Per got none.
    app.type_into("member-search", "berg");
    wait_rows(&app, &["Berg"]);
    app.click_containing("member-row", "Berg");
    app.wait_text_contains("detail-name", "Berg");
    app.wait_visible("history-entry");
    let entries = app.all_texts("history-entry");
    assert!(
        !entries.iter().any(|e| e.contains(&subject)),
        "Per's history has no letter: {entries:?}"
    );
    app.close();
}

#[test]
fn print_labels_and_a_signature_sheet() {
    let (dir, _db, app) = register_with(&[ASA, PER]);
    open_letters(&app);

    // Labels: 3 x 7, moved a little, for everyone.
    app.click("print-labels");
    app.wait_visible("labels-dialog");
    app.select("labels-sheet", "3x7");
    app.click("labels-households");
    app.type_into("labels-offset-x", "1.5");
    app.type_into("labels-offset-y", "-1");
    app.select("labels-scope", "all");
    let labels = dir.path().join("etiketter.pdf");
    app.type_into("labels-path", &labels.display().to_string());
    app.screenshot("letters-labels-dialog");
    app.click("labels-confirm");
    app.wait_text_contains("labels-done", &counted("print.labels", 2));
    app.wait_visible("labels-open-pdf");
    pdf_with(
        &labels,
        &["Åsa Östlund", "Per Berg", "Storgatan 12", "972 34 Luleå"],
    );
    app.click("labels-cancel");
    app.wait_gone("labels-dialog");

    // A signature sheet, without a file name ending: .pdf is added.
    app.click("print-lists");
    app.wait_visible("lists-dialog");
    app.select("lists-kind", "signatures");
    app.select("lists-scope", "all");
    let sheet = dir.path().join("närvaro");
    app.type_into("lists-path", &sheet.display().to_string());
    app.click("lists-confirm");
    app.wait_text_contains("lists-done", &counted("print.rows", 2));
    pdf_with(
        &dir.path().join("närvaro.pdf"),
        &["Östlund", "Åsa", "Berg", "Per"],
    );
    app.click("lists-cancel");
    app.wait_gone("lists-dialog");

    // A relative path is refused before anything is written.
    app.click("print-lists");
    app.wait_visible("lists-dialog");
    app.type_into("lists-path", "lista.pdf");
    app.click("lists-confirm");
    app.wait_text_contains("lists-error", fixed_part(&i18n("en", "print.pathAbsolute")));
    assert!(!app.is_visible("lists-done"));
    app.close();
}

#[test]
fn a_saved_selection_prints_the_same_members_again() {
    let (dir, _db, app) = register_with(&[ASA, PER]);
    app.type_into("member-search", "östlund");
    wait_rows(&app, &["Östlund"]);
    open_letters(&app);

    // Save the list's search as "Östlunds"; a name is needed.
    app.click("print-lists");
    app.wait_visible("lists-dialog");
    app.click("lists-save-selection");
    app.wait_text_contains("lists-error", &i18n("en", "print.saveSelectionName"));
    app.type_into("lists-save-name", "Östlunds");
    app.click("lists-save-selection");
    let saved = i18n("en", "print.scope.saved").replace("{name}", "Östlunds");
    app.wait_until("the saved selection is chosen", |app| {
        Some(()).filter(|_| app.selected_text("lists-scope") == saved)
    });
    app.screenshot("letters-saved-selection");
    app.click("lists-cancel");
    app.wait_gone("lists-dialog");

    // Later, with another search in the list, the saved one still holds.
    app.click("nav-members");
    app.type_into("member-search", "berg");
    wait_rows(&app, &["Berg"]);
    let app = app.restart();
    app.wait_visible("member-list");
    open_letters(&app);
    app.click("print-lists");
    app.wait_visible("lists-dialog");
    app.select("lists-kind", "signatures");
    // (The saved selections arrive a moment after the dialog opens; the
    // harness retries until the option is there.)
    app.select("lists-scope", "saved:Östlunds");
    let out = dir.path().join("östlunds.pdf");
    app.type_into("lists-path", &out.display().to_string());
    app.click("lists-confirm");
    app.wait_text_contains("lists-done", &counted("print.rows", 1));
    let text = pdf_with(&out, &["Östlund", "Åsa"]);
    assert!(!text.contains("Berg"), "only the saved selection:\n{text}");
    app.close();
}

#[test]
fn envelope_window_settings_survive_a_restart_and_print_a_calibration_page() {
    let (dir, _db, app) = register_with(&[ASA]);
    app.click("nav-settings");
    app.wait_visible("letter-window");
    // A Swedish organisation starts with the Swedish window on the right.
    assert_eq!(app.text("letter-window"), "se_right");

    app.select("letter-window", "din5008_a_left");
    app.type_into("letter-offset-x", "2.5");
    app.type_into("letter-offset-y", "-1.5");
    app.type_into("letter-contact", "kassor@verkstaden.example");
    app.click("letter-settings-save");
    app.wait_text_contains("toast", &i18n("en", "toast.saved"));
    app.scroll_into_view("letter-settings");
    app.screenshot("settings-letters");

    // An offset out of range is refused next to its field.
    app.type_into("letter-offset-y", "45");
    app.click("letter-settings-save");
    app.wait_error("error-letter-offsetY");
    app.type_into("letter-offset-y", "-1.5");

    let app = app.restart();
    app.wait_visible("member-list");
    app.click("nav-settings");
    app.wait_visible("letter-window");
    assert_eq!(app.text("letter-window"), "din5008_a_left");
    assert_eq!(app.text("letter-offset-x"), "2.5");
    assert_eq!(app.text("letter-offset-y"), "-1.5");
    assert_eq!(app.text("letter-contact"), "kassor@verkstaden.example");

    // The calibration page.
    let page = dir.path().join("kalibrering.pdf");
    app.type_into("calibration-path", &page.display().to_string());
    app.click("calibration-print");
    app.wait_text_contains("calibration-done", &counted("print.pages", 1));
    app.wait_visible("calibration-open-pdf");
    // It outlines the saved window: the preset and its size.
    pdf_with(&page, &["din5008_a_left", "85 × 45 mm"]);

    // The preview outlines the window where the settings put it (the sheet
    // is drawn in 1/100 mm): DIN 5008 A is 20 mm from the left and 27 mm from
    // the top, moved 2.5 mm right and 1.5 mm up.
    open_letters(&app);
    app.wait_visible("preview-window");
    assert_eq!(app.attr("preview-window", "x").as_deref(), Some("2250"));
    assert_eq!(app.attr("preview-window", "y").as_deref(), Some("2550"));
    wait_preview(&app, &["Åsa Östlund"]);
    app.close();
}

#[test]
fn a_hostile_name_is_text_in_the_preview() {
    const HOSTILE: &str = "<img src=x onerror=alert(1)>";
    let (_dir, _db, app) =
        register_with(&[(HOSTILE, "Testsson", "666", "Gränd 1", "11122", "Stockholm")]);
    open_letters(&app);
    app.click("template-welcome-sv");
    wait_preview(
        &app,
        &[&format!("{HOSTILE} Testsson"), &format!("Hej {HOSTILE}!")],
    );
    app.wait_text_contains("preview-member", HOSTILE);
    let elements = app.execute(
        "return document.querySelectorAll('img, [onerror]').length;",
        vec![],
    );
    assert_eq!(
        elements.as_u64(),
        Some(0),
        "the name became an element instead of text"
    );
    app.close();
}

#[test]
fn a_name_the_font_cannot_print_is_refused_naming_the_member() {
    let (dir, _db, app) = register_with(&[
        ASA,
        ("Mei", "Lin 林", "1003", "Hamngatan 5", "11147", "Stockholm"),
    ]);
    open_letters(&app);
    app.click("print-letters");
    app.wait_visible("letters-dialog");
    app.select("letters-scope", "all");
    let out = dir.path().join("brev.pdf");
    app.type_into("letters-path", &out.display().to_string());
    app.click("letters-confirm");
    let error = app.wait_text_contains(
        "letters-error",
        fixed_part(&i18n("en", "error.unprintable")),
    );
    for needle in ["Mei Lin 林", "1003", "U+6797"] {
        assert!(
            error.contains(needle),
            "the error names {needle:?}: {error:?}"
        );
    }
    assert!(!app.is_visible("letters-done"));
    assert!(
        !out.exists(),
        "nothing is written when one letter cannot be"
    );
    app.screenshot("letters-unprintable");
    app.close();
}

#[test]
fn a_typed_path_to_an_existing_file_asks_before_replacing_it() {
    let (dir, _db, app) = register_with(&[ASA]);
    open_letters(&app);
    app.click("print-letters");
    app.wait_visible("letters-dialog");
    app.select("letters-scope", "all");
    let out = dir.path().join("brev.pdf");
    std::fs::write(&out, "the minutes of the last meeting").unwrap();
    app.type_into("letters-path", &out.display().to_string());

    // Cancel keeps the file as it was and prints nothing.
    app.click("letters-confirm");
    let question = app.wait_text_contains("replace-dialog", "brev.pdf");
    assert!(
        question.contains(fixed_part(&i18n("en", "replace.title"))),
        "{question:?}"
    );
    app.screenshot("letters-replace-question");
    app.click("replace-dialog-cancel");
    app.wait_gone("replace-dialog");
    assert!(!app.is_visible("letters-done"));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the minutes of the last meeting",
        "nothing written over the file"
    );

    // Replace writes the letters.
    app.click("letters-confirm");
    app.wait_visible("replace-dialog");
    app.click("replace-dialog-confirm");
    app.wait_text_contains("letters-done", &counted("print.letters", 1));
    pdf_with(&out, &["Åsa Östlund", "Hej Åsa!"]);
    app.close();
}
