//! Export: the members a query selects, written as CSV, XLSX or JSON.
//!
//! - CSV is what Excel opens correctly in a Nordic locale: UTF-8 with a BOM,
//!   `;` between fields, CRLF line ends, a header row, fields quoted when
//!   needed.
//! - XLSX has one sheet named after the language's word for members, a bold
//!   frozen header row with an autofilter, dates as real Excel dates shown as
//!   `yyyy-mm-dd`, and every other value as text (member numbers, postcodes and
//!   phone numbers keep their leading zeros).
//! - JSON is a pretty array of the full [`Member`] objects, as the shells'
//!   DTOs (camelCase, roles included), UTF-8 without a BOM.
//!
//! CSV and XLSX use [`Column::ALL`] with headers from [`Column::header`] and
//! values from [`columns::cell`], every text cell passed through
//! [`neutralise`]. The file is written beside `out` under a temporary name and
//! renamed into place only when complete, so a failed or cancelled export
//! leaves nothing behind and never damages a file already at `out`.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};

use crate::atomic_file::TempFile;
use crate::columns::{self, Column};
use crate::error::{Error, Result};
use crate::store::Register;
use crate::types::{Language, ListQuery, Member};

/// The file formats export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
}

impl ExportFormat {
    pub const ALL: &'static [ExportFormat] =
        &[ExportFormat::Csv, ExportFormat::Xlsx, ExportFormat::Json];

    /// `csv`, `xlsx` or `json` (any case, an optional leading dot).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let s = s.strip_prefix('.').unwrap_or(s);
        ExportFormat::ALL
            .iter()
            .copied()
            .find(|f| f.extension().eq_ignore_ascii_case(s))
    }

    /// The format a file name's extension names (`members.xlsx`), if any.
    pub fn from_path(path: &Path) -> Option<Self> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(ExportFormat::parse)
    }

    /// The file name extension, without the dot; also the wire name.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
        }
    }
}

impl std::fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.extension())
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    /// How many members the file holds.
    pub members: usize,
}

/// `progress` is called after every this many members.
pub const PROGRESS_EVERY: usize = 1000;

/// The characters that make a spreadsheet read a cell as a formula (or, for
/// tab and carriage return, that hide one): OWASP's list for CSV injection.
pub const FORMULA_STARTERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Makes a text cell inert in a spreadsheet: a cell that begins with one of
/// [`FORMULA_STARTERS`] (`=`, `+`, `-`, `@`, tab, carriage return) gets a
/// single quote `'` in front, as OWASP advises against CSV/formula
/// injection, so `=HYPERLINK(...)` is shown as the text `'=HYPERLINK(...)`
/// instead of being run. CSV and XLSX export pass every text cell through
/// this (XLSX also writes every such cell explicitly as a string, never as a
/// formula); JSON is data and is written unchanged.
///
/// Legitimate values get the quote too: a phone number `+46 70 123 45 67`
/// is exported as `'+46 70 123 45 67`, a note `- paid` as `'- paid`. That is
/// accepted: the file stays safe to open, and import takes the quote off.
///
/// So that a round trip through a file is exact even for a value that itself
/// begins with quotes (`'=x`), the test looks past any leading `'`s: a cell
/// is quoted when, after its leading `'`s, it begins with a formula starter
/// (`'=x` is exported as `''=x`).
///
/// The contract with import is [`unneutralise`]: it removes exactly one
/// leading `'` from a cell that, after that quote and any further leading
/// `'`s, begins with one of [`FORMULA_STARTERS`], and leaves every other cell
/// alone. `unneutralise(&neutralise(v)) == v` for every `v`.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if starts_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Undoes [`neutralise`]: for import. Removes exactly one leading `'` when the
/// rest, after any further leading `'`s, begins with one of
/// [`FORMULA_STARTERS`]; any other cell is returned as it is.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if starts_formula(rest) => rest,
        _ => cell,
    }
}

fn starts_formula(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .starts_with(FORMULA_STARTERS.as_slice())
}

/// The XLSX sheet name: the language's word for members.
pub fn sheet_name(language: Language) -> &'static str {
    match language {
        Language::Sv => "Medlemmar",
        Language::Da => "Medlemmer",
        Language::Nb => "Medlemmer",
        Language::En => "Members",
    }
}

