//! `medlem-cli fund ...` and `grant ...`: funds, applications, decisions,
//! payments and their letters. Amounts are kr as typed ("8000", "8000,50").

use std::path::PathBuf;

use clap::Subcommand;
use medlem_core::grants::{
    self, Applicant, ApplicationInput, ApplicationQuery, ApplicationView, FundInput, FundView,
    LineInput, StepInput,
};
use medlem_core::store::Store;
use medlem_core::{money, Error, FieldCode, Language};

use crate::shared::{output, print_json};

#[derive(Subcommand)]
pub enum FundCommand {
    /// Create a fund (e.g. the initiative pool) and print it.
    Create {
        #[arg(long)]
        name: String,
        /// The year or period ("2027").
        #[arg(long)]
        year: String,
        /// kr
        #[arg(long)]
        budget: String,
        /// The most one application may get, kr (left out: no cap).
        #[arg(long, default_value = "")]
        cap: String,
        /// Who may apply: member, branch, workplace (repeat; default member).
        #[arg(long = "applicants")]
        applicants: Vec<String>,
        /// An application deadline, YYYY-MM-DD (repeat).
        #[arg(long = "deadline")]
        deadlines: Vec<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Budget, requested, committed, paid and remaining (minor units in
    /// the JSON).
    Show { id: i64 },
    /// The funds with their figures.
    List,
}

#[derive(Subcommand)]
pub enum GrantCommand {
    /// A new application (a draft) from a member.
    Apply {
        #[arg(long)]
        fund: i64,
        /// The applicant's (or contact member's) number.
        #[arg(long)]
        member: String,
        #[arg(long)]
        title: String,
        /// kr; with --line the lines must add up to it.
        #[arg(long, default_value = "")]
        amount: String,
        /// A budget line "item=amount" (repeat).
        #[arg(long = "line")]
        lines: Vec<String>,
        #[arg(long, default_value = "")]
        purpose: String,
        /// talk, workshop, network meeting, workplace visit, course ...
        #[arg(long, default_value = "")]
        activity: String,
        /// YYYY-MM-DD
        #[arg(long, default_value = "")]
        date: String,
        #[arg(long)]
        participants: Option<i64>,
    },
    /// The application with its lines and steps.
    Show {
        id: i64,
    },
    /// Applications, newest first.
    List {
        #[arg(long)]
        fund: Option<i64>,
        /// draft, submitted, in_review, approved, rejected, paid,
        /// report_received, closed or withdrawn.
        #[arg(long)]
        stage: Option<String>,
        /// Paid, with the report overdue.
        #[arg(long)]
        overdue: bool,
    },
    /// Submit a draft.
    Submit {
        id: i64,
    },
    /// Start reviewing a submitted application.
    Review {
        id: i64,
    },
    /// Decide: --approve AMOUNT [--conditions] [--up-to-remaining], or
    /// --reject --reason TEXT.
    Decide {
        id: i64,
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        approve: Option<String>,
        #[arg(long)]
        reject: bool,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long, default_value = "")]
        conditions: String,
        /// If the fund has less left, approve what it has.
        #[arg(long)]
        up_to_remaining: bool,
        /// YYYY-MM-DD (default today).
        #[arg(long, default_value = "")]
        date: String,
    },
    /// Record the payment.
    Pay {
        id: i64,
        /// kr (default: the approved amount).
        #[arg(long, default_value = "")]
        amount: String,
        /// YYYY-MM-DD (default today).
        #[arg(long, default_value = "")]
        date: String,
        #[arg(long, default_value = "")]
        reference: String,
        /// When the report is due, YYYY-MM-DD.
        #[arg(long, default_value = "")]
        report_due: String,
    },
    /// The follow-up report has come in.
    Report {
        id: i64,
    },
    Close {
        id: i64,
    },
    /// Withdrawn by the applicant (before payment).
    Withdraw {
        id: i64,
    },
    /// Undo a decision, back to review.
    Reopen {
        id: i64,
    },
    /// The decision letter (approval or rejection) as PDF.
    Letters {
        id: i64,
        #[arg(long)]
        out: PathBuf,
    },
    /// Reminder letters for every overdue report, as one PDF.
    Reminders {
        #[arg(long)]
        out: PathBuf,
    },
    /// Keep a file with the application (inside the register).
    Attach {
        id: i64,
        file: PathBuf,
    },
}

