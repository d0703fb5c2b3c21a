//! Where the register is: moving it from its file onto the office server,
//! and a copy of a server's register into a file on this computer.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use medlem_core::store::postgres::moving::Moved;
use medlem_core::{Error, FieldCode, FieldError};
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::error::Result;
use crate::events::Progress;
use crate::state::{off_runtime, AppState};

/// The office server's database as the officer typed it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerInput {
    pub host: String,
    pub port: String,
    pub database: String,
    pub user: String,
    pub password: String,
}

/// What a move copied, and where to.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MoveReport {
    pub moved: Moved,
    /// `user@host:port/database` or the file.
    pub place: String,
    /// What to start Medlem with to open the register there.
    pub address: String,
}

/// The server's address, `postgres://user@host:port/database`, from the
/// form: each field checked (no spaces or characters an address uses).
pub fn server_address(s: &ServerInput) -> medlem_core::Result<String> {
    let mut problems = Vec::new();
    let plain = |v: &str| {
        !v.chars()
            .any(|c| c.is_whitespace() || "@/:?#%\\'\"".contains(c))
    };
    for (field, value) in [
        ("host", s.host.trim()),
        ("database", s.database.trim()),
        ("user", s.user.trim()),
    ] {
        if value.is_empty() {
            problems.push(FieldError::new(field, FieldCode::Required));
        } else if !plain(value) {
            problems.push(FieldError::new(field, FieldCode::InvalidCharacter));
        }
    }
    let port = match s.port.trim() {
        "" => Some(5432),
        p => p.parse::<u16>().ok().filter(|p| *p > 0),
    };
    if port.is_none() {
        problems.push(FieldError::new("port", FieldCode::InvalidNumber));
    }
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    Ok(format!(
        "postgres://{}@{}:{}/{}",
        s.user.trim(),
        s.host.trim(),
        port.unwrap_or(5432),
        s.database.trim()
    ))
}

/// Moves the register from its file onto an empty server database, whole,
/// with progress per table; `register_move_cancel` stops it (nothing kept).
#[tauri::command]
pub async fn register_move_to_server<R: Runtime>(
    app: AppHandle<R>,
    server: ServerInput,
    on_progress: Channel<Progress>,
) -> Result<MoveReport> {
    off_runtime(app, move |state| {
        let url = server_address(&server)?;
        let mut report = |done, total| {
            let _ = on_progress.send(Progress { done, total });
        };
        let result = state.move_to_server(&url, &server.password, &mut report);
        state.cancel.store(false, Ordering::SeqCst);
        let (moved, place) = result?;
        Ok(MoveReport {
            moved,
            address: url,
            place,
        })
    })
    .await
}

/// Copies the register on the server into a new file at `path`.
#[tauri::command]
pub async fn register_copy_to_file<R: Runtime>(
    app: AppHandle<R>,
    path: PathBuf,
    on_progress: Channel<Progress>,
) -> Result<MoveReport> {
    off_runtime(app, move |state| {
        if path.as_os_str().is_empty() {
            return Err(Error::field("path", FieldCode::Required).into());
        }
        let mut report = |done, total| {
            let _ = on_progress.send(Progress { done, total });
        };
        let result = state.copy_to_file(&path, &mut report);
        state.cancel.store(false, Ordering::SeqCst);
        Ok(MoveReport {
            moved: result?,
            place: path.display().to_string(),
            address: path.display().to_string(),
        })
    })
    .await
}

#[tauri::command(async)]
pub fn register_move_cancel(state: State<'_, AppState>) -> Result<()> {
    state.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// The office server's password, typed in the window when the server
/// refused the start without one: the register opens (reload everything).
#[tauri::command]
pub async fn server_login<R: Runtime>(app: AppHandle<R>, password: String) -> Result<()> {
    off_runtime(app, move |state| state.login(&password)).await
}
