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

mod keys;
mod restore;
mod schedule;
mod write;

pub use crate::error::BackupFailure;
pub use keys::*;
pub use restore::*;
pub use schedule::*;
pub use write::*;
