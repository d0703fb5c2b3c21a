//! End-to-end tests: the real app window, driven as a treasurer would use it.
//!
//! Each test makes its own temporary database and starts the app on it
//! (`medlem --db PATH`) through the harness in `src/lib.rs`. Elements are found
//! only by the `data-testid` values of docs/ui.md. Run them with
//! `cargo xtask test`, or after `cargo build -p medlem -p medlem-cli` with
//! `cargo test -p medlem-e2e -- --test-threads=1`.
//! Screenshots land in `target/e2e-screenshots/`, driver and app logs in
//! `target/e2e-logs/`.

mod backup;
mod dues;
mod errors;
mod grants;
mod import;
mod layout;
mod letters;
mod meetings;
mod members;
mod server;
mod settings;
mod welcome;

use std::fs;
use std::path::{Path, PathBuf};

use medlem_e2e::fixtures::{cli, pdf_text, temp_db};
use medlem_e2e::{first_number, App, TempDir};

pub const ORG: &str = "Fackklubben Verkstaden";

/// A fresh database with the organisation created through the welcome form.
/// Keep the `TempDir`: the database lives in it.
pub fn app_with_org() -> (TempDir, PathBuf, App) {
    let (dir, db) = temp_db();
    let app = App::launch(&db);
    create_org(&app, ORG, "SE");
    (dir, db, app)
}

/// A member for the CLI: (first, last, number, address, postcode, city).
pub type Person<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str, &'a str);

/// A register made with the CLI (organisation in Sweden, these members, each
/// writing in Swedish), and the app started on it in the Members area.
pub fn register_with(people: &[Person]) -> (TempDir, PathBuf, App) {
    let (dir, db) = temp_db();
    cli(
        &db,
        &[
            "org",
            "init",
            "--name",
            ORG,
            "--country",
            "SE",
            "--address",
            "Box 17, 981 21 Kiruna",
            "--org-number",
            "802000-1234",
        ],
    );
    for (first, last, number, address, postcode, city) in people {
        cli(
            &db,
            &[
                "members",
                "add",
                "--first",
                first,
                "--last",
                last,
                "--number",
                number,
                "--address",
                address,
                "--postcode",
                postcode,
                "--city",
                city,
                "--language",
                "sv",
            ],
        );
    }
    let app = App::launch(&db);
    app.wait_visible("member-list");
    wait_member_count(&app, people.len() as u64);
    (dir, db, app)
}

/// Asserts that the PDF at `path` was written and that its text holds every
/// needle; returns the text.
pub fn pdf_with(path: &Path, needles: &[&str]) -> String {
    let bytes = fs::read(path)
        .unwrap_or_else(|e| panic!("the PDF {} was not written: {e}", path.display()));
    assert!(
        bytes.starts_with(b"%PDF-"),
        "{} is not a PDF",
        path.display()
    );
    let text = pdf_text(path);
    for needle in needles {
        assert!(
            text.contains(needle),
            "{} lacks {needle:?}:\n{text}",
            path.display()
        );
    }
    text
}

/// Fills the welcome form and waits for the Members area.
pub fn create_org(app: &App, name: &str, country: &str) {
    app.wait_visible("welcome");
    app.type_into("org-name", name);
    app.select("org-country", country);
    app.click("org-create");
    app.wait_text_contains("org-title", name);
    app.wait_visible("member-list");
}

/// What the member form gets; empty strings are left alone.
#[derive(Default)]
pub struct NewMember<'a> {
    pub number: &'a str,
    pub first: &'a str,
    pub last: &'a str,
    pub email: &'a str,
    pub city: &'a str,
    pub birth_date: &'a str,
}

/// Opens a new member form and types `m` into it (does not save).
pub fn fill_new_member(app: &App, m: &NewMember) {
    app.click("member-new");
    app.wait_visible("member-form");
    for (field, value) in [
        ("field-number", m.number),
        ("field-firstName", m.first),
        ("field-lastName", m.last),
        ("field-email", m.email),
        ("field-city", m.city),
        ("field-birthDate", m.birth_date),
    ] {
        if !value.is_empty() {
            app.type_into(field, value);
        }
    }
}

/// Adds a member through the form and waits until the detail shows them.
pub fn add_member(app: &App, m: &NewMember) {
    fill_new_member(app, m);
    app.click("form-save");
    app.wait_gone("member-form");
    app.wait_text_contains("detail-name", m.last);
}

/// The number in `member-count` ("12 members"), once the list has loaded.
pub fn member_count(app: &App) -> u64 {
    app.poll("a number in member-count", |app| {
        let texts = app.all_texts("member-count");
        match texts.first().and_then(|t| first_number(t)) {
            Some(n) => Ok(Some(n)),
            None => Err(format!("member-count now: {texts:?}")),
        }
    })
}

/// Waits until `member-count` says `n`.
pub fn wait_member_count(app: &App, n: u64) {
    app.poll(&format!("member-count to say {n}"), |app| {
        let texts = app.all_texts("member-count");
        if texts.first().and_then(|t| first_number(t)) == Some(n) {
            Ok(Some(()))
        } else {
            Err(format!("member-count now: {texts:?}"))
        }
    })
}

/// Waits until the visible member rows are exactly one per `needles`, in that
/// order, each containing its needle.
pub fn wait_rows(app: &App, needles: &[&str]) -> Vec<String> {
    app.poll(&format!("member rows {needles:?}"), |app| {
        let rows = app.all_texts("member-row");
        let matches = rows.len() == needles.len()
            && rows
                .iter()
                .zip(needles)
                .all(|(row, needle)| row.contains(needle));
        if matches {
            Ok(Some(rows))
        } else {
            Err(format!("rows now: {rows:?}"))
        }
    })
}

/// Waits until no element with this test id shows an error text (absent,
/// hidden or empty all count).
pub fn wait_no_error(app: &App, testid: &str) {
    app.poll(&format!("{testid} to show no error"), |app| {
        let texts = app.all_texts(testid);
        if texts.iter().all(|t| t.is_empty()) {
            Ok(Some(()))
        } else {
            Err(format!("still showing {texts:?}"))
        }
    })
}

/// The fixed start of a catalog string (up to its first `{placeholder}`).
pub fn fixed_part(s: &str) -> &str {
    s.split('{').next().unwrap_or(s).trim()
}

/// Esc in a form where something was typed: the form asks, and the edits
/// are thrown away.
pub fn escape_and_discard(app: &App, testid: &str) {
    app.press_escape(testid);
    app.wait_visible("discard-dialog");
    app.click("discard-dialog-confirm");
    app.wait_gone("discard-dialog");
}
