//! Letters in SQLite (migration 0002: `letter_templates`, `files`).

use rusqlite::OptionalExtension;

use super::Conn;
use crate::error::Result;
use crate::store::letters::{LetterReads, LetterWrites, SavedTemplate};
use crate::types::dates::Timestamp;

impl<C: Conn> LetterReads for C {
    fn saved_templates(&self) -> Result<Vec<SavedTemplate>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT key, language, subject, body FROM letter_templates")?;
        let rows = stmt.query_map([], |r| {
            Ok(SavedTemplate {
                key: r.get(0)?,
                language: r.get(1)?,
                subject: r.get(2)?,
                body: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn file(&self, key: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn()
            .query_row("SELECT bytes FROM files WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn has_file(&self, key: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row("SELECT 1 FROM files WHERE key = ?1", [key], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

impl<C: Conn> LetterWrites for C {
    fn save_template(&self, t: &SavedTemplate, at: Timestamp) -> Result<()> {
        self.conn().execute(
            "INSERT INTO letter_templates (key, language, subject, body, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (key, language) DO UPDATE SET subject = excluded.subject, \
             body = excluded.body, updated_at = excluded.updated_at",
            (&t.key, &t.language, &t.subject, &t.body, at),
        )?;
        Ok(())
    }

    fn remove_template(&self, key: &str, language: &str) -> Result<()> {
        self.conn().execute(
            "DELETE FROM letter_templates WHERE key = ?1 AND language = ?2",
            (key, language),
        )?;
        Ok(())
    }

    fn put_file(&self, key: &str, bytes: Option<&[u8]>) -> Result<()> {
        match bytes {
            None => {
                self.conn()
                    .execute("DELETE FROM files WHERE key = ?1", [key])?;
            }
            Some(b) => {
                self.conn().execute(
                    "INSERT INTO files (key, bytes) VALUES (?1, ?2) \
                     ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes",
                    (key, b),
                )?;
            }
        }
        Ok(())
    }
}
