//! The app's state (the open register) and the error the UI receives.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;

use medlem_core::{Error, FieldError, Register, SqliteRegister};
use serde::Serialize;

/// The open register, or why it could not be opened.
pub struct AppState {
    pub db_path: PathBuf,
    /// Set by `import_cancel` while an import runs (it holds the register).
    pub cancel: AtomicBool,
    register: Mutex<Result<Box<dyn Register>, StartupError>>,
}

/// Why the database could not be opened at start-up; shown on the fatal screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StartupError {
    pub code: &'static str,
    pub message: String,
}

impl AppState {
    pub fn open(db_path: PathBuf) -> Self {
        let register = SqliteRegister::open(&db_path)
            .map(|r| Box::new(r) as Box<dyn Register>)
            .map_err(|e| StartupError {
                code: e.code(),
                message: e.to_string(),
            });
        AppState {
            db_path,
            cancel: AtomicBool::new(false),
            register: Mutex::new(register),
        }
    }

    pub fn startup_error(&self) -> Option<StartupError> {
        match &*self.lock() {
            Ok(_) => None,
            Err(e) => Some(e.clone()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Result<Box<dyn Register>, StartupError>> {
        // A panic while holding the lock leaves the register usable: SQLite
        // rolled back the unfinished transaction.
        self.register.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on the register, mapping errors for the UI.
    pub fn with<T>(
        &self,
        f: impl FnOnce(&mut dyn Register) -> medlem_core::Result<T>,
    ) -> Result<T, CommandError> {
        let mut guard = self.lock();
        match &mut *guard {
            Ok(r) => f(r.as_mut()).map_err(CommandError::from),
            Err(e) => Err(CommandError {
                code: e.code,
                message: e.message.clone(),
                fields: Vec::new(),
            }),
        }
    }
}

/// What a failed command sends the UI: a code from a closed set (see
/// docs/commands.md), an English message for logs, and the refused fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    pub code: &'static str,
    pub message: String,
    pub fields: Vec<FieldError>,
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        CommandError {
            code: e.code(),
            message: e.to_string(),
            fields: e.fields().to_vec(),
        }
    }
}
