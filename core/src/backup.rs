//! Encrypted, verified backups and restore.
//!
//! Keys: one age X25519 key pair per register. The public key (recipient)
//! and the secret key live in the register's settings, so backups and their
//! verification need no passphrase (the secret key is as safe there as the
//! register itself, which it protects nothing beyond). The secret key is also
//! kept encrypted with the user's passphrase (age scrypt, ASCII armour), and
//! that file, `medlem-backup-key.age`, is written beside every backup: a
//! restore on another computer needs only the stick and the passphrase.
//!
//! A backup file is an age file (X25519 recipient) whose plaintext is a
//! complete SQLite copy of the register with a `backup_info` table, so with
//! Debian's `age` tool alone:
//! `age -d -o key.txt medlem-backup-key.age` (asks the passphrase), then
//! `age -d -i key.txt -o medlem.sqlite <file>.medlem-backup`.
//!
//! Writing: snapshot (`VACUUM INTO`) on the local disk, encrypt to a
//! temporary name in the target folder, fsync, rename; then read the file
//! back from the folder, decrypt, `integrity_check` and compare counts with
//! the live register. Only a verified backup is recorded as the last good
//! one; one that fails is renamed `*.failed` and reported.

use std::fs::{self, File};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::{ExposeSecret, SecretString};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::atomic_file::TempFile;
use crate::db::SCHEMA_VERSION;
use crate::error::{Error, Result};
use crate::sqlite::{now, put_setting, setting, SqliteRegister};

/// The file beside each backup that holds the passphrase-encrypted key.
pub const KEY_FILE: &str = "medlem-backup-key.age";
/// The extension of backup files.
pub const EXTENSION: &str = "medlem-backup";

const SET_RECIPIENT: &str = "backup_recipient";
const SET_IDENTITY: &str = "backup_identity";
const SET_KEY_FILE: &str = "backup_key_file";
const SET_LAST: &str = "last_backup_at";

/// Why a backup or restore was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupFailure {
    /// No passphrase has been set for this register yet.
    NoPassphrase,
    WrongPassphrase,
    /// Not an age file, or not encrypted to this register's key.
    NotABackup,
    /// Truncated or altered: age's authentication failed, or the database
    /// inside is damaged.
    Damaged,
    /// Written by a newer Medlem.
    Newer,
    /// The backup was written but did not read back identical.
    Unverified,
    /// `medlem-backup-key.age` is not beside the backup.
    NoKeyFile,
}

impl BackupFailure {
    pub fn code(self) -> &'static str {
        match self {
            BackupFailure::NoPassphrase => "no_passphrase",
            BackupFailure::WrongPassphrase => "wrong_passphrase",
            BackupFailure::NotABackup => "not_a_backup",
            BackupFailure::Damaged => "backup_damaged",
            BackupFailure::Newer => "newer_backup",
            BackupFailure::Unverified => "backup_unverified",
            BackupFailure::NoKeyFile => "no_key_file",
        }
    }
}

fn fail(kind: BackupFailure, detail: impl Into<String>) -> Error {
    Error::Backup {
        kind,
        detail: detail.into(),
    }
}

/// What a backup holds, read from inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    pub organisation: String,
    pub created_at: String,
    pub computer: String,
    pub medlem_version: String,
    pub schema_version: i64,
    pub members: i64,
    pub history_entries: i64,
}

/// A written and verified backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupReport {
    pub file: PathBuf,
    pub bytes: u64,
    pub info: BackupInfo,
}

/// How to open a backup: the register's own key, or a passphrase with the
/// key file beside the backup.
pub enum Unlock<'a> {
    Register(&'a SqliteRegister),
    Passphrase(SecretString),
}

/// Has this register a backup passphrase?
pub fn has_passphrase(reg: &SqliteRegister) -> Result<bool> {
    Ok(setting(reg.connection(), SET_KEY_FILE)?.is_some())
}

