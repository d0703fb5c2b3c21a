//! The app's state (the open register) and the error the UI receives.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use medlem_core::error::ErrorCode;
use medlem_core::lock::{self, LockNote};
use medlem_core::store::postgres::moving::Moved;
use medlem_core::store::Store;
use medlem_core::{Error, FieldCode, PgRegister, SqliteRegister};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};

use crate::error::CommandError;
use crate::events::BackupEvent;

/// The open register, or why it could not be opened.
pub struct AppState {
    pub db_path: PathBuf,
    /// Set by `import_cancel`, `letters_cancel` or `members_bulk_cancel`
    /// while that long work runs (it holds the register).
    pub cancel: AtomicBool,
    /// Set once the window may close (the backup on closing is done or was
    /// declined).
    pub may_close: AtomicBool,
    /// Where background backups (schedule, closing) report, once the window
    /// has asked with `backup_watch`.
    pub backup_events: Mutex<Option<Channel<BackupEvent>>>,
    /// The PDFs this run of the app wrote: only these may be opened in the
    /// system's viewer (`pdf_open`).
    pub written_pdfs: Mutex<Vec<PathBuf>>,
    /// Set when the register is on an office server: where
    /// (`user@host:port/database`, never the password).
    pub server: Option<String>,
    /// The office server's address as given (without a password: one in it
    /// never gets as far as asking), for the window's password.
    server_url: Option<String>,
    register: Mutex<Result<Open, StartupError>>,
}

/// The open register: the file on this computer, or a database on the
/// office server.
enum Open {
    File(SqliteRegister),
    /// Boxed: the server's connection settings make it the larger one.
    Server(Box<PgRegister>),
}

/// Connects to the register on the server at `url` with the password typed
/// (none: from the address, `PGPASSWORD` or `~/.pgpass`), first trusting
/// the certificate the officer was shown and said yes to, if any.
fn connect(url: &str, password: &str, trusted: Option<&str>) -> medlem_core::Result<PgRegister> {
    if let Some(fingerprint) = trusted {
        PgRegister::trust_certificate(url, fingerprint)?;
    }
    match password.is_empty() {
        true => PgRegister::open(url),
        false => PgRegister::open_with_password(url, password),
    }
}

/// A `--db` that names a register on an office server.
pub fn server_address(location: &Path) -> Option<&str> {
    location
        .to_str()
        .filter(|s| s.starts_with("postgres://") || s.starts_with("postgresql://"))
}

/// Why the database could not be opened at start-up; shown on the fatal
/// screen, or (code `in_use`) on the screen that asks whether to open a
/// register another computer has marked as in use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StartupError {
    pub code: ErrorCode,
    pub message: String,
    /// For `in_use`: who marked it.
    pub lock: Option<LockNote>,
    /// For `server_certificate_new` and `tls_changed`: the SHA-256
    /// fingerprint of the certificate the server showed.
    pub fingerprint: Option<String>,
}

impl StartupError {
    fn to_command_error(&self) -> CommandError {
        CommandError::plain(self.code, self.message.clone())
    }

    fn from_error(e: Error) -> Self {
        StartupError {
            code: e.code(),
            message: e.to_string(),
            lock: None,
            fingerprint: e.details().fingerprint,
        }
    }
}

impl AppState {
    /// Opens the register at `db_path`, unless another computer (or another
    /// Medlem on this one) has marked it as in use.
    pub fn open(db_path: PathBuf) -> Self {
        if let Some(url) = server_address(&db_path) {
            // The password from the address, PGPASSWORD or ~/.pgpass.
            let place = PgRegister::place_of(url);
            let register = PgRegister::open(url)
                .map(|r| Open::Server(Box::new(r)))
                .map_err(StartupError::from_error);
            return AppState {
                // What the window shows of it: never the password.
                db_path: place.clone().into(),
                server: Some(place),
                server_url: Some(url.to_owned()),
                cancel: AtomicBool::new(false),
                may_close: AtomicBool::new(false),
                backup_events: Mutex::new(None),
                written_pdfs: Mutex::new(Vec::new()),
                register: Mutex::new(register),
            };
        }
        // The window asks whether to open a register in use elsewhere, so
        // it gets the note as well as core's refusal.
        let register = match lock::refuse_if_in_use(&db_path) {
            Err(e) => Err(StartupError {
                lock: lock::foreign(&db_path),
                ..StartupError::from_error(e)
            }),
            Ok(()) => Self::open_and_mark(&db_path),
        };
        AppState {
            db_path,
            cancel: AtomicBool::new(false),
            may_close: AtomicBool::new(false),
            backup_events: Mutex::new(None),
            written_pdfs: Mutex::new(Vec::new()),
            server: None,
            server_url: None,
            register: Mutex::new(register),
        }
    }

