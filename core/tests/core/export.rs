//! Export: CSV for a Nordic Excel, XLSX with real dates and text numbers,
//! JSON of the full members; formula injection; temp file, errors, cancel.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::NaiveDate;
use medlem_core::columns::{self, Column};
use medlem_core::export::{self, ExportFormat, ExportSummary};
use medlem_core::*;

use crate::{person, register};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The strings an attacker might put in a name or a note.
const HOSTILE: &[&str] = &[
    "=HYPERLINK(\"http://evil\",\"x\")",
    "+1+1",
    "-2",
    "@SUM(A1)",
    "'=x",
    "'); DROP TABLE members; --",
    "<script>alert(1)</script>",
];

fn is_formula_like(s: &str) -> bool {
    s.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn date(s: &str) -> NaiveDate {
    medlem_core::dates::parse_date(s).unwrap()
}

/// Exports with no progress reporting and no cancel.
pub(crate) fn run(
    r: &dyn Register,
    query: &ListQuery,
    format: ExportFormat,
    language: Language,
    out: &Path,
) -> Result<ExportSummary> {
    export::export(
        r,
        query,
        format,
        language,
        out,
        &mut |_| {},
        &AtomicBool::new(false),
    )
}

/// The names of the files in `dir`, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn all_members(r: &dyn Register, query: &ListQuery) -> Vec<Member> {
    let mut all = Vec::new();
    r.for_each_member(query, &mut |m| {
        all.push(m.clone());
        Ok(())
    })
    .unwrap();
    all
}

/// A register with a Norwegian-looking member whose values a spreadsheet
/// would mangle, and a plain one.
fn tricky_register() -> SqliteRegister {
    let mut r = register();
    r.create(&MemberInput {
        number: "0150".into(),
        contact: medlem_core::Contact {
            address: medlem_core::PostalAddress {
                postcode: "0150".into(),
                city: "Oslo".into(),
                ..Default::default()
            },
            phone: "+47 22 33 44 55".into(),
            ..person("Åsa", "Berg-Østlund").contact
        },
        birth_date: Some("1980-02-29".into()),
        joined_date: Some("2020-01-15".into()),
        notes: "a;b \"quoted\"\nsecond line".into(),
        roles: vec![RoleInput {
            role: "chair".into(),
            from: "2021-01-01".into(),
            to: Some("2022-12-31".into()),
            ..Default::default()
        }],
        ..person("Åsa", "Berg-Østlund")
    })
    .unwrap();
    r.create(&MemberInput {
        number: "0007".into(),
        ..person("Bo", "Ek")
    })
    .unwrap();
    r
}

/// A register with one member per hostile string, in the first name and
/// the notes, each with an international phone number. (A leading tab or
/// carriage return cannot enter the register, validation trims it; the unit
/// tests in `export.rs` write those to files.)
fn hostile_register() -> SqliteRegister {
    let mut r = register();
    for h in HOSTILE {
        let m = r
            .create(&MemberInput {
                contact: medlem_core::Contact {
                    phone: "+46 70 123 45 67".into(),
                    ..person(h, "Ek").contact
                },
                notes: h.to_string(),
                ..person(h, "Ek")
            })
            .unwrap();
        assert_eq!(m.notes, *h);
    }
    r
}

/// `rows` in the order of `HOSTILE`, found by their first name as read back.
fn by_hostile<T>(rows: &[T], first_name: impl Fn(&T) -> String) -> Vec<&T> {
    HOSTILE
        .iter()
        .map(|h| {
            rows.iter()
                .find(|row| first_name(row) == *h)
                .unwrap_or_else(|| panic!("{h:?} missing"))
        })
        .collect()
}

fn read_csv(path: &Path) -> (Vec<u8>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(BOM), "no BOM");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(&bytes[BOM.len()..]);
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (bytes, rows)
}

fn headers(language: Language) -> Vec<String> {
    Column::ALL
        .iter()
        .map(|c| c.header(language).to_owned())
        .collect()
}

fn col(c: Column) -> usize {
    Column::ALL.iter().position(|x| *x == c).unwrap()
}

