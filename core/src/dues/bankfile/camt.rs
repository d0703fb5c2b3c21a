//! ISO 20022 camt.054 (debit/credit notification) and camt.053
//! (statement), as Nordic banks send them for payments received.
//!
//! The XML is streamed with quick-xml and elements are matched by local
//! name, so every version (.02, .04, .08, ...) reads the same way. Each
//! booked credit entry gives one [`BankLine`] per transaction detail (a
//! batch entry holds many), or one for the entry itself when it has none.
//! Debits, reversals and entries not yet booked are only counted.

use super::{BankLine, Format, ReadError, Statement, MAX_FILE_BYTES};
use chrono::NaiveDate;
use quick_xml::errors::{Error as XmlError, IllFormedError, SyntaxError};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;

/// The deepest element nesting read; camt needs about fifteen levels.
const MAX_DEPTH: usize = 64;

/// The element names the reader looks at; any other reads as `"?"`.
const KNOWN: &[&str] = &[
    "Document",
    "BkToCstmrStmt",
    "BkToCstmrDbtCdtNtfctn",
    "GrpHdr",
    "MsgId",
    "Stmt",
    "Ntfctn",
    "Acct",
    "Id",
    "IBAN",
    "Othr",
    "Ntry",
    "Amt",
    "CdtDbtInd",
    "RvslInd",
    "Sts",
    "Cd",
    "BookgDt",
    "ValDt",
    "Dt",
    "DtTm",
    "AcctSvcrRef",
    "AddtlNtryInf",
    "NtryDtls",
    "TxDtls",
    "Refs",
    "AmtDtls",
    "TxAmt",
    "RltdPties",
    "Dbtr",
    "Pty",
    "Nm",
    "RmtInf",
    "Ustrd",
    "Strd",
    "CdtrRefInf",
    "Ref",
    "AddtlTxInf",
];

/// An amount as the file gives it: the decimal text and the `Ccy`.
type Money = (String, String);

/// One `TxDtls`, as read.
#[derive(Default)]
struct Tx {
    amt: Option<Money>,
    tx_amt: Option<Money>,
    debit: bool,
    svcr_ref: Option<String>,
    reference: Option<String>,
    ustrd: Vec<String>,
    addtl: String,
    payer: String,
}

/// One `Ntry`, as read.
#[derive(Default)]
struct Entry {
    amt: Option<Money>,
    cdt_dbt: String,
    reversal: bool,
    status: Option<String>,
    booking: Option<String>,
    value: Option<String>,
    svcr_ref: Option<String>,
    info: String,
    txs: Vec<Tx>,
}

/// The reading state: where in the document we are and what is read.
#[derive(Default)]
struct Parser {
    format: Option<Format>,
    msg_id: Option<String>,
    /// Local names of the open elements, outermost first.
    stack: Vec<&'static str>,
    /// Text of the innermost element since its start tag.
    text: String,
    /// The buffer `text` had before, kept to be reused (an element's text
    /// is read into one of the two without a new allocation each time).
    spare: String,
    /// The `Ccy` of the last `Amt` start tag.
    ccy: String,
    root_closed: bool,
    /// Entries seen so far in the file, for error messages and keys.
    entries: usize,
    /// Depth of the open Stmt/Ntfctn, its account and its lines.
    block: Option<usize>,
    account: Option<String>,
    block_lines: Vec<BankLine>,
    entry: Option<(usize, Entry)>,
    tx: Option<(usize, Tx)>,
    lines: Vec<BankLine>,
    skipped: usize,
}

/// Reads a camt.054 or camt.053 file. In [`ReadError::Malformed`], `line`
/// is the 1-based entry (`Ntry`) being read, 0 before the first one.
pub fn read(bytes: &[u8]) -> Result<Statement, ReadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooBig);
    }
    match std::str::from_utf8(bytes) {
        Ok(xml) => Parser::default().run(xml),
        // Ends inside a character: cut off. Read what there is, so a cut
        // camt file says Truncated and anything else says what it is.
        Err(e) if e.error_len().is_none() => {
            let xml = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or("");
            Parser::default().run(xml).and(Err(ReadError::Truncated))
        }
        Err(_) => Err(malformed(0, "not UTF-8")),
    }
}

