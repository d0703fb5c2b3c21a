//! `org set` bank details, `fees` and `dues` from the command line.

use serde_json::Value;

use super::{db, init, ok, refused};

fn json(db: &std::path::Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    serde_json::from_str(&ok(db, &all)).expect("json")
}

fn next_year() -> String {
    let year: i32 = medlem_core::dates::today()
        .format("%Y")
        .to_string()
        .parse()
        .expect("year");
    (year + 1).to_string()
}

/// An ordinary member's fee of 1 200 kr a year from `year`.
fn ordinary_fee(db: &std::path::Path, year: &str) {
    ok(
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
}

fn add(db: &std::path::Path, first: &str, kind: &str) {
    ok(
        db,
        &[
            "members",
            "add",
            "--first",
            first,
            "--last",
            "Ek",
            "--type",
            kind,
            "--address",
            "Storgatan 1",
            "--postcode",
            "111 22",
            "--city",
            "Stad",
        ],
    );
}

#[test]
fn bank_details_are_checked_as_typed() {
    let db = db();
    init(&db.path);
    let p = json(
        &db.path,
        &[
            "org",
            "set",
            "--bankgiro",
            "50501055",
            "--swish",
            "1231234567",
        ],
    );
    assert_eq!(p["bankgiro"], "5050-1055");
    assert_eq!(p["swish"], "123 123 45 67");
    refused(
        &db.path,
        &["org", "set", "--bankgiro", "5050-1056"],
        "--bankgiro has a wrong check digit",
    );
    refused(
        &db.path,
        &["org", "set", "--iban", "=HYPERLINK(\"http://x\")"],
        "--iban is not written as such a number",
    );
    // Nothing changed by the refusals.
    let p = json(&db.path, &["org", "set", "--plusgiro", "4-2"]);
    assert_eq!(p["bankgiro"], "5050-1055");
    assert_eq!(p["plusgiro"], "4-2");
}

#[test]
fn fees_then_a_dry_run_then_the_run_then_show() {
    let db = db();
    init(&db.path);
    add(&db.path, "Anna", "ordinary");
    add(&db.path, "Stina", "student");
    add(&db.path, "Hedda", "honorary");
    refused(
        &db.path,
        &[
            "fees", "set", "--type", "ordinary", "--period", "decade", "--amount", "1200",
        ],
        "--period is not one of the allowed values",
    );
    refused(
        &db.path,
        &[
            "fees", "set", "--type", "ordinary", "--period", "year", "--amount", "=1+1",
        ],
        "--amount is not an amount in kr",
    );
    let from = format!("{}-01-01", next_year());
    ok(
        &db.path,
        &[
            "fees", "set", "--type", "ordinary", "--period", "year", "--amount", "1200", "--from",
            &from,
        ],
    );
    ok(
        &db.path,
        &[
            "fees", "set", "--type", "student", "--period", "year", "--amount", "300,50", "--from",
            &from,
        ],
    );
    let rules = json(&db.path, &["fees", "list"]);
    assert_eq!(rules.as_array().map(Vec::len), Some(2));
    assert_eq!(rules[0]["amount"], 120_000);

    let year = next_year();
    refused(
        &db.path,
        &["dues", "run", "--period", "2027-Q9"],
        "--period is not a period",
    );
    let preview = json(&db.path, &["dues", "run", "--period", &year, "--dry-run"]);
    assert_eq!(preview["count"], 2);
    assert_eq!(preview["total"], 150_050);
    assert_eq!(preview["exceptions"][0]["reason"], "honorary");
    assert!(preview["runId"].is_null());
    assert_eq!(
        json(&db.path, &["dues", "show"]).as_array().map(Vec::len),
        Some(0)
    );

    let run = json(&db.path, &["dues", "run", "--period", &year]);
    assert_eq!(run["count"], 2);
    let shown = json(&db.path, &["dues", "show", "--period", &year]);
    let shown = shown.as_array().expect("invoices");
    assert_eq!(shown.len(), 2);
    for i in shown {
        assert_eq!(i["status"], "open");
        let reference = i["reference"].as_str().expect("reference");
        assert!(
            medlem_core::dues::reference::luhn_ok(reference),
            "{reference}"
        );
    }
    let amounts: Vec<i64> = shown.iter().filter_map(|i| i["amount"].as_i64()).collect();
    assert_eq!(amounts, [120_000, 30_050]);
    assert_eq!(shown[0]["member"], "1");

    // Twice: nobody billed twice.
    refused(
        &db.path,
        &["dues", "run", "--period", &year],
        "nobody is to be billed",
    );
    let runs = json(&db.path, &["dues", "runs"]);
    let id = runs[0]["id"].as_i64().expect("id").to_string();
    ok(&db.path, &["dues", "cancel", &id]);
    let credited = json(&db.path, &["dues", "show", "--status", "credited"]);
    assert_eq!(credited.as_array().map(Vec::len), Some(2));
    let history = ok(&db.path, &["members", "history", "1"]);
    assert!(
        history.contains(&format!("invoice for {year}: open -> credited")),
        "{history}"
    );
}

fn bank_file(name: &str) -> String {
    format!("{}/../core/tests/bank/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_bank_file_then_the_review_queue_then_payments_by_hand() {
    let db = db();
    init(&db.path);
    ok(
        &db.path,
        &["org", "set", "--iban", "SE55 5000 0000 0532 7100 4417"],
    );
    for first in ["Anna", "Bo", "Cilla"] {
        add(&db.path, first, "ordinary");
    }
    let from = format!("{}-01-01", next_year());
    ok(
        &db.path,
        &[
            "fees", "set", "--type", "ordinary", "--period", "year", "--amount", "1200", "--from",
            &from,
        ],
    );
    ok(&db.path, &["dues", "run", "--period", &next_year()]);

    let file = bank_file("camt054_se.xml");
    let dry = json(&db.path, &["pay", "import", &file, "--dry-run"]);
    assert_eq!(dry["matched"].as_array().map(Vec::len), Some(3));
    assert_eq!(dry["review"].as_array().map(Vec::len), Some(1));
    assert_eq!(dry["alreadyRead"], 0);
    let shown = json(&db.path, &["dues", "show"]);
    assert!(shown
        .as_array()
        .expect("invoices")
        .iter()
        .all(|i| i["status"] == "open"));

    let out = ok(&db.path, &["pay", "import", &file]);
    assert!(out.contains("4 payments"), "{out}");
    assert!(out.contains("1 waiting for you"), "{out}");
    let shown = json(&db.path, &["dues", "show"]);
    let statuses: Vec<&str> = shown
        .as_array()
        .expect("invoices")
        .iter()
        .filter_map(|i| i["status"].as_str())
        .collect();
    assert_eq!(statuses, ["partly_paid", "partly_paid", "partly_paid"]);
    // The partly paid invoices as letters, asking for what is left.
    let pdf = db.path.with_file_name("fakturor.pdf");
    let pdf = pdf.to_str().expect("a path");
    let out = ok(&db.path, &["dues", "invoices", "--out", pdf]);
    assert!(out.starts_with("3 invoices"), "{out}");
    assert!(std::fs::read(pdf).expect("the PDF").starts_with(b"%PDF-"));
    refused(
        &db.path,
        &["dues", "invoices", "--period", "1999", "--out", pdf],
        "nobody to print for",
    );
    let again = json(&db.path, &["pay", "import", &file]);
    assert_eq!(again["fileAlreadyRead"], true);
    assert_eq!(again["alreadyRead"], 4);

    let review = json(&db.path, &["pay", "review"]);
    let waiting = review[0]["id"].as_i64().expect("id").to_string();
    refused(
        &db.path,
        &["pay", "assign", &waiting],
        "--invoice is required",
    );
    let booked = json(&db.path, &["pay", "assign", &waiting, "--member", "2"]);
    assert_eq!(booked["state"], "booked");
    assert_eq!(booked["member"], "2");
    // Bo had paid 450 of 1 200; 600 more leaves 150 open.
    let bo = json(&db.path, &["dues", "show"])[1].clone();
    assert_eq!(
        (bo["paid"].as_i64(), bo["status"].as_str()),
        (Some(105_000), Some("partly_paid"))
    );
    assert_eq!(
        json(&db.path, &["pay", "review"]).as_array().map(Vec::len),
        Some(0)
    );

    // By hand: 150 kr in cash pays Bo's invoice; reversed, it is open again.
    let cash = json(
        &db.path,
        &[
            "pay", "add", "--member", "2", "--amount", "150", "--method", "cash",
        ],
    );
    assert_eq!(json(&db.path, &["dues", "show"])[1]["status"], "paid");
    let id = cash["id"].as_i64().expect("id").to_string();
    let back = json(&db.path, &["pay", "reverse", &id]);
    assert_eq!(back["state"], "reversed");
    assert_eq!(
        json(&db.path, &["dues", "show"])[1]["status"],
        "partly_paid"
    );
    let history = ok(&db.path, &["members", "history", "2"]);
    assert!(history.contains("payment 150"), "{history}");
    assert!(history.contains("reversed"), "{history}");

    refused(
        &db.path,
        &["pay", "add", "--member", "2", "--amount", "=1+1"],
        "--amount",
    );
    refused(
        &db.path,
        &["pay", "import", &bank_file("camt054_truncated.xml")],
        "incomplete",
    );
    refused(
        &db.path,
        &["pay", "import", &bank_file("camt054_other_account.xml")],
        "not one of the organisation's",
    );
    assert_eq!(
        json(&db.path, &["pay", "list"]).as_array().map(Vec::len),
        Some(5)
    );
}

#[test]
fn reminders_and_arrears_from_the_command_line() {
    let db = db();
    init(&db.path);
    ok(&db.path, &["org", "set", "--bankgiro", "5050-1055"]);
    add(&db.path, "Anna", "ordinary");
    let this_year = (next_year().parse::<i32>().expect("year") - 1).to_string();
    ordinary_fee(&db.path, &this_year);
    let due = (medlem_core::dates::today() - chrono::Days::new(40)).to_string();
    ok(
        &db.path,
        &["dues", "run", "--period", &this_year, "--due", &due],
    );
    refused(
        &db.path,
        &[
            "dues",
            "settings",
            "--first-reminder",
            "20",
            "--second-reminder",
            "10",
        ],
        "--second-reminder must be more days than --first-reminder",
    );
    let s = json(
        &db.path,
        &[
            "dues",
            "settings",
            "--reminder-fee",
            "50",
            "--arrears-days",
            "30",
        ],
    );
    assert_eq!(
        (s["reminderFee"].as_i64(), s["firstReminderDays"].as_i64()),
        (Some(5000), Some(14))
    );
    let planned = json(&db.path, &["dues", "reminders", "--dry-run"]);
    assert_eq!(planned[0]["level"], 1);
    assert_eq!(planned[0]["daysOverdue"], 40);
    let pdf = db.path.with_file_name("påminnelser.pdf");
    let pdf = pdf.to_str().expect("a path");
    let out = ok(&db.path, &["dues", "reminders", "--out", pdf]);
    assert!(out.starts_with("1 reminders"), "{out}");
    let arrears = json(&db.path, &["dues", "arrears"]);
    assert_eq!(arrears["total"], 120_000);
    assert_eq!(arrears["rows"][0]["reminders"], 1);
    assert_eq!(arrears["rows"][0]["suggestResignation"], true);
}

#[test]
fn books_export_accounts_overview_and_a_write_off() {
    let db = db();
    init(&db.path);
    for first in ["Anna", "Bo"] {
        add(&db.path, first, "ordinary");
    }
    let year = next_year();
    ordinary_fee(&db.path, &year);
    ok(&db.path, &["dues", "run", "--period", &year]);
    ok(
        &db.path,
        &["pay", "add", "--member", "1", "--amount", "1500"],
    );

    // Bo's invoice written off; not twice.
    let bo = json(&db.path, &["dues", "show"])[1]["id"]
        .as_i64()
        .expect("id")
        .to_string();
    let out = ok(&db.path, &["dues", "write-off", &bo]);
    assert!(out.contains("written off: 1,200"), "{out}");
    assert!(out.ends_with("not paid\n"), "{out}");
    refused(&db.path, &["dues", "write-off", &bo], "not open");

    // The overview: 2 400 billed, 1 200 paid, 1 200 written off, 300 credit.
    let o = json(&db.path, &["dues", "overview"]);
    let p = &o["periods"][0];
    assert_eq!(
        (
            p["billed"].as_i64(),
            p["paid"].as_i64(),
            p["writtenOff"].as_i64()
        ),
        (Some(240_000), Some(120_000), Some(120_000))
    );
    assert_eq!(o["credit"], 30_000);

    // The accounts, checked as typed; the export uses them.
    refused(
        &db.path,
        &["books", "accounts", "--bank", "19x0"],
        "--bank is not an account number",
    );
    let a = json(&db.path, &["books", "accounts", "--credit", "2421"]);
    assert_eq!(
        (a["credit"].as_str(), a["bank"].as_str()),
        (Some("2421"), Some("1930"))
    );

    let from = "2000-01-01";
    let to = "2099-12-31";
    refused(
        &db.path,
        &["books", "export", "--from", to, "--to", from, "--dry-run"],
        "--to is before --from",
    );
    let dry = json(
        &db.path,
        &["books", "export", "--from", from, "--to", to, "--dry-run"],
    );
    assert_eq!(
        dry["export"]["new"], 4,
        "two invoices, a payment, a write-off"
    );
    let out = db.path.with_file_name("verifikat.se");
    let out = out.to_str().expect("a path");
    let said = ok(
        &db.path,
        &["books", "export", "--from", from, "--to", to, "--out", out],
    );
    assert!(
        said.starts_with("4 vouchers (4 new, 0 corrections"),
        "{said}"
    );
    let sie = std::fs::read(out).expect("the file");
    let text = String::from_utf8_lossy(&sie);
    assert!(text.contains("#SIETYP 4"), "{text}");
    assert!(text.contains("#TRANS 2421 {} -300.00"), "{text}");
    assert!(text.contains("#TRANS 6351 {} 1200.00"), "{text}");
    refused(
        &db.path,
        &["books", "export", "--from", from, "--to", to, "--out", out],
        "nothing new to export",
    );
    // A journal of every voucher again, as CSV.
    let csv = db.path.with_file_name("bilag.csv");
    let csv = csv.to_str().expect("a path");
    let again = json(
        &db.path,
        &[
            "books", "export", "--format", "csv", "--all", "--from", from, "--to", to, "--out", csv,
        ],
    );
    assert_eq!(
        (again["vouchers"].as_i64(), again["earlier"].as_i64()),
        (Some(4), Some(4))
    );
    let journal = std::fs::read_to_string(csv).expect("the journal");
    assert!(
        journal.contains("Verifikat;Datum;Konto;Text;Debet;Kredit;Nyckel"),
        "{journal}"
    );
}
