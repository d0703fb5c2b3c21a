//! Grants through the window: a fund of 25 000 kr with a 10 000 kr cap and
//! three applications of 10 000 kr, each submitted; two approved, the third
//! refused for lack of money (the dialog says 5 000 kr is left and offers to
//! approve that), one paid, and the fund's overview adds up; a budget below
//! what is used is refused by the budget field. Refusals that change
//! nothing: a budget that is not an amount, blank budget lines, a request
//! above the cap and a rejection without a reason; a hostile title shown as
//! text. The decision letter printed to a typed path in the member's
//! language, and the dated steps.
//!
//! Expected window texts come from ui/i18n/en.json (the app runs with an
//! English system locale, so amounts read "25,000 kr"); the letter is read
//! back with `pdftotext` (the members write Swedish: "10 000 kr").

use medlem_e2e::fixtures::{i18n, pdf_text};
use medlem_e2e::App;
use serde_json::json;

use crate::{escape_and_discard, register_with, Person};

const ANNA: Person = ("Anna", "Alm", "1001", "Storgatan 1", "21122", "Malmö");
const BO: Person = ("Bo", "Berg", "1002", "Storgatan 2", "21122", "Malmö");
const CILLA: Person = ("Cilla", "Carlsson", "1003", "Storgatan 3", "21122", "Malmö");

const FUND: &str = "Initiativpotten";

/// Opens the Grants area and waits for the fund list.
fn open_grants(app: &App) {
    app.click("nav-grants");
    app.wait_visible("fund-list");
}

/// Opens the fund form and types a fund into it (does not save).
fn fill_fund(app: &App, name: &str, budget: &str, cap: &str) {
    app.click("fund-new");
    app.wait_visible("fund-form");
    app.type_into("field-name", name);
    app.type_into("field-period", "2030");
    app.type_into("field-budget", budget);
    app.type_into("field-cap", cap);
}

/// Makes a fund through the form (Enter saves) and waits for its overview.
fn create_fund(app: &App, name: &str, budget: &str, cap: &str) {
    fill_fund(app, name, budget, cap);
    app.press_enter("field-name");
    app.wait_gone("fund-form");
    app.wait_text_contains("fund-title", name);
    app.wait_visible("fund-overview");
}

/// Opens the application form, picks the member and types the title and
/// one budget line (does not save).
fn fill_application(app: &App, who: &Person, title: &str, item: &str, amount: &str) {
    app.click("application-new");
    app.wait_visible("application-form");
    app.type_into("applicant-search", who.1);
    app.click_containing("applicant-result", who.1);
    app.wait_text_contains("applicant-chosen", who.1);
    app.type_into("field-title", title);
    app.type_into("line-item", item);
    app.type_into("line-amount", amount);
}

/// Makes an application (Enter saves) and waits for its detail.
fn apply(app: &App, who: &Person, title: &str, amount: &str) {
    fill_application(app, who, title, "Föreläsare", amount);
    app.press_enter("field-title");
    app.wait_gone("application-form");
    app.wait_text_contains("application-title", title);
}

/// Takes a step with its dialog's defaults and waits for the new stage.
fn step(app: &App, name: &str, stage: &str) {
    app.click(&format!("step-{name}"));
    app.wait_visible("step-dialog");
    app.click("step-confirm");
    app.wait_gone("step-dialog");
    app.wait_text_contains(
        "application-stage",
        &i18n("en", &format!("grants.stage.{stage}")),
    );
}

/// Shows the application whose row holds `title`.
fn select_application(app: &App, title: &str) {
    app.click_containing("application-row", title);
    app.wait_text_contains("application-title", title);
}

/// Waits until the element says exactly `text` (whitespace collapsed).
fn wait_exactly(app: &App, testid: &str, text: &str) {
    app.poll(&format!("{testid} to say {text:?}"), |app| {
        let texts = app.all_texts(testid);
        if texts.first().map(String::as_str) == Some(text) {
            Ok(Some(()))
        } else {
            Err(format!("{testid} now: {texts:?}"))
        }
    })
}

fn fill(key: &str, name: &str, value: &str) -> String {
    i18n("en", key).replace(&format!("{{{name}}}"), value)
}