#[test]
fn csv_is_what_a_nordic_excel_opens() {
    let r = tricky_register();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("medlemmar.csv");
    let summary = run(
        &r,
        &ListQuery::default(),
        ExportFormat::Csv,
        Language::Sv,
        &out,
    )
    .unwrap();
    assert_eq!(summary.members, 2);

    let (bytes, rows) = read_csv(&out);
    let text = std::str::from_utf8(&bytes[BOM.len()..]).unwrap();
    let header_line = headers(Language::Sv).join(";") + "\r\n";
    assert!(text.starts_with(&header_line), "{text}");
    assert!(text.starts_with("Medlemsnummer;Typ av post;Förnamn;Efternamn;"));
    assert!(text.ends_with("\r\n"));
    // Every line break outside the quoted note is CRLF.
    let outside_quotes: String = text.split('"').step_by(2).collect();
    assert_eq!(
        outside_quotes.matches('\n').count(),
        outside_quotes.matches("\r\n").count()
    );
    assert_eq!(outside_quotes.matches("\r\n").count(), 3);

    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0], headers(Language::Sv));
    let members = all_members(&r, &ListQuery::default());
    for (row, m) in rows[1..].iter().zip(&members) {
        let want: Vec<String> = Column::ALL.iter().map(|c| columns::cell(m, *c)).collect();
        assert_eq!(row[col(Column::Number)], m.number);
        // Only the phone number starts like a formula.
        for (i, (got, want)) in row.iter().zip(&want).enumerate() {
            if Column::ALL[i] == Column::Phone && !want.is_empty() {
                assert_eq!(got, &format!("'{want}"));
            } else {
                assert_eq!(got, want, "{:?}", Column::ALL[i]);
            }
        }
    }
    let asa = &rows[1];
    assert_eq!(asa[col(Column::FirstName)], "Åsa");
    assert_eq!(asa[col(Column::Number)], "0150");
    assert_eq!(asa[col(Column::Postcode)], "0150");
    assert_eq!(asa[col(Column::Phone)], "'+47 22 33 44 55");
    assert_eq!(asa[col(Column::Notes)], "a;b \"quoted\"\nsecond line");
    assert_eq!(asa[col(Column::BirthDate)], "1980-02-29");
    assert_eq!(asa[col(Column::Roles)], "chair 2021-01-01..2022-12-31");
    assert_eq!(
        export::unneutralise(&asa[col(Column::Phone)]),
        "+47 22 33 44 55"
    );
}

#[test]
fn csv_header_follows_the_language() {
    let r = tricky_register();
    for (language, first_name) in [
        (Language::Da, "Fornavn"),
        (Language::Nb, "Fornavn"),
        (Language::En, "First name"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("members.csv");
        run(&r, &ListQuery::default(), ExportFormat::Csv, language, &out).unwrap();
        let (_, rows) = read_csv(&out);
        assert_eq!(rows[0], headers(language));
        assert_eq!(rows[0][col(Column::FirstName)], first_name);
        for (c, h) in Column::ALL.iter().zip(&rows[0]) {
            assert_eq!(Column::recognise(h), Some(*c), "{h}");
        }
    }
}

#[test]
fn csv_neutralises_formulas_and_round_trips_through_unneutralise() {
    let r = hostile_register();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hostile.csv");
    let summary = run(
        &r,
        &ListQuery::default(),
        ExportFormat::Csv,
        Language::En,
        &out,
    )
    .unwrap();
    assert_eq!(summary.members, HOSTILE.len());
    let (_, rows) = read_csv(&out);
    assert_eq!(rows.len(), HOSTILE.len() + 1);
    let rows = by_hostile(&rows[1..], |row| {
        export::unneutralise(&row[col(Column::FirstName)]).to_owned()
    });
    for (row, h) in rows.into_iter().zip(HOSTILE) {
        for got in [&row[col(Column::FirstName)], &row[col(Column::Notes)]] {
            if is_formula_like(h) {
                assert_eq!(got, &format!("'{h}"), "{h:?}");
            } else {
                assert_eq!(got, h, "{h:?}");
            }
            assert_eq!(export::unneutralise(got), *h);
        }
        assert_eq!(row[col(Column::Phone)], "'+46 70 123 45 67");
    }
}

fn open_xlsx(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).expect("a readable xlsx")
}

fn string(d: &Data) -> &str {
    match d {
        Data::String(s) => s,
        other => panic!("expected a string cell, got {other:?}"),
    }
}

