// Hide the console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use medlem_app::{run_app, DbLocation};

fn main() {
    let location = DbLocation::from_args(std::env::args().skip(1), std::env::var("MEDLEM_DB").ok());
    run_app(tauri::Builder::default(), location)
        .run(tauri::generate_context!())
        .expect("Medlem could not start its window");
}
