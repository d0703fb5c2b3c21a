-- Letter templates the user has written or changed. The defaults live in
-- the program (core/src/letters/templates); a row here overrides the
-- default of the same key and language.
CREATE TABLE letter_templates (
    key        TEXT NOT NULL,
    language   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (key, language)
);

-- Small files that belong to the register: the organisation's logo.
CREATE TABLE files (
    key   TEXT PRIMARY KEY,
    bytes BLOB NOT NULL
);
