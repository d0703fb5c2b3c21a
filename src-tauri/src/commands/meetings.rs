//! Meetings, invitations, replies and their papers.

use medlem_core::{Error, FieldCode};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use medlem_core::letters::PdfSummary;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::Result;
use crate::events::Progress;
use crate::state::AppState;
use medlem_core::meetings::{
    self, agm, Every, InviteSelection, InviteSummary, Invitee, Meeting, MeetingInput,
    MeetingLetters, MeetingRow, Overview, PrintOutcome, ReplyOutcome,
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
        let which = if seats {
            MeetingLetters::Seats
        } else {
            MeetingLetters::Invitations
        };
        meetings::letters(r, id, which, &path, &mut progress, &state.cancel)
    });
    state.cancel.store(false, Ordering::SeqCst);
    if result.is_ok() {
        state.remember_pdf(&path);
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
    state.remember_pdf(&path);
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
    let cutoff = medlem_core::dates::parse_date(&cutoff)
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
    state.remember_pdf(&path);
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
