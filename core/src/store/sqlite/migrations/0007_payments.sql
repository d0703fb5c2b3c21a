-- 0007: payments in. The bank files read, every payment (from a file or
-- registered by hand) and what of it went to which invoice. A payment's
-- amount not allocated to invoices is credit on its member.
CREATE TABLE bank_files (
    id         INTEGER PRIMARY KEY,
    format     TEXT NOT NULL,
    -- The file's own identity (camt MsgId, BgMax timestamp, Nets sender and
    -- transmission): the same file is recognised when read again.
    message_id TEXT NOT NULL,
    name       TEXT NOT NULL,
    payments   INTEGER NOT NULL,
    total      INTEGER NOT NULL,
    read_at    TEXT NOT NULL,
    UNIQUE (format, message_id)
);

CREATE TABLE payments (
    id         INTEGER PRIMARY KEY,
    -- 'file' (a bank file), 'cash', 'swish', 'bank' (registered by hand).
    method     TEXT NOT NULL CHECK (method IN ('file', 'cash', 'swish', 'vipps', 'mobilepay',
                   'bank')),
    file_id    INTEGER REFERENCES bank_files (id) ON DELETE RESTRICT,
    -- The bank's identity of the transaction: never booked twice.
    bank_key   TEXT UNIQUE,
    date       TEXT NOT NULL,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    currency   TEXT NOT NULL,
    reference  TEXT,
    text       TEXT NOT NULL DEFAULT '',
    payer      TEXT NOT NULL DEFAULT '',
    member_id  INTEGER REFERENCES members (id) ON DELETE RESTRICT,
    state      TEXT NOT NULL CHECK (state IN ('booked', 'review', 'other_income', 'reversed')),
    -- How it was matched: 'reference', 'text', 'hand', 'treasurer'.
    matched_by TEXT,
    -- Why it waits for the treasurer (state 'review').
    reason     TEXT,
    -- The invoice matching suggested, and how sure it was (0-100).
    suggestion INTEGER REFERENCES invoices (id) ON DELETE SET NULL,
    score      INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX payments_by_state ON payments (state);
CREATE INDEX payments_by_member ON payments (member_id) WHERE member_id IS NOT NULL;

CREATE TABLE allocations (
    payment_id INTEGER NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE RESTRICT,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (payment_id, invoice_id)
);
CREATE INDEX allocations_by_invoice ON allocations (invoice_id);
