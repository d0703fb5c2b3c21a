//! The Members area: add, search, edit, resign (today, or on a later day),
//! validation, escaping.

use crate::meetings::{create_meeting, invite_active_members, open_meetings, NewMeeting};
use crate::{
    add_member, app_with_org, fill_new_member, fixed_part, member_count, register_with,
    wait_member_count, wait_no_error, wait_rows, NewMember, Person,
};
use medlem_e2e::fixtures::i18n;
use medlem_e2e::{first_number, App};

const FIRST: &str = "Åsa Märta";
const LAST: &str = "Östlund-Ærø";

#[test]
fn add_search_edit_resign_and_find_it_all_after_restart() {
    let (_dir, _db, app) = app_with_org();

    // Someone the searches below must not find.
    add_member(
        &app,
        &NewMember {
            first: "Per",
            last: "Berg",
            email: "per.berg@example.se",
            city: "Luleå",
            ..Default::default()
        },
    );
    add_member(
        &app,
        &NewMember {
            first: FIRST,
            last: LAST,
            email: "asa.ostlund@example.se",
            city: "Kiruna",
            ..Default::default()
        },
    );
    let name = app.text("detail-name");
    assert!(
        name.contains(FIRST) && name.contains(LAST),
        "detail-name {name:?}"
    );
    app.wait_text_contains("detail-email", "asa.ostlund@example.se");
    app.wait_text_contains("detail-city", "Kiruna");
    wait_member_count(&app, 2);

    // Search folds case beyond ASCII: "öst" and "ÖSTLUND" both find Östlund.
    app.type_into("member-search", "öst");
    let rows = wait_rows(&app, &[LAST]);
    assert!(rows[0].contains(FIRST), "row {:?}", rows[0]);
    app.type_into("member-search", "");
    wait_rows(&app, &["Berg", LAST]);
    app.type_into("member-search", "ÖSTLUND");
    wait_rows(&app, &[LAST]);
    app.screenshot("members-search-ostlund");
    app.type_into("member-search", "");
    app.wait_count("member-row", 2);

    // Edit: the new city shows, and the history says what changed.
    app.click_containing("member-row", LAST);
    app.wait_text_contains("detail-name", LAST);
    app.click("member-edit");
    app.wait_visible("member-form");
    app.type_into("field-city", "Malmö");
    app.click("form-save");
    app.wait_gone("member-form");
    app.wait_text_contains("detail-city", "Malmö");
    app.wait_until("a history entry for the city change", |app| {
        app.all_texts("history-entry")
            .into_iter()
            .find(|entry| entry.contains("Malmö") && entry.contains("Kiruna"))
    });
    app.screenshot("member-edited");

    // Resign, with the date the dialog proposes (today).
    let active = app.text("detail-status");
    app.click("member-resign");
    app.wait_visible("status-dialog");
    let date = app.text("status-date");
    assert!(is_iso_date(&date), "status-date {date:?} is not YYYY-MM-DD");
    app.click("status-confirm");
    app.wait_gone("status-dialog");
    app.wait_visible("member-reinstate");
    app.wait_gone("member-resign");
    let resigned = app.wait_until("detail-status to change", |app| {
        app.all_texts("detail-status")
            .into_iter()
            .next()
            .filter(|s| !s.is_empty() && *s != active)
    });
    app.screenshot("member-resigned");

    // Everything is still there after a restart.
    let app = app.restart();
    app.wait_visible("member-list");
    app.select("filter-status", "resigned");
    wait_rows(&app, &[LAST]);
    app.click_containing("member-row", LAST);
    app.wait_text_contains("detail-name", FIRST);
    app.wait_text_contains("detail-city", "Malmö");
    app.wait_text_contains("detail-status", &resigned);
    app.wait_visible("member-reinstate");
    assert!(!app.is_visible("member-resign"));
    app.select("filter-status", "");
    wait_rows(&app, &["Berg", LAST]);
    app.close();
}

