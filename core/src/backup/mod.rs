//! Encrypted, verified backups and restore.
//!
//! Keys: one age X25519 key pair per register. The public key (recipient)
//! and the secret key live in the register's settings, so backups and their
//! verification need no passphrase (the secret key is as safe there as the
//! register itself, which it protects nothing beyond). The secret key is also
//! kept encrypted with the user's passphrase (age scrypt, ASCII armour), and
//! that file, `medlem-backup-key-<fingerprint>.age`, is written beside every
//! backup: a restore on another computer needs only the stick and the
//! passphrase. The fingerprint (eight characters of the public key) also
//! ends each backup's name, so registers sharing a stick never replace each
//! other's key file, pruning touches only backups of the register's own keys,
//! and a restore finds the key file that belongs to the backup (backups named
//! before fingerprints: the key file the passphrase opens and that opens the
//! backup). A new passphrase makes a new key for later backups; the register
//! keeps its earlier keys to open its earlier backups.
//!
//! A backup file is an age file (X25519 recipient) whose plaintext is a
//! complete SQLite copy of the register with a `backup_info` table, so with
//! Debian's `age` tool alone:
//! `age -d -o key.txt medlem-backup-key-<fingerprint>.age` (asks the passphrase), then
//! `age -d -i key.txt -o medlem.sqlite <file>.medlem-backup`.
//!
//! Writing: snapshot (SQLite's online backup, `VACUUM`ed when it holds freed
//! pages, which may hold deleted data) in a scratch folder beside the
//! register, encrypt to a
//! temporary name in the target folder, fsync, rename; then read the file
//! back from the folder, decrypt, `integrity_check` and compare counts with
//! the live register. Only a verified backup is recorded as the last good
//! one; one that fails is renamed `*.failed` and reported.
//!
//! A register on the office server is backed up the same way from a copy
//! of one snapshot of it in a scratch file on this computer (`server.rs`):
//! the same file, which restores on any computer.
//!
//! Restoring writes the checked copy into the register through SQLite's
//! online backup (one transaction: a crash leaves the old register or the
//! new one), after a safety copy; the newest safety copies are kept (10
//! unless set).

mod keys;
mod names;
mod restore;
mod schedule;
mod server;
mod write;

pub use crate::error::BackupFailure;
pub use keys::*;
pub use names::*;
pub use restore::*;
pub use schedule::*;
pub use server::*;
pub use write::*;
