//! Medlem's desktop shell: Tauri 2 around medlem-core.
//!
//! Commands (in [`commands`]) are thin: take the state and a DTO, call one
//! core function, map the error to `{code, message, fields}`.

pub mod commands;
pub mod error;
pub mod events;
pub mod state;

use std::path::PathBuf;

use std::sync::atomic::Ordering;
use std::time::Duration;

use tauri::{Builder, Manager, Runtime, WindowEvent};

pub use error::CommandError;
pub use state::AppState;

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
        // The register chosen in Settings → Register location, else the
        // file in Medlem's folder; no home folder at all: the working
        // directory.
        DbLocation::Default => medlem_core::location::remembered()
            .map(PathBuf::from)
            .or_else(medlem_core::db::default_path)
            .unwrap_or_else(|| PathBuf::from("medlem.sqlite")),
    };
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::open(path))
        .invoke_handler(commands::handler())
        .setup(|app| {
            start_scheduler(app.handle().clone());
            Ok(())
        })
        .on_window_event(|window, event| match event {
            WindowEvent::CloseRequested { api, .. } => {
                if window.state::<AppState>().may_close.load(Ordering::SeqCst) {
                    return;
                }
                // Whether a backup is due needs the register, which long
                // work may hold: ask off the UI thread, which never waits.
                // Closing waits for that work to end (an import is not lost
                // halfway), then backs up if due, showing the progress, and
                // closes when the backup is verified.
                api.prevent_close();
                let window = window.clone();
                std::thread::spawn(move || {
                    let state = window.state::<AppState>();
                    let ready = !commands::backup::backup_on_close_wanted(&state)
                        || commands::backup::run_auto_backup(&state, "close").is_ok();
                    if ready {
                        state.may_close.store(true, Ordering::SeqCst);
                        let _ = window.close();
                    }
                    // On failure the window says so and offers to close
                    // without a backup (`app_close`).
                });
            }
            WindowEvent::Destroyed => window.state::<AppState>().release(),
            _ => {}
        })
}

/// How often the scheduler looks whether a backup is due.
const SCHEDULE_TICK: Duration = Duration::from_secs(60);

const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(15 * 60);

/// Runs scheduled backups while the app is open: every minute it checks
/// whether the interval since the last good backup has passed.
fn start_scheduler<R: Runtime>(app: tauri::AppHandle<R>) {
    std::thread::spawn(move || {
        let mut retry_at = std::time::Instant::now();
        loop {
            std::thread::sleep(SCHEDULE_TICK);
            let state = app.state::<AppState>();
            if std::time::Instant::now() >= retry_at
                && commands::backup::scheduled_backup_due(&state)
            {
                // A failure reaches the window as an event; try again in a
                // quarter of an hour (the stick may be back by then).
                if commands::backup::run_auto_backup(&state, "schedule").is_err() {
                    retry_at = std::time::Instant::now() + RETRY_AFTER_FAILURE;
                }
            }
        }
    });
}
