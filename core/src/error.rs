//! Errors of the core, each with a stable machine code for the shells.

use std::path::PathBuf;

use serde::Serialize;

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
}

impl FieldCode {
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
        }
    }

    fn describe(self) -> &'static str {
        match self {
            FieldCode::Required => "is required",
            FieldCode::InvalidEmail => "is not a valid e-mail address",
            FieldCode::InvalidDate => "is not a valid date (use YYYY-MM-DD)",
            FieldCode::InvalidNumber => "is not a valid member number (letters, digits and - only)",
            FieldCode::Duplicate => "is already used by another member",
            FieldCode::TooLong => "is too long",
            FieldCode::TooShort => "is too short (at least 8 characters)",
            FieldCode::InvalidChoice => "is not one of the allowed values",
            FieldCode::DateOrder => "ends before it starts",
            FieldCode::InFuture => "lies in the future",
            FieldCode::Mismatch => "does not match",
            FieldCode::InvalidLink => "is not a web link (https://...)",
            FieldCode::InvalidAmount => "is not an amount in kr (e.g. 8000 or 8000,50)",
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
        source: rusqlite::Error,
    },
    #[error("{path} cannot be imported: {reason}")]
    InvalidFile { path: PathBuf, reason: String },
    /// A column mapping that names a field Medlem does not have.
    #[error("the column mapping names an unknown field {0:?}")]
    InvalidMapping(String),
    /// An import whose preview found problems is not written.
    #[error("the file has {0} problem(s); fix them or leave those rows out, then import again")]
    ImportProblems(usize),
    /// An import file without the columns that identify a member.
    #[error(
        "the file has none of the needed columns (first and last name, member number or e-mail)"
    )]
    MissingColumns,
    /// A backup or restore refused, see [`crate::backup::BackupFailure`].
    #[error("{detail}")]
    Backup {
        kind: crate::backup::BackupFailure,
        detail: String,
    },
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
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
    /// (`field`), or is not valid template syntax (`detail`).
    #[error("{}", describe_template(part, field.as_deref(), detail))]
    Template {
        part: &'static str,
        field: Option<String>,
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
    /// A meeting's capacity below the seats already given.
    #[error("{seated} seats are already taken; a capacity of {capacity} would take seats away (choose to move the latest back to the waiting list)")]
    BelowSeated { seated: usize, capacity: u32 },
    /// Non-members invited to a meeting for members only.
    #[error("this meeting is for members only; allow guests on the meeting first")]
    GuestsNotAllowed,
    /// A grant step refused by the workflow or the fund's money.
    #[error("{}", describe_step(.0))]
    Grant(crate::grants::workflow::StepError),
    /// A fund's budget below what it has committed and paid.
    #[error("the fund has already committed and paid {}; the budget cannot be lower", crate::grants::money::format(*used, crate::model::Language::En))]
    BudgetBelowUsed { used: i64 },
    /// A fund with applications cannot be removed.
    #[error("the fund has {0} application(s); it cannot be removed")]
    FundHasApplications(usize),
    /// A print with nobody to print for.
    #[error("there is nobody to print for")]
    NothingToPrint,
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

fn describe_step(e: &crate::grants::workflow::StepError) -> String {
    use crate::grants::workflow::StepError::*;
    let kr = |v: &i64| crate::grants::money::format(*v, crate::model::Language::En);
    match e {
        NotAllowed { stage, step } => {
            format!("an application that is {stage} cannot take the step {step:?}")
        }
        NoAmount => "the amount must be more than zero".to_owned(),
        AboveRequested { requested } => {
            format!("more than the application asks for ({})", kr(requested))
        }
        AboveCap { cap } => format!("more than the fund's cap per application ({})", kr(cap)),
        AboveRemaining { remaining } => format!(
            "more than the fund has left ({}); approve less, or choose to approve what remains",
            kr(remaining)
        ),
        AboveApproved { approved } => {
            format!("more than the approved amount ({})", kr(approved))
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
    /// The stable code the shells hand on (`validation`, `not_found`, ...).
    pub fn code(&self) -> &'static str {
        match self {
            Error::Validation(_) => "validation",
            Error::NotFound(_) => "not_found",
            Error::NoOrganisation => "no_organisation",
            Error::NewerDatabase { .. } => "newer_database",
            Error::Unwritable { .. } => "database_unwritable",
            Error::Corrupt { .. } => "database_corrupt",
            Error::InvalidFile { .. } => "invalid_file",
            Error::MissingColumns => "missing_columns",
            Error::InvalidMapping(_) => "validation",
            Error::ImportProblems(_) => "import_problems",
            Error::Backup { kind, .. } => kind.code(),
            Error::Io(_) => "io",
            Error::Sqlite(_) => "internal",
            Error::Export { .. } => "io",
            Error::InUse { .. } => "in_use",
            Error::Template { field: Some(_), .. } => "unknown_field",
            Error::Template { field: None, .. } => "template_syntax",
            Error::AddressTooLong(_) => "address_too_long",
            Error::Unprintable { .. } => "unprintable",
            Error::NotInvited => "not_invited",
            Error::BelowSeated { .. } => "below_seated",
            Error::GuestsNotAllowed => "guests_not_allowed",
            Error::NothingToPrint => "nothing_to_print",
            Error::Grant(e) => e.code(),
            Error::BudgetBelowUsed { .. } => "budget_below_used",
            Error::FundHasApplications(_) => "fund_has_applications",
            Error::Cancelled => "cancelled",
        }
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
