//! Backups, restore, safety copies, the in-use note and the backup on closing.

use medlem_core::{Error, FieldCode};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use medlem_core::age::secrecy::SecretString;
use medlem_core::backup;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::error::{CommandError, Result};
use crate::events::BackupEvent;
use crate::state::{off_runtime, AppState};

/// What the Backup area shows.
#[tauri::command]
pub async fn backup_status<R: Runtime>(app: AppHandle<R>) -> Result<backup::Status> {
    off_runtime(app, move |state| state.with(|r| backup::status(r))).await
}

/// Sets or changes the backup passphrase (typed twice).
#[tauri::command]
pub async fn backup_set_passphrase<R: Runtime>(
    app: AppHandle<R>,
    passphrase: String,
    repeat: String,
) -> Result<backup::Status> {
    off_runtime(app, move |state| {
        backup::check_repeat(&passphrase, &repeat)?;
        state.with(|r| {
            // age calibrates scrypt to about a second on this computer.
            backup::set_passphrase_in(r, &passphrase, None)?;
            backup::status(r)
        })
    })
    .await
}

/// How far a backup or restore has come: the step and the fraction done.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupProgress {
    pub step: String,
    pub fraction: f32,
}

fn progress_to(ch: &Channel<BackupProgress>) -> impl FnMut(&str, f32) + '_ {
    move |step, fraction| {
        let _ = ch.send(BackupProgress {
            step: step.to_owned(),
            fraction,
        });
    }
}

/// Backs up now into `folder`, verified.
#[tauri::command]
pub async fn backup_now<R: Runtime>(
    app: AppHandle<R>,
    folder: PathBuf,
    on_progress: Channel<BackupProgress>,
) -> Result<backup::BackupReport> {
    off_runtime(app, move |state| {
        if folder.as_os_str().is_empty() {
            return Err(Error::field("folder", FieldCode::Required).into());
        }
        state.backup_with(
            |r| backup::backup(r, &folder, &mut progress_to(&on_progress)),
            |r| backup::backup_server(r, &folder, &mut progress_to(&on_progress)),
        )
    })
    .await
}

#[tauri::command]
pub async fn backup_schedule_set<R: Runtime>(
    app: AppHandle<R>,
    schedule: backup::Schedule,
) -> Result<backup::Schedule> {
    off_runtime(app, move |state| {
        state.with(|r| backup::set_schedule(r, &schedule))
    })
    .await
}

/// What a backup file holds and how it compares with the register.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupInspection {
    pub info: backup::BackupInfo,
    pub comparison: backup::Comparison,
}

fn secret(p: Option<String>) -> Option<SecretString> {
    p.filter(|p| !p.is_empty()).map(SecretString::from)
}

#[tauri::command]
pub async fn backup_inspect<R: Runtime>(
    app: AppHandle<R>,
    file: PathBuf,
    passphrase: Option<String>,
) -> Result<BackupInspection> {
    off_runtime(app, move |state| {
        if file.as_os_str().is_empty() {
            return Err(Error::field("file", FieldCode::Required).into());
        }
        state.with_file(|r| {
            let info = backup::inspect(&file, Some(r), secret(passphrase))?;
            let comparison = backup::compare(r, &info)?;
            Ok(BackupInspection { info, comparison })
        })
    })
    .await
}

/// Replaces the register by the backup `file` (a safety copy of the current
/// one is kept), then opens it.
#[tauri::command]
pub async fn backup_restore<R: Runtime>(
    app: AppHandle<R>,
    file: PathBuf,
    passphrase: Option<String>,
    on_progress: Channel<BackupProgress>,
) -> Result<backup::RestoreReport> {
    off_runtime(app, move |state| {
        if file.as_os_str().is_empty() {
            return Err(Error::field("file", FieldCode::Required).into());
        }
        // With a passphrase: the key file beside the backup. Without: the
        // register's own key, taken out while the register is still open.
        let unlock = match secret(passphrase) {
            Some(p) => backup::Unlock::Passphrase(p),
            None => backup::Unlock::Key(state.with_file(|r| backup::register_identity(r))?),
        };
        state.swap(|db| backup::restore(db, &file, &unlock, &mut progress_to(&on_progress)))
    })
    .await
}

/// The safety copies kept before restores, newest first.
#[tauri::command]
pub async fn safety_copies_list<R: Runtime>(app: AppHandle<R>) -> Result<Vec<backup::SafetyCopy>> {
    off_runtime(app, move |state| {
        backup::safety_copies(&state.db_path).map_err(Into::into)
    })
    .await
}

/// Undoes a restore: puts the safety copy `file` back.
#[tauri::command]
pub async fn safety_copy_restore<R: Runtime>(app: AppHandle<R>, file: PathBuf) -> Result<()> {
    off_runtime(app, move |state| {
        // Only copies from the safety folder: the window never names other files.
        let known = backup::safety_copies(&state.db_path)?
            .into_iter()
            .any(|c| c.file == file);
        if !known {
            return Err(Error::field("file", FieldCode::InvalidChoice).into());
        }
        state.swap(|db| backup::restore_safety_copy(db, &file).map(|_| ()))
    })
    .await
}

/// Opens a register that another computer has marked as in use.
#[tauri::command]
pub async fn lock_open_anyway<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    off_runtime(app, move |state| state.open_anyway()).await
}

/// The window asks to hear about background backups.
#[tauri::command(async)]
pub fn backup_watch(state: State<'_, AppState>, on_event: Channel<BackupEvent>) -> Result<()> {
    *state
        .backup_events
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some(on_event);
    Ok(())
}

/// Runs the automatic backup for `reason`, telling the window. `Ok(None)`:
/// nothing to do (no folder or passphrase set).
pub fn run_auto_backup(
    state: &AppState,
    reason: &'static str,
) -> Result<Option<backup::BackupReport>> {
    // Only a backup that will run is announced.
    let wanted = state.with(|r| backup::auto_ready(r)).unwrap_or(false);
    if !wanted {
        return Ok(None);
    }
    state.tell(BackupEvent::Started { reason });
    let tell = |step: &str, fraction| {
        state.tell(BackupEvent::Progress {
            step: step.to_owned(),
            fraction,
        })
    };
    let result = state.backup_with(
        |r| backup::auto_backup(r, &mut tell.clone()),
        |r| backup::auto_backup_server(r, &mut tell.clone()),
    );
    match &result {
        Ok(Some(report)) => state.tell(BackupEvent::Done {
            reason,
            report: report.clone(),
        }),
        Ok(None) => {}
        Err(e) => state.tell(BackupEvent::Failed {
            reason,
            error: e.clone(),
        }),
    }
    result
}

/// Is a backup due on closing (schedule says so, a passphrase is set)?
pub fn backup_on_close_wanted(state: &AppState) -> bool {
    state.with(|r| backup::on_close_wanted(r)).unwrap_or(false)
}

/// Is a scheduled backup due now?
pub fn scheduled_backup_due(state: &AppState) -> bool {
    state
        .with(|r| backup::scheduled_due(r, medlem_core::dates::now()))
        .unwrap_or(false)
}

/// Closes the window: after the backup on closing failed, the user chose
/// to close without one.
#[tauri::command(async)]
pub fn app_close<R: Runtime>(window: tauri::Window<R>, state: State<'_, AppState>) -> Result<()> {
    state.may_close.store(true, Ordering::SeqCst);
    window
        .close()
        .map_err(|e| CommandError::from(Error::Io(std::io::Error::other(e.to_string()))))
}
