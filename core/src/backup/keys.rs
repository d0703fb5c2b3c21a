//! The register's backup key pair, the passphrase that protects it, and
//! the settings a backup keeps.

use std::io::{Read, Write};
use std::str::FromStr;

use age::secrecy::{ExposeSecret, SecretString};

use crate::error::{BackupFailure, Error, Result};
use crate::store::sqlite::{put_setting, setting, SqliteRegister};
use crate::store::{Reads, Store};
use crate::types::dates::Timestamp;

pub(super) const SET_RECIPIENT: &str = "backup_recipient";
pub(super) const SET_IDENTITY: &str = "backup_identity";
pub(super) const SET_KEY_FILE: &str = "backup_key_file";
/// The keys of earlier passphrases (one secret key a line), so the register
/// still opens its older backups.
pub(super) const SET_OLD_IDENTITIES: &str = "backup_old_identities";
pub(super) const SET_LAST: &str = "last_backup_at";

pub(super) fn fail(kind: BackupFailure, detail: impl Into<String>) -> Error {
    Error::Backup {
        kind,
        detail: detail.into(),
    }
}

/// How to open a backup: the register's own key, or a passphrase with the
/// key file beside the backup.
pub enum Unlock<'a> {
    Register(&'a SqliteRegister),
    /// The register's key, taken out before the register was closed for a
    /// restore (see [`register_identity`]).
    Key(age::x25519::Identity),
    Passphrase(SecretString),
}

/// The register's own backup key, if it has one.
pub fn register_identity(reg: &dyn Reads) -> Result<age::x25519::Identity> {
    let s = reg.setting(SET_IDENTITY)?.ok_or_else(|| {
        fail(
            BackupFailure::PassphraseNeeded,
            "this register has no backup key of its own: type the backup's passphrase",
        )
    })?;
    parse_identity(&s)
}

/// Every backup key the register has had: the current one first, then the
/// keys of earlier passphrases.
pub fn register_identities(reg: &dyn Reads) -> Result<Vec<age::x25519::Identity>> {
    let mut all = vec![register_identity(reg)?];
    let old = reg.setting(SET_OLD_IDENTITIES)?.unwrap_or_default();
    all.extend(
        old.lines()
            .filter_map(|l| age::x25519::Identity::from_str(l.trim()).ok()),
    );
    Ok(all)
}

/// Has this register a backup passphrase?
pub fn has_passphrase(reg: &dyn Reads) -> Result<bool> {
    Ok(reg.setting(SET_KEY_FILE)?.is_some())
}

/// Sets (or changes) the backup passphrase. The first time it creates the
/// register's key pair; a change makes a new key pair for the backups from
/// now on (the old key is kept, so the register still opens its older
/// backups, and their key files keep opening with the old passphrase): a
/// key file with the old passphrase never opens a newer backup.
/// `work_factor` is scrypt's log2 N (None: age's calibrated default, about
/// a second; tests pass a small one).
pub fn set_passphrase(
    reg: &SqliteRegister,
    passphrase: &str,
    work_factor: Option<u8>,
) -> Result<()> {
    let conn = reg.connection();
    let keys = new_keys(passphrase, work_factor, &|key: &str| setting(conn, key))?;
    let tx = reg.connection().unchecked_transaction()?;
    for (key, value) in keys {
        put_setting(&tx, key, &value)?;
    }
    tx.commit()?;
    Ok(())
}

/// [`set_passphrase`] for a register anywhere (on the office server too):
/// the keys in its settings, written in one unit of work.
pub fn set_passphrase_in(
    store: &mut dyn Store,
    passphrase: &str,
    work_factor: Option<u8>,
) -> Result<()> {
    let keys = new_keys(passphrase, work_factor, &|key| store.setting(key))?;
    let work = store.begin()?;
    for (key, value) in keys {
        work.put_setting(key, &value)?;
    }
    work.commit()
}

/// The settings a new passphrase writes (`setting` reads the register's):
/// a new key pair, its secret key encrypted with the passphrase, and the
/// keys of earlier passphrases with the one before added.
fn new_keys(
    passphrase: &str,
    work_factor: Option<u8>,
    setting: &dyn Fn(&str) -> Result<Option<String>>,
) -> Result<Vec<(&'static str, String)>> {
    if passphrase.chars().count() < 8 {
        return Err(Error::field(
            "passphrase",
            crate::error::FieldCode::TooShort,
        ));
    }
    let previous = setting(SET_IDENTITY)?;
    let identity = age::x25519::Identity::generate();
    let mut recipient = age::scrypt::Recipient::new(SecretString::from(passphrase.to_owned()));
    if let Some(n) = work_factor {
        recipient.set_work_factor(n);
    }
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| fail(BackupFailure::NoPassphrase, e.to_string()))?;
    let mut armored = Vec::new();
    {
        let out =
            age::armor::ArmoredWriter::wrap_output(&mut armored, age::armor::Format::AsciiArmor)?;
        let mut w = encryptor.wrap_output(out)?;
        writeln!(w, "{}", identity.to_string().expose_secret())?;
        w.finish()?.finish()?;
    }
    let mut keys = Vec::new();
    if let Some(previous) = previous {
        let old = setting(SET_OLD_IDENTITIES)?.unwrap_or_default();
        let key = parse_identity(&previous)?;
        keys.push((
            SET_OLD_IDENTITIES,
            format!("{}\n{old}", key.to_string().expose_secret()),
        ));
    }
    keys.push((
        SET_IDENTITY,
        identity.to_string().expose_secret().to_owned(),
    ));
    keys.push((SET_RECIPIENT, identity.to_public().to_string()));
    keys.push((SET_KEY_FILE, String::from_utf8_lossy(&armored).into_owned()));
    Ok(keys)
}

pub(super) fn parse_identity(s: &str) -> Result<age::x25519::Identity> {
    let line = s
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-"));
    line.and_then(|l| age::x25519::Identity::from_str(l).ok())
        .ok_or_else(|| {
            fail(
                BackupFailure::NoKeyFile,
                "the key file holds no age secret key",
            )
        })
}

/// Decrypts a passphrase-encrypted key file.
pub fn unlock_key_file(key_file: &[u8], passphrase: SecretString) -> Result<age::x25519::Identity> {
    let reader = age::armor::ArmoredReader::new(key_file);
    let decryptor = age::Decryptor::new(reader)
        .map_err(|_| fail(BackupFailure::NoKeyFile, "not an age key file"))?;
    let mut identity = age::scrypt::Identity::new(passphrase);
    identity.set_max_work_factor(22);
    let mut text = String::new();
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => fail(
                BackupFailure::WrongPassphrase,
                "the passphrase does not open the key",
            ),
            other => fail(BackupFailure::NoKeyFile, other.to_string()),
        })?
        .read_to_string(&mut text)
        .map_err(|e| fail(BackupFailure::Damaged, e.to_string()))?;
    parse_identity(&text)
}

/// The passphrase typed a second time must be the same (`repeat`
/// `mismatch`); both shells ask twice.
pub fn check_repeat(passphrase: &str, repeat: &str) -> Result<()> {
    if passphrase != repeat {
        return Err(Error::field("repeat", crate::error::FieldCode::Mismatch));
    }
    Ok(())
}

/// When the last verified backup was made.
pub fn last_backup_at(reg: &dyn Reads) -> Result<Option<Timestamp>> {
    Ok(reg.setting(SET_LAST)?.as_deref().and_then(Timestamp::parse))
}
