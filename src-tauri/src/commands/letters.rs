//! Letters, labels, lists and the PDFs they write.

use medlem_core::{Error, FieldCode, Language, ListQuery};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use medlem_core::letters::{self, LetterSettings, Page, PdfSummary, Template, TemplateInput};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::error::{CommandError, Result};
use crate::events::Progress;
use crate::state::{off_runtime, AppState};

#[tauri::command]
pub async fn letter_templates_list<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Template>> {
    off_runtime(app, move |state| state.with(|r| letters::templates(r))).await
}

/// Saves a template; an unknown merge field is refused naming it.
#[tauri::command]
pub async fn letter_template_save<R: Runtime>(
    app: AppHandle<R>,
    template: TemplateInput,
) -> Result<Template> {
    off_runtime(app, move |state| {
        state.with(|r| letters::save_template(r, &template, medlem_core::LETTER_KINDS))
    })
    .await
}

/// Back to the shipped text (or removes the user's own template).
#[tauri::command]
pub async fn letter_template_reset<R: Runtime>(
    app: AppHandle<R>,
    key: String,
    language: Language,
) -> Result<Vec<Template>> {
    off_runtime(app, move |state| {
        state.with(|r| {
            letters::reset_template(r, &key, language)?;
            letters::templates(r)
        })
    })
    .await
}

/// Page 1 of the (unsaved) template for one member: items in mm from the
/// sheet's top-left corner, for the window to draw.
#[tauri::command]
pub async fn letter_preview<R: Runtime>(
    app: AppHandle<R>,
    template: TemplateInput,
    member_id: i64,
) -> Result<Page> {
    off_runtime(app, move |state| {
        state.with(|r| letters::preview(r, &template, member_id, medlem_core::LETTER_KINDS))
    })
    .await
}

/// A window preset: its id and rectangle (mm).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preset {
    pub id: &'static str,
    pub window: letters::Window,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LetterSetup {
    pub settings: LetterSettings,
    pub presets: Vec<Preset>,
    pub has_logo: bool,
}

#[tauri::command]
pub async fn letter_settings_get<R: Runtime>(app: AppHandle<R>) -> Result<LetterSetup> {
    off_runtime(app, move |state| {
        state.with(|r| {
            Ok(LetterSetup {
                settings: letters::settings(r)?,
                presets: letters::PRESETS
                    .iter()
                    .map(|(id, window)| Preset {
                        id,
                        window: *window,
                    })
                    .collect(),
                has_logo: letters::has_logo(r)?,
            })
        })
    })
    .await
}

#[tauri::command]
pub async fn letter_settings_set<R: Runtime>(
    app: AppHandle<R>,
    settings: LetterSettings,
) -> Result<LetterSettings> {
    off_runtime(app, move |state| {
        state.with(|r| letters::set_settings(r, &settings))
    })
    .await
}

/// Sets the logo from a PNG or JPEG file, or removes it (`path` null).
#[tauri::command]
pub async fn letter_logo_set<R: Runtime>(app: AppHandle<R>, path: Option<PathBuf>) -> Result<bool> {
    off_runtime(app, move |state| {
        state.with(|r| {
            letters::set_logo_file(r, path.as_deref())?;
            letters::has_logo(r)
        })
    })
    .await
}

/// One letter per selected member into one PDF at `path`.
#[tauri::command]
pub async fn letters_print<R: Runtime>(
    app: AppHandle<R>,
    key: String,
    query: ListQuery,
    path: PathBuf,
    on_progress: Channel<Progress>,
) -> Result<PdfSummary> {
    off_runtime(app, move |state| {
        let result = state.with(|r| {
            letters::letters(
                r,
                &key,
                &query,
                &path,
                &mut |done, total| {
                    let _ = on_progress.send(Progress { done, total });
                },
                &state.cancel,
                medlem_core::LETTER_KINDS,
            )
        });
        state.cancel.store(false, Ordering::SeqCst);
        if result.is_ok() {
            state.remember_pdf(&path);
        }
        result
    })
    .await
}

#[tauri::command(async)]
pub fn letters_cancel(state: State<'_, AppState>) -> Result<()> {
    state.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

#[tauri::command]
pub async fn labels_print<R: Runtime>(
    app: AppHandle<R>,
    query: ListQuery,
    sheet: String,
    households: bool,
    offset_x: f32,
    offset_y: f32,
    path: PathBuf,
) -> Result<PdfSummary> {
    off_runtime(app, move |state| {
        let sheet = letters::Sheet::parse(&sheet)
            .ok_or_else(|| Error::field("sheet", FieldCode::InvalidChoice))?;
        let done = state
            .with(|r| letters::labels(r, &query, sheet, households, (offset_x, offset_y), &path))?;
        state.remember_pdf(&path);
        Ok(done)
    })
    .await
}

/// `kind`: `members` or `signatures`.
#[tauri::command]
pub async fn list_print<R: Runtime>(
    app: AppHandle<R>,
    query: ListQuery,
    kind: String,
    path: PathBuf,
) -> Result<PdfSummary> {
    off_runtime(app, move |state| {
        let kind = letters::lists::Kind::parse(&kind)
            .ok_or_else(|| Error::field("kind", FieldCode::InvalidChoice))?;
        let done = state.with(|r| letters::list(r, &query, kind, &path))?;
        state.remember_pdf(&path);
        Ok(done)
    })
    .await
}

#[tauri::command]
pub async fn calibration_print<R: Runtime>(app: AppHandle<R>, path: PathBuf) -> Result<PdfSummary> {
    off_runtime(app, move |state| {
        let done = state.with(|r| letters::calibration(r, &path))?;
        state.remember_pdf(&path);
        Ok(done)
    })
    .await
}

/// Opens a PDF this run of the app wrote in the system's viewer.
#[tauri::command(async)]
pub fn pdf_open<R: Runtime>(
    app: tauri::AppHandle<R>,
    state: State<'_, AppState>,
    path: PathBuf,
) -> Result<()> {
    let known = state
        .written_pdfs
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .contains(&path);
    // Only PDFs: a file this run wrote under another name is not opened
    // with whatever program the system has for it.
    let pdf = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
    if !known || !pdf {
        return Err(Error::field("path", FieldCode::InvalidChoice).into());
    }
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| CommandError::from(Error::Io(std::io::Error::other(e.to_string()))))
}
