//! The app's commands, one core call each. Names and DTOs: docs/commands.md.

use medlem_core::{
    validate, Branch, Error, FieldCode, HistoryEntry, Language, ListQuery, Member, MemberInput,
    MemberPage, Org, OrgInput, Register, Status, Workplace,
};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use medlem_core::age::secrecy::SecretString;
use medlem_core::backup;
use medlem_core::export::{self, ExportFormat, ExportSummary};
use medlem_core::import::{ImportPreview, ImportSummary, Mapping};
use medlem_core::letters::{self, LetterSettings, Page, PdfSummary, Template, TemplateInput};
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
        backup_status,
        backup_set_passphrase,
        backup_now,
        backup_schedule_set,
        backup_inspect,
        backup_restore,
        backup_watch,
        safety_copies_list,
        safety_copy_restore,
        lock_open_anyway,
        app_close,
        letter_templates_list,
        letter_template_save,
        letter_template_reset,
        letter_preview,
        letter_settings_get,
        letter_settings_set,
        letter_logo_set,
        letters_print,
        letters_cancel,
        labels_print,
        list_print,
        calibration_print,
        pdf_open,
        selections_list,
        selection_save,
        selection_delete,
        meetings_list,
        meeting_get,
        meeting_create,
        meeting_update,
        meeting_delete,
        meeting_repeat,
        meeting_invite,
        meeting_uninvite,
        meeting_invitees,
        meeting_reply,
        meeting_attend,
        meeting_emails,
        meeting_letters_print,
        meeting_ics_save,
        meeting_signatures_print,
        meeting_voters_freeze,
        meeting_voters_print,
        statutes_get,
        statutes_set,
        funds_list,
        fund_get,
        fund_create,
        fund_update,
        fund_delete,
        grants_list,
        grant_get,
        grant_apply,
        grant_edit,
        grant_step,
        grant_letter_print,
        grant_reminders_print,
        grant_attach,
        grant_attachment_save,
        grant_detach,
        outgoing_list,
        outgoing_save,
        outgoing_delete,
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

/// What the Backup area shows.
#[tauri::command(async)]
pub fn backup_status(state: State<'_, AppState>) -> Result<backup::Status> {
    state.with(|r| backup::status(r))
}

/// Sets or changes the backup passphrase (typed twice).
#[tauri::command(async)]
pub fn backup_set_passphrase(
    state: State<'_, AppState>,
    passphrase: String,
    repeat: String,
) -> Result<backup::Status> {
    if passphrase != repeat {
        return Err(Error::field("repeat", FieldCode::Mismatch).into());
    }
    state.with(|r| {
        // age calibrates scrypt to about a second on this computer.
        backup::set_passphrase(r, &passphrase, None)?;
        backup::status(r)
    })
}

/// How far a backup or restore has come: the step and the fraction done.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupProgress {
    pub step: String,
    pub fraction: f32,
}

fn progress_to(ch: &Channel<BackupProgress>) -> impl FnMut(&str, f32) + '_ {
    move |step, fraction| {
        let _ = ch.send(BackupProgress {
            step: step.to_owned(),
            fraction,
        });
    }
}

/// Backs up now into `folder`, verified.
#[tauri::command(async)]
pub fn backup_now(
    state: State<'_, AppState>,
    folder: PathBuf,
    on_progress: Channel<BackupProgress>,
) -> Result<backup::BackupReport> {
    if folder.as_os_str().is_empty() {
        return Err(Error::field("folder", FieldCode::Required).into());
    }
    state.with(|r| backup::backup(r, &folder, &mut progress_to(&on_progress)))
}

#[tauri::command(async)]
pub fn backup_schedule_set(
    state: State<'_, AppState>,
    schedule: backup::Schedule,
) -> Result<backup::Schedule> {
    state.with(|r| backup::set_schedule(r, &schedule))
}

/// What a backup file holds and how it compares with the register.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupInspection {
    pub info: backup::BackupInfo,
    pub comparison: backup::Comparison,
}

fn secret(p: Option<String>) -> Option<SecretString> {
    p.filter(|p| !p.is_empty()).map(SecretString::from)
}

#[tauri::command(async)]
pub fn backup_inspect(
    state: State<'_, AppState>,
    file: PathBuf,
    passphrase: Option<String>,
) -> Result<BackupInspection> {
    if file.as_os_str().is_empty() {
        return Err(Error::field("file", FieldCode::Required).into());
    }
    state.with(|r| {
        let info = backup::inspect(&file, Some(r), secret(passphrase))?;
        let comparison = backup::compare(r, &info)?;
        Ok(BackupInspection { info, comparison })
    })
}

