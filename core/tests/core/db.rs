//! Opening files: migrations, newer versions, unwritable paths, damage.

use medlem_core::{db, Error, Register, SqliteRegister};

use crate::person;

#[test]
fn a_new_file_is_created_migrated_and_reopened_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub").join("medlem.sqlite");
    {
        let mut r = SqliteRegister::open(&path).unwrap();
        r.create_org(&medlem_core::OrgInput {
            name: "Klubben".into(),
            country: "NO".into(),
            ..Default::default()
        })
        .unwrap();
        r.create(&person("Øystein", "Ærø")).unwrap();
    }
    let r = SqliteRegister::open(&path).unwrap();
    let version: i64 = r
        .connection()
        .query_row("PRAGMA user_version", [], |x| x.get(0))
        .unwrap();
    assert_eq!(version, db::SCHEMA_VERSION);
    let org = r.org().unwrap().unwrap();
    assert_eq!(
        (org.name.as_str(), org.currency.as_str()),
        ("Klubben", "NOK")
    );
    let page = r.list(&Default::default()).unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.items[0].last_name, "Ærø");
}

#[test]
fn a_database_from_a_newer_medlem_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.sqlite");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 9999;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = SqliteRegister::open(&path).err().expect("must refuse");
    assert_eq!(err.code(), "newer_database");
    assert!(err.to_string().contains("newer version of Medlem"), "{err}");
    assert!(matches!(err, Error::NewerDatabase { found: 9999, .. }));
    assert_eq!(std::fs::read(&path).unwrap(), before, "file changed");
    assert!(!dir.path().join("newer.sqlite-wal").exists());
}

#[test]
fn a_path_that_cannot_be_written_gives_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let err = SqliteRegister::open(&file.join("medlem.sqlite"))
        .err()
        .expect("must refuse");
    assert_eq!(err.code(), "database_unwritable");
    assert!(
        err.to_string().contains("cannot write the database"),
        "{err}"
    );

    let err = SqliteRegister::open(dir.path()).err().expect("a folder");
    assert_eq!(err.code(), "database_unwritable");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("members.sqlite");
    let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&path, &junk).unwrap();
    let err = SqliteRegister::open(&path).err().expect("must refuse");
    assert_eq!(err.code(), "database_corrupt");
    assert_eq!(std::fs::read(&path).unwrap(), junk);
}

#[test]
fn another_programs_sqlite_file_is_not_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE customers (id INTEGER);")
        .unwrap();
    let err = SqliteRegister::open(&path).err().expect("must refuse");
    assert_eq!(err.code(), "database_corrupt");
}

#[test]
fn after_a_large_commit_the_closed_register_is_whole_in_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.sqlite");
    {
        let mut r = SqliteRegister::open(&path).unwrap();
        // Thousands of members: a log of more pages than a commit folds in
        // itself, so the checkpoints' own connection is at work.
        medlem_core::demo::create(&mut r, 3000).unwrap();
        r.create(&person("Åsa", "Öberg")).unwrap();
    }
    // Closed: the log is folded in and gone, so the file alone holds
    // every member.
    assert!(!dir.path().join("big.sqlite-wal").exists());
    let c =
        rusqlite::Connection::open_with_flags(&path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM members", [], |x| x.get(0))
        .unwrap();
    assert_eq!(n, 3001);
}

/// A register on file at `path` with an organisation in Sweden, two
/// members with addresses and a fee of 1 200 kr a year.
fn dues_register(path: &std::path::Path) -> SqliteRegister {
    use medlem_core::dues::{fees, set_payments};
    use medlem_core::types::dues::{FeeRuleInput, PaymentsInput};
    let mut r = SqliteRegister::open(path).unwrap();
    r.create_org(&medlem_core::OrgInput {
        name: "Klubben".into(),
        country: "SE".into(),
        ..Default::default()
    })
    .unwrap();
    set_payments(
        &mut r,
        &PaymentsInput {
            bankgiro: Some("5050-1055".into()),
            ..Default::default()
        },
    )
    .unwrap();
    for (first, last) in [("Anna", "Ek"), ("Bo", "Berg")] {
        let mut p = person(first, last);
        p.contact.address.address1 = "Storgatan 1".into();
        p.contact.address.postcode = "111 22".into();
        p.contact.address.city = "Stad".into();
        r.create(&p).unwrap();
    }
    fees::set_rule(
        &mut r,
        &FeeRuleInput {
            period: "year".into(),
            amount: "1200".into(),
            valid_from: "2020-01-01".into(),
            ..Default::default()
        },
    )
    .unwrap();
    r
}

fn cash(member_id: i64, amount: &str) -> medlem_core::types::payments::HandPayment {
    medlem_core::types::payments::HandPayment {
        member_id,
        amount: amount.into(),
        method: "cash".into(),
        ..Default::default()
    }
}

