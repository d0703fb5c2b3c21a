//! Meetings through the window: a meeting with three seats made in the
//! form, five members invited in the invite dialog, five yeses registered
//! as the treasurer does when members call (three seated, two waiting in
//! the order they said yes), a no that seats the first who waits, and the
//! seat letter for them; attendance ticked on the day that shows in the
//! member's history, and the signature sheet; a refused meeting (no title,
//! a `javascript:` link) that creates nothing, and a hostile title shown as
//! text; a lower capacity that asks before moving anyone back to the
//! waiting list; an annual general meeting's voter roll and quorum.
//!
//! Expected window texts come from ui/i18n/en.json (the app runs with an
//! English system locale); the PDFs are read back with `pdftotext`.

use medlem_e2e::fixtures::i18n;
use medlem_e2e::App;

use crate::{app_with_org, escape_and_discard, fixed_part, pdf_with, register_with, Person};

pub(crate) const ANNA: Person = ("Anna", "Alm", "1001", "Storgatan 1", "21122", "Malmö");
pub(crate) const BO: Person = ("Bo", "Berg", "1002", "Storgatan 2", "21122", "Malmö");
const CILLA: Person = ("Cilla", "Carlsson", "1003", "Storgatan 3", "21122", "Malmö");
const DAN: Person = ("Dan", "Dahl", "1004", "Storgatan 4", "21122", "Malmö");
const EVA: Person = ("Eva", "Ek", "1005", "Storgatan 5", "21122", "Malmö");

/// A day that stays in the future (the list shows coming meetings first).
const DAY: &str = "2030-03-19";

fn name(p: &Person) -> String {
    format!("{} {}", p.0, p.1)
}

/// A catalog string with its `{count}` filled in (English: one / other).
fn counted(key: &str, n: u64) -> String {
    let form = if n == 1 { "one" } else { "other" };
    i18n("en", &format!("{key}.{form}")).replace("{count}", &n.to_string())
}

/// Opens the Meetings area and waits for its list.
pub(crate) fn open_meetings(app: &App) {
    app.click("nav-meetings");
    app.wait_visible("meeting-list");
}

/// What the meeting form gets; empty strings are left alone.
#[derive(Default)]
pub(crate) struct NewMeeting<'a> {
    pub title: &'a str,
    pub date: &'a str,
    pub time: &'a str,
    pub ends: &'a str,
    pub venue: &'a str,
    pub link: &'a str,
    pub capacity: &'a str,
}

/// Opens the form for a new meeting and types `m` into it (does not save).
fn fill_new_meeting(app: &App, m: &NewMeeting) {
    app.click("meeting-new");
    app.wait_visible("meeting-form");
    for (field, value) in [
        ("field-title", m.title),
        ("field-startsDate", m.date),
        ("field-startsTime", m.time),
        ("field-ends", m.ends),
        ("field-venue", m.venue),
        ("field-onlineLink", m.link),
        ("field-capacity", m.capacity),
    ] {
        if !value.is_empty() {
            app.type_into(field, value);
        }
    }
}

/// Makes a meeting through the form (Enter saves) and waits for its detail.
pub(crate) fn create_meeting(app: &App, m: &NewMeeting) {
    fill_new_meeting(app, m);
    app.press_enter("field-title");
    app.wait_gone("meeting-form");
    app.wait_text_contains("meeting-title", m.title);
    app.wait_visible("seat-panel");
}

/// Invites everyone the invite dialog selects by default (the active
/// members) and waits for its summary; returns how many it invited.
pub(crate) fn invite_active_members(app: &App) -> String {
    app.click("invite-open");
    app.wait_visible("invite-dialog");
    assert_eq!(
        app.text("invite-status"),
        "active",
        "the dialog invites active members unless told otherwise"
    );
    app.click("invite-confirm");
    app.wait_visible("invite-summary");
    let invited = app.text("invite-invited");
    app.screenshot("meetings-invite-dialog");
    app.click("invite-cancel");
    app.wait_gone("invite-dialog");
    invited
}

/// Waits until a number panel (`seats-taken`, `yes-count`, ...) says `n`.
fn wait_number(app: &App, testid: &str, n: &str) {
    app.poll(&format!("{testid} to say {n}"), |app| {
        let texts = app.all_texts(testid);
        if texts.first().map(String::as_str) == Some(n) {
            Ok(Some(()))
        } else {
            Err(format!("{testid} now: {texts:?}"))
        }
    })
}

