//! What the fixed-width bank files (BgMax, Nets OCR giro) share: 80-byte
//! Latin-1 records read by 1-based positions, as their manuals number them.

use encoding_rs::WINDOWS_1252;

use super::{ReadError, MAX_FILE_BYTES};

/// The error for a record that breaks the format.
pub(super) fn bad(line: usize, what: &str) -> ReadError {
    let what = what.to_string();
    ReadError::Malformed { line, what }
}

/// Calls `record` with each record that is not blank and its 1-based line
/// number (a byte-order mark, CRLF or LF line ends, trailing spaces and a
/// DOS end-of-file mark tolerated).
pub(super) fn records(
    bytes: &[u8],
    mut record: impl FnMut(&[u8], usize) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooBig);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let rec = trim_end(line);
        if !rec.is_empty() {
            record(rec, i + 1)?;
        }
    }
    Ok(())
}

/// A line without its line end, trailing spaces or DOS end-of-file mark.
fn trim_end(b: &[u8]) -> &[u8] {
    let end = b.iter().rposition(|c| !matches!(c, b'\r' | b' ' | 0x1a));
    &b[..end.map_or(0, |i| i + 1)]
}

/// The bytes at 1-based positions `from..=to`, or those the record has.
pub(super) fn field(rec: &[u8], from: usize, to: usize) -> &[u8] {
    rec.get(from - 1..to.min(rec.len())).unwrap_or(&[])
}

/// A text field, decoded from ISO 8859-1, spaces trimmed.
pub(super) fn text(rec: &[u8], from: usize, to: usize) -> String {
    let (s, _) = WINDOWS_1252.decode_without_bom_handling(field(rec, from, to));
    s.trim().to_string()
}

/// A numeric field: all its positions there and digits.
pub(super) fn digits(rec: &[u8], from: usize, to: usize) -> Option<&str> {
    let f = field(rec, from, to);
    let whole = f.len() == to + 1 - from && f.iter().all(u8::is_ascii_digit);
    whole.then(|| std::str::from_utf8(f).ok()).flatten()
}

/// A numeric field's value (at most 18 digits).
pub(super) fn number(rec: &[u8], from: usize, to: usize) -> Option<i64> {
    digits(rec, from, to)?.parse().ok()
}

/// What the two readers' tests share.
#[cfg(test)]
pub(super) mod testing {
    use chrono::NaiveDate;

    use super::super::{ReadError, Statement};

    pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The file with its 1-based line `n` changed by `f` (line ends kept).
    pub fn edit(file: &[u8], n: usize, f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut lines: Vec<Vec<u8>> = file.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        f(&mut lines[n - 1]);
        lines.join(&b'\n')
    }

    /// Reads `file` cut at every byte and with every byte changed: nothing
    /// panics, and a file cut before its last record never reads.
    pub fn cut_and_changed(file: &[u8], read: fn(&[u8]) -> Result<Statement, ReadError>) {
        let body = file.trim_ascii_end();
        let last = body.iter().rposition(|&b| b == b'\n').unwrap_or(0);
        for n in 0..file.len() {
            let r = read(&file[..n]);
            assert!(n >= last || r.is_err(), "cut at {n} read: {r:?}");
        }
        for i in 0..file.len() {
            for b in [b'0', b'9', b' ', b'\n', b'-', 0xC3, 0xFF] {
                let mut f = file.to_vec();
                f[i] = b;
                let _ = read(&f);
            }
        }
    }

    /// The line a reader said was malformed.
    pub fn malformed_line(r: Result<Statement, ReadError>) -> usize {
        match r {
            Err(ReadError::Malformed { line, .. }) => line,
            other => panic!("not malformed: {other:?}"),
        }
    }
}
