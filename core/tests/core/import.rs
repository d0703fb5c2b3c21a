//! Import: encodings, separators, date forms, workbooks, preview, commit,
//! re-import, and bad files that change nothing.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use medlem_core::import::{ImportPreview, Mapping};
use medlem_core::*;

use crate::register;

fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn commit(r: &mut SqliteRegister, path: &Path) -> Result<import::ImportSummary> {
    commit_with(r, path, None)
}

fn commit_with(
    r: &mut SqliteRegister,
    path: &Path,
    mapping: Option<&Mapping>,
) -> Result<import::ImportSummary> {
    medlem_core::import::commit(
        r,
        path,
        mapping,
        &import::ImportOptions::default(),
        &mut |_, _| {},
        &AtomicBool::new(false),
    )
}

fn members(r: &dyn medlem_core::store::Store) -> Vec<Member> {
    let mut all = Vec::new();
    r.for_each_member(&ListQuery::default(), &mut |m| {
        all.push(m.clone());
        Ok(())
    })
    .unwrap();
    all
}

fn by_last<'a>(all: &'a [Member], last: &str) -> &'a Member {
    all.iter()
        .find(|m| m.contact.last_name == last)
        .unwrap_or_else(|| panic!("no {last}"))
}

fn counts(p: &ImportPreview) -> (usize, usize, usize, usize) {
    (p.new, p.updated, p.unchanged, p.problems.len())
}

/// Swedish headers as Excel saves them: UTF-8 with BOM, `;`, CRLF, quotes
/// around a separator, a quote and a line break.
const SWEDISH_CSV: &str = "\u{feff}Medlemsnr;Förnamn;Efternamn;Adress;Postnummer;Postort;E-post;Telefon;Inträdesdatum;Anteckningar\r\n\
1001;Åsa;Östlund;\"Storgatan 1; lgh 1102\";123 45;Växjö;asa@example.se;070-123 45 67;2019-03-01;\"Sa \"\"hej\"\"\r\nandra raden\"\r\n\
1002;Björn;Ängström;Kyrkvägen 2;411 03;Göteborg;bjorn@example.se;+46 31 12 34 56;01.02.2020;\r\n";

#[test]
fn a_swedish_excel_csv_with_bom_semicolons_and_quotes() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(dir.path(), "medlemmar.csv", SWEDISH_CSV.as_bytes());
    let mut r = register();
    let p = medlem_core::import::preview(&r, &path, None).unwrap();
    assert_eq!(
        (p.encoding.as_deref(), p.delimiter.as_deref()),
        (Some("UTF-8"), Some(";"))
    );
    assert_eq!(counts(&p), (2, 0, 0, 0), "{:?}", p.problems);
    let fields: Vec<_> = p
        .columns
        .iter()
        .map(|c| c.field.clone().unwrap_or_default())
        .collect();
    assert_eq!(fields[..3], ["number", "firstName", "lastName"]);
    assert!(members(&r).is_empty(), "preview writes nothing");

    let s = commit(&mut r, &path).unwrap();
    assert_eq!((s.new, s.updated, s.unchanged), (2, 0, 0));
    let all = members(&r);
    let asa = by_last(&all, "Östlund");
    assert_eq!(asa.number, "1001");
    assert_eq!(asa.contact.address.address1, "Storgatan 1; lgh 1102");
    assert_eq!(asa.contact.address.postcode, "123 45");
    assert_eq!(asa.contact.phone, "070-123 45 67");
    assert_eq!(asa.notes, "Sa \"hej\"\r\nandra raden");
    assert_eq!(asa.joined_date.unwrap().to_string(), "2019-03-01");
    let bjorn = by_last(&all, "Ängström");
    assert_eq!(
        bjorn.joined_date.unwrap().to_string(),
        "2020-02-01",
        "dd.mm.yyyy"
    );
    assert_eq!(bjorn.contact.phone, "+46 31 12 34 56");
}

