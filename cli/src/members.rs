//! `medlem-cli members`: list, add, a status from a day, several at once, history.

use clap::{Args, Subcommand};
use medlem_core::store::Store;
use medlem_core::{Error, ListQuery, MemberInput, MemberRow, SortKey};

use crate::shared::{self, parse_status, print_json, status_text};

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct MembersArgs {
    #[command(subcommand)]
    command: Option<MembersCommand>,
    /// Find by name, number, e-mail, city or workplace.
    #[arg(long, default_value = "")]
    search: String,
    /// applicant, active, resigned or deceased.
    #[arg(long)]
    status: Option<String>,
}

#[derive(Subcommand)]
pub enum MembersCommand {
    /// Add a member and print it.
    Add(Box<AddArgs>),
    /// Change a member's status (resign, reinstate, deceased) from a day;
    /// a day after today waits for that day. Back to the status the member
    /// has today calls off a change that waits.
    Status {
        /// The member's number.
        number: String,
        /// applicant, active, resigned or deceased.
        status: String,
        /// YYYY-MM-DD (left out: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Change several members at once: a status from a day, a branch or a
    /// workplace, for the members with these numbers or all the search
    /// finds. Without --yes it only says how many it would change.
    Change(Box<ChangeArgs>),
    /// A member's history, newest first: changes, imports (with the
    /// file's name), letters, meetings.
    History {
        /// The member's number.
        number: String,
    },
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["to_status", "branch", "workplace"])))]
pub struct ChangeArgs {
    /// The members' numbers, comma-separated (1001,1003).
    #[arg(long, value_delimiter = ',')]
    numbers: Vec<String>,
    /// Every member this search finds (name, number, e-mail, city, workplace).
    #[arg(long)]
    search: Option<String>,
    /// The new status: active, resigned or deceased.
    #[arg(long)]
    to_status: Option<String>,
    /// The day the status changes (left out: today).
    #[arg(long, requires = "to_status")]
    date: Option<String>,
    /// The branch's name ("" for none).
    #[arg(long)]
    branch: Option<String>,
    /// The workplace's name ("" for none).
    #[arg(long)]
    workplace: Option<String>,
    /// Do it (without: say how many members it is for, change nothing).
    #[arg(long)]
    yes: bool,
}

#[derive(Args)]
pub struct AddArgs {
    #[arg(long)]
    first: String,
    #[arg(long)]
    last: String,
    #[arg(long, default_value = "")]
    email: String,
    #[arg(long, default_value = "")]
    phone: String,
    #[arg(long, default_value = "")]
    address: String,
    #[arg(long, default_value = "")]
    postcode: String,
    #[arg(long, default_value = "")]
    city: String,
    /// Left out: the next free number.
    #[arg(long, default_value = "")]
    number: String,
    /// YYYY-MM-DD
    #[arg(long)]
    birth_date: Option<String>,
    /// YYYY-MM-DD
    #[arg(long)]
    joined: Option<String>,
    /// member or prospect
    #[arg(long, default_value = "")]
    kind: String,
    /// sv, da, nb or en (left out: the organisation's).
    #[arg(long, default_value = "")]
    language: String,
    /// ordinary, student, retired, honorary or supporting (left out: ordinary).
    #[arg(long = "type", default_value = "")]
    membership_type: String,
}

