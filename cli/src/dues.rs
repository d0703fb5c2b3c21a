//! `fees` and `dues`: fee rules, what members pay with, fee runs and their
//! invoices.

use clap::Subcommand;

use crate::meeting::branch_id;
use crate::shared::output;
use medlem_core::dues::{self, fees, run::RunOptions};
use medlem_core::store::dues::InvoiceQuery;
use medlem_core::store::Store;
use medlem_core::types::dues::{
    DuesSettingsInput, FeeRuleInput, InvoiceStatus, MemberDues, RunPlan,
};
use medlem_core::{money, Error, FieldCode, Language};

#[derive(Subcommand)]
pub(crate) enum FeesCommand {
    /// Set a fee rule: what a member of a type pays per period, from a day
    /// on (a rule with the same conditions and day is replaced).
    Set {
        /// ordinary, student, retired, supporting (empty: every type;
        /// honorary members pay nothing).
        #[arg(long = "type", default_value = "")]
        membership_type: String,
        /// year, half_year, quarter or month.
        #[arg(long)]
        period: String,
        /// In kr: 1200 or 1200,50.
        #[arg(long)]
        amount: String,
        /// Only members younger than this on the period's first day.
        #[arg(long)]
        age_under: Option<String>,
        /// Only members with this income band.
        #[arg(long, default_value = "")]
        income_band: String,
        /// A household's fee, billed once to the payer.
        #[arg(long)]
        household: bool,
        /// The branch's supplement, added to the fee of its members.
        #[arg(long)]
        branch: Option<String>,
        /// The first day the rule holds (default: 1 January this year).
        #[arg(long, default_value = "")]
        from: String,
    },
    /// The fee rules.
    List,
    /// Remove a fee rule.
    Delete { id: i64 },
    /// What a member pays with: the income band and the household's payer.
    Member {
        /// The member's number.
        number: String,
        #[arg(long)]
        income_band: Option<String>,
        /// The number of the member who pays for this one's household.
        #[arg(long, conflicts_with = "no_payer")]
        payer: Option<String>,
        /// Pays for themself.
        #[arg(long)]
        no_payer: bool,
    },
}

