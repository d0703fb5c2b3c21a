//! Automatic backups: the schedule, whether one is due, pruning old ones,
//! and what the Backup area shows.

use std::fs::{self};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{BackupFailure, Error, Result};
use crate::store::postgres::PgRegister;
use crate::store::sqlite::{setting, SqliteRegister};
use crate::store::{Reads, Store};
use crate::types::dates::Timestamp;

use super::keys::*;
use super::names::*;
use super::server::backup_server;
use super::write::*;

/// Automatic backups: into which folder, how often, how many to keep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schedule {
    /// The folder for automatic backups; none: no automatic backups.
    pub folder: Option<PathBuf>,
    /// Back up when this many hours have passed since the last good
    /// backup; 0: not on a schedule.
    pub every_hours: u32,
    /// How many automatic backups to keep in the folder (the oldest go).
    pub keep: u32,
    /// Back up when the app closes.
    pub on_close: bool,
    /// How many safety copies (the register as it was before a restore) to
    /// keep beside the register; the oldest go.
    #[serde(default = "default_safety_keep")]
    pub safety_keep: u32,
}

fn default_safety_keep() -> u32 {
    DEFAULT_SAFETY_KEEP
}

/// Safety copies kept when nothing else is set.
pub const DEFAULT_SAFETY_KEEP: u32 = 10;

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            folder: None,
            every_hours: 0,
            keep: 10,
            on_close: false,
            safety_keep: DEFAULT_SAFETY_KEEP,
        }
    }
}

pub(super) const SET_SCHEDULE: &str = "backup_schedule";

