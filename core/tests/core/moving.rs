//! Moving a whole register between a file and the office server: every row
//! of every table there and back unchanged, the server's register working
//! on after the move, and refusals and cancellations that leave the place
//! moved to as it was.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::Datelike;
use medlem_core::dates::today;
use medlem_core::dues::{fees, pay};
use medlem_core::grants::{self, outgoing, ApplicationInput, FundInput, LineInput, StepInput};
use medlem_core::letters::{self, TemplateInput};
use medlem_core::meetings::{self, agm, InviteSelection, MeetingInput};
use medlem_core::store::postgres::moving::{Moved, TABLES};
use medlem_core::store::Store;
use medlem_core::types::dues::MemberDues;
use medlem_core::*;

use crate::backends::new_database;
use crate::bank_import::camt;
use crate::payments::{billed_org, hand};
use crate::person;

/// Not cancelled.
fn go() -> AtomicBool {
    AtomicBool::new(false)
}

fn org() -> OrgInput {
    OrgInput {
        name: "Fackklubben Verkstaden".into(),
        country: "SE".into(),
        ..Default::default()
    }
}

/// The id of the member numbered `number`.
fn id_of(r: &dyn Store, number: &str) -> i64 {
    r.member_by_number(number)
        .expect("read")
        .unwrap_or_else(|| panic!("no member {number}"))
}

/// A register file at `path` with at least one row in every table: the
/// members of [`crate::import::fill`] (every field, roles, a branch and a
/// workplace, hostile strings, Nordic letters), dues billed, paid by hand
/// and by a bank file, the books exported, a letter template and the logo,
/// an annual general meeting with invitations, a reply and a frozen voter
/// roll, a fund with an application (lines, a step, an attachment) and one
/// of the club's own applications.
fn filled(path: &Path) -> SqliteRegister {
    let mut r = medlem_core::open(path).expect("a new file");
    r.create_org(&org()).expect("org");
    crate::import::fill(&mut r);
    let invoices = billed_org(&mut r);
    let anna = id_of(&r, "1001");
    let bo = invoices
        .iter()
        .find(|i| i.member == "1002")
        .expect("Bo's invoice")
        .clone();
    fees::set_member_dues(
        &mut r,
        anna,
        &MemberDues {
            income_band: Some("hög".into()),
            payer_id: None,
        },
    )
    .expect("member dues");
    pay::add(&mut r, &hand(anna, "1200")).expect("paid by hand");
    let file = camt("MOVE-1", &[("T1", bo.amount, &bo.reference)]);
    let read = pay::import(&mut r, &file, "camt054.xml", false).expect("bank file");
    assert_eq!(read.matched.len(), 1);
    books::export(
        &mut r,
        &books::ExportInput {
            format: "sie4".into(),
            from: "2000-01-01".into(),
            to: "2099-12-31".into(),
            all: false,
        },
        &path.with_file_name("bokföring.se"),
    )
    .expect("books");
    letters::save_template(
        &mut r,
        &TemplateInput {
            key: "notice".into(),
            language: "sv".into(),
            subject: "Årsmöte – «kallelse» €100".into(),
            body: "Hej {{ member.first_name }}!\n\nåäö æø\t=HYPERLINK(\"x\") \\N".into(),
        },
        LETTER_KINDS,
    )
    .expect("template");
    let logo = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/logo.png"
    ));
    letters::set_logo(&mut r, Some(logo)).expect("logo");
    let m = meetings::create(
        &mut r,
        &MeetingInput {
            kind: "annual_general_meeting".into(),
            title: "Årsmöte – Östlund & Ærø".into(),
            starts: format!("{}-03-16 18:00", today().year() + 1),
            ends: "20:00".into(),
            venue: "Folkets hus, Storgatan 1".into(),
            capacity: Some(10),
            guests_allowed: true,
            ..Default::default()
        },
    )
    .expect("meeting");
    meetings::invite(&mut r, m.id, &InviteSelection::default()).expect("invited");
    meetings::reply(&mut r, m.id, anna, true).expect("reply");
    agm::freeze_voters(&mut r, m.id, today()).expect("voter roll");
    let fund = grants::fund_create(
        &mut r,
        &FundInput {
            name: "Initiativpotten".into(),
            period: "2027".into(),
            budget: "25 000".into(),
            cap: "10 000".into(),
            ..Default::default()
        },
    )
    .expect("fund");
    let application = grants::apply(
        &mut r,
        &ApplicationInput {
            fund_id: fund.id,
            applicant_kind: "member".into(),
            applicant: grants::Applicant {
                member_id: Some(anna),
                ..Default::default()
            },
            title: "Studiecirkel i bokföring".into(),
            lines: vec![
                LineInput {
                    item: "Lokal".into(),
                    amount: "2000".into(),
                },
                LineInput {
                    item: "Fika på Café Ørn".into(),
                    amount: "1500,50".into(),
                },
            ],
            amount: "3500,50".into(),
            ..Default::default()
        },
    )
    .expect("application")
    .application
    .id;
    grants::step(
        &mut r,
        application,
        &StepInput {
            step: "submit".into(),
            ..Default::default()
        },
    )
    .expect("submitted");
    grants::attach(
        &mut r,
        application,
        "budget.xlsx",
        b"PK\x03\x04\x00\xff\\N\t\n",
    )
    .expect("attachment");
    outgoing::save(
        &mut r,
        None,
        &outgoing::OutgoingInput {
            funder: "Förbundet".into(),
            title: "Kurs i förhandling".into(),
            amount: "15000".into(),
            deadline: "2027-05-01".into(),
            ..Default::default()
        },
    )
    .expect("outgoing");
    r
}

