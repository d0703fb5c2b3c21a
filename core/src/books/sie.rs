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

/// A SIE string in codepage 437: in quotes, a quote inside escaped,
/// control characters as spaces.
fn quoted(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escaped(out, s);
    out.push(b'"');
}

/// What goes between a SIE string's quotes.
fn escaped(out: &mut Vec<u8>, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            c if c.is_control() => out.push(b' '),
            c => cp437(out, c),
        }
    }
}

/// An amount in minor units as SIE writes it: `1200.00`, `-35.50`.
pub fn amount(minor: i64) -> String {
    let mut out = Vec::new();
    write_amount(&mut out, minor);
    String::from_utf8(out).unwrap_or_default()
}

fn write_amount(out: &mut Vec<u8>, minor: i64) {
    use std::io::Write;
    if minor < 0 {
        out.push(b'-');
    }
    let a = minor.unsigned_abs();
    let _ = write!(out, "{}.", a / 100);
    out.extend_from_slice(&[b'0' + (a % 100 / 10) as u8, b'0' + (a % 10) as u8]);
}

/// A day as `YYYYMMDD`.
fn day(out: &mut Vec<u8>, d: NaiveDate) {
    use chrono::Datelike;
    let n = d.year().clamp(0, 9999) as u32 * 10_000 + d.month() * 100 + d.day();
    let mut digits = [b'0'; 8];
    let mut n = n;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
    out.extend_from_slice(&digits);
}

/// A character in codepage 437: what it cannot hold becomes `?`.
fn cp437(out: &mut Vec<u8>, c: char) {
    // Codepage 437 is ASCII below 128.
    match c {
        c if c.is_ascii() => out.push(c as u8),
        c => out.push(CP437_CONTROL.encode(c).unwrap_or(b'?')),
    }
}

/// The file, in codepage 437, written straight into its bytes.
pub fn write(
    org: &Org,
    accounts: &Accounts,
    used: &[String],
    vouchers: &[Voucher],
    generated: NaiveDate,
) -> Vec<u8> {
    let mut s: Vec<u8> = Vec::with_capacity(256 + vouchers.len() * 140);
    s.extend_from_slice(b"#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#PROGRAM \"Medlem\" ");
    quoted(&mut s, env!("CARGO_PKG_VERSION"));
    s.extend_from_slice(b"\r\n#GEN ");
    day(&mut s, generated);
    s.extend_from_slice(b"\r\n#FNAMN ");
    quoted(&mut s, &org.name);
    s.extend_from_slice(b"\r\n");
    if !org.org_number.trim().is_empty() {
        s.extend_from_slice(b"#ORGNR ");
        plain(&mut s, &org.org_number.trim().replace(' ', ""));
        s.extend_from_slice(b"\r\n");
    }
    s.extend_from_slice(b"#VALUTA ");
    s.extend_from_slice(org.currency.as_str().as_bytes());
    s.extend_from_slice(b"\r\n");
    let names = account_names(accounts);
    for number in used {
        let name = names.get(number.as_str()).copied().unwrap_or("");
        s.extend_from_slice(b"#KONTO ");
        plain(&mut s, number);
        s.push(b' ');
        quoted(&mut s, name);
        s.extend_from_slice(b"\r\n");
    }
    for v in vouchers {
        s.extend_from_slice(b"#VER ");
        quoted(&mut s, SERIES);
        s.extend_from_slice(b" \"\" ");
        day(&mut s, v.date);
        // The text and, in brackets, the voucher's key: one string.
        s.extend_from_slice(b" \"");
        escaped(&mut s, &v.text);
        s.extend_from_slice(b" [");
        escaped(&mut s, &v.key);
        s.extend_from_slice(b"]\"\r\n{\r\n");
        for l in &v.lines {
            s.extend_from_slice(b"   #TRANS ");
            plain(&mut s, &l.account);
            s.extend_from_slice(b" {} ");
            write_amount(&mut s, l.amount);
            s.extend_from_slice(b"\r\n");
        }
        s.extend_from_slice(b"}\r\n");
    }
    s
}

/// A field written as it is (an account or organisation number: digits),
/// in codepage 437.
fn plain(out: &mut Vec<u8>, s: &str) {
    for c in s.chars() {
        cp437(out, c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_and_strings_as_sie_writes_them() {
        assert_eq!(amount(120_000), "1200.00");
        assert_eq!(amount(-3_550), "-35.50");
        assert_eq!(amount(-5), "-0.05");
        let q = |s: &str| {
            let mut out = Vec::new();
            quoted(&mut out, s);
            out
        };
        assert_eq!(q("Sa \"Kalle\"\tB"), b"\"Sa \\\"Kalle\\\" B\"");
        // å ä ö Å Ä Ö in codepage 437, and a character it lacks.
        assert_eq!(
            q("åäöÅÄÖ"),
            [b'"', 0x86, 0x84, 0x94, 0x8f, 0x8e, 0x99, b'"']
        );
        assert_eq!(q("ł"), b"\"?\"");
        let mut d = Vec::new();
        day(&mut d, NaiveDate::from_ymd_opt(2027, 3, 9).unwrap());
        assert_eq!(d, b"20270309");
    }
}
