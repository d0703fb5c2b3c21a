//! The CSV journal for Danish and Norwegian accounting programs: one row per
//! voucher line with the voucher's number in the file, its date, the
//! account, the text and the amount as debit or credit. Semicolons, a
//! decimal comma (a point in English) and a header in the papers' language;
//! text cells are made inert for spreadsheets.

use crate::error::{Error, Result};
use crate::export::neutralise;
use crate::types::books::Voucher;
use crate::types::Language;

fn header(language: Language) -> [&'static str; 7] {
    match language {
        Language::Sv => [
            "Verifikat",
            "Datum",
            "Konto",
            "Text",
            "Debet",
            "Kredit",
            "Nyckel",
        ],
        Language::Nb => [
            "Bilag", "Dato", "Konto", "Tekst", "Debet", "Kredit", "Nøkkel",
        ],
        Language::Da => [
            "Bilag", "Dato", "Konto", "Tekst", "Debet", "Kredit", "Nøgle",
        ],
        Language::En => [
            "Voucher", "Date", "Account", "Text", "Debit", "Credit", "Key",
        ],
    }
}

/// An amount in minor units with the language's decimal mark, no sign.
fn amount(minor: i64, language: Language) -> String {
    let a = minor.unsigned_abs();
    let mark = if language == Language::En { '.' } else { ',' };
    format!("{}{mark}{:02}", a / 100, a % 100)
}

/// The file (UTF-8 with a byte order mark, which spreadsheets need to read
/// it as UTF-8).
pub fn write(vouchers: &[Voucher], language: Language) -> Result<Vec<u8>> {
    let fail = |e: csv::Error| Error::Store(Box::new(e));
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(header(language)).map_err(fail)?;
    for (n, v) in vouchers.iter().enumerate() {
        let number = (n + 1).to_string();
        let date = v.date.to_string();
        let text = neutralise(&v.text);
        for l in &v.lines {
            let (debit, credit) = if l.amount >= 0 {
                (amount(l.amount, language), String::new())
            } else {
                (String::new(), amount(l.amount, language))
            };
            w.write_record([
                number.as_str(),
                date.as_str(),
                l.account.as_str(),
                text.as_ref(),
                debit.as_str(),
                credit.as_str(),
                v.key.as_str(),
            ])
            .map_err(fail)?;
        }
    }
    w.into_inner()
        .map_err(|e| Error::Store(Box::new(e.into_error())))
}
