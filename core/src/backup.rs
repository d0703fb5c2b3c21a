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
pub use crate::error::BackupFailure;
use crate::error::{Error, Result};
use crate::store::sqlite::db::SCHEMA_VERSION;
use crate::store::sqlite::{put_setting, setting, SqliteRegister};
use crate::store::Register;
use crate::types::dates::now;

/// The file beside each backup that holds the passphrase-encrypted key.
pub const KEY_FILE: &str = "medlem-backup-key.age";
/// The extension of backup files.
pub const EXTENSION: &str = "medlem-backup";

const SET_RECIPIENT: &str = "backup_recipient";
const SET_IDENTITY: &str = "backup_identity";
const SET_KEY_FILE: &str = "backup_key_file";
const SET_LAST: &str = "last_backup_at";

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
    /// The newest change to a member inside (RFC 3339), read from the data.
    #[serde(default)]
    pub latest_change: Option<String>,
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
    /// The register's key, taken out before the register was closed for a
    /// restore (see [`register_identity`]).
    Key(age::x25519::Identity),
    Passphrase(SecretString),
}

/// The register's own backup key, if it has one.
pub fn register_identity(reg: &SqliteRegister) -> Result<age::x25519::Identity> {
    let s = setting(reg.connection(), SET_IDENTITY)?.ok_or_else(|| {
        fail(
            BackupFailure::PassphraseNeeded,
            "this register has no backup key of its own: type the backup's passphrase",
        )
    })?;
    parse_identity(&s)
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
/// (`<Organisation>-YYYY-MM-DD-HH-MM-SS.medlem-backup`). `progress` gets the
/// step (`snapshot`, `encrypt`, `verify`) and the fraction done overall.
pub fn backup(
    reg: &SqliteRegister,
    dir: &Path,
    progress: &mut dyn FnMut(&str, f32),
) -> Result<BackupReport> {
    backup_through(reg, dir, progress, &mut |f| Box::new(f))
}

/// Where the encrypted bytes go on their way to the file: the file itself,
/// or (in tests) a writer that fails like a full disk or a pulled stick.
pub type Sink<'s> = &'s mut dyn for<'a> FnMut(&'a File) -> Box<dyn Write + 'a>;