#[test]
fn windows_1252_with_commas_and_danish_dates() {
    let dir = tempfile::tempdir().unwrap();
    // "Fornavn,Efternavn,Postnr.,By,Indmeldt\nSøren,Ærø,8000,Århus,15-06-2018\n" in Windows-1252.
    let bytes: &[u8] = b"Fornavn,Efternavn,Postnr.,By,Indmeldt\nS\xf8ren,\xc6r\xf8,8000,\xc5rhus,15-06-2018\nMette,Holm,0800,K\xf8ge,1/2/2021\n";
    let path = file(dir.path(), "medlemmer.csv", bytes);
    let mut r = register();
    let p = medlem_core::import::preview(&r, &path, None).unwrap();
    assert_eq!(
        (p.encoding.as_deref(), p.delimiter.as_deref()),
        (Some("windows-1252"), Some(","))
    );
    commit(&mut r, &path).unwrap();
    let all = members(&r);
    let soren = by_last(&all, "Ærø");
    assert_eq!(
        (
            soren.contact.first_name.as_str(),
            soren.contact.address.city.as_str()
        ),
        ("Søren", "Århus")
    );
    assert_eq!(soren.joined_date.unwrap().to_string(), "2018-06-15");
    let mette = by_last(&all, "Holm");
    assert_eq!(mette.contact.address.postcode, "0800", "leading zero kept");
    assert_eq!(
        mette.joined_date.unwrap().to_string(),
        "2021-02-01",
        "d/m/yyyy"
    );
}

#[test]
fn tab_separated_utf8_without_bom_with_lf() {
    let dir = tempfile::tempdir().unwrap();
    let text = "First name\tLast name\tEmail\tJoined\tMember number\nÉmile\tMüller\temile@example.com\t45352\t1001.0\n";
    let path = file(dir.path(), "members.tsv", text.as_bytes());
    let mut r = register();
    let p = medlem_core::import::preview(&r, &path, None).unwrap();
    assert_eq!(p.delimiter.as_deref(), Some("\t"));
    commit(&mut r, &path).unwrap();
    let m = &members(&r)[0];
    assert_eq!(m.number, "1001", "1001.0 is member number 1001");
    assert_eq!(
        m.joined_date.unwrap().to_string(),
        "2024-03-01",
        "Excel serial date"
    );
}

#[test]
fn an_xlsx_with_numbers_and_dates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("medlemmar.xlsx");
    {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for (c, h) in [
            "Medlemsnummer",
            "Förnamn",
            "Efternamn",
            "Postnummer",
            "Inträdesdatum",
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        ws.write_number(1, 0, 1001.0).unwrap();
        ws.write_string(1, 1, "Åsa").unwrap();
        ws.write_string(1, 2, "Östlund").unwrap();
        ws.write_string(1, 3, "123 45").unwrap();
        ws.write_datetime_with_format(1, 4, ExcelDateTime::from_ymd(2019, 3, 1).unwrap(), &date)
            .unwrap();
        wb.save(&path).unwrap();
    }
    let mut r = register();
    let p = medlem_core::import::preview(&r, &path, None).unwrap();
    assert_eq!(counts(&p), (1, 0, 0, 0), "{:?}", p.problems);
    commit(&mut r, &path).unwrap();
    let m = &members(&r)[0];
    assert_eq!(
        (m.number.as_str(), m.contact.address.postcode.as_str()),
        ("1001", "123 45")
    );
    assert_eq!(m.joined_date.unwrap().to_string(), "2019-03-01");
}

#[test]
fn an_ods_from_norway() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/members-nb.ods");
    let mut r = register();
    let p = medlem_core::import::preview(&r, &path, None).unwrap();
    assert_eq!(counts(&p), (2, 0, 0, 0), "{:?}", p.problems);
    commit(&mut r, &path).unwrap();
    let all = members(&r);
    let o = by_last(&all, "Ærø");
    assert_eq!(
        (o.number.as_str(), o.contact.address.postcode.as_str()),
        ("1001", "0150")
    );
    assert_eq!(o.joined_date.unwrap().to_string(), "2019-05-01");
    assert_eq!(
        o.workplace_name.as_deref(),
        Some("Bryggeriet"),
        "workplace created by name"
    );
}

