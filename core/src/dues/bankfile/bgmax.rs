//! Sweden's BgMax file: Bankgirot's report of the payments received to a
//! bankgiro number (the Bankgiro Inbetalningar service).
//!
//! Fixed records of 80 characters in ISO 8859-1, each named by its first
//! two digits. The positions are those of Bankgirot's "Bankgiro
//! Inbetalningar – Teknisk manual" (bankgirot.se, "BgMax-filens poster"),
//! checked against Bankgirot's own example file and public readers:
//! github.com/fabhed/bgmax-parser (`config.js`, the manual's positions),
//! github.com/richardolsson/pybgmax and github.com/jonpetterbergman/bgmax.
//!
//! A file is a start record (01), then sections: an opening record (05,
//! the receiving bankgiro and currency), payments (20) and deductions (21)
//! each followed by their extra references (22, 23), information texts
//! (25), name (26), address (27, 28) and organisation number (29), and a
//! deposit record (15, with the date). The end record (70) counts them all.
//! Other two-digit record types are skipped, so that a record type added to
//! the format later does not refuse a file.

use super::fixed::{bad, digits, field, number, records, text};
use super::{BankLine, Format, ReadError, Statement};
use chrono::NaiveDate;

/// Reads a BgMax file.
pub fn read(bytes: &[u8]) -> Result<Statement, ReadError> {
    let mut reader = Reader::default();
    records(bytes, |rec, line| reader.record(rec, line))?;
    reader.finish()
}

/// The file read so far.
#[derive(Default)]
struct Reader {
    /// The start record's timestamp, once read.
    stamp: Option<String>,
    /// The first section's receiving bankgiro, for the message id.
    first_account: Option<String>,
    /// The section between its opening and its deposit record.
    section: Option<Section>,
    /// What the records after a payment or deduction belong to.
    current: Current,
    lines: Vec<BankLine>,
    skipped: usize,
    /// Payment, deduction, extra reference and deposit records read, in
    /// the end record's order.
    counts: [i64; 4],
    /// Whether the end record was read.
    ended: bool,
}

/// The entry that name, text and reference records belong to.
#[derive(Default, Clone, Copy, PartialEq)]
enum Current {
    /// None: right after an opening or deposit record.
    #[default]
    None,
    /// The last payment of the open section.
    Payment,
    /// A deduction or a payment not kept (no amount): its records are read
    /// and checked but not used.
    Ignored,
}

/// One section: the payments to one bankgiro number on one deposit.
struct Section {
    account: String,
    currency: String,
    /// Payments read, waiting for the deposit record's date.
    payments: Vec<Payment>,
    /// Payment and deduction records, which the deposit record counts.
    entries: i64,
}

/// A payment read before its section's deposit record.
struct Payment {
    serial: String,
    amount: i64,
    reference: Option<String>,
    texts: Vec<String>,
    payer: String,
}

/// The fields shared by payment, deduction and extra reference records.
struct Entry {
    reference: String,
    amount: i64,
    code: u8,
    serial: String,
}

impl Reader {
    /// Reads one record (at least one byte, no line end).
    fn record(&mut self, rec: &[u8], line: usize) -> Result<(), ReadError> {
        if rec.len() > 80 {
            return Err(bad(line, "record longer than 80 characters"));
        }
        if self.ended {
            return Err(bad(line, "record after the end record (70)"));
        }
        if self.stamp.is_none() {
            return self.start(rec, line);
        }
        match field(rec, 1, 2) {
            b"01" => Err(bad(line, "second start record (01)")),
            b"05" => self.opening(rec, line),
            b"20" => self.payment(rec, line),
            b"21" => self.deduction(rec, line),
            b"22" | b"23" => self.extra_reference(rec, line),
            b"25" => self.belonging(line, |p| push_text(p, text(rec, 3, 52))),
            b"26" => self.belonging(line, |p| p.payer = name(rec)),
            b"27" | b"28" | b"29" => self.belonging(line, |_| ()),
            b"15" => self.deposit(rec, line),
            b"70" => self.end(rec, line),
            [a, b] if a.is_ascii_digit() && b.is_ascii_digit() => Ok(()),
            _ => Err(bad(line, "not a BgMax record")),
        }
    }

    /// The start record (01): layout name, version, timestamp, test mark.
    fn start(&mut self, rec: &[u8], line: usize) -> Result<(), ReadError> {
        if field(rec, 1, 2) != b"01" || text(rec, 3, 22) != "BGMAX" {
            return Err(ReadError::NotABankFile);
        }
        let stamp = digits(rec, 25, 44).ok_or_else(|| bad(line, "start record timestamp"))?;
        if digits(rec, 23, 24).is_none() || !matches!(field(rec, 45, 45), b"P" | b"T") {
            return Err(bad(line, "start record version or test mark"));
        }
        self.stamp = Some(stamp.to_string());
        Ok(())
    }