/// The rows of every table in the file.
fn counts(r: &SqliteRegister) -> Vec<(&'static str, i64)> {
    TABLES
        .iter()
        .map(|t| {
            let n = r
                .connection()
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |row| row.get(0))
                .expect("count");
            (*t, n)
        })
        .collect()
}

/// One value of the file as text, its type with it.
fn show(v: rusqlite::types::ValueRef) -> String {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => "NULL".into(),
        ValueRef::Integer(i) => format!("int {i}"),
        ValueRef::Real(f) => format!("real {f}"),
        ValueRef::Text(t) => format!("text {:?}", String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => format!("blob {b:02x?}"),
    }
}

/// Every row of `table` in the file, in order, each value as [`show`]s it.
fn rows(r: &SqliteRegister, table: &str) -> Vec<Vec<String>> {
    let mut stmt = r
        .connection()
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
        .expect("select");
    let n = stmt.column_count();
    stmt.query_map([], |row| {
        (0..n)
            .map(|i| Ok(show(row.get_ref(i)?)))
            .collect::<rusqlite::Result<Vec<String>>>()
    })
    .expect("rows")
    .collect::<rusqlite::Result<_>>()
    .expect("rows")
}

/// Every table of the file, as [`rows`].
fn file_dump(r: &SqliteRegister) -> Vec<(&'static str, Vec<Vec<String>>)> {
    TABLES.iter().map(|t| (*t, rows(r, t))).collect()
}

/// Every row of every table in the server database at `url`, as the
/// server writes a row as text.
fn server_dump(url: &str) -> Vec<(&'static str, Vec<String>)> {
    let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    TABLES
        .iter()
        .map(|t| {
            let rows = c
                .query(&format!("SELECT x::text FROM {t} x ORDER BY 1"), &[])
                .expect("rows")
                .iter()
                .map(|r| r.get(0))
                .collect();
            (*t, rows)
        })
        .collect()
}

