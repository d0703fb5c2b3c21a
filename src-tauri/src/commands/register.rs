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
    /// The officer unticked "encrypted connection": the address says
    /// `sslmode=disable`.
    #[serde(default)]
    pub tls_off: bool,
    /// The server certificate's fingerprint the officer was shown and
    /// trusted (after `server_certificate_new` or `tls_changed`).
    #[serde(default)]
    pub trusted: Option<String>,
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
        "postgres://{}@{}:{}/{}{}",
        s.user.trim(),
        s.host.trim(),
        port.unwrap_or(5432),
        s.database.trim(),
        if s.tls_off { "?sslmode=disable" } else { "" }
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
        let trusted = server.trusted.as_deref().filter(|f| !f.is_empty());
        let result = state.move_to_server(&url, &server.password, trusted, &mut report);
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

/// What Medlem opens when started without `--db`, as chosen.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationReport {
    /// `user@host:port/database`.
    pub place: String,
    /// The address remembered (without the password).
    pub address: String,
}

/// The register on the office server at `server` is where Medlem opens
/// from the next start without `--db`: connected to first (the password
/// typed, the certificate trusted if shown), then remembered on this
/// computer. Nothing is remembered when it does not open.
#[tauri::command]
pub async fn register_location_connect<R: Runtime>(
    app: AppHandle<R>,
    server: ServerInput,
) -> Result<LocationReport> {
    off_runtime(app, move |state| {
        let url = server_address(&server)?;
        let trusted = server.trusted.as_deref().filter(|f| !f.is_empty());
        let place = state.use_server(&url, &server.password, trusted)?;
        Ok(LocationReport {
            place,
            address: medlem_core::location::without_password(&url),
        })
    })
    .await
}

/// From the next start without `--db`, Medlem opens the register on the
/// office server at `address` (a move's, `postgres://…`), or, for `null`,
/// the file on this computer again.
#[tauri::command]
pub async fn register_location_set<R: Runtime>(
    app: AppHandle<R>,
    address: Option<String>,
) -> Result<()> {
    off_runtime(app, move |_| {
        if let Some(a) = &address {
            if !medlem_core::location::is_server_address(a) {
                return Err(Error::field("address", FieldCode::InvalidChoice).into());
            }
        }
        medlem_core::location::remember(address.as_deref())?;
        Ok(())
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

/// The officer trusts the certificate the office server showed at the
/// start (`fingerprint`) from now on: Medlem connects again (reload
/// everything; the next refusal, if any, is in `app_info`).
#[tauri::command]
pub async fn server_trust<R: Runtime>(app: AppHandle<R>, fingerprint: String) -> Result<()> {
    off_runtime(app, move |state| state.trust(&fingerprint)).await
}

/// The officer's Reconnect after `server_lost`: Medlem connects to the
/// office server anew (null), or says why it cannot (`server_unreachable`,
/// `server_lost` again); nothing else changes.
#[tauri::command]
pub async fn server_reconnect<R: Runtime>(app: AppHandle<R>) -> Result<()> {
    off_runtime(app, move |state| {
        state.with(|r| {
            // The client may learn that its connection went only from the
            // first read; the second connects anew.
            match r.org() {
                Err(Error::ServerLost) => r.org().map(drop),
                other => other.map(drop),
            }
        })
    })
    .await
}

/// The office server's password, typed in the window when the server
/// refused the start without one: the register opens (reload everything).
#[tauri::command]
pub async fn server_login<R: Runtime>(app: AppHandle<R>, password: String) -> Result<()> {
    off_runtime(app, move |state| state.login(&password)).await
}