/// Runs one `members` command on the register.
pub fn run(register: &mut dyn Store, args: MembersArgs, json: bool) -> Result<(), Error> {
    match args {
        MembersArgs {
            command: Some(MembersCommand::Add(a)),
            ..
        } => {
            let member = register.create(&MemberInput {
                number: a.number,
                kind: a.kind,
                contact: medlem_core::Contact {
                    first_name: a.first,
                    last_name: a.last,
                    email: a.email,
                    phone: a.phone,
                    address: medlem_core::PostalAddress {
                        address1: a.address,
                        postcode: a.postcode,
                        city: a.city,
                        ..Default::default()
                    },
                },
                birth_date: a.birth_date,
                joined_date: a.joined,
                language: a.language,
                membership_type: a.membership_type,
                ..Default::default()
            })?;
            if json {
                print_json(&member)?;
            } else {
                println!(
                    "Added {} {} as member {}",
                    member.contact.first_name, member.contact.last_name, member.number
                );
            }
        }
        MembersArgs {
            command:
                Some(MembersCommand::Status {
                    number,
                    status,
                    date,
                }),
            ..
        } => {
            let id = medlem_core::meetings::member_by_number(register, &number)?;
            let status = parse_status(Some(status))?
                .ok_or_else(|| Error::field("status", medlem_core::FieldCode::Required))?;
            let date = match date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
                None => medlem_core::dates::today(),
                Some(d) => {
                    medlem_core::dates::read_date(d).map_err(|p| Error::field("date", p.into()))?
                }
            };
            let m = register.set_status(id, status, date)?;
            if json {
                print_json(&m)?;
            } else {
                println!(
                    "{} {} ({}): {} since {}",
                    m.contact.first_name,
                    m.contact.last_name,
                    m.number,
                    status_text(m.status, m.scheduled),
                    m.status_date
                );
            }
        }
        MembersArgs {
            command: Some(MembersCommand::Change(args)),
            ..
        } => change_members(register, *args, json)?,
        MembersArgs {
            command: Some(MembersCommand::History { number }),
            ..
        } => {
            let id = medlem_core::meetings::member_by_number(register, number.trim())?;
            let entries = register.history(id)?;
            if json {
                print_json(&entries)?;
            } else {
                for e in &entries {
                    // On the office server: the officer who wrote it.
                    let by = e.by.as_deref().map(|u| format!("  by {u}"));
                    let text = shared::history_text(e);
                    println!("{}  {text}{}", e.at, by.unwrap_or_default());
                }
            }
        }
        MembersArgs {
            command: None,
            search,
            status,
        } => {
            let status = parse_status(status)?;
            let mut query = ListQuery {
                search,
                status,
                sort: SortKey::Name,
                limit: medlem_core::MAX_PAGE,
                ..Default::default()
            };
            let mut all = Vec::new();
            loop {
                let page = register.list(&query)?;
                let n = page.items.len() as i64;
                all.extend(page.items);
                if n < query.limit || all.len() as i64 >= page.total {
                    break;
                }
                query.offset += n;
            }
            if json {
                print_json(&all)?;
            } else {
                for m in &all {
                    println!("{}", row_line(m));
                }
            }
        }
    }
    Ok(())
}

fn row_line(m: &MemberRow) -> String {
    format!(
        "{:>8}  {}, {}  {}  {}  {}",
        m.number,
        m.last_name,
        m.first_name,
        m.email,
        m.city,
        status_text(m.status, m.scheduled)
    )
}

/// `members change`: who (numbers, a search), what (a status, a branch, a
/// workplace), and a first run that only counts.
fn change_members(register: &mut dyn Store, args: ChangeArgs, json: bool) -> Result<(), Error> {
    use medlem_core::bulk::{change_members, BulkChange};
    let mut ids = Vec::new();
    for number in args
        .numbers
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty())
    {
        ids.push(medlem_core::meetings::member_by_number(register, number)?);
    }
    if let Some(search) = &args.search {
        ids.extend(register.list_ids(&ListQuery {
            search: search.clone(),
            ..Default::default()
        })?);
    }
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(Error::field("numbers", medlem_core::FieldCode::Required));
    }
    let by_name = |names: Vec<(i64, String)>, name: &str, field: &'static str| {
        if name.trim().is_empty() {
            return Ok(None);
        }
        names
            .into_iter()
            .find(|(_, n)| n.trim().eq_ignore_ascii_case(name.trim()) || n.trim() == name.trim())
            .map(|(id, _)| Some(id))
            .ok_or_else(|| Error::field(field, medlem_core::FieldCode::InvalidChoice))
    };
    let change = if let Some(status) = args.to_status {
        let status = parse_status(Some(status))?
            .ok_or_else(|| Error::field("status", medlem_core::FieldCode::Required))?;
        BulkChange::Status {
            status,
            date: args
                .date
                .unwrap_or_else(|| medlem_core::dates::today().to_string()),
        }
    } else if let Some(branch) = args.branch {
        let all = register
            .branches()?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect();
        BulkChange::Branch {
            branch_id: by_name(all, &branch, "branchId")?,
        }
    } else {
        let name = args.workplace.unwrap_or_default();
        let all = register
            .workplaces()?
            .into_iter()
            .map(|w| (w.id, w.name))
            .collect();
        BulkChange::Workplace {
            workplace_id: by_name(all, &name, "workplaceId")?,
        }
    };
    if !args.yes {
        println!(
            "{} member(s) would change; nothing was changed. Run again with --yes to change them.",
            ids.len()
        );
        return Ok(());
    }
    let outcome = change_members(register, &ids, &change)?;
    if json {
        print_json(&outcome)?;
    } else {
        println!(
            "{} changed, {} had it already, {} left as they were (the change does not fit them)",
            outcome.changed, outcome.unchanged, outcome.skipped
        );
    }
    Ok(())
}
