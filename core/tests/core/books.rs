//! The books: SIE 4 read back (balance, format, codepage 437), the CSV
//! journal, corrections and "new since the last export", the accounts, a
//! write-off, and the dues overview.

use std::collections::BTreeMap;
use std::path::Path;

use codepage_437::{FromCp437, CP437_CONTROL};

use medlem_core::books::{self, ExportInput};
use medlem_core::dues::overview::overview;
use medlem_core::dues::reminders::write_off;
use medlem_core::dues::run::cancel;
use medlem_core::dues::{fees, pay};
use medlem_core::types::books::{AccountsInput, BookFormat, VoucherState};
use medlem_core::types::dues::{InvoiceStatus, PaymentsInput};
use medlem_core::types::payments::Assignment;
use medlem_core::{dates::today, error::ErrorCode, HistoryKind, OrgInput};

use super::dues::{org, pg_org};
use super::payments::{bank, billed, billed_org, hand, invoice};
use super::person;

fn every(format: &str) -> ExportInput {
    ExportInput {
        format: format.into(),
        from: "2000-01-01".into(),
        to: "2099-12-31".into(),
        all: false,
    }
}

/// A `#VER` as read back: its date, text and lines (account, amount in
/// minor units).
#[derive(Debug)]
struct Ver {
    date: String,
    text: String,
    trans: Vec<(String, i64)>,
}

/// The SIE file read back: its label lines (`#FLAGGA 0`, ...) and vouchers.
/// Fails on anything outside the format: a line that is not a label, a
/// `#TRANS` outside a `#VER`, an amount that is not `-?\d+\.\d\d`.
fn read_sie(path: &Path) -> (Vec<String>, Vec<Ver>) {
    let bytes = std::fs::read(path).expect("the file");
    // No UTF-8 in the file: å is 0x86 in codepage 437.
    let text = String::from_cp437(bytes, &CP437_CONTROL);
    let mut labels = Vec::new();
    let mut vers: Vec<Ver> = Vec::new();
    let mut open = false;
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        let line = line.trim_start();
        match line {
            "{" => open = true,
            "}" => open = false,
            l if l.starts_with("#VER ") => {
                // #VER "M" "" 20270115 "text [key]"
                let rest = l
                    .strip_prefix("#VER \"M\" \"\" ")
                    .expect("series M, no number");
                let (date, text) = rest.split_once(' ').expect("date and text");
                assert_eq!(date.len(), 8, "{l}");
                vers.push(Ver {
                    date: date.into(),
                    text: text.trim_matches('"').replace("\\\"", "\""),
                    trans: Vec::new(),
                });
            }
            l if l.starts_with("#TRANS ") => {
                assert!(open, "#TRANS outside a #VER: {l}");
                let parts: Vec<&str> = l.split(' ').collect();
                assert_eq!(parts.len(), 4, "{l}");
                assert_eq!(parts[2], "{}");
                let (units, cents) = parts[3].split_once('.').expect("a decimal point");
                assert_eq!(cents.len(), 2, "{l}");
                let minor = units.trim_start_matches('-').parse::<i64>().expect("kr") * 100
                    + cents.parse::<i64>().expect("öre");
                let minor = if units.starts_with('-') {
                    -minor
                } else {
                    minor
                };
                vers.last_mut()
                    .expect("a #VER before")
                    .trans
                    .push((parts[1].into(), minor));
            }
            l if l.starts_with('#') => labels.push(l.to_string()),
            l => panic!("not SIE: {l:?}"),
        }
    }
    assert!(!open, "a #VER left open");
    (labels, vers)
}

/// Debit per account over all vouchers.
fn balances(vers: &[Ver]) -> BTreeMap<String, i64> {
    let mut all = BTreeMap::new();
    for v in vers {
        for (account, amount) in &v.trans {
            *all.entry(account.clone()).or_insert(0) += amount;
        }
    }
    all
}

