//! Backups: round trip, and every way a backup can be bad.

use std::path::{Path, PathBuf};

use medlem_core::backup::{self, Unlock};
use medlem_core::*;

use crate::{person, register};

const PASS: &str = "korrekt häst batteri";

/// A register on disk with members, history and a passphrase (weak scrypt
/// work factor so tests run fast).
fn on_disk(dir: &Path) -> (PathBuf, SqliteRegister) {
    let path = dir.join("data").join("medlem.sqlite");
    let mut r = SqliteRegister::open(&path).unwrap();
    r.create_org(&OrgInput {
        name: "Fackklubben Verkstaden".into(),
        country: "SE".into(),
        ..Default::default()
    })
    .unwrap();
    let m = r
        .create(&MemberInput {
            city: "Malmö".into(),
            ..person("Åsa", "Östlund")
        })
        .unwrap();
    r.update(
        m.id,
        &MemberInput {
            number: m.number.clone(),
            city: "Lund".into(),
            ..person("Åsa", "Östlund")
        },
    )
    .unwrap();
    r.create(&person("Søren", "Ærø")).unwrap();
    backup::set_passphrase(&r, PASS, Some(4)).unwrap();
    (path, r)
}

fn pass(p: &str) -> Unlock<'static> {
    Unlock::Passphrase(p.to_owned().into())
}

fn code<T: std::fmt::Debug>(r: Result<T>) -> String {
    r.unwrap_err().code().to_owned()
}

fn snapshot(r: &SqliteRegister) -> (Vec<Member>, Vec<Vec<HistoryEntry>>) {
    let page = r
        .list(&ListQuery {
            limit: 500,
            ..Default::default()
        })
        .unwrap();
    let members: Vec<Member> = page.items.iter().map(|m| r.get(m.id).unwrap()).collect();
    let history = members.iter().map(|m| r.history(m.id).unwrap()).collect();
    (members, history)
}

#[test]
fn backup_then_restore_on_another_computer_gives_the_same_register() {
    let dir = tempfile::tempdir().unwrap();
    let (_, r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    let report = backup::backup(&r, &stick, &mut |_| {}).unwrap();
    assert!(report
        .file
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("Fackklubben-Verkstaden-"));
    assert_eq!(report.file.extension().unwrap(), backup::EXTENSION);
    assert_eq!(
        (report.info.members, report.info.organisation.as_str()),
        (2, "Fackklubben Verkstaden")
    );
    assert!(stick.join(backup::KEY_FILE).exists());
    assert_eq!(
        backup::last_backup_at(&r).unwrap().as_deref(),
        Some(report.info.created_at.as_str())
    );
    // No plaintext on the stick.
    let bytes = std::fs::read(&report.file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    let needle = "Östlund".as_bytes();
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));

    // Another computer: a fresh data folder, only the stick and the passphrase.
    let other = dir.path().join("other").join("medlem.sqlite");
    let info = backup::verify(&report.file, &pass(PASS)).unwrap();
    assert_eq!(info, report.info);
    let done = backup::restore(&other, &report.file, &pass(PASS)).unwrap();
    assert_eq!(
        done.safety_copy, None,
        "nothing to keep on a fresh computer"
    );
    let restored = SqliteRegister::open(&other).unwrap();
    assert_eq!(
        snapshot(&restored),
        snapshot(&r),
        "same members and history"
    );
    assert!(
        restored
            .connection()
            .prepare("SELECT * FROM backup_info")
            .is_err(),
        "no backup table left"
    );
}

#[test]
fn restore_over_a_register_keeps_a_safety_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    let report = backup::backup(&r, &stick, &mut |_| {}).unwrap();
    r.create(&person("Efter", "Backupen")).unwrap();
    let before = snapshot(&r);
    drop(r);
    let done = backup::restore(
        &path,
        &report.file,
        &Unlock::Passphrase(PASS.to_owned().into()),
    )
    .unwrap();
    let restored = SqliteRegister::open(&path).unwrap();
    assert_eq!(restored.list(&ListQuery::default()).unwrap().total, 2);
    let safety = SqliteRegister::open(&done.safety_copy.unwrap()).unwrap();
    assert_eq!(
        snapshot(&safety),
        before,
        "the safety copy is the register as it was"
    );
}

#[test]
fn a_wrong_passphrase_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, r) = on_disk(dir.path());
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |_| {}).unwrap();
    let before = snapshot(&r);
    drop(r);
    assert_eq!(
        code(backup::verify(&report.file, &pass("fel lösenord"))),
        "wrong_passphrase"
    );
    assert_eq!(
        code(backup::restore(&path, &report.file, &pass("fel lösenord"))),
        "wrong_passphrase"
    );
    assert_eq!(snapshot(&SqliteRegister::open(&path).unwrap()), before);
}