/// Waits until the visible elements with this test id are one per needle, in
/// that order, each containing its needles; returns their texts.
fn wait_in_order(app: &App, testid: &str, needles: &[&[&str]]) -> Vec<String> {
    app.poll(&format!("{testid} to be {needles:?}"), |app| {
        let texts = app.all_texts(testid);
        let ok = texts.len() == needles.len()
            && texts
                .iter()
                .zip(needles)
                .all(|(text, parts)| parts.iter().all(|p| text.contains(p)));
        if ok {
            Ok(Some(texts))
        } else {
            Err(format!("{testid} now: {texts:?}"))
        }
    })
}

/// Registers a reply from one person with the buttons of their row.
fn reply(app: &App, who: &Person, yes: bool) {
    app.click_within(
        "invitee-row",
        &name(who),
        if yes { "reply-yes" } else { "reply-no" },
    );
}

/// Ticks one person present on a meeting still to come: the window asks
/// first (the meetings here are in the future), and the tick is confirmed.
fn tick_present(app: &App, who: &Person) {
    app.click_within("invitee-row", &name(who), "attend");
    app.wait_visible("attend-future-dialog");
    app.click("attend-future-dialog-confirm");
    app.wait_gone("attend-future-dialog");
}

fn waiting_at(position: u32) -> String {
    i18n("en", "place.waitingAt").replace("{position}", &position.to_string())
}

#[test]
fn five_yeses_for_three_seats_wait_in_order_and_a_no_seats_the_first_who_waits() {
    let (dir, _db, app) = register_with(&[ANNA, BO, CILLA, DAN, EVA]);
    open_meetings(&app);
    app.wait_visible("meeting-list-empty");
    app.screenshot("meetings-empty");

    let title = "Medlemsmöte i mars";
    create_meeting(
        &app,
        &NewMeeting {
            title,
            date: DAY,
            time: "18.00",
            ends: "20:00",
            venue: "Folkets hus, Malmö",
            capacity: "3",
            ..Default::default()
        },
    );
    app.wait_text_contains("meeting-when", "18:00");
    app.wait_text_contains("meeting-when", "20:00");
    app.wait_text_contains("meeting-when", "2030");
    app.wait_text_contains("meeting-venue", "Folkets hus, Malmö");
    app.wait_text_contains("meeting-row", title);
    app.wait_text_contains("meeting-row", "0/3");
    wait_number(&app, "seats-taken", "0");
    wait_number(&app, "seats-left", "3");
    app.wait_visible("invitee-empty");

    // The five active members, invited through the dialog.
    assert_eq!(invite_active_members(&app), "5");
    app.wait_count("invitee-row", 5);
    wait_number(&app, "invited-count", "5");
    wait_number(&app, "noreply-count", "5");

    // Five yeses, as five phone calls: the first three get the seats, the
    // last two wait in the order they said yes.
    for (i, who) in [ANNA, BO, CILLA, DAN, EVA].iter().enumerate() {
        reply(&app, who, true);
        wait_number(&app, "yes-count", &(i + 1).to_string());
    }
    wait_number(&app, "seats-taken", "3");
    wait_number(&app, "seats-left", "0");
    wait_number(&app, "noreply-count", "0");
    wait_in_order(
        &app,
        "waiting-entry",
        &[&[&name(&DAN), "1004"], &[&name(&EVA), "1005"]],
    );
    let seated = i18n("en", "place.seated");
    wait_in_order(
        &app,
        "invitee-row",
        &[
            &[&name(&ANNA), &seated],
            &[&name(&BO), &seated],
            &[&name(&CILLA), &seated],
            &[&name(&DAN), &waiting_at(1)],
            &[&name(&EVA), &waiting_at(2)],
        ],
    );
    app.wait_text_contains(
        "meeting-row",
        &format!("3/3 · {}", counted("meetings.rowWaiting", 2)),
    );
    app.scroll_into_view("seat-panel");
    app.screenshot("meetings-seats-taken");

    // Bo calls to say he cannot come after all: Dan, first on the waiting
    // list, gets the seat; Eva is now first in line.
    reply(&app, &BO, false);
    let toast = i18n("en", "seats.promotedToast").replace("{names}", &name(&DAN));
    app.wait_text_contains("toast", &toast);
    wait_in_order(&app, "promoted-entry", &[&[&name(&DAN)]]);
    wait_in_order(&app, "waiting-entry", &[&[&name(&EVA)]]);
    wait_number(&app, "seats-taken", "3");
    wait_number(&app, "no-count", "1");
    // Nobody moves in the list while replies come in: Bo's row stays where
    // the treasurer clicked, and the toast covers no button.
    wait_in_order(
        &app,
        "invitee-row",
        &[
            &[&name(&ANNA), &seated],
            &[&name(&BO), &i18n("en", "place.declined")],
            &[&name(&CILLA), &seated],
            &[&name(&DAN), &seated],
            &[&name(&EVA), &waiting_at(1)],
        ],
    );
    assert_eq!(app.focused(), "reply-no", "the focus stays on Bo's No");
    app.screenshot("meetings-reply-in-place");
    let faults = app.layout_faults();
    assert!(faults.is_empty(), "with the toast shown: {faults:#?}");
    // Choosing the filter again sorts the list: seated, waiting, declined.
    app.click("invitee-filter-all");
    wait_in_order(
        &app,
        "invitee-row",
        &[
            &[&name(&ANNA), &seated],
            &[&name(&CILLA), &seated],
            &[&name(&DAN), &seated],
            &[&name(&EVA), &waiting_at(1)],
            &[&name(&BO), &i18n("en", "place.declined")],
        ],
    );
    app.wait_text_contains(
        "meeting-row",
        &format!("3/3 · {}", counted("meetings.rowWaiting", 1)),
    );
    app.scroll_into_view("promoted-list");
    app.screenshot("meetings-promoted");

    // The seat letter for Dan, to a typed path; he is then told.
    let pdf = dir.path().join("platsbrev");
    app.click("promoted-print");
    app.wait_visible("seat-letters-dialog");
    app.type_into("seat-letters-path", &pdf.display().to_string());
    app.click("seat-letters-confirm");
    app.wait_text_contains("seat-letters-done", &counted("print.letters", 1));
    app.wait_visible("seat-letters-open-pdf");
    app.screenshot("meetings-seat-letter-printed");
    app.click("seat-letters-cancel");
    app.wait_gone("seat-letters-dialog");
    pdf_with(&pdf.with_extension("pdf"), &["Dahl", title]);
    app.wait_gone("promoted-list");
    app.close();
}