// The books on both stores: the file and the office server.
on_both! {
    @ || org("SE"), || pg_org("SE");

    fn a_sie_file_reads_back_balanced_in_codepage_437(r) {
        let invoices = billed_org(r);
        r.update_org(&OrgInput {
            name: "Föreningen Åsa \"Norr\"".into(),
            country: "SE".into(),
            org_number: "802000-1234".into(),
            ..Default::default()
        })
        .expect("org");
        // Anna pays her 1 200 kr, Bo 1 500 kr (300 kr credit); Cilla nothing.
        pay::add(r, &hand(invoices[0].member_id, "1200")).expect("Anna");
        pay::add(r, &hand(invoices[1].member_id, "1500")).expect("Bo");
        let dir = tempfile::tempdir().expect("dir");
        let out = dir.path().join("medlem.se");

        let report = books::export(r, &every(""), &out).expect("exported");
        assert_eq!(report.format, BookFormat::Sie4, "SIE 4 in Sweden");
        assert_eq!((report.vouchers, report.new, report.corrections), (5, 5, 0));
        let (labels, vers) = read_sie(&out);
        for label in ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", "#VALUTA SEK"] {
            assert!(labels.contains(&label.to_string()), "{label} in {labels:?}");
        }
        assert!(labels.contains(&"#FNAMN \"Föreningen Åsa \\\"Norr\\\"\"".to_string()));
        assert!(labels.contains(&"#ORGNR 802000-1234".to_string()));
        assert!(labels.iter().any(|l| l.starts_with("#PROGRAM \"Medlem\"")));
        assert!(labels.contains(&format!("#GEN {}", today().format("%Y%m%d"))));
        for account in [
            "#KONTO 1510 \"Kundfordringar\"",
            "#KONTO 3001 \"Medlemsavgifter\"",
        ] {
            assert!(labels.contains(&account.to_string()), "{account}");
        }
        // Every voucher balances; three invoices and two payments.
        assert_eq!(vers.len(), 5);
        for v in &vers {
            assert_eq!(v.trans.iter().map(|t| t.1).sum::<i64>(), 0, "{v:?}");
        }
        assert!(vers[0].text.starts_with("Medlemsavgift "), "{:?}", vers[0]);
        assert!(vers[0]
            .text
            .ends_with(&format!("[invoice:{}]", invoices[0].id)));
        assert_eq!(vers[0].date, today().format("%Y%m%d").to_string());
        let b = balances(&vers);
        // 3 600 billed, 2 700 in the bank, 1 200 still owed, 300 credit.
        assert_eq!(b["3001"], -360_000);
        assert_eq!(b["1930"], 270_000);
        assert_eq!(b["1510"], 120_000);
        assert_eq!(b["2420"], -30_000);
        assert_eq!(report.total, 360_000 + 270_000);
    }

    fn the_next_export_holds_what_is_new_and_corrects_what_changed(r) {
        let invoices = billed_org(r);
        let anna = pay::add(r, &hand(invoices[0].member_id, "1200")).expect("Anna");
        let dir = tempfile::tempdir().expect("dir");
        let first = dir.path().join("first.se");
        books::export(r, &every("sie4"), &first).expect("first");

        // Nothing happened since: nothing to export, and no file.
        let again = dir.path().join("again.se");
        let e = books::export(r, &every("sie4"), &again).expect_err("nothing new");
        assert_eq!(e.code(), ErrorCode::NothingToExport);
        assert!(!again.exists());

        // Anna's payment is reversed (registered in error), Cilla pays.
        pay::reverse(r, anna.id).expect("reversed");
        pay::add(r, &hand(invoices[2].member_id, "1200")).expect("Cilla");
        let preview = books::preview(&*r, &every("sie4")).expect("preview");
        assert_eq!(
            (
                preview.export.new,
                preview.export.corrections,
                preview.export.earlier
            ),
            (1, 1, 3)
        );
        let correction = preview
            .vouchers
            .iter()
            .find(|v| v.state == VoucherState::Correction)
            .expect("a correction");
        assert_eq!(correction.key, format!("payment:{}", anna.id));
        let lines: Vec<(&str, i64)> = correction
            .lines
            .iter()
            .map(|l| (l.account.as_str(), l.amount))
            .collect();
        assert_eq!(lines, [("1930", -120_000), ("1510", 120_000)]);

        let second = dir.path().join("second.se");
        let report = books::export(r, &every("sie4"), &second).expect("second");
        assert_eq!(report.new_keys.len(), 2);
        let (_, vers) = read_sie(&second);
        assert_eq!(vers.len(), 2);
        assert!(vers
            .iter()
            .any(|v| v.text.starts_with("Rättelse: Inbetalning")));
        // Both files together: the bank holds Cilla's 1 200 kr, Anna and Cilla
        // (never Bo) owe what they owe.
        let (_, mut all) = read_sie(&first);
        all.extend(vers);
        let b = balances(&all);
        assert_eq!(
            (b["1930"], b["1510"], b["3001"]),
            (120_000, 240_000, -360_000)
        );

        // Every voucher of the period again, as it is now: no corrections in
        // it, and the log unchanged in what it says is new.
        let everything = ExportInput {
            all: true,
            ..every("sie4")
        };
        let whole = dir.path().join("whole.se");
        let report = books::export(r, &everything, &whole).expect("all");
        assert_eq!((report.vouchers, report.new, report.earlier), (4, 0, 4));
        let (_, vers) = read_sie(&whole);
        let b = balances(&vers);
        assert_eq!(
            (b["1930"], b["1510"], b["3001"]),
            (120_000, 240_000, -360_000)
        );
    }

    fn accounts_are_checked_and_kept(r) {
        billed_org(r);
        let defaults = books::accounts(&*r, medlem_core::Country::Se).expect("accounts");
        assert_eq!(
            (defaults.receivable.as_str(), defaults.bank.as_str()),
            ("1510", "1930")
        );
        let e = books::set_accounts(
            r,
            &AccountsInput {
                receivable: Some("15x0".into()),
                bank: Some("19301".into()),
                fees: Some("12345678901".into()),
                ..Default::default()
            },
        )
        .expect_err("refused");
        let fields: Vec<(&str, &str)> = e
            .fields()
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [("receivable", "invalid_number"), ("fees", "invalid_number")]
        );
        assert_eq!(
            books::accounts(&*r, medlem_core::Country::Se).expect("kept"),
            defaults
        );

        let a = books::set_accounts(
            r,
            &AccountsInput {
                fees: Some(" 3011 ".into()),
                ..Default::default()
            },
        )
        .expect("kept");
        assert_eq!((a.fees.as_str(), a.receivable.as_str()), ("3011", "1510"));
        let preview = books::preview(&*r, &every("sie4")).expect("preview");
        assert!(preview.vouchers[0]
            .lines
            .iter()
            .any(|l| l.account == "3011"));
        // Empty: the default again.
        let a = books::set_accounts(
            r,
            &AccountsInput {
                fees: Some(String::new()),
                ..Default::default()
            },
        )
        .expect("default");
        assert_eq!(a.fees, "3001");
    }

    fn an_export_with_bad_input_is_refused_and_logs_nothing(r) {
        billed_org(r);
        let dir = tempfile::tempdir().expect("dir");
        let out = dir.path().join("x.se");
        for (input, want) in [
            (
                ExportInput {
                    from: "2027-02-01".into(),
                    to: "2027-01-01".into(),
                    ..every("sie4")
                },
                vec![("to", "date_order")],
            ),
            (
                ExportInput {
                    from: String::new(),
                    to: "2027-13-01".into(),
                    ..every("sie5")
                },
                vec![
                    ("format", "invalid_choice"),
                    ("from", "required"),
                    ("to", "invalid_month"),
                ],
            ),
        ] {
            let e = books::export(r, &input, &out).expect_err("refused");
            let got: Vec<(&str, &str)> = e
                .fields()
                .iter()
                .map(|f| (f.field.as_str(), f.code.as_str()))
                .collect();
            assert_eq!(got, want);
            assert!(!out.exists());
        }
        // A file that cannot be written (its folder is missing) logs nothing:
        // the next export still holds every voucher as new.
        let nowhere = dir.path().join("missing").join("x.se");
        assert!(books::export(r, &every("sie4"), &nowhere).is_err());
        let preview = books::preview(&*r, &every("sie4")).expect("preview");
        assert_eq!((preview.export.new, preview.export.earlier), (3, 0));
    }

    fn a_write_off_closes_the_invoice_and_books_the_loss(r) {
        let invoices = billed_org(r);
        let cilla = &invoices[2];
        pay::add(
            r,
            &medlem_core::types::payments::HandPayment {
                invoice_id: Some(cilla.id),
                ..hand(cilla.member_id, "200")
            },
        )
        .expect("a part");
        let i = write_off(r, cilla.id).expect("written off");
        assert_eq!((i.status, i.paid), (InvoiceStatus::WrittenOff, 20_000));
        let h = r.history(cilla.member_id).expect("history");
        assert!(h.iter().any(|e| e.kind == HistoryKind::Invoice
            && e.new_value.as_deref() == Some("written_off")
            && e.old_value.as_deref() == Some("partly_paid")));
        // Once only; and a paid invoice is not written off.
        let e = write_off(r, cilla.id).expect_err("again");
        assert_eq!(e.code(), ErrorCode::InvoiceState);
        pay::add(r, &hand(invoices[0].member_id, "1200")).expect("Anna pays");
        let e = write_off(r, invoices[0].id).expect_err("paid");
        assert_eq!(e.code(), ErrorCode::InvoiceState);
        assert_eq!(invoice(&*r, invoices[0].id).status, InvoiceStatus::Paid);
        let e = write_off(r, 999).expect_err("no such invoice");
        assert_eq!(e.code(), ErrorCode::NotFound);

        let preview = books::preview(&*r, &every("sie4")).expect("preview");
        let v = preview
            .vouchers
            .iter()
            .find(|v| v.key == format!("writeoff:{}", cilla.id))
            .expect("the loss");
        let lines: Vec<(&str, i64)> = v
            .lines
            .iter()
            .map(|l| (l.account.as_str(), l.amount))
            .collect();
        assert_eq!(lines, [("6351", 100_000), ("1510", -100_000)]);
        // Written off, it is no longer outstanding: only Bo's invoice is.
        let o = overview(&*r, today()).expect("overview");
        assert_eq!(o.periods[0].written_off, 100_000);
        assert_eq!(o.periods[0].outstanding, 120_000);
    }

    fn the_overview_sums_periods_branches_credit_and_months(r) {
        let invoices = billed_org(r);
        // Bo pays 1 500 kr (300 kr credit), Anna 600 kr of her 1 200.
        pay::add(r, &hand(invoices[1].member_id, "1500")).expect("Bo");
        pay::add(r, &hand(invoices[0].member_id, "600")).expect("Anna");
        let o = overview(&*r, today()).expect("overview");
        assert_eq!(o.periods.len(), 1);
        let p = &o.periods[0];
        assert_eq!(p.period, invoices[0].period);
        assert_eq!(
            (p.invoices, p.billed, p.paid, p.outstanding, p.written_off),
            (3, 360_000, 180_000, 180_000, 0)
        );
        // Nobody is in a branch: one row for "no branch".
        assert_eq!(o.branches.len(), 1);
        assert_eq!(o.branches[0].branch, None);
        assert_eq!(o.credit, 30_000);
        assert_eq!(o.months.len(), 12);
        let this = o.months.last().expect("this month");
        assert_eq!(this.month, today().format("%Y-%m").to_string());
        assert_eq!((this.count, this.amount), (2, 210_000));
        assert!(o.months[..11].iter().all(|m| m.count == 0));
        // The fees are in the overview whatever the rules say now.
        let rule = r.dues().fee_rules().expect("rules")[0].id;
        fees::delete_rule(r, rule).expect("deleted");
        assert_eq!(
            overview(&*r, today()).expect("again").periods[0].billed,
            360_000
        );
    }
}