#[test]
fn invalid_members_are_refused_and_nothing_is_written() {
    let (_dir, _db, app) = app_with_org();
    add_member(
        &app,
        &NewMember {
            number: "1001",
            first: "Anna",
            last: "Lind",
            ..Default::default()
        },
    );
    app.wait_count("member-row", 1);
    wait_member_count(&app, 1);
    let before = member_count(&app);

    // No first name.
    fill_new_member(
        &app,
        &NewMember {
            last: "Lindgren",
            ..Default::default()
        },
    );
    app.click("form-save");
    app.wait_error("error-firstName");
    app.wait_visible("member-form");

    // A broken email.
    app.type_into("field-firstName", "Anna");
    app.type_into("field-email", "anna@");
    app.click("form-save");
    app.wait_error("error-email");
    wait_no_error(&app, "error-firstName");

    // A date that does not exist.
    app.type_into("field-email", "anna.lindgren@example.se");
    app.type_into("field-birthDate", "2024-13-45");
    app.click("form-save");
    app.wait_error("error-birthDate");
    wait_no_error(&app, "error-email");

    // A member number that is taken.
    app.type_into("field-birthDate", "");
    app.type_into("field-number", "1001");
    app.click("form-save");
    app.wait_error("error-number");
    app.wait_visible("member-form");
    app.scroll_into_view("error-number");
    app.screenshot("member-duplicate-number");

    app.click("form-cancel");
    app.wait_gone("member-form");
    assert_eq!(member_count(&app), before, "a refused save wrote a member");
    wait_rows(&app, &["Lind"]);

    let app = app.restart();
    app.wait_visible("member-list");
    assert_eq!(member_count(&app), before, "a refused save wrote a member");
    app.close();
}

#[test]
fn markup_in_a_name_is_shown_as_text() {
    const HOSTILE: &str = "<img src=x onerror=alert(1)>";
    let (_dir, _db, app) = app_with_org();
    add_member(
        &app,
        &NewMember {
            first: HOSTILE,
            last: "Testsson",
            city: "<b>Umeå</b>",
            ..Default::default()
        },
    );
    app.wait_text_contains("member-row", HOSTILE);
    app.wait_text_contains("detail-name", HOSTILE);
    app.wait_text_contains("detail-city", "<b>Umeå</b>");
    // A running onerror would have left an alert open, and every script
    // below would fail with "unexpected alert open".
    let images = app.execute(
        "return document.querySelectorAll('[data-testid=member-list] img').length;",
        vec![],
    );
    assert_eq!(images.as_u64(), Some(0), "markup from a name was rendered");
    let anywhere = app.execute(
        "return document.querySelectorAll('img[src=x]').length;",
        vec![],
    );
    assert_eq!(
        anywhere.as_u64(),
        Some(0),
        "markup from a name was rendered"
    );
    app.screenshot("member-hostile-name");
    app.close();
}