#[test]
fn problems_are_listed_by_row_column_and_reason_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Förnamn;Efternamn;Födelsedatum;E-post;Medlemsnummer\n\
Anna;Berg;1980-01-01;anna@example.se;1\n\
Bo;Ek;31.02.1980;bo@example.se;2\n\
;Lind;;;3\n\
Cecilia;Holm;;cecilia@;4\n\
Dag;Dahl;;;2\n";
    let path = file(dir.path(), "fel.csv", text.as_bytes());
    let mut r = register();
    let p = medlem_core::import::preview(&r, &path, None).unwrap();
    let got: Vec<(usize, Option<&str>, &str, &str)> = p
        .problems
        .iter()
        .map(|x| {
            (
                x.row,
                x.column.as_deref(),
                x.code.as_str(),
                x.value.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (3, Some("Födelsedatum"), "invalid_day", "31.02.1980"),
            (4, Some("Förnamn"), "required", ""),
            (5, Some("E-post"), "invalid_email", "cecilia@"),
            (6, Some("Medlemsnummer"), "duplicate_in_file", "2"),
        ]
    );
    assert_eq!(p.new, 1);
    let err = commit(&mut r, &path).unwrap_err();
    assert_eq!(err.code(), "import_problems");
    assert!(members(&r).is_empty(), "all or nothing");
}

#[test]
fn re_importing_updates_by_number_or_email_and_records_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = register();
    let first = file(dir.path(), "a.csv", "Medlemsnummer;Förnamn;Efternamn;E-post;Postort;Telefon\n1001;Åsa;Östlund;asa@example.se;Växjö;070-1\n;Bo;Ek;bo@example.se;Malmö;\n".as_bytes());
    commit(&mut r, &first).unwrap();
    let before = members(&r);
    assert_eq!(before.len(), 2);
    let bo = by_last(&before, "Ek").clone();

    // Same file again: nothing changes.
    let p = medlem_core::import::preview(&r, &first, None).unwrap();
    assert_eq!(counts(&p), (0, 0, 2, 0));

    // An updated file without a phone column: Åsa moves (matched by number),
    // Bo changes name (matched by e-mail); the phone is kept.
    let second = file(dir.path(), "b.csv", "Medlemsnummer;Förnamn;Efternamn;E-post;Postort;Status\n1001;Åsa;Östlund;asa@example.se;Lund;Utträdd\n;Bosse;Ek;BO@example.se;Malmö;aktiv\n;Ny;Person;ny@example.se;Umeå;\n".as_bytes());
    let p = medlem_core::import::preview(&r, &second, None).unwrap();
    assert_eq!(counts(&p), (1, 2, 0, 0), "{:?}", p.problems);
    commit(&mut r, &second).unwrap();
    let after = members(&r);
    assert_eq!(after.len(), 3, "no duplicates");
    let asa = by_last(&after, "Östlund");
    assert_eq!(
        (
            asa.contact.address.city.as_str(),
            asa.contact.phone.as_str(),
            asa.status
        ),
        ("Lund", "070-1", Status::Resigned)
    );
    let bo2 = by_last(&after, "Ek");
    assert_eq!((bo2.id, bo2.contact.first_name.as_str()), (bo.id, "Bosse"));
    let h = r.history(asa.id).unwrap();
    let changes: Vec<_> = h
        .iter()
        .map(|e| (e.kind.as_str(), e.field.clone(), e.new_value.clone()))
        .collect();
    assert!(
        changes.contains(&("changed", Some("city".into()), Some("Lund".into()))),
        "{changes:?}"
    );
    assert!(
        changes.contains(&("status", Some("status".into()), Some("resigned".into()))),
        "{changes:?}"
    );
}

#[test]
fn rows_match_by_number_first_then_by_email() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = register();
    let a = file(dir.path(), "a.csv", "Medlemsnummer;Förnamn;Efternamn;E-post\n1;Anna;Berg;anna@example.se\n2;Bo;Ek;bo@example.se\n".as_bytes());
    commit(&mut r, &a).unwrap();
    // Number 2 is Bo's: the row updates Bo, whatever its e-mail says.
    let b = file(
        dir.path(),
        "b.csv",
        "E-post;Medlemsnummer;Förnamn;Efternamn\nnew@example.se;2;Bo;Ek\n".as_bytes(),
    );
    let p = medlem_core::import::preview(&r, &b, None).unwrap();
    assert_eq!(counts(&p), (0, 1, 0, 0));
    // An unknown number with Bo's e-mail: Bo, renumbered.
    let c = file(
        dir.path(),
        "c.csv",
        "Medlemsnummer;E-post;Förnamn;Efternamn\n77;bo@example.se;Bo;Ek\n".as_bytes(),
    );
    commit(&mut r, &c).unwrap();
    let all = members(&r);
    assert_eq!(all.len(), 2);
    assert_eq!(by_last(&all, "Ek").number, "77");
}

