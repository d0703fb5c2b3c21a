-- 0015: the saves of a meeting's and a grant application's form are
-- counted, and the last one's author kept, so a form opened before someone
-- else's save is refused instead of writing over it (as 0014 for members).
ALTER TABLE meetings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE meetings ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE grant_applications ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE grant_applications ADD COLUMN changed_by TEXT NOT NULL DEFAULT '';
