//! The `meeting.*` merge fields of invitation and seat letters, written in
//! the letter's language.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDateTime};

use super::{Meeting, MeetingDetails, MeetingKind};
use crate::letters::markup::lines;
use crate::letters::LetterKind;
use crate::types::dates::date_text;
use crate::types::Language;

/// The merge fields a meeting letter knows besides the member's and the
/// organisation's.
pub const FIELDS: &[&str] = &[
    "meeting.title",
    "meeting.kind",
    "meeting.date",
    "meeting.time",
    "meeting.venue",
    "meeting.link",
    "meeting.agenda",
    "meeting.note",
    "meeting.reply_by",
    "meeting.capacity",
];

/// Meeting letters: templates whose key starts with `meeting_` may use
/// [`FIELDS`]; the preview shows [`sample`].
pub const LETTERS: LetterKind = LetterKind {
    key_prefix: "meeting_",
    context: "meeting",
    fields: FIELDS,
    sample: |today, language| values(&sample(today, language), language),
};

fn li(language: Language) -> usize {
    match language {
        Language::Sv => 0,
        Language::Da => 1,
        Language::Nb => 2,
        Language::En => 3,
    }
}

/// The kind of meeting as a letter writes it.
pub fn kind_word(kind: MeetingKind, language: Language) -> &'static str {
    let words: [&str; 4] = match kind {
        MeetingKind::MemberMeeting => [
            "medlemsmöte",
            "medlemsmøde",
            "medlemsmøte",
            "member meeting",
        ],
        MeetingKind::AnnualGeneralMeeting => [
            "årsmöte",
            "generalforsamling",
            "årsmøte",
            "annual general meeting",
        ],
        MeetingKind::WorkplaceMeeting => [
            "arbetsplatsträff",
            "arbejdspladsmøde",
            "arbeidsplassmøte",
            "workplace meeting",
        ],
        MeetingKind::Webinar => ["webbinarium", "webinar", "webinar", "webinar"],
        MeetingKind::Social => [
            "medlemsträff",
            "medlemsarrangement",
            "medlemstreff",
            "social evening",
        ],
        MeetingKind::Course => ["kurs", "kursus", "kurs", "course"],
    };
    words[li(language)]
}

/// "tisdag 3 mars 2026".
pub fn day_text(t: NaiveDateTime, language: Language) -> String {
    const DAYS: [[&str; 7]; 4] = [
        [
            "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag",
        ],
        [
            "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
        ],
        [
            "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag",
        ],
        [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ],
    ];
    let day = DAYS[li(language)][t.weekday().num_days_from_monday() as usize];
    format!("{day} {}", date_text(t.date(), language))
}

/// "18.00–20.00" (English: "18:00–20:00").
pub fn time_text(m: &Meeting, language: Language) -> String {
    let f = if language == Language::En {
        "%H:%M"
    } else {
        "%H.%M"
    };
    match m.details.ends {
        Some(e) if e.date() == m.details.starts.date() && e != m.details.starts => {
            format!("{}–{}", m.details.starts.format(f), e.format(f))
        }
        Some(e) if e != m.details.starts => format!(
            "{} – {} {}",
            m.details.starts.format(f),
            day_text(e, language),
            e.format(f)
        ),
        _ => m.details.starts.format(f).to_string(),
    }
}

/// The values of [`FIELDS`] (without the `meeting.` prefix) for `m`.
pub fn values(m: &Meeting, language: Language) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("title", m.details.title.clone()),
        ("kind", kind_word(m.details.kind, language).to_owned()),
        ("date", day_text(m.details.starts, language)),
        ("time", time_text(m, language)),
        ("venue", m.details.venue.clone()),
        ("link", m.details.online_link.clone()),
        ("agenda", lines(&m.details.agenda)),
        ("note", lines(&m.details.note)),
        (
            "reply_by",
            m.details
                .reply_by
                .map(|d| date_text(d, language))
                .unwrap_or_default(),
        ),
        (
            "capacity",
            m.details
                .capacity
                .map(|c| c.to_string())
                .unwrap_or_default(),
        ),
    ])
}

/// A meeting to show in the preview of a meeting letter before there is
/// one: a member meeting four weeks from `today`.
pub fn sample(today: chrono::NaiveDate, language: Language) -> Meeting {
    let day = today + chrono::Days::new(28);
    let (title, venue, agenda) = match language {
        Language::Sv => (
            "Medlemsmöte",
            "Folkets hus, Storgatan 1",
            "1. Välkommen\n2. Aktuellt",
        ),
        Language::Da => (
            "Medlemsmøde",
            "Folkets Hus, Storegade 1",
            "1. Velkommen\n2. Nyt",
        ),
        Language::Nb => (
            "Medlemsmøte",
            "Folkets hus, Storgata 1",
            "1. Velkommen\n2. Aktuelt",
        ),
        Language::En => (
            "Member meeting",
            "The Union Hall, 1 High Street",
            "1. Welcome\n2. News",
        ),
    };
    Meeting {
        id: 0,
        details: MeetingDetails {
            kind: MeetingKind::MemberMeeting,
            title: title.to_owned(),
            starts: day.and_hms_opt(18, 0, 0).unwrap_or_default(),
            ends: day.and_hms_opt(20, 0, 0),
            time_zone: "Europe/Stockholm".to_owned(),
            venue: venue.to_owned(),
            online_link: String::new(),
            capacity: Some(85),
            agenda: agenda.to_owned(),
            branch_id: None,
            workplace_id: None,
            reply_by: Some(today + chrono::Days::new(21)),
            guests_allowed: false,
            note: String::new(),
        },
        version: 1,
        changed_by: String::new(),
        updated_at: crate::types::dates::now(),
        branch_name: None,
        workplace_name: None,
        series_id: None,
        voters_cutoff: None,
        uid: String::new(),
    }
}