fn ymd(d: &Data) -> (u16, u8, u8) {
    match d {
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            (y, m, d)
        }
        other => panic!("expected a date cell, got {other:?}"),
    }
}

#[test]
fn xlsx_has_a_header_real_dates_and_numbers_as_text() {
    let r = tricky_register();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("medlemmar.xlsx");
    let summary = run(
        &r,
        &ListQuery::default(),
        ExportFormat::Xlsx,
        Language::Sv,
        &out,
    )
    .unwrap();
    assert_eq!(summary.members, 2);

    let mut book = open_xlsx(&out);
    assert_eq!(book.sheet_names(), vec!["Medlemmar".to_owned()]);
    let range = book.worksheet_range("Medlemmar").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 3);
    let header: Vec<&str> = rows[0].iter().map(string).collect();
    assert_eq!(header, headers(Language::Sv));

    let asa = rows[1];
    assert_eq!(string(&asa[col(Column::Number)]), "0150");
    assert_eq!(string(&asa[col(Column::Postcode)]), "0150");
    assert_eq!(string(&asa[col(Column::Phone)]), "'+47 22 33 44 55");
    assert_eq!(string(&asa[col(Column::FirstName)]), "Åsa");
    assert_eq!(string(&asa[col(Column::LastName)]), "Berg-Østlund");
    assert_eq!(
        string(&asa[col(Column::Notes)]),
        "a;b \"quoted\"\nsecond line"
    );
    assert_eq!(string(&asa[col(Column::Status)]), "active");
    assert_eq!(ymd(&asa[col(Column::BirthDate)]), (1980, 2, 29));
    assert_eq!(ymd(&asa[col(Column::JoinedDate)]), (2020, 1, 15));
    let status_date = all_members(&r, &ListQuery::default())[0].status_date;
    assert_eq!(
        ymd(&asa[col(Column::StatusDate)]),
        (
            status_date.format("%Y").to_string().parse().unwrap(),
            status_date.format("%m").to_string().parse().unwrap(),
            status_date.format("%d").to_string().parse().unwrap()
        )
    );

    let bo = rows[2];
    assert_eq!(string(&bo[col(Column::Number)]), "0007");
    assert_eq!(bo[col(Column::BirthDate)], Data::Empty);
    assert_eq!(bo[col(Column::Phone)], Data::Empty);
    // No cell anywhere is a number: text stays text.
    assert!(range
        .used_cells()
        .all(|(_, _, d)| matches!(d, Data::String(_) | Data::DateTime(_))));
}

#[test]
fn xlsx_sheet_is_named_in_the_language() {
    let r = tricky_register();
    for (language, name) in [
        (Language::Da, "Medlemmer"),
        (Language::Nb, "Medlemmer"),
        (Language::En, "Members"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x.xlsx");
        run(
            &r,
            &ListQuery::default(),
            ExportFormat::Xlsx,
            language,
            &out,
        )
        .unwrap();
        let mut book = open_xlsx(&out);
        assert_eq!(book.sheet_names(), vec![name.to_owned()]);
        let range = book.worksheet_range(name).unwrap();
        let header: Vec<&str> = range.rows().next().unwrap().iter().map(string).collect();
        assert_eq!(header, headers(language));
    }
}

#[test]
fn xlsx_cells_are_inert_strings_and_the_sheet_has_no_formula() {
    let r = hostile_register();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hostile.xlsx");
    run(
        &r,
        &ListQuery::default(),
        ExportFormat::Xlsx,
        Language::En,
        &out,
    )
    .unwrap();
    let mut book = open_xlsx(&out);
    let formulas = book.worksheet_formula("Members").unwrap();
    assert_eq!(
        formulas
            .used_cells()
            .filter(|(_, _, f)| !f.is_empty())
            .count(),
        0,
        "the sheet holds formulas"
    );
    let range = book.worksheet_range("Members").unwrap();
    let rows: Vec<&[Data]> = range.rows().skip(1).collect();
    assert_eq!(rows.len(), HOSTILE.len());
    let rows = by_hostile(&rows, |row| {
        export::unneutralise(string(&row[col(Column::FirstName)])).to_owned()
    });
    for (row, h) in rows.into_iter().zip(HOSTILE) {
        for cell in [&row[col(Column::FirstName)], &row[col(Column::Notes)]] {
            let got = string(cell);
            if is_formula_like(h) {
                assert_eq!(got, format!("'{h}"), "{h:?}");
            } else {
                assert_eq!(got, *h, "{h:?}");
            }
            assert_eq!(export::unneutralise(got), *h);
        }
    }
}

#[test]
fn json_is_the_full_members_as_the_register_holds_them() {
    let r = tricky_register();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("members.json");
    let summary = run(
        &r,
        &ListQuery::default(),
        ExportFormat::Json,
        Language::Sv,
        &out,
    )
    .unwrap();
    assert_eq!(summary.members, 2);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("[\n  {\n"), "no BOM, pretty: {text}");
    let back: Vec<Member> = serde_json::from_str(&text).unwrap();
    let want = all_members(&r, &ListQuery::default());
    assert_eq!(back, want);
    assert_eq!(back[0].roles.len(), 1);
    assert_eq!(back[0].notes, "a;b \"quoted\"\nsecond line");
    // Exactly what serde_json's pretty printer writes for the whole list.
    assert_eq!(text, serde_json::to_string_pretty(&want).unwrap() + "\n");
}

