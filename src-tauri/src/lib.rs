//! Medlem's desktop shell: Tauri 2 around medlem-core.
//!
//! Commands (in [`commands`]) are thin: take the state and a DTO, call one
//! core function, map the error to `{code, message, fields}`.

pub mod commands;
pub mod state;

use std::path::PathBuf;

use tauri::{Builder, Runtime};

pub use state::{AppState, CommandError};

/// Where the database is: given on the command line / in `MEDLEM_DB`, or the
/// default `medlem.sqlite` in the OS's per-user app data folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbLocation {
    Path(PathBuf),
    Default,
}

impl DbLocation {
    /// `--db PATH` (or `--db=PATH`) wins over `MEDLEM_DB`; else the default.
    pub fn from_args(args: impl IntoIterator<Item = String>, env: Option<String>) -> Self {
        let mut args = args.into_iter();
        while let Some(a) = args.next() {
            if a == "--db" {
                if let Some(p) = args.next() {
                    return DbLocation::Path(p.into());
                }
            } else if let Some(p) = a.strip_prefix("--db=") {
                return DbLocation::Path(p.into());
            }
        }
        match env.filter(|e| !e.is_empty()) {
            Some(p) => DbLocation::Path(p.into()),
            None => DbLocation::Default,
        }
    }
}

/// Registers state and commands on any runtime: the real one in `main`, the
/// mock runtime in the command tests.
pub fn run_app<R: Runtime>(builder: Builder<R>, location: DbLocation) -> Builder<R> {
    let path = match location {
        DbLocation::Path(p) => p,
        // No home folder at all: fall back to the working directory.
        DbLocation::Default => {
            medlem_core::db::default_path().unwrap_or_else(|| PathBuf::from("medlem.sqlite"))
        }
    };
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(AppState::open(path))
        .invoke_handler(commands::handler())
}
