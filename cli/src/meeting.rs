//! `medlem-cli meeting ...`: meetings, invitations, replies and attendance.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use clap::{Args, Subcommand};
use medlem_core::meetings::{
    self, agm, Every, How, InviteSelection, MeetingInput, MeetingLetters, Overview, Person,
};
use medlem_core::store::Store;
use medlem_core::{Error, FieldCode, RoleKind};

use crate::shared::{output, parse_status, print_json};

#[derive(Subcommand)]
pub enum MeetingCommand {
    /// Create a meeting and print it.
    Create(Box<CreateArgs>),
    /// The meetings, coming ones first.
    List,
    /// Seats taken, seats left, the waiting list in order, who is invited.
    Show { id: i64 },
    /// Invite a selection: active members (or --status) of a branch,
    /// workplace or role, and/or hand-picked members by number.
    Invite {
        id: i64,
        /// applicant, active, resigned or deceased (default: active).
        #[arg(long)]
        status: Option<String>,
        /// A branch, by name.
        #[arg(long)]
        branch: Option<String>,
        /// A workplace, by name.
        #[arg(long)]
        workplace: Option<String>,
        /// board_member, chair, treasurer, auditor or shop_steward.
        #[arg(long)]
        role: Option<String>,
        /// Only these members (by number; repeat the flag), no selection.
        #[arg(long = "member")]
        members: Vec<String>,
        /// Also the prospects at the workplace (the meeting must allow guests).
        #[arg(long)]
        guests: bool,
        /// Invite by the e-mail list (those without an address get a letter).
        #[arg(long)]
        email: bool,
    },
    /// Register a reply: a yes takes a seat or a place on the waiting list.
    Reply {
        id: i64,
        /// The member's number.
        #[arg(long)]
        member: String,
        #[arg(long, conflicts_with = "no", required_unless_present = "no")]
        yes: bool,
        #[arg(long)]
        no: bool,
    },
    /// Tick a member as present (or with --absent, untick).
    Attend {
        id: i64,
        #[arg(long)]
        member: String,
        #[arg(long)]
        absent: bool,
    },
    /// The invitation letters of those invited by letter, as one PDF (with
    /// --seats: the "you got a seat" letters of those promoted).
    Letters {
        id: i64,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        seats: bool,
    },
    /// The meeting as an iCalendar (.ics) file.
    Ics {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// The signature sheet for the day, as PDF.
    Signatures {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Repeat the meeting: --every week|month|quarter|year --count N.
    Repeat {
        id: i64,
        #[arg(long)]
        every: String,
        #[arg(long)]
        count: u32,
    },
    /// Annual general meeting: freeze the voter roll at --cutoff (the
    /// members active that day), optionally print it.
    Voters {
        id: i64,
        /// YYYY-MM-DD
        #[arg(long)]
        cutoff: Option<String>,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The statutes: notice period and quorum of the annual general meeting.
    Statutes {
        /// Invitations no later than this many days before.
        #[arg(long)]
        notice_min: Option<u32>,
        /// Invitations no earlier than this many days before.
        #[arg(long)]
        notice_max: Option<u32>,
        /// At least this many voters present (0: no such rule).
        #[arg(long)]
        quorum_count: Option<u32>,
        /// At least this share of the voter roll present, percent (0: none).
        #[arg(long)]
        quorum_percent: Option<u32>,
        /// Only members who had paid the year's fee by the cut-off vote
        /// (`true` or `false`).
        #[arg(long)]
        paid_to_vote: Option<bool>,
    },
}

#[derive(Args)]
pub struct CreateArgs {
    /// member_meeting, annual_general_meeting, workplace_meeting, webinar,
    /// social or course.
    #[arg(long)]
    kind: String,
    #[arg(long)]
    title: String,
    /// "YYYY-MM-DD HH:MM", local time.
    #[arg(long)]
    starts: String,
    /// "HH:MM" the same day, or "YYYY-MM-DD HH:MM".
    #[arg(long, default_value = "")]
    ends: String,
    /// Europe/Stockholm, Europe/Copenhagen or Europe/Oslo (default: the
    /// organisation's country's).
    #[arg(long, default_value = "")]
    tz: String,
    /// Seats (left out: no limit).
    #[arg(long, allow_negative_numbers = true)]
    capacity: Option<i64>,
    #[arg(long, default_value = "")]
    venue: String,
    /// An https:// link for online meetings.
    #[arg(long, default_value = "")]
    link: String,
    #[arg(long, default_value = "")]
    agenda: String,
    /// YYYY-MM-DD
    #[arg(long, default_value = "")]
    reply_by: String,
    /// A branch, by name.
    #[arg(long)]
    branch: Option<String>,
    /// A workplace, by name.
    #[arg(long)]
    workplace: Option<String>,
    /// Non-members (prospects) may come.
    #[arg(long)]
    guests: bool,
    #[arg(long, default_value = "")]
    note: String,
}

pub(crate) fn branch_id(reg: &dyn Store, name: Option<String>) -> Result<Option<i64>, Error> {
    let Some(name) = name else { return Ok(None) };
    reg.branches()?
        .into_iter()
        .find(|b| b.name.eq_ignore_ascii_case(name.trim()))
        .map(|b| Some(b.id))
        .ok_or(Error::NotFound("branch"))
}

fn workplace_id(reg: &dyn Store, name: Option<String>) -> Result<Option<i64>, Error> {
    let Some(name) = name else { return Ok(None) };
    reg.workplaces()?
        .into_iter()
        .find(|w| w.name.eq_ignore_ascii_case(name.trim()))
        .map(|w| Some(w.id))
        .ok_or(Error::NotFound("workplace"))
}

/// The notice-period warnings on stderr (the JSON carries them too).
fn warn(warnings: &[agm::Warning]) {
    for w in warnings {
        let why = if w.code == "notice_too_late" {
            format!("no later than {} days before", w.min_days)
        } else {
            format!("no earlier than {} days before", w.max_days)
        };
        eprintln!(
            "warning: the statutes say an annual general meeting is called {why} \
             (between {} and {}); the meeting is {} days away",
            w.earliest, w.latest, w.days_before
        );
    }
}

fn people(list: &[Person]) -> String {
    list.iter()
        .enumerate()
        .map(|(i, p)| format!("  {}. {} ({})", i + 1, p.name, p.number))
        .collect::<Vec<_>>()
        .join("\n")
}

fn show(o: &Overview) {
    let m = &o.meeting;
    println!(
        "{} ({}) {} {}",
        m.details.title,
        m.details.kind,
        m.details.starts.format("%Y-%m-%d %H:%M"),
        m.details.time_zone
    );
    let left = o
        .seats_left
        .map_or("no limit".to_owned(), |n| format!("{n} left"));
    println!(
        "Invited {} · yes {} · no {} · no reply {} · seats taken {} ({left}) · present {}",
        o.counts.invited,
        o.counts.yes,
        o.counts.no,
        o.counts.no_reply,
        o.counts.seats_taken,
        o.counts.attended
    );
    if !o.waiting.is_empty() {
        println!("Waiting list:\n{}", people(&o.waiting));
    }
    if !o.promoted.is_empty() {
        println!(
            "Got a seat, not told yet (meeting letters --seats):\n{}",
            people(&o.promoted)
        );
    }
    if let Some(v) = &o.voters {
        match v.cutoff {
            None => println!("Voter roll: not frozen yet (meeting voters --cutoff)"),
            Some(c) => println!(
                "Voter roll at {c}: {} voters, {} present{}",
                v.voters,
                v.present,
                match (v.needed, v.quorate) {
                    (Some(n), Some(true)) => format!(", quorate ({n} needed)"),
                    (Some(n), _) => format!(", NOT quorate ({n} needed)"),
                    _ => String::new(),
                }
            ),
        }
    }
}

pub fn run(reg: &mut dyn Store, command: MeetingCommand, json: bool) -> Result<(), Error> {
    match command {
        MeetingCommand::Create(a) => {
            let input = MeetingInput {
                kind: a.kind,
                title: a.title,
                starts: a.starts,
                ends: a.ends,
                time_zone: a.tz,
                venue: a.venue,
                online_link: a.link,
                capacity: a.capacity,
                agenda: a.agenda,
                branch_id: branch_id(reg, a.branch)?,
                workplace_id: workplace_id(reg, a.workplace)?,
                reply_by: a.reply_by,
                guests_allowed: a.guests,
                note: a.note,
                version: None,
            };
            let m = meetings::create(reg, &input)?;
            if json {
                print_json(&m)?;
            } else {
                println!(
                    "Created meeting {}: {} {}",
                    m.id,
                    m.details.title,
                    m.details.starts.format("%Y-%m-%d %H:%M")
                );
            }
        }
        MeetingCommand::List => {
            let all = meetings::list(reg)?;
            if json {
                print_json(&all)?;
            } else {
                for m in all {
                    println!(
                        "{:>5}  {}  {}  invited {}, seated {}, waiting {}",
                        m.id,
                        m.starts.format("%Y-%m-%d %H:%M"),
                        m.title,
                        m.invited,
                        m.seated,
                        m.waiting
                    );
                }
            }
        }
        MeetingCommand::Show { id } => {
            let o = meetings::overview(reg, id)?;
            output(&o, json, show)?;
        }
        MeetingCommand::Invite {
            id,
            status,
            branch,
            workplace,
            role,
            members,
            guests,
            email,
        } => {
            let role = match role {
                None => None,
                Some(r) => Some(
                    RoleKind::parse(r.trim())
                        .ok_or_else(|| Error::field("role", FieldCode::InvalidChoice))?,
                ),
            };
            let member_ids = members
                .iter()
                .map(|n| meetings::member_by_number(reg, n))
                .collect::<Result<Vec<_>, _>>()?;
            let only_picked = !member_ids.is_empty()
                && status.is_none()
                && branch.is_none()
                && workplace.is_none()
                && role.is_none();
            let selection = InviteSelection {
                status: parse_status(status)?,
                branch_id: branch_id(reg, branch)?,
                workplace_id: workplace_id(reg, workplace)?,
                role,
                member_ids,
                only_picked,
                guests,
                how: Some(if email { How::Email } else { How::Letter }),
            };
            let s = meetings::invite(reg, id, &selection)?;
            warn(&s.warnings);
            if json {
                print_json(&s)?;
            } else {
                println!(
                    "Invited {} ({} by letter, {} by e-mail, {} guests); {} were invited before; {} invited in all",
                    s.invited, s.by_letter, s.by_email, s.guests, s.already, s.total
                );
            }
        }
        MeetingCommand::Reply {
            id,
            member,
            yes,
            no: _,
        } => {
            let who = meetings::member_by_number(reg, &member)?;
            let out = meetings::reply(reg, id, who, yes)?;
            if json {
                print_json(&out)?;
            } else {
                match (out.place.as_str(), out.position) {
                    ("seated", _) => println!("Member {member} has a seat"),
                    ("waiting", Some(n)) => {
                        println!("Member {member} is number {n} on the waiting list")
                    }
                    _ => println!("Member {member} will not come"),
                }
                for p in &out.promoted {
                    println!("{} ({}) got a seat from the waiting list", p.name, p.number);
                }
            }
        }
        MeetingCommand::Attend { id, member, absent } => {
            let who = meetings::member_by_number(reg, &member)?;
            meetings::attend(reg, id, who, !absent)?;
            let day = meetings::get(reg, id)?.details.starts.date();
            if !absent && day > medlem_core::dates::today() {
                eprintln!("Note: the meeting is on {day} and has not taken place yet");
            }
            println!(
                "Member {member} {}",
                if absent {
                    "is no longer marked present"
                } else {
                    "is marked present"
                }
            );
        }
        MeetingCommand::Letters { id, out, seats } => {
            let cancel = AtomicBool::new(false);
            let which = if seats {
                MeetingLetters::Seats
            } else {
                MeetingLetters::Invitations
            };
            let done = meetings::letters(reg, id, which, &out, &mut |_, _| {}, &cancel)?;
            warn(&done.warnings);
            println!(
                "{} letters, {} pages: {}",
                done.summary.items,
                done.summary.pages,
                out.display()
            );
        }
        MeetingCommand::Ics { id, out } => {
            meetings::ics::write(reg, id, &out)?;
            println!("Calendar file: {}", out.display());
        }
        MeetingCommand::Signatures { id, out } => {
            let done = meetings::signature_sheet(reg, id, &out)?;
            println!(
                "{} names, {} pages: {}",
                done.items,
                done.pages,
                out.display()
            );
        }
        MeetingCommand::Repeat { id, every, count } => {
            let every = Every::parse(&every)
                .ok_or_else(|| Error::field("every", FieldCode::InvalidChoice))?;
            let more = meetings::repeat(reg, id, every, count)?;
            if json {
                print_json(&more)?;
            } else {
                for m in more {
                    println!(
                        "Created meeting {}: {} {}",
                        m.id,
                        m.details.title,
                        m.details.starts.format("%Y-%m-%d %H:%M")
                    );
                }
            }
        }
        MeetingCommand::Voters { id, cutoff, out } => {
            let status = match cutoff {
                Some(c) => {
                    let c = medlem_core::dates::read_date(&c)
                        .map_err(|p| Error::field("cutoff", p.into()))?;
                    agm::freeze_voters(reg, id, c)?
                }
                None => meetings::overview(reg, id)?
                    .voters
                    .ok_or_else(|| Error::field("kind", FieldCode::InvalidChoice))?,
            };
            if let Some(out) = &out {
                let done = meetings::voter_roll(reg, id, out)?;
                eprintln!(
                    "{} voters, {} pages: {}",
                    done.items,
                    done.pages,
                    out.display()
                );
            }
            if json {
                print_json(&status)?;
            } else if let Some(c) = status.cutoff {
                println!("Voter roll at {c}: {} voters", status.voters);
            }
        }
        MeetingCommand::Statutes {
            notice_min,
            notice_max,
            quorum_count,
            quorum_percent,
            paid_to_vote,
        } => {
            let mut s = agm::statutes(reg)?;
            let changed = notice_min.is_some()
                || notice_max.is_some()
                || quorum_count.is_some()
                || quorum_percent.is_some()
                || paid_to_vote.is_some();
            if let Some(p) = paid_to_vote {
                s.paid_to_vote = p;
            }
            if let Some(n) = notice_min {
                s.notice_min_days = n;
            }
            if let Some(n) = notice_max {
                s.notice_max_days = n;
            }
            if let Some(n) = quorum_count {
                s.quorum_count = (n > 0).then_some(n);
            }
            if let Some(n) = quorum_percent {
                s.quorum_percent = (n > 0).then_some(n);
            }
            if changed {
                s = agm::set_statutes(reg, &s)?;
            }
            if json {
                print_json(&s)?;
            } else {
                println!(
                    "Annual general meeting: called {}–{} days before; {}; quorum {}",
                    s.notice_min_days,
                    s.notice_max_days,
                    if s.paid_to_vote {
                        "only those who had paid the year's fee by the cut-off vote"
                    } else {
                        "every active member votes"
                    },
                    match (s.quorum_count, s.quorum_percent) {
                        (None, None) => "none".to_owned(),
                        (c, p) => [
                            c.map(|c| format!("{c} present")),
                            p.map(|p| format!("{p} % of the roll"))
                        ]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" and "),
                    }
                );
            }
        }
    }
    Ok(())
}
