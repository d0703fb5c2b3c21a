//! Reading a spreadsheet or CSV file into a table of text cells.
//!
//! CSV: the encoding is the byte-order mark's, else UTF-8 when the bytes are
//! valid UTF-8, else chardetng's guess (Windows-1252 / ISO-8859-1 as Excel and
//! older registers save them). The separator (`;`, `,` or tab) is the one that
//! splits the first lines into the most, equally many, fields.
//! xlsx and ods: the first sheet, read with calamine; whole numbers come back
//! as `1001` (not `1001.0`), dates as `YYYY-MM-DD`.

use std::path::Path;

use calamine::{open_workbook_auto_from_rs, Data, Reader, Xlsx};
use chrono::{Duration, NaiveDate};

use crate::error::{Error, Result};

/// A file's cells: the header row and the data rows (each as long as the
/// header, padded with empty cells), each with its row number in the file
/// (the header is row 1), so problems can point at the row the user sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub format: FileFormat,
    /// The detected text encoding (CSV only), e.g. `UTF-8`, `windows-1252`.
    pub encoding: Option<&'static str>,
    /// The detected separator (CSV only).
    pub delimiter: Option<char>,
    pub headers: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    Csv,
    Xlsx,
    Ods,
    Json,
}

fn unreadable(path: &Path, why: impl Into<String>) -> Error {
    Error::InvalidFile {
        path: path.to_owned(),
        reason: why.into(),
    }
}

/// What an import reads at most. A register of tens of thousands of members
/// is far below; a 2 GB file, a header of a million separators, a sheet
/// with a cell in its last corner or a zip bomb is refused before it can
/// fill the memory.
pub const MAX_FILE_BYTES: usize = 100_000_000;
/// What an xlsx or ods may unpack to (it is a zip).
pub const MAX_UNPACKED_BYTES: usize = 500_000_000;
pub const MAX_ROWS: usize = 200_000;
pub const MAX_COLUMNS: usize = 200;
/// The cells an ods may expand to, all its sheets together (a sheet of
/// 200 000 members with 50 columns).
pub const MAX_CELLS: usize = 10_000_000;
/// A line of a CSV file (a member's notes may hold 10 000 characters).
pub const MAX_LINE_BYTES: usize = 100_000;

fn too_large(path: &Path, what: &'static str, limit: usize) -> Error {
    Error::FileTooLarge {
        path: path.to_owned(),
        what,
        limit,
    }
}

/// Reads `path` by its extension: `.xlsx`/`.xlsm`/`.xls`/`.ods` as a
/// workbook, anything else as CSV. Files over the limits above are
/// refused (`file_too_large`, naming the limit) before they are read whole.
pub fn read(path: &Path) -> Result<Table> {
    if std::fs::metadata(path)?.len() > MAX_FILE_BYTES as u64 {
        return Err(too_large(path, "bytes", MAX_FILE_BYTES));
    }
    read_bytes(path, std::fs::read(path)?)
}

/// [`read`] of a file's bytes already in memory (the fuzz targets' way in):
/// `path` only names the file in errors and picks the reader by its
/// extension.
pub fn read_bytes(path: &Path, bytes: Vec<u8>) -> Result<Table> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(too_large(path, "bytes", MAX_FILE_BYTES));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => read_workbook(path, bytes, ext == "ods"),
        "json" => read_json(path, &bytes),
        _ => read_csv(path, &bytes),
    }
}

/// What the zip inside an xlsx or ods says its files unpack to (`None`
/// when it is no zip: calamine then says what it is).
fn unpacked_size(bytes: &[u8]) -> Option<u64> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        total = total.saturating_add(zip.by_index_raw(i).ok()?.size());
    }
    Some(total)
}