/// Writes the members `query` selects (the whole selection, not one page:
/// `offset` and `limit` are ignored) to `out`, in the query's order, with the
/// header in `language`.
///
/// The file is written beside `out` under a temporary name and renamed into
/// place only when complete; on any error, and on cancel, the temporary file
/// is removed and a file already at `out` is left as it was.
///
/// `progress` is called after every [`PROGRESS_EVERY`] members with the count
/// so far, and once at the end with the total. Setting `cancel` stops the
/// export with [`Error::Cancelled`].
///
/// A file that cannot be written gives [`Error::Export`] (code `io`) naming
/// `out`.
pub fn export(
    register: &dyn Register,
    query: &ListQuery,
    format: ExportFormat,
    language: Language,
    out: &Path,
    progress: &mut dyn FnMut(usize),
    cancel: &AtomicBool,
) -> Result<ExportSummary> {
    crate::atomic_file::check_output(out)?;
    let source =
        |each: &mut dyn FnMut(&Member) -> Result<()>| register.for_each_member(query, each);
    let mut ticker = Ticker {
        count: 0,
        progress,
        cancel,
    };
    write_file(&source, format, language, out, &mut ticker)
}

/// Calls its argument with every member to write, in order.
type Source<'a> = dyn Fn(&mut dyn FnMut(&Member) -> Result<()>) -> Result<()> + 'a;

fn write_file(
    source: &Source,
    format: ExportFormat,
    language: Language,
    out: &Path,
    ticker: &mut Ticker,
) -> Result<ExportSummary> {
    let failed = |source: io::Error| Error::Export {
        path: out.to_path_buf(),
        source,
    };
    ticker.check()?;
    let tmp = TempFile::beside(out).map_err(failed)?;
    let file = tmp.file();
    match format {
        ExportFormat::Csv => write_csv(source, language, file, ticker, &failed)?,
        ExportFormat::Xlsx => write_xlsx(source, language, file, tmp.dir(), ticker, &failed)?,
        ExportFormat::Json => write_json(source, file, ticker, &failed)?,
    }
    ticker.check()?;
    tmp.persist(out).map_err(failed)?;
    (ticker.progress)(ticker.count);
    Ok(ExportSummary {
        members: ticker.count,
    })
}

/// Counts members, reports progress and watches the cancel flag.
struct Ticker<'a> {
    count: usize,
    progress: &'a mut dyn FnMut(usize),
    cancel: &'a AtomicBool,
}

impl Ticker<'_> {
    /// Stops with [`Error::Cancelled`] once `cancel` is set; called before
    /// each member is written.
    fn check(&self) -> Result<()> {
        if self.cancel.load(Ordering::Relaxed) {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Called after each member is written.
    fn after(&mut self) {
        self.count += 1;
        if self.count.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(self.count);
        }
    }
}

type Failed<'a> = dyn Fn(io::Error) -> Error + 'a;

fn write_csv(
    source: &Source,
    language: Language,
    file: &File,
    ticker: &mut Ticker,
    failed: &Failed,
) -> Result<()> {
    let csv_failed = |e: csv::Error| failed(e.into());
    let mut w = BufWriter::new(file);
    w.write_all(b"\xEF\xBB\xBF").map_err(failed)?;
    let mut csv = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(w);
    csv.write_record(Column::ALL.iter().map(|c| c.header(language)))
        .map_err(csv_failed)?;
    source(&mut |m| {
        ticker.check()?;
        let record = Column::ALL
            .iter()
            .map(|c| neutralise(&columns::cell(m, *c)).into_owned());
        csv.write_record(record).map_err(csv_failed)?;
        ticker.after();
        Ok(())
    })?;
    let mut w = csv
        .into_inner()
        .map_err(|e| failed(io::Error::other(e.to_string())))?;
    w.flush().map_err(failed)
}