fn language(reg: &dyn Store) -> Result<Language, Error> {
    reg.print_language()
}

fn show_fund(v: &FundView, l: Language) {
    let f = &v.fund;
    let kr = |a: i64| money::format(a, l).replace('\u{a0}', " ");
    println!(
        "{} {} (fund {}){}",
        f.name,
        f.period,
        f.id,
        f.cap
            .map(|c| format!(", at most {} per application", kr(c)))
            .unwrap_or_default()
    );
    let t = &v.totals;
    println!(
        "budget {} · requested {} · committed {} · paid {} · remaining {}",
        kr(t.budget),
        kr(t.requested),
        kr(t.committed),
        kr(t.paid),
        kr(t.remaining)
    );
}

fn show_application(v: &ApplicationView, l: Language) {
    let a = &v.application;
    let kr = |x: i64| money::format(x, l).replace('\u{a0}', " ");
    println!(
        "Application {}: {} ({}) — {}, requested {}{}{}",
        a.id,
        a.details.title,
        a.member_name.as_deref().unwrap_or(""),
        a.stage,
        kr(a.details.requested),
        a.approved
            .map(|x| format!(", approved {}", kr(x)))
            .unwrap_or_default(),
        a.paid
            .map(|x| format!(", paid {}", kr(x)))
            .unwrap_or_default()
    );
    for line in &v.lines {
        println!("  {}  {}", line.item, kr(line.amount));
    }
    for step in &v.steps {
        println!(
            "{}  {}{}{}{}",
            step.on_date,
            step.step,
            step.amount
                .map(|x| format!(" {}", kr(x)))
                .unwrap_or_default(),
            Some(&step.note)
                .filter(|n| !n.is_empty())
                .map(|n| format!(": {n}"))
                .unwrap_or_default(),
            // On the office server: the officer who took it.
            step.by
                .as_deref()
                .map(|u| format!("  by {u}"))
                .unwrap_or_default()
        );
    }
    if v.report_overdue {
        if let Some(d) = a.report_due {
            println!("The report was due on {d}.");
        }
    }
}

pub fn run_fund(reg: &mut dyn Store, command: FundCommand, json: bool) -> Result<(), Error> {
    let l = language(reg)?;
    match command {
        FundCommand::Create {
            name,
            year,
            budget,
            cap,
            applicants,
            deadlines,
            note,
        } => {
            let f = grants::fund_create(
                reg,
                &FundInput {
                    name,
                    period: year,
                    budget,
                    cap,
                    applicants,
                    deadlines,
                    note,
                },
            )?;
            if json {
                print_json(&f)?;
            } else {
                println!("Created fund {}: {} {}", f.id, f.name, f.period);
            }
        }
        FundCommand::Show { id } => {
            let v = grants::fund_overview(reg, id)?;
            output(&v, json, |v| show_fund(v, l))?;
        }
        FundCommand::List => {
            let all = grants::funds(reg)?;
            if json {
                print_json(&all)?;
            } else {
                for v in &all {
                    show_fund(v, l);
                }
            }
        }
    }
    Ok(())
}

fn step(reg: &mut dyn Store, id: i64, input: StepInput) -> Result<ApplicationView, Error> {
    grants::step(reg, id, &input)
}

fn simple(reg: &mut dyn Store, id: i64, name: &str) -> Result<(), Error> {
    let v = step(
        reg,
        id,
        StepInput {
            step: name.to_owned(),
            ..Default::default()
        },
    )?;
    println!("Application {id} is now {}", v.application.stage);
    Ok(())
}

