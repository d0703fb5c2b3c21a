//! Writing a backup and reading it back: snapshot, encrypt, verify;
//! inspecting and comparing a backup with the register.

use std::fs::{self, File};
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use age::secrecy::SecretString;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::atomic_file::TempFile;
use crate::error::{BackupFailure, Error, Result};
use crate::store::sqlite::db::SCHEMA_VERSION;
use crate::store::sqlite::{put_setting, setting, SqliteRegister};
use crate::store::{Register, Store};
use crate::types::dates::{now, Timestamp};

use super::keys::*;
use super::names::*;

/// What a backup holds, read from inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupInfo {
    pub organisation: String,
    pub created_at: Timestamp,
    pub computer: String,
    pub medlem_version: String,
    pub schema_version: i64,
    pub members: i64,
    pub history_entries: i64,
    /// The newest change to a member inside (RFC 3339), read from the data.
    #[serde(default)]
    pub latest_change: Option<Timestamp>,
}

/// A written and verified backup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupReport {
    pub file: PathBuf,
    pub bytes: u64,
    pub info: BackupInfo,
}

pub(super) fn counts(conn: &Connection) -> rusqlite::Result<(i64, i64)> {
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
    let fp = fingerprint(&recipient);
    let org = reg.org_or_err()?;
    fs::create_dir_all(dir).map_err(write_error)?;

    // 1. A consistent snapshot on the local disk, with what is in it.
    progress("snapshot", 0.0);
    // Plaintext: beside the register only (never the system's temporary
    // folder, which Windows does not clean), removed however this function
    // ends, and swept at the next start after a crash.
    let scratch = crate::scratch::dir_beside(reg.path())?;
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
        // Freed pages may still hold erased members: a backup holds none.
        let freed: i64 = snap.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
        if freed > 0 {
            snap.execute_batch("VACUUM;")?;
        }
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
    let name = backup_name(&org.name, &stamp_text(info.created_at), &fp);
    let target = dir.join(&name);
    // The snapshot's integrity_check runs on the second core while the
    // file is encrypted to the stick and read back.
    let checker = {
        let snapshot = snapshot.clone();
        std::thread::spawn(move || check_copy(&snapshot))
    };
    // The key file first: a crash between the two leaves at most a key
    // file, never a backup that no key file beside it opens.
    let written = write_key_file(dir, &fp, &key_file)
        .and_then(|()| write_encrypted(&snapshot, &target, &recipient, sink))
        .map_err(write_error);
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
            put_setting(conn, SET_LAST, &info.created_at.to_string())?;
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
pub(super) fn write_encrypted(
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
pub(super) fn read_back_equals(
    file: &Path,
    identity: &age::x25519::Identity,
    expected: &Path,
) -> Result<()> {
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
pub(super) fn fill(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
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
pub(super) fn write_error(e: std::io::Error) -> Error {
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
pub(super) fn latest_change(conn: &Connection) -> rusqlite::Result<Option<Timestamp>> {
    conn.query_row(
        "SELECT max(x) FROM (SELECT max(updated_at) AS x FROM members \
         UNION ALL SELECT max(at) FROM member_history)",
        [],
        |r| r.get(0),
    )
}

/// Writes the key file for key `fp` beside the backups (unless the same
/// text is there). Each key has its own file: another register's key file
/// in the same folder is never replaced.
pub(super) fn write_key_file(dir: &Path, fp: &str, text: &str) -> std::io::Result<()> {
    let path = dir.join(key_file_name(fp));
    if fs::read_to_string(&path).ok().as_deref() == Some(text) {
        return Ok(());
    }
    let part = TempFile::beside(&path)?;
    // The user's alone where the stick's file system has modes (FAT has none).
    let _ = crate::scratch::private(part.path());
    part.file().write_all(text.as_bytes())?;
    part.persist(&path)?;
    Ok(())
}

/// The keys that may open `file`: the register's (all it has had), the one
/// taken out before a restore, or the key beside the backup that the
/// passphrase opens and that opens the backup.
pub(super) fn identity_for(file: &Path, unlock: &Unlock) -> Result<Vec<age::x25519::Identity>> {
    match unlock {
        Unlock::Register(reg) => register_identities(*reg),
        Unlock::Key(k) => Ok(vec![k.clone()]),
        Unlock::Passphrase(p) => key_beside(file, p).map(|k| vec![k]),
    }
}

/// Finds the key file beside `file` that belongs to it: the one named by
/// the fingerprint in its name, else (backups named before fingerprints)
/// each key file in the folder that `passphrase` opens, until one opens the
/// backup.
fn key_beside(file: &Path, passphrase: &SecretString) -> Result<age::x25519::Identity> {
    let dir = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file.file_name().unwrap_or_default().to_string_lossy();
    let named = parse_backup_name(&name)
        .and_then(|(_, fp)| fp)
        .map(|fp| dir.join(key_file_name(fp)))
        .filter(|k| k.is_file());
    let candidates: Vec<PathBuf> = match named {
        Some(k) => vec![k],
        None => {
            let mut all: Vec<PathBuf> = fs::read_dir(dir)
                .map(|entries| {
                    entries
                        .flatten()
                        .filter(|e| is_key_file(&e.file_name().to_string_lossy()))
                        .map(|e| e.path())
                        .collect()
                })
                .unwrap_or_default();
            // The legacy name first: a backup without a fingerprint most
            // likely belongs to it.
            all.sort_by_key(|p| (p.file_name() != Some(LEGACY_KEY_FILE.as_ref()), p.clone()));
            all
        }
    };
    if candidates.is_empty() {
        return Err(fail(
            BackupFailure::NoKeyFile,
            "no key file (medlem-backup-key-….age) is beside the backup",
        ));
    }
    let mut opened_one = false;
    let mut last = None;
    for k in candidates {
        let bytes = fs::read(&k)?;
        match unlock_key_file(&bytes, passphrase.clone()) {
            Ok(identity) => {
                opened_one = true;
                if opens(file, &identity)? {
                    return Ok(identity);
                }
            }
            Err(e) => last = Some(e),
        }
    }
    Err(if opened_one {
        fail(
            BackupFailure::NotABackup,
            "the key beside the backup belongs to another register",
        )
    } else {
        last.unwrap_or_else(|| fail(BackupFailure::WrongPassphrase, "wrong passphrase"))
    })
}

/// Does `identity` open the backup `file`? Reads its header only.
pub(super) fn opens(file: &Path, identity: &age::x25519::Identity) -> Result<bool> {
    let input = BufReader::new(File::open(file)?);
    let decryptor = age::Decryptor::new_buffered(input)
        .map_err(|e| fail(BackupFailure::NotABackup, e.to_string()))?;
    Ok(decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .is_ok())
}

/// Decrypts `file` into `out`, mapping age's errors.
pub(super) fn decrypt_to(
    file: &Path,
    identities: &[age::x25519::Identity],
    mismatch: BackupFailure,
    out: &File,
) -> Result<()> {
    let input = BufReader::new(File::open(file)?);
    let decryptor = age::Decryptor::new_buffered(input)
        .map_err(|e| fail(BackupFailure::NotABackup, e.to_string()))?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i as &dyn age::Identity))
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
pub(super) fn check_copy(path: &Path) -> Result<BackupInfo> {
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

pub(super) fn mismatch(unlock: &Unlock) -> BackupFailure {
    match unlock {
        Unlock::Register(_) | Unlock::Key(_) => BackupFailure::PassphraseNeeded,
        Unlock::Passphrase(_) => BackupFailure::NotABackup,
    }
}

/// Rejects files that are not age files at all before any key is needed.
pub(super) fn check_is_age(file: &Path) -> Result<()> {
    let input = BufReader::new(File::open(file)?);
    age::Decryptor::new_buffered(input)
        .map(|_| ())
        .map_err(|e| fail(BackupFailure::NotABackup, e.to_string()))
}

pub(super) fn verify_with(file: &Path, unlock: &Unlock, scratch: &Path) -> Result<BackupInfo> {
    check_is_age(file)?;
    let identities = identity_for(file, unlock)?;
    let scratch = crate::scratch::dir_in(scratch)?;
    let out = scratch.path().join("check.sqlite");
    decrypt_to(file, &identities, mismatch(unlock), &File::create(&out)?)?;
    check_copy(&out)
}

/// Decrypts and checks a backup without touching any register; the
/// decrypted copy is made (and removed) in a scratch folder inside
/// `scratch`, the register's folder.
pub fn verify(file: &Path, unlock: &Unlock, scratch: &Path) -> Result<BackupInfo> {
    verify_with(file, unlock, scratch)
}

/// What a backup holds, opened with the register's own key when it is one
/// of its backups, else with `passphrase` (the key file beside it). Without
/// a passphrase, a backup of another register is `passphrase_needed`.
pub fn inspect(
    file: &Path,
    reg: Option<&SqliteRegister>,
    passphrase: Option<SecretString>,
) -> Result<BackupInfo> {
    let scratch = reg
        .and_then(|r| r.path())
        .map(|p| db_dir(p).to_path_buf())
        .unwrap_or_else(std::env::temp_dir);
    match (passphrase, reg) {
        (Some(p), _) => verify_with(file, &Unlock::Passphrase(p), &scratch),
        (None, Some(r)) => verify_with(file, &Unlock::Register(r), &scratch),
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
    pub current_latest_change: Option<Timestamp>,
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
    // Times are kept to the second: a change in the backup's last second
    // shows in the history's length.
    let backup_is_older = match (&current, &info.latest_change) {
        (Some(c), Some(b)) => c > b || (c == b && history > info.history_entries),
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
