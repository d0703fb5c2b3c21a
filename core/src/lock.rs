//! The "in use" note beside a register.
//!
//! A register on a USB stick or a shared folder can be opened by two
//! computers; SQLite's own locks do not reach across a stick carried between
//! them, and two copies edited apart cannot be merged. So the app writes a
//! small note, `<register>.in-use`, with the computer's name and the time
//! when it opens a register, and removes it when it closes. Opening a
//! register with someone else's note warns and lets the user decide.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::atomic_file::TempFile;
use crate::error::{Error, Result};
use crate::types::dates::Timestamp;

/// Who has the register open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LockNote {
    pub computer: String,
    /// The process id of the app holding it.
    pub pid: u32,
    /// Since when (RFC 3339).
    pub since: Option<Timestamp>,
}

impl LockNote {
    /// A note for this process, now.
    pub fn ours() -> Self {
        LockNote {
            computer: computer_name(),
            pid: std::process::id(),
            since: Some(crate::types::dates::now()),
        }
    }

    /// Is this note from this very process?
    pub fn is_ours(&self) -> bool {
        self.computer == computer_name() && self.pid == std::process::id()
    }
}

/// This computer's name, as shown to people.
pub fn computer_name() -> String {
    std::env::var("COMPUTERNAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .ok()
        .or_else(|| {
            fs::read_to_string("/etc/hostname")
                .ok()
                .map(|s| s.trim().to_owned())
        })
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Where the note for the register at `db_path` lives.
pub fn note_path(db_path: &Path) -> PathBuf {
    let mut p = db_path.as_os_str().to_owned();
    p.push(".in-use");
    PathBuf::from(p)
}

/// The note beside the register, if any. An unreadable or garbled note
/// counts as someone else's (from an unknown computer).
pub fn read(db_path: &Path) -> Option<LockNote> {
    let path = note_path(db_path);
    let text = fs::read_to_string(&path)
        .ok()
        .or_else(|| path.exists().then(String::new))?;
    Some(serde_json::from_str(&text).unwrap_or(LockNote {
        computer: "unknown".to_owned(),
        pid: 0,
        since: None,
    }))
}

/// Someone else's note: present, not from this process, and not left
/// behind by a Medlem on this computer that has since stopped (a crash or a
/// killed process: its note is stale).
pub fn foreign(db_path: &Path) -> Option<LockNote> {
    read(db_path).filter(|n| !n.is_ours() && !n.is_stale())
}

/// Refuses (`in_use`, naming the computer and since when) while another
/// running Medlem holds the register: nothing may replace it underneath.
pub fn refuse_if_in_use(db_path: &Path) -> Result<()> {
    match foreign(db_path) {
        Some(n) => Err(Error::InUse {
            computer: n.computer,
            since: n.since.map(|t| t.to_string()).unwrap_or_default(),
        }),
        None => Ok(()),
    }
}

impl LockNote {
    /// Left by a process of this computer that no longer runs.
    pub fn is_stale(&self) -> bool {
        self.computer == computer_name() && self.pid != 0 && !process_alive(self.pid)
    }
}

/// Is process `pid` running? Where that cannot be asked, assume it is (the
/// user then sees the warning and decides).
#[cfg(unix)]
pub(crate) fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // Signal 0 checks for existence without sending anything.
    // SAFETY: kill with signal 0 has no effect on the target process.
    let r = unsafe { libc::kill(pid, 0) };
    let exists = r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH);
    // A process that has exited but not yet been reaped (a zombie) still
    // answers; on Linux its state says so.
    exists && !zombie(pid)
}

#[cfg(target_os = "linux")]
fn zombie(pid: libc::pid_t) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            // pid (comm) state ...: comm may hold spaces and parentheses.
            s.rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next().map(|st| st == "Z"))
        })
        .unwrap_or(false)
}

#[cfg(all(unix, not(target_os = "linux")))]
fn zombie(_pid: libc::pid_t) -> bool {
    false
}

/// Is process `pid` running? Windows: it can be opened and has not exited
/// (a process that cannot be opened for want of rights runs all the same).
#[cfg(windows)]
pub(crate) fn process_alive(pid: u32) -> bool {
    use windows_sys::Win32::Foundation::{
        CloseHandle, GetLastError, ERROR_INVALID_PARAMETER, STILL_ACTIVE,
    };
    use windows_sys::Win32::System::Threading::{
        GetExitCodeProcess, OpenProcess, PROCESS_QUERY_LIMITED_INFORMATION,
    };
    // SAFETY: plain Win32 calls; the handle is this function's own and is
    // closed before it returns.
    unsafe {
        let handle = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid);
        if handle.is_null() {
            // No process has that id: the id is an invalid parameter.
            return GetLastError() != ERROR_INVALID_PARAMETER;
        }
        let mut code = 0u32;
        let asked = GetExitCodeProcess(handle, &mut code);
        CloseHandle(handle);
        asked == 0 || code as i32 == STILL_ACTIVE
    }
}

#[cfg(not(any(unix, windows)))]
pub(crate) fn process_alive(_pid: u32) -> bool {
    true
}

/// Writes this process's note (replacing any other).
pub fn take(db_path: &Path) -> Result<LockNote> {
    let note = LockNote::ours();
    let path = note_path(db_path);
    let part = TempFile::beside(&path)?;
    part.file().write_all(
        serde_json::to_string_pretty(&note)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    part.persist(&path)?;
    Ok(note)
}

/// Removes the note if it is ours; someone else's note stays.
pub fn release(db_path: &Path) {
    if read(db_path).is_some_and(|n| n.is_ours()) {
        let _ = fs::remove_file(note_path(db_path));
    }
}
