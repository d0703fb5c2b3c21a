//! Backups: round trip, and every way a backup can be bad.

use std::path::{Path, PathBuf};

use medlem_core::backup::{self, Unlock};
use medlem_core::Timestamp;
use medlem_core::*;

use crate::{person, register};

pub(crate) const PASS: &str = "korrekt häst batteri";

/// A register on disk with members, history and a passphrase (weak scrypt
/// work factor so tests run fast).
pub(crate) fn on_disk(dir: &Path) -> (PathBuf, SqliteRegister) {
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
            contact: medlem_core::Contact {
                address: medlem_core::PostalAddress {
                    city: "Malmö".into(),
                    ..Default::default()
                },
                ..person("Åsa", "Östlund").contact
            },
            ..person("Åsa", "Östlund")
        })
        .unwrap();
    r.update(
        m.id,
        &MemberInput {
            number: m.number.clone(),
            contact: medlem_core::Contact {
                address: medlem_core::PostalAddress {
                    city: "Lund".into(),
                    ..Default::default()
                },
                ..person("Åsa", "Östlund").contact
            },
            ..person("Åsa", "Östlund")
        },
    )
    .unwrap();
    r.create(&person("Søren", "Ærø")).unwrap();
    backup::set_passphrase(&r, PASS, Some(4)).unwrap();
    (path, r)
}

/// The name of the register's current key file.
pub(crate) fn key_file_of(r: &SqliteRegister) -> String {
    let key = backup::register_identity(r).unwrap();
    backup::key_file_name(&backup::fingerprint(&key.to_public()))
}

pub(crate) fn pass(p: &str) -> Unlock<'static> {
    Unlock::Passphrase(p.to_owned().into())
}

pub(crate) fn code<T: std::fmt::Debug>(r: Result<T>) -> String {
    r.unwrap_err().code().as_str().to_owned()
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
    let report = backup::backup(&r, &stick, &mut |_, _| {}).unwrap();
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
    assert!(stick.join(key_file_of(&r)).exists());
    assert_eq!(
        backup::last_backup_at(&r).unwrap(),
        Some(report.info.created_at)
    );
    // No plaintext on the stick.
    let bytes = std::fs::read(&report.file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    let needle = "Östlund".as_bytes();
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));

    // Another computer: a fresh data folder, only the stick and the passphrase.
    let other = dir.path().join("other").join("medlem.sqlite");
    let info = backup::verify(&report.file, &pass(PASS), dir.path()).unwrap();
    assert_eq!(info, report.info);
    let done = backup::restore(&other, &report.file, &pass(PASS), &mut |_, _| {}).unwrap();
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
    assert_eq!(
        backup::last_backup_at(&restored).unwrap(),
        Some(report.info.created_at),
        "the restored backup counts as the last good one"
    );
}

#[test]
fn restore_over_a_register_keeps_a_safety_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    let report = backup::backup(&r, &stick, &mut |_, _| {}).unwrap();
    r.create(&person("Efter", "Backupen")).unwrap();
    let before = snapshot(&r);
    drop(r);
    let done = backup::restore(
        &path,
        &report.file,
        &Unlock::Passphrase(PASS.to_owned().into()),
        &mut |_, _| {},
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
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |_, _| {}).unwrap();
    let before = snapshot(&r);
    drop(r);
    assert_eq!(
        code(backup::verify(
            &report.file,
            &pass("fel lösenord"),
            dir.path()
        )),
        "wrong_passphrase"
    );
    assert_eq!(
        code(backup::restore(
            &path,
            &report.file,
            &pass("fel lösenord"),
            &mut |_, _| {}
        )),
        "wrong_passphrase"
    );
    assert_eq!(snapshot(&SqliteRegister::open(&path).unwrap()), before);
}

