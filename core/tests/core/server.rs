//! The register on an office server, where it differs from the file: it is
//! reached over the network, shared by several officers, and refuses a
//! database that is not its own.

use std::thread;

use medlem_core::grants::{self, ApplicationInput, FundInput, StepInput};
use medlem_core::store::Store;
use medlem_core::*;

use crate::backends::new_database;
use crate::person;

fn admin(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).expect("connect as the test server's owner")
}

fn tables(url: &str) -> i64 {
    admin(url)
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0)
}

/// The first officer's Medlem on a new database: a Swedish club.
pub(crate) fn club(url: &str) -> PgRegister {
    let mut r = PgRegister::open(url).unwrap();
    r.create_org(&OrgInput {
        name: "Klubben".into(),
        country: "SE".into(),
        ..Default::default()
    })
    .unwrap();
    r
}

#[test]
fn a_register_on_the_server_is_all_there_when_opened_again() {
    let url = new_database();
    {
        let mut r = PgRegister::open(&url).unwrap();
        r.create_org(&OrgInput {
            name: "Förbundet".into(),
            country: "NO".into(),
            ..Default::default()
        })
        .unwrap();
        r.create(&person("Ørjan", "Bø")).unwrap();
    }
    let r = PgRegister::open(&url).unwrap();
    assert_eq!(r.org().unwrap().unwrap().currency, Currency::Nok);
    let page = r.list(&ListQuery::default()).unwrap();
    assert_eq!(page.items[0].first_name, "Ørjan");
    assert!(r
        .place()
        .ends_with(&url.rsplit_once('/').unwrap().1.to_owned()));
}