/// Sets (or changes) the backup passphrase. Creates the register's key pair
/// the first time. `work_factor` is scrypt's log2 N (None: age's calibrated
/// default, about a second; tests pass a small one).
pub fn set_passphrase(
    reg: &SqliteRegister,
    passphrase: &str,
    work_factor: Option<u8>,
) -> Result<()> {
    if passphrase.chars().count() < 8 {
        return Err(Error::field(
            "passphrase",
            crate::error::FieldCode::TooShort,
        ));
    }
    let conn = reg.connection();
    let identity = match setting(conn, SET_IDENTITY)? {
        Some(s) => parse_identity(&s)?,
        None => age::x25519::Identity::generate(),
    };
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
    let tx = reg.connection().unchecked_transaction()?;
    put_setting(&tx, SET_IDENTITY, identity.to_string().expose_secret())?;
    put_setting(&tx, SET_RECIPIENT, &identity.to_public().to_string())?;
    put_setting(&tx, SET_KEY_FILE, &String::from_utf8_lossy(&armored))?;
    tx.commit()?;
    Ok(())
}

fn parse_identity(s: &str) -> Result<age::x25519::Identity> {
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

fn computer_name() -> String {
    std::env::var("COMPUTERNAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .ok()
        .or_else(|| {
            fs::read_to_string("/etc/hostname")
                .ok()
                .map(|s| s.trim().to_owned())
        })
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// A file name part from the organisation's name: letters, digits, `-`.
fn file_stem(org: &str) -> String {
    let s: String = org
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let s = s
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if s.is_empty() {
        "medlem".to_owned()
    } else {
        s.chars().take(60).collect()
    }
}

fn counts(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
    Ok((
        conn.query_row("SELECT count(*) FROM members", [], |r| r.get(0))?,
        conn.query_row("SELECT count(*) FROM member_history", [], |r| r.get(0))?,
    ))
}

/// Writes a verified backup of `reg` into `dir`. `now` names the file
/// (`<Organisation>-YYYY-MM-DD-HHMMSS.medlem-backup`).
pub fn backup(
    reg: &SqliteRegister,
    dir: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<BackupReport> {
    let conn = reg.connection();
    let recipient = setting(conn, SET_RECIPIENT)?
        .and_then(|r| age::x25519::Recipient::from_str(&r).ok())
        .ok_or_else(|| fail(BackupFailure::NoPassphrase, "set a backup passphrase first"))?;
    let key_file = setting(conn, SET_KEY_FILE)?
        .ok_or_else(|| fail(BackupFailure::NoPassphrase, "set a backup passphrase first"))?;
    let org = reg.org_or_err()?;
    fs::create_dir_all(dir)?;

    // 1. A consistent snapshot on the local disk, with what is in it.
    progress("snapshot");
    // Plaintext: on the local disk only, removed however this function ends.
    let scratch = tempfile::tempdir()?;
    let snapshot = scratch.path().join("snapshot.sqlite");
    // SQLite's online backup: a consistent page copy, faster than VACUUM INTO.
    {
        let mut copy = Connection::open(&snapshot)?;
        rusqlite::backup::Backup::new(conn, &mut copy)?.run_to_completion(
            4096,
            std::time::Duration::ZERO,
            None,
        )?;
    }
    let info = {
        let snap = Connection::open(&snapshot)?;
        let (members, history) = counts(&snap)?;
        let info = BackupInfo {
            organisation: org.name.clone(),
            created_at: now(),
            computer: computer_name(),
            medlem_version: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version: SCHEMA_VERSION,
            members,
            history_entries: history,
        };
        snap.execute_batch(
            "CREATE TABLE backup_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
        )?;
        snap.execute(
            "INSERT INTO backup_info (key, value) VALUES ('info', ?1)",
            [serde_json::to_string(&info).unwrap_or_default()],
        )?;
        info
    };

    // 2. Encrypt to a temporary name on the stick, fsync, rename.
    progress("encrypt");
    let stamp = info
        .created_at
        .replace([':', 'T'], "-")
        .trim_end_matches('Z')
        .to_owned();
    let name = format!("{}-{stamp}.{EXTENSION}", file_stem(&org.name));
    let target = dir.join(&name);
    {
        let part = TempFile::beside(&target)?;
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| fail(BackupFailure::NoPassphrase, e.to_string()))?;
        let mut w =
            encryptor.wrap_output(std::io::BufWriter::with_capacity(1 << 20, part.file()))?;
        std::io::copy(&mut File::open(&snapshot)?, &mut w)?;
        w.finish()?.into_inner().map_err(|e| e.into_error())?;
        part.persist(&target)?;
    }
    drop(scratch);
    write_key_file(dir, &key_file)?;

    // 3. Read it back from the stick and check it against the register.
    progress("verify");
    let verified = verify_with(&target, &Unlock::Register(reg)).and_then(|got| {
        let (members, history) = counts(conn)?;
        if got.members == members && got.history_entries == history {
            Ok(got)
        } else {
            Err(fail(
                BackupFailure::Unverified,
                format!(
                    "read back {} members, the register has {members}",
                    got.members
                ),
            ))
        }
    });
    match verified {
        Ok(info) => {
            put_setting(conn, SET_LAST, &info.created_at)?;
            Ok(BackupReport {
                bytes: fs::metadata(&target)?.len(),
                file: target,
                info,
            })
        }
        Err(e) => {
            let _ = fs::rename(
                &target,
                target.with_extension(format!("{EXTENSION}.failed")),
            );
            Err(match e {
                Error::Backup { detail, .. } => fail(BackupFailure::Unverified, detail),
                other => fail(BackupFailure::Unverified, other.to_string()),
            })
        }
    }
}

fn write_key_file(dir: &Path, text: &str) -> Result<()> {
    let path = dir.join(KEY_FILE);
    if fs::read_to_string(&path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    let part = TempFile::beside(&path)?;
    part.file().write_all(text.as_bytes())?;
    part.persist(&path)?;
    Ok(())
}

fn identity_for(file: &Path, unlock: &Unlock) -> Result<age::x25519::Identity> {
    match unlock {
        Unlock::Register(reg) => {
            let s = setting(reg.connection(), SET_IDENTITY)?.ok_or_else(|| {
                fail(
                    BackupFailure::NoPassphrase,
                    "this register has no backup key",
                )
            })?;
            parse_identity(&s)
        }
        Unlock::Passphrase(p) => {
            let key = file.parent().unwrap_or(Path::new(".")).join(KEY_FILE);
            let bytes = fs::read(&key).map_err(|_| {
                fail(
                    BackupFailure::NoKeyFile,
                    format!("{} is not beside the backup", KEY_FILE),
                )
            })?;
            unlock_key_file(&bytes, p.clone())
        }
    }
}

/// Decrypts `file` into `out`, mapping age's errors.
fn decrypt_to(file: &Path, identity: &age::x25519::Identity, out: &File) -> Result<()> {
    let input = BufReader::new(File::open(file)?);
    let decryptor = age::Decryptor::new_buffered(input)
        .map_err(|e| fail(BackupFailure::NotABackup, e.to_string()))?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => fail(
                BackupFailure::NotABackup,
                "not encrypted to this register's key",
            ),
            other => fail(BackupFailure::Damaged, other.to_string()),
        })?;
    let mut w = std::io::BufWriter::new(out);
    std::io::copy(&mut reader, &mut w).map_err(|e| {
        if e.kind() == std::io::ErrorKind::InvalidData
            || e.kind() == std::io::ErrorKind::UnexpectedEof
        {
            fail(
                BackupFailure::Damaged,
                format!("the backup is truncated or altered ({e})"),
            )
        } else {
            Error::Io(e)
        }
    })?;
    w.into_inner().map_err(|e| e.into_error())?;
    Ok(())
}

/// Checks a decrypted copy: a sound Medlem database we can read.
fn check_copy(path: &Path) -> Result<BackupInfo> {
    let damaged = |e: rusqlite::Error| fail(BackupFailure::Damaged, e.to_string());
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(damaged)?;
    // integrity_check revisits index pages for every row: a large cache and
    // memory-mapped reads make it faster on a big register.
    conn.execute_batch("PRAGMA cache_size = -262144; PRAGMA mmap_size = 1073741824;")
        .map_err(damaged)?;
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(damaged)?;
    if ok != "ok" {
        return Err(fail(BackupFailure::Damaged, ok));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(damaged)?;
    if version > SCHEMA_VERSION {
        return Err(fail(
            BackupFailure::Newer,
            format!("made by a newer Medlem (schema {version}, this one knows {SCHEMA_VERSION})"),
        ));
    }
    let info: Option<String> = conn
        .query_row(
            "SELECT value FROM backup_info WHERE key = 'info'",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(|_| fail(BackupFailure::NotABackup, "no backup information inside"))?;
    let info: BackupInfo = info
        .and_then(|s| serde_json::from_str(&s).ok())
        .ok_or_else(|| fail(BackupFailure::NotABackup, "no backup information inside"))?;
    let (members, history) = counts(&conn).map_err(damaged)?;
    if (members, history) != (info.members, info.history_entries) {
        return Err(fail(
            BackupFailure::Damaged,
            "the counts inside do not match",
        ));
    }
    Ok(info)
}

fn verify_with(file: &Path, unlock: &Unlock) -> Result<BackupInfo> {
    let identity = identity_for(file, unlock)?;
    let scratch = tempfile::tempdir()?;
    let out = scratch.path().join("check.sqlite");
    decrypt_to(file, &identity, &File::create(&out)?)?;
    check_copy(&out)
}

/// Decrypts and checks a backup without touching any register.
pub fn verify(file: &Path, unlock: &Unlock) -> Result<BackupInfo> {
    verify_with(file, unlock)
}

/// What restoring did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub info: BackupInfo,
    /// The copy of the register as it was before, to undo the restore.
    pub safety_copy: Option<PathBuf>,
}

/// Replaces the register file at `db_path` by the backup `file`. The caller
/// must have closed every connection to `db_path`. The backup is decrypted
/// and checked beside the register first; the current register is copied to
/// `<dir>/safety/` and then replaced by one atomic rename, so a failure at
/// any step leaves the register as it was.
pub fn restore(db_path: &Path, file: &Path, unlock: &Unlock) -> Result<RestoreReport> {
    let identity = identity_for(file, unlock)?;
    let dir = db_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let incoming = TempFile::beside(db_path)?;
    decrypt_to(file, &identity, incoming.file())?;
    let info = check_copy(incoming.path())?;
    {
        let c = Connection::open(incoming.path())?;
        c.execute_batch("DROP TABLE IF EXISTS backup_info;")?;
    }
    let safety_copy = if db_path.exists() {
        let safety_dir = dir.join("safety");
        fs::create_dir_all(&safety_dir)?;
        let stamp = now()
            .replace([':', 'T'], "-")
            .trim_end_matches('Z')
            .to_owned();
        let copy = safety_dir.join(format!("before-restore-{stamp}.sqlite"));
        let current = Connection::open(db_path)?;
        current.execute("VACUUM INTO ?1", [copy.to_string_lossy()])?;
        current.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        drop(current);
        Some(copy)
    } else {
        None
    };
    for suffix in ["-wal", "-shm"] {
        let mut side = db_path.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            fs::remove_file(side)?;
        }
    }
    incoming.persist(db_path)?;
    Ok(RestoreReport { info, safety_copy })
}

/// When the last verified backup was made.
pub fn last_backup_at(reg: &SqliteRegister) -> Result<Option<String>> {
    setting(reg.connection(), SET_LAST)
}
