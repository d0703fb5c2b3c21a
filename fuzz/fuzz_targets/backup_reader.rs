//! The backup reader: the first byte picks what the rest is.
//! - 0: a `.medlem-backup` file, verified with the fuzz key
//!   (`backup::verify`: age header, decryption, then the check of the copy)
//!   and inspected without a key (`backup::inspect`: is it an age file);
//! - 1: the decrypted copy itself (where the bugs would hide: a SQLite file
//!   that passes for a backup), encrypted to the fuzz key and verified the
//!   same way, then compared with a register (`backup::compare`);
//! - 2: a key file (`backup::unlock_key_file` with the seeds' passphrase).
//!
//! Never a panic, whatever the bytes.

#![no_main]

use std::cell::RefCell;
use std::io::{Read, Write};

use libfuzzer_sys::fuzz_target;
use medlem_core::age;
use medlem_core::age::secrecy::SecretString;
use medlem_core::backup::{self, Unlock};
use medlem_core::SqliteRegister;

thread_local! {
    static REGISTER: RefCell<SqliteRegister> = RefCell::new({
        let mut reg = SqliteRegister::open_in_memory().expect("open in memory");
        medlem_core::demo::create(&mut reg, 12).expect("demo register");
        reg
    });
    static IDENTITY: age::x25519::Identity = medlem_fuzz::identity();
}

fuzz_target!(init: medlem_fuzz::init("backup_reader"), |data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => backup_file(rest),
        1 => decrypted_copy(rest),
        _ => key_file(rest),
    }
});

fn verify(file_bytes: &[u8]) -> Option<backup::BackupInfo> {
    let file = medlem_fuzz::scratch_file("fuzz.medlem-backup", file_bytes);
    let key = IDENTITY.with(Clone::clone);
    let info = backup::verify(&file, &Unlock::Key(key), medlem_fuzz::scratch());
    let _ = backup::inspect(&file, None, None);
    info.ok()
}

fn backup_file(bytes: &[u8]) {
    verify(bytes);
}

fn decrypted_copy(bytes: &[u8]) {
    let recipient = IDENTITY.with(|i| i.to_public());
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as _)).expect("one recipient");
    let mut file = Vec::with_capacity(bytes.len() + 256);
    let mut w = encryptor.wrap_output(&mut file).expect("encrypt to memory");
    w.write_all(bytes).expect("encrypt to memory");
    w.finish().expect("encrypt to memory");
    if let Some(info) = verify(&file) {
        REGISTER.with(|reg| {
            let _ = backup::compare(&reg.borrow(), &info);
        });
    }
}

fn key_file(bytes: &[u8]) {
    // A key file may ask scrypt for up to 2^22 rounds (4 GiB, seconds):
    // by design (`unlock_key_file` caps it there), so not what is looked
    // for here. Files that ask for more than 2^16 are skipped.
    if asks_much_work(bytes) {
        return;
    }
    let _ = backup::unlock_key_file(bytes, SecretString::from(medlem_fuzz::FUZZ_PASSPHRASE));
}

/// Does the age header (armoured or not) hold a scrypt stanza whose work
/// factor is over 16, or one this cannot read?
fn asks_much_work(bytes: &[u8]) -> bool {
    let mut header = Vec::new();
    let _ = age::armor::ArmoredReader::new(bytes)
        .take(64 * 1024)
        .read_to_end(&mut header);
    [&header[..], bytes].iter().any(|b| {
        String::from_utf8_lossy(b)
            .lines()
            .filter(|l| l.contains("scrypt"))
            .any(|l| {
                l.split_whitespace()
                    .last()
                    .and_then(|n| n.parse::<u32>().ok())
                    .is_none_or(|n| n > 16)
            })
    })
}