/// The rows of each table on the server at `url`.
fn server_counts(dump: &[(&'static str, Vec<String>)]) -> Vec<(&'static str, i64)> {
    dump.iter().map(|(t, r)| (*t, r.len() as i64)).collect()
}

fn moved_counts(m: &Moved) -> Vec<(&'static str, i64)> {
    TABLES.iter().map(|t| (*t, m.rows(t))).collect()
}

fn found(r: &dyn Store, text: &str) -> Vec<String> {
    let page = r
        .list(&ListQuery {
            search: text.into(),
            ..Default::default()
        })
        .expect("search");
    let mut names: Vec<String> = page.items.iter().map(|m| m.last_name.clone()).collect();
    names.sort();
    names
}

#[test]
fn the_fixture_fills_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let r = filled(&dir.path().join("register.medlem"));
    let empty: Vec<_> = counts(&r).into_iter().filter(|(_, n)| *n == 0).collect();
    assert!(empty.is_empty(), "tables without a row: {empty:?}");
}

#[test]
fn a_register_moved_to_the_server_and_back_is_the_same_row_for_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = filled(&dir.path().join("register.medlem"));
    let before = file_dump(&file);
    let url = new_database();
    let mut server = PgRegister::open(&url).expect("open on the server");

    let mut calls = Vec::new();
    let into = server
        .copy_from_file(&file, &mut |done, of| calls.push((done, of)), &go())
        .expect("moved to the server");
    assert_eq!(moved_counts(&into), counts(&file));
    assert_eq!(server_counts(&server_dump(&url)), counts(&file));
    let n = TABLES.len();
    assert_eq!(calls, (1..=n).map(|d| (d, n)).collect::<Vec<_>>());

    let back = medlem_core::open(&dir.path().join("back.medlem")).expect("a new file");
    let out = server
        .copy_to_file(&back, &mut |_, _| {}, &go())
        .expect("moved back");
    assert_eq!(moved_counts(&out), counts(&file));
    let after = file_dump(&back);
    for ((table, a), (_, b)) in before.iter().zip(&after) {
        assert_eq!(a, b, "{table}");
    }
    assert_eq!(file_dump(&file), before, "the file moved is left as it was");

    // The server's register works as the file's did.
    let asa = id_of(&file, "0150");
    assert_eq!(server.get(asa).unwrap(), file.get(asa).unwrap());
    // Lines from the file name no officer (not the one who moved them).
    assert_eq!(server.history(asa).unwrap(), file.history(asa).unwrap());
    let gone = file
        .list(&ListQuery {
            search: "hyperlink".into(),
            ..Default::default()
        })
        .unwrap()
        .items[0]
        .id;
    assert_eq!(server.history(gone).unwrap(), file.history(gone).unwrap());
    assert!(server.history(gone).unwrap().len() > 1);
    assert_eq!(
        server.list(&ListQuery::default()).unwrap(),
        file.list(&ListQuery::default()).unwrap()
    );
    for word in ["östlund", "Östlund", "åsa", "ærø", "växjö", "verkstaden"] {
        assert_eq!(
            found(&server, word),
            ["Östlund-Ærø"],
            "{word} on the server"
        );
        assert_eq!(
            found(&back, word),
            ["Östlund-Ærø"],
            "{word} in the file back"
        );
    }

    // New rows on the server get the ids and number the file would have
    // given them: after the moved ones, not on them.
    let on_file = file.create(&person("Nils", "Ny")).unwrap();
    let on_server = server.create(&person("Nils", "Ny")).unwrap();
    assert_eq!(
        (on_server.id, on_server.number.as_str()),
        (on_file.id, on_file.number.as_str())
    );
    let written = server.history(on_server.id).unwrap();
    assert_eq!(written.len(), 1);
    assert!(written[0].by.is_some(), "a new line names its officer");
    let meeting = |r: &mut dyn Store| {
        meetings::create(
            r,
            &MeetingInput {
                kind: "social".into(),
                title: "Julfest".into(),
                starts: format!("{}-12-13 18:00", today().year() + 1),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    };
    let fund = |r: &mut dyn Store| {
        grants::fund_create(
            r,
            &FundInput {
                name: "Studiefonden".into(),
                period: "2028".into(),
                budget: "5000".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .id
    };
    let cilla = id_of(&file, "1003");
    let paid = |r: &mut dyn Store| pay::add(r, &hand(cilla, "100")).unwrap().id;
    assert_eq!(meeting(&mut server), meeting(&mut file));
    assert_eq!(fund(&mut server), fund(&mut file));
    assert_eq!(paid(&mut server), paid(&mut file));
    assert_eq!(meetings::list(&server).unwrap().len(), 2);
}

#[test]
fn a_server_database_that_holds_a_register_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let file = filled(&dir.path().join("register.medlem"));
    let url = new_database();
    let mut server = PgRegister::open(&url).expect("open on the server");
    server.create_org(&org()).unwrap();
    server.create(&person("Åsa", "Östlund")).unwrap();
    let before = server_dump(&url);
    let e = server
        .copy_from_file(&file, &mut |_, _| {}, &go())
        .unwrap_err();
    assert_eq!(e.code(), "register_not_empty", "{e}");
    assert_eq!(server_dump(&url), before);
    assert_eq!(found(&server, "östlund"), ["Östlund"]);
}

#[test]
fn a_file_that_holds_a_register_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let url = new_database();
    let mut server = PgRegister::open(&url).expect("open on the server");
    server
        .copy_from_file(
            &filled(&dir.path().join("register.medlem")),
            &mut |_, _| {},
            &go(),
        )
        .expect("moved to the server");
    let mut target = medlem_core::open(&dir.path().join("other.medlem")).unwrap();
    target.create_org(&org()).unwrap();
    let before = file_dump(&target);
    let e = server
        .copy_to_file(&target, &mut |_, _| {}, &go())
        .unwrap_err();
    assert_eq!(e.code(), "register_not_empty", "{e}");
    assert_eq!(file_dump(&target), before);
    assert!(target.list(&ListQuery::default()).unwrap().items.is_empty());
}

#[test]
fn a_cancelled_move_to_the_server_keeps_nothing_and_can_be_done_again() {
    let dir = tempfile::tempdir().unwrap();
    let file = filled(&dir.path().join("register.medlem"));
    let url = new_database();
    let mut server = PgRegister::open(&url).expect("open on the server");
    let empty = server_dump(&url);
    assert!(empty
        .iter()
        .all(|(t, rows)| rows.is_empty() || *t == "settings"));
    // The member tables' indexes and references wait while the rows are
    // copied, and are all there again however the move ends.
    let every_index = crate::server::indexes(&url);

    let e = server
        .copy_from_file(&file, &mut |_, _| {}, &AtomicBool::new(true))
        .unwrap_err();
    assert_eq!(e.code(), "cancelled", "{e}");
    assert_eq!(server_dump(&url), empty);

    let cancel = go();
    let mut calls = Vec::new();
    let e = server
        .copy_from_file(
            &file,
            &mut |done, of| {
                calls.push((done, of));
                cancel.store(true, Ordering::Relaxed);
            },
            &cancel,
        )
        .unwrap_err();
    assert_eq!(e.code(), "cancelled", "{e}");
    assert_eq!(calls, [(1, TABLES.len())], "stopped after the first table");
    assert_eq!(server_dump(&url), empty);
    assert_eq!(crate::server::indexes(&url), every_index);

    let moved = server
        .copy_from_file(&file, &mut |_, _| {}, &go())
        .expect("moved after all");
    assert_eq!(moved_counts(&moved), counts(&file));
    assert_eq!(found(&server, "östlund"), ["Östlund-Ærø"]);
    assert_eq!(crate::server::indexes(&url), every_index);
}

#[test]
fn a_cancelled_move_to_a_file_keeps_nothing_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = filled(&dir.path().join("register.medlem"));
    let url = new_database();
    let mut server = PgRegister::open(&url).expect("open on the server");
    server
        .copy_from_file(&file, &mut |_, _| {}, &go())
        .expect("moved to the server");
    let on_server = server_dump(&url);
    let target = medlem_core::open(&dir.path().join("back.medlem")).unwrap();
    let empty = file_dump(&target);
    assert!(counts(&target)
        .iter()
        .all(|(t, n)| *n == 0 || *t == "settings"));

    let e = server
        .copy_to_file(&target, &mut |_, _| {}, &AtomicBool::new(true))
        .unwrap_err();
    assert_eq!(e.code(), "cancelled", "{e}");
    assert_eq!(file_dump(&target), empty);

    let cancel = go();
    let mut calls = Vec::new();
    let e = server
        .copy_to_file(
            &target,
            &mut |done, of| {
                calls.push((done, of));
                cancel.store(true, Ordering::Relaxed);
            },
            &cancel,
        )
        .unwrap_err();
    assert_eq!(e.code(), "cancelled", "{e}");
    assert_eq!(calls, [(1, TABLES.len())], "stopped after the first table");
    assert_eq!(file_dump(&target), empty);
    assert_eq!(server_dump(&url), on_server, "the server is only read");

    let moved = server
        .copy_to_file(&target, &mut |_, _| {}, &go())
        .expect("moved after all");
    assert_eq!(moved_counts(&moved), counts(&file));
    assert_eq!(file_dump(&target), file_dump(&file));
}
