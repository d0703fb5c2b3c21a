//! Letter templates: a subject and a body with merge fields, rendered by
//! minijinja. Merge fields are checked before anything is printed: a field
//! Medlem does not know is an error naming it, never a blank on paper.

use std::collections::BTreeSet;

use minijinja::{Environment, UndefinedBehavior, Value};

use super::markup::protect;

/// Why a template cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum TemplateError {
    /// `{{ member.shoe_size }}`: the field, as written.
    UnknownField { part: &'static str, field: String },
    /// Not valid template syntax: minijinja's description (with its line).
    Syntax {
        part: &'static str,
        line: Option<usize>,
        detail: String,
    },
}

/// The merge fields every letter knows.
pub const FIELDS: &[&str] = &[
    "member.first_name",
    "member.last_name",
    "member.name",
    "member.number",
    "member.email",
    "member.phone",
    "member.address",
    "member.postcode",
    "member.city",
    "member.joined_date",
    "org.name",
    "org.address",
    "org.org_number",
    "today",
];

fn env() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Merged values are plain text: they cannot start a list or turn bold.
    env.set_formatter(|out, _state, value| {
        out.write_str(&protect(&value.to_string()))
            .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string()))
    });
    env
}

/// Checks `source` (the subject or the body) against the known fields
/// (`FIELDS` plus `extra`, e.g. a meeting's).
pub fn check(part: &'static str, source: &str, extra: &[&str]) -> Result<(), TemplateError> {
    let env = env();
    let tmpl = env
        .template_from_str(source)
        .map_err(|e| TemplateError::Syntax {
            part,
            line: e.line(),
            detail: describe(&e),
        })?;
    let known: BTreeSet<&str> = FIELDS.iter().chain(extra.iter()).copied().collect();
    let mut used: Vec<String> = tmpl.undeclared_variables(true).into_iter().collect();
    used.sort();
    for field in used {
        // `member` alone, or a field under a known parent, is fine only if
        // it names a known field exactly.
        if !known.contains(field.as_str()) {
            return Err(TemplateError::UnknownField { part, field });
        }
    }
    Ok(())
}

fn describe(e: &minijinja::Error) -> String {
    match e.line() {
        Some(line) => format!(
            "line {line}: {}",
            e.detail().unwrap_or(&e.kind().to_string())
        ),
        None => e.detail().unwrap_or(&e.kind().to_string()).to_owned(),
    }
}

/// A template's subject and body compiled once, rendered for many members.
pub struct Compiled {
    env: Environment<'static>,
}

impl Compiled {
    pub fn new(subject: &str, body: &str) -> Result<Compiled, TemplateError> {
        let mut env = env();
        for (part, source) in [("subject", subject), ("body", body)] {
            env.add_template_owned(part, source.to_owned())
                .map_err(|e| TemplateError::Syntax {
                    part,
                    line: e.line(),
                    detail: describe(&e),
                })?;
        }
        Ok(Compiled { env })
    }

    /// Renders `part` (`subject` or `body`) with `ctx` (after [`check`]).
    pub fn render(&self, part: &'static str, ctx: &Value) -> Result<String, TemplateError> {
        self.env
            .get_template(part)
            .and_then(|t| t.render(ctx))
            .map_err(|e| TemplateError::Syntax {
                part,
                line: e.line(),
                detail: describe(&e),
            })
    }
}
