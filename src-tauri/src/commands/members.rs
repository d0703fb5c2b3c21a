//! The organisation, members, branches, workplaces, settings and saved selections.

use medlem_core::{
    Branch, Error, HistoryEntry, Language, ListQuery, Member, MemberInput, MemberPage, Org,
    OrgInput, Status, Workplace,
};

use medlem_core::bulk::{BulkChange, BulkOutcome};
use medlem_core::views::MemberView;
use serde::Serialize;
use std::sync::atomic::Ordering;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::error::Result;
use crate::events::Progress;
use crate::state::{off_runtime, AppState, StartupError};

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
    /// Set when the register lies on a network drive or in a synced folder.
    pub place: Option<medlem_core::place::RiskyPlace>,
    /// Set when the register is on an office server: `user@host:port/database`.
    pub server: Option<String>,
    /// On an office server: whether the connection is encrypted (TLS).
    pub encrypted: Option<bool>,
    /// The register chosen in Settings → Register location for the starts
    /// without `--db` (an address without its password, or a file); `None`:
    /// the file in Medlem's folder.
    pub remembered: Option<String>,
}

#[tauri::command]
pub async fn app_info<R: Runtime>(app: AppHandle<R>) -> Result<AppInfo> {
    off_runtime(app, move |state| {
        let mut info = AppInfo {
            org: None,
            language: None,
            db_path: state.db_path.display().to_string(),
            schema_version: medlem_core::db::SCHEMA_VERSION,
            last_backup_at: None,
            version: env!("CARGO_PKG_VERSION"),
            startup_error: state.startup_error(),
            place: match state.server {
                Some(_) => None,
                None => medlem_core::place::risky_place(&state.db_path),
            },
            server: state.server.clone(),
            encrypted: None,
            remembered: medlem_core::location::remembered(),
        };
        if info.startup_error.is_none() {
            (info.org, info.language, info.last_backup_at) =
                state.with(|r| Ok((r.org()?, r.language()?, r.last_backup_at()?)))?;
            info.encrypted = state.encrypted();
        }
        Ok(info)
    })
    .await
}

#[tauri::command]
pub async fn org_create<R: Runtime>(app: AppHandle<R>, org: OrgInput) -> Result<Org> {
    off_runtime(app, move |state| state.with(|r| r.create_org(&org))).await
}

#[tauri::command]
pub async fn org_update<R: Runtime>(app: AppHandle<R>, org: OrgInput) -> Result<Org> {
    off_runtime(app, move |state| state.with(|r| r.update_org(&org))).await
}

/// The demo register's default size.
const DEMO_MEMBERS: usize = 300;

#[tauri::command]
pub async fn demo_create<R: Runtime>(app: AppHandle<R>, count: Option<usize>) -> Result<Org> {
    off_runtime(app, move |state| {
        let count = count.unwrap_or(DEMO_MEMBERS).min(100_000);
        state.with(|r| medlem_core::demo::create(r, count))
    })
    .await
}

#[tauri::command]
pub async fn settings_set_language<R: Runtime>(
    app: AppHandle<R>,
    language: Option<Language>,
) -> Result<()> {
    off_runtime(app, move |state| state.with(|r| r.set_language(language))).await
}

#[tauri::command]
pub async fn members_list<R: Runtime>(app: AppHandle<R>, query: ListQuery) -> Result<MemberPage> {
    off_runtime(app, move |state| state.with(|r| r.list(&query))).await
}

/// Every member the list's query selects ("select all matching").
#[tauri::command]
pub async fn members_ids<R: Runtime>(app: AppHandle<R>, query: ListQuery) -> Result<Vec<i64>> {
    off_runtime(app, move |state| state.with(|r| r.list_ids(&query))).await
}

/// Where the first member from `prefix` on stands in the list (a letter).
#[tauri::command]
pub async fn members_position<R: Runtime>(
    app: AppHandle<R>,
    query: ListQuery,
    prefix: String,
) -> Result<i64> {
    off_runtime(app, move |state| {
        state.with(|r| r.position(&query, &prefix))
    })
    .await
}