on_both! {
    @ || org("NO"), || pg_org("NO");

    fn a_csv_journal_for_norway_with_a_decimal_comma_and_inert_text(r) {
        let invoices = billed(
            r,
            PaymentsInput {
                account: Some("1234.56.78903".into()),
                kid: Some("mod10".into()),
                ..Default::default()
            },
        );
        // A member whose name a spreadsheet would run, paying 250,50 kr by hand.
        let mut p = person("=HYPERLINK(\"http://x\")", "Berg");
        p.number = "1004".into();
        let hostile = r.create(&p).expect("member").id;
        pay::add(r, &hand(hostile, "250,50")).expect("paid");
        let dir = tempfile::tempdir().expect("dir");
        let out = dir.path().join("bilag.csv");
        let report = books::export(r, &every(""), &out).expect("journal");
        assert_eq!(report.format, BookFormat::Csv, "the journal outside Sweden");
        let text = std::fs::read_to_string(&out).expect("utf-8");
        let text = text.strip_prefix('\u{feff}').expect("a byte order mark");
        let mut rows = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.as_bytes());
        let header: Vec<String> = rows
            .headers()
            .expect("header")
            .iter()
            .map(String::from)
            .collect();
        assert_eq!(
            header,
            ["Bilag", "Dato", "Konto", "Tekst", "Debet", "Kredit", "Nøkkel"]
        );
        let mut per_voucher: BTreeMap<String, i64> = BTreeMap::new();
        let mut texts = Vec::new();
        for row in rows.records() {
            let row = row.expect("row");
            let amount = |s: &str| -> i64 {
                if s.is_empty() {
                    return 0;
                }
                let (kr, ore) = s.split_once(',').expect("a decimal comma");
                kr.parse::<i64>().expect("kr") * 100 + ore.parse::<i64>().expect("øre")
            };
            *per_voucher.entry(row[0].to_string()).or_default() += amount(&row[4]) - amount(&row[5]);
            texts.push(row[3].to_string());
        }
        assert_eq!(per_voucher.len(), invoices.len() + 1);
        assert!(per_voucher.values().all(|sum| *sum == 0), "{per_voucher:?}");
        assert!(texts.iter().any(|t| t.starts_with("Kontingent ")));
        // The name stays plain text inside the voucher's text, which begins with
        // a word: no cell begins a formula.
        assert!(texts.contains(&"Innbetaling 1004 =HYPERLINK(\"http://x\") Berg".to_string()));
        assert!(texts.iter().all(|t| !t.starts_with(['=', '+', '-', '@'])));
        // The bank (NS 4102: 1920) has 250,50 in debit.
        assert!(
            text.contains(
                ";1920;\"Innbetaling 1004 =HYPERLINK(\"\"http://x\"\") Berg\";250,50;;payment:"
            ),
            "{text}"
        );
    }
}

