//! medlem-core integration tests: one binary, modules mirror src/.

mod backends;
mod backup;
mod backup_safety;
mod bank_import;
mod books;
mod bulk;
mod dates;
mod db;
mod dues;
mod export;
mod fuzz_seeds;
mod grants;
mod hostile;
mod import;
mod import_changes;
mod letters;
mod lock;
mod meetings;
mod payments;
mod place;
mod register;
mod search;
mod server;
mod status_dates;
mod tidy;

use medlem_core::{MemberInput, OrgInput, Register, SqliteRegister};

/// A register in memory with a Swedish organisation.
pub fn register() -> SqliteRegister {
    let mut r = SqliteRegister::open_in_memory().expect("open in memory");
    r.create_org(&OrgInput {
        name: "Fackklubben Verkstaden".into(),
        country: "SE".into(),
        ..Default::default()
    })
    .expect("create org");
    r
}

pub fn person(first: &str, last: &str) -> MemberInput {
    MemberInput {
        contact: medlem_core::Contact {
            first_name: first.into(),
            last_name: last.into(),
            ..Default::default()
        },
        ..Default::default()
    }
}
