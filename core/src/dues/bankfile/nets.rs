//! Norway's OCR giro file from Nets (now Mastercard Payment Services): the
//! payments received with a KID to an agreement's account.
//!
//! Fixed records of 80 characters in ISO 8859-1: format code "NY", service
//! code (00 for the transmission, 09 for OCR giro), transaction or
//! assignment type, and record type. The positions are those of Nets'
//! "OCR giro – System specification" (the copy kept at
//! github.com/otovo/python-netsgiro, `references/OCR giro - System
//! manual.pdf`), checked against that project's `netsgiro/records.py` and
//! the test files of github.com/Ondkloss/java-netsgiro.
//!
//! A transmission (start 10, end 89) holds assignments (start 20, end 88).
//! An OCR giro assignment holds transactions: amount item 1 (30) and
//! amount item 2 (31), and amount item 3 (32, a free text) for the terminal
//! types 20 and 21. The specification has no record with the payer's name,
//! so `payer` stays empty. Assignments of other services in the same
//! transmission (AvtaleGiro mandates) are counted but not read.

use super::fixed::{bad as malformed, digits, field, number, records, text};
use super::{BankLine, Format, ReadError, Statement};
use chrono::NaiveDate;

/// Reads a Nets OCR giro file.
pub fn read(bytes: &[u8]) -> Result<Statement, ReadError> {
    let mut reader = Reader::default();
    records(bytes, |rec, line| reader.record(rec, line))?;
    reader.finish()
}

/// The transmission read so far.
#[derive(Default)]
struct Reader {
    /// Data sender and transmission number, once the start record is read.
    transmission: Option<(String, String)>,
    assignment: Option<Assignment>,
    /// What the assignments ended so far hold, and every record read.
    totals: Totals,
    records: i64,
    lines: Vec<BankLine>,
    skipped: usize,
    /// Whether the end record for the transmission was read.
    ended: bool,
}

/// Transactions, records and their amounts (negative ones subtracted), as
/// the end records count them.
#[derive(Default, Clone, Copy)]
struct Totals {
    transactions: i64,
    records: i64,
    amount: i128,
}

/// An assignment between its start and end record.
struct Assignment {
    /// Whether it is OCR giro (service 09); others are only counted.
    ocr: bool,
    number: String,
    account: String,
    /// The transaction whose amount items are being read.
    open: Option<Transaction>,
    totals: Totals,
}

/// One transaction, from its amount items.
struct Transaction {
    kind: u8,
    number: String,
    date: NaiveDate,
    amount: i64,
    negative: bool,
    kid: String,
    text: String,
    /// The amount items read (1 to 3).
    items: u8,
}

impl Reader {
    /// Reads one record (at least one byte, no line end).
    fn record(&mut self, rec: &[u8], line: usize) -> Result<(), ReadError> {
        if rec.len() > 80 {
            return Err(malformed(line, "record longer than 80 characters"));
        }
        if self.ended {
            return Err(malformed(line, "record after the end of the transmission"));
        }
        let head = (
            field(rec, 1, 2),
            digits(rec, 3, 4),
            digits(rec, 5, 6),
            digits(rec, 7, 8),
        );
        let (b"NY", Some(service), Some(kind), Some(record)) = head else {
            return match self.transmission {
                None => Err(ReadError::NotABankFile),
                Some(_) => Err(malformed(line, "not an OCR giro record")),
            };
        };
        self.records += 1;
        if self.transmission.is_none() {
            return self.start(rec, line, (service, kind, record));
        }
        match record {
            "10" => Err(malformed(line, "second start of transmission")),
            "20" => self.start_assignment(rec, line, service, kind),
            "88" => self.end_assignment(rec, line),
            "89" => self.end(rec, line, (service, kind)),
            _ => self.transaction(rec, line, service, record),
        }
    }

    /// The start record for the transmission (NY000010).
    fn start(
        &mut self,
        rec: &[u8],
        line: usize,
        head: (&str, &str, &str),
    ) -> Result<(), ReadError> {
        if head != ("00", "00", "10") {
            return Err(ReadError::NotABankFile);
        }
        let (Some(sender), Some(number), Some(_)) =
            (digits(rec, 9, 16), digits(rec, 17, 23), digits(rec, 24, 31))
        else {
            return Err(malformed(
                line,
                "start of transmission sender, number or recipient",
            ));
        };
        self.transmission = Some((sender.to_string(), number.to_string()));
        Ok(())
    }

