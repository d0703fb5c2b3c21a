//! Restoring a backup over the register, with a safety copy first, and
//! undoing it from a safety copy.

use std::fs::{self};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::atomic_file::TempFile;
use crate::error::{BackupFailure, Error, Result};
use crate::store::sqlite::db::SCHEMA_VERSION;
use crate::store::sqlite::{put_setting, setting};
use crate::types::dates::{now, Timestamp};

use super::keys::*;
use super::names::*;
use super::write::*;

/// What restoring did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub info: BackupInfo,
    /// The copy of the register as it was before, to undo the restore.
    pub safety_copy: Option<PathBuf>,
}

/// The folder of safety copies beside the register.
pub fn safety_dir(db_path: &Path) -> PathBuf {
    db_dir(db_path).join("safety")
}

/// Replaces the register file at `db_path` by the backup `file`. The caller
/// must have closed every connection to `db_path`. The backup is decrypted
/// and checked beside the register first; the current register is copied to
/// `<dir>/safety/` and then replaced by one atomic rename, so a failure at
/// any step leaves the register as it was. `progress` as for [`backup`].
pub fn restore(
    db_path: &Path,
    file: &Path,
    unlock: &Unlock,
    progress: &mut dyn FnMut(&str, f32),
) -> Result<RestoreReport> {
    progress("decrypt", 0.0);
    check_is_age(file)?;
    let identities = identity_for(file, unlock)?;
    fs::create_dir_all(db_dir(db_path))?;
    // The safety copy of the current register is made on the second core
    // while the backup is decrypted and checked.
    let safety = {
        let db = db_path.to_path_buf();
        std::thread::spawn(move || make_safety_copy(&db, "before-restore"))
    };
    let incoming = (|| {
        let incoming = TempFile::beside(db_path)?;
        decrypt_to(file, &identities, mismatch(unlock), incoming.file())?;
        progress("check", 0.4);
        let info = check_copy(incoming.path())?;
        let c = Connection::open(incoming.path())?;
        c.execute_batch("DROP TABLE IF EXISTS backup_info;")?;
        // The backup itself is a verified backup of what is now the
        // register: it counts as the last good one (unless a later one is
        // recorded inside).
        let last = setting(&c, SET_LAST)?.as_deref().and_then(Timestamp::parse);
        if last.is_none_or(|l| l < info.created_at) {
            put_setting(&c, SET_LAST, &info.created_at.to_string())?;
        }
        Ok((incoming, info))
    })();
    progress("safety", 0.8);
    let safety = safety
        .join()
        .unwrap_or_else(|_| Err(Error::Io(std::io::Error::other("the safety copy stopped"))));
    match (incoming, safety) {
        (Ok((incoming, info)), Ok(safety_copy)) => {
            swap_in(db_path, incoming)?;
            progress("done", 1.0);
            Ok(RestoreReport { info, safety_copy })
        }
        (Err(e), Ok(Some(copy))) => {
            // Nothing was restored: the copy is not needed.
            let _ = fs::remove_file(copy);
            Err(e)
        }
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
    }
}

/// Copies the register at `db_path` (if there is one) into the safety
/// folder, whole or not at all; the copy's path.
pub(super) fn make_safety_copy(db_path: &Path, why: &str) -> Result<Option<PathBuf>> {
    if !db_path.exists() {
        return Ok(None);
    }
    let dir = safety_dir(db_path);
    fs::create_dir_all(&dir)?;
    let at = now();
    // Copies within one second are numbered after the highest number of
    // that second (a pruned one's number is not taken again: the numbers
    // order them).
    let same_second = format!("{why}-{}", stamp_text(at));
    let highest = fs::read_dir(&dir)?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let (w, t, n) = parse_safety_name(&name)?;
            (w == why && t == at).then_some(n)
        })
        .max();
    let copy = match highest {
        None => dir.join(format!("{same_second}.sqlite")),
        Some(n) => dir.join(format!("{same_second}-{}.sqlite", n + 1)),
    };
    // SQLite's online backup reads the register with its write-ahead log:
    // a consistent copy without a checkpoint.
    let current = Connection::open(db_path)?;
    let keep = super::schedule::schedule_in(&current)?.safety_keep as usize;
    let part = TempFile::beside(&copy)?;
    crate::scratch::private(part.path())?;
    {
        let mut out = Connection::open(part.path())?;
        rusqlite::backup::Backup::new(&current, &mut out)?.run_to_completion(
            4096,
            std::time::Duration::ZERO,
            None,
        )?;
        out.execute_batch("PRAGMA journal_mode = DELETE;")?;
    }
    drop(current);
    part.persist(&copy)?;
    prune_safety_copies(db_path, keep)?;
    Ok(Some(copy))
}

