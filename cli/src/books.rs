//! `books`: the period's fees, payments and grant payouts as vouchers for
//! the accounting program (SIE 4 or a CSV journal), and the accounts they
//! are booked on.

use clap::{Args, Subcommand};

use crate::shared::output;
use medlem_core::books::{self, ExportInput};
use medlem_core::store::Store;
use medlem_core::types::books::{Accounts, AccountsInput, BookExport};
use medlem_core::{money, Error, Language};

#[derive(Subcommand)]
pub(crate) enum BooksCommand {
    /// Write the vouchers of a period: the new ones and corrections of
    /// those exported before and changed since (with --all, every voucher
    /// of the period). With --dry-run, what the file would hold.
    Export {
        /// sie4 (Swedish accounting programs) or csv (a journal); default:
        /// SIE 4 in Sweden, the journal elsewhere.
        #[arg(long, default_value = "")]
        format: String,
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long, required_unless_present = "dry_run")]
        out: Option<std::path::PathBuf>,
        /// Also the vouchers of the period exported before.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        dry_run: bool,
    },
    /// The account numbers the vouchers are booked on; a flag changes one
    /// (an empty value brings back the default).
    Accounts {
        #[command(flatten)]
        flags: AccountFlags,
    },
}

#[derive(Args)]
pub(crate) struct AccountFlags {
    #[arg(long)]
    receivable: Option<String>,
    #[arg(long)]
    bank: Option<String>,
    #[arg(long)]
    fees: Option<String>,
    #[arg(long)]
    reminder_fees: Option<String>,
    #[arg(long)]
    other_income: Option<String>,
    #[arg(long)]
    credit: Option<String>,
    #[arg(long)]
    unassigned: Option<String>,
    #[arg(long)]
    write_off: Option<String>,
    #[arg(long)]
    grants: Option<String>,
}

fn summary(e: &BookExport, out: Option<&std::path::Path>) {
    let what = format!(
        "{} vouchers ({} new, {} corrections; {} of the period exported before{}), debits {}",
        e.vouchers,
        e.new,
        e.corrections,
        e.earlier,
        if e.vouchers > e.new + e.corrections {
            ", included"
        } else {
            ", left out"
        },
        money::format(e.total, Language::En)
    );
    match out {
        Some(out) => println!("{what} written to {}", out.display()),
        None => println!("{what}"),
    }
}

pub(crate) fn run(reg: &mut dyn Store, command: BooksCommand, json: bool) -> Result<(), Error> {
    match command {
        BooksCommand::Export {
            format,
            from,
            to,
            out,
            all,
            dry_run,
        } => {
            let input = ExportInput {
                format,
                from,
                to,
                all,
            };
            match out.filter(|_| !dry_run) {
                None => {
                    let preview = books::preview(&*reg, &input)?;
                    output(&preview, json, |p| {
                        for v in &p.vouchers {
                            println!("{}  {:<12} {:<10} {}", v.date, v.key, v.state, v.text);
                        }
                        summary(&p.export, None);
                    })
                }
                Some(out) => {
                    let report = books::export(reg, &input, &out)?;
                    output(&report, json, |r| summary(r, Some(out.as_path())))
                }
            }
        }
        BooksCommand::Accounts { flags: f } => {
            let input = AccountsInput {
                receivable: f.receivable,
                bank: f.bank,
                fees: f.fees,
                reminder_fees: f.reminder_fees,
                other_income: f.other_income,
                credit: f.credit,
                unassigned: f.unassigned,
                write_off: f.write_off,
                grants: f.grants,
            };
            let accounts: Accounts = if input == AccountsInput::default() {
                let country = reg.org_or_err()?.country;
                books::accounts(&*reg, country)?
            } else {
                books::set_accounts(reg, &input)?
            };
            output(&accounts, json, |a| {
                for (name, number) in a.fields() {
                    println!("{name:<13} {number}");
                }
            })
        }
    }
}