/// The hostile strings in the window: those a name keeps are shown
/// as text in the list and the detail; those it refuses (a text-direction
/// override, NUL, 100 000 characters) get the field's error and save nothing.
#[test]
fn hostile_strings_are_shown_as_text_or_refused_on_the_field() {
    const KEPT: &[&str] = &[
        "<img src=x onerror=alert(1)>",
        "=HYPERLINK(\"http://x\",\"y\")",
        "'); DROP TABLE members;--",
        "Åsa \u{1F44D}\u{1F3FD}",
    ];
    let people: Vec<_> = KEPT
        .iter()
        .enumerate()
        .map(|(i, first)| {
            (
                *first,
                "Testsson",
                ["11", "12", "13", "14"][i],
                "Gränd 1",
                "11122",
                "Umeå",
            )
        })
        .collect();
    let (_dir, _db, app) = register_with(&people);
    wait_member_count(&app, KEPT.len() as u64);
    for first in KEPT {
        app.wait_text_contains("member-row", first);
    }
    app.click_containing("member-row", "DROP TABLE");
    app.wait_text_contains("detail-name", "'); DROP TABLE members;--");
    let rendered = app.execute(
        "return document.querySelectorAll('img[src=x]').length;",
        vec![],
    );
    assert_eq!(
        rendered.as_u64(),
        Some(0),
        "markup from a name was rendered"
    );

    let refused = [
        ("a\u{202E}fdp.exe", "invalid_character"),
        ("a\u{0}b", "invalid_character"),
        (&*"x".repeat(100_000), "too_long"),
    ];
    for (value, code) in refused {
        fill_new_member(
            &app,
            &NewMember {
                last: "Testsson",
                ..Default::default()
            },
        );
        // Set as pasted: WebDriver cannot type NUL, and 100 000 keys take long.
        app.execute(
            "const el = document.querySelector('[data-testid=field-firstName]');
             el.value = arguments[0];
             el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::Value::from(value)],
        );
        app.click("form-save");
        let error = app.wait_error("error-firstName");
        let expected = i18n("en", &format!("fieldError.{code}"));
        assert!(error.contains(fixed_part(&expected)), "{code}: {error:?}");
        app.click("form-cancel");
        app.wait_gone("member-form");
    }
    app.screenshot("member-hostile-refused");
    assert_eq!(
        member_count(&app),
        KEPT.len() as u64,
        "nothing refused was saved"
    );
    app.close();
}

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Keyboard only: Ctrl+N opens the form on the first name, Enter saves,
/// Esc cancels without saving (asking first, as something was typed), Ctrl+F goes back to the search box.
#[test]
fn the_register_works_from_the_keyboard() {
    let (_dir, _db, app) = app_with_org();
    app.press_ctrl("member-search", 'n');
    app.wait_visible("member-form");
    app.wait_until("the first name to have the focus", |app| {
        Some(()).filter(|_| app.focused() == "field-firstName")
    });
    app.type_into("field-firstName", "Søren");
    app.type_into("field-lastName", "Ærø");
    app.press_enter("field-lastName");
    app.wait_gone("member-form");
    app.wait_text_contains("detail-name", "Søren Ærø");
    wait_member_count(&app, 1);

    app.press_ctrl("member-edit", 'n');
    app.wait_visible("member-form");
    app.type_into("field-firstName", "Nobody");
    // Esc asks first; Esc in the question keeps the edits.
    app.press_escape("field-firstName");
    app.wait_visible("discard-dialog");
    app.press_escape("discard-dialog-cancel");
    app.wait_gone("discard-dialog");
    assert_eq!(app.text("field-firstName"), "Nobody");
    app.press_escape("field-firstName");
    app.press_enter("discard-dialog-confirm");
    app.wait_gone("member-form");
    wait_member_count(&app, 1);
    assert_eq!(app.all_texts("member-row").len(), 1, "Esc saved nothing");

    app.press_ctrl("member-edit", 'f');
    app.wait_until("the search box to have the focus", |app| {
        Some(()).filter(|_| app.focused() == "member-search")
    });
    app.close();
}

#[test]
fn esc_in_a_changed_member_form_asks_before_the_edits_are_thrown_away() {
    let (_dir, _db, app) = app_with_org();
    wait_member_count(&app, 0);

    // Nothing typed: Esc closes at once.
    app.click("member-new");
    app.wait_visible("member-form");
    app.press_escape("field-firstName");
    app.wait_gone("member-form");
    assert!(
        !app.is_visible("discard-dialog"),
        "nothing to lose, nothing asked"
    );

    // Typed: Esc asks, with Cancel focused; Cancel keeps every letter.
    fill_new_member(
        &app,
        &NewMember {
            first: "Örjan",
            last: "Ågren",
            ..Default::default()
        },
    );
    app.press_escape("field-lastName");
    app.wait_visible("discard-dialog");
    let asked = app.text("discard-dialog");
    assert!(
        asked.contains(&i18n("en", "form.discardTitle")),
        "the dialog says what it asks: {asked:?}"
    );
    assert_eq!(app.focused(), "discard-dialog-cancel");
    app.click("discard-dialog-cancel");
    app.wait_gone("discard-dialog");
    assert!(app.is_visible("member-form"), "the form stays open");
    assert_eq!(app.text("field-firstName"), "Örjan");
    assert_eq!(app.text("field-lastName"), "Ågren");

    // Discard: the form closes and nobody was added.
    app.press_escape("field-lastName");
    app.wait_visible("discard-dialog");
    app.click("discard-dialog-confirm");
    app.wait_gone("member-form");
    wait_member_count(&app, 0);
    assert_eq!(member_count(&app), 0, "nothing was saved");
}