    /// The opening record (05): receiving bankgiro number and currency.
    fn opening(&mut self, rec: &[u8], line: usize) -> Result<(), ReadError> {
        if self.section.is_some() {
            return Err(bad(
                line,
                "opening record (05) before the deposit record (15)",
            ));
        }
        let bankgiro = digits(rec, 3, 12).ok_or_else(|| bad(line, "receiving bankgiro"))?;
        let account = bankgiro.trim_start_matches('0').to_string();
        let currency = field(rec, 23, 25);
        if account.is_empty() || currency.len() != 3 || !currency.iter().all(u8::is_ascii_uppercase)
        {
            return Err(bad(line, "opening record bankgiro or currency"));
        }
        self.first_account.get_or_insert_with(|| account.clone());
        self.section = Some(Section {
            account,
            currency: text(rec, 23, 25),
            payments: Vec::new(),
            entries: 0,
        });
        self.current = Current::None;
        Ok(())
    }

    /// A payment record (20).
    fn payment(&mut self, rec: &[u8], line: usize) -> Result<(), ReadError> {
        let e = entry(rec, line)?;
        let section = open(&mut self.section, line, "payment record (20)")?;
        section.entries += 1;
        self.counts[0] += 1;
        if e.amount == 0 {
            self.skipped += 1;
            self.current = Current::Ignored;
            return Ok(());
        }
        let reference = Some(e.reference.clone()).filter(|r| !r.is_empty());
        // 2: a correct OCR number; 4: a correct reference under an agreement
        // on extended form registration; 3 and 5: references not verified.
        let (reference, texts) = match e.code {
            2 | 4 => (reference, Vec::new()),
            0 | 1 => (None, Vec::new()),
            _ => (None, reference.into_iter().collect()),
        };
        section.payments.push(Payment {
            serial: e.serial,
            amount: e.amount,
            reference,
            texts,
            payer: String::new(),
        });
        self.current = Current::Payment;
        Ok(())
    }

    /// A deduction record (21): counted as skipped.
    fn deduction(&mut self, rec: &[u8], line: usize) -> Result<(), ReadError> {
        entry(rec, line)?;
        if digits(rec, 71, 71).is_none() {
            return Err(bad(line, "deduction code"));
        }
        open(&mut self.section, line, "deduction record (21)")?.entries += 1;
        self.counts[1] += 1;
        self.skipped += 1;
        self.current = Current::Ignored;
        Ok(())
    }

    /// An extra reference record (22, or 23 for a negative amount): the
    /// first correct reference of a payment without one is its reference,
    /// the others are added to its text.
    fn extra_reference(&mut self, rec: &[u8], line: usize) -> Result<(), ReadError> {
        let e = entry(rec, line)?;
        self.counts[2] += 1;
        let positive = field(rec, 1, 2) == b"22";
        self.belonging(line, |p| {
            if positive && matches!(e.code, 2 | 4) && p.reference.is_none() {
                p.reference = Some(e.reference).filter(|r| !r.is_empty());
            } else if p.reference.as_deref() != Some(e.reference.as_str()) {
                push_text(p, e.reference);
            }
        })
    }

    /// A record that belongs to the payment or deduction before it: `f`
    /// runs on the payment when it is one that is kept.
    fn belonging(&mut self, line: usize, f: impl FnOnce(&mut Payment)) -> Result<(), ReadError> {
        match (self.current, self.section.as_mut()) {
            (Current::Payment, Some(s)) => {
                if let Some(p) = s.payments.last_mut() {
                    f(p);
                }
                Ok(())
            }
            (Current::Ignored, Some(_)) => Ok(()),
            _ => Err(bad(line, "record without a payment or deduction before it")),
        }
    }