/// [`backup`] with the encrypted bytes written through `sink`; for fault
/// injection in tests.
#[doc(hidden)]
pub fn backup_through(
    reg: &SqliteRegister,
    dir: &Path,
    progress: &mut dyn FnMut(&str, f32),
    sink: Sink,
) -> Result<BackupReport> {
    let conn = reg.connection();
    let recipient = setting(conn, SET_RECIPIENT)?
        .and_then(|r| age::x25519::Recipient::from_str(&r).ok())
        .ok_or_else(|| fail(BackupFailure::NoPassphrase, "set a backup passphrase first"))?;
    let key_file = setting(conn, SET_KEY_FILE)?
        .ok_or_else(|| fail(BackupFailure::NoPassphrase, "set a backup passphrase first"))?;
    let org = reg.org_or_err()?;
    fs::create_dir_all(dir).map_err(write_error)?;

    // 1. A consistent snapshot on the local disk, with what is in it.
    progress("snapshot", 0.0);
    // Plaintext: on the local disk only, removed however this function ends.
    let scratch = tempfile::tempdir()?;
    let snapshot = scratch.path().join("snapshot.sqlite");
    // SQLite's online backup: a consistent page copy, faster than VACUUM INTO.
    // A scratch copy needs no fsync: it is read back right away and
    // deleted; only the encrypted file on the stick is made durable.
    {
        let mut copy = Connection::open(&snapshot)?;
        copy.execute_batch("PRAGMA synchronous = OFF;")?;
        rusqlite::backup::Backup::new(conn, &mut copy)?.run_to_completion(
            i32::MAX,
            std::time::Duration::ZERO,
            None,
        )?;
    }
    let info = {
        let snap = Connection::open(&snapshot)?;
        snap.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF;")?;
        let (members, history) = counts(&snap)?;
        let info = BackupInfo {
            organisation: org.name.clone(),
            created_at: now(),
            computer: crate::lock::computer_name(),
            medlem_version: env!("CARGO_PKG_VERSION").to_owned(),
            schema_version: SCHEMA_VERSION,
            members,
            history_entries: history,
            latest_change: latest_change(&snap)?,
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
    progress("encrypt", 0.3);
    let stamp = info
        .created_at
        .replace([':', 'T'], "-")
        .trim_end_matches('Z')
        .to_owned();
    let name = format!("{}-{stamp}.{EXTENSION}", file_stem(&org.name));
    let target = dir.join(&name);
    // The snapshot's integrity_check runs on the second core while the
    // file is encrypted to the stick and read back.
    let checker = {
        let snapshot = snapshot.clone();
        std::thread::spawn(move || check_copy(&snapshot))
    };
    let written = write_encrypted(&snapshot, &target, &recipient, sink).map_err(write_error);
    let written = written.and_then(|()| write_key_file(dir, &key_file).map_err(write_error));
    let checked = checker
        .join()
        .unwrap_or_else(|_| Err(fail(BackupFailure::Unverified, "the check stopped")));
    written?;

    // 3. Read it back from the stick: it must decrypt to exactly the
    // snapshot that passed integrity_check, whose counts must be the
    // register's.
    progress("verify", 0.7);
    let verified = checked
        .map_err(|e| match e {
            Error::Backup { detail, .. } => fail(
                BackupFailure::Damaged,
                format!("the register itself failed its integrity check: {detail}"),
            ),
            other => other,
        })
        .and_then(|got| {
            let identity = register_identity(reg)?;
            read_back_equals(&target, &identity, &snapshot)?;
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
    drop(scratch);
    match verified {
        Ok(info) => {
            put_setting(conn, SET_LAST, &info.created_at)?;
            progress("done", 1.0);
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
                Error::Backup {
                    kind: BackupFailure::Damaged,
                    detail,
                } => fail(BackupFailure::Damaged, detail),
                Error::Backup { detail, .. } => fail(BackupFailure::Unverified, detail),
                other => fail(BackupFailure::Unverified, other.to_string()),
            })
        }
    }
}

/// Encrypts `snapshot` to a temporary name beside `target`, flushes it to
/// the disk and renames it: a failure at any point leaves no file under the
/// backup's name (the temporary one is removed when it can be).
fn write_encrypted(
    snapshot: &Path,
    target: &Path,
    recipient: &age::x25519::Recipient,
    sink: Sink,
) -> std::io::Result<()> {
    let part = TempFile::beside(target)?;
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(recipient as &dyn age::Recipient))
            .map_err(std::io::Error::other)?;
    {
        let out = std::io::BufWriter::with_capacity(1 << 20, sink(part.file()));
        let mut w = encryptor.wrap_output(out)?;
        std::io::copy(&mut File::open(snapshot)?, &mut w)?;
        let mut out = w.finish()?;
        out.flush()?;
    }
    part.persist(target)
}

/// Decrypts `file` (read back from the folder) and compares it byte for
/// byte with `expected`.
fn read_back_equals(file: &Path, identity: &age::x25519::Identity, expected: &Path) -> Result<()> {
    let differs = |what: &str| fail(BackupFailure::Unverified, format!("read back: {what}"));
    let input = BufReader::with_capacity(1 << 20, File::open(file)?);
    let decryptor = age::Decryptor::new_buffered(input).map_err(|e| differs(&e.to_string()))?;
    let mut got = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|e| differs(&e.to_string()))?;
    let mut want = BufReader::with_capacity(1 << 20, File::open(expected)?);
    let mut a = vec![0u8; 1 << 16];
    let mut b = vec![0u8; 1 << 16];
    loop {
        let n = fill(&mut got, &mut a).map_err(|e| differs(&e.to_string()))?;
        let m = fill(&mut want, &mut b[..n.max(1)])?;
        if n != m || a[..n] != b[..m] {
            return Err(differs("the file on the stick is not what was written"));
        }
        if n == 0 {
            return Ok(());
        }
    }
}

/// Reads until `buf` is full or the input ends; the bytes read.
fn fill(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Names what went wrong while writing to the backup folder.
fn write_error(e: std::io::Error) -> Error {
    // ENOSPC / EDQUOT on Unix, ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
    let full = e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || matches!(e.raw_os_error(), Some(28) | Some(122) if cfg!(unix))
        || matches!(e.raw_os_error(), Some(112) | Some(39) if cfg!(windows));
    if full {
        fail(
            BackupFailure::DiskFull,
            format!("the backup folder is full ({e}); nothing was written"),
        )
    } else {
        fail(
            BackupFailure::WriteFailed,
            format!("could not write to the backup folder ({e}); nothing was written"),
        )
    }
}

/// The newest change to a member in `conn` (RFC 3339), if any.
fn latest_change(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT max(x) FROM (SELECT max(updated_at) AS x FROM members \
         UNION ALL SELECT max(at) FROM member_history)",
        [],
        |r| r.get(0),
    )
}