/// Issue 14, item 8: a resignation dated after today waits for its day.
#[test]
fn a_resignation_dated_later_leaves_the_member_active_until_that_day() {
    const ANNA: Person = ("Anna", "Alm", "1001", "Storgatan 1", "21122", "Malmö");
    const BO: Person = ("Bo", "Berg", "1002", "Storgatan 2", "21122", "Malmö");
    let (_dir, _db, app) = register_with(&[ANNA, BO]);
    app.click_containing("member-row", "Alm");
    app.wait_text_contains("detail-name", "Anna");
    let active = app.text("detail-status");
    assert!(!app.is_visible("detail-scheduled"));

    // Resign on New Year's Eve 2099.
    app.click("member-resign");
    app.wait_visible("status-dialog");
    app.type_into("status-date", "2099-12-31");
    app.click("status-confirm");
    app.wait_gone("status-dialog");
    let resigns = fixed_part(&i18n("en", "detail.resigns")).to_owned();
    let scheduled = app.wait_text_contains("detail-scheduled", &resigns);
    assert!(scheduled.contains("2099"), "detail-scheduled {scheduled:?}");
    // Still active today: the badge, the buttons, the list's row.
    assert_eq!(app.text("detail-status"), active);
    app.wait_visible("member-unschedule");
    assert!(app.is_visible("member-resign") && !app.is_visible("member-reinstate"));
    app.wait_until("the history line of the resignation", |app| {
        app.all_texts("history-entry")
            .into_iter()
            .find(|e| e.contains("2099"))
    });
    app.screenshot("member-resigns-later");

    // The status filter and the count: both are active, nobody has resigned.
    app.select("filter-status", "active");
    let rows = wait_rows(&app, &["Alm", "Berg"]);
    assert!(rows[0].contains(&active), "row {:?}", rows[0]);
    wait_member_count(&app, 2);
    app.select("filter-status", "resigned");
    app.wait_visible("list-empty");
    app.select("filter-status", "");
    wait_rows(&app, &["Alm", "Berg"]);

    // A meeting of the active members invites her too.
    open_meetings(&app);
    create_meeting(
        &app,
        &NewMeeting {
            title: "Medlemsmöte",
            date: "2030-03-19",
            time: "18.00",
            ends: "20:00",
            venue: "Folkets hus, Malmö",
            ..Default::default()
        },
    );
    assert_eq!(invite_active_members(&app), "2");
    app.wait_count("invitee-row", 2);
    app.wait_text_contains("invitee-row", "Alm");

    // Called off: no change waits, and the history says so.
    app.click("nav-members");
    app.wait_visible("member-list");
    app.click_containing("member-row", "Alm");
    app.wait_text_contains("detail-name", "Anna");
    app.wait_visible("detail-scheduled");
    app.click("member-unschedule");
    app.wait_visible("status-dialog");
    assert!(!app.exists("status-date"), "calling off asks for no date");
    app.click("status-confirm");
    app.wait_gone("status-dialog");
    app.wait_gone("detail-scheduled");
    app.wait_gone("member-unschedule");
    assert_eq!(app.text("detail-status"), active);
    let cancelled = fixed_part(&i18n("en", "history.unscheduled")).to_owned();
    app.wait_until("the history line of the called-off change", |app| {
        app.all_texts("history-entry")
            .into_iter()
            .find(|e| e.contains(&cancelled))
    });
    app.close();
}

/// Issue 14, item 9: dates as people write them, which part is wrong, and
/// a calendar to pick from.
#[test]
fn dates_are_read_as_written_the_wrong_part_is_named_and_a_calendar_picks_a_day() {
    let (_dir, _db, app) = app_with_org();
    fill_new_member(
        &app,
        &NewMember {
            first: "Dag",
            last: "Datum",
            ..Default::default()
        },
    );
    // Each refusal names the part that is wrong.
    for (written, code) in [
        ("2026-13-40", "invalid_month"),
        ("30.02.1980", "invalid_day"),
        ("next friday", "invalid_date"),
    ] {
        app.type_into("field-birthDate", written);
        app.click("form-save");
        let shown = app.wait_error("error-birthDate");
        assert_eq!(
            shown,
            i18n("en", &format!("fieldError.{code}")),
            "{written}"
        );
    }
    wait_member_count(&app, 0);

    // Day first, as written in Sweden, Denmark and Norway.
    app.type_into("field-birthDate", "31.12.1980");
    // The calendar beside "Date joined": it opens on today's month.
    app.scroll_into_view("field-joinedDate-wrap");
    app.click_within("field-joinedDate-wrap", "", "date-pick");
    app.wait_visible("date-popup");
    app.screenshot("members-date-picker");
    app.press_escape("date-day");
    app.wait_gone("date-popup");
    assert!(
        app.is_visible("member-form"),
        "Esc in the calendar keeps the form"
    );
    app.click_within("field-joinedDate-wrap", "", "date-pick");
    app.wait_visible("date-popup");
    // A month back, the 1st.
    app.click("date-prev");
    let day = app
        .attr("date-day", "data-date")
        .expect("the first day button has its date");
    assert!(day.ends_with("-01"), "the first button is the 1st: {day}");
    app.click("date-day");
    app.wait_gone("date-popup");
    assert_eq!(app.text("field-joinedDate"), day);
    app.click("form-save");
    app.wait_gone("member-form");
    wait_member_count(&app, 1);

    // What was stored, as the edit form shows it again.
    app.click("member-edit");
    app.wait_visible("member-form");
    assert_eq!(
        app.text("field-birthDate"),
        "1980-12-31",
        "31.12.1980 was read day first"
    );
    assert_eq!(
        app.text("field-joinedDate"),
        day,
        "the picked day was stored"
    );
    app.click("form-cancel");
}

