-- 0003: meetings, who is invited, their replies and seats, attendance and
-- the frozen voter roll of an annual general meeting.
CREATE TABLE meetings (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL CHECK (kind IN ('member_meeting', 'annual_general_meeting',
                       'workplace_meeting', 'webinar', 'social', 'course')),
    title          TEXT NOT NULL,
    -- Local wall-clock time 'YYYY-MM-DDTHH:MM' in time_zone.
    starts_at      TEXT NOT NULL,
    ends_at        TEXT,
    time_zone      TEXT NOT NULL,
    venue          TEXT NOT NULL DEFAULT '',
    online_link    TEXT NOT NULL DEFAULT '',
    capacity       INTEGER CHECK (capacity IS NULL OR capacity >= 0),
    agenda         TEXT NOT NULL DEFAULT '',
    branch_id      INTEGER REFERENCES branches (id) ON DELETE SET NULL,
    workplace_id   INTEGER REFERENCES workplaces (id) ON DELETE SET NULL,
    reply_by       TEXT,
    guests_allowed INTEGER NOT NULL DEFAULT 0,
    note           TEXT NOT NULL DEFAULT '',
    -- The meetings of one repeat share the id of the first.
    series_id      INTEGER,
    -- The voter roll's cut-off date, once frozen (annual general meetings).
    voters_cutoff  TEXT,
    uid            TEXT NOT NULL UNIQUE,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX meetings_by_start ON meetings (starts_at, id);
CREATE INDEX meetings_by_series ON meetings (series_id) WHERE series_id IS NOT NULL;

-- One row per invited person. The seat columns are what the seat logic
-- (core/src/meetings/seats.rs) decided after the replies so far.
CREATE TABLE invitations (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    member_id   INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    invited_at  TEXT NOT NULL,
    how         TEXT NOT NULL CHECK (how IN ('letter', 'email')),
    guest       INTEGER NOT NULL DEFAULT 0,
    letter_at   TEXT,
    reply       TEXT CHECK (reply IN ('yes', 'no')),
    replied_at  TEXT,
    -- 'seated' or 'waiting' with its order (seat given / place in line).
    seat        TEXT CHECK (seat IN ('seated', 'waiting')),
    seat_order  INTEGER,
    -- Got a seat from the waiting list; not yet sent a "you got a seat" letter.
    promoted    INTEGER NOT NULL DEFAULT 0,
    attended    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, member_id)
) WITHOUT ROWID;
CREATE INDEX invitations_by_member ON invitations (member_id);

CREATE TABLE meeting_voters (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (meeting_id, member_id)
) WITHOUT ROWID;
