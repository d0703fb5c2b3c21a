//! The window on a register on the office server (`--db postgres://...`):
//! it says where the register is, and what it saves another officer's
//! Medlem (here the CLI) reads at once.

use std::path::Path;

use medlem_e2e::fixtures::{cli, i18n};
use medlem_e2e::{medlem_app, App};

use crate::dues::billed_forty_days_ago;
use crate::meetings::{create_meeting, open_meetings, NewMeeting, ANNA, BO};
use crate::{add_member, fixed_part, register_with, wait_member_count, wait_rows, NewMember};

/// A new database on the tests' server (`MEDLEM_TEST_PG`, which `cargo
/// xtask test` starts): its address, with the test server's password.
fn new_database() -> String {
    let url = std::env::var("MEDLEM_TEST_PG").expect(
        "MEDLEM_TEST_PG is not set: run the tests with `cargo xtask test`, which starts a \
         PostgreSQL server for them",
    );
    static DATABASES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = DATABASES.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let name = format!("medlem_e2e{}_{n}", std::process::id());
    postgres::Client::connect(&url, postgres::NoTls)
        .expect("connect to the test server")
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    format!("{}/{name}", url.rsplit_once('/').unwrap().0)
}

/// The window on the register at `url`, once it says where the register is
/// (returned: the sidebar's words for it).
fn open_on_server(url: &str) -> (App, String) {
    let app = App::launch_app(
        &medlem_app(),
        vec!["--db".into(), url.into()],
        Some(Path::new(url)),
    );
    let place = app.wait_text_contains("register-place", "127.0.0.1");
    (app, place)
}

/// The form's save refused with the catalog's `key` (the words between who,
/// `{member}`, and when, `{part}`), naming the officer: the database user.
fn refused_naming_the_officer(app: &App, key: &str, screenshot: &str) {
    let catalog = i18n("en", key);
    let middle = fixed_part(catalog.split('}').nth(1).unwrap());
    let said = app.wait_text_contains("form-error", middle);
    assert!(
        said.contains("medlem"),
        "names the officer (the database user): {said}"
    );
    app.screenshot(screenshot);
}

#[test]
fn the_window_on_a_server_register_adds_a_member_that_another_officer_sees() {
    let url = new_database();
    let password = url
        .split('@')
        .next()
        .unwrap()
        .rsplit(':')
        .next()
        .unwrap()
        .to_owned();
    let server = Path::new(&url);
    cli(
        server,
        &["org", "init", "--name", "Förbundet", "--country", "SE"],
    );
    cli(
        server,
        &["members", "add", "--first", "Bo", "--last", "Berg"],
    );
    // Bo's dues for the year, billed by another officer.
    billed_forty_days_ago(server);
    let (app, place) = open_on_server(&url);
    assert!(!place.contains(&password), "{place}");
    wait_member_count(&app, 1);
    add_member(
        &app,
        &NewMember {
            first: "Åsa",
            last: "Östlund",
            city: "Umeå",
            ..Default::default()
        },
    );
    wait_member_count(&app, 2);
    wait_rows(&app, &["Berg", "Östlund"]);
    let title: String = app
        .execute("return document.title", vec![])
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(title.starts_with("Förbundet ("), "{title}");
    app.screenshot("server-register");
    // Another officer's Medlem reads what the window saved.
    let listed = cli(server, &["members", "--json", "--search", "umeå"]);
    assert!(listed.contains("Östlund"), "{listed}");

    // The window opens Bo Berg's form; meanwhile another officer (the CLI)
    // changes him: the window's save is refused, and nothing of it written.
    app.click_containing("member-row", "Berg");
    app.wait_text_contains("detail-name", "Berg");
    // His dues as the server holds them: the year's invoice, unpaid.
    let invoices = app.wait_count("detail-invoice", 1);
    assert!(invoices[0].contains("1,200"), "{invoices:?}");
    assert!(
        invoices[0].contains(&i18n("en", "invoiceStatus.open")),
        "{invoices:?}"
    );
    app.click("member-edit");
    app.wait_visible("member-form");
    cli(server, &["members", "status", "1", "resigned"]);
    app.type_into("field-city", "Kiruna");
    app.click("form-save");
    refused_naming_the_officer(&app, "error.member_changed", "server-save-refused");
    let berg = cli(server, &["members", "--json", "--search", "berg"]);
    assert!(
        berg.contains("resigned") && !berg.contains("Kiruna"),
        "{berg}"
    );
    app.close();
}

