//! Opening the SQLite file and migrating it.
//!
//! Migrations are append-only and numbered; `PRAGMA user_version` holds the
//! number of the last one applied. They run in one transaction when the
//! database opens. A database from a newer Medlem is refused before anything
//! is written to it.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use crate::error::{Error, Result};

/// One migration: SQL, or a step SQL cannot say, in Rust.
enum Migration {
    Sql(&'static str),
    Rust(fn(&rusqlite::Transaction) -> rusqlite::Result<()>),
}

/// The migrations, in order. Never edit or remove one: append.
const MIGRATIONS: &[Migration] = &[
    Migration::Sql(include_str!("migrations/0001_register.sql")),
    Migration::Sql(include_str!("migrations/0002_letters.sql")),
    Migration::Sql(include_str!("migrations/0003_meetings.sql")),
    Migration::Sql(include_str!("migrations/0004_grants.sql")),
    Migration::Sql(include_str!("migrations/0005_scheduled_status.sql")),
    Migration::Sql(include_str!("migrations/0006_dues.sql")),
    Migration::Sql(include_str!("migrations/0007_payments.sql")),
    Migration::Sql(include_str!("migrations/0008_reminders.sql")),
    Migration::Sql(include_str!("migrations/0009_books.sql")),
    Migration::Sql(include_str!("migrations/0010_fewer_index_writes.sql")),
    Migration::Sql(include_str!("migrations/0011_lighter_lines.sql")),
    Migration::Sql(include_str!("migrations/0012_book_log.sql")),
    // 0013: CHECK constraints as comparisons (`checks.rs`).
    Migration::Rust(super::checks::as_comparisons),
    Migration::Sql(include_str!("migrations/0014_member_versions.sql")),
    Migration::Sql(include_str!("migrations/0015_form_versions.sql")),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Opens (creating if needed) the database at `path` and brings its schema up
/// to date.
pub fn open(path: &Path) -> Result<Connection> {
    let unwritable = |source: Box<dyn std::error::Error + Send + Sync>| Error::Unwritable {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.exists() {
            // A data folder Medlem makes is this user's alone.
            std::fs::create_dir_all(parent).map_err(|e| unwritable(Box::new(e)))?;
            crate::scratch::private(parent).map_err(|e| unwritable(Box::new(e)))?;
        }
        // What a crash left: plaintext scratch copies, unfinished files.
        crate::scratch::sweep(parent);
        crate::scratch::sweep(&parent.join("safety"));
    }
    if path.is_dir() {
        return Err(unwritable("it is a folder, not a file".into()));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| unwritable(Box::new(e)))?;
    let corrupt = |source: rusqlite::Error| Error::Corrupt {
        path: path.to_owned(),
        source: Box::new(source),
    };
    // Read the version before anything writes: a newer file stays untouched.
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(corrupt)?;
    if found > SCHEMA_VERSION {
        return Err(Error::NewerDatabase {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found == 0 && has_foreign_tables(&conn).map_err(corrupt)? {
        return Err(Error::Corrupt {
            path: path.to_owned(),
            source: Box::new(rusqlite::Error::InvalidQuery),
        });
    }
    crate::atomic_file::protect(path);
    // The register is this user's alone (where the system has modes; a
    // file someone else made keeps its own).
    let _ = crate::scratch::private(path);
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // What is deleted (a member erased) is overwritten in the file, not
    // just unlinked.
    conn.pragma_update(None, "secure_delete", true)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(|e| classify_write_error(path, e))?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        return Err(unwritable(
            format!("the file system refused write-ahead logging ({mode})").into(),
        ));
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // 64 MB of page cache: a 100 000-member import touches every index, and
    // with SQLite's 2 MB default it spends its time re-reading pages.
    conn.pragma_update(None, "cache_size", -65_536)?;
    migrate(conn, found).map_err(|e| classify_write_error(path, e))
}

/// An in-memory database with the current schema, for tests and benchmarks.
pub fn open_in_memory() -> Result<Connection> {
    let conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(migrate(conn, 0)?)
}

/// The organisation's alphabet for sorting by a name kept without a sort key
/// (a workplace): `nordic_se` (… x y z å ä ö) and `nordic_dk` (Danish and
/// Norwegian, … x y z æ ø å). Used in `ORDER BY` only, never in the schema,
/// so the file opens anywhere.
fn add_collations(conn: &Connection) -> rusqlite::Result<()> {
    use crate::text::sort_key;
    use crate::types::Country;
    conn.create_collation("nordic_se", |a, b| {
        sort_key(a, Country::Se).cmp(&sort_key(b, Country::Se))
    })?;
    conn.create_collation("nordic_dk", |a, b| {
        sort_key(a, Country::Dk).cmp(&sort_key(b, Country::Dk))
    })
}

fn migrate(mut conn: Connection, found: i64) -> rusqlite::Result<Connection> {
    add_collations(&conn)?;
    if found < SCHEMA_VERSION {
        let tx = conn.transaction()?;
        for step in &MIGRATIONS[found as usize..] {
            match step {
                Migration::Sql(sql) => tx.execute_batch(sql)?,
                Migration::Rust(step) => step(&tx)?,
            }
        }
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
    }
    Ok(conn)
}

/// A version-0 file that already has tables is somebody else's database.
fn has_foreign_tables(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table'",
        [],
        |r| r.get(0),
    )
}

fn classify_write_error(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ffi::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(ReadOnly | CannotOpen | PermissionDenied | DiskFull | SystemIoFailure) => {
            Error::Unwritable {
                path: path.to_owned(),
                source: Box::new(e),
            }
        }
        Some(NotADatabase | DatabaseCorrupt) => Error::Corrupt {
            path: path.to_owned(),
            source: Box::new(e),
        },
        _ => Error::from(e),
    }
}

/// The desktop app's identifier; its per-user data folder carries this name.
pub const APP_ID: &str = "se.medlem.desktop";

/// Where the database lives when nobody says otherwise: `medlem.sqlite` in
/// the per-user app data folder that Tauri uses for [`APP_ID`]
/// (`~/.local/share/se.medlem.desktop` on Linux, `%APPDATA%\se.medlem.desktop`
/// on Windows, `~/Library/Application Support/se.medlem.desktop` on macOS).
pub fn default_path() -> Option<PathBuf> {
    let dirs = directories::BaseDirs::new()?;
    Some(dirs.data_dir().join(APP_ID).join("medlem.sqlite"))
}

/// The write-ahead log's size (in pages) from which a commit has it folded
/// into the file: SQLite's own default.
const CHECKPOINT_PAGES: i32 = 1000;

/// Has the write-ahead log of `conn` folded into the file by a thread of
/// its own, on its own connection, after each commit that leaves it over
/// [`CHECKPOINT_PAGES`]. SQLite does this in the commit itself: a bank file
/// of 100 000 payments waited a fifth of a second longer for it. If the
/// thread cannot start, or stops, the commit does it as SQLite would.
pub(super) fn checkpoint_in_background(
    conn: &mut Connection,
    path: &Path,
) -> Result<Option<std::thread::JoinHandle<()>>> {
    let (wake, woken) = std::sync::mpsc::channel::<()>();
    let file = path.to_owned();
    let thread = std::thread::Builder::new()
        .name("medlem-checkpoints".into())
        .spawn(move || {
            // Its connection is opened when first needed: most registers
            // (a CLI command, a test) never write that much.
            let mut c: Option<Connection> = None;
            while woken.recv().is_ok() {
                // Several commits meanwhile: one checkpoint folds them all.
                while woken.try_recv().is_ok() {}
                if c.is_none() {
                    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
                    let Ok(opened) = Connection::open_with_flags(&file, flags) else {
                        return;
                    };
                    let _ = opened.busy_timeout(std::time::Duration::from_secs(5));
                    c = Some(opened);
                }
                if let Some(c) = &c {
                    let _ = c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            }
        })
        .ok();
    conn.wal_hook(Some(
        move |wal: &mut rusqlite::hooks::Wal, pages: std::os::raw::c_int| {
            if pages >= CHECKPOINT_PAGES && wake.send(()).is_err() {
                wal.checkpoint()?;
            }
            Ok(())
        },
    ))?;
    Ok(thread)
}

/// Stops the checkpoints [`checkpoint_in_background`] started: the hook
/// (which holds the only way to wake the thread) goes, and the thread ends
/// after the checkpoint it may be making.
pub(super) fn stop_checkpoints(conn: &mut Connection, thread: Option<std::thread::JoinHandle<()>>) {
    type Hook = fn(&mut rusqlite::hooks::Wal, std::os::raw::c_int) -> rusqlite::Result<()>;
    let _ = conn.wal_hook(None::<Hook>);
    if let Some(thread) = thread {
        let _ = thread.join();
    }
}
