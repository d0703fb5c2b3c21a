-- 0006 (PostgreSQL): which officer wrote a history line or a grant's step is
-- known on the server only: a line moved from a file (one officer's, who is
-- not named there) has none, rather than the officer who moved it.
ALTER TABLE member_history ALTER COLUMN by_user DROP NOT NULL;
ALTER TABLE grant_steps ALTER COLUMN by_user DROP NOT NULL;