pub fn run_grant(reg: &mut dyn Store, command: GrantCommand, json: bool) -> Result<(), Error> {
    let l = language(reg)?;
    match command {
        GrantCommand::Apply {
            fund,
            member,
            title,
            amount,
            lines,
            purpose,
            activity,
            date,
            participants,
        } => {
            let member_id = medlem_core::meetings::member_by_number(reg, &member)?;
            let lines = lines
                .iter()
                .map(|l| match l.rsplit_once('=') {
                    Some((item, amount)) => Ok(LineInput {
                        item: item.trim().to_owned(),
                        amount: amount.trim().to_owned(),
                    }),
                    None => Err(Error::field("line", FieldCode::InvalidChoice)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let v = grants::apply(
                reg,
                &ApplicationInput {
                    fund_id: fund,
                    applicant_kind: "member".into(),
                    applicant: Applicant {
                        member_id: Some(member_id),
                        ..Default::default()
                    },
                    title,
                    purpose,
                    activity,
                    planned_date: date,
                    participants,
                    lines,
                    amount,
                    version: None,
                },
            )?;
            output(&v, json, |v| show_application(v, l))?;
        }
        GrantCommand::Show { id } => {
            let v = grants::application(reg, id)?;
            output(&v, json, |v| show_application(v, l))?;
        }
        GrantCommand::List {
            fund,
            stage,
            overdue,
        } => {
            let stage = match stage {
                None => None,
                Some(s) => Some(
                    grants::workflow::Stage::parse(s.trim())
                        .ok_or_else(|| Error::field("stage", FieldCode::InvalidChoice))?,
                ),
            };
            let all = grants::applications(
                reg,
                &ApplicationQuery {
                    fund_id: fund,
                    stage,
                    overdue,
                    ..Default::default()
                },
            )?;
            if json {
                print_json(&all)?;
            } else {
                for a in all {
                    println!(
                        "{:>5}  {:<16} {}  {}",
                        a.id,
                        a.stage.as_str(),
                        money::format(a.details.requested, l).replace('\u{a0}', " "),
                        a.details.title
                    );
                }
            }
        }
        GrantCommand::Submit { id } => simple(reg, id, "submit")?,
        GrantCommand::Review { id } => simple(reg, id, "review")?,
        GrantCommand::Report { id } => simple(reg, id, "report")?,
        GrantCommand::Close { id } => simple(reg, id, "close")?,
        GrantCommand::Withdraw { id } => simple(reg, id, "withdraw")?,
        GrantCommand::Reopen { id } => simple(reg, id, "reopen")?,
        GrantCommand::Decide {
            id,
            approve,
            reject: _,
            reason,
            conditions,
            up_to_remaining,
            date,
        } => {
            let input = match approve {
                Some(amount) => StepInput {
                    step: "approve".into(),
                    amount,
                    conditions,
                    up_to_remaining,
                    date,
                    ..Default::default()
                },
                None => StepInput {
                    step: "reject".into(),
                    reason,
                    date,
                    ..Default::default()
                },
            };
            let v = step(reg, id, input)?;
            output(&v, json, |v| show_application(v, l))?;
        }
        GrantCommand::Pay {
            id,
            amount,
            date,
            reference,
            report_due,
        } => {
            let v = step(
                reg,
                id,
                StepInput {
                    step: "pay".into(),
                    amount,
                    date,
                    reference,
                    report_due,
                    ..Default::default()
                },
            )?;
            show_application(&v, l);
        }
        GrantCommand::Letters { id, out } => {
            grants::decision_letter(reg, id, &out)?;
            println!("Decision letter: {}", out.display());
        }
        GrantCommand::Reminders { out } => {
            let done = grants::reminder_letters(reg, &out)?;
            println!("{} reminders: {}", done.items, out.display());
        }
        GrantCommand::Attach { id, file } => {
            let a = grants::attach_file(reg, id, &file)?;
            println!("Attached {} ({} bytes)", a.name, a.size);
        }
    }
    Ok(())
}