    /// The start record for an assignment (NY090020 for OCR giro).
    fn start_assignment(
        &mut self,
        rec: &[u8],
        line: usize,
        service: &str,
        kind: &str,
    ) -> Result<(), ReadError> {
        if self.assignment.is_some() {
            return Err(malformed(line, "start of assignment inside an assignment"));
        }
        let ocr = service == "09";
        let number = digits(rec, 18, 24).unwrap_or_default().to_string();
        let account = digits(rec, 25, 35).unwrap_or_default().to_string();
        if ocr
            && (kind != "00"
                || digits(rec, 9, 17).is_none()
                || number.is_empty()
                || account.is_empty())
        {
            return Err(malformed(
                line,
                "start of assignment agreement, number or account",
            ));
        }
        self.assignment = Some(Assignment {
            ocr,
            number,
            account,
            open: None,
            totals: Totals {
                records: 1,
                ..Totals::default()
            },
        });
        Ok(())
    }

    /// A record inside an assignment: an amount item of an OCR giro
    /// transaction, or a record of another service, only counted.
    fn transaction(
        &mut self,
        rec: &[u8],
        line: usize,
        service: &str,
        record: &str,
    ) -> Result<(), ReadError> {
        let a = self
            .assignment
            .as_mut()
            .ok_or_else(|| malformed(line, "transaction record outside an assignment"))?;
        a.totals.records += 1;
        if !a.ocr {
            return Ok(());
        }
        if service != "09" {
            return Err(malformed(
                line,
                "record of another service in an OCR giro assignment",
            ));
        }
        match record {
            "30" => {
                let t = amount_item_1(rec, line)?;
                self.close_transaction(line)?;
                self.push_open(t);
                Ok(())
            }
            "31" | "32" => self.next_item(rec, line, record),
            _ => Ok(()),
        }
    }

    /// Starts a transaction read from its amount item 1.
    fn push_open(&mut self, t: Transaction) {
        if let Some(a) = self.assignment.as_mut() {
            a.totals.transactions += 1;
            a.totals.amount += if t.negative {
                -i128::from(t.amount)
            } else {
                i128::from(t.amount)
            };
            a.open = Some(t);
        }
    }

    /// Amount item 2 (31) or 3 (32, free text) of the open transaction.
    fn next_item(&mut self, rec: &[u8], line: usize, record: &str) -> Result<(), ReadError> {
        let open = self.assignment.as_mut().and_then(|a| a.open.as_mut());
        let item = if record == "31" { 2 } else { 3 };
        let fits = |t: &Transaction| {
            t.items + 1 == item
                && digits(rec, 5, 6) == Some(format!("{:02}", t.kind).as_str())
                && digits(rec, 9, 15) == Some(t.number.as_str())
                && (item == 2 || matches!(t.kind, 20 | 21))
        };
        match open {
            Some(t) if fits(t) => {
                t.items = item;
                if item == 3 {
                    t.text = text(rec, 16, 55);
                }
                Ok(())
            }
            _ => Err(malformed(
                line,
                "amount item that does not follow its transaction",
            )),
        }
    }

    /// Books the open transaction, if any, once it has all its amount items.
    fn close_transaction(&mut self, line: usize) -> Result<(), ReadError> {
        let Some(a) = self.assignment.as_mut() else {
            return Ok(());
        };
        let Some(t) = a.open.take() else {
            return Ok(());
        };
        if t.items < 2 || (matches!(t.kind, 20 | 21) && t.items < 3) {
            return Err(malformed(line, "transaction without all its amount items"));
        }
        // 18 and 20 are reversals from terminals and internet payments.
        if matches!(t.kind, 18 | 20) || t.negative || t.amount == 0 {
            self.skipped += 1;
            return Ok(());
        }
        let transmission = self.transmission.as_ref().map_or("", |t| t.1.as_str());
        self.lines.push(BankLine {
            key: format!("{}:{transmission}:{}:{}", a.account, a.number, t.number),
            account: a.account.clone(),
            date: t.date,
            amount: t.amount,
            currency: "NOK".to_string(),
            reference: Some(t.kid).filter(|k| !k.is_empty()),
            text: t.text,
            payer: String::new(),
        });
        Ok(())
    }

    /// The end record for an assignment (NY090088): its counts and sum must
    /// be those read.
    fn end_assignment(&mut self, rec: &[u8], line: usize) -> Result<(), ReadError> {
        self.close_transaction(line)?;
        let mut a = self
            .assignment
            .take()
            .ok_or_else(|| malformed(line, "end of assignment outside an assignment"))?;
        a.totals.records += 1;
        let got = counts(rec, line)?;
        if !a.ocr {
            a.totals.transactions = got.transactions;
            a.totals.amount = got.amount;
        }
        if !same(got, a.totals) {
            return Err(ReadError::Truncated);
        }
        self.totals.transactions += a.totals.transactions;
        self.totals.amount += a.totals.amount;
        Ok(())
    }

