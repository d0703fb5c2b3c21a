//! Funds, grant applications and the club's own applications.

use std::path::PathBuf;

use medlem_core::letters::PdfSummary;
use tauri::State;

use crate::error::Result;
use crate::state::AppState;
use medlem_core::grants::{
    self, outgoing, Application, ApplicationInput, ApplicationQuery, ApplicationView, Attachment,
    Fund, FundInput, FundView, StepInput,
};

#[tauri::command(async)]
pub fn funds_list(state: State<'_, AppState>) -> Result<Vec<FundView>> {
    state.with(|r| grants::funds(r))
}

/// A fund with budget, requested, committed, paid and remaining.
#[tauri::command(async)]
pub fn fund_get(state: State<'_, AppState>, id: i64) -> Result<FundView> {
    state.with(|r| grants::fund_overview(r, id))
}

#[tauri::command(async)]
pub fn fund_create(state: State<'_, AppState>, fund: FundInput) -> Result<Fund> {
    state.with(|r| grants::fund_create(r, &fund))
}

#[tauri::command(async)]
pub fn fund_update(state: State<'_, AppState>, id: i64, fund: FundInput) -> Result<Fund> {
    state.with(|r| grants::fund_update(r, id, &fund))
}

#[tauri::command(async)]
pub fn fund_delete(state: State<'_, AppState>, id: i64) -> Result<()> {
    state.with(|r| grants::fund_delete(r, id))
}

#[tauri::command(async)]
pub fn grants_list(
    state: State<'_, AppState>,
    query: ApplicationQuery,
) -> Result<Vec<Application>> {
    state.with(|r| grants::applications(r, &query))
}

#[tauri::command(async)]
pub fn grant_get(state: State<'_, AppState>, id: i64) -> Result<ApplicationView> {
    state.with(|r| grants::application(r, id))
}

#[tauri::command(async)]
pub fn grant_apply(
    state: State<'_, AppState>,
    application: ApplicationInput,
) -> Result<ApplicationView> {
    state.with(|r| grants::apply(r, &application))
}

#[tauri::command(async)]
pub fn grant_edit(
    state: State<'_, AppState>,
    id: i64,
    application: ApplicationInput,
) -> Result<ApplicationView> {
    state.with(|r| grants::edit(r, id, &application))
}

/// submit, review, approve, reject, pay, report, close, withdraw, reopen.
#[tauri::command(async)]
pub fn grant_step(state: State<'_, AppState>, id: i64, step: StepInput) -> Result<ApplicationView> {
    state.with(|r| grants::step(r, id, &step))
}

/// The decision letter of one application.
#[tauri::command(async)]
pub fn grant_letter_print(
    state: State<'_, AppState>,
    id: i64,
    path: PathBuf,
) -> Result<PdfSummary> {
    let done = state.with(|r| grants::decision_letter(r, id, &path))?;
    state.remember_pdf(&path);
    Ok(done)
}

/// Reminders for every overdue report.
#[tauri::command(async)]
pub fn grant_reminders_print(state: State<'_, AppState>, path: PathBuf) -> Result<PdfSummary> {
    let done = state.with(|r| grants::reminder_letters(r, &path))?;
    state.remember_pdf(&path);
    Ok(done)
}

/// Keeps the file at `path` with application `id`.
#[tauri::command(async)]
pub fn grant_attach(state: State<'_, AppState>, id: i64, path: PathBuf) -> Result<Attachment> {
    state.with(|r| grants::attach_file(r, id, &path))
}

#[tauri::command(async)]
pub fn grant_attachment_save(state: State<'_, AppState>, file: i64, path: PathBuf) -> Result<()> {
    state.with(|r| grants::save_attachment(r, file, &path))
}

#[tauri::command(async)]
pub fn grant_detach(state: State<'_, AppState>, file: i64) -> Result<()> {
    state.with(|r| grants::detach(r, file))
}

#[tauri::command(async)]
pub fn outgoing_list(state: State<'_, AppState>) -> Result<Vec<outgoing::Outgoing>> {
    state.with(|r| outgoing::list(r))
}

/// A new one (`id` null) or changes.
#[tauri::command(async)]
pub fn outgoing_save(
    state: State<'_, AppState>,
    id: Option<i64>,
    outgoing: outgoing::OutgoingInput,
) -> Result<outgoing::Outgoing> {
    state.with(|r| outgoing::save(r, id, &outgoing))
}

#[tauri::command(async)]
pub fn outgoing_delete(state: State<'_, AppState>, id: i64) -> Result<()> {
    state.with(|r| outgoing::delete(r, id))
}

/// Amounts as typed ("8 000", "8000,50", "8.000,50 kr") in minor units, or
/// null where core would refuse them: the window's live sums read amounts
/// the way core does.
#[tauri::command(async)]
pub fn amounts_parse(texts: Vec<String>) -> Result<Vec<Option<i64>>> {
    Ok(texts.iter().map(|t| medlem_core::money::parse(t)).collect())
}
