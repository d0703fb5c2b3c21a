//! `import FILE`: the preview, then the import in one transaction.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use medlem_core::store::Store;
use medlem_core::Error;

use crate::shared::print_json;

/// `import FILE`: the preview, then (unless --dry-run) the import when the
/// file has no problems. With problems: exit 1, nothing written.
pub(crate) fn import(
    register: &mut dyn Store,
    file: &Path,
    dry_run: bool,
    json: bool,
) -> Result<(), Error> {
    let preview = medlem_core::import::preview(register, file, None)?;
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
        &mut |_, _| {},
        &AtomicBool::new(false),
    )?;
    if !json {
        println!(
            "Imported: {} new, {} updated, {} unchanged",
            done.new, done.updated, done.unchanged
        );
    }
    Ok(())
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
