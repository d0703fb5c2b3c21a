//! The CLI on a register on the office server (`--db postgres://...`): the
//! password from PGPASSWORD, never on the command line or in what it prints.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// A new database on the tests' server: its address without the password,
/// and the password.
fn new_database() -> (String, String) {
    let url = std::env::var("MEDLEM_TEST_PG").expect(
        "MEDLEM_TEST_PG is not set: run the tests with `cargo xtask test`, which starts a \
         PostgreSQL server for them",
    );
    let name = format!(
        "medlem_cli{}_{}",
        std::process::id(),
        DATABASES.fetch_add(1, Ordering::SeqCst)
    );
    postgres::Client::connect(&url, postgres::NoTls)
        .expect("connect to the test server")
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    let rest = url.trim_start_matches("postgres://");
    let (user_pass, host_db) = rest.split_once('@').unwrap();
    let (user, password) = user_pass.split_once(':').unwrap();
    let host = host_db.rsplit_once('/').unwrap().0;
    (
        format!("postgres://{user}@{host}/{name}"),
        password.to_owned(),
    )
}

/// medlem-cli on the register at `db` (without: the one this computer
/// opens) with `args`, the password in `PGPASSWORD` and no `~/.pgpass`.
fn medlem_cli(db: Option<&str>, password: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_medlem-cli"));
    if let Some(db) = db {
        command.arg("--db").arg(db);
    }
    command
        .args(args)
        .env_remove("MEDLEM_DB")
        .env("PGPASSWORD", password)
        .env("PGPASSFILE", "/nonexistent");
    command
}

/// `command` with this computer's folders (Medlem's data: what it trusts,
/// where its register is, the plaintext copy of a server register's
/// backup) in `home`.
fn at_home<'a>(command: &'a mut Command, home: &Path) -> &'a mut Command {
    command
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
}

fn cli(url: &str, password: &str, args: &[&str]) -> Output {
    medlem_cli(Some(url), password, args)
        .output()
        .expect("run medlem-cli")
}

fn ok(url: &str, password: &str, args: &[&str]) -> String {
    let out = cli(url, password, args);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{args:?} failed: {stderr}");
    assert!(!stdout.contains(password) && !stderr.contains(password));
    stdout
}

#[test]
fn members_added_on_the_server_are_listed_by_the_next_command() {
    let (url, password) = new_database();
    ok(
        &url,
        &password,
        &["org", "init", "--name", "Förbundet", "--country", "DK"],
    );
    let added = ok(
        &url,
        &password,
        &[
            "members", "add", "--first", "Søren", "--last", "Ærø", "--json",
        ],
    );
    let added: Value = serde_json::from_str(&added).unwrap();
    assert_eq!(added["number"], "1");
    let listed: Value = serde_json::from_str(&ok(
        &url,
        &password,
        &["members", "--json", "--search", "ærø"],
    ))
    .unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["firstName"], "Søren");
    // Its history names the officer: the database user.
    let user = url
        .trim_start_matches("postgres://")
        .split('@')
        .next()
        .unwrap();
    let history = ok(&url, &password, &["members", "history", "1"]);
    assert!(
        history.contains(&format!("created as number 1  by {user}")),
        "{history}"
    );
}

