//! Errors of the core. Every error has a code from the closed set
//! [`ErrorCode`] and structured [`Details`] (the field, the line, the member,
//! the character, the amount ...), so a shell never reads message text. The
//! English message is for logs and the CLI.
//!
//! Architecture invariant: this file imports nothing of core but `types`.

use std::path::PathBuf;

use serde::Serialize;

use crate::types::{money, Language};

/// Declares the closed set of error codes with their wire names.
macro_rules! error_codes {
    ($($variant:ident = $s:literal),+ $(,)?) => {
        /// The closed set of error codes the shells hand on. The UI knows the
        /// same list (`ui/js/api.js` `ERROR_CODES`) and every catalog has an
        /// `error.<code>` text; a test keeps the three in step.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum ErrorCode {
            $(#[serde(rename = $s)] $variant),+
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $s),+ }
            }
        }
    };
}

error_codes! {
    Validation = "validation",
    NotFound = "not_found",
    NoOrganisation = "no_organisation",
    NewerDatabase = "newer_database",
    DatabaseUnwritable = "database_unwritable",
    DatabaseCorrupt = "database_corrupt",
    Io = "io",
    FileNotFound = "file_not_found",
    Internal = "internal",
    InvalidFile = "invalid_file",
    FileTooLarge = "file_too_large",
    MissingColumns = "missing_columns",
    ImportProblems = "import_problems",
    ImportChanged = "import_changed",
    Cancelled = "cancelled",
    NoPassphrase = "no_passphrase",
    WrongPassphrase = "wrong_passphrase",
    PassphraseNeeded = "passphrase_needed",
    NotABackup = "not_a_backup",
    BackupDamaged = "backup_damaged",
    NewerBackup = "newer_backup",
    BackupUnverified = "backup_unverified",
    NoKeyFile = "no_key_file",
    DiskFull = "disk_full",
    BackupWriteFailed = "backup_write_failed",
    InUse = "in_use",
    UnknownField = "unknown_field",
    TemplateSyntax = "template_syntax",
    AddressTooLong = "address_too_long",
    Unprintable = "unprintable",
    NothingToPrint = "nothing_to_print",
    ProtectedFile = "protected_file",
    NotInvited = "not_invited",
    ReplyChanged = "reply_changed",
    BelowSeated = "below_seated",
    GuestsNotAllowed = "guests_not_allowed",
    StepNotAllowed = "step_not_allowed",
    NoAmount = "no_amount",
    AboveRequested = "above_requested",
    AboveCap = "above_cap",
    AboveRemaining = "above_remaining",
    AboveApproved = "above_approved",
    BudgetBelowUsed = "budget_below_used",
    FundHasApplications = "fund_has_applications",
    NothingToBill = "nothing_to_bill",
    RunChanged = "run_changed",
    RemindersChanged = "reminders_changed",
    RunHasPayments = "run_has_payments",
    NotABankFile = "not_a_bank_file",
    BankFileTruncated = "bank_file_truncated",
    BankFileMalformed = "bank_file_malformed",
    OtherAccount = "other_account",
    PaymentState = "payment_state",
    NothingToExport = "nothing_to_export",
    InvoiceState = "invoice_state",
    ServerUnreachable = "server_unreachable",
    ServerLogin = "server_login",
    ServerCertificateNew = "server_certificate_new",
    TlsChanged = "tls_changed",
    TlsUntrusted = "tls_untrusted",
    ServerNoTls = "server_no_tls",
    ServerNotMedlem = "server_not_medlem",
    NotOnServer = "not_on_server",
    MemberChanged = "member_changed",
    MeetingChanged = "meeting_changed",
    ApplicationChanged = "application_changed",
    ServerLost = "server_lost",
    RegisterNotEmpty = "register_not_empty",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// What an error names beyond its code, for the UI's own sentence: the part
/// of a template, the unknown merge field, the line, the member, the
/// character, an amount (minor units), a count, a stage and step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Details {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub character: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// A server certificate's SHA-256 fingerprint.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// Why a backup or restore was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupFailure {
    /// No passphrase has been set for this register yet.
    NoPassphrase,
    WrongPassphrase,
    /// Not an age file, or not encrypted to this register's key.
    NotABackup,
    /// Truncated or altered: age's authentication failed, or the database
    /// inside is damaged.
    Damaged,
    /// Written by a newer Medlem.
    Newer,
    /// The backup was written but did not read back identical.
    Unverified,
    /// No key file (`medlem-backup-key-<fingerprint>.age`) is beside the backup.
    NoKeyFile,
    /// The backup is not encrypted to this register's key: it comes from
    /// another register or computer, so its passphrase is needed.
    PassphraseNeeded,
    /// The backup folder's disk is full; nothing was written.
    DiskFull,
    /// Writing to the backup folder failed (a stick pulled out, a read-only
    /// or vanished folder); nothing was written.
    WriteFailed,
}