fn write_json(source: &Source, file: &File, ticker: &mut Ticker, failed: &Failed) -> Result<()> {
    // Streams the same text as `serde_json::to_writer_pretty(&Vec<Member>)`:
    // each member pretty-printed and indented one level. JSON strings never
    // hold a raw line break, so indenting line by line is safe.
    let mut w = BufWriter::new(file);
    let mut first = true;
    source(&mut |m| {
        ticker.check()?;
        let text = serde_json::to_string_pretty(m).map_err(|e| failed(e.into()))?;
        let mut chunk = String::with_capacity(text.len() + 64);
        chunk.push_str(if first { "[\n" } else { ",\n" });
        first = false;
        for (i, line) in text.lines().enumerate() {
            if i > 0 {
                chunk.push('\n');
            }
            chunk.push_str("  ");
            chunk.push_str(line);
        }
        w.write_all(chunk.as_bytes()).map_err(failed)?;
        ticker.after();
        Ok(())
    })?;
    w.write_all(if first { b"[]\n" } else { b"\n]\n" })
        .map_err(failed)?;
    w.flush().map_err(failed)
}

/// Excel's format for the date cells.
pub const XLSX_DATE_FORMAT: &str = "yyyy-mm-dd";

fn write_xlsx(
    source: &Source,
    language: Language,
    file: &File,
    tempdir: &Path,
    ticker: &mut Ticker,
    failed: &Failed,
) -> Result<()> {
    let xlsx_failed = |e: XlsxError| match e {
        XlsxError::IoError(e) => failed(e),
        e => failed(io::Error::other(e)),
    };
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format(XLSX_DATE_FORMAT);
    // Rows go to a scratch file as they are written, so a large register
    // does not sit in memory (100,000 members: 85 MB instead of 450 MB).
    // The scratch file lives beside the export, not in the system's temp
    // folder, and is deleted when the workbook is.
    workbook.set_tempdir(tempdir).map_err(xlsx_failed)?;
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(xlsx_failed)?;
    sheet.set_name(sheet_name(language)).map_err(xlsx_failed)?;

    // Widest value seen per column, in characters.
    let mut widths: Vec<usize> = Column::ALL
        .iter()
        .map(|c| c.header(language).chars().count())
        .collect();
    for (col, c) in (0u16..).zip(Column::ALL) {
        sheet
            .write_string_with_format(0, col, c.header(language), &bold)
            .map_err(xlsx_failed)?;
    }

    let mut row: u32 = 0;
    source(&mut |m| {
        ticker.check()?;
        row += 1;
        write_xlsx_row(sheet, row, m, &date, &mut widths).map_err(xlsx_failed)?;
        ticker.after();
        Ok(())
    })?;

    let last_col = (Column::ALL.len() - 1) as u16;
    sheet.set_freeze_panes(1, 0).map_err(xlsx_failed)?;
    sheet.autofilter(0, 0, row, last_col).map_err(xlsx_failed)?;
    for (col, width) in (0u16..).zip(&widths) {
        // Room for the filter button; long notes wrap the view, not the sheet.
        let width = (*width + 3).clamp(8, 60) as f64;
        sheet.set_column_width(col, width).map_err(xlsx_failed)?;
    }

    let mut w = BufWriter::new(file);
    workbook.save_to_writer(&mut w).map_err(xlsx_failed)?;
    w.flush().map_err(failed)
}

fn write_xlsx_row(
    sheet: &mut Worksheet,
    row: u32,
    m: &Member,
    date: &Format,
    widths: &mut [usize],
) -> Result<(), XlsxError> {
    for (col, c) in (0u16..).zip(Column::ALL) {
        let width = if let Some(d) = date_of(m, *c) {
            if let Some(d) = d {
                sheet.write_date_with_format(row, col, d, date)?;
            }
            XLSX_DATE_FORMAT.len()
        } else {
            let text = columns::cell(m, *c);
            if text.is_empty() {
                continue;
            }
            // Always a string, never a formula, whatever the text looks like.
            let text = neutralise(&text);
            let width = text.lines().map(|l| l.chars().count()).max();
            sheet.write_string(row, col, text.as_ref())?;
            width.unwrap_or(0)
        };
        let w = &mut widths[usize::from(col)];
        *w = (*w).max(width);
    }
    Ok(())
}