/// Deletes the oldest safety copies so that the newest `keep` remain.
pub(super) fn prune_safety_copies(db_path: &Path, keep: usize) -> Result<Vec<PathBuf>> {
    let mut gone = Vec::new();
    for old in safety_copies(db_path)?.into_iter().skip(keep.max(1)) {
        fs::remove_file(&old.file)?;
        gone.push(old.file);
    }
    Ok(gone)
}

/// Writes the checked copy `incoming` into the register at `db_path`
/// (after its safety copy was made) through SQLite's online backup: one
/// transaction of the register's own, so a crash or a power cut at any
/// instant leaves the old register or the new one, whole; the write-ahead
/// log stays SQLite's to manage. The copy is removed afterwards.
pub(super) fn swap_in(db_path: &Path, incoming: TempFile) -> Result<()> {
    let src = Connection::open_with_flags(incoming.path(), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut live = Connection::open(db_path)?;
    live.busy_timeout(std::time::Duration::from_secs(5))?;
    // Every page in one step: one write transaction on the register.
    let copied = rusqlite::backup::Backup::new(&src, &mut live)?.step(-1)?;
    if copied != rusqlite::backup::StepResult::Done {
        return Err(Error::Io(std::io::Error::other(
            "the register is busy: nothing was restored",
        )));
    }
    // Fold the log into the file; a checkpoint another connection blocks
    // is an error (the register was to be closed), not a silent half.
    let busy: i64 = live.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    if busy != 0 {
        return Err(Error::Io(std::io::Error::other(
            "the register is still open elsewhere: its log could not be folded in",
        )));
    }
    drop(live);
    drop(src);
    drop(incoming);
    let _ = crate::scratch::private(db_path);
    Ok(())
}

/// A copy of the register kept before a restore, to undo it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SafetyCopy {
    pub file: PathBuf,
    /// When the copy was made (RFC 3339, from the file's name).
    pub created_at: Timestamp,
    pub organisation: Option<String>,
    pub members: i64,
}

/// The safety copies beside the register, newest first.
pub fn safety_copies(db_path: &Path) -> Result<Vec<SafetyCopy>> {
    let dir = safety_dir(db_path);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let file = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((_, created_at, number)) = parse_safety_name(&name) else {
            continue;
        };
        let Ok(conn) = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
            continue;
        };
        let organisation = conn
            .query_row("SELECT name FROM organisation LIMIT 1", [], |r| r.get(0))
            .optional()
            .ok()
            .flatten();
        let Ok((members, _)) = counts(&conn) else {
            continue;
        };
        out.push((
            number,
            SafetyCopy {
                file,
                created_at,
                organisation,
                members,
            },
        ));
    }
    // Copies made in the same second are numbered: -2, -3, … after the
    // time; in one second, an undo ("before-undo") follows the restore it
    // undoes.
    out.sort_by_key(|(n, c)| std::cmp::Reverse((c.created_at, *n, c.file.clone())));
    Ok(out.into_iter().map(|(_, c)| c).collect())
}

/// Undoes a restore: puts the safety copy `copy` back as the register (after
/// keeping a safety copy of the register being replaced). The caller must
/// have closed every connection to `db_path`.
pub fn restore_safety_copy(db_path: &Path, copy: &Path) -> Result<Option<PathBuf>> {
    let incoming = TempFile::beside(db_path)?;
    {
        let src = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| fail(BackupFailure::Damaged, e.to_string()))?;
        let mut dst = Connection::open(incoming.path())?;
        rusqlite::backup::Backup::new(&src, &mut dst)
            .and_then(|b| b.run_to_completion(4096, std::time::Duration::ZERO, None))
            .map_err(|e| fail(BackupFailure::Damaged, e.to_string()))?;
    }
    let conn = Connection::open_with_flags(incoming.path(), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| fail(BackupFailure::Damaged, e.to_string()))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let has_members = counts(&conn).is_ok();
    drop(conn);
    if ok != "ok" || !has_members {
        return Err(fail(BackupFailure::Damaged, "the safety copy is damaged"));
    }
    if version > SCHEMA_VERSION {
        return Err(fail(BackupFailure::Newer, "made by a newer Medlem"));
    }
    let kept = make_safety_copy(db_path, "before-undo")?;
    swap_in(db_path, incoming)?;
    Ok(kept)
}