#[test]
fn a_wrong_password_is_one_line_that_names_the_server_and_not_the_password() {
    let (url, _) = new_database();
    let out = cli(&url, "wrong-password", &["members"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("refused the user name or password"), "{err}");
    assert!(err.contains(url.trim_start_matches("postgres://")), "{err}");
    assert!(!err.contains("wrong-password"), "{err}");
}

/// A database that holds another program's tables: refused in one line
/// that says so and where, and nothing of Medlem's is made there.
#[test]
fn a_database_of_another_program_is_refused_and_left_as_it_was() {
    let (url, password) = new_database();
    let (user, rest) = url
        .trim_start_matches("postgres://")
        .split_once('@')
        .unwrap();
    let mut admin = postgres::Client::connect(
        &format!("postgres://{user}:{password}@{rest}"),
        postgres::NoTls,
    )
    .unwrap();
    admin
        .batch_execute("CREATE TABLE kunder (id int); INSERT INTO kunder VALUES (1)")
        .unwrap();
    let out = cli(&url, &password, &["members"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("not a Medlem register"), "{err}");
    assert!(err.contains(rest), "{err}");
    let tables: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1, "nothing made there");
}

/// `cli` with the backup passphrase in the environment and this
/// computer's folders (Medlem's data, where the plaintext copy of a server
/// register is made) in `home`.
fn cli_at_home(db: &str, password: &str, home: &Path, args: &[&str]) -> Output {
    at_home(&mut medlem_cli(Some(db), password, args), home)
        .env("MEDLEM_PASSPHRASE", "korrekt häst batteri")
        .output()
        .expect("run medlem-cli")
}

/// The office's register backed up to a stick from the server: the same
/// encrypted file as a file's backup, which restores on a laptop; no
/// plaintext copy is left on the stick or on this computer.
#[test]
fn a_backup_of_a_server_register_restores_on_a_laptop() {
    let (url, password) = new_database();
    ok(
        &url,
        &password,
        &["org", "init", "--name", "Förbundet", "--country", "SE"],
    );
    for (first, last) in [("Åsa", "Östlund"), ("Søren", "Ærø")] {
        ok(
            &url,
            &password,
            &["members", "add", "--first", first, "--last", last],
        );
    }
    let home = tempfile::tempdir().unwrap();
    let stick = tempfile::tempdir().unwrap();
    let stick_path = stick.path().to_str().unwrap();
    // No passphrase yet, and none given: refused, the stick left empty.
    let out = cli_at_home(
        &url,
        &password,
        home.path(),
        &["backup", "--to", stick_path],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--new-passphrase"), "{err}");
    assert_eq!(std::fs::read_dir(stick.path()).unwrap().count(), 0);

    let out = cli_at_home(
        &url,
        &password,
        home.path(),
        &["backup", "--to", stick_path, "--new-passphrase", "--json"],
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["info"]["members"], 2);
    let mut on_stick: Vec<String> = std::fs::read_dir(stick.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_stick.sort();
    assert_eq!(on_stick.len(), 2, "{on_stick:?}");
    assert!(on_stick[0].ends_with(".medlem-backup"), "{on_stick:?}");
    assert!(
        on_stick[1].starts_with("medlem-backup-key-"),
        "{on_stick:?}"
    );
    // Nothing of the register left in plaintext on this computer.
    let left: Vec<_> = walk(home.path())
        .into_iter()
        .filter(|p| !p.is_dir())
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // On a laptop: restored into a file, with the passphrase alone.
    let laptop = home.path().join("laptop.sqlite");
    let laptop = laptop.to_str().unwrap();
    let backup = stick.path().join(&on_stick[0]);
    let out = cli_at_home(
        laptop,
        &password,
        home.path(),
        &["restore", backup.to_str().unwrap(), "--yes"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        member_names(laptop, &password, ""),
        ["Søren Ærø", "Åsa Östlund"]
    );
    assert_eq!(member_names(laptop, &password, "ærø"), ["Søren Ærø"]);
    // A backup is restored into a file; onto the server it goes by `move`.
    let out = cli_at_home(
        &url,
        &password,
        home.path(),
        &["restore", backup.to_str().unwrap(), "--yes"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(member_names(&url, &password, "").len(), 2);
}

/// Every path under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut all = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            all.extend(walk(&p));
        }
        all.push(p);
    }
    all
}

/// Meetings on the server from the command line: two officers' Medlems
/// entering yeses at the same moment for one seat give it to one; the
/// other waits in line.
#[test]
fn yeses_entered_at_once_on_the_server_give_the_one_seat_to_one() {
    let (url, password) = new_database();
    ok(
        &url,
        &password,
        &["org", "init", "--name", "Klubben", "--country", "SE"],
    );
    for first in ["Anna", "Bo"] {
        ok(
            &url,
            &password,
            &["members", "add", "--first", first, "--last", "Ek"],
        );
    }
    let m: Value = serde_json::from_str(&ok(
        &url,
        &password,
        &[
            "meeting",
            "create",
            "--kind",
            "course",
            "--title",
            "Kurs",
            "--starts",
            "2027-03-16 18:00",
            "--capacity",
            "1",
            "--json",
        ],
    ))
    .unwrap();
    let id = m["id"].as_i64().unwrap().to_string();
    ok(&url, &password, &["meeting", "invite", &id]);
    let officers: Vec<_> = ["1", "2"]
        .into_iter()
        .map(|number| {
            let (url, password, id) = (url.clone(), password.clone(), id.clone());
            std::thread::spawn(move || {
                ok(
                    &url,
                    &password,
                    &["meeting", "reply", &id, "--member", number, "--yes"],
                )
            })
        })
        .collect();
    for officer in officers {
        officer.join().unwrap();
    }
    let show: Value =
        serde_json::from_str(&ok(&url, &password, &["meeting", "show", &id, "--json"])).unwrap();
    assert_eq!(
        (show["seatsTaken"].as_i64(), show["seatsLeft"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(show["waiting"].as_array().unwrap().len(), 1, "{show}");
}

fn member_names(db: &str, password: &str, search: &str) -> Vec<String> {
    let listed: Value = serde_json::from_str(&ok(
        db,
        password,
        &["members", "--json", "--search", search],
    ))
    .unwrap();
    let mut names: Vec<String> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let part = |k: &str| m[k].as_str().unwrap().to_owned();
            format!("{} {}", part("firstName"), part("lastName"))
        })
        .collect();
    names.sort();
    names
}

/// A club grows into the office: its register moves from the file onto an
/// empty server database, works there, and a copy comes back into a new
/// file. A place that already holds a register is refused, and nothing of
/// it changes.
#[test]
fn a_register_moves_from_its_file_to_the_server_and_back_into_a_new_file() {
    let (url, password) = new_database();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("klubben.sqlite");
    let file = file.to_str().unwrap();
    ok(
        file,
        &password,
        &["org", "init", "--name", "Klubben", "--country", "SE"],
    );
    for (first, last) in [("Åsa", "Östlund"), ("Bo", "=HYPERLINK(\"x\")")] {
        ok(
            file,
            &password,
            &["members", "add", "--first", first, "--last", last],
        );
    }
    let moved = ok(file, &password, &["move", "--to", &url]);
    assert!(moved.contains("2 members"), "{moved}");
    assert!(
        moved.contains(url.trim_start_matches("postgres://")),
        "{moved}"
    );
    let everyone = vec!["Bo =HYPERLINK(\"x\")", "Åsa Östlund"];
    assert_eq!(member_names(&url, &password, ""), everyone);
    assert_eq!(member_names(&url, &password, "östl"), ["Åsa Östlund"]);
    let added = ok(
        &url,
        &password,
        &["members", "add", "--first", "Cilla", "--last", "Ek"],
    );
    assert!(added.contains("member 3"), "{added}");

    // The server holds a register now, and the file still does.
    let again = cli(file, &password, &["move", "--to", &url]);
    assert_eq!(again.status.code(), Some(1));
    let err = String::from_utf8(again.stderr).unwrap();
    assert!(err.contains("already holds a register"), "{err}");
    assert_eq!(member_names(&url, &password, "").len(), 3);
    let back = cli(&url, &password, &["move", "--to", file]);
    assert_eq!(back.status.code(), Some(1));
    assert_eq!(member_names(file, &password, ""), everyone);
    // From one server to another is not a move.
    let elsewhere = cli(&url, &password, &["move", "--to", &url]);
    assert_eq!(elsewhere.status.code(), Some(1));
    let err = String::from_utf8(elsewhere.stderr).unwrap();
    assert!(err.contains("--to"), "{err}");

    let copy = dir.path().join("kontoret.sqlite");
    let copy = copy.to_str().unwrap();
    let moved = ok(&url, &password, &["move", "--to", copy]);
    assert!(moved.contains("3 members"), "{moved}");
    assert_eq!(member_names(copy, &password, "ek"), ["Cilla Ek"]);
    assert_eq!(member_names(copy, &password, "").len(), 3);
}

/// `cli` as on a computer that trusts no authority for the server (no
/// PGSSLROOTCERT) and keeps what it trusts in `home`.
#[cfg(unix)] // Windows keeps Medlem's folder where the environment does not say
fn cli_untrusting(db: &str, password: &str, home: &Path, args: &[&str]) -> Output {
    at_home(&mut medlem_cli(Some(db), password, args), home)
        .env_remove("PGSSLROOTCERT")
        .env_remove("PGSSLMODE")
        .output()
        .expect("run medlem-cli")
}

/// The first connection from this computer shows the server certificate's
/// fingerprint and opens nothing; `trust` with it opens the register from
/// then on; a certificate other than the one trusted is refused again.
#[cfg(unix)]
#[test]
fn a_server_is_trusted_by_its_certificates_fingerprint_once_and_a_changed_one_is_refused() {
    let (url, password) = new_database();
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| cli_untrusting(&url, &password, home.path(), args);

    let first = run(&["members"]);
    assert_eq!(first.status.code(), Some(1));
    let err = String::from_utf8(first.stderr).unwrap();
    assert!(
        err.contains("has not connected to the office server"),
        "{err}"
    );
    let fingerprint = err
        .lines()
        .find(|l| l.contains("medlem-cli --db"))
        .and_then(|l| l.rsplit_once(" trust "))
        .map(|(_, f)| f.trim().to_owned())
        .expect("the command that trusts it, with the fingerprint");
    assert_eq!(fingerprint.len(), 95, "{fingerprint}");
    assert!(err.contains(&fingerprint));

    let trusted = run(&["--json", "trust", &fingerprint.to_lowercase()]);
    let said = String::from_utf8(trusted.stdout).unwrap();
    assert!(
        trusted.status.success(),
        "{}",
        String::from_utf8_lossy(&trusted.stderr)
    );
    let said: Value = serde_json::from_str(&said).unwrap();
    assert_eq!(said["fingerprint"], fingerprint.as_str());
    assert_eq!(said["encrypted"], true);
    let known = home.path().join("data/se.medlem.desktop/known-servers.txt");
    assert!(std::fs::read_to_string(&known)
        .unwrap()
        .contains(&fingerprint));
    assert!(
        run(&["org", "init", "--name", "Kontoret", "--country", "SE"])
            .status
            .success()
    );

    // The server shows another certificate than the one trusted.
    let text = std::fs::read_to_string(&known).unwrap();
    std::fs::write(&known, text.replace(&fingerprint, &"0".repeat(95))).unwrap();
    let changed = run(&["members"]);
    assert_eq!(changed.status.code(), Some(1));
    let err = String::from_utf8(changed.stderr).unwrap();
    assert!(err.contains("another certificate than before"), "{err}");
    assert!(err.contains(&format!("trust {fingerprint}")), "{err}");

    // Trusting is for a register on a server only.
    let file = home.path().join("r.sqlite");
    let on_file = cli(file.to_str().unwrap(), &password, &["trust", &fingerprint]);
    assert_eq!(on_file.status.code(), Some(1));
    assert!(String::from_utf8(on_file.stderr).unwrap().contains("--db"));
    assert!(!file.exists(), "no register made for a trust");
}

/// `location --remember` makes the register of --db (a file, or a server's
/// after connecting) the one `medlem-cli` and the window open without
/// --db, kept without the password; `--forget` goes back to the file in
/// Medlem's folder.
#[cfg(unix)] // Windows keeps Medlem's folder where the environment does not say
#[test]
fn the_register_remembered_is_opened_without_db_and_forgotten_again() {
    let (url, password) = new_database();
    ok(
        &url,
        &password,
        &["org", "init", "--name", "Kontoret", "--country", "SE"],
    );
    ok(
        &url,
        &password,
        &["members", "add", "--first", "Åsa", "--last", "Östlund"],
    );
    let home = tempfile::tempdir().unwrap();
    let plain = |args: &[&str]| {
        let out = at_home(&mut medlem_cli(None, &password, args), home.path())
            .output()
            .expect("run medlem-cli");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{args:?}: {stderr}");
        String::from_utf8(out.stdout).unwrap()
    };
    let default = home.path().join("data/se.medlem.desktop/medlem.sqlite");
    let said = plain(&["location"]);
    assert!(said.contains(&default.display().to_string()), "{said}");

    // A file that is not a register file is refused, nothing remembered.
    let refused = cli(
        home.path().to_str().unwrap(),
        &password,
        &["location", "--remember"],
    );
    assert_eq!(refused.status.code(), Some(1));
    let chosen = home
        .path()
        .join("data/se.medlem.desktop/register-location.txt");
    assert!(!chosen.exists());

    let with_password = url.replacen("@", &format!(":{password}@"), 1);
    let said = plain(&["--db", &with_password, "--json", "location", "--remember"]);
    let said: Value = serde_json::from_str(&said).unwrap();
    assert_eq!(said["opens"], url.as_str());
    assert_eq!(said["chosen"], true);
    assert!(!std::fs::read_to_string(&chosen)
        .unwrap()
        .contains(&password));
    let listed = plain(&["members", "--json"]);
    assert!(listed.contains("Östlund"), "{listed}");

    plain(&["location", "--forget"]);
    assert!(!chosen.exists());
    plain(&["org", "init", "--name", "Klubben", "--country", "SE"]);
    assert!(
        default.exists(),
        "without --db: the file in Medlem's folder again"
    );
    assert!(!plain(&["members", "--json"]).contains("Östlund"));
}
