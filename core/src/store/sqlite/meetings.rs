//! Meetings in SQLite (migration 0003: `meetings`, `invitations`,
//! `meeting_voters`). A meeting's time is kept as local wall-clock text
//! (`YYYY-MM-DDTHH:MM`) beside its zone.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::types::{ToSql, Value};
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::members::{status_on, this_user, with_today, TODAY};
use super::{date_col, Conn};
use crate::error::{Error, Result};
use crate::store::meetings::{
    standing, Candidate, Filter, Invite, Invited, MeetingReads, MeetingWrites, SeatChange, SeatRows,
};
use crate::text::fts_query;
use crate::types::dates::Timestamp;
use crate::types::meetings::{
    Counts, How, Invitee, Meeting, MeetingDetails, MeetingKind, MeetingRow, Person, PlaceCounts,
    Standing,
};
use crate::types::Kind;

const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M";

const MEETING_COLUMNS: &str = "m.id, m.kind, m.title, m.starts_at, m.ends_at, m.time_zone, \
     m.venue, m.online_link, m.capacity, m.agenda, m.branch_id, b.name, m.workplace_id, w.name, \
     m.reply_by, m.guests_allowed, m.note, m.series_id, m.voters_cutoff, m.uid, m.version, \
     m.changed_by, m.updated_at FROM meetings m LEFT JOIN branches b ON b.id = m.branch_id \
     LEFT JOIN workplaces w ON w.id = m.workplace_id";

/// The columns a meeting's form sets, in the order of [`form_values`].
const FORM_COLUMNS: &str = "kind, title, starts_at, ends_at, time_zone, venue, online_link, \
     capacity, agenda, branch_id, workplace_id, reply_by, guests_allowed, note";

/// Where an invitation stands (`i`), as [`Standing`] names it. A yes
/// without a seat cannot happen; it counts as no reply.
const STANDING: &str = "CASE WHEN i.seat = 'seated' THEN 'seated' WHEN i.seat = 'waiting' \
     THEN 'waiting' WHEN i.reply = 'no' THEN 'declined' ELSE 'no_reply' END";

/// The columns [`invitee_from_row`] reads, from `invitations i` with its member.
const INVITEE_COLUMNS: &str = "i.member_id, m.number, m.first_name || ' ' || m.last_name, m.kind, \
     i.guest, i.how, i.invited_at, i.letter_at, i.reply, i.replied_at, i.seat, i.seat_order, \
     i.promoted, i.attended FROM invitations i JOIN members m ON m.id = i.member_id";

/// The people list's order: seated (in seat order), waiting (in line), no
/// reply, declined; by name within each.
const INVITEE_ORDER: &str = "CASE WHEN i.seat = 'seated' THEN 0 WHEN i.seat = 'waiting' THEN 1 \
     WHEN i.reply = 'no' THEN 3 ELSE 2 END, i.seat_order, m.sort_name, m.id";

/// The `WHERE` of the people list's page and count (on `invitations i`),
/// with its values.
fn invitee_filter(id: i64, place: Option<Standing>, find: &str) -> (String, Vec<Value>) {
    let mut clauses = vec!["i.meeting_id = ?1".to_owned()];
    let mut values: Vec<Value> = vec![Value::Integer(id)];
    if let Some(p) = place {
        clauses.push(format!("{STANDING} = ?{}", values.len() + 1));
        values.push(Value::Text(p.as_str().to_owned()));
    }
    if let Some(fts) = fts_query(find) {
        clauses.push(format!(
            "i.member_id IN (SELECT rowid FROM members_fts WHERE members_fts MATCH ?{})",
            values.len() + 1
        ));
        values.push(Value::Text(fts));
    }
    (clauses.join(" AND "), values)
}

fn invitee_from_row(r: &Row) -> rusqlite::Result<Invitee> {
    let kind: String = r.get(3)?;
    let how: String = r.get(5)?;
    let reply: Option<String> = r.get(8)?;
    let seat: Option<String> = r.get(10)?;
    let order: Option<i64> = r.get(11)?;
    let (place, position) = standing(seat.as_deref(), reply.as_deref(), order);
    Ok(Invitee {
        member_id: r.get(0)?,
        number: r.get(1)?,
        name: r.get::<_, String>(2)?.trim().to_owned(),
        kind: Kind::parse(&kind).unwrap_or(Kind::Member),
        guest: r.get(4)?,
        how: How::parse(&how).unwrap_or(How::Letter),
        invited_at: r.get(6)?,
        letter_at: r.get(7)?,
        reply,
        replied_at: r.get(9)?,
        place: place.as_str().to_owned(),
        position,
        promoted: r.get(12)?,
        attended: r.get(13)?,
    })
}