fn write_key_file(dir: &Path, text: &str) -> std::io::Result<()> {
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
        Unlock::Register(reg) => register_identity(reg),
        Unlock::Key(k) => Ok(k.clone()),
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
fn decrypt_to(
    file: &Path,
    identity: &age::x25519::Identity,
    mismatch: BackupFailure,
    out: &File,
) -> Result<()> {
    let input = BufReader::new(File::open(file)?);
    let decryptor = age::Decryptor::new_buffered(input)
        .map_err(|e| fail(BackupFailure::NotABackup, e.to_string()))?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => fail(
                mismatch,
                match mismatch {
                    BackupFailure::PassphraseNeeded => {
                        "the backup comes from another register: type its passphrase"
                    }
                    _ => "the key beside the backup belongs to another register",
                },
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
    let mut info = info;
    info.latest_change = latest_change(&conn).map_err(damaged)?;
    Ok(info)
}

fn mismatch(unlock: &Unlock) -> BackupFailure {
    match unlock {
        Unlock::Register(_) | Unlock::Key(_) => BackupFailure::PassphraseNeeded,
        Unlock::Passphrase(_) => BackupFailure::NotABackup,
    }
}

/// Rejects files that are not age files at all before any key is needed.
fn check_is_age(file: &Path) -> Result<()> {
    let input = BufReader::new(File::open(file)?);
    age::Decryptor::new_buffered(input)
        .map(|_| ())
        .map_err(|e| fail(BackupFailure::NotABackup, e.to_string()))
}

fn verify_with(file: &Path, unlock: &Unlock) -> Result<BackupInfo> {
    check_is_age(file)?;
    let identity = identity_for(file, unlock)?;
    let scratch = tempfile::tempdir()?;
    let out = scratch.path().join("check.sqlite");
    decrypt_to(file, &identity, mismatch(unlock), &File::create(&out)?)?;
    check_copy(&out)
}

/// Decrypts and checks a backup without touching any register.
pub fn verify(file: &Path, unlock: &Unlock) -> Result<BackupInfo> {
    verify_with(file, unlock)
}

/// What a backup holds, opened with the register's own key when it is one
/// of its backups, else with `passphrase` (the key file beside it). Without
/// a passphrase, a backup of another register is `passphrase_needed`.
pub fn inspect(
    file: &Path,
    reg: Option<&SqliteRegister>,
    passphrase: Option<SecretString>,
) -> Result<BackupInfo> {
    match (passphrase, reg) {
        (Some(p), _) => verify_with(file, &Unlock::Passphrase(p)),
        (None, Some(r)) => verify_with(file, &Unlock::Register(r)),
        (None, None) => {
            check_is_age(file)?;
            Err(fail(
                BackupFailure::PassphraseNeeded,
                "type the backup's passphrase",
            ))
        }
    }
}

/// How a backup compares with the register it would replace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Comparison {
    /// Is there a register with an organisation to replace at all?
    pub has_register: bool,
    pub current_organisation: Option<String>,
    pub current_members: i64,
    pub current_history_entries: i64,
    pub current_latest_change: Option<String>,
    /// The register holds changes newer than anything in the backup:
    /// restoring loses them.
    pub backup_is_older: bool,
    pub same_organisation: bool,
}

/// Compares the backup described by `info` with `reg`.
pub fn compare(reg: &SqliteRegister, info: &BackupInfo) -> Result<Comparison> {
    let conn = reg.connection();
    let org = reg.org()?;
    let (members, history) = counts(conn)?;
    let current = latest_change(conn)?;
    let backup_is_older = match (&current, &info.latest_change) {
        (Some(c), Some(b)) => c > b,
        (Some(_), None) => true,
        _ => false,
    };
    Ok(Comparison {
        has_register: org.is_some(),
        same_organisation: org.as_ref().is_some_and(|o| o.name == info.organisation),
        current_organisation: org.map(|o| o.name),
        current_members: members,
        current_history_entries: history,
        current_latest_change: current,
        backup_is_older,
    })
}

/// What restoring did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RestoreReport {
    pub info: BackupInfo,
    /// The copy of the register as it was before, to undo the restore.
    pub safety_copy: Option<PathBuf>,
}

