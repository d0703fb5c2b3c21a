//! medlem-core: Medlem's domain types, the SQLite store and its migrations.
//!
//! The shells (`src-tauri`, `cli`) are adapters over the [`Register`] trait;
//! only this crate touches SQL or file formats. See ARCHITECTURE.md.

mod atomic_file;
pub mod backup;
pub mod books;
pub mod bulk;
pub mod columns;
pub mod demo;
pub mod dues;
pub mod error;
pub mod export;
pub mod grants;
pub mod import;
pub mod letters;
pub mod location;
pub mod lock;
pub mod meetings;
mod parallel;
pub mod place;
pub mod scratch;
pub mod selections;
pub mod store;
pub mod text;
pub mod types;
pub mod validate;
pub mod views;

pub use age;
pub use error::{Error, FieldCode, FieldError, Result};
pub use store::postgres::PgRegister;
pub use store::sqlite::{db, SqliteRegister};
pub use store::Register;
pub use types::*;

/// Every kind of letter with merge fields of its own, for the letters
/// functions that check or preview any template.
pub const LETTER_KINDS: &[letters::LetterKind] = &[
    meetings::fields::LETTERS,
    grants::fields::LETTERS,
    dues::letters::LETTERS,
];

/// Opens the register at `path` (creating and migrating it as needed).
pub fn open(path: &std::path::Path) -> Result<SqliteRegister> {
    SqliteRegister::open(path)
}