fn time_col(r: &Row, i: usize) -> rusqlite::Result<Option<NaiveDateTime>> {
    let s: Option<String> = r.get(i)?;
    Ok(s.and_then(|s| NaiveDateTime::parse_from_str(&s, TIME_FORMAT).ok()))
}

fn meeting_from_row(r: &Row) -> rusqlite::Result<Meeting> {
    let kind: String = r.get(1)?;
    let capacity: Option<i64> = r.get(8)?;
    Ok(Meeting {
        id: r.get(0)?,
        details: MeetingDetails {
            kind: MeetingKind::parse(&kind).unwrap_or(MeetingKind::MemberMeeting),
            title: r.get(2)?,
            starts: time_col(r, 3)?.unwrap_or_default(),
            ends: time_col(r, 4)?,
            time_zone: r.get(5)?,
            venue: r.get(6)?,
            online_link: r.get(7)?,
            capacity: capacity.map(|c| c as u32),
            agenda: r.get(9)?,
            branch_id: r.get(10)?,
            workplace_id: r.get(12)?,
            reply_by: date_col(r, 14)?,
            guests_allowed: r.get(15)?,
            note: r.get(16)?,
        },
        branch_name: r.get(11)?,
        workplace_name: r.get(13)?,
        series_id: r.get(17)?,
        voters_cutoff: date_col(r, 18)?,
        uid: r.get(19)?,
        version: r.get(20)?,
        changed_by: r.get(21)?,
        updated_at: r.get(22)?,
    })
}

fn form_values(m: &MeetingDetails) -> Vec<Value> {
    let text = |s: &str| Value::Text(s.to_owned());
    let opt = |s: Option<String>| s.map_or(Value::Null, Value::Text);
    let id = |i: Option<i64>| i.map_or(Value::Null, Value::Integer);
    vec![
        text(m.kind.as_str()),
        text(&m.title),
        text(&m.starts.format(TIME_FORMAT).to_string()),
        opt(m.ends.map(|t| t.format(TIME_FORMAT).to_string())),
        text(&m.time_zone),
        text(&m.venue),
        text(&m.online_link),
        id(m.capacity.map(i64::from)),
        text(&m.agenda),
        id(m.branch_id),
        id(m.workplace_id),
        opt(m.reply_by.map(|d| d.to_string())),
        Value::Integer(m.guests_allowed as i64),
        text(&m.note),
    ]
}

/// `?1, ?2, ... ?n`
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn candidate_from_row(r: &Row) -> rusqlite::Result<Candidate> {
    Ok(Candidate {
        member_id: r.get(0)?,
        guest: r.get(1)?,
        has_email: r.get(2)?,
    })
}