#[test]
fn random_bytes_and_files_without_the_needed_columns_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = register();
    let junk: Vec<u8> = (0..5000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    for name in ["junk.csv", "junk.xlsx", "junk.ods"] {
        let path = file(dir.path(), name, &junk);
        let err = medlem_core::import::preview(&r, &path, None).unwrap_err();
        assert_eq!(err.code(), "invalid_file", "{name}: {err}");
        assert_eq!(commit(&mut r, &path).unwrap_err().code(), "invalid_file");
    }
    let path = file(
        dir.path(),
        "shoes.csv",
        b"Skostorlek;Favoritf\xc3\xa4rg\n42;bl\xc3\xa5\n",
    );
    assert_eq!(
        medlem_core::import::preview(&r, &path, None)
            .unwrap_err()
            .code(),
        "missing_columns"
    );
    assert_eq!(commit(&mut r, &path).unwrap_err().code(), "missing_columns");
    let missing = dir.path().join("nope.csv");
    assert_eq!(
        medlem_core::import::preview(&r, &missing, None)
            .unwrap_err()
            .code(),
        "file_not_found"
    );
    assert!(members(&r).is_empty());
}

#[test]
fn hostile_strings_arrive_as_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = register();
    let text = "Förnamn;Efternamn;Anteckningar\n<script>alert(1)</script>;=HYPERLINK(\"http://evil\",\"x\");\"'); DROP TABLE members; --\"\n";
    let path = file(dir.path(), "ond.csv", text.as_bytes());
    commit(&mut r, &path).unwrap();
    let m = &members(&r)[0];
    assert_eq!(m.contact.first_name, "<script>alert(1)</script>");
    assert_eq!(m.contact.last_name, "=HYPERLINK(\"http://evil\",\"x\")");
    assert_eq!(m.notes, "'); DROP TABLE members; --");
}

#[test]
fn a_users_mapping_is_used_and_saved_for_the_next_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = register();
    let text = "Namn 1;Namn 2;Skostorlek\nAnna;Berg;38\n";
    let path = file(dir.path(), "egen.csv", text.as_bytes());
    assert_eq!(
        medlem_core::import::preview(&r, &path, None)
            .unwrap_err()
            .code(),
        "missing_columns"
    );
    let mapping: Mapping = vec![Some("firstName".into()), Some("lastName".into()), None];
    let p = medlem_core::import::preview(&r, &path, Some(&mapping)).unwrap();
    assert_eq!(counts(&p), (1, 0, 0, 0));
    commit_with(&mut r, &path, Some(&mapping)).unwrap();
    // Next month's file with the same headers maps itself.
    let next = file(
        dir.path(),
        "egen2.csv",
        "Namn 1;Namn 2;Skostorlek\nBo;Ek;44\n".as_bytes(),
    );
    let p = medlem_core::import::preview(&r, &next, None).unwrap();
    assert_eq!(counts(&p), (1, 0, 0, 0));
    let bad: Mapping = vec![Some("shoeSize".into())];
    assert_eq!(
        medlem_core::import::preview(&r, &path, Some(&bad))
            .unwrap_err()
            .code(),
        "validation"
    );
}

/// A register with every field, role, branch, workplace, status and a few
/// hostile strings, for round trips.
fn full_register() -> SqliteRegister {
    let mut r = register();
    fill(&mut r);
    r
}

