//! Meetings on the server (migration 0004: `meetings`, `invitations`,
//! `meeting_voters`). A meeting's time is its local wall-clock time
//! (`timestamp`) beside its zone.
//!
//! Seats stay right however many officers take replies at once: inside a
//! unit of work, reading a meeting locks its row until the work commits,
//! and every change of the seats (a reply, taking one back, taking someone
//! off the list, a new capacity) reads the meeting first — so two yeses
//! for the last seat take turns: the first gets it, the second waits.

use chrono::{DateTime, NaiveDate, Utc};
use postgres::types::ToSql;
use postgres::{GenericClient, Row};

use super::members::{enum_col, Args, STATUS_TODAY};
use super::{all, Conn, Locking};
use crate::error::{Error, Result};
use crate::store::meetings::{
    standing, Candidate, Filter, Invite, Invited, MeetingReads, MeetingWrites, SeatChange, SeatRows,
};
use crate::text::search_words;
use crate::types::dates::Timestamp;
use crate::types::meetings::{
    Counts, How, Invitee, Meeting, MeetingDetails, MeetingKind, MeetingRow, Person, PlaceCounts,
    Standing,
};
use crate::types::Kind;

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
/// reply, declined; by name within each. (Empty orders first, as on the file.)
const INVITEE_ORDER: &str = "CASE WHEN i.seat = 'seated' THEN 0 WHEN i.seat = 'waiting' THEN 1 \
     WHEN i.reply = 'no' THEN 3 ELSE 2 END, i.seat_order NULLS FIRST, m.sort_name, m.id";

/// The `WHERE` of the people list's page and count (on `invitations i`),
/// with its parameters (`$1` the meeting).
fn invitee_filter(id: i64, place: Option<Standing>, find: &str) -> (String, Args) {
    let mut args = Args(vec![Box::new(id)]);
    let mut clauses = vec!["i.meeting_id = $1".to_owned()];
    if let Some(p) = place {
        let p = args.add(p.as_str());
        clauses.push(format!("{STANDING} = {p}"));
    }
    let words: Vec<String> = search_words(find)
        .into_iter()
        .map(|w| {
            // Words hold letters and digits only: nothing LIKE reads specially.
            let p = args.add(format!("% {w}%"));
            format!("s.search_text LIKE {p}")
        })
        .collect();
    if !words.is_empty() {
        clauses.push(format!(
            "i.member_id IN (SELECT s.id FROM members s WHERE {})",
            words.join(" AND ")
        ));
    }
    (clauses.join(" AND "), args)
}

fn stamp(r: &Row, i: usize) -> Result<Option<Timestamp>> {
    Ok(r.try_get::<_, Option<DateTime<Utc>>>(i)?.map(Timestamp))
}

fn invitee_from_row(r: &Row) -> Result<Invitee> {
    let reply: Option<String> = r.try_get(8)?;
    let seat: Option<&str> = r.try_get(10)?;
    let order: Option<i64> = r.try_get(11)?;
    let (place, position) = standing(seat, reply.as_deref(), order);
    Ok(Invitee {
        member_id: r.try_get(0)?,
        number: r.try_get(1)?,
        name: r.try_get::<_, &str>(2)?.trim().to_owned(),
        kind: Kind::parse(r.try_get(3)?).unwrap_or(Kind::Member),
        guest: r.try_get(4)?,
        how: How::parse(r.try_get(5)?).unwrap_or(How::Letter),
        invited_at: Timestamp(r.try_get(6)?),
        letter_at: stamp(r, 7)?,
        reply,
        replied_at: stamp(r, 9)?,
        place: place.as_str().to_owned(),
        position,
        promoted: r.try_get(12)?,
        attended: r.try_get(13)?,
    })
}

fn capacity(r: &Row, i: usize) -> Result<Option<u32>> {
    Ok(r.try_get::<_, Option<i64>>(i)?.map(|c| c as u32))
}