/// Replaces the register by the backup `file` (a safety copy of the current
/// one is kept), then opens it.
#[tauri::command(async)]
pub fn backup_restore(
    state: State<'_, AppState>,
    file: PathBuf,
    passphrase: Option<String>,
    on_progress: Channel<BackupProgress>,
) -> Result<backup::RestoreReport> {
    if file.as_os_str().is_empty() {
        return Err(Error::field("file", FieldCode::Required).into());
    }
    // With a passphrase: the key file beside the backup. Without: the
    // register's own key, taken out while the register is still open.
    let unlock = match secret(passphrase) {
        Some(p) => backup::Unlock::Passphrase(p),
        None => backup::Unlock::Key(state.with(|r| backup::register_identity(r))?),
    };
    state.swap(|db| backup::restore(db, &file, &unlock, &mut progress_to(&on_progress)))
}

/// The safety copies kept before restores, newest first.
#[tauri::command(async)]
pub fn safety_copies_list(state: State<'_, AppState>) -> Result<Vec<backup::SafetyCopy>> {
    backup::safety_copies(&state.db_path).map_err(Into::into)
}

/// Undoes a restore: puts the safety copy `file` back.
#[tauri::command(async)]
pub fn safety_copy_restore(state: State<'_, AppState>, file: PathBuf) -> Result<()> {
    // Only copies from the safety folder: the window never names other files.
    let known = backup::safety_copies(&state.db_path)?
        .into_iter()
        .any(|c| c.file == file);
    if !known {
        return Err(Error::field("file", FieldCode::InvalidChoice).into());
    }
    state.swap(|db| backup::restore_safety_copy(db, &file).map(|_| ()))
}

/// Opens a register that another computer has marked as in use.
#[tauri::command(async)]
pub fn lock_open_anyway(state: State<'_, AppState>) -> Result<()> {
    state.open_anyway()
}

/// News from backups the window did not start (on a schedule, on closing).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BackupEvent {
    /// `reason`: `schedule` or `close`.
    Started {
        reason: &'static str,
    },
    Progress {
        step: String,
        fraction: f32,
    },
    Done {
        reason: &'static str,
        report: backup::BackupReport,
    },
    Failed {
        reason: &'static str,
        error: CommandError,
    },
}

/// The window asks to hear about background backups.
#[tauri::command(async)]
pub fn backup_watch(state: State<'_, AppState>, on_event: Channel<BackupEvent>) -> Result<()> {
    *state
        .backup_events
        .lock()
        .unwrap_or_else(|p| p.into_inner()) = Some(on_event);
    Ok(())
}

/// Runs the automatic backup for `reason`, telling the window. `Ok(None)`:
/// nothing to do (no folder or passphrase set).
pub fn run_auto_backup(
    state: &AppState,
    reason: &'static str,
) -> Result<Option<backup::BackupReport>> {
    // Only a backup that will run is announced.
    let wanted = state.with(|r| backup::auto_ready(r)).unwrap_or(false);
    if !wanted {
        return Ok(None);
    }
    state.tell(BackupEvent::Started { reason });
    let result = state.with(|r| {
        backup::auto_backup(r, &mut |step, fraction| {
            state.tell(BackupEvent::Progress {
                step: step.to_owned(),
                fraction,
            })
        })
    });
    match &result {
        Ok(Some(report)) => state.tell(BackupEvent::Done {
            reason,
            report: report.clone(),
        }),
        Ok(None) => {}
        Err(e) => state.tell(BackupEvent::Failed {
            reason,
            error: e.clone(),
        }),
    }
    result
}

/// Is a backup due on closing (schedule says so, a passphrase is set)?
pub fn backup_on_close_wanted(state: &AppState) -> bool {
    state
        .with(|r| Ok(backup::schedule(r)?.on_close && backup::auto_ready(r)?))
        .unwrap_or(false)
}

/// Is a scheduled backup due now?
pub fn scheduled_backup_due(state: &AppState) -> bool {
    state
        .with(|r| {
            Ok(backup::has_passphrase(r)?
                && backup::is_due(
                    &backup::schedule(r)?,
                    backup::last_backup_at(r)?.as_deref(),
                    chrono::Utc::now(),
                ))
        })
        .unwrap_or(false)
}

