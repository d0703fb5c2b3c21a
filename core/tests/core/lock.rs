//! The "in use" note beside a register.

use medlem_core::lock::{self, LockNote};

#[test]
fn our_note_is_written_read_and_released() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("medlem.sqlite");
    assert_eq!(lock::read(&db), None);
    let note = lock::take(&db).unwrap();
    assert_eq!(
        lock::note_path(&db),
        dir.path().join("medlem.sqlite.in-use")
    );
    assert_eq!(lock::read(&db), Some(note.clone()));
    assert!(note.is_ours());
    assert_eq!(lock::foreign(&db), None, "our own note is no warning");
    lock::release(&db);
    assert_eq!(lock::read(&db), None);
}

#[test]
fn another_computers_note_is_foreign_and_survives_our_release() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("medlem.sqlite");
    let theirs = LockNote {
        computer: "KASSÖRENS-LAPTOP".into(),
        pid: 4242,
        since: "2026-11-20T18:00:00Z".into(),
    };
    std::fs::write(
        lock::note_path(&db),
        serde_json::to_string(&theirs).unwrap(),
    )
    .unwrap();
    assert_eq!(lock::foreign(&db), Some(theirs.clone()));
    lock::release(&db);
    assert_eq!(lock::read(&db), Some(theirs), "not ours to remove");
    // Deciding to open anyway takes the note over.
    lock::take(&db).unwrap();
    assert_eq!(lock::foreign(&db), None);
}

#[test]
fn a_garbled_note_counts_as_someone_elses() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("medlem.sqlite");
    std::fs::write(lock::note_path(&db), "<script>alert(1)</script>").unwrap();
    let note = lock::foreign(&db).unwrap();
    assert_eq!(note.computer, "unknown");
}
