//! A meeting's papers: invitation and "you got a seat" letters through the
//! letters engine, the signature sheet and the voter roll.

use serde::{Deserialize, Serialize};

use super::{agm, fields};
use crate::error::{Error, FieldCode, Result};
use crate::store::meetings::Invited;
use crate::store::{Store, UnitOfWork};
use crate::types::dates::{now, today};
use crate::types::meetings::Meeting;

/// What printing invitations did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintOutcome {
    pub summary: crate::letters::PdfSummary,
    /// Annual general meetings printed outside the notice period.
    pub warnings: Vec<agm::Warning>,
}

fn members_of(store: &dyn Store, ids: &[i64]) -> Result<Vec<crate::types::Member>> {
    ids.iter().map(|id| store.member(*id)).collect()
}

/// Invitation or "you got a seat" letters to `ids` through the letters
/// engine, with `after` in the unit of work that records them.
#[allow(clippy::too_many_arguments)]
fn print_letters(
    reg: &mut dyn Store,
    m: &Meeting,
    key: &str,
    ids: &[i64],
    out: &std::path::Path,
    after: &dyn Fn(&dyn UnitOfWork) -> Result<()>,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<crate::letters::PdfSummary> {
    if ids.is_empty() {
        return Err(Error::NothingToPrint);
    }
    let members = members_of(reg, ids)?;
    crate::letters::print(
        reg,
        key,
        &members,
        &crate::letters::Batch {
            kind: Some(&fields::LETTERS),
            extra: &|_, language| Some(("meeting", fields::values(m, language))),
            out,
            after,
            qr: &|_| None,
        },
        progress,
        cancel,
    )
}

/// Which letters of a meeting to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingLetters {
    /// The invitations (template `meeting_invitation`) of everyone invited
    /// by letter; each invitation is then marked as sent.
    Invitations,
    /// "You got a seat" (template `meeting_seat`) to everyone who got a seat
    /// from the waiting list since the last such letters; they are then no
    /// longer listed as waiting for one.
    Seats,
}

/// `which` letters of meeting `id` in one PDF, each recorded in the
/// member's history. Nobody to write to is an error. Invitations to an
/// annual general meeting outside the notice period come with a warning.
pub fn letters(
    reg: &mut dyn Store,
    id: i64,
    which: MeetingLetters,
    out: &std::path::Path,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<PrintOutcome> {
    let m = reg.meetings().meeting(id)?;
    match which {
        MeetingLetters::Invitations => {
            let ids = reg.meetings().invited(id, Invited::ByLetter)?;
            let at = now();
            let after = |work: &dyn UnitOfWork| work.meeting_writes().letters_sent(id, at);
            let key = "meeting_invitation";
            let summary = print_letters(reg, &m, key, &ids, out, &after, progress, cancel)?;
            let warnings = agm::notice_warning(reg, &m, today())?.into_iter().collect();
            Ok(PrintOutcome { summary, warnings })
        }
        MeetingLetters::Seats => {
            let ids = reg.meetings().invited(id, Invited::Promoted)?;
            let after = |work: &dyn UnitOfWork| work.meeting_writes().promotion_told(id, &ids);
            let key = "meeting_seat";
            let summary = print_letters(reg, &m, key, &ids, out, &after, progress, cancel)?;
            Ok(PrintOutcome {
                summary,
                warnings: Vec::new(),
            })
        }
    }
}

/// The signature sheet for the day: those with a seat; with no seats given
/// (nobody replied yes), everyone invited who did not say no.
pub fn signature_sheet(
    reg: &dyn Store,
    id: i64,
    out: &std::path::Path,
) -> Result<crate::letters::PdfSummary> {
    let m = reg.meetings().meeting(id)?;
    let mut ids = reg.meetings().invited(id, Invited::Seated)?;
    if ids.is_empty() {
        ids = reg.meetings().invited(id, Invited::NotDeclined)?;
    }
    if ids.is_empty() {
        return Err(Error::NothingToPrint);
    }
    let language = reg.print_language()?;
    crate::letters::list_of(
        reg,
        &members_of(reg, &ids)?,
        crate::letters::lists::Kind::Signatures,
        Some(&m.details.title),
        Some(&fields::day_text(m.details.starts, language)),
        out,
    )
}

/// The frozen voter roll of an annual general meeting as a PDF list.
pub fn voter_roll(
    reg: &dyn Store,
    id: i64,
    out: &std::path::Path,
) -> Result<crate::letters::PdfSummary> {
    let m = reg.meetings().meeting(id)?;
    let Some(cutoff) = m.voters_cutoff else {
        return Err(Error::field("cutoff", FieldCode::Required));
    };
    let ids = agm::voters(reg, id)?;
    if ids.is_empty() {
        return Err(Error::NothingToPrint);
    }
    let language = reg.print_language()?;
    let (word, at) = match language {
        crate::types::Language::Sv => ("Röstlängd", "röstlängd per"),
        crate::types::Language::Da => ("Stemmeliste", "stemmeliste pr."),
        crate::types::Language::Nb => ("Manntall", "manntall per"),
        crate::types::Language::En => ("Voter roll", "voter roll as of"),
    };
    let title = format!("{word}: {}", m.details.title);
    let subtitle = format!(
        "{} · {at} {}",
        fields::day_text(m.details.starts, language),
        crate::types::dates::date_text(cutoff, language)
    );
    crate::letters::list_of(
        reg,
        &members_of(reg, &ids)?,
        crate::letters::lists::Kind::Members,
        Some(&title),
        Some(&subtitle),
        out,
    )
}