/// Closes the window: after the backup on closing failed, the user chose
/// to close without one.
#[tauri::command(async)]
pub fn app_close<R: Runtime>(window: tauri::Window<R>, state: State<'_, AppState>) -> Result<()> {
    state.may_close.store(true, Ordering::SeqCst);
    window
        .close()
        .map_err(|e| CommandError::from(Error::Io(std::io::Error::other(e.to_string()))))
}

// ---------------------------------------------------------------------------
// Letters, labels and lists

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
    state.with(|r| letters::save_template(r, &template))
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
    state.with(|r| letters::preview(r, &template, member_id))
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
    let bytes = match &path {
        Some(p) => {
            Some(std::fs::read(p).map_err(|_| Error::field("logo", FieldCode::InvalidChoice))?)
        }
        None => None,
    };
    state.with(|r| {
        letters::set_logo(r, bytes.as_deref())?;
        letters::has_logo(r)
    })
}

fn remember(state: &AppState, path: &std::path::Path) {
    state
        .written_pdfs
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(path.to_owned());
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
        )
    });
    state.cancel.store(false, Ordering::SeqCst);
    if result.is_ok() {
        remember(&state, &path);
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
    remember(&state, &path);
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
    let kind = match kind.as_str() {
        "members" => letters::lists::Kind::Members,
        "signatures" => letters::lists::Kind::Signatures,
        _ => return Err(Error::field("kind", FieldCode::InvalidChoice).into()),
    };
    let done = state.with(|r| letters::list(r, &query, kind, &path))?;
    remember(&state, &path);
    Ok(done)
}

#[tauri::command(async)]
pub fn calibration_print(state: State<'_, AppState>, path: PathBuf) -> Result<PdfSummary> {
    let done = state.with(|r| letters::calibration(r, &path))?;
    remember(&state, &path);
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
    if !known {
        return Err(Error::field("path", FieldCode::InvalidChoice).into());
    }
    use tauri_plugin_opener::OpenerExt;
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| CommandError::from(Error::Io(std::io::Error::other(e.to_string()))))
}

// ---------------------------------------------------------------------------
// Saved selections

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

// ---------------------------------------------------------------------------
// Meetings

use medlem_core::meetings::{
    self, agm, Every, InviteSelection, InviteSummary, Invitee, Meeting, MeetingInput, MeetingRow,
    Overview, PrintOutcome, ReplyOutcome,
};

#[tauri::command(async)]
pub fn meetings_list(state: State<'_, AppState>) -> Result<Vec<MeetingRow>> {
    state.with(|r| meetings::list(r))
}

/// The meeting at a glance: details, seats, waiting list, voter roll.
#[tauri::command(async)]
pub fn meeting_get(state: State<'_, AppState>, id: i64) -> Result<Overview> {
    state.with(|r| meetings::overview(r, id))
}

#[tauri::command(async)]
pub fn meeting_create(state: State<'_, AppState>, meeting: MeetingInput) -> Result<Meeting> {
    state.with(|r| meetings::create(r, &meeting))
}

/// `moveToWaiting`: a capacity below the seats taken moves the latest
/// seated back to the waiting list instead of being refused.
#[tauri::command(async)]
pub fn meeting_update(
    state: State<'_, AppState>,
    id: i64,
    meeting: MeetingInput,
    move_to_waiting: Option<bool>,
) -> Result<Meeting> {
    let overflow = if move_to_waiting.unwrap_or(false) {
        meetings::seats::Overflow::ToWaitingList
    } else {
        meetings::seats::Overflow::Refuse
    };
    state.with(|r| meetings::update(r, id, &meeting, overflow))
}

#[tauri::command(async)]
pub fn meeting_delete(state: State<'_, AppState>, id: i64) -> Result<()> {
    state.with(|r| meetings::delete(r, id))
}

/// `every`: week, month, quarter or year.
#[tauri::command(async)]
pub fn meeting_repeat(
    state: State<'_, AppState>,
    id: i64,
    every: String,
    count: u32,
) -> Result<Vec<Meeting>> {
    let every =
        Every::parse(&every).ok_or_else(|| Error::field("every", FieldCode::InvalidChoice))?;
    state.with(|r| meetings::repeat(r, id, every, count))
}

#[tauri::command(async)]
pub fn meeting_invite(
    state: State<'_, AppState>,
    id: i64,
    selection: InviteSelection,
) -> Result<InviteSummary> {
    state.with(|r| meetings::invite(r, id, &selection))
}

