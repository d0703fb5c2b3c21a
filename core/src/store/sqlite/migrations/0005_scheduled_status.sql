-- 0005: a status change dated after today waits for its day. `status` and
-- `status_date` stay the status a member has now and the day it began;
-- `scheduled_status` from `scheduled_date` on (both set, or both NULL).
-- Readers take the scheduled one once its day has come
-- (`store/sqlite/members.rs`, `status_on`), so nothing has to run on the day.
ALTER TABLE members ADD COLUMN scheduled_status TEXT
    CHECK (scheduled_status IN ('applicant', 'active', 'resigned', 'deceased'));
ALTER TABLE members ADD COLUMN scheduled_date TEXT;

-- The status filter and its counts read these columns from the index alone.
DROP INDEX members_by_status;
CREATE INDEX members_by_status ON members (status, kind, status_date, scheduled_date, scheduled_status);
CREATE INDEX members_by_scheduled ON members (scheduled_status, kind, scheduled_date, status)
    WHERE scheduled_status IS NOT NULL;
-- The voter roll and a status on a past day read a member's status lines.
CREATE INDEX member_history_status ON member_history (member_id, kind, effective_date);

-- Before this, a change dated after today took effect at once: such a member
-- waits for the day again, in the status the change's history line left.
-- (A migration has no caller to pass today; the computer's own date is it.)
UPDATE members SET
    scheduled_status = status,
    scheduled_date = status_date,
    status = (SELECT h.old_value FROM member_history h
              WHERE h.member_id = members.id AND h.kind = 'status'
                AND h.effective_date = members.status_date AND h.new_value = members.status
              ORDER BY h.id DESC LIMIT 1),
    status_date = coalesce(
        (SELECT max(h.effective_date) FROM member_history h
         WHERE h.member_id = members.id AND h.kind = 'status'
           AND h.effective_date < members.status_date),
        members.joined_date,
        substr(members.created_at, 1, 10))
WHERE status_date > date('now', 'localtime')
  AND EXISTS (SELECT 1 FROM member_history h
              WHERE h.member_id = members.id AND h.kind = 'status'
                AND h.effective_date = members.status_date AND h.new_value = members.status
                AND h.old_value IN ('applicant', 'active', 'resigned', 'deceased')
                AND h.old_value <> h.new_value);
