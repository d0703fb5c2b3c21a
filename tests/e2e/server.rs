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

/// "by <user>", as the window names the officer at `url`: its database user.
fn by_officer(url: &str) -> String {
    let user = url.trim_start_matches("postgres://").split(':').next();
    i18n("en", "history.by").replace("{user}", user.unwrap())
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
    // His history names the officer who wrote each line: the database user.
    let by = by_officer(&url);
    app.wait_visible("history-by");
    let written = app.all_texts("history-by");
    assert_eq!(written.len(), app.all_texts("history-entry").len());
    assert!(written.iter().all(|w| w.contains(&by)), "{written:?}");
    app.scroll_into_view("history-list");
    app.screenshot("server-history-by");
    app.click("member-edit");
    app.wait_visible("member-form");
    cli(server, &["members", "status", "1", "resigned"]);
    app.type_into("field-city", "Kiruna");
    app.click("form-save");
    refused_naming_the_officer(&app, "error.member_changed", "server-save-refused");
    // Cancel: Bo as the other officer left him, in his page and the list.
    app.click("form-cancel");
    app.wait_gone("member-form");
    let resigned = i18n("en", "status.resigned");
    app.wait_text_contains("detail-status", &resigned);
    app.wait_text_contains("member-row", &resigned);
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
    // The fund's list too.
    app.wait_text_contains("application-row", "Studiecirkel i bokföring");
    // Its steps name the officer who took them: the database user.
    let by = by_officer(&url);
    app.wait_text_contains("step-by", &by);
    app.scroll_into_view("step-list");
    app.screenshot("server-application-steps");
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

/// A register on the server with one member, made by another officer (the
/// CLI): the address's parts, and the address without the password.
fn office_with_one_member() -> ([String; 5], String) {
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
    ([host, port, database, user, password], bare)
}

/// Settings → Register location → Move, filled with the address's parts
/// (host, port, database, user, password), and Move pressed.
fn fill_move(app: &App, parts: &[String; 5]) {
    fill_server(app, "place-move", parts);
}

/// The office server's dialog that `opener` opens, filled and sent.
fn fill_server(app: &App, opener: &str, parts: &[String; 5]) {
    app.click(opener);
    app.wait_visible("place-dialog");
    let names = ["host", "port", "database", "user", "password"];
    for (name, value) in names.iter().zip(parts) {
        app.type_into(&format!("place-{name}"), value);
    }
    app.click("place-go");
}

/// This computer trusts no authority for the test server, and remembers
/// what it trusts in `home` (the app's environment).
fn untrusting(home: &Path) -> Vec<(String, Option<std::ffi::OsString>)> {
    vec![
        ("PGSSLROOTCERT".to_owned(), None),
        ("PGSSLMODE".to_owned(), None),
        (
            "XDG_DATA_HOME".to_owned(),
            Some(home.as_os_str().to_owned()),
        ),
    ]
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
    let fill = |app: &App| fill_move(app, &address_parts(&url));
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
    // The server's connection is encrypted, and the window says so.
    assert_eq!(app.text("place-tls"), i18n("en", "place.encrypted"));
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
    let (parts, bare) = office_with_one_member();
    let [host, port, database, user, password] = parts;
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

/// The first start on a server this computer has not connected to shows
/// the certificate's fingerprint; trusted, Medlem goes on (here to the
/// password, then the register). A later start that meets another
/// certificate says so, and opens nothing until the officer trusts it.
#[test]
fn the_window_shows_a_new_servers_certificate_and_refuses_a_changed_one() {
    let (parts, bare) = office_with_one_member();
    let [host, port, _, _, password] = parts;
    let home = tempfile::tempdir().unwrap();
    let app = App::launch_app_with_env(
        &medlem_app(),
        vec!["--db".into(), bare.clone().into()],
        Some(Path::new(&bare)),
        untrusting(home.path()),
    );
    app.wait_visible("trust");
    let text = app.text("trust-text");
    assert!(text.contains(&format!("{host}:{port}")), "{text}");
    assert!(
        text.contains(fixed_part(&i18n("en", "trust.textNew"))),
        "{text}"
    );
    let fingerprint = app.text("trust-fingerprint");
    assert_eq!(fingerprint.len(), 95, "{fingerprint}");
    assert_eq!(app.focused(), "trust-go");
    app.screenshot("server-trust");
    app.click("trust-go");
    // Trusted: the server asks for the password, then the register opens.
    app.wait_visible("login");
    app.type_into("login-password", &password);
    app.click("login-connect");
    wait_member_count(&app, 1);
    let known = home.path().join("se.medlem.desktop/known-servers.txt");
    let remembered = std::fs::read_to_string(&known).unwrap();
    assert!(
        remembered.contains(&format!("{host}:{port} {fingerprint}")),
        "{remembered}"
    );

    // Another certificate than the one trusted: refused at the start.
    std::fs::write(&known, remembered.replace(&fingerprint, &"0".repeat(95))).unwrap();
    let app = app.restart();
    app.wait_visible("trust");
    let text = app.text("trust-text");
    assert!(
        text.contains(fixed_part(&i18n("en", "trust.textChanged"))),
        "{text}"
    );
    assert_eq!(app.text("trust-fingerprint"), fingerprint);
    // The safe choice has the focus; the register did not open.
    assert_eq!(app.focused(), "trust-quit");
    assert!(!app.exists("login"));
    app.screenshot("server-tls-changed");
}

/// A move onto a server this computer has not connected to shows the
/// server certificate's fingerprint first and copies nothing; Move again
/// trusts it and moves.
#[test]
fn a_move_to_a_server_this_computer_does_not_know_shows_its_certificate_first() {
    let (dir, db) = medlem_e2e::fixtures::temp_db();
    cli(
        &db,
        &["org", "init", "--name", "Klubben", "--country", "SE"],
    );
    cli(
        &db,
        &["members", "add", "--first", "Åsa", "--last", "Östlund"],
    );
    let url = new_database();
    let parts = address_parts(&url);
    let app = App::launch_app_with_env(
        &medlem_app(),
        vec!["--db".into(), db.clone().into()],
        Some(&db),
        untrusting(dir.path()),
    );
    app.click("nav-settings");
    fill_move(&app, &parts);
    let said = app.wait_text_contains(
        "place-error",
        fixed_part(&i18n("en", "error.server_certificate_new")),
    );
    let known = dir.path().join("se.medlem.desktop/known-servers.txt");
    assert!(
        !known.exists(),
        "nothing trusted before the officer says so"
    );
    assert_eq!(app.text("place-go"), i18n("en", "place.trustGo"));
    app.screenshot("server-move-trust");
    app.click("place-go");
    // The database was left empty by the refusal: the move into it works.
    app.wait_text_contains("place-result", "1 member");
    let remembered = std::fs::read_to_string(&known).unwrap();
    let [host, port, ..] = &parts;
    let line = remembered
        .lines()
        .find(|l| l.starts_with(&format!("{host}:{port} ")))
        .expect("the server's certificate remembered");
    let fingerprint = line.split_once(' ').unwrap().1;
    assert!(said.contains(fingerprint), "{said}");
}

/// Settings → Register location → Open a register on the office server:
/// checked by connecting (a wrong password remembers nothing), then opened
/// from the next start without --db (the password asked for, not kept);
/// "Open the file on this computer again" goes back.
#[test]
fn a_register_on_the_server_is_opened_from_the_next_start_and_the_file_again_after() {
    let (parts, bare) = office_with_one_member();
    let [host, port, database, user, password] = parts.clone();
    let (dir, db) = medlem_e2e::fixtures::temp_db();
    cli(
        &db,
        &["org", "init", "--name", "Klubben", "--country", "SE"],
    );
    // This computer's Medlem folder is the test's own.
    let home = vec![(
        "XDG_DATA_HOME".to_owned(),
        Some(dir.path().as_os_str().to_owned()),
    )];
    let app = App::launch_app_with_env(
        &medlem_app(),
        vec!["--db".into(), db.clone().into()],
        Some(&db),
        home.clone(),
    );
    app.click("nav-settings");
    let mut wrong = parts.clone();
    wrong[4] = "not the password".into();
    fill_server(&app, "place-connect", &wrong);
    app.wait_text_contains("place-error", fixed_part(&i18n("en", "error.server_login")));
    let chosen = dir.path().join("se.medlem.desktop/register-location.txt");
    assert!(
        !chosen.exists(),
        "nothing remembered for a register that did not open"
    );
    app.click("place-close");
    fill_server(&app, "place-connect", &parts);
    app.wait_text_contains("place-result", &format!("{user}@{host}:{port}/{database}"));
    app.click("place-close");
    let next = app.wait_text_contains("place-remembered", &bare);
    assert!(!next.contains(&password), "{next}");
    app.scroll_into_view("place-forget");
    app.screenshot("server-next-start");
    app.close();

    // Started without --db: the register on the server, its password asked.
    let app = App::launch_app_with_env(&medlem_app(), Vec::new(), None, home.clone());
    app.wait_visible("login");
    app.type_into("login-password", &password);
    app.click("login-connect");
    wait_member_count(&app, 1);
    app.click("nav-settings");
    app.wait_text_contains("place-where", fixed_part(&i18n("en", "place.onServer")));
    app.click("place-forget");
    app.wait_gone("place-remembered");
    assert!(!chosen.exists());
    app.close();

    // And without --db again: the file in this computer's Medlem folder (new).
    let app = App::launch_app_with_env(&medlem_app(), Vec::new(), None, home);
    // A new register (the server's has its organisation): the welcome.
    app.wait_visible("org-name");
}

/// The register chosen for the next start is on a server that does not
/// answer: the start says so, and offers the file on this computer again.
#[test]
fn a_chosen_server_that_does_not_answer_offers_the_file_on_this_computer_again() {
    let home = tempfile::tempdir().unwrap();
    let folder = home.path().join("se.medlem.desktop");
    std::fs::create_dir_all(&folder).unwrap();
    // Nothing listens on port 9 of this computer.
    std::fs::write(
        folder.join("register-location.txt"),
        "postgres://kassor@127.0.0.1:9/medlem\n",
    )
    .unwrap();
    let env = vec![(
        "XDG_DATA_HOME".to_owned(),
        Some(home.path().as_os_str().to_owned()),
    )];
    let app = App::launch_app_with_env(&medlem_app(), Vec::new(), None, env.clone());
    let said = app.wait_text_contains(
        "fatal-error",
        fixed_part(&i18n("en", "error.server_unreachable")),
    );
    assert!(said.contains("127.0.0.1:9"), "{said}");
    // Where it is: on the server, not a file on this computer.
    let place = app.wait_text_contains("fatal-path", &i18n("en", "fatal.serverPlace"));
    assert!(place.contains("kassor@127.0.0.1:9/medlem"), "{place}");
    app.click("fatal-forget");
    app.wait_text_contains("fatal-forget-said", &i18n("en", "place.forgottenRestart"));
    assert!(!folder.join("register-location.txt").exists());
    app.screenshot("server-unreachable-back");
    app.close();
    let app = App::launch_app_with_env(&medlem_app(), Vec::new(), None, env);
    app.wait_visible("org-name");
}

/// The connection to the office server goes in the middle of an import (a
/// restart, a dropped network): the import is undone as a whole, the
/// window says so and offers to reconnect; reconnected, the officer works
/// on.
#[test]
fn a_connection_lost_during_an_import_keeps_nothing_and_the_window_reconnects() {
    let url = new_database();
    cli(
        Path::new(&url),
        &["org", "init", "--name", "Förbundet", "--country", "SE"],
    );
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("alla.csv");
    let mut text = String::from("Förnamn;Efternamn;Ort\n");
    for i in 0..30_000 {
        text.push_str(&format!("Åsa{i};Östlund{i};Umeå\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let (app, _) = open_on_server(&url);
    app.click("member-import");
    app.wait_visible("import-panel");
    app.type_into("import-path", &csv.display().to_string());
    app.click("import-read");
    app.wait_visible("import-mapping");
    app.click("import-commit");

    // The window's import is under way on the server: its connection ends.
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).expect("connect as admin");
    let ended: bool = app.poll("the import's transaction on the server", |_| {
        let rows = admin
            .query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND application_name = 'Medlem' \
                 AND xact_start IS NOT NULL AND pid <> pg_backend_pid()",
                &[],
            )
            .map_err(|e| e.to_string())?;
        Ok(rows.first().map(|r| r.get(0)))
    });
    assert!(ended);
    let said = app.wait_error("import-error");
    assert!(
        said.contains(fixed_part(&i18n("en", "error.server_lost"))),
        "{said}"
    );
    app.wait_visible("lost-banner");
    app.screenshot("server-lost");
    let count: i64 = admin
        .query_one("SELECT count(*) FROM members", &[])
        .unwrap()
        .get(0);
    assert_eq!(count, 0, "nothing of the import was kept");

    app.click("import-cancel");
    app.wait_gone("import-panel");
    app.click("lost-reconnect");
    app.wait_gone("lost-banner");
    app.wait_text_contains("toast", &i18n("en", "server.reconnected"));
    wait_member_count(&app, 0);
    add_member(
        &app,
        &NewMember {
            number: "",
            first: "Bo",
            last: "Berg",
            email: "",
            city: "Luleå",
            birth_date: "",
        },
    );
    wait_member_count(&app, 1);
}