#[tauri::command(async)]
pub fn meeting_uninvite(state: State<'_, AppState>, id: i64, member_id: i64) -> Result<Overview> {
    state.with(|r| meetings::uninvite(r, id, member_id))
}

#[tauri::command(async)]
pub fn meeting_invitees(state: State<'_, AppState>, id: i64) -> Result<Vec<Invitee>> {
    state.with(|r| meetings::invitees(r, id))
}

#[tauri::command(async)]
pub fn meeting_reply(
    state: State<'_, AppState>,
    id: i64,
    member_id: i64,
    yes: bool,
) -> Result<ReplyOutcome> {
    state.with(|r| meetings::reply(r, id, member_id, yes))
}

#[tauri::command(async)]
pub fn meeting_attend(
    state: State<'_, AppState>,
    id: i64,
    member_id: i64,
    present: bool,
) -> Result<Invitee> {
    state.with(|r| meetings::attend(r, id, member_id, present))
}

/// The e-mail addresses of those invited by e-mail.
#[tauri::command(async)]
pub fn meeting_emails(state: State<'_, AppState>, id: i64) -> Result<Vec<String>> {
    state.with(|r| meetings::email_list(r, id))
}

/// Invitation letters (or with `seats`, "you got a seat" letters) into one
/// PDF at `path`; cancelled by `letters_cancel`.
#[tauri::command(async)]
pub fn meeting_letters_print(
    state: State<'_, AppState>,
    id: i64,
    seats: bool,
    path: PathBuf,
    on_progress: Channel<Progress>,
) -> Result<PrintOutcome> {
    let result = state.with(|r| {
        let mut progress = |done, total| {
            let _ = on_progress.send(Progress { done, total });
        };
        if seats {
            meetings::seat_letters(r, id, &path, &mut progress, &state.cancel)
        } else {
            meetings::invitation_letters(r, id, &path, &mut progress, &state.cancel)
        }
    });
    state.cancel.store(false, Ordering::SeqCst);
    if result.is_ok() {
        remember(&state, &path);
    }
    result
}

#[tauri::command(async)]
pub fn meeting_ics_save(state: State<'_, AppState>, id: i64, path: PathBuf) -> Result<()> {
    state.with(|r| meetings::ics::write(r, id, &path))
}

#[tauri::command(async)]
pub fn meeting_signatures_print(
    state: State<'_, AppState>,
    id: i64,
    path: PathBuf,
) -> Result<PdfSummary> {
    let done = state.with(|r| meetings::signature_sheet(r, id, &path))?;
    remember(&state, &path);
    Ok(done)
}

/// Freezes the voter roll of an annual general meeting at `cutoff`
/// (YYYY-MM-DD).
#[tauri::command(async)]
pub fn meeting_voters_freeze(
    state: State<'_, AppState>,
    id: i64,
    cutoff: String,
) -> Result<agm::VoterStatus> {
    let cutoff = validate::parse_date(&cutoff)
        .ok_or_else(|| Error::field("cutoff", FieldCode::InvalidDate))?;
    state.with(|r| agm::freeze_voters(r, id, cutoff))
}

#[tauri::command(async)]
pub fn meeting_voters_print(
    state: State<'_, AppState>,
    id: i64,
    path: PathBuf,
) -> Result<PdfSummary> {
    let done = state.with(|r| meetings::voter_roll(r, id, &path))?;
    remember(&state, &path);
    Ok(done)
}

#[tauri::command(async)]
pub fn statutes_get(state: State<'_, AppState>) -> Result<agm::Statutes> {
    state.with(|r| agm::statutes(r))
}

#[tauri::command(async)]
pub fn statutes_set(state: State<'_, AppState>, statutes: agm::Statutes) -> Result<agm::Statutes> {
    state.with(|r| agm::set_statutes(r, &statutes))
}

// ---------------------------------------------------------------------------
// Grants

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
    remember(&state, &path);
    Ok(done)
}

/// Reminders for every overdue report.
#[tauri::command(async)]
pub fn grant_reminders_print(state: State<'_, AppState>, path: PathBuf) -> Result<PdfSummary> {
    let done = state.with(|r| grants::reminder_letters(r, &path))?;
    remember(&state, &path);
    Ok(done)
}

/// Keeps the file at `path` with application `id`.
#[tauri::command(async)]
pub fn grant_attach(state: State<'_, AppState>, id: i64, path: PathBuf) -> Result<Attachment> {
    let bytes = std::fs::read(&path).map_err(Error::Io)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    state.with(|r| grants::attach(r, id, &name, &bytes))
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