fn read_workbook(path: &Path, bytes: Vec<u8>, ods: bool) -> Result<Table> {
    let unpacked = unpacked_size(&bytes);
    if unpacked.is_some_and(|n| n > MAX_UNPACKED_BYTES as u64) {
        return Err(too_large(path, "unpacked bytes", MAX_UNPACKED_BYTES));
    }
    if !ods && unpacked.is_some() {
        return read_xlsx(path, bytes);
    }
    if ods {
        let over = |e: &super::ods::Extent| {
            e.rows > (MAX_ROWS + 1) as u64
                || e.columns > MAX_COLUMNS as u64
                || e.cells > MAX_CELLS as u64
        };
        if let Some(e) = super::ods::extent(std::io::Cursor::new(&bytes), over) {
            if e.rows > (MAX_ROWS + 1) as u64 {
                return Err(too_large(path, "rows", MAX_ROWS));
            }
            if e.columns > MAX_COLUMNS as u64 {
                return Err(too_large(path, "columns", MAX_COLUMNS));
            }
            if e.cells > MAX_CELLS as u64 {
                return Err(too_large(path, "cells", MAX_CELLS));
            }
        }
    }
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| unreadable(path, format!("not a readable spreadsheet ({e})")))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| unreadable(path, "the workbook has no sheets"))?
        .map_err(|e| unreadable(path, format!("the first sheet cannot be read ({e})")))?;
    let (height, width) = range.get_size();
    if height > MAX_ROWS + 1 {
        return Err(too_large(path, "rows", MAX_ROWS));
    }
    if width > MAX_COLUMNS {
        return Err(too_large(path, "columns", MAX_COLUMNS));
    }
    let mut rows = range
        .rows()
        .map(|r| r.iter().map(cell_text).collect::<Vec<_>>());
    let headers = rows.next().unwrap_or_default();
    let table = Table {
        format: if ods {
            FileFormat::Ods
        } else {
            FileFormat::Xlsx
        },
        encoding: None,
        delimiter: None,
        rows: rows.enumerate().map(|(i, r)| (i + 2, r)).collect(),
        headers,
    };
    Ok(square(table))
}

/// The first sheet of an xlsx, cell by cell: a sheet whose cells span more
/// than the limits is refused before any rectangle of cells is made (a
/// cell in the last corner would otherwise ask for billions).
fn read_xlsx(path: &Path, bytes: Vec<u8>) -> Result<Table> {
    let bad =
        |e: calamine::XlsxError| unreadable(path, format!("not a readable spreadsheet ({e})"));
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| unreadable(path, "the workbook has no sheets"))?;
    let mut reader = book.worksheet_cells_reader(&first).map_err(bad)?;
    let mut cells: Vec<((u32, u32), String)> = Vec::new();
    let (mut top, mut left, mut bottom, mut right) = (u32::MAX, u32::MAX, 0, 0);
    while let Some(cell) = reader.next_cell().map_err(bad)? {
        let text = cell_text(&Data::from(cell.get_value().clone()));
        if text.is_empty() {
            continue;
        }
        let (r, c) = cell.get_position();
        (top, left) = (top.min(r), left.min(c));
        (bottom, right) = (bottom.max(r), right.max(c));
        if (bottom - top) as usize > MAX_ROWS {
            return Err(too_large(path, "rows", MAX_ROWS));
        }
        if (right - left) as usize >= MAX_COLUMNS {
            return Err(too_large(path, "columns", MAX_COLUMNS));
        }
        cells.push(((r, c), text));
    }
    let mut grid: Vec<Vec<String>> = if cells.is_empty() {
        Vec::new()
    } else {
        vec![vec![String::new(); (right - left + 1) as usize]; (bottom - top + 1) as usize]
    };
    for ((r, c), text) in cells {
        grid[(r - top) as usize][(c - left) as usize] = text;
    }
    let mut rows = grid.into_iter();
    let headers = rows.next().unwrap_or_default();
    Ok(square(Table {
        format: FileFormat::Xlsx,
        encoding: None,
        delimiter: None,
        rows: rows.enumerate().map(|(i, r)| (i + 2, r)).collect(),
        headers,
    }))
}

/// An Excel serial day number as a date (1900 date system, with Excel's
/// phantom 29 February 1900 accounted for by the 1899-12-30 epoch).
pub fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(Duration::days(serial.floor() as i64))
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_serial_date(d.as_f64())
            .map(|d| d.to_string())
            .unwrap_or_else(|| number_text(d.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.split('T').next().unwrap_or(s).to_owned(),
    }
}

/// Decodes CSV bytes: BOM, else valid UTF-8, else chardetng's guess.
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), enc.name());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_owned(), "UTF-8");
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    let (text, _, _) = enc.decode(bytes);
    (text.into_owned(), enc.name())
}

/// Text that is not a spreadsheet: NUL bytes or many control characters.
fn looks_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(8192).collect();
    let control = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        .count();
    sample.contains(&'\0') || control * 50 > sample.len().max(1)
}

fn parse_csv(text: &str, delimiter: u8) -> std::result::Result<Vec<Vec<String>>, csv::Error> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.map(|r| r.iter().map(str::to_owned).collect()))
        .collect()
}

/// How well a separator splits the first records: the number of fields when
/// the first ten records agree on it, else 1.
fn score(text: &str, delimiter: u8) -> usize {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let counts: Vec<usize> = reader
        .records()
        .take(10)
        .filter_map(|r| r.ok())
        .map(|r| r.len())
        .collect();
    match counts.first() {
        Some(&n) if n > 1 && counts.iter().all(|&c| c == n) => n,
        Some(&n) if n > 1 => n / 2,
        _ => 1,
    }
}