/// The register's automatic backup settings.
pub fn schedule(reg: &dyn Reads) -> Result<Schedule> {
    Ok(reg
        .setting(SET_SCHEDULE)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

pub(super) fn schedule_in(conn: &rusqlite::Connection) -> Result<Schedule> {
    Ok(setting(conn, SET_SCHEDULE)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Saves the automatic backup settings; refuses nonsense (keep 0, a
/// schedule without a folder, a folder that is not a folder).
pub fn set_schedule(reg: &mut dyn Store, s: &Schedule) -> Result<Schedule> {
    let mut errors = Vec::new();
    if !(1..=1000).contains(&s.keep) {
        errors.push(crate::FieldError::new(
            "keep",
            crate::FieldCode::InvalidNumber,
        ));
    }
    if !(1..=100).contains(&s.safety_keep) {
        errors.push(crate::FieldError::new(
            "safetyKeep",
            crate::FieldCode::InvalidNumber,
        ));
    }
    if s.every_hours > 24 * 366 {
        errors.push(crate::FieldError::new(
            "everyHours",
            crate::FieldCode::InvalidChoice,
        ));
    }
    let folder = s
        .folder
        .as_ref()
        .filter(|f| !f.as_os_str().is_empty())
        .cloned();
    match &folder {
        None if s.every_hours > 0 || s.on_close => {
            errors.push(crate::FieldError::new("folder", crate::FieldCode::Required))
        }
        Some(f) if f.exists() && !f.is_dir() => errors.push(crate::FieldError::new(
            "folder",
            crate::FieldCode::InvalidChoice,
        )),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let s = Schedule {
        folder,
        ..s.clone()
    };
    let work = reg.begin()?;
    work.put_setting(SET_SCHEDULE, &serde_json::to_string(&s).unwrap_or_default())?;
    work.commit()?;
    Ok(s)
}

/// Is a scheduled backup due at `now`, given the last good one?
pub fn is_due(s: &Schedule, last: Option<Timestamp>, now: Timestamp) -> bool {
    if s.folder.is_none() || s.every_hours == 0 {
        return false;
    }
    match last {
        None => true,
        Some(l) => {
            now.0.signed_duration_since(l.0) >= chrono::Duration::hours(s.every_hours.into())
        }
    }
}

/// Deletes this register's oldest backups in `dir` so that `keep` remain.
/// A backup is this register's when its name carries the fingerprint of a
/// key the register has had (`keys`), or, named before fingerprints, when
/// one of those keys opens it; another register's backups (even of an
/// organisation with the same name) and other files are never touched.
/// Returns the deleted files.
pub fn prune(dir: &Path, keys: &[age::x25519::Identity], keep: u32) -> Result<Vec<PathBuf>> {
    let ours_fp: Vec<String> = keys.iter().map(|k| fingerprint(&k.to_public())).collect();
    let mut ours: Vec<(Timestamp, PathBuf)> = Vec::new();
    for e in fs::read_dir(dir)?.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((at, fp)) = parse_backup_name(&name) else {
            continue;
        };
        let mine = match fp {
            Some(fp) => ours_fp.iter().any(|o| o == fp),
            None => keys.iter().any(|k| opens(&e.path(), k).unwrap_or(false)),
        };
        if mine {
            ours.push((at, e.path()));
        }
    }
    ours.sort();
    let excess = ours.len().saturating_sub(keep.max(1) as usize);
    let mut gone = Vec::new();
    for (_, f) in ours.into_iter().take(excess) {
        fs::remove_file(&f)?;
        gone.push(f);
    }
    Ok(gone)
}

/// Is a backup wanted when the app closes: the schedule says so and
/// automatic backups can run?
pub fn on_close_wanted(reg: &dyn Reads) -> Result<bool> {
    Ok(schedule(reg)?.on_close && auto_ready(reg)?)
}

/// Is a scheduled backup due at `now` (a passphrase set, and the schedule's
/// interval passed since the last good backup)?
pub fn scheduled_due(reg: &dyn Reads, now: Timestamp) -> Result<bool> {
    Ok(has_passphrase(reg)? && is_due(&schedule(reg)?, last_backup_at(reg)?, now))
}

/// Can automatic backups run: a folder chosen and a passphrase set?
pub fn auto_ready(reg: &dyn Reads) -> Result<bool> {
    Ok(schedule(reg)?.folder.is_some() && has_passphrase(reg)?)
}

/// The folder of an automatic backup that can run now, and how many to
/// keep there: `None` when no folder or passphrase is set; refused when the
/// folder is not there.
pub fn auto_folder(reg: &dyn Reads) -> Result<Option<(PathBuf, u32)>> {
    if !auto_ready(reg)? {
        return Ok(None);
    }
    let s = schedule(reg)?;
    let Some(folder) = s.folder else {
        return Ok(None);
    };
    // An automatic backup never creates its folder: a stick that is not
    // plugged in must not turn into a folder on the local disk.
    if !folder.is_dir() {
        return Err(fail(
            BackupFailure::WriteFailed,
            format!(
                "the backup folder {} is not there (is the USB stick plugged in?)",
                folder.display()
            ),
        ));
    }
    Ok(Some((folder, s.keep)))
}

/// An automatic backup into the schedule's folder, then pruning to `keep`.
/// `None` when no folder or passphrase is set.
pub fn auto_backup(
    reg: &SqliteRegister,
    progress: &mut dyn FnMut(&str, f32),
) -> Result<Option<BackupReport>> {
    let Some((folder, keep)) = auto_folder(reg)? else {
        return Ok(None);
    };
    let report = backup(reg, &folder, progress)?;
    prune(&folder, &register_identities(reg)?, keep)?;
    Ok(Some(report))
}

/// [`auto_backup`] of a register on the office server.
pub fn auto_backup_server(
    reg: &mut PgRegister,
    progress: &mut dyn FnMut(&str, f32),
) -> Result<Option<BackupReport>> {
    let Some((folder, keep)) = auto_folder(&*reg)? else {
        return Ok(None);
    };
    let report = backup_server(reg, &folder, progress)?;
    prune(&folder, &register_identities(&*reg)?, keep)?;
    Ok(Some(report))
}

/// What the Backup area shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub has_passphrase: bool,
    pub last_backup_at: Option<Timestamp>,
    pub schedule: Schedule,
}

pub fn status(reg: &dyn Reads) -> Result<Status> {
    Ok(Status {
        has_passphrase: has_passphrase(reg)?,
        last_backup_at: last_backup_at(reg)?,
        schedule: schedule(reg)?,
    })
}
