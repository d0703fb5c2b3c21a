//! The books: the period's fees, payments and grant payouts as vouchers for
//! the accounting program, as SIE 4 (Sweden) or a CSV journal (Denmark,
//! Norway), on accounts the treasurer can change (BAS by default in
//! Sweden). Every export is logged with the vouchers it held, so the next
//! one says what is new and books what changed since as a correction.

pub mod journal;
pub mod sie;
pub mod vouchers;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::books::ExportRecord;
use crate::store::{Reads, Store};
use crate::types::books::{
    Accounts, AccountsInput, BookExport, BookFormat, BookPreview, VoucherLine, VoucherState,
};
use crate::types::dates::{now, read_date, today};
use crate::types::{Country, Language};

/// The setting the accounts are kept in (JSON).
const ACCOUNTS: &str = "book_accounts";

/// The accounts: as the treasurer set them, the country's defaults for the
/// rest.
pub fn accounts(reads: &dyn Reads, country: Country) -> Result<Accounts> {
    let mut a = Accounts::defaults(country);
    let kept: Option<AccountsInput> = reads
        .setting(ACCOUNTS)?
        .and_then(|s| serde_json::from_str(&s).ok());
    if let Some(kept) = kept {
        for (name, value) in kept.fields() {
            if let (Some(v), Some(slot)) = (value, a.field_mut(name)) {
                v.clone_into(slot);
            }
        }
    }
    Ok(a)
}

/// Checks and keeps accounts: each 1 to 10 digits; a field left out stays,
/// one left empty goes back to the default.
pub fn set_accounts(store: &mut dyn Store, input: &AccountsInput) -> Result<Accounts> {
    let country = store.org_or_err()?.country;
    let mut kept: AccountsInput = store
        .setting(ACCOUNTS)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    let mut problems = Vec::new();
    let mut changes = Vec::new();
    for (name, value) in input.fields() {
        let Some(v) = value else { continue };
        let v = v.trim();
        let ok = v.is_empty() || (v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            changes.push((name, (!v.is_empty()).then(|| v.to_string())));
        } else {
            problems.push(FieldError::new(name, FieldCode::InvalidNumber));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    let mut slots = kept.fields_mut();
    for (name, value) in changes {
        if let Some((_, slot)) = slots.iter_mut().find(|(n, _)| *n == name) {
            **slot = value;
        }
    }
    let json = serde_json::to_string(&kept).map_err(|e| Error::Store(Box::new(e)))?;
    let work = store.begin()?;
    work.put_setting(ACCOUNTS, &json)?;
    work.commit()?;
    accounts(&*store, country)
}

/// What to export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ExportInput {
    /// `sie4` or `csv`; empty: SIE 4 in Sweden, the journal elsewhere.
    pub format: String,
    pub from: String,
    pub to: String,
    /// Every voucher of the period, also those exported before.
    pub all: bool,
}

/// The checked input.
struct Checked {
    format: BookFormat,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
}

fn check(input: &ExportInput, country: Country) -> Result<Checked> {
    let mut problems = Vec::new();
    let format = match input.format.trim() {
        "" if country == Country::Se => Some(BookFormat::Sie4),
        "" => Some(BookFormat::Csv),
        f => BookFormat::parse(&f.to_lowercase()),
    };
    if format.is_none() {
        problems.push(FieldError::new("format", FieldCode::InvalidChoice));
    }
    let mut date = |field: &str, s: &str| match read_date(s) {
        Ok(d) => Some(d),
        Err(p) => {
            let code = if s.trim().is_empty() {
                FieldCode::Required
            } else {
                p.into()
            };
            problems.push(FieldError::new(field, code));
            None
        }
    };
    let from = date("from", &input.from);
    let to = date("to", &input.to);
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            problems.push(FieldError::new("to", FieldCode::DateOrder));
        }
    }
    match (format, from, to) {
        (Some(format), Some(from), Some(to)) if problems.is_empty() => {
            Ok(Checked { format, from, to })
        }
        _ => Err(Error::Validation(problems)),
    }
}

