//! Names every app command so capabilities/default.json can allow exactly them.

/// Keep in step with `commands::handler()` and capabilities/default.json.
const COMMANDS: &[&str] = &[
    "app_info",
    "org_create",
    "org_update",
    "demo_create",
    "settings_set_language",
    "members_list",
    "member_get",
    "member_create",
    "member_update",
    "member_set_status",
    "member_history",
    "branches_list",
    "branch_create",
    "workplaces_list",
    "workplace_create",
    "import_preview",
    "import_commit",
    "import_cancel",
    "export_members",
    "backup_status",
    "backup_set_passphrase",
    "backup_now",
    "backup_schedule_set",
    "backup_inspect",
    "backup_restore",
    "backup_watch",
    "safety_copies_list",
    "safety_copy_restore",
    "lock_open_anyway",
    "app_close",
    "letter_templates_list",
    "letter_template_save",
    "letter_template_reset",
    "letter_preview",
    "letter_settings_get",
    "letter_settings_set",
    "letter_logo_set",
    "letters_print",
    "letters_cancel",
    "labels_print",
    "list_print",
    "calibration_print",
    "pdf_open",
    "selections_list",
    "selection_save",
    "selection_delete",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script failed");
}
