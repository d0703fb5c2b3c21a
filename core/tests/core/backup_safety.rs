//! Backups that cannot be orphaned and leave nothing behind: registers
//! sharing a stick, sticks from before key fingerprints, scratch copies,
//! safety copies, file modes and deleted data.

use std::path::Path;

use medlem_core::backup::{self, Unlock};
use medlem_core::*;

use crate::backup::{code, files_in, key_file_of, legacy_named, namesake, on_disk, pass, PASS};
use crate::lock::ended_pid;

const NEW_PASS: &str = "den nya datorns lösenord";

#[test]
fn a_new_register_with_the_same_name_on_the_old_stick_orphans_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_, r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    let ours = backup::backup(&r, &stick, &mut |_, _| {}).unwrap();
    let our_key = std::fs::read(stick.join(key_file_of(&r))).unwrap();
    // The laptop is lost; a fresh register of the same organisation backs
    // up to the old stick.
    let other = namesake(dir.path());
    let theirs = backup::backup(&other, &stick, &mut |_, _| {}).unwrap();
    assert_ne!(key_file_of(&r), key_file_of(&other));
    assert_eq!(
        std::fs::read(stick.join(key_file_of(&r))).unwrap(),
        our_key,
        "the old register's key file is untouched"
    );
    // Each backup restores with its own passphrase, found among the keys.
    let restored = dir.path().join("restored").join("medlem.sqlite");
    backup::restore(&restored, &ours.file, &pass(PASS), &mut |_, _| {}).unwrap();
    assert_eq!(
        SqliteRegister::open(&restored)
            .unwrap()
            .list(&ListQuery::default())
            .unwrap()
            .total,
        2
    );
    assert_eq!(
        backup::verify(&theirs.file, &pass(NEW_PASS), dir.path())
            .unwrap()
            .members,
        1
    );
    // The other's passphrase does not open ours, and says so.
    assert_eq!(
        code(backup::verify(&ours.file, &pass(NEW_PASS), dir.path())),
        "wrong_passphrase"
    );
}

#[test]
fn a_stick_from_before_key_fingerprints_still_restores() {
    let dir = tempfile::tempdir().unwrap();
    let (_, r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    // As an earlier Medlem wrote it: one `medlem-backup-key.age`, backups
    // named by organisation and time only.
    let made = backup::backup(&r, &stick, &mut |_, _| {}).unwrap();
    let old = legacy_named(&made, "2026-05-01-10-00-00");
    std::fs::rename(
        stick.join(key_file_of(&r)),
        stick.join(backup::LEGACY_KEY_FILE),
    )
    .unwrap();
    let legacy_key = std::fs::read(stick.join(backup::LEGACY_KEY_FILE)).unwrap();
    // A namesake backs up there too: the old key file is not replaced, and
    // the old backup still opens with its passphrase.
    let other = namesake(dir.path());
    backup::backup(&other, &stick, &mut |_, _| {}).unwrap();
    assert_eq!(
        std::fs::read(stick.join(backup::LEGACY_KEY_FILE)).unwrap(),
        legacy_key
    );
    let info = backup::verify(&old, &pass(PASS), dir.path()).unwrap();
    assert_eq!(info.organisation, "Fackklubben Verkstaden");
    assert_eq!(info.members, 2);
    assert_eq!(
        code(backup::verify(&old, &pass("fel lösenord"), dir.path())),
        "wrong_passphrase"
    );
    // The namesake's passphrase opens its own key file, which does not
    // open this backup.
    assert_eq!(
        code(backup::verify(&old, &pass(NEW_PASS), dir.path())),
        "not_a_backup"
    );
    // And the register opens it with its own key.
    assert!(backup::verify(&old, &Unlock::Register(&r), dir.path()).is_ok());
}

#[test]
fn scratch_copies_stay_beside_the_register_and_a_crashs_leftovers_are_swept() {
    let dir = tempfile::tempdir().unwrap();
    let (path, r) = on_disk(dir.path());
    let data = path.parent().unwrap().to_path_buf();
    backup::backup(&r, &dir.path().join("USB"), &mut |_, _| {}).unwrap();
    assert!(
        files_in(&data)
            .iter()
            .all(|f| !f.starts_with(".medlem-scratch")),
        "no scratch left after a backup: {:?}",
        files_in(&data)
    );
    drop(r);
    // What a crash leaves: a plaintext snapshot, an unfinished file, and an
    // unfinished safety copy, all of a process that is gone.
    let gone = ended_pid();
    let scratch = data.join(format!(".medlem-scratch-{gone}-AbCdEf"));
    std::fs::create_dir_all(&scratch).unwrap();
    std::fs::write(scratch.join("snapshot.sqlite"), "Östlund").unwrap();
    std::fs::write(data.join(format!(".medlem.sqlite.{gone}-3.part")), "x").unwrap();
    std::fs::create_dir_all(data.join("safety")).unwrap();
    let safety_part = data.join("safety").join(format!(
        ".before-restore-2026-01-01-10-00-00.sqlite.{gone}-1.part"
    ));
    std::fs::write(&safety_part, "x").unwrap();
    // One of a process that still runs (this one) stays.
    let live = data.join(format!(".export.csv.{}-1.part", std::process::id()));
    std::fs::write(&live, "x").unwrap();
    let _r = SqliteRegister::open(&path).unwrap();
    assert!(!scratch.exists());
    assert!(!data.join(format!(".medlem.sqlite.{gone}-3.part")).exists());
    assert!(!safety_part.exists());
    assert!(live.exists());
}

#[test]
fn safety_copies_are_pruned_to_the_newest_n() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut r) = on_disk(dir.path());
    assert_eq!(
        backup::schedule(&r).unwrap().safety_keep,
        backup::DEFAULT_SAFETY_KEEP
    );
    let keep = |n| backup::Schedule {
        safety_keep: n,
        ..Default::default()
    };
    assert_eq!(code(backup::set_schedule(&mut r, &keep(0))), "validation");
    assert_eq!(backup::schedule(&r).unwrap().safety_keep, 10, "unchanged");
    backup::set_schedule(&mut r, &keep(2)).unwrap();
    // The setting travels with the register (and so with its backups).
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |_, _| {}).unwrap();
    drop(r);
    let mut made = Vec::new();
    for _ in 0..4 {
        let done = backup::restore(&path, &report.file, &pass(PASS), &mut |_, _| {}).unwrap();
        made.push(done.safety_copy.unwrap());
    }
    let left: Vec<_> = backup::safety_copies(&path)
        .unwrap()
        .into_iter()
        .map(|c| c.file)
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    // The newest two, and the one just made among them.
    assert!(left.contains(&made[3]) && left.contains(&made[2]));
}

