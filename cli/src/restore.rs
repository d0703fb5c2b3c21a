//! `restore`, and what `backup` and `verify` share with it: the passphrase
//! from the environment or the terminal, a backup described in a line.

use std::io::IsTerminal;
use std::path::Path;

use medlem_core::age::secrecy::SecretString;
use medlem_core::backup::{self, BackupFailure, BackupInfo, Unlock};
use medlem_core::Error;

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
