-- 0015: a meeting's saves are counted, and the last one's author kept, so a
-- meeting form opened before someone else's save is refused instead of
-- writing over it (as 0014 for members).
ALTER TABLE meetings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE meetings ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