#[test]
fn truncated_flipped_and_foreign_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, r) = on_disk(dir.path());
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |_, _| {}).unwrap();
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
        let got = code(backup::restore(&path, &p, &pass(PASS), &mut |_, _| {}));
        assert!(
            got == "backup_damaged" || got == "not_a_backup",
            "{name}: {got}"
        );
    }
    for at in [30, good.len() / 3, good.len() / 2, good.len() - 5] {
        let mut bytes = good.clone();
        bytes[at] ^= 0x01;
        let p = bad(&format!("flip-{at}.medlem-backup"), &bytes);
        let got = code(backup::restore(&path, &p, &pass(PASS), &mut |_, _| {}));
        assert!(
            got == "backup_damaged" || got == "not_a_backup",
            "flip at {at}: {got}"
        );
        assert!(backup::verify(&p, &pass(PASS), dir.path()).is_err());
    }
    let p = bad(
        "random.medlem-backup",
        &(0..4096u32)
            .map(|i| (i * 7919 % 251) as u8)
            .collect::<Vec<_>>(),
    );
    assert_eq!(
        code(backup::restore(&path, &p, &pass(PASS), &mut |_, _| {})),
        "not_a_backup"
    );
    // A plain SQLite file is not a backup either.
    let p = bad(
        "plain.medlem-backup",
        &std::fs::read(&path).unwrap_or_default(),
    );
    assert_eq!(
        code(backup::restore(&path, &p, &pass(PASS), &mut |_, _| {})),
        "not_a_backup"
    );
    assert_eq!(
        snapshot(&SqliteRegister::open(&path).unwrap()),
        before,
        "register untouched"
    );
    assert!(
        report.file.exists() && backup::verify(&report.file, &pass(PASS), dir.path()).is_ok(),
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
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |_, _| {}).unwrap();
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
        code(backup::restore(&path, &newer, &pass(PASS), &mut |_, _| {})),
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
        code(backup::backup(&r, dir.path(), &mut |_, _| {})),
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
        code(backup::backup(&r, &blocker.join("Medlem"), &mut |_, _| {})),
        "backup_write_failed"
    );
    assert_eq!(
        backup::last_backup_at(&r).unwrap(),
        None,
        "not counted as a backup"
    );
}

#[test]
fn changing_the_passphrase_gives_later_backups_a_new_key_and_earlier_ones_keep_theirs() {
    let dir = tempfile::tempdir().unwrap();
    let (_, r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    let first = backup::backup(&r, &stick, &mut |_, _| {}).unwrap();
    let old_key_file = key_file_of(&r);
    backup::set_passphrase(&r, "ett nytt lösenord", Some(4)).unwrap();
    let second = backup::backup(&r, &stick, &mut |_, _| {}).unwrap();
    assert_ne!(key_file_of(&r), old_key_file, "a new key");
    // Both key files stay: each backup opens with the passphrase it was
    // made with, and an old passphrase never opens a later backup.
    assert!(stick.join(&old_key_file).exists() && stick.join(key_file_of(&r)).exists());
    assert!(backup::verify(&first.file, &pass(PASS), dir.path()).is_ok());
    assert!(backup::verify(&second.file, &pass("ett nytt lösenord"), dir.path()).is_ok());
    assert_eq!(
        code(backup::verify(&second.file, &pass(PASS), dir.path())),
        "wrong_passphrase"
    );
    assert_eq!(
        code(backup::verify(
            &first.file,
            &pass("ett nytt lösenord"),
            dir.path()
        )),
        "wrong_passphrase"
    );
    // The register still opens its own earlier backups without a passphrase.
    for f in [&first.file, &second.file] {
        assert!(backup::verify(f, &Unlock::Register(&r), dir.path()).is_ok());
    }
}

/// A writer that takes `room` bytes and then fails with `errno`, like a
/// full disk (ENOSPC) or a stick pulled out (EIO); `then` runs at the
/// failure (to take the folder away).
struct Faulty<'a> {
    inner: &'a std::fs::File,
    room: usize,
    errno: i32,
    then: Option<Box<dyn FnOnce() + 'a>>,
}

impl std::io::Write for Faulty<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.room {
            if let Some(f) = self.then.take() {
                f();
            }
            return Err(std::io::Error::from_raw_os_error(self.errno));
        }
        self.room -= buf.len();
        self.inner.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// "No space left" and "I/O error" as the system numbers them.
#[cfg(unix)]
const ENOSPC: i32 = 28;
#[cfg(unix)]
const EIO: i32 = 5;
#[cfg(windows)]
const ENOSPC: i32 = 112; // ERROR_DISK_FULL
#[cfg(windows)]
const EIO: i32 = 1117; // ERROR_IO_DEVICE

