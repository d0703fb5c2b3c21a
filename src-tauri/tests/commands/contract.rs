//! The contract between core, the shell and the UI, read from the source
//! tree (rust-analyzer's tidy tests): the command list and the error codes
//! are written in several places, and these tests fail when they disagree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use medlem_core::error::ErrorCode;
use medlem_core::FieldCode;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_owned()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The quoted strings between `start` and the next `end` in `text`.
fn quoted_between(text: &str, start: &str, end: &str, quote: char) -> BTreeSet<String> {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start} not found"))
        + start.len();
    let to = from + text[from..].find(end).expect("end of the list");
    text[from..to]
        .split(quote)
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// Every `#[tauri::command]` function in `src-tauri/src/commands/`.
fn command_functions() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(root().join("src-tauri/src/commands")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if line.trim_start().starts_with("#[tauri::command") {
                let f = lines.next().expect("a function after the attribute");
                let name = f
                    .trim_start_matches("pub ")
                    .trim_start_matches("async ")
                    .trim_start_matches("fn ")
                    .split(['(', '<'])
                    .next()
                    .unwrap()
                    .to_owned();
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn every_list_of_commands_names_the_same_commands() {
    let functions = command_functions();
    assert!(functions.len() > 50, "found {} commands", functions.len());

    let handler = read("src-tauri/src/commands/mod.rs");
    let from = handler.find("generate_handler![").unwrap();
    let to = from + handler[from..].find(']').unwrap();
    let handled: BTreeSet<String> = handler[from + "generate_handler![".len()..to]
        .split(',')
        .map(|s| s.trim().rsplit("::").next().unwrap().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(
        handled, functions,
        "commands/mod.rs handler vs the command functions"
    );

    let build = quoted_between(&read("src-tauri/build.rs"), "const COMMANDS", "];", '"');
    assert_eq!(
        build, functions,
        "build.rs COMMANDS vs the command functions"
    );

    let caps: BTreeSet<String> = quoted_between(
        &read("src-tauri/capabilities/default.json"),
        "\"permissions\"",
        "]",
        '"',
    )
    .into_iter()
    .filter_map(|p| p.strip_prefix("allow-").map(|c| c.replace('-', "_")))
    .collect();
    assert_eq!(
        caps, functions,
        "capabilities/default.json vs the command functions"
    );

    // api.js is the only place that calls invoke: every command it names.
    let api = read("ui/js/api.js");
    let invoked: BTreeSet<String> = api
        .split("invoke('")
        .skip(1)
        .map(|s| s.split('\'').next().unwrap().to_owned())
        // The dialog plugin's commands are allowed by `dialog:` permissions.
        .filter(|c| !c.starts_with("plugin:"))
        .collect();
    assert_eq!(invoked, functions, "ui/js/api.js vs the command functions");
}

fn catalog_keys(language: &str) -> BTreeSet<String> {
    let text = read(&format!("ui/i18n/{language}.json"));
    let v: serde_json::Value = serde_json::from_str(&text).expect("catalog is JSON");
    v.as_object()
        .expect("catalog is an object")
        .keys()
        .cloned()
        .collect()
}

#[test]
fn the_error_codes_of_core_are_those_the_ui_knows_and_every_catalog_says() {
    let core: BTreeSet<String> = ErrorCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let api = read("ui/js/api.js");
    let ui = quoted_between(&api, "ERROR_CODES = [", "];", '\'');
    assert_eq!(ui, core, "ui/js/api.js ERROR_CODES vs core's ErrorCode");

    let core_fields: BTreeSet<String> = FieldCode::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let ui_fields = quoted_between(&api, "FIELD_ERROR_CODES = [", "];", '\'');
    assert_eq!(
        ui_fields, core_fields,
        "ui/js/api.js FIELD_ERROR_CODES vs core's FieldCode"
    );

    for language in ["sv", "da", "nb", "en"] {
        let keys = catalog_keys(language);
        let missing: Vec<String> = core
            .iter()
            .map(|c| format!("error.{c}"))
            .chain(core_fields.iter().map(|c| format!("fieldError.{c}")))
            .filter(|k| !keys.contains(k))
            .collect();
        assert!(
            missing.is_empty(),
            "ui/i18n/{language}.json lacks {missing:?}"
        );
        let unknown: Vec<&String> = keys
            .iter()
            .filter(|k| {
                k.strip_prefix("error.")
                    .is_some_and(|c| !core.contains(c) && !c.contains('.'))
            })
            .collect();
        assert!(
            unknown.is_empty(),
            "ui/i18n/{language}.json has texts for codes core never sends: {unknown:?}"
        );
    }
}

#[test]
fn the_ui_never_reads_an_error_message() {
    for entry in std::fs::read_dir(root().join("ui/js")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for (i, line) in text.lines().enumerate() {
            // api.js keeps the message for the console log only.
            if name == "api.js" {
                continue;
            }
            assert!(
                !line.contains(".message"),
                "ui/js/{name}:{} reads an error's message text; use its code and details",
                i + 1
            );
        }
    }
}