impl BackupFailure {
    pub fn code(self) -> ErrorCode {
        match self {
            BackupFailure::NoPassphrase => ErrorCode::NoPassphrase,
            BackupFailure::WrongPassphrase => ErrorCode::WrongPassphrase,
            BackupFailure::NotABackup => ErrorCode::NotABackup,
            BackupFailure::Damaged => ErrorCode::BackupDamaged,
            BackupFailure::Newer => ErrorCode::NewerBackup,
            BackupFailure::Unverified => ErrorCode::BackupUnverified,
            BackupFailure::NoKeyFile => ErrorCode::NoKeyFile,
            BackupFailure::PassphraseNeeded => ErrorCode::PassphraseNeeded,
            BackupFailure::DiskFull => ErrorCode::DiskFull,
            BackupFailure::WriteFailed => ErrorCode::BackupWriteFailed,
        }
    }
}

/// Why a bank file could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankFileProblem {
    /// Not a camt.053/054, BgMax or Nets OCR file.
    NotABankFile,
    /// It ends before its end, or its end's counts and sums disagree.
    Truncated,
    /// A record that breaks the format.
    Malformed,
}

/// Why one field of an input was refused. `field` is the DTO field name
/// (`firstName`, `roles.0.from`, ...), `code` one of [`FieldCode`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldCode) -> Self {
        FieldError {
            field: field.into(),
            code,
        }
    }
}

/// The closed set of reasons a field is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    Required,
    InvalidEmail,
    InvalidDate,
    InvalidNumber,
    Duplicate,
    TooLong,
    TooShort,
    InvalidChoice,
    DateOrder,
    InFuture,
    /// A repeated entry (a passphrase typed twice) differs.
    Mismatch,
    /// Not an http(s) link.
    InvalidLink,
    /// Not an amount of money ("8000", "8 000,50").
    InvalidAmount,
    /// A hidden character: a control character (NUL, a line break in a
    /// one-line field) or a text-direction override.
    InvalidCharacter,
    /// A date whose month is not 1–12 (`2026-13-01`).
    InvalidMonth,
    /// A date whose day is not in its month (`2026-02-30`).
    InvalidDay,
    /// Not a period a fee run bills (`2027`, `2027-H1`, `2027-Q1`, `2027-01`).
    InvalidPeriod,
    /// A bank number or payment reference whose check digit is wrong.
    CheckDigit,
    /// Not written as that kind of bank number (digits, length, country).
    InvalidBankNumber,
}

impl From<crate::types::dates::DateProblem> for FieldCode {
    fn from(p: crate::types::dates::DateProblem) -> FieldCode {
        use crate::types::dates::DateProblem;
        match p {
            DateProblem::Form => FieldCode::InvalidDate,
            DateProblem::Month => FieldCode::InvalidMonth,
            DateProblem::Day => FieldCode::InvalidDay,
        }
    }
}