pub(crate) fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn a_full_disk_is_reported_and_leaves_earlier_backups_and_the_register_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    let earlier = backup::backup(&r, &stick, &mut |_, _| {}).unwrap();
    let earlier_bytes = std::fs::read(&earlier.file).unwrap();
    let on_stick = files_in(&stick);
    r.create(&person("Ny", "Medlem")).unwrap();
    let before = snapshot(&r);
    let last = backup::last_backup_at(&r).unwrap();

    // ENOSPC after 1 000 bytes.
    let got = backup::backup_through(&r, &stick, &mut |_, _| {}, &mut |f| {
        Box::new(Faulty {
            inner: f,
            room: 1000,
            errno: ENOSPC,
            then: None,
        })
    });
    let err = got.unwrap_err();
    assert_eq!(err.code(), "disk_full");
    assert!(err.to_string().contains("full"), "{err}");
    assert_eq!(files_in(&stick), on_stick, "no half file, no .part left");
    assert_eq!(std::fs::read(&earlier.file).unwrap(), earlier_bytes);
    assert!(backup::verify(&earlier.file, &pass(PASS), dir.path()).is_ok());
    assert_eq!(backup::last_backup_at(&r).unwrap(), last, "not counted");
    assert_eq!(snapshot(&r), before, "register untouched");
}

#[test]
fn a_stick_pulled_out_midway_is_reported_and_the_register_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    let earlier = backup::backup(&r, &stick, &mut |_, _| {}).unwrap();
    let on_stick = files_in(&stick);
    r.create(&person("Ny", "Medlem")).unwrap();
    let before = snapshot(&r);
    let last = backup::last_backup_at(&r).unwrap();

    // EIO midway; the stick comes back afterwards.
    let err = backup::backup_through(&r, &stick, &mut |_, _| {}, &mut |f| {
        Box::new(Faulty {
            inner: f,
            room: 20_000,
            errno: EIO,
            then: None,
        })
    })
    .unwrap_err();
    assert_eq!(err.code(), "backup_write_failed");
    assert_eq!(files_in(&stick), on_stick);
    assert!(backup::verify(&earlier.file, &pass(PASS), dir.path()).is_ok());

    // The folder vanishes for good at the failure. (Not on Windows: there a
    // folder holding an open file cannot be removed, so a test cannot pull
    // it away; the failure itself is covered above.)
    #[cfg(unix)]
    vanishing_folder(&r, dir.path());
    assert_eq!(backup::last_backup_at(&r).unwrap(), last, "not counted");
    assert_eq!(snapshot(&r), before, "register untouched");
}

#[cfg(unix)]
fn vanishing_folder(r: &SqliteRegister, dir: &Path) {
    let gone = dir.join("USB2");
    let err = backup::backup_through(r, &gone, &mut |_, _| {}, &mut |f| {
        let g = gone.clone();
        Box::new(Faulty {
            inner: f,
            room: 5000,
            errno: 5,
            then: Some(Box::new(move || std::fs::remove_dir_all(g).unwrap())),
        })
    })
    .unwrap_err();
    assert_eq!(err.code(), "backup_write_failed");
    assert!(!gone.exists());
}

fn second_register(dir: &Path) -> (PathBuf, SqliteRegister) {
    let path = dir.join("second").join("medlem.sqlite");
    let mut r = SqliteRegister::open(&path).unwrap();
    r.create_org(&OrgInput {
        name: "Idrottsföreningen".into(),
        country: "SE".into(),
        ..Default::default()
    })
    .unwrap();
    r.create(&person("Bo", "Ek")).unwrap();
    backup::set_passphrase(&r, "ett annat lösenord", Some(4)).unwrap();
    (path, r)
}

#[test]
fn inspect_opens_own_backups_without_a_passphrase_and_asks_for_others() {
    let dir = tempfile::tempdir().unwrap();
    let (_, r) = on_disk(dir.path());
    let (_, other) = second_register(dir.path());
    let own = backup::backup(&r, &dir.path().join("USB"), &mut |_, _| {}).unwrap();
    let foreign = backup::backup(&other, &dir.path().join("USB-2"), &mut |_, _| {}).unwrap();

    let info = backup::inspect(&own.file, Some(&r), None).unwrap();
    assert_eq!(
        (info.organisation.as_str(), info.members),
        ("Fackklubben Verkstaden", 2)
    );
    assert!(info.latest_change.is_some());
    assert_eq!(
        code(backup::inspect(&foreign.file, Some(&r), None)),
        "passphrase_needed"
    );
    assert_eq!(
        code(backup::inspect(&foreign.file, None, None)),
        "passphrase_needed"
    );
    assert_eq!(
        code(backup::inspect(
            &foreign.file,
            Some(&r),
            Some("fel".to_owned().into())
        )),
        "wrong_passphrase"
    );
    let info = backup::inspect(
        &foreign.file,
        Some(&r),
        Some("ett annat lösenord".to_owned().into()),
    )
    .unwrap();
    assert_eq!(info.organisation, "Idrottsföreningen");
    // A file that is no backup at all says so before asking for anything.
    let junk = dir.path().join("junk.medlem-backup");
    std::fs::write(&junk, "hello").unwrap();
    assert_eq!(code(backup::inspect(&junk, None, None)), "not_a_backup");
    assert_eq!(code(backup::inspect(&junk, Some(&r), None)), "not_a_backup");
}

