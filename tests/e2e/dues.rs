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

    // What Bo pays with: income band B, and Anna pays for his household.
    assert!(app
        .text("member-dues-line")
        .contains(&i18n("en", "memberDues.paysSelf")));
    app.click("member-dues-change");
    app.wait_visible("member-dues-form");
    app.type_into("member-dues-band", "B");
    app.type_into("member-dues-payer-search", "Anna");
    app.click_containing("member-dues-payer-result", "Anna");
    app.wait_text_contains("member-dues-payer", "1001");
    app.click("member-dues-save");
    app.wait_text_contains("member-dues-line", "B");
    let line = app.text("member-dues-line");
    assert!(line.contains("paid by 1001 Anna Ek"), "{line}");
    app.wait_gone("member-dues-form");
}

/// A year's invoices due 40 days ago, made with the CLI.
pub(crate) fn billed_forty_days_ago(db: &std::path::Path) {
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
            .all(|s| s.starts_with(&i18n("en", "dues.suggestResignation"))),
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

    // The treasurer resigns Bo from the arrears (confirming), and gives up
    // on Anna's invoice: written off, it leaves the arrears.
    app.click_within("arrears-row", "Bo Berg", "arrears-resign");
    app.wait_visible("arrears-resign-dialog");
    app.click("arrears-resign-dialog-confirm");
    app.wait_text_contains("toast", "Bo Berg");
    app.wait_until("Bo no longer suggested", |a| {
        let buttons = a.execute(
            "return document.querySelectorAll('[data-testid=\"arrears-resign\"]').length;",
            vec![],
        );
        (buttons == serde_json::json!(1)).then_some(())
    });
    let year = (next_year().parse::<i32>().expect("a year") - 1).to_string();
    app.type_into("invoice-filter-period", &year);
    app.press_enter("invoice-filter-period");
    app.click_within("invoice-row", "Anna Ek", "invoice-write-off");
    app.wait_visible("write-off-dialog");
    app.click("write-off-dialog-confirm");
    app.wait_until("one invoice written off", |a| {
        let statuses = a.execute(
            "return [...document.querySelectorAll('[data-testid=\"invoice-status\"]')].map((c) => c.textContent);",
            vec![],
        );
        let written = statuses
            .as_array()
            .map(|s| s.iter().filter(|v| v.as_str() == Some(&i18n("en", "invoiceStatus.written_off"))).count());
        (written == Some(1)).then_some(())
    });
    app.wait_count("arrears-row", 1);
}

#[test]
fn the_books_tab_shows_the_overview_and_exports_the_vouchers() {
    let (dir, db, app) = register_with(&[ANNA, BO]);
    app.close();
    billed_forty_days_ago(&db);
    cli(&db, &["pay", "add", "--member", "1001", "--amount", "1200"]);
    let app = App::launch(&db);
    app.wait_visible("member-list");
    app.click("nav-dues");
    app.click("dues-tab-books");

    // 2 400 kr billed, 1 200 paid and outstanding; this month's bar holds
    // Anna's payment.
    app.wait_visible("overview-table");
    assert!(app.text("overview-billed").contains("2,400"));
    assert!(app.text("overview-paid").contains("1,200"));
    assert!(app.text("overview-outstanding").contains("1,200"));
    let bars = app.execute(
        "return [...document.querySelectorAll('[data-testid=\"month-bar\"]')].map((b) => [b.dataset.month, b.dataset.amount]);",
        vec![],
    );
    let bars = bars.as_array().expect("bars").clone();
    assert_eq!(bars.len(), 12);
    let month = medlem_core::dates::today().format("%Y-%m").to_string();
    assert_eq!(bars[11], serde_json::json!([month, "120000"]));
    // Drawn: the month with the payment fills its bar, the others do not.
    let heights = app.execute(
        "return [...document.querySelectorAll('[data-testid=\"month-fill\"]')].map((f) => Math.round(f.getBoundingClientRect().height / f.parentElement.getBoundingClientRect().height * 100));",
        vec![],
    );
    let heights = heights.as_array().expect("heights").clone();
    assert_eq!(heights[11], serde_json::json!(100), "{heights:?}");
    assert!(
        heights[..11].iter().all(|h| h.as_i64() < Some(5)),
        "{heights:?}"
    );
    app.screenshot("dues-books-overview");

    // An account number that is not one is refused beside its field.
    app.wait_until("the accounts filled in", |a| {
        let v = a.execute(
            "return document.querySelector('[data-testid=\"account-receivable\"]').value;",
            vec![],
        );
        (v == serde_json::json!("1510")).then_some(())
    });
    app.type_into("account-receivable", "15x0");
    app.click("accounts-save");
    assert_eq!(
        app.wait_error("error-account-receivable"),
        i18n("en", "fieldError.invalid_number")
    );
    app.type_into("account-receivable", "1511");
    app.click("accounts-save");
    app.wait_visible("toast");

    // The vouchers: two invoices and Anna's payment, all new; saved as SIE.
    let year_ago = (medlem_core::dates::today() - chrono::Days::new(366)).to_string();
    app.type_into("books-from", &year_ago);
    app.click("books-preview");
    app.wait_text_contains("books-summary", "3 vouchers");
    app.wait_count("books-voucher", 3);
    app.screenshot("dues-books");
    app.click("books-write");
    app.wait_visible("books-export-dialog");
    let path = dir.path().join("verifikat");
    app.type_into("books-export-path", &path.display().to_string());
    app.click("books-export-confirm");
    app.wait_visible("books-export-done");
    let bytes = std::fs::read(path.with_extension("se")).expect("the SIE file");
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.starts_with("#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4"),
        "{text}"
    );
    assert_eq!(text.matches("#VER ").count(), 3);
    assert!(text.contains("#TRANS 1511 {} 1200.00"), "{text}");
    app.press_escape("books-export-path");
    app.wait_gone("books-export-dialog");

    // Asked again: nothing new, and nothing to save.
    app.click("books-preview");
    app.wait_text_contains("books-summary", "0 vouchers");
    app.wait_text_contains("books-earlier", "3 vouchers");
    app.wait_gone("books-write");
}