fn meeting_from_row(r: &Row) -> Result<Meeting> {
    Ok(Meeting {
        id: r.try_get(0)?,
        details: MeetingDetails {
            kind: enum_col(r, 1, MeetingKind::parse)?,
            title: r.try_get(2)?,
            starts: r.try_get(3)?,
            ends: r.try_get(4)?,
            time_zone: r.try_get(5)?,
            venue: r.try_get(6)?,
            online_link: r.try_get(7)?,
            capacity: capacity(r, 8)?,
            agenda: r.try_get(9)?,
            branch_id: r.try_get(10)?,
            workplace_id: r.try_get(12)?,
            reply_by: r.try_get(14)?,
            guests_allowed: r.try_get(15)?,
            note: r.try_get(16)?,
        },
        branch_name: r.try_get(11)?,
        workplace_name: r.try_get(13)?,
        series_id: r.try_get(17)?,
        voters_cutoff: r.try_get(18)?,
        uid: r.try_get(19)?,
        version: r.try_get(20)?,
        changed_by: r.try_get(21)?,
        updated_at: Timestamp(r.try_get(22)?),
    })
}

/// The form's values, in the order of [`FORM_COLUMNS`], from `$2` on.
fn form_values<'a>(
    m: &'a MeetingDetails,
    kind: &'a &'static str,
    capacity: &'a Option<i64>,
) -> Vec<&'a (dyn ToSql + Sync)> {
    vec![
        kind,
        &m.title,
        &m.starts,
        &m.ends,
        &m.time_zone,
        &m.venue,
        &m.online_link,
        capacity,
        &m.agenda,
        &m.branch_id,
        &m.workplace_id,
        &m.reply_by,
        &m.guests_allowed,
        &m.note,
    ]
}

/// `$from, $from+1, ...`, `count` of them.
fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn candidate_from_row(r: &Row) -> Result<Candidate> {
    Ok(Candidate {
        member_id: r.try_get(0)?,
        guest: r.try_get(1)?,
        has_email: r.try_get(2)?,
    })
}

fn ids(c: &mut impl GenericClient, sql: &str, id: i64) -> Result<Vec<i64>> {
    all(c.query(sql, &[&id])?, |r| Ok(r.try_get(0)?))
}

fn count(c: &mut impl GenericClient, sql: &str, args: &[&(dyn ToSql + Sync)]) -> Result<usize> {
    Ok(c.query_one(sql, args)?.try_get::<_, i64>(0)? as usize)
}

fn people(c: &mut impl GenericClient, ids: &[i64]) -> Result<Vec<Person>> {
    let rows = c.query(
        "SELECT m.id, m.number, m.first_name || ' ' || m.last_name \
         FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, n) JOIN members m ON m.id = u.id \
         ORDER BY u.n",
        &[&ids],
    )?;
    if rows.len() != ids.len() {
        return Err(Error::NotFound("member"));
    }
    all(rows, |r| {
        Ok(Person {
            member_id: r.try_get(0)?,
            number: r.try_get(1)?,
            name: r.try_get::<_, &str>(2)?.trim().to_owned(),
        })
    })
}

fn candidates(c: &mut impl GenericClient, f: &Filter) -> Result<Vec<Candidate>> {
    // Their status on the filter's day (`$1`, today): a resignation dated
    // later still counts them.
    let mut args = Args(vec![Box::new(f.on)]);
    let status = args.add(f.status.as_str());
    let mut sql = format!(
        "SELECT m.id, false, m.email <> '' FROM members m WHERE m.kind = 'member' \
         AND {STATUS_TODAY} = {status}"
    );
    if let Some(b) = f.branch_id {
        sql += &format!(" AND m.branch_id = {}", args.add(b));
    }
    if let Some(w) = f.workplace_id {
        sql += &format!(" AND m.workplace_id = {}", args.add(w));
    }
    if let Some(role) = f.role {
        let role = args.add(role.as_str());
        sql += &format!(
            " AND EXISTS (SELECT 1 FROM member_roles r WHERE r.member_id = m.id \
             AND r.role = {role} AND r.from_date <= $1 AND (r.to_date IS NULL OR r.to_date >= $1))"
        );
    }
    sql.push_str(" ORDER BY m.sort_name, m.id");
    all(args.query(c, &sql)?, candidate_from_row)
}

fn counts(c: &mut impl GenericClient, id: i64) -> Result<Counts> {
    let r = c.query_one(
        "SELECT count(*), count(*) FILTER (WHERE guest), count(*) FILTER (WHERE how = 'letter'), \
         count(*) FILTER (WHERE how = 'email'), count(letter_at), \
         count(*) FILTER (WHERE reply = 'yes'), count(*) FILTER (WHERE reply = 'no'), \
         count(*) FILTER (WHERE reply IS NULL), count(*) FILTER (WHERE seat = 'seated'), \
         count(*) FILTER (WHERE attended) FROM invitations WHERE meeting_id = $1",
        &[&id],
    )?;
    let n = |i: usize| -> Result<usize> { Ok(r.try_get::<_, i64>(i)? as usize) };
    Ok(Counts {
        invited: n(0)?,
        guests: n(1)?,
        by_letter: n(2)?,
        by_email: n(3)?,
        letters_printed: n(4)?,
        yes: n(5)?,
        no: n(6)?,
        no_reply: n(7)?,
        seats_taken: n(8)?,
        attended: n(9)?,
    })
}