#[test]
fn truncated_flipped_and_foreign_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, r) = on_disk(dir.path());
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |_| {}).unwrap();
    let before = snapshot(&r);
    drop(r);
    let good = std::fs::read(&report.file).unwrap();
    let bad = |name: &str, bytes: &[u8]| {
        let p = report.file.with_file_name(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let cases = [
        ("truncated.medlem-backup", good[..good.len() / 2].to_vec()),
        (
            "truncated-end.medlem-backup",
            good[..good.len() - 1].to_vec(),
        ),
        ("empty.medlem-backup", Vec::new()),
    ];
    for (name, bytes) in cases {
        let p = bad(name, &bytes);
        let got = code(backup::restore(&path, &p, &pass(PASS)));
        assert!(
            got == "backup_damaged" || got == "not_a_backup",
            "{name}: {got}"
        );
    }
    for at in [30, good.len() / 3, good.len() / 2, good.len() - 5] {
        let mut bytes = good.clone();
        bytes[at] ^= 0x01;
        let p = bad(&format!("flip-{at}.medlem-backup"), &bytes);
        let got = code(backup::restore(&path, &p, &pass(PASS)));
        assert!(
            got == "backup_damaged" || got == "not_a_backup",
            "flip at {at}: {got}"
        );
        assert!(backup::verify(&p, &pass(PASS)).is_err());
    }
    let p = bad(
        "random.medlem-backup",
        &(0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        code(backup::restore(&path, &p, &pass(PASS))),
        "not_a_backup"
    );
    // A plain SQLite file is not a backup either.
    let p = bad(
        "plain.medlem-backup",
        &std::fs::read(&path).unwrap_or_default(),
    );
    assert_eq!(
        code(backup::restore(&path, &p, &pass(PASS))),
        "not_a_backup"
    );
    assert_eq!(
        snapshot(&SqliteRegister::open(&path).unwrap()),
        before,
        "register untouched"
    );
    assert!(
        report.file.exists() && backup::verify(&report.file, &pass(PASS)).is_ok(),
        "earlier backup untouched"
    );
    // No stray temporary files beside the register.
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.to_string_lossy().ends_with(".part")),
        "{names:?}"
    );
}

#[test]
fn a_backup_from_a_newer_medlem_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, r) = on_disk(dir.path());
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |_| {}).unwrap();
    // Decrypt with our key, bump the schema, encrypt again to our key.
    let identity: age::x25519::Identity = r
        .connection()
        .query_row(
            "SELECT value FROM settings WHERE key = 'backup_identity'",
            [],
            |x| x.get::<_, String>(0),
        )
        .unwrap()
        .parse()
        .unwrap();
    let plain = age::decrypt(&identity, &std::fs::read(&report.file).unwrap()).unwrap();
    let tmp = dir.path().join("newer.sqlite");
    std::fs::write(&tmp, plain).unwrap();
    rusqlite::Connection::open(&tmp)
        .unwrap()
        .execute_batch("PRAGMA user_version = 9999;")
        .unwrap();
    let again = age::encrypt(&identity.to_public(), &std::fs::read(&tmp).unwrap()).unwrap();
    let newer = report.file.with_file_name("newer.medlem-backup");
    std::fs::write(&newer, again).unwrap();
    drop(r);
    assert_eq!(
        code(backup::restore(&path, &newer, &pass(PASS))),
        "newer_backup"
    );
    assert_eq!(
        SqliteRegister::open(&path)
            .unwrap()
            .list(&ListQuery::default())
            .unwrap()
            .total,
        2
    );
}

#[test]
fn no_passphrase_no_backup_and_short_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let r = register();
    assert!(!backup::has_passphrase(&r).unwrap());
    assert_eq!(
        code(backup::backup(&r, dir.path(), &mut |_| {})),
        "no_passphrase"
    );
    assert_eq!(
        code(backup::set_passphrase(&r, "kort", Some(4))),
        "validation"
    );
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "nothing written"
    );
}

#[test]
fn a_folder_that_cannot_be_written_leaves_no_half_file() {
    let dir = tempfile::tempdir().unwrap();
    let (_, r) = on_disk(dir.path());
    let blocker = dir.path().join("not-a-stick");
    std::fs::write(&blocker, "x").unwrap();
    assert_eq!(
        code(backup::backup(&r, &blocker.join("Medlem"), &mut |_| {})),
        "io"
    );
    assert_eq!(
        backup::last_backup_at(&r).unwrap(),
        None,
        "not counted as a backup"
    );
}

#[test]
fn changing_the_passphrase_keeps_old_backups_readable_with_the_new_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let (_, r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    let first = backup::backup(&r, &stick, &mut |_| {}).unwrap();
    backup::set_passphrase(&r, "ett nytt lösenord", Some(4)).unwrap();
    backup::backup(&r, &stick, &mut |_| {}).unwrap();
    // Same key pair, so the key file on the stick (now under the new
    // passphrase) opens the old backup too.
    assert!(backup::verify(&first.file, &pass("ett nytt lösenord")).is_ok());
    assert_eq!(
        code(backup::verify(&first.file, &pass(PASS))),
        "wrong_passphrase"
    );
}
