//! The organisation, members, branches, workplaces, settings and saved selections.

use medlem_core::{
    Branch, Error, FieldCode, HistoryEntry, Language, ListQuery, Member, MemberInput, MemberPage,
    Org, OrgInput, Status, Workplace,
};

use serde::Serialize;
use tauri::State;

use crate::error::Result;
use crate::state::{AppState, StartupError};

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub org: Option<Org>,
    pub language: Option<Language>,
    pub db_path: String,
    pub schema_version: i64,
    pub last_backup_at: Option<medlem_core::Timestamp>,
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
    state.with(|r| medlem_core::demo::create(r, count))
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
    let date = medlem_core::dates::parse_date(&date)
        .ok_or_else(|| Error::field("date", FieldCode::InvalidDate))?;
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
pub fn selections_list(
    state: State<'_, AppState>,
) -> Result<Vec<medlem_core::selections::Selection>> {
    state.with(|r| medlem_core::selections::list(r))
}

/// Saves the list's current search and filters under `name`.
#[tauri::command(async)]
pub fn selection_save(
    state: State<'_, AppState>,
    name: String,
    query: ListQuery,
) -> Result<medlem_core::selections::Selection> {
    state.with(|r| medlem_core::selections::save(r, &name, &query))
}

#[tauri::command(async)]
pub fn selection_delete(state: State<'_, AppState>, name: String) -> Result<()> {
    state.with(|r| medlem_core::selections::delete(r, &name))
}
