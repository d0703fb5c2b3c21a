-- 0001: the organisation, settings and the member register.
CREATE TABLE organisation (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    name           TEXT NOT NULL,
    country        TEXT NOT NULL CHECK (country IN ('SE', 'DK', 'NO')),
    postal_address TEXT NOT NULL DEFAULT '',
    org_number     TEXT NOT NULL DEFAULT '',
    currency       TEXT NOT NULL CHECK (currency IN ('SEK', 'DKK', 'NOK')),
    created_at     TEXT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE branches (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE workplaces (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL COLLATE NOCASE,
    branch_id INTEGER REFERENCES branches (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX workplaces_name ON workplaces (name, ifnull(branch_id, 0));

CREATE TABLE members (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    number_int      INTEGER,
    kind            TEXT NOT NULL CHECK (kind IN ('member', 'prospect')),
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    care_of         TEXT NOT NULL DEFAULT '',
    address1        TEXT NOT NULL DEFAULT '',
    address2        TEXT NOT NULL DEFAULT '',
    postcode        TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    birth_date      TEXT,
    language        TEXT NOT NULL CHECK (language IN ('sv', 'da', 'nb', 'en')),
    membership_type TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('applicant', 'active', 'resigned', 'deceased')),
    status_date     TEXT NOT NULL,
    joined_date     TEXT,
    branch_id       INTEGER REFERENCES branches (id) ON DELETE SET NULL,
    workplace_id    INTEGER REFERENCES workplaces (id) ON DELETE SET NULL,
    notes           TEXT NOT NULL DEFAULT '',
    sort_name       TEXT NOT NULL,
    sort_city       TEXT NOT NULL,
    search_text     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX members_by_name ON members (sort_name, id);
CREATE INDEX members_by_kind_name ON members (kind, sort_name, id);
CREATE INDEX members_by_number ON members (kind, number_int, number);
CREATE INDEX members_by_status ON members (status, kind);
CREATE INDEX members_by_branch ON members (branch_id);
CREATE INDEX members_by_workplace ON members (workplace_id);
CREATE INDEX members_by_email ON members (email) WHERE email <> '';

CREATE TABLE member_roles (
    id        INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    role      TEXT NOT NULL,
    from_date TEXT NOT NULL,
    to_date   TEXT
);
CREATE INDEX member_roles_member ON member_roles (member_id);

CREATE TABLE member_history (
    id             INTEGER PRIMARY KEY,
    member_id      INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    at             TEXT NOT NULL,
    kind           TEXT NOT NULL,
    field          TEXT,
    old_value      TEXT,
    new_value      TEXT,
    effective_date TEXT
);
CREATE INDEX member_history_member ON member_history (member_id, id);

-- Search: an external-content FTS5 index over the folded search_text column.
-- The core keeps it in step when it writes a member (no triggers: a trigger
-- makes FTS5 flush to disk on every statement, and a bulk import rebuilds
-- the index once instead). Prefix indexes make 2-4 letter queries fast.
CREATE VIRTUAL TABLE members_fts USING fts5 (
    search_text,
    content = 'members',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3'
);
