//! Invoices as letters: the `invoice.*` merge fields of the templates
//! `invoice` (in four languages, edited under Letters like any other) and,
//! on Swedish invoices when the organisation has a Swish number, a Swish QR
//! code with payee, amount and reference (Swish's published C2B format:
//! `C<payee>;<amount>;<message>;<lock mask>`). Printed through the letters
//! engine: window envelope, each to the member who pays, in their language.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;

use chrono::NaiveDate;

use super::reference;
use crate::error::{Error, Result};
use crate::letters::layout::QrBlock;
use crate::letters::markup;
use crate::letters::{self, Batch, LetterKind, PdfSummary};
use crate::store::dues::InvoiceQuery;
use crate::store::Store;
use crate::types::dates::date_text;
use crate::types::dues::{Invoice, InvoiceStatus, Payments};
use crate::types::{money, Country, Language, Member, Org};

/// The merge fields an invoice letter knows besides the member's and the
/// organisation's.
pub const FIELDS: &[&str] = &[
    "invoice.number",
    "invoice.period",
    "invoice.amount",
    "invoice.paid",
    "invoice.left",
    "invoice.issued",
    "invoice.due",
    "invoice.reference",
    "invoice.payee",
    "invoice.lines",
    "invoice.reminder",
];

/// Invoice letters: templates whose key starts with `invoice` may use
/// [`FIELDS`]; the preview shows [`sample`].
pub const LETTERS: LetterKind = LetterKind {
    key_prefix: "invoice",
    context: "invoice",
    fields: FIELDS,
    sample,
};

/// Where to pay, as the payer types it: Bankgiro or Plusgiro (or the
/// account) in Sweden, the account in Norway, the FIK 71 code line in
/// Denmark (which holds the reference).
pub fn payee(org: &Org, p: &Payments, reference: &str) -> String {
    match org.country {
        Country::Se if !p.bankgiro.is_empty() => format!("Bankgiro {}", p.bankgiro),
        Country::Se if !p.plusgiro.is_empty() => format!("Plusgiro {}", p.plusgiro),
        Country::Dk if !p.creditor.is_empty() => reference::fik_line(reference, &p.creditor),
        _ if !p.account.is_empty() => p.account.clone(),
        _ => p.iban.clone(),
    }
}

/// The values of [`FIELDS`] (without the `invoice.` prefix).
pub fn values(i: &Invoice, payee: &str, language: Language) -> BTreeMap<&'static str, String> {
    let kr = |a: i64| money::format(a, language);
    let lines: Vec<String> = i
        .lines
        .iter()
        .map(|l| {
            format!(
                "{}: {}",
                line_text(&l.kind, &l.text, language),
                kr(l.amount)
            )
        })
        .collect();
    BTreeMap::from([
        ("number", i.id.to_string()),
        ("period", i.period.clone()),
        ("amount", kr(i.amount)),
        ("paid", kr(i.paid)),
        ("left", kr(i.amount - i.paid)),
        ("issued", date_text(i.issued, language)),
        ("due", date_text(i.due, language)),
        ("reference", i.reference.clone()),
        ("payee", payee.to_owned()),
        ("lines", markup::lines(&lines.join("\n"))),
        ("reminder", i.reminders.to_string()),
    ])
}

/// What an invoice line is for, in the letter's language: the fee, a
/// household's fee, a branch's supplement (with the branch's name) or a
/// reminder's fee.
fn line_text(kind: &str, text: &str, language: Language) -> String {
    let (fee, household, supplement, reminder) = match language {
        Language::Sv => (
            "Medlemsavgift",
            "Hushållsavgift",
            "Tillägg",
            "Påminnelseavgift",
        ),
        Language::Nb => ("Kontingent", "Husstandskontingent", "Tillegg", "Purregebyr"),
        Language::Da => ("Kontingent", "Husstandskontingent", "Tillæg", "Rykkergebyr"),
        Language::En => (
            "Membership fee",
            "Household fee",
            "Supplement",
            "Reminder fee",
        ),
    };
    match kind {
        "household" => household.to_owned(),
        "reminder_fee" => reminder.to_owned(),
        "supplement" => format!("{supplement} {text}"),
        _ => fee.to_owned(),
    }
}

