//! Dues through the window: the bank details in Settings → Payments (a wrong
//! check digit refused beside its field, a right one shown written the usual
//! way), a fee rule, a fee run previewed and written, a camt.054 read as a
//! dry run and booked (three payments matched by their references, one
//! waiting for the treasurer, who books it on the suggested invoice), the
//! invoices printed as letters, the invoices' statuses after, the same file
//! read again and a cut file refused with nothing booked.
//!
//! Expected window texts come from ui/i18n/en.json (the app runs with an
//! English system locale, so amounts read "1,200 kr").

use medlem_e2e::fixtures::{cli, i18n, pdf_text};
use medlem_e2e::{workspace, App};

use crate::{register_with, Person};

const ANNA: Person = ("Anna", "Ek", "1001", "Storgatan 1", "21122", "Malmö");
const BO: Person = ("Bo", "Berg", "1002", "Storgatan 2", "21122", "Malmö");
const CILLA: Person = ("Cilla", "Carlsson", "1003", "Storgatan 3", "21122", "Malmö");

fn bank_file(name: &str) -> String {
    workspace()
        .join("core/tests/bank")
        .join(name)
        .display()
        .to_string()
}

fn next_year() -> String {
    let today = medlem_core::dates::today().format("%Y").to_string();
    (today.parse::<i32>().expect("a year") + 1).to_string()
}

/// Types the bank details and saves them.
fn save_bank_details(app: &App, bankgiro: &str) {
    app.type_into("payments-bankgiro", bankgiro);
    app.type_into("payments-iban", "SE55 5000 0000 0532 7100 4417");
    app.click("payments-save");
}

/// Reads the bank file at `path` (a dry run) and waits for what it says.
fn read_file(app: &App, path: &str) {
    app.type_into("bank-path", path);
    app.click("bank-read");
}

#[test]
fn fees_a_run_and_a_bank_file_booked_through_the_window() {
    let (dir, _db, app) = register_with(&[ANNA, BO, CILLA]);

    // Settings → Payments: checked when saved, written the usual way.
    app.click("nav-settings");
    app.wait_visible("payments-settings");
    save_bank_details(&app, "5050-1056");
    let error = app.wait_error("error-payments-bankgiro");
    assert_eq!(error, i18n("en", "fieldError.check_digit"));
    save_bank_details(&app, "50501055");
    app.wait_visible("toast");
    app.wait_until("the Bankgiro number written the usual way", |a| {
        let v = a.execute(
            "return document.querySelector('[data-testid=\"payments-bankgiro\"]').value",
            vec![],
        );
        (v == "5050-1055").then_some(())
    });

    // A fee rule.
    app.click("nav-dues");
    app.wait_visible("dues-area");
    app.click("dues-tab-fees");
    app.wait_visible("fee-form");
    app.type_into("fee-amount", "1200");
    app.click("fee-save");
    app.wait_count("fee-row", 1);

    // The run: previewed, then written.
    app.click("dues-tab-invoices");
    app.wait_visible("dues-run-form");
    app.type_into("dues-period", &next_year());
    app.press_enter("dues-period");
    let summary = app.wait_text_contains("dues-plan-summary", "3,600");
    assert!(summary.starts_with("3 invoices"), "{summary}");
    assert_eq!(
        app.count("invoice-row"),
        0,
        "nothing written by the preview"
    );
    app.screenshot("dues-preview");
    app.click("dues-write");
    let statuses = app.wait_count("invoice-status", 3);
    assert!(
        statuses
            .iter()
            .all(|s| s == &i18n("en", "invoiceStatus.open")),
        "{statuses:?}"
    );

    // The invoices as letters, to a typed path: each in Swedish (the
    // members write Swedish), with its reference and the Bankgiro number.
    let path = dir.path().join("fakturor");
    app.click("invoices-print");
    app.wait_visible("invoices-print-dialog");
    app.type_into("invoices-print-path", &path.display().to_string());
    app.click("invoices-print-confirm");
    app.wait_visible("invoices-print-done");
    let text = pdf_text(&path.with_extension("pdf")).replace('\u{a0}', " ");
    for needle in [
        "Medlemsavgift",
        "1000017",
        "1000033",
        "Bankgiro 5050-1055",
        "1 200 kr",
    ] {
        assert!(
            text.contains(needle),
            "{needle:?} not in the invoices:\n{text}"
        );
    }
    app.press_escape("invoices-print-path");
    app.wait_gone("invoices-print-dialog");

    // A camt.054: the dry run books nothing; Book does.
    app.click("dues-tab-payments");
    app.wait_visible("bank-form");
    read_file(&app, &bank_file("camt054_se.xml"));
    let summary = app.wait_text_contains("bank-summary", "3 matched");
    assert!(summary.contains("1 waiting for you"), "{summary}");
    app.wait_visible("review-empty");
    app.screenshot("dues-bank-file");
    app.click("bank-book");
    app.wait_count("review-row", 1);
    assert_eq!(
        app.text("review-reason"),
        i18n("en", "dues.reason.uncertain")
    );
    // Every payment is kept: three booked, one waiting.
    let states = app.wait_count("payment-row-state", 4);
    let waiting = i18n("en", "dues.paymentState.review");
    assert_eq!(
        states.iter().filter(|s| **s == waiting).count(),
        1,
        "{states:?}"
    );
    app.click("review-accept");
    app.wait_visible("review-empty");
    let booked = i18n("en", "dues.paymentState.booked");
    app.wait_until("all four payments booked", |a| {
        let states = a.all_texts("payment-row-state");
        (states.len() == 4 && states.iter().all(|s| *s == booked)).then_some(())
    });

    // The same file again: recognised, nothing booked twice.
    read_file(&app, &bank_file("camt054_se.xml"));
    app.wait_text_contains("bank-report", &i18n("en", "dues.fileAlreadyRead"));
    assert!(!app.exists("bank-book"));
    // A cut file: refused, nothing booked.
    read_file(&app, &bank_file("camt054_truncated.xml"));
    let refused = app.wait_error("bank-error");
    assert_eq!(refused, i18n("en", "error.bank_file_truncated"));
    assert_eq!(app.count("payment-row"), 4);

    // Anna's invoice paid (600 by reference + 600 booked by the treasurer),
    // Bo's and Cilla's partly.
    app.click("dues-tab-invoices");
    let statuses = app.wait_count("invoice-status", 3);
    assert_eq!(
        statuses,
        [
            i18n("en", "invoiceStatus.paid"),
            i18n("en", "invoiceStatus.partly_paid"),
            i18n("en", "invoiceStatus.partly_paid")
        ]
    );
    app.screenshot("dues-invoices");

    // Bo's own page says what he owes: 1,200 kr less the 450 kr he paid.
    app.click("nav-members");
    app.click_containing("member-row", "Berg");
    app.wait_text_contains("detail-dues-account", "750");
    let invoices = app.wait_count("detail-invoice", 1);
    assert!(
        invoices[0].contains(&i18n("en", "invoiceStatus.partly_paid")),
        "{invoices:?}"
    );
}

