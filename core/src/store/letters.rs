//! The letters' store: the user's versions of the templates and the files
//! letters use (the logo). Letter settings live in the settings
//! ([`super::Reads::setting`]).

use crate::error::Result;
use crate::types::dates::Timestamp;

/// A template as the user saved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedTemplate {
    pub key: String,
    /// `sv`, `da`, `nb` or `en`.
    pub language: String,
    pub subject: String,
    pub body: String,
}

/// Reading letters' data: a read handle or a unit of work.
pub trait LetterReads {
    /// Every template the user saved.
    fn saved_templates(&self) -> Result<Vec<SavedTemplate>>;
    /// A kept file (the logo) by key.
    fn file(&self, key: &str) -> Result<Option<Vec<u8>>>;
    fn has_file(&self, key: &str) -> Result<bool>;
}

/// Writing letters' data: only inside a unit of work.
pub trait LetterWrites {
    /// Saves (or replaces) the user's version of a template.
    fn save_template(&self, t: &SavedTemplate, at: Timestamp) -> Result<()>;
    /// Removes the user's version (the shipped one shows again).
    fn remove_template(&self, key: &str, language: &str) -> Result<()>;
    /// Keeps `bytes` under `key`, or with `None` removes it.
    fn put_file(&self, key: &str, bytes: Option<&[u8]>) -> Result<()>;
}