    /// The end record for the transmission (NY000089): its counts and sum
    /// must be those read.
    fn end(&mut self, rec: &[u8], line: usize, head: (&str, &str)) -> Result<(), ReadError> {
        if head != ("00", "00") {
            return Err(malformed(line, "end of transmission service or type"));
        }
        if self.assignment.is_some() {
            return Err(malformed(line, "end of transmission inside an assignment"));
        }
        self.totals.records = self.records;
        if !same(counts(rec, line)?, self.totals) {
            return Err(ReadError::Truncated);
        }
        self.ended = true;
        Ok(())
    }

    /// The statement, once the end of the transmission was read.
    fn finish(self) -> Result<Statement, ReadError> {
        let Some((sender, number)) = self.transmission else {
            return Err(ReadError::NotABankFile);
        };
        if !self.ended {
            return Err(ReadError::Truncated);
        }
        Ok(Statement {
            format: Format::NetsOcr,
            message_id: format!("{sender}:{number}"),
            lines: self.lines,
            skipped: self.skipped,
        })
    }
}

/// Amount item 1 (30): type, number, Nets date, sign, amount and KID.
fn amount_item_1(rec: &[u8], line: usize) -> Result<Transaction, ReadError> {
    let kind = number(rec, 5, 6).filter(|k| (10..=21).contains(k));
    let kind = kind.ok_or_else(|| malformed(line, "transaction type"))?;
    let tx = digits(rec, 9, 15).ok_or_else(|| malformed(line, "transaction number"))?;
    let date = digits(rec, 16, 21)
        .and_then(|d| {
            NaiveDate::parse_from_str(&format!("{}20{}", &d[..4], &d[4..]), "%d%m%Y").ok()
        })
        .ok_or_else(|| malformed(line, "Nets date"))?;
    let negative = match field(rec, 32, 32) {
        b"-" => true,
        b"0" => false,
        _ => return Err(malformed(line, "sign")),
    };
    let amount = number(rec, 33, 49);
    let (Some(amount), Some(_)) = (amount, digits(rec, 22, 31)) else {
        return Err(malformed(line, "amount, centre, day code or serial number"));
    };
    Ok(Transaction {
        kind: kind as u8,
        number: tx.to_string(),
        date,
        amount,
        negative,
        kid: text(rec, 50, 74),
        text: String::new(),
        items: 1,
    })
}

/// The counts and sum of an end record (88 or 89).
fn counts(rec: &[u8], line: usize) -> Result<Totals, ReadError> {
    let (Some(transactions), Some(records), Some(amount)) =
        (number(rec, 9, 16), number(rec, 17, 24), number(rec, 25, 41))
    else {
        return Err(malformed(line, "end record counts or amount"));
    };
    let amount = i128::from(amount);
    Ok(Totals {
        transactions,
        records,
        amount,
    })
}

/// Whether two totals agree.
fn same(a: Totals, b: Totals) -> bool {
    (a.transactions, a.records, a.amount) == (b.transactions, b.records, b.amount)
}

#[cfg(test)]
mod tests {
    use super::super::fixed::testing::*;
    use super::*;

    const NO: &[u8] = include_bytes!("../../../tests/bank/nets_no.txt");
    const CUT: &[u8] = include_bytes!("../../../tests/bank/nets_truncated.txt");

    /// Puts `s` at 1-based position `at` of a record.
    fn put(rec: &mut [u8], at: usize, s: &str) {
        rec[at - 1..at - 1 + s.len()].copy_from_slice(s.as_bytes());
    }

    #[test]
    fn reads_the_norwegian_file() {
        let s = read(NO).unwrap();
        assert_eq!(s.format, Format::NetsOcr);
        assert_eq!(s.message_id, "00008080:0170031");
        assert_eq!(s.skipped, 1, "the reversal (type 18)");
        assert_eq!(s.lines.len(), 4);
        let [a, b, c, d] = &s.lines[..] else {
            unreachable!()
        };
        assert_eq!(a.key, "12345678903:0170031:0000001:0000001");
        assert_eq!(a.account, "12345678903");
        assert_eq!((a.date, a.amount), (date(2027, 3, 15), 45000));
        assert_eq!(a.currency, "NOK");
        assert_eq!(a.reference.as_deref(), Some("1000017"));
        assert_eq!((a.text.as_str(), a.payer.as_str()), ("", ""));
        assert_eq!(b.key, "12345678903:0170031:0000001:0000002");
        assert_eq!(b.reference.as_deref(), Some("1000025"));
        assert_eq!(c.key, "12345678903:0170031:0000001:0000003");
        assert_eq!((c.date, c.amount), (date(2027, 3, 16), 45000));
        assert_eq!(c.reference, None, "a blank KID");
        assert_eq!(c.text, "Medlemsavgift Bjørn Æsøy");
        assert_eq!((d.amount, d.reference.as_deref()), (20000, Some("1000033")));
        assert_eq!(
            super::super::read(NO),
            Ok(s),
            "the same through the dispatcher"
        );
    }