#[test]
fn json_keeps_hostile_text_as_it_is() {
    let r = hostile_register();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("hostile.json");
    run(
        &r,
        &ListQuery::default(),
        ExportFormat::Json,
        Language::En,
        &out,
    )
    .unwrap();
    let back: Vec<Member> = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(back, all_members(&r, &ListQuery::default()));
    let notes: Vec<&str> = by_hostile(&back, |m| m.contact.first_name.clone())
        .iter()
        .map(|m| m.notes.as_str())
        .collect();
    assert_eq!(notes, HOSTILE);
}

#[test]
fn json_of_an_empty_selection_is_an_empty_array() {
    let r = tricky_register();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("none.json");
    let query = ListQuery {
        search: "nobodyhasthisname".into(),
        ..Default::default()
    };
    let summary = run(&r, &query, ExportFormat::Json, Language::Sv, &out).unwrap();
    assert_eq!(summary.members, 0);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "[]\n");
}

#[test]
fn export_writes_the_whole_selection_not_a_page() {
    let mut r = register();
    for (first, last) in [
        ("Anna", "Ek"),
        ("Bo", "Ekström"),
        ("Cecilia", "Ekman"),
        ("David", "Berg"),
        ("Eva", "Lund"),
    ] {
        r.create(&person(first, last)).unwrap();
    }
    let cecilia = r
        .list(&ListQuery {
            search: "Cecilia".into(),
            ..Default::default()
        })
        .unwrap()
        .items[0]
        .id;
    r.set_status(cecilia, Status::Resigned, date("2024-03-01"))
        .unwrap();

    let selection = ListQuery {
        search: "ek".into(),
        status: Some(Status::Active),
        limit: 1,
        ..Default::default()
    };
    let whole = ListQuery {
        limit: 2,
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    for format in ExportFormat::ALL {
        let out = dir.path().join(format!("selection.{format}"));
        let n = run(&r, &selection, *format, Language::Sv, &out)
            .unwrap()
            .members;
        assert_eq!(n, 2, "{format}");
        assert_eq!(n as i64, r.list(&selection).unwrap().total);
        let out = dir.path().join(format!("whole.{format}"));
        let n = run(&r, &whole, *format, Language::Sv, &out)
            .unwrap()
            .members;
        assert_eq!(n, 5, "{format}");
    }

    let (_, rows) = read_csv(&dir.path().join("selection.csv"));
    let names: Vec<&str> = rows[1..]
        .iter()
        .map(|row| row[col(Column::FirstName)].as_str())
        .collect();
    assert_eq!(names, ["Anna", "Bo"]);
    let (_, rows) = read_csv(&dir.path().join("whole.csv"));
    assert_eq!(rows.len(), 6);
    let json: Vec<Member> =
        serde_json::from_slice(&std::fs::read(dir.path().join("selection.json")).unwrap()).unwrap();
    assert!(json.iter().all(|m| m.status == Status::Active));
    let mut book = open_xlsx(&dir.path().join("whole.xlsx"));
    assert_eq!(book.worksheet_range("Medlemmar").unwrap().height(), 6);
}

#[test]
fn an_unwritable_path_is_an_io_error_naming_it_and_leaves_nothing() {
    let r = tricky_register();
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"keep me").unwrap();
    let out = blocker.join("members.csv");
    for format in ExportFormat::ALL {
        let err =
            run(&r, &ListQuery::default(), *format, Language::Sv, &out).expect_err("must fail");
        assert_eq!(err.code(), "io", "{err}");
        assert!(err.to_string().contains(&*out.to_string_lossy()), "{err}");
        assert_eq!(files_in(dir.path()), ["not-a-folder"]);
        assert_eq!(std::fs::read(&blocker).unwrap(), b"keep me");
    }

    // A folder where the file should go: written, then refused at the end.
    let folder = dir.path().join("members.xlsx");
    std::fs::create_dir(&folder).unwrap();
    let err = run(
        &r,
        &ListQuery::default(),
        ExportFormat::Xlsx,
        Language::Sv,
        &folder,
    )
    .expect_err("must fail");
    assert_eq!(err.code(), "io", "{err}");
    assert_eq!(files_in(dir.path()), ["members.xlsx", "not-a-folder"]);
    assert!(files_in(&folder).is_empty());
}

