-- 0006: dues. Fee rules, what a member pays with (income band, household
-- payer), fee runs and their invoices. Amounts are integer minor units in the
-- organisation's currency.
CREATE TABLE fee_rules (
    id              INTEGER PRIMARY KEY,
    -- NULL: every type (honorary members pay nothing whatever the rules say).
    membership_type TEXT CHECK (membership_type IN ('ordinary', 'student', 'retired',
                        'honorary', 'supporting')),
    period          TEXT NOT NULL CHECK (period IN ('year', 'half_year', 'quarter', 'month')),
    amount          INTEGER NOT NULL CHECK (amount >= 0),
    -- Only members younger than this on the period's first day.
    age_under       INTEGER CHECK (age_under IS NULL OR age_under BETWEEN 1 AND 150),
    income_band     TEXT,
    -- 1: a household's fee, billed once to the payer.
    household       INTEGER NOT NULL DEFAULT 0 CHECK (household IN (0, 1)),
    -- Set: the branch's supplement, added to the fee of its members.
    branch_id       INTEGER REFERENCES branches (id) ON DELETE CASCADE,
    valid_from      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
-- One rule per set of conditions and first day (a later first day is next
-- year's fee, entered early).
CREATE UNIQUE INDEX fee_rules_once ON fee_rules (
    coalesce(membership_type, ''), period, coalesce(age_under, 0), coalesce(income_band, ''),
    household, coalesce(branch_id, 0), valid_from);

CREATE TABLE member_dues (
    member_id   INTEGER PRIMARY KEY REFERENCES members (id) ON DELETE CASCADE,
    income_band TEXT,
    -- The member who pays for this one's household.
    payer_id    INTEGER REFERENCES members (id) ON DELETE SET NULL
);
CREATE INDEX member_dues_by_payer ON member_dues (payer_id) WHERE payer_id IS NOT NULL;

CREATE TABLE dues_runs (
    id         INTEGER PRIMARY KEY,
    period     TEXT NOT NULL,
    due        TEXT NOT NULL,
    pro_rata   INTEGER NOT NULL CHECK (pro_rata IN (0, 1)),
    state      TEXT NOT NULL CHECK (state IN ('written', 'cancelled')),
    count      INTEGER NOT NULL,
    total      INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE invoices (
    id         INTEGER PRIMARY KEY,
    run_id     INTEGER REFERENCES dues_runs (id) ON DELETE RESTRICT,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE RESTRICT,
    period     TEXT NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    paid       INTEGER NOT NULL DEFAULT 0,
    currency   TEXT NOT NULL CHECK (currency IN ('SEK', 'DKK', 'NOK')),
    -- The payment reference with its check digit (OCR, KID, FIK).
    reference  TEXT NOT NULL UNIQUE,
    status     TEXT NOT NULL CHECK (status IN ('open', 'partly_paid', 'paid', 'credited',
                   'written_off')),
    issued     TEXT NOT NULL,
    due        TEXT NOT NULL,
    -- The lines as JSON: [{"kind": "fee", "text": "ordinary", "amount": 120000}, ...].
    lines      TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- Nobody is billed twice for a period: a credited invoice makes room.
CREATE UNIQUE INDEX invoices_once ON invoices (member_id, period) WHERE status <> 'credited';
CREATE INDEX invoices_by_period ON invoices (period, status);
CREATE INDEX invoices_by_run ON invoices (run_id);
