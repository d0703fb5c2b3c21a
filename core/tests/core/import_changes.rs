//! Import, issue 14 item 3: the preview lists every member a row would
//! change, field by field; the commit leaves out updates or single members
//! as chosen, names the file in each member's history, and is refused when
//! the register or the file changed since the preview.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use medlem_core::import::{FieldChange, ImportOptions, ImportSummary, MemberChange, Updates};
use medlem_core::store::Reads;
use medlem_core::*;

use crate::{person, register};

fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn commit(r: &mut SqliteRegister, path: &Path, options: &ImportOptions) -> Result<ImportSummary> {
    medlem_core::import::commit(
        r,
        path,
        None,
        options,
        &mut |_, _| {},
        &AtomicBool::new(false),
    )
}

fn add(r: &mut SqliteRegister, number: &str, first: &str, last: &str, city: &str) -> Member {
    let mut m = person(first, last);
    m.number = number.into();
    m.contact.address.city = city.into();
    r.create(&m).unwrap()
}

fn change(field: &str, old: &str, new: &str) -> FieldChange {
    FieldChange {
        field: field.into(),
        old: old.into(),
        new: new.into(),
    }
}

fn by_number(r: &SqliteRegister, number: &str) -> Option<Member> {
    r.member_by_number(number)
        .unwrap()
        .map(|id| r.get(id).unwrap())
}

fn total(r: &SqliteRegister) -> i64 {
    r.list(&ListQuery::default()).unwrap().total
}

/// Åsa (1001) in Växjö and Bo (1002) in Malmö.
fn two_members() -> (SqliteRegister, Member, Member) {
    let mut r = register();
    let asa = add(&mut r, "1001", "Åsa", "Östlund", "Växjö");
    let bo = add(&mut r, "1002", "Bo", "Ek", "Malmö");
    (r, asa, bo)
}

/// Renames Åsa and moves her to a new branch, Bo as he is, and a new member.
const FILE: &str = "Medlemsnummer;Förnamn;Efternamn;Postort;Avdelning\n\
1001;Åsa;Lund;Växjö;Norra\n\
1002;Bo;Ek;Malmö;\n\
1003;Ny;Person;Umeå;\n";

#[test]
fn the_preview_lists_each_changed_field_old_to_new_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (r, asa, _) = two_members();
    let path = file(dir.path(), "medlemmar.csv", FILE);
    let p = medlem_core::import::preview(&r, &path, None).unwrap();
    assert_eq!(
        (p.new, p.updated, p.unchanged, p.problems.len()),
        (1, 1, 1, 0)
    );
    assert_eq!(
        p.changes,
        [MemberChange {
            row: 2,
            id: asa.id,
            number: "1001".into(),
            first_name: "Åsa".into(),
            last_name: "Östlund".into(),
            fields: vec![
                change("lastName", "Östlund", "Lund"),
                change("branch", "", "Norra"),
            ],
        }],
        "only what really changes: the city and first name stay out"
    );
    assert_eq!(p.fingerprint.len(), 16);
    assert_eq!(
        medlem_core::import::preview(&r, &path, None)
            .unwrap()
            .fingerprint,
        p.fingerprint,
        "the same file and register give the same fingerprint"
    );
    assert_eq!(total(&r), 2, "the preview writes nothing");
}

#[test]
fn a_status_and_roles_show_as_changes_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let (r, asa, _) = two_members();
    let path = file(
        dir.path(),
        "status.csv",
        "Medlemsnummer;Status;Statusdatum;Uppdrag\n1001;Utträdd;2024-05-31;chair 2024-01-01..\n",
    );
    let p = medlem_core::import::preview(&r, &path, None).unwrap();
    assert_eq!(p.changes.len(), 1);
    assert_eq!(
        p.changes[0].fields,
        [
            change("status", "active", "resigned"),
            change("statusDate", &asa.status_date.to_string(), "2024-05-31"),
            change("roles", "", "chair 2024-01-01.."),
        ]
    );
}