fn seat_rows(c: &mut impl GenericClient, id: i64, person: Option<i64>) -> Result<SeatRows> {
    let mut s = SeatRows::default();
    let rows = c.query(
        "SELECT member_id, reply, seat, promoted FROM invitations WHERE meeting_id = $1 \
         AND (seat IS NOT NULL OR reply IS NOT NULL OR promoted OR member_id = $2) \
         ORDER BY seat_order NULLS FIRST, replied_at NULLS FIRST, member_id",
        &[&id, &person],
    )?;
    for r in &rows {
        s.push(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?);
    }
    Ok(s)
}

fn places(c: &mut impl GenericClient, id: i64) -> Result<PlaceCounts> {
    let rows = c.query(
        &format!(
            "SELECT {STANDING}, count(*) FROM invitations i WHERE i.meeting_id = $1 GROUP BY 1"
        ),
        &[&id],
    )?;
    let mut p = PlaceCounts::default();
    for r in &rows {
        let n = r.try_get::<_, i64>(1)? as usize;
        p.all += n;
        match Standing::parse(r.try_get(0)?) {
            Some(Standing::Seated) => p.seated = n,
            Some(Standing::Waiting) => p.waiting = n,
            Some(Standing::Declined) => p.declined = n,
            Some(Standing::NoReply) | None => p.no_reply += n,
        }
    }
    Ok(p)
}

fn meeting_rows(c: &mut impl GenericClient, today: NaiveDate) -> Result<Vec<MeetingRow>> {
    let rows = c.query(
        "SELECT m.id, m.kind, m.title, m.starts_at, m.time_zone, m.capacity, \
         (SELECT count(*) FROM invitations i WHERE i.meeting_id = m.id), \
         (SELECT count(*) FROM invitations i WHERE i.meeting_id = m.id AND i.seat = 'seated'), \
         (SELECT count(*) FROM invitations i WHERE i.meeting_id = m.id AND i.seat = 'waiting') \
         FROM meetings m \
         ORDER BY m.starts_at < $1, CASE WHEN m.starts_at < $1 THEN NULL ELSE m.starts_at END, \
         m.starts_at DESC, m.id",
        &[&today.and_time(chrono::NaiveTime::MIN)],
    )?;
    all(rows, |r| {
        Ok(MeetingRow {
            id: r.try_get(0)?,
            kind: enum_col(r, 1, MeetingKind::parse)?,
            title: r.try_get(2)?,
            starts: r.try_get(3)?,
            time_zone: r.try_get(4)?,
            capacity: capacity(r, 5)?,
            invited: r.try_get(6)?,
            seated: r.try_get(7)?,
            waiting: r.try_get(8)?,
        })
    })
}