#[test]
fn a_fund_of_25_000_approves_two_of_three_applications_of_10_000_and_refuses_the_third() {
    let (_dir, _db, app) = register_with(&[ANNA, BO, CILLA]);
    open_grants(&app);
    app.wait_visible("fund-list-empty");

    create_fund(&app, FUND, "25 000", "10 000");
    wait_exactly(&app, "fund-budget", "25,000 kr");
    wait_exactly(&app, "fund-remaining", "25,000 kr");
    app.wait_text_contains("fund-cap", "10,000 kr");
    app.wait_text_contains("fund-row", FUND);
    app.wait_visible("application-list-empty");

    let titles = [
        "Föreläsning om arbetsmiljö",
        "Studiecirkel i avtal",
        "Nätverksträff i Kiruna",
    ];
    for (who, title) in [ANNA, BO, CILLA].iter().zip(titles) {
        apply(&app, who, title, "10 000");
        step(&app, "submit", "submitted");
    }
    app.wait_count("application-row", 3);
    wait_exactly(&app, "fund-requested", "30,000 kr");

    for title in &titles[..2] {
        select_application(&app, title);
        step(&app, "approve", "approved");
    }
    wait_exactly(&app, "fund-committed", "20,000 kr");
    wait_exactly(&app, "fund-remaining", "5,000 kr");

    // The third: more than the fund has left. The dialog says how much and
    // offers that instead; cancelling changes nothing.
    select_application(&app, titles[2]);
    app.click("step-approve");
    app.wait_visible("step-dialog");
    assert_eq!(
        app.text("step-amount"),
        "10000",
        "the requested amount is the default"
    );
    app.click("step-confirm");
    app.wait_text_contains(
        "step-error",
        &fill("grants.aboveRemaining", "remaining", "5,000 kr"),
    );
    app.wait_text_contains(
        "approve-remaining",
        &fill("grants.approveRemaining", "amount", "5,000 kr"),
    );
    app.screenshot("grants-above-remaining");
    app.click("step-cancel");
    app.wait_gone("step-dialog");
    app.wait_text_contains("application-stage", &i18n("en", "grants.stage.submitted"));

    // Pay the first.
    select_application(&app, titles[0]);
    app.click("step-pay");
    app.wait_visible("step-dialog");
    assert_eq!(
        app.text("step-amount"),
        "10000",
        "the approved amount is the default"
    );
    app.type_into("step-reference", "Ver 2030-17");
    app.click("step-confirm");
    app.wait_gone("step-dialog");
    app.wait_text_contains("application-stage", &i18n("en", "grants.stage.paid"));
    app.wait_text_contains("application-paid", "Ver 2030-17");

    wait_exactly(&app, "fund-budget", "25,000 kr");
    wait_exactly(&app, "fund-requested", "10,000 kr");
    wait_exactly(&app, "fund-committed", "10,000 kr");
    wait_exactly(&app, "fund-paid", "10,000 kr");
    wait_exactly(&app, "fund-remaining", "5,000 kr");
    app.wait_text_contains("fund-row", "5,000 kr");
    let stages: Vec<String> = app
        .execute(
            "return Array.from(document.querySelectorAll('[data-testid=\"application-row\"]')).map(r => r.dataset.stage).sort();",
            vec![],
        )
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    assert_eq!(stages, ["approved", "paid", "submitted"]);
    app.screenshot("grants-fund-overview");

    // The stage filter shows one stage.
    app.select("application-filter", "approved");
    app.wait_count("application-row", 1);
    app.wait_text_contains("application-row", titles[1]);
    app.select("application-filter", "");
    app.wait_count("application-row", 3);

    // A budget below what is approved and paid is refused by its field.
    app.click("fund-edit");
    app.wait_visible("fund-form");
    app.type_into("field-budget", "15 000");
    app.click("form-save");
    app.wait_text_contains("error-budget", &i18n("en", "error.budget_below_used"));
    escape_and_discard(&app, "field-budget");
    app.wait_gone("fund-form");
    wait_exactly(&app, "fund-budget", "25,000 kr");
    app.close();
}

#[test]
fn refusals_change_nothing_and_a_hostile_title_is_text() {
    let (_dir, _db, app) = register_with(&[ANNA]);
    open_grants(&app);
    app.wait_visible("fund-list-empty");

    // A budget that is not an amount.
    fill_fund(&app, FUND, "=HYPERLINK(\"x\")", "");
    app.click("form-save");
    assert_eq!(
        app.wait_error("error-budget"),
        i18n("en", "fieldError.invalid_amount")
    );
    app.screenshot("grants-fund-refused");
    escape_and_discard(&app, "field-budget");
    app.wait_gone("fund-form");
    app.wait_visible("fund-list-empty");

    create_fund(&app, FUND, "25 000", "10 000");

    // Blank budget lines.
    let hostile = "<script>alert(1)</script>";
    app.click("application-new");
    app.wait_visible("application-form");
    app.type_into("applicant-search", ANNA.1);
    app.click_containing("applicant-result", ANNA.1);
    app.type_into("field-title", hostile);
    app.click("line-add");
    app.wait_count("line-row", 2);
    app.click("form-save");
    let required = i18n("en", "fieldError.required");
    for field in [
        "lines.0.item",
        "lines.0.amount",
        "lines.1.item",
        "lines.1.amount",
    ] {
        assert_eq!(
            app.wait_error(&format!("error-{field}")),
            required,
            "{field}"
        );
    }
    app.wait_visible("application-form");
    app.wait_visible("application-list-empty");

    // More than the fund's cap: said by the amount.
    app.click("line-remove");
    app.wait_count("line-row", 1);
    app.type_into("line-item", "Lokal");
    app.type_into("line-amount", "12 000");
    app.wait_text_contains("lines-sum", "12,000 kr");
    app.click("form-save");
    app.wait_text_contains("error-amount", &i18n("en", "error.above_cap"));
    app.screenshot("grants-application-refused");
    app.wait_visible("application-list-empty");

    app.type_into("line-amount", "8 000,50");
    app.wait_text_contains("lines-sum", "8,000.50 kr");
    app.click("form-save");
    app.wait_gone("application-form");
    wait_exactly(&app, "application-title", hostile);
    app.wait_text_contains("application-row", hostile);
    app.wait_text_contains("application-requested", "8,000.50 kr");
    let scripts = app.execute(
        "return document.querySelectorAll('#app script, #app [onerror]').length;",
        vec![json!(null)],
    );
    assert_eq!(
        scripts.as_u64(),
        Some(0),
        "the title was not made into markup"
    );

    // A rejection needs its reason; without one the dialog stays and says so.
    step(&app, "submit", "submitted");
    app.click("step-reject");
    app.wait_visible("step-dialog");
    app.click("step-confirm");
    assert_eq!(app.wait_error("error-step-reason"), required);
    app.wait_visible("step-dialog");
    app.screenshot("grants-reject-without-reason");
    app.click("step-cancel");
    app.wait_gone("step-dialog");
    app.wait_text_contains("application-stage", &i18n("en", "grants.stage.submitted"));
    app.close();
}

