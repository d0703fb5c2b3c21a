//! Import and export of member files.

use medlem_core::{Error, FieldCode, Language, ListQuery};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use medlem_core::export::{self, ExportFormat, ExportSummary};
use medlem_core::import::{ImportOptions, ImportPreview, ImportSummary, Mapping};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::error::Result;
use crate::events::Progress;
use crate::state::{off_runtime, AppState};

#[tauri::command]
pub async fn import_preview<R: Runtime>(
    app: AppHandle<R>,
    path: PathBuf,
    mapping: Option<Mapping>,
) -> Result<ImportPreview> {
    off_runtime(app, move |state| {
        state.with(|r| medlem_core::import::preview(r, &path, mapping.as_ref()))
    })
    .await
}

/// Imports in one transaction, leaving out what `options` leaves out and
/// refused (`import_changed`) when it would write anything else than the
/// preview its fingerprint names; progress on `on_progress`; `import_cancel`
/// rolls it back.
#[tauri::command]
pub async fn import_commit<R: Runtime>(
    app: AppHandle<R>,
    path: PathBuf,
    mapping: Option<Mapping>,
    options: Option<ImportOptions>,
    on_progress: Channel<Progress>,
) -> Result<ImportSummary> {
    off_runtime(app, move |state| {
        let mut report = |done, total| {
            // A closed window cannot take progress; the import goes on.
            let _ = on_progress.send(Progress { done, total });
        };
        let options = options.unwrap_or_default();
        let result = state.with(|r| {
            medlem_core::import::commit(
                r,
                &path,
                mapping.as_ref(),
                &options,
                &mut report,
                &state.cancel,
            )
        });
        // Cleared when the run ends, not when it starts: a Stop pressed while the
        // command still waited for the register is not lost.
        state.cancel.store(false, Ordering::SeqCst);
        result
    })
    .await
}

#[tauri::command(async)]
pub fn import_cancel(state: State<'_, AppState>) -> Result<()> {
    state.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// Exports the members `query` selects (all pages) to `path`.
#[tauri::command]
pub async fn export_members<R: Runtime>(
    app: AppHandle<R>,
    path: PathBuf,
    format: String,
    query: ListQuery,
    language: Language,
) -> Result<ExportSummary> {
    off_runtime(app, move |state| {
        let format = ExportFormat::parse(&format)
            .ok_or_else(|| Error::field("format", FieldCode::InvalidChoice))?;
        let result = state.with(|r| {
            export::export(
                r,
                &query,
                format,
                language,
                &path,
                &mut |_| {},
                &state.cancel,
            )
        });
        state.cancel.store(false, Ordering::SeqCst);
        result
    })
    .await
}

/// Whether something is at `path` already: the window asks before it writes
/// over a file (a path typed, or chosen in a dialog that did not ask).
#[tauri::command(async)]
pub fn file_exists(path: PathBuf) -> Result<bool> {
    Ok(path.symlink_metadata().is_ok())
}