/// Meetings' reads, the same for the register and a unit of work (which
/// locks the meeting it reads, see [`Locking`]).
macro_rules! meeting_reads {
    ($t:ty) => {
        impl MeetingReads for $t {
            fn meeting(&self, id: i64) -> Result<Meeting> {
                let sql = format!("SELECT {MEETING_COLUMNS} WHERE m.id = $1{}", <$t>::LOCK_MEETING);
                match self.db()?.query_opt(&sql, &[&id])? {
                    Some(r) => meeting_from_row(&r),
                    None => Err(Error::NotFound("meeting")),
                }
            }

            fn meetings(&self, today: NaiveDate) -> Result<Vec<MeetingRow>> {
                meeting_rows(&mut *self.db()?, today)
            }

            fn seat_rows(&self, id: i64, person: Option<i64>) -> Result<SeatRows> {
                seat_rows(&mut *self.db()?, id, person)
            }

            fn invitees(&self, id: i64) -> Result<Vec<Invitee>> {
                let sql =
                    format!("SELECT {INVITEE_COLUMNS} WHERE i.meeting_id = $1 ORDER BY {INVITEE_ORDER}");
                all(self.db()?.query(&sql, &[&id])?, invitee_from_row)
            }

            fn invitee_page(
                &self,
                id: i64,
                place: Option<Standing>,
                find: &str,
                offset: usize,
                limit: usize,
            ) -> Result<Vec<Invitee>> {
                let (filter, mut args) = invitee_filter(id, place, find);
                let limit = args.add(limit as i64);
                let offset = args.add(offset as i64);
                let sql = format!(
                    "SELECT {INVITEE_COLUMNS} WHERE {filter} ORDER BY {INVITEE_ORDER} \
                     LIMIT {limit} OFFSET {offset}"
                );
                all(self.db()?.query(&sql, &args.refs())?, invitee_from_row)
            }

            fn invitees_found(&self, id: i64, place: Option<Standing>, find: &str) -> Result<usize> {
                let (filter, args) = invitee_filter(id, place, find);
                let sql = format!("SELECT count(*) FROM invitations i WHERE {filter}");
                count(&mut *self.db()?, &sql, &args.refs())
            }

            fn invitees_of(&self, id: i64, members: &[i64]) -> Result<Vec<Invitee>> {
                let sql = format!(
                    "SELECT {INVITEE_COLUMNS} JOIN unnest($2::bigint[]) WITH ORDINALITY AS u(id, n) \
                     ON u.id = i.member_id WHERE i.meeting_id = $1 ORDER BY u.n"
                );
                all(self.db()?.query(&sql, &[&id, &members])?, invitee_from_row)
            }

            fn places(&self, id: i64) -> Result<PlaceCounts> {
                places(&mut *self.db()?, id)
            }

            fn reply_of(&self, id: i64, member_id: i64) -> Result<Option<(bool, Timestamp)>> {
                let row = self.db()?.query_opt(
                    "SELECT reply, replied_at FROM invitations \
                     WHERE meeting_id = $1 AND member_id = $2",
                    &[&id, &member_id],
                )?;
                let Some(r) = row else { return Ok(None) };
                let reply: Option<&str> = r.try_get(0)?;
                Ok(match (reply, stamp(&r, 1)?) {
                    (Some(reply), Some(at)) => Some((reply == "yes", at)),
                    _ => None,
                })
            }

            fn emails(&self, id: i64) -> Result<Vec<String>> {
                all(
                    self.db()?.query(
                        "SELECT m.email FROM invitations i JOIN members m ON m.id = i.member_id \
                         WHERE i.meeting_id = $1 AND i.how = 'email' AND m.email <> '' \
                         ORDER BY m.sort_name, m.id",
                        &[&id],
                    )?,
                    |r| Ok(r.try_get(0)?),
                )
            }

            fn counts(&self, id: i64) -> Result<Counts> {
                counts(&mut *self.db()?, id)
            }

            fn invited_count(&self, id: i64) -> Result<usize> {
                count(
                    &mut *self.db()?,
                    "SELECT count(*) FROM invitations WHERE meeting_id = $1",
                    &[&id],
                )
            }

            fn waiting(&self, id: i64) -> Result<Vec<Person>> {
                let mut db = self.db()?;
                let ids = ids(
                    &mut *db,
                    "SELECT member_id FROM invitations WHERE meeting_id = $1 AND seat = 'waiting' \
                     ORDER BY seat_order",
                    id,
                )?;
                people(&mut *db, &ids)
            }

            fn promoted(&self, id: i64) -> Result<Vec<Person>> {
                let mut db = self.db()?;
                let ids = ids(
                    &mut *db,
                    "SELECT member_id FROM invitations WHERE meeting_id = $1 AND promoted \
                     ORDER BY seat_order",
                    id,
                )?;
                people(&mut *db, &ids)
            }

            fn invited(&self, id: i64, which: Invited) -> Result<Vec<i64>> {
                let filter = match which {
                    Invited::ByLetter => "i.how = 'letter'",
                    Invited::Promoted => "i.promoted",
                    Invited::Seated => "i.seat = 'seated'",
                    Invited::NotDeclined => "i.reply IS DISTINCT FROM 'no'",
                };
                let sql = format!(
                    "SELECT i.member_id FROM invitations i JOIN members m ON m.id = i.member_id \
                     WHERE i.meeting_id = $1 AND {filter} ORDER BY m.sort_name, m.id"
                );
                ids(&mut *self.db()?, &sql, id)
            }

            fn candidates(&self, f: &Filter) -> Result<Vec<Candidate>> {
                candidates(&mut *self.db()?, f)
            }

            fn prospects_at(&self, workplace_id: i64) -> Result<Vec<Candidate>> {
                all(
                    self.db()?.query(
                        "SELECT id, true, email <> '' FROM members \
                         WHERE kind = 'prospect' AND workplace_id = $1 ORDER BY sort_name, id",
                        &[&workplace_id],
                    )?,
                    candidate_from_row,
                )
            }

            fn picked(&self, ids: &[i64]) -> Result<Vec<Candidate>> {
                let rows = self.db()?.query(
                    "SELECT m.id, m.kind = 'prospect', m.email <> '' \
                     FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, n) \
                     JOIN members m ON m.id = u.id ORDER BY u.n",
                    &[&ids],
                )?;
                if rows.len() != ids.len() {
                    return Err(Error::NotFound("member"));
                }
                all(rows, candidate_from_row)
            }

            fn people(&self, ids: &[i64]) -> Result<Vec<Person>> {
                people(&mut *self.db()?, ids)
            }

            fn voters(&self, id: i64) -> Result<Vec<i64>> {
                ids(
                    &mut *self.db()?,
                    "SELECT v.member_id FROM meeting_voters v JOIN members m ON m.id = v.member_id \
                     WHERE v.meeting_id = $1 ORDER BY m.sort_name, m.id",
                    id,
                )
            }

            fn voter_counts(&self, id: i64) -> Result<(usize, usize)> {
                let r = self.db()?.query_one(
                    "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM invitations i \
                     WHERE i.meeting_id = v.meeting_id AND i.member_id = v.member_id \
                     AND i.attended)) FROM meeting_voters v WHERE v.meeting_id = $1",
                    &[&id],
                )?;
                Ok((
                    r.try_get::<_, i64>(0)? as usize,
                    r.try_get::<_, i64>(1)? as usize,
                ))
            }
        }
    };
}