fn person_ids<C: Conn + ?Sized>(c: &C, sql: &str, id: i64) -> Result<Vec<i64>> {
    let mut stmt = c.conn().prepare_cached(sql)?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl<C: Conn> MeetingReads for C {
    fn meeting(&self, id: i64) -> Result<Meeting> {
        self.conn()
            .query_row(
                &format!("SELECT {MEETING_COLUMNS} WHERE m.id = ?1"),
                [id],
                meeting_from_row,
            )
            .optional()?
            .ok_or(Error::NotFound("meeting"))
    }

    fn meetings(&self, today: NaiveDate) -> Result<Vec<MeetingRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT m.id, m.kind, m.title, m.starts_at, m.time_zone, m.capacity, \
             (SELECT count(*) FROM invitations i WHERE i.meeting_id = m.id), \
             (SELECT count(*) FROM invitations i WHERE i.meeting_id = m.id AND i.seat = 'seated'), \
             (SELECT count(*) FROM invitations i WHERE i.meeting_id = m.id AND i.seat = 'waiting') \
             FROM meetings m \
             ORDER BY m.starts_at < ?1, CASE WHEN m.starts_at < ?1 THEN NULL ELSE m.starts_at END, \
             m.starts_at DESC, m.id",
        )?;
        let today = format!("{today}T00:00");
        let rows = stmt.query_map([today], |r| {
            let kind: String = r.get(1)?;
            let capacity: Option<i64> = r.get(5)?;
            Ok(MeetingRow {
                id: r.get(0)?,
                kind: MeetingKind::parse(&kind).unwrap_or(MeetingKind::MemberMeeting),
                title: r.get(2)?,
                starts: time_col(r, 3)?.unwrap_or_default(),
                time_zone: r.get(4)?,
                capacity: capacity.map(|c| c as u32),
                invited: r.get(6)?,
                seated: r.get(7)?,
                waiting: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn seat_rows(&self, id: i64, person: Option<i64>) -> Result<SeatRows> {
        let mut s = SeatRows::default();
        let mut stmt = self.conn().prepare_cached(
            "SELECT member_id, reply, seat, promoted FROM invitations WHERE meeting_id = ?1 \
             AND (seat IS NOT NULL OR reply IS NOT NULL OR promoted = 1 OR member_id = ?2) \
             ORDER BY seat_order, replied_at, member_id",
        )?;
        let mut rows = stmt.query(params![id, person])?;
        while let Some(r) = rows.next()? {
            let reply: Option<String> = r.get(1)?;
            let seat: Option<String> = r.get(2)?;
            s.push(r.get(0)?, reply.as_deref(), seat.as_deref(), r.get(3)?);
        }
        Ok(s)
    }

    fn invitees(&self, id: i64) -> Result<Vec<Invitee>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {INVITEE_COLUMNS} WHERE i.meeting_id = ?1 ORDER BY {INVITEE_ORDER}"
        ))?;
        let rows = stmt.query_map([id], invitee_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn invitee_page(
        &self,
        id: i64,
        place: Option<Standing>,
        find: &str,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Invitee>> {
        let (filter, mut values) = invitee_filter(id, place, find);
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {INVITEE_COLUMNS} WHERE {filter} ORDER BY {INVITEE_ORDER} LIMIT ?{} OFFSET ?{}",
            values.len() + 1,
            values.len() + 2
        ))?;
        values.push(Value::Integer(limit as i64));
        values.push(Value::Integer(offset as i64));
        let rows = stmt.query_map(params_from_iter(&values), invitee_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn invitees_found(&self, id: i64, place: Option<Standing>, find: &str) -> Result<usize> {
        let (filter, values) = invitee_filter(id, place, find);
        let n: i64 = self
            .conn()
            .prepare_cached(&format!(
                "SELECT count(*) FROM invitations i WHERE {filter}"
            ))?
            .query_row(params_from_iter(&values), |r| r.get(0))?;
        Ok(n as usize)
    }

    fn invitees_of(&self, id: i64, members: &[i64]) -> Result<Vec<Invitee>> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {INVITEE_COLUMNS} WHERE i.meeting_id = ?1 AND i.member_id = ?2"
        ))?;
        let mut out = Vec::with_capacity(members.len());
        for &member in members {
            if let Some(inv) = stmt
                .query_row(params![id, member], invitee_from_row)
                .optional()?
            {
                out.push(inv);
            }
        }
        Ok(out)
    }

    fn places(&self, id: i64) -> Result<PlaceCounts> {
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {STANDING}, count(*) FROM invitations i WHERE i.meeting_id = ?1 GROUP BY 1"
        ))?;
        let mut rows = stmt.query([id])?;
        let mut c = PlaceCounts::default();
        while let Some(r) = rows.next()? {
            let place: String = r.get(0)?;
            let n = r.get::<_, i64>(1)? as usize;
            c.all += n;
            match Standing::parse(&place) {
                Some(Standing::Seated) => c.seated = n,
                Some(Standing::Waiting) => c.waiting = n,
                Some(Standing::Declined) => c.declined = n,
                Some(Standing::NoReply) | None => c.no_reply += n,
            }
        }
        Ok(c)
    }

    fn reply_of(&self, id: i64, member_id: i64) -> Result<Option<(bool, Timestamp)>> {
        let row: Option<(Option<String>, Option<Timestamp>)> = self
            .conn()
            .query_row(
                "SELECT reply, replied_at FROM invitations WHERE meeting_id = ?1 AND member_id = ?2",
                params![id, member_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(match row {
            Some((Some(reply), Some(at))) => Some((reply == "yes", at)),
            _ => None,
        })
    }

    fn emails(&self, id: i64) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare(
            "SELECT m.email FROM invitations i JOIN members m ON m.id = i.member_id \
             WHERE i.meeting_id = ?1 AND i.how = 'email' AND m.email <> '' ORDER BY m.sort_name, m.id",
        )?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn counts(&self, id: i64) -> Result<Counts> {
        let v = self.conn().query_row(
            "SELECT count(*), ifnull(sum(guest), 0), ifnull(sum(how = 'letter'), 0), \
             ifnull(sum(how = 'email'), 0), ifnull(sum(letter_at IS NOT NULL), 0), \
             ifnull(sum(reply = 'yes'), 0), ifnull(sum(reply = 'no'), 0), \
             ifnull(sum(reply IS NULL), 0), ifnull(sum(seat = 'seated'), 0), ifnull(sum(attended), 0) \
             FROM invitations WHERE meeting_id = ?1",
            [id],
            |r| {
                let mut v = [0usize; 10];
                for (i, x) in v.iter_mut().enumerate() {
                    *x = r.get::<_, i64>(i)? as usize;
                }
                Ok(v)
            },
        )?;
        Ok(Counts {
            invited: v[0],
            guests: v[1],
            by_letter: v[2],
            by_email: v[3],
            letters_printed: v[4],
            yes: v[5],
            no: v[6],
            no_reply: v[7],
            seats_taken: v[8],
            attended: v[9],
        })
    }

    fn invited_count(&self, id: i64) -> Result<usize> {
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM invitations WHERE meeting_id = ?1",
            [id],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    fn waiting(&self, id: i64) -> Result<Vec<Person>> {
        let ids = person_ids(
            self,
            "SELECT member_id FROM invitations WHERE meeting_id = ?1 AND seat = 'waiting' ORDER BY seat_order",
            id,
        )?;
        self.people(&ids)
    }

    fn promoted(&self, id: i64) -> Result<Vec<Person>> {
        let ids = person_ids(
            self,
            "SELECT member_id FROM invitations WHERE meeting_id = ?1 AND promoted = 1 ORDER BY seat_order",
            id,
        )?;
        self.people(&ids)
    }

    fn invited(&self, id: i64, which: Invited) -> Result<Vec<i64>> {
        let filter = match which {
            Invited::ByLetter => "i.how = 'letter'",
            Invited::Promoted => "i.promoted = 1",
            Invited::Seated => "i.seat = 'seated'",
            Invited::NotDeclined => "i.reply IS NOT 'no'",
        };
        person_ids(
            self,
            &format!(
                "SELECT i.member_id FROM invitations i JOIN members m ON m.id = i.member_id \
                 WHERE i.meeting_id = ?1 AND {filter} ORDER BY m.sort_name, m.id"
            ),
            id,
        )
    }

    fn candidates(&self, f: &Filter) -> Result<Vec<Candidate>> {
        // Their status on the filter's day (today): a resignation dated later
        // still counts them.
        let mut sql = format!(
            "SELECT m.id, 0, m.email <> '' FROM members m WHERE m.kind = 'member' AND {} = ?",
            status_on(TODAY)
        );
        let mut args: Vec<Value> = vec![Value::Text(f.status.as_str().to_owned())];
        if let Some(b) = f.branch_id {
            sql.push_str(" AND m.branch_id = ?");
            args.push(Value::Integer(b));
        }
        if let Some(w) = f.workplace_id {
            sql.push_str(" AND m.workplace_id = ?");
            args.push(Value::Integer(w));
        }
        if let Some(role) = f.role {
            sql.push_str(
                " AND EXISTS (SELECT 1 FROM member_roles r WHERE r.member_id = m.id \
                 AND r.role = ? AND r.from_date <= ? AND (r.to_date IS NULL OR r.to_date >= ?))",
            );
            let d = f.on.to_string();
            args.push(Value::Text(role.as_str().to_owned()));
            args.push(Value::Text(d.clone()));
            args.push(Value::Text(d));
        }
        sql.push_str(" ORDER BY m.sort_name, m.id");
        let mut stmt = self.conn().prepare(&sql)?;
        let on = f.on.to_string();
        let args = with_today(&stmt, args.iter().map(|a| a as &dyn ToSql), &on)?;
        let rows = stmt.query_map(params_from_iter(args), candidate_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn prospects_at(&self, workplace_id: i64) -> Result<Vec<Candidate>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, 1, email <> '' FROM members WHERE kind = 'prospect' AND workplace_id = ?1 \
             ORDER BY sort_name, id",
        )?;
        let rows = stmt.query_map([workplace_id], candidate_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn picked(&self, ids: &[i64]) -> Result<Vec<Candidate>> {
        // One statement for the whole list: thousands of picked members.
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, kind = 'prospect', email <> '' FROM members WHERE id = ?1",
        )?;
        ids.iter()
            .map(|id| {
                stmt.query_row([id], candidate_from_row)
                    .optional()?
                    .ok_or(Error::NotFound("member"))
            })
            .collect()
    }

    fn people(&self, ids: &[i64]) -> Result<Vec<Person>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, number, first_name || ' ' || last_name FROM members WHERE id = ?1",
        )?;
        ids.iter()
            .map(|id| {
                Ok(stmt.query_row([id], |r| {
                    Ok(Person {
                        member_id: r.get(0)?,
                        number: r.get(1)?,
                        name: r.get::<_, String>(2)?.trim().to_owned(),
                    })
                })?)
            })
            .collect()
    }

    fn voters(&self, id: i64) -> Result<Vec<i64>> {
        person_ids(
            self,
            "SELECT v.member_id FROM meeting_voters v JOIN members m ON m.id = v.member_id \
             WHERE v.meeting_id = ?1 ORDER BY m.sort_name, m.id",
            id,
        )
    }

    fn voter_counts(&self, id: i64) -> Result<(usize, usize)> {
        let (voters, present): (i64, i64) = self.conn().query_row(
            "SELECT count(*), ifnull(sum(EXISTS (SELECT 1 FROM invitations i WHERE i.meeting_id = v.meeting_id \
             AND i.member_id = v.member_id AND i.attended = 1)), 0) \
             FROM meeting_voters v WHERE v.meeting_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((voters as usize, present as usize))
    }
}

impl<C: Conn> MeetingWrites for C {
    fn insert_meeting(
        &self,
        m: &MeetingDetails,
        series: Option<i64>,
        at: Timestamp,
    ) -> Result<i64> {
        let conn = self.conn();
        // Unique per register and stable for the meeting: calendars update
        // the event when the file is imported again.
        let n: i64 = conn.query_row("SELECT ifnull(max(id), 0) + 1 FROM meetings", [], |r| {
            r.get(0)
        })?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.f");
        let mut values = form_values(m);
        values.extend([
            series.map_or(Value::Null, Value::Integer),
            Value::Text(format!("{stamp}-{n}@medlem")),
            Value::Text(at.to_string()),
            Value::Text(at.to_string()),
        ]);
        conn.execute(
            &format!(
                "INSERT INTO meetings ({FORM_COLUMNS}, series_id, uid, created_at, updated_at) \
                 VALUES ({})",
                placeholders(values.len())
            ),
            params_from_iter(values),
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn update_meeting(&self, id: i64, m: &MeetingDetails, at: Timestamp) -> Result<()> {
        let mut values = form_values(m);
        values.push(Value::Text(at.to_string()));
        values.push(Value::Text(this_user()));
        values.push(Value::Integer(id));
        let n = values.len();
        self.conn().execute(
            &format!(
                "UPDATE meetings SET ({FORM_COLUMNS}, updated_at, changed_by) = ({}), \
                 version = version + 1 WHERE id = ?{n}",
                placeholders(n - 1)
            ),
            params_from_iter(values),
        )?;
        Ok(())
    }

    fn delete_meeting(&self, id: i64) -> Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM meetings WHERE id = ?1", [id])?
            > 0)
    }

    fn set_series(&self, id: i64, series: i64) -> Result<()> {
        self.conn().execute(
            "UPDATE meetings SET series_id = ?2 WHERE id = ?1",
            params![id, series],
        )?;
        Ok(())
    }

    fn save_seats(&self, id: i64, changes: &[SeatChange]) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "UPDATE invitations SET seat = ?3, seat_order = ?4, promoted = ?5 \
             WHERE meeting_id = ?1 AND member_id = ?2",
        )?;
        for c in changes {
            stmt.execute(params![
                id,
                c.member_id,
                c.seat,
                c.order.map(|o| o as i64),
                c.promoted
            ])?;
        }
        Ok(())
    }

    fn set_reply(&self, id: i64, member_id: i64, reply: Option<(bool, Timestamp)>) -> Result<()> {
        let text = reply.map(|(yes, _)| if yes { "yes" } else { "no" });
        self.conn().execute(
            "UPDATE invitations SET reply = ?3, replied_at = ?4 WHERE meeting_id = ?1 AND member_id = ?2",
            params![id, member_id, text, reply.map(|(_, at)| at)],
        )?;
        Ok(())
    }

    fn invite(&self, id: i64, people: &[Invite], at: Timestamp) -> Result<Vec<bool>> {
        let mut stmt = self.conn().prepare_cached(
            "INSERT INTO invitations (meeting_id, member_id, invited_at, how, guest) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
        )?;
        let at = at.to_string();
        people
            .iter()
            .map(|p| Ok(stmt.execute(params![id, p.member_id, at, p.how.as_str(), p.guest])? == 1))
            .collect()
    }

    fn uninvite(&self, id: i64, member_id: i64) -> Result<()> {
        self.conn().execute(
            "DELETE FROM invitations WHERE meeting_id = ?1 AND member_id = ?2",
            params![id, member_id],
        )?;
        Ok(())
    }

    fn set_attended(&self, id: i64, member_id: i64, present: bool) -> Result<bool> {
        let conn = self.conn();
        let was: bool = conn.query_row(
            "SELECT attended FROM invitations WHERE meeting_id = ?1 AND member_id = ?2",
            params![id, member_id],
            |r| r.get(0),
        )?;
        if was != present {
            conn.execute(
                "UPDATE invitations SET attended = ?3 WHERE meeting_id = ?1 AND member_id = ?2",
                params![id, member_id, present],
            )?;
        }
        Ok(was)
    }

    fn letters_sent(&self, id: i64, at: Timestamp) -> Result<()> {
        self.conn().execute(
            "UPDATE invitations SET letter_at = ?2 WHERE meeting_id = ?1 AND how = 'letter'",
            params![id, at],
        )?;
        Ok(())
    }

    fn promotion_told(&self, id: i64, members: &[i64]) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "UPDATE invitations SET promoted = 0 WHERE meeting_id = ?1 AND member_id = ?2",
        )?;
        for p in members {
            stmt.execute(params![id, p])?;
        }
        Ok(())
    }

    fn freeze_voters(&self, id: i64, cutoff: NaiveDate, paid_only: bool) -> Result<()> {
        let conn = self.conn();
        let d = cutoff.to_string();
        let unpaid = if paid_only {
            " AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.member_id = m.id \
             AND i.status NOT IN ('credited', 'written_off') \
             AND substr(i.period, 1, 4) = substr(?2, 1, 4) \
             AND i.amount > coalesce((SELECT sum(a.amount) FROM allocations a \
             JOIN payments p ON p.id = a.payment_id \
             WHERE a.invoice_id = i.id AND p.state = 'booked' AND p.date <= ?2), 0))"
        } else {
            ""
        };
        conn.execute("DELETE FROM meeting_voters WHERE meeting_id = ?1", [id])?;
        conn.execute(
            &format!(
                "INSERT INTO meeting_voters (meeting_id, member_id) \
                 SELECT ?1, m.id FROM members m WHERE m.kind = 'member' \
                 AND (m.joined_date IS NULL OR m.joined_date <= ?2) AND {} = 'active'{unpaid}",
                status_on("?2")
            ),
            params![id, d],
        )?;
        conn.execute(
            "UPDATE meetings SET voters_cutoff = ?2 WHERE id = ?1",
            params![id, d],
        )?;
        Ok(())
    }
}
