//! The import's readers: any bytes as a CSV, xlsx, ods and JSON file
//! (`import::table::read_bytes`; an input that is an ods's `content.xml` or
//! an xlsx's sheet XML is first put into a workbook, uncompressed), the cell readers of `import::values` on
//! every cell, and a preview against a small register (column mapping,
//! values, validation, matching) with the recognised headers or (inputs of
//! odd length) with every column mapped to a field. Never a panic, whatever the bytes;
//! a table is always square and within the limits.

#![no_main]

use std::cell::RefCell;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use medlem_core::columns::Column;
use medlem_core::import::{self, table, values};
use medlem_core::SqliteRegister;

thread_local! {
    /// A register with a few demo members, so rows can match (updated,
    /// unchanged) as well as be new. A preview writes nothing.
    static REGISTER: RefCell<SqliteRegister> = RefCell::new({
        let mut reg = SqliteRegister::open_in_memory().expect("open in memory");
        medlem_core::demo::create(&mut reg, 6).expect("demo register");
        reg
    });
}

const NAMES: [&str; 4] = ["fuzz.csv", "fuzz.xlsx", "fuzz.ods", "fuzz.json"];

fuzz_target!(init: medlem_fuzz::init("import_table"), |data: &[u8]| {
    // An XML sheet goes into a workbook, stored uncompressed, so the
    // mutations reach calamine's reading of cells, rows and repeats.
    let wrapped = if contains(data, b"<office:document-content") {
        Some(medlem_fuzz::workbook_around(medlem_fuzz::ODS_SHEET, data))
    } else if contains(data, b"<worksheet") {
        Some(medlem_fuzz::workbook_around(medlem_fuzz::XLSX_SHEET, data))
    } else {
        None
    };
    let data = wrapped.as_deref().unwrap_or(data);
    let mut previewed = false;
    for name in NAMES {
        let Ok(t) = table::read_bytes(Path::new(name), data.to_vec()) else {
            continue;
        };
        check_table(&t);
        for (_, row) in &t.rows {
            for cell in row {
                read_values(cell);
            }
        }
        // One preview an input (an xlsx also reads as an ods): it is the
        // slow part, a register's members read for every file.
        if !previewed {
            preview(name, data, t.headers.len());
            previewed = true;
        }
    }
});

fn contains(data: &[u8], what: &[u8]) -> bool {
    data.windows(what.len()).any(|w| w == what)
}

/// What `Table` promises: every row as wide as the header, row numbers
/// from 2 upwards, and the limits kept.
fn check_table(t: &table::Table) {
    assert!(
        t.headers.len() <= table::MAX_COLUMNS,
        "{} columns",
        t.headers.len()
    );
    assert!(t.rows.len() <= table::MAX_ROWS, "{} rows", t.rows.len());
    let mut last = 1;
    for (n, row) in &t.rows {
        assert_eq!(
            row.len(),
            t.headers.len(),
            "row {n} is not as wide as the header"
        );
        assert!(*n > last, "row numbers not increasing: {n} after {last}");
        last = *n;
    }
}

fn read_values(cell: &str) {
    let _ = values::member_number(cell);
    let _ = values::date(cell);
    let _ = values::status(cell);
    let _ = values::kind(cell);
    let _ = values::language(cell);
    let _ = values::membership_type(cell);
    let _ = values::country(cell);
    let _ = values::roles(cell);
}

fn preview(name: &str, data: &[u8], width: usize) {
    let path = medlem_fuzz::scratch_file(name, data);
    // Every column a field: each cell goes through its field's reader and check.
    let everything: import::Mapping = (0..width)
        .map(|i| Some(Column::ALL[i % Column::ALL.len()].key().to_owned()))
        .collect();
    // Either mapping, by the input's length (both would double the time).
    let mapping = (data.len() % 2 == 1).then_some(&everything);
    REGISTER.with(|reg| {
        if let Ok(p) = import::preview(&*reg.borrow(), &path, mapping) {
            assert_eq!(p.columns.len(), width);
            assert!(p.new + p.updated + p.unchanged <= p.rows);
        }
    });
}