#[test]
fn compare_warns_when_the_backup_is_older_than_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut r) = on_disk(dir.path());
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |_, _| {}).unwrap();
    let info = backup::inspect(&report.file, Some(&r), None).unwrap();
    let same = backup::compare(&r, &info).unwrap();
    assert!(!same.backup_is_older, "{same:?}");
    assert!(same.same_organisation && same.has_register);
    assert_eq!(same.current_members, 2);

    // A change in the same second as the backup's last one: the history
    // says it is not in the backup.
    r.create(&person("Samma", "Sekund")).unwrap();
    let now_in_second = backup::compare(
        &r,
        &backup::BackupInfo {
            latest_change: backup::compare(&r, &info).unwrap().current_latest_change,
            ..info.clone()
        },
    )
    .unwrap();
    assert!(now_in_second.backup_is_older, "{now_in_second:?}");

    // A change after the backup: restoring would lose it. Timestamps are
    // per second, so write a later one explicitly.
    r.create(&person("Efter", "Backupen")).unwrap();
    r.connection()
        .execute(
            "UPDATE members SET updated_at = '2999-01-01T00:00:00Z' WHERE last_name = 'Backupen'",
            [],
        )
        .unwrap();
    let newer = backup::compare(&r, &info).unwrap();
    assert!(newer.backup_is_older);
    assert_eq!(newer.current_members, 4);

    // An empty register on a new computer: nothing to lose.
    let fresh = SqliteRegister::open_in_memory().unwrap();
    let c = backup::compare(&fresh, &info).unwrap();
    assert!(!c.has_register && !c.backup_is_older && !c.same_organisation);
}

#[test]
fn a_restore_is_undone_by_restoring_its_safety_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut r) = on_disk(dir.path());
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |_, _| {}).unwrap();
    r.create(&person("Efter", "Backupen")).unwrap();
    let before = snapshot(&r);
    drop(r);
    let mut steps = Vec::new();
    let done = backup::restore(&path, &report.file, &pass(PASS), &mut |s, f| {
        steps.push((s.to_owned(), f))
    })
    .unwrap();
    assert_eq!(steps.first().map(|s| s.0.as_str()), Some("decrypt"));
    assert_eq!(steps.last(), Some(&("done".to_owned(), 1.0)));
    assert!(steps.windows(2).all(|w| w[0].1 <= w[1].1), "{steps:?}");
    assert_eq!(
        SqliteRegister::open(&path)
            .unwrap()
            .list(&ListQuery::default())
            .unwrap()
            .total,
        2
    );
    let copies = backup::safety_copies(&path).unwrap();
    assert_eq!(copies.len(), 1);
    assert_eq!(Some(&copies[0].file), done.safety_copy.as_ref());
    assert_eq!(copies[0].members, 3);
    assert_eq!(
        copies[0].organisation.as_deref(),
        Some("Fackklubben Verkstaden")
    );
    assert!(copies[0].created_at.to_string().ends_with('Z'));

    let kept = backup::restore_safety_copy(&path, &copies[0].file).unwrap();
    assert_eq!(
        snapshot(&SqliteRegister::open(&path).unwrap()),
        before,
        "undone"
    );
    assert!(kept.is_some(), "the undo keeps a copy too");
    assert_eq!(backup::safety_copies(&path).unwrap().len(), 2);

    // A damaged safety copy is refused and the register stays.
    let bad = dir.path().join("bad.sqlite");
    std::fs::write(&bad, b"not a database at all").unwrap();
    assert_eq!(
        code(backup::restore_safety_copy(&path, &bad)),
        "backup_damaged"
    );
    assert_eq!(snapshot(&SqliteRegister::open(&path).unwrap()), before);
}