/// Example values for the preview of an invoice letter.
pub fn sample(today: NaiveDate, language: Language) -> BTreeMap<&'static str, String> {
    let kr = |a: i64| money::format(a, language);
    let due = today + chrono::Days::new(30);
    BTreeMap::from([
        ("number", "42".to_owned()),
        ("period", "2027".to_owned()),
        ("amount", kr(120_000)),
        ("paid", kr(0)),
        ("left", kr(120_000)),
        ("issued", date_text(today, language)),
        ("due", date_text(due, language)),
        ("reference", "1000421".to_owned()),
        ("payee", "Bankgiro 5050-1055".to_owned()),
        (
            "lines",
            format!("{}: {}", line_text("fee", "", language), kr(120_000)),
        ),
    ])
}

/// What a Swish QR code says: pay `amount` (minor units, what is left) to
/// the organisation's Swish number with the reference as the message,
/// nothing editable (lock mask 0). Swish writes the amount in kronor with
/// a decimal comma and two decimals.
pub fn swish_payload(swish: &str, amount: i64, reference: &str) -> String {
    let number: String = swish.chars().filter(char::is_ascii_digit).collect();
    let message: String = reference
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("C{number};{},{:02};{message};0", amount / 100, amount % 100)
}

/// A QR code of `payload` (error correction M) as the letters lay it out.
/// Made with one mask pattern rather than the best of eight by their
/// penalty scores: every mask reads, and weighing all eight took a quarter
/// of the time a fee run's invoices take to print.
pub fn qr_block(payload: &str, caption: String) -> Option<QrBlock> {
    use qrcode::canvas::{Canvas, MaskPattern};
    let level = qrcode::EcLevel::M;
    let bits = qrcode::bits::encode_auto(payload.as_bytes(), level).ok()?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, level).ok()?;
    let mut canvas = Canvas::new(version, level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    let dark: Vec<bool> = canvas
        .into_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    let width = (dark.len() as f64).sqrt() as usize;
    Some(QrBlock {
        width,
        dark,
        caption,
    })
}

/// "Pay with Swish" in the member's language.
fn swish_caption(language: Language) -> String {
    match language {
        Language::Sv => "Betala med Swish: skanna koden",
        Language::Nb => "Betal med Swish: skann koden",
        Language::Da => "Betal med Swish: scan koden",
        Language::En => "Pay with Swish: scan the code",
    }
    .to_owned()
}

/// The member each invoice goes to, and where each is to be paid.
pub(super) fn addressees(
    reg: &dyn Store,
    invoices: &[Invoice],
) -> Result<(Vec<Member>, Vec<String>)> {
    let org = reg.org_or_err()?;
    let details = super::payments(reg)?;
    // One read for all of them, not one per invoice.
    let mut by_id = std::collections::HashMap::with_capacity(invoices.len());
    let query = crate::types::ListQuery {
        ids: Some(invoices.iter().map(|i| i.member_id).collect()),
        ..Default::default()
    };
    reg.for_each_member(&query, &mut |m| {
        by_id.insert(m.id, m.clone());
        Ok(())
    })?;
    let mut members = Vec::with_capacity(invoices.len());
    let mut payees = Vec::with_capacity(invoices.len());
    for i in invoices {
        let m = by_id.get(&i.member_id).ok_or(Error::NotFound("member"))?;
        members.push(m.clone());
        payees.push(payee(&org, &details, &i.reference));
    }
    Ok((members, payees))
}

/// One invoice letter per invoice the query selects that is open or partly
/// paid, to its member in their language, into one PDF at `out` (each
/// recorded in the member's history). `nothing_to_print` when none.
pub fn print_invoices(
    reg: &mut dyn Store,
    q: &InvoiceQuery,
    out: &Path,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<PdfSummary> {
    let invoices: Vec<Invoice> = reg
        .dues()
        .invoices(q)?
        .into_iter()
        .filter(|i| matches!(i.status, InvoiceStatus::Open | InvoiceStatus::PartlyPaid))
        .collect();
    if invoices.is_empty() {
        return Err(Error::NothingToPrint);
    }
    let (members, payees) = addressees(&*reg, &invoices)?;
    let org = reg.org_or_err()?;
    let details = super::payments(&*reg)?;
    let swish = (org.country == Country::Se && !details.swish.is_empty()).then_some(&details.swish);
    letters::print(
        reg,
        "invoice",
        &members,
        &Batch {
            kind: Some(&LETTERS),
            extra: &|n, language| Some(("invoice", values(&invoices[n], &payees[n], language))),
            out,
            after: &|_| Ok(()),
            qr: &|n| {
                let i = &invoices[n];
                let number = swish?;
                let payload = swish_payload(number, i.amount - i.paid, &i.reference);
                qr_block(&payload, swish_caption(members[n].language))
            },
        },
        progress,
        cancel,
    )
}