/// Meetings on the server: the window makes one, and its form's save after
/// another officer's save of the same meeting is refused, naming them;
/// what the other officer saved stays.
#[test]
fn a_meeting_form_saved_after_another_officers_save_is_refused() {
    use medlem_core::meetings::{self, seats::Overflow, MeetingInput};

    let url = new_database();
    let server = Path::new(&url);
    cli(
        server,
        &["org", "init", "--name", "Förbundet", "--country", "SE"],
    );
    let (app, _) = open_on_server(&url);
    open_meetings(&app);
    create_meeting(
        &app,
        &NewMeeting {
            title: "Styrelsemöte",
            date: "2030-03-12",
            time: "18:00",
            venue: "Kontoret",
            capacity: "12",
            ..Default::default()
        },
    );
    app.click("meeting-edit");
    app.wait_visible("meeting-form");
    // Another officer's Medlem moves the meeting meanwhile.
    let mut other = medlem_core::PgRegister::open(&url).expect("the other officer connects");
    let id = meetings::list(&other).unwrap()[0].id;
    let before = meetings::get(&other, id).unwrap();
    let moved = MeetingInput {
        kind: before.details.kind.as_str().into(),
        title: before.details.title.clone(),
        starts: "2030-03-12 18:00".into(),
        venue: "Folkets hus".into(),
        capacity: Some(12),
        version: Some(before.version),
        ..Default::default()
    };
    meetings::update(&mut other, id, &moved, Overflow::Refuse).unwrap();
    app.type_into("field-title", "Årsmöte");
    app.click("form-save");
    refused_naming_the_officer(&app, "error.meeting_changed", "server-meeting-refused");
    // Cancel: the meeting as the other officer left it.
    app.click("form-cancel");
    app.wait_gone("meeting-form");
    app.wait_text_contains("meeting-venue", "Folkets hus");
    let now = meetings::get(&other, id).unwrap();
    assert_eq!(
        (now.details.title.as_str(), now.details.venue.as_str()),
        ("Styrelsemöte", "Folkets hus"),
        "the other officer's save stays, nothing of the window's written"
    );
    app.close();
}

/// Grants on the server: the window's application form, saved after another
/// officer saved the same application, is refused naming them; what they
/// saved stays, and Cancel shows it.
#[test]
fn an_application_form_saved_after_another_officers_save_is_refused() {
    use medlem_core::grants::{self, Applicant, ApplicationInput, FundInput};
    use medlem_core::store::Register;
    use medlem_core::{Contact, MemberInput};

    let url = new_database();
    let server = Path::new(&url);
    cli(
        server,
        &["org", "init", "--name", "Förbundet", "--country", "SE"],
    );
    // Another officer's Medlem (medlem-core on its own connection) makes the
    // fund and Anna's application.
    let mut other = medlem_core::PgRegister::open(&url).expect("the other officer connects");
    let anna = other
        .create(&MemberInput {
            contact: Contact {
                first_name: "Anna".into(),
                last_name: "Ek".into(),
                ..Default::default()
            },
            ..Default::default()
        })
        .unwrap()
        .id;
    let fund = grants::fund_create(
        &mut other,
        &FundInput {
            name: "Initiativpotten".into(),
            period: "2030".into(),
            budget: "25 000".into(),
            ..Default::default()
        },
    )
    .unwrap();
    let form = |title: &str, version: Option<i64>| ApplicationInput {
        fund_id: fund.id,
        applicant_kind: "member".into(),
        applicant: Applicant {
            member_id: Some(anna),
            ..Default::default()
        },
        title: title.into(),
        amount: "3000".into(),
        version,
        ..Default::default()
    };
    let id = grants::apply(&mut other, &form("Studiecirkel", None))
        .unwrap()
        .application
        .id;

    let (app, _) = open_on_server(&url);
    app.click("nav-grants");
    app.click_containing("fund-row", "Initiativpotten");
    app.wait_text_contains("fund-title", "Initiativpotten");
    app.click_containing("application-row", "Studiecirkel");
    app.wait_text_contains("application-title", "Studiecirkel");
    app.click("application-edit");
    app.wait_visible("application-form");
    // The other officer renames it meanwhile.
    grants::edit(&mut other, id, &form("Studiecirkel i bokföring", Some(1))).unwrap();
    app.type_into("field-title", "Studiecirkel för nybörjare");
    app.click("form-save");
    refused_naming_the_officer(
        &app,
        "error.application_changed",
        "server-application-refused",
    );
    // Cancel: the application as the other officer left it.
    app.click("form-cancel");
    app.wait_gone("application-form");
    app.wait_text_contains("application-title", "Studiecirkel i bokföring");
    let now = grants::application(&other, id).unwrap().application;
    assert_eq!(
        (now.details.title.as_str(), now.version),
        ("Studiecirkel i bokföring", 2),
        "the other officer's save stays, nothing of the window's written"
    );
    app.close();
}

/// The office's register backed up from the window onto a stick: the same
/// verified backup as a file's; the Backup area says that a restore is done
/// on a computer (there is no safety copy of a server register here).
#[test]
fn a_register_on_the_server_is_backed_up_from_the_window() {
    let url = new_database();
    let server = Path::new(&url);
    cli(
        server,
        &["org", "init", "--name", "Förbundet", "--country", "SE"],
    );
    cli(
        server,
        &["members", "add", "--first", "Åsa", "--last", "Östlund"],
    );
    let (app, _) = open_on_server(&url);
    app.click("nav-backup");
    app.wait_visible("server-restore-note");
    assert!(!app.is_visible("safety-list"));
    let passphrase = "korv med bröd och senap";
    app.type_into("backup-passphrase", passphrase);
    app.type_into("backup-passphrase-repeat", passphrase);
    app.click("backup-passphrase-set");
    app.wait_visible("backup-passphrase-state");
    let stick = tempfile::tempdir().expect("a stick");
    app.type_into("backup-folder", &stick.path().display().to_string());
    app.click("backup-now");
    let result = app.wait_text_contains("backup-result", &i18n("en", "backup.verified"));
    assert!(result.contains(".medlem-backup"), "{result}");
    app.screenshot("server-backup");
    let mut names: Vec<String> = std::fs::read_dir(stick.path())
        .expect("the stick")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].ends_with(".medlem-backup"), "{names:?}");
    assert!(names[1].starts_with("medlem-backup-key-"), "{names:?}");
    // The sidebar tells how old the last backup is, as for a file.
    app.wait_text_contains("backup-age", fixed_part(&i18n("en", "backup.age")));
}

