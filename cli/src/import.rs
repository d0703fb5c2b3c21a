//! `import FILE`: the preview, then the import in one transaction.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use medlem_core::import::{ImportOptions, MemberChange, Updates};
use medlem_core::store::Store;
use medlem_core::{Error, FieldCode};

use crate::shared::print_json;

/// What `import` leaves out: every update (`--no-updates`), or the members
/// with these numbers (`--skip`, repeated).
pub(crate) struct Choices {
    pub no_updates: bool,
    pub skip: Vec<String>,
}

/// `import FILE`: the preview with every member it would change, field by
/// field, then (unless --dry-run) the import when the file has no problems,
/// leaving out what `choices` leaves out. With problems: exit 1, nothing
/// written.
pub(crate) fn import(
    register: &mut dyn Store,
    file: &Path,
    dry_run: bool,
    choices: &Choices,
    json: bool,
) -> Result<(), Error> {
    let preview = medlem_core::import::preview(register, file, None)?;
    let mut skip_rows = Vec::new();
    for number in &choices.skip {
        match preview.changes.iter().find(|c| c.number == number.trim()) {
            Some(c) => skip_rows.push(c.row),
            None => return Err(Error::field("skip", FieldCode::InvalidChoice)),
        }
    }
    let options = ImportOptions {
        updates: if choices.no_updates {
            Updates::None
        } else {
            Updates::All
        },
        skip_rows,
        fingerprint: Some(preview.fingerprint.clone()),
    };
    if json {
        print_json(&preview)?;
    } else {
        let mapped: Vec<String> = preview
            .columns
            .iter()
            .map(|c| {
                format!(
                    "{} -> {}",
                    c.header,
                    c.field.as_deref().unwrap_or("(ignored)")
                )
            })
            .collect();
        println!("Columns: {}", mapped.join(", "));
        println!(
            "{} rows: {} new, {} updated, {} unchanged, {} problems",
            preview.rows,
            preview.new,
            preview.updated,
            preview.unchanged,
            preview.problems.len()
        );
        for p in &preview.problems {
            println!(
                "row {}{}: {} ({:?})",
                p.row,
                p.column
                    .as_deref()
                    .map(|c| format!(", column {c}"))
                    .unwrap_or_default(),
                problem_text(&p.code),
                p.value
            );
        }
        print_changes(&preview.changes, &options);
    }
    if !preview.problems.is_empty() {
        return Err(Error::ImportProblems(preview.problems.len()));
    }
    if dry_run {
        return Ok(());
    }
    let done = medlem_core::import::commit(
        register,
        file,
        None,
        &options,
        &mut |_, _| {},
        &AtomicBool::new(false),
    )?;
    if !json {
        let left_out = if done.skipped > 0 {
            format!(", {} left out", done.skipped)
        } else {
            String::new()
        };
        println!(
            "Imported: {} new, {} updated, {} unchanged{left_out}",
            done.new, done.updated, done.unchanged
        );
    }
    Ok(())
}

/// Every member the file would change, each field old -> new, and which
/// of them the choices leave out.
fn print_changes(changes: &[MemberChange], options: &ImportOptions) {
    if changes.is_empty() {
        return;
    }
    println!("Members the file would change:");
    for c in changes {
        let left_out = options.updates == Updates::None || options.skip_rows.contains(&c.row);
        println!(
            "  {} {} {} (row {}){}",
            c.number,
            c.first_name,
            c.last_name,
            c.row,
            if left_out { ": left out" } else { "" }
        );
        for f in &c.fields {
            println!("    {}: {:?} -> {:?}", f.field, f.old, f.new);
        }
    }
}

fn problem_text(code: &str) -> &str {
    match code {
        "duplicate_in_file" => "appears twice in the file",
        "required" => "is required",
        "invalid_email" => "is not a valid e-mail address",
        "invalid_date" => "is not a date Medlem can read",
        "invalid_number" => "is not a valid member number",
        "invalid_choice" => "is not one of the allowed values",
        "too_long" => "is too long",
        "in_future" => "lies in the future",
        "date_order" => "ends before it starts",
        other => other,
    }
}