/// The books' log as version 11 kept it: a row per voucher; and members
/// meetings and applications without the save counters of versions 14 and 15.
const BOOK_LOG_V11: &str = "ALTER TABLE members DROP COLUMN version;
     ALTER TABLE members DROP COLUMN changed_by;
     ALTER TABLE meetings DROP COLUMN version;
     ALTER TABLE meetings DROP COLUMN changed_by;
     ALTER TABLE grant_applications DROP COLUMN version;
     ALTER TABLE grant_applications DROP COLUMN changed_by;
     CREATE TABLE book_vouchers (
         key TEXT PRIMARY KEY, lines TEXT NOT NULL,
         export_id INTEGER NOT NULL REFERENCES book_exports (id) ON DELETE CASCADE)
         WITHOUT ROWID;
     INSERT INTO book_vouchers (key, lines, export_id)
         SELECT j.key, j.value, e.id FROM book_exports e, json_each(e.held) j;
     ALTER TABLE book_exports DROP COLUMN held;";

/// A file from before version 11 (a fee run cancelled and billed again,
/// one invoice paid) opens with its invoices and payments as they were;
/// the index that bills nobody twice now follows the `credited` column.
#[test]
fn a_register_from_version_10_keeps_its_dues_and_still_bills_nobody_twice() {
    use medlem_core::dues::pay;
    use medlem_core::dues::run::{cancel, run, RunOptions};
    use medlem_core::store::dues::InvoiceQuery;
    use medlem_core::store::Reads;
    use medlem_core::types::dues::InvoiceStatus;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("medlem.sqlite");
    let options = RunOptions {
        period: "2031".into(),
        ..Default::default()
    };
    let (paid_member, paid_account, payment) = {
        let mut r = dues_register(&path);
        let first = run(&mut r, &options).unwrap().run_id.unwrap();
        cancel(&mut r, first).unwrap();
        let again = run(&mut r, &options).unwrap().written;
        assert_eq!(again.len(), 2);
        let member = again[0].member_id;
        let payment = pay::add(&mut r, &cash(member, "500")).unwrap().id;
        let account = pay::account(&r, member).unwrap();
        // What version 10 made of it.
        r.connection().execute_batch(BOOK_LOG_V11).unwrap();
        r.connection()
            .execute_batch(
                "DROP INDEX invoices_once;
                 ALTER TABLE invoices DROP COLUMN credited;
                 CREATE UNIQUE INDEX invoices_once ON invoices (member_id, period)
                     WHERE status <> 'credited';
                 DROP INDEX member_history_status;
                 CREATE INDEX member_history_status ON member_history
                     (member_id, kind, effective_date);
                 CREATE TABLE allocations_v10 (
                     payment_id INTEGER NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
                     invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE RESTRICT,
                     amount     INTEGER NOT NULL CHECK (amount > 0),
                     PRIMARY KEY (payment_id, invoice_id));
                 INSERT INTO allocations_v10 SELECT payment_id, invoice_id, amount FROM allocations;
                 DROP TABLE allocations;
                 ALTER TABLE allocations_v10 RENAME TO allocations;
                 CREATE INDEX allocations_by_invoice ON allocations (invoice_id);
                 PRAGMA user_version = 10;",
            )
            .unwrap();
        (member, account, payment)
    };

    let mut r = SqliteRegister::open(&path).unwrap();
    let c = r.connection();
    let (credited, mismatched): (i64, i64) = c
        .query_row(
            "SELECT sum(credited), sum(credited <> (status = 'credited')) FROM invoices",
            [],
            |x| Ok((x.get(0)?, x.get(1)?)),
        )
        .unwrap();
    assert_eq!((credited, mismatched), (2, 0));
    let allocations_sql: String = c
        .query_row(
            "SELECT sql FROM sqlite_master WHERE name = 'allocations'",
            [],
            |x| x.get(0),
        )
        .unwrap();
    assert!(
        allocations_sql.contains("WITHOUT ROWID"),
        "{allocations_sql}"
    );
    assert_eq!(pay::account(&r, paid_member).unwrap(), paid_account);
    let paid = r
        .dues()
        .invoices(&InvoiceQuery {
            member_id: Some(paid_member),
            ..Default::default()
        })
        .unwrap();
    let mut statuses: Vec<InvoiceStatus> = paid.iter().map(|i| i.status).collect();
    statuses.sort_by_key(|s| s.as_str());
    assert_eq!(
        statuses,
        [InvoiceStatus::Credited, InvoiceStatus::PartlyPaid],
        "the first run's invoice credited, the second's paid in part"
    );
    let partly = paid.iter().find(|i| i.status == InvoiceStatus::PartlyPaid);

    // Billed once: the same period again bills nobody. The run is cancelled
    // once its payment is reversed: then the period is billed anew.
    assert!(matches!(run(&mut r, &options), Err(Error::NothingToBill)));
    let second = partly.and_then(|i| i.run_id).unwrap();
    assert!(cancel(&mut r, second).is_err());
    pay::reverse(&mut r, payment).unwrap();
    cancel(&mut r, second).unwrap();
    let credited: i64 = r
        .connection()
        .query_row(
            "SELECT count(*) FROM invoices WHERE credited = 1 AND status = 'credited'",
            [],
            |x| x.get(0),
        )
        .unwrap();
    assert_eq!(credited, 4);
    assert_eq!(run(&mut r, &options).unwrap().written.len(), 2);
    assert!(matches!(run(&mut r, &options), Err(Error::NothingToBill)));
}