/// Adds [`full_register`]'s branch, workplace and members to `r`.
pub(crate) fn fill(r: &mut SqliteRegister) {
    let b = r.create_branch("Klubb Väst").unwrap();
    let w = r.create_workplace("Verkstaden AB", Some(b.id)).unwrap();
    let rich = MemberInput {
        number: "0150".into(),
        kind: "member".into(),
        contact: medlem_core::Contact {
            address: medlem_core::PostalAddress {
                care_of: "c/o Ek".into(),
                address1: "Storgatan 1; lgh 1102".into(),
                address2: "Box 7".into(),
                postcode: "012 34".into(),
                city: "Växjö".into(),
                country: "SE".into(),
            },
            email: "asa@example.se".into(),
            phone: "+46 70 123 45 67".into(),
            ..crate::person("Åsa Märta", "Östlund-Ærø").contact
        },
        birth_date: Some("1980-02-29".into()),
        language: "da".into(),
        membership_type: "retired".into(),
        joined_date: Some("2001-09-01".into()),
        branch_id: Some(b.id),
        workplace_id: Some(w.id),
        notes: "Rad 1\nRad 2; \"citat\"\n=SUM(A1:A9)".into(),
        roles: vec![
            RoleInput {
                role: "chair".into(),
                from: "2020-01-01".into(),
                to: Some("2022-12-31".into()),
                ..Default::default()
            },
            RoleInput {
                role: "shop_steward".into(),
                from: "2023-01-01".into(),
                ..Default::default()
            },
        ],
        ..crate::person("Åsa Märta", "Östlund-Ærø")
    };
    r.create(&rich).unwrap();
    r.create(&MemberInput {
        kind: "prospect".into(),
        contact: medlem_core::Contact {
            email: "per@example.se".into(),
            ..crate::person("Per", "Kollega").contact
        },
        ..crate::person("Per", "Kollega")
    })
    .unwrap();
    let gone = r
        .create(&MemberInput {
            joined_date: Some("2010-01-01".into()),
            ..crate::person("=HYPERLINK(\"x\")", "-Minus")
        })
        .unwrap();
    r.set_status(
        gone.id,
        Status::Resigned,
        chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap(),
    )
    .unwrap();
    r.create(&MemberInput {
        number: "A-17".into(),
        notes: "@alla +1".into(),
        ..crate::person("<script>alert(1)</script>", "'); DROP TABLE members; --")
    })
    .unwrap();
}

/// What must survive a round trip: everything but ids and timestamps.
fn comparable(all: Vec<Member>) -> Vec<Member> {
    let mut all: Vec<Member> = all
        .into_iter()
        .map(|mut m| {
            m.id = 0;
            m.branch_id = None;
            m.workplace_id = None;
            let epoch = medlem_core::Timestamp::parse("2000-01-01T00:00:00Z").unwrap();
            m.created_at = epoch;
            m.updated_at = epoch;
            // How many saves made them (an import that sets a status after
            // the member writes two) is not what was exported.
            m.version = 1;
            for r in &mut m.roles {
                r.id = None;
            }
            m
        })
        .collect();
    all.sort_by(|a, b| a.number.cmp(&b.number));
    all
}

