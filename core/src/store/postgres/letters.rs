//! Letters on the server (migration 0002: `letter_templates`, `files`).

use postgres::GenericClient;

use super::Conn;
use crate::error::Result;
use crate::store::letters::{LetterReads, LetterWrites, SavedTemplate};
use crate::types::dates::Timestamp;

fn saved_templates(c: &mut impl GenericClient) -> Result<Vec<SavedTemplate>> {
    c.query(
        "SELECT key, language, subject, body FROM letter_templates",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(SavedTemplate {
            key: r.try_get(0)?,
            language: r.try_get(1)?,
            subject: r.try_get(2)?,
            body: r.try_get(3)?,
        })
    })
    .collect()
}

/// The letters' reads and writes, the same for the register (reads) and a
/// unit of work.
macro_rules! letters {
    ($t:ty) => {
        impl LetterReads for $t {
            fn saved_templates(&self) -> Result<Vec<SavedTemplate>> {
                saved_templates(&mut *self.db()?)
            }

            fn file(&self, key: &str) -> Result<Option<Vec<u8>>> {
                Ok(self
                    .db()?
                    .query_opt("SELECT bytes FROM files WHERE key = $1", &[&key])?
                    .map(|r| r.get(0)))
            }

            fn has_file(&self, key: &str) -> Result<bool> {
                Ok(self
                    .db()?
                    .query_opt("SELECT 1 FROM files WHERE key = $1", &[&key])?
                    .is_some())
            }
        }

        impl LetterWrites for $t {
            fn save_template(&self, t: &SavedTemplate, at: Timestamp) -> Result<()> {
                self.db()?.execute(
                    "INSERT INTO letter_templates (key, language, subject, body, updated_at) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (key, language) DO UPDATE SET subject = excluded.subject, \
             body = excluded.body, updated_at = excluded.updated_at",
                    &[&t.key, &t.language, &t.subject, &t.body, &at.0],
                )?;
                Ok(())
            }

            fn remove_template(&self, key: &str, language: &str) -> Result<()> {
                self.db()?.execute(
                    "DELETE FROM letter_templates WHERE key = $1 AND language = $2",
                    &[&key, &language],
                )?;
                Ok(())
            }

            fn put_file(&self, key: &str, bytes: Option<&[u8]>) -> Result<()> {
                match bytes {
                    None => self
                        .db()?
                        .execute("DELETE FROM files WHERE key = $1", &[&key])?,
                    Some(b) => self.db()?.execute(
                        "INSERT INTO files (key, bytes) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes",
                        &[&key, &b],
                    )?,
                };
                Ok(())
            }
        }
    };
}

letters!(super::PgRegister);
letters!(super::PgWork<'_>);