/// The value of a date column; `None` for the other columns.
fn date_of(m: &Member, column: Column) -> Option<Option<NaiveDate>> {
    match column {
        Column::BirthDate => Some(m.birth_date),
        Column::StatusDate => Some(Some(m.status_date)),
        Column::JoinedDate => Some(m.joined_date),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starters_get_one_quote() {
        for v in [
            "=1+1",
            "+46 70 123 45 67",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "'=x",
        ] {
            assert_eq!(neutralise(v), format!("'{v}"), "{v:?}");
        }
        for v in [
            "Åsa", "070-123", "'quoted'", "''", "", "<script>", "a=b", " x",
        ] {
            assert!(matches!(neutralise(v), Cow::Borrowed(_)), "{v:?}");
        }
    }

    #[test]
    fn unneutralise_inverts_neutralise() {
        for v in [
            "=1+1", "+46", "-", "@", "\t", "\r", "'", "''", "'=x", "''=x", "'x", "x", "", "'-2",
            "a'=",
        ] {
            assert_eq!(unneutralise(&neutralise(v)), v, "{v:?}");
        }
        assert_eq!(unneutralise("'abc"), "'abc");
        assert_eq!(unneutralise("'+46"), "+46");
    }

    /// Values the register's validation trims away (a leading tab or
    /// carriage return), written to real files.
    #[test]
    fn leading_tab_and_carriage_return_are_neutralised_in_files() {
        use calamine::{open_workbook, Data, Reader, Xlsx};

        let member = Member {
            id: 1,
            number: "1".into(),
            kind: crate::types::Kind::Member,
            contact: crate::types::Contact {
                first_name: "\r=1+1".into(),
                last_name: "Ek".into(),
                ..Default::default()
            },
            birth_date: None,
            language: Language::Sv,
            membership_type: crate::types::MembershipType::Ordinary,
            status: crate::types::Status::Active,
            status_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            scheduled: None,
            joined_date: None,
            branch_id: None,
            branch_name: None,
            workplace_id: None,
            workplace_name: None,
            notes: "\tx".into(),
            roles: Vec::new(),
            created_at: crate::types::dates::now(),
            updated_at: crate::types::dates::now(),
            version: 1,
        };
        let source = |each: &mut dyn FnMut(&Member) -> Result<()>| each(&member);
        let first = Column::ALL
            .iter()
            .position(|c| *c == Column::FirstName)
            .unwrap();
        let notes = Column::ALL
            .iter()
            .position(|c| *c == Column::Notes)
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let no_cancel = AtomicBool::new(false);

        let write = |format: ExportFormat, name: &str| {
            let out = dir.path().join(name);
            let mut ticker = Ticker {
                count: 0,
                progress: &mut |_| {},
                cancel: &no_cancel,
            };
            write_file(&source, format, Language::En, &out, &mut ticker).unwrap();
            out
        };
        let out = write(ExportFormat::Csv, "m.csv");
        let bytes = std::fs::read(&out).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(&bytes[3..]);
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(&row[first], "'\r=1+1");
        assert_eq!(&row[notes], "'\tx");

        let out = write(ExportFormat::Xlsx, "m.xlsx");
        let mut book: Xlsx<_> = open_workbook(&out).unwrap();
        let range = book.worksheet_range("Members").unwrap();
        let row = range.rows().nth(1).unwrap();
        assert_eq!(row[first], Data::String("'\r=1+1".into()));
        assert_eq!(row[notes], Data::String("'\tx".into()));
        let formulas = book.worksheet_formula("Members").unwrap();
        assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    }

    #[test]
    fn formats_parse_and_name_their_extension() {
        for f in ExportFormat::ALL {
            assert_eq!(ExportFormat::parse(f.extension()), Some(*f));
        }
        assert_eq!(ExportFormat::parse(".XLSX"), Some(ExportFormat::Xlsx));
        assert_eq!(ExportFormat::parse("xls"), None);
        assert_eq!(
            ExportFormat::from_path(Path::new("a/b.Json")),
            Some(ExportFormat::Json)
        );
        assert_eq!(ExportFormat::from_path(Path::new("a/b")), None);
    }
}