#[test]
fn the_decision_letter_is_in_the_members_language_and_the_steps_are_dated() {
    let (dir, _db, app) = register_with(&[ANNA]);
    open_grants(&app);
    create_fund(&app, FUND, "25 000", "");
    let title = "Föreläsning om arbetsmiljö";
    apply(&app, &ANNA, title, "10 000");
    app.wait_visible("attachment-empty");
    step(&app, "submit", "submitted");
    app.click("step-approve");
    app.wait_visible("step-dialog");
    app.type_into("step-conditions", "Redovisa senast en månad efter träffen.");
    app.click("step-confirm");
    app.wait_gone("step-dialog");
    app.wait_text_contains("application-stage", &i18n("en", "grants.stage.approved"));
    app.wait_text_contains("application-approved", "10,000 kr");

    // The dated steps: registered, submitted, approved with its amount.
    let steps = app.wait_count("step-entry", 3);
    for (entry, key) in steps.iter().zip(["create", "submit", "approve"]) {
        let done = i18n("en", &format!("grants.stepDone.{key}"));
        assert!(entry.contains(&done), "{entry:?} should say {done:?}");
        assert!(
            entry.chars().any(|c| c.is_ascii_digit()),
            "{entry:?} should have its date"
        );
    }
    assert!(steps[2].contains("10,000 kr"), "{:?}", steps[2]);

    // The decision letter, to a typed path.
    let path = dir.path().join("beslut");
    app.click("grant-letter");
    app.wait_visible("grant-letter-dialog");
    app.type_into("grant-letter-path", &path.display().to_string());
    app.click("grant-letter-confirm");
    app.wait_visible("grant-letter-done");
    app.wait_visible("grant-letter-open-pdf");
    app.screenshot("grants-letter-done");
    let pdf = path.with_extension("pdf");
    let text = pdf_text(&pdf).replace('\u{a0}', " ");
    for needle in [
        "Anna",
        title,
        "10 000 kr",
        "Redovisa senast en månad efter träffen.",
    ] {
        assert!(
            text.contains(needle),
            "the letter lacks {needle:?}:\n{text}"
        );
    }
    app.click("grant-letter-cancel");
    app.wait_gone("grant-letter-dialog");
    app.close();
}

#[test]
fn our_own_applications_are_listed_by_deadline_and_a_near_one_is_marked() {
    let (_dir, _db, app) = register_with(&[ANNA]);
    open_grants(&app);
    app.click("grants-tab-outgoing");
    app.wait_visible("outgoing-list-empty");

    // A week from today (the window's own calendar), and one far away.
    let soon = app
        .execute(
            "const d = new Date(Date.now() + 7 * 864e5);
             return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;",
            vec![],
        )
        .as_str()
        .expect("a date")
        .to_owned();
    for (funder, title, amount, deadline) in [
        ("Kommunen", "Föreningsbidrag 2031", "40 000", "2031-12-01"),
        ("Stiftelsen Arbete", "Studieresa", "12 000", soon.as_str()),
    ] {
        app.click("outgoing-new");
        app.wait_visible("outgoing-form");
        app.type_into("field-funder", funder);
        app.type_into("field-title", title);
        app.type_into("field-amount", amount);
        app.type_into("field-deadline", deadline);
        app.press_enter("field-title");
        app.wait_text_contains("outgoing-row", title);
    }
    let rows = app.wait_count("outgoing-row", 2);
    assert!(
        rows[0].contains("Studieresa"),
        "the nearest deadline first: {rows:?}"
    );
    app.wait_text_contains("outgoing-soon", "7");
    assert_eq!(
        app.count("outgoing-soon"),
        1,
        "only the near deadline is marked"
    );

    // Money received: no longer marked.
    app.click_containing("outgoing-row", "Studieresa");
    app.wait_visible("outgoing-form");
    app.select("field-status", "received");
    app.type_into("field-received", "12 000");
    app.click("form-save");
    app.wait_text_contains("outgoing-row", &i18n("en", "outgoing.status.received"));
    app.wait_gone("outgoing-soon");
    app.screenshot("grants-outgoing");
    app.close();
}