/// A [`ReadError::Malformed`] at entry `line`.
fn malformed(line: usize, what: impl Into<String>) -> ReadError {
    ReadError::Malformed {
        line,
        what: what.into(),
    }
}

impl Parser {
    /// Reads the whole document, event by event.
    fn run(mut self, xml: &str) -> Result<Statement, ReadError> {
        let mut reader = Reader::from_str(xml);
        loop {
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(e) => {
                    // Nothing closes after the error: the input ran out.
                    let from = usize::try_from(reader.error_position()).unwrap_or(0);
                    let at_end = !xml.get(from..).unwrap_or("").contains('>');
                    return Err(self.xml_error(&e, at_end));
                }
            };
            match event {
                Event::Start(e) => self.start(&e)?,
                Event::Empty(e) => {
                    self.start(&e)?;
                    self.end()?;
                }
                Event::End(_) => self.end()?,
                Event::Text(t) => self.push_text(&t.xml10_content())?,
                Event::CData(t) => self.push_text(&t.xml10_content())?,
                Event::GeneralRef(r) => match entity(&r) {
                    Some(c) => self.push_text(c.encode_utf8(&mut [0; 4]))?,
                    None => return Err(self.malformed(format!("unknown entity &{};", &*r))),
                },
                Event::DocType(_) => return Err(self.malformed("a DOCTYPE is not allowed")),
                Event::Eof => return self.finish(),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            }
        }
    }

    /// A [`ReadError::Malformed`] at the entry being read.
    fn malformed(&self, what: impl Into<String>) -> ReadError {
        malformed(self.entries, what)
    }

    /// A quick-xml error: the input ending inside markup inside the
    /// document is a cut file, anything else is not well-formed.
    fn xml_error(&self, e: &XmlError, at_end: bool) -> ReadError {
        let eof = match e {
            XmlError::Syntax(SyntaxError::InvalidBangMarkup) => at_end,
            XmlError::Syntax(_) => true,
            XmlError::IllFormed(IllFormedError::UnclosedReference) => at_end,
            _ => false,
        };
        if eof && !self.stack.is_empty() {
            ReadError::Truncated
        } else {
            self.malformed(format!("not well-formed XML: {e}"))
        }
    }

    /// Adds text to the open element; outside the root only white space
    /// is allowed.
    fn push_text(&mut self, s: &str) -> Result<(), ReadError> {
        if !self.stack.is_empty() {
            self.text.push_str(s);
        } else if !s.trim().is_empty() {
            return Err(if self.root_closed {
                self.malformed("text after the document")
            } else {
                ReadError::NotABankFile
            });
        }
        Ok(())
    }

    /// A start tag: tells the message kind and opens blocks, entries and
    /// transactions.
    fn start(&mut self, e: &BytesStart) -> Result<(), ReadError> {
        let name = intern(e.local_name().as_ref());
        let depth = self.stack.len();
        if self.root_closed {
            return Err(self.malformed("an element after the document"));
        }
        if depth >= MAX_DEPTH {
            return Err(self.malformed("elements nested too deep"));
        }
        match depth {
            0 if name != "Document" => return Err(ReadError::NotABankFile),
            1 if self.format.is_some() => return Err(self.malformed("two messages in one file")),
            1 => {
                self.format = match name {
                    "BkToCstmrStmt" => Some(Format::Camt053),
                    "BkToCstmrDbtCdtNtfctn" => Some(Format::Camt054),
                    _ => return Err(ReadError::NotABankFile),
                }
            }
            _ => {}
        }
        self.stack.push(name);
        self.text.clear();
        match name {
            "Stmt" | "Ntfctn" if depth == 2 => {
                self.block = Some(depth);
                self.account = None;
            }
            "Ntry" if self.block.is_some_and(|b| b + 1 == depth) => {
                self.entries += 1;
                self.entry = Some((depth, Entry::default()));
            }
            "TxDtls"
                if self.stack[depth - 1] == "NtryDtls"
                    && self.entry.as_ref().is_some_and(|(d, _)| d + 2 == depth) =>
            {
                self.tx = Some((depth, Tx::default()));
            }
            "Amt" => self.ccy = currency(e),
            _ => {}
        }
        Ok(())
    }

    /// An end tag: keeps the element's text where its path says, and
    /// closes transactions, entries and blocks.
    fn end(&mut self) -> Result<(), ReadError> {
        let Some(depth) = self.stack.len().checked_sub(1) else {
            return Err(self.malformed("an end tag with no start tag"));
        };
        let spare = std::mem::take(&mut self.spare);
        let raw = std::mem::replace(&mut self.text, spare);
        let text = raw.trim();
        let money = || (text.to_string(), self.ccy.clone());
        let path = &self.stack[..];
        if let Some((d, tx)) = self.tx.as_mut().filter(|(d, _)| *d < depth) {
            match &path[*d + 1..] {
                ["Amt"] => tx.amt = Some(money()),
                ["AmtDtls", "TxAmt", "Amt"] => tx.tx_amt = Some(money()),
                ["CdtDbtInd"] => tx.debit = text == "DBIT",
                ["Refs", "AcctSvcrRef"] if !text.is_empty() => tx.svcr_ref = Some(text.into()),
                ["RmtInf", "Ustrd"] if !text.is_empty() => tx.ustrd.push(text.into()),
                ["RmtInf", "Strd", "CdtrRefInf", "Ref"]
                    if tx.reference.is_none() && !text.is_empty() =>
                {
                    tx.reference = Some(text.into())
                }
                ["RltdPties", "Dbtr", "Nm"] | ["RltdPties", "Dbtr", "Pty", "Nm"] => {
                    tx.payer = text.into()
                }
                ["AddtlTxInf"] => tx.addtl = text.into(),
                _ => {}
            }
        } else if let Some((d, en)) = self.entry.as_mut().filter(|(d, _)| *d < depth) {
            let date = || Some(text.to_string()).filter(|t| !t.is_empty());
            match &path[*d + 1..] {
                ["Amt"] => en.amt = Some(money()),
                ["CdtDbtInd"] => en.cdt_dbt = text.into(),
                ["RvslInd"] => en.reversal = text == "true" || text == "1",
                ["Sts"] | ["Sts", _] if !text.is_empty() => en.status = Some(text.into()),
                ["BookgDt", "Dt" | "DtTm"] => en.booking = en.booking.take().or_else(date),
                ["ValDt", "Dt" | "DtTm"] => en.value = en.value.take().or_else(date),
                ["AcctSvcrRef"] if !text.is_empty() => en.svcr_ref = Some(text.into()),
                ["AddtlNtryInf"] => en.info = text.into(),
                _ => {}
            }
        } else if let Some(d) = self.block.filter(|d| *d < depth) {
            if let ["Acct", "Id", "IBAN"] | ["Acct", "Id", "Othr", "Id"] = &path[d + 1..] {
                let account: String = text
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_uppercase())
                    .collect();
                if !account.is_empty() {
                    self.account = Some(account);
                }
            }
        } else if let [_, _, "GrpHdr", "MsgId"] = path {
            self.msg_id = Some(text.to_string());
        }
        if self.tx.as_ref().is_some_and(|(d, _)| *d == depth) {
            if let (Some((_, tx)), Some((_, en))) = (self.tx.take(), self.entry.as_mut()) {
                en.txs.push(tx);
            }
        } else if self.entry.as_ref().is_some_and(|(d, _)| *d == depth) {
            self.close_entry()?;
        } else if self.block == Some(depth) {
            self.close_block()?;
        }
        let mut raw = raw;
        raw.clear();
        self.spare = raw;
        self.root_closed = depth == 0;
        self.stack.pop();
        Ok(())
    }

    /// Turns a finished entry into lines, or counts it as skipped.
    fn close_entry(&mut self) -> Result<(), ReadError> {
        let Some((_, en)) = self.entry.take() else {
            return Ok(());
        };
        let n = self.entries;
        let credit = match en.cdt_dbt.as_str() {
            "CRDT" => true,
            "DBIT" => false,
            _ => return Err(self.malformed("CdtDbtInd is not CRDT or DBIT")),
        };
        let booked = en.status.as_deref().is_none_or(|s| s == "BOOK");
        if !credit || en.reversal || !booked {
            self.skipped += 1;
            return Ok(());
        }
        let date = en.booking.as_ref().or(en.value.as_ref());
        let Some(date) = date.and_then(|d| parse_date(d)) else {
            return Err(self.malformed("a booked credit with no valid BookgDt or ValDt"));
        };
        let msg_id = self.msg_id.clone().unwrap_or_default();
        let base = |i: usize| match &en.svcr_ref {
            Some(r) => format!("{r}/{i}"),
            None => format!("{msg_id}/{n}/{i}"),
        };
        if en.txs.is_empty() {
            let Some(amt) = &en.amt else {
                return Err(self.malformed("an entry with no Amt"));
            };
            let line = line(base(1), date, None, en.info.clone(), String::new());
            return self.push_line(line, amt);
        }
        // A bank's own reference per transaction is the key only where it
        // tells the transactions of the entry apart.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        if en.txs.len() > 1 {
            for r in en.txs.iter().filter_map(|t| t.svcr_ref.as_deref()) {
                *seen.entry(r).or_default() += 1;
            }
        }
        let single = en.txs.len() == 1;
        for (i, tx) in en.txs.iter().enumerate() {
            if tx.debit {
                self.skipped += 1;
                continue;
            }
            let Some(amt) =
                (tx.amt.as_ref().or(tx.tx_amt.as_ref())).or(en.amt.as_ref().filter(|_| single))
            else {
                return Err(self.malformed(format!("transaction {} has no amount", i + 1)));
            };
            // (One transaction: its reference is the only one.)
            let own = tx.svcr_ref.as_deref().filter(|r| {
                single || seen.get(r) == Some(&1) && en.svcr_ref.as_deref() != Some(*r)
            });
            let key = own.map_or_else(|| base(i + 1), str::to_string);
            let mut text = tx.ustrd.join(" ");
            if !tx.addtl.is_empty() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&tx.addtl);
            }
            let line = line(key, date, tx.reference.clone(), text, tx.payer.clone());
            self.push_line(line, amt)?;
        }
        Ok(())
    }

    /// Adds a line once its amount and currency read well.
    fn push_line(&mut self, mut line: BankLine, (amount, ccy): &Money) -> Result<(), ReadError> {
        let Some(minor) = minor_units(amount) else {
            let shown: String = amount.chars().take(24).collect();
            return Err(self.malformed(format!("amount {shown:?} is not a decimal amount")));
        };
        if ccy.len() != 3 || !ccy.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(self.malformed("an amount with no valid Ccy"));
        }
        if minor == 0 {
            self.skipped += 1;
            return Ok(());
        }
        line.amount = minor;
        line.currency = ccy.clone();
        self.block_lines.push(line);
        Ok(())
    }

    /// Gives a finished Stmt/Ntfctn's lines their account.
    fn close_block(&mut self) -> Result<(), ReadError> {
        self.block = None;
        let lines = std::mem::take(&mut self.block_lines);
        if lines.is_empty() {
            return Ok(());
        }
        let Some(account) = self.account.take() else {
            return Err(self.malformed("an account with no Acct/Id/IBAN or Othr/Id"));
        };
        for mut line in lines {
            line.key = format!("{account}:{}", line.key);
            line.account = account.clone();
            self.lines.push(line);
        }
        Ok(())
    }

    /// The end of the input: the document must be closed.
    fn finish(self) -> Result<Statement, ReadError> {
        if !self.stack.is_empty() {
            return Err(ReadError::Truncated);
        }
        let Some(format) = self.format else {
            return Err(ReadError::NotABankFile);
        };
        let message_id = self.msg_id.filter(|m| !m.is_empty());
        let Some(message_id) = message_id else {
            return Err(malformed(0, "no GrpHdr/MsgId"));
        };
        Ok(Statement {
            format,
            message_id,
            lines: self.lines,
            skipped: self.skipped,
        })
    }
}