#[test]
fn a_database_from_a_newer_medlem_is_refused_and_left_as_it_was() {
    let url = new_database();
    drop(PgRegister::open(&url).unwrap());
    admin(&url)
        .batch_execute("UPDATE medlem_schema SET version = 999")
        .unwrap();
    let err = PgRegister::open(&url).err().expect("refused");
    assert_eq!(err.code(), "newer_database");
    let version: i64 = admin(&url)
        .query_one("SELECT version FROM medlem_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 999);
}

#[test]
fn a_database_with_someone_elses_tables_is_refused_and_left_as_it_was() {
    let url = new_database();
    admin(&url)
        .batch_execute("CREATE TABLE invoices (id int); INSERT INTO invoices VALUES (7)")
        .unwrap();
    let err = PgRegister::open(&url).err().expect("refused");
    assert_eq!(err.code(), "server_not_medlem");
    assert!(err
        .details()
        .part
        .unwrap()
        .ends_with(url.rsplit('/').next().unwrap()));
    assert!(!err.to_string().contains("devpw") && !err.to_string().contains("test-"));
    assert_eq!(tables(&url), 1, "nothing of Medlem's was made there");
}

#[test]
fn a_wrong_password_is_refused_and_the_message_never_shows_a_password() {
    let url = new_database();
    let (user_pass, rest) = url
        .trim_start_matches("postgres://")
        .split_once('@')
        .unwrap();
    let user = user_pass.split(':').next().unwrap();
    let wrong = format!("postgres://{user}:not-the-password@{rest}");
    let err = PgRegister::open(&wrong).err().expect("refused");
    assert_eq!(err.code(), "server_login");
    let said = format!("{err} {:?}", err.details());
    assert!(said.contains(rest.split('/').next().unwrap()), "{said}");
    assert!(!said.contains("not-the-password"), "{said}");
}

#[test]
fn a_server_that_does_not_answer_is_named_in_the_refusal() {
    // A port that was free a moment ago: nobody listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = PgRegister::open(&format!("postgres://kassor:x@127.0.0.1:{port}/medlem"))
        .err()
        .expect("refused");
    assert_eq!(err.code(), "server_unreachable");
    assert_eq!(
        err.details().part.as_deref(),
        Some(format!("kassor@127.0.0.1:{port}/medlem").as_str())
    );
}

#[test]
fn officers_adding_members_at_once_each_get_a_number_of_their_own() {
    let url = new_database();
    let first = club(&url);
    let officers: Vec<_> = (0..4)
        .map(|officer| {
            let url = url.clone();
            thread::spawn(move || {
                let mut r = PgRegister::open(&url).unwrap();
                (0..10)
                    .map(|i| {
                        r.create(&person(&format!("Officer{officer}"), &format!("Medlem{i}")))
                            .unwrap()
                            .number
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut numbers: Vec<i64> = officers
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .map(|n| n.parse().unwrap())
        .collect();
    numbers.sort();
    assert_eq!(numbers, (1..=40).collect::<Vec<_>>());
    assert_eq!(first.list(&ListQuery::default()).unwrap().total, 40);
}

#[test]
fn officers_opening_a_new_database_at_once_make_its_tables_once() {
    let url = new_database();
    let opened: Vec<_> = (0..4)
        .map(|_| {
            let url = url.clone();
            thread::spawn(move || PgRegister::open(&url).map(|_| ()))
        })
        .collect();
    for t in opened {
        t.join().unwrap().expect("every officer's Medlem opens it");
    }
    let version: i64 = admin(&url)
        .query_one("SELECT version FROM medlem_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, medlem_core::store::postgres::db::SCHEMA_VERSION);
}

#[test]
fn officers_saving_one_member_at_once_from_the_same_form_one_wins_the_rest_are_told_who() {
    let url = new_database();
    let mut first = club(&url);
    let opened = first.create(&person("Bo", "Ek")).unwrap();
    let start = std::sync::Arc::new(std::sync::Barrier::new(4));
    let officers: Vec<_> = (0..4)
        .map(|officer| {
            let (url, start) = (url.clone(), start.clone());
            thread::spawn(move || {
                let mut r = PgRegister::open(&url).unwrap();
                let mut input = person("Bo", &format!("Ek{officer}"));
                input.version = Some(opened.version);
                start.wait();
                r.update(opened.id, &input)
            })
        })
        .collect();
    let results: Vec<_> = officers.into_iter().map(|t| t.join().unwrap()).collect();
    let saved: Vec<&Member> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(saved.len(), 1, "exactly one save wins");
    for refused in results.iter().filter_map(|r| r.as_ref().err()) {
        assert_eq!(refused.code(), "member_changed");
        assert_eq!(
            refused.details().member.as_deref(),
            Some("medlem"),
            "the database user"
        );
    }
    let now = first.get(opened.id).unwrap();
    assert_eq!(now.contact.last_name, saved[0].contact.last_name);
    assert_eq!(now.version, opened.version + 1);
}

/// A fund for 2027 of 15 000 kr: its id.
fn initiative_fund(r: &mut PgRegister) -> i64 {
    let input = FundInput {
        name: "Initiativpotten".into(),
        period: "2027".into(),
        budget: "15000".into(),
        ..Default::default()
    };
    grants::fund_create(r, &input).unwrap().id
}

/// `member`'s application to `fund` for `amount` kr, submitted: its id.
fn submitted(r: &mut PgRegister, fund: i64, member: i64, amount: &str) -> i64 {
    let input = ApplicationInput {
        fund_id: fund,
        applicant_kind: "member".into(),
        applicant: grants::Applicant {
            member_id: Some(member),
            ..Default::default()
        },
        title: format!("Kurs för {member}"),
        amount: amount.into(),
        ..Default::default()
    };
    let id = grants::apply(r, &input).unwrap().application.id;
    let submit = StepInput {
        step: "submit".into(),
        ..Default::default()
    };
    grants::step(r, id, &submit).unwrap();
    id
}

/// Two officers decide on two applications of one fund at the same time,
/// and together they would spend more than the fund has: the second
/// decision waits for the first and is refused, as on the file.
#[test]
fn officers_approving_at_once_never_commit_more_than_the_fund_has() {
    use medlem_core::types::grants::{Amounts, Stage};
    let url = new_database();
    let mut first = club(&url);
    let fund = initiative_fund(&mut first);
    // Two applications of 10 000 kr each: the fund has room for one.
    let ids: Vec<i64> = (0..2)
        .map(|i| {
            let member = first
                .create(&person("Sökande", &format!("Nr{i}")))
                .unwrap()
                .id;
            submitted(&mut first, fund, member, "10000")
        })
        .collect();

    // The first officer is deciding: their unit of work has read the
    // application (and so holds its fund).
    let mut a = PgRegister::open(&url).unwrap();
    let work = a.begin().unwrap();
    let deciding = work.grants().application(ids[0]).unwrap();
    // The second officer approves the other application meanwhile.
    let (done, finished) = std::sync::mpsc::channel();
    let second = {
        let url = url.clone();
        let id = ids[1];
        thread::spawn(move || {
            let mut b = PgRegister::open(&url).unwrap();
            let approve = StepInput {
                step: "approve".into(),
                amount: "10000".into(),
                ..Default::default()
            };
            let outcome = grants::step(&mut b, id, &approve).map(|_| ());
            let _ = done.send(());
            outcome
        })
    };
    // Until the second officer's decision waits on a lock (or is done
    // without waiting, which would be the fault).
    let waited = waits_on_a_lock(&url, &finished);
    work.grant_writes()
        .set_stage(
            ids[0],
            Stage::Approved,
            Amounts {
                requested: deciding.details.requested,
                approved: Some(1_000_000),
                paid: None,
            },
            dates::now(),
        )
        .unwrap();
    work.commit().unwrap();
    let outcome = second.join().unwrap();
    assert!(
        waited,
        "the second decision went ahead while the first was being made"
    );
    assert_eq!(outcome.unwrap_err().code(), "above_remaining");
    let totals = grants::fund_overview(&first, fund).unwrap().totals;
    assert_eq!((totals.committed, totals.remaining), (1_000_000, 500_000));
}

/// Waits until a statement on the database at `url` waits on a lock (true),
/// or `finished` says the work it watches is done without waiting (false).
pub(crate) fn waits_on_a_lock(url: &str, finished: &std::sync::mpsc::Receiver<()>) -> bool {
    let mut watch = admin(url);
    loop {
        if finished.try_recv().is_ok() {
            return false;
        }
        let waiting: i64 = watch
            .query_one(
                "SELECT count(*) FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
                &[],
            )
            .unwrap()
            .get(0);
        if waiting > 0 {
            return true;
        }
    }
}

/// A meeting with one seat left and people invited to it, on a new database.
fn last_seat(people: usize, capacity: u32) -> (String, i64, Vec<i64>) {
    use medlem_core::meetings::{self, InviteSelection, MeetingInput};
    let url = new_database();
    let mut r = club(&url);
    let ids: Vec<i64> = (0..people)
        .map(|i| r.create(&person("Gäst", &format!("Nr{i}"))).unwrap().id)
        .collect();
    let input = MeetingInput {
        kind: "course".into(),
        title: "Kurs".into(),
        starts: "2027-03-16 18:00".into(),
        capacity: Some(i64::from(capacity)),
        ..Default::default()
    };
    let m = meetings::create(&mut r, &input).unwrap();
    meetings::invite(&mut r, m.id, &InviteSelection::default()).unwrap();
    (url, m.id, ids)
}

/// Two yeses for the last seat at the same moment: the one that comes
/// second waits for the first to be written, and so goes on the waiting list.
#[test]
fn two_yeses_for_the_last_seat_one_gets_it_the_other_waits() {
    use medlem_core::meetings;
    use medlem_core::store::meetings::SeatChange;
    let (url, id, ids) = last_seat(2, 1);
    // The first officer is entering a yes: their unit of work has read the
    // meeting (and so holds its seats).
    let mut a = PgRegister::open(&url).unwrap();
    let work = a.begin().unwrap();
    work.meetings().meeting(id).unwrap();
    let (done, finished) = std::sync::mpsc::channel();
    let second = {
        let (url, who) = (url.clone(), ids[1]);
        thread::spawn(move || {
            let mut b = PgRegister::open(&url).unwrap();
            let outcome = meetings::reply(&mut b, id, who, true);
            let _ = done.send(());
            outcome
        })
    };
    let waited = waits_on_a_lock(&url, &finished);
    let writes = work.meeting_writes();
    writes
        .set_reply(id, ids[0], Some((true, dates::now())))
        .unwrap();
    let seat = SeatChange {
        member_id: ids[0],
        seat: Some("seated"),
        order: Some(0),
        promoted: false,
    };
    writes.save_seats(id, &[seat]).unwrap();
    work.commit().unwrap();
    let outcome = second.join().unwrap().unwrap();
    assert!(
        waited,
        "the second yes went ahead while the first was written"
    );
    assert_eq!(
        (outcome.place.as_str(), outcome.position),
        ("waiting", Some(1))
    );
    let o = meetings::overview(&a, id).unwrap();
    assert_eq!((o.counts.seats_taken, o.counts.yes), (1, 2));
    assert_eq!(
        o.waiting.iter().map(|p| p.member_id).collect::<Vec<_>>(),
        [ids[1]]
    );
}

/// Eight officers enter eight yeses at once for three seats: three are
/// seated, five wait in line, nobody twice and no seat over.
#[test]
fn officers_entering_yeses_at_once_never_give_more_seats_than_there_are() {
    use medlem_core::meetings;
    let (url, id, ids) = last_seat(8, 3);
    let officers: Vec<_> = ids
        .iter()
        .map(|&who| {
            let url = url.clone();
            thread::spawn(move || {
                let mut r = PgRegister::open(&url).unwrap();
                meetings::reply(&mut r, id, who, true).unwrap().place
            })
        })
        .collect();
    let mut places: Vec<String> = officers.into_iter().map(|t| t.join().unwrap()).collect();
    places.sort();
    assert_eq!(
        places.iter().filter(|p| *p == "seated").count(),
        3,
        "{places:?}"
    );
    assert_eq!(
        places.iter().filter(|p| *p == "waiting").count(),
        5,
        "{places:?}"
    );
    let r = PgRegister::open(&url).unwrap();
    let people = meetings::invitees(&r, id).unwrap();
    let positions: Vec<Option<usize>> = people
        .iter()
        .filter(|i| i.place == "waiting")
        .map(|i| i.position)
        .collect();
    assert_eq!(
        positions,
        (1..=5).map(Some).collect::<Vec<_>>(),
        "one line, in order"
    );
    let o = meetings::overview(&r, id).unwrap();
    assert_eq!(
        (o.counts.seats_taken, o.seats_left, o.counts.yes),
        (3, Some(0), 8)
    );
}

/// The server ends an officer's connection in the middle of their work (a
/// restart, a dropped network): the work is refused as `server_lost` and
/// none of it is kept; Medlem connects anew for the next step.
#[test]
fn a_connection_lost_in_the_middle_of_work_keeps_nothing_of_it_and_medlem_connects_anew() {
    let url = new_database();
    let mut r = club(&url);
    r.create(&person("Bo", "Ek")).unwrap();
    let work = r.begin().unwrap();
    work.member_writes().insert_branch("Halvvägs").unwrap();
    let mut watch = admin(&url);
    watch
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap();
    // Until the officer's connection has ended on the server.
    while watch
        .query_one(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap()
        .get::<_, i64>(0)
        > 0
    {}
    assert_eq!(work.commit().unwrap_err().code(), "server_lost");
    // The step after it (at the latest the one after that, if the client
    // had not yet seen its connection close) connects anew.
    let branches = r.branches().or_else(|e| {
        assert_eq!(e.code(), "server_lost", "{e}");
        r.branches()
    });
    assert!(branches.unwrap().is_empty(), "nothing of the lost work");
    assert_eq!(r.list(&ListQuery::default()).unwrap().total, 1);
    r.create(&person("Eva", "Ek")).unwrap();
    assert_eq!(r.list(&ListQuery::default()).unwrap().total, 2);
}

/// The indexes and references (foreign keys) of the register's tables, by
/// name, as the server describes them.
pub(crate) fn indexes(url: &str) -> Vec<(String, String)> {
    admin(url)
        .query(
            "SELECT indexname::text, indexdef FROM pg_indexes WHERE schemaname = 'public' \
             UNION ALL SELECT conrelid::regclass || ' ' || conname, pg_get_constraintdef(oid) \
             FROM pg_constraint WHERE contype = 'f' ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// A CSV of `rows` new members, enough for an import written in bulk.
fn big_csv(dir: &std::path::Path, rows: usize) -> std::path::PathBuf {
    let mut text = String::from("Förnamn;Efternamn;Ort\n");
    for i in 0..rows {
        text.push_str(&format!("Person{i};Ek;Ort{}\n", i % 7));
    }
    let path = dir.join("stor.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// What another officer sees of the member table while an import runs:
/// the count, or the server's refusal when they would have had to wait
/// more than a second.
fn other_officer_counts(url: &str) -> Result<i64, String> {
    let mut other = admin(url);
    other.batch_execute("SET lock_timeout = '1s'").unwrap();
    other
        .query_one("SELECT count(*) FROM members", &[])
        .map(|r| r.get(0))
        .map_err(|e| e.code().map(|c| c.code().to_owned()).unwrap_or_default())
}

/// Imports `path`, calling `look` once when a thousand rows are done.
fn import_with_a_look(
    r: &mut PgRegister,
    path: &std::path::Path,
    cancel: &std::sync::atomic::AtomicBool,
    mut look: impl FnMut(),
) -> Result<import::ImportSummary, Error> {
    let mut looked = false;
    import::commit(
        r,
        path,
        None,
        &import::ImportOptions::default(),
        &mut |done, _| {
            if done >= 1000 && !looked {
                looked = true;
                look();
            }
        },
        cancel,
    )
}

#[test]
fn an_import_into_an_empty_register_leaves_every_index_as_it_was_done_or_cancelled() {
    let url = new_database();
    let mut r = club(&url);
    let before = indexes(&url);
    assert!(before.iter().any(|(n, _)| n == "members_search"));
    assert!(before.iter().any(|(n, _)| n.starts_with("member_history ")));
    let dir = tempfile::tempdir().unwrap();
    let path = big_csv(dir.path(), 2500);
    // Cancelled half-way: nothing written, every index still there.
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let mut waited = None;
    let err = import_with_a_look(&mut r, &path, &cancel, || {
        // The empty tables are being filled without their indexes: another
        // officer's read waits for the import.
        waited = Some(other_officer_counts(&url));
        cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    })
    .unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert_eq!(waited, Some(Err("55P03".to_owned())), "lock_not_available");
    assert_eq!(indexes(&url), before);
    assert_eq!(other_officer_counts(&url), Ok(0));
    // Done: every member there, found by the search index made again.
    let s = import::commit(
        &mut r,
        &path,
        None,
        &import::ImportOptions::default(),
        &mut |_, _| {},
        &std::sync::atomic::AtomicBool::new(false),
    )
    .unwrap();
    assert_eq!(s.new, 2500);
    assert_eq!(indexes(&url), before);
    let found = r
        .list(&ListQuery {
            search: "person2499".into(),
            ..Default::default()
        })
        .unwrap();
    // 2499 = 7 * 357: the seventh town, Ort0.
    assert_eq!((found.total, found.items[0].city.as_str()), (1, "Ort0"));
    let plan = admin(&url)
        .query(
            "EXPLAIN SELECT id FROM members WHERE search_text LIKE '%person2499%'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(plan.contains("members_search"), "{plan}");
    // And the table vacuumed after it: the list's count reads the index.
    let vacuumed: bool = admin(&url)
        .query_one(
            "SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'members'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(vacuumed);
}

#[test]
fn an_import_into_a_register_with_members_lets_other_officers_read_meanwhile() {
    let url = new_database();
    let mut r = club(&url);
    r.create(&person("Anna", "Andersson")).unwrap();
    let before = indexes(&url);
    let dir = tempfile::tempdir().unwrap();
    let path = big_csv(dir.path(), 2100);
    let mut seen = None;
    let s = import_with_a_look(&mut r, &path, &Default::default(), || {
        seen = Some(other_officer_counts(&url));
    })
    .unwrap();
    assert_eq!(s.new, 2100);
    // They read the register as it was before the import commits.
    assert_eq!(seen, Some(Ok(1)));
    assert_eq!(indexes(&url), before);
    assert_eq!(other_officer_counts(&url), Ok(2101));
}

/// The address of a second officer on `url`'s database: a database user of
/// their own (`name`, made here) with the first officer's rights.
fn second_officer(url: &str, name: &str) -> String {
    let mut admin = admin(url);
    admin
        .batch_execute(&format!(
            "CREATE ROLE {name} LOGIN PASSWORD 'andra'; GRANT {} TO {name}",
            user_of(url)
        ))
        .unwrap();
    let (_, place) = url.split_once('@').unwrap();
    format!("postgres://{name}:andra@{place}")
}

fn user_of(url: &str) -> String {
    let config: postgres::Config = url.parse().unwrap();
    config.get_user().unwrap().to_owned()
}

/// Every history line and every step of an application on the server says
/// which officer (the database user) wrote it; a file's say nobody.
#[test]
fn history_lines_and_grant_steps_name_the_officer_who_wrote_them() {
    let url = new_database();
    let first_user = user_of(&url);
    let second_user = format!("sekr_{}", url.rsplit('/').next().unwrap());
    let mut first = club(&url);
    let mut second = PgRegister::open(&second_officer(&url, &second_user)).unwrap();
    let bo = first.create(&person("Bo", "Ek")).unwrap();
    let mut input = person("Bo", "Eklund");
    input.version = Some(bo.version);
    second.update(bo.id, &input).unwrap();

    let history = first.history(bo.id).unwrap();
    let by = |kind: HistoryKind| {
        history
            .iter()
            .find(|e| e.kind == kind)
            .and_then(|e| e.by.clone())
    };
    assert_eq!(by(HistoryKind::Created), Some(first_user.clone()));
    assert_eq!(by(HistoryKind::Changed), Some(second_user.clone()));

    let fund = initiative_fund(&mut first);
    let id = submitted(&mut first, fund, bo.id, "1000");
    let withdraw = StepInput {
        step: "withdraw".into(),
        ..Default::default()
    };
    grants::step(&mut second, id, &withdraw).unwrap();
    let steps: Vec<(String, Option<String>)> = grants::application(&first, id)
        .unwrap()
        .steps
        .into_iter()
        .map(|s| (s.step, s.by))
        .collect();
    assert!(
        steps.contains(&("submit".into(), Some(first_user.clone()))),
        "{steps:?}"
    );
    assert!(
        steps.contains(&("withdraw".into(), Some(second_user.clone()))),
        "{steps:?}"
    );

    // On a file there is one officer, named nowhere.
    let mut file = crate::register();
    let bo = file.create(&person("Bo", "Ek")).unwrap();
    assert_eq!(file.history(bo.id).unwrap()[0].by, None);
}