#[test]
fn the_schedule_is_validated_and_saved() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut r) = on_disk(dir.path());
    assert_eq!(backup::schedule(&r).unwrap(), backup::Schedule::default());
    let bad = backup::Schedule {
        folder: None,
        every_hours: 24,
        keep: 0,
        on_close: true,
        safety_keep: backup::DEFAULT_SAFETY_KEEP,
    };
    let err = backup::set_schedule(&mut r, &bad).unwrap_err();
    let fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["keep", "folder"]);
    assert_eq!(
        backup::schedule(&r).unwrap(),
        backup::Schedule::default(),
        "nothing saved"
    );
    let a_file = dir.path().join("file.txt");
    std::fs::write(&a_file, "x").unwrap();
    let err = backup::set_schedule(
        &mut r,
        &backup::Schedule {
            folder: Some(a_file),
            ..backup::Schedule::default()
        },
    )
    .unwrap_err();
    assert_eq!(err.fields()[0].field, "folder");

    let good = backup::Schedule {
        folder: Some(dir.path().join("USB")),
        every_hours: 24,
        keep: 3,
        on_close: true,
        safety_keep: backup::DEFAULT_SAFETY_KEEP,
    };
    backup::set_schedule(&mut r, &good).unwrap();
    assert_eq!(backup::schedule(&r).unwrap(), good);
    let status = backup::status(&r).unwrap();
    assert!(status.has_passphrase);
    assert_eq!(status.schedule, good);
}

#[test]
fn a_scheduled_backup_is_due_after_its_interval() {
    use chrono::TimeZone;
    let now = chrono::Utc
        .with_ymd_and_hms(2026, 11, 23, 12, 0, 0)
        .unwrap();
    let daily = backup::Schedule {
        folder: Some("USB".into()),
        every_hours: 24,
        keep: 5,
        on_close: false,
        safety_keep: backup::DEFAULT_SAFETY_KEEP,
    };
    // The last backup as stored: text that does not read as a time counts
    // as never (it is read at the store's edge).
    let check = |s: &backup::Schedule, last: Option<&str>, expect: bool| {
        let read = last.and_then(Timestamp::parse);
        assert_eq!(
            backup::is_due(s, read, Timestamp(now)),
            expect,
            "{s:?} {last:?}"
        );
    };
    check(&daily, None, true);
    check(&daily, Some("2026-11-22T12:00:00Z"), true);
    check(&daily, Some("2026-11-22T12:00:01Z"), false);
    check(&daily, Some("2026-11-23T11:00:00Z"), false);
    check(&daily, Some("garbage"), true);
    let off = backup::Schedule {
        every_hours: 0,
        ..daily.clone()
    };
    check(&off, None, false);
    let no_folder = backup::Schedule {
        folder: None,
        ..daily
    };
    check(&no_folder, None, false);
}

/// Renames a backup to the name backups had before key fingerprints
/// (`<Organisation>-<time>.medlem-backup`), as a stick from an earlier
/// Medlem holds them, with the time `stamp`.
pub(crate) fn legacy_named(report: &backup::BackupReport, stamp: &str) -> PathBuf {
    let to = report
        .file
        .with_file_name(format!("Fackklubben-Verkstaden-{stamp}.medlem-backup"));
    std::fs::rename(&report.file, &to).unwrap();
    to
}

/// A second register of an organisation with the same name (the laptop
/// was lost and Medlem installed afresh) and its own passphrase.
pub(crate) fn namesake(dir: &Path) -> SqliteRegister {
    let mut r = SqliteRegister::open(&dir.join("new-laptop").join("medlem.sqlite")).unwrap();
    r.create_org(&OrgInput {
        name: "Fackklubben Verkstaden".into(),
        country: "SE".into(),
        ..Default::default()
    })
    .unwrap();
    r.create(&person("Nils", "Ny")).unwrap();
    backup::set_passphrase(&r, "den nya datorns lösenord", Some(4)).unwrap();
    r
}

