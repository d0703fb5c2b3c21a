//! medlem-cli: Medlem without a window, over the same core.
//!
//! Exit codes: 0 done, 1 refused or failed (one line on stderr, nothing
//! changed), 2 the command line itself was wrong.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

mod books;
mod dues;
mod grant;
mod import;
mod meeting;
mod members;
mod moving;
mod pay;
mod restore;
mod server;
mod shared;

use clap::{Args, Parser, Subcommand};

use crate::import::import;
use crate::restore::{backup_file, backup_server, describe_backup, passphrase, restore};
use crate::server::{open_server, server_address};
use crate::shared::{parse_status, print_json};
use medlem_core::backup::{self, Unlock};
use medlem_core::export::{self, ExportFormat};
use medlem_core::letters;
use medlem_core::store::Store;
use medlem_core::types::dues::PaymentsInput;
use medlem_core::{Error, FieldCode, Language, ListQuery, OrgInput};

#[derive(Parser)]
#[command(
    name = "medlem-cli",
    version,
    about = "Medlem's member register from the command line"
)]
struct Cli {
    /// The database file (default: MEDLEM_DB, else the desktop app's
    /// database), or a register on an office server:
    /// postgres://user@host:port/database (the password from PGPASSWORD,
    /// ~/.pgpass, or asked for; never on the command line).
    #[arg(long, global = true, env = "MEDLEM_DB")]
    db: Option<PathBuf>,
    /// Print JSON instead of text, where a command prints data (for scripts).
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The organisation.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// List members (or add one with `members add`).
    Members(members::MembersArgs),
    /// Import members from a CSV, xlsx or ods file (preview with --dry-run).
    Import {
        file: PathBuf,
        /// Only show what would happen (every member it would change,
        /// field by field); write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import only new members: leave every existing member as it is.
        #[arg(long)]
        no_updates: bool,
        /// Leave out the member with this number (one the file would
        /// change); repeat for more.
        #[arg(long, value_name = "NUMBER")]
        skip: Vec<String>,
    },
    /// Write an encrypted, verified backup into a folder (e.g. a USB stick).
    Backup {
        /// The folder to write the backup into.
        #[arg(long)]
        to: PathBuf,
        /// Set the backup passphrase from MEDLEM_PASSPHRASE when the
        /// register has none yet (for scripts).
        #[arg(long)]
        new_passphrase: bool,
    },
    /// Move the register: from its file onto an office server (--to
    /// postgres://user@host:port/database, an empty database), or from the
    /// server into a file on this computer (--to FILE.sqlite, a new file).
    /// Everything is copied in one go and counted on both sides; the
    /// register moved from is left as it was.
    Move {
        /// Where to: postgres://… or a file.
        #[arg(long)]
        to: String,
    },
    /// Where Medlem opens the register when started without --db (the
    /// window too): shown; --remember makes it the register of --db (a
    /// server's is connected to first); --forget goes back to the file in
    /// Medlem's folder.
    Location {
        #[arg(long)]
        remember: bool,
        #[arg(long, conflicts_with = "remember")]
        forget: bool,
    },
    /// Trust the office server's certificate on this computer from now on
    /// (with --db postgres://…): its SHA-256 fingerprint, as Medlem showed
    /// it on the first connection, or anew after it changed.
    Trust { fingerprint: String },
    /// Check a backup file: decrypt it and check the register inside.
    Verify { file: PathBuf },
    /// Replace the register by a backup (a safety copy is kept).
    Restore {
        file: PathBuf,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Print one letter per selected member into one PDF (each in the
    /// member's language); each letter is noted in the member's history.
    Letters {
        /// The template: welcome, notice or one of your own.
        #[arg(long)]
        template: String,
        #[command(flatten)]
        selection: Selection,
        #[arg(long)]
        out: PathBuf,
    },
    /// Address labels on A4 sheets (70 mm wide), in postcode order.
    Labels {
        /// 3x8 (24 per sheet) or 3x7 (21 per sheet).
        #[arg(long)]
        layout: String,
        /// One label per household (same address).
        #[arg(long)]
        households: bool,
        /// Move the print right (mm).
        #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
        offset_x: f32,
        /// Move the print down (mm).
        #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
        offset_y: f32,
        #[command(flatten)]
        selection: Selection,
        #[arg(long)]
        out: PathBuf,
    },
    /// A member list or a signature sheet as PDF.
    List {
        /// members or signatures.
        #[arg(long)]
        kind: String,
        #[command(flatten)]
        selection: Selection,
        #[arg(long)]
        out: PathBuf,
    },
    /// A page that outlines the envelope window, to hold against an envelope.
    Calibration {
        #[arg(long)]
        out: PathBuf,
    },
    /// Meetings: create, invite, replies, seats and waiting list,
    /// attendance, letters and calendar files.
    Meeting {
        #[command(subcommand)]
        command: meeting::MeetingCommand,
    },
    /// Funds for grants (an initiative pool): create, show the figures.
    Fund {
        #[command(subcommand)]
        command: grant::FundCommand,
    },
    /// Grant applications: apply, submit, decide, pay, letters.
    Grant {
        #[command(subcommand)]
        command: grant::GrantCommand,
    },
    /// Fee rules, and what members pay with (income band, household).
    Fees {
        #[command(subcommand)]
        command: dues::FeesCommand,
    },
    /// Fee runs and invoices.
    Dues {
        #[command(subcommand)]
        command: dues::DuesCommand,
    },
    /// Payments in: bank files, the review queue, payments by hand.
    Pay {
        #[command(subcommand)]
        command: pay::PayCommand,
    },
    /// The books: vouchers for the accounting program (SIE 4, CSV journal).
    Books {
        #[command(subcommand)]
        command: books::BooksCommand,
    },
    /// Export members to CSV (Excel, Nordic), xlsx or JSON.
    Export {
        #[arg(long)]
        format: String,
        #[arg(long)]
        out: PathBuf,
        /// Only the members this search finds.
        #[arg(long, default_value = "")]
        search: String,
        /// Only members with this status.
        #[arg(long)]
        status: Option<String>,
        /// The header language: sv, da, nb or en (default: the organisation's).
        #[arg(long)]
        language: Option<String>,
    },
}

/// Which members: a search and a status, as in the window's list, or a
/// selection saved in the window.
#[derive(Args)]
struct Selection {
    /// Only the members this search finds.
    #[arg(long, default_value = "")]
    search: String,
    /// applicant, active, resigned or deceased.
    #[arg(long)]
    status: Option<String>,
    /// A saved selection, by name (instead of --search/--status).
    #[arg(long, conflicts_with_all = ["search", "status"])]
    selection: Option<String>,
}

impl Selection {
    fn query(self, reg: &dyn Store) -> Result<ListQuery, Error> {
        if let Some(name) = self.selection {
            return Ok(medlem_core::selections::get(reg, &name)?.query);
        }
        Ok(ListQuery {
            search: self.search,
            status: parse_status(self.status)?,
            ..Default::default()
        })
    }
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create the organisation of a new register.
    Init {
        #[arg(long)]
        name: String,
        /// SE, DK or NO; the currency follows.
        #[arg(long)]
        country: String,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        org_number: String,
    },
    /// Letter settings (the envelope window, fine offsets, contact line)
    /// and the bank details invoices carry.
    Set {
        /// One of: se_left, se_right, dk_left, dk_right, no_left,
        /// din5008_a_left, din5008_a_right, din5008_b_left, din5008_b_right.
        #[arg(long)]
        window: Option<String>,
        /// Move the address right (mm).
        #[arg(long, allow_negative_numbers = true)]
        offset_x: Option<f32>,
        /// Move the address down (mm).
        #[arg(long, allow_negative_numbers = true)]
        offset_y: Option<f32>,
        /// E-mail, phone, web for the letterhead.
        #[arg(long)]
        contact: Option<String>,
        /// The logo for the letterhead: a PNG or JPEG file.
        #[arg(long, conflicts_with = "no_logo")]
        logo: Option<PathBuf>,
        /// Remove the logo.
        #[arg(long)]
        no_logo: bool,
        #[command(flatten)]
        payments: Box<PaymentFlags>,
    },
    /// Show the organisation.
    Show,
}

/// The bank details (an empty value clears one), each checked as typed.
#[derive(Args)]
struct PaymentFlags {
    /// Swedish Bankgiro number (5050-1055).
    #[arg(long)]
    bankgiro: Option<String>,
    #[arg(long)]
    plusgiro: Option<String>,
    /// The domestic account number.
    #[arg(long)]
    account: Option<String>,
    #[arg(long)]
    iban: Option<String>,
    #[arg(long)]
    bic: Option<String>,
    /// Norway: KID check digits by agreement, mod10 or mod11.
    #[arg(long)]
    kid: Option<String>,
    /// Sweden: OCR references with a length digit (true or false).
    #[arg(long)]
    ocr_length_digit: Option<bool>,
    /// Denmark: the FI creditor number (FIK 71).
    #[arg(long)]
    creditor: Option<String>,
    #[arg(long)]
    swish: Option<String>,
    #[arg(long)]
    vipps: Option<String>,
    #[arg(long)]
    mobilepay: Option<String>,
}

impl PaymentFlags {
    fn input(self) -> Option<PaymentsInput> {
        let input = PaymentsInput {
            bankgiro: self.bankgiro,
            plusgiro: self.plusgiro,
            account: self.account,
            iban: self.iban,
            bic: self.bic,
            kid: self.kid,
            ocr_length_digit: self.ocr_length_digit,
            creditor: self.creditor,
            swish: self.swish,
            vipps: self.vipps,
            mobilepay: self.mobilepay,
        };
        (input != PaymentsInput::default()).then_some(input)
    }
}

/// The CLI flag a refused field was given with (`dues`: a command of fees
/// and dues, whose `period` is `--period`).
fn flag(field: &str, dues: bool) -> String {
    if field.starts_with("lines.") {
        return "--line".to_owned();
    }
    let name = match field {
        "firstName" => "first",
        "lastName" => "last",
        "address1" => "address",
        "birthDate" => "birth-date",
        "joinedDate" => "joined",
        "orgNumber" => "org-number",
        "postalAddress" => "address",
        "offsetX" => "offset-x",
        "offsetY" => "offset-y",
        "timeZone" => "tz",
        "onlineLink" => "link",
        "replyBy" => "reply-by",
        "branchId" => "branch",
        "workplaceId" => "workplace",
        "noticeMinDays" => "notice-min",
        "noticeMaxDays" => "notice-max",
        "quorumCount" => "quorum-count",
        "quorumPercent" => "quorum-percent",
        "period" if !dues => "year",
        "ageUnder" => "age-under",
        "incomeBand" => "income-band",
        "validFrom" => "from",
        "payerId" => "payer",
        "membershipType" => "type",
        "ocrLengthDigit" => "ocr-length-digit",
        "plannedDate" => "date",
        "memberId" => "member",
        "invoiceId" => "invoice",
        "firstReminderDays" => "first-reminder",
        "secondReminderDays" => "second-reminder",
        "reminderFee" => "reminder-fee",
        "arrearsDays" => "arrears-days",
        "reportDue" => "report-due",
        "reminderFees" => "reminder-fees",
        "otherIncome" => "other-income",
        "writeOff" => "write-off",
        other => other,
    };
    format!("--{name}")
}

/// The books' account fields (`books accounts`).
const ACCOUNT_FIELDS: [&str; 9] = [
    "receivable",
    "bank",
    "fees",
    "reminderFees",
    "otherIncome",
    "credit",
    "unassigned",
    "writeOff",
    "grants",
];

fn describe(e: &Error, dues: bool) -> String {
    match e {
        Error::Validation(fields) => fields
            .iter()
            .map(|f| {
                let why = match f.code.as_str() {
                    "invalid_choice" if f.field == "logo" => {
                        "is not a PNG or JPEG image of at most 2 MB"
                    }
                    "invalid_number" if f.field.starts_with("offset") => {
                        "must be between -30 and 30 (mm)"
                    }
                    "invalid_number" if f.field == "capacity" => {
                        "must be a whole number from 0 to 100000"
                    }
                    "invalid_number" if f.field == "count" => "must be from 1 to 52",
                    "invalid_number" if f.field.starts_with("notice") => {
                        "must be from 0 to 365 (days)"
                    }
                    "invalid_number" if f.field.starts_with("quorum") => {
                        "is not a possible quorum (a count, or a percent up to 100)"
                    }
                    "date_order" if f.field == "date" => "is before the member joined",
                    "date_order" if f.field == "ends" => "is before the meeting starts",
                    "date_order" if f.field == "replyBy" => "is after the meeting starts",
                    "date_order" if f.field == "cutoff" => "is after the meeting",
                    "date_order" if f.field == "noticeMaxDays" => "is below --notice-min",
                    "date_order" if f.field == "to" => "is before --from",
                    "invalid_number" if ACCOUNT_FIELDS.contains(&f.field.as_str()) => {
                        "is not an account number (1 to 10 digits)"
                    }
                    "date_order" if f.field == "secondReminderDays" => {
                        "must be more days than --first-reminder"
                    }
                    "mismatch" if f.field == "amount" => "is not the sum of the --line amounts",
                    "invalid_choice" if f.field == "memberId" => "is not an active member",
                    "invalid_choice" if f.field == "payerId" => {
                        "pays for another household (households do not nest)"
                    }
                    "invalid_choice" if f.field == "to" => {
                        "must be postgres://… for a register in a file, or a file for one on a server"
                    }
                    "invalid_choice" if f.field == "db" => {
                        "must be postgres://… (only an office server has a certificate to trust)"
                    }
                    "invalid_choice" if f.field == "skip" => {
                        "names no member this file would change"
                    }
                    // The rest as core says it.
                    _ => f.code.describe(),
                };
                format!("{} {why}", flag(&f.field, dues))
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

fn run(mut cli: Cli) -> Result<(), Error> {
    if let Command::Location { remember, forget } = &cli.command {
        return server::location(cli.db.as_deref(), *remember, *forget, cli.json);
    }
    // Without --db: the register chosen on this computer, if one was.
    cli.db = cli
        .db
        .or_else(|| medlem_core::location::remembered().map(PathBuf::from));
    if let Some(url) = server_address(cli.db.as_deref()) {
        if let Command::Trust { fingerprint } = &cli.command {
            return server::trust(url, fingerprint, cli.json);
        }
        let mut register = open_server(url)?;
        return match cli.command {
            Command::Backup { to, new_passphrase } => {
                backup_server(&mut register, &to, new_passphrase, cli.json)
            }
            // A backup is checked and restored into a file on this
            // computer; from there `move` takes it onto a server.
            Command::Verify { .. } | Command::Restore { .. } => Err(Error::NotOnServer),
            // From one server to another is a backup's work, not a move's.
            Command::Move { to } if server_address(Some(Path::new(&to))).is_some() => {
                Err(Error::field("to", FieldCode::InvalidChoice))
            }
            Command::Move { to } => moving::to_file(&mut register, Path::new(&to), cli.json),
            command => dispatch(&mut register, command, cli.json),
        };
    }
    let path = cli
        .db
        .or_else(medlem_core::db::default_path)
        .ok_or_else(|| {
            Error::Io(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no home folder for the default database; pass --db PATH",
            ))
        })?;
    // SQLite's locking does not hold on a network drive, and a sync service
    // may bring back an old copy: said on stderr, so --json output stays clean.
    if let Some(place) = medlem_core::place::risky_place(&path) {
        eprintln!("{}", place.warning());
    }
    let json = cli.json;
    match cli.command {
        Command::Verify { file } => {
            let unlock = Unlock::Passphrase(passphrase("Backup passphrase: ")?);
            let info = backup::verify(&file, &unlock, backup::db_dir(&path))?;
            if json {
                print_json(&info)?;
            } else {
                println!("{}", describe_backup(&file, &info));
                println!("The backup is sound.");
            }
            return Ok(());
        }
        Command::Restore { file, yes } => return restore(&path, &file, yes),
        // Only a server has a certificate to trust.
        Command::Trust { .. } => return Err(Error::field("db", FieldCode::InvalidChoice)),
        _ => {}
    }
    let register = medlem_core::open(&path)?;
    match cli.command {
        Command::Backup { to, new_passphrase } => {
            return backup_file(&register, &to, new_passphrase, json)
        }
        Command::Move { to } => return moving::from_file(&register, &to, json),
        _ => {}
    }
    let mut register = register;
    dispatch(&mut register, cli.command, json)
}

/// Every command on an open register (on this computer or on the office
/// server).
fn dispatch(register: &mut dyn Store, command: Command, json: bool) -> Result<(), Error> {
    match command {
        Command::Verify { .. }
        | Command::Restore { .. }
        | Command::Backup { .. }
        | Command::Move { .. }
        | Command::Location { .. }
        | Command::Trust { .. } => {
            unreachable!("handled in run")
        }
        Command::Org {
            command:
                OrgCommand::Init {
                    name,
                    country,
                    address,
                    org_number,
                },
        } => {
            let org = register.create_org(&OrgInput {
                name,
                country,
                postal_address: address,
                org_number,
            })?;
            if json {
                print_json(&org)?;
            } else {
                println!("Created {} ({}, {})", org.name, org.country, org.currency);
            }
        }
        Command::Org {
            command: OrgCommand::Show,
        } => {
            let org = register.org()?.ok_or(Error::NoOrganisation)?;
            if json {
                print_json(&org)?;
            } else {
                println!("{} ({}, {})", org.name, org.country, org.currency);
            }
        }
        Command::Members(args) => members::run(register, args, json)?,
        Command::Import {
            file,
            dry_run,
            no_updates,
            skip,
        } => import(
            register,
            &file,
            dry_run,
            &import::Choices { no_updates, skip },
            json,
        )?,
        Command::Letters {
            template,
            selection,
            out,
        } => {
            let query = selection.query(&*register)?;
            let done = letters::letters(
                register,
                &template,
                &query,
                &out,
                &mut |_, _| {},
                &AtomicBool::new(false),
                medlem_core::LETTER_KINDS,
            )?;
            println!(
                "{} letters, {} pages: {}",
                done.items,
                done.pages,
                out.display()
            );
        }
        Command::Labels {
            layout,
            households,
            offset_x,
            offset_y,
            selection,
            out,
        } => {
            let sheet = letters::Sheet::parse(&layout)
                .ok_or_else(|| Error::field("layout", medlem_core::FieldCode::InvalidChoice))?;
            let done = letters::labels(
                &*register,
                &selection.query(&*register)?,
                sheet,
                households,
                (offset_x, offset_y),
                &out,
            )?;
            println!(
                "{} labels, {} pages: {}",
                done.items,
                done.pages,
                out.display()
            );
        }
        Command::List {
            kind,
            selection,
            out,
        } => {
            let kind = letters::lists::Kind::parse(&kind)
                .ok_or_else(|| Error::field("kind", medlem_core::FieldCode::InvalidChoice))?;
            let done = letters::list(&*register, &selection.query(&*register)?, kind, &out)?;
            println!(
                "{} members, {} pages: {}",
                done.items,
                done.pages,
                out.display()
            );
        }
        Command::Calibration { out } => {
            letters::calibration(&*register, &out)?;
            println!("Calibration page: {}", out.display());
        }
        Command::Org {
            command:
                OrgCommand::Set {
                    window,
                    offset_x,
                    offset_y,
                    contact,
                    logo,
                    no_logo,
                    payments,
                },
        } => {
            register.org()?.ok_or(Error::NoOrganisation)?;
            if let Some(input) = payments.input() {
                let p = medlem_core::dues::set_payments(register, &input)?;
                if json {
                    print_json(&p)?;
                } else {
                    println!("Bank details saved");
                }
                if window.is_none()
                    && offset_x.is_none()
                    && offset_y.is_none()
                    && contact.is_none()
                    && logo.is_none()
                    && !no_logo
                {
                    return Ok(());
                }
            }
            if logo.is_some() || no_logo {
                letters::set_logo_file(register, logo.as_deref())?;
            }
            let mut s = letters::settings(&*register)?;
            if let Some(w) = window {
                s.window = w;
            }
            if let Some(x) = offset_x {
                s.offset_x = x;
            }
            if let Some(y) = offset_y {
                s.offset_y = y;
            }
            if let Some(c) = contact {
                s.contact = c;
            }
            let s = letters::set_settings(register, &s)?;
            println!(
                "Envelope window {} (offset {:+.1} mm right, {:+.1} mm down)",
                s.window, s.offset_x, s.offset_y
            );
        }
        Command::Meeting { command } => meeting::run(register, command, json)?,
        Command::Fund { command } => grant::run_fund(register, command, json)?,
        Command::Grant { command } => grant::run_grant(register, command, json)?,
        Command::Fees { command } => dues::run_fees(register, command, json)?,
        Command::Dues { command } => dues::run_dues(register, command, json)?,
        Command::Pay { command } => pay::run(register, command, json)?,
        Command::Books { command } => books::run(register, command, json)?,
        Command::Export {
            format,
            out,
            search,
            status,
            language,
        } => {
            let format = ExportFormat::parse(&format)
                .ok_or_else(|| Error::field("format", medlem_core::FieldCode::InvalidChoice))?;
            let language = match language {
                Some(l) => Language::parse(&l).ok_or_else(|| {
                    Error::field("language", medlem_core::FieldCode::InvalidChoice)
                })?,
                None => register
                    .org()?
                    .ok_or(Error::NoOrganisation)?
                    .country
                    .language(),
            };
            let query = ListQuery {
                search,
                status: parse_status(status)?,
                ..Default::default()
            };
            let done = export::export(
                &*register,
                &query,
                format,
                language,
                &out,
                &mut |_| {},
                &AtomicBool::new(false),
            )?;
            println!("Exported {} members to {}", done.members, out.display());
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let dues = matches!(
        cli.command,
        Command::Fees { .. } | Command::Dues { .. } | Command::Pay { .. } | Command::Books { .. }
    );
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", describe(&e, dues));
            if let Some(hint) = server::certificate_hint(&e) {
                eprintln!("{hint}");
            }
            ExitCode::FAILURE
        }
    }
}
