//! The fuzz targets' seed corpora (`fuzz/corpus/`), replayed in the regular
//! suite: what `cargo xtask fuzz` starts from is read as the app reads it,
//! every time the tests run (a crash the fuzzer finds joins them).

use std::path::{Path, PathBuf};

use medlem_core::letters::{self, template, TemplateInput};
use medlem_core::LETTER_KINDS;

fn seeds(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn the_import_seeds_are_read_and_the_real_files_among_them_whole() {
    let files = seeds("import_table");
    assert!(files.len() >= 8, "{files:?}");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let read = medlem_core::import::table::read_bytes(&path, bytes);
        // The two XML parts are the targets' own input form, not files.
        if ext != "xml" {
            let table = read.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!table.headers.is_empty(), "{}", path.display());
            assert!(
                table
                    .rows
                    .iter()
                    .all(|(_, r)| r.len() == table.headers.len()),
                "{}: every row as wide as the header",
                path.display()
            );
        }
    }
}

#[test]
fn the_template_seeds_check_and_those_that_pass_compile() {
    let files = seeds("template");
    assert!(files.len() >= 28, "{files:?}");
    let mut passed = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        // As the target reads it: after a NUL comes the merge fields' value.
        let source = text.split('\0').next().unwrap_or_default();
        let (subject, body) = source.split_once('\n').unwrap_or((source, ""));
        let name = path.file_name().unwrap().to_string_lossy();
        let key = name.split('.').next().unwrap();
        let input = TemplateInput {
            // The hand-made seeds (`own-with-value`, …) as a letter of one's own.
            key: if key.contains('-') { "notice" } else { key }.into(),
            language: "sv".into(),
            subject: subject.into(),
            body: body.into(),
        };
        match letters::check_template(&input, LETTER_KINDS) {
            Ok(_) => {
                passed += 1;
                template::Compiled::new(subject, body)
                    .unwrap_or_else(|e| panic!("{name}: checked but does not compile: {e:?}"));
            }
            Err(e) => assert!(
                name.starts_with("syntax-error") || name.starts_with("unknown-field"),
                "{name}: {e}"
            ),
        }
    }
    assert!(passed >= 28, "every shipped template passes: {passed}");
}

#[test]
fn the_bank_file_seeds_read_and_the_cut_ones_are_refused() {
    use medlem_core::dues::bankfile::{self, ReadError};
    let files = seeds("bank_file");
    assert!(files.len() >= 9, "{files:?}");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        match bankfile::read(&bytes) {
            Err(ReadError::Truncated) => assert!(name.contains("truncated"), "{name}"),
            Ok(s) => {
                assert!(!name.contains("truncated"), "{name}");
                assert!(!s.lines.is_empty(), "{name}: no payments");
            }
            Err(e) => panic!("{name}: {e:?}"),
        }
    }
}