fn db_dir(db_path: &Path) -> &Path {
    db_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// The folder of safety copies beside the register.
pub fn safety_dir(db_path: &Path) -> PathBuf {
    db_dir(db_path).join("safety")
}

/// Replaces the register file at `db_path` by the backup `file`. The caller
/// must have closed every connection to `db_path`. The backup is decrypted
/// and checked beside the register first; the current register is copied to
/// `<dir>/safety/` and then replaced by one atomic rename, so a failure at
/// any step leaves the register as it was. `progress` as for [`backup`].
pub fn restore(
    db_path: &Path,
    file: &Path,
    unlock: &Unlock,
    progress: &mut dyn FnMut(&str, f32),
) -> Result<RestoreReport> {
    progress("decrypt", 0.0);
    check_is_age(file)?;
    let identity = identity_for(file, unlock)?;
    fs::create_dir_all(db_dir(db_path))?;
    // The safety copy of the current register is made on the second core
    // while the backup is decrypted and checked.
    let safety = {
        let db = db_path.to_path_buf();
        std::thread::spawn(move || make_safety_copy(&db, "before-restore"))
    };
    let incoming = (|| {
        let incoming = TempFile::beside(db_path)?;
        decrypt_to(file, &identity, mismatch(unlock), incoming.file())?;
        progress("check", 0.4);
        let info = check_copy(incoming.path())?;
        let c = Connection::open(incoming.path())?;
        c.execute_batch("DROP TABLE IF EXISTS backup_info;")?;
        // The backup itself is a verified backup of what is now the
        // register: it counts as the last good one (unless a later one is
        // recorded inside).
        let last = setting(&c, SET_LAST)?;
        if last.as_deref().is_none_or(|l| l < info.created_at.as_str()) {
            put_setting(&c, SET_LAST, &info.created_at)?;
        }
        Ok((incoming, info))
    })();
    progress("safety", 0.8);
    let safety = safety
        .join()
        .unwrap_or_else(|_| Err(Error::Io(std::io::Error::other("the safety copy stopped"))));
    match (incoming, safety) {
        (Ok((incoming, info)), Ok(safety_copy)) => {
            swap_in(db_path, incoming)?;
            progress("done", 1.0);
            Ok(RestoreReport { info, safety_copy })
        }
        (Err(e), Ok(Some(copy))) => {
            // Nothing was restored: the copy is not needed.
            let _ = fs::remove_file(copy);
            Err(e)
        }
        (Err(e), _) | (Ok(_), Err(e)) => Err(e),
    }
}

/// Copies the register at `db_path` (if there is one) into the safety
/// folder, whole or not at all; the copy's path.
fn make_safety_copy(db_path: &Path, why: &str) -> Result<Option<PathBuf>> {
    if !db_path.exists() {
        return Ok(None);
    }
    let dir = safety_dir(db_path);
    fs::create_dir_all(&dir)?;
    let stamp = now()
        .replace([':', 'T'], "-")
        .trim_end_matches('Z')
        .to_owned();
    let mut copy = dir.join(format!("{why}-{stamp}.sqlite"));
    let mut n = 1;
    while copy.exists() {
        n += 1;
        copy = dir.join(format!("{why}-{stamp}-{n}.sqlite"));
    }
    let current = Connection::open(db_path)?;
    current.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    let part = TempFile::beside(&copy)?;
    {
        let mut out = Connection::open(part.path())?;
        rusqlite::backup::Backup::new(&current, &mut out)?.run_to_completion(
            4096,
            std::time::Duration::ZERO,
            None,
        )?;
        out.execute_batch("PRAGMA journal_mode = DELETE;")?;
    }
    drop(current);
    part.persist(&copy)?;
    Ok(Some(copy))
}

/// Renames `incoming` over the register at `db_path` (after its safety
/// copy was made), removing the old register's WAL files.
fn swap_in(db_path: &Path, incoming: TempFile) -> Result<()> {
    for suffix in ["-wal", "-shm"] {
        let mut side = db_path.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            fs::remove_file(side)?;
        }
    }
    incoming.persist(db_path)?;
    Ok(())
}

/// A copy of the register kept before a restore, to undo it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SafetyCopy {
    pub file: PathBuf,
    /// When the copy was made (RFC 3339, from the file's name).
    pub created_at: String,
    pub organisation: Option<String>,
    pub members: i64,
}