meeting_reads!(super::PgRegister);
meeting_reads!(super::PgWork<'_>);

impl MeetingWrites for super::PgWork<'_> {
    fn insert_meeting(
        &self,
        m: &MeetingDetails,
        series: Option<i64>,
        at: Timestamp,
    ) -> Result<i64> {
        let mut db = self.db()?;
        // Unique per register and stable for the meeting: calendars update
        // the event when the file is imported again.
        let id: i64 = db
            .query_one(
                "SELECT nextval(pg_get_serial_sequence('meetings', 'id'))",
                &[],
            )?
            .get(0);
        let uid = format!("{}-{id}@medlem", Utc::now().format("%Y%m%dT%H%M%S%.f"));
        let (kind, cap) = (m.kind.as_str(), m.capacity.map(i64::from));
        let mut values = form_values(m, &kind, &cap);
        values.extend([&series as &(dyn ToSql + Sync), &uid, &at.0, &id]);
        let n = values.len();
        db.execute(
            &format!(
                "INSERT INTO meetings ({FORM_COLUMNS}, series_id, uid, created_at, updated_at, id) \
                 VALUES ({}, ${}, ${n})",
                placeholders(1, n - 1),
                n - 1
            ),
            &values,
        )?;
        Ok(id)
    }

    fn update_meeting(&self, id: i64, m: &MeetingDetails, at: Timestamp) -> Result<()> {
        let (kind, cap) = (m.kind.as_str(), m.capacity.map(i64::from));
        let mut values: Vec<&(dyn ToSql + Sync)> = vec![&id];
        values.extend(form_values(m, &kind, &cap));
        values.push(&at.0);
        let n = values.len();
        self.db()?.execute(
            &format!(
                "UPDATE meetings SET ({FORM_COLUMNS}, updated_at) = ({}), \
                 version = version + 1, changed_by = current_user WHERE id = $1",
                placeholders(2, n - 1)
            ),
            &values,
        )?;
        Ok(())
    }

    fn delete_meeting(&self, id: i64) -> Result<bool> {
        Ok(self
            .db()?
            .execute("DELETE FROM meetings WHERE id = $1", &[&id])?
            > 0)
    }

    fn set_series(&self, id: i64, series: i64) -> Result<()> {
        self.db()?.execute(
            "UPDATE meetings SET series_id = $2 WHERE id = $1",
            &[&id, &series],
        )?;
        Ok(())
    }

    fn save_seats(&self, id: i64, changes: &[SeatChange]) -> Result<()> {
        let mut db = self.db()?;
        let stmt = db.prepare(
            "UPDATE invitations SET seat = $3, seat_order = $4, promoted = $5 \
             WHERE meeting_id = $1 AND member_id = $2",
        )?;
        for c in changes {
            let order = c.order.map(|o| o as i64);
            db.execute(&stmt, &[&id, &c.member_id, &c.seat, &order, &c.promoted])?;
        }
        Ok(())
    }

    fn set_reply(&self, id: i64, member_id: i64, reply: Option<(bool, Timestamp)>) -> Result<()> {
        let text = reply.map(|(yes, _)| if yes { "yes" } else { "no" });
        let at = reply.map(|(_, at)| at.0);
        self.db()?.execute(
            "UPDATE invitations SET reply = $3, replied_at = $4 \
             WHERE meeting_id = $1 AND member_id = $2",
            &[&id, &member_id, &text, &at],
        )?;
        Ok(())
    }

    fn invite(&self, id: i64, people: &[Invite], at: Timestamp) -> Result<Vec<bool>> {
        let mut db = self.db()?;
        let stmt = db.prepare(
            "INSERT INTO invitations (meeting_id, member_id, invited_at, how, guest) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )?;
        people
            .iter()
            .map(|p| {
                let how = p.how.as_str();
                Ok(db.execute(&stmt, &[&id, &p.member_id, &at.0, &how, &p.guest])? == 1)
            })
            .collect()
    }

    fn uninvite(&self, id: i64, member_id: i64) -> Result<()> {
        self.db()?.execute(
            "DELETE FROM invitations WHERE meeting_id = $1 AND member_id = $2",
            &[&id, &member_id],
        )?;
        Ok(())
    }

    fn set_attended(&self, id: i64, member_id: i64, present: bool) -> Result<bool> {
        let mut db = self.db()?;
        let was: bool = db
            .query_opt(
                "SELECT attended FROM invitations WHERE meeting_id = $1 AND member_id = $2",
                &[&id, &member_id],
            )?
            .ok_or(Error::NotFound("invitation"))?
            .try_get(0)?;
        if was != present {
            db.execute(
                "UPDATE invitations SET attended = $3 WHERE meeting_id = $1 AND member_id = $2",
                &[&id, &member_id, &present],
            )?;
        }
        Ok(was)
    }

    fn letters_sent(&self, id: i64, at: Timestamp) -> Result<()> {
        self.db()?.execute(
            "UPDATE invitations SET letter_at = $2 WHERE meeting_id = $1 AND how = 'letter'",
            &[&id, &at.0],
        )?;
        Ok(())
    }

    fn promotion_told(&self, id: i64, members: &[i64]) -> Result<()> {
        self.db()?.execute(
            "UPDATE invitations SET promoted = false WHERE meeting_id = $1 \
             AND member_id = ANY($2)",
            &[&id, &members],
        )?;
        Ok(())
    }

    fn freeze_voters(&self, id: i64, cutoff: NaiveDate, paid_only: bool) -> Result<()> {
        // Paid up: no invoice of the cut-off's year that is owed (neither
        // credited nor written off) and not paid by payments of that day
        // or before, as on the file.
        let unpaid = match paid_only {
            true => {
                " AND NOT EXISTS (SELECT 1 FROM invoices i WHERE i.member_id = m.id \
                 AND i.status NOT IN ('credited', 'written_off') \
                 AND substr(i.period, 1, 4) = to_char($1, 'YYYY') \
                 AND i.amount > coalesce((SELECT sum(a.amount) FROM allocations a \
                 JOIN payments p ON p.id = a.payment_id \
                 WHERE a.invoice_id = i.id AND p.state = 'booked' AND p.date <= $1), 0))"
            }
            false => "",
        };
        let mut db = self.db()?;
        db.execute("DELETE FROM meeting_voters WHERE meeting_id = $1", &[&id])?;
        // The status on the cut-off (`$1`, as `STATUS_TODAY` reads it).
        db.execute(
            &format!(
                "INSERT INTO meeting_voters (meeting_id, member_id) \
                 SELECT $2, m.id FROM members m WHERE m.kind = 'member' \
                 AND (m.joined_date IS NULL OR m.joined_date <= $1) AND {STATUS_TODAY} = 'active'\
                 {unpaid}"
            ),
            &[&cutoff, &id],
        )?;
        db.execute(
            "UPDATE meetings SET voters_cutoff = $1 WHERE id = $2",
            &[&cutoff, &id],
        )?;
        Ok(())
    }
}
