-- 0004: funds (an initiative pool), the applications to them with their
-- budget lines, steps and attachments, and the club's own applications to
-- others. Amounts are integer minor units (öre/øre) in the fund's currency.
CREATE TABLE funds (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    -- The year or period, as the treasurer names it ("2027", "VT 2027").
    period     TEXT NOT NULL,
    budget     INTEGER NOT NULL CHECK (budget >= 0),
    -- The most one application may get; NULL: no cap.
    cap        INTEGER CHECK (cap IS NULL OR cap > 0),
    currency   TEXT NOT NULL CHECK (currency IN ('SEK', 'DKK', 'NOK')),
    -- Who may apply: any of 'member', 'branch', 'workplace', comma-separated.
    applicants TEXT NOT NULL DEFAULT 'member',
    -- Application deadlines, ISO dates, comma-separated.
    deadlines  TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE grant_applications (
    id             INTEGER PRIMARY KEY,
    fund_id        INTEGER NOT NULL REFERENCES funds (id) ON DELETE RESTRICT,
    applicant_kind TEXT NOT NULL CHECK (applicant_kind IN ('member', 'branch', 'workplace')),
    -- The applicant, or the contact member of a branch or workplace group.
    member_id      INTEGER REFERENCES members (id) ON DELETE SET NULL,
    branch_id      INTEGER REFERENCES branches (id) ON DELETE SET NULL,
    workplace_id   INTEGER REFERENCES workplaces (id) ON DELETE SET NULL,
    title          TEXT NOT NULL,
    purpose        TEXT NOT NULL DEFAULT '',
    activity       TEXT NOT NULL DEFAULT '',
    planned_date   TEXT,
    participants   INTEGER,
    -- The sum of the budget lines.
    requested      INTEGER NOT NULL CHECK (requested >= 0),
    stage          TEXT NOT NULL CHECK (stage IN ('draft', 'submitted', 'in_review', 'approved',
                       'rejected', 'paid', 'report_received', 'closed', 'withdrawn')),
    approved       INTEGER CHECK (approved IS NULL OR approved > 0),
    conditions     TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT '',
    paid           INTEGER CHECK (paid IS NULL OR paid > 0),
    paid_on        TEXT,
    payment_ref    TEXT NOT NULL DEFAULT '',
    -- When the follow-up report is due (after payment).
    report_due     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX grant_applications_by_fund ON grant_applications (fund_id, stage);
CREATE INDEX grant_applications_by_member ON grant_applications (member_id);

CREATE TABLE grant_lines (
    application_id INTEGER NOT NULL REFERENCES grant_applications (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    item           TEXT NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (application_id, position)
) WITHOUT ROWID;

-- Every step an application took, with its date.
CREATE TABLE grant_steps (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES grant_applications (id) ON DELETE CASCADE,
    step           TEXT NOT NULL,
    stage          TEXT NOT NULL,
    on_date        TEXT NOT NULL,
    at             TEXT NOT NULL,
    amount         INTEGER,
    note           TEXT NOT NULL DEFAULT ''
);
CREATE INDEX grant_steps_by_application ON grant_steps (application_id, id);

-- Attachments, kept inside the register (and so inside every backup).
CREATE TABLE grant_files (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES grant_applications (id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    bytes          BLOB NOT NULL,
    added_at       TEXT NOT NULL
);
CREATE INDEX grant_files_by_application ON grant_files (application_id);

-- The club's own applications to its federation or another funder.
CREATE TABLE outgoing_applications (
    id         INTEGER PRIMARY KEY,
    funder     TEXT NOT NULL,
    title      TEXT NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    currency   TEXT NOT NULL CHECK (currency IN ('SEK', 'DKK', 'NOK')),
    deadline   TEXT,
    status     TEXT NOT NULL CHECK (status IN ('planned', 'submitted', 'approved', 'rejected',
                   'received')),
    received   INTEGER CHECK (received IS NULL OR received >= 0),
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
