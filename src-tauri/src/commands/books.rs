//! The books: vouchers for the accounting program and the accounts they are
//! booked on.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::state::off_runtime;
use medlem_core::books::{self, ExportInput};
use medlem_core::types::books::{Accounts, AccountsInput, BookExport, BookPreview};

#[tauri::command]
pub async fn book_accounts_get<R: Runtime>(app: AppHandle<R>) -> Result<Accounts> {
    off_runtime(app, move |state| {
        state.with(|r| {
            let country = r.org_or_err()?.country;
            books::accounts(&*r, country)
        })
    })
    .await
}

/// Checks and keeps account numbers (an empty one goes back to the default).
#[tauri::command]
pub async fn book_accounts_set<R: Runtime>(
    app: AppHandle<R>,
    input: AccountsInput,
) -> Result<Accounts> {
    off_runtime(app, move |state| {
        state.with(|r| books::set_accounts(r, &input))
    })
    .await
}

/// What an export of the period would hold; nothing is written.
#[tauri::command]
pub async fn books_preview<R: Runtime>(
    app: AppHandle<R>,
    input: ExportInput,
) -> Result<BookPreview> {
    off_runtime(app, move |state| {
        state.with(|r| books::preview(&*r, &input))
    })
    .await
}

/// Writes the period's vouchers to `path` and logs them as exported.
#[tauri::command]
pub async fn books_export<R: Runtime>(
    app: AppHandle<R>,
    input: ExportInput,
    path: PathBuf,
) -> Result<BookExport> {
    off_runtime(app, move |state| {
        state.with(|r| books::export(r, &input, &path))
    })
    .await
}