const ALM: Person = ("Anna", "Alm", "1001", "Storgatan 1", "21122", "Malmö");
const BERG: Person = ("Bo", "Berg", "1002", "Storgatan 2", "98132", "Kiruna");
const EK: Person = ("Cilla", "Ek", "1003", "Storgatan 3", "83130", "Östersund");
const NORD: Person = ("Dan", "Nord", "1004", "Storgatan 4", "83013", "Åre");
const OBERG: Person = ("Åsa", "Öberg", "1005", "Storgatan 5", "90325", "Umeå");

/// The texts of the table's rows, once there are `n` of them.
fn table_rows(app: &App, n: usize) -> Vec<String> {
    app.wait_visible("member-table");
    app.wait_count("member-row", n)
}

/// Issue 14: a dense table with the columns the treasurer picks, sorted by a
/// click on a header, kept after a restart, and a letter to go to.
#[test]
fn the_table_view_shows_the_chosen_columns_sorts_by_header_and_is_remembered() {
    let (_dir, _db, app) = register_with(&[ALM, BERG, EK, NORD, OBERG]);
    assert!(!app.is_visible("member-table"));
    app.click("view-table");
    let rows = table_rows(&app, 5);
    assert!(
        rows[0].contains("Alm") && rows[4].contains("Öberg"),
        "{rows:?}"
    );
    assert_eq!(
        app.attr("view-table", "aria-pressed").as_deref(),
        Some("true")
    );
    for col in ["col-number", "col-name", "col-city", "col-status"] {
        assert!(app.is_visible(col), "{col} is a default column");
    }
    assert!(!app.exists("col-email"));

    // Columns: the e-mail and the day they joined as well; the name stays.
    app.click("table-columns");
    app.wait_visible("columns-dialog");
    assert!(
        app.attr("column-name", "disabled").is_some(),
        "the name is always shown"
    );
    app.click("column-email");
    app.click("column-joined");
    app.click("columns-done");
    app.wait_gone("columns-dialog");
    app.wait_visible("col-email");
    app.wait_visible("col-joined");

    // A click on City sorts by city (Kiruna, Malmö, Umeå, Åre, Östersund), a
    // second turns the order.
    app.click("col-city");
    app.poll("the rows sorted by city", |app| {
        let rows = app.all_texts("member-row");
        let order: Vec<_> = rows
            .iter()
            .map(|r| r.split_whitespace().nth(1).unwrap_or("").to_owned())
            .collect();
        if rows.len() == 5
            && rows[0].contains("Kiruna")
            && rows[3].contains("Åre")
            && rows[4].contains("Östersund")
        {
            Ok(Some(()))
        } else {
            Err(format!("rows now {order:?} / {rows:?}"))
        }
    });
    assert_eq!(app.focused(), "col-city");
    app.click("col-city");
    app.poll("the rows sorted by city, descending", |app| {
        let rows = app.all_texts("member-row");
        if rows.len() == 5 && rows[0].contains("Östersund") && rows[4].contains("Kiruna") {
            Ok(Some(()))
        } else {
            Err(format!("rows now {rows:?}"))
        }
    });
    assert_eq!(app.selected_text("sort"), i18n("en", "sort.city"));

    // Go to a letter: by name, Ö is Öberg (the last of the Swedish alphabet).
    app.click("col-name");
    app.select("jump-letter", "Ö");
    app.wait_text_contains("detail-name", "Öberg");
    assert_eq!(app.focused(), "member-row");
    app.screenshot("members-table");

    assert!(
        !app.is_visible("detail-close"),
        "the detail has its own column"
    );

    // At the smallest window the table takes the width, the member's detail
    // comes over its right side and closes again; nothing is cut or scrolls
    // sideways.
    app.set_window_size(900, 600);
    let faults = app.layout_faults();
    assert!(
        faults.is_empty(),
        "layout faults at 900x600:\n{}",
        faults.join("\n")
    );
    app.screenshot("members-table-900x600");
    app.click("detail-close");
    app.wait_gone("detail-name");
    app.wait_visible("col-email");
    let faults = app.layout_faults();
    assert!(
        faults.is_empty(),
        "layout faults at 900x600:\n{}",
        faults.join("\n")
    );
    app.screenshot("members-table-900x600-closed");
    app.click_within("member-row", "Berg", "row-name");
    app.wait_text_contains("detail-name", "Berg");

    // The choice is the register's: the table and its columns come back.
    let app = app.restart();
    app.wait_visible("member-table");
    app.wait_visible("col-email");
    app.wait_visible("col-joined");
    table_rows(&app, 5);
    app.click("view-list");
    app.wait_gone("member-table");
    wait_rows(&app, &["Alm", "Berg", "Ek", "Nord", "Öberg"]);
    app.close();
}