/// The vouchers an export would hold, and what it would report: nothing is
/// written.
pub fn preview(store: &dyn Store, input: &ExportInput) -> Result<BookPreview> {
    let Plan {
        planned,
        report: export,
        ..
    } = plan(store, input)?;
    Ok(BookPreview {
        vouchers: planned.vouchers,
        export,
    })
}

/// What an export will write, and what it was made with.
struct Plan {
    planned: vouchers::Planned,
    report: BookExport,
    org: crate::types::Org,
    accounts: Accounts,
    language: Language,
}

fn plan(store: &dyn Store, input: &ExportInput) -> Result<Plan> {
    let org = store.org_or_err()?;
    let c = check(input, org.country)?;
    let accounts = accounts(store, org.country)?;
    let language = store.print_language()?;
    // The vouchers of what was read are made on a second core while the
    // next is read.
    let books = store.books();
    let invoices = books.invoice_sources(c.to)?;
    let (mut made, payments) = crate::parallel::both(
        || vouchers::from_invoices(&invoices, &accounts, language),
        || books.payment_sources(c.to),
    );
    let payments = payments?;
    let (paid, rest) = crate::parallel::both(
        || vouchers::from_payments(&payments, &accounts, language),
        || Ok::<_, Error>((books.grant_sources(c.to)?, books.exported()?)),
    );
    let (grants, exported) = rest?;
    made.extend(paid);
    made.extend(vouchers::from_grants(&grants, &accounts, language));
    let planned = vouchers::vouchers(made, &exported, language, (c.from, c.to), input.all);
    let count = |s: VoucherState| planned.vouchers.iter().filter(|v| v.state == s).count();
    let report = BookExport {
        format: c.format,
        from: c.from,
        to: c.to,
        vouchers: planned.vouchers.len(),
        new: count(VoucherState::New),
        corrections: count(VoucherState::Correction),
        earlier: planned.earlier,
        total: planned
            .vouchers
            .iter()
            .flat_map(|v| &v.lines)
            .filter(|l| l.amount > 0)
            .map(|l| l.amount)
            .sum(),
        new_keys: planned
            .vouchers
            .iter()
            .filter(|v| v.state != VoucherState::Exported)
            .map(|v| v.key.clone())
            .collect(),
    };
    Ok(Plan {
        planned,
        report,
        org,
        accounts,
        language,
    })
}

/// Writes the period's vouchers to `out` (whole or not at all) and logs
/// them as exported. Nothing to export is `nothing_to_export`, with no file
/// written.
pub fn export(store: &mut dyn Store, input: &ExportInput, out: &Path) -> Result<BookExport> {
    let Plan {
        planned,
        report,
        org,
        accounts,
        language,
    } = plan(&*store, input)?;
    if planned.vouchers.is_empty() {
        return Err(Error::NothingToExport);
    }
    // The log is written in the same unit of work as the file is put in
    // place: a file that could not be written logs nothing. The file is
    // made on a second core while the log is written.
    let logged: Vec<(&str, &[VoucherLine])> = planned
        .vouchers
        .iter()
        .zip(&planned.now)
        .map(|(v, now)| (v.key.as_str(), now.as_deref().unwrap_or(&v.lines)))
        .collect();
    let file = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let work = store.begin()?;
    let (bytes, logging) = crate::parallel::both(
        || match report.format {
            BookFormat::Sie4 => {
                let used = vouchers::accounts_used(&planned.vouchers);
                Ok(sie::write(
                    &org,
                    &accounts,
                    &used,
                    &planned.vouchers,
                    today(),
                ))
            }
            BookFormat::Csv => journal::write(&planned.vouchers, language),
        },
        || {
            work.book_writes().record_export(
                &ExportRecord {
                    format: report.format,
                    from: report.from,
                    to: report.to,
                    file: &file,
                    vouchers: report.vouchers,
                },
                &logged,
                now(),
            )
        },
    );
    let bytes = bytes?;
    logging?;
    crate::letters::write_file(out, &bytes)?;
    work.commit()?;
    Ok(report)
}