#[test]
fn an_accidental_no_is_undone_in_its_row_and_the_seat_comes_back() {
    let (_dir, _db, app) = register_with(&[ANNA, BO, CILLA]);
    open_meetings(&app);
    let title = "Kurs i arbetsrätt";
    create_meeting(
        &app,
        &NewMeeting {
            title,
            date: DAY,
            time: "18:00",
            venue: "Folkets hus",
            capacity: "1",
            ..Default::default()
        },
    );
    invite_active_members(&app);
    app.wait_count("invitee-row", 3);
    reply(&app, &ANNA, true);
    wait_number(&app, "seats-taken", "1");
    reply(&app, &BO, true);
    wait_number(&app, "yes-count", "2");
    let seated = i18n("en", "place.seated");
    // No on Anna's row by mistake: Bo gets her seat.
    reply(&app, &ANNA, false);
    wait_in_order(&app, "promoted-entry", &[&[&name(&BO)]]);
    // Only Anna's row offers to take it back.
    app.wait_count("reply-undo", 1);
    assert_eq!(
        app.attr("reply-undo", "aria-label").unwrap(),
        i18n("en", "people.undoNamed").replace("{name}", &name(&ANNA))
    );
    app.screenshot("meetings-reply-undo");
    app.click_within("invitee-row", &name(&ANNA), "reply-undo");
    app.wait_text_contains(
        "toast",
        &i18n("en", "people.undone").replace("{name}", &name(&ANNA)),
    );
    // As before the slip: Anna seated, Bo first in line, nobody promoted.
    wait_in_order(
        &app,
        "invitee-row",
        &[
            &[&name(&ANNA), &seated],
            &[&name(&BO), &waiting_at(1)],
            &[&name(&CILLA), &i18n("en", "place.no_reply")],
        ],
    );
    wait_in_order(&app, "waiting-entry", &[&[&name(&BO)]]);
    app.wait_gone("promoted-list");
    wait_number(&app, "no-count", "0");
    app.wait_gone("reply-undo");
    assert_eq!(
        app.focused(),
        "reply-yes",
        "the focus is back on Anna's row"
    );
    app.close();
}

