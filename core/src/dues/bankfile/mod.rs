//! The bank's files of payments received, read into one shape.
//!
//! Pure: bytes in, a [`Statement`] out, no store. Each format has its own
//! reader: ISO 20022 camt.054 and camt.053 (`camt.rs`, with quick-xml),
//! Sweden's BgMax (`bgmax.rs`) and Norway's OCR giro from Nets
//! (`nets.rs`), both fixed-width records. [`read`] tells them apart by
//! their first bytes. Matching the lines to invoices is `dues::pay`'s work.

pub mod bgmax;
pub mod camt;
mod fixed;
pub mod nets;

use chrono::NaiveDate;
use serde::Serialize;

/// The largest bank file read (a year of payments for a large union is a
/// few megabytes).
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Which kind of file a statement was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Camt054,
    Camt053,
    Bgmax,
    NetsOcr,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Camt054 => "camt054",
            Format::Camt053 => "camt053",
            Format::Bgmax => "bgmax",
            Format::NetsOcr => "nets_ocr",
        }
    }
}

/// One bank file, read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    pub format: Format,
    /// The file's own identity, the same each time the same file is read:
    /// camt's `GrpHdr/MsgId`, BgMax's start-record timestamp + the
    /// receiving Bankgiro number, Nets' data sender + transmission number.
    pub message_id: String,
    /// Money received, in the file's order. Money paid out (debits) is
    /// not a member's payment and is only counted in `skipped`.
    pub lines: Vec<BankLine>,
    /// Entries read but not payments received (debits, reversals the
    /// format marks as such), so nothing disappears without a count.
    pub skipped: usize,
}

/// One payment received.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BankLine {
    /// The bank's own identity of this transaction, unique across files
    /// of the same account (camt `AcctSvcrRef`, else `MsgId` + entry and
    /// detail position; BgMax's BGC serial number; Nets' transmission,
    /// assignment and transaction numbers). A line with a key already
    /// booked is never booked again.
    pub key: String,
    /// The account the money came in to, digits and letters only, as the
    /// file gives it: an IBAN, a bank account number, a Bankgiro number
    /// (digits, no dash) or Nets' agreement account.
    pub account: String,
    /// Booking (or payment) date.
    pub date: NaiveDate,
    /// Amount received in minor units (öre/øre), always positive.
    pub amount: i64,
    /// ISO 4217 code as the file gives it ("SEK", "NOK", "DKK"); BgMax
    /// and Nets files give it per deposit/are NOK.
    pub currency: String,
    /// The structured payment reference (OCR/KID/FIK) exactly as given,
    /// spaces trimmed; `None` when the payer gave none.
    pub reference: Option<String>,
    /// Free text the payer wrote (unstructured remittance, BgMax
    /// information records), joined with a space; empty when none.
    pub text: String,
    /// The payer's name where the file gives one; empty when not.
    pub payer: String,
}

/// Why a file could not be read. Nothing of a file that does not read is
/// used: a truncated file is refused as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a camt.053/054, BgMax or Nets OCR file.
    NotABankFile,
    /// Larger than [`MAX_FILE_BYTES`].
    TooBig,
    /// The file stops before its end record / closing element, or its end
    /// record's counts or sums do not agree with what was read.
    Truncated,
    /// A record or element that breaks the format: the 1-based line (for
    /// XML, the entry number) and what is wrong, in English for the log.
    Malformed { line: usize, what: String },
}

/// Reads a bank file of any of the known formats.
pub fn read(bytes: &[u8]) -> Result<Statement, ReadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooBig);
    }
    let start = trim_start(bytes);
    let mut statement = if start.starts_with(b"01BGMAX") {
        bgmax::read(bytes)
    } else if start.starts_with(b"NY000010") {
        nets::read(bytes)
    } else if start.starts_with(b"<") {
        camt::read(bytes)
    } else {
        Err(ReadError::NotABankFile)
    }?;
    distinct_keys(&mut statement.lines);
    Ok(statement)
}

/// Two payments of one file never share a key, even where a bank repeats
/// an identity inside a file (Bankgirot's own example BgMax file gives two
/// payments the same BGC serial number): the second becomes `key#2`, so it
/// is not taken for one booked before.
fn distinct_keys(lines: &mut [BankLine]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for line in lines {
        let n = seen.entry(line.key.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            line.key = format!("{}#{n}", line.key);
        }
    }
}

/// Skips a byte-order mark and leading white space.
fn trim_start(bytes: &[u8]) -> &[u8] {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_repeated_inside_a_file_is_made_distinct() {
        let line = |key: &str| BankLine {
            key: key.into(),
            account: "50501055".into(),
            date: NaiveDate::default(),
            amount: 100,
            currency: "SEK".into(),
            reference: None,
            text: String::new(),
            payer: String::new(),
        };
        let mut lines = vec![line("a:16"), line("a:17"), line("a:16"), line("a:16")];
        distinct_keys(&mut lines);
        let keys: Vec<&str> = lines.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(keys, ["a:16", "a:17", "a:16#2", "a:16#3"]);
    }
}
