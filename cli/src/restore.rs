//! `backup` (of a file or of a register on the office server), `restore`,
//! and what they and `verify` share: the passphrase from the environment or
//! the terminal, a backup described in a line.

use std::io::IsTerminal;
use std::path::Path;

use medlem_core::age::secrecy::ExposeSecret;
use medlem_core::age::secrecy::SecretString;
use medlem_core::backup::{self, BackupFailure, BackupInfo, Unlock};
use medlem_core::{Error, PgRegister, SqliteRegister};

use crate::shared::print_json;

/// Where scripts put the backup passphrase.
pub(crate) const PASS_ENV: &str = "MEDLEM_PASSPHRASE";

pub(crate) fn backup_error(kind: BackupFailure, detail: &str) -> Error {
    Error::Backup {
        kind,
        detail: detail.to_owned(),
    }
}

/// The passphrase from MEDLEM_PASSPHRASE, else asked on the terminal.
pub(crate) fn passphrase(prompt: &str) -> Result<SecretString, Error> {
    if let Ok(p) = std::env::var(PASS_ENV) {
        return Ok(SecretString::from(p));
    }
    if !std::io::stdin().is_terminal() {
        return Err(backup_error(
            BackupFailure::WrongPassphrase,
            "no passphrase: set MEDLEM_PASSPHRASE or run in a terminal",
        ));
    }
    Ok(SecretString::from(rpassword::prompt_password(prompt)?))
}

pub(crate) fn describe_backup(file: &Path, info: &BackupInfo) -> String {
    format!(
        "{}: {}, made {} on {} by Medlem {}, {} members",
        file.display(),
        info.organisation,
        info.created_at,
        info.computer,
        info.medlem_version,
        info.members
    )
}

/// `restore FILE`: shows what the backup holds and how it compares, asks
/// (unless --yes), keeps a safety copy, then swaps the register.
pub(crate) fn restore(db: &Path, file: &Path, yes: bool) -> Result<(), Error> {
    // Never pull the register out from under a running app.
    medlem_core::lock::refuse_if_in_use(db)?;
    let unlock = Unlock::Passphrase(passphrase("Backup passphrase: ")?);
    let info = backup::verify(file, &unlock, backup::db_dir(db))?;
    println!("{}", describe_backup(file, &info));
    if db.exists() {
        let current = medlem_core::open(db)?;
        let cmp = backup::compare(&current, &info)?;
        println!(
            "The register now has {} members (last change {}).",
            cmp.current_members,
            cmp.current_latest_change
                .map_or_else(|| "never".to_owned(), |t| t.to_string())
        );
        if cmp.backup_is_older {
            println!("WARNING: the backup is older than the register's last change; those changes will be replaced.");
        }
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(backup_error(
                BackupFailure::Unverified,
                "add --yes to restore without a question",
            ));
        }
        eprint!("Replace the register with this backup? [y/N] ");
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "j" | "J" | "yes" | "ja") {
            println!("Nothing restored.");
            return Ok(());
        }
    }
    let done = backup::restore(db, file, &unlock, &mut |_, _| {})?;
    if let Some(copy) = &done.safety_copy {
        println!("The register as it was is kept in {}", copy.display());
    }
    println!("Restored {} members.", done.info.members);
    Ok(())
}

/// Writes and verifies an encrypted backup of the register file.
pub fn backup_file(
    register: &SqliteRegister,
    to: &std::path::Path,
    new_passphrase: bool,
    json: bool,
) -> Result<(), Error> {
    if let Some(first) = new_backup_passphrase(backup::has_passphrase(register)?, new_passphrase)? {
        backup::set_passphrase(register, first.expose_secret(), None)?;
    }
    print_backup(&backup::backup(register, to, &mut |_, _| {})?, json)
}

/// Writes and verifies an encrypted backup of the register on the office
/// server: the same file as a file's, made from a copy on this computer.
pub fn backup_server(
    register: &mut PgRegister,
    to: &std::path::Path,
    new_passphrase: bool,
    json: bool,
) -> Result<(), Error> {
    if let Some(first) = new_backup_passphrase(backup::has_passphrase(register)?, new_passphrase)? {
        backup::set_passphrase_in(register, first.expose_secret(), None)?;
    }
    // The plaintext copy stays on this computer, in Medlem's folder.
    let report = backup::backup_server(register, to, &mut |_, _| {})?;
    print_backup(&report, json)
}

/// The passphrase to give a register that has none (`has` false): asked
/// twice on a terminal, or MEDLEM_PASSPHRASE with --new-passphrase.
fn new_backup_passphrase(has: bool, new_passphrase: bool) -> Result<Option<SecretString>, Error> {
    if has {
        return Ok(None);
    }
    if !new_passphrase && !std::io::stdin().is_terminal() {
        return Err(backup_error(
            BackupFailure::NoPassphrase,
            "this register has no backup passphrase yet: run again with --new-passphrase and MEDLEM_PASSPHRASE set",
        ));
    }
    eprintln!("Choose a backup passphrase. Without it no backup can be read: write it down and keep it apart from the USB stick.");
    let first = passphrase("New backup passphrase: ")?;
    if std::env::var_os(PASS_ENV).is_none() {
        let again = passphrase("Repeat it: ")?;
        if backup::check_repeat(first.expose_secret(), again.expose_secret()).is_err() {
            return Err(backup_error(
                BackupFailure::WrongPassphrase,
                "the two passphrases differ",
            ));
        }
    }
    Ok(Some(first))
}

fn print_backup(report: &backup::BackupReport, json: bool) -> Result<(), Error> {
    if json {
        print_json(report)?;
    } else {
        println!("{}", describe_backup(&report.file, &report.info));
        println!("Written and verified: {}", report.file.display());
    }
    Ok(())
}