#[test]
fn attendance_shows_in_the_member_history_and_the_signature_sheet_prints() {
    let (dir, _db, app) = register_with(&[ANNA, BO, CILLA]);
    open_meetings(&app);
    let title = "Studiecirkel: avtalet";
    create_meeting(
        &app,
        &NewMeeting {
            title,
            date: DAY,
            time: "17:30",
            venue: "Fackets lokal",
            ..Default::default()
        },
    );
    wait_number(&app, "seats-left", &i18n("en", "meetings.noLimit"));

    // Two people picked by hand with the member search.
    app.click("invite-open");
    app.wait_visible("invite-dialog");
    app.click("invite-only-picked");
    for who in [&ANNA, &CILLA] {
        app.type_into("invite-search", who.1);
        app.click_containing("invite-result", &format!("{}, {}", who.1, who.0));
        app.wait_text_contains("invite-picked", &name(who));
    }
    app.wait_count("invite-picked-item", 2);
    app.click("invite-confirm");
    app.wait_visible("invite-summary");
    assert_eq!(app.text("invite-invited"), "2");
    assert_eq!(app.text("invite-by-letter"), "2");
    app.click("invite-cancel");
    app.wait_gone("invite-dialog");
    app.wait_count("invitee-row", 2);

    reply(&app, &ANNA, true);
    reply(&app, &CILLA, true);
    wait_number(&app, "seats-taken", "2");

    // Ticking Anna present before the day asks first; No leaves her
    // unticked, then a confirmed tick counts her.
    app.click_within("invitee-row", &name(&ANNA), "attend");
    let asked = app.wait_text_contains("attend-future-dialog", &i18n("en", "people.futureTitle"));
    assert!(
        asked.contains(title) && asked.contains(&name(&ANNA)) && asked.contains("2030"),
        "the question names the meeting, its day and the member: {asked:?}"
    );
    app.screenshot("meetings-attend-future");
    app.click("attend-future-dialog-cancel");
    app.wait_gone("attend-future-dialog");
    let ticked = app.execute(
        "return [...document.querySelectorAll('[data-testid=attend]')].map((b) => b.checked)",
        vec![],
    );
    assert_eq!(ticked, serde_json::json!([false, false]), "nobody ticked");
    assert_eq!(app.text("attended-count"), "0");
    tick_present(&app, &ANNA);
    wait_number(&app, "attended-count", "1");
    app.screenshot("meetings-attendance");

    // Her history in the Members area says so.
    app.click("nav-members");
    app.click_containing("member-row", "Alm, Anna");
    let attended = fixed_part(&i18n("en", "history.attended")).to_string();
    let entry = app.wait_text_contains("history-entry", &attended);
    assert!(
        entry.contains(title) && entry.contains(&i18n("en", "meetings.kind.member_meeting")),
        "the history names the meeting and its kind: {entry:?}"
    );
    assert!(entry.contains("2030"), "and its day: {entry:?}");
    app.screenshot("meetings-member-history");
    // Cilla was not ticked: nothing in hers.
    app.click_containing("member-row", "Carlsson, Cilla");
    app.wait_text_contains("detail-name", "Cilla Carlsson");
    app.wait_visible("history-entry");
    assert!(
        !app.all_texts("history-entry")
            .iter()
            .any(|e| e.contains(&attended)),
        "only ticked people attended"
    );

    // The signature sheet for the day, to a typed path.
    open_meetings(&app);
    app.click_containing("meeting-row", title);
    app.wait_text_contains("meeting-title", title);
    app.click("meeting-signatures");
    app.wait_visible("meeting-signatures-dialog");
    let pdf = dir.path().join("namnlista.pdf");
    app.type_into("meeting-signatures-path", &pdf.display().to_string());
    app.click("meeting-signatures-confirm");
    app.wait_text_contains("meeting-signatures-done", &counted("print.rows", 2));
    app.click("meeting-signatures-cancel");
    app.wait_gone("meeting-signatures-dialog");
    let text = pdf_with(&pdf, &[title, "Alm, Anna", "Carlsson, Cilla", "1001"]);
    assert!(
        !text.contains("Berg"),
        "Bo was not invited, so he is not on the sheet:\n{text}"
    );

    // The invitation letters of the two invited by letter.
    app.click("meeting-letters");
    app.wait_visible("meeting-letters-dialog");
    let letters = dir.path().join("inbjudningar.pdf");
    app.type_into("meeting-letters-path", &letters.display().to_string());
    app.click("meeting-letters-confirm");
    app.wait_text_contains("meeting-letters-done", &counted("print.letters", 2));
    app.click("meeting-letters-cancel");
    app.wait_gone("meeting-letters-dialog");
    pdf_with(
        &letters,
        &[&format!("Inbjudan: {title}"), "Hej Anna!", "Hej Cilla!"],
    );
    app.wait_text_contains("papers-letters-state", "printed for 2");

    // The calendar file, in the meeting's time zone.
    app.click("meeting-ics");
    app.wait_visible("meeting-ics-dialog");
    let ics = dir.path().join("studiecirkel");
    app.type_into("meeting-ics-path", &ics.display().to_string());
    app.click("meeting-ics-confirm");
    app.wait_visible("meeting-ics-done");
    app.click("meeting-ics-cancel");
    app.wait_gone("meeting-ics-dialog");
    let calendar =
        std::fs::read_to_string(ics.with_extension("ics")).expect("the .ics was written");
    assert!(
        calendar.contains("DTSTART;TZID=Europe/Stockholm:20300319T173000"),
        "{calendar}"
    );

    // Nobody was invited by e-mail: the list says so.
    app.click("meeting-emails");
    app.wait_text_contains("emails-count", &i18n("en", "papers.emailsNone"));
    app.click("emails-close");
    app.wait_gone("emails-dialog");
    app.close();
}

