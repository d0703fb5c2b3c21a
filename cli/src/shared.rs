//! What every subcommand uses: JSON output and the status words.

use std::io::Write;

use medlem_core::{Error, Scheduled, Status};

pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(())
}

/// `value` as JSON with `--json`, else as `text` shows it to a person.
pub(crate) fn output<T: serde::Serialize>(
    value: &T,
    json: bool,
    text: impl FnOnce(&T),
) -> Result<(), Error> {
    if json {
        print_json(value)
    } else {
        text(value);
        Ok(())
    }
}

pub(crate) fn parse_status(status: Option<String>) -> Result<Option<Status>, Error> {
    match status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Status::parse(s)
            .map(Some)
            .ok_or_else(|| Error::field("status", medlem_core::FieldCode::InvalidChoice)),
    }
}

/// A member's status as the window shows it: today's, and a change that
/// waits for its day (`active (resigns 2099-12-31)`).
pub(crate) fn status_text(status: Status, scheduled: Option<Scheduled>) -> String {
    match scheduled {
        None => status.to_string(),
        Some(s) if s.status == Status::Resigned => format!("{status} (resigns {})", s.date),
        Some(s) => format!("{status} ({} from {})", s.status, s.date),
    }
}

/// One line of a member's history as a sentence (codes as the register
/// keeps them).
pub(crate) fn history_text(e: &medlem_core::HistoryEntry) -> String {
    use medlem_core::HistoryKind;
    let v = |s: &Option<String>| s.clone().unwrap_or_default();
    let field = v(&e.field);
    let text = match e.kind {
        HistoryKind::Created => format!("created as number {}", v(&e.new_value)),
        HistoryKind::Imported => format!("imported from {}", v(&e.new_value)),
        HistoryKind::Letter => format!("letter {:?} ({field})", v(&e.new_value)),
        HistoryKind::Attended => format!("attended {field}"),
        HistoryKind::Role if e.old_value.as_deref().unwrap_or("").is_empty() => {
            format!("role {field} added: {}", v(&e.new_value))
        }
        HistoryKind::Role => format!("role {field} ended: {}", v(&e.old_value)),
        HistoryKind::Unscheduled => format!(
            "the change to {} was called off, {} stays",
            v(&e.new_value),
            v(&e.old_value)
        ),
        HistoryKind::Invoice => match &e.old_value {
            None => format!("invoice for {field}: {}", v(&e.new_value)),
            Some(old) => format!("invoice for {field}: {old} -> {}", v(&e.new_value)),
        },
        HistoryKind::Payment => {
            let kr = |a: &Option<String>| {
                let minor = a.as_deref().and_then(|a| a.parse().ok()).unwrap_or(0);
                medlem_core::money::format(minor, medlem_core::Language::En)
            };
            let what = if field.is_empty() {
                "as credit".to_owned()
            } else {
                format!("for {field}")
            };
            match &e.new_value {
                Some(_) => format!("payment {} {what}", kr(&e.new_value)),
                None => format!("payment {} {what} reversed", kr(&e.old_value)),
            }
        }
        HistoryKind::Changed | HistoryKind::Status => {
            format!("{field}: {:?} -> {:?}", v(&e.old_value), v(&e.new_value))
        }
    };
    match e.effective_date {
        Some(d) => format!("{text} (from {d})"),
        None => text,
    }
}
