//! medlem-core integration tests: one binary, modules mirror src/.

/// Each test, on both stores: the file (SQLite in memory) and a new
/// database on the test server. `@ sqlite, postgres;` names the functions
/// that make the two registers (default: a Swedish organisation). With
/// `new: sqlite, postgres;` the two take a country and the body gets, in
/// place of one register, `new`: it makes as many registers of its run's
/// kind as the test needs (`new("NO")`).
macro_rules! on_both {
    ($($(#[doc = $doc:expr])* fn $name:ident($r:ident) $body:block)*) => {
        on_both!(@ crate::register, crate::backends::pg_register; $($(#[doc = $doc])* fn $name($r) $body)*);
    };
    (@ $sqlite:expr, $pg:expr; $($(#[doc = $doc:expr])* fn $name:ident($r:ident) $body:block)*) => {$(
        $(#[doc = $doc])*
        mod $name {
            use super::*;

            fn body($r: &mut dyn medlem_core::store::Store) $body

            #[test]
            fn sqlite() {
                body(&mut $sqlite());
            }

            #[test]
            fn postgres() {
                body(&mut $pg());
            }
        }
    )*};
    (new: $sqlite:expr, $pg:expr; $($(#[doc = $doc:expr])* fn $name:ident($new:ident) $body:block)*) => {$(
        $(#[doc = $doc])*
        mod $name {
            use super::*;

            fn body($new: &dyn Fn(&str) -> Box<dyn medlem_core::store::Store>) $body

            #[test]
            fn sqlite() {
                body(&|country| Box::new($sqlite(country)));
            }

            #[test]
            fn postgres() {
                body(&|country| Box::new($pg(country)));
            }
        }
    )*};
}

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
mod moving;
mod payments;
mod place;
mod register;
mod search;
mod server;
mod server_dues;
mod server_tls;
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