    fn open_and_mark(db_path: &Path) -> Result<Open, StartupError> {
        let r = SqliteRegister::open(db_path).map_err(StartupError::from_error)?;
        // A register that opens is writable, so the note can be written; a
        // failure here must not keep the user from their register.
        let _ = lock::take(db_path);
        Ok(Open::File(r))
    }

    /// Connects to the office server with the password the officer typed,
    /// after it refused the start without one (`server_login` again for a
    /// wrong one; nothing changes).
    pub fn login(&self, password: &str) -> Result<(), CommandError> {
        let Some(url) = &self.server_url else {
            return Err(Error::field("password", FieldCode::InvalidChoice).into());
        };
        let mut guard = self.lock();
        if guard.is_ok() {
            return Ok(());
        }
        let server = PgRegister::open_with_password(url, password)?;
        *guard = Ok(Open::Server(Box::new(server)));
        Ok(())
    }

    /// Trusts the certificate the server showed (`fingerprint`, after
    /// `server_certificate_new` or `tls_changed` at the start) on this
    /// computer from now on, and connects again: the register opens, or the
    /// start's refusal is the next one (the password, say).
    pub fn trust(&self, fingerprint: &str) -> Result<(), CommandError> {
        let Some(url) = &self.server_url else {
            return Err(Error::field("fingerprint", FieldCode::InvalidChoice).into());
        };
        let mut guard = self.lock();
        if guard.is_ok() {
            return Ok(());
        }
        PgRegister::trust_certificate(url, fingerprint)?;
        *guard = PgRegister::open(url)
            .map(|r| Open::Server(Box::new(r)))
            .map_err(StartupError::from_error);
        Ok(())
    }

    /// Connects to the register on the server at `url` with the password
    /// typed (and the certificate the officer trusted, if shown), to check
    /// that it opens; then remembers it as the register of the starts
    /// without `--db`. Its place (`user@host:port/database`).
    pub fn use_server(
        &self,
        url: &str,
        password: &str,
        trusted: Option<&str>,
    ) -> Result<String, CommandError> {
        let server = connect(url, password, trusted)?;
        medlem_core::location::remember(Some(url))?;
        Ok(server.place().to_owned())
    }

    /// Whether the connection to the office server is encrypted (`None`
    /// for a register in a file, or one that did not open).
    pub fn encrypted(&self) -> Option<bool> {
        match &*self.lock() {
            Ok(Open::Server(r)) => r.encrypted().ok(),
            _ => None,
        }
    }

