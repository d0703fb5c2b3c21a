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
        since: medlem_core::Timestamp::parse("2026-11-20T18:00:00Z"),
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

/// A program that ends at once, and one that waits until its input closes.
#[cfg(unix)]
const DONE: (&str, &[&str]) = ("true", &[]);
#[cfg(unix)]
const WAITS: (&str, &[&str]) = ("cat", &[]);
#[cfg(windows)]
const DONE: (&str, &[&str]) = ("cmd", &["/C", "exit 0"]);
#[cfg(windows)]
const WAITS: (&str, &[&str]) = ("cmd", &["/Q", "/K"]);

/// The id of a process that has ended.
pub(crate) fn ended_pid() -> u32 {
    let mut child = command(DONE).spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

fn command((program, args): (&str, &[&str])) -> std::process::Command {
    let mut c = std::process::Command::new(program);
    c.args(args);
    c
}

#[test]
fn a_note_left_by_a_dead_process_on_this_computer_is_stale() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("medlem.sqlite");
    // A child that has exited: its pid no longer runs.
    let pid = ended_pid();
    let dead = LockNote {
        computer: lock::computer_name(),
        pid,
        since: medlem_core::Timestamp::parse("2026-11-20T18:00:00Z"),
    };
    std::fs::write(lock::note_path(&db), serde_json::to_string(&dead).unwrap()).unwrap();
    assert!(dead.is_stale());
    assert_eq!(lock::foreign(&db), None, "a crash leaves no warning behind");

    // A live process of this computer (not us) is someone else.
    let mut other = command(WAITS)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let alive = LockNote {
        pid: other.id(),
        ..dead
    };
    std::fs::write(lock::note_path(&db), serde_json::to_string(&alive).unwrap()).unwrap();
    assert_eq!(lock::foreign(&db), Some(alive));
    drop(other.stdin.take());
    other.wait().unwrap();
}

#[cfg(unix)]
#[test]
fn a_process_that_exited_but_was_not_reaped_is_not_running() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("medlem.sqlite");
    let mut child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id();
    // Wait for the exit but leave the child unreaped (a zombie).
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::waitid(libc::P_PID, pid, &mut info, libc::WEXITED | libc::WNOWAIT) };
    assert_eq!(r, 0);
    let note = LockNote {
        computer: lock::computer_name(),
        pid,
        since: medlem_core::Timestamp::parse("2026-11-20T18:00:00Z"),
    };
    std::fs::write(lock::note_path(&db), serde_json::to_string(&note).unwrap()).unwrap();
    assert!(note.is_stale(), "an exited process's note is stale");
    assert_eq!(lock::foreign(&db), None);
    child.wait().unwrap();
}
