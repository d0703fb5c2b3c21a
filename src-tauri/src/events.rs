//! What long work tells the window while it runs: progress of an import,
//! export or print, and news from backups the window did not start.

use medlem_core::backup;
use serde::Serialize;

use crate::error::CommandError;

/// How far an import or export has come.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

/// News from backups the window did not start (on a schedule, on closing).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum BackupEvent {
    /// `reason`: `schedule` or `close`.
    Started {
        reason: &'static str,
    },
    Progress {
        step: String,
        fraction: f32,
    },
    Done {
        reason: &'static str,
        report: backup::BackupReport,
    },
    Failed {
        reason: &'static str,
        error: CommandError,
    },
}