#[test]
fn pruning_keeps_the_newest_n_of_this_registers_backups_only() {
    let dir = tempfile::tempdir().unwrap();
    let (_, r) = on_disk(dir.path());
    let other = namesake(dir.path());
    let stick = dir.path().join("USB");
    // Ours: two from before key fingerprints, one named by our key.
    let old1 = legacy_named(
        &backup::backup(&r, &stick, &mut |_, _| {}).unwrap(),
        "2026-01-01-10-00-00",
    );
    let old2 = legacy_named(
        &backup::backup(&r, &stick, &mut |_, _| {}).unwrap(),
        "2026-01-02-10-00-00",
    );
    let new = backup::backup(&r, &stick, &mut |_, _| {}).unwrap().file;
    // The namesake's, older than all of ours, in both namings.
    let theirs_old = legacy_named(
        &backup::backup(&other, &stick, &mut |_, _| {}).unwrap(),
        "2025-06-01-10-00-00",
    );
    let theirs = backup::backup(&other, &stick, &mut |_, _| {}).unwrap().file;
    // And files that are no backups of anyone's.
    for f in [
        "Fackklubben-Verkstaden-2025-01-01-10-00-00.medlem-backup",
        "Fackklubben-Verkstaden-2026-10-01-10-00-00.medlem-backup.failed",
        "semester.jpg",
    ] {
        std::fs::write(stick.join(f), f).unwrap();
    }
    let before = files_in(&stick);
    let keys = backup::register_identities(&r).unwrap();
    let gone = backup::prune(&stick, &keys, 1).unwrap();
    assert_eq!(gone, vec![old1.clone(), old2.clone()]);
    let after = files_in(&stick);
    assert_eq!(after.len(), before.len() - 2);
    for kept in [&new, &theirs_old, &theirs] {
        assert!(kept.exists(), "{kept:?}");
    }
    // Both registers' key files are there, and each restores its own.
    assert!(backup::verify(&theirs_old, &pass("den nya datorns lösenord"), dir.path()).is_ok());
    assert!(backup::verify(&new, &pass(PASS), dir.path()).is_ok());
    // Pruned to one by the namesake: ours stay.
    let gone = backup::prune(&stick, &backup::register_identities(&other).unwrap(), 1).unwrap();
    assert_eq!(gone, vec![theirs_old]);
    assert!(new.exists());
}

#[test]
fn an_automatic_backup_goes_to_the_schedules_folder_and_prunes() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut r) = on_disk(dir.path());
    assert_eq!(
        backup::auto_backup(&r, &mut |_, _| {}).unwrap(),
        None,
        "no folder yet"
    );
    // A folder that is not there (a stick not plugged in) is not created.
    let absent = dir.path().join("USB-not-plugged-in");
    backup::set_schedule(
        &mut r,
        &backup::Schedule {
            folder: Some(absent.clone()),
            every_hours: 1,
            keep: 2,
            on_close: true,
            safety_keep: backup::DEFAULT_SAFETY_KEEP,
        },
    )
    .unwrap();
    assert_eq!(
        code(backup::auto_backup(&r, &mut |_, _| {})),
        "backup_write_failed"
    );
    assert!(!absent.exists());
    let stick = dir.path().join("USB");
    std::fs::create_dir_all(&stick).unwrap();
    for day in 1..=3 {
        let made = backup::backup(&r, &stick, &mut |_, _| {}).unwrap();
        legacy_named(&made, &format!("2026-01-0{day}-10-00-00"));
    }
    backup::set_schedule(
        &mut r,
        &backup::Schedule {
            folder: Some(stick.clone()),
            every_hours: 1,
            keep: 2,
            on_close: true,
            safety_keep: backup::DEFAULT_SAFETY_KEEP,
        },
    )
    .unwrap();
    let report = backup::auto_backup(&r, &mut |_, _| {}).unwrap().unwrap();
    assert!(report.file.starts_with(&stick));
    let mut expect = vec![
        "Fackklubben-Verkstaden-2026-01-03-10-00-00.medlem-backup".to_owned(),
        report
            .file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned(),
        key_file_of(&r),
    ];
    expect.sort();
    assert_eq!(files_in(&stick), expect);
    assert!(!backup::is_due(
        &backup::schedule(&r).unwrap(),
        backup::last_backup_at(&r).unwrap(),
        medlem_core::dates::now()
    ));
}

/// A stick that takes every byte but stores one of them wrong.
struct Garbling<'a> {
    inner: &'a std::fs::File,
    at: usize,
    seen: usize,
}

