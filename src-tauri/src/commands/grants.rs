//! Funds, grant applications and the club's own applications.

use std::path::PathBuf;

use medlem_core::letters::PdfSummary;
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::state::off_runtime;
use medlem_core::grants::{
    self, outgoing, Application, ApplicationInput, ApplicationQuery, ApplicationView, Attachment,
    Fund, FundInput, FundView, StepInput,
};

#[tauri::command]
pub async fn funds_list<R: Runtime>(app: AppHandle<R>) -> Result<Vec<FundView>> {
    off_runtime(app, move |state| state.with(|r| grants::funds(r))).await
}

/// A fund with budget, requested, committed, paid and remaining.
#[tauri::command]
pub async fn fund_get<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<FundView> {
    off_runtime(app, move |state| {
        state.with(|r| grants::fund_overview(r, id))
    })
    .await
}

#[tauri::command]
pub async fn fund_create<R: Runtime>(app: AppHandle<R>, fund: FundInput) -> Result<Fund> {
    off_runtime(app, move |state| {
        state.with(|r| grants::fund_create(r, &fund))
    })
    .await
}

#[tauri::command]
pub async fn fund_update<R: Runtime>(app: AppHandle<R>, id: i64, fund: FundInput) -> Result<Fund> {
    off_runtime(app, move |state| {
        state.with(|r| grants::fund_update(r, id, &fund))
    })
    .await
}

#[tauri::command]
pub async fn fund_delete<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<()> {
    off_runtime(app, move |state| state.with(|r| grants::fund_delete(r, id))).await
}

#[tauri::command]
pub async fn grants_list<R: Runtime>(
    app: AppHandle<R>,
    query: ApplicationQuery,
) -> Result<Vec<Application>> {
    off_runtime(app, move |state| {
        state.with(|r| grants::applications(r, &query))
    })
    .await
}

#[tauri::command]
pub async fn grant_get<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<ApplicationView> {
    off_runtime(app, move |state| state.with(|r| grants::application(r, id))).await
}

#[tauri::command]
pub async fn grant_apply<R: Runtime>(
    app: AppHandle<R>,
    application: ApplicationInput,
) -> Result<ApplicationView> {
    off_runtime(app, move |state| {
        state.with(|r| grants::apply(r, &application))
    })
    .await
}

#[tauri::command]
pub async fn grant_edit<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    application: ApplicationInput,
) -> Result<ApplicationView> {
    off_runtime(app, move |state| {
        state.with(|r| grants::edit(r, id, &application))
    })
    .await
}

/// submit, review, approve, reject, pay, report, close, withdraw, reopen.
#[tauri::command]
pub async fn grant_step<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    step: StepInput,
) -> Result<ApplicationView> {
    off_runtime(app, move |state| state.with(|r| grants::step(r, id, &step))).await
}

/// The decision letter of one application.
#[tauri::command]
pub async fn grant_letter_print<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    path: PathBuf,
) -> Result<PdfSummary> {
    off_runtime(app, move |state| {
        let done = state.with(|r| grants::decision_letter(r, id, &path))?;
        state.remember_pdf(&path);
        Ok(done)
    })
    .await
}

/// Reminders for every overdue report.
#[tauri::command]
pub async fn grant_reminders_print<R: Runtime>(
    app: AppHandle<R>,
    path: PathBuf,
) -> Result<PdfSummary> {
    off_runtime(app, move |state| {
        let done = state.with(|r| grants::reminder_letters(r, &path))?;
        state.remember_pdf(&path);
        Ok(done)
    })
    .await
}

/// Keeps the file at `path` with application `id`.
#[tauri::command]
pub async fn grant_attach<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    path: PathBuf,
) -> Result<Attachment> {
    off_runtime(app, move |state| {
        state.with(|r| grants::attach_file(r, id, &path))
    })
    .await
}

#[tauri::command]
pub async fn grant_attachment_save<R: Runtime>(
    app: AppHandle<R>,
    file: i64,
    path: PathBuf,
) -> Result<()> {
    off_runtime(app, move |state| {
        state.with(|r| grants::save_attachment(r, file, &path))
    })
    .await
}

#[tauri::command]
pub async fn grant_detach<R: Runtime>(app: AppHandle<R>, file: i64) -> Result<()> {
    off_runtime(app, move |state| state.with(|r| grants::detach(r, file))).await
}

#[tauri::command]
pub async fn outgoing_list<R: Runtime>(app: AppHandle<R>) -> Result<Vec<outgoing::Outgoing>> {
    off_runtime(app, move |state| state.with(|r| outgoing::list(r))).await
}

/// A new one (`id` null) or changes.
#[tauri::command]
pub async fn outgoing_save<R: Runtime>(
    app: AppHandle<R>,
    id: Option<i64>,
    outgoing: outgoing::OutgoingInput,
) -> Result<outgoing::Outgoing> {
    off_runtime(app, move |state| {
        state.with(|r| outgoing::save(r, id, &outgoing))
    })
    .await
}

#[tauri::command]
pub async fn outgoing_delete<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<()> {
    off_runtime(app, move |state| state.with(|r| outgoing::delete(r, id))).await
}

/// Amounts as typed ("8 000", "8000,50", "8.000,50 kr") in minor units, or
/// null where core would refuse them: the window's live sums read amounts
/// the way core does.
#[tauri::command(async)]
pub fn amounts_parse(texts: Vec<String>) -> Result<Vec<Option<i64>>> {
    Ok(texts.iter().map(|t| medlem_core::money::parse(t)).collect())
}