#[cfg(unix)]
#[test]
fn the_data_folder_the_register_and_its_copies_are_the_users_alone() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let (path, r) = on_disk(dir.path());
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert_eq!(mode(&path), 0o600);
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |_, _| {}).unwrap();
    assert_eq!(mode(&dir.path().join("USB").join(key_file_of(&r))), 0o600);
    drop(r);
    let done = backup::restore(&path, &report.file, &pass(PASS), &mut |_, _| {}).unwrap();
    assert_eq!(mode(&done.safety_copy.unwrap()), 0o600);
    assert_eq!(mode(&path), 0o600);
}

/// Does the file at `p` hold `needle` anywhere?
fn holds(p: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(p).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn deleted_data_is_gone_from_the_register_and_from_its_backups() {
    let dir = tempfile::tempdir().unwrap();
    let (path, r) = on_disk(dir.path());
    let marker = "Raderad-Hemlighet-7f3a";
    // Deleted through the register: overwritten in the file.
    let conn = r.connection();
    conn.execute_batch(&format!(
        "CREATE TABLE scratch_test (x TEXT); \
         INSERT INTO scratch_test VALUES ('{marker}'); \
         DELETE FROM scratch_test; \
         PRAGMA wal_checkpoint(TRUNCATE);"
    ))
    .unwrap();
    assert!(!holds(&path, marker), "the register still holds it");
    // Freed pages written before secure deletion (an older Medlem) are not
    // carried into a backup.
    drop(r);
    {
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute_batch(&format!(
            "PRAGMA secure_delete = OFF; \
             CREATE TABLE old_data (x TEXT); \
             WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) \
             INSERT INTO old_data SELECT '{marker}' || i FROM c; \
             DROP TABLE old_data; \
             PRAGMA wal_checkpoint(TRUNCATE);"
        ))
        .unwrap();
    }
    assert!(
        holds(&path, marker),
        "the old freed pages hold it (the test's premise)"
    );
    let r = SqliteRegister::open(&path).unwrap();
    let report = backup::backup(&r, &dir.path().join("USB"), &mut |_, _| {}).unwrap();
    let restored = dir.path().join("restored").join("medlem.sqlite");
    backup::restore(
        &restored,
        &report.file,
        &Unlock::Register(&r),
        &mut |_, _| {},
    )
    .unwrap();
    let check = SqliteRegister::open(&restored).unwrap();
    check
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    assert_eq!(check.list(&ListQuery::default()).unwrap().total, 2);
    assert!(!holds(&restored, marker), "the backup carried freed pages");
}

#[test]
fn no_output_is_written_over_the_register_its_copies_backups_or_keys() {
    let dir = tempfile::tempdir().unwrap();
    let (path, r) = on_disk(dir.path());
    let stick = dir.path().join("USB");
    let report = backup::backup(&r, &stick, &mut |_, _| {}).unwrap();
    let with = |suffix: &str| {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        std::path::PathBuf::from(p)
    };
    std::fs::create_dir_all(path.parent().unwrap().join("safety")).unwrap();
    let own = [
        path.clone(),
        with("-wal"),
        with("-shm"),
        with(".in-use"),
        path.parent().unwrap().join("safety").join("kopia.csv"),
        report.file.clone(),
        stick.join(key_file_of(&r)),
        // The same register through another spelling of its folder.
        path.parent()
            .unwrap()
            .join("..")
            .join("data")
            .join("medlem.sqlite"),
    ];
    let before: Vec<Option<Vec<u8>>> = own.iter().map(|p| std::fs::read(p).ok()).collect();
    let no = std::sync::atomic::AtomicBool::new(false);
    for out in &own {
        let e = medlem_core::export::export(
            &r,
            &ListQuery::default(),
            medlem_core::export::ExportFormat::Csv,
            Language::Sv,
            out,
            &mut |_| {},
            &no,
        )
        .unwrap_err();
        assert_eq!(e.code(), "protected_file", "{out:?}");
        let e = medlem_core::letters::calibration(&r, out).unwrap_err();
        assert_eq!(e.code(), "protected_file", "{out:?}");
    }
    let after: Vec<Option<Vec<u8>>> = own.iter().map(|p| std::fs::read(p).ok()).collect();
    assert_eq!(before, after, "nothing was touched");
    assert_eq!(r.list(&ListQuery::default()).unwrap().total, 2);
    // Other names in the same folders are fine.
    medlem_core::letters::calibration(&r, &path.with_file_name("kalibrering.pdf")).unwrap();
}