#[test]
fn a_refused_meeting_creates_nothing_and_a_hostile_title_is_text() {
    let (_dir, _db, app) = app_with_org();
    open_meetings(&app);
    app.wait_visible("meeting-list-empty");

    // Ctrl+N in the Meetings area: a new meeting, no title, a script link.
    app.press_ctrl("meeting-new", 'n');
    app.wait_visible("meeting-form");
    app.type_into("field-startsDate", DAY);
    app.type_into("field-startsTime", "19:00");
    app.type_into("field-onlineLink", "javascript:alert(1)");
    app.press_enter("field-onlineLink");
    assert_eq!(
        app.wait_error("error-title"),
        i18n("en", "fieldError.required")
    );
    assert_eq!(
        app.wait_error("error-onlineLink"),
        i18n("en", "fieldError.invalid_link")
    );
    assert_eq!(
        app.attr("field-title", "aria-invalid").as_deref(),
        Some("true")
    );
    app.wait_text_contains("form-error", &i18n("en", "error.validation"));
    app.screenshot("meetings-refused");
    // Esc leaves the form; nothing was made.
    escape_and_discard(&app, "field-title");
    app.wait_gone("meeting-form");
    app.wait_visible("meeting-list-empty");
    assert_eq!(app.count("meeting-row"), 0);

    // A title that looks like a script is shown as the text it is.
    let hostile = "<script>alert(1)</script> <b>fet</b>";
    create_meeting(
        &app,
        &NewMeeting {
            title: hostile,
            date: DAY,
            time: "19:00",
            link: "https://möte.example.org/rum?id=1&x=<i>",
            ..Default::default()
        },
    );
    assert_eq!(app.text("meeting-title"), hostile);
    app.wait_text_contains("meeting-row", hostile);
    app.wait_text_contains("meeting-link", "https://möte.example.org/rum?id=1&x=<i>");
    let injected = app.execute(
        "return document.querySelectorAll('#app script, #app b, #app i').length;",
        vec![],
    );
    assert_eq!(injected, 0, "no markup from the data reached the page");
    app.screenshot("meetings-hostile-title");

    // Two more, a week apart: a series of three.
    app.click("meeting-repeat");
    app.wait_visible("repeat-dialog");
    app.select("repeat-every", "week");
    app.type_into("repeat-count", "2");
    app.click("repeat-confirm");
    app.wait_gone("repeat-dialog");
    app.wait_text_contains("toast", &counted("repeat.meetings", 2));
    let rows = app.wait_count("meeting-row", 3);
    assert!(
        rows[2].contains("2 Apr 2030"),
        "the last a fortnight later: {rows:?}"
    );

    // Deleting asks first; Cancel keeps it.
    app.click("meeting-delete");
    app.wait_visible("meeting-delete-dialog");
    app.click("meeting-delete-dialog-cancel");
    app.wait_gone("meeting-delete-dialog");
    app.wait_count("meeting-row", 3);
    app.click("meeting-delete");
    app.click("meeting-delete-dialog-confirm");
    app.wait_text_contains("toast", &i18n("en", "meetings.deleted"));
    app.wait_count("meeting-row", 2);
    app.wait_gone("meeting-detail");
    app.close();
}