#[test]
fn without_updates_only_new_members_are_created_and_nobody_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, asa, _) = two_members();
    let path = file(dir.path(), "medlemmar.csv", FILE);
    let p = medlem_core::import::preview(&r, &path, None).unwrap();
    let s = commit(
        &mut r,
        &path,
        &ImportOptions {
            updates: Updates::None,
            fingerprint: Some(p.fingerprint),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((s.new, s.updated, s.unchanged, s.skipped), (1, 0, 1, 1));
    let after = by_number(&r, "1001").unwrap();
    assert_eq!(after, asa, "Åsa is not changed at all");
    assert_eq!(r.history(asa.id).unwrap().len(), 1, "only her creation");
    assert!(
        r.branches().unwrap().is_empty(),
        "her new branch is not made"
    );
    assert_eq!(by_number(&r, "1003").unwrap().contact.last_name, "Person");
}

#[test]
fn a_member_left_out_stays_as_they_were_and_the_others_change() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, asa, bo) = two_members();
    let path = file(
        dir.path(),
        "flytt.csv",
        "Medlemsnummer;Förnamn;Efternamn;Postort\n1001;Åsa;Östlund;Lund\n1002;Bo;Ek;Lund\n",
    );
    let p = medlem_core::import::preview(&r, &path, None).unwrap();
    let rows: Vec<_> = p.changes.iter().map(|c| (c.row, c.id)).collect();
    assert_eq!(rows, [(2, asa.id), (3, bo.id)]);
    let s = commit(
        &mut r,
        &path,
        &ImportOptions {
            skip_rows: vec![2],
            fingerprint: Some(p.fingerprint),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((s.new, s.updated, s.skipped), (0, 1, 1));
    assert_eq!(by_number(&r, "1001").unwrap(), asa, "left out: untouched");
    assert_eq!(by_number(&r, "1002").unwrap().contact.address.city, "Lund");
}

#[test]
fn each_members_history_names_the_file_not_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, asa, bo) = two_members();
    std::fs::create_dir(dir.path().join("Hemligt")).unwrap();
    let path = file(&dir.path().join("Hemligt"), "medlemmar.csv", FILE);
    commit(&mut r, &path, &ImportOptions::default()).unwrap();
    let imported = |id: i64| -> Vec<Option<String>> {
        r.history(id)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == HistoryKind::Imported)
            .map(|e| e.new_value)
            .collect()
    };
    let new = by_number(&r, "1003").unwrap();
    assert_eq!(imported(asa.id), [Some("medlemmar.csv".to_owned())]);
    assert_eq!(imported(new.id), [Some("medlemmar.csv".to_owned())]);
    assert!(imported(bo.id).is_empty(), "Bo was not changed");
    // Newest first: the file's line above the changes it made.
    let h = r.history(asa.id).unwrap();
    let kinds: Vec<_> = h.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            HistoryKind::Imported,
            HistoryKind::Changed,
            HistoryKind::Changed,
            HistoryKind::Created
        ]
    );
}

#[test]
fn a_register_or_file_changed_since_the_preview_is_refused_until_previewed_again() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, asa, bo) = two_members();
    let path = file(dir.path(), "medlemmar.csv", FILE);
    let seen = medlem_core::import::preview(&r, &path, None)
        .unwrap()
        .fingerprint;

    // A member the file does not change is edited: the preview still holds.
    let mut other = person("Cecilia", "Berg");
    other.number = "2000".into();
    let cecilia = r.create(&other).unwrap();
    other.contact.address.city = "Kiruna".into();
    r.update(cecilia.id, &other).unwrap();
    assert_eq!(
        medlem_core::import::preview(&r, &path, None)
            .unwrap()
            .fingerprint,
        seen
    );

    // Åsa is renamed after the preview: what it showed (Östlund -> Lund)
    // is no longer what would happen.
    let mut edit = person("Åsa", "Holm");
    edit.number = "1001".into();
    edit.contact.address.city = "Växjö".into();
    r.update(asa.id, &edit).unwrap();
    let options = ImportOptions {
        fingerprint: Some(seen.clone()),
        ..Default::default()
    };
    let err = commit(&mut r, &path, &options).unwrap_err();
    assert_eq!(err.code(), "import_changed");
    assert_eq!(total(&r), 3, "nothing written");
    assert_eq!(by_number(&r, "1001").unwrap().contact.last_name, "Holm");

    // Bo edited so that the row that left him unchanged would now change him.
    let mut r2 = two_members().0;
    let seen2 = medlem_core::import::preview(&r2, &path, None)
        .unwrap()
        .fingerprint;
    let mut moved = person("Bo", "Ek");
    moved.number = "1002".into();
    moved.contact.address.city = "Ystad".into();
    let bo2 = r2.member_by_number("1002").unwrap().unwrap();
    assert_eq!(bo2, bo.id);
    r2.update(bo2, &moved).unwrap();
    let err = commit(
        &mut r2,
        &path,
        &ImportOptions {
            fingerprint: Some(seen2),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), "import_changed");

    // The file changed: refused too.
    std::fs::write(&path, FILE.replace("Umeå", "Luleå")).unwrap();
    let err = commit(&mut r, &path, &options).unwrap_err();
    assert_eq!(err.code(), "import_changed");

    // Previewed again, it goes through and shows what it did.
    let p = medlem_core::import::preview(&r, &path, None).unwrap();
    assert_eq!(p.changes[0].fields[0], change("lastName", "Holm", "Lund"));
    let s = commit(
        &mut r,
        &path,
        &ImportOptions {
            fingerprint: Some(p.fingerprint),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((s.new, s.updated), (1, 1));
    assert_eq!(by_number(&r, "1001").unwrap().contact.last_name, "Lund");
}