/// A file from version 11 (its books' log a row per voucher) opens knowing
/// what its exports held: nothing is new, and a change since is booked as
/// a correction of the lines the export held.
#[test]
fn a_register_from_version_11_knows_what_its_exports_held() {
    use medlem_core::books::{self, ExportInput};
    use medlem_core::dues::pay;
    use medlem_core::dues::run::{run, RunOptions};
    use medlem_core::types::books::VoucherState;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("medlem.sqlite");
    let every = ExportInput {
        format: "sie4".into(),
        from: "2000-01-01".into(),
        to: "2099-12-31".into(),
        all: false,
    };
    let payment = {
        let mut r = dues_register(&path);
        let invoices = run(
            &mut r,
            &RunOptions {
                period: "2031".into(),
                ..Default::default()
            },
        )
        .unwrap()
        .written;
        let payment = pay::add(&mut r, &cash(invoices[0].member_id, "1200"))
            .unwrap()
            .id;
        let done = books::export(&mut r, &every, &dir.path().join("first.se")).unwrap();
        assert_eq!(done.new, 3);
        r.connection()
            .execute_batch(&format!("{BOOK_LOG_V11} PRAGMA user_version = 11;"))
            .unwrap();
        let logged: i64 = r
            .connection()
            .query_row("SELECT count(*) FROM book_vouchers", [], |x| x.get(0))
            .unwrap();
        assert_eq!(logged, 3);
        payment
    };

    let mut r = SqliteRegister::open(&path).unwrap();
    let e = books::export(&mut r, &every, &dir.path().join("again.se")).unwrap_err();
    assert!(matches!(e, Error::NothingToExport), "{e:?}");
    pay::reverse(&mut r, payment).unwrap();
    let preview = books::preview(&r, &every).unwrap();
    assert_eq!(
        (
            preview.export.new,
            preview.export.corrections,
            preview.export.earlier
        ),
        (0, 1, 2)
    );
    let correction = &preview.vouchers[0];
    assert_eq!(correction.state, VoucherState::Correction);
    let lines: Vec<(&str, i64)> = correction
        .lines
        .iter()
        .map(|l| (l.account.as_str(), l.amount))
        .collect();
    assert_eq!(lines, [("1930", -120_000), ("1510", 120_000)]);
}

/// Writing a payment or an invoice's status fills no temporary b-tree for
/// its CHECK constraints (migration 0013), and the constraints still hold:
/// in a register just made, and in one opened again.
#[test]
fn check_constraints_are_comparisons_that_still_refuse_what_they_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("medlem.sqlite");
    let ephemeral = |r: &SqliteRegister, sql: &str| -> usize {
        let mut stmt = r.connection().prepare(&format!("EXPLAIN {sql}")).unwrap();
        let ops: Vec<String> = stmt
            .query_map([], |x| x.get::<_, String>(1))
            .unwrap()
            .map(|o| o.unwrap())
            .collect();
        ops.iter().filter(|o| *o == "OpenEphemeral").count()
    };
    let insert = "INSERT INTO payments (method, date, amount, currency, state, created_at, \
                  updated_at) VALUES ('cash', '2031-01-01', 100, 'SEK', 'booked', 'x', 'x')";
    let update = "UPDATE invoices SET status = 'paid' WHERE id = 1";
    let holds = |r: &SqliteRegister| {
        assert_eq!((ephemeral(r, insert), ephemeral(r, update)), (0, 0));
        let wrong = r
            .connection()
            .execute(&insert.replace("'cash'", "'cheque'"), []);
        assert!(
            wrong
                .unwrap_err()
                .to_string()
                .contains("CHECK constraint failed"),
            "an unknown method is refused"
        );
        let wrong = r
            .connection()
            .execute(&insert.replace("'booked'", "'lost'"), []);
        assert!(wrong.is_err(), "an unknown state is refused");
        let sql: String = r
            .connection()
            .query_row(
                "SELECT group_concat(sql, ' ') FROM sqlite_schema WHERE type = 'table'",
                [],
                |x| x.get(0),
            )
            .unwrap();
        assert!(
            !sql.contains(" IN ('"),
            "no IN list left in a table's CHECK"
        );
    };
    holds(&dues_register(&path));
    holds(&SqliteRegister::open(&path).unwrap());
}
