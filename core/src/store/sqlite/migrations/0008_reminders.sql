-- 0008: reminders. How many reminders an invoice has had and the day of
-- the last; a second reminder's fee is a line of the invoice.
ALTER TABLE invoices ADD COLUMN reminders INTEGER NOT NULL DEFAULT 0;
ALTER TABLE invoices ADD COLUMN reminded TEXT;
CREATE INDEX invoices_unpaid_by_due ON invoices (due) WHERE status IN ('open', 'partly_paid');