#[derive(Subcommand)]
pub(crate) enum DuesCommand {
    /// Bill a period: 2027, 2027-H1, 2027-Q1 or 2027-01. With --dry-run,
    /// the preview: how many invoices, the total and every exception.
    Run {
        #[arg(long)]
        period: String,
        #[arg(long)]
        dry_run: bool,
        /// The due date (default: 30 days from today).
        #[arg(long, default_value = "")]
        due: String,
        /// Members who join during the period pay for the months left.
        #[arg(long)]
        pro_rata: bool,
    },
    /// The invoices (of a period), with their status.
    Show {
        #[arg(long)]
        period: Option<String>,
        /// open, partly_paid, paid, credited or written_off.
        #[arg(long)]
        status: Option<String>,
    },
    /// Print the open and partly paid invoices (of a period, of a member)
    /// as letters into one PDF, each in its member's language.
    Invoices {
        #[arg(long)]
        period: Option<String>,
        /// The member's number.
        #[arg(long)]
        member: Option<String>,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Reminders for the unpaid invoices that are due one (first, then
    /// second with its fee) as letters into one PDF; with --dry-run, who.
    Reminders {
        #[arg(long, required_unless_present = "dry_run")]
        out: Option<std::path::PathBuf>,
        #[arg(long)]
        dry_run: bool,
    },
    /// The unpaid invoices past their due date, with totals per branch and
    /// the members overdue longer than the statutes allow.
    Arrears,
    /// When reminders go out, their fee, and the arrears the statutes allow.
    Settings {
        /// Days after the due date (default 14).
        #[arg(long)]
        first_reminder: Option<String>,
        /// Days after the due date (default 30).
        #[arg(long)]
        second_reminder: Option<String>,
        /// Added with the second reminder, in kr (default none).
        #[arg(long)]
        reminder_fee: Option<String>,
        /// Days overdue after which a member is suggested for resignation
        /// (default 90).
        #[arg(long)]
        arrears_days: Option<String>,
    },
    /// The runs written so far.
    Runs,
    /// Cancel a run as a whole (its invoices credited); refused once any
    /// of it is paid.
    Cancel { run: i64 },
    /// Billed, paid, outstanding and written off per period and branch, the
    /// members' credit, and the payments of the last twelve months.
    Overview,
    /// Give up on what is left to pay of an open or partly paid invoice:
    /// it is written off (the books get a voucher for the loss).
    WriteOff { invoice: i64 },
}

/// "3 invoices, 3 pages written to fakturor.pdf".
fn written(what: &str, done: &medlem_core::letters::PdfSummary, out: &std::path::Path) {
    println!(
        "{} {what}, {} pages written to {}",
        done.items,
        done.pages,
        out.display()
    );
}

fn kr(minor: i64) -> String {
    money::format(minor, Language::En)
}

pub(crate) fn run_fees(reg: &mut dyn Store, command: FeesCommand, json: bool) -> Result<(), Error> {
    match command {
        FeesCommand::Set {
            membership_type,
            period,
            amount,
            age_under,
            income_band,
            household,
            branch,
            from,
        } => {
            let input = FeeRuleInput {
                membership_type,
                period,
                amount,
                age_under,
                income_band,
                household,
                branch_id: branch_id(reg, branch)?,
                valid_from: from,
            };
            let rule = fees::set_rule(reg, &input)?;
            output(&rule, json, |r| {
                println!(
                    "Fee rule {}: {} per {} from {}",
                    r.id,
                    kr(r.amount),
                    r.period,
                    r.valid_from
                )
            })
        }
        FeesCommand::List => {
            let rules = reg.dues().fee_rules()?;
            output(&rules, json, |rules| {
                for r in rules {
                    let mut who = r
                        .membership_type
                        .map_or("every type".to_owned(), |t| t.to_string());
                    if let Some(a) = r.age_under {
                        who.push_str(&format!(", under {a}"));
                    }
                    if let Some(b) = &r.income_band {
                        who.push_str(&format!(", income band {b}"));
                    }
                    if r.household {
                        who.push_str(", household");
                    }
                    if let Some(b) = &r.branch_name {
                        who.push_str(&format!(", supplement of {b}"));
                    }
                    println!(
                        "{:>4}  {:<10} {:>12}  from {}  {who}",
                        r.id,
                        r.period.as_str(),
                        kr(r.amount),
                        r.valid_from
                    );
                }
            })
        }
        FeesCommand::Delete { id } => {
            fees::delete_rule(reg, id)?;
            println!("Fee rule {id} removed");
            Ok(())
        }
        FeesCommand::Member {
            number,
            income_band,
            payer,
            no_payer,
        } => {
            let id = medlem_core::meetings::member_by_number(reg, &number)?;
            let mut d = reg.dues().member_dues(id)?;
            if let Some(b) = income_band {
                d.income_band = Some(b);
            }
            if let Some(p) = payer {
                d.payer_id = Some(medlem_core::meetings::member_by_number(reg, &p)?);
            }
            if no_payer {
                d.payer_id = None;
            }
            fees::set_member_dues(reg, id, &d)?;
            let d: MemberDues = reg.dues().member_dues(id)?;
            output(&d, json, |d| {
                println!(
                    "{number}: income band {}, {}",
                    d.income_band.as_deref().unwrap_or("none"),
                    match d.payer_id {
                        Some(p) => format!("paid for by member id {p}"),
                        None => "pays for themself".to_owned(),
                    }
                )
            })
        }
    }
}

pub(crate) fn run_dues(reg: &mut dyn Store, command: DuesCommand, json: bool) -> Result<(), Error> {
    match command {
        DuesCommand::Run {
            period,
            dry_run,
            due,
            pro_rata,
        } => {
            let options = RunOptions {
                period,
                due,
                pro_rata,
                ..RunOptions::default()
            };
            let plan = if dry_run {
                dues::run::preview(reg, &options)?
            } else {
                dues::run::run(reg, &options)?
            };
            output(&plan, json, print_plan)
        }
        DuesCommand::Show { period, status } => {
            let status = match status {
                Some(s) => Some(
                    InvoiceStatus::parse(s.trim())
                        .ok_or_else(|| Error::field("status", FieldCode::InvalidChoice))?,
                ),
                None => None,
            };
            let invoices = dues::invoices(
                reg,
                &InvoiceQuery {
                    period,
                    status,
                    ..InvoiceQuery::default()
                },
            )?;
            output(&invoices, json, |invoices| {
                for i in invoices {
                    println!(
                        "{:>6}  {:<8} {:<8} {:<28} {:>12}  {:<22} {}",
                        i.id,
                        i.period,
                        i.member,
                        i.name,
                        kr(i.amount),
                        i.reference,
                        i.status
                    );
                }
            })
        }
        DuesCommand::Invoices {
            period,
            member,
            out,
        } => {
            let member_id = match member {
                Some(n) => Some(medlem_core::meetings::member_by_number(reg, &n)?),
                None => None,
            };
            let done = dues::letters::print_invoices(
                reg,
                &InvoiceQuery {
                    period,
                    member_id,
                    ..InvoiceQuery::default()
                },
                &out,
                &mut |_, _| {},
                &std::sync::atomic::AtomicBool::new(false),
            )?;
            written("invoices", &done, &out);
            Ok(())
        }
        DuesCommand::Reminders { out, dry_run } => {
            let today = medlem_core::dates::today();
            match out.filter(|_| !dry_run) {
                None => {
                    let due = dues::reminders::due(reg, today)?;
                    output(&due, json, |due| {
                        for r in due {
                            println!(
                                "{}  {} {}  reminder {}  {} days overdue  {}",
                                r.invoice.id,
                                r.invoice.member,
                                r.invoice.name,
                                r.level,
                                r.days_overdue,
                                kr(r.invoice.amount - r.invoice.paid)
                            );
                        }
                    })
                }
                Some(out) => {
                    let done = dues::reminders::print_reminders(
                        reg,
                        &out,
                        &mut |_, _| {},
                        &std::sync::atomic::AtomicBool::new(false),
                    )?;
                    written("reminders", &done, &out);
                    Ok(())
                }
            }
        }
        DuesCommand::Arrears => {
            let a = dues::reminders::arrears(reg, medlem_core::dates::today())?;
            output(&a, json, |a| {
                for r in &a.rows {
                    println!(
                        "{:<8} {:<28} {:<8} {:>12}  {} days{}",
                        r.member,
                        r.name,
                        r.period,
                        kr(r.left),
                        r.days_overdue,
                        if r.suggest_resignation {
                            "  (past what the statutes allow)"
                        } else {
                            ""
                        }
                    );
                }
                for b in &a.branches {
                    println!(
                        "{}: {} invoices, {}",
                        b.branch.as_deref().unwrap_or("no branch"),
                        b.count,
                        kr(b.total)
                    );
                }
                println!("In all: {}", kr(a.total));
            })
        }
        DuesCommand::Settings {
            first_reminder,
            second_reminder,
            reminder_fee,
            arrears_days,
        } => {
            let s = dues::reminders::set_settings(
                reg,
                &DuesSettingsInput {
                    first_reminder_days: first_reminder,
                    second_reminder_days: second_reminder,
                    reminder_fee,
                    arrears_days,
                },
            )?;
            output(&s, json, |s| {
                println!(
                    "Reminders {} and {} days after the due date, fee {}; arrears allowed {} days",
                    s.first_reminder_days,
                    s.second_reminder_days,
                    kr(s.reminder_fee),
                    s.arrears_days
                )
            })
        }
        DuesCommand::Runs => {
            let runs = dues::runs(reg)?;
            output(&runs, json, |runs| {
                for r in runs {
                    println!(
                        "{:>4}  {:<8} {} invoices, {}, due {}, {}",
                        r.id,
                        r.period,
                        r.count,
                        kr(r.total),
                        r.due,
                        r.state
                    );
                }
            })
        }
        DuesCommand::Overview => {
            let o = dues::overview::overview(&*reg, medlem_core::dates::today())?;
            output(&o, json, |o| {
                let all = o.periods.iter().map(|t| (t, "(all)"));
                let each = o.branches.iter().map(|t| (t, "(no branch)"));
                for (t, none) in all.chain(each) {
                    println!(
                        "{:<8} {:<20} {:>6} invoices  billed {}  paid {}  outstanding {}  written off {}",
                        t.period,
                        t.branch.as_deref().unwrap_or(none),
                        t.invoices,
                        kr(t.billed),
                        kr(t.paid),
                        kr(t.outstanding),
                        kr(t.written_off)
                    );
                }
                println!("Credit on members: {}", kr(o.credit));
                for m in &o.months {
                    println!("{}  {:>5} payments  {}", m.month, m.count, kr(m.amount));
                }
            })
        }
        DuesCommand::WriteOff { invoice } => {
            let i = dues::reminders::write_off(reg, invoice)?;
            output(&i, json, |i| {
                println!(
                    "Invoice {} ({} {}, {}) written off: {} not paid",
                    i.id,
                    i.member,
                    i.name,
                    i.period,
                    kr(i.amount - i.paid)
                )
            })
        }
        DuesCommand::Cancel { run } => {
            dues::run::cancel(reg, run)?;
            println!("Run {run} cancelled; its invoices are credited");
            Ok(())
        }
    }
}

fn print_plan(plan: &RunPlan) {
    let what = match plan.run_id {
        Some(id) => format!("Run {id} written"),
        None => "Preview (nothing written)".to_owned(),
    };
    println!(
        "{what}: {} {} invoices, {} in all, due {}",
        plan.period.name,
        plan.count,
        kr(plan.total),
        plan.due
    );
    for c in &plan.exception_counts {
        println!("  {}: {}", c.reason, c.count);
    }
    for i in &plan.written {
        println!(
            "  {}  {}  {}  {}",
            i.member,
            i.name,
            kr(i.amount),
            i.reference
        );
    }
}
