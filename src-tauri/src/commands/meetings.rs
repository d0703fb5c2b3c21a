//! Meetings, invitations, replies and their papers.

use medlem_core::{Error, FieldCode};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use medlem_core::letters::PdfSummary;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime};

use crate::error::Result;
use crate::events::Progress;
use crate::state::off_runtime;
use medlem_core::meetings::{
    self, agm, Every, InviteSelection, InviteSummary, Invitee, Meeting, MeetingInput,
    MeetingLetters, MeetingRow, Overview, PeoplePage, PeopleQuery, PrintOutcome, ReplyOutcome,
    ReplyUndo,
};

#[tauri::command]
pub async fn meetings_list<R: Runtime>(app: AppHandle<R>) -> Result<Vec<MeetingRow>> {
    off_runtime(app, move |state| state.with(|r| meetings::list(r))).await
}

/// The meeting at a glance: details, seats, waiting list, voter roll.
#[tauri::command]
pub async fn meeting_get<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<Overview> {
    off_runtime(app, move |state| state.with(|r| meetings::overview(r, id))).await
}

#[tauri::command]
pub async fn meeting_create<R: Runtime>(
    app: AppHandle<R>,
    meeting: MeetingInput,
) -> Result<Meeting> {
    off_runtime(app, move |state| {
        state.with(|r| meetings::create(r, &meeting))
    })
    .await
}

/// `moveToWaiting`: a capacity below the seats taken moves the latest
/// seated back to the waiting list instead of being refused.
#[tauri::command]
pub async fn meeting_update<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    meeting: MeetingInput,
    move_to_waiting: Option<bool>,
) -> Result<Meeting> {
    off_runtime(app, move |state| {
        let overflow = if move_to_waiting.unwrap_or(false) {
            meetings::seats::Overflow::ToWaitingList
        } else {
            meetings::seats::Overflow::Refuse
        };
        state.with(|r| meetings::update(r, id, &meeting, overflow))
    })
    .await
}

#[tauri::command]
pub async fn meeting_delete<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<()> {
    off_runtime(app, move |state| state.with(|r| meetings::delete(r, id))).await
}

/// `every`: week, month, quarter or year.
#[tauri::command]
pub async fn meeting_repeat<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    every: String,
    count: u32,
) -> Result<Vec<Meeting>> {
    off_runtime(app, move |state| {
        let every =
            Every::parse(&every).ok_or_else(|| Error::field("every", FieldCode::InvalidChoice))?;
        state.with(|r| meetings::repeat(r, id, every, count))
    })
    .await
}

#[tauri::command]
pub async fn meeting_invite<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    selection: InviteSelection,
) -> Result<InviteSummary> {
    off_runtime(app, move |state| {
        state.with(|r| meetings::invite(r, id, &selection))
    })
    .await
}

#[tauri::command]
pub async fn meeting_uninvite<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    member_id: i64,
) -> Result<Overview> {
    off_runtime(app, move |state| {
        state.with(|r| meetings::uninvite(r, id, member_id))
    })
    .await
}

/// A page of the people list (see `meetings::people`).
#[tauri::command]
pub async fn meeting_people<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    query: PeopleQuery,
) -> Result<PeoplePage> {
    off_runtime(app, move |state| {
        state.with(|r| meetings::people(r, id, &query))
    })
    .await
}

#[tauri::command]
pub async fn meeting_reply<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    member_id: i64,
    yes: bool,
) -> Result<ReplyOutcome> {
    off_runtime(app, move |state| {
        state.with(|r| meetings::reply(r, id, member_id, yes))
    })
    .await
}

/// Takes a reply back (see `meetings::undo_reply`).
#[tauri::command]
pub async fn meeting_reply_undo<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    undo: ReplyUndo,
) -> Result<Overview> {
    off_runtime(app, move |state| {
        state.with(|r| meetings::undo_reply(r, id, &undo))
    })
    .await
}

#[tauri::command]
pub async fn meeting_attend<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    member_id: i64,
    present: bool,
) -> Result<Invitee> {
    off_runtime(app, move |state| {
        state.with(|r| meetings::attend(r, id, member_id, present))
    })
    .await
}

/// The e-mail addresses of those invited by e-mail.
#[tauri::command]
pub async fn meeting_emails<R: Runtime>(app: AppHandle<R>, id: i64) -> Result<Vec<String>> {
    off_runtime(app, move |state| {
        state.with(|r| meetings::email_list(r, id))
    })
    .await
}

/// Invitation letters (or with `seats`, "you got a seat" letters) into one
/// PDF at `path`; cancelled by `letters_cancel`.
#[tauri::command]
pub async fn meeting_letters_print<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    seats: bool,
    path: PathBuf,
    on_progress: Channel<Progress>,
) -> Result<PrintOutcome> {
    off_runtime(app, move |state| {
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
    })
    .await
}

#[tauri::command]
pub async fn meeting_ics_save<R: Runtime>(app: AppHandle<R>, id: i64, path: PathBuf) -> Result<()> {
    off_runtime(app, move |state| {
        state.with(|r| meetings::ics::write(r, id, &path))
    })
    .await
}

#[tauri::command]
pub async fn meeting_signatures_print<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    path: PathBuf,
) -> Result<PdfSummary> {
    off_runtime(app, move |state| {
        let done = state.with(|r| meetings::signature_sheet(r, id, &path))?;
        state.remember_pdf(&path);
        Ok(done)
    })
    .await
}

/// Freezes the voter roll of an annual general meeting at `cutoff`
/// (YYYY-MM-DD).
#[tauri::command]
pub async fn meeting_voters_freeze<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    cutoff: String,
) -> Result<agm::VoterStatus> {
    off_runtime(app, move |state| {
        let cutoff =
            medlem_core::dates::read_date(&cutoff).map_err(|p| Error::field("cutoff", p.into()))?;
        state.with(|r| agm::freeze_voters(r, id, cutoff))
    })
    .await
}

#[tauri::command]
pub async fn meeting_voters_print<R: Runtime>(
    app: AppHandle<R>,
    id: i64,
    path: PathBuf,
) -> Result<PdfSummary> {
    off_runtime(app, move |state| {
        let done = state.with(|r| meetings::voter_roll(r, id, &path))?;
        state.remember_pdf(&path);
        Ok(done)
    })
    .await
}

#[tauri::command]
pub async fn statutes_get<R: Runtime>(app: AppHandle<R>) -> Result<agm::Statutes> {
    off_runtime(app, move |state| state.with(|r| agm::statutes(r))).await
}

#[tauri::command]
pub async fn statutes_set<R: Runtime>(
    app: AppHandle<R>,
    statutes: agm::Statutes,
) -> Result<agm::Statutes> {
    off_runtime(app, move |state| {
        state.with(|r| agm::set_statutes(r, &statutes))
    })
    .await
}
