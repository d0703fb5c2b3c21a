-- 0012: the books' log in one row per export. Each export keeps the
-- vouchers it held, with their lines, as one JSON object in its own row
-- ({"invoice:12": [{"account": "1510", "amount": 120000}, ...], ...}), not a
-- row per voucher: a year's 180 000 rows took a third of an export's time.
-- The next export reads them in order, a later export's lines for a voucher
-- replacing an earlier one's.
ALTER TABLE book_exports ADD COLUMN held TEXT NOT NULL DEFAULT '{}';
UPDATE book_exports SET held = coalesce(
    (SELECT json_group_object(v.key, json(v.lines)) FROM book_vouchers v
     WHERE v.export_id = book_exports.id),
    '{}');
DROP TABLE book_vouchers;
