//! The names of a backup's files: backups (organisation, time and key
//! fingerprint), key files, and the times in the names of backups and
//! safety copies.

use std::path::Path;

use crate::types::dates::Timestamp;

/// The extension of backup files.
pub const EXTENSION: &str = "medlem-backup";

/// The key file name backups before key fingerprints used (one per folder;
/// read, never written).
pub const LEGACY_KEY_FILE: &str = "medlem-backup-key.age";

/// The file beside a backup that holds the passphrase-encrypted key with
/// fingerprint `fp`: one per key, so registers sharing a folder never
/// replace each other's.
pub fn key_file_name(fp: &str) -> String {
    format!("medlem-backup-key-{fp}.age")
}

/// Is `name` a key file (this naming or the legacy one)?
pub(super) fn is_key_file(name: &str) -> bool {
    name == LEGACY_KEY_FILE
        || name
            .strip_prefix("medlem-backup-key-")
            .and_then(|r| r.strip_suffix(".age"))
            .is_some_and(is_fingerprint)
}

/// A key's short name that a person can read and compare: eight characters
/// of its public key (`age1` left off), as in `medlem-backup-key-3k9x7q2m.age`.
pub fn fingerprint(recipient: &age::x25519::Recipient) -> String {
    recipient.to_string().chars().skip(4).take(8).collect()
}

/// Could `s` be a fingerprint (eight characters of bech32)?
pub(super) fn is_fingerprint(s: &str) -> bool {
    s.len() == 8
        && s.chars()
            .all(|c| "qpzry9x8gf2tvdw0s3jn54khce6mua7l".contains(c))
}

/// A file name part from the organisation's name: letters, digits, `-`.
pub(super) fn file_stem(org: &str) -> String {
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

/// `<Organisation>-YYYY-MM-DD-HH-MM-SS-<fingerprint>.medlem-backup`: the
/// organisation and time for a person, the key's fingerprint for Medlem.
pub(super) fn backup_name(org: &str, stamp: &str, fp: &str) -> String {
    format!("{}-{stamp}-{fp}.{EXTENSION}", file_stem(org))
}

/// A backup file name's time and key fingerprint (`None` for backups named
/// before fingerprints: `<Organisation>-<time>.medlem-backup`).
pub(super) fn parse_backup_name(name: &str) -> Option<(Timestamp, Option<&str>)> {
    let rest = name.strip_suffix(&format!(".{EXTENSION}"))?;
    let (rest, fp) = match rest.rsplit_once('-') {
        Some((r, fp)) if is_fingerprint(fp) => (r, Some(fp)),
        _ => (rest, None),
    };
    let stamp = rest.get(rest.len().checked_sub(19)?..)?;
    Some((stamp_time(stamp)?, fp))
}

/// The folder the register at `db_path` is in: its safety copies and
/// scratch copies go there.
pub fn db_dir(db_path: &Path) -> &Path {
    db_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// `2026-11-23T04:47:21Z` → `2026-11-23-04-47-21`, the time in a file name.
pub(super) fn stamp_text(t: Timestamp) -> String {
    t.to_string()
        .replace([':', 'T'], "-")
        .trim_end_matches('Z')
        .to_owned()
}

/// A safety copy's name, `<why>-YYYY-MM-DD-HH-MM-SS[-n].sqlite`, read back:
/// why (`before-restore`, `before-undo`), when, and its number within that
/// second (1 when it has none).
pub(super) fn parse_safety_name(name: &str) -> Option<(&str, Timestamp, u32)> {
    let stem = name.strip_suffix(".sqlite")?;
    let at = stem.find(|c: char| c.is_ascii_digit())?;
    let (why, rest) = stem.split_at(at);
    let parts: Vec<&str> = rest.split('-').collect();
    let n = match parts.get(6) {
        None => 1,
        Some(n) => n.parse().ok()?,
    };
    Some((why.trim_end_matches('-'), stamp_time(rest)?, n))
}

/// `2026-11-23-04-47-21` → `2026-11-23T04:47:21Z`.
pub(super) fn stamp_time(stamp: &str) -> Option<Timestamp> {
    let p: Vec<&str> = stamp.split('-').collect();
    if p.len() < 6 || !p[..6].iter().all(|x| x.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    Timestamp::parse(&format!(
        "{}-{}-{}T{}:{}:{}Z",
        p[0], p[1], p[2], p[3], p[4], p[5]
    ))
}