    /// The deposit record (15): the date of the section's payments and
    /// their count.
    fn deposit(&mut self, rec: &[u8], line: usize) -> Result<(), ReadError> {
        let section = self
            .section
            .take()
            .ok_or_else(|| bad(line, "deposit record (15) without an opening record (05)"))?;
        let date = digits(rec, 38, 45)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok())
            .ok_or_else(|| bad(line, "deposit record payment date"))?;
        let count = number(rec, 72, 79).ok_or_else(|| bad(line, "deposit record count"))?;
        if digits(rec, 3, 37).is_none() || number(rec, 51, 68).is_none() {
            return Err(bad(line, "deposit record account or amount"));
        }
        if count != section.entries {
            return Err(ReadError::Truncated);
        }
        for p in section.payments {
            self.lines.push(BankLine {
                key: format!("{}:{}", section.account, p.serial),
                account: section.account.clone(),
                date,
                amount: p.amount,
                currency: section.currency.clone(),
                reference: p.reference,
                text: p.texts.join(" "),
                payer: p.payer,
            });
        }
        self.counts[3] += 1;
        self.current = Current::None;
        Ok(())
    }

    /// The end record (70): its counts must be those read.
    fn end(&mut self, rec: &[u8], line: usize) -> Result<(), ReadError> {
        if self.section.is_some() {
            return Err(bad(line, "end record (70) before the deposit record (15)"));
        }
        for (i, want) in self.counts.iter().enumerate() {
            let from = 3 + 8 * i;
            let got = number(rec, from, from + 7).ok_or_else(|| bad(line, "end record count"))?;
            if got != *want {
                return Err(ReadError::Truncated);
            }
        }
        self.ended = true;
        Ok(())
    }

    /// The statement, once the end record was read.
    fn finish(self) -> Result<Statement, ReadError> {
        let Some(stamp) = self.stamp else {
            return Err(ReadError::NotABankFile);
        };
        if !self.ended {
            return Err(ReadError::Truncated);
        }
        Ok(Statement {
            format: Format::Bgmax,
            message_id: match self.first_account {
                Some(account) => format!("{stamp}:{account}"),
                None => stamp,
            },
            lines: self.lines,
            skipped: self.skipped,
        })
    }
}

/// The fields of a payment, deduction or extra reference record.
fn entry(rec: &[u8], line: usize) -> Result<Entry, ReadError> {
    let amount = number(rec, 38, 55);
    let code = number(rec, 56, 56);
    let serial = digits(rec, 58, 69);
    let (Some(amount), Some(code), Some(serial)) = (amount, code, serial) else {
        return Err(bad(line, "amount, reference code or serial number"));
    };
    if digits(rec, 3, 12).is_none()
        || digits(rec, 57, 57).is_none()
        || digits(rec, 70, 70).is_none()
    {
        return Err(bad(line, "bankgiro number, payment channel or image mark"));
    }
    Ok(Entry {
        reference: text(rec, 13, 37),
        amount,
        code: code as u8,
        serial: serial.to_string(),
    })
}

/// The open section, or the error for a record outside one.
fn open<'a>(
    s: &'a mut Option<Section>,
    line: usize,
    what: &str,
) -> Result<&'a mut Section, ReadError> {
    s.as_mut()
        .ok_or_else(|| bad(line, &format!("{what} outside a section")))
}

/// Adds a text to a payment, unless empty or already a word of its texts.
fn push_text(p: &mut Payment, t: String) {
    if !t.is_empty() && !p.texts.iter().any(|x| x.split_whitespace().any(|w| w == t)) {
        p.texts.push(t);
    }
}

