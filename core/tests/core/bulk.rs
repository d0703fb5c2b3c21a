//! Several members at once (issue 14): the list's bulk changes (status,
//! branch, workplace) in one unit of work, the members picked by hand as a
//! list filter, "select all matching", jumping to a letter, the table's
//! sorts and the view the treasurer chose.

use chrono::Days;
use medlem_core::bulk::{change_members, BulkChange, BulkOutcome};
use medlem_core::dates::today;
use medlem_core::error::ErrorCode;
use medlem_core::views::{self, MemberView};
use medlem_core::*;

use crate::{person, register};

fn joined(first: &str, last: &str, city: &str) -> MemberInput {
    let mut m = person(first, last);
    m.joined_date = Some("2020-01-01".into());
    m.contact.address.city = city.into();
    m
}

/// Anna Berg, Åsa Öberg, Bo Ek, Cilla Zetterlund and Örjan Ahl.
fn five(r: &mut SqliteRegister) -> Vec<Member> {
    [
        ("Anna", "Berg", "Åre"),
        ("Åsa", "Öberg", "Östersund"),
        ("Bo", "Ek", "Umeå"),
        ("Cilla", "Zetterlund", "Alingsås"),
        ("Örjan", "Ahl", "Kiruna"),
    ]
    .iter()
    .map(|(f, l, c)| r.create(&joined(f, l, c)).unwrap())
    .collect()
}

fn names(r: &SqliteRegister, q: &ListQuery) -> Vec<String> {
    r.list(q)
        .unwrap()
        .items
        .into_iter()
        .map(|m| m.last_name)
        .collect()
}

#[test]
fn a_status_for_many_members_changes_those_it_fits_and_says_how_many() {
    let mut r = register();
    let m = five(&mut r);
    // Bo has resigned already: resigning him again leaves him as he was.
    r.set_status(m[2].id, Status::Resigned, today()).unwrap();
    let ids = [m[0].id, m[1].id, m[2].id];
    let out = change_members(
        &mut r,
        &ids,
        &BulkChange::Status {
            status: Status::Resigned,
            date: today().format("%d.%m.%Y").to_string(),
        },
    )
    .unwrap();
    assert_eq!(
        out,
        BulkOutcome {
            changed: 2,
            unchanged: 1,
            skipped: 0
        }
    );
    for id in [m[0].id, m[1].id] {
        assert_eq!(r.get(id).unwrap().status, Status::Resigned);
        let h = r.history(id).unwrap();
        assert_eq!(h[0].kind, HistoryKind::Status);
        assert_eq!(h[0].new_value.as_deref(), Some("resigned"));
    }
    // The others are untouched.
    assert_eq!(r.get(m[3].id).unwrap().status, Status::Active);

    // A day ahead waits for its day, for each of them.
    let ahead = today().checked_add_days(Days::new(30)).unwrap();
    let out = change_members(
        &mut r,
        &[m[3].id, m[4].id],
        &BulkChange::Status {
            status: Status::Resigned,
            date: ahead.to_string(),
        },
    )
    .unwrap();
    assert_eq!(out.changed, 2);
    let cilla = r.get(m[3].id).unwrap();
    assert_eq!(cilla.status, Status::Active);
    assert_eq!(cilla.scheduled.map(|s| s.date), Some(ahead));

    // A day before they joined does not fit them: left as they were.
    let out = change_members(
        &mut r,
        &[m[0].id],
        &BulkChange::Status {
            status: Status::Active,
            date: "2019-06-01".into(),
        },
    )
    .unwrap();
    assert_eq!(out.skipped, 1);
    assert_eq!(r.get(m[0].id).unwrap().status, Status::Resigned);
}