    /// The user decided to open a register marked as in use elsewhere.
    pub fn open_anyway(&self) -> Result<(), CommandError> {
        let mut guard = self.lock();
        if guard.is_ok() || self.server.is_some() {
            return Ok(());
        }
        let _ = lock::take(&self.db_path);
        *guard = Self::open_and_mark(&self.db_path);
        match &*guard {
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_command_error()),
        }
    }

    /// Closes the register, runs `f` on its file (a restore), and opens it
    /// again, whether `f` succeeded or not.
    pub fn swap<T>(
        &self,
        f: impl FnOnce(&Path) -> medlem_core::Result<T>,
    ) -> Result<T, CommandError> {
        if self.server.is_some() {
            return Err(Error::NotOnServer.into());
        }
        let mut guard = self.lock();
        // A damaged register may be replaced by a backup; one in use
        // elsewhere or from a newer Medlem may not.
        if let Err(e) = &*guard {
            if e.code != ErrorCode::DatabaseCorrupt {
                return Err(e.to_command_error());
            }
        }
        // Dropping the register closes its connection (and checkpoints WAL).
        *guard = Err(StartupError {
            code: ErrorCode::Internal,
            message: "the register is being replaced".into(),
            lock: None,
            fingerprint: None,
        });
        let result = caught(|| f(&self.db_path).map_err(CommandError::from));
        // Reopened however the swap ended, a panic included: the window is
        // never left with "the register is being replaced".
        *guard = Self::open_and_mark(&self.db_path);
        result
    }

    /// Removes our in-use note (when the window closes).
    pub fn release(&self) {
        if self.server.is_none() {
            lock::release(&self.db_path);
        }
    }

    pub fn startup_error(&self) -> Option<StartupError> {
        match &*self.lock() {
            Ok(_) => None,
            Err(e) => Some(e.clone()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Result<Open, StartupError>> {
        // A panic while holding the lock leaves the register usable: SQLite
        // rolled back the unfinished transaction.
        self.register.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Notes a PDF this run wrote, so `pdf_open` may open it.
    pub fn remember_pdf(&self, path: &Path) {
        self.written_pdfs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(path.to_owned());
    }

    /// Sends a background backup's news to the window, if it listens.
    pub fn tell(&self, event: BackupEvent) {
        let guard = self.backup_events.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(ch) = &*guard {
            let _ = ch.send(event);
        }
    }

    /// Runs `f` on the register's store, mapping errors for the UI.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> medlem_core::Result<T>,
    ) -> Result<T, CommandError> {
        let mut guard = self.lock();
        match &mut *guard {
            Ok(Open::File(r)) => caught(|| f(r).map_err(CommandError::from)),
            Ok(Open::Server(r)) => caught(|| f(&mut **r).map_err(CommandError::from)),
            Err(e) => Err(e.to_command_error()),
        }
    }

    /// Backs up the register: `file` on the file, `server` on a register on
    /// the office server (copied into a scratch file on this computer).
    pub fn backup_with<T>(
        &self,
        file: impl FnOnce(&mut SqliteRegister) -> medlem_core::Result<T>,
        server: impl FnOnce(&mut PgRegister) -> medlem_core::Result<T>,
    ) -> Result<T, CommandError> {
        let mut guard = self.lock();
        match &mut *guard {
            Ok(Open::File(r)) => caught(|| file(r).map_err(CommandError::from)),
            Ok(Open::Server(r)) => caught(|| server(r).map_err(CommandError::from)),
            Err(e) => Err(e.to_command_error()),
        }
    }

    /// Copies the register in its file onto the empty server database at
    /// `url` (`password` typed by the officer), whole; the file stays as it
    /// was (`not_on_server` for a register already on a server).
    pub fn move_to_server(
        &self,
        url: &str,
        password: &str,
        trusted: Option<&str>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<(Moved, String), CommandError> {
        let mut guard = self.lock();
        let file = match &mut *guard {
            Ok(Open::File(r)) => r,
            Ok(Open::Server(_)) => return Err(Error::NotOnServer.into()),
            Err(e) => return Err(e.to_command_error()),
        };
        caught(|| {
            let mut server = connect(url, password, trusted)?;
            let moved = server.copy_from_file(file, progress, &self.cancel)?;
            Ok((moved, server.place().to_owned()))
        })
    }

    /// Copies the register on the server into a new file at `path` (or an
    /// empty register there); a new file the copy did not fill is removed.
    pub fn copy_to_file(
        &self,
        path: &Path,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Moved, CommandError> {
        let mut guard = self.lock();
        match &mut *guard {
            Ok(Open::Server(r)) => caught(|| Ok(r.copy_to_path(path, progress, &self.cancel)?)),
            Ok(Open::File(_)) => Err(Error::field("path", FieldCode::InvalidChoice).into()),
            Err(e) => Err(e.to_command_error()),
        }
    }

    /// Runs `f` on the SQLite register itself: a restore's look at a backup,
    /// which is about the file as a file (`not_on_server` for a register on
    /// the server).
    pub fn with_file<T>(
        &self,
        f: impl FnOnce(&mut SqliteRegister) -> medlem_core::Result<T>,
    ) -> Result<T, CommandError> {
        let mut guard = self.lock();
        match &mut *guard {
            Ok(Open::File(r)) => caught(|| f(r).map_err(CommandError::from)),
            Ok(Open::Server(_)) => Err(Error::NotOnServer.into()),
            Err(e) => Err(e.to_command_error()),
        }
    }
}

/// Runs a command's body on one of the runtime's blocking threads, with the
/// app's state. Commands on the register do (long work, or waiting for the
/// register while long work holds it), so the async runtime's few workers
/// (two on a two-core computer) stay free: `import_cancel`,
/// `letters_cancel` and `members_bulk_cancel` are answered at once whatever
/// else runs.
pub async fn off_runtime<R: Runtime, T: Send + 'static>(
    app: AppHandle<R>,
    f: impl FnOnce(&AppState) -> Result<T, CommandError> + Send + 'static,
) -> Result<T, CommandError> {
    tauri::async_runtime::spawn_blocking(move || caught(|| f(&app.state::<AppState>())))
        .await
        .unwrap_or_else(|e| {
            Err(CommandError::plain(
                ErrorCode::Internal,
                format!("Medlem met an error it did not expect ({e}); nothing was saved halfway"),
            ))
        })
}

/// Runs `f`; a panic inside it becomes an `internal` error the window can
/// show (instead of a promise that never settles). A unit of work the panic
/// interrupted is rolled back as it unwinds; the register stays open.
pub fn caught<T>(f: impl FnOnce() -> Result<T, CommandError>) -> Result<T, CommandError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(CommandError::plain(
            ErrorCode::Internal,
            format!("Medlem met an error it did not expect ({what}); nothing was saved halfway"),
        ))
    })
}