impl std::io::Write for Garbling<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut copy = buf.to_vec();
        if (self.seen..self.seen + buf.len()).contains(&self.at) {
            copy[self.at - self.seen] ^= 0x01;
        }
        self.seen += buf.len();
        std::io::Write::write_all(&mut self.inner, &copy)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_stick_that_stores_bytes_wrong_fails_verification_loudly() {
    let dir = tempfile::tempdir().unwrap();
    let (_, r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    let err = backup::backup_through(&r, &stick, &mut |_, _| {}, &mut |f| {
        Box::new(Garbling {
            inner: f,
            at: 30_000,
            seen: 0,
        })
    })
    .unwrap_err();
    assert_eq!(err.code(), "backup_unverified");
    assert_eq!(backup::last_backup_at(&r).unwrap(), None, "not counted");
    let names = files_in(&stick);
    assert!(
        names.iter().all(|n| !n.ends_with(".medlem-backup")),
        "no file that looks like a good backup: {names:?}"
    );
    assert!(names.iter().any(|n| n.ends_with(".medlem-backup.failed")));
}

/// A backup whose encryption is intact but whose database inside is not:
/// decrypts a good backup, runs `sql` on the plaintext, encrypts it again
/// to the register's own key.
fn tampered(r: &SqliteRegister, good: &Path, sql: &str, out: &Path) {
    use medlem_core::age;
    use std::io::{Read, Write};
    let identity = backup::register_identity(r).unwrap();
    let decryptor = age::Decryptor::new(std::fs::File::open(good).unwrap()).unwrap();
    let mut plain = Vec::new();
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .unwrap()
        .read_to_end(&mut plain)
        .unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let db = scratch.path().join("inside.sqlite");
    std::fs::write(&db, plain).unwrap();
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(sql).unwrap();
    drop(c);
    let recipient = identity.to_public();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .unwrap();
    let mut w = encryptor
        .wrap_output(std::fs::File::create(out).unwrap())
        .unwrap();
    w.write_all(&std::fs::read(&db).unwrap()).unwrap();
    w.finish().unwrap();
}

#[test]
fn a_backup_with_a_damaged_database_inside_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (path, r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    let good = backup::backup(&r, &stick, &mut |_, _| {}).unwrap();
    let before = snapshot(&r);
    // Each index declared over other columns than it holds: integrity_check
    // finds the entries wrong. One in the members table, one elsewhere.
    for (name, index, columns) in [
        ("members-index", "members_by_name", "city, id"),
        ("history-index", "member_history_member", "kind, id"),
    ] {
        let bad = stick.join(format!("{name}.medlem-backup"));
        tampered(
            &r,
            &good.file,
            &format!(
                "PRAGMA writable_schema = ON; \
                 UPDATE sqlite_schema SET sql = 'CREATE INDEX {index} ON {table} ({columns})' \
                 WHERE name = '{index}';",
                table = if index.starts_with("members") {
                    "members"
                } else {
                    "member_history"
                },
            ),
            &bad,
        );
        let e = backup::verify(&bad, &Unlock::Register(&r), dir.path()).unwrap_err();
        assert_eq!(e.code(), "backup_damaged", "{name}");
        assert!(e.to_string().contains(index), "{name}: {e}");
        assert_eq!(
            code(backup::restore(&path, &bad, &pass(PASS), &mut |_, _| {})),
            "backup_damaged",
            "{name}"
        );
    }
    drop(r);
    assert_eq!(
        snapshot(&SqliteRegister::open(&path).unwrap()),
        before,
        "register untouched"
    );
    assert_eq!(
        backup::safety_copies(&path).unwrap(),
        [],
        "nothing restored, no copy left"
    );
}

#[test]
fn a_backup_file_that_is_not_there_is_named_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    let (path, r) = on_disk(dir.path());
    let before = snapshot(&r);
    drop(r);
    let gone = dir
        .path()
        .join("USB")
        .join("medlem-2026-12-03.medlem-backup");
    assert_eq!(
        code(backup::verify(&gone, &pass(PASS), dir.path())),
        "file_not_found"
    );
    assert_eq!(
        code(backup::restore(&path, &gone, &pass(PASS), &mut |_, _| {})),
        "file_not_found"
    );
    let r = SqliteRegister::open(&path).unwrap();
    assert_eq!(snapshot(&r), before, "nothing changed");
}
