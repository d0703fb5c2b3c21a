//! A backup of a register on the office server: the same `.medlem-backup`
//! as a file's, so a backup made at the office restores on any laptop (and
//! moves back to a server with `move`). The register is copied from one
//! snapshot of the server into a scratch file on this computer, backed up
//! and verified from there with the server register's own keys (its
//! settings came along), and the scratch removed however it ends.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use crate::error::Result;
use crate::store::postgres::PgRegister;
use crate::store::sqlite::SqliteRegister;
use crate::store::Store;

use super::keys::*;
use super::write::{backup, BackupReport};

/// Writes a verified backup of the register on `server` into `dir`. The
/// plaintext copy lives in a scratch folder in this computer's folder for
/// Medlem's data (the system's temporary folder if it has none), never in
/// `dir`. `progress` as [`backup`]'s, the copy from the server being its
/// `snapshot` step.
pub fn backup_server(
    server: &mut PgRegister,
    dir: &Path,
    progress: &mut dyn FnMut(&str, f32),
) -> Result<BackupReport> {
    if !has_passphrase(&*server)? {
        return Err(fail(
            crate::error::BackupFailure::NoPassphrase,
            "set a backup passphrase first",
        ));
    }
    progress("snapshot", 0.0);
    let local = crate::store::sqlite::db::default_path();
    let scratch = match local.as_deref().and_then(Path::parent) {
        Some(folder) => {
            std::fs::create_dir_all(folder)?;
            crate::scratch::dir_in(folder)?
        }
        None => tempfile::tempdir()?,
    };
    let copy = SqliteRegister::open(&scratch.path().join("register.sqlite"))?;
    server.copy_to_file(&copy, &mut |_, _| {}, &AtomicBool::new(false))?;
    let report = backup(&copy, dir, &mut |step, done| match step {
        "snapshot" => {}
        _ => progress(step, done),
    })?;
    drop(copy);
    drop(scratch);
    let work = server.begin()?;
    work.put_setting(SET_LAST, &report.info.created_at.to_string())?;
    work.commit()?;
    Ok(report)
}