/// A name record's name and extra name field, joined.
fn name(rec: &[u8]) -> String {
    let (a, b) = (text(rec, 3, 37), text(rec, 38, 72));
    [a, b]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::super::fixed::testing::*;
    use super::*;

    const SE: &[u8] = include_bytes!("../../../tests/bank/bgmax_se.txt");
    const CUT: &[u8] = include_bytes!("../../../tests/bank/bgmax_truncated.txt");
    const OTHER: &[u8] = include_bytes!("../../../tests/bank/bgmax_other_account.txt");

    /// Puts `s` at 1-based position `at` of a record, padding it with spaces.
    fn put(rec: &mut Vec<u8>, at: usize, s: &str) {
        if let Some(i) = rec.iter().position(|&b| b == b'\r') {
            rec.truncate(i);
        }
        rec.resize(rec.len().max(at - 1 + s.len()), b' ');
        rec[at - 1..at - 1 + s.len()].copy_from_slice(s.as_bytes());
    }

    #[test]
    fn reads_the_swedish_file() {
        let s = read(SE).unwrap();
        assert_eq!(s.format, Format::Bgmax);
        assert_eq!(s.message_id, "20270316071522123456:50501055");
        assert_eq!(s.skipped, 1, "the deduction");
        assert_eq!(s.lines.len(), 4);
        let [a, b, c, d] = &s.lines[..] else {
            unreachable!()
        };
        assert_eq!(a.key, "50501055:500000000101");
        assert_eq!(a.account, "50501055");
        assert_eq!(a.date, date(2027, 3, 15));
        assert_eq!(a.amount, 45000);
        assert_eq!(a.currency, "SEK");
        assert_eq!(a.reference.as_deref(), Some("1000017"));
        assert_eq!((a.text.as_str(), a.payer.as_str()), ("", "Lars Nilsson"));
        assert_eq!(b.key, "50501055:500000000102");
        assert_eq!(b.reference.as_deref(), Some("1000025"));
        assert_eq!(b.text, "1000058", "the extra reference");
        assert_eq!(b.payer, "Kalles Plåt AB");
        assert_eq!(b.date, date(2027, 3, 15));
        assert_eq!(c.key, "50501055:500000000104");
        assert_eq!(c.date, date(2027, 3, 16));
        assert_eq!(c.amount, 45000);
        assert_eq!(c.reference, None);
        assert_eq!(c.text, "Medlemsavgift 2027 medlem 1004");
        assert_eq!(c.payer, "Åsa Öberg");
        assert_eq!((d.amount, d.date), (20000, date(2027, 3, 16)));
        assert_eq!(d.reference.as_deref(), Some("1000033"));
        assert_eq!(d.payer, "");
        assert_eq!(
            super::super::read(SE),
            Ok(s),
            "the same through the dispatcher"
        );
    }

    #[test]
    fn reads_another_bankgiro_with_lf_and_padded_lines() {
        let s = read(OTHER).unwrap();
        assert_eq!(s.message_id, "20270316071533000000:9912346");
        assert_eq!(s.lines.len(), 4);
        assert!(s.lines.iter().all(|l| l.account == "9912346"));
        assert_eq!(s.lines[2].key, "9912346:500000000104");
        assert_eq!(s.lines[2].payer, "Åsa Öberg");
    }

    #[test]
    fn a_file_without_its_end_record_is_truncated() {
        assert_eq!(read(CUT), Err(ReadError::Truncated));
        let upto_payment = SE
            .split(|&b| b == b'\n')
            .take(5)
            .collect::<Vec<_>>()
            .join(&b'\n');
        assert_eq!(read(&upto_payment), Err(ReadError::Truncated));
    }

    #[test]
    fn counts_that_disagree_are_truncated() {
        // The end record's payment, deduction, extra reference and deposit counts.
        for at in [3, 11, 19, 27] {
            let wrong = edit(SE, 22, |r| put(r, at, "00000009"));
            assert_eq!(read(&wrong), Err(ReadError::Truncated), "count at {at}");
        }
        // The second deposit record counts two payments, not three.
        let wrong = edit(SE, 21, |r| put(r, 72, "00000003"));
        assert_eq!(read(&wrong), Err(ReadError::Truncated));
    }

    #[test]
    fn broken_records_are_malformed_with_their_line() {
        let short = edit(SE, 3, |r| r.truncate(40));
        assert_eq!(malformed_line(read(&short)), 3);
        let letters = edit(SE, 20, |r| put(r, 40, "12x4"));
        assert_eq!(malformed_line(read(&letters)), 20);
        let garbage = edit(SE, 9, |r| *r = b"?? garbage".to_vec());
        assert_eq!(malformed_line(read(&garbage)), 9);
        let bad_date = edit(SE, 13, |r| put(r, 38, "20271340"));
        assert_eq!(malformed_line(read(&bad_date)), 13);
        let long = edit(SE, 4, |r| put(r, 80, "xx"));
        assert_eq!(malformed_line(read(&long)), 4);
        // A name record before any payment, and a section never closed.
        let orphan = edit(SE, 2, |r| r.extend_from_slice(b"\r\n26Nobody"));
        assert_eq!(malformed_line(read(&orphan)), 3);
        let unclosed = edit(SE, 21, |r| *r = b"15".to_vec());
        assert_eq!(malformed_line(read(&unclosed)), 21);
    }

    #[test]
    fn reference_codes_decide_reference_or_text() {
        // Code 3: a reference not verified as OCR goes to the text.
        let s = read(&edit(SE, 3, |r| put(r, 56, "3"))).unwrap();
        assert_eq!(s.lines[0].reference, None);
        assert_eq!(s.lines[0].text, "1000017");
        // Code 3 with an extra reference record: the first correct one is the reference.
        let s = read(&edit(SE, 5, |r| put(r, 56, "3"))).unwrap();
        assert_eq!(s.lines[1].reference.as_deref(), Some("1000058"));
        assert_eq!(s.lines[1].text, "1000025");
    }

    #[test]
    fn other_files_are_not_bgmax() {
        assert_eq!(read(b""), Err(ReadError::NotABankFile));
        assert_eq!(read(b"NY000010"), Err(ReadError::NotABankFile));
        assert_eq!(read(b"01OTHER"), Err(ReadError::NotABankFile));
    }

    #[test]
    fn never_panics_on_cut_or_changed_bytes() {
        cut_and_changed(SE, read);
        // UTF-8 instead of Latin-1: fields cut through characters, and a
        // record that grows past 80 bytes.
        let utf8 = edit(SE, 17, |r| put(r, 3, &"Å".repeat(38)));
        assert_eq!(read(&utf8).map(|s| s.lines.len()), Ok(4));
        let utf8 = edit(SE, 17, |r| put(r, 3, &"Å".repeat(40)));
        assert_eq!(malformed_line(read(&utf8)), 17);
    }
}
