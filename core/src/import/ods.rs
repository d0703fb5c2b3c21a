//! How many cells an ods asks for once its repeats are expanded: a row or a
//! cell may say it repeats a million times (`table:number-rows-repeated`,
//! `table:number-columns-repeated`), so a file of a few hundred bytes can
//! ask calamine for a hundred million cells. Counted from the XML, streamed,
//! before calamine reads it.

use std::io::{BufReader, Read, Seek};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// What a spreadsheet spans; `None` from [`extent`] when it cannot be read
/// (calamine then says why).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extent {
    /// The most rows any table spans, up to its last row with content.
    pub rows: u64,
    /// The most columns any table spans, up to its last cell with content.
    pub columns: u64,
    /// The cells of every table's rectangle together (calamine reads them all).
    pub cells: u64,
}

fn repeats(e: &BytesStart, name: &str) -> u64 {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.value.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

fn has_value(e: &BytesStart) -> bool {
    e.attributes()
        .flatten()
        .any(|a| a.key.as_ref() == "office:value-type")
}

/// Stops as soon as one of `over` says the extent so far is too large.
pub fn extent<R: Read + Seek>(zip: R, over: impl Fn(&Extent) -> bool) -> Option<Extent> {
    let mut zip = zip::ZipArchive::new(zip).ok()?;
    let content = zip.by_name("content.xml").ok()?;
    let mut reader = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut all = Extent::default();
    // Within the current table: rows so far, last row and column with content.
    let (mut row, mut bottom, mut right) = (0u64, 0u64, 0u64);
    // Within the current row.
    let (mut col, mut row_has_content) = (0u64, false);
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            match e.name().as_ref() {
                "table:table" => (row, bottom, right) = (0, 0, 0),
                "table:table-row" => {
                    row = row.saturating_add(repeats(e, "table:number-rows-repeated"));
                    (col, row_has_content) = (0, false);
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n = repeats(e, "table:number-columns-repeated");
                    col = col.saturating_add(n);
                    if !empty || has_value(e) {
                        right = right.max(col);
                        row_has_content = true;
                    }
                }
                _ => {}
            }
        }
        let ended = match &event {
            Event::End(e) => Some(e.name().as_ref().to_owned()),
            Event::Empty(e) => Some(e.name().as_ref().to_owned()),
            Event::Eof => break,
            _ => None,
        };
        match ended.as_deref() {
            Some("table:table-row") if row_has_content => bottom = row,
            Some("table:table") => {
                all.cells = all.cells.saturating_add(bottom.saturating_mul(right));
                (bottom, right) = (0, 0);
            }
            _ => {}
        }
        let now = Extent {
            rows: all.rows.max(bottom),
            columns: all.columns.max(right),
            cells: all.cells.saturating_add(bottom.saturating_mul(right)),
        };
        (all.rows, all.columns) = (now.rows, now.columns);
        if over(&now) {
            return Some(now);
        }
        buf.clear();
    }
    Some(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn ods(rows: &str) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut z = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default();
        z.start_file("mimetype", opts).unwrap();
        z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        z.start_file("content.xml", opts).unwrap();
        write!(
            z,
            "<office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"S\">{rows}</table:table>\
             </office:spreadsheet></office:body></office:document-content>"
        )
        .unwrap();
        z.finish().unwrap();
        out.into_inner()
    }

    const CELL: &str =
        "<table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell>";

    #[test]
    fn repeats_are_counted_up_to_the_last_content() {
        let rows = format!(
            "<table:table-row>{CELL}{CELL}</table:table-row>\
             <table:table-row table:number-rows-repeated=\"3\">{CELL}\
             <table:table-cell table:number-columns-repeated=\"9\"/>{CELL}</table:table-row>\
             <table:table-row table:number-rows-repeated=\"1000000\">\
             <table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>"
        );
        let e = extent(Cursor::new(ods(&rows)), |_| false).unwrap();
        assert_eq!(
            e,
            Extent {
                rows: 4,
                columns: 11,
                cells: 44
            }
        );
    }

    #[test]
    fn a_million_repeated_rows_stop_the_count_at_the_limit() {
        let rows = format!(
            "<table:table-row table:number-rows-repeated=\"1000000\">\
             <table:table-cell office:value-type=\"string\" table:number-columns-repeated=\"150\">\
             <text:p>x</text:p></table:table-cell></table:table-row>{CELL}"
        );
        let e = extent(Cursor::new(ods(&rows)), |e| e.cells > 10_000_000).unwrap();
        assert_eq!((e.rows, e.columns), (1_000_000, 150));
        assert!(extent(Cursor::new(b"not a zip".to_vec()), |_| false).is_none());
    }
}