impl FieldCode {
    pub const ALL: &'static [FieldCode] = &[
        FieldCode::Required,
        FieldCode::InvalidEmail,
        FieldCode::InvalidDate,
        FieldCode::InvalidNumber,
        FieldCode::Duplicate,
        FieldCode::TooLong,
        FieldCode::TooShort,
        FieldCode::InvalidChoice,
        FieldCode::DateOrder,
        FieldCode::InFuture,
        FieldCode::Mismatch,
        FieldCode::InvalidLink,
        FieldCode::InvalidAmount,
        FieldCode::InvalidCharacter,
        FieldCode::InvalidMonth,
        FieldCode::InvalidDay,
        FieldCode::InvalidPeriod,
        FieldCode::CheckDigit,
        FieldCode::InvalidBankNumber,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldCode::Required => "required",
            FieldCode::InvalidEmail => "invalid_email",
            FieldCode::InvalidDate => "invalid_date",
            FieldCode::InvalidNumber => "invalid_number",
            FieldCode::Duplicate => "duplicate",
            FieldCode::TooLong => "too_long",
            FieldCode::TooShort => "too_short",
            FieldCode::InvalidChoice => "invalid_choice",
            FieldCode::DateOrder => "date_order",
            FieldCode::InFuture => "in_future",
            FieldCode::Mismatch => "mismatch",
            FieldCode::InvalidLink => "invalid_link",
            FieldCode::InvalidAmount => "invalid_amount",
            FieldCode::InvalidCharacter => "invalid_character",
            FieldCode::InvalidMonth => "invalid_month",
            FieldCode::InvalidDay => "invalid_day",
            FieldCode::InvalidPeriod => "invalid_period",
            FieldCode::CheckDigit => "check_digit",
            FieldCode::InvalidBankNumber => "invalid_bank_number",
        }
    }

    /// The English sentence end for logs and the CLI ("is required").
    pub fn describe(self) -> &'static str {
        match self {
            FieldCode::Required => "is required",
            FieldCode::InvalidEmail => "is not a valid e-mail address",
            FieldCode::InvalidDate => {
                "is not a date (write it as 2026-12-31, 31.12.2026, 31/12/2026 or 31-12-2026)"
            }
            FieldCode::InvalidMonth => "has a month that does not exist (1 to 12)",
            FieldCode::InvalidDay => "has a day that is not in that month",
            FieldCode::InvalidNumber => "is not a valid member number (letters, digits and - only)",
            FieldCode::Duplicate => "is already used",
            FieldCode::TooLong => "is too long",
            FieldCode::TooShort => "is too short (at least 8 characters)",
            FieldCode::InvalidChoice => "is not one of the allowed values",
            FieldCode::DateOrder => "is before the start date",
            FieldCode::InFuture => "lies in the future",
            FieldCode::Mismatch => "does not match",
            FieldCode::InvalidLink => "is not a web link (https://...)",
            FieldCode::InvalidAmount => "is not an amount in kr (e.g. 8000 or 8000,50)",
            FieldCode::InvalidCharacter => {
                "holds a hidden character (a control or text-direction character); remove it"
            }
            FieldCode::InvalidPeriod => "is not a period (2027, 2027-H1, 2027-Q1 or 2027-01)",
            FieldCode::CheckDigit => "has a wrong check digit; look at the number again",
            FieldCode::InvalidBankNumber => "is not written as such a number",
        }
    }
}

