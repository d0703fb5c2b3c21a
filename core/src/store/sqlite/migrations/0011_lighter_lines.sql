-- 0011: a booked payment writes fewer index entries (a bank file of 100 000
-- lines writes two history lines and an allocation for each, and what is
-- paid of each invoice). An invoice credited (its run cancelled) says so
-- in a column of its own, which the index of invoices billed once is kept
-- by: paying an invoice changes its status but no longer rewrites that
-- index (`credited` is 1 exactly when `status` is 'credited'). Only the
-- status lines are read by day (`status_on`): the other kinds of history
-- line are no longer in that index. An allocation is its key (payment,
-- invoice): kept in that key's own tree instead of beside a row id.
DROP INDEX member_history_status;
CREATE INDEX member_history_status ON member_history (member_id, effective_date)
    WHERE kind = 'status';

CREATE TABLE allocations_keyed (
    payment_id INTEGER NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE RESTRICT,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    PRIMARY KEY (payment_id, invoice_id)
) WITHOUT ROWID;
INSERT INTO allocations_keyed (payment_id, invoice_id, amount)
    SELECT payment_id, invoice_id, amount FROM allocations;
DROP TABLE allocations;
ALTER TABLE allocations_keyed RENAME TO allocations;
CREATE INDEX allocations_by_invoice ON allocations (invoice_id);

ALTER TABLE invoices ADD COLUMN credited INTEGER NOT NULL DEFAULT 0 CHECK (credited IN (0, 1));
UPDATE invoices SET credited = 1 WHERE status = 'credited';
DROP INDEX invoices_once;
CREATE UNIQUE INDEX invoices_once ON invoices (member_id, period) WHERE credited = 0;