/// One change to several members (the list's bulk actions), its progress
/// on `on_progress`; `members_bulk_cancel` stops it with nothing changed.
#[tauri::command]
pub async fn members_bulk<R: Runtime>(
    app: AppHandle<R>,
    ids: Vec<i64>,
    change: BulkChange,
    on_progress: Channel<Progress>,
) -> Result<BulkOutcome> {
    off_runtime(app, move |state| {
        let result = state.with(|r| {
            let mut progress = |done, total| {
                let _ = on_progress.send(Progress { done, total });
            };
            medlem_core::bulk::change_members_with(r, &ids, &change, &mut progress, &state.cancel)
        });
        state.cancel.store(false, Ordering::SeqCst);
        result
    })
    .await
}

/// Stops the bulk change that runs (answered at once, whatever else runs).
#[tauri::command]
pub fn members_bulk_cancel(state: State<'_, AppState>) -> Result<()> {
    state.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

#[tauri::command]
pub async fn member_get<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<Member> {
    off_runtime(app, move |state| state.with(|r| r.get(id))).await
}

#[tauri::command]
pub async fn member_create<R: Runtime>(app: AppHandle<R>, member: MemberInput) -> Result<Member> {
    off_runtime(app, move |state| state.with(|r| r.create(&member))).await
}

#[tauri::command]
pub async fn member_update<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    member: MemberInput,
) -> Result<Member> {
    off_runtime(app, move |state| state.with(|r| r.update(id, &member))).await
}

#[tauri::command]
pub async fn member_set_status<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    status: Status,
    date: String,
) -> Result<Member> {
    off_runtime(app, move |state| {
        let date =
            medlem_core::dates::read_date(&date).map_err(|p| Error::field("date", p.into()))?;
        state.with(|r| r.set_status(id, status, date))
    })
    .await
}

#[tauri::command]
pub async fn member_history<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<Vec<HistoryEntry>> {
    off_runtime(app, move |state| state.with(|r| r.history(id))).await
}

#[tauri::command]
pub async fn branches_list<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Branch>> {
    off_runtime(app, move |state| state.with(|r| r.branches())).await
}

#[tauri::command]
pub async fn branch_create<R: Runtime>(app: AppHandle<R>, name: String) -> Result<Branch> {
    off_runtime(app, move |state| state.with(|r| r.create_branch(&name))).await
}

#[tauri::command]
pub async fn workplaces_list<R: Runtime>(app: AppHandle<R>) -> Result<Vec<Workplace>> {
    off_runtime(app, move |state| state.with(|r| r.workplaces())).await
}

#[tauri::command]
pub async fn workplace_create<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    branch_id: Option<i64>,
) -> Result<Workplace> {
    off_runtime(app, move |state| {
        state.with(|r| r.create_workplace(&name, branch_id))
    })
    .await
}

#[tauri::command]
pub async fn selections_list<R: Runtime>(
    app: AppHandle<R>,
) -> Result<Vec<medlem_core::selections::Selection>> {
    off_runtime(app, move |state| {
        state.with(|r| medlem_core::selections::list(r))
    })
    .await
}

/// Saves the list's current search and filters under `name`.
#[tauri::command]
pub async fn selection_save<R: Runtime>(
    app: AppHandle<R>,
    name: String,
    query: ListQuery,
) -> Result<medlem_core::selections::Selection> {
    off_runtime(app, move |state| {
        state.with(|r| medlem_core::selections::save(r, &name, &query))
    })
    .await
}

#[tauri::command]
pub async fn selection_delete<R: Runtime>(app: AppHandle<R>, name: String) -> Result<()> {
    off_runtime(app, move |state| {
        state.with(|r| medlem_core::selections::delete(r, &name))
    })
    .await
}

/// How the member list is shown (a list or a table, and its columns).
#[tauri::command]
pub async fn member_view_get<R: Runtime>(app: AppHandle<R>) -> Result<MemberView> {
    off_runtime(app, move |state| state.with(|r| medlem_core::views::get(r))).await
}

#[tauri::command]
pub async fn member_view_set<R: Runtime>(
    app: AppHandle<R>,
    view: MemberView,
) -> Result<MemberView> {
    off_runtime(app, move |state| {
        state.with(|r| medlem_core::views::set(r, &view))
    })
    .await
}