/// Every error the core returns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Input was refused; nothing was written.
    #[error("{}", describe_fields(.0))]
    Validation(Vec<FieldError>),
    #[error("{0} not found")]
    NotFound(&'static str),
    /// No member has this number (`not_found`, naming the number).
    #[error("no member has the number {0}")]
    NoSuchMember(String),
    #[error("the register has no organisation yet; create one first")]
    NoOrganisation,
    #[error(
        "{path} was written by a newer version of Medlem (schema {found}, this version knows up to {supported}); \
         install the newer Medlem to open it. The file has not been changed."
    )]
    NewerDatabase {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("cannot write the database at {path}: {source}")]
    Unwritable {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("{path} is not a Medlem database or is damaged: {source}")]
    Corrupt {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("{path} cannot be imported: {reason}")]
    InvalidFile { path: PathBuf, reason: String },
    /// A file to import over one of the limits (`what`: `size` in bytes,
    /// `unpacked` bytes of an xlsx/ods, `rows`, `columns`); nothing was read
    /// further and nothing changed.
    #[error("{}: over what Medlem reads ({what}: at most {limit}); split the file or remove what is not member data", path.display())]
    FileTooLarge {
        path: PathBuf,
        what: &'static str,
        limit: usize,
    },
    /// A column mapping that names a field Medlem does not have.
    #[error("the column mapping names an unknown field {0:?}")]
    InvalidMapping(String),
    /// An import whose preview found problems is not written.
    #[error("the file has {0} problem(s); fix them or leave those rows out, then import again")]
    ImportProblems(usize),
    /// The file or the register changed since the preview the user chose
    /// from: the commit would write something else than it showed.
    #[error("the file or the register changed since the preview; preview the file again")]
    ImportChanged,
    /// An import file without the columns that identify a member.
    #[error(
        "the file has none of the needed columns (first and last name, member number or e-mail)"
    )]
    MissingColumns,
    /// A backup or restore refused, see [`BackupFailure`].
    #[error("{detail}")]
    Backup { kind: BackupFailure, detail: String },
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    /// The store failed (SQL, the database file): see the source.
    #[error("database error: {0}")]
    Store(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// An export could not write its file; nothing was left behind.
    #[error("cannot write {path}: {source}")]
    Export {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The register is marked as in use by a running Medlem (see
    /// [`crate::lock`]); it must not be replaced under it.
    #[error("the register is in use by Medlem on {computer} since {since}; close it there first")]
    InUse { computer: String, since: String },
    /// A letter template names a merge field Medlem does not know
    /// (`field`), or is not valid template syntax (`detail`, at `line`).
    #[error("{}", describe_template(part, field.as_deref(), detail))]
    Template {
        part: &'static str,
        field: Option<String>,
        line: Option<usize>,
        detail: String,
    },
    /// An address with more lines than fit in the envelope window.
    #[error("the address of {0} does not fit in the envelope window")]
    AddressTooLong(String),
    /// Text the bundled font cannot print (it would come out as boxes).
    #[error("{what}: the character {character:?} (U+{:04X}) cannot be printed", *character as u32)]
    Unprintable { what: String, character: char },
    /// A reply or attendance for someone not on the invitation list.
    #[error("that person is not invited to this meeting; invite them first")]
    NotInvited,
    /// A reply taken back after the places changed since it (another
    /// reply, a letter to those promoted, a new capacity); nothing changed.
    #[error("the seats changed since that reply, so it cannot be taken back; register the right reply instead")]
    ReplyChanged,
    /// A meeting's capacity below the seats already given.
    #[error("{seated} seats are already taken; a capacity of {capacity} would take seats away (choose to move the latest back to the waiting list)")]
    BelowSeated { seated: usize, capacity: u32 },
    /// Non-members invited to a meeting for members only.
    #[error("this meeting is for members only; allow guests on the meeting first")]
    GuestsNotAllowed,
    /// A step refused by a workflow (a grant application's stage, or the
    /// fund's money): see `grants::workflow::StepError`.
    #[error("{message}")]
    Step {
        code: ErrorCode,
        message: String,
        details: Box<Details>,
    },
    /// A fund's budget below what it has committed and paid.
    #[error("the fund has already committed and paid {}; the budget cannot be lower", money::format(*used, Language::En))]
    BudgetBelowUsed { used: i64 },
    /// A fund with applications cannot be removed.
    #[error("the fund has {0} application(s); it cannot be removed")]
    FundHasApplications(usize),
    /// A print with nobody to print for.
    #[error("there is nobody to print for")]
    NothingToPrint,
    /// An export, PDF, calendar file or attachment was to be written over
    /// one of Medlem's own files (the open register, its log, a safety copy,
    /// a backup or a key file); nothing was written.
    #[error("{} is one of Medlem's own files (the register, a backup or a key); choose another name", .0.display())]
    ProtectedFile(PathBuf),
    /// A books export with no voucher that is new or changed in the period.
    #[error(
        "there is nothing new to export for that period (every voucher in it was exported before)"
    )]
    NothingToExport,
    /// Only an open or partly paid invoice can be written off.
    #[error("that invoice is not open: it is paid, credited or written off already")]
    InvoiceState,
    /// A fee run that would bill nobody.
    #[error("nobody is to be billed for that period (see the exceptions in the preview)")]
    NothingToBill,
    /// The register changed since the run's preview: it would now bill
    /// another count or total.
    #[error("the register changed since the preview; look at the preview again")]
    RunChanged,
    /// Reminders were sent for some of the invoices (another officer's)
    /// while these were printed: nothing was printed or noted.
    #[error("reminders were sent for some of these invoices meanwhile; nothing was printed: print the reminders again")]
    RemindersChanged,
    /// A run with paid invoices cannot be cancelled as a whole.
    #[error("{0} invoice(s) of the run are already paid; the run cannot be cancelled")]
    RunHasPayments(usize),
    /// A bank file that does not read; nothing of it was booked.
    #[error("{}", describe_bank_file(*problem, *line))]
    BankFile {
        problem: BankFileProblem,
        line: Option<usize>,
    },
    /// A bank file for an account that is not the organisation's
    /// (Settings → Payments); nothing of it was booked.
    #[error("the file is for account {0}, which is not one of the organisation's (see the bank details in Settings → Payments)")]
    OtherAccount(String),
    /// A payment in a state that does not allow the step (assigning one
    /// that is not waiting, reversing one already reversed).
    #[error("payment {id} is {state}")]
    PaymentState { id: i64, state: &'static str },
    /// The office server did not answer, or has no such database (`place`:
    /// `user@host:port/database`); nothing changed.
    #[error("cannot reach the register on the office server {place}; check the address and that the server is running")]
    ServerUnreachable { place: String },
    /// The server refused the user name or password.
    #[error("the office server refused the user name or password for {place}")]
    ServerLogin { place: String },
    /// The first connection to this server from this computer: its
    /// certificate (`fingerprint`) is to be trusted by the officer before
    /// anything is sent.
    #[error("this computer has not connected to the office server {place} before; its certificate's SHA-256 fingerprint is {fingerprint}: if that is your office server's, trust it")]
    ServerCertificateNew { place: String, fingerprint: String },
    /// The server shows another certificate than the one this computer
    /// remembered for it; nothing was sent.
    #[error("the office server {place} shows another certificate than before (SHA-256 {fingerprint}); someone may be between you and the server, or it has a new certificate: ask whoever runs it before you trust the new one")]
    TlsChanged { place: String, fingerprint: String },
    /// The server's certificate is not signed by the authority given
    /// (`sslrootcert`), or does not name the server.
    #[error("the office server {place} shows a certificate that the certificate authority given (sslrootcert) did not sign for it")]
    TlsUntrusted { place: String },
    /// TLS was asked for and the server has none.
    #[error("the office server {place} does not encrypt its connections (TLS); ask whoever runs it to turn TLS on, or add ?sslmode=disable to the address on a network you trust")]
    ServerNoTls { place: String },
    /// The database on the server holds another program's tables and no
    /// register of Medlem's; nothing was made there.
    #[error("the database {place} on the office server holds {tables} table(s) of another program, not a Medlem register; nothing was changed: choose an empty database for Medlem, or the one that holds your register")]
    ServerNotMedlem { place: String, tables: i64 },
    /// What is about a file (a restore, the safety copies) asked of a
    /// register on the office server; nothing changed.
    #[error("this part of Medlem does not work on the office server yet; use a register on this computer for it")]
    NotOnServer,
    /// A member saved from a form opened before someone else saved them
    /// (`by`: who, a database user or this computer's; `at`: when, local
    /// time); nothing was written.
    #[error("{by} changed this member at {at} since you opened it; open the member again to see their change")]
    MemberChanged { by: String, at: String },
    /// A meeting's form was saved after someone else saved the meeting
    /// (`by`, `at` as for [`Error::MemberChanged`]); nothing was written.
    #[error("{by} changed this meeting at {at} since you opened it; open the meeting again to see their change")]
    MeetingChanged { by: String, at: String },
    /// The same for a grant application's form.
    #[error("{by} changed this application at {at} since you opened it; open the application again to see their change")]
    ApplicationChanged { by: String, at: String },
    /// The connection to the office server was lost during the work; the
    /// server kept none of what was unfinished.
    #[error("the connection to the office server was lost; nothing of the unfinished work was saved. Try again: Medlem connects anew")]
    ServerLost,
    /// A register moved into a database or file that already holds one;
    /// nothing was copied.
    #[error("the place to move the register to already holds a register; choose an empty database or a new file")]
    RegisterNotEmpty,
    /// The user stopped a long operation; nothing was left behind.
    #[error("cancelled")]
    Cancelled,
}

fn describe_template(part: &str, field: Option<&str>, detail: &str) -> String {
    match field {
        Some(f) => {
            format!("the {part} uses the merge field {{{{ {f} }}}}, which Medlem does not know")
        }
        None => format!("the {part} is not a valid template: {detail}"),
    }
}

fn describe_bank_file(problem: BankFileProblem, line: Option<usize>) -> String {
    match (problem, line) {
        (BankFileProblem::NotABankFile, _) => {
            "not a bank file Medlem reads (camt.054, camt.053, BgMax or Nets OCR giro)".into()
        }
        (BankFileProblem::Truncated, _) => {
            "the bank file is incomplete (cut off, or its totals do not agree); fetch it from the bank again".into()
        }
        (BankFileProblem::Malformed, Some(l)) => {
            format!("the bank file is damaged at line {l}; fetch it from the bank again")
        }
        (BankFileProblem::Malformed, None) => {
            "the bank file is damaged; fetch it from the bank again".into()
        }
    }
}

fn describe_fields(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|f| format!("{} {}", f.field, f.code.describe()))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Error {
    /// The stable code the shells hand on.
    pub fn code(&self) -> ErrorCode {
        use ErrorCode as C;
        match self {
            Error::Validation(_) | Error::InvalidMapping(_) => C::Validation,
            Error::NotFound(_) | Error::NoSuchMember(_) => C::NotFound,
            Error::NoOrganisation => C::NoOrganisation,
            Error::NewerDatabase { .. } => C::NewerDatabase,
            Error::Unwritable { .. } => C::DatabaseUnwritable,
            Error::Corrupt { .. } => C::DatabaseCorrupt,
            Error::InvalidFile { .. } => C::InvalidFile,
            Error::FileTooLarge { .. } => C::FileTooLarge,
            Error::MissingColumns => C::MissingColumns,
            Error::ImportProblems(_) => C::ImportProblems,
            Error::ImportChanged => C::ImportChanged,
            Error::Backup { kind, .. } => kind.code(),
            Error::Io(e) if e.kind() == std::io::ErrorKind::NotFound => C::FileNotFound,
            Error::Io(_) | Error::Export { .. } => C::Io,
            Error::ProtectedFile(_) => C::ProtectedFile,
            Error::Store(_) => C::Internal,
            Error::InUse { .. } => C::InUse,
            Error::Template { field: Some(_), .. } => C::UnknownField,
            Error::Template { field: None, .. } => C::TemplateSyntax,
            Error::AddressTooLong(_) => C::AddressTooLong,
            Error::Unprintable { .. } => C::Unprintable,
            Error::NotInvited => C::NotInvited,
            Error::ReplyChanged => C::ReplyChanged,
            Error::BelowSeated { .. } => C::BelowSeated,
            Error::GuestsNotAllowed => C::GuestsNotAllowed,
            Error::NothingToPrint => C::NothingToPrint,
            Error::Step { code, .. } => *code,
            Error::BudgetBelowUsed { .. } => C::BudgetBelowUsed,
            Error::FundHasApplications(_) => C::FundHasApplications,
            Error::Cancelled => C::Cancelled,
            Error::NothingToBill => C::NothingToBill,
            Error::NothingToExport => C::NothingToExport,
            Error::InvoiceState => C::InvoiceState,
            Error::RunChanged => C::RunChanged,
            Error::RemindersChanged => C::RemindersChanged,
            Error::RunHasPayments(_) => C::RunHasPayments,
            Error::BankFile { problem, .. } => match problem {
                BankFileProblem::NotABankFile => C::NotABankFile,
                BankFileProblem::Truncated => C::BankFileTruncated,
                BankFileProblem::Malformed => C::BankFileMalformed,
            },
            Error::OtherAccount(_) => C::OtherAccount,
            Error::PaymentState { .. } => C::PaymentState,
            Error::ServerUnreachable { .. } => C::ServerUnreachable,
            Error::ServerLogin { .. } => C::ServerLogin,
            Error::ServerCertificateNew { .. } => C::ServerCertificateNew,
            Error::TlsChanged { .. } => C::TlsChanged,
            Error::TlsUntrusted { .. } => C::TlsUntrusted,
            Error::ServerNoTls { .. } => C::ServerNoTls,
            Error::ServerNotMedlem { .. } => C::ServerNotMedlem,
            Error::NotOnServer => C::NotOnServer,
            Error::MemberChanged { .. } => C::MemberChanged,
            Error::MeetingChanged { .. } => C::MeetingChanged,
            Error::ApplicationChanged { .. } => C::ApplicationChanged,
            Error::ServerLost => C::ServerLost,
            Error::RegisterNotEmpty => C::RegisterNotEmpty,
        }
    }

    /// What the error names beyond its code (see [`Details`]).
    pub fn details(&self) -> Details {
        let mut d = Details::default();
        match self {
            Error::Template {
                part, field, line, ..
            } => {
                d.part = Some((*part).to_owned());
                d.field = field.clone();
                d.line = *line;
            }
            Error::AddressTooLong(who) | Error::NoSuchMember(who) => d.member = Some(who.clone()),
            Error::Unprintable { what, character } => {
                d.member = Some(what.clone());
                d.character = Some(character.to_string());
            }
            Error::Step { details, .. } => d = (**details).clone(),
            Error::BudgetBelowUsed { used } => d.amount = Some(*used),
            Error::FundHasApplications(n) | Error::ImportProblems(n) | Error::RunHasPayments(n) => {
                d.count = Some(*n)
            }
            Error::FileTooLarge { what, limit, .. } => {
                d.part = Some((*what).to_owned());
                d.count = Some(*limit);
            }
            Error::BelowSeated { seated, .. } => d.count = Some(*seated),
            Error::InvalidMapping(field) => d.field = Some(field.clone()),
            Error::BankFile { line, .. } => d.line = *line,
            Error::OtherAccount(account) => d.part = Some(account.clone()),
            Error::PaymentState { state, .. } => d.step = Some((*state).to_owned()),
            Error::ServerUnreachable { place }
            | Error::ServerLogin { place }
            | Error::TlsUntrusted { place }
            | Error::ServerNoTls { place }
            | Error::ServerNotMedlem { place, .. } => d.part = Some(place.clone()),
            Error::ServerCertificateNew { place, fingerprint }
            | Error::TlsChanged { place, fingerprint } => {
                d.part = Some(place.clone());
                d.fingerprint = Some(fingerprint.clone());
            }
            Error::MemberChanged { by, at }
            | Error::MeetingChanged { by, at }
            | Error::ApplicationChanged { by, at } => {
                d.member = Some(by.clone());
                d.part = Some(at.clone());
            }
            _ => {}
        }
        d
    }

    /// The refused fields of a validation error, else empty.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Validation(f) => f,
            _ => &[],
        }
    }

    pub fn field(field: &str, code: FieldCode) -> Self {
        Error::Validation(vec![FieldError::new(field, code)])
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
