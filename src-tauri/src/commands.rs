//! The app's commands, one core call each. Names and DTOs: docs/commands.md.

use medlem_core::{
    validate, Branch, Error, FieldCode, HistoryEntry, Language, ListQuery, Member, MemberInput,
    MemberPage, Org, OrgInput, Status, Workplace,
};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use medlem_core::export::{self, ExportFormat, ExportSummary};
use medlem_core::import::{ImportPreview, ImportSummary, Mapping};
use serde::Serialize;
use tauri::ipc::{Channel, Invoke};
use tauri::{Runtime, State};

use crate::state::{AppState, CommandError, StartupError};

type Result<T> = std::result::Result<T, CommandError>;

/// Every command of the app; keep in step with build.rs.
pub fn handler<R: Runtime>() -> impl Fn(Invoke<R>) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_info,
        org_create,
        org_update,
        demo_create,
        settings_set_language,
        members_list,
        member_get,
        member_create,
        member_update,
        member_set_status,
        member_history,
        branches_list,
        branch_create,
        workplaces_list,
        workplace_create,
        import_preview,
        import_commit,
        import_cancel,
        export_members,
    ]
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub org: Option<Org>,
    pub language: Option<Language>,
    pub db_path: String,
    pub schema_version: i64,
    pub last_backup_at: Option<String>,
    pub version: &'static str,
    pub startup_error: Option<StartupError>,
}

#[tauri::command(async)]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo> {
    let mut info = AppInfo {
        org: None,
        language: None,
        db_path: state.db_path.display().to_string(),
        schema_version: medlem_core::db::SCHEMA_VERSION,
        last_backup_at: None,
        version: env!("CARGO_PKG_VERSION"),
        startup_error: state.startup_error(),
    };
    if info.startup_error.is_none() {
        (info.org, info.language, info.last_backup_at) =
            state.with(|r| Ok((r.org()?, r.language()?, r.last_backup_at()?)))?;
    }
    Ok(info)
}

#[tauri::command(async)]
pub fn org_create(state: State<'_, AppState>, org: OrgInput) -> Result<Org> {
    state.with(|r| r.create_org(&org))
}

#[tauri::command(async)]
pub fn org_update(state: State<'_, AppState>, org: OrgInput) -> Result<Org> {
    state.with(|r| r.update_org(&org))
}

/// The demo register's default size.
const DEMO_MEMBERS: usize = 300;

#[tauri::command(async)]
pub fn demo_create(state: State<'_, AppState>, count: Option<usize>) -> Result<Org> {
    let count = count.unwrap_or(DEMO_MEMBERS).min(100_000);
    state.with(|r| r.create_demo(count))
}

#[tauri::command(async)]
pub fn settings_set_language(state: State<'_, AppState>, language: Option<Language>) -> Result<()> {
    state.with(|r| r.set_language(language))
}

#[tauri::command(async)]
pub fn members_list(state: State<'_, AppState>, query: ListQuery) -> Result<MemberPage> {
    state.with(|r| r.list(&query))
}

#[tauri::command(async)]
pub fn member_get(state: State<'_, AppState>, id: i64) -> Result<Member> {
    state.with(|r| r.get(id))
}

#[tauri::command(async)]
pub fn member_create(state: State<'_, AppState>, member: MemberInput) -> Result<Member> {
    state.with(|r| r.create(&member))
}

#[tauri::command(async)]
pub fn member_update(state: State<'_, AppState>, id: i64, member: MemberInput) -> Result<Member> {
    state.with(|r| r.update(id, &member))
}

#[tauri::command(async)]
pub fn member_set_status(
    state: State<'_, AppState>,
    id: i64,
    status: Status,
    date: String,
) -> Result<Member> {
    let date =
        validate::parse_date(&date).ok_or_else(|| Error::field("date", FieldCode::InvalidDate))?;
    state.with(|r| r.set_status(id, status, date))
}

#[tauri::command(async)]
pub fn member_history(state: State<'_, AppState>, id: i64) -> Result<Vec<HistoryEntry>> {
    state.with(|r| r.history(id))
}

#[tauri::command(async)]
pub fn branches_list(state: State<'_, AppState>) -> Result<Vec<Branch>> {
    state.with(|r| r.branches())
}

#[tauri::command(async)]
pub fn branch_create(state: State<'_, AppState>, name: String) -> Result<Branch> {
    state.with(|r| r.create_branch(&name))
}

#[tauri::command(async)]
pub fn workplaces_list(state: State<'_, AppState>) -> Result<Vec<Workplace>> {
    state.with(|r| r.workplaces())
}

#[tauri::command(async)]
pub fn workplace_create(
    state: State<'_, AppState>,
    name: String,
    branch_id: Option<i64>,
) -> Result<Workplace> {
    state.with(|r| r.create_workplace(&name, branch_id))
}

#[tauri::command(async)]
pub fn import_preview(
    state: State<'_, AppState>,
    path: PathBuf,
    mapping: Option<Mapping>,
) -> Result<ImportPreview> {
    state.with(|r| r.import_preview(&path, mapping.as_ref()))
}

/// How far an import or export has come.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// Imports in one transaction, reporting progress on `on_progress`;
/// `import_cancel` rolls it back.
#[tauri::command(async)]
pub fn import_commit(
    state: State<'_, AppState>,
    path: PathBuf,
    mapping: Option<Mapping>,
    on_progress: Channel<Progress>,
) -> Result<ImportSummary> {
    let mut report = |done, total| {
        // A closed window cannot take progress; the import goes on.
        let _ = on_progress.send(Progress { done, total });
    };
    let result =
        state.with(|r| r.import_commit(&path, mapping.as_ref(), &mut report, &state.cancel));
    // Cleared when the run ends, not when it starts: a Stop pressed while the
    // command still waited for the register is not lost.
    state.cancel.store(false, Ordering::SeqCst);
    result
}

#[tauri::command(async)]
pub fn import_cancel(state: State<'_, AppState>) -> Result<()> {
    state.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// Exports the members `query` selects (all pages) to `path`.
#[tauri::command(async)]
pub fn export_members(
    state: State<'_, AppState>,
    path: PathBuf,
    format: String,
    query: ListQuery,
    language: Language,
) -> Result<ExportSummary> {
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
}