/// The safety copies beside the register, newest first.
pub fn safety_copies(db_path: &Path) -> Result<Vec<SafetyCopy>> {
    let dir = safety_dir(db_path);
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for e in entries.flatten() {
        let file = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".sqlite") else {
            continue;
        };
        // before-restore-2026-11-23-04-47-21[-n]
        let Some(stamp) = stem.find(|c: char| c.is_ascii_digit()).map(|i| &stem[i..]) else {
            continue;
        };
        let Some(created_at) = stamp_to_rfc3339(stamp) else {
            continue;
        };
        let Ok(conn) = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
            continue;
        };
        let organisation = conn
            .query_row("SELECT name FROM organisation LIMIT 1", [], |r| r.get(0))
            .optional()
            .ok()
            .flatten();
        let Ok((members, _)) = counts(&conn) else {
            continue;
        };
        out.push(SafetyCopy {
            file,
            created_at,
            organisation,
            members,
        });
    }
    out.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| b.file.cmp(&a.file))
    });
    Ok(out)
}

/// `2026-11-23-04-47-21` → `2026-11-23T04:47:21Z`.
fn stamp_to_rfc3339(stamp: &str) -> Option<String> {
    let p: Vec<&str> = stamp.split('-').collect();
    if p.len() < 6 || !p[..6].iter().all(|x| x.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    Some(format!(
        "{}-{}-{}T{}:{}:{}Z",
        p[0], p[1], p[2], p[3], p[4], p[5]
    ))
}

/// Undoes a restore: puts the safety copy `copy` back as the register (after
/// keeping a safety copy of the register being replaced). The caller must
/// have closed every connection to `db_path`.
pub fn restore_safety_copy(db_path: &Path, copy: &Path) -> Result<Option<PathBuf>> {
    let incoming = TempFile::beside(db_path)?;
    {
        let src = Connection::open_with_flags(copy, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| fail(BackupFailure::Damaged, e.to_string()))?;
        let mut dst = Connection::open(incoming.path())?;
        rusqlite::backup::Backup::new(&src, &mut dst)
            .and_then(|b| b.run_to_completion(4096, std::time::Duration::ZERO, None))
            .map_err(|e| fail(BackupFailure::Damaged, e.to_string()))?;
    }
    let conn = Connection::open_with_flags(incoming.path(), OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| fail(BackupFailure::Damaged, e.to_string()))?;
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let has_members = counts(&conn).is_ok();
    drop(conn);
    if ok != "ok" || !has_members {
        return Err(fail(BackupFailure::Damaged, "the safety copy is damaged"));
    }
    if version > SCHEMA_VERSION {
        return Err(fail(BackupFailure::Newer, "made by a newer Medlem"));
    }
    let kept = make_safety_copy(db_path, "before-undo")?;
    swap_in(db_path, incoming)?;
    Ok(kept)
}

/// Automatic backups: into which folder, how often, how many to keep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schedule {
    /// The folder for automatic backups; none: no automatic backups.
    pub folder: Option<PathBuf>,
    /// Back up when this many hours have passed since the last good
    /// backup; 0: not on a schedule.
    pub every_hours: u32,
    /// How many automatic backups to keep in the folder (the oldest go).
    pub keep: u32,
    /// Back up when the app closes.
    pub on_close: bool,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            folder: None,
            every_hours: 0,
            keep: 10,
            on_close: false,
        }
    }
}

const SET_SCHEDULE: &str = "backup_schedule";

