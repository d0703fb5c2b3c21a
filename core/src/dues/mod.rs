//! Dues: the organisation's payment details, fee rules, fee runs and their
//! invoices with payment references.
//!
//! `reference.rs` is pure: the check digits of OCR, KID and FIK references
//! and of bank numbers. `fees.rs` keeps the fee rules and picks the one a
//! member pays by; `run.rs` plans a run (preview) and writes it in one unit
//! of work. Data only through the store (`store::dues`).

pub mod bankfile;
pub mod fees;
pub mod letters;
pub mod matching;
pub mod overview;
pub mod pay;
pub mod reference;
pub mod reminders;
pub mod run;

use crate::error::{Error, FieldCode, FieldError, Result};
use crate::store::dues::InvoiceQuery;
use crate::store::{Reads, Store};
use crate::types::dues::{DuesRun, Invoice, KidCheck, Payments, PaymentsInput};
use crate::types::{Country, Org};
use reference::{Problem, Scheme};

/// The setting the bank details are kept in (JSON).
const PAYMENTS: &str = "payments";

/// The organisation's bank details (all empty until set).
pub fn payments(reads: &dyn Reads) -> Result<Payments> {
    Ok(reads
        .setting(PAYMENTS)?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

/// Checks the bank details as typed and keeps them: each number is checked
/// (its check digit where it has one) and written the usual way. A field
/// left out stays as it was; an empty one is cleared. Refused fields name
/// `check_digit` or `invalid_bank_number`, and nothing is kept.
pub fn set_payments(store: &mut dyn Store, input: &PaymentsInput) -> Result<Payments> {
    let mut p = payments(&*store)?;
    let mut problems = Vec::new();
    let mut put = |field: &str,
                   value: &Option<String>,
                   slot: &mut String,
                   check: fn(&str) -> Result<String, Problem>| {
        let Some(v) = value else { return };
        if v.trim().is_empty() {
            slot.clear();
            return;
        }
        match check(v) {
            Ok(written) => *slot = written,
            Err(problem) => problems.push(FieldError::new(field, field_code(problem))),
        }
    };
    put(
        "bankgiro",
        &input.bankgiro,
        &mut p.bankgiro,
        reference::bankgiro,
    );
    put(
        "plusgiro",
        &input.plusgiro,
        &mut p.plusgiro,
        reference::plusgiro,
    );
    put("iban", &input.iban, &mut p.iban, reference::iban);
    put("bic", &input.bic, &mut p.bic, reference::bic);
    put(
        "creditor",
        &input.creditor,
        &mut p.creditor,
        reference::dk_creditor,
    );
    put("swish", &input.swish, &mut p.swish, reference::swish);
    put(
        "vipps",
        &input.vipps,
        &mut p.vipps,
        reference::vipps_mobilepay,
    );
    put(
        "mobilepay",
        &input.mobilepay,
        &mut p.mobilepay,
        reference::vipps_mobilepay,
    );
    let account: fn(&str) -> Result<String, Problem> = match store.org_or_err()?.country {
        Country::Se => reference::se_account,
        Country::No => reference::no_account,
        Country::Dk => reference::dk_account,
    };
    put("account", &input.account, &mut p.account, account);
    if let Some(k) = &input.kid {
        match k.trim() {
            "" => p.kid = None,
            k => match KidCheck::parse(&k.to_ascii_lowercase()) {
                Some(k) => p.kid = Some(k),
                None => problems.push(FieldError::new("kid", FieldCode::InvalidChoice)),
            },
        }
    }
    if let Some(l) = input.ocr_length_digit {
        p.ocr_length_digit = l;
    }
    if !problems.is_empty() {
        return Err(Error::Validation(problems));
    }
    let json = serde_json::to_string(&p).map_err(|e| Error::Store(Box::new(e)))?;
    let work = store.begin()?;
    work.put_setting(PAYMENTS, &json)?;
    work.commit()?;
    Ok(p)
}

fn field_code(p: Problem) -> FieldCode {
    match p {
        Problem::CheckDigit | Problem::LengthDigit => FieldCode::CheckDigit,
        _ => FieldCode::InvalidBankNumber,
    }
}

/// The kind of payment reference the organisation's invoices carry: OCR in
/// Sweden, KID (MOD10 unless the agreement says MOD11) in Norway, FIK 71 in
/// Denmark.
pub fn scheme(org: &Org, payments: &Payments) -> Scheme {
    match org.country {
        Country::Se => Scheme::SeOcr {
            length_digit: payments.ocr_length_digit,
        },
        Country::No => match payments.kid {
            Some(KidCheck::Mod11) => Scheme::NoKidMod11,
            _ => Scheme::NoKidMod10,
        },
        Country::Dk => Scheme::DkFik71,
    }
}

/// The invoices the query selects, by period.
pub fn invoices(reads: &dyn Reads, q: &InvoiceQuery) -> Result<Vec<Invoice>> {
    reads.dues().invoices(q)
}

/// Every run, newest first.
pub fn runs(reads: &dyn Reads) -> Result<Vec<DuesRun>> {
    reads.dues().runs()
}
