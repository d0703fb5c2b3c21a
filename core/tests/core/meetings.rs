//! The seat logic, data-driven: a script of replies and capacity changes,
//! and the places it must give.
//!
//! Script: `3+` person 3 says yes, `3-` no, `cap=2` lowers or raises the
//! capacity (refused if below the seats taken), `cap=2!` the same, the
//! latest seated going back to the waiting list, `cap=-` no limit.
//! Expected: `seated 1 2; waiting 3 4; promoted 3` (promoted since the
//! start, in order).

use medlem_core::meetings::seats::{Overflow, Place, SeatError, Seats};

fn run(capacity: Option<u32>, invited: &[i64], script: &str) -> (Seats, Vec<i64>) {
    let mut s = Seats::new(capacity, invited.iter().copied());
    let mut promoted = Vec::new();
    for step in script.split_whitespace() {
        if let Some(c) = step.strip_prefix("cap=") {
            let (c, overflow) = match c.strip_suffix('!') {
                Some(c) => (c, Overflow::ToWaitingList),
                None => (c, Overflow::Refuse),
            };
            let c = if c == "-" {
                None
            } else {
                Some(c.parse().unwrap())
            };
            s.set_capacity(c, overflow).unwrap();
        } else {
            let (who, yes) = match step.strip_suffix('+') {
                Some(w) => (w, true),
                None => (step.strip_suffix('-').unwrap(), false),
            };
            s.reply(who.parse().unwrap(), yes).unwrap();
        }
        promoted.extend(s.take_promoted());
    }
    (s, promoted)
}