#[test]
fn a_lower_capacity_asks_before_moving_the_latest_seated_back() {
    let (_dir, _db, app) = register_with(&[ANNA, BO, CILLA]);
    open_meetings(&app);
    create_meeting(
        &app,
        &NewMeeting {
            title: "Julfest",
            date: DAY,
            time: "18:00",
            capacity: "3",
            ..Default::default()
        },
    );
    invite_active_members(&app);
    for who in [ANNA, BO, CILLA] {
        reply(&app, &who, true);
    }
    wait_number(&app, "seats-taken", "3");

    // Two seats: Medlem asks, naming who would lose their seat.
    app.click("meeting-edit");
    app.wait_visible("meeting-form");
    app.type_into("field-capacity", "2");
    app.click("form-save");
    app.wait_visible("below-seated-dialog");
    app.wait_text_contains("below-seated-names", &name(&CILLA));
    assert!(
        !app.text("below-seated-names").contains(&name(&ANNA)),
        "only the latest seated move"
    );
    app.screenshot("meetings-below-seated");

    // Keep editing: nothing changed, the form stays with the reason.
    app.click("below-seated-dialog-cancel");
    app.wait_gone("below-seated-dialog");
    app.wait_visible("meeting-form");
    app.wait_text_contains("error-capacity", &i18n("en", "meetings.error.belowSeated"));

    // Save again and move her: Cilla waits first in line.
    app.click("form-save");
    app.wait_visible("below-seated-dialog");
    app.click("below-seated-dialog-confirm");
    app.wait_gone("meeting-form");
    wait_number(&app, "seats-taken", "2");
    wait_in_order(&app, "waiting-entry", &[&[&name(&CILLA)]]);
    app.wait_text_contains("meeting-row", "2/2");
    app.close();
}

#[test]
fn an_annual_general_meeting_has_a_voter_roll_and_a_quorum() {
    let (_dir, _db, app) = register_with(&[ANNA, BO, CILLA]);

    // The statutes: at least two present.
    app.click("nav-settings");
    app.wait_visible("statutes-save");
    app.type_into("statutes-quorum-count", "two");
    app.click("statutes-save");
    assert_eq!(
        app.wait_error("error-statutes-quorumCount"),
        i18n("en", "statutes.error.count")
    );
    app.type_into("statutes-quorum-count", "2");
    app.type_into("statutes-max", "7");
    app.click("statutes-save");
    assert_eq!(
        app.wait_error("error-statutes-noticeMaxDays"),
        i18n("en", "statutes.error.maxBelowMin")
    );
    app.type_into("statutes-max", "42");
    app.click("statutes-save");
    app.wait_text_contains("toast", &i18n("en", "toast.saved"));
    app.scroll_into_view("statutes");
    app.screenshot("settings-statutes");

    open_meetings(&app);
    app.click("meeting-new");
    app.wait_visible("meeting-form");
    app.select("field-kind", "annual_general_meeting");
    app.type_into("field-title", "Årsmöte 2030");
    app.type_into("field-startsDate", DAY);
    app.type_into("field-startsTime", "18:00");
    app.click("form-save");
    app.wait_gone("meeting-form");
    app.wait_text_contains(
        "meeting-kind",
        &i18n("en", "meetings.kind.annual_general_meeting"),
    );
    // Years ahead: invitations today would be far too early.
    app.wait_text_contains("notice-warning", &i18n("en", "notice.today"));
    app.screenshot("meetings-agm-notice");
    app.wait_text_contains("quorum-status", &i18n("en", "voters.notFrozen"));

    app.type_into("voters-cutoff", "2030-02-01");
    app.click("voters-freeze");
    app.wait_text_contains("voters-status", &counted("voters.voters", 3));
    let not_quorate = i18n("en", "voters.notQuorate")
        .replace("{present}", "0")
        .replace("{needed}", "2");
    app.wait_text_contains("quorum-status", &not_quorate);

    invite_active_members(&app);
    for who in [ANNA, BO] {
        tick_present(&app, &who);
    }
    wait_number(&app, "attended-count", "2");
    let quorate = i18n("en", "voters.quorate")
        .replace("{present}", "2")
        .replace("{needed}", "2");
    app.wait_text_contains("quorum-status", &quorate);
    app.scroll_into_view("voters-panel");
    app.screenshot("meetings-agm-quorum");
    app.close();
}