on_both! {
    new: org, pg_org;

    fn a_cancelled_run_and_a_payment_assigned_later_are_corrected(new) {
        let r = &mut *new("SE");
        let invoices = billed_org(r);
        let report =
            pay::import(r, &bank("camt054_se.xml"), "camt054_se.xml", false).expect("booked");
        let waiting = report.review[0].id;
        let dir = tempfile::tempdir().expect("dir");
        books::export(r, &every("sie4"), &dir.path().join("1.se")).expect("first");

        // The waiting payment is the treasurer's other income after all.
        pay::assign(r, waiting, Assignment::OtherIncome).expect("assigned");
        let preview = books::preview(&*r, &every("sie4")).expect("preview");
        let v = &preview.vouchers[0];
        assert_eq!(
            (v.key.as_str(), preview.vouchers.len()),
            (format!("payment:{waiting}").as_str(), 1)
        );
        let lines: Vec<(&str, i64)> = v
            .lines
            .iter()
            .map(|l| (l.account.as_str(), l.amount))
            .collect();
        assert_eq!(lines, [("3990", -60_000), ("2999", 60_000)]);

        // A run whose invoices are all unpaid is cancelled: the invoices are
        // taken back in the books.
        let r = &mut *new("SE");
        let invoices2 = billed_org(r);
        books::export(r, &every("csv"), &dir.path().join("2.csv")).expect("first");
        cancel(r, invoices2[0].run_id.expect("a run")).expect("cancelled");
        let preview = books::preview(&*r, &every("csv")).expect("preview");
        assert_eq!(preview.export.corrections, 3);
        for v in &preview.vouchers {
            let lines: Vec<(&str, i64)> = v
                .lines
                .iter()
                .map(|l| (l.account.as_str(), l.amount))
                .collect();
            assert_eq!(lines, [("1510", -120_000), ("3001", 120_000)]);
        }
        assert_eq!(invoices.len(), 3);
    }
}
