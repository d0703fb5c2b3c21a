//! Stop answers at once: commands that wait for the register (while long
//! work holds it) wait on blocking threads, not on the async runtime's few
//! workers.

use std::sync::mpsc;
use std::time::Duration;

use medlem_app::state::AppState;
use serde_json::json;
use tauri::Manager;

use crate::{app, invoke, temp_db};

/// Far longer than a cancel takes; only a hang reaches it.
const HANG: Duration = Duration::from_secs(60);

#[test]
fn stop_is_answered_while_long_work_holds_the_register_and_commands_queue_behind_it() {
    let (dir, db) = temp_db();
    let app = app(&db);
    app.ok(
        "org_create",
        json!({"org": {"name": "Fackklubben Verkstaden", "country": "SE"}}),
    );
    let csv = dir.path().join("medlemmar.csv");
    std::fs::write(&csv, "Förnamn;Efternamn\nÅsa;Öberg\nNils;Nilsson\n").unwrap();

    // Long work: a unit that holds the register until the test lets go.
    let (held_tx, held_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let window = app.window.clone();
    let long_work = std::thread::spawn(move || {
        window
            .state::<AppState>()
            .with(|_| {
                held_tx.send(()).unwrap();
                release_rx.recv().unwrap();
                Ok(())
            })
            .unwrap();
    });
    held_rx.recv().unwrap();

    // More commands waiting for the register than the runtime has workers.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut waiting = Vec::new();
    let (done_tx, done_rx) = mpsc::channel();
    for n in 0..workers + 2 {
        let window = app.window.clone();
        let done = done_tx.clone();
        let (cmd, args) = if n == 0 {
            (
                "import_commit",
                json!({"path": csv, "mapping": null, "onProgress": "__CHANNEL__:1"}),
            )
        } else {
            ("members_list", json!({"query": {}}))
        };
        waiting.push(std::thread::spawn(move || {
            let answer = invoke(&window, cmd, args);
            done.send(cmd).unwrap();
            (cmd, answer)
        }));
    }
    assert!(
        done_rx.try_recv().is_err(),
        "no command answers while the register is held"
    );

    // Stop, while all of them wait: answered at once.
    let (stop_tx, stop_rx) = mpsc::channel();
    let window = app.window.clone();
    std::thread::spawn(move || stop_tx.send(invoke(&window, "import_cancel", json!({}))));
    let stopped = stop_rx.recv_timeout(HANG).expect("import_cancel answers");
    assert_eq!(stopped, Ok(serde_json::Value::Null));
    let (stop_tx, stop_rx) = mpsc::channel();
    let window = app.window.clone();
    std::thread::spawn(move || stop_tx.send(invoke(&window, "letters_cancel", json!({}))));
    assert_eq!(
        stop_rx.recv_timeout(HANG).expect("letters_cancel answers"),
        Ok(serde_json::Value::Null)
    );

    release_tx.send(()).unwrap();
    long_work.join().unwrap();
    for t in waiting {
        let (cmd, answer) = t.join().unwrap();
        match cmd {
            // The Stop pressed while it waited is not lost.
            "import_commit" => assert_eq!(answer.unwrap_err()["code"], "cancelled"),
            _ => assert_eq!(answer.unwrap()["total"], 0),
        }
    }
    let members = app.ok("members_list", json!({"query": {}}));
    assert_eq!(members["total"], 0, "the stopped import added nobody");
}
