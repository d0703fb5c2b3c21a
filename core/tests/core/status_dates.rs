//! Status dates (issue 14, item 8): a status change dated after today waits
//! for its day; everything that counts or filters by status sees the status
//! of today; the voter roll sees the status on its cut-off; history records
//! only what really changed. "Today" is the real date: every date here is
//! built from `today()`.

use std::path::Path;

use chrono::{Days, NaiveDate};
use medlem_core::dates::today;
use medlem_core::export::ExportFormat;
use medlem_core::grants::{self, ApplicationInput, FundInput};
use medlem_core::meetings::{self, agm, InviteSelection, MeetingInput};
use medlem_core::*;

use crate::letters::{addressed, org};

fn after(days: u64) -> NaiveDate {
    today().checked_add_days(Days::new(days)).unwrap()
}

fn before(days: u64) -> NaiveDate {
    today().checked_sub_days(Days::new(days)).unwrap()
}

fn far() -> NaiveDate {
    medlem_core::dates::parse_date("2099-12-31").unwrap()
}

/// Two active members who joined in 2020: Anna (who will resign) and Bo.
fn two_members(r: &mut SqliteRegister) -> (Member, Member) {
    let joined = |first: &str| MemberInput {
        joined_date: Some("2020-01-01".into()),
        ..addressed(first, "Ek", "sv")
    };
    (
        r.create(&joined("Anna")).unwrap(),
        r.create(&joined("Bo")).unwrap(),
    )
}

/// How many members the list counts with this status filter (alone, as the
/// window sends it with members only, and with a search: each its own plan).
fn count(r: &SqliteRegister, status: Status) -> i64 {
    let total = |kind: Option<Kind>, search: &str| {
        r.list(&ListQuery {
            status: Some(status),
            kind,
            search: search.into(),
            ..Default::default()
        })
        .unwrap()
        .total
    };
    let n = total(None, "");
    assert_eq!(total(Some(Kind::Member), ""), n);
    assert_eq!(total(None, "Ek"), n);
    n
}

/// (status, scheduled) of `id` as the member list shows it.
fn row(r: &SqliteRegister, id: i64) -> (Status, Option<Scheduled>) {
    let page = r
        .list(&ListQuery {
            limit: 500,
            ..Default::default()
        })
        .unwrap();
    let row = page.items.iter().find(|m| m.id == id).unwrap();
    (row.status, row.scheduled)
}

fn invited_active(r: &mut SqliteRegister) -> Vec<i64> {
    let m = meetings::create(
        r,
        &MeetingInput {
            kind: "member_meeting".into(),
            title: "Medlemsmöte".into(),
            starts: format!("{} 18:00", after(60)),
            ends: "20:00".into(),
            venue: "Folkets hus".into(),
            ..Default::default()
        },
    )
    .unwrap();
    meetings::invite(r, m.id, &InviteSelection::default()).unwrap();
    let mut ids: Vec<i64> = meetings::invitees(r, m.id)
        .unwrap()
        .iter()
        .map(|i| i.member_id)
        .collect();
    ids.sort();
    ids
}

/// The CSV export's row of the member called `first` as (status, status date).
fn exported(r: &SqliteRegister, out: &Path, first: &str) -> (String, String) {
    crate::export::run(
        r,
        &ListQuery::default(),
        ExportFormat::Csv,
        Language::En,
        out,
    )
    .unwrap();
    let text = std::fs::read_to_string(out).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let line = lines
        .map(|l| l.split(';').collect::<Vec<_>>())
        .find(|cells| cells.contains(&first))
        .unwrap();
    (
        line[at("Status")].to_owned(),
        line[at("Status date")].to_owned(),
    )
}

