//! What the fuzz targets share: a scratch folder per process, the fixed
//! backup key, workbooks around a fuzzed sheet, and the seed generator (`MEDLEM_FUZZ_SEEDS=<folder>` makes a
//! target write its seeds there and exit; `cargo xtask fuzz --seeds`).

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;

pub mod seeds;

/// The backup target's key: fixed, so the fuzzer gets past decryption
/// (the backup seeds are encrypted to it). A test key, nothing else.
pub const FUZZ_IDENTITY: &str =
    "AGE-SECRET-KEY-12HKHL248V2LXJYWZM76JV668RLPG35H4JSL4VHQL7YVCSCAGU4EQLDZ3MY";
/// The passphrase of the key-file seeds (made with a tiny scrypt work factor).
pub const FUZZ_PASSPHRASE: &str = "fuzz-seed-passphrase";

pub fn identity() -> medlem_core::age::x25519::Identity {
    medlem_core::age::x25519::Identity::from_str(FUZZ_IDENTITY).expect("a valid age identity")
}

/// Where every process's scratch folder is made.
fn scratch_root() -> PathBuf {
    std::env::temp_dir().join("medlem-fuzz")
}

/// This process's scratch folder: one per process (so parallel jobs never
/// share a file), reused for every input; made once, with the leftovers
/// of processes that are gone swept first. It is named like core's scratch
/// folders so `scratch::sweep` knows it.
pub fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = scratch_root();
        std::fs::create_dir_all(&root).expect("create the scratch root");
        medlem_core::scratch::sweep(&root);
        let dir = tempfile::Builder::new()
            .prefix(&format!(".medlem-scratch-{}-", std::process::id()))
            .tempdir_in(&root)
            .expect("create a scratch folder");
        // Kept for the process's life; the next run's sweep removes it.
        dir.keep()
    })
}

/// Writes `bytes` to `name` in the scratch folder (the same file for
/// every input) and returns its path.
pub fn scratch_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, bytes).expect("write the scratch file");
    path
}

/// The targets' `init`: with `MEDLEM_FUZZ_SEEDS` set, writes `target`'s
/// seeds into that folder and exits.
pub fn init(target: &str) {
    if let Some(dir) = std::env::var_os("MEDLEM_FUZZ_SEEDS") {
        let dir = PathBuf::from(dir);
        match seeds::write(target, &dir) {
            Ok(n) => {
                eprintln!("{target}: wrote {n} seeds to {}", dir.display());
                std::process::exit(0);
            }
            Err(e) => {
                eprintln!("{target}: seeds: {e}");
                std::process::exit(1);
            }
        }
    }
}

/// An ods whose `content.xml` is the input: the workbook of
/// `tests/fixtures/members-nb.ods` with its sheet replaced.
pub const ODS_SHEET: (&[u8], &str) = (
    include_bytes!("../../tests/fixtures/members-nb.ods"),
    "content.xml",
);
/// An xlsx whose first sheet is the input: the workbook of the export seed
/// (`rust_xlsxwriter`, as export writes it) with its sheet replaced.
pub const XLSX_SHEET: (&[u8], &str) = (
    include_bytes!("../corpus/import_table/export-da.xlsx"),
    "xl/worksheets/sheet1.xml",
);

/// The files of the zip `skeleton` with `entry` replaced by `content`, all
/// stored uncompressed. So the fuzzer mutates a sheet's XML itself (inside a
/// deflated zip with checksums almost every mutation is only a broken zip).
pub fn workbook_around((skeleton, entry): (&[u8], &str), content: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(skeleton)).expect("the skeleton is a zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("a file of the skeleton");
        let name = file.name().expect("a file name").into_owned();
        out.start_file(name.as_str(), stored)
            .expect("write to memory");
        if name == entry {
            out.write_all(content).expect("write to memory");
        } else {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).expect("read the skeleton");
            out.write_all(&bytes).expect("write to memory");
        }
    }
    out.finish().expect("write to memory").into_inner()
}

/// The sheet inside a workbook `skeleton` (for the seeds).
pub fn sheet_of((skeleton, entry): (&[u8], &str)) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(skeleton)).expect("the skeleton is a zip");
    let mut bytes = Vec::new();
    zip.by_name(entry)
        .expect("the sheet")
        .read_to_end(&mut bytes)
        .expect("read the skeleton");
    bytes
}

/// A Swedish register with members 1-3 billed 1 200 kr each for 2030 (the
/// bank-file target's; its references are 1000017, 1000025 and 1000033).
pub fn billed_register() -> medlem_core::SqliteRegister {
    use medlem_core::dues::{fees, run};
    use medlem_core::types::dues::FeeRuleInput;
    use medlem_core::Register;
    let mut reg = medlem_core::SqliteRegister::open_in_memory().expect("open in memory");
    reg.create_org(&medlem_core::OrgInput {
        name: "Klubben".into(),
        country: "SE".into(),
        ..Default::default()
    })
    .expect("an organisation");
    for (first, last) in [("Anna", "Ek"), ("Bo", "Berg"), ("Åsa", "Öberg")] {
        let mut m = medlem_core::MemberInput::default();
        m.contact.first_name = first.into();
        m.contact.last_name = last.into();
        reg.create(&m).expect("a member");
    }
    fees::set_rule(
        &mut reg,
        &FeeRuleInput {
            membership_type: "ordinary".into(),
            period: "year".into(),
            amount: "1200".into(),
            valid_from: "2020-01-01".into(),
            ..Default::default()
        },
    )
    .expect("a fee rule");
    run::run(
        &mut reg,
        &run::RunOptions {
            period: "2030".into(),
            ..Default::default()
        },
    )
    .expect("a fee run");
    reg
}
