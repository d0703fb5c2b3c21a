-- 0009: the books. Every export of vouchers, and every voucher an export
-- held with its lines as they were then: the next export tells what is new
-- and books a correction for what changed since.
CREATE TABLE book_exports (
    id          INTEGER PRIMARY KEY,
    format      TEXT NOT NULL CHECK (format IN ('sie4', 'csv')),
    date_from   TEXT NOT NULL,
    date_to     TEXT NOT NULL,
    file        TEXT NOT NULL,
    vouchers    INTEGER NOT NULL,
    exported_at TEXT NOT NULL
);

CREATE TABLE book_vouchers (
    -- What the voucher books: 'invoice:12', 'payment:7', 'writeoff:12', 'grant:3'.
    key       TEXT PRIMARY KEY,
    -- The lines as JSON: [{"account": "1510", "amount": 120000}, ...].
    lines     TEXT NOT NULL,
    export_id INTEGER NOT NULL REFERENCES book_exports (id) ON DELETE CASCADE
) WITHOUT ROWID;