#[test]
fn cancel_before_the_start_leaves_no_file() {
    let r = tricky_register();
    let dir = tempfile::tempdir().unwrap();
    let cancel = AtomicBool::new(true);
    for format in ExportFormat::ALL {
        let out = dir.path().join(format!("members.{format}"));
        let err = export::export(
            &r,
            &ListQuery::default(),
            *format,
            Language::Sv,
            &out,
            &mut |_| panic!("no progress after cancel"),
            &cancel,
        )
        .expect_err("cancelled");
        assert!(matches!(err, Error::Cancelled), "{err}");
        assert_eq!(err.code(), "cancelled");
    }
    assert!(files_in(dir.path()).is_empty());
}

fn demo_register(count: usize) -> SqliteRegister {
    let mut r = SqliteRegister::open_in_memory().unwrap();
    medlem_core::demo::create(&mut r, count).unwrap();
    r
}

#[test]
fn cancel_midway_removes_the_temp_file_and_keeps_the_old_export() {
    let r = demo_register(2500);
    let dir = tempfile::tempdir().unwrap();
    for format in ExportFormat::ALL {
        let out = dir.path().join(format!("members.{format}"));
        std::fs::write(&out, b"the previous export").unwrap();
        let cancel = AtomicBool::new(false);
        let mut seen = Vec::new();
        let err = export::export(
            &r,
            &ListQuery::default(),
            *format,
            Language::Sv,
            &out,
            &mut |n| {
                seen.push(n);
                cancel.store(true, Ordering::Relaxed);
            },
            &cancel,
        )
        .expect_err("cancelled");
        assert!(matches!(err, Error::Cancelled), "{err}");
        assert_eq!(seen, [1000], "{format}");
        assert_eq!(std::fs::read(&out).unwrap(), b"the previous export");
    }
    assert_eq!(
        files_in(dir.path()),
        ["members.csv", "members.json", "members.xlsx"]
    );
}

#[test]
fn progress_counts_every_thousand_and_the_total_replacing_an_old_file() {
    let r = demo_register(2500);
    let dir = tempfile::tempdir().unwrap();
    for format in ExportFormat::ALL {
        let out = dir.path().join(format!("members.{format}"));
        std::fs::write(&out, b"the previous export").unwrap();
        let mut seen = Vec::new();
        let summary = export::export(
            &r,
            &ListQuery::default(),
            *format,
            Language::Sv,
            &out,
            &mut |n| seen.push(n),
            &AtomicBool::new(false),
        )
        .unwrap();
        assert_eq!(summary, ExportSummary { members: 2500 });
        assert_eq!(seen, [1000, 2000, 2500], "{format}");
        assert_ne!(std::fs::read(&out).unwrap(), b"the previous export");
    }
    assert_eq!(
        files_in(dir.path()),
        ["members.csv", "members.json", "members.xlsx"]
    );
    let (_, rows) = read_csv(&dir.path().join("members.csv"));
    assert_eq!(rows.len(), 2501);
    let json: Vec<Member> =
        serde_json::from_slice(&std::fs::read(dir.path().join("members.json")).unwrap()).unwrap();
    assert_eq!(json, all_members(&r, &ListQuery::default()));
}