fn check(capacity: Option<u32>, invited: &[i64], script: &str, expect: &str) {
    let (s, promoted) = run(capacity, invited, script);
    let list = |v: &[i64]| {
        v.iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let got = format!(
        "seated {}; waiting {}; promoted {}",
        list(s.seated()),
        list(s.waiting()),
        list(&promoted)
    );
    let got = got.replace("  ", " ").replace(" ;", ";");
    assert_eq!(got.trim_end(), expect, "script {script:?}");
}

const FIVE: &[i64] = &[1, 2, 3, 4, 5];

#[test]
fn seats_fill_then_the_waiting_list_then_promotion_in_order() {
    // Fill to capacity, overflow to the waiting list in order of reply.
    check(
        Some(3),
        FIVE,
        "1+ 2+ 3+ 4+ 5+",
        "seated 1 2 3; waiting 4 5; promoted",
    );
    // A seated no: the first who waits gets the seat.
    check(
        Some(3),
        FIVE,
        "1+ 2+ 3+ 4+ 5+ 2-",
        "seated 1 3 4; waiting 5; promoted 4",
    );
    check(
        Some(3),
        FIVE,
        "1+ 2+ 3+ 4+ 5+ 2- 1-",
        "seated 3 4 5; waiting; promoted 4 5",
    );
    // A waiting no leaves the list; nobody is promoted.
    check(
        Some(3),
        FIVE,
        "1+ 2+ 3+ 4+ 5+ 4-",
        "seated 1 2 3; waiting 5; promoted",
    );
    // A no before any yes, then a yes: a seat if there is one.
    check(Some(3), FIVE, "1- 2+ 1+", "seated 2 1; waiting; promoted");
    // Saying yes twice changes nothing.
    check(
        Some(2),
        FIVE,
        "1+ 1+ 2+ 3+ 3+",
        "seated 1 2; waiting 3; promoted",
    );
    // No limit.
    check(
        None,
        FIVE,
        "1+ 2+ 3+ 4+ 5+",
        "seated 1 2 3 4 5; waiting; promoted",
    );
    // More seats go to the first who wait.
    check(
        Some(2),
        FIVE,
        "1+ 2+ 3+ 4+ 5+ cap=4",
        "seated 1 2 3 4; waiting 5; promoted 3 4",
    );
    check(
        Some(2),
        FIVE,
        "1+ 2+ 3+ 4+ cap=-",
        "seated 1 2 3 4; waiting; promoted 3 4",
    );
    // Fewer seats, explicitly: the latest seated go back to the front.
    check(
        Some(4),
        FIVE,
        "1+ 2+ 3+ 4+ 5+ cap=2!",
        "seated 1 2; waiting 3 4 5; promoted",
    );
}

#[test]
fn places_say_where_each_person_stands() {
    let (s, _) = run(Some(2), FIVE, "1+ 2+ 3+ 4+ 5-");
    assert_eq!(s.place(1), Place::Seated);
    assert_eq!(s.place(3), Place::Waiting(1));
    assert_eq!(s.place(4), Place::Waiting(2));
    assert_eq!(s.place(5), Place::Declined);
    assert_eq!(s.place(9), Place::NoReply);
    assert_eq!(s.seats_left(), Some(0));
}

#[test]
fn refusals_change_nothing() {
    // A reply from someone not invited.
    let (mut s, _) = run(Some(2), FIVE, "1+ 2+ 3+");
    let before = s.clone();
    assert_eq!(s.reply(42, true), Err(SeatError::NotInvited(42)));
    assert_eq!(s, before);
    // A capacity below the seats taken, without saying what happens.
    assert_eq!(
        s.set_capacity(Some(1), Overflow::Refuse),
        Err(SeatError::BelowSeated {
            seated: 2,
            capacity: 1
        })
    );
    assert_eq!(s, before, "never a silent drop");
    // An invited guest added later may reply.
    s.invite(42);
    assert_eq!(s.reply(42, true), Ok(Place::Waiting(2)));
}

// ------------------------------------------------------------------------
// The meetings store: meetings, invitations, replies, attendance, letters,
// calendar files and the annual general meeting.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;
use medlem_core::meetings::{self, agm, Every, How, InviteSelection, MeetingInput};
use medlem_core::store::Store;
use medlem_core::*;

use crate::letters::{addressed, history_kinds, org, page_text, pages, sound};

fn meeting(kind: &str, title: &str, starts: &str, capacity: Option<i64>) -> MeetingInput {
    MeetingInput {
        kind: kind.into(),
        title: title.into(),
        starts: starts.into(),
        ends: "20:00".into(),
        venue: "Folkets hus, Storgatan 1".into(),
        capacity,
        ..Default::default()
    }
}

fn field_codes(e: &Error) -> Vec<(String, &'static str)> {
    e.fields()
        .iter()
        .map(|f| (f.field.clone(), f.code.as_str()))
        .collect()
}

/// Registers `n` active members (sv) and returns their ids.
fn members(r: &mut dyn Store, n: usize) -> Vec<i64> {
    (0..n)
        .map(|i| {
            r.create(&addressed(
                &format!("Person{i}"),
                &format!("Svensson{i}"),
                "sv",
            ))
            .unwrap()
            .id
        })
        .collect()
}

fn count_meetings(r: &dyn Store) -> usize {
    meetings::list(r).unwrap().len()
}

fn print_invitations(
    r: &mut SqliteRegister,
    id: i64,
    out: &Path,
) -> Result<meetings::PrintOutcome> {
    meetings::letters(
        r,
        id,
        meetings::MeetingLetters::Invitations,
        out,
        &mut |_, _| {},
        &AtomicBool::new(false),
    )
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn invitation_letters_carry_the_meeting_in_each_members_language() {
    let mut r = org("SE");
    let dir = tempfile::tempdir().unwrap();
    let sv = r.create(&addressed("Åsa", "Öberg", "sv")).unwrap().id;
    let en = r.create(&addressed("Jane", "Doe", "en")).unwrap().id;
    let m = meetings::create(
        &mut r,
        &MeetingInput {
            agenda: "1. Välkommen\n2. <script>alert(1)</script>".into(),
            reply_by: "2027-03-01".into(),
            ..meeting(
                "member_meeting",
                "Vårmöte =HYPERLINK(\"x\")",
                "2027-03-16 18:00",
                Some(85),
            )
        },
    )
    .unwrap();
    let out = dir.path().join("inbjudan.pdf");
    // Nobody invited yet: nothing to print, no file.
    assert_eq!(
        print_invitations(&mut r, m.id, &out).unwrap_err().code(),
        "nothing_to_print"
    );
    assert!(!out.exists());
    meetings::invite(&mut r, m.id, &InviteSelection::default()).unwrap();
    let done = print_invitations(&mut r, m.id, &out).unwrap();
    assert_eq!(done.summary.items, 2);
    assert!(done.warnings.is_empty(), "not an annual general meeting");
    sound(&out);
    assert_eq!(pages(&out), 2);
    // Sorted by name: Doe first.
    let p1 = page_text(&out, 1);
    assert!(p1.contains("Invitation: Vårmöte =HYPERLINK(\"x\")"), "{p1}");
    assert!(p1.contains("Tuesday 16 March 2027, 18:00–20:00"), "{p1}");
    assert!(
        p1.contains("Please reply by 1 March 2027; there are 85 seats."),
        "{p1}"
    );
    let p2 = page_text(&out, 2);
    assert!(p2.contains("Inbjudan: Vårmöte"), "{p2}");
    assert!(p2.contains("Hej Åsa!"), "{p2}");
    assert!(p2.contains("medlemsmöte"), "{p2}");
    assert!(p2.contains("tisdag 16 mars 2027, kl. 18.00–20.00"), "{p2}");
    assert!(p2.contains("Folkets hus, Storgatan 1"), "{p2}");
    assert!(
        p2.contains("2. <script>alert(1)</script>"),
        "printed as itself: {p2}"
    );
    // Recorded: the letter in the history, the invitation as sent.
    for id in [sv, en] {
        assert_eq!(
            history_kinds(&r, id)[0],
            ("letter".to_owned(), Some("meeting_invitation".to_owned()))
        );
    }
    assert!(meetings::invitees(&r, m.id)
        .unwrap()
        .iter()
        .all(|i| i.letter_at.is_some()));
    assert_eq!(
        meetings::overview(&r, m.id).unwrap().counts.letters_printed,
        2
    );
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn a_seat_letter_goes_to_those_promoted_and_then_they_are_told() {
    let mut r = org("SE");
    let dir = tempfile::tempdir().unwrap();
    let ids = members(&mut r, 3);
    let m = meetings::create(
        &mut r,
        &meeting("course", "Kurs i arbetsrätt", "2027-03-16 18:00", Some(1)),
    )
    .unwrap();
    meetings::invite(&mut r, m.id, &InviteSelection::default()).unwrap();
    let out = dir.path().join("plats.pdf");
    let run = |r: &mut SqliteRegister| {
        meetings::letters(
            r,
            m.id,
            meetings::MeetingLetters::Seats,
            &out,
            &mut |_, _| {},
            &AtomicBool::new(false),
        )
    };
    assert_eq!(run(&mut r).unwrap_err().code(), "nothing_to_print");
    meetings::reply(&mut r, m.id, ids[0], true).unwrap();
    meetings::reply(&mut r, m.id, ids[1], true).unwrap();
    meetings::reply(&mut r, m.id, ids[0], false).unwrap();
    let done = run(&mut r).unwrap();
    assert_eq!(done.summary.items, 1);
    let text = page_text(&out, 1);
    assert!(
        text.contains("Du har fått en plats: Kurs i arbetsrätt"),
        "{text}"
    );
    assert!(text.contains("Person1"), "{text}");
    assert!(
        meetings::overview(&r, m.id).unwrap().promoted.is_empty(),
        "told"
    );
}

#[cfg(not(windows))] // reads the PDF with poppler/qpdf, Linux programs a test under Wine cannot start
#[test]
fn the_signature_sheet_lists_those_with_a_seat() {
    let mut r = org("SE");
    let dir = tempfile::tempdir().unwrap();
    let ids = members(&mut r, 3);
    let m = meetings::create(
        &mut r,
        &meeting("member_meeting", "Medlemsmöte", "2027-03-16 18:00", Some(2)),
    )
    .unwrap();
    meetings::invite(&mut r, m.id, &InviteSelection::default()).unwrap();
    let out = dir.path().join("namn.pdf");
    // Nobody replied: everyone invited.
    assert_eq!(meetings::signature_sheet(&r, m.id, &out).unwrap().items, 3);
    meetings::reply(&mut r, m.id, ids[2], true).unwrap();
    let s = meetings::signature_sheet(&r, m.id, &out).unwrap();
    assert_eq!(s.items, 1);
    let text = page_text(&out, 1);
    assert!(text.contains("Medlemsmöte"), "{text}");
    assert!(
        text.contains("Fackklubben Verkstaden · tisdag 16 mars 2027"),
        "{text}"
    );
    assert!(text.contains("Svensson2, Person2"), "{text}");
    assert!(!text.contains("Svensson0"), "{text}");
}

/// The .ics as Python's icalendar reads it: summary, local start and end
/// with their UTC offsets.
fn parse_ics(path: &Path) -> String {
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
tz = [c for c in cal.walk('VTIMEZONE')]
for e in cal.walk('VEVENT'):
    s = e.decoded('DTSTART'); n = e.decoded('DTEND')
    print(str(e.get('SUMMARY')))
    print(s.strftime('%Y-%m-%d %H:%M'), s.utcoffset(), str(e['DTSTART'].params.get('TZID')))
    print(n.strftime('%Y-%m-%d %H:%M'), n.utcoffset())
    print(str(e.get('LOCATION')))
    print(len(tz), str(tz[0].get('TZID')))
"#;
    let out = std::process::Command::new("/usr/bin/python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .expect("/usr/bin/python3 (apt: python3-icalendar; `cargo xtask test` installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[cfg(not(windows))] // reads the .ics with Python's icalendar, a Linux program a test under Wine cannot start
#[test]
fn the_calendar_file_parses_with_a_standard_parser_at_the_right_local_time() {
    let mut r = org("SE");
    let dir = tempfile::tempdir().unwrap();
    // Winter (CET, +1) and summer (CEST, +2), in Stockholm and Oslo.
    for (starts, tz, offset) in [
        ("2027-01-19 18:00", "Europe/Stockholm", "1:00:00"),
        ("2027-06-15 18:00", "Europe/Stockholm", "2:00:00"),
        ("2027-10-31 18:00", "Europe/Oslo", "1:00:00"),
    ] {
        let m = meetings::create(
            &mut r,
            &MeetingInput {
                time_zone: tz.into(),
                venue: "Folkets hus; Sal 2, <b>".into(),
                ..meeting("member_meeting", "Möte: budget, val", starts, None)
            },
        )
        .unwrap();
        let out = dir.path().join(format!("{}.ics", m.id));
        meetings::ics::write(&r, m.id, &out).unwrap();
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains("BEGIN:VTIMEZONE"), "{text}");
        let got = parse_ics(&out);
        let day = &starts[..10];
        assert_eq!(
            got,
            format!(
                "Möte: budget, val\n{starts} {offset} {tz}\n{day} 20:00 {offset}\nFolkets hus; Sal 2, <b>\n1 {tz}\n"
            )
        );
    }
    assert_eq!(
        meetings::ics::write(&r, 777, &dir.path().join("x.ics"))
            .unwrap_err()
            .code(),
        "not_found"
    );
}

#[cfg(not(windows))] // reads the .ics with Python's icalendar, a Linux program a test under Wine cannot start
#[test]
fn a_title_that_looks_like_calendar_syntax_stays_text_in_the_calendar_file() {
    let mut r = SqliteRegister::open_in_memory().unwrap();
    r.create_org(&OrgInput {
        name: "Klubben, Nord; Öst \\ Väst".into(),
        country: "SE".into(),
        ..Default::default()
    })
    .unwrap();
    let title = "Möte BEGIN:VEVENT; END:VCALENDAR, a\\b";
    let m = meetings::create(
        &mut r,
        &meeting("member_meeting", title, "2027-01-19 18:00", None),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.ics");
    meetings::ics::write(&r, m.id, &out).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    // One event, with the time zone block before it and not inside a line.
    assert_eq!(text.matches("\r\nBEGIN:VEVENT\r\n").count(), 1, "{text}");
    assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1, "{text}");
    assert!(text.find("BEGIN:VTIMEZONE") < text.find("\r\nBEGIN:VEVENT\r\n"));
    // A standard parser reads the title and the calendar's name back as text.
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
print(str(cal.get('X-WR-CALNAME')))
print(len(list(cal.walk('VEVENT'))))
print(str(list(cal.walk('VEVENT'))[0].get('SUMMARY')))
"#;
    let got = std::process::Command::new("/usr/bin/python3")
        .args(["-c", script, out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    assert_eq!(
        String::from_utf8(got.stdout).unwrap(),
        format!("Klubben, Nord; Öst \\ Väst: {title}\n1\n{title}\n")
    );
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[test]
fn the_notice_period_of_the_statutes_warns_outside_its_window() {
    let s = agm::Statutes {
        notice_min_days: 14,
        notice_max_days: 42,
        ..Default::default()
    };
    let check = |on: &str, expect: Option<&str>| {
        let w = agm::notice_check(day("2027-03-16"), day(on), &s);
        assert_eq!(
            w.as_ref().map(|w| w.code.as_str()),
            expect,
            "invitations on {on}"
        );
        if let Some(w) = w {
            assert_eq!(
                (w.earliest, w.latest),
                (day("2027-02-02"), day("2027-03-02"))
            );
        }
    };
    check("2027-03-02", None); // exactly 14 days before
    check("2027-02-02", None); // exactly 42 days before
    check("2027-03-03", Some("notice_too_late"));
    check("2027-03-16", Some("notice_too_late"));
    check("2027-02-01", Some("notice_too_early"));
}

#[test]
fn an_agm_invitation_outside_the_notice_period_comes_with_a_warning() {
    let mut r = org("SE");
    members(&mut r, 2);
    // A meeting three days from now is too late for a 14-day notice.
    let soon = (chrono::Local::now().date_naive() + chrono::Days::new(3)).to_string();
    let m = meetings::create(
        &mut r,
        &meeting(
            "annual_general_meeting",
            "Årsmöte",
            &format!("{soon} 18:00"),
            None,
        ),
    )
    .unwrap();
    let s = meetings::invite(&mut r, m.id, &InviteSelection::default()).unwrap();
    assert_eq!(s.warnings.len(), 1);
    assert_eq!(
        (s.warnings[0].code.as_str(), s.warnings[0].days_before),
        ("notice_too_late", 3)
    );
    let dir = tempfile::tempdir().unwrap();
    let done = print_invitations(&mut r, m.id, &dir.path().join("a.pdf")).unwrap();
    assert_eq!(
        done.warnings[0].code, "notice_too_late",
        "warned, still printed"
    );
    assert_eq!(
        meetings::overview(&r, m.id).unwrap().notice.unwrap().code,
        "notice_too_late"
    );
}

/// An address kept from before such were refused is not copied out.
#[test]
fn an_old_formula_address_is_left_out_of_the_email_list() {
    let mut r = org("SE");
    let anna = members(&mut r, 1)[0];
    let m = meetings::create(
        &mut r,
        &meeting("member_meeting", "Möte", "2027-03-16 18:00", None),
    )
    .unwrap();
    let set_email = |r: &SqliteRegister, e: &str| {
        r.connection()
            .execute("UPDATE members SET email = ?1 WHERE id = ?2", (e, anna))
            .unwrap();
    };
    set_email(&r, "anna@example.se");
    let by_email = InviteSelection {
        how: Some(How::Email),
        ..Default::default()
    };
    meetings::invite(&mut r, m.id, &by_email).unwrap();
    assert_eq!(meetings::email_list(&r, m.id).unwrap(), ["anna@example.se"]);
    set_email(&r, "=1+1@x.se");
    assert!(meetings::email_list(&r, m.id).unwrap().is_empty());
}

// The meetings' store on both stores: the file and the office server.
on_both! {
    @ || crate::letters::org("SE"), || crate::backends::pg_org("SE");

    /// Two officers open one meeting's form; the second to save is told
    /// who saved first and when, and nothing of theirs is written.
    fn a_meeting_form_saved_after_someone_elses_save_is_refused(r) {
        use meetings::seats::Overflow;
        let input = meeting("member_meeting", "Medlemsmöte", "2027-03-16 18:00", Some(40));
        let m = meetings::create(r, &input).unwrap();
        assert_eq!(m.version, 1);
        // Both open the form at version 1; one moves the meeting.
        let moved = MeetingInput {
            venue: "Nya lokalen".into(),
            version: Some(m.version),
            ..input.clone()
        };
        let saved = meetings::update(r, m.id, &moved, Overflow::Refuse).unwrap();
        assert_eq!((saved.version, saved.details.venue.as_str()), (2, "Nya lokalen"));
        let retitled = MeetingInput {
            title: "Vårmöte".into(),
            capacity: Some(10),
            version: Some(m.version),
            ..input.clone()
        };
        let e = meetings::update(r, m.id, &retitled, Overflow::Refuse).unwrap_err();
        assert_eq!(e.code(), "meeting_changed", "{e}");
        let d = e.details();
        assert_eq!(d.member.as_deref(), Some(saved.changed_by.as_str()));
        assert_eq!(d.part, Some(saved.updated_at.local_text()));
        assert_eq!(meetings::get(&*r, m.id).unwrap(), saved, "nothing written");
        // Opened again (the new venue in it): the save goes through.
        let again = MeetingInput {
            venue: saved.details.venue.clone(),
            version: Some(saved.version),
            ..retitled
        };
        let last = meetings::update(r, m.id, &again, Overflow::Refuse).unwrap();
        let shown = (last.details.title.as_str(), last.details.venue.as_str());
        assert_eq!((last.version, shown), (3, ("Vårmöte", "Nya lokalen")));
        // Without a version (the CLI): no check.
        let cli = MeetingInput {
            version: None,
            ..again
        };
        assert_eq!(meetings::update(r, m.id, &cli, Overflow::Refuse).unwrap().version, 4);
    }

    fn a_meeting_is_created_with_its_local_time_and_zone(r) {
        let m = meetings::create(
            r,
            &MeetingInput {
                time_zone: String::new(),
                reply_by: "2027-03-01".into(),
                agenda: "1. Välkommen\n2. Aktuellt".into(),
                ..meeting(
                    "member_meeting",
                    "Medlemsmöte i mars",
                    "2027-03-16 18:00",
                    Some(85),
                )
            },
        )
        .unwrap();
        assert_eq!(
            m.details.time_zone, "Europe/Stockholm",
            "the country's zone by default"
        );
        assert_eq!(m.details.starts.to_string(), "2027-03-16 18:00:00");
        assert_eq!(m.details.ends.unwrap().to_string(), "2027-03-16 20:00:00");
        assert_eq!(m.details.capacity, Some(85));
        assert_eq!(meetings::get(&*r, m.id).unwrap(), m);
        // The zone follows the organisation's country.
        r.update_org(&crate::letters::org_input("DK")).unwrap();
        let d = meetings::create(
            r,
            &meeting("social", "Sommerfest", "2027-06-18T17:30", None),
        )
        .unwrap();
        assert_eq!(d.details.time_zone, "Europe/Copenhagen");
    }

    fn an_agm_freezes_its_voter_roll_at_the_cutoff_and_checks_the_quorum(r) {
        let joined = |first: &str, date: &str| MemberInput {
            joined_date: Some(date.into()),
            ..addressed(first, "Ek", "sv")
        };
        let early = r.create(&joined("Tidig", "2020-01-01")).unwrap().id;
        let left = r.create(&joined("Slutat", "2020-01-01")).unwrap().id;
        let late = r.create(&joined("Sen", "2027-02-15")).unwrap().id;
        let applicant = r
            .create(&MemberInput {
                status: "applicant".into(),
                ..joined("Sökande", "2020-01-01")
            })
            .unwrap()
            .id;
        // Left after the cut-off: was active on it.
        r.set_status(left, Status::Resigned, day("2027-02-10"))
            .unwrap();
        agm::set_statutes(
            r,
            &agm::Statutes {
                quorum_count: Some(2),
                ..Default::default()
            },
        )
        .unwrap();
        let m = meetings::create(
            r,
            &meeting(
                "annual_general_meeting",
                "Årsmöte 2027",
                "2027-03-16 18:00",
                None,
            ),
        )
        .unwrap();
        let o = meetings::overview(&*r, m.id).unwrap();
        assert_eq!(o.voters.as_ref().unwrap().cutoff, None);
        let v = agm::freeze_voters(r, m.id, day("2027-02-01")).unwrap();
        assert_eq!(
            (v.voters, v.present, v.needed, v.quorate),
            (2, 0, Some(2), Some(false))
        );
        let mut roll = agm::voters(&*r, m.id).unwrap();
        roll.sort();
        assert_eq!(roll, [early, left]);
        assert!(!roll.contains(&late) && !roll.contains(&applicant));
        // The roll as a PDF (read with poppler, which a test under Wine cannot start).
        #[cfg(not(windows))]
        {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("rostlangd.pdf");
            assert_eq!(meetings::voter_roll(&*r, m.id, &out).unwrap().items, 2);
            let text = page_text(&out, 1);
            assert!(text.contains("Röstlängd: Årsmöte 2027"), "{text}");
            assert!(
                text.contains("tisdag 16 mars 2027 · röstlängd per 1 februari 2027"),
                "{text}"
            );
            assert!(
                text.contains("Ek, Slutat") && !text.contains("Ek, Sen"),
                "{text}"
            );
        }
        // Present voters against the quorum; a non-voter present does not count.
        meetings::attend(r, m.id, early, true).unwrap();
        meetings::attend(r, m.id, late, true).unwrap();
        let v = meetings::overview(&*r, m.id).unwrap().voters.unwrap();
        assert_eq!((v.present, v.quorate), (1, Some(false)));
        meetings::attend(r, m.id, left, true).unwrap();
        let v = meetings::overview(&*r, m.id).unwrap().voters.unwrap();
        assert_eq!((v.present, v.quorate), (2, Some(true)));
        // A cut-off after the meeting, or a roll for another kind, is refused.
        assert_eq!(
            agm::freeze_voters(r, m.id, day("2027-04-01"))
                .unwrap_err()
                .code(),
            "validation"
        );
        let other =
            meetings::create(r, &meeting("social", "Fest", "2027-03-16 18:00", None)).unwrap();
        assert_eq!(
            agm::freeze_voters(r, other.id, day("2027-02-01"))
                .unwrap_err()
                .code(),
            "validation"
        );
        assert_eq!(agm::voters(&*r, m.id).unwrap().len(), 2, "unchanged");
    }

    fn bad_meeting_input_is_refused_naming_each_field_and_nothing_is_written(r) {
        let check = |r: &mut dyn Store, input: MeetingInput, expect: &[(&str, &str)]| {
            let e = meetings::create(r, &input).unwrap_err();
            assert_eq!(e.code(), "validation", "{e}");
            let expect: Vec<(String, &str)> = expect.iter().map(|(f, c)| (f.to_string(), *c)).collect();
            assert_eq!(field_codes(&e), expect, "{input:?}");
            assert_eq!(count_meetings(r), 0);
        };
        check(
            r,
            meeting("", "", "", None),
            &[
                ("kind", "invalid_choice"),
                ("title", "required"),
                ("starts", "required"),
            ],
        );
        check(
            r,
            meeting("party", "Fest", "2027-03-16 18:00", None),
            &[("kind", "invalid_choice")],
        );
        check(
            r,
            meeting("social", "Fest", "16/3 2027", None),
            &[("starts", "invalid_date")],
        );
        // 02:30 on the last Sunday of March does not exist in Stockholm.
        check(
            r,
            meeting("social", "Fest", "2027-03-28 02:30", None),
            &[("starts", "invalid_date")],
        );
        check(
            r,
            MeetingInput {
                ends: "17:00".into(),
                ..meeting("social", "Fest", "2027-03-16 18:00", None)
            },
            &[("ends", "date_order")],
        );
        check(
            r,
            MeetingInput {
                time_zone: "America/New_York".into(),
                ..meeting("social", "Fest", "2027-03-16 18:00", None)
            },
            &[("timeZone", "invalid_choice")],
        );
        check(
            r,
            meeting("social", "Fest", "2027-03-16 18:00", Some(-1)),
            &[("capacity", "invalid_number")],
        );
        check(
            r,
            MeetingInput {
                reply_by: "2027-03-17".into(),
                ..meeting("social", "Fest", "2027-03-16 18:00", None)
            },
            &[("replyBy", "date_order")],
        );
        check(
            r,
            MeetingInput {
                online_link: "javascript:alert(1)".into(),
                ..meeting("webinar", "Webb", "2027-03-16 18:00", None)
            },
            &[("onlineLink", "invalid_link")],
        );
        check(
            r,
            MeetingInput {
                online_link: "=HYPERLINK(\"http://x\")".into(),
                ..meeting("webinar", "Webb", "2027-03-16 18:00", None)
            },
            &[("onlineLink", "invalid_link")],
        );
        check(
            r,
            MeetingInput {
                branch_id: Some(99),
                ..meeting("social", "Fest", "2027-03-16 18:00", None)
            },
            &[("branchId", "invalid_choice")],
        );
    }

    /// The issue's scenario: 3 seats, 5 invited, 5 yeses, one cancels.
    fn three_seats_five_yeses_two_wait_and_a_cancellation_seats_the_first_waiting(r) {
        let ids = members(r, 5);
        let m = meetings::create(
            r,
            &meeting("member_meeting", "Medlemsmöte", "2027-03-16 18:00", Some(3)),
        )
        .unwrap();
        let s = meetings::invite(r, m.id, &InviteSelection::default()).unwrap();
        assert_eq!((s.invited, s.total, s.by_letter), (5, 5, 5));
        // Replies in this order: 4, 2, 0, 3, 1.
        let order = [ids[4], ids[2], ids[0], ids[3], ids[1]];
        let places: Vec<(String, Option<usize>)> = order
            .iter()
            .map(|p| {
                let o = meetings::reply(r, m.id, *p, true).unwrap();
                (o.place, o.position)
            })
            .collect();
        assert_eq!(
            places,
            [
                ("seated", None),
                ("seated", None),
                ("seated", None),
                ("waiting", Some(1)),
                ("waiting", Some(2))
            ]
            .map(|(p, n)| (p.to_owned(), n))
        );
        let o = meetings::overview(&*r, m.id).unwrap();
        assert_eq!(
            (
                o.counts.seats_taken,
                o.seats_left,
                o.counts.yes,
                o.counts.invited
            ),
            (3, Some(0), 5, 5)
        );
        let waiting: Vec<i64> = o.waiting.iter().map(|p| p.member_id).collect();
        assert_eq!(waiting, [ids[3], ids[1]]);
        // A seated member cancels: the first on the waiting list is seated.
        let out = meetings::reply(r, m.id, ids[2], false).unwrap();
        assert_eq!(out.place, "declined");
        assert_eq!(
            out.promoted.iter().map(|p| p.member_id).collect::<Vec<_>>(),
            [ids[3]]
        );
        assert_eq!(out.promoted[0].name, "Person3 Svensson3");
        let o = out.overview;
        assert_eq!((o.counts.seats_taken, o.seats_left), (3, Some(0)));
        assert_eq!(
            o.waiting.iter().map(|p| p.member_id).collect::<Vec<_>>(),
            [ids[1]]
        );
        assert_eq!(
            o.promoted.iter().map(|p| p.member_id).collect::<Vec<_>>(),
            [ids[3]]
        );
        let people = meetings::invitees(&*r, m.id).unwrap();
        let seated: Vec<i64> = people
            .iter()
            .filter(|i| i.place == "seated")
            .map(|i| i.member_id)
            .collect();
        assert_eq!(
            seated,
            [ids[4], ids[0], ids[3]],
            "in the order the seats were given"
        );
        let waiting = people.iter().find(|i| i.place == "waiting").unwrap();
        assert_eq!((waiting.member_id, waiting.position), (ids[1], Some(1)));
    }

    /// The people list of an annual meeting can hold every member: it is read
    /// a page at a time, by place and by name, and the rows already shown are
    /// read again where they stand.
    fn the_people_list_is_read_a_page_at_a_time_by_place_and_by_name(r) {
        use medlem_core::meetings::{PeopleQuery, PlaceCounts, Standing};
        let ids = members(r, 25);
        let m = meetings::create(
            r,
            &meeting("member_meeting", "Medlemsmöte", "2027-03-16 18:00", Some(3)),
        )
        .unwrap();
        meetings::invite(r, m.id, &InviteSelection::default()).unwrap();
        for p in [ids[7], ids[3], ids[12], ids[20], ids[1]] {
            meetings::reply(r, m.id, p, true).unwrap();
        }
        for p in [ids[5], ids[24]] {
            meetings::reply(r, m.id, p, false).unwrap();
        }
        let stranger = members(r, 1)[0];
        let all = meetings::invitees(&*r, m.id).unwrap();
        let page = |q: PeopleQuery| meetings::people(&*r, m.id, &q).unwrap();
        let ids_of = |v: &[meetings::Invitee]| v.iter().map(|i| i.member_id).collect::<Vec<_>>();

        // Pages of ten, in the list's order, add up to the whole list.
        let mut paged = Vec::new();
        for offset in [0, 10, 20] {
            let p = page(PeopleQuery {
                offset,
                limit: 10,
                ..Default::default()
            });
            assert_eq!(p.found, 25);
            paged.extend(p.rows);
        }
        assert_eq!(paged, all);
        let first = page(PeopleQuery {
            limit: 10,
            ..Default::default()
        });
        assert_eq!(
            first.places,
            PlaceCounts {
                all: 25,
                seated: 3,
                waiting: 2,
                no_reply: 18,
                declined: 2
            }
        );
        assert_eq!(
            ids_of(&first.rows[..5]),
            [ids[7], ids[3], ids[12], ids[20], ids[1]]
        );

        // One place: the waiting list in line.
        let waiting = page(PeopleQuery {
            place: Some(Standing::Waiting),
            limit: 10,
            ..Default::default()
        });
        assert_eq!(
            (ids_of(&waiting.rows), waiting.found),
            (vec![ids[20], ids[1]], 2)
        );
        assert_eq!(waiting.rows[1].position, Some(2));
        assert_eq!(waiting.places.all, 25, "the tabs count everyone");

        // By name: words the name begins with, in any case; with a place too.
        let found = page(PeopleQuery {
            find: "PERSON1".into(),
            limit: 100,
            ..Default::default()
        });
        assert_eq!(found.found, 11, "Person1 and Person10 to Person19");
        assert!(found.rows.iter().all(|i| i.name.starts_with("Person1")));
        let both = page(PeopleQuery {
            find: "svensson2 person2".into(),
            place: Some(Standing::Declined),
            limit: 100,
            ..Default::default()
        });
        assert_eq!(ids_of(&both.rows), [ids[24]]);
        for hostile in ["<script>alert(1)</script>", "NEAR(", "=HYPERLINK(\"x\")"] {
            let p = page(PeopleQuery {
                find: hostile.into(),
                limit: 10,
                ..Default::default()
            });
            assert_eq!((p.found, p.rows.len()), (0, 0), "{hostile}");
        }
        // Only the search language's marks: no words, so everyone, as in the
        // member list.
        let marks = page(PeopleQuery {
            find: "\"* (".into(),
            limit: 1,
            ..Default::default()
        });
        assert_eq!(marks.found, 25);

        // The rows shown, read again where they stand; someone no longer
        // invited is left out.
        let kept = page(PeopleQuery {
            keep: vec![ids[24], stranger, ids[7]],
            ..Default::default()
        });
        assert_eq!(ids_of(&kept.kept), [ids[24], ids[7]]);
        assert_eq!(
            (kept.kept[0].place.as_str(), kept.kept[1].place.as_str()),
            ("declined", "seated")
        );
        assert!(
            kept.rows.is_empty(),
            "limit 0: only the counts and the kept rows"
        );

        // Too much at once is refused; a meeting that is not there is not found.
        let e = meetings::people(
            &*r,
            m.id,
            &PeopleQuery {
                limit: PeopleQuery::MAX_LIMIT + 1,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(field_codes(&e), [("limit".to_owned(), "too_long")]);
        assert_eq!(
            meetings::people(&*r, 999, &PeopleQuery::default())
                .unwrap_err()
                .code(),
            "not_found"
        );
    }

    fn a_reply_from_someone_not_invited_is_refused_and_changes_nothing(r) {
        let ids = members(r, 3);
        let m = meetings::create(
            r,
            &meeting("member_meeting", "Möte", "2027-03-16 18:00", Some(1)),
        )
        .unwrap();
        meetings::invite(
            r,
            m.id,
            &InviteSelection {
                member_ids: vec![ids[0], ids[1]],
                only_picked: true,
                ..Default::default()
            },
        )
        .unwrap();
        meetings::reply(r, m.id, ids[0], true).unwrap();
        let before = meetings::invitees(&*r, m.id).unwrap();
        let e = meetings::reply(r, m.id, ids[2], true).unwrap_err();
        assert_eq!(e.code(), "not_invited");
        assert_eq!(meetings::invitees(&*r, m.id).unwrap(), before);
        assert_eq!(
            meetings::reply(r, 999, ids[0], true)
                .unwrap_err()
                .code(),
            "not_found"
        );
    }

    fn an_accidental_reply_is_taken_back_with_the_seats_as_they_were(r) {
        let ids = members(r, 4);
        let m = meetings::create(
            r,
            &meeting("member_meeting", "Möte", "2027-03-16 18:00", Some(2)),
        )
        .unwrap();
        meetings::invite(r, m.id, &InviteSelection::default()).unwrap();
        for p in &ids[..3] {
            meetings::reply(r, m.id, *p, true).unwrap();
        }
        let before = meetings::invitees(&*r, m.id).unwrap();
        // A no clicked on the wrong row: the seat went to the first who waited.
        let slip = meetings::reply(r, m.id, ids[0], false).unwrap();
        assert_eq!(slip.promoted[0].member_id, ids[2]);
        let o = meetings::undo_reply(r, m.id, &slip.undo).unwrap();
        assert!(o.promoted.is_empty(), "nobody was promoted after all");
        assert_eq!(
            o.waiting.iter().map(|p| p.member_id).collect::<Vec<_>>(),
            [ids[2]]
        );
        assert_eq!(
            meetings::invitees(&*r, m.id).unwrap(),
            before,
            "the places, the reply and its time as before"
        );
        // Taking back a first reply leaves no reply at all.
        let first = meetings::reply(r, m.id, ids[3], true).unwrap();
        assert_eq!(first.place, "waiting");
        meetings::undo_reply(r, m.id, &first.undo).unwrap();
        assert_eq!(meetings::invitees(&*r, m.id).unwrap(), before);

        // The seats changed since (another reply): refused, nothing changed.
        let slip = meetings::reply(r, m.id, ids[1], false).unwrap();
        meetings::reply(r, m.id, ids[3], true).unwrap();
        let now = meetings::invitees(&*r, m.id).unwrap();
        let e = meetings::undo_reply(r, m.id, &slip.undo).unwrap_err();
        assert_eq!(e.code(), "reply_changed");
        assert_eq!(meetings::invitees(&*r, m.id).unwrap(), now);
        // Twice: the second is refused.
        let slip = meetings::reply(r, m.id, ids[3], false).unwrap();
        meetings::undo_reply(r, m.id, &slip.undo).unwrap();
        let again = meetings::undo_reply(r, m.id, &slip.undo).unwrap_err();
        assert_eq!(again.code(), "reply_changed");
        // A token naming people who were never part of it is refused.
        let mut forged = meetings::reply(r, m.id, ids[3], false).unwrap().undo;
        let now = meetings::invitees(&*r, m.id).unwrap();
        forged.before.seated.push(99_999);
        let e = meetings::undo_reply(r, m.id, &forged).unwrap_err();
        assert_eq!(e.code(), "reply_changed");
        assert_eq!(meetings::invitees(&*r, m.id).unwrap(), now);
    }

    fn lowering_the_capacity_below_the_seats_taken_is_refused_unless_chosen(r) {
        let ids = members(r, 4);
        let input = meeting("course", "Kurs", "2027-03-16 18:00", Some(3));
        let m = meetings::create(r, &input).unwrap();
        meetings::invite(r, m.id, &InviteSelection::default()).unwrap();
        for p in &ids {
            meetings::reply(r, m.id, *p, true).unwrap();
        }
        let before = meetings::invitees(&*r, m.id).unwrap();
        let lower = MeetingInput {
            capacity: Some(1),
            ..input.clone()
        };
        let e = meetings::update(r, m.id, &lower, meetings::seats::Overflow::Refuse).unwrap_err();
        assert_eq!(e.code(), "below_seated");
        assert!(e.to_string().contains("3 seats are already taken"), "{e}");
        assert_eq!(
            meetings::get(&*r, m.id).unwrap().details.capacity,
            Some(3),
            "never a silent drop"
        );
        assert_eq!(meetings::invitees(&*r, m.id).unwrap(), before);
        // Chosen explicitly: the latest seated go back to the front of the line.
        meetings::update(
            r,
            m.id,
            &lower,
            meetings::seats::Overflow::ToWaitingList,
        )
        .unwrap();
        let o = meetings::overview(&*r, m.id).unwrap();
        assert_eq!(o.counts.seats_taken, 1);
        assert_eq!(
            o.waiting.iter().map(|p| p.member_id).collect::<Vec<_>>(),
            [ids[1], ids[2], ids[3]]
        );
        // Raising it seats the first who wait, who are listed for a letter.
        let raise = MeetingInput {
            capacity: Some(3),
            ..input
        };
        meetings::update(r, m.id, &raise, meetings::seats::Overflow::Refuse).unwrap();
        let o = meetings::overview(&*r, m.id).unwrap();
        assert_eq!(o.counts.seats_taken, 3);
        assert_eq!(
            o.promoted.iter().map(|p| p.member_id).collect::<Vec<_>>(),
            [ids[1], ids[2]]
        );
    }

    fn invite_by_status_branch_workplace_role_and_by_hand_with_guests(r) {
        let north = r.create_branch("Norra").unwrap();
        let works = r.create_workplace("Verkstaden AB", Some(north.id)).unwrap();
        let add = |r: &mut dyn Store, first: &str, f: &dyn Fn(&mut MemberInput)| {
            let mut m = addressed(first, "Ek", "sv");
            f(&mut m);
            r.create(&m).unwrap().id
        };
        let anna = add(r, "Anna", &|m| {
            m.branch_id = Some(north.id);
            m.workplace_id = Some(works.id);
            m.contact.email = "anna@example.se".into();
        });
        let bo = add(r, "Bo", &|m| {
            m.branch_id = Some(north.id);
        });
        let cilla = add(r, "Cilla", &|m| {
            m.workplace_id = Some(works.id);
            m.roles = vec![RoleInput {
                role: "shop_steward".into(),
                from: "2020-01-01".into(),
                to: None,
                id: None,
            }];
        });
        let _resigned = add(r, "Dan", &|m| {
            m.status = "resigned".into();
            m.branch_id = Some(north.id);
        });
        let guest = add(r, "Gäst", &|m| {
            m.kind = "prospect".into();
            m.workplace_id = Some(works.id);
        });
        let invited = |r: &dyn Store, id: i64| -> Vec<i64> {
            let mut v: Vec<i64> = meetings::invitees(r, id)
                .unwrap()
                .iter()
                .map(|i| i.member_id)
                .collect();
            v.sort();
            v
        };
        let m1 = meetings::create(
            r,
            &meeting("member_meeting", "Norra", "2027-03-16 18:00", None),
        )
        .unwrap();
        let s = meetings::invite(
            r,
            m1.id,
            &InviteSelection {
                branch_id: Some(north.id),
                how: Some(How::Email),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            invited(&*r, m1.id),
            [anna, bo],
            "active members of the branch"
        );
        assert_eq!(
            (s.by_email, s.by_letter),
            (1, 1),
            "no e-mail address: by letter"
        );
        assert_eq!(
            meetings::email_list(&*r, m1.id).unwrap(),
            ["anna@example.se"]
        );
        let again = meetings::invite(
            r,
            m1.id,
            &InviteSelection {
                branch_id: Some(north.id),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!((again.invited, again.already, again.total), (0, 2, 2));

        let m2 = meetings::create(
            r,
            &meeting("member_meeting", "Ombud", "2027-03-16 18:00", None),
        )
        .unwrap();
        meetings::invite(
            r,
            m2.id,
            &InviteSelection {
                role: Some(RoleKind::ShopSteward),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(invited(&*r, m2.id), [cilla]);

        // Guests only where the meeting lets non-members come.
        let m3 = meetings::create(
            r,
            &MeetingInput {
                workplace_id: Some(works.id),
                ..meeting("workplace_meeting", "Fika", "2027-03-16 15:00", None)
            },
        )
        .unwrap();
        let e = meetings::invite(
            r,
            m3.id,
            &InviteSelection {
                workplace_id: Some(works.id),
                guests: true,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.code(), "guests_not_allowed");
        assert!(invited(&*r, m3.id).is_empty(), "nothing invited");
        let e = meetings::invite(
            r,
            m3.id,
            &InviteSelection {
                member_ids: vec![guest],
                only_picked: true,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.code(), "guests_not_allowed");
        let allow = MeetingInput {
            workplace_id: Some(works.id),
            guests_allowed: true,
            ..meeting("workplace_meeting", "Fika", "2027-03-16 15:00", None)
        };
        meetings::update(r, m3.id, &allow, meetings::seats::Overflow::Refuse).unwrap();
        let s = meetings::invite(
            r,
            m3.id,
            &InviteSelection {
                workplace_id: Some(works.id),
                guests: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!((s.invited, s.guests), (3, 1));
        assert_eq!(invited(&*r, m3.id), [anna, cilla, guest]);
        let g = meetings::invitees(&*r, m3.id)
            .unwrap()
            .into_iter()
            .find(|i| i.member_id == guest)
            .unwrap();
        assert!(g.guest);

        // Hand-picked, and a number that is nobody.
        let m4 =
            meetings::create(r, &meeting("social", "Fest", "2027-03-16 18:00", None)).unwrap();
        meetings::invite(
            r,
            m4.id,
            &InviteSelection {
                member_ids: vec![bo],
                only_picked: true,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(invited(&*r, m4.id), [bo]);
        let e = meetings::invite(
            r,
            m4.id,
            &InviteSelection {
                member_ids: vec![9999],
                only_picked: true,
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.code(), "not_found");
        assert_eq!(invited(&*r, m4.id), [bo]);
        // Who was invited, when and how.
        let i = &meetings::invitees(&*r, m1.id).unwrap()[0];
        let ago = medlem_core::dates::now().0 - i.invited_at.0;
        assert!(
            ago >= chrono::Duration::zero() && ago < chrono::Duration::minutes(5),
            "{ago}"
        );
        assert_eq!(i.how, How::Email);
    }

    fn attendance_is_ticked_and_appears_in_the_members_history(r) {
        let ids = members(r, 2);
        let m = meetings::create(
            r,
            &meeting("member_meeting", "Medlemsmöte", "2027-03-16 18:00", None),
        )
        .unwrap();
        meetings::invite(r, m.id, &InviteSelection::default()).unwrap();
        let i = meetings::attend(r, m.id, ids[0], true).unwrap();
        assert!(i.attended);
        let h = r.history(ids[0]).unwrap();
        assert_eq!(h[0].kind, HistoryKind::Attended);
        assert_eq!(h[0].field.as_deref(), Some("Medlemsmöte"));
        assert_eq!(h[0].effective_date, NaiveDate::from_ymd_opt(2027, 3, 16));
        // Ticked twice: recorded once. Unticked: gone.
        meetings::attend(r, m.id, ids[0], true).unwrap();
        let attended = |r: &dyn Store| {
            history_kinds(r, ids[0])
                .iter()
                .filter(|(k, _)| k == "attended")
                .count()
        };
        assert_eq!(attended(&*r), 1);
        meetings::attend(r, m.id, ids[0], false).unwrap();
        assert_eq!(attended(&*r), 0);
        assert_eq!(meetings::overview(&*r, m.id).unwrap().counts.attended, 0);
        assert_eq!(
            meetings::attend(r, m.id, 4242, true)
                .unwrap_err()
                .code(),
            "not_found"
        );
    }

    fn repeating_a_meeting_at_the_end_of_the_calendar_is_refused_not_a_crash(r) {
        let m = meetings::create(
            r,
            &MeetingInput {
                ends: "+262142-12-31 20:00".into(),
                ..meeting("member_meeting", "Sista mötet", "+200000-12-01 18:00", None)
            },
        )
        .unwrap();
        assert_eq!(
            meetings::repeat(r, m.id, Every::Week, 1)
                .unwrap_err()
                .code(),
            "validation"
        );
        assert_eq!(count_meetings(&*r), 1);
    }

    fn a_meeting_repeats_quarterly_as_a_series(r) {
        let m = meetings::create(
            r,
            &MeetingInput {
                reply_by: "2027-01-10".into(),
                ..meeting(
                    "member_meeting",
                    "Kvartalsmöte",
                    "2027-01-19 18:00",
                    Some(40),
                )
            },
        )
        .unwrap();
        let more = meetings::repeat(r, m.id, Every::Quarter, 3).unwrap();
        let starts: Vec<String> = more
            .iter()
            .map(|m| m.details.starts.format("%Y-%m-%d %H:%M").to_string())
            .collect();
        assert_eq!(
            starts,
            ["2027-04-19 18:00", "2027-07-19 18:00", "2027-10-19 18:00"]
        );
        assert!(more.iter().all(|x| x.series_id == Some(m.id)
            && x.details.capacity == Some(40)
            && x.details.title == "Kvartalsmöte"));
        assert_eq!(
            more[0].details.reply_by,
            NaiveDate::from_ymd_opt(2027, 4, 10)
        );
        assert_eq!(
            more[0].details.ends.unwrap().format("%H:%M").to_string(),
            "20:00"
        );
        assert_eq!(meetings::get(&*r, m.id).unwrap().series_id, Some(m.id));
        assert_eq!(count_meetings(&*r), 4);
        assert_eq!(
            meetings::repeat(r, m.id, Every::Week, 0)
                .unwrap_err()
                .code(),
            "validation"
        );
        assert_eq!(count_meetings(&*r), 4);
    }

    fn statutes_are_kept_and_bad_ones_refused(r) {
        assert_eq!(agm::statutes(&*r).unwrap(), agm::Statutes::default());
        let bad = agm::Statutes {
            notice_min_days: 30,
            notice_max_days: 10,
            quorum_percent: Some(150),
            ..Default::default()
        };
        let e = agm::set_statutes(r, &bad).unwrap_err();
        assert_eq!(
            field_codes(&e),
            [
                ("noticeMaxDays".to_owned(), "date_order"),
                ("quorumPercent".to_owned(), "invalid_number")
            ]
        );
        assert_eq!(
            agm::statutes(&*r).unwrap(),
            agm::Statutes::default(),
            "nothing saved"
        );
        let good = agm::Statutes {
            notice_min_days: 21,
            notice_max_days: 56,
            quorum_count: Some(10),
            quorum_percent: Some(20),
            paid_to_vote: true,
        };
        agm::set_statutes(r, &good).unwrap();
        assert_eq!(agm::statutes(&*r).unwrap(), good);
        assert_eq!(agm::quorum_needed(&good, 30), Some(10));
        assert_eq!(
            agm::quorum_needed(&good, 101),
            Some(21),
            "20 % of 101, rounded up"
        );
        assert_eq!(agm::quorum_needed(&agm::Statutes::default(), 100), None);
    }
}