/// A line with its amount, currency and account still to fill in.
fn line(key: String, date: NaiveDate, r: Option<String>, text: String, payer: String) -> BankLine {
    BankLine {
        key,
        account: String::new(),
        date,
        amount: 0,
        currency: String::new(),
        reference: r,
        text,
        payer,
    }
}

/// The `&'static` spelling of a known element name, else `"?"`.
fn intern(name: &str) -> &'static str {
    KNOWN.iter().find(|k| **k == name).copied().unwrap_or("?")
}

/// The `Ccy` attribute of a start tag, empty when there is none.
fn currency(e: &BytesStart) -> String {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "Ccy")
        .map(|a| a.value.trim().to_string())
        .unwrap_or_default()
}

/// A character or predefined entity reference; no others are defined.
fn entity(r: &BytesRef) -> Option<char> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c);
    }
    match &**r {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// The date part of an ISO date or date-time ("2027-03-02T09:14:00").
fn parse_date(s: &str) -> Option<NaiveDate> {
    let day = s.get(..10)?;
    if !day.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
        return None;
    }
    // `YYYY-MM-DD`, as banks write it, read directly (a file's 100 000
    // dates); anything else as chrono reads it.
    if let Some((y, m, d)) = crate::types::dates::iso_parts(day.as_bytes()) {
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// A non-negative decimal amount in minor units: "1200.50" is 120050.
/// Digits past the second decimal must be zeros.
fn minor_units(s: &str) -> Option<i64> {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !digits(whole) || !digits(frac) {
        return None;
    }
    let (cents, rest) = frac.split_at(frac.len().min(2));
    if rest.bytes().any(|b| b != b'0') || whole.len() > 18 {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let cents: i64 = format!("{cents:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SE: &[u8] = include_bytes!("../../../tests/bank/camt054_se.xml");
    const SE_CUT: &[u8] = include_bytes!("../../../tests/bank/camt054_truncated.xml");
    const NO: &[u8] = include_bytes!("../../../tests/bank/camt053_no.xml");
    const OTHER: &[u8] = include_bytes!("../../../tests/bank/camt054_other_account.xml");
    const SE_IBAN: &str = "SE5550000000053271004417";

    fn day(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn reads_a_swedish_notification() {
        let s = read(SE).unwrap();
        assert_eq!(s.format, Format::Camt054);
        assert_eq!(s.message_id, "SEB054-20270302-0001");
        assert_eq!(s.skipped, 3, "debit, pending and reversal");
        let got: Vec<_> = s
            .lines
            .iter()
            .map(|l| {
                (
                    l.key.as_str(),
                    l.amount,
                    l.reference.as_deref(),
                    l.payer.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "SE5550000000053271004417:SEB20270302000123001",
                    60000,
                    Some("1000017"),
                    "Lars Nilsson"
                ),
                (
                    "SE5550000000053271004417:SEB20270302000123/2",
                    45000,
                    Some("1000025"),
                    "Karin Berg & Co"
                ),
                (
                    "SE5550000000053271004417:SEB20270302000123003",
                    60000,
                    None,
                    "Anna Ek"
                ),
                (
                    "SE5550000000053271004417:SEB054-20270302-0001/2/1",
                    30000,
                    Some("1000033"),
                    "Per Åström"
                ),
            ]
        );
        for l in &s.lines {
            assert_eq!(l.account, SE_IBAN);
            assert_eq!(l.currency, "SEK");
            assert_eq!(l.date, day("2027-03-02"));
        }
        assert_eq!(s.lines[0].text, "");
        assert_eq!(s.lines[2].text, "Medlemsavgift 2027 medlem 1004 Anna Ek");
        assert_eq!(s.lines[3].text, "Avgift mars familj Bankgiroinbetalning");
        // The whole file through the format sniffing in mod.rs, with a BOM.
        let bom = [&b"\xEF\xBB\xBF"[..], SE].concat();
        assert_eq!(super::super::read(&bom), Ok(s));
    }

    #[test]
    fn reads_a_norwegian_statement_v08() {
        let s = read(NO).unwrap();
        assert_eq!(s.format, Format::Camt053);
        assert_eq!(s.message_id, "DNB053NO20270304A17");
        assert_eq!(s.skipped, 1, "the fee");
        assert_eq!(s.lines.len(), 2);
        let kid = &s.lines[0];
        assert_eq!(kid.key, "NO5015032080119:7781203554");
        assert_eq!(kid.account, "NO5015032080119");
        assert_eq!(kid.date, day("2027-03-03"), "BookgDt/DtTm");
        assert_eq!((kid.amount, kid.currency.as_str()), (45000, "NOK"));
        assert_eq!(kid.reference.as_deref(), Some("202710042"));
        assert_eq!(kid.payer, "Kari Nordvik");
        let bare = &s.lines[1];
        assert_eq!(bare.key, "NO5015032080119:NO2027030300043/1");
        assert_eq!(bare.date, day("2027-03-03"), "ValDt");
        assert_eq!(bare.amount, 9950);
        assert_eq!(bare.reference, None);
        assert_eq!(bare.text, "Innbetaling uten KID");
        assert_eq!(bare.payer, "");
        let pending = std::str::from_utf8(NO).unwrap();
        let pending = pending.replace("<Cd>BOOK</Cd>", "<Prtry>X</Prtry>");
        let s = read(pending.as_bytes()).unwrap();
        assert_eq!((s.lines.len(), s.skipped), (0, 3), "status not BOOK");
    }

    #[test]
    fn keys_of_other_accounts_do_not_clash() {
        let s = read(OTHER).unwrap();
        assert_eq!(s.message_id, "HB054-5566000001-20270302");
        assert_eq!(s.skipped, 0);
        let got: Vec<_> = s
            .lines
            .iter()
            .map(|l| (l.account.as_str(), l.key.as_str(), l.amount))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "SE5560000000000412345678",
                    "SE5560000000000412345678:SEB20270302000123001",
                    60000
                ),
                ("54029681", "54029681:HB8812004/1", 120050),
            ]
        );
        assert_eq!(s.lines[1].reference.as_deref(), Some("700123458"));
        assert_eq!(s.lines[1].payer, "Sofia Lind");
        let se = read(SE).unwrap();
        assert_ne!(se.lines[0].key, s.lines[0].key);
    }

    #[test]
    fn a_cut_file_is_truncated_wherever_it_is_cut() {
        assert_eq!(read(SE_CUT), Err(ReadError::Truncated));
        // Every cut once the root element is open, even inside a tag, an
        // entity or a character, reads as Truncated.
        let root = SE.windows(10).position(|w| w == b"<BkToCstmr").unwrap();
        let end = SE.len() - b"</Document>\n".len();
        for cut in root..end {
            assert_eq!(read(&SE[..cut]), Err(ReadError::Truncated), "cut at {cut}");
        }
        for cut in 0..root {
            assert!(read(&SE[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn refuses_what_is_not_a_camt_file() {
        let pain = br#"<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>"#;
        assert_eq!(read(pain), Err(ReadError::NotABankFile));
        assert_eq!(read(b"<html><body/></html>"), Err(ReadError::NotABankFile));
        assert_eq!(read(b"<Document/>"), Err(ReadError::NotABankFile));
        assert_eq!(read(b""), Err(ReadError::NotABankFile));
        for garbage in [
            &b"<<<\x00\xff>>"[..],
            b"<Document><BkToCstmrStmt><a></b>",
            b"\xc3(",
        ] {
            assert!(matches!(read(garbage), Err(ReadError::Malformed { .. })));
        }
        let two = "<Document><BkToCstmrStmt/></Document><Document/>";
        assert!(matches!(
            read(two.as_bytes()),
            Err(ReadError::Malformed { .. })
        ));
    }

    #[test]
    fn refuses_a_doctype_with_an_entity() {
        let xml = String::from_utf8(SE.to_vec()).unwrap().replacen(
            "<Document",
            "<!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<Document",
            1,
        );
        let xml = xml.replacen("Lars Nilsson", "&x;", 1);
        let err = read(xml.as_bytes()).unwrap_err();
        assert_eq!(err, malformed(0, "a DOCTYPE is not allowed"));
        let bare = SE_CUT.len() - 4;
        let undefined = [&SE_CUT[..bare], b"&x;</Ref>"].concat();
        assert!(matches!(
            read(&undefined),
            Err(ReadError::Malformed { line: 1, .. })
        ));
    }

    #[test]
    fn refuses_broken_entries() {
        let se = std::str::from_utf8(SE).unwrap();
        let bad = |from: &str, to: &str| read(se.replacen(from, to, 1).as_bytes());
        let m = |line: usize| {
            move |r: Result<Statement, ReadError>| match r {
                Err(ReadError::Malformed { line: l, .. }) => l == line,
                _ => false,
            }
        };
        assert!(m(1)(bad(">600.00<", ">-600.00<")));
        assert!(m(1)(bad(">600.00<", ">99999999999999999999<")));
        assert!(m(1)(bad(">600.00<", ">6,00<")));
        assert!(m(2)(bad(">300<", ">1e3<")));
        assert!(m(2)(bad("<Amt Ccy=\"SEK\">300", "<Amt>300")));
        assert!(m(1)(bad("<Dt>2027-03-02</Dt>", "<Dt>2027-02-30</Dt>")));
        assert!(m(1)(bad("<CdtDbtInd>CRDT", "<CdtDbtInd>X")));
        assert!(m(0)(bad("<MsgId>SEB054-20270302-0001</MsgId>", "")));
        assert!(m(5)(bad("<IBAN>SE55 5000 0000 0532 7100 4417</IBAN>", "")));
        let deep = "<Document><BkToCstmrStmt>".to_string() + &"<a>".repeat(100);
        assert!(m(0)(read(deep.as_bytes())));
    }

    #[test]
    fn reads_amounts_in_minor_units() {
        assert_eq!(minor_units("1200.50"), Some(120050));
        assert_eq!(minor_units("1200"), Some(120000));
        assert_eq!(minor_units("1200.5"), Some(120050));
        assert_eq!(minor_units("0.07"), Some(7));
        assert_eq!(minor_units(".5"), Some(50));
        assert_eq!(minor_units("12.000"), Some(1200));
        assert_eq!(minor_units("92233720368547758.07"), Some(i64::MAX));
        for bad in [
            "",
            ".",
            "-1",
            "+1",
            "1.005",
            "1 000",
            "１",
            "92233720368547758.08",
        ] {
            assert_eq!(minor_units(bad), None, "{bad}");
        }
    }
}