/// The parts of a database address `postgres://user:password@host:port/db`.
fn address_parts(url: &str) -> [String; 5] {
    let rest = url.trim_start_matches("postgres://");
    let (login, place) = rest.split_once('@').expect("a user");
    let (user, password) = login.split_once(':').expect("a password");
    let (host_port, database) = place.split_once('/').expect("a database");
    let (host, port) = host_port.split_once(':').expect("a port");
    [host, port, database, user, password].map(str::to_owned)
}

/// The club's register moves from the window onto an empty database on the
/// office server: another officer reads it there at once; a second move
/// into the same database is refused. Then a copy of the server's register
/// is saved on this computer from a window on the server.
#[test]
fn a_register_moves_to_the_server_from_the_window_and_a_copy_comes_back() {
    let (dir, _db, app) = register_with(&[ANNA, BO]);
    let url = new_database();
    let [host, port, database, user, password] = address_parts(&url);
    app.click("nav-settings");
    app.wait_text_contains("place-where", fixed_part(&i18n("en", "place.onComputer")));
    let fill = |app: &App| {
        app.click("place-move");
        app.wait_visible("place-dialog");
        for (name, value) in [
            ("place-host", &host),
            ("place-port", &port),
            ("place-database", &database),
            ("place-user", &user),
            ("place-password", &password),
        ] {
            app.type_into(name, value);
        }
        app.click("place-go");
    };
    fill(&app);
    let moved = app.wait_text_contains("place-result", "2 members");
    assert!(
        moved.contains(&format!("{user}@{host}:{port}/{database}")),
        "{moved}"
    );
    assert!(!moved.contains(&password), "{moved}");
    let address = app.text("place-address");
    assert!(
        address.contains(&format!("--db postgres://{user}@{host}")),
        "{address}"
    );
    app.screenshot("server-moved");
    let server = Path::new(&url);
    let listed = cli(server, &["members", "--json"]);
    assert!(
        listed.contains("Anna") && listed.contains("Berg"),
        "{listed}"
    );

    // The database holds the register now: a second move is refused.
    app.click("place-close");
    fill(&app);
    app.wait_text_contains("place-error", &i18n("en", "error.register_not_empty"));
    app.click("place-close");
    app.close();

    // From a window on the server: a copy in a new file on this computer.
    let (app, _) = open_on_server(&url);
    app.click("nav-settings");
    app.wait_text_contains("place-where", fixed_part(&i18n("en", "place.onServer")));
    app.click("place-copy");
    app.wait_visible("place-dialog");
    let copy = dir.path().join("kopia.sqlite");
    app.type_into("place-path", &copy.display().to_string());
    app.click("place-go");
    app.wait_text_contains("place-result", "2 members");
    app.screenshot("server-copied");
    let listed = cli(&copy, &["members", "--json"]);
    assert!(
        listed.contains("Anna") && listed.contains("Berg"),
        "{listed}"
    );
}

/// Medlem started on the office server without the password: the window
/// asks for it (a wrong one is refused and asked again, nothing opens), and
/// the register opens with the right one. The password is never shown.
#[test]
fn the_window_asks_for_the_servers_password_and_opens_the_register_with_it() {
    let url = new_database();
    cli(
        Path::new(&url),
        &["org", "init", "--name", "Förbundet", "--country", "SE"],
    );
    cli(
        Path::new(&url),
        &["members", "add", "--first", "Åsa", "--last", "Östlund"],
    );
    let [host, port, database, user, password] = address_parts(&url);
    let bare = format!("postgres://{user}@{host}:{port}/{database}");
    let app = App::launch_app(
        &medlem_app(),
        vec!["--db".into(), bare.clone().into()],
        Some(Path::new(&bare)),
    );
    app.wait_visible("login");
    assert_eq!(app.focused(), "login-password");
    app.type_into("login-password", "not the password");
    app.click("login-connect");
    let refused =
        app.wait_text_contains("login-error", fixed_part(&i18n("en", "error.server_login")));
    assert!(
        refused.contains(&format!("{user}@{host}:{port}/{database}")),
        "{refused}"
    );
    app.screenshot("server-login");
    app.type_into("login-password", &password);
    app.click("login-connect");
    wait_member_count(&app, 1);
    let place = app.wait_text_contains("register-place", "127.0.0.1");
    assert!(!place.contains(&password), "{place}");
}
