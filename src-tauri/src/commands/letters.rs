//! Letters, labels, lists and the PDFs they write.

use medlem_core::{Error, FieldCode, Language, ListQuery};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use medlem_core::letters::{self, LetterSettings, Page, PdfSummary, Template, TemplateInput};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{Runtime, State};

use crate::error::{CommandError, Result};
use crate::events::Progress;
use crate::state::AppState;

#[tauri::command(async)]
pub fn letter_templates_list(state: State<'_, AppState>) -> Result<Vec<Template>> {
    state.with(|r| letters::templates(r))
}

/// Saves a template; an unknown merge field is refused naming it.
#[tauri::command(async)]
pub fn letter_template_save(
    state: State<'_, AppState>,
    template: TemplateInput,
) -> Result<Template> {
    state.with(|r| letters::save_template(r, &template, medlem_core::LETTER_KINDS))
}

/// Back to the shipped text (or removes the user's own template).
#[tauri::command(async)]
pub fn letter_template_reset(
    state: State<'_, AppState>,
    key: String,
    language: Language,
) -> Result<Vec<Template>> {
    state.with(|r| {
        letters::reset_template(r, &key, language)?;
        letters::templates(r)
    })
}

/// Page 1 of the (unsaved) template for one member: items in mm from the
/// sheet's top-left corner, for the window to draw.
#[tauri::command(async)]
pub fn letter_preview(
    state: State<'_, AppState>,
    template: TemplateInput,
    member_id: i64,
) -> Result<Page> {
    state.with(|r| letters::preview(r, &template, member_id, medlem_core::LETTER_KINDS))
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

#[tauri::command(async)]
pub fn letter_settings_get(state: State<'_, AppState>) -> Result<LetterSetup> {
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
}

#[tauri::command(async)]
pub fn letter_settings_set(
    state: State<'_, AppState>,
    settings: LetterSettings,
) -> Result<LetterSettings> {
    state.with(|r| letters::set_settings(r, &settings))
}

/// Sets the logo from a PNG or JPEG file, or removes it (`path` null).
#[tauri::command(async)]
pub fn letter_logo_set(state: State<'_, AppState>, path: Option<PathBuf>) -> Result<bool> {
    state.with(|r| {
        letters::set_logo_file(r, path.as_deref())?;
        letters::has_logo(r)
    })
}

/// One letter per selected member into one PDF at `path`.
#[tauri::command(async)]
pub fn letters_print(
    state: State<'_, AppState>,
    key: String,
    query: ListQuery,
    path: PathBuf,
    on_progress: Channel<Progress>,
) -> Result<PdfSummary> {
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
}

#[tauri::command(async)]
pub fn letters_cancel(state: State<'_, AppState>) -> Result<()> {
    state.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

#[tauri::command(async)]
pub fn labels_print(
    state: State<'_, AppState>,
    query: ListQuery,
    sheet: String,
    households: bool,
    offset_x: f32,
    offset_y: f32,
    path: PathBuf,
) -> Result<PdfSummary> {
    let sheet = letters::Sheet::parse(&sheet)
        .ok_or_else(|| Error::field("sheet", FieldCode::InvalidChoice))?;
    let done = state
        .with(|r| letters::labels(r, &query, sheet, households, (offset_x, offset_y), &path))?;
    state.remember_pdf(&path);
    Ok(done)
}

/// `kind`: `members` or `signatures`.
#[tauri::command(async)]
pub fn list_print(
    state: State<'_, AppState>,
    query: ListQuery,
    kind: String,
    path: PathBuf,
) -> Result<PdfSummary> {
    let kind = letters::lists::Kind::parse(&kind)
        .ok_or_else(|| Error::field("kind", FieldCode::InvalidChoice))?;
    let done = state.with(|r| letters::list(r, &query, kind, &path))?;
    state.remember_pdf(&path);
    Ok(done)
}

#[tauri::command(async)]
pub fn calibration_print(state: State<'_, AppState>, path: PathBuf) -> Result<PdfSummary> {
    let done = state.with(|r| letters::calibration(r, &path))?;
    state.remember_pdf(&path);
    Ok(done)
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
