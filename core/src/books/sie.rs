//! SIE 4, type 4I (an import file for a Swedish accounting program): the
//! header, the accounts used and one `#VER` per voucher with its balancing
//! `#TRANS` lines, in IBM PC 8-bit (codepage 437) as `#FORMAT PC8` says.
//! The verification numbers are left to the program that imports it.

use std::collections::HashMap;

use chrono::NaiveDate;
use codepage_437::CP437_CONTROL;

use crate::types::books::{Accounts, Voucher};
use crate::types::Org;

/// The series the vouchers are written in.
pub const SERIES: &str = "M";

/// The Swedish names of the accounts, by what they are used for.
fn account_names(accounts: &Accounts) -> HashMap<&str, &'static str> {
    let names = [
        "Kundfordringar",
        "Bank",
        "Medlemsavgifter",
        "Påminnelseavgifter",
        "Övriga intäkter",
        "Förskott från medlemmar",
        "Ej fördelade inbetalningar",
        "Konstaterade förluster på fordringar",
        "Lämnade bidrag",
    ];
    let mut all = HashMap::new();
    for ((_, number), name) in accounts.fields().into_iter().zip(names) {
        all.entry(number.as_str()).or_insert(name);
    }
    all
}

/// A SIE string: in quotes, a quote inside escaped, control characters as
/// spaces.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An amount in minor units as SIE writes it: `1200.00`, `-35.50`.
pub fn amount(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let a = minor.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

fn day(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// Codepage 437: what it cannot hold becomes `?`.
fn cp437(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            // Codepage 437 is ASCII below 128.
            c if c.is_ascii() => c as u8,
            c => CP437_CONTROL.encode(c).unwrap_or(b'?'),
        })
        .collect()
}

/// The file.
pub fn write(
    org: &Org,
    accounts: &Accounts,
    used: &[String],
    vouchers: &[Voucher],
    generated: NaiveDate,
) -> Vec<u8> {
    use std::fmt::Write;
    let mut s = String::with_capacity(256 + vouchers.len() * 160);
    let _ = write!(
        s,
        "#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#PROGRAM \"Medlem\" {}\r\n#GEN {}\r\n#FNAMN {}\r\n",
        quoted(env!("CARGO_PKG_VERSION")),
        day(generated),
        quoted(&org.name)
    );
    if !org.org_number.trim().is_empty() {
        let _ = write!(s, "#ORGNR {}\r\n", org.org_number.trim().replace(' ', ""));
    }
    let _ = write!(s, "#VALUTA {}\r\n", org.currency.as_str());
    let names = account_names(accounts);
    for number in used {
        let name = names.get(number.as_str()).copied().unwrap_or("");
        let _ = write!(s, "#KONTO {number} {}\r\n", quoted(name));
    }
    for v in vouchers {
        let _ = write!(
            s,
            "#VER {} \"\" {} {}\r\n{{\r\n",
            quoted(SERIES),
            day(v.date),
            quoted(&format!("{} [{}]", v.text, v.key))
        );
        for l in &v.lines {
            let _ = write!(s, "   #TRANS {} {{}} {}\r\n", l.account, amount(l.amount));
        }
        s.push_str("}\r\n");
    }
    cp437(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_strings_as_sie_writes_them() {
        assert_eq!(amount(120_000), "1200.00");
        assert_eq!(amount(-3_550), "-35.50");
        assert_eq!(amount(-5), "-0.05");
        assert_eq!(quoted("Sa \"Kalle\"\tB"), "\"Sa \\\"Kalle\\\" B\"");
        // å ä ö Å Ä Ö in codepage 437, and a character it lacks.
        assert_eq!(cp437("åäöÅÄÖ"), [0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99]);
        assert_eq!(cp437("ł"), b"?");
    }
}