/// Issue 14: several members at once: ctrl- and shift-click, the boxes of
/// the table, Select all; a status for all of them after a confirm that
/// says how many; Esc lets the selection go.
#[test]
fn several_members_are_picked_and_resigned_at_once_after_a_confirm_that_says_how_many() {
    let (_dir, _db, app) = register_with(&[ALM, BERG, EK, NORD, OBERG]);
    app.click_containing("member-row", "Alm");
    app.wait_text_contains("detail-name", "Anna");
    // Ctrl-click: Anna and Cilla; Shift-click from Cilla to Dan: three.
    app.click_holding('\u{E009}', "member-row", "Ek");
    app.wait_text_contains("bulk-count", "2");
    app.click_holding('\u{E008}', "member-row", "Nord");
    let count = app.wait_text_contains("bulk-count", "3");
    assert_eq!(first_number(&count), Some(3));
    app.wait_text_contains("bulk-names", "Anna Alm");
    app.screenshot("members-bulk");

    // Change status: the dialog and its button say three; Cancel changes nothing.
    app.click("bulk-status");
    app.wait_visible("bulk-status-dialog");
    assert_eq!(first_number(&app.text("bulk-status-dialog-text")), Some(3));
    assert_eq!(
        first_number(&app.text("bulk-status-dialog-confirm")),
        Some(3)
    );
    app.click("bulk-status-dialog-cancel");
    app.wait_gone("bulk-status-dialog");
    app.select("filter-status", "resigned");
    app.wait_visible("list-empty");
    app.select("filter-status", "");
    wait_rows(&app, &["Alm", "Berg", "Ek", "Nord", "Öberg"]);
    app.wait_text_contains("bulk-count", "3");

    // A day that is not one: said on the field, nobody changes.
    app.click("bulk-status");
    app.wait_visible("bulk-status-dialog");
    app.select("bulk-status-to", "resigned");
    app.type_into("bulk-status-date", "2026-13-40");
    app.click("bulk-status-dialog-confirm");
    let err = app.wait_error("error-date");
    assert_eq!(err, i18n("en", "fieldError.invalid_month"));
    app.type_into("bulk-status-date", "1.12.2026");
    app.click("bulk-status-dialog-confirm");
    app.wait_gone("bulk-status-dialog");
    let toast = app.wait_text_contains("toast", "3");
    assert_eq!(first_number(&toast), Some(3), "toast {toast:?}");
    app.select("filter-status", "resigned");
    wait_rows(&app, &["Alm", "Ek", "Nord"]);
    app.select("filter-status", "");

    // The table's boxes pick too, and Select all takes every member found.
    app.press_escape("bulk-count");
    app.wait_gone("bulk-panel");
    app.click("view-table");
    table_rows(&app, 5);
    app.click_within("member-row", "Berg", "row-pick");
    app.wait_text_contains("bulk-count", "1");
    app.click("member-select-all");
    let count = app.wait_text_contains("bulk-count", "5");
    assert_eq!(first_number(&count), Some(5));
    app.click("bulk-clear");
    app.wait_gone("bulk-panel");
    assert!(app.all_texts("member-row").len() == 5);
    // One member's own history says it.
    app.click_within("member-row", "Nord", "row-name");
    app.wait_text_contains("detail-name", "Dan");
    app.wait_until("the resignation in Dan's history", |app| {
        app.all_texts("history-entry")
            .into_iter()
            .find(|e| e.contains("2026"))
    });
    app.close();
}