    #[test]
    fn negative_transactions_are_skipped_and_subtracted() {
        // Transaction 4 (200,00) marked negative: the sums fall by 400,00.
        let neg = edit(NO, 10, |r| put(r, 32, "-"));
        assert_eq!(read(&neg), Err(ReadError::Truncated));
        let neg = edit(&neg, 14, |r| put(r, 25, "00000000000125000"));
        let neg = edit(&neg, 15, |r| put(r, 25, "00000000000125000"));
        let s = read(&neg).unwrap();
        assert_eq!((s.lines.len(), s.skipped), (3, 2));
    }

    #[test]
    fn a_file_without_its_end_record_is_truncated() {
        assert_eq!(read(CUT), Err(ReadError::Truncated));
        let half = NO
            .split(|&b| b == b'\n')
            .take(6)
            .collect::<Vec<_>>()
            .join(&b'\n');
        assert_eq!(read(&half), Err(ReadError::Truncated));
    }

    #[test]
    fn counts_and_sums_that_disagree_are_truncated() {
        for (line, at, value) in [
            (14, 9, "00000004"),
            (14, 17, "00000012"),
            (14, 25, "00000000000165001"),
            (15, 9, "00000006"),
            (15, 17, "00000016"),
            (15, 25, "00000000000164999"),
        ] {
            let wrong = edit(NO, line, |r| put(r, at, value));
            assert_eq!(
                read(&wrong),
                Err(ReadError::Truncated),
                "line {line} at {at}"
            );
        }
    }

    #[test]
    fn broken_records_are_malformed_with_their_line() {
        let short = edit(NO, 3, |r| r.truncate(40));
        assert_eq!(malformed_line(read(&short)), 3);
        let letters = edit(NO, 5, |r| put(r, 40, "12x4"));
        assert_eq!(malformed_line(read(&letters)), 5);
        let garbage = edit(NO, 7, |r| *r = b"garbage\r".to_vec());
        assert_eq!(malformed_line(read(&garbage)), 7);
        let bad_date = edit(NO, 3, |r| put(r, 16, "310227"));
        assert_eq!(malformed_line(read(&bad_date)), 3);
        let bad_sign = edit(NO, 3, |r| put(r, 32, "+"));
        assert_eq!(malformed_line(read(&bad_sign)), 3);
        // An amount item 2 of another transaction, a missing free text item.
        let wrong_number = edit(NO, 4, |r| put(r, 15, "9"));
        assert_eq!(malformed_line(read(&wrong_number)), 4);
        let no_text = edit(NO, 9, |r| put(r, 7, "99"));
        assert_eq!(malformed_line(read(&no_text)), 10);
        let long = edit(NO, 2, |r| r.insert(79, b'0'));
        assert_eq!(malformed_line(read(&long)), 2);
    }

    #[test]
    fn assignments_of_other_services_are_counted_not_read() {
        // AvtaleGiro mandates, as in Mastercard Payment Services' example.
        let mandates = [
            "NY212420000000000000000182000194501000000000000000000000000000000000000000000000",
            "NY21947000000011                 55405419J00000000000000000000000000000000000000",
            "NY21947000000022                 96352141J00000000000000000000000000000000000000",
            "NY21947000000031                 74123654J00000000000000000000000000000000000000",
            "NY212488000000030000000500000000000000000000000000000000000000000000000000000000",
        ];
        let with = edit(NO, 14, |r| {
            for m in mandates {
                r.extend_from_slice(format!("\n{m}\r").as_bytes());
            }
        });
        assert_eq!(
            read(&with),
            Err(ReadError::Truncated),
            "the end record counts 5 more"
        );
        let with = edit(&with, 20, |r| put(r, 9, "0000000800000020"));
        let s = read(&with).unwrap();
        assert_eq!((s.lines.len(), s.skipped), (4, 1));
    }

    #[test]
    fn other_files_are_not_nets() {
        assert_eq!(read(b""), Err(ReadError::NotABankFile));
        assert_eq!(read(b"01BGMAX"), Err(ReadError::NotABankFile));
        assert_eq!(read(b"NY090020"), Err(ReadError::NotABankFile));
    }

    #[test]
    fn never_panics_on_cut_or_changed_bytes() {
        cut_and_changed(NO, read);
    }
}
