-- 0014: a member's saves are counted, and the last one's author kept, so a
-- form opened before someone else's save (another window, the CLI, an
-- officer on the office server) is refused instead of writing over it.
ALTER TABLE members ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE members ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
