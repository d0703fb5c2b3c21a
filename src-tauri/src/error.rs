//! The error a command sends the UI: a code from core's closed set, the
//! refused fields and the details; the English message is for logs.

use medlem_core::error::{Details, ErrorCode};
use medlem_core::{Error, FieldError};
use serde::Serialize;

/// What a failed command sends the UI: a code from a closed set (see
/// docs/commands.md), an English message for logs, and the refused fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommandError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldError>,
    /// What the error names beyond its code (the line, the member, the
    /// amount ...), so the UI never reads `message`.
    pub details: Box<Details>,
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        CommandError {
            code: e.code(),
            message: e.to_string(),
            fields: e.fields().to_vec(),
            details: Box::new(e.details()),
        }
    }
}

impl CommandError {
    /// An error with only a code and a message (start-up, replaced register).
    pub fn plain(code: ErrorCode, message: impl Into<String>) -> Self {
        CommandError {
            code,
            message: message.into(),
            fields: Vec::new(),
            details: Box::default(),
        }
    }
}

/// What every command returns.
pub type Result<T> = std::result::Result<T, CommandError>;
