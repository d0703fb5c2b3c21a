-- 0002 (PostgreSQL): the user's versions of the letter templates, and the
-- small files of the register (the organisation's logo), as on the file.
CREATE TABLE letter_templates (
    key        text NOT NULL,
    language   text NOT NULL,
    subject    text NOT NULL,
    body       text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (key, language)
);

CREATE TABLE files (
    key   text PRIMARY KEY,
    bytes bytea NOT NULL
);