#[test]
fn a_wrong_date_or_branch_changes_nobody() {
    let mut r = register();
    let m = five(&mut r);
    let ids: Vec<i64> = m.iter().map(|m| m.id).collect();
    let before: Vec<_> = ids.iter().map(|id| r.history(*id).unwrap().len()).collect();

    let err = change_members(
        &mut r,
        &ids,
        &BulkChange::Status {
            status: Status::Resigned,
            date: "2026-13-40".into(),
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    let err = change_members(
        &mut r,
        &ids,
        &BulkChange::Branch {
            branch_id: Some(9999),
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    let err = change_members(&mut r, &[], &BulkChange::Branch { branch_id: None }).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    // One member that is not there: nobody changes.
    let branch = r.create_branch("Norr").unwrap();
    let mut with_ghost = ids.clone();
    with_ghost.push(987_654);
    let err = change_members(
        &mut r,
        &with_ghost,
        &BulkChange::Branch {
            branch_id: Some(branch.id),
        },
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);

    let after: Vec<_> = ids.iter().map(|id| r.history(*id).unwrap().len()).collect();
    assert_eq!(before, after);
    for id in &ids {
        let got = r.get(*id).unwrap();
        assert_eq!(got.status, Status::Active);
        assert_eq!(got.branch_id, None);
    }
}

#[test]
fn a_branch_or_workplace_for_many_is_in_each_history_and_in_the_search() {
    let mut r = register();
    let m = five(&mut r);
    let norr = r.create_branch("Norr").unwrap();
    let verkstan = r.create_workplace("Verkstan i Luleå", None).unwrap();
    let ids = [m[0].id, m[1].id];
    let to_norr = |r: &mut SqliteRegister| {
        change_members(
            r,
            &ids,
            &BulkChange::Branch {
                branch_id: Some(norr.id),
            },
        )
        .unwrap()
    };
    assert_eq!(to_norr(&mut r).changed, 2);
    let out = change_members(
        &mut r,
        &[m[0].id, m[1].id, m[2].id],
        &BulkChange::Workplace {
            workplace_id: Some(verkstan.id),
        },
    )
    .unwrap();
    assert_eq!(out.changed, 3);
    // Again: they have it already.
    assert_eq!(
        to_norr(&mut r),
        BulkOutcome {
            changed: 0,
            unchanged: 2,
            skipped: 0
        }
    );
    let anna = r.get(m[0].id).unwrap();
    assert_eq!(anna.branch_name.as_deref(), Some("Norr"));
    assert_eq!(anna.workplace_name.as_deref(), Some("Verkstan i Luleå"));
    // Nothing else of hers changed.
    assert_eq!(anna.contact, m[0].contact);
    assert_eq!(anna.joined_date, m[0].joined_date);
    let fields: Vec<_> = r
        .history(m[0].id)
        .unwrap()
        .into_iter()
        .filter(|h| h.kind == HistoryKind::Changed)
        .map(|h| (h.field.unwrap_or_default(), h.new_value.unwrap_or_default()))
        .collect();
    assert_eq!(
        fields,
        [
            ("workplaceName".to_owned(), "Verkstan i Luleå".to_owned()),
            ("branchName".to_owned(), "Norr".to_owned()),
        ]
    );
    // The search finds them by their new workplace.
    let q = ListQuery {
        search: "verkstan".into(),
        ..Default::default()
    };
    assert_eq!(r.list(&q).unwrap().total, 3);
    // And none again: no workplace.
    change_members(
        &mut r,
        &[m[2].id],
        &BulkChange::Workplace { workplace_id: None },
    )
    .unwrap();
    assert_eq!(r.get(m[2].id).unwrap().workplace_id, None);
}

#[test]
fn members_picked_by_hand_are_a_filter_and_select_all_finds_every_page() {
    let mut r = register();
    let m = five(&mut r);
    let picked = ListQuery {
        ids: Some(vec![m[4].id, m[0].id]),
        ..Default::default()
    };
    assert_eq!(names(&r, &picked), ["Ahl", "Berg"]);
    assert_eq!(r.list(&picked).unwrap().total, 2);
    // With a search as well: both must hold.
    let both = ListQuery {
        search: "berg".into(),
        ..picked.clone()
    };
    assert_eq!(names(&r, &both), ["Berg"]);
    assert_eq!(r.list(&both).unwrap().total, 1);

    // Select all: every member the query finds, not one page.
    let all = r
        .list_ids(&ListQuery {
            limit: 2,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(all.len(), 5);
    let resigned = r
        .list_ids(&ListQuery {
            status: Some(Status::Resigned),
            ..Default::default()
        })
        .unwrap();
    assert!(resigned.is_empty());
    // A saved selection keeps the picked members.
    let saved = medlem_core::selections::save(&mut r, "Två", &picked).unwrap();
    assert_eq!(saved.query.ids, picked.ids);
}

#[test]
fn a_letter_is_found_in_the_organisations_alphabet() {
    let mut r = register();
    five(&mut r);
    // By name: Ahl, Berg, Ek, Zetterlund, Öberg (Swedish: Z, Å, Ä, Ö).
    let q = ListQuery::default();
    assert_eq!(r.position(&q, "B").unwrap(), 1);
    assert_eq!(r.position(&q, "C").unwrap(), 2);
    assert_eq!(r.position(&q, "Z").unwrap(), 3);
    assert_eq!(r.position(&q, "Å").unwrap(), 4);
    assert_eq!(r.position(&q, "Ö").unwrap(), 4);
    // Descending: Öberg, Zetterlund, Ek, Berg, Ahl.
    let desc = ListQuery {
        desc: true,
        ..Default::default()
    };
    assert_eq!(names(&r, &desc)[2], "Ek");
    assert_eq!(r.position(&desc, "E").unwrap(), 2);
    assert_eq!(r.position(&desc, "Ö").unwrap(), 0);
    // By city: Alingsås, Kiruna, Umeå, Åre, Östersund.
    let city = ListQuery {
        sort: SortKey::City,
        ..Default::default()
    };
    assert_eq!(r.position(&city, "U").unwrap(), 2);
    assert_eq!(r.position(&city, "Å").unwrap(), 3);
    // Another order has no letters to go to.
    let number = ListQuery {
        sort: SortKey::Number,
        ..Default::default()
    };
    assert_eq!(
        r.position(&number, "A").unwrap_err().code(),
        ErrorCode::Validation
    );
}

#[test]
fn the_table_sorts_by_workplace_and_email_and_shows_the_day_they_joined() {
    let mut r = register();
    let m = five(&mut r);
    let b = r.create_workplace("Bageriet", None).unwrap();
    let a = r.create_workplace("Alfa AB", None).unwrap();
    change_members(
        &mut r,
        &[m[0].id],
        &BulkChange::Workplace {
            workplace_id: Some(b.id),
        },
    )
    .unwrap();
    change_members(
        &mut r,
        &[m[1].id],
        &BulkChange::Workplace {
            workplace_id: Some(a.id),
        },
    )
    .unwrap();
    let by = |sort, desc| ListQuery {
        sort,
        desc,
        ..Default::default()
    };
    // The members without a workplace come last either way.
    assert_eq!(
        names(&r, &by(SortKey::Workplace, false)),
        ["Öberg", "Berg", "Ahl", "Ek", "Zetterlund"]
    );
    assert_eq!(
        names(&r, &by(SortKey::Workplace, true))[..2],
        ["Berg", "Öberg"]
    );
    let mut with_mail = r.get(m[3].id).unwrap();
    with_mail.contact.email = "a@example.se".into();
    let input = MemberInput {
        contact: with_mail.contact.clone(),
        joined_date: Some("2020-01-01".into()),
        ..person("Cilla", "Zetterlund")
    };
    r.update(m[3].id, &input).unwrap();
    assert_eq!(names(&r, &by(SortKey::Email, false))[0], "Zetterlund");
    let page = r.list(&ListQuery::default()).unwrap();
    assert!(page
        .items
        .iter()
        .all(|row| row.joined_date.map(|d| d.to_string()) == Some("2020-01-01".into())));
}

#[test]
fn the_view_is_kept_and_always_shows_the_name() {
    let mut r = register();
    assert_eq!(views::get(&r).unwrap(), MemberView::default());
    let chosen = MemberView {
        table: true,
        columns: vec![
            TableColumn::Name,
            TableColumn::Email,
            TableColumn::Name,
            TableColumn::Joined,
        ],
    };
    let kept = views::set(&mut r, &chosen).unwrap();
    assert_eq!(
        kept.columns,
        [TableColumn::Name, TableColumn::Email, TableColumn::Joined]
    );
    assert_eq!(views::get(&r).unwrap(), kept);
    let nameless = MemberView {
        table: true,
        columns: vec![TableColumn::Email],
    };
    assert_eq!(
        views::set(&mut r, &nameless).unwrap_err().code(),
        ErrorCode::Validation
    );
    assert_eq!(views::get(&r).unwrap(), kept);
    // Each column sorts the list its own way.
    let sorts: std::collections::HashSet<_> = TableColumn::ALL.iter().map(|c| c.sort()).collect();
    assert_eq!(sorts.len(), TableColumn::ALL.len());
}

/// A change to thousands of members says how far it has come, and Stop
/// leaves every one of them as they were; done, the search finds them at
/// their new workplace.
#[test]
fn a_large_change_tells_its_progress_and_stop_changes_nobody() {
    use std::sync::atomic::{AtomicBool, Ordering};

    use medlem_core::bulk::change_members_with;

    let mut r = SqliteRegister::open_in_memory().unwrap();
    medlem_core::demo::create(&mut r, 2_500).unwrap();
    let ids = r.list_ids(&ListQuery::default()).unwrap();
    assert_eq!(ids.len(), 2_500);
    let place = r.create_workplace("Zinkgjuteriet", None).unwrap();
    let change = BulkChange::Workplace {
        workplace_id: Some(place.id),
    };
    let history: usize = ids[..20]
        .iter()
        .map(|id| r.history(*id).unwrap().len())
        .sum();
    let found = |r: &SqliteRegister| {
        r.list(&ListQuery {
            search: "zinkgjuteriet".into(),
            ..Default::default()
        })
        .unwrap()
        .total
    };

    // Stop after the first reports: nobody changed, nothing in the history.
    let stop = AtomicBool::new(false);
    let mut seen = Vec::new();
    let err = change_members_with(
        &mut r,
        &ids,
        &change,
        &mut |done, total| {
            seen.push((done, total));
            if done >= 500 {
                stop.store(true, Ordering::SeqCst);
            }
        },
        &stop,
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Cancelled);
    assert!(seen.iter().all(|&(_, total)| total == 2_500), "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 < w[1].0), "{seen:?}");
    assert_eq!(found(&r), 0);
    assert!(ids
        .iter()
        .all(|id| r.get(*id).unwrap().workplace_id != Some(place.id)));
    let after: usize = ids[..20]
        .iter()
        .map(|id| r.history(*id).unwrap().len())
        .sum();
    assert_eq!(after, history);

    // To the end: every member, told up to the last, and found by the search.
    let mut last = (0, 0);
    let out = change_members_with(
        &mut r,
        &ids,
        &change,
        &mut |done, total| last = (done, total),
        &AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(out.changed, 2_500);
    assert_eq!(last, (2_500, 2_500));
    assert_eq!(found(&r), 2_500);
}

/// The table sorted by workplace, and the lists of workplaces and branches,
/// follow the organisation's alphabet:
/// Swedish `… z å ä ö`, Danish and Norwegian `… z æ ø å`, in any case.
#[test]
fn workplaces_sort_in_the_organisations_alphabet() {
    for (country, expect) in [
        ("SE", ["alfa", "Zink", "Åkeriet", "Ängens", "Örebro"]),
        ("DK", ["alfa", "Zink", "Ängens", "Örebro", "Åkeriet"]),
        ("NO", ["alfa", "Zink", "Ängens", "Örebro", "Åkeriet"]),
    ] {
        let mut r = SqliteRegister::open_in_memory().unwrap();
        r.create_org(&OrgInput {
            name: "Klubben".into(),
            country: country.into(),
            ..Default::default()
        })
        .unwrap();
        let m = five(&mut r);
        for (member, place) in m
            .iter()
            .zip(["Örebro", "Åkeriet", "Zink", "Ängens", "alfa"])
        {
            let w = r.create_workplace(place, None).unwrap();
            change_members(
                &mut r,
                &[member.id],
                &BulkChange::Workplace {
                    workplace_id: Some(w.id),
                },
            )
            .unwrap();
        }
        let sorted: Vec<String> = r
            .list(&ListQuery {
                sort: SortKey::Workplace,
                ..Default::default()
            })
            .unwrap()
            .items
            .into_iter()
            .map(|m| m.workplace_name.unwrap_or_default())
            .collect();
        assert_eq!(sorted, expect, "{country}");
        // The lists to pick from too.
        let places: Vec<String> = r
            .workplaces()
            .unwrap()
            .into_iter()
            .map(|w| w.name)
            .collect();
        assert_eq!(places, expect, "{country}");
        for name in ["Örebro", "Åkeriet", "Zink", "Ängens", "alfa"] {
            r.create_branch(name).unwrap();
        }
        let branches: Vec<String> = r.branches().unwrap().into_iter().map(|b| b.name).collect();
        assert_eq!(branches, expect, "{country}");
    }
}
