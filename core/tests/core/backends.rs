//! The store's behaviour suite: every test here runs twice, on the file
//! (SQLite in memory) and on a real PostgreSQL server (`MEDLEM_TEST_PG`,
//! which `cargo xtask test` starts), and must see the same.

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Duration, NaiveDate};
use medlem_core::store::Store;
use medlem_core::*;

use crate::person;

static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// The throwaway server's address (`cargo xtask test` sets it).
pub fn server_url() -> String {
    std::env::var("MEDLEM_TEST_PG").expect(
        "MEDLEM_TEST_PG is not set: run the tests with `cargo xtask test`, which starts a \
         PostgreSQL server for them, or point it at one (postgres://user:password@host:port/db)",
    )
}

/// The address of a new, empty database on the test server.
pub fn new_database() -> String {
    let url = server_url();
    let name = format!(
        "medlem_t{}_{}",
        std::process::id(),
        DATABASES.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin =
        postgres::Client::connect(&url, postgres::NoTls).expect("connect to the test server");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    let (server, _) = url.rsplit_once('/').expect("a database in the address");
    format!("{server}/{name}")
}

/// A register on the server like [`crate::letters::org`]: an organisation
/// in `country` with a postal address.
pub fn pg_org(country: &str) -> PgRegister {
    let mut r = PgRegister::open(&new_database()).expect("open on the server");
    r.create_org(&crate::letters::org_input(country))
        .expect("create org");
    r
}

/// A register on the server, in a new database, with a Swedish organisation.
pub fn pg_register() -> PgRegister {
    let mut r = PgRegister::open(&new_database()).expect("open on the server");
    r.create_org(&OrgInput {
        name: "Fackklubben Verkstaden".into(),
        country: "SE".into(),
        ..Default::default()
    })
    .expect("create org");
    r
}

fn date(s: &str) -> NaiveDate {
    medlem_core::dates::parse_date(s).unwrap()
}

fn names(page: &MemberPage) -> Vec<String> {
    page.items.iter().map(|m| m.last_name.clone()).collect()
}

fn search(r: &dyn Store, text: &str) -> Vec<String> {
    let page = r
        .list(&ListQuery {
            search: text.into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total as usize, page.items.len(), "{text}");
    let mut found = names(&page);
    found.sort();
    found
}

on_both! {
    fn a_new_member_gets_the_next_number_and_keeps_every_field(r) {
        let mut input = person(" Åsa Märta ", "Östlund-Ærø");
        input.contact.address.city = "Växjö".into();
        input.contact.email = "asa@example.se".into();
        input.birth_date = Some("1980-02-29".into());
        input.joined_date = Some("2020-01-15".into());
        input.notes = "<script>alert(1)</script> =HYPERLINK(\"x\")".into();
        input.roles = vec![RoleInput {
            id: None,
            role: "treasurer".into(),
            from: "2021-01-01".into(),
            to: None,
        }];
        let a = r.create(&input).unwrap();
        let b = r.create(&person("Bo", "Ek")).unwrap();
        assert_eq!((a.number.as_str(), b.number.as_str()), ("1", "2"));
        let again = r.get(a.id).unwrap();
        assert_eq!(again, a);
        assert_eq!(again.contact.first_name, "Åsa Märta");
        assert_eq!(again.contact.last_name, "Östlund-Ærø");
        assert_eq!(again.birth_date, Some(date("1980-02-29")));
        assert_eq!(again.status, Status::Active);
        assert_eq!(again.notes, "<script>alert(1)</script> =HYPERLINK(\"x\")");
        assert_eq!(again.roles.len(), 1);
        assert_eq!(again.roles[0].from, date("2021-01-01"));
        let history = r.history(a.id).unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].kind, HistoryKind::Created);
        assert_eq!(history[0].new_value.as_deref(), Some("1"));
        assert_eq!(r.member_by_number("2").unwrap(), Some(b.id));
    }

    fn a_refused_member_writes_nothing(r) {
        r.create(&person("Bo", "Ek")).unwrap();
        let mut taken = person("Eva", "Ek");
        taken.number = "1".into();
        let err = r.create(&taken).unwrap_err();
        assert_eq!(err.code(), "validation");
        assert_eq!(err.fields()[0].field, "number");
        let mut nameless = person("", "");
        nameless.contact.email = "not an address".into();
        assert_eq!(r.create(&nameless).unwrap_err().code(), "validation");
        let mut nowhere = person("Eva", "Ek");
        nowhere.branch_id = Some(999);
        assert_eq!(r.create(&nowhere).unwrap_err().fields()[0].field, "branchId");
        assert_eq!(r.list(&ListQuery::default()).unwrap().total, 1);
    }

    fn an_update_records_each_changed_field_and_nothing_when_nothing_changed(r) {
        let m = r.create(&person("Bo", "Ek")).unwrap();
        let mut input = person("Bo", "Eklund");
        input.contact.address.city = "Malmö".into();
        let changed = r.update(m.id, &input).unwrap();
        assert_eq!(changed.contact.last_name, "Eklund");
        assert_eq!(changed.number, m.number, "an empty number keeps the old one");
        let mut fields: Vec<(String, String, String)> = r
            .history(m.id)
            .unwrap()
            .into_iter()
            .filter(|h| h.kind == HistoryKind::Changed)
            .map(|h| (h.field.unwrap(), h.old_value.unwrap(), h.new_value.unwrap()))
            .collect();
        fields.sort();
        assert_eq!(
            fields,
            vec![
                ("city".into(), "".into(), "Malmö".into()),
                ("lastName".into(), "Ek".into(), "Eklund".into()),
            ]
        );
        let before = r.history(m.id).unwrap().len();
        r.update(m.id, &input).unwrap();
        assert_eq!(r.history(m.id).unwrap().len(), before);
        assert_eq!(r.update(9999, &input).unwrap_err().code(), "not_found");
    }

    fn search_keeps_nordic_letters_apart_folds_accents_and_matches_word_starts(r) {
        for (first, last, city, email) in [
            ("Åsa", "Östlund", "Umeå", "asa@ostlund.se"),
            ("Olle", "Ostberg", "Malmö", "olle@example.se"),
            ("José", "Ærø", "Århus", "jose@example.dk"),
            ("Anna", "Berglund", "Växjö", "anna@example.se"),
        ] {
            let mut p = person(first, last);
            p.contact.address.city = city.into();
            p.contact.email = email.into();
            r.create(&p).unwrap();
        }
        assert_eq!(search(r, "öst"), vec!["Östlund"]);
        assert_eq!(search(r, "ÖST"), vec!["Östlund"]);
        assert_eq!(search(r, "ost"), vec!["Ostberg", "Östlund"], "ost: Ostberg and the e-mail ostlund.se");
        assert_eq!(search(r, "jose"), vec!["Ærø"]);
        assert_eq!(search(r, "josé ærø"), vec!["Ærø"]);
        assert_eq!(search(r, "lund"), Vec::<String>::new(), "a word's start, not its middle");
        assert_eq!(search(r, "växjö"), vec!["Berglund"]);
        assert_eq!(search(r, "example se"), vec!["Berglund", "Ostberg"]);
        assert_eq!(search(r, "%"), search(r, ""), "nothing to search for lists everyone");
        assert_eq!(search(r, "o_le").len(), 0, "`_` is not a wildcard");
        assert_eq!(search(r, "'; DROP TABLE members; --"), Vec::<String>::new());
        assert_eq!(r.list(&ListQuery::default()).unwrap().total, 4);
    }

    fn the_list_sorts_in_the_swedish_alphabet_and_jumps_to_a_letter(r) {
        for last in ["Örn", "Zetterberg", "Åberg", "Andersson", "Ärlig", "Berg"] {
            r.create(&person("X", last)).unwrap();
        }
        let all = r.list(&ListQuery::default()).unwrap();
        assert_eq!(
            names(&all),
            vec!["Andersson", "Berg", "Zetterberg", "Åberg", "Ärlig", "Örn"]
        );
        let desc = r.list(&ListQuery { desc: true, ..Default::default() }).unwrap();
        assert_eq!(names(&desc)[0], "Örn");
        assert_eq!(r.position(&ListQuery::default(), "å").unwrap(), 3);
        assert_eq!(r.position(&ListQuery::default(), "b").unwrap(), 1);
        let page = r
            .list(&ListQuery { offset: 2, limit: 2, ..Default::default() })
            .unwrap();
        assert_eq!((page.total, names(&page)), (6, vec!["Zetterberg".into(), "Åberg".into()]));
        let ids = r.list_ids(&ListQuery::default()).unwrap();
        assert_eq!(ids.len(), 6);
        let picked = r
            .list(&ListQuery { ids: Some(vec![ids[5], ids[0]]), ..Default::default() })
            .unwrap();
        assert_eq!(names(&picked), vec!["Andersson", "Örn"]);
        let by_number = r
            .list(&ListQuery { sort: SortKey::Number, desc: true, ..Default::default() })
            .unwrap();
        assert_eq!(by_number.items[0].number, "6");
    }

    fn a_resignation_dated_ahead_waits_for_its_day_and_can_be_called_off(r) {
        let today = medlem_core::dates::today();
        let m = r.create(&person("Bo", "Ek")).unwrap();
        let later = today + Duration::days(30);
        let waiting = r.set_status(m.id, Status::Resigned, later).unwrap();
        assert_eq!(waiting.status, Status::Active);
        assert_eq!(waiting.scheduled.map(|s| (s.status, s.date)), Some((Status::Resigned, later)));
        let active = ListQuery { status: Some(Status::Active), ..Default::default() };
        assert_eq!(r.list(&active).unwrap().total, 1);
        let kept = r.set_status(m.id, Status::Active, today).unwrap();
        assert_eq!(kept.scheduled, None);
        let gone = r.set_status(m.id, Status::Resigned, today).unwrap();
        assert_eq!(gone.status, Status::Resigned);
        assert_eq!(r.list(&active).unwrap().total, 0);
        let kinds: Vec<HistoryKind> = r.history(m.id).unwrap().iter().map(|h| h.kind).collect();
        assert_eq!(
            kinds,
            vec![HistoryKind::Status, HistoryKind::Unscheduled, HistoryKind::Status, HistoryKind::Created]
        );
        let err = r.set_status(m.id, Status::Applicant, today).unwrap_err();
        assert_eq!(err.code(), "validation");
    }

    fn branches_and_workplaces_refuse_a_name_twice_and_count_their_members(r) {
        let north = r.create_branch("Norr").unwrap();
        assert_eq!(r.create_branch(" norr ").unwrap_err().fields()[0].field, "name");
        let south = r.create_branch("Söder").unwrap();
        let works = r.create_workplace("Verkstaden", Some(north.id)).unwrap();
        assert_eq!(works.branch_name.as_deref(), Some("Norr"));
        assert_eq!(r.create_workplace("verkstaden", Some(north.id)).unwrap_err().code(), "validation");
        r.create_workplace("Verkstaden", Some(south.id)).unwrap();
        assert_eq!(r.create_workplace("Lagret", Some(999)).unwrap_err().fields()[0].field, "branchId");
        let mut p = person("Bo", "Ek");
        p.branch_id = Some(north.id);
        p.workplace_id = Some(works.id);
        let bo = r.create(&p).unwrap();
        assert_eq!(bo.workplace_name.as_deref(), Some("Verkstaden"));
        let branches: Vec<(String, i64)> =
            r.branches().unwrap().into_iter().map(|b| (b.name, b.member_count)).collect();
        assert_eq!(branches, vec![("Norr".into(), 1), ("Söder".into(), 0)]);
        assert_eq!(r.workplaces().unwrap().len(), 2);
        assert_eq!(search(r, "verkst"), vec!["Ek"]);
        let in_north = ListQuery { branch_id: Some(north.id), ..Default::default() };
        assert_eq!(r.list(&in_north).unwrap().total, 1);
    }

    fn every_member_comes_with_their_roles_in_the_lists_order(r) {
        let mut a = person("Åsa", "Ödman");
        a.roles = vec![RoleInput { id: None, role: "chair".into(), from: "2020-01-01".into(), to: None }];
        r.create(&a).unwrap();
        r.create(&person("Bo", "Berg")).unwrap();
        let mut seen = Vec::new();
        r.for_each_member(&ListQuery::default(), &mut |m| {
            seen.push((m.contact.last_name.clone(), m.roles.len()));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, vec![("Berg".into(), 0), ("Ödman".into(), 1)]);
    }

    fn a_unit_of_work_keeps_nothing_unless_committed(r) {
        r.set_language(Some(Language::Da)).unwrap();
        assert_eq!(r.language().unwrap(), Some(Language::Da));
        r.set_language(None).unwrap();
        assert_eq!(r.language().unwrap(), None);
        {
            let work = r.begin().unwrap();
            work.put_setting("statutes", "§1").unwrap();
            work.member_writes().insert_branch("Bortglömd").unwrap();
            assert_eq!(work.setting("statutes").unwrap().as_deref(), Some("§1"));
        }
        assert_eq!(r.setting("statutes").unwrap(), None);
        assert!(r.branches().unwrap().is_empty());
        let work = r.begin().unwrap();
        work.put_setting("statutes", "§2").unwrap();
        let id = work.member_writes().insert_branch("Kvar").unwrap();
        work.commit().unwrap();
        assert_eq!(r.setting("statutes").unwrap().as_deref(), Some("§2"));
        assert!(r.branch_exists(id).unwrap());
    }

    fn a_save_from_a_form_opened_before_another_save_is_refused_and_writes_nothing(r) {
        let m = r.create(&person("Bo", "Ek")).unwrap();
        assert_eq!(m.version, 1);
        let mut first = person("Bo", "Eklund");
        first.version = Some(m.version);
        let saved = r.update(m.id, &first).unwrap();
        assert_eq!(saved.version, 2);
        let mut second = person("Bo", "Ekholm");
        second.version = Some(m.version);
        let err = r.update(m.id, &second).unwrap_err();
        assert_eq!(err.code(), "member_changed");
        let when = err.details().part.expect("when it was changed");
        assert_eq!(when.len(), "2027-03-16 18:05".len(), "{when}");
        assert_eq!(r.get(m.id).unwrap().contact.last_name, "Eklund");
        assert_eq!(r.history(m.id).unwrap().len(), 2, "no line for the refused save");
        // A status change is a save too.
        let moved = r
            .set_status(m.id, Status::Resigned, medlem_core::dates::today())
            .unwrap();
        assert_eq!(moved.version, 3);
        second.version = Some(saved.version);
        assert_eq!(r.update(m.id, &second).unwrap_err().code(), "member_changed");
        second.version = Some(moved.version);
        assert_eq!(r.update(m.id, &second).unwrap().contact.last_name, "Ekholm");
        // Without a version (an import, the CLI) nothing is compared.
        assert_eq!(r.update(m.id, &person("Bo", "Ek")).unwrap().version, 5);
    }

    fn letters_use_the_saved_template_and_logo_and_are_recorded_in_each_members_history(r) {
        use std::sync::atomic::AtomicBool;
        use medlem_core::letters::{self, TemplateInput};
        let dir = tempfile::tempdir().unwrap();
        let asa = r.create(&crate::letters::addressed("Åsa", "Östlund", "sv")).unwrap();
        let bo = r.create(&crate::letters::addressed("<script>", "=HYPERLINK(\"x\")", "sv")).unwrap();
        let input = TemplateInput {
            key: "notice".into(),
            language: "sv".into(),
            subject: "Årsmöte – «kallelse» €100".into(),
            body: "Hej {{ member.first_name }} {{ member.last_name }}!\n\nåäö æø".into(),
        };
        letters::save_template(r, &input, medlem_core::LETTER_KINDS).unwrap();
        let saved = letters::template(r, "notice", Language::Sv).unwrap();
        assert_eq!((saved.subject.as_str(), saved.is_default), ("Årsmöte – «kallelse» €100", false));
        let logo = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/logo.png"));
        letters::set_logo(r, Some(logo)).unwrap();
        assert!(letters::has_logo(r).unwrap());
        let out = dir.path().join("kallelse.pdf");
        let done = letters::letters(
            r,
            "notice",
            &ListQuery::default(),
            &out,
            &mut |_, _| {},
            &AtomicBool::new(false),
            medlem_core::LETTER_KINDS,
        )
        .unwrap();
        assert_eq!((done.items, done.pages), (2, 2));
        let doc = lopdf::Document::load(&out).unwrap();
        let text = doc.extract_text(&[1, 2]).unwrap_or_default();
        for s in ["Östlund", "<script>", "HYPERLINK"] {
            assert!(text.contains(s), "{s} in {text}");
        }
        for m in [&asa, &bo] {
            let latest = &r.history(m.id).unwrap()[0];
            assert_eq!((latest.kind, latest.field.as_deref()), (HistoryKind::Letter, Some("notice")));
        }
        let labels = dir.path().join("etiketter.pdf");
        let done = letters::labels(
            r,
            &ListQuery::default(),
            letters::Sheet::ThreeByEight,
            false,
            (0.0, 0.0),
            &labels,
        )
        .unwrap();
        assert_eq!((done.items, done.pages), (2, 1));
        let list = dir.path().join("lista.pdf");
        let done =
            letters::list(r, &ListQuery::default(), letters::lists::Kind::Members, &list).unwrap();
        assert_eq!(done.items, 2);
        let listed = lopdf::Document::load(&list).unwrap().extract_text(&[1]).unwrap_or_default();
        assert!(listed.contains("Östlund"), "{listed}");
        letters::reset_template(r, "notice", Language::Sv).unwrap();
        assert!(letters::template(r, "notice", Language::Sv).unwrap().is_default);
        letters::set_logo(r, None).unwrap();
        assert!(!letters::has_logo(r).unwrap());
    }

    fn changing_the_country_sorts_the_names_in_the_new_alphabet(r) {
        for last in ["Ærø", "Åberg", "Ödman", "Zorn"] {
            r.create(&person("X", last)).unwrap();
        }
        assert_eq!(names(&r.list(&ListQuery::default()).unwrap()), vec!["Zorn", "Åberg", "Ærø", "Ödman"]);
        let org = r
            .update_org(&OrgInput { name: "Klubben".into(), country: "DK".into(), ..Default::default() })
            .unwrap();
        assert_eq!(org.currency, Currency::Dkk);
        assert_eq!(names(&r.list(&ListQuery::default()).unwrap()), vec!["Zorn", "Ærø", "Ödman", "Åberg"]);
    }
}