#[test]
fn an_export_imported_into_an_empty_register_gives_back_the_same_members() {
    let source = full_register();
    let expected = comparable(members(&source));
    assert_eq!(expected.len(), 4);
    let dir = tempfile::tempdir().unwrap();
    for format in export::ExportFormat::ALL {
        let out = dir.path().join(format!("alla.{}", format.extension()));
        export::export(
            &source,
            &ListQuery::default(),
            *format,
            Language::Sv,
            &out,
            &mut |_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
        let mut target = register();
        let p = medlem_core::import::preview(&target, &out, None).unwrap();
        assert_eq!(counts(&p), (4, 0, 0, 0), "{format}: {:?}", p.problems);
        commit(&mut target, &out).unwrap();
        assert_eq!(comparable(members(&target)), expected, "{format}");
        // And importing the same file again changes nothing.
        let p = medlem_core::import::preview(&target, &out, None).unwrap();
        assert_eq!(counts(&p), (0, 0, 4, 0), "{format} again");
    }
}

/// `file_too_large` naming what is over which limit, and nothing imported.
fn refused_as_too_large(r: &mut SqliteRegister, path: &Path, what: &str) {
    let before = members(r).len();
    for e in [
        medlem_core::import::preview(r, path, None).unwrap_err(),
        commit(r, path).unwrap_err(),
    ] {
        assert_eq!(e.code(), "file_too_large", "{e}");
        assert_eq!(e.details().part.as_deref(), Some(what), "{e}");
        assert!(e
            .details()
            .count
            .is_some_and(|n| e.to_string().contains(&n.to_string())));
    }
    assert_eq!(members(r).len(), before);
}

#[test]
fn files_over_the_limits_are_refused_before_they_fill_the_memory() {
    use medlem_core::import::table::{MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS};
    let dir = tempfile::tempdir().unwrap();
    let mut r = register();
    r.create(&crate::person("Åsa", "Östlund")).unwrap();

    // A file over the size limit (sparse: nothing is written to the disk).
    let huge = dir.path().join("huge.csv");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(MAX_FILE_BYTES as u64 + 1)
        .unwrap();
    refused_as_too_large(&mut r, &huge, "bytes");

    // A header of a million separators over 10 000 short rows.
    let mut text = format!("Förnamn;Efternamn{}\n", ";".repeat(1_000_000));
    for i in 0..10_000 {
        text.push_str(&format!("A{i};B\n"));
    }
    let wide = file(dir.path(), "wide.csv", text.as_bytes());
    refused_as_too_large(&mut r, &wide, "bytes in a line");
    // And a header with more columns than a member list has.
    let mut text = format!("Förnamn;Efternamn{}\n", ";x".repeat(MAX_COLUMNS));
    text.push_str("Bo;Ek\n");
    let many = file(dir.path(), "many.csv", text.as_bytes());
    refused_as_too_large(&mut r, &many, "columns");

    // More rows than a register holds.
    let mut text = String::from("Förnamn;Efternamn\n");
    for i in 0..=MAX_ROWS {
        text.push_str(&format!("A{i};B\n"));
    }
    let long = file(dir.path(), "long.csv", text.as_bytes());
    refused_as_too_large(&mut r, &long, "rows");

    // An xlsx with one cell at A1 and one in the sheet's last corner.
    let corner = dir.path().join("corner.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Förnamn").unwrap();
        ws.write_string(1_048_575, 16_383, "x").unwrap();
        wb.save(&corner).unwrap();
    }
    let e = medlem_core::import::preview(&r, &corner, None).unwrap_err();
    assert_eq!(e.code(), "file_too_large", "{e}");
    assert!(["rows", "columns"].contains(&e.details().part.as_deref().unwrap_or("")));

    // A zip bomb: a workbook whose zip says it unpacks to 4 GB.
    let small = dir.path().join("small.xlsx");
    {
        let mut wb = rust_xlsxwriter::Workbook::new();
        wb.add_worksheet().write_string(0, 0, "Förnamn").unwrap();
        wb.save(&small).unwrap();
    }
    let mut bytes = std::fs::read(&small).unwrap();
    // Every central directory entry (signature PK\1\2) claims 4 GB unpacked.
    let mut at = 0;
    while let Some(i) = bytes[at..].windows(4).position(|w| w == b"PK\x01\x02") {
        let entry = at + i;
        bytes[entry + 24..entry + 28].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        at = entry + 4;
    }
    let bomb = file(dir.path(), "bomb.xlsx", &bytes);
    refused_as_too_large(&mut r, &bomb, "unpacked bytes");

    // An ods of a few hundred bytes whose repeated rows and cells ask for
    // 22 million cells (calamine would fill gigabytes), or a million rows.
    for (rows, columns, what) in [(150_000, 150, "cells"), (1_000_000, 1, "rows")] {
        let bomb = dir.path().join(format!("bomb-{what}.ods"));
        std::fs::write(&bomb, ods_with_repeats(rows, columns)).unwrap();
        refused_as_too_large(&mut r, &bomb, what);
    }
    // The same file with a few repeats is read as usual.
    let fine = dir.path().join("fine.ods");
    std::fs::write(&fine, ods_with_repeats(3, 2)).unwrap();
    assert!(medlem_core::import::preview(&r, &fine, None).is_ok());
}

/// The Norwegian fixture with one more row, repeated `rows` times, of one
/// cell repeated `columns` times.
fn ods_with_repeats(rows: u32, columns: u32) -> Vec<u8> {
    use std::io::{Read, Write};
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/members-nb.ods");
    let mut src = zip::ZipArchive::new(std::fs::File::open(fixture).unwrap()).unwrap();
    let mut out = std::io::Cursor::new(Vec::new());
    let mut dst = zip::ZipWriter::new(&mut out);
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut data = String::new();
        f.read_to_string(&mut data).unwrap();
        if name == "content.xml" {
            let row = format!(
                "<table:table-row table:number-rows-repeated=\"{rows}\">\
                 <table:table-cell office:value-type=\"string\" table:number-columns-repeated=\"{columns}\">\
                 <text:p>x</text:p></table:table-cell></table:table-row></table:table>"
            );
            data = data.replacen("</table:table>", &row, 1);
        }
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        dst.start_file(name, stored).unwrap();
        dst.write_all(data.as_bytes()).unwrap();
    }
    dst.finish().unwrap();
    out.into_inner()
}