fn may_apply_for_a_grant(r: &mut SqliteRegister, member: i64) -> bool {
    let fund = grants::fund_create(
        r,
        &FundInput {
            name: format!("Potten {member}"),
            period: "2099".into(),
            budget: "100000".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let applied = grants::apply(
        r,
        &ApplicationInput {
            fund_id: fund.id,
            applicant_kind: "member".into(),
            applicant: grants::Applicant {
                member_id: Some(member),
                ..Default::default()
            },
            title: "Studiecirkel".into(),
            amount: "1000".into(),
            ..Default::default()
        },
    );
    match applied {
        Ok(_) => true,
        Err(e) => {
            assert_eq!(e.fields()[0].field, "memberId", "{e}");
            false
        }
    }
}

#[test]
fn a_resignation_dated_after_today_leaves_the_member_active_until_its_day() {
    let dir = tempfile::tempdir().unwrap();
    for day in [after(1), far()] {
        let mut r = org("SE");
        let (anna, bo) = two_members(&mut r);
        let since = anna.status_date;
        let m = r.set_status(anna.id, Status::Resigned, day).unwrap();
        let waiting = Some(Scheduled {
            status: Status::Resigned,
            date: day,
        });
        // The member, as the detail and the CLI show them.
        assert_eq!(
            (m.status, m.status_date, m.scheduled),
            (Status::Active, since, waiting)
        );
        assert_eq!(r.get(anna.id).unwrap(), m);
        // The list, its status filter and counts.
        assert_eq!(row(&r, anna.id), (Status::Active, waiting));
        assert_eq!(row(&r, bo.id), (Status::Active, None));
        assert_eq!(
            (count(&r, Status::Active), count(&r, Status::Resigned)),
            (2, 0)
        );
        let sorted = r
            .list(&ListQuery {
                sort: SortKey::Status,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(sorted.total, 2);
        // A meeting invitation of the active members.
        assert_eq!(invited_active(&mut r), [anna.id, bo.id]);
        // The export: today's status, and the day it began.
        let out = dir.path().join("members.csv");
        assert_eq!(
            exported(&r, &out, "Anna"),
            ("active".to_owned(), since.to_string())
        );
        // A grant: an active member may apply.
        assert!(may_apply_for_a_grant(&mut r, anna.id));
        // The history has the change with its day.
        let h = r.history(anna.id).unwrap();
        assert_eq!(
            (h[0].kind, h[0].new_value.as_deref(), h[0].effective_date),
            (HistoryKind::Status, Some("resigned"), Some(day))
        );
    }
}

#[test]
fn a_status_change_dated_today_or_earlier_takes_effect_at_once() {
    let dir = tempfile::tempdir().unwrap();
    for day in [today(), before(1), before(400)] {
        let mut r = org("SE");
        let (anna, _bo) = two_members(&mut r);
        let m = r.set_status(anna.id, Status::Resigned, day).unwrap();
        assert_eq!(
            (m.status, m.status_date, m.scheduled),
            (Status::Resigned, day, None)
        );
        assert_eq!(row(&r, anna.id), (Status::Resigned, None));
        assert_eq!(
            (count(&r, Status::Active), count(&r, Status::Resigned)),
            (1, 1)
        );
        assert!(!invited_active(&mut r).contains(&anna.id));
        let out = dir.path().join("members.csv");
        assert_eq!(
            exported(&r, &out, "Anna"),
            ("resigned".to_owned(), day.to_string())
        );
        assert!(!may_apply_for_a_grant(&mut r, anna.id));
    }
}

#[test]
fn on_its_day_the_scheduled_change_counts_without_anyone_doing_anything() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = org("SE");
    let (anna, _bo) = two_members(&mut r);
    r.set_status(anna.id, Status::Resigned, after(1)).unwrap();
    // The day comes: the calendar moves, the register is not written. (The
    // test cannot move the clock, so it moves the change's day to today.)
    r.connection()
        .execute(
            "UPDATE members SET scheduled_date = ?1 WHERE id = ?2",
            rusqlite::params![today().to_string(), anna.id],
        )
        .unwrap();
    let m = r.get(anna.id).unwrap();
    assert_eq!(
        (m.status, m.status_date, m.scheduled),
        (Status::Resigned, today(), None)
    );
    assert_eq!(row(&r, anna.id), (Status::Resigned, None));
    assert_eq!(
        (count(&r, Status::Active), count(&r, Status::Resigned)),
        (1, 1)
    );
    assert!(!invited_active(&mut r).contains(&anna.id));
    let out = dir.path().join("members.csv");
    assert_eq!(
        exported(&r, &out, "Anna"),
        ("resigned".to_owned(), today().to_string())
    );
    assert!(!may_apply_for_a_grant(&mut r, anna.id));
    // Reinstating then starts from the resignation that took effect.
    let back = r.set_status(anna.id, Status::Active, today()).unwrap();
    assert_eq!((back.status, back.scheduled), (Status::Active, None));
    let h = r.history(anna.id).unwrap();
    assert_eq!(
        (h[0].old_value.as_deref(), h[0].new_value.as_deref()),
        (Some("resigned"), Some("active"))
    );
}

#[test]
fn a_second_change_replaces_the_waiting_one_and_going_back_calls_it_off() {
    let mut r = org("SE");
    let (anna, _bo) = two_members(&mut r);
    let kinds = |r: &SqliteRegister| -> Vec<(HistoryKind, Option<String>, Option<NaiveDate>)> {
        r.history(anna.id)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind != HistoryKind::Created)
            .map(|e| (e.kind, e.new_value, e.effective_date))
            .collect()
    };
    r.set_status(anna.id, Status::Resigned, after(10)).unwrap();
    // Another day for the resignation: the first is called off.
    let m = r.set_status(anna.id, Status::Resigned, far()).unwrap();
    assert_eq!(
        (m.status, m.scheduled),
        (
            Status::Active,
            Some(Scheduled {
                status: Status::Resigned,
                date: far()
            })
        )
    );
    assert_eq!(
        kinds(&r),
        [
            (HistoryKind::Status, Some("resigned".into()), Some(far())),
            (
                HistoryKind::Unscheduled,
                Some("resigned".into()),
                Some(after(10))
            ),
            (
                HistoryKind::Status,
                Some("resigned".into()),
                Some(after(10))
            ),
        ]
    );
    // Reinstating a member whose resignation waits calls it off.
    let m = r.set_status(anna.id, Status::Active, today()).unwrap();
    assert_eq!((m.status, m.scheduled), (Status::Active, None));
    assert_eq!(
        kinds(&r)[0],
        (
            HistoryKind::Unscheduled,
            Some("resigned".into()),
            Some(far())
        )
    );
    assert_eq!(count(&r, Status::Active), 2);
    // Nothing waits now: active to active is still no change.
    let e = r.set_status(anna.id, Status::Active, today()).unwrap_err();
    assert_eq!(e.fields()[0].field, "status");
    // A change that takes effect at once replaces a waiting one too.
    r.set_status(anna.id, Status::Resigned, after(5)).unwrap();
    let m = r.set_status(anna.id, Status::Deceased, today()).unwrap();
    assert_eq!(
        (m.status, m.status_date, m.scheduled),
        (Status::Deceased, today(), None)
    );
    assert_eq!(
        kinds(&r)[1],
        (
            HistoryKind::Unscheduled,
            Some("resigned".into()),
            Some(after(5))
        )
    );
    // The rules still hold, and a waiting change is no way around them.
    let e = r.set_status(anna.id, Status::Active, after(3)).unwrap_err();
    assert_eq!(e.fields()[0].field, "status");
    assert_eq!(r.get(anna.id).unwrap().scheduled, None);
}

#[test]
fn the_voter_roll_counts_a_member_until_the_day_their_resignation_takes_effect() {
    let mut r = org("SE");
    let (anna, bo) = two_members(&mut r);
    r.set_status(anna.id, Status::Resigned, after(30)).unwrap();
    let agm = meetings::create(
        &mut r,
        &MeetingInput {
            kind: "annual_general_meeting".into(),
            title: "Årsmöte".into(),
            starts: format!("{} 18:00", after(60)),
            ends: "20:00".into(),
            venue: "Folkets hus".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let roll = |r: &mut SqliteRegister, cutoff: NaiveDate| {
        agm::freeze_voters(r, agm.id, cutoff).unwrap();
        let mut v = agm::voters(r, agm.id).unwrap();
        v.sort();
        v
    };
    assert_eq!(roll(&mut r, before(10)), [anna.id, bo.id]);
    assert_eq!(roll(&mut r, today()), [anna.id, bo.id]);
    assert_eq!(roll(&mut r, after(29)), [anna.id, bo.id]);
    assert_eq!(roll(&mut r, after(30)), [bo.id]);
    assert_eq!(roll(&mut r, after(45)), [bo.id]);
    // Called off: a voter on every day again.
    r.set_status(anna.id, Status::Active, today()).unwrap();
    assert_eq!(roll(&mut r, after(45)), [anna.id, bo.id]);
    // A resignation that took effect in the past: a voter before it only.
    r.set_status(bo.id, Status::Resigned, before(5)).unwrap();
    assert_eq!(roll(&mut r, before(6)), [anna.id, bo.id]);
    assert_eq!(roll(&mut r, before(5)), [anna.id]);
}

#[test]
fn saving_a_phone_number_records_only_the_phone_number() {
    let mut r = org("SE");
    // Stored without a country: the organisation's.
    let m = r.create(&addressed("Anna", "Ek", "sv")).unwrap();
    assert_eq!(m.contact.address.country, "");
    // The form shows (and sends back) the organisation's country.
    let mut input = MemberInput {
        number: m.number.clone(),
        ..addressed("Anna", "Ek", "sv")
    };
    input.contact.address.country = "SE".into();
    input.contact.phone = "070-123 45 67".into();
    let saved = r.update(m.id, &input).unwrap();
    assert_eq!(saved.contact.address.country, "", "what is stored stays");
    let changes: Vec<(HistoryKind, Option<String>)> = r
        .history(m.id)
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.field))
        .collect();
    assert_eq!(
        changes,
        [
            (HistoryKind::Changed, Some("phone".into())),
            (HistoryKind::Created, None),
        ]
    );
    // The same again, in lower case: nothing changed, nothing recorded.
    input.contact.address.country = "se".into();
    r.update(m.id, &input).unwrap();
    assert_eq!(r.history(m.id).unwrap().len(), 2);
    // A country that really is another one is a change.
    input.contact.address.country = "DK".into();
    let moved = r.update(m.id, &input).unwrap();
    assert_eq!(moved.contact.address.country, "DK");
    let h = r.history(m.id).unwrap();
    assert_eq!(
        (
            h[0].field.as_deref(),
            h[0].old_value.as_deref(),
            h[0].new_value.as_deref()
        ),
        (Some("country"), Some(""), Some("DK"))
    );
    // And back home: the stored "DK" becomes "SE", a real change too.
    input.contact.address.country = "SE".into();
    r.update(m.id, &input).unwrap();
    let h = r.history(m.id).unwrap();
    assert_eq!(
        (h[0].old_value.as_deref(), h[0].new_value.as_deref()),
        (Some("DK"), Some("SE"))
    );
}

#[test]
fn a_register_that_took_a_future_resignation_at_once_waits_for_its_day_after_the_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("medlem.sqlite");
    let (anna, bo) = {
        let mut r = SqliteRegister::open(&path).unwrap();
        r.create_org(&OrgInput {
            name: "Klubben".into(),
            country: "SE".into(),
            ..Default::default()
        })
        .unwrap();
        let (anna, bo) = two_members(&mut r);
        r.set_status(anna.id, Status::Resigned, far()).unwrap();
        r.set_status(bo.id, Status::Resigned, before(3)).unwrap();
        // What version 4 made of it: resigned at once, nothing waiting.
        r.connection()
            .execute_batch(&format!(
                "UPDATE members SET status = 'resigned', status_date = '{}' WHERE id = {};
                 DROP INDEX members_by_scheduled;
                 DROP INDEX members_by_status;
                 DROP INDEX member_history_status;
                 ALTER TABLE members DROP COLUMN version;
                 ALTER TABLE members DROP COLUMN changed_by;
                 ALTER TABLE meetings DROP COLUMN version;
                 ALTER TABLE meetings DROP COLUMN changed_by;
                 ALTER TABLE grant_applications DROP COLUMN version;
                 ALTER TABLE grant_applications DROP COLUMN changed_by;
                 ALTER TABLE members DROP COLUMN scheduled_status;
                 ALTER TABLE members DROP COLUMN scheduled_date;
                 CREATE INDEX members_by_status ON members (status, kind);
                 DROP TABLE book_exports;
                 DROP TABLE allocations;
                 DROP TABLE payments;
                 DROP TABLE bank_files;
                 DROP TABLE invoices;
                 DROP TABLE dues_runs;
                 DROP TABLE member_dues;
                 DROP TABLE fee_rules;
                 PRAGMA user_version = 4;",
                far(),
                anna.id
            ))
            .unwrap();
        (anna, bo)
    };
    let r = SqliteRegister::open(&path).unwrap();
    let m = r.get(anna.id).unwrap();
    assert_eq!(
        (m.status, m.status_date, m.scheduled),
        (
            Status::Active,
            anna.status_date,
            Some(Scheduled {
                status: Status::Resigned,
                date: far()
            })
        )
    );
    let b = r.get(bo.id).unwrap();
    assert_eq!(
        (b.status, b.status_date, b.scheduled),
        (Status::Resigned, before(3), None)
    );
}