/// A year's invoices due 40 days ago, made with the CLI.
fn billed_forty_days_ago(db: &std::path::Path) {
    let year = (next_year().parse::<i32>().expect("a year") - 1).to_string();
    cli(
        db,
        &[
            "fees",
            "set",
            "--type",
            "ordinary",
            "--period",
            "year",
            "--amount",
            "1200",
            "--from",
            &format!("{year}-01-01"),
        ],
    );
    let due = (medlem_core::dates::today() - chrono::Days::new(40)).to_string();
    cli(db, &["dues", "run", "--period", &year, "--due", &due]);
}

#[test]
fn reminders_and_the_arrears_through_the_window() {
    let (dir, db, app) = register_with(&[ANNA, BO]);
    app.close();
    billed_forty_days_ago(&db);
    let app = App::launch(&db);
    app.wait_visible("member-list");

    // The statutes allow 30 days; a second reminder not after the first is
    // refused beside its field.
    app.click("nav-dues");
    app.click("dues-tab-fees");
    app.wait_visible("reminder-settings");
    app.type_into("reminder-secondReminderDays", "7");
    app.click("reminder-save");
    assert_eq!(
        app.wait_error("error-reminder-secondReminderDays"),
        i18n("en", "dues.secondAfterFirst")
    );
    app.type_into("reminder-secondReminderDays", "30");
    app.type_into("reminder-arrearsDays", "30");
    app.click("reminder-save");
    app.wait_visible("toast");

    // Both overdue 40 days: past what the statutes allow.
    app.click("dues-tab-invoices");
    let suggestions = app.wait_count("arrears-suggestion", 2);
    assert!(
        suggestions
            .iter()
            .all(|s| *s == i18n("en", "dues.suggestResignation")),
        "{suggestions:?}"
    );
    app.wait_text_contains("arrears-total", "2,400");

    // The first reminders, to a typed path, noted on the invoices.
    let path = dir.path().join("påminnelser");
    app.click("reminders-print");
    app.wait_visible("reminders-print-dialog");
    app.type_into("reminders-print-path", &path.display().to_string());
    app.click("reminders-print-confirm");
    app.wait_visible("reminders-print-done");
    let text = pdf_text(&path.with_extension("pdf"));
    assert!(text.contains("Påminnelse 1"), "{text}");
    app.screenshot("dues-reminders");
    app.press_escape("reminders-print-path");
    app.wait_gone("reminders-print-dialog");
    app.wait_until("the reminders noted on the invoices", |a| {
        let cells = a.execute(
            "return [...document.querySelectorAll('[data-testid=\"arrears-row\"] td:nth-child(6)')].map((c) => c.textContent);",
            vec![],
        );
        (cells == serde_json::json!(["1", "1"])).then_some(())
    });
}
