//! The member register: create, validate, update with history, status, roles.

use chrono::NaiveDate;
use medlem_core::*;

use crate::{person, register};

fn date(s: &str) -> NaiveDate {
    medlem_core::dates::parse_date(s).unwrap()
}

/// Asserts that `input` is refused with exactly these `(field, code)` pairs
/// and that the register still holds `count` members afterwards.
fn check_refused(r: &mut SqliteRegister, input: &MemberInput, expect: &[(&str, &str)]) {
    let before = r.list(&ListQuery::default()).unwrap().total;
    let err = r.create(input).expect_err("must be refused");
    assert_eq!(err.code(), "validation", "{err}");
    let got: Vec<(String, String)> = err
        .fields()
        .iter()
        .map(|f| (f.field.clone(), f.code.as_str().to_owned()))
        .collect();
    let want: Vec<(String, String)> = expect
        .iter()
        .map(|(f, c)| (f.to_string(), c.to_string()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        r.list(&ListQuery::default()).unwrap().total,
        before,
        "something was written"
    );
}

#[test]
fn creating_a_member_assigns_the_next_number_and_keeps_every_field() {
    let mut r = register();
    let input = MemberInput {
        contact: medlem_core::Contact {
            first_name: " Åsa Märta ".into(),
            last_name: "Östlund-Ærø".into(),
            address: medlem_core::PostalAddress {
                care_of: "Bo Ek".into(),
                address1: "Storgatan 1".into(),
                postcode: "123 45".into(),
                city: "Växjö".into(),
                country: "se".into(),
                ..Default::default()
            },
            email: "asa@example.se".into(),
            phone: "070-123 45 67".into(),
        },
        birth_date: Some("1980-02-29".into()),
        joined_date: Some("2020-01-15".into()),
        membership_type: "student".into(),
        notes: "<script>alert(1)</script>".into(),
        ..Default::default()
    };
    let a = r.create(&input).unwrap();
    assert_eq!(a.number, "1");
    assert_eq!(a.contact.first_name, "Åsa Märta");
    assert_eq!(a.contact.address.postcode, "123 45");
    assert_eq!(a.contact.address.country, "SE");
    assert_eq!(a.birth_date, Some(date("1980-02-29")));
    assert_eq!(a.status, Status::Active);
    assert_eq!(a.status_date, date("2020-01-15"));
    assert_eq!(
        a.language,
        Language::Sv,
        "follows the organisation's country"
    );
    assert_eq!(a.membership_type, MembershipType::Student);
    assert_eq!(a.notes, "<script>alert(1)</script>", "stored as plain text");

    let b = r
        .create(&MemberInput {
            number: "1001".into(),
            ..person("Bo", "Ek")
        })
        .unwrap();
    assert_eq!(b.number, "1001");
    let c = r.create(&person("Cecilia", "Ek")).unwrap();
    assert_eq!(c.number, "1002");
    assert_eq!(r.get(a.id).unwrap(), a);
}

#[test]
fn bad_input_is_refused_field_by_field_and_nothing_is_written() {
    let mut r = register();
    r.create(&MemberInput {
        number: "1001".into(),
        ..person("Anna", "Berg")
    })
    .unwrap();
    check_refused(&mut r, &person("", "Berg"), &[("firstName", "required")]);
    check_refused(
        &mut r,
        &person("  ", " "),
        &[("firstName", "required"), ("lastName", "required")],
    );
    check_refused(
        &mut r,
        &MemberInput {
            contact: medlem_core::Contact {
                email: "anna@".into(),
                ..person("A", "B").contact
            },
            ..person("A", "B")
        },
        &[("email", "invalid_email")],
    );
    // An address that a spreadsheet would run as a formula.
    check_refused(
        &mut r,
        &MemberInput {
            contact: medlem_core::Contact {
                email: "=1+1@x.se".into(),
                ..person("A", "B").contact
            },
            ..person("A", "B")
        },
        &[("email", "invalid_email")],
    );
    check_refused(
        &mut r,
        &MemberInput {
            birth_date: Some("2024-13-45".into()),
            ..person("A", "B")
        },
        &[("birthDate", "invalid_month")],
    );
    check_refused(
        &mut r,
        &MemberInput {
            birth_date: Some("igår".into()),
            ..person("A", "B")
        },
        &[("birthDate", "invalid_date")],
    );
    check_refused(
        &mut r,
        &MemberInput {
            birth_date: Some("2999-01-01".into()),
            ..person("A", "B")
        },
        &[("birthDate", "in_future")],
    );
    check_refused(
        &mut r,
        &MemberInput {
            number: "1001".into(),
            ..person("A", "B")
        },
        &[("number", "duplicate")],
    );
    check_refused(
        &mut r,
        &MemberInput {
            number: "=1+1".into(),
            ..person("A", "B")
        },
        &[("number", "invalid_number")],
    );
    check_refused(
        &mut r,
        &MemberInput {
            status: "vip".into(),
            language: "fr".into(),
            ..person("A", "B")
        },
        &[("language", "invalid_choice"), ("status", "invalid_choice")],
    );
    check_refused(
        &mut r,
        &MemberInput {
            branch_id: Some(99),
            ..person("A", "B")
        },
        &[("branchId", "invalid_choice")],
    );
    check_refused(
        &mut r,
        &MemberInput {
            contact: medlem_core::Contact {
                first_name: "x".repeat(201),
                ..person("", "B").contact
            },
            ..person("", "B")
        },
        &[("firstName", "too_long")],
    );
    check_refused(
        &mut r,
        &MemberInput {
            roles: vec![RoleInput {
                role: "chair".into(),
                from: "2024-05-01".into(),
                to: Some("2023-01-01".into()),
                ..Default::default()
            }],
            ..person("A", "B")
        },
        &[("roles.0.to", "date_order")],
    );
}

#[test]
fn a_member_needs_an_organisation_first() {
    let mut r = SqliteRegister::open_in_memory().unwrap();
    let err = r.create(&person("A", "B")).unwrap_err();
    assert_eq!(err.code(), "no_organisation");
    let err = r
        .create_org(&OrgInput {
            name: " ".into(),
            country: "FI".into(),
            ..Default::default()
        })
        .unwrap_err();
    let fields: Vec<_> = err
        .fields()
        .iter()
        .map(|f| (f.field.as_str(), f.code))
        .collect();
    assert_eq!(
        fields,
        [
            ("name", FieldCode::Required),
            ("country", FieldCode::InvalidChoice)
        ]
    );
    assert_eq!(r.org().unwrap(), None);
}

#[test]
fn editing_records_each_changed_field_in_the_history() {
    let mut r = register();
    let branch = r.create_branch("Klubb Norr").unwrap();
    let wp = r
        .create_workplace("Verkstaden AB", Some(branch.id))
        .unwrap();
    let m = r
        .create(&MemberInput {
            contact: medlem_core::Contact {
                address: medlem_core::PostalAddress {
                    city: "Malmö".into(),
                    ..Default::default()
                },
                ..person("Åsa", "Östlund").contact
            },
            ..person("Åsa", "Östlund")
        })
        .unwrap();
    let mut input = MemberInput {
        number: m.number.clone(),
        contact: medlem_core::Contact {
            address: medlem_core::PostalAddress {
                city: "Göteborg".into(),
                ..Default::default()
            },
            email: "asa@example.se".into(),
            ..person("Åsa", "Östlund").contact
        },
        workplace_id: Some(wp.id),
        roles: vec![RoleInput {
            role: "shop_steward".into(),
            from: "2024-01-01".into(),
            ..Default::default()
        }],
        ..person("Åsa", "Östlund")
    };
    let m2 = r.update(m.id, &input).unwrap();
    assert_eq!(m2.contact.address.city, "Göteborg");
    assert_eq!(m2.workplace_name.as_deref(), Some("Verkstaden AB"));
    assert_eq!(m2.roles.len(), 1);
    assert_eq!(m2.roles[0].role, RoleKind::ShopSteward);

    let h = r.history(m.id).unwrap();
    type Change<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);
    let changes: Vec<Change> = h
        .iter()
        .map(|e| {
            (
                e.kind.as_str(),
                e.field.as_deref(),
                e.old_value.as_deref(),
                e.new_value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("role", Some("shop_steward"), None, Some("2024-01-01–")),
            (
                "changed",
                Some("workplaceName"),
                Some(""),
                Some("Verkstaden AB")
            ),
            ("changed", Some("email"), Some(""), Some("asa@example.se")),
            ("changed", Some("city"), Some("Malmö"), Some("Göteborg")),
            ("created", None, None, Some("1")),
        ]
    );

    // Saving the same thing again changes nothing and records nothing.
    r.update(m.id, &input).unwrap();
    assert_eq!(r.history(m.id).unwrap().len(), 5);

    // A refused edit leaves the member as it was.
    input.contact.email = "not an email".into();
    assert_eq!(r.update(m.id, &input).unwrap_err().code(), "validation");
    assert_eq!(r.get(m.id).unwrap(), m2);
    assert_eq!(
        r.update(999, &person("A", "B")).unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn resign_and_reinstate_keep_their_dates() {
    let mut r = register();
    let m = r
        .create(&MemberInput {
            joined_date: Some("2020-03-01".into()),
            ..person("Bo", "Ek")
        })
        .unwrap();
    let resigned = r
        .set_status(m.id, Status::Resigned, date("2024-06-30"))
        .unwrap();
    assert_eq!(
        (resigned.status, resigned.status_date),
        (Status::Resigned, date("2024-06-30"))
    );
    // Resigning twice makes no sense.
    let err = r
        .set_status(m.id, Status::Resigned, date("2024-07-01"))
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "status");
    // Before the member joined makes no sense either.
    let err = r
        .set_status(m.id, Status::Active, date("2019-01-01"))
        .unwrap_err();
    assert_eq!(err.fields()[0].code, FieldCode::DateOrder);
    let back = r
        .set_status(m.id, Status::Active, date("2025-01-01"))
        .unwrap();
    assert_eq!(
        (back.status, back.status_date),
        (Status::Active, date("2025-01-01"))
    );
    let h = r.history(m.id).unwrap();
    let statuses: Vec<_> = h
        .iter()
        .filter(|e| e.kind == HistoryKind::Status)
        .map(|e| {
            (
                e.old_value.clone().unwrap(),
                e.new_value.clone().unwrap(),
                e.effective_date.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        [
            (
                "resigned".to_owned(),
                "active".to_owned(),
                date("2025-01-01")
            ),
            (
                "active".to_owned(),
                "resigned".to_owned(),
                date("2024-06-30")
            ),
        ]
    );
}

#[test]
fn branches_and_workplaces_are_lists_of_their_own() {
    let mut r = register();
    let b = r.create_branch("Klubb Syd").unwrap();
    assert_eq!(
        r.create_branch("klubb syd").unwrap_err().fields()[0].code,
        FieldCode::Duplicate
    );
    assert_eq!(
        r.create_branch("").unwrap_err().fields()[0].code,
        FieldCode::Required
    );
    r.create_workplace("Sjukhuset", Some(b.id)).unwrap();
    r.create_workplace("Sjukhuset", None).unwrap();
    assert_eq!(
        r.create_workplace("Sjukhuset", Some(b.id))
            .unwrap_err()
            .fields()[0]
            .code,
        FieldCode::Duplicate
    );
    assert_eq!(
        r.create_workplace("Depån", Some(77)).unwrap_err().fields()[0].field,
        "branchId"
    );
    let names: Vec<_> = r
        .workplaces()
        .unwrap()
        .into_iter()
        .map(|w| (w.name, w.branch_name))
        .collect();
    assert_eq!(
        names,
        [
            ("Sjukhuset".to_owned(), Some("Klubb Syd".to_owned())),
            ("Sjukhuset".to_owned(), None)
        ]
    );
}

#[test]
fn prospects_are_kept_apart_from_members() {
    let mut r = register();
    r.create(&person("Anna", "Medlem")).unwrap();
    r.create(&MemberInput {
        kind: "prospect".into(),
        ..person("Per", "Kollega")
    })
    .unwrap();
    let q = |kind| ListQuery {
        kind,
        ..Default::default()
    };
    let names = |p: MemberPage| {
        p.items
            .into_iter()
            .map(|m| m.first_name)
            .collect::<Vec<_>>()
    };
    assert_eq!(names(r.list(&q(Some(Kind::Member))).unwrap()), ["Anna"]);
    assert_eq!(names(r.list(&q(Some(Kind::Prospect))).unwrap()), ["Per"]);
}

#[test]
fn the_demo_register_is_generated_once() {
    let mut r = SqliteRegister::open_in_memory().unwrap();
    let org = medlem_core::demo::create(&mut r, 300).unwrap();
    assert_eq!(org.name, "Demoföreningen");
    let page = r.list(&ListQuery::default()).unwrap();
    assert_eq!(page.total, 300);
    assert_eq!(page.items.len(), 50);
    assert_eq!(r.branches().unwrap().len(), 3);
    assert_eq!(
        medlem_core::demo::create(&mut r, 10).unwrap_err().code(),
        "validation"
    );
    assert_eq!(r.list(&ListQuery::default()).unwrap().total, 300);
}

#[test]
fn the_language_setting_follows_the_system_until_chosen() {
    let mut r = register();
    assert_eq!(r.language().unwrap(), None);
    r.set_language(Some(Language::Da)).unwrap();
    assert_eq!(r.language().unwrap(), Some(Language::Da));
    r.set_language(None).unwrap();
    assert_eq!(r.language().unwrap(), None);
}