fn read_csv(path: &Path, bytes: &[u8]) -> Result<Table> {
    // Before any parsing: a line no member list has (a million separators).
    if bytes
        .split(|b| *b == b'\n')
        .any(|l| l.len() > MAX_LINE_BYTES)
    {
        return Err(too_large(path, "bytes in a line", MAX_LINE_BYTES));
    }
    let (text, encoding) = decode(bytes);
    if looks_binary(&text) {
        return Err(unreadable(
            path,
            "the file is not a CSV file or spreadsheet",
        ));
    }
    let delimiter = [b';', b',', b'\t']
        .into_iter()
        .max_by_key(|d| score(&text, *d))
        .unwrap_or(b';');
    let mut records = parse_csv(&text, delimiter)
        .map_err(|e| unreadable(path, format!("the CSV cannot be read ({e})")))?
        .into_iter();
    if records.len() > MAX_ROWS + 1 {
        return Err(too_large(path, "rows", MAX_ROWS));
    }
    let headers = records.next().unwrap_or_default();
    if headers.len() > MAX_COLUMNS || records.as_slice().iter().any(|r| r.len() > MAX_COLUMNS) {
        return Err(too_large(path, "columns", MAX_COLUMNS));
    }
    Ok(square(Table {
        format: FileFormat::Csv,
        encoding: Some(encoding),
        delimiter: Some(delimiter as char),
        headers,
        rows: records.enumerate().map(|(i, r)| (i + 2, r)).collect(),
    }))
}

/// A JSON array of members as export writes it (the `Member` DTO): one
/// column per [`Column`], headed by its key.
fn read_json(path: &Path, bytes: &[u8]) -> Result<Table> {
    use crate::columns::{format_roles, Column};
    let members: Vec<serde_json::Map<String, serde_json::Value>> = serde_json::from_slice(bytes)
        .map_err(|e| unreadable(path, format!("not a JSON list of members ({e})")))?;
    if members.len() > MAX_ROWS {
        return Err(too_large(path, "rows", MAX_ROWS));
    }
    let text = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    };
    let rows = members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let cells = Column::ALL
                .iter()
                .map(|c| match c {
                    Column::Branch => text(m.get("branchName")),
                    Column::Workplace => text(m.get("workplaceName")),
                    Column::Roles => m
                        .get("roles")
                        .cloned()
                        .and_then(|r| serde_json::from_value::<Vec<crate::types::Role>>(r).ok())
                        .map(|r| format_roles(&r))
                        .unwrap_or_default(),
                    other => text(m.get(other.key())),
                })
                .collect();
            (i + 2, cells)
        })
        .collect();
    Ok(square(Table {
        format: FileFormat::Json,
        encoding: Some("UTF-8"),
        delimiter: None,
        headers: Column::ALL.iter().map(|c| c.key().to_owned()).collect(),
        rows,
    }))
}

/// Trims headers, pads short rows and drops rows that are entirely empty.
fn square(mut t: Table) -> Table {
    for h in &mut t.headers {
        *h = h.trim().trim_start_matches('\u{feff}').to_owned();
    }
    let width = t
        .rows
        .iter()
        .map(|(_, r)| r.len())
        .max()
        .unwrap_or(0)
        .max(t.headers.len());
    t.headers.resize(width, String::new());
    t.rows
        .retain(|(_, r)| r.iter().any(|c| !c.trim().is_empty()));
    for (_, r) in &mut t.rows {
        r.resize(width, String::new());
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_dates() {
        assert_eq!(
            excel_serial_date(45292.0),
            NaiveDate::from_ymd_opt(2024, 1, 1)
        );
        assert_eq!(
            excel_serial_date(60.0),
            NaiveDate::from_ymd_opt(1900, 2, 28)
        );
        assert_eq!(excel_serial_date(0.0), None);
    }

    #[test]
    fn encodings() {
        assert_eq!(
            decode("Förnamn".as_bytes()),
            ("Förnamn".to_owned(), "UTF-8")
        );
        assert_eq!(decode(b"\xEF\xBB\xBFx"), ("x".to_owned(), "UTF-8"));
        let latin1 = b"F\xf6rnamn;Efternamn\n\xc5sa;\xd6stlund\n";
        let (text, enc) = decode(latin1);
        assert_eq!(enc, "windows-1252");
        assert!(text.contains("Åsa;Östlund"), "{text}");
    }

    #[test]
    fn whole_numbers_lose_their_point_zero() {
        assert_eq!(number_text(1001.0), "1001");
        assert_eq!(number_text(12.5), "12.5");
    }
}