// Imports on both stores: the file and the office server, where a big one
// is written many rows at a time.
on_both! {
    fn a_cancelled_import_leaves_the_register_as_it_was(r) {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("Förnamn;Efternamn\n");
        for i in 0..2500 {
            text.push_str(&format!("Person{i};Efternamn{i}\n"));
        }
        let path = file(dir.path(), "stor.csv", text.as_bytes());
        let cancel = AtomicBool::new(false);
        let mut seen = Vec::new();
        let err = medlem_core::import::commit(
            r,
            &path,
            None,
            &import::ImportOptions::default(),
            &mut |done, total| {
                seen.push((done, total));
                if done >= 1000 {
                    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            },
            &cancel,
        )
        .unwrap_err();
        assert_eq!(err.code(), "cancelled");
        assert_eq!(seen[..2], [(0, 2500), (1000, 2500)]);
        assert!(members(&*r).is_empty());
        let mut last = (0, 0);
        let s = medlem_core::import::commit(
            r,
            &path,
            None,
            &import::ImportOptions::default(),
            &mut |d, t| last = (d, t),
            &AtomicBool::new(false),
        )
        .unwrap();
        assert_eq!((s.new, last), (2500, (2500, 2500)));
        // A bulk import rebuilds the search index: every new member is found.
        let found = r
            .list(&ListQuery {
                search: "efternamn2499".into(),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            (found.total, found.items[0].first_name.as_str()),
            (1, "Person2499")
        );
    }

    /// A big import (written in bulk): numbers kept or given after the
    /// highest in file order, workplaces made and searched, a history line
    /// of each, and every member readable at once.
    fn a_big_import_numbers_and_records_every_member_as_a_small_one_would(r) {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::from("Medlemsnr;Förnamn;Efternamn;Arbetsplats\n");
        for i in 0..2100 {
            let number = if i < 100 { (7001 + i).to_string() } else { String::new() };
            text.push_str(&format!("{number};Person{i};Ek;Verkstad{}\n", i % 3));
        }
        let path = file(dir.path(), "stor.csv", text.as_bytes());
        let s = medlem_core::import::commit(
            r,
            &path,
            None,
            &import::ImportOptions::default(),
            &mut |_, _| {},
            &AtomicBool::new(false),
        )
        .unwrap();
        assert_eq!(s.new, 2100);
        let all = members(&*r);
        assert_eq!(all.len(), 2100);
        for m in &all {
            let i: i64 = m.contact.first_name["Person".len()..].parse().unwrap();
            assert_eq!(m.number, (7001 + i).to_string(), "{}", m.contact.first_name);
            assert_eq!(
                m.workplace_name.as_deref(),
                Some(format!("Verkstad{}", i % 3).as_str())
            );
        }
        let found = r
            .list(&ListQuery {
                search: "verkstad1 person20".into(),
                ..Default::default()
            })
            .unwrap();
        // Person20, Person200..209 and Person2000..2099 at Verkstad1.
        let expect = all
            .iter()
            .filter(|m| {
                m.contact.first_name.starts_with("Person20")
                    && m.workplace_name.as_deref() == Some("Verkstad1")
            })
            .count();
        assert_eq!(found.total as usize, expect);
        let last = s.ids[2099];
        let kinds: Vec<String> = r
            .history(last)
            .unwrap()
            .iter()
            .map(|h| h.kind.as_str().to_owned())
            .collect();
        assert_eq!(kinds.len(), 2, "{kinds:?}");
        assert!(kinds.contains(&"created".to_owned()), "{kinds:?}");
        // The next member added by hand gets the next number.
        let next = r.create(&crate::person("Ny", "Medlem")).unwrap();
        assert_eq!(next.number, "9101");
    }
}