/// The register's automatic backup settings.
pub fn schedule(reg: &SqliteRegister) -> Result<Schedule> {
    Ok(setting(reg.connection(), SET_SCHEDULE)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Saves the automatic backup settings; refuses nonsense (keep 0, a
/// schedule without a folder, a folder that is not a folder).
pub fn set_schedule(reg: &SqliteRegister, s: &Schedule) -> Result<Schedule> {
    let mut errors = Vec::new();
    if !(1..=1000).contains(&s.keep) {
        errors.push(crate::FieldError::new(
            "keep",
            crate::FieldCode::InvalidNumber,
        ));
    }
    if s.every_hours > 24 * 366 {
        errors.push(crate::FieldError::new(
            "everyHours",
            crate::FieldCode::InvalidChoice,
        ));
    }
    let folder = s
        .folder
        .as_ref()
        .filter(|f| !f.as_os_str().is_empty())
        .cloned();
    match &folder {
        None if s.every_hours > 0 || s.on_close => {
            errors.push(crate::FieldError::new("folder", crate::FieldCode::Required))
        }
        Some(f) if f.exists() && !f.is_dir() => errors.push(crate::FieldError::new(
            "folder",
            crate::FieldCode::InvalidChoice,
        )),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let s = Schedule {
        folder,
        ..s.clone()
    };
    put_setting(
        reg.connection(),
        SET_SCHEDULE,
        &serde_json::to_string(&s).unwrap_or_default(),
    )?;
    Ok(s)
}

/// Is a scheduled backup due at `now`, given the last good one?
pub fn is_due(s: &Schedule, last: Option<&str>, now: chrono::DateTime<chrono::Utc>) -> bool {
    if s.folder.is_none() || s.every_hours == 0 {
        return false;
    }
    match last.and_then(|l| chrono::DateTime::parse_from_rfc3339(l).ok()) {
        None => true,
        Some(l) => now.signed_duration_since(l) >= chrono::Duration::hours(s.every_hours.into()),
    }
}

/// Deletes this organisation's oldest backups in `dir` so that `keep`
/// remain; other files are never touched. Returns the deleted files.
pub fn prune(dir: &Path, organisation: &str, keep: u32) -> Result<Vec<PathBuf>> {
    let prefix = format!("{}-", file_stem(organisation));
    let suffix = format!(".{EXTENSION}");
    let mut ours: Vec<PathBuf> = fs::read_dir(dir)?
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix(&prefix)
                .and_then(|r| r.strip_suffix(&suffix))
                .is_some_and(|stamp| stamp_to_rfc3339(stamp).is_some() && stamp.len() == 19)
        })
        .map(|e| e.path())
        .collect();
    ours.sort();
    let excess = ours.len().saturating_sub(keep.max(1) as usize);
    let mut gone = Vec::new();
    for f in ours.into_iter().take(excess) {
        fs::remove_file(&f)?;
        gone.push(f);
    }
    Ok(gone)
}

/// The passphrase typed a second time must be the same (`repeat`
/// `mismatch`); both shells ask twice.
pub fn check_repeat(passphrase: &str, repeat: &str) -> Result<()> {
    if passphrase != repeat {
        return Err(Error::field("repeat", crate::error::FieldCode::Mismatch));
    }
    Ok(())
}

/// Is a backup wanted when the app closes: the schedule says so and
/// automatic backups can run?
pub fn on_close_wanted(reg: &SqliteRegister) -> Result<bool> {
    Ok(schedule(reg)?.on_close && auto_ready(reg)?)
}

/// Is a scheduled backup due at `now` (a passphrase set, and the schedule's
/// interval passed since the last good backup)?
pub fn scheduled_due(reg: &SqliteRegister, now: chrono::DateTime<chrono::Utc>) -> Result<bool> {
    Ok(has_passphrase(reg)? && is_due(&schedule(reg)?, last_backup_at(reg)?.as_deref(), now))
}

/// Can automatic backups run: a folder chosen and a passphrase set?
pub fn auto_ready(reg: &SqliteRegister) -> Result<bool> {
    Ok(schedule(reg)?.folder.is_some() && has_passphrase(reg)?)
}

/// An automatic backup into the schedule's folder, then pruning to `keep`.
/// `None` when no folder or passphrase is set.
pub fn auto_backup(
    reg: &SqliteRegister,
    progress: &mut dyn FnMut(&str, f32),
) -> Result<Option<BackupReport>> {
    if !auto_ready(reg)? {
        return Ok(None);
    }
    let s = schedule(reg)?;
    let Some(folder) = s.folder.as_deref() else {
        return Ok(None);
    };
    // An automatic backup never creates its folder: a stick that is not
    // plugged in must not turn into a folder on the local disk.
    if !folder.is_dir() {
        return Err(fail(
            BackupFailure::WriteFailed,
            format!(
                "the backup folder {} is not there (is the USB stick plugged in?)",
                folder.display()
            ),
        ));
    }
    let report = backup(reg, folder, progress)?;
    prune(folder, &report.info.organisation, s.keep)?;
    Ok(Some(report))
}

/// What the Backup area shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    pub has_passphrase: bool,
    pub last_backup_at: Option<String>,
    pub schedule: Schedule,
}

pub fn status(reg: &SqliteRegister) -> Result<Status> {
    Ok(Status {
        has_passphrase: has_passphrase(reg)?,
        last_backup_at: last_backup_at(reg)?,
        schedule: schedule(reg)?,
    })
}

/// When the last verified backup was made.
pub fn last_backup_at(reg: &SqliteRegister) -> Result<Option<String>> {
    setting(reg.connection(), SET_LAST)
}