/// Issue 14: the empty register points to New member and Import….
#[test]
fn the_empty_register_points_to_new_member_and_import() {
    let (_dir, _db, app) = app_with_org();
    app.wait_visible("list-empty");
    app.wait_visible("empty-import");
    app.click("empty-new");
    app.wait_visible("member-form");
    app.press_escape("field-firstName");
    app.wait_gone("member-form");
    app.click("empty-import");
    app.wait_visible("import-panel");
    app.close();
}

/// Issue 14: a change to tens of thousands of members takes a while: the
/// dialog shows how far it has come, and Stop changes nobody.
#[test]
fn a_bulk_change_of_many_members_shows_progress_and_stop_changes_nobody() {
    use medlem_core::{ListQuery, Register, SqliteRegister};

    const MEMBERS: usize = 30_000;
    let (_dir, db) = medlem_e2e::fixtures::temp_db();
    let (place, at_place) = {
        let mut r = SqliteRegister::open(&db).expect("open the register");
        medlem_core::demo::create(&mut r, MEMBERS).expect("a demo register");
        let place = r
            .create_workplace("Zinkgjuteriet", None)
            .expect("a workplace");
        (place.id, |db: &std::path::Path, id: i64| {
            SqliteRegister::open(db)
                .expect("open the register")
                .list(&ListQuery {
                    workplace_id: Some(id),
                    ..Default::default()
                })
                .expect("list")
                .total
        })
    };
    let app = App::launch(&db);
    app.wait_visible("member-list");
    // Select all: every member the list finds (the active ones), thousands.
    let digits = |t: &str| -> String { t.chars().filter(|c| c.is_ascii_digit()).collect() };
    member_count(&app);
    let found: u64 = digits(&app.text("member-count")).parse().expect("a count");
    assert!(found > 20_000, "{found} members found");
    app.click("member-select-all");
    app.wait_until("every member found to be picked", |app| {
        (digits(&app.text("bulk-count")) == found.to_string()).then_some(())
    });
    app.click("bulk-workplace");
    app.wait_visible("bulk-workplace-dialog");
    app.select("bulk-workplace-to", &place.to_string());
    app.click("bulk-workplace-dialog-confirm");

    // The bar moves, and Cancel has become Stop.
    app.wait_until("the bar to move", |app| {
        let v = app.execute(
            "const b = document.querySelector('[data-testid=\"bulk-workplace-dialog-progress\"]');
             return b && b.hasAttribute('value') ? b.value : 0;",
            vec![],
        );
        (v.as_f64().unwrap_or(0.0) >= 250.0).then_some(())
    });
    assert_eq!(
        app.text("bulk-workplace-dialog-cancel"),
        i18n("en", "print.stop")
    );
    let said = app.text("bulk-workplace-dialog-text");
    assert_eq!(
        digits(&said),
        found.to_string(),
        "the dialog says how many: {said}"
    );
    app.screenshot("members-bulk-progress");
    app.click("bulk-workplace-dialog-cancel");
    let stopped = app.wait_text_contains(
        "bulk-workplace-dialog-stopped",
        &i18n("en", "error.cancelled"),
    );
    assert!(!stopped.is_empty());
    // The dialog stays, ready to start again; nobody changed.
    assert_eq!(
        app.text("bulk-workplace-dialog-cancel"),
        i18n("en", "action.cancel")
    );
    app.screenshot("members-bulk-stopped");
    app.close();
    assert_eq!(at_place(&db, place), 0, "nobody was moved to the workplace");
}