#[test]
fn a_long_people_list_is_drawn_in_pages_and_found_by_name() {
    // 205 members from a file, and Åsa Östlund among them.
    let (dir, db) = medlem_e2e::fixtures::temp_db();
    medlem_e2e::fixtures::cli(
        &db,
        &["org", "init", "--name", "Klubben", "--country", "SE"],
    );
    let mut csv = String::from("Medlemsnr;Förnamn;Efternamn;Postort\r\n");
    for i in 1..=205 {
        csv.push_str(&format!("{i};Person;Nummer {i:03};Malmö\r\n"));
    }
    csv.push_str("999;Åsa;Östlund;Östersund\r\n");
    let file = dir.path().join("medlemmar.csv");
    std::fs::write(&file, csv).expect("write the CSV");
    medlem_e2e::fixtures::cli(&db, &["import", file.to_str().expect("a UTF-8 path")]);
    let app = App::launch(&db);
    app.wait_visible("member-list");
    open_meetings(&app);
    create_meeting(
        &app,
        &NewMeeting {
            title: "Årsmöte",
            date: DAY,
            time: "18:00",
            capacity: "300",
            ..Default::default()
        },
    );
    assert_eq!(invite_active_members(&app), "206");

    // The first 100, and a button for the next that says how many are left.
    app.wait_count("invitee-row", 100);
    let more = |count: &str, left: &str| {
        i18n("en", "people.more")
            .replace("{count}", count)
            .replace("{left}", left)
    };
    assert_eq!(app.text("people-more"), more("100", "106"));
    app.click("people-more");
    app.wait_count("invitee-row", 200);
    assert_eq!(app.text("people-more"), more("6", "6"));
    app.click("people-more");
    app.wait_count("invitee-row", 206);
    app.wait_gone("people-more");
    let focused_row = app.execute(
        "const rows = [...document.querySelectorAll('[data-testid=\"invitee-row\"]')];
         return rows.findIndex((r) => r.contains(document.activeElement));",
        vec![],
    );
    assert_eq!(
        focused_row,
        serde_json::json!(200),
        "the first of the rows just shown has the focus"
    );

    // The find box: by name (any case), a reply there, and nobody found.
    app.type_into("people-find", "östlund");
    let rows = app.wait_count("invitee-row", 1);
    assert!(rows[0].contains("Åsa Östlund"), "{rows:?}");
    app.click_within("invitee-row", "Åsa Östlund", "reply-yes");
    wait_number(&app, "yes-count", "1");
    let rows = app.wait_count("invitee-row", 1);
    assert!(
        rows[0].contains(&i18n("en", "place.seated")),
        "the found row stays and shows the seat: {rows:?}"
    );
    assert_eq!(app.focused(), "reply-yes");
    app.type_into("people-find", "<script>nobody");
    app.wait_count("invitee-row", 0);
    app.wait_text_contains("people-none-found", &i18n("en", "people.noneFound"));
    assert_eq!(app.text("people-find"), "<script>nobody");
    app.screenshot("meetings-people-none-found");
    app.type_into("people-find", "");
    app.wait_count("invitee-row", 100);
    app.close();
}
